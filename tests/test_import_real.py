"""ggk import on real documents of other offices (tests/data/import/real, sources in tests/data/README.md),
the task-table formats built from their text (.docx with merged cells, .xlsx, PDF), the import limits
(hostile inputs), and merging into a plan that already holds items.

Golden expectations: per document the items' ids, lead and assist as the document assigns them, and
the time rules its limits state.  The stored texts are the beginnings of web pages, as stored: most
stop mid-item (the complete items import, the cut one is reported).
"""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from pathlib import Path

import pytest
import yaml

from ggk.diagnostics import GgkError
from ggk.importer.build import NoItemsFound, import_document
from ggk.importer.report import render_report
from ggk.model import Plan
from tests.builders import docx_document, soffice_convert
from tests.test_importer import _run, items, seed

REAL = Path(__file__).resolve().parent / "data" / "import" / "real"


def real(name: str) -> Path:
    path = REAL / name
    if not path.is_file():
        raise AssertionError(f"{name} missing from tests/data/import/real")
    return path


GOLDEN: dict[str, list[tuple[str, list[str], list[str]]]] = {
    # one cell per line, no separator left; the page's title above the header; a group row 一、 under the
    # header as short as a column heading; cut off in the fourth group cell
    "shanwei_zsj_2023_tasks.txt": [
        ("一.1.1", ["局属各单位", "机关各科室"], []),
        ("一.2.1", ["局属各单位", "机关各科室"], []),
        ("一.2.2", ["市政务服务大厅管理中心", "政务科"], []),
        ("一.3.1", ["局属各单位", "机关各科室"], []),
    ],
    # one cell per line with “|” lines between cells; a 序号 column without a heading
    "chizhou_xfj_tasks.txt": [
        ("1", ["办公室"], []),
        ("2", ["各科室"], []),
        ("3", ["各科室"], []),
        ("4", ["办公室"], []),
        ("5", ["各科室"], []),
        ("6", ["办公室"], []),
        ("7", ["各科室"], []),
        ("8", ["办公室"], []),
    ],
    # Markdown pipes whose merged first cells are gone; “办公室牵头,各科室配合”; cut off in row 11
    "jiangmen_tdcb_tasks.md": [
        ("1", ["财务科"], []),
        ("2", ["办公室"], []),
        ("3", ["各科室"], []),
        ("4", ["办公室"], ["各科室"]),
        ("5", ["各科室"], []),
        ("6", ["各科室"], []),
        ("7", ["办公室"], ["各科室"]),
        ("8", ["各科室"], []),
        ("9", ["办公室"], ["各科室"]),
        ("10", ["各科室"], []),
        ("11", [], []),
    ],
    # two group columns, “…负责落实”, “A牵头,B等C”; cut off in row 3
    "jingzhou_2022_tasks.md": [
        ("1", ["市政府各有关部门", "各县市区人民政府", "功能区管委会"], []),
        ("2", ["市政府各有关部门", "各县市区人民政府", "功能区管委会"], []),
        ("3", ["市发展改革委"], ["市住建局", "政府各有关"]),
    ],
    # a table flattened to one cell per line, no separator left (目标 / 任务 / 主要内容 / 责任单位);
    # unit cells “X牵头落实”, “A、B、C分别牵头落实”; the last unit cell cut off mid-name (the cut name is left out)
    "weifang_2017_plan.txt": [
        ("一.1.1", ["市发改委"], []),
        ("一.1.2", ["市人社局"], []),
        ("一.1.3", ["市金融办", "人民银行潍坊市中心支行", "潍坊银监分局"], []),
        ("一.1.4", ["市财政局"], []),
        ("一.1.5", ["市发改委", "市财政局", "市人社局", "市金融办"], []),
    ],
    # several tasks in one paragraph, each with its own note (负责落实 / 分别负责落实)
    "beijing_2018_plan.txt": [
        ("一.1.1", ["市规划国土委"], []),
        ("一.1.2", ["市发展改革委", "市经济信息化委", "市环保局", "市教委", "市卫生计生委", "市人力社保局"], []),
        ("一.1.3", ["市交通委"], []),
        ("一.1.4", ["市重大项目办", "市体育局", "市教委"], []),
        ("一.1.5", [], []),
    ],
    # labelled notes on lines of their own: 牵头单位：… / 责任单位：…
    "lishan_2023_tasks.txt": [
        ("1", ["区发改局"], ["立山经济开发区", "全区经济运行各专班"]),
        ("2", ["区工信局"], ["立山经济开发区"]),
        ("3", ["区发改局"], ["立山经济开发区", "各街道", "区直各部门"]),
        ("4", ["区商务局"], ["各街道", "区市场局"]),
        ("5", ["区财政局"], ["立山经济开发区", "各街道", "税务局"]),
        ("6", ["区发改局"], ["各街道", "各相关单位"]),
        ("7", [], []),
    ],
    # a three-level task column, merged unit cells, wordy unit cells (X牵头…工作，Y具体落实)
    "zhangdian_2023_tasks.md": [
        ("一.1.1.1", ["区司法局"], ["区各行政规范性文件制定主体", "各成员单位"]),
        ("一.1.1.2", ["区司法局"], ["区各行政规范性文件制定主体", "各成员单位"]),
        ("一.1.1.3", ["区司法局"], ["区各行政规范性文件制定主体", "各成员单位"]),
        ("一.1.1.4", ["各成员单位"], []),
    ],
    # 牵头单位-style table of a province's department, merged cells gone: a group cell over four rows, “A、…、E等
    # 按职责分工落实” (a bare 等), “宣传处会办公室” (会 = 会同), an alias in brackets (规划信息处(爱卫办)), two limits in a cell
    "guangdong_wsjkw_2021_tasks.md": [
        ("1", ["应急处", "监督处", "医政医管处", "疾控处", "基层处"], []),
        ("2", ["疾控处"], []),
        ("3", ["宣传处"], ["办公室"]),
        ("4", ["规划信息处（爱卫办）"], []),
        ("5", ["政法处"], []),
        ("6", ["财务处"], []),
        ("7", ["政法处"], []),
        ("8", ["办公室"], []),
    ],
    # a 印发 notice with numbered paragraphs before the attached table; the table's cells separated by spaces only,
    # its header spaced out (“工 作 任 务”); 工业和信息化部 is one unit; cut off in the last row's unit cell
    "guoban_2016_quant_tasks.txt": [
        ("1", ["发展改革委"], []),
        ("2", ["人力资源社会保障部"], []),
        ("3", ["财政部"], []),
        ("4", ["财政部"], []),
        ("5", ["财政部"], []),
        ("6", ["工业和信息化部"], []),
        ("7", ["发展改革委"], []),
        ("8", ["交通运输部"], []),
        ("9", ["水利部"], []),
        ("10", [], []),
    ],
    # a time limit inside the note (“国务院各部门分别负责，年内持续推进”); cut off in item 2
    "guowuyuan_2020_fengong.txt": [("1", ["国务院各部门"], []), ("2", [], [])],
    # a notice with numbered paragraphs before the attached plan; labelled notes on lines of their own
    # (责任单位：X); “和” inside unit names; cut off inside the last note (“责任单位:区”)
    "caidian_2023_tasks.txt": [
        ("1", ["区发展和改革局"], []),
        ("2", ["区科技和经信局"], []),
        ("3", ["区发展和改革局"], []),
        ("4", [], []),
    ],
    # labelled notes with a person's label first (责任领导：…; not a unit), 牵头单位 + 责任单位 (who assist);
    # an unnumbered sub-heading; cut off in item 13
    "xianan_2023_tasks.txt": [
        ("1", ["区发改局"], []),
        ("2", ["区发改局"], []),
        ("3", ["区科经局"], []),
        ("4", ["区商务局"], []),
        ("5", ["区商务局"], []),
        ("6", ["区财政局", "区税务局"], []),
        ("7", ["区发改局", "区农业农村局"], []),
        ("8", ["区人社局"], []),
        ("9", ["区农业农村局"], []),
        ("10", ["区发改局"], []),
        ("11", ["市生态环境局咸安分局"], []),
        ("12", ["区交通运输局"], ["区发改局", "区自然资源和规划局", "区林业局", "区经发集团", "相关乡镇办"]),
        ("13", [], []),
    ],
    # no notes at all: 每半年至少…1次 and 每年2次 as counts, an alias in brackets in the running text; cut off in item 2
    "fuyang_2020_plan.txt": [("1", [], []), ("2", [], [])],
    # cut off: the notice and 总体要求 before the first item, which is cut before its note
    "xinyu_2023_plan.txt": [("1", [], [])],
    # cut off: an alias in brackets inside a note cut off before its closing bracket
    "zhoushan_2022_plan.txt": [("1", [], [])],
}
LIMITS: dict[str, dict[str, list[object]]] = {
    "chizhou_xfj_tasks.txt": {"1": [dt.date(2023, 12, 31)], **{str(n): ["持续推进"] for n in range(2, 9)}},
    "jingzhou_2022_tasks.md": {"1": ["持续推进"], "2": ["持续推进"]},
    "weifang_2017_plan.txt": {"一.1.4": ["month"]},
    "guangdong_wsjkw_2021_tasks.md": {
        **{str(n): ["长期推进"] for n in (1, 2, 4, 5, 7, 8)},
        "3": [dt.date(2021, 8, 31)],
        "6": [dt.date(2021, 2, 28), dt.date(2021, 8, 31)],
    },
    "guowuyuan_2020_fengong.txt": {"1": ["年内持续推进"]},
    "shanwei_zsj_2023_tasks.txt": {"一.1.1": [dt.date(2023, 11, 30)], **{k: ["长期推进"] for k in ("一.2.1", "一.2.2", "一.3.1")}},
    "fuyang_2020_plan.txt": {"1": ["每半年至少举行1次", "每年2次"]},
}


