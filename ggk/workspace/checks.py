"""The checks of ``ggk check``: one small function per rule, each with a stable code.

Owns the cross-file rules that need more than one file or the as-of date (departments against the
registry, duplicate ids, dates, deadline phrases).  File-level problems (YAML syntax, unknown keys,
types) come from ``ggk.workspace.load``.  ``validate(ws, today)`` returns every diagnostic, sorted; it never
raises for bad data.  A check makes its findings with their data path and no line yet
(``Context.diag``); ``validate`` resolves the positions unless told not to (``positions=False``: for
reports that only count problems, which then never parse a file again for a line number).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from ggk import deadlines
from ggk.diagnostics import CODES, Diagnostic, Severity
from ggk.model import Item, Status
from ggk.registry import Registry
from ggk.workspace.load import PlanEntry, Workspace


@dataclass
class Context:
    ws: Workspace
    today: dt.date

    def diag(
        self, path: Path | str, loc: tuple[Any, ...], code: str, message: str, hint: str | None = None, *, key: bool = False
    ) -> Diagnostic:
        """A finding at ``loc`` in ``path``; its line and column are found only when it is shown
        (``Workspace.resolve_positions``)."""
        return Diagnostic(str(path), None, None, code, CODES[code].severity, message, hint, loc=loc, key=key)


CheckFn = Callable[[Context], Iterable[Diagnostic]]
REGISTRY: dict[str, CheckFn] = {}


class Scope(str, Enum):
    """What a check's findings depend on: tells the parse cache (``ggk.workspace.cache``) what it may reuse."""

    #: one plan file and its unit's registry (not the as-of date): cached per file
    FILE = "file"
    #: plan headers (unit, year, path), the plans' outlines (item ids and carry-over marks) and the unit
    #: files only: cheap, run every time
    HEADERS = "headers"
    #: plan headers, the unit files and what else lies in the roots (holiday files): cheap, run every time
    WORKSPACE = "workspace"
    #: dates after the as-of date in one plan file: run only on files that hold such a date
    AS_OF = "as_of"
    #: anything else, e.g. across plan files: run on the whole workspace every time (the safe default)
    ALL = "all"


SCOPES: dict[str, Scope] = {}


def check(code: str, scope: Scope = Scope.ALL) -> Callable[[CheckFn], CheckFn]:
    def register(fn: CheckFn) -> CheckFn:
        assert code in CODES, code
        REGISTRY[code] = fn
        SCOPES[code] = scope
        return fn

    return register


def _registry(ctx: Context, entry: PlanEntry) -> Registry:
    return Registry(ctx.ws.unit(entry.plan.unit))


@check("GGK208", Scope.HEADERS)
def unknown_unit(ctx: Context) -> Iterator[Diagnostic]:
    for entry in ctx.ws.plans:
        if entry.plan.unit not in ctx.ws.units:
            yield ctx.diag(
                entry.path,
                ("unit",),
                "GGK208",
                f"计划引用的单位「{entry.plan.unit}」没有单位文件（{entry.path.parent.parent / entry.plan.unit / 'unit.yaml'}）",
                f"用 ggk init {entry.plan.unit} 建立单位文件，或改正 unit",
            )


@check("GGK209", Scope.HEADERS)
def misplaced(ctx: Context) -> Iterator[Diagnostic]:
    for entry in ctx.ws.plans:
        stem = entry.path.stem
        if stem.isdigit() and int(stem) != entry.plan.year:
            yield ctx.diag(
                entry.path,
                ("year",),
                "GGK209",
                f"文件名是 {entry.path.name}，但 year 写的是 {entry.plan.year}",
                f"把文件改名为 {entry.plan.year}.yaml，或改正 year",
            )
        if entry.plan.unit != entry.slug and entry.plan.unit in ctx.ws.units:
            yield ctx.diag(
                entry.path,
                ("unit",),
                "GGK209",
                f"文件在 {entry.slug}/ 下，但 unit 写的是「{entry.plan.unit}」",
                f"把文件移到 {entry.plan.unit}/ 下，或改正 unit",
            )


