"""ggk.yamlfiles.patch, ggk.workspace.transaction and ggk.ledger.edits: an edit changes only the lines it has to, on generated plans (random
comments, quoting, indentation, blank lines, CRLF) and on every bundled plan; refusals leave the
file byte-identical."""

from __future__ import annotations

import datetime as dt
import difflib
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ggk.diagnostics import GgkError, Severity
from ggk.ledger import edits
from ggk.model import Status
from ggk.workspace import transaction as store_tx
from ggk.workspace.checks import validate
from ggk.workspace.load import load
from ggk.yamlfiles import patch as store_patch

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans"
D = dt.date(2026, 11, 21)


def window(before: str, after: str) -> tuple[int, int, int]:
    """The changed window: (first changed line, end of it in before, end of it in after)."""
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    p = 0
    while p < min(len(a), len(b)) and a[p] == b[p]:
        p += 1
    s = 0
    while s < min(len(a), len(b)) - p and a[-1 - s] == b[-1 - s]:
        s += 1
    return p, len(a) - s, len(b) - s


def changed_old_lines(before: str, after: str) -> int:
    """How many lines of ``before`` were replaced or deleted (not counting pure insertions)."""
    sm = difflib.SequenceMatcher(None, before.splitlines(keepends=True), after.splitlines(keepends=True), autojunk=False)
    return sum(i2 - i1 for tag, i1, i2, _j1, _j2 in sm.get_opcodes() if tag in ("replace", "delete"))


def comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


# --------------------------------------------------------------------------- inline fixture

PLAN = """\
# 台账：示例
format: 1
unit: t
year: 2026
title: "测试计划"
sections:
  - "no": 一
    title: 第一部分
    items:
      - id: "1"   # 第一条
        title: 甲
        lead: [局办公室, '局财务股']
        assist: [相关股室]
        deadline: {phrase: 2026年6月底前, due: 2026-06-30}
      # 这条注释介绍第二条，编辑第一条时必须留在第二条之前
      - id: "2"
        title: 乙
        lead:
          - 局办公室
        status: 进行中
        log:
          - date: 2026-03-01
            note: 已开始
            status: 进行中

          # 第二条最后一条进展之后的注释（更深缩进，属于进展列表）
      - id: "3"
        title: 丙
        text: |-
          第一行
          第二行
        lead: [局办公室]
        status: 已完成
        completed: 2026-05-01
        summary: 旧的落实情况
"""


def edit(text: str, fn: Any) -> str:
    return store_patch.edit_text(text, fn).after.text()


def test_note_appended_after_comment_of_next_item_is_not_moved() -> None:
    after = edit(PLAN, lambda d: edits.note(d, "1", "第一次进展", date=D, by="局办公室"))
    assert changed_old_lines(PLAN, after) == 0  # pure insertion
    assert after.index("deadline: {phrase") < after.index("log:\n          - date: 2026-11-21") < after.index("# 这条注释介绍第二条")
    assert comments(after) == comments(PLAN)
    # the item was 未启动: the note moves it to 进行中, said in the entry
    assert yaml.safe_load(after)["sections"][0]["items"][0]["log"] == [
        {"date": D, "by": "局办公室", "note": "第一次进展", "status": "进行中"}
    ]


def test_log_entry_goes_after_the_deeper_comment_that_belongs_to_the_list() -> None:
    after = edit(PLAN, lambda d: edits.note(d, "2", "第二次", date=D))
    assert changed_old_lines(PLAN, after) == 0
    assert after.index("# 第二条最后一条进展之后的注释") < after.index("note: 第二次") < after.index('- id: "3"')


def test_status_change_replaces_one_line_and_keeps_trailing_comment_and_quotes() -> None:
    after = edit(PLAN, lambda d: edits.set_status(d, "2", Status.DONE, date=D, evidence="https://x.example/1"))
    assert changed_old_lines(PLAN, after) == 1
    assert "        status: 已完成\n        completed: 2026-11-21\n" in after
    assert '      - id: "1"   # 第一条\n' in after and "'局财务股'" in after and 'title: "测试计划"' in after


def test_reopening_a_done_item_removes_completed() -> None:
    after = edit(PLAN, lambda d: edits.set_status(d, "3", "进行中", date=D, note="发现遗漏，重新办理"))
    assert "completed: 2026-05-01" not in after
    assert changed_old_lines(PLAN, after) == 2  # the status line and the completed line


