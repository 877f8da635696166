"""Forms out and returns in: ``ggk form`` writes a 进展报送表 per department, departments fill them in
with a spreadsheet program the way they do (re-sorted, inserted and deleted rows, a renamed sheet,
typing mistakes, a row pasted from another department's form), ``ggk intake`` takes in exactly the
valid rows, once, and a corrected return replaces what the form said before.  Through the CLI on a
copy of the example unit; the forms are opened and filled with openpyxl, and once saved by
LibreOffice itself."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from ggk.cli.app import app
from ggk.model import Plan, Status
from ggk.returns import cells
from ggk.workspace.load import load_file
from tests.builders import office_program

FORM_DAY = "2026-10-09"  # the third quarter's report is due on 2026-10-13
KEY_COL = 14  # the hidden ggk-key column (N)
HEADER = 4


@pytest.fixture()
def plans(example_unit: Path) -> Path:
    return example_unit


def ggk(plans: Path, *args: str, as_of: str = FORM_DAY, code: int | None = 0) -> Any:
    res = CliRunner().invoke(app, ["--plans", str(plans), "--as-of", as_of, *args])
    if code is not None:
        assert res.exit_code == code, res.output
    return res


@pytest.fixture()
def forms(plans: Path, tmp_path: Path) -> Path:
    out = tmp_path / "forms"
    ggk(plans, "form", "-u", "example", "-o", str(out))
    return out


def plan_of(plans: Path) -> Plan:
    model = load_file(plans / "example" / "2026.yaml", Plan).model
    assert isinstance(model, Plan)
    return model


def item(plan: Plan, item_id: str) -> Any:
    return next(i for _l, _c, i in plan.iter_items() if i.id == item_id)


def columns(ws: Any) -> dict[str, int]:
    return {c.value: c.column for c in ws[HEADER] if c.value}


def row_of(ws: Any, ref: str) -> int:
    for r in range(HEADER + 1, ws.max_row + 1):
        key = ws.cell(row=r, column=KEY_COL).value
        if isinstance(key, str) and key.startswith(ref + "|"):
            return r
    raise AssertionError(f"no row for {ref}")


def fill(ws: Any, ref: str, **values: Any) -> int:
    """Type into the row of ``ref`` (column names with _ for /: 佐证材料_链接)."""
    cols = columns(ws)
    r = row_of(ws, ref)
    for name, value in values.items():
        ws.cell(row=r, column=cols[name.replace("_", "/")]).value = value  # (value=None in cell() would keep the old value)
    return r


def data_rows(ws: Any) -> list[int]:
    return [r for r in range(HEADER + 1, ws.max_row + 1) if str(ws.cell(row=r, column=KEY_COL).value or "").count("|") == 2]


def resort(ws: Any) -> None:
    """Sort the data rows backwards, as a department sorting by a column does (every cell moves)."""
    rows = data_rows(ws)
    values = [[ws.cell(row=r, column=c).value for c in range(1, KEY_COL + 1)] for r in rows]
    for r, vals in zip(rows, reversed(values), strict=True):
        for c, v in enumerate(vals, start=1):
            ws.cell(row=r, column=c, value=v)


# =========================================================================== forms out


def test_form_says_what_the_ledger_says_of_standing_work(plans: Path, tmp_path: Path) -> None:
    """After the quarter's report was due, a form for it shows the 台账's 本季度无进展, from the same rule."""
    out = tmp_path / "late"
    ggk(plans, "form", "局办公室", "-u", "example", "--period", "2026-Q3", "-o", str(out), as_of="2026-10-20")
    ws = load_workbook(out / "局办公室-2026-Q3.xlsx")["进展报送表"]
    stands = {ws.cell(row=r, column=2).value: ws.cell(row=r, column=6).value for r in data_rows(ws)}
    listed = json.loads(ggk(plans, "list", "-u", "example", "--format", "json", as_of="2026-10-20").output)
    idle = {row["ref"]: row["idle"]["text"] for row in listed["items"] if row.get("idle")}
    assert idle["example/2026/15"] == "本季度无进展"
    assert stands["example/2026/15"] == f"进行中（{idle['example/2026/15']}）"


def test_form_layout(forms: Path) -> None:
    names = sorted(p.name for p in forms.iterdir())
    assert "局办公室-2026-Q3.xlsx" in names and "局财务股-2026-Q3.xlsx" in names
    assert len(names) == 8  # every department with an open item in the quarter
    wb = load_workbook(forms / "局办公室-2026-Q3.xlsx")
    assert wb.sheetnames == ["进展报送表", "ggk"] and wb["ggk"].sheet_state == "hidden"
    meta = {r[0]: r[1] for r in wb["ggk"].iter_rows(values_only=True)}
    assert meta["dept"] == "局办公室" and meta["period"] == "2026-Q3" and meta["unit"] == "example" and meta["due"] == "2026-10-13"
    ws = wb["进展报送表"]
    assert ws["A1"].value == "示例县交通运输局2026年政务公开工作要点落实情况报送表"
    assert (
        "部门：局办公室" in ws["A2"].value
        and "报送期：2026年第三季度" in ws["A2"].value
        and "报送截止日期：2026年10月13日" in ws["A2"].value
    )
    assert ws["B3"].value == "填报人" and ws["E3"].value == "联系电话"
    assert not ws["C3"].protection.locked and not ws["F3"].protection.locked
    head = [c.value for c in ws[HEADER]]
    assert head == ["序号", "条目", "工作任务", "职责", "完成时限", "目前情况", "最近进展", "本期进展情况", "完成状态", "完成日期"] + [
        "佐证材料/链接",
        "事件日期",
        "公开日期",
        "ggk-key",
    ]
    assert ws.protection.sheet and not ws.protection.password  # protected, no password needed
    assert ws.column_dimensions["N"].hidden
    refs = [ws.cell(row=r, column=2).value for r in data_rows(ws)]
    # the items it leads, then those it supports; done before the quarter or cancelled: not asked
    assert refs[:3] == ["example/2026/8", "example/2026/9", "example/2026/11"]
    assert "example/2026/13" not in refs and "example/2026/10" not in refs
    roles = {ws.cell(row=r, column=2).value: ws.cell(row=r, column=4).value for r in data_rows(ws)}
    assert roles["example/2026/9"] == "牵头" and roles["example/2026/16"] == "配合"
    stands = {ws.cell(row=r, column=2).value: ws.cell(row=r, column=6).value for r in data_rows(ws)}
    assert stands["example/2026/11"] == "未启动（逾期192天）"
    assert stands["example/2026/17"] == "进行中；1/2 次"
    # standing work: the third quarter's report is not due yet, so the form says what the ledger says
    assert stands["example/2026/15"] == "进行中"
    last = {ws.cell(row=r, column=2).value: ws.cell(row=r, column=7).value for r in data_rows(ws)}
    assert last["example/2026/12"] == "2026-08-26 办公室：完成栏目映射方案，存量信息4,812条导出"  # nothing after the form's day
    r9 = row_of(ws, "example/2026/9")
    for col in range(1, 8):
        assert ws.cell(row=r9, column=col).protection.locked
    for col in range(8, 12):
        assert not ws.cell(row=r9, column=col).protection.locked
    assert ws.cell(row=r9, column=12).protection.locked  # no working-day duty: no events to fill in
    dv = ws.data_validations.dataValidation
    assert len(dv) == 1 and dv[0].formula1 == '"未启动,进行中,已完成"' and "I5" in str(dv[0].sqref)
    # the working-day duty of the 执法大队 has its event columns open
    law = load_workbook(forms / "县交通运输综合行政执法大队-2026-Q3.xlsx")["进展报送表"]
    assert not law.cell(row=row_of(law, "example/2026/4"), column=12).protection.locked


def test_form_options_and_docx(plans: Path, tmp_path: Path) -> None:
    out = tmp_path / "f"
    res = ggk(plans, "form", "办公室", "财务股", "--period", "2026年第三季度", "-f", "xlsx", "-f", "docx", "-o", str(out))
    assert sorted(p.name for p in out.iterdir()) == [
        "局办公室-2026-Q3.docx",
        "局办公室-2026-Q3.xlsx",
        "局财务股-2026-Q3.docx",
        "局财务股-2026-Q3.xlsx",
    ]
    assert "报送截止 2026-10-13" in res.stderr
    from docx import Document

    doc = Document(str(out / "局财务股-2026-Q3.docx"))
    assert doc.paragraphs[0].text == "示例县交通运输局2026年政务公开工作要点落实情况报送表"
    head = [c.text for c in doc.tables[0].rows[0].cells]
    assert head[:3] == ["序号", "条目", "工作任务"] and head[-6:] == [
        "本期进展情况",
        "完成状态",
        "完成日期",
        "佐证材料/链接",
        "事件日期",
        "公开日期",
    ]
    assert [r.cells[1].text for r in doc.tables[0].rows[1:]] == [
        "example/2026/2",
        "example/2026/11",
        "example/2026/18",
    ]  # 11, 18: through 各股室
    for spelled in ("2026-Q3", "2026Q3", "2026年第三季度"):
        ggk(plans, "form", "局财务股", "-p", spelled, "-o", str(tmp_path / spelled))
        assert (tmp_path / spelled / "局财务股-2026-Q3.xlsx").exists()
    assert "与报送周期" in ggk(plans, "form", "-p", "2026-07", "-o", str(tmp_path / "m"), code=2).stderr
    assert "没有登记名为「局办公事」" in ggk(plans, "form", "局办公事", code=2).stderr
    # the group 各股室 stands for its members
    ggk(plans, "form", "各股室", "-o", str(tmp_path / "g"))
    assert len(list((tmp_path / "g").iterdir())) == 5


def test_plan_text_never_becomes_a_formula(plans: Path, tmp_path: Path) -> None:
    path = plans / "example" / "2026.yaml"
    text = path.read_text(encoding="utf-8").replace("title: 积极回应社会关切", 'title: "=HYPERLINK(\\"http://x\\",\\"点我\\")"')
    path.write_text(text, encoding="utf-8")
    ggk(plans, "form", "局办公室", "-o", str(tmp_path / "f"))
    wb = load_workbook(tmp_path / "f" / "局办公室-2026-Q3.xlsx")
    ws = wb["进展报送表"]
    cell = ws.cell(row=row_of(ws, "example/2026/8"), column=3)
    assert cell.data_type == "s" and cell.quotePrefix and cell.value.startswith("=HYPERLINK")  # shown as typed, never run
    # and the row still comes back: its checksum is of what the cell holds
    fill(ws, "example/2026/8", 本期进展情况="回应关切")
    wb.save(tmp_path / "back.xlsx")
    ggk(plans, "intake", str(tmp_path / "back.xlsx"))
    assert [e.note for e in source_entries(item(plan_of(plans), "8"))] == ["回应关切"]


# =========================================================================== returns in


def office_return(forms: Path, tmp_path: Path) -> Path:
    """局办公室's form as it comes back: three valid rows among every kind of mistake."""
    wb = load_workbook(forms / "局办公室-2026-Q3.xlsx")
    ws = wb["进展报送表"]
    ws["C3"], ws["F3"] = "张三", 8781234567  # a phone typed as a number
    resort(ws)
    fill(ws, "example/2026/8", 本期进展情况="在政务微信回应网民关切12条", 佐证材料_链接="https://www.example.gov.cn/hdjl/1")
    fill(ws, "example/2026/9", 本期进展情况="21件复文全部公开", 完成状态="已完成", 完成日期="2026年9月30日")
    fill(ws, "example/2026/14", 完成状态="已完成", 完成日期=dt.datetime(2026, 9, 28))  # an Excel date cell
    fill(ws, "example/2026/12", 本期进展情况="迁移中", 完成状态="差不多")  # not a status
    fill(ws, "example/2026/18", 完成状态="已完成", 完成日期="2026-12-01")  # after today
    r17 = fill(ws, "example/2026/17", 本期进展情况="培训一次")
    ws.cell(row=r17, column=3, value="开展培训")  # a sent (locked) cell changed
    ws.delete_rows(row_of(ws, "example/2026/11"))  # a row deleted
    ws.insert_rows(HEADER + 2)  # a row inserted, filled in, without a key
    ws.cell(row=HEADER + 2, column=3, value="新增工作")
    ws.cell(row=HEADER + 2, column=8, value="自行增加的一项")
    foreign = load_workbook(forms / "局财务股-2026-Q3.xlsx")["进展报送表"]
    r = row_of(foreign, "example/2026/2")
    ws.insert_rows(HEADER + 3)  # a row pasted from another department's form
    for c in range(1, KEY_COL + 1):
        ws.cell(row=HEADER + 3, column=c, value=foreign.cell(row=r, column=c).value)
    ws.cell(row=HEADER + 3, column=8, value="替财务股报送")
    ws.title = "办公室报送"  # the sheet renamed
    out = tmp_path / "办公室-三季度.xlsx"
    wb.save(out)
    return out


