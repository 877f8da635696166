"""Changes made later do not rewrite a report of an earlier day: a first time limit (``ggk deadline``), a
change of departments (``ggk assign``), items merged in by ``ggk import`` and a 落实情况 written again or
back-dated (``ggk summary``).  Each test makes reports on day D, makes the change later, and re-makes the
same reports ``--as-of D``: they must be the same, byte for byte; and the change shows from its own day.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from ggk.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
YEAR = Path(__file__).parent / "data" / "year"


@pytest.fixture()
def plans(tmp_path: Path) -> Path:
    dest = tmp_path / "plans"
    shutil.copytree(ROOT / "plans", dest)
    return dest


def run(plans: Path, today: str, *args: str) -> str:
    res = CliRunner().invoke(app, ["--plans", str(plans), *args], env={"GGK_TODAY": today})
    assert res.exit_code == 0, (today, args, res.output)
    return res.stdout


def reports(plans: Path, day: str, today: str, *refs: str) -> dict[str, str]:
    """What the clerk sees on ``day`` (re-made on ``today``): status, list, report, notice, each item."""
    out = {
        "status": run(plans, today, "--as-of", day, "status", "--unit", "example", "--by", "dept"),
        "status.json": run(plans, today, "--as-of", day, "status", "--unit", "example", "-f", "json"),
        "list": run(plans, today, "--as-of", day, "list", "--unit", "example"),
        "report": run(plans, today, "--as-of", day, "report", "2026", "--unit", "example", "-f", "md"),
        "review": run(plans, today, "--as-of", day, "review", "2026", "--unit", "example", "-f", "md"),
    }
    for ref in refs:
        out[ref] = run(plans, today, "--as-of", day, "show", ref)
        out[ref + ".json"] = run(plans, today, "--as-of", day, "show", ref, "-f", "json")
    return out


def item(plans: Path, item_id: str, plan: str = "example/2026.yaml") -> dict:
    data = yaml.safe_load((plans / plan).read_text(encoding="utf-8"))
    found = [it for sec in data["sections"] for it in sec.get("items") or [] if str(it["id"]) == item_id]
    assert found, item_id
    return found[0]


def test_a_first_time_limit_set_later_is_not_in_an_earlier_report(plans: Path) -> None:
    """Item 8 is standing work; on 06-10 it gets a limit of 04-30.  The reports of 05-15 do not show it
    overdue (it had no limit then); from 06-10 it is.  Not a postponement: no history, shown as 设定时限."""
    made = reports(plans, "2026-05-15", "2026-05-15", "example/2026/8", "example/2026/15")
    run(plans, "2026-06-10", "deadline", "example/2026/8", "2026年4月底前")
    run(plans, "2026-06-10", "deadline", "example/2026/15", "2026-05-10")
    assert reports(plans, "2026-05-15", "2026-06-10", "example/2026/8", "example/2026/15") == made
    it = item(plans, "8")
    assert it["deadline_set"].isoformat() == "2026-06-10" and "history" not in it
    after = run(plans, "2026-06-10", "--as-of", "2026-06-10", "show", "example/2026/8")
    assert "设定时限" in after and "2026-06-10" in after and "逾期" in after and "延期" not in after
    assert "逾期" not in run(plans, "2026-06-10", "--as-of", "2026-05-15", "show", "example/2026/8")


def test_a_first_time_limit_before_the_plan_is_issued_needs_no_date(plans: Path) -> None:
    """Set on or before the 印发日期 (2026-02-26), the limit was there whenever the plan was: one line."""
    before = (plans / "example/2026.yaml").read_text(encoding="utf-8")
    run(plans, "2026-02-26", "deadline", "example/2026/8", "2026年4月底前")
    after = (plans / "example/2026.yaml").read_text(encoding="utf-8")
    assert len(after.splitlines()) == len(before.splitlines()) + 1 and "deadline_set" not in after


def _missed(plans: Path, day: str, today: str) -> set[tuple[str, str]]:
    data = json.loads(run(plans, today, "--as-of", day, "status", "--unit", "example", "-f", "json"))
    return {(d["dept"], p["period"]) for d in data["reporting"]["departments"] for p in d["periods"] if p["state"] == "漏报"}


def test_a_department_taken_off_later_keeps_the_periods_it_missed(plans: Path) -> None:
    """局运输管理股 leads items 4 and 5; on 08-20 they are given to 局办公室.  The reports of 07-20 (its
    漏报 of the first quarter, the lead shown) stay as they were, and so does that 漏报 on every later day."""
    made = reports(plans, "2026-07-20", "2026-07-20", "example/2026/4", "example/2026/5")
    missed = _missed(plans, "2026-07-20", "2026-07-20")
    assert ("局运输管理股", "2026-Q1") in missed
    run(plans, "2026-08-20", "assign", "example/2026/4", "example/2026/5", "--remove", "局运输管理股", "--add-lead", "局办公室")
    assert reports(plans, "2026-07-20", "2026-08-20", "example/2026/4", "example/2026/5") == made
    assert ("局运输管理股", "2026-Q1") in _missed(plans, "2026-08-20", "2026-08-20")
    it = item(plans, "5")
    assert it["lead"] == ["县公路事业发展中心", "局办公室"]
    assert it["assigned"] == [{"date": it["assigned"][0]["date"], "lead": ["局运输管理股", "县公路事业发展中心"], "assist": ["局办公室"]}]
    assert "局运输管理股" not in run(plans, "2026-08-20", "--as-of", "2026-08-20", "show", "example/2026/5")


def test_an_assignment_before_the_plan_is_issued_writes_only_the_names(plans: Path) -> None:
    before = (plans / "example/2026.yaml").read_text(encoding="utf-8")
    run(plans, "2026-02-20", "assign", "example/2026/8", "--add-assist", "局财务股")
    after = (plans / "example/2026.yaml").read_text(encoding="utf-8")
    assert "assigned" not in after and len(after.splitlines()) == len(before.splitlines())


def test_a_summary_written_again_or_back_dated_keeps_what_earlier_reports_showed(plans: Path) -> None:
    """Item 9's 落实情况 is written on 06-01 and reported on 07-01; on 08-01 it is written again and on 08-02
    a third text is entered dated 06-15.  The reports of 07-01 still show the first text; from 08-02 the third."""
    run(plans, "2026-06-01", "summary", "example/2026/9", "第一稿：公开建议提案复文21件。")
    made = reports(plans, "2026-07-01", "2026-07-01", "example/2026/9")
    assert "第一稿" in made["report"]
    run(plans, "2026-08-01", "summary", "example/2026/9", "第二稿：公开复文21件，涉及公共利益的全部公开。")
    run(plans, "2026-08-02", "summary", "example/2026/9", "第三稿：6月15日已全部公开。", "--date", "2026-06-15")
    assert reports(plans, "2026-07-01", "2026-08-02", "example/2026/9") == made
    assert "第二稿" in run(plans, "2026-08-02", "--as-of", "2026-08-01", "report", "2026", "--unit", "example", "-f", "md")
    assert "第三稿" in run(plans, "2026-08-02", "--as-of", "2026-08-02", "report", "2026", "--unit", "example", "-f", "md")
    it = item(plans, "9")
    first, second = "第一稿：公开建议提案复文21件。", "第二稿：公开复文21件，涉及公共利益的全部公开。"
    assert [v["text"] for v in it["summary_history"]] == [first, second]
    assert (it["summary_date"].isoformat(), it["summary_recorded"].isoformat()) == ("2026-06-15", "2026-08-02")


def test_items_merged_in_by_an_import_are_not_in_reports_before_it(tmp_path: Path) -> None:
    """The 2025 tasks are carried into 2026 on 01-05; the 2026 要点 (印发 02-20) is imported on 03-07 and
    merged into that file.  The reports of 03-01 held the carried tasks alone, and re-made later they still
    do; from 03-07 the document's items are there too."""
    root = tmp_path / "plans"
    run(root, "2025-02-20", "init", "demo", "--name", "示范县交通运输局")
    run(root, "2025-02-20", "import", str(YEAR / "要点.txt"), "--unit", "demo", "--issued", "2025-02-20")
    run(root, "2026-01-05", "review", "2025", "--unit", "demo", "--carry-over", "--deadline", "2026年6月底前")
    source = tmp_path / "要点2026.txt"
    source.write_text((YEAR / "要点.txt").read_text(encoding="utf-8").replace("2025", "2026"), encoding="utf-8")
    shows = ("list", "--year", "2026"), ("status", "--year", "2026", "--by", "dept"), ("overdue", "--year", "2026")
    made = [run(root, "2026-03-01", "--as-of", "2026-03-01", *args) for args in shows]
    run(root, "2026-03-07", "import", str(source), "--unit", "demo", "--issued", "2026-02-20")
    assert [run(root, "2026-03-08", "--as-of", "2026-03-01", *args) for args in shows] == made
    assert "demo/2026/2025-1 " in made[0] and "demo/2026/1 " not in made[0]
    assert "demo/2026/1 " in run(root, "2026-03-08", "--as-of", "2026-03-07", "list", "--year", "2026")
    data = yaml.safe_load((root / "demo" / "2026.yaml").read_text(encoding="utf-8"))
    items = [it for sec in data["sections"] for it in sec["items"]]
    assert {str(it.get("added")) for it in items if "carried_from" not in it} == {"2026-03-07"}
    assert all("added" not in it for it in items if "carried_from" in it)


