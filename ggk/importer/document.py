"""The read document: paragraphs with the place in the source each comes from.

Owns ``Para`` (one paragraph as issued, or one table row / group heading recovered from a table) and
``Document`` (the paragraphs of one file, how it was decoded, and how to name a place in it: line,
paragraph, page or table row).  Produced by ``ggk.importer.read``, consumed by ``ggk.importer.structure``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ggk.importer.text import norm

if TYPE_CHECKING:
    from ggk.importer.units import Responsibility


@dataclass
class Para:
    """One paragraph of the source as issued (hard wraps undone), or a row of a task table.

    A table row carries what its columns said: ``resp`` from the unit columns, ``limit`` from the
    time column (or its group heading's), and ``title`` from its 工作任务 cell when that names the
    row's own task, so that the structure stage does not have to find them in running text.
    ``heading`` marks a table's group heading (一、… in a first column or a row of its own).
    """

    text: str
    line: int
    indent: int = 0
    heading: bool = False
    resp: Responsibility | None = None
    limit: str = ""
    table_row: bool = False
    title: str = ""  # a table row's own title (its 工作任务 cell), when the table gives one

    @property
    def norm(self) -> str:
        return norm(self.text)


@dataclass
class Document:
    """A document as read: its paragraphs and where each one is in the source."""

    path: Path
    paras: list[Para]
    encoding: str  # "UTF-8", "GB18030", "docx", "PDF", "xlsx" ...
    encoding_detected: bool  # True when not UTF-8 and we guessed it
    where: str  # "行" for text, "段" for .docx paragraphs, "页" for PDF
    hard_wrapped: bool = False
    page_numbers: list[Para] = field(default_factory=list)
    #: places that are not "第N<where>": table rows ("表1第3行"), PDF pages ("第2页")
    places: dict[int, str] = field(default_factory=dict)
    #: what the reader noticed (running headers removed, tables found, conversions)
    notes: list[str] = field(default_factory=list)

    def place(self, line: int) -> str:
        """The place of paragraph ``line`` as the report prints it."""
        return self.places.get(line) or f"第{line}{self.where}"