def returned(forms: Path, out: Path, dept: str, name: str | None = None, **rows: dict[str, Any]) -> Path:
    """``dept``'s form filled in: ``rows`` by reference (``example_2026_8={"本期进展情况": …}``), saved
    in ``out`` as ``name`` (default <dept>-回.xlsx)."""
    wb = load_workbook(forms / f"{dept}-2026-Q3.xlsx")
    ws = wb.active
    ws["C3"] = "经办人"
    for ref, values in rows.items():
        fill(ws, ref.replace("_", "/"), **values)
    path = out / (name or f"{dept}-回.xlsx")
    wb.save(path)
    return path


def finance_return(forms: Path, tmp_path: Path) -> Path:
    return returned(
        forms, tmp_path, "局财务股", "财务股.xlsx", example_2026_2={"本期进展情况": "配合公开项目资金使用情况", "完成状态": "进行中"}
    )


def law_return(forms: Path, tmp_path: Path) -> Path:
    # the open event of 09-28 was published on 10-08; a new decision on 10-09 is not published yet
    events = {"事件日期": "2026-09-28\n2026/10/9", "公开日期": "2026年10月8日"}
    return returned(forms, tmp_path, "县交通运输综合行政执法大队", "执法大队.xlsx", example_2026_4=events)


def planning_return(forms: Path, tmp_path: Path) -> Path:
    return returned(forms, tmp_path, "局规划建设股", "规划股.xlsx", example_2026_2={"完成状态": "未启动"})  # it is 进行中: backwards


