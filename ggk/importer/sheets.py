"""Workbooks (.xlsx, legacy .xls, .ods) read with python-calamine: each sheet as a grid of cell texts.

Owns ``sheet_grids``: every non-empty sheet in order, the cells a merge emptied filled with its top-left
value (a group cell spanning rows, one task cell shared by two rows), numbers as they are shown (1, not
1.0), dates as 2024年6月30日.  An .xlsx is a zip archive and is checked by
``ggk.importer.limits.check_archive`` before it is read.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ggk.diagnostics import GgkError
from ggk.importer.limits import MAX_ROWS


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value).strip()


def sheet_grids(path: Path) -> list[tuple[str, list[list[str]]]]:
    """(sheet name, grid) of every sheet with content."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError as exc:  # pragma: no cover - python-calamine is a dependency
        raise GgkError("读取 Excel 文件需要 python-calamine") from exc
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error kinds for broken files
        raise GgkError(f"无法打开表格文件 {path.name}：{exc}", "用 Excel/WPS 打开后另存为 .xlsx 再导入") from None
    out: list[tuple[str, list[list[str]]]] = []
    for name in book.sheet_names:
        try:
            sheet = book.get_sheet_by_name(name)
            if sheet.height > MAX_ROWS:
                raise GgkError(f"{path.name} 的工作表「{name}」有 {sheet.height} 行，超过导入上限 {MAX_ROWS} 行")
            grid = [[_text(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
            ranges = sheet.merged_cell_ranges or []
        except GgkError:
            raise
        except Exception as exc:  # a damaged sheet: say which
            raise GgkError(f"无法读取 {path.name} 的工作表「{name}」：{exc}") from None
        for (r0, c0), (r1, c1) in ranges:
            if r0 >= len(grid):
                continue
            value = grid[r0][c0] if c0 < len(grid[r0]) else ""
            for r in range(r0, min(r1, len(grid) - 1) + 1):
                for c in range(c0, min(c1, len(grid[r]) - 1) + 1):
                    # only the cells the merge emptied: a range left over a row of values (rows deleted
                    # under a merged heading by a program that does not move merges) keeps the values
                    grid[r][c] = grid[r][c] or value
        grid = [row for row in grid if any(cell for cell in row)]
        if grid:
            out.append((name, grid))
    return out