def _limits(plan: Plan) -> dict[str, list[object]]:
    out: dict[str, list[object]] = {}
    for _, _, item in plan.iter_items():
        if item.deadline:
            out[item.id] = [d.due or d.every or d.phrase for d in item.deadline]
    return out


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_real_documents(name: str) -> None:
    result = import_document(real(name), unit="x", year=2023)
    assert items(result.plan) == GOLDEN[name]
    assert _limits(result.plan) == LIMITS.get(name, {})
    text = render_report(result.report)
    assert "逐条读取" in text and "Traceback" not in text


def test_real_standing_limits_are_standing_work() -> None:
    from ggk.deadlines import resolve

    plan = import_document(real("chizhou_xfj_tasks.txt"), unit="x", year=2023).plan
    rules = [resolve(d, 2023) for _, _, i in plan.iter_items() for d in i.deadline]
    assert [r.kind.value for r in rules if r is not None].count("none") == 7


def test_real_cut_off_documents_say_so() -> None:
    names = ["jiangmen_tdcb_tasks.md", "beijing_2018_plan.txt", "zhoushan_2022_plan.txt", "xinyu_2023_plan.txt"]
    names += ["guoban_2016_quant_tasks.txt", "guowuyuan_2020_fengong.txt", "caidian_2023_tasks.txt", "xianan_2023_tasks.txt"]
    for name in names:
        report = import_document(real(name), unit="x", year=2023).report
        assert any("截断" in w.reason for w in report.warnings), name