def source_entries(it: Any, form_prefix: str = "2026-Q3-") -> list[Any]:
    return [e for e in it.log if e.source is not None and e.source.form.startswith(form_prefix)]


def test_departments_return_their_forms(plans: Path, forms: Path, tmp_path: Path) -> None:
    before = plan_of(plans)
    files = [office_return(forms, tmp_path), finance_return(forms, tmp_path), law_return(forms, tmp_path), planning_return(forms, tmp_path)]
    duplicate = tmp_path / "财务股（重发）.xlsx"
    shutil.copy(files[1], duplicate)
    res = ggk(plans, "intake", *map(str, files), str(duplicate), as_of="2026-10-12", code=1)
    after = plan_of(plans)

    # exactly the valid rows
    e8 = source_entries(item(after, "8"))
    assert [(e.date, e.by, e.note, e.evidence) for e in e8] == [
        (dt.date(2026, 9, 30), "局办公室", "在政务微信回应网民关切12条", "https://www.example.gov.cn/hdjl/1")
    ]
    assert e8[0].source is not None and e8[0].source.period == "2026-Q3"
    i9 = item(after, "9")
    assert i9.status is Status.DONE and i9.completed == dt.date(2026, 9, 30)
    assert [(e.note, e.status) for e in source_entries(i9)] == [("21件复文全部公开", Status.DONE)]
    i14 = item(after, "14")
    assert i14.status is Status.DONE and i14.completed == dt.date(2026, 9, 28)
    for rejected in ("11", "12", "17", "18"):
        assert item(after, rejected) == item(before, rejected), rejected
    i2 = item(after, "2")
    assert [(e.by, e.note) for e in source_entries(i2)] == [("局财务股", "配合公开项目资金使用情况")]  # once, not twice
    assert i2.status is Status.IN_PROGRESS
    events = [(e.event, e.done) for e in item(after, "4").log if e.event is not None]
    assert (dt.date(2026, 9, 28), dt.date(2026, 10, 8)) in events and (dt.date(2026, 9, 28), None) not in events
    assert (dt.date(2026, 10, 9), None) in events and len(events) == 5

    # every problem names file, sheet and row, in Chinese
    err = res.stderr
    office = "办公室-三季度.xlsx：工作表「办公室报送」"
    assert f"{office}第6行：这一行不是报送表发出的行（没有识别码）" in err
    assert f"{office}第7行：这一行来自另一份报送表" in err
    assert "看不懂完成状态「差不多」" in err and "完成日期 2026-12-01 晚于报送当天 2026-10-12" in err
    assert "灰色列（条目、工作任务、职责、完成时限、目前情况、最近进展）被改动过" in err
    assert "规划股.xlsx：工作表「进展报送表」第5行：完成状态倒退：条目目前为“进行中”，报送为“未启动”" in err
    out = res.stdout
    assert "局办公室" in out and "录入 3 行，未变 0 行，退回 5 行，空白 3 行" in out
    assert "局财务股  2026-Q3  录入 1 行，未变 1 行" in out.replace("　", "")
    assert "2026年第三季度尚未报送（截止 2026-10-13）：局运输管理股、局政务公开领导小组" in out

    # the register knows who returned what, and who filled it in
    register = (plans / "example" / "register.yaml").read_text(encoding="utf-8")
    assert register.count("- form: 2026-Q3-") == 4 and "reporter: 张三" in register and 'phone: "8781234567"' in register

    # a second intake changes nothing
    text = (plans / "example" / "2026.yaml").read_bytes()
    reg_text = (plans / "example" / "register.yaml").read_bytes()
    res2 = ggk(plans, "intake", *map(str, files), as_of="2026-10-13", code=1)
    assert (plans / "example" / "2026.yaml").read_bytes() == text
    assert (plans / "example" / "register.yaml").read_bytes() == reg_text
    assert "录入 0 行" in res2.stdout and "已写入" not in res2.stderr

    # a corrected return replaces what the form said before
    wb = load_workbook(files[0])
    ws = wb["办公室报送"]
    fill(ws, "example/2026/8", 本期进展情况="在政务微信回应网民关切15条（更正）")
    fill(ws, "example/2026/9", 完成状态="进行中", 完成日期=None, 本期进展情况="20件复文已公开，1件待审")
    wb.save(files[0])
    res3 = ggk(plans, "intake", str(files[0]), as_of="2026-10-14", code=1)
    corrected = plan_of(plans)
    # (what it replaces stays in the file, deleted on 10-14: the reports of 10-12 and 10-13 keep it)
    assert [(e.note, e.deleted is None) for e in source_entries(item(corrected, "8"))] == [
        ("在政务微信回应网民关切12条", False),
        ("在政务微信回应网民关切15条（更正）", True),
    ]
    i9 = item(corrected, "9")
    assert i9.status is Status.IN_PROGRESS and i9.completed is None  # its own earlier 已完成 is taken back
    assert [(e.note, e.status) for e in source_entries(i9) if e.deleted is None] == [("20件复文已公开，1件待审", None)]
    assert "录入 2 行" in res3.stdout
    assert "revised: 2026-10-14" in (plans / "example" / "register.yaml").read_text(encoding="utf-8")
    assert "received: 2026-10-12" in (plans / "example" / "register.yaml").read_text(encoding="utf-8")
    ggk(plans, "check", str(plans), as_of="2026-11-21")  # (the example holds entries up to 11-18)


