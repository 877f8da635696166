"""The phrase grammar: the time phrases of the documents (``2021年底前``, ``每季度公开一次``,
``不少于3次``, ``7个工作日内``) found in a text and turned into ``Deadline`` values.

Owns ``find_time_phrases`` and ``extract``; the rule a single deadline phrase states is
``ggk.deadlines.rules.resolve``.  Pure functions of their arguments.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ggk.deadlines.workdays import NUMBER, parse_number
from ggk.model import Deadline

# =========================================================================== phrase grammar
#
# One regex per shape of phrase, over number / unit / period patterns.  Every regex may
# match anywhere in a text; overlapping matches are settled longest first, so
# "年内至少专题研究部署1次" is one count rule and not also the year-end "年内".

N = NUMBER
_CJK = "\u4e00-\u9fff"
_PER_WORD = r"月|季度|季|半年|年度|年"
_EVERY = rf"每(?:个|一)?(?:{_PER_WORD})|按(?:{_PER_WORD})|逐月|逐季"
_AT_LEAST = re.compile(r"至少|不少于|不低于|最少|不得少于|不少於")
_BEFORE = r"前|之前|以前|为止|止"
_CUTOFF = r"截至|截止(?:到|至)?"
_NOT_NUM_BEFORE = r"(?<![0-9０-９零〇一二两三四五六七八九十百千])"

_PERIOD_OF = {
    "月": "month",
    "季度": "quarter",
    "季": "quarter",
    "半年": "half",
    "年度": "year",
    "年": "year",
}
_PERIOD_CN = {"week": "周", "month": "月", "quarter": "季度", "half": "半年", "year": "年"}
_QUARTER_END = {1: 3, 2: 6, 3: 9, 4: 12}
#: words that end the clause before a working-day event: "应于|文件公开|后3个工作日内"
_EVENT_CUT = ("做出", "作出", "应于", "自", "从", "于", "在", "应", "须", "需", "要", "将", "等", "的", "并")


def _period_of(word: str) -> str:
    for key in sorted(_PERIOD_OF, key=len, reverse=True):
        if word.endswith(key):
            return _PERIOD_OF[key]
    return "year"


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, _calendar.monthrange(year, month)[1])


# A handler gets the match, the plan year and strictness and returns
# (start, end, deadline-or-None), or None when the match is no time phrase at all.
_Handler = Callable[[re.Match[str], int, bool], "tuple[int, int, Deadline | None] | None"]


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    deadline: Deadline | None  # None: a time phrase that states no rule we can evaluate
    priority: int
    match: re.Match[str] | None = field(default=None, compare=False)
    handler: _Handler | None = field(default=None, compare=False)

    def phrase(self, text: str) -> str:
        return text[self.start : self.end]


#: (regex source, handler, needs); compiled on first use (``_compiled``): a run that reads no phrase
#: (``ggk --help``, a report without time limits) does not pay for compiling them.
#: ``needs``: text every match contains one of (a literal the regex cannot match without), so a text
#: with none of them is skipped with a substring test — most texts have no "工作日", and the
#: working-day regex tries a lazy run of up to 12 characters at every position.
_PATTERNS: list[tuple[str, _Handler, tuple[str, ...]]] = []


def _pattern(regex: str, needs: tuple[str, ...]) -> Callable[[_Handler], _Handler]:
    def register(fn: _Handler) -> _Handler:
        _PATTERNS.append((regex, fn, needs))
        return fn

    return register


@functools.cache
def _compiled() -> list[tuple[re.Pattern[str], _Handler, tuple[str, ...]]]:
    return [(re.compile(regex), fn, needs) for regex, fn, needs in _PATTERNS]


def _dl(**keys: Any) -> Deadline:
    # Built without validation: the handlers give typed, valid values (a date, a period name, a
    # number they checked is ≥ 1).
    return Deadline.model_construct(**keys)


def _span(m: re.Match[str]) -> tuple[int, int]:
    return m.start(), m.end()


#: “工作日” counts working days; “日 / 天 / 自然日” count calendar days (and then need 内: “15日” alone is a date).
_WITHIN_UNIT = r"工作日|自然日|日|天"
#: verbs that end an event's clause when they follow it: “决定作出后15日内” (the event is “决定作出”)
_EVENT_VERBS = ("做出", "作出")


def _event_start(pre: str) -> int:
    """Where the event named just before “之日起 / 后” begins in ``pre`` (the words before it)."""
    cut = max((pre.rfind(w) + len(w) for w in _EVENT_CUT if w in pre), default=0)
    if cut == len(pre) and pre.endswith(_EVENT_VERBS):  # “决定作出后”: the verb closes the event
        head = pre[:-2]
        cut = max((head.rfind(w) + len(w) for w in _EVENT_CUT if w in head), default=0)
    return cut


@_pattern(
    rf"(?P<pre>[{_CJK}]{{0,12}}?)(?P<conn>之日起|之日后|之日|以后|之后|后|起)?\s*(?P<n>{N})\s*个?\s*"
    rf"(?P<unit>{_WITHIN_UNIT})(?P<tail>内|以内|之内)?",
    ("工作日", "日内", "天内", "日以内", "天以内", "日之内", "天之内"),
)
def _within(m: re.Match[str], year: int, strict: bool) -> tuple[int, int, Deadline | None] | None:
    """Within N working days (``7个工作日内``) or N calendar days (``15日内``, ``15个自然日内``) of an event."""
    n = parse_number(m.group("n"))
    unit = m.group("unit")
    if not n or (unit != "工作日" and not m.group("tail")):
        return None
    start = m.start("n")
    after = None
    if m.group("conn"):
        pre = m.group("pre")
        cut = _event_start(pre)
        event = pre[cut:]
        if event:
            after = event
            start = m.start("pre") + cut
        else:
            start = m.start("conn")
    phrase = m.string[start : m.end()]
    if unit == "工作日":
        return start, m.end(), _dl(phrase=phrase, workdays=n, after=after)
    return start, m.end(), _dl(phrase=phrase, days=n, after=after)


@_pattern(
    rf"(?P<per>{_EVERY}|年内|全年|年度内)(?P<mid>[^，。；、,;:：（）()\n\s]{{0,20}}?)(?P<n>{N})\s*(?:次|回|场|遍)", ("次", "回", "场", "遍")
)
def _count(m: re.Match[str], year: int, strict: bool) -> tuple[int, int, Deadline | None] | None:
    n = parse_number(m.group("n"))
    per_word = m.group("per")
    at_least = bool(_AT_LEAST.search(m.group("mid")))
    if not n:
        return None
    phrase = m.group(0)
    if not per_word.startswith(("每", "按", "逐")):
        # "年内至少…1次" is a count; "全年发布…15次" is a report of what was done
        if not at_least:
            return None
        return m.start(), m.end(), _dl(phrase=phrase, count=n, per="year")
    period = _period_of(per_word)
    if at_least or n > 1:
        return m.start(), m.end(), _dl(phrase=phrase, count=n, per=period)
    return m.start(), m.end(), _dl(phrase=phrase, every=period)


@_pattern(rf"(?P<per>{_EVERY})(?P<when>末|底)?(?:(?P<day>{N})\s*[日号])?(?P<suf>前|之前)?", ("每", "按", "逐"))
def _every(m: re.Match[str], year: int, strict: bool) -> tuple[int, int, Deadline | None] | None:
    return m.start(), m.end(), _dl(phrase=m.group(0), every=_period_of(m.group("per")))


@_pattern(r"(?:每(?:一|个)?|按)(?:周|星期)|逐周", ("周", "星期"))
def _weekly(m: re.Match[str], year: int, strict: bool) -> tuple[int, int, Deadline | None] | None:
    return m.start(), m.end(), _dl(phrase=m.group(0), every="week")


@_pattern(rf"每(?:(?:{N})\s*个?)?(?:周|星期|日|天|工作日)|每(?:{N})\s*个?(?:月|季度|季|半年|年)", ("每",))
def _every_other(m: re.Match[str], year: int, strict: bool) -> tuple[int, int, Deadline | None] | None:
    if m.group(0) in ("每一月", "每一年", "每一季度", "每一季", "每一半年", "每周", "每星期", "每一周"):
        return None  # the every-period and weekly patterns own these
    return m.start(), m.end(), None  # daily or every-two-months: no rule kind for it


#: The year after the plan year: the 年报 is due 次年1月31日前.
_NEXT_YEAR = r"次年|翌年|下一年度|下一年|下年度|下年"


@_pattern(
    rf"(?P<pre>{_CUTOFF})?(?:{_NEXT_YEAR})\s*(?P<m>{N})\s*月\s*(?:(?P<d>{N})\s*[日号]|(?P<when>底|末|份))?(?P<suf>{_BEFORE}|内)?", ("年",)
)
def _next_year(m: re.Match[str], year: int, strict: bool) -> tuple[int, int, Deadline | None] | None:
    month = parse_number(m.group("m"))
    if month is None or not 1 <= month <= 12:
        return None
    day = parse_number(m.group("d")) if m.group("d") else None
    try:
        due = dt.date(year + 1, month, day) if day else _month_end(year + 1, month)
    except ValueError:
        return m.start(), m.end(), None
    return m.start(), m.end(), _dl(phrase=m.group(0), due=due)


#: Standing work written as a time limit (a table's 时限 cell, a note): no date, never overdue.
_STANDING_LIMIT = re.compile(r"^(?:持续推进|序时推进|长期坚持|长期推进|持续开展|长期|持续|常态化|常态|日常|常年|全年)(?:开展|推进|落实)?$")


def standing(text: str) -> Deadline | None:
    """``持续推进`` / ``序时推进`` / ``长期坚持`` as a whole limit: standing work (kind none), else None."""
    t = re.sub(r"\s+", "", text).strip("。；，")
    if _STANDING_LIMIT.match(t):
        from ggk.model import DeadlineKind

        return _dl(phrase=t, kind=DeadlineKind.NONE)
    return None


@_pattern(r"(?:年内|全年|年度内)持续(?:推进|开展|实施|落实)", ("持续",))
def _standing_in_year(m: re.Match[str], year: int, strict: bool) -> tuple[int, int, Deadline | None] | None:
    """``年内持续推进`` (the State Council's 分工 notes): work carried on through the year, not due at its end."""
    from ggk.model import DeadlineKind

    return m.start(), m.end(), _dl(phrase=m.group(0), kind=DeadlineKind.NONE)


def _date_hit(m: re.Match[str], y: int, month: int | None, day: int | None, strict: bool) -> tuple[int, int, Deadline | None] | None:
    if month is None or day is None or not 1 <= month <= 12:
        return None
    marked = bool(m.groupdict().get("pre") or m.groupdict().get("suf"))
    try:
        due = dt.date(y, month, day)
    except ValueError:
        return m.start(), m.end(), None
    if strict and not marked:
        return m.start(), m.end(), None  # a date in the text is not necessarily a deadline
    return m.start(), m.end(), _dl(phrase=m.group(0), due=due)


@_pattern(rf"(?P<pre>{_CUTOFF})?(?P<y>\d{{4}})\s*年\s*(?P<m>{N})\s*月\s*(?P<d>{N})\s*[日号](?P<suf>{_BEFORE})?", ("月",))
def _full_date(m: re.Match[str], year: int, strict: bool) -> tuple[int, int, Deadline | None] | None:
    return _date_hit(m, int(m.group("y")), parse_number(m.group("m")), parse_number(m.group("d")), strict)


@_pattern(
    rf"(?<![\d.\-/])(?P<pre>{_CUTOFF})?(?P<y>\d{{4}})[-/.](?P<m>\d{{1,2}})[-/.](?P<d>\d{{1,2}})(?![\d])(?P<suf>{_BEFORE})?", ("-", "/", ".")
)
def _iso_date(m: re.Match[str], year: int, strict: bool) -> tuple[int, int, Deadline | None] | None:
    return _date_hit(m, int(m.group("y")), int(m.group("m")), int(m.group("d")), strict)


@_pattern(rf"(?P<pre>{_CUTOFF})?(?<![\d年])(?P<m>{N})\s*月\s*(?P<d>{N})\s*[日号](?P<suf>{_BEFORE})?", ("月",))
def _month_day(m: re.Match[str], year: int, strict: bool) -> tuple[int, int, Deadline | None] | None:
    return _date_hit(m, year, parse_number(m.group("m")), parse_number(m.group("d")), strict)


@_pattern(rf"(?:(?P<y>\d{{4}})\s*年\s*)?(?<![\d])(?P<m>{N})\s*月份?(?P<when>底|末|中旬|上旬|下旬)?(?P<suf>{_BEFORE}|内)?", ("月",))
def _month(m: re.Match[str], year: int, strict: bool) -> tuple[int, int, Deadline | None] | None:
    month = parse_number(m.group("m"))
    if month is None or not 1 <= month <= 12:
        return None
    y = int(m.group("y")) if m.group("y") else year
    when = m.group("when")
    if strict and not (when or m.group("suf")):
        return m.start(), m.end(), None
    if when == "上旬":
        due = dt.date(y, month, 10)
    elif when == "中旬":
        due = dt.date(y, month, 20)
    else:  # 底/末/下旬, and "N月前" which the documents use for "by the end of N月"
        due = _month_end(y, month)
    return m.start(), m.end(), _dl(phrase=m.group(0), due=due)


@_pattern(rf"(?:(?P<y>\d{{4}})\s*年\s*)?(?P<h>上半年|下半年)(?P<suf>末|底|内|{_BEFORE})?", ("半年",))
def _half(m: re.Match[str], year: int, strict: bool) -> tuple[int, int, Deadline | None] | None:
    y = int(m.group("y")) if m.group("y") else year
    due = dt.date(y, 6, 30) if m.group("h") == "上半年" else dt.date(y, 12, 31)
    return m.start(), m.end(), _dl(phrase=m.group(0), due=due)


@_pattern(rf"(?:(?P<y>\d{{4}})\s*年\s*)?(?P<first>前)?第?(?P<q>[一二三四1-4１-４])季度(?P<suf>末|底|内|{_BEFORE})?", ("季度",))
def _quarter(m: re.Match[str], year: int, strict: bool) -> tuple[int, int, Deadline | None] | None:
    q = parse_number(m.group("q"))
    if q not in _QUARTER_END:
        return None
    y = int(m.group("y")) if m.group("y") else year
    return m.start(), m.end(), _dl(phrase=m.group(0), due=_month_end(y, _QUARTER_END[q]))


@_pattern(rf"(?P<y>\d{{4}})\s*年\s*(?:年底|年末|年内|年度内|度内|底|末|内)(?P<suf>{_BEFORE})?", ("年",))
def _year_end_of(m: re.Match[str], year: int, strict: bool) -> tuple[int, int, Deadline | None] | None:
    return m.start(), m.end(), _dl(phrase=m.group(0), due=dt.date(int(m.group("y")), 12, 31))


@_pattern(rf"{_NOT_NUM_BEFORE}(?:本年度内|本年底|本年内|今年底|今年内|年度内|年底|年末|年内)(?P<suf>{_BEFORE})?", ("年",))
def _year_end(m: re.Match[str], year: int, strict: bool) -> tuple[int, int, Deadline | None] | None:
    return m.start(), m.end(), _dl(phrase=m.group(0), due=dt.date(year, 12, 31))


@_pattern(r"(?P<y>\d{4})\s*年(?:以前|之前|前)", ("年",))
def _before_year(m: re.Match[str], year: int, strict: bool) -> tuple[int, int, Deadline | None] | None:
    return m.start(), m.end(), None  # "2025年前": by the end of 2024, or during 2025? ask the clerk


@_pattern(rf"(?<![\d])(?P<n>{N})\s*个?\s*(?:周|星期|个月|月|年)(?:内|以内|之内)", ("内",))
def _relative(m: re.Match[str], year: int, strict: bool) -> tuple[int, int, Deadline | None] | None:
    if not parse_number(m.group("n")):
        return None
    return m.start(), m.end(), None  # weeks/months/years from an unnamed start: no rule kind


def _scan(text: str, year: int, strict: bool) -> list[_Hit]:
    hits: list[_Hit] = []
    for priority, (regex, handler, needs) in enumerate(_compiled()):
        if needs and not any(n in text for n in needs):
            continue
        for m in regex.finditer(text):
            if m.end() == m.start():
                continue
            got = handler(m, year, strict)
            if got is not None and got[1] > got[0]:
                hits.append(_Hit(got[0], got[1], got[2], priority, m, handler))
    chosen: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (-(h.end - h.start), h.priority, h.start)):
        if all(hit.end <= c.start or hit.start >= c.end for c in chosen):
            chosen.append(hit)
    return _carry_years(text, sorted(chosen, key=lambda h: h.start), year, strict)


