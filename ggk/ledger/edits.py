"""The editing operations of the ledger, as library functions on a ruamel.yaml plan document.

Owns what an edit means: assigning departments (交办/分解), dated progress entries (报送进展),
status changes with their completion date or cancellation reason, postponements (延期) with the
old deadline kept in ``history``, the 落实情况 summary, canonical department names, and appending
an item to a section (used by the carry-over feature).  Each function changes the document in
memory and returns a short Chinese description of what it did; writing the file (minimal diff,
validation, lock, atomic replace) is ``ggk.workspace.transaction.edit_plan``.  No typer, no clock: every date is
a parameter.

New keys are inserted where a person would put them (the order of the fields of
``ggk.model.Item``); new values follow the house style of the bundled plans: department lists and
deadline rules in flow style (``[甲, 乙]``, ``{phrase: …, due: …}``), progress entries as block
mappings, long text as ``|-`` blocks.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ggk.diagnostics import GgkError
from ggk.model import Deadline, DeadlineChange, DeadlineKind, Item, LogEntry, Section, Status, parse_status

if TYPE_CHECKING:
    from ggk.workspace.load import Workspace

ITEM_KEYS: tuple[str, ...] = tuple(Item.model_fields)
SECTION_KEYS: tuple[str, ...] = tuple(Section.model_fields)
#: Progress entries are written in the order the bundled ledgers use.
LOG_KEYS: tuple[str, ...] = (
    "date",
    "recorded",
    "by",
    "note",
    "event",
    "done",
    "done_recorded",
    "counts",
    "evidence",
    "status",
    "source",
    "corrected",
    "deleted",
)
HISTORY_KEYS: tuple[str, ...] = tuple(DeadlineChange.model_fields)
#: Keys whose text is written as a ``|-`` block, like the bundled plans do.
_BLOCK_TEXT = ("text", "summary")

assert set(LOG_KEYS) == set(LogEntry.model_fields)


# =========================================================================== ruamel helpers


def flow_list(values: Iterable[Any]) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(list(values))
    seq.fa.set_flow_style()
    return seq


def block_list(values: Iterable[Any]) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(list(values))
    seq.fa.set_block_style()
    return seq


def flow_map(pairs: Mapping[str, Any]) -> Any:
    from ruamel.yaml.comments import CommentedMap

    m = CommentedMap((k, v) for k, v in pairs.items() if v is not None)
    m.fa.set_flow_style()
    return m


def block_map(pairs: Mapping[str, Any]) -> Any:
    from ruamel.yaml.comments import CommentedMap

    m = CommentedMap((k, v) for k, v in pairs.items() if v is not None)
    m.fa.set_block_style()
    return m


def text_value(text: str, literal: bool = False) -> Any:
    """A string value; multi-line text (or ``literal``) becomes a ``|-`` block when possible."""
    from ruamel.yaml.scalarstring import LiteralScalarString

    from ggk.yamlfiles.patch import literal_ok

    # carriage returns are left to the edit transaction, which replaces them and says so
    if ("\n" in text or literal) and literal_ok(text):
        return LiteralScalarString(text)
    return text


def set_key(mapping: Any, key: str, value: Any, order: Sequence[str] = ITEM_KEYS) -> None:
    """Set ``key``; a new key goes after the last existing key that comes before it in ``order``."""
    if key in mapping:
        mapping[key] = value
        return
    rank = {k: i for i, k in enumerate(order)}
    mine = rank.get(key, len(order))
    pos = 0
    for i, k in enumerate(mapping.keys()):
        if rank.get(k, len(order)) < mine:
            pos = i + 1
    mapping.insert(pos, key, value)


def append_to(mapping: Any, key: str, value: Any, order: Sequence[str] = ITEM_KEYS) -> None:
    """Append ``value`` to the list under ``key``, or start that list (block style) where ``order`` puts it."""
    cur = mapping.get(key)
    if isinstance(cur, list):
        cur.append(value)
    else:
        set_key(mapping, key, block_list([value]), order)


def to_plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def _names(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


# =========================================================================== finding items


def iter_items(doc: Any) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every item mapping of a plan document with its data path (as ``Plan.iter_items``)."""

    def walk(sections: Any, base: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Any]]:
        if not isinstance(sections, list):
            return
        for i, sec in enumerate(sections):
            if not isinstance(sec, Mapping):
                continue
            here = (*base, "sections", i)
            items = sec.get("items")
            if isinstance(items, list):
                for j, item in enumerate(items):
                    if isinstance(item, Mapping):
                        yield (*here, "items", j), item
            yield from walk(sec.get("sections"), here)

    if isinstance(doc, Mapping):
        yield from walk(doc.get("sections"), ())


def find_item(doc: Any, item_id: str) -> Any:
    """The item mapping with this id (found by id, so that a concurrent edit cannot misdirect it)."""
    found = [item for _loc, item in iter_items(doc) if str(item.get("id")) == str(item_id)]
    if not found:
        raise GgkError(f"文件中找不到编号为 {item_id} 的条目（可能刚被他人修改）", "用 ggk list 查看编号后重试")
    if len(found) > 1:
        raise GgkError(f"文件中有多个编号为 {item_id} 的条目", "先用 ggk check 找到并改正重复的编号")
    return found[0]


def _status_of(item: Any) -> Status:
    raw = item.get("status")
    if raw is None:
        return Status.NOT_STARTED
    try:
        return parse_status(str(raw))
    except ValueError:
        raise GgkError(f"条目 {item.get('id')} 的状态「{raw}」无法识别", "先用 ggk check 改正") from None


