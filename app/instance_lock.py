"""One window per 账套: an operating-system lock on a small file beside it.

A window holds an exclusive lock on ``<账套>.lock`` for as long as it has the 账套 open and
writes who it is into the file (user, computer, process, since when), so whoever is refused
can be told. A command that writes holds a shared lock while it runs: commands may run side
by side (SQLite's own locking and busy timeout order their writes), but not beside a window,
and a window does not open while one runs. Reading needs no lock.

The operating system drops a process's locks when the process ends, however it ends, so a
crash or a power cut never leaves a stale lock behind: nothing is ever cleaned up by hand.
POSIX: ``flock``. Windows: ``LockFileEx`` on one byte far past the text, which offers the
shared lock ``msvcrt.locking`` lacks and leaves the text readable (Windows locks are
mandatory).

Within one process a 账套 is locked once: a further hold (the window opening the same file
again, a command run from a test beside a window) shares it and is counted.
"""

from __future__ import annotations

import getpass
import json
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType

from app.db_file import BUSY_TIMEOUT, LockedDatabaseError

__all__ = [
    "Holder",
    "InstanceLock",
    "InstanceLockedError",
    "holder_of",
    "lock_file_of",
    "lock_for_command",
    "lock_for_window",
]

log = logging.getLogger(__name__)

LOCK_SUFFIX = ".lock"
WINDOW, COMMAND = "window", "command"
_POLL = 0.1  # seconds between tries while commands finish
_INFO_LIMIT = 4096


class InstanceLockedError(LockedDatabaseError):
    """Another UnionDesk window (or a command, for a window) has the 账套; ``str()`` says who."""


@dataclass(frozen=True)
class Holder:
    """Who holds a window lock, as written into the lock file."""

    user: str
    computer: str
    pid: int
    since: datetime

    @classmethod
    def me(cls) -> Holder:
        return cls(_user(), _computer(), os.getpid(), datetime.now().replace(microsecond=0))

    def to_bytes(self) -> bytes:
        record = {
            "user": self.user,
            "computer": self.computer,
            "pid": self.pid,
            "since": self.since.isoformat(),
        }
        return json.dumps(record, ensure_ascii=False).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> Holder | None:
        """The holder written in ``data``; None for anything else (a file cut short, edited)."""
        try:
            record = json.loads(data.decode("utf-8"))
            return cls(str(record["user"]), str(record["computer"]), int(record["pid"]),
                       datetime.fromisoformat(str(record["since"])))  # fmt: skip
        except (ValueError, TypeError, KeyError, AttributeError):
            return None

    def describe(self, today: datetime | None = None) -> str:
        """用户 张三，电脑 OFFICE-PC，自 09:12 起"""
        now = today or datetime.now()
        when = self.since.strftime("%H:%M")
        if self.since.date() != now.date():
            when = f"{self.since.month}月{self.since.day}日 {when}"
        parts = [f"用户 {self.user}" if self.user else "", f"电脑 {self.computer}" if self.computer else ""]
        return "，".join([p for p in parts if p] + [f"自 {when} 起"])


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in the environment nor the password database
        return ""