#: Phrases that take the plan year when they name none (``12月底前``, ``上半年``, ``三季度末``, ``年底前``).
_YEARLESS: tuple[_Handler, ...] = (_month, _month_day, _half, _quarter, _year_end)
#: What ends a phrase group: a year stated in one sentence does not carry into the next.
_GROUP_END = re.compile(r"[。！？；;\n]")


def _stated_year(hit: _Hit) -> int | None:
    """The year a phrase names itself (``2022年6月底前``, ``2022-06-30``, ``次年1月``), else None."""
    m = hit.match
    if m is None:
        return None
    y = m.groupdict().get("y")
    if y:
        return int(y)
    if hit.handler is _next_year and hit.deadline is not None and hit.deadline.due is not None:
        return hit.deadline.due.year
    return None


def _carry_years(text: str, hits: list[_Hit], year: int, strict: bool) -> list[_Hit]:
    """A year stated earlier in the same phrase group carries over to the phrases after it that name
    none: in “2022年6月底前完成试点，12月底前全面推开” the second date is 2022's December, whatever
    the plan year."""
    stated: int | None = None
    last = 0
    out: list[_Hit] = []
    for hit in hits:
        if stated is not None and _GROUP_END.search(text, last, hit.start):
            stated = None
        own = _stated_year(hit)
        if own is not None:
            stated = own
        elif stated is not None and stated != year and hit.handler in _YEARLESS and hit.match is not None:
            got = hit.handler(hit.match, stated, strict)  # type: ignore[misc]
            if got is not None:
                hit = _Hit(got[0], got[1], got[2], hit.priority, hit.match, hit.handler)
        out.append(hit)
        last = hit.end
    return out