# =========================================================================== operations


def assign(
    doc: Any,
    item_id: str,
    *,
    lead: Sequence[str] | None = None,
    assist: Sequence[str] | None = None,
    add_lead: Sequence[str] = (),
    add_assist: Sequence[str] = (),
    remove: Sequence[str] = (),
    date: dt.date | None = None,
) -> str:
    """Set (``lead``/``assist``) or change (``add_*``/``remove``) the departments of an item.

    Names are written as given: resolve them first (``resolve_departments``).  A department is
    either lead or assist: adding it to one role takes it out of the other.  ``date``: the day of the
    change; when a report of an earlier day could show the item (``dated_record_needed``), the
    departments before it are kept in ``assigned`` with that date, so that the report and the periods
    each department owed (迟报/漏报) stay what they were."""
    item = find_item(doc, item_id)
    cur_lead, cur_assist = _names(item.get("lead")), _names(item.get("assist"))
    new_lead = list(lead) if lead is not None else list(cur_lead)
    new_assist = list(assist) if assist is not None else list(cur_assist)
    both = set(lead or ()) & set(assist or ())
    if both:
        raise GgkError(f"「{'」「'.join(sorted(both))}」不能同时是牵头单位和配合单位")
    if lead is not None and assist is None:
        new_assist = [n for n in new_assist if n not in new_lead]
    if assist is not None and lead is None:
        new_lead = [n for n in new_lead if n not in new_assist]
    for n in add_lead:
        new_assist = [x for x in new_assist if x != n]
        if n not in new_lead:
            new_lead.append(n)
    for n in add_assist:
        new_lead = [x for x in new_lead if x != n]
        if n not in new_assist:
            new_assist.append(n)
    missing = [n for n in remove if n not in new_lead and n not in new_assist]
    if missing:
        raise GgkError(f"条目 {item_id} 的牵头和配合单位中没有「{'」「'.join(missing)}」")
    new_lead = _dedupe(n for n in new_lead if n not in remove)
    new_assist = _dedupe(n for n in new_assist if n not in remove)
    _set_names(item, "lead", new_lead)
    _set_names(item, "assist", new_assist)
    if (new_lead, new_assist) == (cur_lead, cur_assist):
        return f"牵头和配合单位没有变化（牵头：{_join(new_lead)}；配合：{_join(new_assist)}）"
    if date is not None and dated_record_needed(doc, item, date):
        was = {"date": date, "lead": flow_list(cur_lead), "assist": flow_list(cur_assist)}
        append_to(item, "assigned", flow_map(was))
    return f"牵头：{_join(new_lead)}；配合：{_join(new_assist)}"


def dated_record_needed(doc: Any, item: Any, day: dt.date) -> bool:
    """Whether a report of a day before ``day`` shows ``item`` (so a change made on ``day`` needs a date
    for the snapshot, ``ggk.ledger.snapshot``): the plan was in force before it (no 印发日期, or an earlier
    one), or the item was carried into it (in force from its carry-over) or added to it before ``day``."""
    issued = _as_day(doc.get("issued"))
    added = _as_day(item.get("added"))
    if added is not None:
        return added < day
    return issued is None or issued < day or item.get("carried_from") is not None


def _dedupe(names: Iterable[str]) -> list[str]:
    out: list[str] = []
    for n in names:
        if n not in out:
            out.append(n)
    return out


def _join(names: Sequence[str]) -> str:
    return "、".join(names) if names else "（无）"


def _set_names(item: Any, key: str, names: list[str]) -> None:
    cur = item.get(key)
    if _names(cur) == names and (cur is not None or not names):
        return
    if isinstance(cur, list):
        # Change the list in place: it keeps its style (flow or block) and its comments.
        kept = {str(v): v for v in cur}
        del cur[:]
        cur.extend(kept.get(n, n) for n in names)
        return
    set_key(item, key, flow_list(names))


def add_log(
    doc: Any,
    item_id: str,
    *,
    date: dt.date,
    note: str | None = None,
    by: str | None = None,
    evidence: str | None = None,
    status: Status | None = None,
    event: dt.date | None = None,
    done: dt.date | None = None,
    counts: bool | None = None,
    source: Mapping[str, str] | None = None,
    item: Any = None,
    recorded: dt.date | None = None,
) -> Any:
    """Append a dated progress entry to the item's ``log``; return the entry.  ``source``: the returned
    form it came from (``{form: …, period: …}``, written by ``ggk intake``); ``item``: the item's
    mapping when the caller has found it already (an intake appends hundreds of entries); ``recorded``:
    the day it is entered (the command's "today"), written only when later than ``date`` (补记), so that
    reports of earlier days leave the entry out (``late_day``)."""
    item = item if item is not None else find_item(doc, item_id)
    if note is None and evidence is None and status is None and event is None:
        raise GgkError("进展记录至少要有内容（note）、佐证、状态或事件日期之一")
    if done is not None and event is None:
        raise GgkError("--done（公开日期）须与 --event（事件日期）一起给出")
    if event is not None and done is not None and done < event:
        raise GgkError(f"公开日期 {done} 早于事件日期 {event}")
    values = {
        "date": date,
        "recorded": late_day(recorded, date),
        "by": by,
        "note": text_value(note) if note is not None else None,
        "event": event,
        "done": done,
        "counts": counts if counts is False else None,
        "evidence": evidence,
        "status": status.value if status is not None else None,
        "source": flow_map(source) if source else None,
    }
    entry = block_map({k: values.get(k) for k in LOG_KEYS})
    append_to(item, "log", entry)
    return entry


