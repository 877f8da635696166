"""The data model of ggk: units (with their department registry) and yearly plans.

This module owns the shape of the YAML files and nothing else: no I/O, no clock,
no reporting.  Anything derived (overdue, traffic lights, rule evaluation) lives in
``ggk.ledger.queries`` and ``ggk.deadlines``; reading and writing files lives in ``ggk.workspace.transaction``.

Keys are short English words so the files are pleasant to edit by hand; values the
clerk types (status, department names, phrases) are Chinese.  ``format`` carries the
format version so that a later ggk can read old files or refuse them clearly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

FORMAT_VERSION = 1
#: The plan years ggk reads: a year outside them is a typo (``year: 20211``) that would otherwise
#: reach date arithmetic (``year + 1`` past 9999).  Numbers are strict (``year: true`` is not 1).
YEAR_MIN, YEAR_MAX = 2000, 2100
#: Upper bounds of counts and days, for the same reason: ``count: 18446744073709551616`` is a typo, not a duty.
COUNT_MAX = 1000
WORKDAYS_MAX = 365
DAYS_MAX = 730
#: The longest unit code (a folder name under plans/).
UNIT_MAX = 64


class Status(str, Enum):
    """Item status.  The stored value is the Chinese word."""

    NOT_STARTED = "未启动"
    IN_PROGRESS = "进行中"
    DONE = "已完成"
    CANCELLED = "已取消"

    @property
    def label(self) -> str:
        return self.value


#: Accepted spellings -> status.  English aliases are for people and scripts
#: that do not type Chinese; files written by ggk always carry the Chinese word.
STATUS_ALIASES: dict[str, Status] = {
    "未启动": Status.NOT_STARTED,
    "未开始": Status.NOT_STARTED,
    "todo": Status.NOT_STARTED,
    "not_started": Status.NOT_STARTED,
    "not-started": Status.NOT_STARTED,
    "new": Status.NOT_STARTED,
    "进行中": Status.IN_PROGRESS,
    "推进中": Status.IN_PROGRESS,
    "doing": Status.IN_PROGRESS,
    "in_progress": Status.IN_PROGRESS,
    "in-progress": Status.IN_PROGRESS,
    "started": Status.IN_PROGRESS,
    "已完成": Status.DONE,
    "完成": Status.DONE,
    "done": Status.DONE,
    "completed": Status.DONE,
    "已取消": Status.CANCELLED,
    "取消": Status.CANCELLED,
    "cancelled": Status.CANCELLED,
    "canceled": Status.CANCELLED,
}


def parse_status(value: str) -> Status:
    """Return the status for a Chinese word or English alias; raise ValueError otherwise."""
    key = str(value).strip()
    status = STATUS_ALIASES.get(key) or STATUS_ALIASES.get(key.lower())
    if status is None:
        raise ValueError(f"未知状态「{value}」，可用：未启动、进行中、已完成、已取消（或 todo/doing/done/cancelled）")
    return status


class _Model(BaseModel):
    # extra="forbid": a misspelt key is a diagnostic with a suggestion, never silently ignored.
    model_config = ConfigDict(extra="forbid", populate_by_name=True, validate_assignment=False, defer_build=True)


class DeadlineKind(str, Enum):
    ONCE = "once"  # a date
    RECURRING = "recurring"  # every month / quarter / half-year / year
    COUNT = "count"  # at least N times per period
    WORKDAYS = "workdays"  # within N working days of an event
    DAYS = "days"  # within N calendar days of an event
    NONE = "none"  # standing (常态化) work


Period = Literal["week", "month", "quarter", "half", "year"]
ReportingPeriod = Literal["month", "quarter", "half"]

#: How often departments report progress when neither the unit nor the plan says (README: 报送周期).
DEFAULT_REPORTING_EVERY: ReportingPeriod = "quarter"
#: When a period's report is due, after the period ends, when neither says.
DEFAULT_REPORTING_DUE = "5个工作日"


class Reporting(_Model):
    """How often departments report progress (报送周期) and when each period's report is due.

    Written ``reporting: quarter`` or ``reporting: {every: month, due: 5个工作日}``; ``due`` is
    counted from the day after the period ends (``5个工作日``, ``10天``).  Shared by the lights of
    standing work (常态化: no progress in the last complete period), 迟报/漏报 and the 进展报送表.
    """

    every: ReportingPeriod = Field(DEFAULT_REPORTING_EVERY, description="报送周期：month/quarter/half")
    due: str = Field(DEFAULT_REPORTING_DUE, description="每期报送截止：期末后多少天，如 5个工作日、10天")

    @model_validator(mode="before")
    @classmethod
    def _from_scalar(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"every": value}
        return value

    @field_validator("due")
    @classmethod
    def _due_readable(cls, value: str) -> str:
        from ggk.deadlines.workdays import parse_offset

        offset = parse_offset(value)  # ValueError: a Chinese message, shown with file:line
        if offset.n < 0:
            raise ValueError(f"报送截止「{value}」应为期末之后的天数")
        return value


class Deadline(_Model):
    """A time limit as the document states it.

    In YAML a deadline is written as one of:

    - a date: ``deadline: 2021-12-31`` (kind ``once``);
    - the phrase of the document: ``deadline: 2021年底前`` (kind derived by ``ggk.deadlines``);
    - ``deadline: 常态化`` for standing work (kind ``none``);
    - a mapping that keeps the phrase beside the rule, e.g.
      ``{phrase: 每季度公开一次, every: quarter}``,
      ``{phrase: 每年解读重要政策措施不少于3次, count: 3, per: year}``,
      ``{phrase: 行政决定之日起7个工作日内, workdays: 7, after: 行政决定}``,
      ``{phrase: 收到申请之日起15日内, days: 15, after: 收到申请}`` (calendar days).

    The explicit keys win over the phrase; ``kind`` may be given but is normally derived.
    """

    phrase: str | None = Field(None, description="文件原文中的时限表述")
    kind: DeadlineKind | None = Field(None, description="规则类型：once/recurring/count/workdays/none（通常可省略）")
    due: dt.date | None = Field(None, description="一次性任务的截止日期")
    every: Period | None = Field(None, description="周期性任务的周期：week/month/quarter/half/year")
    count: int | None = Field(None, ge=1, le=COUNT_MAX, strict=True, description="计次任务：每个周期至少完成的次数")
    per: Period | None = Field(None, description="计次任务的周期（默认 year）")
    workdays: int | None = Field(None, ge=1, le=WORKDAYS_MAX, strict=True, description="工作日时限：事件发生后 N 个工作日内")
    days: int | None = Field(None, ge=1, le=DAYS_MAX, strict=True, description="自然日时限：事件发生后 N 日内（按日历日计）")
    after: str | None = Field(None, description="工作日或自然日时限的起算事件，如“行政决定”")

    @model_validator(mode="before")
    @classmethod
    def _from_scalar(cls, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return {"due": value.date()}
        if isinstance(value, dt.date):
            return {"due": value}
        if isinstance(value, str):
            return {"phrase": value}
        return value

    def explicit_kind(self) -> DeadlineKind | None:
        """The kind stated by the keys themselves (without reading the phrase)."""
        if self.kind is not None:
            return self.kind
        if self.due is not None:
            return DeadlineKind.ONCE
        if self.every is not None:
            return DeadlineKind.RECURRING
        if self.count is not None:
            return DeadlineKind.COUNT
        if self.workdays is not None:
            return DeadlineKind.WORKDAYS
        if self.days is not None:
            return DeadlineKind.DAYS
        return None


def _to_str(value: Any) -> Any:
    # Item ids and department names are often typed as bare numbers (`id: 15`).
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    return value


def _id_given(value: str) -> str:
    if not value.strip():
        raise ValueError("条目编号（id）不能为空")
    return value


def _unit_code(value: str) -> str:
    """A unit code names a folder under plans/: one plain path component."""
    if not value.strip():
        raise ValueError("单位代号不能为空")
    if len(value) > UNIT_MAX:
        raise ValueError(f"单位代号太长（{len(value)} 个字符，最多 {UNIT_MAX} 个）")
    if value in (".", "..") or any(c in value for c in "/\\") or any(ord(c) < 0x20 or c == "\x7f" for c in value):
        raise ValueError("单位代号是 plans/ 下的文件夹名，不能含 / \\ 或控制字符")
    return value


def _name_only(cls: Any, value: Any) -> Any:
    # A contact or a department may be written as just its name.
    if isinstance(value, str):
        return {"name": value}
    return value


def _as_list(value: Any) -> Any:
    # One deadline is written without a list; an item with two duties ("3个工作日内" and
    # "不少于3次") carries a list.
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


def _status_value(value: Any) -> Any:
    if isinstance(value, Status) or value is None:
        return value
    if isinstance(value, str):
        return parse_status(value)
    return value


class Contact(_Model):
    """Whom to call about an item or a department: the 责任人 or 联系人 and a phone number.

    Written ``contact: {name: 张三, role: 联系人, phone: 0878-1234567}``, or just the name."""

    name: str = Field(description="姓名")
    role: str | None = Field(None, description="身份：责任人、联系人，或职务")
    phone: str | None = Field(None, description="电话")

    _from_scalar = model_validator(mode="before")(classmethod(_name_only))  # type: ignore[arg-type]
    _texts = field_validator("name", "phone", mode="before")(_to_str)

    @property
    def text(self) -> str:
        """``张三（联系人，0878-1234567）``: how reports print it."""
        extra = "，".join(p for p in (self.role, self.phone) if p)
        return f"{self.name}（{extra}）" if extra else self.name


class Correction(_Model):
    """The trace of a correction (更正) or deletion (删除) of a progress entry, kept on the entry.

    ``was`` holds the values the corrected fields had before (a deletion has none); reports from the
    correction's date on use the entry's present values and leave deleted entries out, reports of
    earlier days the values the entry had then (``ggk.ledger.snapshot``)."""

    date: dt.date = Field(description="更正或删除的日期")
    reason: str = Field(description="原因")
    by: str | None = Field(None, description="更正人或单位")
    was: dict[str, Any] = Field(default_factory=dict, description="被更正的键原来的值")


class ReturnSource(_Model):
    """Where a progress entry came from when it was taken in from a returned 进展报送表 (``ggk intake``):
    the form's id and the reporting period it was sent for.  Taking the same form in again finds its
    entries by this, so a corrected return replaces them instead of adding to them."""

    form: str = Field(description="报送表编号（ggk form 生成，如 2026-Q3-1a2b3c4d）")
    period: str = Field(description="报送期，如 2026-Q3、2026-07、2026-H2")


class LogEntry(_Model):
    """One dated progress entry (报送进展).

    ``date`` is the day the thing was done; an entry entered on a later day (补记: ``ggk intake`` of a
    return, ``ggk note --date``) also carries that day in ``recorded``, and a 公开日期 entered later than
    itself its day in ``done_recorded``: a report of a day before it was entered is made without it, so it
    stays what it was on that day (README "报告日期")."""

    date: dt.date = Field(description="记录日期（做了这件事的日期）")
    recorded: dt.date | None = Field(None, description="录入日期：晚于记录日期录入（补记）时由 ggk 写入；此前日期的报告不含这条记录")
    by: str | None = Field(None, description="报送单位或人")
    note: str | None = Field(None, description="做了什么")
    evidence: str | None = Field(None, description="佐证：公开网址、文号等")
    status: Status | None = Field(None, description="此条记录把状态改为")
    counts: bool = Field(True, description="是否计入周期/计次任务（默认计入）")
    event: dt.date | None = Field(None, description="工作日时限任务：触发事件的日期")
    done: dt.date | None = Field(None, description="工作日时限任务：该事件的公开（完成）日期；空表示尚未完成")
    done_recorded: dt.date | None = Field(
        None, description="公开日期的录入日期：晚于公开日期录入时由 ggk 写入；此前日期的报告中该事件仍未办结"
    )
    source: ReturnSource | None = Field(None, description="由报送表录入时：报送表编号和报送期（ggk intake 写入）")
    corrected: list[Correction] = Field(
        default_factory=list, description="更正记录（ggk correct 写入）：更正日期起的报告用更正后的值，此前的用原来的值"
    )
    deleted: Correction | None = Field(None, description="删除记录（ggk correct --delete 写入）：删除日期起的报告不含这条记录，此前的仍含")

    _status = field_validator("status", mode="before")(_status_value)

    @property
    def entered(self) -> dt.date:
        """The day the entry was in the ledger: ``recorded`` when later than its date, else its date."""
        return _entered(self.date, self.recorded)


def _entered(date: dt.date, recorded: dt.date | None) -> dt.date:
    return recorded if recorded is not None and recorded > date else date


class DeadlineChange(_Model):
    """A postponement (延期): the old deadline is kept here when a new one is set."""

    date: dt.date = Field(description="延期决定日期")
    recorded: dt.date | None = Field(None, description="录入日期：晚于决定日期录入时由 ggk 写入；此前日期的报告用原时限")
    old: list[Deadline] = Field(default_factory=list, description="原时限")
    new: list[Deadline] = Field(default_factory=list, description="新时限")
    reason: str | None = Field(None, description="延期原因")
    by: str | None = Field(None, description="决定人或单位")

    _lists = field_validator("old", "new", mode="before")(_as_list)

    @property
    def entered(self) -> dt.date:
        """The day the change was in the ledger: ``recorded`` when later than its date, else its date."""
        return _entered(self.date, self.recorded)


class Assignment(_Model):
    """A change of an item's departments (``ggk assign``): the lead and assist in force before it."""

    date: dt.date = Field(description="调整日期：此前日期的报告和报送要求用调整前的单位")
    lead: list[str] = Field(default_factory=list, description="调整前的牵头单位")
    assist: list[str] = Field(default_factory=list, description="调整前的配合单位")


