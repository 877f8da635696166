"""The pre-commit hook: .pre-commit-hooks.yaml runs ``ggk check`` on the files pre-commit passes."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from ggk.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def hook() -> dict:
    (found,) = [h for h in HOOKS if h["id"] == "ggk-check"]
    return found


def test_hook_definition() -> None:
    h = hook()
    assert h["entry"] == "ggk check"
    assert h["language"] == "python"
    assert h["pass_filenames"] is True
    assert {"id", "name", "entry", "language"} <= set(h)


@pytest.mark.parametrize(
    ("path", "checked"),
    [
        ("plans/gansu-jtt/2021.yaml", True),
        ("plans/gansu-jtt/unit.yaml", True),
        ("plans/example/2026.yml", True),
        ("plans/gansu-jtt/notes.yaml", True),  # ggk check warns about a stray file name
        ("plans/_holidays/2026.yaml", False),  # not a unit
        ("plans/.cache/x.yaml", False),
        ("plans/README.md", False),
        ("tests/golden/ci/plans/demo/2021.yaml", False),
        ("schema/plan.schema.json", False),
    ],
)
def test_hook_files_pattern(path: str, checked: bool) -> None:
    assert bool(re.search(hook()["files"], path)) is checked


def run_entry(*files: str, cwd: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    """Run the hook as pre-commit does: its entry, then the file names (from the repository root)."""
    argv = shlex.split(hook()["entry"])
    assert argv[0] == "ggk"
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("GGK_TODAY", "2026-11-21")
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    result = CliRunner().invoke(app, [*argv[1:], *files])
    return result.exit_code, result.stdout


def test_entry_on_bundled_files(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out = run_entry("plans/example/2026.yaml", "plans/jilin-jtt/unit.yaml", cwd=ROOT, monkeypatch=monkeypatch)
    assert code == 0, out
    # the plan file was read with its unit.yaml: 3 files (2026.yaml, example/unit.yaml, jilin unit.yaml)
    assert "检查了 3 个文件" in out


def test_entry_on_a_unit_file_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out = run_entry("plans/gansu-jtt/unit.yaml", cwd=ROOT, monkeypatch=monkeypatch)
    assert code == 0, out
    assert "检查了 1 个文件" in out


def test_entry_fails_on_a_broken_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    unit = tmp_path / "plans" / "demo"
    unit.mkdir(parents=True)
    (unit / "unit.yaml").write_text("name: 演示局\ndepartments: [办公室]\n", encoding="utf-8")
    (unit / "2021.yaml").write_text(
        "unit: demo\nyear: 2021\ntitle: t\nsections:\n  - title: 一\n    items:\n"
        "      - id: 1\n        title: a\n        lead: [办公室]\n        staus: 进行中\n",
        encoding="utf-8",
    )
    code, out = run_entry("plans/demo/2021.yaml", cwd=tmp_path, monkeypatch=monkeypatch)
    assert code == 1
    assert "plans/demo/2021.yaml:10:9: 错误[GGK101]" in out and "是不是「status」" in out


def test_entry_as_a_process(tmp_path: Path) -> None:
    # pre-commit runs the entry as a program; `python -m ggk` is the same console script.
    argv = shlex.split(hook()["entry"])
    cmd = [sys.executable, "-m", "ggk", *argv[1:], "plans/example/unit.yaml"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env={"GGK_TODAY": "2026-11-21", "PATH": ""}, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "没有发现问题" in proc.stdout
