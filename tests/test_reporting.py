"""Reporting periods (报送周期): the periods of a year, their due dates, the setting's sources."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from ggk.deadlines import reporting
from ggk.model import Plan, Reporting, Unit


def test_quarters_of_2026_are_due_five_working_days_after_they_end() -> None:
    got = [(p.label, p.key, p.start, p.end, p.due) for p in reporting.periods(2026, Reporting.model_validate({}))]
    assert got == [
        ("2026年第一季度", "2026-Q1", dt.date(2026, 1, 1), dt.date(2026, 3, 31), dt.date(2026, 4, 8)),  # 清明 4-4..4-6
        ("2026年第二季度", "2026-Q2", dt.date(2026, 4, 1), dt.date(2026, 6, 30), dt.date(2026, 7, 7)),
        ("2026年第三季度", "2026-Q3", dt.date(2026, 7, 1), dt.date(2026, 9, 30), dt.date(2026, 10, 13)),  # 国庆 10-1..10-8
        ("2026年第四季度", "2026-Q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31), dt.date(2027, 1, 8)),  # 元旦 2027-01-01 (fixed by law)
    ]


def test_months_halves_and_calendar_days() -> None:
    monthly = Reporting.model_validate({"every": "month", "due": "10天"})
    p = reporting.period_of(dt.date(2021, 2, 14), monthly)
    assert (p.label, p.key, p.end, p.due, p.word) == ("2021年2月", "2021-02", dt.date(2021, 2, 28), dt.date(2021, 3, 10), "本月")
    halves = reporting.periods(2022, Reporting.model_validate("half"))
    assert [(h.label, h.key, h.end) for h in halves] == [
        ("2022年上半年", "2022-H1", dt.date(2022, 6, 30)),
        ("2022年下半年", "2022-H2", dt.date(2022, 12, 31)),
    ]


def test_ended_periods_before_a_date_and_since_the_plan_was_issued() -> None:
    q = Reporting.model_validate({})
    assert [p.key for p in reporting.ended_by(2026, dt.date(2026, 10, 8), q)] == ["2026-Q1", "2026-Q2", "2026-Q3"]
    assert [p.key for p in reporting.ended_by(2026, dt.date(2026, 9, 30), q)] == ["2026-Q1", "2026-Q2"]
    assert [p.key for p in reporting.ended_by(2026, dt.date(2026, 10, 8), q, since=dt.date(2026, 4, 20))] == ["2026-Q2", "2026-Q3"]


def test_the_plan_overrides_the_unit_and_defaults_apply() -> None:
    unit = Unit.model_validate({"name": "甲", "reporting": "month"})
    plan = Plan.model_validate({"unit": "a", "year": 2026, "title": "t"})
    assert reporting.setting(plan, unit).every == "month"
    plan2 = Plan.model_validate({"unit": "a", "year": 2026, "title": "t", "reporting": {"every": "half", "due": "3个工作日"}})
    assert (reporting.setting(plan2, unit).every, reporting.setting(plan2, unit).due) == ("half", "3个工作日")
    assert (reporting.setting(None, None).every, reporting.setting(None, None).due) == ("quarter", "5个工作日")


@pytest.mark.parametrize("bad", [{"every": "week"}, {"due": "五天后吧"}, {"due": "-3天"}, "year"])
def test_unreadable_settings_are_refused(bad: object) -> None:
    with pytest.raises(ValidationError):
        Reporting.model_validate(bad)
