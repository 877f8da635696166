"""Stage 1 of ``ggk import``: a file on disk -> a ``Document`` (paragraphs and table rows, with places).

Owns choosing the reader by format and the limits check before any reader runs:

- text (.txt/.md and anything else): UTF-8, or GB18030/GBK detected and reported; Markdown/HTML
  decoration of web copies removed; tables pasted as text (pipes, tabs, one cell per line) recovered;
- .docx: paragraphs (with Word's automatic numbering) and tables (``ggk.importer.docx``);
- .xlsx / .xls / .ods: every sheet as a table (``ggk.importer.sheets``);
- .pdf with a text layer: lines and ruled tables, running headers/footers dropped (``ggk.importer.pdf``);
- .doc / .wps / .rtf / .odt: converted to .docx by LibreOffice (headless) when it is installed.

Hard-wrapped lines are joined into paragraphs by ``ggk.importer.lines``; task tables become rows by
``ggk.importer.tables``.  Every failure is a ``GgkError`` with a Chinese message.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from ggk.diagnostics import GgkError
from ggk.importer import limits, tables
from ggk.importer.document import Document, Para
from ggk.importer.lines import paragraphs
from ggk.importer.text import clean_web_line, decode

_DOCX = {".docx", ".docm", ".dotx"}
_SHEETS = {".xlsx", ".xlsm", ".xls", ".ods", ".et"}
_LEGACY = {".doc", ".wps", ".rtf", ".odt", ".wpt", ".dot"}
#: Seconds LibreOffice may take to convert one legacy document.
CONVERT_TIMEOUT = 120


def read_document(path: Path | str) -> Document:
    """Read a document of any supported format (see the module docstring)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in _DOCX:
        return _read_docx(path)
    if suffix in _SHEETS:
        return _read_sheets(path)
    if suffix == ".pdf":
        return _read_pdf(path)
    if suffix in _LEGACY:
        return _read_legacy(path)
    return _read_text(path)


class _Builder:
    """Collects lines and table rows in document order and numbers the places.

    A table's rows are held until the next line of text: a table that a page break cuts (a PDF) goes on
    in the next grid, with the header repeated or not, and a row cut in two is joined again.
    """

    def __init__(self, first_leads: bool) -> None:
        self.entries: list[tuple[str, int] | Para] = []
        self.places: dict[int, str] = {}
        self.first_leads = first_leads
        self.tables = 0
        self.notes: list[str] = []
        self.next_table_line = 1_000_000
        self.pending: list[tables.Row] = []  # rows of the last table, not emitted yet
        self.pending_roles: dict[int, str] | None = None
        self.pending_width = 0

    def line(self, text: str, number: int) -> None:
        if text.strip():
            self.flush()
        self.entries.append((text, number))

    def rows(self, rows: list[tables.Row], *, carry: bool, place: Callable[[tables.Row], str] | None = None) -> None:
        if place is not None:
            for row in rows:
                row.place = place(row)
        paras = tables.rows_to_paras(rows, carry=carry, first_leads=self.first_leads, places=self.places, next_line=self.next_table_line)
        self.next_table_line += len(paras) + 1
        self.entries += paras
        items = sum(1 for p in paras if p.table_row)
        self.notes.append(f"表{self.tables}：{items} 行任务" + ("（首列单位为牵头单位）" if self.first_leads else ""))

    def grid(self, grid: list[list[str]], fallback: Callable[[list[str]], None], place: Callable[[int, int], str]) -> None:
        """A table given as a grid: a task table when a header row says so (or when it goes on with the
        table just before it: same columns, nothing but a page break between), else its rows as lines."""
        width = len(grid[0]) if grid else 0
        for k, header in enumerate(grid[:3]):
            roles = tables.header_roles(header)
            if roles is None:
                continue
            tables.check_returns(roles, header)
            above = [raw for raw in grid[:k] if any(c.strip() for c in raw)]
            if above:  # a title row (“XX县…2026年政务公开工作要点任务分工表”) or a note above the header: text
                self._lines(above, fallback)
            if above or not (self.pending_roles == roles and self.pending_width == len(header)):  # not a repeated header
                self.flush()
                self.tables += 1
                self.pending_roles, self.pending_width = roles, len(header)
            self._add(grid, k + 1, place)
            return
        if self.pending_roles is not None and width == self.pending_width:
            self._add(grid, 0, place)
            return
        self.flush()
        self._lines(grid, fallback)

    def _lines(self, grid: list[list[str]], fallback: Callable[[list[str]], None]) -> None:
        """Rows of a grid that are no task table's rows, as lines of text (a merged cell's repeats once)."""
        self.flush()
        for raw in grid:
            cells: list[str] = []
            for value in (c.strip() for c in raw):
                if value and (not cells or cells[-1] != value):  # merged cells repeat
                    cells.append(value)
            fallback(cells)

    def _add(self, grid: list[list[str]], start: int, place: Callable[[int, int], str]) -> None:
        assert self.pending_roles is not None
        rows = tables.rows_from_grid(grid[start:], self.pending_roles, 0, self.tables)
        for r, row in enumerate(rows):
            row.place = place(self.tables, start + r)
        if rows and self.pending and not (rows[0].number or rows[0].labels or rows[0].banner):
            # the rest of a row the page break cut: its cells go on where they stopped
            first, last = rows.pop(0), self.pending[-1]
            last.content += first.content
            last.limit += first.limit
            last.units = [a + b for a, b in zip(last.units, first.units, strict=False)] + last.units[len(first.units) :]
        self.pending += rows

    def flush(self) -> None:
        """Emit the rows of the table read last."""
        if self.pending_roles is not None:
            rows, self.pending, self.pending_roles, self.pending_width = self.pending, [], None, 0
            self.rows(rows, carry=False)

    def document(self, path: Path, encoding: str, detected: bool, where: str) -> Document:
        self.flush()
        paras, hard, pages = paragraphs(self.entries)
        return Document(path, paras, encoding, detected, where, hard, pages, self.places, self.notes)