def test_tasks_carried_into_a_plan_in_force_are_not_in_reports_before_the_carry_over(tmp_path: Path) -> None:
    """The 2026 要点 is imported first (印发 02-20); the 2025 tasks are carried into it on 03-05.  A carried item
    exists from its carry-over note, so no ``added`` is written and the reports of 03-01 stay as they were."""
    root = tmp_path / "plans"
    run(root, "2025-02-20", "init", "demo", "--name", "示范县交通运输局")
    run(root, "2025-02-20", "import", str(YEAR / "要点.txt"), "--unit", "demo", "--issued", "2025-02-20")
    source = tmp_path / "要点2026.txt"
    source.write_text((YEAR / "要点.txt").read_text(encoding="utf-8").replace("2025", "2026"), encoding="utf-8")
    run(root, "2026-02-25", "import", str(source), "--unit", "demo", "--issued", "2026-02-20")
    shows = ("list", "--year", "2026"), ("status", "--by", "dept"), ("review", "2025", "-f", "md")
    made = [run(root, "2026-03-01", "--as-of", "2026-03-01", *args) for args in shows]
    run(root, "2026-03-05", "review", "2025", "--unit", "demo", "--carry-over", "--deadline", "2026年6月底前")
    assert [run(root, "2026-03-06", "--as-of", "2026-03-01", *args) for args in shows] == made
    assert "demo/2026/2025-1 " in run(root, "2026-03-06", "--as-of", "2026-03-05", "list", "--year", "2026")
    assert "added:" not in (root / "demo" / "2026.yaml").read_text(encoding="utf-8")


def test_check_flags_a_day_of_entry_later_than_its_day(plans: Path) -> None:
    """The days ggk writes when it records a change (assigned, deadline_set, recorded …) are days that have
    passed: a file that says one is still to come was typed by hand or checked for the wrong day."""
    run(plans, "2026-11-25", "assign", "example/2026/4", "--remove", "局运输管理股", "--add-lead", "局办公室")
    run(plans, "2026-11-26", "note", "example/2026/8", "补记", "--date", "2026-11-22", "--by", "局办公室")
    assert "GGK207" not in run(plans, "2026-11-26", "--as-of", "2026-11-26", "check", str(plans))
    res = CliRunner().invoke(app, ["--plans", str(plans), "--as-of", "2026-11-24", "check", str(plans)])
    assert res.exit_code == 1
    assert "条目 4 的分工调整日期 2026-11-25 晚于当前日期 2026-11-24" in res.stdout
    res = CliRunner().invoke(app, ["--plans", str(plans), "--as-of", "2026-11-25", "check", str(plans)])
    assert "条目 8 的进展记录登记日期 2026-11-26 晚于当前日期 2026-11-25" in res.stdout
    assert "分工调整日期" not in res.stdout
