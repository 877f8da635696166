"""Text of issued documents: decoding, punctuation normalisation, web-copy clean-up, numerals.

Owns ``norm`` (full-width punctuation for parsing, same length as the text, so offsets agree),
``decode`` (UTF-8, or GB18030/GBK detected and reported), ``clean_web_line`` (Markdown/HTML
decoration of a web page copy), the numbers headings and items begin with (``parse_marker``:
第一部分 / 一、 / （一） / 1. / （1） / ①, used by the line joiner, the structure stage and the table
reader alike) and Chinese numerals (``cn_to_int``, ``cn_numeral``).  Pure functions of their arguments.
"""

from __future__ import annotations

import re

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


# --------------------------------------------------------------------------- numbers of headings and items

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
#: The kinds of number, outermost first (their order ranks the levels of a document that uses several).
MARKERS: dict[str, re.Pattern[str]] = {
    "part": re.compile(rf"^\s*第([{_CN}]+)(?:部分|章|节)\s*[、：.]?\s*"),
    "cn": re.compile(rf"^\s*([{_CN}]+)\s*(?:、|[.，](?!\d))\s*"),
    "cnp": re.compile(rf"^\s*（\s*([{_CN}]+)\s*）\s*[、.]?\s*"),
    "num": re.compile(r"^\s*(\d{1,3})\s*(?:、|\.(?!\d))\s*"),
    "nump": re.compile(r"^\s*（?\s*(\d{1,3})\s*）\s*[、.]?\s*"),
    "circ": re.compile(r"^\s*([①-⑳])\s*[、.]?\s*"),
}
MARKER_RANK = {kind: i for i, kind in enumerate(MARKERS)}


def parse_marker(text_norm: str) -> tuple[str, int, str, int] | None:
    """(kind, number, printed number, offset of the text after the marker) of a paragraph (``norm``-ed), or None."""
    for kind, pattern in MARKERS.items():
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
