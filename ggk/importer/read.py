"""Reading issued documents for ``ggk import``: bytes -> lines -> paragraphs.

Owns: decoding (UTF-8, or GB18030/GBK detected and reported), ``.docx`` text (including
Word's automatic list numbering, which is not part of the paragraph text), clean-up of
Markdown-ish web copies, and re-joining paragraphs that were hard-wrapped (PDF copies) or
split by page-break blank lines.  It knows nothing about plans; ``ggk.importer.structure`` does.

Every paragraph keeps the source line (or, for .docx, the paragraph number) where it
starts, so that the import report can point at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ggk.workspace.files import os_reason

#: ASCII punctuation that web copies put where the document had full-width marks.  The
#: mapping is one character to one character, so offsets found in the normalised text are
#: offsets in the original text too.
_NORM = str.maketrans(
    {
        "(": "（",
        ")": "）",
        ",": "，",
        ":": "：",
        ";": "；",
        "!": "！",
        "?": "？",
        "[": "〔",
        "]": "〕",
        "［": "〔",
        "］": "〕",
        "【": "〔",
        "】": "〕",
        "．": ".",
        "\u3000": " ",
        "\xa0": " ",
        "\t": " ",
    }
)


def norm(text: str) -> str:
    """Full-width punctuation for parsing; same length as ``text``."""
    return text.translate(_NORM)


TERMINAL = "。！？；…”’」』）"
_SENTENCE_MARKS = "。！？；"


class DocumentError(Exception):
    """The document cannot be read at all (missing, not text, broken .docx)."""


@dataclass
class Para:
    """One paragraph of the source as issued (hard wraps undone)."""

    text: str
    line: int
    indent: int = 0

    @property
    def norm(self) -> str:
        return norm(self.text)


@dataclass
class Source:
    path: Path
    paras: list[Para]
    encoding: str  # "UTF-8", "GB18030", "docx"
    encoding_detected: bool  # True when not UTF-8 and we guessed it
    where: str  # "行" for text, "段" for .docx paragraphs
    hard_wrapped: bool = False
    page_numbers: list[Para] = field(default_factory=list)


# --------------------------------------------------------------------------- decoding


def decode(data: bytes) -> tuple[str, str, bool]:
    """Return (text, encoding label, detected) for the bytes of a text document."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "UTF-8", False
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "UTF-16", True
    try:
        return data.decode("utf-8"), "UTF-8", False
    except UnicodeDecodeError:
        pass
    try:
        # GB18030 is a superset of GBK and GB2312: one decoder covers all three.
        return data.decode("gb18030"), "GB18030", True
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace"), "UTF-8（含无法识别的字节）", True


