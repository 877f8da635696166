"""Taking in returned 进展报送表 (and the hand-kept 工作台账): read, check every row, apply.

The stages of ``intake``, each a function:

1. ``read_return``: a file becomes the rows a department filled in, found by the key of each row
   (``ggk.returns.forms``) wherever the row now is, on whatever the sheet is now called; a 工作台账
   written by ``ggk report --format xlsx`` is read by ``ggk.returns.ledger_sheet``;
2. ``check_form`` / ``check_row``: every problem becomes a ``Problem`` naming file, sheet and row, in
   Chinese — a form of another unit or period, a row that is not the form's, an item unknown or not
   the department's, a sent cell changed, a status or date that cannot be read, a date after today,
   a status going backwards (已完成 → 未启动); a rejected row changes nothing, blank rows are skipped;
3. ``plan_change``: an accepted row becomes a ``Change``: the progress entries that form gives the
   item (each marked ``source: {form, period}``) and the status it claims — from the row alone;
4. ``decide``: what a change does to an item as it stands (the form's earlier entries replaced, a
   claim never moving the status back, the earliest of several completion dates), on plain data, so
   the same decision is made on the loaded models (nothing to do: the plan is not even parsed for
   editing) and on the document being edited; returns about one item end the same in any order;
5. ``apply``: one edit per plan file through ``ggk.workspace.transaction.edit_plan`` (minimal diff,
   comments kept, validated, atomic, locked; all of a file's rows or none); then the returns are
   entered in the register (``ggk.ledger.register``).

Pure functions of their inputs except ``apply`` (which writes through the transaction); "today" is a
parameter.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ggk.deadlines import reporting
from ggk.deadlines.reporting import ReportPeriod
from ggk.diagnostics import GgkError
from ggk.model import DeadlineKind, Item, Status
from ggk.registry import Registry
from ggk.returns import cells, json_data
from ggk.returns.forms import (
    EVENT_COLUMNS,
    FILL_COLUMNS,
    FORM_FORMAT,
    KEY_HEADER,
    NOT_A_ROW,
    SENT_COLUMNS,
    checksum,
    departments_of,
    parse_key,
)
from ggk.returns.taken import RANK, Book, Change, Context, Problem, Taken, _header_at, read_book
from ggk.workspace.load import PlanEntry

# =========================================================================== reading a form


def _meta(book: Book) -> tuple[str, dict[str, str]] | None:
    """The form's own key: (sheet name, {key: value}) of the sheet whose first row says ``ggk-form``."""
    for name, rows in book.items():
        if rows and len(rows[0]) >= 2 and cells.text(rows[0][0]) == "format" and cells.text(rows[0][1]).startswith("ggk-form"):
            return name, {cells.text(r[0]): cells.text(r[1]) for r in rows if len(r) >= 2 and r[0] is not None}
    return None


def _label_value(rows: list[tuple[Any, ...]], label: str, upto: int) -> str | None:
    """The cell right of the cell ``label`` (填报人, 联系电话) above the header."""
    for r in rows[:upto]:
        for j, v in enumerate(r):
            if cells.text(v).rstrip("：:") == label and j + 1 < len(r):
                return cells.text(r[j + 1]) or None
    return None


def read_return(path: Path, ctx: Context) -> list[Taken]:
    """The returns in one file: a form (one), or the sheets of a 工作台账."""
    book = read_book(path)
    meta = _meta(book)
    if meta is None:
        from ggk.returns.ledger_sheet import is_ledger, read_ledger

        if is_ledger(book):
            return read_ledger(path, book, ctx)
        return [
            Taken(
                path,
                "",
                "form",
                problems=[Problem(str(path), None, None, "不是 ggk 生成的进展报送表或工作台账（找不到隐藏的识别信息），未读取")],
                fatal=True,
            )
        ]
    return [read_form(path, book, meta, ctx)]


