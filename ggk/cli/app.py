"""The ``ggk`` Typer application: global options and the registry of commands.

Command modules import only typer at module level; each imports the library inside its function,
so ``ggk --help`` does not pay for rich tables, YAML parsing or pydantic models.  A run imports the
module of its own command only (``app_for``); ``app``, the application with every command (help,
completion, tests), is made on first use."""

import functools
import importlib
import os
from collections.abc import Callable
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from ggk.cli import zh
from ggk.cli.common import GlobalAsOfOpt, GlobalPlansOpt

GLOBAL_PANEL = "全局选项（也可写在命令名之前）"


def _keep(key: str) -> Callable[..., Any]:
    """A callback that records a global option given after the command name where the global one goes."""

    def keep(ctx: typer.Context, value: Any) -> Any:
        if value:
            root = ctx.find_root()
            if not isinstance(root.obj, dict):
                root.obj = {}
            root.obj[key] = list(value) if isinstance(value, (list, tuple)) else value
        return value

    return keep


@functools.cache
def _global_params() -> dict[str, Any]:
    """The global options as parameters a command can carry without its function knowing of them
    (``expose_value=False``: the value goes where ``main_callback`` puts the global one)."""

    def carrier(
        plans: Annotated[
            Optional[list[str]],
            typer.Option("--plans", metavar="目录或文件", expose_value=False, callback=_keep("plans"), rich_help_panel=GLOBAL_PANEL),
        ] = None,
        as_of: Annotated[
            Optional[str],
            typer.Option("--as-of", metavar="日期", expose_value=False, callback=_keep("as_of"), rich_help_panel=GLOBAL_PANEL),
        ] = None,
        no_cache: Annotated[
            bool,
            typer.Option("--no-cache", help="不使用解析缓存", expose_value=False, callback=_keep("no_cache"), rich_help_panel=GLOBAL_PANEL),
        ] = False,
    ) -> None:
        """Never run: its options are lent to the commands."""

    holder = typer.Typer(add_completion=False)
    holder.command()(carrier)
    return {p.opts[0]: p for p in typer.main.get_command(holder).params}


def accept_globals(cmd: Any) -> None:
    """Let ``cmd`` (and, for a group such as ``date``, each of its commands) take the global options
    after its name too: ``ggk overdue --no-cache`` means ``ggk --no-cache overdue``.  Options a
    command has itself (most have ``--plans`` and ``--as-of``) are left as they are."""
    if isinstance(cmd, TyperGroup):
        for sub in cmd.commands.values():
            accept_globals(sub)
        return
    have = {opt for p in cmd.params for opt in getattr(p, "opts", ())}
    for name, param in _global_params().items():
        if name not in have:
            cmd.params.append(param)


class GgkGroup(zh.ChineseGroup):
    """The ``ggk`` group: every command it hands out also accepts the global options (``accept_globals``)."""

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        cmd = super().get_command(ctx, cmd_name)
        if cmd is not None:
            accept_globals(cmd)
        return cmd


_SETTINGS: dict[str, Any] = dict(
    cls=GgkGroup,
    name="ggk",
    help="ggk：政务公开工作要点台账。解析、检查、交办、督办和报告各年度的工作要点。",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    # ggk --install-completion: Tab completes commands, options, item references and departments.
    add_completion=True,
)


def _version(value: bool) -> None:
    if value:
        from ggk import __version__

        typer.echo(f"ggk {__version__}")
        raise typer.Exit()


def main_callback(
    ctx: typer.Context,
    plans: GlobalPlansOpt = None,
    as_of: GlobalAsOfOpt = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="不使用解析缓存，重新读取全部文件")] = False,
    version: Annotated[Optional[bool], typer.Option("--version", "-V", help="显示版本号", callback=_version, is_eager=True)] = None,
) -> None:
    """ggk：政务公开工作要点台账。"""
    ctx.obj = {"plans": plans, "as_of": as_of, "no_cache": no_cache}


