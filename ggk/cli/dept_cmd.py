"""``ggk dept``: the department registry (plans/<unit>/unit.yaml) without an editor.

Owns the ``list``, ``add``, ``alias``, ``rename``, ``merge``, ``reviewed`` and ``remove`` commands;
``ggk.cli.app`` mounts ``app`` as ``ggk dept``.  Each parses its options, builds one operation of
``ggk.ledger.departments`` and runs it through ``departments.change`` (locked, minimal, validated,
atomic; ``--dry-run`` prints the diff).  Exit codes as the other edit commands: 0 written (or dry run
shown), 1 the change would make the file invalid (nothing written), 2 a refused change (a name that
another department holds, a department that plans still use, an unknown name), usage and I/O errors.
Only typer and the standard library are imported at module top (start-up speed).
"""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer

from ggk.cli.common import AsOfOpt, PlansOpt, echo, handle_errors, load_plans, settings
from ggk.cli.completion import complete_dept, complete_unit
from ggk.cli.edit_cmds import DryRunOpt
from ggk.cli.zh import ChineseCommand, ChineseGroup

app = typer.Typer(
    cls=ChineseGroup,
    help="部门名册：查看、登记、别名、改名、合并、核对、删除（写入 plans/<单位>/unit.yaml，不用编辑器）。",
    no_args_is_help=True,
)

_UNIT_HELP = "单位代号；只有一个单位、或部门名称只在一个单位登记时可省略"
UnitOpt = Annotated[Optional[str], typer.Option("--unit", "-u", help=_UNIT_HELP, show_default=False, autocompletion=complete_unit)]
_NAME_HELP = "部门名称（规范名称、别名或去掉“厅/局”等前缀的简称）"
NameArg = Annotated[str, typer.Argument(help=_NAME_HELP, autocompletion=complete_dept, show_default=False)]
AliasOpt = Annotated[Optional[list[str]], typer.Option("--alias", "-a", help="别名（可多次给出，或用顿号、逗号分隔）", show_default=False)]


def _run(ctx: typer.Context, plans: Any, as_of: Any, unit: Optional[str], name: Optional[str], make_op: Any, dry_run: bool) -> None:
    """Load the plans, pick the unit, build the operation (``make_op(ws, slug)``) and apply it."""
    from ggk.cli.edit_cmds import _report
    from ggk.ledger import departments

    s = settings(ctx, plans, as_of)
    ws = load_plans(s)
    slug = departments.unit_of(ws, unit, name)
    result = departments.change(ws, slug, make_op(ws, slug), dry_run=dry_run, today=s.today)
    _report([result], dry_run)


@app.command("list", cls=ChineseCommand)
@handle_errors
def list_departments(
    ctx: typer.Context,
    unit: UnitOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="输出格式：table（对齐的文字）或 json")] = "table",
    plans: PlansOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """列出部门名册：名称、别名、是否集合名称、待核对标记、联系人，以及各年度计划中牵头/配合的条目数。"""
    from ggk.diagnostics import GgkError
    from ggk.ledger import departments

    if fmt not in ("table", "json"):
        raise GgkError(f"--format 不支持「{fmt}」", "可用 table 或 json")
    s = settings(ctx, plans, as_of)
    ws = load_plans(s)
    report = departments.registry_report(ws, departments.unit_of(ws, unit))
    if fmt == "json":
        from ggk.render import Format, renderer

        echo(str(renderer(Format.JSON).render(report)), nl=False)
        return
    from ggk.render.depts import registry_lines

    echo(registry_lines(report), nl=False)


@app.command("add", cls=ChineseCommand)
@handle_errors
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="新部门的规范名称", show_default=False)],
    alias: AliasOpt = None,
    group: Annotated[bool, typer.Option("--group", help="集合名称（厅属各单位、各股室等），不是一个部门")] = False,
    unit: UnitOpt = None,
    dry_run: DryRunOpt = False,
    plans: PlansOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """登记新部门（可带别名）。名称或别名已属于另一个部门时拒绝（退出码 2）。"""
    from ggk.cli.edit_cmds import _names
    from ggk.ledger import departments

    _run(ctx, plans, as_of, unit, None, lambda ws, slug: departments.add(name, _names(alias), group=group), dry_run)


