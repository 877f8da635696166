"""Where an import goes: a new plan file, or a merge into the plan that already holds items.

Owns ``prepare_import`` (read, import, decide the files) and ``ImportJob.write``:

- a new plan is written by ``ggk.yamlfiles.emit``, and for a new unit its registry beside it;
- a unit whose registry is empty (``ggk init`` before ``ggk import``) gets the departments the
  document names, as a new unit would;
- an existing plan (carried-over tasks written in January, or an earlier import) is merged through
  ``ggk.workspace.transaction.edit_plan``: comments and untouched lines stay, the document's items
  are added with its ids; an item with a record (carried_from, log, a status other than 未启动,
  summary, history, completed) is never dropped or overwritten unless ``replace_recorded`` is given,
  and the report says what that replaced; an id that clashes with a recorded item is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ggk.diagnostics import GgkError
from ggk.importer.build import ImportResult, department_entries, import_source, new_unit_data
from ggk.importer.document import Document
from ggk.importer.read import read_document
from ggk.importer.structure import _compact
from ggk.importer.text import norm
from ggk.importer.units import is_group
from ggk.model import Item, Plan, Status, Unit

_UNIT_CODE = re.compile(r"^[^./\\\s_][^/\\\s]*$")


def has_record(item: Item) -> bool:
    """An item someone has worked on: never dropped by an import without an explicit option."""
    return bool(
        item.carried_from
        or item.carried_to
        or item.log
        or item.status is not Status.NOT_STARTED
        or item.summary
        or item.history
        or item.completed
    )


@dataclass
class ImportJob:
    """What ``ggk import`` will write: the plan (new text, or a merge) and the registry."""

    result: ImportResult
    plan_path: Path
    plan_text: str
    unit_path: Path
    unit_text: str | None  # a new registry; None when the unit has one
    fill_registry: bool = False  # the registry exists but lists no department yet
    existing: Plan | None = None  # the plan already at plan_path (merge)
    force: bool = False
    replace_recorded: bool = False
    merge_notes: list[str] = field(default_factory=list)
    register: list[str] = field(default_factory=list)  # unknown names to enter in a filled registry (--register)
    refusal: GgkError | None = None  # why the real run would write nothing: the dry run says the same

    def write(self, today: Any = None) -> list[tuple[Path, str]]:
        """Write the files (registry first, so a plan never lacks one); atomic, merges locked.  ``today``:
        the day of the import, the ``added`` date of items merged into a plan in force before it."""
        from ggk.workspace.scaffold import ensure_ignore_file
        from ggk.yamlfiles.emit import write_atomic

        if self.refusal is not None:
            raise self.refusal
        written: list[tuple[Path, str]] = []
        self.plan_path.parent.mkdir(parents=True, exist_ok=True)
        if self.unit_text is not None and not self.unit_path.exists():
            write_atomic(self.unit_path, self.unit_text)
            written.append((self.unit_path, "新建单位名册，review: true，请核对"))
            ensure_ignore_file(self.unit_path.parent.parent)
        elif self.fill_registry:
            _fill_registry(self.unit_path, self.result)
            written.append((self.unit_path, f"名册登记 {len(self.result.departments)} 个部门，review: true，请核对"))
        elif self.register:
            _register_names(self.unit_path, self.register)
            names = "、".join(self.register)
            written.append((self.unit_path, f"名册登记 {len(self.register)} 个部门（{names}），各标 review: true，请核对"))
        if self.existing is None:
            write_atomic(self.plan_path, self.plan_text)
            written.append((self.plan_path, f"{self.result.report.items} 条"))
        else:
            merge_into(self.plan_path, self.result, force=self.force, replace_recorded=self.replace_recorded, today=today)
            written.append((self.plan_path, "已并入原有计划"))
        return written


def _load(path: Path, kind: type) -> Any:
    from ggk.workspace.load import load_file

    loaded = load_file(path, kind)
    if loaded.model is None:
        first = next((d for d in loaded.diagnostics), None)
        detail = f"：第 {first.line} 行 {first.message}" if first else ""
        raise GgkError(f"{path} 无法读取{detail}", "先用 ggk check 修正该文件")
    return loaded.model


def _guess_unit(plans_dir: Path, doc: Document, unit: str | None, output: Path | None) -> str | None:
    if unit:
        return unit
    if output is not None and output.parent.name not in ("", ".", ".."):
        return output.parent.name
    if not plans_dir.is_dir():
        return None
    # An existing registry whose unit name appears at the top of the document.
    head = "".join(_compact(norm(p.text)) for p in doc.paras[:8])
    for reg_path in sorted(plans_dir.glob("*/unit.yaml")):
        try:
            reg = _load(reg_path, Unit)
        except GgkError:
            continue
        if not reg.example and any(n and n in head for n in (reg.name, reg.short)):
            return reg_path.parent.name
    return None


def prepare_import(
    doc_path: Path,
    *,
    plans_dir: Path,
    unit: str | None = None,
    year: int | None = None,
    output: Path | None = None,
    force: bool = False,
    replace_recorded: bool = False,
    issued: Any = None,
    preview: bool = False,
    register: bool = False,
) -> ImportJob:
    """Read ``doc_path``, build the plan (and a registry for a new unit); nothing is written yet.

    ``register``: names the document uses that a filled registry lacks are entered in it (marked for
    review), as a new unit's import does; without it a merge that would use them is refused
    (``ImportJob.refusal``, the same for a dry run and the real run).
    Raises ``GgkError`` (exit code 1 or 2) with a Chinese message.
    """
    from ggk.yamlfiles.emit import dump_plan, dump_unit

    doc = read_document(Path(doc_path))
    code = _guess_unit(plans_dir, doc, unit, output)
    if code is not None and not _UNIT_CODE.match(code):
        raise GgkError(f"单位代号「{code}」不能用作文件夹名", "用字母、数字和连字符，如 gansu-jtt")
    if code is None and output is None and not preview:
        raise GgkError(
            "请用 --unit 指定单位代号（plans/ 下的文件夹名）",
            f"如 ggk import {doc_path} --unit gansu-jtt；新单位会自动建立名册",
        )
    unit_code = code or "未指定"
    unit_path = output.parent / "unit.yaml" if output is not None else plans_dir / unit_code / "unit.yaml"
    registry: Unit | None = _load(unit_path, Unit) if unit_path.exists() else None
    result = import_source(doc, unit=unit_code, year=year, registry=registry, issued=issued)
    if result.plan.issued is None:
        result.report.warnings.append(_warning("文件中没有印发日期：计划未写 issued，印发前的报送周期会照常计算；可用 --issued 指定"))
    plan_path = output if output is not None else plans_dir / unit_code / f"{result.plan.year}.yaml"
    src = f"{doc.path.name}（{result.plan.title}），由 ggk import 导入，请对照原文核对"
    plan_text = dump_plan(result.data, source=src)
    job = ImportJob(result, plan_path, plan_text, unit_path, None, force=force, replace_recorded=replace_recorded)
    if registry is None:
        unit_data = new_unit_data(result)
        job.unit_text = dump_unit(unit_data, source=f"{doc.path.name}，由 ggk import 根据文件中出现的部门名称生成")
    elif not registry.departments:
        job.fill_registry = True
        result.report.new_registry = list(result.departments)
    unknown = [ref.id for ref in result.report.unknown_departments]
    if registry is not None and registry.departments and unknown and register:
        job.register = unknown
        result.report.registered = list(unknown)
    if plan_path.exists():
        job.existing = _load(plan_path, Plan)
        result.report.merge = plan_merge(job.existing, result.plan, force=force, replace_recorded=replace_recorded)
        if unknown and not job.register and registry is not None and registry.departments:
            job.refusal = UnknownDepartments(unknown, unit_path, plan_path)
        elif preview:  # what the locked edit will decide, decided now on the same text
            job.refusal = merge_into(plan_path, result, force=force, replace_recorded=replace_recorded, dry_run=True, known=job.register)
    return job


class UnknownDepartments(GgkError):
    """A merge would put names the filled registry lacks into the plan: nothing is written (exit code 1)."""

    def __init__(self, names: list[str], unit_path: Path, plan_path: Path) -> None:
        super().__init__(
            f"{len(names)} 个部门名称未在单位名册中登记，并入 {plan_path} 会使计划通不过检查，未写入：{'、'.join(names)}",
            f"加 --register 把它们登记进 {unit_path}（标 review: true 待核对），或先在名册中登记、改为名册中的名称后再导入",
            exit_code=1,
        )


def _warning(text: str) -> Any:
    from ggk.importer.report import Skipped

    return Skipped(0, "", text)


# --------------------------------------------------------------------------- merging


def plan_merge(existing: Plan, new: Plan, *, force: bool, replace_recorded: bool) -> list[str]:
    """What merging ``new`` into ``existing`` does, one Chinese line per decision (for the report)."""
    doc_ids = {i.id for _, _, i in new.iter_items()}
    out: list[str] = []
    kept = replaced = dropped = 0
    for _, _, item in existing.iter_items():
        if has_record(item):
            if item.id in doc_ids:
                if replace_recorded:
                    out.append(f"条目 {item.id} 有落实记录，按 --replace-recorded 以文件中的同号条目替换（原记录将丢弃）")
                else:
                    out.append(
                        f"编号冲突：条目 {item.id} 已有落实记录，保留原条目，文件中的同号条目未导入（确需替换用 --replace-recorded）"
                    )
            elif force and replace_recorded:
                out.append(f"条目 {item.id} 有落实记录、文件中没有，按 --force --replace-recorded 删除（原记录将丢弃）")
            else:
                kept += 1
        elif item.id in doc_ids:
            replaced += 1
        elif force:
            dropped += 1
        else:
            kept += 1
    added = len(doc_ids - {i.id for _, _, i in existing.iter_items()})
    out.insert(
        0,
        f"新增 {added} 条，更新（原无落实记录的同号条目）{replaced} 条，保留原有条目 {kept} 条"
        + (f"，删去 {dropped} 条" if dropped else ""),
    )
    return out


def merge_into(
    path: Path,
    result: ImportResult,
    *,
    force: bool,
    replace_recorded: bool,
    today: Any = None,
    dry_run: bool = False,
    known: list[str] | None = None,
) -> GgkError | None:
    """Merge the imported plan into the plan file at ``path`` through ``edit_plan`` (see the module docstring).

    A merge the edit refuses (it would make the plan invalid) raises ``GgkError`` (exit code 1); with
    ``dry_run`` nothing is written and the refusal is returned instead.  ``known``: names about to be
    entered in the registry (``--register``), not yet there when a dry run checks the edit.
    """
    from ggk.workspace.transaction import edit_plan

    def fn(doc: Any) -> None:
        _merge_doc(doc, result.data, force=force, replace_recorded=replace_recorded, today=today)

    edited = edit_plan(path, fn, today=today, dry_run=dry_run)
    errors = [e for e in edited.errors if not (e.code == "GGK202" and any(f"「{n}」" in e.message for n in known or ()))]
    if not edited.refused or not errors:
        return None
    refusal = GgkError(f"并入 {path} 未写入：{errors[0].message}", errors[0].hint or "先运行 ggk check 修正该文件", exit_code=1)
    if dry_run:
        return refusal
    raise refusal


def _recorded_map(mapping: Any) -> bool:
    try:
        return has_record(Item.model_validate(_plain(mapping)))
    except Exception:  # a hand-written item the model rejects: treat as recorded, never drop it
        return True


def _plain(value: Any) -> Any:
    from ggk.ledger.edits import to_plain

    return to_plain(value)


def _merge_doc(doc: Any, data: dict[str, Any], *, force: bool, replace_recorded: bool, today: Any = None) -> None:
    """``today``: the day of the merge; each item it adds to a plan in force before that day (no 印发日期, or an
    earlier one) gets ``added: today``, so that a report of a day before it stays without them."""
    from ggk.ledger.carryover import CARRY_SECTION
    from ggk.ledger.edits import block_list, dated_record_needed, iter_items, set_key

    plan_keys = tuple(Plan.model_fields)
    placeholder = _carry_over_only(doc)
    for key in ("title", "doc_no", "issued", "basis", "preamble"):
        # A file the carry-over made holds a title guessed from last year's: the issued document's metadata is the plan's
        # (an issue date already set, e.g. by ggk issued, stays).
        if key in data and (doc.get(key) in (None, "", []) or (placeholder and key != "issued")):
            value = block_list(data[key]) if isinstance(data[key], list) else data[key]
            set_key(doc, key, value, plan_keys)
    if placeholder and CARRY_REMARK.search(str(doc.get("remark") or "")):
        del doc["remark"]
    existing = {str(item.get("id")): (path, item) for path, item in iter_items(doc)}
    doc_ids = {str(i["id"]) for i in _walk_items(data["sections"])}
    # Unrecorded items the document replaces or (--force) no longer has are taken out first.
    for item_id, (_path, item) in list(existing.items()):
        recorded = _recorded_map(item)
        if (item_id in doc_ids and (not recorded or replace_recorded)) or (
            item_id not in doc_ids and force and (not recorded or replace_recorded)
        ):
            _remove(doc, item)
            del existing[item_id]
    sections = doc.get("sections")
    if not isinstance(sections, list):
        set_key(doc, "sections", block_list([]), plan_keys)
        sections = doc["sections"]
    carry_at = next((k for k, s in enumerate(sections) if isinstance(s, dict) and s.get("title") == CARRY_SECTION), None)
    for sec in data["sections"]:
        styled = _styled_section(sec, existing)
        if styled is None:
            continue
        if today is not None:
            for item in _walk_items([styled]):
                if dated_record_needed(doc, item, today):
                    set_key(item, "added", today)
        match = next((s for s in sections if _same_section(s, sec)), None)
        if match is not None:
            _merge_section(match, styled)
        elif carry_at is not None:
            sections.insert(carry_at, styled)
            carry_at += 1
        else:
            sections.append(styled)
    for k in [k for k, s in enumerate(sections) if isinstance(s, dict) and not s.get("items") and not s.get("sections")][::-1]:
        if sections[k].get("title") != CARRY_SECTION:
            del sections[k]


#: The remark ``ggk review --carry-over`` writes on the plan file it makes (“…只含上年度结转任务；…印发后补录…”).
CARRY_REMARK = re.compile(r"只含上年度结转任务")


def _carry_over_only(doc: Any) -> bool:
    """The plan file holds nothing but the carry-over's section: it stands in for the plan until the document comes."""
    from ggk.ledger.carryover import CARRY_SECTION

    sections = doc.get("sections")
    return isinstance(sections, list) and bool(sections) and all(isinstance(s, dict) and s.get("title") == CARRY_SECTION for s in sections)


