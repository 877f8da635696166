"""``ggk import`` into a plan that already exists — the January carry-over file — and a unit whose registry
is filled: the dry run predicts exactly what the real run does (the same refusal, the same exit code, every
unknown name), ``--register`` enters the unknown names in unit.yaml for review (no editor needed), and the
merged plan takes its title, 文号 and metadata from the document instead of the carry-over placeholder.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from ggk.cli.app import app
from ggk.model import Plan
from tests.test_importer import EXPECTED, _check_errors, seed

KNOWN = ["厅办公室", "厅综规处"]
#: Every department seed 000 names, in the order it names them.
NAMES = list(dict.fromkeys(n for _id, lead, assist in EXPECTED["000"] for n in lead + assist))
UNKNOWN = [n for n in NAMES if n not in KNOWN]
PLACEHOLDER = """\
# 来源：ggk review 2020 --carry-over（2020-12-31）
format: 1
unit: gs
year: 2021
title: 2021年政务公开工作要点
remark: 由 ggk review 2020 --carry-over 于 2020-12-31 建立，只含上年度结转任务；2021年工作要点印发后补录其余各部分和 doc_no、issued
sections:
  - title: 上年度结转任务
    items:
      - id: "2020-7"
        title: 推进政务公开平台建设
        text: 推进政务公开平台建设。
        lead: [厅办公室]
        carried_from: gs/2020/7
        status: 进行中
"""


@pytest.fixture()
def plans(tmp_path: Path) -> Path:
    root = tmp_path / "plans"
    (root / "gs").mkdir(parents=True)
    (root / "gs" / "unit.yaml").write_text(
        "format: 1\nname: 甘肃省交通运输厅\ndepartments:\n" + "".join(f"  - {n}\n" for n in KNOWN), encoding="utf-8"
    )
    (root / "gs" / "2021.yaml").write_text(PLACEHOLDER, encoding="utf-8")
    return root


def _import(plans: Path, *args: str):  # noqa: ANN202
    return CliRunner().invoke(app, ["--plans", str(plans), "--as-of", "2021-03-01", "import", str(seed("000")), "--unit", "gs", *args])


def test_dry_run_predicts_the_refusal_and_names_every_unknown_department(plans: Path) -> None:
    before = {p.name: p.read_bytes() for p in (plans / "gs").iterdir()}
    dry = _import(plans, "--dry-run")
    real = _import(plans)
    assert dry.exit_code == real.exit_code == 1, (dry.output, real.output)
    for res in (dry, real):
        assert f"{len(UNKNOWN)} 个部门名称未在单位名册中登记" in res.stderr
        assert "、".join(UNKNOWN) in res.stderr and "--register" in res.stderr
        assert f"名册中没有的部门名称：{len(UNKNOWN)} 个" in res.stderr  # the report, with each name's place
    assert {p.name: p.read_bytes() for p in (plans / "gs").iterdir()} == before


def test_register_enters_the_names_for_review_and_the_merge_goes_through(plans: Path) -> None:
    dry = _import(plans, "--register", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert f"将在名册中登记 {len(UNKNOWN)} 个部门" in dry.stderr
    assert "厅投融资办" not in (plans / "gs" / "unit.yaml").read_text(encoding="utf-8")
    res = _import(plans, "--register")
    assert res.exit_code == 0, res.output
    unit = yaml.safe_load((plans / "gs" / "unit.yaml").read_text(encoding="utf-8"))
    names = [d if isinstance(d, str) else d["name"] for d in unit["departments"]]
    assert names == KNOWN + UNKNOWN and "review" not in unit
    assert [d["name"] for d in unit["departments"] if isinstance(d, dict) and d.get("review")] == UNKNOWN
    groups = {d["name"] for d in unit["departments"] if isinstance(d, dict) and d.get("group")}
    assert {"厅属各单位", "厅机关各部门"} <= groups
    assert [e for e in _check_errors(plans) if "GGK202" in e] == []
    registry = (plans / "gs" / "unit.yaml").read_bytes()
    again = _import(plans, "--register")  # nothing left to register
    assert again.exit_code == 0 and "登记进名册" not in again.stdout, again.output
    assert (plans / "gs" / "unit.yaml").read_bytes() == registry


def test_the_document_replaces_the_carry_over_title_and_remark(plans: Path) -> None:
    assert _import(plans, "--register").exit_code == 0
    text = (plans / "gs" / "2021.yaml").read_text(encoding="utf-8")
    plan = Plan.model_validate(yaml.safe_load(text))
    assert (plan.title, plan.doc_no) == ("甘肃省交通运输厅2021年政务公开工作要点", "甘交办〔2021〕48号")
    assert "只含上年度结转任务" not in text and plan.remark is None
    assert plan.basis and plan.preamble
    assert plan.sections[-1].title == "上年度结转任务" and plan.sections[-1].items[0].carried_from == "gs/2020/7"


def test_a_plan_not_from_carry_over_keeps_its_own_title(plans: Path) -> None:
    path = plans / "gs" / "2021.yaml"
    own = PLACEHOLDER.replace("title: 2021年政务公开工作要点", "title: 本厅2021年政务公开工作要点（办公室整理）")
    own = re.sub(r"remark: .*", "remark: 办公室自建", own).replace("  - title: 上年度结转任务\n", "  - title: 自建任务\n")
    path.write_text(own, encoding="utf-8")
    assert _import(plans, "--register").exit_code == 0
    plan = Plan.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert (plan.title, plan.remark, plan.doc_no) == ("本厅2021年政务公开工作要点（办公室整理）", "办公室自建", "甘交办〔2021〕48号")


def test_register_marks_only_the_new_names_and_keeps_the_reviewed_registry_reviewed(plans: Path) -> None:
    """A registry reviewed in March stays reviewed when next year's plan brings new names: only those
    wait for review, and a group name is a block entry like the registry's other mappings."""
    unit_path = plans / "gs" / "unit.yaml"
    unit_path.write_text(unit_path.read_text(encoding="utf-8") + "  - name: 厅政策法规处\n    aliases: [厅法规处]\n", encoding="utf-8")
    assert _import(plans, "--register").exit_code == 0
    text = unit_path.read_text(encoding="utf-8")
    assert "\nreview:" not in text and "{name:" not in text
    assert "  - name: 厅属各单位\n    group: true\n    review: true\n" in text
    unknown = [n for n in UNKNOWN if n not in ("厅法规处", "厅政策法规处")]
    for name in unknown:
        assert f"  - name: {name}\n" in text
    one = CliRunner().invoke(app, ["--plans", str(plans), "dept", "reviewed", "厅办公室", "-n"])
    assert one.exit_code == 0, one.output
    assert "「厅办公室」没有待核对标记" in one.output and "其余" not in one.output
    strict = CliRunner().invoke(app, ["--plans", str(plans), "check", "--strict"])
    assert strict.exit_code == 1 and "GGK216" in strict.output
    assert "ggk dept reviewed 部门名称" in strict.output
    listed = CliRunner().invoke(app, ["--plans", str(plans), "dept", "list", "--unit", "gs", "-f", "json"])
    rows = json.loads(listed.stdout)["departments"]
    assert [r["name"] for r in rows if r["review"]] == unknown
