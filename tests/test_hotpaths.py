"""The faster forms of two hot spots give exactly what their plain definitions give: the sums of a
``Timing`` (computed once when it is made) and the cutting and padding of the plain-text tables."""

from __future__ import annotations

import datetime as dt
import random
import re

from ggk.deadlines import DeadlineKind, Rule, RuleState, Timing
from ggk.render.table import _fit

_WIDE = re.compile("[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]")


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
