"""Reporting cadence: which department reported which period, on time, late (迟报) or not at all (漏报).

A department owes a report for each complete reporting period of a plan (``ggk.deadlines.reporting``,
from the plan's 印发日期 on) in which it led or supported an item still being worked on
(``ggk.returns.forms.owes_report``).  It reported the period when a returned form for that period is
in the register (``ggk.ledger.register``: reported on the day it was received) or when a progress
entry that is its own word (``ggk.ledger.register.reporter``: recorded ``by`` it) is dated in the period
or before the period's report was due (reported that day).  Entries taken in from forms do not count a
second time: their date is the period's, the register's is the day the form came in.  An entry that
names no department (ggk's own carry-over entries, an office decision or a note without ``--by``) is
nobody's report.

Reported by the due date: 按时; after it: 迟报; not at all once the due date has passed: 漏报; not yet,
with the due date still to come: 待报.  Also the 催报 notice: the departments that have not reported a
period yet.  Pure functions of (workspace, register, today).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ggk.deadlines import reporting
from ggk.deadlines.reporting import ReportPeriod
from ggk.diagnostics import GgkError
from ggk.registry import Registry
from ggk.returns import json_data
from ggk.returns.forms import departments_of, owes_report, owing_departments
from ggk.workspace.load import PlanEntry, Workspace

if TYPE_CHECKING:  # the register is read only where a unit has one: its models are not built otherwise
    from ggk.ledger.register import Register

ON_TIME, LATE, MISSING, PENDING = "按时", "迟报", "漏报", "待报"
_EVERY = {"month": "每月", "quarter": "每季度", "half": "每半年"}


def _md(d: dt.date) -> str:
    return f"{d.month}月{d.day}日"


def _labels(states: Sequence[PeriodState]) -> str:
    """2026年第一季度、第二季度（截止…）: the year written once per run of the same year."""
    out, year = [], None
    for st in states:
        label = st.period.label
        y = st.period.start.year
        out.append(label if y != year else label[len(f"{y}年") :])
        year = y
    return "、".join(out)


@dataclass
class PeriodState:
    period: ReportPeriod
    state: str
    reported: dt.date | None = None

    @property
    def text(self) -> str:
        if self.state == LATE and self.reported:
            return f"迟报 {self.period.label}（{_md(self.reported)}报送，截止{_md(self.period.due)}）"
        if self.state == MISSING:
            return f"漏报 {self.period.label}（截止{_md(self.period.due)}）"
        return f"{self.state} {self.period.label}"

    def to_json(self) -> dict[str, Any]:
        return {
            "period": self.period.key,
            "label": self.period.label,
            "due": self.period.due.isoformat(),
            "state": self.state,
            "reported": self.reported.isoformat() if self.reported else None,
        }


@dataclass
class DeptCadence:
    unit: str
    unit_name: str
    dept: str
    plan: str = ""  # unit/year
    periods: list[PeriodState] = field(default_factory=list)

    @property
    def late(self) -> list[PeriodState]:
        return [p for p in self.periods if p.state == LATE]

    @property
    def missing(self) -> list[PeriodState]:
        return [p for p in self.periods if p.state == MISSING]

    def to_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "plan": self.plan,
            "dept": self.dept,
            "late": len(self.late),
            "missing": len(self.missing),
            "periods": [p.to_json() for p in self.periods],
        }


@dataclass
class Earlier:
    """The 迟报/漏报 of last year's plan before the periods still being collected (shown beside the
    current plan's: ``cadence(previous=True)``), counted in one line that points to ``--year``."""

    unit: str
    unit_name: str
    year: int
    late: int
    missing: int

    @property
    def line(self) -> str:
        return (
            f"上年度计划（{self.unit_name} {self.year}年）此前各期另有迟报 {self.late} 期次、漏报 {self.missing} 期次："
            f"ggk status --year {self.year} --unit {self.unit}"
        )

    def to_json(self) -> dict[str, Any]:
        return {"plan": f"{self.unit}/{self.year}", "late": self.late, "missing": self.missing}


