"""Dates as people type them: the one parser for every date given on the command line.

Owns reading a calendar date from text the way a clerk writes it — ``2021-06-30``, ``2021-6-30``,
``2021/6/30``, ``2021.6.30``, ``2021年6月30日`` (full-width digits and punctuation too, as a Chinese
input method gives them) — with a Chinese message when the text is not a date.  ``--as-of``,
``GGK_TODAY`` and every date option of the commands go through ``parse_date``; dates inside the YAML
files are YAML dates and are read by the loader, not here.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

_DATE = re.compile(r"^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?$")
#: ``20210630``: eight digits, as some systems export dates
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")

FORMS = "2021-06-30、2021-6-30、2021/6/30 或 2021年6月30日"


def parse_date(text: str) -> dt.date:
    """The date ``text`` names; ``ValueError`` with a Chinese message when it names none."""
    plain = unicodedata.normalize("NFKC", str(text)).strip()
    m = _DATE.match(plain) or _COMPACT.match(plain)
    if m is None:
        raise ValueError(f"看不懂日期「{text}」，请写作 {FORMS}")
    year, month, day = (int(g) for g in m.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        if not 1 <= month <= 12:
            raise ValueError(f"日期「{text}」的月份 {month} 不对") from None
        raise ValueError(f"日期「{text}」不存在：{year}年{month}月没有{day}日") from None
