"""The 进展报送表: for one department and one reporting period, the items it leads or supports.

Owns what goes into a form (which items, in which order, which columns are sent and which are filled
in) and its machine-readable key: a form id (``2026-Q3-1a2b3c4d``: the period and the unit and
department it is for, so the same department's form for the same period always has the same id), and
for every row the item reference, the form id and a checksum of the cells that were sent.  With the
key in a hidden column of each row, a returned form is matched row by row even when the department
re-sorted, deleted or inserted rows or renamed the sheet, and a cell changed outside the fill-in
columns is noticed.  Pure functions of (workspace, plan, department, period, today); the renderers in
``ggk.render`` lay the form out (xlsx, docx) and ``ggk.returns.intake`` reads it back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ggk.deadlines import reporting
from ggk.deadlines.reporting import ReportPeriod
from ggk.diagnostics import GgkError
from ggk.model import DeadlineKind, Status
from ggk.registry import Registry
from ggk.render.safe import visible
from ggk.returns import json_data
from ggk.workspace.load import PlanEntry, Workspace

#: Columns the office fills in (sent, locked), in order; ``序号`` is not part of the checksum.
SENT_COLUMNS = ("序号", "条目", "工作任务", "职责", "完成时限", "目前情况", "最近进展")
#: Columns the department fills in (unlocked).
FILL_COLUMNS = ("本期进展情况", "完成状态", "完成日期", "佐证材料/链接", "事件日期", "公开日期")
#: Fill-in columns only for items with a working-day duty (行政决定之日起7个工作日内公开).
EVENT_COLUMNS = ("事件日期", "公开日期")
#: The header of the hidden column holding each row's key, and the key of a row that is not an item.
KEY_HEADER = "ggk-key"
NOT_A_ROW = "-"
#: The choices of the 完成状态 drop-down: a department reports; cancelling is the office's decision.
STATUS_CHOICES = (Status.NOT_STARTED.value, Status.IN_PROGRESS.value, Status.DONE.value)
#: Name of the hidden sheet holding the form's own key.
META_SHEET = "ggk"
FORM_FORMAT = "ggk-form 1"


def form_id(unit: str, dept: str, period: ReportPeriod) -> str:
    """``2026-Q3-1a2b3c4d``: the period, and a digest of the unit and the department."""
    digest = hashlib.sha256(f"{unit}\x1f{dept}".encode()).hexdigest()[:8]
    return f"{period.key}-{digest}"


def norm(value: Any) -> str:
    """A cell's text as compared for the checksum: spreadsheet programs may change line endings and
    trailing blanks, nothing else is tolerated."""
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def checksum(form: str, ref: str, cells: Sequence[Any]) -> str:
    """A digest of the cells as written (``sheet_cell``: the text with control characters escaped) and
    read back (``norm``)."""
    data = "\x1f".join([form, ref, *(norm(c) for c in cells)])
    return hashlib.sha256(data.encode()).hexdigest()[:12]


def row_key(form: str, ref: str, cells: Sequence[Any]) -> str:
    """What the hidden key cell of a row holds: ``ref|form|checksum``."""
    return f"{ref}|{form}|{checksum(form, ref, cells)}"


def parse_key(text: Any) -> tuple[str, str, str] | None:
    """(ref, form, checksum) of a key cell; None when it is not one."""
    parts = norm(text).split("|")
    if len(parts) != 3 or not all(parts):
        return None
    return parts[0], parts[1], parts[2]


@dataclass
class FormRow:
    no: int
    ref: str
    title: str
    role: str  # 牵头 / 配合
    deadline: str
    stands: str  # 目前情况: status and how late / how near / periods without progress
    last: str  # 最近进展
    events: bool  # a working-day duty: 事件日期 / 公开日期 are filled in
    key: str = ""

    def sent(self) -> list[str]:
        """The sent cells that the checksum covers (all but 序号)."""
        return [self.ref, self.title, self.role, self.deadline, self.stands, self.last]

    def to_json(self) -> dict[str, Any]:
        return dict(zip(SENT_COLUMNS, [self.no, *self.sent()], strict=True)) | {"events": self.events, "key": self.key}


@dataclass
class FormReport:
    """进展报送表 of one department for one period."""

    form: str
    unit: str
    unit_name: str
    plan: str  # unit/year
    plan_title: str
    dept: str
    period: ReportPeriod
    issued: dt.date
    rows: list[FormRow] = field(default_factory=list)
    issuer: str = ""

    @property
    def title(self) -> str:
        return f"{self.plan_title}落实情况报送表"

    @property
    def due_text(self) -> str:
        d = self.period.due
        return f"{d.year}年{d.month}月{d.day}日"

    @property
    def period_text(self) -> str:
        p = self.period
        return f"{p.label}（{p.start.isoformat()} 至 {p.end.isoformat()}）"

    @property
    def header_lines(self) -> list[str]:
        """The lines above the table (checked on return as a whole: ``header_sum``)."""
        return [
            self.title,
            f"单位：{self.unit_name}　　部门：{self.dept}　　报送期：{self.period_text}　　报送截止日期：{self.due_text}",
        ]

    @property
    def header_sum(self) -> str:
        return checksum(self.form, "header", [visible(line) for line in self.header_lines])

    @property
    def notes(self) -> list[str]:
        """填表说明 of the xlsx form (``docx_notes`` for the Word table)."""
        return [
            "填表说明：",
            "1. 灰色各列由办公室填写，请勿改动；隐藏列是本表的识别码，请勿删除。",
            "2. 完成状态从下拉列表选择（未启动、进行中、已完成）；选“已完成”时请填写完成日期。",
            "3. 日期写作 2026-09-30 或 2026年9月30日均可；不得晚于报送当天。",
            "4. 事件日期、公开日期只用于“××之日起N个工作日内公开”的条目，一件事一行，多件请在同一格内换行，两列逐行对应。",
            f"5. 本期没有进展的条目可以不填；请于{self.due_text}前将本表（保持 xlsx 格式）报送{self.issuer or '办公室'}。",
        ]

    @property
    def docx_notes(self) -> list[str]:
        return [
            "填表说明：",
            "1. 序号至最近进展各列由办公室填写；完成状态填写 未启动、进行中 或 已完成，已完成的请填写完成日期。",
            "2. 日期写作 2026-09-30 或 2026年9月30日均可；事件日期、公开日期只用于“××之日起N个工作日内公开”的条目。",
            f"3. 请于{self.due_text}前报送{self.issuer or '办公室'}；能用电子表格的，请填写同名的 xlsx 报送表，可直接录入台账。",
        ]

    def meta(self) -> list[tuple[str, str]]:
        """The form's own key, written to the hidden sheet."""
        return [
            ("format", FORM_FORMAT),
            ("form", self.form),
            ("unit", self.unit),
            ("plan", self.plan),
            ("dept", self.dept),
            ("period", self.period.key),
            ("issued", self.issued.isoformat()),
            ("due", self.period.due.isoformat()),
            ("header", self.header_sum),
            ("rows", str(len(self.rows))),
        ]

    def to_json(self) -> dict[str, Any]:
        period = {"period": self.period.key, "period_label": self.period.label, "due": self.period.due.isoformat()}
        return {"title": self.title, **json_data(self), **period, "columns": [*SENT_COLUMNS, *FILL_COLUMNS]}


