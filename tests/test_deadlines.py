"""Deadline rules as the documents write them: phrase table, resolve, evaluate (ggk.deadlines)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest

from ggk.deadlines import Rule, RuleState, Timing, evaluate, extract, find_time_phrases, resolve
from ggk.deadlines import timing as deadlines
from ggk.deadlines.workdays import WorkCalendar
from ggk.model import Deadline, DeadlineKind, Item
from tests.conftest import seed

D = dt.date.fromisoformat


def _keys(d: Deadline) -> dict[str, Any]:
    return d.model_dump(exclude_none=True, mode="json")


def _item(deadline: Any = None, log: list[dict[str, Any]] | None = None, **kw: Any) -> Item:
    return Item(id="1", title="测试条目", deadline=deadline, log=log or [], **kw)


# =========================================================================== the seeds

#: Every time phrase of the five real documents: (rules, phrases left without a rule).
SEED_TABLE: dict[str, tuple[list[dict[str, Any]], list[str]]] = {
    "000": (  # 甘肃 2021 要点
        [
            {"phrase": "年内至少专题研究部署1次", "count": 1, "per": "year"},
            {"phrase": "2021年底前", "due": "2021-12-31"},
        ],
        [],
    ),
    "001": ([{"phrase": "每年至少听取1次", "count": 1, "per": "year"}], []),  # 广元 2021
    "002": ([], []),  # 吉林 2022: no time limit at all
    "003": (  # 甘肃 2017 年度报告 (a report: dates of the web page, not deadlines)
        [{"phrase": "年底", "due": "2021-12-31"}],
        ["2018-01-30"] + ["2019-04-29"] * 5,
    ),
    "004": (  # 姚安 2018 实施方案
        [
            {"phrase": "行政决定之日起7个工作日内", "workdays": 7, "after": "行政决定"},
            {"phrase": "每季度公开一次", "every": "quarter"},
            {"phrase": "文件公开后3个工作日内", "workdays": 3, "after": "文件公开"},
            {"phrase": "每年解读重要政策措施不少于3次", "count": 3, "per": "year"},
            {"phrase": "公文上报后3个工作日内", "workdays": 3, "after": "公文上报"},
            {"phrase": "年内", "due": "2021-12-31"},
            {"phrase": "年内至少听取一次", "count": 1, "per": "year"},
            {"phrase": "每季度至少专题研究一次", "count": 1, "per": "quarter"},
        ],
        [],
    ),
}


def _seed(prefix: str) -> str:
    return seed(prefix).read_text(encoding="utf-8")


@pytest.mark.parametrize("prefix", sorted(SEED_TABLE))
def test_every_phrase_of_the_seeds(prefix: str) -> None:
    rules, loose = extract(_seed(prefix), 2021)
    expected_rules, expected_loose = SEED_TABLE[prefix]
    assert [_keys(d) for d in rules] == expected_rules
    assert [p for _, _, p in loose] == expected_loose


def test_seed_item_with_two_duties() -> None:
    """姚安 item 8 (主动做好政策解读) states a working-day limit and a yearly count."""
    text = _seed("004")
    start = text.index("8、主动做好政策解读")
    item_text = text[start : text.index("9、积极回应社会关切")]
    rules, loose = extract(item_text, 2018)
    assert [_keys(d) for d in rules] == [
        {"phrase": "文件公开后3个工作日内", "workdays": 3, "after": "文件公开"},
        {"phrase": "每年解读重要政策措施不少于3次", "count": 3, "per": "year"},
    ]
    assert loose == []
    item = _item(
        rules,
        log=[
            {"date": "2018-03-02", "note": "解读《…办法》"},
            {"date": "2018-09-28", "event": "2018-09-28", "done": "2018-10-12"},
        ],
    )
    timing = evaluate(item, 2018, D("2018-10-15"))
    workdays, count = timing.states
    # 09-28 + 3 working days over the 2018 National Day break: 09-29 (Sat), 09-30 (Sun), 10-08
    # published 4 days late: done late (late_days), not overdue any more
    assert workdays.overdue_days is None and workdays.late_days == 4 and workdays.detail == "3个工作日内：1件逾期办结"
    assert count.detail == "2/3 次"  # the publication entry counts as an interpretation too
    assert timing.overdue_days is None and timing.primary is count


def test_find_time_phrases_positions() -> None:
    text = "各单位2021年底前完成，每周更新，决定作出后15日内公开。"
    phrases = find_time_phrases(text)
    assert [p for _, _, p in phrases] == ["2021年底前", "每周", "决定作出后15日内"]  # the event is part of the phrase
    for start, end, phrase in phrases:
        assert text[start:end] == phrase


def test_no_false_phrases_in_ordinary_words() -> None:
    text = "“十四五”规划，第一时间发布，纳入干部季度考核和年度综合目标，2017年度报告，12328服务电话，全年发布信息15次，逐年提高。"
    assert find_time_phrases(text) == []


# =========================================================================== phrase table

PHRASES: list[tuple[str, int, dict[str, Any]]] = [
    # once
    ("2021年底前", 2021, {"kind": "once", "due": "2021-12-31"}),
    ("年底前", 2022, {"kind": "once", "due": "2022-12-31"}),
    ("年内", 2021, {"kind": "once", "due": "2021-12-31"}),
    ("上半年", 2021, {"kind": "once", "due": "2021-06-30"}),
    ("下半年", 2021, {"kind": "once", "due": "2021-12-31"}),
    ("6月底前", 2021, {"kind": "once", "due": "2021-06-30"}),
    ("2月底前", 2024, {"kind": "once", "due": "2024-02-29"}),
    ("9月前", 2021, {"kind": "once", "due": "2021-09-30"}),
    ("三季度末", 2021, {"kind": "once", "due": "2021-09-30"}),
    ("第三季度", 2021, {"kind": "once", "due": "2021-09-30"}),
    ("第一季度", 2021, {"kind": "once", "due": "2021-03-31"}),
    ("2022年10月底前", 2021, {"kind": "once", "due": "2022-10-31"}),
    ("2021年6月30日前", 2021, {"kind": "once", "due": "2021-06-30"}),
    ("十二月中旬前", 2021, {"kind": "once", "due": "2021-12-20"}),
    ("2021-06-30", 2021, {"kind": "once", "due": "2021-06-30"}),
    # recurring
    ("每季度公开一次", 2021, {"kind": "recurring", "every": "quarter"}),
    ("每月", 2021, {"kind": "recurring", "every": "month"}),
    ("每半年", 2021, {"kind": "recurring", "every": "half"}),
    ("按季度", 2021, {"kind": "recurring", "every": "quarter"}),
    # count
    ("每年至少听取1次", 2021, {"kind": "count", "count": 1, "per": "year"}),
    ("年内至少专题研究部署1次", 2021, {"kind": "count", "count": 1, "per": "year"}),
    ("每年解读重要政策措施不少于3次", 2021, {"kind": "count", "count": 3, "per": "year"}),
    ("每季度至少专题研究一次", 2021, {"kind": "count", "count": 1, "per": "quarter"}),
    ("每年召开三次", 2021, {"kind": "count", "count": 3, "per": "year"}),
    ("每月至少更新两次", 2021, {"kind": "count", "count": 2, "per": "month"}),
    # working days
    ("行政决定之日起7个工作日内", 2021, {"kind": "workdays", "workdays": 7, "after": "行政决定"}),
    ("文件公开后3个工作日内", 2021, {"kind": "workdays", "workdays": 3, "after": "文件公开"}),
    ("收到申请之日起十个工作日内", 2021, {"kind": "workdays", "workdays": 10, "after": "收到申请"}),
    ("十个工作日", 2021, {"kind": "workdays", "workdays": 10}),
    # calendar days
    ("收到申请之日起15日内", 2021, {"kind": "days", "days": 15, "after": "收到申请"}),
    ("决定作出后20日内", 2021, {"kind": "days", "days": 20, "after": "决定作出"}),
    ("15个自然日内", 2021, {"kind": "days", "days": 15}),
    ("7天内", 2021, {"kind": "days", "days": 7}),
    ("三十日以内", 2021, {"kind": "days", "days": 30}),
    # standing
    ("常态化", 2021, {"kind": "none"}),
    ("持续推进", 2021, {"kind": "none"}),
    ("年内持续推进", 2020, {"kind": "none"}),
]


@pytest.mark.parametrize(("phrase", "year", "expected"), PHRASES, ids=[p for p, _, _ in PHRASES])
def test_phrase_table(phrase: str, year: int, expected: dict[str, Any]) -> None:
    rule = resolve(Deadline(phrase=phrase), year)
    assert rule is not None
    got = {"kind": rule.kind.value}
    for key in ("due", "every", "count", "per", "workdays", "days", "after"):
        value = getattr(rule, key)
        if value is not None:
            got[key] = value.isoformat() if isinstance(value, dt.date) else value
    assert got == expected


@pytest.mark.parametrize("phrase", ["两周内", "3个月内", "2025年前", "尽快", "每两个月", "15日"])
def test_phrases_without_rule(phrase: str) -> None:
    assert resolve(Deadline(phrase=phrase), 2021) is None
    timing = evaluate(_item(phrase), 2021, D("2021-06-01"))
    assert timing.unresolved == [phrase]


def test_bare_dates_in_text_are_not_deadlines_but_reported() -> None:
    rules, loose = extract("2021年6月印发，2021年6月30日召开会议，6月底前报送。", 2021)
    assert [_keys(d) for d in rules] == [{"phrase": "6月底前", "due": "2021-06-30"}]
    assert [p for _, _, p in loose] == ["2021年6月", "2021年6月30日"]


def test_a_stated_year_carries_over_in_its_phrase_group() -> None:
    """“12月底前” after “2022年6月底前” in the same phrase group is 2022's December, not the plan year's;
    a new sentence starts a new group."""

    def dues(text: str) -> list[dt.date | None]:
        return [d.due for d in extract(text, 2023)[0]]

    assert dues("2022年6月底前完成初稿，12月底前全面完成") == [D("2022-06-30"), D("2022-12-31")]
    assert dues("2022年上半年启动试点，年底前全面推开") == [D("2022-06-30"), D("2022-12-31")]
    assert dues("次年1月底前报送，3月底前公开") == [D("2024-01-31"), D("2024-03-31")]
    assert dues("2022年6月底前完成初稿。12月底前全面完成") == [D("2022-06-30"), D("2023-12-31")]
    assert dues("12月底前完成，2022年6月底前总结") == [D("2023-12-31"), D("2022-06-30")]  # only what comes after


def test_a_limit_cell_takes_bare_dates() -> None:
    """A table's 完成时限 cell states limits only: a bare month there is the month's end (in running text it is not)."""
    text = "2021年2月公布预算信息,2021年8月公布上年度决算信息"
    assert extract(text, 2021)[0] == []
    assert [d.due for d in extract(text, 2021, strict=False)[0]] == [D("2021-02-28"), D("2021-08-31")]


def test_explicit_keys_win_over_the_phrase() -> None:
    assert resolve(Deadline(phrase="每季度公开一次", every="month"), 2021) == Rule(DeadlineKind.RECURRING, "每季度公开一次", every="month")
    assert resolve(Deadline(phrase="年底前", due=D("2021-11-30")), 2021).due == D("2021-11-30")  # type: ignore[union-attr]
    rule = resolve(Deadline(phrase="文件公开后3个工作日内", workdays=5), 2021)
    assert rule is not None and (rule.workdays, rule.after) == (5, "文件公开")
    rule = resolve(Deadline.model_validate({"phrase": "每季度至少专题研究一次", "count": 2}), 2021)
    assert rule is not None and (rule.kind, rule.count, rule.per) == (DeadlineKind.COUNT, 2, "quarter")
    assert resolve(Deadline.model_validate(D("2021-06-30")), 2021).due == D("2021-06-30")  # type: ignore[union-attr]


# =========================================================================== once


def test_once_is_the_whole_day() -> None:
    item = _item("2021年底前")
    on_day = evaluate(item, 2021, D("2021-12-31"))
    assert on_day.overdue_days is None and on_day.due_in == 0 and on_day.primary.detail == "今日到期"
    next_day = evaluate(item, 2021, D("2022-01-01"))
    assert next_day.overdue_days == 1 and next_day.due == D("2021-12-31") and next_day.primary.detail == "逾期1天"


def test_once_quarter_end_boundary() -> None:
    item = _item("第一季度")
    assert evaluate(item, 2021, D("2021-03-31")).overdue_days is None
    assert evaluate(item, 2021, D("2021-04-01")).overdue_days == 1


def test_done_late_and_cancelled() -> None:
    late = _item("6月底前", status="已完成", completed="2021-07-05")
    state = evaluate(late, 2021, D("2021-12-01")).primary
    assert state.overdue_days is None and state.late_days == 5 and state.detail == "已完成（逾期5天）"
    on_time = _item("6月底前", status="已完成", completed="2021-06-30")
    assert evaluate(on_time, 2021, D("2021-12-01")).primary.late_days is None
    cancelled = _item("6月底前", status="已取消", reason="上级取消")
    timing = evaluate(cancelled, 2021, D("2021-12-01"))
    assert timing.overdue_days is None and timing.primary.detail == "已取消"


def test_standing() -> None:
    for deadline in (None, "常态化"):
        timing = evaluate(_item(deadline), 2021, D("2022-06-01"))
        assert timing.standing and timing.overdue_days is None and timing.primary.detail == "常态化"


# =========================================================================== recurring

QUARTERLY = "每季度公开一次"


def test_recurring_q1_unmet_overdue_from_april_first() -> None:
    item = _item(QUARTERLY)
    march = evaluate(item, 2021, D("2021-03-31")).primary
    assert march.overdue_days is None and march.due_in == 0 and march.due == D("2021-03-31")
    april = evaluate(item, 2021, D("2021-04-01")).primary
    assert april.overdue_days == 1 and april.missed == ["第1季度"] and april.due == D("2021-03-31")


def test_recurring_met_per_period() -> None:
    log = [{"date": "2021-03-31"}, {"date": "2021-05-10"}, {"date": "2021-06-30", "counts": False}]
    item = _item(QUARTERLY, log)
    april = evaluate(item, 2021, D("2021-04-01")).primary
    assert (april.met, april.required, april.overdue_days) == (1, 1, None)
    assert april.due == D("2021-06-30") and april.due_in == 90
    october = evaluate(item, 2021, D("2021-10-10")).primary
    assert (october.met, october.required) == (2, 3)
    assert october.detail == "每季度 2/3，第3季度未落实"
    assert october.overdue_days == 10 and october.due == D("2021-09-30")
    # the entry with counts: false does not meet Q2 on its own
    only_flagged = _item(QUARTERLY, [{"date": "2021-05-10", "counts": False}])
    assert evaluate(only_flagged, 2021, D("2021-07-01")).primary.missed == ["第1季度", "第2季度"]


def test_recurring_year_end_and_later_entries() -> None:
    item = _item("每半年", [{"date": "2021-06-01"}, {"date": "2021-12-31"}])
    dec31 = evaluate(item, 2021, D("2021-12-31")).primary
    assert dec31.overdue_days is None and dec31.detail == "每半年 2/2"
    # evaluated on an earlier date, an entry made later does not count yet
    assert evaluate(item, 2021, D("2021-07-01")).primary.detail == "每半年 1/1"
    unmet = _item("每半年", [{"date": "2021-06-01"}])
    jan1 = evaluate(unmet, 2021, D("2022-01-01")).primary
    assert jan1.overdue_days == 1 and jan1.missed == ["下半年"]


def test_recurring_monthly_since_issue_date() -> None:
    item = _item("每月", [{"date": "2021-05-20"}])
    timing = evaluate(item, 2021, D("2021-06-01"), since=D("2021-05-10"))
    assert timing.overdue_days is None and timing.primary.detail == "每月 1/1"
    assert evaluate(item, 2021, D("2021-06-01")).overdue_days == 121  # from Jan 31 without `since`


def test_recurring_done_or_cancelled_not_overdue() -> None:
    assert evaluate(_item(QUARTERLY, status="已完成", completed="2021-05-01"), 2021, D("2021-10-01")).overdue_days is None
    cancelled = evaluate(_item(QUARTERLY, status="已取消", reason="x"), 2021, D("2021-10-01"))
    assert cancelled.overdue_days is None and cancelled.primary.detail == "已取消"


# =========================================================================== count

THREE_A_YEAR = "每年解读重要政策措施不少于3次"


def test_count_progress_and_pace() -> None:
    item = _item(THREE_A_YEAR, [{"date": "2021-02-01"}])
    may = evaluate(item, 2021, D("2021-05-02")).primary
    assert (may.met, may.required, may.behind_pace, may.detail) == (1, 3, False, "1/3 次")
    september = evaluate(item, 2021, D("2021-09-01")).primary
    assert september.behind_pace and september.detail == "1/3 次，落后进度"
    assert september.overdue_days is None and september.due_in == 121


def test_count_year_end_boundary() -> None:
    item = _item(THREE_A_YEAR, [{"date": "2021-02-01"}, {"date": "2021-06-01", "counts": False}])
    dec31 = evaluate(item, 2021, D("2021-12-31")).primary
    assert dec31.overdue_days is None and dec31.due_in == 0 and dec31.met == 1
    jan1 = evaluate(item, 2021, D("2022-01-01")).primary
    assert jan1.overdue_days == 1 and jan1.detail == "1/3 次，未完成"
    met = _item(THREE_A_YEAR, [{"date": f"2021-0{m}-01"} for m in (2, 5, 8)])
    state = evaluate(met, 2021, D("2022-01-01")).primary
    assert state.overdue_days is None and state.detail == "3/3 次"


def test_count_per_quarter() -> None:
    item = _item("每季度至少专题研究一次", [{"date": "2021-01-15"}])
    march = evaluate(item, 2021, D("2021-03-31")).primary
    assert march.overdue_days is None and march.detail == "每季度至少1次 1/1"
    july = evaluate(item, 2021, D("2021-07-01")).primary
    assert july.overdue_days == 1 and july.missed == ["第2季度"]
    twice = _item({"phrase": "每月至少更新两次", "count": 2, "per": "month"}, [{"date": "2021-03-02"}])
    state = evaluate(twice, 2021, D("2021-03-20")).primary
    assert not state.behind_pace and "3月 1/2" in state.detail
    assert evaluate(twice, 2021, D("2021-03-31")).primary.behind_pace


def test_count_done_item_not_overdue() -> None:
    item = _item(THREE_A_YEAR, [{"date": "2021-02-01"}], status="已完成", completed="2021-11-01")
    assert evaluate(item, 2021, D("2022-01-10")).overdue_days is None


# =========================================================================== working days

SEVEN = "行政决定之日起7个工作日内"


def test_workdays_across_national_day() -> None:
    item = _item(SEVEN, [{"date": "2021-09-29", "event": "2021-09-29"}])
    before = evaluate(item, 2021, D("2021-10-14")).primary
    assert before.due == D("2021-10-14") and before.due_in == 0 and before.overdue_days is None
    assert before.detail == "7个工作日内：1件待办（10-14前）"
    after = evaluate(item, 2021, D("2021-10-15")).primary
    assert after.overdue_days == 1 and after.detail == "7个工作日内：1件逾期未办结"


def test_workdays_events_done_late_on_time_and_open() -> None:
    log = [
        {"date": "2021-09-01", "event": "2021-09-01", "done": "2021-09-10"},  # on time (limit 09-10)
        {"date": "2021-09-26", "event": "2021-09-26", "done": "2021-10-15"},  # limit 10-11: 4 days late
        {"date": "2021-10-11", "event": "2021-10-11"},  # open, limit 10-20
    ]
    state = evaluate(_item(SEVEN, log), 2021, D("2021-10-18")).primary
    assert (state.met, state.required) == (1, 3)
    assert state.overdue_days is None and state.late_days == 4  # published late: done late, not overdue
    assert state.due == D("2021-10-20") and state.due_in == 2
    assert state.detail == "7个工作日内：1件逾期办结，1件待办（10-20前），1件按时"
    # the open event past its limit is what makes the duty overdue
    state = evaluate(_item(SEVEN, log), 2021, D("2021-10-25")).primary
    assert state.overdue_days == 5 and state.detail == "7个工作日内：1件逾期未办结，1件逾期办结，1件按时"
    assert state.missed == ["2021-09-26（逾期4天完成）", "2021-10-11（逾期5天未完成）"]
    state = evaluate(_item(SEVEN, log), 2021, D("2021-10-18")).primary
    assert state.missed == ["2021-09-26（逾期4天完成）"]


def test_workdays_spring_festival_2024() -> None:
    item = _item("文件公开后3个工作日内", [{"date": "2024-02-08", "event": "2024-02-08"}])
    # 02-09 (Fri), 02-18 (Sun, 调休), 02-19
    assert evaluate(item, 2024, D("2024-02-10")).due == D("2024-02-19")


def test_workdays_no_events_and_warnings_for_uncovered_year(tmp_path: Path) -> None:
    assert evaluate(_item(SEVEN), 2021, D("2021-06-01")).primary.detail == "7个工作日内：暂无事件"
    item = _item(SEVEN, [{"date": "2030-09-30", "event": "2030-09-30"}])
    timing = evaluate(item, 2030, D("2030-10-01"), WorkCalendar(tmp_path))
    # weekends and 10-01..03 (fixed by law); the rest of the break and its 调休 are not known yet
    assert timing.due == D("2030-10-14")
    assert timing.warnings and "2030年" in timing.warnings[0] and "节假日安排未知" in timing.warnings[0]
    (tmp_path / "2030.yaml").write_text(
        "format: 1\nyear: 2030\nnotice: 国办发明电〔2029〕99号（测试用虚构通知）\n"
        "holidays:\n  - {name: 国庆节, start: 2030-10-01, end: 2030-10-07}\n"
        "workdays:\n  - {date: 2030-09-29, name: 国庆节}\n  - {date: 2030-10-12, name: 国庆节}\n",
        encoding="utf-8",
    )
    timing = evaluate(item, 2030, D("2030-10-01"), WorkCalendar(tmp_path))
    assert timing.due == D("2030-10-15") and timing.warnings == []


# =========================================================================== calendar days

FIFTEEN = "收到申请之日起15日内"


def test_days_count_calendar_days_across_national_day() -> None:
    """N日内 counts every day: across the National Day break, unlike the working-day rule."""
    item = _item(FIFTEEN, [{"date": "2021-09-29", "event": "2021-09-29"}])
    before = evaluate(item, 2021, D("2021-10-14")).primary
    assert before.rule.kind is DeadlineKind.DAYS and before.rule.after == "收到申请"
    assert before.due == D("2021-10-14") and before.due_in == 0 and before.detail == "15日内：1件待办（10-14前）"
    after = evaluate(item, 2021, D("2021-10-15")).primary
    assert after.overdue_days == 1 and after.detail == "15日内：1件逾期未办结" and after.warnings == []


def test_days_events_done_late_on_time_and_open() -> None:
    log = [
        {"date": "2021-09-01", "event": "2021-09-01", "done": "2021-09-16"},  # limit 09-16: on time
        {"date": "2021-09-10", "event": "2021-09-10", "done": "2021-09-30"},  # limit 09-25: 5 days late
        {"date": "2021-10-11", "event": "2021-10-11"},  # open, limit 10-26
    ]
    item = _item({"phrase": "15个自然日内", "days": 15}, log)
    state = evaluate(item, 2021, D("2021-10-18")).primary
    assert (state.met, state.required) == (1, 3)
    # the event answered 5 days late is done late, not overdue (as for working-day limits)
    assert state.due == D("2021-10-26") and state.due_in == 8 and state.overdue_days is None and state.late_days == 5
    assert state.detail == "15日内：1件逾期办结，1件待办（10-26前），1件按时"
    assert state.missed == ["2021-09-10（逾期5天完成）"]
    assert evaluate(_item(FIFTEEN), 2021, D("2021-06-01")).primary.detail == "15日内：暂无事件"


def test_days_in_the_review_and_the_json() -> None:
    from ggk.ledger.review import Duty

    item = _item({"days": 10, "after": "行政决定"}, [{"date": "2021-03-01", "event": "2021-03-01", "done": "2021-03-05"}])
    state = evaluate(item, 2021, D("2021-12-31")).primary
    data = state.to_json()
    assert data["kind"] == "days" and data["days"] == 10 and data["after"] == "行政决定" and data["met"] == 1
    duty = Duty.of(state)
    assert duty.phrase == "行政决定后10日内" and (duty.met, duty.required) == (1, 1)


# =========================================================================== Timing and JSON


def test_timing_primary_and_json() -> None:
    item = _item(["2021年底前", QUARTERLY], [{"date": "2021-02-01"}])
    timing = evaluate(item, 2021, D("2021-07-05"))
    assert timing.overdue_days == 5 and timing.primary.rule.kind is DeadlineKind.RECURRING
    assert timing.due == D("2021-06-30") and not timing.standing
    data = timing.primary.to_json()
    assert data["kind"] == "recurring" and data["missed"] == ["第2季度"] and data["overdue_days"] == 5
    assert data["detail"] == "每季度 1/2，第2季度未落实"


def test_timing_sums_match_their_definitions() -> None:
    rnd = random.Random(3)
    day = dt.date(2026, 11, 21)
    kinds = [DeadlineKind.ONCE, DeadlineKind.NONE, DeadlineKind.RECURRING]
    for _ in range(3000):
        states = []
        for _ in range(rnd.randint(1, 4)):
            overdue = rnd.choice([None, None, 0, 1, 5, 5, 30])
            due_in = None if overdue else rnd.choice([None, 0, 3, 3, 40])
            due = rnd.choice([None, day + dt.timedelta(days=rnd.randint(-40, 40))])
            states.append(RuleState(Rule(rnd.choice(kinds)), due=due, overdue_days=overdue, due_in=due_in))
        t = Timing(states)
        late = [s for s in states if s.overdue_days is not None]
        soon = [s for s in states if s.due_in is not None]
        assert t.overdue_days == (max(s.overdue_days or 0 for s in late) if late else None)
        assert t.due_in == (min(s.due_in or 0 for s in soon) if soon else None)
        if late:
            assert t.due is max(late, key=lambda s: s.overdue_days or 0).due
        elif soon:
            assert t.due is min(soon, key=lambda s: s.due_in or 0).due
        else:
            assert t.due == max((s.due for s in states if s.due is not None), default=None)
        assert t.primary is max(states, key=lambda s: (s.overdue_days or -1, -(s.due_in if s.due_in is not None else 10**6)))
        assert t.standing == all(s.rule.kind is DeadlineKind.NONE for s in states)


def test_periodic_rows_match_their_definition() -> None:
    """Entries are counted into the plan year's periods by their month; the definition: the entries
    (that count, dated by the as-of date) between each period's first and last day."""
    from ggk.model import Deadline, Item, LogEntry

    rnd = random.Random(5)
    for _ in range(3000):
        year = rnd.choice([2020, 2021, 2024])
        per = rnd.choice(["week", "month", "quarter", "half", "year"])
        rule = deadlines.resolve(Deadline(every=per) if rnd.random() < 0.5 else Deadline(count=rnd.randint(1, 4), per=per), year)
        assert rule is not None
        log = [
            LogEntry(date=dt.date(year + rnd.choice([-1, 0, 0, 0, 1]), rnd.randint(1, 12), rnd.randint(1, 28)), counts=rnd.random() < 0.85)
            for _ in range(rnd.randint(0, 8))
        ]
        item = Item(id="1", title="t", log=log)
        today = dt.date(year, 1, 1) + dt.timedelta(days=rnd.randint(-30, 400))
        since = rnd.choice([None, dt.date(year, rnd.randint(1, 12), rnd.randint(1, 28))])
        dates = [e.date for e in log if e.counts and e.date <= today]
        expected = [(p, sum(p.start <= d <= p.end for d in dates)) for p in deadlines.periods(year, per) if since is None or p.end >= since]
        assert deadlines._periodic_rows(rule, item, year, today, since) == expected


