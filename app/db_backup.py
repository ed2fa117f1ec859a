"""Backups of a 账套 with SQLite's online backup API, checked before anything relies on them.

Shared machinery (sqlite3 alone, no SQLAlchemy): app.db calls it before a migration and
before a bulk write; the system area builds the backup folder setting, the restore and the
window's automatic backups on it.

A backup is named so that its kind and time show in any file manager:
``union_2026-12-04_0930_每日.db`` (``…_2.db``, ``…_3.db`` when two of a kind are made in
the same minute). It is written as ``….db.part``, checked (``PRAGMA integrity_check``, or
``quick_check`` for the one taken while an import or a batch waits to commit; application
id, revision) and only then given its name: a file with such a name passed the
check when it was made. A backup is one self-contained file (journal mode DELETE).

Rotation runs after every backup that passed the check, in the folder it went to, over the
账套's own files (same file stem). Only the automatic kinds 每日, 退出时 and 批量写入前 are
ever deleted; of them are kept
- every one made on the day of the new backup,
- the newest of each of the 7 most recent days that have one (days without a backup, such
  as a holiday, do not count),
- the newest of each of the 12 most recent months that have one.
手动, 升级前 and 恢复前 backups are made on purpose or before something that cannot be undone:
they stay until the user deletes them.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import closing, suppress
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from pathlib import Path

from app.db_file import (
    APPLICATION_ID,
    BUSY_TIMEOUT,
    CorruptDatabaseError,
    DatabaseOpenError,
    NotADatabaseError,
    database_error,
    sqlite_code,
)

log = logging.getLogger(__name__)

# Where the backups of a 账套 go: a path kept in the 账套's own app_settings (so it travels
# with the file); not set means default_folder().
FOLDER_KEY = "backup.folder"
# UNIONDESK_AUTO_BACKUP=0 turns the automatic backups (每日, 退出时, 批量写入前) off, for
# benchmarks and tests; the ones before a migration or a restore are always made.
AUTO_BACKUP_ENV = "UNIONDESK_AUTO_BACKUP"

KIND_DAILY = "每日"
KIND_EXIT = "退出时"
KIND_MANUAL = "手动"
KIND_UPGRADE = "升级前"
KIND_RESTORE = "恢复前"
KIND_BULK = "批量写入前"
KINDS = (KIND_DAILY, KIND_EXIT, KIND_MANUAL, KIND_UPGRADE, KIND_RESTORE, KIND_BULK)
ROTATED_KINDS = frozenset({KIND_DAILY, KIND_EXIT, KIND_BULK})
KEEP_DAYS = 7
KEEP_MONTHS = 12
# A transaction that changes more rows than this (SQLite's total_changes) is a bulk write:
# an import, a dues roll, a batch distribution. It is backed up before it commits.
BULK_WRITE_ROWS = 100

_SQLITE_HEADER = b"SQLite format 3\x00"
_PART = ".part"
_STALE_PART_SECONDS = 3600  # a .part file this old was left by a backup that was killed
_NAME = re.compile(
    r"^(?P<stem>.+)_(?P<day>\d{4}-\d{2}-\d{2})_(?P<time>\d{4})_(?P<kind>"
    + "|".join(KINDS)
    + r")(?:_(?P<number>\d+))?\.db$"
)
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 5, 6, 8
_SQLITE_IOERR, _SQLITE_FULL, _SQLITE_CANTOPEN = 10, 13, 14


class BackupFolderError(Exception):
    """The folder cannot take a backup (missing, not writable, full); ``str()`` is Chinese."""

    def __init__(self, message: str, *, disk_full: bool = False) -> None:
        super().__init__(message)
        self.disk_full = disk_full


@dataclass(frozen=True)
class BackupFile:
    path: Path
    kind: str
    made: datetime  # to the minute, from the name
    number: int  # 1, or 2, 3 … for a second one of the same kind in the same minute
    size: int  # bytes
    intact: bool  # passed the check when made and still looks whole (header, size)
    modified: float = 0.0  # the file's mtime: orders backups made in the same minute

    @property
    def id(self) -> str:
        return self.path.name

    @property
    def size_text(self) -> str:
        if self.size >= 1024 * 1024:
            return f"{self.size / 1024 / 1024:.1f} MB"
        return f"{max(self.size, 1024) // 1024} KB" if self.size else "0 KB"

    @property
    def order(self) -> tuple[datetime, float, int]:
        """Sorts backups from the oldest to the newest."""
        return (self.made, self.modified, self.number)


@dataclass(frozen=True)
class BackupMade:
    backup: BackupFile
    folder: Path
    note: str = ""  # e.g. the chosen folder could not be used, the default one was
    removed: tuple[Path, ...] = ()  # older automatic backups the rotation deleted


def auto_backups_enabled() -> bool:
    return os.environ.get(AUTO_BACKUP_ENV, "1").strip().lower() not in ("0", "false", "no", "off")


# -- where ---------------------------------------------------------------------------------
def default_folder(db_path: Path) -> Path:
    """``<data folder>/备份/<file stem>_<8 hex>``: one folder per 账套 file; the digest of the
    file's full path keeps two files both named union.db apart."""
    from app.paths import data_dir

    resolved = os.path.normcase(str(Path(db_path).expanduser().resolve()))
    digest = hashlib.sha1(resolved.encode("utf-8")).hexdigest()[:8]
    return data_dir() / "备份" / f"{Path(db_path).stem}_{digest}"


