"""Options and plumbing shared by the commands: global settings (plans folder, as-of date),
error translation at the edge (GgkError -> Chinese message + exit code 2), and writing the output.

Imports only typer and the standard library at module level, for start-up speed."""

import datetime as dt
import functools
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional, TypeVar

import typer

from ggk.cli.completion import complete_dept, complete_unit

F = TypeVar("F", bound=Callable[..., Any])

# The environment variables belong to the global options only: a command's own --plans/--as-of
# is for an explicit value, so `GGK_TODAY=… ggk --as-of X status` uses X, not the variable.
_PLANS_HELP = "计划目录或文件，可多次给出；默认 ./plans 或环境变量 GGK_PLANS"
_AS_OF_HELP = "以哪一天为“今天”（YYYY-MM-DD）；默认环境变量 GGK_TODAY，再默认系统日期"

GlobalPlansOpt = Annotated[
    Optional[list[Path]],
    typer.Option("--plans", metavar="目录或文件", help=_PLANS_HELP, envvar="GGK_PLANS", show_default=False),
]
GlobalAsOfOpt = Annotated[
    Optional[str],
    typer.Option("--as-of", metavar="YYYY-MM-DD", help=_AS_OF_HELP, envvar="GGK_TODAY", show_default=False),
]
PlansOpt = Annotated[
    Optional[list[Path]],
    typer.Option("--plans", metavar="目录或文件", help=_PLANS_HELP, show_default=False),
]
AsOfOpt = Annotated[
    Optional[str],
    typer.Option("--as-of", metavar="YYYY-MM-DD", help=_AS_OF_HELP, show_default=False),
]


class ReportFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


FormatOpt = Annotated[ReportFormat, typer.Option("--format", "-f", help="输出格式：table（终端表格）、json、csv")]
UnitOpt = Annotated[
    Optional[list[str]], typer.Option("--unit", "-u", help="只看这个单位（可多次给出）", show_default=False, autocompletion=complete_unit)
]
YearOpt = Annotated[Optional[list[int]], typer.Option("--year", "-y", help="只看这个年度（可多次给出）", show_default=False)]
DeptOpt = Annotated[
    Optional[list[str]],
    typer.Option("--dept", "-d", help="只看这个部门牵头或配合的条目（可用别名）", show_default=False, autocompletion=complete_dept),
]
StatusOpt = Annotated[
    Optional[list[str]],
    typer.Option("--status", "-s", help="只看这个状态：未启动/进行中/已完成/已取消（或 todo/doing/done/cancelled）", show_default=False),
]
AllYearsOpt = Annotated[bool, typer.Option("--all-years", help="显示所有年度的计划（默认只看各单位当前年度）")]
SoonOpt = Annotated[int, typer.Option("--soon", help="多少天内到期算“临期”（黄灯）", min=0)]
PartialOpt = Annotated[
    bool,
    typer.Option(
        "--partial",
        help="有计划文件无法（完整）读取时，仍输出能读取部分的报告，并列出缺少的文件；默认不输出报告，退出码 1",
    ),
]


@dataclass
class Settings:
    plans: list[Path]
    today: dt.date
    use_cache: bool = True
    #: the as-of date lies before the clock's date
    past: bool = False


def open_session(
    ctx: typer.Context, plans: Optional[list[Path]], as_of: Optional[str], *, only_open: bool = False, partial: bool = False
) -> tuple[Settings, Any]:
    """The settings of a report command and its ``ggk.workspace.session.Session`` (plans loaded and checked).

    A plan file that cannot be read, or only in part, stops the report (``GgkError``, exit code 1)
    with the problems found in it, file:line first: a report that quietly leaves it out would say
    something untrue.  ``partial`` (``--partial``) reports what can be read instead, after naming
    what is left out on stderr."""
    from ggk.workspace.session import open_workspace

    s = settings(ctx, plans, as_of)
    only_open = only_open and not s.past
    session = open_workspace(s.plans, s.today, use_cache=s.use_cache, only_open=only_open, jobs=jobs())
    cache_note(session.cache_note)
    left = session.ws.left_out()
    if left:
        problems = _left_out_lines(left)
        if not partial:
            from ggk.diagnostics import GgkError

            raise GgkError(
                f"{len(left)} 个文件无法完整读取，报告会缺少其中的内容，因此没有输出：\n" + "\n".join(problems),
                "先改正这些文件（ggk check 列出全部问题）；或加 --partial 只报告能读取的部分",
                exit_code=1,
            )
        echo(f"注意：{len(left)} 个文件无法完整读取，以下报告缺少其中的内容（--partial）：", err=True)
        for line in problems:
            echo(line, err=True)
    return s, session


