"""``ggk import``: an issued document (txt/md/docx) -> a plan and an import report.

- ``read``: bytes -> lines -> paragraphs (decoding, .docx text, hard wraps);
- ``units``: responsibility notes (牵头/配合) and department names;
- ``structure``: the document's structure (metadata, preamble, sections, items) and the plan.
"""
