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
from ggk.ledger.standing import Idle, StandingRule
from ggk.model import DeadlineKind, Item, LogEntry, Section, Status
from ggk.registry import Registry
from ggk.workspace.load import PlanEntry, Workspace

DEFAULT_SOON = 15
NO_LEAD = "（未指定牵头单位）"


class Light(str, Enum):
    RED = "red"  # overdue, or standing work without progress for two reporting periods
    YELLOW = "yellow"  # due within the "soon" window, or standing work without progress last period
    GREEN = "green"  # on track, done, or standing work reported
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
    #: open standing work without progress in the owed reporting periods (``ggk.ledger.standing``)
    idle: Idle | None = None
    #: the as-of date the row was evaluated at
    today: dt.date = dt.date.min
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
            "idle": self.idle.to_json() if self.idle else None,
            "complete": is_complete(item, self.timing, self.year, self.today),
            "summary": item.summary,
            "carried_from": item.carried_from,
            "carried_to": item.carried_to,
        }
        last = self.last_log
        out["last_progress"] = last.model_dump(mode="json", exclude_defaults=True) if last else None
        if full:
            out["path"] = str(self.entry.path)
            out["reason"] = item.reason
            out["remark"] = item.remark
            out["contact"] = item.contact.model_dump(mode="json", exclude_none=True) if item.contact else None
            out["summary_date"] = item.summary_date.isoformat() if item.summary_date else None
            if item.deadline_set:
                out["deadline_set"] = item.deadline_set.isoformat()
            out["log"] = [e.model_dump(mode="json", exclude_defaults=True) for e in item.log]
            out["history"] = [
                {
                    "date": h.date.isoformat(),
                    "old": [d.model_dump(mode="json", exclude_none=True) for d in h.old],
                    "new": [d.model_dump(mode="json", exclude_none=True) for d in h.new],
                    "reason": h.reason,
                    "by": h.by,
                }
                for h in item.history
            ]
        return out


def light_of(item: Item, timing: deadlines.Timing, soon: int, idle: Idle | None = None) -> Light:
    """The item's light: grey when cancelled; red when overdue, yellow when due within ``soon`` days;
    for open standing work, yellow or red after one or two reporting periods without progress (``idle``)."""
    if item.status is Status.CANCELLED:
        return Light.GREY
    if timing.overdue_days is not None:
        return Light.RED
    if timing.due_in is not None and timing.due_in <= soon and item.status is not Status.DONE:
        return Light.YELLOW
    if idle is not None:
        return Light.RED if idle.red else Light.YELLOW
    return Light.GREEN


#: the rules a duty is judged by its periods, counts or events (not by one date): periods, counts, and
#: events within working days or calendar days
DUTY_KINDS = (DeadlineKind.RECURRING, DeadlineKind.COUNT, DeadlineKind.WORKDAYS, DeadlineKind.DAYS)


def is_complete(item: Item, timing: deadlines.Timing, year: int, today: dt.date) -> bool:
    """Whether the item counts as done for the 完成率 (one definition for ``status``, the 回头看 and the
    台账; README "完成率"): 已完成 on ``today``; or, from the last day of the plan year, a periodic, counted
    or working-day duty met in every period (such duties are seldom marked 已完成)."""
    if item.status is Status.DONE:
        return True
    if item.status is Status.CANCELLED or timing.standing or today < dt.date(year, 12, 31):
        return False
    if timing.overdue_days is not None or timing.due_in is not None:
        return False
    return any(s.required for s in timing.states if s.rule.kind in DUTY_KINDS)


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


class _Rows:
    """Makes the rows of one report: the light of each item, with the standing-work rule of its plan
    (made once per plan, and only for a plan with open standing work)."""

    def __init__(self, ws: Workspace, today: dt.date, soon: int, calendar: Any) -> None:
        self.ws, self.today, self.soon, self.calendar = ws, today, soon, calendar
        self.rules: dict[int, StandingRule] = {}

    def row(
        self, entry: PlanEntry, unit_name: str, loc: tuple[Any, ...], chain: list[Section], item: Item, timing: deadlines.Timing
    ) -> Row:
        idle = None
        if timing.standing and item.status is not Status.DONE and item.status is not Status.CANCELLED:
            rule = self.rules.get(id(entry))
            if rule is None:
                rule = self.rules[id(entry)] = StandingRule(entry.plan, self.ws.unit(entry.plan.unit), self.today, self.calendar)
            idle = rule.idle(item)
        return Row(entry, unit_name, loc, chain, item, timing, light_of(item, timing, self.soon, idle), idle, self.today)


def evaluate_entry(ws: Workspace, entry: PlanEntry, today: dt.date, soon: int = DEFAULT_SOON, calendar: Any = None) -> list[Row]:
    unit_name = ws.unit_name(entry.plan.unit)
    make = _Rows(ws, today, soon, calendar)
    return [make.row(entry, unit_name, loc, chain, item, timing) for loc, chain, item, timing in _evaluated(entry, today, calendar)]


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
    make = _Rows(ws, today, soon, calendar)
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
            row = make.row(entry, unit_name, loc, chain, item, timing)
            if match_dept and not match_dept(row):
                continue
            rows.append(row)
    return rows


