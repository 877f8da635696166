"""ggk import: the seed documents and their variants become the plans the documents state.

Each seed plan (000, 001, 002, 004) must give exactly the document's items, in order, with
the ids, lead and assist the document assigns and the time rules it states; the variants a
clerk meets (ASCII punctuation from web copies, PDF hard wraps and page numbers, GBK files,
.docx, a document cut off mid-item) must give the same plan.  The CLI is tried on a small
Typer app that mounts ``import_cmd`` the way ``ggk.cli.app`` does.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import typer
import yaml
from typer.testing import CliRunner

from ggk.cli.import_cmd import import_cmd
from ggk.importer.build import NoItemsFound, YearMissing, import_document, import_source
from ggk.importer.read import read_document
from ggk.importer.report import render_report
from ggk.importer.units import parse_note, split_note
from ggk.model import Plan, Unit
from ggk.yamlfiles import emit
from tests.builders import docx_document
from tests.conftest import seed

ROOT = Path(__file__).resolve().parent.parent

DATA = Path(__file__).resolve().parent / "data" / "import"
PLANS = ROOT / "plans"


def items(plan: Plan) -> list[tuple[str, list[str], list[str]]]:
    return [(i.id, i.lead, i.assist) for _, _, i in plan.iter_items()]


# What each seed document assigns, as written in the document (no registry).
EXPECTED: dict[str, list[tuple[str, list[str], list[str]]]] = {
    "000": [
        ("1", ["厅办公室", "厅综规处"], ["厅属各单位", "厅机关各部门"]),
        ("2", ["厅投融资办", "厅法规处"], ["厅属各单位", "厅机关各部门"]),
        ("3", ["厅运输处", "厅建设处", "厅公路处"], ["厅属相关单位", "厅机关相关部门"]),
        ("4", ["厅财审处"], ["厅属相关单位", "厅机关相关部门"]),
        ("5", ["厅办公室"], ["厅属相关单位"]),
        ("6", ["厅政策法规处"], ["厅机关各部门"]),
        ("7", ["厅办公室", "厅法规处"], ["厅机关各部门", "省交通科技通信中心"]),
        ("8", ["厅办公室", "省交通科技通信中心"], ["厅属各单位", "厅机关各部门"]),
        ("9", ["厅办公室", "省交通科技通信中心"], ["厅属各单位", "厅机关各部门"]),
        ("10", ["厅办公室", "厅政策法规处"], []),
        ("11", ["厅办公室", "厅政策法规处"], ["厅属各单位", "厅机关各部门"]),
        ("12", ["厅办公室"], ["厅属各单位", "厅机关各部门"]),
        ("13", ["厅政务公开领导小组"], ["厅机关各部门"]),
        ("14", ["厅办公室"], ["厅机关各部门"]),
        ("15", ["厅办公室"], ["厅机关各部门"]),
        ("16", ["厅办公室", "厅政策法规处"], ["厅属各单位", "厅机关各部门"]),
    ],
    "001": [(str(n), [], []) for n in range(1, 16)],
    "002": [
        ("1", ["综规处", "建设处", "公路局", "运输局", "航道局"], []),
        ("2", ["研究室", "运输处"], ["有关部门"]),
        ("3", ["运输处"], ["有关单位"]),
        ("4", ["法规处"], ["有关单位"]),
        ("5", ["办公室", "运输处", "运输局", "海事局"], []),
        ("6", ["财务处", "综规处", "各预算单位"], []),
        ("7", ["法规处"], ["各处室", "各单位"]),
        ("8", ["办公室"], ["各相关单位"]),
        ("9", ["办公室", "研究室", "信息中心", "宣传中心"], []),
        ("10", ["审批办"], []),
        ("11", ["各相关部门"], []),
        ("12", ["办公室"], ["厅机关各处室", "各单位"]),
        ("13", ["办公室"], ["各相关部门"]),
        ("14", ["办公室", "研究室"], ["厅机关各处室", "各单位"]),
        ("15", ["各相关部门"], []),
    ],
    # For a new unit, spellings that differ only by the unit's prefix are one department
    # (政策法规股 = 局政策法规股): the fuller one is used and the other becomes an alias.
    "004": [
        ("三.1.1", ["局政策法规股"], ["相关股室"]),
        ("三.1.2", ["县运政管理所", "局政策法规股", "局公路建设管理股", "路政股"], []),
        ("三.2.1", ["局办公室", "局政策法规股"], ["相关股室"]),
        ("三.2.2", ["地方公路管理段", "局办公室", "局政策法规股"], []),
        ("三.2.3", ["局办公室", "局政策法规股"], ["相关股室", "相关单位"]),
        ("三.3.6", ["局公路建设管理股"], []),
        ("三.3.7", ["局公路建设管理股"], ["局财务室"]),
        ("三.3.8", ["局公路建设管理股"], []),
        ("三.4.1", ["局财务室"], ["县运政管理所"]),
        ("三.5.8", ["政策出台相关责任处室"], []),
        ("三.5.9", ["局办公室"], ["相关股室"]),
        ("四.1", [], []),
        ("四.2", [], []),
        ("四.3", [], []),
        ("五.1", [], []),
        ("五.2", [], []),
        ("五.3", [], []),
    ],
}
BUNDLED = {"000": "gansu-jtt/2021", "001": "guangyuan-jtj/2021", "002": "jilin-jtt/2022", "004": "yaoan-jtj/2018"}


def _imported(prefix: str) -> Plan:
    return import_document(seed(prefix), unit="x").plan


@pytest.fixture(scope="module")
def seed_plans() -> dict[str, Plan]:
    return {p: _imported(p) for p in EXPECTED}


# --------------------------------------------------------------------------- the seeds


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_items_ids_and_departments(seed_plans: dict[str, Plan], prefix: str) -> None:
    assert items(seed_plans[prefix]) == EXPECTED[prefix]


def test_seed_metadata(seed_plans: dict[str, Plan]) -> None:
    p000 = seed_plans["000"]
    assert (p000.title, p000.year, p000.doc_no) == ("甘肃省交通运输厅2021年政务公开工作要点", 2021, "甘交办〔2021〕48号")
    assert p000.basis == [
        "《国务院办公厅关于印发2021年政务公开工作要点的通知》（国办发〔2021〕12号）",
        "《甘肃省人民政府办公厅关于印发甘肃省2021年政务公开工作要点的通知》（甘政办发〔2021〕48号）",
        "《交通运输部办公厅关于印发2021年政务公开工作要点的通知》（交办办函〔2021〕681号）",
    ]
    assert p000.preamble and p000.preamble.startswith("2021 年政务公开工作的总体要求是")
    assert (seed_plans["001"].title, seed_plans["001"].year) == ("2021年广元市交通运输政务公开工作要点", 2021)
    # A title broken over two lines, and an unnumbered first section.
    assert seed_plans["002"].title == "吉林省交通运输厅2022年政务公开工作要点"
    assert seed_plans["002"].sections[0].title == "聚焦交通运输经济平稳运行，深化重点领域信息公开"
    assert seed_plans["002"].sections[0].no is None
    p004 = seed_plans["004"]
    assert (p004.title, p004.year) == ("姚安县交通运输局2018年基层政务公开工作实施方案", 2018)
    assert p004.preamble and "总体要求" in p004.preamble and "二、公开方式" in p004.preamble
    assert [s.title for s in p004.sections] == ["公开主要内容", "工作要求", "保障措施"]
    assert [s.title for s in p004.sections[0].sections][:2] == ["推进交通运输领域改革工作公开", "推进社会公益事业领域公开"]


def test_seed_titles_and_text_as_issued(seed_plans: dict[str, Plan]) -> None:
    first = seed_plans["000"].sections[0].items[0]
    assert first.title == "做好交通运输规划信息公开"
    assert first.text.startswith("做好交通运输规划信息公开。做好“十四五”")
    assert first.text.endswith("集中公开全省交通运输规划体系。")  # the note is gone
    by_id = {i.id: i for _, _, i in seed_plans["000"].iter_items()}
    # A paragraph cut by a page break is joined again; the note on its own line is the item's.
    assert "支持交通运输民营经济、中小企业" in by_id["2"].text
    assert by_id["8"].text.endswith("及时回应。")
    # A parenthetical that is not a note stays in the text.
    p004 = {i.id: i for _, _, i in seed_plans["004"].iter_items()}
    assert "重点规划（计划）" in p004["三.2.1"].text
    assert all("牵头" not in i.text[-20:] for _, _, i in seed_plans["002"].iter_items())


def test_annual_report_is_not_a_plan() -> None:
    with pytest.raises(NoItemsFound) as exc:
        import_document(seed("003"), unit="x")
    assert exc.value.exit_code == 1
    assert "报告" in exc.value.message


def _rule(d, year):  # noqa: ANN001, ANN202
    from ggk.deadlines import resolve

    rule = resolve(d, year)
    assert rule is not None, d
    kind = rule.kind.value
    if kind == "count" and rule.count == 1:
        return ("every", rule.per)  # “at least once a quarter” is a quarterly rule
    if kind == "recurring":
        return ("every", rule.every)
    return {
        "once": ("due", rule.due),
        "count": ("count", rule.count, rule.per),
        "workdays": ("workdays", rule.workdays),
    }.get(kind, (kind,))


TIME_RULES = {
    "000": {"13": {("every", "year")}, "16": {("due", dt.date(2021, 12, 31))}},
    "001": {"14": {("every", "year")}},
    "002": {},
    "004": {
        "三.1.2": {("workdays", 7)},
        "三.3.7": {("every", "quarter")},
        "三.5.8": {("workdays", 3), ("count", 3, "year")},
        "四.1": {("workdays", 3)},
        "五.1": {("every", "year"), ("every", "quarter")},
    },
}


@pytest.mark.parametrize("prefix", sorted(TIME_RULES))
def test_seed_time_rules(seed_plans: dict[str, Plan], prefix: str) -> None:
    plan = seed_plans[prefix]
    for _, _, item in plan.iter_items():
        got = {_rule(d, plan.year) for d in item.deadline}
        if item.id == "四.3":  # “年内适时开展培训”: a year-end date or nothing are both fair readings
            assert got <= {("due", dt.date(2018, 12, 31))}
            continue
        assert got == TIME_RULES[prefix].get(item.id, set()), item.id
    # Every phrase of a rule is the document's own wording.
    for _, _, item in plan.iter_items():
        for d in item.deadline:
            assert d.phrase and d.phrase in item.text


@pytest.mark.parametrize("prefix", sorted(BUNDLED))
def test_agrees_with_bundled_plans(prefix: str) -> None:
    """With the unit's registry, the import agrees with the hand-encoded plan on every item."""
    from ggk.workspace.load import load_file

    rel = BUNDLED[prefix]
    plan_path, unit_path = PLANS / f"{rel}.yaml", PLANS / rel.split("/")[0] / "unit.yaml"
    registry = load_file(unit_path, Unit).model
    bundled = load_file(plan_path, Plan).model
    assert isinstance(registry, Unit) and isinstance(bundled, Plan)
    got = import_document(seed(prefix), unit=bundled.unit, registry=registry).plan
    assert items(got) == items(bundled)
    assert [i.text for _, _, i in got.iter_items()] == [i.text for _, _, i in bundled.iter_items()]
    assert (got.title, got.year, got.doc_no, got.basis) == (bundled.title, bundled.year, bundled.doc_no, bundled.basis)


