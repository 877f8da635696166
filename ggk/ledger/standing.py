"""Standing work (常态化) against the reporting periods: the one rule behind the lights, the 回头看 and the 台账.

Most items of a real plan have no time limit: "常态化发布…", "持续做好…".  They are never overdue, but
they are not free either: each reporting period (``ggk.deadlines.reporting``: the plan's or unit's
``reporting:``, by default each quarter with the report due 5 working days after it) the departments
owe a word of progress.  So, on a day D, an open standing item is judged by the periods it owed by D —
those whose report due day had passed (periods that ended before the plan was issued are not owed) —
and a period counts as reported when a progress entry is dated in it or later (in its reporting
window after its end, or since: a department that reports now is not chased for the past):

- the last owed period without progress: yellow, "本季度无进展" (the period's own word);
- two or more owed periods in a row without progress: red, "连续两个季度无进展";
- no progress at all in the plan year: the 回头看 puts it on the 整改清单 ("全年无进展").

``StandingRule(plan, unit, today, calendar).idle(item)`` is the rule; everything that shows a light
(``ggk.ledger.queries``), the 回头看 (``ggk.ledger.review``) and the 台账 (``ggk.ledger.reports``) asks it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ggk.deadlines import reporting
from ggk.deadlines.reporting import ReportPeriod
from ggk.model import Status

_CN_COUNT = {2: "两", 3: "三", 4: "四", 5: "五", 6: "六"}
_UNIT = {"month": "个月", "quarter": "个季度", "half": "个半年"}


@dataclass(frozen=True)
class Idle:
    """A standing item without progress: the owed periods in a row (latest last) that had none."""

    periods: tuple[ReportPeriod, ...]
    #: no progress entry at all in the plan year (up to the day)
    year_idle: bool
    #: the plan year is over (the day is its last day or later)
    year_over: bool

    @property
    def count(self) -> int:
        return len(self.periods)

    @property
    def red(self) -> bool:
        return self.count >= 2

    @property
    def text(self) -> str:
        """本季度无进展 / 连续两个季度无进展 / 全年无进展."""
        if self.year_idle and self.year_over:
            return "全年无进展"
        last = self.periods[-1]
        if self.count == 1:
            return f"{last.word}无进展"
        n = self.count
        return f"连续{_CN_COUNT.get(n, str(n))}{_UNIT[last.every]}无进展"

    def to_json(self) -> dict[str, Any]:
        return {"periods": [p.key for p in self.periods], "text": self.text, "year_idle": self.year_idle}


class StandingRule:
    """The periods a plan's standing items owe progress for by ``today``, and the judgement of one item."""

    def __init__(self, plan: Any, unit: Any, today: dt.date, calendar: Any = None) -> None:
        setting = reporting.setting(plan, unit)
        self.year = plan.year
        self.today = today
        self.owed = [p for p in reporting.ended_by(plan.year, today, setting, calendar, since=plan.issued) if p.due < today]
        self.year_over = today >= dt.date(plan.year, 12, 31)

    def idle(self, item: Any) -> Idle | None:
        """How long the open standing ``item`` has gone without progress; None when it is up to date (or
        closed, or nothing was owed yet).  The item's log is the snapshot's: entries up to the day."""
        if item.status is Status.DONE or item.status is Status.CANCELLED or not self.owed:
            return None
        dates = [e.date for e in item.log]
        missed: list[ReportPeriod] = []
        for p in reversed(self.owed):
            if any(d >= p.start for d in dates):  # reported in the period, in its window, or since
                break
            missed.append(p)
        if not missed:
            return None
        start = dt.date(self.year, 1, 1)
        year_idle = not any(d >= start for d in dates)
        return Idle(tuple(reversed(missed)), year_idle, self.year_over)
