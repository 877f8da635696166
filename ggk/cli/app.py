"""The ``ggk`` Typer application: global options and the registry of commands.

Command modules import only typer at module level; each imports the library inside its function,
so ``ggk --help`` does not pay for rich tables, YAML parsing or pydantic models."""

from typing import Annotated, Optional

import typer

from ggk.cli import check, listing, overdue, show, status
from ggk.cli.common import GlobalAsOfOpt, GlobalPlansOpt

app = typer.Typer(
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


@app.callback()
def main_callback(
    ctx: typer.Context,
    plans: GlobalPlansOpt = None,
    as_of: GlobalAsOfOpt = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="不使用解析缓存，重新读取全部文件")] = False,
    version: Annotated[
        Optional[bool], typer.Option("--version", "-V", help="显示版本号", callback=_version, is_eager=True)
    ] = None,
) -> None:
    """ggk：政务公开工作要点台账。"""
    ctx.obj = {"plans": plans, "as_of": as_of, "no_cache": no_cache}


app.command("check")(check.check)
app.command("status")(status.status)
app.command("list")(listing.list_items)
app.command("show")(show.show)
app.command("overdue")(overdue.overdue)

from ggk.cli import date_cmd  # noqa: E402

app.add_typer(date_cmd.app, name="date")

from ggk.cli import calendar_cmd, init_cmd, schema_cmd  # noqa: E402

app.command("schema")(schema_cmd.schema)
app.command("calendar")(calendar_cmd.calendar)
app.command("init")(init_cmd.init)
app.command("new")(init_cmd.new)

from ggk.cli import notice_cmd, report_cmd, review_cmd  # noqa: E402

app.command("review")(review_cmd.review)
app.command("report")(report_cmd.report)
app.command("notice")(notice_cmd.notice)

from ggk.cli import edit_cmds  # noqa: E402

app.command("assign")(edit_cmds.assign)
app.command("update")(edit_cmds.update)
app.command("done")(edit_cmds.done)
app.command("note")(edit_cmds.note)
app.command("postpone")(edit_cmds.postpone)
app.command("summary")(edit_cmds.summary)


from ggk.cli import import_cmd  # noqa: E402

app.command("import")(import_cmd.import_cmd)


def main() -> None:
    app(prog_name="ggk")