def read_form(path: Path, book: Book, meta: tuple[str, dict[str, str]], ctx: Context) -> Taken:
    meta_sheet, info = meta
    file = str(path)
    taken = Taken(path, "", "form", form=info.get("form", ""))
    sheet_rows: tuple[str, list[tuple[Any, ...]], int, dict[str, int]] | None = None
    for name, rows in book.items():
        if name == meta_sheet:
            continue
        found = _header_at(rows, KEY_HEADER)
        if found is not None:
            sheet_rows = (name, rows, *found)
            break
    if sheet_rows is None:
        taken.problems.append(Problem(file, None, None, "找不到报送表的表头（带隐藏识别码列的一行），可能删除了表头或识别码列，未读取"))
        taken.fatal = True
        return taken
    name, rows, head, columns = sheet_rows
    taken.sheet = name
    if not check_form(taken, info, rows, head, ctx):
        taken.fatal = True
        return taken
    missing = [c for c in (*SENT_COLUMNS, *FILL_COLUMNS) if c not in columns]
    if missing:
        taken.problems.append(Problem(file, name, head + 1, f"表头缺少列：{'、'.join(missing)}（表格被改动过），未读取"))
        taken.fatal = True
        return taken
    taken.reporter = _label_value(rows, "填报人", head)
    taken.phone = _label_value(rows, "联系电话", head)
    seen: dict[str, tuple[int, tuple[str, ...]]] = {}
    for i in range(head + 1, len(rows)):
        check_row(taken, rows[i], i + 1, columns, seen, ctx)
    return taken


def check_form(taken: Taken, info: dict[str, str], rows: list[tuple[Any, ...]], head: int, ctx: Context) -> bool:
    """The form as a whole: its unit, plan, department and period.  False: not taken in at all."""
    file, sheet = str(taken.path), taken.sheet

    def stop(message: str, row: int | None = None) -> bool:
        taken.problems.append(Problem(file, sheet, row, message))
        return False

    if info.get("format") != FORM_FORMAT:
        return stop(f"报送表格式「{info.get('format')}」不是这个版本的 ggk 能读的（{FORM_FORMAT}）")
    unit, plan_ref, dept = info.get("unit", ""), info.get("plan", ""), info.get("dept", "")
    if ctx.units and unit not in ctx.units:
        return stop(f"这是单位「{unit}」的报送表，不是本次收取的单位（{'、'.join(ctx.units)}）")
    entry = next((e for e in ctx.ws.plans if f"{e.plan.unit}/{e.plan.year}" == plan_ref), None)
    if entry is None:
        return stop(f"报送表属于计划 {plan_ref}，台账中没有这个计划（单位或年度不对）")
    reg = Registry(ctx.ws.unit(unit))
    if reg.canonical(dept) != dept:
        return stop(f"报送表的部门「{dept}」不在单位名册中")
    setting = reporting.setting(entry.plan, ctx.ws.unit(unit))
    try:
        period = reporting.parse_period(info.get("period", ""), setting, ctx.calendar)
    except ValueError as exc:
        return stop(f"报送表的报送期无法识别：{exc}")
    expected = expected_periods(ctx, setting)
    if period.start > ctx.today:
        return stop(f"报送表是 {period.label} 的，这一期还没有开始")
    if period.key not in {p.key for p in expected}:
        want = "、".join(p.label for p in expected)
        return stop(f"报送表是 {period.label} 的，本次收取的是 {want}（如确需收取这一期，用 --period {period.key}）")
    taken.unit, taken.plan_path, taken.dept, taken.period = unit, entry.path, dept, period
    # The lines above the table: changed text is noted (the hidden key is what counts).
    top = [cells.text(r[0]) if r else "" for r in rows[:2]]
    if checksum(taken.form, "header", top) != info.get("header"):
        taken.problems.append(Problem(file, sheet, 1, "表头（标题、单位、部门、报送期）被改动过；以隐藏的识别信息为准，各行照常读取"))
    return True


def expected_periods(ctx: Context, setting: Any) -> list[ReportPeriod]:
    """The periods taken in: the one named (``--period``), else the one being collected and the one
    before it (a late return)."""
    if ctx.period_text:
        try:
            return [reporting.parse_period(ctx.period_text, setting, ctx.calendar)]
        except ValueError as exc:
            raise GgkError(str(exc)) from None
    current = reporting.collecting(ctx.today, setting, ctx.calendar)
    return [reporting.previous(current, setting, ctx.calendar), current]


