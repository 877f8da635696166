"""``ggk status``: the ledger at a glance, per unit / plan / section / department."""

from enum import Enum
from typing import Annotated

import typer

from ggk.cli.common import (
    AllYearsOpt,
    AsOfOpt,
    DeptOpt,
    FormatOpt,
    PartialOpt,
    PlansOpt,
    ReportFormat,
    SoonOpt,
    StatusOpt,
    UnitOpt,
    YearOpt,
    handle_errors,
    open_session,
    parse_statuses,
    render,
    write_output,
)


class By(str, Enum):
    unit = "unit"
    plan = "plan"
    section = "section"
    dept = "dept"


@handle_errors
def status(
    ctx: typer.Context,
    by: Annotated[By, typer.Option("--by", "-b", help="按 unit（单位）/ plan（计划）/ section（部分）/ dept（部门）汇总")] = By.plan,
    unit: UnitOpt = None,
    year: YearOpt = None,
    dept: DeptOpt = None,
    status_: StatusOpt = None,
    all_years: AllYearsOpt = False,
    soon: SoonOpt = 15,
    reports: Annotated[bool, typer.Option("--reports/--no-reports", help="列出各部门迟报、漏报的报送期（默认列出）")] = True,
    fmt: FormatOpt = ReportFormat.table,
    partial: PartialOpt = False,
    plans: PlansOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """各单位当前年度计划的落实情况：各状态条目数、完成率、逾期和临期数，红黄绿灯。"""
    from ggk.ledger.queries import Filters, select, status_report

    s, session = open_session(ctx, plans, as_of, partial=partial)
    filters = Filters(unit or (), year or (), dept or (), parse_statuses(status_), all_years)
    rows = select(session.ws, s.today, filters, soon=soon, calendar=session.calendar)
    report = status_report(session.ws, rows, s.today, by.value, soon)
    report.problems, report.skipped, report.warnings = session.problems, session.skipped, session.warnings
    if reports:
        from ggk.returns.cadence import cadence

        shown = set(report.plans)
        entries = [e for e in session.ws.plans if f"{e.plan.unit}/{e.plan.year}" in shown]
        previous = not (year or all_years)  # the current plans: last year's is shown while still being reported on
        report.cadence = cadence(session.ws, entries, s.today, session.calendar, depts=dept or (), previous=previous)
    write_output(render(report, fmt.value))
