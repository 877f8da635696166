"""Evaluating deadline rules at a date: ``evaluate(item, year, today)`` -> ``Timing``.

Owns the per-rule state at a date (due date, overdue days, periods and counts met, pace) and
the item's sum of them for the ledger.  "today" is always a parameter; working-day arithmetic
is ``ggk.deadlines.workdays``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

from ggk.deadlines.phrases import _PERIOD_CN, _month_end
from ggk.deadlines.rules import Rule, RuleState, resolve
from ggk.model import Deadline, DeadlineKind, Item, Status

# =========================================================================== evaluate


@dataclass(slots=True)
class Timing:
    """Every rule of one item evaluated at one date, and their sum for the ledger.

    The sums are computed once, when the timing is made (reports read them several times per row);
    ``states`` is not changed afterwards."""

    states: list[RuleState]
    unresolved: list[str] = field(default_factory=list)  # phrases not understood
    #: the most days overdue of any rule (None: none is overdue)
    overdue_days: int | None = field(init=False, repr=False, compare=False)
    #: the fewest days until a rule is due (None: none is coming)
    due_in: int | None = field(init=False, repr=False, compare=False)
    #: the most urgent date: the oldest missed one, else the next one, else the latest date of any rule
    due: dt.date | None = field(init=False, repr=False, compare=False)
    #: the rule to show in one column: overdue first, then the nearest due
    primary: RuleState = field(init=False, repr=False, compare=False)
    #: no rule has a date (常态化)
    standing: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.states) == 1:  # most items: what the loop below gives for one state, directly
            s = self.primary = self.states[0]
            self.overdue_days, self.due_in, self.due = s.overdue_days, s.due_in, s.due
            self.standing = s.rule.kind is DeadlineKind.NONE
            return
        late: RuleState | None = None  # the first of the most overdue
        soon: RuleState | None = None  # the first of the nearest due
        standing = True
        for s in self.states:
            if s.overdue_days is not None and (late is None or s.overdue_days > (late.overdue_days or 0)):
                late = s
            if s.due_in is not None and (soon is None or s.due_in < (soon.due_in or 0)):
                soon = s
            if s.rule.kind is not DeadlineKind.NONE:
                standing = False
        self.overdue_days = late.overdue_days if late is not None else None
        self.due_in = soon.due_in if soon is not None else None
        if late is not None:
            self.due = late.due
        elif soon is not None:
            self.due = soon.due
        else:
            dated = [s.due for s in self.states if s.due is not None]
            self.due = max(dated) if dated else None
        self.standing = standing
        if self.states:
            self.primary = max(self.states, key=lambda s: (s.overdue_days or -1, -(s.due_in if s.due_in is not None else 10**6)))
        else:
            self.primary = RuleState(Rule(DeadlineKind.NONE))

    @property
    def behind_pace(self) -> bool:
        return any(s.behind_pace for s in self.states)

    @property
    def warnings(self) -> list[str]:
        out: list[str] = []
        for s in self.states:
            out.extend(w for w in s.warnings if w not in out)
        return out


@dataclass(frozen=True)
class _Period:
    label: str
    start: dt.date
    end: dt.date


def periods(year: int, per: str) -> list[_Period]:
    """The periods of a plan year: 12 months, 4 quarters, 2 halves or the year."""
    return list(_periods(year, per))


@functools.lru_cache(maxsize=256)
def _periods(year: int, per: str) -> tuple[_Period, ...]:
    return tuple(_make_periods(year, per))


def _make_periods(year: int, per: str) -> list[_Period]:
    if per == "week":
        # Weeks begin on Monday; the first and last are cut at the year's ends.
        out, start, n = [], dt.date(year, 1, 1), 1
        while start.year == year:
            end = min(start + dt.timedelta(days=6 - start.weekday()), dt.date(year, 12, 31))
            out.append(_Period(f"第{n}周", start, end))
            start, n = end + dt.timedelta(days=1), n + 1
        return out
    if per == "month":
        return [_Period(f"{m}月", dt.date(year, m, 1), _month_end(year, m)) for m in range(1, 13)]
    if per == "quarter":
        return [_Period(f"第{q}季度", dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q)) for q in range(1, 5)]
    if per == "half":
        return [
            _Period("上半年", dt.date(year, 1, 1), dt.date(year, 6, 30)),
            _Period("下半年", dt.date(year, 7, 1), dt.date(year, 12, 31)),
        ]
    return [_Period(f"{year}年", dt.date(year, 1, 1), dt.date(year, 12, 31))]


def _pace_expected(n: int, p: _Period, today: dt.date) -> int:
    """Entries a steady pace would have by ``today``: floor(n * elapsed share of the period)."""
    if today < p.start:
        return 0
    total = (p.end - p.start).days + 1
    elapsed = min((today - p.start).days + 1, total)
    return n * elapsed // total


def _evaluate_once(state: RuleState, item: Item, today: dt.date) -> RuleState:
    due = state.rule.due
    assert due is not None
    if item.status is Status.CANCELLED:
        state.detail = "已取消"
        return state
    if item.status is Status.DONE:
        if item.completed is not None and item.completed > due:
            state.late_days = (item.completed - due).days
            state.detail = f"已完成（逾期{state.late_days}天）"
        else:
            state.detail = "已完成"
        return state
    delta = (today - due).days
    if delta > 0:
        state.overdue_days = delta
        state.detail = f"逾期{delta}天"
    else:
        state.due_in = -delta
        state.detail = "今日到期" if delta == 0 else f"剩{-delta}天"
    return state


def _periodic_rows(rule: Rule, item: Item, year: int, today: dt.date, since: dt.date | None) -> list[tuple[_Period, int]]:
    """The periods of the plan year that count (a suffix of them: those not over before ``since``),
    each with the entries logged in it by ``today``."""
    per = (rule.every if rule.kind is DeadlineKind.RECURRING else rule.per) or "year"
    periods = _periods(year, per)
    starts = [p.start for p in periods]  # the periods tile the year: a date is in the last one started
    counts = [0] * len(periods)
    for e in item.log:
        d = e.date
        if e.counts and d.year == year and d <= today:  # as of today, not after
            counts[bisect.bisect_right(starts, d) - 1] += 1
    rows = list(zip(periods, counts, strict=True))
    if since is not None:
        rows = [(p, got) for p, got in rows if p.end >= since]  # periods before the plan took effect
    return rows


def _evaluate_periodic(state: RuleState, item: Item, year: int, today: dt.date, since: dt.date | None) -> RuleState:
    rule = state.rule
    recurring = rule.kind is DeadlineKind.RECURRING
    per = (rule.every if recurring else rule.per) or "year"
    n = 1 if recurring else (rule.count or 1)
    closed = item.status in (Status.DONE, Status.CANCELLED)
    rows = _periodic_rows(rule, item, year, today, since)
    if not rows:
        state.detail = "本年度无应落实周期"
        return state

    if not recurring and per == "year":
        p, got = rows[0]
        state.met, state.required = got, n
        state.due = p.end
        text = f"{got}/{n} 次"
        if got >= n:
            state.detail = text
        elif today > p.end:
            state.missed = [p.label]
            if not closed:
                state.overdue_days = (today - p.end).days
                text += "，未完成"
            state.detail = text
        else:
            if not closed:
                state.due_in = (p.end - today).days
                state.behind_pace = got < _pace_expected(n, p, today)
            state.detail = text + ("，落后进度" if state.behind_pace else "")
        if item.status is Status.CANCELLED:
            state.detail = "已取消"
        return state

    ended = [(p, got) for p, got in rows if today > p.end]
    current = next(((p, got) for p, got in rows if p.start <= today <= p.end), None)
    missed = [p for p, got in ended if got < n]
    current_met = current is not None and current[1] >= n
    state.met = sum(got >= n for _, got in ended) + current_met
    state.required = len(ended) + current_met
    state.missed = [p.label for p in missed]
    head = f"每{_PERIOD_CN.get(per, per)}" if recurring else f"每{_PERIOD_CN.get(per, per)}至少{n}次"
    parts = [f"{head} {state.met}/{state.required}"] if state.required else [head]
    if missed:
        parts.append(f"{'、'.join(p.label for p in missed)}未落实")
    if current is not None and not current_met and n > 1:
        parts.append(f"{current[0].label} {current[1]}/{n}")
    if missed and not closed:
        state.due = missed[0].end
        state.overdue_days = (today - missed[0].end).days
    else:
        upcoming = [(p, got) for p, got in rows if p.end >= today and got < n]
        if upcoming:
            state.due = upcoming[0][0].end
            if not closed:
                state.due_in = (state.due - today).days
        else:
            state.due = rows[-1][0].end
    if current is not None and not current_met and not closed:
        state.behind_pace = current[1] < _pace_expected(n, current[0], today)
        if state.behind_pace:
            parts.append("落后进度")
    state.detail = "已取消" if item.status is Status.CANCELLED else "，".join(parts)
    return state


def _evaluate_events(state: RuleState, item: Item, today: dt.date, calendar: Any) -> RuleState:
    """A rule “within N working days / N calendar days of an event”: each log entry with ``event:``
    is one obligation, met by its ``done:`` date on or before the limit."""
    rule = state.rule
    cal: Any = None
    if rule.kind is DeadlineKind.WORKDAYS:
        from ggk.deadlines.workdays import WorkCalendar

        n = rule.workdays or 0
        cal = calendar if calendar is not None else WorkCalendar()
        head = f"{n}个工作日内"
    else:
        n = rule.days or 0
        head = f"{n}日内"
    closed = item.status in (Status.DONE, Status.CANCELLED)
    events = [e for e in item.log if e.event is not None and e.event <= today]
    if not events:
        state.met, state.required = 0, 0
        state.detail = "已取消" if item.status is Status.CANCELLED else f"{head}：暂无事件"
        return state
    on_time = 0
    late: list[tuple[dt.date, int]] = []  # (limit, days late), done late or open past the limit
    open_late: list[int] = []  # days past the limit of the events still open: what makes the item overdue
    done_late: list[int] = []  # days late of the events published after their limit
    pending: list[dt.date] = []  # open, limit not yet passed
    open_limits: list[dt.date] = []
    years: set[int] = set()
    for e in sorted(events, key=lambda e: e.event or today):
        assert e.event is not None
        limit = cal.add_workdays(e.event, n) if cal is not None else e.event + dt.timedelta(days=n)
        years.update({e.event.year, limit.year})
        if e.done is not None and e.done <= today:
            if e.done > limit:
                late.append((limit, (e.done - limit).days))
                done_late.append((e.done - limit).days)
                state.missed.append(f"{e.event.isoformat()}（逾期{(e.done - limit).days}天完成）")
            else:
                on_time += 1
        elif today > limit:
            open_limits.append(limit)
            late.append((limit, (today - limit).days))
            open_late.append((today - limit).days)
            state.missed.append(f"{e.event.isoformat()}（逾期{(today - limit).days}天未完成）")
        else:
            open_limits.append(limit)
            pending.append(limit)
    for year in sorted(years) if cal is not None else ():
        state.warnings.extend(w for w in cal.check_year(year) if w not in state.warnings)
    state.met, state.required = on_time, len(events)
    # an event published late is a duty done late (``late_days``), not one still overdue
    if open_late and not closed:
        state.overdue_days = max(open_late)
    if done_late:
        state.late_days = max(done_late)
    if open_limits:
        state.due = min(open_limits)
    elif late:
        state.due = max(late, key=lambda x: x[1])[0]
    if pending and not closed:
        state.due_in = (min(pending) - today).days
    parts = []
    if open_late:
        parts.append(f"{len(open_late)}件逾期未办结")
    if done_late:
        parts.append(f"{len(done_late)}件逾期办结")
    if pending:
        parts.append(f"{len(pending)}件待办（{min(pending):%m-%d}前）")
    if on_time:
        parts.append(f"{on_time}件按时")
    state.detail = "已取消" if item.status is Status.CANCELLED else f"{head}：{'，'.join(parts)}"
    return state


def evaluate_rule(
    rule: Rule,
    item: Item,
    year: int,
    today: dt.date,
    calendar: Any = None,
    *,
    since: dt.date | None = None,
) -> RuleState:
    """One rule of ``item`` as of ``today``.

    ``calendar`` is a ``ggk.deadlines.workdays.WorkCalendar`` (default: the library only, no holiday
    files).  ``since`` (e.g. the plan's issue date) exempts periods that ended before it.
    Items 已取消 are never overdue; 已完成 items are not overdue.
    """
    state = RuleState(rule, due=rule.due)
    if rule.kind is DeadlineKind.ONCE and rule.due is not None:
        return _evaluate_once(state, item, today)
    if rule.kind in (DeadlineKind.RECURRING, DeadlineKind.COUNT):
        return _evaluate_periodic(state, item, year, today, since)
    if rule.kind is DeadlineKind.WORKDAYS or rule.kind is DeadlineKind.DAYS:
        return _evaluate_events(state, item, today, calendar)
    state.detail = "已取消" if item.status is Status.CANCELLED else "常态化"
    return state


def evaluate(item: Item, year: int, today: dt.date, calendar: Any = None, *, since: dt.date | None = None) -> Timing:
    """Evaluate every deadline rule of ``item`` (of a plan of ``year``) as of ``today``."""
    if calendar is None and any(d.workdays or "工作日" in (d.phrase or "") for d in item.deadline):
        from ggk.deadlines.workdays import WorkCalendar

        calendar = WorkCalendar()  # one per item, not one per rule
    states: list[RuleState] = []
    unresolved: list[str] = []
    deadlines: list[Deadline] | list[None] = item.deadline or [None]
    for deadline in deadlines:
        rule = resolve(deadline, year)
        if rule is None:
            unresolved.append(deadline.phrase or "" if deadline else "")
            continue
        states.append(evaluate_rule(rule, item, year, today, calendar, since=since))
    if not states:
        states.append(RuleState(Rule(DeadlineKind.NONE), detail="常态化"))
    return Timing(states, unresolved)
