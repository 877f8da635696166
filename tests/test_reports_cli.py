"""status / list / show / overdue through the CLI, on the real seed plans at fixed as-of dates."""

from __future__ import annotations

import csv
import io
import json

from ggk.cli.app import app
from tests.conftest import PLANS, make_unit

from .test_check import BASE


def invoke(runner, *args: str, as_of: str = "2021-06-30", plans=PLANS):
    result = runner.invoke(app, ["--plans", str(plans), "--as-of", as_of, *args])
    assert result.exit_code == 0, result.output
    return result


def test_status_shows_current_plan_of_each_unit(runner):
    out = invoke(runner, "status", as_of="2021-06-30").stdout
    assert "甘肃省交通运输厅 2021年" in out
    assert "广元市交通运输局 2021年" in out
    assert "姚安县交通运输局 2018年" in out
    assert "吉林省交通运输厅" not in out  # its plan is for 2022: not current on 2021-06-30
    assert "示例县交通运输局" not in out


def test_status_json_counts_on_real_plans(runner):
    data = json.loads(invoke(runner, "status", "--format", "json", "--unit", "gansu-jtt").stdout)
    (group,) = data["groups"]
    assert group["key"] == "gansu-jtt/2021"
    assert group["total"] == 16
    assert group["status"]["未启动"] == 16
    assert group["overdue"] == 0
    # 14 standing items, none with progress in the first quarter (the plan gives no 印发日期): yellow
    assert group["idle"] == 14 and group["light"] == "yellow"


def test_year_end_makes_gansu_16_overdue(runner):
    # （十六）"2021年底前": overdue only from the next day.
    on_the_day = json.loads(invoke(runner, "list", "--unit", "gansu-jtt", "--overdue", "--format", "json", as_of="2021-12-31").stdout)
    assert on_the_day["count"] == 0 or all(i["id"] != "16" for i in on_the_day["items"])
    next_day = json.loads(
        invoke(runner, "list", "--unit", "gansu-jtt", "--year", "2021", "--overdue", "--format", "json", as_of="2022-01-01").stdout
    )
    ids = {i["id"]: i for i in next_day["items"]}
    assert ids["16"]["overdue_days"] == 1
    assert ids["16"]["deadline"] == "2021-12-31"


def test_due_soon_turns_yellow(runner):
    data = json.loads(invoke(runner, "list", "--unit", "gansu-jtt", "--due-within", "15", "--format", "json", as_of="2021-12-20").stdout)
    # （十三）"年内至少…1次" (a count due at year end) and （十六）"2021年底前".
    assert [i["id"] for i in data["items"]] == ["13", "16"]
    assert all(i["light"] == "yellow" and i["due_in_days"] == 11 for i in data["items"])


def test_status_by_dept_counts_lead_and_assist(runner):
    data = json.loads(invoke(runner, "status", "--unit", "gansu-jtt", "--by", "dept", "--format", "json").stdout)
    groups = {g["label"]: g for g in data["groups"]}
    # 厅办公室 leads items 1, 5, 7, 8, 9, 10, 11, 12, 14, 15, 16 of the 2021 plan.
    assert groups["厅办公室"]["lead"] == 11
    assert groups["厅政策法规处"]["lead"] == 6  # written 厅法规处 in items 2 and 7: one department
    assert groups["厅机关各部门"]["assist"] >= 10


def test_list_filters_by_dept_alias(runner):
    data = json.loads(invoke(runner, "list", "--dept", "厅法规处", "--format", "json").stdout)
    assert [i["id"] for i in data["items"]] == ["2", "6", "7", "10", "11", "16"]


def test_list_unknown_dept_suggests(runner):
    result = runner.invoke(app, ["--plans", str(PLANS), "--as-of", "2021-06-30", "list", "--dept", "厅政策法规科"])
    assert result.exit_code == 2
    assert "厅政策法规处" in result.output


def test_list_json_fields(runner):
    data = json.loads(invoke(runner, "list", "--unit", "jilin-jtt", "--year", "2022", "--format", "json").stdout)
    first = data["items"][0]
    for key in ("ref", "unit", "year", "id", "title", "text", "lead", "assist", "deadline", "status", "overdue_days", "rule"):
        assert key in first
    assert first["ref"] == "jilin-jtt/2022/1"
    assert first["lead"] == ["综规处", "建设处", "公路局", "运输局", "航道局"]
    assert first["overdue_days"] is None


