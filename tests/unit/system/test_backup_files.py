"""Backups as files (app.db_backup): the online copy, its check, its name, the rotation, and
the backup the database layer takes before a bulk write."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, text

import app.db_backup as db_backup
from app.db import CorruptDatabaseError, DiskFullError, NotADatabaseError, open_database
from app.db_backup import (
    KIND_BULK,
    KIND_DAILY,
    KIND_EXIT,
    KIND_MANUAL,
    KIND_RESTORE,
    KIND_UPGRADE,
    BackupFile,
    BackupFolderError,
    BackupStopped,
    default_folder,
    list_backups,
    make_backup,
    rotation_keeps,
    verify_backup,
)
from app.migrations import HEAD
from app.models import AppSetting, UnionProfile


def _union(path: Path, name: str = "某某公司工会") -> Path:
    db = open_database(path, auto_backup=False)
    with db.session() as session:
        session.add(UnionProfile(id=1, name=name))
    db.close()
    return path


def _profile_name(path: Path) -> str:
    with closing(sqlite3.connect(path)) as con:
        return str(con.execute("SELECT name FROM union_profile").fetchone()[0])


def _settings_like(path: Path, prefix: str) -> int:
    with closing(sqlite3.connect(path)) as con:
        return int(
            con.execute("SELECT count(*) FROM app_settings WHERE key LIKE ?", (prefix + "%",)).fetchone()[0]
        )


def _wreck_a_table(path: Path) -> None:
    """Fill the audit log over several pages, then wreck its root page: the file opens, its
    schema reads, only reading every page finds the damage."""
    db = open_database(path, auto_backup=False)
    with db.session() as session:
        session.execute(
            text(
                "INSERT INTO audit_log (at, actor, action, entity, summary) VALUES (:at, '', '新增', 'x', :s)"
            ),
            [{"at": "2026-01-01 00:00:00", "s": f"第 {n} 条" * 20} for n in range(400)],
        )
    db.close()
    with closing(sqlite3.connect(path)) as con:
        (root,) = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'audit_log'").fetchone()
        (size,) = con.execute("PRAGMA page_size").fetchone()
    data = bytearray(path.read_bytes())
    data[(root - 1) * size : root * size] = b"\xff" * size
    path.write_bytes(bytes(data))


def test_a_backup_is_a_checked_self_contained_copy_named_by_kind_and_time(tmp_path: Path) -> None:
    path = _union(tmp_path / "union.db")
    made = make_backup(path, KIND_MANUAL, now=datetime(2026, 12, 4, 9, 30, 41))
    backup = made.backup
    assert backup.path == default_folder(path) / "union_2026-12-04_0930_手动.db"
    assert backup.kind == KIND_MANUAL and backup.made == datetime(2026, 12, 4, 9, 30) and backup.intact
    assert made.folder == default_folder(path) and made.note == ""
    assert verify_backup(backup.path) == HEAD
    assert _profile_name(backup.path) == "某某公司工会"
    with closing(sqlite3.connect(backup.path)) as con:  # one file, no write-ahead log beside it
        assert con.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert sorted(p.name for p in backup.path.parent.iterdir()) == [backup.path.name]  # no .part left
    again = make_backup(path, KIND_MANUAL, now=datetime(2026, 12, 4, 9, 30, 59)).backup
    assert again.path.name == "union_2026-12-04_0930_手动_2.db" and again.number == 2
    assert [b.path for b in list_backups(default_folder(path), "union")] == [again.path, backup.path]
    assert list_backups(default_folder(path), "other") == []  # another 账套's stem


def test_two_files_of_the_same_name_get_folders_of_their_own(tmp_path: Path) -> None:
    one, two = tmp_path / "a" / "union.db", tmp_path / "b" / "union.db"
    assert default_folder(one) != default_folder(two)
    assert default_folder(one).name.startswith("union_")


def test_a_damaged_file_gives_no_backup_and_leaves_nothing_behind(tmp_path: Path) -> None:
    path = _union(tmp_path / "union.db")
    _wreck_a_table(path)
    with pytest.raises(CorruptDatabaseError, match="已损坏") as caught:
        make_backup(path, KIND_MANUAL)
    assert "备份没有保存" in str(caught.value) or "已损坏" in str(caught.value)
    assert list(default_folder(path).iterdir()) == []


def test_verification_refuses_a_damaged_copy(tmp_path: Path) -> None:
    path = _union(tmp_path / "union.db")
    copy = make_backup(path, KIND_MANUAL).backup.path
    data = bytearray(copy.read_bytes())
    with closing(sqlite3.connect(copy)) as con:
        (root,) = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'members'").fetchone()
    data[(root - 1) * 4096 : root * 4096] = b"\xff" * 4096
    copy.write_bytes(bytes(data))
    with pytest.raises(CorruptDatabaseError, match="没有通过完整性检查"):
        verify_backup(copy)


def test_a_copy_that_fails_its_check_is_not_kept_and_nothing_is_rotated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _union(tmp_path / "union.db")
    old = [make_backup(path, KIND_DAILY, now=datetime(2026, 1, d, 8, 0)).backup.path for d in (5, 6)]

    def damaged(_path: Path, *, thorough: bool = True) -> str | None:
        raise CorruptDatabaseError("备份文件已损坏")

    monkeypatch.setattr(db_backup, "verify_backup", damaged)
    with pytest.raises(CorruptDatabaseError):
        make_backup(path, KIND_DAILY, now=datetime(2027, 6, 1, 8, 0))
    assert sorted(default_folder(path).iterdir()) == old  # the older ones stay, no .part


def test_only_the_backup_a_bulk_write_waits_for_skips_the_index_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _union(tmp_path / "union.db")
    checks: list[tuple[str, bool]] = []
    real = db_backup.verify_backup

    def recorded(backup: Path, *, thorough: bool = True) -> str | None:
        checks.append((backup.name.split("_")[-1].removesuffix(".db.part"), thorough))
        return real(backup, thorough=thorough)

    monkeypatch.setattr(db_backup, "verify_backup", recorded)
    for kind in (KIND_DAILY, KIND_BULK):
        make_backup(path, kind)
    assert checks == [(KIND_DAILY, True), (KIND_BULK, False)]


def test_verification_refuses_a_foreign_database_and_a_text_file(tmp_path: Path) -> None:
    foreign = tmp_path / "other.db"
    with closing(sqlite3.connect(foreign)) as con:
        con.execute("PRAGMA application_id = 1234")
        con.execute("CREATE TABLE t (x)")
        con.commit()
    with pytest.raises(NotADatabaseError, match="不是 UnionDesk"):
        verify_backup(foreign)
    text_file = tmp_path / "notes.db"
    text_file.write_text("这不是数据库", encoding="utf-8")
    with pytest.raises(NotADatabaseError, match="不是 UnionDesk"):
        verify_backup(text_file)


def _fake(folder: Path, kind: str, made: datetime, number: int = 1) -> BackupFile:
    suffix = "" if number == 1 else f"_{number}"
    path = folder / f"union_{made:%Y-%m-%d_%H%M}_{kind}{suffix}.db"
    return BackupFile(path, kind, made, number, 4096, True)


def test_rotation_keeps_today_the_last_7_days_and_the_last_12_months(tmp_path: Path) -> None:
    today = date(2026, 12, 4)
    backups = []
    start = datetime(2025, 6, 1, 17, 0)
    for day in range(0, (datetime(2026, 12, 4) - start).days + 1, 3):  # every third day for 18 months
        backups.append(_fake(tmp_path, KIND_EXIT, start + timedelta(days=day)))
    morning, noon = datetime(2026, 12, 4, 8, 0), datetime(2026, 12, 4, 12, 0)
    today_made = [_fake(tmp_path, KIND_DAILY, morning), _fake(tmp_path, KIND_BULK, noon),
                  _fake(tmp_path, KIND_BULK, noon, 2)]  # fmt: skip
    kept_on_purpose = [
        _fake(tmp_path, KIND_MANUAL, datetime(2024, 1, 1, 9, 0)),
        _fake(tmp_path, KIND_UPGRADE, datetime(2024, 2, 1, 9, 0)),
        _fake(tmp_path, KIND_RESTORE, datetime(2024, 3, 1, 9, 0)),
    ]
    backups += today_made + kept_on_purpose
    keep = rotation_keeps(backups, today)

    automatic = [b for b in backups if b.kind in (KIND_DAILY, KIND_EXIT, KIND_BULK)]
    days = sorted({b.made.date() for b in automatic}, reverse=True)[:7]
    newest_of_day = {
        d: max((b for b in automatic if b.made.date() == d), key=lambda b: b.order) for d in days
    }
    months = sorted({(b.made.year, b.made.month) for b in automatic}, reverse=True)[:12]
    newest_of_month = {
        m: max((b for b in automatic if (b.made.year, b.made.month) == m), key=lambda b: b.order)
        for m in months
    }
    expected = (
        {b.path for b in today_made}
        | {b.path for b in newest_of_day.values()}
        | {b.path for b in newest_of_month.values()}
        | {b.path for b in kept_on_purpose}
    )
    assert keep == expected
    kept_months = {(b.made.year, b.made.month) for b in automatic if b.path in keep}
    assert min(kept_months) == (2026, 1) and len(kept_months) == 12  # nothing from 2025
    kept_days = {b.made.date() for b in automatic if b.path in keep and b.made >= datetime(2026, 11, 1)}
    last_six = sorted({b.made.date() for b in automatic if b.kind == KIND_EXIT}, reverse=True)[:6]
    assert kept_days == {today, *last_six}  # November's newest is one of them
    assert newest_of_day[today].kind == KIND_BULK and newest_of_day[today].number == 2


def test_a_day_without_backups_does_not_count_as_one_of_the_seven(tmp_path: Path) -> None:
    backups = [_fake(tmp_path, KIND_DAILY, datetime(2026, 3, d, 8, 0)) for d in (2, 3, 4, 5, 6, 9, 10, 20)]
    keep = rotation_keeps(backups, date(2026, 3, 20))
    assert {b.made.day for b in backups if b.path in keep} == {3, 4, 5, 6, 9, 10, 20}  # not the 2nd


def test_rotation_deletes_only_automatic_backups_after_a_checked_one(tmp_path: Path) -> None:
    path = _union(tmp_path / "union.db")
    made = [make_backup(path, KIND_DAILY, now=datetime(2026, 1, d, 8, 0)).backup.path for d in range(1, 11)]
    manual = make_backup(path, KIND_MANUAL, now=datetime(2026, 1, 1, 9, 0)).backup.path
    latest = make_backup(path, KIND_DAILY, now=datetime(2026, 1, 11, 8, 0))
    assert latest.removed == (made[3],)  # each backup dropped the eighth day back: now the 4th
    left = {p.name for p in default_folder(path).iterdir()}
    assert left == {p.name for p in (*made[4:], latest.backup.path, manual)}


def test_a_write_of_more_than_100_rows_is_backed_up_first_and_100_is_not(tmp_path: Path) -> None:
    path = _union(tmp_path / "union.db")
    folder = default_folder(path)
    db = open_database(path, auto_backup=True)
    try:
        with db.session() as session:
            session.execute(insert(AppSetting), [{"key": f"a{i}", "value": "x"} for i in range(100)])
        assert not folder.exists() or list(folder.iterdir()) == []
        with db.session() as session:
            session.execute(insert(AppSetting), [{"key": f"b{i}", "value": "x"} for i in range(101)])
        (backup,) = list_backups(folder, "union")
        assert backup.kind == KIND_BULK  # holding the state before that write
        assert (_settings_like(backup.path, "a"), _settings_like(backup.path, "b")) == (100, 0)
        with db.session() as session:  # rows the ORM flushes at commit count too
            session.add_all(AppSetting(key=f"c{i}", value="x") for i in range(150))
        assert len(list_backups(folder, "union")) == 2
        assert db.writes == 3
    finally:
        db.close()


def test_a_backup_started_ahead_of_a_bulk_write_is_the_one_it_keeps(tmp_path: Path) -> None:
    path = _union(tmp_path / "union.db")
    folder = default_folder(path)
    db = open_database(path, auto_backup=True)
    try:
        with db.session() as session:
            session.execute(insert(AppSetting), [{"key": f"a{i}", "value": "x"} for i in range(50)])
        db.back_up_ahead()
        with db.session() as session:  # the write planned meanwhile
            session.execute(insert(AppSetting), [{"key": f"b{i}", "value": "x"} for i in range(300)])
            ahead = db._ahead
            assert ahead is not None
            ahead.wait()
            made_ahead = list_backups(folder, "union")
        assert db._ahead is None
        (backup,) = list_backups(folder, "union")  # one backup, not one ahead and one at commit
        assert made_ahead == [backup]
        assert backup.kind == KIND_BULK and backup.intact
        assert (_settings_like(backup.path, "a"), _settings_like(backup.path, "b")) == (50, 0)
        assert not list(folder.glob("*.part"))
    finally:
        db.close()


def test_a_commit_after_the_backup_ahead_makes_the_bulk_write_take_a_new_one(tmp_path: Path) -> None:
    path = _union(tmp_path / "union.db")
    folder = default_folder(path)
    db = open_database(path, auto_backup=True)
    try:
        db.back_up_ahead()
        assert db._ahead is not None
        db._ahead.wait()
        with closing(sqlite3.connect(path)) as other:  # another program writes in between
            other.executemany(
                "INSERT INTO app_settings (key, value) VALUES (?, 'x')", [(f"a{i}",) for i in range(5)]
            )
            other.commit()
        with db.session() as session:
            session.execute(insert(AppSetting), [{"key": f"b{i}", "value": "x"} for i in range(300)])
        (backup,) = list_backups(folder, "union")  # the one ahead is gone: it lacked the five
        assert (_settings_like(backup.path, "a"), _settings_like(backup.path, "b")) == (5, 0)
    finally:
        db.close()


def test_a_backup_ahead_nothing_claims_is_deleted(tmp_path: Path) -> None:
    path = _union(tmp_path / "union.db")
    folder = default_folder(path)
    db = open_database(path, auto_backup=True)
    try:
        db.back_up_ahead()
        ahead = db._ahead
        assert ahead is not None
        with db.session() as session:  # a small write: no backup needed, the one ahead stays
            session.add(AppSetting(key="one", value="x"))
        assert db._ahead is ahead
        db.drop_backup_ahead()  # e.g. the preview was closed without importing
        ahead.wait()
        assert list_backups(folder, "union") == [] and not list(folder.glob("*.part"))
        db.back_up_ahead()
        kept = db._ahead
        assert kept is not None
    finally:
        db.close()  # closing drops it too
    kept.wait()
    assert list_backups(folder, "union") == []


def test_no_backup_ahead_when_automatic_backups_are_off(tmp_path: Path) -> None:
    path = _union(tmp_path / "union.db")
    db = open_database(path, auto_backup=False)
    try:
        db.back_up_ahead()
        assert db._ahead is None
    finally:
        db.close()


def test_a_backup_told_to_stop_leaves_nothing_behind(tmp_path: Path) -> None:
    path = _union(tmp_path / "union.db")
    folder = default_folder(path)
    with pytest.raises(BackupStopped):
        make_backup(path, KIND_MANUAL, stop=lambda: True)
    assert list(folder.iterdir()) == []
    made = make_backup(path, KIND_MANUAL, stop=lambda: False)  # copied in steps, asked between them
    assert made.backup.intact and _profile_name(made.backup.path) == "某某公司工会"


def test_automatic_backups_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _union(tmp_path / "union.db")
    monkeypatch.setenv("UNIONDESK_AUTO_BACKUP", "0")
    db = open_database(path)
    try:
        assert not db.auto_backup
        with db.session() as session:
            session.execute(insert(AppSetting), [{"key": f"k{i}", "value": "x"} for i in range(500)])
    finally:
        db.close()
    assert list_backups(default_folder(path), "union") == []


def test_a_failed_backup_before_a_bulk_write_does_not_stop_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    path = _union(tmp_path / "union.db")

    def full(*_args: object, **_kwargs: object) -> object:
        raise BackupFolderError("备份文件夹所在的磁盘已满", disk_full=True)

    monkeypatch.setattr(db_backup, "make_backup", full)
    db = open_database(path, auto_backup=True)
    try:
        with db.session() as session:
            session.execute(insert(AppSetting), [{"key": f"k{i}", "value": "x"} for i in range(200)])
        with db.reader() as session:
            assert session.execute(text("SELECT count(*) FROM app_settings")).scalar() == 200
    finally:
        db.close()
    assert "自动备份没有完成" in caplog.text and "磁盘已满" in caplog.text


def test_a_migration_without_its_backup_does_not_happen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.db as app_db

    path = _union(tmp_path / "union.db")
    with closing(sqlite3.connect(path)) as con:  # pretend it is an older 账套: one step behind
        con.execute("UPDATE alembic_version SET version_num = '0009'")
        con.commit()
    before = path.read_bytes()

    def full(*_args: object, **_kwargs: object) -> object:
        raise BackupFolderError("备份文件夹所在的磁盘已满", disk_full=True)

    monkeypatch.setattr(app_db, "make_backup", full)
    with pytest.raises(DiskFullError, match="升级前必须先备份"):
        open_database(path)
    assert path.read_bytes() == before