def _first_leads(texts: list[str]) -> bool:
    return any(tables.FIRST_LEADS.search(t) for t in texts)


# --------------------------------------------------------------------------- text


def _read_text(path: Path) -> Document:
    limits.check_input(path, "text")
    try:
        data = path.read_bytes()
    except OSError as exc:
        from ggk.workspace.files import os_reason

        raise GgkError(f"无法读取文件 {path}：{os_reason(exc)}") from None
    if data[:4] == b"PK\x03\x04":
        raise GgkError(f"{path.name} 看起来是 Word/Excel 文件（压缩包），请把扩展名改为 .docx 或 .xlsx 后再导入")
    if data[:5] == b"%PDF-":
        raise GgkError(f"{path.name} 是 PDF 文件，请把扩展名改为 .pdf 后再导入")
    if b"\x00" in data[:2000] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise GgkError(f"{path.name} 不是文本文件", "支持 .txt/.md、.docx、.xlsx/.xls、.pdf；旧版 .doc/.wps 需装有 LibreOffice")
    text, encoding, detected = decode(data)
    del data
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    lines = [(line, i) for i, line in enumerate(text.split("\n"), start=1)]
    del text
    builder = _Builder(_first_leads([t for t, _ in lines if "牵头" in t]))
    start = 0
    for first, end, form in tables.find_text_tables(lines):
        block = lines[first:end]
        roles, rows = tables.text_table_rows(block, form, builder.tables + 1)
        if roles is None or not rows:
            continue
        for text_line, number in lines[start:first]:
            builder.line(clean_web_line(text_line), number)
        builder.tables += 1
        table_no = builder.tables
        builder.rows(rows, carry=True, place=lambda row, k=table_no: f"第{row.line}行（表{k}）")  # type: ignore[misc]
        start = end
    for text_line, number in lines[start:]:
        builder.line(clean_web_line(text_line), number)
    return builder.document(path, encoding, detected, "行")


# --------------------------------------------------------------------------- .docx


def _read_docx(path: Path) -> Document:
    from ggk.importer.docx import docx_blocks

    limits.check_input(path, "docx")
    limits.check_archive(path, " Word 文件")
    blocks = docx_blocks(path)
    builder = _Builder(_first_leads([str(v) for k, v in blocks if k == "p"]))
    counter = 0

    def add_line(cells: list[str]) -> None:
        nonlocal counter
        counter += 1
        builder.line("  ".join(cells), counter)
        builder.line("", counter)

    for kind, value in blocks:
        if kind == "p":
            counter += 1
            for piece in str(value).split("\n"):
                builder.line(clean_web_line(piece), counter)
            builder.line("", counter)
        else:
            builder.grid(value, add_line, lambda k, r: f"表{k}第{r + 1}行")  # type: ignore[arg-type]
    return builder.document(path, "docx", False, "段")