def test_real_notice_before_the_attached_plan_is_not_tasks() -> None:
    """A 印发 notice whose requirements are numbered (一、二、三、) and dated comes before the plan's own title:
    the requirements are reported as the notice's, the title, 文号 and date are the plan's."""
    result = import_document(real("caidian_2023_tasks.txt"), unit="x")
    plan, report = result.plan, result.report
    assert plan.title == "2023年区《政府工作报告》确定的主要目标任务责任分解方案" and plan.year == 2023
    assert plan.issued == dt.date(2023, 1, 3)
    assert [s.title for s in plan.sections] == ["2023年全区经济社会发展的主要预期目标"]
    notice = [s for s in report.skipped if s.reason == "印发通知中的要求"]
    assert [s.line for s in notice] == [14, 16, 18]
    quant = import_document(real("guoban_2016_quant_tasks.txt"), unit="x").plan
    assert (quant.title, quant.doc_no, quant.issued) == (
        "2016年《政府工作报告》量化指标任务分工",
        "国办函〔2016〕38号",
        dt.date(2016, 4, 6),
    )
    assert quant.sections[0].items[2].text == "安排财政赤字2.18万亿元,赤字率提高到3%"  # the 序号 cell is the id


def test_real_returns_table_without_separators_is_refused() -> None:
    """A 完成情况 return (one cell per line, blank lines between, no separator left) is not a plan."""
    from ggk.importer.tables import ReturnsTable

    with pytest.raises(ReturnsTable) as exc:
        import_document(real("tianchang_mzj_2023_returns.txt"), unit="x", year=2023)
    assert "推进落实情况" in exc.value.message and exc.value.exit_code == 1