def test_summary_literal_block_and_single_line_style_kept() -> None:
    multi = edit(PLAN, lambda d: edits.set_summary(d, "3", "第一段。\n第二段。"))
    assert "        summary: |-\n          第一段。\n          第二段。\n" in multi
    single = edit(PLAN, lambda d: edits.set_summary(d, "3", "新的一句"))
    assert "        summary: 新的一句\n" in single  # a plain value stays plain
    assert changed_old_lines(PLAN, single) == 1


def test_assign_rewrites_flow_list_in_place_keeping_element_quotes() -> None:
    after = edit(PLAN, lambda d: edits.assign(d, "1", add_lead=["局规划建设股"], remove=["相关股室"]))
    assert "        lead: [局办公室, '局财务股', 局规划建设股]\n        assist: []\n" in after
    assert changed_old_lines(PLAN, after) == 2


def test_assign_block_list_appends_and_removes_lines() -> None:
    after = edit(PLAN, lambda d: edits.assign(d, "2", add_lead=["局财务股"]))
    assert "        lead:\n          - 局办公室\n          - 局财务股\n" in after
    assert changed_old_lines(PLAN, after) == 0


def test_postpone_keeps_old_deadline_in_history() -> None:
    after = edit(PLAN, lambda d: edits.postpone(d, "1", to=dt.date(2026, 9, 30), reason="等待上级文件", date=D, by="局办公室"))
    item = yaml.safe_load(after)["sections"][0]["items"][0]
    assert item["deadline"] == {"phrase": "2026年9月30日前", "due": dt.date(2026, 9, 30)}
    assert item["history"] == [
        {
            "date": D,
            "old": [{"phrase": "2026年6月底前", "due": dt.date(2026, 6, 30)}],
            "new": [{"phrase": "2026年9月30日前", "due": dt.date(2026, 9, 30)}],
            "reason": "等待上级文件",
            "by": "局办公室",
        }
    ]
    assert "        history:\n          - date: 2026-11-21\n            old: [{phrase: 2026年6月底前, due: 2026-06-30}]\n" in after
    with pytest.raises(GgkError, match="不晚于"):
        edit(PLAN, lambda d: edits.postpone(d, "1", to=dt.date(2026, 6, 1), reason="x", date=D))


def test_crlf_file_stays_crlf_and_no_final_newline_is_kept() -> None:
    text = PLAN.replace("\n", "\r\n").rstrip("\r\n")
    after = edit(text, lambda d: edits.set_summary(d, "3", "甲\n乙"))
    assert after.count("\n") == after.count("\r\n") and not after.endswith("\n")
    after2 = edit(text, lambda d: edits.note(d, "3", "最后", date=D))
    assert after2.count("\n") == after2.count("\r\n") and not after2.endswith("\n")
    assert yaml.safe_load(after2)["sections"][0]["items"][2]["log"][0]["note"] == "最后"


def test_bom_is_kept() -> None:
    after = edit("\ufeff" + PLAN, lambda d: edits.note(d, "1", "x", date=D))
    assert after.startswith("\ufeff# 台账")


def test_four_space_indent_and_indentless_lists_are_followed() -> None:
    text = (
        "format: 1\nunit: t\nyear: 2026\ntitle: t\nsections:\n- title: 一\n  items:\n  - id: a\n    title: 甲\n    status: 进行中\n"
        "    log:\n    - date: 2026-01-02\n      note: x\n"
    )
    after = edit(text, lambda d: edits.note(d, "a", "好", date=D))
    assert after.endswith("    - date: 2026-01-02\n      note: x\n    - date: 2026-11-21\n      note: 好\n")
    text4 = (
        "format: 1\nunit: t\nyear: 2026\ntitle: t\nsections:\n    -   title: 一\n        items:\n"
        "            -   id: a\n                title: 甲\n                log:\n                    -   date: 2026-01-02\n"
    )
    after4 = edit(text4, lambda d: edits.add_log(d, "a", date=D, note="好", by="甲"))
    assert after4.endswith(
        "                    -   date: 2026-01-02\n                    -   date: 2026-11-21\n"
        "                        by: 甲\n                        note: 好\n"
    )


def test_strings_that_need_quotes_are_quoted() -> None:
    for note in ["123", "2026-01-01", "yes", "a: b", "a #b", "- x", "'q'", " lead", "null", "@x"]:
        after = edit(PLAN, lambda d, note=note: edits.note(d, "1", note, date=D))
        assert yaml.safe_load(after)["sections"][0]["items"][0]["log"][0]["note"] == note


