"""Diagnostics: problems in the user's files, as values.

Owns the ``Diagnostic`` record (file, line, column, stable code, severity, Chinese message, hint)
and the table of codes.  A check's finding is made with its data path (``loc``); its line and column
are found where diagnostics are shown (``Workspace.resolve_positions``), so counting problems never
parses a file again.  Checks return diagnostics; they never raise.  Exceptions are kept for the
program's own failures (``GgkError``), translated once at the CLI edge into exit code 2.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return "错误" if self is Severity.ERROR else "警告"


@dataclass
class Diagnostic:
    path: str
    #: 1-based; None until resolved from ``loc`` (``ggk.workspace.load.Workspace.resolve_positions``)
    line: int | None
    col: int | None
    code: str
    severity: Severity
    message: str
    hint: str | None = None
    #: the file could not be read at all (nothing in it is usable)
    fatal: bool = False
    #: the data path the problem is about, when known (used to find line/col lazily)
    loc: tuple[Any, ...] | None = field(default=None, compare=False)
    #: ``loc`` names a mapping key: the position is the key's rather than its value's
    key: bool = field(default=False, compare=False)

    @property
    def located(self) -> bool:
        return self.line is not None

    def sort_key(self) -> tuple[str, int, int, str]:
        """The order diagnostics are shown in (file, line, column, code); meaningful once located."""
        return (self.path, self.line or 0, self.col or 0, self.code)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
        }


class GgkError(Exception):
    """A failure of the program or of its usage (not a problem in a plan file): exit code 2."""

    def __init__(self, message: str, hint: str | None = None, exit_code: int = 2):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.exit_code = exit_code


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    title: str
    strict_only: bool = False


#: Every diagnostic code ggk emits.  Codes are stable: a code is never reused for another meaning.
CODES: dict[str, Code] = {
    c.code: c
    for c in [
        Code("GGK001", Severity.ERROR, "YAML 语法错误"),
        Code("GGK002", Severity.ERROR, "文件编码不是 UTF-8"),
        Code("GGK003", Severity.ERROR, "空文件"),
        Code("GGK004", Severity.ERROR, "重复的键"),
        Code("GGK005", Severity.ERROR, "引用炸弹或嵌套过深"),
        Code("GGK007", Severity.ERROR, "无法读取文件"),
        Code("GGK008", Severity.ERROR, "输入法全角符号"),
        Code("GGK010", Severity.WARNING, "不认识的文件名"),
        Code("GGK101", Severity.ERROR, "未知的键"),
        Code("GGK102", Severity.ERROR, "类型或取值错误"),
        Code("GGK103", Severity.ERROR, "缺少必填键"),
        Code("GGK104", Severity.ERROR, "无效日期"),
        Code("GGK105", Severity.ERROR, "无效状态"),
        Code("GGK106", Severity.ERROR, "不支持的格式版本"),
        Code("GGK201", Severity.ERROR, "条目编号重复"),
        Code("GGK202", Severity.ERROR, "未登记的部门"),
        Code("GGK203", Severity.WARNING, "条目没有责任单位"),
        Code("GGK204", Severity.ERROR, "已完成但缺少完成日期"),
        Code("GGK205", Severity.ERROR, "已取消但缺少原因"),
        Code("GGK206", Severity.WARNING, "日期远离计划年度"),
        Code("GGK207", Severity.ERROR, "进展记录、完成或登记日期晚于当前日期"),
        Code("GGK208", Severity.ERROR, "计划引用了不存在的单位"),
        Code("GGK209", Severity.ERROR, "文件位置与内容不符"),
        Code("GGK210", Severity.ERROR, "部门名册重名"),
        Code("GGK211", Severity.ERROR, "无法理解的时限"),
        Code("GGK212", Severity.WARNING, "原文有时限但未设规则"),
        Code("GGK213", Severity.WARNING, "完成日期与状态不符"),
        Code("GGK214", Severity.WARNING, "节假日文件问题"),
        Code("GGK215", Severity.ERROR, "同一单位或同一年度的计划出现在两处"),
        Code("GGK216", Severity.WARNING, "单位名册待核对"),
        Code("GGK217", Severity.ERROR, "结转去向或来源指向不存在的条目"),
        Code("GGK230", Severity.ERROR, "结转未完成：来源条目没有标注 carried_to"),
    ]
}
