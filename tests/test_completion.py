"""Shell completion: the callbacks complete item references, units and departments from the
plans, cheaply and without ever raising; Typer's completion is installed on the app."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from ggk.cli.app import app
from ggk.cli.completion import complete_dept, complete_ref, complete_unit

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans"


def ctx(plans: Path | None = PLANS, **params: object) -> SimpleNamespace:
    """What Click hands the callback: the parsed params, and the root context's (global --plans)."""
    root = SimpleNamespace(params={"plans": [plans] if plans else None}, parent=None)
    return SimpleNamespace(params=params, parent=root)


def test_refs_complete_from_the_plans() -> None:
    got = complete_ref(ctx(), "gansu-jtt/2021/1")  # type: ignore[arg-type]
    refs = [r for r, _ in got]
    assert "gansu-jtt/2021/1" in refs and "gansu-jtt/2021/15" in refs
    assert all(r.startswith("gansu-jtt/2021/1") for r in refs)
    assert dict(got)["gansu-jtt/2021/1"] == "做好交通运输规划信息公开"  # the title as help


def test_refs_everything_on_empty_input() -> None:
    refs = [r for r, _ in complete_ref(ctx(), "")]  # type: ignore[arg-type]
    assert {r.split("/")[0] for r in refs} >= {"example", "gansu-jtt", "guangyuan-jtj", "jilin-jtt", "yaoan-jtj"}
    assert len(refs) == len(set(refs))


def test_command_line_plans_win_over_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GGK_PLANS", str(tmp_path))
    assert complete_ref(ctx(None), "") == []  # type: ignore[arg-type]  # empty folder from the env
    assert complete_ref(ctx(PLANS / "example"), "example/2026/1")  # type: ignore[arg-type]
    # the command's own --plans counts too
    own = SimpleNamespace(params={"plans": [PLANS / "jilin-jtt"]}, parent=SimpleNamespace(params={}, parent=None))
    assert {r.split("/")[0] for r, _ in complete_ref(own, "")} == {"jilin-jtt"}  # type: ignore[arg-type]


def test_units_and_departments() -> None:
    units = dict(complete_unit(ctx(), "g"))  # type: ignore[arg-type]
    assert units == {"gansu-jtt": "甘肃省交通运输厅", "guangyuan-jtj": "广元市交通运输局"}
    depts = dict(complete_dept(ctx(PLANS / "example"), "局"))  # type: ignore[arg-type]
    assert "局办公室" in depts and "局属各单位" in depts
    aliases = dict(complete_dept(ctx(PLANS / "example"), "办公"))  # type: ignore[arg-type]
    assert aliases["办公室"].startswith("即 局办公室")
    # --unit already on the line narrows the departments to that unit
    example = {n for n, _ in complete_dept(ctx(unit=["example"]), "")}  # type: ignore[arg-type]
    gansu = {n for n, _ in complete_dept(ctx(unit=["gansu-jtt"]), "")}  # type: ignore[arg-type]
    assert "局办公室" in example and "局办公室" not in gansu


def test_never_raises_on_broken_or_missing_plans(tmp_path: Path) -> None:
    unit = tmp_path / "bad"
    unit.mkdir()
    (unit / "unit.yaml").write_text("name: [未闭合\n", encoding="utf-8")
    (unit / "2021.yaml").write_text("sections: 3\n", encoding="utf-8")
    (unit / "2022.yaml").write_bytes(b"\xff\xfe\x00garbage")
    (unit / "2023.yaml").write_text(
        "unit: bad\nyear: 2023\nsections:\n  - items:\n      - id: 7\n        title: 好的条目\n", encoding="utf-8"
    )
    assert complete_ref(ctx(tmp_path), "") == [("bad/2023/7", "好的条目")]  # type: ignore[arg-type]
    assert complete_dept(ctx(tmp_path), "") == []  # type: ignore[arg-type]
    assert complete_unit(ctx(tmp_path), "") == [("bad", "")]  # type: ignore[arg-type]
    for fn in (complete_ref, complete_dept, complete_unit):
        assert fn(ctx(tmp_path / "missing"), "x") == []  # type: ignore[arg-type]
        assert isinstance(fn(None, "x"), list)  # type: ignore[arg-type]  # no context at all


def test_completion_is_installed_on_the_app() -> None:
    res = CliRunner().invoke(app, ["--help"])
    assert "--install-completion" in res.output and "--show-completion" in res.output


def test_shell_asks_for_show_ref() -> None:
    # What the installed zsh script does on Tab: run ggk with the completion variables set.
    env = {**os.environ, "_GGK_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": f"ggk --plans {PLANS} show jilin-jtt/2022/1"}
    res = CliRunner().invoke(app, [], env=env, prog_name="ggk")
    assert "jilin-jtt/2022/1" in res.output
    env["_TYPER_COMPLETE_ARGS"] = f"ggk list --plans {PLANS / 'example'} --dept 局财"
    res = CliRunner().invoke(app, [], env=env, prog_name="ggk")
    assert "局财务股" in res.output
