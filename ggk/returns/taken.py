"""What reading a returned file gives, shared by the form reader (``ggk.returns.intake``) and the reader
of the hand-kept 工作台账 (``ggk.returns.ledger_sheet``): the workbook as read (``read_book``), each
form or sheet taken in with its changes and problems (``Taken``, ``Change``, ``Problem``), and what
every row is checked against (``Context``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ggk.deadlines.reporting import ReportPeriod
from ggk.diagnostics import GgkError
from ggk.model import Item, Status
from ggk.returns import cells, json_data
from ggk.workspace.load import PlanEntry, Workspace

#: How far a status has come: a return may move it forward, never back.
RANK = {Status.NOT_STARTED: 0, Status.IN_PROGRESS: 1, Status.DONE: 2}


@dataclass
class Problem:
    """A problem with a returned file, a sheet or a row of it; the row is rejected (or the file)."""

    file: str
    sheet: str | None
    row: int | None
    message: str

    def text(self) -> str:
        where = self.file
        if self.sheet:
            where += f"：工作表「{self.sheet}」"
        if self.row:
            where += f"第{self.row}行"
        return f"{where}：{self.message}"

    def to_json(self) -> dict[str, Any]:
        return dict(json_data(self))


@dataclass
class Change:
    """What one accepted row makes of one item: the entries the form gives it (replacing what the same
    form gave before), events of other entries it closes, and the item's status and completion date."""

    sheet: str
    row: int
    ref: str
    item_id: str
    form: str
    period: str
    entries: list[dict[str, Any]]
    close_events: list[tuple[dt.date, dt.date]] = field(default_factory=list)
    status: Status | None = None  # the status the row claims (None: it claims none)
    completed: dt.date | None = None  # the completion date it claims with 已完成
    additive: bool = False  # the 工作台账: entries are added when missing, nothing is replaced
    sent: Status | None = None  # the status the form was sent with: what a withdrawn claim falls back to


@dataclass
class Taken:
    """One returned form (or one sheet of a 工作台账) as read and checked."""

    path: Path
    sheet: str
    kind: str  # "form" / "ledger"
    unit: str = ""
    plan_path: Path | None = None
    form: str = ""
    period: ReportPeriod | None = None
    dept: str = ""
    reporter: str | None = None
    phone: str | None = None
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    blank: int = 0
    fatal: bool = False  # the whole file or sheet could not be taken in
    #: per row: "applied" / "unchanged" / "rejected", filled in by ``apply``
    outcome: dict[int, str] = field(default_factory=dict)

    def count(self, what: str) -> int:
        return sum(1 for v in self.outcome.values() if v == what)

    def reject(self, row: int, message: str) -> None:
        """Row ``row`` is not taken in, for this reason."""
        self.problems.append(Problem(str(self.path), self.sheet, row, message))
        self.outcome[row] = "rejected"


#: A workbook as read: each sheet's name and its rows of cell values (from A1), in the workbook's order.
Book = dict[str, list[tuple[Any, ...]]]


#: What intake reads, said in every refusal of a file it cannot read.
READS = "ggk intake 只读取 .xlsx/.xls 格式的进展报送表（ggk form 发出的）和工作台账（ggk report -f xlsx 生成的）"
_READS_HINT = "请部门在发出的报送表中填写后交回；印发的要点、方案用 ggk import 导入"
#: Workbook extensions a legacy (OLE) file may carry; the same header is a .doc or .wps too.
_OLE_BOOKS = (".xls", ".et")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_book(path: Path) -> Book:
    """Every sheet's values (python-calamine: the values a spreadsheet program saved, never formulas;
    date cells as dates).  A returned file is untrusted: it is checked the way ``ggk import`` checks
    a workbook (a regular file of bounded size, an archive that does not inflate beyond bounds), and
    a file that is no workbook (a Word report, a PDF) is refused with what it looks like."""
    from python_calamine import CalamineWorkbook

    from ggk.importer.limits import MAX_ROWS, check_archive, check_input

    check_input(path, "sheet")
    looks = _looks_like(path)
    if looks is not None:
        raise GgkError(f"{path.name} 是{looks}，不是进展报送表：{READS}", _READS_HINT)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        check_archive(path, "报送表")
    try:
        book = CalamineWorkbook.from_path(str(path))
        out: Book = {}
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            if sheet.height > MAX_ROWS:
                raise GgkError(f"{path.name} 的工作表「{name}」有 {sheet.height} 行，超过上限 {MAX_ROWS} 行，不予读取")
            out[name] = [tuple(r) for r in sheet.to_python(skip_empty_area=False)]
    except GgkError:
        raise
    except Exception:  # calamine's own error kinds (in English) for a damaged workbook
        message = f"{path.name} 无法读取：表格文件已损坏或不是 Excel 格式；{READS}"
        raise GgkError(message, "用 Excel/WPS 打开后另存为 .xlsx 再交回") from None
    return out


def _looks_like(path: Path) -> str | None:
    """What a file is when it is no workbook intake can read (None for a workbook), from its first bytes
    and, for a zip archive, the names of its members — never from its extension alone."""
    import zipfile

    try:
        with path.open("rb") as f:
            head = f.read(4096)
    except OSError:
        return None  # the workbook reader says why it cannot be read
    if head.startswith(b"%PDF-"):
        return " PDF 文件"
    if head.startswith(_OLE):
        if path.suffix.lower() in _OLE_BOOKS:
            return None
        return "旧版 Word/WPS 文档" if path.suffix.lower() in (".doc", ".wps", ".dot", ".wpt") else "旧版 Office 文件（不是 .xls 表格）"
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
                mimetype = archive.read("mimetype")[:80] if "mimetype" in names else b""
        except (zipfile.BadZipFile, OSError, ValueError, KeyError):
            return "已损坏的文件（不是完整的 .xlsx 压缩包）"
        if any(n.startswith("xl/") for n in names) or mimetype.endswith(b"spreadsheet"):
            return None
        if any(n.startswith("word/") for n in names) or mimetype.endswith(b"text"):
            return " Word 文档"
        if any(n.startswith("ppt/") for n in names) or mimetype.endswith(b"presentation"):
            return "演示文稿（PPT）"
        return "压缩包（里面没有表格）"
    if b"\x00" not in head:
        for encoding in ("utf-8", "gb18030"):
            try:
                head.decode(encoding)
                return "文本文件"
            except UnicodeDecodeError as exc:
                if exc.start >= len(head) - 4:  # a character cut by the 4096-byte window
                    return "文本文件"
    return "无法识别格式的文件"


def _header_at(rows: list[tuple[Any, ...]], marker: str, limit: int = 30) -> tuple[int, dict[str, int]] | None:
    """(row index, {column name: index}) of the header row that holds ``marker``."""
    for i, r in enumerate(rows[:limit]):
        names = [cells.text(v) for v in r]
        if marker in names:
            return i, {n: j for j, n in enumerate(names) if n}
    return None


@dataclass
class Context:
    """What every row of every file is checked against."""

    ws: Workspace
    today: dt.date
    period_text: str | None = None
    units: Sequence[str] = ()
    calendar: Any = None
    _items: dict[int, dict[str, Item]] = field(default_factory=dict, repr=False)

    def item(self, entry: PlanEntry, item_id: str) -> Item | None:
        """The item of ``entry``'s plan with this id (the plan's items indexed once)."""
        index = self._items.get(id(entry))
        if index is None:
            index = self._items[id(entry)] = {}
            for _l, _c, it in entry.plan.iter_items():
                index.setdefault(it.id, it)
        return index.get(item_id)
