"""The department registry as the clerk keeps it: listing and changing ``plans/<unit>/unit.yaml``.

Owns ``registry_report`` (each department with its aliases, group, review mark, contact, and how
many items of each year's plan it leads and supports) and the changes behind ``ggk dept``: ``add``,
``add_aliases``, ``rename``, ``merge``, ``reviewed``, ``remove``.  Each change is a function of the
unit file's ruamel document and runs through ``change`` → ``ggk.workspace.transaction.edit_plan``:
locked, the smallest text change, validated (refused if it adds an error), atomic, with a diff for
``--dry-run``.  What a change checks (a name taken by another department, a name a plan still
uses) it checks on the document being edited, under the lock, or on the plans loaded just before.

Plans are never rewritten here.  A rename keeps the old name as an alias and a merge makes the
merged department's names aliases of the one it joins, so every ``lead``/``assist``/``by`` that
names them still resolves to the right department, the plans keep the document's wording (原文照录),
and one file changes, atomically; ``ggk assign --unit U --resolve`` rewrites the plans to the
canonical names when the office wants that.

Not here: resolving a name (``ggk.registry``), a department's contact (``ggk.ledger.edits``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ggk.diagnostics import GgkError
from ggk.ledger.edits import block_list, block_map, flow_list, set_key, to_plain
from ggk.model import Department, Unit
from ggk.registry import Registry
from ggk.workspace.load import Workspace
from ggk.workspace.transaction import EditResult, edit_plan

#: The order of a department's keys when ggk adds one (the order of ``ggk.model.Department``).
DEPARTMENT_KEYS: tuple[str, ...] = tuple(Department.model_fields)
UNIT_KEYS: tuple[str, ...] = tuple(Unit.model_fields)

#: An operation on the unit file's document; returns what it did, one line each.
Op = Callable[[Any], list[str]]


# =========================================================================== which unit


def unit_of(ws: Workspace, unit: str | None, name: str | None = None) -> str:
    """The unit a ``ggk dept`` command works on: ``unit`` when given; else the one unit whose
    registry knows ``name``; else the only unit (the example unit aside)."""
    if unit:
        if unit not in ws.units or ws.units[unit].unit is None:
            known = "、".join(sorted(slug for slug, e in ws.units.items() if e.unit is not None)) or "（无）"
            raise GgkError(f"没有单位「{unit}」（或它的 unit.yaml 无法读取）", f"已有的单位：{known}")
        return unit
    slugs = sorted(slug for slug, e in ws.units.items() if e.unit is not None)
    if name is not None:
        owners = [slug for slug in slugs if Registry(ws.unit(slug)).resolve(name)]
        if len(owners) == 1:
            return owners[0]
        if len(owners) > 1:
            raise GgkError(f"「{name}」在多个单位都有登记，请用 --unit 指定", f"可选：{'、'.join(owners)}")
    real = [slug for slug in slugs if not ws.units[slug].unit.example]  # type: ignore[union-attr]
    if len(real) == 1:
        return real[0]
    if name is not None and slugs:
        raise GgkError(f"没有登记名为「{name}」的部门", "用 ggk dept list --unit 单位 查看名册")
    raise GgkError("请用 --unit 指定单位", f"已有的单位：{'、'.join(slugs)}" if slugs else "先运行 ggk init <单位代号>")


# =========================================================================== the registry as a report


@dataclass
class DeptRow:
    name: str
    aliases: list[str]
    group: bool
    review: bool  # the department, or the whole registry, awaits review
    contact: str | None
    #: year -> (items it leads, items it supports), for each year the unit has a plan
    counts: dict[int, tuple[int, int]] = field(default_factory=dict)


@dataclass
class DeptReport:
    unit: str
    unit_name: str
    review: bool  # the registry as a whole awaits review (``review: true`` of the unit)
    years: list[int]
    rows: list[DeptRow]
    #: names in the plans that resolve to no department (year, name), for the clerk to register
    unknown: list[tuple[int, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return report_json(self)


def _contact_words(dep: Department) -> str | None:
    c = dep.contact
    if c is None:
        return None
    extra = "，".join(v for v in (c.role, c.phone) if v)
    return f"{c.name}（{extra}）" if extra else c.name


def registry_report(ws: Workspace, unit: str) -> DeptReport:
    """The registry of ``unit`` with, for each department, the items of each year's plan that name
    it as 牵头 (lead) or 配合 (assist) — by any of its names; an item counts once per department."""
    reg_unit = ws.unit(unit)
    if reg_unit is None:
        raise GgkError(f"没有单位「{unit}」")
    reg = Registry(reg_unit)
    plans = sorted((e.plan for e in ws.plans if e.plan is not None and e.plan.unit == unit), key=lambda p: p.year)
    counts: dict[str, dict[int, list[int]]] = {d.name: {} for d in reg_unit.departments}
    unknown: list[tuple[int, str]] = []
    for plan in plans:
        for dep_counts in counts.values():
            dep_counts[plan.year] = [0, 0]
        for _, _, item in plan.iter_items():
            for col, names in enumerate((item.lead, item.assist)):
                seen: set[str] = set()
                for name in names:
                    dep = reg.resolve(name)
                    if dep is None:
                        if (plan.year, name) not in unknown:
                            unknown.append((plan.year, name))
                    elif dep.name not in seen:
                        seen.add(dep.name)
                        counts[dep.name][plan.year][col] += 1
    rows = [
        DeptRow(
            d.name,
            list(d.aliases),
            d.group,
            d.review or reg_unit.review,
            _contact_words(d),
            {year: (c[0], c[1]) for year, c in counts.get(d.name, {}).items()},
        )
        for d in reg_unit.departments
    ]
    return DeptReport(unit, reg_unit.name, reg_unit.review, [p.year for p in plans], rows, unknown)


# =========================================================================== changing the file


def change(ws: Workspace, unit: str, op: Op, *, dry_run: bool, today: dt.date | None) -> EditResult:
    """Run ``op`` on the unit file of ``unit`` (see the module docstring); ``value`` is its lines."""
    from ggk.workspace.scaffold import drop_registry_hint

    entry = ws.units.get(unit)
    if entry is None:
        raise GgkError(f"没有单位「{unit}」")
    return edit_plan(entry.path, op, dry_run=dry_run, today=today, tidy=drop_registry_hint)


def _departments(doc: Any) -> Any:
    """The document's department list, made a block list when it is missing or ``[]``."""
    deps = doc.get("departments")
    if not isinstance(deps, list) or not deps:
        deps = block_list([])
        set_key(doc, "departments", deps, UNIT_KEYS)
    return deps


