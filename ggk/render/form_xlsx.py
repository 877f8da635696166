"""Excel (.xlsx, openpyxl): the 进展报送表 a department fills in and sends back.

Only what Excel, WPS and LibreOffice all read and save back the same way: a title, the unit /
department / period / due-date line, 填报人 and 联系电话 cells, a frozen header row, grey locked
columns (sent by the office) and white fill-in columns, a drop-down list (data validation) for
完成状态, explicit column widths and row heights, landscape printing fitted to the page width.  The
sheet is protected without a password: a department cannot change a sent cell by accident, and
nobody needs a password to read or print it.  Each row's key sits in a hidden column and the form's
own key in a hidden sheet (``ggk.returns.forms``).  Every cell made from plan text is written by
``ggk.render.safe.sheet_cell`` (a string, never a formula).  Returns bytes; never opens a file.
"""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ggk.render.cells import FONT, LINE_HEIGHT, lines_needed
from ggk.render.ooxml import stable
from ggk.render.safe import sheet_cell, visible
from ggk.returns.forms import (
    EVENT_COLUMNS,
    FILL_COLUMNS,
    KEY_HEADER,
    META_SHEET,
    NOT_A_ROW,
    SENT_COLUMNS,
    STATUS_CHOICES,
    FormReport,
)

COLUMNS = (*SENT_COLUMNS, *FILL_COLUMNS, KEY_HEADER)
WIDTHS = {
    "序号": 6,
    "条目": 16,
    "工作任务": 28,
    "职责": 6,
    "完成时限": 16,
    "目前情况": 20,
    "最近进展": 30,
    "本期进展情况": 40,
    "完成状态": 10,
    "完成日期": 13,
    "佐证材料/链接": 26,
    "事件日期": 12,
    "公开日期": 12,
    KEY_HEADER: 10,
}
#: Rows above the table: title, unit/department/period line, 填报人/联系电话; the header is the next.
HEADER_ROW = 4
LOCKED_FILL = PatternFill("solid", fgColor="EDEDED")
HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
OPEN_FILL = PatternFill("solid", fgColor="FFFFFF")
_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
UNLOCKED = Protection(locked=False)


def render_form(report: FormReport) -> bytes:
    wb = Workbook()
    stamp = dt.datetime(report.issued.year, report.issued.month, report.issued.day)
    wb.properties.created = wb.properties.modified = stamp  # the form's date, never the clock
    wb.properties.title = visible(report.title)
    wb.properties.creator = "ggk"
    ws = wb.active
    assert ws is not None
    ws.title = "进展报送表"
    _form_sheet(ws, report)
    meta = wb.create_sheet(META_SHEET)
    for r, (key, value) in enumerate(report.meta(), start=1):
        for c, text in enumerate((key, value), start=1):
            sheet_cell(meta.cell(row=r, column=c), text)  # a string cell, whatever it starts with: never a formula
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    buf = io.BytesIO()
    wb.save(buf)
    return stable(buf.getvalue(), report.issued)


def _form_sheet(ws: Worksheet, report: FormReport) -> None:
    ncol = len(COLUMNS) - 1  # the key column is outside the visible table
    last = get_column_letter(ncol)
    wrap = Alignment(wrap_text=True, vertical="top")
    center = Alignment(wrap_text=True, vertical="center", horizontal="center")
    title, info = report.header_lines

    ws.merge_cells(f"A1:{last}1")
    sheet_cell(ws["A1"], title)
    ws["A1"].font = Font(name=FONT, size=14, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[1].height = 30
    ws.merge_cells(f"A2:{last}2")
    sheet_cell(ws["A2"], info)
    ws["A2"].font = Font(name=FONT, size=11)
    ws["A2"].alignment = Alignment(vertical="center", wrap_text=True)
    ws.row_dimensions[2].height = 22
    # 填报人 / 联系电话: once per form, in fill-in cells of their own
    for col, label in ((2, "填报人"), (5, "联系电话")):
        head = ws.cell(row=3, column=col, value=label)
        head.font = Font(name=FONT, size=11, bold=True)
        head.alignment = center
        cell = ws.cell(row=3, column=col + 1)
        cell.protection = UNLOCKED
        cell.border = BORDER
        cell.alignment = Alignment(vertical="center")
    ws.row_dimensions[3].height = 22

    for c, name in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=HEADER_ROW, column=c, value=name)
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.alignment = center
        cell.fill = HEAD_FILL if name not in FILL_COLUMNS else PatternFill("solid", fgColor="FFF2CC")
        cell.border = BORDER
        ws.column_dimensions[get_column_letter(c)].width = WIDTHS[name]
    ws.column_dimensions[get_column_letter(len(COLUMNS))].hidden = True

    first = HEADER_ROW + 1
    for i, row in enumerate(report.rows, start=first):
        values = [row.no, *row.sent()]
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=i, column=c)
            sheet_cell(cell, value)
            cell.font = Font(name=FONT, size=11)
            cell.alignment = center if SENT_COLUMNS[c - 1] in ("序号", "职责") else wrap
            cell.fill = LOCKED_FILL
            cell.border = BORDER
        for c, name in enumerate(FILL_COLUMNS, start=len(SENT_COLUMNS) + 1):
            cell = ws.cell(row=i, column=c)
            cell.font = Font(name=FONT, size=11)
            cell.alignment = wrap
            cell.border = BORDER
            if name in EVENT_COLUMNS and not row.events:
                cell.fill = LOCKED_FILL  # no working-day duty: nothing to fill in here
            else:
                cell.fill = OPEN_FILL
                cell.protection = UNLOCKED
            if name in ("完成日期", *EVENT_COLUMNS):
                cell.number_format = "yyyy-mm-dd"
        ws.cell(row=i, column=len(COLUMNS), value=row.key)
        height = max(lines_needed(str(v), WIDTHS[SENT_COLUMNS[c]]) for c, v in enumerate(values))
        ws.row_dimensions[i].height = LINE_HEIGHT * max(height, 2) + 4

    end = first + len(report.rows) - 1
    if report.rows:
        status_col = get_column_letter(len(SENT_COLUMNS) + FILL_COLUMNS.index("完成状态") + 1)
        dv = DataValidation(
            type="list",
            formula1='"' + ",".join(STATUS_CHOICES) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="完成状态",
            error="请从下拉列表中选择：" + "、".join(STATUS_CHOICES),
            promptTitle="完成状态",
            prompt="从下拉列表选择",
        )
        dv.add(f"{status_col}{first}:{status_col}{end}")
        ws.add_data_validation(dv)

    notes_at = max(end, HEADER_ROW) + 2
    for k, line in enumerate(report.notes):
        r = notes_at + k
        ws.merge_cells(f"A{r}:{last}{r}")
        cell = ws.cell(row=r, column=1)
        sheet_cell(cell, line)
        cell.font = Font(name=FONT, size=10, bold=k == 0)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.cell(row=r, column=len(COLUMNS), value=NOT_A_ROW)

    ws.freeze_panes = f"A{first}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    # Protected without a password: sent cells cannot be changed by accident; rows may be resized,
    # sorted and filtered.
    ws.protection.sheet = True
    ws.protection.formatRows = False
    ws.protection.formatColumns = False
    ws.protection.sort = False
    ws.protection.autoFilter = False
