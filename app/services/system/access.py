"""What opening a 账套 in a window must respect, learned before any of its data is read:
no other window has it (the instance lock), whether it lies on a network share, and its
启动密码. sqlite3 alone: the window asks this before the database layer has loaded."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from app.db_file import on_network_share
from app.instance_lock import InstanceLock, lock_for_window
from app.services.system.password import StoredPassword, read_stored_password


def network_warning(name: str) -> str:
    """The window's warning for a 账套 on a shared folder."""
    return (
        f"账套“{name}”保存在网络共享文件夹（或网络盘）上。\n\n"
        "UnionDesk 的账套是一个 SQLite 数据库文件。放在共享文件夹上时，如果两台电脑同时修改它，"
        "或者网络在保存的一刻断开，账套可能损坏，数据可能丢失。\n\n"
        "建议：把账套文件复制到这台电脑上（如“文档”文件夹），在本机打开使用；"
        "需要交给别人时再复制过去，或使用备份文件。\n\n"
        "这次仍然会打开它，请注意不要在两台电脑上同时使用。"
    )


def network_note(name: str) -> str:
    """The command line's one line for a 账套 on a shared folder."""
    return f"提示：账套“{name}”在网络共享文件夹上，两台电脑同时修改可能损坏它，建议复制到本机再使用。"


@dataclass
class Admission:
    """A window may open the 账套 at ``path``: it holds ``lock`` until it closes the 账套
    (or gives up opening it); ``password`` must be asked first when it has a hash."""

    path: Path
    lock: InstanceLock
    network_share: bool
    password: StoredPassword

    def release(self) -> None:
        self.lock.release()


def admit_window(path: Path) -> Admission:
    """Take the window's lock on the 账套 at ``path`` and read what opening it must respect.
    Raises InstanceLockedError (another window has it) or DatabaseOpenError (the file
    cannot be read: a 启动密码 is never taken for absent when it could not be asked)."""
    resolved = Path(path).expanduser().resolve()
    with suppress(OSError):  # the first start: the data folder, where the lock file goes too
        resolved.parent.mkdir(parents=True, exist_ok=True)
    lock = lock_for_window(resolved)
    try:
        password = read_stored_password(resolved)
        network = on_network_share(resolved)
    except BaseException:
        lock.release()
        raise
    return Admission(resolved, lock, network, password)
