"""备份与恢复 as the system area offers them: the folder setting, the day's backup, the list,
and the restore that checks the backup and keeps the file it replaces."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config

import app.db_backup as db_backup
from app.db import open_database
from app.db_backup import KIND_DAILY, KIND_MANUAL, default_folder, list_backups, make_backup
from app.migrations import HEAD
from app.models import UnionProfile
from app.services.errors import UserError
from app.services.system import (
    backup_now,
    backup_overview,
    daily_backup,
    exit_backup,
    restore_backup,
    set_backup_folder,
)


def _union(path: Path, name: str) -> Path:
    db = open_database(path, auto_backup=False)
    with db.session() as session:
        session.merge(UnionProfile(id=1, name=name))
    db.close()
    return path


def _rename(path: Path, name: str) -> None:
    db = open_database(path, auto_backup=False)
    with db.session() as session:
        profile = session.get(UnionProfile, 1)
        assert profile is not None
        profile.name = name
    db.close()


def _name(path: Path) -> str:
    with closing(sqlite3.connect(path)) as con:
        return str(con.execute("SELECT name FROM union_profile").fetchone()[0])


def _revision(path: Path) -> str:
    with closing(sqlite3.connect(path)) as con:
        return str(con.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def _first_release_file(path: Path, name: str) -> Path:
    """A 账套 as the first release wrote it (revision 0001)."""
    from app.db import _make_engine, migrations_folder

    engine = _make_engine(path, foreign_keys=False, pooled=False)
    with engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", str(migrations_folder()))
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.exec_driver_sql(
            "INSERT INTO union_profile (id, name, unit_name, chair, handler, province, phone, address) "
            f"VALUES (1, '{name}', '', '', '', '', '', '')"
        )
    engine.dispose()
    return path


def test_restore_replaces_the_data_and_keeps_what_it_replaces(tmp_path: Path) -> None:
    path = _union(tmp_path / "union.db", "恢复以前的名字")
    backup = backup_now(path).backup.path
    _rename(path, "恢复以后会被替换的名字")
    result = restore_backup(path, backup)
    assert _name(path) == "恢复以前的名字"
    assert result.kept is not None and not result.kept_damaged and result.kept.name.endswith("_恢复前.db")
    assert _name(result.kept) == "恢复以后会被替换的名字"  # the replaced data, kept as a backup
    assert result.revision == HEAD and not result.upgrade_needed
    db = open_database(path)  # opens as a 账套 again, in WAL mode
    with db.reader() as session:
        assert session.get(UnionProfile, 1).name == "恢复以前的名字"  # type: ignore[union-attr]
    db.close()
    with closing(sqlite3.connect(path)) as con:
        assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_backup_of_an_older_version_is_restored_and_migrated_when_opened(tmp_path: Path) -> None:
    old = _first_release_file(tmp_path / "old.db", "老版本的工会")
    path = _union(tmp_path / "union.db", "现在的工会")
    result = restore_backup(path, old)
    assert result.revision == "0001" and result.upgrade_needed
    assert _revision(path) == "0001"  # restored as it is
    db = open_database(path)
    assert db.migrated_backup is not None and db.migrated_backup.name.endswith("_升级前.db")
    db.close()
    assert _revision(path) == HEAD and _name(path) == "老版本的工会"


def test_a_backup_of_a_newer_version_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    newer = _union(tmp_path / "newer.db", "新版本的工会")
    with closing(sqlite3.connect(newer)) as con:
        con.execute("UPDATE alembic_version SET version_num = '9999'")
        con.commit()
    path = _union(tmp_path / "union.db", "现在的工会")
    before = path.read_bytes()
    with pytest.raises(UserError, match="更新版本") as caught:
        restore_backup(path, newer)
    assert "请先升级 UnionDesk" in str(caught.value) and "账套没有改动" in str(caught.value)
    assert path.read_bytes() == before
    assert list_backups(default_folder(path), "union") == []  # not even a 恢复前 backup


def test_a_damaged_backup_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    path = _union(tmp_path / "union.db", "现在的工会")
    backup = backup_now(path).backup.path
    data = bytearray(backup.read_bytes())
    data[4096 : 4096 * 3] = b"\xff" * (4096 * 2)
    backup.write_bytes(bytes(data))
    before = path.read_bytes()
    with pytest.raises(UserError, match="已损坏"):
        restore_backup(path, backup)
    assert path.read_bytes() == before
    with pytest.raises(UserError, match="找不到备份文件"):
        restore_backup(path, tmp_path / "没有这个文件.db")
    with pytest.raises(UserError, match="自己恢复自己"):
        restore_backup(path, path)


def test_a_damaged_file_is_set_aside_and_the_backup_restored(tmp_path: Path) -> None:
    path = _union(tmp_path / "union.db", "好的工会")
    backup = backup_now(path).backup.path
    data = bytearray(path.read_bytes())
    data[100 : 4096 * 2] = b"\xff" * (4096 * 2 - 100)  # the schema page
    path.write_bytes(bytes(data))
    result = restore_backup(path, backup, now=datetime(2026, 12, 4, 9, 30, 15))
    assert result.kept_damaged and result.kept == tmp_path / "union_损坏_2026-12-04_093015.db"
    assert result.kept.read_bytes() == bytes(data)  # the damaged file as it was
    assert _name(path) == "好的工会"


def test_a_missing_file_is_restored(tmp_path: Path) -> None:
    path = _union(tmp_path / "union.db", "好的工会")
    backup = backup_now(path).backup.path
    path.unlink()
    target = tmp_path / "new" / "union.db"
    result = restore_backup(target, backup)
    assert result.kept is None and _name(target) == "好的工会"
    assert sorted(p.name for p in target.parent.iterdir()) == ["union.db"]  # nothing else left


def test_the_folder_setting_and_a_folder_that_cannot_be_used(tmp_path: Path) -> None:
    path = _union(tmp_path / "union.db", "工会")
    usb = tmp_path / "U盘"
    usb.mkdir()
    db = open_database(path, auto_backup=False)
    with db.session() as session:
        info = set_backup_folder(session, path, usb)
    assert info.folder == usb and info.chosen == usb and not info.problem
    assert backup_now(path).backup.path.parent == usb
    blocker = tmp_path / "一个文件"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(UserError, match="找不到文件夹") as caught, db.session() as session:
        set_backup_folder(session, path, blocker / "备份")
    assert "备份文件夹没有改变" in str(caught.value)
    db.close()

    usb.rename(tmp_path / "拔掉的U盘")  # the drive is unplugged
    made = backup_now(path)
    assert made.folder == default_folder(path)
    assert "U 盘" in made.note and str(usb) in made.note and "默认文件夹" in made.note
    found = backup_overview(path)
    assert found.folder.problem and found.folder.folder == default_folder(path)
    with pytest.raises(UserError, match="备份没有完成"):
        backup_now(path, to=blocker / "备份")


def test_a_folder_that_cannot_be_written_is_named_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _union(tmp_path / "union.db", "工会")
    locked = tmp_path / "只读的文件夹"
    locked.mkdir()

    def refuse(*_args: object, dir: object = None, **_kwargs: object) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(db_backup.tempfile, "TemporaryFile", refuse)
    with pytest.raises(UserError, match="不能写入") as caught:
        backup_now(path, to=locked)
    assert "写保护" in str(caught.value) and str(locked) in str(caught.value)


def test_the_list_shows_both_folders_newest_first(tmp_path: Path) -> None:
    path = _union(tmp_path / "union.db", "工会")
    early = make_backup(path, KIND_MANUAL, now=datetime(2026, 3, 1, 9, 0)).backup.path
    usb = tmp_path / "usb"
    usb.mkdir()
    db = open_database(path, auto_backup=False)
    with db.session() as session:
        set_backup_folder(session, path, usb)
    db.close()
    late = make_backup(path, KIND_MANUAL, now=datetime(2026, 4, 1, 9, 0)).backup.path
    assert late.parent == usb
    found = backup_overview(path)
    assert [b.path for b in found.backups] == [late, early]


def test_the_daily_backup_is_made_once_a_day(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _union(tmp_path / "union.db", "工会")
    first = daily_backup(path, now=datetime(2026, 12, 4, 8, 0))
    assert first is not None and first.backup.kind == KIND_DAILY
    assert daily_backup(path, now=datetime(2026, 12, 4, 17, 0)) is None
    assert daily_backup(path, now=datetime(2026, 12, 5, 8, 0)) is not None
    monkeypatch.setenv("UNIONDESK_AUTO_BACKUP", "0")
    assert daily_backup(path, now=datetime(2026, 12, 6, 8, 0)) is None
    assert exit_backup(path) is None