# --------------------------------------------------------------------------- variants


def _same(a: Plan, b: Plan) -> None:
    assert items(a) == items(b)
    assert [i.title for _, _, i in a.iter_items()] == [i.title for _, _, i in b.iter_items()]
    squeeze = lambda p: ["".join(i.text.split()) for _, _, i in p.iter_items()]  # noqa: E731
    assert squeeze(a) == squeeze(b)


def _ascii(text: str) -> str:
    return text.translate(str.maketrans({"（": "(", "）": ")", "，": ",", "：": ":", "；": ";"}))


@pytest.mark.parametrize("prefix", ["000", "002", "004"])
def test_ascii_punctuation(seed_plans: dict[str, Plan], prefix: str, tmp_path: Path) -> None:
    doc = tmp_path / "web.txt"
    doc.write_text(_ascii(seed(prefix).read_text(encoding="utf-8")), encoding="utf-8")
    got = import_document(doc, unit="x").plan
    assert items(got) == items(seed_plans[prefix])
    assert [i.title for _, _, i in got.iter_items()] == [i.title for _, _, i in seed_plans[prefix].iter_items()]


def pdfify(text: str, width: int) -> str:
    """A PDF copy: lines wrapped by display width, deep indentation, page numbers."""
    out: list[str] = []
    for n, line in enumerate(text.split("\n")):
        s = line.strip()
        if not s:
            out.append("")
            continue
        chunks, cur, w = [], "", 0
        for ch in s:
            cw = 2 if ord(ch) > 0x2000 else 1
            if w + cw > width:
                chunks.append(cur)
                cur, w = "", 0
            cur += ch
            w += cw
        chunks.append(cur)
        for k, c in enumerate(chunks):
            out.append(" " * (16 if k == 0 else 12) + c)
            if n % 7 == 3 and k == 0 and len(chunks) > 2:  # a page break inside a paragraph
                out += ["", f"                              — {n} —", ""]
    return "\n".join(out)


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
@pytest.mark.parametrize("width", [46, 62])
def test_hard_wrapped_pdf_copy(seed_plans: dict[str, Plan], prefix: str, width: int, tmp_path: Path) -> None:
    doc = tmp_path / "pdf.txt"
    doc.write_text(pdfify(seed(prefix).read_text(encoding="utf-8"), width), encoding="utf-8")
    source = read_document(doc)
    assert source.hard_wrapped
    result = import_source(source, unit="x")
    _same(result.plan, seed_plans[prefix])
    assert any(s.reason == "页码" for s in result.report.skipped)


