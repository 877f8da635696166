"""Where an item stands, in the words of a 进展报送表: 逾期 N 天, 1/3 次, 本季度无进展.

Owns ``quiet_periods``: how many of the last complete reporting periods passed without a progress
entry on an item of standing work (常态化) — the rule the lights of standing work use too, written
here over the item's log and the reporting periods so that the two can be joined.  The other texts
come from the item's evaluated ``Timing`` (``ggk.deadlines``) and ``ggk.ledger.reports.status_text``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from ggk.deadlines.reporting import ReportPeriod
from ggk.model import DeadlineKind, Item, Status


def quiet_periods(item: Item, ended: Sequence[ReportPeriod], today: dt.date) -> int:
    """How many of the ``ended`` periods (oldest first), counted back from the last, had no progress
    entry on ``item`` recorded by ``today``.  0 for an item that is done or cancelled."""
    if item.status in (Status.DONE, Status.CANCELLED):
        return 0
    dates = [e.date for e in item.log if e.date <= today]
    n = 0
    for p in reversed(ended):
        if any(p.start <= d <= p.end for d in dates):
            break
        n += 1
    return n


def quiet_text(n: int, period: ReportPeriod) -> str:
    """本季度无进展 / 连续2个季度无进展 ("" when there was progress)."""
    if n <= 0:
        return ""
    if n == 1:
        return f"{period.word}无进展"
    return f"连续{n}个{period.word[1:]}无进展"


def where_it_stands(row: Any, ended: Sequence[ReportPeriod], today: dt.date) -> str:
    """The status with how late or how near (``进行中（逾期21天）``), the count or period duty
    (``1/3 次``), and for standing work the periods without progress (``本季度无进展``)."""
    from ggk.ledger.reports import status_text

    parts = [status_text(row)]
    item = row.item
    if item.status not in (Status.DONE, Status.CANCELLED):
        for state in row.timing.states:
            if state.rule.kind in (DeadlineKind.RECURRING, DeadlineKind.COUNT, DeadlineKind.WORKDAYS) and state.detail:
                parts.append(state.detail)
        if row.timing.standing and ended:
            quiet = quiet_text(quiet_periods(item, ended, today), ended[-1])
            if quiet:
                parts.append(quiet)
    return "；".join(dict.fromkeys(p for p in parts if p))
