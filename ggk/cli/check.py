"""``ggk check``: every problem in the plan files, as clickable diagnostics (exit 0/1/2)."""

import os
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from ggk.cli.common import AsOfOpt, PlansOpt, cache_note, handle_errors, jobs, render, settings, write_output


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"
    csv = "csv"
    gitlab = "gitlab"
    junit = "junit"


@handle_errors
def check(
    ctx: typer.Context,
    paths: Annotated[Optional[list[Path]], typer.Argument(help="要检查的目录或文件；默认同 --plans", show_default=False)] = None,
    fmt: Annotated[
        Optional[CheckFormat],
        typer.Option(
            "--format",
            "-f",
            help=(
                "输出格式：text、json、github（GitHub Actions 注释；设置了 GITHUB_ACTIONS 时默认）、csv、"
                "gitlab（GitLab 代码质量报告）、junit（JUnit XML）"
            ),
            show_default=False,
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="警告也算失败（退出码 1）")] = False,
    ignore: Annotated[
        Optional[list[str]], typer.Option("--ignore", help="忽略某个检查代码，如 GGK203（可多次给出）", show_default=False)
    ] = None,
    plans: PlansOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """检查计划文件：YAML 语法、键名、类型、日期、部门名册、条目编号、时限等。

    退出码：0 没有问题；1 发现问题（--strict 时警告也算）；2 用法或读写错误。
    """
    from ggk.workspace.checks import CheckReport

    s = settings(ctx, plans, as_of)
    ws, diags = _load_and_check(list(paths) if paths else s.plans, s.today, ignore or (), s.use_cache)
    report = CheckReport(diags, ws.files, strict)
    chosen = fmt.value if fmt else ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    write_output(render(report, chosen))
    raise typer.Exit(1 if report.failed else 0)


def _load_and_check(paths: list[Path], today: Any, ignore: Any, use_cache: bool) -> Any:
    if use_cache:  # the same answers as without the cache (tests/test_cache.py)
        from ggk.workspace.cache import open_cached

        ws, diags, cache = open_cached(paths, today, ignore=ignore, jobs=jobs())
        cache_note(cache.note)
        return ws, diags
    from ggk.workspace.checks import validate
    from ggk.workspace.load import load

    ws = load(paths)
    return ws, validate(ws, today, ignore=ignore)
