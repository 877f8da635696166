"""``--as-of D`` is the ledger of day D (``ggk.ledger.snapshot``): nothing dated after D leaks into a
report for D, through the CLI on the example unit and on small plans written inline."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ggk.cli.app import app
from ggk.ledger.snapshot import snapshot
from ggk.workspace.load import load
from tests.conftest import PLANS, make_unit, plan_yaml


def run(runner, plans: Path, as_of: str, *args: str, code: int = 0) -> str:
    res = runner.invoke(app, ["--plans", str(plans), "--as-of", as_of, *args])
    assert res.exit_code == code, res.output
    return res.output


def items(runner, plans: Path, as_of: str, *args: str) -> dict[str, dict]:
    data = json.loads(run(runner, plans, as_of, "list", "--format", "json", *args))
    return {r["id"]: r for r in data["items"]}


def test_a_completion_after_the_day_is_not_there_yet(runner):
    """The trial's first finding: on 2026-03-01 an item completed on 2026-06-18 was listed as 已完成."""
    before = items(runner, PLANS, "2026-03-01", "--unit", "example")
    assert before["1"]["status"] == "未启动" and before["1"]["completed"] is None
    assert before["1"]["due_in_days"] == 121
    assert before["13"]["status"] == "已完成"  # completed 2026-01-27: before the day
    after = items(runner, PLANS, "2026-06-18", "--unit", "example")
    assert after["1"]["status"] == "已完成" and after["1"]["completed"] == "2026-06-18"


def test_status_before_a_later_change_is_the_one_set_last_up_to_the_day(runner):
    # item 10 was cancelled on 07-30: before that it was 未启动 (no progress yet)
    assert items(runner, PLANS, "2026-07-29", "--unit", "example")["10"]["status"] == "未启动"
    day = items(runner, PLANS, "2026-07-30", "--unit", "example")["10"]
    assert day["status"] == "已取消" and day["light"] == "grey"
    # item 3: 进行中 from 03-30, 已完成 on 04-15
    assert items(runner, PLANS, "2026-04-01", "--unit", "example")["3"]["status"] == "进行中"


def test_status_counts_nothing_done_before_the_plan_was_issued(runner):
    """The example plan was issued on 2026-02-26: on 02-01 it is not in force — not in status or list,
    and show says so."""
    out = run(runner, PLANS, "2026-02-01", "status", "--unit", "example")
    assert "示例县交通运输局 2026年" not in out and "没有符合条件的条目" in out
    assert "于 2026-02-26 印发，截至 2026-02-01 尚未施行" in out
    assert "example/2026" not in run(runner, PLANS, "2026-02-01", "list", "--unit", "example")
    shown = run(runner, PLANS, "2026-02-01", "show", "example/2026/13")
    assert "尚未施行" in shown
    data = json.loads(run(runner, PLANS, "2026-02-01", "show", "example/2026/13", "-f", "json"))
    assert data["in_force"] is False
    out = run(runner, PLANS, "2026-02-01", "review", "2026", "--unit", "example", code=2)
    assert "尚未施行" in out
    out = run(runner, PLANS, "2026-02-01", "report", "2026", "--unit", "example", code=2)
    assert "尚未施行" in out
    assert "示例县交通运输局 2026年" in run(runner, PLANS, "2026-02-26", "status", "--unit", "example")


def test_a_notice_re_issued_for_a_past_day_shows_only_what_was_known(runner):
    """A 督办单 re-made for 10-15 must not show the 11-16 progress entry as its 最近进展."""
    out = run(runner, PLANS, "2026-10-15", "notice", "局运输管理股", "-u", "example", "-f", "md")
    assert "2026-11-16" not in out and "待公开" in out
    assert "2026-09-28" in out


def test_the_deadline_in_force_on_the_day(runner):
    """Item 12 was postponed on 10-20 from 10-31 to 12-05: before that its deadline was 10-31."""
    assert items(runner, PLANS, "2026-10-19", "--unit", "example")["12"]["deadline"] == "2026-10-31"
    assert items(runner, PLANS, "2026-10-20", "--unit", "example")["12"]["deadline"] == "2026-12-05"
    shown = run(runner, PLANS, "2026-10-19", "show", "example/2026/12")
    assert "延期记录" not in shown and "2026年10月底前" in shown


