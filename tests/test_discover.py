"""``loader.discover``: which files under ``--plans`` are units, plans and strays, in what order, and
one file reached twice listed once.  The paths are shown to users and are cache keys: they stay as
built (``root / name``), never resolved.  ``reference_discover`` is the straightforward version
(``Path.iterdir``, ``Path.resolve`` per file) that the fast one must agree with."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from ggk.diagnostics import GgkError
from ggk.workspace.load import SKIP_DIR, UNIT_FILE, YEAR_FILE, Found, discover
from tests.conftest import PLANS


def reference_discover(paths: Sequence[Path]) -> Found:
    """``discover`` as it was before it used ``os.scandir`` (kept verbatim as the reference)."""
    found = Found()
    seen: set[Path] = set()

    def add_file(p: Path) -> None:
        rp = p.resolve()
        if rp in seen:
            return
        seen.add(rp)
        if p.name == UNIT_FILE:
            found.units.append(p)
        elif YEAR_FILE.match(p.name):
            found.plans.append(p)
        else:
            found.strays.append(p)

    def add_unit_dir(d: Path) -> None:
        for p in sorted(d.iterdir()):
            if p.is_file() and p.suffix in (".yaml", ".yml"):
                add_file(p)

    for root in paths:
        if not root.exists():
            raise GgkError(f"找不到计划目录或文件：{root}", "用 --plans 指定计划所在的目录（默认 ./plans，或环境变量 GGK_PLANS）")
        if root.is_file():
            add_file(root)
            sibling = root.parent / UNIT_FILE
            if root.name != UNIT_FILE and sibling.is_file():
                add_file(sibling)
            continue
        if (root / UNIT_FILE).is_file() or any(YEAR_FILE.match(p.name) for p in root.iterdir()):
            add_unit_dir(root)
            continue
        for sub in sorted(root.iterdir()):
            if sub.is_dir() and not SKIP_DIR.match(sub.name):
                add_unit_dir(sub)
            elif sub.is_file() and sub.suffix in (".yaml", ".yml"):
                found.strays.append(sub)
    return found


def shown(found: Found) -> tuple[list[str], list[str], list[str]]:
    return [str(p) for p in found.units], [str(p) for p in found.plans], [str(p) for p in found.strays]


def same_as_reference(paths: Sequence[Path]) -> tuple[list[str], list[str], list[str]]:
    """What ``discover`` finds, checked against the reference — except the paths it cannot read
    (``Found.unreadable``), which the reference skipped silently and ``discover`` now reports."""
    new, old = discover(paths), reference_discover(paths)
    new.strays = [p for p in new.strays if p not in new.unreadable]
    assert shown(new) == shown(old)
    assert new == old  # the same Path objects (equal paths, same order), not only the same text
    return shown(new)


def touch(path: Path, text: str = "format: 1\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def unit(root: Path, slug: str, *years: int, extra: Sequence[str] = ()) -> Path:
    folder = root / slug
    touch(folder / UNIT_FILE)
    for year in years:
        touch(folder / f"{year}.yaml")
    for name in extra:
        touch(folder / name)
    return folder


def rel(root: Path, names: list[str]) -> list[str]:
    return [os.path.relpath(n, root) for n in names]


# --------------------------------------------------------------------------- what a user sees


def test_bundled_plans() -> None:
    units, plans, strays = same_as_reference([PLANS])
    assert rel(PLANS, units) == [f"{s}/unit.yaml" for s in ("example", "gansu-jtt", "guangyuan-jtj", "jilin-jtt", "yaoan-jtj")]
    assert rel(PLANS, plans) == [
        "example/2026.yaml",
        "gansu-jtt/2021.yaml",
        "guangyuan-jtj/2021.yaml",
        "jilin-jtt/2022.yaml",
        "yaoan-jtj/2018.yaml",
    ]
    assert strays == []  # _holidays is not a unit


def test_order_is_by_name_within_each_folder(tmp_path: Path) -> None:
    root = tmp_path / "plans"
    for slug in ("u10", "u2", "U1", "a-b", "a.b", "a_b", "中文单位", "b"):
        unit(root, slug, 2026, 2025)
    touch(root / "b" / "2024.yml")
    units, plans, _ = same_as_reference([root])
    # code-point order, as ``sorted`` of the paths had it: upper case first, "u10" before "u2"
    order = ["U1", "a-b", "a.b", "a_b", "b", "u10", "u2", "中文单位"]
    assert rel(root, units) == [f"{s}/unit.yaml" for s in order]
    assert rel(root, plans)[:2] == ["U1/2025.yaml", "U1/2026.yaml"]
    assert rel(root, plans)[8:11] == ["b/2024.yml", "b/2025.yaml", "b/2026.yaml"]
    assert len(plans) == 17


def test_paths_are_kept_as_given_not_resolved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = tmp_path / "real"
    unit(real, "a", 2026)
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    units, plans, _ = same_as_reference([tmp_path / "link"])
    assert units == [str(tmp_path / "link" / "a" / "unit.yaml")] and plans == [str(tmp_path / "link" / "a" / "2026.yaml")]
    monkeypatch.chdir(real)
    assert same_as_reference([Path(".")]) == (["a/unit.yaml"], ["a/2026.yaml"], [])
    assert same_as_reference([Path("a")]) == (["a/unit.yaml"], ["a/2026.yaml"], [])
    assert same_as_reference([Path("a/2026.yaml")]) == (["a/unit.yaml"], ["a/2026.yaml"], [])


def test_same_folder_twice_counts_once(tmp_path: Path) -> None:
    root = tmp_path / "plans"
    unit(root, "a", 2025, 2026)
    unit(root, "b", 2026)
    once = same_as_reference([root])
    assert same_as_reference([root, root]) == once
    assert same_as_reference([root, root / "a"]) == once
    # the same folder under another spelling is still the same folder
    assert same_as_reference([root, tmp_path / "plans" / ".." / "plans"]) == once


def test_symlinked_unit_folder_counts_once(tmp_path: Path) -> None:
    root = tmp_path / "plans"
    unit(root, "m", 2026)
    (root / "z-link").symlink_to("m", target_is_directory=True)
    (root / "a-link").symlink_to(root / "m", target_is_directory=True)
    units, plans, _ = same_as_reference([root])
    # met first under the name that sorts first
    assert rel(root, units) == ["a-link/unit.yaml"] and rel(root, plans) == ["a-link/2026.yaml"]


def test_symlinked_files(tmp_path: Path) -> None:
    root = tmp_path / "plans"
    unit(root, "a", 2026)
    unit(root, "b")
    (root / "b" / "2026.yaml").symlink_to(root / "a" / "2026.yaml")  # the same file: once, under a/
    (root / "b" / "2027.yaml").symlink_to(touch(tmp_path / "elsewhere" / "x.yaml"))  # a plan kept elsewhere
    (root / "b" / "2028.yaml").symlink_to(tmp_path / "missing.yaml")  # dangling: not a file
    (root / "b" / "2029.yaml").symlink_to("2029.yaml")  # a loop: not a file
    (root / "stray.yaml").symlink_to(tmp_path / "elsewhere" / "x.yaml")
    units, plans, strays = same_as_reference([root])
    assert rel(root, units) == ["a/unit.yaml", "b/unit.yaml"]
    assert rel(root, plans) == ["a/2026.yaml", "b/2027.yaml"]
    assert rel(root, strays) == ["stray.yaml"]
    # the broken links are not plans, but they are said (GGK007), never silently skipped
    bad = discover([root]).unreadable
    assert {str(p.relative_to(root)): why for p, why in bad.items()} == {
        "b/2028.yaml": "链接指向的文件不存在",
        "b/2029.yaml": "链接形成了循环",
    }


def test_plan_file_given_directly_brings_its_unit(tmp_path: Path) -> None:
    root = tmp_path / "plans"
    unit(root, "a", 2025, 2026)
    plan = root / "a" / "2026.yaml"
    assert same_as_reference([plan]) == ([str(root / "a" / "unit.yaml")], [str(plan)], [])
    # with its folder after it: each file once, the one given first where it was given
    units, plans, _ = same_as_reference([plan, root])
    assert rel(root, plans) == ["a/2026.yaml", "a/2025.yaml"] and rel(root, units) == ["a/unit.yaml"]
    # a unit file given alone is just that; a file without a unit beside it is a stray
    assert same_as_reference([root / "a" / UNIT_FILE]) == ([str(root / "a" / UNIT_FILE)], [], [])
    loose = touch(tmp_path / "2024.yaml")
    assert same_as_reference([loose]) == ([], [str(loose)], [])


def test_strays(tmp_path: Path) -> None:
    root = tmp_path / "plans"
    unit(root, "a", 2026, extra=["notes.yaml", "unit.yml", "draft.yml", "README.md", ".yaml", "2026.yaml.bak"])
    touch(root / "top.yaml")
    touch(root / "top.txt")
    touch(root / ".yml")
    (root / "a" / "2027.yaml").mkdir()  # a folder, not a plan
    units, plans, strays = same_as_reference([root])
    assert rel(root, units) == ["a/unit.yaml"] and rel(root, plans) == ["a/2026.yaml"]
    assert rel(root, strays) == ["a/draft.yml", "a/notes.yaml", "a/unit.yml", "top.yaml"]
    # top-level strays were never deduplicated: the folder given twice lists them twice
    assert rel(root, same_as_reference([root, root])[2]) == ["a/draft.yml", "a/notes.yaml", "a/unit.yml", "top.yaml", "top.yaml"]


def test_skip_dir_folders_are_skipped(tmp_path: Path) -> None:
    root = tmp_path / "plans"
    unit(root, "a", 2026)
    for slug in ("_holidays", ".git", ".cache", "_schema"):
        unit(root, slug, 2026)
    (root / "_linked").symlink_to("a", target_is_directory=True)
    assert same_as_reference([root]) == ([str(root / "a" / UNIT_FILE)], [str(root / "a" / "2026.yaml")], [])
    # given directly, a skipped folder is read like any unit folder
    assert same_as_reference([root / "_holidays"])[1] == [str(root / "_holidays" / "2026.yaml")]


def test_root_that_is_a_unit_folder(tmp_path: Path) -> None:
    with_unit = unit(tmp_path, "u", 2026, extra=["notes.yaml"])
    unit(with_unit, "sub", 2025)  # sub-folders of a unit folder are not read
    assert rel(tmp_path, same_as_reference([with_unit])[1]) == ["u/2026.yaml"]
    plans_only = tmp_path / "p"
    touch(plans_only / "2026.yaml")
    touch(plans_only / "x.yaml")
    assert rel(tmp_path, [*sum(same_as_reference([plans_only]), [])]) == ["p/2026.yaml", "p/x.yaml"]
    # a folder named like a year file makes a unit folder too (the name is what counts)
    odd = tmp_path / "odd"
    (odd / "2026.yaml").mkdir(parents=True)
    unit(odd, "inner", 2026)
    assert same_as_reference([odd]) == ([], [], [])


def test_hard_links_stay_two_files(tmp_path: Path) -> None:
    root = tmp_path / "plans"
    unit(root, "a", 2026)
    unit(root, "b")
    os.link(root / "a" / "2026.yaml", root / "b" / "2026.yaml")
    assert rel(root, same_as_reference([root])[1]) == ["a/2026.yaml", "b/2026.yaml"]


def test_missing_root_is_the_same_error(tmp_path: Path) -> None:
    root = tmp_path / "plans"
    unit(root, "a", 2026)
    missing = tmp_path / "nope"
    (tmp_path / "dangling").symlink_to(tmp_path / "gone")
    for paths in ([missing], [root, missing], [tmp_path / "dangling"]):
        with pytest.raises(GgkError) as new:
            discover(paths)
        with pytest.raises(GgkError) as old:
            reference_discover(paths)
        assert new.value.message == old.value.message == f"找不到计划目录或文件：{paths[-1]}"
        assert new.value.hint == old.value.hint and "--plans" in (new.value.hint or "")
        assert new.value.exit_code == old.value.exit_code == 2


# --------------------------------------------------------------------------- against the reference


def big_tree(tmp: Path) -> list[Path]:
    root = tmp / "plans"
    for i in range(30):
        unit(root, f"u{i:02d}" if i % 3 else f"U{i}", *range(2015, 2015 + i % 7), extra=["notes.yaml"] if i % 5 == 0 else ())
    touch(root / "_holidays" / "2026.yaml")
    touch(root / "loose.yml")
    return [root]


def links_tree(tmp: Path) -> list[Path]:
    root = tmp / "plans"
    unit(root, "real", 2025, 2026)
    unit(tmp / "outside", "far", 2024)
    (root / "0-first").symlink_to("real", target_is_directory=True)
    (root / "zz-last").symlink_to(root / "real", target_is_directory=True)
    (root / "far").symlink_to(tmp / "outside" / "far", target_is_directory=True)
    (root / "dangling").symlink_to(tmp / "nowhere", target_is_directory=True)
    (root / "loop").symlink_to("loop")
    unit(root, "mixed", 2023)
    (root / "mixed" / "2026.yaml").symlink_to(Path("..") / "real" / "2026.yaml")
    (root / "mixed" / "2022.yaml").symlink_to(tmp / "outside" / "far" / "2024.yaml")
    (root / "stray.yaml").symlink_to(root / "real" / "2025.yaml")
    return [root, tmp / "outside" / "far", root / "real" / "2026.yaml", root / "0-first" / "2025.yaml"]


def overlap_tree(tmp: Path) -> list[Path]:
    root = tmp / "plans"
    unit(root, "a", 2026, extra=["x.yaml"])
    unit(root, "b", 2026)
    touch(root / "top.yaml")
    (tmp / "alias").symlink_to(root, target_is_directory=True)
    return [root / "b" / "2026.yaml", tmp / "alias", root, root / "a", tmp / "alias" / "a" / UNIT_FILE, root / "top.yaml"]


@pytest.mark.parametrize("build", [big_tree, links_tree, overlap_tree], ids=lambda f: f.__name__)
def test_agrees_with_reference(tmp_path: Path, build: Callable[[Path], list[Path]]) -> None:
    paths = build(tmp_path)
    for k in range(1, len(paths) + 1):
        same_as_reference(paths[:k])
        same_as_reference(paths[:k][::-1])


def test_agrees_with_reference_relative(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    links_tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    for paths in (
        [Path("plans")],
        [Path("plans"), Path("outside/far")],
        [Path("plans/real/2026.yaml"), Path("plans/0-first")],
        [Path("plans/mixed")],
    ):
        same_as_reference(paths)
    monkeypatch.chdir(tmp_path / "plans" / "real")
    same_as_reference([Path("."), Path("..")])
