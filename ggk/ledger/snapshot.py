"""The ledger on one day: every plan as its file says it stood on the as-of date.

Owns ``snapshot(ws, day)``, the stage every report passes through once, right after loading
(``ggk.workspace.session.open_workspace``), so that status, overdue, list, show, review, report, notice
and calendar all see the same state.  A report made on 06-30 and re-made in December with
``--as-of 06-30`` is the same, byte for byte: what the file says was entered after the day is left
out, whatever day it is dated.  The rules (README "报告日期"):

- a record is there on the day when its date is not after it and it had been entered by then: an entry
  entered later than its date (补记: ``ggk intake`` of a return, ``ggk note --date``) carries the day it
  was entered (``recorded``), and is there from that day; so are a 公开日期 entered late
  (``done_recorded``) and a postponement entered late (``recorded`` in ``history``);
- a plan whose ``issued`` date is after the day is not yet in force: it moves to ``ws.unissued``; the
  tasks carried into it from the year before (``carried_from``) are in force from their carry-over,
  so until the 印发日期 the plan stays in the report with them alone, as it was before the document
  came (the 印发日期 was not known then: the copy has none);
- progress entries dated or entered after the day are not there yet; a correction (``corrected``) and a
  deletion (``deleted``) count from their own date: before it the entry is there with the values it had
  then (each correction's ``was``);
- an event of a working-day duty closed (``done``) after the day, or entered as closed after it, is
  still open on it;
- the status is the one in force on the day: the file's, unless a later log entry changed it, an entry
  that changed it by the day has been deleted since (a return corrected later), or the item was
  completed (or its completion entered) later — then the status set by the last change entered
  by the day (no change yet: 进行中 if there is progress by then, else 未启动); ``completed`` and
  ``reason`` follow the status;
- postponements (``history``) decided or entered after the day have not happened: the deadline in
  force is the one the first later change replaced;
- a first time limit set after the day (``deadline_set``, ``ggk deadline`` on standing work) is not
  there: the item is standing work on the day;
- the departments are those in force on the day: a change (``assigned``, ``ggk assign``) made after it
  gives back the lead and assist it replaced (``departments_on`` gives them for any day, for the
  periods each department owed);
- a ``carried_to`` mark exists from its carry-over note in the log; an item carried into a plan exists
  from its first log entry (the carry-over's note); an item added to a plan in force (``added``: merged
  in by ``ggk import``) exists from the day it was added;
- a summary (落实情况) shows from its ``summary_date``, or from the day it was entered when that was
  later (``summary_recorded``); before that, the summary it replaced (``summary_history``) shows, as it
  did then; one without a date (written by hand) shows when nothing of the item is dated after the day,
  or once the plan year has ended.

Pure: items with nothing after the day are the same objects; the others are copies.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

from ggk.model import LogEntry, Status
from ggk.workspace.load import PlanEntry, Workspace


def snapshot(ws: Workspace, day: dt.date) -> Workspace:
    """The workspace as it stood on ``day`` (see the module docstring)."""
    plans: list[PlanEntry] = []
    unissued: list[PlanEntry] = []
    for entry in ws.plans:
        plan = entry.plan
        if plan.issued is not None and plan.issued > day:
            unissued.append(entry)
            carried = carried_part(plan, day)
            if carried is not None:
                plans.append(dataclasses.replace(entry, plan=carried))
            continue
        new = plan_on(plan, day)
        plans.append(entry if new is plan else dataclasses.replace(entry, plan=new))
    return dataclasses.replace(ws, plans=plans, unissued=[*ws.unissued, *unissued], as_of=day)


def plan_on(plan: Any, day: dt.date) -> Any:
    """``plan`` as it stood on ``day`` (the same object when nothing in it is dated after the day)."""
    year_over = day > dt.date(plan.year, 12, 31)
    sections = _sections_on(plan.sections, day, year_over)
    return plan if sections is plan.sections else _replace(plan, sections=sections)


def carried_part(plan: Any, day: dt.date) -> Any:
    """A plan not yet issued on ``day`` as it stood then: the tasks carried into it by ``day`` alone,
    without the 印发日期 (nobody knew it yet); None when nothing had been carried into it."""
    year_over = day > dt.date(plan.year, 12, 31)

    def keep(sections: Any) -> list[Any]:
        out = []
        for sec in sections:
            items = [it for it in sec.items if it.carried_from]
            items = [new for it in items if (new := item_on(it, day, year_over)) is not None]
            subs = keep(sec.sections)
            if items or subs:
                out.append(_replace(sec, items=items, sections=subs))
        return out

    sections = keep(plan.sections)
    return _replace(plan, sections=sections, issued=None) if sections else None


def _sections_on(sections: Any, day: dt.date, year_over: bool) -> Any:
    out = None  # made only when something in these sections changed
    for i, sec in enumerate(sections):
        items = sec.items
        new_items = _items_on(items, day, year_over)
        subs = _sections_on(sec.sections, day, year_over)
        if new_items is not None or subs is not sec.sections:
            if out is None:
                out = list(sections[:i])
            sec = _replace(sec, items=type(items)(new_items if new_items is not None else items), sections=subs)
        if out is not None:
            out.append(sec)
    return type(sections)(out) if out is not None else sections


def _items_on(items: Any, day: dt.date, year_over: bool) -> list[Any] | None:
    """A section's items as they stood on ``day``, or None when none of them changed (the common case)."""
    for item in items:
        if not _untouched(item, day):
            break
    else:
        return None
    out = []
    for item in items:
        new = item if _untouched(item, day) else item_on(item, day, year_over)
        if new is not None:
            out.append(new)
    return out


