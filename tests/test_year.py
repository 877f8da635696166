"""A whole office year for a new unit, through the CLI: the ledger is right on every day of it.

A new unit is set up (``ggk init``, then ``ggk import`` of its 要点 from a small text, which fills the
empty registry), assigned, and
worked through 2025 with the routine commands, each run on the day it happens (``GGK_TODAY``): the
印发日期, a first time limit for standing work, contacts, progress, status changes, a late completion,
a postponement, working-day events logged and closed, a wrong entry corrected and a duplicate deleted,
summaries, and in January the carry-over.  On five days (03-31, 06-30, 10-08, 12-31 and 01-10 of the
next year) the clerk's outputs — status, overdue, review, report, notice — are compared with golden
files (tests/golden/year/, GGK_UPDATE_GOLDEN=1 rewrites them).  Then the rest of the year, and later
entries still, are recorded, and every output of those days, re-made with ``--as-of``, must be what it
was on the day, byte for byte (the html and xlsx 台账 too).
"""

from __future__ import annotations

import io
import shlex
import shutil
from pathlib import Path

import pytest

from ggk.cli.app import app
from tests.test_review import assert_golden

DATA = Path(__file__).parent / "data" / "year"

#: (day, command): the year of the 示范县交通运输局, in the order things happen.
SCRIPT: list[tuple[str, str]] = [
    ("2025-02-20", "init demo --name 示范县交通运输局"),
    ("2025-02-20", "import {data}/要点.txt --unit demo"),
    ("2025-02-28", "issued demo/2025 2025年2月26日"),
    ("2025-03-03", "assign demo/2025/2 --add-assist 局财务股"),
    ("2025-03-03", "deadline demo/2025/8 2025年4月底前"),
    ("2025-03-03", "contact demo/2025/1 --name 张明 --role 责任人 --phone 0871-6123456"),
    ("2025-03-03", "contact --dept 局办公室 --name 李华 --role 联系人 --phone 0871-6123400"),
    ("2025-03-20", "note demo/2025/2 公开第一季度在建项目进展（8个项目） --by 局规划股"),
    ("2025-03-28", "note demo/2025/3 预算批复尚未下达，公开材料已备齐 --by 局财务股"),
    ("2025-04-08", "note demo/2025/6 回应网民留言12条 --by 局办公室"),
    ("2025-04-10", "done demo/2025/3 --by 局财务股 --evidence https://demo.example.gov.cn/czyjs/202504/ --note 公开部门预算和三公经费预算"),
    ("2025-04-15", "note demo/2025/4 作出行政处罚决定1件，待公开 --event 2025/4/14 --by 县交通执法大队"),
    ("2025-04-22", "note demo/2025/4 --event 2025-04-14 --done 2025-04-22 --by 县交通执法大队"),
    ("2025-04-25", "note demo/2025/8 指南修订稿完成，待局务会审定 --by 局办公室"),
    ("2025-04-28", "postpone demo/2025/8 --to 2025-05-31 --reason 机构职能调整待定 --by-person 王建国"),
    ("2025-05-12", "note demo/2025/5 局长在县融媒体中心解读《农村公路管护办法》 --by 局法规股"),
    ("2025-05-20", "done demo/2025/8 --by 局办公室 --evidence https://demo.example.gov.cn/zwgk/gkzn/"),
    ("2025-06-18", "done demo/2025/1 --by 局规划股 --evidence https://demo.example.gov.cn/ghxx/202506/"),
    ("2025-06-25", "note demo/2025/2 公开第二季度在建项目进展（9个项目） --by 局规划股"),
    # ---- 06-30
    ("2025-07-10", "note demo/2025/6 就国道施工绕行答复留言15条 --by 局办公室 --date 2025-07-01"),
    ("2025-07-15", "correct demo/2025/6 2 --set-date 2025-07-08 --reason 记录日期写错 --by 局办公室"),
    ("2025-08-05", "note demo/2025/7 受理依申请公开3件，均按期答复 --by 局办公室"),
    ("2025-08-06", "note demo/2025/7 受理依申请公开3件，均按期答复 --by 局办公室"),
    ("2025-08-07", "correct demo/2025/7 2 --delete --reason 重复录入 --by 局办公室"),
    ("2025-09-10", "note demo/2025/4 作出行政处罚决定2件，待公开 --event 2025-09-08 --by 县交通执法大队"),
    # ---- 10-08
    ("2025-10-20", "note demo/2025/4 处罚决定2件已公开 --event 2025-09-08 --done 2025-10-20 --by 县交通执法大队"),
    ("2025-10-28", "note demo/2025/2 补发第三季度在建项目进展 --by 局规划股"),
    ("2025-11-05", "note demo/2025/5 分管局长解读《城乡客运一体化实施方案》 --by 局法规股"),
    ("2025-12-10", "note demo/2025/2 公开第四季度在建项目进展（7个项目） --by 局规划股"),
    ("2025-12-20", "summary demo/2025/1 6月18日在政府信息公开专栏集中公开全县交通运输规划体系。"),
    ("2025-12-20", "summary demo/2025/3 4月10日公开部门预算和“三公”经费预算，较要求时限滞后10天。"),
    # ---- 12-31
    ("2026-01-05", "review 2025 --unit demo --carry-over --deadline 2026年3月底前"),
    # ---- 01-10 (2026)
    ("2026-01-20", "note demo/2025/9 一季度政务新媒体检查已部署 --by 局办公室"),
    ("2026-02-10", "summary demo/2025/9 全年开展政务新媒体检查4次。"),
    ("2026-03-02", "note demo/2026/2025-2 公开上年度第三季度补报情况说明 --by 局规划股"),
    # back-dated records (补记), entered after all five days but dated before them: each report of those
    # days must stay what it was, so they count from the day they were entered
    ("2026-03-03", "note demo/2025/5 9月26日解读《公路养护工程管理办法》 --by 局法规股 --date 2025-09-26"),
    ("2026-03-03", "note demo/2025/9 3月开展政务新媒体检查 --by 局办公室 --date 2025-03-20"),
    ("2026-03-04", "update demo/2025/7 --status 已完成 --date 2025-06-28 --by 局办公室 --note 依申请公开制度修订完成"),
    ("2026-03-04", "done demo/2025/6 --date 2025-12-30 --by 局办公室"),
    ("2026-03-05", "postpone demo/2026/2025-2 --to 2026-04-30 --reason 补记的延期 --by-person 王建国 --date 2026-01-08"),
    ("2026-03-05", "note demo/2025/4 作出行政处罚决定1件 --event 2025-06-16 --done 2025-06-20 --date 2025-06-16 --by 县交通执法大队"),
    # the 2026 要点's 印发日期, known only now: the carried task was in force from its carry-over
    ("2026-03-06", "issued demo/2026 2026年2月20日"),
    # changes made later that earlier reports must not show: a first time limit on standing work (it would
    # be 逾期 on every day), a department taken off an item (it still missed what it missed), a summary
    # written again and another back-dated
    ("2026-03-06", "deadline demo/2025/6 2025年5月底前"),
    ("2026-03-06", "assign demo/2025/5 --lead 局办公室 --assist 局规划股"),
    ("2026-03-06", "summary demo/2025/1 重写：6月18日集中公开全县交通运输规划体系，共12项规划。"),
    ("2026-03-06", "summary demo/2025/3 补记：4月10日公开部门预算。 --date 2025-12-15"),
]