@check("GGK216", Scope.HEADERS)
def registry_awaiting_review(ctx: Context) -> Iterator[Diagnostic]:
    for entry in ctx.ws.units.values():
        if entry.unit is not None and entry.unit.review:
            yield ctx.diag(
                entry.path,
                ("review",),
                "GGK216",
                f"单位名册「{entry.unit.name}」由 ggk import 自动生成，尚待核对",
                "核对部门名称、把同一部门的不同写法合并为别名（ggk dept merge）、标明集合名称后，运行 ggk dept reviewed --all",
                key=True,
            )
        marked = [(i, dep.name) for i, dep in enumerate(entry.unit.departments if entry.unit is not None else []) if dep.review]
        if marked:  # one warning for the registry, at the first mark: the clerk reviews them together
            names = "、".join(name for _, name in marked[:5]) + (f" 等 {len(marked)} 个部门" if len(marked) > 5 else "")
            yield ctx.diag(
                entry.path,
                ("departments", marked[0][0], "review"),
                "GGK216",
                f"单位名册中 {names} 尚待核对",
                f"核对后运行 ggk dept reviewed 部门名称（或 ggk dept reviewed --all --unit {entry.slug}）",
                key=True,
            )


@check("GGK210", Scope.HEADERS)
def registry_duplicates(ctx: Context) -> Iterator[Diagnostic]:
    for entry in ctx.ws.units.values():
        if entry.unit is None:
            continue
        seen: dict[str, str] = {}
        for i, dep in enumerate(entry.unit.departments):
            names = [(dep.name, ("departments", i, "name"))] + [(a, ("departments", i, "aliases", j)) for j, a in enumerate(dep.aliases)]
            for name, loc in names:
                if name in seen and seen[name] != dep.name:
                    yield ctx.diag(
                        entry.path, loc, "GGK210", f"名称「{name}」同时属于「{seen[name]}」和「{dep.name}」", "一个名称只能指向一个部门"
                    )
                elif name in seen and loc[-1] == "name":
                    yield ctx.diag(entry.path, loc, "GGK210", f"部门「{name}」登记了两次", "删除重复的一项")
                seen.setdefault(name, dep.name)


@check("GGK201", Scope.FILE)
def duplicate_ids(ctx: Context) -> Iterator[Diagnostic]:
    for entry in ctx.ws.plans:
        # Positions only for duplicates: a plan read from the cache has no locator, and finding one
        # means parsing the file again.
        first: dict[str, tuple[Any, ...]] = {}
        for loc, _chain, item in entry.plan.iter_items():
            if item.id in first:
                line = ctx.ws.locate(entry.path, (*first[item.id], "id"))[0]
                yield ctx.diag(
                    entry.path,
                    (*loc, "id"),
                    "GGK201",
                    f"条目编号「{item.id}」重复（第 {line} 行已有）",
                    "编号在一个计划内必须唯一，如 三.2",
                )
            else:
                first[item.id] = loc


def _unregistered(ctx: Context) -> Iterator[tuple[PlanEntry, Item, tuple[Any, ...], str, str, list[str] | None]]:
    """Every department name of the plans that their unit's registry does not know: (plan, item, data
    path, role, name, the names meant when it is a list typed with an IME, e.g. ［甲，乙］ or 甲、乙)."""
    from ggk.yamlfiles.ime import name_list

    for entry in ctx.ws.plans:
        reg = _registry(ctx, entry)
        if not reg:
            continue  # GGK208 says the unit is missing
        for loc, _chain, item in entry.plan.iter_items():
            for role in ("lead", "assist"):
                for k, name in enumerate(getattr(item, role)):
                    if reg.resolve(name) is None:
                        yield entry, item, (*loc, role, k), role, name, name_list(name)


@check("GGK008", Scope.FILE)
def ime_name_lists(ctx: Context) -> Iterator[Diagnostic]:
    for entry, item, loc, role, name, names in _unregistered(ctx):
        if names is not None:
            yield ctx.diag(
                entry.path,
                loc,
                "GGK008",
                f"部门名「{name}」用了全角方括号或逗号、顿号，YAML 把它读成了一个名称（条目 {item.id}）",
                f"改为（半角符号）：{role}: [{', '.join(names)}]",
            )


@check("GGK202", Scope.FILE)
def unknown_departments(ctx: Context) -> Iterator[Diagnostic]:
    for entry, item, loc, _role, name, names in _unregistered(ctx):
        if names is None:  # (an IME slip is GGK008's)
            near = _registry(ctx, entry).suggest(name)
            hint = f"是不是「{'」「'.join(near)}」？" if near else None
            hint = (hint + "；" if hint else "") + f"或在 {entry.path.parent / 'unit.yaml'} 的 departments 中登记"
            yield ctx.diag(entry.path, loc, "GGK202", f"部门「{name}」未在单位名册中登记（条目 {item.id}）", hint)


