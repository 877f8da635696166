"""Deadline rules: what a deadline (phrase and keys) of an item means, as a ``Rule``.

Owns ``Rule`` (the six kinds: once, recurring, count, workdays, days, none), ``RuleState`` (a rule
evaluated at one date) and ``resolve(deadline, year)``: the explicit keys (due / every /
count+per / workdays+after / days+after / kind) win over the phrase; what they leave open is read from the
phrase with the grammar of ``ggk.deadlines.phrases``.

- once: a date (``2021年底前``, ``上半年``, ``三季度末``, ``2022年10月底前``); a date-only
  deadline means the whole day, so an item is overdue from the next day on;
- recurring: every month/quarter/half/year of the plan year (``每季度公开一次``); each period
  is its own obligation, met by a log entry dated inside it;
- count: at least N times per period (``每年解读重要政策措施不少于3次``), met by N entries;
- workdays: within N working days of an event (``文件公开后3个工作日内``); each log entry with
  ``event:`` is one obligation, met by its ``done:`` date;
- days: within N calendar days of an event (``收到申请之日起15日内``, ``15个自然日内``), logged and met
  like the working-day rule;
- none: standing work (常态化), never overdue by date.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from typing import Any

from ggk.deadlines.phrases import _dl, _rule_key, _scan
from ggk.model import Deadline, DeadlineKind


@dataclass(frozen=True)
class Rule:
    kind: DeadlineKind
    phrase: str | None = None
    due: dt.date | None = None
    every: str | None = None
    count: int | None = None
    per: str | None = None
    workdays: int | None = None
    after: str | None = None
    days: int | None = None


@dataclass(slots=True)
class RuleState:
    rule: Rule
    due: dt.date | None = None
    overdue_days: int | None = None
    due_in: int | None = None
    met: int | None = None
    required: int | None = None
    missed: list[str] = field(default_factory=list)
    behind_pace: bool = False
    detail: str = ""
    #: once rules of a done item: days the completion came after the due date (for the review)
    late_days: int | None = None
    #: e.g. the working days of a year no holiday source covers were counted by weekends only
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        r = self.rule
        return {
            "kind": r.kind.value,
            "phrase": r.phrase,
            "due": self.due.isoformat() if self.due else None,
            "every": r.every,
            "count": r.count,
            "per": r.per,
            "workdays": r.workdays,
            "days": r.days,
            "after": r.after,
            "overdue_days": self.overdue_days,
            "due_in": self.due_in,
            "met": self.met,
            "required": self.required,
            "missed": list(self.missed),
            "behind_pace": self.behind_pace,
            "late_days": self.late_days,
            "detail": self.detail,
            "warnings": list(self.warnings),
        }


# =========================================================================== resolve

_STANDING = {"常态化", "长期", "持续", "none", "无", "长期坚持", "持续推进", "常态", "日常"}
_STANDING_RE = re.compile(r"常态化|长期|持续|日常|经常性")


@functools.lru_cache(maxsize=4096)
def _parse_phrase(phrase: str, year: int) -> Deadline | None:
    """The one rule a deadline phrase states (lenient: a bare date counts); None if 0 or 2+.
    Remembered: plans repeat a few dozen phrases thousands of times (callers only read the result)."""
    found = {_rule_key(h.deadline): h.deadline for h in _scan(phrase, year, strict=False) if h.deadline}
    return next(iter(found.values())) if len(found) == 1 else None


_NO_RULE = Rule(DeadlineKind.NONE)


def resolve(deadline: Deadline | None, year: int) -> Rule | None:
    """The effective rule of an item's deadline; None when it is not understood.

    The explicit keys (due / every / count+per / workdays+after / days+after / kind) win over the phrase;
    what they leave open is read from the phrase.
    """
    if deadline is None:
        return _NO_RULE
    d = deadline
    return _resolve_keys((d.phrase, d.kind, d.due, d.every, d.count, d.per, d.workdays, d.days, d.after), year)


@functools.lru_cache(maxsize=65536)
def _resolve_keys(keys: tuple[Any, ...], year: int) -> Rule | None:
    """``_resolve`` remembered by the deadline's keys: a province's plans repeat a few hundred
    deadlines tens of thousands of times (rules are frozen, so they can be shared)."""
    names = ("phrase", "kind", "due", "every", "count", "per", "workdays", "days", "after")
    return _resolve(Deadline.model_construct(**dict(zip(names, keys, strict=True))), year)


def _resolve(deadline: Deadline, year: int) -> Rule | None:
    phrase = (deadline.phrase or "").strip()
    parsed = _parse_phrase(phrase, year) if phrase else None
    kind = deadline.explicit_kind()
    if kind is None:
        if parsed is not None:
            kind = parsed.explicit_kind()
        elif not phrase or phrase in _STANDING or _STANDING_RE.search(phrase):
            return Rule(DeadlineKind.NONE, deadline.phrase)
        else:
            return None
    p = parsed or _dl()
    if kind is DeadlineKind.NONE:
        return Rule(DeadlineKind.NONE, deadline.phrase)
    if kind is DeadlineKind.ONCE:
        due = deadline.due or p.due
        return Rule(kind, deadline.phrase, due=due) if due else None
    if kind is DeadlineKind.RECURRING:
        every = deadline.every or p.every or p.per
        return Rule(kind, deadline.phrase, every=every) if every else None
    if kind is DeadlineKind.COUNT:
        count = deadline.count or p.count
        per = deadline.per or p.per or p.every or "year"
        return Rule(kind, deadline.phrase, count=count, per=per) if count else None
    if kind is DeadlineKind.WORKDAYS:
        workdays = deadline.workdays or p.workdays
        after = deadline.after or p.after
        return Rule(kind, deadline.phrase, workdays=workdays, after=after) if workdays else None
    if kind is DeadlineKind.DAYS:
        days = deadline.days or p.days
        after = deadline.after or p.after
        return Rule(kind, deadline.phrase, days=days, after=after) if days else None
    return None
