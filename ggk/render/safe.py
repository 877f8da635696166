"""Text from the plans, made safe for the output it goes to.

Plan text is written by people and by imports of documents ggk does not control: it may hold a
spreadsheet formula (``=HYPERLINK(…)``), rich markup (``[link=…]``), terminal control sequences
(ESC, OSC, bidi overrides) or HTML.  Every renderer passes user text through the function for its
output here, so that text is always shown literally and never acts:

- ``sheet_text``: a cell of an xlsx or CSV file (the OWASP CSV-injection rule) — never a formula;
- ``visible``: control characters shown as escapes (``\\x1b``, ``\\u202e``) instead of acting.
"""

from __future__ import annotations

import re

#: A cell starting with one of these is read as a formula (or as the start of one) by Excel, WPS and
#: LibreOffice: ``=``, ``+``, ``-``, ``@``, and tab / carriage return before them.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

#: C0 controls except tab and newline, DEL, C1 controls, and the bidi embedding/override/isolate
#: characters that reorder what a reader sees (U+202A–U+202E, U+2066–U+2069), plus U+200E/U+200F.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(m: re.Match[str]) -> str:
    c = ord(m.group(0))
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def visible(text: str) -> str:
    """``text`` with every control character written as an escape (``\\x1b``); tab and newline kept."""
    return _CONTROL.sub(_escape, text) if _CONTROL.search(text) else text


def sheet_text(text: str) -> str:
    """``text`` for a spreadsheet cell (xlsx or CSV): control characters escaped, and a leading
    ``'`` when it would otherwise start a formula (the OWASP rule; Excel and WPS hide the quote)."""
    out = visible(text)
    if out.startswith(FORMULA_START) or text.startswith(FORMULA_START):
        return "'" + out
    return out
