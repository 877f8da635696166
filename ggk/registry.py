"""The department registry of a unit: resolving names and aliases, suggesting near names.

Owns name lookup only (canonical name, alias, short name, group membership) and the "did you mean"
suggestions used by ``ggk check`` and the editing commands.  The registry data itself is
``ggk.model.Unit``; changing it is ``ggk.ledger.departments``.

Short names.  Offices write 运输处 for 厅运输处 and 法规处 for 厅法规处 (an alias of 厅政策法规处):
the unit prefix (厅、局、市、县、省 …, ``bare_name``) is dropped.  The resolver accepts such a short
name when it is not itself registered and exactly one department has a name or alias that gives it
when the prefix is dropped; a short name two departments would give (厅办公室 and 局办公室 both give
办公室) resolves to nothing, and ``ggk check`` suggests both.  This is the one place short names are
accepted: the registry file is not filled with prefix-less aliases, so a rename or a merge carries
them along.
"""

from __future__ import annotations

import difflib

from ggk.model import Department, Unit

# Prefixes that the documents add or drop freely: 厅办公室 / 办公室, 局政策法规股 / 政策法规股.
_PREFIXES = ("厅机关", "厅属", "县局", "市局", "省厅", "厅", "局", "县", "市", "省")


def bare_name(name: str) -> str:
    """The name without the unit prefix the documents add or drop freely (厅办公室 → 办公室)."""
    for p in _PREFIXES:
        if name.startswith(p) and len(name) > len(p) + 1:
            return name[len(p) :]
    return name


class Registry:
    def __init__(self, unit: Unit | None):
        self.unit = unit
        self._names: dict[str, Department] = unit.names() if unit else {}
        self._short: dict[str, Department | None] = {}  # short name -> its department (None: ambiguous)
        for other, dep in self._names.items():
            short = bare_name(other)
            if short == other or short in self._names:
                continue
            known = self._short.get(short, dep)
            self._short[short] = dep if known is not None and known.name == dep.name else None

    def __bool__(self) -> bool:
        return self.unit is not None

    def resolve(self, name: str) -> Department | None:
        """The department a name (canonical, alias, or an unambiguous short name) stands for, or None."""
        name = name.strip()
        found = self._names.get(name)
        return found if found is not None else self._short.get(name)

    def canonical(self, name: str) -> str | None:
        dep = self.resolve(name)
        return dep.name if dep else None

    def all_names(self) -> list[str]:
        return list(self._names)

    def canonical_names(self) -> list[str]:
        return [d.name for d in self.unit.departments] if self.unit else []

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """Registered canonical names nearest to ``name`` (for "是不是 …？")."""
        candidates = self._names
        out: list[str] = []
        bare = bare_name(name)
        # Same name but for a prefix the document dropped or added.
        for other, dep in candidates.items():
            if bare_name(other) == bare and dep.name not in out:
                out.append(dep.name)
        for match in difflib.get_close_matches(name, list(candidates), n=n * 2, cutoff=0.5):
            dep = candidates[match]
            if dep.name not in out:
                out.append(dep.name)
        for other, dep in candidates.items():
            if len(out) >= n:
                break
            if (bare in other or bare_name(other) in name) and dep.name not in out:
                out.append(dep.name)
        return out[:n]

    def covers(self, assigned: str, dept: str) -> bool:
        """Whether an item assigned to ``assigned`` concerns ``dept`` (itself, or a group holding it)."""
        a = self.resolve(assigned)
        d = self.resolve(dept)
        a_name = a.name if a else assigned
        d_name = d.name if d else dept
        if a_name == d_name:
            return True
        if a is not None and a.group:
            members = {self.canonical(m) or m for m in a.members}
            return d_name in members
        return False