def test_gbk_file_is_detected(seed_plans: dict[str, Plan], tmp_path: Path) -> None:
    doc = tmp_path / "gbk.txt"
    doc.write_bytes(seed("002").read_text(encoding="utf-8").encode("gbk"))
    result = import_document(doc, unit="x")
    assert result.report.encoding == "GB18030" and result.report.encoding_detected
    assert "GB18030（自动识别）" in render_report(result.report)
    _same(result.plan, seed_plans["002"])


def test_docx(seed_plans: dict[str, Plan], tmp_path: Path) -> None:
    path = docx_document(tmp_path / "plan.docx", seed("004").read_text(encoding="utf-8").split("\n"))
    result = import_document(path, unit="x")
    assert result.report.where == "段"
    _same(result.plan, seed_plans["004"])


def test_docx_automatic_numbering(tmp_path: Path) -> None:
    numbered = ["公开机构信息。及时更新机构设置。（局办公室负责）", "公开规划信息。每季度更新一次。（规划股牵头，各股室配合）"]
    path = docx_document(tmp_path / "numbered.docx", ["示例县交通运输局2023年政务公开工作要点", "一、主动公开"], numbered=numbered)
    plan = import_document(path, unit="x").plan
    assert items(plan) == [("1", ["局办公室"], []), ("2", ["规划股"], ["各股室"])]