def _fill(r: tuple[Any, ...], columns: dict[str, int], name: str) -> Any:
    j = columns.get(name)
    return r[j] if j is not None and j < len(r) else None


def check_row(
    taken: Taken, r: tuple[Any, ...], n: int, columns: dict[str, int], seen: dict[str, tuple[int, tuple[str, ...]]], ctx: Context
) -> None:
    """One row of a form: skipped when blank, a ``Change`` when accepted, else a ``Problem``."""
    key_cell = cells.text(_fill(r, columns, KEY_HEADER))
    filled = tuple(cells.text(_fill(r, columns, c)) for c in FILL_COLUMNS)
    if key_cell == NOT_A_ROW:
        return
    if not any(filled):
        if key_cell:  # a row of the form left empty (spacer rows are not counted)
            taken.blank += 1
        return

    def reject(message: str) -> None:
        taken.reject(n, message)

    key = parse_key(key_cell)
    if key is None:
        shown = cells.text(_fill(r, columns, "条目")) or cells.text(_fill(r, columns, "工作任务"))
        return reject(
            "这一行不是报送表发出的行（没有识别码），未读取"
            + (f"；请把「{shown}」的内容填到该条目原有的行中" if shown else "；请把内容填到对应条目的行中")
        )
    ref, form, digest = key
    if form != taken.form:
        return reject(f"这一行来自另一份报送表（{form}），不是 {taken.dept} {taken.period.label if taken.period else ''} 的报送表")
    unit, _, rest = ref.partition("/")
    year, _, item_id = rest.partition("/")
    entry = next((e for e in ctx.ws.plans if e.plan.unit == unit and str(e.plan.year) == year), None)
    item = ctx.item(entry, item_id) if entry is not None else None
    if entry is None or item is None:
        return reject(f"未知条目 {ref}：台账中没有这一条")
    if unit != taken.unit or entry.path != taken.plan_path:
        return reject(f"条目 {ref} 不属于这份报送表的计划")
    reg = Registry(ctx.ws.unit(unit))
    if taken.dept not in departments_of(reg, [*item.lead, *item.assist]):
        return reject(f"「{taken.dept}」既不牵头也不配合条目 {ref}")
    sent = [cells.text(_fill(r, columns, c)) for c in SENT_COLUMNS[1:]]
    if sent[0] != ref or checksum(form, ref, sent) != digest:
        return reject("办公室填写的灰色列（条目、工作任务、职责、完成时限、目前情况、最近进展）被改动过，这一行未读取")
    earlier = seen.get(ref)
    if earlier is not None:
        if earlier[1] == filled:  # the same row twice (copied): once is enough
            taken.outcome[n] = "duplicate"
            return
        first = earlier[0]
        if taken.outcome.get(first) != "rejected":  # neither of two differing rows is taken
            taken.changes = [c for c in taken.changes if c.row != first]
            taken.reject(first, f"条目 {ref} 在第 {n} 行又填了一次，内容不同，两行都未采用")
        return reject(f"条目 {ref} 已在第 {first} 行填报，同一条目只能填一行（内容不同，两行都未采用）")
    seen[ref] = (n, filled)
    try:
        change = plan_change(taken, item, entry, r, columns, n, ctx)
    except ValueError as exc:
        return reject(str(exc))
    if change is not None:
        taken.changes.append(change)


# =========================================================================== what a row makes of an item


def _source_form(e: Any) -> str | None:
    src = getattr(e, "source", None)
    return src.form if src is not None else None


def sent_status(r: tuple[Any, ...], columns: dict[str, int]) -> Status:
    """The status the item had when the form was made, as its 目前情况 cell says (a sent cell, checked)."""
    word = re.split("[（(；;]", cells.text(_fill(r, columns, "目前情况")), maxsplit=1)[0]
    try:
        return cells.to_status(word) or Status.NOT_STARTED
    except ValueError:
        return Status.NOT_STARTED