def test_list_csv_has_bom_and_rows(runner):
    out = invoke(runner, "list", "--unit", "guangyuan-jtj", "--format", "csv").stdout
    assert out.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    assert rows[0][0] == "ref" and len(rows) == 16


def test_show_full_item_and_json_log(runner):
    out = invoke(runner, "show", "gansu-jtt/2021/15").stdout
    assert "抓好任务落实" in out and "回头看" in out
    assert "厅办公室" in out
    data = json.loads(invoke(runner, "show", "gansu-jtt/2021/15", "--format", "json").stdout)
    assert data["ref"] == "gansu-jtt/2021/15" and data["log"] == []


def test_show_short_references(runner):
    assert json.loads(invoke(runner, "show", "gansu-jtt/16", "--format", "json").stdout)["ref"] == "gansu-jtt/2021/16"
    assert json.loads(invoke(runner, "show", "2018/三.3.7", "--format", "json").stdout)["ref"] == "yaoan-jtj/2018/三.3.7"


def test_show_ambiguous_and_missing_references(runner):
    ambiguous = runner.invoke(app, ["--plans", str(PLANS), "--as-of", "2021-06-30", "show", "15"])
    assert ambiguous.exit_code == 2 and "不唯一" in ambiguous.output and "gansu-jtt/2021/15" in ambiguous.output
    missing = runner.invoke(app, ["--plans", str(PLANS), "--as-of", "2021-06-30", "show", "gansu-jtt/2021/99"])
    assert missing.exit_code == 2 and "找不到条目" in missing.output


def test_example_unit_overdue_grouped_by_lead(runner):
    result = invoke(runner, "overdue", as_of="2026-11-21")
    out = result.stdout
    assert "逾期条目（截至 2026-11-21）" in out
    data = json.loads(invoke(runner, "overdue", "--unit", "example", "--format", "json", as_of="2026-11-21").stdout)
    days = [i["overdue_days"] for i in data["items"]]
    assert days and all(d is not None and d > 0 for d in days)
    assert days == sorted(days, reverse=True)
    assert all(i["unit"] == "example" for i in data["items"])


def test_overdue_within_adds_due_soon(runner):
    plain = json.loads(invoke(runner, "overdue", "--format", "json", as_of="2026-11-21").stdout)["count"]
    data = json.loads(invoke(runner, "overdue", "--within", "15", "--format", "json", as_of="2026-11-21").stdout)
    soon = [i for i in data["items"] if i["overdue_days"] is None]
    assert data["count"] == plain + len(soon) and soon
    assert all(0 <= i["due_in_days"] <= 15 for i in soon)


def test_overdue_fail_exit_code(runner):
    assert runner.invoke(app, ["--plans", str(PLANS), "--as-of", "2026-11-21", "overdue", "--fail"]).exit_code == 1
    assert runner.invoke(app, ["--plans", str(PLANS), "--as-of", "2021-06-30", "overdue", "--fail", "--unit", "gansu-jtt"]).exit_code == 0


def test_reports_go_on_with_a_broken_file(runner, tmp_path):
    make_unit(tmp_path, BASE.format(extra='        stauts: 进行中\n      - id: "2"\n        title: 二\n        lead: [局办公室]\n'))
    make_unit(tmp_path, "a: [1\n", slug="u", unit="format: 1\nname: 另一个局\n")
    # by default a report that would leave something out is not made: exit 1, each file's problem by file:line
    refused = runner.invoke(app, ["--plans", str(tmp_path), "--as-of", "2021-06-30", "status", "--format", "json"])
    assert refused.exit_code == 1 and refused.stdout == ""
    assert "2 个文件无法完整读取" in refused.stderr and "--partial" in refused.stderr
    assert "t/2021.yaml:13:9: 错误[GGK101] 未知的键「stauts」" in refused.stderr and "u/2021.yaml:2:1: 错误[GGK001]" in refused.stderr
    # --partial: what can be read, with what was left out named
    result = runner.invoke(app, ["--plans", str(tmp_path), "--as-of", "2021-06-30", "status", "--format", "json", "--partial"])
    assert result.exit_code == 0 and "2 个文件无法完整读取" in result.stderr
    data = json.loads(result.stdout)
    assert data["total"]["total"] == 1  # item 1 has an unknown key and is left out; item 2 is read
    assert data["problems"] >= 2
    assert any(s.endswith("u/2021.yaml") for s in data["skipped"])
    table = runner.invoke(app, ["--plans", str(tmp_path), "--as-of", "2021-06-30", "status", "--partial"])
    assert "ggk check 在这些计划文件中发现" in table.stdout and "已跳过无法读取的文件" in table.stdout