def test_document_cut_off_mid_item(tmp_path: Path) -> None:
    text = seed("004").read_text(encoding="utf-8")
    cut = text.index("合同履约、质量安全监督")
    doc = tmp_path / "cut.txt"
    doc.write_text(text[:cut], encoding="utf-8")
    result = import_document(doc, unit="x")
    ids = [i.id for _, _, i in result.plan.iter_items()]
    assert ids == [e[0] for e in EXPECTED["004"][:7]]
    last = list(result.plan.iter_items())[-1][2]
    assert last.text.endswith("施工进度、")
    assert any("截断" in w.reason and w.line == 35 for w in result.report.warnings)


# --------------------------------------------------------------------------- small documents


def test_web_copy_markdown() -> None:
    result = import_document(DATA / "web_copy.md", unit="x")
    plan = result.plan
    assert (plan.title, plan.year, plan.doc_no) == ("示例市交通运输局2023年政务公开工作要点", 2023, "示例交发〔2023〕5号")
    assert plan.basis == ["《示例市2023年政务公开工作要点》(示例府办发[2023]3号)"]
    assert items(plan) == [
        ("1", ["局办公室", "规划科"], ["局属各单位"]),
        ("2", ["财务科"], []),
        ("3", ["法规科", "局办公室"], []),  # “责任部门：” on its own line; 办公室 = 局办公室
        ("4", ["法规科"], ["机关各科室", "各单位"]),
        ("5", ["局办公室"], ["有关部门"]),
    ]
    by_id = {i.id: i for _, _, i in plan.iter_items()}
    assert by_id["1"].text.endswith("(除依法应当保密事项)。")
    assert "(国务院令第711号)" in by_id["5"].text
    assert ("办公室", "局办公室") in result.report.resolved_departments
    skipped = {s.excerpt for s in result.report.skipped}
    assert "相关链接:" in skipped


