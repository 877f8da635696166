"""The edit transaction of a plan file: read, edit, check, write atomically under a lock.

Owns ``edit_plan``: the file is read and its hash taken, the edit is applied to its text by
``ggk.yamlfiles.patch.edit_text`` (only the lines that must change), the result is validated
with its unit (``ggk.workspace.load`` + ``ggk.workspace.checks``) and refused if it adds
errors, and it replaces the file atomically, under a lock file ``.<name>.lock`` beside the plan,
only if the file on disk is still the one that was read (``ggk.workspace.files.replace_if_unchanged``:
no moment in which an editor's save could be lost).

What an edit writes is guarded (``_guard``): every text value the edit adds is looked at before it
is written.  Carriage returns become line breaks and a leading byte-order mark (U+FEFF) is
dropped — and the result says so (``EditResult.notes``), the text is never changed silently;
any other control character (ESC, bidi overrides, …) refuses the edit.  A symlinked plan is edited
through its link (the target is written, the link kept); a read-only plan is never rewritten; the
temporary files of a write that was killed are removed by the next edit of the same file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ggk.diagnostics import Diagnostic, GgkError, Severity
from ggk.yamlfiles.patch import PreserveError, edit_text, unified_diff

#: How long an edit waits for another ggk process editing the same file.
LOCK_TIMEOUT = 30.0


# =========================================================================== results and errors


@dataclass
class EditResult:
    """What an edit did (or would do, with ``dry_run``)."""

    path: Path
    diff: str = ""  # unified diff of the change ("" when nothing changed)
    written: bool = False
    #: problems that stopped the edit (file unreadable, edit would make it invalid), or new warnings
    diagnostics: list[Diagnostic] = field(default_factory=list)
    value: Any = None  # whatever the edit function returned (e.g. a description of the change)
    before: str = ""
    after: str = ""
    #: what ggk changed in the text it was given, or cleaned up, said to the user (never silent)
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def refused(self) -> bool:
        """The edit was not applied because of problems in the file or in the edited result."""
        return bool(self.errors)


class ConflictError(GgkError):
    """The file changed on disk while ggk was editing it (exit code 2)."""


class ControlCharacterError(GgkError):
    """The edit would write a control character (exit code 2): nothing is written."""


# =========================================================================== edit a file


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def lock_path(path: Path) -> Path:
    """The lock file of an edit of ``path``: beside the file really written (a symlink's target), so
    that two links to one plan share it."""
    from ggk.workspace.files import target_of

    target = target_of(path)
    return target.with_name(f".{target.name}.lock")


def _refuse_read_only(path: Path) -> None:
    """A plan marked read-only (no write permission for its owner, e.g. ``chmod 444``) is someone's
    decision that it must not change: ggk honours it even where it could write (as root)."""
    import stat

    try:
        mode = path.stat().st_mode
    except OSError:
        return  # reported when it is read
    if not mode & stat.S_IWUSR:
        raise GgkError(
            f"{path} 是只读文件（权限 {stat.filemode(mode)}），ggk 不修改它",
            f"确需修改时，先恢复写权限：chmod u+w {path}",
        )


# --------------------------------------------------------------------------- what an edit writes


def _strings(node: Any) -> list[str]:
    """Every text value of a YAML document (keys excluded), in document order."""
    out: list[str] = []
    stack = [node]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            out.append(str(v))
        elif isinstance(v, dict):
            stack.extend(reversed(list(v.values())))
        elif isinstance(v, list):
            stack.extend(reversed(v))
    return out


def _cleaned(text: str) -> tuple[str, list[str]]:
    """``text`` as ggk writes it, and what was changed: line breaks for carriage returns, no
    leading byte-order mark."""
    changes = []
    out = text
    if "\r" in out:
        out = out.replace("\r\n", "\n").replace("\r", "\n")
        changes.append("回车符（\\r）改成了换行")
    if out.startswith("\ufeff"):
        out = out.lstrip("\ufeff")
        changes.append("去掉了开头的字节顺序标记（U+FEFF，BOM）")
    return out, changes


def _guard(fn: Callable[[Any], Any], notes: list[str]) -> Callable[[Any], Any]:
    """``fn`` followed by the check of every text value it added to the document (module docstring)."""

    def guarded(doc: Any) -> Any:
        before = Counter(_strings(doc))
        value = fn(doc)
        _clean_new(doc, before, notes)
        return value

    return guarded


def _clean_new(node: Any, before: Counter[str], notes: list[str]) -> None:
    from ggk.render.safe import controls, visible

    def fix(text: str) -> Any:
        if before[text] > 0:  # there before the edit: not the edit's to judge
            before[text] -= 1
            return None
        out, changes = _cleaned(text)
        bad = controls(out)
        if bad:
            shown = visible(out if len(out) <= 40 else out[:39] + "…")
            raise ControlCharacterError(
                f"要写入的文字含控制字符 {'、'.join(bad)}：「{shown}」，未写入",
                "删去这些字符后再试：它们在终端、表格和文档里会扰乱显示，或被当作指令",
            )
        if changes:
            shown = visible(out if len(out) <= 20 else out[:19] + "…").replace("\n", "↵")  # one line
            notes.append(f"「{shown}」：{'，'.join(changes)}")
            return _like(text, out)
        return None

    stack = [node]
    while stack:
        container = stack.pop()
        slots = list(container.items()) if isinstance(container, dict) else list(enumerate(container))
        for key, v in slots:
            if isinstance(v, str):
                new = fix(v)
                if new is not None:
                    container[key] = new
            elif isinstance(v, (dict, list)):
                stack.append(v)


def _like(old: Any, text: str) -> Any:
    """``text`` in the style ``old`` was to be written in (a ``|-`` block when it has lines)."""
    from ruamel.yaml.scalarstring import LiteralScalarString

    from ggk.yamlfiles.patch import literal_ok

    if isinstance(old, LiteralScalarString) or ("\n" in text and type(old) is str):
        return LiteralScalarString(text) if literal_ok(text) else text
    return type(old)(text) if type(old) is not str else text


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise GgkError(f"找不到文件：{path}") from None
    except OSError as exc:
        raise GgkError(f"无法读取 {path}：{exc.strerror or exc}") from None


def _fatal_read_problems(path: Path, raw: bytes) -> list[Diagnostic]:
    """Problems that forbid rewriting the file (it cannot be read faithfully)."""
    from ggk.yamlfiles.read import read_file

    parsed = read_file(str(path), raw)
    # Syntax, encoding, duplicate keys, merge keys, tags, dates that are no dates (2026-13-01: the
    # round-trip reader cannot build them): rewriting such a file could lose content.
    return [d for d in parsed.diagnostics if d.fatal or d.code in ("GGK001", "GGK002", "GGK003", "GGK004", "GGK005", "GGK007", "GGK104")]


def _diag_key(d: Diagnostic) -> tuple[str, str]:
    # Line numbers move when lines are inserted: compare problems without them.
    return d.code, re.sub(r"第 ?\d+ ?行", "第 N 行", d.message)


def validate_change(path: Path, before: bytes, after: bytes, today: dt.date | None) -> list[Diagnostic]:
    """Diagnostics of ``path`` with ``after`` as its content that were not there with ``before``."""
    from ggk.workspace.checks import validate
    from ggk.workspace.load import Workspace, load, load_file

    when = today or dt.date.max
    target = path.resolve()

    def run(raw: bytes) -> tuple[Workspace, list[Diagnostic]]:
        def loader(p: Path, kind: Any) -> Any:
            return load_file(p, kind, raw if Path(p).resolve() == target else None)

        ws = load([path], loader=loader)
        # Compared without positions (_diag_key); only the new ones are shown, so only they are located.
        return ws, [d for d in validate(ws, when, positions=False) if Path(d.path).resolve() == target]

    old = Counter(_diag_key(d) for d in run(before)[1])
    ws, now = run(after)
    out = []
    for d in now:
        key = _diag_key(d)
        if old[key] > 0:
            old[key] -= 1
        else:
            out.append(d)
    return ws.resolve_positions(out)


def edit_plan(
    path: Path | str,
    fn: Callable[[Any], Any],
    *,
    dry_run: bool = False,
    validate: bool = True,
    today: dt.date | None = None,
    lock_timeout: float = LOCK_TIMEOUT,
    tidy: Callable[[str], str] | None = None,
) -> EditResult:
    """Edit one plan (or unit) file: ``fn`` mutates the ruamel document; see the module docstring.

    Returns an ``EditResult``.  Not written (``written`` False) when ``dry_run``, when nothing
    changed, when the file cannot be read faithfully, or when the edit would add errors (then
    ``diagnostics`` holds them).  ``today`` is the as-of date for the checks (None: no date check).
    Raises ``ConflictError`` when the file changed on disk meanwhile, ``PreserveError`` when the
    change cannot be confined to its lines, ``GgkError`` for I/O failures and unparsable YAML.
    ``tidy`` is a last step on the edited text that may only drop whole comment lines (the hint of a
    template that no longer applies, ``ggk.workspace.scaffold.drop_registry_hint``); anything else it
    does refuses the edit.
    """
    from filelock import FileLock, Timeout

    path = Path(path)
    if dry_run:
        return _edit_once(path, fn, dry_run=True, validate=validate, today=today, tidy=tidy)
    _refuse_read_only(path)
    lock = FileLock(str(lock_path(path)), timeout=lock_timeout)
    try:
        with lock:
            return _edit_once(path, fn, dry_run=False, validate=validate, today=today, tidy=tidy)
    except Timeout:
        raise GgkError(
            f"{path} 正被另一个 ggk 进程编辑，等待 {lock_timeout:.0f} 秒后仍未释放",
            f"稍后再试；如确认没有其他 ggk 在运行，可删除锁文件 {lock_path(path)}",
        ) from None


def _only_comments_dropped(before: str, after: str) -> bool:
    """Whether ``after`` is ``before`` less some whole comment lines."""
    import difflib

    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    for op, i1, i2, _j1, _j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if op != "delete" or not all(line.lstrip().startswith("#") for line in a[i1:i2]):
            return False
    return True


def _tidied(path: Path, edit: Any, tidy: Callable[[str], str] | None) -> Any:
    """The edited text after ``tidy`` (see ``edit_plan``), as a ``Source``."""
    from ggk.yamlfiles.patch import Source

    if tidy is None or edit.after.text() == edit.before.text():
        return edit.after
    text = edit.after.text()
    tidied = tidy(text)
    if not _only_comments_dropped(text, tidied):
        raise PreserveError(f"{path}：整理注释时改动了注释以外的内容，未写入")
    return Source.from_text(tidied)


def _edit_once(
    path: Path, fn: Callable[[Any], Any], *, dry_run: bool, validate: bool, today: dt.date | None, tidy: Callable[[str], str] | None = None
) -> EditResult:
    from ggk.workspace.files import Changed, os_reason, remove_stale_temps, replace_if_unchanged

    notes: list[str] = []
    if not dry_run:  # under the lock: no other ggk is writing this file, so its temporary files are leftovers
        for stale in remove_stale_temps(path):
            notes.append(f"已删除上次中断的写入留下的临时文件 {stale.name}")
    raw = _read(path)
    digest = _digest(raw)
    fatal = _fatal_read_problems(path, raw)
    if fatal:
        return EditResult(path, diagnostics=fatal, notes=notes)
    text = raw.decode("utf-8")
    try:
        with warnings.catch_warnings():  # ruamel's advice on YAML 1.1 floats is not for the clerk's terminal
            warnings.simplefilter("ignore")
            edit = edit_text(text, _guard(fn, notes), path=str(path))
    except (PreserveError, ControlCharacterError):
        raise
    except GgkError as exc:
        # ruamel is stricter than the loader in a few places: report with a position and stop.
        m = re.match(r"(.+?):(\d+):(\d+): (.*)", exc.message)
        if m:
            return EditResult(
                path,
                diagnostics=[
                    Diagnostic(m.group(1), int(m.group(2)), int(m.group(3)), "GGK001", Severity.ERROR, m.group(4), None, fatal=True)
                ],
            )
        raise
    after = _tidied(path, edit, tidy)
    after_text = after.text()
    result = EditResult(path, unified_diff(edit.before, after, str(path)), False, [], edit.value, text, after_text, notes)
    if not result.changed:
        return result
    after_raw = after_text.encode("utf-8")
    if validate:
        result.diagnostics = validate_change(path, raw, after_raw, today)
        if result.refused:
            return result
    if dry_run:
        return result
    # Someone (an editor, a git checkout) may have saved the file since we read it: then nothing is written.
    try:
        replace_if_unchanged(path, after_raw, digest)
    except Changed:
        raise ConflictError(
            f"{path} 在 ggk 读取之后被修改过（可能有人正在编辑器中修改或刚执行了 git 操作），为免覆盖他人的修改，未写入",
            "请确认对方的修改已保存后重新执行此命令",
        ) from None
    except OSError as exc:
        raise GgkError(f"无法写入 {path}：{os_reason(exc)}") from None
    result.written = True
    return result
