"""Responsibility notes of plan items (责任单位) and department names, for ``ggk import``.

Owns: finding the note at the end of an item (“（X、Y牵头，Z按职责分工负责）”, “责任部门：X”,
a bare list “（X、Y）”), telling it apart from parentheticals that are part of the text
(“（除依法应当保密事项）”, “（国办发〔2021〕12号）”), and turning it into lead and assist lists:

- units before 牵头 are lead; 配合/协助/参与 units, 会同 partners and the 按职责分工负责 list
  after a 牵头 clause are assist;
- with no 牵头 clause, the responsible units (负责, 分别负责, 按职责分工负责, a bare list) are lead.

Also: elliptical lists (“厅机关各处室、单位” -> 厅机关各处室, 各单位), collective names
(各相关部门, 厅属各单位 -> ``group``), and resolving names against a unit registry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ggk.importer.text import norm
from ggk.registry import bare_name

#: Endings of the names of departments, offices and units.
UNIT_SUFFIX = re.compile(
    r"(?:处|室|局|厅|办|中心|股|所|段|队|站|委|部|部门|单位|处室|股室|科室|科|院|会|组|公司|集团|政府|"
    r"办公室|支队|大队|中队|馆|社|台|园|学校|医院|分局|支行|分行|银行|小组|领导小组|机构|主体|企业|乡镇|街道|县区|市州|"
    r"各地|同志|人)$"
)
#: Collective names (a group, not one department).
GROUP = re.compile(r"各|相关|有关|所属|下属|直属单位|其他")
_QUANT = re.compile(r"(各相关|各有关|各|相关|有关)(?=[^各相关有]*$)")
_BARE = {"单位", "部门", "处室", "股室", "科室", "站所", "企业", "直属单位", "事业单位", "县区", "乡镇", "市州"}

_LABEL = re.compile(r"(?P<role>责任|牵头|主责|主办|配合|协办|协助|参与|实施)(?:单位|部门|处室|股室|科室|主体)\s*[：:]\s*")
_LEAD_VERB = "牵头"
_ASSIST_VERB = re.compile(r"(?:配合|协助|参与|协办)$")
_RESP_VERB = re.compile(
    r"(?:(?:按照?|依照?|根据)?(?:各自)?(?:工作)?(?:职责|职能|职工|职权)?(?:分工)?|分工|分别|共同|具体|各自)*"
    r"(?:负责|落实|承担|实施|承办|办理)(?:落实)?$"
)
_DOC_NO = re.compile(r"[〔\[［【（(]\s*(?:19|20)\d{2}\s*[〕\]］】）)]\s*\d+\s*号|第\s*\d+\s*号")
_ANY_VERB = re.compile(r"牵头|负责|配合|会同|协助|参与|协办|落实|承担")


@dataclass
class Responsibility:
    lead: list[str] = field(default_factory=list)
    assist: list[str] = field(default_factory=list)
    note: str = ""  # the note as written (without brackets)

    @property
    def empty(self) -> bool:
        return not self.lead and not self.assist


# --------------------------------------------------------------------------- names


def _split_and(name: str) -> list[str]:
    """Split “X和Y” only when both sides are unit names (not 住房和城乡建设局)."""
    for joiner in ("以及", "及", "和", "与"):
        if joiner in name:
            left, _, right = name.partition(joiner)
            if UNIT_SUFFIX.search(left) and UNIT_SUFFIX.search(right):
                return _split_and(left) + _split_and(right)
    return [name]


def clean_name(name: str) -> str:
    name = re.sub(r"\s+", "", norm(name))
    name = name.strip("，、；。：“”\"'")
    name = re.sub(r"等(?:单位|部门)?$", lambda m: "" if m.group(0) == "等" else m.group(0)[1:], name)
    return name


def _split_top(text: str) -> list[str]:
    """Split at 、，；/ and runs of spaces that are not inside brackets (an alias in brackets is one unit)."""
    parts: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch in "（〔《":
            depth += 1
        elif ch in "）〕》":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in "、，；/":
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    out: list[str] = []
    for part in parts:
        out += [p for p in re.split(r"\s{2,}", part)] if depth == 0 else [part]
    return out


def _split_etc(name: str) -> list[str]:
    """“市住建局等政府各有关部门” -> [市住建局, 政府各有关部门]: the named unit and the collective after 等."""
    left, sep, right = name.partition("等")
    if not sep or not left or not right or not looks_like_unit(left):
        return [name]
    right = re.sub(r"^(?:单位|部门)$", "", right)
    return [left, right] if right and (is_group(right) or looks_like_unit(right)) else [left]


def _split_spaces(name: str) -> list[str]:
    """“办公室 财务科 法规科”: units separated by single spaces only."""
    pieces = name.split()
    if len(pieces) > 1 and all(looks_like_unit(p) or is_group(p) for p in pieces):
        return pieces
    return [name]


def unit_names(text: str) -> list[str]:
    """“厅办公室、厅综规处” -> [厅办公室, 厅综规处]; expands elliptical lists.

    Aliases in brackets stay with their unit (“区委宣传部（区政府新闻办）”), “A、B等C” gives A, B and
    the collective C, a bare trailing 等 is dropped, and units separated by single spaces are split.
    """
    names: list[str] = []
    for raw in _split_top(norm(text).strip()):
        for spaced in _split_spaces(raw.strip()):
            for part in _split_etc(clean_name(spaced)):
                for piece in _split_and(clean_name(part)):
                    if piece:
                        names.append(piece)
    out: list[str] = []
    for i, name in enumerate(names):
        if name in _BARE and i > 0:
            quant = _QUANT.search(names[i - 1])
            if quant:
                # “厅机关各处室、单位”: the quantifier (各/相关/有关) carries over to 单位.
                name = quant.group(1) + name
        if name not in out:
            out.append(name)
    return out


def is_group(name: str) -> bool:
    return bool(GROUP.search(name))


def looks_like_unit(name: str) -> bool:
    name = re.sub(r"[（〔][^（）〔〕]*[）〕]$", "", clean_name(name))  # an alias in brackets: 区委宣传部（区政府新闻办）
    return 1 < len(name) <= 24 and bool(UNIT_SUFFIX.search(name)) and not _DOC_NO.search(name)


# --------------------------------------------------------------------------- notes


TIME_CLAUSE = re.compile(r"\d{4}\s*年|\d+\s*月|年底|年内|年末|季度|每月|每年|常态|长期|持续|时限|完成时间|工作日")


def parse_note(text: str) -> Responsibility | None:
    """Lead/assist of a responsibility note (without brackets); None if it is not one.

    A time clause inside the note (“X牵头，Y配合；2021年底前完成”) is not a department;
    it is left out here (the deadline is read from the item's full text).
    """
    raw = text.strip()
    s = _short_huitong(_plain_verbs(norm(raw).strip().strip("。；，")))
    if not s or _DOC_NO.search(s):
        return None
    if TIME_CLAUSE.search(s):
        kept = [c for c in re.split(r"[；，]", s) if c.strip() and not TIME_CLAUSE.search(c)]
        if not kept or len(kept) == len(re.split(r"[；，]", s)):
            return None
        resp = parse_note("，".join(kept))
        if resp is not None:
            resp.note = raw
        return resp
    if _LABEL.search(s):
        return _parse_labelled(s, raw)
    if not _ANY_VERB.search(s):
        names = unit_names(s)
        if names and all(looks_like_unit(n) for n in names) and (len(names) > 1 or len(names[0]) >= 3):
            return Responsibility(lead=names, note=raw)
        return None
    # “X牵头、Y配合” / “X牵头Y配合”: a role word ends a clause even without a comma.
    s = re.sub(r"(牵头|配合|协助|参与|协办)(?![，；、]|$|单位|部门)", r"\1，", s)
    s = re.sub(r"(牵头|配合|协助|参与|协办|负责)、", r"\1，", s)
    lead: list[str] = []
    assist: list[str] = []
    responsible: list[str] = []
    has_lead = False
    for clause in re.split(r"[，；]", s):
        clause = clause.strip()
        if not clause:
            continue
        if "会同" in clause:
            left, _, right = clause.partition("会同")
            responsible += unit_names(_RESP_VERB.sub("", left))
            assist += unit_names(_RESP_VERB.sub("", right))
            continue
        if clause.endswith(_LEAD_VERB):
            has_lead = True
            lead += unit_names(re.sub(r"(?:分别|共同|联合|各自)$", "", clause[: -len(_LEAD_VERB)]))
        elif _ASSIST_VERB.search(clause):
            assist += unit_names(_ASSIST_VERB.sub("", clause))
        elif _RESP_VERB.search(clause):
            responsible += unit_names(_RESP_VERB.sub("", clause))
        else:
            names = unit_names(clause)
            if not all(looks_like_unit(n) for n in names):
                return None
            responsible += names
    lead, assist = _roles(lead, assist, responsible, has_lead)
    if not lead and not assist:
        return None
    if not any(looks_like_unit(n) or is_group(n) for n in lead + assist):
        return None
    return Responsibility(lead=lead, assist=assist, note=raw)


#: “宣传处会办公室”: 会 short for 会同 right after a unit's name (not 委员会, 常委会, 工会: no unit ending before 会).
_HUI = re.compile(r"(?<=[处室局厅科股办部])会(?!同|议|商|签|审|谈)")


def _short_huitong(s: str) -> str:
    """“A会B” between two units is “A会同B” (A leads, B assists)."""
    for m in reversed(list(_HUI.finditer(s))):
        left = re.split(r"[，；、]", s[: m.start()])[-1]
        right = _RESP_VERB.sub("", re.split(r"[，；、]", s[m.end() :])[0])
        if looks_like_unit(left) and looks_like_unit(right):
            s = s[: m.start()] + "会同" + s[m.end() :]
    return s


#: “牵头落实 / 负责落实 / 具体落实 / 抓好落实”: the 落实 adds nothing to who leads.
_LUOSHI = re.compile(r"(牵头|负责|配合|协助)(?:抓好|做好|组织)?落实|(?:具体|抓好|组织)落实")


def _plain_verbs(s: str) -> str:
    return _LUOSHI.sub(lambda m: m.group(1) or "负责", s)


def parse_unit_cell(text: str) -> Responsibility | None:
    """The units of a table's 责任单位 cell, read more leniently than a note in running text.

    A cell is known to name units, so wording around them is dropped: “区司法局牵头区级规范性文件
    集中公开工作，区各制定主体具体落实” -> lead 区司法局, assist 区各制定主体.
    """
    cell = re.sub(r"\s*\n\s*", "、", text.strip())
    if not cell:
        return None
    resp = parse_note(cell)
    if resp is not None:
        return resp
    s = _plain_verbs(norm(cell))
    lead: list[str] = []
    assist: list[str] = []
    responsible: list[str] = []
    for clause in re.split(r"[；;。，,]", s):
        m = re.match(r"^(.*?)(牵头|配合|协助|参与|负责|承担|实施)", clause)
        if not m:
            names = [n for n in unit_names(clause) if looks_like_unit(n) or is_group(n)]
            responsible += names
            continue
        names = [n for n in unit_names(m.group(1)) if looks_like_unit(n) or is_group(n)]
        if m.group(2) == "牵头":
            lead += names
        elif m.group(2) in ("配合", "协助", "参与"):
            assist += names
        else:
            responsible += names
    lead, assist = _roles(lead, assist, responsible, bool(lead))
    if not lead and not assist:
        return None
    return Responsibility(lead=lead, assist=assist, note=text.strip())


def _roles(lead: list[str], assist: list[str], responsible: list[str], has_lead: bool) -> tuple[list[str], list[str]]:
    """With a 牵头 clause the responsible units assist; without one they lead.  No name twice."""
    if has_lead:
        assist = responsible + assist
    else:
        lead = responsible
    lead = _unique_names(lead)
    return lead, [n for n in _unique_names(assist) if n not in lead]


#: “以下工作均由局办公室牵头、各股室配合落实，不再一一列出”: a note for every item after it.
_FOLLOWING = re.compile(r"^[（(]?\s*以下(?:各项|所有|全部)?(?:工作|任务|事项|条目)?(?:均|都|全部)?(?:需|须|由|要|应)?")
_NOT_LISTED = re.compile(r"[，,；;]?\s*(?:不再(?:一一|逐项|单独)?(?:列出|列明|标注|注明)|下同)[。]?\s*[）)]?\s*。?$")


def following_note(text: str) -> Responsibility | None:
    """The responsibility a paragraph assigns to every item after it (“以下工作均需…落实，不再列出”)."""
    n = norm(text).strip()
    if not _FOLLOWING.match(n) or not _NOT_LISTED.search(n):
        return None
    body = _NOT_LISTED.sub("", _FOLLOWING.sub("", n)).strip("（）。 ")
    resp = parse_note(body)
    if resp is not None:
        resp.note = text.strip()
    return resp


def _parse_labelled(s: str, raw: str) -> Responsibility | None:
    lead: list[str] = []
    assist: list[str] = []
    matches = list(_LABEL.finditer(s))
    # “牵头单位：X；责任单位：Y”: with a lead named, the responsible units assist.
    has_lead = any(m.group("role") in ("牵头", "主责", "主办") for m in matches)
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(s)
        names = [n for n in unit_names(s[m.end() : end].strip("；，。 ")) if len(n) > 1]  # “责任单位：区” cut off
        role = m.group("role")
        if role in ("配合", "协办", "协助", "参与") or (has_lead and role not in ("牵头", "主责", "主办")):
            assist += names
        else:
            # “责任单位：X（牵头）、Y”: the marked unit leads, the others assist.
            marked = [n for n in names if n.endswith("（牵头）")]
            if marked:
                lead += [n[: -len("（牵头）")] for n in marked]
                assist += [n for n in names if n not in marked]
            else:
                lead += names
    lead = _unique_names(lead)
    assist = [n for n in _unique_names(assist) if n not in lead]
    if not lead and not assist:
        return None
    return Responsibility(lead=lead, assist=assist, note=raw)


def _unique_names(names: list[str]) -> list[str]:
    out: list[str] = []
    for n in names:
        if n and n not in out:
            out.append(n)
    return out


_TRAILING_LABEL = re.compile(r"(?:^|(?<=[。；！？）]))\s*(?:[（(]\s*)?(?:责任|牵头|主责)(?:单位|部门|处室|股室|科室)\s*[：:].*$")


def split_note(text: str) -> tuple[str, Responsibility | None]:
    """Split an item's text into (text without the note, the note's responsibility).

    Only a note at the very end counts; parentheticals elsewhere are part of the text.
    """
    n = norm(text)
    body = n.rstrip()
    end = len(body)
    # A trailing full stop after the note: “…。（X负责）。”
    if body.endswith("。") and body[:-1].rstrip().endswith("）"):
        body = body[:-1].rstrip()
    if body.endswith("）"):
        depth = 0
        start = -1
        for i in range(len(body) - 1, -1, -1):
            ch = body[i]
            if ch == "）":
                depth += 1
            elif ch == "（":
                depth -= 1
                if depth == 0:
                    start = i
                    break
        if start >= 0:
            resp = parse_note(text[start + 1 : len(body) - 1])
            if resp is not None:
                return text[:start].rstrip(), resp
            # “…（X负责）（2021年底前）”: the note stands just before a time parenthetical.
            if TIME_CLAUSE.search(body[start:]):
                inner_text, inner = split_note(text[:start])
                if inner is not None and not norm(text[len(inner_text) : start]).strip("。 ").count("。"):
                    return inner_text.rstrip() + text[start : len(body)], inner
    m = _TRAILING_LABEL.search(n[:end])
    if m:
        note = text[m.start() : end].strip()
        resp = parse_note(note.strip().lstrip("（(").rstrip("）)。"))
        if resp is not None:
            return text[: m.start()].rstrip(), resp
    return text, None


def is_note_paragraph(text: str) -> Responsibility | None:
    """A paragraph that is nothing but a responsibility note (a note on its own line)."""
    n = norm(text).strip().rstrip("。")
    if n.startswith("（") and n.endswith("）") and n.count("（") == n.count("）"):
        rest, resp = split_note(text)
        if resp is not None and not norm(rest).strip("。 "):
            return resp
        return None
    if _LABEL.match(n):
        # “责任单位：区” cut off mid-name is still the item's note, naming no unit
        return parse_note(n) or Responsibility(note=text.strip())
    return None


# --------------------------------------------------------------------------- registry


_PREFIXES = ("省厅", "市局", "县局", "厅", "局", "委", "办")


def resolve_name(name: str, names: dict[str, str]) -> tuple[str | None, bool]:
    """(canonical name, exact?) of ``name`` in ``names`` (every accepted name -> canonical).

    Besides exact names and aliases, the unit's own prefix is tolerated (厅办公室 / 办公室).
    """
    if name in names:
        return names[name], True
    compact = re.sub(r"\s+", "", name)
    if compact in names:
        return names[compact], True
    candidates = [compact[len(p) :] for p in _PREFIXES if compact.startswith(p) and len(compact) > len(p) + 1]
    candidates += [p + compact for p in _PREFIXES]
    for cand in candidates:
        if cand in names:
            return names[cand], False
    return None, False


def merge_variants(names: list[str]) -> dict[str, str]:
    """name -> canonical name, merging spellings that differ by the unit's prefix.

    For a new registry: “政策法规股” and “局政策法规股” are one department; the fuller
    spelling is canonical and the other becomes an alias.  Collective names are kept apart.
    """
    groups: dict[str, list[str]] = {}
    for n in names:
        if not is_group(n):
            groups.setdefault(bare_name(n), []).append(n)
    out: dict[str, str] = {}
    for variants in groups.values():
        canon = max(variants, key=len)
        for v in variants:
            out[v] = canon
    return out