# --------------------------------------------------------------------------- web copies

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_MD_QUOTE = re.compile(r"^\s*(?:>\s*)+")
_MD_BULLET = re.compile(r"^(\s*)(?:[-*+•·]\s+|[●■◆▲►◇□○]\s*)")
_MD_EMPH = re.compile(r"\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")
_MD_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_HTML_ENTITIES = {"&nbsp;": " ", "&emsp;": "\u3000", "&ensp;": " ", "&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"'}


def clean_web_line(line: str) -> str:
    """Strip Markdown/HTML decoration a web page copy leaves around the text."""
    for entity, repl in _HTML_ENTITIES.items():
        if entity in line:
            line = line.replace(entity, repl)
    if _MD_TABLE_SEP.match(line):
        return ""
    if line.count("|") >= 2:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        line = "  ".join(c for c in cells if c)
    line = _MD_HEADING.sub("", line)
    line = _MD_QUOTE.sub("", line)
    line = _MD_BULLET.sub(r"\1", line)
    line = _MD_EMPH.sub("", line)
    line = _MD_ESCAPE.sub(r"\1", line)
    return line


# --------------------------------------------------------------------------- tables

#: Column headings of a task table (任务分解表): role -> pattern; first match wins.
_COLUMNS = [
    ("no", re.compile(r"^(?:序号|编号|序)$")),
    ("lead", re.compile(r"牵头|责任单位|责任部门|责任处室|责任科室|责任股室|主责|负责单位|负责部门|责任主体|承办")),
    ("assist", re.compile(r"配合|协办|参与|协助")),
    ("time", re.compile(r"时限|完成时间|时间|期限|进度安排")),
    ("category", re.compile(r"类别|分类|板块|领域|方面|项目类别")),
    ("task", re.compile(r"任务|内容|事项|措施|要点|工作")),
]


def table_lines(rows: list[list[str]]) -> list[str] | None:
    """The rows of a task table as the paragraphs a plan would print, or None.

    “序号 | 工作任务 | 牵头单位 | 配合单位 | 完成时限” becomes “1、任务。完成时限：…（X牵头，Y配合）”,
    so the rest of the import reads it like any numbered item with its note.
    """
    header_row = 0
    for header_row, header in enumerate(rows[:2]):  # noqa: B007 - used after the loop
        roles: dict[str, int] = {}
        for col, cell in enumerate(header):
            name = re.sub(r"\s+", "", cell)
            for role, pattern in _COLUMNS:
                if role not in roles and pattern.search(name):
                    roles[role] = col
                    break
        if "task" in roles and ("lead" in roles or "assist" in roles):
            break
    else:
        return None
    out: list[str] = []
    last_category = None
    for row in rows[header_row + 1 :]:
        cells = [re.sub(r"\s*\n\s*", "、", c.strip()) for c in row]

        def get(role: str, cells: list[str] = cells) -> str:
            col = roles.get(role)
            return cells[col].strip() if col is not None and col < len(cells) else ""

        if cells and len(set(c for c in cells if c)) == 1:  # a merged row across the table: a heading
            out.append(next(c for c in cells if c))
            continue
        category = get("category")
        if category and category != last_category:
            out.append(category)
            last_category = category
        task = get("task")
        if not task:
            continue
        number = get("no")
        text = (f"{number}、" if re.fullmatch(r"\d{1,3}", number) else "") + task
        time = get("time")
        if time:
            text += ("" if text.endswith(("。", "；")) else "。") + f"完成时限：{time}。"
        lead, assist = get("lead"), get("assist")
        parts = [f"{lead}牵头" if assist else f"{lead}负责"] if lead else []
        if assist:
            parts.append(f"{assist}配合")
        if parts:
            text += "（" + "，".join(parts) + "）"
        out.append(text)
    return out


# --------------------------------------------------------------------------- docx


_CN_DIGITS = "零一二三四五六七八九"


def cn_numeral(n: int) -> str:
    """1 -> 一, 15 -> 十五, 23 -> 二十三 (enough for section numbers)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    return str(n)


def _fmt_counter(value: int, fmt: str) -> str:
    if fmt.startswith(("chinese", "ideograph", "japaneseCounting", "taiwanese")):
        return cn_numeral(value)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + value - 1) if 1 <= value <= 20 else str(value)
    if fmt in ("lowerLetter", "upperLetter"):
        base = "a" if fmt == "lowerLetter" else "A"
        return chr(ord(base) + (value - 1) % 26)
    if fmt == "bullet" or fmt == "none":
        return ""
    return str(value)


class _DocxNumbering:
    """Word's automatic numbering (w:numPr) rendered as the text a reader sees."""

    def __init__(self, document) -> None:  # noqa: ANN001 - python-docx object
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            numbering = document.part.numbering_part.element
        except Exception:  # no numbering part: nothing to render
            return
        ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
        w = "{" + ns["w"] + "}"
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for absnum in numbering.findall("w:abstractNum", ns):
            levels: dict[int, tuple[str, str, int]] = {}
            for lvl in absnum.findall("w:lvl", ns):
                ilvl = int(lvl.get(w + "ilvl", "0"))
                fmt_el = lvl.find("w:numFmt", ns)
                text_el = lvl.find("w:lvlText", ns)
                start_el = lvl.find("w:start", ns)
                levels[ilvl] = (
                    fmt_el.get(w + "val", "decimal") if fmt_el is not None else "decimal",
                    text_el.get(w + "val", "") if text_el is not None else "",
                    int(start_el.get(w + "val", "1")) if start_el is not None else 1,
                )
            abstract[absnum.get(w + "abstractNumId", "")] = levels
        for num in numbering.findall("w:num", ns):
            ref = num.find("w:abstractNumId", ns)
            if ref is not None:
                self.levels[num.get(w + "numId", "")] = abstract.get(ref.get(w + "val", ""), {})

    @staticmethod
    def _numpr(paragraph):  # noqa: ANN001, ANN205
        """The paragraph's numbering, its own or its style's (“List Number”)."""
        ppr = paragraph._p.pPr
        if ppr is not None and ppr.numPr is not None:
            return ppr.numPr
        try:
            style = paragraph.style
        except Exception:
            return None
        while style is not None:
            sppr = style.element.pPr
            if sppr is not None and sppr.numPr is not None:
                return sppr.numPr
            style = style.base_style
        return None

    def label(self, paragraph) -> str:  # noqa: ANN001
        numpr = self._numpr(paragraph)
        if numpr is None:
            return ""
        num_id = str(numpr.numId.val) if numpr.numId is not None else ""
        ilvl = int(numpr.ilvl.val) if numpr.ilvl is not None else 0
        if num_id in ("", "0"):
            return ""
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        fmt, text, start = levels[ilvl]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]

        def repl(m: re.Match[str]) -> str:
            lv = int(m.group(1)) - 1
            lv_fmt = levels.get(lv, (fmt, "", 1))[0]
            return _fmt_counter(counters.get(lv, levels.get(lv, ("", "", 1))[2]), lv_fmt)

        return re.sub(r"%(\d)", repl, text)


