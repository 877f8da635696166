"""``ggk list``: the items of the current plans, filtered."""

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


@handle_errors
def list_items(
    ctx: typer.Context,
    unit: UnitOpt = None,
    year: YearOpt = None,
    dept: DeptOpt = None,
    status_: StatusOpt = None,
    all_years: AllYearsOpt = False,
    overdue: Annotated[bool, typer.Option("--overdue", help="只列逾期条目")] = False,
    due_within: Annotated[
        Optional[int], typer.Option("--due-within", help="只列 N 天内到期的条目（与 --overdue 同用时两者都列）", min=0, show_default=False)
    ] = None,
    soon: SoonOpt = 15,
    fmt: FormatOpt = ReportFormat.table,
    partial: PartialOpt = False,
    plans: PlansOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """列出条目：编号、标题、牵头单位、时限、状态和逾期情况。"""
    from ggk.ledger.queries import Filters, ItemsReport, select

    s, session = open_session(ctx, plans, as_of, partial=partial)
    filters = Filters(unit or (), year or (), dept or (), parse_statuses(status_), all_years, overdue, due_within)
    rows = select(session.ws, s.today, filters, soon=soon, calendar=session.calendar)
    report = ItemsReport(s.today, "条目", rows, problems=session.problems, skipped=session.skipped, warnings=session.warnings)
    write_output(render(report, fmt.value))
