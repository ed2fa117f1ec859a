import os
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from app.db import (
    APPLICATION_ID,
    BUSY_TIMEOUT,
    CorruptDatabaseError,
    LockedDatabaseError,
    NewerVersionError,
    NotADatabaseError,
    ReadOnlyDatabaseError,
    open_database,
)
from app.db_file import inspect_file, is_current, needs_full_check
from app.migrations import HEAD, KNOWN_REVISIONS
from app.models import UnionProfile


def test_new_file_is_created_with_pragmas(tmp_path: Path) -> None:
    db = open_database(tmp_path / "sub" / "new.db")
    with db.session() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
        assert session.execute(text("PRAGMA application_id")).scalar() == APPLICATION_ID
        assert session.execute(text("PRAGMA busy_timeout")).scalar() == BUSY_TIMEOUT * 1000
    with db.reader() as session:
        assert session.execute(text("PRAGMA busy_timeout")).scalar() == BUSY_TIMEOUT * 1000
        assert session.execute(text("PRAGMA query_only")).scalar() == 1
    db.close()


def test_session_rolls_back_on_error(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError), db.session() as session:
        session.add(UnionProfile(id=1, name="不应保存"))
        session.flush()
        raise RuntimeError("boom")
    with db.session() as session:
        assert session.get(UnionProfile, 1) is None


def test_foreign_keys_are_enforced(db) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.exc import IntegrityError

    from app.models import MembershipEvent

    with pytest.raises(IntegrityError), db.session() as session:
        session.add(
            MembershipEvent(
                member_id=999,
                kind="入会",
                event_date=__import__("datetime").date(2020, 1, 1),
                status_after="在会",
            )
        )
        session.flush()


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "roster.db"
    path.write_bytes(b"PK\x03\x04 this is really an xlsx file" * 10)
    with pytest.raises(NotADatabaseError, match="不是 UnionDesk 账套文件"):
        open_database(path)
    assert path.read_bytes().startswith(b"PK")


def test_foreign_sqlite_database_is_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE things (x)")
    before = path.read_bytes()
    with pytest.raises(NotADatabaseError, match="不是 UnionDesk 账套"):
        open_database(path)
    assert path.read_bytes() == before


def test_corrupt_database(tmp_path: Path) -> None:
    path = tmp_path / "bad.db"
    db = open_database(path)
    with db.session() as session:
        session.add(UnionProfile(id=1, name="某工会"))
    db.close()
    data = bytearray(path.read_bytes())
    data[100 : 4096 * 2] = b"\xff" * (4096 * 2 - 100)  # wreck the schema page
    path.write_bytes(bytes(data))
    with pytest.raises(CorruptDatabaseError, match="已损坏"):
        open_database(path)


def test_truncated_database(tmp_path: Path) -> None:
    path = tmp_path / "cut.db"
    db = open_database(path)
    db.close()
    path.write_bytes(path.read_bytes()[:1500])
    with pytest.raises(CorruptDatabaseError):
        open_database(path)


def _with_log(path: Path) -> None:
    """A 账套 whose audit log fills some pages of its own."""
    db = open_database(path)
    with db.session() as session:
        session.execute(
            text(
                "INSERT INTO audit_log (at, actor, action, entity, summary) VALUES (:at, '', '新增', 'x', :s)"
            ),
            [{"at": "2026-01-01 00:00:00", "s": f"第 {n} 条" * 20} for n in range(400)],
        )
    db.close()


def _damaged_table(path: Path) -> bytes:
    """A 账套 whose audit log's root page is wrecked: its header, schema and revision read
    fine, so only reading every page (or the log itself) finds the damage."""
    _with_log(path)
    with sqlite3.connect(path) as con:
        (root,) = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'audit_log'").fetchone()
        (size,) = con.execute("PRAGMA page_size").fetchone()
    con.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * size : root * size] = b"\xff" * size
    path.write_bytes(bytes(data))
    return bytes(data)