def late_day(recorded: dt.date | None, date: dt.date | None) -> dt.date | None:
    """``recorded`` when it is later than ``date`` (something entered after the day it says), else None:
    the ``recorded``/``done_recorded`` value to write, only then, so that an ordinary entry stays as short
    as ever."""
    if recorded is None or date is None or recorded <= date:
        return None
    return recorded


def set_status(
    doc: Any,
    item_id: str,
    status: Status | str,
    *,
    date: dt.date,
    note: str | None = None,
    by: str | None = None,
    evidence: str | None = None,
    reason: str | None = None,
    recorded: dt.date | None = None,
) -> str:
    """Change the status, with a log entry.  已完成 records ``completed``; 已取消 needs ``reason``.
    ``recorded``: the day it is entered (see ``add_log``).

    Leaving 已完成 removes ``completed`` (it would contradict the status); leaving 已取消 removes
    ``reason``; the log keeps the story."""
    st = status if isinstance(status, Status) else parse_status(status)
    item = find_item(doc, item_id)
    old = _status_of(item)
    reason = reason.strip() if reason else None
    if st is Status.CANCELLED and not reason and not str(item.get("reason") or "").strip():
        raise GgkError("取消条目须写明原因", "加上 --reason 原因")
    if st is old and not (note or evidence or reason):
        raise GgkError(f"条目 {item_id} 的状态已是「{st.value}」", "如要记录进展，用 ggk note；更正完成日期请直接编辑 completed")
    if st is not old:
        set_key(item, "status", st.value)
    parts = [f"状态 {old.value} → {st.value}" if st is not old else f"状态仍为 {st.value}"]
    if st is Status.DONE:
        if st is not old or item.get("completed") is None:  # a note on a done item keeps its date
            set_key(item, "completed", date)
            parts.append(f"完成日期 {date}")
    elif "completed" in item:
        del item["completed"]
        parts.append("删除了完成日期")
    if st is Status.CANCELLED:
        if reason:
            set_key(item, "reason", text_value(reason))
        parts.append(f"原因：{reason or item.get('reason')}")
    elif "reason" in item and old is Status.CANCELLED:
        del item["reason"]
        parts.append("删除了取消原因")
    add_log(
        doc,
        item_id,
        date=date,
        note=note if note is not None else (reason if st is Status.CANCELLED else None),
        by=by,
        evidence=evidence,
        status=st if st is not old else None,
        recorded=recorded,
    )
    return "，".join(parts)


def note(
    doc: Any,
    item_id: str,
    text: str | None,
    *,
    date: dt.date,
    by: str | None = None,
    evidence: str | None = None,
    event: dt.date | None = None,
    done: dt.date | None = None,
    counts: bool | None = None,
    recorded: dt.date | None = None,
) -> str:
    """A progress entry without a status change of one's own (changing the status is ``set_status``).

    - A note on a 未启动 item moves it to 进行中, recorded in the entry (``status: 进行中``) like any
      status change.
    - ``event`` with ``done``, when the item has an open event of that date (logged without ``done``),
      closes that event (its entry gets ``done``) instead of logging a second one; ``text``, if given,
      is logged as a progress entry of its own.  A 公开日期 entered after itself gets ``done_recorded``.
    - ``recorded``: the day it is entered (see ``add_log``)."""
    item = find_item(doc, item_id)
    if event is not None and done is not None:
        log = item.get("log") if isinstance(item.get("log"), list) else []
        open_events = [log[i] for i in open_events_of(log, event)]
        if len(open_events) > 1:
            raise GgkError(f"条目 {item_id} 有 {len(open_events)} 个 {event} 的未办结事件，不知道办结哪一个", "用 ggk correct 逐条改正")
        if open_events:
            if done < event:
                raise GgkError(f"公开日期 {done} 早于事件日期 {event}")
            entry = open_events[0]
            close_event(entry, done, recorded)
            if evidence and not entry.get("evidence"):
                set_key(entry, "evidence", evidence, LOG_KEYS)
            said = [f"办结 {event} 的事件（公开日期 {done}）"]
            if text:
                said.append(_logged(doc, item, item_id, text, date=date, by=by, evidence=evidence, counts=counts, recorded=recorded))
            return "；".join(said)
    if not text and event is None:
        raise GgkError("请写明进展内容", '如 ggk note 条目 "已在网站公开"；办结事件用 --event 日期 --done 日期')
    return _logged(doc, item, item_id, text, date=date, by=by, evidence=evidence, event=event, done=done, counts=counts, recorded=recorded)


def close_event(entry: Any, done: dt.date, recorded: dt.date | None) -> None:
    """Close the open event logged by ``entry``: its 公开日期 ``done``, and the day that is entered when it is
    later (``done_recorded``: a report of a day before shows the event still open, as it was)."""
    set_key(entry, "done", done, LOG_KEYS)
    entered = _as_day(entry.get("recorded")) or _as_day(entry.get("date"))  # when the entry itself was there
    late = late_day(recorded, done)
    if late is not None and (entered is None or late > entered):
        set_key(entry, "done_recorded", late, LOG_KEYS)


