"""``ggk notice``: the 督办通知单 of one department (``--issue`` numbers it and records it in the unit's
register), the register itself (``--list``), and the 催报 notice of a reporting period (``--remind``)."""

from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

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
    dept: Annotated[
        Optional[str], typer.Argument(help="部门名称（可用别名），如 局办公室；--list、--remind 时不用", show_default=False)
    ] = None,
    unit: UnitOpt = None,
    within: Annotated[int, typer.Option("--within", "-w", help="同时列出 N 天内到期的条目", min=0)] = 15,
    reply_by: Annotated[
        Optional[str], typer.Option("--reply-by", help="反馈截止日期（YYYY-MM-DD）；默认 5 个工作日后", show_default=False)
    ] = None,
    issuer: Annotated[Optional[str], typer.Option("--issuer", help="督办单位；默认“<单位全称>办公室”", show_default=False)] = None,
    issue: Annotated[
        bool, typer.Option("--issue", help="签发：编号（如 督〔2026〕3号）并记入单位的登记簿 register.yaml；同一天重复签发不另编号")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="与 --issue 一起用：只显示登记簿将要做的修改（统一 diff 格式），不写文件")
    ] = False,
    prefix: Annotated[str, typer.Option("--prefix", help="督办单编号的字头，如 督 → 督〔2026〕3号")] = "督",
    contact: Annotated[Optional[str], typer.Option("--contact", help="督办单上的联系人", show_default=False)] = None,
    phone: Annotated[Optional[str], typer.Option("--phone", help="督办单上的联系电话", show_default=False)] = None,
    list_: Annotated[bool, typer.Option("--list", help="督办登记：已签发的督办单及按期反馈、逾期反馈、未反馈情况")] = False,
    remind: Annotated[bool, typer.Option("--remind", help="催报通知：本期尚未报送进展的部门")] = False,
    period: Annotated[
        Optional[str], typer.Option("--period", "-p", help="与 --remind 一起用：报送期，如 2026-Q3；默认最近结束的一期", show_default=False)
    ] = None,
    fmt: Annotated[
        Optional[NoticeFormat],
        typer.Option(
            "--format", "-f", help="输出格式：table（终端里默认，排版显示）、md（管道或 -o 时默认）、docx、json", show_default=False
        ),
    ] = None,
    out: Annotated[Optional[Path], typer.Option("--output", "-o", help="写入文件（docx 必须给出）", show_default=False)] = None,
    fail: Annotated[bool, typer.Option("--fail", help="有逾期条目（--list：有逾期未反馈的督办单）时退出码为 1")] = False,
    partial: PartialOpt = False,
    plans: PlansOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """督办通知单：一个部门牵头或配合的逾期和临期任务，含时限、逾期天数和最近进展；--issue 编号并登记。

    `--list` 列出登记簿中的督办单（签发、按期反馈、逾期反馈、未反馈）；`--remind` 生成本期尚未报送进展的部门的催报通知。
    """
    from ggk.diagnostics import GgkError

    if list_ and remind:
        raise GgkError("--list 和 --remind 不能同时使用")
    if (list_ or remind) and dept:
        raise GgkError(f"--{'list' if list_ else 'remind'} 不用给部门名称")
    if not (list_ or remind) and not dept:
        raise GgkError("请给出部门名称，如 ggk notice 局办公室；或用 --list、--remind")
    if period and not remind:
        raise GgkError("--period 只用于 --remind")
    if dry_run and not issue:
        raise GgkError("--dry-run 只用于 --issue", "不加 --issue 的 ggk notice 本来就不写文件")
    if dry_run and out is not None:
        raise GgkError("--output 和 --dry-run 不能同时使用", "--dry-run 只在屏幕上显示登记簿的修改")
    if fmt is NoticeFormat.docx and out is None:
        raise GgkError("docx 是二进制格式，不能输出到屏幕", f"用 -o 指定文件，如 -o 督办单-{dept or '登记'}.docx")
    reply = parse_date(reply_by, "--reply-by") if reply_by else None
    s, session = open_session(ctx, plans, as_of, partial=partial)
    fmt_value = fmt.value if fmt else default_document_format(out)
    if list_:
        report = _register(session, s.today, unit or ())
        if fmt is NoticeFormat.docx:
            raise GgkError("督办登记只能输出 table、md 或 json")
        write_output(render(report, fmt_value), out)
        if fail and report.counts.unanswered:
            raise typer.Exit(1)
        return
    if remind:
        write_output(render(_remind(session, s.today, unit or (), period, reply, issuer), fmt_value), out)
        return
    assert dept is not None
    from ggk.ledger.reports import notice as build

    report = build(session.ws, dept, s.today, units=unit or (), within=within, calendar=session.calendar, reply_by=reply, issuer=issuer)
    report.contact, report.phone = contact, phone
    diffs = _number(report, session, s.today, issue, prefix, dry_run)
    if dry_run:  # the register's diff instead of the notice: nothing is written
        for diff in diffs:
            typer.echo(diff, nl=False)
        return
    write_output(render(report, fmt_value), out)
    if fail and (report.overdue or session.ws.left_out()):  # (a plan left out with --partial: maybe overdue too)
        raise typer.Exit(1)