@check("GGK203", Scope.FILE)
def no_department(ctx: Context) -> Iterator[Diagnostic]:
    for entry in ctx.ws.plans:
        for loc, _chain, item in entry.plan.iter_items():
            if not item.lead and not item.assist and item.status is not Status.CANCELLED:
                yield ctx.diag(
                    entry.path,
                    (*loc, "id"),
                    "GGK203",
                    f"条目 {item.id}「{item.title}」没有责任单位",
                    f"用 ggk assign {entry.plan.unit}/{entry.plan.year}/{item.id} --lead 部门 指定牵头单位",
                )


@check("GGK204", Scope.FILE)
def done_without_date(ctx: Context) -> Iterator[Diagnostic]:
    for entry in ctx.ws.plans:
        for loc, _chain, item in entry.plan.iter_items():
            if item.status is Status.DONE and item.completed is None:
                yield ctx.diag(
                    entry.path,
                    (*loc, "status"),
                    "GGK204",
                    f"条目 {item.id} 已完成，但没有完成日期（completed）",
                    "加上 completed: YYYY-MM-DD，或用 ggk done 记录",
                )


@check("GGK205", Scope.FILE)
def cancelled_without_reason(ctx: Context) -> Iterator[Diagnostic]:
    for entry in ctx.ws.plans:
        for loc, _chain, item in entry.plan.iter_items():
            if item.status is Status.CANCELLED and not (item.reason or "").strip():
                yield ctx.diag(
                    entry.path, (*loc, "status"), "GGK205", f"条目 {item.id} 已取消，但没有写取消原因（reason）", "加上 reason: 原因"
                )


@check("GGK213", Scope.FILE)
def completed_not_done(ctx: Context) -> Iterator[Diagnostic]:
    for entry in ctx.ws.plans:
        for loc, _chain, item in entry.plan.iter_items():
            if item.completed is not None and item.status is not Status.DONE:
                yield ctx.diag(
                    entry.path,
                    (*loc, "completed"),
                    "GGK213",
                    f"条目 {item.id} 有完成日期，但状态是{item.status.value}",
                    "把 status 改为 已完成，或删除 completed",
                )


def _dates(item: Item, loc: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], dt.date, str]]:
    for k, d in enumerate(item.deadline):
        if d.due:
            yield (*loc, "deadline", k, "due"), d.due, "截止日期"
    if item.completed:
        yield (*loc, "completed"), item.completed, "完成日期"
    for k, e in enumerate(item.log):
        if e.deleted is not None:  # kept only as a trace: its dates are what was wrong
            continue
        yield (*loc, "log", k, "date"), e.date, "进展日期"
        if e.event:
            yield (*loc, "log", k, "event"), e.event, "事件日期"
        if e.done:
            yield (*loc, "log", k, "done"), e.done, "办结日期"


@check("GGK206", Scope.FILE)
def far_dates(ctx: Context) -> Iterator[Diagnostic]:
    for entry in ctx.ws.plans:
        year = entry.plan.year
        lo, hi = dt.date(year - 1, 1, 1), dt.date(year + 1, 12, 31)
        for loc, _chain, item in entry.plan.iter_items():
            if item.carried_from:
                lo = dt.date(year - 2, 1, 1)
            for dloc, d, what in _dates(item, loc):
                if not lo <= d <= hi:
                    yield ctx.diag(entry.path, dloc, "GGK206", f"条目 {item.id} 的{what} {d} 远离计划年度 {year}", "检查年份是否写错")


@check("GGK207", Scope.AS_OF)
def future_log(ctx: Context) -> Iterator[Diagnostic]:
    for entry in ctx.ws.plans:
        for loc, _chain, item in entry.plan.iter_items():
            for path, day, what, hint in dated(item):
                if day > ctx.today:
                    yield ctx.diag(entry.path, (*loc, *path), "GGK207", f"条目 {item.id} 的{what} {day} 晚于当前日期 {ctx.today}", hint)


_ENTERED_HINT = "这些日期由 ggk 在修改时写入当天；检查日期，或用 --as-of 指定日期"


