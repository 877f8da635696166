"""The parse cache gives the answers of --no-cache: after edits (even same second, same size), with a
corrupt or foreign cache, for the whole files and for the open-items subset, with two processes and
with worker processes; and it belongs to its user (issue 17: folder 0700, entries 0600, a folder
another user could write is not used, an unreadable one is only a miss)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from typer.testing import CliRunner

from ggk.cli.app import app
from ggk.workspace import cache
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
    return obj.model_dump()  # type: ignore[attr-defined]


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
                "items": [i for i in sec["items"] if i["status"] in cache.OPEN and i["deadline"]],
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


MANGLED = [
    lambda data: b"",
    lambda data: data[: len(data) // 2],  # torn
    lambda data: data[:-10] + b"\xff" * 10,  # flipped bytes in the whole model
    lambda data: b"[1, 2]\n" + data.split(b"\n", 1)[1],  # a header of the wrong type
    lambda data: data.replace(b'"partial":false', b'"partial":"no"', 1),  # a field of the wrong type
    lambda data: data.replace(b'"diagnostics":[', b'"diagnostics":[{"path": 1},', 1),
    lambda data: data.split(b"\n", 1)[0] + b"\n{}\n{}\n",  # models of the wrong shape
    lambda data: data.split(b"\n", 1)[0] + b"\n",  # models missing
    lambda data: data.replace(b'"checks":[', b'"checks":[7,', 1),
    lambda data: data.replace(b'"latest":', b'"latest":[],"x":', 1),
]


def test_corrupt_cache_is_ignored(mixed: Path, cache_dir: Path) -> None:
    """Entries mangled in every way — empty, torn, bytes flipped, fields of the wrong type or shape —
    are misses: the answers are those of --no-cache, and the next run has entries again."""
    reference = snapshot([mixed], use_cache=False)
    for mangle in MANGLED:
        open_cached([mixed], TODAY)
        entries = sorted(cache_dir.glob("*.json"))
        assert entries
        for e in entries:
            e.write_bytes(mangle(e.read_bytes()))
        assert snapshot([mixed], use_cache=True) == reference
        _ws, _d, c = open_cached([mixed], TODAY)
        assert c.misses == 0  # re-made by the run above
        for e in entries:
            e.write_bytes(mangle(e.read_bytes()))
        assert snapshot([mixed], use_cache=True, only_open=True) == only_open(reference)


def test_entries_hold_the_validated_models(mixed: Path) -> None:
    """What an entry keeps of a model (JSON, defaults left out) validates back to the very model."""
    from ggk.model import Plan, Unit
    from ggk.workspace.load import load_file

    files = sorted(mixed.glob("*/*.yaml"))
    assert len(files) > 8
    for path in files:
        kind = Unit if path.name == "unit.yaml" else Plan
        model = load_file(path, kind).model
        if model is None:
            continue
        assert kind.model_validate_json(model.model_dump_json(exclude_defaults=True)) == model, path
        if isinstance(model, Plan):
            subset = cache.open_items(model)
            assert Plan.model_validate_json(subset.model_dump_json(exclude_defaults=True)) == subset


def test_other_version_is_not_trusted(mixed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_cached([mixed], TODAY)
    monkeypatch.setattr(cache, "KEY", f"9.9.9/1/{cache.CACHE_FORMAT}")
    _ws, _d, c = open_cached([mixed], TODAY)
    assert c.hits == 0


def test_cli_no_cache_and_cache_agree(mixed: Path, cache_dir: Path) -> None:
    runner = CliRunner()
    for args in (["overdue", "--all-years", "--partial"], ["status", "--all-years", "--partial"], ["list", "--all-years", "--partial"]):
        base = ["--plans", str(mixed), "--as-of", "2026-11-21"]
        fresh = runner.invoke(app, [*base, "--no-cache", *args])
        cold = runner.invoke(app, [*base, *args])
        warm = runner.invoke(app, [*base, *args])
        assert fresh.exit_code == cold.exit_code == warm.exit_code
        assert fresh.output == cold.output == warm.output
    assert any(cache_dir.glob("*.json"))


def test_no_cache_writes_nothing(mixed: Path, cache_dir: Path) -> None:
    result = CliRunner().invoke(app, ["--no-cache", "--plans", str(mixed), "--as-of", "2026-11-21", "status", "--partial"])
    assert result.exit_code == 0
    assert not cache_dir.exists()


def test_two_processes(mixed: Path, cache_dir: Path) -> None:
    env = {**os.environ, "GGK_CACHE_DIR": str(cache_dir), "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "ggk", "--plans", str(mixed), "--as-of", "2026-11-21", "overdue", "--all-years", "--partial"]
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


def _clock_at(monkeypatch: pytest.MonkeyPatch, day: str) -> None:
    """The command line's clock reads ``day`` (a report for a day before the clock's is not served
    from the subset of open items: an item done since was open then)."""
    from ggk.cli import common

    class Clock(dt.date):
        @classmethod
        def today(cls) -> Clock:
            return cls.fromisoformat(day)

    monkeypatch.setattr(common, "dt", SimpleNamespace(**{**vars(dt), "date": Clock}))


def test_overdue_from_the_subset_equals_the_whole_plans(tmp_path: Path, mixed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``overdue`` reads only the open items with a time limit from the cache; on realistic generated
    plans (every kind of rule, progress logs, working-day events) and the bundled ones, its output in
    every format, at many dates and windows, is the one the whole files give (``--no-cache``).  The
    dates are the clock's and come after every date in the files (an earlier one is not served from
    the subset)."""
    from tests.bench.generate import generate

    generate(tmp_path / "gen", units=3, years=3, items=30, today=TODAY)
    runner = CliRunner()
    import ggk.workspace.session as session

    subsets: list[bool] = []  # only_open of each cached run
    real = session.open_workspace

    def spy(*args: Any, **kw: Any) -> Any:
        if kw.get("use_cache", True):
            subsets.append(kw.get("only_open", False))
        return real(*args, **kw)

    monkeypatch.setattr(session, "open_workspace", spy)
    dates = ["2026-11-21", "2026-12-31", "2027-01-01", "2027-10-09"]  # the clock's day
    for plans in (tmp_path / "gen" / "plans", mixed):
        seen_rows = 0
        # a department of the registries
        dept = next(
            line.split(":", 1)[1].strip().strip('"')
            for line in (plans / "example" if (plans / "example").is_dir() else plans / "u001")
            .joinpath("unit.yaml")
            .read_text(encoding="utf-8")
            .splitlines()
            if line.strip().startswith("- name:")
        )
        for i, day in enumerate(dates):
            _clock_at(monkeypatch, day)
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
    assert subsets and all(subsets)  # each cached run read the subset


