"""Opening a union's database file (账套): checks, migrations, engine and sessions.

Everything SQLite-specific lives here, so the rest of the code stays portable.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple, TypeVar, cast

from sqlalchemy import Table, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker
from sqlalchemy.pool import NullPool
from sqlalchemy.sql.base import Executable

from app.db_backup import (
    BULK_WRITE_ROWS,
    KIND_UPGRADE,
    BackupAhead,
    BackupFolderError,
    auto_backups_enabled,
    backup_before_bulk_write,
    discard_backup,
    make_backup,
)
from app.db_file import (
    APPLICATION_ID,
    BUSY_TIMEOUT,
    CorruptDatabaseError,
    DatabaseBusyError,
    DatabaseIOError,
    DatabaseOpenError,
    DatabaseReadOnlyError,
    DatabaseUnavailableError,
    DiskFullError,
    LockedDatabaseError,
    NewerVersionError,
    NotADatabaseError,
    ReadOnlyDatabaseError,
    check_file,
    check_revision,
    database_error,
    inspect_file,
    needs_full_check,
    sqlite_code,
)
from app.migrations import HEAD
from app.models.audit import TOUCHED, install_audit_log, note_touched

__all__ = [
    "APPLICATION_ID",
    "BUSY_TIMEOUT",
    "TOUCHED",
    "CorruptDatabaseError",
    "DamagedText",
    "Database",
    "DatabaseBusyError",
    "DatabaseIOError",
    "DatabaseOpenError",
    "DatabaseReadOnlyError",
    "DatabaseUnavailableError",
    "DiskFullError",
    "LockedDatabaseError",
    "NewerVersionError",
    "NotADatabaseError",
    "ReadOnlyDatabaseError",
    "ReaderWriteError",
    "damaged_text",
    "driver_rows",
    "indexes_rebuilt",
    "open_database",
    "tolerant_text",
]

T = TypeVar("T")

_SQLITE_READONLY = 8
_READER = "reader"  # session.info key marking a Database.reader() session
log = logging.getLogger(__name__)
_CHANGES_AT_BEGIN = "uniondesk_changes_at_begin"  # connection.info: total_changes when BEGIN ran


class ReaderWriteError(RuntimeError):
    """Code tried to write inside ``Database.reader()``: a programming error, not the user's."""

    def __init__(self) -> None:
        super().__init__("Database.reader() is read-only: write in Database.session() or Database.write()")


@dataclass
class Database:
    path: Path
    engine: Engine
    migrated_backup: Path | None = None
    busy_timeout: float = BUSY_TIMEOUT
    auto_backup: bool = True  # back up before a transaction that changes > BULK_WRITE_ROWS rows
    writes: int = field(default=0, init=False)  # transactions committed that changed a row
    _ahead: BackupAhead | None = field(default=None, init=False, repr=False)
    _writer: sessionmaker[Session] = field(init=False, repr=False)
    _read_engine: Engine = field(init=False, repr=False)
    _reader: sessionmaker[Session] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._writer = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self._writer, "do_orm_execute", _note_bulk_write)
        self._read_engine = _make_engine(self.path, read_only=True, busy_timeout=self.busy_timeout)
        self._reader = sessionmaker(self._read_engine, expire_on_commit=False)
        event.listen(self._reader, "before_flush", _refuse_flush)
        event.listen(self._reader, "do_orm_execute", _refuse_bulk_write)
        event.listen(self.engine, "begin", _note_changes_at_begin)
        event.listen(self.engine, "commit", self._before_commit)

    def _before_commit(self, connection: Any) -> None:
        """Just before COMMIT, everything flushed: a transaction that changed more than
        BULK_WRITE_ROWS rows (an import, a roll, a batch) is preceded by a backup, taken
        from a separate connection, which still sees the 账套 as it was before it."""
        raw = connection.connection.dbapi_connection
        changed = raw.total_changes - connection.info.pop(_CHANGES_AT_BEGIN, raw.total_changes)
        if changed > 0:
            self.writes += 1
        if changed > BULK_WRITE_ROWS and self.auto_backup:
            ahead, self._ahead = self._ahead, None
            if ahead is None or ahead.claim() is None:
                backup_before_bulk_write(self.path)

    def back_up_ahead(self) -> None:
        """An action is about to write many rows (an import, a roll, a batch): its
        批量写入前 backup starts now, beside its reading and planning (BackupAhead). A later
        bulk write within this Database claims it, or takes its own if it no longer fits."""
        self.drop_backup_ahead()
        if self.auto_backup and self.path.is_file():
            try:
                self._ahead = BackupAhead(self.path)
            except sqlite3.Error as exc:
                log.info("不能提前开始批量写入前备份：%s", exc)

    def drop_backup_ahead(self, *, wait: bool = False) -> None:
        """The action started ahead of will not write after all. ``wait``: until nothing of
        the backup is left."""
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            ahead.abandon()
            if wait:
                ahead.wait()

    @contextmanager
    def session(self, actor: str | None = None) -> Iterator[Session]:
        """One write unit of work: begins IMMEDIATE, so it takes the write lock first and
        waits (up to the busy timeout) for another writer instead of failing half-way;
        commits on success, rolls back on any error, always closes. The tables it changed
        are in ``session.info[TOUCHED]``. SQLite's BUSY, FULL, IOERR, READONLY and CORRUPT
        come out as the typed errors of ``app.db_file`` (DatabaseOpenError)."""
        session = self._writer()
        session.info[TOUCHED] = set()
        if actor:
            session.info["actor"] = actor
        with _typed_errors(self.path):
            try:
                yield session
                session.commit()
            except BaseException:
                _rollback_quietly(session)
                raise
            finally:
                session.close()

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """A read-only unit of work on a deferred transaction: it reads one consistent
        snapshot, never waits for a writer (a long import elsewhere does not block it) and
        never commits. A write inside it raises ReaderWriteError."""
        session = self._reader()
        session.info[_READER] = True
        with _typed_errors(self.path, reading=True):
            try:
                yield session
            finally:
                _rollback_quietly(session)
                session.close()

    def write(self, work: Callable[[Session], T], actor: str | None = None) -> tuple[T, frozenset[str]]:
        """``work(session)`` in one write session, committed; returns its result and the
        names of the tables it changed (including what the commit's final flush wrote)."""
        with self.session(actor) as session:
            touched: set[str] = session.info[TOUCHED]
            result = work(session)
        return result, frozenset(touched)

    def close(self) -> None:
        self.drop_backup_ahead(wait=True)
        self.engine.dispose()
        self._read_engine.dispose()


