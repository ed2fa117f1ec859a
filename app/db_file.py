"""What can be learned about a 账套 file with Python's sqlite3 module alone.

Kept apart from app.db (SQLAlchemy, ~0.2 s to import) so the window can check a file and
show the first page of the roster before the database layer has loaded.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import Any

from app.migrations import HEAD, KNOWN_REVISIONS

# PRAGMA application_id marks a file as a UnionDesk 账套 ("UDSK").
APPLICATION_ID = 0x5544534B
_SQLITE_HEADER = b"SQLite format 3\x00"


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


def inspect_file(path: Path) -> str | None:
    """The file's migration revision (None for an empty database), after sanity checks."""
    try:
        with closing(sqlite3.connect(path, timeout=1.0, isolation_level=None)) as raw:
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


def _corrupt_message(path: Path) -> str:
    return (
        f"账套文件“{path.name}”已损坏，无法打开。文件没有被改动。"
        "请用“恢复备份”找回最近的备份，或把文件交给技术人员检查"
    )


def copy_aside(path: Path, revision: str | None) -> Path:
    stamp = datetime.now().strftime("%Y%m%d_%H%M%S")
    target = path.with_name(f"{path.stem}_升级前备份_{revision or '空'}_{stamp}{path.suffix}")
    # The backup API copies a consistent snapshot even with a WAL file beside it.
    with closing(sqlite3.connect(path)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return target


def check_revision(path: Path, revision: str | None) -> None:
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise NewerVersionError(
            f"账套“{path.name}”是用更新版本的 UnionDesk 保存的（版本标记 {revision}）。"
            "请升级 UnionDesk 后再打开；为保护数据，本程序不会改动它"
        )


def is_current(path: Path) -> bool:
    """The file exists, passed every check and needs no migration (raises DatabaseOpenError)."""
    if not path.exists() or path.stat().st_size == 0:
        return False
    check_file(path)
    revision = inspect_file(path)
    check_revision(path, revision)
    return revision == HEAD


def read_rows(path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows of one read-only query, for start-up before SQLAlchemy is loaded."""
    with closing(sqlite3.connect(path, timeout=5.0)) as connection:
        return connection.execute(sql, params).fetchall()
