"""Which charges each payment covers, recomputed for the members a change touched.

Every write that adds, changes or removes a charge or a payment ends by calling
``reallocate`` for the members concerned; it is the only code that writes allocations and
``DuesCharge.paid_fen``. Recomputing a member from scratch keeps the rule in one place
(``app.domain.dues.allocate``): the oldest unpaid month first unless a payment names its
months.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import date

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from app.db import insert_values
from app.domain.dues import OpenCharge, PaymentToAllocate, allocate
from app.models import DuesAllocation, DuesCharge, DuesPayment, DuesPaymentMonth
from app.models.audit import note_touched
from app.services.gc_pause import cyclic_gc_paused

# SQLite allows 32,766 parameters per statement; stay well inside.
_CHUNK = 5_000


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def reallocate(session: Session, member_ids: Collection[int]) -> None:
    """Recompute the allocations and charges' paid sums of ``member_ids``."""
    members = sorted(set(member_ids))
    if not members:
        return
    with cyclic_gc_paused():  # hundreds of thousands of small objects at 50,000 members
        for chunk in _chunks(members):
            _reallocate_chunk(session, chunk)


def _reallocate_chunk(session: Session, members: list[int]) -> None:
    connection = session.connection()  # Core rows: the ORM's row loading doubled the time
    charges: dict[int, list[OpenCharge]] = defaultdict(list)
    month_of: dict[int, date] = {}
    for charge_id, member_id, month, due in connection.execute(
        select(DuesCharge.id, DuesCharge.member_id, DuesCharge.month, DuesCharge.due_fen).where(
            DuesCharge.member_id.in_(members)
        )
    ).all():
        charges[member_id].append(OpenCharge(charge_id, month, due))
        month_of[charge_id] = month
    named: dict[int, set[date]] = defaultdict(set)
    for payment_id, month in connection.execute(
        select(DuesPaymentMonth.payment_id, DuesPaymentMonth.month)
        .join(DuesPayment, DuesPayment.id == DuesPaymentMonth.payment_id)
        .where(DuesPayment.member_id.in_(members))
    ):
        named[payment_id].add(month)
    payments: dict[int, list[PaymentToAllocate]] = defaultdict(list)
    no_months: frozenset[date] = frozenset()
    for payment_id, member_id, amount in connection.execute(
        select(DuesPayment.id, DuesPayment.member_id, DuesPayment.amount_fen)
        .where(DuesPayment.member_id.in_(members))
        .order_by(DuesPayment.paid_on, DuesPayment.id)
    ).all():
        payments[member_id].append(
            PaymentToAllocate(
                payment_id, amount, frozenset(named[payment_id]) if payment_id in named else no_months
            )
        )

    removed = connection.execute(delete(DuesAllocation).where(DuesAllocation.member_id.in_(members)))
    if removed.rowcount:
        note_touched(session, DuesAllocation.__tablename__)
    rows: list[tuple[int, int, int, str, int]] = []
    iso: dict[date, str] = {}
    for member_id in members:
        if not charges.get(member_id) or not payments.get(member_id):
            continue
        for payment_id, charge_id, amount in allocate(charges[member_id], payments[member_id]):
            month = month_of[charge_id]
            text = iso.get(month) or iso.setdefault(month, month.isoformat())
            rows.append((payment_id, charge_id, member_id, text, amount))
    if rows:
        insert_values(
            session,
            DuesAllocation.__table__,  # type: ignore[arg-type]
            ("payment_id", "charge_id", "member_id", "month", "amount_fen"),
            rows,
        )
    # Every charge's paid sum from its allocations, in one statement SQLite runs itself.
    paid = (
        select(func.coalesce(func.sum(DuesAllocation.amount_fen), 0))
        .where(DuesAllocation.charge_id == DuesCharge.id)
        .scalar_subquery()
    )
    changed = connection.execute(
        update(DuesCharge)
        .where(DuesCharge.member_id.in_(members), DuesCharge.paid_fen != paid)
        .values(paid_fen=paid)
    )
    if changed.rowcount:
        note_touched(session, DuesCharge.__tablename__)


def members_with_credit(session: Session) -> list[int]:
    """Members who paid more than their charges have taken: a new charge may use it."""
    paid = (
        select(DuesPayment.member_id, func.sum(DuesPayment.amount_fen).label("paid"))
        .group_by(DuesPayment.member_id)
        .subquery()
    )
    allocated = (
        select(DuesAllocation.member_id, func.sum(DuesAllocation.amount_fen).label("allocated"))
        .group_by(DuesAllocation.member_id)
        .subquery()
    )
    query = (
        select(paid.c.member_id)
        .outerjoin(allocated, allocated.c.member_id == paid.c.member_id)
        .where(paid.c.paid > func.coalesce(allocated.c.allocated, 0))
    )
    return list(session.scalars(query))
