"""One window per 账套: the lock file beside it, held by another process, refused, and free
again when that process dies however it dies."""

from __future__ import annotations

import os
import signal
from datetime import datetime
from pathlib import Path

import pytest

from app.db_file import LockedDatabaseError
from app.instance_lock import (
    Holder,
    InstanceLockedError,
    holder_of,
    lock_file_of,
    lock_for_command,
    lock_for_window,
)
from tests.fixtures.lock_holder import holding, start_holder, stop_holder


def test_a_second_window_is_refused_and_told_who_has_it(tmp_path: Path) -> None:
    db = tmp_path / "union.db"
    with holding(db) as holder:
        with pytest.raises(InstanceLockedError) as refused:
            lock_for_window(db, wait=0)
        message = str(refused.value)
        assert isinstance(refused.value, LockedDatabaseError)  # exit 3, like any locked 账套
        assert message.startswith("账套“union.db”已经在另一个 UnionDesk 窗口中打开（")
        me = Holder.me()
        assert f"电脑 {me.computer}" in message and f"自 {datetime.now():%H}:" in message
        assert "请先关闭那个窗口" in message
        written = holder_of(db)
        assert written is not None and written.pid == holder.pid
        with pytest.raises(InstanceLockedError, match="关闭那个窗口后再运行这个命令"):
            lock_for_command(db)


def test_the_lock_is_free_once_its_holder_is_killed(tmp_path: Path) -> None:
    db = tmp_path / "union.db"
    holder = start_holder(db)
    try:
        with pytest.raises(InstanceLockedError):
            lock_for_window(db, wait=0)
        os.kill(holder.pid, signal.SIGKILL)  # no chance to clean up: only the OS lets go
        holder.wait(timeout=30)
    finally:
        stop_holder(holder)
    assert holder.returncode == -signal.SIGKILL
    assert lock_file_of(db).exists()  # left behind, and harmless: the lock is the OS's, not the file's
    with lock_for_window(db, wait=0) as mine:
        assert mine.held and mine.guarded
        assert holder_of(db) == Holder.from_bytes(lock_file_of(db).read_bytes())
        assert holder_of(db) is not None and holder_of(db).pid == os.getpid()  # type: ignore[union-attr]
    assert lock_file_of(db).read_bytes() == b""  # released: nobody is named any more


def test_commands_share_the_lock_and_a_window_waits_for_them(tmp_path: Path) -> None:
    db = tmp_path / "union.db"
    with holding(db, "command"):
        with lock_for_command(db) as mine:  # two commands writing: SQLite orders their writes
            assert mine.held
        with pytest.raises(InstanceLockedError, match="正在被 UnionDesk 命令修改"):
            lock_for_window(db, wait=0.3)
    with lock_for_window(db, wait=0.3) as window:  # the command ended: the window may open
        assert window.held


def test_one_process_holds_a_lock_once_and_counts_its_holds(tmp_path: Path) -> None:
    db = tmp_path / "union.db"
    first = lock_for_window(db, wait=0)
    again = lock_for_window(db, wait=0)  # the window opening the same file again
    command = lock_for_command(db)  # a command run in the same process (tests)
    first.release()
    first.release()  # a second release of the same hold changes nothing
    command.release()
    with pytest.raises(AssertionError, match="did not take the lock"):  # ``again`` still holds it
        start_holder(db)
    again.release()
    with holding(db) as other:  # and now it is free
        assert other.poll() is None


def test_no_lock_where_no_file_can_be_made(tmp_path: Path) -> None:
    lock = lock_for_window(tmp_path / "no-such-folder" / "union.db", wait=0)
    assert not lock.guarded and not lock.held
    lock.release()


def test_the_holder_is_described_in_plain_chinese() -> None:
    since = datetime(2026, 3, 5, 9, 12, 40)
    holder = Holder("张三", "OFFICE-PC", 4242, since)
    assert holder.describe(datetime(2026, 3, 5, 17, 0)) == "用户 张三，电脑 OFFICE-PC，自 09:12 起"
    assert holder.describe(datetime(2026, 3, 6, 8, 0)) == "用户 张三，电脑 OFFICE-PC，自 3月5日 09:12 起"
    assert Holder.from_bytes(holder.to_bytes()) == holder
    assert Holder.from_bytes(b'{"user": "x"') is None  # cut short
    assert Holder.from_bytes(b"\xff\xfe") is None


def test_the_holder_names_the_user_and_computer_as_the_standard_library_does() -> None:
    import getpass
    import platform

    me = Holder.me()
    assert (me.user, me.computer, me.pid) == (getpass.getuser(), platform.node(), os.getpid())
