"""``ggk import``: an issued plan document (txt/md/docx) -> a tracked plan and an import report.

Owns the structure of the document: which paragraphs are metadata (title, 文号, basis
documents), which are preamble (印发 notice, 主送, 总体要求/指导思想/基本原则), which are
section headings (一、/（一）/1./1、/(1) in any combination, unnumbered ones, repeated or
skipped numbers) and which are the items, their ids, titles, text, lead/assist and deadline
rules.  Reading and paragraph re-joining live in ``ggk.importer.read``; responsibility notes
and department names in ``ggk.importer.units``; time phrases in ``ggk.deadlines``; YAML
text in ``ggk.yamlfiles.emit``.  No file is written here: ``ggk.cli.import_cmd`` decides where.

Nothing is dropped silently: every paragraph ends up in the plan (item, heading, metadata,
preamble) or in the report's list of skipped paragraphs, with its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ggk import deadlines
from ggk.importer.read import Para, Source, cn_numeral, norm, read_document
from ggk.importer.units import (
    TIME_CLAUSE,
    Responsibility,
    is_group,
    is_note_paragraph,
    merge_variants,
    resolve_name,
    split_names,
    split_note,
)
from ggk.model import FORMAT_VERSION, Deadline, Plan, Unit


class ImportFailure(Exception):
    """The document cannot be imported; ``exit_code`` follows the CLI contract (1 or 2)."""

    def __init__(self, message: str, exit_code: int = 2, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        self.hint = hint


class NoItemsFound(ImportFailure):
    def __init__(self, message: str) -> None:
        super().__init__(message, exit_code=1)


class YearMissing(ImportFailure):
    pass


# --------------------------------------------------------------------------- markers

_CN_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_to_int(text: str) -> int | None:
    """一 -> 1, 十五 -> 15, 二十三 -> 23."""
    if not text:
        return None
    total, current = 0, 0
    for ch in text:
        if ch in _CN_VALUES:
            current = _CN_VALUES[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


_CN = "一二三四五六七八九十百零〇两"
_MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("part", re.compile(rf"^\s*第([{_CN}]+)(?:部分|章)\s*[、：.]?\s*")),
    ("cn", re.compile(rf"^\s*([{_CN}]+)\s*[、.，](?!\d)\s*")),
    ("cnp", re.compile(rf"^\s*（\s*([{_CN}]+)\s*）\s*[、.]?\s*")),
    ("num", re.compile(r"^\s*(\d{1,3})\s*[.、](?!\d)\s*")),
    ("nump", re.compile(r"^\s*（?\s*(\d{1,3})\s*）\s*[、.]?\s*")),
    ("circ", re.compile(r"^\s*([①-⑳])\s*[、.]?\s*")),
]
_RANK = {kind: i for i, (kind, _) in enumerate(_MARKERS)}


def parse_marker(text_norm: str) -> tuple[str, int, str, int] | None:
    """(kind, number, printed number, offset of the text after the marker) or None."""
    for kind, pattern in _MARKERS:
        m = pattern.match(text_norm)
        if not m:
            continue
        raw = m.group(1)
        if kind in ("part", "cn", "cnp"):
            number = cn_to_int(raw)
        elif kind == "circ":
            number = ord(raw) - 0x2460 + 1
        else:
            number = int(raw)
        if number is None or number <= 0:
            continue
        printed = {"cnp": f"（{raw}）", "nump": f"（{raw}）", "part": f"第{raw}部分"}.get(kind, raw)
        return kind, number, printed, m.end()
    return None


# --------------------------------------------------------------------------- vocabulary

#: Headings whose content is not a task (总体要求 and its 指导思想/基本原则 …).
PREAMBLE_TITLE = re.compile(
    r"^(?:总体要求|总体思路|指导思想|基本原则|工作原则|主要原则|总体目标|工作目标|主要目标|目标任务|"
    r"公开方式|公开渠道|公开形式|适用范围|编制依据|制定依据|工作依据|背景|基本情况|有关说明|说明)$"
)
_PLAN_WORD = re.compile(r"要点|方案|计划|安排|清单|任务|意见|办法|细则|措施|报告|总结|台账")
_REPORT_WORD = re.compile(r"报告|总结|情况通报")
_PLAN_STRONG = re.compile(r"要点|方案|计划|安排|任务分解|任务清单|台账")
_DOC_NO_LINE = re.compile(r"^[\u4e00-\u9fff]{1,12}\s*〔\s*((?:19|20)\d{2})\s*〕\s*\d+\s*号$")
_DOC_NO_ANY = re.compile(r"[\u4e00-\u9fff]{1,12}〔((?:19|20)\d{2})〕\d+号")
_DATE_LINE = re.compile(r"^((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:\s*印发)?$")
_BACK_MATTER = re.compile(
    r"^(?:抄送|抄报|印发|主题词|附件|联系人|联系电话|相关新闻|相关链接|扫一扫|打印本页|关闭窗口|责任编辑|来源)\s*[：:]?"
    r"|^（?此件[^）]*公开）?$|印发$"
)
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_ORG_END = re.compile(r"(?:厅|局|委员会|委|办公室|政府|中心|公司|集团)$")


def _compact(text: str) -> str:
    """Remove the spaces a copy puts around numbers between Chinese characters."""
    text = re.sub(r"\s+", " ", text.strip())
    return re.sub(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])", "", text)


def _excerpt(text: str, size: int = 30) -> str:
    text = re.sub(r"\s+", " ", text.strip())
    return text if len(text) <= size else text[:size] + "…"


def _is_headlike(text_norm: str) -> bool:
    t = text_norm.strip()
    return 0 < len(t) <= 40 and not any(c in t for c in "。！？；") and not t.endswith("：")


def _has_body(rest_norm: str) -> bool:
    t = rest_norm.strip().rstrip("。 ")
    return any(c in t for c in "。！？；") or len(t) > 50


def _title_phrase(text: str) -> str:
    """The heading phrase of an item: its first sentence, or a short start of it."""
    t = _compact(norm(text)).strip()
    first = re.split(r"[。！？；]", t, maxsplit=1)[0].strip().rstrip("：")
    clause = re.split(r"[，：]", first, maxsplit=1)[0].strip()
    if first and (len(first) <= 20 or (first == clause and len(first) <= 40)):
        return first
    if 4 <= len(clause) <= 40:
        return clause
    return (first or t)[:30] + "…"


# --------------------------------------------------------------------------- report


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
    basis: list[str] = field(default_factory=list)
    items: int = 0
    sections: list[SectionCount] = field(default_factory=list)
    no_responsible: list[ItemRef] = field(default_factory=list)
    inherited: list[ItemRef] = field(default_factory=list)
    unparsed_time: list[ItemRef] = field(default_factory=list)
    rules: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[Skipped] = field(default_factory=list)
    unknown_departments: list[ItemRef] = field(default_factory=list)
    resolved_departments: list[tuple[str, str]] = field(default_factory=list)
    new_registry: list[str] = field(default_factory=list)


def render_report(report: ImportReport) -> str:
    """The import report as Chinese text (one line per finding, each with its source line)."""
    w = report.where
    out: list[str] = []
    enc = report.encoding + ("（自动识别）" if report.encoding_detected else "")
    out.append(f"导入：{report.source}（编码 {enc}）")
    out.append(f"标题：{report.title}")
    year = f"{report.year}（{report.year_from}）" if report.year else "未确定"
    out.append(f"单位：{report.unit or '未指定'}　年度：{year}　文号：{report.doc_no or '无'}")
    if report.basis:
        out.append(f"制定依据：{len(report.basis)} 份")
        out += [f"  - {b}" for b in report.basis]
    out.append(f"条目：共 {report.items} 条；时限规则 {report.rules} 条")
    for sec in report.sections:
        out.append(f"  {'  ' * sec.depth}{sec.label}（第{sec.line}{w}）：{sec.count} 条")
    if report.no_responsible:
        out.append(f"没有责任单位的条目：{len(report.no_responsible)} 条")
        out += [f"  - {r.id}（第{r.line}{w}）{r.detail}" for r in report.no_responsible]
    if report.inherited:
        out.append(f"责任单位取自所在标题的条目：{len(report.inherited)} 条")
        out += [f"  - {r.id}（第{r.line}{w}）：{r.detail}" for r in report.inherited]
    if report.unparsed_time:
        head = "像是时限但未转换为规则的表述"
        out.append(f"{head}：{len(report.unparsed_time)} 处")
        out += [f"  - {r.id}（第{r.line}{w}）：{r.detail}" for r in report.unparsed_time]
    if report.unknown_departments:
        out.append(f"名册中没有的部门名称：{len(report.unknown_departments)} 个")
        out += [f"  - {r.id}（第{r.line}{w}，见条目 {r.detail}）" for r in report.unknown_departments]
    if report.resolved_departments:
        out.append("名称归并（写法不同、指同一部门）：")
        out += [f"  - {a} → {b}" for a, b in report.resolved_departments]
    if report.new_registry:
        out.append(f"新建单位名册（待核对）：{len(report.new_registry)} 个名称")
    if report.warnings:
        out.append(f"注意：{len(report.warnings)} 处")
        out += [f"  - 第{s.line}{w}：{s.reason}「{s.excerpt}」" for s in report.warnings]
    if report.skipped:
        out.append(f"未作为任务导入的段落：{len(report.skipped)} 段")
        out += [f"  - 第{s.line}{w}（{s.reason}）：{s.excerpt}" for s in sorted(report.skipped, key=lambda s: s.line)]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- tree


@dataclass
class _Node:
    line: int
    depth: float
    number: int | None = None
    printed: str | None = None
    kind: str | None = None  # marker kind, None when unnumbered


@dataclass
class _Item(_Node):
    text: str = ""
    resp: Responsibility | None = None
    resp_line: int = 0
    inherited_from: str = ""
    title: str = ""
    preamble: bool = False

    @property
    def closed(self) -> bool:
        return self.resp is not None


@dataclass
class _Section(_Node):
    title: str = ""
    children: list[Any] = field(default_factory=list)
    resp: Responsibility | None = None
    bodies: list[Para] = field(default_factory=list)
    heading_text: str = ""  # heading text after the number (for body-only conversion)
    heading_raw: str = ""  # the heading paragraph as written
    marker: str = ""  # the number as written, with its punctuation (“一、”, “1.”)
    heading_extra: str = ""  # body text on a heading that has sub-items
    preamble: bool = False
    free: bool = False
    implicit: bool = False


@dataclass
class ImportResult:
    plan: Plan
    data: dict[str, Any]  # the plan as ordered plain data, ready for ggk.yamlfiles.emit
    report: ImportReport
    departments: list[str]  # every department name used, in order of first use
    issuer: str  # the issuing unit's name as the document states it ("" if not found)
    source: Source
    aliases: dict[str, list[str]] = field(default_factory=dict)  # for a new registry: canonical -> other spellings


class _Parser:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.paras = source.paras
        self.report = ImportReport(
            source=source.path.name,
            where=source.where,
            encoding=source.encoding,
            encoding_detected=source.encoding_detected,
        )
        self.skipped = self.report.skipped
        for page in source.page_numbers:
            self.skip(page, "页码")
        self.preamble: list[str] = []
        self.issued: str | None = None

    # ----------------------------------------------------------------- metadata

    def find_title(self, limit: int) -> tuple[str, int, int, str]:
        """(title, first para index, last para index, issuer) among paragraphs before ``limit``."""
        best: tuple[int, int] | None = None
        best_score = -1
        for i in range(limit):
            t = norm(self.paras[i].text).strip()
            t = t.rsplit("：", 1)[-1].strip() if "：" in t and _PLAN_WORD.search(t.rsplit("：", 1)[-1]) else t
            if len(t) > 80 or "。" in t or not _PLAN_WORD.search(t):
                continue
            score = 1
            if _YEAR.search(t):
                score += 2
            if _PLAN_STRONG.search(t):
                score += 2
            if "关于" in t or t.endswith("通知") or "解读" in t:
                score -= 3
            if score > best_score:
                best, best_score = (i, i), score
        if best is None:
            return "", -1, -1, ""
        first, last = best
        title = _compact(norm(self.paras[first].text))
        title = title.rsplit("：", 1)[-1] if "：" in title else title
        # A title broken over two lines: “吉林省交通运输厅2022年” / “政务公开工作要点”.
        if first > 0:
            prev = _compact(norm(self.paras[first - 1].text))
            if _is_headlike(prev) and len(prev) <= 30 and not _PLAN_WORD.search(prev) and re.search(r"(?:\d{4}年|[厅局委办府])$", prev):
                title = prev + title
                first -= 1
        notice = re.match(r"^(.*?)关于印发\s*《(.+)》\s*的?通知$", title)
        if notice:
            title = notice.group(1) + notice.group(2) if not re.match(r"^.{2,}?[厅局委府]", notice.group(2)) else notice.group(2)
        title = title.strip("《》")
        issuer = ""
        m = re.match(r"^(.+?)(?:关于|(?:19|20)\d{2}年)", title)
        if m and _ORG_END.search(m.group(1)):
            issuer = m.group(1)
        else:
            m = re.match(r"^(?:19|20)\d{2}年度?(.+?)政务公开", title)
            if m:
                issuer = m.group(1)
        return title, first, last, issuer

    def basis_from(self, text: str) -> list[str]:
        n = norm(text)
        out: list[str] = []
        for clause in re.finditer(r"(?:根据|按照|依据|依照)(.*?)(?:，?结合|，?制定|，?特制定|，?现将|。|$)", n):
            for m in re.finditer(r"《[^》]+》(?:的通知)?(?:\s*（[^（）]*?〔\s*\d{4}\s*〕[^（）]*?号）)?", clause.group(1)):
                # As written (ASCII or full-width brackets): norm() keeps offsets.
                start = clause.start(1) + m.start()
                entry = text[start : start + len(m.group(0))].strip()
                if entry not in out:
                    out.append(entry)
        return out

    def front_matter(self, paras: list[tuple[int, Para]], title_span: tuple[int, int]) -> tuple[str | None, list[str]]:
        doc_no: str | None = None
        basis: list[str] = []
        for i, para in paras:
            if title_span[0] <= i <= title_span[1]:
                continue
            t = _compact(norm(para.text))
            before_title = title_span[0] >= 0 and i < title_span[0]
            found = self.basis_from(para.text)
            basis += [b for b in found if b not in basis]
            if _DOC_NO_LINE.match(t):
                if doc_no is None:
                    doc_no = t
                    continue
                self.skip(para, "文号")
            elif _DATE_LINE.match(t):
                self._issued(t)
                self.skip(para, "日期")
            elif t.endswith("：") and len(t) <= 60:
                self.skip(para, "主送")
            elif "印发你们" in t or "现将" in t or ("关于印发" in t and len(t) <= 80 and "。" not in t):
                self.skip(para, "印发通知" + ("，已取出制定依据" if found else ""))
            elif t.endswith("文件") and len(t) <= 30:
                self.skip(para, "版头")
            elif _BACK_MATTER.search(t):
                self.skip(para, "公开属性等")
            elif before_title:
                self.skip(para, "标题前的文字")
            elif found and re.match(r"^(?:根据|按照|依据|依照|为(?:了)?(?:深入)?(?:贯彻|落实))", t) and re.search(r"制定[^。]*。?$", t):
                self.skip(para, "制定依据（已取出）")
            elif _is_headlike(t) and PREAMBLE_TITLE.match(_bare(t)):
                self.preamble.append(para.text.strip())
                self.skip(para, "前言标题（存入 preamble）")
            elif _is_headlike(t):
                self.skip(para, "非任务标题")
            else:
                self.preamble.append(para.text.strip())
                self.skip(para, "前言（存入 preamble）" + ("，已取出制定依据" if found else ""))
        return doc_no, basis

    def _issued(self, text: str) -> None:
        m = _DATE_LINE.match(text)
        if m and self.issued is None:
            self.issued = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"

    def skip(self, para: Para, reason: str) -> None:
        self.skipped.append(Skipped(para.line, _excerpt(para.text), reason))

    # ----------------------------------------------------------------- structure

    def parse(self) -> tuple[_Section, dict[str, Any]]:
        paras = self.paras
        marks = [parse_marker(norm(p.text)) for p in paras]
        notes = [is_note_paragraph(p.text) if marks[i] is None else None for i, p in enumerate(paras)]
        kinds = sorted({m[0] for m in marks if m}, key=lambda k: _RANK[k])
        depth_of = {k: i for i, k in enumerate(kinds)}

        first_num = next((i for i, m in enumerate(marks) if m), len(paras))
        title, t_first, t_last, issuer = self.find_title(first_num)
        if t_first < 0:
            # No title before the first heading: take the first short line, if any.
            for i in range(min(first_num, 3)):
                if _is_headlike(norm(paras[i].text)):
                    title, t_first, t_last = _compact(norm(paras[i].text)), i, i
                    break

        def next_num_at(i: int, depth: float) -> int | None:
            for j in range(i + 1, len(paras)):
                mark_j = marks[j]
                if mark_j is not None:
                    d = depth_of[mark_j[0]]
                    if d < depth:
                        return None
                    if d == depth:
                        return mark_j[1]
            return None

        root = _Section(line=0, depth=-1, title="")
        stack: list[_Section] = [root]
        last_num: dict[float, int] = {}
        last_node: Any = None
        started = False
        front: list[tuple[int, Para]] = []

        def push_section(sec: _Section) -> None:
            nonlocal last_node
            while stack[-1].depth >= sec.depth:
                stack.pop()
            parent = stack[-1]
            sec.preamble = sec.preamble or parent.preamble or bool(PREAMBLE_TITLE.match(_bare(sec.title)))
            parent.children.append(sec)
            stack.append(sec)
            _set_last(sec)
            last_node = sec

        def _set_last(node: _Node) -> None:
            if node.number is not None:
                last_num[node.depth] = node.number
            for d in [d for d in last_num if d > node.depth]:
                del last_num[d]

        def container(depth: float) -> _Section:
            while stack[-1].depth >= depth:
                stack.pop()
            parent = stack[-1]
            if parent is root:
                sec = _Section(line=0, depth=depth - 0.5, title="正文", implicit=True)
                root.children.append(sec)
                stack.append(sec)
                return sec
            return parent

        def add_item(item: _Item, sec: _Section) -> None:
            nonlocal last_node
            item.preamble = sec.preamble or bool(PREAMBLE_TITLE.match(_bare(item.title)))
            sec.children.append(item)
            _set_last(item)
            last_node = item

        for i, para in enumerate(paras):
            n = norm(para.text)
            mark = marks[i]
            if not started:
                gap = None
                if mark is None and i > t_last and _is_headlike(n) and notes[i] is None:
                    gap = self._gap_depth(i, kinds, depth_of, next_num_at, last_num)
                if mark is None and gap is None:
                    front.append((i, para))
                    continue
                started = True
                doc_no, basis = self.front_matter(front, (t_first, t_last))
                self.report.doc_no, self.report.basis = doc_no, basis
            if mark is not None:
                kind, number, printed, offset = mark
                depth = float(depth_of[kind])
                rest = para.text[offset:] if len(para.text) == len(n) else n[offset:]
                rest_text, resp = split_note(rest)
                nxt = next((j for j in range(i + 1, len(paras)) if notes[j] is None), None)
                body = _has_body(norm(rest_text))
                next_mark = marks[nxt] if nxt is not None else None
                if nxt is None:
                    has_children = False
                elif next_mark is not None:
                    has_children = depth_of[next_mark[0]] > depth
                else:
                    # Unnumbered items under a numbered heading (the heading may carry their note).
                    has_children = not body and _item_like(norm(paras[nxt].text))
                if has_children or (not body and resp is None):
                    sec_title = _title_phrase(rest_text) if rest_text.strip() else printed
                    sec = _Section(line=para.line, depth=depth, number=number, printed=printed, kind=kind, title=sec_title)
                    sec.resp = resp
                    sec.heading_text = rest
                    sec.marker = para.text[:offset].strip()
                    sec.heading_raw = para.text.strip()
                    extra = norm(rest_text).strip()
                    if has_children and _has_body(extra):
                        sec.heading_extra = rest_text.strip()
                    push_section(sec)
                else:
                    sec = container(depth)
                    item = _Item(line=para.line, depth=depth, number=number, printed=printed, kind=kind)
                    item.text = rest_text.strip()
                    item.resp, item.resp_line = resp, para.line if resp else 0
                    item.title = _title_phrase(rest_text)
                    add_item(item, sec)
                continue
            note = notes[i]
            if note is not None:
                if isinstance(last_node, _Item) and last_node.resp is None:
                    last_node.resp, last_node.resp_line = note, para.line
                elif isinstance(last_node, _Section) and last_node.resp is None and not last_node.children:
                    last_node.resp = note
                else:
                    self.report.warnings.append(Skipped(para.line, _excerpt(para.text), "无法对应到条目的责任单位说明，已跳过"))
                    self.skip(para, "责任单位说明（无对应条目）")
                continue
            t = _compact(n)
            if _DATE_LINE.match(t):
                self._issued(t)
                self.skip(para, "日期")
                continue
            if _BACK_MATTER.search(t):
                self.skip(para, "文末信息")
                continue
            if _is_headlike(n):
                gap = self._gap_depth(i, kinds, depth_of, next_num_at, last_num)
                if gap is not None:
                    sec = _Section(line=para.line, depth=gap, number=last_num.get(gap, 0) + 1, title=t, heading_raw=para.text.strip())
                    push_section(sec)
                    continue
                depth = self._free_depth(i, stack, marks, notes, depth_of)
                sec = _Section(line=para.line, depth=depth, title=t, free=True, heading_raw=para.text.strip())
                push_section(sec)
                continue
            # An unnumbered paragraph.
            sec = stack[-1]
            if sec is root:
                sec = container(0)
            if sec.preamble:
                sec.bodies.append(para)
                continue
            if isinstance(last_node, _Item) and not last_node.closed and (last_node.number is not None or not _item_like(n)):
                last_node.text += "\n" + _strip_note(para.text, last_node)
                continue
            items_here = any(isinstance(c, _Item) for c in sec.children)
            if items_here or _item_like(n) or sec.children:
                rest_text, resp = split_note(para.text.strip())
                item = _Item(line=para.line, depth=sec.depth + 1, text=rest_text.strip())
                item.resp, item.resp_line = resp, para.line if resp else 0
                item.title = _title_phrase(rest_text)
                add_item(item, sec)
            else:
                sec.bodies.append(para)

        if not started:
            doc_no, basis = self.front_matter(front, (t_first, t_last))
            self.report.doc_no, self.report.basis = doc_no, basis
        self.report.title = title
        meta = {"title": title, "issuer": issuer}
        self._finish(root)
        return root, meta

    def _gap_depth(self, i, kinds, depth_of, next_num_at, last_num) -> float | None:  # noqa: ANN001
        """Depth at which the unnumbered heading at ``i`` stands for a missing number.

        Two unnumbered headings in a row (“公开主要内容” / “推进…改革工作公开”): the first is
        the parent of the second, one level up, even when the document stops before the
        next numbered heading of that level would show the gap.
        """
        paras = self.paras
        j = i + 1
        if j < len(paras) and parse_marker(norm(paras[j].text)) is None and _is_headlike(norm(paras[j].text)):
            if is_note_paragraph(paras[j].text) is None:
                below = self._gap_depth_one(j, kinds, depth_of, next_num_at, last_num)
                if below is not None and below >= 1:
                    return below - 1
        return self._gap_depth_one(i, kinds, depth_of, next_num_at, last_num)

    def _gap_depth_one(self, i, kinds, depth_of, next_num_at, last_num) -> float | None:  # noqa: ANN001
        for kind in kinds:
            depth = float(depth_of[kind])
            nxt = next_num_at(i, depth)
            if nxt is not None and nxt == last_num.get(depth, 0) + 2:
                return depth
        return None

    def _free_depth(self, i, stack, marks, notes, depth_of) -> float:  # noqa: ANN001
        base = next((s.depth for s in reversed(stack) if not s.free), -1.0)
        j = next((j for j in range(i + 1, len(marks)) if marks[j] is not None), None)
        if j is not None and depth_of[marks[j][0]] > base:
            between = [k for k in range(i + 1, j) if notes[k] is None]
            d = float(depth_of[marks[j][0]])
            return d - 0.5 if not between else d
        return base + 0.5

    def _finish(self, root: _Section) -> None:
        """Body-only sections become items; empty headings and preamble are reported."""

        def walk(sec: _Section) -> None:
            for idx, child in enumerate(list(sec.children)):
                if not isinstance(child, _Section):
                    continue
                if child.preamble:
                    self._preamble_section(child)
                    continue
                walk(child)
                has_children = bool(child.children)
                if not has_children and (child.printed is not None or child.bodies):
                    # “1.推进X公开。” with its text in the paragraphs below (or nothing at all).
                    item = _Item(line=child.line, depth=child.depth, number=child.number, printed=child.printed, kind=child.kind)
                    body = "\n".join(p.text.strip() for p in child.bodies)
                    text = child.heading_text.strip() + ("\n" + body if body else "")
                    text, resp = split_note(text)
                    item.text, item.resp = text.strip(), resp or child.resp
                    item.resp_line = child.line if item.resp else 0
                    item.title = child.title
                    if not child.bodies:
                        self.report.warnings.append(Skipped(child.line, _excerpt(child.heading_text), "只有标题、没有正文的条目"))
                    sec.children[idx] = item
                    continue
                if not has_children:
                    for p in child.bodies:
                        self.skip(p, "标题下的说明文字")
                    self.report.warnings.append(Skipped(child.line, child.title, "没有条目的标题，已略去"))
                    self.skipped.append(Skipped(child.line, child.title, "没有条目的标题"))
                    continue
                for p in child.bodies:
                    self.skip(p, "标题下的说明文字")
                if child.heading_extra:
                    self.skipped.append(Skipped(child.line, _excerpt(child.heading_extra), "标题段落中的说明文字"))
            for child in sec.children:
                if isinstance(child, _Item) and child.preamble:
                    self.skipped.append(Skipped(child.line, _excerpt(child.text), "非任务段落（存入 preamble）"))
                    self.preamble.append(child.text)

        walk(root)

    def _preamble_section(self, sec: _Section) -> None:
        self.skipped.append(Skipped(sec.line, sec.title, "非任务部分（存入 preamble）"))
        parts = [sec.heading_raw or sec.title]
        for p in sec.bodies:
            parts.append(p.text.strip())
            self.skipped.append(Skipped(p.line, _excerpt(p.text), f"{sec.title}（存入 preamble）"))

        def walk(node: _Section) -> None:
            for c in node.children:
                if isinstance(c, _Item):
                    prefix = c.printed or ""
                    parts.append(prefix + c.text)
                    self.skipped.append(Skipped(c.line, _excerpt(prefix + c.text), f"{sec.title}（存入 preamble）"))
                else:
                    parts.append(c.heading_raw or c.title)
                    self.skipped.append(Skipped(c.line, c.title, f"{sec.title}（存入 preamble）"))
                    for p in c.bodies:
                        parts.append(p.text.strip())
                    walk(c)

        walk(sec)
        self.preamble.append("\n".join(parts))


def _bare(title: str) -> str:
    return re.sub(r"[。：:，\s]", "", norm(title))


def _item_like(text_norm: str) -> bool:
    """An unnumbered paragraph that is an item on its own: a short heading phrase, or a note."""
    t = text_norm.strip()
    first = re.split(r"[。！？；]", t, maxsplit=1)
    if len(first) == 2 and 0 < len(first[0]) <= 35 and first[1].strip():
        return True
    return split_note(t)[1] is not None


def _strip_note(text: str, item: _Item) -> str:
    rest, resp = split_note(text.strip())
    if resp is not None and item.resp is None:
        item.resp = resp
    return rest.strip()


# --------------------------------------------------------------------------- ids


def _labels(children: list[Any], top: bool) -> list[str]:
    """Id labels of one sibling group: printed numbers, or positions where they fail."""
    numbers = [c.number if c.printed is not None else None for c in children]
    labels: list[str] = []
    for pos, num in enumerate(numbers, start=1):
        value = num if num is not None and numbers.count(num) == 1 else pos
        labels.append(cn_numeral(value) if top else str(value))
    if len(set(labels)) < len(labels):
        labels = [cn_numeral(p) if top else str(p) for p in range(1, len(children) + 1)]
    return labels


def _assign_ids(root: _Section) -> list[tuple[list[_Section], _Item, str]]:
    items: list[tuple[list[_Section], _Item, list[str]]] = []

    def walk(sec: _Section, chain: list[_Section], path: list[str]) -> None:
        children = [c for c in sec.children if not (isinstance(c, _Section) and c.implicit)]
        labels = _labels(children, top=not path) if children else []
        label_of = {id(c): lab for c, lab in zip(children, labels, strict=True)}
        for child in sec.children:
            if isinstance(child, _Section):
                if child.implicit:
                    walk(child, chain, path)
                else:
                    walk(child, [*chain, child], [*path, label_of[id(child)]])
            else:
                lab = label_of.get(id(child))
                if lab is None:  # an item directly in an implicit section
                    sibs = [c for c in sec.children if isinstance(c, _Item)]
                    lab = _labels(sibs, top=not path)[sibs.index(child)]
                items.append((chain, child, [*path, lab]))

    walk(root, [], [])
    tasks = [(c, it, p) for c, it, p in items if not it.preamble and not any(s.preamble for s in c)]
    numbers = [it.number if it.printed is not None else None for _, it, _ in tasks]
    unique = all(n is not None for n in numbers) and len(set(numbers)) == len(numbers)
    out: list[tuple[list[_Section], _Item, str]] = []
    for chain, item, path in tasks:
        out.append((chain, item, str(item.number) if unique else ".".join(path)))
    return out


# --------------------------------------------------------------------------- deadlines


def extract_deadlines(text: str, year: int) -> tuple[list[Deadline], list[str]]:
    """Deadline rules and the time-like phrases that were not understood."""
    found, unparsed = deadlines.extract(text, year)
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
    order = ["phrase", "kind", "due", "every", "count", "per", "workdays", "after"]
    return {k: data[k] for k in order if k in data}


# --------------------------------------------------------------------------- build


def import_source(
    source: Source,
    *,
    unit: str,
    year: int | None = None,
    registry: Unit | None = None,
) -> ImportResult:
    """Turn a read document into a plan.  Raises ``NoItemsFound`` / ``YearMissing``."""
    parser = _Parser(source)
    root, meta = parser.parse()
    report = parser.report
    title = meta["title"] or source.path.stem
    report.title = title
    report.unit = unit

    if meta["title"] and _REPORT_WORD.search(title) and not _PLAN_STRONG.search(title):
        raise NoItemsFound(f"「{title}」是一份报告，不是工作要点或实施方案：没有可导入的任务条目。")

    doc_year = None
    year_from = ""
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
    report.year, report.year_from = doc_year, year_from

    entries = _assign_ids(root)
    if not entries:
        raise NoItemsFound(
            f"在 {source.path.name} 中没有找到任务条目（没有带编号的条目，也没有标题下的任务段落）。请确认这是一份工作要点或实施方案。"
        )
    if doc_year is None:
        raise YearMissing("无法从文件标题或文号中确定年度，请用 --year 指定（如 --year 2021）。")

    names = registry.names() if registry is not None else None
    canonical = {k: v.name for k, v in names.items()} if names is not None else None
    auto: dict[str, str] = {}
    if registry is None:
        # A new unit: merge the spellings that differ by a prefix (政策法规股 / 局政策法规股).
        found_names: list[str] = []
        for chain, item, _ in entries:
            r = _effective_resp(chain, item)
            if r is not None:
                found_names += [n for n in r.lead + r.assist if n not in found_names]
        auto = merge_variants(found_names)
    used: list[str] = []
    unknown: dict[str, tuple[int, list[str]]] = {}

    joined = [k for k in canonical if "、" in k] if canonical is not None else []

    def resolve(values: list[str], item_id: str, line: int, note: str) -> list[str]:
        # A registry may keep “相关股室、单位” as one collective name: undo the expansion.
        for reg_name in joined:
            if norm(reg_name) in norm(note):
                parts = split_names(reg_name)
                for k in range(len(values) - len(parts) + 1):
                    if values[k : k + len(parts)] == parts:
                        values = [*values[:k], reg_name, *values[k + len(parts) :]]
                        break
        out: list[str] = []
        for name in values:
            final = name
            if canonical is not None:
                found, exact = resolve_name(name, canonical)
                if found is None:
                    entry = unknown.setdefault(name, (line, []))
                    entry[1].append(item_id)
                else:
                    final = found
                    if found != name and (name, found) not in report.resolved_departments:
                        report.resolved_departments.append((name, found))
            elif auto.get(name, name) != name:
                final = auto[name]
                if (name, final) not in report.resolved_departments:
                    report.resolved_departments.append((name, final))
            if final not in out:
                out.append(final)
            if final not in used:
                used.append(final)
        return out

    section_data: dict[int, dict[str, Any]] = {}
    top: list[dict[str, Any]] = []
    counts: dict[int, SectionCount] = {}
    order: list[_Section] = []

    def sec_data(chain: list[_Section]) -> dict[str, Any] | None:
        parent_list = top
        data = None
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
                label = sec.marker + sec.title
                counts[id(sec)] = SectionCount(label, sec.line, 0, depth)
                order.append(sec)
            data = section_data[id(sec)]
            parent_list = data["sections"]
        return data

    last_item: _Item | None = None
    for chain, item, item_id in entries:
        data = sec_data(chain)
        if data is None:  # items of a document without any heading
            data = sec_data([_Section(line=0, depth=0, title="正文")])
            chain = order[-1:]
        assert data is not None
        resp = _effective_resp(chain, item)
        if resp is not None and resp is not item.resp:
            sec = next(sec for sec in reversed(chain) if sec.resp is resp)
            report.inherited.append(ItemRef(item_id, item.line, f"{sec.title}：{resp.note}"))
        entry: dict[str, Any] = {"id": item_id, "title": _compact(item.title) or item_id, "text": item.text}
        line = item.resp_line or item.line
        entry["lead"] = resolve(resp.lead, item_id, line, resp.note) if resp is not None else []
        entry["assist"] = resolve(resp.assist, item_id, line, resp.note) if resp is not None else []
        if resp is None or resp.empty:
            report.no_responsible.append(ItemRef(item_id, item.line, _excerpt(item.title, 20)))
        timed = item.text
        if item.resp is not None and TIME_CLAUSE.search(norm(item.resp.note)):
            timed += f"（{item.resp.note}）"  # “X负责，2021年底前完成”: the time is in the note
        rules, unparsed = extract_deadlines(timed, doc_year)
        if rules:
            entry["deadline"] = [deadline_data(d) for d in rules]
            if len(entry["deadline"]) == 1:
                entry["deadline"] = entry["deadline"][0]
            report.rules += len(rules)
        for phrase in unparsed:
            report.unparsed_time.append(ItemRef(item_id, item.line, phrase))
        data["items"].append(entry)
        counts[id(chain[-1])].count += 1
        last_item = item

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
        total = counts[id(sec)].count
        for other in order:
            if other is not sec and _is_descendant(other, sec):
                total += counts[id(other)].count
        report.sections.append(SectionCount(counts[id(sec)].label, sec.line, total, counts[id(sec)].depth))
    report.items = len(entries)

    if last_item is not None:
        tail = norm(last_item.text).rstrip()
        if last_item.resp is None and tail and (tail[-1] not in "。！？；…”）" or tail.count("（") > tail.count("）")):
            report.warnings.append(Skipped(last_item.line, _excerpt(tail[-30:]), "文件可能在此条中途截断（末尾没有句号）"))

    for name, (line, ids) in unknown.items():
        report.unknown_departments.append(ItemRef(name, line, "、".join(ids)))

    def clean(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for d in sections:
            d["sections"] = clean(d["sections"])
            if not d["items"]:
                del d["items"]
            if not d["sections"]:
                del d["sections"]
        return sections

    plan_data: dict[str, Any] = {"format": FORMAT_VERSION, "unit": unit, "year": doc_year, "title": title}
    if report.doc_no:
        plan_data["doc_no"] = report.doc_no
    if parser.issued:
        import datetime as dt

        plan_data["issued"] = dt.date.fromisoformat(parser.issued)
    if report.basis:
        plan_data["basis"] = list(report.basis)
    if parser.preamble:
        plan_data["preamble"] = "\n".join(p.strip() for p in parser.preamble if p.strip())
    plan_data["sections"] = clean(top)
    plan = Plan.model_validate(plan_data)
    aliases: dict[str, list[str]] = {}
    for name, canon in auto.items():
        if name != canon:
            aliases.setdefault(canon, []).append(name)
    return ImportResult(plan, plan_data, report, used, meta["issuer"], source, aliases)


def _effective_resp(chain: list[_Section], item: _Item) -> Responsibility | None:
    """The item's own note, else the note on the nearest heading above it."""
    if item.resp is not None:
        return item.resp
    return next((sec.resp for sec in reversed(chain) if sec.resp is not None), None)