DAYS = ["2025-03-31", "2025-06-30", "2025-10-08", "2025-12-31", "2026-01-10"]

#: (file name, command): what the clerk looks at on each of the days
OUTPUTS: list[tuple[str, str]] = [
    ("status.txt", "status"),
    ("status_dept.txt", "status --by dept"),
    ("overdue.txt", "overdue --within 15"),
    ("list.txt", "list --year 2025"),
    ("review.md", "review 2025 -f md"),
    ("report.md", "report 2025 -f md"),
    ("notice.md", "notice 局办公室 -f md"),
]
#: compared byte for byte between the day and later, without a golden file
EXTRA: list[tuple[str, str]] = [
    ("ledger.html", "report 2025 -f html"),
    ("show2.txt", "show demo/2025/2"),
    ("show4.json", "show demo/2025/4 -f json"),
    ("calendar.ics", "calendar --unit demo --year 2025"),
]


def run(runner, root: Path, day: str, line: str) -> str:
    args = shlex.split(line.format(data=DATA))
    res = runner.invoke(app, ["--plans", str(root / "plans"), *args], env={"GGK_TODAY": day})
    assert res.exit_code == 0, (day, line, res.output)
    return res.stdout


def outputs(runner, root: Path, day: str) -> dict[str, str]:
    out = {name: run(runner, root, day, f"--as-of {day} {cmd}") for name, cmd in [*OUTPUTS, *EXTRA]}
    out["ledger.xlsx"] = _xlsx_cells(runner, root, day)
    return out


