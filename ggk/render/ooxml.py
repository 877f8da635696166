"""Office files (xlsx, docx) the same byte for byte whenever the same report is made again.

An .xlsx or .docx is a zip archive: each member carries the time it was written, and openpyxl stamps
``docProps/core.xml``'s ``dcterms:modified`` with the time of saving.  Both are the clock, which a
report must never read ("today" is the report's day): ``stable`` writes the archive again with every
member dated the report's day and the document's created/modified dates set to it, members in the
same order, compressed the same way.  Returns bytes; never opens a file.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

_CORE = "docProps/core.xml"
_DATES = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def stable(data: bytes, day: dt.date) -> bytes:
    """The archive ``data`` with every time in it set to ``day`` (midnight)."""
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)  # (a zip cannot date before 1980)
    iso = f"{day.isoformat()}T00:00:00Z".encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == _CORE:
                body = _DATES.sub(lambda m: m.group(1) + iso + m.group(2), body)
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = info.external_attr
            dst.writestr(member, body)
    return out.getvalue()
