"""House-style YAML text for new ggk files (plans, unit registries), written from plain data.

Owns the look of a file ggk creates: a ``$schema`` comment first, then comment lines naming
the source, block mappings in a fixed key order, ``text: |-`` literal blocks, flow lists for
short name lists (``lead: [厅办公室, 厅综规处]``), flow mappings for deadline rules
(``{phrase: 每季度公开一次, every: quarter}``), and quotes only where YAML would otherwise
read a different value (``id: "15"``, ``"no": 一``).

It does not depend on ruamel's round-trip machinery: the text is produced directly, and
``dump`` reads it back with the loader's reader (``ggk.yamlfiles.read``) and refuses to return text
that does not load to the very same data.  Editing existing files, keeping their comments, is
``ggk.yamlfiles.patch``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ggk.yamlfiles.scalars import double_quoted, plain_ok

PLAN_SCHEMA = "../../schema/plan.schema.json"
UNIT_SCHEMA = "../../schema/unit.schema.json"

#: Lists of names written on one line.
FLOW_LISTS = frozenset({"lead", "assist", "aliases", "members"})
#: Mappings (or lists of mappings) written as ``{k: v, …}`` on one line.
FLOW_MAPPINGS = frozenset({"deadline", "old", "new"})
#: Strings always written as literal blocks, even on one line.
LITERAL = frozenset({"text", "preamble", "summary"})
#: Keys whose string values are always quoted (ids look like numbers half of the time).
QUOTED = frozenset({"id"})
#: Key order of the files ggk writes; keys not listed keep their order after these.
KEY_ORDER: tuple[str, ...] = (
    "format", "unit", "name", "short", "level", "year", "no", "id", "title", "doc_no", "issued", "example",
    "review", "basis", "preamble", "text", "lead", "assist", "deadline", "status", "completed",
    "reason", "summary", "carried_from", "carried_to", "remark", "log", "history", "aliases", "group",
    "members", "departments", "items", "sections",
)  # fmt: skip

_INDENT = "  "
_NON_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufeff\ufffe\uffff\u2028\u2029]")


class EmitError(Exception):
    """The emitted text would not load back to the same data (a bug, never user data)."""


# --------------------------------------------------------------------------- scalars


def scalar(value: Any, *, flow: bool = False) -> str:
    """One scalar in YAML; strings are quoted only when plain text would change meaning."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return ".nan"
        if value in (float("inf"), float("-inf")):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    if hasattr(value, "value") and isinstance(value.value, str):  # str enums (Status, kinds)
        value = value.value
    text = str(value)
    return text if plain_ok(text, flow) else double_quoted(text)


def _key(key: Any) -> str:
    return scalar(str(key))


def _literal(text: str, indent: str) -> str | None:
    """A literal block for ``text`` (the part after ``key: ``), or None if it cannot be one."""
    if _NON_PRINTABLE.search(text) or "\r" in text or "\x85" in text:
        return None
    if not text.strip():
        return None
    chomp = "-"
    body = text
    if text.endswith("\n"):
        stripped = text.rstrip("\n")
        chomp = "" if len(text) - len(stripped) == 1 else "+"
        body = stripped if chomp == "" else text[:-1]
    lines = body.split("\n")
    indicator = "2" if lines[0].startswith(" ") or (not lines[0] and any(ln.startswith(" ") for ln in lines)) else ""
    out = [f"|{indicator}{chomp}"]
    for line in lines:
        out.append(f"{indent}{line}" if line else "")
    return "\n".join(out)


# --------------------------------------------------------------------------- blocks


def _ordered(mapping: Mapping[str, Any], order: Iterable[str]) -> list[tuple[str, Any]]:
    rank = {k: i for i, k in enumerate(order)}
    items = list(mapping.items())
    return sorted(items, key=lambda kv: (rank.get(kv[0], len(rank)), items.index(kv)))


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (Mapping, list, tuple))


def _flow_list(values: list[Any]) -> str:
    return "[" + ", ".join(scalar(v, flow=True) for v in values) + "]"


def _flow_map(mapping: Mapping[str, Any], order: Iterable[str]) -> str:
    return "{" + ", ".join(f"{scalar(str(k), flow=True)}: {scalar(v, flow=True)}" for k, v in _ordered(mapping, order)) + "}"