def test_mixed_levels_heading_notes_and_truncation() -> None:
    result = import_document(DATA / "mixed_levels.txt", unit="x")
    got = {i.id: (i.lead, i.assist) for _, _, i in result.plan.iter_items()}
    assert got == {
        "一.1": (["局办公室"], ["各股室"]),  # from the heading 一、…（局办公室牵头，各股室配合）
        "一.2": (["局规划股"], []),  # a note on its own, indented line
        "二.1.1": (["局政策法规股", "局办公室"], []),
        "二.1.2": (["局政策法规股"], ["局属各单位"]),
        "二.2": ([], []),
    }
    report = result.report
    assert [r.id for r in report.inherited] == ["一.1"]
    assert [r.id for r in report.no_responsible] == ["二.2"]
    assert any("截断" in w.reason for w in report.warnings)
    assert [s.label for s in report.sections] == ["一、加强主动公开", "二、强化解读回应", "1、做好政策解读"]


def test_year_from_option_or_refusal() -> None:
    with pytest.raises(YearMissing):
        import_document(DATA / "no_year.txt", unit="x")
    plan = import_document(DATA / "no_year.txt", unit="x", year=2024).plan
    assert plan.year == 2024 and [i.id for _, _, i in plan.iter_items()] == ["1", "2"]


def test_unnumbered_items_and_repeated_numbers_give_paths(tmp_path: Path) -> None:
    doc = tmp_path / "plan.txt"
    doc.write_text(
        "示例局2025年政务公开工作方案\n\n总体要求\n以公开促落实。\n\n一、重点公开\n"
        "公开财政信息。按规定公开预决算。（财务股负责）\n公开项目信息。每月公开进度。（建设股负责）\n"
        "二、解读回应\n1、做好解读。文件公开后3个工作日内发布解读。（法规股负责）\n"
        "1、回应关切。及时回应。（办公室负责）\n",
        encoding="utf-8",
    )
    plan = import_document(doc, unit="x").plan
    # 总体要求 is the unnumbered first section (一); its text is preamble, not a task.
    assert [i.id for _, _, i in plan.iter_items()] == ["一.1", "一.2", "二.1", "二.2"]
    assert plan.preamble == "总体要求\n以公开促落实。"


@pytest.mark.parametrize(
    ("note", "lead", "assist"),
    [
        ("厅办公室、厅综规处牵头，厅属各单位、厅机关各部门按职责分工负责", ["厅办公室", "厅综规处"], ["厅属各单位", "厅机关各部门"]),
        ("局政策法规股牵头，相关股室配合", ["局政策法规股"], ["相关股室"]),
        ("研究室、运输处会同有关部门负责", ["研究室", "运输处"], ["有关部门"]),
        ("地方公路管理段、局办公室分别负责", ["地方公路管理段", "局办公室"], []),
        ("审批办负责", ["审批办"], []),
        ("办公室、研究室按职责分工负责", ["办公室", "研究室"], []),
        ("责任部门：办公室、法规处", ["办公室", "法规处"], []),
        ("牵头单位：局办公室；配合单位：财务股、各股室", ["局办公室"], ["财务股", "各股室"]),
        ("局办公室、财务股、法规股", ["局办公室", "财务股", "法规股"], []),
        ("办公室牵头，厅机关各处室、单位按职责分工负责", ["办公室"], ["厅机关各处室", "各单位"]),
        ("人力资源和社会保障局负责", ["人力资源和社会保障局"], []),
        ("财务股和审计股负责", ["财务股", "审计股"], []),
    ],
)
def test_responsibility_notes(note: str, lead: list[str], assist: list[str]) -> None:
    resp = parse_note(note)
    assert resp is not None and (resp.lead, resp.assist) == (lead, assist)
    ascii_resp = parse_note(_ascii(note))
    assert ascii_resp is not None and (ascii_resp.lead, ascii_resp.assist) == (lead, assist)


