"""The HTML 工作台账 as an office uses it: opened in a browser and printed (or saved as PDF) for the
leadership or the 政府网站.  Chromium (Debian's package, headless) does the printing, pdfplumber reads
the result back: a landscape A4 page, every column on the page, the Chinese text there as text, and
nothing in the plan text ever becomes a live element of the page."""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pdfplumber
from typer.testing import CliRunner

from ggk.cli.app import app
from ggk.ledger.reports import LEDGER_COLUMNS
from tests.builders import CONVERT_TIMEOUT, office_program

HOSTILE = Path(__file__).parent / "data" / "hostile" / "text"


def html_report(plans: Path, out: Path, *args: str, as_of: str = "2026-10-20") -> Path:
    result = CliRunner().invoke(app, ["--plans", str(plans), "--as-of", as_of, "report", "2026", "-f", "html", "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    return out


def chromium(tmp_path: Path, *args: str) -> str:
    """Run headless Chromium with a profile of its own and no network chatter; its stdout."""
    program = office_program("chromium")
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ]
    done = subprocess.run([program, *flags, *args], capture_output=True, text=True, timeout=CONVERT_TIMEOUT, check=True)
    return done.stdout


def words_of(page: Any) -> str:
    """A page's text with the CJK compatibility forms PDF text layers use folded back (⽰ → 示)."""
    return unicodedata.normalize("NFKC", page.extract_text() or "").replace("\n", "")


def test_the_printed_ledger_keeps_every_column_on_a_landscape_page(example_unit: Path, tmp_path: Path) -> None:
    page = html_report(example_unit, tmp_path / "台账.html", "-u", "example")
    pdf_path = tmp_path / "台账.pdf"
    chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf_path}", page.as_uri())
    with pdfplumber.open(pdf_path) as pdf:
        first = pdf.pages[0]
        assert first.width > first.height  # A4 landscape, as a 台账 is printed
        assert abs(first.width - 842) < 2 and abs(first.height - 595) < 2
        text = words_of(first)
        assert "示例县交通运输局2026年政务公开工作要点工作台账" in text
        assert "截至2026年10月20日" in text
        for name in LEDGER_COLUMNS:  # every heading on the page, none cut off at its right edge
            assert name in text.replace(" ", ""), name
        for p in pdf.pages:
            assert all(w["x1"] <= p.width for w in p.extract_words())
        whole = "".join(words_of(p) for p in pdf.pages).replace(" ", "")
    assert "逾期" in whole and "常态化任务报送期内无进展" in whole
    assert len(pdf.pages) < 25  # portrait Letter with the columns squeezed took 25 pages


def test_plan_text_never_becomes_part_of_the_page(tmp_path: Path) -> None:
    """<script> and javascript: links in tasks, notes and department names stay text."""
    page = html_report(HOSTILE, tmp_path / "evil.html", as_of="2026-11-21")
    dom = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert "<table>" in dom and "</tbody>" in dom  # the page was rendered
    assert "<script" not in dom and "<img" not in dom and 'href="javascript' not in dom
    assert "&lt;script&gt;alert('n')&lt;/script&gt;" in dom  # shown as typed
    assert "[x](javascript:alert(1))" in dom
    assert "\\x1b[2J" in dom  # a terminal escape shown as an escape, not passed to whoever copies the page


def test_a_tall_row_is_split_across_pages_not_moved_whole(tmp_path: Path) -> None:
    """The second QA trial's ledger (seed 000's items with a year of records, tests/data/print/): its second
    row, taller than what was left of the first page, went whole to the next one and left the first page
    half blank — Chromium did not split that row of a table with collapsed borders, so the printed page
    uses separate ones."""
    plans = Path(__file__).parent / "data" / "print" / "plans"
    assert (plans / "qa-jtt" / "2026.yaml").is_file(), "test data missing: tests/data/print/plans/qa-jtt"
    page = html_report(plans, tmp_path / "台账.html", "-u", "qa-jtt", as_of="2026-12-31")  # (the 2027 plan: its carried task)
    pdf_path = tmp_path / "台账.pdf"
    chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf_path}", page.as_uri())
    with pdfplumber.open(pdf_path) as pdf:
        first = pdf.pages[0]
        assert max(w["bottom"] for w in first.extract_words()) > 0.8 * first.height
        assert "推进优化营商环境信息公开" in words_of(first).replace(" ", "")  # the second row starts there