def _rollback_quietly(session: Session) -> None:
    # If even the rollback fails, the connection is discarded on close; the error that got
    # us here says more.
    with suppress(DBAPIError):
        session.rollback()


@contextmanager
def _typed_errors(path: Path, *, reading: bool = False) -> Iterator[None]:
    """SQLite's errors about the file itself as DatabaseOpenError, raised from the original."""
    try:
        yield
    except (DBAPIError, sqlite3.Error) as exc:
        original = exc.orig if isinstance(exc, DBAPIError) else exc
        if original is None:
            raise
        if reading and sqlite_code(original) == _SQLITE_READONLY:
            raise ReaderWriteError() from exc
        typed = database_error(original, path)
        if typed is None:
            raise
        raise typed from exc


def _statement_table(state: ORMExecuteState) -> str | None:
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    return name if isinstance(name, str) else None


def _note_bulk_write(state: ORMExecuteState) -> None:
    """insert()/update()/delete() executed through the session: note the table written."""
    if state.is_insert or state.is_update or state.is_delete:
        name = _statement_table(state)
        if name is not None:
            note_touched(state.session, name)


def _note_changes_at_begin(connection: Any) -> None:
    # total_changes counts every row inserted, updated or deleted on the connection since it
    # opened, executemany and triggers included
    connection.info[_CHANGES_AT_BEGIN] = connection.connection.dbapi_connection.total_changes


def _refuse_bulk_write(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        raise ReaderWriteError()


def _refuse_flush(_session: Session, _context: object, _instances: object) -> None:
    raise ReaderWriteError()


def _prepare_connection(
    dbapi_connection: Any, foreign_keys: bool, busy_timeout: float, read_only: bool
) -> None:
    # Take transaction control from the sqlite3 module (which would autocommit DDL)
    # and give it to SQLAlchemy's BEGIN below.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
    if read_only:
        cursor.execute("PRAGMA query_only=ON")
    cursor.close()


def _make_engine(
    path: Path,
    *,
    foreign_keys: bool = True,
    pooled: bool = True,
    read_only: bool = False,
    busy_timeout: float = BUSY_TIMEOUT,
) -> Engine:
    """Writers begin IMMEDIATE: the write lock is taken (or waited for) before the first
    read, so a read-then-write transaction never meets SQLITE_BUSY_SNAPSHOT. Readers
    (``read_only``) begin deferred on a query-only connection."""
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": busy_timeout},
        **({} if pooled else {"poolclass": NullPool}),
    )
    begin = "BEGIN" if read_only else "BEGIN IMMEDIATE"

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        _prepare_connection(dbapi_connection, foreign_keys, busy_timeout, read_only)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(begin)

    return engine


