"""The department registry (``ggk dept list``) as aligned plain lines for the terminal.

One line per department: 部门, 别名, 集合, 待核对, 联系人, then 牵头/配合 for each year's plan; a
head line naming the unit, and the names the plans use that the registry does not know.  Plan and
registry text is shown through ``ggk.render.safe.visible`` (control characters escaped).  JSON is
``ggk.render.jsonr`` (``DeptReport.to_json``).
"""

from __future__ import annotations

from ggk.ledger.departments import DeptReport
from ggk.render.safe import visible
from ggk.render.table import _width


def registry_lines(report: DeptReport) -> str:
    groups = sum(r.group for r in report.rows)
    head = f"{report.unit_name}（{report.unit}）部门名册：{len(report.rows) - groups} 个部门，{groups} 个集合名称"
    if report.review:
        head += "；名册由导入生成，待核对（ggk dept reviewed）"
    lines = [head]
    if not report.rows:
        lines.append("名册是空的：用 ggk dept add 部门名称 登记，或 ggk import 导入印发文件。")
    else:
        cols = ["部门", "别名", "集合", "待核对", "联系人"] + [f"{y}年 牵头/配合" for y in report.years]
        body = [
            [r.name, "、".join(r.aliases) or "—", "是" if r.group else "", "待核对" if r.review else "", r.contact or "—"]
            + [f"{r.counts[y][0]}/{r.counts[y][1]}" if y in r.counts else "—" for y in report.years]
            for r in report.rows
        ]
        widths = [max(_width(row[i]) for row in [cols, *body]) for i in range(len(cols))]

        def line(cells: list[str]) -> str:
            return ("  " + "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True))).rstrip()

        lines += [line(cols), "  " + "  ".join("─" * w for w in widths), *(line(r) for r in body)]
    if report.unknown:
        lines.append("")
        lines.append("计划中有名册未登记的名称（ggk dept add 登记，或 ggk dept alias 记为别名）：")
        lines += [f"  {y}年：{n}" for y, n in report.unknown]
    return visible("\n".join(lines) + "\n")