def plan_change(taken: Taken, item: Item, entry: PlanEntry, r: tuple[Any, ...], columns: dict[str, int], n: int, ctx: Context) -> Change:
    """The change one filled-in row asks for (ValueError: the row's problem, in Chinese).

    What a row says depends only on the row: a status is *claimed* when it differs from the status
    the form was sent with (its 目前情况), so taking the same row in again gives the same entries."""
    assert taken.period is not None
    period, today, dept = taken.period, ctx.today, taken.dept
    note = cells.text(_fill(r, columns, "本期进展情况")) or None
    evidence = cells.text(_fill(r, columns, "佐证材料/链接")) or None
    status = cells.to_status(_fill(r, columns, "完成状态"))
    completed = cells.to_date(_fill(r, columns, "完成日期"), period.start.year)
    role = cells.text(_fill(r, columns, "职责"))
    events = _events(r, columns, period, item, entry.plan.year, role)
    if status is Status.CANCELLED:
        raise ValueError("完成状态不能填“已取消”：取消条目须经办公室研究决定，请在本期进展情况中说明")
    if item.status is Status.CANCELLED:
        raise ValueError(f"条目已于办公室取消（{(item.reason or '').strip()[:30]}），不再报送")
    if completed is not None and status is not Status.DONE:
        raise ValueError(f"填了完成日期 {completed}，完成状态却不是“已完成”")
    for d, what in [(completed, "完成日期")] + [(d, "事件日期") for d, _ in events] + [(d, "公开日期") for _, d in events]:
        if d is not None and d > today:
            raise ValueError(f"{what} {d} 晚于报送当天 {today}")
    sent = sent_status(r, columns)
    stated = status
    if stated is None and sent is Status.NOT_STARTED and (note or evidence or events):
        stated = Status.IN_PROGRESS  # progress on an item not started: it has started
    if stated is not None and RANK[stated] < RANK.get(sent, 0):
        raise ValueError(f"完成状态倒退：条目目前为“{sent.value}”，报送为“{stated.value}”；如确需更正，请与办公室联系")
    claim = stated if stated is not None and stated is not sent else None
    when = min(today, period.end)
    source = {"form": taken.form, "period": period.key}
    entries: list[dict[str, Any]] = []
    if note or evidence or claim is not None:
        date = completed if completed is not None else when
        entries.append(_entry(date, dept, note, evidence, claim, source))
    close: list[tuple[dt.date, dt.date]] = []
    periodic = bool(_kinds(item, entry.plan.year) & {DeadlineKind.RECURRING, DeadlineKind.COUNT})
    for ev, done in events:
        # an event the office registered (not from a form): the return gives its 公开日期
        known = [e for e in item.log if e.event == ev and e.source is None]
        if known:
            if done is None or known[0].done == done:
                continue
            if known[0].done is not None:
                raise ValueError(f"事件 {ev} 已登记公开日期 {known[0].done}，与填报的 {done} 不同；如需更正请与办公室联系")
            close.append((ev, done))
            continue
        e = _entry(done or ev, dept, None, None, None, source)
        e["event"], e["done"] = ev, done
        if periodic:
            e["counts"] = False  # an event of the working-day duty is not one of the counted times
        entries.append(e)
    ref = f"{entry.plan.unit}/{entry.plan.year}/{item.id}"
    done_on = (completed or when) if claim is Status.DONE else None
    return Change(taken.sheet, n, ref, item.id, taken.form, period.key, entries, close, claim, done_on, sent=sent)


def _entry(date: dt.date, by: str, note: str | None, evidence: str | None, status: Status | None, source: dict[str, str]) -> dict[str, Any]:
    return {"date": date, "by": by, "note": note, "evidence": evidence, "status": status, "source": source}


def _kinds(item: Item, year: int) -> set[DeadlineKind]:
    from ggk.deadlines import resolve

    return {rule.kind for d in item.deadline if (rule := resolve(d, year)) is not None}


