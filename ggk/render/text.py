"""Plain-text diagnostics, one per line, in the form editors and CI logs make clickable:
``plans/x/2021.yaml:42:5: 错误[GGK202] message`` followed by an indented hint.  Messages quote the
files' text (and paths are the user's): control characters are shown as escapes (``ggk.render.safe``)."""

from __future__ import annotations

from typing import Any

from ggk.render import Options, Unsupported
from ggk.render.safe import visible
from ggk.workspace.checks import CheckReport


def summary_line(report: CheckReport) -> str:
    if not report.diagnostics:
        return f"检查了 {report.files} 个文件，没有发现问题。"
    return f"检查了 {report.files} 个文件：{report.errors} 个错误，{report.warnings} 个警告。"


class TextRenderer:
    def __init__(self, options: Options):
        self.options = options

    def render(self, report: Any) -> str:
        if not isinstance(report, CheckReport):
            raise Unsupported("text")
        lines = []
        for d in report.diagnostics:
            lines.append(f"{d.path}:{d.line}:{d.col}: {d.severity.label}[{d.code}] {d.message}")
            if d.hint:
                lines.append(f"    提示：{d.hint}")
        lines.append(summary_line(report))
        return visible("\n".join(lines) + "\n")
