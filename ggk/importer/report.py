"""The import report: what ``ggk import`` read from a document and what it could not, place by place.

Owns ``ImportReport`` (sections and their item counts, each item with what was read as its units and
limits, items without units, time phrases not turned into rules, skipped paragraphs, warnings) and
``render_report`` (Chinese text, one line per finding, each with its line / paragraph / page / table
row).  Filled by ``ggk.importer.structure`` and ``ggk.importer.build``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Skipped:
    line: int
    excerpt: str
    reason: str


@dataclass
class SectionCount:
    label: str
    line: int
    count: int
    depth: int


@dataclass
class ItemRef:
    id: str
    line: int
    detail: str = ""


@dataclass
class ItemLine:
    """One imported item as the report lists it: what was read as its units and its time limits."""

    id: str
    line: int
    lead: list[str]
    assist: list[str]
    limits: list[str]


@dataclass
class ImportReport:
    source: str
    where: str  # 行 or 段
    encoding: str
    encoding_detected: bool
    title: str = ""
    unit: str = ""
    year: int | None = None
    year_from: str = ""
    doc_no: str | None = None
    issued: str = ""
    basis: list[str] = field(default_factory=list)
    items: int = 0
    sections: list[SectionCount] = field(default_factory=list)
    item_lines: list[ItemLine] = field(default_factory=list)
    no_responsible: list[ItemRef] = field(default_factory=list)
    inherited: list[ItemRef] = field(default_factory=list)
    unparsed_time: list[ItemRef] = field(default_factory=list)
    rules: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[Skipped] = field(default_factory=list)
    unknown_departments: list[ItemRef] = field(default_factory=list)
    resolved_departments: list[tuple[str, str]] = field(default_factory=list)
    new_registry: list[str] = field(default_factory=list)
    registered: list[str] = field(default_factory=list)  # names entered in a filled registry (--register)
    reader_notes: list[str] = field(default_factory=list)
    merge: list[str] = field(default_factory=list)  # what merging into an existing plan did
    #: line -> place for places that are not 第N行/段 (table rows, PDF pages)
    places: dict[int, str] = field(default_factory=dict)

    def at(self, line: int) -> str:
        """Where paragraph ``line`` is in the source (第12行, 第3段, 第2页, 表1第4行)."""
        return self.places.get(line) or f"第{line}{self.where}"


def _names(names: list[str]) -> str:
    return "、".join(names) if names else "—"


def render_report(report: ImportReport) -> str:
    """The import report as Chinese text (one line per finding, each with its place in the source)."""
    at: Callable[[int], str] = report.at
    out: list[str] = []
    enc = report.encoding + ("（自动识别）" if report.encoding_detected else "")
    out.append(f"导入：{report.source}（编码 {enc}）")
    out += [f"读取：{note}" for note in report.reader_notes]
    out.append(f"标题：{report.title}")
    year = f"{report.year}（{report.year_from}）" if report.year else "未确定"
    out.append(f"单位：{report.unit or '未指定'}　年度：{year}　文号：{report.doc_no or '无'}")
    out.append(f"印发日期：{report.issued or '文件中没有（可用 --issued 指定）'}")
    if report.basis:
        out.append(f"制定依据：{len(report.basis)} 份")
        out += [f"  - {b}" for b in report.basis]
    out.append(f"条目：共 {report.items} 条；时限规则 {report.rules} 条")
    for sec in report.sections:
        out.append(f"  {'  ' * sec.depth}{sec.label}（{at(sec.line)}）：{sec.count} 条")
    if report.item_lines:
        out.append("逐条读取（牵头 / 配合 / 时限）：")
        for it in report.item_lines:
            limits = "；".join(it.limits) if it.limits else "常态化（无时限）"
            out.append(f"  - {it.id}（{at(it.line)}）：牵头 {_names(it.lead)}；配合 {_names(it.assist)}；时限 {limits}")
    refs: list[tuple[str, str, list[ItemRef], str]] = [
        ("没有责任单位的条目", "条", report.no_responsible, "  - {id}（{at}）{detail}"),
        ("责任单位取自所在标题或前文说明的条目", "条", report.inherited, "  - {id}（{at}）：{detail}"),
        ("像是时限但未转换为规则的表述", "处", report.unparsed_time, "  - {id}（{at}）：{detail}"),
        ("名册中没有的部门名称", "个", report.unknown_departments, "  - {id}（{at}，见条目 {detail}）"),
    ]
    for head, measure, found, line in refs:
        if found:
            out.append(f"{head}：{len(found)} {measure}")
            out += [line.format(id=r.id, at=at(r.line), detail=r.detail) for r in found]
    if report.resolved_departments:
        out.append("名称归并（写法不同、指同一部门）：")
        out += [f"  - {a} → {b}" for a, b in report.resolved_departments]
    if report.new_registry:
        out.append(f"新建单位名册（待核对）：{len(report.new_registry)} 个名称")
    if report.registered:
        out.append(f"登记进名册（--register，review: true 待核对）：{'、'.join(report.registered)}")
    if report.merge:
        out.append("并入已有计划：")
        out += [f"  - {m}" for m in report.merge]
    if report.warnings:
        out.append(f"注意：{len(report.warnings)} 处")
        out += [f"  - {at(s.line) if s.line else '全文'}：{s.reason}" + (f"「{s.excerpt}」" if s.excerpt else "") for s in report.warnings]
    if report.skipped:
        out.append(f"未作为任务导入的段落：{len(report.skipped)} 段")
        out += [f"  - {at(s.line)}（{s.reason}）：{s.excerpt}" for s in sorted(report.skipped, key=lambda s: s.line)]
    return "\n".join(out) + "\n"
