"""Carry-over (结转): the unfinished items of a year's 回头看 added to the next year's plan.

Owns deciding what to carry and what each carried item looks like (``plan_carry_over``: pure), and
applying it (``apply``): a new plan file is written whole in house style (``ggk.yamlfiles.emit``); existing
files are edited through ``ggk.workspace.transaction`` so that every comment and byte outside the edit is kept.

Each carried item names its origin (``carried_from: unit/year/id``) and gets a new deadline (given,
or: a duty that recurs keeps its rules, a dated task gets 次年6月底前); the source item gets
``carried_to`` and a log entry.  Running it twice adds nothing twice: an item whose origin is already
in the target plan, or whose source already says where it went, is skipped.

The change spans two files, each written atomically, the target first.  A run interrupted between
them leaves carried items whose source lacks ``carried_to``: ``ggk check`` reports that (GGK230),
and the next run completes it (``CarryPlan.repairs``: the source is marked, nothing is added twice).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ggk import deadlines
from ggk.diagnostics import GgkError
from ggk.ledger.review import DUTY_KINDS, Outcome, PlanReview, ReviewItem, ReviewReport
from ggk.model import Deadline, DeadlineKind, Plan, Status
from ggk.workspace.load import PlanEntry, Workspace

CARRY_SECTION = "上年度结转任务"
_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")


@dataclass
class Carry:
    """One item to carry: where it comes from, where it goes, and the new item's data."""

    source: str  # unit/year/id
    source_path: Path
    source_id: str
    target: str  # unit/year/new id
    target_path: Path
    item: dict[str, Any] | None  # None: the item is in the target already (a repair)
    source_log: dict[str, Any]


@dataclass
class Skip:
    source: str
    reason: str


@dataclass
class TargetPlan:
    """The next year's plan of one unit: an existing file, or one to create with these data."""

    path: Path
    exists: bool
    data: dict[str, Any] | None = None  # the whole plan when the file is to be created
    carries: list[Carry] = field(default_factory=list)


@dataclass
class CarryPlan:
    targets: list[TargetPlan]
    skipped: list[Skip]
    #: items an interrupted run carried without marking their source: only the source is written
    repairs: list[Carry] = field(default_factory=list)

    @property
    def carries(self) -> list[Carry]:
        return [c for t in self.targets for c in t.carries]


def carried_on(item: Any) -> dt.date | None:
    """The day ``item`` was carried over: the date of the log entry the carry-over wrote on it saying where
    it went (``_target_for``: "…（unit/year/id）…"); None when it was not carried, or when its ``carried_to``
    was written by hand without such an entry.  What was owed before that day stays owed."""
    if not item.carried_to:
        return None
    mark = f"（{item.carried_to}）"
    found = [e.date for e in item.log if e.note and mark in e.note]
    return min(found) if found else None


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def parse_deadline(text: str, year: int) -> Any:
    """The ``deadline`` value of a carried item from the --deadline text, checked."""
    text = text.strip()
    if _ISO.match(text):
        try:
            return dt.date.fromisoformat("-".join(f"{int(p):02d}" if i else p for i, p in enumerate(text.split("-"))))
        except ValueError:
            raise GgkError(f"新时限「{text}」不是有效日期", "写作 YYYY-MM-DD，或原文式的表述，如 2027年6月底前") from None
    rule = deadlines.resolve(Deadline.model_validate({"phrase": text}), year)
    if rule is None:
        raise GgkError(f"无法理解新时限「{text}」", "写作日期（2027-06-30）或表述（2027年6月底前、每季度公开一次、常态化）")
    if rule.kind is DeadlineKind.ONCE and rule.due is not None:
        return {"phrase": text, "due": rule.due}
    return text


def _default_deadline(ri: ReviewItem, year: int) -> Any:
    states = ri.row.timing.states
    if states and all(s.rule.kind in DUTY_KINDS for s in states):
        # a duty that recurs (every quarter, N times a year, N working days after) keeps its rules
        return [d.model_dump(mode="python", exclude_none=True) for d in ri.item.deadline]
    return {"phrase": f"{year}年6月底前", "due": dt.date(year, 6, 30)}


def _deadline_words(value: Any) -> str:
    if isinstance(value, dt.date):
        return cn_date(value) + "前"
    if isinstance(value, dict):
        return str(value.get("phrase") or value.get("due") or "")
    if isinstance(value, list):
        return "；".join(_deadline_words(v) for v in value)
    return str(value)


def _next_title(title: str, year: int, unit_name: str) -> str:
    if str(year - 1) in title:
        return title.replace(str(year - 1), str(year))
    return f"{unit_name}{year}年政务公开工作要点"


def _new_id(source_year: int, source_id: str, taken: set[str]) -> str:
    base = f"{source_year}-{source_id}"
    new, k = base, 2
    while new in taken:
        new, k = f"{base}-{k}", k + 1
    taken.add(new)
    return new


