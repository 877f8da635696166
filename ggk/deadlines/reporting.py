"""Reporting periods (报送周期): when departments owe a progress report, and by which day.

Owns the periods of a year for a ``Reporting`` setting (month / quarter / half), each with its
report due date (the period's end plus ``due``, counted from the next day in working days or
calendar days), and the questions the ledger asks of them: which period a day falls in, and which
periods had ended (were complete) by a date.  The setting comes from the plan, else the unit, else
the defaults of ``ggk.model`` (each quarter, due 5 working days after it).  Pure functions: "today"
and the working-day calendar are parameters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ggk.deadlines.workdays import WorkCalendar, parse_offset
from ggk.model import Plan, Reporting, Unit

_MONTHS = {"month": 1, "quarter": 3, "half": 6}
_QUARTERS = "一二三四"
_PERIOD_WORD = {"month": "月", "quarter": "季度", "half": "半年"}


@dataclass(frozen=True)
class ReportPeriod:
    """One reporting period: ``2026年第三季度`` from 07-01 to 09-30, report due 10-14."""

    every: str
    start: dt.date
    end: dt.date
    due: dt.date

    @property
    def label(self) -> str:
        y, m = self.start.year, self.start.month
        if self.every == "month":
            return f"{y}年{m}月"
        if self.every == "quarter":
            return f"{y}年第{_QUARTERS[(m - 1) // 3]}季度"
        return f"{y}年{'上' if m == 1 else '下'}半年"

    @property
    def word(self) -> str:
        """本季度 / 本月 / 本半年: how a report calls the period."""
        return "本" + _PERIOD_WORD[self.every]

    @property
    def key(self) -> str:
        """A stable id for files and forms: ``2026-Q3``, ``2026-07``, ``2026-H2``."""
        y, m = self.start.year, self.start.month
        if self.every == "month":
            return f"{y}-{m:02d}"
        if self.every == "quarter":
            return f"{y}-Q{(m - 1) // 3 + 1}"
        return f"{y}-H{1 if m == 1 else 2}"


def setting(plan: Plan | None, unit: Unit | None) -> Reporting:
    """The plan's reporting setting, else its unit's, else the defaults."""
    for source in (plan, unit):
        if source is not None and source.reporting is not None:
            return source.reporting
    return Reporting.model_construct()  # the defaults (made without validation: no validator is built for them)


def due_after(end: dt.date, reporting: Reporting, calendar: WorkCalendar | None = None) -> dt.date:
    """The report due date of a period ending on ``end``."""
    offset = parse_offset(reporting.due)
    if offset.unit == "workdays":
        cal = calendar if calendar is not None else WorkCalendar()
        return cal.add_workdays(end, offset.n)
    return end + dt.timedelta(days=offset.n)


def period_of(day: dt.date, reporting: Reporting, calendar: WorkCalendar | None = None) -> ReportPeriod:
    """The reporting period ``day`` falls in."""
    months = _MONTHS[reporting.every]
    start = dt.date(day.year, (day.month - 1) // months * months + 1, 1)
    end = _end(start, months)
    return ReportPeriod(reporting.every, start, end, due_after(end, reporting, calendar))


def _end(start: dt.date, months: int) -> dt.date:
    """The last day of the period of ``months`` months that begins on ``start`` (the 1st of a month)."""
    after = start.month - 1 + months  # months after January of the start's year
    return dt.date(start.year + after // 12, after % 12 + 1, 1) - dt.timedelta(days=1)


def periods(year: int, reporting: Reporting, calendar: WorkCalendar | None = None) -> list[ReportPeriod]:
    """The reporting periods of ``year``, in order."""
    months = _MONTHS[reporting.every]
    return [period_of(dt.date(year, m, 1), reporting, calendar) for m in range(1, 13, months)]


def ended_by(year: int, today: dt.date, reporting: Reporting, calendar: Any = None, since: dt.date | None = None) -> list[ReportPeriod]:
    """The periods of ``year`` that had ended before ``today`` (complete on ``today``), oldest first.

    ``since`` (the plan's 印发日期): a period that ended before it is not owed."""
    months = _MONTHS[reporting.every]
    out = []
    for m in range(1, 13, months):
        start = dt.date(year, m, 1)
        end = _end(start, months)
        # due dates only for the periods that ended: one still running may be due in a year whose
        # holidays are not known yet, and asking would warn about that year for nothing
        if end < today and (since is None or end >= since):
            out.append(period_of(start, reporting, calendar))
    return out


_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_KIND_WORD = {"month": "每月", "quarter": "每季度", "half": "每半年"}


def _period_start(text: str) -> tuple[str, dt.date] | None:
    """(kind, first day) of a period written ``2026-Q3`` / ``2026Q3`` / ``2026年第三季度`` / ``2026-07`` /
    ``2026年7月`` / ``2026-H2`` / ``2026年下半年``; None when it is none of these."""
    import re

    t = re.sub(r"\s+", "", text).upper()
    m = re.fullmatch(r"(\d{4})(?:-|年)?(?:第)?Q?([1-4一二三四])(?:季度|季)?", t)
    if m and ("Q" in t or "季" in t):
        return "quarter", dt.date(int(m.group(1)), 3 * _CN_DIGITS[m.group(2)] - 2, 1)
    m = re.fullmatch(r"(\d{4})(?:-|年)?H([12])", t) or re.fullmatch(r"(\d{4})年?([上下])半年", t)
    if m:
        return "half", dt.date(int(m.group(1)), 1 if m.group(2) in ("1", "上") else 7, 1)
    m = re.fullmatch(r"(\d{4})(?:-|/|年)(\d{1,2})月?", t)
    if m and 1 <= int(m.group(2)) <= 12:
        return "month", dt.date(int(m.group(1)), int(m.group(2)), 1)
    return None


def parse_period(text: str, reporting: Reporting, calendar: WorkCalendar | None = None) -> ReportPeriod:
    """The period ``text`` names (``2026年第三季度``, ``2026-Q3``, ``2026Q3``, ``2026-07``, ``2026年7月``,
    ``2026-H2``, ``2026年下半年``); ValueError with a Chinese message when it cannot be read or is not a
    period of this reporting setting (a month when departments report each quarter)."""
    found = _period_start(text)
    if found is None:
        raise ValueError(f"看不懂报送期「{text}」，应写作 2026年第三季度、2026-Q3、2026-07 或 2026-H2")
    kind, start = found
    if kind != reporting.every:
        raise ValueError(f"报送期「{text}」与报送周期（{_KIND_WORD[reporting.every]}）不符")
    return period_of(start, reporting, calendar)


def previous(period: ReportPeriod, reporting: Reporting, calendar: WorkCalendar | None = None) -> ReportPeriod:
    """The period before ``period``."""
    return period_of(period.start - dt.timedelta(days=1), reporting, calendar)


def collecting(today: dt.date, reporting: Reporting, calendar: WorkCalendar | None = None) -> ReportPeriod:
    """The period whose report the office is collecting on ``today``: the one just ended while its
    report is not yet due, else the current one (a form sent in September asks for the third quarter,
    and so does one sent on 10-09 when the third quarter's report is due on 10-14)."""
    current = period_of(today, reporting, calendar)
    last = previous(current, reporting, calendar)
    return last if today <= last.due else current
