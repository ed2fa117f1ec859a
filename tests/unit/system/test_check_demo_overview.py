import sqlite3
from datetime import date

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.models import AuditEntry, DuesBaseWage, DuesCharge, DuesPayment, Member, MembershipEvent
from app.services.dues import list_arrears
from app.services.errors import UserError
from app.services.reports.overview import compute_overview
from app.services.system.check import run_checks
from app.services.system.demo import build_demo

TODAY = date(2026, 11, 20)


def test_demo_builds_a_consistent_living_union(db: Database) -> None:
    with db.session() as session:
        result = build_demo(session, members=400, today=TODAY)
    assert result.members == 400
    with db.session() as session:
        report = run_checks(session)
        assert report.ok, report.problems
        statuses = dict(session.execute(select(Member.status, func.count()).group_by(Member.status)).all())
        assert statuses["在会"] > 300
        assert statuses.get("保留会籍", 0) > 0  # people past retirement age
        kinds = set(session.scalars(select(MembershipEvent.kind).distinct()))
        assert {"入会", "转入", "退休保留会籍"} <= kinds
        wage_members = select(func.count(func.distinct(DuesBaseWage.member_id)))
        assert session.scalar(wage_members) == 400  # last year's wage for all, a raise for some
        assert 400 < session.scalar(select(func.count()).select_from(DuesBaseWage)) < 800
        assert session.scalar(select(func.min(MembershipEvent.event_date))) >= date(2001, 1, 1)
        assert session.scalar(select(func.max(MembershipEvent.event_date))) <= TODAY
        bulk = set(session.scalars(select(AuditEntry.entity).where(AuditEntry.action == "批量")))
        assert bulk == {"members", "dues_charges", "dues_payments", "care_records"}  # care: the batches
        genders = dict(session.execute(select(Member.gender, func.count()).group_by(Member.gender)).all())
        assert genders["女"] > 100 and genders["男"] > 100
        # two years of dues: mostly payroll, some cash, one half-yearly payer, two long arrears
        methods = dict(
            session.execute(select(DuesPayment.method, func.count()).group_by(DuesPayment.method)).all()
        )
        assert methods["工资代扣"] > 10 * (methods.get("现金", 0) + methods.get("微信支付宝", 0)) > 0
        assert session.scalar(select(func.count()).where(DuesPayment.note == "半年一次缴清")) >= 3
        assert sum(row.long for row in list_arrears(session)) >= 2
        assert session.scalar(select(func.min(DuesCharge.month))) == date(TODAY.year - 1, 1, 1)


def test_demo_is_deterministic_and_refuses_a_used_database(db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from app.db import open_database

    with db.session() as session:
        build_demo(session, members=50, today=TODAY)
    other = open_database(tmp_path / "again.db")
    with other.session() as session:
        build_demo(session, members=50, today=TODAY)
    with db.session() as a, other.session() as b:
        query = select(Member.name, Member.id_number).order_by(Member.id)
        assert a.execute(query).all() == b.execute(query).all()
    other.close()
    with pytest.raises(UserError, match="已经有会员"), db.session() as session:
        build_demo(session, members=10, today=TODAY)


def test_check_finds_float_money_and_status_mismatch(db: Database) -> None:
    with db.session() as session:
        build_demo(session, members=20, today=TODAY)
    with sqlite3.connect(db.path) as con:
        con.execute("UPDATE dues_base_wages SET wage_fen = 5380.5 WHERE id = 1")
        con.execute("UPDATE members SET status = '已去世' WHERE id = 2 AND status = '在会'")
        con.execute("UPDATE members SET id_number = '110105194912310021' WHERE id = 3")
    with db.session() as session:
        report = run_checks(session)
    text = "\n".join(report.problems)
    assert "wage_fen" in text and "不是整数分" in text
    assert "校验位" in text
    assert not report.ok


def test_overview_counts(db: Database) -> None:
    with db.session() as session:
        build_demo(session, members=300, today=TODAY)
    with db.session() as session:
        overview = compute_overview(session, TODAY)
        counted = session.scalar(select(func.count()).where(Member.status.in_(["在会", "保留会籍"])))
        female = session.scalar(
            select(func.count()).where(Member.status.in_(["在会", "保留会籍"]), Member.gender == "女")
        )
    assert overview.union_name == "华东精密机械有限公司工会委员会"
    assert overview.members == counted == overview.active + overview.retained
    assert overview.female == female
    assert all(month.startswith("2026年") for _name, month in overview.retiring_this_year)