def _events(
    r: tuple[Any, ...], columns: dict[str, int], period: ReportPeriod, item: Item, plan_year: int, role: str
) -> list[tuple[dt.date, dt.date | None]]:
    year = period.start.year
    evs = cells.dates(_fill(r, columns, "事件日期"), year)
    dones = cells.dates(_fill(r, columns, "公开日期"), year)
    if not any(evs) and not any(dones):
        return []
    if role != "牵头":
        raise ValueError(f"{'、'.join(EVENT_COLUMNS)}由牵头单位填写，配合单位请在本期进展情况中说明")
    if DeadlineKind.WORKDAYS not in _kinds(item, plan_year):
        raise ValueError(f"此条目没有“××之日起N个工作日内”的时限，{'、'.join(EVENT_COLUMNS)}不用填")
    out: list[tuple[dt.date, dt.date | None]] = []
    for i in range(max(len(evs), len(dones))):
        ev = evs[i] if i < len(evs) else None
        done = dones[i] if i < len(dones) else None
        if ev is None and done is None:
            continue
        if ev is None:
            raise ValueError(f"第 {i + 1} 个公开日期 {done} 没有对应的事件日期")
        if done is not None and done < ev:
            raise ValueError(f"公开日期 {done} 早于事件日期 {ev}")
        out.append((ev, done))
    return out


# =========================================================================== applying


#: When an entry was entered (``recorded``, ``done_recorded``) is not what it says: a return taken in again
#: on a later day says the same as before.
_ENTERED = ("recorded", "done_recorded")


def _plain_entry(e: Any) -> dict[str, Any]:
    from ggk.ledger.edits import to_plain

    data = to_plain(e) if not isinstance(e, dict) else dict(e)
    out = {}
    for k, v in data.items():
        if v is None or (k == "counts" and v is True) or k in _ENTERED:
            continue
        if isinstance(v, Status):
            v = v.value
        if isinstance(v, dt.datetime):
            v = v.date()
        out[k] = v
    return out


@dataclass
class Decision:
    """What one change does to one item, decided on plain data (``decide``)."""

    remove: list[int]  # indices of the item's log entries to drop (what the form said before)
    add: list[dict[str, Any]]  # entries to append
    close: list[tuple[int, dt.date]]  # (index of an open event's entry, its 公开日期)
    status: Status | None  # the item's new status (None: unchanged)
    completed: dt.date | None  # its completion date with that status (None: none)

    @property
    def changed(self) -> bool:
        return bool(self.remove or self.add or self.close) or self.status is not None


def decide(log: list[dict[str, Any]], status_now: Status, completed_now: dt.date | None, ch: Change) -> Decision:
    """The decision for ``ch`` on an item whose log (as plain entries) and status are given."""
    from ggk.ledger.edits import open_events_of

    want = [_plain_entry(e) for e in ch.entries]
    if ch.additive:
        have = {_said(e) for e in log if e.get("deleted") is None}
        want = [w for w in want if _said(w) not in have]
        mine: list[int] = []
    else:
        mine = [
            i
            for i, e in enumerate(log)
            if e.get("deleted") is None and isinstance(e.get("source"), dict) and str(e["source"].get("form")) == ch.form
        ]
    close = []
    for ev, done in ch.close_events:
        open_events = open_events_of(log, ev)
        if open_events:
            close.append((open_events[0], done))
    target, completed = _target(log, mine, ch, status_now, completed_now)
    # a row that says nothing new (only the status it was sent with) leaves what the form said before
    same_entries = not want or (not ch.additive and [log[i] for i in mine] == want)
    if target is not None and status_now is target and completed_now == completed:
        target = None
    if same_entries:
        return Decision([], [], close, target, completed)
    return Decision(mine, want, close, target, completed)


