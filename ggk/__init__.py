"""ggk: the ledger of 政务公开工作要点 plans.

The public library API (loaded lazily so that ``ggk --help`` stays fast):

- ``ggk.load(paths)`` -> ``Workspace`` (units, plans, file-level diagnostics)
- ``ggk.snapshot(workspace, day)`` -> ``Workspace``: the plans as they stood on ``day`` (what every report
  shows; ``ggk.open_workspace(paths, day)`` loads, checks and takes it, as the commands do)
- ``ggk.validate(workspace, today)`` -> ``list[Diagnostic]``
- ``ggk.select(workspace, today, Filters(...))`` -> ``list[Row]`` (items with their deadline timing)
- ``ggk.resolve_ref(workspace, "gansu-jtt/2021/15", today)`` -> ``Row``
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_API = {
    "load": "ggk.workspace.load",
    "Workspace": "ggk.workspace.load",
    "validate": "ggk.workspace.checks",
    "snapshot": "ggk.ledger.snapshot",
    "open_workspace": "ggk.workspace.session",
    "select": "ggk.ledger.queries",
    "Filters": "ggk.ledger.queries",
    "resolve_ref": "ggk.ledger.queries",
    "status_report": "ggk.ledger.queries",
    "Diagnostic": "ggk.diagnostics",
    "Plan": "ggk.model",
    "Unit": "ggk.model",
    "Item": "ggk.model",
    "Status": "ggk.model",
}


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(name)
    import importlib

    return getattr(importlib.import_module(module), name)
