"""Shared fixtures: the bundled plans, a CLI runner, and small plan folders written inline."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans"
SEEDS = ROOT / "tests" / "data" / "seeds"  # the real documents, in the repository: tests need nothing outside it
#: the seed documents by number (000 甘肃2021要点 … 004 姚安2018实施方案)
SEED_NUMBERS = ("000", "001", "002", "003", "004")


def seed(prefix: str) -> Path:
    """The seed document numbered ``prefix``; a test that needs it fails (never skips) when it is missing."""
    found = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if len(found) != 1:
        raise AssertionError(f"seed document {prefix} missing from {SEEDS} (found {len(found)})")
    return found[0]


UNIT_YAML = """\
format: 1
name: 测试县交通运输局
departments:
  - name: 局办公室
    aliases: [办公室]
  - name: 局政策法规股
    aliases: [政策法规股]
  - name: 局财务室
  - name: 相关股室
    group: true
"""


@pytest.fixture(autouse=True)
def cache_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own parse cache, outside its tmp_path and not created until ggk writes to
    it, so tests never read or write the user's cache."""
    folder = tmp_path_factory.mktemp("cache") / "ggk"
    monkeypatch.setenv("GGK_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def plans_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled plans (tests may change it)."""
    dest = tmp_path / "plans"
    shutil.copytree(PLANS, dest, ignore=shutil.ignore_patterns(".*"))
    return dest


def plan_yaml(items: str, *, year: int = 2021, section: str = "一", head: str = "") -> str:
    """The text of a plan of unit ``t`` for ``year`` with one section holding ``items`` (the YAML of the
    item list, as written at the left margin); ``head`` adds keys of the plan (``issued: …``)."""
    top = f"format: 1\nunit: t\nyear: {year}\ntitle: 测试县交通运输局{year}年政务公开工作要点\n{head}"
    return top + f"sections:\n  - title: {section}\n    items:\n" + textwrap.indent(textwrap.dedent(items), "      ")


@pytest.fixture
def example_unit(tmp_path: Path) -> Path:
    """A plans folder with a copy of the example unit alone (and the holiday files)."""
    dest = tmp_path / "plans"
    shutil.copytree(PLANS / "example", dest / "example")
    shutil.copytree(PLANS / "_holidays", dest / "_holidays")
    return dest


def make_unit(root: Path, plan: str | bytes | None = None, *, unit: str = UNIT_YAML, slug: str = "t", year: int = 2021) -> Path:
    """Write plans/<slug>/unit.yaml and (optionally) plans/<slug>/<year>.yaml; return the plan path."""
    folder = root / slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "unit.yaml").write_text(unit, encoding="utf-8")
    path = folder / f"{year}.yaml"
    if plan is not None:
        if isinstance(plan, bytes):
            path.write_bytes(plan)
        else:
            path.write_text(textwrap.dedent(plan), encoding="utf-8")
    return path


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every file the positional parser reads (on the careful path or for a line number)."""
    seen: list[str] = []
    from ggk.workspace import load as loader

    real = loader.read_file

    def counting(path: str, raw: bytes | None = None, **kw: Any) -> Any:
        seen.append(path)
        return real(path, raw, **kw)

    monkeypatch.setattr(loader, "read_file", counting)
    return seen