def configured_folder(db_path: Path) -> Path | None:
    """The folder set for this 账套 (app_settings), read with sqlite3 alone; None when none
    is set or the file cannot tell (not migrated yet, damaged)."""
    try:
        with closing(open_existing(Path(db_path))) as connection:
            row = connection.execute("SELECT value FROM app_settings WHERE key = ?", (FOLDER_KEY,)).fetchone()
    except (sqlite3.Error, OSError, UnicodeDecodeError):
        return None
    value = row[0] if row else None
    return Path(value) if isinstance(value, str) and value.strip() else None


def folder_problem(folder: Path) -> str | None:
    """Why a backup cannot be written into ``folder`` (Chinese), or None when it can."""
    if not folder.exists():
        return f"找不到文件夹“{folder}”（如果它在 U 盘或移动硬盘上，请检查是否已经插好）"
    if not folder.is_dir():
        return f"“{folder}”不是文件夹"
    try:  # os.access says yes too often (Windows, network shares): try it
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError:
        return f"文件夹“{folder}”不能写入（可能是写保护的 U 盘、光盘或没有权限的文件夹）"
    return None


def folder_for(db_path: Path, folder: Path | None = None) -> tuple[Path, str]:
    """The folder a backup of ``db_path`` goes to, and a note for the user when it is not
    the one chosen. ``folder`` given (``backup --to``): that one or BackupFolderError. Else
    the configured folder, or the default one when it is not set or cannot be used
    (USB drive unplugged): then the note says so."""
    if folder is not None:
        folder = Path(folder).expanduser()
        if not folder.exists() and folder.parent.is_dir():
            with suppress(OSError):
                folder.mkdir()
        problem = folder_problem(folder)
        if problem is not None:
            raise BackupFolderError(f"{problem}。备份没有完成")
        return folder, ""
    note = ""
    default = default_folder(db_path)
    chosen = configured_folder(db_path)
    if chosen is not None and chosen != default:
        problem = folder_problem(chosen)
        if problem is None:
            return chosen, ""
        note = f"设置的备份文件夹不能使用：{problem}。这次的备份保存在默认文件夹“{default}”中。"
    try:
        default.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupFolderError(f"不能建立备份文件夹“{default}”（{exc.strerror}），备份没有完成") from exc
    problem = folder_problem(default)
    if problem is not None:
        raise BackupFolderError(f"{problem}。备份没有完成")
    return default, note


