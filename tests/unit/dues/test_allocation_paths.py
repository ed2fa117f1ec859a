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
