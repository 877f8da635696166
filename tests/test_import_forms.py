"""The forms a document takes that ``ggk import`` reads (issue 16's lists), one test each.

Where a real document in tests/data has the form, the test uses its text (the rows of 池州市信访局's task
list, 广东省卫生健康委's unit cells, 江门's and 荆州's cells, 潍坊's 按月); where none has it, a short
document in the same style is written here.  The real documents themselves are tested in
tests/test_import_real.py, the seeds in tests/test_importer.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ggk.deadlines import resolve
from ggk.importer.build import ImportResult, import_document
from ggk.importer.report import render_report
from ggk.importer.units import parse_note, parse_unit_cell, split_note, unit_names
from ggk.model import Plan, Unit
from tests.builders import docx_document, soffice_convert
from tests.test_import_real import CHIZHOU_ROWS, GOLDEN, real
from tests.test_importer import items

D = dt.date.fromisoformat


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _pipes(title: str, rows: list[list[str]], head: tuple[str, ...] = ("序号", "工作任务", "责任单位", "完成时限")) -> str:
    """A task table as a web page copy gives it: Markdown pipes under the title."""
    lines = [title, "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _table_plan(tmp_path: Path, rows: list[list[str]]) -> Plan:
    """The plan imported from a 示例局 task table of ``rows`` (序号 / 工作任务 / 责任单位 / 完成时限)."""
    return import_document(_write(tmp_path, "table.md", _pipes("示例局2024年政务公开重点任务清单", rows)), unit="x").plan


def _rules(plan: Plan) -> dict[str, list[tuple[str, object]]]:
    """Per item id: (kind, what the rule states) of each time limit."""
    out: dict[str, list[tuple[str, object]]] = {}
    for _, _, item in plan.iter_items():
        for d in item.deadline:
            rule = resolve(d, plan.year)
            assert rule is not None, d
            value = rule.due or rule.every or (rule.count, rule.per) if rule.kind.value != "days" else (rule.days, rule.after)
            out.setdefault(item.id, []).append((rule.kind.value, value if rule.kind.value != "none" else rule.phrase))
    return out


# --------------------------------------------------------------------------- tables


def test_tab_separated_table(tmp_path: Path) -> None:
    """池州's rows pasted from a spreadsheet: cells separated by tabs."""
    text = "池州市信访局2023年政务公开重点任务清单\n" + "\n".join("\t".join(row) for row in CHIZHOU_ROWS) + "\n"
    result = import_document(_write(tmp_path, "tabs.txt", text), unit="x")
    assert items(result.plan) == GOLDEN["chizhou_xfj_tasks.txt"][:4]
    assert _rules(result.plan) == {"1": [("once", D("2023-12-31"))], **{str(n): [("none", "持续推进")] for n in (2, 3, 4)}}
    assert "表1：4 行任务" in render_report(result.report)


def test_text_table_forms_of_the_real_documents() -> None:
    """Each form of a table pasted as text, on a real document that has it."""
    forms = {
        "jiangmen_tdcb_tasks.md": 10,  # Markdown pipes (the cut 11th row has lost its cell ends)
        "chizhou_xfj_tasks.txt": 8,  # one cell per line with “|” lines between cells
        "weifang_2017_plan.txt": 5,  # one cell per line, no separator left
        "guoban_2016_quant_tasks.txt": 10,  # cells separated by spaces, the header spaced out
    }
    for name, rows in forms.items():
        report = import_document(real(name), unit="x", year=2023).report
        assert f"表1：{rows} 行任务" in render_report(report), name


def test_first_listed_unit_leads(tmp_path: Path) -> None:
    """“列第一位者为牵头单位”: in a unit cell naming several, the first leads and the others assist."""
    rows = [
        ["1", "做好常态化疫情防控信息发布", "应急处、监督处、医政医管处、疾控处、基层处", "长期推进"],
        ["2", "扎实做好疫苗接种信息公开和舆论引导工作", "疾控处", "长期推进"],
    ]
    head = ("序号", "工作任务", "责任处室", "完成时限")
    title = "广东省卫生健康委2021年政务公开工作重点任务台账"
    noted = import_document(_write(tmp_path, "noted.md", _pipes(f"{title}\n（责任处室中列第一位者为牵头单位）", rows, head)), unit="x")
    assert items(noted.plan) == [("1", ["应急处"], ["监督处", "医政医管处", "疾控处", "基层处"]), ("2", ["疾控处"], [])]
    assert any("列第一位者为牵头单位" in s.reason for s in noted.report.skipped)
    plain = import_document(_write(tmp_path, "plain.md", _pipes(title, rows, head)), unit="x")
    assert items(plain.plan)[0] == ("1", ["应急处", "监督处", "医政医管处", "疾控处", "基层处"], [])


