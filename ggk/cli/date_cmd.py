"""``ggk date``: working-day arithmetic on the command line (a thin skin over ggk.deadlines.workdays).

Owns the ``add`` and ``workday`` commands; ``ggk.cli.app`` mounts ``app`` as ``ggk date``.
Only typer and the standard library are imported at module top (start-up speed).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, NoReturn, Optional

import typer

from ggk.cli.zh import ChineseCommand, ChineseGroup

app = typer.Typer(
    cls=ChineseGroup,
    help="日期计算：按国务院办公厅节假日安排（含调休）数工作日。",
    no_args_is_help=True,
)

_HOLIDAYS_HELP = "节假日文件目录（默认 <plans>/_holidays；plans 默认 ./plans，或环境变量 GGK_PLANS）"


def _fail(message: str) -> NoReturn:
    typer.echo(f"错误：{message}", err=True)
    raise typer.Exit(2)


def _calendar(holidays: Optional[Path]) -> Any:
    from ggk.deadlines.workdays import WorkCalendar

    if holidays is not None:
        if not holidays.is_dir():
            _fail(f"节假日文件目录 {holidays} 不存在")
        return WorkCalendar(holidays)
    plans = Path(os.environ.get("GGK_PLANS") or "plans")
    return WorkCalendar(plans / "_holidays")


def _day(text: str) -> Any:
    from ggk.dates import parse_date

    try:
        return parse_date(text)
    except ValueError as exc:
        _fail(str(exc))


def _source(cal: Any, year: int) -> str:
    source = cal.source(year)
    if source == "library":
        return "依据：节假日库 chinesecalendar（国务院办公厅历年通知）"
    if source == "file":
        return f"依据：{cal.holiday_dir / f'{year}.yaml'}（{cal.notice(year)}）"
    return f"依据：{year}年节假日安排未知，仅按周末和元旦、劳动节、国庆节计算"


def _warn(cal: Any) -> None:
    for warning in cal.warnings:
        typer.echo(f"警告：{warning}", err=True)


@app.command("add", cls=ChineseCommand)
def add(
    start: str = typer.Argument(..., help="起算日期（事件发生之日），如 2021-09-29"),
    amount: str = typer.Argument(..., help="时长：7工作日、7个工作日、十个工作日，或 3天"),
    holidays: Optional[Path] = typer.Option(None, "--holidays", help=_HOLIDAYS_HELP),
) -> None:
    """起算日期之后第 N 个工作日（或第 N 天）是哪一天。

    例：ggk date add 2021-09-29 7工作日  →  2021-10-14（跳过国庆节放假，10月9日调休上班计入）
    """
    from ggk.deadlines.workdays import parse_offset, runs, weekday_name

    day = _day(start)
    try:
        offset = parse_offset(amount)
    except ValueError as exc:
        _fail(str(exc))
    cal = _calendar(holidays)
    try:
        result = cal.add(day, offset)
    except (ValueError, OverflowError) as exc:
        _fail(str(exc))
    typer.echo(f"{result.isoformat()}（{weekday_name(result)}）")
    if offset.unit == "workdays":
        typer.echo(f"{day.isoformat()}（{weekday_name(day)}）起第 {abs(offset.n)} 个工作日{'（向前数）' if offset.n < 0 else ''}，次日起算")
        first, last = sorted((day, result))
        for a, b, reason in runs(cal.skipped(first, last)):
            span = a.isoformat() if a == b else f"{a.isoformat()} 至 {b.isoformat()}"
            typer.echo(f"  {span}：{reason}")
        for year in sorted({first.year, last.year}):
            typer.echo(_source(cal, year))
    _warn(cal)


@app.command("workday", cls=ChineseCommand)
def workday(
    day: str = typer.Argument(..., help="日期，如 2021-10-09"),
    holidays: Optional[Path] = typer.Option(None, "--holidays", help=_HOLIDAYS_HELP),
) -> None:
    """某一天是不是工作日，以及原因（工作日、周末、国庆节放假、调休上班……）。"""
    from ggk.deadlines.workdays import weekday_name

    d = _day(day)
    cal = _calendar(holidays)
    ok, reason = cal.is_workday(d)
    verdict = "工作日" if ok else "休息日"
    typer.echo(f"{d.isoformat()}（{weekday_name(d)}）：" + (reason if reason.startswith(verdict) else f"{verdict}，{reason}"))
    typer.echo(_source(cal, d.year))
    _warn(cal)