def _models(deps: Sequence[Any]) -> list[Department]:
    return [Department.model_validate(to_plain(d)) for d in deps]


def _find(deps: Sequence[Any], name: str) -> int:
    """The index of the department ``name`` stands for (name, alias or unambiguous short name)."""
    models = _models(deps)
    reg = Registry(Unit.model_validate({"name": "-", "departments": models}))
    dep = reg.resolve(name)
    if dep is None:
        near = reg.suggest(name)
        hint = f"是不是「{'」「'.join(near)}」？" if near else "用 ggk dept list 查看名册"
        raise GgkError(f"名册中没有部门「{name}」", hint)
    return next(i for i, m in enumerate(models) if m.name == dep.name)


def _holder(deps: Sequence[Any], name: str, but: int | None = None) -> Department | None:
    """The department (other than the one at ``but``) that has ``name`` as its name or an alias."""
    for i, m in enumerate(_models(deps)):
        if i != but and (m.name == name or name in m.aliases):
            return m
    return None


def _refuse_taken(deps: Sequence[Any], names: Iterable[str], but: int | None = None, *, joining: bool = False) -> None:
    """Refuse a name another department holds.  The hint offers the merge the user may have meant, between
    two different departments: the one at ``but`` into the holder (``joining``: a rename onto its name), or
    the holder into the one at ``but`` (an alias naming it); ``add`` (no ``but``) has nothing to merge."""
    me = _models(deps)[but].name if but is not None else None
    for name in names:
        other = _holder(deps, name, but)
        if other is None:
            continue
        what = "名称" if other.name == name else "别名"
        if me is None:
            hint = f"「{other.name}」已在名册中：用 ggk dept list 查看，另一种写法用 ggk dept alias {other.name} 别名 登记"
        else:
            source, into = (me, other.name) if joining else (other.name, me)
            hint = f"同一部门的两种写法请合并：ggk dept merge {source} {into}"
        raise GgkError(f"「{name}」已是部门「{other.name}」的{what}，未修改", hint)


def _as_map(deps: Any, i: int) -> Any:
    """The department at ``i`` as a mapping (a department written as a bare name becomes one)."""
    dep = deps[i]
    if not isinstance(dep, dict):
        dep = deps[i] = block_map({"name": str(dep)})
    return dep


def _unmark(deps: Any, i: int) -> None:
    """Drop the department's review mark; one left with only its name is written as that name again."""
    dep = deps[i]
    if isinstance(dep, dict) and "review" in dep:
        del dep["review"]
        if list(dep) == ["name"]:
            deps[i] = dep["name"]


