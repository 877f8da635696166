"""Reading YAML text into plain Python data, with the source position of every key and value.

Owns: bytes -> text (UTF-8, BOM accepted, GBK/GB18030 recognised and reported), YAML -> data with
libyaml's composer, duplicate-key detection, the alias-bomb guard, and the map from a data path such
as ``("sections", 0, "items", 3, "lead")`` to ``(line, col)``.  Scalars mean what
``ggk.yamlfiles.dialect`` says (the YAML 1.2 core schema, plus dates).  Problems are returned as
``Diagnostic`` values; nothing here raises on bad input.  Only the core schema's tags are read
(``!!str``, ``!!int``, ``!!float``, ``!!bool``, ``!!null``, ``!!timestamp``, ``!!map``, ``!!seq``):
any other tag, on a value, a mapping or a list, is reported; nesting deeper than ``MAX_DEPTH`` is
refused.  Writing YAML is ``ggk.yamlfiles.emit`` (new files) and ``ggk.yamlfiles.patch`` (edits).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import yaml
import yaml.constructor

from ggk.diagnostics import Diagnostic, Severity
from ggk.workspace.files import os_reason
from ggk.yamlfiles import dialect

Path_ = tuple[Any, ...]

#: A document may reuse anchors, but expanding them may not build more than this many
#: nodes per distinct node (plus a fixed allowance).  A "billion laughs" file hits the cap
#: after a few thousand steps, so refusing it is quick and bounded in memory.
ALIAS_EXPANSION_FACTOR = 10
ALIAS_EXPANSION_ALLOWANCE = 10_000
#: The deepest nesting of mappings and lists read.  A plan of three heading levels nests about a
#: dozen deep; hundreds of levels only exhaust the stack of whatever walks the data afterwards.
MAX_DEPTH = 50
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class Locator:
    """Source positions (1-based line and column) of the values and keys of one document, found when
    asked: most documents are never asked, and noting every position while reading would slow every
    read.  A locator keeps the document's text and parses it again at the first question (a workspace
    of many files keeps their texts, not their node trees, which take twenty times the memory).  A
    reader that asks at once, while the tree is still there (the cache running a new file's checks),
    is given the tree instead and never parses the text again."""

    def __init__(self, text: str | None = None, root: yaml.Node | None = None) -> None:
        self.text = None if root is not None else text
        self._root = root

    @property
    def root(self) -> yaml.Node | None:
        if self._root is None and self.text is not None:
            loader = dialect.pyyaml_parser(self.text)
            try:
                self._root = loader.get_single_node()
            except (yaml.YAMLError, RecursionError):  # (parse reported it when the text was read)
                pass
            finally:
                loader.dispose()
            self.text = None
        return self._root

    def find(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """The position of ``path`` (of its key, with ``key``: the key of a mapping entry), or of its
        nearest ancestor that is in the file.

        Components the file does not have (e.g. the list index pydantic adds when a single
        deadline is written without a list) are skipped rather than ending the search.
        """
        node = self.root
        if node is None:
            return (1, 1)
        key_node = None
        exact = True
        for part in path:
            child, key_node = _child(node, part)
            if child is not None:
                node = child
            elif isinstance(part, int):
                exact, key_node = False, None
            else:
                exact, key_node = False, None
                break
        mark = key_node.start_mark if key and exact and key_node is not None else node.start_mark
        return (mark.line + 1, mark.column + 1)


def _child(node: yaml.Node, part: Any) -> tuple[yaml.Node | None, yaml.Node | None]:
    """The node ``part`` names under ``node`` (a key of a mapping, an index of a list), and its key node."""
    if type(node) is yaml.MappingNode:
        for key_node, value_node in node.value:
            if _key_of(key_node) == part:
                return value_node, key_node
    elif type(node) is yaml.SequenceNode and type(part) is int and 0 <= part < len(node.value):
        return node.value[part], None
    return None, None


@dataclass
class Parsed:
    data: Any
    locator: Locator
    diagnostics: list[Diagnostic]
    text: str | None = None

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR and d.fatal for d in self.diagnostics)


def decode(raw: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    """Bytes -> text.  A UTF-8 BOM is accepted silently; GBK text is decoded but reported."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            return None, [
                Diagnostic(
                    path,
                    line,
                    col,
                    "GGK002",
                    Severity.ERROR,
                    "文件不是 UTF-8 编码，也无法按 GBK/GB18030 读取",
                    "请用编辑器以 UTF-8 编码重新保存该文件",
                    fatal=True,
                )
            ]
        return text, [
            Diagnostic(
                path,
                line,
                col,
                "GGK002",
                Severity.ERROR,
                "文件是 GBK/GB18030 编码，ggk 要求 UTF-8（已按 GBK 读取以便继续报告）",
                f"转换命令：iconv -f GB18030 -t UTF-8 {path} > {path}.utf8 && mv {path}.utf8 {path}",
            )
        ]


