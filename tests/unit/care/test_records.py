"""Care records against a real 账套: the caps of its 省份 and its own, the reason a record
over a cap needs, the refusal of a shopping card, and the dues warning."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, update

from app.db import Database
from app.domain.care import FORBIDDEN_RULE, Cap, Occasion
from app.domain.members import MemberInput
from app.domain.yearmonth import YearMonth
from app.models import CareRecord
from app.services.care import CareInput, check_record, list_care, record_care, set_cap
from app.services.errors import UserError, ValidationError
from app.services.roster import create_member
from app.services.system import ProfileData, save_profile

TODAY = date(2026, 12, 1)


@pytest.fixture
def member(db: Database) -> int:
    with db.session() as session:
        save_profile(session, ProfileData(name="测试工会", province="安徽"))
        data = MemberInput(name="付怡", id_number="11010519491231002X", joined_on=date(2010, 5, 1))
        return create_member(session, data, today=TODAY)


def visit(member_id: int, fen: int, day: date = date(2026, 9, 12), reason: str = "") -> CareInput:
    return CareInput(Occasion.HOSPITAL, day, member_id, cash_fen=fen, visitors="刘芳", reason=reason)


def count(db: Database) -> int:
    with db.reader() as session:
        return int(session.scalar(select(func.count()).select_from(CareRecord)) or 0)


def test_over_the_provinces_cap_needs_a_reason_and_stays_flagged(db: Database, member: int) -> None:
    with db.session() as session, pytest.raises(ValidationError) as refused:
        record_care(session, visit(member, 120_000), today=TODAY)
    assert "超标准原因" in str(refused.value) and "每次不超过 1,000.00 元" in str(refused.value)
    assert count(db) == 0
    with db.session() as session:
        record_care(session, visit(member, 120_000, reason="手术住院，经工会委员会研究"), today=TODAY)
        record_care(session, visit(member, 80_000, date(2026, 3, 1), reason="写了也不记"), today=TODAY)
    with db.reader() as session:
        march, september = list_care(session, year=2026)
    assert (september.amount_fen, september.reason) == (120_000, "手术住院，经工会委员会研究")
    assert "1,200.00" in september.over_cap and september.recipient == "付怡"
    assert (march.over_cap, march.reason) == ("", "")  # within the cap: no flag, no reason kept


def test_a_shopping_card_is_refused_and_nothing_is_stored(db: Database, member: int) -> None:
    card = CareInput(Occasion.BIRTHDAY, date(2026, 9, 28), member, goods="超市购物卡", goods_fen=30_000)
    with db.session() as session, pytest.raises(UserError) as refused:
        record_care(session, card, today=TODAY)
    assert FORBIDDEN_RULE in str(refused.value)
    assert count(db) == 0


def test_the_unions_own_cap_takes_over_from_its_month(db: Database, member: int) -> None:
    with db.session() as session:
        set_cap(session, Cap(Occasion.HOSPITAL, YearMonth(2026, 7), per_occurrence_fen=150_000), "职代会决定")
        assert check_record(session, visit(member, 120_000, date(2026, 8, 1))).over == ""
        assert "1,000.00" in check_record(session, visit(member, 120_000, date(2026, 6, 1))).over
        with pytest.raises(UserError, match="至少填写一项限额"):
            set_cap(session, Cap(Occasion.BIRTHDAY, YearMonth(2026, 1)))


def test_a_member_behind_on_dues_is_warned_about(db: Database, member: int) -> None:
    from app.services.dues import roll
    from app.services.roster import set_dues_wage

    with db.session() as session:
        set_dues_wage(session, member, 308500, date(2026, 1, 1))
        roll(session, YearMonth(2026, 1), YearMonth(2026, 3), today=TODAY)
        check = check_record(session, visit(member, 50_000))
        in_march = check_record(session, visit(member, 50_000, date(2026, 3, 15)))
    assert check.warnings == ["这名会员欠缴会费 46.20 元，请核实后再发放"]
    # in March, March's own dues are not behind yet
    assert in_march.warnings == ["这名会员欠缴会费 30.80 元，请核实后再发放"]


def test_someone_not_a_member_is_named_and_a_year_without_province_has_no_caps(db: Database) -> None:
    family = CareInput(Occasion.MEMBER_DEATH, date(2026, 4, 2), recipient="王芳家属", cash_fen=500_000)
    with db.session() as session:
        record_care(session, family, today=TODAY)  # no 省份: no preset, nothing over
        with pytest.raises(ValidationError, match="请选择会员，或填写慰问对象的姓名"):
            record_care(session, CareInput(Occasion.OTHER, date(2026, 4, 2), cash_fen=100), today=TODAY)
    with db.reader() as session:
        (only,) = list_care(session)
    assert (only.recipient, only.member_id, only.over_cap) == ("王芳家属", None, "")


def test_a_member_not_yet_joined_or_gone_on_the_day_is_warned_about(db: Database, member: int) -> None:
    from app.services.roster.members import change_status

    with db.session() as session:
        before = check_record(session, visit(member, 50_000, date(2010, 4, 30)))
        on_the_day = check_record(session, visit(member, 50_000, date(2010, 5, 1)))
        change_status(session, member, "去世", date(2026, 6, 3), "病故", today=TODAY)
        after = check_record(session, visit(member, 50_000, date(2026, 6, 10)))
        family = CareInput(Occasion.MEMBER_DEATH, date(2026, 6, 10), member, cash_fen=100_000)
        for_the_death = check_record(session, family)
        record_care(
            session, visit(member, 50_000, date(2026, 6, 10)), today=TODAY
        )  # a warning, not a refusal
    assert before.warnings == ["这名会员于 2010-05-01 才入会，2010-04-30 不是本会会员：请核对慰问对象和日期"]
    assert on_the_day.warnings == []
    assert after.warnings == ["这名会员已于 2026-06-03 去世，2026-06-10 不是本会会员：请核对慰问对象和日期"]
    assert for_the_death.warnings == [] and count(db) == 1


def test_a_member_the_roster_import_listed_without_a_joining_date_was_one_all_along(
    db: Database, member: int
) -> None:
    from app.domain.members import JOINED_BEFORE_IMPORT
    from app.models import MembershipEvent

    with db.session() as session:
        session.execute(
            update(MembershipEvent)
            .where(MembershipEvent.member_id == member)
            .values(event_date=date(2026, 1, 1), reason=JOINED_BEFORE_IMPORT)
        )
        earlier = check_record(session, visit(member, 50_000, date(2025, 9, 1)))
    assert earlier.warnings == []
