"""JSON Schema of the plan and unit files, for editors (YAML language server) and other tools.

Owns: turning the pydantic models of ``ggk.model`` into a draft-07 JSON Schema that accepts
exactly the shorthands the models accept (a deadline written as a date or a phrase, a department
as a bare name, one deadline without a list, ids and names typed as numbers, status aliases),
with the Chinese field descriptions of the models; and the ``# yaml-language-server`` first line
that files written by ggk carry.  The committed copies live in ``schema/*.schema.json`` (a test
keeps them up to date).  Nothing here reads or writes files.

Draft-07 rather than 2020-12: it is the draft every editor's YAML/JSON support understands.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel

from ggk import model as m

Kind = Literal["plan", "unit"]
KINDS: tuple[Kind, ...] = ("plan", "unit")

#: Where the schema files sit relative to ``plans/<unit>/<file>.yaml``.
SCHEMA_DIR = "schema"


def schema_filename(kind: Kind) -> str:
    return f"{kind}.schema.json"


def modeline(kind: Kind) -> str:
    """The first line of a file written by ggk: tells the YAML language server which schema applies."""
    return f"# yaml-language-server: $schema=../../{SCHEMA_DIR}/{schema_filename(kind)}"


# Chinese descriptions of the objects (the class docstrings are English notes for programmers).
_OBJECT_TEXT: dict[str, str] = {
    "Plan": "某单位某年度的政务公开工作要点（plans/<单位>/<年度>.yaml）",
    "Unit": "发文单位及其部门名册（plans/<单位>/unit.yaml）",
    "Section": "计划的一个部分（一、…；三级文件中其下的（一）…）",
    "Item": "一项工作任务（要点条目）",
    "Deadline": (
        "时限：写作日期（2021-12-31）、文件原文（2021年底前、每季度公开一次、常态化），"
        "或带规则的映射，如 {phrase: 每季度公开一次, every: quarter}"
    ),
    "DeadlineKind": "规则类型：once 一次性、recurring 周期性、count 计次、workdays 工作日时限、days 自然日时限、none 常态化",
    "LogEntry": "一条进展记录（报送进展）",
    "ReturnSource": "进展记录的来源报送表：报送表编号和报送期（ggk intake 写入）",
    "DeadlineChange": "一次延期：保留原时限和新时限",
    "Department": "登记的部门（处室/股室/单位）或集合名称；可只写名称",
    "Reporting": "报送周期：各部门多久报送一次进展、每期截止在期末后多少天，如 quarter 或 {every: month, due: 5个工作日}",
    "Status": "状态：未启动/进行中/已完成/已取消（也接受 todo/doing/done/cancelled 等写法）",
    "Contact": "责任人或联系人：{name: 姓名, role: 联系人, phone: 电话}，可只写姓名",
    "Correction": "进展记录的更正或删除：日期、原因、更正人和原来的值",
}

_NUMBER_OR_STRING: dict[str, Any] = {"type": ["string", "number"]}


def _case_insensitive(word: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" if c.lower() != c.upper() else _escape(c) for c in word)


def _escape(c: str) -> str:
    return "\\" + c if c in r"\.^$|?*+()[]{}-" else c


def _status_schema() -> dict[str, Any]:
    canonical = [s.value for s in m.Status]
    aliases = [a for a in m.STATUS_ALIASES if a not in canonical]
    # parse_status strips and lower-cases; the pattern accepts what the enum's exact spelling does not.
    pattern = "^\\s*(" + "|".join(_case_insensitive(a) for a in m.STATUS_ALIASES) + ")\\s*$"
    return {
        "description": _OBJECT_TEXT["Status"],
        "anyOf": [
            {"type": "string", "enum": canonical},
            {"type": "string", "enum": aliases},
            {"type": "string", "pattern": pattern},
        ],
    }


# ----------------------------------------------------------------------------- the shorthands
#
# Each "before" validator of the models widens what a field accepts; the schema must widen the
# same way.  A shared helper is recognised by identity; a validator of one class by its name.
# tests/test_schema.py fails when a validator appears that this table does not know.


def _widen_to_str(prop: dict[str, Any]) -> dict[str, Any]:
    # "id: 15": numbers become strings (None stays None when the field allows it).
    out = copy.deepcopy(prop)
    if out.get("type") == "string":
        out["type"] = ["string", "number"]
    elif "anyOf" in out:
        out["anyOf"] = [dict(o, type=["string", "number"]) if o.get("type") == "string" else o for o in out["anyOf"]]
    return out


def _widen_as_list(prop: dict[str, Any]) -> dict[str, Any]:
    # One deadline without a list; an empty key (null) is an empty list.
    items = prop.get("items", {})
    rest = {k: v for k, v in prop.items() if k not in ("type", "items")}
    return {**rest, "anyOf": [items, {"type": "array", "items": items}, {"type": "null"}]}


def _widen_names(prop: dict[str, Any]) -> dict[str, Any]:
    # lead/assist: one name, a list of names (numbers allowed), or empty.
    rest = {k: v for k, v in prop.items() if k not in ("type", "items")}
    return {**rest, "anyOf": [{"type": "string"}, {"type": "array", "items": _NUMBER_OR_STRING}, {"type": "null"}]}


def _keep(prop: dict[str, Any]) -> dict[str, Any]:
    return prop  # status: the Status definition itself carries the aliases


FIELD_WIDENERS: dict[Any, Callable[[dict[str, Any]], dict[str, Any]]] = {
    m._to_str: _widen_to_str,
    m._as_list: _widen_as_list,
    m._status_value: _keep,
}
#: validators of one class: (class, validator attribute) -> widening
CLASS_FIELD_WIDENERS: dict[tuple[str, str], Callable[[dict[str, Any]], dict[str, Any]]] = {
    ("Item", "_names"): _widen_names,
}
#: model validators that accept a scalar in place of the object: (class, name) -> scalar schemas
SCALAR_FORMS: dict[tuple[str, str], list[dict[str, Any]]] = {
    ("Deadline", "_from_scalar"): [
        {"type": "string", "description": "日期（2021-12-31）或文件原文的时限表述（2021年底前、每季度公开一次、常态化）"},
    ],
    ("Department", "_from_scalar"): [{"type": "string", "description": "部门规范名称"}],
    ("Contact", "_from_scalar"): [{"type": "string", "description": "姓名"}],
    ("Reporting", "_from_scalar"): [
        {"type": "string", "enum": ["month", "quarter", "half"], "description": "报送周期：month/quarter/half"}
    ],
}


def _models() -> list[type[BaseModel]]:
    out: list[type[BaseModel]] = []

    def visit(cls: type[BaseModel]) -> None:
        if cls in out:
            return
        out.append(cls)
        for info in cls.model_fields.values():
            for inner in _inner_models(info.annotation):
                visit(inner)

    visit(m.Plan)
    visit(m.Unit)
    return out


def _inner_models(annotation: Any) -> list[type[BaseModel]]:
    import typing

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        found.extend(_inner_models(arg))
    return found


def unknown_validators() -> list[str]:
    """Validators of the models whose widening this module does not know (a test keeps it empty)."""
    missing = []
    for cls in _models():
        decs = cls.__pydantic_decorators__
        for name, dec in decs.field_validators.items():
            if dec.info.mode != "before":
                continue
            if dec.func not in FIELD_WIDENERS and (cls.__name__, name) not in CLASS_FIELD_WIDENERS:
                missing.append(f"{cls.__name__}.{name}")
        for name, mdec in decs.model_validators.items():
            if mdec.info.mode == "before" and (cls.__name__, name) not in SCALAR_FORMS:
                missing.append(f"{cls.__name__}.{name}")
    return missing


def _widen(defs: dict[str, Any]) -> None:
    for cls in _models():
        target = defs.get(cls.__name__)
        if target is None:
            continue
        props = target.get("properties", {})
        for name, dec in cls.__pydantic_decorators__.field_validators.items():
            if dec.info.mode != "before":
                continue
            widen = FIELD_WIDENERS.get(dec.func) or CLASS_FIELD_WIDENERS.get((cls.__name__, name))
            if widen is None:
                continue
            for field in dec.info.fields:
                if field in props:
                    props[field] = widen(props[field])
        for name, mdec in cls.__pydantic_decorators__.model_validators.items():
            forms = SCALAR_FORMS.get((cls.__name__, name))
            if mdec.info.mode == "before" and forms:
                obj = {k: v for k, v in target.items() if k != "description"}
                target.clear()
                target["description"] = _OBJECT_TEXT.get(cls.__name__, "")
                target["anyOf"] = [*copy.deepcopy(forms), obj]


# ----------------------------------------------------------------------------- clean-up


def _tidy(node: Any) -> Any:
    """Drop pydantic's English titles; lift ``$ref`` out of siblings (draft-07 ignores them)."""
    if isinstance(node, list):
        return [_tidy(v) for v in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "properties" and isinstance(value, dict):
            out[key] = {name: _tidy(prop) for name, prop in value.items()}
        elif key == "title" and isinstance(value, str):
            continue
        else:
            out[key] = _tidy(value)
    if "$ref" in out and len(out) > 1:
        ref = out.pop("$ref")
        out = {"allOf": [{"$ref": ref}], **out}
    return out


def schema(kind: Kind) -> dict[str, Any]:
    """The JSON Schema (draft-07) of a plan file or a unit file."""
    cls: type[BaseModel] = m.Plan if kind == "plan" else m.Unit
    raw = cls.model_json_schema(ref_template="#/definitions/{model}", mode="validation")
    defs: dict[str, Any] = raw.pop("$defs", {})
    defs[cls.__name__] = raw
    for name, text in _OBJECT_TEXT.items():
        if name in defs:
            defs[name]["description"] = text
    if "Status" in defs:
        defs["Status"] = _status_schema()
    _widen(defs)
    top = defs.pop(cls.__name__)
    fmt = top.get("properties", {}).get("format")
    if fmt is not None:
        fmt.pop("type", None)
        fmt["enum"] = [m.FORMAT_VERSION]
    top.pop("description", None)
    body = _tidy({**top, "definitions": dict(sorted(defs.items()))} if defs else top)
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "ggk 计划文件" if kind == "plan" else "ggk 单位文件",
        "description": _OBJECT_TEXT[cls.__name__],
        **body,
    }


def schema_text(kind: Kind) -> str:
    """The schema as the committed file holds it (UTF-8 JSON, two-space indent, final newline)."""
    return json.dumps(schema(kind), ensure_ascii=False, indent=2) + "\n"


def json_compatible(data: Any) -> Any:
    """YAML data as JSON sees it: dates become ISO strings (how editors validate YAML dates)."""
    if isinstance(data, dict):
        return {str(k): json_compatible(v) for k, v in data.items()}
    if isinstance(data, list):
        return [json_compatible(v) for v in data]
    if isinstance(data, (dt.date, dt.datetime)):
        return data.isoformat()
    return data
