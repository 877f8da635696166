"""``ggk init`` and ``ggk new``: commented templates that pass ``ggk check`` as written, whose
commented examples are themselves valid, and that never overwrite a file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from ggk.cli.app import app
from ggk.model import Plan, Unit
from ggk.schema import modeline, schema_text
from ggk.workspace.scaffold import plan_template, unit_template, yaml_str

runner = CliRunner()


def ggk(plans: Path, *args: str):  # noqa: ANN201
    return runner.invoke(app, ["--plans", str(plans), "--as-of", "2027-03-01", *args])


def test_init_and_new_pass_check(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    res = ggk(plans, "init", "demo-jtj", "--name", "演示县交通运输局")
    assert res.exit_code == 0, res.output
    unit_file = plans / "demo-jtj" / "unit.yaml"
    text = unit_file.read_text(encoding="utf-8")
    assert text.splitlines()[0] == modeline("unit")
    assert "name: 演示县交通运输局" in text
    assert "部门名册" in text  # the keys are explained in Chinese

    res = ggk(plans, "new", "2027", "--unit", "demo-jtj")
    assert res.exit_code == 0, res.output
    plan_file = plans / "demo-jtj" / "2027.yaml"
    plan = Plan.model_validate(yaml.safe_load(plan_file.read_text(encoding="utf-8")))
    assert (plan.unit, plan.year, plan.title) == ("demo-jtj", 2027, "演示县交通运输局2027年政务公开工作要点")
    assert plan_file.read_text(encoding="utf-8").splitlines()[0] == modeline("plan")

    check = ggk(plans, "check")
    assert check.exit_code == 0, check.output
    assert "检查了 2 个文件" in check.output
    # the modeline's target exists: the schema files were written beside plans/
    assert (tmp_path / "schema" / "plan.schema.json").read_text(encoding="utf-8") == schema_text("plan")
    assert (plan_file.parent / "../../schema/unit.schema.json").resolve().is_file()


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    assert ggk(plans, "init", "demo", "--name", "演示局").exit_code == 0
    unit_file = plans / "demo" / "unit.yaml"
    unit_file.write_text(unit_file.read_text(encoding="utf-8") + "# 手工改过\n", encoding="utf-8")
    before = unit_file.read_bytes()
    res = ggk(plans, "init", "demo", "--name", "别的名字")
    assert res.exit_code == 2 and "已存在，不会覆盖" in res.output
    assert unit_file.read_bytes() == before
    assert ggk(plans, "new", "2027").exit_code == 0  # the only unit: --unit may be left out
    res = ggk(plans, "new", "2027", "--unit", "demo")
    assert res.exit_code == 2 and "已存在" in res.output


def test_existing_schema_files_are_left_alone(tmp_path: Path) -> None:
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "plan.schema.json").write_text("{}", encoding="utf-8")
    assert ggk(tmp_path / "plans", "init", "demo").exit_code == 0
    assert (tmp_path / "schema" / "plan.schema.json").read_text(encoding="utf-8") == "{}"
    assert (tmp_path / "schema" / "unit.schema.json").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["init", "_holidays"], "不合适"),
        (["init", "甘肃"], "不合适"),
        (["new", "2027", "--unit", "nope"], "没有单位「nope」"),
        (["new", "27", "--unit", "demo"], "年度 27 不对"),
    ],
)
def test_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    res = ggk(tmp_path / "plans", *args)
    assert res.exit_code == 2
    assert message in res.output
    assert "Traceback" not in res.output


def test_new_without_unit_when_several(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    ggk(plans, "init", "a")
    ggk(plans, "init", "b")
    res = ggk(plans, "new", "2027")
    assert res.exit_code == 2 and "--unit" in res.output and "a、b" in res.output


def _uncomment_example(template: str, marker: str) -> str:
    # Replace `key: []` by the commented example below it, uncommented: what the clerk will do.
    head, _, tail = template.partition(marker)
    body = [re.sub(r"^#(  )?", "", line) for line in tail.splitlines()[1:] if line.startswith("#")]
    key = head.rstrip().splitlines()[-1].split(":")[0]
    head = head.rstrip()[: -len(f"{key}: []")] + f"{key}:"
    return head + "\n" + "\n".join(body) + "\n"


def test_commented_examples_are_valid() -> None:
    plan = _uncomment_example(plan_template("demo", 2027, "标题"), "# 录入时")
    parsed = Plan.model_validate(yaml.safe_load(plan))
    item = parsed.sections[0].items[0]
    assert (item.id, item.lead, item.deadline[0].phrase) == ("1", ["局办公室"], "2027年6月底前")
    unit = _uncomment_example(unit_template("演示局"), "# 登记部门时")
    parsed_unit = Unit.model_validate(yaml.safe_load(unit))
    assert [d.name for d in parsed_unit.departments] == ["局办公室", "局政策法规股", "局属各单位"]


@pytest.mark.parametrize("value", ["甘肃省交通运输厅", "a: b", "#x", "yes", "2021", "- 办公室", "某局（筹）", '含"引号"'])
def test_yaml_str_round_trips(value: str) -> None:
    assert yaml.safe_load(f"k: {yaml_str(value)}")["k"] == value
