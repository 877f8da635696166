"""The ``ggk`` program as installed (``ggk.cli.program.main``), through real processes: exit codes,
output into a closed pipe or a full disk, and the one-command application it runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def ggk(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GGK_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "ggk", *args], capture_output=True, text=True, env=env, timeout=60)


def test_exit_codes_and_output(tmp_path: Path) -> None:
    plans = str(ROOT / "plans")
    version = ggk("--version", cache=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("ggk ")
    report = ggk("--plans", plans, "--as-of", "2026-11-21", "overdue", "--fail", cache=tmp_path)
    assert report.returncode == 1  # overdue items and --fail
    assert report.stdout.startswith("逾期条目（截至 2026-11-21）") and report.stdout.endswith("\n")
    again = ggk("--plans", plans, "--as-of", "2026-11-21", "overdue", cache=tmp_path)
    assert again.returncode == 0 and again.stdout == report.stdout  # the whole output, warm as cold
    missing = ggk("--plans", str(tmp_path / "nowhere"), "status", cache=tmp_path)
    assert missing.returncode == 2 and "找不到计划目录或文件" in missing.stderr and "Traceback" not in missing.stderr
    usage = ggk("overdue", "--bogus", cache=tmp_path)
    assert usage.returncode == 2 and "--bogus" in usage.stderr


def test_output_into_a_closed_pipe(tmp_path: Path) -> None:
    env = {**os.environ, "GGK_CACHE_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    cmd = f"{sys.executable} -m ggk --plans {ROOT / 'plans'} --as-of 2026-11-21 list --all-years | head -n 1"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, text=True, env=env, timeout=60)
    assert done.stdout.count("\n") == 1
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


def test_output_that_cannot_be_written(tmp_path: Path) -> None:
    """A full disk under ``ggk status > file``: a Chinese message and exit 2, never a silent 0."""
    full = Path("/dev/full")
    if not full.exists():
        import pytest

        pytest.skip("no /dev/full on this system")
    env = {**os.environ, "GGK_CACHE_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    with full.open("w") as out:
        done = subprocess.run(
            [sys.executable, "-m", "ggk", "--plans", str(ROOT / "plans"), "--as-of", "2026-11-21", "status"],
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=60,
        )
    assert done.returncode == 2
    assert "无法写出结果" in done.stderr and "Traceback" not in done.stderr and "内部错误" not in done.stderr
    assert done.stderr.count("错误") == 1


def test_the_one_command_application_behaves_as_the_whole(tmp_path: Path) -> None:
    """``main`` runs a command through an application that holds only that command: the output and the
    exit code are those of the whole application, for reports, help, mistakes and global options."""
    import typer.main
    from typer.testing import CliRunner

    from ggk.cli.app import VALUED_GLOBALS, app, app_for, command_named

    # every global option that takes a value is known to the command finder (else its value would be
    # taken for the command)
    group = typer.main.get_command(app)
    valued = {opt for p in group.params if not getattr(p, "is_flag", False) for opt in p.opts if opt.startswith("--")}
    assert valued == set(VALUED_GLOBALS)

    plans = str(ROOT / "plans")
    cases = [
        ["--plans", plans, "--as-of", "2026-11-21", "overdue"],
        ["--as-of", "2026-11-21", "--plans", plans, "--no-cache", "status", "--by", "unit"],
        ["--plans", plans, "--as-of", "2026-11-21", "list", "--all-years", "--format", "csv"],
        ["overdue", "--help"],
        ["--plans", plans, "show"],  # a missing argument
        ["status", "--bogus"],
        ["overdu"],  # mistyped: the whole application, which suggests the right one
        ["--plans", "overdue", "status"],  # a plans directory named like a command
        ["--version", "status"],
        ["date", "--help"],
        [],
    ]
    runner = CliRunner()
    env = {"GGK_CACHE_DIR": str(tmp_path), "COLUMNS": "100"}
    named = []
    for args in cases:
        one = app_for(args)
        named.append(one is not app)
        whole, narrow = runner.invoke(app, args, env=env), runner.invoke(one, args, env=env)
        assert (narrow.exit_code, narrow.output) == (whole.exit_code, whole.output), args
    assert named == [True, True, True, True, True, True, False, True, True, False, False]
    assert command_named(["--plans", "x", "--", "status"]) is None


def test_the_program_runs_without_the_cyclic_collector(tmp_path: Path) -> None:
    """``ggk`` (console script and ``python -m ggk``) runs without the cyclic garbage collector; the
    library, imported by another program, leaves it as it is (tests/test_cache.py)."""
    probe = (
        "import gc, sys; import ggk.cli.app, ggk.ledger.queries; print(gc.isenabled()); sys.argv = ['ggk', '--version']\n"
        "from ggk.cli import program\nimport atexit; atexit.register(lambda: print(gc.isenabled()))\nprogram.main()"
    )
    env = {**os.environ, "GGK_CACHE_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60)
    assert done.stdout.split() == ["True", "ggk", done.stdout.split()[2], "False"], done.stdout


def test_long_output_is_written_whole(capsys: pytest.CaptureFixture[str]) -> None:
    """Output longer than the pieces stdout is written in (Chinese text, lines across piece ends)
    arrives whole and in order."""
    from ggk.cli import common

    text = "".join(f"{i:06d} 逾期 {i % 97} 天 推进政务公开标准化规范化\n" for i in range(12_000))
    assert len(text) > 3 * common._PIECE
    common.write_output(text)
    assert capsys.readouterr().out == text