def _as_day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def _logged(
    doc: Any,
    item: Any,
    item_id: str,
    text: str | None,
    *,
    date: dt.date,
    by: str | None,
    evidence: str | None,
    event: dt.date | None = None,
    done: dt.date | None = None,
    counts: bool | None = None,
    recorded: dt.date | None = None,
) -> str:
    """Log a progress entry; a 未启动 item moves to 进行中 with it."""
    start = _status_of(item) is Status.NOT_STARTED
    if start:
        set_key(item, "status", Status.IN_PROGRESS.value)
    add_log(
        doc,
        item_id,
        date=date,
        note=text or None,
        by=by,
        evidence=evidence,
        event=event,
        done=done,
        counts=counts,
        status=Status.IN_PROGRESS if start else None,
        recorded=recorded,
    )
    said = f"记录进展（{date}）：{_short(text or f'事件 {event}')}"
    return said + ("；状态 未启动 → 进行中" if start else "")


def open_events_of(log: Sequence[Any], event: dt.date) -> list[int]:
    """Where in ``log`` the open events of day ``event`` are: live entries (not deleted) that log an event
    of that day without its ``done`` (公开日期).  ``ggk note --event --done`` and ``ggk intake`` close them."""
    return [
        i
        for i, e in enumerate(log)
        if isinstance(e, Mapping) and e.get("deleted") is None and e.get("done") is None and _same_day(e.get("event"), event)
    ]


def _live_log(item: Any) -> list[Any]:
    """The item's progress entries that are not deleted."""
    log = item.get("log")
    return [e for e in log if isinstance(e, Mapping) and e.get("deleted") is None] if isinstance(log, list) else []


def _same_day(value: Any, day: dt.date) -> bool:
    return value == day or str(value) == day.isoformat()


def _short(text: str, n: int = 40) -> str:
    one = " ".join(text.split())
    return one if len(one) <= n else one[: n - 1] + "…"


def postpone_phrase(to: dt.date) -> str:
    return f"{to.year}年{to.month}月{to.day}日前"


def postpone(
    doc: Any,
    item_id: str,
    *,
    to: dt.date,
    reason: str,
    date: dt.date,
    by: str | None = None,
    year: int | None = None,
    recorded: dt.date | None = None,
) -> str:
    """Set a new one-time deadline (延期); the old one is kept in ``history`` (a DeadlineChange), with the
    day it is entered when that is later than the decision (``recorded``, see ``add_log``).

    Only a one-time deadline can be postponed; an item without any deadline gets one (old: []).
    Recurring, count and working-day rules and standing work are refused."""
    from ggk.deadlines import resolve

    if not reason or not reason.strip():
        raise GgkError("延期须写明原因", "加上 --reason 原因")
    item = find_item(doc, item_id)
    plan_year = year if year is not None else int(doc.get("year") or to.year)
    raw = item.get("deadline")
    entries = list(raw) if isinstance(raw, list) else ([] if raw is None else [raw])
    once: list[int] = []
    old_due: dt.date | None = None
    for i, e in enumerate(entries):
        try:
            rule = resolve(Deadline.model_validate(to_plain(e)), plan_year)
        except ValueError:
            rule = None
        if rule is None or rule.kind is DeadlineKind.ONCE:
            once.append(i)
            if rule is not None and rule.due:
                old_due = rule.due
    if entries and not once:
        raise GgkError(
            f"条目 {item_id} 的时限是周期、计次、工作日规则或常态化，不能延期",
            "如确需改为一次性时限，请手工编辑 deadline 并在 history 中记录",
        )
    if len(once) > 1:
        raise GgkError(f"条目 {item_id} 有多个一次性时限，不知道延哪一个", "请手工编辑 deadline，并在 history 中记录")
    if old_due is not None and to <= old_due:
        raise GgkError(f"新时限 {to} 不晚于原时限 {old_due}", "延期的新日期应晚于原定日期")
    new_value = flow_map({"phrase": postpone_phrase(to), "due": to})
    old_values = [copy.deepcopy(entries[once[0]])] if once else []
    change = block_map(
        {
            "date": date,
            "recorded": late_day(recorded, date),
            "old": flow_list(old_values),
            "new": flow_list([copy.deepcopy(new_value)]),
            "reason": text_value(reason.strip()),
            "by": by,
        }
    )
    if isinstance(raw, list) and once:
        raw[once[0]] = new_value
    elif isinstance(raw, list):
        raw.append(new_value)
    else:
        set_key(item, "deadline", new_value)
    append_to(item, "history", change)
    was = (
        f"原时限 {old_due}"
        if old_due
        else ("原时限「" + str(to_plain(old_values[0]) if old_values else "") + "」" if old_values else "原无时限")
    )
    return f"延期至 {to}（{was}；原因：{_short(reason)}）"


def set_summary(doc: Any, item_id: str, text: str, *, date: dt.date | None = None, recorded: dt.date | None = None) -> str:
    """Set the item's 落实情况 (``summary``), as a ``|-`` block like the bundled plans, and the day it
    was written (``summary_date``: reports for earlier days do not show it; ``summary_recorded``: the day
    it was entered, only when later than that, see ``add_log``).  A summary it replaces is kept in
    ``summary_history`` with its dates, so that a report of an earlier day still shows it."""
    from ruamel.yaml.scalarstring import LiteralScalarString

    item = find_item(doc, item_id)
    text = text.strip("\r\n")
    if not text.strip():
        raise GgkError("落实情况不能为空")
    cur = item.get("summary")
    if cur is not None and str(cur) == text:
        return f"落实情况没有变化：{_short(text)}"
    old_day = _as_day(item.get("summary_date"))
    if cur is not None and date is not None and (old_day is None or _summary_entered(item) < max(date, recorded or date)):
        # kept only when some day's report showed it: not when it is replaced on the day it was entered
        old = {"text": text_value(str(cur), literal="\n" in str(cur)), "date": old_day, "recorded": item.get("summary_recorded")}
        append_to(item, "summary_history", block_map(old))
    literal = cur is None or isinstance(cur, LiteralScalarString) or "\n" in text
    set_key(item, "summary", text_value(text, literal=literal))
    if date is not None:
        set_key(item, "summary_date", date)
        late = late_day(recorded, date)
        if late is not None:
            set_key(item, "summary_recorded", late)
        elif "summary_recorded" in item:
            del item["summary_recorded"]
    return f"落实情况：{_short(text)}"


