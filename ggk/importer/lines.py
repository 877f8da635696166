"""Physical lines -> paragraphs: re-joining hard-wrapped lines (PDF copies) and page breaks.

Owns ``paragraphs``: a PDF copy wraps nearly every line at one width and most lines end mid-sentence;
a one-paragraph-per-line copy has long lines that end with a full stop.  Page-number lines are taken
out (and returned for the report), so that the paragraph they cut is joined again.  Knows nothing about
plans: ``ggk.importer.structure`` does.
"""

from __future__ import annotations

import re

from ggk.importer.document import Para
from ggk.importer.text import TERMINAL, norm, parse_marker

# --------------------------------------------------------------------------- paragraphs


_NOTE_START = re.compile(r"^\s*[（(][^）)]*(?:牵头|负责|配合)|^\s*(?:责任|牵头|配合)(?:单位|部门|处室|股室|科室)\s*[：:]")


def starts_with_marker(text: str) -> bool:
    """The line begins with a heading's or item's number (一、 / （一） / 1. / …): a new paragraph."""
    return parse_marker(norm(text)) is not None


def _is_cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def _join(a: str, b: str) -> str:
    if a and b and not _is_cjk(a[-1]) and not _is_cjk(b[0]) and a[-1].isalnum() and b[0].isalnum():
        return a + " " + b
    return a + b


def _open_brackets(text: str) -> int:
    n = norm(text)
    return n.count("（") - n.count("）")


def _ends_terminal(text: str) -> bool:
    t = norm(text).rstrip()
    return bool(t) and t[-1] in TERMINAL + "：\"'"


def _ends_sentence(text: str) -> bool:
    """Ends a sentence; a closing bracket or quote at the end of a line does not."""
    t = norm(text).rstrip()
    return bool(t) and t[-1] in "。！？；…：!?"


def _has_inner_punct(text: str) -> bool:
    return any(ch in norm(text) for ch in "，。；、")


def _ends_with_note(text: str) -> bool:
    t = norm(text).rstrip().rstrip("。")
    if not t.endswith("）"):
        return False
    start = t.rfind("（")
    return start >= 0 and any(w in t[start:] for w in ("牵头", "负责", "配合"))


def display_width(text: str) -> int:
    """Width on the page: a Chinese character is two columns, ASCII one (PDF lines wrap by width)."""
    return sum(2 if ord(ch) > 0x2000 else 1 for ch in text)


def _percentile(values: list[int], q: float) -> int:
    if not values:
        return 0
    values = sorted(values)
    return values[min(len(values) - 1, int(q * (len(values) - 1) + 0.5))]


_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－_]+\s*\d{1,3}\s*[-—–－_]+|第\s*\d{1,3}\s*页(?:\s*[，,/]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})$"
)