def _is_descendant(node: _Section, ancestor: _Section) -> bool:
    for child in ancestor.children:
        if child is node:
            return True
        if isinstance(child, _Section) and _is_descendant(node, child):
            return True
    return False


def import_document(path: Path, *, unit: str, year: int | None = None, registry: Unit | None = None) -> ImportResult:
    """Read and import ``path`` (see ``import_source``)."""
    return import_source(read_document(path), unit=unit, year=year, registry=registry)


def new_unit_data(result: ImportResult, *, name: str | None = None) -> dict[str, Any]:
    """A unit registry (unit.yaml data) listing the departments the import found."""
    departments: list[dict[str, Any]] = []
    for dep in result.departments:
        entry: dict[str, Any] = {"name": dep}
        if result.aliases.get(dep):
            entry["aliases"] = list(result.aliases[dep])
        if is_group(dep):
            entry["group"] = True
        departments.append(entry)
    data: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "name": name or result.issuer or result.plan.title,
        "review": True,
        "remark": f"由 ggk import 根据 {result.source.path.name} 自动生成，请核对部门名称、补充别名后删去 review。",
        "departments": departments,
    }
    Unit.model_validate(data)
    result.report.new_registry = list(result.departments)
    return data


# --------------------------------------------------------------------------- files


@dataclass
class ImportJob:
    """What ``ggk import`` will write: the plan text and, for a new unit, its registry."""

    result: ImportResult
    plan_path: Path
    plan_text: str
    unit_path: Path
    unit_text: str | None  # None when the unit already has a registry

    def write(self) -> list[tuple[Path, str]]:
        """Write the files atomically (registry first, so a plan never lacks one)."""
        from ggk.yamlfiles.emit import write_atomic

        written: list[tuple[Path, str]] = []
        self.plan_path.parent.mkdir(parents=True, exist_ok=True)
        if self.unit_text is not None and not self.unit_path.exists():
            write_atomic(self.unit_path, self.unit_text)
            written.append((self.unit_path, "新建单位名册，review: true，请核对"))
        write_atomic(self.plan_path, self.plan_text)
        written.append((self.plan_path, f"{self.result.report.items} 条"))
        return written