@pytest.mark.parametrize("text", ["除依法应当保密事项", "国办发〔2021〕12号", "试行", "境", "2021年底前完成", "计划"])
def test_parentheticals_that_are_not_notes(text: str) -> None:
    assert parse_note(text) is None
    body = f"做好公开（{text}）"
    assert split_note(body) == (body, None)


# --------------------------------------------------------------------------- emit


def test_emit_house_style_and_round_trip() -> None:
    data = {
        "format": 1,
        "unit": "x",
        "year": 2021,
        "title": "示例",
        "issued": dt.date(2021, 5, 20),
        "sections": [
            {
                "no": "一",
                "title": "yes",
                "items": [
                    {
                        "id": "15",
                        "title": "a: b",
                        "text": "  首行缩进\n第二行 #不是注释\n",
                        "lead": ["厅办公室", "a,b"],
                        "assist": [],
                        "deadline": [{"phrase": "每季度公开一次", "every": "quarter"}, dt.date(2021, 12, 31)],
                    }
                ],
            }
        ],
    }
    text = emit.dump_plan(data, source="示例.txt")
    lines = text.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../../schema/plan.schema.json"
    assert lines[1] == "# 来源：示例.txt"
    assert '  - "no": 一' in lines
    assert '      - id: "15"' in lines
    assert '        lead: [厅办公室, "a,b"]' in lines
    assert "          - {phrase: 每季度公开一次, every: quarter}" in lines
    assert any(line.startswith("        text: |") for line in lines)
    assert yaml.safe_load(text) == data


def test_emit_refuses_text_that_does_not_load_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(emit, "plain_ok", lambda text, flow: True)  # a broken quoting rule
    with pytest.raises(emit.EmitError):
        emit.dump({"n": "15"}, header=[])


# --------------------------------------------------------------------------- CLI


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main(ctx: typer.Context, plans: list[Path] = typer.Option(None, "--plans")) -> None:  # noqa: B008
        ctx.obj = {"plans": plans or [Path("plans")]}

    app.command("import")(import_cmd)
    return app


def _run(*args: str):  # noqa: ANN202
    return CliRunner().invoke(_app(), list(args))


def _check_errors(plans: Path) -> list[str]:
    from ggk.workspace.checks import validate
    from ggk.workspace.load import load

    diags = validate(load([plans]), dt.date(2022, 1, 1))
    return [f"{d.code} {d.message}" for d in diags if d.severity.value == "error"]


