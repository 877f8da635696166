"""CSV output (UTF-8 with BOM so that Excel and WPS open Chinese text correctly).

Every text cell goes through ``ggk.render.safe.sheet_text``: a cell never starts a formula and
never carries a raw control character (the OWASP CSV-injection rule)."""

from __future__ import annotations

import csv
import io
from functools import singledispatchmethod
from typing import Any

from ggk.ledger.queries import ItemDetail, ItemsReport, Row, StatusReport
from ggk.model import Status
from ggk.render import Options, Unsupported
from ggk.render.safe import sheet_text
from ggk.workspace.checks import CheckReport

ITEM_HEADER = [
    "ref",
    "unit",
    "year",
    "id",
    "section",
    "title",
    "lead",
    "assist",
    "deadline",
    "rule",
    "status",
    "completed",
    "overdue_days",
    "due_in_days",
    "light",
]


def _item(row: Row) -> list[Any]:
    j = row.to_json()
    return [
        j["ref"],
        j["unit"],
        j["year"],
        j["id"],
        j["section"],
        j["title"],
        "、".join(j["lead"]),
        "、".join(j["assist"]),
        j["deadline"] or "",
        row.timing.primary.rule.phrase or row.timing.primary.rule.kind.value,
        j["status"],
        j["completed"] or "",
        "" if j["overdue_days"] is None else j["overdue_days"],
        "" if j["due_in_days"] is None else j["due_in_days"],
        j["light"],
    ]


class CsvRenderer:
    def __init__(self, options: Options):
        self.options = options

    def render(self, report: Any) -> str:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        for row in self.rows(report):
            writer.writerow([sheet_text(v) if isinstance(v, str) else v for v in row])
        return "\ufeff" + buf.getvalue()

    @singledispatchmethod
    def rows(self, report: Any) -> list[list[Any]]:
        raise Unsupported("csv")

    @rows.register
    def _(self, report: ItemsReport) -> list[list[Any]]:
        return [ITEM_HEADER, *(_item(r) for r in report.rows)]

    @rows.register
    def _(self, report: ItemDetail) -> list[list[Any]]:
        return [ITEM_HEADER, _item(report.row)]

    @rows.register
    def _(self, report: StatusReport) -> list[list[Any]]:
        header = [
            "group",
            "label",
            "total",
            *[s.value for s in Status],
            "done_percent",
            "overdue",
            "due_soon",
            "lead",
            "assist",
            "light",
            "idle",
        ]
        out: list[list[Any]] = [header]
        for g in [*report.groups, report.total]:
            out.append(
                [
                    g.key,
                    g.label,
                    g.total,
                    *[g.by_status[s] for s in Status],
                    round(g.percent, 1),
                    g.overdue,
                    g.due_soon,
                    g.lead,
                    g.assist,
                    g.light.value,
                    g.idle,
                ]
            )
        return out

    @rows.register
    def _(self, report: CheckReport) -> list[list[Any]]:
        out: list[list[Any]] = [["path", "line", "col", "severity", "code", "message", "hint"]]
        for d in report.diagnostics:
            out.append([d.path, d.line, d.col, d.severity.value, d.code, d.message, d.hint or ""])
        return out