def _untouched(item: Any, day: dt.date) -> bool:
    """Nothing of ``item`` is dated or entered after ``day`` and none of its entries is deleted: it stands
    as filed.  The check every item of every report goes through: plain loops, no generators."""
    completed = item.completed
    if completed is not None and completed > day:
        return False
    for e in item.log:
        if e.date > day or e.deleted is not None:
            return False
        recorded = e.recorded
        if recorded is not None and recorded > day:
            return False
        done = e.done
        if done is not None and (done > day or (e.done_recorded is not None and e.done_recorded > day)):
            return False
        for c in e.corrected:
            if c.date > day:
                return False
    for h in item.history:
        if h.date > day or (h.recorded is not None and h.recorded > day):
            return False
    for a in item.assigned:
        if a.date > day:
            return False
    added, deadline_set = item.added, item.deadline_set
    if (added is not None and added > day) or (deadline_set is not None and deadline_set > day):
        return False
    summary_date, summary_recorded = item.summary_date, item.summary_recorded
    return (summary_date is None or summary_date <= day) and (summary_recorded is None or summary_recorded <= day)


def _dates(item: Any) -> Iterable[dt.date]:
    """Every date of ``item`` that records something done, decided or entered (not its deadlines)."""
    if item.completed is not None:
        yield item.completed
    for e in item.log:
        yield _entered(e)
        if e.done is not None:
            yield e.done
        if e.done_recorded is not None:
            yield e.done_recorded
    for h in item.history:
        yield _entered(h)


def item_on(item: Any, day: dt.date, year_over: bool = False) -> Any:
    """``item`` as it stood on ``day``; None when it did not exist yet (carried into the plan later);
    the same object when nothing of it is dated after the day."""
    if _untouched(item, day):
        return item
    later = any(d > day for d in _dates(item))
    if item.carried_from and _carried_on(item.log, item.carried_from, into=True) > day:
        return None
    if item.added is not None and item.added > day:
        return None
    log = [new for e in item.log if (new := entry_on(e, day)) is not None]
    status, completed, reason = _status_on(item, log, day)
    changes: dict[str, Any] = {"log": type(item.log)(log), "status": status, "completed": completed, "reason": reason}
    history = [h for h in item.history if _entered(h) <= day]
    if len(history) < len(item.history):
        changes["history"] = type(item.history)(history)
        changes["deadline"] = next(h for h in item.history if _entered(h) > day).old
    if item.deadline_set is not None and item.deadline_set > day:
        changes.update(deadline=[], deadline_set=None)  # standing work until its first time limit was set
    assigned = [a for a in item.assigned if a.date <= day]
    if len(assigned) < len(item.assigned):
        first_later = item.assigned[len(assigned)]
        changes.update(assigned=assigned, lead=first_later.lead, assist=first_later.assist)
    if item.carried_to and _carried_on(item.log, item.carried_to, into=False) > day:
        changes["carried_to"] = None
    changes.update(_summary_on(item, day, later, year_over))
    return _replace(item, **changes)


def entry_on(e: Any, day: dt.date) -> Any:
    """The progress entry ``e`` as it stood on ``day``: None when it was not there (dated or entered
    after the day, or deleted by then); with the values it had before each correction made after the
    day; an event closed (or its closing entered) after the day still open.  The same object when none
    of this applies."""
    if e.deleted is not None and e.deleted.date <= day:
        return None
    if e.recorded is not None and e.recorded > day:
        return None
    if e.deleted is not None or any(c.date > day for c in e.corrected):
        e = _before_corrections(e, day)
    if e.date > day:
        return None
    if e.done is not None and (e.done > day or (e.done_recorded is not None and e.done_recorded > day)):
        e = _replace(e, done=None, done_recorded=None)
    return e


