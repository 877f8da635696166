"""The year-end 回头看 (`ggk review`): every item sorted into its outcome, counts per department and
section, the 整改清单, periods and counts of duties; and carrying unfinished items over.

Outputs in Markdown are compared with golden files in tests/golden/ (GGK_UPDATE_GOLDEN=1 rewrites them).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from ggk.cli.app import app
from ggk.ledger.review import Outcome, review
from ggk.workspace.load import load
from tests.conftest import PLANS, make_unit

GOLDEN = Path(__file__).parent / "golden"


def assert_golden(name: str, text: str) -> None:
    """``text`` equals tests/golden/<name> exactly; GGK_UPDATE_GOLDEN=1 writes it instead."""
    path = GOLDEN / name
    if os.environ.get("GGK_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"golden file {path} missing: run with GGK_UPDATE_GOLDEN=1"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{name} differs from the golden file (GGK_UPDATE_GOLDEN=1 to accept)"


# A plan whose every item has a known outcome (see OUTCOME_AFTER / OUTCOME_MIDYEAR).
PLAN = """\
format: 1
unit: t
year: 2021
title: 测试县交通运输局2021年政务公开工作要点
sections:
  - "no": 一
    title: 重点领域信息公开
    items:
      - id: "1"
        title: 按期完成的任务
        lead: [局办公室]
        deadline: 2021年6月底前
        status: 已完成
        completed: 2021-06-20
        summary: 6月20日完成。
      - id: "2"
        title: 逾期完成的任务
        lead: [局财务室]
        deadline: {phrase: 2021年3月底前, due: 2021-03-31}
        status: 已完成
        completed: 2021-04-10
      - id: "3"
        title: 没有完成的任务
        lead: [办公室]
        assist: [局政策法规股]
        deadline: 2021年9月底前
        status: 进行中
        log:
          - {date: 2021-08-02, note: 已起草初稿}
      - id: "4"
        title: 取消的任务
        lead: [局政策法规股]
        deadline: 2021年10月底前
        status: 已取消
        reason: 上级文件已废止
  - "no": 二
    title: 政策解读与回应关切
    items:
      - id: "5"
        title: 常态化且有进展
        lead: [局办公室]
        status: 进行中
        log:
          - {date: 2021-05-01, note: 回应留言12条}
      - id: "6"
        title: 常态化没有进展
        lead: [局政策法规股]
        deadline: 常态化
      - id: "7"
        title: 每季度都落实了
        lead: [局办公室]
        deadline: {phrase: 每季度公开一次, every: quarter}
        status: 进行中
        log:
          - {date: 2021-03-15, note: 一季度}
          - {date: 2021-06-10, note: 二季度}
          - {date: 2021-09-10, note: 三季度}
          - {date: 2021-12-10, note: 四季度}
      - id: "8"
        title: 第二季度漏了
        lead: [局财务室]
        deadline: {phrase: 每季度公开一次, every: quarter}
        status: 进行中
        log:
          - {date: 2021-03-15, note: 一季度}
          - {date: 2021-07-10, note: 三季度}
          - {date: 2021-10-10, note: 四季度}
      - id: "9"
        title: 一年三次只做了两次
        lead: [局政策法规股]
        deadline: {phrase: 每年解读不少于3次, count: 3, per: year}
        status: 进行中
        log:
          - {date: 2021-03-01, note: 第一次}
          - {date: 2021-05-01, note: 第二次}
      - id: "10"
        title: 没有牵头单位但按期完成
        deadline: 2021年5月底前
        status: 已完成
        completed: 2021-05-30
      - id: "11"
        title: 时限在下一年
        lead: [局办公室]
        deadline: 2022年6月底前
        status: 进行中
        log:
          - {date: 2021-11-01, note: 已启动}
