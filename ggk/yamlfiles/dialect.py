"""How ggk reads YAML: one set of scalar rules for every reader, as editors read the files.

Two parsers read ggk's files: libyaml through PyYAML (``ggk.yamlfiles.read``: fast, for reports,
checks and the verification of every text ggk writes) and ruamel.yaml (``ggk.yamlfiles.patch`` and
the holiday files: round trip, keeps comments and quoting, for edits).  Both get their set-up from
here (``pyyaml_parser``, ``ruamel_round_trip``), so a plain scalar means the same to every path —
a listing, an edit, the importer's writer, shell completion (tests/test_yaml_dialect.py).

The rules are the YAML 1.2 core schema, which YAML editors (yaml-language-server) use:

- null: ``~``, ``null``, ``Null``, ``NULL`` and nothing at all;
- bool: ``true``, ``True``, ``TRUE``, ``false``, ``False``, ``FALSE`` — ``yes``/``no``/``on``/``off``
  are text;
- int: ``[-+]?[0-9]+`` in base 10 (``010`` is 10, not octal 8), ``0o[0-7]+``, ``0x[0-9a-fA-F]+``;
- float: ``[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?``, ``[-+]?.inf``, ``.nan`` (three
  casings each);

plus one addition, because plan files are full of dates: a timestamp of the YAML type repository
(``2021-12-31``, ``2021-12-31 10:00:00``) is a date, or a date-time when it has a time of day
(``timestamp``).  Everything else is text: ``1_000``, ``0b1``, ``1:30``, ``+0o7``, ``.5e``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
TIMESTAMP = "tag:yaml.org,2002:timestamp"
MERGE = "tag:yaml.org,2002:merge"

#: (tag, pattern, the first characters a match can start with), in the order they are tried.
IMPLICIT: tuple[tuple[str, re.Pattern[str], str], ...] = (
    (NULL, re.compile(r"^(?:~|null|Null|NULL|)$"), "~nN"),
    (BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF"),
    (INT, re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), "-+0123456789"),
    (
        FLOAT,
        re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
        "-+.0123456789",
    ),
    (
        TIMESTAMP,
        re.compile(
            r"^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}"
            r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
            r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$"
        ),
        "0123456789",
    ),
    # ``<<`` is resolved so that the reader can refuse merge keys with a message (ggk does not expand them).
    (MERGE, re.compile(r"^<<$"), "<"),
)

_BY_FIRST: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
for _tag, _pattern, _first in IMPLICIT:
    for _ch in _first or "":
        _BY_FIRST.setdefault(_ch, []).append((_tag, _pattern))
_BY_FIRST.setdefault("", []).append((NULL, IMPLICIT[0][1]))


@functools.lru_cache(maxsize=8192)
def resolve(text: str) -> str:
    """The tag of a plain (unquoted) scalar ``text``.  Remembered: plan files repeat their keys, dates,
    ids and names thousands of times, and the parser asks for every scalar."""
    for tag, pattern in _BY_FIRST.get(text[:1], ()):
        if pattern.match(text):
            return tag
    return STR


def to_int(text: str) -> int:
    """The value of a scalar that ``resolve`` calls an int."""
    if text[:2] == "0x":
        return int(text[2:], 16)
    if text[:2] == "0o":
        return int(text[2:], 8)
    return int(text, 10)


def to_float(text: str) -> float:
    """The value of a scalar that ``resolve`` calls a float."""
    lower = text.lower()
    if lower.endswith(".inf"):
        return float("-inf") if lower[0] == "-" else float("inf")
    if lower == ".nan":
        return float("nan")
    return float(text)


def to_bool(text: str) -> bool:
    """The value of a scalar that ``resolve`` calls a bool (or that is tagged ``!!bool``)."""
    word = text.lower()
    if word not in ("true", "false"):
        raise ValueError(f"not a boolean: {text}")
    return word == "true"


def timestamp(value: dt.date) -> dt.date:
    """A timestamp as ggk keeps it: a date-time at midnight is the date (``2021-12-31 00:00:00``)."""
    if isinstance(value, dt.datetime) and (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
        return value.date()
    return value


def reads_as_text(text: str) -> bool:
    """Whether ``text``, written plain, is read back as that text — by ggk (these rules) and by
    YAML 1.1 readers too (``yes``, ``no``, ``010``, ``1_000`` are not text to them).  The writers
    quote what fails, so a file ggk writes means the same to any tool that reads it."""
    import yaml

    return resolve(text) == STR and _yaml11_resolver().resolve(yaml.ScalarNode, text, (True, False)) == STR


@functools.cache
def _yaml11_resolver() -> Any:
    import yaml.resolver

    return yaml.resolver.Resolver()


# --------------------------------------------------------------------------- PyYAML (libyaml)


def pyyaml_parser(text: str) -> Any:
    """A PyYAML composer for ``text`` (libyaml's C parser when PyYAML has it) that tags plain scalars
    by these rules; ``get_single_node()`` gives the node tree with positions, ``dispose()`` ends it."""
    return _parser_class()(text)


_PARSER: Any = None


def _parser_class() -> Any:
    global _PARSER
    if _PARSER is not None:
        return _PARSER
    import yaml

    try:  # libyaml, when PyYAML was built with it: much faster than the pure-Python parser
        from yaml.cyaml import CParser as Base
    except ImportError:  # pragma: no cover - depends on the PyYAML build
        from yaml.composer import Composer
        from yaml.parser import Parser
        from yaml.reader import Reader
        from yaml.scanner import Scanner

        class Base(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
            def __init__(self, stream: str) -> None:
                Reader.__init__(self, stream)
                Scanner.__init__(self)
                Parser.__init__(self)
                Composer.__init__(self)

    defaults = {yaml.ScalarNode: STR, yaml.SequenceNode: "tag:yaml.org,2002:seq", yaml.MappingNode: "tag:yaml.org,2002:map"}

    class CoreParser(Base):  # type: ignore[misc,valid-type]
        """The composer, with these rules as its resolver (no path resolvers: nothing to track)."""

        def resolve(self, kind: Any, value: str, implicit: tuple[bool, bool]) -> str:
            if kind is yaml.ScalarNode and implicit[0]:
                return resolve(value)
            return defaults[kind]

        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            pass

        def ascend_resolver(self) -> None:
            pass

    _PARSER = CoreParser
    return _PARSER


# --------------------------------------------------------------------------- ruamel.yaml


def ruamel_round_trip() -> Any:
    """A ruamel.yaml round-trip ``YAML`` (quotes kept) that tags plain scalars by these rules."""
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.Resolver = _ruamel_resolver()
    return y


_RUAMEL: Any = None


def _ruamel_resolver() -> Any:
    global _RUAMEL
    if _RUAMEL is not None:
        return _RUAMEL
    from ruamel.yaml.resolver import BaseResolver

    class CoreResolver(BaseResolver):  # type: ignore[misc]
        """ruamel's resolver with these rules; ``processing_version`` tells ruamel's constructors to
        read numbers as YAML 1.2 does (``010`` is ten)."""

        def __init__(self, version: Any = None, loader: Any = None, loadumper: Any = None) -> None:
            BaseResolver.__init__(self, loader if loader is not None else loadumper)

        @property
        def processing_version(self) -> Any:
            return (1, 2)

    for tag, pattern, first in IMPLICIT:
        CoreResolver.add_implicit_resolver_base(tag, pattern, list(first) + ([""] if tag == NULL else []))
    _RUAMEL = CoreResolver
    return _RUAMEL