def _left_out_lines(left: list[tuple[str, list[Any]]], per_file: int = 3) -> list[str]:
    """The problems of the files left out of a report, ``path:line:col: 错误[code] message``, a few each."""
    lines = []
    for path, diags in left:
        if not diags:
            lines.append(f"  {path}：无法读取")
        for d in diags[:per_file]:
            lines.append(f"  {d.path}:{d.line or 1}:{d.col or 1}: {d.severity.label}[{d.code}] {d.message}")
        if len(diags) > per_file:
            lines.append(f"  {path}：另有 {len(diags) - per_file} 个问题（ggk check 列出全部）")
    return lines


def load_plans(s: Settings) -> Any:
    """The whole plans (``ggk.workspace.load.Workspace``) of a command that edits them: through the parse
    cache unless ``--no-cache`` (an entry gives what reading its file gives)."""
    from ggk.workspace.load import load

    if not s.use_cache:
        return load(s.plans)
    from ggk.workspace.cache import load_cached

    ws, cache = load_cached(s.plans, jobs=jobs())
    cache_note(cache.note)
    return ws


def jobs() -> int:
    """Processes a cold run may use to read plan files (itself and jobs - 1 workers): ``GGK_JOBS``, else the CPUs this process may use."""
    env = os.environ.get("GGK_JOBS", "")
    if env.isdigit():
        return max(int(env), 1)
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def cache_note(note: Optional[str]) -> None:
    """Say (once per run: a run opens the plans once) why the parse cache was not used."""
    if note:
        typer.echo(f"注意：{note}，本次不使用解析缓存。", err=True)


def parse_date(text: str, what: str = "--as-of") -> dt.date:
    """A date typed on the command line (``ggk.dates.parse_date``: 2021-06-30, 2021/6/30, 2021年6月30日 …);
    a GgkError naming the option otherwise."""
    from ggk.dates import parse_date as parse
    from ggk.diagnostics import GgkError

    try:
        return parse(text)
    except ValueError as exc:
        if what == "--as-of" and os.environ.get("GGK_TODAY") == text:
            what = "环境变量 GGK_TODAY"
        raise GgkError(f"{what}：{exc}") from None


def default_plans(start: Optional[Path] = None) -> Path:
    """The ledger's ``plans/`` when none is given: ``./plans``, else the nearest ``plans/`` folder in a
    folder above (as git looks for ``.git``), so ggk runs from anywhere inside the ledger — also from
    inside ``plans/`` or a unit's folder.  Shown relative to the working folder, as given paths are."""
    here = (start or Path.cwd()).absolute()
    for folder in (here, *here.parents):
        candidate = folder / "plans"
        if candidate.is_dir():
            return Path(os.path.relpath(candidate, here))
    return Path("plans")


def settings(ctx: typer.Context, plans: Optional[list[Path]] = None, as_of: Optional[str] = None) -> Settings:
    """Merge a command's own --plans/--as-of with the global ones (the command's win)."""
    root = ctx.find_root()
    glob: dict[str, Any] = root.obj if isinstance(root.obj, dict) else {}
    paths = list(plans or glob.get("plans") or [default_plans()])
    when = as_of or glob.get("as_of")
    # The one place where ggk reads the clock: the edge.  ``past``: a report for a day before today,
    # which must not be served from the cache's subset of open items (an item done since was open then).
    clock = dt.date.today()
    today = parse_date(when) if when else clock
    return Settings(paths, today, use_cache=not glob.get("no_cache", False), past=today < clock)


