"""``ggk form [DEPT…]``: the 进展报送表 of each department for a reporting period, one file each."""

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ggk.cli.common import AsOfOpt, PlansOpt, handle_errors, open_session, render, write_output
from ggk.cli.completion import complete_dept, complete_unit

FormFormat = Enum("FormFormat", {"xlsx": "xlsx", "docx": "docx"}, type=str)


@handle_errors
def form(
    ctx: typer.Context,
    depts: Annotated[
        Optional[list[str]],
        typer.Argument(help="部门名称（可用别名，可多个）；省略时为该期所有应报送的部门", show_default=False, autocompletion=complete_dept),
    ] = None,
    unit: Annotated[
        Optional[str], typer.Option("--unit", "-u", help="单位代号；只有一个单位时可省略", show_default=False, autocompletion=complete_unit)
    ] = None,
    period: Annotated[
        Optional[str],
        typer.Option(
            "--period",
            "-p",
            help="报送期：2026年第三季度、2026-Q3、2026Q3（按月报送写 2026-07，半年写 2026-H2）；默认正在收取的一期",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        Optional[list[FormFormat]],
        typer.Option("--format", "-f", help="xlsx（默认，可回收录入）和/或 docx（Word 表格，供传阅）", show_default=False),
    ] = None,
    out: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="写入的文件夹；默认 ./进展报送表-<报送期>", show_default=False)
    ] = None,
    plans: PlansOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """进展报送表：每个部门一份，列出它牵头或配合的条目和时限情况，由部门填写本期进展后交回（ggk intake 录入）。

    xlsx 表中办公室填写的列已锁定（工作表保护，无密码），每行带隐藏的识别码，部门排序、删行、插行或改工作表名都不影响录入。
    文件名为 <部门>-<报送期>.xlsx。
    """
    from ggk.diagnostics import GgkError
    from ggk.returns.forms import forms_for, plan_for, resolve_period

    s, session = open_session(ctx, plans, as_of)
    ws = session.ws
    units = sorted({e.plan.unit for e in ws.plans})
    if unit is None:
        if len(units) != 1:
            raise GgkError("有多个单位，请用 --unit 指定", f"可选：{'、'.join(units)}")
        unit = units[0]
    if unit not in units:
        raise GgkError(f"单位「{unit}」没有计划", f"可选：{'、'.join(units) or '（无）'}")
    current = max((e for e in ws.plans if e.plan.unit == unit and e.plan.year <= s.today.year), key=lambda e: e.plan.year, default=None)
    the_period = resolve_period(period, (current.plan if current else None, ws.unit(unit)), s.today, session.calendar)
    entry = plan_for(ws, unit, the_period)
    reports = forms_for(ws, entry, depts or [], the_period, s.today, session.calendar)
    if not reports:
        raise GgkError(f"{the_period.label} 没有应报送的部门（该期没有未办结的条目）")
    folder = out or Path(f"进展报送表-{the_period.key}")
    formats = list(dict.fromkeys(fmt or [FormFormat.xlsx]))
    made = [(r, f, render(r, f.value)) for r in reports for f in formats]  # every form is made before any is written
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from ggk.workspace.files import os_reason

        raise GgkError(f"无法建立文件夹 {folder}：{os_reason(exc)}") from None
    for r, f, content in made:
        write_output(content, folder / f"{_safe(r.dept)}-{the_period.key}.{f.value}")
    empty = [r.dept for r in reports if not r.rows]
    if empty:
        typer.echo(f"注意：{'、'.join(empty)} 本期没有未办结的条目，报送表为空表", err=True)
    typer.echo(f"{the_period.label}进展报送表 {len(reports)} 份，报送截止 {the_period.due}", err=True)


def _safe(name: str) -> str:
    return "".join("_" if c in '\\/:*?"<>|' else c for c in name)
