"""The unit's register (登记簿, ``plans/<unit>/register.yaml``): the 督办单 issued and the 进展报送表 received.

Owns the file's shape (``Register``), reading it (a problem is a ``GgkError`` naming file:line:col),
writing it (a new file in house style through ``ggk.yamlfiles.emit``; an existing one through the edit
transaction of the plans, so it is changed line by line, atomically, under the same lock), the
numbering of 督办单 (督〔2026〕3号: one sequence per unit and calendar year, a re-issue on the same day
to the same department keeps its number), and what became of each notice as of a date: answered on
time, answered late, unanswered.  A notice is answered by the department's first reply on or after
its date: a returned form from that department, or a progress entry on one of its items that is the
department's own word (``reporter``: recorded ``by`` it, or taken in from its form).  What ggk writes
itself (the carry-over's entries) and what the office records without naming a department answers
nothing.

As of a date, the register holds only what had been issued and received by then, so a report for a
past date is what it was on that date.  Nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ggk.diagnostics import GgkError
from ggk.model import FORMAT_VERSION
from ggk.workspace.load import REGISTER_FILE

NOTICE_PREFIX = "督"
_NUMBER = re.compile(r"〔(\d{4})〕(\d+)号")


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class NoticeRecord(_Record):
    """One 督办单 issued to one department."""

    no: str = Field(description="督办单编号，如 督〔2026〕3号")
    date: dt.date = Field(description="签发日期")
    dept: str = Field(description="督办的部门（规范名称）")
    items: list[str] = Field(default_factory=list, description="督办的条目（单位/年度/编号）")
    reply_by: dt.date = Field(description="反馈截止日期")
    remark: str | None = Field(None, description="备注")

    @field_validator("no", "dept", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value

    @property
    def seq(self) -> tuple[int, int] | None:
        """(year, number) of 督〔2026〕3号."""
        m = _NUMBER.search(self.no)
        return (int(m.group(1)), int(m.group(2))) if m else None


class ReturnRecord(_Record):
    """One returned 进展报送表, as taken in by ``ggk intake``."""

    form: str = Field(description="报送表编号")
    period: str = Field(description="报送期，如 2026-Q3")
    dept: str = Field(description="报送部门（规范名称）")
    received: dt.date = Field(description="收到（录入）日期")
    revised: dt.date | None = Field(None, description="最近一次收到更正的日期")
    reporter: str | None = Field(None, description="填报人")
    phone: str | None = Field(None, description="联系电话")

    @field_validator("reporter", "phone", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


class Register(_Record):
    """plans/<unit>/register.yaml."""

    format: int = Field(FORMAT_VERSION, description="文件格式版本")
    unit: str = Field(description="单位代号")
    notices: list[NoticeRecord] = Field(default_factory=list, description="签发的督办单")
    returns: list[ReturnRecord] = Field(default_factory=list, description="收到的进展报送表")

    def as_of(self, today: dt.date) -> Register:
        """The register as it stood on ``today``: what was issued and received by then."""
        return Register.model_construct(  # parts of a valid register: nothing to validate again
            format=self.format,
            unit=self.unit,
            notices=[n for n in self.notices if n.date <= today],
            returns=[r for r in self.returns if r.received <= today],
        )


def register_path(unit_dir: Path) -> Path:
    return Path(unit_dir) / REGISTER_FILE


# --------------------------------------------------------------------------- reading


def read_register(path: Path, unit: str) -> Register:
    """The register at ``path`` (an empty one when the file does not exist yet)."""
    if not path.exists():  # (made without validation: a report need not build the validator)
        return Register.model_construct(format=FORMAT_VERSION, unit=unit, notices=[], returns=[])
    from ggk.yamlfiles.read import read_file

    parsed = read_file(str(path))
    first = next((d for d in parsed.diagnostics if d.severity.value == "error"), None)
    if first is not None or not isinstance(parsed.data, dict):
        where = f"{path}:{first.line}:{first.col}: {first.message}" if first else f"{path}: 不是 YAML 映射"
        raise GgkError(f"登记簿无法读取：{where}", "改正该文件后重试（它由 ggk notice 和 ggk intake 维护）")
    try:
        reg = Register.model_validate(parsed.data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        line, col = parsed.locator.find(loc) if parsed.locator is not None else (1, 1)
        key = ".".join(str(p) for p in loc)
        raise GgkError(f"登记簿有误：{path}:{line}:{col}: {key}：{err['msg']}", "改正该文件后重试") from None
    if reg.unit != unit:
        raise GgkError(f"登记簿 {path} 写的单位是「{reg.unit}」，应为「{unit}」")
    return reg


# --------------------------------------------------------------------------- writing

#: Key order of the file ggk writes.
_ORDER = (
    "format", "unit", "no", "form", "period", "dept", "date", "received", "revised", "items", "reply_by",
    "reporter", "phone", "remark", "notices", "returns",
)  # fmt: skip
_HEADER = ("登记簿：ggk notice 签发的督办单和 ggk intake 收到的进展报送表，由 ggk 维护；可以手工更正，键名不要改动。",)


def _plain(record: BaseModel) -> dict[str, Any]:
    return {k: v for k, v in record.model_dump(mode="python", exclude_none=True).items() if v != []}


def _update(
    path: Path, unit: str, change: Callable[[Register], Register | None], *, dry_run: bool = False, diffs: list[str] | None = None
) -> Register:
    """Apply ``change`` (which returns the new register, or None for no change) and write the result:
    a new file in house style, or the changed entries of an existing file only.  With ``dry_run``
    nothing is written; the unified diff of what would be goes to ``diffs`` (when given)."""
    from filelock import FileLock

    from ggk.workspace.files import atomic_write
    from ggk.workspace.transaction import lock_path

    current = read_register(path, unit)
    new = change(current)
    if new is None or dry_run:
        if new is not None and diffs is not None:
            diffs.append(_diff(path, new))
        return new or current
    if not path.exists():
        with FileLock(str(lock_path(path))):
            if not path.exists():
                atomic_write(path, _new_file(new))
                return new
        current = read_register(path, unit)  # someone wrote it meanwhile: change what is there now
        new = change(current) or current
    _edit(path, new, dry_run=False)
    return new


def _new_file(reg: Register) -> str:
    """A new register file in house style."""
    from ggk.yamlfiles import emit

    data: dict[str, Any] = {"format": reg.format, "unit": reg.unit}
    if reg.notices:  # an empty list is left out: a list added later is then a block list
        data["notices"] = [_plain(n) for n in reg.notices]
    if reg.returns:
        data["returns"] = [_plain(r) for r in reg.returns]
    return emit.dump(data, header=_HEADER, flow_lists=emit.FLOW_LISTS | {"items"}, order=_ORDER)


def _edit(path: Path, new: Register, *, dry_run: bool) -> str:
    """Make the existing file at ``path`` say ``new``, changing only the entries that differ: the diff."""
    from ggk.workspace.transaction import edit_plan

    def fn(doc: Any) -> None:
        _sync(doc, "notices", [_plain(n) for n in new.notices], "no")
        _sync(doc, "returns", [_plain(r) for r in new.returns], "form")
        Register.model_validate(_to_data(doc))  # never write a register ggk could not read back

    result = edit_plan(path, fn, validate=False, dry_run=dry_run)
    if result.refused:
        d = result.errors[0]
        raise GgkError(f"登记簿无法改写：{d.path}:{d.line}:{d.col}: {d.message}")
    return result.diff


def _diff(path: Path, new: Register) -> str:
    """The unified diff writing ``new`` would make (a new file: every line added)."""
    if path.exists():
        return _edit(path, new, dry_run=True)
    from ggk.yamlfiles.patch import Source, unified_diff

    return unified_diff(Source([], []), Source.from_text(_new_file(new)), str(path))


def _to_data(doc: Any) -> Any:
    from ggk.ledger.edits import to_plain

    return to_plain(doc)


def _sync(doc: Any, key: str, records: list[dict[str, Any]], ident: str) -> None:
    """Make ``doc[key]`` hold ``records``: entries found by ``ident`` are changed in place (key by key,
    so a hand-written comment stays), new ones appended."""
    from ggk.ledger.edits import block_list, block_map, flow_list, set_key

    seq = doc.get(key)
    if not isinstance(seq, list) or (not seq and records):  # absent, or the empty ``[]`` of a new file
        if not records:
            return
        seq = block_list([])
        set_key(doc, key, seq, _ORDER)
    index = {str(e.get(ident)): e for e in seq if hasattr(e, "get")}
    for rec in records:
        styled = {k: (flow_list(v) if isinstance(v, list) else v) for k, v in rec.items()}
        entry = index.get(str(rec[ident]))
        if entry is None:
            seq.append(block_map({k: styled[k] for k in sorted(styled, key=_rank)}))
            continue
        for k in list(entry.keys()):
            if k not in rec:
                del entry[k]
        for k, v in styled.items():
            if _to_data(entry.get(k)) != (list(v) if isinstance(v, list) else v):
                set_key(entry, k, v, _ORDER)


def _rank(key: str) -> int:
    return _ORDER.index(key) if key in _ORDER else len(_ORDER)


# --------------------------------------------------------------------------- 督办单 numbers


def next_number(reg: Register, year: int, prefix: str = NOTICE_PREFIX) -> str:
    """The next number of ``year``: one more than the highest of that year in the register."""
    used = [s[1] for n in reg.notices if (s := n.seq) is not None and s[0] == year]
    return f"{prefix}〔{year}〕{max(used, default=0) + 1}号"


def issued_on(reg: Register, dept: str, day: dt.date) -> NoticeRecord | None:
    """The notice already issued to ``dept`` on ``day`` (a re-issue keeps its number)."""
    return next((n for n in reg.notices if n.dept == dept and n.date == day), None)


def record_notice(
    path: Path,
    unit: str,
    *,
    dept: str,
    day: dt.date,
    items: Sequence[str],
    reply_by: dt.date,
    prefix: str = NOTICE_PREFIX,
    dry_run: bool = False,
    diffs: list[str] | None = None,
) -> NoticeRecord:
    """Record the 督办单 issued to ``dept`` on ``day``; the same day's notice to the same department is
    the same record (its items and reply date brought up to date), never a second number.  With
    ``dry_run`` nothing is written (the diff goes to ``diffs``, when given)."""
    made: list[NoticeRecord] = []

    def change(reg: Register) -> Register | None:
        old = issued_on(reg, dept, day)
        if old is not None:
            new = old.model_copy(update={"items": list(items), "reply_by": reply_by})
            made.append(new)
            if new == old:
                return None
            notices = [new if n is old else n for n in reg.notices]
            return reg.model_copy(update={"notices": notices})
        rec = NoticeRecord(no=next_number(reg, day.year, prefix), date=day, dept=dept, items=list(items), reply_by=reply_by, remark=None)
        made.append(rec)
        return reg.model_copy(update={"notices": [*reg.notices, rec]})

    _update(path, unit, change, dry_run=dry_run, diffs=diffs)
    return made[0]


def record_returns(path: Path, unit: str, received: Iterable[ReturnRecord], *, dry_run: bool = False) -> list[str]:
    """Record returned forms (by form id): a form seen before keeps its first ``received`` date and
    gets ``revised`` when what it said changed (``revised`` set on the record given).  Returns a line
    per change."""
    lines: list[str] = []

    def change(reg: Register) -> Register | None:
        returns = list(reg.returns)
        index = {r.form: i for i, r in enumerate(returns)}
        for rec in received:
            i = index.get(rec.form)
            if i is None:
                returns.append(rec.model_copy(update={"revised": None}))  # the first receipt is no revision
                index[rec.form] = len(returns) - 1
                lines.append(f"登记收到 {rec.dept} {rec.period} 报送表（{rec.form}）")
                continue
            old = returns[i]
            new = old.model_copy(
                update={
                    "revised": rec.revised if rec.revised is not None else old.revised,
                    "reporter": rec.reporter or old.reporter,
                    "phone": rec.phone or old.phone,
                }
            )
            if new != old:
                returns[i] = new
                lines.append(f"更新 {rec.dept} {rec.period} 报送表（{rec.form}）的登记")
        if returns == reg.returns:
            return None
        return reg.model_copy(update={"returns": returns})

    _update(path, unit, change, dry_run=dry_run)
    return lines


# --------------------------------------------------------------------------- what became of the notices


ON_TIME, LATE, UNANSWERED, WAITING = "按期反馈", "逾期反馈", "逾期未反馈", "未到反馈期限"


@dataclass
class NoticeState:
    record: NoticeRecord
    state: str
    replied: dt.date | None = None
    via: str = ""  # 报送表 / 进展记录

    def to_json(self) -> dict[str, Any]:
        r = self.record
        return {
            "no": r.no,
            "date": r.date.isoformat(),
            "dept": r.dept,
            "items": list(r.items),
            "reply_by": r.reply_by.isoformat(),
            "state": self.state,
            "replied": self.replied.isoformat() if self.replied else None,
            "via": self.via or None,
        }


@dataclass
class RegisterCounts:
    issued: int = 0
    on_time: int = 0
    late: int = 0
    unanswered: int = 0  # past the reply date without a reply
    waiting: int = 0  # no reply yet, reply date not passed

    def add(self, state: str) -> None:
        self.issued += 1
        if state == ON_TIME:
            self.on_time += 1
        elif state == LATE:
            self.late += 1
        elif state == UNANSWERED:
            self.unanswered += 1
        else:
            self.waiting += 1

    def to_json(self) -> dict[str, int]:
        return {"issued": self.issued, "on_time": self.on_time, "late": self.late, "unanswered": self.unanswered, "waiting": self.waiting}

    @property
    def sentence(self) -> str:
        """全年签发督办单5份，按期反馈3份、逾期反馈1份、逾期未反馈1份。"""
        if not self.issued:
            return "未签发督办单。"
        parts = [
            f"{label}{n}份"
            for label, n in ((ON_TIME, self.on_time), (LATE, self.late), (UNANSWERED, self.unanswered), (WAITING, self.waiting))
            if n
        ]
        return f"签发督办单{self.issued}份" + ("，" + "、".join(parts) if parts else "") + "。"


@dataclass
class RegisterReport:
    """``ggk notice --list``: the 督办单 of a unit as of a date and what became of each."""

    unit: str
    unit_name: str
    as_of: dt.date
    rows: list[NoticeState]
    counts: RegisterCounts = field(default_factory=RegisterCounts)

    @property
    def title(self) -> str:
        return f"{self.unit_name}督办单登记"

    def to_json(self) -> dict[str, Any]:
        head = {"unit": self.unit, "unit_name": self.unit_name, "as_of": self.as_of.isoformat()}
        return head | {"counts": self.counts.to_json(), "notices": [r.to_json() for r in self.rows]}


def reporter(entry: Any, registry: Any) -> str | None:
    """The department whose own word a log entry is: its ``by`` resolved through the unit's registry
    (``ggk.registry.Registry``) to the registered name; a name not in the registry stays as written (it
    is the report of a department of exactly that name, or of nobody: a person's name).  None for an
    entry that names nobody — ggk's own entries (the carry-over's), an office decision or a note
    recorded without ``--by`` — or names a group (a group's word is no one department's).  The one
    rule for the 督办 register and for 迟报/漏报 (``ggk.returns.cadence``)."""
    if not entry.by:
        return None
    dep = registry.resolve(entry.by)
    if dep is None:
        return str(entry.by)
    return None if dep.group else str(dep.name)


def notice_states(reg: Register, ws: Any, today: dt.date, years: Sequence[int] = ()) -> list[NoticeState]:
    """Each notice issued by ``today`` (of ``years`` if given) with what became of it by ``today``."""
    from ggk.registry import Registry

    reg = reg.as_of(today)
    registry = Registry(ws.unit(reg.unit))
    items = _items_by_ref(ws, reg.unit)
    out = []
    for n in reg.notices:
        if years and n.date.year not in years:
            continue
        replies: list[tuple[dt.date, str]] = [(r.received, "报送表") for r in reg.returns if r.dept == n.dept and r.received >= n.date]
        for ref in n.items:
            item = items.get(ref)
            for e in item.log if item is not None else ():
                if n.date <= e.entered <= today and reporter(e, registry) == n.dept:  # a 补记 replies when entered
                    replies.append((e.entered, "进展记录"))
        if replies:
            when, via = min(replies)
            out.append(NoticeState(n, ON_TIME if when <= n.reply_by else LATE, when, via))
        else:
            out.append(NoticeState(n, UNANSWERED if today > n.reply_by else WAITING))
    return out


def _items_by_ref(ws: Any, unit: str) -> dict[str, Any]:
    return {f"{unit}/{e.plan.year}/{item.id}": item for e in ws.plans if e.plan.unit == unit for _l, _c, item in e.plan.iter_items()}


def counts_of(states: Iterable[NoticeState]) -> RegisterCounts:
    out = RegisterCounts()
    for s in states:
        out.add(s.state)
    return out


def register_report(ws: Any, unit: str, unit_dir: Path, today: dt.date, years: Sequence[int] = ()) -> RegisterReport:
    states = notice_states(read_register(register_path(unit_dir), unit), ws, today, years)
    return RegisterReport(unit, ws.unit_name(unit), today, states, counts_of(states))


def unit_dir_of(ws: Any, unit: str) -> Path:
    """The folder of ``unit`` (beside its unit.yaml, else beside one of its plans)."""
    entry = ws.units.get(unit)
    if entry is not None:
        return Path(entry.path).parent
    for e in ws.plans:
        if e.plan.unit == unit:
            return Path(e.path).parent
    raise GgkError(f"找不到单位「{unit}」的文件夹")


def year_counts(ws: Any, unit: str, year: int, today: dt.date) -> RegisterCounts | None:
    """The 督办 of ``year`` as of ``today``, for the 回头看 and the annual-report section; None when no
    notice of that year had been issued by then."""
    states = notice_states(read_register(register_path(unit_dir_of(ws, unit)), unit), ws, today, [year])
    return counts_of(states) if states else None