def test_dry_run_shows_the_diff_and_writes_nothing(plans: Path, forms: Path, tmp_path: Path) -> None:
    path = finance_return(forms, tmp_path)
    before = (plans / "example" / "2026.yaml").read_bytes()
    res = ggk(plans, "intake", str(path), "--dry-run")
    assert "+            note: 配合公开项目资金使用情况" in res.stdout
    assert "+            source: {form: 2026-Q3-" in res.stdout
    assert (plans / "example" / "2026.yaml").read_bytes() == before
    assert not (plans / "example" / "register.yaml").exists()
    data = ggk(plans, "intake", str(path), "--dry-run", "-f", "json").stdout
    import json

    report = json.loads(data)
    assert report["departments"][0]["applied"] == 1 and report["written"] == []


def test_forms_of_another_period_or_unit(plans: Path, forms: Path, tmp_path: Path) -> None:
    path = finance_return(forms, tmp_path)
    res = ggk(plans, "intake", str(path), "--period", "2026-Q4", code=1)
    assert "报送表是 2026年第三季度 的，本次收取的是 2026年第四季度" in res.stderr
    res = ggk(plans, "intake", str(path), as_of="2027-01-20", code=1)  # two periods later, without --period
    assert "--period 2026-Q3" in res.stderr
    assert ggk(plans, "intake", str(path), "--unit", "gansu-jtt", code=1).stderr.count("不是本次收取的单位") == 1
    ggk(plans, "intake", str(path), "--period", "2026-Q3", as_of="2027-01-20")  # a late return, named
    other = tmp_path / "other.xlsx"
    from openpyxl import Workbook

    Workbook().save(other)
    assert "不是 ggk 生成的进展报送表或工作台账" in ggk(plans, "intake", str(other), code=1).stderr
    (tmp_path / "broken.xlsx").write_bytes(b"PK not really")
    # a file that cannot be read is one problem; the other files are still taken in
    res = ggk(plans, "intake", str(tmp_path / "broken.xlsx"), str(path), "--period", "2026-Q3", code=1)
    assert "broken.xlsx 是已损坏的文件" in res.stderr
    # a path that names no file is a usage error: nothing is read (tests/test_intake_files.py)
    assert "找不到文件" in ggk(plans, "intake", str(tmp_path / "none.xlsx"), str(path), code=2).stderr
    assert "局财务股  2026-Q3  录入 0 行，未变 1 行" in res.stdout.replace("　", "")


