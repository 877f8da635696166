"""Terminal tables for the clerk: status, list, overdue, show, check.

With colour (the CLI says the output is a terminal) the tables are drawn by rich.  Without it (piped
output, NO_COLOR) status, list and overdue are aligned plain lines with the same columns and labels,
laid out here by East-Asian display width — no escape codes, pasteable into a message or a file, and
without importing rich (a large part of a short command's start-up).  ``show`` always uses rich.

Plan text is printed literally: rich draws on a ``_LiteralConsole`` (no markup, control characters
escaped in every string it is given), text built here as ``Text`` goes through
``ggk.render.safe.rich_text``, and the finished output passes ``terminal_safe`` (control characters
escaped, except the colour codes rich itself writes).
"""

from __future__ import annotations

import io
import operator
import re
import typing
from functools import singledispatchmethod
from typing import Any

from ggk.ledger.queries import ItemDetail, ItemsReport, Light, Row, StatusReport, Tally
from ggk.model import Status
from ggk.render import Options
from ggk.render.safe import rich_text, visible
from ggk.render.text import TextRenderer
from ggk.workspace.checks import CheckReport

#: Reports that are documents (rendered as Markdown) rather than ledgers; matched by name so that
#: printing a ledger never imports the review and report modules.
DOCUMENTS = frozenset({"ReviewReport", "AnnualSection", "NoticeReport", "RegisterReport", "RemindReport"})

if typing.TYPE_CHECKING:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

LIGHT_STYLE = {Light.RED: "bold red", Light.YELLOW: "bold yellow", Light.GREEN: "green", Light.GREY: "dim"}
STATUS_STYLE = {Status.NOT_STARTED: "", Status.IN_PROGRESS: "cyan", Status.DONE: "green", Status.CANCELLED: "dim"}


#: The colour codes (SGR) rich writes; any other escape in an output came from the plans.
_SGR = re.compile(r"(\x1b\[[0-9;]*m)")


def terminal_safe(text: str) -> str:
    """``text`` with every control character escaped except rich's colour codes (``ESC[…m``)."""
    if "\x1b" not in text:
        return visible(text)
    parts = _SGR.split(text)
    return "".join(part if i % 2 else visible(part) for i, part in enumerate(parts))


_console_class: Any = None


def literal_console(**options: Any) -> Console:
    """A rich ``Console`` that prints strings literally: markup off, control characters escaped."""
    global _console_class
    if _console_class is None:
        from rich.console import Console

        class _LiteralConsole(Console):
            def render_str(self, text: str, **kw: Any) -> Text:
                kw["markup"] = False
                return super().render_str(visible(text), **kw)

        _console_class = _LiteralConsole
    console: Console = _console_class(markup=False, **options)
    return console


def light_label(light: Light) -> str:
    return f"● {light.label}" if light is not Light.GREY else "—"


def light_text(light: Light) -> Text:
    from rich.text import Text

    return Text(light_label(light), style=LIGHT_STYLE[light])


def bar_plain(percent: float, width: int = 10) -> str:
    filled = round(percent / 100 * width)
    return "█" * filled + "░" * (width - filled) + f" {percent:5.1f}%"


def bar(percent: float, width: int = 10) -> Text:
    from rich.text import Text

    filled = round(percent / 100 * width)
    text = Text("█" * filled, style="green")
    text.append("░" * (width - filled), style="dim")
    text.append(f" {percent:5.1f}%")
    return text


def deadline_text(row: Row) -> str:
    timing = row.timing
    primary = timing.primary
    if timing.standing:
        return "常态化"
    parts = []
    if primary.due is not None:
        parts.append(primary.due.isoformat())
    if primary.detail and primary.rule.kind.value != "once":
        parts.append(primary.detail)
    elif primary.rule.phrase and primary.due is None:
        parts.append(primary.rule.phrase)
    if len(timing.states) > 1:
        parts.append(f"等{len(timing.states)}项时限")
    return " ".join(parts) or "—"


