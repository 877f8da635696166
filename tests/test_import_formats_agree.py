"""The same plan imported from .txt, .docx and .pdf gives the same item texts, character for character.

Seed 000 as issued breaks a sentence of item 2 across a blank line (“…支持交通运输民营” / “经济、中小企业…”):
the text reader joins the two lines; a Word file whose paragraphs are those lines, and the PDF printed from
it, must join them the same way (a paragraph that stops mid-sentence goes on in the next), not keep a line
break inside the sentence.  A break after a full stop or a colon stays a line break in all three.
"""

from __future__ import annotations

from pathlib import Path

from ggk.importer.build import import_document
from tests.builders import docx_document, soffice_convert
from tests.test_importer import seed


def _texts(path: Path) -> dict[str, str]:
    """Item texts by id, spaces left out (not line breaks): the seed's “12328 电话” comes out of the PDF's text
    layer as “12328电话”, a space the text layer does not carry, not a difference in how lines are joined."""
    return {i.id: i.text.replace(" ", "") for _, _, i in import_document(path, unit="gs").plan.iter_items()}


def test_txt_docx_and_pdf_give_the_same_item_texts(tmp_path: Path) -> None:
    text = seed("000").read_text(encoding="utf-8")
    want = _texts(seed("000"))
    assert "交通运输民营经济、中小企业" in want["2"]
    docx = docx_document(tmp_path / "seed000.docx", text.split("\n"))
    pdf = soffice_convert(docx, "pdf", tmp_path)
    for path in (docx, pdf):
        got = _texts(path)
        assert sorted(got) == sorted(want), path.name
        assert {k: v for k, v in got.items() if v != want[k]} == {}, path.name


def test_empty_paragraphs_between_the_halves_of_a_sentence(tmp_path: Path) -> None:
    """A Word file keeps the text file's blank lines as empty paragraphs: the sentence is still joined."""
    import docx

    lines = seed("000").read_text(encoding="utf-8").split("\n")
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line.strip())
    path = tmp_path / "blank-paragraphs.docx"
    document.save(str(path))
    assert _texts(path) == _texts(seed("000"))
