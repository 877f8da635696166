"""Excel (.xlsx, openpyxl): the 工作台账, one sheet for the whole plan and one per department.

Only features that Excel and WPS both read the same way: a merged title row, a frozen header row
with an auto-filter, wrapped text, explicit column widths and row heights (WPS and older Excel do
not grow a row to fit wrapped text on their own), fills for the red/yellow/green lights, landscape
printing fitted to the page width with the header repeated.  Column widths count East-Asian wide
characters as two.  Sheet names are cut to 31 characters without []:*?/\\ (Excel's rules).
Every cell holding text is written by ``ggk.render.safe.sheet_cell``: a string, never a formula.
Returns bytes; never opens a file.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ggk.ledger.queries import Light
from ggk.ledger.reports import LEDGER_COLUMNS, LedgerReport, LedgerRow, cn_date
from ggk.render import Options, Unsupported
from ggk.render.cells import FONT, LINE_HEIGHT, lines_needed, text_width
from ggk.render.ooxml import stable
from ggk.render.safe import sheet_cell, visible

#: Excel's built-in "good / neutral / bad" colours: what an office clerk already reads as green/yellow/red.
LIGHT_FILL = {
    Light.RED: ("FFC7CE", "9C0006"),
    Light.YELLOW: ("FFEB9C", "9C5700"),
    Light.GREEN: ("C6EFCE", "006100"),
    Light.GREY: ("EDEDED", "595959"),
}
#: Widest a column may grow (in character widths) before its text wraps.
MAX_WIDTH = {
    "序号": 6,
    "工作任务": 28,
    "具体内容": 60,
    "牵头单位": 20,
    "配合单位": 20,
    "完成时限": 18,
    "进展情况": 50,
    "完成状态": 18,
    "备注": 30,
}
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")


def sheet_name(name: str, taken: set[str]) -> str:
    base = _BAD_SHEET.sub("_", visible(name)).strip("'") or "Sheet"
    base = base[:31]
    out, k = base, 2
    while out.lower() in taken or out.lower() == "history":
        suffix = f"({k})"
        out = base[: 31 - len(suffix)] + suffix
        k += 1
    taken.add(out.lower())
    return out


class XlsxRenderer:
    def __init__(self, options: Options):
        self.options = options

    def render(self, report: Any) -> bytes:
        from ggk.returns.forms import FormReport

        if isinstance(report, FormReport):
            from ggk.render.form_xlsx import render_form

            return render_form(report)
        if not isinstance(report, LedgerReport):
            raise Unsupported("xlsx")
        wb = Workbook()
        stamp = dt.datetime(report.as_of.year, report.as_of.month, report.as_of.day)
        wb.properties.created = wb.properties.modified = stamp  # the report's date, never the clock
        wb.properties.title = visible(report.title)
        wb.properties.creator = "ggk"
        taken: set[str] = set()
        main = wb.active
        assert main is not None
        main.title = sheet_name("工作台账", taken)
        self.sheet(main, f"{report.title}（截至{cn_date(report.as_of)}）", report.rows)
        for dept in report.depts:
            ws = wb.create_sheet(sheet_name(dept.dept, taken))
            self.sheet(ws, f"{report.title}：{dept.dept}（截至{cn_date(report.as_of)}）", dept.rows)
        buf = io.BytesIO()
        wb.save(buf)
        return stable(buf.getvalue(), report.as_of)

    def sheet(self, ws: Worksheet, title: str, rows: Sequence[LedgerRow]) -> None:
        ncol = len(LEDGER_COLUMNS)
        last_col = get_column_letter(ncol)
        thin = Side(style="thin", color="808080")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        wrap = Alignment(wrap_text=True, vertical="top")
        center = Alignment(wrap_text=True, vertical="center", horizontal="center")

        ws.merge_cells(f"A1:{last_col}1")
        sheet_cell(ws["A1"], title)
        ws["A1"].font = Font(name=FONT, size=14, bold=True)
        ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
        ws.row_dimensions[1].height = 28

        head_fill = PatternFill("solid", fgColor="D9E1F2")
        for c, name in enumerate(LEDGER_COLUMNS, start=1):
            cell = ws.cell(row=2, column=c)
            sheet_cell(cell, name)
            cell.font = Font(name=FONT, size=11, bold=True)
            cell.alignment = center
            cell.fill = head_fill
            cell.border = border

        widths = [text_width(name) + 4 for name in LEDGER_COLUMNS]
        for r in rows:
            for c, value in enumerate(r.cells()):
                longest = max((text_width(line) for line in str(value).split("\n")), default=0)
                widths[c] = max(widths[c], min(longest + 2, MAX_WIDTH[LEDGER_COLUMNS[c]]))
        for c, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(c)].width = w

        status_col = LEDGER_COLUMNS.index("完成状态")
        for i, r in enumerate(rows, start=3):
            values = r.cells()
            for c, value in enumerate(values, start=1):
                cell = ws.cell(row=i, column=c)
                sheet_cell(cell, value if value != "" else None)
                cell.font = Font(name=FONT, size=11)
                cell.alignment = center if c == 1 else wrap
                cell.border = border
            fill, color = LIGHT_FILL[r.light]
            status = ws.cell(row=i, column=status_col + 1)
            status.fill = PatternFill("solid", fgColor=fill)
            status.font = Font(name=FONT, size=11, bold=r.light is Light.RED, color=color)
            height = max(lines_needed(str(v), widths[c]) for c, v in enumerate(values))
            ws.row_dimensions[i].height = LINE_HEIGHT * height + 4

        last_row = max(2, len(rows) + 2)
        ws.freeze_panes = "A3"
        ws.auto_filter.ref = f"A2:{last_col}{last_row}"
        ws.print_title_rows = "2:2"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