class SummaryVersion(_Model):
    """A 落实情况 replaced by a later one (``ggk summary`` again): its text and the day it was written."""

    text: str = Field(description="原来的落实情况")
    date: dt.date | None = Field(None, description="原来的填写日期")
    recorded: dt.date | None = Field(None, description="原来的录入日期（晚于填写日期录入时）")


class Item(_Model):
    """One task of the plan (a 要点 item)."""

    id: str = Field(description="条目编号，沿用文件自身编号，如 15 或 三.一.2")
    title: str = Field(description="简短标题（条目的标题句）")
    text: str = Field("", description="条目全文（原文照录）")
    lead: list[str] = Field(default_factory=list, description="牵头单位")
    assist: list[str] = Field(default_factory=list, description="配合单位（配合/会同/按职责分工负责）")
    contact: Contact | None = Field(None, description="责任人或联系人及电话")
    deadline: list[Deadline] = Field(
        default_factory=list,
        description="时限：日期、原文表述或规则（一条或多条）；空表示常态化",
    )
    deadline_set: dt.date | None = Field(
        None, description="首次设定时限的日期（ggk deadline 在计划施行后写入，不是延期）；此前日期的报告中该条目为常态化"
    )
    status: Status = Field(Status.NOT_STARTED, description="状态：未启动/进行中/已完成/已取消")
    completed: dt.date | None = Field(None, description="完成日期（已完成时必填）")
    reason: str | None = Field(None, description="取消原因（已取消时必填）")
    log: list[LogEntry] = Field(default_factory=list, description="进展记录")
    summary: str | None = Field(None, description="落实情况（写入年度报告）")
    summary_date: dt.date | None = Field(None, description="落实情况的填写日期（ggk summary 写入）；此前的报告不显示落实情况")
    summary_recorded: dt.date | None = Field(
        None, description="落实情况的录入日期：晚于填写日期录入时由 ggk 写入；此前的报告显示原来的落实情况"
    )
    summary_history: list[SummaryVersion] = Field(
        default_factory=list, description="被替换的落实情况（ggk summary 再次填写时写入），此前日期的报告仍显示它"
    )
    history: list[DeadlineChange] = Field(default_factory=list, description="延期记录")
    assigned: list[Assignment] = Field(
        default_factory=list, description="牵头和配合单位的调整记录（ggk assign 写入）：调整日期和调整前的单位"
    )
    carried_from: str | None = Field(None, description="结转来源条目，如 gansu-jtt/2021/15")
    carried_to: str | None = Field(None, description="已结转到的条目")
    added: dt.date | None = Field(
        None, description="加入计划的日期：晚于计划施行才加入时（ggk import 合并、结转）由 ggk 写入；此前日期的报告不含该条目"
    )
    remark: str | None = Field(None, description="备注")

    _id = field_validator("id", mode="before")(_to_str)
    _id_given = field_validator("id")(_id_given)
    _status = field_validator("status", mode="before")(_status_value)

    _deadlines = field_validator("deadline", mode="before")(_as_list)

    @field_validator("lead", "assist", mode="before")
    @classmethod
    def _names(cls, value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        if isinstance(value, list):
            return [_to_str(v) for v in value]
        return value


class Section(_Model):
    """A heading of the plan (一、…; or （一）… under it in three-level documents)."""

    no: str | None = Field(None, description="文件中的序号，如 一 或 （一）；无序号的标题可省略")
    title: str = Field(description="标题")
    items: list[Item] = Field(default_factory=list, description="本节条目")
    sections: list[Section] = Field(default_factory=list, description="下一级标题")

    _no = field_validator("no", mode="before")(_to_str)


class Plan(_Model):
    """One unit's plan for one year (plans/<unit>/<year>.yaml)."""

    format: int = Field(FORMAT_VERSION, strict=True, description="文件格式版本")
    unit: str = Field(description="发文单位代号（plans/ 下的文件夹名）")
    year: int = Field(ge=YEAR_MIN, le=YEAR_MAX, strict=True, description="年度")
    title: str = Field(description="文件标题，如 甘肃省交通运输厅2021年政务公开工作要点")
    doc_no: str | None = Field(None, description="文号，如 甘交办〔2021〕48号")
    issued: dt.date | None = Field(None, description="印发日期")
    basis: list[str] = Field(default_factory=list, description="制定依据的文件")
    preamble: str | None = Field(None, description="总体要求等非任务性文字")
    example: bool = Field(False, description="示例数据（非真实文件）")
    reporting: Reporting | None = Field(None, description="报送周期和截止（不写时用单位的设置）")
    remark: str | None = Field(None, description="备注")
    sections: list[Section] = Field(default_factory=list, description="各部分")

    _unit = field_validator("unit", mode="before")(_to_str)
    _unit_ok = field_validator("unit")(_unit_code)

    def iter_items(self) -> Iterator[tuple[tuple[Any, ...], list[Section], Item]]:
        """Every item in document order: its data path in the file, its chain of sections, the item."""

        def walk(
            sections: list[Section], base: tuple[Any, ...], chain: list[Section]
        ) -> Iterator[tuple[tuple[Any, ...], list[Section], Item]]:
            for i, sec in enumerate(sections):
                here = (*base, "sections", i)
                inner = [*chain, sec]  # one chain per section, shared by its items: do not change it
                for j, item in enumerate(sec.items):
                    yield (*here, "items", j), inner, item
                yield from walk(sec.sections, here, inner)

        yield from walk(self.sections, (), [])


class Department(_Model):
    """A registered department (处室/股室/单位) or a collective name (group)."""

    name: str = Field(description="规范名称")
    aliases: list[str] = Field(default_factory=list, description="别名（文件中出现的其他写法）")
    group: bool = Field(False, description="是否集合名称（厅属各单位、各相关部门等）")
    members: list[str] = Field(default_factory=list, description="集合名称包含的单位（可选）")
    contact: Contact | None = Field(None, description="联系人及电话")
    review: bool = Field(False, description="待核对（核对后用 ggk dept reviewed 去掉）")
    remark: str | None = Field(None, description="备注")

    _from_scalar = model_validator(mode="before")(classmethod(_name_only))  # type: ignore[arg-type]
    _name = field_validator("name", mode="before")(_to_str)


class Unit(_Model):
    """An issuing unit (plans/<unit>/unit.yaml) and its department registry."""

    format: int = Field(FORMAT_VERSION, strict=True, description="文件格式版本")
    name: str = Field(description="单位全称，如 甘肃省交通运输厅")
    short: str | None = Field(None, description="简称")
    level: str | None = Field(None, description="层级：省级/市级/县级")
    example: bool = Field(False, description="示例数据（非真实单位）")
    review: bool = Field(False, description="由导入自动生成、待人工核对")
    reporting: Reporting | None = Field(None, description="各部门报送进展的周期和截止（默认每季度，期末后5个工作日内）")
    remark: str | None = Field(None, description="备注")
    departments: list[Department] = Field(default_factory=list, description="部门名册")

    def names(self) -> dict[str, Department]:
        """Every accepted name (canonical and alias) -> its department."""
        out: dict[str, Department] = {}
        for dep in self.departments:
            out.setdefault(dep.name, dep)
            for alias in dep.aliases:
                out.setdefault(alias, dep)
        return out