def test_real_parentheses_in_running_text_and_counts_per_half() -> None:
    """An alias in brackets in the running text stays there; “每半年至少举行1次” is a count per half-year."""
    from ggk.deadlines import resolve

    plan = import_document(real("fuyang_2020_plan.txt"), unit="x", year=2020).plan
    first = plan.sections[0].items[0]
    assert "在区委宣传部(区政府新闻办)指导下" in first.text and first.lead == []
    rules = [resolve(d, 2020) for d in first.deadline]
    assert [(r.kind.value, r.count, r.per) for r in rules if r is not None] == [("count", 1, "half"), ("count", 2, "year")]
    assert "《国务院办公厅印发〈关于全面推进政务公开工作的意见〉实施细则的通知》(国办发〔2016〕80号)" in plan.basis


def test_real_broken_table_imports_nothing_and_says_why() -> None:
    with pytest.raises(NoItemsFound) as exc:
        import_document(real("jimei_2021_tasks_broken.md"), unit="x")
    assert exc.value.exit_code == 1 and "没有找到任务条目" in exc.value.message


def test_report_names_table_rows() -> None:
    text = render_report(import_document(real("chizhou_xfj_tasks.txt"), unit="x", year=2023).report)
    assert "（表1）" in text and "牵头 办公室；配合 —；时限 年底前" in text


# --------------------------------------------------------------------------- formats built from the text

CHIZHOU_ROWS = [
    ["工作任务", "序号", "具体要求", "责任科室", "时限要求"],
    ["强化行政规范性文件集中规范公开", "1", "对行政规范性文件进行全面清理,并向社会公布现行有效行政规范性文件目录。", "办公室", "年底前"],
    ["深化政策解读形式", "2", "积极做好政策解读工作,持续提升政策解读质量,丰富解读形式。", "各科室", "持续推进"],
    ["做好主动公开基础工作", "3", "严格规范政府信息公开专栏,及时、集中、规范发布法定主动公开内容。", "各科室", "持续推进"],
    [
        "做好主动公开基础工作",
        "4",
        "规范做好政府信息公开工作年度报告编制发布工作,将年度重点工作任务落实情况纳入年报。",
        "办公室",
        "持续推进",
    ],
]


def _chizhou_expected() -> list[tuple[str, list[str], list[str]]]:
    return GOLDEN["chizhou_xfj_tasks.txt"][:4]


def test_docx_table_with_merged_cells(tmp_path: Path) -> None:
    rows = [list(r) for r in CHIZHOU_ROWS]
    path = docx_document(tmp_path / "table.docx", ["池州市信访局2023年政务公开重点任务清单"], table=rows, merge=[((3, 0), (4, 0))])
    plan = import_document(path, unit="x").plan  # one task cell shared by two rows
    assert items(plan) == _chizhou_expected()
    assert [s.title for s in plan.sections][:3] == ["强化行政规范性文件集中规范公开", "深化政策解读形式", "做好主动公开基础工作"]
    assert len(plan.sections[2].items) == 2


