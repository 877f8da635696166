"""The office's loop over a quarter and a half, through the CLI on a copy of the example unit: forms out,
returns in (on time and late), 迟报/漏报 under ``ggk status``, the 催报 notice, 督办单 issued and
numbered, answered on time, late or not at all; golden files at two dates, unchanged when the later
events are recorded (``--as-of`` is a true snapshot), and the counts in the 回头看 and the
annual-report section."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_returns import ggk, returned
from tests.test_review import assert_golden

DATES = ("2026-10-31", "2026-12-10")


@pytest.fixture()
def plans(example_unit: Path) -> Path:
    return example_unit


def snapshot(plans: Path, day: str) -> str:
    """What the golden files hold for ``day``: 迟报/漏报 (under ggk status) and the 督办 register."""
    status = ggk(plans, "status", "-u", "example", as_of=day).stdout
    register = ggk(plans, "notice", "--list", "-u", "example", "-f", "md", as_of=day).stdout
    return f"$ ggk --as-of {day} status -u example\n\n{status}\n$ ggk --as-of {day} notice --list -u example\n\n{register}"


def test_a_quarter_of_returns_and_notices(plans: Path, tmp_path: Path) -> None:
    forms = tmp_path / "forms"
    ggk(plans, "form", "-u", "example", "-o", str(forms), as_of="2026-10-09")
    office = returned(forms, tmp_path, "局办公室", example_2026_8={"本期进展情况": "回应网民关切12条"})
    finance = returned(forms, tmp_path, "局财务股")  # returned empty: nothing new this quarter, still reported
    ggk(plans, "intake", str(office), str(finance), as_of="2026-10-12")
    planning = returned(forms, tmp_path, "局规划建设股", example_2026_2={"本期进展情况": "公开第三季度在建项目进展"})
    res = ggk(plans, "intake", str(planning), as_of="2026-10-20")  # after the due day: 迟报
    # progress recorded in the quarter counts as reported too (政策法规股 09-15, 执法大队 09-28, 公路中心 08-03)
    assert "2026年第三季度尚未报送（截止 2026-10-13）：局运输管理股、局政务公开领导小组" in res.stdout

    remind = ggk(plans, "notice", "--remind", "-u", "example", "-f", "md", as_of="2026-10-20").stdout
    assert remind.startswith("# 关于报送2026年第三季度政务公开工作要点落实进展的催报通知")
    assert "报送截止日期已过。截至2026年10月20日，以下2个部门尚未报送" in remind
    assert "| 1 | 局运输管理股 | 2 | 2 |" in remind and "| 2 | 局政务公开领导小组 | 1 | 0 |" in remind
    assert "请以上部门于2026年10月23日前填写进展报送表" in remind
    early = snapshot(plans, DATES[0])

    # 督办单: numbered when issued; the same day's re-issue keeps the number
    first = ggk(plans, "notice", "局办公室", "-u", "example", "--issue", "--contact", "李明", "--phone", "0878-1234567", as_of="2026-11-21")
    assert "编号：督〔2026〕1号" in first.stdout and "联系人：李明　　联系电话：0878-1234567" in first.stdout
    assert "签收人：" in first.stdout
    register = plans / "example" / "register.yaml"
    before = register.read_bytes()
    again = ggk(plans, "notice", "局办公室", "-u", "example", "--issue", as_of="2026-11-21")
    assert "编号：督〔2026〕1号" in again.stdout and register.read_bytes() == before
    preview = ggk(plans, "notice", "局办公室", "-u", "example", as_of="2026-11-21")  # not issued: shows its number
    assert "编号：督〔2026〕1号" in preview.stdout
    assert "编号：督〔2026〕　　号" in ggk(plans, "notice", "局办公室", "-u", "example", as_of="2026-11-20").stdout
    ggk(plans, "notice", "局财务股", "-u", "example", "--within", "30", "--issue", as_of="2026-11-21")
    third = ggk(plans, "notice", "规划股", "-u", "example", "--issue", as_of="2026-11-22")
    assert "编号：督〔2026〕3号" in third.stdout
    nothing = ggk(plans, "notice", "局政务公开领导小组", "-u", "example", "--issue", as_of="2026-11-22")
    assert "未签发、未登记" in nothing.stderr and "督〔2026〕4号" not in register.read_text(encoding="utf-8")
    # replies: 局办公室 on time, 局财务股 late, 局规划建设股 never
    ggk(plans, "note", "example/2026/11", "指南修订稿已送审", "--by", "办公室", as_of="2026-11-24")
    ggk(plans, "note", "example/2026/11", "配合修订公开目录（财务类）", "--by", "财务股", as_of="2026-12-02")
    late = snapshot(plans, DATES[1])

    assert snapshot(plans, DATES[0]) == early  # later records do not change the past
    assert_golden(f"returns_example_{DATES[0]}.md", early)
    assert_golden(f"returns_example_{DATES[1]}.md", late)

    listed = json.loads(ggk(plans, "notice", "--list", "-u", "example", "-f", "json", as_of="2026-12-10").stdout)
    assert listed["counts"] == {"issued": 3, "on_time": 1, "late": 1, "unanswered": 1, "waiting": 0}
    assert [n["state"] for n in listed["notices"]] == ["按期反馈", "逾期反馈", "逾期未反馈"]
    assert ggk(plans, "notice", "--list", "-u", "example", "--fail", as_of="2026-12-10", code=1)
    at_issue = json.loads(ggk(plans, "notice", "--list", "-u", "example", "-f", "json", as_of="2026-11-21").stdout)
    assert at_issue["counts"] == {"issued": 2, "on_time": 0, "late": 0, "unanswered": 0, "waiting": 2}

    review = json.loads(ggk(plans, "review", "2026", "-u", "example", "-f", "json", as_of="2026-12-31").stdout)
    assert review["plans"][0]["supervision"] == listed["counts"]
    review_md = ggk(plans, "review", "2026", "-u", "example", "-f", "md", as_of="2026-12-31").stdout
    assert "督办：2026年签发督办单3份，按期反馈1份、逾期反馈1份、逾期未反馈1份。" in review_md
    annual = ggk(plans, "report", "2026", "-u", "example", as_of="2026-12-31").stdout
    assert annual.rstrip().endswith("2026年共签发督办单3份，按期反馈1份、逾期反馈1份、逾期未反馈1份。")
    before_issue = ggk(plans, "report", "2026", "-u", "example", as_of="2026-11-20").stdout
    assert "督办单" not in before_issue

    # one sequence per calendar year
    new_year = ggk(plans, "notice", "局办公室", "-u", "example", "--issue", as_of="2027-01-05")
    assert "编号：督〔2027〕1号" in new_year.stdout
    ggk(plans, "check", str(plans), as_of="2027-01-05")


def test_notice_options_are_checked(plans: Path) -> None:
    assert "请给出部门名称" in ggk(plans, "notice", code=2).stderr
    assert "--list 不用给部门名称" in ggk(plans, "notice", "局办公室", "--list", code=2).stderr
    assert "不能同时使用" in ggk(plans, "notice", "--list", "--remind", code=2).stderr
    assert "--period 只用于 --remind" in ggk(plans, "notice", "局办公室", "--period", "2026-Q3", code=2).stderr
    bad = plans / "example" / "register.yaml"
    bad.write_text("format: 1\nunit: example\nnotices:\n  - no: 督〔2026〕1号\n    date: 2026-13-01\n", encoding="utf-8")
    res = ggk(plans, "notice", "--list", "-u", "example", code=2)
    assert "register.yaml:5:" in res.stderr


def test_status_json_and_overdue_reports(plans: Path) -> None:
    data = json.loads(ggk(plans, "status", "-u", "example", "-f", "json", as_of="2026-11-21").stdout)
    rep = data["reporting"]
    assert rep["settings"] == ["每季度报送，期末后5个工作日内"]
    by = {d["dept"]: d for d in rep["departments"]}
    assert by["局财务股"]["missing"] == 1 and by["局财务股"]["periods"][-1] == {
        "period": "2026-Q3",
        "label": "2026年第三季度",
        "due": "2026-10-13",
        "state": "漏报",
        "reported": None,
    }
    assert by["局办公室"]["missing"] == 0
    assert "reporting" not in json.loads(ggk(plans, "status", "--no-reports", "-f", "json", as_of="2026-11-21").stdout)
    plain = ggk(plans, "overdue", "-u", "example", as_of="2026-11-21").stdout
    assert "报送情况" not in plain
    with_reports = ggk(plans, "overdue", "-u", "example", "--reports", "-d", "财务股", as_of="2026-11-21").stdout
    assert "报送情况（每季度报送，期末后5个工作日内）：迟报 0 期次，漏报 1 期次" in with_reports
    assert "  局财务股：漏报 2026年第三季度" in with_reports


def test_the_readme_walk_through(plans: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The office's loop in the README runs as written (in order, forms filled in between)."""
    import glob
    import shlex

    from tests.test_readme_examples import _block_after

    monkeypatch.chdir(tmp_path)
    lines = _block_after("### 报送、催报和督办")
    assert [line.split()[3] if line.startswith("ggk --as-of") else line.split()[1] for line in lines] == [
        "form",
        "form",
        "intake",
        "intake",
        "status",
        "notice",
        "notice",
        "notice",
    ]
    for line in lines:
        if " intake " in line and not (tmp_path / "收到的").exists():
            (tmp_path / "收到的").mkdir()
            returned(tmp_path / "报送表", tmp_path / "收到的", "局办公室", example_2026_8={"本期进展情况": "回应网民关切12条"})
            returned(tmp_path / "报送表", tmp_path / "收到的", "局财务股")
        args = [a for part in shlex.split(line)[1:] for a in (sorted(glob.glob(part)) if "*" in part else [part])]
        res = ggk(plans, *args, as_of="2026-11-21")
        assert res.exit_code == 0, (line, res.output)
    assert (tmp_path / "报送表" / "局财务股-2026-Q3.docx").exists()
    assert (tmp_path / "催报通知.docx").exists() and (tmp_path / "督办单.docx").exists()
    assert "督〔2026〕1号" in (plans / "example" / "register.yaml").read_text(encoding="utf-8")


