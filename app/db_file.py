"""What can be learned about a 账套 file with Python's sqlite3 module alone.

Kept apart from app.db (SQLAlchemy, ~0.2 s to import) so the window can check a file and
show the first page of the roster before the database layer has loaded.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from contextlib import closing
from pathlib import Path
from typing import Any

from app.migrations import HEAD, KNOWN_REVISIONS

# PRAGMA application_id marks a file as a UnionDesk 账套 ("UDSK").
APPLICATION_ID = 0x5544534B
_SQLITE_HEADER = b"SQLite format 3\x00"
_HEADER_SIZE = 100

# How long a connection waits for another one's write lock before giving up (seconds):
# long enough for another window's or command's import to finish, short enough that a
# file held by a stuck program is reported while the user is still looking.
BUSY_TIMEOUT = 10.0


class DatabaseOpenError(Exception):
    """The file cannot be used; ``str()`` is a Chinese message for the user."""


class NotADatabaseError(DatabaseOpenError):
    pass


class CorruptDatabaseError(DatabaseOpenError):
    pass


class NewerVersionError(DatabaseOpenError):
    pass


class ReadOnlyDatabaseError(DatabaseOpenError):
    pass


class LockedDatabaseError(DatabaseOpenError):
    pass


class DatabaseUnavailableError(DatabaseOpenError):
    """An open 账套 could not be read or written just now; the unit of work was undone."""


class DatabaseBusyError(DatabaseUnavailableError, LockedDatabaseError):
    """SQLITE_BUSY / SQLITE_LOCKED: another connection held the lock past the busy timeout."""


class DiskFullError(DatabaseUnavailableError):
    """SQLITE_FULL."""


class DatabaseIOError(DatabaseUnavailableError):
    """SQLITE_IOERR / SQLITE_CANTOPEN: the disk, USB stick or network share failed."""


class DatabaseReadOnlyError(DatabaseUnavailableError, ReadOnlyDatabaseError):
    """SQLITE_READONLY while writing."""


# SQLite's primary result codes (https://sqlite.org/rescode.html); an extended code
# carries its primary code in the low byte.
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 10, 11, 13, 14, 26
_UNDECODABLE_TEXT = "Could not decode to UTF-8"  # the sqlite3 module's own message
_NOTHING_WRITTEN = "本次操作没有写入任何数据"


def sqlite_code(exc: BaseException) -> int | None:
    """SQLite's primary result code behind a sqlite3 exception, if it carries one."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def database_error(exc: BaseException, path: Path) -> DatabaseOpenError | None:
    """The typed error, with its Chinese message, for a sqlite3 exception raised while
    using the 账套 at ``path``; None when the exception is not about the file (a
    constraint, a programming error), which then stays as it is."""
    code = sqlite_code(exc)
    name = path.name
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return DatabaseBusyError(
            f"账套“{name}”正被其他程序使用，请稍后再试（或关闭正在使用它的程序）。{_NOTHING_WRITTEN}"
        )
    if code == _SQLITE_FULL:
        return DiskFullError(
            f"磁盘已满，账套“{name}”不能保存，{_NOTHING_WRITTEN}。请清理账套所在磁盘的空间后再试"
        )
    if code in (_SQLITE_IOERR, _SQLITE_CANTOPEN):
        return DatabaseIOError(
            f"账套文件“{name}”无法读写（可能是 U 盘被拔出、网络共享断开或磁盘出错），"
            f"{_NOTHING_WRITTEN}。请检查文件所在的磁盘后重新打开账套"
        )
    if code == _SQLITE_READONLY:
        return DatabaseReadOnlyError(
            f"账套文件“{name}”是只读的，不能保存修改，{_NOTHING_WRITTEN}。"
            "请取消文件的“只读”属性，或把它复制到可以写入的文件夹后再打开"
        )
    if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return CorruptDatabaseError(_corrupt_message(path))
    if isinstance(exc, sqlite3.OperationalError) and str(exc).startswith(_UNDECODABLE_TEXT):
        return CorruptDatabaseError(
            f"账套“{name}”中有文字已损坏（不是有效的 UTF-8 编码），无法读取。文件没有被改动。"
            "请运行“uniondesk check”找出损坏的记录，或把文件交给技术人员检查"
        )
    return None