def _name_of(dep: Any) -> str:
    return str(dep.get("name")) if isinstance(dep, dict) else str(dep)


def _clean(name: str, what: str = "部门名称") -> str:
    out = name.strip()
    if not out:
        raise GgkError(f"{what}不能为空")
    return out


def add(name: str, aliases: Sequence[str] = (), *, group: bool = False) -> Op:
    """Register a new department (a bare name, or a mapping with its aliases / ``group: true``)."""
    name = _clean(name)
    aliases = list(dict.fromkeys(_clean(a, "别名") for a in aliases if a.strip() != name))

    def op(doc: Any) -> list[str]:
        deps = _departments(doc)
        _refuse_taken(deps, [name, *aliases])
        if aliases or group:
            deps.append(block_map({"name": name, "aliases": flow_list(aliases) if aliases else None, "group": True if group else None}))
        else:
            deps.append(name)
        extra = (f"，别名 {'、'.join(aliases)}" if aliases else "") + ("（集合名称）" if group else "")
        return [f"登记部门「{name}」{extra}"]

    return op


def add_aliases(name: str, aliases: Sequence[str]) -> Op:
    """Add aliases to a department; an alias another department holds (as name or alias) refuses all."""
    wanted = list(dict.fromkeys(_clean(a, "别名") for a in aliases))
    if not wanted:
        raise GgkError("请给出至少一个别名")

    def op(doc: Any) -> list[str]:
        deps = _departments(doc)
        i = _find(deps, name)
        _refuse_taken(deps, wanted, but=i)
        me = _models(deps)[i]
        new = [a for a in wanted if a != me.name and a not in me.aliases]
        lines = [f"「{a}」已是「{me.name}」的名称或别名" for a in wanted if a not in new]
        if new:
            dep = _as_map(deps, i)
            cur = dep.get("aliases")
            if isinstance(cur, list):
                cur.extend(new)
            else:
                set_key(dep, "aliases", flow_list(new), DEPARTMENT_KEYS)
            lines.insert(0, f"「{me.name}」增加别名 {'、'.join(new)}")
        return lines

    return op


def rename(old: str, new: str) -> Op:
    """Give a department a new canonical name; the old one stays as an alias (plans that use it still resolve)."""
    new = _clean(new)

    def op(doc: Any) -> list[str]:
        deps = _departments(doc)
        i = _find(deps, old)
        _refuse_taken(deps, [new], but=i, joining=True)
        me = _models(deps)[i]
        if me.name == new:
            return [f"「{new}」已是规范名称"]
        dep = _as_map(deps, i)
        dep["name"] = new
        aliases = [a for a in me.aliases if a != new] + [me.name]
        if isinstance(dep.get("aliases"), list):
            cur = dep["aliases"]
            if new in cur:
                cur.remove(new)
            cur.append(me.name)
        else:
            set_key(dep, "aliases", flow_list(aliases), DEPARTMENT_KEYS)
        return [f"「{me.name}」改名为「{new}」，原名称留作别名"]

    return op


def merge(source: str, into: str) -> Op:
    """Fold one department into another: its name and aliases become aliases of ``into``, its
    members join ``into``'s, its contact goes over when ``into`` has none; a group and a department
    that is not one are never merged.  Plans are left as written (module docstring)."""

    def op(doc: Any) -> list[str]:
        deps = _departments(doc)
        i, j = _find(deps, source), _find(deps, into)
        models = _models(deps)
        src, dst = models[i], models[j]
        if i == j:
            raise GgkError(f"「{source}」和「{into}」是同一个部门（{dst.name}），无需合并")
        if src.group != dst.group:
            which = src.name if src.group else dst.name
            raise GgkError(f"「{which}」是集合名称，另一个不是，不能合并", "集合名称（厅属各单位等）只能与集合名称合并")
        lines = [f"「{src.name}」并入「{dst.name}」：{'、'.join([src.name, *src.aliases])} 成为「{dst.name}」的别名"]
        target = _as_map(deps, j)
        names = [n for n in [src.name, *src.aliases] if n not in dst.aliases and n != dst.name]
        if isinstance(target.get("aliases"), list):
            target["aliases"].extend(names)
        else:
            set_key(target, "aliases", flow_list(names), DEPARTMENT_KEYS)
        members = [m for m in src.members if m not in dst.members and m not in (src.name, dst.name)]
        if members:
            if isinstance(target.get("members"), list):
                target["members"].extend(members)
            else:
                set_key(target, "members", flow_list(members), DEPARTMENT_KEYS)
        source_dep = deps[i]
        if src.contact is not None:
            if dst.contact is None:
                set_key(target, "contact", source_dep["contact"], DEPARTMENT_KEYS)
                lines.append(f"联系人 {_contact_words(src)}转到「{dst.name}」")
            else:
                lines.append(f"「{src.name}」的联系人 {_contact_words(src)} 未保留（「{dst.name}」已有联系人 {_contact_words(dst)}）")
        if src.remark:
            lines.append(f"「{src.name}」的备注未保留：{src.remark}")
        del deps[i]
        lines.append("计划中写作原名称的牵头、配合、报送单位不改动，仍按别名归到「" + dst.name + "」")
        return lines

    return op


