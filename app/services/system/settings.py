"""Settings kept in the 账套 itself (``app_settings``), so they travel with the file."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.models import AppSetting


def get_setting(session: Session, key: str) -> str | None:
    row = session.get(AppSetting, key)
    return None if row is None else row.value


def set_setting(session: Session, key: str, value: str | None) -> None:
    """Store ``value`` under ``key``; None removes the setting."""
    row = session.get(AppSetting, key)
    if value is None:
        if row is not None:
            session.delete(row)
        return
    if row is None:
        session.add(AppSetting(key=key, value=value))
    elif row.value != value:
        row.value = value