def apply_change(doc: Any, ch: Change, index: dict[str, Any] | None = None, recorded: dt.date | None = None) -> bool:
    """Apply one change to the plan document; False when the item already says all of it.  ``index``:
    the document's items by id (found once for many changes); ``recorded``: the day of the intake, kept
    on entries and 公开日期 dated before it (``ggk.ledger.edits.add_log``), so that reports of earlier
    days are made without them; what a corrected return replaces is marked deleted on that day (without
    ``recorded``: removed)."""
    from ggk.ledger import edits

    item = index.get(ch.item_id) if index is not None else None
    if item is None:
        item = edits.find_item(doc, ch.item_id)
    log = item.get("log")
    log = log if isinstance(log, list) else []
    completed_now = item.get("completed")
    d = decide([_plain_entry(e) for e in log], edits._status_of(item), _as_date(completed_now), ch)
    if not d.changed:
        return False
    for i, done in d.close:
        edits.close_event(log[i], done, recorded)
    for i in sorted(d.remove, reverse=True):
        if recorded is None:
            del log[i]
        else:  # kept, as a deletion of that day: the reports of the days before stay what they were
            trace = {"date": recorded, "reason": f"报送表 {ch.form} 更正后重新录入"}
            edits.set_key(log[i], "deleted", edits.flow_map(trace), edits.LOG_KEYS)
    for w in d.add:
        edits.add_log(
            doc,
            ch.item_id,
            date=w["date"],
            note=w.get("note"),
            by=w.get("by"),
            evidence=w.get("evidence"),
            status=Status(w["status"]) if w.get("status") else None,
            event=w.get("event"),
            done=w.get("done"),
            counts=w.get("counts"),
            source=w.get("source"),
            item=item,
            recorded=recorded,
        )
    if d.status is not None:
        edits.set_key(item, "status", d.status.value)
        if d.completed is not None:
            edits.set_key(item, "completed", d.completed)
        elif "completed" in item:
            del item["completed"]
    return True


def model_entries(item: Item) -> list[dict[str, Any]]:
    """An item's log as plain entries, as ``_plain_entry`` makes them from the file."""
    return [_plain_entry(e.model_dump(exclude_defaults=True)) for e in item.log]


def _target(log: list[dict[str, Any]], mine: list[int], ch: Change, status_now: Status, completed_now: Any) -> tuple[Status | None, Any]:
    """The item's status and completion date after this change (status None: left as it is).

    Order-independent, so that several forms about one item, taken in together or one by one, in any
    order, end in the same state: a claim never moves the status back (another return or the office
    may have moved it further); among several 已完成 the earliest date stands; a claim the form no
    longer makes (a corrected return) falls back to the status it was sent with, unless another
    report makes the same claim."""
    own = [log[i] for i in mine if log[i].get("status") is not None]
    others = [e for i, e in enumerate(log) if i not in mine and e.get("status") is not None and e.get("deleted") is None]
    if ch.status is None:
        if not own or ch.sent is None or ch.additive:
            return None, completed_now
        claimed = _status_word(own[-1].get("status"))
        if status_now is not claimed or any(_status_word(e.get("status")) is claimed for e in others):
            return None, completed_now
        return ch.sent, None
    if status_now is Status.CANCELLED or RANK[status_now] > RANK[ch.status]:
        return None, completed_now
    if ch.status is Status.DONE:
        dates = [ch.completed] + [_as_date(e.get("date")) for e in others if _status_word(e.get("status")) is Status.DONE]
        if status_now is Status.DONE and completed_now is not None and not own:
            dates.append(_as_date(completed_now))
        return Status.DONE, min(d for d in dates if d is not None)
    return ch.status, None


def _status_word(value: Any) -> Status | None:
    try:
        return Status(str(value)) if value is not None else None
    except ValueError:
        return None


def _as_date(value: Any) -> Any:
    return value.date() if isinstance(value, dt.datetime) else value


def _said(e: dict[str, Any]) -> tuple[str, str]:
    """What a 工作台账 line says: its date and text."""
    return str(e.get("date")), " ".join(str(e.get("note") or "").split())


