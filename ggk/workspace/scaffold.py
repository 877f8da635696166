"""Starting files: a unit file (``ggk init``) and an empty plan for a year (``ggk new``).

Owns the commented templates (each key explained in Chinese, examples left as comments so the
file is valid as written and passes ``ggk check``), and writing them without ever overwriting a
file.  The first line names the JSON Schema for editors (``ggk.schema.modeline``); the schema
files themselves are written beside ``plans/`` when they are missing, so that line works.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ggk.diagnostics import GgkError
from ggk.schema import KINDS, SCHEMA_DIR, modeline, schema_filename, schema_text
from ggk.workspace.files import atomic_write, os_reason
from ggk.workspace.load import UNIT_FILE

#: Folder names the loader reads as units (it skips names starting with "." or "_").
SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
#: Values that YAML reads back as the same plain string without quotes.
_PLAIN = re.compile(r"^[\w\u3000-\u303f\u4e00-\u9fff\uff00-\uffef《》“”‘’、·—\-（）()〔〕\[\]]+$")
_NOT_PLAIN_START = re.compile(r"^[-\[\]{}!&*|>'\"%@`?,#]|^\d")


def yaml_str(value: str) -> str:
    """A YAML scalar for ``value``: plain when that is safe, else double-quoted (JSON is valid YAML)."""
    if (
        value
        and _PLAIN.match(value)
        and not _NOT_PLAIN_START.match(value)
        and value.lower() not in ("yes", "no", "on", "off", "true", "false", "null", "y", "n", "~")
    ):
        return value
    return json.dumps(value, ensure_ascii=False)


#: The template's advice under ``departments: []``; it goes once the registry has departments
#: (``drop_registry_hint``: ``ggk dept add``, ``ggk import`` into an empty registry).
REGISTRY_HINT = """\
# 登记部门时，把上面的 [] 去掉，每个部门写一项，例如：
#   - 局办公室                       # 只写名称也可以
#   - name: 局政策法规股
#     aliases: [政策法规股, 法规股]
#   - name: 局属各单位
#     group: true
"""

#: What ``plans/.gitignore`` must hold: the lock file of each edit (``.2026.yaml.lock``,
#: ``.unit.yaml.lock``, left in place so that two ggk processes always lock the same file) and the
#: temporary file of a write (``.2026.yaml.ab12cd34.tmp``, gone unless the write was killed).
IGNORED = ("# ggk 编辑文件时用的锁文件和临时文件，不入版本库", ".*.lock", ".*.tmp")


def drop_registry_hint(text: str) -> str:
    """``text`` (a unit file) without the template's hint, once ``departments`` is no longer ``[]``."""
    if REGISTRY_HINT not in text.replace("\r\n", "\n") or re.search(r"^departments:\s*\[\s*\]", text, re.M):
        return text
    hint = REGISTRY_HINT if REGISTRY_HINT in text else REGISTRY_HINT.replace("\n", "\r\n")
    return text.replace(hint, "", 1)


def ensure_ignore_file(plans_root: Path) -> Path | None:
    """Write ``plans/.gitignore`` for ggk's lock and temporary files, or add the lines it lacks to
    the one there; returns the file when it was written.  Never fails the command that calls it."""
    path = plans_root / ".gitignore"
    try:
        old = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError):
        return None
    have = {line.strip() for line in old.splitlines()}
    missing = [line for line in IGNORED[1:] if line not in have]
    if not missing:
        return None
    lines = ([IGNORED[0]] if IGNORED[0] not in have else []) + missing
    sep = "" if not old or old.endswith("\n") else "\n"
    try:
        plans_root.mkdir(parents=True, exist_ok=True)
        atomic_write(path, old + sep + "\n".join(lines) + "\n")
    except OSError:
        return None
    return path


def unit_template(name: str) -> str:
    return f"""{modeline("unit")}
# 单位文件：发文单位和它的部门名册。计划中的牵头单位、配合单位都要在这里登记，
# ggk check 会逐一核对（写错的名称会提示“是不是……”）。在装有 YAML 插件的编辑器中，
# 键名可以自动补全，悬停可看说明。各键的含义：
#   format       文件格式版本，保持 1
#   name         单位全称，如 甘肃省交通运输厅
#   short        简称（可省略）
#   level        层级：省级、市级或县级（可省略）
#   departments  部门名册，每个部门一项：
#     name         规范名称（计划中统一使用的写法）
#     aliases      别名：文件中出现的其他写法，如 [办公室, 厅办]
#     group        集合名称（如 厅属各单位、各处室）写 true
#     members      集合名称包含的部门（可省略）
#     remark       备注
format: 1
name: {yaml_str(name)}
# short: 简称
# level: 县级
departments: []
{REGISTRY_HINT}"""


