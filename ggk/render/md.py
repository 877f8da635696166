"""Markdown: the 回头看 report, the annual-report section and the 督办单 as plain Markdown text.

Markdown is what the clerk pastes into a message, a wiki or a Word document, so the annual-report
section is written as the published reports write it (one paragraph per line, no Markdown marks
that would show up after pasting); the review and the notice use headings and pipe tables.
Deterministic: the same report gives the same bytes (the golden tests rely on it).

Every piece of text from the plans goes through ``ggk.render.safe.md_text`` (``cell`` does it for
table cells): ``< > [ ]`` become ``＜ ＞ ［ ］`` and control characters are shown as escapes, so the
text never becomes HTML, a link or an image wherever the Markdown is rendered or pasted.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import singledispatchmethod
from typing import Any

from ggk.ledger.register import RegisterReport
from ggk.ledger.reports import AnnualSection, NoticeReport, cn_date
from ggk.ledger.review import OUTCOMES, Duty, Group, Outcome, PlanReview, ReviewItem, ReviewReport
from ggk.render import Options, Unsupported
from ggk.render.safe import md_text, visible
from ggk.returns.cadence import RemindReport

CN_NUM = "一二三四五六七八九十"


def cell(value: Any) -> str:
    text = md_text("" if value is None else str(value))
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", "<br>").strip() or " "


def table(head: Sequence[str], rows: Sequence[Sequence[Any]], align: Sequence[str] | None = None) -> list[str]:
    marks = {"l": "---", "r": "---:", "c": ":---:"}
    align = align or ["l"] * len(head)
    out = ["| " + " | ".join(head) + " |", "|" + "|".join(marks[a] for a in align) + "|"]
    out += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return out


def last_progress(ri: ReviewItem) -> str:
    last = ri.last_log
    if last is None:
        return "无进展记录"
    return f"{last.date.isoformat()} {(last.note or '').strip()}".rstrip()


def outcome_note(ri: ReviewItem) -> str:
    o = ri.outcome
    if o is Outcome.LATE:
        if ri.item.completed is None:  # a working-day duty whose event was published late
            return f"各件均已办结，最多逾期{ri.late_days}天"
        return f"{ri.item.completed} 完成，逾期{ri.late_days}天"
    if o is Outcome.ON_TIME:
        return f"{ri.item.completed} 完成" if ri.item.completed else "各期均已落实"
    if o is Outcome.UNFINISHED:
        return f"逾期{ri.late_days}天"
    if o is Outcome.NOT_DUE:
        return "" if ri.due_in is None else ("今日到期" if ri.due_in == 0 else f"{ri.due_in}天后到期")
    if o is Outcome.STANDING:
        said = "有进展记录" if ri.progress else "无进展记录"
        return f"{said}，{ri.idle.text}" if ri.idle is not None and ri.progress else said
    return (ri.item.reason or "").strip()


def summary_sentences(p: PlanReview) -> list[str]:
    c = p.total.counts
    standing_idle = len(p.standing_without_progress)
    first = (
        f"{p.title}共 {p.total.total} 项任务，其中有明确责任主体和时限要求的 {p.key_count} 项（重点核查）。"
        + "，".join(f"{o.value} {c[o]} 项" for o in OUTCOMES)
        + (f"（常态化任务中 {standing_idle} 项无进展记录）" if standing_idle else "")
        + "。"
    )
    lines = [first]
    if p.total.active:
        lines.append(f"完成率 {p.total.percent:.1f}%：未取消的 {p.total.active} 项任务中已完成 {p.total.done} 项（含常态化和未到期任务）。")
    if p.duties:
        req, met, missed, pending = p.duty_totals()
        not_due = f"，未到期（含今日到期）{pending}" if pending else ""
        lines.append(
            f"周期性、计次和工作日时限任务 {len(p.duties)} 项：应落实 {req} 期（次、件），按时落实 {met}，未落实或逾期 {missed}{not_due}。"
        )
    if p.supervision is not None:
        lines.append(f"督办：{p.year}年{p.supervision.sentence}")
    return lines


def duty_cell(d: Duty) -> str:
    """The 未落实或逾期 cell of a duty: the periods or events missed, then what is not yet due."""
    return "、".join([*d.missed, *filter(None, [d.open_text])]) or "—"


def group_rows(groups: Sequence[Group], total: Group) -> list[list[Any]]:
    rows = [[g.label, g.total, *(g.counts[o] for o in OUTCOMES), f"{g.percent:.1f}%" if g.active else "—"] for g in groups]
    rows.append(["合计", total.total, *(total.counts[o] for o in OUTCOMES), f"{total.percent:.1f}%" if total.active else "—"])
    return rows


class MarkdownRenderer:
    def __init__(self, options: Options):
        self.options = options

    def render(self, report: Any) -> str:
        # ``visible`` once more over the whole: a line added without ``md_text`` still shows no control character
        return visible("\n".join(self.lines(report)).rstrip("\n") + "\n")

    @singledispatchmethod
    def lines(self, report: Any) -> list[str]:
        raise Unsupported("md")

    # ----------------------------------------------------------------- 回头看

    @lines.register
    def _(self, report: ReviewReport) -> list[str]:
        out: list[str] = []
        for p in report.plans:
            out += self.plan_review(p, report)
        for w in report.warnings:
            out += [f"> 注意：{md_text(w)}", ""]
        if report.problems:
            out += [f"> 注意：ggk check 在计划文件中发现 {report.problems} 个问题，报告只包含能读取的内容。", ""]
        return out

    def plan_review(self, p: PlanReview, report: ReviewReport) -> list[str]:
        head = ["部分", "合计", *(o.value for o in OUTCOMES), "完成率"]
        align = ["l"] + ["r"] * (len(OUTCOMES) + 2)
        n = iter(CN_NUM)
        out = [
            f"# {md_text(p.title)}落实情况“回头看”",
            "",
            f"{md_text(p.unit_name)} · 核查截至 {cn_date(report.as_of)}",
            "",
            f"## {next(n)}、总体情况",
            "",
            *(md_text(line) + "\n" for line in summary_sentences(p)),
        ]
        fix = p.rectification
        out += [f"## {next(n)}、整改清单", ""]
        if fix:
            rows = [
                [
                    i,
                    ri.row.ref,
                    ri.item.title + ("" if ri.key or ri.outcome is not Outcome.UNFINISHED else "（非重点）"),
                    "、".join(ri.leads),
                    ri.deadline_text,
                    ri.situation,
                    last_progress(ri),
                ]
                for i, ri in enumerate(fix, start=1)
            ]
            out += table(["序号", "条目", "工作任务", "牵头单位", "时限", "问题", "最近进展"], rows, ["r", "l", "l", "l", "l", "l", "l"])
        else:
            out.append("没有需要整改的任务。")
        out.append("")
        out += [f"## {next(n)}、各牵头单位落实情况", ""]
        out += table(["牵头单位", *head[1:]], group_rows(p.depts, p.total), align)
        out += ["", f"## {next(n)}、各部分落实情况", ""]
        out += table(head, group_rows(p.sections, p.total), align)
        out.append("")
        if p.duties:
            out += [f"## {next(n)}、周期性、计次和工作日时限任务", ""]
            rows = [[ri.row.ref, ri.item.title, d.phrase, f"{d.met}/{d.required}", duty_cell(d)] for ri in p.duties for d in ri.duties]
            out += table(["条目", "工作任务", "时限", "已落实/应落实", "未落实、逾期及未到期"], rows, ["l", "l", "l", "r", "l"])
            out.append("")
        out += [f"## {next(n)}、逐项核查结果", ""]
        rows = [
            [
                ri.row.ref,
                "是" if ri.key else "",
                ri.item.title,
                "、".join(ri.leads),
                ri.deadline_text,
                ri.item.status.value,
                ri.outcome.value,
                outcome_note(ri),
            ]
            for ri in p.items
        ]
        out += table(["条目", "重点", "工作任务", "牵头单位", "时限", "状态", "核查结果", "说明"], rows)
        out += ["", md_text(p.unit_name), "", cn_date(report.as_of), ""]
        return out

    # ----------------------------------------------------------------- annual report

    @lines.register
    def _(self, report: AnnualSection) -> list[str]:
        out = [md_text(report.heading), ""]
        for e in report.entries:
            out += [md_text(e.heading), ""]
            out += [md_text(para.strip()) for para in e.text.splitlines() if para.strip()]
            out.append("")
        if report.supervision_text:
            out += [md_text(report.supervision_text), ""]
        return out

    # ----------------------------------------------------------------- 督办单

    @lines.register
    def _(self, report: NoticeReport) -> list[str]:
        out = [
            f"# {md_text(report.title)}",
            "",
            md_text(report.number_line),
            "",
            f"致：{md_text(report.dept)}",
            "",
            md_text(report.intro),
            "",
        ]
        if report.rows:
            rows = [
                [r.no, r.ref, r.title, r.role, r.deadline, r.due.isoformat() if r.due else "—", r.situation, r.status, r.last_progress]
                for r in report.rows
            ]
            out += table(["序号", "条目", "工作任务", "职责", "完成时限", "截止日期", "逾期情况", "目前状态", "最近进展"], rows)
            out += ["", md_text(report.request), ""]
        out += [
            md_text(report.issuer),
            "",
            cn_date(report.as_of),
            "",
            md_text(report.contact_line),
            "",
            "---",
            "",
            md_text(report.receipt_line),
        ]
        return out

    # ----------------------------------------------------------------- 督办登记、催报

    @lines.register
    def _(self, report: RegisterReport) -> list[str]:
        c = report.counts
        out = [f"# {md_text(report.title)}", "", f"截至{cn_date(report.as_of)}：{md_text(c.sentence)}", ""]
        if report.rows:
            rows = [
                [s.record.no, s.record.date.isoformat(), s.record.dept, "、".join(s.record.items), s.record.reply_by.isoformat(), s.state]
                + [f"{s.replied.isoformat()}（{s.via}）" if s.replied else "—"]
                for s in report.rows
            ]
            out += table(["编号", "签发日期", "部门", "督办条目", "反馈截止", "反馈情况", "反馈日期"], rows)
        return out

    @lines.register
    def _(self, report: RemindReport) -> list[str]:
        out = [f"# {md_text(report.title)}", "", md_text(report.intro), ""]
        if report.rows:
            out += table(
                ["序号", "部门", "牵头条目", "配合条目"], [[r.no, r.dept, r.lead, r.assist] for r in report.rows], ["r", "l", "r", "r"]
            )
            out += ["", md_text(report.request), ""]
        out += [md_text(report.issuer), "", cn_date(report.as_of)]
        return out
