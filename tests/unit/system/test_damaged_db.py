"""Damaged 账套 files (issue 7, defect 9): a typed error or a reported problem, never a
crash. Each damaged file is built here with raw sqlite3."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db import CorruptDatabaseError, Database, damaged_text, open_database
from app.db_file import inspect_file, is_current
from app.domain.members import MemberInput
from app.models import Member
from app.services.roster.members import create_member
from app.services.system.check import run_checks

TODAY = date(2026, 11, 20)


def _files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def test_damaged_schema_text_is_a_corrupt_database(tmp_path: Path) -> None:
    path = tmp_path / "union.db"
    open_database(path).close()
    with sqlite3.connect(path) as con:
        con.execute("PRAGMA writable_schema = ON")
        con.execute("UPDATE sqlite_master SET name = CAST(x'ff' AS TEXT) WHERE name = 'ix_audit_log_at'")
    before = path.read_bytes()
    with pytest.raises(CorruptDatabaseError, match="已损坏"):
        inspect_file(path)
    with pytest.raises(CorruptDatabaseError, match="已损坏"):
        is_current(path)  # the window's first look at the file
    with pytest.raises(CorruptDatabaseError, match="已损坏") as caught:
        open_database(path)  # what `check`, `member list` and `export` do first
    assert "恢复备份" not in str(caught.value)  # no such feature yet
    assert path.read_bytes() == before


def _member_with_undecodable_name(db: Database) -> int:
    with db.session() as session:
        member_id = create_member(
            session,
            MemberInput(name="张伟", id_number="11010519491231002x", joined_on=date(2010, 3, 1)),
            today=TODAY,
        )
    with sqlite3.connect(db.path) as con:
        con.execute("UPDATE members SET name = CAST(x'e5bca0ff' AS TEXT) WHERE id = ?", (member_id,))
    return member_id


def test_check_reports_text_that_is_not_utf8(db: Database) -> None:
    member_id = _member_with_undecodable_name(db)
    with db.reader() as session:
        report = run_checks(session)
    assert not report.ok
    damaged = [p for p in report.problems if "UTF-8" in p]
    assert len(damaged) == 1
    assert "members" in damaged[0] and f"id 为 {member_id} " in damaged[0] and "name 列" in damaged[0]
    # the checks after it still ran, reading the bad name with a replacement character
    assert "身份证号校验位" in report.checked and report.checked[-1].startswith("会费")
    assert len(report.problems) == 1
    # outside the check, text is read strictly again
    with pytest.raises(CorruptDatabaseError, match="文字已损坏"), db.reader() as session:
        session.scalars(select(Member.name)).all()


def test_damaged_text_names_table_row_and_column(db: Database) -> None:
    member_id = _member_with_undecodable_name(db)
    with sqlite3.connect(db.path) as con:
        con.execute("UPDATE members SET remark = CAST(x'c3' AS TEXT) WHERE id = ?", (member_id,))
        # text in a column declared as a number counts too; bytes stored as a blob do not
        con.execute("UPDATE members SET group_id = CAST(x'ff' AS TEXT) WHERE id = ?", (member_id,))
        con.execute("UPDATE members SET phone = x'ff' WHERE id = ?", (member_id,))
    with db.reader() as session:
        found = damaged_text(session)
    assert sorted((d.table, d.row_id, d.column) for d in found) == [
        ("members", member_id, "group_id"),
        ("members", member_id, "name"),
        ("members", member_id, "remark"),
    ]


def test_reading_damaged_text_elsewhere_is_a_typed_error(db: Database) -> None:
    _member_with_undecodable_name(db)
    with pytest.raises(CorruptDatabaseError, match="uniondesk check"), db.reader() as session:
        session.execute(select(Member.name)).all()


def test_a_revision_older_than_the_schema_is_refused_and_nothing_is_left_behind(tmp_path: Path) -> None:
    path = tmp_path / "union.db"
    open_database(path).close()
    with sqlite3.connect(path) as con:  # 0002's table exists, but 0001 is recorded
        con.execute("UPDATE alembic_version SET version_num = '0001'")
    assert {"import_mappings"} <= {
        r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    before = path.read_bytes()
    files = _files(tmp_path)
    with pytest.raises(CorruptDatabaseError, match="无法升级") as caught:
        open_database(path)
    assert "文件没有被改动" in str(caught.value)
    assert path.read_bytes() == before
    assert _files(tmp_path) == files  # no 升级前备份 copy, no journal left behind
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