def test_a_form_saved_by_libreoffice_is_read(plans: Path, forms: Path, tmp_path: Path) -> None:
    office_program("soffice")
    wb = load_workbook(forms / "局运输管理股-2026-Q3.xlsx")
    ws = wb.active
    fill(ws, "example/2026/5", 本期进展情况="发布城乡公交线路调整公告3则", 佐证材料_链接="https://www.example.gov.cn/zwgk/bmxx/3")
    fill(ws, "example/2026/4", 事件日期=dt.datetime(2026, 9, 30), 公开日期=dt.datetime(2026, 10, 9))
    wb.save(tmp_path / "filled.xlsx")
    saved = tmp_path / "lo"
    profile = tmp_path / "lo-profile"  # a profile of its own: tests may run beside a desktop session
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(saved),
            str(tmp_path / "filled.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    converted = saved / "filled.xlsx"
    assert converted.exists() and converted.read_bytes() != (tmp_path / "filled.xlsx").read_bytes()
    res = ggk(plans, "intake", str(converted), as_of="2026-10-12")
    assert "录入 2 行" in res.stdout
    after = plan_of(plans)
    assert [e.note for e in source_entries(item(after, "5"))] == ["发布城乡公交线路调整公告3则"]
    assert any(e.event == dt.date(2026, 9, 30) and e.done == dt.date(2026, 10, 9) for e in item(after, "4").log)
    ggk(plans, "intake", str(converted), as_of="2026-10-12")
    assert plan_of(plans) == after


def test_the_hand_kept_ledger_is_read_too(plans: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "台账.xlsx"
    ggk(plans, "report", "2026", "-u", "example", "-f", "xlsx", "-o", str(ledger), as_of="2026-11-21")
    wb = load_workbook(ledger)
    main = wb["工作台账"]
    cols = {c.value: c.column for c in main[2]}
    row = next(r for r in range(3, main.max_row + 1) if main.cell(row=r, column=cols["工作任务"]).value == "完成政府网站集约化迁移")
    cell = main.cell(row=row, column=cols["进展情况"])
    cell.value = f"{cell.value}\n2026年11月20日 完成剩余552条迁移"
    main.cell(row=row, column=cols["完成状态"], value="已完成")
    dept = wb["局财务股"]
    r2 = next(r for r in range(3, dept.max_row + 1) if dept.cell(row=r, column=2).value == "推进在建交通项目信息公开")
    dept.cell(row=r2, column=cols["进展情况"], value=f"{dept.cell(row=r2, column=cols['进展情况']).value}\n2026-11-10 配合核对项目资金")
    r3 = next(r for r in range(3, dept.max_row + 1) if dept.cell(row=r, column=2).value == "更新政府信息公开指南和目录")
    dept.cell(row=r3, column=cols["牵头单位"], value="局财务股")  # not the plan's: refused
    dept.cell(row=r3, column=cols["进展情况"], value="2026-11-12 已排查")
    wb.save(ledger)
    res = ggk(plans, "intake", str(ledger), as_of="2026-11-21", code=1)
    assert "台账.xlsx：工作表「局财务股」" in res.stderr and "「牵头单位」与计划不同" in res.stderr
    after = plan_of(plans)
    i12 = item(after, "12")
    assert i12.status is Status.DONE and i12.completed == dt.date(2026, 11, 20)
    new = [e for e in i12.log if e.source is not None]
    assert [(e.date, e.by, e.note, e.status) for e in new] == [(dt.date(2026, 11, 20), "局办公室", "完成剩余552条迁移", Status.DONE)]
    assert new[0].source is not None and new[0].source.period == "2026-Q4"
    assert [(e.by, e.note) for e in item(after, "2").log if e.source is not None] == [("局财务股", "配合核对项目资金")]
    text = (plans / "example" / "2026.yaml").read_bytes()
    ggk(plans, "intake", str(ledger), as_of="2026-11-22", code=1)
    assert (plans / "example" / "2026.yaml").read_bytes() == text


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026年9月30日", dt.date(2026, 9, 30)),
        ("2026/9/30", dt.date(2026, 9, 30)),
        ("2026-9-30", dt.date(2026, 9, 30)),
        ("2026.09.30", dt.date(2026, 9, 30)),
        ("9月30日", dt.date(2026, 9, 30)),
        (20260930, dt.date(2026, 9, 30)),
        (dt.datetime(2026, 9, 30, 0, 0), dt.date(2026, 9, 30)),
        (None, None),
        ("", None),
    ],
)
def test_dates_typed_the_chinese_way(typed: Any, expected: dt.date | None) -> None:
    assert cells.to_date(typed, 2026) == expected


