"""``ggk schema [plan|unit] [-o FILE]``: the JSON Schema of the plan or unit files, for editors."""

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ggk.cli.common import handle_errors, write_output


class SchemaKind(str, Enum):
    plan = "plan"
    unit = "unit"


@handle_errors
def schema(
    kind: Annotated[SchemaKind, typer.Argument(help="plan：年度计划文件；unit：单位文件（部门名册）")] = SchemaKind.plan,
    out: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="写入文件（如 schema/plan.schema.json）；默认输出到屏幕", show_default=False)
    ] = None,
) -> None:
    """输出计划文件或单位文件的 JSON Schema，供编辑器（YAML 语言服务器）补全键名、提示错误。

    ggk 写出的文件第一行是 `# yaml-language-server: $schema=../../schema/plan.schema.json`，
    即 plans/ 旁边的 schema/ 目录；用 `ggk schema plan -o schema/plan.schema.json` 和
    `ggk schema unit -o schema/unit.schema.json` 生成（ggk 升级后重新生成一次）。
    """
    from ggk.schema import schema_text

    write_output(schema_text(kind.value), out)
