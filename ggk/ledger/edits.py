"""The editing operations of the ledger, as library functions on a ruamel.yaml plan document.

Owns what an edit means: assigning departments (交办/分解), dated progress entries (报送进展),
status changes with their completion date or cancellation reason, postponements (延期) with the
old deadline kept in ``history``, the 落实情况 summary, canonical department names, and appending
an item to a section (used by the carry-over feature).  Each function changes the document in
memory and returns a short Chinese description of what it did; writing the file (minimal diff,
validation, lock, atomic replace) is ``ggk.workspace.transaction.edit_plan``.  No typer, no clock: every date is
a parameter.

New keys are inserted where a person would put them (the order of the fields of
``ggk.model.Item``); new values follow the house style of the bundled plans: department lists and
deadline rules in flow style (``[甲, 乙]``, ``{phrase: …, due: …}``), progress entries as block
mappings, long text as ``|-`` blocks.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ggk.diagnostics import GgkError
from ggk.model import Deadline, DeadlineChange, DeadlineKind, Item, LogEntry, Section, Status, parse_status

ITEM_KEYS: tuple[str, ...] = tuple(Item.model_fields)
SECTION_KEYS: tuple[str, ...] = tuple(Section.model_fields)
#: Progress entries are written in the order the bundled ledgers use.
LOG_KEYS: tuple[str, ...] = ("date", "by", "note", "event", "done", "counts", "evidence", "status", "source")
HISTORY_KEYS: tuple[str, ...] = tuple(DeadlineChange.model_fields)
#: Keys whose text is written as a ``|-`` block, like the bundled plans do.
_BLOCK_TEXT = ("text", "summary")

assert set(LOG_KEYS) == set(LogEntry.model_fields)


# =========================================================================== ruamel helpers


def flow_list(values: Iterable[Any]) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(list(values))
    seq.fa.set_flow_style()
    return seq


def block_list(values: Iterable[Any]) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(list(values))
    seq.fa.set_block_style()
    return seq


def flow_map(pairs: Mapping[str, Any]) -> Any:
    from ruamel.yaml.comments import CommentedMap

    m = CommentedMap((k, v) for k, v in pairs.items() if v is not None)
    m.fa.set_flow_style()
    return m


def block_map(pairs: Mapping[str, Any]) -> Any:
    from ruamel.yaml.comments import CommentedMap

    m = CommentedMap((k, v) for k, v in pairs.items() if v is not None)
    m.fa.set_block_style()
    return m


def text_value(text: str, literal: bool = False) -> Any:
    """A string value; multi-line text (or ``literal``) becomes a ``|-`` block when possible."""
    from ruamel.yaml.scalarstring import LiteralScalarString

    from ggk.yamlfiles.patch import literal_ok

    text = text.replace("\r\n", "\n")
    if ("\n" in text or literal) and literal_ok(text):
        return LiteralScalarString(text)
    return text


def set_key(mapping: Any, key: str, value: Any, order: Sequence[str] = ITEM_KEYS) -> None:
    """Set ``key``; a new key goes after the last existing key that comes before it in ``order``."""
    if key in mapping:
        mapping[key] = value
        return
    rank = {k: i for i, k in enumerate(order)}
    mine = rank.get(key, len(order))
    pos = 0
    for i, k in enumerate(mapping.keys()):
        if rank.get(k, len(order)) < mine:
            pos = i + 1
    mapping.insert(pos, key, value)


def to_plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def _names(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


# =========================================================================== finding items


def iter_items(doc: Any) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every item mapping of a plan document with its data path (as ``Plan.iter_items``)."""

    def walk(sections: Any, base: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Any]]:
        if not isinstance(sections, list):
            return
        for i, sec in enumerate(sections):
            if not isinstance(sec, Mapping):
                continue
            here = (*base, "sections", i)
            items = sec.get("items")
            if isinstance(items, list):
                for j, item in enumerate(items):
                    if isinstance(item, Mapping):
                        yield (*here, "items", j), item
            yield from walk(sec.get("sections"), here)

    if isinstance(doc, Mapping):
        yield from walk(doc.get("sections"), ())


