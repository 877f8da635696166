"""One YAML, one version: every path that reads plan files reads a scalar the same way — the loader
(``ggk list``/``show``), the editor (every edit command), the importer's writer, shell completion —
by the YAML 1.2 core schema, as editors read it, plus dates (``ggk.yamlfiles.dialect``).

The bug this closes: ``id: 010`` listed as ``t/2021/10`` while ``ggk note t/2021/10 …`` answered
“找不到编号为 10 的条目” (the editor read YAML 1.1, where 010 is octal 8)."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ggk.cli.app import app
from ggk.cli.completion import complete_ref
from ggk.yamlfiles import dialect, emit, patch
from ggk.yamlfiles.read import parse
from tests.conftest import make_unit
from tests.test_check import BASE

#: plain scalar -> what ggk reads
TRICKY: dict[str, Any] = {
    "010": 10,
    "0o10": 8,
    "0x1F": 31,
    "+12": 12,
    "-7": -7,
    "1_000": "1_000",
    "0b11": "0b11",
    "+0o7": "+0o7",
    "12:30": "12:30",
    "no": "no",
    "on": "on",
    "yes": "yes",
    "off": "off",
    "y": "y",
    "True": True,
    "FALSE": False,
    "tRue": "tRue",
    "~": None,
    "null": None,
    "Null": None,
    "": None,
    "1e3": 1000.0,
    "-.5": -0.5,
    "1.": 1.0,
    ".inf": math.inf,
    "-.Inf": -math.inf,
    "2021-12-31": dt.date(2021, 12, 31),
    "2021-12-31 00:00:00": dt.date(2021, 12, 31),
    "2021-12-31 10:00:00": dt.datetime(2021, 12, 31, 10, 0),
    "2021-1-5": "2021-1-5",
    "十五": "十五",
}


def ruamel_value(text: str) -> Any:
    return dialect.ruamel_round_trip().load(f"v: {text}\n")["v"]


@pytest.mark.parametrize("text", list(TRICKY))
def test_tricky_scalars_read_alike(text: str) -> None:
    value = parse(f"v: {text}\n", "x").data["v"]
    assert repr(value) == repr(TRICKY[text])
    assert patch.same(ruamel_value(text), value)  # the editor reads what the loader reads


def test_nan_reads_alike() -> None:
    assert math.isnan(parse("v: .NaN\n", "x").data["v"]) and math.isnan(ruamel_value(".NaN"))


ATOMS = ["0", "1", "7", "9", "_", ".", "e", "E", "+", "-", "x", "o", "b", "a", "f", "inf", "nan", "Inf", "NaN", ":", "T", " ", "2021-"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(ATOMS), min_size=1, max_size=6).map("".join))
def test_generated_scalars_read_alike(text: str) -> None:
    """Near misses of numbers, dates and words: whatever the loader reads, the editor reads too."""
    loaded = parse(f"v: {text}\n", "x")
    if loaded.data is None or loaded.diagnostics:
        return  # not a scalar the loader takes (e.g. an invalid date): refused, not misread
    value = loaded.data["v"]
    try:
        theirs = ruamel_value(text)
    except Exception as exc:  # noqa: BLE001 - ruamel refusing what the loader takes would be a difference
        pytest.fail(f"{text!r}: {exc}")
    if isinstance(value, float) and math.isnan(value):
        assert math.isnan(theirs)
    else:
        assert patch.same(theirs, value), text


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([*ATOMS, *TRICKY, "十五", "#", "'", '"', "!", "&", "*", "|"]), min_size=1, max_size=4).map("".join))
def test_what_the_writers_write_reads_back(text: str) -> None:
    """The writers (import, edits) quote a string exactly when it would not read back as itself."""
    data = {"title": text, "lead": [text], "no": text}
    written = emit.dump(data)  # raises unless the loader reads ``data`` back
    assert parse(written, "x").data == data
    assert dialect.ruamel_round_trip().load(written) == data


PLAN = BASE.format(
    extra="""\
        deadline: 2021-12-31
        status: 进行中
      - id: 010
        title: 预算公开
        lead: [办公室]
        deadline: 2021-06-30
        status: 进行中
        remark: no
      - id: 0o10
        title: 决算公开
        lead: [办公室]
        deadline: 2021-09-30
        status: 未启动
      - id: 1_000
        title: 政策解读
        lead: [办公室]
        deadline: 2021-10-31
        status: 未启动
"""
)
REFS = {"t/2021/10": "预算公开", "t/2021/8": "决算公开", "t/2021/1_000": "政策解读"}
FIRST = {"t/2021/1": "推进决策公开"}  # BASE's own item


def ggk(plans: Path, *args: str) -> Any:
    return CliRunner().invoke(app, ["--plans", str(plans), "--as-of", "2021-12-31", *args])


def test_every_path_finds_the_same_items(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plan = make_unit(plans, PLAN)
    listed = ggk(plans, "list", "--format", "json")
    assert listed.exit_code == 0
    rows = json.loads(listed.stdout)["items"]
    assert {r["ref"]: r["title"] for r in rows} == {**FIRST, **REFS}
    completion = SimpleNamespace(params={}, parent=SimpleNamespace(params={"plans": [plans]}, parent=None))
    assert dict(complete_ref(completion, "t/2021/")) == {**FIRST, **REFS}  # type: ignore[arg-type]
    for ref, title in REFS.items():
        shown = ggk(plans, "show", ref, "--format", "json")
        assert shown.exit_code == 0 and json.loads(shown.stdout)["title"] == title
    edits = [
        ("note", "{ref}", "已公开"),
        ("assign", "{ref}", "--add-assist", "局财务室"),
        ("update", "{ref}", "--status", "进行中", "--note", "推进中"),
        ("postpone", "{ref}", "--to", "2021-12-31", "--reason", "等待数据"),
        ("summary", "{ref}", "已按时公开"),
        ("done", "{ref}"),
    ]
    for ref in REFS:
        for edit in edits:
            args = [a.format(ref=ref) for a in edit]
            done = ggk(plans, *args)
            assert done.exit_code == 0, (args, done.output)
    text = plan.read_text(encoding="utf-8")
    assert "id: 010" in text and "id: 0o10" in text and "id: 1_000" in text and "remark: no" in text  # untouched
    after = json.loads(ggk(plans, "list", "--format", "json").stdout)["items"]
    assert {r["ref"]: r["status"] for r in after} == {"t/2021/1": "进行中", **dict.fromkeys(REFS, "已完成")}
    assert ggk(plans, "check").exit_code == 0


def test_the_note_that_could_not_find_item_010(tmp_path: Path) -> None:
    """The reported bug, as the clerk met it."""
    plans = tmp_path / "plans"
    make_unit(plans, PLAN)
    assert "t/2021/10" in ggk(plans, "list").stdout
    done = ggk(plans, "note", "t/2021/10", "已公开")
    assert done.exit_code == 0, done.output
    assert "找不到" not in done.output
    assert "已公开" in ggk(plans, "show", "t/2021/10").stdout


def test_the_reader_is_libyaml() -> None:
    """Reports read YAML with libyaml's C parser when PyYAML has it (ten times faster than pure Python)."""
    import yaml

    if not getattr(yaml, "__with_libyaml__", False):
        pytest.skip("this PyYAML was built without libyaml")
    assert dialect._parser_class().__mro__[1].__module__ == "yaml._yaml"