# --------------------------------------------------------------------------- references


_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_BRACKETS = "（）()【】[]〔〕"


def cn_number(text: str) -> int | None:
    """一 → 1, 十五 → 15, 二十三 → 23 (the numbers of a document's headings, up to 99); None otherwise."""
    if not text or any(c not in _CN_DIGITS and c != "十" for c in text):
        return None
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def id_forms(typed: str) -> list[str]:
    """The item ids a typed reference may mean, most literal first: as typed; without the brackets of
    a heading number (（九） → 九); a Chinese number as digits (九 → 9); without leading zeros (09 → 9)."""
    forms = [typed]
    bare = typed.strip().strip(_BRACKETS).strip()
    n = cn_number(bare)
    for form in (bare, str(n) if n is not None else None, bare.lstrip("0") if bare.isdigit() and bare.lstrip("0") else None):
        if form and form not in forms:
            forms.append(form)
    return forms


def _split_ref(ref: str) -> tuple[str | None, str | None, str]:
    parts = [p for p in ref.strip().strip("/").split("/") if p]
    if not parts or len(parts) > 3:
        raise GgkError(f"条目引用「{ref}」格式不对", "写作 单位/年度/编号，如 gansu-jtt/2021/15")
    unit = year = None
    if len(parts) == 3:
        unit, year = parts[0], parts[1]
    elif len(parts) == 2:
        if parts[0].isdigit() and len(parts[0]) == 4:
            year = parts[0]
        else:
            unit = parts[0]
    if year is not None and not year.isdigit():
        raise GgkError(f"条目引用「{ref}」中的年度「{year}」不是数字", "写作 单位/年度/编号，如 gansu-jtt/2021/15")
    return unit, year, parts[-1]


def _find(
    plans: list[PlanEntry], ws: Workspace, unit: str | None, year: str | None, forms: list[str], today: dt.date
) -> tuple[list[PlanEntry], list[tuple[PlanEntry, tuple[Any, ...], list[Section], Item]]]:
    """The plans a reference may point into, and its matches there for the first id form that has any."""
    if year is not None:
        candidates = [e for e in plans if e.plan.year == int(year) and (unit is None or e.plan.unit == unit)]
    else:
        pool = [e for e in plans if unit is None or e.plan.unit == unit]
        candidates = current_plans(Workspace(ws.roots, ws.units, pool), today)
    for form in forms:
        matches = [(e, loc, chain, item) for e in candidates for loc, chain, item in e.plan.iter_items() if item.id == form]
        if matches:
            return candidates, matches
    return candidates, []


def resolve_ref(ws: Workspace, ref: str, today: dt.date, calendar: Any = None) -> Row:
    """The item a reference names: ``unit/year/id``, ``unit/id``, ``year/id`` or ``id``; the id also as
    people write it (``（九）``, ``九``, ``09``).  An item of a plan not yet in force on ``today``
    (``ws.unissued``) is found too; ``in_force_note`` says so."""
    unit, year, typed = _split_ref(ref)
    forms = id_forms(typed)
    candidates, matches = _find(ws.plans, ws, unit, year, forms, today)
    if not matches and ws.unissued:
        _c, matches = _find(ws.unissued, ws, unit, year, forms, today)
    if not matches:
        _unreadable_plan(ws, unit, year)
        where = "、".join(f"{e.plan.unit}/{e.plan.year}" for e in candidates) or "（没有符合的计划）"
        elsewhere = _elsewhere(ws, unit, forms)
        hint = f"是不是 {'、'.join(elsewhere[:4])}？" if elsewhere else f"在 {where} 中没有编号为 {typed} 的条目；用 ggk list 查看编号"
        raise GgkError(f"找不到条目「{ref}」" + (f"（在 {where} 中）" if elsewhere else ""), hint)
    if len(matches) > 1:
        options = "、".join(f"{e.plan.unit}/{e.plan.year}/{item.id}" for e, _l, _c, item in matches[:6])
        raise GgkError(f"条目引用「{ref}」不唯一", f"请写完整：{options}")
    entry, loc, chain, item = matches[0]
    timing = deadlines.evaluate(item, entry.plan.year, today, calendar, since=entry.plan.issued)
    return _Rows(ws, today, DEFAULT_SOON, calendar).row(entry, ws.unit_name(entry.plan.unit), loc, chain, item, timing)


