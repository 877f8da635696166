"""Fuzzing: plan files mutated at random — lines, characters, bytes, value types — never give an
internal error in ``ggk check``, the reports or the edits, and an edit that goes through never adds
an error to the file.

Each example takes a bundled plan, applies one to four mutations and runs the commands on it through
the CLI (the cache on or off at random).  The default run tries ``DEFAULT_EXAMPLES`` mutated plans
and one command each besides ``check`` (the commands rotate); the long run (``-m slow``) tries ``LONG_EXAMPLES``
with every command each time.  ``GGK_FUZZ_EXAMPLES`` overrides either count; the README says how
to run it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ggk.cli.app import app
from tests.conftest import PLANS

DEFAULT_EXAMPLES = 300
LONG_EXAMPLES = 5000
SEEDS = sorted(p for p in PLANS.glob("*/*.yaml") if p.name != "unit.yaml")
TODAY = "2026-11-21"

#: Characters a mutation inserts: YAML's punctuation, full-width IME punctuation, control and format
#: characters, line breaks YAML knows and Chinese text.
ALPHABET = (
    list(":-[]{}#&*!|>'\"%@`,?~ \t\n\r\\")
    + list("：，、［］【】“”‘’　－")
    + [
        "\x00",
        "\x1b",
        "\x7f",
        "\x85",
        "\u2028",
        "\u202e",
        "\ufeff",
        "\ud7ff",
        "政",
        "务",
        "0",
        "9",
        "e",
    ]
)
#: Values a type mutation puts after a key.
VALUES = [
    "[]",
    "{}",
    "~",
    "true",
    "0",
    "-1",
    "18446744073709551616",
    "1" * 5000,
    "1e400",
    ".nan",
    "2026-02-30",
    "2026-13-01",
    "2026-01-01T10:00:00",
    '"2026-01-01"',
    "!!binary aGk=",
    "!!timestamp x",
    "!!python/object:os.system x",
    "!foo {a: 1}",
    "&a x",
    "*a",
    '"\\e[2J\\u202e"',
    "[a, [b, [c]]]",
    "{a: {b: c}}",
    "|-\n  x",
    ">\n  y",
    "'=HYPERLINK(\"x\")'",
    "<<: {a: 1}",
    "[/zwgk/jyta/]",
    "- x",
]
#: Lines a mutation inserts.
SNIPPETS = [
    '  - id: "1"',
    "sections:",
    "items: []",
    "---",
    "...",
    "%YAML 1.1",
    "? complex",
    "    log:",
    "      - date: 2026-01-01",
    "year: 20211",
    "format: 2",
    "status：已完成",
    "\u3000\u3000title: x",
]


def _lines(draw: Any, raw: bytes) -> bytes:
    lines = raw.split(b"\n")
    i = draw(st.integers(0, max(len(lines) - 1, 0)))
    op = draw(st.sampled_from(["delete", "duplicate", "swap", "indent", "dedent", "insert", "move"]))
    if op == "delete":
        del lines[i]
    elif op == "duplicate":
        lines.insert(i, lines[i])
    elif op == "swap" and i + 1 < len(lines):
        lines[i], lines[i + 1] = lines[i + 1], lines[i]
    elif op == "indent":
        lines[i] = b" " * draw(st.integers(1, 4)) + lines[i]
    elif op == "dedent":
        lines[i] = lines[i][draw(st.integers(1, 4)) :]
    elif op == "insert":
        lines.insert(i, draw(st.sampled_from(SNIPPETS)).encode())
    elif op == "move":
        line = lines.pop(i)
        lines.insert(draw(st.integers(0, len(lines))), line)
    return b"\n".join(lines)


def _characters(draw: Any, raw: bytes) -> bytes:
    text = raw.decode("utf-8", errors="surrogateescape")
    i = draw(st.integers(0, len(text)))
    op = draw(st.sampled_from(["insert", "delete", "replace"]))
    ch = draw(st.sampled_from(ALPHABET))
    if op == "insert":
        text = text[:i] + ch + text[i:]
    elif op == "delete":
        text = text[:i] + text[i + 1 :]
    else:
        text = text[:i] + ch + text[i + 1 :]
    return text.encode("utf-8", errors="surrogatepass")


def _bytes(draw: Any, raw: bytes) -> bytes:
    i = draw(st.integers(0, len(raw)))
    op = draw(st.sampled_from(["flip", "insert", "truncate", "gbk"]))
    if op == "flip" and i < len(raw):
        return raw[:i] + bytes([raw[i] ^ (1 << draw(st.integers(0, 7)))]) + raw[i + 1 :]
    if op == "insert":
        return raw[:i] + draw(st.binary(min_size=1, max_size=4)) + raw[i:]
    if op == "truncate":
        return raw[:i]
    return raw.decode("utf-8", errors="replace").encode("gb18030", errors="replace")


def _types(draw: Any, raw: bytes) -> bytes:
    text = raw.decode("utf-8", errors="surrogateescape")
    keys = list(re.finditer(r"(?m)^(\s*(?:- )?[A-Za-z_]+:)( .*)?$", text))
    if not keys:
        return raw
    m = draw(st.sampled_from(keys))
    value = draw(st.sampled_from(VALUES))
    if "\n" in value:  # a block value: indented under its key
        indent = " " * (len(m.group(1)) - len(m.group(1).lstrip()) + 2)
        value = value.replace("\n  ", "\n" + indent)
    text = text[: m.start()] + m.group(1) + " " + value + text[m.end() :]
    return text.encode("utf-8", errors="surrogatepass")


MUTATIONS: list[Callable[[Any, bytes], bytes]] = [_lines, _characters, _bytes, _types]


@st.composite
def mutated(draw: Any) -> tuple[Path, bytes, bool]:
    """(the seed plan, its mutated bytes, whether the unit file is mutated instead of the plan)."""
    seed = draw(st.sampled_from(SEEDS))
    unit = draw(st.integers(0, 9)) == 0
    raw = (seed.parent / "unit.yaml").read_bytes() if unit else seed.read_bytes()
    for _ in range(draw(st.integers(1, 4))):
        raw = draw(st.sampled_from(MUTATIONS))(draw, raw)
    return seed, raw, unit


def commands(seed: Path, raw: bytes) -> list[list[str]]:
    """Every command of the fuzz on this plan: the reports (with --partial too) and the edits."""
    unit, year = seed.parent.name, seed.stem
    found = re.search(rb'(?m)^\s*- id: "?([^"\n]{1,20})"?\s*$', raw)
    item = found.group(1).decode("utf-8", errors="replace").strip() if found else "1"
    ref = f"{unit}/{year}/{item}"
    return [
        ["status", "--partial"],
        ["status", "--by", "dept", "-f", "csv"],
        ["overdue", "--fail", "--partial"],
        ["list", "--all-years", "-f", "json", "--partial"],
        ["show", ref, "--partial"],
        ["review", year, "-u", unit, "--partial"],
        ["report", year, "-u", unit, "--partial"],
        ["report", year, "-u", unit, "-f", "html", "--partial"],
        ["notice", "办公室", "-u", unit, "-f", "md", "--partial"],
        ["calendar", "--partial"],
        ["note", ref, "模糊测试的进展"],
        ["summary", ref, "模糊测试的落实情况"],
        ["done", ref],
        ["postpone", ref, "--to", f"{year}-12-31", "--reason", "模糊测试"],
    ]


def errors(runner: CliRunner, base: list[str]) -> int:
    result = runner.invoke(app, [*base, "check", "-f", "json"])
    assert_clean(result, ["check"])
    assert result.exit_code in (0, 1), result.output
    return sum(d["severity"] == "error" for d in json.loads(result.stdout)["diagnostics"])


def assert_clean(result: Any, args: list[str]) -> None:
    assert "内部错误" not in result.output and "Traceback" not in result.output, (args, result.output[-2000:])
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, repr(result.exception))


def fuzz_one(case: tuple[Path, bytes, bool], pick: list[int] | None, no_cache: bool) -> None:
    seed, raw, unit = case
    with tempfile.TemporaryDirectory() as tmp:
        plans = Path(tmp) / "plans"
        shutil.copytree(seed.parent, plans / seed.parent.name)
        if seed.parent.name != "example":
            shutil.copytree(PLANS / "example", plans / "example")  # a healthy unit beside it
        (plans / seed.parent.name / ("unit.yaml" if unit else seed.name)).write_bytes(raw)
        runner = CliRunner()
        base = ["--no-cache"] if no_cache else []
        base += ["--plans", str(plans), "--as-of", TODAY]
        before = errors(runner, base)
        todo = commands(seed, raw)
        for i in range(len(todo)) if pick is None else pick:
            args = todo[i % len(todo)]
            result = runner.invoke(app, [*base, *args])
            assert_clean(result, args)
            if args[0] in ("note", "summary", "done", "postpone") and result.exit_code == 0 and "已写入" in result.stdout:
                assert errors(runner, base) <= before, (args, "an edit added an error")


def examples(default: int) -> int:
    return int(os.environ.get("GGK_FUZZ_EXAMPLES", default))


@settings(max_examples=examples(DEFAULT_EXAMPLES), deadline=None, suppress_health_check=list(HealthCheck))
@given(mutated(), st.lists(st.integers(0, 13), min_size=1, max_size=1), st.booleans())
def test_mutated_plans_never_give_an_internal_error(case: tuple[Path, bytes, bool], pick: list[int], no_cache: bool) -> None:
    fuzz_one(case, pick, no_cache)


@pytest.mark.slow
@settings(max_examples=examples(LONG_EXAMPLES), deadline=None, suppress_health_check=list(HealthCheck))
@given(mutated(), st.booleans())
def test_mutated_plans_never_give_an_internal_error_long(case: tuple[Path, bytes, bool], no_cache: bool) -> None:
    fuzz_one(case, None, no_cache)
