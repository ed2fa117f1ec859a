"""The paid sums written by the SQL statement (payments naming no months) are exactly what
``allocate`` gives, for any amounts: the two paths are one rule."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from app.db import Database, open_database
from app.domain.dues import OpenCharge, PaymentToAllocate, allocate
from app.domain.members import MemberInput
from app.domain.yearmonth import YearMonth
from app.models import DuesCharge, DuesPayment
from app.services.dues import PaymentInput, record_payment, roll
from app.services.dues.allocation import reallocate, stale_charges
from app.services.roster import create_member, set_dues_wage

TODAY = date(2026, 12, 1)
PEOPLE = (("张伟", "11010519491231002X", 308500), ("李娜", "440524199003150022", 500000))


@pytest.fixture(scope="module")
def rolled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, list[int]]]:
    db = open_database(Path(tmp_path_factory.mktemp("alloc")) / "u.db", create=True)
    members = []
    with db.session() as session:
        for name, number, wage in PEOPLE:
            data = MemberInput(name=name, id_number=number, joined_on=date(2010, 1, 1))
            member_id = create_member(session, data, today=TODAY)
            set_dues_wage(session, member_id, wage, date(2026, 1, 1))
            members.append(member_id)
        roll(session, YearMonth(2026, 1), YearMonth(2026, 6), today=TODAY)
    yield db, members
    db.close()


payments = st.lists(st.tuples(st.sampled_from([0, 1]), st.integers(1, 20_000)), max_size=8)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(paid=payments)
def test_sql_paid_sums_equal_allocate(
    rolled: tuple[Database, list[int]], paid: list[tuple[int, int]]
) -> None:
    db, members = rolled
    with db.session() as session:
        session.connection().execute(delete(DuesPayment))
        reallocate(session, members)
        for day, (who, fen) in enumerate(paid, start=1):
            record_payment(session, PaymentInput(members[who], fen, date(2026, 7, day)), today=TODAY)
        for member_id in members:
            charges = session.execute(
                select(DuesCharge.id, DuesCharge.month, DuesCharge.due_fen, DuesCharge.paid_fen)
                .where(DuesCharge.member_id == member_id)
                .order_by(DuesCharge.month)
            ).all()
            mine = [
                PaymentToAllocate(i, fen) for i, (who, fen) in enumerate(paid) if members[who] == member_id
            ]
            expected: dict[int, int] = {}
            for _p, charge_id, fen in allocate([OpenCharge(c.id, c.month, c.due_fen) for c in charges], mine):
                expected[charge_id] = expected.get(charge_id, 0) + fen
            assert [c.paid_fen for c in charges] == [expected.get(c.id, 0) for c in charges]
            assert sum(c.paid_fen for c in charges) == min(
                sum(c.due_fen for c in charges), sum(p.amount_fen for p in mine)
            )
        assert stale_charges(session) == 0


@pytest.mark.parametrize("short", [0, 1])
def test_paying_all_that_is_owed_covers_every_month(rolled: tuple[Database, list[int]], short: int) -> None:
    """Paying at least every charge's due (one statement, no running sum) and one fen less
    (the running sum) meet at the last month."""
    db, members = rolled
    with db.session() as session:
        session.connection().execute(delete(DuesPayment))
        reallocate(session, members)
        charges = {
            m: session.execute(
                select(DuesCharge.id, DuesCharge.due_fen)
                .where(DuesCharge.member_id == m)
                .order_by(DuesCharge.month)
            ).all()
            for m in members
        }
        for extra, member_id in zip((0, 500), members, strict=True):  # exactly, and more than, what is owed
            owed = sum(c.due_fen for c in charges[member_id])
            record_payment(
                session, PaymentInput(member_id, owed + extra - short, date(2026, 7, 1)), today=TODAY
            )
        for extra, member_id in zip((0, 500), members, strict=True):
            paid = session.scalars(
                select(DuesCharge.paid_fen)
                .where(DuesCharge.member_id == member_id)
                .order_by(DuesCharge.month)
            ).all()
            dues = [c.due_fen for c in charges[member_id]]
            expected = [*dues[:-1], dues[-1] - (short if extra == 0 else 0)]
            assert paid == expected
        assert stale_charges(session) == 0
