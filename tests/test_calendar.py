"""``ggk calendar``: the deadlines as an iCalendar file that parses back with the same events and
UIDs, is byte-identical across runs, and keeps UIDs when a deadline moves."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
from typer.testing import CliRunner

from ggk.cli.app import app
from ggk.ledger.calendar import deadline_events, event_uid, to_ics
from ggk.ledger.queries import Filters, select
from ggk.workspace.load import load

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 21)

UNIT = "name: 演示县交通运输局\nshort: 演示县交通局\ndepartments: [局办公室, 局财务股, 局规划建设股]\n"
PLAN = """\
unit: demo
year: 2026
title: 演示县交通运输局2026年政务公开工作要点
issued: 2026-02-26
sections:
  - title: 重点领域
    items:
      - id: 1
        title: 公开交通规划
        text: 做好规划公开 & 解读，6月底前完成。
        lead: [局规划建设股]
        assist: [局办公室]
        deadline: 2026年6月底前
      - id: 2
        title: 公开在建项目进展
        lead: [局规划建设股]
        deadline: 每季度公开一次
      - id: 3
        title: 政策解读
        lead: [局办公室]
        deadline: {phrase: 每年解读重要政策不少于3次, count: 3, per: year}
      - id: 4
        title: 依申请公开
        lead: [局办公室]
        deadline: 收到申请之日起20个工作日内
      - id: 5
        title: 常态化工作
        lead: [局办公室]
        deadline: 常态化
      - id: 6
        title: 已取消的任务
        lead: [局财务股]
        deadline: 2026-09-30
        status: 已取消
        reason: 上级不再要求
"""


def make_plans(tmp_path: Path, plan: str = PLAN) -> Path:
    d = tmp_path / "plans" / "demo"
    d.mkdir(parents=True, exist_ok=True)
    (d / "unit.yaml").write_text(UNIT, encoding="utf-8")
    (d / "2026.yaml").write_text(plan, encoding="utf-8")
    return tmp_path / "plans"


def export(plans: Path, *args: str) -> bytes:
    out = plans.parent / "out.ics"
    res = CliRunner().invoke(app, ["--plans", str(plans), "--as-of", TODAY.isoformat(), "calendar", "-o", str(out), *args])
    assert res.exit_code == 0, res.output
    return out.read_bytes()


def events_of(data: bytes) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(data)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_deadlines_become_all_day_events(tmp_path: Path) -> None:
    data = export(make_plans(tmp_path))
    events = events_of(data)
    by_summary = {str(e["SUMMARY"]): e for e in events.values()}
    # once: the date; recurring: the four quarter ends; count: the year end; workdays/standing: none
    assert sorted(by_summary) == sorted(
        [
            "截止：公开交通规划",
            "截止：公开在建项目进展（第1季度）",
            "截止：公开在建项目进展（第2季度）",
            "截止：公开在建项目进展（第3季度）",
            "截止：公开在建项目进展（第4季度）",
            "截止：政策解读（2026年不少于3次）",
            "【已取消】截止：已取消的任务",
        ]
    )
    once = by_summary["截止：公开交通规划"]
    assert once.decoded("DTSTART") == dt.date(2026, 6, 30)  # a DATE: an all-day event
    assert once.decoded("DTEND") == dt.date(2026, 7, 1)
    assert once.decoded("DTSTAMP") == dt.datetime(2026, 11, 21, tzinfo=dt.UTC)
    description = str(once["DESCRIPTION"])
    assert "做好规划公开 & 解读，6月底前完成。" in description
    assert "牵头：局规划建设股" in description and "配合：局办公室" in description
    assert "demo/2026/1" in description
    assert by_summary["截止：政策解读（2026年不少于3次）"].decoded("DTSTART") == dt.date(2026, 12, 31)
    assert by_summary["截止：公开在建项目进展（第3季度）"].decoded("DTSTART") == dt.date(2026, 9, 30)
    assert str(by_summary["【已取消】截止：已取消的任务"]["STATUS"]) == "CANCELLED"


def test_ics_parses_back_with_the_same_events_and_uids(tmp_path: Path) -> None:
    plans = make_plans(tmp_path)
    data = export(plans)
    rows = select(load([plans]), TODAY, Filters())
    expected = deadline_events(rows)
    events = events_of(data)
    assert list(events) == [e.uid for e in expected]
    for e in expected:
        got = events[e.uid]
        assert str(got["SUMMARY"]) == e.summary
        assert str(got["DESCRIPTION"]) == e.description
        assert got.decoded("DTSTART") == e.date
    assert events[event_uid("demo/2026/1", 0, "once")].decoded("DTSTART") == dt.date(2026, 6, 30)


def test_ics_file_format(tmp_path: Path) -> None:
    data = export(make_plans(tmp_path))
    text = data.decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert text.endswith("END:VCALENDAR\r\n")
    lines = data.split(b"\r\n")
    assert b"\n" not in b"".join(lines)  # CRLF only
    assert all(len(line) <= 75 for line in lines)  # folded
    for line in lines:
        line.decode("utf-8")  # folding never cuts a character in half


def test_two_runs_give_identical_bytes(tmp_path: Path) -> None:
    plans = make_plans(tmp_path)
    assert export(plans) == export(plans)
    rows = select(load([plans]), TODAY, Filters())
    assert to_ics(deadline_events(rows), TODAY) == to_ics(deadline_events(rows), TODAY)


def test_postponed_deadline_keeps_its_uid(tmp_path: Path) -> None:
    before = events_of(export(make_plans(tmp_path)))
    moved = PLAN.replace("deadline: 2026年6月底前", "deadline: 2026年9月底前")
    after = events_of(export(make_plans(tmp_path, moved)))
    assert set(before) == set(after)  # re-import updates the event instead of adding one
    uid = event_uid("demo/2026/1", 0, "once")
    assert after[uid].decoded("DTSTART") == dt.date(2026, 9, 30)


def test_filters(tmp_path: Path) -> None:
    plans = make_plans(tmp_path)
    only_office = events_of(export(plans, "--dept", "局办公室"))
    assert {str(e["SUMMARY"]) for e in only_office.values()} == {"截止：公开交通规划", "截止：政策解读（2026年不少于3次）"}
    res = CliRunner().invoke(app, ["--plans", str(plans), "--as-of", "2026-11-21", "calendar", "--unit", "nope"])
    assert res.exit_code == 2 and "没有单位「nope」" in res.output


def test_bundled_example_plan() -> None:
    rows = select(load([ROOT / "plans"]), TODAY, Filters(units=("example",)))
    events = deadline_events(rows)
    assert events and len({e.uid for e in events}) == len(events)
    cal = icalendar.Calendar.from_ical(to_ics(events, TODAY))
    assert len(cal.walk("VEVENT")) == len(events)
