"""The documents the office hands in, as report values: the annual-report section, the 台账 and the 督办单.

Owns what goes into each document (which items, in which order, with which words), never how it is
laid out: the renderers in ``ggk.render`` (md, docx, xlsx, html) do that.  Pure functions of
(workspace, plan, today); nothing here reads the clock or opens a file.

- ``annual_section``: the section "（六）贯彻落实《<plan title>》情况。" of the 政府信息公开工作年度报告,
  one numbered heading per key point with its 落实情况, in the style of the published reports (seed 003);
- ``ledger``: the 工作台账, one row per item, and the same rows per department;
- ``notice``: the 督办通知单 for one department: its overdue and due-soon items.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ggk.diagnostics import GgkError
from ggk.ledger.queries import DEFAULT_SOON, Filters, Light, Row, current_plans, evaluate_entry, overdue_rows, select
from ggk.ledger.review import deadline_text, plans_of_year
from ggk.model import LogEntry, Status
from ggk.registry import Registry
from ggk.workspace.load import PlanEntry, Workspace

#: What the annual-report section says of an item with neither a summary nor a progress entry: a mark
#: the clerk cannot overlook before the report goes out (never a sentence that reads as finished text).
NO_RECORD = "【待补充：该项既无落实情况也无进展记录，请牵头单位报送后再用 ggk summary 填写】"

#: Sentence-final punctuation: a heading or a sentence that already ends with one gets no extra "。".
_END = "。！？；;.!?"


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    return text if text[-1] in _END else text + "。"


def one_plan(ws: Workspace, year: int, units: Sequence[str] = ()) -> PlanEntry:
    """The one plan of ``year`` a document is about; a GgkError if there are several."""
    found = plans_of_year(ws, year, units)
    if len(found) > 1:
        raise GgkError(
            f"{year} 年度有 {len(found)} 个单位的计划，请用 --unit 指定一个",
            f"可选：{'、'.join(e.plan.unit for e in found)}",
        )
    return found[0]


# --------------------------------------------------------------------------- annual-report section


@dataclass
class AnnualEntry:
    no: int
    ref: str
    title: str
    text: str
    #: where the text came from: "summary" (落实情况), "log" (progress log condensed),
    #: "cancelled" (the reason it was cancelled) or "none" (nothing recorded yet)
    source: str

    @property
    def heading(self) -> str:
        return f"{self.no}.{sentence(self.title)}"

    @property
    def missing_summary(self) -> bool:
        return self.source in ("log", "none")

    def to_json(self) -> dict[str, Any]:
        return {"no": self.no, "ref": self.ref, "heading": self.heading, "text": self.text, "source": self.source}


@dataclass
class AnnualSection:
    """贯彻落实《…》情况: the part of the annual report on carrying out the plan."""

    number: str
    plan_title: str
    unit_name: str
    year: int
    entries: list[AnnualEntry]
    #: 督办 in the year, from the register (``ggk.ledger.register.RegisterCounts``); None when none was issued
    supervision: Any = None
    #: the report's day: what the Word file is dated (never the clock)
    as_of: dt.date | None = None

    @property
    def supervision_text(self) -> str | None:
        """The closing paragraph on 督办: 2026年共签发督办单5份，按期反馈3份、…。"""
        return f"{self.year}年共{self.supervision.sentence}" if self.supervision is not None else None

    @property
    def heading(self) -> str:
        no = f"（{self.number}）" if self.number else ""
        return f"{no}贯彻落实《{self.plan_title}》情况。"

    @property
    def missing(self) -> list[AnnualEntry]:
        return [e for e in self.entries if e.missing_summary]

    def to_json(self) -> dict[str, Any]:
        return {
            "heading": self.heading,
            "plan_title": self.plan_title,
            "unit_name": self.unit_name,
            "year": self.year,
            "entries": [e.to_json() for e in self.entries],
            "missing_summary": [e.ref for e in self.missing],
            "supervision": self.supervision.to_json() if self.supervision is not None else None,
        }


def _log_phrase(e: LogEntry, year: int) -> str:
    when = f"{e.date.month}月{e.date.day}日" if e.date.year == year else cn_date(e.date)
    note = (e.note or "").strip().rstrip(_END + "，,、")
    return f"{when}，{note}" if note else ""


def condensed_log(log: Sequence[LogEntry], year: int) -> str:
    """The progress log as one paragraph: "4月10日，…；6月18日，…。" (oldest first)."""
    parts = [p for p in (_log_phrase(e, year) for e in sorted(log, key=lambda e: e.date)) if p]
    return "；".join(parts) + "。" if parts else ""


def annual_section(ws: Workspace, entry: PlanEntry, number: str = "六") -> AnnualSection:
    """The annual-report section for ``entry``'s plan, its key points in the plan's order.

    Each key point's text is its 落实情况 (``summary``); when that is missing, the progress log
    condensed (and the entry is marked, so the CLI can say which summaries are still to write).
    """
    plan = entry.plan
    entries = []
    for no, (_loc, _chain, item) in enumerate(plan.iter_items(), start=1):
        ref = f"{plan.unit}/{plan.year}/{item.id}"
        if item.summary and item.summary.strip():
            text, source = item.summary.strip(), "summary"
        elif item.status is Status.CANCELLED:
            reason = (item.reason or "").strip().rstrip(_END)
            text, source = "该项工作已取消" + (f"，原因：{reason}" if reason else "") + "。", "cancelled"
        else:
            text = condensed_log(item.log, plan.year)
            source = "log" if text else "none"
            text = text or NO_RECORD
        entries.append(AnnualEntry(no, ref, item.title, text, source))
    return AnnualSection(number, plan.title, ws.unit_name(plan.unit), plan.year, entries)


# --------------------------------------------------------------------------- 工作台账

LEDGER_COLUMNS = ("序号", "工作任务", "具体内容", "牵头单位", "配合单位", "完成时限", "进展情况", "完成状态", "备注")


@dataclass
class LedgerRow:
    no: int
    ref: str
    task: str
    content: str
    lead: str
    assist: str
    deadline: str
    progress: str
    status: str
    remark: str
    light: Light
    state: Status = Status.NOT_STARTED
    #: why the light is red or yellow: "overdue", "soon" (due within the window), "idle" (standing work
    #: without progress), or ""
    flag: str = ""

    def cells(self) -> list[Any]:
        return [self.no, self.task, self.content, self.lead, self.assist, self.deadline, self.progress, self.status, self.remark]

    def to_json(self) -> dict[str, Any]:
        return dict(zip(LEDGER_COLUMNS, self.cells(), strict=True)) | {"ref": self.ref, "light": self.light.value}


@dataclass
class DeptSheet:
    dept: str
    rows: list[LedgerRow]


@dataclass
class LedgerReport:
    """政务公开工作要点工作台账: one row per item, and the rows of each department."""

    unit_name: str
    plan_title: str
    year: int
    as_of: dt.date
    soon: int
    rows: list[LedgerRow]
    depts: list[DeptSheet]

    @property
    def title(self) -> str:
        return f"{self.plan_title}工作台账"

    def counts(self) -> dict[Status, int]:
        out = {s: 0 for s in Status}
        for r in self.rows:
            out[r.state] += 1
        return out

    def lights(self) -> dict[Light, int]:
        out = {light: 0 for light in Light}
        for r in self.rows:
            out[r.light] += 1
        return out

    def flags(self) -> dict[str, int]:
        """Rows overdue, due soon and standing without progress (``LedgerRow.flag``)."""
        out = {"overdue": 0, "soon": 0, "idle": 0}
        for r in self.rows:
            if r.flag:
                out[r.flag] += 1
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "unit_name": self.unit_name,
            "year": self.year,
            "as_of": self.as_of.isoformat(),
            "columns": list(LEDGER_COLUMNS),
            "rows": [r.to_json() for r in self.rows],
            "departments": {s.dept: [r.no for r in s.rows] for s in self.depts},
        }


def status_text(row: Row) -> str:
    """完成状态: the status and, when it matters, how late or how near: 进行中（逾期21天）."""
    item, t = row.item, row.timing
    if item.status is Status.CANCELLED:
        return item.status.value
    if item.status is Status.DONE:
        late = [s.late_days for s in t.states if s.late_days]
        return f"已完成（逾期{max(late)}天）" if late else item.status.value
    if t.overdue_days is not None:
        return f"{item.status.value}（逾期{t.overdue_days}天）"
    if t.due_in is not None and row.light is Light.YELLOW:
        return f"{item.status.value}（{'今日到期' if t.due_in == 0 else f'{t.due_in}天后到期'}）"
    if row.idle is not None:
        return f"{item.status.value}（{row.idle.text}）"
    return item.status.value


def light_flag(row: Row) -> str:
    """Why the row's light is red or yellow (``LedgerRow.flag``)."""
    if row.light is Light.GREY or row.light is Light.GREEN:
        return ""
    if row.timing.overdue_days is not None:
        return "overdue"
    return "idle" if row.idle is not None else "soon"