def apply(taken: Sequence[Taken], ctx: Context, *, dry_run: bool) -> list[Any]:
    """One edit per plan file holding all of its accepted rows (all or none); each row's outcome is
    recorded on its ``Taken``.  Returns the ``EditResult`` of each plan file."""
    from ggk.workspace.transaction import edit_plan

    groups: dict[Path, list[tuple[Taken, Change]]] = {}
    for t in taken:
        if not t.fatal and t.plan_path is not None:
            for ch in t.changes:
                groups.setdefault(t.plan_path, []).append((t, ch))
    results = []
    for path, pairs in groups.items():
        if not _changes_anything(pairs, ctx):  # nothing new: the file is not even parsed for editing
            for t, ch in pairs:
                t.outcome[ch.row] = "unchanged"
            continue

        def fn(doc: Any, pairs: list[tuple[Taken, Change]] = pairs) -> list[bool]:
            from ggk.ledger.edits import iter_items

            index: dict[str, Any] = {}
            for _loc, it in iter_items(doc):
                index.setdefault(str(it.get("id")), it)
            return [apply_change(doc, ch, index, recorded=ctx.today) for _t, ch in pairs]

        try:
            r = edit_plan(path, fn, dry_run=dry_run, today=ctx.today)
        except GgkError as exc:
            _refuse(pairs, f"{path} 未修改：{exc.message}")
            continue
        if r.refused:
            first = r.errors[0]
            _refuse(pairs, f"{path} 未修改：修改后计划文件将有问题：{first.path}:{first.line}:{first.col}: {first.message}")
        else:
            for (t, ch), changed in zip(pairs, r.value, strict=True):
                t.outcome[ch.row] = "applied" if changed else "unchanged"
        results.append(r)
    for t in taken:
        for ch in t.changes:
            t.outcome.setdefault(ch.row, "unchanged")
    return results


def _changes_anything(pairs: list[tuple[Taken, Change]], ctx: Context) -> bool:
    """Whether the changes, applied in turn, would change the plan as it was loaded (decided on the
    loaded models: taking in returns already taken in costs no edit at all)."""
    entry = next((e for e in ctx.ws.plans if e.path == pairs[0][0].plan_path), None)
    if entry is None:
        return True
    state: dict[str, tuple[list[dict[str, Any]], Status, Any]] = {}
    for _t, ch in pairs:
        if ch.item_id not in state:
            it = ctx.item(entry, ch.item_id)
            if it is None:
                return True
            state[ch.item_id] = (model_entries(it), it.status, it.completed)
        log, status, completed = state[ch.item_id]
        d = decide(log, status, completed, ch)
        if d.changed:
            return True
    return False


def _refuse(pairs: list[tuple[Taken, Change]], message: str) -> None:
    told: set[int] = set()
    for t, ch in pairs:
        if id(t) not in told:
            t.problems.append(Problem(str(t.path), t.sheet, None, message))
            told.add(id(t))
        t.outcome[ch.row] = "rejected"


@dataclass
class DeptSummary:
    unit: str
    dept: str
    period: str
    files: int = 0
    applied: int = 0
    unchanged: int = 0
    rejected: int = 0
    blank: int = 0


@dataclass
class Missing:
    unit: str
    period: ReportPeriod
    depts: list[str]

    def to_json(self) -> dict[str, Any]:
        return {"unit": self.unit, "period": self.period.key, "due": self.period.due.isoformat(), "departments": self.depts}


@dataclass
class IntakeReport:
    """What ``ggk intake`` did: per file and row, per department, and who has not returned yet."""

    as_of: dt.date
    dry_run: bool
    taken: list[Taken]
    edits: list[Any]
    register: list[str]
    missing: list[Missing]

    @property
    def problems(self) -> list[Problem]:
        return [p for t in self.taken for p in t.problems]

    @property
    def failed(self) -> bool:
        """Some file or row was not taken in."""
        return any(t.fatal or t.count("rejected") for t in self.taken)

    def summary(self) -> list[DeptSummary]:
        out: dict[tuple[str, str, str], DeptSummary] = {}
        for t in self.taken:
            if t.fatal:
                continue
            period = t.period.key if t.period else ""
            key = (t.unit, t.dept or "（台账）", period)
            s = out.setdefault(key, DeptSummary(*key))
            s.files += 1
            s.applied += t.count("applied")
            s.unchanged += t.count("unchanged") + t.count("duplicate")
            s.rejected += t.count("rejected")
            s.blank += t.blank
        return list(out.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "dry_run": self.dry_run,
            "files": [
                {"path": str(t.path), "sheet": t.sheet, "kind": t.kind, "form": t.form, "dept": t.dept, "taken": not t.fatal}
                for t in self.taken
            ],
            "departments": json_data(self.summary()),
            "problems": [p.to_json() for p in self.problems],
            "written": [str(r.path) for r in self.edits if r.written],
            "register": self.register,
            "not_returned": [m.to_json() for m in self.missing],
        }


