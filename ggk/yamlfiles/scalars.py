"""How a string may be written in YAML so that it reads back as the very same string.

Owns the scalar rules shared by the two writers: ``ggk.yamlfiles.emit`` (new files in house style) and
``ggk.workspace.transaction`` (line-level edits of existing files).  A string is written plain only when every reader
ggk meets resolves it to a string: PyYAML (YAML 1.1, the reader of ``ggk.yamlfiles.read``) and ruamel.yaml in
both YAML 1.1 and 1.2 modes (editors and the YAML language server use 1.2); otherwise it is quoted.
"""

from __future__ import annotations

import functools
import json
from typing import Any

_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_FLOW_CHARS = set(",[]{}")
BREAKS = ("\x85", "\u2028", "\u2029")


@functools.cache
def _resolvers() -> tuple[Any, Any, Any, Any, Any]:
    import yaml
    from ruamel.yaml.nodes import ScalarNode as RScalar
    from ruamel.yaml.resolver import VersionedResolver

    return yaml.resolver.Resolver(), yaml.ScalarNode, RScalar, VersionedResolver(version=(1, 1)), VersionedResolver(version=(1, 2))


@functools.lru_cache(maxsize=8192)
def _resolves_to_str(text: str) -> bool:
    pyyaml, node, rnode, r11, r12 = _resolvers()
    str_tag = "tag:yaml.org,2002:str"
    if pyyaml.resolve(node, text, (True, False)) != str_tag:
        return False
    return all(r.resolve(rnode, text, (True, False)) == str_tag for r in (r11, r12))


def plain_ok(text: str, flow: bool = False) -> bool:
    """Whether a one-line string can be written without quotes and read back as the same string."""
    if not text or text != text.strip() or text[0] in _INDICATORS:
        return False
    if any(ch in text for ch in "\n\r\t") or any(b in text for b in BREAKS):
        return False
    if ": " in text or " #" in text or text.endswith(":"):
        return False
    if flow and (any(ch in _FLOW_CHARS for ch in text) or ":" in text):
        return False
    if any(not ch.isprintable() for ch in text):
        return False
    return _resolves_to_str(text)


def double_quoted(text: str) -> str:
    out = json.dumps(text, ensure_ascii=False)  # JSON escapes are a subset of YAML's double-quoted ones
    for ch, esc in (("\x85", "\\N"), ("\u2028", "\\L"), ("\u2029", "\\P")):
        out = out.replace(ch, esc)
    return out


def single_quoted(text: str) -> str | None:
    if "\n" in text or any(not ch.isprintable() for ch in text):
        return None
    return "'" + text.replace("'", "''") + "'"
