"""Synthetic plans at province scale, in the real format, for the benchmarks (not used by pytest).

``python tests/bench/generate.py OUT --units 100 --years 10 --items 50`` writes
``OUT/plans/<unit>/unit.yaml`` (a department registry with aliases and collective names) and
``OUT/plans/<unit>/<year>.yaml`` (sections of items), and ``OUT/tasks.json``: the same items as a
Taskwarrior import (same titles, deadlines and statuses; progress logs as annotations).

The text is made of the sentences of the bundled plans (so lengths, punctuation and time phrases are
those of real documents); deadlines mix dates, document phrases, quarterly/count/working-day rules and
standing work; statuses are spread by year so that old plans are mostly done and the current one is
half way, with overdue items in both.  Everything is drawn from ``random.Random(seed)``: the same
arguments give the same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import uuid
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "plans"
#: The as-of date the statuses are spread around (``--today``; the benchmark uses the real date, as
#: Taskwarrior knows no other).
TODAY = dt.date.today()

CITIES = [
    "兰州",
    "嘉峪关",
    "金昌",
    "白银",
    "天水",
    "武威",
    "张掖",
    "平凉",
    "酒泉",
    "庆阳",
    "定西",
    "陇南",
    "临夏",
    "甘南",
    "广元",
    "绵阳",
    "德阳",
    "南充",
    "遂宁",
    "巴中",
    "达州",
    "广安",
    "雅安",
    "眉山",
    "乐山",
    "宜宾",
    "泸州",
    "内江",
    "长春",
    "吉林",
    "四平",
    "辽源",
    "通化",
    "白山",
    "松原",
    "白城",
    "延边",
    "楚雄",
    "姚安",
    "大姚",
    "永仁",
    "元谋",
]
SUFFIXES = ["市", "县", "区"]
DEPTS = [
    ("办公室", ["办公室", "综合科"]),
    ("政策法规科", ["法规科", "政策法规股"]),
    ("综合规划科", ["规划科", "综规科"]),
    ("财务审计科", ["财务科", "财审科"]),
    ("建设管理科", ["建设科", "建管科"]),
    ("公路管理科", ["公路科"]),
    ("运输服务科", ["运输科", "运管科"]),
    ("安全监督科", ["安监科", "安全科"]),
    ("科技信息科", ["信息科", "科信科"]),
    ("人事教育科", ["人事科"]),
    ("机关党委", ["党委办"]),
    ("公路事业发展中心", ["公路中心"]),
    ("交通运输综合行政执法支队", ["执法支队"]),
    ("道路运输服务中心", ["运输中心"]),
    ("政务服务科", ["审批科", "行政审批科"]),
]
GROUPS = ["局属各单位", "机关各科室", "相关科室", "各县区交通运输局"]
NOTES = [
    "已在门户网站政府信息公开专栏发布",
    "召开专题会议研究部署，明确责任分工",
    "梳理形成公开清单，报分管领导审定",
    "发布政策解读1篇，同步制作图解",
    "完成年度数据更新并公开",
    "督促相关单位按期报送材料",
    "已书面提醒责任科室补充公开",
    "在政务新媒体同步推送",
    "回应群众关切2件，已公开办理结果",
    "组织开展业务培训，参训人员45人",
]
PERIODS = [("每季度公开一次", {"every": "quarter"}), ("每月更新一次", {"every": "month"}), ("每半年公开一次", {"every": "half"})]
COUNTS = [("每年解读重要政策措施不少于3次", 3), ("每年至少开展2次专题培训", 2), ("每年组织政府开放活动不少于4次", 4)]
WORKDAYS = [("自做出行政决定之日起7个工作日内", 7, "行政决定"), ("文件印发后20个工作日内", 20, "文件印发")]


def corpus() -> tuple[list[str], list[str], list[str]]:
    """Titles, sentences and section titles of the bundled plans."""
    titles, sentences, sections = [], [], []
    for path in sorted(BUNDLED.glob("*/[0-9]*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))

        def walk(secs: list[dict]) -> None:
            for sec in secs or []:
                sections.append(str(sec["title"]))
                for item in sec.get("items") or []:
                    titles.append(str(item["title"]))
                    for s in re.split(r"(?<=[。；])", str(item.get("text") or "")):
                        s = s.strip()
                        # keep the text free of dates of other years: the rules come from `deadline`
                        if 8 <= len(s) <= 90 and not re.search(r"\d{4}|年底|月底|工作日|每季|每年|每月|前完成", s):
                            sentences.append(s)
                walk(sec.get("sections") or [])

        walk(data.get("sections") or [])
    return titles, sentences, sections


def q(s: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(s, ensure_ascii=False)


def flow(names: list[str]) -> str:
    return "[" + ", ".join(q(n) for n in names) + "]"


def month_end(y: int, m: int) -> dt.date:
    return dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)


class Gen:
    def __init__(self, seed: int):
        self.r = random.Random(seed)
        self.titles, self.sentences, self.sections = corpus()

    def unit(self, i: int) -> tuple[str, str, list[str], str]:
        city = CITIES[i % len(CITIES)]
        n = i // len(CITIES)
        suffix = SUFFIXES[(i // 7) % len(SUFFIXES)]
        name = f"{city}{'第' + str(n + 1) if n else ''}{suffix}交通运输局"
        slug = f"u{i + 1:03d}"
        deps = self.r.sample(DEPTS, k=self.r.randint(10, len(DEPTS)))
        lines = [
            "# 合成数据（tests/bench/generate.py），不是真实机关。",
            "format: 1",
            f"name: {q(name)}",
            f"short: {q(city + '交通局')}",
            "level: 县级" if suffix != "市" else "level: 市级",
            "departments:",
        ]
        for d, aliases in deps:
            lines.append(f"  - name: {q('局' + d)}")
            lines.append(f"    aliases: {flow([d, *aliases])}")
        for g in GROUPS:
            lines.append(f"  - name: {q(g)}")
            lines.append("    group: true")
        names = ["局" + d for d, _ in deps]
        return slug, name, names, "\n".join(lines) + "\n"

    def text(self, title: str, extra: str = "") -> str:
        parts = [title + "。"] + self.r.sample(self.sentences, k=self.r.randint(1, 2))
        if extra:
            parts.insert(1, extra + "完成。")
        return "".join(parts)

    def deadline(self, year: int) -> tuple[str | None, dict, str]:
        """(YAML value, rule facts, phrase for the text)."""
        r = self.r.random()
        if r < 0.30:
            m = self.r.choice([3, 4, 5, 6, 6, 8, 9, 10, 11, 12, 12])
            phrase = f"{year}年{m}月底前" if m != 12 else f"{year}年底前"
            due = month_end(year, m)
            return f"{{phrase: {phrase}, due: {due}}}", {"due": due}, phrase
        if r < 0.45:
            phrase, due = self.r.choice(
                [
                    ("年底前", dt.date(year, 12, 31)),
                    ("上半年", dt.date(year, 6, 30)),
                    ("三季度末", dt.date(year, 9, 30)),
                    (f"{year}年10月底前", dt.date(year, 10, 31)),
                ]
            )
            return phrase, {"due": due}, phrase
        if r < 0.60:
            phrase, keys = self.r.choice(PERIODS)
            return f"{{phrase: {phrase}, every: {keys['every']}}}", {"every": keys["every"]}, phrase
        if r < 0.70:
            phrase, n = self.r.choice(COUNTS)
            return f"{{phrase: {phrase}, count: {n}, per: year}}", {"count": n}, phrase
        if r < 0.75:
            phrase, n, after = self.r.choice(WORKDAYS)
            return f"{{phrase: {phrase}, workdays: {n}, after: {after}}}", {"workdays": n}, phrase
        return None, {}, ""

    def status(self, year: int) -> str:
        r = self.r.random()
        if year < TODAY.year:
            return "已完成" if r < 0.86 else "已取消" if r < 0.90 else "进行中" if r < 0.97 else "未启动"
        return "已完成" if r < 0.45 else "进行中" if r < 0.80 else "未启动" if r < 0.95 else "已取消"

    def day(self, year: int, lo: dt.date | None = None) -> dt.date:
        start = lo or dt.date(year, 1, 15)
        end = min(dt.date(year, 12, 28), TODAY)
        if start >= end:
            return end
        return start + dt.timedelta(days=self.r.randint(0, (end - start).days))

    def plan(self, slug: str, unit_name: str, depts: list[str], year: int, n_items: int, tasks: list[dict]) -> str:
        r = self.r
        out = [
            "# 合成数据（tests/bench/generate.py），不是真实文件。",
            "format: 1",
            f"unit: {slug}",
            f"year: {year}",
            f"title: {q(f'{unit_name}{year}年政务公开工作要点')}",
            f"doc_no: {q(f'交发〔{year}〕{r.randint(2, 60)}号')}",
            f"issued: {dt.date(year, r.randint(1, 3), r.randint(1, 28))}",
            "sections:",
        ]
        n_sec = max(1, min(6, n_items // 8))
        per = [n_items // n_sec + (1 if k < n_items % n_sec else 0) for k in range(n_sec)]
        no = 0
        nums = "一二三四五六七八九十"
        for s in range(n_sec):
            out.append(f'  - "no": {nums[s]}')
            out.append(f"    title: {q(r.choice(self.sections))}")
            out.append("    items:")
            for _ in range(per[s]):
                no += 1
                title = r.choice(self.titles)
                value, facts, phrase = self.deadline(year)
                status = self.status(year)
                lead = r.sample(depts, k=1 if r.random() < 0.7 else 2)
                assist = r.sample([d for d in depts if d not in lead], k=r.randint(0, 2)) + ([r.choice(GROUPS)] if r.random() < 0.3 else [])
                out.append(f'      - id: "{no}"')
                out.append(f"        title: {q(title)}")
                out.append("        text: |-")
                out.append("          " + self.text(title, phrase))
                out.append(f"        lead: {flow(lead)}")
                if assist:
                    out.append(f"        assist: {flow(assist)}")
                if value:
                    out.append(f"        deadline: {value}")
                out.append(f"        status: {status}")
                completed = None
                if status == "已完成":
                    due = facts.get("due") or dt.date(year, 12, 31)
                    completed = min(due + dt.timedelta(days=r.randint(-90, 20)), TODAY)
                    completed = max(completed, dt.date(year, 1, 10))
                    out.append(f"        completed: {completed}")
                if status == "已取消":
                    out.append("        reason: 上级部署调整，本项工作不再单独开展")
                logs = []
                n_logs = r.choice([0, 0, 1, 1, 2, 3]) if status != "未启动" else 0
                if facts.get("every") == "quarter" or facts.get("count"):
                    n_logs += r.randint(0, 2)
                for _ in range(n_logs):
                    d = self.day(year)
                    if completed and d > completed:
                        d = completed
                    logs.append(d)
                logs.sort()
                annotations = []
                if logs:
                    out.append("        log:")
                    for k, d in enumerate(logs):
                        note = r.choice(NOTES)
                        out.append(f"          - date: {d}")
                        out.append(f"            by: {q(r.choice(lead))}")
                        out.append(f"            note: {q(note)}")
                        if facts.get("workdays"):
                            out.append(f"            event: {d}")
                            if r.random() < 0.8:
                                out.append(f"            done: {min(d + dt.timedelta(days=r.randint(1, 12)), TODAY)}")
                        if r.random() < 0.4:
                            out.append(
                                f"            evidence: https://www.example.gov.cn/zwgk/{year}/t{d:%Y%m%d}_{r.randint(1000, 9999)}.html"
                            )
                        if k == len(logs) - 1 and status in ("进行中", "已完成"):
                            out.append(f"            status: {status}")
                        annotations.append({"entry": f"{d:%Y%m%d}T080000Z", "description": note})
                if status == "已完成" and r.random() < 0.6:
                    out.append("        summary: |-")
                    out.append("          " + "".join(r.sample(self.sentences, k=2)))
                task = {
                    "uuid": str(uuid.UUID(int=r.getrandbits(128))),
                    "description": title,
                    "project": f"{slug}.{year}",
                    "status": {"已完成": "completed", "已取消": "deleted"}.get(status, "pending"),
                    "entry": f"{dt.date(year, 1, 5):%Y%m%d}T000000Z",
                    "tags": [lead[0]],
                }
                due = facts.get("due")
                if due is None and (facts.get("every") or facts.get("count")):
                    due = dt.date(year, 12, 31)
                if due is not None:
                    # A date-only deadline is the whole day: overdue from the next day on, as in ggk.
                    task["due"] = f"{due:%Y%m%d}T235959Z"
                if completed or status == "已取消":
                    task["end"] = f"{(completed or dt.date(year, 12, 1)):%Y%m%d}T000000Z"
                if annotations:
                    task["annotations"] = annotations
                tasks.append(task)
        return "\n".join(out) + "\n"


def generate(out: Path, units: int, years: int, items: int, seed: int = 2026, today: dt.date | None = None) -> dict[str, int]:
    """Write ``out/plans`` and ``out/tasks.json``; return counts."""
    global TODAY
    TODAY = today or TODAY
    gen = Gen(seed)
    plans = out / "plans"
    plans.mkdir(parents=True, exist_ok=True)
    tasks: list[dict] = []
    n_bytes = 0
    for i in range(units):
        slug, name, depts, unit_text = gen.unit(i)
        folder = plans / slug
        folder.mkdir(exist_ok=True)
        (folder / "unit.yaml").write_text(unit_text, encoding="utf-8")
        for year in range(TODAY.year - years + 1, TODAY.year + 1):
            text = gen.plan(slug, name, depts, year, items, tasks)
            data = text.encode("utf-8")
            n_bytes += len(data)
            (folder / f"{year}.yaml").write_bytes(data)
    (out / "tasks.json").write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return {"items": len(tasks), "files": units * (years + 1), "bytes": n_bytes}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--units", type=int, default=100)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--items", type=int, default=50)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--today", type=dt.date.fromisoformat, default=None, help="as-of date (default: today)")
    a = ap.parse_args()
    print(generate(a.out, a.units, a.years, a.items, a.seed, a.today))


if __name__ == "__main__":
    main()
