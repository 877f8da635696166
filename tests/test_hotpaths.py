"""The faster forms of two hot spots give exactly what their plain definitions give: the sums of a
``Timing`` (computed once when it is made) and the cutting and padding of the plain-text tables."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter
from pathlib import Path

from ggk.deadlines import Rule, RuleState, Timing
from ggk.deadlines import timing as deadlines
from ggk.model import DeadlineKind
from ggk.render.table import _fit

_WIDE = re.compile(
    "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]"
)


def fit_reference(text: str, width: int) -> str:
    """Character by character: the longest prefix that fits with "…", else the text padded."""
    w = sum(2 if _WIDE.match(ch) else 1 for ch in text)
    if w <= width:
        return text + " " * (width - w)
    out, used = [], 0
    for ch in text:
        cw = 2 if _WIDE.match(ch) else 1
        if used + cw > width - 1:
            break
        out.append(ch)
        used += cw
    return "".join(out) + "…" + " " * (width - 1 - used)


def test_fit_cuts_and_pads_by_display_width() -> None:
    assert _fit("预算公开", 10) == "预算公开  "
    assert _fit("预算公开情况", 9) == "预算公开…"
    assert _fit("abc", 2) == "a…"
    rnd = random.Random(8)
    alphabet = "ab1 -、。（）…中文字符逾期天后到期ｱｲ\u1100\u115f\u1160\u2e80\u303f\u3041\uff60\uff61\uffe6\uffe7é😀"
    for _ in range(20000):
        pool = alphabet if rnd.random() < 0.8 else "abc 12"
        text = "".join(rnd.choice(pool) for _ in range(rnd.randint(0, 40)))
        width = rnd.randint(0, 45)
        assert _fit(text, width) == fit_reference(text, width), (text, width)


def test_timing_sums_match_their_definitions() -> None:
    rnd = random.Random(3)
    day = dt.date(2026, 11, 21)
    kinds = [DeadlineKind.ONCE, DeadlineKind.NONE, DeadlineKind.RECURRING]
    for _ in range(3000):
        states = []
        for _ in range(rnd.randint(1, 4)):
            overdue = rnd.choice([None, None, 0, 1, 5, 5, 30])
            due_in = None if overdue else rnd.choice([None, 0, 3, 3, 40])
            due = rnd.choice([None, day + dt.timedelta(days=rnd.randint(-40, 40))])
            states.append(RuleState(Rule(rnd.choice(kinds)), due=due, overdue_days=overdue, due_in=due_in))
        t = Timing(states)
        late = [s for s in states if s.overdue_days is not None]
        soon = [s for s in states if s.due_in is not None]
        assert t.overdue_days == (max(s.overdue_days or 0 for s in late) if late else None)
        assert t.due_in == (min(s.due_in or 0 for s in soon) if soon else None)
        if late:
            assert t.due is max(late, key=lambda s: s.overdue_days or 0).due
        elif soon:
            assert t.due is min(soon, key=lambda s: s.due_in or 0).due
        else:
            assert t.due == max((s.due for s in states if s.due is not None), default=None)
        assert t.primary is max(states, key=lambda s: (s.overdue_days or -1, -(s.due_in if s.due_in is not None else 10**6)))
        assert t.standing == all(s.rule.kind is DeadlineKind.NONE for s in states)


def test_shared_timings_equal_their_own(tmp_path: Path) -> None:
    """Items whose timing is bound to be equal share one (``evaluate(memo=…)``): on generated plans
    (every kind of rule, progress logs, working-day events, issue dates through the year) every
    shared timing equals the item's own, at dates across quarter and year ends."""
    from ggk.workspace.load import load
    from tests.bench.generate import generate

    generate(tmp_path / "gen", units=4, years=3, items=40, today=dt.date(2026, 11, 21))
    ws = load([tmp_path / "gen" / "plans"])
    shared = 0
    for day in ("2024-03-31", "2024-04-01", "2025-07-15", "2025-12-31", "2026-01-01", "2026-11-21"):
        today = dt.date.fromisoformat(day)
        memo = deadlines.SharedTimings(today)
        given: Counter[int] = Counter()
        for entry in ws.plans:
            plan = entry.plan
            for _loc, _chain, item in plan.iter_items():
                own = deadlines.evaluate(item, plan.year, today, since=plan.issued)
                got = deadlines.evaluate(item, plan.year, today, since=plan.issued, memo=memo)
                given[id(got)] += 1
                assert [s.to_json() for s in got.states] == [s.to_json() for s in own.states], (day, entry.path, item.id)
                assert (got.overdue_days, got.due_in, got.due, got.standing, got.unresolved) == (
                    own.overdue_days,
                    own.due_in,
                    own.due,
                    own.standing,
                    own.unresolved,
                )
        shared += sum(n for n in given.values() if n > 1)
    assert shared > 500  # items that got a timing another item got too
    # another date never reads a memo made for one
    memo = deadlines.SharedTimings(dt.date(2026, 1, 1))
    year = ws.plans[0].plan.year
    item = next(i for _l, _c, i in ws.plans[0].plan.iter_items() if deadlines._shared_key(i, year, dt.date(2026, 6, 1), None))
    deadlines.evaluate(item, year, dt.date(2026, 6, 1), memo=memo)
    assert not memo
    deadlines.evaluate(item, year, dt.date(2026, 1, 1), memo=memo)
    assert len(memo) == 1


def test_periodic_rows_match_their_definition() -> None:
    """Entries are counted into the plan year's periods by their month; the definition: the entries
    (that count, dated by the as-of date) between each period's first and last day."""
    from ggk.model import Deadline, Item, LogEntry

    rnd = random.Random(5)
    for _ in range(3000):
        year = rnd.choice([2020, 2021, 2024])
        per = rnd.choice(["month", "quarter", "half", "year"])
        rule = deadlines.resolve(Deadline(every=per) if rnd.random() < 0.5 else Deadline(count=rnd.randint(1, 4), per=per), year)
        assert rule is not None
        log = [
            LogEntry(date=dt.date(year + rnd.choice([-1, 0, 0, 0, 1]), rnd.randint(1, 12), rnd.randint(1, 28)), counts=rnd.random() < 0.85)
            for _ in range(rnd.randint(0, 8))
        ]
        item = Item(id="1", title="t", log=log)
        today = dt.date(year, 1, 1) + dt.timedelta(days=rnd.randint(-30, 400))
        since = rnd.choice([None, dt.date(year, rnd.randint(1, 12), rnd.randint(1, 28))])
        dates = [e.date for e in log if e.counts and e.date <= today]
        expected = [(p, sum(p.start <= d <= p.end for d in dates)) for p in deadlines.periods(year, per) if since is None or p.end >= since]
        assert deadlines._periodic_rows(rule, item, year, today, since) == expected