def test_bad_as_of_is_exit_2(runner):
    result = runner.invoke(app, ["--plans", str(PLANS), "--as-of", "2021-13-01", "status"])
    assert result.exit_code == 2 and "--as-of" in result.output


def test_ggk_today_env(runner, monkeypatch):
    monkeypatch.setenv("GGK_TODAY", "2022-01-01")
    result = runner.invoke(app, ["--plans", str(PLANS), "list", "--unit", "gansu-jtt", "--overdue", "--format", "json"])
    assert json.loads(result.stdout)["as_of"] == "2022-01-01"


def test_single_plan_file_as_plans(runner):
    data = json.loads(invoke(runner, "list", "--format", "json", plans=PLANS / "jilin-jtt" / "2022.yaml", as_of="2022-06-30").stdout)
    assert data["count"] == 15


def test_status_by_section_and_status_filter(runner):
    data = json.loads(invoke(runner, "status", "--unit", "example", "--by", "section", "--format", "json", as_of="2026-11-21").stdout)
    labels = [g["label"] for g in data["groups"]]
    assert len(labels) >= 3 and all("、" in label for label in labels)
    assert sum(g["total"] for g in data["groups"]) == data["total"]["total"] == 18
    done = json.loads(invoke(runner, "list", "--unit", "example", "--status", "done", "--format", "json", as_of="2026-11-21").stdout)
    assert done["count"] == data["total"]["status"]["已完成"] > 0
    assert {i["status"] for i in done["items"]} == {"已完成"}


def test_status_table_plain_when_piped(runner):
    out = invoke(runner, "status", "--unit", "example", as_of="2026-11-21").stdout
    assert "\x1b[" not in out  # no colour codes outside a terminal
    assert "示例县交通运输局 2026年" in out and "红灯" in out and "%" in out


def test_reference_into_an_unreadable_plan_names_the_problem(runner, tmp_path):
    make_unit(tmp_path, "format: 1\nunit: t\nyear: 2021\ntitle: x\nsections: [\n")
    result = runner.invoke(app, ["--plans", str(tmp_path), "--as-of", "2021-06-30", "show", "t/2021/1"])
    assert result.exit_code == 1 and "2021.yaml:6:1:" in result.output and "YAML 语法错误" in result.output
    result = runner.invoke(app, ["--plans", str(tmp_path), "--as-of", "2021-06-30", "show", "t/2021/1", "--partial"])
    assert result.exit_code == 2
    assert "计划文件无法读取" in result.output and "2021.yaml:6:1:" in result.output
    assert "YAML 语法错误" in result.output


def test_explicit_as_of_beats_the_environment(runner, monkeypatch):
    monkeypatch.setenv("GGK_TODAY", "2021-06-30")
    result = runner.invoke(app, ["--plans", str(PLANS), "--as-of", "2022-01-01", "list", "--unit", "gansu-jtt", "--format", "json"])
    assert json.loads(result.stdout)["as_of"] == "2022-01-01"
    result = runner.invoke(app, ["--plans", str(PLANS), "list", "--unit", "gansu-jtt", "--as-of", "2022-01-02", "--format", "json"])
    assert json.loads(result.stdout)["as_of"] == "2022-01-02"


def test_ggk_plans_env(runner, monkeypatch, tmp_path):
    monkeypatch.setenv("GGK_PLANS", str(PLANS / "jilin-jtt"))
    result = runner.invoke(app, ["--as-of", "2022-06-30", "list", "--format", "json"])
    assert {i["unit"] for i in json.loads(result.stdout)["items"]} == {"jilin-jtt"}


def test_a_past_as_of_does_not_count_later_progress_as_problems(runner):
    # The example plan's progress entries are dated 2026; a report for 2021 ignores them and says nothing.
    data = json.loads(invoke(runner, "status", "--format", "json", as_of="2021-06-30").stdout)
    assert data["problems"] == 0
    check = runner.invoke(app, ["--as-of", "2021-06-30", "check", str(PLANS), "--format", "json"])
    assert any(d["code"] == "GGK207" for d in json.loads(check.stdout)["diagnostics"])  # ggk check still says so
