"""YAML text.

- ``dialect``: what a scalar means (the YAML 1.2 core schema, plus dates) and the set-up of both
  parsers — every reader and writer below gets its YAML from here;
- ``read``: bytes -> data with the source position of every key and value (for the loader and
  for diagnostics with file:line:col);
- ``scalars``: how a string may be written so that it reads back as the same string;
- ``emit``: new files (plans, unit registries) in house style;
- ``patch``: in-place edits of an existing file's text, changing only the lines that must change.
"""
