"""Shell-completion callbacks (Typer ``autocompletion=``): item references, units and departments
read from the plans folder.

They run on every Tab press, so they are cheap and never raise: they read the YAML as the loader
does (``ggk.yamlfiles.read``, so ``id: 010`` completes as the 10 that the commands find), skip
validation, cache nothing on disk, and return an empty list on any problem (a broken file must not
break the shell).  Only the standard library and typer are imported at module level.  The plans folder is the one the command
line already names (``--plans``, before or after the command), else ``GGK_PLANS``, else ./plans.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer

_YEAR_FILE = re.compile(r"^(\d{4})\.ya?ml$")
_SKIP = re.compile(r"^[._]")
#: do not let a huge folder make Tab hang
_MAX_FILES = 400


def _plans_roots(ctx: typer.Context | None) -> list[Path]:
    roots: list[Any] = []
    node: Any = ctx
    while node is not None:
        value = (node.params or {}).get("plans") if hasattr(node, "params") else None
        if value:
            roots.extend(value if isinstance(value, (list, tuple)) else [value])
        node = node.parent
    if not roots:
        env = os.environ.get("GGK_PLANS")
        roots = env.split(os.pathsep) if env else ["plans"]
    return [Path(r) for r in roots]


def _unit_dirs(roots: list[Path]) -> Iterator[Path]:
    for root in roots:
        if not root.is_dir():
            continue
        if (root / "unit.yaml").is_file() or any(_YEAR_FILE.match(p.name) for p in root.iterdir()):
            yield root
            continue
        for sub in sorted(root.iterdir()):
            if sub.is_dir() and not _SKIP.match(sub.name):
                yield sub


def _read(path: Path) -> Any:
    from ggk.yamlfiles.read import read_file

    return read_file(str(path)).data


def _walk_items(sections: Any) -> Iterator[dict[str, Any]]:
    if not isinstance(sections, list):
        return
    for sec in sections:
        if not isinstance(sec, dict):
            continue
        for item in sec.get("items") or []:
            if isinstance(item, dict):
                yield item
        yield from _walk_items(sec.get("sections"))


def _refs(roots: list[Path]) -> Iterator[tuple[str, str]]:
    count = 0
    for d in _unit_dirs(roots):
        for f in sorted(d.iterdir()):
            if not _YEAR_FILE.match(f.name):
                continue
            count += 1
            if count > _MAX_FILES:
                return
            try:
                data = _read(f)
            except Exception:  # noqa: BLE001 - a broken file yields no candidates
                continue
            if not isinstance(data, dict):
                continue
            unit = str(data.get("unit") or d.name)
            year = data.get("year") or _YEAR_FILE.match(f.name).group(1)  # type: ignore[union-attr]
            for item in _walk_items(data.get("sections")):
                if item.get("id") is None:
                    continue
                yield f"{unit}/{year}/{item['id']}", str(item.get("title") or "")


def complete_ref(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Item references ``unit/year/id`` starting with what is typed, with the item title as help."""
    try:
        return [(ref, title) for ref, title in _refs(_plans_roots(ctx)) if ref.startswith(incomplete)]
    except Exception:  # noqa: BLE001 - completion must never raise
        return []


def complete_unit(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Unit folder names, with the unit's full name as help."""
    try:
        out = []
        for d in _unit_dirs(_plans_roots(ctx)):
            if not d.name.startswith(incomplete):
                continue
            name = ""
            unit_file = d / "unit.yaml"
            if unit_file.is_file():
                try:
                    data = _read(unit_file)
                    name = str(data.get("name") or "") if isinstance(data, dict) else ""
                except Exception:  # noqa: BLE001
                    name = ""
            out.append((d.name, name))
        return out
    except Exception:  # noqa: BLE001
        return []


def complete_dept(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Registered department names (canonical names first, then aliases) of every unit."""
    try:
        units = {}
        try:
            chosen = [str(u) for u in (ctx.params or {}).get("unit") or []]
        except Exception:  # noqa: BLE001
            chosen = []
        canonical: dict[str, str] = {}
        aliases: dict[str, str] = {}
        for d in _unit_dirs(_plans_roots(ctx)):
            if chosen and d.name not in chosen:
                continue
            unit_file = d / "unit.yaml"
            if not unit_file.is_file():
                continue
            try:
                data = _read(unit_file)
            except Exception:  # noqa: BLE001
                continue
            if not isinstance(data, dict):
                continue
            units[d.name] = str(data.get("short") or data.get("name") or d.name)
            for dep in data.get("departments") or []:
                if isinstance(dep, (str, int)):
                    canonical.setdefault(str(dep), units[d.name])
                elif isinstance(dep, dict) and dep.get("name") is not None:
                    canonical.setdefault(str(dep["name"]), units[d.name])
                    for alias in dep.get("aliases") or []:
                        aliases.setdefault(str(alias), f"{dep['name']}（{units[d.name]}）")
        out = [(n, help_) for n, help_ in canonical.items() if n.startswith(incomplete)]
        out += [(n, f"即 {help_}") for n, help_ in aliases.items() if n.startswith(incomplete) and n not in canonical]
        return out
    except Exception:  # noqa: BLE001
        return []