def test_a_broken_register(plans: Path, tmp_path: Path) -> None:
    """status still reports (and says which register it could not read); intake refuses before writing."""
    forms = tmp_path / "forms"
    ggk(plans, "form", "局财务股", "-o", str(forms), as_of="2026-10-09")
    back = returned(forms, tmp_path, "局财务股", example_2026_2={"本期进展情况": "配合公开"})
    (plans / "example" / "register.yaml").write_text("format: 1\nunit: example\nreturns: [oops\n", encoding="utf-8")
    res = ggk(plans, "status", "-u", "example", as_of="2026-10-20")
    assert "注意：登记簿无法读取：" in res.stdout and "register.yaml:4:1: YAML 语法错误" in res.stdout
    before = (plans / "example" / "2026.yaml").read_bytes()
    res = ggk(plans, "intake", str(back), as_of="2026-10-12", code=2)
    assert "登记簿无法读取" in res.stderr
    assert (plans / "example" / "2026.yaml").read_bytes() == before


def test_only_a_departments_own_word_counts(plans: Path) -> None:
    """QA finding 2: what ggk writes itself (the carry-over's log entries) and what the office records or
    decides without naming a department (``update --status 已取消 --reason`` or ``note`` without
    ``--by``) is nobody's report and nobody's reply to a 督办单; an entry ``--by`` the department is."""

    def q3(dept: str, day: str) -> str:
        data = json.loads(ggk(plans, "status", "-u", "example", "-f", "json", as_of=day).stdout)
        by = {d["dept"]: d for d in data["reporting"]["departments"]}
        return next(p["state"] for p in by[dept]["periods"] if p["period"] == "2026-Q3")

    # neither 局政务公开领导小组 (item 16) nor 局运输管理股 (items 4, 5) has reported the third quarter (due 10-13)
    ggk(plans, "update", "example/2026/16", "--status", "已取消", "--reason", "并入第7项办理", as_of="2026-10-09")
    assert q3("局政务公开领导小组", "2026-10-20") == "漏报"
    ggk(plans, "note", "example/2026/4", "办公室电话询问，尚无新的行政决定", as_of="2026-10-10")
    assert q3("局运输管理股", "2026-10-11") == "待报"
    ggk(plans, "note", "example/2026/4", "本季度无新的行政决定", "--by", "运管股", as_of="2026-10-12")
    assert q3("局运输管理股", "2026-10-20") == "按时"

    # a 督办单 to 局规划建设股, never answered; then the carry-over writes on its items
    issued = ggk(plans, "notice", "规划股", "-u", "example", "--issue", as_of="2026-11-22").stdout
    assert "编号：督〔2026〕1号" in issued
    ggk(plans, "review", "2026", "-u", "example", "--carry-over", as_of="2026-12-31")
    assert "结转至2027年计划" in (plans / "example" / "2026.yaml").read_text(encoding="utf-8")
    listed = json.loads(ggk(plans, "notice", "--list", "-u", "example", "-f", "json", as_of="2026-12-31").stdout)
    assert [(n["dept"], n["state"], n["replied"]) for n in listed["notices"]] == [("局规划建设股", "逾期未反馈", None)]
    review_md = ggk(plans, "review", "2026", "-u", "example", "-f", "md", as_of="2026-12-31").stdout
    assert "督办：2026年签发督办单1份，逾期未反馈1份。" in review_md


