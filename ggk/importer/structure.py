"""Stage 2 of ``ggk import``: a read ``Document`` -> the document's tree of sections and items.

Owns the structure of the document: which paragraphs are metadata (title, 文号, basis documents,
印发 date), which are preamble (印发 notice, 主送, 总体要求/指导思想/基本原则), which are section
headings (一、/（一）/1./1、/(1) in any combination, unnumbered ones, repeated or skipped numbers,
a task table's group headings) and which are the items, with their own responsibility notes:
a note at the end of the paragraph, a note on its own line (bracketed, labelled, or bare as in
“市发改委牵头落实”), several tasks in one paragraph each ending in its own note (one item per
note), a note on a heading, and a note that assigns every following item (“以下工作均需…落实，
不再列出”).  Units and time limits are read by ``ggk.importer.units`` and ``ggk.deadlines``;
names, ids and plan data are ``ggk.importer.build``'s.

Nothing is dropped silently: every paragraph ends up in the tree (item, heading, metadata,
preamble) or in the report's list of skipped paragraphs, with its place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ggk.importer.document import Document, Para
from ggk.importer.report import ImportReport, Skipped
from ggk.importer.tables import FIRST_LEADS
from ggk.importer.text import MARKER_RANK, cn_numeral, norm, parse_marker
from ggk.importer.units import Responsibility, following_note, is_note_paragraph, parse_note, split_note

# --------------------------------------------------------------------------- vocabulary

#: Headings whose content is not a task (总体要求 and its 指导思想/基本原则 …).
PREAMBLE_TITLE = re.compile(
    r"^(?:总体要求|总体思路|指导思想|基本原则|工作原则|主要原则|总体目标|工作目标|主要目标|目标任务|"
    r"公开方式|公开渠道|公开形式|适用范围|编制依据|制定依据|工作依据|背景|基本情况|有关说明|说明)$"
)
_PLAN_WORD = re.compile(r"要点|方案|计划|安排|清单|任务|意见|办法|细则|措施|报告|总结|台账")
_REPORT_WORD = re.compile(r"报告|总结|情况通报")
_PLAN_STRONG = re.compile(r"要点|方案|计划|安排|任务分解|任务分工|责任分解|任务清单|台账")
_DOC_NO_LINE = re.compile(r"^[\u4e00-\u9fff]{1,12}\s*〔\s*((?:19|20)\d{2})\s*〕\s*\d+\s*号$")
_DOC_NO_ANY = re.compile(r"[\u4e00-\u9fff]{1,12}〔((?:19|20)\d{2})〕\d+号")
_DATE_LINE = re.compile(r"^((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:\s*印发)?$")
_BACK_MATTER = re.compile(
    r"^(?:抄送|抄报|印发|主题词|附件|联系人|联系电话|相关新闻|相关链接|扫一扫|打印本页|关闭窗口|责任编辑|来源)\s*[：:]?"
    r"|^（?此件[^）]*公开）?$|印发$"
)
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
#: why a “列第一位者为牵头单位” paragraph is not a task (the readers apply it to the tables' unit cells)
_FIRST_LEADS_NOTE = "责任单位的说明（列第一位者为牵头单位，已用于表中各行）"
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
    limit: str = ""  # a table row's time limit cell
    place_from: str = ""  # where the responsibility came from when not from the item itself

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
    from_table: bool = False  # a task table's group heading


@dataclass
class Tree:
    """What the structure stage found: the tree, the title and issuer, and the preamble and dates."""

    root: _Section
    title: str
    issuer: str
    preamble: list[str]
    issued: str | None


_SPLIT_NOTE = re.compile(r"[（(]([^（）()]{2,80})[）)]")


def split_tasks(text: str) -> list[tuple[str, Responsibility]] | None:
    """Several tasks in one paragraph, each sentence group ending in its own note: (text, note) pairs.

    “制定发布…规划信息。（市规划国土委负责落实）推进…公开。（市发展改革委、…分别负责落实）…”
    gives one pair per note; the text after the last note (a task without a note, or a cut-off
    one) is the last pair with an empty responsibility.  None when the paragraph has fewer than
    two notes followed by more text.
    """
    n = norm(text)
    cuts: list[tuple[int, int, Responsibility]] = []
    for m in _SPLIT_NOTE.finditer(n):
        before = n[: m.start()].rstrip()
        if not before or before[-1] not in "。；！？":
            continue
        resp = parse_note(text[m.start(1) : m.end(1)])
        if resp is not None:
            cuts.append((m.start(), m.end(), resp))
    if not cuts:
        return None
    tail = re.sub(r"（[^（）]*）", "", n[cuts[-1][1] :]).strip("。； ")
    if len(cuts) < 2 and len(tail) < 6:
        return None
    out: list[tuple[str, Responsibility]] = []
    pos = 0
    for start, end, resp in cuts:
        out.append((text[pos:start].strip(), resp))
        pos = end
    rest = text[pos:].strip().lstrip("。").strip()
    if rest and len(tail) < 6:  # only a parenthetical after the last note (“（2024年6月底前）”): it belongs to that task
        out[-1] = (out[-1][0] + rest, out[-1][1])
    elif rest:
        out.append((rest, Responsibility()))
    return out if len(out) >= 2 else None


#: A line that is only a responsibility, without brackets or label: “市发改委牵头落实”.
_BARE_NOTE_VERB = re.compile(r"(?:牵头|负责|配合|落实|承办|承担)$")


def bare_note(text: str) -> Responsibility | None:
    """A short line that is nothing but units and a responsibility verb (a note on its own line)."""
    t = norm(text).strip().rstrip("。")
    if not t or len(t) > 80 or not _BARE_NOTE_VERB.search(t) or re.search(r"[。；：]", t):
        return None
    return parse_note(t)


class _Parser:
    """Reads a document's paragraphs into a tree, one paragraph at a time (``step``)."""

    def __init__(self, doc: Document, report: ImportReport) -> None:
        self.doc = doc
        self.paras = doc.paras
        self.report = report
        self.skipped = report.skipped
        for page in doc.page_numbers:
            self.skip(page, "页码")
        self.preamble: list[str] = []
        self.issued: str | None = None
        # per-paragraph facts, computed once
        self.marks = [None if p.table_row or p.heading else parse_marker(norm(p.text)) for p in self.paras]
        self.notes = [self._own_line_note(i, p) for i, p in enumerate(self.paras)]
        self.kinds = sorted({m[0] for m in self.marks if m}, key=lambda k: MARKER_RANK[k])
        self.depth_of = {k: i for i, k in enumerate(self.kinds)}
        # parsing state
        self.root = _Section(line=0, depth=-1, title="")
        self.stack: list[_Section] = [self.root]
        self.last_num: dict[float, int] = {}
        self.last_node: Any = None
        self.started = False
        self.front: list[tuple[int, Para]] = []
        self.following: tuple[Responsibility, int] | None = None  # “以下工作均需…落实” and its line
        self.table_base: float | None = None  # depth of the section a table's rows hang under
        self.last_note_line = -1  # the last note on a line of its own
        self.notice_end: int | None = None  # the plan's own title after a 印发 notice (``_attachment``)

    def _own_line_note(self, i: int, p: Para) -> Responsibility | None:
        if p.table_row or p.heading:
            return None
        if self.marks[i] is not None:
            return None
        note = is_note_paragraph(p.text)
        if note is None and i > 0:
            note = bare_note(p.text)
        return note

    # ----------------------------------------------------------------- stages

    def parse(self) -> Tree:
        first_num = next((i for i, m in enumerate(self.marks) if m or self.paras[i].table_row), len(self.paras))
        self.title, self.t_first, self.t_last, issuer = self.find_title(first_num)
        self.notice_end = self._attachment(first_num)
        if self.notice_end is not None:
            k = self.notice_end
            self.title, self.t_first, self.t_last = _compact(norm(self.paras[k].text)), k, k
        elif self.t_first < 0:
            # No title before the first heading: take the first short line, if any.
            for i in range(min(first_num, 3)):
                if _is_headlike(norm(self.paras[i].text)):
                    self.title, self.t_first, self.t_last = _compact(norm(self.paras[i].text)), i, i
                    break
        for i, para in enumerate(self.paras):
            self.step(i, para)
        if not self.started:
            self.report.doc_no, self.report.basis = self.front_matter(self.front, (self.t_first, self.t_last))
        self.report.title = self.title
        self._finish(self.root)
        return Tree(self.root, self.title, issuer, self.preamble, self.issued)

    def step(self, i: int, para: Para) -> None:
        """Place paragraph ``i`` in the tree (or in the front matter before the body starts)."""
        n = norm(para.text)
        if not self.started:
            if not self._body_starts(i, para, n):
                self.front.append((i, para))
                return
            self.started = True
            self.report.doc_no, self.report.basis = self.front_matter(self.front, (self.t_first, self.t_last))
        if para.heading or para.table_row:
            self._table_para(para)
            return
        if not para.table_row and self.table_base is not None:
            self.table_base = None
        if self.marks[i] is not None:
            self._numbered(i, para, n)
            return
        note = self.notes[i]
        if note is not None:
            self._note_line(para, note)
            return
        if FIRST_LEADS.search(n):
            self.skip(para, _FIRST_LEADS_NOTE)
            return
        following = following_note(para.text)
        if following is not None:
            self.following = (following, para.line)
            self.skip(para, "适用于以下各条的责任单位说明")
            return
        t = _compact(n)
        if _DATE_LINE.match(t):
            self._issued(t)
            self.skip(para, "日期")
            return
        if _BACK_MATTER.search(t):
            self.skip(para, "文末信息")
            return
        if _is_headlike(n):
            self._unnumbered_heading(i, para, t)
            return
        self._body(para, n)

    def _attachment(self, first_num: int) -> int | None:
        """The index of the plan's own title when a 印发 notice with numbered paragraphs comes first.

        “现将《X》印发给你们，并就有关事项通知如下：一、…二、…” and the notice's date, then “X” on a line of
        its own and the plan: the paragraphs before that line are the notice, not tasks.  The title must
        repeat one given before it (the notice's title, or its “附件：X” line), after the notice's date.
        """
        dated = False
        given: list[str] = [_compact(norm(p.text)) for p in self.paras[:first_num]]
        for i in range(first_num, len(self.paras)):
            p = self.paras[i]
            t = _compact(norm(p.text))
            if p.table_row or p.heading:
                return None
            if _DATE_LINE.match(t):
                dated = True
            elif dated and self.marks[i] is None and _is_headlike(t) and _PLAN_STRONG.search(t):
                bare = t.strip("《》")
                if len(bare) >= 6 and any(bare in g for g in given):
                    return i
            if t.startswith("附件"):
                given.append(t)
        return None

    def _body_starts(self, i: int, para: Para, n: str) -> bool:
        if self.notice_end is not None:
            return i > self.notice_end
        if para.heading or para.table_row or self.marks[i] is not None:
            return True
        if i > self.t_last and _is_headlike(n) and self.notes[i] is None:
            return self._gap_depth(i) is not None
        return False

    # ----------------------------------------------------------------- tree building

    def push_section(self, sec: _Section) -> None:
        while self.stack[-1].depth >= sec.depth:
            self.stack.pop()
        parent = self.stack[-1]
        sec.preamble = sec.preamble or parent.preamble or bool(PREAMBLE_TITLE.match(_bare(sec.title)))
        parent.children.append(sec)
        self.stack.append(sec)
        self._set_last(sec)
        self.last_node = sec

    def _set_last(self, node: _Node) -> None:
        if node.number is not None:
            self.last_num[node.depth] = node.number
        for d in [d for d in self.last_num if d > node.depth]:
            del self.last_num[d]

    def container(self, depth: float) -> _Section:
        """The section an item at ``depth`` goes into (an implicit 正文 section at the top)."""
        while self.stack[-1].depth >= depth:
            self.stack.pop()
        parent = self.stack[-1]
        if parent is self.root:
            sec = _Section(line=0, depth=depth - 0.5, title="正文", implicit=True)
            self.root.children.append(sec)
            self.stack.append(sec)
            return sec
        return parent

    def add_item(self, item: _Item, sec: _Section) -> None:
        item.preamble = sec.preamble or bool(PREAMBLE_TITLE.match(_bare(item.title)))
        if item.resp is None and self.following is not None and not item.preamble:
            item.resp, item.place_from = self.following[0], f"{self.report.at(self.following[1])}的说明"
        sec.children.append(item)
        self._set_last(item)
        self.last_node = item

    def next_num_at(self, i: int, depth: float) -> int | None:
        for j in range(i + 1, len(self.paras)):
            mark_j = self.marks[j]
            if mark_j is not None:
                d = self.depth_of[mark_j[0]]
                if d < depth:
                    return None
                if d == depth:
                    return mark_j[1]
        return None

    # ----------------------------------------------------------------- paragraph kinds

    def _numbered(self, i: int, para: Para, n: str) -> None:
        kind, number, printed, offset = self.marks[i]  # type: ignore[misc]
        depth = float(self.depth_of[kind])
        rest = para.text[offset:] if len(para.text) == len(n) else n[offset:]
        tasks = split_tasks(rest)
        if tasks is not None:
            self._several_tasks(para, rest, tasks, depth, number, printed, kind, offset)
            return
        rest_text, resp = split_note(rest)
        nxt = next((j for j in range(i + 1, len(self.paras)) if self.notes[j] is None), None)
        body = _has_body(norm(rest_text))
        next_mark = self.marks[nxt] if nxt is not None else None
        if nxt is None:
            has_children = False
        elif next_mark is not None:
            has_children = self.depth_of[next_mark[0]] > depth
        elif self.paras[nxt].table_row or self.paras[nxt].heading:
            has_children = not body
        else:
            # Unnumbered items under a numbered heading (the heading may carry their note).
            has_children = not body and _item_like(norm(self.paras[nxt].text))
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
            self.push_section(sec)
            return
        sec = self.container(depth)
        item = _Item(line=para.line, depth=depth, number=number, printed=printed, kind=kind)
        item.text = rest_text.strip()
        item.resp, item.resp_line = resp, para.line if resp else 0
        item.title = _title_phrase(rest_text)
        self.add_item(item, sec)

    def _several_tasks(
        self,
        para: Para,
        rest: str,
        tasks: list[tuple[str, Responsibility]],
        depth: float,
        number: int,
        printed: str,
        kind: str,
        offset: int,
    ) -> None:
        """A numbered paragraph holding several tasks, each with its own note: a section of items."""
        first = re.split(r"(?<=[。；])", tasks[0][0], maxsplit=1)
        title = _title_phrase(rest)
        if len(first) == 2 and first[1].strip() and len(norm(first[0])) <= 40:
            title = norm(first[0]).strip().rstrip("。；")
            tasks[0] = (first[1].strip(), tasks[0][1])
        sec = _Section(line=para.line, depth=depth, number=number, printed=printed, kind=kind, title=title)
        sec.heading_text, sec.marker, sec.heading_raw = rest, para.text[:offset].strip(), para.text.strip()
        self.push_section(sec)
        for text, resp in tasks:
            item = _Item(line=para.line, depth=depth + 0.5, text=text)
            item.resp = None if resp.empty else resp
            item.resp_line = para.line if item.resp else 0
            item.title = _title_phrase(text)
            self.add_item(item, sec)

    def _note_line(self, para: Para, note: Responsibility) -> None:
        last = self.last_node
        prev_note = getattr(last, "resp", None)
        if prev_note is not None and self.last_note_line == self._previous_line(para) and is_note_paragraph(para.text):
            # “牵头单位：X” and “责任单位：Y” on lines of their own: one note.
            joined = parse_note(prev_note.note.strip("（）()") + "；" + norm(para.text).strip("（）()"))
            if joined is not None:
                last.resp = joined
                if isinstance(last, _Item):
                    last.resp_line = para.line
                self.last_note_line = para.line
                return
        self.last_note_line = para.line
        if isinstance(last, _Item) and last.resp is None:
            last.resp, last.resp_line, last.place_from = note, para.line, ""
        elif isinstance(last, _Item) and last.place_from:  # replaces a note from “以下…”
            last.resp, last.resp_line, last.place_from = note, para.line, ""
        elif isinstance(last, _Section) and last.resp is None and not last.children:
            last.resp = note
        else:
            self.report.warnings.append(Skipped(para.line, _excerpt(para.text), "无法对应到条目的责任单位说明，已跳过"))
            self.skip(para, "责任单位说明（无对应条目）")

    def _previous_line(self, para: Para) -> int:
        k = self.paras.index(para)
        return self.paras[k - 1].line if k > 0 else -1

    def _unnumbered_heading(self, i: int, para: Para, t: str) -> None:
        gap = self._gap_depth(i)
        if gap is not None:
            sec = _Section(line=para.line, depth=gap, number=self.last_num.get(gap, 0) + 1, title=t, heading_raw=para.text.strip())
            self.push_section(sec)
            return
        depth = self._free_depth(i)
        self.push_section(_Section(line=para.line, depth=depth, title=t, free=True, heading_raw=para.text.strip()))

    def _body(self, para: Para, n: str) -> None:
        """An unnumbered paragraph: an item, the continuation of one, or a section's text."""
        sec = self.stack[-1]
        if sec is self.root:
            sec = self.container(0)
        if sec.preamble:
            sec.bodies.append(para)
            return
        last = self.last_node
        if isinstance(last, _Item) and not last.closed and (last.number is not None or not _item_like(n)):
            # A paragraph that stops mid-sentence (“…支持交通运输民营” / “经济、中小企业…”) was cut by a hard wrap
            # the reader could not see (a Word paragraph per line, a PDF line short of the margin): one sentence,
            # as the text reader joins it; after a full stop or a colon the break is the document's own.
            joint = "" if _mid_sentence(last.text) else "\n"
            last.text += joint + _strip_note(para.text, last)
            return
        items_here = any(isinstance(c, _Item) for c in sec.children)
        if items_here or _item_like(n) or sec.children or self._note_follows(para):
            rest_text, resp = split_note(para.text.strip())
            item = _Item(line=para.line, depth=sec.depth + 1, text=rest_text.strip())
            item.resp, item.resp_line = resp, para.line if resp else 0
            item.title = _title_phrase(rest_text)
            self.add_item(item, sec)
        else:
            sec.bodies.append(para)

    def _note_follows(self, para: Para) -> bool:
        """The next paragraph is a note on its own line: this paragraph is an item."""
        k = self.paras.index(para) + 1 if para in self.paras else -1
        return 0 < k < len(self.paras) and self.notes[k] is not None

    def _table_para(self, para: Para) -> None:
        """A task table's row or group heading: placed under the section the table stands in."""
        if self.table_base is None:
            top = self.stack[-1]
            self.table_base = top.depth if top is not self.root else -1.0
        level = para.indent
        depth = self.table_base + (level + 1) * 0.01
        n = norm(para.text)
        if para.heading:
            mark = parse_marker(n)
            if mark is not None:
                kind, number, printed, offset = mark
                text = para.text[offset:].strip() if len(para.text) == len(n) else n[offset:].strip()
                sec = _Section(line=para.line, depth=depth, number=number, printed=printed, kind=kind, title=_title_phrase(text) or printed)
                sec.marker = para.text[:offset].strip()
            else:
                sec = _Section(line=para.line, depth=depth, title=_compact(n))
            sec.heading_raw, sec.from_table = para.text.strip(), True
            self.push_section(sec)
            return
        mark = parse_marker(n)
        kind, number, printed, offset = mark if mark is not None else (None, None, None, 0)  # type: ignore[assignment]
        text = (para.text[offset:] if len(para.text) == len(n) else n[offset:]).strip()
        sec = self.container(depth)
        item = _Item(line=para.line, depth=depth, number=number, printed=printed, kind=kind, text=text, limit=para.limit)
        item.resp, item.resp_line = para.resp, para.line if para.resp else 0
        item.title = _compact(norm(para.title)) or _title_phrase(text)
        self.add_item(item, sec)

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
            elif FIRST_LEADS.search(t):
                self.skip(para, _FIRST_LEADS_NOTE)
            elif "印发你们" in t or "印发给你们" in t or "现将" in t or ("关于印发" in t and len(t) <= 80 and "。" not in t):
                self.skip(para, "印发通知" + ("，已取出制定依据" if found else ""))
            elif t.endswith("：") and len(t) <= 60:
                self.skip(para, "主送")
            elif t.endswith("文件") and len(t) <= 30:
                self.skip(para, "版头")
            elif _BACK_MATTER.search(t):
                self.skip(para, "公开属性等")
            elif before_title and self.notice_end is not None and self.marks[i] is not None:
                self.skip(para, "印发通知中的要求")
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

    # ----------------------------------------------------------------- depth of unnumbered headings

    def _gap_depth(self, i: int) -> float | None:
        """Depth at which the unnumbered heading at ``i`` stands for a missing number.

        Two unnumbered headings in a row (“公开主要内容” / “推进…改革工作公开”): the first is
        the parent of the second, one level up, even when the document stops before the
        next numbered heading of that level would show the gap.
        """
        paras = self.paras
        j = i + 1
        if j < len(paras) and parse_marker(norm(paras[j].text)) is None and _is_headlike(norm(paras[j].text)):
            if is_note_paragraph(paras[j].text) is None:
                below = self._gap_depth_one(j)
                if below is not None and below >= 1:
                    return below - 1
        return self._gap_depth_one(i)

    def _gap_depth_one(self, i: int) -> float | None:
        for kind in self.kinds:
            depth = float(self.depth_of[kind])
            nxt = self.next_num_at(i, depth)
            if nxt is not None and nxt == self.last_num.get(depth, 0) + 2:
                return depth
        return None

    def _free_depth(self, i: int) -> float:
        marks, depth_of = self.marks, self.depth_of
        base = next((s.depth for s in reversed(self.stack) if not s.free), -1.0)
        j = next((j for j in range(i + 1, len(marks)) if marks[j] is not None), None)
        if j is not None and depth_of[marks[j][0]] > base:  # type: ignore[index]
            between = [k for k in range(i + 1, j) if self.notes[k] is None]
            d = float(depth_of[marks[j][0]])  # type: ignore[index]
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
                has_children = _has_items(child)
                if not has_children and not child.from_table and (child.printed is not None or child.bodies):
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


def _mid_sentence(text: str) -> bool:
    """The text stops inside a sentence: its last character is a word's, or a comma's."""
    t = norm(text).rstrip()
    return bool(t) and (t[-1].isalnum() or t[-1] in "，、")


def _has_items(sec: _Section) -> bool:
    """Does any item stand under ``sec`` (a heading over nothing but empty headings has none)?"""
    return any(isinstance(c, _Item) or (isinstance(c, _Section) and _has_items(c)) for c in sec.children)


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


def assign_ids(root: _Section) -> list[tuple[list[_Section], _Item, str]]:
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
