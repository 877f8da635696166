"""Benchmark: a whole quarter of returned 进展报送表 from 30 departments taken in (issue 15; not run by pytest).

    python tests/bench/intake.py                 # 30 departments, 240 items, 5 runs
    python tests/bench/intake.py --depts 30 --items 240 --runs 5

Generates a unit with ``--depts`` departments and a plan whose every item has one lead and two
cooperating departments (so each department's form has about 3 × items / depts rows), writes each
department's form for the third quarter with ``ggk form``, and fills in every row the way a
department does: a progress note on each, evidence links, some items marked 已完成 with a date typed
the Chinese way, some working-day events, a few mistakes (a status that is not one, a date after
today) so that the checks run on every row.  Then it times the whole process ``ggk intake <30
files>`` on a fresh copy of the plans each run (every row read, checked and applied, one edit of the
plan file, the register written), and a second intake of the same files (every row checked, nothing
to change).  Goal: the first intake within 2 s on the 2-core machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

FORM_DAY = "2026-10-09"
INTAKE_DAY = "2026-10-12"
GOAL = 2.0


def unit_yaml(depts: list[str]) -> str:
    lines = ["format: 1", "name: 基准市交通运输局", "departments:"]
    lines += [f"  - name: {d}" for d in depts]
    return "\n".join(lines) + "\n"


def plan_yaml(depts: list[str], n: int, rnd: random.Random) -> str:
    lines = [
        "format: 1",
        "unit: bench",
        "year: 2026",
        "title: 基准市交通运输局2026年政务公开工作要点",
        "issued: 2026-02-20",
        "sections:",
    ]
    per_section = 20
    deadlines = [
        "{phrase: 2026年12月底前, due: 2026-12-31}",
        "{phrase: 每季度公开一次, every: quarter}",
        "{phrase: 做出行政决定之日起7个工作日内, workdays: 7, after: 行政决定}",
        None,
        "{phrase: 每年不少于3次, count: 3, per: year}",
    ]
    for s in range(0, n, per_section):
        lines += [f'  - "no": "{s // per_section + 1}"', f"    title: 第{s // per_section + 1}部分", "    items:"]
        for i in range(s, min(n, s + per_section)):
            lead = depts[i % len(depts)]
            assist = [depts[(i + 7) % len(depts)], depts[(i + 13) % len(depts)]]
            lines += [
                f'      - id: "{i + 1}"',
                f"        title: 第{i + 1}项工作任务",
                "        text: |-",
                f"          做好第{i + 1}项政务公开工作，按要求及时公开相关信息，回应社会关切，接受社会监督。",
                f"        lead: [{lead}]",
                f"        assist: [{', '.join(assist)}]",
            ]
            dl = deadlines[i % len(deadlines)]
            if dl:
                lines.append(f"        deadline: {dl}")
            lines += [
                "        status: 进行中",
                "        log:",
                f"          - date: 2026-0{rnd.randint(4, 6)}-1{rnd.randint(0, 9)}",
                f"            by: {lead}",
                "            note: 上半年已按要求公开",
            ]
    return "\n".join(lines) + "\n"


def make(folder: Path, n_depts: int, n_items: int) -> tuple[Path, list[Path]]:
    """The plans and the filled-in forms (not timed)."""
    from openpyxl import load_workbook

    rnd = random.Random(15)
    depts = [f"局第{i + 1}业务股" for i in range(n_depts)]
    plans = folder / "plans"
    (plans / "bench").mkdir(parents=True)
    (plans / "bench" / "unit.yaml").write_text(unit_yaml(depts), encoding="utf-8")
    (plans / "bench" / "2026.yaml").write_text(plan_yaml(depts, n_items, rnd), encoding="utf-8")
    forms = folder / "forms"
    ggk(plans, "form", "-o", str(forms), as_of=FORM_DAY)
    returns = folder / "returns"
    returns.mkdir()
    filled = []
    for path in sorted(forms.iterdir()):
        wb = load_workbook(path)
        ws = wb.active
        ws["C3"], ws["F3"] = "经办人", "0000-1234567"
        cols = {c.value: c.column for c in ws[4] if c.value}
        for r in range(5, ws.max_row + 1):
            key = ws.cell(row=r, column=cols["ggk-key"]).value
            if not isinstance(key, str) or key.count("|") != 2:
                continue
            roll = rnd.random()
            ws.cell(row=r, column=cols["本期进展情况"], value=f"第三季度按要求推进，公开信息{rnd.randint(1, 30)}条")
            ws.cell(row=r, column=cols["佐证材料/链接"], value=f"https://www.example.gov.cn/zwgk/{rnd.randint(1000, 9999)}.html")
            if roll < 0.2:
                ws.cell(row=r, column=cols["完成状态"], value="已完成")
                ws.cell(row=r, column=cols["完成日期"], value=f"2026年9月{rnd.randint(1, 30)}日")
            elif roll < 0.22:
                ws.cell(row=r, column=cols["完成状态"], value="差不多了")  # rejected
            elif roll < 0.24:
                ws.cell(row=r, column=cols["完成状态"], value="已完成")
                ws.cell(row=r, column=cols["完成日期"], value="2026-12-01")  # after today: rejected
            if not ws.cell(row=r, column=cols["事件日期"]).protection.locked:
                ws.cell(row=r, column=cols["事件日期"], value=dt.datetime(2026, 9, rnd.randint(1, 20)))
                ws.cell(row=r, column=cols["公开日期"], value=dt.datetime(2026, 9, rnd.randint(21, 30)))
        out = returns / path.name
        wb.save(out)
        filled.append(out)
    return plans, filled


def ggk(plans: Path, *args: str, as_of: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, GGK_CACHE_DIR=str(plans.parent / "cache"))
    return subprocess.run(
        [sys.executable, "-m", "ggk", "--plans", str(plans), "--as-of", as_of, *args], capture_output=True, text=True, env=env
    )


def timed(plans: Path, files: list[Path]) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    res = ggk(plans, "intake", *map(str, files), as_of=INTAKE_DAY)
    return time.perf_counter() - start, res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--depts", type=int, default=30)
    ap.add_argument("--items", type=int, default=240)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="ggk-intake-bench-") as tmp:
        work = Path(tmp)
        plans, files = make(work / "data", args.depts, args.items)
        rows = sum(1 for _ in files)
        first, second = [], []
        last = None
        for i in range(args.runs):
            copy = work / f"run{i}" / "plans"
            shutil.copytree(plans, copy)
            t1, res = timed(copy, files)
            t2, res2 = timed(copy, files)
            first.append(t1)
            second.append(t2)
            last = (res, res2)
        assert last is not None
        res, res2 = last
        summary = [line for line in res.stdout.splitlines() if "录入" in line]
        applied = sum(int(line.split("录入 ")[1].split(" 行")[0]) for line in summary if "录入 " in line)
        rejected = sum(int(line.split("退回 ")[1].split(" 行")[0]) for line in summary if "退回 " in line)
        again = sum(int(line.split("未变 ")[1].split(" 行")[0]) for line in res2.stdout.splitlines() if "未变 " in line)
        print(f"{rows} 份报送表（{args.depts} 个部门，{args.items} 个条目）：录入 {applied} 行，退回 {rejected} 行；第二次未变 {again} 行")
        print(f"第一次录入：中位数 {statistics.median(first):.2f} s（{', '.join(f'{t:.2f}' for t in first)}）")
        print(f"再次录入：  中位数 {statistics.median(second):.2f} s（{', '.join(f'{t:.2f}' for t in second)}）")
        met = statistics.median(first) <= GOAL
        print(f"目标 ≤ {GOAL:.0f} s：{'达到' if met else '未达到'}")


if __name__ == "__main__":
    main()