def test_an_event_closed_after_the_day_is_open_on_it(runner, tmp_path):
    plans = tmp_path / "plans"
    shutil.copytree(PLANS, plans)
    run(runner, plans, "2026-11-25", "note", "example/2026/4", "--event", "2026-11-16", "--done", "2026-11-25", "--by", "运管股")
    on = items(runner, plans, "2026-11-24", "--unit", "example")["4"]
    assert on["rule"]["detail"].count("待办") == 1  # the 11-16 event still open on 11-24
    later = items(runner, plans, "2026-11-25", "--unit", "example")["4"]
    assert "待办" not in later["rule"]["detail"]


def test_an_event_closed_later_than_its_publication_is_open_until_then(runner, tmp_path):
    """Published on 11-20, entered on 11-25 (``done_recorded``): a report of 11-22 re-made after it still
    shows the event open, as it did on 11-22."""
    plans = tmp_path / "plans"
    shutil.copytree(PLANS, plans)
    before = run(runner, plans, "2026-11-22", "list", "--unit", "example")
    run(runner, plans, "2026-11-25", "note", "example/2026/4", "--event", "2026-11-16", "--done", "2026-11-20", "--by", "运管股")
    assert "done: 2026-11-20\n            done_recorded: 2026-11-25\n" in (plans / "example/2026.yaml").read_text(encoding="utf-8")
    assert run(runner, plans, "2026-11-22", "list", "--unit", "example") == before
    assert items(runner, plans, "2026-11-22", "--unit", "example")["4"]["rule"]["detail"].count("待办") == 1
    assert "待办" not in items(runner, plans, "2026-11-25", "--unit", "example")["4"]["rule"]["detail"]


def test_records_entered_later_than_their_date_count_from_that_day(runner, tmp_path):
    """``ggk note --date 2026-09-30`` and ``ggk done --date`` run on 10-12: not in the 10-08 ledger, in the
    10-12 one with their own dates; a postponement decided on 10-05 and entered on 10-12 likewise."""
    plans = tmp_path / "plans"
    shutil.copytree(PLANS, plans)
    lines = [["list", "--unit", "example"], ["status", "--unit", "example"], ["show", "example/2026/9"], ["overdue"]]
    before = [run(runner, plans, "2026-10-08", *line) for line in lines]
    run(runner, plans, "2026-10-12", "note", "example/2026/15", "已公开复文5件", "--date", "2026-09-30", "--by", "局办公室")
    run(runner, plans, "2026-10-12", "done", "example/2026/14", "--date", "2026-09-29", "--by", "局办公室")
    run(runner, plans, "2026-10-12", "postpone", "example/2026/9", "--to", "2026-12-20", "--reason", "补记", "--date", "2026-10-05")
    assert [run(runner, plans, "2026-10-08", *line) for line in lines] == before
    on = items(runner, plans, "2026-10-12", "--unit", "example")
    assert on["14"]["status"] == "已完成" and on["14"]["completed"] == "2026-09-29"
    assert on["9"]["deadline"] == "2026-12-20"
    assert "已公开复文5件（2026-10-12 补记）" in run(runner, plans, "2026-10-12", "show", "example/2026/15")
    log = json.loads(run(runner, plans, "2026-10-12", "show", "example/2026/15", "-f", "json"))["log"]
    assert {"date": "2026-09-30", "recorded": "2026-10-12"}.items() <= next(e for e in log if e["note"] == "已公开复文5件").items()


