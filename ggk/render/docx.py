"""Word (.docx, python-docx): the annual-report section, the 回头看 report and the 督办通知单.

Laid out as Chinese official documents are (GB/T 9704 in spirit, without exotic features so that
Word and WPS open it alike): A4, title in 小标宋 二号, body in 仿宋_GB2312 三号 with a two-character
first-line indent, level-1 headings in 黑体, level-2 in 楷体_GB2312, tables in 五号 with a repeated
header row.  The East-Asian font is set on every run (``w:eastAsia``), or Word falls back to a Latin font.
Every run's text goes through ``ggk.render.safe.visible``: control characters, which Word's XML cannot
hold, are shown as escapes instead of failing the document.  Returns bytes; never opens a file.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from functools import singledispatchmethod
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from ggk.ledger.reports import AnnualSection, NoticeReport, cn_date
from ggk.ledger.review import OUTCOMES, PlanReview, ReviewReport
from ggk.render import Options, Unsupported
from ggk.render.cells import fit_widths
from ggk.render.md import CN_NUM, duty_cell, group_rows, last_progress, outcome_note, summary_sentences
from ggk.render.ooxml import stable
from ggk.render.safe import visible
from ggk.returns.cadence import RemindReport
from ggk.returns.forms import FILL_COLUMNS, SENT_COLUMNS, FormReport

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(16)  # 三号
TABLE_SIZE = Pt(10.5)  # 五号


def _font(run: Any, name: str, size: Pt, bold: bool = False) -> None:
    run.font.name = LATIN_FONT
    run.font.size = size
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), name)


class _Writer:
    """A document in the house layout, with the few paragraph kinds the reports use."""

    def __init__(self, landscape: bool = False, created: dt.date | None = None, title: str = ""):
        self.doc: DocumentObject = Document()
        sec = self.doc.sections[0]
        sec.page_width, sec.page_height = Cm(21), Cm(29.7)
        if landscape:
            sec.orientation = WD_ORIENT.LANDSCAPE
            sec.page_width, sec.page_height = sec.page_height, sec.page_width
            sec.top_margin = sec.bottom_margin = Cm(2.5)
            sec.left_margin = sec.right_margin = Cm(2.5)
        else:
            sec.top_margin, sec.bottom_margin = Cm(3.7), Cm(3.5)
            sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)
        self.text_cm = (sec.page_width - sec.left_margin - sec.right_margin) / 360000  # EMU per cm
        normal = self.doc.styles["Normal"]
        _font(normal, BODY_FONT, BODY_SIZE)
        self.day = created
        props = self.doc.core_properties
        props.title = visible(title)
        props.author = "ggk"
        if created is not None:  # the report's date, never the clock
            stamp = dt.datetime(created.year, created.month, created.day)
            props.created = props.modified = stamp
            props.last_printed = stamp

    def para(
        self,
        text: str = "",
        *,
        font: str = BODY_FONT,
        size: Pt = BODY_SIZE,
        bold: bool = False,
        align: Any = None,
        indent: bool = True,
    ) -> Paragraph:
        p = self.doc.add_paragraph()
        fmt = p.paragraph_format
        fmt.line_spacing = Pt(28)
        fmt.space_before = fmt.space_after = Pt(0)
        if indent:
            fmt.first_line_indent = Pt(size.pt * 2)
        if align is not None:
            p.alignment = align
        if text:
            _font(p.add_run(visible(text)), font, size, bold)
        return p

    def title(self, text: str) -> Paragraph:
        p = self.para(text, font=TITLE_FONT, size=Pt(22), align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        p.paragraph_format.space_after = Pt(16)
        return p

    def h1(self, text: str) -> Paragraph:
        return self.para(text, font=H1_FONT)

    def h2(self, text: str) -> Paragraph:
        return self.para(text, font=H2_FONT)

    def table(self, head: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float] | None = None) -> Any:
        table = self.doc.add_table(rows=1, cols=len(head))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        hdr = table.rows[0]
        trpr = hdr._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")  # repeat the header row on every page
        repeat.set(qn("w:val"), "true")
        trpr.append(repeat)
        for cell, text in zip(hdr.cells, head, strict=True):
            self._cell(cell, text, bold=True, center=True)
        for values in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, values, strict=True):
                self._cell(cell, "" if value is None else str(value))
        widths = widths or fit_widths(head, rows, self.text_cm)
        table.autofit = False  # Word and WPS keep the widths given rather than fitting them again
        for column, w in zip(table.columns, widths, strict=True):
            column.width = Cm(w)
        for row in table.rows:
            for cell, w in zip(row.cells, widths, strict=True):
                cell.width = Cm(w)
        self.doc.add_paragraph()
        return table

    def _cell(self, cell: Any, text: str, bold: bool = False, center: bool = False) -> None:
        lines = text.split("\n") or [""]
        p = cell.paragraphs[0]
        for i, line in enumerate(lines):
            if i:
                p = cell.add_paragraph()
            if center:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(p.add_run(visible(line)), BODY_FONT if not bold else H1_FONT, TABLE_SIZE, False)

    def bytes(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return stable(buf.getvalue(), self.day) if self.day is not None else buf.getvalue()


class DocxRenderer:
    def __init__(self, options: Options):
        self.options = options

    @singledispatchmethod
    def render(self, report: Any) -> bytes:
        raise Unsupported("docx")

    # ----------------------------------------------------------------- annual report

    @render.register
    def _(self, report: AnnualSection) -> bytes:
        w = _Writer(created=report.as_of, title=report.heading)
        w.h2(report.heading)
        for e in report.entries:
            w.para(e.heading, bold=True)
            for para in e.text.splitlines():
                if para.strip():
                    p = w.para(para.strip(), bold=e.source == "none")
                    if e.source == "none":  # nothing recorded: marked in red, not to go out as it is
                        for run in p.runs:
                            run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
        if report.supervision_text:
            w.para(report.supervision_text)
        return w.bytes()

    # ----------------------------------------------------------------- 回头看

    @render.register
    def _(self, report: ReviewReport) -> bytes:
        first = report.plans[0].title if report.plans else f"{report.year}年政务公开工作要点"
        w = _Writer(landscape=True, created=report.as_of, title=f"{first}落实情况“回头看”")
        for i, p in enumerate(report.plans):
            if i:
                w.doc.add_page_break()
            self._plan_review(w, p, report)
        for note in report.warnings:
            w.para(f"注意：{note}", size=TABLE_SIZE, indent=False)
        return w.bytes()

    def _plan_review(self, w: _Writer, p: PlanReview, report: ReviewReport) -> None:
        n = iter(CN_NUM)
        w.title(f"{p.title}落实情况“回头看”")
        w.para(f"{p.unit_name}　核查截至{cn_date(report.as_of)}", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        w.h1(f"{next(n)}、总体情况")
        for line in summary_sentences(p):
            w.para(line)
        w.h1(f"{next(n)}、整改清单")
        fix = p.rectification
        if fix:
            rows = [
                [i, ri.item.id, ri.item.title, "、".join(ri.leads), ri.deadline_text, ri.situation, last_progress(ri)]
                for i, ri in enumerate(fix, start=1)
            ]
            w.table(["序号", "编号", "工作任务", "牵头单位", "时限", "问题", "最近进展"], rows)
        else:
            w.para("没有需要整改的任务。")
        head = ["合计", *(o.value for o in OUTCOMES), "完成率"]
        w.h1(f"{next(n)}、各牵头单位落实情况")
        w.table(["牵头单位", *head], group_rows(p.depts, p.total))
        w.h1(f"{next(n)}、各部分落实情况")
        w.table(["部分", *head], group_rows(p.sections, p.total))
        if p.duties:
            w.h1(f"{next(n)}、周期性、计次和工作日时限任务")
            rows = [[ri.item.id, ri.item.title, d.phrase, f"{d.met}/{d.required}", duty_cell(d)] for ri in p.duties for d in ri.duties]
            w.table(["编号", "工作任务", "时限", "已落实/应落实", "未落实、逾期及未到期"], rows)
        w.h1(f"{next(n)}、逐项核查结果")
        rows = [
            [
                ri.item.id,
                "是" if ri.key else "",
                ri.item.title,
                "、".join(ri.leads),
                ri.deadline_text,
                ri.item.status.value,
                ri.outcome.value,
                outcome_note(ri),
            ]
            for ri in p.items
        ]
        w.table(["编号", "重点", "工作任务", "牵头单位", "时限", "状态", "核查结果", "说明"], rows)
        w.para()
        w.para(p.unit_name, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
        w.para(cn_date(report.as_of), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)

    # ----------------------------------------------------------------- 督办单

    @render.register
    def _(self, report: NoticeReport) -> bytes:
        w = _Writer(landscape=bool(report.rows), created=report.as_of, title=report.title)
        w.title(report.title)
        w.para(report.number_line, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
        w.para(f"致：{report.dept}", indent=False)
        w.para(report.intro)
        if report.rows:
            rows = [
                [r.no, r.title, r.role, r.deadline, r.due.isoformat() if r.due else "—", r.situation, r.status, r.last_progress]
                for r in report.rows
            ]
            w.table(["序号", "工作任务", "职责", "完成时限", "截止日期", "逾期情况", "目前状态", "最近进展"], rows)
            w.para(report.request)
        w.para()
        w.para(report.issuer, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
        w.para(cn_date(report.as_of), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
        w.para(report.contact_line, indent=False)
        w.para("－ － － － － － － 签收回执 － － － － － － －", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
        w.para(report.receipt_line, indent=False)
        return w.bytes()

    # ----------------------------------------------------------------- 进展报送表

    @render.register
    def _(self, report: FormReport) -> bytes:
        w = _Writer(landscape=True, created=report.issued, title=report.title)
        w.title(report.title)
        w.para(report.header_lines[1], indent=False, size=TABLE_SIZE)
        w.para("填报人：　　　　　　　　联系电话：", indent=False, size=TABLE_SIZE)
        fill = ["" for _ in FILL_COLUMNS]
        rows = [[r.no, *r.sent(), *fill] for r in report.rows]
        widths = [0.9, 2.0, 3.4, 1.0, 2.0, 2.4, 3.2, 4.2, 1.5, 1.6, 2.4, 1.5, 1.5]
        w.table([*SENT_COLUMNS, *FILL_COLUMNS], rows, widths)
        for line in report.docx_notes:
            w.para(line, indent=False, size=TABLE_SIZE)
        return w.bytes()

    # ----------------------------------------------------------------- 催报通知

    @render.register
    def _(self, report: RemindReport) -> bytes:
        w = _Writer(created=report.as_of, title=report.title)
        w.title(report.title)
        w.para(report.intro)
        if report.rows:
            w.table(["序号", "部门", "牵头条目", "配合条目"], [[r.no, r.dept, r.lead, r.assist] for r in report.rows], [1.5, 7, 3, 3])
            w.para(report.request)
        w.para()
        w.para(report.issuer, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
        w.para(cn_date(report.as_of), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
        return w.bytes()