def _walk_items(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for sec in sections:
        out += sec.get("items", [])
        out += _walk_items(sec.get("sections", []))
    return out


def _remove(doc: Any, target: Any) -> None:
    def walk(sections: Any) -> bool:
        for sec in sections or []:
            items = sec.get("items") if isinstance(sec, dict) else None
            if isinstance(items, list):
                for k, item in enumerate(items):
                    if item is target:
                        del items[k]
                        return True
            if isinstance(sec, dict) and walk(sec.get("sections")):
                return True
        return False

    walk(doc.get("sections"))


def _same_section(existing: Any, sec: dict[str, Any]) -> bool:
    return isinstance(existing, dict) and str(existing.get("title")) == sec["title"] and existing.get("no") == sec.get("no")


def _styled_section(sec: dict[str, Any], existing: dict[str, Any]) -> Any:
    """A section of the document in the house style, without the items whose ids a recorded item holds."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    from ggk.ledger.edits import block_list, block_map, styled_item

    items = []
    for item in sec.get("items", []):
        if str(item["id"]) in existing:
            continue  # the id belongs to an item with a record (reported as a clash)
        styled = styled_item(item)
        styled["id"] = DoubleQuotedScalarString(str(item["id"]))
        items.append(styled)
    subs = [s for s in (_styled_section(s, existing) for s in sec.get("sections", [])) if s is not None]
    if not items and not subs:
        return None
    out: dict[Any, Any] = {}
    if sec.get("no") is not None:
        out[DoubleQuotedScalarString("no")] = sec["no"]
    out["title"] = sec["title"]
    if items:
        out["items"] = block_list(items)
    if subs:
        out["sections"] = block_list(subs)
    return block_map(out)


def _merge_section(target: Any, styled: Any) -> None:
    from ggk.ledger.edits import SECTION_KEYS, block_list, set_key

    for key in ("items", "sections"):
        new = styled.get(key)
        if not new:
            continue
        cur = target.get(key)
        if isinstance(cur, list):
            if key == "items":
                cur.extend(new)
            else:
                for sub in new:
                    match = next((s for s in cur if isinstance(s, dict) and s.get("title") == sub.get("title")), None)
                    if match is not None:
                        _merge_section(match, sub)
                    else:
                        cur.append(sub)
        else:
            set_key(target, key, block_list(list(new)), SECTION_KEYS)


# --------------------------------------------------------------------------- registry


def _fill_registry(path: Path, result: ImportResult) -> None:
    """An empty registry (written by ``ggk init``) gets the document's departments, as a new unit would."""
    from ggk.ledger.edits import block_list, block_map, flow_list, set_key
    from ggk.workspace.scaffold import drop_registry_hint
    from ggk.workspace.transaction import edit_plan

    unit_keys = tuple(Unit.model_fields)

    def fn(doc: Any) -> None:
        entries = []
        for entry in department_entries(result):
            if set(entry) == {"name"}:
                entries.append(entry["name"])
            else:
                entries.append(block_map({k: (flow_list(v) if isinstance(v, list) else v) for k, v in entry.items()}))
        set_key(doc, "review", True, unit_keys)
        set_key(doc, "departments", block_list(entries), unit_keys)

    edited = edit_plan(path, fn, tidy=drop_registry_hint)  # block style, one department a line; the template's hint goes
    if edited.refused:
        raise GgkError(f"名册 {path} 未写入：{edited.errors[0].message}", "先运行 ggk check 修正名册")


def _register_names(path: Path, names: list[str]) -> None:
    """Enter ``names`` in a filled registry (``--register``), each with its own ``review: true`` (collective
    names also ``group: true``), written as a block like the registry's other mappings.  The unit-level
    mark is for a brand-new registry only: the departments already there, perhaps reviewed long ago, keep
    their state, and so do their comments."""
    from ggk.ledger.edits import append_to, block_map
    from ggk.workspace.transaction import edit_plan

    unit_keys = tuple(Unit.model_fields)

    def fn(doc: Any) -> None:
        for name in names:
            entry = {"name": name, "group": True, "review": True} if is_group(name) else {"name": name, "review": True}
            append_to(doc, "departments", block_map(entry), unit_keys)

    edited = edit_plan(path, fn)
    if edited.refused:
        raise GgkError(f"名册 {path} 未写入：{edited.errors[0].message}", "先运行 ggk check 修正名册")