"""

OC = Outcome
OUTCOME_AFTER = {  # as of 2022-01-15, after the year
    "1": OC.ON_TIME, "2": OC.LATE, "3": OC.UNFINISHED, "4": OC.CANCELLED, "5": OC.STANDING, "6": OC.STANDING,
    "7": OC.ON_TIME, "8": OC.UNFINISHED, "9": OC.UNFINISHED, "10": OC.ON_TIME, "11": OC.NOT_DUE,
}  # fmt: skip
OUTCOME_MIDYEAR = OUTCOME_AFTER | {"3": OC.NOT_DUE, "7": OC.NOT_DUE, "8": OC.NOT_DUE, "9": OC.NOT_DUE}


@pytest.fixture
def fixture_root(tmp_path: Path) -> Path:
    make_unit(tmp_path, PLAN)
    return tmp_path


def _review(root: Path, year: int, today: str, units=()):
    ws = load([root])
    return review(ws, year, dt.date.fromisoformat(today), units)


def _counts(p) -> dict[str, int]:
    return {o.value: n for o, n in p.total.counts.items()}


def test_every_outcome_after_the_year(fixture_root):
    p = _review(fixture_root, 2021, "2022-01-15").plans[0]
    assert {ri.item.id: ri.outcome for ri in p.items} == OUTCOME_AFTER
    assert _counts(p) == {"按期完成": 3, "逾期完成": 1, "未完成": 3, "未到期": 1, "已取消": 1, "常态化": 2}
    by_id = {ri.item.id: ri for ri in p.items}
    assert by_id["2"].late_days == 10
    assert by_id["3"].late_days == (dt.date(2022, 1, 15) - dt.date(2021, 9, 30)).days
    assert by_id["5"].progress and not by_id["6"].progress
    assert [ri.item.id for ri in p.standing_without_progress] == ["6"]


def test_midyear_nothing_is_unfinished_that_is_not_yet_due(fixture_root):
    p = _review(fixture_root, 2021, "2021-06-30").plans[0]
    assert {ri.item.id: ri.outcome for ri in p.items} == OUTCOME_MIDYEAR
    assert p.rectification == []


def test_key_items_come_first(fixture_root):
    """（十五）：重点核查有明确责任主体和时限要求的工作任务 — those come first."""
    p = _review(fixture_root, 2021, "2022-01-15").plans[0]
    ids = [ri.item.id for ri in p.items]
    assert ids == ["1", "2", "3", "4", "7", "8", "9", "11", "5", "6", "10"]
    assert p.key_count == 8


def test_duties_periods_and_counts(fixture_root):
    p = _review(fixture_root, 2021, "2022-01-15").plans[0]
    duties = {ri.item.id: ri.duties for ri in p.duties}
    assert sorted(duties) == ["7", "8", "9"]
    assert (duties["7"][0].met, duties["7"][0].required, duties["7"][0].missed) == (4, 4, [])
    assert (duties["8"][0].met, duties["8"][0].required, duties["8"][0].missed) == (3, 4, ["第2季度"])
    assert (duties["9"][0].met, duties["9"][0].required, duties["9"][0].missed) == (2, 3, ["2021年"])
    assert p.duty_totals() == (11, 9, 2, 0)


def test_per_department_and_section(fixture_root):
    p = _review(fixture_root, 2021, "2022-01-15").plans[0]
    depts = {g.label: g for g in p.depts}
    # aliases fold into the canonical name (办公室 -> 局办公室); no lead -> its own row
    assert list(depts) == ["局办公室", "局政策法规股", "局财务室", "（未指定牵头单位）"]
    assert depts["局办公室"].counts[OC.ON_TIME] == 2 and depts["局办公室"].counts[OC.UNFINISHED] == 1
    assert depts["局办公室"].total == 5
    assert depts["局财务室"].counts[OC.LATE] == 1 and depts["局财务室"].counts[OC.UNFINISHED] == 1
    assert sum(g.total for g in p.depts) == p.total.total == 11
    sections = {g.label: g.total for g in p.sections}
    assert sections == {"一、重点领域信息公开": 4, "二、政策解读与回应关切": 7}
    # 完成率: done (按期完成 + 逾期完成) of the items not cancelled, as `ggk status` counts it
    assert p.total.active == 10 and p.total.done == 4 and p.total.percent == 40.0


def test_rectification_list(fixture_root):
    p = _review(fixture_root, 2021, "2022-01-15").plans[0]
    fix = p.rectification
    # most days late first: 8 missed the 2nd quarter; then standing work without a word all year
    assert [ri.item.id for ri in fix] == ["8", "3", "9", "6"]
    assert fix[1].leads == ["局办公室"] and fix[1].last_log.note == "已起草初稿"
    assert [ri.situation for ri in fix] == ["逾期199天", "逾期107天", "逾期15天", "全年无进展"]
    # item 5 (standing, progress in May only) is not on it: it had progress this year


def test_working_day_duty_events(tmp_path):
    """A working-day limit is met per event; with no event logged, nothing was proved: 常态化."""
    make_unit(
        tmp_path,
        """\
        format: 1
        unit: t
        year: 2021
        title: 测试
        sections:
          - title: 一
            items:
              - id: "1"
                title: 决定后7个工作日内公开，无事件
                lead: [局办公室]
                deadline: {phrase: 行政决定之日起7个工作日内, workdays: 7, after: 行政决定}
              - id: "2"
                title: 决定后7个工作日内公开，都按时
                lead: [局办公室]
                deadline: {phrase: 行政决定之日起7个工作日内, workdays: 7, after: 行政决定}
                status: 进行中
                log:
                  - {date: 2021-03-05, note: 已公开, event: 2021-03-01, done: 2021-03-05}
              - id: "3"
                title: 决定后7个工作日内公开，有一件未公开
                lead: [局办公室]
                deadline: {phrase: 行政决定之日起7个工作日内, workdays: 7, after: 行政决定}
                status: 进行中
                log:
                  - {date: 2021-03-05, note: 已公开, event: 2021-03-01, done: 2021-03-05}
                  - {date: 2021-11-01, note: 待公开, event: 2021-11-01}
        """,
    )
    p = _review(tmp_path, 2021, "2022-01-15").plans[0]
    got = {ri.item.id: (ri.outcome, [(d.met, d.required) for d in ri.duties]) for ri in p.items}
    assert got == {"1": (OC.STANDING, [(0, 0)]), "2": (OC.ON_TIME, [(1, 1)]), "3": (OC.UNFINISHED, [(1, 2)])}
    assert _review(tmp_path, 2021, "2021-06-30").plans[0].items[0].outcome is OC.NOT_DUE


def test_review_md_golden_fixture(runner, fixture_root):
    res = runner.invoke(app, ["--plans", str(fixture_root), "--as-of", "2022-01-15", "review", "2021"])
    assert res.exit_code == 0, res.output
    assert_golden("review_fixture_2022-01-15.md", res.stdout)


# --------------------------------------------------------------------------- the example unit

EXAMPLE_COUNTS = {
    # item 6's decree was explained 4 days late: done late, not unfinished; its count of 3 is due on 12-31
    "2026-11-21": {"按期完成": 3, "逾期完成": 1, "未完成": 5, "未到期": 5, "已取消": 1, "常态化": 3},
    "2026-12-31": {"按期完成": 3, "逾期完成": 1, "未完成": 7, "未到期": 3, "已取消": 1, "常态化": 3},
}


@pytest.mark.parametrize("today", sorted(EXAMPLE_COUNTS))
def test_example_unit_counts(today):
    p = _review(PLANS, 2026, today, ["example"]).plans[0]
    assert _counts(p) == EXAMPLE_COUNTS[today]
    outcome = {ri.item.id: ri.outcome.value for ri in p.items}
    assert outcome["3"] == "逾期完成"  # 预决算: done 15 days late
    assert outcome["10"] == "已取消"
    assert outcome["2"] == "未完成"  # the third quarter was missed
    assert {outcome[i] for i in ("5", "8", "15")} == {"常态化"}
    if today == "2026-11-21":
        assert outcome["12"] == "未到期" and outcome["14"] == "未到期"
    else:
        assert outcome["12"] == "未完成" and outcome["14"] == "未完成"
        # the fourth quarter ends today: not missed yet
        assert outcome["16"] == "未到期"


def test_example_rectification_and_departments():
    p = _review(PLANS, 2026, "2026-11-21", ["example"]).plans[0]
    assert [(ri.item.id, ri.late_days) for ri in p.rectification] == [
        ("11", 235), ("18", 144), ("2", 52), ("4", 39), ("9", 21),
    ]  # fmt: skip
    office = next(g for g in p.depts if g.label == "局办公室")
    assert office.total == 9 and office.counts[OC.UNFINISHED] == 3


@pytest.mark.parametrize("today", sorted(EXAMPLE_COUNTS))
def test_example_review_md_golden(runner, today):
    res = runner.invoke(app, ["--plans", str(PLANS), "--as-of", today, "review", "2026", "--unit", "example"])
    assert res.exit_code == 0, res.output
    assert_golden(f"review_example_{today}.md", res.stdout)


def test_review_json(runner):
    res = runner.invoke(app, ["--plans", str(PLANS), "--as-of", "2026-11-21", "review", "2026", "-u", "example", "-f", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    plan = data["plans"][0]
    assert plan["total"]["outcomes"] == EXAMPLE_COUNTS["2026-11-21"]
    assert [r["id"] for r in plan["rectification"]] == ["11", "18", "2", "4", "9"]
    assert plan["rectification"][2]["last_progress"]["date"] == "2026-10-09"


def test_review_docx(runner, tmp_path):
    from docx import Document

    out = tmp_path / "回头看.docx"
    res = runner.invoke(
        app, ["--plans", str(PLANS), "--as-of", "2026-11-21", "review", "2026", "-u", "example", "-f", "docx", "-o", str(out)]
    )
    assert res.exit_code == 0, res.output
    doc = Document(str(out))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "示例县交通运输局2026年政务公开工作要点落实情况“回头看”"
    assert "二、整改清单" in texts
    fix = doc.tables[0]
    assert [c.text for c in fix.rows[0].cells] == ["序号", "编号", "工作任务", "牵头单位", "时限", "问题", "最近进展"]
    assert [c.text for c in fix.rows[1].cells][:3] == ["1", "11", "更新政府信息公开指南和目录"]
    assert len(fix.rows) == 6


def test_review_errors(runner, tmp_path):
    base = ["--plans", str(PLANS), "--as-of", "2026-11-21", "review"]
    res = runner.invoke(app, [*base, "2026", "-u", "example", "-f", "docx"])
    assert res.exit_code == 2 and "-o" in res.output
    res = runner.invoke(app, [*base, "2031"])
    assert res.exit_code == 2 and "没有 2031 年度的计划" in res.output
    res = runner.invoke(app, [*base, "2026", "-u", "nowhere"])
    assert res.exit_code == 2 and "没有单位「nowhere」" in res.output
    out = tmp_path / "x.docx"
    res = runner.invoke(app, [*base, "2031", "-f", "docx", "-o", str(out)])
    assert res.exit_code == 2 and not out.exists()


# --------------------------------------------------------------------------- carry-over (结转)


def _check_errors(runner, root: Path, as_of: str) -> list[tuple[str, str]]:
    res = runner.invoke(app, ["--plans", str(root), "--as-of", as_of, "check", "-f", "json"])
    assert res.exit_code in (0, 1), res.output
    return sorted((d["code"], d["message"]) for d in json.loads(res.stdout)["diagnostics"])


def _carry(runner, root: Path, *extra: str, as_of: str = "2027-01-15", year: str = "2026", unit: str = "example"):
    res = runner.invoke(app, ["--plans", str(root), "--as-of", as_of, "review", year, "-u", unit, "--carry-over", *extra])
    assert res.exit_code == 0, res.output
    return res


def test_carry_over_creates_next_plan_and_is_idempotent(runner, plans_copy):
    before = _check_errors(runner, plans_copy, "2027-01-15")
    source = plans_copy / "example" / "2026.yaml"
    original = source.read_text(encoding="utf-8")
    res = _carry(runner, plans_copy)
    assert "新建" in res.stderr and "10 条" in res.stderr
    target = plans_copy / "example" / "2027.yaml"
    ws = load([plans_copy])
    plan = next(e.plan for e in ws.plans if e.plan.unit == "example" and e.plan.year == 2027)
    assert plan.title == "示例县交通运输局2027年政务公开工作要点" and plan.example
    items = {it.id: it for _l, _c, it in plan.iter_items()}
    assert sorted(items, key=lambda i: int(i.split("-")[1])) == [f"2026-{n}" for n in (2, 4, 6, 9, 11, 12, 14, 16, 17, 18)]
    assert items["2026-11"].carried_from == "example/2026/11"
    assert items["2026-11"].deadline[0].due == dt.date(2027, 6, 30)  # default: 次年6月底前
    assert items["2026-2"].deadline[0].every == "quarter"  # a recurring duty keeps its rule
    assert items["2026-11"].log[0].date == dt.date(2027, 1, 15) and not items["2026-11"].log[0].counts
    # the source: carried_to plus a log entry on each carried item, nothing else changed
    src = next(e.plan for e in ws.plans if e.plan.unit == "example" and e.plan.year == 2026)
    carried = {it.id: it for _l, _c, it in src.iter_items() if it.carried_to}
    assert carried["11"].carried_to == "example/2027/2026-11"
    assert "结转至2027年计划" in (carried["11"].log[-1].note or "")
    assert len(carried) == 10
    new_text = source.read_text(encoding="utf-8")
    kept = [ln for ln in new_text.splitlines() if ln in set(original.splitlines())]
    assert len(set(kept)) == len(set(original.splitlines()))  # every original line (comments too) is still there
    assert "# 提醒不是一次公开，不计入季度" in new_text
    assert _check_errors(runner, plans_copy, "2027-01-15") == before  # ggk check stays clean
    # twice: nothing added twice, files byte-identical
    snapshot = {p: p.read_bytes() for p in (source, target)}
    res = _carry(runner, plans_copy)
    assert res.stderr.count("跳过") == 10
    assert {p: p.read_bytes() for p in (source, target)} == snapshot


def test_carry_over_appends_to_an_existing_plan_keeping_its_bytes(runner, tmp_path):
    make_unit(tmp_path, PLAN)
    existing = (
        "# 2022年要点（已印发）\n"
        "format: 1\nunit: t\nyear: 2022\ntitle: 测试县交通运输局2022年政务公开工作要点\n"
        "sections:\n"
        '  - "no": 一\n    title: 重点领域信息公开\n    items:\n'
        '      - id: "1"   # 第一项\n        title: 新的任务\n        lead: [局办公室]\n        deadline: 2022年9月底前\n'
        "# 文件结束\n"
    )
    target = tmp_path / "t" / "2022.yaml"
    target.write_text(existing, encoding="utf-8")
    before = _check_errors(runner, tmp_path, "2022-01-15")
    res = _carry(runner, tmp_path, "--deadline", "2022年3月底前", as_of="2022-01-15", year="2021", unit="t")
    assert "追加到" in res.stderr and "3 条" in res.stderr
    text = target.read_text(encoding="utf-8")
    assert text.startswith(existing.split("# 文件结束")[0])  # the old text is untouched
    assert "# 文件结束" in text and "# 第一项" in text
    assert '      - id: "2021-3"\n' in text and "  - title: 上年度结转任务\n" in text  # house style, block mappings
    plan = next(e.plan for e in load([tmp_path]).plans if e.plan.year == 2022)
    assert [s.title for s in plan.sections] == ["重点领域信息公开", "上年度结转任务"]
    carried = plan.sections[1].items
    assert [it.id for it in carried] == ["2021-3", "2021-8", "2021-9"]
    assert all(it.deadline[0].phrase == "2022年3月底前" and it.deadline[0].due == dt.date(2022, 3, 31) for it in carried)
    assert carried[0].status.value == "进行中" and carried[0].assist == ["局政策法规股"]
    assert _check_errors(runner, tmp_path, "2022-01-15") == before
    # a second run (a different deadline, even) adds nothing
    snapshot = target.read_bytes()
    _carry(runner, tmp_path, "--deadline", "2022年4月底前", as_of="2022-01-15", year="2021", unit="t")
    assert target.read_bytes() == snapshot
    # and once the section exists, a newly unfinished item joins it
    src = tmp_path / "t" / "2021.yaml"
    src.write_text(
        src.read_text(encoding="utf-8").replace(
            "title: 时限在下一年\n        lead: [局办公室]\n        deadline: 2022年6月底前",
            "title: 时限在下一年\n        lead: [局办公室]\n        deadline: 2021年12月20日前",
        ),
        encoding="utf-8",
    )
    _carry(runner, tmp_path, as_of="2022-01-15", year="2021", unit="t")
    plan = next(e.plan for e in load([tmp_path]).plans if e.plan.year == 2022)
    assert [it.id for it in plan.sections[1].items] == ["2021-3", "2021-8", "2021-9", "2021-11"]


def test_carry_over_rejects_a_deadline_it_cannot_read(runner, plans_copy):
    res = runner.invoke(
        app, ["--plans", str(plans_copy), "--as-of", "2027-01-15", "review", "2026", "-u", "example", "--carry-over", "--deadline", "尽快"]
    )
    assert res.exit_code == 2 and "无法理解新时限「尽快」" in res.output
    assert not (plans_copy / "example" / "2027.yaml").exists()
    res = runner.invoke(app, ["--plans", str(plans_copy), "--as-of", "2027-01-15", "review", "2026", "--deadline", "2027-06-30"])
    assert res.exit_code == 2 and "--carry-over" in res.output


def test_duty_totals_add_up_with_what_is_due_today(example_unit, runner):
    """QA finding 10: every obligation of the duties is in exactly one bucket — met, missed or late, or not
    yet due — including a count due on the review day itself (年内至少… reviewed on 12-31: not late yet)."""
    res = runner.invoke(app, ["--plans", str(example_unit), "--as-of", "2026-12-31", "review", "2026", "-f", "json"])
    assert res.exit_code == 0, res.output
    plan = json.loads(res.stdout)["plans"][0]
    totals = plan["duties"]
    assert totals == {"required": 18, "met": 10, "missed": 5, "pending": 3}
    for ri in plan["items"]:
        for d in ri["duties"]:
            assert d["required"] == min(d["met"], d["required"]) + d["missed_count"] + d["pending"], (ri["ref"], d)
    md = runner.invoke(app, ["--plans", str(example_unit), "--as-of", "2026-12-31", "review", "2026", "-f", "md"]).stdout
    assert "应落实 18 期（次、件），按时落实 10，未落实或逾期 5，未到期（含今日到期）3。" in md
    assert "| example/2026/17 | 开展政务公开专题培训 | 年内至少组织2次专题培训 | 1/2 | 尚差1次，今日到期 |" in md


def _added(diff: str, name: str) -> list[str]:
    """The lines the diff of file ``name`` adds (in a diff of several files)."""
    out, inside = [], False
    for line in diff.splitlines():
        if line.startswith("+++ "):
            inside = line.endswith(name)
        elif inside and line.startswith("+"):
            out.append(line[1:])
    return out


def test_carry_over_dry_run_shows_both_files_and_writes_nothing(runner, plans_copy):
    """QA finding 8: ``review --carry-over --dry-run`` shows the diff of the new plan and of the source,
    like the other edit commands' --dry-run, and writes nothing; the real run then writes just that."""
    source, target = plans_copy / "example" / "2026.yaml", plans_copy / "example" / "2027.yaml"
    original = source.read_bytes()
    res = _carry(runner, plans_copy, "--dry-run")
    assert source.read_bytes() == original and not target.exists()
    assert "（预演）结转：将新建" in res.stderr and "10 条" in res.stderr
    assert res.stdout.startswith("--- ") and "## 一、总体情况" not in res.stdout  # the diffs instead of the review
    new_lines, source_lines = _added(res.stdout, "example/2027.yaml"), _added(res.stdout, "example/2026.yaml")
    assert sum(line.strip() == "carried_to: example/2027/2026-11" for line in source_lines) == 1
    _carry(runner, plans_copy)
    assert target.read_text(encoding="utf-8").splitlines() == new_lines
    written = source.read_text(encoding="utf-8").splitlines()
    assert len(written) - len(original.decode("utf-8").splitlines()) == len(source_lines)
    assert all(line in written for line in source_lines)
    # an existing target: its diff too; and a second dry run has nothing to show
    again = _carry(runner, plans_copy, "--dry-run")
    assert again.stdout == "" and again.stderr.count("（预演）跳过") == 10


