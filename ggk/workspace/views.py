"""Read-only views of plans, for the reports that only look at thousands of items.

A deadline report over a province's plans (``ggk overdue``) reads the open items with a time limit of
every plan — 5,000 of 50,000 items — from the parse cache on each run.  Building them as pydantic
models, or as plain Python objects from a decoded msgpack tree, was a third of such a run; these views
are ``msgspec`` structs that msgspec's decoder builds directly from the cached bytes (in C, without
an intermediate tree), untracked by the cyclic garbage collector (they form no cycles).

Each view mirrors one model of ``ggk.model`` field by field, in the same order and with the same types,
but tuples for lists (fewer objects; an empty one is no object at all) — checked by tests/test_cache.py —
with the methods reports call (``Plan.iter_items``, ``Deadline.explicit_kind``, ``Unit.names``) and
nothing else: no validation, no ``model_dump``, no assignment (they are frozen).
Only the subset workspace (``ggk.workspace.cache.open_cached(subset=True)``) is made of views; everything that
edits, writes or dumps plans gets models.
"""

from __future__ import annotations

import datetime as dt
import typing
from typing import Any, Literal

import msgspec

from ggk import deadlines
from ggk import model as models
from ggk.model import Deadline, DeadlineChange, DeadlineKind, Department, Item, LogEntry, Plan, Reporting, Section, Status, Unit

Period = Literal["week", "month", "quarter", "half", "year"]

#: Items the subset keeps: neither done nor cancelled (the only ones overdue or due-soon reports show).
OPEN = (Status.NOT_STARTED, Status.IN_PROGRESS)


class DeadlineView(msgspec.Struct, array_like=True, frozen=True, gc=False):
    phrase: str | None
    kind: DeadlineKind | None
    due: dt.date | None
    every: Period | None
    count: int | None
    per: Period | None
    workdays: int | None
    days: int | None
    after: str | None

    explicit_kind = Deadline.explicit_kind


class ContactView(msgspec.Struct, array_like=True, frozen=True, gc=False):
    name: str
    role: str | None
    phone: str | None

    text = models.Contact.text


class CorrectionView(msgspec.Struct, array_like=True, frozen=True, gc=False):
    date: dt.date
    reason: str
    by: str | None
    was: dict[str, Any]


class ReturnSourceView(msgspec.Struct, array_like=True, frozen=True, gc=False):
    form: str
    period: str


class LogEntryView(msgspec.Struct, array_like=True, frozen=True, gc=False):
    date: dt.date
    by: str | None
    note: str | None
    evidence: str | None
    status: Status | None
    counts: bool
    event: dt.date | None
    done: dt.date | None
    source: ReturnSourceView | None
    corrected: tuple[CorrectionView, ...]
    deleted: CorrectionView | None


class DeadlineChangeView(msgspec.Struct, array_like=True, frozen=True, gc=False):
    date: dt.date
    old: tuple[DeadlineView, ...]
    new: tuple[DeadlineView, ...]
    reason: str | None
    by: str | None


class ItemView(msgspec.Struct, array_like=True, frozen=True, gc=False):
    id: str
    title: str
    text: str
    lead: tuple[str, ...]
    assist: tuple[str, ...]
    contact: ContactView | None
    deadline: tuple[DeadlineView, ...]
    status: Status
    completed: dt.date | None
    reason: str | None
    log: tuple[LogEntryView, ...]
    summary: str | None
    summary_date: dt.date | None
    history: tuple[DeadlineChangeView, ...]
    carried_from: str | None
    carried_to: str | None
    remark: str | None


class SectionView(msgspec.Struct, array_like=True, frozen=True, gc=False):
    no: str | None
    title: str
    items: tuple[ItemView, ...]
    sections: tuple[SectionView, ...]


class ReportingView(msgspec.Struct, array_like=True, frozen=True, gc=False):
    every: Literal["month", "quarter", "half"]
    due: str


class PlanView(msgspec.Struct, array_like=True, frozen=True, gc=False):
    format: int
    unit: str
    year: int
    title: str
    doc_no: str | None
    issued: dt.date | None
    basis: tuple[str, ...]
    preamble: str | None
    example: bool
    reporting: ReportingView | None
    remark: str | None
    sections: tuple[SectionView, ...]

    iter_items = Plan.iter_items


