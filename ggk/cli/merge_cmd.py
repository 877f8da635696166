"""``ggk merge BASE OURS THEIRS [PATH]``: git's merge driver for the ledger's YAML files."""

from pathlib import Path
from typing import Annotated, Optional

import typer

from ggk.cli.common import handle_errors


@handle_errors
def merge(
    base: Annotated[Path, typer.Argument(help="共同祖先版本（git 的 %O）", show_default=False)],
    ours: Annotated[Path, typer.Argument(help="我方版本（git 的 %A），合并结果写回这个文件", show_default=False)],
    theirs: Annotated[Path, typer.Argument(help="对方版本（git 的 %B）", show_default=False)],
    name: Annotated[Optional[str], typer.Argument(help="文件在仓库中的路径（git 的 %P），用于提示", show_default=False)] = None,
) -> None:
    """git 合并驱动：按数据三方合并计划文件，两边新增的进展记录都保留，只改了一边的字段取那一边。

    两边把同一个字段改成不同的值时为冲突：保留我方的值，在该处上方加一行 `# ggk merge 冲突：…` 注释（文件仍是有效的 YAML），
    列出冲突，退出码 1，由 git 标记为冲突待处理。配置方法：`.gitattributes` 中加 `plans/**/*.yaml merge=ggk`，
    并执行 `git config merge.ggk.driver "ggk merge %O %A %B %P"`。
    """
    from ggk.diagnostics import GgkError
    from ggk.workspace.files import atomic_write, os_reason
    from ggk.yamlfiles.merge import PreserveError, merge_texts

    shown = name or str(ours)
    texts = []
    for p in (base, ours, theirs):
        try:
            texts.append(p.read_bytes().decode("utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise GgkError(f"无法读取 {p}：{os_reason(exc) if isinstance(exc, OSError) else '不是 UTF-8 编码'}") from None
    try:
        result = merge_texts(texts[0], texts[1], texts[2], name=shown)
    except (GgkError, PreserveError) as exc:
        typer.echo(f"{shown}：无法按数据合并，保留我方版本：{exc.message}", err=True)
        typer.echo("提示：用 git show :3:<路径> 查看对方版本，手工合并后 git add", err=True)
        raise typer.Exit(1) from None
    if result.text != texts[1]:
        try:
            atomic_write(ours, result.text)
        except OSError as exc:
            raise GgkError(f"无法写入 {ours}：{os_reason(exc)}") from None
    if result.conflicts:
        typer.echo(f"{shown}：{len(result.conflicts)} 处冲突（已保留我方的值，并在文件中用 “# ggk merge 冲突” 注释标出）：", err=True)
        for c in result.conflicts:
            typer.echo(f"  {c.text()}", err=True)
        raise typer.Exit(1)
