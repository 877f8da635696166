"""``ggk merge`` as git's merge driver: two clones record progress on the same plan, and a real
``git merge`` (with the documented ``.gitattributes`` line and ``git config``) combines them without
conflict markers; both sides changing one field differently is a conflict, marked by a comment in a
file that stays valid YAML, with a non-zero exit.  Also the merge itself on texts."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ggk.model import Plan
from ggk.workspace.load import load_file
from ggk.yamlfiles.merge import merge_texts
from tests.conftest import PLANS

BASE = (PLANS / "example" / "2026.yaml").read_text(encoding="utf-8")
AFTER_12 = """          - date: 2026-11-18
            by: 办公室
            note: 已迁移信息4,260条，剩余部分待平台第二批接口开放
"""


def entry(date: str, note: str) -> str:
    return f"          - date: {date}\n            by: 办公室\n            note: {note}\n"


def add_after_12(text: str, *entries: str) -> str:
    assert AFTER_12 in text
    return text.replace(AFTER_12, AFTER_12 + "".join(entries))


def set_status(text: str, item_line: str, status: str) -> str:
    assert item_line in text
    return text.replace(item_line, item_line.replace("status: 进行中", f"status: {status}"))


ITEM_9 = "        deadline: {phrase: 2026年10月底前, due: 2026-10-31}\n        status: 进行中"


def test_both_sides_add_progress_and_change_different_fields() -> None:
    ours = add_after_12(BASE, entry("2026-11-25", "我方记录"))
    theirs = add_after_12(BASE, entry("2026-11-26", "对方记录"))
    theirs = set_status(theirs, ITEM_9, "已完成").replace(
        ITEM_9.replace("进行中", "已完成"), ITEM_9.replace("进行中", "已完成") + "\n        completed: 2026-11-26"
    )
    result = merge_texts(BASE, ours, theirs)
    assert result.conflicts == []
    data = yaml.safe_load(result.text)
    plan = Plan.model_validate(data)
    items = {i.id: i for _l, _c, i in plan.iter_items()}
    notes = [e.note for e in items["12"].log]
    assert notes[-2:] == ["我方记录", "对方记录"]
    assert items["9"].status.value == "已完成" and str(items["9"].completed) == "2026-11-26"
    # ours is kept byte for byte outside the lines that take their changes
    assert result.text.count("\n") == ours.count("\n") + 4
    assert "# yaml-language-server: $schema=../../schema/plan.schema.json" in result.text.splitlines()[0]


def test_the_same_entry_added_on_both_sides_is_kept_once_and_deletions_stay() -> None:
    same = entry("2026-11-25", "同一条记录")
    ours = add_after_12(BASE, same)
    theirs = add_after_12(BASE, same).replace(
        entry("2026-08-26", "完成栏目映射方案，存量信息4,812条导出") + "            status: 进行中\n", ""
    )
    assert theirs != add_after_12(BASE, same)
    result = merge_texts(BASE, ours, theirs)
    assert result.conflicts == []
    assert result.text.count("同一条记录") == 1
    assert "完成栏目映射方案" not in result.text  # deleted by them, unchanged by us


def test_a_field_changed_differently_on_both_sides_is_a_conflict() -> None:
    ours = set_status(BASE, ITEM_9, "已完成")
    theirs = set_status(BASE, ITEM_9, "未启动")
    result = merge_texts(BASE, ours, theirs, "plans/example/2026.yaml")
    assert [c.text() for c in result.conflicts] == ["条目 9 的 status：原为 进行中，我方改为 已完成，对方改为 未启动"]
    assert (
        "        # ggk merge 冲突：条目 9 的 status：原为 进行中，我方改为 已完成，对方改为 未启动\n        status: 已完成" in result.text
    )
    assert yaml.safe_load(result.text) == yaml.safe_load(ours)  # valid YAML holding our value


def test_department_changes_on_both_sides_keep_both_records() -> None:
    """Both clones change item 5's departments: the lead is a conflict, but both dated records (``assigned``)
    stay, so that the reports of the days before each change can still be made."""
    from ggk.ledger import edits
    from ggk.yamlfiles.patch import edit_text

    def assign(lead: str, day: int) -> str:
        return edit_text(BASE, lambda doc: edits.assign(doc, "5", lead=[lead], date=dt.date(2026, 8, day))).after.text()

    result = merge_texts(BASE, assign("局办公室", 20), assign("局财务股", 21), "plans/example/2026.yaml")
    assert any("lead" in c.text() for c in result.conflicts)
    merged = yaml.safe_load(result.text)
    item = next(it for sec in merged["sections"] for it in sec["items"] if str(it["id"]) == "5")
    assert [str(a["date"]) for a in item["assigned"]] == ["2026-08-20", "2026-08-21"]


def test_items_added_on_each_side_and_deleted_against_a_change() -> None:
    new_item = '      - id: "19"\n        title: 我方新增\n        lead: [局办公室]\n'
    theirs_item = '      - id: "20"\n        title: 对方新增\n        lead: [局办公室]\n'
    tail = "        deadline: {phrase: 2026年6月底前, due: 2026-06-30}\n"
    assert BASE.endswith(tail)
    ours = BASE + new_item
    theirs = BASE + theirs_item
    result = merge_texts(BASE, ours, theirs)
    assert result.conflicts == []
    ids = [i["id"] for s in yaml.safe_load(result.text)["sections"] for i in s["items"]]
    assert ids[-3:] == ["18", "20", "19"]  # theirs goes after the item it follows in theirs
    # we deleted item 18, they changed it: a conflict, our deletion kept
    item_18 = BASE[BASE.index('      - id: "18"') :]
    ours_del = BASE.replace(item_18, "")
    theirs_chg = BASE + "        status: 进行中\n"  # item 18 is the last item of the file
    result = merge_texts(BASE, ours_del, theirs_chg)
    assert len(result.conflicts) == 1 and "条目 18" in result.conflicts[0].text() and "我方删除" in result.conflicts[0].text()


# =========================================================================== with git


def git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(
        os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com"
    )
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)


def driver() -> str:
    """The documented driver line, with this test's Python running ggk."""
    exe = shutil.which("ggk")
    if exe and Path(exe).parent == Path(sys.executable).parent:
        return "ggk merge %O %A %B %P"
    return f"{sys.executable} -m ggk merge %O %A %B %P"


