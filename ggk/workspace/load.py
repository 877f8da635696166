"""Loading the plans folder into a ``Workspace``: units, plans and the problems met on the way.

Owns: finding unit and plan files under one or more roots, turning one file into a validated model
(``load_file``: the unit of caching), recovering what can be read from a file with problems, and
mapping pydantic errors to diagnostics with line and column.  Loading never writes to ``plans/``.
One bad file never stops the rest: a path that cannot be read as a file (a FIFO, a device, a folder
or a broken link named like a plan, an unreadable folder) is a diagnostic and is never opened, and
``Workspace.left_out`` names the files whose content is missing so that reports can say so.
Cross-file checks (departments, ids, dates) live in ``ggk.workspace.checks``; editing lives in ``ggk.workspace.transaction``.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import errno
import functools
import os
import re
import stat
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ggk.diagnostics import Diagnostic, GgkError, Severity
from ggk.model import COUNT_MAX, DAYS_MAX, FORMAT_VERSION, WORKDAYS_MAX, YEAR_MAX, YEAR_MIN, Plan, Unit
from ggk.workspace.files import os_reason

if typing.TYPE_CHECKING:
    from ggk.yamlfiles.read import Locator


def read_file(path: str, raw: bytes | None = None, *, keep_tree: bool = False) -> Any:
    # yaml is imported on first parse only: a run served from the cache never needs it.
    from ggk.yamlfiles.read import read_file as read

    return read(path, raw, keep_tree=keep_tree)


UNIT_FILE = "unit.yaml"
#: The unit's register of 督办单 and returned forms (``ggk.ledger.register``): read by the commands that use it, not a plan.
REGISTER_FILE = "register.yaml"


def folder_name(path: Path) -> str:
    """The name of the folder ``path`` is in — the unit's slug — also for a bare file name such as
    ``2021.yaml`` given inside the unit's folder (whose ``parent.name`` is empty)."""
    return path.parent.name or path.absolute().parent.name


YEAR_FILE = re.compile(r"^(\d{4})\.ya?ml$")
#: Folders under plans/ that are not units (holiday files, caches, schema).
SKIP_DIR = re.compile(r"^[._]")


#: An item's carry-over marks: (data path, id, carried_to, carried_from).
Carry = tuple[tuple[Any, ...], str, "str | None", "str | None"]


@dataclass
class Outline:
    """What the checks across plans read of a plan: the ids of all its items, and the items with a
    carry-over mark.  Kept aside when a workspace's plans hold only some of their items (the cache's
    subset), so that those checks still see every item."""

    ids: list[str]
    carries: list[Carry]

    @classmethod
    def of(cls, plan: Plan) -> Outline:
        ids: list[str] = []
        carries: list[Carry] = []
        for loc, _chain, item in plan.iter_items():
            ids.append(item.id)
            if item.carried_to or item.carried_from:
                carries.append((loc, item.id, item.carried_to, item.carried_from))
        return cls(ids, carries)


@dataclass
class FileResult:
    """One file read and validated.  ``model`` is None when nothing of it could be used."""

    path: Path
    model: Plan | Unit | None
    diagnostics: list[Diagnostic]
    partial: bool = False
    locator: Locator | None = None
    #: the outline of the whole plan when ``model`` holds only some of its items
    outline: Outline | None = None


@dataclass
class UnitEntry:
    slug: str
    path: Path
    unit: Unit | None
    locator: Locator | None = None


@dataclass
class PlanEntry:
    slug: str  # the unit folder the file is in
    path: Path
    plan: Plan
    partial: bool = False
    locator: Locator | None = None
    #: the outline of the whole plan when ``plan`` holds only some of its items
    outline: Outline | None = None

    @property
    def unit_slug(self) -> str:
        return self.plan.unit

    def items_outline(self) -> Outline:
        """The ids and carry-over marks of all the plan's items (also of a subset's plan)."""
        return self.outline if self.outline is not None else Outline.of(self.plan)


