"""Working days: holidays, 调休, holiday files and their validation (ggk.deadlines.workdays)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import chinese_calendar
import pytest

from ggk.dates import parse_date
from ggk.deadlines.workdays import (
    Offset,
    WorkCalendar,
    parse_holiday_text,
    parse_number,
    parse_offset,
    validate_holiday_file,
)

D = dt.date.fromisoformat
README = Path(__file__).resolve().parents[1] / "plans" / "_holidays" / "README.md"


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar()


# --------------------------------------------------------------------------- library years


@pytest.mark.parametrize(
    ("day", "ok", "reason"),
    [
        ("2021-09-26", True, "调休上班（国庆节）"),  # Sunday before National Day
        ("2021-09-30", True, "工作日"),
        ("2021-10-01", False, "国庆节放假"),
        ("2021-10-07", False, "国庆节放假"),  # a weekday off, in lieu
        ("2021-10-08", True, "工作日"),
        ("2021-10-09", True, "调休上班（国庆节）"),  # Saturday
        ("2021-10-10", False, "周末"),
        ("2021-02-11", False, "春节放假"),
        ("2021-02-20", True, "调休上班（春节）"),
        ("2023-01-28", True, "调休上班（春节）"),
        ("2023-01-29", True, "调休上班（春节）"),
        ("2024-02-04", True, "调休上班（春节）"),
        ("2024-02-12", False, "春节放假"),
        ("2024-02-18", True, "调休上班（春节）"),
        ("2022-01-03", False, "元旦放假"),
    ],
)
def test_is_workday_reasons(cal: WorkCalendar, day: str, ok: bool, reason: str) -> None:
    assert cal.is_workday(D(day)) == (ok, reason)
    assert cal.warnings == []


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2021-09-29", 7, "2021-10-14"),  # National Day break skipped, Saturday 10-09 counted
        ("2021-09-30", 1, "2021-10-08"),
        ("2021-10-08", 1, "2021-10-09"),
        ("2021-02-10", 3, "2021-02-20"),  # 2021 Spring Festival: 02-18, 02-19, 02-20 (Sat)
        ("2023-01-20", 1, "2023-01-28"),  # 2023 Spring Festival, Saturday make-up day
        ("2023-01-20", 2, "2023-01-29"),
        ("2024-02-09", 1, "2024-02-18"),  # 2024 Spring Festival, Sunday make-up day
        ("2021-12-31", 1, "2022-01-04"),  # across the year: 2022 元旦 break
        ("2021-10-14", -7, "2021-09-29"),
        ("2021-10-11", 0, "2021-10-11"),
    ],
)
def test_add_workdays_across_real_breaks(cal: WorkCalendar, start: str, n: int, expected: str) -> None:
    assert cal.add_workdays(D(start), n) == D(expected)


def test_workdays_between_and_skipped(cal: WorkCalendar) -> None:
    assert cal.workdays_between(D("2021-09-29"), D("2021-10-14")) == 7
    skipped = cal.skipped(D("2021-09-29"), D("2021-10-14"))
    assert skipped[0] == (D("2021-10-01"), "国庆节放假")
    assert (D("2021-10-09"), "调休上班（国庆节）") in skipped
    assert all(not r.startswith("周末") for _, r in skipped)


def test_library_source_per_year(cal: WorkCalendar) -> None:
    assert cal.source(2021) == "library"
    assert cal.source(2026) == "library"
    assert cal.source(2030) == "weekends"


# --------------------------------------------------------------------------- uncovered years

YEAR_2030 = """\
format: 1
year: 2030
notice: 国办发明电〔2029〕99号（测试用虚构通知）
holidays:
  - {name: 元旦, start: 2029-12-31, end: 2030-01-01}
  - {name: 国庆节, start: 2030-10-01, end: 2030-10-07}
workdays:
  - {date: 2030-09-29, name: 国庆节}
  - {date: 2030-10-12, name: 国庆节}
