"""The documents the office hands in: the annual-report section (md/docx), the 工作台账 (xlsx/html)
and the 督办通知单 (md/docx), through the CLI, on the real plans and inline fixtures.

The .xlsx is opened with openpyxl and the .docx with python-docx; Markdown is compared with golden
files in tests/golden/ (GGK_UPDATE_GOLDEN=1 rewrites them).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest

from ggk.cli.app import app
from ggk.ledger.reports import NO_RECORD, annual_section, ledger, one_plan
from ggk.render import Format, renderer
from ggk.render.cells import text_width
from ggk.render.xlsx import sheet_name
from ggk.workspace.load import load
from tests.conftest import PLANS, make_unit, seed
from tests.test_review import PLAN, assert_golden

SEED_003 = seed("003")


def invoke(runner, *args: str, as_of: str = "2026-11-21", plans: Path = PLANS, code: int = 0):
    res = runner.invoke(app, ["--plans", str(plans), "--as-of", as_of, *args])
    assert res.exit_code == code, res.output
    return res


# --------------------------------------------------------------------------- annual-report section

SECTION_HEAD = re.compile(r"^（([一二三四五六七八九十]+)）贯彻落实《(.+)》情况。$")
POINT_HEAD = re.compile(r"^(\d+)\.(\S.*)。$")


def _blocks(md: str) -> list[str]:
    return [b for b in md.split("\n\n") if b.strip()]


def test_gansu_2021_section_follows_seed_003_style(runner):
    res = invoke(runner, "report", "2021", "--unit", "gansu-jtt")
    blocks = _blocks(res.stdout)
    m = SECTION_HEAD.match(blocks[0])
    assert m and m.group(1) == "六" and m.group(2) == "甘肃省交通运输厅2021年政务公开工作要点"
    heads = blocks[1::2]
    assert [POINT_HEAD.match(h).group(1) for h in heads] == [str(i) for i in range(1, 17)]  # type: ignore[union-attr]
    assert heads[0] == "1.做好交通运输规划信息公开。"
    assert heads[14] == "15.抓好任务落实。"
    # no 落实情况 recorded in the bundled plan: each point is marked to be filled in, and stderr names them
    assert blocks[2] == NO_RECORD and NO_RECORD.startswith("【待补充")
    assert res.stderr.count("没有填写落实情况") == 16


def test_seed_003_lines_have_the_shape_we_write():
    """The published report writes (六)贯彻落实《…》情况。 then 1.推进…。 — the shape of our headings."""
    text = SEED_003.read_text(encoding="utf-8")  # type: ignore[union-attr]
    lines = [ln.strip() for ln in text.splitlines()]
    start = next(i for i, ln in enumerate(lines) if "贯彻落实《" in ln)
    head = lines[start].replace("(", "（").replace(")", "）")  # the web copy uses half-width brackets
    assert SECTION_HEAD.match(head)
    points = [ln for ln in lines[start + 1 : start + 13] if POINT_HEAD.match(ln)]
    assert [POINT_HEAD.match(p).group(1) for p in points] == ["1", "2", "3", "4", "5", "6"]  # type: ignore[union-attr]
    assert points[0] == "1.推进降本增效信息公开。"


def test_gansu_annual_md_golden(runner):
    assert_golden("annual_gansu-jtt_2021.md", invoke(runner, "report", "2021", "-u", "gansu-jtt").stdout)


def test_example_annual_md_golden_and_missing_summaries(runner):
    res = invoke(runner, "report", "2026", "-u", "example")
    assert_golden("annual_example_2026.md", res.stdout)
    blocks = _blocks(res.stdout)
    i = blocks.index("2.推进在建交通项目信息公开。")
    # no summary: the progress log condensed, oldest first
    assert blocks[i + 1].startswith("3月27日，公开第一季度在建项目进展（12个项目）；6月29日，")
    assert "example/2026/2「推进在建交通项目信息公开」没有填写落实情况（summary），只有进展记录" in res.stderr
    assert "example/2026/1「" not in res.stderr  # it has a summary
    i = blocks.index("10.开展政策解读直播访谈。")
    assert blocks[i + 1].startswith("该项工作已取消，原因：县融媒体中心直播平台")


def test_section_number_option(runner):
    res = invoke(runner, "report", "2026", "-u", "example", "--number", "五")
    assert res.stdout.startswith("（五）贯彻落实《示例县交通运输局2026年政务公开工作要点》情况。\n")
    res = invoke(runner, "report", "2026", "-u", "example", "--number", "")
    assert res.stdout.startswith("贯彻落实《")


def test_annual_docx(runner, tmp_path):
    from docx import Document

    out = tmp_path / "年报.docx"
    invoke(runner, "report", "2026", "-u", "example", "-f", "docx", "-o", str(out))
    doc = Document(str(out))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "（六）贯彻落实《示例县交通运输局2026年政务公开工作要点》情况。"
    assert texts[1] == "1.做好“十五五”交通运输规划信息公开。"
    assert texts[2].startswith("6月18日在县政府门户网站")
    assert texts.count(NO_RECORD) == 3  # items 11, 14, 18: marked in red bold
    marked = next(p for p in doc.paragraphs if p.text == NO_RECORD)
    assert marked.runs[0].bold and str(marked.runs[0].font.color.rgb) == "C00000"
    # body in 仿宋_GB2312 (East-Asian font set on the run), item headings bold
    run = doc.paragraphs[1].runs[0]
    assert run.bold
    assert run._element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "仿宋_GB2312"


def test_report_needs_one_plan(runner):
    res = invoke(runner, "report", "2021", code=2)
    assert "请用 --unit 指定" in res.output and "gansu-jtt" in res.output


# --------------------------------------------------------------------------- 工作台账 (xlsx)


@pytest.fixture
def example_xlsx(runner, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "台账.xlsx"
    invoke(runner, "report", "2026", "-u", "example", "-f", "xlsx", "-o", str(out))
    return load_workbook(out)


def test_xlsx_ledger_sheet(example_xlsx):
    wb = example_xlsx
    ws = wb["工作台账"]
    assert ws["A1"].value == "示例县交通运输局2026年政务公开工作要点工作台账（截至2026年11月21日）"
    header = [c.value for c in ws[2]]
    assert header == ["序号", "工作任务", "具体内容", "牵头单位", "配合单位", "完成时限", "进展情况", "完成状态", "备注"]
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == "A2:I20"
    assert ws.max_row == 20  # title + header + 18 items
    row = {h: ws.cell(row=4, column=i + 1).value for i, h in enumerate(header)}  # item 2
    assert row["序号"] == 2 and row["工作任务"] == "推进在建交通项目信息公开"
    assert row["牵头单位"] == "局规划建设股" and row["配合单位"] == "局财务股、县公路事业发展中心"
    assert row["完成时限"] == "每季度公开一次"
    assert row["完成状态"] == "进行中（逾期52天）"
    assert row["进展情况"].split("\n")[0] == "2026-03-27 局规划建设股：公开第一季度在建项目进展（12个项目）"  # who reported
    assert "未落实：第3季度" in row["备注"]
    assert ws.cell(row=4, column=3).alignment.wrap_text


def test_xlsx_status_colours(example_xlsx):
    ws = example_xlsx["工作台账"]
    fills = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=8).fill.fgColor.rgb[-6:] for r in range(3, 21)}
    assert fills[2] == "FFC7CE"  # overdue: red
    assert fills[14] == "FFEB9C"  # due in 9 days: yellow
    assert fills[1] == "C6EFCE"  # done: green
    assert fills[10] == "EDEDED"  # cancelled: grey


def test_xlsx_column_widths_fit_chinese(example_xlsx):
    ws = example_xlsx["工作台账"]
    # 牵头单位: the longest name 县交通运输综合行政执法大队、局运输管理股 is 40 wide, capped at 20
    assert ws.column_dimensions["D"].width == 20
    # 完成时限: 文件公开后3个工作日内；每年解读重要政策措施不少于3次 is wider than the cap of 18
    assert ws.column_dimensions["F"].width == 18
    assert ws.column_dimensions["A"].width == text_width("序号") + 4
    # wrapped rows are tall enough for their text
    assert ws.row_dimensions[3].height > 15


def test_xlsx_department_sheets(example_xlsx):
    wb = example_xlsx
    assert wb.sheetnames[0] == "工作台账"
    assert wb.sheetnames[1:4] == ["局办公室", "局政策法规股", "局规划建设股"]
    ws = wb["局财务股"]
    ids = [ws.cell(row=r, column=1).value for r in range(3, ws.max_row + 1)]
    # its own item (3), the one it assists (2), and those of 各股室 (its group: 11, 13, 18)
    assert ids == [2, 3, 11, 13, 18]
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref == f"A2:I{ws.max_row}"


def test_sheet_names_follow_excel_rules():
    taken: set[str] = set()
    assert sheet_name("局办公室", taken) == "局办公室"
    assert sheet_name("局办公室", taken) == "局办公室(2)"
    odd = sheet_name("a/b:c*d?e[f]g\\h", taken)
    assert not set("[]:*?/\\") & set(odd)
    long = sheet_name("很长的部门名称" * 8, taken)
    assert len(long) <= 31


def test_binary_formats_need_output(runner):
    res = invoke(runner, "report", "2026", "-u", "example", "-f", "xlsx", code=2)
    assert "-o" in res.output


def test_failed_report_leaves_no_file(runner, tmp_path):
    out = tmp_path / "台账.xlsx"
    invoke(runner, "report", "2030", "-u", "example", "-f", "xlsx", "-o", str(out), code=2)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- 工作台账 (html)


def test_html_ledger_is_self_contained_and_escaped(runner, tmp_path):
    plan = PLAN.replace("title: 按期完成的任务", 'title: "<script>alert(1)</script> & 公开"')
    make_unit(tmp_path, plan)
    res = invoke(runner, "report", "2021", "-f", "html", plans=tmp_path, as_of="2021-11-21")
    page = res.stdout
    assert page.startswith("<!DOCTYPE html>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 公开" in page
    assert "<script" not in page
    for external in ("<link", " src=", "@import", "url(", "http://", "https://"):
        assert external not in page
    assert '<meta charset="utf-8">' in page
    assert page.count("<table>") == 1 + page.count("<h2 ")
    assert '<td class="status red">进行中（逾期52天）</td>' in page  # item 3: 2021年9月底前


def test_html_ledger_example(runner, tmp_path):
    out = tmp_path / "台账.html"
    invoke(runner, "report", "2026", "-u", "example", "-f", "html", "-o", str(out))
    page = out.read_text(encoding="utf-8")
    assert "<title>示例县交通运输局2026年政务公开工作要点工作台账</title>" in page
    assert (
        "共 18 项任务：未启动 3 项，进行中 10 项，已完成 4 项，已取消 1 项。"
        "其中逾期 5 项，15 天内到期 2 项，常态化任务报送期内无进展 1 项。" in page
    )


# --------------------------------------------------------------------------- 督办通知单


def test_notice_md_golden(runner):
    res = invoke(runner, "notice", "办公室", "--unit", "example")
    assert_golden("notice_example_局办公室_2026-11-21.md", res.stdout)
    assert "致：局办公室" in res.stdout  # the alias resolves to the registered name
    assert "请于2026年11月27日前" in res.stdout  # five working days after the as-of date


def test_notice_lists_lead_and_cooperating_items(runner):
    import json

    res = invoke(runner, "notice", "局财务股", "-u", "example", "-f", "json", "--within", "30")
    data = json.loads(res.stdout)
    rows = [(r["ref"], r["role"], r["overdue_days"], r["due_in_days"]) for r in data["items"]]
    assert rows == [
        ("example/2026/11", "配合", 235, None),
        ("example/2026/18", "配合", 144, None),
        ("example/2026/2", "配合", 52, None),
    ]
    # item 6 (its lead) is due within 60 days: its count of interpretations by the year's end
    res = invoke(runner, "notice", "局政策法规股", "-u", "example", "-f", "json", "--within", "60")
    roles = {r["ref"]: r["role"] for r in json.loads(res.stdout)["items"]}
    assert roles["example/2026/6"] == "牵头" and roles["example/2026/4"] == "配合"


def test_notice_docx_layout(runner, tmp_path):
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    out = tmp_path / "督办单.docx"
    invoke(
        runner,
        "notice",
        "局办公室",
        "-u",
        "example",
        "-f",
        "docx",
        "-o",
        str(out),
        "--reply-by",
        "2026-11-30",
        "--issuer",
        "示例县交通运输局政务公开领导小组办公室",
    )
    doc = Document(str(out))
    paras = [p for p in doc.paragraphs if p.text]
    assert paras[0].text == "政务公开工作督办通知单"
    assert paras[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert paras[1].text == "编号：督〔2026〕\u3000\u3000号"  # numbered when issued (ggk notice --issue)
    assert paras[2].text == "致：局办公室"
    assert paras[-6].text == "请于2026年11月30日前将办理进展、存在问题及完成时限书面反馈示例县交通运输局政务公开领导小组办公室。"
    assert paras[-5].text == "示例县交通运输局政务公开领导小组办公室"
    assert paras[-4].text == "2026年11月21日" and paras[-4].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert paras[-3].text.startswith("联系人：") and "联系电话：" in paras[-3].text
    assert "签收回执" in paras[-2].text
    assert paras[-1].text.startswith("签收人：") and "签收日期：" in paras[-1].text
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "工作任务", "职责", "完成时限", "截止日期", "逾期情况", "目前状态", "最近进展"]
    assert [c.text for c in table.rows[1].cells][:6] == [
        "1",
        "更新政府信息公开指南和目录",
        "牵头",
        "2026年3月底前",
        "2026-03-31",
        "逾期235天",
    ]
    assert len(table.rows) == 6


def test_notice_nothing_to_chase_and_errors(runner, tmp_path):
    res = invoke(runner, "notice", "局财务股", "-u", "example", as_of="2026-01-10")
    assert "没有逾期或15天内到期的事项" in res.stdout
    res = invoke(runner, "notice", "办公室", code=2)  # registered in two units
    assert "请用 --unit 指定" in res.output
    res = invoke(runner, "notice", "局办公事", "-u", "example", code=2)
    assert "是不是「局办公室」" in res.output
    res = invoke(runner, "notice", "局办公室", "-u", "example", "-f", "docx", code=2)
    assert "-o" in res.output
    res = invoke(runner, "notice", "局办公室", "-u", "example", "--fail", code=1)


# --------------------------------------------------------------------------- renderers


def test_renderers_return_values_and_never_open_files(monkeypatch):
    """render(report) -> str | bytes; opening a file for writing inside a renderer fails here.
    (python-docx reads its own template and openpyxl keeps scratch files in the temp folder: fine.)"""
    import builtins
    import tempfile

    real_open = builtins.open

    ws = load([PLANS])
    entry = one_plan(ws, 2026, ["example"])
    section = annual_section(ws, entry)
    book = ledger(ws, entry, dt.date(2026, 11, 21))

    def no_open(file, mode="r", *a, **k):
        scratch = str(file).startswith(tempfile.gettempdir())
        if any(m in mode for m in "wax+") and not scratch:
            raise AssertionError(f"a renderer opened {file} for writing")
        return real_open(file, mode, *a, **k)

    monkeypatch.setattr(builtins, "open", no_open)
    monkeypatch.setattr(io, "open", no_open)
    assert isinstance(renderer(Format.MD).render(section), str)
    assert isinstance(renderer(Format.DOCX).render(section), bytes)
    assert isinstance(renderer(Format.XLSX).render(book), bytes)
    assert isinstance(renderer(Format.HTML).render(book), str)


def test_documents_default_to_markdown_when_piped(runner, plans_copy):
    from ggk.cli.app import app

    result = runner.invoke(app, ["--plans", str(plans_copy), "--as-of", "2026-12-31", "review", "2026", "--unit", "example"])
    assert result.exit_code == 0
    assert result.stdout.startswith("# ") and "| 序号 |" in result.stdout  # Markdown, not a drawn table


def test_documents_are_drawn_in_a_terminal(plans_copy):
    import datetime as dt

    from ggk.ledger.review import review
    from ggk.render import Format, Options, renderer
    from ggk.workspace.session import open_workspace

    today = dt.date(2026, 12, 31)
    session = open_workspace([plans_copy], today)
    report = review(session.ws, 2026, today, ["example"], session.calendar)
    drawn = renderer(Format.TABLE, Options(color=True, width=120)).render(report)
    assert "\x1b[" in drawn and "整改清单" in drawn and "| 序号 |" not in drawn