def test_append_item_for_carry_over() -> None:
    def fn(doc: Any) -> Any:
        return edits.append_item(
            doc,
            ("sections", 0),
            {
                "id": "4",
                "title": "结转：甲",
                "text": "原文",
                "lead": ["局办公室"],
                "deadline": {"phrase": "2027年6月底前", "due": dt.date(2027, 6, 30)},
                "carried_from": "t/2025/1",
            },
        )

    after = edit(PLAN, fn)
    assert changed_old_lines(PLAN, after) == 0
    assert after.endswith(
        '      - id: "4"\n        title: 结转：甲\n        text: |-\n          原文\n        lead: [局办公室]\n'
        "        deadline: {phrase: 2027年6月底前, due: 2027-06-30}\n        carried_from: t/2025/1\n"
    )


# --------------------------------------------------------------------------- generated plans

WORDS = ["公开", "解读", "局办公室", "a #b", "x: y", "2026", "true", "普通文字", "引号'内", '双"引', "很长的文字" * 12, "[括号]"]


def _scalar(draw: Any, text: str) -> str:
    options = ["d", "s"]
    if store_patch.plain_ok(text):
        options.append("p")
    style = draw(st.sampled_from(options))
    if style == "p":
        return text
    if style == "s":
        return "'" + text.replace("'", "''") + "'"
    return store_patch.double_quoted(text)


@st.composite
def plan_texts(draw: Any) -> tuple[str, dict[str, tuple[int, int]], dict[str, dict[str, Any]]]:
    """A plan written with random style; returns its text, each item's line span and facts."""
    off = draw(st.sampled_from([0, 2]))  # block-list dashes relative to the owning key
    ind = draw(st.sampled_from([2, 4]))  # nested mapping indentation
    lines: list[str] = []
    spans: dict[str, tuple[int, int]] = {}
    facts: dict[str, dict[str, Any]] = {}

    def noise(col: int) -> None:
        for _ in range(draw(st.integers(0, 2))):
            kind = draw(st.sampled_from(["blank", "comment", "comment"]))
            lines.append("" if kind == "blank" else " " * draw(st.integers(0, col + 4)) + f"# 注释{len(lines)}")

    lines += ["# 生成的计划", "format: 1", "unit: t", "year: 2026", f"title: {_scalar(draw, '生成的计划')}", "sections:"]
    d0 = off
    n = 0
    for s in range(draw(st.integers(1, 3))):
        noise(d0)
        lines.append(" " * d0 + f"- title: {_scalar(draw, '部分' + str(s))}")
        c0 = d0 + 2
        lines.append(" " * c0 + "items:")
        d1 = c0 + off
        c1 = d1 + 2
        for _ in range(draw(st.integers(1, 3))):
            n += 1
            iid = str(n)
            if _ and draw(st.booleans()):
                noise(d1)
            first = len(lines)
            idtext = draw(st.sampled_from([f'"{iid}"', f"'{iid}'", iid]))
            tail = draw(st.sampled_from(["", "  # 条目注释"]))
            lines.append(" " * d1 + f"- id: {idtext}{tail}")
            pad = " " * c1
            lines.append(pad + f"title: {_scalar(draw, draw(st.sampled_from(WORDS)))}")
            if draw(st.booleans()):
                lines.append(pad + "text: |-")
                for w in draw(st.lists(st.sampled_from(WORDS[:3]), min_size=1, max_size=3)):
                    lines.append(pad + " " * ind + w)
            lead_style = draw(st.sampled_from(["flow", "block", "none"]))
            if lead_style == "flow":
                lines.append(pad + "lead: [局办公室]")
            elif lead_style == "block":
                lines += [pad + "lead:", pad + " " * off + "- 局办公室"]
            deadline = draw(st.sampled_from(["none", "flow", "block", "date"]))
            if deadline == "flow":
                lines.append(pad + "deadline: {phrase: 2026年6月底前, due: 2026-06-30}")
            elif deadline == "block":
                lines += [pad + "deadline:", pad + " " * ind + "phrase: 2026年6月底前", pad + " " * ind + "due: 2026-06-30"]
            elif deadline == "date":
                lines.append(pad + "deadline: 2026-06-30")
            status = draw(st.sampled_from(["none", "进行中", '"进行中"']))
            if status != "none":
                lines.append(pad + f"status: {status}")
            if draw(st.booleans()):
                noise(c1)
                lines.append(pad + "log:")
                for k in range(draw(st.integers(1, 2))):
                    lines.append(pad + " " * off + f"- date: 2026-0{k + 1}-01")
                    lines.append(pad + " " * off + f"  note: {_scalar(draw, draw(st.sampled_from(WORDS)))}")
                facts_log = True
            else:
                facts_log = False
            if draw(st.booleans()):
                lines.append(" " * (c1 + 2) + "# 条目末尾的深缩进注释")
            spans[iid] = (first, len(lines))
            facts[iid] = {"log": facts_log, "status": status != "none", "deadline": deadline}
    noise(0)
    # An item's region runs to the next item's first line (comments between items included).
    ordered = sorted(spans.items(), key=lambda kv: kv[1][0])
    region = {}
    for i, (iid, (first, _end)) in enumerate(ordered):
        nxt = ordered[i + 1][1][0] if i + 1 < len(ordered) else len(lines)
        region[iid] = (first, nxt)
    crlf = draw(st.booleans())
    nl = "\r\n" if crlf else "\n"
    return nl.join(lines) + nl, region, facts