def when_plain(row: Row) -> tuple[str, str]:
    """The 情况 cell: (text, rich style)."""
    t = row.timing
    if row.item.status is Status.CANCELLED:
        return "已取消", "dim"
    overdue = t.overdue_days
    if overdue is not None:
        return f"逾期 {overdue} 天", "bold red"
    if row.item.status is Status.DONE:
        return f"{row.item.completed or ''} 完成".strip(), "green"
    due_in = t.due_in
    if due_in is not None:
        return ("今天到期" if due_in == 0 else f"{due_in} 天后到期"), ("yellow" if row.light is Light.YELLOW else "")
    if row.idle is not None:
        return row.idle.text, ("bold red" if row.idle.red else "yellow")
    return "", ""


def when_text(row: Row) -> Text:
    from rich.text import Text

    text, style = when_plain(row)
    return Text(text, style=style)


#: Above this many rows a list is printed as aligned plain lines: rich lays out thousands of rows slowly,
#: and nobody reads that many in boxes (see tests/bench/README.md).
LEAN_ROWS = 300
#: Runs of the characters a terminal gives two columns (East-Asian wide and fullwidth); one character
#: matches too.  One pattern for every use: a character class this large is slow to compile.
_WIDE = re.compile(
    "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]+"
)


def _width(text: str) -> int:
    if text.isascii():
        return len(text)
    # The wide characters counted by runs: a Chinese text is a few runs, where a match for each
    # character would make a string for each.
    return len(text) + sum(map(len, _WIDE.findall(text)))


