"""Slips of a Chinese input method in a YAML file, found in its text and said as what to type instead.

A clerk typing YAML with a Chinese IME on gets full-width punctuation where YAML needs ASCII:
``status：已完成`` (full-width colon), ``“status”: 已完成`` (Chinese quotes around a key),
``status:　已完成`` or an indentation of ``　`` (ideographic space), ``－ id: 1`` (a full-width dash
starting a list entry).  To YAML these are not punctuation: the line becomes one long text, and the
error, if any, is reported somewhere else (often on the next line).  ``slips`` finds them line by
line and returns one ``GGK008`` diagnostic per line, at the first character to change, with the
corrected line as the hint.  A list of names typed with full-width brackets or commas
(``lead: ［局办公室，局财务室］``) is valid YAML — one name — and is recognised by ``name_list`` where
the names are checked against the registry (``ggk.workspace.checks``).

Only lines that start with one of ggk's own keys are looked at, and never the lines of a block
text (``text: |-`` and what follows it) or of a comment, where full-width punctuation is simply Chinese.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ggk.diagnostics import Diagnostic, Severity

CODE = "GGK008"

#: Opening and closing Chinese quotes a key may be wrapped in by the IME.
_OPEN_Q = "“‘「『〝＂＇"
_CLOSE_Q = "”’」』〞＂＇"
_BLOCK = re.compile(r"[|>][-+0-9]*\s*(?:#.*)?$")


def slips(text: str, path: str, keys: Iterable[str]) -> list[Diagnostic]:
    """The IME slips of ``text`` (see the module docstring), in line order."""
    names = "|".join(sorted((re.escape(k) for k in keys), key=len, reverse=True))
    line_re = re.compile(
        rf"^(?P<indent>[ \u3000]*)(?P<dash>[-－—–]\s+|[－—–])?"
        rf"(?P<open>[{_OPEN_Q}]?)(?P<key>{names})(?P<close>[{_CLOSE_Q}]?)(?P<space>[ \u3000]*)(?P<colon>[:：])(?P<rest>.*)$"
    )
    out: list[Diagnostic] = []
    block_indent: int | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if block_indent is not None:
            if not stripped or indent > block_indent:
                continue  # a line of a block text
            block_indent = None
        if not stripped or stripped.startswith("#"):
            continue
        m = line_re.match(line)
        if m is None:
            continue
        fixed, found = _fix(m)
        if found:
            col, what = found[0]
            out.append(
                Diagnostic(
                    path,
                    number,
                    col,
                    CODE,
                    Severity.ERROR,
                    "；".join(w for _, w in found),
                    f"改为（半角符号）：{fixed.strip()}"
                    + (f"（行首用 {len(fixed) - len(fixed.lstrip())} 个半角空格缩进）" if "\u3000" in m.group("indent") else ""),
                )
            )
        rest = m.group("rest")
        if _BLOCK.match(rest.strip()) and rest.startswith((" ", "\u3000")):
            block_indent = len(m.group("indent").replace("\u3000", " "))
            if m.group("dash"):
                block_indent += len(m.group("dash"))
    return out


def _fix(m: re.Match[str]) -> tuple[str, list[tuple[int, str]]]:
    """The line as it should be typed, and each slip as (1-based column, description)."""
    found: list[tuple[int, str]] = []
    indent = m.group("indent")
    if "\u3000" in indent:
        found.append((indent.index("\u3000") + 1, "行首缩进用了全角空格“　”"))
        indent = indent.replace("\u3000", "  ")
    dash = m.group("dash") or ""
    if dash and dash[0] != "-":
        found.append((m.start("dash") + 1, f"列表项开头用了“{dash[0]}”，应为半角减号“-”"))
        dash = "- "
    if m.group("open") or m.group("close"):
        quoted = m.group("open") + m.group("key") + m.group("close")
        found.append((m.start("open" if m.group("open") else "close") + 1, f"键「{m.group('key')}」两边加了中文引号（{quoted}）"))
    if m.group("colon") == "：":
        found.append((m.start("colon") + 1, "用了全角冒号“：”"))
    rest = m.group("rest")
    if rest.startswith("\u3000"):
        found.append((m.start("rest") + 1, "冒号后用了全角空格“　”"))
    elif rest and not rest.startswith(" ") and m.group("colon") == ":":
        found.append((m.start("rest") + 1, "冒号后缺少空格"))
    value = rest.strip(" \u3000")
    fixed = f"{indent}{dash}{m.group('key')}: {value}" if value else f"{indent}{dash}{m.group('key')}:"
    return fixed, found


#: Full-width brackets around a list of names, and the separators an IME gives between names.
_BRACKETS = {"［": "］", "【": "】", "[": "]"}
_SEPARATORS = re.compile(r"\s*[,，、；;]\s*")


def name_list(name: str) -> list[str] | None:
    """The names meant by one department name that is really a list typed with an IME
    (``局办公室，局财务室``, ``［局办公室］``, ``【局办公室、局财务室】``), or None when it is not one."""
    body = name.strip()
    bracketed = body[:1] in _BRACKETS and body[-1:] == _BRACKETS[body[:1]]
    if bracketed:
        body = body[1:-1].strip()
    names = [n for n in _SEPARATORS.split(body) if n]
    if (bracketed and names) or len(names) > 1:
        return names
    return None
