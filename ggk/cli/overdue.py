"""``ggk overdue``: what to chase (督办) today, most days overdue first, by lead department."""

from typing import Annotated, Optional

import typer

from ggk.cli.common import (
    AllYearsOpt,
    AsOfOpt,
    DeptOpt,
    FormatOpt,
    PartialOpt,
    PlansOpt,
    ReportFormat,
    UnitOpt,
    YearOpt,
    handle_errors,
    open_session,
    render,
    write_output,
)


@handle_errors
def overdue(
    ctx: typer.Context,
    within: Annotated[Optional[int], typer.Option("--within", "-w", help="同时列出 N 天内到期的条目", min=0, show_default=False)] = None,
    fail: Annotated[bool, typer.Option("--fail", help="有逾期条目（或有计划文件无法完整读取）时退出码为 1（用于 CI 定时检查）")] = False,
    unit: UnitOpt = None,
    year: YearOpt = None,
    dept: DeptOpt = None,
    all_years: AllYearsOpt = False,
    reports: Annotated[bool, typer.Option("--reports", help="同时列出各部门迟报、漏报的报送期（要读取全部条目，大台账会慢一些）")] = False,
    fmt: FormatOpt = ReportFormat.table,
    partial: PartialOpt = False,
    plans: PlansOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """逾期条目（截至 --as-of 日期），逾期天数多的在前，按牵头单位分组。"""
    from ggk.ledger.queries import Filters, ItemsReport, overdue_rows, select

    s, session = open_session(ctx, plans, as_of, only_open=not reports, partial=partial)  # overdue shows open items only
    filters = Filters(unit or (), year or (), dept or (), (), all_years, overdue=True, due_within=within)
    rows = overdue_rows(select(session.ws, s.today, filters, soon=within or 0, calendar=session.calendar))
    report = ItemsReport(
        s.today,
        "逾期条目",
        rows,
        grouped=True,
        within=within,
        problems=session.problems,
        skipped=session.skipped,
        warnings=session.warnings,
    )
    if reports:
        from ggk.ledger.queries import select_plans
        from ggk.returns.cadence import cadence

        shown = select_plans(session.ws, s.today, filters)
        previous = not (year or all_years)  # the current plans: last year's is shown while still being reported on
        report.cadence = cadence(session.ws, shown, s.today, session.calendar, depts=dept or (), previous=previous)
    write_output(render(report, fmt.value))
    # --fail is for CI: a plan left out (with --partial) could hold the overdue items it looks for
    if fail and (any(r.overdue_days is not None for r in rows) or session.ws.left_out()):
        raise typer.Exit(1)
