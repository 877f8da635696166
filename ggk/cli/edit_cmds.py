"""The editing commands: ``ggk assign``, ``update``, ``done``, ``note``, ``postpone``, ``summary``,
``deadline``, ``issued``, ``correct`` and ``contact``.

Each parses its options, builds one operation of ``ggk.ledger.edits`` and hands it to
``ggk.ledger.edits.apply`` (one locked, validated, minimal edit per file).  Exit codes: 0 written (or
dry run shown), 1 the edit would make the plan invalid / the file cannot be read (nothing
written), 2 usage errors, unknown departments, a file changed meanwhile, I/O errors."""

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from ggk.cli.common import AsOfOpt, PlansOpt, echo, handle_errors, load_plans, parse_date, settings

DryRunOpt = Annotated[bool, typer.Option("--dry-run", "-n", help="只显示将要做的修改（统一 diff 格式），不写文件")]
DateOpt = Annotated[
    Optional[str],
    typer.Option("--date", help="日期（2026-06-30、2026/6/30 或 2026年6月30日）；默认为“今天”（--as-of）", show_default=False),
]
ByOpt = Annotated[
    Optional[str],
    typer.Option("--by", help="报送单位：名册中的部门（可用别名，写入规范名称）；未登记的名称被拒绝", show_default=False),
]
ByPersonOpt = Annotated[Optional[str], typer.Option("--by-person", help="报送人：个人姓名（照写，不核对名册）", show_default=False)]
ApproverOpt = Annotated[
    Optional[str], typer.Option("--by", help="批准或决定的单位（名册中的部门，如 局政务公开领导小组）", show_default=False)
]
ApproverPersonOpt = Annotated[Optional[str], typer.Option("--by-person", help="批准或决定的领导（姓名，照写）", show_default=False)]
EvidenceOpt = Annotated[Optional[str], typer.Option("--evidence", help="佐证：公开网址、文号等", show_default=False)]
NoteOpt = Annotated[Optional[str], typer.Option("--note", help="进展说明", show_default=False)]
RefArg = Annotated[str, typer.Argument(help="条目引用：单位/年度/编号（如 example/2026/9），不会混淆时可简写", show_default=False)]


def _names(values: Optional[list[str]]) -> list[str]:
    from ggk.ledger.edits import split_names

    return [n for v in values or [] for n in split_names(v)]


def _registry(ws: Any, unit: str) -> Any:
    from ggk.registry import Registry

    return Registry(ws.unit(unit))


def _by(ws: Any, t: Any, by: Optional[str], person: Optional[str]) -> Optional[str]:
    from ggk.ledger import edits

    return edits.canonical_by(_registry(ws, t.unit), by, person=person)


def _report(results: list[Any], dry_run: bool) -> None:
    """Print what happened; exit 1 when an edit was refused because of problems in the data."""
    refused = False
    for r in results:
        if r.refused:
            refused = True
            echo(f"未修改 {r.path}：{'修改后文件将有以下问题' if r.before != r.after else '文件有以下问题，ggk 不改写它'}", err=True)
            for d in r.errors:
                echo(f"{d.path}:{d.line}:{d.col}: {d.severity.label}[{d.code}] {d.message}", err=True)
                if d.hint:
                    echo(f"    提示：{d.hint}", err=True)
            continue
        if dry_run:
            echo(r.diff if r.diff else f"{r.path}：没有需要修改的内容", nl=not r.diff)
            for line in r.value or []:
                echo(f"（预演）{line}", err=True)
        elif r.written:
            echo(f"已写入 {r.path}")
            for line in r.value or []:
                echo(f"  {line}")
        else:
            echo(f"{r.path}：没有变化")
            for line in r.value or []:
                echo(f"  {line}")
        for note in r.notes:  # what was cleaned in the given text, or left over from a killed write
            echo(f"（预演）注意：{note}" if dry_run else f"  注意：{note}", err=dry_run)
        for d in r.diagnostics:
            echo(f"注意：{d.path}:{d.line}:{d.col}: {d.severity.label}[{d.code}] {d.message}", err=True)
    if refused:
        raise typer.Exit(1)


