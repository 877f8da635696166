"""JUnit XML for CI systems that show test reports (GitLab, Jenkins, Azure, TeamCity…).

One ``testsuite`` per checked file with problems, one ``testcase`` per diagnostic.  Errors are
``failure`` elements; warnings become failures only under ``--strict`` (as with the exit code),
otherwise they pass with the message in ``system-out``.  A clean check is one passing testcase,
so the CI shows "1 passed" rather than an empty report.  Text is escaped by ElementTree; control
characters (which XML 1.0 cannot carry at all) are shown as escapes (``ggk.render.safe.visible``)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from ggk.diagnostics import Diagnostic
from ggk.render import Options, Unsupported
from ggk.render.safe import visible
from ggk.render.text import summary_line
from ggk.workspace.checks import CheckReport


def _clean(text: str) -> str:
    return visible(text)


def _detail(d: Diagnostic) -> str:
    line = f"{d.path}:{d.line}:{d.col}: {d.severity.label}[{d.code}] {d.message}"
    return line + (f"\n提示：{d.hint}" if d.hint else "")


class JunitRenderer:
    def __init__(self, options: Options):
        self.options = options

    def render(self, report: Any) -> str:
        if not isinstance(report, CheckReport):
            raise Unsupported("junit")
        by_file: dict[str, list[Diagnostic]] = {}
        for d in report.diagnostics:
            by_file.setdefault(d.path, []).append(d)
        root = ET.Element("testsuites", name="ggk check")
        total = failed = 0
        for path, diags in by_file.items():
            suite = ET.SubElement(root, "testsuite", name=_clean(path))
            suite_failed = 0
            for d in diags:
                case = ET.SubElement(
                    suite,
                    "testcase",
                    name=_clean(f"{d.code} 第{d.line}行第{d.col}列"),
                    classname=_clean(path),
                    file=_clean(path),
                    line=str(d.line),
                )
                if d.severity.value == "error" or report.strict:
                    failure = ET.SubElement(case, "failure", message=_clean(d.message), type=d.code)
                    failure.text = _clean(_detail(d))
                    suite_failed += 1
                else:
                    out = ET.SubElement(case, "system-out")
                    out.text = _clean(_detail(d))
            suite.set("tests", str(len(diags)))
            suite.set("failures", str(suite_failed))
            suite.set("errors", "0")
            total += len(diags)
            failed += suite_failed
        if not by_file:
            suite = ET.SubElement(root, "testsuite", name="ggk check", tests="1", failures="0", errors="0")
            case = ET.SubElement(suite, "testcase", name=summary_line(report), classname="ggk check")
        root.set("tests", str(total or 1))
        root.set("failures", str(failed))
        root.set("errors", "0")
        ET.indent(root, space="  ")
        body = ET.tostring(root, encoding="unicode")
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
