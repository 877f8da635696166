"""``ggk import``: an issued plan document (txt/docx/web copy) -> plans/<unit>/<year>.yaml.

Thin skin over ``ggk.importer.job.prepare_import``: parse options, build the plan and the report,
then print (``--dry-run``) or write the files (a new plan atomically, a merge into an existing plan
through the edit transaction).  A dry run refuses exactly what the real run would.  Exit codes: 0
imported, 1 no items in the document (or a table of progress returns) or a merge refused, 2 usage or
I/O problems (no year, unreadable or oversized file).
"""

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from ggk.cli.common import fail, handle_errors, settings


def _plans_dir(ctx: typer.Context) -> Path:
    root = ctx.find_root()
    obj: Any = root.obj if isinstance(root.obj, dict) else (ctx.obj if isinstance(ctx.obj, dict) else {})
    paths = [Path(p) for p in (obj.get("plans") or [])] or [Path("plans")]
    first = paths[0]
    # --plans may name a plan file; its folder's parent is then the plans folder.
    return first.parent.parent if first.suffix in (".yaml", ".yml") else first


@handle_errors
def import_cmd(
    ctx: typer.Context,
    doc: Annotated[Path, typer.Argument(help="印发的文件：.txt（UTF-8 或 GBK）、.md 网页复制稿或 .docx", show_default=False)],
    unit: Annotated[
        Optional[str],
        typer.Option(
            "--unit", "-u", help="单位代号（plans/ 下的文件夹名，如 gansu-jtt）；已有名册时按名册规范部门名称", show_default=False
        ),
    ] = None,
    year: Annotated[Optional[int], typer.Option("--year", "-y", help="年度；默认取自文件标题或文号", show_default=False)] = None,
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="写入的计划文件；默认 <plans>/<单位>/<年度>.yaml", show_default=False)
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="只显示导入结果和报告，不写文件")] = False,
    force: Annotated[bool, typer.Option("--force", help="已有计划时，删去文件中没有的、尚无落实记录的条目（有记录的条目仍保留）")] = False,
    replace_recorded: Annotated[
        bool,
        typer.Option("--replace-recorded", help="允许文件中的同号条目替换已有落实记录的条目（报告列出将丢弃的记录）"),
    ] = False,
    issued: Annotated[
        Optional[str], typer.Option("--issued", help="印发日期（文件中没有时），如 2024-03-15 或 2024年3月15日", show_default=False)
    ] = None,
    register: Annotated[
        bool,
        typer.Option("--register", help="把名册中没有的部门名称登记进 unit.yaml（标 review: true 待核对）；不加时并入已有计划会因此拒绝"),
    ] = False,
) -> None:
    """把印发的工作要点/实施方案/任务分工表导入为计划文件，并报告各部分条目数、逐条的责任单位和时限、未转换的时限和跳过的段落。

    已有计划时（如年初结转生成的计划）并入：保留有落实记录的条目，新增文件中的条目，报告编号冲突；结转生成的计划取文件的标题、文号。
    名册中没有的部门名称会使并入被拒绝（--dry-run 同样报告）：加 --register 登记进名册。
    退出码：0 已导入；1 文件中没有任务条目（或是进展报送表），或并入会使计划无效而未写入；2 用法或读写错误（如无法确定年度）。
    """
    import sys

    from ggk.cli.common import parse_date
    from ggk.diagnostics import GgkError
    from ggk.importer.job import prepare_import
    from ggk.importer.report import render_report

    if output is not None and dry_run:
        fail("--output 和 --dry-run 不能同时使用", "预览用 --dry-run，写入用 --output")
    when = _date(issued, parse_date) if issued else None

    def prepare(when: Any) -> Any:
        return prepare_import(
            doc, plans_dir=_plans_dir(ctx), unit=unit, year=year, output=output, force=force,
            replace_recorded=replace_recorded, issued=when, preview=dry_run, register=register,
        )  # fmt: skip

    try:
        job = prepare(when)
        if job.result.plan.issued is None and not dry_run and job.refusal is None and sys.stdin.isatty():
            answer = typer.prompt("文件中没有印发日期，请输入（如 2024-03-15，直接回车跳过）", default="", show_default=False)
            if answer.strip():
                job = prepare(_date(answer, parse_date))
    except GgkError as exc:
        fail(exc.message, exc.hint, exc.exit_code)
        return
    report = render_report(job.result.report)
    if job.refusal is not None:  # the dry run and the real run refuse alike, after the report that shows why
        typer.echo(report, err=True, nl=False)
        fail(job.refusal.message, job.refusal.hint, job.refusal.exit_code)
        return
    if dry_run:
        typer.echo(job.plan_text, nl=False)
        typer.echo(report, err=True, nl=False)
        if job.unit_text is not None:
            typer.echo(f"（未写入；将新建单位名册 {job.unit_path}，review: true）", err=True)
        if job.register:
            typer.echo(f"（未写入；将在名册中登记 {len(job.register)} 个部门：{'、'.join(job.register)}，review: true）", err=True)
        return
    try:
        written = job.write(settings(ctx).today)
    except GgkError as exc:
        fail(exc.message, exc.hint, exc.exit_code)
        return
    except OSError as exc:
        from ggk.workspace.files import os_reason

        fail(f"无法写入：{os_reason(exc)}", "检查目录是否存在、是否有写权限")
        return
    typer.echo(report, nl=False)
    for path, what in written:
        typer.echo(f"已写入 {path}（{what}）")


def _date(text: str, parse_date: Any) -> Any:
    """A date typed as 2024-03-15, 2024/3/15 or 2024年3月15日 (``ggk.dates``, through the CLI's parser)."""
    return parse_date(text, "--issued")
