"""Province-scale benchmark of ggk against a minimal Typer app and Taskwarrior (issues 8, 13; not run by pytest).

    python tests/bench/run.py                      # 1k / 10k / 50k items, 5 runs each
    python tests/bench/run.py --sizes 1000 --runs 3

Generates synthetic plans (tests/bench/generate.py) and the same items as a Taskwarrior data set,
then times whole processes, interleaved, and prints medians, ratios and peak memory (each command's
own through GNU time, ``apt-get install -y time``; without it ru_maxrss via os.wait4, which on Linux
also counts this script's own size at the fork).  Taskwarrior: ``apt-get install -y taskwarrior`` (2.6); without ``task``
the comparison is skipped with a message.  Goals (README of this folder):

1. ``ggk --help`` within 1.2x of a minimal one-command Typer app;
2. every daily command (status, overdue, list, show) on the bundled plans, warm cache, within 1.5x of that app;
3. 50k items, warm: ``ggk overdue --all-years`` <= 1.0x ``task overdue``, peak memory <= Taskwarrior's;
4. 50k items, cold (empty cache): <= 5x ``task overdue``; one changed file re-parses that file only;
5. cost linear in items (1k / 10k / 50k).

Medians are printed with the spread (min-max) of the runs: the machine may be shared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
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
sys.path.insert(0, str(HERE))

MINIMAL = """import typer

app = typer.Typer()


@app.command()
def hello(name: str = "world") -> None:
    typer.echo(f"hello {name}")


if __name__ == "__main__":
    app()