@app.command("alias", cls=ChineseCommand)
@handle_errors
def alias(
    ctx: typer.Context,
    name: NameArg,
    aliases: Annotated[list[str], typer.Argument(help="一个或多个别名", show_default=False)],
    unit: UnitOpt = None,
    dry_run: DryRunOpt = False,
    plans: PlansOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """给部门增加别名（文件中出现的其他写法）。别名已是另一个部门的名称或别名时全部拒绝（退出码 2）。"""
    from ggk.cli.edit_cmds import _names
    from ggk.ledger import departments

    _run(ctx, plans, as_of, unit, name, lambda ws, slug: departments.add_aliases(name, _names(aliases)), dry_run)


@app.command("rename", cls=ChineseCommand)
@handle_errors
def rename(
    ctx: typer.Context,
    old: NameArg,
    new: Annotated[str, typer.Argument(help="新的规范名称", show_default=False)],
    unit: UnitOpt = None,
    dry_run: DryRunOpt = False,
    plans: PlansOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """部门改名：新名称成为规范名称，原名称留作别名，计划中写作原名称的地方仍然有效。"""
    from ggk.ledger import departments

    _run(ctx, plans, as_of, unit, old, lambda ws, slug: departments.rename(old, new), dry_run)


@app.command("merge", cls=ChineseCommand)
@handle_errors
def merge(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="要并入的部门（如 厅法规处）", autocompletion=complete_dept, show_default=False)],
    into: Annotated[str, typer.Argument(help="并入哪个部门（如 厅政策法规处）", autocompletion=complete_dept, show_default=False)],
    unit: UnitOpt = None,
    dry_run: DryRunOpt = False,
    plans: PlansOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """合并同一部门的两种写法：前者的名称和别名都成为后者的别名，前者从名册中去掉。

    计划文件不改动：写作前者的牵头、配合、报送单位仍按别名归到后者（要统一改写，用
    ggk assign --unit 单位 --resolve）。
    """
    from ggk.ledger import departments

    _run(ctx, plans, as_of, unit, source, lambda ws, slug: departments.merge(source, into), dry_run)


@app.command("reviewed", cls=ChineseCommand)
@handle_errors
def reviewed(
    ctx: typer.Context,
    names: Annotated[Optional[list[str]], typer.Argument(help="已核对的部门（一个或多个）", show_default=False)] = None,
    everything: Annotated[bool, typer.Option("--all", help="整个名册已核对：去掉全部待核对标记")] = False,
    unit: UnitOpt = None,
    dry_run: DryRunOpt = False,
    plans: PlansOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """去掉待核对标记（review: true，导入自动生成名册时留下，ggk check 报 GGK216）。

    给部门名称时只去掉这些部门的标记；名册整体待核对时，其余部门各自保留标记。
    """
    from ggk.diagnostics import GgkError
    from ggk.ledger import departments

    if bool(names) == everything:
        raise GgkError("请给出已核对的部门名称，或用 --all 表示整个名册已核对（二者选一）")
    first = names[0] if names else None
    _run(ctx, plans, as_of, unit, first, lambda ws, slug: departments.reviewed(names or [], everything=everything), dry_run)


@app.command("remove", cls=ChineseCommand)
@handle_errors
def remove(
    ctx: typer.Context,
    name: NameArg,
    unit: UnitOpt = None,
    dry_run: DryRunOpt = False,
    plans: PlansOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """从名册中删除部门。仍有计划条目（牵头、配合、报送）或集合名称用到它时拒绝（退出码 2），并列出用到的地方。"""
    from ggk.ledger import departments

    _run(ctx, plans, as_of, unit, name, lambda ws, slug: departments.remove(name, departments.uses(ws, slug, name)), dry_run)
