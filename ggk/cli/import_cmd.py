"""``ggk import``: an issued plan document (txt/docx/web copy) -> plans/<unit>/<year>.yaml.

Thin skin over ``ggk.importer.structure.prepare_import``: parse options, build the plan and the report,
then print (``--dry-run``) or write the files atomically.  Exit codes: 0 imported, 1 no items
in the document, 2 usage or I/O problems (no year, file exists without --force, unreadable).
"""

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from ggk.cli.common import fail, handle_errors


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
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的计划文件")] = False,
) -> None:
    """把印发的工作要点/实施方案导入为计划文件，并报告各部分条目数、缺责任单位的条目、未转换的时限和跳过的段落。

    退出码：0 已导入；1 文件中没有任务条目；2 用法或读写错误（如无法确定年度、目标文件已存在）。
    """
    from ggk.importer.structure import ImportFailure, prepare_import, render_report

    if output is not None and dry_run:
        fail("--output 和 --dry-run 不能同时使用", "预览用 --dry-run，写入用 --output")
    try:
        job = prepare_import(doc, plans_dir=_plans_dir(ctx), unit=unit, year=year, output=output, force=force or dry_run)
    except ImportFailure as exc:
        fail(exc.message, exc.hint, exc.exit_code)
        return
    report = render_report(job.result.report)
    if dry_run:
        typer.echo(job.plan_text, nl=False)
        typer.echo(report, err=True, nl=False)
        if job.unit_text is not None:
            typer.echo(f"（未写入；将新建单位名册 {job.unit_path}，review: true）", err=True)
        return
    try:
        written = job.write()
    except OSError as exc:
        from ggk.workspace.files import os_reason

        fail(f"无法写入：{os_reason(exc)}", "检查目录是否存在、是否有写权限")
        return
    typer.echo(report, nl=False)
    for path, what in written:
        typer.echo(f"已写入 {path}（{what}）")
