"""Deadlines: the time phrases of the documents, the rules they state, their evaluation at a date,
and Chinese working days.

- ``phrases``: the grammar (``find_time_phrases``, ``extract``);
- ``rules``: ``Rule`` and ``resolve(deadline, year)``;
- ``timing``: ``evaluate(item, year, today)`` -> ``Timing``;
- ``workdays``: ``WorkCalendar`` (holidays, 调休 make-up days) and deadline arithmetic.

The names below are the package's public API; callers import them from ``ggk.deadlines``.
"""

from ggk.deadlines.phrases import extract, find_time_phrases
from ggk.deadlines.rules import Rule, RuleState, resolve
from ggk.deadlines.timing import Timing, evaluate, evaluate_rule, periods

__all__ = [
    "Rule",
    "RuleState",
    "Timing",
    "evaluate",
    "evaluate_rule",
    "extract",
    "find_time_phrases",
    "periods",
    "resolve",
]