def _carried_item(ri: ReviewItem, new_id: str, deadline: Any, today: dt.date) -> dict[str, Any]:
    item = ri.item
    last = ri.last_log
    bits = [f"原时限：{ri.deadline_text}"]
    if ri.late_days:
        bits.append(f"截至{cn_date(today)}逾期{ri.late_days}天未完成")
    if last is not None and last.note:
        bits.append(f"最近进展：{last.date.isoformat()} {last.note.strip()}")
    note = f"由 {ri.row.ref} 结转（{'；'.join(bits)}）"
    data: dict[str, Any] = {
        "id": new_id,
        "title": item.title,
        "text": item.text,
        "lead": list(item.lead),
        "assist": list(item.assist),
        "deadline": deadline,
        "status": (status := (Status.IN_PROGRESS if item.status is Status.IN_PROGRESS else Status.NOT_STARTED).value),
        "carried_from": ri.row.ref,
        # the status it starts with is recorded with the carry-over's note, so that a later change of status
        # leaves what it was on earlier days (ggk.ledger.snapshot) as it was
        "log": [{"date": today, "note": note, "counts": False, "status": status}],
    }
    if not data["text"]:
        del data["text"]
    if not data["assist"]:
        del data["assist"]
    return data


def plan_carry_over(ws: Workspace, report: ReviewReport, today: dt.date, deadline: str | None = None) -> CarryPlan:
    """What carrying the unfinished items of ``report`` over to the next year would do.  ``ws`` is the
    workspace as the files say it (not a snapshot of the review's day): what was carried already is
    looked up there."""
    targets: list[TargetPlan] = []
    skipped: list[Skip] = []
    repairs: list[Carry] = []
    for p in report.plans:
        t = _target_for(ws, p, today, deadline, skipped, repairs)
        if t is not None and t.carries:
            targets.append(t)
    return CarryPlan(targets, skipped, repairs)


def _source_entry(ws: Workspace, p: PlanReview) -> PlanEntry:
    return next(e for e in ws.plans if e.plan.unit == p.unit and e.plan.year == p.year)


def _target_for(
    ws: Workspace, p: PlanReview, today: dt.date, deadline: str | None, skipped: list[Skip], repairs: list[Carry]
) -> TargetPlan | None:
    year = p.year + 1
    source = _source_entry(ws, p)
    existing = next((e for e in ws.plans if e.plan.unit == p.unit and e.plan.year == year), None)
    path = existing.path if existing else source.path.parent / f"{year}.yaml"
    if existing is None and path.exists():
        raise GgkError(f"{path} 存在但无法读取，不能结转", "先运行 ggk check 修正该文件")
    new_deadline = parse_deadline(deadline, year) if deadline else None
    taken: set[str] = set()
    already: dict[str, str] = {}
    if existing is not None:
        for _loc, _chain, it in existing.plan.iter_items():
            taken.add(it.id)
            if it.carried_from:
                already[it.carried_from] = it.id
    target = TargetPlan(path, existing is not None)
    # what the files say now (``ws`` may be the snapshot of an earlier day, which hides later carries)
    marked = {it.id: it.carried_to for _loc, _chain, it in source.plan.iter_items()}
    for ri in p.items:
        if ri.outcome is not Outcome.UNFINISHED:
            continue
        ref = ri.row.ref
        carried_to = marked.get(ri.item.id) or ri.item.carried_to
        if ref in already:
            target_ref = f"{p.unit}/{year}/{already[ref]}"
            if not carried_to:  # carried, but the run stopped before marking the source
                note = f"未完成，结转至{year}年计划（{target_ref}）（补记：上次结转未写完）"
                repairs.append(Carry(ref, source.path, ri.item.id, target_ref, path, None, {"date": today, "note": note, "counts": False}))
                continue
            skipped.append(Skip(ref, f"已结转至 {target_ref}" + ("" if carried_to == target_ref else f"（来源标注的是 {carried_to}）")))
            continue
        if carried_to:
            skipped.append(Skip(ref, f"已标注结转至 {carried_to}"))
            continue
        dl = new_deadline if new_deadline is not None else _default_deadline(ri, year)
        new_id = _new_id(p.year, ri.item.id, taken)
        target_ref = f"{p.unit}/{year}/{new_id}"
        log = {
            "date": today,
            "note": f"未完成，结转至{year}年计划（{target_ref}），新时限：{_deadline_words(dl)}",
            "counts": False,
        }
        target.carries.append(Carry(ref, source.path, ri.item.id, target_ref, path, _carried_item(ri, new_id, dl, today), log))
    if existing is None and target.carries:
        plan: Plan = source.plan
        data: dict[str, Any] = {
            "format": plan.format,
            "unit": plan.unit,
            "year": year,
            "title": _next_title(plan.title, year, p.unit_name),
        }
        if plan.example:
            data["example"] = True
        data["remark"] = (
            f"由 ggk review {p.year} --carry-over 于 {today.isoformat()} 建立，只含上年度结转任务；"
            f"{year}年工作要点印发后补录其余各部分和 doc_no、issued"
        )
        data["sections"] = [{"title": CARRY_SECTION, "items": [c.item for c in target.carries if c.item is not None]}]
        target.data = data
    return target


