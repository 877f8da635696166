"""The editing commands on a copy of the bundled plans: what the clerk types and what ends up in
the YAML, exit codes, dry runs, and `ggk check` staying clean after a sequence of edits."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from ggk.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-21"


@pytest.fixture()
def plans(tmp_path: Path) -> Path:
    dest = tmp_path / "plans"
    shutil.copytree(ROOT / "plans", dest)
    return dest


def run(plans: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--plans", str(plans), "--as-of", TODAY, *args])
    return result.exit_code, result.stdout, result.stderr


def item(plans: Path, item_id: str, plan: str = "example/2026.yaml") -> dict:
    data = yaml.safe_load((plans / plan).read_text(encoding="utf-8"))

    def walk(sections: list) -> dict | None:
        for sec in sections:
            for it in sec.get("items") or []:
                if str(it["id"]) == item_id:
                    return it
            found = walk(sec.get("sections") or [])
            if found:
                return found
        return None

    found = walk(data["sections"])
    assert found is not None
    return found


def test_done_records_completion_and_log(plans: Path) -> None:
    code, out, _ = run(plans, "done", "example/2026/9", "--evidence", "https://www.example.gov.cn/zwgk/jyta/1.html", "--by", "办公室")
    assert code == 0 and "状态 进行中 → 已完成" in out
    it = item(plans, "9")
    assert it["status"] == "已完成" and it["completed"] == dt.date(2026, 11, 21)
    assert it["log"][-1] == {
        "date": dt.date(2026, 11, 21),
        "by": "局办公室",
        "evidence": "https://www.example.gov.cn/zwgk/jyta/1.html",
        "status": "已完成",
    }
    code, _, err = run(plans, "done", "example/2026/9")
    assert code == 2 and "已是「已完成」" in err


def test_update_status_and_cancel_needs_reason(plans: Path) -> None:
    code, _, err = run(plans, "update", "example/2026/18", "--status", "已取消")
    assert code == 2 and "原因" in err
    code, _, _ = run(plans, "update", "example/2026/18", "--status", "cancelled", "--reason", "并入第11项", "--date", "2026-11-20")
    assert code == 0
    it = item(plans, "18")
    assert it["status"] == "已取消" and it["reason"] == "并入第11项" and it["log"][-1]["date"] == dt.date(2026, 11, 20)
    code, _, err = run(plans, "update", "example/2026/18", "--status", "完工")
    assert code == 2 and "未知状态" in err


def test_note_with_event_dates(plans: Path) -> None:
    code, out, _ = run(
        plans, "note", "example/2026/4", "作出行政许可决定2件，已公开", "--by", "运管股", "--event", "2026-11-20", "--done", "2026-11-21"
    )
    assert code == 0 and "记录进展" in out
    entry = item(plans, "4")["log"][-1]
    assert entry == {
        "date": dt.date(2026, 11, 21),
        "by": "局运输管理股",
        "note": "作出行政许可决定2件，已公开",
        "event": dt.date(2026, 11, 20),
        "done": dt.date(2026, 11, 21),
    }
    assert item(plans, "4")["status"] == "进行中"


def test_note_closes_the_open_event_of_that_date(plans: Path) -> None:
    """``--event D --done X`` on an event already logged without ``done`` closes it: no second event,
    and the item is no longer overdue for it."""
    before = item(plans, "4")["log"]
    code, out, _ = run(plans, "note", "example/2026/4", "--event", "2026-11-16", "--done", "2026-11-19", "--by", "运管股")
    assert code == 0 and "办结 2026-11-16 的事件（公开日期 2026-11-19）" in out
    log = item(plans, "4")["log"]
    assert len(log) == len(before)
    assert [e.get("done") for e in log if e.get("event") == dt.date(2026, 11, 16)] == [dt.date(2026, 11, 19)]
    # with a text, the text is a progress entry of its own; the event is still closed, not doubled
    code, out, _ = run(plans, "note", "example/2026/4", "处罚决定已公开", "--event", "2026-09-28", "--done", "2026-10-09")
    assert code == 0 and "办结 2026-09-28 的事件" in out
    log = item(plans, "4")["log"]
    assert len(log) == len(before) + 1 and log[-1]["note"] == "处罚决定已公开" and "event" not in log[-1]
    assert sum(1 for e in log if e.get("event") == dt.date(2026, 9, 28)) == 1
    code, out, _ = run(plans, "show", "example/2026/4")
    assert "逾期" not in out.split("情况", 1)[1].splitlines()[0]  # both events closed: 2 on time-or-late, none open


def test_note_moves_a_not_started_item_to_in_progress(plans: Path) -> None:
    assert "status" not in item(plans, "11")
    code, out, _ = run(plans, "note", "example/2026/11", "修订指南初稿已完成", "--by", "办公室")
    assert code == 0 and "状态 未启动 → 进行中" in out
    it = item(plans, "11")
    assert it["status"] == "进行中" and it["log"][-1]["status"] == "进行中"  # recorded in the entry, like any change


def test_note_in_the_future_is_refused_with_diagnostic(plans: Path) -> None:
    before = (plans / "example/2026.yaml").read_bytes()
    code, _, err = run(plans, "note", "example/2026/4", "明天的事", "--date", "2026-11-22")
    assert code == 1 and "GGK207" in err and "2026.yaml:" in err
    assert (plans / "example/2026.yaml").read_bytes() == before


def test_postpone_and_show_displays_both(plans: Path) -> None:
    code, out, _ = run(plans, "postpone", "example/2026/14", "--to", "2026-12-31", "--reason", "平台升级", "--by", "局政务公开领导小组")
    assert code == 0 and "延期至 2026-12-31" in out
    it = item(plans, "14")
    assert it["deadline"] == {"phrase": "2026年12月31日前", "due": dt.date(2026, 12, 31)}
    assert it["history"][0]["old"] == [{"phrase": "2026年11月底前", "due": dt.date(2026, 11, 30)}]
    code, out, _ = run(plans, "show", "example/2026/14")
    assert code == 0 and "2026年11月底前" in out and "2026年12月31日前" in out and "平台升级" in out
    code, _, err = run(plans, "postpone", "example/2026/2", "--to", "2026-12-31", "--reason", "x")
    assert code == 2 and "周期" in err


def test_summary_text_and_from_file(plans: Path, tmp_path: Path) -> None:
    code, _, _ = run(plans, "summary", "example/2026/9", "已公开复文21件。")
    assert code == 0 and item(plans, "9")["summary"] == "已公开复文21件。"
    f = tmp_path / "s.txt"
    f.write_text("第一段：公开复文21件。\n第二段：涉及公共利益的全部公开。\n", encoding="utf-8")
    code, _, _ = run(plans, "summary", "example/2026/9", "--from-file", str(f))
    assert code == 0
    text = (plans / "example/2026.yaml").read_text(encoding="utf-8")
    assert "        summary: |-\n          第一段：公开复文21件。\n          第二段：涉及公共利益的全部公开。\n" in text
    assert "summary_history" not in text  # replaced on the day it was written: no report ever showed it
    code, _, err = run(plans, "summary", "example/2026/9")
    assert code == 2


def test_assign_resolves_aliases_and_refuses_unknown(plans: Path) -> None:
    code, out, _ = run(plans, "assign", "example/2026/11", "example/2026/14", "--add-assist", "规划股")
    assert code == 0 and out.count("局规划建设股") == 2
    assert item(plans, "11")["assist"] == ["各股室", "局规划建设股"]
    code, _, _ = run(plans, "assign", "example/2026/11", "--lead", "法规股、办公室", "--assist", "财务股")
    assert code == 0
    assert (item(plans, "11")["lead"], item(plans, "11")["assist"]) == (["局政策法规股", "局办公室"], ["局财务股"])
    code, _, _ = run(plans, "assign", "example/2026/11", "--remove", "局办公室")
    assert code == 0 and item(plans, "11")["lead"] == ["局政策法规股"]
    before = (plans / "example/2026.yaml").read_bytes()
    code, _, err = run(plans, "assign", "example/2026/11", "--lead", "局办工室")
    assert code == 2 and "局办工室" in err and "是不是「局办公室」" in err
    assert (plans / "example/2026.yaml").read_bytes() == before


def test_assign_resolve_rewrites_raw_names(plans: Path) -> None:
    path = plans / "example/2026.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("lead: [局规划建设股]\n        assist: [局办公室]", "lead: [规划股]\n        assist: [办公室, 宣传科]", 1)
    path.write_text(text, encoding="utf-8")
    code, out, err = run(plans, "assign", "--unit", "example", "--resolve")
    assert code == 1  # one name could not be resolved
    assert "规划股 → 局规划建设股" in out and "办公室 → 局办公室" in out
    assert "「宣传科」" in err
    it = item(plans, "1")
    assert it["lead"] == ["局规划建设股"] and it["assist"] == ["局办公室", "宣传科"]


def test_dry_run_prints_diff_and_changes_nothing(plans: Path) -> None:
    before = (plans / "example/2026.yaml").read_bytes()
    for args in (
        ["done", "example/2026/9"],
        ["note", "example/2026/9", "x"],
        ["assign", "example/2026/9", "--add-lead", "财务股"],
        ["postpone", "example/2026/9", "--to", "2026-12-20", "--reason", "r"],
        ["summary", "example/2026/9", "s"],
        ["update", "example/2026/9", "--status", "未启动", "--note", "退回"],
    ):
        code, out, _ = run(plans, *args, "--dry-run")
        assert code == 0 and out.startswith("--- a/") and "\n+" in out, args
    assert (plans / "example/2026.yaml").read_bytes() == before


def test_check_stays_clean_after_a_sequence_of_edits(plans: Path) -> None:
    code, baseline, _ = run(plans, "check")
    assert code == 0
    steps = [
        ["assign", "gansu-jtt/2021/1", "--add-assist", "厅财审处"],
        ["note", "gansu-jtt/2021/1", "梳理历史规划", "--by", "厅综规处", "--date", "2021-05-10"],
        ["update", "gansu-jtt/2021/1", "--status", "进行中", "--note", "印发工作方案", "--date", "2021-05-11"],
        ["postpone", "gansu-jtt/2021/16", "--to", "2022-01-31", "--reason", "年底工作集中", "--date", "2021-12-01"],
        ["done", "gansu-jtt/2021/1", "--date", "2021-11-30", "--evidence", "https://jtys.gansu.gov.cn/"],
        ["summary", "gansu-jtt/2021/1", "全面梳理厅历史规划。\n集中公开全省交通运输规划体系。"],
        ["update", "yaoan-jtj/2018/三.1.1", "--status", "已取消", "--reason", "机构改革后职能划转", "--date", "2018-09-01"],
        ["note", "jilin-jtt/2022/1", "已公开", "--date", "2022-03-01"],
        ["done", "example/2026/11", "--date", "2026-03-30"],
        ["note", "example/2026/4", "公开处罚决定", "--event", "2026-09-28", "--done", "2026-10-09"],
        ["postpone", "example/2026/12", "--to", "2026-12-25", "--reason", "接口未开放"],
        ["update", "example/2026/13", "--status", "进行中", "--note", "补充公开"],
    ]
    for args in steps:
        code, _, err = run(plans, *args)
        assert code == 0, (args, err)
    code, out, _ = run(plans, "check")
    assert code == 0, out
    assert out.count("错误") == baseline.count("错误")


def test_every_edit_command_has_chinese_help() -> None:
    for name in ("assign", "update", "done", "note", "postpone", "summary"):
        result = CliRunner().invoke(app, [name, "--help"])
        assert result.exit_code == 0 and "--dry-run" in result.stdout