class UsageFailure(ImportFailure):
    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message, exit_code=2, hint=hint)


_UNIT_CODE = re.compile(r"^[^./\\\s_][^/\\\s]*$")


def _load_registry(path: Path) -> Unit:
    from ggk.workspace.load import load_file

    loaded = load_file(path, Unit)
    if loaded.model is None:
        first = next((d for d in loaded.diagnostics), None)
        detail = f"：第 {first.line} 行 {first.message}" if first else ""
        raise UsageFailure(f"单位名册 {path} 无法读取{detail}", "先用 ggk check 修正名册")
    return loaded.model  # type: ignore[return-value]


def _guess_unit(plans_dir: Path, source: Source, unit: str | None, output: Path | None) -> str | None:
    if unit:
        return unit
    if output is not None and output.parent.name not in ("", ".", ".."):
        return output.parent.name
    if not plans_dir.is_dir():
        return None
    # An existing registry whose unit name appears at the top of the document.
    head = "".join(_compact(norm(p.text)) for p in source.paras[:8])
    for reg_path in sorted(plans_dir.glob("*/unit.yaml")):
        try:
            reg = _load_registry(reg_path)
        except ImportFailure:
            continue
        if not reg.example and any(n and n in head for n in (reg.name, reg.short)):
            return reg_path.parent.name
    return None


