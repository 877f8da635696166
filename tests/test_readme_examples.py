"""The README's examples work as written: every `ggk …` line of the quick-look block and of the editing
block runs (in order, on a copy of the bundled plans, as of 2026-11-21) and succeeds."""

from __future__ import annotations

import re
import shlex

from ggk.cli.app import app
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _block_after(heading: str) -> list[str]:
    start = README.index(heading)
    body = README[start:].split("```sh\n", 1)[1].split("```", 1)[0]
    out = []
    for line in body.splitlines():
        line = re.sub(r"\s+#.*$", "", line).strip()
        if line.startswith("ggk "):
            out.append(line)
    return out


def _run(runner, plans, line, tmp_path):
    args = shlex.split(line)[1:]
    return runner.invoke(app, ["--plans", str(plans), "--as-of", "2026-11-21", *args], catch_exceptions=False)


def test_quick_look_examples(runner, plans_copy, tmp_path):
    lines = _block_after("## 随附的计划")
    assert len(lines) >= 6
    for line in lines:
        line = line.replace("ggk check plans", f"ggk check {plans_copy}")
        result = _run(runner, plans_copy, line, tmp_path)
        assert result.exit_code == 0, (line, result.output)


def test_editing_examples(runner, plans_copy, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "落实情况.txt").write_text("全年公开建议提案复文21件，办结率100%。\n", encoding="utf-8")
    lines = _block_after("### 交办和报送进展")
    assert len(lines) >= 10
    for line in lines:
        result = _run(runner, plans_copy, line, tmp_path)
        assert result.exit_code == 0, (line, result.output)
    check = runner.invoke(app, ["--as-of", "2026-11-21", "check", str(plans_copy)])
    assert check.exit_code == 0, check.output
    show = runner.invoke(app, ["--plans", str(plans_copy), "--as-of", "2026-11-21", "show", "example/2026/9", "--format", "json"])
    assert "办结率100%" in show.stdout


def test_year_end_examples(runner, plans_copy, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lines = _block_after("### `ggk review") + _block_after("### `ggk report") + _block_after("### `ggk notice")
    assert len(lines) >= 6
    for line in lines:
        result = _run(runner, plans_copy, line, tmp_path)
        assert result.exit_code == 0, (line, result.output)
    assert (tmp_path / "回头看.docx").stat().st_size > 0
    assert (tmp_path / "工作台账.xlsx").stat().st_size > 0
    assert (plans_copy / "example" / "2027.yaml").exists()  # carried over
    assert runner.invoke(app, ["--as-of", "2027-01-05", "check", str(plans_copy)]).exit_code == 0