def _summary_entered(item: Any) -> dt.date:
    """The day the item's (dated) summary was entered: ``summary_recorded`` when later than its date."""
    day = _as_day(item.get("summary_date")) or dt.date.min
    return max(day, _as_day(item.get("summary_recorded")) or day)


def deadline_value(text: str, year: int) -> Any:
    """The ``deadline`` value for a time limit typed on the command line: a date (2026-06-30,
    2026年6月30日) or a phrase of the document (2026年6月底前, 每季度公开一次, 常态化); a GgkError when
    ggk cannot read it.  One-time limits keep their phrase beside the date (house style)."""
    from ggk.dates import parse_date
    from ggk.deadlines import resolve

    text = text.strip()
    try:
        day = parse_date(text)
    except ValueError:
        pass
    else:
        return flow_map({"phrase": postpone_phrase(day), "due": day})
    rule = resolve(Deadline.model_validate({"phrase": text}), year)
    if rule is None:
        raise GgkError(
            f"无法理解时限「{text}」",
            "写作日期（2026-06-30、2026年6月30日）或文件原文的表述（2026年6月底前、每季度公开一次、常态化）",
        )
    if rule.kind is DeadlineKind.ONCE and rule.due is not None:
        return flow_map({"phrase": text, "due": rule.due})
    return text


def _is_standing(raw: Any, year: int) -> bool:
    """No deadline, or only 常态化: setting one is the first deadline, not a change."""
    from ggk.deadlines import resolve

    entries = list(raw) if isinstance(raw, list) else ([] if raw is None else [raw])
    for e in entries:
        try:
            rule = resolve(Deadline.model_validate(to_plain(e)), year)
        except ValueError:
            return False
        if rule is None or rule.kind is not DeadlineKind.NONE:
            return False
    return True


def set_deadline(
    doc: Any,
    item_id: str,
    value: Any,
    *,
    date: dt.date,
    reason: str | None = None,
    by: str | None = None,
    year: int | None = None,
    recorded: dt.date | None = None,
) -> str:
    """Set the item's time limit (分解时限).  On an item without one (or 常态化) it is simply written:
    no history, it is the first.  Changing an existing one needs ``reason`` and is kept in ``history``
    like a postponement (``ggk show`` calls it 延期 when the new date is later, else 时限调整); a later
    date with approval is what ``postpone`` is for.  ``recorded``: the day it is entered (see ``postpone``)."""
    item = find_item(doc, item_id)
    plan_year = year if year is not None else int(doc.get("year"))
    raw = item.get("deadline")
    words = _deadline_words(value)
    if _is_standing(raw, plan_year):
        if raw is not None and to_plain(raw) == to_plain(value):
            return f"时限已是「{words}」"
        set_key(item, "deadline", value)
        entered = max(date, recorded or date)
        if dated_record_needed(doc, item, entered):
            set_key(item, "deadline_set", entered)
        return f"时限：{words}" + ("（原为常态化）" if raw is not None else "")
    if to_plain(raw) == to_plain(value) or (isinstance(raw, list) and len(raw) == 1 and to_plain(raw[0]) == to_plain(value)):
        return f"时限已是「{words}」，没有变化"
    if not reason or not reason.strip():
        raise GgkError(
            f"条目 {item_id} 已有时限「{_deadline_words(raw)}」，改动须写明原因", "加上 --reason 原因；延后并经批准的用 ggk postpone"
        )
    old = list(raw) if isinstance(raw, list) else [raw]
    change = block_map(
        {
            "date": date,
            "recorded": late_day(recorded, date),
            "old": flow_list(copy.deepcopy(v) for v in old),
            "new": flow_list([copy.deepcopy(value)]),
            "reason": text_value(reason.strip()),
            "by": by,
        }
    )
    set_key(item, "deadline", value)
    append_to(item, "history", change)
    return f"时限：{_deadline_words(raw)} → {words}（原因：{_short(reason)}）"


def _deadline_words(value: Any) -> str:
    plain = to_plain(value)
    if isinstance(plain, list):
        return "；".join(_deadline_words(v) for v in plain)
    if isinstance(plain, Mapping):
        return str(plain.get("phrase") or plain.get("due") or "")
    return str(plain)


PLAN_KEYS: tuple[str, ...] = (
    "format",
    "unit",
    "year",
    "title",
    "doc_no",
    "issued",
    "basis",
    "preamble",
    "example",
    "reporting",
    "remark",
    "sections",
)


def set_issued(doc: Any, issued: dt.date) -> str:
    """Set the plan's 印发日期 (``issued``): reporting periods before it are not owed."""
    cur = doc.get("issued")
    if cur is not None and str(cur) == issued.isoformat():
        return f"印发日期已是 {issued}"
    set_key(doc, "issued", issued, PLAN_KEYS)
    return f"印发日期：{cur} → {issued}" if cur is not None else f"印发日期：{issued}"


