"""Reading the 工作台账 that ``ggk report --format xlsx`` writes, when an office keeps progress in it by hand.

The 台账 has no hidden key: a row is matched to its item by 工作任务 (and 序号, which is the item's
place in the plan), the plan by the sheet's title.  What is read: new lines of 进展情况 (a line
starts with its date: ``2026-11-20 完成迁移``, ``2026年11月20日，完成迁移``) and a changed 完成状态; the
lines ggk wrote are recognised and skipped, so taking the same 台账 in twice adds nothing.  The other
columns are the plan's: a row whose 具体内容, 牵头单位, 配合单位 or 完成时限 differ from the plan is
rejected (assignments and deadlines change through ``ggk assign`` / ``postpone``, not through the 台账).
The same checks as for a form apply (``ggk.returns.intake``).
"""

from __future__ import annotations

import re
from typing import Any

from ggk.deadlines import reporting
from ggk.ledger.reports import LEDGER_COLUMNS, progress_text
from ggk.model import Status
from ggk.registry import Registry
from ggk.returns import cells
from ggk.returns.forms import departments_of
from ggk.returns.taken import RANK, Book, Change, Context, Problem, Taken, _header_at

LEDGER = "工作台账"
_TITLE = re.compile(r"^(?P<plan>.+?)工作台账(?:：(?P<dept>.+?))?（截至.*）$")
_LINE = re.compile(r"^\s*(?P<date>\d{4}\s*(?:[-/.]|年)\s*\d{1,2}\s*(?:[-/.]|月)\s*\d{1,2}\s*日?)[\s，,：:、]*(?P<note>.*)$")
#: The columns that are the plan's, compared with it.
PLAN_COLUMNS = ("具体内容", "牵头单位", "配合单位", "完成时限")


def is_ledger(book: Book) -> bool:
    for rows in book.values():
        if rows and _TITLE.match(cells.text(rows[0][0] if rows[0] else "")) and _header_at(rows, "进展情况", 3):
            return True
    return False


def read_ledger(path: Any, book: Book, ctx: Context) -> list[Taken]:
    out = []
    for name, rows in book.items():
        m = _TITLE.match(cells.text(rows[0][0])) if rows and rows[0] else None
        found = _header_at(rows, "进展情况", 3) if m else None
        if m is None or found is None:
            continue
        out.append(_read_sheet(path, name, rows, m.group("plan"), m.group("dept"), found, ctx))
    return out


def _read_sheet(path: Any, name: str, rows: list[tuple[Any, ...]], title: str, dept: str | None, found: Any, ctx: Context) -> Taken:
    from ggk.ledger.queries import evaluate_entry

    head, columns = found
    file = str(path)
    taken = Taken(path, name, "ledger")
    entries = [e for e in ctx.ws.plans if e.plan.title == title]
    if len(entries) != 1:
        what = "找不到" if not entries else "有多个"
        taken.problems.append(Problem(file, name, 1, f"{what}标题为《{title}》的计划，这张台账未读取"))
        taken.fatal = True
        return taken
    entry = entries[0]
    plan = entry.plan
    if ctx.units and plan.unit not in ctx.units:
        taken.problems.append(Problem(file, name, 1, f"这是单位「{plan.unit}」的台账，不是本次收取的单位（{'、'.join(ctx.units)}）"))
        taken.fatal = True
        return taken
    missing = [c for c in LEDGER_COLUMNS if c not in columns]
    if missing:
        taken.problems.append(Problem(file, name, head + 1, f"台账表头缺少列：{'、'.join(missing)}，这张表未读取"))
        taken.fatal = True
        return taken
    reg = Registry(ctx.ws.unit(plan.unit))
    if dept is not None and reg.canonical(dept) is None:
        taken.problems.append(Problem(file, name, 1, f"台账的部门「{dept}」不在单位名册中，这张表未读取"))
        taken.fatal = True
        return taken
    taken.unit, taken.plan_path, taken.dept = plan.unit, entry.path, (reg.canonical(dept) or dept) if dept else ""
    taken.form = f"ledger-{plan.year}"
    evaluated = evaluate_entry(ctx.ws, entry, ctx.today, calendar=ctx.calendar)
    setting = reporting.setting(plan, ctx.ws.unit(plan.unit))
    for i in range(head + 1, len(rows)):
        _check(taken, rows[i], i + 1, columns, evaluated, reg, setting, ctx)
    return taken


def _cell(r: tuple[Any, ...], columns: dict[str, int], name: str) -> str:
    j = columns.get(name)
    return cells.text(r[j]) if j is not None and j < len(r) else ""


