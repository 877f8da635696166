"""``ggk dept``: the department registry managed without an editor (README "部门名册：ggk dept").

Through the CLI on a copy of the bundled plans and on a unit made by ``ggk init`` + ``ggk import`` of
the real 甘肃2021 document: each subcommand, ``--dry-run`` writes nothing, a refused change leaves the
file byte-identical, comments survive, ``ggk check`` is clean after each change; short names (运输处)
resolve when unambiguous; ``plans/.gitignore`` keeps ggk's lock files out of git.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from ggk.cli.app import app
from ggk.model import Department, Unit
from ggk.registry import Registry
from tests.conftest import PLANS, seed


def run(plans: Path, *args: str, as_of: str = "2026-12-31") -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--plans", str(plans), "--as-of", as_of, *args])
    return result.exit_code, result.stdout, result.stderr


def check_clean(plans: Path, *, strict: bool = False) -> None:
    code, out, err = run(plans, "check", str(plans), *(["--strict"] if strict else []))
    assert code == 0, out + err
    assert "错误[" not in out and ("警告[" not in out or not strict), out


def registry(plans: Path, unit: str) -> dict:
    return yaml.safe_load((plans / unit / "unit.yaml").read_text(encoding="utf-8"))


def dept(plans: Path, unit: str, name: str) -> dict | str:
    for d in registry(plans, unit)["departments"]:
        if (d["name"] if isinstance(d, dict) else d) == name:
            return d
    raise AssertionError(f"{name} not in {unit}")


def comments(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip().startswith("#")]


@pytest.fixture()
def plans(tmp_path: Path) -> Path:
    """A copy of the bundled plans."""
    dest = tmp_path / "plans"
    shutil.copytree(PLANS, dest, ignore=shutil.ignore_patterns(".*"))
    return dest


@pytest.fixture()
def imported(tmp_path: Path) -> Path:
    """``ggk init gs`` then ``ggk import`` of the real 甘肃2021 要点: the registry the import fills."""
    root = tmp_path / "plans"
    code, out, err = run(root, "init", "gs", "--name", "甘肃省交通运输厅")
    assert code == 0, out + err
    code, out, err = run(root, "import", str(seed("000")), "--unit", "gs")
    assert code == 0, out + err
    return root


# --------------------------------------------------------------------------- the import's registry


def test_import_fills_the_registry_one_department_a_line_without_the_template_hint(imported: Path) -> None:
    text = (imported / "gs" / "unit.yaml").read_text(encoding="utf-8")
    assert "departments:\n  - 厅办公室\n  - 厅综规处\n  - name: 厅属各单位\n    group: true\n" in text
    assert "把上面的 [] 去掉" not in text and "[厅办公室" not in text
    assert "# 单位文件：发文单位和它的部门名册" in text  # the template's explanation stays
    assert registry(imported, "gs")["review"] is True
    check_clean(imported)


def test_init_writes_a_gitignore_for_the_lock_files(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    root = tmp_path / "plans"
    assert run(root, "init", "gs", "--name", "甘肃省交通运输厅")[0] == 0
    assert run(root, "dept", "add", "厅办公室")[0] == 0
    assert (root / "gs" / ".unit.yaml.lock").exists()  # the lock stays (two ggk processes must lock one file)
    status = subprocess.run(["git", "status", "--porcelain", "-uall"], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert ".lock" not in status.stdout and "plans/.gitignore" in status.stdout
    ignored = (root / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ".*.lock" in ignored and ".*.tmp" in ignored


def test_an_existing_gitignore_is_extended_not_replaced(tmp_path: Path) -> None:
    root = tmp_path / "plans"
    root.mkdir()
    (root / ".gitignore").write_text("*.bak", encoding="utf-8")
    assert run(root, "init", "gs")[0] == 0
    assert run(root, "new", "2026", "--unit", "gs")[0] == 0  # nothing added twice
    assert (root / ".gitignore").read_text(encoding="utf-8").splitlines() == [
        "*.bak",
        "# ggk 编辑文件时用的锁文件和临时文件，不入版本库",
        ".*.lock",
        ".*.tmp",
    ]


# --------------------------------------------------------------------------- list


def test_list_counts_the_items_each_department_leads_and_supports(plans: Path) -> None:
    code, out, err = run(plans, "dept", "list", "--unit", "gansu-jtt", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    rows = {r["name"]: r for r in data["departments"]}
    # counted from the plan file by hand-written rules: any of the department's names, once per item
    plan = yaml.safe_load((plans / "gansu-jtt" / "2021.yaml").read_text(encoding="utf-8"))
    items = [it for sec in plan["sections"] for it in sec["items"]]
    names = {"厅政策法规处": {"厅政策法规处", "厅法规处"}, "厅办公室": {"厅办公室"}}
    for dep, aliases in names.items():
        lead = sum(1 for it in items if aliases & set(it.get("lead") or []))
        assist = sum(1 for it in items if aliases & set(it.get("assist") or []))
        assert rows[dep]["items"]["2021"] == {"lead": lead, "assist": assist}
    assert rows["厅政策法规处"]["items"]["2021"]["lead"] > 0
    assert rows["厅政策法规处"]["aliases"] == ["厅法规处"]
    assert rows["厅属各单位"]["group"] is True and data["review"] is False

    code, out, _ = run(plans, "dept", "list", "--unit", "example")
    assert code == 0
    assert "示例县交通运输局（example）部门名册" in out
    office = next(line for line in out.splitlines() if line.strip().startswith("局办公室"))
    assert "办公室、县局办公室" in office and "孙丽（政务公开联络员，13900000001）" in office


def test_list_shows_the_review_marks(imported: Path) -> None:
    code, out, _ = run(imported, "dept", "list")
    assert code == 0
    assert "名册由导入生成，待核对" in out
    rows = out.splitlines()[3:]
    assert len(rows) == 15 and all("待核对" in line for line in rows)


def test_list_names_what_the_plans_use_and_the_registry_lacks(plans: Path) -> None:
    path = plans / "gansu-jtt" / "2021.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("lead: [厅运输处", "lead: [厅运管处", 1), encoding="utf-8")
    code, out, _ = run(plans, "dept", "list", "--unit", "gansu-jtt")
    assert code == 0
    assert "计划中有名册未登记的名称" in out and "  2021年：厅运管处" in out


# --------------------------------------------------------------------------- add / alias


def test_add_to_a_new_unit_and_use_it(tmp_path: Path) -> None:
    root = tmp_path / "plans"
    assert run(root, "init", "xian", "--name", "某县交通运输局")[0] == 0
    template_comments = comments(root / "xian" / "unit.yaml")
    code, out, err = run(root, "dept", "add", "局办公室", "--alias", "办公室、县局办公室")
    assert code == 0, out + err
    code, out, err = run(root, "dept", "add", "局属各单位", "--group")
    assert code == 0, out + err
    text = (root / "xian" / "unit.yaml").read_text(encoding="utf-8")
    assert "departments:\n  - name: 局办公室\n    aliases: [办公室, 县局办公室]\n  - name: 局属各单位\n    group: true\n" in text
    # the template's explanation stays; only its "把上面的 [] 去掉" hint goes
    kept = comments(root / "xian" / "unit.yaml")
    assert [c for c in template_comments if c not in kept] == [
        "# 登记部门时，把上面的 [] 去掉，每个部门写一项，例如：",
        "#   - 局办公室                       # 只写名称也可以",
        "#   - name: 局政策法规股",
        "#     aliases: [政策法规股, 法规股]",
        "#   - name: 局属各单位",
        "#     group: true",
    ]
    check_clean(root, strict=True)
    assert run(root, "new", "2026", "--unit", "xian")[0] == 0


def test_alias_adds_and_refuses_another_departments_name(plans: Path) -> None:
    code, out, err = run(plans, "dept", "alias", "局财务股", "财务室", "计财股", "--unit", "example")
    assert code == 0, out + err
    assert dept(plans, "example", "局财务股") == {"name": "局财务股", "aliases": ["财务股", "财务室", "计财股"]}
    check_clean(plans)
    before = (plans / "example" / "unit.yaml").read_bytes()
    for taken in ("法规股", "局政策法规股"):  # another department's alias, another's name
        code, _, err = run(plans, "dept", "alias", "局财务股", "新写法", taken, "--unit", "example")
        assert code == 2 and f"「{taken}」已是部门「局政策法规股」的" in err
        assert (plans / "example" / "unit.yaml").read_bytes() == before
    code, _, err = run(plans, "dept", "add", "局政策法规股", "--unit", "example")
    assert code == 2 and "已是部门「局政策法规股」的名称" in err
    assert (plans / "example" / "unit.yaml").read_bytes() == before


def test_an_unknown_department_is_refused_with_a_suggestion(plans: Path) -> None:
    before = (plans / "example" / "unit.yaml").read_bytes()
    code, _, err = run(plans, "dept", "rename", "局财务", "局财务室", "--unit", "example")
    assert code == 2 and "名册中没有部门「局财务」" in err and "局财务股" in err
    assert (plans / "example" / "unit.yaml").read_bytes() == before


def test_a_taken_name_suggests_a_merge_of_two_departments_never_of_one_with_itself(plans: Path) -> None:
    """QA round 2: ``add 局办公室`` suggested ``merge 局办公室 局办公室``, ``rename 局财务股 局办公室`` suggested
    ``merge 局办公室 局办公室``; each hint names a command that would do what the user meant."""
    before = (plans / "example" / "unit.yaml").read_bytes()
    code, _, err = run(plans, "dept", "add", "局办公室", "--unit", "example")
    assert code == 2 and "「局办公室」已是部门「局办公室」的名称" in err
    assert "dept merge" not in err and "ggk dept alias 局办公室 别名" in err
    code, _, err = run(plans, "dept", "rename", "局财务股", "局办公室", "--unit", "example")
    assert code == 2 and "ggk dept merge 局财务股 局办公室" in err, err
    code, _, err = run(plans, "dept", "alias", "局财务股", "局办公室", "--unit", "example")
    assert code == 2 and "ggk dept merge 局办公室 局财务股" in err, err
    assert (plans / "example" / "unit.yaml").read_bytes() == before


@pytest.mark.parametrize("group", ["dept", "date"])
def test_a_command_group_without_a_subcommand_is_a_usage_error_and_its_help_is_not(plans: Path, group: str) -> None:
    """README 退出码: the group's help page is shown either way; asked for (-h) it is exit 0, a missing
    subcommand is a usage error, exit 2 — as ``ggk`` alone."""
    for args, expected in (([group], 2), ([], 2), ([group, "-h"], 0), ([group, "--help"], 0)):
        code, out, err = run(plans, *args)
        assert code == expected, (args, out, err)
        assert "Traceback" not in out + err


# --------------------------------------------------------------------------- rename / merge


def test_rename_keeps_the_old_name_as_an_alias(plans: Path) -> None:
    plan_before = (plans / "example" / "2026.yaml").read_bytes()
    code, out, err = run(plans, "dept", "rename", "局财务股", "局计划财务股", as_of="2026-06-30")
    assert code == 0, out + err
    assert dept(plans, "example", "局计划财务股") == {"name": "局计划财务股", "aliases": ["财务股", "局财务股"]}
    assert (plans / "example" / "2026.yaml").read_bytes() == plan_before  # plans are left as written
    check_clean(plans)
    code, out, _ = run(plans, "dept", "list", "--unit", "example", "--format", "json", as_of="2026-06-30")
    row = next(r for r in json.loads(out)["departments"] if r["name"] == "局计划财务股")
    assert row["items"]["2026"]["lead"] + row["items"]["2026"]["assist"] > 0  # still the same items


def test_the_qa_trial_merge_review_and_short_names(imported: Path) -> None:
    """QA item 6: 厅法规处 merged into 厅政策法规处, the review mark cleared, 运输处 / 法规处 accepted."""
    plan = imported / "gs" / "2021.yaml"
    plan_before = plan.read_bytes()
    code, out, _ = run(imported, "dept", "list", "--format", "json")
    counts = {r["name"]: r["items"]["2021"]["lead"] for r in json.loads(out)["departments"]}

    code, out, err = run(imported, "dept", "merge", "厅法规处", "厅政策法规处")
    assert code == 0, out + err
    assert "计划中写作原名称的牵头、配合、报送单位不改动" in out
    assert dept(imported, "gs", "厅政策法规处") == {"name": "厅政策法规处", "aliases": ["厅法规处"]}
    assert "厅法规处" not in [d if isinstance(d, str) else d["name"] for d in registry(imported, "gs")["departments"]]
    assert plan.read_bytes() == plan_before
    code, out, _ = run(imported, "dept", "list", "--format", "json")
    merged = {r["name"]: r["items"]["2021"]["lead"] for r in json.loads(out)["departments"]}
    assert merged["厅政策法规处"] == 6 and counts["厅法规处"] + counts["厅政策法规处"] >= 6
    check_clean(imported)

    code, out, _ = run(imported, "check", str(imported), "--strict")
    assert code == 1 and "GGK216" in out
    code, out, err = run(imported, "dept", "reviewed", "--all")
    assert code == 0, out + err
    assert "review" not in registry(imported, "gs")
    check_clean(imported, strict=True)

    for short, canonical in (("运输处", "厅运输处"), ("法规处", "厅政策法规处")):
        code, out, err = run(imported, "note", "gs/2021/3", f"{short}报来进展", "--by", short)
        assert code == 0, out + err
        assert f"by: {canonical}" in plan.read_text(encoding="utf-8")
    check_clean(imported)


def test_merge_refuses_a_group_into_a_department(plans: Path) -> None:
    before = (plans / "example" / "unit.yaml").read_bytes()
    code, _, err = run(plans, "dept", "merge", "相关股室", "局办公室", "--unit", "example")
    assert code == 2 and "集合名称" in err
    assert (plans / "example" / "unit.yaml").read_bytes() == before


def test_merge_moves_aliases_members_and_a_contact(plans: Path) -> None:
    code, out, err = run(plans, "dept", "merge", "局办公室", "局政务公开领导小组", "--unit", "example", as_of="2026-06-30")
    assert code == 0, out + err
    assert dept(plans, "example", "局政务公开领导小组") == {
        "name": "局政务公开领导小组",
        "aliases": ["局办公室", "办公室", "县局办公室"],
        "contact": {"name": "孙丽", "role": "政务公开联络员", "phone": "13900000001"},
    }
    assert "联系人 孙丽（政务公开联络员，13900000001）转到「局政务公开领导小组」" in out
    check_clean(plans)


# --------------------------------------------------------------------------- reviewed / remove


def test_reviewing_some_departments_keeps_the_mark_on_the_others(imported: Path) -> None:
    code, out, err = run(imported, "dept", "reviewed", "厅办公室", "运输处")
    assert code == 0, out + err
    reg = registry(imported, "gs")
    assert "review" not in reg
    assert "厅办公室" in reg["departments"] and "厅运输处" in reg["departments"]
    assert dept(imported, "gs", "厅综规处") == {"name": "厅综规处", "review": True}
    assert dept(imported, "gs", "厅属各单位") == {"name": "厅属各单位", "group": True, "review": True}
    code, out, _ = run(imported, "check", str(imported))
    assert code == 0 and "GGK216" in out and "13 个部门 尚待核对" in out
    assert run(imported, "dept", "reviewed", "--all")[0] == 0
    assert dept(imported, "gs", "厅综规处") == "厅综规处"  # back to a bare name
    check_clean(imported, strict=True)


def test_remove_is_refused_while_a_plan_names_the_department(plans: Path) -> None:
    before = (plans / "example" / "unit.yaml").read_bytes()
    code, _, err = run(plans, "dept", "remove", "局财务股", "--unit", "example")
    assert code == 2 and "仍被使用" in err and "example/2026/" in err
    assert (plans / "example" / "unit.yaml").read_bytes() == before
    code, _, err = run(plans, "dept", "remove", "局规划建设股", "--unit", "example")  # a member of 各股室
    assert code == 2 and "集合名称「各股室」的成员" in err
    assert (plans / "example" / "unit.yaml").read_bytes() == before
    assert run(plans, "dept", "add", "局信息中心", "--unit", "example")[0] == 0
    code, out, err = run(plans, "dept", "remove", "局信息中心", "--unit", "example")
    assert code == 0, out + err
    assert (plans / "example" / "unit.yaml").read_bytes() == before
    check_clean(plans)


# --------------------------------------------------------------------------- the guarantees


DRY_RUNS = [
    ["add", "局信息中心", "--unit", "example"],
    ["alias", "局财务股", "计财股", "--unit", "example"],
    ["rename", "局财务股", "局计划财务股", "--unit", "example"],
    ["merge", "相关股室", "局属各单位", "--unit", "example"],
    ["reviewed", "局财务股", "--unit", "example"],
    ["remove", "局政务公开领导小组", "--unit", "example"],
]


@pytest.mark.parametrize("args", DRY_RUNS, ids=[a[0] for a in DRY_RUNS])
def test_dry_run_shows_the_diff_and_writes_nothing(plans: Path, args: list[str]) -> None:
    path = plans / "example" / "unit.yaml"
    if args[0] == "reviewed":  # something to clear
        assert run(plans, "dept", "add", "局信息中心", "--unit", "example")[0] == 0
        text = path.read_text(encoding="utf-8").replace("  - name: 局财务股\n", "  - name: 局财务股\n    review: true\n")
        path.write_text(text, encoding="utf-8")
    if args[0] == "remove":  # a department no plan names
        text = path.read_text(encoding="utf-8").replace("  - name: 局政务公开领导小组\n", "  - name: 局政务公开领导小组\n  - 局信息中心\n")
        path.write_text(text, encoding="utf-8")
        args = ["remove", "局信息中心", "--unit", "example"]
    (plans / "example" / ".unit.yaml.lock").unlink(missing_ok=True)
    before = path.read_bytes()
    code, out, err = run(plans, "dept", *args, "--dry-run", as_of="2026-06-30")
    assert code == 0, out + err
    lines = out.splitlines()
    assert lines[0].startswith("--- ") and lines[1].startswith("+++ ")
    assert any(line[:1] in "+-" and line[:3] not in ("+++", "---") for line in lines[2:])
    assert "（预演）" in err
    assert path.read_bytes() == before
    assert not (plans / "example" / ".unit.yaml.lock").exists()


def test_comments_survive_every_change(plans: Path) -> None:
    path = plans / "example" / "unit.yaml"
    before = comments(path)
    steps = [
        ["alias", "局财务股", "计财股"],
        ["rename", "局运输管理股", "局运输股"],
        ["merge", "相关股室", "局属各单位"],
        ["add", "局信息中心", "--alias", "信息中心"],
        ["remove", "局信息中心"],
        ["reviewed", "--all"],
    ]
    for step in steps:
        code, out, err = run(plans, "dept", *step, "--unit", "example")
        assert code == 0, (step, out, err)
        assert comments(path) == before, step
        code, out, _ = run(plans, "check", str(plans))
        assert code == 0 and "错误[" not in out, (step, out)
    text = path.read_text(encoding="utf-8")
    assert "  # 集合名称\n  - name: 局属各单位\n    aliases: [相关股室]\n    group: true\n" in text


def test_the_unit_is_named_or_found(plans: Path) -> None:
    code, _, err = run(plans, "dept", "add", "局信息中心")
    assert code == 2 and "请用 --unit 指定单位" in err
    code, out, err = run(plans, "dept", "alias", "厅公路处", "公路处")  # only gansu-jtt knows it
    assert code == 0 and "gansu-jtt" in out, err
    code, _, err = run(plans, "dept", "list", "--unit", "nowhere")
    assert code == 2 and "没有单位「nowhere」" in err


# --------------------------------------------------------------------------- short names


def _reg(*deps: Department) -> Registry:
    return Registry(Unit.model_validate({"name": "测试", "departments": list(deps)}))


def test_short_names_resolve_only_when_unambiguous() -> None:
    reg = _reg(
        Department(name="厅运输处"),
        Department(name="厅政策法规处", aliases=["厅法规处"]),
        Department(name="厅办公室"),
        Department(name="局办公室"),
        Department(name="综规处"),
        Department(name="厅综规处"),
    )
    assert reg.canonical("运输处") == "厅运输处"
    assert reg.canonical("法规处") == "厅政策法规处"  # the short form of an alias
    assert reg.resolve("办公室") is None  # 厅办公室 or 局办公室?
    assert "厅办公室" in reg.suggest("办公室") and "局办公室" in reg.suggest("办公室")
    assert reg.canonical("综规处") == "综规处"  # a registered name is never a short name
    assert reg.resolve("处") is None


def test_check_accepts_a_short_name_in_a_plan(plans: Path) -> None:
    path = plans / "gansu-jtt" / "2021.yaml"
    text = path.read_text(encoding="utf-8")
    assert "lead: [厅运输处" in text
    path.write_text(text.replace("lead: [厅运输处", "lead: [运输处", 1), encoding="utf-8")
    check_clean(plans)


# --------------------------------------------------------------------------- the tidy step of an edit


def test_the_tidy_step_may_only_drop_comment_lines(plans: Path) -> None:
    from ggk.ledger.departments import add
    from ggk.workspace.transaction import edit_plan
    from ggk.yamlfiles.patch import PreserveError

    path = plans / "example" / "unit.yaml"
    before = path.read_bytes()
    with pytest.raises(PreserveError):
        edit_plan(path, add("局信息中心"), tidy=lambda text: text.replace("name: 示例县交通运输局", "name: 别的局"))
    assert path.read_bytes() == before
    result = edit_plan(path, add("局信息中心"), tidy=lambda text: text.replace("  # 集合名称\n", ""))
    assert result.written and "-  # 集合名称" in result.diff