#: what a correction may change in a progress entry (a status change is corrected with ``ggk update``)
CORRECTABLE = ("date", "by", "note", "evidence", "event", "done")


def find_entry(item: Any, which: str) -> tuple[int, Any]:
    """The progress entry ``which`` names: its number as ``ggk show`` lists it (1 = the first in the
    file), or its date when one entry not deleted has it.  Returns (number, entry)."""
    from ggk.dates import parse_date

    log = item.get("log")
    entries = list(log) if isinstance(log, list) else []
    if not entries:
        raise GgkError(f"条目 {item.get('id')} 没有进展记录")
    text = str(which).strip()
    if text.isdigit():
        n = int(text)
        if not 1 <= n <= len(entries):
            raise GgkError(f"条目 {item.get('id')} 只有 {len(entries)} 条进展记录，没有第 {n} 条", "用 ggk show 查看进展记录的序号")
        return n, entries[n - 1]
    try:
        day = parse_date(text)
    except ValueError:
        raise GgkError(f"「{which}」不是进展记录的序号或日期", "写序号（ggk show 中的序号）或日期") from None
    found = [(i, e) for i, e in enumerate(entries, start=1) if _same_day(e.get("date"), day) and e.get("deleted") is None]
    if not found:
        raise GgkError(f"条目 {item.get('id')} 没有 {day} 的进展记录", "用 ggk show 查看进展记录")
    if len(found) > 1:
        raise GgkError(f"条目 {item.get('id')} 有 {len(found)} 条 {day} 的进展记录", f"请写序号：{'、'.join(str(i) for i, _e in found)}")
    return found[0]


def correct_entry(
    doc: Any, item_id: str, which: str, changes: Mapping[str, Any], *, date: dt.date, reason: str, by: str | None = None
) -> str:
    """Correct a progress entry: the new values are written, the old ones kept in its ``corrected``
    list with the date, reason and who corrected it (reports use the corrected values)."""
    if not reason or not reason.strip():
        raise GgkError("更正须写明原因", "加上 --reason 原因")
    unknown = [k for k in changes if k not in CORRECTABLE]
    if unknown:
        raise GgkError(f"不能更正 {'、'.join(unknown)}", "改状态请用 ggk update")
    item = find_item(doc, item_id)
    n, entry = find_entry(item, which)
    if entry.get("deleted") is not None:
        raise GgkError(f"条目 {item_id} 的第 {n} 条进展记录已删除，不能更正")
    was = {k: copy.deepcopy(entry.get(k)) for k, v in changes.items() if to_plain(entry.get(k)) != to_plain(v)}
    if not was:
        raise GgkError(f"第 {n} 条进展记录已是这些值，没有需要更正的内容")
    for k in was:
        value = changes[k]
        if value is None:
            del entry[k]
        else:
            set_key(entry, k, text_value(value) if k == "note" else value, LOG_KEYS)
    # a key the entry did not have is kept as "" (it was empty)
    trace = flow_map(
        {"date": date, "reason": reason.strip(), "by": by, "was": flow_map({k: "" if v is None else v for k, v in was.items()})}
    )
    append_to(entry, "corrected", trace, LOG_KEYS)
    return f"更正第 {n} 条进展记录：" + "，".join(f"{k} {to_plain(was[k])} → {to_plain(changes[k])}" for k in was)


def delete_entry(doc: Any, item_id: str, which: str, *, date: dt.date, reason: str, by: str | None = None) -> str:
    """Delete a progress entry, keeping it in the file with ``deleted: {date, reason, by}``: every
    report leaves it out, on every date, and the file still shows what was there and why it went."""
    if not reason or not reason.strip():
        raise GgkError("删除须写明原因", "加上 --reason 原因")
    item = find_item(doc, item_id)
    n, entry = find_entry(item, which)
    if entry.get("deleted") is not None:
        return f"第 {n} 条进展记录已于 {entry['deleted'].get('date')} 删除"
    set_key(entry, "deleted", flow_map({"date": date, "reason": reason.strip(), "by": by}), LOG_KEYS)
    said = f"删除第 {n} 条进展记录（{entry.get('date')} {_short(str(entry.get('note') or ''))}；原因：{_short(reason)}）"
    if entry.get("status") is not None:
        said += f"；该记录曾把状态改为{entry.get('status')}，条目状态未变，如需改正请用 ggk update"
    return said


def contact_value(name: str, role: str | None = None, phone: str | None = None) -> Any:
    """A ``contact`` value in house style: ``{name: 张三, role: 联系人, phone: 0878-1234567}``."""
    if not name or not name.strip():
        raise GgkError("联系人须写姓名", "加上 --name 姓名")
    return flow_map({"name": name.strip(), "role": (role or "").strip() or None, "phone": (phone or "").strip() or None})


def set_item_contact(doc: Any, item_id: str, contact: Any) -> str:
    """Set the item's 责任人/联系人 (``contact``)."""
    item = find_item(doc, item_id)
    set_key(item, "contact", contact)
    return f"联系人：{_contact_words(contact)}"


