"""``ggk intake FILE…``: take returned 进展报送表 (or a hand-kept 工作台账) into the plans."""

from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from ggk.cli.common import AsOfOpt, PlansOpt, fail, handle_errors, settings
from ggk.cli.completion import complete_unit

IntakeFormat = Enum("IntakeFormat", {"text": "text", "json": "json"}, type=str)


@handle_errors
def intake(
    ctx: typer.Context,
    files: Annotated[
        list[Path], typer.Argument(help="交回的进展报送表（xlsx），或手工维护的工作台账（ggk report -f xlsx 生成）", show_default=False)
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="只检查并显示将要做的修改（统一 diff 格式），不写文件")] = False,
    period: Annotated[
        Optional[str],
        typer.Option("--period", "-p", help="只收取这一期（如 2026-Q3）；默认正在收取的一期和上一期（迟交的）", show_default=False),
    ] = None,
    unit: Annotated[
        Optional[list[str]],
        typer.Option("--unit", "-u", help="只收取这个单位的报送表（可多次给出）", show_default=False, autocompletion=complete_unit),
    ] = None,
    fmt: Annotated[IntakeFormat, typer.Option("--format", "-f", help="输出格式：text（默认）或 json")] = IntakeFormat.text,
    plans: PlansOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """录入交回的进展报送表：逐行检查，合格的行写成进展记录和状态变化（与 ggk note/update 相同的修改方式），并登记收到的报送表。

    每个问题注明文件、工作表和行；有问题的行不录入，其余照常录入，退出码为 1。同一份报送表录入两次不会重复；
    更正后重交的报送表替换它上次的内容。最后按部门汇总录入、未变、退回的行数，并列出本期尚未报送的部门（没有交回报送表，也没有本期的进展记录）。
    """
    from ggk.returns.intake import Context
    from ggk.returns.intake import intake as run
    from ggk.workspace.load import load

    _paths_exist(files)
    s = settings(ctx, plans, as_of)
    from ggk.deadlines.workdays import WorkCalendar

    holiday_dirs = [p / "_holidays" for p in s.plans if p.is_dir()]
    ws = load(s.plans)  # the files themselves, not the cache: rows are checked against what will be edited
    context = Context(ws, s.today, period, unit or (), WorkCalendar(holiday_dirs[0] if holiday_dirs else None))
    report = run(files, context, dry_run=dry_run)
    if fmt is IntakeFormat.json:
        import json

        typer.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        _show(report)
    if report.failed:
        raise typer.Exit(1)


def _show(report: Any) -> None:
    for r in report.edits:
        if report.dry_run and r.diff:
            typer.echo(r.diff, nl=False)
        elif r.written:
            typer.echo(f"已写入 {r.path}", err=True)
    for p in report.problems:
        typer.echo(f"问题：{p.text()}", err=True)
    rows = report.summary()
    verb = "（预演，未写入）" if report.dry_run else ""
    if rows:
        typer.echo(f"录入结果{verb}：")
        width = max(len(s.dept) for s in rows)
        for s in rows:
            pad = "　" * (width - len(s.dept))
            typer.echo(f"  {s.dept}{pad}  {s.period}  录入 {s.applied} 行，未变 {s.unchanged} 行，退回 {s.rejected} 行，空白 {s.blank} 行")
    for line in report.register:
        typer.echo(f"  {'（预演）' if report.dry_run else ''}{line}", err=True)
    for m in report.missing:
        if m.depts:
            typer.echo(f"{m.period.label}尚未报送（截止 {m.period.due}）：{'、'.join(m.depts)}")
        else:
            typer.echo(f"{m.period.label}各部门均已报送。")


def _paths_exist(files: list[Path]) -> None:
    """A path that names no file is a usage error (exit 2) before anything is read or written; a file that is
    there but no readable return is one problem among the others (exit 1), reported by the intake itself."""
    for path in files:
        if path.is_dir():
            fail(f"{path} 是文件夹，不是报送表文件", "给出交回的文件本身，如 收到的/*.xlsx；其余文件也未录入")
        if not path.exists():
            fail(f"找不到文件 {path}", "检查路径和文件名（如 收到的/*.xlsx 没有匹配的文件）；其余文件也未录入，改正后重新运行")