def migrations_folder() -> Path:
    import app.migrations as migrations_package

    return Path(migrations_package.__file__).parent


def migrate(path: Path, busy_timeout: float = BUSY_TIMEOUT) -> None:
    """Bring the file to HEAD on a connection of its own, foreign keys off, checked after.
    All of it or nothing: a failure leaves the file as it was."""
    from alembic import command
    from alembic.config import Config
    from alembic.util import CommandError

    engine = _make_engine(path, foreign_keys=False, pooled=False, busy_timeout=busy_timeout)
    try:
        with _typed_errors(path), engine.begin() as connection:
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
    except (DBAPIError, CommandError) as exc:
        # e.g. the recorded revision is older than the tables in the file
        raise CorruptDatabaseError(
            f"账套“{path.name}”无法升级到本版本：文件中记录的版本与其中的数据表不一致，"
            "账套可能已损坏。已撤销升级，文件没有被改动，请把文件交给技术人员检查"
        ) from exc
    finally:
        engine.dispose()


def _backup_before_migrating(db_path: Path) -> Path:
    """A checked backup in the 账套's backup folder; without one the file is not migrated."""
    try:
        return make_backup(db_path, KIND_UPGRADE).backup.path
    except BackupFolderError as exc:
        kind = DiskFullError if exc.disk_full else DatabaseIOError
        raise kind(f"账套“{db_path.name}”要升级到本版本，升级前必须先备份，但{exc}。账套没有改动") from exc


def _prepare(db_path: Path, create: bool, busy_timeout: float = BUSY_TIMEOUT) -> Path | None:
    """Check, migrate or create the file; returns the backup made before migrating, if any."""
    if db_path.exists() and db_path.stat().st_size > 0:
        check_file(db_path)
        full = needs_full_check(db_path)
        revision = inspect_file(db_path, busy_timeout, full=full)
        check_revision(db_path, revision)
        if not full and revision not in (None, HEAD):  # every page is read before migrating
            inspect_file(db_path, busy_timeout, full=True)
        if revision is None and not create:  # an empty SQLite file: only init/demo make it a 账套
            raise NotADatabaseError(f"“{db_path.name}”是一个空的数据库文件，还不是账套。请用 init 建立账套")
        if revision == HEAD:
            return None
        backup = _backup_before_migrating(db_path) if revision is not None else None
        try:
            migrate(db_path, busy_timeout)
        except BaseException:
            if backup is not None:  # the file is as it was: the backup is not needed
                discard_backup(backup)
            raise
        return backup
    if not create:
        if db_path.exists():
            raise NotADatabaseError(f"账套文件“{db_path}”是空文件（0 字节），还不是账套。请用 init 建立账套")
        raise DatabaseOpenError(f"账套文件“{db_path}”不存在")
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReadOnlyDatabaseError(f"不能在“{db_path.parent}”创建账套：{exc.strerror}") from exc
    if not os.access(db_path.parent, os.W_OK):
        raise ReadOnlyDatabaseError(f"文件夹“{db_path.parent}”不能写入，无法创建账套")
    migrate(db_path, busy_timeout)
    return None


def open_database(
    path: str | os.PathLike[str],
    *,
    create: bool = True,
    checked: bool = False,
    busy_timeout: float = BUSY_TIMEOUT,
    auto_backup: bool | None = None,
) -> Database:
    """Open (or create) a 账套, migrating it after backing it up. Raises DatabaseOpenError.

    ``checked``: the caller has just seen ``db_file.is_current`` say yes; skip the checks.
    ``busy_timeout``: seconds to wait for another connection's write lock.
    ``auto_backup``: back up before every bulk write (default: unless the environment
    says UNIONDESK_AUTO_BACKUP=0).
    """
    db_path = Path(path).expanduser().resolve()
    backup = None if checked else _prepare(db_path, create, busy_timeout)
    install_audit_log()
    return Database(
        path=db_path,
        engine=_make_engine(db_path, busy_timeout=busy_timeout),
        migrated_backup=backup,
        busy_timeout=busy_timeout,
        auto_backup=auto_backups_enabled() if auto_backup is None else auto_backup,
    )


class DamagedText(NamedTuple):
    """A stored text value that is not valid UTF-8 (SQLite keeps whatever bytes it is
    given; the sqlite3 module then cannot read the row)."""

    table: str
    row_id: int
    column: str


def _dbapi(session: Session) -> Any:
    return session.connection().connection.dbapi_connection


