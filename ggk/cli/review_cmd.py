"""``ggk review YEAR``: the year-end 回头看 of a year's plans, and carrying unfinished items over."""

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
    echo,
    handle_errors,
    open_session,
    render,
    write_output,
)


class ReviewFormat(str, Enum):
    table = "table"
    md = "md"
    docx = "docx"
    json = "json"


@handle_errors
def review(
    ctx: typer.Context,
    year: Annotated[int, typer.Argument(help="要“回头看”的计划年度，如 2026")],
    unit: UnitOpt = None,
    carry_over: Annotated[bool, typer.Option("--carry-over", help="把未完成的任务结转到下一年度的计划（重复运行不会重复结转）")] = False,
    deadline: Annotated[
        Optional[str],
        typer.Option(
            "--deadline",
            help="结转任务的新时限，如 2027年6月底前 或 2027-06-30；默认：周期性任务沿用原规则，其余为次年6月底前",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="与 --carry-over 一起用：只显示结转将对两个文件做的修改（统一 diff 格式），不写文件")
    ] = False,
    fmt: Annotated[
        Optional[ReviewFormat],
        typer.Option(
            "--format", "-f", help="输出格式：table（终端里默认，排版显示）、md（管道或 -o 时默认）、docx、json", show_default=False
        ),
    ] = None,
    out: Annotated[Optional[Path], typer.Option("--output", "-o", help="写入文件（docx 必须给出）", show_default=False)] = None,
    partial: PartialOpt = False,
    plans: PlansOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """年度“回头看”：逐项核查该年度计划的落实情况（按期完成、逾期完成、未完成、未到期、已取消、常态化），
    按部门、按部分汇总，列出整改清单；--carry-over 把未完成任务结转到下一年度（加 --dry-run 只显示修改）。"""
    from ggk.diagnostics import GgkError

    if fmt is ReviewFormat.docx and out is None:
        raise GgkError("docx 是二进制格式，不能输出到屏幕", f"用 -o 指定文件，如 -o {year}年回头看.docx")
    if deadline and not carry_over:
        raise GgkError("--deadline 只用于 --carry-over")
    if dry_run and not carry_over:
        raise GgkError("--dry-run 只用于 --carry-over", "预览结转：ggk review YEAR --carry-over --dry-run")
    if dry_run and out is not None:
        raise GgkError("--output 和 --dry-run 不能同时使用", "--dry-run 只在屏幕上显示结转的修改")
    from ggk.ledger.review import review as build

    s, session = open_session(ctx, plans, as_of, partial=partial)
    report = build(session.ws, year, s.today, unit or (), session.calendar)
    from ggk.ledger.register import year_counts

    for p in report.plans:
        p.supervision = year_counts(session.ws, p.unit, p.year, s.today)
    report.problems, report.skipped, report.warnings = session.problems, session.skipped, session.calendar_warnings
    content = render(report, fmt.value if fmt else default_document_format(out))
    if carry_over:
        from ggk.ledger.carryover import apply, plan_carry_over

        if s.today.year <= year:
            echo(f"注意：截至 {s.today} {year} 年度尚未结束，只结转已经逾期未完成的任务", err=True)
        plan = plan_carry_over(session.filed or session.ws, report, s.today, deadline)
        changes = apply(plan, s.today, dry_run=dry_run)
        said = "（预演）" if dry_run else ""
        for t in plan.targets:
            verb = ("将追加到" if dry_run else "追加到") if t.exists else ("将新建" if dry_run else "新建")
            echo(f"{said}结转：{verb} {t.path}，{len(t.carries)} 条：{'、'.join(c.source for c in t.carries)}", err=True)
        for c in plan.repairs:
            done = "将在来源条目标注" if dry_run else "现已在来源条目标注"
            echo(f"{said}补记：{c.source} 已结转至 {c.target}，上次结转未写完，{done} carried_to", err=True)
        for skip in plan.skipped:
            echo(f"{said}跳过 {skip.source}：{skip.reason}", err=True)
        if not plan.carries and not plan.skipped and not plan.repairs:
            echo(f"{said}没有需要结转的未完成任务。", err=True)
        if dry_run:  # the diffs instead of the review: nothing is written
            for change in changes:
                echo(change.diff, nl=False)
            return
    write_output(content, out)
