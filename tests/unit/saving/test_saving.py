"""A finished file is saved whole or not at all: a full disk leaves the file that was there
as it was and nothing half-written beside it, and says so in Chinese (the workbooks, the
year-end draft and the PDFs alike)."""

from __future__ import annotations

import errno
import gc
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from app.services.errors import UserError
from app.services.excel.writer import new_workbook, save_workbook
from app.services.saving import os_reason, save_bytes


def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    def fsync(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", fsync)


def test_a_failed_save_keeps_the_old_file_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "名单.xlsx"
    target.write_bytes(b"the good one")
    full_disk(monkeypatch)
    with pytest.raises(OSError):
        save_bytes(target, b"x" * 10_000)
    assert target.read_bytes() == b"the good one"
    assert [p.name for p in tmp_path.iterdir()] == ["名单.xlsx"]


def test_a_saved_file_is_whole_and_readable_by_others(tmp_path: Path) -> None:
    target = tmp_path / "名单.xlsx"
    save_bytes(target, b"new")
    assert target.read_bytes() == b"new" and target.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["名单.xlsx"]


def test_a_workbook_on_a_full_disk_says_so_in_chinese_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "欠缴名单.xlsx"
    target.write_bytes(b"last month's")
    ignored: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", ignored.append)  # "Exception ignored in ZipFile.__del__"
    workbook = new_workbook()
    workbook.create_sheet("欠缴").append(["姓名", "欠缴"])
    full_disk(monkeypatch)
    with pytest.raises(UserError, match=r"欠缴名单无法保存到.*磁盘已满") as refused:
        save_workbook(workbook, target, "欠缴名单")
    assert "No space" not in str(refused.value)
    assert target.read_bytes() == b"last month's"
    assert [p.name for p in tmp_path.iterdir()] == ["欠缴名单.xlsx"]
    gc.collect()
    assert ignored == []


@pytest.mark.parametrize(
    ("code", "said"),
    [
        (errno.ENOSPC, "磁盘已满"),
        (errno.EACCES, "没有写入权限"),
        (errno.ENOENT, "文件夹不存在"),
        (errno.EROFS, "只能读"),
    ],
)
def test_what_the_disk_says_is_told_in_chinese(code: int, said: str) -> None:
    assert said in os_reason(OSError(code, os.strerror(code)))
