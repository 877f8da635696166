"""``ggk init UNIT`` (a unit file with its department registry) and ``ggk new YEAR`` (an empty
plan for a year): commented templates that pass ``ggk check`` as written; never overwrite."""

from typing import Annotated, Any, Optional

import typer

from ggk.cli.common import PlansOpt, echo, handle_errors, settings


def _done(written: Any, next_step: str) -> None:
    for extra in written.schema_files:
        echo(f"已写入 {extra}（供编辑器补全键名）", err=True)
    if written.ignore_file is not None:
        echo(f"已写入 {written.ignore_file}（git 不收 ggk 的锁文件和临时文件）", err=True)
    echo(f"已建立 {written.path}")
    echo(next_step, err=True)


@handle_errors
def init(
    ctx: typer.Context,
    unit: Annotated[str, typer.Argument(help="单位代号，用作 plans/ 下的文件夹名，如 gansu-jtt（英文字母、数字、-、_）")],
    name: Annotated[Optional[str], typer.Option("--name", "-n", help="单位全称，如 甘肃省交通运输厅", show_default=False)] = None,
    plans: PlansOpt = None,
) -> None:
    """新建单位：生成 plans/<单位>/unit.yaml（部门名册模板，带中文注释）。已存在时不覆盖。"""
    from ggk.workspace.scaffold import init_unit

    s = settings(ctx, plans, None)
    written = init_unit(s.plans[0], unit, name)
    hint = (
        f"下一步：ggk import 印发文件 --unit {unit}（名册自动登记文件中的部门），"
        f"或用 ggk dept add 部门名称 --unit {unit} 登记部门、ggk new <年度> --unit {unit} 开始录入计划"
    )
    if not name:
        hint = f"提示：单位全称暂写作「{unit}」，请在 {written.path} 中改为全称（name）。\n" + hint
    _done(written, hint)


@handle_errors
def new(
    ctx: typer.Context,
    year: Annotated[int, typer.Argument(help="年度，如 2027", show_default=False)],
    unit: Annotated[Optional[str], typer.Option("--unit", "-u", help="单位代号；只有一个单位时可省略", show_default=False)] = None,
    title: Annotated[
        Optional[str], typer.Option("--title", "-t", help="文件标题；默认“<单位全称><年度>年政务公开工作要点”", show_default=False)
    ] = None,
    plans: PlansOpt = None,
) -> None:
    """新建年度计划：生成 plans/<单位>/<年度>.yaml（空计划，带中文注释的录入示例）。已存在时不覆盖。"""
    from ggk.diagnostics import GgkError
    from ggk.workspace.scaffold import new_plan, units_in

    s = settings(ctx, plans, None)
    root = s.plans[0]
    if not unit:
        known = units_in(root)
        if len(known) != 1:
            raise GgkError(
                "请用 --unit 指定单位", f"已有的单位：{'、'.join(known)}" if known else "先运行 ggk init <单位代号> --name 单位全称"
            )
        unit = known[0]
    written = new_plan(root, unit, year, title)
    _done(written, f"下一步：按印发文件录入 {written.path}，再运行 ggk check 检查")
