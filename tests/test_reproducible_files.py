"""Office files are reports too: made again for the same day they are the same bytes, and nothing in
them is the clock (the zip members' times, the document's created/modified dates)."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

from typer.testing import CliRunner

from ggk.cli.app import app
from tests.conftest import PLANS

DAY = "2026-10-08"

OUTPUTS = {
    "台账.xlsx": ["report", "2026", "-u", "example", "-f", "xlsx", "-o"],
    "年度报告.docx": ["report", "2026", "-u", "example", "-f", "docx", "-o"],
    "回头看.docx": ["review", "2026", "-u", "example", "-f", "docx", "-o"],
    "督办单.docx": ["notice", "局办公室", "-u", "example", "-f", "docx", "-o"],
    "forms": ["form", "局办公室", "-u", "example", "-f", "xlsx", "-f", "docx", "-o"],
}


def make(tmp: Path, name: str) -> list[bytes]:
    tmp.mkdir(exist_ok=True)
    out = tmp / name
    result = CliRunner().invoke(app, ["--plans", str(PLANS), "--as-of", DAY, *OUTPUTS[name], str(out)])
    assert result.exit_code == 0, result.output
    files = sorted(out.iterdir()) if out.is_dir() else [out]
    return [f.read_bytes() for f in files]


def test_made_again_the_same_bytes_and_no_clock_inside(tmp_path: Path) -> None:
    first = {name: make(tmp_path / "a", name) for name in OUTPUTS}
    time.sleep(2.1)  # a zip member's time has a two-second grain
    again = {name: make(tmp_path / "b", name) for name in OUTPUTS}
    for name, files in first.items():
        assert again[name] == files, name
        for data in files:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                assert {info.date_time for info in z.infolist()} == {(2026, 10, 8, 0, 0, 0)}, name
                core = z.read("docProps/core.xml").decode()
            assert f"{DAY}T00:00:00Z</dcterms:modified>" in core and f"{DAY}T00:00:00Z</dcterms:created>" in core, name