@dataclass
class Workspace:
    roots: list[Path]
    units: dict[str, UnitEntry] = field(default_factory=dict)
    plans: list[PlanEntry] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    files: int = 0
    #: True when the plans hold only their open items with a time limit (``ggk.workspace.cache.open_cached(subset=True)``,
    #: for reports that can only show overdue or due items); never edit through such a workspace.
    subset: bool = False
    #: plans issued after the as-of date, not yet in force on it (``ggk.ledger.snapshot``): reports leave them out
    unissued: list[PlanEntry] = field(default_factory=list)
    #: the day the plans show (``ggk.ledger.snapshot``), or None: the files as they are
    as_of: dt.date | None = None
    #: locators of the files read with positions in this run (made on first use)
    _locator_cache: dict[str, Locator] | None = field(default=None, init=False, repr=False, compare=False)

    def unit(self, slug: str) -> Unit | None:
        entry = self.units.get(slug)
        return entry.unit if entry else None

    def unit_name(self, slug: str) -> str:
        unit = self.unit(slug)
        return unit.name if unit else slug

    def locate(self, path: Path | str, loc: tuple[Any, ...], *, key: bool = False) -> tuple[int, int]:
        """Line and column of ``loc`` in the file ``path`` (re-reading it if it came from a cache)."""
        locators = self._locators()
        locator = locators.get(str(path))
        if locator is None:
            locator = locators[str(path)] = read_file(str(path)).locator
        return locator.find(loc, key=key)

    def resolve_positions(self, diags: list[Diagnostic]) -> list[Diagnostic]:
        """Give every diagnostic of ``diags`` its line and column, then sort them for showing (in place;
        returns the list).  A file without a locator at hand (it came from the cache) is parsed again,
        once per call; its locator is not kept, so that showing the problems of many files does not hold
        every file's positions at once."""
        locators = self._locators()
        pending: dict[str, list[Diagnostic]] = {}
        for d in diags:
            if d.line is None:
                pending.setdefault(d.path, []).append(d)
        for path, found in pending.items():
            locator = locators.get(path)
            if locator is None and any(d.loc is not None for d in found):
                locator = read_file(path).locator
            for d in found:
                if d.loc is None or locator is None:
                    d.line, d.col = 1, 1
                else:
                    d.line, d.col = locator.find(d.loc, key=d.key)
        diags.sort(key=Diagnostic.sort_key)
        return diags

    def left_out(self) -> list[tuple[str, list[Diagnostic]]]:
        """The files whose content is missing from the workspace, wholly (``skipped``: unreadable, not
        valid YAML, not a plan at all) or in part (a plan read without the items that have errors),
        each with the errors found in it.  Reports say these loudly (``ggk.cli.common.open_session``):
        a report that quietly leaves a plan out tells the office something untrue."""
        paths = [str(p) for p in self.skipped] + [str(e.path) for e in [*self.plans, *self.unissued] if e.partial]
        errors: dict[str, list[Diagnostic]] = {p: [] for p in dict.fromkeys(paths)}
        for d in self.diagnostics:
            if d.path in errors and d.severity is Severity.ERROR:
                errors[d.path].append(d)
        return [(p, sorted(ds, key=Diagnostic.sort_key)) for p, ds in errors.items()]

    def _locators(self) -> dict[str, Locator]:
        if self._locator_cache is None:
            entries: list[UnitEntry | PlanEntry] = [*self.units.values(), *self.plans]
            self._locator_cache = {str(e.path): e.locator for e in entries if e.locator is not None}
        return self._locator_cache


# --------------------------------------------------------------------------- discovery


@dataclass
class Found:
    units: list[Path] = field(default_factory=list)
    plans: list[Path] = field(default_factory=list)
    strays: list[Path] = field(default_factory=list)
    #: paths that look like files ggk reads but cannot be read (a FIFO, a device, a folder or a
    #: broken link with a .yaml name, an unreadable folder), with the reason; each is also a stray
    unreadable: dict[Path, str] = field(default_factory=dict, compare=False)