def _docx_lines(path: Path) -> list[tuple[str, int]]:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - python-docx is a dependency
        raise DocumentError("读取 .docx 需要 python-docx") from exc
    try:
        document = docx.Document(str(path))
    except Exception as exc:
        raise DocumentError(f"无法打开 Word 文件：{exc}") from exc
    numbering = _DocxNumbering(document)
    out: list[tuple[str, int]] = []
    counter = 0
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            counter += 1
            para = Paragraph(block, document)
            text = numbering.label(para) + para.text
            for piece in text.split("\n"):
                out.append((piece, counter))
            out.append(("", counter))
        elif tag == "tbl":
            table = Table(block, document)
            grid = [[cell.text for cell in row.cells] for row in table.rows]
            first = counter + 1
            as_items = table_lines(grid)
            if as_items is not None:
                for k, line in enumerate(as_items):
                    out += [(line, first + k), ("", first + k)]
                counter += len(grid)
                continue
            for row in grid:
                counter += 1
                cells: list[str] = []
                for value in (c.strip() for c in row):
                    if value and (not cells or cells[-1] != value):  # merged cells repeat
                        cells.append(value)
                out.append(("  ".join(cells), counter))
                out.append(("", counter))
    return out


# --------------------------------------------------------------------------- paragraphs


_MARKER = re.compile(
    r"^\s*(?:第[一二三四五六七八九十]+(?:部分|章|节)|[一二三四五六七八九十百零〇两]+\s*[、.，]|"
    r"[（(]\s*[一二三四五六七八九十]+\s*[）)]|\d{1,3}\s*[.、．](?!\d)|[（(]\s*\d{1,3}\s*[）)]|[①-⑳])"
)
_NOTE_START = re.compile(r"^\s*[（(][^）)]*(?:牵头|负责|配合)|^\s*(?:责任|牵头|配合)(?:单位|部门|处室|股室|科室)\s*[：:]")


def starts_with_marker(text: str) -> bool:
    return bool(_MARKER.match(text))


def _is_cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def _join(a: str, b: str) -> str:
    if a and b and not _is_cjk(a[-1]) and not _is_cjk(b[0]) and a[-1].isalnum() and b[0].isalnum():
        return a + " " + b
    return a + b


def _open_brackets(text: str) -> int:
    n = norm(text)
    return n.count("（") - n.count("）")