def find_item(doc: Any, item_id: str) -> Any:
    """The item mapping with this id (found by id, so that a concurrent edit cannot misdirect it)."""
    found = [item for _loc, item in iter_items(doc) if str(item.get("id")) == str(item_id)]
    if not found:
        raise GgkError(f"文件中找不到编号为 {item_id} 的条目（可能刚被他人修改）", "用 ggk list 查看编号后重试")
    if len(found) > 1:
        raise GgkError(f"文件中有多个编号为 {item_id} 的条目", "先用 ggk check 找到并改正重复的编号")
    return found[0]


def _status_of(item: Any) -> Status:
    raw = item.get("status")
    if raw is None:
        return Status.NOT_STARTED
    try:
        return parse_status(str(raw))
    except ValueError:
        raise GgkError(f"条目 {item.get('id')} 的状态「{raw}」无法识别", "先用 ggk check 改正") from None


# =========================================================================== operations


def assign(
    doc: Any,
    item_id: str,
    *,
    lead: Sequence[str] | None = None,
    assist: Sequence[str] | None = None,
    add_lead: Sequence[str] = (),
    add_assist: Sequence[str] = (),
    remove: Sequence[str] = (),
) -> str:
    """Set (``lead``/``assist``) or change (``add_*``/``remove``) the departments of an item.

    Names are written as given: resolve them first (``resolve_departments``).  A department is
    either lead or assist: adding it to one role takes it out of the other."""
    item = find_item(doc, item_id)
    cur_lead, cur_assist = _names(item.get("lead")), _names(item.get("assist"))
    new_lead = list(lead) if lead is not None else list(cur_lead)
    new_assist = list(assist) if assist is not None else list(cur_assist)
    both = set(lead or ()) & set(assist or ())
    if both:
        raise GgkError(f"「{'」「'.join(sorted(both))}」不能同时是牵头单位和配合单位")
    if lead is not None and assist is None:
        new_assist = [n for n in new_assist if n not in new_lead]
    if assist is not None and lead is None:
        new_lead = [n for n in new_lead if n not in new_assist]
    for n in add_lead:
        new_assist = [x for x in new_assist if x != n]
        if n not in new_lead:
            new_lead.append(n)
    for n in add_assist:
        new_lead = [x for x in new_lead if x != n]
        if n not in new_assist:
            new_assist.append(n)
    missing = [n for n in remove if n not in new_lead and n not in new_assist]
    if missing:
        raise GgkError(f"条目 {item_id} 的牵头和配合单位中没有「{'」「'.join(missing)}」")
    new_lead = _dedupe(n for n in new_lead if n not in remove)
    new_assist = _dedupe(n for n in new_assist if n not in remove)
    _set_names(item, "lead", new_lead)
    _set_names(item, "assist", new_assist)
    if (new_lead, new_assist) == (cur_lead, cur_assist):
        return f"牵头和配合单位没有变化（牵头：{_join(new_lead)}；配合：{_join(new_assist)}）"
    return f"牵头：{_join(new_lead)}；配合：{_join(new_assist)}"


def _dedupe(names: Iterable[str]) -> list[str]:
    out: list[str] = []
    for n in names:
        if n not in out:
            out.append(n)
    return out


def _join(names: Sequence[str]) -> str:
    return "、".join(names) if names else "（无）"


def _set_names(item: Any, key: str, names: list[str]) -> None:
    cur = item.get(key)
    if _names(cur) == names and (cur is not None or not names):
        return
    if isinstance(cur, list):
        # Change the list in place: it keeps its style (flow or block) and its comments.
        kept = {str(v): v for v in cur}
        del cur[:]
        cur.extend(kept.get(n, n) for n in names)
        return
    set_key(item, key, flow_list(names))


