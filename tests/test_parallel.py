"""Cold runs read plan files in forked workers (``ggk.workspace.cache.Prefetch``): same answers, same entries."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ggk.cli.app import app
from ggk.workspace import cache
from tests.conftest import make_unit
from tests.test_cache import PROBLEMS, TODAY, only_open, snapshot

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers are forked")


@pytest.fixture
def mixed(plans_copy: Path) -> Path:
    make_unit(plans_copy, PROBLEMS, slug="t", year=2026)
    (plans_copy / "t" / "2025.yaml").write_text("format: 1\nunit: t\n  year: [\n", encoding="utf-8")
    return plans_copy


def jobs(monkeypatch: pytest.MonkeyPatch, cache_root: Path, n: int) -> None:
    monkeypatch.setenv("GGK_CACHE_DIR", str(cache_root))
    monkeypatch.setenv("GGK_JOBS", str(n))
    monkeypatch.setattr(cache, "PARALLEL_MIN", 0)


def entries(root: Path) -> dict[str, tuple[dict, dict]]:
    out = {}
    for p in sorted((root / "files").rglob("*.ggkc")):
        e = cache.read_entry(p)
        assert e is not None
        header = {k: v for k, v in e.header.items() if k not in ("stat", "read_ns", "blobs")}
        out[header["shown"]] = (header, {spec[0]: e.blob(spec[0]) for spec in e.header["blobs"]})
    return out


def test_parallel_cold_run_is_the_serial_one(mixed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    taken = []
    real = cache.Cache._prefetched

    def spy(self: cache.Cache, *a: object) -> object:
        taken.append(a[1])
        return real(self, *a)  # type: ignore[arg-type]

    monkeypatch.setattr(cache.Cache, "_prefetched", spy)
    reference = snapshot([mixed], use_cache=False)
    for only in (False, True):
        jobs(monkeypatch, tmp_path / f"serial{only}", 1)
        serial = snapshot([mixed], use_cache=True, only_open=only)
        assert not taken
        jobs(monkeypatch, tmp_path / f"parallel{only}", 2)
        parallel = snapshot([mixed], use_cache=True, only_open=only)
        assert taken  # the bundled plans went through the workers; the broken ones did not
        assert Path(mixed / "t" / "2026.yaml") not in taken and Path(mixed / "t" / "2025.yaml") not in taken
        taken.clear()
        assert parallel == serial == (only_open(reference) if only else reference)
        assert entries(tmp_path / f"parallel{only}") == entries(tmp_path / f"serial{only}")
        warm = snapshot([mixed], use_cache=True, only_open=only)  # served by the index the parallel run wrote
        assert warm == parallel
    # the index the subset run wrote (its workers kept the whole plans in their entries) serves a whole run too
    _ws, _d, c = cache.open_cached([mixed], TODAY)
    assert c.indexed
    assert snapshot([mixed], use_cache=True) == reference


def test_parallel_check_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.test_check import CASES

    plans = tmp_path / "plans"
    for i, (_name, text, _code, _pos) in enumerate(CASES):
        make_unit(plans, text, slug=f"c{i}", year=2021)
    runner = CliRunner()
    args = ["--as-of", "2021-12-31", "check", str(plans)]
    for fmt in (["--format", "json"], []):
        fresh = runner.invoke(app, ["--no-cache", *args, *fmt])
        jobs(monkeypatch, tmp_path / f"c{len(fmt)}", 2)
        cold = runner.invoke(app, [*args, *fmt])
        warm = runner.invoke(app, [*args, *fmt])
        assert fresh.stdout == cold.stdout == warm.stdout
        assert fresh.exit_code == cold.exit_code == warm.exit_code