class DepartmentView(msgspec.Struct, array_like=True, frozen=True, gc=False):
    name: str
    aliases: tuple[str, ...]
    group: bool
    members: tuple[str, ...]
    contact: ContactView | None
    remark: str | None


class UnitView(msgspec.Struct, array_like=True, frozen=True, gc=False):
    format: int
    name: str
    short: str | None
    level: str | None
    example: bool
    review: bool
    reporting: ReportingView | None
    remark: str | None
    departments: tuple[DepartmentView, ...]

    names = Unit.names


deadlines.HASHABLE.add(DeadlineView)  # frozen and hashable: ``deadlines.resolve`` keys by it


#: model -> its view
VIEWS: dict[type, type[msgspec.Struct]] = {
    models.Contact: ContactView,
    models.Correction: CorrectionView,
    Deadline: DeadlineView,
    LogEntry: LogEntryView,
    models.ReturnSource: ReturnSourceView,
    DeadlineChange: DeadlineChangeView,
    Item: ItemView,
    Section: SectionView,
    Plan: PlanView,
    Department: DepartmentView,
    Reporting: ReportingView,
    Unit: UnitView,
}


def _kinds(model: type) -> list[tuple[str, str | None]]:
    """(field, "views" for a list of models, "seq" for a list of anything else, "view" for one optional
    model, else None), in order."""
    out: list[tuple[str, str | None]] = []
    for name, info in model.model_fields.items():  # type: ignore[attr-defined]
        args = typing.get_args(info.annotation)
        if typing.get_origin(info.annotation) is list:
            out.append((name, "views" if args and args[0] in VIEWS else "seq"))
        elif any(a in VIEWS for a in args):  # one optional nested model (reporting, source)
            out.append((name, "view"))
        else:
            out.append((name, None))
    return out


_FIELDS = {model: (view, _kinds(model)) for model, view in VIEWS.items()}


def view_of(model: Any) -> Any:
    """The view of a model (of ``ggk.model``), nested models included; its lists become tuples."""
    view, fields = _FIELDS[type(model)]
    values = model.__dict__
    args: list[Any] = []
    for name, kind in fields:
        value = values[name]
        if kind == "views":
            value = tuple([view_of(v) for v in value])
        elif kind == "seq":
            value = tuple(value)
        elif kind == "view" and value is not None:
            value = view_of(value)
        args.append(value)
    return view(*args)


def open_only(plan: Plan) -> PlanView:
    """The view of ``plan`` with only what a deadline report can show: open items (未启动/进行中) with a
    time limit.  An item without one is standing work, never overdue nor due; sections left without
    items go too (an item's chain of headings, hence its section label, is unchanged)."""

    def sections(secs: list[Section]) -> tuple[SectionView, ...]:
        out = []
        for sec in secs:
            items = tuple([view_of(it) for it in sec.items if it.deadline and it.status in OPEN])
            subs = sections(sec.sections)
            if items or subs:
                out.append(SectionView(sec.no, sec.title, items, subs))
        return tuple(out)

    values = plan.__dict__
    args: list[Any] = []
    for name, kind in _FIELDS[Plan][1]:
        value = values[name]
        if name == "sections":
            value = sections(plan.sections)
        elif kind == "view":
            value = view_of(value) if value is not None else None
        elif kind:
            value = tuple(value)
        args.append(value)
    return PlanView(*args)


def pack_units(units: list[Unit | None]) -> bytes:
    """The views of a workspace's units (None: a unit file that could not be read)."""
    return _ENCODER.encode([view_of(u) if u is not None else None for u in units])


def unpack_units(data: bytes) -> list[UnitView | None]:
    return _UNITS.decode(data)


def pack(view: PlanView) -> bytes:
    return _ENCODER.encode(view)


def unpack(data: bytes) -> PlanView:
    """The view ``pack`` packed.  Raises ``msgspec.DecodeError`` (a ``ValueError``) on bytes that are not one."""
    return _ONE.decode(data)


def unpack_all(data: bytes) -> list[PlanView]:
    """Views packed one after another behind a msgpack array header (the cache's workspace index)."""
    return _MANY.decode(data)


_ENCODER = msgspec.msgpack.Encoder()
_ONE = msgspec.msgpack.Decoder(PlanView)
_MANY = msgspec.msgpack.Decoder(list[PlanView])
_UNITS = msgspec.msgpack.Decoder(list[UnitView | None])
