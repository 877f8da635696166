"""The bundled plans under plans/: faithful encodings of the real documents, and the example unit.

Owns the check that what ships in plans/ says what the issued documents say: item counts, every
item's lead and assist departments (written out below as tables), the time rules, and that each item
text is copied verbatim from the seed document.  Files are read through ``ggk.workspace.load`` and the model.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from ggk.model import Item, Plan, Status, Unit
from ggk.workspace.load import load_file
from tests.conftest import seed

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans"

PLAN_FILES = {
    "000": "gansu-jtt/2021.yaml",
    "001": "guangyuan-jtj/2021.yaml",
    "002": "jilin-jtt/2022.yaml",
    "004": "yaoan-jtj/2018.yaml",
}
EXAMPLE = "example/2026.yaml"
TODAY = dt.date(2026, 11, 21)


def _load(rel: str) -> Plan:
    res = load_file(PLANS / rel, Plan)
    assert res.diagnostics == [], [str(d) for d in res.diagnostics]
    assert isinstance(res.model, Plan)
    return res.model


def _unit(rel: str) -> Unit:
    res = load_file(PLANS / rel.split("/")[0] / "unit.yaml", Unit)
    assert res.diagnostics == [], [str(d) for d in res.diagnostics]
    assert isinstance(res.model, Unit)
    return res.model


def _items(plan: Plan) -> list[Item]:
    return [entry[-1] for entry in plan.iter_items()]


def _by_id(plan: Plan) -> dict[str, Item]:
    return {item.id: item for item in _items(plan)}


def _seed(key: str) -> str:
    return seed(key).read_text(encoding="utf-8")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --------------------------------------------------------------------------- every bundled file


@pytest.mark.parametrize("rel", [*PLAN_FILES.values(), EXAMPLE])
def test_file_loads_clean_and_names_are_canonical(rel: str) -> None:
    plan = _load(rel)
    unit = _unit(rel)
    assert plan.unit == rel.split("/")[0]
    assert plan.year == int(Path(rel).stem)
    ids = [item.id for item in _items(plan)]
    assert len(ids) == len(set(ids)), "item ids must be unique in a plan"
    names = unit.names()
    for item in _items(plan):
        assert item.title and item.text
        for name in item.lead + item.assist:
            assert name in names, f"{rel} {item.id}: {name} not in the registry"
            assert names[name].name == name, f"{rel} {item.id}: {name} is an alias, use {names[name].name}"


def test_item_counts() -> None:
    counts = {key: len(_items(_load(rel))) for key, rel in PLAN_FILES.items()}
    assert counts == {"000": 16, "001": 15, "002": 15, "004": 17}


# --------------------------------------------------------------------------- lead / assist tables

GANSU = {  # 000 甘交办〔2021〕48号: id -> (lead, assist)
    "1": (["厅办公室", "厅综规处"], ["厅属各单位", "厅机关各部门"]),
    "2": (["厅投融资办", "厅政策法规处"], ["厅属各单位", "厅机关各部门"]),
    "3": (["厅运输处", "厅建设处", "厅公路处"], ["厅属相关单位", "厅机关相关部门"]),
    "4": (["厅财审处"], ["厅属相关单位", "厅机关相关部门"]),
    "5": (["厅办公室"], ["厅属相关单位"]),
    "6": (["厅政策法规处"], ["厅机关各部门"]),
    "7": (["厅办公室", "厅政策法规处"], ["厅机关各部门", "省交通科技通信中心"]),
    "8": (["厅办公室", "省交通科技通信中心"], ["厅属各单位", "厅机关各部门"]),
    "9": (["厅办公室", "省交通科技通信中心"], ["厅属各单位", "厅机关各部门"]),
    "10": (["厅办公室", "厅政策法规处"], []),
    "11": (["厅办公室", "厅政策法规处"], ["厅属各单位", "厅机关各部门"]),
    "12": (["厅办公室"], ["厅属各单位", "厅机关各部门"]),
    "13": (["厅政务公开领导小组"], ["厅机关各部门"]),
    "14": (["厅办公室"], ["厅机关各部门"]),
    "15": (["厅办公室"], ["厅机关各部门"]),
    "16": (["厅办公室", "厅政策法规处"], ["厅属各单位", "厅机关各部门"]),
}

JILIN = {  # 002 吉林省交通运输厅2022年政务公开工作要点
    "1": (["综规处", "建设处", "公路局", "运输局", "航道局"], []),
    "2": (["研究室", "运输处"], ["有关部门"]),
    "3": (["运输处"], ["有关单位"]),
    "4": (["法规处"], ["有关单位"]),
    "5": (["办公室", "运输处", "运输局", "海事局"], []),
    "6": (["财务处", "综规处", "各预算单位"], []),
    "7": (["法规处"], ["各处室", "各单位"]),
    "8": (["办公室"], ["各相关单位"]),
    "9": (["办公室", "研究室", "信息中心", "宣传中心"], []),
    "10": (["审批办"], []),
    "11": (["各相关部门"], []),
    "12": (["办公室"], ["厅机关各处室", "各单位"]),  # “厅机关各处室、单位”: two groups
    "13": (["办公室"], ["各相关部门"]),
    "14": (["办公室", "研究室"], ["厅机关各处室", "各单位"]),
    "15": (["各相关部门"], []),
}

YAOAN = {  # 004 姚安县交通运输局2018年基层政务公开工作实施方案
    "三.1.1": (["局政策法规股"], ["相关股室"]),
    "三.1.2": (["县运政管理所", "局政策法规股", "局公路建设管理股", "路政股"], []),
    "三.2.1": (["局办公室", "局政策法规股"], ["相关股室"]),
    "三.2.2": (["地方公路管理段", "局办公室", "局政策法规股"], []),
    "三.2.3": (["局办公室", "局政策法规股"], ["相关股室、单位"]),
    "三.3.6": (["局公路建设管理股"], []),
    "三.3.7": (["局公路建设管理股"], ["局财务室"]),
    "三.3.8": (["局公路建设管理股"], []),
    "三.4.1": (["局财务室"], ["县运政管理所"]),
    "三.5.8": (["政策出台相关责任处室"], []),
    "三.5.9": (["局办公室"], ["相关股室"]),
    # 工作要求 and the second 四、保障措施 carry no responsibility clause
    "四.1": ([], []),
    "四.2": ([], []),
    "四.3": ([], []),
    "五.1": ([], []),
    "五.2": ([], []),
    "五.3": ([], []),
}


@pytest.mark.parametrize(("key", "table"), [("000", GANSU), ("002", JILIN), ("004", YAOAN)], ids=["gansu", "jilin", "yaoan"])
def test_lead_and_assist_as_the_document_assigns(key: str, table: dict[str, tuple[list[str], list[str]]]) -> None:
    items = _by_id(_load(PLAN_FILES[key]))
    assert list(items) == list(table), "ids and document order"
    got = {i: (item.lead, item.assist) for i, item in items.items()}
    assert got == table


def test_guangyuan_assigns_no_departments() -> None:
    plan = _load(PLAN_FILES["001"])
    assert [item.id for item in _items(plan)] == [str(n) for n in range(1, 16)]
    assert all(not item.lead and not item.assist for item in _items(plan))


def test_aliases_the_documents_use_are_registered() -> None:
    gansu = _unit(PLAN_FILES["000"]).names()
    assert gansu["厅法规处"].name == "厅政策法规处"
    yaoan = _unit(PLAN_FILES["004"]).names()
    assert yaoan["政策法规股"].name == "局政策法规股"
    assert yaoan["公路建设管理股"].name == "局公路建设管理股"
    assert yaoan["县局办公室"].name == "局办公室"
    assert yaoan["运政管理所"].name == "县运政管理所"
    groups = {
        "000": ["厅属各单位", "厅机关各部门", "厅属相关单位", "厅机关相关部门"],
        "002": ["有关部门", "有关单位", "各相关部门", "各相关单位", "各处室", "各单位", "各预算单位", "厅机关各处室"],
        "004": ["相关股室", "相关股室、单位", "政策出台相关责任处室"],
    }
    for key, names in groups.items():
        registry = _unit(PLAN_FILES[key]).names()
        for name in names:
            assert registry[name].group, f"{key}: {name} should be a group"
    assert not gansu["厅办公室"].group


# --------------------------------------------------------------------------- deadlines


def _rules(item: Item) -> list[dict[str, object]]:
    return [d.model_dump(exclude_none=True) for d in item.deadline]


def test_deadlines_as_stated() -> None:
    gansu = _by_id(_load(PLAN_FILES["000"]))
    assert _rules(gansu["13"]) == [{"phrase": "年内至少专题研究部署1次", "count": 1, "per": "year"}]
    assert _rules(gansu["16"]) == [{"phrase": "2021年底前", "due": dt.date(2021, 12, 31)}]
    assert [i for i, item in gansu.items() if item.deadline] == ["13", "16"]

    guangyuan = _by_id(_load(PLAN_FILES["001"]))
    assert _rules(guangyuan["14"]) == [{"phrase": "每年至少听取1次", "count": 1, "per": "year"}]
    assert [i for i, item in guangyuan.items() if item.deadline] == ["14"]

    assert not any(item.deadline for item in _items(_load(PLAN_FILES["002"])))

    yaoan = _by_id(_load(PLAN_FILES["004"]))
    expected = {
        "三.1.2": [{"phrase": "做出行政决定之日起7个工作日内", "workdays": 7, "after": "行政决定"}],
        "三.3.7": [{"phrase": "每季度公开一次", "every": "quarter"}],
        "三.5.8": [
            {"phrase": "文件公开后3个工作日内", "workdays": 3, "after": "文件公开"},
            {"phrase": "每年解读重要政策措施不少于3次", "count": 3, "per": "year"},
        ],
        "四.1": [{"phrase": "公文上报后3个工作日内完成公开审查", "workdays": 3, "after": "公文上报"}],
        "五.1": [
            {"phrase": "年内至少听取一次", "count": 1, "per": "year"},
            {"phrase": "每季度至少专题研究一次", "every": "quarter"},
        ],
    }
    assert {i: _rules(item) for i, item in yaoan.items() if item.deadline} == expected
    assert not yaoan["四.3"].deadline and yaoan["四.3"].remark  # “年内适时开展……培训”: no countable rule


def test_phrases_are_quoted_from_the_document() -> None:
    for key, rel in PLAN_FILES.items():
        for item in _items(_load(rel)):
            for d in item.deadline:
                assert d.phrase and _squash(d.phrase) in _squash(item.text), (key, item.id, d.phrase)


# --------------------------------------------------------------------------- verbatim text


@pytest.mark.parametrize("key", list(PLAN_FILES))
def test_texts_are_verbatim_from_the_seed(key: str) -> None:
    seed = _squash(_seed(key))
    plan = _load(PLAN_FILES[key])
    for item in _items(plan):
        assert _squash(item.text) in seed, f"{key} {item.id}: text not found verbatim in the seed"
        assert item.status is Status.NOT_STARTED and not item.log, "items are as issued"
        # the responsibility parenthetical is removed from the end of the text
        assert not re.search(r"[（(][^（）()]*(负责|配合)[）)]$", item.text), (key, item.id)
    for basis in plan.basis:
        assert _squash(basis) in seed, (key, basis)
    assert plan.preamble and all(_squash(line) in seed for line in plan.preamble.splitlines())
    assert _squash(plan.title) in seed


def test_yaoan_ids_follow_the_document_levels() -> None:
    plan = _load(PLAN_FILES["004"])
    assert [(sec.no, sec.title) for sec in plan.sections] == [(None, "公开主要内容"), ("四", "工作要求"), ("四", "保障措施")]
    assert [sub.no for sub in plan.sections[0].sections] == [None, "（二）", "（三）", "（四）", "（五）"]


def test_gansu_metadata() -> None:
    plan = _load(PLAN_FILES["000"])
    assert plan.doc_no == "甘交办〔2021〕48号"
    assert plan.issued is None
    assert len(plan.basis) == 3 and plan.basis[0].startswith("《国务院办公厅")
    assert [sec.no for sec in plan.sections] == ["一", "二", "三", "四"]


# --------------------------------------------------------------------------- the example unit


def test_example_plan_is_marked_and_covers_every_status() -> None:
    plan = _load(EXAMPLE)
    assert plan.example and _unit(EXAMPLE).example
    items = _items(plan)
    assert {item.status for item in items} == set(Status)
    for item in items:
        if item.status is Status.DONE:
            assert item.completed is not None and item.completed < TODAY
        if item.status is Status.CANCELLED:
            assert item.reason
        for entry in item.log:
            assert entry.date <= dt.date(2026, 11, 20)
            if entry.evidence and entry.evidence.startswith("http"):
                assert entry.evidence.startswith("https://www.example.gov.cn/")


def test_example_plan_has_the_situations_a_ledger_must_show() -> None:
    items = _items(_load(EXAMPLE))
    open_ = [i for i in items if i.status in (Status.NOT_STARTED, Status.IN_PROGRESS)]
    dated = [(i, d.due) for i in open_ for d in i.deadline if d.due is not None]
    assert sum(1 for _, due in dated if due < TODAY) >= 3, "several overdue"
    assert any(TODAY <= due <= TODAY + dt.timedelta(days=15) for _, due in dated), "due within 15 days"
    done = [i for i in items if i.status is Status.DONE and i.completed]
    assert any(d.due and i.completed and i.completed > d.due for i in done for d in i.deadline), "one done late"
    assert any(d.every == "quarter" for i in items for d in i.deadline)
    assert any(d.count == 3 for i in items for d in i.deadline)
    assert any(e.event and e.done is None for i in items for e in i.log), "an open workdays event"
    assert any(not i.deadline for i in items), "standing work"
    assert any(i.summary for i in items)