def _is_utf8(value: bytes) -> bool:
    try:
        value.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def damaged_text(session: Session) -> list[DamagedText]:
    """Every text value in every table of the file that is not valid UTF-8."""
    raw = _dbapi(session)
    found: list[DamagedText] = []
    with tolerant_text(session):
        tables = [
            row[0]
            for row in raw.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                "ORDER BY name"
            )
        ]
        columns = {
            table: [row[1] for row in raw.execute(f"PRAGMA table_info({_quoted(table)})")] for table in tables
        }
    previous = raw.text_factory
    raw.text_factory = bytes  # text as the bytes stored
    try:
        for table, names in columns.items():
            if not names:
                continue
            picked = ", ".join(
                f"CASE WHEN typeof({_quoted(c)}) = 'text' THEN {_quoted(c)} ELSE '' END" for c in names
            )
            for row_id, *values in raw.execute(
                f"SELECT rowid, {picked} FROM {_quoted(table)} ORDER BY rowid"
            ):
                # A newline is no part of any multi-byte sequence: joined, the row is valid
                # exactly when every value is.
                if not _is_utf8(b"\n".join(values)):
                    found.extend(
                        DamagedText(table, row_id, name)
                        for name, value in zip(names, values, strict=True)
                        if not _is_utf8(value)
                    )
    finally:
        raw.text_factory = previous
    return found


def _lenient_str(value: bytes) -> str:
    return value.decode("utf-8", errors="replace")


@contextmanager
def tolerant_text(session: Session) -> Iterator[None]:
    """Inside, text that is not valid UTF-8 reads with U+FFFD in place of the bad bytes
    instead of failing the query (for ``check``, which must read a damaged file)."""
    raw = _dbapi(session)
    previous = raw.text_factory
    raw.text_factory = _lenient_str
    try:
        yield
    finally:
        raw.text_factory = previous


def _converter(column: Any) -> Any:
    """``storage_form`` for the column types SQLAlchemy's SQLite dialect stores differently
    from the Python value; None where the value goes in as it is."""
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        return None
    return storage_form if python_type in (bool, date, datetime) else None


