"""``ggk calendar -o FILE.ics``: the deadlines as an iCalendar file (Outlook, WPS, phone calendars)."""

from pathlib import Path
from typing import Annotated, Optional

import typer

from ggk.cli.common import (
    AllYearsOpt,
    AsOfOpt,
    DeptOpt,
    PartialOpt,
    PlansOpt,
    UnitOpt,
    YearOpt,
    echo,
    handle_errors,
    open_session,
    write_output,
)


@handle_errors
def calendar(
    ctx: typer.Context,
    out: Annotated[Optional[Path], typer.Option("--output", "-o", help="写入的 .ics 文件；默认输出到屏幕", show_default=False)] = None,
    unit: UnitOpt = None,
    year: YearOpt = None,
    dept: DeptOpt = None,
    all_years: AllYearsOpt = False,
    partial: PartialOpt = False,
    plans: PlansOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """把时限导出为日历文件（iCalendar .ics），可导入 Outlook、WPS、手机日历。

    每个时限一个全天事件：一次性任务的截止日期、周期性任务每个周期的最后一天、计次任务
    每个周期（如每年）的最后一天；工作日时限和常态化任务没有固定日期，不导出。事件的 UID
    固定，重新导入会更新原有事件而不会重复；同样的计划和 --as-of 日期得到完全相同的文件。
    """
    from ggk.ledger.calendar import deadline_events, to_ics
    from ggk.ledger.queries import Filters, select

    s, session = open_session(ctx, plans, as_of, partial=partial)
    rows = select(session.ws, s.today, Filters(unit or (), year or (), dept or (), (), all_years))
    events = deadline_events(rows)
    write_output(to_ics(events, s.today), out)
    echo(f"共 {len(events)} 个时限事件。", err=True)
    if session.problems:
        echo(f"注意：计划文件中有 {session.problems} 个错误，有错的条目可能未导出；运行 ggk check 查看。", err=True)