@dataclass
class Cadence:
    """迟报/漏报 of every department of the plans reported on, as of a date."""

    as_of: dt.date
    settings: list[str]  # 每季度，期末后5个工作日内 (one per plan, deduplicated)
    depts: list[DeptCadence]
    #: registers that could not be read (their returns are not counted): file:line:col and the problem
    problems: list[str] = field(default_factory=list)
    #: last year's plans whose last periods are shown: what they had before, in one line each
    earlier: list[Earlier] = field(default_factory=list)

    @property
    def flagged(self) -> list[DeptCadence]:
        return [d for d in self.depts if d.late or d.missing]

    def lines(self) -> list[str]:
        """The block under ``ggk status``: one line per department that reported late or not at all; a
        plan for which nobody ever reported anything in one line."""
        notes = [f"  {e.line}" for e in self.earlier if e.late or e.missing] + [f"注意：{p}" for p in self.problems]
        if not self.flagged:
            return [n.strip() for n in notes]
        late, missing = sum(len(d.late) for d in self.depts), sum(len(d.missing) for d in self.depts)
        out = [f"报送情况（{'；'.join(self.settings)}）：迟报 {late} 期次，漏报 {missing} 期次"]
        plans: dict[str, list[DeptCadence]] = {}
        for d in self.depts:
            plans.setdefault(d.plan, []).append(d)
        many = len(plans) > 1
        for group in plans.values():
            if all(p.state == MISSING for d in group for p in d.periods):
                periods = list({p.period.key: p for d in group for p in d.periods}.values())
                who = f"{group[0].unit_name} {group[0].plan.rsplit('/', 1)[1]}年"
                out.append(f"  {who}：{len(group)} 个部门均未报送（{_labels(periods)}）")
                continue
            for d in group:
                if not (d.late or d.missing):
                    continue
                parts = []
                if d.missing:
                    parts.append(f"漏报 {_labels(d.missing)}")
                parts += [p.text for p in d.late]
                who = f"{d.unit_name} · {d.dept}" if many else d.dept
                out.append(f"  {who}：{'；'.join(parts)}")
        return out + notes

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "settings": self.settings,
            "late": sum(len(d.late) for d in self.depts),
            "missing": sum(len(d.missing) for d in self.depts),
            "departments": [d.to_json() for d in self.depts],
            "earlier": [e.to_json() for e in self.earlier],
            "problems": self.problems,
        }


def _register(entry: PlanEntry, today: dt.date) -> Register:
    from ggk.ledger.register import read_register, register_path

    return read_register(register_path(entry.path.parent), entry.plan.unit).as_of(today)


def reports_of(ws: Workspace, entry: PlanEntry, register: Register, today: dt.date) -> dict[str, list[tuple[dt.date, str | None]]]:
    """Every report a department made by ``today``: (day, period key of a returned form, or None for a
    progress entry), by department.  A progress entry entered later than its date (``recorded``) was
    reported on the day it was entered."""
    from ggk.ledger.register import reporter

    reg = Registry(ws.unit(entry.plan.unit))
    out: dict[str, list[tuple[dt.date, str | None]]] = {}
    for r in register.returns:
        out.setdefault(r.dept, []).append((r.received, r.period))
    for _loc, _chain, item in entry.plan.iter_items():
        for e in item.log:
            day = e.entered  # a 补记 reports on the day it was entered
            if day > today or e.source is not None:
                continue
            name = reporter(e, reg)
            if name is not None:
                out.setdefault(name, []).append((day, None))
    return out


def state_of(period: ReportPeriod, reports: list[tuple[dt.date, str | None]], today: dt.date) -> PeriodState:
    days = [d for d, key in reports if (key == period.key) or (key is None and period.start <= d <= period.due)]
    if days:
        first = min(days)
        return PeriodState(period, ON_TIME if first <= period.due else LATE, first)
    return PeriodState(period, MISSING if today > period.due else PENDING)


def plan_cadence(
    ws: Workspace, entry: PlanEntry, today: dt.date, calendar: Any = None, register: Register | None = None
) -> list[DeptCadence]:
    plan = entry.plan
    setting = reporting.setting(plan, ws.unit(plan.unit))
    ended = reporting.ended_by(plan.year, today, setting, calendar, since=plan.issued)
    register = register if register is not None else _register(entry, today)
    reports = reports_of(ws, entry, register, today)
    out: dict[str, DeptCadence] = {}
    unit_name = ws.unit_name(plan.unit)
    for p in ended:
        for dept in owing_departments(ws, entry, p):
            dc = out.setdefault(dept, DeptCadence(plan.unit, unit_name, dept, f"{plan.unit}/{plan.year}"))
            dc.periods.append(state_of(p, reports.get(dept, []), today))
    order = {n: i for i, n in enumerate(Registry(ws.unit(plan.unit)).canonical_names())}
    return sorted(out.values(), key=lambda d: (order.get(d.dept, len(order)), d.dept))


def setting_text(setting: Any) -> str:
    return f"{_EVERY[setting.every]}报送，期末后{setting.due}内"


def cadence(
    ws: Workspace,
    entries: Sequence[PlanEntry],
    today: dt.date,
    calendar: Any = None,
    depts: Sequence[str] = (),
    *,
    previous: bool = False,
) -> Cadence:
    """迟报/漏报 of the departments of ``entries`` (the plans a report shows; only ``depts`` when given,
    aliases accepted) as of ``today``.

    ``previous`` (``entries`` are the units' current plans, no year asked for): last year's plan is still
    being reported on early in the new year — its last period's report falls due in January.  Its periods
    due from the start of the current plan's reporting period on are shown with the current plan's, and
    what it had before them is counted in one line (``Earlier``) pointing to ``ggk status --year``."""
    result = Cadence(today, [], [])
    for entry in entries:
        result.depts += _plan_part(ws, entry, today, calendar, depts, result)
    if previous:
        for entry, due_from in last_years_collected(ws, entries, today, calendar):
            found = _plan_part(ws, entry, today, calendar, depts, result)
            before = [p for d in found for p in d.periods if p.period.due < due_from]
            for d in found:
                d.periods = [p for p in d.periods if p.period.due >= due_from]
            result.depts += [d for d in found if d.periods]
            late, missing = sum(p.state == LATE for p in before), sum(p.state == MISSING for p in before)
            result.earlier.append(Earlier(entry.plan.unit, ws.unit_name(entry.plan.unit), entry.plan.year, late, missing))
    return result


