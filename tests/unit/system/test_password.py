"""The 启动密码: scrypt with a salt, the rules for setting, changing and removing it, the
auto-lock minutes, and what the audit log and the start-up read of the file see."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db import Database
from app.models import AuditEntry
from app.services.errors import UserError, ValidationError
from app.services.system import get_setting, set_setting
from app.services.system.password import (
    DEFAULT_IDLE_MINUTES,
    IDLE_KEY,
    PASSWORD_KEY,
    PasswordRecordError,
    StoredPassword,
    change_password,
    check_password,
    hash_password,
    password_state,
    read_stored_password,
    remove_password,
    set_idle_minutes,
    set_password,
    verify_password,
)


def test_the_hash_is_scrypt_with_its_salt_and_parameters() -> None:
    stored = hash_password("工会2026")
    scheme, n, r, p, salt, key = stored.split("$")
    assert (scheme, n, r, p) == ("scrypt", "16384", "8", "1")
    assert len(bytes.fromhex(salt)) == 16
    expected = hashlib.scrypt("工会2026".encode(), salt=bytes.fromhex(salt), n=16384, r=8, p=1, dklen=32)
    assert bytes.fromhex(key) == expected
    assert hash_password("工会2026") != stored  # a fresh salt every time
    assert verify_password(stored, "工会2026")
    assert not verify_password(stored, "工会2025")
    assert not verify_password(stored, "")


@pytest.mark.parametrize(
    "record",
    [
        "",
        "plain-text-password",
        "bcrypt$16384$8$1$00$00",
        "scrypt$16384$8$1$zz$00",
        "scrypt$1000$8$1$0011$" + "00" * 32,  # n not a power of two
        "scrypt$1048576$8$1$0011$" + "00" * 32,  # would need 1 GiB: refused, not computed
        "scrypt$16384$8$1$$" + "00" * 32,  # no salt
        "scrypt$16384$8$1$0011$00",  # a key too short to mean anything
    ],
)
def test_a_record_that_is_not_ours_is_refused_not_trusted(record: str) -> None:
    with pytest.raises(PasswordRecordError, match="启动密码记录已损坏"):
        verify_password(record, "whatever")


def test_set_change_and_remove_follow_the_rules(db: Database) -> None:
    with db.session() as session:
        assert password_state(session).is_set is False
        assert password_state(session).idle_minutes == 0  # nothing locks without a password
        assert check_password(session, "anything")  # no password: anything goes
    with db.session() as session, pytest.raises(ValidationError) as short:
        set_password(session, "abc", "abc")
    assert short.value.errors == {"new": "至少要 4 个字符"}
    with db.session() as session, pytest.raises(ValidationError) as mismatch:
        set_password(session, "abcd", "abce")
    assert mismatch.value.errors == {"confirm": "两次输入的新密码不一样"}
    with db.session() as session:
        assert password_state(session).is_set is False  # nothing stored after a refusal
        set_password(session, "春天1234", "春天1234")
    with db.session() as session:
        state = password_state(session)
        assert state.is_set and state.idle_minutes == DEFAULT_IDLE_MINUTES
        assert check_password(session, "春天1234") and not check_password(session, "春天123")
    with db.session() as session, pytest.raises(UserError, match="已经设有启动密码"):
        set_password(session, "other1", "other1")
    with db.session() as session, pytest.raises(ValidationError) as wrong_old:
        change_password(session, "春天", "夏天5678", "夏天5678")
    assert wrong_old.value.errors == {"old": "原密码不对"}
    with db.session() as session, pytest.raises(ValidationError) as both:
        change_password(session, "春天", "夏", "夏")
    assert both.value.errors == {"old": "原密码不对", "new": "至少要 4 个字符"}
    with db.session() as session:
        assert check_password(session, "春天1234")  # unchanged by the refusals
        change_password(session, "春天1234", "夏天5678", "夏天5678", idle_minutes=3)
    with db.session() as session:
        assert check_password(session, "夏天5678") and not check_password(session, "春天1234")
        assert password_state(session).idle_minutes == 3
    with db.session() as session, pytest.raises(ValidationError, match="原密码不对"):
        remove_password(session, "春天1234")
    with db.session() as session:
        remove_password(session, "夏天5678")
    with db.session() as session:
        assert password_state(session).is_set is False
        assert get_setting(session, PASSWORD_KEY) is None and get_setting(session, IDLE_KEY) is None
    with db.session() as session, pytest.raises(UserError, match="没有设启动密码"):
        remove_password(session, "夏天5678")


def test_idle_minutes_need_a_password_and_stay_in_range(db: Database) -> None:
    with db.session() as session, pytest.raises(UserError, match="请先设置启动密码"):
        set_idle_minutes(session, 5)
    with db.session() as session:
        set_password(session, "abcd", "abcd")
        set_idle_minutes(session, 0)
    with db.session() as session:
        assert password_state(session).idle_minutes == 0  # 0: never locks
    with db.session() as session, pytest.raises(ValidationError, match="0 到 1440"):
        set_idle_minutes(session, -1)
    with db.session() as session:
        set_setting(session, IDLE_KEY, "not a number")  # a hand-edited file
    with db.session() as session:
        assert password_state(session).idle_minutes == DEFAULT_IDLE_MINUTES


def test_passwords_with_spaces_at_the_ends_are_refused(db: Database) -> None:
    with db.session() as session, pytest.raises(ValidationError, match="开头和结尾不能是空格"):
        set_password(session, " abcd", " abcd")


def test_the_audit_log_never_holds_the_hash(db: Database) -> None:
    with db.session() as session:
        set_password(session, "春天1234", "春天1234")
    with db.session() as session:
        first = get_setting(session, PASSWORD_KEY)
        change_password(session, "春天1234", "夏天5678", "夏天5678")
    with db.session() as session:
        second = get_setting(session, PASSWORD_KEY)
        remove_password(session, "夏天5678")
    with db.session() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.entity == "app_settings")).all()
    assert first and second and first != second
    logged = " ".join(f"{e.before} {e.after} {e.entity_id}" for e in entries)
    for secret in (first, second, first.split("$")[4], second.split("$")[5], "春天1234", "夏天5678"):
        assert secret not in logged
    assert {e.action for e in entries} >= {"新增", "修改", "删除"}  # that it changed is kept


def test_the_start_up_read_sees_the_hash_without_the_database_layer(db: Database, tmp_path: Path) -> None:
    assert read_stored_password(db.path) == StoredPassword(None, 0)
    with db.session() as session:
        set_password(session, "abcd", "abcd", idle_minutes=7)
    stored = read_stored_password(db.path)
    assert stored.hash is not None and verify_password(stored.hash, "abcd") and stored.idle_minutes == 7
    assert read_stored_password(tmp_path / "not-made-yet.db") == StoredPassword(None, 0)
    old = tmp_path / "old.db"  # a 账套 from before the settings table: no password
    with sqlite3.connect(old) as connection:
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32))")
        connection.execute("INSERT INTO alembic_version VALUES ('0009')")
    connection.close()
    assert read_stored_password(old) == StoredPassword(None, 0)


def test_a_file_that_cannot_be_asked_is_never_taken_for_one_without_password(tmp_path: Path) -> None:
    from app.db_file import DatabaseOpenError

    bad = tmp_path / "bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x07" * 4000)  # a header, then rubbish
    with pytest.raises(DatabaseOpenError):
        read_stored_password(bad)