def _fit(text: str, width: int) -> str:
    """``text`` cut (with …) or padded to ``width`` terminal columns."""
    if text.isascii():
        if len(text) <= width:
            return text + " " * (width - len(text))
        return text[: max(width - 1, 0)] + "…"
    w = _width(text)
    if w <= width:
        return text + " " * (width - w)
    # The longest prefix that leaves a column for "…": half the room in characters always fits
    # (no character is wider than two columns); extend from there one character at a time.
    room = width - 1
    k = max(room // 2, 0)
    used = _width(text[:k])
    for ch in text[k:]:
        cw = 2 if ch >= "\u1100" and _WIDE.match(ch) else 1
        if used + cw > room:
            break
        used += cw
        k += 1
    return text[:k] + "…" + " " * (room - used)


class _Column(dict[str, str]):
    """A column of a lean table: ``column[text]`` is ``_fit(text, width)``, worked out once for each
    distinct text — a long list repeats its deadlines, 情况 texts, titles and departments."""

    def __init__(self, width: int) -> None:
        super().__init__()
        self.width = width

    def __missing__(self, text: str) -> str:
        fitted = self[text] = _fit(text, self.width)
        return fitted


_DATE_OF = operator.attrgetter("date")


def _overdue_cells(rows: list[Row]) -> list[tuple[str, ...]]:
    """The texts of the rows of the lean overdue list, with 最近进展 cut in two: (条目, 标题, 时限, 情况,
    date and space, the rest of 最近进展 — "无进展记录" without progress entries).  The date is ten
    columns: fitting "date note" to a width is the date, a space and the note fitted to the width less
    eleven — so a column fits each distinct note once."""
    out: list[tuple[str, ...]] = []
    for row in rows:
        item = row.item
        if item.log:
            last = max(item.log, key=_DATE_OF)
            note = (last.note or "").rstrip()  # ``.strip()`` of "date note": the date starts it
            date = str(last.date)
            pre, rest = (f"{date} ", note) if note else ("", date)
        else:
            pre, rest = "", "无进展记录"
        out.append((visible(row.ref), visible(item.title), visible(deadline_text(row)), when_plain(row)[0], pre, visible(rest)))
    return out


def _list_cells(row: Row) -> tuple[str, str, str, str, str, str]:
    """The texts of a row of the lean list: 条目, 标题, 牵头单位, 时限, 状态, 情况 (control characters
    escaped before they are fitted, so that the columns stay aligned)."""
    item = row.item
    return (
        visible(row.ref),
        visible(item.title),
        visible("、".join(item.lead)) or "—",
        visible(deadline_text(row)),
        item.status.value,
        when_plain(row)[0],
    )


def _deadline_lines(row: Row) -> list[str]:
    """The 时限 of ``show``: each rule's phrase with its due date and state, each said once."""
    lines = []
    for state in row.timing.states:
        rule = state.rule
        standing = rule.kind.value == "none"
        line = rule.phrase or ("常态化" if standing else "")
        extra = []
        if state.due:
            extra.append(f"截止 {state.due}")
        if state.detail and state.detail != line:
            extra.append(state.detail)
        if state.overdue_days is not None and f"逾期{state.overdue_days}天" not in state.detail:
            extra.append(f"逾期 {state.overdue_days} 天")
        lines.append(line + (f"（{'，'.join(extra)}）" if extra else ""))
    return lines


def _change_label(h: Any) -> str:
    """延期 when the new date is later than the old one, else 时限调整."""
    old = max((d.due for d in h.old if d.due), default=None)
    new = max((d.due for d in h.new if d.due), default=None)
    return "延期记录" if old is None or new is None or new > old else "时限调整"


def _change_text(h: Any) -> str:
    old = "、".join(d.phrase or (str(d.due) if d.due else "") for d in h.old) or "无"
    new = "、".join(d.phrase or (str(d.due) if d.due else "") for d in h.new) or "无"
    extra = "，".join(p for p in (h.reason, f"批准：{h.by}" if h.by else None) if p)
    return f"{h.date}：{old} → {new}" + (f"（{extra}）" if extra else "")


class TableRenderer:
    def __init__(self, options: Options):
        self.options = options

    def render(self, report: Any) -> str:
        if type(report).__name__ in DOCUMENTS:
            return self.document(report)
        if isinstance(report, ItemsReport) and (len(report.rows) > LEAN_ROWS or not self.options.color):
            return self.lean_items(report)
        if not self.options.color and isinstance(report, StatusReport):
            return self.plain_status(report)
        if not self.options.color and isinstance(report, CheckReport):
            return TextRenderer(self.options).render(report)
        buf = io.StringIO()
        console = literal_console(
            file=buf,
            width=self.options.width,
            force_terminal=self.options.color,
            color_system="standard" if self.options.color else None,
            no_color=not self.options.color,
            highlight=False,
            emoji=False,
            soft_wrap=False,
        )
        for part in self.parts(report):
            console.print(part)
        return terminal_safe(buf.getvalue())

    def document(self, report: Any) -> str:
        """The documents (回头看, 年度报告一节, 督办单) are written as Markdown; in a terminal rich draws
        that Markdown (headings, tables), elsewhere it is printed as it is."""
        from ggk.render.md import MarkdownRenderer

        text = MarkdownRenderer(self.options).render(report)
        if not self.options.color:
            return visible(text)
        from rich.markdown import Markdown

        buf = io.StringIO()
        literal_console(
            file=buf, width=self.options.width, force_terminal=True, color_system="standard", highlight=False, emoji=False
        ).print(Markdown(text))
        return terminal_safe(buf.getvalue())

    @property
    def box(self) -> box.Box:
        from rich import box

        return box.ROUNDED if self.options.color else box.SIMPLE

    def notes(self, report: Any) -> list[str]:
        notes: list[str] = []
        cadence = getattr(report, "cadence", None)
        if cadence is not None:
            notes.extend(cadence.lines())
        for w in getattr(report, "warnings", []):
            notes.append(f"注意：{w}")
        if getattr(report, "problems", 0):
            notes.append(f"注意：ggk check 在这些计划文件中发现 {report.problems} 个问题，报告只包含能读取的内容。")
        for path in getattr(report, "skipped", []):
            notes.append(f"已跳过无法读取的文件：{path}")
        return notes

    def footer(self, report: Any) -> list[Any]:

        return [rich_text(n, style="yellow") for n in self.notes(report)]

    def plain_status(self, report: StatusReport) -> str:
        """The status table as aligned plain lines: same columns, labels and footer as the rich one."""
        names = {"unit": "单位", "plan": "计划", "section": "部分", "dept": "部门"}
        lines = [f"政务公开工作要点落实情况（截至 {report.as_of}）"]
        if not report.groups:
            lines.append("没有符合条件的条目。")
        else:
            dept = report.by == "dept"
            head = [names[report.by], "灯"] + (["牵头", "配合"] if dept else ["条目"]) + [s.value for s in Status]
            head += ["完成率", "逾期", f"{report.soon}天内到期", "无进展"]
            right = [False, False] + [True] * (2 if dept else 1) + [True] * len(Status) + [False, True, True, True]
            body = []
            for g in report.groups:
                cells = [g.label, light_label(g.light)] + ([str(g.lead), str(g.assist)] if dept else [str(g.total)])
                cells += [str(g.by_status[s]) for s in Status] + [bar_plain(g.percent), str(g.overdue), str(g.due_soon), str(g.idle)]
                body.append(cells)
            t = report.total  # each item once, also when grouped by department
            foot = [t.label, light_label(t.light)] + ([str(t.lead), str(t.assist)] if dept else [str(t.total)])
            foot += [str(t.by_status[s]) for s in Status] + [bar_plain(t.percent), str(t.overdue), str(t.due_soon), str(t.idle)]
            widths = [max(_width(r[i]) for r in [head, *body, foot]) for i in range(len(head))]

            def line(cells: list[str]) -> str:
                out = []
                for cell, w, r in zip(cells, widths, right, strict=True):
                    pad = " " * (w - _width(cell))
                    out.append(pad + cell if r else cell + pad)
                return ("  " + "  ".join(out)).rstrip()

            rule = "  " + "  ".join("─" * w for w in widths)
            lines += [line(head), rule, *(line(r) for r in body), rule, line(foot)]
        notes = self.notes(report)
        if notes:
            lines.append("")
            lines.extend(notes)
        return visible("\n".join(lines) + "\n")

    @singledispatchmethod
    def parts(self, report: Any) -> list[Any]:
        raise TypeError(type(report))

    @parts.register
    def _(self, report: CheckReport) -> list[Any]:

        return [rich_text(TextRenderer(self.options).render(report).rstrip("\n"))]

    @parts.register
    def _(self, report: StatusReport) -> list[Any]:
        from rich.table import Table
        from rich.text import Text

        names = {"unit": "单位", "plan": "计划", "section": "部分", "dept": "部门"}
        table = Table(
            title=f"政务公开工作要点落实情况（截至 {report.as_of}）",
            box=self.box,
            show_footer=True,
            title_justify="left",
        )
        dept = report.by == "dept"
        t = report.total  # each item once, also when grouped by department
        table.add_column(names[report.by], footer=t.label)
        table.add_column("灯", footer=light_text(t.light))
        if dept:
            table.add_column("牵头", justify="right", footer=str(t.lead))
            table.add_column("配合", justify="right", footer=str(t.assist))
        else:
            table.add_column("条目", justify="right", footer=str(t.total))
        for s in Status:
            table.add_column(s.value, justify="right", footer=str(t.by_status[s]))
        table.add_column("完成率", footer=bar(t.percent))
        table.add_column("逾期", justify="right", footer=str(t.overdue))
        table.add_column(f"{report.soon}天内到期", justify="right", footer=str(t.due_soon))
        table.add_column("无进展", justify="right", footer=str(t.idle))
        for g in report.groups:
            table.add_row(*self._tally_cells(g, dept))
        parts: list[Any] = [table]
        if not report.groups:
            parts = [Text("没有符合条件的条目。")]
        return parts + self.footer(report)

    def _tally_cells(self, g: Tally, dept: bool) -> list[Any]:
        from rich.text import Text

        cells: list[Any] = [g.label, light_text(g.light)]
        cells += [str(g.lead), str(g.assist)] if dept else [str(g.total)]
        cells += [str(g.by_status[s]) for s in Status]
        cells.append(bar(g.percent))
        cells.append(Text(str(g.overdue), style="bold red" if g.overdue else ""))
        cells.append(Text(str(g.due_soon), style="yellow" if g.due_soon else ""))
        cells.append(Text(str(g.idle), style="yellow" if g.idle else ""))
        return cells

    def _items_table(self, rows: list[Row], title: str | None, *, lead: bool = True) -> Table:
        from rich.table import Table
        from rich.text import Text

        table = Table(title=title, box=self.box, title_justify="left")
        table.add_column("条目")
        table.add_column("标题")
        if lead:
            table.add_column("牵头单位")
        table.add_column("时限")
        table.add_column("状态")
        table.add_column("情况")
        for row in rows:
            cells: list[Any] = [row.ref, row.item.title]
            if lead:
                cells.append("、".join(row.item.lead) or "—")
            cells += [deadline_text(row), Text(row.item.status.value, style=STATUS_STYLE[row.item.status]), when_text(row)]
            table.add_row(*cells)
        return table

    @parts.register
    def _(self, report: ItemsReport) -> list[Any]:
        from rich.table import Table
        from rich.text import Text

        if not report.rows:
            empty = f"截至 {report.as_of}，没有逾期条目。" if report.grouped else "没有符合条件的条目。"
            return [Text(empty, style="green")] + self.footer(report)
        if not report.grouped:
            return [self._items_table(report.rows, f"{report.title}（截至 {report.as_of}，共 {len(report.rows)} 条）")] + self.footer(
                report
            )
        overdue = sum(1 for r in report.rows if r.overdue_days is not None)
        head = f"{report.title}（截至 {report.as_of}）：逾期 {overdue} 条"
        if report.within is not None:
            head += f"，{report.within} 天内到期 {len(report.rows) - overdue} 条"
        parts: list[Any] = [Text(head, style="bold")]
        for dept, rows in report.groups():
            table = Table(title=f"{dept}（{len(rows)} 条）", box=self.box, title_justify="left")
            table.add_column("条目")
            table.add_column("标题")
            table.add_column("时限")
            table.add_column("情况")
            table.add_column("最近进展")
            for row in rows:
                last = row.last_log
                progress = f"{last.date} {last.note or ''}".strip() if last else "无进展记录"
                table.add_row(row.ref, row.item.title, deadline_text(row), when_text(row), progress)
            parts.append(table)
        return parts + self.footer(report)

    def lean_items(self, report: ItemsReport) -> str:
        """A long list as plain aligned lines (one per item, cut to the width), without per-row layout.

        Made for thousands of rows (a province's overdue list has 4,000, ``list --all-years`` 50,000),
        where reading the rows is what costs: their objects lie all over the heap, and ``last_log`` is
        worked out on every read.  So each row is read once, into the texts of its cells, and each
        column cuts or pads a repeated text once."""
        if not report.rows:
            empty = f"截至 {report.as_of}，没有逾期条目。" if report.grouped else "没有符合条件的条目。"
            return visible("\n".join([empty, *self.notes(report)]) + "\n")
        grouped = report.grouped
        cells: list[tuple[str, ...]]
        if grouped:
            cells = _overdue_cells(report.rows)
        else:
            cells = [_list_cells(row) for row in report.rows]
        width = self.options.width
        ref_w = min(max(_width(c[0]) for c in cells), 28)
        fixed = ref_w + 24 + 14 + 8  # ref, 时限, 情况, gaps
        title_w = max(16, (width - fixed) // 2) if grouped else max(16, (width - fixed - 20) // 2)
        rest_w = max(12, width - fixed - title_w)
        lines: list[str] = []

        def header(cols: list[tuple[str, int]]) -> None:
            lines.append("  " + "  ".join(_fit(c, w) for c, w in cols).rstrip())
            lines.append("  " + "-" * (sum(w for _, w in cols) + 2 * (len(cols) - 1)))

        if grouped:
            overdue = sum(1 for r in report.rows if r.timing.overdue_days is not None)
            head = f"{report.title}（截至 {report.as_of}）：逾期 {overdue} 条"
            if report.within is not None:
                head += f"，{report.within} 天内到期 {len(report.rows) - overdue} 条"
            lines.append(head)
            title, due, when = _Column(title_w), _Column(24), _Column(14)
            rest, note = _Column(rest_w), _Column(rest_w - 11)  # rest_w ≥ 12: a date and a space fit
            # A row with several lead departments is listed under each of them: its line is made once,
            # and found by the row's id (the groups hold the report's own rows).
            line_of = {
                id(row): f"  {_fit(ref, ref_w)}  {title[t]}  {due[d]}  {when[w]}  {pre}{note[p] if pre else rest[p]}".rstrip()
                for row, (ref, t, d, w, pre, p) in zip(report.rows, cells, strict=True)
            }
            for dept, rows in report.groups():
                lines.append("")
                lines.append(f"{dept}（{len(rows)} 条）")
                header([("条目", ref_w), ("标题", title_w), ("时限", 24), ("情况", 14), ("最近进展", rest_w)])
                lines.extend([line_of[id(row)] for row in rows])
        else:
            lines.append(f"{report.title}（截至 {report.as_of}，共 {len(report.rows)} 条）")
            # department names are never cut: a name cut short may be another department's
            lead_w = max(8, *(_width(c[2]) for c in cells))
            # 情况 as wide as its longest words: "2026-06-18 完成", "连续两个季度无进展"
            header([("条目", ref_w), ("标题", title_w), ("牵头单位", lead_w), ("时限", 24), ("状态", 6), ("情况", 18)])
            title, lead, due, status, when = _Column(title_w), _Column(lead_w), _Column(24), _Column(6), _Column(18)
            lines.extend(
                f"  {_fit(ref, ref_w)}  {title[t]}  {lead[ld]}  {due[d]}  {status[s]}  {when[w]}".rstrip() for ref, t, ld, d, s, w in cells
            )
        notes = self.notes(report)
        if notes:
            lines.append("")
            lines.extend(notes)
        lines.append("")  # the final newline, without copying megabytes of text once more to add it
        return visible("\n".join(lines))

    @parts.register
    def _(self, report: ItemDetail) -> list[Any]:
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        row = report.row
        item = row.item
        banner: list[Any] = [Text(f"注意：{report.not_in_force}", style="bold yellow"), Text("")] if report.not_in_force else []
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        grid.add_row("条目", f"{row.ref}  {item.title}")
        grid.add_row("计划", f"{row.unit_name} {row.year}年 · {row.entry.plan.title}")
        grid.add_row("部分", " / ".join(s.title for s in row.sections))
        grid.add_row("牵头单位", "、".join(item.lead) or "（未指定）")
        grid.add_row("配合单位", "、".join(item.assist) or "—")
        grid.add_row("状态", Text(item.status.value, style=STATUS_STYLE[item.status]))
        if item.completed:
            grid.add_row("完成日期", str(item.completed))
        if item.reason:
            grid.add_row("取消原因", item.reason)
        if item.contact:
            grid.add_row("联系人", item.contact.text)
        grid.add_row("时限", rich_text("\n".join(_deadline_lines(row)) or "常态化"))
        if item.deadline_set:
            grid.add_row("设定时限", f"{item.deadline_set}（此前为常态化）")
        for h in item.history:
            grid.add_row(_change_label(h), _change_text(h))
        grid.add_row("情况", when_text(row))
        if item.carried_from:
            grid.add_row("结转自", item.carried_from)
        if item.carried_to:
            grid.add_row("已结转到", item.carried_to)
        if item.remark:
            grid.add_row("备注", item.remark)
        parts: list[Any] = [*banner, grid, Text(""), Text("原文", style="bold"), rich_text(item.text or "（无）")]
        parts.append(Text(""))
        if item.log:
            log = Table(title="进展记录", box=self.box, title_justify="left")
            log.add_column("序号", justify="right", no_wrap=True)
            log.add_column("日期", no_wrap=True)
            log.add_column("报送")
            log.add_column("内容")
            log.add_column("状态")
            log.add_column("佐证", overflow="fold")
            numbers = report.numbers or list(range(1, len(item.log) + 1))
            numbered = sorted(zip(numbers, item.log, strict=True), key=lambda ne: ne[1].date)
            for no, e in numbered:
                note = e.note or ""
                if e.event:
                    note = f"[事件 {e.event}，{'已于 ' + str(e.done) + ' 办结' if e.done else '未办结'}] " + note
                if e.recorded is not None and e.recorded > e.date:
                    note += f"（{e.recorded} 补记）"
                for c in e.corrected:
                    note += f"（{c.date} 更正：{c.reason}）"
                log.add_row(str(no), str(e.date), e.by or "", note, e.status.value if e.status else "", e.evidence or "")
            parts.append(log)
        else:
            parts.append(Text("进展记录：无"))
        parts.append(Text(""))
        parts.append(Group(Text("落实情况", style="bold"), rich_text(item.summary or "（尚未填写）")))
        return parts + self.footer(report)