def _computer() -> str:
    """This computer's network name, as platform.node() gives it — without importing the
    platform module, which would cost every start 2–3 ms of the thread that opens the 账套
    (the lock is taken there while the window's modules load)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    return os.environ.get("COMPUTERNAME", "")  # Windows


def window_message(name: str, holder: Holder | None, *, for_command: bool = False) -> str:
    who = f"（{holder.describe()}）" if holder is not None else ""
    after = "关闭那个窗口后再运行这个命令" if for_command else "先关闭那个窗口"
    return (
        f"账套“{name}”已经在另一个 UnionDesk 窗口中打开{who}。同一个账套同时只能在一个窗口中修改，请{after}。"
    )


def commands_message(name: str) -> str:
    return f"账套“{name}”正在被 UnionDesk 命令修改（如导入或批量收缴），请等它完成后再打开。"


# -- the operating system's locks --------------------------------------------------------------
if sys.platform == "win32":
    import ctypes
    import msvcrt
    from ctypes import wintypes

    class _Overlapped(ctypes.Structure):
        _fields_ = [
            ("Internal", ctypes.c_void_p),
            ("InternalHigh", ctypes.c_void_p),
            ("Offset", wintypes.DWORD),
            ("OffsetHigh", wintypes.DWORD),
            ("hEvent", wintypes.HANDLE),
        ]

    _kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    _lock_file_ex = _kernel32.LockFileEx
    _lock_file_ex.argtypes = [wintypes.HANDLE, wintypes.DWORD, wintypes.DWORD, wintypes.DWORD,
                              wintypes.DWORD, ctypes.POINTER(_Overlapped)]  # fmt: skip
    _lock_file_ex.restype = wintypes.BOOL
    _unlock_file_ex = _kernel32.UnlockFileEx
    _unlock_file_ex.argtypes = [wintypes.HANDLE, wintypes.DWORD, wintypes.DWORD, wintypes.DWORD,
                                ctypes.POINTER(_Overlapped)]  # fmt: skip
    _unlock_file_ex.restype = wintypes.BOOL
    _FAIL_IMMEDIATELY, _EXCLUSIVE = 0x1, 0x2
    _ERROR_LOCK_VIOLATION, _ERROR_IO_PENDING = 33, 997
    _REGION = 0x7FFFFFFF  # one byte far past the holder's text

    def _region() -> _Overlapped:
        overlapped = _Overlapped()
        overlapped.Offset = _REGION
        return overlapped

    def _try_lock(fd: int, exclusive: bool) -> bool:
        flags = _FAIL_IMMEDIATELY | (_EXCLUSIVE if exclusive else 0)
        handle = wintypes.HANDLE(msvcrt.get_osfhandle(fd))
        if _lock_file_ex(handle, flags, 0, 1, 0, ctypes.byref(_region())):
            return True
        error = ctypes.get_last_error()
        if error in (_ERROR_LOCK_VIOLATION, _ERROR_IO_PENDING):
            return False
        raise OSError(error, ctypes.FormatError(error))

    def _unlock(fd: int) -> None:
        _unlock_file_ex(wintypes.HANDLE(msvcrt.get_osfhandle(fd)), 0, 1, 0, ctypes.byref(_region()))

else:
    import fcntl

    def _try_lock(fd: int, exclusive: bool) -> bool:
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


# -- holds ----------------------------------------------------------------------------------------
@dataclass
class _Entry:
    fd: int
    exclusive: bool
    count: int = 1


_held: dict[Path, _Entry] = {}  # this process's locks, by lock file
_registry = threading.Lock()


class InstanceLock:
    """One hold on a 账套's lock; ``release()`` gives it back (more calls do nothing).

    ``guarded`` is False when no lock could be taken at all (the folder refuses new files,
    the file system knows no locks): the 账套 is then opened without this guard, as before,
    and SQLite's own locking still keeps the file whole."""

    def __init__(self, lock_file: Path, entry: _Entry | None) -> None:
        self.lock_file = lock_file
        self._entry = entry
        self.guarded = entry is not None

    @property
    def held(self) -> bool:
        return self._entry is not None

    def release(self) -> None:
        with _registry:
            entry, self._entry = self._entry, None
            if entry is None:
                return
            entry.count -= 1
            if entry.count > 0:
                return
            _held.pop(self.lock_file, None)
            try:
                if entry.exclusive:
                    os.ftruncate(entry.fd, 0)  # the holder's text goes with the hold
                _unlock(entry.fd)
            except OSError as exc:  # closing the file drops the lock all the same
                log.warning("释放账套锁时出错：%s", exc)
            finally:
                os.close(entry.fd)

    def __enter__(self) -> InstanceLock:
        return self

    def __exit__(
        self, _type: type[BaseException] | None, _value: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self.release()


def lock_file_of(db_path: Path) -> Path:
    path = Path(db_path).expanduser().resolve()
    return path.with_name(path.name + LOCK_SUFFIX)


def lock_for_window(db_path: Path, *, wait: float = BUSY_TIMEOUT) -> InstanceLock:
    """The exclusive lock a window holds while the 账套 is open. Another window: refused at
    once, saying who; commands writing: waits up to ``wait`` seconds for them to finish."""
    name = Path(db_path).name

    def refuse(fd: int) -> InstanceLockedError:
        return InstanceLockedError(window_message(name, _read_holder(fd)))

    return _acquire(db_path, exclusive=True, wait=wait, refuse=refuse, busy=lambda: commands_message(name))


def lock_for_command(db_path: Path) -> InstanceLock:
    """The shared lock a command that writes holds while it runs; refused at once while a
    window has the 账套 open."""
    name = Path(db_path).name

    def refuse(fd: int) -> InstanceLockedError:
        return InstanceLockedError(window_message(name, _read_holder(fd), for_command=True))

    return _acquire(db_path, exclusive=False, wait=0.0, refuse=refuse, busy=lambda: "")


def holder_of(db_path: Path) -> Holder | None:
    """The window holding the 账套's lock, as its lock file says (None when the file says
    nothing readable); whether the lock is still held is for a lock attempt to tell."""
    try:
        fd = os.open(lock_file_of(db_path), os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        return _read_holder(fd)
    finally:
        os.close(fd)


def _read_holder(fd: int) -> Holder | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        return Holder.from_bytes(os.read(fd, _INFO_LIMIT))
    except OSError:
        return None


def _acquire(
    db_path: Path,
    *,
    exclusive: bool,
    wait: float,
    refuse: Callable[[int], InstanceLockedError],
    busy: Callable[[], str],
) -> InstanceLock:
    lock_file = lock_file_of(db_path)
    with _registry:  # one attempt at a time in this process: its own holds never refuse it
        entry = _held.get(lock_file)
        if entry is not None:
            entry.count += 1
            return InstanceLock(lock_file, entry)
        try:
            fd = os.open(lock_file, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o666)
        except OSError as exc:
            log.warning("无法建立账套锁文件 %s：%s", lock_file, exc)
            return InstanceLock(lock_file, None)
        try:
            if not _lock(fd, exclusive=exclusive, wait=wait, refuse=refuse, busy=busy):
                os.close(fd)
                return InstanceLock(lock_file, None)
            if exclusive:
                _write_holder(fd)
        except BaseException:
            os.close(fd)
            raise
        entry = _held[lock_file] = _Entry(fd, exclusive)
        return InstanceLock(lock_file, entry)


def _lock(
    fd: int,
    *,
    exclusive: bool,
    wait: float,
    refuse: Callable[[int], InstanceLockedError],
    busy: Callable[[], str],
) -> bool:
    """True once locked; False when this file system cannot lock (then no guard); raises
    InstanceLockedError when refused."""
    deadline = time.monotonic() + wait
    while True:
        try:
            if _try_lock(fd, exclusive):
                return True
            if not exclusive or not _try_lock(fd, False):
                raise refuse(fd)  # a window holds it
        except OSError as exc:  # e.g. ENOLCK on a network share without a lock service
            log.warning("无法锁定账套锁文件：%s", exc)
            return False
        _unlock(fd)  # only commands hold it: wait for them, as SQLite waits for a writer
        if time.monotonic() >= deadline:
            raise InstanceLockedError(busy())
        time.sleep(_POLL)


def _write_holder(fd: int) -> None:
    try:
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, Holder.me().to_bytes())
    except OSError as exc:  # the lock holds all the same; only the name of its holder is missing
        log.warning("无法写入账套锁文件：%s", exc)
