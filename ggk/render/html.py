"""HTML: the 工作台账 as one self-contained page an office can publish.

One file, no external resources (no fonts, scripts, images or style sheets to fetch) and no
JavaScript: inline CSS only, so it can be put on a 政府网站 as it is, mailed, or printed.  Every
piece of text from the plans is escaped (``escape``: HTML-escaped, control characters shown as
escapes by ``ggk.render.safe.visible``).  Returns str; never opens a file.
"""

from __future__ import annotations

from html import escape as _html_escape
from typing import Any

from ggk.ledger.reports import LEDGER_COLUMNS, LedgerReport, LedgerRow, cn_date
from ggk.model import Status
from ggk.render import Options, Unsupported
from ggk.render.cells import fit_widths
from ggk.render.safe import visible

CSS = """
body{font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC","SimSun",sans-serif;margin:24px;color:#222;line-height:1.6}
h1{font-size:22px;text-align:center;margin:0 0 4px}
p.meta{text-align:center;color:#555;margin:0 0 16px}
p.summary{margin:0 0 12px}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{border:1px solid #999;padding:4px 6px;vertical-align:top;text-align:left}
th{background:#d9e1f2;position:sticky;top:0}
td.no{text-align:center;white-space:nowrap}
td.status{white-space:nowrap}
.red{background:#ffc7ce;color:#9c0006;font-weight:bold}
.yellow{background:#ffeb9c;color:#9c5700}
.green{background:#c6efce;color:#006100}
.grey{background:#ededed;color:#595959}
h2{font-size:18px;margin:28px 0 8px}
nav{margin:0 0 16px}
nav a{margin-right:12px}
@page{size:A4 landscape;margin:10mm}
@media print{body{margin:0;font-size:12px}th{position:static}h2{break-before:page}
table{font-size:12px;table-layout:fixed;border-collapse:separate;border-spacing:0}th,td{border:0.5px solid #999}}
""".strip()


def escape(value: Any) -> str:
    """Text for HTML: control characters shown as escapes, then HTML-escaped (quotes too)."""
    return _html_escape(visible("" if value is None else str(value)))


def _text(value: Any) -> str:
    return escape(value).replace("\n", "<br>")


def _row(r: LedgerRow) -> str:
    cells = []
    for name, value in zip(LEDGER_COLUMNS, r.cells(), strict=True):
        if name == "序号":
            cells.append(f'<td class="no">{_text(value)}</td>')
        elif name == "完成状态":
            cells.append(f'<td class="status {r.light.value}">{_text(value)}</td>')
        else:
            cells.append(f"<td>{_text(value)}</td>")
    return "<tr>" + "".join(cells) + "</tr>"


#: the text width of an A4 page in landscape with 10 mm margins (``@page``), in centimetres
_PAGE_CM = 27.7


def _colgroup(rows: list[LedgerRow]) -> str:
    """Column widths that fit the content (序号 narrow, 具体内容 wide), as shares of the page's width, so
    a printed or PDF copy keeps every column on the page as the Word tables do."""
    widths = fit_widths(LEDGER_COLUMNS, [r.cells() for r in rows], _PAGE_CM)
    total = sum(widths)
    return "<colgroup>" + "".join(f'<col style="width:{w / total * 100:.1f}%">' for w in widths) + "</colgroup>"


def _table(rows: list[LedgerRow]) -> list[str]:
    out = [
        "<table>",
        _colgroup(rows),
        "<thead><tr>" + "".join(f"<th>{escape(c)}</th>" for c in LEDGER_COLUMNS) + "</tr></thead>",
        "<tbody>",
    ]
    out += [_row(r) for r in rows]
    out += ["</tbody>", "</table>"]
    return out


class HtmlRenderer:
    def __init__(self, options: Options):
        self.options = options

    def render(self, report: Any) -> str:
        if not isinstance(report, LedgerReport):
            raise Unsupported("html")
        counts = report.counts()
        flags = report.flags()
        summary = (
            f"共 {len(report.rows)} 项任务："
            + "，".join(f"{s.value} {counts[s]} 项" for s in Status)
            + f"。其中逾期 {flags['overdue']} 项，{report.soon} 天内到期 {flags['soon']} 项，常态化任务报送期内无进展 {flags['idle']} 项。"
        )
        out = [
            "<!DOCTYPE html>",
            '<html lang="zh-CN">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(report.title)}</title>",
            f"<style>\n{CSS}\n</style>",
            "</head>",
            "<body>",
            f"<h1>{escape(report.title)}</h1>",
            f'<p class="meta">{escape(report.unit_name)}　截至{escape(cn_date(report.as_of))}</p>',
            f'<p class="summary">{escape(summary)}</p>',
        ]
        if report.depts:
            links = "".join(f'<a href="#dept-{i}">{escape(s.dept)}</a>' for i, s in enumerate(report.depts, start=1))
            out.append(f"<nav>按部门查看：{links}</nav>")
        out += _table(report.rows)
        for i, sheet in enumerate(report.depts, start=1):
            out.append(f'<h2 id="dept-{i}">{escape(sheet.dept)}（{len(sheet.rows)} 项）</h2>')
            out += _table(sheet.rows)
        out += ["</body>", "</html>"]
        return "\n".join(out) + "\n"
