"""Chinese working days: State Council holidays, 调休 make-up days, deadline arithmetic.

Owns ``WorkCalendar`` (is this date a working day, and why; the N-th working day after a
date), the office's holiday files ``plans/_holidays/<year>.yaml`` (format, loading and
validation) and the small parsers for amounts such as ``7个工作日`` or ``3天``.

Where the answers come from, per year:

1. the ``chinesecalendar`` package (module ``chinese_calendar``), which carries every
   国务院办公厅 holiday notice it was released with (2004–2026 in 1.11);
2. otherwise the office's own file ``<holiday_dir>/<year>.yaml``, typed from the notice;
3. otherwise weekends and the holidays fixed by the calendar date (元旦, 劳动节, 国庆节 of the
   《全国年节及纪念日放假办法》: their days are known before the year's notice, only the
   调休 around them is not) — and the calendar then says so in ``warnings``: a deadline
   computed without the holidays of its year must never look as certain as one computed
   with them.

Nothing here reads the clock: every date is a parameter.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, NamedTuple

HOLIDAY_FORMAT_VERSION = 1

WEEKDAYS = "一二三四五六日"

#: chinese_calendar's holiday names -> the names used in the notices.
_LIBRARY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


#: The holidays the 《全国年节及纪念日放假办法》 (国务院令第795号, in force from 2025-01-01) fixes by the
#: calendar date: known for every year before its notice; the lunar ones (春节, 清明, 端午, 中秋) and
#: the 调休 are not.
_FIXED_HOLIDAYS = {(1, 1): "元旦", (5, 1): "劳动节", (5, 2): "劳动节", (10, 1): "国庆节", (10, 2): "国庆节", (10, 3): "国庆节"}


def weekday_name(d: dt.date) -> str:
    """``星期四`` for a Thursday."""
    return "星期" + WEEKDAYS[d.weekday()]


# --------------------------------------------------------------------------- numbers

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")

#: A number as the documents write it: ``3``, ``３``, ``三``, ``十``, ``十五``, ``二十``, ``两``.
NUMBER = r"[0-9０-９]+|[零〇一二两三四五六七八九十百千]+"


def parse_number(text: str) -> int | None:
    """``"7"`` -> 7, ``"十"`` -> 10, ``"二十一"`` -> 21, ``"一〇"`` -> 10; None when not a number."""
    s = text.strip().translate(_FULLWIDTH)
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if any(c not in _CN_DIGITS and c not in _CN_UNITS for c in s):
        return None
    if not any(c in _CN_UNITS for c in s):
        # digit by digit, as in 二〇二一
        return int("".join(str(_CN_DIGITS[c]) for c in s))
    total = 0
    current = 0
    for c in s:
        if c in _CN_DIGITS:
            current = _CN_DIGITS[c]
        else:
            total += (current or 1) * _CN_UNITS[c]
            current = 0
    return total + current


class Offset(NamedTuple):
    """An amount of time: ``n`` working days or calendar days."""

    n: int
    unit: Literal["workdays", "days"]

    def label(self) -> str:
        return f"{self.n}个工作日" if self.unit == "workdays" else f"{self.n}天"


_OFFSET = re.compile(rf"^\s*(?P<sign>[+-]?)\s*(?P<n>{NUMBER})\s*(?:个)?\s*(?P<unit>工作日|自然日|天|日)\s*(?:内|以内|之内)?\s*$")


def parse_offset(text: str) -> Offset:
    """``7工作日`` / ``7个工作日`` / ``七个工作日`` / ``3天`` / ``3日`` -> Offset; ValueError otherwise."""
    m = _OFFSET.match(text)
    n = parse_number(m.group("n")) if m else None
    if m is None or n is None:
        raise ValueError(f"看不懂时长「{text}」，应写作 7工作日、7个工作日、十个工作日 或 3天")
    if m.group("sign") == "-":
        n = -n
    return Offset(n, "workdays" if m.group("unit") == "工作日" else "days")


# --------------------------------------------------------------------------- holiday files


class HolidayProblem(NamedTuple):
    """A problem in a holiday file at (1-based line, 1-based column)."""

    line: int
    col: int
    message: str


@dataclass
class HolidayFile:
    """The holiday arrangement of one year as the office typed it from the notice."""

    year: int
    notice: str
    holidays: dict[dt.date, str]  # day off -> holiday name
    workdays: dict[dt.date, str]  # 调休上班 weekend day -> holiday it makes up for
    path: Path | None = None


_TOP_KEYS = {"format", "year", "notice", "title", "published", "holidays", "workdays", "remark"}
_HOLIDAY_KEYS = {"name", "start", "end", "remark"}
_WORKDAY_KEYS = {"date", "name", "remark"}


def _suggest(key: str, known: set[str]) -> str:
    import difflib

    close = difflib.get_close_matches(key, sorted(known), n=1)
    return f"，是否想写 {close[0]}？" if close else f"，可用：{'、'.join(sorted(known))}"


def parse_holiday_text(text: str, year: int | None = None) -> tuple[HolidayFile | None, list[HolidayProblem]]:
    """Read a holiday file's text; ``year`` is the year its file name claims.

    Returns the file (None when it cannot be used at all) and every problem found.  A file
    with any problem is not used for counting working days (the caller warns): a half-read
    holiday list would give wrong deadlines that look right.
    """
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    from ggk.yamlfiles.dialect import ruamel_round_trip

    problems: list[HolidayProblem] = []

    def add(pos: tuple[int, int] | None, message: str) -> None:
        line, col = pos if pos else (0, 0)
        problems.append(HolidayProblem(line + 1, col + 1, message))

    try:
        data = ruamel_round_trip().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = (mark.line, mark.column) if mark else None
        add(pos, f"YAML 语法错误：{exc.problem or exc.context}")
        return None, problems
    except YAMLError as exc:
        add(None, f"YAML 语法错误：{exc}")
        return None, problems

    if not isinstance(data, dict):
        add(None, "节假日文件应是一个映射（format/year/notice/holidays/workdays）")
        return None, problems

    def key_pos(node: Any, key: str) -> tuple[int, int] | None:
        try:
            return tuple(node.lc.key(key))  # type: ignore[return-value]
        except Exception:
            return None

    def value_pos(node: Any, key: str) -> tuple[int, int] | None:
        try:
            return tuple(node.lc.value(key))  # type: ignore[return-value]
        except Exception:
            return key_pos(node, key)

    def item_pos(node: Any, index: int) -> tuple[int, int] | None:
        try:
            return tuple(node.lc.item(index))  # type: ignore[return-value]
        except Exception:
            return None

    for key in data:
        if str(key) not in _TOP_KEYS:
            add(key_pos(data, key), f"未知字段 {key}{_suggest(str(key), _TOP_KEYS)}")

    fmt = data.get("format", HOLIDAY_FORMAT_VERSION)
    if fmt != HOLIDAY_FORMAT_VERSION:
        add(value_pos(data, "format"), f"不支持的格式版本 {fmt}（本程序读取版本 {HOLIDAY_FORMAT_VERSION}）")

    file_year = data.get("year")
    if "year" not in data:
        add(None, "缺少 year（年度），如 year: 2030")
        file_year = year
    elif not isinstance(file_year, int) or isinstance(file_year, bool) or not 1949 < file_year < 2200:
        add(value_pos(data, "year"), f"year 应是四位年份，而不是「{file_year}」")
        file_year = year
    elif year is not None and file_year != year:
        add(value_pos(data, "year"), f"year: {file_year} 与文件名年度 {year} 不一致")

    notice = data.get("notice")
    if not notice or not str(notice).strip():
        add(key_pos(data, "notice"), "缺少 notice（依据的通知文号），如 notice: 国办发明电〔2029〕7号")

    def as_date(node: Any, key: str, label: str) -> dt.date | None:
        value = node.get(key)
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            if file_year is not None and not (dt.date(file_year - 1, 12, 1) <= value <= dt.date(file_year, 12, 31)):
                add(value_pos(node, key), f"{label} {value} 不在 {file_year} 年度内")
                return None
            return value
        add(value_pos(node, key), f"{label}「{value}」不是日期，应写作 {file_year or 2030}-10-01")
        return None

    holidays: dict[dt.date, str] = {}
    workdays: dict[dt.date, str] = {}
    seen_at: dict[dt.date, str] = {}

    raw_holidays = data.get("holidays")
    if raw_holidays is None:
        add(None, "缺少 holidays（放假安排）")
        raw_holidays = []
    if not isinstance(raw_holidays, list):
        add(value_pos(data, "holidays"), "holidays 应是列表，每项含 name、start、end")
        raw_holidays = []
    for i, entry in enumerate(raw_holidays):
        where = item_pos(raw_holidays, i)
        if not isinstance(entry, dict):
            add(where, "holidays 的每一项应含 name、start、end")
            continue
        for key in entry:
            if str(key) not in _HOLIDAY_KEYS:
                add(key_pos(entry, key), f"未知字段 {key}{_suggest(str(key), _HOLIDAY_KEYS)}")
        name = str(entry.get("name") or "").strip()
        if not name:
            add(where, "放假安排缺少 name（节日名称），如 name: 国庆节")
        if "start" not in entry:
            add(where, "放假安排缺少 start（放假第一天）")
            continue
        start = as_date(entry, "start", "start")
        end = as_date(entry, "end", "end") if "end" in entry else start
        if start is None or end is None:
            continue
        if end < start:
            add(value_pos(entry, "end"), f"end {end} 早于 start {start}")
            continue
        if (end - start).days > 15:
            add(value_pos(entry, "end"), f"{name}放假 {start} 至 {end} 超过 15 天，请核对")
            continue
        off = start
        while off <= end:
            if off in seen_at:
                add(where, f"{off} 已在 {seen_at[off]} 中出现")
            else:
                holidays[off] = name or "节假日"
                seen_at[off] = f"{name}放假"
            off += dt.timedelta(days=1)

    raw_workdays = data.get("workdays", [])
    if raw_workdays is None:
        raw_workdays = []
    if not isinstance(raw_workdays, list):
        add(value_pos(data, "workdays"), "workdays 应是列表，每项含 date、name")
        raw_workdays = []
    for i, entry in enumerate(raw_workdays):
        where = item_pos(raw_workdays, i)
        if isinstance(entry, dt.date):  # shorthand: a bare date
            day: dt.date | None = entry
            name = ""
            pos = where
            if file_year is not None and not (dt.date(file_year - 1, 12, 1) <= entry <= dt.date(file_year, 12, 31)):
                add(where, f"date {entry} 不在 {file_year} 年度内")
                continue
        elif isinstance(entry, dict):
            for key in entry:
                if str(key) not in _WORKDAY_KEYS:
                    add(key_pos(entry, key), f"未知字段 {key}{_suggest(str(key), _WORKDAY_KEYS)}")
            if "date" not in entry:
                add(where, "调休上班日缺少 date")
                continue
            day = as_date(entry, "date", "date")
            name = str(entry.get("name") or "").strip()
            pos = value_pos(entry, "date")
        else:
            add(where, f"调休上班日「{entry}」应含 date、name，如 {{date: {file_year or 2030}-09-28, name: 国庆节}}")
            continue
        if day is None:
            continue
        if day.weekday() < 5:
            add(pos, f"调休上班日 {day} 是{weekday_name(day)}，本来就是工作日；调休上班日应是周六或周日")
        elif day in seen_at:
            add(pos, f"{day} 已在 {seen_at[day]} 中出现")
        else:
            workdays[day] = name
            seen_at[day] = "调休上班"

    if problems or file_year is None:
        return None, problems
    return HolidayFile(file_year, str(notice).strip(), holidays, workdays), problems


def holiday_path(holiday_dir: Path, year: int) -> Path:
    return Path(holiday_dir) / f"{year}.yaml"


def holiday_files(holiday_dir: Path | None) -> list[Path]:
    """The holiday files in ``holiday_dir`` (``<year>.yaml``), sorted; other names are ignored."""
    if holiday_dir is None or not Path(holiday_dir).is_dir():
        return []
    return sorted(p for p in Path(holiday_dir).glob("*.yaml") if p.is_file())


def validate_holiday_file(path: Path) -> list[HolidayProblem]:
    """Every problem of one holiday file as (line, col, message); [] when it is fine."""
    path = Path(path)
    if not re.fullmatch(r"\d{4}", path.stem):
        return [HolidayProblem(1, 1, f"节假日文件名应是年度，如 2030.yaml，而不是 {path.name}")]
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [HolidayProblem(1, 1, f"无法读取：{exc}")]
    return parse_holiday_text(text, int(path.stem))[1]


def load_holiday_file(path: Path) -> tuple[HolidayFile | None, list[HolidayProblem]]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [HolidayProblem(1, 1, f"无法读取：{exc}")]
    year = int(path.stem) if re.fullmatch(r"\d{4}", path.stem) else None
    hf, problems = parse_holiday_text(text, year)
    if hf is not None:
        hf.path = path
    return hf, problems


# --------------------------------------------------------------------------- the calendar

Source = Literal["library", "file", "weekends"]


class WorkCalendar:
    """Working days of the Chinese government, year by year (see the module docstring).

    ``holiday_dir`` is the office's folder of holiday files (normally ``plans/_holidays``);
    None means the library only.  The calendar remembers, in ``warnings``, every year it was
    asked about that neither source covers, and every holiday file it could not use.
    """

    def __init__(self, holiday_dir: Path | None = None) -> None:
        self.holiday_dir = Path(holiday_dir) if holiday_dir is not None else None
        self._sources: dict[int, Source] = {}
        self._files: dict[int, HolidayFile | None] = {}
        self._warnings: dict[int, list[str]] = {}
        #: is_workday answers, a dict per year, and add_workdays answers: deadlines of many items count
        #: from the same few event dates, and each count walks day by day.
        self._days: dict[int, dict[dt.date, tuple[bool, str]]] = {}
        self._added: dict[tuple[dt.date, int], dt.date] = {}
        self._works: dict[dt.date, bool] = {}
        self._years: dict[int, list[int] | None] = {}

    # -- coverage

    def source(self, year: int) -> Source:
        """Where the holidays of ``year`` come from: library, file, or weekends (unknown)."""
        if year not in self._sources:
            self._sources[year] = self._find_source(year)
        return self._sources[year]

    def _find_source(self, year: int) -> Source:
        if _library_year(year) is not None:
            return "library"
        if self._file(year) is not None:
            return "file"
        return "weekends"

    def _file(self, year: int) -> HolidayFile | None:
        if year in self._files:
            return self._files[year]
        hf: HolidayFile | None = None
        if self.holiday_dir is not None:
            path = holiday_path(self.holiday_dir, year)
            if path.is_file():
                hf, problems = load_holiday_file(path)
                if hf is None:
                    first = problems[0] if problems else HolidayProblem(1, 1, "无法读取")
                    self._warnings.setdefault(year, []).append(
                        f"节假日文件 {path} 有 {len(problems)} 处错误，未使用（第{first.line}行：{first.message}；运行 ggk check 查看全部）"
                    )
        self._files[year] = hf
        return hf

    def notice(self, year: int) -> str | None:
        """The notice a file-covered year comes from (None for library or unknown years)."""
        hf = self._file(year) if self.source(year) == "file" else None
        return hf.notice if hf else None

    def check_year(self, year: int) -> list[str]:
        """Warnings for ``year`` (empty when its holidays are known)."""
        if self.source(year) == "weekends" and not any("节假日安排未知" in w for w in self._warnings.get(year, [])):
            where = (
                f"也没有节假日文件 {holiday_path(self.holiday_dir, year)}" if self.holiday_dir is not None else "也没有指定节假日文件目录"
            )
            self._warnings.setdefault(year, []).append(
                f"{year}年的节假日安排未知：节假日库（chinesecalendar）不含该年，{where}。"
                f"该年只按周末和按日期固定的节日（元旦、劳动节、国庆节）计算工作日，春节等农历节日和调休未计入，"
                f"工作日时限可能偏早；"
                f"请按国务院办公厅通知填写 {year}.yaml。"
            )
        return list(self._warnings.get(year, []))

    @property
    def warnings(self) -> list[str]:
        """Every warning for the years consulted so far, oldest year first."""
        return [w for year in sorted(self._warnings) for w in self._warnings[year]]

    # -- days

    def is_workday(self, d: dt.date) -> tuple[bool, str]:
        """Whether ``d`` is a working day, and why (工作日 / 周末 / 国庆节放假 / 调休上班（国庆节）…)."""
        days = self._days.get(d.year)
        if days is None:
            days = self._days[d.year] = {}
        answer = days.get(d)
        if answer is None:
            answer = days[d] = self._is_workday(d)
        return answer

    def _is_workday(self, d: dt.date) -> tuple[bool, str]:
        source = self.source(d.year)
        weekend = d.weekday() >= 5
        if source == "library":
            table = _library_year(d.year)
            assert table is not None  # the source is "library" only for the years it covers
            # What chinese_calendar.get_holiday_detail answers: make-up working days first.
            if d in table[1]:
                off, name = False, table[1][d]
            elif d in table[0]:
                off, name = True, table[0][d]
            else:
                off, name = weekend, None
            cn = _LIBRARY_NAMES.get(str(name), str(name)) if name else None
            if off:
                return False, f"{cn}放假" if cn else "周末"
            if weekend:
                return True, f"调休上班（{cn}）" if cn else "调休上班"
            return True, "工作日"
        if source == "file" or self._file_next_covers(d):
            for hf in (self._file(d.year), self._file(d.year + 1)):
                if hf is None:
                    continue
                if d in hf.holidays:
                    return False, _off_reason(hf.holidays[d])
                if d in hf.workdays:
                    name = hf.workdays[d]
                    return True, f"调休上班（{name}）" if name else "调休上班"
            return (False, "周末") if weekend else (True, "工作日")
        self.check_year(d.year)
        fixed = _FIXED_HOLIDAYS.get((d.month, d.day))
        if fixed is not None:
            return False, f"{fixed}放假（{d.year}年节假日安排未知，按法定日期）"
        if weekend:
            return False, f"周末（{d.year}年节假日安排未知）"
        return True, f"工作日（{d.year}年节假日安排未知，仅按周末和法定日期计算）"

    def works(self, d: dt.date) -> bool:
        """``is_workday(d)[0]`` without the reason: what ``add_workdays`` counts, day by day (the
        reasons' texts were most of the cost of a report's first working-day deadlines)."""
        known = self._works.get(d)
        if known is None:
            table = _library_year(d.year) if self.source(d.year) == "library" else None
            if table is not None:  # make-up working days, then holidays, then weekends (as is_workday)
                known = d in table[1] or (d not in table[0] and d.weekday() < 5)
            else:
                known = self.is_workday(d)[0]
            self._works[d] = known
        return known

    def _file_next_covers(self, d: dt.date) -> bool:
        # A notice for year Y may start the 元旦 break on Dec 30/31 of Y-1.
        if d.month != 12:
            return False
        hf = self._file(d.year + 1) if self.source(d.year + 1) == "file" else None
        return hf is not None and (d in hf.holidays or d in hf.workdays)

    def add_workdays(self, d: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``d`` (before it when ``n`` < 0); ``d`` itself when 0.

        ``add_workdays(2021-09-29, 7)`` is 2021-10-14: the count starts the day after the
        event and skips the National Day break while counting the 调休 Saturday.
        """
        known = self._added.get((d, n))
        if known is None:
            known = self._added[(d, n)] = self._count_workdays(d, n)
        return known

    def _count_workdays(self, d: dt.date, n: int) -> dt.date:
        # Day by day, asking ``works``; through a year the library covers, by its list of working days.
        step = 1 if n >= 0 else -1
        left = abs(n)
        o = d.toordinal()
        guard = 0
        while left:
            year = dt.date.fromordinal(o + step).year
            days = self._library_workdays(year)
            if days is not None:
                if step > 0:
                    i = bisect.bisect_right(days, o)  # days[i:]: that year's working days after o
                    if left <= len(days) - i:
                        return dt.date.fromordinal(days[i + left - 1])
                    left -= len(days) - i
                    o = dt.date(year, 12, 31).toordinal()
                else:
                    i = bisect.bisect_left(days, o)  # days[:i]: those before o
                    if left <= i:
                        return dt.date.fromordinal(days[i - left])
                    left -= i
                    o = dt.date(year, 1, 1).toordinal()
                continue
            o += step
            if self.works(dt.date.fromordinal(o)):
                left -= 1
            guard += 1
            if guard > 40 * abs(n) + 60:  # a year of holidays typed wrongly must not hang us
                raise ValueError(f"无法从 {d} 数 {n} 个工作日：节假日数据有误")
        return dt.date.fromordinal(o)

    def _library_workdays(self, year: int) -> list[int] | None:
        """The working days (ordinals, in order) of a year the library covers; None for other years."""
        if year in self._years:
            return self._years[year]
        days = None
        table = _library_year(year) if self.source(year) == "library" else None
        if table is not None:  # as ``works``: make-up working days, then holidays, then weekends
            off = {h.toordinal() for h in table[0]}
            on = {w.toordinal() for w in table[1]}
            first, last = dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal()
            days = [o for o in range(first, last + 1) if o in on or (o not in off and (o + 6) % 7 < 5)]  # ordinal 1 is a Monday
        self._years[year] = days
        return days

    def add(self, d: dt.date, offset: Offset) -> dt.date:
        if offset.unit == "workdays":
            return self.add_workdays(d, offset.n)
        return d + dt.timedelta(days=offset.n)

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: how many working days after ``start`` ``end`` is."""
        if end <= start:
            return -self.workdays_between(end, start) if end < start else 0
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_workday(day)[0]:
                count += 1
        return count

    def skipped(self, start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
        """The holidays and 调休 working days in (start, end], with their reasons.

        Ordinary weekdays and weekends are left out: they are what the reader expects.
        """
        out: list[tuple[dt.date, str]] = []
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            _, reason = self.is_workday(day)
            if not reason.startswith(("工作日", "周末")):
                out.append((day, reason))
        return out


#: chinese_calendar's own tables split by year: (holidays, make-up working days), each date -> name.
#: Its lookups work out the covered years (min/max over the whole table) on every call.
_LIBRARY: dict[int, tuple[dict[dt.date, Any], dict[dt.date, Any]]] | None = None


def _library_year(year: int) -> tuple[dict[dt.date, Any], dict[dt.date, Any]] | None:
    """chinese_calendar's holidays and make-up working days of ``year``, or None when the library
    does not cover the year (it covers every year from its first to its last, as it says itself)."""
    global _LIBRARY
    if _LIBRARY is None:
        from chinese_calendar import constants

        table: dict[int, tuple[dict[dt.date, Any], dict[dt.date, Any]]] = {}
        if constants.holidays:
            years = [d.year for d in constants.holidays]
            for y in range(min(years), max(years) + 1):
                table[y] = ({}, {})
        for d, name in constants.holidays.items():
            table[d.year][0][d] = name
        for d, name in constants.workdays.items():
            if d.year in table:
                table[d.year][1][d] = name
        _LIBRARY = table
    return _LIBRARY.get(year)


def _off_reason(name: str) -> str:
    return name if name.endswith("放假") else f"{name}放假"


def runs(days: list[tuple[dt.date, str]]) -> list[tuple[dt.date, dt.date, str]]:
    """Consecutive days with the same reason merged: [(first, last, reason)]."""
    out: list[tuple[dt.date, dt.date, str]] = []
    for day, reason in days:
        if out and out[-1][2] == reason and (day - out[-1][1]).days == 1:
            out[-1] = (out[-1][0], day, reason)
        else:
            out.append((day, day, reason))
    return out