def progress_text(row: Row) -> str:
    """进展情况: every progress entry, one per line, oldest first, with who reported it:
    ``2026-04-10 局规划建设股：梳理历年规划文本…``."""
    lines = []
    for e in sorted(row.item.log, key=lambda e: e.date):
        note = (e.note or "").strip()
        if e.event and not note:
            note = f"事件{e.event.isoformat()}" + (f"，{e.done.isoformat()}办结" if e.done else "，未办结")
        who = f"{e.by}：" if e.by else ""
        lines.append(f"{e.date.isoformat()} {who}{note}".rstrip("：").rstrip())
    return "\n".join(lines)


def remark_text(row: Row) -> str:
    item = row.item
    parts = []
    if item.reason:
        parts.append(f"取消原因：{item.reason}")
    for h in item.history:
        old = "、".join(d.phrase or (d.due.isoformat() if d.due else "") for d in h.old) or "无"
        new = "、".join(d.phrase or (d.due.isoformat() if d.due else "") for d in h.new) or "无"
        parts.append(f"{h.date.isoformat()}延期：{old}→{new}" + (f"（{h.reason}）" if h.reason else ""))
    for d in row.timing.states:
        if d.missed and d.rule.kind.value in ("recurring", "count"):
            parts.append(f"未落实：{'、'.join(d.missed)}")
    if item.carried_from:
        parts.append(f"结转自 {item.carried_from}")
    if item.carried_to:
        parts.append(f"已结转至 {item.carried_to}")
    if item.remark:
        parts.append(item.remark)
    return "\n".join(parts)