@pytest.fixture()
def clones(tmp_path: Path) -> tuple[Path, Path]:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    origin = tmp_path / "origin"
    origin.mkdir()
    shutil.copytree(PLANS / "example", origin / "plans" / "example")
    (origin / ".gitattributes").write_text("plans/**/*.yaml merge=ggk\n", encoding="utf-8")
    assert git(origin, "init", "-q", "-b", "main").returncode == 0
    git(origin, "add", ".")
    assert git(origin, "commit", "-qm", "台账").returncode == 0
    a, b = tmp_path / "a", tmp_path / "b"
    for clone in (a, b):
        assert git(tmp_path, "clone", "-q", str(origin), clone.name).returncode == 0
        git(clone, "config", "merge.ggk.name", "ggk 台账合并")
        git(clone, "config", "merge.ggk.driver", driver())
    return a, b


def test_git_merge_of_two_clones(clones: tuple[Path, Path]) -> None:
    a, b = clones
    path = Path("plans/example/2026.yaml")
    (a / path).write_text(add_after_12(BASE, entry("2026-11-25", "甲记录")), encoding="utf-8")
    git(a, "commit", "-qam", "甲")
    text_b = add_after_12(BASE, entry("2026-11-26", "乙记录"))
    (b / path).write_text(
        set_status(text_b, ITEM_9, "已完成").replace(
            "status: 已完成\n        log:\n          - date: 2026-09-22",
            "status: 已完成\n        completed: 2026-11-26\n        log:\n          - date: 2026-09-22",
        ),
        encoding="utf-8",
    )
    git(b, "commit", "-qam", "乙")
    assert git(a, "pull", "-q", "--no-rebase", str(b), "main").returncode == 0
    merged = (a / path).read_text(encoding="utf-8")
    assert "<<<<<<<" not in merged and "甲记录" in merged and "乙记录" in merged
    assert "completed: 2026-11-26" in merged
    assert isinstance(load_file(a / path, Plan).model, Plan)
    assert git(a, "status", "--porcelain").stdout == ""