# Commands in the order of the year's work, grouped in `ggk --help`: (name, "module:function" in
# ggk.cli, help panel).
DAILY, EDIT, YEAR_END, SETUP, TOOLS = "日常查看", "交办与报送进展", "年终回头看与报告", "建立和检查计划", "工具"
COMMANDS: list[tuple[str, str, str]] = [
    ("status", "status:status", DAILY),
    ("overdue", "overdue:overdue", DAILY),
    ("list", "listing:list_items", DAILY),
    ("show", "show:show", DAILY),
    ("assign", "edit_cmds:assign", EDIT),
    ("update", "edit_cmds:update", EDIT),
    ("done", "edit_cmds:done", EDIT),
    ("note", "edit_cmds:note", EDIT),
    ("postpone", "edit_cmds:postpone", EDIT),
    ("summary", "edit_cmds:summary", EDIT),
    ("deadline", "edit_cmds:deadline", EDIT),
    ("correct", "edit_cmds:correct", EDIT),
    ("contact", "edit_cmds:contact", EDIT),
    ("issued", "edit_cmds:issued", SETUP),
    ("form", "form_cmd:form", EDIT),
    ("intake", "intake_cmd:intake", EDIT),
    ("review", "review_cmd:review", YEAR_END),
    ("report", "report_cmd:report", YEAR_END),
    ("notice", "notice_cmd:notice", YEAR_END),
    ("import", "import_cmd:import_cmd", SETUP),
    ("init", "init_cmd:init", SETUP),
    ("new", "init_cmd:new", SETUP),
    ("check", "check:check", SETUP),
    ("schema", "schema_cmd:schema", SETUP),
    ("calendar", "calendar_cmd:calendar", TOOLS),
    ("merge", "merge_cmd:merge", TOOLS),
]


def command_function(spec: str) -> Callable[..., Any]:
    """The function of a command (``"module:function"`` in ggk.cli)."""
    module, function = spec.split(":")
    fn: Callable[..., Any] = getattr(importlib.import_module(f"ggk.cli.{module}"), function)
    return fn


@functools.cache
def whole_app() -> typer.Typer:
    """The application with every command (and the ``date`` and ``dept`` groups)."""
    from ggk.cli import date_cmd, dept_cmd

    whole = typer.Typer(**_SETTINGS)
    whole.callback()(main_callback)
    for name, spec, panel in COMMANDS:
        whole.command(name, cls=zh.ChineseCommand, rich_help_panel=panel)(command_function(spec))
    whole.add_typer(dept_cmd.app, name="dept", rich_help_panel=SETUP)
    whole.add_typer(date_cmd.app, name="date", rich_help_panel=TOOLS)
    return whole


def __getattr__(name: str) -> Any:
    if name == "app":  # ``from ggk.cli.app import app``: the whole application
        return whole_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: the global options that take a value (the others are flags); tests/test_main.py checks the list
VALUED_GLOBALS = ("--plans", "--as-of")


def command_named(args: list[str]) -> str | None:
    """The command ``args`` run: the first word after the global options (None: no such word)."""
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            return None
        if arg in VALUED_GLOBALS:
            i += 2
        elif arg.startswith("-"):
            i += 1
        else:
            return arg
    return None


def app_for(args: list[str]) -> typer.Typer:
    """The application to run ``args`` with: ``app``, or an application holding only the command they
    name, the same callback and settings — the same parsing, help, messages and exit codes for that
    command.  Typer builds the click command of every registered command on every run, and each
    command's module is imported to register it: building only the one that runs keeps a daily
    command's start-up close to a one-command Typer program (tests/bench/README.md).  Anything else —
    no command, a mistyped one (its message lists the others), the ``date`` and ``dept`` groups, shell completion —
    gets ``app``."""
    name = command_named(args)
    found = [(spec, panel) for cmd, spec, panel in COMMANDS if cmd == name]
    if not found or os.environ.get("_GGK_COMPLETE"):
        return whole_app()
    spec, panel = found[0]
    one = typer.Typer(**_SETTINGS)
    one.callback()(main_callback)
    one.command(name, cls=zh.ChineseCommand, rich_help_panel=panel)(command_function(spec))
    return one
