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
import time
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


def read_file(path: str, raw: bytes | None = None) -> Any:
    # yaml is imported on first parse only: a run served from the cache never needs it.
    from ggk.yamlfiles.read import read_file as read

    return read(path, raw)


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


@dataclass
class FileResult:
    """One file read and validated.  ``model`` is None when nothing of it could be used."""

    path: Path
    model: Plan | Unit | None
    diagnostics: list[Diagnostic]
    partial: bool = False
    locator: Locator | None = None


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

    @property
    def unit_slug(self) -> str:
        return self.plan.unit


@dataclass
class Workspace:
    roots: list[Path]
    units: dict[str, UnitEntry] = field(default_factory=dict)
    plans: list[PlanEntry] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    files: int = 0
    #: True when the plans hold only their open items with a time limit (``ggk.workspace.cache.open_cached(subset=True)``,
    #: used by reports that can only show overdue or due items); never edit through such a workspace.
    subset: bool = False
    #: plans issued after the as-of date, not yet in force on it (``ggk.ledger.snapshot``): reports leave them out
    unissued: list[PlanEntry] = field(default_factory=list)
    #: the day the plans show (``ggk.ledger.snapshot``), or None: the files as they are
    as_of: dt.date | None = None
    #: where positions found before are kept (``ggk.workspace.cache.Cache``: by file content), or None:
    #: ``known(path) -> {(loc, key): (line, col)} | None`` and ``learn(path, table)``
    positions: Any = field(default=None, repr=False, compare=False)
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
        returns the list).  A file without a locator at hand (read by the fast path or from the cache)
        is parsed again once per call; its locator is not kept, so that showing the problems of many
        files does not hold every file's positions at once."""
        locators = self._locators()
        store = self.positions
        pending: dict[str, list[Diagnostic]] = {}
        for d in diags:
            if d.line is None:
                pending.setdefault(d.path, []).append(d)
        for path, found in pending.items():
            # Positions depend only on the file's bytes: the store answers for a file it has seen
            # with the same content, so a repeated ``ggk check`` parses nothing.
            known = store.known(path) if store is not None else None
            if known is not None:
                rest = []
                for d in found:
                    hit = known.get((d.loc, d.key)) if d.loc is not None else None
                    if hit is None:
                        rest.append(d)
                    else:
                        d.line, d.col = hit
                found = rest
                if not found:
                    continue
            locator = locators.get(path)
            if locator is None and any(d.loc is not None for d in found):
                locator = read_file(path).locator
            table: dict[tuple[Any, bool], tuple[int, int]] = {}
            for d in found:
                if d.loc is None or locator is None:
                    d.line, d.col = 1, 1
                else:
                    d.line, d.col = locator.find(d.loc, key=d.key)
                    table[(d.loc, d.key)] = (d.line, d.col)
            if store is not None and table:
                store.learn(path, table)
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
    #: every folder whose entries decided what was found, with its ``os.stat`` taken before it was
    #: read — or None when something else did too (a symlink, a file given as a root): then only
    #: discovering again tells whether the same files would be found (see ``ggk.workspace.cache``)
    folders: list[tuple[str, os.stat_result]] | None = field(default_factory=list, compare=False)
    #: ``time.time_ns()`` when discovery began
    started_ns: int = field(default=0, compare=False)
    #: paths that look like files ggk reads but cannot be read (a FIFO, a device, a folder or a
    #: broken link with a .yaml name, an unreadable folder), with the reason; each is also a stray,
    #: so that the cache's listing of strays notices when one changes
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
    apart as ``Path.resolve()`` did (hard links stay two files) at one ``stat`` per folder instead of
    one ``lstat`` per path component per file.  Folders are read with ``os.scandir``, whose entries
    know whether they are files or folders without a system call; symlinked entries are asked through
    ``Path.is_file``/``is_dir`` as before.  Strays at the top level of a root are listed as met (not
    deduplicated), as they always were."""
    found = Found(started_ns=time.time_ns())
    seen: set[tuple[int, int, str]] = set()

    def listed(d: Path) -> tuple[os.stat_result, list[os.DirEntry[str]]]:
        """The folder's stat and entries; an unreadable folder is recorded and read as empty."""
        try:
            st = os.stat(d)  # before reading it: a change made meanwhile shows in the next run's stat
        except OSError as exc:
            found.folders = None
            unreadable(d, f"无法读取目录：{os_reason(exc)}")
            return os.stat_result((0,) * 10), []
        if found.folders is not None:
            found.folders.append((str(d), st))
        try:
            return st, _scan(d)
        except OSError as exc:
            unreadable(d, f"无法读取目录：{os_reason(exc)}")
            return st, []

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
                found.folders = None
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
        if not root.is_dir() and _not_regular(root) is not None:  # a FIFO, a device, a broken link
            found.folders = None
            unreadable(root, _not_regular(root) or "这不是普通文件")
            continue
        if root.is_file():
            found.folders = None
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
                found.folders = None
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


