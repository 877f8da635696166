"""A 任务分工表 as offices issue it in a workbook or a Word file: a merged title row above the header
(“XX县交通运输局2026年政务公开工作要点任务分工表”), group rows (一、…) or none, and the columns
序号 / 工作任务 / 具体内容 / 牵头单位 / 配合单位 / 完成时限.

The title row is the plan's title and gives its year; group rows are sections; each row is one item
whose title is its 工作任务 cell and whose text is its 具体内容; a time limit stated both in the text
and in the 完成时限 column is one rule (a working-day rule keeps the event it counts from).  Built here
with openpyxl and python-docx (and printed to PDF by LibreOffice); a real table of this form is
tests/data/import/real/shanwei_zsj_2023_tasks.txt.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ggk.cli.app import app
from ggk.importer.build import import_document, plan_title
from ggk.model import Plan
from tests.builders import docx_document, soffice_convert

TITLE = "某某县交通运输局2026年政务公开工作要点任务分工表"
PLAN_TITLE = "某某县交通运输局2026年政务公开工作要点"  # the plan the table divides: its title without 任务分工表
HEAD = ["序号", "工作任务", "具体内容", "牵头单位", "配合单位", "完成时限"]
GROUPS = {0: "一、深化重点领域信息公开", 3: "二、加强政策解读回应"}  # before the row of this index
ROWS = [
    ["1", "推进财政预决算公开", "按要求公开部门预算、决算和“三公”经费。", "局财务股", "局办公室", "2026年6月底前"],
    ["2", "推进重大项目信息公开", "公开在建项目基本情况、施工进度等信息，每季度更新一次。", "局规划建设股", "局财务股", "每季度"],
    ["3", "做好行政许可结果公开", "行政许可决定作出之日起7个工作日内在门户网站公开。", "局政策法规股", "局运输管理股", "7个工作日内"],
    ["4", "加强政策解读", "重要政策文件同步发布解读材料，全年解读不少于3次。", "局政策法规股", "各股室", "全年不少于3次"],
    ["5", "回应社会关切", "及时回应网民留言和12345热线转办事项。", "局办公室", "各股室", "持续推进"],
    ["6", "编制年度报告", "编制发布2025年政府信息公开工作年度报告。", "局办公室", "", "2026年1月31日前"],
]
ITEMS = [(r[0], r[1], r[2]) for r in ROWS]


def _grid(groups: bool) -> tuple[list[list[str]], list[int]]:
    """The table's rows (title, header, groups, tasks) and the indexes of the rows merged across."""
    grid = [[TITLE] + [""] * 5, HEAD]
    merged = [0]
    for k, row in enumerate(ROWS):
        if groups and k in GROUPS:
            merged.append(len(grid))
            grid.append([GROUPS[k]] + [""] * 5)
        grid.append(row)
    return grid, merged


def _xlsx(path: Path, groups: bool, *, merge: bool = True) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "任务分工"
    grid, merged = _grid(groups)
    for row in grid:
        ws.append([int(c) if c.isdigit() else (c or None) for c in row])
    if merge:
        for r in merged:
            ws.merge_cells(start_row=r + 1, start_column=1, end_row=r + 1, end_column=6)
    wb.save(path)
    return path


def _docx(path: Path, groups: bool) -> Path:
    grid, merged = _grid(groups)
    return docx_document(path, table=grid, merge=[((r, 0), (r, 5)) for r in merged])


def _items(plan: Plan) -> list[tuple[str, str, str]]:
    return [(i.id, i.title, i.text) for _, _, i in plan.iter_items()]


MAKERS: dict[str, Any] = {
    "xlsx": lambda p, g: _xlsx(p / "分工表.xlsx", g),
    "xlsx-unmerged": lambda p, g: _xlsx(p / "分工表.xlsx", g, merge=False),
    "docx": lambda p, g: _docx(p / "分工表.docx", g),
    # printed by LibreOffice: the title and group rows are cells merged across the table's ruled grid
    "pdf": lambda p, g: soffice_convert(_docx(p / "分工表.docx", g), "pdf", p),
}


@pytest.mark.parametrize("form", sorted(MAKERS))
@pytest.mark.parametrize("groups", [True, False], ids=["groups", "flat"])
def test_title_row_groups_and_task_titles(tmp_path: Path, form: str, groups: bool) -> None:
    result = import_document(MAKERS[form](tmp_path, groups), unit="xian")  # no --year: the title row gives it
    plan = result.plan
    assert plan.title == PLAN_TITLE and plan.year == 2026
    assert _items(plan) == ITEMS
    if groups:
        assert [(s.no, s.title, [i.id for i in s.items]) for s in plan.sections] == [
            ("一", "深化重点领域信息公开", ["1", "2", "3"]),
            ("二", "加强政策解读回应", ["4", "5", "6"]),
        ]
        assert all(not s.sections for s in plan.sections)
    else:
        assert [len(s.items) for s in plan.sections] == [6] and not plan.sections[0].sections
    assert [(i.lead, i.assist) for _, _, i in plan.iter_items()][0] == (["局财务股"], ["局办公室"])


def test_a_limit_in_the_text_and_in_the_column_is_one_rule(tmp_path: Path) -> None:
    plan = import_document(_xlsx(tmp_path / "分工表.xlsx", True), unit="xian").plan
    rules = {i.id: [d.model_dump(exclude_none=True) for d in i.deadline] for _, _, i in plan.iter_items()}
    assert rules["3"] == [{"phrase": "行政许可决定作出之日起7个工作日内", "workdays": 7, "after": "行政许可决定作出"}]
    assert [r.get("every") for r in rules["2"]] == ["quarter"]
    assert [(r.get("count"), r.get("per")) for r in rules["4"]] == [(3, "year")]


