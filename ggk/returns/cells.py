"""What departments type into a cell, read as ggk values: statuses and dates.

Dates come as spreadsheet date cells (Excel, WPS and LibreOffice store what looks like a date as
one), as text the Chinese way (``2026年9月30日``, ``2026/9/30``, ``2026-9-30``, ``2026.9.30``), as a
month and day within the period's year (``9月30日``), or as ``20260930``.  Every failure is a
``ValueError`` with a Chinese message saying what was typed and how to write it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ggk.dates import parse_date
from ggk.model import Status, parse_status
from ggk.returns.forms import norm

_MONTH_DAY = re.compile(r"^\s*(\d{1,2})\s*(?:月|[-/.])\s*(\d{1,2})\s*日?\s*$")
#: A status word followed by a remark in brackets, as the 工作台账 writes it: 进行中（逾期21天）
_STATUS_REMARK = re.compile(r"^\s*([^（(]+?)\s*[（(].*$")


def text(value: Any) -> str:
    """The cell as text ("" for an empty cell); a date cell as its ISO date."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return norm(value)


def blank(value: Any) -> bool:
    return text(value) == ""


def to_date(value: Any, year: int | None = None) -> dt.date | None:
    """A date cell or date text; None for an empty cell; ValueError otherwise."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = int(value)
        if number == value and 19000101 <= number <= 29991231:  # 20260930 typed as a number
            return _from_text(str(number), year)
        raise ValueError(f"看不懂日期「{value}」，应写作 2026-09-30 或 2026年9月30日")
    return _from_text(text(value), year)


def _from_text(t: str, year: int | None) -> dt.date | None:
    """Text the way people type a date (``ggk.dates.parse_date``), or a month and day in ``year``."""
    if not t:
        return None
    try:
        return parse_date(t)
    except ValueError as exc:
        m = _MONTH_DAY.match(t)
        if m is None or year is None:
            raise
        try:
            return dt.date(year, int(m.group(1)), int(m.group(2)))
        except ValueError:
            raise exc from None


def dates(value: Any, year: int | None = None) -> list[dt.date | None]:
    """One date per line of the cell (a date cell is one line); empty lines are None."""
    if isinstance(value, (dt.date, dt.datetime)):
        return [to_date(value, year)]
    lines = text(value).split("\n") if not blank(value) else []
    return [to_date(line.strip(), year) if line.strip() else None for line in lines]


def to_status(value: Any) -> Status | None:
    """A status word (or English alias); a remark in brackets after it is ignored."""
    t = text(value)
    if not t:
        return None
    m = _STATUS_REMARK.match(t)
    word = m.group(1) if m else t
    try:
        return parse_status(word.strip().rstrip("√✓"))
    except ValueError:
        raise ValueError(f"看不懂完成状态「{t}」，请从下拉列表选择：未启动、进行中、已完成") from None