def record(taken: Sequence[Taken], ctx: Context, *, dry_run: bool) -> list[str]:
    """Enter each form taken in into its unit's register (idempotent by form id)."""
    from ggk.ledger.register import ReturnRecord, record_returns, register_path, unit_dir_of

    by_unit: dict[str, list[ReturnRecord]] = {}
    for t in taken:
        if t.kind != "form" or t.fatal or t.period is None:
            continue
        revised = ctx.today if t.count("applied") else None
        rec = ReturnRecord(
            form=t.form, period=t.period.key, dept=t.dept, received=ctx.today, revised=revised, reporter=t.reporter, phone=t.phone
        )
        by_unit.setdefault(t.unit, []).append(rec)
    lines: list[str] = []
    for unit, recs in by_unit.items():
        lines += record_returns(register_path(unit_dir_of(ctx.ws, unit)), unit, recs, dry_run=dry_run)
    return lines


def not_returned(taken: Sequence[Taken], ctx: Context) -> list[Missing]:
    """For each unit and period taken in: the departments that owe a report for it and have made none
    (no form returned, no progress entry of theirs in the period: ``ggk.returns.cadence``)."""
    from ggk.ledger.register import read_register, register_path
    from ggk.returns.cadence import LATE, ON_TIME, reports_of, state_of
    from ggk.returns.forms import owing_departments, plan_for

    seen: dict[tuple[str, str], ReportPeriod] = {}
    for t in taken:
        if t.kind == "form" and not t.fatal and t.period is not None:
            seen.setdefault((t.unit, t.period.key), t.period)
    out = []
    for (unit, key), period in seen.items():
        entry = plan_for(ctx.ws, unit, period)
        register = read_register(register_path(entry.path.parent), unit).as_of(ctx.today)
        reports = reports_of(ctx.ws, entry, register, ctx.today)
        here = {t.dept for t in taken if t.unit == unit and t.period is not None and t.period.key == key and not t.fatal}
        missing = [
            d
            for d in owing_departments(ctx.ws, entry, period)
            if d not in here and state_of(period, reports.get(d, []), ctx.today).state not in (ON_TIME, LATE)
        ]
        out.append(Missing(unit, period, missing))
    return out


def _registers_readable(taken: Sequence[Taken], ctx: Context) -> None:
    from ggk.ledger.register import read_register, register_path, unit_dir_of

    for unit in sorted({t.unit for t in taken if t.kind == "form" and not t.fatal}):
        read_register(register_path(unit_dir_of(ctx.ws, unit)), unit)


def _read_or_refuse(path: Path, ctx: Context) -> list[Taken]:
    """The returns in one file; a file that cannot be read at all is one problem among the others
    (thirty files came in: the twenty-nine good ones are still taken)."""
    try:
        return read_return(path, ctx)
    except GgkError as exc:
        message = exc.message + (f"（{exc.hint}）" if exc.hint else "")
        return [Taken(path, "", "form", problems=[Problem(str(path), None, None, message)], fatal=True)]


def intake(paths: Sequence[Path], ctx: Context, *, dry_run: bool = False) -> IntakeReport:
    """Read, check and apply returned forms (see the module docstring)."""
    taken = [t for p in paths for t in _read_or_refuse(Path(p), ctx)]
    _registers_readable(taken, ctx)  # before anything is written: the returns are entered there last
    results = apply(taken, ctx, dry_run=dry_run)
    lines = record(taken, ctx, dry_run=dry_run)
    return IntakeReport(ctx.today, dry_run, taken, results, lines, not_returned(taken, ctx))