def _before_corrections(e: Any, day: dt.date) -> Any:
    """``e`` without its deletion and its corrections made after ``day``: each of those, latest first,
    gives back the values it replaced (``was``; "" for a key the entry did not have)."""
    data = e.model_dump(exclude={"corrected", "deleted"})
    for c in reversed([c for c in e.corrected if c.date > day]):
        for key, value in c.was.items():
            if value == "" or value is None:
                data.pop(key, None)
            else:
                data[key] = value
    data["corrected"] = [c for c in e.corrected if c.date <= day]
    return LogEntry.model_validate({k: v for k, v in data.items() if v is not None})


def _status_on(item: Any, log: list[Any], day: dt.date) -> tuple[Status, dt.date | None, str | None]:
    """(status, completed, reason) in force on ``day``; ``log``: the entries there on the day."""
    done_later = item.status is Status.DONE and item.completed is not None and _completion_entered(item) > day
    # a status change entered after the day, or one there on the day but deleted since (a corrected return)
    changed_later = any(e.status is not None and (e.deleted is None) is not (entry_on(e, day) is not None) for e in item.log)
    if not done_later and not changed_later:
        return item.status, item.completed, item.reason
    before = sorted((e for e in log if e.status is not None), key=_entered)  # in the order they were entered
    if done_later:  # the completion date is what says when it was done
        before = [e for e in before if e.status is not Status.DONE]
    if before:
        status = before[-1].status
    else:
        status = Status.IN_PROGRESS if log else Status.NOT_STARTED
    completed = None
    if status is Status.DONE:
        known = item.completed is not None and _completion_entered(item) <= day
        completed = item.completed if known else before[-1].date
    return status, completed, item.reason if status is Status.CANCELLED else None


def _completion_entered(item: Any) -> dt.date:
    """When the item's completion (``completed``) was there: its date, or the day the entry that
    completed it was entered when that was later (a completion entered late: ``ggk done --date``, an
    intake)."""
    completed: dt.date = item.completed
    entered = [e.recorded for e in item.log if e.status is Status.DONE and e.date == completed and e.recorded is not None]
    return max([completed, *entered[:1]])


def _entered(record: Any) -> dt.date:
    """The day a log entry or postponement was there (``LogEntry.entered``)."""
    day: dt.date = record.entered
    return day


def _carried_on(log: Any, ref: str, *, into: bool) -> dt.date:
    """When the carry-over to (``into=False``) or from (``into=True``) ``ref`` was recorded: the day the
    log entry ``ggk review --carry-over`` wrote was there; the earliest date when there is none (a mark
    written by hand has always been there)."""
    mark = f"由 {ref} 结转" if into else f"（{ref}）"
    found = [_entered(e) for e in log if e.note and mark in e.note]
    return min(found) if found else dt.date.min


def departments_on(item: Any, day: dt.date) -> tuple[list[str], list[str]]:
    """(lead, assist) of ``item`` in force on ``day``: the ones before the first change (``assigned``)
    made after the day, else the item's own."""
    for a in item.assigned:
        if a.date > day:
            return list(a.lead), list(a.assist)
    return list(item.lead), list(item.assist)


def _summary_on(item: Any, day: dt.date, later: bool, year_over: bool) -> dict[str, Any]:
    """The changes that give ``item`` the 落实情况 it had on ``day``: none when its summary was there; else
    the last replaced one (``summary_history``) that was, or no summary at all."""
    if item.summary is None or _summary_shown(item.summary_date, item.summary_recorded, day, later, year_over):
        return {}
    for i in range(len(item.summary_history) - 1, -1, -1):
        v = item.summary_history[i]
        if _summary_shown(v.date, v.recorded, day, later, year_over):
            return {"summary": v.text, "summary_date": v.date, "summary_recorded": v.recorded, "summary_history": item.summary_history[:i]}
    return {"summary": None, "summary_date": None, "summary_recorded": None, "summary_history": []}


def _summary_shown(date: dt.date | None, recorded: dt.date | None, day: dt.date, later: bool, year_over: bool) -> bool:
    """Whether a summary written on ``date`` (entered on ``recorded``) was there on ``day``; one without a
    date (written by hand) when nothing of the item is dated after the day, or once the year is over."""
    if date is not None:
        return max(date, recorded or date) <= day
    return not later or year_over


def _replace(obj: Any, **changes: Any) -> Any:
    """A copy of a model with ``changes``."""
    return obj.model_copy(update=changes)
