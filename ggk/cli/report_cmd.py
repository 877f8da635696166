"""``ggk report YEAR``: the documents of a year's plan: the annual-report section (md/docx) or the
工作台账 (xlsx/html)."""

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ggk.cli.common import AsOfOpt, PartialOpt, PlansOpt, UnitOpt, echo, handle_errors, open_session, render, write_output


class ReportFormat(str, Enum):
    md = "md"
    docx = "docx"
    xlsx = "xlsx"
    html = "html"


BINARY = {"docx", "xlsx"}


@handle_errors
def report(
    ctx: typer.Context,
    year: Annotated[int, typer.Argument(help="计划年度，如 2021")],
    unit: UnitOpt = None,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="md/docx：年度报告中“贯彻落实《…》情况”一节；xlsx/html：工作台账")
    ] = ReportFormat.md,
    out: Annotated[
        Optional[Path],
        typer.Option("--output", "-o", help="写入文件（docx、xlsx 必须给出；md、html 省略时输出到屏幕）", show_default=False),
    ] = None,
    number: Annotated[str, typer.Option("--number", "-n", help="该节在年度报告中的序号，如 六 →（六）；给空字符串则不编号")] = "六",
    soon: Annotated[int, typer.Option("--soon", help="台账中多少天内到期算“临期”（黄灯）", min=0)] = 15,
    partial: PartialOpt = False,
    plans: PlansOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """生成报告：年度报告“贯彻落实《…》情况”一节（md/docx），或工作台账（xlsx/html）。"""
    from ggk.diagnostics import GgkError

    if fmt.value in BINARY and out is None:
        raise GgkError(f"{fmt.value} 是二进制格式，不能输出到屏幕", f"用 -o 指定文件，如 -o {year}年台账.{fmt.value}")
    from ggk.ledger.reports import annual_section, ledger, one_plan

    s, session = open_session(ctx, plans, as_of, partial=partial)
    entry = one_plan(session.ws, year, unit or ())
    if fmt.value in ("md", "docx"):
        doc = annual_section(session.ws, entry, number.strip())
        from ggk.ledger.register import year_counts

        doc.supervision = year_counts(session.ws, entry.plan.unit, entry.plan.year, s.today)
        doc.as_of = s.today
        for e in doc.missing:
            what = "只有进展记录，已据此汇总" if e.source == "log" else "也没有进展记录"
            echo(f"注意：{e.ref}「{e.title}」没有填写落实情况（summary），{what}", err=True)
        content = render(doc, fmt.value)
    else:
        content = render(ledger(session.ws, entry, s.today, session.calendar, soon), fmt.value)
    for w in session.calendar_warnings:
        echo(f"注意：{w}", err=True)
    if session.problems:
        echo(f"注意：ggk check 在计划文件中发现 {session.problems} 个问题，报告只包含能读取的内容。", err=True)
    write_output(content, out)
