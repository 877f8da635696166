"""The ledger's queries: status, list, show and overdue as pure functions of (workspace, today).

Owns selecting plans and items (current plan per unit, filters by unit/year/department/status),
the traffic light of an item and of a group, item references (``gansu-jtt/2021/15`` and shorter
forms), and the report values the renderers print.  "Overdue" is always derived here from the
deadline rules, the status and the as-of date; it is never stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from ggk import deadlines
from ggk.diagnostics import GgkError
from ggk.model import Deadline, Item, LogEntry, Section, Status
from ggk.registry import Registry
from ggk.workspace.load import PlanEntry, Workspace

DEFAULT_SOON = 15
NO_LEAD = "（未指定牵头单位）"


class Light(str, Enum):
    RED = "red"  # overdue
    YELLOW = "yellow"  # due within the "soon" window
    GREEN = "green"  # on track, done, or standing work
    GREY = "grey"  # cancelled

    @property
    def label(self) -> str:
        return {"red": "红灯", "yellow": "黄灯", "green": "绿灯", "grey": "—"}[self.value]


def section_label(sec: Section) -> str:
    if not sec.no:
        return sec.title
    no = sec.no
    if no.startswith(("（", "(")) or no.isdigit():
        sep = "" if no.startswith(("（", "(")) else "."
        return f"{no}{sep}{sec.title}"
    return f"{no}、{sec.title}"


@dataclass
class Row:
    """One item of one plan, evaluated at the as-of date."""

    entry: PlanEntry
    unit_name: str
    loc: tuple[Any, ...]
    sections: list[Section]
    item: Item
    timing: deadlines.Timing
    light: Light
    #: ``unit/year/id``: made once, reports sort and print thousands of rows by it
    ref: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        plan = self.entry.plan
        self.ref = f"{plan.unit}/{plan.year}/{self.item.id}"

    @property
    def unit(self) -> str:
        return self.entry.plan.unit

    @property
    def year(self) -> int:
        return self.entry.plan.year

    @property
    def section(self) -> str:
        return section_label(self.sections[0]) if self.sections else ""

    @property
    def overdue_days(self) -> int | None:
        return self.timing.overdue_days

    @property
    def last_log(self) -> LogEntry | None:
        return max(self.item.log, key=lambda e: e.date) if self.item.log else None

    def to_json(self, *, full: bool = False) -> dict[str, Any]:
        item = self.item
        primary = self.timing.primary
        out: dict[str, Any] = {
            "ref": self.ref,
            "unit": self.unit,
            "unit_name": self.unit_name,
            "year": self.year,
            "id": item.id,
            "section": self.section,
            "title": item.title,
            "text": item.text,
            "lead": list(item.lead),
            "assist": list(item.assist),
            "deadline": self.timing.due.isoformat() if self.timing.due else None,
            "rule": primary.to_json(),
            "rules": [s.to_json() for s in self.timing.states],
            "status": item.status.value,
            "completed": item.completed.isoformat() if item.completed else None,
            "overdue_days": self.timing.overdue_days,
            "due_in_days": self.timing.due_in,
            "light": self.light.value,
            "summary": item.summary,
            "carried_from": item.carried_from,
            "carried_to": item.carried_to,
        }
        last = self.last_log
        out["last_progress"] = _log_json(last) if last else None
        if full:
            out["path"] = str(self.entry.path)
            out["reason"] = item.reason
            out["remark"] = item.remark
            out["log"] = [_log_json(e) for e in item.log]
            out["history"] = [
                {
                    "date": h.date.isoformat(),
                    "old": [_deadline_json(d) for d in h.old],
                    "new": [_deadline_json(d) for d in h.new],
                    "reason": h.reason,
                    "by": h.by,
                }
                for h in item.history
            ]
        return out


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def _deadline_json(d: Any) -> dict[str, Any]:
    """``d.model_dump(mode="json", exclude_none=True)`` of a Deadline."""
    return {name: _json_value(v) for name in Deadline.model_fields if (v := getattr(d, name)) is not None}


def _log_json(e: LogEntry) -> dict[str, Any]:
    """``e.model_dump(mode="json", exclude_defaults=True)`` of a LogEntry, always with its date."""
    out = {}
    for name, info in LogEntry.model_fields.items():
        value = getattr(e, name)
        if name == "date" or value != info.default:
            out[name] = _json_value(value)
    return out


def light_of(item: Item, timing: deadlines.Timing, soon: int) -> Light:
    if item.status is Status.CANCELLED:
        return Light.GREY
    if timing.overdue_days is not None:
        return Light.RED
    if timing.due_in is not None and timing.due_in <= soon and item.status is not Status.DONE:
        return Light.YELLOW
    return Light.GREEN


def group_light(lights: Iterable[Light]) -> Light:
    seen = set(lights)
    for light in (Light.RED, Light.YELLOW, Light.GREEN):
        if light in seen:
            return light
    return Light.GREY if seen else Light.GREEN


# --------------------------------------------------------------------------- selection


@dataclass
class Filters:
    units: Sequence[str] = ()
    years: Sequence[int] = ()
    depts: Sequence[str] = ()
    statuses: Sequence[Status] = ()
    all_years: bool = False
    overdue: bool = False
    due_within: int | None = None


def current_plans(ws: Workspace, today: dt.date) -> list[PlanEntry]:
    """Each unit's current plan: the latest year not after the as-of date.

    A unit whose plans all lie after the as-of date has no current plan (use --year or --all-years).
    """
    top: dict[str, int] = {}
    for entry in ws.plans:
        if entry.plan.year <= today.year and entry.plan.year > top.get(entry.plan.unit, -1):
            top[entry.plan.unit] = entry.plan.year
    return [e for e in ws.plans if top.get(e.plan.unit) == e.plan.year]


def select_plans(ws: Workspace, today: dt.date, f: Filters) -> list[PlanEntry]:
    if f.units:
        known = {e.plan.unit for e in ws.plans} | set(ws.units)
        for u in f.units:
            if u not in known:
                raise GgkError(f"没有单位「{u}」", f"已有的单位：{'、'.join(sorted(known)) or '（无）'}")
    plans = ws.plans if (f.all_years or f.years) else current_plans(ws, today)
    return [e for e in plans if (not f.units or e.plan.unit in f.units) and (not f.years or e.plan.year in f.years)]


def _evaluated(entry: PlanEntry, today: dt.date, calendar: Any) -> Iterator[tuple[tuple[Any, ...], list[Section], Item, deadlines.Timing]]:
    """Every item of the plan with its timing at ``today``: (position, sections, item, timing)."""
    plan = entry.plan
    for loc, chain, item in plan.iter_items():
        yield loc, chain, item, deadlines.evaluate(item, plan.year, today, calendar, since=plan.issued)


def evaluate_entry(ws: Workspace, entry: PlanEntry, today: dt.date, soon: int = DEFAULT_SOON, calendar: Any = None) -> list[Row]:
    unit_name = ws.unit_name(entry.plan.unit)
    return [
        Row(entry, unit_name, loc, chain, item, timing, light_of(item, timing, soon))
        for loc, chain, item, timing in _evaluated(entry, today, calendar)
    ]


def _dept_matcher(ws: Workspace, depts: Sequence[str]) -> Any:
    if not depts:
        return None
    registries = {slug: Registry(entry.unit) for slug, entry in ws.units.items()}
    for name in depts:
        if not any(reg.resolve(name) for reg in registries.values()):
            near: list[str] = []
            for reg in registries.values():
                near.extend(n for n in reg.suggest(name) if n not in near)
            hint = f"是不是「{'」「'.join(near[:3])}」？" if near else None
            raise GgkError(f"没有登记名为「{name}」的部门", hint)

    def match(row: Row) -> bool:
        reg = registries.get(row.unit) or Registry(None)
        return any(reg.covers(assigned, d) for d in depts for assigned in (*row.item.lead, *row.item.assist))

    return match


def select(ws: Workspace, today: dt.date, f: Filters = Filters(), *, soon: int = DEFAULT_SOON, calendar: Any = None) -> list[Row]:
    """The rows of the selected plans that pass the filters, in plan order."""
    match_dept = _dept_matcher(ws, f.depts)
    statuses, overdue, within = f.statuses, f.overdue, f.due_within
    by_date = overdue or within is not None
    closed = (Status.DONE, Status.CANCELLED)
    rows: list[Row] = []
    # A row is made only for an item that passes the filters: an overdue report over a province's
    # plans evaluates thousands of items and shows a fraction of them.
    for entry in select_plans(ws, today, f):
        unit_name = ws.unit_name(entry.plan.unit)
        for loc, chain, item, timing in _evaluated(entry, today, calendar):
            if statuses and item.status not in statuses:
                continue
            if by_date:
                late = overdue and timing.overdue_days is not None
                if not late:
                    due_in = timing.due_in
                    if within is None or due_in is None or due_in > within or item.status in closed:
                        continue
            row = Row(entry, unit_name, loc, chain, item, timing, light_of(item, timing, soon))
            if match_dept and not match_dept(row):
                continue
            rows.append(row)
    return rows


# --------------------------------------------------------------------------- references


def resolve_ref(ws: Workspace, ref: str, today: dt.date, calendar: Any = None) -> Row:
    """The item a reference names: ``unit/year/id``, ``unit/id``, ``year/id`` or ``id``."""
    parts = [p for p in ref.strip().strip("/").split("/") if p]
    if not parts or len(parts) > 3:
        raise GgkError(f"条目引用「{ref}」格式不对", "写作 单位/年度/编号，如 gansu-jtt/2021/15")
    unit = year = None
    item_id = parts[-1]
    if len(parts) == 3:
        unit, year = parts[0], parts[1]
    elif len(parts) == 2:
        if parts[0].isdigit() and len(parts[0]) == 4:
            year = parts[0]
        else:
            unit = parts[0]
    candidates: list[PlanEntry]
    if year is not None:
        if not year.isdigit():
            raise GgkError(f"条目引用「{ref}」中的年度「{year}」不是数字", "写作 单位/年度/编号，如 gansu-jtt/2021/15")
        candidates = [e for e in ws.plans if e.plan.year == int(year) and (unit is None or e.plan.unit == unit)]
    else:
        pool = [e for e in ws.plans if unit is None or e.plan.unit == unit]
        candidates = current_plans(Workspace(ws.roots, ws.units, pool), today)
    matches = [(e, loc, chain, item) for e in candidates for loc, chain, item in e.plan.iter_items() if item.id == item_id]
    if not matches:
        _unreadable_plan(ws, unit, year)
        where = "、".join(f"{e.plan.unit}/{e.plan.year}" for e in candidates) or "（没有符合的计划）"
        raise GgkError(f"找不到条目「{ref}」", f"在 {where} 中没有编号为 {item_id} 的条目；用 ggk list 查看编号")
    if len(matches) > 1:
        options = "、".join(f"{e.plan.unit}/{e.plan.year}/{item.id}" for e, _l, _c, item in matches[:6])
        raise GgkError(f"条目引用「{ref}」不唯一", f"请写完整：{options}")
    entry, loc, chain, item = matches[0]
    timing = deadlines.evaluate(item, entry.plan.year, today, calendar, since=entry.plan.issued)
    return Row(entry, ws.unit_name(entry.plan.unit), loc, chain, item, timing, light_of(item, timing, DEFAULT_SOON))


def _unreadable_plan(ws: Workspace, unit: str | None, year: str | None) -> None:
    """Say so when the plan a reference points at is a file that could not be read at all."""
    for path in ws.skipped:
        if (unit is None or path.parent.name == unit) and (year is None or path.stem == year):
            first = next((d for d in ws.diagnostics if d.path == str(path) and d.fatal), None)
            detail = f"{path}:{first.line}:{first.col}: {first.message}" if first else str(path)
            raise GgkError(f"计划文件无法读取，不能查找或修改其中的条目：{detail}", f"先改正该文件（ggk check {path}）")


# --------------------------------------------------------------------------- reports


@dataclass
class Tally:
    """Counts for one group of items (a unit, a plan, a section or a department)."""

    key: str
    label: str
    unit: str = ""
    total: int = 0
    by_status: dict[Status, int] = field(default_factory=lambda: {s: 0 for s in Status})
    overdue: int = 0
    due_soon: int = 0
    lead: int = 0
    assist: int = 0
    lights: list[Light] = field(default_factory=list)

    def add(self, row: Row) -> None:
        self.total += 1
        self.by_status[row.item.status] += 1
        if row.light is Light.RED:
            self.overdue += 1
        elif row.light is Light.YELLOW:
            self.due_soon += 1
        self.lights.append(row.light)

    @property
    def done(self) -> int:
        return self.by_status[Status.DONE]

    @property
    def active(self) -> int:
        return self.total - self.by_status[Status.CANCELLED]

    @property
    def percent(self) -> float:
        return 100.0 * self.done / self.active if self.active else 0.0

    @property
    def light(self) -> Light:
        return group_light(self.lights)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "unit": self.unit,
            "total": self.total,
            "status": {s.value: n for s, n in self.by_status.items()},
            "done_percent": round(self.percent, 1),
            "overdue": self.overdue,
            "due_soon": self.due_soon,
            "lead": self.lead,
            "assist": self.assist,
            "light": self.light.value,
        }


@dataclass
class StatusReport:
    as_of: dt.date
    by: str
    soon: int
    groups: list[Tally]
    total: Tally
    plans: list[str]
    problems: int = 0
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


BY_CHOICES = ("unit", "plan", "section", "dept")


def status_report(ws: Workspace, rows: list[Row], today: dt.date, by: str = "plan", soon: int = DEFAULT_SOON) -> StatusReport:
    if by not in BY_CHOICES:
        raise GgkError(f"不支持的分组「{by}」", f"可用：{'、'.join(BY_CHOICES)}")
    groups: dict[str, Tally] = {}
    total = Tally("total", "合计")
    multi_unit = len({r.unit for r in rows}) > 1

    def get(key: str, label: str, unit: str) -> Tally:
        if key not in groups:
            groups[key] = Tally(key, label, unit)
        return groups[key]

    for row in rows:
        total.add(row)
        if by == "unit":
            get(row.unit, row.unit_name, row.unit).add(row)
        elif by == "plan":
            get(f"{row.unit}/{row.year}", f"{row.unit_name} {row.year}年", row.unit).add(row)
        elif by == "section":
            prefix = f"{row.unit_name} {row.year}年 · " if multi_unit or len({r.year for r in rows}) > 1 else ""
            get(f"{row.unit}/{row.year}/{row.section}", prefix + row.section, row.unit).add(row)
        else:
            reg = Registry(ws.unit(row.unit))
            for role in ("lead", "assist"):
                names = getattr(row.item, role) or ([NO_LEAD] if role == "lead" else [])
                for name in dict.fromkeys(reg.canonical(n) or n for n in names):
                    label = f"{row.unit_name} · {name}" if multi_unit else name
                    tally = get(f"{row.unit}/{name}", label, row.unit)
                    tally.add(row)
                    if role == "lead":
                        tally.lead += 1
                    else:
                        tally.assist += 1
    ordered = list(groups.values())
    if by == "dept":
        ordered.sort(key=lambda t: (-t.overdue, -(t.lead + t.assist), t.label))
    plans = sorted({f"{r.unit}/{r.year}" for r in rows})
    return StatusReport(today, by, soon, ordered, total, plans)


@dataclass
class ItemsReport:
    """Rows for ``list`` and ``overdue``; ``grouped`` groups them by lead department."""

    as_of: dt.date
    title: str
    rows: list[Row]
    grouped: bool = False
    within: int | None = None
    problems: int = 0
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def groups(self) -> list[tuple[str, list[Row]]]:
        """Rows by lead department (a row under each of its leads), the group with the most days
        overdue first, then by name."""
        out: dict[str, list[Row]] = {}
        most: dict[str, int] = {}
        for row in self.rows:
            days = row.timing.overdue_days or 0
            for lead in row.item.lead or (NO_LEAD,):
                group = out.get(lead)
                if group is None:
                    out[lead] = [row]
                    most[lead] = days
                else:
                    group.append(row)
                    if days > most[lead]:
                        most[lead] = days
        return sorted(out.items(), key=lambda kv: (-most[kv[0]], kv[0]))


def overdue_rows(rows: list[Row]) -> list[Row]:
    """Most days overdue first; then the nearest due."""
    return sorted(rows, key=_urgency)


def _urgency(r: Row) -> tuple[int, int, str]:
    t = r.timing
    return (-(t.overdue_days or -1), t.due_in if t.due_in is not None else 10**6, r.ref)


@dataclass
class ItemDetail:
    as_of: dt.date
    row: Row
    problems: int = 0
    warnings: list[str] = field(default_factory=list)