def test_weekly_and_next_year_phrases() -> None:
    """每周 is a weekly rule (a week period of the plan year); 次年/翌年/下一年度 is the year after the plan year."""
    from ggk.deadlines.phrases import extract
    from ggk.deadlines.timing import periods

    assert [d.every for d in extract("每周更新一次", 2021)[0]] == ["week"]
    assert [d.due for d in extract("次年1月31日前公开年度报告", 2021)[0]] == [dt.date(2022, 1, 31)]
    assert [d.due for d in extract("翌年3月底前", 2021)[0]] == [dt.date(2022, 3, 31)]
    assert [d.due for d in extract("下一年度1月15日前", 2021)[0]] == [dt.date(2022, 1, 15)]
    weeks = periods(2021, "week")
    assert weeks[0].start == dt.date(2021, 1, 1) and weeks[0].end == dt.date(2021, 1, 3) and weeks[-1].end == dt.date(2021, 12, 31)


def test_days_rule_in_show_overdue_and_check(runner: Any, tmp_path: Path) -> None:
    """A calendar-day rule as the clerk sees it: ``show`` and ``overdue`` texts, no GGK211/212 from ``check``."""
    from ggk.cli.app import app
    from tests.conftest import make_unit

    make_unit(
        tmp_path,
        """\
        format: 1
        unit: t
        year: 2021
        title: 测试县交通运输局2021年政务公开工作要点
        sections:
          - title: 依申请公开
            items:
              - id: "1"
                title: 依法办理政府信息公开申请
                text: 收到申请之日起15日内予以答复。
                lead: [局办公室]
                deadline: {phrase: 收到申请之日起15日内, days: 15, after: 收到申请}
                status: 进行中
                log:
                  - {date: 2021-09-29, note: 收到张某的申请, event: 2021-09-29}
        """,
    )
    base = ["--plans", str(tmp_path), "--as-of", "2021-10-16"]
    show = runner.invoke(app, [*base, "show", "t/2021/1"])
    assert show.exit_code == 0, show.output
    assert "收到申请之日起15日内（截止 2021-10-14，15日内：1件逾期未办结，逾期 2 天）" in show.output
    overdue = runner.invoke(app, [*base, "overdue"])
    assert overdue.exit_code == 0 and "t/2021/1" in overdue.output and "2021-10-14 15日内" in overdue.output, overdue.output
    assert "逾期 2 天" in overdue.output
    check = runner.invoke(app, [*base, "check"])
    assert check.exit_code == 0 and "GGK21" not in check.output, check.output