def dated(item: Any) -> Iterator[tuple[tuple[Any, ...], dt.date, str, str]]:
    """Every day of ``item`` that must not lie after "today" (GGK207; the parse cache keeps the latest,
    ``cache._latest``): (path in the item, day, what it is, hint).  Progress and completion dates, and
    the days on which changes were entered (what makes a past report stay as it was)."""
    for k, e in enumerate(item.log):
        if e.deleted is None:
            yield ("log", k, "date"), e.date, "进展记录日期", "进展只能记录已经发生的事；检查日期，或用 --as-of 指定日期"
            if e.recorded is not None:
                yield ("log", k, "recorded"), e.recorded, "进展记录登记日期", _ENTERED_HINT
    if item.completed:
        yield ("completed",), item.completed, "完成日期", "检查日期"
    for k, h in enumerate(item.history):
        if h.recorded is not None:
            yield ("history", k, "recorded"), h.recorded, "延期登记日期", _ENTERED_HINT
    for key, what in (("deadline_set", "时限设定日期"), ("added", "并入日期"), ("summary_recorded", "落实情况登记日期")):
        day = getattr(item, key)
        if day is not None:
            yield (key,), day, what, _ENTERED_HINT
    for k, a in enumerate(item.assigned):
        yield ("assigned", k, "date"), a.date, "分工调整日期", _ENTERED_HINT


@check("GGK211", Scope.FILE)
def unresolved_rule(ctx: Context) -> Iterator[Diagnostic]:
    for entry in ctx.ws.plans:
        for loc, _chain, item in entry.plan.iter_items():
            for k, d in enumerate(item.deadline):
                if deadlines.resolve(d, entry.plan.year) is None:
                    yield ctx.diag(
                        entry.path,
                        (*loc, "deadline", k),
                        "GGK211",
                        f"条目 {item.id} 的时限「{d.phrase}」无法理解",
                        "写成日期（2021-12-31），或写明规则：{phrase: …, due: 日期} / {every: quarter} / "
                        "{count: 3, per: year} / {workdays: 7, after: 事件}",
                    )


@check("GGK212", Scope.FILE)
def phrase_without_rule(ctx: Context) -> Iterator[Diagnostic]:
    finder = getattr(deadlines, "find_time_phrases", None)
    if finder is None:
        return
    for entry in ctx.ws.plans:
        for loc, _chain, item in entry.plan.iter_items():
            if item.deadline or not item.text or item.remark:
                continue  # a remark is where the clerk says why no rule is set
            found = finder(item.text)
            if found:
                phrases = "、".join(f"「{p[2]}」" for p in found[:3])
                yield ctx.diag(
                    entry.path,
                    (*loc, "id"),
                    "GGK212",
                    f"条目 {item.id} 原文有时限表述{phrases}，但没有设置 deadline",
                    "加上 deadline（见 README“时限规则”），或在 remark 中说明为何不设",
                )


@check("GGK230", Scope.HEADERS)
def half_done_carry_over(ctx: Context) -> Iterator[Diagnostic]:
    """An item carried into a plan (``carried_from``) whose source item, in a plan that was read, does
    not say it went there: a carry-over interrupted between its two files.  (A ``carried_from`` that
    points at no item at all is GGK217's.)  Reads the plans' outlines, like GGK217."""
    outlines = {id(e): e.items_outline() for e in ctx.ws.plans}
    if not any(o.carries for o in outlines.values()):
        return
    ids: set[str] = set()
    marked: dict[str, str | None] = {}  # unit/year/id -> carried_to, of every item with a carry-over mark
    for e in ctx.ws.plans:
        base = f"{e.plan.unit}/{e.plan.year}/"
        ids.update(base + i for i in outlines[id(e)].ids)
        marked.update((base + item_id, carried_to) for _loc, item_id, carried_to, _from in outlines[id(e)].carries)
    for entry in ctx.ws.plans:
        for loc, item_id, _to, carried_from in outlines[id(entry)].carries:
            here = f"{entry.plan.unit}/{entry.plan.year}/{item_id}"
            if not carried_from or carried_from not in ids or marked.get(carried_from) == here:
                continue
            source_to = marked.get(carried_from)
            where = "没有标注去向（carried_to）" if not source_to else f"标注的去向是 {source_to}"
            yield ctx.diag(
                entry.path,
                (*loc, "carried_from"),
                "GGK230",
                f"条目 {item_id} 由 {carried_from} 结转而来，但来源条目{where}：结转没有完成",
                f"结转可能中途被打断：重新运行 ggk review {entry.plan.year - 1} --carry-over 即可补全"
                if not source_to
                else f"改正来源条目的 carried_to 为 {here}，或改正本条的 carried_from",
            )


