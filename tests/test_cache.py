"""The parse cache gives the answers of --no-cache: after edits (even same second, same size), with a
corrupt or foreign cache, for the whole files and for the open-items subset, and with two processes."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ggk import deadlines
from ggk.cli.app import app
from ggk.workspace import cache, views
from ggk.workspace.cache import open_cached
from ggk.workspace.session import open_workspace
from tests.conftest import make_unit

TODAY = dt.date(2026, 11, 21)
ROOT = Path(__file__).resolve().parent.parent

PROBLEMS = """\
format: 1
unit: t
year: 2026
title: 测试县交通运输局2026年政务公开工作要点
sections:
  - title: 一、重点领域
    items:
      - id: "1"
        title: 预算公开
        text: 2026年3月底前公开预算。
        lead: [办公室]
        deadline: 2026年3月底前
        status: 进行中
      - id: "1"
        title: 重复编号
        lead: [不存在的科]
        deadline: 每逢佳节
        status: 已完成
      - id: "3"
        title: 未来的进展
        lead: [局财务室]
        status: 进行中
        colour: red
        log:
          - date: 2026-12-30
            note: 写早了
      - id: "4"
        title: 已取消
        lead: [局财务室]
        status: 已取消
"""


def dump(obj: object) -> object:
    """``model_dump()`` of a model, or of the cache's read-only view of one."""
    if hasattr(obj, "model_dump"):
        return obj.model_dump()
    if hasattr(obj, "__struct_fields__"):
        return {name: dump(getattr(obj, name)) for name in obj.__struct_fields__}
    if isinstance(obj, (list, tuple)):  # a view's tuple is the model's list
        return [dump(v) for v in obj]
    return obj


def snapshot(paths: list[Path], *, use_cache: bool, only_open: bool = False) -> dict:
    s = open_workspace(paths, TODAY, use_cache=use_cache, only_open=only_open)
    return {
        "diags": [(d.to_json(), d.loc) for d in s.diagnostics],
        "plans": [(str(e.path), e.partial, dump(e.plan)) for e in s.ws.plans],
        "units": {k: (str(u.path), dump(u.unit) if u.unit else None) for k, u in s.ws.units.items()},
        "skipped": s.skipped,
        "problems": s.problems,
    }


def only_open(snap: dict) -> dict:
    """What the subset run must hold: the same, with only the open items that have a time limit, and
    only the sections above them."""

    def prune(sections: list[dict]) -> list[dict]:
        out = []
        for sec in sections:
            sec = {
                **sec,
                "items": [i for i in sec["items"] if i["status"] in views.OPEN and i["deadline"]],
                "sections": prune(sec["sections"]),
            }
            if sec["items"] or sec["sections"]:
                out.append(sec)
        return out

    return {**snap, "plans": [(p, partial, {**data, "sections": prune(data["sections"])}) for p, partial, data in snap["plans"]]}


@pytest.fixture
def mixed(plans_copy: Path) -> Path:
    """The bundled plans plus a unit with every kind of problem and an unreadable file."""
    make_unit(plans_copy, PROBLEMS, slug="t", year=2026)
    (plans_copy / "t" / "2025.yaml").write_text("format: 1\nunit: t\n  year: [\n", encoding="utf-8")
    return plans_copy


def test_same_answers_with_and_without_cache(mixed: Path) -> None:
    paths = [mixed]
    reference = snapshot(paths, use_cache=False)
    assert reference["problems"] > 0 and reference["skipped"]
    cold = snapshot(paths, use_cache=True)
    warm = snapshot(paths, use_cache=True)
    assert cold == reference
    assert warm == reference
    # line numbers of check findings in cached files are those of a fresh parse
    assert any(d["code"] == "GGK201" and d["line"] > 1 for d, _ in warm["diags"])


def test_open_items_subset(mixed: Path) -> None:
    paths = [mixed]
    reference = only_open(snapshot(paths, use_cache=False))
    assert snapshot(paths, use_cache=True, only_open=True) == reference  # cold
    assert snapshot(paths, use_cache=True, only_open=True) == reference  # warm
    assert snapshot(paths, use_cache=True) == snapshot(paths, use_cache=False)  # whole files from the same entries


def test_warm_run_reads_no_file(mixed: Path) -> None:
    _ws, _d, first = open_cached([mixed], TODAY)
    assert first.misses > 0
    _ws, _d, second = open_cached([mixed], TODAY)
    assert second.misses == 0 and second.hits == first.misses  # a file with YAML errors is cached too: its diagnostics


