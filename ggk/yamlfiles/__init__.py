"""YAML text.

- ``read``: bytes -> data with the source position of every key and value (for the loader and
  for diagnostics with file:line:col);
- ``scalars``: how a string may be written so that it reads back as the same string;
- ``emit``: new files (plans, unit registries) in house style;
- ``patch``: in-place edits of an existing file's text, changing only the lines that must change.
"""