def test_issue_dry_run_shows_the_register_diff_and_writes_nothing(plans: Path) -> None:
    """``notice --issue --dry-run``: the diff of register.yaml (a new file: every line), nothing written;
    the same for the next notice once the register exists; usage errors without --issue or with -o."""
    register = plans / "example" / "register.yaml"
    res = ggk(plans, "notice", "局办公室", "-u", "example", "--issue", "--dry-run", as_of="2026-11-21")
    assert not register.exists()
    assert "（预演）将登记 督〔2026〕1号" in res.stderr
    assert '+  - "no": 督〔2026〕1号' in res.stdout and "+    dept: 局办公室" in res.stdout and "督办通知单" not in res.stdout
    ggk(plans, "notice", "局办公室", "-u", "example", "--issue", as_of="2026-11-21")
    assert "    dept: 局办公室\n" in register.read_text(encoding="utf-8")
    before = register.read_bytes()
    same = ggk(plans, "notice", "局办公室", "-u", "example", "--issue", "-n", as_of="2026-11-21")
    assert same.stdout == "" and "督〔2026〕1号 已登记，登记簿不变" in same.stderr
    other = ggk(plans, "notice", "局财务股", "-u", "example", "--within", "30", "--issue", "-n", as_of="2026-11-21")
    assert '+  - "no": 督〔2026〕2号' in other.stdout and "--- a/" in other.stdout
    assert register.read_bytes() == before
    assert "--dry-run 只用于 --issue" in ggk(plans, "notice", "局办公室", "--dry-run", code=2).stderr
    assert "不能同时使用" in ggk(plans, "notice", "局办公室", "--issue", "-n", "-o", str(plans / "x.md"), code=2).stderr