def test_carry_over_dry_run_appending_and_its_options(runner, tmp_path):
    make_unit(tmp_path, PLAN)
    target = tmp_path / "t" / "2022.yaml"
    target.write_text(
        "format: 1\nunit: t\nyear: 2022\ntitle: 测试县交通运输局2022年政务公开工作要点\nsections:\n"
        '  - title: 重点领域信息公开\n    items:\n      - id: "1"\n        title: 新的任务\n',
        encoding="utf-8",
    )
    before = {p: p.read_bytes() for p in (target, tmp_path / "t" / "2021.yaml")}
    res = _carry(runner, tmp_path, "-n", as_of="2022-01-15", year="2021", unit="t")
    assert "（预演）结转：将追加到" in res.stderr
    assert '+      - id: "2021-3"' in res.stdout and "+++ b/" in res.stdout and "t/2021.yaml" in res.stdout
    assert {p: p.read_bytes() for p in before} == before
    for args, said in (([], "--dry-run 只用于 --carry-over"), (["--carry-over", "-o", str(tmp_path / "r.md")], "不能同时使用")):
        bad = runner.invoke(app, ["--plans", str(tmp_path), "--as-of", "2022-01-15", "review", "2021", "--dry-run", *args])
        assert bad.exit_code == 2 and said in bad.output


def test_carry_over_into_a_plan_made_by_ggk_new_writes_blocks(runner, plans_copy):
    """``ggk new`` writes ``sections: []``; the carried items go in as block mappings in house style
    (the dry run showed them as one flow line of several thousand characters), comments kept."""
    new = runner.invoke(app, ["--plans", str(plans_copy), "--as-of", "2027-01-05", "new", "2027", "--unit", "example"])
    assert new.exit_code == 0, new.output
    target = plans_copy / "example" / "2027.yaml"
    comments = [line for line in target.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    _carry(runner, plans_copy)
    text = target.read_text(encoding="utf-8")
    assert 'sections:\n  - title: 上年度结转任务\n    items:\n      - id: "2026-2"\n' in text
    assert max(len(line) for line in text.splitlines()) < 400
    assert [line for line in text.splitlines() if line.startswith("#")] == comments
    assert runner.invoke(app, ["--as-of", "2027-01-15", "check", str(plans_copy)]).exit_code == 0
    assert runner.invoke(app, ["--plans", str(plans_copy), "--as-of", "2027-01-15", "show", "example/2027/2026-2"]).exit_code == 0