def bulk_insert(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert many rows given as dicts of Python values; every row gives the same keys."""
    if not rows:
        return
    given = [c for c in table.columns if c.name in rows[0]]
    getter = itemgetter(*[c.name for c in given])
    converters = [(i, f) for i, f in enumerate(_converter(c) for c in given) if f is not None]
    values: list[tuple[Any, ...]] = []
    for row in rows:
        picked = getter(row)
        record = list(picked) if len(given) > 1 else [picked]
        for index, convert in converters:
            record[index] = convert(record[index])
        values.append(tuple(record))
    insert_values(session, table, [c.name for c in given], values)


# Rows from which an insert into a table holding no more rebuilds its indexes afterwards
# (``insert_values(rebuild_from=…)``): below, keeping them entry by entry costs no more.
REBUILD_INDEXES_FROM = 2_000


def insert_values(
    session: Session,
    table: Table,
    columns: Sequence[str],
    values: Sequence[Sequence[Any]],
    *,
    shared: Mapping[str, Any] | None = None,
    rebuild_from: int | None = None,
) -> None:
    """Insert many rows with one driver-level executemany: the floor speed, ~4x SQLAlchemy's
    own executemany for 50,000 rows. ``values`` are in ``columns`` order and already in
    SQLAlchemy's SQLite storage form (``storage_form``), so the ORM reads them back exactly.
    ``shared``: values (in storage form) of further columns, the same in every row. Columns
    named in neither get their scalar or zero-argument default, computed once, or NULL.
    Values the same in every row go into the statement once rather than bound for each row
    (binding 10 values instead of 4 made 440,000 payments 1.4x slower to insert).
    ``rebuild_from``: when at least this many rows go in, and no fewer than the table holds
    already, its indexes are built again after them (``indexes_rebuilt``): 10,000 expenses
    into an empty ledger 78 -> 60 ms, 440,000 payments 1.7 -> 1.2 s."""
    if session.info.get(_READER):
        raise ReaderWriteError()
    same = dict(shared or {})
    for column in table.columns:
        if column.name in columns or column.name in same or column.primary_key:
            continue
        default = column.default
        if default is None and column.nullable:
            continue  # NULL
        if default is None or not (default.is_scalar or default.is_callable):
            raise ValueError(f"insert_values: column {column.name} needs a value")
        # SQLAlchemy wraps a zero-argument default as fn(context)
        value = default.arg(None) if default.is_callable else default.arg  # type: ignore[attr-defined]
        convert = _converter(column)
        same[column.name] = convert(value) if convert else value
    written = {name: literal for name, value in same.items() if (literal := _sql_literal(value)) is not None}
    bound = [name for name in same if name not in written]
    names = [*columns, *bound, *written]
    marks = ["?"] * (len(columns) + len(bound))
    sql = f'INSERT INTO "{table.name}" ({", ".join(names)}) VALUES ({", ".join([*marks, *written.values()])})'
    tail = tuple(same[name] for name in bound)
    rows = [(*v, *tail) for v in values] if tail else values
    connection = session.connection()
    raw = connection.connection.dbapi_connection
    bulk = False
    if rebuild_from is not None and len(rows) >= rebuild_from:
        had = raw.execute(f'SELECT max(rowid) FROM "{table.name}"').fetchone()[0] or 0  # type: ignore[union-attr]
        bulk = len(rows) >= had
    cursor = raw.cursor()  # type: ignore[union-attr]
    try:
        rebuilt = indexes_rebuilt(session, table.name) if bulk else nullcontext()
        with _typed_errors(Path(connection.engine.url.database or "")), rebuilt:
            cursor.executemany(sql, rows)
    finally:
        cursor.close()
    note_touched(session, table.name)


_INT64 = range(-(2**63), 2**63)


def _sql_literal(value: Any) -> str | None:
    """``value`` as an SQL literal that stores exactly what binding it would: NULL, a whole
    number, or text (quotes doubled); None for anything else, which is bound instead."""
    if value is None:
        return "NULL"
    if value.__class__ is int and value in _INT64:
        return str(value)
    if value.__class__ is str and "\x00" not in value:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: binding it fails the same way as before
            return None
        return "'" + value.replace("'", "''") + "'"
    return None


@contextmanager
def indexes_rebuilt(session: Session, table: str, names: Collection[str] | None = None) -> Iterator[None]:
    """For a bulk write that changes most entries of ``table``'s indexes (``names``, or all
    that are neither a constraint's nor unique): they are dropped for the block and built
    again after it, sorted once rather than changed entry by entry (440,000 payments into an
    empty table: 1.7 s -> 1.2 s). All of it inside the caller's transaction — SQLite's DDL is
    transactional, so a rollback brings back the indexes as they were with the rows; other
    connections see them unchanged throughout. Only worth it when the write touches at
    least as many entries as the table already had."""
    if session.info.get(_READER):
        raise ReaderWriteError()
    raw = _dbapi(session)
    found = raw.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        (table,),
    ).fetchall()
    # a unique index stays: it checks the rows as they go in, as a constraint's own does
    unique = {row[1] for row in raw.execute(f"PRAGMA index_list({_quoted(table)})") if row[2]}
    indexes = [(name, sql) for name, sql in found if name not in unique and (names is None or name in names)]
    for name, _sql in indexes:
        raw.execute(f"DROP INDEX {_quoted(name)}")
    try:
        yield
    except BaseException:
        with suppress(sqlite3.Error):  # the rollback that follows restores them anyway
            _create(raw, indexes)
        raise
    _create(raw, indexes)


def _create(raw: Any, indexes: list[tuple[str, str]]) -> None:
    threads = raw.execute("PRAGMA threads").fetchone()[0]
    raw.execute("PRAGMA threads = 2")  # the sort of a large index on two cores
    try:
        for _name, sql in indexes:
            raw.execute(sql)
    finally:
        raw.execute(f"PRAGMA threads = {int(threads)}")


def driver_rows(session: Session, statement: Executable) -> list[tuple[Any, ...]]:
    """The rows of a query as the driver gives them: plain tuples of stored values (dates as
    ISO text, see ``storage_form``), without SQLAlchemy's row processing, which doubles the
    time of reading the 500,000 charges of a 50,000-member year. Parameters are bound as
    usual."""
    result = session.connection().execute(statement)
    try:
        rows = cast(list[tuple[Any, ...]], result.cursor.fetchall())  # sqlite3 gives a list
    finally:
        result.close()
    return rows


def database_file(session: Session) -> Path | None:
    """The 账套 file a session works on (None for an in-memory database)."""
    name = session.connection().engine.url.database
    return Path(name) if name and name != ":memory:" else None


def database_files(session: Session) -> list[Path]:
    """The 账套 file as a list (empty in memory): what no export may overwrite."""
    found = database_file(session)
    return [found] if found is not None else []


def storage_form(value: Any) -> Any:
    """A value as SQLAlchemy's SQLite dialect stores it (dates as ISO text, flags as 0/1),
    so rows written by ``insert_values`` read back through the ORM exactly."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value