@pytest.mark.parametrize(
    ("typed", "says"),
    [("9月31日", "看不懂日期「9月31日」"), ("明天", "看不懂日期「明天」"), ("2026-13-01", "月份 13 不对"), (45000, "看不懂日期")],
)
def test_unreadable_dates(typed: Any, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        cells.to_date(typed, 2026)


def test_statuses_as_typed() -> None:
    assert cells.to_status("已完成") is Status.DONE
    assert cells.to_status(" 进行中（逾期21天）") is Status.IN_PROGRESS
    assert cells.to_status("done") is Status.DONE
    assert cells.to_status(None) is None
    with pytest.raises(ValueError, match="看不懂完成状态"):
        cells.to_status("快好了")


def test_returns_about_one_item_end_the_same_in_any_order(plans: Path, forms: Path, tmp_path: Path) -> None:
    """Three departments report on item 11 (the lead and two through 各股室): whichever order the
    returns are taken in, together or one by one, the item ends the same (its entries in the order
    they came), and taking them in again changes nothing."""
    import itertools

    said = {
        "局办公室": {"本期进展情况": "指南修订完成", "完成状态": "已完成", "完成日期": "2026-09-20"},
        "局财务股": {"完成状态": "已完成", "完成日期": "2026年9月25日"},
        "局政策法规股": {"本期进展情况": "配合审核公开目录"},
    }
    files = []
    for dept, values in said.items():
        wb = load_workbook(forms / f"{dept}-2026-Q3.xlsx")
        fill(wb.active, "example/2026/11", **values)
        files.append(tmp_path / f"{dept}.xlsx")
        wb.save(files[-1])
    pristine = tmp_path / "pristine"
    shutil.copytree(plans, pristine)
    results = set()
    for order in [*itertools.permutations(files), None]:
        shutil.rmtree(plans)
        shutil.copytree(pristine, plans)
        if order is None:
            ggk(plans, "intake", *map(str, files), as_of="2026-10-12")
        else:
            for f in order:
                ggk(plans, "intake", str(f), as_of="2026-10-12")
        text = (plans / "example" / "2026.yaml").read_text(encoding="utf-8")
        assert "录入 0 行" in ggk(plans, "intake", *map(str, files), as_of="2026-10-12").stdout
        assert (plans / "example" / "2026.yaml").read_text(encoding="utf-8") == text
        i11 = item(plan_of(plans), "11")  # entries are in the order they came in; what they say is the same
        results.add(repr((i11.status, i11.completed, sorted(repr(e) for e in i11.log))))
    assert len(results) == 1
    i11 = item(plan_of(plans), "11")
    assert i11.status is Status.DONE and i11.completed == dt.date(2026, 9, 20)  # the earliest of the two
    assert sorted((e.by, e.status) for e in source_entries(i11)) == [
        ("局办公室", Status.DONE),
        ("局政策法规股", Status.IN_PROGRESS),  # progress on an item not started: it has started
        ("局财务股", Status.DONE),
    ]


def test_a_return_closes_the_live_open_event_not_a_deleted_one() -> None:
    """The office deleted a wrongly logged event (``ggk correct --delete``) and logged it again: a return
    giving its 公开日期 closes the live entry, as ``ggk note --event --done`` would."""
    from ggk.returns.intake import decide
    from ggk.returns.taken import Change

    ev = dt.date(2026, 7, 1)
    log = [
        {"date": ev, "note": "误登", "event": ev, "deleted": {"date": dt.date(2026, 7, 2), "reason": "重复"}},
        {"date": ev, "note": "收到申请", "event": ev},
    ]
    ch = Change("进展报送表", 5, "example/2026/9", "9", "f1", "2026-Q3", [], close_events=[(ev, dt.date(2026, 7, 8))])
    assert decide(log, Status.IN_PROGRESS, None, ch).close == [(1, dt.date(2026, 7, 8))]


def test_returns_taken_in_later_leave_earlier_reports_as_they_were(plans: Path, forms: Path, tmp_path: Path) -> None:
    """The QA trial's finding: an intake on 10-12 writes entries dated 09-30 (the forms' period) and a
    公开日期 of 10-08, and `--as-of 2026-10-08` reports changed after it (完成率 13.3% → 26.7%).  They are
    entered on 10-12 (``recorded``, ``done_recorded``): the 10-08 reports stay what they were, byte for
    byte, and the records count from 10-12."""
    office = returned(
        forms,
        tmp_path,
        "局办公室",
        example_2026_8={"本期进展情况": "在政务微信回应网民关切12条"},
        example_2026_9={"本期进展情况": "21件复文全部公开", "完成状态": "已完成", "完成日期": "2026年9月30日"},
    )
    files = [office, law_return(forms, tmp_path)]
    lines = ["status -u example", "list -u example", "show example/2026/9", "show example/2026/4 -f json", "overdue -u example"]
    before = {line: ggk(plans, *line.split(), as_of="2026-10-08").stdout for line in lines}
    ggk(plans, "intake", *map(str, files), as_of="2026-10-12")
    for line in lines:
        assert ggk(plans, *line.split(), as_of="2026-10-08").stdout == before[line], line
    text = (plans / "example" / "2026.yaml").read_text(encoding="utf-8")
    assert "recorded: 2026-10-12" in text and "done_recorded: 2026-10-12" in text
    after = plan_of(plans)
    assert item(after, "9").status is Status.DONE and item(after, "9").completed == dt.date(2026, 9, 30)
    shown = ggk(plans, "show", "example/2026/9", "-f", "json", as_of="2026-10-12").stdout
    assert '"status": "已完成"' in shown and '"completed": "2026-09-30"' in shown
    assert '"status": "已完成"' not in ggk(plans, "show", "example/2026/9", "-f", "json", as_of="2026-10-11").stdout


def test_a_corrected_return_taken_in_later_leaves_the_days_between_as_they_were(plans: Path, forms: Path, tmp_path: Path) -> None:
    """A return taken in on 10-12 said item 9 was 已完成 on 09-30; its corrected version, taken in on
    10-14, says 进行中.  The reports of 10-13 re-made after the correction are what they were on 10-13 (the
    entries it replaced are kept as deleted on 10-14, not removed), and from 10-14 on the corrected return
    stands."""
    rows = {"example_2026_9": {"本期进展情况": "21件复文全部公开", "完成状态": "已完成", "完成日期": "2026年9月30日"}}
    path = returned(forms, tmp_path, "局办公室", **rows)
    ggk(plans, "intake", str(path), as_of="2026-10-12")
    lines = ["status -u example", "list -u example", "show example/2026/9 -f json"]
    on_the_day = {line: ggk(plans, *line.split(), as_of="2026-10-13").stdout for line in lines}
    assert '"status": "已完成"' in on_the_day["show example/2026/9 -f json"]
    wb = load_workbook(path)
    fill(wb.active, "example/2026/9", 完成状态="进行中", 完成日期=None, 本期进展情况="20件复文已公开，1件待审")
    wb.save(path)
    ggk(plans, "intake", str(path), as_of="2026-10-14")
    for line in lines:
        assert ggk(plans, *line.split(), as_of="2026-10-13").stdout == on_the_day[line], line
    i9 = item(plan_of(plans), "9")
    assert i9.status is Status.IN_PROGRESS and i9.completed is None
    assert [(e.note, e.deleted is not None) for e in source_entries(i9)] == [("21件复文全部公开", True), ("20件复文已公开，1件待审", False)]
    shown = ggk(plans, "show", "example/2026/9", "-f", "json", as_of="2026-10-14").stdout
    assert '"status": "进行中"' in shown and "21件复文全部公开" not in shown
    ggk(plans, "intake", str(path), as_of="2026-10-15", code=None)
    assert item(plan_of(plans), "9") == i9  # taken in a third time: nothing changes
