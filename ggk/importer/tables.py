"""Task tables (任务分工表 / 任务清单 / 责任分解表) -> rows of the plan, whatever form they come in.

Owns recognising a table and reading its rows by what the columns mean, not where they stand:
序号, 工作任务 / 重点任务 / 任务 (a group or the task), 具体内容 / 工作要求 / 具体要求 (the item text),
责任单位 / 责任部门 / 责任科室, 牵头单位, 配合单位, 完成时限 / 时限要求 / 时间节点.  Each row becomes
a ``Para`` that carries its units (``resp``) and time limit (``limit``); group cells (一、… in a first
column, or a row of its own) become headings, and a heading's time limit applies to its rows unless a
row states its own.

Tables arrive as grids (.docx, .xlsx/.xls, PDF: merged cells repeated or filled in) or as text
(Markdown pipes, tab-separated rows, one cell per line with ``|`` lines between cells).  In text the
merged cells are gone and the cells of a row shift left, so text tables are read by what each cell
looks like (a number, a unit list, a time limit, a short label, a sentence) instead of by position.

A table with 进展情况 / 落实情况 / 完成情况 columns is a table of progress returns, not a plan:
``ReturnsTable`` says so (``ggk intake`` reads those).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ggk.deadlines import phrases
from ggk.diagnostics import GgkError
from ggk.importer.document import Para
from ggk.importer.text import norm, parse_marker
from ggk.importer.units import UNIT_SUFFIX, Responsibility, is_group, looks_like_unit, parse_unit_cell

#: Column headings by meaning; the first matching role wins.
_ROLES: list[tuple[str, re.Pattern[str]]] = [
    ("returns", re.compile(r"进展情况|落实情况|完成情况|推进情况|进度情况|工作进展|办理情况|整改情况")),
    ("no", re.compile(r"^(?:指标)?(?:序号|编号)$|^(?:序|项次|No\.?)$")),
    ("assist", re.compile(r"配合|协办|协助|参与")),
    ("lead", re.compile(r"牵头|责任|负责|主责|承办|落实单位|实施单位|主体")),
    ("time", re.compile(r"时限|时间|期限|节点|进度安排|完成日期")),
    ("content", re.compile(r"具体内容|工作要求|具体要求|主要内容|工作内容|具体措施|工作措施|内容|要求|措施|举措")),
    ("task", re.compile(r"任务|事项|工作|项目|目标")),
    ("group", re.compile(r"类别|分类|板块|领域|方面")),
]
_OWN_NUMBER = re.compile(r"^\s*(\d{1,3})\s*[.、．]\s*(?!\d)")
_STANDING = re.compile(r"^(?:持续推进|序时推进|长期坚持|长期|持续|常态化|常态|日常|全年|长期推进|持续开展|常年)")
#: “列第一位者为牵头单位”: in the 责任单位 column the first unit leads and the others assist.
FIRST_LEADS = re.compile(r"(?:列|排|位)(?:在|于)?(?:第一|首)位的?(?:者|单位|部门)?(?:为|是)牵头")


class ReturnsTable(GgkError):
    """A table of progress returns (进展情况 columns), not a plan: refused with exit code 1."""

    def __init__(self, column: str) -> None:
        super().__init__(
            f"这是一张进展报送表（有「{column}」列），不是工作计划，没有导入",
            "各部门报送的进展请用 ggk intake 导入；ggk import 导入印发的要点、方案或任务分工表",
            exit_code=1,
        )


def _cell(text: str | None) -> str:
    return re.sub(r"[ \t\u3000]+", " ", (text or "").replace("\r", "")).strip()


def _key(text: str) -> str:
    return re.sub(r"\s+", "", norm(text))


def header_roles(row: list[str]) -> dict[int, str] | None:
    """Column index -> role for a header row, or None when the row is no task-table header."""
    roles = {col: role for col, role in ((col, _role_of(cell)) for col, cell in enumerate(row)) if role is not None}
    found = set(roles.values())
    if "returns" in found and found & {"task", "content", "lead"}:
        return roles
    if found & {"task", "content"} and found & {"lead", "assist", "time"}:
        return roles
    return None


def check_returns(roles: dict[int, str], row: list[str]) -> None:
    for col, role in roles.items():
        if role == "returns":
            raise ReturnsTable(_cell(row[col]))


# --------------------------------------------------------------------------- cell kinds


def is_limit(text: str) -> bool:
    """A short cell that states a time limit (2022年底前, 每季度, 持续推进, 2021年2月公布预算信息) rather than a
    task that mentions one (“加强财政信息公开，按月公开财政收支情况。”): the time phrases open the cell or fill
    much of it, and a cell that ends like a sentence must be mostly time."""
    t = _key(text)
    if not t or len(t) > 40 or "。" in t.rstrip("。"):
        return False
    if _STANDING.match(t) or phrases.standing(t):
        return True
    spans = phrases.find_time_phrases(t)
    if not spans:
        return False
    covered = sum(end - start for start, end, _ in spans)
    body = len(t.rstrip("。；"))
    if t.endswith("。"):
        return covered * 5 >= body * 3
    return spans[0][0] == 0 or covered * 3 >= body


def units_of(text: str) -> Responsibility | None:
    """The units a cell names, or None when the cell is not a unit list."""
    t = _key(text)
    if not t or len(t) > 120 or re.search(r"。.", t):
        return None
    if _OWN_NUMBER.match(t) or t.endswith("。"):
        return None  # “1.积极推进…。”: a numbered sentence is a task, not a unit list
    resp = parse_unit_cell(text)
    if resp is None:
        return None

    def good(n: str) -> bool:
        return looks_like_unit(n) or bool(is_group(n) and UNIT_SUFFIX.search(n))

    # the lead decides (a cell cut off after “A牵头，B等各有关” is still A's)
    return resp if (resp.lead and all(good(n) for n in resp.lead)) or (not resp.lead and all(good(n) for n in resp.assist)) else None


def _group_number(text: str) -> bool:
    """The cell begins with a group heading's number (第一部分 / 一、 / （一）), not an item's (1.)."""
    mark = parse_marker(norm(text))
    return mark is not None and mark[0] in ("part", "cn", "cnp")


def _kind(text: str) -> str:
    t = _key(text)
    if not t:
        return "empty"
    if re.fullmatch(r"\d{1,3}[.、．]?", t):
        return "number"
    if _group_number(t) and len(t) <= 40 and not re.search(r"[。；]", t.rstrip("。")):
        return "label"  # “一、财政信息公开（2024年6月底前完成）”: a group heading, with its limit
    if is_limit(t):
        return "time"
    if units_of(text) is not None:
        return "units"
    core = t.rstrip("。；")
    if len(core) <= 24 and not re.search(r"[。，；：]", core):
        return "label"
    if _group_number(t) and len(core) <= 40 and not re.search(r"[。；]", core):
        return "label"
    return "text"


# --------------------------------------------------------------------------- rows


@dataclass
class Row:
    """One row of a task table, its cells sorted by meaning."""

    line: int
    labels: list[str] = field(default_factory=list)  # group / task cells, outermost first
    number: str = ""
    content: str = ""
    units: list[str] = field(default_factory=list)  # unit cells in column order
    limit: str = ""
    place: str = ""
    banner: bool = False  # a heading row across the whole table: above the rows' own group cells
    task: str = ""  # the 工作任务 cell of a table that has a 具体内容 column too (grids only)
    title: str = ""  # the item's title, when the 工作任务 column names each row's task (``task_titles``)

    @property
    def empty(self) -> bool:
        return not (self.content or self.units or self.limit or self.number)


def rows_from_grid(grid: list[list[str]], roles: dict[int, str], first_line: int, table_no: int) -> list[Row]:
    """Rows of a grid whose header gave the column roles (merged cells repeated or filled in)."""
    text_cols = [c for c, r in sorted(roles.items()) if r in ("group", "task")]
    content_cols = [c for c, r in sorted(roles.items()) if r == "content"]
    for col in content_cols[:-1]:  # 工作要求 | 具体任务 | 具体要求: a “要求” column of 一、… headings groups the rows
        values = {_cell(raw[col]) for raw in grid if col < len(raw)} - {""}
        if values and all(_group_number(v) for v in values):
            content_cols.remove(col)
            text_cols = sorted([*text_cols, col])
    if not content_cols and text_cols:
        content_cols = [text_cols.pop()]
    task_cols = [c for c in text_cols if roles[c] == "task"] if content_cols else []
    rows: list[Row] = []
    for r, raw in enumerate(grid):
        cells = [_cell(c) for c in raw]
        row = Row(first_line + r, place=f"表{table_no}第{r + 1}行")
        filled = [c for c, value in enumerate(cells) if value]
        if len({cells[c] for c in filled}) == 1 and (len(filled) > 1 or filled[0] == 0 or roles.get(filled[0]) in ("group", "task")):
            # one value across the row (merged cells repeat it), or alone at the left: a group heading
            row.labels, row.banner = [cells[filled[0]]], True
            rows.append(row)
            continue
        for col in text_cols:
            if col < len(cells) and cells[col] and cells[col] not in row.labels:
                row.labels.append(cells[col])
        row.task = next((cells[c] for c in reversed(task_cols) if c < len(cells) and cells[c]), "")
        row.content = "\n".join(cells[c] for c in content_cols if c < len(cells) and cells[c])
        for col, role in sorted(roles.items()):
            value = cells[col] if col < len(cells) else ""
            if not value:
                continue
            if role == "no":
                row.number = value
            elif role in ("lead", "assist"):
                row.units.append(("配合：" if role == "assist" else "") + value)
            elif role == "time":
                row.limit = value if not row.limit else row.limit + "；" + value
        rows.append(row)
    return rows


def rows_from_cells(lines: list[tuple[list[str], int]], table_no: int, *, stream: bool) -> list[Row]:
    """Rows of a table pasted as text, read by what each cell looks like.

    ``lines``: the cells of each physical row, or (``stream``) of one long run of cells whose row
    boundaries were lost: a new row starts where a second sentence or a second number would.
    """
    rows: list[Row] = []
    cur: Row | None = None
    for cells, line in lines:
        if not stream:
            cur = None
        for cell in cells:
            kind = _kind(cell)
            if kind == "empty":
                continue
            if cur is None or (kind in ("text", "label") and (cur.content or cur.units or cur.limit)):
                cur = Row(line, place=f"表{table_no}第{len(rows) + 1}行")
                rows.append(cur)
            elif kind == "number" and (cur.number or cur.content):
                cur = Row(line, place=f"表{table_no}第{len(rows) + 1}行")
                rows.append(cur)
            if kind == "number":
                cur.number = _key(cell).rstrip(".、．")
            elif kind == "text":
                if cur.content:
                    cur.labels.append(cur.content)
                cur.content = cell
            elif kind == "label":
                cur.labels.append(cell)
            elif kind == "units":
                cur.units.append(cell)
            elif kind == "time":
                cur.limit = cell if not cur.limit else cur.limit + "；" + cell
    for row in rows:  # a row that is only labels ending in a unit or a time: its last label is the task
        if not row.content and row.labels and (row.units or row.limit):
            row.content = row.labels.pop()
    return rows


def task_titles(rows: list[Row]) -> None:
    """A 工作任务 column that names each row's own task is the items' titles, not their sections.

    In a table with a 具体内容 column beside it, the 工作任务 cell either groups rows (one merged cell, or
    the same task repeated, over several rows: a section, as 池州's 做好主动公开基础工作) or names the
    row's task (推进财政预决算公开 over 按要求公开部门预算…): the latter when every row with content has
    its own, different from the row before, and none is numbered as a heading (一、/（一）).
    """
    rows_with = [r for r in rows if r.content and not r.banner]
    if not rows_with or any(not r.task or _group_number(r.task) for r in rows_with):
        return
    previous = ""
    for row in rows:
        if row.banner:
            previous = ""
        elif row.content:
            if row.task == previous:
                return
            previous = row.task
    for row in rows_with:
        row.labels = [label for label in row.labels if label != row.task]
        row.title = row.task


# --------------------------------------------------------------------------- rows -> paragraphs


def _responsibility(units: list[str], first_leads: bool) -> Responsibility | None:
    lead: list[str] = []
    assist: list[str] = []
    notes: list[str] = []
    for cell in units:
        is_assist = cell.startswith("配合：")
        text = cell[3:] if is_assist else cell
        resp = parse_unit_cell(text)
        if resp is None:
            continue
        notes.append(text)
        if is_assist:
            assist += resp.lead + resp.assist
        elif first_leads and not resp.assist and len(resp.lead) > 1:
            lead += resp.lead[:1]
            assist += resp.lead[1:]
        else:
            lead += resp.lead
            assist += resp.assist
    if not lead and not assist:
        return None
    if not lead and assist:  # only a 配合 column filled: keep them as assist, no lead
        pass
    lead = list(dict.fromkeys(lead))
    return Responsibility(lead=lead, assist=[n for n in dict.fromkeys(assist) if n not in lead], note="；".join(notes))


def _heading_limit(label: str) -> str:
    """A time limit stated inside a group heading: “一、主动公开（2024年底前完成）”."""
    m = re.search(r"（([^（）]*)）\s*$", norm(label))
    if m and is_limit(m.group(1).replace("完成", "")):
        return m.group(1)
    return ""


def rows_to_paras(rows: list[Row], *, carry: bool, first_leads: bool, places: dict[int, str], next_line: int) -> list[Para]:
    """The rows as paragraphs: group headings (``heading``, ``indent`` = level) and items.

    ``carry``: a row without units or limit takes the one above (text tables, whose merged cells
    are gone).  Returns paragraphs numbered from ``next_line`` on; ``places`` gets their table rows.
    """
    out: list[Para] = []
    path: list[str] = []
    path_limits: list[str] = []
    last_units: list[str] = []
    last_limit = ""
    line = next_line
    base = 0  # levels of the path held by banner rows

    def emit(para: Para, place: str) -> None:
        nonlocal line
        para.line = line
        places[line] = place
        line += 1
        out.append(para)

    task_titles(rows)
    for row in rows:
        if row.banner:
            base = 1
            path, path_limits = [], []
        if row.labels:
            new = list(row.labels)
            if row.banner:
                pass
            elif len(new) < len(path) - base:  # merged outer cells are gone: the labels given are the inner ones
                new = path[: len(path) - len(new)] + new
            else:
                new = path[:base] + new
            keep = 0
            while keep < min(len(path), len(new)) and path[keep] == new[keep]:
                keep += 1
            path, path_limits = path[:keep], path_limits[:keep]
            for label in new[keep:]:
                path.append(label)
                path_limits.append(_heading_limit(label) or (row.limit if not row.content else ""))
                emit(Para(label.rstrip("。"), 0, indent=len(path) - 1, heading=True, limit=path_limits[-1]), row.place)
        if not row.content:
            continue
        units = row.units or (last_units if carry else [])
        limit = row.limit or (last_limit if carry and not row.units else "")
        limit = limit or next((lim for lim in reversed(path_limits) if lim), "")
        last_units, last_limit = units, limit
        text = row.content.strip()
        own = _OWN_NUMBER.match(norm(text))
        if not own and re.fullmatch(r"\d{1,3}", row.number):
            text = f"{row.number}、{text}"
        para = Para(text, 0, indent=len(path), resp=_responsibility(units, first_leads), limit=limit, table_row=True, title=row.title)
        emit(para, row.place)
    return out


# --------------------------------------------------------------------------- tables in text

_PIPE_SEP = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _pipe_cells(line: str) -> list[str]:
    inner = line.strip()
    if inner.startswith("|"):
        inner = inner[1:]
    if inner.endswith("|"):
        inner = inner[:-1]
    return [c.strip() for c in inner.split("|")]


#: A table row pasted as text that starts with its row number: “3 安排财政赤字… 财政部”.
_NUMBERED_ROW = re.compile(r"^\s*\d{1,3}[.、．]?\s+\S")


def spaced_cells(line: str) -> list[str]:
    """The cells of a header row whose separators became spaces: “序号 工 作 任 务 牵头负责部门” ->
    序号, 工作任务, 牵头负责部门 (Chinese characters spaced out one by one for layout are one cell)."""
    out: list[str] = []
    run: list[str] = []
    for token in [*line.split(), ""]:
        if len(token) == 1 and "\u4e00" <= token <= "\u9fff":
            run.append(token)
            continue
        if run:
            out.append("".join(run))
            run = []
        if token:
            out.append(token)
    return out


def _all_roles(cells: list[str]) -> bool:
    """Every cell is a column heading (“一、工作任务” is a numbered heading of a plan, not one)."""
    if any(parse_marker(norm(c)) is not None for c in cells):
        return False
    roles = header_roles(cells)
    return roles is not None and len(roles) == len(cells)


def _cell_lines(lines: list[tuple[str, int]], i: int) -> int:
    """End of a run of one-cell lines from ``i`` (single blank lines between cells; two end the run)."""
    n, j, blanks = len(lines), i, 0
    while j < n:
        if lines[j][0].strip():
            blanks = 0
        else:
            blanks += 1
            if blanks > 1 or "|" in lines[j][0]:
                break
        j += 1
    return j - blanks


def _lines_header(lines: list[tuple[str, int]], i: int) -> bool:
    """Does a table whose cells stand one per line (no ``|`` left) begin at ``i`` with its header?"""
    cells = [t.strip() for t, _ in lines[i : _cell_lines(lines, i)] if t.strip()][:8]
    return len(cells) >= 3 and any(_all_roles(cells[:k]) for k in range(3, len(cells) + 1))


def _role_of(cell: str) -> str | None:
    """The role of a column heading (“责任单位” -> lead), or None."""
    name = _key(cell)
    if not name or len(name) > 12 or parse_marker(name) is not None:
        return None  # “一、优化政务公开工作基础” is a group heading under the header, however short
    return next((role for role, pattern in _ROLES if pattern.search(name)), None)


def find_text_tables(lines: list[tuple[str, int]]) -> list[tuple[int, int, str]]:
    """Runs of lines that may form a table: (start index, end index, form).

    pipes: Markdown-like rows (``a | b | c |``); cells: one cell per line with ``|`` lines or ``|``
    endings between cells (a web page's table flattened); tabs: tab-separated rows; spaces: a header
    row and numbered rows whose cells are separated by spaces only; lines: one cell per line with no
    separator left (a header of one-word cells, then the cells of the rows).
    """
    n = len(lines)

    def piped(i: int) -> bool:
        return "|" in lines[i][0] or (i + 1 < n and lines[i + 1][0].strip().startswith("|"))

    found: list[tuple[int, int, str]] = []
    i = 0
    while i < n:
        if piped(i):
            j = i
            while j < n and (piped(j) or not lines[j][0].strip() and j + 1 < n and piped(j + 1)):
                j += 1
            block = [lines[k][0] for k in range(i, j) if lines[k][0].strip() and not _PIPE_SEP.match(lines[k][0])]
            multi = sum(1 for t in block if len([c for c in _pipe_cells(t) if c]) >= 2)
            form = "pipes" if multi * 2 >= len(block) else "cells"
            start = i
            while form == "pipes" and start < j and "|" not in lines[start][0]:
                start += 1  # a line just before the first row (a note on the table) is not part of it
            if j - start >= 3:
                found.append((start, j, form))
            i = max(j, i + 1)
            continue
        if lines[i][0].count("\t") >= 1 and lines[i][0].strip():
            j = i
            while j < n and lines[j][0].count("\t") >= 1:
                j += 1
            if j - i >= 2:
                found.append((i, j, "tabs"))
            i = max(j, i + 1)
            continue
        words = lines[i][0].split()
        if words and _role_of(words[0]) is not None:
            cells = spaced_cells(lines[i][0])
            if len(cells) >= 2 and _all_roles(cells):
                j = i + 1
                while j < n and (
                    _NUMBERED_ROW.match(lines[j][0]) or (not lines[j][0].strip() and j + 1 < n and _NUMBERED_ROW.match(lines[j + 1][0]))
                ):
                    j += 1
                if j - i >= 2:
                    found.append((i, j, "spaces"))
                    i = j
                    continue
            if _lines_header(lines, i):
                j = _cell_lines(lines, i)
                found.append((i, j, "lines"))
                i = j
                continue
        i += 1
    return found


def text_table_rows(block: list[tuple[str, int]], form: str, table_no: int) -> tuple[dict[int, str] | None, list[Row]]:
    """The header roles (if a header was found) and rows of a table pasted as text."""
    if form == "spaces":
        return _spaced_rows(block, table_no)
    if form in ("cells", "lines"):
        cells = [(text.strip(), line) for text, line in block if text.strip()] if form == "lines" else _pipe_run_cells(block)
        head_n = 0
        roles = None
        for k in range(2, min(8, len(cells)) + 1):
            roles = header_roles([c for c, _ in cells[:k]])
            if roles is not None and len(roles) == k:
                head_n = k
        if head_n:
            header = [c for c, _ in cells[:head_n]]
            roles = header_roles(header)
            assert roles is not None
            check_returns(roles, header)
        else:
            roles = None
        body = cells[head_n:]
        return roles, _assist_second(roles, rows_from_cells([([c], ln) for c, ln in body], table_no, stream=True))
    rows_cells = [(_pipe_cells(t) if form == "pipes" else t.split("\t"), ln) for t, ln in block if not _PIPE_SEP.match(t)]
    roles = None
    start = 0
    for k, (cells_k, _) in enumerate(rows_cells[:3]):
        roles = header_roles(cells_k)
        if roles is not None:
            check_returns(roles, cells_k)
            start = k + 1
            break
    return roles, _assist_second(roles, rows_from_cells(rows_cells[start:], table_no, stream=False))


def _pipe_run_cells(block: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The cells of a flattened table: one cell per line or several, cells ended by ``|``."""
    cells: list[tuple[str, int]] = []
    buf: list[str] = []
    line0 = block[0][1]
    for text, line in block:
        parts = text.split("|")
        buf.append(parts[0])
        for part in parts[1:]:
            cells.append(("".join(b.strip() for b in buf), line0))
            buf = [part]
            line0 = line
    if "".join(buf).strip():
        cells.append(("".join(b.strip() for b in buf), line0))
    return cells


def _spaced_rows(block: list[tuple[str, int]], table_no: int) -> tuple[dict[int, str] | None, list[Row]]:
    """A header row and numbered rows whose cells are separated by spaces: a row with as many cells as the
    header is read by position, any other by what its cells look like."""
    header = spaced_cells(block[0][0])
    roles = header_roles(header)
    assert roles is not None
    check_returns(roles, header)
    rows: list[Row] = []
    for text, line in block[1:]:
        cells = text.split()
        if not cells:
            continue
        if len(cells) == len(header):
            rows += rows_from_grid([cells], roles, line, table_no)
        else:
            rows += rows_from_cells([(cells, line)], table_no, stream=False)
    return roles, _assist_second(roles, rows)


def _assist_second(roles: dict[int, str] | None, rows: list[Row]) -> list[Row]:
    """With a 牵头 column before a 配合 (or second 责任) column, a row's second unit cell assists."""
    if roles is None:
        return rows
    unit_cols = [role for _, role in sorted(roles.items()) if role in ("lead", "assist")]
    if len(unit_cols) >= 2:
        for row in rows:
            if len(row.units) >= 2 and not row.units[1].startswith("配合："):
                row.units[1] = "配合：" + row.units[1]
    return rows
