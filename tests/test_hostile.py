"""Issue 17 and issue 14 §3: hostile plan text never acts in an output, one bad file never stops the
rest (each is a diagnostic with file:line and a code), reports that would leave a file out say so
loudly, and ``ggk check`` says what to type instead of an IME slip.

The hostile inputs are in ``tests/data/hostile/`` (see its README); FIFOs, device links, unreadable
folders and deep files are built here."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ggk.cli.app import app
from ggk.render.safe import CONTROL, formula_like, md_text, sheet_text, visible
from tests.builders import office_program
from tests.conftest import PLANS, ROOT

HOSTILE = ROOT / "tests" / "data" / "hostile"
TODAY = "2026-11-21"


def data(*parts: str) -> Path:
    path = HOSTILE.joinpath(*parts)
    assert path.exists(), f"test data missing: {path}"
    return path


def run(runner: CliRunner, plans: Path, *args: str) -> Any:
    result = runner.invoke(app, ["--plans", str(plans), "--as-of", TODAY, *args])
    assert "内部错误" not in result.output, result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    return result


# ============================================================================ outputs that carry user text

#: Every text output that carries plan text (command, then what it is called by).
TEXT_OUTPUTS = [
    ["status"],
    ["status", "--by", "dept"],
    ["status", "--by", "section", "-f", "json"],
    ["status", "--by", "dept", "-f", "csv"],
    ["overdue"],
    ["overdue", "-f", "json"],
    ["overdue", "-f", "csv"],
    ["list"],
    ["list", "-f", "json"],
    ["list", "-f", "csv"],
    ["show", "evil/2026/1"],
    ["show", "evil/2026/3", "-f", "json"],
    ["show", "evil/2026/1", "-f", "csv"],
    ["check"],
    ["check", "-f", "json"],
    ["check", "-f", "github"],
    ["check", "-f", "csv"],
    ["check", "-f", "gitlab"],
    ["check", "-f", "junit"],
    ["review", "2026"],
    ["review", "2026", "-f", "md"],
    ["report", "2026"],
    ["report", "2026", "-f", "html"],
    ["notice", "@SUM(1,1)", "-f", "md"],
    ["notice", "\x1b]0;窗口标题\x07办公室", "-f", "md"],
    ["calendar"],
]


@pytest.fixture(scope="module")
def evil() -> Path:
    return data("text")


@pytest.mark.parametrize("args", TEXT_OUTPUTS, ids=lambda a: " ".join(a).encode("unicode_escape").decode())
def test_no_control_character_reaches_an_output(evil: Path, args: list[str]) -> None:
    result = run(CliRunner(), evil, *args)
    assert result.exit_code in (0, 1), result.output
    for stream in (result.stdout, result.stderr):
        raw = CONTROL.findall(stream.removeprefix("\ufeff"))  # (a CSV starts with a BOM for Excel)
        assert not raw, (args, raw[:5])
    # what was there is shown, escaped, wherever the field appears
    if args[0] not in ("check", "calendar") and "json" not in args:
        assert "\\x1b" in result.stdout or "\\u202e" in result.stdout, result.stdout[:400]


def test_rich_markup_in_plan_text_is_printed_literally(evil: Path) -> None:
    result = run(CliRunner(), evil, "show", "evil/2026/1")
    assert result.exit_code == 0
    out = result.stdout
    assert "[/zwgk/jyta/]" in out  # a MarkupError before
    assert "[bold]粗体[/bold]" in out  # vanished before
    assert "[link=https://evil.example]点击[/link]" in out  # a terminal hyperlink before


def test_colour_terminal_output_holds_only_rich_colour_codes(evil: Path) -> None:
    """In a terminal (colour on) the only escape sequences are rich's own colour codes."""
    import datetime as dt

    from ggk.ledger.queries import Filters, ItemDetail, ItemsReport, resolve_ref, select, status_report
    from ggk.ledger.review import review
    from ggk.render import Options
    from ggk.render.table import TableRenderer
    from ggk.workspace.session import open_workspace

    day = dt.date(2026, 11, 21)
    session = open_workspace([evil], day, use_cache=False)
    rows = select(session.ws, day, Filters((), (), (), (), False))
    reports = [
        status_report(session.ws, rows, day, "dept", 15),
        ItemsReport(day, "条目", rows),
        ItemsReport(day, "逾期条目", [r for r in rows if r.overdue_days is not None], grouped=True),
        ItemDetail(day, resolve_ref(session.ws, "evil/2026/1", day)),
        review(session.ws, 2026, day),
    ]
    sgr = re.compile(r"\x1b\[[0-9;]*m")
    for report in reports:
        out = TableRenderer(Options(color=True, width=160)).render(report)
        assert sgr.search(out), type(report).__name__  # coloured indeed
        rest = sgr.sub("", out)
        assert not CONTROL.search(rest), (type(report).__name__, CONTROL.findall(rest)[:5])
        assert "\x1b]8" not in out and "\x1b[2J" not in out


