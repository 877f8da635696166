"""PDF documents with a text layer, read with pdfplumber: lines with their indentation, and tables.

Owns ``pdf_blocks``: the pages in order as text lines (indented as on the page, so that first lines of
paragraphs can be told from continuation lines) and table grids (pdfplumber's ruled-table finder;
a cell that a merged cell covers comes back empty and takes the value of the cell reaching over it: to its
left for a row merged across, else above).  Running headers and
footers (the same line at the top or bottom of most pages) and page numbers are dropped here; hard
wraps are undone by ``ggk.importer.lines``.  A PDF without any text (a scan) is refused: it needs OCR.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from ggk.diagnostics import GgkError
from ggk.importer.limits import MAX_PAGES

_PAGE_NO = re.compile(r"^[-—–－_\s]*(?:第\s*)?\d{1,3}(?:\s*页)?(?:\s*[/，,]\s*(?:共\s*)?\d{1,3}\s*页?)?[-—–－_\s]*$")


def _norm_line(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _page_lines(page: Any, boxes: list[tuple[float, float, float, float]]) -> list[tuple[str, float, float]]:
    """(text, x0, top) of each text line outside the tables' boxes."""

    def outside(obj: dict) -> bool:  # type: ignore[type-arg]
        cx = (obj["x0"] + obj["x1"]) / 2
        cy = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    filtered = page.filter(outside) if boxes else page  # type: ignore[attr-defined]
    return [(ln["text"], ln["x0"], ln["top"]) for ln in filtered.extract_text_lines(layout=False, strip=True)]


def _grid(table: Any) -> list[list[str]]:
    rows = table.extract()  # type: ignore[attr-defined]
    boxes = [list(row.cells) for row in table.rows]  # type: ignore[attr-defined]
    grid: list[list[str]] = []
    for r, row in enumerate(rows):
        cells: list[str] = []
        for c, value in enumerate(row):
            if value is None:  # covered by a merged cell: the value to the left when that cell reaches over, else above
                value = cells[-1] if cells and _reaches(boxes, r, c) else grid[r - 1][c] if r and c < len(grid[r - 1]) else ""
            cells.append(re.sub(r"(?<=[^\x00-\x7f])\n(?=[^\x00-\x7f])", "", value).replace("\n", ""))
        grid.append(cells)
    return grid


def _reaches(boxes: list[list[Any]], r: int, c: int) -> bool:
    """Does a cell left of (r, c) in row r span over column c (a group or title row merged across the table)?"""
    left = next((box for box in reversed(boxes[r][:c]) if box is not None), None) if r < len(boxes) else None
    column = next((row[c] for row in boxes if c < len(row) and row[c] is not None), None)
    if left is None:
        return False
    if column is None:
        return True  # no row has this column on its own: it is merged in every row
    return bool(left[2] >= (column[0] + column[2]) / 2)


def pdf_blocks(path: Path) -> tuple[list[tuple[str, Any]], list[str]]:
    """The PDF as ("line", (text, indent, page)), ("table", (grid, page)) and ("page", page) blocks, and notes
    for the report."""
    try:
        import pdfplumber
    except ImportError as exc:  # pragma: no cover - pdfplumber is a dependency
        raise GgkError("读取 PDF 需要 pdfplumber") from exc
    try:
        pdf = pdfplumber.open(str(path))
    except Exception as exc:  # pdfminer raises many kinds for a broken file
        raise GgkError(
            f"无法打开 PDF 文件 {path.name}：{type(exc).__name__}", "确认文件完整；或用 WPS/Word 打开后另存为 .docx 再导入"
        ) from None
    with pdf:
        if len(pdf.pages) > MAX_PAGES:
            raise GgkError(f"{path.name} 有 {len(pdf.pages)} 页，超过导入上限 {MAX_PAGES} 页")
        pages: list[list[tuple[str, Any]]] = []
        chars = 0
        lefts: list[float] = []
        try:
            for page in pdf.pages:
                tables = page.find_tables()
                boxes = [t.bbox for t in tables]
                lines = _page_lines(page, boxes)
                chars += len(page.chars)
                lefts += [x0 for _, x0, _ in lines]
                items: list[tuple[float, str, Any]] = [(top, "line", (text, x0)) for text, x0, top in lines]
                items += [(t.bbox[1], "table", _grid(t)) for t in tables]
                pages.append([(kind, value) for _, kind, value in sorted(items, key=lambda it: it[0])])
        except GgkError:
            raise
        except Exception as exc:  # a damaged page: keep what was read before it
            if not pages:
                raise GgkError(f"无法读取 PDF 文件 {path.name}：{type(exc).__name__}") from None
    if chars == 0:
        raise GgkError(
            f"{path.name} 没有文字层（可能是扫描件），无法读取文字",
            "请先用 WPS/Adobe 的 OCR（文字识别）转成可复制文字的 PDF 或 Word，再导入",
        )
    notes: list[str] = []
    # Running headers and footers: the first or last line repeated on most pages (numbers aside).
    edge: Counter[str] = Counter()
    for blocks in pages:
        lines = [v for k, v in blocks if k == "line"]
        if lines:
            edge[_norm_line(lines[0][0])] += 1  # type: ignore[index]
            if len(lines) > 1:
                edge[_norm_line(lines[-1][0])] += 1  # type: ignore[index]
    running = {key for key, n in edge.items() if len(pages) >= 2 and n >= max(2, (len(pages) + 1) // 2)}
    left = min(lefts) if lefts else 0.0
    out: list[tuple[str, Any]] = []
    dropped = 0
    for number, blocks in enumerate(pages, start=1):
        lines = [v for k, v in blocks if k == "line"]
        ends = {id(lines[0]), id(lines[-1])} if lines else set()
        for kind, value in blocks:
            if kind == "table":
                out.append(("table", (value, number)))
                continue
            text, x0 = value  # type: ignore[misc]
            if id(value) in ends and (_norm_line(text) in running or _PAGE_NO.match(text)):
                dropped += 1
                continue
            indent = max(0, round((x0 - left) / 5))  # a Chinese character is about 10 points wide
            out.append(("line", (text, indent, number)))
        out.append(("page", number))
    if dropped:
        notes.append(f"去掉页眉、页脚和页码 {dropped} 行")
    return out, notes
