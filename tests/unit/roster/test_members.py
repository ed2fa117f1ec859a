import json
from datetime import date

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.domain.members import MemberInput
from app.models import AuditEntry, DuesBaseWage, Member, MembershipEvent
from app.services.errors import UserError, ValidationError
from app.services.roster.groups import add_group
from app.services.roster.members import change_status, create_member, delete_member, get_member, update_member

TODAY = date(2026, 11, 20)


def member(**overrides: object) -> MemberInput:
    data = MemberInput(name="张伟", id_number="11010519491231002x", joined_on=date(2010, 3, 1))
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


def test_create_fills_birth_date_sex_pinyin_and_join_event(db: Database) -> None:
    with db.session() as session:
        member_id = create_member(session, member(dues_wage_fen=308500), today=TODAY)
    with db.session() as session:
        row = session.get(Member, member_id)
        assert row is not None
        assert (row.id_number, row.birth_date, row.gender) == ("11010519491231002X", date(1949, 12, 31), "女")
        assert (row.pinyin_full, row.pinyin_initials, row.status) == ("zhang wei", "zw", "在会")
        events = session.scalars(select(MembershipEvent)).all()
        assert [(e.kind, e.event_date) for e in events] == [("入会", date(2010, 3, 1))]
        wage = session.scalars(select(DuesBaseWage)).one()
        assert (wage.wage_fen, wage.effective_from) == (308500, date(2010, 3, 1))


def test_every_bad_field_is_named_and_nothing_is_written(db: Database) -> None:
    data = member(name="", id_number="110105194912310021", phone="12345", joined_on=date(2030, 1, 1))
    with pytest.raises(ValidationError) as caught, db.session() as session:
        create_member(session, data, today=TODAY)
    assert set(caught.value.errors) >= {"name", "id_number", "phone", "joined_on"}
    assert "校验位" in caught.value.errors["id_number"]
    assert "姓名" in str(caught.value)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Member)) == 0


def test_birth_date_contradicting_the_id_is_an_error(db: Database) -> None:
    with pytest.raises(ValidationError) as caught, db.session() as session:
        create_member(session, member(birth_date=date(1950, 1, 1), gender="男"), today=TODAY)
    assert "不一致" in caught.value.errors["birth_date"]
    assert "不一致" in caught.value.errors["gender"]


def test_duplicate_id_names_the_existing_member(db: Database) -> None:
    with db.session() as session:
        group = add_group(session, "一车间")
        create_member(session, member(group_id=group), today=TODAY)
    with pytest.raises(ValidationError) as caught, db.session() as session:
        create_member(session, member(name="张薇", id_number="110105491231002"), today=TODAY)
    message = caught.value.errors["id_number"]
    assert "张伟" in message and "一车间" in message


def test_duplicate_card_number(db: Database) -> None:
    with db.session() as session:
        create_member(session, member(card_number="HD001"), today=TODAY)
    with pytest.raises(ValidationError) as caught, db.session() as session:
        create_member(
            session, member(name="李娜", id_number="440524198001010013", card_number="HD001"), today=TODAY
        )
    assert "张伟" in caught.value.errors["card_number"]


def test_member_without_chinese_id(db: Database) -> None:
    data = member(
        id_type="港澳居民来往内地通行证", id_number="H12345678", gender="男", birth_date=date(1990, 5, 1)
    )
    with db.session() as session:
        member_id = create_member(session, data, today=TODAY)
        assert session.get(Member, member_id).id_number == "H12345678"  # type: ignore[union-attr]
    with pytest.raises(ValidationError) as caught, db.session() as session:
        create_member(session, member(id_type="护照", id_number="", name="王五"), today=TODAY)
    assert "性别" in str(caught.value)


def test_update_records_a_new_wage_period_and_audit(db: Database) -> None:
    with db.session() as session:
        member_id = create_member(session, member(dues_wage_fen=500000), today=TODAY)
    with db.session() as session:
        data = get_member(session, member_id).data
        data.phone = "13800138000"
        data.dues_wage_fen = 520000
        update_member(session, member_id, data, today=TODAY)
    with db.session() as session:
        detail = get_member(session, member_id)
        assert [(w.effective_from, w.wage_fen) for w in detail.wages] == [
            (date(2010, 3, 1), 500000),
            (TODAY, 520000),
        ]
        change = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "members", AuditEntry.action == "修改")
        ).one()
        assert json.loads(change.before or "{}") == {"phone": ""}
        assert json.loads(change.after or "{}") == {"phone": "13800138000"}


def test_status_changes_follow_the_lifecycle(db: Database) -> None:
    with db.session() as session:
        member_id = create_member(session, member(), today=TODAY)
    with db.session() as session:
        assert (
            change_status(session, member_id, "退休保留会籍", date(2026, 1, 1), "退休", today=TODAY)
            == "保留会籍"
        )
    with db.session() as session:
        row = session.get(Member, member_id)
        assert row is not None and row.category == "退休保留会籍"
    with pytest.raises(ValidationError, match="不能办理“转出”"), db.session() as session:
        change_status(session, member_id, "转出", date(2026, 2, 1), "调走", today=TODAY)
    with pytest.raises(ValidationError, match="早于上一次"), db.session() as session:
        change_status(session, member_id, "去世", date(2025, 12, 1), "因病", today=TODAY)
    with pytest.raises(ValidationError, match="请填写原因"), db.session() as session:
        change_status(session, member_id, "去世", date(2026, 3, 1), " ", today=TODAY)
    with pytest.raises(ValidationError, match="晚于今天"), db.session() as session:
        change_status(session, member_id, "去世", date(2027, 3, 1), "因病", today=TODAY)
    with db.session() as session:
        assert change_status(session, member_id, "去世", date(2026, 3, 1), "因病", today=TODAY) == "已去世"
    with pytest.raises(ValidationError, match="不能办理"), db.session() as session:
        change_status(session, member_id, "恢复", date(2026, 4, 1), "误操作", today=TODAY)
    with db.session() as session:
        history = get_member(session, member_id).events
        assert [e.kind for e in history] == ["入会", "退休保留会籍", "去世"]
        assert [e.status_after for e in history] == ["在会", "保留会籍", "已去世"]


def test_transfer_out_and_back_in(db: Database) -> None:
    with db.session() as session:
        member_id = create_member(session, member(), today=TODAY)
        change_status(session, member_id, "转出", date(2020, 1, 1), "调往分公司", today=TODAY)
        assert change_status(session, member_id, "转入", date(2022, 1, 1), "", today=TODAY) == "在会"


def test_delete_only_a_member_without_history(db: Database) -> None:
    with db.session() as session:
        mistake = create_member(session, member(dues_wage_fen=100000), today=TODAY)
        kept = create_member(session, member(name="李娜", id_number="440524198001010013"), today=TODAY)
        change_status(session, kept, "转出", date(2020, 1, 1), "调走", today=TODAY)
    with pytest.raises(UserError, match="会籍变动记录 1 条"), db.session() as session:
        delete_member(session, kept)
    with db.session() as session:
        assert delete_member(session, mistake) == "张伟"
    with db.session() as session:
        assert session.get(Member, mistake) is None
        assert session.get(Member, kept) is not None
        assert session.scalar(select(func.count()).select_from(DuesBaseWage)) == 0
        deleted = session.scalars(select(AuditEntry).where(AuditEntry.action == "删除")).all()
        assert {e.entity for e in deleted} == {"members", "membership_events", "dues_base_wages"}
        member_row = next(e for e in deleted if e.entity == "members")
        assert json.loads(member_row.before or "{}")["name"] == "张伟"