@dataclass
class Change:
    """One file the carry-over writes (or, in a dry run, would write), and the unified diff of it."""

    path: Path
    diff: str


def apply(plan: CarryPlan, today: dt.date, *, dry_run: bool = False) -> list[Change]:
    """Write the carry-over: new plan files whole, then the edits to existing files.  Returns each file
    written with its diff; with ``dry_run`` nothing is written and the diffs say what would be.  Each
    file is written atomically; the targets are written before the sources, so an interruption leaves
    at worst carried items whose source lacks ``carried_to`` (the next run finds them through
    ``carried_from`` in the target and marks the source: ``CarryPlan.repairs``)."""
    from ggk.yamlfiles import emit
    from ggk.yamlfiles.patch import Source, unified_diff

    changes: list[Change] = []
    for t in plan.targets:
        if not t.exists:
            assert t.data is not None
            text = emit.dump_plan(t.data, source=f"ggk review {t.carries[0].source.split('/')[1]} --carry-over（{today.isoformat()}）")
            if t.path.exists():
                raise GgkError(f"{t.path} 已存在，未覆盖", "重新运行 ggk review --carry-over")
            if not dry_run:
                emit.write_atomic(t.path, text)
            diff = unified_diff(Source([], []), Source.from_text(text), str(t.path))
        else:
            diff = _append_items(t.path, [c.item for c in t.carries if c.item is not None], today, dry_run)
        changes.append(Change(t.path, diff))
    by_source: dict[Path, list[Carry]] = {}
    for c in [*plan.carries, *plan.repairs]:
        by_source.setdefault(c.source_path, []).append(c)
    # a dry run writes no new plan: the sources' carried_to then names items not there yet (GGK217), as expected
    unwritten = {c.target for t in plan.targets if dry_run and not t.exists for c in t.carries}
    for path, carries in by_source.items():
        changes.append(Change(path, _annotate_sources(path, carries, today, dry_run, unwritten)))
    return changes


# --------------------------------------------------------------------------- edits through ggk.workspace.transaction


def _edit(path: Path, fn: Any, today: dt.date, dry_run: bool, unwritten: set[str] | frozenset[str] = frozenset()) -> str:
    """Edit ``path`` with ``fn`` (or only say how, with ``dry_run``): the unified diff.  A reference to an
    item of ``unwritten`` (carried into a new plan a dry run does not write) is not a problem."""
    from ggk.workspace.transaction import edit_plan

    result = edit_plan(path, fn, today=today, dry_run=dry_run)
    if unwritten:
        result.diagnostics = [d for d in result.diagnostics if not (d.code == "GGK217" and any(f"「{r}」" in d.message for r in unwritten))]
    if result.refused:
        first = result.errors[0]
        raise GgkError(
            f"结转未写入 {path}：{first.message}" + (f"（另有 {len(result.errors) - 1} 个问题）" if len(result.errors) > 1 else ""),
            first.hint or "先运行 ggk check 修正该文件",
        )
    return result.diff


def _append_items(path: Path, items: list[dict[str, Any]], today: dt.date, dry_run: bool) -> str:
    """Append the carried items to the section 上年度结转任务 of an existing plan (created at the end
    of the plan if it has none), keeping every other byte of the file."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    from ggk.ledger.edits import append_item, block_list, block_map, set_key, styled_item

    def styled(item: dict[str, Any]) -> Any:
        out = styled_item(item)
        out["id"] = DoubleQuotedScalarString(item["id"])  # ids are quoted in house style: id: "2026-11"
        return out

    def fn(doc: Any) -> None:
        sections = doc.get("sections")
        if isinstance(sections, list):
            for i, sec in enumerate(sections):
                if isinstance(sec, dict) and sec.get("title") == CARRY_SECTION:
                    for item in items:
                        append_item(doc, (i,), styled(item))
                    return
        section = block_map({"title": CARRY_SECTION, "items": block_list(styled(it) for it in items)})
        if isinstance(sections, list) and sections:
            sections.append(section)
        else:  # no sections yet (``sections: []`` of a new plan): the whole value is replaced
            set_key(doc, "sections", block_list([section]), tuple(Plan.model_fields))

    return _edit(path, fn, today, dry_run)


def _annotate_sources(path: Path, carries: list[Carry], today: dt.date, dry_run: bool, unwritten: set[str]) -> str:
    """Each source item: ``carried_to`` and a log entry saying where it went."""
    from ggk.ledger.edits import add_log, find_item, set_key

    def fn(doc: Any) -> None:
        for c in carries:
            item = find_item(doc, c.source_id)
            set_key(item, "carried_to", c.target)
            add_log(doc, c.source_id, date=c.source_log["date"], note=c.source_log["note"], counts=False)

    return _edit(path, fn, today, dry_run, unwritten)