def _elsewhere(ws: Workspace, unit: str | None, forms: list[str]) -> list[str]:
    """References, as short as they can be written, to items with the typed id in other plans (after a
    carry-over, ``show 9`` in the new year means last year's ``2021/9``)."""
    found = [
        (e.plan.unit, e.plan.year, item.id)
        for e in [*ws.plans, *ws.unissued]
        if unit is None or e.plan.unit == unit
        for _loc, _chain, item in e.plan.iter_items()
        if item.id in forms
    ]
    found = list(dict.fromkeys(found))  # a carried task of a plan not yet issued is in both lists
    units = {u for u, _y, _i in found}
    return [f"{y}/{i}" if len(units) == 1 and unit is None else f"{u}/{y}/{i}" for u, y, i in sorted(found, key=lambda f: -f[1])]


def log_numbers(filed: Workspace | None, row: Row, day: dt.date | None = None) -> list[int]:
    """The number in the file (1 = first) of each progress entry of ``row`` (a snapshot's row of ``day``,
    whose log leaves out entries deleted, dated or entered after the day): ``ggk correct`` names entries by it."""
    from ggk.ledger.snapshot import entry_on

    item = row.item
    source = None
    if filed is not None:
        entry = next((e for e in filed.plans if e.path == row.entry.path), None)
        if entry is not None:
            source = next((it for _l, _c, it in entry.plan.iter_items() if it.id == item.id), None)
    if source is None:
        return list(range(1, len(item.log) + 1))
    if day is not None:  # the snapshot keeps the file's order: the entries there on the day, numbered
        there = [i for i, f in enumerate(source.log, start=1) if entry_on(f, day) is not None]
        if len(there) == len(item.log):
            return there
    out = []
    taken: set[int] = set()
    for e in item.log:
        n = next((i for i, f in enumerate(source.log, start=1) if i not in taken and f is e), None)
        if n is None:  # a copy made by the snapshot (an event closed later): the same date and note
            n = next((i for i, f in enumerate(source.log, start=1) if i not in taken and (f.date, f.note) == (e.date, e.note)), 0)
        taken.add(n)
        out.append(n)
    return out


def in_force_note(ws: Workspace, entry: PlanEntry) -> str | None:
    """What to say of a plan not yet in force on the as-of date (issued after it), or None."""
    if entry not in ws.unissued or entry.plan.issued is None:
        return None
    when = ws.as_of.isoformat() if ws.as_of else "今天"
    return f"{entry.plan.title}于 {entry.plan.issued.isoformat()} 印发，截至 {when} 尚未施行"


def unissued_notes(ws: Workspace) -> list[str]:
    """A note for each plan that would be a current plan but is not in force yet on the as-of date (one
    listed with the tasks carried into it, ``ggk.ledger.snapshot.carried_part``, needs none)."""
    if ws.as_of is None:
        return []
    listed = {e.path for e in ws.plans}
    return [
        f"{note}，未列入（ggk show 仍可查看其条目）"
        for e in ws.unissued
        if e.plan.year <= ws.as_of.year and e.path not in listed and (note := in_force_note(ws, e))
    ]


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
    #: items past a time limit
    overdue: int = 0
    #: items due within the "soon" window
    due_soon: int = 0
    #: open standing work without progress in the last owed reporting period (or longer)
    idle: int = 0
    #: items that count as done for the 完成率 (``is_complete``)
    complete: int = 0
    lead: int = 0
    assist: int = 0
    lights: list[Light] = field(default_factory=list)

    def add(self, row: Row) -> None:
        self.total += 1
        self.by_status[row.item.status] += 1
        if row.timing.overdue_days is not None and row.item.status is not Status.CANCELLED:
            self.overdue += 1
        elif row.idle is not None:
            self.idle += 1
        elif row.light is Light.YELLOW:
            self.due_soon += 1
        if is_complete(row.item, row.timing, row.year, row.today):
            self.complete += 1
        self.lights.append(row.light)

    @property
    def done(self) -> int:
        return self.by_status[Status.DONE]

    @property
    def active(self) -> int:
        return self.total - self.by_status[Status.CANCELLED]

    @property
    def percent(self) -> float:
        """完成率: items complete (``is_complete``) of the items not cancelled."""
        return completion_rate(self.complete, self.active)

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
            "complete": self.complete,
            "done_percent": round(self.percent, 1),
            "overdue": self.overdue,
            "due_soon": self.due_soon,
            "idle": self.idle,
            "lead": self.lead,
            "assist": self.assist,
            "light": self.light.value,
        }


def completion_rate(complete: int, active: int) -> float:
    """完成率 in percent: complete items of the items not cancelled (0 when there are none)."""
    return 100.0 * complete / active if active else 0.0


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
    #: 迟报/漏报 of the departments of these plans (``ggk.returns.cadence.Cadence``), when asked for
    cadence: Any = None


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
        total.add(row)  # each item once, also when grouped by department
        total.lead += bool(row.item.lead)
        total.assist += bool(row.item.assist)
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
    #: 迟报/漏报 of the departments (``ggk.returns.cadence.Cadence``), when asked for
    cadence: Any = None

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
    #: the plan is not in force on the as-of date (``in_force_note``)
    not_in_force: str | None = None
    #: each progress entry's number in the file (``log_numbers``), what ``ggk correct`` takes
    numbers: list[int] = field(default_factory=list)
