"""Documents built inside the tests from text: a .docx of paragraphs and tables (with a running header
and page numbers when asked), and other formats converted from it by LibreOffice (PDF, .doc).

The import tests build their binary inputs here rather than keeping them in tests/data.  The office
programs the tests open real files with (LibreOffice, Chromium) come from Debian's packages
(``.ci/packages``); a test that needs one fails when it is missing, so CI never passes by skipping
it.  ``GGK_TESTS_WITHOUT_OFFICE=1`` turns those failures into visible skips on a machine that cannot
have them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest

#: Seconds LibreOffice may take to convert one test document (its first start on a cold machine is slow).
CONVERT_TIMEOUT = 180


def docx_document(
    path: Path,
    lines: Iterable[str] = (),
    *,
    table: Sequence[Sequence[str]] | None = None,
    merge: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
    numbered: Sequence[str] = (),
    after: Iterable[str] = (),
    font_pt: int | None = None,
    running_header: str | None = None,
    page_numbers: bool = False,
) -> Path:
    """Write ``path``: one paragraph per non-empty line of ``lines``, then paragraphs in Word's automatic
    numbering (``numbered``), then ``table`` (rows of cells; ``merge`` joins cell ranges
    ((row, col), (row, col)), keeping the first cell's text), then ``after``."""
    import docx

    document = docx.Document()
    if font_pt is not None:
        from docx.shared import Pt

        document.styles["Normal"].font.size = Pt(font_pt)
    section = document.sections[0]
    if running_header is not None:
        section.header.paragraphs[0].text = running_header
    if page_numbers:
        _page_number_field(section.footer.paragraphs[0])
    for line in lines:
        if line.strip():
            document.add_paragraph(line.strip())
    for line in numbered:
        document.add_paragraph(line, style="List Number")
    if table is not None:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        grid.style = "Table Grid"
        covered = {(r, c) for (r0, c0), (r1, c1) in merge for r in range(r0, r1 + 1) for c in range(c0, c1 + 1) if (r, c) != (r0, c0)}
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                if (r, c) not in covered:
                    grid.cell(r, c).text = value
        for (r0, c0), (r1, c1) in merge:
            grid.cell(r0, c0).merge(grid.cell(r1, c1))
    for line in after:
        document.add_paragraph(line)
    document.save(str(path))
    return path


def _page_number_field(paragraph: Any) -> None:
    """A PAGE field, as Word writes page numbers into a footer."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def office_program(name: str) -> str:
    """The path of ``soffice`` or ``chromium``; the test fails when it is not installed (skips with
    ``GGK_TESTS_WITHOUT_OFFICE=1``)."""
    found = shutil.which(name)
    if found:
        return found
    why = f"{name} is not installed: run .ci/packages (Debian packages libreoffice-*-nogui, chromium, fonts-noto-cjk)"
    if os.environ.get("GGK_TESTS_WITHOUT_OFFICE") == "1":
        pytest.skip(why)
    raise AssertionError(why + "; or set GGK_TESTS_WITHOUT_OFFICE=1 to skip the tests that need it")


def soffice_convert(src: Path, fmt: str, out: Path) -> Path:
    """``src`` converted by LibreOffice (headless, a private profile) to ``fmt`` (pdf, doc) in ``out``."""
    office_program("soffice")
    profile = (out / "lo-profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", fmt, "--outdir", str(out), str(src)],
        check=True,
        capture_output=True,
        timeout=CONVERT_TIMEOUT,
    )
    converted = out / f"{src.stem}.{fmt}"
    if not converted.is_file():
        raise AssertionError(f"LibreOffice did not write {converted.name}")
    return converted
