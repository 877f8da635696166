"""Editing YAML text in place, the way a careful person edits it by hand.

Owns the write path for plans: read a file, hand its ruamel.yaml round-trip document to an edit
function, turn the change of the *data* into the smallest change of the *text*, check the result,
and write it atomically under a lock.  Reading plans for reports is ``ggk.workspace.load``; the edit
operations themselves (assign, log, status, postpone, …) are ``ggk.ledger.edits``.

How the text is changed.  ruamel.yaml parses the file (round-trip mode, quotes preserved, scalars read
as the loader reads them: ``ggk.yamlfiles.dialect``) and the edit function mutates that document.  ruamel's own dump is *not* used to
write the file: it re-indents everything to one global style and, when a key is appended at the end
of a mapping, it leaves the comment that introduces the *next* item above the new key.  Instead the
old document (with the source position of every node) and the edited one are compared, and each
difference becomes a line-level splice of the original text: a scalar replaced inside its line, a
key inserted after its predecessor, an entry appended after the last one, a flow list rewritten in
place.  New text follows the file's own conventions (indentation and sequence offset detected from
the file, flow lists for department names, ``|-`` for multi-line text, the quoting of the value it
replaces).  Then, before anything is written:

- every line outside the spliced regions is checked to be byte-identical to the original;
- the new text is read again by the loader's reader and must hold exactly the edited data (no silent
  reformatting, nothing read differently);
- the plan is validated (``ggk.workspace.load.load_file`` + ``ggk.workspace.checks.validate`` with its unit); if the
  edit introduces new errors nothing is written and the diagnostics are returned.

Line endings (LF or CRLF, per line), a UTF-8 byte-order mark and a missing final newline are kept.
A file ggk cannot parse is never rewritten.  The whole read-modify-write runs under a lock file
``.<name>.lock`` beside the plan (``filelock``), and the file's hash is compared again right before
it is replaced, so a save from an editor in the meantime is detected and not overwritten.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ggk.diagnostics import GgkError
from ggk.yamlfiles import dialect
from ggk.yamlfiles.scalars import BREAKS as _BREAKS
from ggk.yamlfiles.scalars import double_quoted, plain_ok, single_quoted


class PreserveError(GgkError):
    """ggk cannot make this change without touching other lines of the file (exit code 2)."""


class _CannotPatch(Exception):
    """This difference cannot be expressed as a splice at this level; the caller tries a wider one."""


# =========================================================================== the text of a file


@dataclass
class Source:
    """A file's text as lines without their endings, plus each line's own ending."""

    lines: list[str]
    ends: list[str]
    bom: bool = False

    @classmethod
    def from_text(cls, text: str, path: str = "<text>") -> Source:
        bom = text.startswith("\ufeff")
        if bom:
            text = text[1:]
        parts = text.split("\n")
        lines: list[str] = []
        ends: list[str] = []
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if last and part == "":
                break
            end = "" if last else "\n"
            if part.endswith("\r") and not last:
                part, end = part[:-1], "\r\n"
            if "\r" in part:
                raise PreserveError(f"{path} 中有单独的回车符（CR），ggk 不改写这样的文件", "用编辑器把换行符统一为 LF 或 CRLF 后再试")
            lines.append(part)
            ends.append(end)
        return cls(lines, ends, bom)

    @property
    def newline(self) -> str:
        """The dominant line ending, used for new lines."""
        counts = Counter(e for e in self.ends if e)
        return counts.most_common(1)[0][0] if counts else "\n"

    @property
    def lf_text(self) -> str:
        """The text with LF endings, for the parsers (marks then count lines like ``lines``)."""
        return "".join(line + ("\n" if end else "") for line, end in zip(self.lines, self.ends, strict=True))

    def text(self) -> str:
        body = "".join(line + end for line, end in zip(self.lines, self.ends, strict=True))
        return ("\ufeff" if self.bom else "") + body

    def splice(self, patches: list[Patch]) -> Source:
        """Apply non-overlapping patches (each replaces lines[start:end] by new lines).

        Patches at the same place apply in the order they were made (an entry appended to a
        list comes before a key added after that list)."""
        lines, ends = list(self.lines), list(self.ends)
        newline = self.newline
        ordered = _ordered(patches)
        for a, b in zip(ordered, ordered[1:], strict=False):
            if b.start < a.end:
                raise _CannotPatch("overlapping changes")
        for p in reversed(ordered):
            k = len(p.lines)
            if p.start == p.end:
                new_ends = [newline] * k
                if k and p.start == len(lines) and p.start > 0 and ends[p.start - 1] == "":
                    # Appending after a last line without a newline: it gets one, the new last does not.
                    ends[p.start - 1] = newline
                    new_ends[-1] = ""
            else:
                old = ends[p.start : p.end]
                new_ends = [old[i] if i < len(old) - 1 and old[i] else newline for i in range(k)]
                if k:
                    new_ends[-1] = old[-1]
                elif p.end == len(lines) and p.start > 0 and old[-1] == "":
                    ends[p.start - 1] = ""
            lines[p.start : p.end] = p.lines
            ends[p.start : p.end] = new_ends
        return Source(lines, ends, self.bom)


def _ordered(patches: list[Patch]) -> list[Patch]:
    return [p for _, p in sorted(enumerate(patches), key=lambda ip: (ip[1].start, ip[1].end, ip[0]))]


@dataclass
class Patch:
    """Replace lines[start:end] of the original by ``lines`` (start == end: insert before ``start``)."""

    start: int
    end: int
    lines: list[str]


def verify_outside(before: Source, after: Source, patches: list[Patch]) -> bool:
    """Every line outside the patched regions is byte-identical (text and ending) and in order.

    The one ending allowed to change is that of a last line without a newline, when lines are
    appended after it (or the lines after it are deleted)."""

    def same_ends(a: list[str], b: list[str]) -> bool:
        return a == b or (len(a) == len(b) and a[:-1] == b[:-1] and "" in (a[-1], b[-1]))

    pos_b = pos_a = 0
    for p in _ordered(patches):
        n = p.start - pos_b
        if before.lines[pos_b : p.start] != after.lines[pos_a : pos_a + n]:
            return False
        if not same_ends(before.ends[pos_b : p.start], after.ends[pos_a : pos_a + n]):
            return False
        pos_b = p.end
        pos_a += n + len(p.lines)
    return before.lines[pos_b:] == after.lines[pos_a:] and same_ends(before.ends[pos_b:], after.ends[pos_a:]) and before.bom == after.bom


def unified_diff(before: Source, after: Source, path: str) -> str:
    import os

    try:
        rel = os.path.relpath(path)
        path = path if rel.startswith("..") else rel
    except ValueError:  # another drive (Windows)
        pass
    path = path.replace(os.sep, "/").lstrip("/")
    a = [line + "\n" for line in before.lines]
    b = [line + "\n" for line in after.lines]
    if a == b and before.ends != after.ends:
        return f"--- a/{path}\n+++ b/{path}\n（仅换行符不同）\n"
    return "".join(difflib.unified_diff(a, b, f"a/{path}", f"b/{path}"))


# =========================================================================== parsing with ruamel


@dataclass
class Parsed:
    """A file parsed for editing: the composed node tree (with positions) and two documents built
    from it: ``doc`` for the edit function to change, ``pristine`` to compare against."""

    source: Source
    node: Any
    doc: Any
    pristine: Any


def parse(source: Source, path: str = "<text>") -> Parsed:
    """Parse the text with ruamel.yaml; a YAML error becomes ``GgkError`` with path:line:col."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    y = dialect.ruamel_round_trip()
    text = source.lf_text
    try:
        constructor, parser = y.get_constructor_parser(text)
        try:
            node = constructor.composer.get_single_node()
            if node is None:
                raise GgkError(f"{path} 是空文件，无法编辑")
            if "\ufeff" in text:
                _fix_columns(node, text)
            doc = constructor.construct_document(node)
            pristine = constructor.construct_document(node)
        finally:
            parser.dispose()
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else path
        raise GgkError(f"{where}: 无法解析，文件未改动：{exc.problem or exc}") from None
    except YAMLError as exc:
        raise GgkError(f"{path}: 无法解析，文件未改动：{exc}") from None
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:  # a value ruamel cannot build
        raise GgkError(f"{path}: 无法解析，文件未改动：{exc}") from None
    return Parsed(source, node, doc, pristine)


