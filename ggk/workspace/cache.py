"""The parse cache: what reading, validating and checking one file gave, kept so that the next run over
the same file neither parses its YAML nor validates it nor runs its per-file checks again.

When an entry is used.  Only for the very bytes it was made from, by this version of ggk: an entry
records the SHA-256 of the file's content, and the file's size, mtime, ctime and inode when it was read.
A file whose stat is still that one is taken as unchanged, unless it had changed less than ``RACY_NS``
before it was read (as git does with its index: on a file system with coarse timestamps a second edit
within the same tick, at the same size, would not show in the stat); any other file is read and its
hash compared.  An editor restoring the mtime still changes the ctime, which no one can set.  A plan's
per-file check findings also record the hash of the unit file whose department registry they used;
when that differs they are found again.  Anything else — no entry, another version of ggk, an entry
that cannot be read, decoded or validated — is a miss: the file is read as it is without the cache.
A cache problem is never an error.

Where.  ``GGK_CACHE_DIR``, else the user cache folder, used only when it is a folder of the current user
that nobody else may write (``usable_folder``); otherwise ggk runs without it and says why.  The folder
is created 0700 and entries 0600 (a plan may be private): one file per plan or unit file, named by the
hash of its absolute path, written whole (a temporary file renamed over it).

An entry is three lines of JSON: the ``Header`` (the path as shown, the content hash, the file-level
diagnostics, the per-file check findings, the latest date in the plan, the plan's outline of item ids
and carry-over marks for the checks across plans), the plan with only its open items that have a time
limit (all that ``ggk overdue`` can show: a deadline report over a province's plans validates a tenth of
the items), and the whole model.

A cold run over many files may hand part of the files without an entry to worker processes (``jobs``),
which write their entries while the run reads the rest itself; the run then reads those entries as a
warm run does.  Only the CLI asks for workers.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import gc
import hashlib
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from ggk import __version__
from ggk.diagnostics import Diagnostic
from ggk.model import FORMAT_VERSION, Plan, Status, Unit
from ggk.workspace.load import FileResult, Found, Outline, PlanEntry, UnitEntry, Workspace, discover, folder_name, load, load_file

if TYPE_CHECKING:
    from concurrent.futures import Future

#: Bump when what an entry holds changes: entries of another ggk, file format or entry format are not used.
CACHE_FORMAT = 13
KEY = f"{__version__}/{FORMAT_VERSION}/{CACHE_FORMAT}"
#: Items a deadline report can show: neither done nor cancelled (and with a time limit).
OPEN = (Status.NOT_STARTED, Status.IN_PROGRESS)
#: A file changed less than this before it was read may change again without its stat changing.
RACY_NS = 2_000_000_000
#: Workers are started only for this many bytes of plan files without an entry: below it, starting
#: them (each imports ggk afresh) costs more than it saves.
PARALLEL_BYTES = 4_000_000


# --------------------------------------------------------------------------- where


def cache_dir() -> Path:
    """``GGK_CACHE_DIR``, else the user cache folder (``~/.cache/ggk`` on Linux)."""
    env = os.environ.get("GGK_CACHE_DIR")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("ggk", appauthor=False))


def usable_folder(folder: Path) -> str | None:
    """None when ``folder`` may hold the cache (it is created, 0700, when missing), else why not.

    Another user who could write the folder could leave entries there for ggk to believe; one who could
    read it could read the plans.  So it must be the current user's, writable by nobody else, and usable."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.stat(folder)
    except OSError as exc:
        return f"无法使用缓存目录 {folder}（{exc.strerror or exc}）"
    if not stat.S_ISDIR(st.st_mode):
        return f"缓存目录 {folder} 不是目录"
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return f"缓存目录 {folder} 不属于当前用户"
    if st.st_mode & 0o022:
        return f"缓存目录 {folder} 其他用户可写"
    if not os.access(folder, os.R_OK | os.W_OK | os.X_OK):
        return f"缓存目录 {folder} 不可读写"
    return None


