"""What each piece of ggk's speed machinery buys: a command timed with the piece and without it, interleaved.

    python tests/bench/pieces.py --plans DATA/plans --today 2026-11-22 [--runs 7]

``DATA`` is a folder made by ``generate.py`` (``run.py`` keeps them in its work folder).  Each variant runs
``ggk`` in a child process with one piece switched off (a patch applied before the program starts); the
table gives wall and CPU medians and the difference.  The pieces:

- ``cache``: the parse cache (``--no-cache``);
- ``open-items line``: ``overdue`` reading only the open items with a time limit from each entry;
- ``stat trust``: trusting a settled file's stat instead of reading and hashing every file;
- ``no cyclic GC``: the ``ggk`` program running without the cyclic garbage collector;
- ``one-command app``: building only the command that runs;
- ``remembered rules``: the ``lru_cache`` of what a deadline phrase and a deadline's keys state;
- ``lean table``: the plain-text layout of long lists that fits each distinct text once, timed in this
  process against the same layout written straightforwardly (``tests/test_fit.py``'s reference);
- ``workers``: a worker process beside the run on a cold run (``GGK_JOBS=1`` is without);
- ``remembered scalar tags``: the ``lru_cache`` of ``ggk.yamlfiles.dialect.resolve`` (a serial cold run);
- ``findings located in the parsed tree``: a new entry's per-file findings located in the node tree just
  parsed (``keep_tree``) rather than by parsing the file again (a serial cold run).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: name -> Python run before ``ggk.cli.program.main()`` to switch the piece off
OFF = {
    "open-items line": (
        "import ggk.workspace.cache as c; _o = c.open_cached; c.open_cached = lambda *a, **k: _o(*a, **{**k, 'subset': False})"
    ),
    "stat trust": "import ggk.workspace.cache as c; c.RACY_NS = 10**30",
    "no cyclic GC": "import gc; gc.disable = lambda: None",
    "one-command app": "import ggk.cli.app as a; a.app_for = lambda args: a.whole_app()",
    "remembered rules": (
        "import ggk.deadlines.rules as r; r._resolve_keys = r._resolve_keys.__wrapped__; r._parse_phrase = r._parse_phrase.__wrapped__"
    ),
}
#: switched off in a serial cold run (worker processes would not see the patch)
COLD_OFF = {
    "remembered scalar tags": "import ggk.yamlfiles.dialect as d; d.resolve = d.resolve.__wrapped__",
    "findings located in the parsed tree": (
        "import ggk.workspace.cache as c; _l = c.load_file; c.load_file = lambda path, kind, raw=None, keep_tree=False: _l(path, kind, raw)"
    ),
}


def launcher(off: str, args: list[str]) -> list[str]:
    code = f"import sys; sys.argv = {['ggk', *args]!r}\n{off}\nfrom ggk.cli.program import main\nmain()"
    return [sys.executable, "-c", code]


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _pid, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"failed: {cmd}")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def measure(cases: dict[str, tuple[list[str], dict[str, str], object]], runs: int) -> dict[str, tuple[float, float]]:
    wall: dict[str, list[float]] = {k: [] for k in cases}
    cpu: dict[str, list[float]] = {k: [] for k in cases}
    for _ in range(runs):
        for name, (cmd, env, prepare) in cases.items():
            if callable(prepare):
                prepare()
            w, c = timed(cmd, env)
            wall[name].append(w)
            cpu[name].append(c)
    return {k: (statistics.median(wall[k]), statistics.median(cpu[k])) for k in cases}


def report(title: str, results: dict[str, tuple[float, float]], base: str) -> None:
    print(f"\n{title}")
    w0, c0 = results[base]
    for name, (w, c) in results.items():
        extra = "" if name == base else f"   without it: {1000 * (w - w0):+6.0f} ms wall, {1000 * (c - c0):+6.0f} ms CPU"
        print(f"  {name:<34} wall {w * 1000:7.0f} ms   CPU {c * 1000:7.0f} ms{extra}")


def lean_table(plans: Path, today: str, cache: Path) -> None:
    """The overdue list's layout, in this process: ggk's against the straightforward reference."""
    import datetime as dt

    sys.path.insert(0, str(ROOT))
    os.environ["GGK_CACHE_DIR"] = str(cache)
    from ggk.ledger.queries import Filters, ItemsReport, overdue_rows, select
    from ggk.render import Options
    from ggk.render.table import TableRenderer
    from ggk.workspace.session import open_workspace
    from tests.test_fit import lean_reference

    day = dt.date.fromisoformat(today)
    session = open_workspace([plans], day, only_open=True)
    rows = overdue_rows(select(session.ws, day, Filters(all_years=True, overdue=True), soon=0, calendar=session.calendar))
    report = ItemsReport(day, "逾期条目", rows, grouped=True)
    renderer = TableRenderer(Options(color=False, width=160))
    times: dict[str, list[float]] = {"lean table": [], "straightforward layout": []}
    for _ in range(5):
        for name, fn in (("lean table", renderer.lean_items), ("straightforward layout", lambda r: lean_reference(r, 160))):
            start = time.process_time()
            fn(report)
            times[name].append(time.process_time() - start)
    lean, plain = (statistics.median(times[k]) for k in times)
    print(f"\nthe overdue list's layout ({len(rows)} rows), CPU: lean {lean * 1000:.0f} ms, straightforward {plain * 1000:.0f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plans", type=Path, required=True)
    ap.add_argument("--today", required=True)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--cold-runs", type=int, default=3)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ggk-pieces-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("GGK_")}
    env.update(PYTHONPATH=str(ROOT), GGK_CACHE_DIR=str(work / "warm"))
    overdue = ["--plans", str(args.plans), "--as-of", args.today, "overdue", "--all-years"]
    subprocess.run(launcher("", overdue), env=env, check=False, stdout=subprocess.DEVNULL)  # warm the cache
    cases: dict[str, tuple[list[str], dict[str, str], object]] = {"overdue --all-years, warm": (launcher("", overdue), env, None)}
    cases["cache"] = (launcher("", ["--no-cache", *overdue]), env, None)
    for name, off in OFF.items():
        cases[name] = (launcher(off, overdue), env, None)
    report(f"{args.plans}: warm overdue, each piece switched off in turn", measure(cases, args.runs), "overdue --all-years, warm")

    bundled = ["--plans", str(ROOT / "plans"), "--as-of", "2026-11-21", "status"]
    subprocess.run(launcher("", bundled), env=env, check=False, stdout=subprocess.DEVNULL)
    office = {
        "status, bundled plans, warm": (launcher("", bundled), env, None),
        "one-command app": (launcher(OFF["one-command app"], bundled), env, None),
        "no cyclic GC": (launcher(OFF["no cyclic GC"], bundled), env, None),
    }
    report("office scale: ggk status on the bundled plans", measure(office, max(args.runs, 10)), "status, bundled plans, warm")

    cold_env = {**env, "GGK_CACHE_DIR": str(work / "cold")}

    def empty() -> None:
        shutil.rmtree(work / "cold", ignore_errors=True)

    serial = {**cold_env, "GGK_JOBS": "1"}
    cold = {
        "overdue --all-years, cold": (launcher("", overdue), cold_env, empty),
        "workers": (launcher("", overdue), serial, empty),
    }
    report("cold (empty cache)", measure(cold, args.cold_runs), "overdue --all-years, cold")
    serial_cases = {"overdue --all-years, cold, serial": (launcher("", overdue), serial, empty)}
    for name, off in COLD_OFF.items():
        serial_cases[name] = (launcher(off, overdue), serial, empty)
    report("cold, serial (GGK_JOBS=1)", measure(serial_cases, args.cold_runs), "overdue --all-years, cold, serial")
    lean_table(args.plans, args.today, work / "warm")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