def test_xlsx_table_with_merged_cells_and_group_time(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "重点任务", "工作要求", "牵头单位", "配合单位", "完成时限"])
    ws.append(["一、主动公开（2023年6月底前）"])
    ws.merge_cells("A2:F2")
    ws.append([1, "公开预决算", "按规定公开部门预决算。", "财务科", "各科室", None])
    ws.append([2, "公开规划", "公开中长期规划。", "规划科", None, "2023年12月底前"])
    ws.append([3, None, "每季度公开项目进展。", "建设科 办公室", None, "每季度"])
    ws.merge_cells("B4:B5")
    path = tmp_path / "tasks.xlsx"
    wb.save(path)
    plan = import_document(path, unit="x", year=2023).plan
    assert items(plan) == [("1", ["财务科"], ["各科室"]), ("2", ["规划科"], []), ("3", ["建设科", "办公室"], [])]
    assert _limits(plan) == {"1": [dt.date(2023, 6, 30)], "2": [dt.date(2023, 12, 31)], "3": ["quarter"]}


def test_progress_returns_are_refused(tmp_path: Path) -> None:
    doc = tmp_path / "returns.md"
    doc.write_text("| 序号 | 工作任务 | 责任单位 | 进展情况 |\n|---|---|---|---|\n| 1 | 公开预算 | 财务科 | 已公开 |\n", encoding="utf-8")
    with pytest.raises(GgkError) as exc:
        import_document(doc, unit="x", year=2023)
    assert exc.value.exit_code == 1 and "ggk intake" in (exc.value.hint or "")
    res = _run("--plans", str(tmp_path / "plans"), "import", str(doc), "--unit", "x", "--year", "2023")
    assert res.exit_code == 1 and "进展报送表" in res.output


def test_pdf_of_a_seed_imports_as_the_text(tmp_path: Path) -> None:
    src = docx_document(tmp_path / "seed002.docx", seed("002").read_text(encoding="utf-8").split("\n"))
    pdf = soffice_convert(src, "pdf", tmp_path)
    got = import_document(pdf, unit="x").plan
    want = import_document(seed("002"), unit="x").plan
    assert items(got) == items(want)
    assert ["".join(i.text.split()) for _, _, i in got.iter_items()] == ["".join(i.text.split()) for _, _, i in want.iter_items()]