def test_damaged_page_is_found_where_every_page_is_read(tmp_path: Path) -> None:
    path = tmp_path / "union.db"
    before = _damaged_table(path)
    assert not needs_full_check(path)  # closed cleanly, whole: the header and schema are sound
    with pytest.raises(CorruptDatabaseError, match="已损坏"):
        is_current(path)  # the window reads every page of the file it starts with
    with pytest.raises(CorruptDatabaseError, match="已损坏"):
        inspect_file(path)
    assert path.read_bytes() == before
    # a command opens it on the header and schema alone; what reads the damage is refused
    db = open_database(path)
    try:
        with pytest.raises(CorruptDatabaseError, match="已损坏"), db.session() as session:
            session.execute(text("SELECT summary FROM audit_log")).all()
    finally:
        db.close()
    assert path.read_bytes() == before


def test_damaged_file_left_open_is_refused(tmp_path: Path) -> None:
    """After a crash (its write-ahead log still beside it) every page is read on opening."""
    source = tmp_path / "source.db"
    _damaged_table(source)
    holder = sqlite3.connect(source, isolation_level=None)
    try:
        holder.execute("UPDATE union_profile SET name = name")  # the log exists while it is open
        holder.execute("INSERT INTO import_mappings (kind, signature, fields_json, updated_at) "
                       "VALUES ('x', 'y', '{}', '2026-01-01 00:00:00')")  # fmt: skip
        path = tmp_path / "union.db"
        for tail in ("", "-wal"):  # copied as a crash leaves it
            (tmp_path / f"union.db{tail}").write_bytes((tmp_path / f"source.db{tail}").read_bytes())
    finally:
        holder.close()
    assert needs_full_check(path)
    with pytest.raises(CorruptDatabaseError, match="已损坏"):
        open_database(path)
    with sqlite3.connect(path) as con:  # only SQLite's own recovery of what was committed
        assert con.execute("SELECT kind FROM import_mappings").fetchall() == [("x",)]
    con.close()


def test_damaged_file_is_not_migrated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import app.db as app_db
    import app.db_file as db_file

    path = tmp_path / "union.db"
    before = _damaged_table(path)
    monkeypatch.setattr(app_db, "HEAD", _NEXT)  # a release whose head is after the file's
    monkeypatch.setattr(db_file, "KNOWN_REVISIONS", KNOWN_REVISIONS | {_NEXT})
    with pytest.raises(CorruptDatabaseError, match="已损坏"):
        open_database(path)
    assert path.read_bytes() == before
    assert {p.name for p in tmp_path.iterdir()} == {"union.db"}  # no copy made


def test_file_cut_at_a_page_boundary_is_refused(tmp_path: Path) -> None:
    """A copy cut short by whole pages: its header says how long it should be (SQLite itself
    refuses it too), so every page is read."""
    path = tmp_path / "cut.db"
    _with_log(path)
    assert not needs_full_check(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 4096])
    assert needs_full_check(path)
    with pytest.raises(CorruptDatabaseError, match="已损坏"):
        open_database(path)


def test_newer_version_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    db = open_database(path)
    db.close()
    with sqlite3.connect(path) as con:
        con.execute("UPDATE alembic_version SET version_num = '9999'")
    before = path.read_bytes()
    with pytest.raises(NewerVersionError, match="更新版本"):
        open_database(path)
    assert path.read_bytes() == before


def test_read_only_file(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    db = open_database(path)
    db.close()
    os.chmod(path, stat.S_IRUSR | stat.S_IRGRP)
    try:
        with pytest.raises(ReadOnlyDatabaseError, match="只读"):
            open_database(path)
    finally:
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)