def add_log(
    doc: Any,
    item_id: str,
    *,
    date: dt.date,
    note: str | None = None,
    by: str | None = None,
    evidence: str | None = None,
    status: Status | None = None,
    event: dt.date | None = None,
    done: dt.date | None = None,
    counts: bool | None = None,
    source: Mapping[str, str] | None = None,
    item: Any = None,
) -> Any:
    """Append a dated progress entry to the item's ``log``; return the entry.  ``source``: the returned
    form it came from (``{form: …, period: …}``, written by ``ggk intake``); ``item``: the item's
    mapping when the caller has found it already (an intake appends hundreds of entries)."""
    item = item if item is not None else find_item(doc, item_id)
    if note is None and evidence is None and status is None and event is None:
        raise GgkError("进展记录至少要有内容（note）、佐证、状态或事件日期之一")
    if done is not None and event is None:
        raise GgkError("--done（公开日期）须与 --event（事件日期）一起给出")
    if event is not None and done is not None and done < event:
        raise GgkError(f"公开日期 {done} 早于事件日期 {event}")
    values = {
        "date": date,
        "by": by,
        "note": text_value(note) if note is not None else None,
        "event": event,
        "done": done,
        "counts": counts if counts is False else None,
        "evidence": evidence,
        "status": status.value if status is not None else None,
        "source": flow_map(source) if source else None,
    }
    entry = block_map({k: values[k] for k in LOG_KEYS})
    log = item.get("log")
    if isinstance(log, list):
        log.append(entry)
    else:
        set_key(item, "log", block_list([entry]))
    return entry


def set_status(
    doc: Any,
    item_id: str,
    status: Status | str,
    *,
    date: dt.date,
    note: str | None = None,
    by: str | None = None,
    evidence: str | None = None,
    reason: str | None = None,
) -> str:
    """Change the status, with a log entry.  已完成 records ``completed``; 已取消 needs ``reason``.

    Leaving 已完成 removes ``completed`` (it would contradict the status); leaving 已取消 removes
    ``reason``; the log keeps the story."""
    st = status if isinstance(status, Status) else parse_status(status)
    item = find_item(doc, item_id)
    old = _status_of(item)
    reason = reason.strip() if reason else None
    if st is Status.CANCELLED and not reason and not str(item.get("reason") or "").strip():
        raise GgkError("取消条目须写明原因", "加上 --reason 原因")
    if st is old and not (note or evidence or reason):
        raise GgkError(f"条目 {item_id} 的状态已是「{st.value}」", "如要记录进展，用 ggk note；更正完成日期请直接编辑 completed")
    if st is not old:
        set_key(item, "status", st.value)
    parts = [f"状态 {old.value} → {st.value}" if st is not old else f"状态仍为 {st.value}"]
    if st is Status.DONE:
        if st is not old or item.get("completed") is None:  # a note on a done item keeps its date
            set_key(item, "completed", date)
            parts.append(f"完成日期 {date}")
    elif "completed" in item:
        del item["completed"]
        parts.append("删除了完成日期")
    if st is Status.CANCELLED:
        if reason:
            set_key(item, "reason", text_value(reason))
        parts.append(f"原因：{reason or item.get('reason')}")
    elif "reason" in item and old is Status.CANCELLED:
        del item["reason"]
        parts.append("删除了取消原因")
    add_log(
        doc,
        item_id,
        date=date,
        note=note if note is not None else (reason if st is Status.CANCELLED else None),
        by=by,
        evidence=evidence,
        status=st if st is not old else None,
    )
    return "，".join(parts)


def note(
    doc: Any,
    item_id: str,
    text: str,
    *,
    date: dt.date,
    by: str | None = None,
    evidence: str | None = None,
    event: dt.date | None = None,
    done: dt.date | None = None,
    counts: bool | None = None,
) -> str:
    """A progress entry without a status change (changing the status is ``set_status``)."""
    add_log(doc, item_id, date=date, note=text, by=by, evidence=evidence, event=event, done=done, counts=counts)
    return f"记录进展（{date}）：{_short(text)}"


