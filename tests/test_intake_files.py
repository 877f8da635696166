"""``ggk intake`` given a file that is no return: what the clerk is told, in Chinese, and the exit code.

A path that does not exist (or is a folder) is a usage error like any other command's (exit 2, nothing
read or written); a file that exists but is no readable 进展报送表 or 工作台账 (a Word document, a PDF, a
broken workbook) is a problem in what came back, reported with the others (exit 1, the other files are
still taken in), and the message says what the file looks like and what intake reads.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ggk.cli.app import app
from tests.builders import docx_document


def ggk(plans: Path, *args: str) -> Any:
    return CliRunner().invoke(app, ["--plans", str(plans), "--as-of", "2026-10-12", *args])


def test_a_missing_file_is_a_usage_error(example_unit: Path, tmp_path: Path) -> None:
    res = ggk(example_unit, "intake", str(tmp_path / "nonexistent.xlsx"))
    assert res.exit_code == 2, res.output
    assert f"错误：找不到文件 {tmp_path / 'nonexistent.xlsx'}" in res.stderr and "Traceback" not in res.output
    folder = ggk(example_unit, "intake", str(tmp_path))
    assert folder.exit_code == 2 and "是文件夹" in folder.stderr


def _word(tmp_path: Path) -> Path:
    return docx_document(tmp_path / "report.docx", ["局财务股2026年第三季度政务公开工作进展情况", "一、预决算已按时公开。"])


@pytest.mark.parametrize(
    ("name", "make", "looks"),
    [
        ("report.docx", _word, "Word 文档"),
        ("report.pdf", lambda p: _write(p / "report.pdf", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n"), "PDF 文件"),
        ("report.txt", lambda p: _write(p / "report.txt", "本季度已完成。\n".encode()), "文本文件"),
        ("renamed.xlsx", _word, "Word 文档"),  # a Word file with the wrong extension is still a Word file
        ("broken.xlsx", lambda p: _write(p / "broken.xlsx", b"PK\x03\x04 not really"), "已损坏"),
    ],
)
def test_a_file_that_is_no_return_is_named_in_chinese(example_unit: Path, tmp_path: Path, name: str, make: Any, looks: str) -> None:
    made = make(tmp_path)
    path = made if made.name == name else made.rename(tmp_path / name)
    res = ggk(example_unit, "intake", str(path))
    assert res.exit_code == 1, res.output
    assert looks in res.stderr, res.stderr
    assert "只读取" in res.stderr and ".xlsx" in res.stderr
    assert not any(word in res.stderr for word in ("Cannot", "detect", "format", "Error")), res.stderr


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