def reviewed(names: Sequence[str], *, everything: bool = False) -> Op:
    """Clear review marks: of the whole registry (``everything``: the unit's ``review: true`` and
    every department's), or of the departments ``names``.  While the whole registry is marked, a
    department's review is that mark: clearing it for some departments moves the mark onto the
    others, one ``review: true`` each, so nothing not yet reviewed loses its mark."""

    def op(doc: Any) -> list[str]:
        deps = doc.get("departments") if isinstance(doc.get("departments"), list) else []
        marked = [i for i, d in enumerate(deps) if isinstance(d, dict) and d.get("review") is True]
        whole = doc.get("review") is True
        if everything:
            if "review" in doc:
                del doc["review"]
            for i in marked:
                _unmark(deps, i)
            if not whole and not marked:
                return ["名册中没有待核对的标记"]
            return ["名册已核对：去掉全部待核对标记（review）"]
        chosen = list(dict.fromkeys(_find(deps, n) for n in names))
        if whole:
            del doc["review"]
            for i in range(len(deps)):
                if i not in chosen and i not in marked:
                    set_key(_as_map(deps, i), "review", True, DEPARTMENT_KEYS)
        lines = []
        for i in chosen:
            _unmark(deps, i)
            dep = deps[i]
            if whole or i in marked:
                lines.append(f"「{_name_of(dep)}」已核对")
            else:
                lines.append(f"「{_name_of(dep)}」没有待核对标记")
        if whole:
            rest = len(deps) - len(chosen)
            lines.append(f"名册的整体待核对标记改为逐个部门标记：其余 {rest} 个部门仍待核对" if rest else "名册已全部核对")
        return lines

    return op


def uses(ws: Workspace, unit: str, name: str) -> list[str]:
    """Where the plans of ``unit`` (and the registry's groups) name the department ``name`` stands for."""
    reg = Registry(ws.unit(unit))
    dep = reg.resolve(name)
    if dep is None:
        return []
    out: list[str] = []
    for e in ws.plans:
        if e.plan is None or e.plan.unit != unit:
            continue
        for _, _, item in e.plan.iter_items():
            named = (("牵头", item.lead), ("配合", item.assist))
            roles = [role for role, names in named if any(reg.canonical(n) == dep.name for n in names)]
            if any(entry.by and reg.canonical(entry.by) == dep.name for entry in item.log):
                roles.append("报送")
            if roles:
                out.append(f"{unit}/{e.plan.year}/{item.id}（{'、'.join(roles)}）")
    for other in ws.unit(unit).departments:  # type: ignore[union-attr]
        if other.name != dep.name and any(reg.canonical(m) == dep.name for m in other.members):
            out.append(f"集合名称「{other.name}」的成员")
    return out


def remove(name: str, used: Sequence[str]) -> Op:
    """Remove a department from the registry; refused while ``used`` (``uses``) is not empty."""

    def op(doc: Any) -> list[str]:
        deps = _departments(doc)
        i = _find(deps, name)
        me = _models(deps)[i]
        if used:
            shown = "、".join(used[:8]) + (f" 等 {len(used)} 处" if len(used) > 8 else "")
            raise GgkError(
                f"部门「{me.name}」仍被使用，未删除：{shown}",
                f"先改用其他部门（ggk assign），或把它并入另一个部门：ggk dept merge {me.name} 部门",
            )
        del deps[i]
        return [f"删除部门「{me.name}」" + (f"（别名 {'、'.join(me.aliases)}）" if me.aliases else "")]

    return op


def report_json(report: DeptReport) -> dict[str, Any]:
    """The registry report as JSON (README "ggk dept")."""
    return {
        "unit": report.unit,
        "unit_name": report.unit_name,
        "review": report.review,
        "years": report.years,
        "departments": [
            {
                "name": r.name,
                "aliases": r.aliases,
                "group": r.group,
                "review": r.review,
                "contact": r.contact,
                "items": {str(y): {"lead": c[0], "assist": c[1]} for y, c in r.counts.items()},
            }
            for r in report.rows
        ],
        "unknown": [{"year": y, "name": n} for y, n in report.unknown],
    }