"""


#: GNU time (Debian package ``time``) reports a command's own peak memory.  Without it the peak comes
#: from ``os.wait4``, which on Linux also counts this process's memory at the fork (a floor of its size).
GNU_TIME = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None


def run(cmd: list[str], env: dict[str, str], cwd: Path | None = None) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds (user + system, its children's included), peak RSS (KB) and exit
    status of one whole process; output is discarded."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as peak:
        wrapped = [GNU_TIME, "-f", "%M", "-o", peak.name, *cmd] if GNU_TIME else cmd
        start = time.perf_counter()
        proc = subprocess.Popen(wrapped, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        text = peak.read().strip()
    proc.returncode = os.waitstatus_to_exitcode(status)
    rss = int(text.splitlines()[-1]) if GNU_TIME and text else usage.ru_maxrss
    return wall, usage.ru_utime + usage.ru_stime, rss, proc.returncode


class Bench:
    def __init__(self, work: Path, runs: int):
        self.work = work
        self.runs = runs
        self.results: dict[str, dict[str, float]] = {}

    def measure(self, cases: dict[str, tuple[list[str], dict[str, str], object]], runs: int | None = None) -> None:
        """Run every case ``runs`` times, interleaved (so load on the machine hits all alike).

        A case is (command, environment, prepare) where prepare is None or a callable run before
        each run and not timed (e.g. emptying the cache)."""
        times: dict[str, list[float]] = {k: [] for k in cases}
        cpu: dict[str, list[float]] = {k: [] for k in cases}
        mem: dict[str, int] = {k: 0 for k in cases}
        for _ in range(runs or self.runs):
            for name, (cmd, env, prepare) in cases.items():
                if callable(prepare):
                    prepare()
                wall, used, rss, code = run(cmd, env)
                if code not in (0, 1):
                    raise SystemExit(f"{name}: exit {code}: {' '.join(cmd)}")
                times[name].append(wall)
                cpu[name].append(used)
                mem[name] = max(mem[name], rss)
        for name in cases:
            self.results[name] = {
                "median": statistics.median(times[name]),
                "min": min(times[name]),
                "max": max(times[name]),
                "cpu": statistics.median(cpu[name]),
                "peak_kb": mem[name],
                "runs": len(times[name]),
            }
            r = self.results[name]
            print(
                f"  {name:<40} median {r['median'] * 1000:7.0f} ms   min {r['min'] * 1000:7.0f}   max {r['max'] * 1000:7.0f}"
                f"   cpu {r['cpu'] * 1000:7.0f} ms   peak {r['peak_kb'] / 1024:5.0f} MB",
                flush=True,
            )

    def ratio(self, a: str, b: str) -> float:
        return self.results[a]["median"] / self.results[b]["median"]

    def cpu_ratio(self, a: str, b: str) -> float:
        return self.results[a]["cpu"] / self.results[b]["cpu"]


def prepare_data(work: Path, size: int, today: dt.date) -> Path:
    from generate import generate

    folder = work / f"data-{size}"
    marker = folder / "done.json"
    units = max(1, size // 500)
    want = {"units": units, "years": 10, "items": 50, "today": today.isoformat()}
    if marker.exists() and json.loads(marker.read_text()) == want:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    print(f"generating {size} items ({units} units x 10 years x 50 items) in {folder} ...", flush=True)
    counts = generate(folder, units, 10, 50, today=today)
    print(f"  {counts}", flush=True)
    marker.write_text(json.dumps(want))
    return folder


def prepare_task(folder: Path) -> dict[str, str] | None:
    """A Taskwarrior data set of the same items (imported once); None when ``task`` is missing."""
    task = shutil.which("task")
    if task is None:
        return None
    data = folder / "taskdata"
    rc = folder / "taskrc"
    rc.write_text(f"data.location={data}\nconfirmation=no\nhooks=off\nnews.version=2.6.2\n")
    env = {**os.environ, "TASKRC": str(rc)}
    if not (data / "imported").exists():
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir(parents=True)
        print(f"importing {folder / 'tasks.json'} into Taskwarrior ...", flush=True)
        subprocess.run(
            [task, "import", str(folder / "tasks.json")], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        (data / "imported").write_text("")
    return env


def main() -> None:
    ap = argparse.ArgumentParser(description="ggk province-scale benchmark (issue 8)")
    ap.add_argument("--sizes", default="1000,10000,50000", help="item counts, comma-separated (multiples of 500)")
    ap.add_argument("--runs", type=int, default=5, help="runs per case (medians)")
    ap.add_argument("--cold-runs", type=int, default=3, help="runs of the cold (empty cache) case")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "ggk-bench")
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today(), help="the as-of date (the data is generated for it)")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    today: dt.date = args.today
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    py = sys.executable
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("GGK_")}
    base_env["PYTHONPATH"] = str(ROOT)
    base_env.pop("COLUMNS", None)
    # ggk as installed: pip compiles the bytecode of what it installs (typer, pydantic … here too).
    # A checkout run with PYTHONDONTWRITEBYTECODE set would compile every edited module on every run.
    base_env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([py, "-m", "compileall", "-q", str(ROOT / "ggk")], env=base_env, check=True, stdout=subprocess.DEVNULL)
    bench = Bench(work, args.runs)

    minimal = work / "minimal_typer_app.py"
    minimal.write_text(MINIMAL)
    ggk = [py, "-m", "ggk"]
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, as-of {today}, medians of {args.runs} runs\n")

    # -- goals 1 and 2: start-up, and the daily commands at office scale
    env = {**base_env, "GGK_CACHE_DIR": str(work / "cache-bundled")}
    bundled = [*ggk, "--plans", str(ROOT / "plans"), "--as-of", "2026-11-21"]
    daily = {
        "status": ["status"],
        "overdue": ["overdue"],
        "list": ["list"],
        "show": ["show", "gansu-jtt/2021/15"],
    }
    for words in daily.values():
        subprocess.run([*bundled, *words], env=env, stdout=subprocess.DEVNULL)  # warm the cache
    print("start-up")
    startup: dict[str, tuple[list[str], dict[str, str], object]] = {
        "python -c 'import typer'": ([py, "-c", "import typer"], base_env, None),
        "minimal typer app": ([py, str(minimal)], base_env, None),
        "ggk --help": ([*ggk, "--help"], env, None),
        "ggk --version": ([*ggk, "--version"], env, None),
    }
    for name, words in daily.items():
        startup[f"ggk {name} (bundled, warm)"] = ([*bundled, *words], env, None)
    bench.measure(startup, runs=max(args.runs, 10))
    # (goal, wall-time ratio or count, limit, CPU-time ratio or None)
    goals: list[tuple[str, float, float, float | None]] = [
        (
            "1 ggk --help / minimal typer app",
            bench.ratio("ggk --help", "minimal typer app"),
            1.2,
            bench.cpu_ratio("ggk --help", "minimal typer app"),
        )
    ]
    for name in daily:
        case = f"ggk {name} (bundled, warm)"
        goals.append(
            (
                f"2 ggk {name} (warm) / minimal typer app",
                bench.ratio(case, "minimal typer app"),
                1.5,
                bench.cpu_ratio(case, "minimal typer app"),
            )
        )
    typer_import = bench.ratio("ggk --help", "python -c 'import typer'")
    print(f"  (for reference: ggk --help / python -c 'import typer' = {typer_import:.2f}x)")

    # -- goals 3-5: scale
    scale: list[tuple[int, float, float, float | None, float, float | None]] = []
    for size in sizes:
        folder = prepare_data(work, size, today)
        plans = folder / "plans"
        task_env = prepare_task(folder)
        cache = work / f"cache-{size}"
        env = {**base_env, "GGK_CACHE_DIR": str(cache)}
        cold_cache = work / f"cache-{size}-cold"
        cold_env = {**base_env, "GGK_CACHE_DIR": str(cold_cache)}
        overdue = [*ggk, "--plans", str(plans), "--as-of", today.isoformat(), "overdue", "--all-years"]
        subprocess.run(overdue, env=env, stdout=subprocess.DEVNULL)  # warm the cache
        print(f"\n{size} items")
        cases: dict[str, tuple[list[str], dict[str, str], object]] = {
            f"ggk overdue --all-years warm {size}": (overdue, env, None),
            f"ggk overdue (current year) warm {size}": ([*ggk, "--plans", str(plans), "--as-of", today.isoformat(), "overdue"], env, None),
        }
        if task_env is not None:
            cases[f"task overdue {size}"] = (["task", "overdue"], task_env, None)
        else:
            print("  Taskwarrior (task) not found: comparison skipped.  Install it with: apt-get install -y taskwarrior")
        bench.measure(cases)
        # the cold runs interleaved with runs of Taskwarrior too: a ratio of times measured side by side
        cold_cases: dict[str, tuple[list[str], dict[str, str], object]] = {
            f"ggk overdue --all-years cold {size}": (overdue, cold_env, lambda c=cold_cache: shutil.rmtree(c, ignore_errors=True)),
        }
        if task_env is not None:
            cold_cases[f"task overdue beside cold {size}"] = (["task", "overdue"], task_env, None)
        bench.measure(cold_cases, runs=args.cold_runs)

        # one changed file: only that file is parsed again (counted in a child process, so that this
        # process stays small: a forked child's ru_maxrss starts from its parent's)
        victim = sorted(plans.glob("*/[0-9]*.yaml"))[len(list(plans.glob("*/[0-9]*.yaml"))) // 2]
        with open(victim, "a", encoding="utf-8") as fh:
            fh.write(f"# touched by tests/bench/run.py at {time.time_ns()}\n")
        probe = (
            "import datetime, json, sys; from pathlib import Path; from ggk.workspace.cache import open_cached; "
            "_w, _d, c = open_cached([Path(sys.argv[1])], datetime.date.fromisoformat(sys.argv[2])); "
            "print(json.dumps([c.misses, c.hits]))"
        )
        out = subprocess.run([py, "-c", probe, str(plans), today.isoformat()], env=env, capture_output=True, text=True, check=True)
        reparsed, hits = json.loads(out.stdout)
        with open(victim, "a", encoding="utf-8") as fh:
            fh.write("# touched again\n")
        bench.measure({f"ggk overdue --all-years 1 file changed {size}": (overdue, env, None)}, runs=1)
        print(f"  one changed file ({victim.relative_to(plans)}): {reparsed} file(s) parsed again, {hits} from the cache")
        warm = bench.results[f"ggk overdue --all-years warm {size}"]
        cold = bench.results[f"ggk overdue --all-years cold {size}"]
        tw = bench.results.get(f"task overdue {size}")
        scale.append((size, warm["median"], cold["median"], tw["median"] if tw else None, warm["peak_kb"], tw["peak_kb"] if tw else None))
        if size == max(sizes) and tw:
            goals.append((f"3 ggk overdue warm / task overdue ({size})", warm["median"] / tw["median"], 1.0, warm["cpu"] / tw["cpu"]))
            goals.append((f"3 peak memory ggk / task ({size})", warm["peak_kb"] / tw["peak_kb"], 1.0, None))
            beside = bench.results[f"task overdue beside cold {size}"]
            goals.append(
                (f"4 ggk overdue cold / task overdue ({size})", cold["median"] / beside["median"], 5.0, cold["cpu"] / beside["cpu"])
            )
        if size == max(sizes):
            goals.append((f"4 files parsed again after one edit ({size})", float(reparsed), 1.0, None))
            # for the record (no goal): the commands that read every item of every plan
            every = [*ggk, "--plans", str(plans), "--as-of", today.isoformat()]
            bench.measure(
                {
                    f"ggk status --all-years warm {size}": ([*every, "status", "--all-years"], env, None),
                    f"ggk check warm {size}": ([*every, "check"], env, None),
                },
                runs=3,
            )

    print("\nscale (medians)")
    print(f"  {'items':>7} {'warm ms':>9} {'cold ms':>9} {'task ms':>9} {'warm/task':>10} {'ggk MB':>7} {'task MB':>8}")
    for size, w, c, t, wm, tm in scale:
        nan = float("nan")
        print(
            f"  {size:>7} {w * 1000:9.0f} {c * 1000:9.0f} {t * 1000 if t else nan:9.0f} {w / t if t else nan:10.2f}"
            f" {wm / 1024:7.0f} {tm / 1024 if tm else nan:8.0f}"
        )
    if len(scale) > 1:
        (s0, w0, c0, *_), (s1, w1, c1, *_) = scale[0], scale[-1]
        print(f"  growth {s0} -> {s1} items (x{s1 / s0:.0f}): warm x{w1 / w0:.1f}, cold x{c1 / c0:.1f}  (goal 5: linear)")
    print("\ngoals (wall-time medians; CPU time = user + system of the processes, less sensitive to a busy machine)")
    for name, value, limit, cpu_value in goals:
        cpu_text = f"  (CPU {cpu_value:.2f})" if cpu_value is not None else ""
        print(f"  {name:<48} {value:6.2f}  (goal <= {limit})  {'met' if value <= limit else 'NOT met'}{cpu_text}")
    if args.json:
        args.json.write_text(json.dumps({"results": bench.results, "goals": goals, "scale": scale}, indent=2))


if __name__ == "__main__":
    main()