def test_cli_import_new_unit_passes_check(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    result = _run("--plans", str(plans), "import", str(seed("004")), "--unit", "yaoan")
    assert result.exit_code == 0, result.output
    assert "条目：共 17 条" in result.output and "没有责任单位的条目：6 条" in result.output
    assert "第13行（公开方式（存入 preamble））" in result.output
    plan_file, unit_file = plans / "yaoan" / "2018.yaml", plans / "yaoan" / "unit.yaml"
    text = plan_file.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/plan.schema.json\n# 来源：004_")
    plan = Plan.model_validate(yaml.safe_load(text))
    assert items(plan)[0] == ("三.1.1", ["局政策法规股"], ["相关股室"])
    unit = Unit.model_validate(yaml.safe_load(unit_file.read_text(encoding="utf-8")))
    assert unit.review and unit.name == "姚安县交通运输局"
    groups = {d.name for d in unit.departments if d.group}
    assert groups == {"相关股室", "相关单位", "政策出台相关责任处室"}
    assert unit.names()["政策法规股"].name == "局政策法规股"  # spellings merged as aliases
    assert unit_file.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../../schema/unit.schema.json\n")
    assert _check_errors(plans) == []
    assert not list((plans / "yaoan").glob(".*tmp"))  # atomic writes leave no temporary files

    before = plan_file.read_text(encoding="utf-8")
    again = _run("--plans", str(plans), "import", str(seed("004")), "--unit", "yaoan")
    assert again.exit_code == 0 and "已并入原有计划" in again.output, again.output
    assert "新增 0 条，更新（原无落实记录的同号条目）17 条" in again.output
    assert items(Plan.model_validate(yaml.safe_load(plan_file.read_text(encoding="utf-8")))) == items(plan)
    assert before.splitlines()[:2] == plan_file.read_text(encoding="utf-8").splitlines()[:2]


@pytest.mark.parametrize("prefix", ["000", "001", "002"])
def test_cli_each_seed_passes_check(tmp_path: Path, prefix: str) -> None:
    plans = tmp_path / "plans"
    result = _run("--plans", str(plans), "import", str(seed(prefix)), "--unit", f"u{prefix}")
    assert result.exit_code == 0, result.output
    assert _check_errors(plans) == []


def test_cli_existing_registry_resolves_and_lists_unknown_names(tmp_path: Path) -> None:
    registry = PLANS / "gansu-jtt" / "unit.yaml"
    plans = tmp_path / "plans"
    (plans / "gansu-jtt").mkdir(parents=True)
    text = registry.read_text(encoding="utf-8").replace("  - name: 厅财审处\n", "")
    (plans / "gansu-jtt" / "unit.yaml").write_text(text, encoding="utf-8")
    result = _run("--plans", str(plans), "import", str(seed("000")), "--unit", "gansu-jtt")
    assert result.exit_code == 0, result.output
    assert "厅法规处 → 厅政策法规处" in result.output
    assert "名册中没有的部门名称：1 个" in result.output and "厅财审处（第31行，见条目 4）" in result.output
    plan = Plan.model_validate(yaml.safe_load((plans / "gansu-jtt" / "2021.yaml").read_text(encoding="utf-8")))
    assert {i.id: i.lead for _, _, i in plan.iter_items()}["2"] == ["厅投融资办", "厅政策法规处"]
    assert (plans / "gansu-jtt" / "unit.yaml").read_text(encoding="utf-8") == text  # registry untouched


def test_cli_dry_run_and_output(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    dry = _run("--plans", str(plans), "import", str(seed("002")), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert yaml.safe_load(dry.stdout)["title"] == "吉林省交通运输厅2022年政务公开工作要点"
    assert "条目：共 15 条" in dry.stderr
    assert not plans.exists()
    out = tmp_path / "elsewhere" / "jilin" / "2022.yaml"
    written = _run("--plans", str(plans), "import", str(seed("002")), "-o", str(out))
    assert written.exit_code == 0, written.output
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["unit"] == "jilin"
    assert (out.parent / "unit.yaml").exists()


def test_cli_failures(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    report = _run("--plans", str(plans), "import", str(seed("003")), "--unit", "gansu")
    assert report.exit_code == 1 and "报告" in report.output
    no_year = _run("--plans", str(plans), "import", str(DATA / "no_year.txt"), "--unit", "town")
    assert no_year.exit_code == 2 and "--year" in no_year.output
    ok = _run("--plans", str(plans), "import", str(DATA / "no_year.txt"), "--unit", "town", "--year", "2024")
    assert ok.exit_code == 0 and (plans / "town" / "2024.yaml").exists()
    missing = _run("--plans", str(plans), "import", str(tmp_path / "nope.txt"), "--unit", "x")
    assert missing.exit_code == 2 and "文件不存在" in missing.output
    no_unit = _run("--plans", str(plans), "import", str(seed("001")))
    assert no_unit.exit_code == 2 and "--unit" in no_unit.output
    empty = tmp_path / "empty.txt"
    empty.write_text("示例局2024年政务公开工作要点\n\n本要点自印发之日起施行。\n", encoding="utf-8")
    none = _run("--plans", str(plans), "import", str(empty), "--unit", "x")
    assert none.exit_code == 1 and "没有找到任务条目" in none.output
    assert "Traceback" not in none.output + no_unit.output + missing.output


def test_cli_finds_the_unit_from_an_existing_registry(tmp_path: Path) -> None:
    registry = PLANS / "jilin-jtt" / "unit.yaml"
    plans = tmp_path / "plans"
    (plans / "jilin-jtt").mkdir(parents=True)
    shutil.copy(registry, plans / "jilin-jtt" / "unit.yaml")
    result = _run("--plans", str(plans), "import", str(seed("002")))
    assert result.exit_code == 0, result.output
    assert (plans / "jilin-jtt" / "2022.yaml").exists()


# --------------------------------------------------------------------------- task tables


TABLE_ITEMS = [("1", ["财务科"], ["各科室"]), ("2", ["建设科"], []), ("3", ["法规科"], ["办公室"])]


def test_task_table_in_a_web_copy() -> None:
    plan = import_document(DATA / "task_table.md", unit="x").plan
    assert items(plan) == TABLE_ITEMS
    assert [s.title for s in plan.sections] == ["主动公开", "解读回应"]
    first = plan.sections[0].items[0]
    assert first.text == "公开年度预决算信息"  # the 完成时限 column is the deadline, not part of the text
    assert [d.due for d in first.deadline] == [dt.date(2024, 6, 30)]


def test_task_table_in_docx(tmp_path: Path) -> None:
    rows = [
        ["序号", "类别", "工作任务", "牵头单位", "配合单位", "完成时限"],
        ["1", "一、主动公开", "公开年度预决算信息", "财务科", "各科室", "2024年6月底前"],
        ["2", "一、主动公开", "每季度公开重点项目进展", "建设科", "", "每季度"],
        ["3", "二、解读回应", "做好政策解读", "法规科", "办公室", "文件公开后3个工作日内"],
    ]
    path = docx_document(tmp_path / "table.docx", ["示例区交通运输局2024年政务公开重点工作任务分解表"], table=rows)
    assert items(import_document(path, unit="x").plan) == TABLE_ITEMS


def test_note_with_a_time_clause(tmp_path: Path) -> None:
    doc = tmp_path / "plan.txt"
    doc.write_text(
        "示例局2024年政务公开工作要点\n一、主动公开\n（一）公开预算。按规定公开。（局办公室牵头，各股室配合；2024年底前完成）\n"
        "（二）公开规划。及时公开。（规划股负责）（2024年6月底前）\n",
        encoding="utf-8",
    )
    plan = import_document(doc, unit="x").plan
    got = [(i.id, i.lead, i.assist, i.text) for _, _, i in plan.iter_items()]
    assert got == [
        ("1", ["局办公室"], ["各股室"], "公开预算。按规定公开。"),
        ("2", ["规划股"], [], "公开规划。及时公开。（2024年6月底前）"),
    ]
    assert [[d.due for d in i.deadline] for _, _, i in plan.iter_items()] == [[dt.date(2024, 12, 31)], [dt.date(2024, 6, 30)]]


def test_flat_list_and_unparsed_time_phrases(tmp_path: Path) -> None:
    doc = tmp_path / "flat.txt"
    doc.write_text(
        "示例局2024年政务公开工作安排\n\n一、公开预算信息。按规定公开部门预算，每两个月更新一次。（财务股负责）\n"
        "二、办理依申请公开。收到申请后15日内答复。（办公室负责）\n",
        encoding="utf-8",
    )
    result = import_document(doc, unit="x")
    assert items(result.plan) == [("1", ["财务股"], []), ("2", ["办公室"], [])]
    assert [(r.id, r.detail) for r in result.report.unparsed_time] == [("1", "每两个月")]
    second = result.plan.sections[0].items[1].deadline
    assert [(d.phrase, d.days, d.after) for d in second] == [("收到申请后15日内", 15, "收到申请")]
    text = render_report(result.report)
    assert "像是时限但未转换为规则的表述：1 处" in text and "1（第3行）：每两个月" in text
    assert "2（第4行）：牵头 办公室；配合 —；时限 收到申请后15日内" in text