def _ledger_row(no: int, row: Row) -> LedgerRow:
    item = row.item
    return LedgerRow(
        no,
        row.ref,
        item.title,
        item.text.strip(),
        "、".join(item.lead),
        "、".join(item.assist),
        deadline_text(row),
        progress_text(row),
        status_text(row),
        remark_text(row),
        row.light,
        item.status,
        light_flag(row),
    )


def ledger(ws: Workspace, entry: PlanEntry, today: dt.date, calendar: Any = None, soon: int = DEFAULT_SOON) -> LedgerReport:
    rows = evaluate_entry(ws, entry, today, soon, calendar)
    lrows = [_ledger_row(i, r) for i, r in enumerate(rows, start=1)]
    reg = Registry(ws.unit(entry.plan.unit))
    names: list[str] = []
    for r in rows:
        for assigned in (*r.item.lead, *r.item.assist):
            dep = reg.resolve(assigned)
            for name in [dep.name if dep else assigned, *(reg.canonical(m) or m for m in (dep.members if dep else []))]:
                if name not in names:
                    names.append(name)
    order = {n: i for i, n in enumerate(reg.canonical_names())}
    first = {n: i for i, n in enumerate(names)}
    names.sort(key=lambda n: (order.get(n, len(order)), first[n]))
    sheets = []
    for name in names:
        mine = [lr for lr, r in zip(lrows, rows, strict=True) if any(reg.covers(a, name) for a in (*r.item.lead, *r.item.assist))]
        if mine:
            sheets.append(DeptSheet(name, mine))
    plan = entry.plan
    return LedgerReport(ws.unit_name(plan.unit), plan.title, plan.year, today, soon, lrows, sheets)


# --------------------------------------------------------------------------- 督办通知单


@dataclass
class NoticeRow:
    no: int
    ref: str
    title: str
    role: str  # 牵头 / 配合
    deadline: str
    due: dt.date | None
    overdue_days: int | None
    due_in: int | None
    status: str
    last_progress: str

    @property
    def situation(self) -> str:
        if self.overdue_days is not None:
            return f"逾期{self.overdue_days}天"
        if self.due_in is not None:
            return "今日到期" if self.due_in == 0 else f"{self.due_in}天后到期"
        return ""

    def to_json(self) -> dict[str, Any]:
        return {
            "no": self.no,
            "ref": self.ref,
            "title": self.title,
            "role": self.role,
            "deadline": self.deadline,
            "due": self.due.isoformat() if self.due else None,
            "overdue_days": self.overdue_days,
            "due_in_days": self.due_in,
            "status": self.status,
            "last_progress": self.last_progress,
        }