# --------------------------------------------------------------------------- which departments, which items


def departments_of(reg: Registry, names: Sequence[str]) -> list[str]:
    """The registered departments ``names`` stand for: a group with members stands for its members;
    a group without members stands for nobody a form can be sent to."""
    out: list[str] = []
    for name in names:
        dep = reg.resolve(name)
        if dep is None:
            found = [name]
        elif dep.group:
            found = [reg.canonical(m) or m for m in dep.members]
        else:
            found = [dep.name]
        out.extend(n for n in found if n not in out)
    return out


def owes_report(item: Any, period: ReportPeriod) -> bool:
    """Whether an item was still worked on in ``period``: not cancelled, carried over or done before the
    period began.  Decided by the dates of those events, not by the item's state now: a period a
    department missed stays missed after the item is done, cancelled or carried over."""
    if item.carried_to:
        from ggk.ledger.carryover import carried_on

        carried = carried_on(item)
        if carried is None or carried < period.start:  # (marked by hand, with no date: never owed)
            return False
    if item.status is Status.CANCELLED:
        cancelled = [e.date for e in item.log if e.status is Status.CANCELLED]
        return bool(cancelled) and min(cancelled) >= period.start
    if item.status is Status.DONE:
        return item.completed is None or item.completed >= period.start
    return True


def plan_for(ws: Workspace, unit: str, period: ReportPeriod) -> PlanEntry:
    for e in ws.plans:
        if e.plan.unit == unit and e.plan.year == period.start.year:
            return e
    have = "、".join(sorted(f"{e.plan.unit}/{e.plan.year}" for e in ws.plans if e.plan.unit == unit)) or "（无）"
    raise GgkError(f"单位 {unit} 没有 {period.start.year} 年度的计划，无法生成 {period.label} 的报送表", f"已有的计划：{have}")


