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

from ggk.importer.read import norm
from ggk.registry import bare_name

#: Endings of the names of departments, offices and units.
UNIT_SUFFIX = re.compile(
    r"(?:处|室|局|厅|办|中心|股|所|段|队|站|委|部|部门|单位|处室|股室|科室|科|院|会|组|公司|集团|政府|"
    r"办公室|支队|大队|中队|馆|社|台|园|学校|医院|分局|小组|领导小组|机构|主体|企业|乡镇|街道|县区|市州|"
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


def split_names(text: str) -> list[str]:
    """“厅办公室、厅综规处” -> [厅办公室, 厅综规处]; expands elliptical lists."""
    parts = [clean_name(p) for p in re.split(r"[、，；/]|\s{2,}", norm(text))]
    names: list[str] = []
    for part in parts:
        for piece in _split_and(part):
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
    name = clean_name(name)
    return 1 < len(name) <= 24 and bool(UNIT_SUFFIX.search(name)) and not _DOC_NO.search(name)


# --------------------------------------------------------------------------- notes


TIME_CLAUSE = re.compile(r"\d{4}\s*年|\d+\s*月|年底|年内|年末|季度|每月|每年|常态|长期|持续|时限|完成时间|工作日")


def parse_note(text: str) -> Responsibility | None:
    """Lead/assist of a responsibility note (without brackets); None if it is not one.

    A time clause inside the note (“X牵头，Y配合；2021年底前完成”) is not a department;
    it is left out here (the deadline is read from the item's full text).
    """
    raw = text.strip()
    s = norm(raw).strip().strip("。；，")
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
        names = split_names(s)
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
            responsible += split_names(_RESP_VERB.sub("", left))
            assist += split_names(_RESP_VERB.sub("", right))
            continue
        if clause.endswith(_LEAD_VERB):
            has_lead = True
            lead += split_names(clause[: -len(_LEAD_VERB)])
        elif _ASSIST_VERB.search(clause):
            assist += split_names(_ASSIST_VERB.sub("", clause))
        elif _RESP_VERB.search(clause):
            responsible += split_names(_RESP_VERB.sub("", clause))
        else:
            names = split_names(clause)
            if not all(looks_like_unit(n) for n in names):
                return None
            responsible += names
    if has_lead:
        assist = responsible + assist
    else:
        lead = responsible
    lead = _dedupe(lead)
    assist = [n for n in _dedupe(assist) if n not in lead]
    if not lead and not assist:
        return None
    if not any(looks_like_unit(n) or is_group(n) for n in lead + assist):
        return None
    return Responsibility(lead=lead, assist=assist, note=raw)


def _parse_labelled(s: str, raw: str) -> Responsibility | None:
    lead: list[str] = []
    assist: list[str] = []
    matches = list(_LABEL.finditer(s))
    # “牵头单位：X；责任单位：Y”: with a lead named, the responsible units assist.
    has_lead = any(m.group("role") in ("牵头", "主责", "主办") for m in matches)
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(s)
        names = split_names(s[m.end() : end].strip("；，。 "))
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
    lead = _dedupe(lead)
    assist = [n for n in _dedupe(assist) if n not in lead]
    if not lead and not assist:
        return None
    return Responsibility(lead=lead, assist=assist, note=raw)


def _dedupe(names: list[str]) -> list[str]:
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
        return parse_note(n)
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