@check("GGK217", Scope.HEADERS)
def dangling_carry(ctx: Context) -> Iterator[Diagnostic]:
    """A ``carried_to`` / ``carried_from`` naming an item that is not there.  A plan that is not part of
    this check (``ggk check`` of one file) is looked for on disk: it is reported missing only when its
    file does not exist; one that exists but was not read cannot be checked here.  Reads the plans'
    outlines (item ids and carry-over marks), which a workspace holds in full even when its plans do not."""
    outlines = {id(e): e.items_outline() for e in ctx.ws.plans}
    items: set[str] = set()  # every item's unit/year/id, gathered at the first carry-over mark
    loaded = {(e.plan.unit, e.plan.year) for e in ctx.ws.plans}
    for entry in ctx.ws.plans:
        for loc, item_id, carried_to, carried_from in outlines[id(entry)].carries:
            if not items:
                items = {f"{e.plan.unit}/{e.plan.year}/{i}" for e in ctx.ws.plans for i in outlines[id(e)].ids}
            for key, what, ref in (("carried_to", "结转去向", carried_to), ("carried_from", "结转来源", carried_from)):
                if not ref or ref in items:
                    continue
                parts = ref.split("/")
                if len(parts) != 3 or not (parts[1].isascii() and parts[1].isdigit()):
                    yield ctx.diag(
                        entry.path, (*loc, key), "GGK217", f"条目 {item_id} 的{what}「{ref}」不是 单位/年度/编号", "写作 单位/年度/编号"
                    )
                    continue
                unit, year = parts[0], int(parts[1])
                if (unit, year) not in loaded and os.path.isfile(_plan_file(entry, unit, year)):  # (False for any OS error)
                    continue  # there, but not read in this check
                where = f"{unit}/{year} 中没有编号为 {parts[2]} 的条目" if (unit, year) in loaded else f"没有计划 {unit}/{year}"
                yield ctx.diag(
                    entry.path,
                    (*loc, key),
                    "GGK217",
                    f"条目 {item_id} 的{what}「{ref}」不存在：{where}",
                    "改正编号；如结转的条目被删除，请恢复它，或删去这一项",
                )


def _plan_file(entry: PlanEntry, unit: str, year: int) -> Path:
    """Where the plan ``unit/year`` would be, beside the plan of ``entry`` (the folders of plans/)."""
    return entry.path.absolute().parent.parent / unit / f"{year}.yaml"


@check("GGK214", Scope.WORKSPACE)
def holiday_file_problems(ctx: Context) -> Iterator[Diagnostic]:
    from ggk.deadlines.workdays import holiday_files, validate_holiday_file

    for root in ctx.ws.roots:
        if not root.is_dir():
            continue
        for path in holiday_files(root / "_holidays"):
            for problem in validate_holiday_file(path):
                yield Diagnostic(
                    str(path),
                    problem.line,
                    problem.col,
                    "GGK214",
                    CODES["GGK214"].severity,
                    problem.message,
                    "该文件有问题时不会被使用，这一年只按周末和元旦、劳动节、国庆节计算工作日",
                )


def validate(ws: Workspace, today: dt.date, *, ignore: Iterable[str] = (), positions: bool = True) -> list[Diagnostic]:
    """Every diagnostic for the workspace: file-level ones and those of each check, sorted by file,
    line and column.  ``positions=False``: leave the checks' findings without line and column (sorted
    by file only) — enough to count them; ``ws.resolve_positions(diags)`` gives the shown order later."""
    ctx = Context(ws, today)
    skip = set(ignore)
    out = [d for d in ws.diagnostics if d.code not in skip]
    for code, fn in REGISTRY.items():
        if code in skip:
            continue
        out.extend(fn(ctx))
    return finish(ws, out, positions)


def finish(ws: Workspace, diags: list[Diagnostic], positions: bool) -> list[Diagnostic]:
    """Resolve and sort for showing, or (``positions=False``) only group by file.  Sorting is stable,
    so diagnostics at the same place keep the order they were found in either way."""
    if positions:
        return ws.resolve_positions(diags)
    diags.sort(key=_by_path)
    return diags


def _by_path(d: Diagnostic) -> str:
    return d.path


def failed(diags: Iterable[Diagnostic], strict: bool) -> bool:
    return any(d.severity is Severity.ERROR or strict for d in diags)


@dataclass
class CheckReport:
    diagnostics: list[Diagnostic]
    files: int
    strict: bool = False

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity is Severity.WARNING for d in self.diagnostics)

    @property
    def failed(self) -> bool:
        return failed(self.diagnostics, self.strict)