def prepare_import(
    doc: Path,
    *,
    plans_dir: Path,
    unit: str | None = None,
    year: int | None = None,
    output: Path | None = None,
    force: bool = False,
) -> ImportJob:
    """Read ``doc``, build the plan (and a registry for a new unit); nothing is written yet.

    Raises ``ImportFailure`` (exit code 1 or 2) with a Chinese message.
    """
    from ggk.importer.read import DocumentError
    from ggk.yamlfiles.emit import dump_plan, dump_unit

    try:
        source = read_document(Path(doc))
    except DocumentError as exc:
        raise UsageFailure(str(exc)) from None
    code = _guess_unit(plans_dir, source, unit, output)
    if code is not None and not _UNIT_CODE.match(code):
        raise UsageFailure(f"单位代号「{code}」不能用作文件夹名", "用字母、数字和连字符，如 gansu-jtt")
    if code is None and output is None and not force:
        raise UsageFailure(
            "请用 --unit 指定单位代号（plans/ 下的文件夹名）",
            f"如 ggk import {doc} --unit gansu-jtt；新单位会自动建立名册",
        )
    unit_code = code or "未指定"
    if output is not None:
        unit_path = output.parent / "unit.yaml"
    else:
        unit_path = plans_dir / unit_code / "unit.yaml"
    registry = _load_registry(unit_path) if unit_path.exists() else None
    try:
        result = import_source(source, unit=unit_code, year=year, registry=registry)
    except YearMissing as exc:
        raise UsageFailure(exc.message, "年度取自标题（如“2021年政务公开工作要点”）或文号〔2021〕") from None
    plan_path = output if output is not None else plans_dir / unit_code / f"{result.plan.year}.yaml"
    if plan_path.exists() and not force:
        raise UsageFailure(f"{plan_path} 已存在，未覆盖", "确需覆盖请加 --force（原文件中的进展记录将丢失）")
    src = f"{source.path.name}（{result.plan.title}），由 ggk import 导入，请对照原文核对"
    plan_text = dump_plan(result.data, source=src)
    unit_text = None
    if registry is None:
        unit_data = new_unit_data(result)
        unit_text = dump_unit(unit_data, source=f"{source.path.name}，由 ggk import 根据文件中出现的部门名称生成")
    return ImportJob(result, plan_path, plan_text, unit_path, unit_text)