def test_group_time_limit_applies_unless_the_row_states_its_own(tmp_path: Path) -> None:
    rows = [
        ["一、财政信息公开（2024年6月底前完成）", "", "", ""],
        ["1", "积极推进本中心预算、决算及相关报表公开。", "财务科", ""],
        ["2", "及时更新网站频道的各类型概况信息。", "办公室", "每季度"],
    ]
    plan = _table_plan(tmp_path, rows)
    assert _rules(plan) == {"1": [("once", D("2024-06-30"))], "2": [("recurring", "quarter")]}


def test_pdf_table_across_pages_with_running_header_and_page_numbers(tmp_path: Path) -> None:
    """池州's eight rows in a PDF of three pages: a running header and page numbers on each page, the table cut
    by the page breaks (its header not repeated, one row cut in two) -> the eight rows, nothing of the header."""
    chizhou = import_document(real("chizhou_xfj_tasks.txt"), unit="x", year=2023).plan
    rows = [["序号", "工作任务", "具体要求", "责任科室", "时限要求"]]
    for sections, item in ((s, i) for _, s, i in chizhou.iter_items()):
        rows.append([item.id, sections[-1].title, item.text, "、".join(item.lead), item.deadline[0].phrase or ""])
    src = docx_document(
        tmp_path / "tasks.docx",
        ["池州市信访局2023年政务公开重点任务清单"],
        table=rows,
        font_pt=16,
        running_header="池州市信访局文件",
        page_numbers=True,
    )
    result = import_document(soffice_convert(src, "pdf", tmp_path), unit="x")
    plan, text = result.plan, render_report(result.report)
    assert items(plan) == GOLDEN["chizhou_xfj_tasks.txt"]
    assert [i.text for _, _, i in plan.iter_items()] == [i.text for _, _, i in chizhou.iter_items()]  # the cut row joined
    assert "去掉页眉、页脚和页码" in text and "第3页 表1" in text and "表2" not in text
    assert not any("池州市信访局文件" in i.text for _, _, i in plan.iter_items())


# --------------------------------------------------------------------------- responsibility notes


def test_a_note_for_every_following_item(tmp_path: Path) -> None:
    """“以下工作均需…落实，不再列出” assigns the items after it; an item's own note wins."""
    text = (
        "示例县交通运输局2024年政务公开工作要点\n一、主动公开\n"
        "以下工作均需局办公室牵头、各股室配合落实，不再一一列出。\n"
        "1.推进决策公开。重大决策事项及时公开。\n"
        "2.推进规划公开。集中公开交通运输规划。（规划股负责）\n"
        "3.推进结果公开。公开重点工作落实情况。\n"
    )
    result = import_document(_write(tmp_path, "following.txt", text), unit="x")
    assert items(result.plan) == [("1", ["局办公室"], ["各股室"]), ("2", ["规划股"], []), ("3", ["局办公室"], ["各股室"])]
    assert [r.id for r in result.report.inherited] == ["1", "3"]
    assert any(s.reason == "适用于以下各条的责任单位说明" for s in result.report.skipped)


def test_etc_bare_and_before_a_collective_name() -> None:
    """A bare trailing 等 is dropped (广东 row 1); “A等C” names A and the collective C (荆州 row 3, as stored:
    cut off inside C, and whole)."""
    assert unit_names("应急处、监督处、医政医管处、疾控处、基层处等") == ["应急处", "监督处", "医政医管处", "疾控处", "基层处"]
    resp = parse_note("应急处、监督处、医政医管处、疾控处、基层处等按职责分工落实")
    assert resp is not None and resp.lead == ["应急处", "监督处", "医政医管处", "疾控处", "基层处"]
    cut = parse_unit_cell("市发展改革委牵头,市住建局等政府各有关")
    assert cut is not None and (cut.lead, cut.assist) == (["市发展改革委"], ["市住建局", "政府各有关"])
    whole = parse_note("市发展改革委牵头，市住建局、市交通运输局等政府各有关部门负责落实")
    assert whole is not None and (whole.lead, whole.assist) == (["市发展改革委"], ["市住建局", "市交通运输局", "政府各有关部门"])


@pytest.mark.parametrize(
    ("note", "lead", "assist"),
    [
        ("区委宣传部（区政府新闻办）牵头，区政府办公室配合", ["区委宣传部（区政府新闻办）"], ["区政府办公室"]),
        ("市府办〔市大数据局〕、市财政局负责", ["市府办〔市大数据局〕", "市财政局"], []),
        ("规划信息处(爱卫办)", ["规划信息处（爱卫办）"], []),  # 广东 row 4
        ("宣传处会办公室", ["宣传处"], ["办公室"]),  # 广东 row 3: 会 for 会同
    ],
)
def test_aliases_in_brackets_are_one_unit(note: str, lead: list[str], assist: list[str]) -> None:
    resp = parse_note(note)
    assert resp is not None and (resp.lead, resp.assist) == (lead, assist)