def test_a_reply_entered_later_replied_when_it_was_entered(plans: Path) -> None:
    """A 督办单 of 11-23 to 局规划建设股 (reply by 11-27); its answer is entered on 12-07, dated 11-25 (when
    the work was done).  ggk knows of the answer from 12-07: 逾期反馈 on that day, and the register as of
    11-30, re-made after it, is what it was on 11-30 (逾期未反馈); likewise 迟报/漏报 under status."""
    ggk(plans, "notice", "规划股", "-u", "example", "--issue", "--reply-by", "2026-11-27", as_of="2026-11-23")
    before = ggk(plans, "notice", "--list", "-u", "example", "-f", "json", as_of="2026-11-30").stdout
    status = ggk(plans, "status", "-u", "example", "-f", "json", as_of="2026-11-30").stdout
    ggk(plans, "note", "example/2026/2", "公开10月在建项目进展", "--by", "规划股", "--date", "2026-11-25", as_of="2026-12-07")
    assert ggk(plans, "notice", "--list", "-u", "example", "-f", "json", as_of="2026-11-30").stdout == before
    assert ggk(plans, "status", "-u", "example", "-f", "json", as_of="2026-11-30").stdout == status
    assert '"state": "逾期未反馈"' in before
    listed = json.loads(ggk(plans, "notice", "--list", "-u", "example", "-f", "json", as_of="2026-12-07").stdout)
    assert [(n["dept"], n["state"], n["replied"]) for n in listed["notices"]] == [("局规划建设股", "逾期反馈", "2026-12-07")]