# --------------------------------------------------------------------------- workbooks


def _read_sheets(path: Path) -> Document:
    from ggk.importer.sheets import sheet_grids

    limits.check_input(path, "sheet")
    if path.suffix.lower() in (".xlsx", ".xlsm", ".ods"):
        limits.check_archive(path, "表格文件")
    grids = sheet_grids(path)
    texts = [cell for _, grid in grids for row in grid for cell in row if "牵头" in cell]
    builder = _Builder(_first_leads(texts))
    counter = 0
    for name, grid in grids:

        def add_line(cells: list[str]) -> None:
            nonlocal counter
            counter += 1
            builder.line("  ".join(cells), counter)
            builder.line("", counter)

        builder.grid(grid, add_line, lambda _k, r, n=name: f"工作表「{n}」第{r + 1}行")  # type: ignore[misc]
    doc = builder.document(path, path.suffix.lower().lstrip("."), False, "行")
    if not builder.tables:
        doc.notes.append("没有找到带“任务/责任单位/时限”等列名的表头，按文字读取")
    return doc


# --------------------------------------------------------------------------- PDF


def _read_pdf(path: Path) -> Document:
    from ggk.importer.pdf import pdf_blocks

    limits.check_input(path, "pdf")
    blocks, notes = pdf_blocks(path)
    texts = [str(v[0]) for k, v in blocks if k == "line"]  # type: ignore[index]
    builder = _Builder(_first_leads(texts))
    counter = 0
    page = 1
    pages: dict[int, int] = {}
    for kind, value in blocks:
        if kind == "line":
            text, indent, page = value
            counter += 1
            pages[counter] = page
            builder.line(" " * indent + text, counter)
        elif kind == "page":
            counter += 1
            builder.line("", counter)
        else:
            grid, page = value

            def add_line(cells: list[str], page: int = page) -> None:
                nonlocal counter
                counter += 1
                pages[counter] = page
                builder.line("  ".join(cells), counter)
                builder.line("", counter)

            builder.grid(grid, add_line, lambda k, r, p=page: f"第{p}页 表{k}第{r + 1}行")  # type: ignore[misc]
    doc = builder.document(path, "PDF", False, "行")
    doc.notes = notes + doc.notes
    for para in doc.paras:
        if para.line in pages and para.line not in doc.places:
            doc.places[para.line] = f"第{pages[para.line]}页"
    for para in doc.page_numbers:
        doc.places.setdefault(para.line, f"第{pages.get(para.line, 0)}页")
    return doc


# --------------------------------------------------------------------------- .doc / .wps


def soffice() -> str | None:
    """The LibreOffice program, when installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _read_legacy(path: Path) -> Document:
    limits.check_input(path, "legacy")
    program = soffice()
    if program is None:
        raise GgkError(
            f"读取 {path.suffix} 文件需要 LibreOffice，本机没有安装",
            "在 Word/WPS 中另存为 .docx 后再导入；或安装 LibreOffice（Debian: apt-get install libreoffice-writer-nogui）",
        )
    with tempfile.TemporaryDirectory(prefix="ggk-import-") as tmp:
        # A private profile: a LibreOffice already open on the desktop would otherwise take the job.
        profile = Path(tmp, "profile").as_uri()
        cmd = [program, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "docx", "--outdir", tmp, str(path)]
        try:
            subprocess.run(cmd, capture_output=True, timeout=CONVERT_TIMEOUT, check=False, stdin=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise GgkError(f"LibreOffice 转换 {path.name} 失败：{type(exc).__name__}", "在 Word/WPS 中另存为 .docx 后再导入") from None
        converted = Path(tmp, path.stem + ".docx")
        if not converted.is_file():
            raise GgkError(f"LibreOffice 无法转换 {path.name}（文件可能已损坏）", "在 Word/WPS 中打开并另存为 .docx 后再导入")
        doc = _read_docx(converted)
    doc.path = path
    doc.encoding = f"{path.suffix.lstrip('.')}（经 LibreOffice 转换）"
    return doc