def _run(ctx: typer.Context, plans: Any, as_of: Any, refs: list[str], make_op: Any, dry_run: bool) -> None:
    from ggk.ledger import edits

    s = settings(ctx, plans, as_of)
    ws = load_plans(s)
    targets = edits.open_targets(ws, refs, s.today)
    op = make_op(ws, s.today)
    _report(edits.apply(targets, op, dry_run=dry_run, today=s.today), dry_run)


@handle_errors
def assign(
    ctx: typer.Context,
    refs: Annotated[Optional[list[str]], typer.Argument(help="一个或多个条目引用（单位/年度/编号）", show_default=False)] = None,
    lead: Annotated[
        Optional[list[str]], typer.Option("--lead", help="牵头单位（替换原有的；可多次给出，或用顿号、逗号分隔）", show_default=False)
    ] = None,
    assist: Annotated[Optional[list[str]], typer.Option("--assist", help="配合单位（替换原有的）", show_default=False)] = None,
    add_lead: Annotated[Optional[list[str]], typer.Option("--add-lead", help="增加牵头单位", show_default=False)] = None,
    add_assist: Annotated[Optional[list[str]], typer.Option("--add-assist", help="增加配合单位", show_default=False)] = None,
    remove: Annotated[Optional[list[str]], typer.Option("--remove", help="去掉这个单位（牵头或配合）", show_default=False)] = None,
    unit: Annotated[Optional[str], typer.Option("--unit", "-u", help="与 --resolve 一起用：单位代号", show_default=False)] = None,
    resolve: Annotated[
        bool, typer.Option("--resolve", help="把该单位各计划中的部门别名统一改为名册中的规范名称，并列出无法识别的名称")
    ] = False,
    dry_run: DryRunOpt = False,
    plans: PlansOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """交办/分解：指定或调整条目的牵头单位和配合单位。

    部门名称按单位名册解析（可用别名，写入规范名称）；未登记的名称会被拒绝并提示相近的名称（退出码 2）。
    `ggk assign --unit 单位 --resolve` 把该单位各计划中的部门名称统一改为规范名称（导入后使用），
    有无法识别的名称时退出码为 1。计划施行后的调整记入条目的 assigned（调整日期和调整前的单位）：
    此前日期的报告和各部门此前应报送的期次不变。
    """
    from ggk.diagnostics import GgkError
    from ggk.ledger import edits

    if resolve:
        if refs or lead or assist or add_lead or add_assist or remove:
            raise GgkError("--resolve 不能与条目引用或 --lead/--assist 等一起使用")
        if not unit:
            raise GgkError("--resolve 需要 --unit 单位代号")
        _resolve_unit(ctx, plans, as_of, unit, dry_run)
        return
    if not refs:
        raise GgkError("请给出条目引用，如 ggk assign example/2026/9 --lead 局办公室")
    if lead is None and assist is None and not (add_lead or add_assist or remove):
        raise GgkError("请至少给出 --lead、--assist、--add-lead、--add-assist 或 --remove 之一")

    def make_op(ws: Any, today: Any) -> Any:
        cache: dict[str, Any] = {}

        def names(t: Any, values: Optional[list[str]]) -> Optional[list[str]]:
            if values is None:
                return None
            reg = cache.setdefault(t.unit, _registry(ws, t.unit))
            if not reg:
                raise GgkError(f"单位 {t.unit} 没有单位文件（unit.yaml），无法核对部门名称")
            return edits.resolve_departments(reg, _names(values))

        def op(doc: Any, t: Any) -> str:
            return edits.assign(
                doc,
                t.item_id,
                lead=names(t, lead),
                assist=names(t, assist),
                add_lead=names(t, add_lead) or [],
                add_assist=names(t, add_assist) or [],
                remove=names(t, remove) or [],
                date=today,
            )

        return op

    _run(ctx, plans, as_of, refs, make_op, dry_run)


def _resolve_unit(ctx: typer.Context, plans: Any, as_of: Any, unit: str, dry_run: bool) -> None:
    from ggk.diagnostics import GgkError
    from ggk.ledger import edits
    from ggk.workspace.transaction import edit_plan

    s = settings(ctx, plans, as_of)
    ws = load_plans(s)
    reg = _registry(ws, unit)
    if not reg:
        raise GgkError(f"找不到单位 {unit} 的单位文件（unit.yaml）", "用 ggk status --by unit 查看单位代号")
    entries = [e for e in ws.plans if e.plan.unit == unit]
    if not entries:
        raise GgkError(f"单位 {unit} 没有计划文件")
    results = []
    unresolved: list[tuple[str, Any]] = []
    for e in entries:
        r = edit_plan(e.path, lambda doc: edits.resolve_names(doc, reg), dry_run=dry_run, today=s.today)
        if r.value is not None:
            changes, missing = r.value
            r.value = changes
            unresolved += [(f"{unit}/{e.plan.year}", m) for m in missing]
        results.append(r)
    _report(results, dry_run)
    if unresolved:
        echo(f"无法识别的部门名称 {len(unresolved)} 处（请在 unit.yaml 中登记，或改正计划中的写法）：", err=True)
        for plan, m in unresolved:
            hint = f"（是不是「{'」「'.join(m.suggestions)}」？）" if m.suggestions else ""
            echo(f"  {plan}/{m.item_id}：「{m.name}」{hint}", err=True)
        raise typer.Exit(1)


@handle_errors
def update(
    ctx: typer.Context,
    ref: RefArg,
    status: Annotated[
        str, typer.Option("--status", "-s", help="新状态：未启动/进行中/已完成/已取消（或 todo/doing/done/cancelled）", show_default=False)
    ],
    note: NoteOpt = None,
    by: ByOpt = None,
    by_person: ByPersonOpt = None,
    evidence: EvidenceOpt = None,
    date: DateOpt = None,
    reason: Annotated[Optional[str], typer.Option("--reason", help="取消原因（状态为 已取消 时必填）", show_default=False)] = None,
    dry_run: DryRunOpt = False,
    plans: PlansOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """报送进展并改变状态：追加一条带日期的进展记录，修改状态。

    改为 已完成 时记录完成日期（completed）；改为 已取消 时须用 --reason 写明原因。
    """
    from ggk.diagnostics import GgkError
    from ggk.ledger import edits
    from ggk.model import parse_status

    try:
        st = parse_status(status)
    except ValueError as exc:
        raise GgkError(str(exc)) from None

    def make_op(ws: Any, today: Any) -> Any:
        when = parse_date(date, "--date") if date else today
        return lambda doc, t: edits.set_status(
            doc, t.item_id, st, date=when, note=note, by=_by(ws, t, by, by_person), evidence=evidence, reason=reason, recorded=today
        )

    _run(ctx, plans, as_of, [ref], make_op, dry_run)


@handle_errors
def done(
    ctx: typer.Context,
    ref: RefArg,
    date: DateOpt = None,
    evidence: EvidenceOpt = None,
    note: NoteOpt = None,
    by: ByOpt = None,
    by_person: ByPersonOpt = None,
    dry_run: DryRunOpt = False,
    plans: PlansOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """标记条目已完成：状态改为 已完成，记录完成日期（默认今天）和一条进展记录。"""
    from ggk.ledger import edits
    from ggk.model import Status

    def make_op(ws: Any, today: Any) -> Any:
        when = parse_date(date, "--date") if date else today
        return lambda doc, t: edits.set_status(
            doc, t.item_id, Status.DONE, date=when, note=note, by=_by(ws, t, by, by_person), evidence=evidence, recorded=today
        )

    _run(ctx, plans, as_of, [ref], make_op, dry_run)


@handle_errors
def note(
    ctx: typer.Context,
    ref: RefArg,
    text: Annotated[Optional[str], typer.Argument(help="进展说明（做了什么）；办结事件时可省略", show_default=False)] = None,
    by: ByOpt = None,
    by_person: ByPersonOpt = None,
    evidence: EvidenceOpt = None,
    date: DateOpt = None,
    event: Annotated[
        Optional[str], typer.Option("--event", help="工作日或自然日时限任务：触发事件的日期（如行政决定日期）", show_default=False)
    ] = None,
    done_: Annotated[
        Optional[str],
        typer.Option("--done", help="工作日或自然日时限任务：该事件的公开（完成）日期；已登记的未办结事件由此办结", show_default=False),
    ] = None,
    no_count: Annotated[bool, typer.Option("--no-count", help="不计入周期/计次任务（如提醒、准备工作）")] = False,
    dry_run: DryRunOpt = False,
    plans: PlansOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """记录一条进展：日期、报送单位、内容、佐证；未启动的条目随之改为进行中。

    工作日或自然日时限任务用 --event 登记事件日期、--done 登记公开日期；该日期已有未办结的事件时，
    --event 日期 --done 日期 办结那个事件，而不是再登记一个。
    """
    from ggk.ledger import edits

    def make_op(ws: Any, today: Any) -> Any:
        when = parse_date(date, "--date") if date else today
        ev = parse_date(event, "--event") if event else None
        dn = parse_date(done_, "--done") if done_ else None
        return lambda doc, t: edits.note(
            doc,
            t.item_id,
            text,
            date=when,
            by=_by(ws, t, by, by_person),
            evidence=evidence,
            event=ev,
            done=dn,
            counts=False if no_count else None,
            recorded=today,
        )

    _run(ctx, plans, as_of, [ref], make_op, dry_run)


@handle_errors
def postpone(
    ctx: typer.Context,
    ref: RefArg,
    to: Annotated[str, typer.Option("--to", help="新的截止日期（2026-12-31 或 2026年12月31日）", show_default=False)],
    reason: Annotated[str, typer.Option("--reason", help="延期原因", show_default=False)],
    by: Annotated[
        Optional[str], typer.Option("--by", help="批准延期的单位（名册中的部门，如 局政务公开领导小组）", show_default=False)
    ] = None,
    by_person: Annotated[Optional[str], typer.Option("--by-person", help="批准延期的领导（姓名，照写）", show_default=False)] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="延期决定的日期；默认今天", show_default=False)] = None,
    dry_run: DryRunOpt = False,
    plans: PlansOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """延期：设置新的截止日期，原时限连同日期、原因记入条目的 history（ggk show 显示两者）。"""
    from ggk.ledger import edits

    new_due = parse_date(to, "--to")

    def make_op(ws: Any, today: Any) -> Any:
        when = parse_date(date, "--date") if date else today
        return lambda doc, t: edits.postpone(
            doc, t.item_id, to=new_due, reason=reason, date=when, by=_by(ws, t, by, by_person), year=t.year, recorded=today
        )

    _run(ctx, plans, as_of, [ref], make_op, dry_run)


@handle_errors
def summary(
    ctx: typer.Context,
    ref: RefArg,
    text: Annotated[Optional[str], typer.Argument(help="落实情况全文", show_default=False)] = None,
    from_file: Annotated[Optional[Path], typer.Option("--from-file", help="从文本文件（UTF-8）读取落实情况", show_default=False)] = None,
    date: DateOpt = None,
    dry_run: DryRunOpt = False,
    plans: PlansOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """写入条目的落实情况（summary，用于年度报告），替换原有内容；记下填写日期（summary_date），此前日期的报告不显示它。

    原有的落实情况连同日期保留在 summary_history 中，此前日期的报告仍显示原来的；--date 早于今天时另记录入日期（summary_recorded），
    报告从录入那天起才显示新的。"""
    from ggk.diagnostics import GgkError
    from ggk.ledger import edits

    if (text is None) == (from_file is None):
        raise GgkError("请给出落实情况文字，或用 --from-file 指定文件（二者选一）")
    if from_file is not None:
        try:
            body = from_file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            from ggk.workspace.files import os_reason

            raise GgkError(f"无法读取 {from_file}：{os_reason(exc)}") from None
    else:
        body = text or ""

    def make_op(ws: Any, today: Any) -> Any:
        when = parse_date(date, "--date") if date else today
        return lambda doc, t: edits.set_summary(doc, t.item_id, body, date=when, recorded=today)

    _run(ctx, plans, as_of, [ref], make_op, dry_run)


@handle_errors
def deadline(
    ctx: typer.Context,
    ref: RefArg,
    limit: Annotated[
        str,
        typer.Argument(
            help="时限：日期（2026-06-30、2026年6月30日）或文件原文的表述（2026年6月底前、每季度公开一次、常态化）", show_default=False
        ),
    ],
    reason: Annotated[Optional[str], typer.Option("--reason", help="改动已有时限的原因（首次设定不需要）", show_default=False)] = None,
    by: ApproverOpt = None,
    by_person: ApproverPersonOpt = None,
    date: DateOpt = None,
    dry_run: DryRunOpt = False,
    plans: PlansOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """设定或改动条目的时限（分解时限），常态化条目也可以。

    没有时限（或常态化）的条目直接写入，不记延期；计划施行后设定的另记设定日期 deadline_set（ggk show 显示为“设定时限”），
    此前日期的报告中该条目仍是常态化。已有时限的改动须写 --reason，原时限记入 history（ggk show 显示为“时限调整”，
    新日期更晚时为“延期记录”）。经批准延后的用 ggk postpone。
    """
    from ggk.ledger import edits

    def make_op(ws: Any, today: Any) -> Any:
        when = parse_date(date, "--date") if date else today

        def op(doc: Any, t: Any) -> str:
            value = edits.deadline_value(limit, t.year)
            return edits.set_deadline(
                doc, t.item_id, value, date=when, reason=reason, by=_by(ws, t, by, by_person), year=t.year, recorded=today
            )

        return op

    _run(ctx, plans, as_of, [ref], make_op, dry_run)


@handle_errors
def issued(
    ctx: typer.Context,
    plan: Annotated[
        str, typer.Argument(help="计划：单位/年度（如 example/2026）；只有一个单位有该年度计划时可只写年度", show_default=False)
    ],
    day: Annotated[str, typer.Argument(help="印发日期（2026-02-26 或 2026年2月26日）", show_default=False)],
    dry_run: DryRunOpt = False,
    plans: PlansOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """设定计划的印发日期（issued）：此前各报送周期不要求报送进展，此前的报告中该计划尚未施行。"""
    from ggk.ledger import edits

    when = parse_date(day, "印发日期")
    s = settings(ctx, plans, as_of)
    target = edits.open_plan(load_plans(s), plan)
    _report(edits.apply([target], lambda doc, t: edits.set_issued(doc, when), dry_run=dry_run, today=s.today), dry_run)


@handle_errors
def correct(
    ctx: typer.Context,
    ref: RefArg,
    entry: Annotated[str, typer.Argument(help="进展记录：ggk show 中的序号，或日期（该日只有一条时）", show_default=False)],
    reason: Annotated[str, typer.Option("--reason", help="更正或删除的原因（必填）", show_default=False)],
    by: ByOpt = None,
    by_person: ByPersonOpt = None,
    delete: Annotated[bool, typer.Option("--delete", help="删除这条记录（保留在文件中并注明删除，报告中不再计入）")] = False,
    new_date: Annotated[Optional[str], typer.Option("--set-date", help="改正记录日期", show_default=False)] = None,
    new_note: Annotated[Optional[str], typer.Option("--note", help="改正内容", show_default=False)] = None,
    new_by: Annotated[Optional[str], typer.Option("--set-by", help="改正报送单位（名册中的部门）", show_default=False)] = None,
    new_by_person: Annotated[Optional[str], typer.Option("--set-by-person", help="改正报送人（姓名）", show_default=False)] = None,
    new_evidence: Annotated[Optional[str], typer.Option("--evidence", help="改正佐证", show_default=False)] = None,
    new_event: Annotated[Optional[str], typer.Option("--event", help="改正事件日期", show_default=False)] = None,
    new_done: Annotated[Optional[str], typer.Option("--done", help="改正公开（完成）日期", show_default=False)] = None,
    dry_run: DryRunOpt = False,
    plans: PlansOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """更正或删除一条写错的进展记录，留下痕迹：原值连同日期、原因记入该记录的 corrected；删除的记录注明 deleted，
    文件中仍可看到，各种报告都不再计入。--by/--by-person 是做更正的人或单位。"""
    from ggk.diagnostics import GgkError
    from ggk.ledger import edits

    if delete and any(v is not None for v in (new_date, new_note, new_by, new_by_person, new_evidence, new_event, new_done)):
        raise GgkError("--delete 不能与更正的选项一起使用")

    def make_op(ws: Any, today: Any) -> Any:
        changes: dict[str, Any] = {}
        if new_date:
            changes["date"] = parse_date(new_date, "--set-date")
        if new_event:
            changes["event"] = parse_date(new_event, "--event")
        if new_done:
            changes["done"] = parse_date(new_done, "--done")
        if new_note is not None:
            changes["note"] = new_note
        if new_evidence is not None:
            changes["evidence"] = new_evidence

        def op(doc: Any, t: Any) -> str:
            who = _by(ws, t, by, by_person)
            if delete:
                return edits.delete_entry(doc, t.item_id, entry, date=today, reason=reason, by=who)
            if new_by is not None or new_by_person is not None:
                changes["by"] = _by(ws, t, new_by, new_by_person)
            if not changes:
                raise GgkError("请给出要更正的内容（--set-date、--note、--set-by、--evidence、--event、--done）或 --delete")
            return edits.correct_entry(doc, t.item_id, entry, changes, date=today, reason=reason, by=who)

        return op

    _run(ctx, plans, as_of, [ref], make_op, dry_run)


@handle_errors
def contact(
    ctx: typer.Context,
    ref: Annotated[Optional[str], typer.Argument(help="条目引用；给 --dept 时省略", show_default=False)] = None,
    name: Annotated[str, typer.Option("--name", help="姓名", show_default=False)] = "",
    phone: Annotated[Optional[str], typer.Option("--phone", help="电话", show_default=False)] = None,
    role: Annotated[Optional[str], typer.Option("--role", help="身份：责任人、联系人或职务", show_default=False)] = None,
    dept: Annotated[Optional[str], typer.Option("--dept", "-d", help="部门（写入单位名册）", show_default=False)] = None,
    unit: Annotated[
        Optional[str], typer.Option("--unit", "-u", help="与 --dept 一起用：单位代号；只有一个单位时可省略", show_default=False)
    ] = None,
    dry_run: DryRunOpt = False,
    plans: PlansOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """登记条目的责任人/联系人（写入计划），或部门的联系人（--dept，写入单位名册 unit.yaml）。"""
    from ggk.diagnostics import GgkError
    from ggk.ledger import edits

    value = edits.contact_value(name, role, phone)
    if (ref is None) == (dept is None):
        raise GgkError("请给出条目引用，或用 --dept 指定部门（二者选一）")
    if ref is not None:
        _run(ctx, plans, as_of, [ref], lambda ws, today: lambda doc, t: edits.set_item_contact(doc, t.item_id, value), dry_run)
        return
    from ggk.workspace.transaction import edit_plan

    s = settings(ctx, plans, as_of)
    ws = load_plans(s)
    slugs = [unit] if unit else sorted(slug for slug, e in ws.units.items() if e.unit is not None)
    owners = [slug for slug in slugs if _registry(ws, slug).resolve(dept or "")]
    if unit and unit not in ws.units:
        raise GgkError(f"没有单位「{unit}」", f"已有的单位：{'、'.join(sorted(ws.units)) or '（无）'}")
    if not owners:
        raise GgkError(f"没有登记名为「{dept}」的部门", "用 ggk status --by dept 查看各部门")
    if len(owners) > 1:
        raise GgkError(f"「{dept}」在多个单位都有登记，请用 --unit 指定", f"可选：{'、'.join(owners)}")
    slug = owners[0]
    canonical = _registry(ws, slug).canonical(dept or "")
    path = ws.units[slug].path
    result = edit_plan(path, lambda doc: f"{slug}：{edits.set_department_contact(doc, canonical, value)}", dry_run=dry_run, today=s.today)
    result.value = [result.value] if result.value else []
    _report([result], dry_run)