def test_cli_imports_the_workbook_without_year(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "分工表.xlsx", True)
    res = CliRunner().invoke(app, ["--plans", str(tmp_path / "plans"), "import", str(path), "--unit", "xian", "--dry-run"])
    assert res.exit_code == 0, res.output
    assert f"title: {PLAN_TITLE}\n" in res.stdout and "year: 2026" in res.stdout
    assert f"标题：{PLAN_TITLE}\n" in res.stderr and "年度：2026（取自标题）" in res.stderr


def test_the_annual_report_names_the_plan_not_its_task_table(tmp_path: Path) -> None:
    """“贯彻落实《…工作要点》情况”: the plan imported from its 任务分工表 bears the 工作要点's name."""
    plans = tmp_path / "plans"
    path = _xlsx(tmp_path / "任务分工表.xlsx", True)
    res = CliRunner().invoke(app, ["--plans", str(plans), "--as-of", "2026-03-01", "import", str(path), "--unit", "xian"])
    assert res.exit_code == 0, res.output
    out = CliRunner().invoke(app, ["--plans", str(plans), "--as-of", "2026-12-31", "report", "2026", "--unit", "xian", "-f", "md"])
    assert out.exit_code == 0, out.output
    assert f"贯彻落实《{PLAN_TITLE}》情况" in out.stdout and "任务分工表" not in out.stdout


@pytest.mark.parametrize(
    ("title", "plan"),
    [
        (TITLE, PLAN_TITLE),
        ("某县2026年政务公开工作要点重点任务分工表", "某县2026年政务公开工作要点"),
        ("《某县2026年政务公开工作要点》任务分解表", "某县2026年政务公开工作要点"),
        ("某县政务公开标准化规范化实施方案责任分解表", "某县政务公开标准化规范化实施方案"),
        ("汕尾市政务服务数据管理局2023年政务公开工作要点分工方案", "汕尾市政务服务数据管理局2023年政务公开工作要点"),
        ("任务分解和责任分工方案", "任务分解和责任分工方案"),  # nothing but the table's name
        ("荆州市2022年政务公开任务分解责任清单", "荆州市2022年政务公开任务分解责任清单"),  # names no plan
        ("潍坊市2017年政务公开工作要点实施方案", "潍坊市2017年政务公开工作要点实施方案"),  # a plan of its own
    ],
)
def test_plan_title_drops_the_table_name_after_the_plan(title: str, plan: str) -> None:
    assert plan_title(title) == plan


def test_a_merge_left_over_a_row_of_values_keeps_the_values(tmp_path: Path) -> None:
    """Group rows deleted by a program that does not move merges (openpyxl): the merged ranges stay where the
    group rows were, now over task rows whose cells still hold their values; the rows are read as written."""
    from openpyxl import load_workbook

    path = _xlsx(tmp_path / "分工表.xlsx", True)
    wb = load_workbook(path)
    ws = wb.active
    for row in (7, 3):  # the two group rows, from the bottom up
        ws.delete_rows(row)
    wb.save(path)
    plan = import_document(path, unit="xian").plan
    assert _items(plan) == ITEMS and [len(s.items) for s in plan.sections] == [6]


def test_a_real_table_with_its_title_row_in_a_workbook(tmp_path: Path) -> None:
    """汕尾市政务服务数据管理局's 2023 分工方案 (tests/data/import/real, as its web page gives it) laid out as the
    office's workbook: its title in a merged row above the header, the 工作要求 and 具体任务 cells merged
    down their rows -> the plan the web copy gives, title and year from the title row."""
    from openpyxl import Workbook

    from tests.test_import_real import real

    web = import_document(real("shanwei_zsj_2023_tasks.txt"), unit="sw").plan
    wb = Workbook()
    ws = wb.active
    ws.append(["汕尾市政务服务数据管理局2023年政务公开工作要点分工方案"])  # the title the web page gives
    ws.merge_cells("A1:E1")
    ws.append(["工作要求", "具体任务", "具体要求", "牵头落实单位", "完成时限"])
    for top in web.sections:
        first = ws.max_row + 1
        for sub in top.sections:
            start = ws.max_row + 1
            for item in sub.items:
                ws.append([f"{top.no}、{top.title}", f"{sub.no}{sub.title}。", item.text, "、".join(item.lead), item.deadline[0].phrase])
            if ws.max_row > start:
                ws.merge_cells(start_row=start, start_column=2, end_row=ws.max_row, end_column=2)
        ws.merge_cells(start_row=first, start_column=1, end_row=ws.max_row, end_column=1)
    path = tmp_path / "分工方案.xlsx"
    wb.save(path)
    plan = import_document(path, unit="sw").plan
    assert (plan.title, plan.year) == ("汕尾市政务服务数据管理局2023年政务公开工作要点", 2023)
    assert [(i.id, i.title, i.text, i.lead) for _, _, i in plan.iter_items()] == [
        (i.id, i.title, i.text, i.lead) for _, _, i in web.iter_items()
    ]
    assert [(s.no, s.title, [(t.no, t.title) for t in s.sections]) for s in plan.sections] == [
        (s.no, s.title, [(t.no, t.title) for t in s.sections]) for s in web.sections
    ]