def test_overdue_for_a_past_day_sees_items_done_since(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A report for a day before the clock's reads the whole plans: an item done since was open then."""
    from tests.bench.generate import generate

    generate(tmp_path / "gen", units=2, years=3, items=30, today=TODAY)
    _clock_at(monkeypatch, TODAY.isoformat())
    runner = CliRunner()
    for day in ("2024-03-31", "2025-10-09", "2026-01-01"):
        base = ["--plans", str(tmp_path / "gen" / "plans"), "--as-of", day, "overdue", "--all-years"]
        fresh = runner.invoke(app, ["--no-cache", *base])
        assert fresh.exit_code == 0 and "逾期 " in fresh.output
        assert runner.invoke(app, base).output == runner.invoke(app, base).output == fresh.output


def test_edit_commands_load_the_plans_through_the_cache(tmp_path: Path, plans_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit command reads the plans it does not edit from the cache, and writes what it writes with
    ``--no-cache`` (a copy of the plans edited the same way ends byte for byte the same)."""
    import shutil

    import ggk.yamlfiles.read as read

    other = tmp_path / "other"
    shutil.copytree(plans_copy, other)
    runner = CliRunner()
    assert runner.invoke(app, ["--plans", str(plans_copy), "list", "--all-years"]).exit_code == 0  # the entries
    parsed: list[str] = []
    real = read.parse
    monkeypatch.setattr(read, "parse", lambda text, path, **kw: parsed.append(path) or real(text, path, **kw))
    edit = ["--as-of", "2026-11-21", "note", "gansu-jtt/2021/15", "召开专题会议"]
    done = runner.invoke(app, ["--plans", str(plans_copy), *edit])
    assert done.exit_code == 0, done.output
    # the edited file, its read-back, and the unit file it is checked against
    assert parsed and {Path(p).parent.name for p in parsed if p != "<edit>"} == {"gansu-jtt"}
    assert runner.invoke(app, ["--no-cache", "--plans", str(other), *edit]).exit_code == 0
    for plan in plans_copy.rglob("*.yaml"):
        assert plan.read_bytes() == (other / plan.relative_to(plans_copy)).read_bytes(), plan


def test_other_as_of_dates_and_ignore(mixed: Path) -> None:
    """Findings that depend on the as-of date come and go with it; ignored codes stay out."""
    for when in (dt.date(2026, 1, 1), dt.date(2027, 6, 30), TODAY):
        fresh = open_workspace([mixed], when, use_cache=False).diagnostics
        open_cached([mixed], when)
        _ws, diags, c = open_cached([mixed], when)
        assert c.misses == 0 and [d.to_json() for d in diags] == [d.to_json() for d in fresh]
    _ws, diags, c = open_cached([mixed], TODAY, ignore=("GGK201", "GGK207", "GGK101"))
    assert c.misses == 0 and diags and not {d.code for d in diags} & {"GGK201", "GGK207", "GGK101"}


def test_findings_about_headers_follow_the_unit_file(plans_copy: Path) -> None:
    """Findings about plan headers and unit files (a plan filed under the wrong year, a name given to two
    departments, a registry awaiting review) are those of the files, warm as cold, and change with them."""
    from tests.conftest import UNIT_YAML

    unit = UNIT_YAML.replace("    aliases: [政策法规股]", "    aliases: [政策法规股, 办公室]") + "review: true\n"
    plan = make_unit(plans_copy, PROBLEMS, unit=unit, slug="t", year=2026)
    plan.rename(plan.with_name("2025.yaml"))  # year: 2026 in a file named 2025.yaml
    reference = [d.to_json() for d in open_workspace([plans_copy], TODAY, use_cache=False).diagnostics]
    assert {"GGK209", "GGK210", "GGK216"} <= {d["code"] for d in reference}
    for _run in ("cold", "warm"):
        _ws, diags, _c = open_cached([plans_copy], TODAY)
        assert [d.to_json() for d in diags] == reference
    (plans_copy / "t" / "unit.yaml").write_text(unit.replace(", 办公室]", "]"), encoding="utf-8")  # the duplicate gone
    _ws, diags, _c = open_cached([plans_copy], TODAY)
    assert "GGK210" not in {d.code for d in diags} and "GGK209" in {d.code for d in diags}


def test_worker_processes_give_the_same_answers(mixed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cold run with worker processes (as the CLI starts them for many files) reads the new files
    itself while the workers write the entries of others, which the run then reads; it answers what
    --no-cache answers however the files divide."""
    from concurrent.futures import Future

    monkeypatch.setattr(cache, "PARALLEL_BYTES", 0)
    reference = snapshot([mixed], use_cache=False)
    units, plans = len(list(mixed.glob("*/unit.yaml"))), len(list(mixed.glob("*/2*.yaml")))
    with monkeypatch.context() as m:
        m.setattr(Future, "cancel", lambda self: False)  # the run never takes a file back: the worker makes every plan's entry
        _ws, _d, c = open_cached([mixed], TODAY, jobs=2)
    assert (c.misses, c.hits) == (units, plans)  # the units are read by this process
    assert snapshot([mixed], use_cache=True) == reference
    for folder in ("c", "d"):  # divided as it happens
        monkeypatch.setenv("GGK_CACHE_DIR", str(mixed.parent / folder))
        _ws, _d, c = open_cached([mixed], TODAY, jobs=2)
        assert c.misses + c.hits == units + plans
        assert snapshot([mixed], use_cache=True) == reference
    assert snapshot([mixed], use_cache=True) == reference
    assert snapshot([mixed], use_cache=True, only_open=True) == only_open(reference)
    runner = CliRunner()
    args = ["--plans", str(mixed), "--as-of", "2026-11-21", "check", "--format", "json"]
    fresh = runner.invoke(app, ["--no-cache", *args])
    monkeypatch.setenv("GGK_JOBS", "2")
    for folder in ("a", "b"):
        monkeypatch.setenv("GGK_CACHE_DIR", str(mixed.parent / folder))
        assert runner.invoke(app, args).stdout == fresh.stdout


def test_a_worker_that_cannot_start_leaves_the_files_to_the_run(mixed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No worker process can be started (a process limit, no spawn): the run reads every file itself."""
    from concurrent.futures import ProcessPoolExecutor

    def refuse(*args: Any, **kw: Any) -> Any:
        raise OSError("cannot start a process")

    monkeypatch.setattr(cache, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(ProcessPoolExecutor, "submit", refuse)
    reference = snapshot([mixed], use_cache=False)
    _ws, _d, c = open_cached([mixed], TODAY, jobs=2)
    assert (c.misses, c.hits) == (len(list(mixed.glob("*/*.yaml"))), 0)
    assert snapshot([mixed], use_cache=True) == reference


# ---------------------------------------------------------------- the cache belongs to its user


def test_folder_and_entries_are_private(mixed: Path, cache_dir: Path) -> None:
    open_cached([mixed], TODAY)
    assert cache_dir.stat().st_mode & 0o777 == 0o700
    entries = list(cache_dir.iterdir())
    assert entries and all(e.stat().st_mode & 0o777 == 0o600 for e in entries)


def forge(cache_dir: Path, plan: Path) -> None:
    """Replace the entry of ``plan`` by one that says the plan has no problems at all."""
    (entry,) = [e for e in cache_dir.glob("*.json") if f'"path":"{plan}"' in e.read_text(encoding="utf-8").split("\n")[0]]
    head, subset, whole = entry.read_text(encoding="utf-8").split("\n")[:3]
    header = cache.Header.model_validate_json(head)
    header.diagnostics, header.checks = [], []
    entry.write_text("\n".join([header.model_dump_json(), subset, whole]) + "\n", encoding="utf-8")


def test_a_folder_others_can_write_is_not_used(mixed: Path, cache_dir: Path) -> None:
    """Someone who could write the cache folder could make ``ggk check`` pass: such a folder is not used,
    and ggk says so once."""
    runner = CliRunner()
    args = ["--plans", str(mixed), "--as-of", "2026-11-21", "check"]
    reference = runner.invoke(app, ["--no-cache", *args])
    assert reference.exit_code == 1
    runner.invoke(app, args)
    forge(cache_dir, mixed / "t" / "2026.yaml")
    assert runner.invoke(app, args).stdout != reference.stdout  # the forgery works on the owner's own folder…
    for mode in (0o770, 0o777, 0o702):
        cache_dir.chmod(mode)
        done = runner.invoke(app, args)
        assert (done.exit_code, done.stdout) == (1, reference.stdout)  # …and is not believed in a shared one
        assert done.stderr.count("本次不使用解析缓存") == 1 and "其他用户可写" in done.stderr
    status = runner.invoke(app, ["--plans", str(mixed), "--as-of", "2026-11-21", "status", "--partial"])
    assert status.exit_code == 0 and status.stderr.count("本次不使用解析缓存") == 1


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a folder to another user needs root")
def test_a_folder_of_another_user_is_not_used(mixed: Path, cache_dir: Path) -> None:
    open_cached([mixed], TODAY)
    forge(cache_dir, mixed / "t" / "2026.yaml")
    os.chown(cache_dir, 65534, 65534)
    ws, diags, c = open_cached([mixed], TODAY)
    assert c.note is not None and "不属于当前用户" in c.note
    assert [d.to_json() for d in diags] == [d.to_json() for d in open_workspace([mixed], TODAY, use_cache=False).diagnostics]


def bound_by_permissions() -> list[str]:
    """A prefix that runs a command bound by file permissions: nothing for a normal user; for root,
    ``setpriv`` without capabilities (root reads any folder otherwise)."""
    import shutil

    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv (util-linux): permissions cannot be tested")
    return [setpriv, "--inh-caps=-all", "--bounding-set=-all", "--"]


def test_an_unreadable_cache_is_only_a_miss(plans_copy: Path, cache_dir: Path) -> None:
    """A cache folder its owner cannot read, and entries that cannot be read, are never an error."""
    env = {**os.environ, "GGK_CACHE_DIR": str(cache_dir), "PYTHONPATH": str(ROOT)}
    cmd = [*bound_by_permissions(), sys.executable, "-m", "ggk", "--plans", str(plans_copy), "--as-of", "2026-11-21"]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*cmd, *args], capture_output=True, text=True, env=env, timeout=120)

    reference = run("--no-cache", "overdue", "--all-years")
    assert reference.returncode == 0 and "逾期条目" in reference.stdout
    assert run("overdue", "--all-years").stdout == reference.stdout  # writes the entries
    entries = list(cache_dir.glob("*.json"))
    assert entries
    for e in entries:
        e.chmod(0)
    again = run("overdue", "--all-years")
    assert (again.returncode, again.stdout, again.stderr) == (0, reference.stdout, "")
    cache_dir.chmod(0)
    try:
        blocked = run("overdue", "--all-years")
        assert (blocked.returncode, blocked.stdout) == (0, reference.stdout)
        assert blocked.stderr.count("本次不使用解析缓存") == 1 and "不可读写" in blocked.stderr and "Traceback" not in blocked.stderr
    finally:
        cache_dir.chmod(0o700)


def test_the_library_leaves_the_garbage_collector_alone(mixed: Path) -> None:
    import gc

    frozen, enabled = gc.get_freeze_count(), gc.isenabled()
    for use_cache, only_open in ((False, False), (True, False), (True, True), (True, True)):
        open_workspace([mixed], TODAY, use_cache=use_cache, only_open=only_open)
    assert (gc.get_freeze_count(), gc.isenabled()) == (frozen, enabled)


def test_an_edit_within_a_coarse_clock_tick_is_seen(mixed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a file system whose timestamps tick once a second and that keeps no ctime, an edit at the same
    size within the tick leaves the stat as it was: a file changed shortly before it was read is
    therefore checked by its content on the next run."""
    monkeypatch.setattr(cache, "_signature", lambda st: [st.st_size, st.st_mtime_ns // 10**9 * 10**9, 0, st.st_ino])
    plan = mixed / "t" / "2026.yaml"
    tick = (time.time_ns() // 10**9) * 10**9
    os.utime(plan, ns=(tick, tick))
    open_cached([mixed], TODAY)  # the entry is made within the file's tick
    plan.write_text(plan.read_text(encoding="utf-8").replace("status: 已完成", "status: 进行中"), encoding="utf-8")
    os.utime(plan, ns=(tick, tick))  # the same tick, the same size
    assert snapshot([mixed], use_cache=True) == snapshot([mixed], use_cache=False)