def _xlsx_cells(runner, root: Path, day: str) -> str:
    from openpyxl import load_workbook

    target = root / f"台账-{day}.xlsx"
    run(runner, root, day, f"--as-of {day} report 2025 -f xlsx -o {target}")
    wb = load_workbook(io.BytesIO(target.read_bytes()))
    target.unlink()
    return "\n".join(f"{ws.title}!{c.coordinate}={c.value}" for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value)


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The scripted year, run once: the outputs made on each day, and the ledger at the end."""
    from typer.testing import CliRunner

    runner = CliRunner()
    root = tmp_path_factory.mktemp("year")
    (root / "plans").mkdir()
    made: dict[str, dict[str, str]] = {}
    pending = list(DAYS)
    for day, line in SCRIPT:
        while pending and pending[0] < day:
            made[pending[0]] = outputs(runner, root, pending[0])
            pending.pop(0)
        run(runner, root, day, line)
    assert not pending
    return {"runner": runner, "root": root, "made": made}


@pytest.mark.parametrize("day", DAYS)
def test_outputs_on_the_day_are_the_golden_ones(year, day):
    made = year["made"][day]  # type: ignore[index]
    for name, _cmd in OUTPUTS:
        assert_golden(f"year/{day}/{name}", made[name])


@pytest.mark.parametrize("day", DAYS)
def test_re_made_later_they_are_byte_identical(year, day):
    runner, root, made = year["runner"], year["root"], year["made"]
    later = outputs(runner, root, day)
    for name in made[day]:  # type: ignore[index]
        assert later[name] == made[day][name], f"{name} as of {day} changed after later records"  # type: ignore[index]


def test_a_correction_counts_from_its_date(year, runner, tmp_path):
    """A correction made in March 2026 changes the ledger from that day on: the 06-30 report re-made after
    it is still the one made on 06-30, byte for byte (README "报告日期"); the file keeps both texts."""
    root = tmp_path / "copy"
    shutil.copytree(year["root"], root)
    before = run(runner, root, "2026-03-05", "--as-of 2025-06-30 report 2025 -f md")
    assert "公开第一季度在建项目进展（8个项目）" in before
    run(
        runner,
        root,
        "2026-03-05",
        "correct demo/2025/2 1 --note 公开第一季度在建项目进展（8个项目，含乡镇项目2个） --reason 补充说明 --by 局规划股",
    )
    assert run(runner, root, "2026-03-05", "--as-of 2025-06-30 report 2025 -f md") == before
    after = run(runner, root, "2026-03-05", "--as-of 2026-03-05 report 2025 -f md")
    assert "公开第一季度在建项目进展（8个项目，含乡镇项目2个）" in after
    assert "was: {note: 公开第一季度在建项目进展（8个项目）}" in (root / "plans/demo/2025.yaml").read_text(encoding="utf-8")


def test_the_ledger_at_the_end_is_clean_and_holds_the_traces(year, runner):
    root = year["root"]
    res = runner.invoke(app, ["--as-of", "2026-03-06", "check", str(root / "plans")])
    assert res.exit_code == 0, res.output
    text = (root / "plans" / "demo" / "2025.yaml").read_text(encoding="utf-8")
    assert "deleted: {date: 2025-08-07, reason: 重复录入, by: 局办公室}" in text
    assert "was: {date: 2025-07-01}" in text
    assert "issued: 2025-02-26" in text
    # a summary written again keeps the one it replaced, with its date; a back-dated one says when it was entered
    old = "6月18日在政府信息公开专栏集中公开全县交通运输规划体系。"
    assert f"summary_history:\n          - text: {old}\n            date: 2025-12-20\n" in text
    assert "summary_date: 2025-12-15\n        summary_recorded: 2026-03-06\n" in text
    # a first time limit set after the plan was issued, and departments changed, carry their day
    assert "deadline: {phrase: 2025年5月底前, due: 2025-05-31}\n        deadline_set: 2026-03-06\n" in text
    assert "assigned:\n          - {date: 2025-03-03, lead: [局规划股], assist: []}\n" in text
    assert "- {date: 2026-03-06, lead: [局法规股], assist: [各股室]}" in text
    # a record entered after its date says when it was entered; one entered on its date does not
    assert "- date: 2025-09-26\n            recorded: 2026-03-03\n            by: 局法规股" in text
    assert "- date: 2025-06-16\n            recorded: 2026-03-05\n" in text
    assert text.count("recorded:") == 7 and "recorded: 2025-07-10" in text  # the note of 07-10 dated 07-01
    assert "contact: {name: 张明, role: 责任人, phone: 0871-6123456}" in text
    unit = (root / "plans" / "demo" / "unit.yaml").read_text(encoding="utf-8")
    assert "contact: {name: 李华, role: 联系人, phone: 0871-6123400}" in unit
    # the carried item exists in the next year's plan from the day it was carried
    assert "carried_from: demo/2025/" in (root / "plans" / "demo" / "2026.yaml").read_text(encoding="utf-8")


def test_next_years_plan_imported_later_does_not_rewrite_january(year, runner, tmp_path):
    """The QA trial's item 3b: the 2026 要点 arrives in March with its 印发日期 (02-20; the script filled it in
    on 03-06, the import writes it again).  The task carried into 2026 on 01-05 was in force from then, so
    every output of 01-10 re-made after both is the one made on 01-10 (the 2026 plan with its carried task,
    not the 2025 plan and a 尚未施行 note); the document's own tasks are 尚未施行 before 02-20, and from
    then until the import (03-07) not yet in the ledger (``added``): there from the day they were imported."""
    root = tmp_path / "copy"
    shutil.copytree(year["root"], root)
    source = tmp_path / "要点2026.txt"
    source.write_text((DATA / "要点.txt").read_text(encoding="utf-8").replace("2025", "2026"), encoding="utf-8")
    on_the_day = year["made"]["2026-01-10"]  # type: ignore[index]
    assert "示范县交通运输局 2026年" in on_the_day["status.txt"] and "尚未施行" not in on_the_day["status.txt"]
    run(runner, root, "2026-03-07", f"import {source} --unit demo --issued 2026-02-20")
    assert "issued: 2026-02-20" in (root / "plans/demo/2026.yaml").read_text(encoding="utf-8")
    later = outputs(runner, root, "2026-01-10")
    assert {name: text.replace(str(root), str(year["root"])) for name, text in later.items()} == on_the_day  # show's path
    assert "demo/2026/1 " not in run(runner, root, "2026-03-07", "--as-of 2026-01-10 list --year 2026")
    assert "尚未施行" in run(runner, root, "2026-03-07", "--as-of 2026-01-10 show demo/2026/1")
    on_issue = run(runner, root, "2026-03-07", "--as-of 2026-02-20 list --year 2026")
    assert "demo/2026/1 " not in on_issue and "demo/2026/2025-2" in on_issue
    imported = run(runner, root, "2026-03-07", "--as-of 2026-03-07 list --year 2026")
    assert "demo/2026/1 " in imported and "demo/2026/2025-2" in imported


def _missed(runner, root: Path, day: str) -> set[tuple[str, str]]:
    """(department, period) of every 漏报 of the 2025 plan as of ``day``."""
    import json

    data = json.loads(run(runner, root, "2026-03-05", f"--as-of {day} status --year 2025 -f json"))
    return {(d["dept"], p["period"]) for d in data["reporting"]["departments"] for p in d["periods"] if p["state"] == "漏报"}


def test_periods_missed_stay_missed_after_the_carry_over(year, runner):
    """A carry-over (2026-01-05) does not erase the periods the departments of a carried item missed
    before it: 局规划股 and 局财务股 (lead and support of item 2) missed 2025's third quarter, and
    still did on every later day; later days only add periods."""
    root = year["root"]
    before = _missed(runner, root, "2026-01-04")
    assert {("局规划股", "2025-Q3"), ("局财务股", "2025-Q3")} <= before
    for day in ("2026-01-05", "2026-01-10", "2026-03-05", "2026-03-06"):
        assert before <= _missed(runner, root, day), day
    # 局法规股, taken off item 5 on 2026-03-06, still missed what it missed in 2025
    assert {p for d, p in before if d == "局法规股"} == {p for d, p in _missed(runner, root, "2026-03-06") if d == "局法规股"} != set()


def test_last_years_reports_are_shown_while_they_are_being_collected(year, runner):
    """QA round 2: after the carry-over the current plan is 2026, yet in January the office is still
    collecting 2025's fourth-quarter reports (due 01-08).  ``status`` and ``overdue --reports`` show the
    departments that missed it — the ones ``notice --remind`` names — and count 2025's earlier 迟报/漏报 in a
    line pointing to ``--year 2025``, until the first quarter of 2026 is over."""
    import json

    root = year["root"]
    remind = run(runner, root, "2026-03-05", "--as-of 2026-01-10 notice --remind --unit demo -f json")
    reminded = [r["dept"] for r in json.loads(remind)["rows"]]
    assert json.loads(remind)["period"] == "2025-Q4" and reminded
    whole = _missed(runner, root, "2026-01-10")
    for line in ("status", "overdue --reports"):
        out = run(runner, root, "2026-03-05", f"--as-of 2026-01-10 {line}")
        for dept in reminded:
            assert f"  {dept}：漏报 2025年第四季度" in out, (line, out)
        earlier = len([p for p in whole if p[1] != "2025-Q4"])
        pointer = f"上年度计划（示范县交通运输局 2025年）此前各期另有迟报 0 期次、漏报 {earlier} 期次"
        assert f"{pointer}：ggk status --year 2025 --unit demo" in out
        assert "2026年第" not in out  # nothing of 2026 is due yet
        after = run(runner, root, "2026-03-05", f"--as-of 2026-04-01 {line}")
        assert "2025年第四季度" not in after and "上年度计划" not in after, (line, after)
    data = json.loads(run(runner, root, "2026-03-05", "--as-of 2026-01-10 status -f json"))["reporting"]
    shown = {(d["dept"], p["period"]) for d in data["departments"] for p in d["periods"] if p["state"] == "漏报"}
    assert shown == {p for p in whole if p[1] == "2025-Q4"} == {(d, "2025-Q4") for d in reminded}
    assert data["earlier"] == [{"plan": "demo/2025", "late": 0, "missing": len(whole) - len(shown)}]
    asked = json.loads(run(runner, root, "2026-03-05", "--as-of 2026-01-10 status --year 2026 -f json"))["reporting"]
    assert asked["departments"] == [] and asked["earlier"] == []  # a year asked for is that year alone