# -- making one ----------------------------------------------------------------------------
def make_backup(
    db_path: Path,
    kind: str,
    *,
    folder: Path | None = None,
    now: datetime | None = None,
    rotate: bool = True,
    stop: Callable[[], bool] | None = None,
) -> BackupMade:
    """A checked backup of the 账套 at ``db_path`` (see the module's docstring), then the
    rotation. ``folder``: this folder and no other (``backup --to``). ``stop``: see
    ``_copy``. Raises
    DatabaseOpenError about the 账套 (missing, damaged, not a 账套, locked) and
    BackupFolderError about the folder; nothing is left behind either way."""
    if kind not in KINDS:
        raise ValueError(f"unknown backup kind {kind!r}")
    db_path = Path(db_path).expanduser().resolve()
    if not db_path.is_file():
        raise DatabaseOpenError(f"账套文件“{db_path}”不存在，无法备份")
    target_folder, note = folder_for(db_path, folder)
    made = (now or datetime.now()).replace(second=0, microsecond=0)
    final = _free_name(target_folder, db_path.stem, kind, made)
    part = final.with_name(final.name + _PART)
    try:
        _copy(db_path, part, stop)
        try:
            verify_backup(part, thorough=kind != KIND_BULK)
        except CorruptDatabaseError as exc:
            raise CorruptDatabaseError(
                f"账套文件“{db_path.name}”已损坏：它的备份副本没有通过完整性检查，备份没有保存。"
                "请运行“uniondesk check”，或用以前的备份恢复"
            ) from exc
        except NotADatabaseError as exc:
            raise NotADatabaseError(f"“{db_path.name}”不是 UnionDesk 账套，没有备份") from exc
        os.replace(part, final)
    except OSError as exc:
        discard_backup(part)
        raise BackupFolderError(
            f"备份文件不能写入文件夹“{target_folder}”（{exc.strerror}），备份没有完成"
        ) from exc
    except BaseException:
        discard_backup(part)
        raise
    removed = rotate_folder(target_folder, db_path.stem, made.date(), keep=final) if rotate else ()
    return BackupMade(describe(final), target_folder, note, removed)


def backup_before_bulk_write(db_path: Path) -> BackupMade | None:
    """Called inside a writer's transaction, just before its COMMIT: this separate
    connection sees the last committed state — the 账套 as it was before this action. A
    backup that cannot be made is logged and does not stop the write, which is whole or
    nothing anyway."""
    try:
        return make_backup(db_path, KIND_BULK)
    except (DatabaseOpenError, BackupFolderError, sqlite3.Error, OSError) as exc:
        log.warning("批量写入前的自动备份没有完成：%s", exc)
        return None


