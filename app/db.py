"""Opening a union's database file (账套): checks, migrations, engine and sessions.

Everything SQLite-specific lives here, so the rest of the code stays portable.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from app.migrations import HEAD, KNOWN_REVISIONS
from app.models.audit import install_audit_log

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


@dataclass
class Database:
    path: Path
    engine: Engine
    migrated_backup: Path | None = None
    _factory: sessionmaker[Session] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._factory = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self, actor: str | None = None) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any error, always close."""
        session = self._factory()
        if actor:
            session.info["actor"] = actor
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def close(self) -> None:
        self.engine.dispose()


def _prepare_connection(dbapi_connection: Any, foreign_keys: bool) -> None:
    # Take transaction control from the sqlite3 module (which would autocommit DDL)
    # and give it to SQLAlchemy's BEGIN below.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _make_engine(path: Path, *, foreign_keys: bool = True, pooled: bool = True) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False},
        **({} if pooled else {"poolclass": NullPool}),
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        _prepare_connection(dbapi_connection, foreign_keys)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


def _check_file(path: Path) -> None:
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


def _inspect_existing(path: Path) -> str | None:
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


def _copy_aside(path: Path, revision: str | None) -> Path:
    stamp = datetime.now().strftime("%Y%m%d_%H%M%S")
    target = path.with_name(f"{path.stem}_升级前备份_{revision or '空'}_{stamp}{path.suffix}")
    # The backup API copies a consistent snapshot even with a WAL file beside it.
    with closing(sqlite3.connect(path)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return target


def migrations_folder() -> Path:
    import app.migrations as migrations_package

    return Path(migrations_package.__file__).parent


def migrate(path: Path) -> None:
    """Bring the file to HEAD on a connection of its own, foreign keys off, checked after."""
    from alembic import command
    from alembic.config import Config

    engine = _make_engine(path, foreign_keys=False, pooled=False)
    try:
        with engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", str(migrations_folder()))
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise CorruptDatabaseError(
                    f"升级账套时发现 {len(problems)} 处数据引用错误，已撤销升级，原文件未改动"
                )
            connection.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
    finally:
        engine.dispose()


def open_database(path: str | os.PathLike[str], *, create: bool = True) -> Database:
    """Open (or create) a 账套, migrating it after copying it aside. Raises DatabaseOpenError."""
    db_path = Path(path).expanduser().resolve()
    backup: Path | None = None
    if db_path.exists() and db_path.stat().st_size > 0:
        _check_file(db_path)
        revision = _inspect_existing(db_path)
        if revision is not None and revision not in KNOWN_REVISIONS:
            raise NewerVersionError(
                f"账套“{db_path.name}”是用更新版本的 UnionDesk 保存的（版本标记 {revision}）。"
                "请升级 UnionDesk 后再打开；为保护数据，本程序不会改动它"
            )
        if revision != HEAD:
            if revision is not None:
                backup = _copy_aside(db_path, revision)
            migrate(db_path)
    else:
        if not create:
            raise DatabaseOpenError(f"账套文件“{db_path}”不存在")
        try:
            db_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ReadOnlyDatabaseError(f"不能在“{db_path.parent}”创建账套：{exc.strerror}") from exc
        if not os.access(db_path.parent, os.W_OK):
            raise ReadOnlyDatabaseError(f"文件夹“{db_path.parent}”不能写入，无法创建账套")
        migrate(db_path)
    install_audit_log()
    return Database(path=db_path, engine=_make_engine(db_path), migrated_backup=backup)


def remove_database_files(path: Path) -> None:
    """Delete a 账套 with its -wal/-shm companions (used by tests and 新建账套 over a file)."""
    for suffix in ("", "-wal", "-shm"):
        candidate = Path(f"{path}{suffix}")
        if candidate.exists():
            candidate.unlink()
