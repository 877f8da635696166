"""``ggk show REF``: one item in full: text, departments, deadlines, log, summary."""

from typing import Annotated

import typer

from ggk.cli.common import AsOfOpt, FormatOpt, PartialOpt, PlansOpt, ReportFormat, handle_errors, open_session, render, write_output
from ggk.cli.completion import complete_ref


@handle_errors
def show(
    ctx: typer.Context,
    ref: Annotated[
        str,
        typer.Argument(
            help="条目引用：单位/年度/编号（如 gansu-jtt/2021/15），不会混淆时可简写为 单位/编号、年度/编号 或 编号",
            autocompletion=complete_ref,
        ),
    ],
    fmt: FormatOpt = ReportFormat.table,
    partial: PartialOpt = False,
    plans: PlansOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """显示一个条目的全部内容：原文、牵头和配合单位、时限、进展记录、落实情况。"""
    from ggk.ledger.queries import ItemDetail, in_force_note, log_numbers, resolve_ref

    s, session = open_session(ctx, plans, as_of, partial=partial)
    row = resolve_ref(session.ws, ref, s.today, calendar=session.calendar)
    note = in_force_note(session.ws, row.entry)
    report = ItemDetail(s.today, row, session.problems, session.calendar_warnings, note, log_numbers(session.filed, row, s.today))
    write_output(render(report, fmt.value))
