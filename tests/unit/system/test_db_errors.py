"""Writes that queue instead of failing, reads that never wait, and SQLite's errors about
the file (BUSY, FULL, IOERR, READONLY, CORRUPT) as typed errors with Chinese messages."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from app.db import (
    BUSY_TIMEOUT,
    CorruptDatabaseError,
    Database,
    DatabaseBusyError,
    DatabaseIOError,
    DatabaseOpenError,
    DatabaseReadOnlyError,
    DatabaseUnavailableError,
    DiskFullError,
    LockedDatabaseError,
    ReaderWriteError,
    ReadOnlyDatabaseError,
    insert_values,
    open_database,
)
from app.db_file import database_error
from app.domain.members import MemberInput
from app.models import Group, Member, UnionProfile
from app.services.roster.groups import add_group
from app.services.roster.members import create_member

TODAY = date(2026, 11, 20)


_ID_NUMBERS = {"张伟": "110105198001010016", "李娜": "110105198512310029"}


def _member(name: str) -> MemberInput:
    return MemberInput(name=name, id_number=_ID_NUMBERS[name], joined_on=date(2010, 3, 1))


def _group_names(db: Database) -> list[str]:
    with db.reader() as session:
        return list(session.scalars(select(Group.name).order_by(Group.id)))


def test_busy_timeout_is_a_desktop_length() -> None:
    assert 5 <= BUSY_TIMEOUT <= 10


def test_write_sessions_begin_immediate_and_readers_deferred(db: Database) -> None:
    with db.session() as session:
        session.execute(select(func.count(Member.id)))
        # the write lock is held from the first statement: another writer cannot start
        other = sqlite3.connect(db.path, timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
    with db.reader() as session:
        session.execute(select(func.count(Member.id)))
        other = sqlite3.connect(db.path, timeout=0, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # a reader holds no write lock
        other.execute("ROLLBACK")
        other.close()


# --- the interleaving that a deferred BEGIN cannot survive --------------------------------


def test_control_a_deferred_begin_fails_with_busy_snapshot(tmp_path: Path) -> None:
    """The fact the IMMEDIATE write sessions exist for (raw sqlite3, plain BEGIN)."""
    path = tmp_path / "control.db"
    open_database(path).close()
    a = sqlite3.connect(path, isolation_level=None, timeout=2)
    b = sqlite3.connect(path, isolation_level=None, timeout=2)
    a.execute("BEGIN")
    assert a.execute("SELECT count(*) FROM groups").fetchone() == (0,)
    b.execute("BEGIN")
    b.execute("SELECT count(*) FROM groups").fetchone()
    b.execute("INSERT INTO groups (name, kind, sort_order) VALUES ('乙', '部门', 0)")
    b.execute("COMMIT")
    with pytest.raises(sqlite3.OperationalError) as caught:
        a.execute("INSERT INTO groups (name, kind, sort_order) VALUES ('甲', '部门', 0)")
    assert caught.value.sqlite_errorname == "SQLITE_BUSY_SNAPSHOT"
    a.close()
    b.close()


def test_read_then_write_in_two_sessions_both_commit(db: Database) -> None:
    """Each session reads a value, then writes it changed: with IMMEDIATE the second waits
    for the first, reads its result, and no update is lost."""
    with db.session() as session:
        session.add(UnionProfile(id=1, name="工会"))
    first_has_read = threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with db.session() as session:
                name = session.scalar(select(UnionProfile.name))
                first_has_read.set()
                time.sleep(0.4)  # the second session tries to start meanwhile
                session.execute(update(UnionProfile).values(name=f"{name}甲"))
        except BaseException as exc:
            errors.append(exc)
            first_has_read.set()

    def second() -> None:
        first_has_read.wait(5)
        try:
            with db.session() as session:
                name = session.scalar(select(UnionProfile.name))
                session.execute(update(UnionProfile).values(name=f"{name}乙"))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert errors == []
    with db.reader() as session:
        assert session.scalar(select(UnionProfile.name)) == "工会甲乙"


def test_a_reader_runs_while_a_writer_holds_the_lock(tmp_path: Path) -> None:
    db = open_database(tmp_path / "union.db", busy_timeout=30)
    with db.session() as session:
        add_group(session, "一车间")
    with db.session() as writer:
        add_group(writer, "二车间")
        writer.flush()  # the write lock is held and a change is pending
        started = time.monotonic()
        with db.reader() as reader:
            names = list(reader.scalars(select(Group.name)))
        assert time.monotonic() - started < 2  # it did not wait for the writer
        assert names == ["一车间"]  # the last committed state
    assert _group_names(db) == ["一车间", "二车间"]
    db.close()


def test_a_reader_never_commits_and_refuses_writes(db: Database) -> None:
    with pytest.raises(ReaderWriteError), db.reader() as session:
        session.add(Group(name="不应保存", kind="部门"))
        session.flush()
    with pytest.raises(ReaderWriteError), db.reader() as session:
        session.execute(insert(Group).values(name="不应保存", kind="部门", sort_order=0))
    with pytest.raises(ReaderWriteError), db.reader() as session:
        session.execute(text("INSERT INTO groups (name, kind, sort_order) VALUES ('不应保存', '部门', 0)"))
    with pytest.raises(ReaderWriteError), db.reader() as session:
        insert_values(session, Group.__table__, ["name", "kind"], [("不应保存", "部门")])  # type: ignore[arg-type]
    with db.reader() as session:  # an object added and never flushed is simply dropped
        session.add(Group(name="不应保存", kind="部门"))
    assert _group_names(db) == []


# --- defect 8: two imports into one file at once ------------------------------------------


def test_two_writers_in_two_threads_both_commit_the_second_waits(tmp_path: Path) -> None:
    path = tmp_path / "union.db"
    open_database(path).close()
    first_db, second_db = open_database(path), open_database(path)  # as two programs would
    first_holds_lock = threading.Event()
    waited: list[float] = []
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with first_db.session() as session:
                add_group(session, "一车间")  # reads (the duplicate check), then writes
                first_holds_lock.set()
                time.sleep(0.5)
                create_member(session, _member("张伟"), today=TODAY)
        except BaseException as exc:
            errors.append(exc)
            first_holds_lock.set()

    def second() -> None:
        first_holds_lock.wait(5)
        started = time.monotonic()
        try:
            with second_db.session() as session:
                add_group(session, "二车间")
                create_member(session, _member("李娜"), today=TODAY)
        except BaseException as exc:
            errors.append(exc)
        waited.append(time.monotonic() - started)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert waited and waited[0] >= 0.3  # it queued behind the first
    assert _group_names(first_db) == ["一车间", "二车间"]
    with first_db.reader() as session:
        assert sorted(session.scalars(select(Member.name))) == ["张伟", "李娜"]
    first_db.close()
    second_db.close()


def test_a_writer_that_waits_too_long_gets_the_typed_busy_error(tmp_path: Path) -> None:
    path = tmp_path / "union.db"
    holder = open_database(path)
    db = open_database(path, busy_timeout=0.1)
    with holder.session() as held:
        add_group(held, "一车间")
        held.flush()
        with pytest.raises(DatabaseBusyError, match="正被其他程序使用") as caught, db.session() as session:
            add_group(session, "二车间")
    error = caught.value
    assert not isinstance(error, (sqlite3.Error, DBAPIError))
    assert isinstance(error, LockedDatabaseError) and isinstance(error, DatabaseUnavailableError)
    assert isinstance(error.__cause__, DBAPIError)
    assert "程序出错" not in str(error)
    assert _group_names(db) == ["一车间"]
    holder.close()
    db.close()


def test_opening_waits_for_another_writer_instead_of_refusing(tmp_path: Path) -> None:
    path = tmp_path / "union.db"
    open_database(path).close()
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(1.5, lambda: holder.execute("ROLLBACK"))  # longer than the old 1 s
    release.start()
    started = time.monotonic()
    db = open_database(path, busy_timeout=10)
    assert time.monotonic() - started >= 1.4
    release.join()
    holder.close()
    with db.session() as session:
        add_group(session, "一车间")
    assert _group_names(db) == ["一车间"]
    db.close()


# --- disk full, read-only, and the rest of the family -------------------------------------


def _fill_limit(session: object) -> None:
    """Let the file grow by no page at all: SQLite then answers SQLITE_FULL."""
    connection = session.connection()  # type: ignore[attr-defined]
    pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
    connection.exec_driver_sql(f"PRAGMA max_page_count = {pages}")


def test_disk_full_during_a_flush_is_typed_and_nothing_is_written(db: Database) -> None:
    with pytest.raises(DiskFullError, match="磁盘已满") as caught, db.session() as session:
        _fill_limit(session)
        for number in range(300):
            session.add(Group(name=f"分组{number:04d}" + "很长的名字" * 5, kind="部门"))
        session.flush()
    assert "没有写入任何数据" in str(caught.value)
    db.engine.dispose()  # drop the connection that carries the page limit
    assert _group_names(db) == []


def test_disk_full_in_insert_values_is_typed(db: Database) -> None:
    rows = [(f"分组{number:04d}" + "很长的名字" * 5, "部门") for number in range(300)]
    with db.session() as session:
        _fill_limit(session)
        with pytest.raises(DiskFullError, match="磁盘已满") as caught:
            insert_values(session, Group.__table__, ["name", "kind"], rows)  # type: ignore[arg-type]
        session.rollback()
    assert isinstance(caught.value.__cause__, sqlite3.OperationalError)
    db.engine.dispose()
    assert _group_names(db) == []


def test_a_file_that_cannot_be_written_while_in_use_is_typed(db: Database) -> None:
    try:
        with pytest.raises(DatabaseReadOnlyError, match="只读") as caught, db.session() as session:
            session.connection().exec_driver_sql("PRAGMA query_only = ON")  # as a read-only file answers
            add_group(session, "一车间")
        assert isinstance(caught.value, ReadOnlyDatabaseError)
    finally:
        db.engine.dispose()
    assert _group_names(db) == []


@pytest.mark.parametrize(
    ("code", "kind", "words"),
    [
        (5, DatabaseBusyError, "正被其他程序使用"),  # SQLITE_BUSY
        (517, DatabaseBusyError, "正被其他程序使用"),  # SQLITE_BUSY_SNAPSHOT
        (6, DatabaseBusyError, "正被其他程序使用"),  # SQLITE_LOCKED
        (13, DiskFullError, "磁盘已满"),  # SQLITE_FULL
        (10, DatabaseIOError, "无法读写"),  # SQLITE_IOERR
        (778, DatabaseIOError, "无法读写"),  # SQLITE_IOERR_WRITE
        (14, DatabaseIOError, "无法读写"),  # SQLITE_CANTOPEN
        (8, DatabaseReadOnlyError, "只读"),  # SQLITE_READONLY
        (11, CorruptDatabaseError, "已损坏"),  # SQLITE_CORRUPT
        (26, CorruptDatabaseError, "已损坏"),  # SQLITE_NOTADB
    ],
)
def test_every_file_error_code_has_its_typed_error(code: int, kind: type[Exception], words: str) -> None:
    original = sqlite3.OperationalError("disk I/O error")
    original.sqlite_errorcode = code
    error = database_error(original, Path("union.db"))
    assert type(error) is kind
    assert isinstance(error, DatabaseOpenError)
    assert words in str(error) and "union.db" in str(error)
    assert "程序出错" not in str(error) and "恢复备份" not in str(error)


def test_errors_that_are_not_about_the_file_stay_as_they_are(db: Database) -> None:
    constraint = sqlite3.IntegrityError("UNIQUE constraint failed")
    constraint.sqlite_errorcode = 2067  # SQLITE_CONSTRAINT_UNIQUE
    assert database_error(constraint, Path("union.db")) is None
    assert database_error(ValueError("x"), Path("union.db")) is None
    with pytest.raises(DBAPIError), db.session() as session:
        session.execute(text("SELECT * FROM no_such_table"))


def test_a_backup_before_migrating_that_fails_leaves_no_partial_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.db_backup import KIND_UPGRADE, BackupFolderError, default_folder, make_backup

    path = tmp_path / "union.db"
    open_database(path).close()
    folder = default_folder(path)
    real_connect = sqlite3.connect

    class FullDisk:
        def __init__(self, connection: sqlite3.Connection) -> None:
            self.connection = connection

        def backup(self, _target: object) -> None:
            error = sqlite3.OperationalError("database or disk is full")
            error.sqlite_errorcode = 13  # SQLITE_FULL
            raise error

        def __getattr__(self, name: str) -> object:  # everything else as the real connection
            return getattr(self.connection, name)

    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: FullDisk(real_connect(*a, **k)))
    with pytest.raises(BackupFolderError, match="磁盘已满"):
        make_backup(path, KIND_UPGRADE)
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["union.db"]
    assert list(folder.iterdir()) == []  # the backup folder holds no partial copy
