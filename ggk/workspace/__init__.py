"""The plans folder: finding its files, loading them into a validated ``Workspace``, checking
them, caching what was parsed, and the edit transaction.

- ``load``: discover unit and plan files; one file -> model + diagnostics; the ``Workspace``;
- ``checks``: the cross-file checks of ``ggk check``, one function per stable code;
- ``cache``: the parse cache (an optimisation only: every answer is the one ``--no-cache`` gives;
  an entry is used only for the bytes it was made from, and only from the user's own folder);
- ``session``: what every report command does first (load + check), for the CLI and the library;
- ``transaction``: edit one file: read, patch, validate, write atomically under a lock;
- ``files``: writing files atomically;
- ``scaffold``: starting files (``ggk init``, ``ggk new``).
"""
