"""Docs that cannot drift: every command has Chinese help text and a section in the README;
every diagnostic code is in the README's table; every output format has a renderer."""

from __future__ import annotations

import re

import typer.main

from ggk.cli.app import app
from ggk.diagnostics import CODES
from ggk.render import RENDERERS, Format, renderer
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _commands():
    group = typer.main.get_command(app)
    for name, cmd in group.commands.items():
        sub = getattr(cmd, "commands", None)
        if sub:
            for subname, subcmd in sub.items():
                yield f"{name} {subname}", subcmd
        else:
            yield name, cmd


def test_every_command_has_chinese_help():
    for name, cmd in _commands():
        assert cmd.help and CJK.search(cmd.help), f"ggk {name} has no Chinese help text"
        for param in cmd.params:
            if param.name in ("ctx",) or getattr(param, "hidden", False):
                continue
            text = getattr(param, "help", None)
            assert text is None or CJK.search(text), f"ggk {name} {param.name}: help not in Chinese"


def test_every_command_is_in_the_readme():
    for name, _cmd in _commands():
        top = name.split()[0]
        assert f"ggk {top}" in README, f"ggk {top} is not documented in README.md"


def test_every_code_is_in_the_readme():
    for code in CODES:
        assert f"| {code} |" in README, f"{code} missing from README's table of codes"


def test_readme_opens_with_the_two_commands():
    head = README.split("## ", 1)[0]
    assert "pip install . && ggk status" in head
    assert 'pip install ".[test]" && python -m pytest' in head


def test_every_format_has_a_renderer():
    assert set(RENDERERS) == set(Format)
    for fmt in Format:
        assert hasattr(renderer(fmt), "render")


#: What each command does to the ledger's files (``plans/``): "edit" commands change files that exist
#: (or, like ``intake``, ``import`` and ``review --carry-over``, also write new ones beside them) and
#: must have --dry-run, as the README says; the others only read the ledger, write outputs the user
#: names (-o), or create a new file and refuse to overwrite one. A new command must be put here.
LEDGER_WRITES = {
    **dict.fromkeys(["assign", "update", "done", "note", "postpone", "summary", "deadline", "correct", "contact", "issued"], "edit"),
    **dict.fromkeys(["intake", "import", "review", "notice"], "edit"),  # review --carry-over, notice --issue
    **dict.fromkeys(["status", "overdue", "list", "show", "report", "check", "schema", "calendar", "form"], "reads"),
    **dict.fromkeys(["date add", "date workday", "dept list"], "reads"),
    **dict.fromkeys(["dept add", "dept alias", "dept rename", "dept merge", "dept reviewed", "dept remove"], "edit"),  # unit.yaml
    **dict.fromkeys(["init", "new"], "creates"),  # a new file only: 已存在，不会覆盖
    "merge": "git",  # the merge driver writes the file git hands it, as git asks
}


def test_every_edit_command_has_a_dry_run():
    """README: 每个修改台账文件的命令都有 --dry-run."""
    names = dict(_commands())
    assert set(names) == set(LEDGER_WRITES), "put each command in LEDGER_WRITES"
    for name, kind in LEDGER_WRITES.items():
        opts = {o for p in names[name].params for o in getattr(p, "opts", ())}
        assert ("--dry-run" in opts) == (kind == "edit"), name
    assert "每个修改台账文件的命令都有 `--dry-run`" in README
