"""Standing work (常态化) against the reporting periods, and the one 完成率: the same rule in the lights of
status/list/show, the 回头看, and the xlsx and html 台账 — through the CLI."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from ggk.cli.app import app
from tests.conftest import UNIT_YAML, make_unit, plan_yaml

PLAN = plan_yaml(
    """\
    - id: "1"
      title: 一季度报过，此后没有
      lead: [局办公室]
      status: 进行中
      log:
        - {date: 2021-03-10, note: 一季度的进展, status: 进行中}
    - id: "2"
      title: 一直没有进展
      lead: [局政策法规股]
    - id: "3"
      title: 每季度都报
      lead: [局财务室]
      status: 进行中
      log:
        - {date: 2021-03-10, note: 一季度, status: 进行中}
        - {date: 2021-07-06, note: 二季度（报送期内）}
        - {date: 2021-09-20, note: 三季度}
    - id: "4"
      title: 有时限的任务
      lead: [局办公室]
      deadline: 2021年12月底前
""",
    section="一、常态化工作",
    head="issued: 2021-02-20\n",
)


def run(runner, root: Path, as_of: str, *args: str, code: int = 0) -> str:
    res = runner.invoke(app, ["--plans", str(root), "--as-of", as_of, *args])
    assert res.exit_code == code, res.output
    return res.output


def rows(runner, root: Path, as_of: str) -> dict[str, dict]:
    return {r["id"]: r for r in json.loads(run(runner, root, as_of, "list", "-f", "json"))["items"]}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    make_unit(tmp_path, PLAN)
    return tmp_path


def test_no_progress_in_the_last_owed_period_is_yellow_two_is_red(runner, root):
    # 03-31: nothing owed yet (the first quarter's report is due 5 working days after it)
    assert {k: r["light"] for k, r in rows(runner, root, "2021-03-31").items()} == {"1": "green", "2": "green", "3": "green", "4": "green"}
    # 04-09: the first quarter is owed (due 04-08: 清明 04-03..05); item 2 had nothing in it
    r = rows(runner, root, "2021-04-09")
    assert (r["2"]["light"], r["2"]["idle"]["text"]) == ("yellow", "本季度无进展") and r["1"]["light"] == "green"
    # 07-08: the second quarter is owed too (due 07-07): item 1 missed it, item 2 missed two
    r = rows(runner, root, "2021-07-08")
    assert (r["1"]["light"], r["1"]["idle"]["text"]) == ("yellow", "本季度无进展")
    assert (r["2"]["light"], r["2"]["idle"]["text"]) == ("red", "连续两个季度无进展")
    assert r["3"]["light"] == "green" and r["3"]["idle"] is None  # its 07-06 report was in the window
    assert r["4"]["light"] == "green" and r["4"]["overdue_days"] is None  # standing rule is for standing work only
    out = run(runner, root, "2021-07-08", "list")
    assert "本季度无进展" in out and "连续两个季度无进展" in out
    status = json.loads(run(runner, root, "2021-07-08", "status", "-f", "json"))
    assert status["total"]["idle"] == 2 and status["total"]["overdue"] == 0 and status["total"]["light"] == "red"
    assert "连续两个季度无进展" in run(runner, root, "2021-07-08", "show", "t/2021/2")


def test_a_progress_note_puts_it_back_to_green(runner, root):
    run(runner, root, "2021-07-20", "note", "t/2021/2", "开始梳理政策文件", "--by", "政策法规股")
    assert rows(runner, root, "2021-07-20")["2"]["light"] == "green"
    assert rows(runner, root, "2021-07-19")["2"]["light"] == "red"  # the day before, as it was


def test_periods_before_the_plan_was_issued_are_not_owed(runner, tmp_path):
    make_unit(tmp_path, PLAN.replace("issued: 2021-02-20", "issued: 2021-04-20"))
    assert rows(runner, tmp_path, "2021-04-25")["2"]["light"] == "green"  # Q1 ended before the plan was issued


def test_the_reporting_setting_of_the_unit_gives_the_period_word(runner, tmp_path):
    make_unit(tmp_path, PLAN, unit=UNIT_YAML + "reporting: {every: month, due: 3个工作日}\n")
    assert rows(runner, tmp_path, "2021-04-10")["1"]["idle"] is None  # March (due 04-06) had its progress
    r = rows(runner, tmp_path, "2021-05-10")  # April's report was due 05-08 (五一 05-01..05)
    assert r["1"]["idle"]["text"] == "本月无进展"
    assert r["2"]["idle"]["text"] == "连续三个月无进展"  # February (issued 02-20), March and April


def test_review_lists_a_year_without_progress_and_agrees_with_status(runner, root):
    review = json.loads(run(runner, root, "2022-01-15", "review", "2021", "-f", "json"))["plans"][0]
    fix = {r["id"]: r for r in review["rectification"]}
    assert "2" in fix and fix["2"]["idle"]["text"] == "全年无进展"
    assert "1" not in fix  # it had progress this year
    md = run(runner, root, "2022-01-15", "review", "2021", "-f", "md")
    assert "| 全年无进展 | 无进展记录 |" in md
    status = json.loads(run(runner, root, "2022-01-15", "status", "--year", "2021", "-f", "json"))
    # one 完成率: the same number in status and in the 回头看, for the same plan and day
    assert status["total"]["done_percent"] == review["total"]["done_percent"]


def test_xlsx_and_html_show_the_same_rule(runner, root, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "台账.xlsx"
    run(runner, root, "2021-07-08", "report", "2021", "-f", "xlsx", "-o", str(out))
    ws = load_workbook(io.BytesIO(out.read_bytes()))["工作台账"]
    head = [c.value for c in ws[2]]
    status = {ws.cell(row=r, column=2).value: ws.cell(row=r, column=head.index("完成状态") + 1) for r in range(3, 7)}
    assert status["一直没有进展"].value == "未启动（连续两个季度无进展）"
    assert status["一直没有进展"].fill.fgColor.rgb.endswith("FFC7CE")  # red
    assert status["一季度报过，此后没有"].value == "进行中（本季度无进展）"
    assert status["一季度报过，此后没有"].fill.fgColor.rgb.endswith("FFEB9C")  # yellow
    page = run(runner, root, "2021-07-08", "report", "2021", "-f", "html")
    assert '<td class="status red">未启动（连续两个季度无进展）</td>' in page
    assert "常态化任务报送期内无进展 2 项" in page


def test_completion_rate_is_one_number(runner):
    """The trial saw status 20.0% and review 50.0% for the same plan and day."""
    from tests.conftest import PLANS

    for day in ("2026-11-21", "2026-12-31", "2027-01-15"):
        status = json.loads(run(runner, PLANS, day, "status", "--unit", "example", "--year", "2026", "-f", "json"))
        review = json.loads(run(runner, PLANS, day, "review", "2026", "--unit", "example", "-f", "json"))["plans"][0]
        assert status["total"]["done_percent"] == review["total"]["done_percent"], day
