"""Reading YAML text into plain Python data, with the source position of every key and value.

Owns: bytes -> text (UTF-8, BOM accepted, GBK/GB18030 recognised and reported), YAML -> data via
libyaml's C composer when available, duplicate-key detection, the alias-bomb guard, and the map from
a data path such as ``("sections", 0, "items", 3, "lead")`` to ``(line, col)``.

Plain scalars are read with the YAML 1.2 core schema (as editors and ``yaml_rs``, the loader's fast
path, read them): only true/false (True, TRUE…) are booleans, so ``yes``/``no``/``on``/``off`` stay
text; ``017`` is 17, not octal; ``1:30`` is text, not sexagesimal.  Integers and floats take the
spellings ``yaml_rs`` accepts (``0x``/``0o``/``0b`` prefixes, ``_`` between digits) and dates stay
dates, so both readers give the same data (tests/test_fastpath.py).  Problems are returned
as ``Diagnostic`` values; nothing here raises on bad input.  Only the core schema's tags are read
(``!!str``, ``!!int``, ``!!float``, ``!!bool``, ``!!null``, ``!!timestamp``, ``!!map``, ``!!seq``):
any other tag, on a value, a mapping or a list, is reported; nesting deeper than ``MAX_DEPTH``
is refused.  Writing YAML is not done here: round-trip
edits use ruamel.yaml in ``ggk.workspace.transaction``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
import yaml.constructor
import yaml.resolver

from ggk.diagnostics import Diagnostic, Severity
from ggk.workspace.files import os_reason

try:  # libyaml makes composing ~10x faster; pure Python is the fallback.
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


_DIGITS = r"_*[0-9][0-9_]*"
#: YAML 1.2 core schema numbers, with the underscores and prefixes yaml_rs also accepts.
INT_RE = re.compile(rf"^[-+]?(?:{_DIGITS}|0[xX]_*[0-9a-fA-F][0-9a-fA-F_]*|0[oO]_*[0-7][0-7_]*|0[bB]_*[01][01_]*)$")
FLOAT_RE = re.compile(rf"^[-+]?(?:{_DIGITS}(?:\.[0-9_]*)?|_*\.{_DIGITS})(?:[eE][-+]?{_DIGITS})?$|^[-+]?\.(?i:inf)$|^\.(?i:nan)$")
BOOL_RE = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
NULL_RE = re.compile(r"^(?:~|null|Null|NULL|)$")


class _CoreResolver(yaml.resolver.BaseResolver):
    """The YAML 1.2 core schema, plus timestamps (dates are dates in ggk's files) and ``<<`` (reported)."""


_CoreResolver.add_implicit_resolver("tag:yaml.org,2002:bool", BOOL_RE, list("tTfF"))
_CoreResolver.add_implicit_resolver("tag:yaml.org,2002:int", INT_RE, list("-+0123456789_"))
_CoreResolver.add_implicit_resolver("tag:yaml.org,2002:float", FLOAT_RE, list("-+0123456789_."))
_CoreResolver.add_implicit_resolver("tag:yaml.org,2002:null", NULL_RE, ["~", "n", "N", ""])
_CoreResolver.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])
for _first, _resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items():
    for _tag, _regexp in _resolvers:
        if _tag == "tag:yaml.org,2002:timestamp":
            _CoreResolver.add_implicit_resolver(_tag, _regexp, [_first])


class _Loader(_Parser, _CoreResolver):  # type: ignore[misc,valid-type]
    """libyaml's composer with the core-schema resolver: nodes only; ``parse`` builds the data."""

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        _CoreResolver.__init__(self)


class _CoreConstructor(yaml.constructor.SafeConstructor):
    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:  # type: ignore[override]
        value = str(self.construct_scalar(node)).replace("_", "")
        sign = -1 if value[0] == "-" else 1
        if value[0] in "+-":
            value = value[1:]
        base = {"x": 16, "o": 8, "b": 2}.get(value[1:2].lower(), 10) if value[:1] == "0" else 10
        return sign * int(value[2:] if base != 10 else value, base)


