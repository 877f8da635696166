"""GitLab Code Quality report: the diagnostics of ``ggk check`` as the JSON array GitLab reads
from a ``codequality`` artifact (description, check_name, fingerprint, severity, location).

The fingerprint is a hash of the file, the code, the message and the occurrence among identical
problems, but not of the line: GitLab compares fingerprints between the merge request and its base,
so a problem that only moved down the file must keep its fingerprint."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ggk.diagnostics import Diagnostic
from ggk.render import Options, Unsupported
from ggk.render.safe import json_text
from ggk.workspace.checks import CheckReport


def severity(d: Diagnostic) -> str:
    """GitLab's scale is info/minor/major/critical/blocker."""
    if d.severity.value != "error":
        return "minor"
    return "critical" if d.fatal else "major"


def fingerprint(d: Diagnostic, occurrence: int) -> str:
    key = "\x1f".join([d.path.replace("\\", "/"), d.code, d.message, str(occurrence)])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


class GitlabRenderer:
    def __init__(self, options: Options):
        self.options = options

    def render(self, report: Any) -> str:
        if not isinstance(report, CheckReport):
            raise Unsupported("gitlab")
        seen: dict[tuple[str, str, str], int] = {}
        issues = []
        for d in report.diagnostics:
            key = (d.path, d.code, d.message)
            seen[key] = seen.get(key, 0) + 1
            description = f"{d.message}（提示：{d.hint}）" if d.hint else d.message
            issues.append(
                {
                    "description": f"[{d.code}] {description}",
                    "check_name": d.code,
                    "fingerprint": fingerprint(d, seen[key]),
                    "severity": severity(d),
                    "location": {"path": d.path.replace("\\", "/"), "lines": {"begin": max(d.line or 1, 1)}},
                }
            )
        return json_text(json.dumps(issues, ensure_ascii=False, indent=2)) + "\n"