OPS = ["note", "status", "done", "cancel", "summary", "summary_multi", "assign", "postpone"]


def _apply(op: str, iid: str, doc: Any) -> None:
    if op == "note":
        edits.note(doc, iid, "新的进展：已公开", date=D, by="局办公室", evidence="https://x.example/a#b")
    elif op == "status":
        edits.set_status(doc, iid, Status.IN_PROGRESS, date=D, note="推进")
    elif op == "done":
        edits.set_status(doc, iid, Status.DONE, date=D)
    elif op == "cancel":
        edits.set_status(doc, iid, Status.CANCELLED, date=D, reason="上级取消：该项并入其他任务")
    elif op == "summary":
        edits.set_summary(doc, iid, "落实情况一句话")
    elif op == "summary_multi":
        edits.set_summary(doc, iid, "第一段\n第二段：有冒号")
    elif op == "assign":
        edits.assign(doc, iid, add_lead=["局财务股"], add_assist=["相关股室"])
    elif op == "postpone":
        edits.postpone(doc, iid, to=dt.date(2026, 12, 31), reason="延期", date=D)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(plan=plan_texts(), data=st.data())
def test_generated_plans_change_only_the_edited_item(plan: Any, data: Any) -> None:
    text, region, facts = plan
    iid = data.draw(st.sampled_from(sorted(region)))
    op = data.draw(st.sampled_from(OPS))
    expected = store_patch.parse(store_patch.Source.from_text(text)).doc
    _apply(op, iid, expected)
    after = edit(text, lambda d: _apply(op, iid, d))
    # The data is exactly the edit, read back by the loader's parser.
    assert store_patch.same(yaml.safe_load(after), expected)
    # Only lines of the edited item changed; every comment stays, in order; line endings stay.
    p, end_before, _end_after = window(text, after)
    first, nxt = region[iid]
    assert first <= p and end_before <= nxt, (op, iid)
    assert comments(after) == comments(text)
    crlf = text.count("\r\n") == text.count("\n")
    if crlf:
        assert after.count("\r\n") == after.count("\n")
    else:
        assert "\r" not in after
    if op == "note":
        assert changed_old_lines(text, after) == 0
    if op == "summary" or (op == "summary_multi" and not facts[iid]["log"]):
        assert changed_old_lines(text, after) == 0  # a new key: inserted, nothing rewritten


# --------------------------------------------------------------------------- every bundled plan


def _plan_files() -> list[Path]:
    return sorted(p for p in PLANS.glob("*/*.yaml") if p.name != "unit.yaml")