def _fix_columns(root: Any, text: str) -> None:
    """ruamel.yaml does not count a U+FEFF inside the text as a column (its reader skips it as a
    byte-order mark), so on a line holding one the columns of the marks after it are one short.  The
    marks' character index is right: the columns are worked out from it."""
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    for node in iter_nodes(root):
        for mark in (node.start_mark, node.end_mark):
            if mark is not None and 0 <= mark.line < len(starts):
                mark.column = mark.index - starts[mark.line]


# =========================================================================== plain comparison


def plain(value: Any) -> Any:
    """A comparable form of a YAML value: key order counts, string subclasses and styles do not.  Keys
    compare as the loader makes them (``ggk.yamlfiles.read``: a ``true:`` or ``null:`` key is the word)."""
    if isinstance(value, Mapping):
        return ("map", tuple((_plain_key(k), plain(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return ("seq", tuple(plain(v) for v in value))
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dt.date):
        value = dialect.timestamp(value)
        if isinstance(value, dt.datetime):
            return ("datetime", value.isoformat())
        return ("date", value.isoformat())
    if isinstance(value, int):
        return ("int", int(value))
    if isinstance(value, float):
        return ("float", float(value))
    return ("other", repr(value))


def _plain_key(key: Any) -> Any:
    # (the words true/false/null and ~ and the empty key start with one of "~tTfFnN" or are empty)
    if key is None or isinstance(key, bool) or (isinstance(key, str) and key[:1] in "~tTfFnN" and dialect.resolve(key) in _WORDS):
        return ("word", {"none": "null", "~": "null", "": "null"}.get(str(key).lower(), str(key).lower()))
    if isinstance(key, (str, int, float)):
        return plain(key)
    return str(key)


_WORDS = (dialect.BOOL, dialect.NULL)


def same(a: Any, b: Any) -> bool:
    return plain(a) == plain(b)


# =========================================================================== the file's style


@dataclass
class Style:
    """Indentation habits of a file, detected from its block collections (defaults: 2 / 2 / 2)."""

    map_indent: int = 2  # child keys of a mapping, relative to its parent key
    seq_offset: int = 2  # a block list's dashes, relative to the key that owns it
    seq_content: int = 2  # content after a dash, relative to the dash ("- " = 2)


def detect_style(root: Any) -> Style:
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    maps: Counter[int] = Counter()
    offsets: Counter[int] = Counter()
    contents: Counter[int] = Counter()

    def walk(node: Any) -> None:
        if isinstance(node, MappingNode):
            for k, v in node.value:
                if isinstance(v, MappingNode) and not v.flow_style and v.start_mark.line > k.start_mark.line:
                    maps[v.start_mark.column - k.start_mark.column] += 1
                if isinstance(v, SequenceNode) and not v.flow_style and v.value:
                    offsets[v.start_mark.column - k.start_mark.column] += 1
                walk(v)
        elif isinstance(node, SequenceNode):
            for item in node.value:
                if not node.flow_style and item.start_mark.line == node.start_mark.line and item is node.value[0]:
                    contents[item.start_mark.column - node.start_mark.column] += 1
                walk(item)

    walk(root)
    style = Style()
    if maps:
        style.map_indent = max(1, maps.most_common(1)[0][0])
    if offsets:
        style.seq_offset = max(0, offsets.most_common(1)[0][0])
    if contents:
        style.seq_content = max(2, contents.most_common(1)[0][0])
    return style


# =========================================================================== writing new YAML text


def literal_ok(text: str) -> bool:
    """Whether a string can be a literal block (``|-``) and read back unchanged."""
    if "\r" in text or "\t" in text or any(b in text for b in _BREAKS) or "\ufeff" in text:
        return False
    lines = text.split("\n")
    if lines[0].startswith(" ") or lines[0] == "" and len(lines) > 1:
        return False
    if any(line.strip() == "" and line != "" for line in lines):
        return False
    if any(not ch.isprintable() for line in lines for ch in line):
        return False
    return True


def _literal_header(text: str) -> str:
    if not text.endswith("\n"):
        return "|-"
    return "|" if not text.endswith("\n\n") else "|+"


def _literal_body(text: str) -> list[str]:
    body = text[:-1] if text.endswith("\n") else text
    if text.endswith("\n\n"):
        body = text[:-1]
    return body.split("\n")


class Emitter:
    """Writes new values in the file's style.  Lines come with their full indentation."""

    def __init__(self, style: Style):
        self.style = style

    # -- classification
    @staticmethod
    def is_flow(value: Any, in_flow: bool = False) -> bool:
        if in_flow:
            return True
        fa = getattr(value, "fa", None)
        if fa is not None and fa.flow_style() is not None:
            return bool(fa.flow_style()) or not value
        if isinstance(value, Mapping):
            return not value
        if isinstance(value, (list, tuple)):
            return all(not isinstance(v, (Mapping, list, tuple)) and not (isinstance(v, str) and "\n" in v) for v in value)
        return True

    @staticmethod
    def wants_literal(value: Any) -> bool:
        from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

        if not isinstance(value, str):
            return False
        if isinstance(value, (LiteralScalarString, FoldedScalarString)) or "\n" in value:
            return literal_ok(str(value))
        return False

    # -- inline text
    def scalar(self, value: Any, flow: bool = False, quote: str | None = None) -> str:
        from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

        if value is None:
            return "null"
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, dt.datetime):
            return value.isoformat(sep=" ")
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, (int, float)):
            return repr(value) if isinstance(value, float) else str(int(value))
        text = str(value)
        if isinstance(value, SingleQuotedScalarString) or quote == "'":
            sq = single_quoted(text)
            if sq is not None:
                return sq
        if isinstance(value, DoubleQuotedScalarString) or quote == '"':
            return double_quoted(text)
        if plain_ok(text, flow):
            return text
        return double_quoted(text)

    def inline(self, value: Any, in_flow: bool = False, quote: str | None = None) -> str | None:
        """One-line text for the value, or None when it must be written as a block."""
        if isinstance(value, Mapping):
            if not self.is_flow(value, in_flow):
                return None
            parts = []
            for k, v in value.items():
                vt = self.inline(v, True)
                if vt is None:
                    return None
                parts.append(f"{self.scalar(k, True)}: {vt}")
            return "{" + ", ".join(parts) + "}"
        if isinstance(value, (list, tuple)):
            if not self.is_flow(value, in_flow):
                return None
            items = []
            for v in value:
                vt = self.inline(v, True)
                if vt is None:
                    return None
                items.append(vt)
            return "[" + ", ".join(items) + "]"
        if not in_flow and self.wants_literal(value):
            return None
        return self.scalar(value, in_flow, quote)

    # -- blocks
    def entry(self, key: Any, value: Any, col: int, key_text: str | None = None) -> list[str]:
        """``key: value`` with the key at column ``col``."""
        pad = " " * col
        ktext = key_text if key_text is not None else self.scalar(key)
        text = self.inline(value)
        if text is not None:
            return [f"{pad}{ktext}: {text}"]
        if isinstance(value, str):
            return [f"{pad}{ktext}: {_literal_header(str(value))}"] + self.literal(str(value), col + self.style.map_indent)
        if isinstance(value, Mapping):
            return [f"{pad}{ktext}:"] + self.mapping(value, col + self.style.map_indent)
        return [f"{pad}{ktext}:"] + self.sequence(value, col + self.style.seq_offset)

    def literal(self, text: str, col: int) -> list[str]:
        return [(" " * col + line) if line else "" for line in _literal_body(text)]

    def mapping(self, value: Mapping[Any, Any], col: int) -> list[str]:
        out: list[str] = []
        for k, v in value.items():
            out.extend(self.entry(k, v, col))
        return out

    def sequence(self, value: Sequence[Any], dash: int) -> list[str]:
        out: list[str] = []
        for v in value:
            out.extend(self.item(v, dash))
        return out

    def item(self, value: Any, dash: int) -> list[str]:
        """One ``- value`` of a block list whose dashes are at column ``dash``."""
        col = dash + self.style.seq_content
        lead = " " * dash + "-" + " " * (self.style.seq_content - 1)
        text = self.inline(value)
        if text is not None:
            return [lead + text]
        if isinstance(value, str):
            return [lead + _literal_header(str(value))] + self.literal(str(value), col)
        body = self.mapping(value, col) if isinstance(value, Mapping) else self.sequence(value, col)
        return [lead + body[0][col:]] + body[1:]

    def value_lines(self, value: Any, col: int, prefix: str) -> list[str]:
        """A value that follows ``prefix`` (e.g. ``"- "`` at a dash), its block lines at ``col``."""
        text = self.inline(value)
        if text is not None:
            return [prefix + text]
        if isinstance(value, str):
            return [prefix + _literal_header(str(value))] + self.literal(str(value), col)
        body = self.mapping(value, col) if isinstance(value, Mapping) else self.sequence(value, col)
        return [prefix + body[0][col:]] + body[1:]


# =========================================================================== data diff -> patches


def _identity(value: Any) -> Any:
    """What names a list element across an edit: its ``id`` or ``name`` (a department written as a
    bare name is its name), else the whole value."""
    if isinstance(value, Mapping):
        for key in ("id", "name"):
            if isinstance(value.get(key), (str, int)):
                return (key, str(value[key]))
    if isinstance(value, str):
        return ("name", str(value))
    return plain(value)


def _is_block(node: Any) -> bool:
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    return isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style and bool(node.value)


class Patcher:
    """Turns the difference between the parsed document and the edited one into line patches."""

    def __init__(self, source: Source, style: Style):
        self.src = source
        self.lines = source.lines
        self.emit = Emitter(style)
        self.patches: list[Patch] = []
        self._memo: dict[int, tuple[Any, Any]] = {}

    def same(self, a: Any, b: Any) -> bool:
        # The documents do not change during the walk: memoise the comparable form by identity.
        return self._plain(a) == self._plain(b)

    def _plain(self, value: Any) -> Any:
        key = id(value)
        hit = self._memo.get(key)
        if hit is None or hit[0] is not value:
            hit = (value, plain(value))
            self._memo[key] = hit
        return hit[1]

    # -- positions
    def last_line(self, node: Any) -> int | None:
        """The last line holding text of ``node`` (None for an empty value, e.g. ``key:``)."""
        from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

        if isinstance(node, ScalarNode):
            if node.style in ("|", ">"):
                stop = node.end_mark.line if node.end_mark.column == 0 else node.end_mark.line + 1
                last = node.start_mark.line
                for i in range(node.start_mark.line + 1, min(stop, len(self.lines))):
                    if self.lines[i].strip():
                        last = i
                return last
            if node.value == "" and not node.style and node.start_mark.index == node.end_mark.index:
                return None
            return node.end_mark.line if node.end_mark.column > 0 else node.end_mark.line - 1
        if isinstance(node, (MappingNode, SequenceNode)) and (node.flow_style or not node.value):
            return node.end_mark.line
        if isinstance(node, MappingNode):
            k, v = node.value[-1]
            last = self.last_line(v)
            return k.end_mark.line if last is None else last
        if isinstance(node, SequenceNode):
            last = self.last_line(node.value[-1])
            if last is None:
                raise _CannotPatch("empty list item")
            return last
        raise _CannotPatch(f"unknown node {node!r}")

    def after_comments(self, line: int, indent: int) -> int:
        """Extend ``line`` over the comment lines after it (blank lines between them too) that are
        indented deeper than ``indent``: they belong to what precedes them, while shallower ones
        introduce what follows."""
        i = line + 1
        while i < len(self.lines):
            text = self.lines[i]
            stripped = text.lstrip(" ")
            if not stripped:
                i += 1
                continue
            if stripped.startswith("#") and len(text) - len(stripped) > indent:
                line = i
                i += 1
                continue
            break
        return line

    def source_text(self, node: Any) -> str | None:
        if node.start_mark.line != node.end_mark.line:
            return None
        return self.lines[node.start_mark.line][node.start_mark.column : node.end_mark.column]

    def add(self, start: int, end: int, lines: list[str]) -> None:
        self.patches.append(Patch(start, end, lines))

    # -- the walk
    def root(self, node: Any, old: Any, new: Any) -> None:
        from ruamel.yaml.nodes import MappingNode

        if self.same(old, new):
            return
        if not isinstance(node, MappingNode) or node.flow_style or not isinstance(new, Mapping):
            raise _CannotPatch("root")
        self.block_map(node, old, new)

    def value(self, node: Any, old: Any, new: Any, slot: Slot) -> None:
        """Change the value ``node`` (at ``slot``) from ``old`` to ``new``."""
        from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

        if self.same(old, new):
            return
        snapshot = len(self.patches)
        try:
            if isinstance(node, MappingNode) and _is_block(node) and isinstance(new, Mapping) and new:
                self.block_map(node, old, new)
                return
            if isinstance(node, SequenceNode) and _is_block(node) and isinstance(new, list) and new:
                self.block_seq(node, old, new, slot.col)
                return
            # A list the edit asks for in block style (``departments: []`` filled) is not kept on one line.
            flow_ok = isinstance(new, list) and (self.emit.is_flow(new) or bool(node.value))
            if isinstance(node, SequenceNode) and node.flow_style and flow_ok and self.source_text(node) is not None:
                text = self.flow_seq(node, old, new)
                if text is not None:
                    self.replace_inline(node, text)
                    return
            if isinstance(node, ScalarNode) and node.style in ("|", ">") and isinstance(new, str):
                self.block_scalar(node, new)
                return
            if isinstance(node, ScalarNode) or node.flow_style or not node.value:
                quote = node.style if isinstance(node, ScalarNode) and node.style in ('"', "'") and type(new) is str else None
                text = self.emit.inline(new, slot.in_flow, quote)
                if (
                    text is not None
                    and self.source_text(node) is not None
                    and not (isinstance(node, ScalarNode) and self.last_line(node) is None)
                ):
                    self.replace_inline(node, text)
                    return
        except _CannotPatch:
            del self.patches[snapshot:]
        self.replace_slot(slot, node, new)

    def replace_inline(self, node: Any, text: str) -> None:
        n = node.start_mark.line
        line = self.lines[n]
        self.add(n, n + 1, [line[: node.start_mark.column] + text + line[node.end_mark.column :]])

    def block_scalar(self, node: Any, new: str) -> None:
        n = node.start_mark.line
        line = self.lines[n]
        head = line[node.start_mark.column :]
        m = re.match(r"[|>][-+0-9]*", head)
        tail = head[m.end() :] if m else ""
        last = self.last_line(node)
        assert last is not None
        content = [ln for ln in self.lines[n + 1 : last + 1] if ln.strip()]
        indent = min((len(c) - len(c.lstrip(" ")) for c in content), default=None)
        if indent is None:
            indent = self._line_indent(n) + self.emit.style.map_indent
        if literal_ok(new):
            header = _literal_header(new)
            self.add(n, last + 1, [line[: node.start_mark.column] + header + tail] + self.emit.literal(new, indent))
        else:
            self.add(n, last + 1, [line[: node.start_mark.column] + double_quoted(new) + tail])

    def _line_indent(self, n: int) -> int:
        line = self.lines[n]
        return len(line) - len(line.lstrip(" "))

    def flow_seq(self, node: Any, old: list[Any], new: list[Any]) -> str | None:
        """A flow list rewritten in place, keeping the source text of the elements that stay."""
        pool: list[tuple[Any, Any]] = list(zip(old, node.value, strict=True))
        parts = []
        for v in new:
            for i, (ov, on) in enumerate(pool):
                if self.same(ov, v) and self.source_text(on) is not None:
                    parts.append(self.source_text(on))
                    del pool[i]
                    break
            else:
                text = self.emit.inline(v, True)
                if text is None:
                    return None
                parts.append(text)
        return "[" + ", ".join(p for p in parts if p is not None) + "]"

    def block_map(self, node: Any, old: Mapping[Any, Any], new: Mapping[Any, Any]) -> None:
        old_keys = list(old.keys())
        pairs = dict(zip(old_keys, node.value, strict=True))
        kept = [k for k in new.keys() if k in pairs]
        if [k for k in old_keys if k in new] != kept:
            raise _CannotPatch("keys reordered")
        col = node.value[0][0].start_mark.column
        # removed keys
        for k in old_keys:
            if k in new:
                continue
            knode, vnode = pairs[k]
            first = knode.start_mark.line
            if self.lines[first][: knode.start_mark.column].strip():
                raise _CannotPatch("first key shares its line with a dash")
            last = self.last_line(vnode)
            last = knode.end_mark.line if last is None else last
            self.add(first, self.after_comments(last, col) + 1, [])
        # changed values
        for k in kept:
            knode, vnode = pairs[k]
            self.value(vnode, old[k], new[k], self.key_slot(knode, k))
        # added keys, grouped by the kept key they follow
        anchor: Any = None
        pending: list[Any] = []
        groups: list[tuple[Any, list[Any]]] = []
        for k in new.keys():
            if k in pairs:
                if pending:
                    groups.append((anchor, pending))
                    pending = []
                anchor = k
            else:
                pending.append(k)
        if pending:
            groups.append((anchor, pending))
        for anchor, keys in groups:
            lines: list[str] = []
            for k in keys:
                lines.extend(self.emit.entry(k, new[k], col))
            if anchor is None:
                first_key = node.value[0][0]
                at = first_key.start_mark.line
                if self.lines[at][: first_key.start_mark.column].strip():
                    raise _CannotPatch("insert before a key that shares its line with a dash")
                self.add(at, at, lines)
            else:
                knode, vnode = pairs[anchor]
                last = self.last_line(vnode)
                last = knode.end_mark.line if last is None else last
                at = self.after_comments(last, col) + 1
                self.add(at, at, lines)

    def block_seq(self, node: Any, old: list[Any], new: list[Any], owner: int) -> None:
        items = node.value
        dash = node.start_mark.column
        # Comments at the dashes or deeper (but deeper than the owning key) are part of the list.
        inside = max(dash - 1, owner)
        n_old = len(old)
        if len(new) >= n_old and all(self.same(a, b) for a, b in zip(old, new[:n_old], strict=True)):
            last = self.last_line(items[-1])
            assert last is not None
            at = self.after_comments(last, inside) + 1
            lines: list[str] = []
            for v in new[n_old:]:
                lines.extend(self.emit.item(v, dash))
            self.add(at, at, lines)
            return
        if len(new) == n_old:
            for item, a, b in zip(items, old, new, strict=True):
                self.value(item, a, b, self.item_slot(item, dash))
            return
        if not new or len(new) > n_old:
            raise _CannotPatch("list changed other than by appending or removing")
        # Elements removed, others perhaps changed in place (a department merged into another): the
        # old and new lists aligned on what names an element (``_identity``), the kept ones patched.
        matcher = difflib.SequenceMatcher(a=[_identity(v) for v in old], b=[_identity(v) for v in new], autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                    self.value(items[i], old[i], new[j], self.item_slot(items[i], dash))
                continue
            if op != "delete":
                raise _CannotPatch("list changed other than by appending or removing")
            for i in range(i1, i2):
                first = self._dash_line(items[i], dash)
                last = self.last_line(items[i])
                if last is None:
                    raise _CannotPatch("empty list item")
                # comments at the dashes stay: they introduce what follows (``# 集合名称``)
                self.add(first, self.after_comments(last, dash) + 1, [])

    def key_slot(self, knode: Any, key: Any) -> Slot:
        n = knode.start_mark.line
        return Slot(n, self.lines[n][: knode.start_mark.column], knode.start_mark.column, self.source_text(knode) or self.emit.scalar(key))

    def item_slot(self, item: Any, dash: int) -> Slot:
        first = self._dash_line(item, dash)
        line = self.lines[first]
        if item.start_mark.line == first:
            return Slot(first, line[: item.start_mark.column], item.start_mark.column, None, dash=True)
        col = dash + self.emit.style.seq_content
        return Slot(first, line[: dash + 1] + " " * (col - dash - 1), col, None, dash=True)

    def _dash_line(self, item: Any, dash: int) -> int:
        n = item.start_mark.line
        while n >= 0:
            line = self.lines[n]
            if len(line) > dash and line[dash] == "-" and not line[:dash].strip():
                return n
            n -= 1
        raise _CannotPatch("dash not found")

    def replace_slot(self, slot: Slot, node: Any, new: Any) -> None:
        """Rewrite a whole ``key: value`` (or ``- value``) in the file's style: the last resort."""
        if slot.line is None:
            raise _CannotPatch("no slot")
        last = self.last_line(node)
        last = slot.line if last is None else max(last, slot.line)
        end_line = self.lines[last]
        tail = ""
        if last == slot.line and node.end_mark.line == last and self.last_line(node) is not None:
            rest = end_line[node.end_mark.column :]
            if rest.strip().startswith("#"):
                tail = rest
        if slot.dash:
            lines = self.emit.value_lines(new, slot.col, slot.prefix)
        else:
            lines = self.emit.entry(None, new, slot.col, key_text=slot.key_text)
            lines[0] = slot.prefix + lines[0][slot.col :]
        if tail and len(lines) == 1:
            lines[0] += tail
        self.add(slot.line, last + 1, lines)


@dataclass
class Slot:
    """Where a value sits: its first line, the text before it, the column of its key (or content)."""

    line: int | None
    prefix: str
    col: int
    key_text: str | None
    dash: bool = False
    in_flow: bool = False


# =========================================================================== edit a text


@dataclass
class TextEdit:
    before: Source
    after: Source
    value: Any
    patches: list[Patch]


def edit_text(text: str, fn: Callable[[Any], Any], *, path: str = "<text>") -> TextEdit:
    """Apply ``fn`` to the document of ``text``; return the new text (no I/O, no validation).

    Raises ``PreserveError`` when the change cannot be written without touching other lines, and
    ``GgkError`` when the text cannot be parsed."""
    source = Source.from_text(text, path)
    parsed = parse(source, path)
    value = fn(parsed.doc)
    if same(parsed.pristine, parsed.doc):
        return TextEdit(source, source, value, [])
    patcher = Patcher(source, detect_style(parsed.node))
    try:
        patcher.root(parsed.node, parsed.pristine, parsed.doc)
        after = source.splice(patcher.patches)
    except _CannotPatch as exc:
        raise PreserveError(
            f"无法只改动相关的行来完成这次修改（{exc}），文件未改动",
            "请手工编辑该文件，或把问题报告给维护者",
        ) from None
    if not verify_outside(source, after, patcher.patches):
        raise PreserveError("修改会波及无关的行，已拒绝写入，文件未改动", "请把问题报告给维护者")
    # The new text must hold exactly the edited data: nothing lost, nothing reinterpreted.  It is
    # read back by the loader's reader, so this also proves ggk will read it as meant.
    if not same(_read_back(after.lf_text), parsed.doc):
        raise PreserveError("修改后的文本与预期的数据不一致，已拒绝写入，文件未改动", "请把问题报告给维护者")
    return TextEdit(source, after, value, patcher.patches)


def _read_back(text: str) -> Any:
    """The data of ``text`` as the loader reads it."""
    from ggk.yamlfiles.read import parse

    parsed = parse(text, "<edit>")
    if parsed.data is None:
        problem = parsed.diagnostics[0].message if parsed.diagnostics else ""
        raise PreserveError(f"修改后的文本无法解析（{problem}），已拒绝写入，文件未改动", "请把问题报告给维护者")
    return parsed.data


def iter_nodes(node: Any) -> Iterator[Any]:
    """Every node of a composed tree (for tests and tools)."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    yield node
    if isinstance(node, MappingNode):
        for k, v in node.value:
            yield from iter_nodes(k)
            yield from iter_nodes(v)
    elif isinstance(node, SequenceNode):
        for v in node.value:
            yield from iter_nodes(v)