def _yaml_error(exc: yaml.MarkedYAMLError, path: str, text: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = (exc.problem or "").strip()
    lines = text.splitlines()
    at = lines[line - 1][col - 1 : col] if 0 < line <= len(lines) else ""
    if at == "\t" or "'\\t'" in problem:
        return Diagnostic(
            path,
            line,
            col,
            "GGK001",
            Severity.ERROR,
            "YAML 语法错误：不能用制表符（Tab）缩进",
            "请把行首的 Tab 换成空格（每级两个空格）",
            fatal=True,
        )
    context = (exc.context or "").strip()
    detail = f"{context}，{problem}" if context else problem
    cmark = exc.context_mark
    if cmark is not None and mark is not None and cmark.line != mark.line:
        detail += f"（从第 {cmark.line + 1} 行第 {cmark.column + 1} 列开始）"
    return Diagnostic(
        path,
        line,
        col,
        "GGK001",
        Severity.ERROR,
        f"YAML 语法错误：{_translate(detail)}",
        "检查该行的缩进、冒号后的空格和引号是否成对",
        fatal=True,
    )


_PHRASES = {
    "could not find expected ':'": "缺少冒号“:”",
    "mapping values are not allowed in this context": "此处不能出现“键: 值”（缩进可能不对，或冒号后缺空格）",
    "while parsing a flow node": "解析值时",
    "did not find expected node content": "缺少值（括号未闭合？）",
    "mapping values are not allowed here": "此处不能出现“键: 值”（多半是冒号后缺空格、或缩进不对）",
    "found character that cannot start any token": "出现了不能开始一个值的字符",
    "while scanning for the next token": "扫描下一个记号时",
    "did not find expected ',' or ']'": "没有找到预期的“,”或“]”（方括号未闭合？）",
    "did not find expected ',' or '}'": "没有找到预期的“,”或“}”（花括号未闭合？）",
    "found duplicate anchor": "锚点名重复",
    "did not find expected key": "没有找到预期的键（缩进可能不对）",
    "did not find expected '-' indicator": "没有找到预期的列表项“-”（缩进可能不对）",
    "found unexpected end of stream": "文件意外结束（引号或括号未闭合）",
    "found undefined alias": "引用了未定义的锚点（alias）",
    "while scanning a quoted scalar": "扫描带引号的字符串时",
    "while parsing a block mapping": "解析映射时",
    "while parsing a block collection": "解析列表时",
    "while scanning a simple key": "扫描键时",
    "while parsing a flow sequence": "解析方括号列表时",
    "while parsing a flow mapping": "解析花括号映射时",
    "expected ',' or ']', but got": "应为“,”或“]”，实际是",
    "expected ',' or '}', but got": "应为“,”或“}”，实际是",
    "found unknown escape character": "未知的转义字符",
    "expected <block end>, but found": "缩进不一致，意外出现了",
}


def _translate(text: str) -> str:
    for en, zh in _PHRASES.items():
        text = text.replace(en, zh)
    return text


class _AliasBomb(Exception):
    pass


class _TooDeep(Exception):
    pass


_constructor = yaml.constructor.SafeConstructor()
_TEXT_KEYS = (dialect.BOOL, dialect.NULL)


def parse(text: str, path: str, *, keep_tree: bool = False) -> Parsed:
    """Parse one YAML document, recording positions; problems become diagnostics.  ``keep_tree``: the
    locator keeps the node tree rather than the text (for a reader that drops it soon, see ``Locator``)."""
    locator = Locator()
    diagnostics: list[Diagnostic] = []
    try:
        loader = dialect.pyyaml_parser(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        return Parsed(None, locator, [_yaml_error(exc, path, text)], text)
    except yaml.YAMLError as exc:  # e.g. "expected a single document"
        return Parsed(None, locator, [Diagnostic(path, 1, 1, "GGK001", Severity.ERROR, f"YAML 错误：{exc}", None, fatal=True)], text)
    except RecursionError:
        return Parsed(None, locator, [_too_deep(path)], text)
    if root is None:
        empty = Diagnostic(
            path, 1, 1, "GGK003", Severity.ERROR, "文件为空（没有任何内容）", "删除该文件，或用 ggk init / ggk new 生成模板", fatal=True
        )
        return Parsed(None, locator, [empty], text)
    locator = Locator(text, root if keep_tree else None)
    builder = _Builder(path, diagnostics, aliases="*" in text)
    try:
        data = builder.node(root, ())
    except _AliasBomb as exc:
        node = exc.args[0]
        bomb = Diagnostic(
            path,
            node.start_mark.line + 1,
            node.start_mark.column + 1,
            "GGK005",
            Severity.ERROR,
            "YAML 锚点/引用（&/*）展开过多，疑似“引用炸弹”，拒绝读取",
            "计划文件不需要大量的锚点引用，请直接写出内容",
            fatal=True,
        )
        return Parsed(None, locator, [bomb], text)
    except (RecursionError, _TooDeep) as exc:
        return Parsed(None, locator, [_too_deep(path, exc.args[0] if isinstance(exc, _TooDeep) else None)], text)
    return Parsed(data, locator, diagnostics, text)


def _too_deep(path: str, node: yaml.Node | None = None) -> Diagnostic:
    line, col = (node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else (1, 1)
    return Diagnostic(
        path,
        line,
        col,
        "GGK005",
        Severity.ERROR,
        f"YAML 嵌套过深（超过 {MAX_DEPTH} 层），拒绝读取",
        "计划文件的标题层级一般不超过三四级：检查缩进是否逐行加深了",
        fatal=True,
    )


class _Builder:
    """Turns a composed node tree into plain data (the ``Locator`` finds positions in the tree later).

    An alias is the very node it refers to, met again: expanding aliases may visit at most
    ``ALIAS_EXPANSION_FACTOR`` times as many nodes as there are distinct ones (plus an allowance).
    A text without "*" has no alias, and the visits need no counting."""

    def __init__(self, path: str, diagnostics: list[Diagnostic], aliases: bool) -> None:
        self.path = path
        self.diagnostics = diagnostics
        self.aliases = aliases
        self.seen: set[int] = set()
        self.visits = 0

    def node(self, node: yaml.Node, here: Path_) -> Any:
        if self.aliases:
            self.visit(node)
        kind = type(node)
        if kind is yaml.ScalarNode:
            return node.value if node.tag == dialect.STR else self.scalar(node, here)
        if len(here) >= MAX_DEPTH:
            raise _TooDeep(node)
        if node.tag != (_SEQ if kind is yaml.SequenceNode else _MAP):  # !custom on a list or a mapping
            self.problem(node, "GGK001", f"不支持的 YAML 标签 {_tag_name(node.tag)}", "去掉 ! 开头的标签，直接写出内容", None)
        # a plain text value, most of a plan, is taken as it is (unless aliases are being counted)
        text = not self.aliases
        if kind is yaml.SequenceNode:
            return [
                child.value if text and type(child) is yaml.ScalarNode and child.tag == dialect.STR else self.node(child, (*here, i))
                for i, child in enumerate(node.value)
            ]
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value if type(key_node) is yaml.ScalarNode and key_node.tag == dialect.STR else self.key(key_node)
            if key is _MERGE:
                continue
            if key in out:
                mark = key_node.start_mark
                first = next(k.start_mark.line + 1 for k, _v in node.value if _key_of(k) == key)
                self.diagnostics.append(
                    Diagnostic(
                        self.path,
                        mark.line + 1,
                        mark.column + 1,
                        "GGK004",
                        Severity.ERROR,
                        f"重复的键「{key}」（第 {first} 行已有同名键，后者会覆盖前者）",
                        "删除或合并其中一个",
                    )
                )
                continue
            if text and type(value_node) is yaml.ScalarNode and value_node.tag == dialect.STR:
                out[key] = value_node.value
            else:
                out[key] = self.node(value_node, (*here, key))
        return out

    def visit(self, node: yaml.Node) -> None:
        self.visits += 1
        ident = id(node)
        if ident not in self.seen:
            self.seen.add(ident)
        elif self.visits > ALIAS_EXPANSION_FACTOR * len(self.seen) + ALIAS_EXPANSION_ALLOWANCE:
            raise _AliasBomb(node)

    def key(self, node: yaml.Node) -> Any:
        """``_key_of(node)``, and what is wrong with such a key."""
        key = _key_of(node)
        mark = node.start_mark
        if type(node) is not yaml.ScalarNode:
            self.problem(node, "GGK102", "键必须是简单的文字，不能是列表或映射", None, None)
        elif key is _MERGE:
            self.diagnostics.append(
                Diagnostic(
                    self.path,
                    mark.line + 1,
                    mark.column + 1,
                    "GGK001",
                    Severity.ERROR,
                    "不支持 YAML 合并键“<<”",
                    "请把内容直接写出",
                    fatal=False,
                )
            )
        elif node.tag not in _TEXT_KEYS:
            self.scalar(node, ())
        return key

    def scalar(self, node: yaml.Node, here: Path_) -> Any:
        try:
            return _value(node)
        except _Unreadable as exc:
            code, message, hint = exc.args
            self.problem(node, code, message, hint, here if code != "GGK001" else None)
            return node.value

    def problem(self, node: yaml.Node, code: str, message: str, hint: str | None, here: Path_ | None) -> None:
        mark = node.start_mark
        self.diagnostics.append(Diagnostic(self.path, mark.line + 1, mark.column + 1, code, Severity.ERROR, message, hint, loc=here))


class _Unreadable(Exception):
    """A scalar that cannot be read as what its tag says: (code, message, hint)."""


def _value(node: yaml.Node) -> Any:
    """The value of a scalar node as ggk reads it (``ggk.yamlfiles.dialect``); raises ``_Unreadable``."""
    tag = node.tag
    text = node.value
    if tag == dialect.STR:
        return text
    try:
        if tag == dialect.INT:
            return dialect.to_int(text)
        if tag == dialect.FLOAT:
            return dialect.to_float(text)
        if tag == dialect.BOOL:
            return dialect.to_bool(text)
        if tag == dialect.NULL:
            return None
        if tag == dialect.TIMESTAMP:
            if len(text) == 10:  # a date (YYYY-MM-DD), most of them: the C parser of dates
                return dt.date.fromisoformat(text)
            return dialect.timestamp(_constructor.construct_yaml_timestamp(node))
    except Exception as exc:  # noqa: BLE001 - any value that cannot be built is a finding, never a crash
        if tag == dialect.TIMESTAMP:
            raise _Unreadable("GGK104", f"无效日期「{_short(text)}」：{_date_reason(exc)}", "日期写作 YYYY-MM-DD，如 2021-12-31") from None
        raise _Unreadable("GGK102", f"无法读取的值「{_short(text)}」", None) from None
    # !!binary, !!set, !!python/…, !custom: outside the core schema; read as the text it is, and said
    raise _Unreadable("GGK001", f"不支持的 YAML 标签 {_tag_name(tag)}", "去掉 ! 开头的标签，直接写出内容")


def _key_of(node: yaml.Node) -> Any:
    """A mapping key as the reader makes it: text for words (a ``true:`` or ``null:`` key is the word),
    numbers as numbers, a date as its text; ``_MERGE`` for ``<<``."""
    if type(node) is not yaml.ScalarNode:
        mark = node.start_mark
        return f"<{node.id}@{mark.line + 1}:{mark.column + 1}>"
    tag = node.tag
    if tag == dialect.STR or tag in _TEXT_KEYS:
        return node.value
    if tag == dialect.MERGE:
        return _MERGE
    try:
        value = _value(node)
    except _Unreadable:
        return node.value
    return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)


_MERGE = object()


def _tag_name(tag: str) -> str:
    """A tag as it is written in the file (``!!binary`` rather than ``tag:yaml.org,2002:binary``)."""
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


def _short(value: Any, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _date_reason(exc: Exception) -> str:
    msg = str(exc)
    if "day is out of range" in msg:
        return "该月没有这一天"
    if "month" in msg:
        return "月份应在 1–12 之间"
    if "year" in msg:
        return "年份超出范围"
    return "不是 YYYY-MM-DD 形式的日期"


def read_file(path: str, raw: bytes | None = None, *, keep_tree: bool = False) -> Parsed:
    """Read and parse one file (``keep_tree``: as for ``parse``).  I/O errors become a GGK007 diagnostic."""
    if raw is None:
        try:
            with open(path, "rb") as fh:
                raw = fh.read()
        except OSError as exc:
            return Parsed(
                None, Locator(), [Diagnostic(path, 1, 1, "GGK007", Severity.ERROR, f"无法读取文件：{os_reason(exc)}", None, fatal=True)]
            )
    text, diags = decode(raw, path)
    if text is None:
        return Parsed(None, Locator(), diags)
    parsed = parse(text, path, keep_tree=keep_tree)
    parsed.diagnostics[:0] = diags
    return parsed