def test_scanned_pdf_is_refused(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    path = tmp_path / "scan.pdf"
    pdf.save(str(path))
    with pytest.raises(GgkError) as exc:
        import_document(path, unit="x", year=2023)
    assert "没有文字层" in exc.value.message


def test_legacy_doc_through_libreoffice(tmp_path: Path) -> None:
    lines = ("示例局2024年政务公开工作要点", "一、主动公开", "1.公开预算。按规定公开部门预算。（财务股负责）")
    (tmp_path / "o").mkdir()
    doc = soffice_convert(docx_document(tmp_path / "plan.docx", lines), "doc", tmp_path / "o")
    plan = import_document(doc, unit="x").plan
    assert items(plan) == [("1", ["财务股"], [])]


def test_legacy_without_libreoffice_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ggk.importer import read

    monkeypatch.setattr(read, "soffice", lambda: None)
    doc = tmp_path / "old.wps"
    doc.write_bytes(b"\xd0\xcf\x11\xe0not really")
    with pytest.raises(GgkError) as exc:
        import_document(doc, unit="x")
    assert "LibreOffice" in exc.value.message


# --------------------------------------------------------------------------- import limits (hostile inputs)


def test_fifo_device_and_folder_are_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    for path, words in ((fifo, "管道"), (Path("/dev/zero"), "设备"), (tmp_path, "文件夹")):
        res = _run("--plans", str(tmp_path / "plans"), "import", str(path), "--unit", "x")
        assert res.exit_code == 2 and words in res.output, res.output


def test_oversized_text_is_refused(tmp_path: Path) -> None:
    from ggk.importer import limits

    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(limits.MAX_BYTES["text"] + 1)
    with pytest.raises(GgkError) as exc:
        import_document(big, unit="x")
    assert "超过导入上限" in exc.value.message


def test_docx_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    import tracemalloc

    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            chunk = b"<w:p/>" * 200_000
            for _ in range(1024 * 1024 * 1024 // len(chunk)):
                fh.write(chunk)
    assert bomb.stat().st_size < 8 * 1024 * 1024
    tracemalloc.start()
    with pytest.raises(GgkError) as exc:
        import_document(bomb, unit="x")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "解压后" in exc.value.message and peak < 20 * 1024 * 1024


def test_hostile_documents_give_messages_not_tracebacks(tmp_path: Path) -> None:
    cases = {
        "broken.docx": b"PK\x03\x04garbage",
        "broken.xlsx": b"PK\x03\x04garbage",
        "broken.pdf": b"%PDF-1.4 garbage",
        "binary.txt": b"\x00\x01\x02" * 100,
        "renamed.txt": b"PK\x03\x04" + b"x" * 100,
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        res = _run("--plans", str(tmp_path / "plans"), "import", str(path), "--unit", "x", "--year", "2024")
        assert res.exit_code in (1, 2) and "Traceback" not in res.output and "错误" in res.output, (name, res.output)


# --------------------------------------------------------------------------- merge and init -> import


def test_import_merges_into_a_plan_with_carried_and_recorded_items(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    first = _run("--plans", str(plans), "import", str(seed("002")), "--unit", "jl")
    assert first.exit_code == 0, first.output
    path = plans / "jl" / "2022.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('      - id: "3"\n', '      - id: "3"\n        status: 进行中\n', 1)
    text += (
        '  - title: 上年度结转任务\n    items:\n      - id: "2021-9"\n        title: 结转任务\n'
        "        carried_from: jl/2021/9\n        status: 进行中\n"
    )
    text = text.replace("# 来源", "# 手写的注释\n# 来源", 1)
    path.write_text(text, encoding="utf-8")
    res = _run("--plans", str(plans), "import", str(seed("002")), "--unit", "jl")
    assert res.exit_code == 0, res.output
    assert "编号冲突：条目 3 已有落实记录" in res.output
    merged = path.read_text(encoding="utf-8")
    assert "# 手写的注释" in merged and "carried_from: jl/2021/9" in merged
    plan = Plan.model_validate(yaml.safe_load(merged))
    by_id = {i.id: i for _, _, i in plan.iter_items()}
    assert by_id["3"].status.value == "进行中" and "2021-9" in by_id
    assert len(by_id) == 16
    forced = _run("--plans", str(plans), "import", str(seed("002")), "--unit", "jl", "--force")
    assert forced.exit_code == 0 and "carried_from: jl/2021/9" in path.read_text(encoding="utf-8")
    replaced = _run("--plans", str(plans), "import", str(seed("002")), "--unit", "jl", "--replace-recorded")
    assert replaced.exit_code == 0 and "原记录将丢弃" in replaced.output
    assert {i.id: i for _, _, i in Plan.model_validate(yaml.safe_load(path.read_text(encoding="utf-8"))).iter_items()}[
        "3"
    ].status.value == "未启动"


def test_init_then_import_fills_the_registry(tmp_path: Path) -> None:
    from ggk.workspace.scaffold import init_unit
    from tests.test_importer import _check_errors

    plans = tmp_path / "plans"
    init_unit(plans, "yaoan", "姚安县交通运输局")
    res = _run("--plans", str(plans), "import", str(seed("004")), "--unit", "yaoan")
    assert res.exit_code == 0, res.output
    assert "名册中没有的部门名称" not in res.output
    unit_text = (plans / "yaoan" / "unit.yaml").read_text(encoding="utf-8")
    assert "# 单位文件" in unit_text and "局政策法规股" in unit_text and "review: true" in unit_text
    assert [e for e in _check_errors(plans) if "GGK202" in e] == []


def test_issued_option_and_warning(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    res = _run("--plans", str(plans), "import", str(seed("002")), "--unit", "jl")
    assert "文件中没有印发日期" in res.output and "可用 --issued 指定\n" in res.output
    assert "「」" not in res.output  # a warning about the whole file has no excerpt to quote
    assert "issued" not in (plans / "jl" / "2022.yaml").read_text(encoding="utf-8")
    res = _run("--plans", str(plans), "import", str(seed("001")), "--unit", "gy", "--issued", "2021年4月2日")
    assert res.exit_code == 0, res.output
    assert yaml.safe_load((plans / "gy" / "2021.yaml").read_text(encoding="utf-8"))["issued"] == dt.date(2021, 4, 2)