def _short(text: str, n: int = 40) -> str:
    one = " ".join(text.split())
    return one if len(one) <= n else one[: n - 1] + "…"


def postpone_phrase(to: dt.date) -> str:
    return f"{to.year}年{to.month}月{to.day}日前"


def postpone(
    doc: Any,
    item_id: str,
    *,
    to: dt.date,
    reason: str,
    date: dt.date,
    by: str | None = None,
    year: int | None = None,
) -> str:
    """Set a new one-time deadline (延期); the old one is kept in ``history`` (a DeadlineChange).

    Only a one-time deadline can be postponed; an item without any deadline gets one (old: []).
    Recurring, count and working-day rules and standing work are refused."""
    from ggk.deadlines import resolve

    if not reason or not reason.strip():
        raise GgkError("延期须写明原因", "加上 --reason 原因")
    item = find_item(doc, item_id)
    plan_year = year if year is not None else int(doc.get("year") or to.year)
    raw = item.get("deadline")
    entries = list(raw) if isinstance(raw, list) else ([] if raw is None else [raw])
    once: list[int] = []
    old_due: dt.date | None = None
    for i, e in enumerate(entries):
        try:
            rule = resolve(Deadline.model_validate(to_plain(e)), plan_year)
        except ValueError:
            rule = None
        if rule is None or rule.kind is DeadlineKind.ONCE:
            once.append(i)
            if rule is not None and rule.due:
                old_due = rule.due
    if entries and not once:
        raise GgkError(
            f"条目 {item_id} 的时限是周期、计次、工作日规则或常态化，不能延期",
            "如确需改为一次性时限，请手工编辑 deadline 并在 history 中记录",
        )
    if len(once) > 1:
        raise GgkError(f"条目 {item_id} 有多个一次性时限，不知道延哪一个", "请手工编辑 deadline，并在 history 中记录")
    if old_due is not None and to <= old_due:
        raise GgkError(f"新时限 {to} 不晚于原时限 {old_due}", "延期的新日期应晚于原定日期")
    new_value = flow_map({"phrase": postpone_phrase(to), "due": to})
    old_values = [copy.deepcopy(entries[once[0]])] if once else []
    change = block_map(
        {
            "date": date,
            "old": flow_list(old_values),
            "new": flow_list([copy.deepcopy(new_value)]),
            "reason": text_value(reason.strip()),
            "by": by,
        }
    )
    if isinstance(raw, list) and once:
        raw[once[0]] = new_value
    elif isinstance(raw, list):
        raw.append(new_value)
    else:
        set_key(item, "deadline", new_value)
    history = item.get("history")
    if isinstance(history, list):
        history.append(change)
    else:
        set_key(item, "history", block_list([change]))
    was = (
        f"原时限 {old_due}"
        if old_due
        else ("原时限「" + str(to_plain(old_values[0]) if old_values else "") + "」" if old_values else "原无时限")
    )
    return f"延期至 {to}（{was}；原因：{_short(reason)}）"


def set_summary(doc: Any, item_id: str, text: str) -> str:
    """Set the item's 落实情况 (``summary``), as a ``|-`` block like the bundled plans."""
    from ruamel.yaml.scalarstring import LiteralScalarString

    item = find_item(doc, item_id)
    text = text.replace("\r\n", "\n").strip("\n")
    if not text.strip():
        raise GgkError("落实情况不能为空")
    cur = item.get("summary")
    literal = cur is None or isinstance(cur, LiteralScalarString) or "\n" in text
    set_key(item, "summary", text_value(text, literal=literal))
    return f"落实情况：{_short(text)}"


# =========================================================================== department names


@dataclass
class Unresolved:
    item_id: str
    name: str
    suggestions: list[str] = field(default_factory=list)