def find_time_phrases(text: str) -> list[tuple[int, int, str]]:
    """Every time-like phrase of ``text`` as (start, end, phrase), in order.

    Includes the phrases that state a rule (``年底前``, ``每季度公开一次``, ``15日内``) and those
    that do not (``3个月内``, ``每两个月``, a bare date).
    """
    return [(h.start, h.end, h.phrase(text)) for h in _scan(text, 2000, strict=True)]


def _rule_key(d: Deadline) -> tuple[Any, ...]:
    return (d.due, d.every, d.count, d.per, d.workdays, d.days, d.after)


def extract(text: str, year: int, *, strict: bool = True) -> tuple[list[Deadline], list[tuple[int, int, str]]]:
    """The deadline rules stated in an item's ``text`` (of a plan of ``year``).

    Returns the rules as ``Deadline`` (``phrase`` = the phrase as written, plus the explicit
    keys due / every / count+per / workdays+after / days+after), one per distinct rule, and the time-like
    phrases that were not turned into a rule, as (start, end, phrase).  A bare date in a text
    is not taken as a deadline (it needs 前/截至/…); ``strict=False`` takes it, for a text known
    to state time limits only (a table's 完成时限 cell; ``resolve`` of a deadline phrase, where the
    clerk said it is the deadline).
    """
    rules: list[Deadline] = []
    seen: set[tuple[Any, ...]] = set()
    loose: list[tuple[int, int, str]] = []
    for hit in _scan(text, year, strict=strict):
        if hit.deadline is None:
            loose.append((hit.start, hit.end, hit.phrase(text)))
            continue
        key = _rule_key(hit.deadline)
        if key not in seen:
            seen.add(key)
            rules.append(hit.deadline)
    return rules, loose
