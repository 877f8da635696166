"""The smaller things of the year's trial, each through the CLI: dates typed the Chinese way, running
from any folder inside the ledger, global options after the command, references as people write them,
and what the clerk reads in status, show, list and the documents."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from ggk.cli.app import app
from tests.conftest import PLANS, make_unit


@pytest.fixture()
def plans(tmp_path: Path) -> Path:
    dest = tmp_path / "ledger" / "plans"
    shutil.copytree(PLANS, dest)
    return dest


def invoke(runner, *args: str, env: dict[str, str] | None = None, code: int = 0):
    res = runner.invoke(app, list(args), env=env)
    assert res.exit_code == code, res.output
    return res


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize("typed", ["2026-11-21", "2026-11-21 ", "2026/11/21", "2026.11.21", "2026年11月21日", "２０２６年１１月２１日"])
def test_as_of_the_chinese_way(runner, typed):
    out = invoke(runner, "--plans", str(PLANS), "--as-of", typed, "status", "--unit", "example").stdout
    assert "截至 2026-11-21" in out
    out = invoke(runner, "--plans", str(PLANS), "status", "--unit", "example", env={"GGK_TODAY": typed}).stdout
    assert "截至 2026-11-21" in out


def test_dates_of_the_edit_commands_the_chinese_way(runner, plans):
    invoke(
        runner,
        "--plans",
        str(plans),
        "--as-of",
        "2026-11-21",
        "note",
        "example/2026/8",
        "回应留言",
        "--by",
        "办公室",
        "--date",
        "2026年11月2日",
    )
    invoke(runner, "--plans", str(plans), "--as-of", "2026-11-21", "postpone", "example/2026/14", "--to", "2026/12/31", "--reason", "r")
    invoke(runner, "--plans", str(plans), "--as-of", "2026-11-21", "note", "example/2026/4", "x", "--event", "2026-11-2", "--by", "运管股")
    text = (plans / "example/2026.yaml").read_text(encoding="utf-8")
    assert "- date: 2026-11-02\n            recorded: 2026-11-21\n            by: 局办公室\n            note: 回应留言" in text  # 补记
    assert "{phrase: 2026年12月31日前, due: 2026-12-31}" in text and "event: 2026-11-02" in text


def test_a_wrong_date_says_why_in_chinese(runner):
    res = invoke(runner, "--plans", str(PLANS), "--as-of", "2021-2-30", "status", code=2)
    assert "2021年2月没有30日" in res.output and "--as-of" in res.output and "Traceback" not in res.output
    res = invoke(runner, "--plans", str(PLANS), "status", env={"GGK_TODAY": "明天"}, code=2)
    assert "环境变量 GGK_TODAY" in res.output and "2021年6月30日" in res.output
    res = invoke(
        runner, "--plans", str(PLANS), "--as-of", "2026-11-21", "notice", "局办公室", "-u", "example", "--reply-by", "下周五", code=2
    )
    assert "--reply-by" in res.output and "看不懂日期" in res.output


# --------------------------------------------------------------------------- where ggk runs


def test_runs_from_any_folder_inside_the_ledger(runner, plans, monkeypatch):
    for where in (plans.parent, plans, plans / "example", plans.parent / "docs" / "deep"):
        where.mkdir(parents=True, exist_ok=True)
        monkeypatch.chdir(where)
        out = invoke(runner, "--as-of", "2026-11-21", "status", "--unit", "example").stdout
        assert "示例县交通运输局 2026年" in out, where


def test_check_a_plan_file_from_inside_its_unit_folder(runner, plans, monkeypatch):
    monkeypatch.chdir(plans / "example")
    res = invoke(runner, "--as-of", "2026-11-21", "check", "2026.yaml")
    assert "没有发现问题" in res.stdout and "GGK208" not in res.stdout
    res = invoke(runner, "--as-of", "2026-11-21", "--no-cache", "check", "2026.yaml")
    assert "没有发现问题" in res.stdout


def test_global_options_after_the_command(runner, plans):
    res = invoke(runner, "overdue", "--no-cache", "--plans", str(plans), "--as-of", "2026年11月21日")
    assert "逾期条目（截至 2026-11-21）" in res.stdout
    res = invoke(runner, "check", str(plans), "--no-cache", "--as-of", "2026-11-21")
    assert res.exit_code == 0
    res = invoke(runner, "date", "add", "2021-09-29", "7工作日", "--no-cache", "--plans", str(plans))
    assert res.stdout.startswith("2021-10-14")
    assert "--no-cache" in invoke(runner, "status", "--help").stdout


# --------------------------------------------------------------------------- references


@pytest.mark.parametrize("typed", ["example/9", "example/（九）", "example/(9)", "example/九", "example/2026/09", "example/09"])
def test_references_as_people_write_them(runner, typed):
    data = json.loads(invoke(runner, "--plans", str(PLANS), "--as-of", "2026-11-21", "show", typed, "-f", "json").stdout)
    assert data["ref"] == "example/2026/9"


def test_after_carry_over_a_short_reference_suggests_last_years_item(runner, tmp_path):
    make_unit(tmp_path, "format: 1\nunit: t\nyear: 2021\ntitle: 甲\nsections:\n  - title: 一\n    items:\n      - {id: '9', title: 九}\n")
    make_unit(
        tmp_path,
        "format: 1\nunit: t\nyear: 2022\ntitle: 乙\nsections:\n  - title: 上年度结转任务\n    items:\n"
        "      - {id: 2021-9, title: 九, carried_from: t/2021/9}\n",
        year=2022,
    )
    res = invoke(runner, "--plans", str(tmp_path), "--as-of", "2022-03-01", "show", "9", code=2)
    assert "找不到条目「9」" in res.output and "是不是 2021/9" in res.output


# --------------------------------------------------------------------------- what the clerk reads


def test_status_by_department_counts_each_item_once_in_the_total(runner):
    data = json.loads(
        invoke(runner, "--plans", str(PLANS), "--as-of", "2026-11-21", "status", "-u", "example", "--by", "dept", "-f", "json").stdout
    )
    assert data["total"]["total"] == 18 and sum(data["total"]["status"].values()) == 18
    assert sum(g["total"] for g in data["groups"]) > 18  # an item counts under each of its departments
    out = invoke(runner, "--plans", str(PLANS), "--as-of", "2026-11-21", "status", "-u", "example", "--by", "dept").stdout
    total = next(line for line in out.splitlines() if line.strip().startswith("合计")).split()
    assert total[3:9] == ["18", "18", "3", "10", "4", "1"]  # 牵头 配合, then 未启动 进行中 已完成 已取消: 18 items


def test_show_says_each_thing_once_and_names_the_approver(runner):
    out = invoke(runner, "--plans", str(PLANS), "--as-of", "2026-11-21", "show", "example/2026/11").stdout
    assert "逾期235天，逾期 235 天" not in out and out.count("逾期235天") == 1
    out = invoke(runner, "--plans", str(PLANS), "--as-of", "2026-11-21", "show", "example/2026/8").stdout
    assert "常态化（常态化）" not in out and "常态化" in out
    out = invoke(runner, "--plans", str(PLANS), "--as-of", "2026-11-21", "show", "example/2026/12").stdout
    assert "批准：局政务公开领导小组" in out and "县集约化平台第二批上线推迟" in out


def test_piped_list_does_not_cut_department_names(runner):
    out = invoke(runner, "--plans", str(PLANS), "--as-of", "2026-11-21", "list", "-u", "example").stdout
    assert "县交通运输综合行政执法大队、局运输管理股" in out and "局运输管理股、县公路事业发展中心" in out
    assert "综合行政…" not in out


def test_review_ends_with_its_signature_and_date(runner, tmp_path):
    md = invoke(runner, "--plans", str(PLANS), "--as-of", "2026-12-31", "review", "2026", "-u", "example", "-f", "md").stdout
    assert md.endswith("\n示例县交通运输局\n\n2026年12月31日\n")
    from docx import Document

    out = tmp_path / "回头看.docx"
    invoke(runner, "--plans", str(PLANS), "--as-of", "2026-12-31", "review", "2026", "-u", "example", "-f", "docx", "-o", str(out))
    texts = [p.text for p in Document(str(out)).paragraphs if p.text]
    assert texts[-2:] == ["示例县交通运输局", "2026年12月31日"]


def test_docx_tables_get_widths_that_fit_their_content(runner, tmp_path):
    from docx import Document

    out = tmp_path / "回头看.docx"
    invoke(runner, "--plans", str(PLANS), "--as-of", "2026-12-31", "review", "2026", "-u", "example", "-f", "docx", "-o", str(out))
    doc = Document(str(out))
    section = doc.sections[0]
    room = (section.page_width - section.left_margin - section.right_margin) / 360000
    fix = doc.tables[0]
    head = [c.text for c in fix.rows[0].cells]
    widths = {name: col.width.cm for name, col in zip(head, fix.columns, strict=True)}
    assert widths["序号"] < 1.6 and widths["工作任务"] > 3 * widths["序号"]
    assert widths["最近进展"] > widths["时限"] > widths["序号"]
    for table in doc.tables:
        assert sum(c.width.cm for c in table.columns) <= room + 0.05
    notice = tmp_path / "督办单.docx"
    invoke(runner, "--plans", str(PLANS), "--as-of", "2026-11-21", "notice", "局办公室", "-u", "example", "-f", "docx", "-o", str(notice))
    table = Document(str(notice)).tables[0]
    head = [c.text for c in table.rows[0].cells]
    widths = {name: col.width.cm for name, col in zip(head, table.columns, strict=True)}
    assert widths["序号"] <= widths["职责"] < widths["工作任务"] and widths["序号"] < 1.6
    # a date never wraps inside itself ("2026-06-" / "30"): ten half-width characters of 五号 text and the padding
    assert widths["截止日期"] >= 10 * 10.5 / 72 * 2.54 / 2 + 0.4 - 0.01


def test_xlsx_progress_says_who_reported(runner, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "台账.xlsx"
    invoke(runner, "--plans", str(PLANS), "--as-of", "2026-11-21", "report", "2026", "-u", "example", "-f", "xlsx", "-o", str(out))
    ws = load_workbook(io.BytesIO(out.read_bytes()))["工作台账"]
    head = [c.value for c in ws[2]]
    progress = ws.cell(row=3, column=head.index("进展情况") + 1).value
    assert progress.splitlines()[0] == "2026-04-10 局规划建设股：梳理历年规划文本，形成拟公开规划清单（共6项）"
