"""Bad input never crashes ggk: random damage to the real plan files always ends in diagnostics.

Each example takes a bundled plan or unit file, damages it the way hands and tools do (a character
deleted or inserted, a line duplicated, indented or dropped, a tab, a stray quote, bytes cut off), then
loads and checks it through the library and through `ggk check` / `ggk status`: no exception, every
diagnostic has a file, a line within the file and a code, and the exit code is 0, 1 or 2.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ggk.cli.app import app
from ggk.workspace.checks import validate
from ggk.workspace.load import load
from tests.conftest import PLANS

FILES = sorted(p for p in PLANS.glob("*/*.yaml"))
TODAY = dt.date(2026, 11, 21)
NOISE = ["\t", ":", "- ", "[", "]", "{", "'", '"', "#", "&a ", "*a", "？", "：", "\ufeff", "  ", "\n", "2021-02-30", "no"]


@st.composite
def damaged(draw: st.DrawFn) -> tuple[Path, bytes]:
    path = draw(st.sampled_from(FILES))
    lines = path.read_text(encoding="utf-8").split("\n")
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["insert", "delete", "dup", "drop", "indent", "dedent"]))
        line = lines[i]
        if kind == "insert":
            at = draw(st.integers(0, len(line)))
            lines[i] = line[:at] + draw(st.sampled_from(NOISE)) + line[at:]
        elif kind == "delete" and line:
            at = draw(st.integers(0, len(line) - 1))
            lines[i] = line[:at] + line[at + 1 :]
        elif kind == "dup":
            lines.insert(i, line)
        elif kind == "drop":
            del lines[i]
        elif kind == "indent":
            lines[i] = "  " + line
        elif kind == "dedent":
            lines[i] = line[2:] if line.startswith("  ") else line
    raw = "\n".join(lines).encode("utf-8")
    if draw(st.booleans()) and len(raw) > 10:
        raw = raw[: draw(st.integers(1, len(raw) - 1))]  # cut off, possibly inside a character
    return path, raw


@settings(
    max_examples=int(__import__("os").environ.get("GGK_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=damaged())
def test_damaged_files_give_diagnostics_not_crashes(tmp_path_factory, case):
    path, raw = case
    root = tmp_path_factory.mktemp("plans")
    for f in FILES:
        dest = root / f.parent.name / f.name
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(raw if f == path else f.read_bytes())
    ws = load([root])
    diags = validate(ws, TODAY)
    damaged_file = root / path.parent.name / path.name
    n_lines = raw.count(b"\n") + 2
    for d in diags:
        assert d.code.startswith("GGK") and d.line >= 1 and d.col >= 1
        if d.path == str(damaged_file):
            assert d.line <= n_lines


def test_cli_on_damaged_files_never_tracebacks(runner, tmp_path):
    examples = [b"format: 1\nunit: [\n", b"\xff\xfe\x00garbage", b"- 1\n- 2\n", b"format: 1\n\tunit: x\n", b""]
    for i, raw in enumerate(examples):
        folder = tmp_path / f"u{i}"
        folder.mkdir()
        (folder / "unit.yaml").write_bytes(raw)
        (folder / "2026.yaml").write_bytes(raw)
    for args in (["check", str(tmp_path), "--format", "json"], ["--plans", str(tmp_path), "status"], ["--plans", str(tmp_path), "overdue"]):
        result = runner.invoke(app, ["--as-of", "2026-11-21", *args])
        assert result.exit_code in (0, 1, 2), result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert "Traceback" not in result.output
    data = json.loads(runner.invoke(app, ["--as-of", "2026-11-21", "check", str(tmp_path), "--format", "json"]).stdout)
    assert {d["code"] for d in data["diagnostics"]} >= {"GGK001", "GGK002", "GGK003", "GGK102"}