@pytest.mark.parametrize("path", _plan_files(), ids=lambda p: p.parent.name)
def test_bundled_plans_each_item_edit_is_confined(path: Path, tmp_path: Path) -> None:
    shutil.copytree(path.parent, tmp_path / path.parent.name)
    copy = tmp_path / path.parent.name / path.name
    text = copy.read_text(encoding="utf-8")
    source = store_patch.Source.from_text(text)
    parsed = store_patch.parse(source)
    ids = [str(item["id"]) for _loc, item in edits.iter_items(parsed.doc)]
    node_spans = _item_regions(text)
    year = int(parsed.doc["year"])
    when = dt.date(year, 12, 31)
    # Every item at once, for each kind of edit: each change lies inside some item's region.
    for op in ("note", "summary_multi", "assign", "done"):
        after = edit(text, lambda d, op=op: [_apply_bundled(op, i, d, when) for i in ids])
        _assert_changes_inside(text, after, node_spans)
        assert comments(after) == comments(text)
    # One item at a time (first, middle, last): the window lies inside that item.
    for iid in {ids[0], ids[len(ids) // 2], ids[-1]}:
        for op in ("note", "summary_multi", "done"):
            after = edit(text, lambda d, op=op, iid=iid: _apply_bundled(op, iid, d, when))
            if after == text:  # e.g. already done
                continue
            p, end_before, _ = window(text, after)
            first, nxt = node_spans[iid]
            assert first <= p and end_before <= nxt, (path, iid, op)
    # And through edit_plan: the result validates with no new problems.
    result = store_tx.edit_plan(copy, lambda d: [_apply_bundled("note", i, d, when) for i in ids], today=when)
    assert result.written and not result.diagnostics
    ws = load([copy])
    assert [d for d in validate(ws, when) if d.severity is Severity.ERROR] == []


def _apply_bundled(op: str, iid: str, doc: Any, when: dt.date) -> None:
    item = edits.find_item(doc, iid)
    if op == "note":
        edits.note(doc, iid, "第一行\n第二行", date=when, by="测试")
    elif op == "summary_multi":
        edits.set_summary(doc, iid, "落实情况\n第二段")
    elif op == "assign":
        lead = [str(x) for x in (item.get("lead") or [])]
        if lead:
            edits.assign(doc, iid, remove=[lead[-1]], add_assist=[lead[-1]])
    elif op == "done":
        if edits._status_of(item) is not Status.DONE:
            edits.set_status(doc, iid, Status.DONE, date=when, evidence="https://example.gov.cn/1")


def _item_regions(text: str) -> dict[str, tuple[int, int]]:
    """Each item's lines: from its dash to the next item (or the end of its section)."""
    root = yaml.compose(text)
    found: list[tuple[str, int, int]] = []

    def walk(node: Any) -> None:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == "items" and isinstance(v, yaml.SequenceNode):
                    for i, it in enumerate(v.value):
                        iid = next(val.value for key, val in it.value if key.value == "id")
                        end = v.value[i + 1].start_mark.line if i + 1 < len(v.value) else v.end_mark.line
                        found.append((iid, it.start_mark.line, end))
                walk(v)
        elif isinstance(node, yaml.SequenceNode):
            for v in node.value:
                walk(v)

    walk(root)
    return {iid: (a, b + 1) for iid, a, b in found}


def _assert_changes_inside(before: str, after: str, spans: dict[str, tuple[int, int]]) -> None:
    sm = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), autojunk=False)
    for tag, i1, i2, _j1, _j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        assert any(a <= i1 and i2 <= b for a, b in spans.values()), (tag, i1, i2, before.splitlines()[max(0, i1 - 1) : i2 + 1])


# --------------------------------------------------------------------------- edit_plan guarantees


def _unit(tmp_path: Path) -> Path:
    shutil.copytree(PLANS / "example", tmp_path / "example")
    return tmp_path / "example" / "2026.yaml"


def test_invalid_edit_is_refused_and_file_unchanged(tmp_path: Path) -> None:
    path = _unit(tmp_path)
    raw = path.read_bytes()
    # A progress entry dated after the as-of date is an error (GGK207): nothing is written.
    r = store_tx.edit_plan(path, lambda d: edits.note(d, "1", "未来的事", date=dt.date(2026, 12, 25)), today=D)
    assert r.refused and not r.written and r.errors[0].code == "GGK207"
    assert r.errors[0].line > 0 and r.errors[0].path == str(path)
    # An unregistered department (GGK202) likewise.
    r = store_tx.edit_plan(path, lambda d: edits.assign(d, "1", add_lead=["不存在的股"]), today=D)
    assert r.refused and {d.code for d in r.errors} == {"GGK202"}
    assert path.read_bytes() == raw


def test_existing_problems_do_not_block_edits(tmp_path: Path) -> None:
    path = _unit(tmp_path)
    text = path.read_text(encoding="utf-8").replace("lead: [局规划建设股]", "lead: [不存在的股]", 1)
    path.write_text(text, encoding="utf-8")
    r = store_tx.edit_plan(path, lambda d: edits.note(d, "2", "照常记录", date=D), today=D)
    assert r.written and not r.errors


