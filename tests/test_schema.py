"""The JSON Schema of plan and unit files: committed copies up to date, every bundled file valid,
the shorthands the model accepts valid, broken files rejected, and the ``ggk schema`` command."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from ggk import model
from ggk.cli.app import app
from ggk.schema import json_compatible, modeline, schema, schema_text, unknown_validators

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = sorted((ROOT / "plans").glob("*/*.yaml"))


def validator(kind: str) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(schema(kind), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def errors(kind: str, text: str) -> list[str]:
    data = json_compatible(yaml.safe_load(text))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(kind).iter_errors(data)]


def kind_of(path: Path) -> str:
    return "unit" if path.name == "unit.yaml" else "plan"


@pytest.mark.parametrize("kind", ["plan", "unit"])
def test_committed_schema_is_up_to_date(kind: str) -> None:
    committed = (ROOT / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(kind), f"运行 ggk schema {kind} -o schema/{kind}.schema.json 更新"


@pytest.mark.parametrize("kind", ["plan", "unit"])
def test_schema_is_valid_draft7(kind: str) -> None:
    jsonschema.Draft7Validator.check_schema(schema(kind))


def test_every_model_shorthand_is_known() -> None:
    # A new "before" validator widens what the model accepts; the schema must learn it too.
    assert unknown_validators() == []


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_bundled_files_are_valid(path: Path) -> None:
    assert errors(kind_of(path), path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_bundled_files_name_their_schema(path: Path) -> None:
    assert path.read_text(encoding="utf-8").splitlines()[0] == modeline(kind_of(path))  # type: ignore[arg-type]
    assert (path.parent / modeline(kind_of(path)).split("$schema=")[1]).resolve().is_file()  # type: ignore[arg-type]


SHORTHANDS = """\
unit: 15
year: 2021
title: 速记写法
sections:
  - "no": 1
    title: 一
    items:
      - id: 15
        title: 日期
        lead: 办公室
        deadline: 2021-12-31
        status: done
        completed: 2021-11-01
      - id: 三.一.2
        title: 原文表述
        lead: [办公室, 2]
        assist:
        deadline: 2021年底前
        status: " Doing "
      - id: 3.5
        title: 多条时限
        deadline:
          - 每季度公开一次
          - {phrase: 每年不少于3次, count: 3, per: year}
        history:
          - date: 2021-05-01
            old: 2021年6月底前
            new: [2021-09-30]
        log:
          - date: 2021-03-01
            status: 推进中
      - id: 4
        title: 空时限
        deadline:
"""


def test_shorthands_the_model_accepts_are_valid() -> None:
    model.Plan.model_validate(yaml.safe_load(SHORTHANDS))  # the model takes them…
    assert errors("plan", SHORTHANDS) == []  # …and so does the schema


def test_unit_shorthands() -> None:
    text = "name: 某局\ndepartments:\n  - 办公室\n  - {name: 法规科, aliases: [法规股], group: false}\n  - name: 101\n"
    model.Unit.model_validate(yaml.safe_load(text))
    assert errors("unit", text) == []


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("unit: x\nyear: 2021\ntitle: t\nsectons: []\n", "sectons"),  # misspelt key
        ("unit: x\ntitle: t\n", "'year' is a required property"),
        ("unit: x\nyear: 二〇二一\ntitle: t\n", "year"),
        ("unit: x\nyear: 2021\ntitle: t\nsections: [{title: a, items: [{id: 1, title: b, status: 完了}]}]\n", "sections/0/items/0/status"),
        (
            "unit: x\nyear: 2021\ntitle: t\nsections: [{title: a, items: [{id: 1, title: b, deadline: {every: fortnight}}]}]\n",
            "sections/0/items/0/deadline",
        ),
        ("unit: x\nyear: 2021\ntitle: t\nsections: [{title: a, items: [{id: 1, title: b, ddeadline: 2021年底前}]}]\n", "ddeadline"),
        ("unit: x\nyear: 2021\ntitle: t\nissued: 2021年2月1日\n", "issued"),
        ("format: 2\nunit: x\nyear: 2021\ntitle: t\n", "format"),
    ],
)
def test_broken_plans_are_rejected(text: str, where: str) -> None:
    found = errors("plan", text)
    assert found and any(where in e for e in found), found


def test_broken_bundled_plan_is_rejected() -> None:
    text = (ROOT / "plans/example/2026.yaml").read_text(encoding="utf-8").replace("status: 已完成", "staus: 已完成", 1)
    assert any("staus" in e for e in errors("plan", text))


def test_fields_carry_chinese_descriptions() -> None:
    s = schema("plan")
    item = s["definitions"]["Item"]["properties"]
    assert item["lead"]["description"] == "牵头单位"
    assert item["deadline"]["description"].startswith("时限")
    assert s["properties"]["year"]["description"] == "年度"
    assert "title" not in item["id"]  # pydantic's English titles are dropped


def test_schema_command(tmp_path: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(app, ["schema"])
    assert out.exit_code == 0 and json.loads(out.stdout)["title"] == "ggk 计划文件"
    target = tmp_path / "unit.schema.json"
    res = runner.invoke(app, ["schema", "unit", "-o", str(target)])
    assert res.exit_code == 0
    assert target.read_text(encoding="utf-8") == schema_text("unit")
    assert runner.invoke(app, ["schema", "planz"]).exit_code == 2