def _ends_terminal(text: str) -> bool:
    t = norm(text).rstrip()
    return bool(t) and t[-1] in TERMINAL + "：\"'"


def _ends_sentence(text: str) -> bool:
    """Ends a sentence; a closing bracket or quote at the end of a line does not."""
    t = norm(text).rstrip()
    return bool(t) and t[-1] in "。！？；…：!?"


def _has_inner_punct(text: str) -> bool:
    return any(ch in norm(text) for ch in "，。；、")


def _ends_with_note(text: str) -> bool:
    t = norm(text).rstrip().rstrip("。")
    if not t.endswith("）"):
        return False
    start = t.rfind("（")
    return start >= 0 and any(w in t[start:] for w in ("牵头", "负责", "配合"))


def display_width(text: str) -> int:
    """Width on the page: a Chinese character is two columns, ASCII one (PDF lines wrap by width)."""
    return sum(2 if ord(ch) > 0x2000 else 1 for ch in text)


def _percentile(values: list[int], q: float) -> int:
    if not values:
        return 0
    values = sorted(values)
    return values[min(len(values) - 1, int(q * (len(values) - 1) + 0.5))]


_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－_]+\s*\d{1,3}\s*[-—–－_]+|第\s*\d{1,3}\s*页(?:\s*[，,/]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})$"
)


def paragraphs(lines: list[tuple[str, int]]) -> tuple[list[Para], bool, list[Para]]:
    """Join physical lines into paragraphs; returns (paragraphs, hard_wrapped, page numbers).

    Page-number lines of a PDF copy (“— 3 —”, “第 3 页”) are taken out and returned, so that
    the paragraph they cut is joined again and the report can still list them.
    """
    rows: list[tuple[str, int, int]] = []  # (stripped text, indent, line)
    pages: list[Para] = []
    for raw, lineno in lines:
        expanded = raw.replace("\u3000", "  ").replace("\t", "    ").replace("\xa0", " ")
        stripped = expanded.strip()
        indent = len(expanded) - len(expanded.lstrip())
        if _PAGE_NUMBER.match(stripped):
            pages.append(Para(stripped, lineno, indent))
            stripped = ""
        rows.append((stripped, indent, lineno))

    lengths = [display_width(t) for t, _, _ in rows if t]
    width = _percentile(lengths, 0.9)
    long_rows = [t for t in (r[0] for r in rows) if t and display_width(t) >= 0.8 * width]
    open_long = [t for t in long_rows if not _ends_terminal(t)]
    # A PDF copy wraps nearly every line at one width and most of them end mid-sentence;
    # a one-paragraph-per-line copy has long lines that end with a full stop.
    hard = 20 <= width <= 180 and len(long_rows) >= 5 and len(open_long) >= 0.3 * len(long_rows)

    start_indent = _first_line_indent(rows, width) if hard else None
    out: list[Para] = []
    cur: Para | None = None
    last_line = ""  # last physical line of cur
    last_indent = 0
    blanks = 0
    paged = False
    page_lines = {p.line for p in pages}
    for text, indent, lineno in rows:
        if not text:
            blanks += 1
            paged = paged or lineno in page_lines
            continue
        # A page number with the blank lines around it is one page break.
        gap = min(blanks, 1) if paged else blanks
        if cur is not None and _continues(cur.text, last_line, last_indent, text, indent, gap, hard, width, start_indent):
            cur.text = _join(cur.text, text)
        else:
            if cur is not None:
                out.append(cur)
            cur = Para(text, lineno, indent)
        last_line, last_indent, blanks, paged = text, indent, 0, False
    if cur is not None:
        out.append(cur)
    return out, hard, pages


def _first_line_indent(rows: list[tuple[str, int, int]], width: int) -> int | None:
    """The indent of first lines when a PDF copy indents them more than continuation lines."""
    starts: dict[int, int] = {}
    conts: dict[int, int] = {}
    prev: tuple[str, int, int] | None = None
    for row in rows:
        if row[0] and prev is not None:
            if not prev[0] or _ends_terminal(prev[0]):
                starts[row[1]] = starts.get(row[1], 0) + 1
            elif display_width(prev[0]) >= 0.85 * width:
                conts[row[1]] = conts.get(row[1], 0) + 1
        prev = row
    if not starts or not conts:
        return None
    start = max(starts, key=lambda k: starts[k])
    cont = max(conts, key=lambda k: conts[k])
    return start if start > cont else None


