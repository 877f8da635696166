"""Where an item stands, in the words of a 进展报送表: 逾期 N 天, 1/3 次, 本季度无进展.

The texts are the ledger's own, so a form never disagrees with ``status`` or the 台账 on the same day:
the status with how late or how near, and for standing work the periods without progress
(``ggk.ledger.reports.status_text``, which reads the row's ``idle`` from ``ggk.ledger.standing``),
followed by the progress of count and period duties from the item's evaluated ``Timing``.
"""

from __future__ import annotations

from typing import Any

from ggk.model import DeadlineKind, Status


def where_it_stands(row: Any) -> str:
    """``进行中（逾期21天）``, ``进行中；1/3 次``, ``进行中（本季度无进展）``: the status as the 台账 says it,
    then the count or period duty's progress."""
    from ggk.ledger.reports import status_text

    parts = [status_text(row)]
    if row.item.status not in (Status.DONE, Status.CANCELLED):
        for state in row.timing.states:
            if state.rule.kind in (DeadlineKind.RECURRING, DeadlineKind.COUNT, DeadlineKind.WORKDAYS) and state.detail:
                parts.append(state.detail)
    return "；".join(dict.fromkeys(p for p in parts if p))