def check_file(path: Path) -> None:
    if path.is_dir():
        raise NotADatabaseError(f"“{path}”是一个文件夹，不是账套文件")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except PermissionError as exc:
        raise ReadOnlyDatabaseError(f"没有权限读取“{path}”，请检查文件权限") from exc
    if header != _SQLITE_HEADER:
        raise NotADatabaseError(
            f"“{path.name}”不是 UnionDesk 账套文件（也不是数据库文件）。"
            "请确认选择的是 .db 账套文件，而不是 Excel 或其他文件"
        )
    mode = path.stat().st_mode
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
        raise ReadOnlyDatabaseError(
            f"账套文件“{path.name}”是只读的，不能保存修改。"
            "请取消文件的“只读”属性，或把它复制到可以写入的文件夹后再打开"
        )
    folder = path.parent
    if not os.access(folder, os.W_OK | os.X_OK) or not folder.stat().st_mode & stat.S_IWUSR:
        raise ReadOnlyDatabaseError(
            f"账套所在的文件夹“{folder}”不能写入（可能是光盘或只读的共享文件夹）。"
            "请把账套文件复制到“文档”等可写入的文件夹后再打开"
        )


def needs_full_check(path: Path) -> bool:
    """Whether opening the file should read every page of it (``PRAGMA quick_check``, whose
    time grows with the file: 0.2-0.4 s for a 50,000-member 账套) rather than only the pages
    the checks read anyway (the header and the schema): when the file was not closed cleanly
    — its write-ahead log or rollback journal is still beside it after a crash, a power cut
    or a copy taken while it was open, or another program has it open now — or when its
    header disagrees with its size (a copy cut short). Every page is read all the same by
    the window's first look at the file it starts with (``is_current``), by opening a file
    that must be migrated, and by ``uniondesk check`` (``PRAGMA integrity_check``)."""
    for tail in ("-wal", "-journal"):
        try:
            if path.with_name(path.name + tail).stat().st_size > 0:
                return True
        except OSError:
            pass  # not there: closed cleanly
    try:
        with path.open("rb") as handle:
            header = handle.read(_HEADER_SIZE)
        size = path.stat().st_size
    except OSError:
        return True
    if len(header) < _HEADER_SIZE:
        return True
    # https://sqlite.org/fileformat2.html#the_database_header
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1) or size % page_size:
        return True
    changes, pages, valid_for = header[24:28], int.from_bytes(header[28:32], "big"), header[92:96]
    # the page count is only kept up to date by the version that stamped valid_for
    return changes == valid_for and pages != size // page_size


def inspect_file(path: Path, timeout: float = BUSY_TIMEOUT, *, full: bool = True) -> str | None:
    """The file's migration revision (None for an empty database), after sanity checks:
    with ``full``, every page is read (see ``needs_full_check``); without, what it reads
    (the header, the schema and the revision) must still be sound.

    Waits up to ``timeout`` seconds for another connection's write (an import in another
    window) before calling the file locked."""
    try:
        with closing(sqlite3.connect(path, timeout=timeout, isolation_level=None)) as raw:
            if full:
                result = raw.execute("PRAGMA quick_check").fetchone()
                if not result or result[0] != "ok":
                    raise CorruptDatabaseError(_corrupt_message(path))
            app_id = raw.execute("PRAGMA application_id").fetchone()[0]
            tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if (app_id not in (0, APPLICATION_ID)) or (tables and "alembic_version" not in tables):
                raise NotADatabaseError(
                    f"“{path.name}”是数据库文件，但不是 UnionDesk 账套，为避免损坏它，程序不会打开"
                )
            try:
                raw.execute("BEGIN IMMEDIATE")
                raw.execute("ROLLBACK")
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    raise LockedDatabaseError(
                        f"账套“{path.name}”正被其他程序使用（可能在另一台电脑或另一个窗口中打开）。"
                        "请先关闭它，再重新打开"
                    ) from exc
                raise
            if "alembic_version" not in tables:
                return None
            row = raw.execute("SELECT version_num FROM alembic_version").fetchone()
            return str(row[0]) if row else None
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError) and "readonly" in str(exc):
            raise ReadOnlyDatabaseError(f"账套文件“{path.name}”不能写入") from exc
        raise CorruptDatabaseError(_corrupt_message(path)) from exc
    except UnicodeDecodeError as exc:  # the schema's own text (names, SQL) is not UTF-8
        raise CorruptDatabaseError(_corrupt_message(path)) from exc


