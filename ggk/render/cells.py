"""The look every table ggk writes shares (the 工作台账 and the 进展报送表 in xlsx, the Word tables, the
printed HTML page): the font, the height of a line, how many lines a text needs in a column of a given
width, and column widths that fit the content.  WPS and older Excel do not grow a row to fit wrapped
text on their own, so the writers set each row's height from these; Word and a printed page keep the
widths given rather than fitting them again."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

FONT = "宋体"
LINE_HEIGHT = 15.0  # points per line of 11-point text


def text_width(text: str) -> int:
    """Display width of one line: East-Asian wide and full-width characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def lines_needed(text: str, width: float) -> int:
    """Lines ``text`` takes in a column ``width`` characters wide, wrapped."""
    usable = max(width - 1, 1)
    return sum(max(1, math.ceil(text_width(line) / usable)) for line in str(text).split("\n"))


#: one half-width character of 五号 text, and a cell's left and right padding, in centimetres
_HALF_CHAR_CM = 10.5 / 72 * 2.54 / 2
_PAD_CM = 0.4
#: a column never grows wider than this many half-width characters of text; longer text wraps
_MAX_CHARS = 60


#: a run of printable ASCII without spaces: a word a table cell should not break (dates, numbers)
_WORD = re.compile(r"[!-~]+")
#: longer runs (a whole link) may wrap: keeping them whole would starve the other columns
_MAX_WORD = 12


def _text_width(text: str) -> int:
    """Display width in half-width characters of the longest line."""
    return max((text_width(line) for line in text.split("\n")), default=0)


def fit_widths(head: Sequence[str], rows: Sequence[Sequence[Any]], total_cm: float) -> list[float]:
    """Column widths (cm) that fit the content within ``total_cm``: a column of numbers (序号) stays as
    narrow as its header, a column of long text (工作任务, 最近进展) gets the room; neither the header nor a
    word of Latin letters and digits (a date such as 2026-06-30, a number, a link's start) wraps inside
    itself, and what does not fit wraps in the widest columns first."""
    natural = []
    floor = []
    for i, name in enumerate(head):
        cells = ["" if r[i] is None else str(r[i]) for r in rows]
        longest = max([_text_width(name), *(_text_width(c) for c in cells)])
        word = max((len(w) for c in cells for w in _WORD.findall(c)), default=0)
        natural.append(min(longest, _MAX_CHARS) * _HALF_CHAR_CM + _PAD_CM)
        floor.append(min(longest, max(_text_width(name), 4, min(word, _MAX_WORD))) * _HALF_CHAR_CM + _PAD_CM)
    want = sum(natural)
    if want <= total_cm:
        # room to spare goes to the columns whose text wraps even at the widest (long text)
        wrapping = [i for i, w in enumerate(natural) if w >= _MAX_CHARS * _HALF_CHAR_CM + _PAD_CM]
        spare = total_cm - want
        for i in wrapping:
            natural[i] += spare / len(wrapping)
        return natural if wrapping else [w * total_cm / want for w in natural]
    give = sum(n - f for n, f in zip(natural, floor, strict=True))
    excess = want - total_cm
    if give <= 0 or excess >= give:
        return [f * total_cm / sum(floor) for f in floor]
    return [n - (n - f) * excess / give for n, f in zip(natural, floor, strict=True)]