@dataclass
class NoticeReport:
    """政务公开工作督办通知单 for one department."""

    dept: str
    unit_name: str
    as_of: dt.date
    within: int
    reply_by: dt.date
    issuer: str
    rows: list[NoticeRow]
    plans: list[str] = field(default_factory=list)
    #: 督〔2026〕3号 once issued (``ggk notice --issue`` records it in the register); None: not numbered
    no: str | None = None
    contact: str | None = None
    phone: str | None = None
    unit: str = ""

    @property
    def title(self) -> str:
        return "政务公开工作督办通知单"

    @property
    def number_line(self) -> str:
        return f"编号：{self.no or f'督〔{self.as_of.year}〕　　号'}"

    @property
    def contact_line(self) -> str:
        return f"联系人：{self.contact or '　　　　　　'}　　联系电话：{self.phone or '　　　　　　　　'}"

    @property
    def receipt_line(self) -> str:
        """签收: the department signs the notice and returns this line."""
        return "签收人：　　　　　　　　签收日期：　　　　年　　月　　日"

    @property
    def overdue(self) -> int:
        return sum(r.overdue_days is not None for r in self.rows)

    @property
    def intro(self) -> str:
        if not self.rows:
            return f"截至{cn_date(self.as_of)}，贵单位牵头或配合的政务公开工作要点任务没有逾期或{self.within}天内到期的事项。"
        soon = len(self.rows) - self.overdue
        parts = []
        if self.overdue:
            parts.append(f"已逾期{self.overdue}项")
        if soon:
            parts.append(f"{self.within}天内到期{soon}项")
        return (
            f"截至{cn_date(self.as_of)}，贵单位牵头或配合的政务公开工作要点任务中，{'、'.join(parts)}，具体如下。请抓紧推进，按时限完成。"
        )

    @property
    def request(self) -> str:
        return f"请于{cn_date(self.reply_by)}前将办理进展、存在问题及完成时限书面反馈{self.issuer}。"

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "dept": self.dept,
            "unit_name": self.unit_name,
            "as_of": self.as_of.isoformat(),
            "within_days": self.within,
            "reply_by": self.reply_by.isoformat(),
            "issuer": self.issuer,
            "no": self.no,
            "contact": self.contact,
            "phone": self.phone,
            "plans": self.plans,
            "items": [r.to_json() for r in self.rows],
        }


def _last_progress(row: Row) -> str:
    last = row.last_log
    if last is None:
        return "无进展记录"
    return f"{last.date.isoformat()} {(last.note or '').strip()}".rstrip()


def notice(
    ws: Workspace,
    dept: str,
    today: dt.date,
    *,
    units: Sequence[str] = (),
    within: int = DEFAULT_SOON,
    calendar: Any = None,
    reply_by: dt.date | None = None,
    issuer: str | None = None,
) -> NoticeReport:
    """The 督办单 for ``dept``: its overdue items and those due within ``within`` days, as lead or
    cooperating department, in the current plan of its unit; most days late first."""
    pool = [e for e in current_plans(ws, today) if not units or e.plan.unit in units]
    slugs = sorted({e.plan.unit for e in [*pool, *ws.unissued] if not units or e.plan.unit in units})
    owners = [slug for slug in slugs if Registry(ws.unit(slug)).resolve(dept)]
    if not owners:
        near: list[str] = []
        for slug in slugs:
            near.extend(n for n in Registry(ws.unit(slug)).suggest(dept) if n not in near)
        hint = f"是不是「{'」「'.join(near[:3])}」？" if near else "用 ggk status --by dept 查看各部门"
        raise GgkError(f"没有登记名为「{dept}」的部门" + (f"（单位 {'、'.join(units)}）" if units else ""), hint)
    if len(owners) > 1:
        raise GgkError(f"「{dept}」在多个单位都有登记，请用 --unit 指定", f"可选：{'、'.join(owners)}")
    slug = owners[0]
    reg = Registry(ws.unit(slug))
    name = reg.canonical(dept) or dept
    filters = Filters(units=[slug], depts=[name], overdue=True, due_within=within)
    rows = overdue_rows(select(ws, today, filters, soon=within, calendar=calendar))
    out = []
    for i, r in enumerate(rows, start=1):
        role = "牵头" if any(reg.covers(a, name) for a in r.item.lead) else "配合"
        t = r.timing
        out.append(
            NoticeRow(
                i, r.ref, r.item.title, role, deadline_text(r), t.due, t.overdue_days, t.due_in, r.item.status.value, _last_progress(r)
            )
        )
    if reply_by is None:
        reply_by = calendar.add_workdays(today, 5) if calendar is not None else today + dt.timedelta(days=7)
    unit_name = ws.unit_name(slug)
    return NoticeReport(
        name,
        unit_name,
        today,
        within,
        reply_by,
        issuer or f"{unit_name}办公室",
        out,
        sorted({r.ref.rsplit("/", 1)[0] for r in rows}),
        unit=slug,
    )