def test_locked_database(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    db = open_database(path)
    db.close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(LockedDatabaseError, match="正被其他程序使用"):
            open_database(path, busy_timeout=0.2)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_unknown_old_revision_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "odd.db"
    db = open_database(path)
    db.close()
    with sqlite3.connect(path) as con:
        con.execute("UPDATE alembic_version SET version_num = '0000'")
    with pytest.raises(NewerVersionError):
        open_database(path)


_NEXT = f"{int(HEAD) + 1:04d}"
_NEXT_REVISION = f"""
import sqlalchemy as sa
from alembic import op

revision = "{_NEXT}"
down_revision = "{HEAD}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("union_profile") as batch:
        batch.add_column(sa.Column("motto", sa.String(50), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("union_profile") as batch:
        batch.drop_column("motto")
"""


def test_older_file_is_copied_aside_then_migrated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulate the next release: a migration on top of today's head."""
    import shutil

    import app.db as app_db

    path = tmp_path / "union.db"
    db = open_database(path)
    with db.session() as session:
        session.add(UnionProfile(id=1, name="老账套"))
    db.close()

    scripts = tmp_path / "migrations"
    shutil.copytree(app_db.migrations_folder(), scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / f"{_NEXT}_add_motto.py").write_text(_NEXT_REVISION, encoding="utf-8")
    monkeypatch.setattr(app_db, "migrations_folder", lambda: scripts)
    import app.db_file as db_file

    monkeypatch.setattr(app_db, "HEAD", _NEXT)
    monkeypatch.setattr(db_file, "HEAD", _NEXT)
    monkeypatch.setattr(db_file, "KNOWN_REVISIONS", KNOWN_REVISIONS | {_NEXT})

    db = open_database(path)
    assert db.migrated_backup is not None and db.migrated_backup.exists()
    with db.session() as session:
        assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == _NEXT
        assert session.execute(text("SELECT name, motto FROM union_profile")).one() == ("老账套", "")
    db.close()
    with sqlite3.connect(db.migrated_backup) as con:  # the copy is the file as it was
        assert con.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
        assert con.execute("SELECT name FROM union_profile").fetchone() == ("老账套",)


def test_known_revisions_match_the_scripts() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    import app.migrations as migrations

    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    scripts = ScriptDirectory.from_config(config)
    assert scripts.get_current_head() == HEAD
    assert {rev.revision for rev in scripts.walk_revisions()} == KNOWN_REVISIONS


def test_models_match_migrations(db) -> None:  # type: ignore[no-untyped-def]
    """The migrations create exactly the tables and columns the models declare."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from app.models import Base

    def comparable(obj: object, name: str | None, kind: str, reflected: bool, compare_to: object) -> bool:
        # Alembic cannot compare SQLite's partial indexes (it sees the reflected one as extra);
        # they are checked by their SQL below instead.
        return not (kind == "index" and name in PARTIAL_INDEXES)

    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": comparable})
        diff = compare_metadata(context, Base.metadata)
        partial = dict(
            connection.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'index'").all()
        )
    assert diff == []
    for name, where in PARTIAL_INDEXES.items():
        assert partial[name].endswith(f"WHERE {where}")


PARTIAL_INDEXES = {"ix_dues_charges_unpaid": "paid_fen < due_fen"}


def test_a_0001_file_is_upgraded_by_the_shipped_migrations(tmp_path: Path) -> None:
    """A 账套 written by the first release opens in this one: backed up, then migrated."""
    from contextlib import closing

    from alembic import command
    from alembic.config import Config

    from app.db import _make_engine, migrations_folder
    from app.db_backup import default_folder

    path = tmp_path / "first-release.db"
    engine = _make_engine(path, foreign_keys=False, pooled=False)
    with engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", str(migrations_folder()))
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.exec_driver_sql(
            "INSERT INTO union_profile (id, name, unit_name, chair, handler, province, phone, address) VALUES (1, '老工会', '', '', '', '', '', '')"
        )
    engine.dispose()
    db = open_database(path)
    assert db.migrated_backup is not None and db.migrated_backup.name.endswith("_升级前.db")
    assert db.migrated_backup.parent == default_folder(path)  # in the 账套's backup folder
    with closing(sqlite3.connect(db.migrated_backup)) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    with db.session() as session:
        assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
        assert session.execute(text("SELECT name FROM union_profile")).scalar() == "老工会"
        assert session.execute(text("SELECT count(*) FROM import_mappings")).scalar() == 0
    db.close()
