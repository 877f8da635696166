"""Renderers: one per output format, behind one interface.

A renderer turns a report value (``StatusReport``, ``ItemsReport``, ``ItemDetail``, ``CheckReport``,
…) into ``str`` or ``bytes``.  Renderers never open files or read the clock; the CLI decides where
the output goes, after the whole report is built.  ``Format`` lists every format; ``RENDERERS`` maps
each to its class (imported lazily), and a test proves the map is exhaustive.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol


class Format(str, Enum):
    TABLE = "table"
    TEXT = "text"
    JSON = "json"
    CSV = "csv"
    GITHUB = "github"
    MD = "md"
    DOCX = "docx"
    XLSX = "xlsx"
    HTML = "html"
    GITLAB = "gitlab"
    JUNIT = "junit"


@dataclass
class Options:
    """How the output will be shown: colour and width are the CLI's business."""

    color: bool = False
    width: int = 120


class Renderer(Protocol):
    def render(self, report: Any) -> str | bytes: ...


RENDERERS: dict[Format, str] = {
    Format.TABLE: "ggk.render.table:TableRenderer",
    Format.TEXT: "ggk.render.text:TextRenderer",
    Format.JSON: "ggk.render.jsonr:JsonRenderer",
    Format.CSV: "ggk.render.csvr:CsvRenderer",
    Format.GITHUB: "ggk.render.github:GithubRenderer",
    Format.MD: "ggk.render.md:MarkdownRenderer",
    Format.DOCX: "ggk.render.docx:DocxRenderer",
    Format.XLSX: "ggk.render.xlsx:XlsxRenderer",
    Format.HTML: "ggk.render.html:HtmlRenderer",
    Format.GITLAB: "ggk.render.gitlab:GitlabRenderer",
    Format.JUNIT: "ggk.render.junit:JunitRenderer",
}


class Unsupported(Exception):
    """The format does not apply to this kind of report."""


def renderer(fmt: Format, options: Options | None = None) -> Renderer:
    module, _, cls = RENDERERS[fmt].partition(":")
    return getattr(importlib.import_module(module), cls)(options or Options())
