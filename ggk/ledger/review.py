"""The year-end 回头看: each item of a year's plan sorted into what became of it.

Owns the classification of items as of a date (按期完成 / 逾期完成 / 未完成 / 未到期 / 已取消 /
常态化), the periods and counts met and missed by recurring and counted duties, the counts per
section and per lead department, and the 整改清单 (rectification list).  Pure functions of
(workspace, year, today): the rules are evaluated by ``ggk.deadlines`` through ``ggk.ledger.queries``; nothing
here reads the clock or writes files (carrying items over is ``ggk.ledger.carryover``).

Item （十五） of the 2021 Gansu plan asks to "重点核查有明确责任主体和时限要求的工作任务": an item
with a lead department and a deadline that is not standing work is a *key* item; key items come
first in every list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from ggk.deadlines import RuleState
from ggk.diagnostics import GgkError
from ggk.ledger.queries import DEFAULT_SOON, DUTY_KINDS, NO_LEAD, Row, completion_rate, evaluate_entry, is_complete
from ggk.ledger.standing import Idle
from ggk.model import DeadlineKind, LogEntry, Status
from ggk.registry import Registry
from ggk.workspace.load import PlanEntry, Workspace


class Outcome(str, Enum):
    """What became of an item, as of the review date.  The value is the Chinese label."""

    ON_TIME = "按期完成"
    LATE = "逾期完成"
    UNFINISHED = "未完成"
    NOT_DUE = "未到期"  # not done, but no deadline has passed yet (review before the year is out)
    CANCELLED = "已取消"
    STANDING = "常态化"

    @property
    def label(self) -> str:
        return self.value


#: The order of the columns in every table of the review.
OUTCOMES: tuple[Outcome, ...] = tuple(Outcome)

_PERIOD_CN = {"week": "周", "month": "月", "quarter": "季度", "half": "半年", "year": "年"}


_EVENT_KINDS = (DeadlineKind.WORKDAYS.value, DeadlineKind.DAYS.value)


@dataclass
class Duty:
    """One recurring / counted / working-day / calendar-day rule of an item: its obligations as of the
    review date, each in exactly one bucket — met (on time), missed or done late (``missed_count``), or
    not yet due (``pending``: a yearly count before the year is over, on its last day too; an event
    still within its time limit).  ``required`` = ``min(met, required)`` + ``missed_count`` + ``pending``."""

    phrase: str
    kind: str
    met: int
    required: int
    missed: list[str]  # the periods or events missed or done late, as labels
    detail: str
    pending: int = 0
    #: days until the nearest obligation not yet due (0: due on the review date); None when there is none
    due_in: int | None = None

    @classmethod
    def of(cls, state: RuleState) -> Duty:
        rule = state.rule
        phrase = rule.phrase or _rule_words(state)
        met, required = state.met or 0, state.required or 0
        unmet = max(required - min(met, required), 0)
        if rule.kind.value in _EVENT_KINDS:  # one label per event missed or done late; the others are within their limit
            missed = len(state.missed)
        else:  # periods: one label per period missed; a yearly count: its one label once the year is over
            missed = unmet if state.missed else 0
        pending = unmet - missed
        due_in = state.due_in if pending else None
        return cls(phrase, rule.kind.value, met, required, list(state.missed), state.detail, pending, due_in)

    @property
    def missed_count(self) -> int:
        """Obligations missed or done late (a yearly count short by 2 after the year: 2)."""
        return self.required - min(self.met, self.required) - self.pending

    @property
    def open_text(self) -> str:
        """尚差1次，今日到期 / 2件未到时限: the obligations not yet due, for the tables ("" when none)."""
        if not self.pending:
            return ""
        if self.kind in _EVENT_KINDS:
            return f"{self.pending}件未到时限"
        when = "今日到期" if self.due_in == 0 else (f"{self.due_in}天后到期" if self.due_in is not None else "未到期")
        unit = "次" if self.kind == DeadlineKind.COUNT.value else "期"
        return f"尚差{self.pending}{unit}，{when}"

    def to_json(self) -> dict[str, Any]:
        return {
            "phrase": self.phrase,
            "kind": self.kind,
            "met": self.met,
            "required": self.required,
            "missed": list(self.missed),
            "missed_count": self.missed_count,
            "pending": self.pending,
            "detail": self.detail,
        }


def _rule_words(state: RuleState) -> str:
    r = state.rule
    if r.kind is DeadlineKind.RECURRING:
        return f"每{_PERIOD_CN.get(r.every or '', r.every or '')}"
    if r.kind is DeadlineKind.COUNT:
        return f"每{_PERIOD_CN.get(r.per or 'year', r.per or '')}不少于{r.count}次"
    if r.kind is DeadlineKind.WORKDAYS:
        return f"{r.after or '事件'}后{r.workdays}个工作日内"
    if r.kind is DeadlineKind.DAYS:
        return f"{r.after or '事件'}后{r.days}日内"
    return ""


@dataclass
class ReviewItem:
    """One item of the reviewed plan and what became of it."""

    row: Row
    outcome: Outcome
    key: bool
    #: 逾期完成: days the completion came after the deadline; 未完成: days overdue as of the review date
    late_days: int | None = None
    #: 未到期: days until the nearest deadline
    due_in: int | None = None
    duties: list[Duty] = field(default_factory=list)
    #: any progress entry dated on or before the review date
    progress: bool = False
    #: the lead departments by their registered names (aliases folded)
    canonical_leads: list[str] = field(default_factory=list)

    @property
    def idle(self) -> Idle | None:
        """Open standing work without progress in the owed reporting periods (``ggk.ledger.standing``)."""
        return self.row.idle

    @property
    def to_rectify(self) -> bool:
        """On the 整改清单: unfinished, or standing work without any progress in the whole plan year
        (reviewed on its last day or later: "全年无进展")."""
        idle = self.idle
        return self.outcome is Outcome.UNFINISHED or (idle is not None and idle.year_idle and idle.year_over)

    @property
    def situation(self) -> str:
        """逾期N天 / 全年无进展: why it is on the 整改清单."""
        if self.outcome is Outcome.UNFINISHED:
            return f"逾期{self.late_days}天"
        return self.idle.text if self.idle is not None else ""

    @property
    def item(self) -> Any:
        return self.row.item

    @property
    def leads(self) -> list[str]:
        return self.canonical_leads or list(self.row.item.lead) or [NO_LEAD]

    @property
    def last_log(self) -> LogEntry | None:
        return self.row.last_log

    @property
    def deadline_text(self) -> str:
        return deadline_text(self.row)

    def to_json(self) -> dict[str, Any]:
        last = self.last_log
        return {
            "ref": self.row.ref,
            "id": self.item.id,
            "title": self.item.title,
            "section": self.row.section,
            "lead": list(self.item.lead),
            "assist": list(self.item.assist),
            "deadline": self.deadline_text,
            "due": self.row.timing.due.isoformat() if self.row.timing.due else None,
            "status": self.item.status.value,
            "completed": self.item.completed.isoformat() if self.item.completed else None,
            "outcome": self.outcome.value,
            "key": self.key,
            "late_days": self.late_days,
            "due_in_days": self.due_in,
            "progress": self.progress,
            "duties": [d.to_json() for d in self.duties],
            "last_progress": ({"date": last.date.isoformat(), "by": last.by, "note": last.note} if last else None),
            "idle": self.idle.to_json() if self.idle else None,
            "carried_to": self.item.carried_to,
        }


def deadline_text(row: Row) -> str:
    """The deadline as the clerk wrote it: the phrases, or the date, or 常态化."""
    if row.timing.standing and not row.item.deadline:
        return "常态化"
    parts = []
    for d in row.item.deadline:
        if d.phrase:
            parts.append(d.phrase)
        elif d.due:
            parts.append(f"{d.due.year}年{d.due.month}月{d.due.day}日前")
    return "；".join(dict.fromkeys(parts)) or "常态化"


def classify(row: Row, today: dt.date) -> ReviewItem:
    """Sort one evaluated row into an outcome.

    - 已取消 / 已完成 come from the status; a completion after a dated deadline is 逾期完成;
    - standing work (no deadline, or 常态化) is 常态化, with whether any progress is logged;
    - otherwise an item with a deadline past (a date, a missed period or count, a working-day
      limit exceeded — the ledger's red light) is 未完成;
    - an item complete by ``ggk.ledger.queries.is_complete`` (a duty met in every period once the plan
      year is over: a quarterly duty is seldom marked 已完成) is 按期完成 — the same items the 完成率
      of ``ggk status`` counts; a working-day duty whose event never came (no 行政决定 logged for
      "决定之日起7个工作日内") proved nothing either way: it is reviewed as standing work;
      anything else has no deadline passed yet: 未到期.
    """
    item, timing = row.item, row.timing
    duties = [Duty.of(s) for s in timing.states if s.rule.kind in DUTY_KINDS]
    progress = any(e.date <= today for e in item.log)
    key = bool(item.lead) and not timing.standing
    out = ReviewItem(row, Outcome.NOT_DUE, key, duties=duties, progress=progress)
    if item.status is Status.CANCELLED:
        out.outcome = Outcome.CANCELLED
    elif item.status is Status.DONE:
        late = [s.late_days for s in timing.states if s.late_days]
        if late:
            out.outcome, out.late_days = Outcome.LATE, max(late)
        else:
            out.outcome = Outcome.ON_TIME
    elif timing.standing:
        out.outcome = Outcome.STANDING
    elif timing.overdue_days is not None:
        out.outcome, out.late_days = Outcome.UNFINISHED, timing.overdue_days
    elif is_complete(item, timing, row.year, today):
        late = [s.late_days for s in timing.states if s.late_days]  # an event published after its limit
        if late:
            out.outcome, out.late_days = Outcome.LATE, max(late)
        else:
            out.outcome = Outcome.ON_TIME
    elif timing.due_in is None and today >= dt.date(row.year, 12, 31):
        out.outcome = Outcome.STANDING
    else:
        out.due_in = timing.due_in
    return out


# --------------------------------------------------------------------------- groups


@dataclass
class Group:
    """Counts per outcome for one section or one lead department."""

    label: str
    counts: dict[Outcome, int] = field(default_factory=lambda: {o: 0 for o in Outcome})
    key: int = 0

    def add(self, ri: ReviewItem) -> None:
        self.counts[ri.outcome] += 1
        self.key += ri.key

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def done(self) -> int:
        return self.counts[Outcome.ON_TIME] + self.counts[Outcome.LATE]

    @property
    def active(self) -> int:
        """Items not cancelled: what the 完成率 is counted of (as ``ggk status`` counts it)."""
        return self.total - self.counts[Outcome.CANCELLED]

    @property
    def percent(self) -> float:
        """完成率: 按期完成 and 逾期完成 (``is_complete``) of the items not cancelled."""
        return completion_rate(self.done, self.active)

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "total": self.total,
            "key": self.key,
            "outcomes": {o.value: n for o, n in self.counts.items()},
            "done_percent": round(self.percent, 1),
        }


@dataclass
class PlanReview:
    """The 回头看 of one unit's plan for one year."""

    unit: str
    unit_name: str
    year: int
    title: str
    items: list[ReviewItem]  # key items first, then the others, each in plan order
    sections: list[Group]
    depts: list[Group]
    total: Group
    #: 督办 in the plan's year, from the register (``ggk.ledger.register.RegisterCounts``); None when none was issued
    supervision: Any = None

    @property
    def rectification(self) -> list[ReviewItem]:
        """整改清单: the unfinished items (key items first, most days late first), then the standing work
        without any progress in the year."""
        rows = [ri for ri in self.items if ri.to_rectify]
        return sorted(rows, key=lambda ri: (ri.outcome is not Outcome.UNFINISHED, not ri.key, -(ri.late_days or 0)))

    @property
    def duties(self) -> list[ReviewItem]:
        return [ri for ri in self.items if ri.duties and ri.outcome is not Outcome.CANCELLED]

    @property
    def standing_without_progress(self) -> list[ReviewItem]:
        return [ri for ri in self.items if ri.outcome is Outcome.STANDING and not ri.progress]

    @property
    def key_count(self) -> int:
        return sum(ri.key for ri in self.items)

    def duty_totals(self) -> tuple[int, int, int, int]:
        """Obligations of the duties (periods, counts, events): required, met, missed (or done late),
        not yet due — the last three add up to the first."""
        duties = [d for ri in self.duties for d in ri.duties]
        req = sum(d.required for d in duties)
        met = sum(min(d.met, d.required) for d in duties)
        return req, met, sum(d.missed_count for d in duties), sum(d.pending for d in duties)

    def to_json(self) -> dict[str, Any]:
        req, met, missed, pending = self.duty_totals()
        return {
            "unit": self.unit,
            "unit_name": self.unit_name,
            "year": self.year,
            "title": self.title,
            "total": self.total.to_json(),
            "key_items": self.key_count,
            "standing_without_progress": [ri.row.ref for ri in self.standing_without_progress],
            "duties": {"required": req, "met": met, "missed": missed, "pending": pending},
            "sections": [g.to_json() for g in self.sections],
            "departments": [g.to_json() for g in self.depts],
            "rectification": [ri.to_json() for ri in self.rectification],
            "items": [ri.to_json() for ri in self.items],
            "supervision": self.supervision.to_json() if self.supervision is not None else None,
        }


@dataclass
class ReviewReport:
    year: int
    as_of: dt.date
    plans: list[PlanReview]
    problems: int = 0
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "as_of": self.as_of.isoformat(),
            "plans": [p.to_json() for p in self.plans],
            "problems": self.problems,
            "skipped": self.skipped,
            "warnings": self.warnings,
        }


