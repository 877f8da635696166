"""The parse cache: one entry per plan or unit file, so that a run over unchanged files neither parses
YAML nor runs the loader's validation and recovery, nor the per-file checks.

Owns where entries live (``GGK_CACHE_DIR``, else the user cache folder), their binary layout, when an
entry may be trusted, and ``open_cached`` — the cached equivalent of ``loader.load`` + ``checks.validate``
that ``ggk.workspace.session.open_workspace`` uses.  The cache is an optimisation only: every answer is the one
``--no-cache`` gives (tests/test_cache.py proves it), and a missing, stale, foreign or corrupt entry is
re-made from the file, never an error.

Trust.  An entry records the file's path (as shown to the user), size, mtime_ns, ctime_ns, inode and a
SHA-256 of its bytes, plus ``ggk.__version__``, the plan ``FORMAT_VERSION`` and ``CACHE_FORMAT``.  The
stat fields are trusted alone only when the file was already older than ``RACY_NS`` when it was read
(as git does with its index); a file written around the time it was cached — even twice within one
timestamp tick, at the same size — is re-read and its hash compared.  Entries are written whole to a
temporary file and renamed (no fsync: a lost entry is only a cache miss; a torn one fails its CRC).

What an entry holds: the file-level diagnostics as values (lines included, so the locator is dropped;
``Workspace.locate`` re-parses lazily), the validated model as msgpack, and once more as the read-only
views of ``ggk.workspace.views`` (msgspec) with only the open items (未启动/进行中) that have a time limit, which is
all that ``overdue`` can show — and the results of the per-file checks, keyed by the content hash of
the unit file whose registry they used, as the checks made them: without line and column unless the file's positions were at hand (``Workspace.resolve_positions``
finds them when they are shown, so a run that only counts problems never parses a file for them).
Positions found while ``open_cached`` checks (``ggk check``) are kept in the entry (``meta["pos"]``)
and in the index (by content hash): they depend only on the file's bytes, so the next check parses
nothing.  Models are stored by position (``encode``: None for a default, dates as ordinals, enums as
values) and rebuilt from that already validated data without validating again (``decode``), with the
cyclic GC paused; nothing is pickled.
"""

from __future__ import annotations

import atexit
import datetime as dt
import enum
import gc
import hashlib
import mmap
import os
import struct
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgpack

from ggk import __version__, deadlines
from ggk.diagnostics import Diagnostic, Severity
from ggk.model import (
    FORMAT_VERSION,
    Contact,
    Correction,
    Deadline,
    DeadlineChange,
    DeadlineKind,
    Department,
    Item,
    LogEntry,
    Plan,
    Reporting,
    ReturnSource,
    Section,
    Status,
    Unit,
)
from ggk.workspace import views
from ggk.workspace.load import FileResult, Found, PlanEntry, UnitEntry, Workspace, discover, folder_name, load, load_file

#: Bump when the layout of an entry changes.  2: check findings stored without positions (+ ``key``);
#: 3: models stored by position (``encode``), the subset holds open items with a time limit;
#: 4: a plan's deadline phrases (``phrases``), the index holds what they state;
#: 5: the subset packed as ``ggk.workspace.views`` (msgspec); 6: dates stored as ordinals, enums as values;
#: 8: calendar-day rules (``days``), a progress entry's ``source``; 9: both merged; 10: contacts,
#: corrections of progress entries, the date of a summary.
CACHE_FORMAT = 10
MAGIC = b"GGKC"
#: A file modified less than this before it was read may change again without its stat changing
#: (coarse timestamps on FAT, SMB, some NFS servers): such entries are verified by content hash.
RACY_NS = 2_000_000_000
KEY = [__version__, FORMAT_VERSION, CACHE_FORMAT]


def cache_dir() -> Path:
    """``GGK_CACHE_DIR``, else the user cache folder (``~/.cache/ggk`` on Linux)."""
    env = os.environ.get("GGK_CACHE_DIR")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("ggk", appauthor=False))


