"""`ggk check`: each rule gets a broken input and must report its code at the right line and column."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from ggk.cli.app import app
from tests.conftest import PLANS, make_unit

BASE = """\
format: 1
unit: t
year: 2021
title: 测试县交通运输局2021年政务公开工作要点
sections:
  - no: 一
    title: 深化重点领域信息公开
    items:
      - id: "1"
        title: 推进决策公开
        text: 推进决策公开。
        lead: [局办公室]
{extra}"""


def run_check(runner, root: Path, *args: str, as_of: str = "2021-12-31"):
    result = runner.invoke(app, ["--as-of", as_of, "check", str(root), "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)["diagnostics"]


def found(diags, code):
    return [(d["line"], d["col"]) for d in diags if d["code"] == code]


def test_bundled_plans_are_clean(runner):
    result = runner.invoke(app, ["--as-of", "2026-11-21", "check", str(PLANS)])
    assert result.exit_code == 0, result.output
    assert "0 个错误" in result.stdout


CASES = [
    # (name, plan text, expected code, (line, col))
    ("yaml syntax", BASE.format(extra="        note: 公开: 网站\n"), "GGK001", (13, 17)),
    ("duplicate key", BASE.format(extra="        title: 又一个标题\n"), "GGK004", (13, 9)),
    ("unknown key", BASE.format(extra="        stauts: 进行中\n"), "GGK101", (13, 9)),
    ("wrong type", BASE.format(extra="        log: 5\n"), "GGK102", (13, 14)),
    ("missing title", BASE.format(extra='      - id: "2"\n        lead: [局办公室]\n'), "GGK103", (13, 9)),
    ("invalid date", BASE.format(extra="        status: 已完成\n        completed: 2021-02-30\n"), "GGK104", (14, 20)),
    ("invalid date string", BASE.format(extra="        status: 已完成\n        completed: 2021/3/1\n"), "GGK104", (14, 20)),
    ("invalid status", BASE.format(extra="        status: 快好了\n"), "GGK105", (13, 17)),
    ("duplicate id", BASE.format(extra='      - id: "1"\n        title: 重复\n        lead: [局办公室]\n'), "GGK201", (13, 13)),
    ("unknown department", BASE.format(extra='      - id: "2"\n        title: 二\n        lead: [局政策法规科]\n'), "GGK202", (15, 16)),
    ("no department", BASE.format(extra='      - id: "2"\n        title: 二\n'), "GGK203", (13, 13)),
    ("done without date", BASE.format(extra="        status: 已完成\n"), "GGK204", (13, 17)),
    ("cancelled without reason", BASE.format(extra="        status: 已取消\n"), "GGK205", (13, 17)),
    ("far date", BASE.format(extra="        deadline: 2031-12-31\n"), "GGK206", (13, 19)),
    ("future log", BASE.format(extra="        log:\n          - date: 2022-03-01\n            note: 已公开\n"), "GGK207", (14, 19)),
    ("unknown rule", BASE.format(extra="        deadline: 等领导定\n"), "GGK211", (13, 19)),
]


@pytest.mark.parametrize("name,text,code,pos", CASES, ids=[c[0] for c in CASES])
def test_each_check_reports_code_line_col(runner, tmp_path, name, text, code, pos):
    make_unit(tmp_path, text)
    exit_code, diags = run_check(runner, tmp_path)
    assert pos in found(diags, code), (name, diags)
    errors = [d for d in diags if d["severity"] == "error"]
    assert exit_code == (1 if errors else 0)


def test_unknown_key_suggests_the_right_one(runner, tmp_path):
    make_unit(tmp_path, BASE.format(extra="        stauts: 进行中\n"))
    _, diags = run_check(runner, tmp_path)
    (d,) = [d for d in diags if d["code"] == "GGK101"]
    assert "stauts" in d["message"] and "status" in d["hint"]


def test_unknown_department_suggests_nearest(runner, tmp_path):
    make_unit(tmp_path, BASE.format(extra='      - id: "2"\n        title: 二\n        lead: [局政策法规科]\n'))
    _, diags = run_check(runner, tmp_path)
    (d,) = [d for d in diags if d["code"] == "GGK202"]
    assert "局政策法规股" in d["hint"]


def test_alias_is_a_registered_name(runner, tmp_path):
    make_unit(tmp_path, BASE.format(extra='      - id: "2"\n        title: 二\n        lead: [政策法规股]\n        assist: [相关股室]\n'))
    exit_code, diags = run_check(runner, tmp_path)
    assert exit_code == 0 and not found(diags, "GGK202")


def test_plan_of_unknown_unit(runner, tmp_path):
    make_unit(tmp_path, BASE.format(extra="").replace("unit: t", "unit: nowhere"))
    _, diags = run_check(runner, tmp_path)
    assert (2, 7) in found(diags, "GGK208")


def test_text_output_is_clickable_and_exit_1(runner, tmp_path):
    path = make_unit(tmp_path, BASE.format(extra="        stauts: 进行中\n"))
    result = runner.invoke(app, ["check", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{path}:13:9: 错误[GGK101] 未知的键「stauts」" in result.stdout
    assert "提示：是不是「status」？" in result.stdout


def test_strict_makes_warnings_fail_and_ignore_skips_a_code(runner, tmp_path):
    make_unit(tmp_path, BASE.format(extra='      - id: "2"\n        title: 二\n'))
    assert runner.invoke(app, ["check", str(tmp_path)]).exit_code == 0
    assert runner.invoke(app, ["check", str(tmp_path), "--strict"]).exit_code == 1
    assert runner.invoke(app, ["check", str(tmp_path), "--strict", "--ignore", "GGK203"]).exit_code == 0


def test_github_format_annotations(runner, tmp_path, monkeypatch):
    path = make_unit(tmp_path, BASE.format(extra="        stauts: 进行中\n"))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = runner.invoke(app, ["check", str(tmp_path)])
    assert result.exit_code == 1
    assert f"::error file={path},line=13,col=9,title=GGK101::未知的键「stauts」" in result.stdout


def test_all_files_checked_when_one_is_broken(runner, tmp_path):
    make_unit(tmp_path, BASE.format(extra="      - id: [2\n"))
    make_unit(tmp_path, BASE.format(extra="        stauts: x\n").replace("unit: t", "unit: u"), slug="u")
    _, diags = run_check(runner, tmp_path)
    assert {d["code"] for d in diags} >= {"GGK001", "GGK101"}


# ---------------------------------------------------------------- bad input of every kind


def test_gbk_file_is_named_with_the_conversion(runner, tmp_path):
    path = make_unit(tmp_path, BASE.format(extra="").encode("gb18030"))
    result = runner.invoke(app, ["check", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{path}:4:8: 错误[GGK002]" in result.stdout
    assert "iconv -f GB18030 -t UTF-8" in result.stdout


def test_bom_is_accepted(runner, tmp_path):
    make_unit(tmp_path, "\ufeff".encode() + BASE.format(extra="").encode())
    result = runner.invoke(app, ["check", str(tmp_path)])
    assert result.exit_code == 0, result.stdout


def test_tab_indentation(runner, tmp_path):
    make_unit(tmp_path, BASE.format(extra="\t  status: 进行中\n"))
    _, diags = run_check(runner, tmp_path)
    (d,) = [d for d in diags if d["code"] == "GGK001"]
    assert (d["line"], d["col"]) == (13, 1) and "Tab" in d["message"]


def test_empty_file(runner, tmp_path):
    make_unit(tmp_path, "# 只有注释\n")
    _, diags = run_check(runner, tmp_path)
    assert (1, 1) in found(diags, "GGK003")


def test_alias_bomb_is_refused_quickly(runner, tmp_path):
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        levels.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    make_unit(tmp_path, "\n".join(levels) + "\n")
    start = time.perf_counter()
    _, diags = run_check(runner, tmp_path)
    assert time.perf_counter() - start < 20  # a guard against hanging, not a speed goal
    assert found(diags, "GGK005")


def test_top_level_list(runner, tmp_path):
    make_unit(tmp_path, "- a\n- b\n")
    _, diags = run_check(runner, tmp_path)
    assert (1, 1) in found(diags, "GGK102")


def test_future_format_version(runner, tmp_path):
    make_unit(tmp_path, BASE.format(extra="").replace("format: 1", "format: 9"))
    _, diags = run_check(runner, tmp_path)
    assert (1, 9) in found(diags, "GGK106")


def test_missing_folder_is_exit_2(runner, tmp_path):
    result = runner.invoke(app, ["check", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "找不到计划目录或文件" in result.output
    assert "Traceback" not in result.output


def test_loading_never_writes(runner, tmp_path):
    make_unit(tmp_path, BASE.format(extra="        stauts: x\n"))
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    runner.invoke(app, ["--as-of", "2021-06-30", "check", str(tmp_path)])
    runner.invoke(app, ["--plans", str(tmp_path), "--as-of", "2021-06-30", "status"])
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert before == after


def test_broken_holiday_file_is_reported(runner, tmp_path):
    make_unit(tmp_path, BASE.format(extra=""))
    (tmp_path / "_holidays").mkdir()
    (tmp_path / "_holidays" / "2030.yaml").write_text(
        "format: 1\nyear: 2031\nnotice: 国办发明电〔2029〕1号\nholidays: []\n", encoding="utf-8"
    )
    _, diags = run_check(runner, tmp_path)
    (d,) = [d for d in diags if d["code"] == "GGK214"]
    assert d["path"].endswith("_holidays/2030.yaml") and d["line"] == 2


def test_the_same_unit_in_two_roots_is_read_once_and_reported(runner, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    make_unit(a, BASE.format(extra=""))
    second = make_unit(b, BASE.format(extra=""))
    result = runner.invoke(app, ["--as-of", "2021-12-31", "check", str(a), str(b), "--format", "json"])
    assert result.exit_code == 1
    diags = [d for d in json.loads(result.stdout)["diagnostics"] if d["code"] == "GGK215"]
    assert {(d["path"], d["line"]) for d in diags} == {(str(second), 3), (str(b / "t" / "unit.yaml"), 1)}
    status = runner.invoke(app, ["--plans", str(a), "--plans", str(b), "--as-of", "2021-12-31", "status", "--format", "json"])
    assert json.loads(status.stdout)["total"]["total"] == 1  # not counted twice


def test_imported_registry_awaiting_review_is_a_warning(runner, tmp_path):
    from tests.conftest import UNIT_YAML

    make_unit(tmp_path, BASE.format(extra=""), unit=UNIT_YAML.replace("name: 测试县交通运输局\n", "name: 测试县交通运输局\nreview: true\n"))
    exit_code, diags = run_check(runner, tmp_path)
    assert exit_code == 0 and found(diags, "GGK216") == [(3, 1)]


@pytest.mark.parametrize(("written", "iso"), [("2026年6月25日", "2026-06-25"), ("2021/3/1", "2021-03-01"), ("2021.3.1", "2021-03-01")])
def test_a_date_typed_the_chinese_way_gets_its_exact_fix(runner, tmp_path, written, iso):
    """GGK104 on a date a clerk typed (2026年6月25日) offers the very value to write, not only the pattern."""
    make_unit(tmp_path, BASE.format(extra=f"        status: 已完成\n        completed: {written}\n"))
    _, diags = run_check(runner, tmp_path)
    (d,) = [d for d in diags if d["code"] == "GGK104"]
    assert d["hint"] == f"写作 {iso}（日期写作 YYYY-MM-DD）"


def test_an_impossible_date_keeps_the_general_hint(runner, tmp_path):
    make_unit(tmp_path, BASE.format(extra="        status: 已完成\n        completed: 2021年2月30日\n"))
    _, diags = run_check(runner, tmp_path)
    (d,) = [d for d in diags if d["code"] == "GGK104"]
    assert d["hint"] == "日期写作 YYYY-MM-DD，如 2021-12-31"