def owing_departments(ws: Workspace, entry: PlanEntry, period: ReportPeriod) -> list[str]:
    """Every department that leads or supports an item still worked on in ``period``, in the order of
    the unit's registry (unregistered names after).  The departments are those assigned at the end of
    the period: one taken off the item later (``ggk assign``) still owed it."""
    from ggk.ledger.snapshot import departments_on

    reg = Registry(ws.unit(entry.plan.unit))
    names: list[str] = []
    for _loc, _chain, item in entry.plan.iter_items():
        if owes_report(item, period):
            lead, assist = departments_on(item, period.end)
            names.extend(n for n in departments_of(reg, [*lead, *assist]) if n not in names)
    order = {n: i for i, n in enumerate(reg.canonical_names())}
    return sorted(names, key=lambda n: (order.get(n, len(order)), names.index(n)))


def resolve_period(text: str | None, entry_or_unit: tuple[Any, Any], today: dt.date, calendar: Any = None) -> ReportPeriod:
    """The period a command names (``--period``), or the one being collected on ``today``."""
    plan, unit = entry_or_unit
    setting = reporting.setting(plan, unit)
    if not text:
        return reporting.collecting(today, setting, calendar)
    try:
        return reporting.parse_period(text, setting, calendar)
    except ValueError as exc:
        raise GgkError(str(exc)) from None


def build_form(ws: Workspace, entry: PlanEntry, dept: str, period: ReportPeriod, today: dt.date, calendar: Any = None) -> FormReport:
    """The form of ``dept`` (a registered name) for ``period``: the items it leads, then those it
    supports, each in plan order."""
    from ggk.ledger.queries import evaluate_entry
    from ggk.ledger.review import deadline_text
    from ggk.returns.progress import where_it_stands

    plan = entry.plan
    reg = Registry(ws.unit(plan.unit))
    form = form_id(plan.unit, dept, period)
    lead_rows: list[FormRow] = []
    assist_rows: list[FormRow] = []
    for row in evaluate_entry(ws, entry, today, calendar=calendar):
        item = row.item
        if item.status is Status.CANCELLED or not owes_report(item, period):
            continue
        if dept in departments_of(reg, item.lead):
            role, bucket = "牵头", lead_rows
        elif dept in departments_of(reg, item.assist):
            role, bucket = "配合", assist_rows
        else:
            continue
        # events of a working-day duty are the lead's to register (a supporting department would register them twice)
        events = role == "牵头" and any(s.rule.kind is DeadlineKind.WORKDAYS for s in row.timing.states)
        bucket.append(FormRow(0, row.ref, item.title, role, deadline_text(row), where_it_stands(row), last_progress(item, today), events))
    rows = lead_rows + assist_rows
    for i, r in enumerate(rows, start=1):
        r.no = i
        r.key = row_key(form, r.ref, [visible(v) for v in r.sent()])  # what the cells will hold (sheet_cell)
    unit_name = ws.unit_name(plan.unit)
    return FormReport(form, plan.unit, unit_name, f"{plan.unit}/{plan.year}", plan.title, dept, period, today, rows, f"{unit_name}办公室")


def last_progress(item: Any, today: dt.date) -> str:
    """The last progress entry recorded by ``today``: ``2026-09-22 局办公室：已办结建议提案21件``."""
    log = [e for e in item.log if e.date <= today]
    if not log:
        return "无进展记录"
    last = max(log, key=lambda e: e.date)
    who = f"{last.by}：" if last.by else ""
    return f"{last.date.isoformat()} {who}{(last.note or '').strip()}".rstrip("：").rstrip()


def forms_for(
    ws: Workspace, entry: PlanEntry, depts: Sequence[str], period: ReportPeriod, today: dt.date, calendar: Any = None
) -> list[FormReport]:
    """One form per department named (aliases accepted), or per department that owes a report."""
    reg = Registry(ws.unit(entry.plan.unit))
    if depts:
        names = []
        for d in depts:
            canon = reg.canonical(d)
            if canon is None:
                near = reg.suggest(d)
                raise GgkError(
                    f"没有登记名为「{d}」的部门", f"是不是「{'」「'.join(near)}」？" if near else "用 ggk status --by dept 查看各部门"
                )
            dep = reg.resolve(d)
            names.extend(departments_of(reg, [canon]) if dep is not None and dep.group else [canon])
    else:
        names = owing_departments(ws, entry, period)
    return [build_form(ws, entry, name, period, today, calendar) for name in dict.fromkeys(names)]