def set_department_contact(doc: Any, name: str, contact: Any) -> str:
    """Set a registered department's 联系人 in the unit file (a department written as a bare name
    becomes a mapping with its name)."""
    deps = doc.get("departments")
    if not isinstance(deps, list):
        raise GgkError("单位文件中没有部门名册（departments）")
    for i, dep in enumerate(deps):
        dep_name = dep.get("name") if isinstance(dep, Mapping) else dep
        if str(dep_name) == name:
            if not isinstance(dep, Mapping):
                dep = deps[i] = block_map({"name": str(dep_name)})
            set_key(dep, "contact", contact, DEPARTMENT_KEYS)
            return f"{name} 联系人：{_contact_words(contact)}"
    raise GgkError(f"名册中没有部门「{name}」")


DEPARTMENT_KEYS: tuple[str, ...] = ("name", "aliases", "group", "members", "contact", "remark")


def _contact_words(contact: Any) -> str:
    plain = to_plain(contact)
    extra = "，".join(str(plain[k]) for k in ("role", "phone") if plain.get(k))
    return f"{plain['name']}（{extra}）" if extra else str(plain["name"])


# =========================================================================== department names


@dataclass
class Unresolved:
    item_id: str
    name: str
    suggestions: list[str] = field(default_factory=list)


def resolve_departments(registry: Any, names: Iterable[str]) -> list[str]:
    """Canonical names for ``names`` (aliases accepted); unknown names raise with suggestions."""
    out: list[str] = []
    bad: list[str] = []
    for raw in names:
        for name in split_names(raw):
            canon = registry.canonical(name) if registry else None
            if canon is None:
                near = registry.suggest(name) if registry else []
                bad.append(f"「{name}」" + (f"（是不是「{'」「'.join(near)}」？）" if near else ""))
            elif canon not in out:
                out.append(canon)
    if bad:
        raise GgkError(
            f"未登记的部门：{'、'.join(bad)}",
            "部门名称须在单位名册（unit.yaml 的 departments）中登记，别名也可以；新部门请先在名册中登记",
        )
    return out


def split_names(text: str) -> list[str]:
    """``局办公室,局财务股`` / ``局办公室、局财务股`` -> two names."""
    return [p.strip() for p in re.split(r"[,，、;；]", str(text)) if p.strip()]


def canonical_by(registry: Any, by: str | None, *, person: str | None = None) -> str | None:
    """Who reported (``--by``): a registered department, written by its canonical name — checked like
    ``--lead``, an unknown name is refused with the nearest ones; or a person (``--by-person``),
    written as given."""
    if by is not None and person is not None:
        raise GgkError("--by 和 --by-person 只能给一个", "部门用 --by，个人用 --by-person")
    if person is not None:
        person = person.strip()
        if not person:
            raise GgkError("--by-person 不能为空")
        return person
    if by is None:
        return None
    if not registry:  # no registry to check against (the unit has no unit.yaml: ggk check says so)
        return by.strip()
    try:
        names = resolve_departments(registry, [by])
    except GgkError as exc:
        raise GgkError(f"--by {exc.message}", "报送单位须是名册中的部门（别名也可以）；写个人姓名请用 --by-person") from None
    if len(names) != 1:
        raise GgkError(f"--by 只能写一个部门（「{by}」是 {len(names)} 个）", "几个部门一起报送的，写牵头报送的部门")
    return names[0]


def resolve_names(doc: Any, registry: Any) -> tuple[list[str], list[Unresolved]]:
    """Rewrite every lead/assist name of a plan to its canonical name (after an import).

    Returns the changes made (descriptions) and the names that could not be resolved."""
    changes: list[str] = []
    unresolved: list[Unresolved] = []
    for _loc, item in iter_items(doc):
        iid = str(item.get("id"))
        for key in ("lead", "assist"):
            value = item.get(key)
            if value is None:
                continue
            seq = value if isinstance(value, list) else None
            names = _names(value)
            result: list[Any] = []
            changed = False
            for i, name in enumerate(names):
                canon = registry.canonical(name)
                if canon is None:
                    unresolved.append(Unresolved(iid, name, registry.suggest(name)))
                    result.append(seq[i] if seq is not None else name)
                    continue
                if canon != name:
                    changes.append(f"条目 {iid} {'牵头' if key == 'lead' else '配合'}：{name} → {canon}")
                    changed = True
                if any(str(r) == canon for r in result):
                    changed = True
                    continue
                result.append(canon if canon != name else (seq[i] if seq is not None else name))
            if not changed:
                continue
            if seq is not None:
                del seq[:]
                seq.extend(result)
            else:
                item[key] = result[0] if len(result) == 1 else flow_list(result)
    return changes, unresolved


# =========================================================================== appending items


def _section_at(doc: Any, section_path: Sequence[Any]) -> Any:
    path = list(section_path)
    if path and all(isinstance(p, int) for p in path):
        path = [x for i in path for x in ("sections", i)]
    node = doc
    try:
        for part in path:
            node = node[part]
    except (KeyError, IndexError, TypeError):
        raise GgkError(f"计划中没有这一部分：{tuple(section_path)}") from None
    if not isinstance(node, Mapping) or "title" not in node:
        raise GgkError(f"{tuple(section_path)} 不是计划的一个部分（section）")
    return node