def test_csv_cells_never_start_a_formula(evil: Path) -> None:
    for args in (
        ["list", "-f", "csv"],
        ["overdue", "-f", "csv"],
        ["show", "evil/2026/1", "-f", "csv"],
        ["status", "--by", "dept", "-f", "csv"],
    ):
        out = run(CliRunner(), evil, *args).stdout.lstrip("\ufeff")
        cells = [c for row in csv.reader(io.StringIO(out)) for c in row]
        assert any(c.startswith("'=HYPERLINK") for c in cells) or args[0] == "status" and any(c.startswith("'=") for c in cells), args
        for c in cells:
            assert not formula_like(c), (args, c)


def test_sheet_text_and_md_text_rules() -> None:
    for text in ("=1+1", "+1", "-1", "@SUM(1)", "\t=1", "\r=1", " =1", "\u3000=1", "\x00=1"):
        assert sheet_text(text).startswith("'"), text
    assert sheet_text("普通文字") == "普通文字" and sheet_text("a=b") == "a=b"
    assert sheet_text("=\x1b[2J") == "'=\\x1b[2J"
    assert md_text("<script>alert(1)</script> [x](javascript:alert(1))") == "＜script＞alert(1)＜/script＞ ［x］(javascript:alert(1))"
    assert visible("a\x1b[2Jb\u202ec\td\ne\ufeff") == "a\\x1b[2Jb\\u202ec\td\ne\\ufeff"


def test_xlsx_cells_are_strings_never_formulas(evil: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "台账.xlsx"
    result = run(CliRunner(), evil, "report", "2026", "-f", "xlsx", "-o", str(out))
    assert result.exit_code == 0, result.output  # an IllegalCharacterError before
    wb = load_workbook(out)
    seen = 0
    for ws in wb.worksheets:
        assert ws["A1"].data_type == "s" and ws["A1"].quotePrefix, ws.title  # the title starts with =HYPERLINK
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not CONTROL.search(cell.value), (ws.title, cell.coordinate)
                    if formula_like(cell.value):
                        assert cell.data_type == "s" and cell.quotePrefix, (ws.title, cell.coordinate, cell.value)
                        seen += 1
    assert seen >= 10  # titles, departments, phrases: every sheet has some


def test_libreoffice_shows_the_formula_text_not_its_result(evil: Path, tmp_path: Path) -> None:
    """What a spreadsheet program makes of the file: the cell shows =HYPERLINK(…) as typed."""
    office_program("soffice")
    out = tmp_path / "ledger.xlsx"
    assert run(CliRunner(), evil, "report", "2026", "-f", "xlsx", "-o", str(out)).exit_code == 0
    env = {**os.environ, "HOME": str(tmp_path)}  # a profile of its own
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path), str(out)],
        check=True,
        capture_output=True,
        timeout=180,
        env=env,
    )
    text = (tmp_path / "ledger.csv").read_text(encoding="utf-8")
    # the cells as typed (a live formula would show 点击, and +1+1 would show 2)
    assert '"=HYPERLINK(""http://evil.example/?i"",""点击"")"' in text
    assert ",+1+1\\x1b[2J," in text and ",-2+3" in text


def test_docx_documents_never_fail_on_control_characters(evil: Path, tmp_path: Path) -> None:
    from docx import Document

    for args in (["report", "2026", "-f", "docx"], ["review", "2026", "-f", "docx"], ["notice", "@SUM(1,1)", "-f", "docx"]):
        out = tmp_path / f"{args[0]}.docx"
        result = run(CliRunner(), evil, *args, "-o", str(out))
        assert result.exit_code == 0, (args, result.output)  # a ValueError before
        doc = Document(str(out))
        text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
        assert not CONTROL.search(text), args
        assert "\\x1b" in text or "\\u202e" in text, args


