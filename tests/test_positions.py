"""Diagnostic positions: reports that count problems never parse a file again for line numbers, a warm
``ggk check`` parses no file at all, and ``ggk check`` shows the same lines, columns and order with and
without the cache, before and after files change."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ggk.cli.app import app
from ggk.workspace import load as loader
from ggk.workspace.cache import open_cached
from ggk.workspace.checks import validate
from ggk.workspace.session import open_workspace
from tests.conftest import make_unit

TODAY = dt.date(2026, 11, 21)

#: a readable plan with warnings and errors that only the cross-file checks find
WARNINGS = """\
format: 1
unit: t
year: 2026
title: 测试县交通运输局2026年政务公开工作要点
sections:
  - title: 一、重点领域
    items:
      - id: "1"
        title: 预算公开
        text: 6月底前公开部门预算。
        lead: [办公室]
        status: 进行中
      - id: "2"
        title: 没有责任单位
        status: 未启动
      - id: "3"
        title: 未登记的部门
        lead: [不存在的科]
        status: 进行中
"""


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    root = tmp_path / "plans"
    make_unit(root, WARNINGS, slug="t", year=2026)
    return root


def shown(diags: list[Any]) -> list[Any]:
    return [(d.to_json(), d.loc) for d in diags]


@pytest.mark.parametrize("use_cache", [False, True])
def test_counting_problems_parses_nothing_again(plans: Path, parses: list[str], use_cache: bool) -> None:
    reference = validate(loader.load([plans]), TODAY)
    assert {d.code for d in reference} >= {"GGK202", "GGK203", "GGK212"}
    files = sorted(str(p) for p in plans.glob("t/*.yaml"))
    for run in ("cold", "warm"):
        parses.clear()
        session = open_workspace([plans], TODAY, use_cache=use_cache)
        assert session.problems == 1  # GGK202; the rest are warnings
        read = sorted(parses)
        assert read == ([] if use_cache and run == "warm" else files)  # each file once, to load it
        assert shown(session.diagnostics) == shown(reference)
        assert sorted(parses) == read  # showing the problems parsed nothing more


def test_a_file_read_afresh_is_parsed_once(plans: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Making a file's cache entry locates its per-file findings in the tree just parsed: the plan with
    warnings is parsed once, not again for their line numbers."""
    from ggk.yamlfiles import dialect

    texts: list[str] = []
    real = dialect.pyyaml_parser
    monkeypatch.setattr(dialect, "pyyaml_parser", lambda text: texts.append(text) or real(text))
    session = open_workspace([plans], TODAY)
    assert {d.code for d in session.diagnostics} >= {"GGK202", "GGK203", "GGK212"}
    assert len(texts) == len(list(plans.glob("t/*.yaml"))) == 2  # the plan and the unit file, once each


def test_findings_located_later_are_where_check_puts_them(plans: Path) -> None:
    reference = shown(validate(loader.load([plans]), TODAY))
    for _run in ("cold", "warm"):
        ws, diags, _cache = open_cached([plans], TODAY, positions=False)
        assert shown(ws.resolve_positions(diags)) == reference
        assert shown(open_cached([plans], TODAY)[1]) == reference


def test_check_output_is_the_same_with_and_without_cache(plans: Path) -> None:
    runner = CliRunner()
    for fmt in ("text", "json", "csv", "github", "gitlab", "junit"):
        args = ["--plans", str(plans), "--as-of", "2026-11-21", "check", "--format", fmt]
        fresh = runner.invoke(app, ["--no-cache", *args])
        cold, warm = runner.invoke(app, args), runner.invoke(app, args)
        assert fresh.exit_code == cold.exit_code == warm.exit_code == 1
        assert fresh.output == cold.output == warm.output
    text = runner.invoke(app, ["--plans", str(plans), "--as-of", "2026-11-21", "check"]).output
    path = plans / "t" / "2026.yaml"
    assert f"{path}:13:13: 警告[GGK203]" in text
    assert f"{path}:18:16: 错误[GGK202]" in text


# ------------------------------------------------------------------ positions kept with the cache
# The cache keeps the positions of a file's findings with what it keeps of the file (they depend only
# on its bytes), so a repeated check parses no file again — and shows exactly what it showed before.

OTHER = WARNINGS.replace("year: 2026", "year: 2025").replace("2026年", "2025年")


@pytest.fixture
def two_years(plans: Path) -> Path:
    """The plans of ``plans`` plus the unit's 2025 plan, with findings of its own."""
    (plans / "t" / "2025.yaml").write_text(OTHER, encoding="utf-8")
    return plans


def test_a_repeated_check_parses_nothing(two_years: Path, parses: list[str]) -> None:
    plans = two_years
    reference = shown(validate(loader.load([plans]), TODAY))
    parses.clear()
    assert shown(open_cached([plans], TODAY)[1]) == reference  # cold: each file once
    assert sorted(parses) == sorted(str(p) for p in plans.glob("t/*.yaml"))
    for _run in ("warm", "warm again"):
        parses.clear()
        assert shown(open_cached([plans], TODAY)[1]) == reference
        assert parses == []


def test_positions_follow_the_content(two_years: Path, parses: list[str]) -> None:
    plans = two_years
    open_cached([plans], TODAY)
    other = plans / "t" / "2025.yaml"
    other.write_text(OTHER.replace("预算公开", "决算公开"), encoding="utf-8")
    reference = shown(validate(loader.load([plans]), TODAY))
    parses.clear()
    assert shown(open_cached([plans], TODAY)[1]) == reference
    assert parses == [str(other)]
    # The file itself changes (lines move): its positions are found again, never taken from before.
    plan = plans / "t" / "2026.yaml"
    plan.write_text(WARNINGS.replace("sections:\n", "# 注释\n\nsections:\n"), encoding="utf-8")
    reference = shown(validate(loader.load([plans]), TODAY))
    parses.clear()
    got = shown(open_cached([plans], TODAY)[1])
    assert got == reference
    assert parses == [str(plan)]
    parses.clear()
    assert shown(open_cached([plans], TODAY)[1]) == got
    assert parses == []


def test_check_output_unchanged_on_repeated_runs(plans: Path) -> None:
    runner = CliRunner()
    args = ["--plans", str(plans), "--as-of", "2026-11-21", "check"]
    fresh = runner.invoke(app, ["--no-cache", *args]).output
    assert [runner.invoke(app, args).output for _ in range(3)] == [fresh] * 3