def plan_template(unit: str, year: int, title: str) -> str:
    return f"""{modeline("plan")}
# 计划文件：{unit} 单位 {year} 年度的政务公开工作要点。按印发文件逐部分、逐条录入；
# 写完运行 ggk check 检查。在装有 YAML 插件的编辑器中，键名可以自动补全，悬停可看说明。
# 各键的含义：
#   format    文件格式版本，保持 1
#   unit      单位代号（plans/ 下的文件夹名）
#   year      年度
#   title     文件标题
#   doc_no    文号；issued 印发日期（YYYY-MM-DD）；basis 制定依据的文件
#   preamble  总体要求等非任务性文字
#   sections  各部分（一、二、……），每部分的 items 是条目
format: 1
unit: {yaml_str(unit)}
year: {year}
title: {yaml_str(title)}
# doc_no: 某交办〔{year}〕1号
# issued: {year}-02-28
# basis:
#   - 《某某人民政府办公室关于印发{year}年政务公开工作要点的通知》
sections: []
# 录入时，把上面的 [] 去掉，按文件的结构写，例如：
#   - "no": 一                        # 序号；no 两边要加引号
#     title: 深化重点领域信息公开       # 标题
#     items:
#       - id: "1"                     # 条目编号，沿用文件自身的编号
#         title: 做好规划信息公开       # 简短标题
#         text: 条目全文（原文照录）
#         lead: [局办公室]              # 牵头单位（须在 unit.yaml 中登记）
#         assist: [局财务股]            # 配合单位
#         deadline: {year}年6月底前       # 时限：日期、原文表述，或 {{phrase: 每季度公开一次, every: quarter}}
#         status: 未启动                # 未启动/进行中/已完成/已取消
#     sections: []                    # 下一级标题（（一）、（二）……），没有可省略
"""


@dataclass
class Written:
    path: Path
    schema_files: list[Path] = field(default_factory=list)
    ignore_file: Path | None = None  # plans/.gitignore, when this command wrote or extended it


def _check_slug(slug: str) -> None:
    from ggk.model import UNIT_MAX

    if not SLUG.match(slug) or len(slug) > UNIT_MAX:
        raise GgkError(
            f"单位代号「{slug if len(slug) <= UNIT_MAX else slug[:UNIT_MAX] + '…'}」不合适",
            f"代号用作 plans/ 下的文件夹名：只用英文字母、数字、- 和 _，以字母或数字开头，不超过 {UNIT_MAX} 个字符，如 gansu-jtt",
        )


def _write_new(path: Path, text: str) -> None:
    if path.exists():
        raise GgkError(f"{path} 已存在，不会覆盖", "要重新开始，请先把原文件改名或移走")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, text)
    except OSError as exc:
        raise GgkError(f"无法写入 {path}：{os_reason(exc)}") from None


def ensure_schema_files(plans_root: Path) -> list[Path]:
    """Write ``schema/*.schema.json`` beside the plans folder when missing (the modeline points there)."""
    folder = plans_root.resolve().parent / SCHEMA_DIR
    written = []
    for kind in KINDS:
        target = folder / schema_filename(kind)
        if target.exists():
            continue
        try:
            folder.mkdir(parents=True, exist_ok=True)
            atomic_write(target, schema_text(kind))
        except OSError:
            continue  # editor help only: never fail the command for it
        written.append(target)
    return written


def init_unit(plans_root: Path, slug: str, name: str | None = None) -> Written:
    """Create ``plans/<slug>/unit.yaml``; refuse when it exists."""
    _check_slug(slug)
    if plans_root.exists() and not plans_root.is_dir():
        raise GgkError(f"{plans_root} 不是目录", "用 --plans 指定计划目录")
    path = plans_root / slug / UNIT_FILE
    _write_new(path, unit_template((name or "").strip() or slug))
    ignore = ensure_ignore_file(plans_root)
    return Written(path, ensure_schema_files(plans_root), ignore)


def new_plan(plans_root: Path, unit: str, year: int, title: str | None = None) -> Written:
    """Create ``plans/<unit>/<year>.yaml`` with an empty plan; refuse when it exists."""
    from ggk.model import YEAR_MAX, YEAR_MIN, Unit
    from ggk.workspace.load import load_file

    _check_slug(unit)
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise GgkError(f"年度 {year} 不对", f"写 {YEAR_MIN}–{YEAR_MAX} 之间的四位数年度，如 2027")
    unit_file = plans_root / unit / UNIT_FILE
    if not unit_file.is_file():
        known = sorted(p.parent.name for p in plans_root.glob(f"*/{UNIT_FILE}")) if plans_root.is_dir() else []
        hint = f"先运行 ggk init {unit} --name 单位全称" + (f"；已有的单位：{'、'.join(known)}" if known else "")
        raise GgkError(f"没有单位「{unit}」（找不到 {unit_file}）", hint)
    if not title:
        res = load_file(unit_file, Unit)
        unit_name = res.model.name if isinstance(res.model, Unit) else unit
        title = f"{unit_name}{year}年政务公开工作要点"
    path = plans_root / unit / f"{year}.yaml"
    _write_new(path, plan_template(unit, year, title.strip()))
    ignore = ensure_ignore_file(plans_root)
    return Written(path, ensure_schema_files(plans_root), ignore)


def units_in(plans_root: Path) -> list[str]:
    """Unit folders under ``plans_root`` (for ``ggk new`` without --unit)."""
    if not plans_root.is_dir():
        return []
    return sorted(p.parent.name for p in plans_root.glob(f"*/{UNIT_FILE}") if SLUG.match(p.parent.name))
