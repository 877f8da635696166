"""Issue 17, "Nothing the office wrote is lost": an editor's save during ggk's write is never lost,
carry-over survives being killed between its two files, a symlinked plan stays a link, a read-only
plan is not rewritten, a killed write's temporary files are cleaned up, and what an edit writes is
checked (control characters refused; carriage returns and a leading BOM cleaned, and said)."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ggk.cli.app import app
from ggk.ledger import edits
from ggk.workspace import files
from ggk.workspace import transaction as tx
from tests.conftest import PLANS, ROOT

TODAY = "2026-11-21"


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    root = tmp_path / "plans"
    shutil.copytree(PLANS / "example", root / "example")
    return root


@pytest.fixture
def plan(plans: Path) -> Path:
    return plans / "example" / "2026.yaml"


def ggk(plans: Path, *args: str, as_of: str = TODAY) -> Any:
    result = CliRunner().invoke(app, ["--plans", str(plans), "--as-of", as_of, *args])
    assert "内部错误" not in result.output, result.output
    return result


def temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def theirs_of(plan: Path) -> str:
    return plan.read_text(encoding="utf-8").replace("推进在建交通项目信息公开\n", "推进在建交通项目信息公开（编辑器里刚保存）\n", 1)


def save_like_an_editor(path: Path, text: str, *, in_place: bool) -> None:
    """An editor's save: written in place (vim's default with backupcopy) or a new file renamed over."""
    if in_place:
        path.write_text(text, encoding="utf-8")
    else:
        tmp = path.with_name(path.name + ".swp~")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)


# ============================================================================ an editor saves meanwhile


def exchange_supported(folder: Path) -> bool:
    a, b = folder / ".probe-a", folder / ".probe-b"
    a.write_text("a")
    b.write_text("b")
    try:
        return files._exchange(a, b)
    finally:
        a.unlink()
        b.unlink()


@pytest.mark.parametrize("in_place", [True, False], ids=["in-place", "rename"])
def test_a_save_between_the_check_and_the_swap_is_kept(plan: Path, monkeypatch: pytest.MonkeyPatch, in_place: bool) -> None:
    """The window of the issue: the file is compared, then — before it is replaced — the editor saves.
    The swap shows ggk the file it displaced; it is not the one read, so the swap is undone."""
    if not exchange_supported(plan.parent):
        pytest.skip("no atomic exchange here (not Linux, or the file system lacks RENAME_EXCHANGE)")
    theirs = theirs_of(plan)
    real = files._exchange
    calls: list[tuple[Path, Path]] = []

    def exchange(a: Path, b: Path) -> bool:
        if not calls:
            save_like_an_editor(plan, theirs, in_place=in_place)  # right after ggk compared the file
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(files, "_exchange", exchange)
    with pytest.raises(tx.ConflictError, match="被修改过"):
        tx.edit_plan(plan, lambda doc: edits.note(doc, "1", "我的进展", date=dt.date(2026, 11, 21)), today=dt.date(2026, 11, 21))
    assert len(calls) == 2  # swapped, then swapped back
    assert plan.read_text(encoding="utf-8") == theirs
    assert temps(plan.parent) == []


def test_a_save_while_the_new_file_is_written_is_kept_without_the_exchange(plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where there is no atomic exchange, the file is compared after the new content is complete and
    synced (the slow part), immediately before the rename: a save during the write is detected."""
    monkeypatch.setattr(files, "_exchange", lambda a, b: False)
    theirs = theirs_of(plan)
    real = files._temp_with

    def temp_with(target: Path, raw: bytes) -> Path:
        tmp = real(target, raw)
        save_like_an_editor(plan, theirs, in_place=False)  # while ggk was writing and syncing
        return tmp

    monkeypatch.setattr(files, "_temp_with", temp_with)
    result = ggk(plan.parent.parent, "note", "example/2026/1", "我的进展")
    assert result.exit_code == 2 and "被修改过" in result.stderr
    assert plan.read_text(encoding="utf-8") == theirs and temps(plan.parent) == []


