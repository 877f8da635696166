"""The command line speaks Chinese, also where the words are the framework's own: usage errors, the
headings of help pages, the help option, the completion options."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from ggk.cli.app import app, app_for
from ggk.cli.zh import translate
from tests.conftest import PLANS

#: English words a user must never meet in help or a usage error
ENGLISH = re.compile(
    r"Usage|\[OPTIONS\]|No such|Missing|Invalid value|Usage error|Show this message|Install completion|Options|Arguments|Error|Try '"
)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app_for(list(args)), ["--plans", str(PLANS), "--as-of", "2026-11-21", *args])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["form", "-d", "局办公室"], "没有选项 -d"),
        (["status", "--al"], "没有选项 --al"),
        (["show"], "缺少参数 ref：条目引用"),
        (["status", "--format", "xx"], "'--format' / '-f' 的值不对：「xx」不是可选的值（'table', 'json', 'csv'）。"),
        (["stats"], "没有命令「stats」。 是不是 'status'？"),
        (["overdue", "--within"], "选项 --within 后面要给一个值。"),
        (["status", "extra", "words"], "多余的参数：extra words"),
        (["overdue", "--within", "x"], "'--within' / '-w' 的值不对：应为整数"),
    ],
)
def test_usage_errors_in_chinese(args: list[str], says: str) -> None:
    code, out = run(*args)
    assert code == 2
    flat = " ".join(line.strip("│ ") for line in out.splitlines())
    assert says in flat, out
    assert "错误" in out
    assert not ENGLISH.search(out), out


@pytest.mark.parametrize("args", [["--help"], ["status", "--help"], ["form", "-h"], ["date", "--help"]])
def test_help_pages_in_chinese(args: list[str]) -> None:
    code, out = run(*args)
    assert code == 0
    assert "选项" in out and "显示本帮助并退出" in out and "用法：ggk" in out
    assert not ENGLISH.search(out), out


def test_completion_options_only_on_the_program_itself() -> None:
    top = CliRunner().invoke(app, ["--help"]).output
    assert "--install-completion" in top and "为当前 shell 安装命令补全" in top
    sub = CliRunner().invoke(app, ["status", "--help"]).output
    assert "--install-completion" not in sub and "--show-completion" not in sub


def test_an_unknown_message_stays_as_it_is() -> None:
    assert translate("something new") == "something new"
