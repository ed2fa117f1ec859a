"""备份与恢复: where a 账套's backups go (a setting kept in the 账套), backups made now or
automatically, the list of them, and restoring one.

Built on app.db_backup (the copying, checking, naming and rotation). Everything here but
the folder setting works on files, not sessions: a restore must work on a 账套 that cannot
be opened (damaged or missing), and a backup must not wait for the database layer.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from contextlib import closing, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from app.db_backup import (
    FOLDER_KEY,
    KIND_DAILY,
    KIND_EXIT,
    KIND_MANUAL,
    KIND_RESTORE,
    BackupFile,
    BackupFolderError,
    BackupMade,
    auto_backups_enabled,
    configured_folder,
    default_folder,
    discard_backup,
    folder_for,
    folder_problem,
    list_backups,
    make_backup,
    open_existing,
    verify_backup,
)
from app.db_file import (
    CorruptDatabaseError,
    DatabaseOpenError,
    NewerVersionError,
    NotADatabaseError,
    check_revision,
    database_error,
    sqlite_code,
)
from app.migrations import HEAD
from app.services.errors import UserError
from app.services.system.settings import get_setting, set_setting

__all__ = [
    "BackupFile",
    "BackupMade",
    "BackupOverview",
    "FolderInfo",
    "RestoreResult",
    "backup_folder",
    "backup_now",
    "backup_overview",
    "check_backup_file",
    "daily_backup",
    "exit_backup",
    "folder_info",
    "restore_backup",
    "set_backup_folder",
]

_SQLITE_READONLY = 8
KEPT_BACKUP = "恢复前备份"
KEPT_DAMAGED = "损坏的原文件"


@dataclass(frozen=True)
class FolderInfo:
    folder: Path  # where the next backup goes
    chosen: Path | None  # the folder set for this 账套; None: the default one
    default: Path
    problem: str = ""  # why the chosen folder cannot be used now ("" when it can)


@dataclass(frozen=True)
class BackupOverview:
    folder: FolderInfo
    backups: list[BackupFile] = field(default_factory=list)  # newest first, from both folders


@dataclass(frozen=True)
class RestoreResult:
    db_path: Path
    source: Path  # the backup restored
    revision: str  # the backup's migration revision
    kept: Path | None  # the file that keeps what the 账套 held before (None: there was none)
    kept_as: str | None  # KEPT_BACKUP or KEPT_DAMAGED
    note: str = ""  # e.g. the chosen backup folder could not be used

    @property
    def kept_damaged(self) -> bool:
        """The 账套 was damaged: ``kept`` is the file itself, renamed beside it."""
        return self.kept_as == KEPT_DAMAGED

    @property
    def upgrade_needed(self) -> bool:
        """The backup is from an older version: it is migrated when next opened."""
        return self.revision != HEAD


# -- the folder ----------------------------------------------------------------------------
def folder_info(db_path: Path, chosen: Path | None) -> FolderInfo:
    default = default_folder(db_path)
    if chosen is None or chosen == default:
        return FolderInfo(default, None, default)
    problem = folder_problem(chosen)
    return FolderInfo(default if problem else chosen, chosen, default, problem or "")


def backup_folder(session: Session, db_path: Path) -> FolderInfo:
    value = get_setting(session, FOLDER_KEY)
    return folder_info(db_path, Path(value) if value else None)


def set_backup_folder(session: Session, db_path: Path, folder: Path | None) -> FolderInfo:
    """Back up into ``folder`` from now on (None: the default folder). A folder that cannot
    take a backup now is refused with the reason."""
    if folder is None:
        set_setting(session, FOLDER_KEY, None)
        return folder_info(db_path, None)
    folder = Path(folder).expanduser().absolute()
    problem = folder_problem(folder)
    if problem is not None:
        raise UserError(f"{problem}。请换一个文件夹，备份文件夹没有改变")
    set_setting(session, FOLDER_KEY, str(folder))
    return folder_info(db_path, folder)


def backup_overview(db_path: Path) -> BackupOverview:
    """The folder in use and every backup of this 账套 in it and in the default folder
    (where backups went while the chosen one could not be used), newest first."""
    db_path = Path(db_path)
    info = folder_info(db_path, configured_folder(db_path))
    folders = [info.default] if info.chosen is None or info.problem else [info.chosen, info.default]
    return BackupOverview(info, _merged(list_backups(f, db_path.stem) for f in folders))


def _merged(lists: Iterable[list[BackupFile]]) -> list[BackupFile]:
    seen: dict[Path, BackupFile] = {}
    for backups in lists:
        for backup in backups:
            seen.setdefault(backup.path.resolve(), backup)
    return sorted(seen.values(), key=lambda b: b.order, reverse=True)


# -- making backups ------------------------------------------------------------------------
def backup_now(db_path: Path, to: Path | None = None) -> BackupMade:
    """A 手动 backup, into ``to`` when given (a USB drive), else the backup folder."""
    try:
        return make_backup(Path(db_path), KIND_MANUAL, folder=to)
    except BackupFolderError as exc:
        raise UserError(str(exc)) from exc


def daily_backup(db_path: Path, now: datetime | None = None) -> BackupMade | None:
    """The day's 每日 backup, unless there is one already (or automatic backups are off)."""
    if not auto_backups_enabled():
        return None
    db_path = Path(db_path).expanduser().resolve()
    today = (now or datetime.now()).date()
    folder, _note = folder_for(db_path)
    if any(b.kind == KIND_DAILY and b.made.date() == today for b in list_backups(folder, db_path.stem)):
        return None
    return make_backup(db_path, KIND_DAILY, now=now)