#: What the fast path leaves to the positional parser (any hit: the file takes the careful path):
#: tags, anchors and aliases, merge keys, directives, a quoted date (yaml_rs reads it as a date), and
#: where the YAML 1.2 parser is more lenient than libyaml (tabs, "?" keys, ":" or "|"/">" starting a
#: scalar in odd places): such files are rare, and only the careful path words the problem.
_FAST_DECLINE = ("!", "&", "*", "<<", "\n%", "\t", "?", " :", "[:", "{:", ",:", "\n:", ":]", ":}", ":,", "\\\n")
#: "|"/">" other than a block scalar header ending its line, or with a flow collection open on its line
#: (or any flow collection running over lines).  Every branch starts at one of "|>[{", so the regex
#: starts with that set: the engine then skips to those characters (10x faster over a 40 KB file).
_FAST_DECLINE_BYTES = tuple(s.encode("ascii") for s in _FAST_DECLINE)
# ``_declined`` finds them in fewer passes: each two-byte needle is a pass over the file, and a
# province's first run searched 44 MB sixteen times.  Single rare bytes are found by memchr; a
# two-byte needle with a rare byte only when that byte occurs; the eight around a colon by two regexes
# whose literal prefix is the colon (``X:`` searched as ``:X`` in the reversed bytes).
_RARE = (b"!", b"&", b"*", b"\t", b"?")
_AFTER_COLON = re.compile(rb":[\]},]")
_BEFORE_COLON_REVERSED = re.compile(rb":[ \[{,\n]")
_BLOCK = re.compile(r"[|>\[{](?:(?<=[|>])(?:(?<!: [|>])(?<!- [|>])|(?![-+1-9]{0,2} *\n))|(?<=[\[{])(?:[^\n]*[|>]|[^\]}\n]*\n))")
_QUOTED_DATE = (re.compile(r'"[0-9]{4}-'), re.compile(r"'[0-9]{4}-"))  # one literal prefix each: fast
#: Characters libyaml refuses or reads as line breaks (yaml_rs accepts them): the careful path reports them.
_NOT_PRINTABLE = "[^\t\n\r -~\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"  # compiled on first use: 7 ms
_fast_loads: Any = None


def _fast_loads_fn() -> Any:
    global _fast_loads
    if _fast_loads is None:
        try:
            import yaml_rs
        except ImportError:  # the fast path is optional: everything works through ggk.yamlfiles.read
            _fast_loads = False
        else:
            _fast_loads = yaml_rs.loads
    return _fast_loads


def _plain(value: Any) -> bool:
    """Data both readers agree on: str keys; str (not date-like), int, float, bool, None, date values.
    A date-like text is where the readers differ (an invalid date is text to yaml_rs, a diagnostic to
    ggk.yamlfiles.read; date-times are read differently).

    Walked with a stack rather than by recursion: it visits every value of every plan file on a cold run."""
    stack = [value]
    pop, extend = stack.pop, stack.extend
    while stack:
        v = pop()
        t = type(v)
        if t is str:
            if (len(v) > 7 and v[4:5] == "-" and v[:4].isdigit()) or v == "\n":
                return False
        elif t is dict:
            for k in v:
                if type(k) is not str or (len(k) > 7 and k[4:5] == "-" and k[:4].isdigit()) or k == "\n":
                    return False
            extend(v.values())
        elif t is list:
            extend(v)
        elif not (t is int or t is float or t is bool or v is None or t is dt.date):
            return False
    return True