def last_years_collected(
    ws: Workspace, entries: Sequence[PlanEntry], today: dt.date, calendar: Any = None
) -> list[tuple[PlanEntry, dt.date]]:
    """Last year's plan of each unit of ``entries`` that is not among them and has a period whose report is
    due on or after the first day of the current plan's reporting period that holds ``today`` (its report
    still being collected, or missed within that period), with that first day."""
    shown = {id(e) for e in entries}
    out = []
    for current in entries:
        plan = current.plan
        start = reporting.period_of(today, reporting.setting(plan, ws.unit(plan.unit)), calendar).start
        for entry in ws.plans:
            last = entry.plan
            if id(entry) in shown or last.unit != plan.unit or last.year != plan.year - 1:
                continue
            setting = reporting.setting(last, ws.unit(last.unit))
            if any(p.due >= start for p in reporting.ended_by(last.year, today, setting, calendar, since=last.issued)):
                out.append((entry, start))
    return out


def _plan_part(ws: Workspace, entry: PlanEntry, today: dt.date, calendar: Any, depts: Sequence[str], into: Cadence) -> list[DeptCadence]:
    """The departments of one plan (only ``depts`` when given); its setting and a register that cannot be
    read are noted in ``into``."""
    if entry.plan.issued is not None and entry.plan.issued > today:
        return []
    text = setting_text(reporting.setting(entry.plan, ws.unit(entry.plan.unit)))
    if text not in into.settings:
        into.settings.append(text)
    try:
        register = _register(entry, today)
    except GgkError as exc:  # the ledger is still reported on; the returns in it are not counted
        from ggk.ledger.register import Register

        register = Register.model_construct(format=1, unit=entry.plan.unit, notices=[], returns=[])
        if exc.message not in into.problems:
            into.problems.append(exc.message)
    found = plan_cadence(ws, entry, today, calendar, register)
    if depts:
        reg = Registry(ws.unit(entry.plan.unit))
        wanted = set(departments_of(reg, [reg.canonical(d) or d for d in depts]))
        found = [d for d in found if d.dept in wanted]
    return found


# --------------------------------------------------------------------------- 催报


@dataclass
class RemindRow:
    no: int
    dept: str
    lead: int
    assist: int


@dataclass
class RemindReport:
    """催报通知: the departments that have not reported a period, asked to report by a date."""

    unit: str
    unit_name: str
    period: ReportPeriod
    as_of: dt.date
    reply_by: dt.date
    issuer: str
    rows: list[RemindRow]

    @property
    def title(self) -> str:
        return f"关于报送{self.period.label}政务公开工作要点落实进展的催报通知"

    @property
    def intro(self) -> str:
        from ggk.ledger.reports import cn_date

        due = cn_date(self.period.due)
        if not self.rows:
            return f"截至{cn_date(self.as_of)}，各部门均已报送{self.period.label}政务公开工作要点落实进展。"
        passed = "报送截止日期已过" if self.as_of > self.period.due else "报送截止日期临近"
        return (
            f"{self.period.label}政务公开工作要点落实进展应于{due}前报送，{passed}。截至{cn_date(self.as_of)}，"
            f"以下{len(self.rows)}个部门尚未报送："
        )

    @property
    def request(self) -> str:
        from ggk.ledger.reports import cn_date

        return f"请以上部门于{cn_date(self.reply_by)}前填写进展报送表（牵头和配合的各项任务），报送{self.issuer}。"

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, **json_data(self), "period": self.period.key, "due": self.period.due.isoformat()}


def remind(ws: Workspace, entry: PlanEntry, period: ReportPeriod, today: dt.date, calendar: Any = None) -> RemindReport:
    """The 催报 notice for ``period``: the departments that owe it and have not reported it by ``today``,
    asked to report by the period's due date (three working days on, once that has passed); the
    caller may change ``reply_by`` and ``issuer``."""
    plan = entry.plan
    reports = reports_of(ws, entry, _register(entry, today), today)
    reg = Registry(ws.unit(plan.unit))
    rows: list[RemindRow] = []
    for dept in owing_departments(ws, entry, period):
        if state_of(period, reports.get(dept, []), today).state in (ON_TIME, LATE):
            continue
        lead = assist = 0
        for _l, _c, item in plan.iter_items():
            if not owes_report(item, period):
                continue
            if dept in departments_of(reg, item.lead):
                lead += 1
            elif dept in departments_of(reg, item.assist):
                assist += 1
        rows.append(RemindRow(len(rows) + 1, dept, lead, assist))
    later = calendar.add_workdays(today, 3) if calendar is not None else today + dt.timedelta(days=5)
    unit_name = ws.unit_name(plan.unit)
    return RemindReport(plan.unit, unit_name, period, today, period.due if period.due >= today else later, f"{unit_name}办公室", rows)