class BackupAhead:
    """The 批量写入前 backup of an action that will write many rows, made on a thread of its
    own while the action is still reading and planning (a 300 MB 账套 takes 1–2 s to copy
    and check, most of it inside SQLite, which lets the planning go on meanwhile).

    It is a copy of the state at ``__init__``. ``claim``, just before the bulk write commits,
    keeps it only when no other connection has committed since (``PRAGMA data_version`` of a
    connection opened here): that state is then still the one the write replaces. Otherwise
    (nothing claims it, a commit came between, the copy failed) it is deleted, and the write
    takes its backup the usual way."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path).expanduser().resolve()
        self._made: BackupMade | None = None
        self._abandoned = False
        self._lock = threading.Lock()
        self._watch = open_existing(self.db_path, any_thread=True)
        self._version = self._data_version()
        self._thread = threading.Thread(target=self._make, name="批量写入前备份", daemon=True)
        self._thread.start()

    def _data_version(self) -> int:
        return int(self._watch.execute("PRAGMA data_version").fetchone()[0])

    def _make(self) -> None:
        made = None
        try:  # rotated only once claimed: a copy then deleted must not push another one out
            made = make_backup(self.db_path, KIND_BULK, rotate=False, stop=lambda: self._abandoned)
        except BackupStopped:
            pass
        except (DatabaseOpenError, BackupFolderError, sqlite3.Error, OSError) as exc:
            log.info("提前开始的批量写入前备份没有完成，写入时再备份：%s", exc)
        with self._lock:
            if not self._abandoned:
                self._made = made
                return
        if made is not None:
            discard_backup(made.backup.path)

    def claim(self) -> BackupMade | None:
        """The backup, rotated in, when it holds the state the write replaces; else None,
        and nothing is left behind. Waits for the copy to be finished."""
        self._thread.join()
        made, self._made = self._made, None
        try:
            current = made is not None and self._data_version() == self._version
        except sqlite3.Error:
            current = False
        finally:
            self._watch.close()
        if made is None:
            return None
        if not current:
            discard_backup(made.backup.path)
            return None
        removed = rotate_folder(
            made.folder, self.db_path.stem, made.backup.made.date(), keep=made.backup.path
        )
        return BackupMade(made.backup, made.folder, made.note, removed)

    def abandon(self) -> None:
        """Not needed after all (a small write, a cancelled preview): the copy stops at its
        next step and is deleted, without waiting for that here (``wait``)."""
        with self._lock:
            self._abandoned = True
            made, self._made = self._made, None
        with suppress(sqlite3.Error):
            self._watch.close()
        if made is not None:
            discard_backup(made.backup.path)

    def wait(self) -> None:
        self._thread.join()


def discard_backup(path: Path) -> None:
    """Remove a backup (or its .part) and any journal SQLite left beside it."""
    for leftover in (path, *(path.with_name(path.name + tail) for tail in ("-journal", "-wal", "-shm"))):
        with suppress(OSError):
            leftover.unlink(missing_ok=True)


def _connect(path: Path, mode: str, *, any_thread: bool = False) -> sqlite3.Connection:
    """A connection that never creates the file (``mode`` rw or ro)."""
    uri = f"{path.resolve().as_uri()}?mode={mode}"
    return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT, check_same_thread=not any_thread)


def open_existing(path: Path, *, any_thread: bool = False) -> sqlite3.Connection:
    """A connection to a file that exists (never creates one), read-write when it can be.
    ``any_thread``: used on other threads than the one opening it, one at a time."""
    try:
        return _connect(path, "rw", any_thread=any_thread)
    except sqlite3.OperationalError:  # a read-only file or folder (a CD): reading is enough
        return _connect(path, "ro", any_thread=any_thread)


class BackupStopped(Exception):
    """A backup given up half-way (``make_backup(stop=…)``); nothing of it is left."""


_STEP_PAGES = 4096  # 16 MB of 4 KB pages between two looks at ``stop``


def _copy(source: Path, target: Path, stop: Callable[[], bool] | None = None) -> None:
    """The online backup API: a consistent snapshot of the last committed state, even with
    the write-ahead log beside the source and another connection writing to it (SQLite
    starts a copy made in steps again when another connection commits in between).
    ``stop``: asked between steps; true gives the copy up (BackupStopped)."""
    try:
        src = open_existing(source)
    except sqlite3.Error as exc:
        raise _source_error(exc, source) from exc
    with closing(src):
        try:
            dst = sqlite3.connect(target)
        except sqlite3.Error as exc:
            raise _folder_error(exc, target.parent) from exc
        with closing(dst):
            try:
                if stop is None:
                    src.backup(dst)
                else:
                    src.backup(dst, pages=_STEP_PAGES, progress=partial(_stop_if, stop))
                dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
            except sqlite3.Error as exc:
                code = sqlite_code(exc)
                if code in (_SQLITE_FULL, _SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_CANTOPEN):
                    raise _folder_error(exc, target.parent) from exc
                raise _source_error(exc, source) from exc  # what was copied is damaged


def _stop_if(stop: Callable[[], bool], _status: int, _remaining: int, _total: int) -> None:
    if stop():
        raise BackupStopped()


def _source_error(exc: sqlite3.Error, source: Path) -> DatabaseOpenError:
    typed = database_error(exc, source)
    return (
        typed if typed is not None else CorruptDatabaseError(f"账套文件“{source.name}”无法读取，备份没有完成")
    )


def _folder_error(exc: sqlite3.Error, folder: Path) -> BackupFolderError:
    if sqlite_code(exc) == _SQLITE_FULL:
        return BackupFolderError(
            f"备份文件夹“{folder}”所在的磁盘已满，备份没有完成。请清理磁盘，或换一个备份文件夹",
            disk_full=True,
        )
    return BackupFolderError(
        f"备份文件不能写入文件夹“{folder}”（可能是 U 盘被拔出、写保护或没有权限），备份没有完成"
    )


def _free_name(folder: Path, stem: str, kind: str, made: datetime) -> Path:
    base = f"{stem}_{made:%Y-%m-%d_%H%M}_{kind}"
    number = 1
    while True:
        candidate = folder / (f"{base}.db" if number == 1 else f"{base}_{number}.db")
        if not candidate.exists() and not candidate.with_name(candidate.name + _PART).exists():
            return candidate
        number += 1


# -- checking one --------------------------------------------------------------------------
def verify_backup(path: Path, *, thorough: bool = True) -> str | None:
    """The backup's revision (None for an empty database) once it passed the check:
    ``PRAGMA integrity_check`` is ok, the application id is UnionDesk's (or not set) and
    the revision can be read. Raises NotADatabaseError or CorruptDatabaseError (Chinese).

    Without ``thorough``, ``PRAGMA quick_check``: every page and record is still read and
    checked, but not whether each index agrees with its table (indexes can be rebuilt from
    the tables). It is what a backup taken while the user waits for an import can afford:
    1 s instead of 6 s for a 300 MB 账套."""
    name = Path(path).name
    try:
        with Path(path).open("rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise NotADatabaseError(f"备份文件“{name}”无法读取（{exc.strerror}）") from exc
    if header != _SQLITE_HEADER:
        raise NotADatabaseError(f"“{name}”不是 UnionDesk 账套或备份文件")
    damaged = f"备份文件“{name}”已损坏（没有通过完整性检查），不能使用"
    try:
        with closing(open_existing(Path(path))) as connection:
            check = "integrity_check" if thorough else "quick_check"
            result = connection.execute(f"PRAGMA {check}").fetchall()
            if result != [("ok",)]:
                raise CorruptDatabaseError(damaged)
            app_id = connection.execute("PRAGMA application_id").fetchone()[0]
            tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if app_id not in (0, APPLICATION_ID) or (tables and "alembic_version" not in tables):
                raise NotADatabaseError(f"“{name}”是数据库文件，但不是 UnionDesk 账套的备份")
            if "alembic_version" not in tables:
                return None
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            return str(row[0]) if row else None
    except sqlite3.Error as exc:
        typed = database_error(exc, Path(path))
        if typed is not None and not isinstance(typed, CorruptDatabaseError):
            raise typed from exc
        raise CorruptDatabaseError(damaged) from exc
    except UnicodeDecodeError as exc:
        raise CorruptDatabaseError(damaged) from exc


# -- listing and rotating ------------------------------------------------------------------
def describe(path: Path) -> BackupFile:
    """A backup file as its name tells it (raises ValueError for any other name)."""
    found = _NAME.match(path.name)
    if found is None:
        raise ValueError(f"not a backup's name: {path.name}")
    hours, minutes = found["time"][:2], found["time"][2:]
    # not strptime: its first use builds locale tables, a few ms of every import's backup
    made = datetime.fromisoformat(f"{found['day']}T{hours}:{minutes}")
    try:
        info = path.stat()
        size, modified = info.st_size, info.st_mtime
    except OSError:
        size, modified = 0, 0.0
    number = int(found["number"] or 1)
    return BackupFile(path, found["kind"], made, number, size, _looks_whole(path, size), modified)


def _looks_whole(path: Path, size: int) -> bool:
    """The cheap part of the check, for a list: a SQLite header and whole pages."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError:
        return False
    if len(header) < 100 or not header.startswith(_SQLITE_HEADER):
        return False
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    return page_size >= 512 and size > 0 and size % page_size == 0