def _yaml_suffix(name: str) -> bool:
    """``Path(name).suffix in (".yaml", ".yml")`` without building a Path (".yaml" alone has no suffix)."""
    return (name.endswith(".yaml") and len(name) > 5) or (name.endswith(".yml") and len(name) > 4)


def _scan(d: Path) -> list[os.DirEntry[str]]:
    """The entries of folder ``d`` sorted by name: the order of ``sorted(d.iterdir())`` (paths in one
    folder compare by their last part).  ``d`` goes to ``os.scandir`` as a Path, so an error names it
    as ``os.listdir`` (what ``Path.iterdir`` calls) would."""
    with os.scandir(d) as it:
        return sorted(it, key=_entry_name)


def _entry_name(entry: os.DirEntry[str]) -> str:
    return entry.name


def _real_key(p: Path) -> tuple[int, int, str]:
    """Where ``p`` really is, as (device, inode) of its real folder and its real name.  Equal for two
    paths exactly when their ``resolve()`` is (``os.path.realpath`` is what ``Path.resolve`` calls),
    except for a folder bind-mounted in two places, which counts once here."""
    real = os.path.realpath(p)
    head, name = os.path.split(real)
    try:
        st = os.stat(head)
    except OSError:  # gone since it was found: fall back to the real path itself
        return (-1, -1, real)
    return (st.st_dev, st.st_ino, name)


def _not_regular(p: Path) -> str | None:
    """Why ``p`` (met in a folder, or given) cannot be read as a file, or None when it is a regular
    file.  Reading a FIFO would wait forever, a device never end: they are never opened."""
    try:
        st = os.stat(p)
    except OSError as exc:
        if exc.errno == errno.ENOENT and os.path.islink(p):
            return "链接指向的文件不存在"
        if exc.errno == errno.ELOOP:
            return "链接形成了循环"
        return os_reason(exc)
    mode = st.st_mode
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "这是一个目录，不是文件"
    if stat.S_ISFIFO(mode):
        return "这是一个命名管道（FIFO），不是普通文件"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "这是一个设备文件，不是普通文件"
    return "这不是普通文件"