def paragraphs(lines: list[tuple[str, int] | Para]) -> tuple[list[Para], bool, list[Para]]:
    """Join physical lines into paragraphs; returns (paragraphs, hard_wrapped, page numbers).

    Page-number lines of a PDF copy (“— 3 —”, “第 3 页”) are taken out and returned, so that
    the paragraph they cut is joined again and the report can still list them.  A ``Para`` among
    the lines (a table row already read) is kept as it is and ends the paragraph before it.
    """
    rows: list[tuple[str, int, int]] = []  # (stripped text, indent, line)
    kept: dict[int, Para] = {}  # index in rows -> a table row passed through
    pages: list[Para] = []
    for entry in lines:
        if isinstance(entry, Para):
            kept[len(rows)] = entry
            rows.append(("", 0, entry.line))
            continue
        raw, lineno = entry
        expanded = raw.replace("\u3000", "  ").replace("\t", "    ").replace("\xa0", " ")
        stripped = expanded.strip()
        indent = len(expanded) - len(expanded.lstrip())
        if _PAGE_NUMBER.match(stripped):
            pages.append(Para(stripped, lineno, indent))
            stripped = ""
        rows.append((stripped, indent, lineno))

    lengths = [display_width(t) for t, _, _ in rows if t]
    width = _percentile(lengths, 0.9)
    long_rows = [t for t in (r[0] for r in rows) if t and display_width(t) >= 0.8 * width]
    open_long = [t for t in long_rows if not _ends_terminal(t)]
    # A PDF copy wraps nearly every line at one width and most of them end mid-sentence;
    # a one-paragraph-per-line copy has long lines that end with a full stop.
    hard = 20 <= width <= 180 and len(long_rows) >= 5 and len(open_long) >= 0.3 * len(long_rows)

    start_indent = _first_line_indent(rows, width) if hard else None
    out: list[Para] = []
    cur: Para | None = None
    last_line = ""  # last physical line of cur
    last_indent = 0
    blanks = 0
    paged = False
    page_lines = {p.line for p in pages}
    for index, (text, indent, lineno) in enumerate(rows):
        if index in kept:
            if cur is not None:
                out.append(cur)
            out.append(kept[index])
            cur, last_line, blanks, paged = None, "", 2, False
            continue
        if not text:
            blanks += 1
            paged = paged or lineno in page_lines
            continue
        # A page number with the blank lines around it is one page break.
        gap = min(blanks, 1) if paged else blanks
        if cur is not None and _continues(cur.text, last_line, last_indent, text, indent, gap, hard, width, start_indent):
            cur.text = _join(cur.text, text)
        else:
            if cur is not None:
                out.append(cur)
            cur = Para(text, lineno, indent)
        last_line, last_indent, blanks, paged = text, indent, 0, False
    if cur is not None:
        out.append(cur)
    return out, hard, pages


def _first_line_indent(rows: list[tuple[str, int, int]], width: int) -> int | None:
    """The indent of first lines when a PDF copy indents them more than continuation lines."""
    starts: dict[int, int] = {}
    conts: dict[int, int] = {}
    prev: tuple[str, int, int] | None = None
    for row in rows:
        if row[0] and prev is not None:
            if not prev[0] or _ends_terminal(prev[0]):
                starts[row[1]] = starts.get(row[1], 0) + 1
            elif display_width(prev[0]) >= 0.85 * width:
                conts[row[1]] = conts.get(row[1], 0) + 1
        prev = row
    if not starts or not conts:
        return None
    start = max(starts, key=lambda k: starts[k])
    cont = max(conts, key=lambda k: conts[k])
    return start if start > cont else None


def _continues(
    para: str,
    last: str,
    last_indent: int,
    nxt: str,
    indent: int,
    blanks: int,
    hard: bool,
    width: int,
    start_indent: int | None = None,
) -> bool:
    """Does the physical line ``nxt`` continue the paragraph ``para``?"""
    if starts_with_marker(nxt):
        return False
    if start_indent is not None and indent >= start_indent and not blanks and _open_brackets(para) <= 0:
        return False  # indented like a first line: a new paragraph
    if _open_brackets(para) > 0:
        # A parenthetical cut by a page break (“按职责\n\n分工负责）”) belongs together.
        return blanks <= 3
    if _ends_with_note(para):
        return False
    if blanks > 1:
        return False
    if hard:
        w = display_width(last)
        long_line = w >= max(24, 0.85 * width)
        if blanks:
            # A page break: the line before it is full; a one-line paragraph without
            # punctuation before a blank line is a heading or a title, not a broken line.
            if para == last and not _has_inner_punct(last):
                return False
            long_line = w >= 0.9 * width or (long_line and _has_inner_punct(last))
    else:
        long_line = len(last) >= 40 and _has_inner_punct(last)
    if not _ends_sentence(last):
        # A heading is short and has no punctuation inside; a body line that stops
        # mid-sentence is continued on the next line (or after a page break).
        if _NOTE_START.match(nxt):
            return False
        return long_line
    if hard and not blanks and long_line and indent <= last_indent and not _NOTE_START.match(nxt):
        return True
    return False
