"""``ggk check`` keeps the positions it found with the cache (they depend only on a file's bytes), so a
repeated check parses no file again for line numbers — and shows exactly what it showed before."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ggk import loader
from ggk.cache import open_cached
from ggk.checks import validate
from ggk.cli.app import app
from tests.conftest import make_unit
from tests.test_positions import WARNINGS, shown

TODAY = dt.date(2026, 11, 21)
OTHER = WARNINGS.replace("year: 2026", "year: 2025").replace("2026年", "2025年")


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("GGK_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    root = tmp_path / "plans"
    plan = make_unit(root, WARNINGS, slug="t", year=2026)
    (plan.parent / "2025.yaml").write_text(OTHER, encoding="utf-8")
    if loader.fast_data(plan.read_bytes()) is None:
        pytest.skip("the fast path (yaml_rs) is not available")
    return root


def test_a_repeated_check_parses_nothing(plans: Path, parses: list[str]) -> None:
    reference = shown(validate(loader.load([plans]), TODAY))
    parses.clear()
    assert shown(open_cached([plans], TODAY)[1]) == reference  # cold: each file with findings once
    assert sorted(parses) == sorted(str(plans / "t" / f"{y}.yaml") for y in (2025, 2026))
    for _run in ("index", "index again"):
        parses.clear()
        assert shown(open_cached([plans], TODAY)[1]) == reference
        assert parses == []


def test_positions_outlive_the_index_and_follow_the_content(plans: Path, parses: list[str]) -> None:
    open_cached([plans], TODAY)
    # Another file changes: the index is remade from the entries, which kept their positions.
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