def _unit_of(ws: Any, units: Any) -> str:
    from ggk.diagnostics import GgkError

    known = sorted({e.plan.unit for e in ws.plans})
    chosen = list(units) or known
    if len(chosen) != 1:
        raise GgkError("有多个单位，请用 --unit 指定", f"可选：{'、'.join(known)}")
    if chosen[0] not in known:
        raise GgkError(f"单位「{chosen[0]}」没有计划", f"可选：{'、'.join(known) or '（无）'}")
    return str(chosen[0])


def _number(report: Any, session: Any, today: Any, issue: bool, prefix: str, dry_run: bool = False) -> list[str]:
    """The notice's number: recorded now (``--issue``; with ``dry_run`` only the diff the record would
    make, returned), or the one it was given when issued today."""
    from ggk.ledger import register

    slug = report.unit
    folder = register.unit_dir_of(session.ws, slug)
    path = register.register_path(folder)
    diffs: list[str] = []
    if issue:
        if not report.rows:
            typer.echo("没有逾期或临期的任务，督办单未签发、未登记。", err=True)
            return diffs
        rec = register.record_notice(
            path,
            slug,
            dept=report.dept,
            day=today,
            items=[r.ref for r in report.rows],
            reply_by=report.reply_by,
            prefix=prefix,
            dry_run=dry_run,
            diffs=diffs,
        )
        report.no = rec.no
        if dry_run:
            typer.echo(f"（预演）将登记 {rec.no}（{path}）" if diffs else f"（预演）{rec.no} 已登记，登记簿不变", err=True)
        else:
            typer.echo(f"已登记 {rec.no}（{path}）", err=True)
        return diffs
    old = register.issued_on(register.read_register(path, slug), report.dept, today)
    report.no = old.no if old is not None else None
    return diffs


def _register(session: Any, today: Any, units: Any) -> Any:
    from ggk.ledger.register import register_report, unit_dir_of

    slug = _unit_of(session.ws, units)
    return register_report(session.ws, slug, unit_dir_of(session.ws, slug), today)


def _remind(session: Any, today: Any, units: Any, period: Any, reply: Any, issuer: Any) -> Any:
    from ggk.deadlines import reporting
    from ggk.returns.cadence import remind
    from ggk.returns.forms import plan_for, resolve_period

    ws = session.ws
    slug = _unit_of(ws, units)
    current = max((e for e in ws.plans if e.plan.unit == slug and e.plan.year <= today.year), key=lambda e: e.plan.year, default=None)
    pair = (current.plan if current else None, ws.unit(slug))
    if period:
        the_period = resolve_period(period, pair, today, session.calendar)
    else:
        setting = reporting.setting(*pair)
        the_period = reporting.previous(reporting.period_of(today, setting, session.calendar), setting, session.calendar)
    report = remind(ws, plan_for(ws, slug, the_period), the_period, today, session.calendar)
    report.reply_by = reply or report.reply_by
    report.issuer = issuer or report.issuer
    return report
