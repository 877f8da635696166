"""Stages 3 and 4 of ``ggk import``: the document's tree -> department names -> the plan.

``import_document`` reads as its stages: read (``ggk.importer.read``) -> structure
(``ggk.importer.structure``) -> year and ids -> units (names resolved against the registry, or merged
into a new one) -> plan (sections, items, deadline rules, metadata) -> report.  No file is written
here: ``ggk.importer.job`` decides where the plan goes and how it meets an existing one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ggk import deadlines
from ggk.deadlines.phrases import standing
from ggk.diagnostics import GgkError
from ggk.importer.document import Document
from ggk.importer.read import read_document
from ggk.importer.report import ImportReport, ItemLine, ItemRef, SectionCount, Skipped
from ggk.importer.structure import (
    _DOC_NO_ANY,
    _PLAN_STRONG,
    _REPORT_WORD,
    _YEAR,
    Tree,
    _compact,
    _excerpt,
    _Item,
    _Parser,
    _Section,
    assign_ids,
)
from ggk.importer.text import norm
from ggk.importer.units import TIME_CLAUSE, Responsibility, is_group, merge_variants, resolve_name, unit_names
from ggk.model import FORMAT_VERSION, Deadline, Plan, Unit


class NoItemsFound(GgkError):
    """The document holds no tasks (an annual report, a notice): exit code 1."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message, hint, exit_code=1)


class YearMissing(GgkError):
    """Neither the title nor the document number gives the plan's year: exit code 2."""

    def __init__(self) -> None:
        super().__init__(
            "无法从文件标题或文号中确定年度，请用 --year 指定（如 --year 2021）。",
            "年度取自标题（如“2021年政务公开工作要点”）或文号〔2021〕",
        )


@dataclass
class ImportResult:
    plan: Plan
    data: dict[str, Any]  # the plan as ordered plain data, ready for ggk.yamlfiles.emit
    report: ImportReport
    departments: list[str]  # every department name used, in order of first use
    issuer: str  # the issuing unit's name as the document states it ("" if not found)
    document: Document
    aliases: dict[str, list[str]] = field(default_factory=dict)  # for a new registry: canonical -> other spellings


Entry = tuple[list[_Section], _Item, str]


def import_document(
    path: Path | str, *, unit: str, year: int | None = None, registry: Unit | None = None, issued: dt.date | None = None
) -> ImportResult:
    """Read and import ``path`` (see ``import_source``)."""
    return import_source(read_document(Path(path)), unit=unit, year=year, registry=registry, issued=issued)


def import_source(
    doc: Document, *, unit: str, year: int | None = None, registry: Unit | None = None, issued: dt.date | None = None
) -> ImportResult:
    """Turn a read document into a plan.  Raises ``NoItemsFound`` / ``YearMissing`` (``GgkError``)."""
    report = _new_report(doc, unit)
    tree = _Parser(doc, report).parse()
    title = plan_title(tree.title or doc.path.stem)
    report.title = title
    _refuse_reports(tree, title)
    entries = assign_ids(tree.root)
    if not entries:
        raise NoItemsFound(
            f"在 {doc.path.name} 中没有找到任务条目（没有带编号的条目、标题下的任务段落或带表头的任务表）。",
            "请确认这是一份工作要点、实施方案或任务分工表",
        )
    plan_year = _plan_year(report, title, year)
    names = _Names(registry, report, entries)
    top, counts, order = _sections_and_items(entries, names, report, plan_year)
    _report_sections(report, order, counts, entries)
    data = _plan_data(report, unit, plan_year, title, tree, top, issued)
    plan = Plan.model_validate(data)
    return ImportResult(plan, data, report, names.used, tree.issuer, doc, names.aliases())


# --------------------------------------------------------------------------- stages


def _new_report(doc: Document, unit: str) -> ImportReport:
    report = ImportReport(source=doc.path.name, where=doc.where, encoding=doc.encoding, encoding_detected=doc.encoding_detected)
    report.unit = unit
    report.places = dict(doc.places)
    report.reader_notes = list(doc.notes)
    return report


#: The name of a table that divides a plan's tasks among departments, after the plan's own name:
#: “…2026年政务公开工作要点任务分工表”.  The plan is the 工作要点 / 实施方案 the table names.
_TABLE_OF_PLAN = re.compile(
    r"^(?P<plan>.*(?:工作要点|实施方案)》?)的?(?:重点任务分工表|任务分工表|任务分解表|责任分解表|任务清单|分工方案)$"
)