def test_unparsable_file_is_never_rewritten(tmp_path: Path) -> None:
    path = _unit(tmp_path)
    text = path.read_text(encoding="utf-8").replace("title: 做好“十五五”交通运输规划信息公开", "title: [未闭合", 1)
    path.write_text(text, encoding="utf-8")
    raw = path.read_bytes()
    r = store_tx.edit_plan(path, lambda d: edits.note(d, "1", "x", date=D), today=D)
    assert r.refused and not r.written
    d = r.errors[0]
    assert d.code == "GGK001" and d.path == str(path) and d.line > 20
    assert path.read_bytes() == raw
    # Duplicate keys and GBK text: readable by the loader, but never rewritten either.
    path.write_text(PLAN.replace("        title: 甲\n", "        title: 甲\n        title: 重复\n"), encoding="utf-8")
    assert store_tx.edit_plan(path, lambda d: edits.note(d, "2", "x", date=D), today=D).errors[0].code == "GGK004"
    path.write_bytes(PLAN.encode("gb18030"))
    assert store_tx.edit_plan(path, lambda d: edits.note(d, "2", "x", date=D), today=D).errors[0].code == "GGK002"
    assert path.read_bytes() == PLAN.encode("gb18030")


def test_change_on_disk_during_edit_is_detected(tmp_path: Path) -> None:
    path = _unit(tmp_path)
    theirs = path.read_text(encoding="utf-8").replace("推进在建交通项目信息公开\n", "推进在建交通项目信息公开（他人修改）\n", 1)

    def fn(doc: Any) -> None:
        path.write_text(theirs, encoding="utf-8")  # an editor saves meanwhile
        edits.note(doc, "1", "我的进展", date=D)

    with pytest.raises(store_tx.ConflictError, match="被修改过"):
        store_tx.edit_plan(path, fn, today=D)
    assert path.read_text(encoding="utf-8") == theirs


def test_dry_run_shows_diff_and_writes_nothing(tmp_path: Path) -> None:
    path = _unit(tmp_path)
    raw = path.read_bytes()
    r = store_tx.edit_plan(path, lambda d: edits.set_status(d, "9", Status.DONE, date=D), dry_run=True, today=D)
    assert not r.written and path.read_bytes() == raw
    assert "-        status: 进行中\n+        status: 已完成\n+        completed: 2026-11-21\n" in r.diff
    assert r.diff.startswith("--- a/")


def test_no_change_writes_nothing(tmp_path: Path) -> None:
    path = _unit(tmp_path)
    stat = path.stat()
    r = store_tx.edit_plan(path, lambda d: None, today=D)
    assert not r.changed and not r.written and r.diff == "" and path.stat().st_mtime_ns == stat.st_mtime_ns


def test_lock_file_is_beside_the_plan_and_ignored_by_git(tmp_path: Path) -> None:
    path = _unit(tmp_path)
    store_tx.edit_plan(path, lambda d: edits.note(d, "1", "x", date=D), today=D)
    assert store_tx.lock_path(path) == path.parent / ".2026.yaml.lock"
    gitignore = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ".*.yaml.lock" in gitignore
    ws = load([path.parent])  # the lock file is not taken for a plan
    assert [e.path.name for e in ws.plans] == ["2026.yaml"] and not ws.diagnostics


def test_source_round_trip_is_exact() -> None:
    for text in [PLAN, PLAN.replace("\n", "\r\n"), PLAN.rstrip("\n"), "\ufeff" + PLAN, "a: 1\r\nb: 2\n"]:
        assert store_patch.Source.from_text(text).text() == text
    with pytest.raises(store_patch.PreserveError):
        store_patch.Source.from_text("a: 1\rb: 2\n")


def test_change_that_cannot_be_confined_is_refused(tmp_path: Path) -> None:
    path = _unit(tmp_path)
    raw = path.read_bytes()

    def reorder(doc: Any) -> None:  # moving top-level keys around is not an edit ggk makes
        title = doc.pop("title")
        doc.insert(0, "title", title)

    with pytest.raises(store_patch.PreserveError):
        store_tx.edit_plan(path, reorder, today=D)
    assert path.read_bytes() == raw


def test_note_on_a_done_item_keeps_its_completion_date() -> None:
    after = edit(PLAN, lambda d: edits.set_status(d, "3", Status.DONE, date=D, evidence="https://x.example/2"))
    item = yaml.safe_load(after)["sections"][0]["items"][2]
    assert item["completed"] == dt.date(2026, 5, 1) and item["log"] == [{"date": D, "evidence": "https://x.example/2"}]
    with pytest.raises(GgkError, match="已是"):
        edit(PLAN, lambda d: edits.set_status(d, "3", Status.DONE, date=D))