def exit_backup(db_path: Path) -> BackupMade | None:
    """The 退出时 backup (None when automatic backups are off)."""
    if not auto_backups_enabled():
        return None
    return make_backup(Path(db_path), KIND_EXIT)


# -- restoring -----------------------------------------------------------------------------
def check_backup_file(path: Path) -> str:
    """The revision of a backup this program can restore; UserError (Chinese) otherwise."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"找不到备份文件“{path}”")
    try:
        revision = verify_backup(path)
    except DatabaseOpenError as exc:
        raise UserError(f"{exc}。账套没有改动") from exc
    if revision is None:
        raise UserError(f"“{path.name}”是一个空的数据库，不是账套的备份。账套没有改动")
    try:
        check_revision(path, revision)
    except NewerVersionError as exc:
        raise UserError(
            f"备份“{path.name}”是用更新版本的 UnionDesk 做的（版本标记 {revision}），本程序不能使用它。"
            "请先升级 UnionDesk 再恢复。账套没有改动"
        ) from exc
    return revision


def restore_backup(db_path: Path, backup: Path, *, now: datetime | None = None) -> RestoreResult:
    """Replace the 账套 at ``db_path`` with ``backup``, after checking the backup (integrity,
    version) and keeping what the 账套 holds now: a 恢复前 backup, or — when the file is
    damaged — the file itself, renamed beside it. The 账套 must not be open in this process.

    Crash-safe: an existing 账套 is written with the online backup API as one transaction on
    it, so a kill leaves either the old or the restored data whole; a new file is written
    beside the target and renamed into place."""
    db_path = Path(db_path).expanduser().resolve()
    source = Path(backup).expanduser().resolve()
    if source == db_path:
        raise UserError("不能用账套文件自己恢复自己，请选择一份备份文件")
    revision = check_backup_file(source)
    kept, kept_as, note = _keep_current(db_path, now or datetime.now())
    if db_path.exists():
        _write_into(source, db_path)
    else:
        _write_new(source, db_path)
    return RestoreResult(db_path, source, revision, kept, kept_as, note)


def _keep_current(db_path: Path, now: datetime) -> tuple[Path | None, str | None, str]:
    if not db_path.exists():
        _set_aside(db_path, now)  # a write-ahead log without its file must not meet the new one
        return None, None, ""
    if db_path.stat().st_size == 0:  # an empty file holds nothing to keep
        db_path.unlink()
        return None, None, ""
    try:
        made = make_backup(db_path, KIND_RESTORE, now=now)
    except (CorruptDatabaseError, NotADatabaseError):
        return _set_aside(db_path, now), KEPT_DAMAGED, ""
    except BackupFolderError as exc:
        raise UserError(f"恢复前要先备份当前的账套，但{exc}。账套没有改动") from exc
    return made.backup.path, KEPT_BACKUP, made.note


def _set_aside(db_path: Path, now: datetime) -> Path | None:
    """Rename a damaged 账套, with its write-ahead log or journal, to ``<stem>_损坏_<time>``."""
    aside = db_path.with_name(f"{db_path.stem}_损坏_{now:%Y-%m-%d_%H%M%S}{db_path.suffix}")
    number = 2
    while aside.exists():
        aside = db_path.with_name(f"{db_path.stem}_损坏_{now:%Y-%m-%d_%H%M%S}_{number}{db_path.suffix}")
        number += 1
    moved = None
    if db_path.exists():
        os.replace(db_path, aside)
        moved = aside
    for tail in ("-wal", "-journal"):
        companion = db_path.with_name(db_path.name + tail)
        if companion.exists():
            os.replace(companion, aside.with_name(aside.name + tail))
    with suppress(OSError):
        db_path.with_name(db_path.name + "-shm").unlink(missing_ok=True)
    return moved


def _write_into(source: Path, db_path: Path) -> None:
    """The backup API into the 账套 itself: one write transaction on it."""
    try:
        with closing(open_existing(source)) as src, closing(open_existing(db_path)) as dst:
            try:
                src.backup(dst)
            except sqlite3.Error as exc:
                if sqlite_code(exc) != _SQLITE_READONLY:
                    raise
                # the backup's page size differs from the 账套's, which WAL mode cannot change
                dst.execute("PRAGMA journal_mode=DELETE")
                src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")
    except sqlite3.Error as exc:
        typed = database_error(exc, db_path)
        if typed is None:
            raise
        raise typed from exc


def _write_new(source: Path, db_path: Path) -> None:
    """No 账套 file (missing, or set aside as damaged): the copy is made beside it and renamed
    into place once whole."""
    part = db_path.with_name(db_path.name + ".restoring")
    discard_backup(part)
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        with closing(open_existing(source)) as src, closing(sqlite3.connect(part)) as dst:
            src.backup(dst)
        os.replace(part, db_path)
    except sqlite3.Error as exc:
        discard_backup(part)
        typed = database_error(exc, db_path)
        if typed is None:
            raise
        raise typed from exc
    except BaseException:
        discard_backup(part)
        raise