_CoreConstructor.add_constructor("tag:yaml.org,2002:int", _CoreConstructor.construct_yaml_int)

Path_ = tuple[Any, ...]

#: A document may reuse anchors, but expanding them may not build more than this many
#: nodes per distinct node (plus a fixed allowance).  A "billion laughs" file hits the cap
#: after a few thousand steps, so refusing it is quick and bounded in memory.
ALIAS_EXPANSION_FACTOR = 10
ALIAS_EXPANSION_ALLOWANCE = 10_000
#: The deepest nesting of mappings and lists read.  A plan of three heading levels nests about a
#: dozen deep; hundreds of levels only exhaust the stack of whatever walks the data afterwards.
MAX_DEPTH = 50


@dataclass
class Locator:
    """Source positions (1-based line and column) of the values and keys of one document."""

    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def find(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """The position of ``path``, or of its nearest ancestor that is in the file.

        Components the file does not have (e.g. the list index pydantic adds when a single
        deadline is written without a list) are skipped rather than ending the search.
        """
        table = self.keys if key else self.values
        if path in table:
            return table[path]
        best: Path_ = ()
        current: Path_ = ()
        for part in path:
            candidate = (*current, part)
            if candidate in self.values:
                current = candidate
                best = current
            elif isinstance(part, int):
                continue
            else:
                if key and candidate in self.keys:
                    return self.keys[candidate]
                break
        return self.values.get(best, (1, 1))


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


_constructor = _CoreConstructor()
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
#: The tags a scalar may carry (explicitly or resolved): the core schema's and timestamps.
_SCALAR_TAGS = frozenset({_STR, _BOOL, _NULL, _TIMESTAMP, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"})


def parse(text: str, path: str) -> Parsed:
    """Parse one YAML document, recording positions; problems become diagnostics."""
    locator = Locator()
    diagnostics: list[Diagnostic] = []
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        return Parsed(None, locator, [_yaml_error(exc, path, text)], text)
    except yaml.YAMLError as exc:  # e.g. "expected a single document"
        return Parsed(None, locator, [Diagnostic(path, 1, 1, "GGK001", Severity.ERROR, f"YAML 错误：{exc}", None, fatal=True)], text)
    except RecursionError:
        return Parsed(None, locator, [Diagnostic(path, 1, 1, "GGK005", Severity.ERROR, "YAML 嵌套过深，拒绝读取", None, fatal=True)], text)
    if root is None:
        return Parsed(
            None,
            locator,
            [
                Diagnostic(
                    path,
                    1,
                    1,
                    "GGK003",
                    Severity.ERROR,
                    "文件为空（没有任何内容）",
                    "删除该文件，或用 ggk init / ggk new 生成模板",
                    fatal=True,
                )
            ],
            text,
        )

    seen: set[int] = set()
    budget = [0]

    def foreign_tag(node: yaml.Node) -> None:
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        diagnostics.append(
            Diagnostic(
                path, line, col, "GGK001", Severity.ERROR, f"不支持的 YAML 标签 {_tag_name(node.tag)}", "去掉 ! 开头的标签，直接写出内容"
            )
        )

    def build(node: yaml.Node, here: Path_) -> Any:
        ident = id(node)
        budget[0] += 1
        if ident not in seen:
            seen.add(ident)
        elif budget[0] > ALIAS_EXPANSION_FACTOR * len(seen) + ALIAS_EXPANSION_ALLOWANCE:
            raise _AliasBomb(node)
        if len(here) > MAX_DEPTH:
            raise _TooDeep(node)
        locator.values[here] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP:
                foreign_tag(node)
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    diagnostics.append(
                        Diagnostic(
                            path,
                            key_node.start_mark.line + 1,
                            key_node.start_mark.column + 1,
                            "GGK001",
                            Severity.ERROR,
                            "不支持 YAML 合并键“<<”",
                            "请把内容直接写出",
                            fatal=False,
                        )
                    )
                    continue
                key = build_scalar_key(key_node)
                kpos = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                if key in out:
                    first = locator.keys.get((*here, key), kpos)
                    diagnostics.append(
                        Diagnostic(
                            path,
                            kpos[0],
                            kpos[1],
                            "GGK004",
                            Severity.ERROR,
                            f"重复的键「{key}」（第 {first[0]} 行已有同名键，后者会覆盖前者）",
                            "删除或合并其中一个",
                        )
                    )
                    continue
                locator.keys[(*here, key)] = kpos
                out[key] = build(value_node, (*here, key))
            return out
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                foreign_tag(node)
            return [build(child, (*here, i)) for i, child in enumerate(node.value)]
        return build_scalar(node, here)

    def build_scalar_key(node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode):
            if node.tag in (_BOOL, _NULL):
                # YAML 1.1 reads a bare `no:` key as False; ggk's keys are words, so keep the text.
                return node.value
            value = build_scalar(node, ())
            return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        diagnostics.append(Diagnostic(path, line, col, "GGK102", Severity.ERROR, "键必须是简单的文字，不能是列表或映射", None))
        return f"<{node.id}@{line}:{col}>"

    def build_scalar(node: yaml.Node, here: Path_) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        ctor = _constructor.yaml_constructors.get(tag) if tag in _SCALAR_TAGS else None
        if ctor is None or not isinstance(node, yaml.ScalarNode):
            foreign_tag(node)  # e.g. !!binary, !!python/…, !custom: read as the text it is
            return node.value if isinstance(node.value, str) else str(node.value)
        try:
            value = ctor(_constructor, node)
        except Exception as exc:  # noqa: BLE001 - any value a constructor cannot build is a finding, never a crash
            line, col = node.start_mark.line + 1, node.start_mark.column + 1
            if tag == _TIMESTAMP:
                diagnostics.append(
                    Diagnostic(
                        path,
                        line,
                        col,
                        "GGK104",
                        Severity.ERROR,
                        f"无效日期「{_short(node.value)}」：{_date_reason(exc)}",
                        "日期写作 YYYY-MM-DD，如 2021-12-31",
                        loc=here,
                    )
                )
            else:
                diagnostics.append(
                    Diagnostic(path, line, col, "GGK102", Severity.ERROR, f"无法读取的值「{_short(node.value)}」", None, loc=here)
                )
            return node.value
        if isinstance(value, dt.datetime):
            return value.date() if (value.hour, value.minute, value.second) == (0, 0, 0) else value
        return value

    try:
        data = build(root, ())
    except _AliasBomb as exc:
        node = exc.args[0]
        return Parsed(
            None,
            locator,
            [
                Diagnostic(
                    path,
                    node.start_mark.line + 1,
                    node.start_mark.column + 1,
                    "GGK005",
                    Severity.ERROR,
                    "YAML 锚点/引用（&/*）展开过多，疑似“引用炸弹”，拒绝读取",
                    "计划文件不需要大量的锚点引用，请直接写出内容",
                    fatal=True,
                )
            ],
            text,
        )
    except (RecursionError, _TooDeep) as exc:
        node = exc.args[0] if isinstance(exc, _TooDeep) else None
        line, col = (node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else (1, 1)
        return Parsed(
            None,
            locator,
            [
                Diagnostic(
                    path,
                    line,
                    col,
                    "GGK005",
                    Severity.ERROR,
                    f"YAML 嵌套过深（超过 {MAX_DEPTH} 层），拒绝读取",
                    "计划文件的标题层级一般不超过三四级：检查缩进是否逐行加深了",
                    fatal=True,
                )
            ],
            text,
        )
    finally:
        # The nested builders refer to each other through their closure: a cycle that would keep the
        # node tree alive until the cyclic GC runs (and ggk.workspace.cache pauses it while loading).
        build = build_scalar_key = build_scalar = foreign_tag = None  # type: ignore[assignment]
    return Parsed(data, locator, diagnostics, text)


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


def read_file(path: str, raw: bytes | None = None) -> Parsed:
    """Read and parse one file.  I/O errors become a GGK007 diagnostic."""
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
    parsed = parse(text, path)
    parsed.diagnostics[:0] = diags
    return parsed
