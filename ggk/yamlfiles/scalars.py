"""How a string may be written in YAML so that it reads back as the very same string.

Owns the scalar rules shared by the two writers: ``ggk.yamlfiles.emit`` (new files in house style) and
``ggk.yamlfiles.patch`` (line-level edits of existing files).  A string is written plain only when it
reads back as that string, to ggk and to YAML 1.1 readers alike (``ggk.yamlfiles.dialect.reads_as_text``);
otherwise it is quoted.
"""

from __future__ import annotations

import json

from ggk.yamlfiles import dialect

_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_FLOW_CHARS = set(",[]{}")
BREAKS = ("\x85", "\u2028", "\u2029")


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
    return dialect.reads_as_text(text)


def double_quoted(text: str) -> str:
    out = json.dumps(text, ensure_ascii=False)  # JSON escapes are a subset of YAML's double-quoted ones
    for ch, esc in (("\x85", "\\N"), ("\u2028", "\\L"), ("\u2029", "\\P")):
        out = out.replace(ch, esc)
    return out


def single_quoted(text: str) -> str | None:
    if "\n" in text or any(not ch.isprintable() for ch in text):
        return None
    return "'" + text.replace("'", "''") + "'"
