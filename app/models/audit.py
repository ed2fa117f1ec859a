"""The audit log: every create, update and delete, with before and after."""

from __future__ import annotations

import getpass
import json
from datetime import date, datetime

from sqlalchemy import DateTime, Index, String, Text, event, insert, inspect, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.models.base import Base, now

DELETED = "删除"  # the action of an entry that removed its record


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (
        # the deletions by record: what a deleted record was called, when an entry names it
        Index("ix_audit_log_deleted", "entity", "entity_id", sqlite_where=text(f"action = '{DELETED}'")),
        {"info": {"label": "操作日志"}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=now, index=True)
    actor: Mapped[str] = mapped_column(String(50), default="")
    action: Mapped[str] = mapped_column(String(10))  # 新增 / 修改 / 删除 / 批量
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column()
    summary: Mapped[str] = mapped_column(String(200), default="")
    before: Mapped[str | None] = mapped_column(Text)  # JSON
    after: Mapped[str | None] = mapped_column(Text)  # JSON


def _plain(value: object) -> object:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


_SKIPPED = frozenset({"updated_at", "created_at"})

# session.info[TOUCHED]: the names of the tables a unit of work changed, from which the
# GUI announces what changed. The audit log itself is bookkeeping and never reported.
TOUCHED = "touched"
_NOT_REPORTED = frozenset({"audit_log"})


def note_touched(session: Session, table: str) -> None:
    """Remember that this unit of work wrote to ``table``."""
    if table not in _NOT_REPORTED:
        session.info.setdefault(TOUCHED, set()).add(table)


_HIDDEN = "（已隐藏）"


def _hidden(obj: Base) -> frozenset[str]:
    """Columns whose values the log must not keep (a password's hash): only that they changed."""
    hidden = getattr(obj, "audit_hidden_columns", None)
    return hidden() if callable(hidden) else frozenset()


def _columns(obj: Base) -> dict[str, object]:
    mapper = inspect(obj).mapper
    hidden = _hidden(obj)
    return {
        attr.key: _HIDDEN if attr.key in hidden else _plain(getattr(obj, attr.key))
        for attr in mapper.column_attrs
        if attr.key not in _SKIPPED
    }


def _changes(obj: Base) -> tuple[dict[str, object], dict[str, object]]:
    state = inspect(obj)
    before: dict[str, object] = {}
    after: dict[str, object] = {}
    hidden = _hidden(obj)
    for attr in state.mapper.column_attrs:
        if attr.key in _SKIPPED:
            continue
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old != new:
            before[attr.key] = _HIDDEN if attr.key in hidden else _plain(old)
            after[attr.key] = _HIDDEN if attr.key in hidden else _plain(new)
    return before, after


def _describe(obj: Base, session: Session) -> str:
    label = obj.__table__.info.get("label", obj.__tablename__)  # type: ignore[attr-defined]
    describe = getattr(obj, "audit_name", None)  # a record named by what it refers to
    name = describe(session.connection()) if callable(describe) else None
    name = name or getattr(obj, "name", None) or getattr(obj, "kind", None)
    return f"{label}：{name}" if name else str(label)


def _audit_after_flush(session: Session, _context: object) -> None:
    actor = session_actor(session)
    rows: list[dict[str, object]] = []

    def add(action: str, obj: Base, before: object, after: object) -> None:
        note_touched(session, obj.__table__.name)  # type: ignore[attr-defined]
        rows.append(
            {
                "at": now(),
                "actor": actor,
                "action": action,
                "entity": obj.__tablename__,
                "entity_id": getattr(obj, "id", None),
                "summary": _describe(obj, session)[:200],
                "before": None if before is None else json.dumps(before, ensure_ascii=False),
                "after": None if after is None else json.dumps(after, ensure_ascii=False),
            }
        )

    for obj in session.new:
        if isinstance(obj, Base) and not isinstance(obj, AuditEntry):
            add("新增", obj, None, _columns(obj))
    for obj in session.dirty:
        if isinstance(obj, Base) and not isinstance(obj, AuditEntry):
            before, after = _changes(obj)
            if after:
                add("修改", obj, before, after)
    for obj in session.deleted:
        if isinstance(obj, Base) and not isinstance(obj, AuditEntry):
            add(DELETED, obj, _columns(obj), None)
    if rows:
        session.connection().execute(insert(AuditEntry), rows)


def current_actor() -> str:
    """The computer's login name."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (service accounts, odd containers)
        return "未知用户"


_ACTOR = "actor"


def session_actor(session: Session) -> str:
    """Who the log says did what the session writes: the name given to the session, else the
    union's 经办人 with the computer's login name — "王秀兰（Administrator）" reads better than
    the login alone, and two people sharing one computer still differ by it — else the login."""
    actor = session.info.get(_ACTOR)
    if actor:
        return str(actor)
    login = current_actor()
    handler = session.connection().exec_driver_sql("SELECT handler FROM union_profile LIMIT 1").scalar()
    actor = f"{handler.strip()}（{login}）"[:50] if isinstance(handler, str) and handler.strip() else login
    session.info[_ACTOR] = actor  # once per session: its later flushes say the same
    return actor


def install_audit_log() -> None:
    """Record every ORM create/update/delete of any session in the audit log, and the
    tables it changed in ``session.info[TOUCHED]``."""
    if not event.contains(Session, "after_flush", _audit_after_flush):
        event.listen(Session, "after_flush", _audit_after_flush)


def record_bulk(session: Session, entity: str, summary: str, count: int) -> None:
    """Bulk Core inserts bypass the ORM events: log them as one 批量 entry."""
    session.add(
        AuditEntry(
            actor=session_actor(session),
            action="批量",
            entity=entity,
            summary=summary[:200],
            after=json.dumps({"count": count}, ensure_ascii=False),
        )
    )