def plan_title(title: str) -> str:
    """The plan's title from its document's: a task table titled after the 工作要点 / 实施方案 it divides gives
    that plan's name (the annual report's “贯彻落实《…工作要点》情况” names the plan, not the table); a title that
    is nothing but the table's name, or names no plan before it, stays as it is."""
    m = _TABLE_OF_PLAN.match(title)
    if m is None:
        return title
    plan = m["plan"]
    if plan.startswith("《") and plan.endswith("》") and plan.count("《") == 1:
        plan = plan[1:-1]
    return plan


def _refuse_reports(tree: Tree, title: str) -> None:
    if tree.title and _REPORT_WORD.search(title) and not _PLAN_STRONG.search(title):
        raise NoItemsFound(f"「{title}」是一份报告，不是工作要点或实施方案：没有可导入的任务条目。")


def _plan_year(report: ImportReport, title: str, year: int | None) -> int:
    """The plan's year: --year, else the title's, else the document number's."""
    doc_year, year_from = None, ""
    m = _YEAR.search(title)
    if m:
        doc_year, year_from = int(m.group(1)), "取自标题"
    elif report.doc_no:
        m2 = _DOC_NO_ANY.search(report.doc_no)
        if m2:
            doc_year, year_from = int(m2.group(1)), "取自文号"
    if year is not None:
        if doc_year is not None and doc_year != year:
            report.warnings.append(Skipped(0, title, f"文件年度为 {doc_year}，按 --year 使用 {year}"))
        doc_year, year_from = year, "--year 指定"
    if doc_year is None:
        raise YearMissing()
    report.year, report.year_from = doc_year, year_from
    return doc_year


def effective_resp(chain: list[_Section], item: _Item) -> Responsibility | None:
    """The item's own note, else the note on the nearest heading above it."""
    if item.resp is not None:
        return item.resp
    return next((sec.resp for sec in reversed(chain) if sec.resp is not None), None)


