"""The look every spreadsheet ggk writes shares (the 工作台账 and the 进展报送表): the font, the height
of a line, and how many lines a text needs in a column of a given width.  WPS and older Excel do not
grow a row to fit wrapped text on their own, so the writers set each row's height from these."""

from __future__ import annotations

import math
import unicodedata

FONT = "宋体"
LINE_HEIGHT = 15.0  # points per line of 11-point text


def text_width(text: str) -> int:
    """Display width of one line: East-Asian wide and full-width characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def lines_needed(text: str, width: float) -> int:
    """Lines ``text`` takes in a column ``width`` characters wide, wrapped."""
    usable = max(width - 1, 1)
    return sum(max(1, math.ceil(text_width(line) / usable)) for line in str(text).split("\n"))