def _row_of(evaluated: list[Any], no: str, task: str) -> Any:
    """The evaluated row of the item a 台账 row is about (None: unknown, or ambiguous)."""
    if no.isdigit() and 1 <= int(no) <= len(evaluated) and evaluated[int(no) - 1].item.title == task:
        return evaluated[int(no) - 1]
    same = [r for r in evaluated if r.item.title == task]
    return same[0] if len(same) == 1 else None


def _check(
    taken: Taken, r: tuple[Any, ...], n: int, columns: dict[str, int], evaluated: list[Any], reg: Registry, setting: Any, ctx: Context
) -> None:
    from ggk.ledger.review import deadline_text

    sheet = taken.sheet
    if not any(cells.text(v) for v in r):
        taken.blank += 1
        return

    def reject(message: str) -> None:
        taken.reject(n, message)

    task = _cell(r, columns, "工作任务")
    row = _row_of(evaluated, _cell(r, columns, "序号"), task)
    if row is None:
        return reject(f"未知条目「{task or _cell(r, columns, '序号')}」：计划中没有（或有不止一条）这个工作任务")
    item = row.item
    if taken.dept and taken.dept not in departments_of(reg, [*item.lead, *item.assist]):
        return reject(f"「{taken.dept}」既不牵头也不配合条目 {row.ref}")
    plan_values = {
        "具体内容": item.text.strip(),
        "牵头单位": "、".join(item.lead),
        "配合单位": "、".join(item.assist),
        "完成时限": deadline_text(row),
    }
    for col in PLAN_COLUMNS:
        if cells.text(plan_values[col]) != _cell(r, columns, col):
            return reject(
                f"「{col}」与计划不同（台账：{_cell(r, columns, col)[:30] or '空'}；计划：{plan_values[col][:30] or '空'}）："
                "台账只读取进展情况和完成状态，分工和时限请用 ggk assign、ggk postpone 修改"
            )
    try:
        status = cells.to_status(_cell(r, columns, "完成状态"))
        lines = _new_lines(_cell(r, columns, "进展情况"), progress_text(row), row.year)
    except ValueError as exc:
        return reject(str(exc))
    for d, _note in lines:
        if d > ctx.today:
            return reject(f"进展情况中的日期 {d} 晚于今天 {ctx.today}")
    if item.status is Status.CANCELLED:
        if lines or (status is not None and status is not Status.CANCELLED):
            return reject("条目已取消，台账中的改动未读取")
        return
    want = status if status is not None else item.status
    if want is Status.CANCELLED:
        return reject("完成状态不能在台账中改为“已取消”：取消须写明原因，请用 ggk update --status 已取消 --reason …")
    if RANK[want] < RANK[item.status]:
        return reject(f"完成状态倒退：计划中为“{item.status.value}”，台账为“{want.value}”")
    if want is Status.NOT_STARTED and lines:
        want = Status.IN_PROGRESS
    if not lines and want is item.status:
        taken.outcome[n] = "unchanged"
        return
    by = taken.dept or (reg.canonical(item.lead[0]) or item.lead[0] if item.lead else None)
    entries = []
    for d, note in lines:
        period = reporting.period_of(d, setting, ctx.calendar)
        entries.append({"date": d, "by": by, "note": note or None, "source": {"form": taken.form, "period": period.key}})
    if want is not item.status:
        if entries:
            entries[-1]["status"] = want
        else:
            period = reporting.period_of(ctx.today, setting, ctx.calendar)
            entries.append({"date": ctx.today, "by": by, "status": want, "source": {"form": taken.form, "period": period.key}})
    completed = None
    if want is Status.DONE:
        completed = item.completed or max(e["date"] for e in entries)
    change = Change(sheet, n, row.ref, item.id, taken.form, entries[0]["source"]["period"], entries, [], want, completed, additive=True)
    taken.changes.append(change)


def _new_lines(cell: str, written: str, year: int) -> list[tuple[Any, str]]:
    """The lines of 进展情况 that ggk did not write: (date, text); ValueError for a line without a date."""
    known = {" ".join(line.split()) for line in written.split("\n") if line.strip()}
    out = []
    for line in cell.split("\n"):
        flat = " ".join(line.split())
        if not flat or flat in known:
            continue
        m = _LINE.match(flat)
        if m is None:
            raise ValueError(f"进展情况中的「{flat[:30]}」没有日期：每行以日期开头，如 2026-11-20 完成迁移")
        out.append((cells.to_date(m.group("date"), year), m.group("note").strip()))
    return out
