"""``ggk date add`` / ``ggk date workday`` through a Typer app that mounts ggk.cli.date_cmd."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from ggk.cli.date_cmd import app as date_app

root = typer.Typer()
root.add_typer(date_app, name="date")
runner = CliRunner()

HOLIDAYS_2030 = (
    "format: 1\nyear: 2030\nnotice: 国办发明电〔2029〕99号（测试用虚构通知）\n"
    "holidays:\n  - {name: 国庆节, start: 2030-10-01, end: 2030-10-07}\n"
    "workdays:\n  - {date: 2030-09-29, name: 国庆节}\n  - {date: 2030-10-12, name: 国庆节}\n"
)


@pytest.fixture(autouse=True)
def _plans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    plans = tmp_path / "plans"
    (plans / "_holidays").mkdir(parents=True)
    monkeypatch.setenv("GGK_PLANS", str(plans))
    return plans


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(root, ["date", *args])


@pytest.mark.parametrize("amount", ["7工作日", "7个工作日", "七个工作日"])
def test_add_workdays_across_national_day(amount: str) -> None:
    result = run("add", "2021-09-29", amount)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "2021-10-14（星期四）"
    assert "  2021-10-01 至 2021-10-07：国庆节放假" in lines
    assert "  2021-10-09：调休上班（国庆节）" in lines
    assert "警告" not in result.output


def test_add_calendar_days() -> None:
    result = run("add", "2021-09-29", "3天")
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "2021-10-02（星期六）"


def test_workday_make_up_day() -> None:
    result = run("workday", "2021-10-09")
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "2021-10-09（星期六）：工作日，调休上班（国庆节）"
    assert "chinesecalendar" in result.output


def test_workday_holiday_and_weekend() -> None:
    assert run("workday", "2021-10-04").output.startswith("2021-10-04（星期一）：休息日，国庆节放假")
    assert run("workday", "2021-10-10").output.startswith("2021-10-10（星期日）：休息日，周末")


def test_uncovered_year_warns_and_file_fixes_it(_plans: Path) -> None:
    result = run("workday", "2030-10-02")
    assert result.exit_code == 0
    assert "仅按周末" in result.output and "警告" in result.output and "2030.yaml" in result.output
    (_plans / "_holidays" / "2030.yaml").write_text(HOLIDAYS_2030, encoding="utf-8")
    result = run("workday", "2030-10-02")
    assert result.output.splitlines()[0] == "2030-10-02（星期三）：休息日，国庆节放假"
    assert "国办发明电〔2029〕99号" in result.output and "警告" not in result.output
    assert run("add", "2030-09-27", "3工作日").output.splitlines()[0] == "2030-10-08（星期二）"


def test_holidays_option(tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "2030.yaml").write_text(HOLIDAYS_2030, encoding="utf-8")
    result = run("workday", "2030-10-02", "--holidays", str(other))
    assert "国庆节放假" in result.output
    missing = run("workday", "2030-10-02", "--holidays", str(tmp_path / "nope"))
    assert missing.exit_code == 2 and "不存在" in missing.output


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("add", "2021-13-01", "3天"), "月份 13 不对"),
        (("add", "2021-02-30", "3天"), "2021年2月没有30日"),
        (("add", "2021-09-29", "3周"), "看不懂时长"),
        (("workday", "明天"), "看不懂日期"),
    ],
)
def test_usage_errors_exit_2_in_chinese(args: tuple[str, ...], needle: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert needle in result.output and "Traceback" not in result.output


def test_help_texts() -> None:
    assert "工作日" in run("--help").output
    for command in ("add", "workday"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "--holidays" in result.output