def age(path: Path, seconds: int = 3600) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns - seconds * 10**9, st.st_mtime_ns - seconds * 10**9))


def test_edited_file_is_read_again(mixed: Path) -> None:
    plan = mixed / "example" / "2026.yaml"
    age(plan)
    open_cached([mixed], TODAY)
    text = plan.read_text(encoding="utf-8")
    edited = text.replace("        status: 进行中", "        status: 未启动", 1)
    assert edited != text
    plan.write_text(edited, encoding="utf-8")
    _ws, _d, c = open_cached([mixed], TODAY)
    assert c.misses == 1  # the edited plan only
    assert snapshot([mixed], use_cache=True) == snapshot([mixed], use_cache=False)


def test_same_second_same_size_edit(mixed: Path) -> None:
    plan = mixed / "t" / "2026.yaml"
    open_cached([mixed], TODAY)  # cached while fresh: racy, verified by content next time
    before = plan.stat()
    text = plan.read_text(encoding="utf-8")
    edited = text.replace("status: 已完成", "status: 进行中")  # same length in bytes
    assert edited != text and len(edited.encode()) == len(text.encode())
    plan.write_text(edited, encoding="utf-8")
    os.utime(plan, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size, same mtime
    assert plan.stat().st_size == before.st_size and plan.stat().st_mtime_ns == before.st_mtime_ns
    assert snapshot([mixed], use_cache=True) == snapshot([mixed], use_cache=False)


def test_old_file_edited_keeping_mtime(mixed: Path) -> None:
    """A file settled long ago, edited at the same size with its mtime put back (ctime still moves)."""
    plan = mixed / "t" / "2026.yaml"
    age(plan)
    open_cached([mixed], TODAY)
    before = plan.stat()
    plan.write_text(plan.read_text(encoding="utf-8").replace("status: 已完成", "status: 进行中"), encoding="utf-8")
    os.utime(plan, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert snapshot([mixed], use_cache=True) == snapshot([mixed], use_cache=False)


def test_unit_change_rechecks_plans(mixed: Path) -> None:
    open_cached([mixed], TODAY)
    unit = mixed / "t" / "unit.yaml"
    unit.write_text(unit.read_text(encoding="utf-8") + "  - name: 不存在的科\n", encoding="utf-8")
    snap = snapshot([mixed], use_cache=True)
    assert snap == snapshot([mixed], use_cache=False)
    assert not any("不存在的科" in d["message"] for d, _ in snap["diags"])


def test_corrupt_cache_is_ignored(mixed: Path, cache_dir: Path) -> None:
    reference = snapshot([mixed], use_cache=False)
    open_cached([mixed], TODAY)
    entries = sorted(cache_dir.rglob("*.ggkc"))
    assert entries
    for i, e in enumerate(entries):
        data = e.read_bytes()
        if i % 3 == 0:
            e.write_bytes(b"")
        elif i % 3 == 1:
            e.write_bytes(data[: len(data) // 2])  # torn
        else:
            e.write_bytes(data[:-10] + b"\xff" * 10)  # flipped bytes in a blob
    assert snapshot([mixed], use_cache=True) == reference
    assert snapshot([mixed], use_cache=True, only_open=True) == only_open(reference)
    _ws, _d, c = open_cached([mixed], TODAY)
    assert c.misses == 0  # re-made by the runs above


def test_other_version_is_not_trusted(mixed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_cached([mixed], TODAY)
    monkeypatch.setattr(cache, "KEY", ["9.9.9", 1, cache.CACHE_FORMAT])
    _ws, _d, c = open_cached([mixed], TODAY)
    assert c.hits == 0


def test_cli_no_cache_and_cache_agree(mixed: Path, cache_dir: Path) -> None:
    runner = CliRunner()
    for args in (["overdue", "--all-years"], ["status", "--all-years"], ["list", "--all-years"]):
        base = ["--plans", str(mixed), "--as-of", "2026-11-21"]
        fresh = runner.invoke(app, [*base, "--no-cache", *args])
        cold = runner.invoke(app, [*base, *args])
        warm = runner.invoke(app, [*base, *args])
        assert fresh.exit_code == cold.exit_code == warm.exit_code
        assert fresh.output == cold.output == warm.output
    assert any(cache_dir.rglob("*.ggkc"))


def test_no_cache_writes_nothing(mixed: Path, cache_dir: Path) -> None:
    result = CliRunner().invoke(app, ["--no-cache", "--plans", str(mixed), "--as-of", "2026-11-21", "status", "--partial"])
    assert result.exit_code == 0
    assert not cache_dir.exists()


def test_two_processes(mixed: Path, cache_dir: Path) -> None:
    env = {**os.environ, "GGK_CACHE_DIR": str(cache_dir), "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "ggk", "--plans", str(mixed), "--as-of", "2026-11-21", "overdue", "--all-years"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for _ in range(2)]
    outs = [p.communicate(timeout=60) for p in procs]
    reference = subprocess.run([*cmd[:3], "--no-cache", *cmd[3:]], capture_output=True, env=env, timeout=60)
    for p, (out, err) in zip(procs, outs, strict=True):
        assert p.returncode == reference.returncode, err.decode()
        assert out == reference.stdout
    assert not list(cache_dir.rglob("*.tmp"))
    _ws, _d, c = open_cached([mixed], TODAY)
    assert c.misses == 0


# ---------------------------------------------------------------- ggk check through the cache


def test_check_same_with_and_without_cache(tmp_path: Path) -> None:
    from tests.test_check import CASES

    for i, (_name, text, _code, _pos) in enumerate(CASES):
        make_unit(tmp_path, text, slug=f"c{i}", year=2021)
    runner = CliRunner()
    args = ["--as-of", "2021-12-31", "check", str(tmp_path)]
    for fmt in (["--format", "json"], []):
        fresh = runner.invoke(app, ["--no-cache", *args, *fmt])
        cold = runner.invoke(app, [*args, *fmt])
        warm = runner.invoke(app, [*args, *fmt])
        assert fresh.exit_code == cold.exit_code == warm.exit_code == 1
        assert fresh.stdout == cold.stdout == warm.stdout
    ignored = [*args, "--ignore", "GGK201", "--ignore", "GGK207"]
    assert runner.invoke(app, ["--no-cache", *ignored]).stdout == runner.invoke(app, ignored).stdout
    # another as-of date: the future-log finding comes and goes with it
    later = ["--as-of", "2022-06-30", "check", str(tmp_path), "--format", "json"]
    assert runner.invoke(app, ["--no-cache", *later]).stdout == runner.invoke(app, later).stdout


def test_check_without_scope_is_never_cached(mixed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A check registered without a scope runs on the whole workspace on every run, cached or not."""
    from ggk.diagnostics import CODES
    from ggk.workspace import checks

    calls: list[int] = []

    def count_items(ctx: checks.Context):  # type: ignore[no-untyped-def]
        n = sum(1 for e in ctx.ws.plans for _ in e.plan.iter_items())
        calls.append(n)
        return []

    code = next(iter(CODES))
    monkeypatch.setitem(checks.REGISTRY, "GGK999", count_items)
    monkeypatch.setitem(CODES, "GGK999", CODES[code])
    assert checks.SCOPES.get("GGK999") is None
    open_cached([mixed], TODAY)
    open_cached([mixed], TODAY)
    open_cached([mixed], TODAY, subset=True)
    assert len(calls) == 3 and len(set(calls)) == 1  # every run, on the whole plans (not the open subset)
    assert calls[0] > 0
    assert checks.SCOPES["GGK201"] is checks.Scope.FILE and checks.SCOPES["GGK207"] is checks.Scope.AS_OF


# ---------------------------------------------------------------- the workspace index


def served_by_index(paths: list[Path], **kw: object) -> bool:
    _ws, _d, c = open_cached(paths, TODAY, **kw)  # type: ignore[arg-type]
    return bool(c.indexed)


def test_index_serves_warm_runs_with_the_same_answers(mixed: Path) -> None:
    reference = snapshot([mixed], use_cache=False)
    assert not served_by_index([mixed])  # cold: entries made, index written
    assert served_by_index([mixed]) and served_by_index([mixed], subset=True)
    assert snapshot([mixed], use_cache=True) == reference
    assert snapshot([mixed], use_cache=True, only_open=True) == only_open(reference)


def test_index_is_not_trusted_after_changes(mixed: Path) -> None:
    plan = mixed / "example" / "2026.yaml"
    age(plan)
    open_cached([mixed], TODAY)
    assert served_by_index([mixed])
    plan.write_text(plan.read_text(encoding="utf-8").replace("status: 进行中", "status: 未启动", 1), encoding="utf-8")
    assert not served_by_index([mixed])  # edited: through the entries, then a new index
    assert served_by_index([mixed])
    assert snapshot([mixed], use_cache=True) == snapshot([mixed], use_cache=False)
    (mixed / "example" / "2027.yaml").write_text(plan.read_text(encoding="utf-8").replace("year: 2026", "year: 2027"), encoding="utf-8")
    assert not served_by_index([mixed])  # a new file
    assert snapshot([mixed], use_cache=True) == snapshot([mixed], use_cache=False)
    (mixed / "example" / "2027.yaml").unlink()
    assert not served_by_index([mixed])  # a file gone
    assert snapshot([mixed], use_cache=True) == snapshot([mixed], use_cache=False)


def test_index_same_size_same_mtime_edit(mixed: Path) -> None:
    plan = mixed / "t" / "2026.yaml"
    open_cached([mixed], TODAY)  # fresh files: verified by content while racy
    before = plan.stat()
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("status: 已完成", "status: 进行中"), encoding="utf-8")
    os.utime(plan, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert not served_by_index([mixed])
    assert snapshot([mixed], use_cache=True) == snapshot([mixed], use_cache=False)


def test_index_other_as_of_dates_and_ignore(mixed: Path) -> None:
    for when in (dt.date(2026, 1, 1), dt.date(2027, 6, 30), TODAY):
        fresh = open_workspace([mixed], when, use_cache=False).diagnostics
        open_cached([mixed], when)
        ws, diags, c = open_cached([mixed], when)
        assert c.indexed and [d.to_json() for d in diags] == [d.to_json() for d in fresh]
    _ws, diags, c = open_cached([mixed], TODAY, ignore=("GGK201", "GGK207", "GGK101"))
    assert c.indexed and not {d.code for d in diags} & {"GGK201", "GGK207", "GGK101"}


def test_corrupt_index_is_ignored(mixed: Path, cache_dir: Path) -> None:
    reference = snapshot([mixed], use_cache=False)
    open_cached([mixed], TODAY)
    (index,) = cache_dir.rglob("*.ggki")
    data = index.read_bytes()
    index.write_bytes(data[:-100] + b"\x00" * 100)
    assert snapshot([mixed], use_cache=True) == reference
    index.write_bytes(data[: len(data) // 3])
    assert snapshot([mixed], use_cache=True) == reference


def test_positional_codec_gives_the_validated_models() -> None:
    """Entries store models by position; decoding gives back exactly the validated model."""
    from ggk.model import Plan, Unit
    from tests.conftest import PLANS

    paths = sorted(PLANS.glob("*/*.yaml"))
    assert len(paths) >= 9
    for path in paths:
        kind = Unit if path.name == "unit.yaml" else Plan
        model = load_file_model(path, kind)
        data = model.model_dump(exclude_defaults=True)  # type: ignore[attr-defined]
        encoded = cache.encode(model)
        # None exactly where model_dump(exclude_defaults=True) leaves a field out
        assert [name for name, v in zip(kind.model_fields, encoded, strict=True) if v is not None] == list(data)
        built = cache.decode(kind, cache._unpack(cache._pack(encoded)))
        assert built == model
        assert built.model_dump() == kind.model_validate(data).model_dump()
        assert built.model_dump_json() == model.model_dump_json()  # type: ignore[attr-defined]


def test_none_can_stand_for_every_default() -> None:
    """The codec writes None for a field at its default: sound only while no field whose default is
    not None can hold None (refused, or read as the default).  A new field breaking that fails here,
    not in a user's cache."""
    from pydantic import ValidationError

    from ggk.model import Deadline, DeadlineChange, Department, Item, LogEntry, Plan, Section, Unit

    for cls in (Plan, Section, Item, LogEntry, Deadline, DeadlineChange, Unit, Department):
        required = {n: ("x" if n != "date" else "2021-01-01") for n, f in cls.model_fields.items() if f.is_required()}
        if cls is Plan:
            required["year"] = 2021
        for name, info in cls.model_fields.items():
            if info.is_required() or (info.default is None and info.default_factory is None):
                continue
            try:
                model = cls.model_validate({**required, name: None})
            except ValidationError:
                continue  # refused: a validated model never holds None there
            default = info.default_factory() if info.default_factory is not None else info.default
            assert getattr(model, name) == default, f"{cls.__name__}.{name} keeps None"  # or read as the default


def load_file_model(path: Path, kind: type) -> object:
    from ggk.workspace.load import load_file

    res = load_file(path, kind)  # type: ignore[arg-type]
    assert res.model is not None
    return res.model


def test_overdue_from_the_subset_equals_the_whole_plans(tmp_path: Path, mixed: Path) -> None:
    """``overdue`` reads only the open items with a time limit from the cache; on realistic generated
    plans (every kind of rule, progress logs, working-day events) and the bundled ones, its output in
    every format, at many dates and windows, is the one the whole files give (``--no-cache``)."""
    from tests.bench.generate import generate

    generate(tmp_path / "gen", units=3, years=3, items=30, today=TODAY)
    runner = CliRunner()
    dates = [
        "2024-01-01",
        "2024-03-31",
        "2024-04-01",
        "2024-07-01",
        "2025-06-30",
        "2025-10-09",
        "2025-12-31",
        "2026-01-01",
        "2026-11-21",
        "2027-03-01",
    ]
    for plans in (tmp_path / "gen" / "plans", mixed):
        seen_rows = 0
        # a department of the registries (the subset run reads the units as views too)
        dept = next(
            line.split(":", 1)[1].strip().strip('"')
            for line in (plans / "example" if (plans / "example").is_dir() else plans / "u001")
            .joinpath("unit.yaml")
            .read_text(encoding="utf-8")
            .splitlines()
            if line.strip().startswith("- name:")
        )
        for i, day in enumerate(dates):
            for args in (
                ["--all-years"],
                ["--within", str(7 + 11 * i)],
                ["--all-years", "--format", "json"],
                ["--all-years", "--format", "csv"],
                ["--all-years", "--dept", dept],
            ):
                base = ["--plans", str(plans), "--as-of", day, "overdue", "--partial", *args]
                fresh = runner.invoke(app, ["--no-cache", *base])
                cached = runner.invoke(app, base)
                assert fresh.exit_code == cached.exit_code == 0, fresh.output
                assert cached.output == fresh.output, (plans, day, args)
                seen_rows += fresh.output.count("逾期 ")
        assert seen_rows > 50  # the comparison covered real overdue rows


def test_views_hold_what_the_models_hold() -> None:
    """The subset workspace is made of read-only views; every field, the methods reports call, and
    the JSON of progress entries and deadlines are those of the models."""
    from ggk.ledger.queries import _deadline_json, _log_json
    from ggk.model import Deadline, LogEntry, Plan
    from tests.conftest import PLANS

    def same(view: object, model: object) -> None:
        assert type(view).__name__ == f"{type(model).__name__}View"
        for name in type(model).model_fields:  # type: ignore[attr-defined]
            a, b = getattr(view, name), getattr(model, name)
            if isinstance(b, list):  # a view's tuple
                assert type(a) is tuple and len(a) == len(b), (name, a, b)
                for x, y in zip(a, b, strict=True):
                    if hasattr(type(y), "model_fields"):
                        same(x, y)
                    else:
                        assert x == y and type(x) is type(y), (name, x, y)
            elif hasattr(type(b), "model_fields"):  # one nested model (a contact, a deletion)
                same(a, b)
            else:
                assert a == b and type(a) is type(b), (name, a, b)

    entries = deadlines_seen = 0
    for path in sorted(PLANS.glob("*/2*.yaml")):
        model = load_file_model(path, Plan)
        view = views.unpack(views.pack(views.view_of(model)))
        same(view, model)
        assert [(loc, [s.title for s in chain], i.id) for loc, chain, i in view.iter_items()] == [
            (loc, [s.title for s in chain], i.id)
            for loc, chain, i in model.iter_items()  # type: ignore[attr-defined]
        ]
        for (_l, _c, vi), (_m, _d, mi) in zip(view.iter_items(), model.iter_items(), strict=True):  # type: ignore[attr-defined]
            for ve, me in zip(vi.log, mi.log, strict=True):
                assert _log_json(ve) == _log_json(me) == me.model_dump(mode="json", exclude_defaults=True) | {"date": me.date.isoformat()}
                entries += 1
            for vd, md in zip(vi.deadline, mi.deadline, strict=True):
                assert vd.explicit_kind() == md.explicit_kind()
                # a view is its own key in deadlines.resolve (hashable); a model is keyed by its fields
                assert deadlines.resolve(vd, model.year) == deadlines.resolve(md, model.year)  # type: ignore[attr-defined]
                assert _deadline_json(vd) == _deadline_json(md) == md.model_dump(mode="json", exclude_none=True)
                deadlines_seen += 1
    assert entries > 20 and deadlines_seen > 10
    # every field of a progress entry, at a non-default value, comes out as model_dump writes it
    full = LogEntry.model_validate(
        {
            "date": "2021-03-01",
            "by": "办公室",
            "note": "n",
            "evidence": "e",
            "status": "已完成",
            "counts": False,
            "event": "2021-02-26",
            "done": "2021-03-01",
            "source": {"form": "2021-Q1-0a1b2c3d", "period": "2021-Q1"},
            "corrected": [{"date": "2021-03-02", "reason": "笔误", "was": {"note": "m"}}],
            "deleted": {"date": "2021-03-03", "reason": "重复", "by": "办公室"},
        }
    )
    assert _log_json(full) == full.model_dump(mode="json", exclude_defaults=True)
    assert len(_log_json(full)) == len(LogEntry.model_fields)
    both = Deadline.model_validate({"phrase": "每年不少于3次", "count": 3, "per": "year"})
    assert _deadline_json(both) == both.model_dump(mode="json", exclude_none=True)


def test_views_mirror_the_models() -> None:
    """Each view has its model's fields, in the model's order, with the model's types (nested models
    read as their views, lists as tuples): a field added to a model and not to its view fails here."""
    import typing

    def as_view(tp: object) -> object:
        if isinstance(tp, type) and tp in views.VIEWS:
            return views.VIEWS[tp]
        args = typing.get_args(tp)
        if not args:
            return tp
        origin = typing.get_origin(tp)
        if origin is typing.Literal:
            return tp
        mapped = tuple(as_view(a) for a in args)
        if origin is list:
            return tuple[mapped[0], ...]  # type: ignore[valid-type]  # a view holds tuples
        if origin is dict:
            return tp
        return typing.Union[mapped]  # X | None and Optional[X] alike

    for model, view in views.VIEWS.items():
        assert view.__name__ == f"{model.__name__}View"
        assert view.__struct_fields__ == tuple(model.model_fields), model  # type: ignore[attr-defined]
        hints = typing.get_type_hints(view)
        for name, info in model.model_fields.items():  # type: ignore[attr-defined]
            assert hints[name] == as_view(info.annotation), (model.__name__, name, hints[name], info.annotation)


def test_the_index_gives_what_the_deadline_phrases_state(mixed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A warm run takes what the plans' deadline phrases state from the index: the same rules as
    parsing them, and no phrase is parsed (no regex compiled) in a fresh process."""
    from ggk.deadlines import rules as deadlines

    monkeypatch.setattr(deadlines, "_PHRASES", {})
    open_cached([mixed], TODAY)  # cold: parses every phrase, writes the index
    parsed = dict(deadlines._PHRASES)
    assert ("2026年3月底前", 2026) in parsed and ("每逢佳节", 2026) in parsed
    monkeypatch.setattr(deadlines, "_PHRASES", {})
    open_cached([mixed], TODAY, subset=True)  # warm: served from the index
    learned = dict(deadlines._PHRASES)
    assert learned and all(parsed[key] == learned[key] for key in learned)
    in_plans = {
        (d.phrase.strip(), e.plan.year)
        for e in open_workspace([mixed], TODAY).ws.plans
        for _l, _c, i in e.plan.iter_items()
        for d in i.deadline
        if d.phrase
    }
    assert in_plans and in_plans <= set(learned)

    probe = (
        "import datetime as dt, sys\n"
        "from pathlib import Path\n"
        "from ggk.deadlines import phrases as deadlines\n"
        "from ggk.ledger.queries import Filters, select\n"
        "from ggk.workspace.session import open_workspace\n"
        "s = open_workspace([Path(sys.argv[1])], dt.date(2026, 11, 21), only_open=True)\n"
        "rows = select(s.ws, s.today, Filters(all_years=True, overdue=True), calendar=s.calendar)\n"
        "print(len(rows), deadlines._compiled.cache_info().currsize)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [
        subprocess.run([sys.executable, "-c", probe, str(mixed)], capture_output=True, text=True, env=env, check=True).stdout.split()
        for _ in range(2)
    ]
    assert runs[0][0] == runs[1][0] and int(runs[0][0]) > 0
    assert runs[1][1] == "0"  # the warm run compiled none of the phrase patterns


def test_the_index_keeps_the_findings_about_headers(plans_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Findings about plan headers and unit files (a plan filed under the wrong year, a name given to
    two departments, a registry awaiting review) come from the index on a warm run — the same as the
    files give, ignored codes left out — and again from the files once one of them changed."""
    from ggk.workspace import checks
    from tests.conftest import UNIT_YAML

    unit = UNIT_YAML.replace("    aliases: [政策法规股]", "    aliases: [政策法规股, 办公室]") + "review: true\n"
    plan = make_unit(plans_copy, PROBLEMS, unit=unit, slug="t", year=2026)
    plan.rename(plan.with_name("2025.yaml"))  # year: 2026 in a file named 2025.yaml
    reference = [d.to_json() for d in open_workspace([plans_copy], TODAY, use_cache=False).diagnostics]
    assert {"GGK209", "GGK210", "GGK216"} <= {d["code"] for d in reference}
    open_cached([plans_copy], TODAY)  # cold: entries and index written

    def not_run(ctx: object) -> list[object]:
        raise AssertionError("a check about headers ran on a warm run")

    real = dict(checks.REGISTRY)
    for code, scope in checks.SCOPES.items():
        if scope is checks.Scope.HEADERS:
            monkeypatch.setitem(checks.REGISTRY, code, not_run)
    _ws, diags, c = open_cached([plans_copy], TODAY, positions=True)
    assert c.indexed and [d.to_json() for d in diags] == reference
    _ws, diags, c = open_cached([plans_copy], TODAY, ignore=("GGK210",))
    assert c.indexed and "GGK210" not in {d.code for d in diags} and "GGK209" in {d.code for d in diags}
    monkeypatch.setattr(checks, "REGISTRY", real)
    unit_file = plans_copy / "t" / "unit.yaml"
    unit_file.write_text(unit.replace(", 办公室]", "]"), encoding="utf-8")  # the duplicate name gone
    _ws, diags, c = open_cached([plans_copy], TODAY)
    assert "GGK210" not in {d.code for d in diags} and "GGK209" in {d.code for d in diags}


def test_unchanged_folders_are_not_read_again(mixed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A warm run trusts the files the index lists without listing the folders again when none of
    the folders changed since they were read (and none shortly before); a file added, removed or
    renamed, a new unit folder, or a folder changed just before the cold run is noticed."""
    from ggk.workspace import load as loader

    def settle() -> None:  # every file and folder last changed an hour ago
        for p in [*mixed.rglob("*"), mixed]:
            age(p)

    listings: list[int] = []
    real = loader.discover

    def counting(paths: object) -> object:
        listings.append(1)
        return real(paths)  # type: ignore[arg-type]

    monkeypatch.setattr(cache, "discover", counting)
    settle()
    open_cached([mixed], TODAY)  # cold: lists the folders, writes the index with their signatures
    listings.clear()
    assert served_by_index([mixed]) and not listings  # the folders were not listed again
    assert snapshot([mixed], use_cache=True) == snapshot([mixed], use_cache=False)

    def after(change: object) -> None:
        listings.clear()
        assert not served_by_index([mixed])  # the change is seen: through the entries, a new index
        assert listings
        assert snapshot([mixed], use_cache=True) == snapshot([mixed], use_cache=False)
        settle()
        open_cached([mixed], TODAY)
        listings.clear()
        assert served_by_index([mixed]) and not listings, change

    plan = mixed / "example" / "2026.yaml"
    (mixed / "example" / "2027.yaml").write_text(plan.read_text(encoding="utf-8").replace("year: 2026", "year: 2027"), encoding="utf-8")
    after("a plan added")
    (mixed / "example" / "2027.yaml").rename(mixed / "example" / "2028.yaml")
    after("a plan renamed")
    (mixed / "example" / "2028.yaml").unlink()
    after("a plan removed")
    make_unit(mixed, PROBLEMS, slug="u2", year=2026)
    after("a unit added")

    # a folder changed just before it was read: listed again on every run until that is long enough
    # ago (a coarse clock would show a change made right after the reading at the same time)
    settle()
    os.utime(mixed / "example", None)
    open_cached([mixed], TODAY)  # lists it (changed), keeps its signature: taken too soon after the change
    listings.clear()
    assert served_by_index([mixed]) and listings


def test_folders_with_symlinks_are_always_listed(mixed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A symlink in a folder points elsewhere: what it finds can change without the folder changing."""
    from ggk.workspace import load as loader

    target = mixed.parent / "elsewhere.yaml"
    plan = mixed / "example" / "2026.yaml"
    target.write_text(plan.read_text(encoding="utf-8").replace("year: 2026", "year: 2029"), encoding="utf-8")
    (mixed / "example" / "2029.yaml").symlink_to(target)
    for p in [*mixed.rglob("*"), mixed, target]:
        age(p)
    listings: list[int] = []
    real = loader.discover
    monkeypatch.setattr(cache, "discover", lambda paths: listings.append(1) or real(paths))
    open_cached([mixed], TODAY)
    listings.clear()
    assert served_by_index([mixed]) and listings
    target.unlink()  # the link now leads nowhere: the folder did not change
    assert not served_by_index([mixed])
    assert snapshot([mixed], use_cache=True) == snapshot([mixed], use_cache=False)


def test_index_with_a_malformed_header_is_ignored(mixed: Path, cache_dir: Path) -> None:
    """An index whose header unpacks but holds something else than an index holds (a mangled
    diagnostic, a wrong number of plans, a bad phrase) is not used — never an error — and a warm run
    gives the answers of the files."""
    reference = snapshot([mixed], use_cache=False)
    open_cached([mixed], TODAY)
    (path,) = cache_dir.rglob("*.ggki")
    good = cache.read_entry(path)
    assert good is not None
    for spec in good.header["blobs"]:
        good.blob(spec[0])
    for field, value in (("diags", [["x"]]), ("plans", []), ("phrases", [["2026年3月底前", 2026, [1, 2]]]), ("units", [["t"]])):
        entry = cache.read_entry(path)
        assert entry is not None
        for spec in entry.header["blobs"]:
            entry.blob(spec[0])
        entry.header[field] = value
        cache.write_entry(entry)
        assert not served_by_index([mixed]), field
        assert snapshot([mixed], use_cache=True) == reference, field
        cache.write_entry(good)  # the good index back for the next case
    assert served_by_index([mixed])


def test_the_codec_knows_every_date_and_enum_field() -> None:
    """Dates are stored as ordinals and enums as their values, field by field: a date or enum field
    added to a model and not to the codec's tables fails here (and would not round-trip)."""
    import enum as _enum
    import typing

    from ggk.model import Deadline, DeadlineChange, Department, Item, LogEntry, Plan, Section, Unit

    def of(annotation: object) -> set[type]:
        args = typing.get_args(annotation)
        return {a for a in args if isinstance(a, type)} if args else ({annotation} if isinstance(annotation, type) else set())

    for cls in (Plan, Section, Item, LogEntry, Deadline, DeadlineChange, Unit, Department):
        fields = cls.model_fields
        dates = {n for n, f in fields.items() if dt.date in of(f.annotation)}
        enums = {n for n, f in fields.items() if any(issubclass(t, _enum.Enum) for t in of(f.annotation))}
        assert dates == cache._DATES.get(cls, set()), cls.__name__
        assert enums == set(cache._ENUMS.get(cls, {})), cls.__name__


def test_blobs_decoded_in_place_are_the_blobs(mixed: Path, cache_dir: Path) -> None:
    """A blob decoded from the mapped file gives what decoding its bytes gives; a damaged or missing
    blob is a ValueError (so the index is not used), never a crash."""
    open_cached([mixed], TODAY)
    (path,) = cache_dir.rglob("*.ggki")
    entry = cache.read_entry(path)
    assert entry is not None
    in_place = entry.decode_blob("open", views.unpack_all)
    read = views.unpack_all(cache.read_entry(path).blob("open"))  # type: ignore[union-attr]
    assert in_place == read and len(in_place) >= 5
    with pytest.raises(ValueError):
        entry.decode_blob("no such blob", views.unpack_all)
    data = bytearray(path.read_bytes())
    spec = next(b for b in entry.header["blobs"] if b[0] == "open")
    data[spec[1] + spec[2] // 2] ^= 0xFF  # one byte inside the blob
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError):
        cache.read_entry(path).decode_blob("open", views.unpack_all)  # type: ignore[union-attr]
    assert not served_by_index([mixed], subset=True)