def review_plan(ws: Workspace, entry: PlanEntry, today: dt.date, calendar: Any = None) -> PlanReview:
    rows = evaluate_entry(ws, entry, today, DEFAULT_SOON, calendar)
    reviewed = [classify(r, today) for r in rows]
    ordered = [ri for ri in reviewed if ri.key] + [ri for ri in reviewed if not ri.key]
    reg = Registry(ws.unit(entry.plan.unit))
    sections: dict[str, Group] = {}
    depts: dict[str, Group] = {}
    total = Group("合计")
    for ri in reviewed:
        ri.canonical_leads = list(dict.fromkeys(reg.canonical(n) or n for n in ri.row.item.lead))
        total.add(ri)
        label = ri.row.section or "（未分部分）"
        sections.setdefault(label, Group(label)).add(ri)
        for name in ri.leads:
            depts.setdefault(name, Group(name)).add(ri)
    # Departments in the registry's order, unregistered names after them: the order the office knows.
    order = {name: i for i, name in enumerate(reg.canonical_names())}
    dept_list = sorted(depts.values(), key=lambda g: (order.get(g.label, len(order)), g.label))
    return PlanReview(
        entry.plan.unit,
        ws.unit_name(entry.plan.unit),
        entry.plan.year,
        entry.plan.title,
        ordered,
        list(sections.values()),
        dept_list,
        total,
    )


