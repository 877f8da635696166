"""Several ggk processes editing the same plan: no entry is lost (the lock), and a process killed
in the middle of a write never leaves a torn file (the atomic replace)."""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import yaml

from ggk.diagnostics import Severity
from ggk.workspace.checks import validate
from ggk.workspace.load import load

ROOT = Path(__file__).resolve().parent.parent

UNIT = """\
format: 1
name: 测试局
departments:
  - name: 局办公室
    aliases: [办公室]
"""

PLAN = """\
# 并发测试用的小计划
format: 1
unit: t
year: 2026
title: 测试局2026年政务公开工作要点
sections:
  - "no": 一
    title: 第一部分
    items:
      - id: "1"
        title: 甲
        lead: [局办公室]
      # 第二条
      - id: "2"
        title: 乙
        lead: [局办公室]
        status: 进行中
"""

NOTE_WORKER = textwrap.dedent(
    """
    import sys
    from typer.testing import CliRunner
    from ggk.cli.app import app

    plans, worker, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    runner = CliRunner()
    for k in range(count):
        item = "t/2026/" + ("1" if k % 2 else "2")
        result = runner.invoke(app, ["--plans", plans, "--as-of", "2026-11-21", "note", item, f"w{worker}-{k}", "--by", "办公室"])
        if result.exit_code != 0:
            print(result.output, result.stderr, file=sys.stderr)
            sys.exit(1)
    """
)

KILL_WORKER = textwrap.dedent(
    """
    import datetime as dt, sys
    from ggk.ledger import edits
    from ggk.yamlfiles import patch as store_patch
    from ggk.workspace import transaction as store_tx
    path = sys.argv[1]
    print("ready", flush=True)
    k = 0
    while True:
        k += 1
        store_tx.edit_plan(path, lambda d: edits.note(d, "1", f"第{k}次\\n第二行", date=dt.date(2026, 11, 21)), today=dt.date(2026, 11, 21))
    """
)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _make_plans(tmp_path: Path) -> Path:
    unit = tmp_path / "plans" / "t"
    unit.mkdir(parents=True)
    (unit / "unit.yaml").write_text(UNIT, encoding="utf-8")
    (unit / "2026.yaml").write_text(PLAN, encoding="utf-8")
    return tmp_path / "plans"


def test_processes_times_edits_all_land(tmp_path: Path) -> None:
    plans = _make_plans(tmp_path)
    n, m = 4, 20
    procs = [
        subprocess.Popen([sys.executable, "-c", NOTE_WORKER, str(plans), str(w), str(m)], env=_env(), stderr=subprocess.PIPE, text=True)
        for w in range(n)
    ]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    text = (plans / "t" / "2026.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    notes = [e["note"] for it in data["sections"][0]["items"] for e in it.get("log", [])]
    assert len(notes) == n * m
    assert sorted(notes) == sorted(f"w{w}-{k}" for w in range(n) for k in range(m))
    assert all(e["by"] == "局办公室" for it in data["sections"][0]["items"] for e in it["log"])
    # Still a careful hand edit: the header and the comment before item 2 are where they were.
    assert text.startswith(PLAN.split("      # 第二条")[0]) and '      # 第二条\n      - id: "2"' in text


def test_kill_during_write_leaves_a_valid_file(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "plans" / "example", tmp_path / "example")
    path = tmp_path / "example" / "2026.yaml"
    rng = random.Random(20261121)
    for _ in range(3):
        proc = subprocess.Popen([sys.executable, "-c", KILL_WORKER, str(path)], env=_env(), stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        try:
            proc.wait(timeout=rng.uniform(0.2, 1.2))
        except subprocess.TimeoutExpired:
            pass
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert proc.returncode == -signal.SIGKILL  # it was still looping: killed mid-work
        ws = load([path.parent])
        assert [e.path.name for e in ws.plans] == ["2026.yaml"]
        errors = [d for d in validate(ws, dt.date(2026, 11, 21)) if d.severity is Severity.ERROR]
        assert errors == []
    # Leftover temporary files of a killed write are never mistaken for plans.
    assert all(p.suffix in (".yaml", ".lock", ".tmp") for p in path.parent.iterdir())
