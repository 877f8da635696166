"""``.docx`` documents: paragraphs (with Word's automatic numbering, which is not part of the
paragraph text) and tables (merged cells repeated in every cell they span, as python-docx gives them).

Owns ``docx_blocks``: the body in order as paragraph texts and table grids.  The archive is checked by
``ggk.importer.limits.check_archive`` before python-docx inflates anything.
"""

from __future__ import annotations

import re
from pathlib import Path

from ggk.diagnostics import GgkError
from ggk.importer.text import cn_numeral


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


def docx_blocks(path: Path) -> list[tuple[str, object]]:
    """The body of a .docx in order: ("p", paragraph text) and ("table", grid of cell texts)."""
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - python-docx is a dependency
        raise GgkError("读取 .docx 需要 python-docx") from exc
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds for a broken package
        raise GgkError(f"无法打开 Word 文件 {path.name}：{exc}", "用 Word/WPS 打开后另存为 .docx 再导入") from None
    numbering = _DocxNumbering(document)
    out: list[tuple[str, object]] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(block, document)
            out.append(("p", numbering.label(para) + para.text))
        elif tag == "tbl":
            table = Table(block, document)
            grid: list[list[str]] = []
            for row in table.rows:
                # Vertically merged cells come back once per row they span, horizontally merged once per column.
                grid.append([cell.text for cell in row.cells])
            out.append(("table", grid))
    return out