def discover(paths: Sequence[Path]) -> Found:
    """Unit and plan files under ``paths`` (folders of units, one unit folder, or single files).

    Paths are built as ``root / name`` (never resolved: they are shown to users and are cache keys), in
    name order within each folder.  One file reached twice (the same folder given twice, a symlinked
    unit folder next to the real one, a file given with its folder) is listed once, where first met:
    a file is known by its real folder's (device, inode) and its real name, which tells the same files
    apart as ``Path.resolve()`` would (hard links stay two files) at one ``stat`` per folder instead of
    one ``lstat`` per path component per file.  Folders are read with ``os.scandir``, whose entries
    know whether they are files or folders without a system call; symlinked entries are asked through
    ``Path.is_file``/``is_dir``.  Strays at the top level of a root are listed as met (not deduplicated)."""
    found = Found()
    seen: set[tuple[int, int, str]] = set()

    def listed(d: Path) -> tuple[os.stat_result, list[os.DirEntry[str]]]:
        """The folder's stat and entries; an unreadable folder is recorded and read as empty."""
        try:
            return os.stat(d), _scan(d)
        except OSError as exc:
            unreadable(d, f"无法读取目录：{os_reason(exc)}")
            return os.stat_result((0,) * 10), []

    def unreadable(p: Path, reason: str) -> None:
        if p not in found.unreadable:
            found.unreadable[p] = reason
            found.strays.append(p)

    def add(p: Path, key: tuple[int, int, str]) -> None:
        if key in seen:
            return
        seen.add(key)
        name = p.name
        if name == UNIT_FILE:
            found.units.append(p)
        elif YEAR_FILE.match(name):
            found.plans.append(p)
        elif name != REGISTER_FILE:
            found.strays.append(p)

    def add_unit_dir(d: Path, listing: tuple[os.stat_result, list[os.DirEntry[str]]] | None = None) -> None:
        st, entries = listing or listed(d)
        for entry in entries:
            name = entry.name
            if not _yaml_suffix(name):
                continue
            p = d / name
            if entry.is_symlink():  # the file it points to, wherever that is
                why = _not_regular(p)
                if why is None:
                    add(p, _real_key(p))
                else:
                    unreadable(p, why)
            elif entry.is_file(follow_symlinks=False):
                add(p, (st.st_dev, st.st_ino, name))
            else:  # a folder, a FIFO or a device named like a plan: said, never opened
                unreadable(p, _not_regular(p) or "这不是普通文件")

    for root in paths:
        if not root.exists():
            raise GgkError(f"找不到计划目录或文件：{root}", "用 --plans 指定计划所在的目录（默认 ./plans，或环境变量 GGK_PLANS）")
        if not root.is_dir() and _not_regular(root) is not None:  # a FIFO, a device
            unreadable(root, _not_regular(root) or "这不是普通文件")
            continue
        if root.is_file():
            add(root, _real_key(root))
            # A single plan file still needs its unit's registry.
            sibling = root.parent / UNIT_FILE
            if root.name != UNIT_FILE and sibling.is_file():
                add(sibling, _real_key(sibling))
            continue
        listing = listed(root)
        entries = listing[1]
        if any(e.name == UNIT_FILE for e in entries) and (root / UNIT_FILE).is_file():
            add_unit_dir(root, listing)
            continue
        if any(YEAR_FILE.match(e.name) for e in entries):
            add_unit_dir(root, listing)
            continue
        for entry in entries:
            name = entry.name
            if entry.is_symlink():
                sub = root / name
                if sub.is_dir() and not SKIP_DIR.match(name):
                    add_unit_dir(sub)
                elif _yaml_suffix(name):
                    why = _not_regular(sub)
                    if why is None:
                        found.strays.append(sub)
                    else:
                        unreadable(sub, why)
            elif entry.is_dir(follow_symlinks=False):
                if not SKIP_DIR.match(name):
                    add_unit_dir(root / name)
            elif _yaml_suffix(name):
                if entry.is_file(follow_symlinks=False):
                    found.strays.append(root / name)
                else:
                    unreadable(root / name, _not_regular(root / name) or "这不是普通文件")
    return found


# --------------------------------------------------------------------------- one file


def load_file(path: Path, kind: type[Plan] | type[Unit], raw: bytes | None = None, *, keep_tree: bool = False) -> FileResult:
    """Read, parse and validate one file; keep what can be used of a file with problems.

    ``raw``: the content to read as ``path`` instead of the file on disk (the cache has read it already;
    ``ggk.workspace.transaction`` checks an edit before writing it).  ``keep_tree``: the result's locator
    keeps the node tree, for a caller that locates findings at once and then drops the result."""
    spath = str(path)
    parsed = read_file(spath, raw, keep_tree=keep_tree)
    result = _careful(path, kind, parsed, list(parsed.diagnostics))
    if parsed.text is not None and any(d.severity is Severity.ERROR for d in result.diagnostics):
        # a file with errors: say which of them are slips of a Chinese input method, and what to type
        from ggk.yamlfiles.ime import slips

        result.diagnostics.extend(slips(parsed.text, spath, file_keys()))
    return result


