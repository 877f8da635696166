"""JSON output of every report.  Field names are documented in the README ("JSON 输出").

Control characters in the plans' text are written as ``\\uXXXX`` escapes (``ggk.render.safe.json_text``):
the same strings to a program, inert in a terminal."""

from __future__ import annotations

import json
from functools import singledispatchmethod
from typing import Any

from ggk.ledger.queries import ItemDetail, ItemsReport, StatusReport
from ggk.render import Options, Unsupported
from ggk.render.safe import json_text
from ggk.workspace.checks import CheckReport


class JsonRenderer:
    def __init__(self, options: Options):
        self.options = options

    def render(self, report: Any) -> str:
        return json_text(json.dumps(self.data(report), ensure_ascii=False, indent=2)) + "\n"

    @singledispatchmethod
    def data(self, report: Any) -> Any:
        to_json = getattr(report, "to_json", None)
        if to_json is None:
            raise Unsupported("json")
        return to_json()

    @data.register
    def _(self, report: CheckReport) -> Any:
        return {
            "files": report.files,
            "errors": report.errors,
            "warnings": report.warnings,
            "diagnostics": [d.to_json() for d in report.diagnostics],
        }

    @data.register
    def _(self, report: StatusReport) -> Any:
        return {
            "as_of": report.as_of.isoformat(),
            "by": report.by,
            "soon_days": report.soon,
            "plans": report.plans,
            "groups": [g.to_json() for g in report.groups],
            "total": report.total.to_json(),
            "problems": report.problems,
            "skipped": report.skipped,
            "warnings": report.warnings,
        } | ({"reporting": report.cadence.to_json()} if report.cadence is not None else {})

    @data.register
    def _(self, report: ItemsReport) -> Any:
        return {
            "as_of": report.as_of.isoformat(),
            "count": len(report.rows),
            "items": [r.to_json() for r in report.rows],
            "problems": report.problems,
            "skipped": report.skipped,
            "warnings": report.warnings,
        } | ({"reporting": report.cadence.to_json()} if report.cadence is not None else {})

    @data.register
    def _(self, report: ItemDetail) -> Any:
        out = {"as_of": report.as_of.isoformat(), **report.row.to_json(full=True), "in_force": report.not_in_force is None}
        for entry, no in zip(out["log"], report.numbers, strict=False):
            entry["no"] = no  # its number in the file, as ggk correct takes it
        return out