def resolve_departments(registry: Any, names: Iterable[str]) -> list[str]:
    """Canonical names for ``names`` (aliases accepted); unknown names raise with suggestions."""
    out: list[str] = []
    bad: list[str] = []
    for raw in names:
        for name in split_names(raw):
            canon = registry.canonical(name) if registry else None
            if canon is None:
                near = registry.suggest(name) if registry else []
                bad.append(f"「{name}」" + (f"（是不是「{'」「'.join(near)}」？）" if near else ""))
            elif canon not in out:
                out.append(canon)
    if bad:
        raise GgkError(
            f"未登记的部门：{'、'.join(bad)}",
            "部门名称须在单位名册（unit.yaml 的 departments）中登记，别名也可以；新部门请先在名册中登记",
        )
    return out


def split_names(text: str) -> list[str]:
    """``局办公室,局财务股`` / ``局办公室、局财务股`` -> two names."""
    return [p.strip() for p in re.split(r"[,，、;；]", str(text)) if p.strip()]


def canonical_by(registry: Any, by: str | None) -> str | None:
    """``--by``: a registered department is written canonically; anything else (a person) as given."""
    if by is None:
        return None
    by = by.strip()
    canon = registry.canonical(by) if registry else None
    return canon or by


def resolve_names(doc: Any, registry: Any) -> tuple[list[str], list[Unresolved]]:
    """Rewrite every lead/assist name of a plan to its canonical name (after an import).

    Returns the changes made (descriptions) and the names that could not be resolved."""
    changes: list[str] = []
    unresolved: list[Unresolved] = []
    for _loc, item in iter_items(doc):
        iid = str(item.get("id"))
        for key in ("lead", "assist"):
            value = item.get(key)
            if value is None:
                continue
            seq = value if isinstance(value, list) else None
            names = _names(value)
            result: list[Any] = []
            changed = False
            for i, name in enumerate(names):
                canon = registry.canonical(name)
                if canon is None:
                    unresolved.append(Unresolved(iid, name, registry.suggest(name)))
                    result.append(seq[i] if seq is not None else name)
                    continue
                if canon != name:
                    changes.append(f"条目 {iid} {'牵头' if key == 'lead' else '配合'}：{name} → {canon}")
                    changed = True
                if any(str(r) == canon for r in result):
                    changed = True
                    continue
                result.append(canon if canon != name else (seq[i] if seq is not None else name))
            if not changed:
                continue
            if seq is not None:
                del seq[:]
                seq.extend(result)
            else:
                item[key] = result[0] if len(result) == 1 else flow_list(result)
    return changes, unresolved


# =========================================================================== appending items


def _section_at(doc: Any, section_path: Sequence[Any]) -> Any:
    path = list(section_path)
    if path and all(isinstance(p, int) for p in path):
        path = [x for i in path for x in ("sections", i)]
    node = doc
    try:
        for part in path:
            node = node[part]
    except (KeyError, IndexError, TypeError):
        raise GgkError(f"计划中没有这一部分：{tuple(section_path)}") from None
    if not isinstance(node, Mapping) or "title" not in node:
        raise GgkError(f"{tuple(section_path)} 不是计划的一个部分（section）")
    return node


def styled_item(item: Mapping[str, Any]) -> Any:
    """An item mapping in the house style (see the module docstring), keys in model order."""
    rank = {k: i for i, k in enumerate(ITEM_KEYS)}
    keys = sorted(item.keys(), key=lambda k: rank.get(str(k), len(rank)))
    out: dict[str, Any] = {}
    for k in keys:
        v = item[k]
        if v is None:
            continue
        if k == "id":
            v = str(v)
        elif k in ("lead", "assist"):
            v = v if getattr(v, "fa", None) is not None else flow_list(_names(v))
        elif k == "deadline":
            v = _styled_deadline(v)
        elif k in _BLOCK_TEXT and isinstance(v, str):
            v = text_value(v, literal=True)
        elif k in ("reason", "remark") and isinstance(v, str):
            v = text_value(v)
        elif k == "log" and isinstance(v, list):
            v = block_list(_styled_map(e, LOG_KEYS) for e in v)
        elif k == "history" and isinstance(v, list):
            v = block_list(_styled_change(e) for e in v)
        out[k] = v
    return block_map(out)