def test_an_edit_without_interference_goes_through_the_exchange(plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not exchange_supported(plan.parent):
        pytest.skip("no atomic exchange here")
    calls: list[Any] = []
    real = files._exchange
    monkeypatch.setattr(files, "_exchange", lambda a, b: calls.append(1) or real(a, b))
    mode = plan.stat().st_mode
    result = ggk(plan.parent.parent, "note", "example/2026/1", "我的进展")
    assert result.exit_code == 0 and calls == [1]
    assert "我的进展" in plan.read_text(encoding="utf-8") and plan.stat().st_mode == mode and temps(plan.parent) == []


# ============================================================================ carry-over


def carried_state(plans: Path) -> tuple[list[str], list[str]]:
    """(ids of next year's carried items by origin, source items marked carried_to) — from the files."""
    from ggk.workspace.load import load

    ws = load([plans])
    by_year = {e.plan.year: e.plan for e in ws.plans}
    target = [it.carried_from or "" for _l, _c, it in by_year[2027].iter_items()] if 2027 in by_year else []
    marked = [f"example/2026/{it.id}" for _l, _c, it in by_year[2026].iter_items() if it.carried_to]
    return sorted(target), sorted(marked)


def check_codes(plans: Path, as_of: str) -> list[str]:
    result = ggk(plans, "check", "-f", "json", as_of=as_of)
    return [d["code"] for d in json.loads(result.stdout)["diagnostics"]]


def test_an_interrupted_carry_over_is_seen_by_check_and_completed_by_a_rerun(plans: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ggk.ledger import carryover

    def killed(*_args: Any) -> None:
        raise KeyboardInterrupt  # the process stops after next year's file is written

    monkeypatch.setattr(carryover, "_annotate_sources", killed)
    interrupted = ggk(plans, "review", "2026", "-u", "example", "--carry-over", as_of="2027-01-15")
    assert interrupted.exit_code == 130
    target, marked = carried_state(plans)
    assert len(target) == 10 and marked == []  # the half-done state of the issue
    assert check_codes(plans, "2027-01-15").count("GGK230") == 10  # check sees it
    monkeypatch.undo()
    rerun = ggk(plans, "review", "2026", "-u", "example", "--carry-over", as_of="2027-01-15")
    assert rerun.exit_code == 0 and rerun.stderr.count("补记") == 10
    target_after, marked = carried_state(plans)
    assert target_after == target == marked  # nothing added twice, every source marked
    assert "GGK230" not in check_codes(plans, "2027-01-15")


def test_carried_from_and_carried_to_that_agree_are_fine_and_one_that_differs_is_said(plans: Path) -> None:
    assert ggk(plans, "review", "2026", "-u", "example", "--carry-over", as_of="2027-01-15").exit_code == 0
    assert "GGK230" not in check_codes(plans, "2027-01-15")
    source = plans / "example" / "2026.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("carried_to: example/2027/2026-11", "carried_to: example/2027/2026-99", 1), encoding="utf-8")
    result = ggk(plans, "check", as_of="2027-01-15")
    assert result.exit_code == 1 and "GGK230" in result.stdout and "标注的去向是 example/2027/2026-99" in result.stdout


@pytest.mark.slow
def test_carry_over_killed_at_random_moments_is_always_completed(plans: Path) -> None:
    """The attack of the issue: SIGKILL at random moments of a carry-over; a re-run always completes it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GGK_TODAY": "2027-01-15"}
    cmd = [sys.executable, "-m", "ggk", "--plans", str(plans), "review", "2026", "-u", "example", "--carry-over"]
    rng = random.Random(17)
    pristine = {p: p.read_bytes() for p in (plans / "example").iterdir()}
    start = time.monotonic()
    subprocess.run(cmd, capture_output=True, env=env, check=True)
    whole = time.monotonic() - start
    half_done = 0
    for i in range(40):
        for p in (plans / "example").iterdir():
            if p not in pristine:
                p.unlink()
        for p, raw in pristine.items():
            p.write_bytes(raw)
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        if i % 2:  # at any moment of the run
            time.sleep(rng.uniform(0.3, 1.0) * whole)
        else:  # soon after next year's file appears: between the two writes, or just after the second
            target = plans / "example" / "2027.yaml"
            while proc.poll() is None and not target.exists():
                time.sleep(0.001)
            time.sleep(rng.uniform(0, 0.2) * whole)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        target, marked = carried_state(plans)
        if target != marked:
            half_done += 1
            assert "GGK230" in check_codes(plans, "2027-01-15")
        subprocess.run(cmd, capture_output=True, env=env, check=True)
        target, marked = carried_state(plans)
        assert len(target) == 10 and target == marked
        assert "GGK230" not in check_codes(plans, "2027-01-15")
    print(f"{half_done} of 40 kills left a half-done carry-over; every re-run completed it")


# ============================================================================ links, read-only plans, leftovers


def test_a_symlinked_plan_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "elsewhere" / "2026.yaml"
    real.parent.mkdir()
    shutil.copy(PLANS / "example" / "2026.yaml", real)
    plans = tmp_path / "plans"
    (plans / "example").mkdir(parents=True)
    shutil.copy(PLANS / "example" / "unit.yaml", plans / "example" / "unit.yaml")
    link = plans / "example" / "2026.yaml"
    link.symlink_to(real)
    result = ggk(plans, "note", "example/2026/1", "经由链接记录")
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert "经由链接记录" in real.read_text(encoding="utf-8")
    assert temps(real.parent) == [] and temps(link.parent) == []
    assert tx.lock_path(link) == real.with_name(".2026.yaml.lock")  # one lock for every way to the file


def test_a_read_only_plan_is_not_rewritten(plan: Path) -> None:
    raw = plan.read_bytes()
    plan.chmod(0o444)
    try:
        result = ggk(plan.parent.parent, "note", "example/2026/1", "x")
        assert result.exit_code == 2 and "只读文件" in result.stderr and "chmod u+w" in result.stderr
        assert plan.read_bytes() == raw and temps(plan.parent) == []
        dry = ggk(plan.parent.parent, "note", "example/2026/1", "x", "--dry-run")  # showing the change is fine
        assert dry.exit_code == 0 and "+" in dry.stdout
    finally:
        plan.chmod(0o644)


def test_temporary_files_of_a_killed_write_are_removed_by_the_next_edit(plan: Path) -> None:
    """A write killed for real (SIGKILL while it syncs its temporary file) leaves the temporary file;
    the next edit of that plan removes it and says so."""
    script = (
        "import os, sys, time\n"
        "from ggk.workspace import files\n"
        "real = os.fsync\n"
        "def slow(fd):\n"
        "    print('writing', flush=True); time.sleep(60)\n"
        "files.os.fsync = slow\n"
        "from ggk.cli.program import main\n"
        f"sys.argv = ['ggk', '--plans', {str(plan.parent.parent)!r}, '--as-of', {TODAY!r}, 'note', 'example/2026/1', 'x']\n"
        "main()\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == b"writing"
    proc.kill()
    proc.wait()
    left = temps(plan.parent)
    assert len(left) == 1 and left[0].startswith(".2026.yaml.")
    foreign = plan.parent / ".notes.yaml.abcdefgh.tmp"  # not this plan's: left alone
    foreign.write_text("x")
    result = ggk(plan.parent.parent, "note", "example/2026/1", "再记一次")
    assert result.exit_code == 0 and f"已删除上次中断的写入留下的临时文件 {left[0]}" in result.stdout
    assert temps(plan.parent) == [foreign.name]


# ============================================================================ what an edit writes


def test_control_characters_are_refused(plan: Path) -> None:
    raw = plan.read_bytes()
    for text in ("\x1b[2J清屏", "窗口\x1b]0;标题\x07", "反转\u202e文字", "零宽\ufeff中间"):
        for args in (
            ["note", "example/2026/1", text],
            ["summary", "example/2026/1", text],
            ["note", "example/2026/1", "x", "--by-person", text],
        ):
            result = ggk(plan.parent.parent, *args)
            assert result.exit_code == 2 and "控制字符" in result.stderr, (args, result.output)
            assert "\x1b" not in result.stderr and "\u202e" not in result.stderr  # the message shows them escaped
            assert plan.read_bytes() == raw


def test_carriage_returns_and_a_leading_bom_are_cleaned_and_said(plan: Path) -> None:
    result = ggk(plan.parent.parent, "note", "example/2026/1", "第一行\r\n第二行\r第三行")
    assert result.exit_code == 0 and "回车符（\\r）改成了换行" in result.stdout
    text = plan.read_text(encoding="utf-8")
    assert "\r" not in text and "              第一行\n              第二行\n              第三行\n" in text  # a |- block
    result = ggk(plan.parent.parent, "summary", "example/2026/1", "\ufeff落实情况全文")
    assert result.exit_code == 0 and "去掉了开头的字节顺序标记" in result.stdout
    assert "\ufeff" not in plan.read_text(encoding="utf-8") and "落实情况全文" in plan.read_text(encoding="utf-8")


def test_an_item_whose_summary_starts_with_a_bom_can_be_edited(plan: Path) -> None:
    text = plan.read_text(encoding="utf-8")
    # as an editor pasting from a Windows program may leave it: a BOM opening the text, raw in the file
    edited, n = re.subn(r"        summary: \|-\n          6月18日[^\n]*\n", '        summary: "\ufeff6月18日公开"\n', text, count=1)
    assert n == 1
    plan.write_text(edited, encoding="utf-8")
    for args in (["summary", "example/2026/1", "新的落实情况"], ["note", "example/2026/1", "再记一条"], ["done", "example/2026/2"]):
        result = ggk(plan.parent.parent, *args)
        assert result.exit_code == 0, (args, result.output)
    after = plan.read_text(encoding="utf-8")
    assert '        summary: "新的落实情况"' in after or "        summary: 新的落实情况" in after
    assert "GGK" not in ggk(plan.parent.parent, "check").stdout.replace("GGK2", "")  # still a valid plan


def test_an_invalid_date_in_the_file_stops_the_edit_with_its_line(plan: Path) -> None:
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("completed: 2026-06-18", "completed: 2026-13-01", 1), encoding="utf-8")
    raw = plan.read_bytes()
    line = text[: text.index("completed: 2026-06-18")].count("\n") + 1
    result = ggk(plan.parent.parent, "note", "example/2026/2", "x")
    assert result.exit_code == 1 and f"2026.yaml:{line}:20: 错误[GGK104]" in result.stderr
    assert plan.read_bytes() == raw