def _careful(path: Path, kind: type[Plan] | type[Unit], parsed: Any, diags: list[Diagnostic]) -> FileResult:
    """``load_file`` of a parsed file: the checks of the whole document, then ``validate``."""
    spath = str(path)
    if parsed.data is None:
        if not any(d.fatal for d in diags):  # a document of only null, ~ or ---: nothing in it
            diags.append(
                Diagnostic(
                    spath,
                    1,
                    1,
                    "GGK003",
                    Severity.ERROR,
                    "文件没有内容（只有 null、~ 或 ---）",
                    "删除该文件，或用 ggk init / ggk new 生成模板",
                    fatal=True,
                )
            )
        return FileResult(path, None, diags, locator=parsed.locator)
    data = parsed.data
    if not isinstance(data, dict):
        diags.append(
            Diagnostic(
                spath,
                1,
                1,
                "GGK102",
                Severity.ERROR,
                "文件顶层应为映射（键: 值），而不是列表或单个值",
                "参考 README 中的计划文件格式",
                fatal=True,
            )
        )
        return FileResult(path, None, diags, locator=parsed.locator)
    version = data.get("format", FORMAT_VERSION)
    if type(version) is not int or version != FORMAT_VERSION:  # ``format: true`` is not 1
        line, col = parsed.locator.find(("format",))
        diags.append(
            Diagnostic(
                spath,
                line,
                col,
                "GGK106",
                Severity.ERROR,
                f"不支持的格式版本「{_yaml_word(version)}」（本版 ggk 读取 format: {FORMAT_VERSION}）",
                "升级 ggk，或把 format 改为 1",
                fatal=True,
            )
        )
        return FileResult(path, None, diags, locator=parsed.locator)
    reported = [d.loc for d in diags if d.loc is not None]
    model, vdiags, partial = validate(kind, data, spath, parsed.locator, reported)
    diags.extend(vdiags)
    return FileResult(path, model, diags, partial, parsed.locator)


def _yaml_word(value: Any) -> str:
    """A value as it is written in YAML (``true`` rather than Python's ``True``), cut short."""
    text = ("true" if value else "false") if isinstance(value, bool) else "null" if value is None else str(value)
    return text if len(text) <= 40 else text[:39] + "…"


@functools.cache
def file_keys() -> frozenset[str]:
    """Every key of ggk's files (the fields of every model), for recognising IME slips around them."""
    from ggk import model

    classes = [c for c in vars(model).values() if isinstance(c, type) and issubclass(c, BaseModel)]
    return frozenset(name for c in classes for name in c.model_fields)


def validate(
    kind: type[Plan] | type[Unit],
    data: dict[str, Any],
    path: str,
    locator: Locator,
    reported: Iterable[tuple[Any, ...] | None] = (),
) -> tuple[Plan | Unit | None, list[Diagnostic], bool]:
    """Validate ``data``; on errors, drop the items (or departments) at fault and try again."""
    diags: list[Diagnostic] = []
    already = [r for r in reported if r]
    try:
        return kind.model_validate(data), diags, False
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    for err in errors:
        loc = tuple(err["loc"])
        if any(loc[: len(r)] == r for r in already):
            continue
        diags.append(error_to_diagnostic(kind, err, path, locator))
    # Recover: remove what the errors are in, at the smallest unit that can go (an item,
    # a log entry's item, a department, an unknown key), and validate the rest.
    work = copy.deepcopy(data)
    for _ in range(3):
        if not _prune(work, [tuple(e["loc"]) for e in errors], [e["type"] for e in errors]):
            return None, diags, True
        try:
            return kind.model_validate(work), diags, True
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
    return None, diags, True


def _prune(data: dict[str, Any], locs: list[tuple[Any, ...]], types: list[str]) -> bool:
    removals: dict[tuple[Any, ...], set[Any]] = {}
    for loc, typ in zip(locs, types, strict=True):
        cut = None
        for i in range(len(loc) - 1, 0, -1):
            if loc[i - 1] in ("items", "departments") and isinstance(loc[i], int):
                cut = i
                break
        if cut is not None:
            removals.setdefault(loc[:cut], set()).add(loc[cut])
        elif typ == "extra_forbidden" and loc:
            removals.setdefault(loc[:-1], set()).add(loc[-1])
        else:
            return False
    for parent_loc, keys in removals.items():
        parent: Any = data
        try:
            for part in parent_loc:
                parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return False
        for key in sorted(keys, key=lambda k: (isinstance(k, int), k), reverse=True):
            try:
                del parent[key]
            except (KeyError, IndexError, TypeError):
                return False
    return True