def is_terminal() -> bool:
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


def render_options() -> Any:
    from ggk.render import Options

    color = is_terminal() and "NO_COLOR" not in os.environ
    try:
        width = os.get_terminal_size().columns if is_terminal() else 160
    except OSError:
        width = 160
    return Options(color=color, width=max(width, 100))


def default_document_format(out: Optional[Path]) -> str:
    """Documents (回头看, 督办单) without --format: drawn in a terminal, Markdown into a pipe or a file."""
    return "table" if out is None and is_terminal() else "md"


def render(report: Any, fmt: str) -> str | bytes:
    from ggk.diagnostics import GgkError
    from ggk.render import Format, Unsupported, renderer

    try:
        return renderer(Format(fmt), render_options()).render(report)
    except Unsupported:
        raise GgkError(f"此命令不支持输出格式 {fmt}") from None


_PIECE = 1 << 16


def write_output(content: str | bytes, out: Optional[Path] = None) -> None:
    """Print to stdout, or write the file atomically (only now that the report is complete)."""
    if out is not None:
        from ggk.workspace.files import atomic_write, os_reason

        try:
            atomic_write(out, content)
        except OSError as exc:
            from ggk.diagnostics import GgkError

            raise GgkError(f"无法写入 {out}：{os_reason(exc)}") from None
        typer.echo(f"已写入 {out}", err=True)
        return
    try:
        if isinstance(content, bytes):
            sys.stdout.buffer.write(content)
        else:
            # in pieces: a province's overdue list is megabytes of text, and encoding it whole would
            # take as much memory again (fresh memory costs page faults; a piece's is reused)
            for start in range(0, len(content), _PIECE):
                sys.stdout.write(content[start : start + _PIECE])
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:  # e.g. `ggk status > file` on a full disk
        from ggk.diagnostics import GgkError
        from ggk.workspace.files import os_reason

        raise GgkError(f"无法写出结果：{os_reason(exc)}") from None


def echo(message: str, *, err: bool = False, nl: bool = True) -> None:
    """``typer.echo`` for text that may quote the plans (titles, notes, paths, diagnostics): control
    characters are shown as escapes (``ggk.render.safe.visible``), never sent to the terminal raw."""
    from ggk.render.safe import visible

    typer.echo(visible(message), err=err, nl=nl)


def fail(message: str, hint: Optional[str] = None, code: int = 2) -> None:
    echo(f"错误：{message}", err=True)
    if hint:
        echo(f"提示：{hint}", err=True)
    raise typer.Exit(code)


def handle_errors(fn: F) -> F:
    """Translate ggk's own failures into a Chinese message and an exit code, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ggk.diagnostics import GgkError

        try:
            return fn(*args, **kwargs)
        except GgkError as exc:
            fail(exc.message, exc.hint, exc.exit_code)
        except BrokenPipeError:
            raise typer.Exit(0) from None
        except KeyboardInterrupt:
            typer.echo("已中断。", err=True)
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except OSError as exc:  # a file or folder the command needed could not be read or written
            from ggk.workspace.files import os_reason

            where = f"{exc.filename}：" if getattr(exc, "filename", None) else ""
            fail(f"读写文件失败：{where}{os_reason(exc)}", "检查路径、权限和磁盘空间后重试", 2)
        except Exception as exc:  # a bug in ggk: say so plainly; GGK_DEBUG=1 shows the traceback
            if os.environ.get("GGK_DEBUG"):
                raise
            fail(f"ggk 内部错误：{type(exc).__name__}: {exc}", "请把命令和这条信息报告给维护者；设置 GGK_DEBUG=1 可看到详细信息", 2)

    return wrapper  # type: ignore[return-value]


def parse_statuses(values: Optional[list[str]]) -> list[Any]:
    from ggk.diagnostics import GgkError
    from ggk.model import parse_status

    out = []
    for v in values or []:
        try:
            out.append(parse_status(v))
        except ValueError as exc:
            raise GgkError(str(exc)) from None
    return out