def test_alias_in_brackets_resolves_to_the_registry_name(tmp_path: Path) -> None:
    text = (
        "示例区2024年政务公开工作要点\n一、政策解读\n"
        "1.做好政策解读。及时发布解读材料。（区委宣传部（区政府新闻办）牵头，区政府办公室配合）\n"
    )
    registry = Unit.model_validate(
        {"format": 1, "name": "示例区人民政府", "departments": [{"name": "区委宣传部"}, {"name": "区政府办公室"}]}
    )
    result = import_document(_write(tmp_path, "alias.txt", text), unit="x", registry=registry)
    assert items(result.plan) == [("1", ["区委宣传部"], ["区政府办公室"])]
    assert result.report.unknown_departments == []


def test_labelled_note_with_a_time_limit_inside(tmp_path: Path) -> None:
    text = (
        "示例局2022年政务公开工作要点\n一、主动公开\n"
        "1.公开部门预算。按规定公开部门预算。（2022年底前完成，牵头单位：财务股；配合单位：各股室）\n"
    )
    plan = import_document(_write(tmp_path, "timed.txt", text), unit="x").plan
    assert items(plan) == [("1", ["财务股"], ["各股室"])]
    assert _rules(plan) == {"1": [("once", D("2022-12-31"))]}


@pytest.mark.parametrize(
    "text",
    [
        "开放查阅场所（法定工作日9:00—12:00，14:00—17:30），提供查阅服务",
        "按照《江门市政府系统政策解读工作细则(试行)》相关要求，健全政策解读工作机制",  # 江门 row 7
        "执行《中华人民共和国政府信息公开条例》（国务院令第711号）",
        "加强政策咨询服务（政策文件和解读资料需添加咨询方式）",  # 江门 row 8
    ],
)
def test_parentheses_that_are_not_notes_stay_in_the_text(text: str, tmp_path: Path) -> None:
    assert split_note(text) == (text, None)
    doc = _write(tmp_path, "p.txt", f"示例局2024年政务公开工作要点\n一、主动公开\n1.{text}。（办公室负责）\n")
    item = import_document(doc, unit="x").plan.sections[0].items[0]
    assert (item.text, item.lead) == (f"{text}。", ["办公室"])


# --------------------------------------------------------------------------- time phrases


def test_period_limits_in_cells_and_text(tmp_path: Path) -> None:
    """每半年 / 每月 / 按月 as limit cells, and 按月 in running text (潍坊: “按月公开全市财政收支情况”)."""
    rows = [
        ["1", "公开政府信息公开工作情况。", "办公室", "每半年"],
        ["2", "更新网站频道的各类型概况信息。", "办公室", "每月"],
        ["3", "公开重点项目进展。", "建设科", "按月"],
        ["4", "加强财政政策信息公开,按月公开全市财政收支情况。", "财务科", "序时推进"],
        ["5", "做好政策解读。", "法规科", "长期坚持"],
    ]
    plan = _table_plan(tmp_path, rows)
    assert _rules(plan) == {
        "1": [("recurring", "half")],
        "2": [("recurring", "month")],
        "3": [("recurring", "month")],
        "4": [("recurring", "month"), ("none", "序时推进")],
        "5": [("none", "长期坚持")],
    }


def test_month_day_before_and_two_limits_in_one_row(tmp_path: Path) -> None:
    """X月X日前 takes the plan year; a row whose text and limit cell each state a limit has both rules; a year
    stated first in a cell carries to the next date of the cell."""
    rows = [
        ["1", "公开年度报告。", "办公室", "1月31日前"],
        ["2", "每季度公开一次重点项目进展。", "建设科", "2024年6月30日前"],
        ["3", "编制公开事项目录。", "办公室", "2023年6月底前完成初稿，12月底前全面完成"],
    ]
    plan = _table_plan(tmp_path, rows)
    assert _rules(plan) == {
        "1": [("once", D("2024-01-31"))],
        "2": [("recurring", "quarter"), ("once", D("2024-06-30"))],
        "3": [("once", D("2023-06-30")), ("once", D("2023-12-31"))],
    }


def test_calendar_day_limits_become_rules(tmp_path: Path) -> None:
    """N日内 and N个自然日内: calendar days after the event the text names (no longer left to the clerk)."""
    text = (
        "示例局2024年政务公开工作要点\n一、依申请公开\n"
        "1.规范办理依申请公开。收到申请之日起15个自然日内答复。（办公室负责）\n"
        "2.公开行政处罚决定。行政处罚决定作出后20日内公开。（法规股负责）\n"
    )
    result: ImportResult = import_document(_write(tmp_path, "days.txt", text), unit="x")
    assert _rules(result.plan) == {"1": [("days", (15, "收到申请"))], "2": [("days", (20, "行政处罚决定作出"))]}
    assert result.report.unparsed_time == []