PLAN = plan_yaml(
    """\
    - id: "1"
      title: 一项结转的任务
      lead: [局办公室]
      deadline: 2021-06-30
      carried_to: t/2022/2021-1
      log:
        - {date: 2021-05-01, note: 起草}
        - {date: 2022-01-05, note: 未完成，结转至2022年计划（t/2022/2021-1）, counts: false}
    - id: "2"
      title: 写了落实情况
      lead: [局办公室]
      status: 已完成
      completed: 2021-11-30
      summary: 全年完成。
      summary_date: 2021-12-20
      log:
        - {date: 2021-11-30, note: 完成, status: 已完成}
    - id: "3"
      title: 手写的落实情况
      lead: [局办公室]
      status: 进行中
      summary: 手写的落实情况。
      log:
        - {date: 2021-05-01, note: 开始, status: 进行中}
        - {date: 2021-10-01, note: 继续}
    - id: "4"
      title: 有删除和更正的记录
      lead: [局办公室]
      status: 进行中
      log:
        - {date: 2021-04-01, note: 录错了, status: 进行中, deleted: {date: 2021-04-03, reason: 录错条目}}
        - {date: 2021-04-02, note: 正确的内容, corrected: [{date: 2021-04-03, reason: 笔误, was: {note: 不对的内容}}]}
""",
    head="issued: 2021-03-01\n",
)
NEXT = plan_yaml(
    """\
    - id: "2021-1"
      title: 一项结转的任务
      lead: [局办公室]
      deadline: 2022-06-30
      carried_from: t/2021/1
      log:
        - {date: 2022-01-05, note: 由 t/2021/1 结转（原时限：2021-06-30）, counts: false}
""",
    year=2022,
    section="上年度结转任务",
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    make_unit(tmp_path, PLAN)
    make_unit(tmp_path, NEXT, year=2022)
    return tmp_path


def test_carry_over_marks_and_carried_items_exist_from_the_carry_over(runner, root):
    show = json.loads(run(runner, root, "2021-12-31", "show", "t/2021/1", "-f", "json"))
    assert show["carried_to"] is None and [e["date"] for e in show["log"]] == ["2021-05-01"]
    show = json.loads(run(runner, root, "2022-01-05", "show", "t/2021/1", "-f", "json"))
    assert show["carried_to"] == "t/2022/2021-1"
    out = run(runner, root, "2021-12-31", "list", "--year", "2022")
    assert "2021-1" not in out  # not carried yet
    assert "t/2022/2021-1" in run(runner, root, "2022-01-05", "list", "--year", "2022")


def test_summaries_show_from_their_date(runner, root):
    two = json.loads(run(runner, root, "2021-12-19", "show", "t/2021/2", "-f", "json"))
    assert two["summary"] is None and two["status"] == "已完成"
    assert json.loads(run(runner, root, "2021-12-20", "show", "t/2021/2", "-f", "json"))["summary"] == "全年完成。"
    # undated (written by hand): not while the item has records after the day, always once the year is over
    assert json.loads(run(runner, root, "2021-06-30", "show", "t/2021/3", "-f", "json"))["summary"] is None
    assert json.loads(run(runner, root, "2021-10-01", "show", "t/2021/3", "-f", "json"))["summary"] == "手写的落实情况。"
    assert "全年完成。" not in run(runner, root, "2021-12-19", "report", "2021")
    assert "全年完成。" in run(runner, root, "2021-12-20", "report", "2021")


def test_deletions_and_corrections_count_from_their_date(runner, root):
    """A report of 04-02 re-made after the deletion and the correction of 04-03 is what it was on 04-02:
    the wrong entry is there, the corrected one with its old text; from 04-03 on, the corrected ledger."""
    log = json.loads(run(runner, root, "2021-04-02", "show", "t/2021/4", "-f", "json"))["log"]
    assert [(e["no"], e["note"], e.get("corrected")) for e in log] == [(1, "录错了", None), (2, "不对的内容", None)]
    for day in ("2021-04-03", "2021-12-31"):
        log = json.loads(run(runner, root, day, "show", "t/2021/4", "-f", "json"))["log"]
        assert [e["note"] for e in log] == ["正确的内容"] and log[0]["no"] == 2  # numbered as in the file
        assert log[0]["corrected"] == [{"date": "2021-04-03", "reason": "笔误", "was": {"note": "不对的内容"}}]
    assert "录错了" not in run(runner, root, "2021-12-31", "report", "2021")
    assert "录错了" in run(runner, root, "2021-04-02", "report", "2021")


def test_snapshot_keeps_what_nothing_later_touches(root):
    """Items with nothing dated after the day are the same objects (a snapshot of today costs little);
    the others are copies, and the files' workspace is left as it was."""
    import datetime as dt

    ws = load([root])
    plan = next(e.plan for e in ws.plans if e.plan.year == 2021)
    first = {it.id: it for _l, _c, it in plan.iter_items()}
    later = snapshot(ws, dt.date(2030, 1, 1))
    after = {it.id: it for e in later.plans if e.plan.year == 2021 for _l, _c, it in e.plan.iter_items()}
    assert after["2"] is first["2"] and after["3"] is first["3"] and after["1"] is first["1"]
    assert after["4"] is not first["4"] and len(after["4"].log) == 1 and len(first["4"].log) == 2  # the deleted entry
    early = snapshot(ws, dt.date(2021, 5, 1))
    assert later.as_of == dt.date(2030, 1, 1) and early.as_of == dt.date(2021, 5, 1)
    assert [e.plan.year for e in early.unissued] == [] and len(first["1"].log) == 2  # the file's plan untouched
    assert [e.plan.year for e in snapshot(ws, dt.date(2021, 2, 1)).unissued] == [2021]  # issued 2021-03-01


def test_carry_over_run_for_an_earlier_day_does_not_carry_twice(runner, root):
    """The review of a day before the carry-over does not see it (its snapshot), but carrying over looks
    at the files: what was carried is not carried again."""
    before = (root / "t" / "2022.yaml").read_bytes()
    res = runner.invoke(app, ["--plans", str(root), "--as-of", "2022-01-01", "review", "2021", "--carry-over"])
    assert res.exit_code == 0, res.output
    assert "跳过 t/2021/1：已结转至 t/2022/2021-1" in res.stderr
    assert (root / "t" / "2022.yaml").read_bytes() == before


def test_the_status_on_a_day_is_the_last_one_entered_by_then(runner, tmp_path):
    """A completion dated 05-10 but entered on 06-01, after a change dated 05-20: on 06-05 the ledger's last
    word was the completion (entered last), not the 05-20 change; before 06-01 it was the 05-20 change."""
    plan = plan_yaml(
        """\
        - id: "1"
          title: 一项反复的任务
          lead: [局办公室]
          status: 进行中
          log:
            - {date: 2021-05-01, note: 开始, status: 进行中}
            - {date: 2021-05-20, note: 暂缓, status: 未启动}
            - {date: 2021-05-10, recorded: 2021-06-01, note: 补记：已完成, status: 已完成}
            - {date: 2021-06-20, note: 重新打开, status: 进行中}
        """
    )
    make_unit(tmp_path, plan)

    def state(day: str) -> tuple[str, str | None]:
        data = json.loads(run(runner, tmp_path, day, "show", "t/2021/1", "-f", "json"))
        return data["status"], data["completed"]

    assert state("2021-05-31") == ("未启动", None)
    assert state("2021-06-05") == ("已完成", "2021-05-10")
    assert state("2021-06-20") == ("进行中", None)


def test_a_carried_item_changed_later_keeps_its_status_on_earlier_days(runner, tmp_path):
    """The second QA trial: a task carried over 未启动 on 01-05 was listed 进行中 for 01-10 once a note of
    01-20 changed its status (the carry-over's own note counted as progress)."""
    make_unit(
        tmp_path,
        plan_yaml(
            """\
    - id: "1"
      title: 未完成的任务
      lead: [局办公室]
      deadline: 2021-06-30
""",
            head="issued: 2021-03-01\n",
        ),
    )
    run(runner, tmp_path, "2022-01-05", "review", "2021", "--carry-over")
    before = {a: run(runner, tmp_path, "2022-01-10", *a) for a in (("list", "--year", "2022"), ("status", "--year", "2022"))}
    assert "未启动" in before[("list", "--year", "2022")]
    run(runner, tmp_path, "2022-01-20", "note", "t/2022/2021-1", "考核制度起草", "--by", "局办公室")
    assert items(runner, tmp_path, "2022-01-20", "--year", "2022")["2021-1"]["status"] == "进行中"
    for args, out in before.items():
        assert run(runner, tmp_path, "2022-01-10", *args) == out, args
