"""``ggk import``: an issued document -> a plan and an import report, as named stages.

- ``read`` (with ``limits``, ``text``, ``lines``, ``docx``, ``sheets``, ``pdf``, ``tables``): a file ->
  a ``document.Document`` of paragraphs and task-table rows, each with its place in the source;
- ``structure``: the document's tree (metadata, preamble, sections, items and their notes);
- ``units``: responsibility notes and department names (lead/assist);
- ``build``: year, ids, names against the registry, deadline rules -> the plan and its ``report``;
- ``job``: where the plan goes (a new file, or a merge into an existing plan) and the registry.
"""
