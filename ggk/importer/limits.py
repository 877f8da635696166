"""What ``ggk import`` agrees to read: regular files of bounded size, archives of bounded content.

Owns the checks made before a document is opened, so that a hostile or mistaken input is refused
while it still costs nothing: a FIFO, a device such as ``/dev/zero`` or a folder is never opened
(opening a FIFO blocks until a writer comes); a file larger than its format's limit is not read;
a ``.docx`` / ``.xlsx`` (a zip archive) whose members would inflate beyond ``MAX_UNZIPPED`` is
refused from its central directory alone, before any member is inflated.  ``zipfile`` never
inflates a member beyond the size its directory entry declares, so checking the declared sizes
bounds the memory the readers can use.

The limits are far above any real plan (a province's 要点 is under 100 KB of text, its .docx under
1 MB) and are listed in the README.
"""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

from ggk.diagnostics import GgkError
from ggk.workspace.files import os_reason

MB = 1024 * 1024
#: Largest document read, by format (bytes on disk).
MAX_BYTES = {
    "text": 16 * MB,
    "docx": 32 * MB,
    "sheet": 32 * MB,
    "pdf": 64 * MB,
    "legacy": 32 * MB,
}
#: Largest total of the declared (inflated) sizes of a .docx/.xlsx archive's members.
MAX_UNZIPPED = 128 * MB
#: Largest number of members of such an archive (a real one has a few dozen).
MAX_MEMBERS = 2000
#: Most pages of a PDF read.
MAX_PAGES = 500
#: Most table rows read from one workbook sheet or document.
MAX_ROWS = 20000


def _size(n: int) -> str:
    return f"{n / MB:.0f} MB" if n >= MB else f"{n / 1024:.0f} KB"


def check_input(path: Path, kind: str) -> int:
    """Refuse what is not a regular file of acceptable size; return its size in bytes."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise GgkError(f"文件不存在：{path}") from None
    except OSError as exc:
        raise GgkError(f"无法读取文件 {path}：{os_reason(exc)}") from None
    if stat.S_ISDIR(st.st_mode):
        raise GgkError(f"这是一个文件夹，不是文件：{path}", "给出要导入的文件本身，如 plans/../要点.docx")
    if not stat.S_ISREG(st.st_mode):
        what = "管道（FIFO）" if stat.S_ISFIFO(st.st_mode) else "设备或特殊文件"
        raise GgkError(f"{path} 是{what}，不是普通文件，不予读取", "先把文件内容保存为普通文件再导入")
    limit = MAX_BYTES[kind]
    if st.st_size > limit:
        raise GgkError(
            f"{path.name} 有 {_size(st.st_size)}，超过导入上限 {_size(limit)}",
            "印发的要点、方案通常不足 1 MB；请确认选对了文件",
        )
    return st.st_size


def check_archive(path: Path, what: str) -> None:
    """Refuse a zip-based document (.docx/.xlsx) whose members would inflate beyond the limits."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise GgkError(f"无法打开{what}：{path.name} 不是有效的 {path.suffix} 文件（{exc}）", "用 Word/WPS 打开后另存一份再导入") from None
    if len(infos) > MAX_MEMBERS:
        raise GgkError(f"{path.name} 含 {len(infos)} 个内部文件，超过上限 {MAX_MEMBERS}，不予读取")
    total = sum(max(info.file_size, 0) for info in infos)
    if total > MAX_UNZIPPED:
        raise GgkError(
            f"{path.name} 解压后有 {_size(total)}，超过导入上限 {_size(MAX_UNZIPPED)}，不予读取",
            "文件可能已损坏或是恶意构造的压缩包；请用 Word/WPS 打开确认后另存",
        )