def test_markdown_documents_carry_no_html_or_links(evil: Path) -> None:
    for args in (["review", "2026", "-f", "md"], ["report", "2026"], ["notice", "@SUM(1,1)", "-f", "md"]):
        out = run(CliRunner(), evil, *args).stdout
        for bad in ("<script", "<img", "](javascript", "[x]("):
            assert bad not in out, (args, bad)
        assert "＜" in out or "［" in out, args  # shown in full-width form, readable when pasted


def test_json_is_the_same_data_with_escaped_controls(evil: Path) -> None:
    out = run(CliRunner(), evil, "show", "evil/2026/1", "-f", "json").stdout
    assert not CONTROL.search(out)
    data = json.loads(out)
    assert "\x1b[2J" in data["log"][0]["note"]  # a program still gets the text as it is in the file


def test_messages_quoting_plan_text_are_escaped(evil: Path) -> None:
    result = run(CliRunner(), evil, "show", "evil/2026/\x1b]0;x\x07")
    assert result.exit_code == 2 and not CONTROL.search(result.output) and "\\x1b" in result.output


# ============================================================================ one bad file never stops the rest

#: file in tests/data/hostile/files -> (name it is copied to, code, line, left out of reports)
BAD_FILES = {
    "year-20211.yaml": ("2026.yaml", "GGK102", 3, True),
    "year-0.yaml": ("2026.yaml", "GGK102", 3, True),
    "year-true.yaml": ("2026.yaml", "GGK102", 3, True),
    "year-9999.yaml": ("9999.yaml", "GGK102", 3, True),
    "year-2pow64.yaml": ("2026.yaml", "GGK102", 3, True),
    "format-true.yaml": ("2026.yaml", "GGK106", 1, True),
    "timestamp-tag.yaml": ("2026.yaml", "GGK104", 11, False),
    "binary-tag.yaml": ("2026.yaml", "GGK001", 9, False),
    "custom-tag-mapping.yaml": ("2026.yaml", "GGK001", 6, False),
    "custom-tag-list.yaml": ("2026.yaml", "GGK001", 10, False),
    "empty-id.yaml": ("2026.yaml", "GGK102", 8, True),
    "invalid-date.yaml": ("2026.yaml", "GGK104", 11, False),
    "unit-300.yaml": ("2026.yaml", "GGK102", 2, True),
    "count-2pow64.yaml": ("2026.yaml", "GGK102", 11, True),
    "workdays-2pow64.yaml": ("2026.yaml", "GGK102", 11, True),
    "only-null.yaml": ("2026.yaml", "GGK003", 1, True),
    "only-tilde.yaml": ("2026.yaml", "GGK003", 1, True),
    "only-dashes.yaml": ("2026.yaml", "GGK003", 1, True),
}

REPORTS = [
    ["status"],
    ["overdue", "--fail"],
    ["list"],
    ["show", "example/2026/1"],
    ["review", "2026", "-u", "example"],
    ["report", "2026", "-u", "example"],
    ["notice", "局办公室", "-u", "example", "-f", "md"],
    ["calendar", "-u", "example"],
]


def workspace_with(tmp_path: Path, name: str | None = None, text: bytes | None = None) -> Path:
    """The bundled example unit, and a unit ``bad`` (same registry) holding ``name`` with ``text``."""
    plans = tmp_path / "plans"
    shutil.copytree(PLANS / "example", plans / "example")
    (plans / "bad").mkdir()
    shutil.copy(PLANS / "example" / "unit.yaml", plans / "bad" / "unit.yaml")
    if name is not None and text is not None:
        (plans / "bad" / name).write_bytes(text)
    return plans


def diagnostics(runner: CliRunner, plans: Path, *extra: str) -> list[dict[str, Any]]:
    first = [e for e in extra if e == "--no-cache"]  # a global option: before the command
    result = run(runner, plans, *first, "check", "-f", "json", *[e for e in extra if e != "--no-cache"])
    assert result.exit_code in (0, 1), result.output
    found: list[dict[str, Any]] = json.loads(result.stdout)["diagnostics"]
    return found


def assert_reports_go_on(runner: CliRunner, plans: Path, bad: Path, left_out: bool) -> None:
    """Every report: refused loudly (naming ``bad``) when the file is left out, and with --partial
    the other unit reported; never an internal error."""
    for args in REPORTS:
        result = run(runner, plans, *args)
        if left_out:
            assert result.exit_code == 1 and result.stdout == "", (args, result.output)
            assert str(bad) in result.stderr and "--partial" in result.stderr, (args, result.stderr)
            partial = run(runner, plans, *args, "--partial")
            assert partial.exit_code in (0, 1) and str(bad) in partial.stderr, (args, partial.output)
            assert partial.stdout, args
        else:
            assert result.exit_code in (0, 1), (args, result.output)
            assert result.stdout, args