def _continues(
    para: str,
    last: str,
    last_indent: int,
    nxt: str,
    indent: int,
    blanks: int,
    hard: bool,
    width: int,
    start_indent: int | None = None,
) -> bool:
    """Does the physical line ``nxt`` continue the paragraph ``para``?"""
    if starts_with_marker(nxt):
        return False
    if start_indent is not None and indent >= start_indent and not blanks and _open_brackets(para) <= 0:
        return False  # indented like a first line: a new paragraph
    if _open_brackets(para) > 0:
        # A parenthetical cut by a page break (“按职责\n\n分工负责）”) belongs together.
        return blanks <= 3
    if _ends_with_note(para):
        return False
    if blanks > 1:
        return False
    if hard:
        w = display_width(last)
        long_line = w >= max(24, 0.85 * width)
        if blanks:
            # A page break: the line before it is full; a one-line paragraph without
            # punctuation before a blank line is a heading or a title, not a broken line.
            if para == last and not _has_inner_punct(last):
                return False
            long_line = w >= 0.9 * width or (long_line and _has_inner_punct(last))
    else:
        long_line = len(last) >= 40 and _has_inner_punct(last)
    if not _ends_sentence(last):
        # A heading is short and has no punctuation inside; a body line that stops
        # mid-sentence is continued on the next line (or after a page break).
        if _NOTE_START.match(nxt):
            return False
        return long_line
    if hard and not blanks and long_line and indent <= last_indent and not _NOTE_START.match(nxt):
        return True
    return False


def _web_tables(lines: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Markdown/pipe tables of task lists -> item paragraphs (see ``table_lines``)."""
    out: list[tuple[str, int]] = []
    i = 0
    while i < len(lines):
        if lines[i][0].count("|") < 2:
            out.append(lines[i])
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j][0].count("|") >= 2:
            j += 1
        block = [ln for ln in lines[i:j] if not _MD_TABLE_SEP.match(ln[0])]
        rows = [[c.strip() for c in ln[0].strip().strip("|").split("|")] for ln in block]
        converted = table_lines(rows) if len(rows) >= 2 else None
        if converted is None:
            out += lines[i:j]
        else:
            start = block[0][1] + 1
            for k, line in enumerate(converted):
                out += [(line, start + k), ("", start + k)]
        i = j
    return out


def read_document(path: Path) -> Source:
    """Read a .txt/.md/.docx document into paragraphs."""
    path = Path(path)
    if not path.exists():
        raise DocumentError(f"文件不存在：{path}")
    if path.is_dir():
        raise DocumentError(f"这是一个文件夹，不是文件：{path}")
    suffix = path.suffix.lower()
    if suffix == ".doc":
        raise DocumentError("不支持旧版 .doc 文件，请在 Word/WPS 中另存为 .docx 后再导入")
    if suffix == ".pdf":
        raise DocumentError("不支持直接读取 PDF，请复制全文保存为 .txt 后再导入")
    if suffix == ".docx":
        lines = _docx_lines(path)
        paras, hard, pages = paragraphs([(clean_web_line(t), n) for t, n in lines])
        return Source(path, paras, "docx", False, "段", hard, pages)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"无法读取文件 {path}：{os_reason(exc)}") from exc
    if data[:4] == b"PK\x03\x04":
        raise DocumentError(f"{path.name} 看起来是 Word/压缩文件，请把扩展名改为 .docx 后再导入")
    if b"\x00" in data[:2000] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError(f"{path.name} 不是文本文件")
    text, encoding, detected = decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    lines = _web_tables([(line, i) for i, line in enumerate(text.split("\n"), start=1)])
    paras, hard, pages = paragraphs([(clean_web_line(line), i) for line, i in lines])
    return Source(path, paras, encoding, detected, "行", hard, pages)
