"""Saving a finished file whole or not at all, and what the disk said, in Chinese.

A workbook or a document is built in memory and only then written: to a temporary file
beside the target, flushed to the disk, then put in the target's place. A full disk, a
USB stick pulled out or a file held open by another program therefore leaves the file
that was there as it was, and no half-written file behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

_REASONS = {
    errno.ENOSPC: "磁盘已满，请清理磁盘或另选保存位置",
    errno.EDQUOT: "磁盘空间配额已用完，请清理磁盘或另选保存位置",
    errno.EACCES: "没有写入权限，或这个文件正被其他程序（如 Excel、WPS、PDF 阅读器）打开，请关闭后再试或另选保存位置",
    errno.EPERM: "没有写入权限，请另选保存位置",
    errno.ENOENT: "文件夹不存在，请先建立这个文件夹或另选保存位置",
    errno.EROFS: "这个位置只能读、不能写（如光盘或写保护的 U 盘），请另选保存位置",
    errno.ENAMETOOLONG: "文件名或路径太长，请改短一些",
    errno.EISDIR: "这是一个文件夹，请给出文件名",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EIO: "磁盘读写出错（U 盘可能已经拔出），请检查后重试",
    errno.EBUSY: "文件正被其他程序使用，请关闭后再试",
}


def os_reason(exc: OSError) -> str:
    """Why the system refused, as a secretary reads it."""
    reason = _REASONS.get(exc.errno or 0)
    if reason is not None:
        return reason
    if isinstance(exc, PermissionError):
        return _REASONS[errno.EACCES]
    return f"系统拒绝了这次保存（{exc.strerror or exc}）"


def save_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (see the module's docstring); raises
    the OSError of the step that failed, with nothing left behind."""
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(OSError):
            temp.chmod(0o644)  # a temporary file is private; the saved one is an ordinary file
        os.replace(temp, path)
    finally:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
