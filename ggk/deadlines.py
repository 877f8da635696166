"""Deadline rules: the time phrases of the documents, resolved and evaluated.

Owns: the phrase grammar (``find_time_phrases``, ``extract``), phrase/keys -> ``Rule``
(``resolve``), and ``evaluate(item, year, today)`` -> ``Timing`` (per rule a ``RuleState``:
due date, overdue days, periods and counts met).  Pure functions of their arguments: "today"
is always a parameter.  Working-day arithmetic is delegated to ``ggk.workdays``.

Five kinds of rule (``ggk.model.DeadlineKind``):

- once: a date (``2021年底前``, ``上半年``, ``三季度末``, ``2022年10月底前``); a date-only
  deadline means the whole day, so an item is overdue from the next day on;
- recurring: every month/quarter/half/year of the plan year (``每季度公开一次``); each period
  is its own obligation, met by a log entry dated inside it;
- count: at least N times per period (``每年解读重要政策措施不少于3次``), met by N entries;
- workdays: within N working days of an event (``文件公开后3个工作日内``); each log entry with
  ``event:`` is one obligation, met by its ``done:`` date;
- none: standing work (常态化), never overdue by date.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ggk.model import Deadline, DeadlineKind, Item, Status
from ggk.workdays import NUMBER, parse_number


@dataclass(frozen=True)
class Rule:
    kind: DeadlineKind
    phrase: str | None = None
    due: dt.date | None = None
    every: str | None = None
    count: int | None = None
    per: str | None = None
    workdays: int | None = None
    after: str | None = None


@dataclass(slots=True)
class RuleState:
    rule: Rule
    due: dt.date | None = None
    overdue_days: int | None = None
    due_in: int | None = None
    met: int | None = None
    required: int | None = None
    missed: list[str] = field(default_factory=list)
    behind_pace: bool = False
    detail: str = ""
    #: once rules of a done item: days the completion came after the due date (for the review)
    late_days: int | None = None
    #: e.g. the working days of a year no holiday source covers were counted by weekends only
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        r = self.rule
        return {
            "kind": r.kind.value,
            "phrase": r.phrase,
            "due": self.due.isoformat() if self.due else None,
            "every": r.every,
            "count": r.count,
            "per": r.per,
            "workdays": r.workdays,
            "after": r.after,
            "overdue_days": self.overdue_days,
            "due_in": self.due_in,
            "met": self.met,
            "required": self.required,
            "missed": list(self.missed),
            "behind_pace": self.behind_pace,
            "late_days": self.late_days,
            "detail": self.detail,
            "warnings": list(self.warnings),
        }


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
_PERIOD_CN = {"month": "月", "quarter": "季度", "half": "半年", "year": "年"}
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


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    deadline: Deadline | None  # None: a time phrase that states no rule we can evaluate
    priority: int

    def phrase(self, text: str) -> str:
        return text[self.start : self.end]


# A handler gets the match, the plan year and strictness and returns
# (start, end, deadline-or-None), or None when the match is no time phrase at all.
_Handler = Callable[[re.Match[str], int, bool], "tuple[int, int, Deadline | None] | None"]
#: (regex source, handler, needs); compiled on first use (``_compiled``): compiling them all costs a
#: report run ~10 ms of start-up, and a warm run that finds every phrase in the cache never needs them.
#: ``needs``: text every match contains one of (a literal the regex cannot match without), so a text
#: with none of them is skipped with a substring test — most texts have no "工作日", and the
#: working-day regex, which tries a lazy run of up to 12 characters at every position, cost half the
#: GGK212 scan of a province's plans.
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
    # number they checked is ≥ 1), and validating would make the first phrase a report reads build
    # the model's validator (~20 ms of a warm run; the models defer it until first use).
    return Deadline.model_construct(**keys)


def _span(m: re.Match[str]) -> tuple[int, int]:
    return m.start(), m.end()


@_pattern(rf"(?P<pre>[{_CJK}]{{0,12}}?)(?P<conn>之日起|之日后|之日|以后|之后|后|起)?\s*(?P<n>{N})\s*个?\s*工作日(?P<tail>内|以内|之内)?", ("工作日",))
def _workdays(m: re.Match[str], year: int, strict: bool) -> tuple[int, int, Deadline | None] | None:
    n = parse_number(m.group("n"))
    if not n:
        return None
    start = m.start("n")
    after = None
    if m.group("conn"):
        pre = m.group("pre")
        cut = max((pre.rfind(w) + len(w) for w in _EVENT_CUT if w in pre), default=0)
        event = pre[cut:]
        if event:
            after = event
            start = m.start("pre") + cut
        else:
            start = m.start("conn")
    phrase = m.string[start : m.end()]
    return start, m.end(), _dl(phrase=phrase, workdays=n, after=after)


@_pattern(rf"(?P<per>{_EVERY}|年内|全年|年度内)(?P<mid>[^，。；、,;:：（）()\n\s]{{0,20}}?)(?P<n>{N})\s*(?:次|回|场|遍)", ("次", "回", "场", "遍"))
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


@_pattern(rf"每(?:(?:{N})\s*个?)?(?:周|星期|日|天|工作日)|每(?:{N})\s*个?(?:月|季度|季|半年|年)", ("每",))
def _every_other(m: re.Match[str], year: int, strict: bool) -> tuple[int, int, Deadline | None] | None:
    if m.group(0) in ("每一月", "每一年", "每一季度", "每一季", "每一半年"):
        return None  # the every-period pattern owns these
    return m.start(), m.end(), None  # weekly/daily or every-two-months: no rule kind for it


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


@_pattern(rf"(?<![\d.\-/])(?P<pre>{_CUTOFF})?(?P<y>\d{{4}})[-/.](?P<m>\d{{1,2}})[-/.](?P<d>\d{{1,2}})(?![\d])(?P<suf>{_BEFORE})?", ("-", "/", "."))
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


@_pattern(rf"(?<![\d])(?P<n>{N})\s*个?\s*(?:自然日|日|天|周|星期|个月|月|年)(?:内|以内|之内)", ("内",))
def _relative(m: re.Match[str], year: int, strict: bool) -> tuple[int, int, Deadline | None] | None:
    if not parse_number(m.group("n")):
        return None
    return m.start(), m.end(), None  # calendar days/months from an unnamed start: no rule kind


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
                hits.append(_Hit(got[0], got[1], got[2], priority))
    chosen: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (-(h.end - h.start), h.priority, h.start)):
        if all(hit.end <= c.start or hit.start >= c.end for c in chosen):
            chosen.append(hit)
    return sorted(chosen, key=lambda h: h.start)


def find_time_phrases(text: str) -> list[tuple[int, int, str]]:
    """Every time-like phrase of ``text`` as (start, end, phrase), in order.

    Includes the phrases that state a rule (``年底前``, ``每季度公开一次``) and those that do
    not (``3日内``, ``每周``, a bare date).
    """
    return [(h.start, h.end, h.phrase(text)) for h in _scan(text, 2000, strict=True)]


def _rule_key(d: Deadline) -> tuple[Any, ...]:
    return (d.due, d.every, d.count, d.per, d.workdays, d.after)


def extract(text: str, year: int) -> tuple[list[Deadline], list[tuple[int, int, str]]]:
    """The deadline rules stated in an item's ``text`` (of a plan of ``year``).

    Returns the rules as ``Deadline`` (``phrase`` = the phrase as written, plus the explicit
    keys due / every / count+per / workdays+after), one per distinct rule, and the time-like
    phrases that were not turned into a rule, as (start, end, phrase).  A bare date in a text
    is not taken as a deadline (it needs 前/截至/…); ``resolve`` of a deadline phrase is
    more lenient, since there the clerk said it is the deadline.
    """
    rules: list[Deadline] = []
    seen: set[tuple[Any, ...]] = set()
    loose: list[tuple[int, int, str]] = []
    for hit in _scan(text, year, strict=True):
        if hit.deadline is None:
            loose.append((hit.start, hit.end, hit.phrase(text)))
            continue
        key = _rule_key(hit.deadline)
        if key not in seen:
            seen.add(key)
            rules.append(hit.deadline)
    return rules, loose


# =========================================================================== resolve

_STANDING = {"常态化", "长期", "持续", "none", "无", "长期坚持", "持续推进", "常态", "日常"}
_STANDING_RE = re.compile(r"常态化|长期|持续|日常|经常性")


#: _parse_phrase by (phrase, year): plans repeat a few dozen phrases thousands of times; callers only
#: read the result.  The parse cache saves what a workspace's phrases gave (``parsed_phrases``) and
#: gives it back on a warm run (``learn_phrases``): a report that finds all its phrases here compiles
#: no regex and scans no phrase (~10 ms of a warm run).
_PHRASES: dict[tuple[str, int], Deadline | None] = {}


def _parse_phrase(phrase: str, year: int) -> Deadline | None:
    """The one rule a deadline phrase states (lenient: a bare date counts); None if 0 or 2+."""
    key = (phrase, year)
    try:
        return _PHRASES[key]
    except KeyError:
        pass
    found = {_rule_key(h.deadline): h.deadline for h in _scan(phrase, year, strict=False) if h.deadline}
    if len(_PHRASES) > 4096:
        _PHRASES.clear()
    parsed = _PHRASES[key] = next(iter(found.values())) if len(found) == 1 else None
    return parsed


def parsed_phrases(keys: Iterable[tuple[str, int]]) -> list[tuple[str, int, Deadline | None]]:
    """What the deadline phrases ``keys`` (phrase as written, plan year) state, for the parse cache."""
    out = []
    for phrase, year in dict.fromkeys(keys):
        stripped = phrase.strip()
        if stripped:
            out.append((stripped, year, _parse_phrase(stripped, year)))
    return out


def learn_phrases(parsed: Iterable[tuple[str, int, Deadline | None]]) -> None:
    """Take what ``parsed_phrases`` gave (by this very version of ggk) as already parsed."""
    for phrase, year, deadline in parsed:
        _PHRASES.setdefault((phrase, year), deadline)


def _kind_of(d: Deadline) -> DeadlineKind | None:
    return d.explicit_kind()


_NO_RULE = Rule(DeadlineKind.NONE)
#: resolve() by (the deadline's keys, year): rules are frozen, and a province's plans repeat a few
#: hundred deadlines tens of thousands of times.
_RESOLVED: dict[tuple[Any, ...], Rule | None] = {}
#: deadline classes whose objects are immutable and hashable by value (``ggk.views.DeadlineView``
#: adds itself): such a deadline is its own key, without reading its keys one by one
HASHABLE: set[type] = set()


def resolve(deadline: Deadline | None, year: int) -> Rule | None:
    """The effective rule of an item's deadline; None when it is not understood.

    The explicit keys (due / every / count+per / workdays+after / kind) win over the phrase;
    what they leave open is read from the phrase.
    """
    if deadline is None:
        return _NO_RULE
    if type(deadline) in HASHABLE:
        key: tuple[Any, ...] = (deadline, year)
    else:
        key = (deadline.phrase, deadline.kind, deadline.due, deadline.every, deadline.count, deadline.per, deadline.workdays, deadline.after, year)
    try:
        return _RESOLVED[key]
    except KeyError:
        pass
    if len(_RESOLVED) > 65536:
        _RESOLVED.clear()
    rule = _RESOLVED[key] = _resolve(deadline, year)
    return rule


def _resolve(deadline: Deadline, year: int) -> Rule | None:
    phrase = (deadline.phrase or "").strip()
    parsed = _parse_phrase(phrase, year) if phrase else None
    kind = deadline.explicit_kind()
    if kind is None:
        if parsed is not None:
            kind = _kind_of(parsed)
        elif not phrase or phrase in _STANDING or _STANDING_RE.search(phrase):
            return Rule(DeadlineKind.NONE, deadline.phrase)
        else:
            return None
    p = parsed or _dl()
    if kind is DeadlineKind.NONE:
        return Rule(DeadlineKind.NONE, deadline.phrase)
    if kind is DeadlineKind.ONCE:
        due = deadline.due or p.due
        return Rule(kind, deadline.phrase, due=due) if due else None
    if kind is DeadlineKind.RECURRING:
        every = deadline.every or p.every or p.per
        return Rule(kind, deadline.phrase, every=every) if every else None
    if kind is DeadlineKind.COUNT:
        count = deadline.count or p.count
        per = deadline.per or p.per or p.every or "year"
        return Rule(kind, deadline.phrase, count=count, per=per) if count else None
    if kind is DeadlineKind.WORKDAYS:
        workdays = deadline.workdays or p.workdays
        after = deadline.after or p.after
        return Rule(kind, deadline.phrase, workdays=workdays, after=after) if workdays else None
    return None


# =========================================================================== evaluate


@dataclass(slots=True)
class Timing:
    """Every rule of one item evaluated at one date, and their sum for the ledger.

    The sums are computed once, when the timing is made (reports read them several times per row);
    ``states`` is not changed afterwards."""

    states: list[RuleState]
    unresolved: list[str] = field(default_factory=list)  # phrases not understood
    #: the most days overdue of any rule (None: none is overdue)
    overdue_days: int | None = field(init=False, repr=False, compare=False)
    #: the fewest days until a rule is due (None: none is coming)
    due_in: int | None = field(init=False, repr=False, compare=False)
    #: the most urgent date: the oldest missed one, else the next one, else the latest date of any rule
    due: dt.date | None = field(init=False, repr=False, compare=False)
    #: the rule to show in one column: overdue first, then the nearest due
    primary: RuleState = field(init=False, repr=False, compare=False)
    #: no rule has a date (常态化)
    standing: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.states) == 1:  # most items: what the loop below gives for one state, directly
            s = self.primary = self.states[0]
            self.overdue_days, self.due_in, self.due = s.overdue_days, s.due_in, s.due
            self.standing = s.rule.kind is DeadlineKind.NONE
            return
        late: RuleState | None = None  # the first of the most overdue
        soon: RuleState | None = None  # the first of the nearest due
        standing = True
        for s in self.states:
            if s.overdue_days is not None and (late is None or s.overdue_days > (late.overdue_days or 0)):
                late = s
            if s.due_in is not None and (soon is None or s.due_in < (soon.due_in or 0)):
                soon = s
            if s.rule.kind is not DeadlineKind.NONE:
                standing = False
        self.overdue_days = late.overdue_days if late is not None else None
        self.due_in = soon.due_in if soon is not None else None
        if late is not None:
            self.due = late.due
        elif soon is not None:
            self.due = soon.due
        else:
            dated = [s.due for s in self.states if s.due is not None]
            self.due = max(dated) if dated else None
        self.standing = standing
        if self.states:
            self.primary = max(self.states, key=lambda s: (s.overdue_days or -1, -(s.due_in if s.due_in is not None else 10**6)))
        else:
            self.primary = RuleState(Rule(DeadlineKind.NONE))

    @property
    def behind_pace(self) -> bool:
        return any(s.behind_pace for s in self.states)

    @property
    def warnings(self) -> list[str]:
        out: list[str] = []
        for s in self.states:
            out.extend(w for w in s.warnings if w not in out)
        return out


@dataclass(frozen=True)
class _Period:
    label: str
    start: dt.date
    end: dt.date


def periods(year: int, per: str) -> list[_Period]:
    """The periods of a plan year: 12 months, 4 quarters, 2 halves or the year."""
    return list(_periods(year, per))


@functools.lru_cache(maxsize=256)
def _periods(year: int, per: str) -> tuple[_Period, ...]:
    return tuple(_make_periods(year, per))


def _make_periods(year: int, per: str) -> list[_Period]:
    if per == "month":
        return [_Period(f"{m}月", dt.date(year, m, 1), _month_end(year, m)) for m in range(1, 13)]
    if per == "quarter":
        return [_Period(f"第{q}季度", dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q)) for q in range(1, 5)]
    if per == "half":
        return [
            _Period("上半年", dt.date(year, 1, 1), dt.date(year, 6, 30)),
            _Period("下半年", dt.date(year, 7, 1), dt.date(year, 12, 31)),
        ]
    return [_Period(f"{year}年", dt.date(year, 1, 1), dt.date(year, 12, 31))]


def _pace_expected(n: int, p: _Period, today: dt.date) -> int:
    """Entries a steady pace would have by ``today``: floor(n * elapsed share of the period)."""
    if today < p.start:
        return 0
    total = (p.end - p.start).days + 1
    elapsed = min((today - p.start).days + 1, total)
    return n * elapsed // total


def _evaluate_once(state: RuleState, item: Item, today: dt.date) -> RuleState:
    due = state.rule.due
    assert due is not None
    if item.status is Status.CANCELLED:
        state.detail = "已取消"
        return state
    if item.status is Status.DONE:
        if item.completed is not None and item.completed > due:
            state.late_days = (item.completed - due).days
            state.detail = f"已完成（逾期{state.late_days}天）"
        else:
            state.detail = "已完成"
        return state
    delta = (today - due).days
    if delta > 0:
        state.overdue_days = delta
        state.detail = f"逾期{delta}天"
    else:
        state.due_in = -delta
        state.detail = "今日到期" if delta == 0 else f"剩{-delta}天"
    return state


#: months per period: a logged date's period is found by its month (the periods tile the year)
_MONTHS = {"month": 1, "quarter": 3, "half": 6}


def _periodic_rows(rule: Rule, item: Item, year: int, today: dt.date, since: dt.date | None) -> list[tuple[_Period, int]]:
    """The periods of the plan year that count (a suffix of them: those not over before ``since``),
    each with the entries logged in it by ``today``."""
    per = (rule.every if rule.kind is DeadlineKind.RECURRING else rule.per) or "year"
    periods = _periods(year, per)
    counts = [0] * len(periods)
    months = _MONTHS.get(per, 12)
    for e in item.log:
        d = e.date
        if e.counts and d.year == year and d <= today:  # as of today, not after
            counts[(d.month - 1) // months] += 1
    rows = list(zip(periods, counts, strict=True))
    if since is not None:
        rows = [(p, got) for p, got in rows if p.end >= since]  # periods before the plan took effect
    return rows


def _evaluate_periodic(state: RuleState, item: Item, year: int, today: dt.date, since: dt.date | None) -> RuleState:
    rule = state.rule
    recurring = rule.kind is DeadlineKind.RECURRING
    per = (rule.every if recurring else rule.per) or "year"
    n = 1 if recurring else (rule.count or 1)
    closed = item.status in (Status.DONE, Status.CANCELLED)
    rows = _periodic_rows(rule, item, year, today, since)
    if not rows:
        state.detail = "本年度无应落实周期"
        return state

    if not recurring and per == "year":
        p, got = rows[0]
        state.met, state.required = got, n
        state.due = p.end
        text = f"{got}/{n} 次"
        if got >= n:
            state.detail = text
        elif today > p.end:
            state.missed = [p.label]
            if not closed:
                state.overdue_days = (today - p.end).days
                text += "，未完成"
            state.detail = text
        else:
            if not closed:
                state.due_in = (p.end - today).days
                state.behind_pace = got < _pace_expected(n, p, today)
            state.detail = text + ("，落后进度" if state.behind_pace else "")
        if item.status is Status.CANCELLED:
            state.detail = "已取消"
        return state

    ended = [(p, got) for p, got in rows if today > p.end]
    current = next(((p, got) for p, got in rows if p.start <= today <= p.end), None)
    missed = [p for p, got in ended if got < n]
    current_met = current is not None and current[1] >= n
    state.met = sum(got >= n for _, got in ended) + current_met
    state.required = len(ended) + current_met
    state.missed = [p.label for p in missed]
    head = f"每{_PERIOD_CN.get(per, per)}" if recurring else f"每{_PERIOD_CN.get(per, per)}至少{n}次"
    parts = [f"{head} {state.met}/{state.required}"] if state.required else [head]
    if missed:
        parts.append(f"{'、'.join(p.label for p in missed)}未落实")
    if current is not None and not current_met and n > 1:
        parts.append(f"{current[0].label} {current[1]}/{n}")
    if missed and not closed:
        state.due = missed[0].end
        state.overdue_days = (today - missed[0].end).days
    else:
        upcoming = [(p, got) for p, got in rows if p.end >= today and got < n]
        if upcoming:
            state.due = upcoming[0][0].end
            if not closed:
                state.due_in = (state.due - today).days
        else:
            state.due = rows[-1][0].end
    if current is not None and not current_met and not closed:
        state.behind_pace = current[1] < _pace_expected(n, current[0], today)
        if state.behind_pace:
            parts.append("落后进度")
    state.detail = "已取消" if item.status is Status.CANCELLED else "，".join(parts)
    return state


def _evaluate_workdays(state: RuleState, item: Item, today: dt.date, calendar: Any) -> RuleState:
    from ggk.workdays import WorkCalendar

    rule = state.rule
    n = rule.workdays or 0
    cal = calendar if calendar is not None else WorkCalendar()
    closed = item.status in (Status.DONE, Status.CANCELLED)
    head = f"{n}个工作日内"
    events = [e for e in item.log if e.event is not None and e.event <= today]
    if not events:
        state.met, state.required = 0, 0
        state.detail = "已取消" if item.status is Status.CANCELLED else f"{head}：暂无事件"
        return state
    on_time = 0
    late: list[tuple[dt.date, int]] = []  # (limit, days late), done late or open past the limit
    pending: list[dt.date] = []  # open, limit not yet passed
    open_limits: list[dt.date] = []
    years: set[int] = set()
    for e in sorted(events, key=lambda e: e.event or today):
        assert e.event is not None
        limit = cal.add_workdays(e.event, n)
        years.update({e.event.year, limit.year})
        if e.done is not None and e.done <= today:
            if e.done > limit:
                late.append((limit, (e.done - limit).days))
                state.missed.append(f"{e.event.isoformat()}（逾期{(e.done - limit).days}天完成）")
            else:
                on_time += 1
        elif today > limit:
            open_limits.append(limit)
            late.append((limit, (today - limit).days))
            state.missed.append(f"{e.event.isoformat()}（逾期{(today - limit).days}天未完成）")
        else:
            open_limits.append(limit)
            pending.append(limit)
    for year in sorted(years):
        state.warnings.extend(w for w in cal.check_year(year) if w not in state.warnings)
    state.met, state.required = on_time, len(events)
    if late and not closed:
        worst = max(late, key=lambda x: x[1])
        state.overdue_days = worst[1]
    if open_limits:
        state.due = min(open_limits)
    elif late:
        state.due = max(late, key=lambda x: x[1])[0]
    if pending and not closed:
        state.due_in = (min(pending) - today).days
    parts = []
    if late:
        parts.append(f"{len(late)}件逾期")
    if pending:
        parts.append(f"{len(pending)}件待办（{min(pending):%m-%d}前）")
    if on_time:
        parts.append(f"{on_time}件按时")
    state.detail = "已取消" if item.status is Status.CANCELLED else f"{head}：{'，'.join(parts)}"
    return state


def evaluate_rule(
    rule: Rule,
    item: Item,
    year: int,
    today: dt.date,
    calendar: Any = None,
    *,
    since: dt.date | None = None,
) -> RuleState:
    """One rule of ``item`` as of ``today``.

    ``calendar`` is a ``ggk.workdays.WorkCalendar`` (default: the library only, no holiday
    files).  ``since`` (e.g. the plan's issue date) exempts periods that ended before it.
    Items 已取消 are never overdue; 已完成 items are not overdue.
    """
    state = RuleState(rule, due=rule.due)
    if rule.kind is DeadlineKind.ONCE and rule.due is not None:
        return _evaluate_once(state, item, today)
    if rule.kind in (DeadlineKind.RECURRING, DeadlineKind.COUNT):
        return _evaluate_periodic(state, item, year, today, since)
    if rule.kind is DeadlineKind.WORKDAYS:
        return _evaluate_workdays(state, item, today, calendar)
    state.detail = "已取消" if item.status is Status.CANCELLED else "常态化"
    return state


class SharedTimings(dict[tuple[Any, ...], Timing]):
    """Timings at one date that items may share (``evaluate(memo=…)``): a province's plans hold
    thousands of items whose one rule, status and logged periods are alike, and whose timings are
    therefore equal.  Timings are never changed once made, so such items get the same object."""

    def __init__(self, today: dt.date) -> None:
        super().__init__()
        self.today = today


def _shared_key(item: Item, year: int, today: dt.date, since: dt.date | None) -> tuple[Any, ...] | None:
    """What the timing of ``item`` depends on, when it has one rule whose evaluation reads nothing
    else (a date, a period rule); None for the others (working days, several rules, not understood)."""
    if len(item.deadline) != 1:
        return None
    rule = resolve(item.deadline[0], year)
    if rule is None:
        return None
    kind = rule.kind
    # the rule by identity: resolved rules are kept (``_RESOLVED``, and the timing in the memo)
    if kind is DeadlineKind.ONCE and rule.due is not None:
        return (id(rule), item.status, item.completed)
    if kind is DeadlineKind.RECURRING or kind is DeadlineKind.COUNT:
        rows = _periodic_rows(rule, item, year, today, since)
        # the rows are a suffix of the year's periods: their number and counts say which and what
        return (id(rule), item.status, year, len(rows), *[got for _p, got in rows])
    return None


def evaluate(
    item: Item,
    year: int,
    today: dt.date,
    calendar: Any = None,
    *,
    since: dt.date | None = None,
    memo: SharedTimings | None = None,
) -> Timing:
    """Evaluate every deadline rule of ``item`` (of a plan of ``year``) as of ``today``.

    ``memo`` (for ``today``): items whose timing is bound to be equal share one ``Timing``.
    """
    if memo is not None and memo.today == today:
        key = _shared_key(item, year, today, since)
        if key is not None:
            timing = memo.get(key)
            if timing is None:
                timing = memo[key] = _evaluate(item, year, today, calendar, since)
            return timing
    return _evaluate(item, year, today, calendar, since)


def _evaluate(item: Item, year: int, today: dt.date, calendar: Any, since: dt.date | None) -> Timing:
    if calendar is None and any(d.workdays or "工作日" in (d.phrase or "") for d in item.deadline):
        from ggk.workdays import WorkCalendar

        calendar = WorkCalendar()  # one per item, not one per rule
    states: list[RuleState] = []
    unresolved: list[str] = []
    deadlines: list[Deadline] | list[None] = item.deadline or [None]
    for deadline in deadlines:
        rule = resolve(deadline, year)
        if rule is None:
            unresolved.append(deadline.phrase or "" if deadline else "")
            continue
        states.append(evaluate_rule(rule, item, year, today, calendar, since=since))
    if not states:
        states.append(RuleState(Rule(DeadlineKind.NONE), detail="常态化"))
    return Timing(states, unresolved)
