"""A unit of work knows which tables it changed: the GUI announces what changed from
this, never from a list written by hand."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from app.db import TOUCHED, Database, insert_values
from app.domain.members import MemberInput
from app.models import AuditEntry, Group, Member, UnionProfile
from app.models.audit import record_bulk
from app.services.roster.groups import add_group
from app.services.roster.members import create_member

TODAY = date(2026, 11, 20)


def _add_member(session: Session) -> int:
    data = MemberInput(
        name="张伟", id_number="110105198001010016", joined_on=date(2010, 3, 1), dues_wage_fen=500000
    )
    return create_member(session, data, today=TODAY)


def test_adding_a_member_touches_its_tables_and_not_the_audit_log(db: Database) -> None:
    member_id, touched = db.write(_add_member, actor="测试")
    assert touched == {"members", "membership_events", "dues_base_wages"}
    with db.reader() as session:
        assert session.get(Member, member_id) is not None
        assert (session.scalar(select(func.count(AuditEntry.id))) or 0) >= 3  # audited, not reported


def test_a_read_touches_nothing(db: Database) -> None:
    db.write(_add_member)
    count, touched = db.write(lambda session: session.scalar(select(func.count(Member.id))))
    assert (count, touched) == (1, frozenset())


def test_an_edit_that_changes_nothing_touches_nothing(db: Database) -> None:
    member_id, _ = db.write(_add_member)

    def same_name(session: Session) -> None:
        member = session.get(Member, member_id)
        assert member is not None
        member.name = "张伟"

    assert db.write(same_name) == (None, frozenset())


def test_insert_values_touches_its_table(db: Database) -> None:
    def bulk(session: Session) -> None:
        insert_values(session, Group.__table__, ["name", "kind"], [("一车间", "部门"), ("二车间", "部门")])  # type: ignore[arg-type]
        record_bulk(session, "groups", "导入分组", 2)  # the audit entry is not reported

    assert db.write(bulk) == (None, frozenset({"groups"}))
    with db.reader() as session:
        assert session.scalar(select(func.count(Group.id))) == 2


def test_bulk_statements_through_the_session_touch_their_table(db: Database) -> None:
    def inserts(session: Session) -> None:
        session.execute(insert(Group), [{"name": "一车间", "kind": "部门", "sort_order": 0}])

    def updates(session: Session) -> None:
        session.execute(update(Group).values(sort_order=5))

    def deletes(session: Session) -> None:
        session.execute(delete(UnionProfile))

    assert db.write(inserts)[1] == {"groups"}
    assert db.write(updates)[1] == {"groups"}
    assert db.write(deletes)[1] == {"union_profile"}


def test_the_commits_final_flush_is_counted(db: Database) -> None:
    def unflushed(session: Session) -> None:
        session.add(UnionProfile(id=1, name="某工会"))
        assert session.info[TOUCHED] == set()  # nothing written yet

    assert db.write(unflushed) == (None, frozenset({"union_profile"}))


def test_a_write_session_keeps_the_set_in_its_info(db: Database) -> None:
    with db.session() as session:
        add_group(session, "一车间")
        assert session.info[TOUCHED] == {"groups"}
    with db.reader() as session:
        session.scalars(select(Group)).all()
        assert not session.info.get(TOUCHED)


def test_a_rolled_back_write_raises_and_reports_nothing(db: Database) -> None:
    reported: list[object] = []

    def fails(session: Session) -> None:
        add_group(session, "一车间")
        raise RuntimeError("中途失败")

    with pytest.raises(RuntimeError, match="中途失败"):
        reported.append(db.write(fails))
    assert reported == []
    with db.reader() as session:
        assert session.scalar(select(func.count(Group.id))) == 0
