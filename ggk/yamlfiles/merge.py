"""Three-way merge of ggk's YAML files (plans, unit registries, the register), for ``git merge``.

Two clones of a ledger record progress in parallel; git's line merge then trips over two entries
appended at the same place.  This merge works on the data instead, then writes the result as a
minimal change of *our* text (``ggk.yamlfiles.patch.edit_text``: our comments and layout kept, each
of their changes spliced in as ggk's own edits are):

- mappings key by key: a value changed on one side only takes that side's value; a key added on one
  side is added; a key deleted on one side and unchanged on the other is deleted;
- lists of things with a name are matched by it: sections (``no`` or title), items (``id``),
  departments (``name``), 督办单 (``no``), returned forms (``form``); each element merged as above,
  added or deleted as above;
- progress entries (``log``), postponements (``history``), department changes (``assigned``) and
  replaced summaries (``summary_history``) are a union: every entry added on either side is kept
  (once, if both added the same), an entry deleted on one side goes;
- anything else (a status, a date, a list of names) is one value: when both sides changed it
  differently, that is a conflict.

A conflict keeps our value and is marked by a YAML comment line above it (``# ggk merge 冲突：…``),
so the file stays valid YAML that ggk reads; the caller reports the conflicts and exits non-zero, and
git leaves the file for the user to settle.  Nothing here touches the disk.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ggk.diagnostics import GgkError
from ggk.yamlfiles.patch import PreserveError, Source, edit_text, parse, same

#: Lists matched element by element, by what names an element.
KEYED: dict[str, Callable[[Any], Any]] = {
    "sections": lambda s: s.get("no") or s.get("title") if isinstance(s, Mapping) else None,
    "items": lambda i: str(i.get("id")) if isinstance(i, Mapping) else None,
    "departments": lambda d: str(d.get("name")) if isinstance(d, Mapping) else str(d),
    "notices": lambda n: str(n.get("no")) if isinstance(n, Mapping) else None,
    "returns": lambda r: str(r.get("form")) if isinstance(r, Mapping) else None,
}
#: Lists whose entries are added and removed, never changed in place.
UNION = frozenset({"log", "history", "assigned", "summary_history"})
_MISSING = object()


@dataclass
class Conflict:
    path: tuple[Any, ...]  # where in our document (the nearest part that exists)
    where: str  # in words: 条目 9 的 status
    base: Any
    ours: Any
    theirs: Any

    def text(self) -> str:
        return f"{self.where}：原为 {_show(self.base)}，我方改为 {_show(self.ours)}，对方改为 {_show(self.theirs)}"


@dataclass
class MergeResult:
    text: str
    conflicts: list[Conflict] = field(default_factory=list)


def _show(value: Any) -> str:
    if value is _MISSING:
        return "（无）"
    from ggk.ledger.edits import to_plain

    text = json.dumps(to_plain(value), ensure_ascii=False, default=str)
    text = text.strip('"') if isinstance(value, str) else text
    return text if len(text) <= 40 else text[:39] + "…"


def _label(parent: str, key: Any, node: Any, list_name: str | None) -> str:
    if list_name == "items" and isinstance(node, Mapping):
        return f"条目 {node.get('id')}"
    if list_name == "sections" and isinstance(node, Mapping):
        return f"部分「{node.get('no') or node.get('title')}」"
    if list_name == "notices" and isinstance(node, Mapping):
        return f"督办单 {node.get('no')}"
    if list_name == "returns" and isinstance(node, Mapping):
        return f"报送表 {node.get('form')}"
    if list_name == "departments":
        return f"部门「{node.get('name') if isinstance(node, Mapping) else node}」"
    if isinstance(key, int):
        return f"{parent}第{key + 1}项"
    return f"{parent} 的 {key}" if parent else str(key)


class _Merger:
    def __init__(self) -> None:
        self.conflicts: list[Conflict] = []

    def conflict(self, path: tuple[Any, ...], where: str, base: Any, ours: Any, theirs: Any) -> None:
        self.conflicts.append(Conflict(path, where, base, ours, theirs))

    def value(self, o: Any, a_parent: Any, key: Any, b: Any, path: tuple[Any, ...], where: str, name: str | None) -> None:
        """Merge into ``a_parent[key]`` (ours) the change from ``o`` (base) to ``b`` (theirs)."""
        a = a_parent[key]
        if same(a, b) or same(o, b):
            return
        if o is not _MISSING and same(o, a):
            a_parent[key] = copy.deepcopy(b)
            return
        base = o if o is not _MISSING else None
        if isinstance(a, Mapping) and isinstance(b, Mapping) and (base is None or isinstance(base, Mapping)):
            self.mapping(base or {}, a, b, path, where)
        elif isinstance(a, list) and isinstance(b, list) and (base is None or isinstance(base, list)) and (name in UNION or name in KEYED):
            self.sequence(base or [], a, b, path, where, str(name))
        else:
            self.conflict(path, where, o, a, b)

    def mapping(self, o: Mapping[str, Any], a: Any, b: Mapping[str, Any], path: tuple[Any, ...], where: str) -> None:
        from ggk.ledger.edits import set_key

        for k in [*a.keys(), *(k for k in b if k not in a)]:
            here, label = (*path, k), _label(where, k, None, None)
            in_a, in_b, ov = k in a, k in b, o.get(k, _MISSING)
            if in_a and in_b:
                self.value(ov, a, k, b[k], here, label, str(k))
            elif in_a:  # theirs has no such key
                if ov is not _MISSING:
                    if same(ov, a[k]):
                        del a[k]
                    else:
                        self.conflict(here, label + "（对方删除）", ov, a[k], _MISSING)
            elif ov is _MISSING:  # theirs added it
                set_key(a, k, copy.deepcopy(b[k]), list(b.keys()))
            elif not same(ov, b[k]):  # we deleted what they changed
                self.conflict(path, label + "（我方删除）", ov, _MISSING, b[k])

    def sequence(self, o: list[Any], a: list[Any], b: list[Any], path: tuple[Any, ...], where: str, name: str) -> None:
        if name in UNION:
            self.union(o, a, b)
            return
        ident = KEYED[name]
        ids = [[ident(x) for x in seq] for seq in (o, a, b)]
        if any(None in seq or len(set(seq)) != len(seq) for seq in ids):
            self.conflict(path, where, o, a, b)  # elements without a unique name: one value
            return
        o_by, b_by = dict(zip(ids[0], o, strict=True)), dict(zip(ids[2], b, strict=True))
        for k in list(ids[1]):
            i = [ident(x) for x in a].index(k)
            node = a[i]
            here, label = (*path, i), _label(where, i, node, name)
            if k in b_by:
                self.value(o_by.get(k, _MISSING), a, i, b_by[k], here, label, None)
            elif k in o_by:  # they deleted it
                if same(o_by[k], node):
                    del a[i]
                else:
                    self.conflict(here, label + "（对方删除）", o_by[k], node, _MISSING)
        for j, node in enumerate(b):
            k = ident(node)
            if k in ids[1] or k in [ident(x) for x in a]:
                continue
            label = _label(where, j, node, name)
            if k in o_by:  # we deleted it
                if not same(o_by[k], node):
                    self.conflict(path, label + "（我方删除）", o_by[k], _MISSING, node)
                continue
            a.insert(self._position(a, b, j, ident), copy.deepcopy(node))

    @staticmethod
    def _position(a: list[Any], b: list[Any], j: int, ident: Callable[[Any], Any]) -> int:
        """Where their new element goes in our list: after the element it follows in theirs."""
        mine = [ident(x) for x in a]
        for prev in reversed(b[:j]):
            if ident(prev) in mine:
                return mine.index(ident(prev)) + 1
        for nxt in b[j + 1 :]:
            if ident(nxt) in mine:
                return mine.index(ident(nxt))
        return len(a)

    @staticmethod
    def union(o: list[Any], a: list[Any], b: list[Any]) -> None:
        """Entries added on either side kept (once if both added the same); deleted on either side, gone."""
        from ggk.ledger.edits import to_plain

        def key(x: Any) -> str:
            return json.dumps(to_plain(x), ensure_ascii=False, sort_keys=True, default=str)

        co, ca, cb = Counter(map(key, o)), Counter(map(key, a)), Counter(map(key, b))
        for k, n in co.items():  # deleted by them: remove from ours as many as they removed
            drop = n - cb.get(k, 0)
            for i in range(len(a) - 1, -1, -1):
                if drop <= 0:
                    break
                if key(a[i]) == k:
                    del a[i]
                    drop -= 1
        for node in b:
            k = key(node)
            added = cb[k] - co.get(k, 0)
            if added > 0 and added > max(0, ca.get(k, 0) - co.get(k, 0)):
                a.append(copy.deepcopy(node))
                ca[k] += 1


def _doc(text: str, name: str) -> Any:
    if not text.strip():
        return {}
    return parse(Source.from_text(text, name), name).doc


def merge_texts(base: str, ours: str, theirs: str, name: str = "<file>") -> MergeResult:
    """Our text with their changes since ``base`` merged in (see the module docstring).

    Raises ``GgkError`` when a version cannot be parsed, ``PreserveError`` when the merge cannot be
    written as a change of our lines."""
    if ours == theirs or base == theirs:
        return MergeResult(ours)
    if base == ours:
        return MergeResult(theirs)
    o, b = _doc(base, f"{name}（共同祖先）"), _doc(theirs, f"{name}（对方）")
    merger = _Merger()

    def fn(a: Any) -> None:
        if isinstance(a, Mapping) and isinstance(b, Mapping) and isinstance(o, Mapping):
            merger.mapping(o, a, b, (), "")
        else:
            merger.conflict((), "整个文件", o, a, b)

    edit = edit_text(ours, fn, path=name)
    text = edit.after.text()
    if merger.conflicts:
        text = mark(text, merger.conflicts)
    return MergeResult(text, merger.conflicts)


def mark(text: str, conflicts: list[Conflict]) -> str:
    """``text`` with a comment line above each conflict; the data unchanged (checked), or the comments
    all at the top when a place cannot take one."""
    from ggk.yamlfiles.read import read_file

    parsed = read_file("<merge>", text.encode("utf-8"))
    lines = text.split("\n")
    notes: dict[int, list[str]] = {}
    for c in conflicts:
        at, col = parsed.locator.find(c.path, key=True) if c.path else (1, 1)
        notes.setdefault(at, []).append(" " * max(col - 1, 0) + "# ggk merge 冲突：" + c.text().replace("\n", " "))
    out: list[str] = []
    for i, line in enumerate(lines, start=1):
        out.extend(notes.get(i, []))
        out.append(line)
    marked = "\n".join(out)
    try:
        if same(_read(marked), _read(text)):
            return marked
    except GgkError:
        pass
    head = [f"# ggk merge 冲突：{c.text()}" for c in conflicts]
    return "\n".join(head) + "\n" + text


def _read(text: str) -> Any:
    """The data of ``text`` as ggk reads it (``ggk.yamlfiles.read``)."""
    from ggk.yamlfiles.read import parse

    parsed = parse(text, "<merge>")
    if parsed.data is None:
        raise GgkError(parsed.diagnostics[0].message if parsed.diagnostics else "无法解析")
    return parsed.data


__all__ = ["Conflict", "MergeResult", "PreserveError", "mark", "merge_texts"]