@pytest.mark.parametrize("source", sorted(BAD_FILES))
def test_a_bad_file_is_a_diagnostic_and_the_rest_is_reported(source: str, tmp_path: Path) -> None:
    name, code, line, left_out = BAD_FILES[source]
    plans = workspace_with(tmp_path, name, data("files", source).read_bytes())
    bad = plans / "bad" / name
    runner = CliRunner()
    for extra in ([], ["--strict"]):
        found = diagnostics(runner, plans, *extra)
        assert any(d["path"] == str(bad) and d["code"] == code and d["line"] == line for d in found), found
    assert_reports_go_on(runner, plans, bad, left_out)
    # and an edit of the other unit goes on
    edit = run(runner, plans, "note", "example/2026/2", "本周进展")
    assert edit.exit_code == 0, edit.output


def special(kind: str, path: Path) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "folder":
        path.mkdir()
        (path / "x.yaml").write_text("a: 1\n", encoding="utf-8")
    elif kind == "dangling":
        path.symlink_to(path.parent / "nowhere.yaml")
    elif kind == "loop":
        path.symlink_to(path.name)


SPECIAL = {
    "fifo": "命名管道",
    "dev-zero": "设备文件",
    "folder": "目录",
    "dangling": "链接指向的文件不存在",
    "loop": "链接形成了循环",
}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.parametrize("kind", sorted(SPECIAL))
def test_a_path_that_is_no_file_is_a_diagnostic(kind: str, tmp_path: Path) -> None:
    """A FIFO, a device, a folder or a broken link named like a plan: said (GGK007), never opened, the
    rest reported.  Run in a child process with a time limit: a FIFO opened would block forever."""
    plans = workspace_with(tmp_path)
    bad = plans / "bad" / "2027.yaml"
    special(kind, bad)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GGK_TODAY": TODAY}
    check = subprocess.run(
        [sys.executable, "-m", "ggk", "--plans", str(plans), "check"], capture_output=True, text=True, timeout=120, env=env
    )
    assert check.returncode == 1, check.stderr
    assert f"{bad}:1:1: 错误[GGK007]" in check.stdout and SPECIAL[kind] in check.stdout
    status = subprocess.run(
        [sys.executable, "-m", "ggk", "--plans", str(plans), "status"], capture_output=True, text=True, timeout=120, env=env
    )
    assert status.returncode == 1 and str(bad) in status.stderr
    if kind in ("fifo", "dev-zero"):  # given as the path itself (a broken link given is "not found", exit 2)
        alone = subprocess.run([sys.executable, "-m", "ggk", "check", str(bad)], capture_output=True, text=True, timeout=120, env=env)
        assert alone.returncode == 1 and f"{bad}:1:1: 错误[GGK007]" in alone.stdout, alone.stdout + alone.stderr


def test_dev_zero_given_as_the_plans_folder(runner: CliRunner) -> None:
    result = run(runner, Path("/dev/zero"), "check")
    assert result.exit_code == 1 and "/dev/zero:1:1: 错误[GGK007]" in result.stdout and "设备文件" in result.stdout


def test_an_unreadable_folder_is_a_diagnostic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plans = workspace_with(tmp_path)
    (plans / "bad" / "2026.yaml").write_bytes(data("files", "only-null.yaml").read_bytes())
    locked = plans / "bad"
    from ggk.workspace import load as loader

    real = loader._scan

    def scan(d: Path) -> Any:
        if Path(d) == locked:  # what os.scandir says of a folder without read permission (root is never refused)
            raise PermissionError(13, "Permission denied", str(d))
        return real(d)

    monkeypatch.setattr(loader, "_scan", scan)
    runner = CliRunner()
    found = diagnostics(runner, plans, "--no-cache")
    assert any(d["path"] == str(locked) and d["code"] == "GGK007" and "没有权限" in d["message"] for d in found), found
    result = run(runner, plans, "--no-cache", "status")
    assert result.exit_code == 1 and str(locked) in result.stderr
    assert "示例县交通运输局" in run(runner, plans, "--no-cache", "status", "--partial").stdout


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads any folder")
def test_an_unreadable_folder_for_real(tmp_path: Path) -> None:
    plans = workspace_with(tmp_path)
    locked = plans / "bad"
    locked.chmod(0)
    try:
        found = diagnostics(CliRunner(), plans)
        assert any(d["path"] == str(locked) and d["code"] == "GGK007" for d in found), found
    finally:
        locked.chmod(0o755)


