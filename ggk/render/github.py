"""GitHub Actions workflow commands: one ``::error``/``::warning`` annotation per diagnostic.

Line breaks in a message are encoded (``%0A``), so a file's text can never start a workflow command of
its own; control characters are shown as escapes (``ggk.render.safe.visible``)."""

from __future__ import annotations

from typing import Any

from ggk.render import Options, Unsupported
from ggk.render.safe import visible
from ggk.render.text import summary_line
from ggk.workspace.checks import CheckReport


def _data(value: str) -> str:
    return visible(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")


class GithubRenderer:
    def __init__(self, options: Options):
        self.options = options

    def render(self, report: Any) -> str:
        if not isinstance(report, CheckReport):
            raise Unsupported("github")
        lines = []
        for d in report.diagnostics:
            level = "error" if d.severity.value == "error" else "warning"
            message = d.message + (f"（提示：{d.hint}）" if d.hint else "")
            lines.append(f"::{level} file={_prop(d.path)},line={d.line},col={d.col},title={_prop(d.code)}::{_data(message)}")
        lines.append(summary_line(report))
        return "\n".join(lines) + "\n"
