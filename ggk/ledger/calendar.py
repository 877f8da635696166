"""The deadlines of the plans as an iCalendar (.ics) file for Outlook, WPS and phone calendars.

Owns: turning ledger rows into dated deadline events (a once rule's date; each period end of a
recurring rule; each period end of a count rule, the year end for "每年不少于N次"), and writing
them with the ``icalendar`` package as all-day events.  Working-day rules have no fixed date
(they run from events logged later) and standing work has none: neither is exported.

Re-importing must update events, not duplicate them, and two runs must give the same bytes:
the UID is a hash of the item reference, the rule's index and the period (not the date, so a
postponed deadline moves its event), and DTSTAMP is the as-of date, never the clock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ggk.deadlines import Rule, periods, resolve
from ggk.model import DeadlineKind, Status

PRODID = "-//ggk//政务公开工作要点台账//ZH"
UID_DOMAIN = "ggk"


@dataclass(frozen=True)
class DeadlineEvent:
    uid: str
    date: dt.date
    summary: str
    description: str
    ref: str
    status: Status
    categories: tuple[str, ...] = ()


def event_uid(ref: str, rule_index: int, period: str) -> str:
    key = f"{ref}#{rule_index}#{period}"
    return f"{hashlib.sha1(key.encode('utf-8')).hexdigest()}@{UID_DOMAIN}"


def _dated(rule: Rule, year: int, since: dt.date | None) -> list[tuple[str, str, dt.date]]:
    """(period key, period label, due date) of one rule; empty when it has no fixed date."""
    if rule.kind is DeadlineKind.ONCE and rule.due is not None:
        return [("once", "", rule.due)]
    if rule.kind is DeadlineKind.RECURRING:
        per = rule.every or "year"
    elif rule.kind is DeadlineKind.COUNT:
        per = rule.per or "year"
    else:
        return []
    out = []
    for p in periods(year, per):
        if since is not None and p.end < since:
            continue  # a period that ended before the plan was issued is no obligation
        out.append((p.start.isoformat(), p.label, p.end))
    return out


def _suffix(rule: Rule, label: str) -> str:
    if rule.kind is DeadlineKind.RECURRING:
        return f"（{label}）"
    if rule.kind is DeadlineKind.COUNT:
        return f"（{label}不少于{rule.count}次）"
    return ""


def _description(row: Any, rule: Rule) -> str:
    item = row.item
    lines = [f"{row.unit_name} {row.year}年 第{item.id}条：{item.title}"]
    if rule.phrase:
        lines.append(f"时限：{rule.phrase}")
    if item.lead:
        lines.append(f"牵头：{'、'.join(item.lead)}")
    if item.assist:
        lines.append(f"配合：{'、'.join(item.assist)}")
    lines.append(f"状态：{item.status.value}")
    if item.text and item.text.strip() != item.title.strip():
        lines.extend(["", item.text.strip()])
    lines.extend(["", f"条目引用：{row.ref}（ggk show {row.ref}）"])
    return "\n".join(lines)


def deadline_events(rows: Iterable[Any]) -> list[DeadlineEvent]:
    """Every dated deadline of the rows (``ggk.ledger.queries.Row``), in date order."""
    events: list[DeadlineEvent] = []
    for row in rows:
        item = row.item
        plan = row.entry.plan
        for index, deadline in enumerate(item.deadline):
            rule = resolve(deadline, plan.year)
            if rule is None:
                continue  # not understood: ggk check reports it (GGK211)
            for key, label, due in _dated(rule, plan.year, plan.issued):
                prefix = {Status.DONE: "【已完成】", Status.CANCELLED: "【已取消】"}.get(item.status, "")
                events.append(
                    DeadlineEvent(
                        uid=event_uid(row.ref, index, key),
                        date=due,
                        summary=f"{prefix}截止：{item.title}{_suffix(rule, label)}",
                        description=_description(row, rule),
                        ref=row.ref,
                        status=item.status,
                        categories=(row.unit_name,),
                    )
                )
    events.sort(key=lambda e: (e.date, e.ref, e.uid))
    return events


def to_ics(events: Iterable[DeadlineEvent], today: dt.date, name: str = "政务公开工作要点时限") -> bytes:
    """An iCalendar 2.0 file (CRLF line endings, folded lines) of all-day events."""
    from icalendar import Calendar, Event

    from ggk.render.safe import visible  # the plans' text: control characters shown, never sent raw

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    stamp = dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC)
    for e in events:
        ev = Event()
        ev.add("uid", e.uid)
        ev.add("dtstamp", stamp)
        ev.add("dtstart", e.date)
        ev.add("dtend", e.date + dt.timedelta(days=1))
        ev.add("summary", visible(e.summary))
        ev.add("description", visible(e.description))
        if e.categories:
            ev.add("categories", [visible(c) for c in e.categories])
        ev.add("transp", "TRANSPARENT")  # a deadline does not make the day busy
        ev.add("status", "CANCELLED" if e.status is Status.CANCELLED else "CONFIRMED")
        cal.add_component(ev)
    return cal.to_ical()
