"""What every report command does first: load the plans and count the problems in them.

Owns the glue between loading, checking and the working-day calendar for the commands; kept out of
the CLI so that the library offers the same entry point (``open_workspace``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ggk.diagnostics import Diagnostic, Severity
from ggk.workspace.checks import SCOPES, Scope, validate
from ggk.workspace.load import Workspace, load


@dataclass
class Session:
    ws: Workspace
    today: dt.date
    #: every diagnostic, as found: the checks' findings without line and column yet
    found: list[Diagnostic]
    calendar: Any = None
    #: the workspace as the files say it, before the snapshot of the as-of date (``ws``)
    filed: Workspace | None = None
    #: why the parse cache was not used (its folder is another user's, …), or None
    cache_note: str | None = None
    _located: bool = field(default=False, repr=False, compare=False)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Every diagnostic with its position, in the order ``ggk check`` shows them.  Finding the
        positions may parse files again: reports that only count problems use ``problems``."""
        if not self._located:
            self.ws.resolve_positions(self.found)
            self._located = True
        return self.found

    @property
    def problems(self) -> int:
        """Errors in the files themselves.  Findings about the as-of date (a progress entry dated after
        it) are left out: a report for a past date ignores later entries by design, and `ggk check`,
        run with today's date, is where a mistyped future date is caught."""
        return sum(d.severity is Severity.ERROR and SCOPES.get(d.code) is not Scope.AS_OF for d in self.found)

    @property
    def calendar_warnings(self) -> list[str]:
        """The working-day calendar's warnings (a year it only knows the weekends of)."""
        return list(getattr(self.calendar, "warnings", []) or [])

    @property
    def warnings(self) -> list[str]:
        """What a report notes beside its table: the calendar's warnings, and the plans not yet in force."""
        from ggk.ledger.queries import unissued_notes

        return [*self.calendar_warnings, *unissued_notes(self.ws)]

    @property
    def skipped(self) -> list[str]:
        return [str(p) for p in self.ws.skipped]


def open_workspace(paths: Sequence[Path], today: dt.date, *, use_cache: bool = True, only_open: bool = False, jobs: int = 1) -> Session:
    """Load ``paths`` (through the parse cache unless ``use_cache`` is false), check them, and take the
    snapshot of the as-of date (``ggk.ledger.snapshot``): the checks see the files, the reports the day.

    ``only_open``: the report shows only items that are overdue or due soon, so the cache may hand
    out plans that hold only the open items with a time limit (``Workspace.subset``); the
    diagnostics are those of the whole files either way.  ``jobs``: processes a cold run may use,
    itself and ``jobs - 1`` workers (``ggk.workspace.cache.open_cached``).
    """
    note = None
    if use_cache:
        from ggk.workspace.cache import open_cached

        ws, diags, cache = open_cached(paths, today, subset=only_open, positions=False, jobs=jobs)
        note = cache.note
    else:
        ws = load(paths)
        diags = validate(ws, today, positions=False)
    from ggk.deadlines.workdays import WorkCalendar
    from ggk.ledger.snapshot import snapshot

    filed, ws = ws, snapshot(ws, today)  # every report sees the plans as they stood on the as-of date
    holiday_dirs = [p / "_holidays" for p in paths if p.is_dir()]
    return Session(ws, today, diags, WorkCalendar(holiday_dirs[0] if holiday_dirs else None), filed, cache_note=note)
