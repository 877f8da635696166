"""Text from the plans, made safe for the output it goes to.

Plan text is written by people and by imports of documents ggk does not control: it may hold a
spreadsheet formula (``=HYPERLINK(…)``), rich markup (``[link=…]``), terminal control sequences
(ESC, OSC, bidi overrides), HTML or Markdown links.  Every renderer passes user text through the
function for its output here, so that text is always shown literally and never acts:

- ``visible``: control characters shown as escapes (``\\x1b``, ``\\u202e``) instead of acting — for
  terminals, plain text, Markdown, Word and every format below;
- ``sheet_text``: a cell of a CSV file (the OWASP CSV-injection rule) — never a formula;
- ``sheet_cell``: a cell of an xlsx sheet, written as a string (type ``s``, quote-prefix style) —
  never a formula, and never a character openpyxl refuses;
- ``md_text``: text inside a Markdown document — never HTML, a link or an image;
- ``json_text``: a JSON document whose strings show control characters as ``\\uXXXX`` escapes
  (the same data to a program, inert in a terminal);
- ``rich_text``: a ``rich.text.Text`` of user text — never parsed as rich markup.

What counts as a control character (``CONTROL``): C0 controls except tab and newline, DEL, C1
controls, the bidi marks, embeddings, overrides and isolates (U+061C, U+200E/U+200F, U+202A–U+202E,
U+2066–U+2069), the line and paragraph separators U+2028/U+2029, the byte-order mark U+FEFF,
unpaired surrogates and the non-characters U+FFFE/U+FFFF (which XML, hence xlsx and docx, cannot hold).
"""

from __future__ import annotations

import re
import typing
from typing import Any

if typing.TYPE_CHECKING:
    from rich.text import Text

#: A cell starting with one of these is read as a formula (or as the start of one) by Excel, WPS and
#: LibreOffice: ``=``, ``+``, ``-``, ``@``, and tab / carriage return / NUL before them.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\x00")

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff\ud800-\udfff]")


def _escape(m: re.Match[str]) -> str:
    c = ord(m.group(0))
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def visible(text: str) -> str:
    """``text`` with every control character written as an escape (``\\x1b``); tab and newline kept."""
    return CONTROL.sub(_escape, text) if CONTROL.search(text) else text


def controls(text: str) -> list[str]:
    """The control characters of ``text``, each named as ``visible`` writes it (``\\x1b``), once each."""
    return list(dict.fromkeys(_escape(m) for m in CONTROL.finditer(text)))


def formula_like(text: str) -> bool:
    """Would a spreadsheet read ``text`` typed into a cell as a formula?  Leading spaces (ASCII and
    ideographic) are looked through: some programs trim them before deciding."""
    return text.startswith(FORMULA_START) or text.lstrip(" \u3000").startswith(FORMULA_START)


def sheet_text(text: str) -> str:
    """``text`` for a CSV cell: control characters escaped, and a leading ``'`` when it would
    otherwise start a formula (the OWASP rule: Excel and WPS show the quote in a CSV file, but never
    run the formula)."""
    out = visible(text)
    if formula_like(text) or formula_like(out):
        return "'" + out
    return out


def sheet_cell(cell: Any, value: Any) -> None:
    """Put ``value`` into an openpyxl ``cell``.  Text is stored as a string, never a formula: type
    ``s`` and, when it looks like a formula, the quote-prefix style (Excel, WPS and LibreOffice then
    show it as typed, without a visible quote); control characters are escaped.  Other values
    (numbers, dates, None) are stored as they are."""
    if not isinstance(value, str):
        cell.value = value
        return
    text = visible(value)
    cell.value = text
    cell.data_type = "s"
    if formula_like(text):
        cell.quotePrefix = True


#: Markdown's openers of HTML, links and images, and the full-width forms that replace them.
_MD = str.maketrans({"<": "＜", ">": "＞", "[": "［", "]": "］"})


def md_text(text: str) -> str:
    """``text`` for a Markdown document: control characters escaped, and ``< > [ ]`` written in their
    full-width forms ``＜ ＞ ［ ］``.  Without them no HTML tag (``<script>``, ``<img onerror>``),
    link (``[x](javascript:…)``), image or autolink can be formed, whatever Markdown renderer reads
    the text; and the text still reads naturally when the Markdown is pasted into Word or a message,
    where backslash escapes (``\\<``) or entities (``&lt;``) would show."""
    return visible(text).translate(_MD)


def json_text(document: str) -> str:
    """A JSON document with every control character in its strings written as a ``\\uXXXX`` escape
    (``json.dumps(..., ensure_ascii=False)`` leaves C1 controls, bidi overrides and U+2028 raw)."""
    return CONTROL.sub(_json_escape, document) if CONTROL.search(document) else document


def _json_escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group(0)):04x}"


def rich_text(text: Any, style: str = "") -> Text:
    """User text as a ``rich`` renderable that is printed literally: a ``Text`` (never markup), with
    control characters escaped."""
    from rich.text import Text

    return Text(visible("" if text is None else str(text)), style=style)