class _Names:
    """Department names: canonical per the registry, or (a new unit) spellings merged by prefix."""

    def __init__(self, registry: Unit | None, report: ImportReport, entries: list[Entry]) -> None:
        self.report = report
        known = registry.names() if registry is not None and registry.departments else None
        self.canonical = {k: v.name for k, v in known.items()} if known is not None else None
        self.joined = [k for k in self.canonical if "、" in k] if self.canonical is not None else []
        self.auto: dict[str, str] = {}
        if self.canonical is None:
            # A new unit (or an empty registry): merge spellings that differ by a prefix (政策法规股 / 局政策法规股).
            found: list[str] = []
            for chain, item, _ in entries:
                r = effective_resp(chain, item)
                if r is not None:
                    found += [n for n in r.lead + r.assist if n not in found]
            self.auto = merge_variants(found)
        self.used: list[str] = []
        self.unknown: dict[str, tuple[int, list[str]]] = {}

    def resolve(self, values: list[str], item_id: str, line: int, note: str) -> list[str]:
        # A registry may keep “相关股室、单位” as one collective name: undo the expansion.
        for reg_name in self.joined:
            if norm(reg_name) in norm(note):
                parts = unit_names(reg_name)
                for k in range(len(values) - len(parts) + 1):
                    if values[k : k + len(parts)] == parts:
                        values = [*values[:k], reg_name, *values[k + len(parts) :]]
                        break
        out: list[str] = []
        for name in values:
            final = self._one(name, item_id, line)
            if final not in out:
                out.append(final)
            if final not in self.used:
                self.used.append(final)
        return out

    def _one(self, name: str, item_id: str, line: int) -> str:
        resolved = self.report.resolved_departments
        if self.canonical is not None:
            found, _exact = resolve_name(name, self.canonical)
            if found is None:
                bare = re.sub(r"[（〔][^（）〔〕]*[）〕]$", "", name)  # 区委宣传部（区政府新闻办）: the name outside the brackets
                found = resolve_name(bare, self.canonical)[0] if bare != name else None
            if found is None:
                self.unknown.setdefault(name, (line, []))[1].append(item_id)
                return name
            if found != name and (name, found) not in resolved:
                resolved.append((name, found))
            return found
        final = self.auto.get(name, name)
        if final != name and (name, final) not in resolved:
            resolved.append((name, final))
        return final

    def aliases(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for name, canon in self.auto.items():
            if name != canon:
                out.setdefault(canon, []).append(name)
        return out


def _item_deadlines(item: _Item, year: int) -> tuple[list[Deadline], list[str]]:
    """The rules an item states: in its text, in a time clause of its note, and in its table limit."""
    timed = item.text
    if item.resp is not None and TIME_CLAUSE.search(norm(item.resp.note)):
        timed += f"（{item.resp.note}）"  # “X负责，2021年底前完成”: the time is in the note
    rules, unparsed = extract_deadlines(timed, year)
    if item.limit:
        whole = standing(item.limit)
        limit_rules, limit_unparsed = ([whole], []) if whole is not None else extract_deadlines(item.limit, year, strict=False)
        # The column restating the text's limit is the same rule: “7个工作日内” beside “决定作出之日起7个工作日内”
        # is the text's rule, which keeps the event it counts from.
        seen = {deadline_key(d) for d in rules} | {deadline_key(d.model_copy(update={"after": None})) for d in rules}
        rules += [d for d in limit_rules if deadline_key(d) not in seen]
        unparsed += [p for p in limit_unparsed if p not in unparsed]
    return rules, unparsed


def deadline_key(d: Deadline) -> tuple[Any, ...]:
    return (d.due, d.every, d.count, d.per, d.workdays, d.days, d.after, d.kind)


def _sections_and_items(
    entries: list[Entry], names: _Names, report: ImportReport, year: int
) -> tuple[list[dict[str, Any]], dict[int, SectionCount], list[_Section]]:
    """The plan's sections (as plain data) with their items, in document order."""
    section_data: dict[int, dict[str, Any]] = {}
    top: list[dict[str, Any]] = []
    counts: dict[int, SectionCount] = {}
    order: list[_Section] = []

    def sec_data(chain: list[_Section]) -> dict[str, Any]:
        parent_list = top
        data: dict[str, Any] = {}
        for depth, sec in enumerate(chain):
            if id(sec) not in section_data:
                d: dict[str, Any] = {}
                if sec.printed is not None:
                    d["no"] = sec.printed
                d["title"] = sec.title
                d["items"] = []
                d["sections"] = []
                section_data[id(sec)] = d
                parent_list.append(d)
                counts[id(sec)] = SectionCount(sec.marker + sec.title, sec.line, 0, depth)
                order.append(sec)
            data = section_data[id(sec)]
            parent_list = data["sections"]
        return data

    for chain, item, item_id in entries:
        if not chain:  # items of a document without any heading
            chain = [next((s for s in order if s.title == "正文" and s.line == 0), None) or _Section(line=0, depth=0, title="正文")]
        data = sec_data(chain)
        data["items"].append(_item_data(chain, item, item_id, names, report, year))
        counts[id(chain[-1])].count += 1
    for name, (line, ids) in names.unknown.items():
        report.unknown_departments.append(ItemRef(name, line, "、".join(ids)))
    return top, counts, order


def _item_data(chain: list[_Section], item: _Item, item_id: str, names: _Names, report: ImportReport, year: int) -> dict[str, Any]:
    resp = effective_resp(chain, item)
    if item.place_from:
        report.inherited.append(ItemRef(item_id, item.line, f"{item.place_from}：{resp.note if resp else ''}"))
    elif resp is not None and resp is not item.resp:
        sec = next(sec for sec in reversed(chain) if sec.resp is resp)
        report.inherited.append(ItemRef(item_id, item.line, f"{sec.title}：{resp.note}"))
    entry: dict[str, Any] = {"id": item_id, "title": _compact(item.title) or item_id, "text": item.text}
    line = item.resp_line or item.line
    entry["lead"] = names.resolve(resp.lead, item_id, line, resp.note) if resp is not None else []
    entry["assist"] = names.resolve(resp.assist, item_id, line, resp.note) if resp is not None else []
    if resp is None or resp.empty:
        report.no_responsible.append(ItemRef(item_id, item.line, _excerpt(item.title, 20)))
    rules, unparsed = _item_deadlines(item, year)
    if rules:
        entry["deadline"] = [deadline_data(d) for d in rules]
        if len(entry["deadline"]) == 1:
            entry["deadline"] = entry["deadline"][0]
        report.rules += len(rules)
    for phrase in unparsed:
        report.unparsed_time.append(ItemRef(item_id, item.line, phrase))
    report.item_lines.append(ItemLine(item_id, item.line, entry["lead"], entry["assist"], [d.phrase or str(d.due) for d in rules]))
    return entry


def _report_sections(report: ImportReport, order: list[_Section], counts: dict[int, SectionCount], entries: list[Entry]) -> None:
    for sec in order:
        seen_sub = False
        for child in sec.children:
            if isinstance(child, _Section) and not child.preamble and child.children:
                seen_sub = True
            elif isinstance(child, _Item) and seen_sub and not child.preamble:
                report.warnings.append(
                    Skipped(child.line, _excerpt(child.text), "此条与下级标题同级、位于其后；计划格式中同一部分的条目排在下级标题之前")
                )
    for sec in order:
        # A section's count includes its sub-sections' items.
        total = counts[id(sec)].count + sum(counts[id(o)].count for o in order if o is not sec and _is_descendant(o, sec))
        report.sections.append(SectionCount(counts[id(sec)].label, sec.line, total, counts[id(sec)].depth))
    report.items = len(entries)
    last = entries[-1][1]
    tail = norm(last.text).rstrip()
    if (
        (last.resp is None or last.resp.empty)
        and not last.limit
        and tail
        and (tail[-1] not in "。！？；…”）" or tail.count("（") > tail.count("）"))
    ):
        report.warnings.append(Skipped(last.line, _excerpt(tail[-30:]), "文件可能在此条中途截断（末尾没有句号）"))


def _is_descendant(node: _Section, ancestor: _Section) -> bool:
    for child in ancestor.children:
        if child is node:
            return True
        if isinstance(child, _Section) and _is_descendant(node, child):
            return True
    return False


def _plan_data(
    report: ImportReport, unit: str, year: int, title: str, tree: Tree, top: list[dict[str, Any]], issued: dt.date | None
) -> dict[str, Any]:
    def clean(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for d in sections:
            d["sections"] = clean(d["sections"])
            if not d["items"]:
                del d["items"]
            if not d["sections"]:
                del d["sections"]
        return sections

    data: dict[str, Any] = {"format": FORMAT_VERSION, "unit": unit, "year": year, "title": title}
    if report.doc_no:
        data["doc_no"] = report.doc_no
    when = issued or (dt.date.fromisoformat(tree.issued) if tree.issued else None)
    if when is not None:
        data["issued"] = when
        report.issued = f"{when.isoformat()}" + ("（--issued 指定）" if issued else "（取自文件）")
    if report.basis:
        data["basis"] = list(report.basis)
    if tree.preamble:
        data["preamble"] = "\n".join(p.strip() for p in tree.preamble if p.strip())
    data["sections"] = clean(top)
    return data


# --------------------------------------------------------------------------- deadlines


def extract_deadlines(text: str, year: int, *, strict: bool = True) -> tuple[list[Deadline], list[str]]:
    """Deadline rules and the time-like phrases that were not understood (``strict``: see ``deadlines.extract``)."""
    found, unparsed = deadlines.extract(text, year, strict=strict)
    return list(found), list(dict.fromkeys(phrase for _start, _end, phrase in unparsed))


def deadline_data(deadline: Deadline) -> Any:
    """A deadline as the YAML wants it: a bare phrase or date when that says it all."""
    data = deadline.model_dump(exclude_none=True, mode="python")
    kind = data.pop("kind", None)
    if kind is not None:
        kind = getattr(kind, "value", kind)
        rest = Deadline.model_validate(data) if data else None
        if rest is None or (rest.explicit_kind() or None) != deadline.kind:
            data["kind"] = kind
    if set(data) == {"phrase"}:
        return data["phrase"]
    if set(data) == {"due"}:
        return data["due"]
    order = ["phrase", "kind", "due", "every", "count", "per", "workdays", "days", "after"]
    return {k: data[k] for k in order if k in data}


# --------------------------------------------------------------------------- a new registry


def new_unit_data(result: ImportResult, *, name: str | None = None) -> dict[str, Any]:
    """A unit registry (unit.yaml data) listing the departments the import found."""
    data: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "name": name or result.issuer or result.plan.title,
        "review": True,
        "remark": f"由 ggk import 根据 {result.document.path.name} 自动生成，请核对部门名称、补充别名后删去 review。",
        "departments": department_entries(result),
    }
    Unit.model_validate(data)
    result.report.new_registry = list(result.departments)
    return data


def department_entries(result: ImportResult) -> list[dict[str, Any]]:
    """The registry entries of the departments the import found (aliases, collective names marked)."""
    out: list[dict[str, Any]] = []
    for dep in result.departments:
        entry: dict[str, Any] = {"name": dep}
        if result.aliases.get(dep):
            entry["aliases"] = list(result.aliases[dep])
        if is_group(dep):
            entry["group"] = True
        out.append(entry)
    return out