"""


def test_2030_without_file_counts_weekends_and_fixed_holidays_and_says_so(tmp_path: Path) -> None:
    """A year the library does not cover and no file gives: weekends, and the holidays the law fixes by
    date (元旦, 劳动节 5-1/5-2, 国庆节 10-1..3) — but not the lunar ones or the 调休, and it says so."""
    cal = WorkCalendar(tmp_path)
    ok, reason = cal.is_workday(D("2030-10-01"))  # a Tuesday: National Day, whatever the notice says
    assert ok is False and reason == "国庆节放假（2030年节假日安排未知，按法定日期）"
    assert cal.is_workday(D("2030-01-01"))[0] is False and cal.is_workday(D("2030-05-02"))[0] is False
    ok, reason = cal.is_workday(D("2030-10-04"))  # a Friday: the notice usually makes it a holiday too, unknown yet
    assert ok is True and "节假日安排未知" in reason
    assert cal.is_workday(D("2030-10-05"))[0] is False
    assert cal.add_workdays(D("2030-09-30"), 1) == D("2030-10-04")
    # the QA case: a fourth quarter's report due 5 working days after 12-31, 元旦 not counted
    assert WorkCalendar(tmp_path).add_workdays(D("2029-12-31"), 5) == D("2030-01-08")
    assert len(cal.warnings) == 1
    warning = cal.warnings[0]
    assert "2030年" in warning and "元旦、劳动节、国庆节" in warning and "春节等农历节日和调休未计入" in warning
    assert "2030.yaml" in warning


def test_2030_with_holiday_file(tmp_path: Path) -> None:
    (tmp_path / "2030.yaml").write_text(YEAR_2030, encoding="utf-8")
    cal = WorkCalendar(tmp_path)
    assert cal.source(2030) == "file"
    assert cal.notice(2030).startswith("国办发明电〔2029〕99号")
    assert cal.is_workday(D("2030-10-01")) == (False, "国庆节放假")
    assert cal.is_workday(D("2030-09-29")) == (True, "调休上班（国庆节）")
    assert cal.is_workday(D("2030-10-12")) == (True, "调休上班（国庆节）")
    assert cal.is_workday(D("2030-10-13")) == (False, "周末")
    # Fri 09-27 -> Sun 09-29 (make-up), Mon 09-30, then 10-08 after the break
    assert cal.add_workdays(D("2030-09-27"), 3) == D("2030-10-08")
    assert cal.warnings == []
    # the 元旦 break of the 2030 notice starts in 2029, which nothing else covers
    assert cal.is_workday(D("2029-12-31")) == (False, "元旦放假")


def test_broken_holiday_file_is_not_used_and_warned(tmp_path: Path) -> None:
    (tmp_path / "2030.yaml").write_text(YEAR_2030.replace("notice: ", "notce: "), encoding="utf-8")
    cal = WorkCalendar(tmp_path)
    assert cal.source(2030) == "weekends"
    assert cal.is_workday(D("2030-10-04"))[0] is True  # the file's 国庆节 break (10-01..07) is not used
    assert any("2030.yaml" in w and "未使用" in w for w in cal.warnings)
    assert any("节假日安排未知" in w for w in cal.warnings)


# --------------------------------------------------------------------------- validation


def _problems(text: str, year: int | None = 2030) -> list[tuple[int, int, str]]:
    return [tuple(p) for p in parse_holiday_text(text, year)[1]]  # type: ignore[misc]


def test_valid_file_has_no_problems() -> None:
    hf, problems = parse_holiday_text(YEAR_2030, 2030)
    assert problems == []
    assert hf is not None and len(hf.holidays) == 9 and len(hf.workdays) == 2


@pytest.mark.parametrize(
    ("text", "line", "col", "needle"),
    [
        (YEAR_2030.replace("notice:", "notise:"), 3, 1, "notice"),  # unknown key, suggestion
        (YEAR_2030.replace("notice:", "notise:"), 1, 1, "缺少 notice"),
        (YEAR_2030.replace("year: 2030", "year: 2031"), 2, 7, "与文件名年度 2030 不一致"),
        (YEAR_2030.replace("start: 2030-10-01", "start: 2030-10-1"), 6, 24, "不是日期"),
        (YEAR_2030.replace("end: 2030-10-07", "end: 2030-09-07"), 6, 41, "早于"),
        (YEAR_2030.replace("date: 2030-10-12", "date: 2030-10-11"), 9, 12, "本来就是工作日"),
        (YEAR_2030.replace("date: 2030-10-12", "date: 2030-10-05"), 9, 12, "已在 国庆节放假 中出现"),
        (YEAR_2030.replace("start: 2030-10-01", "start: 2031-10-01"), 6, 24, "不在 2030 年度内"),
        (YEAR_2030.replace("  - {name: 国庆节", "  - {nam: 国庆节"), 6, 6, "是否想写 name"),
        (YEAR_2030.replace("workdays:\n", "workdays: [\n"), 8, 3, "YAML 语法错误"),
    ],
)
def test_validation_problems_have_positions(text: str, line: int, col: int, needle: str) -> None:
    problems = _problems(text)
    assert any(p[0] == line and p[1] == col and needle in p[2] for p in problems), problems
    assert parse_holiday_text(text, 2030)[0] is None


def test_validate_file_name(tmp_path: Path) -> None:
    bad = tmp_path / "holidays.yaml"
    bad.write_text(YEAR_2030, encoding="utf-8")
    assert "文件名应是年度" in validate_holiday_file(bad)[0].message
    good = tmp_path / "2030.yaml"
    good.write_text(YEAR_2030, encoding="utf-8")
    assert validate_holiday_file(good) == []


def test_readme_example_is_valid_and_matches_the_library() -> None:
    """The format documented in plans/_holidays/README.md is the real 2021 notice."""
    text = README.read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(.*?)```", text, re.S)
    assert block is not None
    hf, problems = parse_holiday_text(block.group(1), 2021)
    assert problems == [] and hf is not None
    day = D("2021-01-01")
    while day.year == 2021:
        off_in_file = day in hf.holidays or (day.weekday() >= 5 and day not in hf.workdays)
        assert off_in_file == (not chinese_calendar.is_workday(day)), day
        day += dt.timedelta(days=1)


# --------------------------------------------------------------------------- small parsers


@pytest.mark.parametrize(
    ("text", "n"),
    [("7", 7), ("３", 3), ("一", 1), ("十", 10), ("十五", 15), ("二十", 20), ("二十一", 21), ("两", 2), ("二〇二一", 2021)],
)
def test_parse_number(text: str, n: int) -> None:
    assert parse_number(text) == n


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("7工作日", Offset(7, "workdays")),
        ("7个工作日", Offset(7, "workdays")),
        ("十个工作日", Offset(10, "workdays")),
        ("3个工作日内", Offset(3, "workdays")),
        ("3天", Offset(3, "days")),
        ("3日", Offset(3, "days")),
        ("-2工作日", Offset(-2, "workdays")),
    ],
)
def test_parse_offset(text: str, offset: Offset) -> None:
    assert parse_offset(text) == offset


@pytest.mark.parametrize("text", ["3周", "七", "工作日", ""])
def test_parse_offset_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="看不懂时长"):
        parse_offset(text)


def test_parse_date() -> None:
    assert parse_date("2021-09-29") == parse_date("2021/9/29") == parse_date("2021年9月29日") == D("2021-09-29")
    with pytest.raises(ValueError, match="2021年2月没有30日"):
        parse_date("2021-02-30")
    with pytest.raises(ValueError, match="看不懂日期"):
        parse_date("9月29日")


def test_works_is_what_is_workday_says(tmp_path: Path) -> None:
    """``works`` (what ``add_workdays`` counts) answers as ``is_workday`` on every day of the years
    the library covers, of a year a holiday file covers (with the 元旦 break reaching back into
    December) and of a year nothing covers."""
    folder = tmp_path / "_holidays"
    folder.mkdir()
    (folder / "2031.yaml").write_text(
        "format: 1\nyear: 2031\nnotice: 国办发明电〔2030〕1号（测试用虚构通知）\nholidays:\n"
        "  - {name: 元旦, start: 2030-12-31, end: 2031-01-01}\n  - {name: 春节, start: 2031-01-22, end: 2031-01-28}\n"
        "workdays:\n  - {date: 2031-01-19, name: 春节}\n",
        encoding="utf-8",
    )
    for cal in (WorkCalendar(), WorkCalendar(folder)):
        day, checked = dt.date(2004, 1, 1), 0
        while day < dt.date(2032, 12, 31):
            assert cal.works(day) == cal.is_workday(day)[0], day
            day += dt.timedelta(days=1)
            checked += 1
        assert checked > 10_000
    assert WorkCalendar(folder).source(2031) == "file"
    assert not WorkCalendar(folder).works(dt.date(2030, 12, 31))  # the file's 元旦 break, in December
    assert WorkCalendar(folder).works(dt.date(2031, 1, 19))  # its make-up working Sunday


def test_add_workdays_is_counting_day_by_day(tmp_path: Path) -> None:
    """``add_workdays`` jumps through the years the library covers; the definition counts the days
    one by one (``works``).  Both agree across year ends, from and into years a holiday file or
    nothing covers, forwards and backwards."""
    import random

    folder = tmp_path / "_holidays"
    folder.mkdir()
    (folder / "2030.yaml").write_text(YEAR_2030, encoding="utf-8")

    def by_definition(cal: WorkCalendar, d: dt.date, n: int) -> dt.date:
        step, left, day = (1 if n >= 0 else -1), abs(n), d
        while left:
            day += dt.timedelta(days=step)
            left -= cal.works(day)
        return day

    rnd = random.Random(7)
    for cal in (WorkCalendar(), WorkCalendar(folder)):
        last = max(y for y in range(2004, 2040) if cal.source(y) == "library")
        for _ in range(4000):
            d = dt.date(rnd.choice([2004, 2010, 2020, 2021, last - 1, last, last + 1, 2030, 2031]), rnd.randint(1, 12), rnd.randint(1, 28))
            n = rnd.choice([0, 1, 2, 3, 5, 7, 10, 15, 20, 30, 250, 300, -1, -3, -7, -20, -260])
            assert cal.add_workdays(d, n) == by_definition(cal, d, n), (d, n)
    assert WorkCalendar().add_workdays(dt.date(2021, 9, 29), 7) == dt.date(2021, 10, 14)