def entry_path(folder: Path | str, path: Path) -> str:
    name = hashlib.sha256(os.path.abspath(path).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return os.path.join(folder, f"{name}.json")


# --------------------------------------------------------------------------- entries


class Header(BaseModel):
    """The first line of an entry: what the file was and what reading it found."""

    model_config = ConfigDict(extra="forbid")

    key: str
    path: str
    kind: str
    sha256: str
    #: the file's size, mtime_ns, ctime_ns and inode when it was read, and when that was (``time_ns``;
    #: 0 when the file changed while it was being read)
    stat: list[int]
    read_ns: int
    diagnostics: list[Diagnostic]
    partial: bool
    #: a plan's per-file check findings, and what they depend on besides it (``_checks_key``)
    checks_key: str | None = None
    checks: list[Diagnostic] = []
    #: the latest progress or completion date in a plan (only a plan with one after the as-of date has
    #: findings of the as-of-date check)
    latest: dt.date | None = None
    #: a plan's outline (``ggk.workspace.load.Outline``), which a subset run hands on with the open items
    outline: Outline | None = None


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _signature(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


@dataclass
class Source:
    """A file's content as read, with its hash and its stat then (see ``Header``)."""

    raw: bytes
    sha256: str
    stat: list[int]
    read_ns: int


def read_source(path: Path) -> Source:
    """Read a file whole (raises ``OSError``)."""
    read_ns = time.time_ns()
    with open(path, "rb") as fh:
        before = _signature(os.fstat(fh.fileno()))
        raw = fh.read()
        after = _signature(os.fstat(fh.fileno()))
    return Source(raw, _digest(raw), after, read_ns if before == after else 0)


def open_items(plan: Plan) -> Plan:
    """``plan`` with only its open items that have a time limit, and the sections above them (an item's
    chain of headings is unchanged).  An item without a time limit is standing work: never overdue."""

    def prune(sections: list[Any]) -> list[Any]:
        out = []
        for sec in sections:
            items = [it for it in sec.items if it.deadline and it.status in OPEN]
            subs = prune(sec.sections)
            if items or subs:
                out.append(sec.model_copy(update={"items": items, "sections": subs}))
        return out

    return plan.model_copy(update={"sections": prune(plan.sections)})


def _latest(plan: Plan) -> dt.date | None:
    """The latest of the days the as-of check GGK207 looks at (``checks.dated``)."""
    from ggk.workspace.checks import dated

    return max((day for _loc, _chain, item in plan.iter_items() for _path, day, _what, _hint in dated(item)), default=None)


def _json(model: BaseModel | None) -> str:
    return model.model_dump_json(exclude_defaults=True) if model is not None else "null"


def _write(target: str, lines: list[str]) -> None:
    """Write an entry whole (a temporary file, 0600, renamed over it); a failure only loses the entry."""
    tmp = f"{target}.{os.getpid()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
        os.replace(tmp, target)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _lines(epath: str, count: int) -> list[bytes]:
    """The first ``count`` lines of an entry (fewer when it has fewer; none when it cannot be read)."""
    out = []
    try:
        with open(epath, "rb") as fh:
            for _ in range(count):
                out.append(fh.readline())
    except OSError:
        return []
    return out


def look_up(epath: str, path: Path, kind: type[Plan] | type[Unit], line: int) -> tuple[Header | None, bytes, Source | None]:
    """The header of the entry of ``path`` when it is for the file as it is now (None: a miss), the
    entry's line ``line`` (1: the open items, 2: the whole model), and the file's content when it had
    to be read to tell (raises ``OSError`` when the file cannot be read)."""
    lines = _lines(epath, line + 1)
    header = None
    try:
        header = Header.model_validate_json(lines[0]) if len(lines) > line else None
    except ValueError:  # (pydantic's ValidationError is a ValueError)
        pass
    if header is not None and (header.key, header.path, header.kind) != (KEY, str(path), kind.__name__):
        header = None
    if header is not None:
        try:
            st = os.stat(path)
        except OSError:
            st = None
        if st is not None and header.stat == _signature(st) and max(st.st_mtime_ns, st.st_ctime_ns) + RACY_NS < header.read_ns:
            return header, lines[line], None
    source = read_source(path)
    if header is None or header.sha256 != source.sha256:
        return None, b"", source
    return header, lines[line], source


def model_of(kind: type[Plan] | type[Unit], text: bytes) -> Any:
    """The model on a line of an entry; ValueError if the line is not one."""
    return None if text.strip() == b"null" else kind.model_validate_json(text)


def _file_checks(plan_entry: PlanEntry, unit_entry: UnitEntry | None) -> list[Diagnostic]:
    """The per-file checks (``Scope.FILE``) of one whole plan against its unit's registry, in the order
    of the registry; located when the plan's positions are at hand.  They do not read the date."""
    from ggk.workspace.checks import REGISTRY, SCOPES, Context, Scope

    units = {plan_entry.plan.unit: unit_entry} if unit_entry is not None else {}
    ctx = Context(Workspace([plan_entry.path.parent.parent], units, [plan_entry]), dt.date(2000, 1, 1))
    found = [d for code, fn in REGISTRY.items() if SCOPES.get(code) is Scope.FILE for d in fn(ctx)]
    if plan_entry.locator is not None:
        for d in found:
            if d.loc is not None:
                d.line, d.col = plan_entry.locator.find(d.loc, key=d.key)
    return found


def _file_codes() -> str:
    """The codes of the per-file checks (``Scope.FILE``): a check added or re-scoped makes stored findings stale."""
    from ggk.workspace.checks import SCOPES, Scope

    return ",".join(sorted(c for c, s in SCOPES.items() if s is Scope.FILE))


def _checks_key(unit: tuple[str | None, UnitEntry] | None, codes: str) -> str:
    """What per-file findings depend on besides the plan: its unit file, and which checks are per-file."""
    return f"{(unit and unit[0]) or '-'}|{codes}"


#: The unit a plan's per-file checks use, by its folder name: the unit file's content hash and entry.
UnitOf = Callable[[str], "tuple[str | None, UnitEntry] | None"]


@dataclass
class Made:
    """A file read afresh: what loading gave, and its entry."""

    result: FileResult
    header: Header
    lines: list[str]


def make_entry(path: Path, kind: type[Plan] | type[Unit], source: Source, unit_of: UnitOf, codes: str) -> Made:
    """Load ``path`` from its content (``source``) and make its entry; for a plan, run the per-file
    checks with the unit its ``unit`` key names (``unit_of``).  The checks locate their findings in the
    node tree just parsed (a plan's result is then kept without it, see ``Cache.load_file``)."""
    result = load_file(path, kind, source.raw, keep_tree=True)
    header = Header(
        key=KEY,
        path=str(path),
        kind=kind.__name__,
        sha256=source.sha256,
        stat=source.stat,
        read_ns=source.read_ns,
        diagnostics=result.diagnostics,
        partial=result.partial,
    )
    subset = None
    if isinstance(result.model, Plan):
        unit = unit_of(result.model.unit)
        header.checks_key = _checks_key(unit, codes)
        header.checks = _file_checks(PlanEntry(folder_name(path), path, result.model, result.partial, result.locator), unit and unit[1])
        header.latest = _latest(result.model)
        header.outline = Outline.of(result.model)
        subset = open_items(result.model)
    return Made(result, header, [header.model_dump_json(), _json(subset), _json(result.model)])


# --------------------------------------------------------------------------- one run


@dataclass
class Cache:
    """The entries of one run; ``load_file`` is the loader hook of ``ggk.workspace.load.load``.
    ``subset``: plans hold only their open items with a time limit (see ``open_cached``)."""

    folder: Path
    subset: bool = False
    #: why the folder cannot hold the cache (then it is neither read nor written), or None
    note: str | None = None
    hits: int = 0
    misses: int = 0
    #: the headers of the entries of this run's files, by path as shown
    headers: dict[str, Header] = field(default_factory=dict)
    #: the units of this run by folder name, with their file's content hash
    units: dict[str, tuple[str | None, UnitEntry]] = field(default_factory=dict)
    #: what ``workers`` found in the entries, and the files it handed to a worker, by path as shown
    found: dict[str, FileResult] = field(default_factory=dict)
    handed: dict[str, Future[None]] = field(default_factory=dict)
    #: the per-file checks' codes (``_checks_key``)
    file_codes: str = field(default_factory=lambda: _file_codes())

    def load_file(self, path: Path, kind: type[Plan] | type[Unit]) -> FileResult:
        shown = str(path)
        try:
            result, source = self.found.pop(shown, None), None
            if result is None:
                task = self.handed.pop(shown, None)
                if task is not None and not task.cancel():  # a worker has it: wait for the entry (or read it here)
                    from concurrent.futures import wait

                    wait([task])
                result, source = self._from_entry(path, kind)
            if result is not None:
                self.hits += 1
            else:
                self.misses += 1
                made = make_entry(path, kind, source or read_source(path), self.units.get, self.file_codes)
                _write(entry_path(self.folder, path), made.lines)
                self.headers[shown] = made.header
                result = made.result
                if isinstance(result.model, Plan):
                    # as from an entry: without the positions (a finding shown later finds its line),
                    # so that a run over many files does not keep every file's positions
                    if self.subset:
                        result = FileResult(path, open_items(result.model), result.diagnostics, result.partial, None, made.header.outline)
                    else:
                        result = FileResult(path, result.model, result.diagnostics, result.partial)
        except OSError:
            return load_file(path, kind)  # the file cannot be read: says why, nothing to keep
        if kind is Unit:
            unit = result.model if isinstance(result.model, Unit) else None
            slug = folder_name(path)
            self.units.setdefault(slug, (self.headers[shown].sha256, UnitEntry(slug, path, unit, result.locator)))
        return result

    def _from_entry(self, path: Path, kind: type[Plan] | type[Unit]) -> tuple[FileResult | None, Source | None]:
        """What reading ``path`` gave, from its entry (None: a miss), and the file's content when it was read."""
        header, text, source = look_up(entry_path(self.folder, path), path, kind, 1 if self.subset and kind is Plan else 2)
        if header is None:
            return None, source
        try:
            model = model_of(kind, text)
        except ValueError:
            return None, source
        self.headers[str(path)] = header
        outline = header.outline if self.subset and kind is Plan else None
        return FileResult(path, model, list(header.diagnostics), header.partial, None, outline), source

    @contextlib.contextmanager
    def workers(self, found: Found, jobs: int) -> Iterator[None]:
        """While the run loads ``found`` (inside this context): read what the entries of the plan files
        hold, and when those without one are many, start ``jobs - 1`` worker processes that make and
        write their entries from the last file backwards, while the run reads them from the first one
        on: ``load_file`` takes back a file no worker has started (``Future.cancel``) and reads it
        itself, or waits for its worker and reads the entry.  They meet wherever the work divides."""
        if jobs < 2:
            yield
            return
        missing: list[str] = []
        size = 0
        for p in found.plans:
            try:
                if not os.path.exists(entry_path(self.folder, p)):  # nothing to compare: not read here
                    missing.append(str(p))
                    size += os.stat(p).st_size
                    continue
                result, source = self._from_entry(p, Plan)
            except OSError:
                continue
            if result is not None:
                self.found[str(p)] = result
            elif source is not None:
                missing.append(str(p))
                size += len(source.raw)
        if size < PARALLEL_BYTES:
            yield
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        units: dict[str, str] = {}
        for u in found.units:
            units.setdefault(folder_name(u), str(u))
        pool = ProcessPoolExecutor(jobs - 1, mp_context=multiprocessing.get_context("spawn"), initializer=gc.disable)
        try:
            try:
                for end in range(len(missing), 0, -8):  # small tasks: the processes finish together
                    chunk = missing[max(end - 8, 0) : end]
                    task = pool.submit(_make_and_write, chunk, folder=str(self.folder), units=units, codes=self.file_codes)
                    self.handed.update(dict.fromkeys(chunk, task))
            except Exception:  # noqa: BLE001 - no worker could start: the files not handed are read by this process
                pass
            yield
        finally:
            self.handed.clear()
            pool.shutdown(cancel_futures=True)

    def full_plan(self, entry: PlanEntry) -> Plan:
        """The whole plan of ``entry`` (in a subset run its plan holds only the open items)."""
        if not self.subset:
            return entry.plan
        lines = _lines(entry_path(self.folder, entry.path), 3)
        try:
            plan = model_of(Plan, lines[2]) if len(lines) == 3 else None
        except ValueError:
            plan = None
        if not isinstance(plan, Plan):  # the entry went away or was spoilt meanwhile: read the file
            res = load_file(entry.path, Plan)
            if not isinstance(res.model, Plan):
                raise ValueError(f"{entry.path} changed during the run")
            plan = res.model
        return plan

    def validate(self, ws: Workspace, today: dt.date, *, ignore: Iterable[str] = (), positions: bool = True) -> list[Diagnostic]:
        """``checks.validate(ws, today)``, with the per-file checks' findings taken from the entries.

        Each check says what its findings depend on (``@check(code, scope)``): the findings about plan
        headers, units and the roots are found again every time; per-file ones come from the entries;
        the as-of-date check runs on the plans with a date after ``today``; a check without a scope runs
        on the whole workspace every time."""
        from ggk.workspace.checks import REGISTRY, SCOPES, Context, Scope, finish

        skip = set(ignore)
        scope = {c: SCOPES.get(c, Scope.ALL) for c in REGISTRY if c not in skip}
        out = [d for d in ws.diagnostics if d.code not in skip]
        ctx = Context(ws, today)
        for code, s in scope.items():
            if s in (Scope.HEADERS, Scope.WORKSPACE):
                out.extend(REGISTRY[code](ctx))
        as_of = [c for c, s in scope.items() if s is Scope.AS_OF]
        for entry in ws.plans:
            header = self.headers[str(entry.path)]
            out.extend(d for d in self._file_findings(entry, header) if scope.get(d.code) is Scope.FILE)
            if as_of and header.latest is not None and header.latest > today:
                mini = Workspace(ws.roots, dict(ws.units), [self._whole(entry)])
                for code in as_of:
                    out.extend(REGISTRY[code](Context(mini, today)))
        rest = [c for c, s in scope.items() if s is Scope.ALL]
        if rest:
            whole = Workspace(ws.roots, dict(ws.units), [self._whole(e) for e in ws.plans], list(ws.diagnostics), list(ws.skipped))
            for code in rest:
                out.extend(REGISTRY[code](Context(whole, today)))
        return finish(ws, out, positions)

    def _file_findings(self, entry: PlanEntry, header: Header) -> list[Diagnostic]:
        """The per-file findings of a plan: from its entry, or found now (its unit file changed) and kept."""
        unit = self.units.get(entry.plan.unit)
        key = _checks_key(unit, self.file_codes)
        if header.checks_key != key:
            header.checks = _file_checks(self._whole(entry), unit and unit[1])
            header.checks_key = key
            self._rewrite_header(entry.path, header)
        return [dataclasses.replace(d) for d in header.checks]  # copies: callers may locate them

    def _whole(self, entry: PlanEntry) -> PlanEntry:
        if not self.subset:
            return entry
        return PlanEntry(entry.slug, entry.path, self.full_plan(entry), entry.partial, entry.locator)

    def _rewrite_header(self, path: Path, header: Header) -> None:
        epath = entry_path(self.folder, path)
        lines = _lines(epath, 3)
        if len(lines) == 3:
            _write(epath, [header.model_dump_json(), lines[1].decode().rstrip("\n"), lines[2].decode().rstrip("\n")])


def _make_and_write(paths: list[str], *, folder: str, units: dict[str, str], codes: str) -> None:
    """In a worker process: make and write the entries of the plan files ``paths``.  ``units``: the unit
    file of each unit folder of the run (each read once per worker, when a plan names it)."""
    for path in paths:
        p = Path(path)
        try:
            source = read_source(p)
        except OSError:
            continue
        made = make_entry(p, Plan, source, functools.partial(_worker_unit, units), codes)
        _write(entry_path(folder, p), made.lines)


def _worker_unit(units: dict[str, str], slug: str) -> tuple[str | None, UnitEntry] | None:
    upath = units.get(slug)
    return _read_unit(slug, upath) if upath is not None else None


@functools.lru_cache(maxsize=256)
def _read_unit(slug: str, upath: str) -> tuple[str | None, UnitEntry]:
    path = Path(upath)
    try:
        source = read_source(path)
    except OSError:
        return None, UnitEntry(slug, path, None)
    result = load_file(path, Unit, source.raw)
    return source.sha256, UnitEntry(slug, path, result.model if isinstance(result.model, Unit) else None, result.locator)


def load_cached(paths: Sequence[Path], *, subset: bool = False, jobs: int = 1, folder: Path | None = None) -> tuple[Workspace, Cache]:
    """``load(paths)`` through the cache in ``folder`` (default ``cache_dir()``); when the folder is not fit
    for it (``usable_folder``), without the cache, and ``Cache.note`` says why.  ``subset`` and ``jobs``:
    as for ``open_cached``."""
    folder = folder or cache_dir()
    cache = Cache(folder, subset=subset, note=usable_folder(folder))
    if cache.note is not None:
        return load(paths), cache
    found = discover(paths)
    with cache.workers(found, jobs):
        ws = load(paths, loader=cache.load_file, found=found)
    ws.subset = subset
    return ws, cache


def open_cached(
    paths: Sequence[Path],
    today: dt.date,
    *,
    subset: bool = False,
    ignore: Iterable[str] = (),
    positions: bool = True,
    jobs: int = 1,
    folder: Path | None = None,
) -> tuple[Workspace, list[Diagnostic], Cache]:
    """``load(paths)`` and ``validate(ws, today, …)`` through the cache (``load_cached``).

    ``subset=True`` gives plans that hold only their open items (未启动/进行中) that have a time limit,
    and the sections above them: enough for reports that can only show items overdue or due soon.
    Item positions (``Row.loc``) then refer to the subset: never edit through such a workspace.  The
    diagnostics are those of the whole files either way.  ``jobs`` > 1: files without an entry are read
    by this process and ``jobs - 1`` workers when there are many of them (``PARALLEL_BYTES``, ``Cache.workers``)."""
    ws, cache = load_cached(paths, subset=subset, jobs=jobs, folder=folder)
    if cache.note is not None:
        from ggk.workspace.checks import validate

        return ws, validate(ws, today, ignore=ignore, positions=positions), cache
    return ws, cache.validate(ws, today, ignore=ignore, positions=positions), cache
