"""Progress from departments that never run ggk: 进展报送表 out, returns in, 迟报/漏报 and 催报.

- ``forms``: the 进展报送表 of one department for one reporting period (a report value; the xlsx and
  docx renderers lay it out), with the machine-readable key that lets a return be matched exactly;
- ``progress``: where an item stands for a form (逾期 N 天, 1/3 次, 本季度无进展);
- ``cells``: reading what departments type into a cell (statuses, dates written the Chinese way);
- ``intake``: reading returned forms and the hand-kept 工作台账, checking every row, turning the
  accepted rows into edits of the plans;
- ``cadence``: who reported which period, on time, late (迟报) or not at all (漏报), and the 催报 notice.

The 督办 register these feed is ``ggk.ledger.register``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from enum import Enum
from typing import Any


def json_data(value: Any) -> Any:
    """A report value as JSON data: dataclasses as objects (their fields), dates as ISO text, enums
    as their value; for the ``to_json`` of the values of this package and of ``ggk.ledger.register``."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: json_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [json_data(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_data(v) for k, v in value.items()}
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value
