"""``ggk notice DEPT``: the 督办通知单 for one department: its overdue and due-soon items."""

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ggk.cli.common import (
    AsOfOpt,
    PartialOpt,
    PlansOpt,
    UnitOpt,
    default_document_format,
    handle_errors,
    open_session,
    parse_date,
    render,
    write_output,
)


class NoticeFormat(str, Enum):
    table = "table"
    md = "md"
    docx = "docx"
    json = "json"


@handle_errors
def notice(
    ctx: typer.Context,
    dept: Annotated[str, typer.Argument(help="部门名称（可用别名），如 局办公室")],
    unit: UnitOpt = None,
    within: Annotated[int, typer.Option("--within", "-w", help="同时列出 N 天内到期的条目", min=0)] = 15,
    reply_by: Annotated[
        Optional[str], typer.Option("--reply-by", help="反馈截止日期（YYYY-MM-DD）；默认 5 个工作日后", show_default=False)
    ] = None,
    issuer: Annotated[Optional[str], typer.Option("--issuer", help="督办单位；默认“<单位全称>办公室”", show_default=False)] = None,
    fmt: Annotated[
        Optional[NoticeFormat],
        typer.Option(
            "--format", "-f", help="输出格式：table（终端里默认，排版显示）、md（管道或 -o 时默认）、docx、json", show_default=False
        ),
    ] = None,
    out: Annotated[Optional[Path], typer.Option("--output", "-o", help="写入文件（docx 必须给出）", show_default=False)] = None,
    fail: Annotated[bool, typer.Option("--fail", help="有逾期条目时退出码为 1")] = False,
    partial: PartialOpt = False,
    plans: PlansOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """督办通知单：一个部门牵头或配合的逾期和临期任务，含时限、逾期天数和最近进展。"""
    from ggk.diagnostics import GgkError

    if fmt is NoticeFormat.docx and out is None:
        raise GgkError("docx 是二进制格式，不能输出到屏幕", f"用 -o 指定文件，如 -o 督办单-{dept}.docx")
    from ggk.ledger.reports import notice as build

    reply = parse_date(reply_by, "--reply-by") if reply_by else None
    s, session = open_session(ctx, plans, as_of, partial=partial)
    report = build(session.ws, dept, s.today, units=unit or (), within=within, calendar=session.calendar, reply_by=reply, issuer=issuer)
    write_output(render(report, fmt.value if fmt else default_document_format(out)), out)
    if fail and (report.overdue or session.ws.left_out()):  # (a plan left out with --partial: maybe overdue too)
        raise typer.Exit(1)
