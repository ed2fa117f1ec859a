import json

from sqlalchemy import select

from app.db import Database
from app.models import AuditEntry
from app.services.system import get_setting, set_setting


def test_a_setting_is_stored_changed_and_removed(db: Database) -> None:
    with db.session() as session:
        assert get_setting(session, "backup.folder") is None
        set_setting(session, "backup.folder", "/media/usb")
    with db.session() as session:
        assert get_setting(session, "backup.folder") == "/media/usb"
        set_setting(session, "backup.folder", "/media/other")
    with db.session() as session:
        assert get_setting(session, "backup.folder") == "/media/other"
        set_setting(session, "backup.folder", None)
    with db.session() as session:
        assert get_setting(session, "backup.folder") is None


def test_the_audit_log_keeps_that_a_secret_changed_never_its_value(db: Database) -> None:
    with db.session() as session:
        set_setting(session, "secret.password", "scrypt$salt$hash-one")
        set_setting(session, "backup.folder", "/media/usb")
    with db.session() as session:
        set_setting(session, "secret.password", "scrypt$salt$hash-two")
    with db.session() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.entity == "app_settings")).all()
    logged = " ".join(f"{e.before} {e.after}" for e in entries)
    assert "hash-one" not in logged and "hash-two" not in logged
    assert "/media/usb" in logged
    changed = [e for e in entries if e.action == "修改"]
    assert len(changed) == 1 and json.loads(changed[0].after or "{}") == {"value": "（已隐藏）"}