def test_git_merge_conflict_is_reported_and_the_file_stays_yaml(clones: tuple[Path, Path]) -> None:
    a, b = clones
    path = Path("plans/example/2026.yaml")
    (a / path).write_text(set_status(BASE, ITEM_9, "已完成"), encoding="utf-8")
    git(a, "commit", "-qam", "甲")
    (b / path).write_text(set_status(BASE, ITEM_9, "已取消"), encoding="utf-8")
    git(b, "commit", "-qam", "乙")
    res = git(a, "pull", "--no-rebase", str(b), "main")
    assert res.returncode != 0
    assert "条目 9 的 status：原为 进行中，我方改为 已完成，对方改为 已取消" in res.stderr + res.stdout
    merged = (a / path).read_text(encoding="utf-8")
    assert "<<<<<<<" not in merged and "# ggk merge 冲突：条目 9 的 status" in merged
    assert yaml.safe_load(merged)["sections"][1]["items"][3]["status"] == "已完成"
    assert "UU plans/example/2026.yaml" in git(a, "status", "--porcelain").stdout


def test_merge_command_exit_codes(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from ggk.cli.app import app

    base, ours, theirs = (tmp_path / n for n in ("o.yaml", "a.yaml", "b.yaml"))
    base.write_text(BASE, encoding="utf-8")
    ours.write_text(add_after_12(BASE, entry("2026-11-25", "甲")), encoding="utf-8")
    theirs.write_text(add_after_12(BASE, entry("2026-11-26", "乙")), encoding="utf-8")
    res = CliRunner().invoke(app, ["merge", str(base), str(ours), str(theirs), "plans/example/2026.yaml"])
    assert res.exit_code == 0 and "乙" in ours.read_text(encoding="utf-8")
    theirs.write_text("sections: [broken\n", encoding="utf-8")
    kept = ours.read_text(encoding="utf-8")
    res = CliRunner().invoke(app, ["merge", str(base), str(ours), str(theirs), "plans/example/2026.yaml"])
    assert res.exit_code == 1 and "无法按数据合并，保留我方版本" in res.stderr
    assert ours.read_text(encoding="utf-8") == kept


# =========================================================================== property


def _with_entries(text: str, added: dict[str, list[str]]) -> str:
    """``text`` with progress entries appended to the logs of some items (by id)."""
    from ggk.ledger import edits
    from ggk.yamlfiles.patch import edit_text

    def fn(doc: object) -> None:
        for item_id, notes in added.items():
            for note in notes:
                edits.add_log(doc, item_id, date=dt.date(2026, 11, 25), note=note, by="局办公室")

    return edit_text(text, fn).after.text()


ITEMS = ["2", "5", "9", "12", "15"]


@pytest.mark.parametrize("seed", range(6))
def test_union_of_entries_in_either_order(seed: int) -> None:
    """Entries added on both sides, some the same: the merge keeps each once, whichever side is ours."""
    import random

    rnd = random.Random(seed)
    shared = {i: [f"共同{i}"] for i in rnd.sample(ITEMS, 2)}
    ours_add = {i: [f"甲{i}-{k}" for k in range(rnd.randint(1, 2))] for i in rnd.sample(ITEMS, 3)}
    theirs_add = {i: [f"乙{i}-{k}" for k in range(rnd.randint(1, 2))] for i in rnd.sample(ITEMS, 3)}

    def both(extra: dict[str, list[str]]) -> dict[str, list[str]]:
        out = {k: list(v) for k, v in shared.items()}
        for k, v in extra.items():
            out.setdefault(k, []).extend(v)
        return out

    ours, theirs = _with_entries(BASE, both(ours_add)), _with_entries(BASE, both(theirs_add))
    ab, ba = merge_texts(BASE, ours, theirs), merge_texts(BASE, theirs, ours)
    assert ab.conflicts == [] and ba.conflicts == []

    def notes(text: str) -> dict[str, list[str]]:
        plan = Plan.model_validate(yaml.safe_load(text))
        return {i.id: sorted(e.note or "" for e in i.log) for _l, _c, i in plan.iter_items()}

    assert notes(ab.text) == notes(ba.text)
    for item_id, added in [*shared.items(), *ours_add.items(), *theirs_add.items()]:
        for note in added:
            assert notes(ab.text)[item_id].count(note) == 1