class _Writer:
    def __init__(self, flow_lists: frozenset[str], flow_maps: frozenset[str], literal: frozenset[str], order: tuple[str, ...]):
        self.flow_lists = flow_lists
        self.flow_maps = flow_maps
        self.literal = literal
        self.order = order
        self.lines: list[str] = []

    def mapping(self, mapping: Mapping[str, Any], indent: str, first_prefix: str | None = None) -> None:
        """Write a block mapping; ``first_prefix`` replaces the indent of the first line ("- ")."""
        for n, (key, value) in enumerate(_ordered(mapping, self.order)):
            lead = first_prefix if (n == 0 and first_prefix is not None) else indent
            self.entry(str(key), value, lead, indent)

    def entry(self, key: str, value: Any, lead: str, indent: str) -> None:
        k = _key(key)
        inner = indent + _INDENT
        if isinstance(value, str) and (key in self.literal or "\n" in value):
            block = _literal(value, inner)
            if block is not None:
                self.lines.append(f"{lead}{k}: {block}")
                return
        if _is_scalar(value):
            text = double_quoted(value) if key in QUOTED and isinstance(value, str) and not _NON_PRINTABLE.search(value) else scalar(value)
            self.lines.append(f"{lead}{k}: {text}")
            return
        if isinstance(value, Mapping):
            if not value:
                self.lines.append(f"{lead}{k}: {{}}")
            elif key in self.flow_maps and all(_is_scalar(v) for v in value.values()):
                self.lines.append(f"{lead}{k}: {_flow_map(value, self.order)}")
            else:
                self.lines.append(f"{lead}{k}:")
                self.mapping(value, inner)
            return
        values = list(value)
        if not values:
            self.lines.append(f"{lead}{k}: []")
            return
        if key in self.flow_lists and all(_is_scalar(v) for v in values):
            self.lines.append(f"{lead}{k}: {_flow_list(values)}")
            return
        self.lines.append(f"{lead}{k}:")
        self.sequence(values, inner, flow_maps=key in self.flow_maps)

    def sequence(self, values: list[Any], indent: str, flow_maps: bool = False) -> None:
        for value in values:
            if isinstance(value, Mapping) and value:
                if flow_maps and all(_is_scalar(v) for v in value.values()):
                    self.lines.append(f"{indent}- {_flow_map(value, self.order)}")
                else:
                    self.mapping(value, indent + _INDENT, first_prefix=f"{indent}- ")
            elif isinstance(value, (list, tuple)) and value:
                self.lines.append(f"{indent}- {_flow_list(list(value))}" if all(_is_scalar(v) for v in value) else f"{indent}-")
                if not all(_is_scalar(v) for v in value):
                    self.sequence(list(value), indent + _INDENT)
            elif isinstance(value, str) and "\n" in value:
                block = _literal(value, indent + _INDENT)
                self.lines.append(f"{indent}- {block if block is not None else scalar(value)}")
            elif isinstance(value, Mapping):
                self.lines.append(f"{indent}- {{}}")
            elif isinstance(value, (list, tuple)):
                self.lines.append(f"{indent}- []")
            else:
                self.lines.append(f"{indent}- {scalar(value)}")


def _plain(data: Any) -> Any:
    """Data as a YAML loader returns it (tuples -> lists, enums -> values)."""
    if isinstance(data, Mapping):
        return {str(k): _plain(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_plain(v) for v in data]
    if hasattr(data, "value") and isinstance(data.value, str) and not isinstance(data, str):
        return data.value
    return data


def comment(text: str) -> str:
    """``text`` as comment lines (one per line of text)."""
    return "\n".join("# " + line if line else "#" for line in text.split("\n"))


def dump(
    data: Mapping[str, Any],
    *,
    header: Iterable[str] = (),
    flow_lists: frozenset[str] = FLOW_LISTS,
    flow_maps: frozenset[str] = FLOW_MAPPINGS,
    literal: frozenset[str] = LITERAL,
    order: tuple[str, ...] = KEY_ORDER,
) -> str:
    """YAML text for ``data`` in house style, checked to load back to the same data."""
    writer = _Writer(flow_lists, flow_maps, literal, order)
    for line in header:
        writer.lines.append(comment(line))
    writer.mapping(data, "")
    text = "\n".join(writer.lines) + "\n"
    verify(text, data)
    return text


def verify(text: str, data: Mapping[str, Any]) -> None:
    """Raise ``EmitError`` unless ``text`` loads, as ggk reads it, to exactly ``data``."""
    from ggk.yamlfiles.read import parse

    expected = _plain(data)
    parsed = parse(text, "<emit>")
    if parsed.data is None or parsed.diagnostics:
        problem = parsed.diagnostics[0].message if parsed.diagnostics else ""
        raise EmitError(f"生成的 YAML 无法解析：{problem}")
    if parsed.data != expected:
        raise EmitError("生成的 YAML 读回后与原数据不一致：" + _first_difference(parsed.data, expected))


def _first_difference(a: Any, b: Any, path: str = "") -> str:
    if isinstance(a, dict) and isinstance(b, dict):
        for k in list(dict.fromkeys([*a, *b])):
            if a.get(k) != b.get(k):
                return _first_difference(a.get(k), b.get(k), f"{path}.{k}")
    if isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            if x != y:
                return _first_difference(x, y, f"{path}[{i}]")
        if len(a) != len(b):
            return f"{path or '/'}: 长度 {len(a)} ≠ {len(b)}"
    return f"{path or '/'}: {a!r} ≠ {b!r}"


def dump_plan(data: Mapping[str, Any], source: str | None = None, notes: Iterable[str] = ()) -> str:
    """A plan file: the schema comment, the source comment, then the plan."""
    header = [f"yaml-language-server: $schema={PLAN_SCHEMA}"]
    if source:
        header.append(f"来源：{source}")
    header += list(notes)
    return dump(data, header=header)


def dump_unit(data: Mapping[str, Any], source: str | None = None, notes: Iterable[str] = ()) -> str:
    """A unit registry file (unit.yaml)."""
    header = [f"yaml-language-server: $schema={UNIT_SCHEMA}"]
    if source:
        header.append(f"来源：{source}")
    header += list(notes)
    return dump(data, header=header)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and os.replace."""
    from ggk.workspace.files import atomic_write

    atomic_write(Path(path), text)