def entry_path(root: Path, path: Path) -> Path:
    digest = hashlib.blake2b(os.path.abspath(path).encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()
    return root / "files" / digest[:2] / f"{digest}.ggkc"


# --------------------------------------------------------------------------- encoding


def _default(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return msgpack.ExtType(2, value.isoformat().encode())
    if isinstance(value, dt.date):
        return msgpack.ExtType(1, struct.pack("<i", value.toordinal()))
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot cache {type(value).__name__}")


def _ext(code: int, data: bytes) -> Any:
    if code == 1:
        return dt.date.fromordinal(struct.unpack("<i", data)[0])
    if code == 2:
        return dt.datetime.fromisoformat(data.decode())
    raise ValueError(f"unknown ext {code}")


def _pack(value: Any) -> bytes:
    return msgpack.packb(value, default=_default, use_bin_type=True)


def _unpack(data: bytes) -> Any:
    return msgpack.unpackb(data, ext_hook=_ext, raw=False, strict_map_key=False)


def _diag_out(d: Diagnostic) -> list[Any]:
    return [d.path, d.line, d.col, d.code, d.severity.value, d.message, d.hint, d.fatal, list(d.loc) if d.loc is not None else None, d.key]


_SEVERITY = {s.value: s for s in Severity}  # a dict lookup: ``Severity(value)`` is a Python-level call


def _diag_in(v: list[Any]) -> Diagnostic:
    return Diagnostic(v[0], v[1], v[2], v[3], _SEVERITY[v[4]], v[5], v[6], v[7], tuple(v[8]) if v[8] is not None else None, v[9])


def _plan_meta(plan: Plan) -> dict[str, Any]:
    """What an entry keeps about a plan besides its data: the latest progress or completion date in it
    (for the as-of-date check, an ordinal) and the distinct deadline phrases of its items (what they
    state goes into the index)."""
    latest = 0
    phrases = set()
    for _loc, _chain, item in plan.iter_items():
        if item.completed:
            latest = max(latest, item.completed.toordinal())
        for e in item.log:
            latest = max(latest, e.date.toordinal())
        for d in item.deadline:
            if d.phrase:
                phrases.add(d.phrase)
    return {"latest": latest, "phrases": sorted(phrases)}


# --------------------------------------------------------------------------- entries


def _new_entry(
    root: Path,
    path: Path,
    kind: str,
    st: os.stat_result,
    read_ns: int,
    digest: bytes,
    model: Plan | Unit | None,
    diags: list[Diagnostic],
    partial: bool,
) -> tuple[Entry, views.PlanView | None]:
    """The entry of a file just read (the caller adds a plan's per-file checks), and for a plan the
    views of its open items with a time limit, which are also its ``open`` blob."""
    meta: dict[str, Any] = {"diags": [_diag_out(d) for d in diags], "partial": partial, "model": model is not None}
    blobs: dict[str, bytes | None] = {}
    subset = None
    if model is not None:
        blobs["full"] = _pack(encode(model))
        if isinstance(model, Plan):
            subset = views.open_only(model)
            blobs["open"] = views.pack(subset)
            meta.update(_plan_meta(model))
    header = {"key": KEY, "shown": str(path), "kind": kind, "stat": _stat_key(st), "read_ns": read_ns, "hash": digest, "meta": meta}
    return Entry(entry_path(root, path), header, blobs, dirty=True), subset


@dataclass
class Entry:
    """One cache entry: a small header (always read) and named blobs (read on demand)."""

    path: Path  # the entry file
    header: dict[str, Any]
    blobs: dict[str, bytes | None] = field(default_factory=dict)  # None: on disk, not read yet
    dirty: bool = False

    def meta(self, key: str, default: Any = None) -> Any:
        return self.header["meta"].get(key, default)

    def blob(self, name: str) -> bytes | None:
        if self.blobs.get(name) is None:
            spec = next((b for b in self.header["blobs"] if b[0] == name), None)
            if spec is None:
                return None
            _name, offset, length, crc = spec
            with open(self.path, "rb") as fh:
                fh.seek(offset)
                data = fh.read(length)
            if len(data) != length or zlib.crc32(data) != crc:
                raise ValueError("corrupt cache blob")
            self.blobs[name] = data
        return self.blobs[name]

    def decode_blob(self, name: str, decode: Callable[[Any], Any]) -> Any:
        """``decode`` applied to blob ``name`` read in place: the file is mapped, not copied (a
        province's subset is megabytes that would otherwise be fresh memory, and page faults cost).
        The blob's CRC is checked first; a missing or corrupt blob raises ValueError.  ``decode`` must
        not keep the buffer (msgspec and msgpack copy what they build).  Cache files are only ever
        replaced by renaming a new one over them, never truncated in place, so a mapping stays whole."""
        if self.blobs.get(name) is not None:
            return decode(self.blobs[name])
        spec = next((b for b in self.header["blobs"] if b[0] == name), None)
        if spec is None:
            raise ValueError(f"missing cache blob {name}")
        _name, offset, length, crc = spec
        with open(self.path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            whole = memoryview(mapped)
            data = whole[offset : offset + length]
            try:
                if len(data) != length or zlib.crc32(data) != crc:
                    raise ValueError("corrupt cache blob")
                return decode(data)
            finally:
                data.release()
                whole.release()


def read_entry(path: Path) -> Entry | None:
    """The entry at ``path``, or None when there is none or it cannot be used (corrupt, other version)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
            if len(head) != 8 or head[:4] != MAGIC:
                return None
            (n,) = struct.unpack("<I", head[4:])
            raw = fh.read(n)
        if len(raw) != n:
            return None
        header = _unpack(raw)
        if not isinstance(header, dict) or header.get("key") != KEY:
            return None
        return Entry(path, header)
    except (OSError, ValueError, TypeError, struct.error, msgpack.UnpackException, RecursionError):
        return None


def write_entry(entry: Entry) -> None:
    """Write the entry whole (temp file + rename); failures are ignored: the cache is optional."""
    try:
        names = list(entry.blobs)
        blobs = [entry.blob(n) or b"" for n in names]
        # The header holds the blob offsets, which depend on the header's own length: settle it twice.
        header = dict(entry.header)
        specs: list[list[Any]] = [[n, 0, len(b), zlib.crc32(b)] for n, b in zip(names, blobs, strict=True)]
        settled = False
        for _ in range(3):
            header["blobs"] = specs
            raw = _pack(header)
            offset = 8 + len(raw)
            new: list[list[Any]] = []
            for spec in specs:
                new.append([spec[0], offset, spec[2], spec[3]])
                offset += spec[2]
            if new == specs:
                settled = True  # ``raw`` is the header with these offsets
                break
            specs = new
        if not settled:
            header["blobs"] = specs
            raw = _pack(header)
        tmp = entry.path.with_name(f".{entry.path.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
        try:
            fh = open(tmp, "wb")
        except FileNotFoundError:  # its folder is not there yet (asked only then: a cold run writes 1,100)
            entry.path.parent.mkdir(parents=True, exist_ok=True)
            fh = open(tmp, "wb")
        replaced = False
        try:
            with fh:
                fh.write(MAGIC + struct.pack("<I", len(raw)) + raw + b"".join(blobs))
            os.replace(tmp, entry.path)
            replaced = True
        finally:
            if not replaced:
                tmp.unlink(missing_ok=True)
        entry.header = header
        entry.dirty = False
    except (OSError, ValueError, TypeError):
        pass


def _stat_key(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


# --------------------------------------------------------------------------- the cache


@dataclass
class FileState:
    """What the cache knows about one file of this run."""

    path: Path
    kind: str  # "plan" or "unit"
    entry: Entry | None = None
    result: FileResult | None = None  # set when the file was parsed in this run
    hash: bytes = b""


class Cache:
    """The entries of one run.  ``subset=True``: plans hold only their open items with a time limit (see ``open_cached``)."""

    def __init__(self, root: Path | None = None, *, subset: bool = False) -> None:
        self.root = root or cache_dir()
        self.subset = subset
        self.files: dict[str, FileState] = {}
        #: unit files of this run by folder (``Workspace.units`` keys); loader.load reads them first
        self.units: dict[str, tuple[UnitEntry, FileState]] = {}
        self.hits = 0
        self.misses = 0
        #: files served by the workspace index in this run: shown path -> content hash
        self.indexed: dict[str, bytes] = {}
        #: positions of findings stored in the index: shown path -> [content hash, rows]
        self.index_pos: dict[str, list[Any]] = {}
        #: positions found while ``open_cached`` checks (``recording``), written when it is done
        self.learned: dict[str, list[list[Any]]] = {}
        self.recording = False
        self._known: dict[str, dict[tuple[Any, bool], tuple[int, int]]] = {}
        #: plans being read by worker processes (cold runs over many files), or None
        self.prefetch: Prefetch | None = None
        #: plan files to hand to workers when the first plan is loaded (``open_cached``)
        self.pending: list[Path] = []
        #: the findings of the checks about headers (``Scope.HEADERS``), all codes, from ``validate``
        self.headers: list[Diagnostic] | None = None

    # -- positions of findings (``Workspace.positions``): they depend only on a file's bytes, so they
    #    are kept with what is trusted for exactly those bytes — the file's entry and the index record
    #    of its content hash — and a repeated ``ggk check`` parses no file for them.

    def known(self, path: str) -> dict[tuple[Any, bool], tuple[int, int]] | None:
        table = self._known.get(path)
        if table is not None:
            return table
        rows = None
        state = self.files.get(path)
        if state is not None and state.entry is not None:
            rows = state.entry.meta("pos")
        elif path in self.indexed:
            rec = self.index_pos.get(path)
            if rec is not None and rec[0] == self.indexed[path]:
                rows = rec[1]
        if not rows:
            return None
        table = {(tuple(r[0]), r[1]): (r[2], r[3]) for r in rows}
        self._known[path] = table
        return table

    def learn(self, path: str, table: dict[tuple[Any, bool], tuple[int, int]]) -> None:
        """Positions found by parsing ``path``.  Those found while ``open_cached`` checks (``ggk
        check``, ``validate`` with positions) are written with the entries and the index; later
        callers (``Session.diagnostics``) only reuse them in memory: a read path that shows a few
        findings does not rewrite the index."""
        merged = dict(self.known(path) or {})
        merged.update(table)
        self._known[path] = merged
        if not self.recording:
            return
        rows = [[list(loc), key, line, col] for (loc, key), (line, col) in merged.items()]
        self.learned[path] = rows
        state = self.files.get(path)
        if state is not None and state.entry is not None:
            state.entry.header["meta"]["pos"] = rows
            state.entry.dirty = True

    def _store_indexed_positions(self) -> None:
        """Put the positions learnt for files served by the index into their entries, so that they
        outlive the index (which any changed file replaces)."""
        for path, rows in self.learned.items():
            if path in self.files or path not in self.indexed:
                continue
            stored = read_entry(entry_path(self.root, Path(path)))
            if stored is None or stored.header.get("shown") != path or stored.header.get("hash") != self.indexed[path]:
                continue
            stored.header["meta"]["pos"] = rows
            self._rewrite(stored)

    def _index_positions(self, index: Entry) -> bool:
        """Record the positions learnt in ``index`` (for files whose content it vouches for)."""
        hashes = {f[0]: f[4] for f in index.header.get("files", []) if f[1] != "stray"}
        table = index.header.setdefault("pos", {})
        changed = False
        for path, rows in self.learned.items():
            h = hashes.get(path)
            if (
                h is not None
                and (path not in self.files or self.files[path].hash == h)
                and (path not in self.indexed or self.indexed[path] == h)
            ):
                table[path] = [h, rows]
                changed = True
        return changed

    # -- one file (the ``loader`` hook of ``ggk.workspace.load.load``)

    def load_file(self, path: Path, kind: type[Plan] | type[Unit]) -> FileResult:
        if kind is Plan and self.pending:
            # every unit is loaded by now (``loader.load`` reads them first): the workers inherit them
            self.prefetch = Prefetch.start(self, self.pending)
            self.pending = []
        state = FileState(path, "plan" if kind is Plan else "unit")
        self.files[str(path)] = state
        if self.prefetch is not None and str(path) in self.prefetch.futures:
            done = self.prefetch.take(str(path))  # read by a worker, which also wrote its entry
            if done is not None:
                self.misses += 1
                return self._prefetched(state, path, done)
        epath = entry_path(self.root, path)
        entry = read_entry(epath)
        raw: bytes | None = None
        st = None
        try:
            st = os.stat(path)
        except OSError:
            entry = None
        if entry is not None and st is not None:
            h = entry.header
            if h.get("shown") != str(path) or h.get("kind") != state.kind:
                entry = None
            elif h["stat"] == _stat_key(st) and st.st_mtime_ns + RACY_NS < h["read_ns"]:
                pass  # unchanged, and was already settled when read
            else:
                # Changed stat, or written close to when it was read: compare contents.
                raw, read_ns, st = self._read(path)
                if raw is None or st is None or hashlib.sha256(raw).digest()[:16] != h["hash"]:
                    entry = None
                else:
                    h["stat"], h["read_ns"] = _stat_key(st), read_ns
                    entry.dirty = True  # refresh the stat so the next run trusts it
        if entry is not None:
            try:
                result = self._from_entry(path, kind, entry)
            except Exception:  # a corrupt or foreign entry is re-made from the file, never an error
                result = None
            if result is not None:
                self.hits += 1
                state.entry = entry
                state.hash = entry.header["hash"]
                self._remember_unit(state, result)
                return result
        self.misses += 1
        result = self._parse(state, path, kind, raw)
        self._remember_unit(state, result)
        return result

    def _remember_unit(self, state: FileState, result: FileResult) -> None:
        if state.kind == "unit":
            unit = result.model if isinstance(result.model, Unit) else None
            slug = folder_name(state.path)
            self.units[slug] = (UnitEntry(slug, state.path, unit, result.locator), state)

    @staticmethod
    def _read(path: Path) -> tuple[bytes | None, int, os.stat_result | None]:
        read_ns = time.time_ns()
        try:
            with open(path, "rb") as fh:
                before = os.fstat(fh.fileno())
                raw = fh.read()
                after = os.fstat(fh.fileno())
        except OSError:
            return None, read_ns, None
        if _stat_key(before) != _stat_key(after):
            return raw, 0, after  # changed while being read: read_ns 0 keeps it "racy"
        return raw, read_ns, after

    def _parse(self, state: FileState, path: Path, kind: type[Plan] | type[Unit], raw: bytes | None) -> FileResult:
        read_ns = 0
        st = None
        if raw is None:
            raw, read_ns, st = self._read(path)
        else:
            try:
                st = os.stat(path)
                read_ns = time.time_ns()
            except OSError:
                st = None
        result = load_file(path, kind, raw, fast=True) if raw is not None else load_file(path, kind)
        state.result = result
        if raw is None or st is None:
            return result  # unreadable: nothing to cache (load_file reported it)
        state.hash = hashlib.sha256(raw).digest()[:16]
        state.entry, subset = _new_entry(
            self.root, path, state.kind, st, read_ns, state.hash, result.model, result.diagnostics, result.partial
        )
        if isinstance(result.model, Plan):
            # The per-file checks now; their findings get positions only if the locator is at hand
            # (the careful path), since then it costs nothing.  Then the locator can go: a finding
            # shown later re-parses the file for its line, as for a cached file.
            known = self.units.get(result.model.unit)
            unit_entry = known[0] if known else None
            entry = PlanEntry(folder_name(path), path, result.model, result.partial, result.locator)
            checks = self._run_file_checks(entry, unit_entry)
            if result.locator is not None:
                Workspace([], plans=[entry]).resolve_positions(checks)
            state.entry.header["meta"]["checks"] = [self._unit_key(unit_entry), [_diag_out(d) for d in checks]]
            # from the validated model, without validating again
            model: Any = result.model  # a PlanView in a subset run (duck-typed as the Plan it shows)
            if self.subset:
                assert subset is not None
                model = subset
            result = FileResult(path, model, result.diagnostics, result.partial, None)
            state.result = result
        return result

    def _prefetched(self, state: FileState, path: Path, done: tuple[Any, ...]) -> FileResult:
        """``_parse`` of a plan that a worker read, validated, checked and wrote (``Prefetch``): the
        same entry and result, from plain values."""
        header, full, open_, written = done
        state.hash = header["hash"]
        state.entry = Entry(entry_path(self.root, path), header, {"full": full, "open": open_}, dirty=not written)
        model: Any = views.unpack(open_) if self.subset else decode(Plan, _unpack(full))
        result = FileResult(path, model, [], False, None)
        state.result = result
        return result

    def _from_entry(self, path: Path, kind: type[Plan] | type[Unit], entry: Entry) -> FileResult:
        meta = entry.header["meta"]
        diags = [_diag_in(v) for v in meta["diags"]]
        model: Any = None
        if meta["model"]:
            view = self.subset and kind is Plan
            blob = entry.blob("open" if view else "full")
            if blob is None:
                raise ValueError("missing blob")
            model = views.unpack(blob) if view else decode(kind, _unpack(blob))
        return FileResult(path, model, diags, meta["partial"], None)

    def full_plan(self, entry: PlanEntry) -> Plan:
        """The whole plan of ``entry`` (in a subset run its plan holds only the open items)."""
        if not self.subset:
            return entry.plan
        state = self.files.get(str(entry.path))
        stored = state.entry if state is not None else None
        if stored is None and str(entry.path) in self.indexed:  # served from the index: its file's entry
            stored = read_entry(entry_path(self.root, entry.path))
            if stored is not None and (
                stored.header.get("shown") != str(entry.path) or stored.header.get("hash") != self.indexed[str(entry.path)]
            ):
                stored = None
        if stored is not None:
            try:
                blob = stored.blob("full")
                if blob is not None:
                    return decode(Plan, _unpack(blob))  # type: ignore[no-any-return]
            except (OSError, ValueError):
                pass
        res = load_file(entry.path, Plan)
        if not isinstance(res.model, Plan):
            raise ValueError(f"{entry.path} changed during the run")
        return res.model

    # -- checks

    def validate(self, ws: Workspace, today: dt.date, *, ignore: Iterable[str] = (), positions: bool = True) -> list[Diagnostic]:
        """``checks.validate(ws, today)`` with the per-file checks taken from (or put in) the entries."""
        from ggk.workspace.checks import REGISTRY, SCOPES, Context, Scope, finish

        skip = set(ignore)
        out = [d for d in ws.diagnostics if d.code not in skip]
        codes = [c for c in REGISTRY if c not in skip]
        # The checks say what their findings depend on (``@check(code, scope)``); one without a
        # scope is run on the whole workspace (Scope.ALL), never cached.
        scope = {c: SCOPES.get(c, Scope.ALL) for c in codes}
        unknown = [c for c in codes if scope[c] is Scope.ALL]
        as_of = [c for c in codes if scope[c] is Scope.AS_OF]
        ctx = Context(ws, today)
        self.headers = _header_findings(ctx)  # ignored or not: the workspace index keeps them all
        out.extend(_workspace_findings(codes, ctx, self.headers))
        file_codes = [c for c in codes if scope[c] is Scope.FILE]
        full_ws = self._full_workspace(ws) if unknown else None
        for entry in ws.plans:
            state = self.files.get(str(entry.path))
            unit_entry = ws.units.get(entry.plan.unit)
            unit_key = self._unit_key(unit_entry)
            cached = None
            if state is not None and state.entry is not None:
                stored = state.entry.meta("checks")
                if stored and stored[0] == unit_key:
                    cached = [_diag_in(v) for v in stored[1]]
            if cached is None:
                cached = self._run_file_checks(self._full_entry(entry), unit_entry)
                if state is not None and state.entry is not None:
                    state.entry.header["meta"]["checks"] = [unit_key, [_diag_out(d) for d in cached]]
                    state.entry.dirty = True
            out.extend(d for d in cached if d.code in file_codes)
            if as_of:
                latest = state.entry.meta("latest", None) if state is not None and state.entry is not None else None
                if latest is None or latest > today.toordinal():
                    mini = Workspace(ws.roots, dict(ws.units), [self._full_entry(entry)])
                    for code in as_of:
                        out.extend(REGISTRY[code](Context(mini, today)))
        if unknown:
            assert full_ws is not None
            fctx = Context(full_ws, today)
            for code in unknown:
                out.extend(REGISTRY[code](fctx))
        return finish(ws, out, positions)

    def _unit_key(self, unit_entry: UnitEntry | None) -> str:
        """What the stored per-file check results depend on besides the plan: its unit's registry, and
        which checks are FILE-scoped (a check added or re-scoped makes them stale)."""
        from ggk.workspace.checks import SCOPES, Scope

        codes = ",".join(sorted(c for c, s in SCOPES.items() if s is Scope.FILE))
        if unit_entry is None:
            return f"-|{codes}"
        if unit_entry.unit is None:
            return f"x|{codes}"
        state = self.files.get(str(unit_entry.path))
        if state is None or not state.hash:
            return "?"  # unknown content: never matches a stored key
        return f"{state.hash.hex()}|{codes}"

    def _full_entry(self, entry: PlanEntry) -> PlanEntry:
        if not self.subset:
            return entry
        return PlanEntry(entry.slug, entry.path, self.full_plan(entry), entry.partial, entry.locator)

    def _full_workspace(self, ws: Workspace) -> Workspace:
        if not self.subset:
            return ws
        full = Workspace(
            ws.roots, dict(ws.units), [self._full_entry(e) for e in ws.plans], list(ws.diagnostics), list(ws.skipped), ws.files
        )
        return full

    def _run_file_checks(self, entry: PlanEntry, unit_entry: UnitEntry | None) -> list[Diagnostic]:
        """The per-file checks of one (whole) plan against its unit's registry.  They do not read the
        as-of date, so any date will do."""
        from ggk.workspace.checks import REGISTRY, SCOPES, Context, Scope

        units = {entry.plan.unit: unit_entry} if unit_entry is not None else {}
        mini = Workspace([entry.path.parent.parent], units, [entry])
        ctx = Context(mini, dt.date(2000, 1, 1))
        out: list[Diagnostic] = []
        for code in sorted(c for c, s in SCOPES.items() if s is Scope.FILE):
            out.extend(REGISTRY[code](ctx))
        return out

    def save(self) -> None:
        for state in self.files.values():
            if state.entry is not None and state.entry.dirty:
                if state.result is not None:
                    write_entry(state.entry)  # made in this run: every blob is in memory
                else:
                    self._rewrite(state.entry)

    def _rewrite(self, entry: Entry) -> None:
        try:
            for spec in entry.header["blobs"]:
                entry.blob(spec[0])
        except (OSError, ValueError):
            return
        write_entry(entry)


# --------------------------------------------------------------------------- reading plans in parallel
#
# A cold run over many files spends most of its time per plan file: YAML, validation, dumping and
# packing the entry's blobs, the per-file checks.  Each depends only on the file and its unit's
# registry, so forked workers (which inherit the units already loaded) do it for the plans that have
# no entry, and hand back plain values: the parent builds the same entry and the same result as
# ``Cache._parse``, in the same order.  Workers take only what the fast path takes (``fast_data`` and
# a clean validation); any other file — one with something to report — is read by the parent as
# before, so the diagnostics and their positions are those of a serial run.

#: fewest plan files without an entry for which workers are started
PARALLEL_MIN = 50
#: files per task handed to a worker
_CHUNK = 8
_WORKER_CACHE: Cache | None = None


def _jobs() -> int:
    env = os.environ.get("GGK_JOBS", "")
    if env.isdigit():
        return int(env)
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _prefetch_one(path: Path) -> tuple[Any, ...] | None:
    """What ``Cache._parse`` makes of a plain plan file, as plain values; None: leave it to the parent."""
    from pydantic import ValidationError

    from ggk.workspace.load import fast_data

    cache = _WORKER_CACHE
    assert cache is not None
    raw, read_ns, st = Cache._read(path)
    if raw is None or st is None:
        return None
    data = fast_data(raw)
    if data is None:
        return None
    try:
        model = Plan.model_validate(data)
    except ValidationError:
        return None
    entry, _subset = _new_entry(cache.root, path, "plan", st, read_ns, hashlib.sha256(raw).digest()[:16], model, [], False)
    known = cache.units.get(model.unit)
    checks = cache._run_file_checks(PlanEntry(folder_name(path), path, model), known[0] if known else None)
    entry.header["meta"]["checks"] = [cache._unit_key(known[0] if known else None), [_diag_out(d) for d in checks]]
    full, open_ = entry.blobs["full"], entry.blobs["open"]
    write_entry(entry)
    # A subset run needs only the open items; the whole plan (30 KB a file, 30 MB for a province, over a pipe)
    # stays in the entry just written, where the index writer reads it (``Entry.blob``).
    keep = None if cache.subset and not entry.dirty else full
    return (entry.header, keep, open_, not entry.dirty)


def _prefetch_chunk(paths: list[Path]) -> list[tuple[Any, ...] | None]:
    out: list[tuple[Any, ...] | None] = []
    for path in paths:
        try:
            out.append(_prefetch_one(path))
        except Exception:  # the parent reads it and reports whatever is wrong
            out.append(None)
    return out


class Prefetch:
    """Plans being read by a pool of forked workers; ``take(path)`` waits for one (None: not taken)."""

    def __init__(self, executor: Any, futures: dict[str, tuple[Any, int]]) -> None:
        self.executor = executor
        self.futures = futures

    @classmethod
    def start(cls, cache: Cache, paths: list[Path]) -> Prefetch | None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        global _WORKER_CACHE
        jobs = _jobs()
        if jobs < 2 or len(paths) < PARALLEL_MIN or "fork" not in multiprocessing.get_all_start_methods():
            return None
        from ggk.workspace import checks as _checks  # noqa: F401  (registered before the fork, not in each worker)

        _WORKER_CACHE = cache
        try:
            executor = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"))
            futures: dict[str, tuple[Any, int]] = {}
            for i in range(0, len(paths), _CHUNK):
                chunk = paths[i : i + _CHUNK]
                fut = executor.submit(_prefetch_chunk, chunk)
                for j, p in enumerate(chunk):
                    futures[str(p)] = (fut, j)
        except Exception:
            _WORKER_CACHE = None
            return None
        return cls(executor, futures)

    def take(self, path: str) -> tuple[Any, ...] | None:
        job = self.futures.pop(path, None)
        if job is None:
            return None
        try:
            return job[0].result()[job[1]]  # type: ignore[no-any-return]
        except Exception:  # a worker died: the parent reads the file itself
            return None

    def close(self) -> None:
        global _WORKER_CACHE
        self.executor.shutdown(wait=True, cancel_futures=True)
        _WORKER_CACHE = None


def _missing_plans(root: Path, plans: list[Path]) -> list[Path]:
    """The plan files with no entry (a cold run: all of them)."""
    out = []
    for p in plans:
        if not entry_path(root, p).exists():
            out.append(p)
    return out


# --------------------------------------------------------------------------- models without validation
#
# Entries hold a model's data by position (``encode``): one array per model, its fields in the model's
# order, None for a field at its default (what ``model_dump(exclude_defaults=True)`` leaves out), nested
# models as arrays too.  The data was validated when the file was read; rebuilding models from it by
# validation again would cost more than everything else of a warm run.  ``decode`` builds the same
# models directly: each class gets a small function, generated once from its fields, that makes the
# ``__dict__`` pydantic would (what ``model_construct`` does, without its per-field lookups) — a warm
# run over a province's plans builds tens of thousands of models.
# None can stand for "the default" because no field whose default is not None can hold None (refused,
# or read as the default): tests/test_cache.py checks that over the model.

_NESTED: dict[type, dict[str, type]] = {
    Plan: {"sections": Section, "reporting": Reporting},
    Section: {"items": Item, "sections": Section},
    Item: {"contact": Contact, "deadline": Deadline, "log": LogEntry, "history": DeadlineChange},
    LogEntry: {"source": ReturnSource, "corrected": Correction, "deleted": Correction},
    DeadlineChange: {"old": Deadline, "new": Deadline},
    Unit: {"departments": Department, "reporting": Reporting},
    Department: {"contact": Contact},
}
_ENUMS: dict[type, dict[str, type[enum.Enum]]] = {Item: {"status": Status}, LogEntry: {"status": Status}, Deadline: {"kind": DeadlineKind}}
#: date fields, stored as their ordinal (an int msgpack packs itself; no extension object per date)
_DATES: dict[type, set[str]] = {
    Plan: {"issued"},
    Item: {"completed", "summary_date"},
    LogEntry: {"date", "event", "done"},
    Deadline: {"due"},
    DeadlineChange: {"date"},
    Correction: {"date"},
}
#: per class: (field, nested class or None, its default, "date"/"enum"/None) in the model's order
_LAYOUTS: dict[type, list[tuple[str, type | None, Any, str | None]]] = {}
_REQUIRED = object()


def _layout(cls: Any) -> list[tuple[str, type | None, Any, str | None]]:
    layout = _LAYOUTS.get(cls)
    if layout is None:
        nested, dates, enums = _NESTED.get(cls, {}), _DATES.get(cls, set()), _ENUMS.get(cls, {})
        layout = []
        for name, info in cls.model_fields.items():
            if info.is_required():
                default: Any = _REQUIRED
            else:
                default = info.default_factory() if info.default_factory is not None else info.default
            kind = "date" if name in dates else "enum" if name in enums else None
            layout.append((name, nested.get(name), default, kind))
        _LAYOUTS[cls] = layout
    return layout


def encode(model: Any) -> list[Any]:
    """A validated model by position (see above): None for a default, dates as ordinals, enums as values."""
    values = model.__dict__
    out: list[Any] = []
    for name, sub, default, kind in _layout(type(model)):
        value = values[name]
        if sub is not None:
            if type(value) is list:
                value = [encode(v) for v in value] or None
            elif value is not None:
                value = encode(value)
        elif value == default:
            value = None
        elif kind == "date":
            value = value.toordinal()
        elif kind == "enum":
            value = value.value
        out.append(value)
    return out


_DECODERS: dict[type, Any] = {}


def decode(cls: Any, values: list[Any]) -> Any:
    """The model ``cls`` whose ``encode`` is ``values``."""
    fn = _DECODERS.get(cls) or _decoder(cls)
    return fn(values)


def _decoder(cls: Any) -> Any:
    nested, enums, dates = _NESTED.get(cls, {}), _ENUMS.get(cls, {}), _DATES.get(cls, set())
    env: dict[str, Any] = {"cls": cls, "new": object.__new__, "setattr": object.__setattr__, "day": dt.date.fromordinal}
    entries, names = [], []
    for i, (name, info) in enumerate(cls.model_fields.items()):
        names.append(name)
        v = f"a[{i}]"
        if name in nested:
            sub = nested[name]
            env[f"d_{sub.__name__}"] = None  # filled below: the decoder of the nested class
            if info.default_factory is None:  # one optional model, not a list
                expr = f"d_{sub.__name__}({v}) if {v} is not None else None"
            else:
                expr = f"[d_{sub.__name__}(x) for x in {v}] if {v} else []"
        elif name in enums:
            env[f"e{i}"] = {m.value: m for m in enums[name]}
            env[f"z{i}"] = info.default
            expr = f"e{i}[{v}] if {v} is not None else z{i}"
        elif name in dates:
            expr = f"day({v})" if info.is_required() else f"day({v}) if {v} is not None else None"
        elif info.default_factory is not None:
            env[f"f{i}"] = info.default_factory
            expr = f"{v} if {v} is not None else f{i}()"
        elif info.default is None or info.is_required():
            expr = v
        else:
            env[f"z{i}"] = info.default
            expr = f"{v} if {v} is not None else z{i}"
        entries.append((name, expr))
    env["fields"] = frozenset(names)
    body = [
        f"    setattr(obj, '__dict__', {{{', '.join(f'{name!r}: {expr}' for name, expr in entries)}}})",
        "    setattr(obj, '__pydantic_fields_set__', set(fields))",
        "    setattr(obj, '__pydantic_extra__', None)",
        "    setattr(obj, '__pydantic_private__', None)",
    ]
    source = "\n".join(["def decode(a):", "    obj = new(cls)", *body, "    return obj"])
    exec(compile(source, f"<ggk.workspace.cache decoder of {cls.__name__}>", "exec"), env)
    fn = env["decode"]
    _DECODERS[cls] = fn
    for sub in set(nested.values()):
        env[f"d_{sub.__name__}"] = fn if sub is cls else (_DECODERS.get(sub) or _decoder(sub))
    return fn


# --------------------------------------------------------------------------- the workspace index
#
# One file per set of --plans paths: the whole workspace of the last run — file signatures (the trust
# rules of the entries), the diagnostics, the per-file check results, the units, and the plans twice
# (whole, and with only their open items) — so that a warm run reads one file and stats the plan
# files instead of opening 1,100 entries.  Any difference in the files found, or in one file's stat
# that its content hash does not explain, and the run goes through the entries (and writes a new index).

INDEX_FORMAT = 2


def index_path(root: Path, paths: Sequence[Path]) -> Path:
    # the paths as given (they are how files are shown), and where relative ones start from
    relative = any(not os.path.isabs(p) for p in paths)
    key = "\0".join([os.getcwd() if relative else "", *(str(p) for p in paths)])
    digest = hashlib.blake2b(key.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()
    return root / "index" / f"{digest}.ggki"


def _found_list(paths: Sequence[Path], found: Found | None = None) -> tuple[Found, list[list[str]]]:
    if found is None:
        found = discover(paths)
    listing = [[str(p), "unit"] for p in found.units] + [[str(p), "plan"] for p in found.plans] + [[str(p), "stray"] for p in found.strays]
    return found, listing


def _folder_sigs(found: Found) -> list[list[Any]] | None:
    if found.folders is None:
        return None
    return [[path, st.st_dev, st.st_ino, st.st_mtime_ns, st.st_ctime_ns] for path, st in found.folders]


def _folders_unchanged(folders: list[list[Any]], listed_ns: int) -> bool:
    """Whether discovering the files again would find the same ones: every folder it read is the same
    folder, unchanged since it was read (a file added, removed or renamed in a folder changes the
    folder's mtime), and was not changed shortly before (a change within a coarse timestamp's tick
    would not show: then discovery runs, and its result refreshes the signatures)."""
    for path, dev, ino, mtime_ns, ctime_ns in folders:
        try:
            st = os.stat(path)
        except OSError:
            return False
        if (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_ctime_ns) != (dev, ino, mtime_ns, ctime_ns):
            return False
        if mtime_ns + RACY_NS >= listed_ns:  # (entries added or removed change the mtime)
            return False
    return True


def _trust(files: list[list[Any]]) -> tuple[bool, bool]:
    """(every file is as indexed, some signature was refreshed) under the entries' trust rules."""
    refreshed = False
    for rec in files:
        if rec[1] == "stray":
            continue
        try:
            st = os.stat(rec[0])
        except OSError:
            return False, False
        if _stat_key(st) == rec[2] and st.st_mtime_ns + RACY_NS < rec[3]:
            continue
        raw, read_ns, st2 = Cache._read(Path(rec[0]))
        if raw is None or st2 is None or hashlib.sha256(raw).digest()[:16] != rec[4]:
            return False, False
        rec[2], rec[3] = _stat_key(st2), read_ns
        refreshed = True
    return True, refreshed


def _from_index(
    paths: Sequence[Path], today: dt.date, subset: bool, root: Path, ignore: Iterable[str], positions: bool
) -> tuple[Workspace, list[Diagnostic], Cache] | None:
    ipath = index_path(root, paths)
    index = read_entry(ipath)
    if index is None or index.header.get("index") != INDEX_FORMAT or index.header.get("paths") != [str(p) for p in paths]:
        return None
    h = index.header
    files = h["files"]
    listing = [f[:2] for f in files]
    folders = h.get("folders")
    found_again = None
    if folders is None or not _folders_unchanged(folders, h.get("listed_ns", 0)):
        found_again, listing = _found_list(paths)
        if [f[:2] for f in files] != listing:
            return None
    ok, refreshed = _trust(files)
    if not ok:
        return None
    if found_again is not None and found_again.folders is not None:
        # the same files, found again: their folders' signatures now, so the next run need not look
        h["folders"], h["listed_ns"] = _folder_sigs(found_again), found_again.started_ns
        refreshed = True
    try:
        if subset:  # views (see ggk.workspace.views)
            units_data: list[Any] = index.decode_blob("unit_views", views.unpack_units)
            plans_data: list[Any] = index.decode_blob("open", views.unpack_all)
        else:
            units_data = [decode(Unit, u) if u is not None else None for u in _unpack(index.blob("units") or b"")]
            plans_data = _unpack(index.blob("all") or b"")
        if refreshed:
            for name in ("open", "all", "units", "unit_views"):
                index.blob(name)
    except (OSError, ValueError, TypeError, msgpack.UnpackException):
        return None
    cache = Cache(root, subset=subset)
    cache.hits = sum(1 for f in files if f[1] != "stray")
    cache.indexed = {f[0]: f[4] for f in files if f[1] != "stray"}
    cache.index_pos = h.get("pos") or {}
    cache.recording = True
    ws = Workspace(list(paths), files=len(listing), subset=subset, positions=cache)
    try:  # a header that unpacks but does not hold what an index holds: not used, never an error
        ws.diagnostics = [_diag_in(v) for v in h["diags"]]
        ws.skipped = [Path(p) for p in h["skipped"]]
        for (slug, upath), data in zip(h["units"], units_data, strict=True):
            ws.units[slug] = UnitEntry(slug, Path(upath), data)
        phrases = [(p, y, decode(Deadline, d) if d is not None else None) for p, y, d in h.get("phrases") or ()]
        for (slug, ppath, partial, _latest, _checks), data in zip(h["plans"], plans_data, strict=True):
            ws.plans.append(PlanEntry(slug, Path(ppath), data if subset else decode(Plan, data), partial))
        diags = _index_checks(cache, ws, h["plans"], today, ignore, positions, h.get("headers"))
    except (KeyError, ValueError, TypeError, IndexError, AttributeError):
        return None
    deadlines.learn_phrases(phrases)
    cache.recording = False
    if cache.learned:  # positions found for the findings shown: kept for the next run
        cache._store_indexed_positions()
        if cache._index_positions(index):
            try:
                for spec in index.header["blobs"]:
                    index.blob(spec[0])
                refreshed = True
            except (OSError, ValueError):
                pass
        cache.learned.clear()
    if refreshed:
        write_entry(index)  # the stat of files read when fresh: trusted alone from now on
    return ws, diags, cache


def _header_findings(ctx: Any) -> list[Diagnostic]:
    """The findings of every check about plan headers and unit files (``Scope.HEADERS``)."""
    from ggk.workspace.checks import REGISTRY, SCOPES, Scope

    return [d for c, s in SCOPES.items() if s is Scope.HEADERS for d in REGISTRY[c](ctx)]


def _workspace_findings(codes: list[str], ctx: Any, headers: list[Diagnostic]) -> list[Diagnostic]:
    """The findings of the checks ``codes`` about headers (taken from ``headers``) and about the
    workspace (run now), in the checks' order."""
    from ggk.workspace.checks import REGISTRY, SCOPES, Scope

    out: list[Diagnostic] = []
    for code in codes:
        scope = SCOPES.get(code)
        if scope is Scope.HEADERS:
            out.extend(d for d in headers if d.code == code)
        elif scope is Scope.WORKSPACE:
            out.extend(REGISTRY[code](ctx))
    return out


def _index_checks(
    cache: Cache,
    ws: Workspace,
    plans: list[list[Any]],
    today: dt.date,
    ignore: Iterable[str],
    positions: bool,
    headers: list[list[Any]] | None = None,
) -> list[Diagnostic]:
    from ggk.workspace.checks import REGISTRY, SCOPES, Context, Scope, finish

    skip = set(ignore)
    codes = [c for c in REGISTRY if c not in skip]
    scope = {c: SCOPES.get(c, Scope.ALL) for c in codes}
    out = [d for d in ws.diagnostics if d.code not in skip]
    ctx = Context(ws, today)
    out.extend(_workspace_findings(codes, ctx, [_diag_in(v) for v in headers] if headers is not None else _header_findings(ctx)))
    file_codes = {c for c in codes if scope[c] is Scope.FILE}
    as_of = [c for c in codes if scope[c] is Scope.AS_OF]
    for entry, (_slug, _path, _partial, latest, checks) in zip(ws.plans, plans, strict=True):
        out.extend(d for d in map(_diag_in, checks) if d.code in file_codes)
        if as_of and (latest is None or latest > today.toordinal()):
            mini = Workspace(ws.roots, dict(ws.units), [cache._full_entry(entry)])
            for code in as_of:
                out.extend(REGISTRY[code](Context(mini, today)))
    rest = [c for c in codes if scope[c] is Scope.ALL]
    if rest:
        fctx = Context(cache._full_workspace(ws), today)
        for code in rest:
            out.extend(REGISTRY[code](fctx))
    return finish(ws, out, positions)


def _write_index(cache: Cache, paths: Sequence[Path], ws: Workspace, found: Found | None = None) -> None:
    """The index of this run's workspace (only when every unit and plan file has a current entry)."""
    try:
        _found, listing = _found_list(paths, found)
        files: list[list[Any]] = []
        pos: dict[str, list[Any]] = {}
        for shown, kind in listing:
            if kind == "stray":
                files.append([shown, kind, None, 0, b""])
                continue
            state = cache.files.get(shown)
            if state is None or state.entry is None:
                return
            eh = state.entry.header
            files.append([shown, kind, eh["stat"], eh["read_ns"], eh["hash"]])
            rows = state.entry.meta("pos")
            if rows:
                pos[shown] = [eh["hash"], rows]
        packer = msgpack.Packer(use_bin_type=True)
        units_meta, units_blob = [], [packer.pack_array_header(len(ws.units))]
        for slug, u in ws.units.items():
            units_meta.append([slug, str(u.path)])
            state = cache.files.get(str(u.path))
            blob = state.entry.blob("full") if state is not None and state.entry is not None and u.unit is not None else None
            if u.unit is not None and blob is None:
                return
            units_blob.append(blob if blob is not None else b"\xc0")
        plans_meta: list[list[Any]] = []
        opened, whole = [packer.pack_array_header(len(ws.plans))], [packer.pack_array_header(len(ws.plans))]
        phrases: list[tuple[str, int]] = []
        for entry in ws.plans:
            state = cache.files.get(str(entry.path))
            if state is None or state.entry is None:
                return
            stored = state.entry.meta("checks")
            full, open_ = state.entry.blob("full"), state.entry.blob("open")
            if not stored or stored[0] != cache._unit_key(ws.units.get(entry.plan.unit)) or full is None or open_ is None:
                return
            plans_meta.append([entry.slug, str(entry.path), entry.partial, state.entry.meta("latest", None), stored[1]])
            phrases.extend((phrase, entry.plan.year) for phrase in state.entry.meta("phrases", ()))
            whole.append(full)
            opened.append(open_)
        header = {
            "key": KEY,
            "index": INDEX_FORMAT,
            "paths": [str(p) for p in paths],
            "files": files,
            "diags": [_diag_out(d) for d in ws.diagnostics],
            "skipped": [str(p) for p in ws.skipped],
            "units": units_meta,
            "plans": plans_meta,
            "pos": pos,
            "phrases": [[p, y, encode(d) if d is not None else None] for p, y, d in deadlines.parsed_phrases(phrases)],
            "headers": [_diag_out(d) for d in cache.headers] if cache.headers is not None else None,
            "folders": _folder_sigs(_found),
            "listed_ns": _found.started_ns,
        }
        blobs: dict[str, bytes | None] = {
            "units": b"".join(units_blob),
            "unit_views": views.pack_units([u.unit for u in ws.units.values()]),
            "open": b"".join(opened),
            "all": b"".join(whole),
        }
        write_entry(Entry(index_path(cache.root, paths), header, blobs, dirty=True))
    except (OSError, ValueError, TypeError):
        pass


_WRITERS: list[int] = []


def _write_index_aside(cache: Cache, paths: Sequence[Path], ws: Workspace, found: Found) -> None:
    """``_write_index`` in a forked child while this process goes on with its report: packing the index
    of a province's plans takes a tenth of a second of a cold run, and the report has as much to do.
    The process waits for the child before it exits (and before it next reads the cache), so a
    command ends with its index written, as before.  Small workspaces, ``GGK_JOBS=1`` and platforms
    without fork write it in place."""
    if len(ws.plans) < PARALLEL_MIN or _jobs() < 2 or not hasattr(os, "fork"):
        _write_index(cache, paths, ws, found)
        return
    try:
        pid = os.fork()
    except OSError:
        _write_index(cache, paths, ws, found)
        return
    if pid == 0:  # the child: writes the index and nothing else (not even buffered output)
        try:
            null = os.open(os.devnull, os.O_RDWR)
            os.dup2(null, 1)  # a pipe reading the report sees its end when the parent is done
            os.dup2(null, 2)
            _write_index(cache, paths, ws, found)
        finally:
            os._exit(0)
    _WRITERS.append(pid)


@atexit.register
def _reap() -> None:
    while _WRITERS:
        pid = _WRITERS.pop()
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass


@contextmanager
def gc_paused() -> Iterator[None]:
    """Loading builds many long-lived objects and no cycles: the cyclic GC would only slow it down.

    On the way out they are frozen (``gc.freeze``): made while the collector was off, they would all
    still be in its youngest generation, and the next collections — set off by the report's own
    allocations — would walk every model of the workspace three times over (a quarter of a warm run
    over 50,000 items).  Frozen objects are still freed when no longer referenced; only a reference
    cycle among them would outlive its use, and a workspace has none."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.freeze()
            gc.enable()


def open_cached(
    paths: Sequence[Path],
    today: dt.date,
    *,
    subset: bool = False,
    root: Path | None = None,
    ignore: Iterable[str] = (),
    positions: bool = True,
) -> tuple[Workspace, list[Diagnostic], Cache]:
    """``load(paths)`` and ``validate(ws, today, positions=positions)`` through the cache.

    ``subset=True`` gives plans that hold only their open items (未启动/进行中) that have a time limit,
    and the sections above them: enough for reports that can only show items that are overdue or due
    soon, at a fraction of the cost.
    Item positions (``Row.loc``) then refer to the subset: never edit through such a workspace.
    The diagnostics are those of the whole files either way.
    """
    root = root or cache_dir()
    _reap()  # an index still being written by the last call: finished before this one reads it
    with gc_paused():
        served = _from_index(paths, today, subset, root, ignore, positions)
        if served is not None:
            return served
        cache = Cache(root, subset=subset)
        cache.recording = True  # positions found while checking go out with the entries and the index
        found = discover(paths)
        if _jobs() > 1:
            cache.pending = _missing_plans(root, found.plans)
        try:
            ws = load(paths, loader=cache.load_file, found=found)
        finally:
            if cache.prefetch is not None:
                cache.prefetch.close()
                cache.prefetch = None
            cache.pending = []
        ws.subset = subset
        ws.positions = cache
        diags = cache.validate(ws, today, ignore=ignore, positions=positions)
    cache.save()
    _write_index_aside(cache, paths, ws, found)
    cache.learned.clear()
    cache.recording = False
    return ws, diags, cache
