"""The loader's fast path (yaml_rs) changes nothing a user sees: the data of every bundled plan and of
generated scalars is what ggk.yamlfiles.read reads, and every broken input gets the very same diagnostics
(with lines and columns) whether or not yaml_rs is installed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml_rs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ggk.model import Plan, Unit
from ggk.workspace import load as loader
from ggk.workspace.load import fast_data, load_file
from ggk.yamlfiles.read import parse
from tests.conftest import PLANS, make_unit
from tests.test_check import BASE, CASES

BROKEN = [text for _name, text, _code, _pos in CASES] + [
    BASE.format(extra="\t  status: 进行中\n"),
    "# 只有注释\n",
    "- a\n- b\n",
    BASE.format(extra="").replace("format: 1", "format: 9"),
    BASE.format(extra="      - id: [2\n"),
    BASE.format(extra="        deadline: 2021-02-30\n"),
    BASE.format(extra="        remark: 2021-02-30\n"),
    BASE.format(extra="        remark: 2021-1-5 10:00:00\n"),
    BASE.format(extra="        remark: 12:30:00\n"),
    BASE.format(extra='        remark: "2021-12-31"\n'),
    BASE.format(extra="        remark: !!str 12\n"),
    BASE.format(extra="        <<: {remark: x}\n"),
    BASE.format(extra="        remark: &a x\n        summary: *a\n"),
    BASE.format(extra="        remark: a\x07b\n"),
    BASE.format(extra="        remark: a\u2028b\n"),
    BASE.format(extra="        true: x\n"),
    BASE.format(extra="        status: yes\n"),
    "---\na: 1\n---\nb: 2\n",
    "format: 1\nunit: t\n",
]


def same(a: object, b: object) -> bool:
    """Equal data, types included (1 is not 1.0 is not True; nan is nan)."""
    return repr(a) == repr(b)


def without_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "_fast_loads", False)


def result(path: Path, kind: type[Plan] | type[Unit]) -> tuple:
    res = load_file(path, kind)
    return (
        [d.to_json() for d in res.diagnostics],
        [d.loc for d in res.diagnostics],
        res.partial,
        res.model.model_dump() if res.model else None,
    )


@pytest.mark.parametrize("text", BROKEN + [BASE.format(extra="")])
def test_same_diagnostics_with_and_without_fast_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    path = make_unit(tmp_path, text)
    fast = result(path, Plan)
    without_fast_path(monkeypatch)
    assert result(path, Plan) == fast


def test_gbk_and_bom(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gbk = make_unit(tmp_path, BASE.format(extra="").encode("gb18030"), slug="g")
    bom = make_unit(tmp_path, "\ufeff".encode() + BASE.format(extra="").encode(), slug="b")
    fast = [result(gbk, Plan), result(bom, Plan)]
    assert fast[1][0] == [] and fast[1][3] is not None  # a BOM is fine, and takes the fast path
    assert fast_data(bom.read_bytes()) is not None
    without_fast_path(monkeypatch)
    assert [result(gbk, Plan), result(bom, Plan)] == fast


def test_broken_inputs_take_the_careful_path() -> None:
    for text in BROKEN:
        data = fast_data(text.encode())
        parsed = parse(text, "x")
        if data is not None:  # taken: the careful reader must agree, without a word
            assert same(data, parsed.data) and not parsed.diagnostics, text


def bundled() -> list[Path]:
    return sorted(PLANS.glob("*/*.yaml"))


@pytest.mark.parametrize("path", bundled(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_bundled_plans_read_alike(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = path.read_bytes()
    data = fast_data(raw)
    assert data is not None  # every bundled file takes the fast path
    assert same(data, parse(raw.decode("utf-8-sig"), str(path)).data)
    kind = Unit if path.name == "unit.yaml" else Plan
    fast = result(path, kind)
    without_fast_path(monkeypatch)
    assert result(path, kind) == fast


# Scalars: the YAML 1.2 core schema spellings and their near misses, dates, and text.
_ATOMS = ["0", "1", "7", "9", "_", ".", "e", "E", "+", "-", "x", "o", "b", "a", "f", "inf", "nan", "Inf", "NaN", ":"]
_WORDS = [
    "true",
    "True",
    "TRUE",
    "tRue",
    "false",
    "FALSE",
    "yes",
    "no",
    "on",
    "off",
    "Yes",
    "NO",
    "y",
    "n",
    "~",
    "null",
    "Null",
    "NULL",
    "nUll",
    ".inf",
    "-.inf",
    "+.INF",
    ".nan",
    ".NaN",
    "0x1F",
    "0o17",
    "017",
    "0b11",
    "1_000",
    "1:30",
    "190:20:30",
    "1e3",
    "-1.5",
    "2021-12-31",
    "2021-02-30",
    "2021-1-5",
    "2024-02-29",
    "常态化",
    "2021年底前",
    "每季度",
    "三.2",
    "（一）",
    "a b",
    "1 2",
]
scalars = st.one_of(
    st.sampled_from(_WORDS),
    st.lists(st.sampled_from(_ATOMS), min_size=1, max_size=6).map("".join),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8),
)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scalars, st.sampled_from(["a: {}\n", "a: [{}]\n", "- {}\n", "a:\n  b: {}\n", "{}: x\n", 'a: "{}"\n', "a: '{}'\n"]))
def test_scalars_read_alike(value: str, template: str) -> None:
    text = template.format(value)
    parsed = parse(text, "x")
    data = fast_data(text.encode())
    if data is not None:
        assert same(data, parsed.data), text
        assert not parsed.diagnostics, text


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_ATOMS[:16]), min_size=1, max_size=6).map("".join))
def test_core_schema_numbers_like_yaml_rs(value: str) -> None:
    """Numbers, booleans and nulls alone: ggk.yamlfiles.read resolves exactly as yaml_rs does."""
    text = f"a: {value}\n"
    parsed = parse(text, "x")
    try:
        theirs = yaml_rs.loads(text)
    except yaml_rs.YAMLDecodeError:
        return
    if parsed.diagnostics:
        return
    mine, other = parsed.data["a"], theirs["a"]
    assert type(mine) is type(other), text
    assert mine == other or (mine != mine and other != other), text


def test_yaml_1_2_words_stay_text() -> None:
    data = parse("a: yes\nb: off\nc: 017\nd: 1:30\ne: True\nf: 2021-12-31\n", "x").data
    assert data == {"a": "yes", "b": "off", "c": 17, "d": "1:30", "e": True, "f": dt.date(2021, 12, 31)}


def test_careful_path_uses_libyaml_when_present() -> None:
    import yaml

    from ggk.yamlfiles import read as yamlio

    if yaml.__with_libyaml__:
        assert yamlio._Loader.__mro__[1].__module__ == "yaml._yaml"  # the C composer, not PyYAML's Python one


def test_flow_colon_goes_the_careful_way() -> None:
    for text in ("a: [x:]\n", "a: {b: x:}\n", "a: [x:, y]\n"):
        assert fast_data(text.encode()) is None
        assert parse(text, "x").diagnostics


@settings(max_examples=3000, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                b" ",
                b":",
                b"[",
                b"]",
                b"{",
                b"}",
                b",",
                b"\n",
                b"a",
                b"\xe4\xb8\x80",
                b"<",
                b"%",
                b"\\",
                b"!",
                b"?",
                b"\t",
                b"*",
                b"&",
                b"- ",
            ]
        ),
        max_size=14,
    ).map(b"".join)
)
def test_declined_is_any_needle(raw: bytes) -> None:
    """``_declined`` (fewer passes over a file) answers what its definition says: any of the needles."""
    assert loader._declined(raw) == any(needle in raw for needle in loader._FAST_DECLINE_BYTES)


def test_declined_on_real_files() -> None:
    from tests.conftest import PLANS

    seen = 0
    for path in sorted(PLANS.rglob("*.yaml")):
        raw = path.read_bytes()
        assert loader._declined(raw) == any(needle in raw for needle in loader._FAST_DECLINE_BYTES), path
        seen += 1
    for needle in loader._FAST_DECLINE_BYTES:  # each needle alone, in the middle of a plain file
        assert loader._declined(b"format: 1\nunit: x\n" + needle + b"\ntitle: y\n")
    assert seen >= 10


def _plain_by_definition(value: object) -> bool:
    t = type(value)
    if t is str:
        return not (len(value) > 7 and value[4:5] == "-" and value[:4].isdigit()) and value != "\n"  # type: ignore[index, arg-type]
    if t is dict:
        return all(type(k) is str and _plain_by_definition(k) and _plain_by_definition(v) for k, v in value.items())  # type: ignore[attr-defined]
    if t is list:
        return all(_plain_by_definition(v) for v in value)  # type: ignore[attr-defined]
    return t is int or t is float or t is bool or value is None or t is dt.date


LEAVES = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["2021-12-31", "2021-13-45", "2021-01-01T10:00", "\n", "12345-67", "abcd-efgh"]),
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.dates(),
    st.datetimes(),
)
PLAIN_DATA = st.recursive(
    LEAVES,
    lambda kids: (
        st.lists(kids, max_size=4)
        | st.dictionaries(st.one_of(st.text(max_size=10), st.integers(), st.just("2021-01-01x")), kids, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=2000, deadline=None)
@given(PLAIN_DATA)
def test_plain_is_its_definition(data: object) -> None:
    """``_plain`` (walked with a stack) answers what the recursive definition answers."""
    assert loader._plain(data) == _plain_by_definition(data)