def _styled_deadline(v: Any) -> Any:
    if getattr(v, "fa", None) is not None:
        return v
    if isinstance(v, Mapping):
        return flow_map(dict(v))
    if isinstance(v, list):
        if len(v) == 1:
            return _styled_deadline(v[0])
        return block_list(_styled_deadline(x) for x in v)
    return v


def _styled_map(e: Any, order: Sequence[str]) -> Any:
    if getattr(e, "fa", None) is not None or not isinstance(e, Mapping):
        return e
    rank = {k: i for i, k in enumerate(order)}
    return block_map(
        {k: (text_value(v) if isinstance(v, str) else v) for k, v in sorted(e.items(), key=lambda kv: rank.get(kv[0], len(rank)))}
    )


def _styled_change(e: Any) -> Any:
    if getattr(e, "fa", None) is not None or not isinstance(e, Mapping):
        return e
    out = dict(e)
    for key in ("old", "new"):
        if key in out:
            vals = out[key] if isinstance(out[key], list) else [out[key]]
            out[key] = flow_list(flow_map(dict(x)) if isinstance(x, Mapping) else x for x in vals)
    return _styled_map(out, HISTORY_KEYS)


def append_item(doc: Any, section_path: Sequence[Any], item: Mapping[str, Any]) -> Any:
    """Append an item at the end of a section; return the new item mapping.

    ``section_path`` is the data path of the section, as in ``Plan.iter_items`` locations
    (``("sections", 2)`` or ``("sections", 0, "sections", 1)``), or just the indices (``(2,)``,
    ``(0, 1)``).  A plain dict is written in the house style; give ruamel objects to control it.
    Ids are not checked here: ``edit_plan`` refuses an edit that makes a duplicate id (GGK201)."""
    section = _section_at(doc, section_path)
    new = item if getattr(item, "fa", None) is not None else styled_item(item)
    items = section.get("items")
    if isinstance(items, list):
        items.append(new)
    else:
        set_key(section, "items", block_list([new]), SECTION_KEYS)
    return new


# =========================================================================== applying to refs


@dataclass
class Target:
    """An item named on the command line: its file, id and full reference."""

    path: Path
    item_id: str
    ref: str
    unit: str
    year: int


def open_targets(paths: Sequence[Path], refs: Sequence[str], today: dt.date) -> tuple[Any, list[Target]]:
    """Load the plans and resolve each reference (``unit/year/id`` and its short forms)."""
    from ggk.ledger.queries import resolve_ref
    from ggk.workspace.load import load

    ws = load(paths)
    out = []
    for ref in refs:
        row = resolve_ref(ws, ref, today)
        out.append(
            Target(
                row.entry.path,
                row.item.id,
                f"{row.entry.plan.unit}/{row.entry.plan.year}/{row.item.id}",
                row.entry.plan.unit,
                row.entry.plan.year,
            )
        )
    return ws, out


Op = Callable[[Any, Target], str]


def apply(targets: Sequence[Target], op: Op, *, dry_run: bool, today: dt.date) -> list[Any]:
    """Run ``op`` on each target, one ``edit_plan`` per file; return the ``EditResult``s.

    Each result's ``value`` is the list of ``"ref：description"`` lines."""
    from ggk.workspace.transaction import edit_plan

    groups: dict[Path, list[Target]] = {}
    for t in targets:
        groups.setdefault(t.path, []).append(t)
    results = []
    for path, group in groups.items():

        def fn(doc: Any, group: list[Target] = group) -> list[str]:
            return [f"{t.ref}：{op(doc, t)}" for t in group]

        results.append(edit_plan(path, fn, dry_run=dry_run, today=today))
    return results
