"""CI output formats of ``ggk check`` (github, gitlab, junit): golden files on a fixed broken plan.

Regenerate after an intended change with ``GGK_UPDATE_GOLDEN=1 pytest tests/test_ci_formats.py``
and review the diff."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ggk.cli.app import app
from ggk.render import RENDERERS, Format

HERE = Path(__file__).parent / "golden" / "ci"
GOLDEN = {"github": "check.github.txt", "gitlab": "check.gitlab.json", "junit": "check.junit.xml"}


def run_check(fmt: str, *args: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    # Paths in the reports are as given on the command line: run from the fixture folder,
    # as CI runs from the repository root.
    monkeypatch.chdir(HERE)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    result = CliRunner().invoke(app, ["--as-of", "2021-11-21", "check", "plans", "--format", fmt, *args])
    return result.exit_code, result.stdout


@pytest.mark.parametrize("fmt", sorted(GOLDEN))
def test_matches_golden(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out = run_check(fmt, monkeypatch=monkeypatch)
    assert code == 1  # the plan has errors
    golden = HERE / GOLDEN[fmt]
    if os.environ.get("GGK_UPDATE_GOLDEN"):
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")


def test_formats_are_registered() -> None:
    assert RENDERERS[Format.GITLAB].endswith("GitlabRenderer")
    assert RENDERERS[Format.JUNIT].endswith("JunitRenderer")


def test_gitlab_code_quality_shape(monkeypatch: pytest.MonkeyPatch) -> None:
    _, out = run_check("gitlab", monkeypatch=monkeypatch)
    issues = json.loads(out)
    assert issues, "the broken plan has problems"
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert issue["location"]["path"] == "plans/demo/2021.yaml"
        assert isinstance(issue["location"]["lines"]["begin"], int)
    fingerprints = [i["fingerprint"] for i in issues]
    assert len(set(fingerprints)) == len(fingerprints)
    by_code = {i["check_name"]: i for i in issues}
    assert by_code["GGK203"]["severity"] == "minor"  # a warning
    assert by_code["GGK101"]["severity"] == "major"  # an error
    assert "是不是「status」" in by_code["GGK101"]["description"]


def test_gitlab_fingerprint_survives_moved_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # GitLab compares fingerprints between a merge request and its base: inserting lines above a
    # problem must not make it a "new" problem.
    _, before = run_check("gitlab", monkeypatch=monkeypatch)
    moved = tmp_path / "plans" / "demo"
    moved.mkdir(parents=True)
    (moved / "unit.yaml").write_text((HERE / "plans/demo/unit.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    text = (HERE / "plans/demo/2021.yaml").read_text(encoding="utf-8")
    (moved / "2021.yaml").write_text("# 新增的注释行\n# 又一行\n" + text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["--as-of", "2021-11-21", "check", "plans", "--format", "gitlab"])
    after = json.loads(result.stdout)
    assert [i["fingerprint"] for i in after] == [i["fingerprint"] for i in json.loads(before)]
    assert [i["location"]["lines"]["begin"] for i in after] == [i["location"]["lines"]["begin"] + 2 for i in json.loads(before)]


def test_junit_is_valid_escaped_xml(monkeypatch: pytest.MonkeyPatch) -> None:
    _, out = run_check("junit", monkeypatch=monkeypatch)
    root = ET.fromstring(out.encode("utf-8"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["plans/demo/2021.yaml"]
    cases = suites[0].findall("testcase")
    failures = [c for c in cases if c.find("failure") is not None]
    assert int(root.get("tests")) == len(cases) and int(root.get("failures")) == len(failures)
    # the department name with & and < > comes back intact after parsing
    messages = [c.find("failure").get("message") for c in failures]
    assert any("财务科 & <审计科>" in m for m in messages)
    # a warning passes unless --strict
    warning = next(c for c in cases if c.get("name").startswith("GGK203"))
    assert warning.find("failure") is None and "GGK203" in warning.find("system-out").text


def test_junit_strict_warnings_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    _, out = run_check("junit", "--strict", monkeypatch=monkeypatch)
    root = ET.fromstring(out.encode("utf-8"))
    assert int(root.get("failures")) == int(root.get("tests"))


def test_clean_check_in_every_ci_format(monkeypatch: pytest.MonkeyPatch) -> None:
    repo = Path(__file__).resolve().parent.parent
    monkeypatch.chdir(repo)
    runner = CliRunner()
    gl = runner.invoke(app, ["--as-of", "2026-11-21", "check", "plans/example", "--format", "gitlab"])
    assert gl.exit_code == 0 and json.loads(gl.stdout) == []
    ju = runner.invoke(app, ["--as-of", "2026-11-21", "check", "plans/example", "--format", "junit"])
    assert ju.exit_code == 0
    root = ET.fromstring(ju.stdout.encode("utf-8"))
    assert root.get("tests") == "1" and root.get("failures") == "0"


# --------------------------------------------------------------------------- CI templates (docs/ci)

DOCS = Path(__file__).resolve().parent.parent / "docs" / "ci"


def _commands(script: list[str] | str) -> list[list[str]]:
    import shlex

    lines = script if isinstance(script, list) else script.splitlines()
    return [shlex.split(line, comments=True) for line in lines if line.strip()]


def _check_ggk_command(words: list[str]) -> None:
    # every ggk command line in a template must parse with the real CLI (no typo'd option)
    from typer.main import get_command

    cli = get_command(app)
    args = [w for w in words[1:] if w not in (">", "||", "true") and not w.endswith((".json", ".xml"))]
    sub = args[0]
    assert sub in cli.commands, words  # type: ignore[attr-defined]
    cli.commands[sub].make_context(sub, list(args[1:]))  # type: ignore[attr-defined]  # raises on a bad option


def test_github_workflow_template() -> None:
    import yaml

    wf = yaml.safe_load((DOCS / "github-workflow.yml").read_text(encoding="utf-8"))
    triggers = wf.get("on") or wf.get(True)  # YAML 1.1 reads the key `on` as true
    assert "schedule" in triggers and triggers["schedule"][0]["cron"]
    assert "push" in triggers and "pull_request" in triggers
    steps = wf["jobs"]["check"]["steps"]
    runs = [s["run"] for s in steps if "run" in s]
    assert "ggk check --format github" in runs
    overdue = next(s for s in steps if s.get("run") == "ggk overdue --fail")
    assert "schedule" in overdue["if"]
    for run in runs:
        for words in _commands(run):
            if words[0] == "ggk":
                _check_ggk_command(words)


def test_gitlab_ci_template() -> None:
    import yaml

    ci = yaml.safe_load((DOCS / "gitlab-ci.yml").read_text(encoding="utf-8"))
    job = ci["ggk-check"]
    script = job["script"]
    assert "ggk check --format gitlab > gl-code-quality-report.json" in script
    assert job["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert job["artifacts"]["reports"]["junit"] == "ggk-check.xml"
    assert job["artifacts"]["when"] == "always"
    assert any(line.startswith("ggk check --format junit > ggk-check.xml") for line in script)
    overdue = ci["ggk-overdue"]
    assert "ggk overdue --fail" in overdue["script"]
    assert overdue["rules"][0]["if"] == '$CI_PIPELINE_SOURCE == "schedule"'
    for name in ("ggk-check", "ggk-overdue"):
        for words in _commands(ci[name]["script"]):
            if words[0] == "ggk":
                _check_ggk_command(words)