def plans_of_year(ws: Workspace, year: int, units: Sequence[str] = ()) -> list[PlanEntry]:
    """The plans of ``year`` (of ``units`` if given), or a GgkError saying what exists."""
    known = {e.plan.unit for e in ws.plans} | set(ws.units)
    for u in units:
        if u not in known:
            raise GgkError(f"没有单位「{u}」", f"已有的单位：{'、'.join(sorted(known)) or '（无）'}")
    found = [e for e in ws.plans if e.plan.year == year and (not units or e.plan.unit in units)]
    pending = [e for e in ws.unissued if e.plan.year == year and (not units or e.plan.unit in units)]
    if not found and pending:
        from ggk.ledger.queries import in_force_note

        raise GgkError(f"{in_force_note(ws, pending[0])}，没有可核查或报告的内容", "用 --as-of 指定印发之后的日期")
    if not found:
        unreadable = [(p, ds) for p, ds in ws.left_out() if Path(p).stem == str(year) and (not units or Path(p).parent.name in units)]
        if unreadable:  # the plan is there: saying it is not would send the clerk looking for it
            path, diags = unreadable[0]
            first = f"{diags[0].path}:{diags[0].line or 1}:{diags[0].col or 1}: {diags[0].message}" if diags else "无法读取"
            raise GgkError(f"{year} 年度的计划 {path} 存在，但无法读取：{first}", "先改正该文件（ggk check 列出全部问题）", exit_code=1)
        have = sorted({f"{e.plan.unit}/{e.plan.year}" for e in ws.plans if not units or e.plan.unit in units})
        raise GgkError(
            f"没有 {year} 年度的计划" + (f"（单位 {'、'.join(units)}）" if units else ""), f"已有的计划：{'、'.join(have) or '（无）'}"
        )
    return sorted(found, key=lambda e: e.plan.unit)


def review(ws: Workspace, year: int, today: dt.date, units: Sequence[str] = (), calendar: Any = None) -> ReviewReport:
    """The 回头看 of every plan of ``year`` (of ``units`` if given) as of ``today``."""
    plans = [review_plan(ws, e, today, calendar) for e in plans_of_year(ws, year, units)]
    return ReviewReport(year, today, plans)
