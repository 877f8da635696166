"""The command-line framework's own words in Chinese: usage errors, help headings, the help option.

Typer (and the click inside it) speaks English: "No such option: -d", "Missing argument 'ref'.", panel
titles "Options" and "Error", "Show this message and exit.".  ggk's users read Chinese, so the group
(``ChineseGroup``, which ``ggk.cli.app.GgkGroup`` extends) and every command (``ChineseCommand``)
pass those texts through here:

- ``translate`` rewrites a usage error's message with a table of patterns (one line each); a message
  the table does not know stays as it is, so a newer Typer can only leave a text English, never wrong;
- ``localize_help`` sets Typer's help and error headings (module constants of ``typer.rich_utils``,
  which Typer documents for customisation); it is called only when help or an error is printed, so a
  command that runs normally never imports the help formatter.
"""

from __future__ import annotations

import re
from typing import Any

from typer.core import TyperCommand, TyperGroup

HELP_OPTION = "显示本帮助并退出"
INSTALL_COMPLETION = "为当前 shell 安装命令补全：Tab 补全命令、选项、条目编号和部门"
SHOW_COMPLETION = "显示当前 shell 的补全脚本，可复制或自行安装"

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in [
        (r"No such option: (\S+)", r"没有选项 \1"),
        (r"Did you mean (\S+)\?", r"是不是 \1？"),
        (r"\(Possible options: (.+)\)", r"（可能是：\1）"),
        (r"No such command '(.+?)'\.", r"没有命令「\1」。"),
        (r"Missing argument '(.+?)'\.", r"缺少参数 \1。"),
        (r"Missing option '(.+?)'\.", r"缺少选项 \1。"),
        (r"Missing parameter: (\S+)", r"缺少参数 \1"),
        (r"Option '(.+?)' requires an argument\.", r"选项 \1 后面要给一个值。"),
        (r"Option '(.+?)' requires (\d+) arguments\.", r"选项 \1 后面要给 \2 个值。"),
        (r"Option '(.+?)' does not take a value\.", r"选项 \1 后面不带值。"),
        (r"Got unexpected extra argument(?:s|\(s\))? \((.+)\)", r"多余的参数：\1"),
        (r"Input should be a valid integer[^\n]*", r"应为整数"),
        (r"Input should be a valid number[^\n]*", r"应为数字"),
        (r"Input should be a valid boolean[^\n]*", r"应为 是/否 值"),
        (r"Input should be a valid date[^\n]*", r"应为日期"),
        (r"Invalid value for ('[^:]+'): (Value error, )?", r"\1 的值不对："),
        (r"'([^']*)' is not one of (.+)\.", r"「\1」不是可选的值（\2）。"),
        (r"'([^']*)' is not a valid integer( range)?\.", r"「\1」不是整数。"),
        (r"'([^']*)' is not a valid float( range)?\.", r"「\1」不是数字。"),
        (r"'([^']*)' is not a valid boolean\.", r"「\1」不是 是/否 值。"),
        (r"(\S+) is not in the range (.+)\.", r"\1 不在范围 \2 内。"),
        (r"Path '(.+?)' does not exist\.", r"路径「\1」不存在。"),
        (r"File '(.+?)' does not exist\.", r"文件「\1」不存在。"),
        (r"Directory '(.+?)' does not exist\.", r"目录「\1」不存在。"),
        (r"'(.+?)' is a directory\.", r"「\1」是目录。"),
    ]
]


def translate(message: str) -> str:
    """The Chinese of a usage error's message (pieces the table does not know stay as they are)."""
    for pattern, repl in _PATTERNS:
        message = pattern.sub(repl, message)
    return message


def chinese_usage_error(exc: BaseException) -> None:
    """Make a usage error (exit code 2, anything with ``format_message``) say its message in Chinese,
    under a Chinese heading; a missing argument is also named by its help (缺少参数 ref：条目编号……)."""
    if getattr(exc, "exit_code", None) != 2 or not hasattr(exc, "format_message"):
        return
    message = translate(exc.format_message())
    what = getattr(getattr(exc, "param", None), "help", None)
    if type(exc).__name__ == "MissingParameter" and what:
        message = f"{message.rstrip('。')}：{what}"
    exc.format_message = lambda: message  # type: ignore[attr-defined]  # (BadParameter composes it)
    localize_help()


def localize_help() -> None:
    """Chinese headings for Typer's help pages and error panels."""
    import typer.rich_utils as ru

    ru.ARGUMENTS_PANEL_TITLE = "参数"
    ru.OPTIONS_PANEL_TITLE = "选项"
    ru.COMMANDS_PANEL_TITLE = "命令"
    ru.ERRORS_PANEL_TITLE = "错误"
    ru.ABORTED_TEXT = "已中止。"
    ru.RICH_HELP = "运行 [blue]'{command_path} {help_option}'[/] 查看帮助。"
    ru.DEFAULT_STRING = "[默认：{}]"
    ru.ENVVAR_STRING = "[环境变量：{}]"
    ru.REQUIRED_LONG_STRING = "[必填]"
    ru.DEPRECATED_STRING = "（已废弃）"


def usage(line: str) -> str:
    """A command's usage line in Chinese: 用法：ggk show [选项] REF."""
    return line.replace("Usage: ", "用法：", 1).replace("[OPTIONS]", "[选项]").replace("COMMAND [ARGS]...", "命令 [参数]...")


def help_option(option: Any) -> Any:
    """The ``-h/--help`` option with its help in Chinese."""
    if option is not None:
        option.help = HELP_OPTION
    return option


class ChineseCommand(TyperCommand):
    """A command whose help page is in Chinese."""

    def get_usage(self, ctx: Any) -> str:
        return usage(super().get_usage(ctx))

    def format_help(self, ctx: Any, formatter: Any) -> None:
        localize_help()
        super().format_help(ctx, formatter)

    def get_help_option(self, ctx: Any) -> Any:
        return help_option(super().get_help_option(ctx))


class ChineseGroup(TyperGroup):
    """A group whose usage errors (its own and its commands'), help headings and completion options'
    help are in Chinese."""

    def get_usage(self, ctx: Any) -> str:
        return usage(super().get_usage(ctx))

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except Exception as exc:
            chinese_usage_error(exc)
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as exc:
            chinese_usage_error(exc)
            raise

    def format_help(self, ctx: Any, formatter: Any) -> None:
        localize_help()
        for param in self.params:  # (Typer adds the completion options after the group is made)
            if param.name == "install_completion":
                param.help = INSTALL_COMPLETION  # type: ignore[attr-defined]
            elif param.name == "show_completion":
                param.help = SHOW_COMPLETION  # type: ignore[attr-defined]
        super().format_help(ctx, formatter)

    def get_help_option(self, ctx: Any) -> Any:
        return help_option(super().get_help_option(ctx))