def _corrupt_message(path: Path) -> str:
    return (
        f"账套文件“{path.name}”已损坏，无法打开。文件没有被改动。"
        "请改用最近的备份副本，或把文件交给技术人员检查"
    )


def check_revision(path: Path, revision: str | None) -> None:
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise NewerVersionError(
            f"账套“{path.name}”是用更新版本的 UnionDesk 保存的（版本标记 {revision}）。"
            "请升级 UnionDesk 后再打开；为保护数据，本程序不会改动它"
        )


def is_current(path: Path, timeout: float = BUSY_TIMEOUT) -> bool:
    """The file exists, passed every check and needs no migration (raises DatabaseOpenError)."""
    if not path.exists() or path.stat().st_size == 0:
        return False
    check_file(path)
    revision = inspect_file(path, timeout)
    check_revision(path, revision)
    return revision == HEAD


def read_rows(path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows of one read-only query, for start-up before SQLAlchemy is loaded."""
    try:
        with closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT)) as connection:
            return connection.execute(sql, params).fetchall()
    except sqlite3.Error as exc:
        typed = database_error(exc, path)
        if typed is None:
            raise
        raise typed from exc


# -- network shares ------------------------------------------------------------------------------
# SQLite's locking relies on the file system, which on a shared folder may not keep it: two
# computers writing at once can damage the file (https://sqlite.org/useovernet.html).
NETWORK_FILE_SYSTEMS = frozenset(
    {
        "nfs", "nfs4", "cifs", "smb3", "smbfs", "smb", "fuse.smbnetfs", "ncpfs", "ncp",
        "sshfs", "fuse.sshfs", "9p", "afs", "openafs", "coda", "davfs", "davfs2", "fuse.davfs2",
        "ceph", "fuse.ceph", "glusterfs", "fuse.glusterfs", "lustre", "gpfs", "afpfs", "fuse.afpfs",
        "fuse.rclone", "fuse.s3fs",
        "fuse.gvfsd-fuse", "fuse.kio-fuse",  # GNOME's and KDE's way into a shared folder (UOS, Kylin)
    }
)  # fmt: skip
_DRIVE_REMOTE = 4  # GetDriveTypeW


def on_network_share(path: Path, mounts: str | None = None) -> bool:
    """Whether ``path`` (which need not exist yet) lies on a network share: on Windows a
    UNC path (``\\\\server\\share\\…``) or a mapped network drive; elsewhere the type of the
    file system mounted at the longest mount point holding it, as /proc/mounts lists them
    (``mounts``: that text, for tests). False when it cannot be told."""
    import sys

    if mounts is None and sys.platform == "win32":
        return _windows_network_path(os.path.abspath(path))
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False
    return mount_type(os.path.realpath(path), mounts) in NETWORK_FILE_SYSTEMS


def mount_type(path: str, mounts: str) -> str | None:
    """The file system type of the longest mount point holding ``path`` in /proc/mounts
    text (the last of equal ones: a later mount hides an earlier one)."""
    best, found = -1, None
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = _unescape_mount(fields[1])
        inside = path == point or path.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= best:
            best, found = len(point), fields[2]
    return found


def _unescape_mount(field: str) -> str:
    """/proc/mounts writes a space as \\040, a tab as \\011, a backslash as \\134."""
    import re

    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def _windows_network_path(text: str) -> bool:
    import sys

    upper = text.upper()
    if upper.startswith("\\\\?\\UNC\\"):
        return True
    if upper.startswith(("\\\\?\\", "\\\\.\\")):  # a long local path: \\?\C:\…
        text = text[4:]
    elif text.startswith(("\\\\", "//")):  # \\server\share\…
        return True
    drive = os.path.splitdrive(text)[0]
    if drive and sys.platform == "win32":
        import ctypes

        return bool(ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == _DRIVE_REMOTE)
    return False
