"""Writing files safely: the whole content to a temporary file in the same folder, flushed to
disk, then renamed over the target, so a reader (or a crash) sees the old file or the new one,
never a torn one.  Used for every file ggk writes (plans, reports).

- A symlink is followed: the file it points to is written and the link is kept.
- The new file gets the old one's permissions (and, when ggk runs as root, its owner).
- ``replace_if_unchanged`` (the edits) replaces a file only if it still holds what was read, with
  no moment in which a save by someone else can be lost: the temporary file is complete before the
  file is compared, and on Linux the two are then swapped atomically (``renameat2`` with
  ``RENAME_EXCHANGE``) and the file swapped out is compared once more — if an editor saved in
  between, the swap is undone and the edit refused.  Elsewhere (or on a file system without the
  exchange) the comparison is made immediately before an ordinary rename.
- Temporary files are named ``.<name>.<8 characters>.tmp``; those a killed write left behind are
  removed by ``remove_stale_temps`` (the edits call it, under their lock).
"""

from __future__ import annotations

import errno
import hashlib
import os
import platform
import re
import stat
import tempfile
from pathlib import Path


class Changed(Exception):
    """The file on disk is no longer the one that was read (someone saved it meanwhile)."""


def target_of(path: Path | str) -> Path:
    """Where writing ``path`` really writes: the file a symlink points to (resolved), else ``path``."""
    p = Path(path)
    return Path(os.path.realpath(p)) if p.is_symlink() else p


def atomic_write(path: Path, data: bytes | str, *, encoding: str = "utf-8") -> None:
    """Write ``data`` to ``path`` atomically (see the module docstring)."""
    raw = data.encode(encoding) if isinstance(data, str) else data
    target = target_of(path)
    tmp = _temp_with(target, raw)
    try:
        os.replace(tmp, target)
    except BaseException:
        _unlink(tmp)
        raise
    _sync_folder(target.parent)


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def replace_if_unchanged(path: Path, data: bytes, expected: str) -> None:
    """Replace ``path`` (its target, for a symlink) with ``data`` if its content still has the
    sha256 ``expected``; raise ``Changed`` (nothing written) otherwise.  See the module docstring."""
    target = target_of(path)
    tmp = _temp_with(target, data)
    try:
        mine = os.stat(tmp).st_ino
        try:
            current = _read(target)
        except FileNotFoundError:  # removed (or renamed away) meanwhile
            raise Changed from None
        if digest(current) != expected:
            raise Changed
        if _exchange(tmp, target):
            # ``tmp`` now names the file that was in place: is it the one that was read?
            if digest(_read(tmp)) != expected:
                if os.stat(target).st_ino == mine:
                    _exchange(tmp, target)  # undo: the save made meanwhile goes back in place
                raise Changed
        else:
            os.replace(tmp, target)
    finally:
        _unlink(tmp)
    _sync_folder(target.parent)


def remove_stale_temps(path: Path) -> list[Path]:
    """Remove the temporary files of ``path`` (its target) left by a write that was killed; returns
    them.  Call only while no other ggk process can be writing the same file (the edits' lock)."""
    target = target_of(path)
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.[a-z0-9_]{{8}}\.tmp$")
    removed = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return []
    for entry in entries:
        if pattern.match(entry.name) and entry.is_file(follow_symlinks=False):
            p = target.parent / entry.name
            if _unlink(p):
                removed.append(p)
    return removed


def _temp_with(target: Path, raw: bytes) -> Path:
    """A temporary file beside ``target`` holding ``raw``, flushed to disk, with ``target``'s mode."""
    folder = target.parent if str(target.parent) else Path(".")
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            st = os.stat(target)
        except FileNotFoundError:
            os.chmod(tmp, 0o644)
        else:
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
            if hasattr(os, "geteuid") and os.geteuid() == 0 and (st.st_uid, st.st_gid) != (0, 0):
                try:  # root editing someone's plan: the file stays theirs
                    os.chown(tmp, st.st_uid, st.st_gid)
                except OSError:
                    pass
    except BaseException:
        _unlink(tmp)
        raise
    return tmp


def _read(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def _unlink(path: Path) -> bool:
    try:
        os.unlink(path)
    except FileNotFoundError:
        return False
    return True


def _sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (best effort)."""
    try:
        dir_fd = os.open(folder if str(folder) else ".", os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


# --------------------------------------------------------------------------- atomic exchange

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
#: renameat2's system call number where glibc has no wrapper (glibc < 2.28)
_SYSCALLS = {"x86_64": 316, "aarch64": 276, "armv7l": 382, "ppc64le": 357, "s390x": 347, "riscv64": 276}
_renameat2: object = None  # resolved on first use: the function, or False where there is none


def _renameat2_fn() -> object:
    global _renameat2
    if _renameat2 is None:
        _renameat2 = False
        if platform.system() == "Linux":
            import ctypes  # (here: only an edit needs it, and a report's start-up would pay for it)

            try:
                libc = ctypes.CDLL(None, use_errno=True)
            except OSError:
                return _renameat2
            fn = getattr(libc, "renameat2", None)
            if fn is not None:
                fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
                _renameat2 = fn
            elif platform.machine() in _SYSCALLS:
                number = _SYSCALLS[platform.machine()]
                syscall = libc.syscall

                def via_syscall(olddir: int, old: bytes, newdir: int, new: bytes, flags: int) -> int:
                    return int(syscall(number, olddir, old, newdir, new, flags))

                _renameat2 = via_syscall
    return _renameat2


def _exchange(a: Path, b: Path) -> bool:
    """Swap the files named ``a`` and ``b`` in one atomic step; False where that is not possible
    (not Linux, an old kernel, a file system without it), and then nothing was done."""
    fn = _renameat2_fn()
    if not fn:
        return False
    result = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)  # type: ignore[operator]
    if result == 0:
        return True
    import ctypes

    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


_REASONS = {
    errno.ENOENT: "文件或目录不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EISDIR: "这是一个目录，不是文件",
    errno.ENOTDIR: "路径中有一段不是目录",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件系统是只读的",
    errno.EEXIST: "文件已存在",
    errno.ENAMETOOLONG: "文件名太长",
    errno.ELOOP: "链接形成了循环",
}


def os_reason(exc: BaseException) -> str:
    """A Chinese reason for an OS error (the clerk's language), falling back to the system's text."""
    code = getattr(exc, "errno", None)
    if code in _REASONS:
        return _REASONS[code]
    return getattr(exc, "strerror", None) or str(exc)