_TYPE_WORDS = {
    "string_type": "应为文字",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表（每行以“- ”开头，或写作 [甲, 乙]）",
    "dict_type": "应为映射（键: 值）",
    "model_type": "应为映射（键: 值）",
    "model_attributes_type": "应为映射（键: 值）",
    "greater_than_equal": "数值太小",
    "less_than_equal": "数值太大",
}

_DATE_TYPES = {"date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact", "datetime_type"}


def _model_at(kind: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that owns the last key of ``loc``."""
    current: type[BaseModel] | None = kind
    for part in loc[:-1]:
        if isinstance(part, int) or current is None:
            continue
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = _inner_model(info.annotation)
    return current


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _date_hint(value: Any) -> str:
    """How to write a date the files reject: the exact value when the text names a day the way a clerk types
    it (2026年6月25日, 2026/6/25), else the pattern."""
    from ggk.dates import parse_date

    if isinstance(value, str):
        try:
            return f"写作 {parse_date(value).isoformat()}（日期写作 YYYY-MM-DD）"
        except ValueError:
            pass
    return "日期写作 YYYY-MM-DD，如 2021-12-31"


def error_to_diagnostic(kind: type[BaseModel], err: Any, path: str, locator: Locator) -> Diagnostic:
    loc = tuple(err["loc"])
    typ = err["type"]
    field_name = next((p for p in reversed(loc) if isinstance(p, str)), "")
    where = _describe(loc)
    if typ == "extra_forbidden":
        line, col = locator.find(loc, key=True)
        owner = _model_at(kind, loc)
        allowed = list(owner.model_fields) if owner else []
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.5)
        hint = f"是不是「{close[0]}」？" if close else (f"可用的键：{'、'.join(allowed)}" if allowed else None)
        return Diagnostic(path, line, col, "GGK101", Severity.ERROR, f"未知的键「{loc[-1]}」{where}", hint, loc=loc)
    line, col = locator.find(loc)
    if typ == "missing":
        return Diagnostic(path, line, col, "GGK103", Severity.ERROR, f"缺少必填键「{loc[-1]}」{where}", None, loc=loc)
    value = err.get("input")
    if isinstance(value, bool):
        shown = f"「{'true' if value else 'false'}」"
    elif isinstance(value, (str, int, float)):
        text = str(value)
        shown = f"「{text if len(text) <= 40 else text[:39] + '…'}」"
    else:
        shown = ""
    if typ in _DATE_TYPES:
        return Diagnostic(path, line, col, "GGK104", Severity.ERROR, f"无效日期{shown}{where}", _date_hint(value), loc=loc)
    if typ == "value_error":
        msg = str(err.get("msg", "")).removeprefix("Value error, ")
        code = "GGK105" if field_name == "status" else "GGK102"
        return Diagnostic(path, line, col, code, Severity.ERROR, f"{msg}{where}", None, loc=loc)
    if typ in ("literal_error", "enum"):
        expected = err.get("ctx", {}).get("expected", "")
        expected = expected.replace("'", "").replace(" or ", "、")
        return Diagnostic(path, line, col, "GGK102", Severity.ERROR, f"取值{shown}不对{where}", f"可用的值：{expected}", loc=loc)
    bounds = {"year": (YEAR_MIN, YEAR_MAX), "count": (1, COUNT_MAX), "workdays": (1, WORKDAYS_MAX), "days": (1, DAYS_MAX)}
    if typ in ("greater_than_equal", "less_than_equal") and field_name in bounds:
        low, high = bounds[field_name]
        return Diagnostic(
            path, line, col, "GGK102", Severity.ERROR, f"「{field_name}」应在 {low}–{high} 之间，实际是{shown}{where}", None, loc=loc
        )
    word = _TYPE_WORDS.get(typ)
    if word is None:
        word = str(err.get("msg", typ))
    return Diagnostic(
        path, line, col, "GGK102", Severity.ERROR, f"「{field_name}」{word}{('，实际是' + shown) if shown else ''}", None, loc=loc
    )


_PLACES = {"sections": "第{}部分", "items": "第{}条", "log": "第{}条进展", "departments": "第{}个部门"}


def _describe(loc: tuple[Any, ...]) -> str:
    """A short Chinese description of where in the plan a data path points (第2部分 第3条 …)."""
    parts = [_PLACES[key].format(index + 1) for key, index in zip(loc, loc[1:], strict=False) if key in _PLACES and isinstance(index, int)]
    return f"（{' '.join(parts)}）" if parts else ""


# --------------------------------------------------------------------------- the workspace


_UNREADABLE_HINT = "计划文件和 unit.yaml 必须是普通文件；删除或改名该路径，或改正其权限"


def load(paths: Sequence[Path], *, loader: Any = None, found: Found | None = None) -> Workspace:
    """Load every unit and plan under ``paths``.  ``loader`` replaces ``load_file`` (the cache);
    ``found``: what ``discover(paths)`` gave, when the caller has it already."""
    load_one = loader or load_file
    if found is None:
        found = discover(paths)
    ws = Workspace(list(paths), files=len(found.units) + len(found.plans) + len(found.strays))
    for stray in found.strays:
        why = found.unreadable.get(stray)
        if why is not None:
            ws.diagnostics.append(Diagnostic(str(stray), 1, 1, "GGK007", Severity.ERROR, f"无法读取：{why}", _UNREADABLE_HINT, fatal=True))
            ws.skipped.append(stray)
            continue
        ws.diagnostics.append(
            Diagnostic(
                str(stray),
                1,
                1,
                "GGK010",
                Severity.WARNING,
                f"不认识的文件名「{stray.name}」：计划文件应命名为 <年度>.yaml，单位文件为 unit.yaml",
                "该文件未被读取",
            )
        )
    for upath in found.units:
        slug = folder_name(upath)
        if slug in ws.units:
            # Two --plans roots (or repositories) holding the same unit: reading both would count its
            # plans twice and let one registry silently replace the other.
            first = ws.units[slug].path
            ws.diagnostics.append(
                Diagnostic(
                    str(upath),
                    1,
                    1,
                    "GGK215",
                    Severity.ERROR,
                    f"单位「{slug}」有两个目录：{first.parent} 和 {upath.parent}；只读取了前者",
                    "一个单位只能在一处：合并两个目录，或给其中一个改名",
                )
            )
            continue
        res = load_one(upath, Unit)
        ws.diagnostics.extend(res.diagnostics)
        unit = res.model if isinstance(res.model, Unit) else None
        if res.model is None:
            ws.skipped.append(upath)
        ws.units[slug] = UnitEntry(slug, upath, unit, res.locator)
    seen: dict[tuple[str, int], Path] = {}
    for ppath in found.plans:
        res = load_one(ppath, Plan)
        ws.diagnostics.extend(res.diagnostics)
        if res.model is None or isinstance(res.model, Unit):
            ws.skipped.append(ppath)
            continue
        key = (res.model.unit, res.model.year)
        if key in seen:
            ws.diagnostics.append(
                Diagnostic(
                    str(ppath),
                    None,
                    None,
                    "GGK215",
                    Severity.ERROR,
                    f"{key[0]} {key[1]} 年的计划有两份：{seen[key]} 和 {ppath}；只读取了前者",
                    "一个单位一年只有一个计划文件：合并两份，或改正 unit / year",
                    loc=("year",),
                )
            )
            continue
        seen[key] = ppath
        ws.plans.append(PlanEntry(folder_name(ppath), ppath, res.model, res.partial, res.locator, res.outline))
    ws.plans.sort(key=lambda p: (p.plan.unit, p.plan.year, str(p.path)))
    return ws
