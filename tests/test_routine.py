"""Every routine change is a command (README "日常工作都是命令"): time limits, the 印发日期, corrections
and deletions of progress entries with their trace, contacts, ``--by`` against the registry — on a copy
of the bundled plans, through the CLI; and ``ggk check`` on carry-over references that point at nothing."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
import yaml

from ggk.cli.app import app
from tests.conftest import PLANS, make_unit, plan_yaml
from tests.test_edit_cmds import item, run


@pytest.fixture()
def plans(tmp_path: Path) -> Path:
    dest = tmp_path / "plans"
    shutil.copytree(PLANS, dest)
    return dest


def test_a_first_deadline_is_set_without_history(plans: Path) -> None:
    code, out, _ = run(plans, "deadline", "example/2026/8", "2026年12月底前")
    assert code == 0 and "时限：2026年12月底前" in out
    it = item(plans, "8")
    assert it["deadline"] == {"phrase": "2026年12月底前", "due": dt.date(2026, 12, 31)} and "history" not in it
    # a standing item written as 常态化 gets its first limit the same way, and a date may be typed the Chinese way
    (plans / "example/2026.yaml").write_text(
        (plans / "example/2026.yaml")
        .read_text(encoding="utf-8")
        .replace(
            "        lead: [局办公室]\n        assist: [局政策法规股]\n        status: 进行中",
            "        lead: [局办公室]\n        assist: [局政策法规股]\n        deadline: 常态化\n        status: 进行中",
        ),
        encoding="utf-8",
    )
    assert item(plans, "15")["deadline"] == "常态化"
    code, out, _ = run(plans, "deadline", "example/2026/15", "2026年12月20日")
    assert code == 0 and "原为常态化" in out
    it = item(plans, "15")
    assert it["deadline"] == {"phrase": "2026年12月20日前", "due": dt.date(2026, 12, 20)} and "history" not in it


def test_changing_a_deadline_needs_a_reason_and_is_kept(plans: Path) -> None:
    code, _, err = run(plans, "deadline", "example/2026/9", "2026-11-30")
    assert code == 2 and "须写明原因" in err
    code, out, _ = run(plans, "deadline", "example/2026/9", "2026/10/15", "--reason", "县人大要求提前", "--by", "办公室")
    assert code == 0 and "2026年10月底前 → 2026年10月15日前" in out
    it = item(plans, "9")
    assert it["history"][-1] == {
        "date": dt.date(2026, 11, 21),
        "old": [{"phrase": "2026年10月底前", "due": dt.date(2026, 10, 31)}],
        "new": [{"phrase": "2026年10月15日前", "due": dt.date(2026, 10, 15)}],
        "reason": "县人大要求提前",
        "by": "局办公室",
    }
    code, out, _ = run(plans, "show", "example/2026/9")
    assert "时限调整" in out and "批准：局办公室" in out  # an earlier date is an adjustment, not a postponement
    assert "2026-10-15" in json.loads(run(plans, "show", "example/2026/9", "-f", "json")[1])["deadline"]
    code, _, err = run(plans, "deadline", "example/2026/9", "下周", "--reason", "x")
    assert code == 2 and "无法理解时限" in err


def test_the_plan_issue_date(plans: Path) -> None:
    code, out, _ = run(plans, "issued", "gansu-jtt/2021", "2021年4月20日")
    assert code == 0 and "印发日期：2021-04-20" in out
    text = (plans / "gansu-jtt/2021.yaml").read_text(encoding="utf-8")
    assert "doc_no: 甘交办〔2021〕48号\nissued: 2021-04-20\n" in text  # where a person puts it: after the 文号
    code, _, err = run(plans, "issued", "2021", "2021-04-20")
    assert code == 2 and "不唯一" in err
    # the first quarter (ended before 04-20) is not owed any more: its standing items are green on 06-30
    res = run(plans, "--as-of", "2021-06-30", "status", "--unit", "gansu-jtt", "-f", "json")
    assert json.loads(res[1])["total"]["idle"] == 0


def test_correct_and_delete_keep_a_trace(plans: Path) -> None:
    code, out, _ = run(
        plans, "correct", "example/2026/5", "2", "--set-date", "2026-08-04", "--note", "发布9条（更正）", "--reason", "日期写错"
    )
    assert code == 0 and "更正第 2 条进展记录：date 2026-08-03 → 2026-08-04" in out
    entry = item(plans, "5")["log"][1]
    assert entry["date"] == dt.date(2026, 8, 4) and entry["note"] == "发布9条（更正）"
    assert entry["corrected"] == [
        {"date": dt.date(2026, 11, 21), "reason": "日期写错", "was": {"date": dt.date(2026, 8, 3), "note": "汛期公路通行管控信息发布9条"}}
    ]
    code, out, _ = run(plans, "correct", "example/2026/5", "2026-05-12", "--delete", "--reason", "重复录入", "--by-person", "李四")
    assert code == 0 and "删除第 1 条进展记录" in out and "条目状态未变" in out
    assert item(plans, "5")["log"][0]["deleted"] == {"date": dt.date(2026, 11, 21), "reason": "重复录入", "by": "李四"}
    data = json.loads(run(plans, "show", "example/2026/5", "-f", "json")[1])
    assert [(e["no"], e["note"]) for e in data["log"]] == [(2, "发布9条（更正）")]
    # refused: no reason, nothing to change, no such entry, an entry already deleted
    assert run(plans, "correct", "example/2026/5", "2", "--note", "x", "--reason", "")[0] == 2
    assert "没有需要更正的内容" in run(plans, "correct", "example/2026/5", "2", "--note", "发布9条（更正）", "--reason", "r")[2]
    assert "没有第 9 条" in run(plans, "correct", "example/2026/5", "9", "--delete", "--reason", "r")[2]
    assert "已删除" in run(plans, "correct", "example/2026/5", "1", "--note", "y", "--reason", "r")[2]
    assert run(plans, "check")[0] == 0


def test_contacts_of_items_and_departments(plans: Path) -> None:
    code, out, _ = run(plans, "contact", "example/2026/5", "--name", "张三", "--role", "责任人", "--phone", "0878-1234567")
    assert code == 0 and "张三（责任人，0878-1234567）" in out
    assert item(plans, "5")["contact"] == {"name": "张三", "role": "责任人", "phone": "0878-1234567"}
    assert "张三（责任人，0878-1234567）" in run(plans, "show", "example/2026/5")[1]
    code, _, err = run(plans, "contact", "--dept", "办公室", "--name", "李四")
    assert code == 2 and "请用 --unit 指定" in err
    code, out, _ = run(plans, "contact", "--dept", "办公室", "--unit", "example", "--name", "李四", "--phone", "13800000000")
    assert code == 0
    unit = yaml.safe_load((plans / "example/unit.yaml").read_text(encoding="utf-8"))
    office = next(d for d in unit["departments"] if d["name"] == "局办公室")
    assert office["contact"] == {"name": "李四", "phone": "13800000000"}
    # a department written as a bare name becomes a mapping with its name
    make_unit(plans, None, unit="format: 1\nname: 测试局\ndepartments:\n  - 局办公室\n", slug="bare")
    code, _, _ = run(plans, "contact", "--dept", "局办公室", "--unit", "bare", "--name", "王五")
    assert code == 0
    assert yaml.safe_load((plans / "bare/unit.yaml").read_text(encoding="utf-8"))["departments"] == [
        {"name": "局办公室", "contact": {"name": "王五"}}
    ]
    assert run(plans, "check")[0] == 0


def test_by_is_checked_against_the_registry(plans: Path) -> None:
    code, _, err = run(plans, "note", "example/2026/8", "回应留言", "--by", "张三")
    assert code == 2 and "未登记的部门" in err and "--by-person" in err
    code, _, err = run(plans, "note", "example/2026/8", "回应留言", "--by", "局办公事")
    assert code == 2 and "局办公室" in err  # the nearest name
    code, _, _ = run(plans, "note", "example/2026/8", "回应留言", "--by-person", "张三")
    assert code == 0 and item(plans, "8")["log"][-1]["by"] == "张三"
    code, _, _ = run(plans, "update", "example/2026/8", "--status", "进行中", "--note", "继续", "--by", "办公室")
    assert code == 0 and item(plans, "8")["log"][-1]["by"] == "局办公室"
    code, _, err = run(plans, "note", "example/2026/8", "x", "--by", "办公室", "--by-person", "张三")
    assert code == 2 and "只能给一个" in err


CARRIED = plan_yaml(
    """\
    - id: "1"
      title: 结转去向不存在
      lead: [局办公室]
      carried_to: t/2022/2021-1
    - id: "2"
      title: 结转来源不存在
      lead: [局办公室]
      carried_from: t/2020/9
    - id: "3"
      title: 写错的引用
      lead: [局办公室]
      carried_to: 2022-1
"""
)


def test_check_reports_carry_over_references_to_nothing(runner, tmp_path: Path) -> None:
    path = make_unit(tmp_path, CARRIED)
    res = runner.invoke(app, ["--as-of", "2021-12-31", "check", str(tmp_path)])
    assert res.exit_code == 1
    lines = [ln for ln in res.stdout.splitlines() if "GGK217" in ln]
    assert len(lines) == 3 and "没有计划 t/2022" in lines[0] and "没有计划 t/2020" in lines[1] and "单位/年度/编号" in lines[2]
    # the next year's plan exists but lacks the item: named; with the item: clean
    make_unit(tmp_path, "format: 1\nunit: t\nyear: 2022\ntitle: 次年\nsections: []\n", year=2022)
    res = runner.invoke(app, ["--as-of", "2022-01-05", "check", str(tmp_path)])
    assert "t/2022 中没有编号为 2021-1 的条目" in res.stdout
    # one file checked alone: a plan file on disk that was not read is not reported missing
    res = runner.invoke(app, ["--as-of", "2022-01-05", "check", str(path)])
    assert "t/2022" not in res.stdout and "没有计划 t/2020" in res.stdout