def test_nesting_300_deep_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["format: 1", "unit: bad", "year: 2026", "title: x", "sections:"]
    indent = ""
    for i in range(300):
        lines += [f"{indent}  - title: s{i}", f"{indent}    sections:"]
        indent += "    "
    lines.append(f"{indent}  []")
    plans = workspace_with(tmp_path, "2026.yaml", ("\n".join(lines) + "\n").encode())
    bad = plans / "bad" / "2026.yaml"
    runner = CliRunner()
    found = diagnostics(runner, plans)
    assert any(d["path"] == str(bad) and d["code"] == "GGK005" for d in found), found
    assert_reports_go_on(runner, plans, bad, left_out=True)


def test_a_300_character_unit_name_is_refused_clearly(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, tmp_path / "plans", "init", "u" * 300)
    assert result.exit_code == 2 and "单位代号" in result.output and "不超过 64 个字符" in result.output


def test_an_empty_unit_file_does_not_switch_the_department_check_off(tmp_path: Path) -> None:
    plans = workspace_with(tmp_path, "2026.yaml", data("files", "binary-tag.yaml").read_bytes())
    (plans / "bad" / "unit.yaml").write_text("~\n", encoding="utf-8")
    result = run(CliRunner(), plans, "check")
    assert result.exit_code == 1
    assert f"{plans / 'bad' / 'unit.yaml'}:1:1: 错误[GGK003]" in result.stdout


# ============================================================================ fail loudly (issue 14 §3)


def test_a_full_width_colon_never_makes_a_plan_vanish(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    shutil.copytree(PLANS / "example", plans / "example")
    path = plans / "example" / "2026.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("status: 已完成", "status：已完成", 1), encoding="utf-8")
    line = text[: text.index("status: 已完成")].count("\n") + 1
    runner = CliRunner()
    where = f"{path}:{line}:"
    for args in REPORTS:
        result = run(runner, plans, *args)
        assert result.exit_code == 1 and where in result.stderr and "全角冒号" in result.stderr, (args, result.output)
        assert "没有逾期条目" not in result.output and "没有 2026 年度的计划" not in result.output
    # --partial: what can be read, but never silent — and overdue --fail still fails
    result = run(runner, plans, "overdue", "--fail", "--partial")
    assert result.exit_code == 1 and where in result.stderr
    report = run(runner, plans, "report", "2026", "--partial")
    assert report.exit_code == 1 and f"2026 年度的计划 {path} 存在，但无法读取" in report.stderr
    review = run(runner, plans, "review", "2026", "--partial")
    assert review.exit_code == 1 and "存在，但无法读取" in review.stderr


#: file in tests/data/hostile/ime -> (line, column, what the hint says to type)
IME = {
    "colon.yaml": (12, 15, "status: 进行中"),
    "quotes.yaml": (9, 9, "title: 条目一"),
    "space-after-colon.yaml": (12, 16, "status: 进行中"),
    "space-indent.yaml": (12, 1, "status: 进行中"),
    "dash.yaml": (13, 7, '- id: "2"'),
    "no-space.yaml": (12, 16, "status: 进行中"),
    "comma.yaml": (10, 16, "lead: [局办公室, 局财务股]"),
    "enumeration-comma.yaml": (10, 15, "lead: [局办公室, 局财务股]"),
    "brackets.yaml": (15, 15, "lead: [局财务股]"),
}


@pytest.mark.parametrize("source", sorted(IME))
def test_check_says_what_to_type_instead_of_an_ime_slip(source: str, tmp_path: Path) -> None:
    line, col, fixed = IME[source]
    plans = workspace_with(tmp_path, "2026.yaml", data("ime", source).read_bytes())
    for extra in ([], ["--no-cache"]):
        found = [d for d in diagnostics(CliRunner(), plans, *extra) if d["code"] == "GGK008"]
        assert [(d["line"], d["col"]) for d in found] == [(line, col)], found
        assert found[0]["hint"].startswith("改为（半角符号）：") and fixed in found[0]["hint"], found[0]


def test_no_ime_finding_on_the_bundled_plans(runner: CliRunner) -> None:
    from ggk.workspace.load import file_keys
    from ggk.yamlfiles.ime import slips

    for path in sorted(PLANS.glob("*/*.yaml")):
        assert slips(path.read_text(encoding="utf-8"), str(path), file_keys()) == [], path