def list_backups(folder: Path, stem: str) -> list[BackupFile]:
    """The backups of the 账套 whose file stem is ``stem`` in ``folder``, newest first."""
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return []
    found = []
    for entry in entries:
        matched = _NAME.match(entry.name)
        if matched is not None and matched["stem"] == stem and entry.is_file():
            found.append(describe(entry))
    return sorted(found, key=lambda b: b.order, reverse=True)


def rotation_keeps(backups: Iterable[BackupFile], today: date) -> set[Path]:
    """The backups the rotation keeps (see the module's docstring)."""
    every = list(backups)
    keep = {b.path for b in every if b.kind not in ROTATED_KINDS}
    # newest first: the first one seen of a day or month is its newest
    automatic = sorted((b for b in every if b.kind in ROTATED_KINDS), key=lambda b: b.order, reverse=True)
    keep |= {b.path for b in automatic if b.made.date() == today}
    days: dict[date, BackupFile] = {}
    months: dict[tuple[int, int], BackupFile] = {}
    for backup in automatic:
        days.setdefault(backup.made.date(), backup)
        months.setdefault((backup.made.year, backup.made.month), backup)
    keep |= {b.path for b in list(days.values())[:KEEP_DAYS]}
    keep |= {b.path for b in list(months.values())[:KEEP_MONTHS]}
    return keep


def rotate_folder(folder: Path, stem: str, today: date, *, keep: Path) -> tuple[Path, ...]:
    """Delete the automatic backups the rotation does not keep (never ``keep``, the one
    just made and checked), and .part files left by a backup that was killed."""
    backups = list_backups(folder, stem)
    kept = rotation_keeps(backups, today) | {keep}
    removed = []
    for backup in backups:
        if backup.path not in kept:
            try:
                backup.path.unlink()
            except OSError as exc:
                log.warning("不能删除旧备份“%s”：%s", backup.path, exc)
            else:
                removed.append(backup.path)
    cutoff = time.time() - _STALE_PART_SECONDS
    with suppress(OSError):
        for entry in Path(folder).glob(f"{_glob_escape(stem)}_*.db{_PART}"):
            with suppress(OSError):
                if entry.stat().st_mtime < cutoff:
                    discard_backup(entry)
    return tuple(removed)


def _glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)