def styled_item(item: Mapping[str, Any]) -> Any:
    """An item mapping in the house style (see the module docstring), keys in model order."""
    rank = {k: i for i, k in enumerate(ITEM_KEYS)}
    keys = sorted(item.keys(), key=lambda k: rank.get(str(k), len(rank)))
    out: dict[str, Any] = {}
    for k in keys:
        v = item[k]
        if v is None:
            continue
        if k == "id":
            v = str(v)
        elif k in ("lead", "assist"):
            v = v if getattr(v, "fa", None) is not None else flow_list(_names(v))
        elif k == "deadline":
            v = _styled_deadline(v)
        elif k in _BLOCK_TEXT and isinstance(v, str):
            v = text_value(v, literal=True)
        elif k in ("reason", "remark") and isinstance(v, str):
            v = text_value(v)
        elif k == "log" and isinstance(v, list):
            v = block_list(_styled_map(e, LOG_KEYS) for e in v)
        elif k == "history" and isinstance(v, list):
            v = block_list(_styled_change(e) for e in v)
        out[k] = v
    return block_map(out)


def _styled_deadline(v: Any) -> Any:
    if getattr(v, "fa", None) is not None:
        return v
    if isinstance(v, Mapping):
        return flow_map(dict(v))
    if isinstance(v, list):
        if len(v) == 1:
            return _styled_deadline(v[0])
        return block_list(_styled_deadline(x) for x in v)
    return v


def _styled_map(e: Any, order: Sequence[str]) -> Any:
    if getattr(e, "fa", None) is not None or not isinstance(e, Mapping):
        return e
    rank = {k: i for i, k in enumerate(order)}
    return block_map(
        {k: (text_value(v) if isinstance(v, str) else v) for k, v in sorted(e.items(), key=lambda kv: rank.get(kv[0], len(rank)))}
    )


def _styled_change(e: Any) -> Any:
    if getattr(e, "fa", None) is not None or not isinstance(e, Mapping):
        return e
    out = dict(e)
    for key in ("old", "new"):
        if key in out:
            vals = out[key] if isinstance(out[key], list) else [out[key]]
            out[key] = flow_list(flow_map(dict(x)) if isinstance(x, Mapping) else x for x in vals)
    return _styled_map(out, HISTORY_KEYS)


def append_item(doc: Any, section_path: Sequence[Any], item: Mapping[str, Any]) -> Any:
    """Append an item at the end of a section; return the new item mapping.

    ``section_path`` is the data path of the section, as in ``Plan.iter_items`` locations
    (``("sections", 2)`` or ``("sections", 0, "sections", 1)``), or just the indices (``(2,)``,
    ``(0, 1)``).  A plain dict is written in the house style; give ruamel objects to control it.
    Ids are not checked here: ``edit_plan`` refuses an edit that makes a duplicate id (GGK201)."""
    section = _section_at(doc, section_path)
    new = item if getattr(item, "fa", None) is not None else styled_item(item)
    items = section.get("items")
    if isinstance(items, list):
        items.append(new)
    else:
        set_key(section, "items", block_list([new]), SECTION_KEYS)
    return new


# =========================================================================== applying to refs


@dataclass
class Target:
    """An item named on the command line: its file, id and full reference."""

    path: Path
    item_id: str
    ref: str
    unit: str
    year: int


def open_targets(ws: Workspace, refs: Sequence[str], today: dt.date) -> list[Target]:
    """Resolve each reference (``unit/year/id`` and its short forms) in the loaded plans."""
    from ggk.ledger.queries import resolve_ref

    out = []
    for ref in refs:
        row = resolve_ref(ws, ref, today)
        out.append(
            Target(
                row.entry.path,
                row.item.id,
                f"{row.entry.plan.unit}/{row.entry.plan.year}/{row.item.id}",
                row.entry.plan.unit,
                row.entry.plan.year,
            )
        )
    return out


def open_plan(ws: Workspace, ref: str) -> Target:
    """The plan ``ref`` names in the loaded plans: ``unit/year``, or ``year`` when one unit has a plan of
    that year (the target's ``item_id`` is empty)."""
    parts = [p for p in ref.strip().strip("/").split("/") if p]
    unit = parts[0] if len(parts) == 2 else None
    year_text = parts[-1] if parts else ""
    if len(parts) not in (1, 2) or not year_text.isdigit():
        raise GgkError(f"计划引用「{ref}」格式不对", "写作 单位/年度，如 example/2026")
    found = [e for e in ws.plans if e.plan.year == int(year_text) and (unit is None or e.plan.unit == unit)]
    if not found:
        have = "、".join(sorted(f"{e.plan.unit}/{e.plan.year}" for e in ws.plans)) or "（无）"
        raise GgkError(f"找不到计划「{ref}」", f"已有的计划：{have}")
    if len(found) > 1:
        raise GgkError(f"计划引用「{ref}」不唯一", f"请写完整：{'、'.join(f'{e.plan.unit}/{e.plan.year}' for e in found)}")
    e = found[0]
    return Target(e.path, "", f"{e.plan.unit}/{e.plan.year}", e.plan.unit, e.plan.year)


Op = Callable[[Any, Target], str]


def apply(targets: Sequence[Target], op: Op, *, dry_run: bool, today: dt.date) -> list[Any]:
    """Run ``op`` on each target, one ``edit_plan`` per file; return the ``EditResult``s.

    Each result's ``value`` is the list of ``"ref：description"`` lines."""
    from ggk.workspace.transaction import edit_plan

    groups: dict[Path, list[Target]] = {}
    for t in targets:
        groups.setdefault(t.path, []).append(t)
    results = []
    for path, group in groups.items():

        def fn(doc: Any, group: list[Target] = group) -> list[str]:
            return [f"{t.ref}：{op(doc, t)}" for t in group]

        results.append(edit_plan(path, fn, dry_run=dry_run, today=today))
    return results