def _declined(raw: bytes) -> bool:
    """``any(needle in raw for needle in _FAST_DECLINE_BYTES)``, in fewer passes."""
    if any(b in raw for b in _RARE):
        return True
    if (b"<" in raw and b"<<" in raw) or (b"%" in raw and b"\n%" in raw) or (b"\\" in raw and b"\\\n" in raw):
        return True
    return bool(_AFTER_COLON.search(raw) or _BEFORE_COLON_REVERSED.search(raw[::-1]))


def fast_data(raw: bytes) -> dict[str, Any] | None:
    """The data of a plain, well-formed file via ``yaml_rs`` (Rust, ~20x faster than libyaml plus the
    positional builder), or None whenever the careful reader might see it differently or report a
    problem: then ``ggk.yamlfiles.read`` reads it, with positions and diagnostics."""
    loads = _fast_loads_fn()
    if not loads:
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    # ASCII needles: searched in the UTF-8 bytes (no ASCII byte occurs inside a multi-byte character,
    # and bytes are searched several times faster than a string holding Chinese text)
    if _declined(raw) or text.startswith("%") or any(q.search(text) for q in _QUOTED_DATE):
        return None
    if ("|" in text or ">" in text) and _BLOCK.search(text):
        return None
    if re.search(_NOT_PRINTABLE, text):
        return None
    try:
        data = loads(text)
    except Exception:  # any complaint: the careful reader words it
        return None
    if type(data) is not dict or data.get("format", FORMAT_VERSION) != FORMAT_VERSION or not _plain(data):
        return None
    return data


def load_file(path: Path, kind: type[Plan] | type[Unit], raw: bytes | None = None, *, fast: bool | None = None) -> FileResult:
    """Read, parse and validate one file; keep what can be used of a file with problems.

    ``raw`` validates content not (yet) on disk under ``path`` (``ggk.workspace.transaction`` checks an edit first).
    ``fast`` (default: when ``raw`` is None, i.e. the file on disk is read) tries ``fast_data`` first;
    a file it takes has no locator (``Workspace.locate`` reads the file again when a position is
    needed), so it must be the file on disk.  Any file with a problem goes the careful way, so the
    diagnostics are the same either way."""
    spath = str(path)
    if fast is None:
        fast = raw is None
    if fast:
        if raw is None:
            try:
                with open(path, "rb") as fh:
                    raw = fh.read()
            except OSError:
                raw = None  # read_file reports it
        data = fast_data(raw) if raw is not None else None
        if data is not None:
            try:
                return FileResult(path, kind.model_validate(data), [])
            except ValidationError:
                pass
    parsed = read_file(spath, raw)
    result = _careful(path, kind, parsed, list(parsed.diagnostics))
    if parsed.text is not None and any(d.severity is Severity.ERROR for d in result.diagnostics):
        # a file with errors: say which of them are slips of a Chinese input method, and what to type
        from ggk.yamlfiles.ime import slips

        result.diagnostics.extend(slips(parsed.text, spath, file_keys()))
    return result


def _careful(path: Path, kind: type[Plan] | type[Unit], parsed: Any, diags: list[Diagnostic]) -> FileResult:
    """``load_file`` of a file read with positions: the checks of the whole document, then ``validate``."""
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
        return Diagnostic(
            path, line, col, "GGK104", Severity.ERROR, f"无效日期{shown}{where}", "日期写作 YYYY-MM-DD，如 2021-12-31", loc=loc
        )
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
        if res.model is None or isinstance(res.model, Unit):  # a Plan, or the cache's read-only view of one
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
        ws.plans.append(PlanEntry(folder_name(ppath), ppath, res.model, res.partial, res.locator))
    ws.plans.sort(key=lambda p: (p.plan.unit, p.plan.year, str(p.path)))
    return ws
