"""How payments cover charges, and each charge's paid sum.

``DuesCharge.paid_fen`` is the only stored result: every write that adds, changes or
removes a charge or a payment ends by calling ``reallocate`` for the members concerned,
which recomputes them from scratch with ``app.domain.dues.allocate`` (the oldest unpaid
month first unless a payment names its months). Which months a payment covers is computed
the same way when it is asked for (a receipt, a member's payments), so the two can never
disagree — and an import of 600,000 payments writes no second table of the same facts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import indexes_rebuilt
from app.domain.dues import OpenCharge, PaymentToAllocate, allocate
from app.models import DuesCharge, DuesPayment, DuesPaymentMonth
from app.models.audit import note_touched
from app.services.gc_pause import cyclic_gc_paused

_BULK = 2_000  # members from whom rebuilding the unpaid charges' indexes can pay
_UNPAID_INDEXES = {"ix_dues_charges_unpaid", "ix_dues_charges_unpaid_months"}  # see models/dues.py
# SQLite allows 32,766 parameters per statement; stay well inside.
_CHUNK = 5_000


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


@dataclass
class _Ledger:
    """Some members' charges and payments, as allocation needs them."""

    charges: defaultdict[int, list[OpenCharge]]
    stored_paid: dict[int, int]  # charge id → paid_fen as stored
    payments: defaultdict[int, list[PaymentToAllocate]]


def _read(session: Session, members: list[int]) -> _Ledger:
    connection = session.connection()  # Core rows: the ORM's row loading doubled the time
    charges: defaultdict[int, list[OpenCharge]] = defaultdict(list)
    stored: dict[int, int] = {}
    for charge_id, member_id, month, due, paid in connection.execute(
        select(DuesCharge.id, DuesCharge.member_id, DuesCharge.month, DuesCharge.due_fen,
               DuesCharge.paid_fen).where(DuesCharge.member_id.in_(members))
    ).all():  # fmt: skip
        charges[member_id].append(OpenCharge(charge_id, month, due))
        stored[charge_id] = paid
    named: defaultdict[int, set[date]] = defaultdict(set)
    for payment_id, month in connection.execute(
        select(DuesPaymentMonth.payment_id, DuesPaymentMonth.month)
        .join(DuesPayment, DuesPayment.id == DuesPaymentMonth.payment_id)
        .where(DuesPayment.member_id.in_(members))
    ):
        named[payment_id].add(month)
    payments: defaultdict[int, list[PaymentToAllocate]] = defaultdict(list)
    no_months: frozenset[date] = frozenset()
    for payment_id, member_id, amount in connection.execute(
        select(DuesPayment.id, DuesPayment.member_id, DuesPayment.amount_fen)
        .where(DuesPayment.member_id.in_(members))
        .order_by(DuesPayment.paid_on, DuesPayment.id)
    ).all():
        months = frozenset(named[payment_id]) if payment_id in named else no_months
        payments[member_id].append(PaymentToAllocate(payment_id, amount, months))
    return _Ledger(charges, stored, payments)


def _paid_by_charge(ledger: _Ledger, member_id: int) -> dict[int, int]:
    paid: dict[int, int] = {}
    charges, payments = ledger.charges.get(member_id), ledger.payments.get(member_id)
    if charges and payments:
        for _payment, charge_id, amount in allocate(charges, payments):
            paid[charge_id] = paid.get(charge_id, 0) + amount
    return paid


def _stale(ledger: _Ledger) -> list[tuple[int, int]]:
    """(paid_fen, charge id) of every charge whose stored paid sum is not what allocation gives."""
    stale: list[tuple[int, int]] = []
    stored = ledger.stored_paid
    for member_id, charges in ledger.charges.items():
        paid = _paid_by_charge(ledger, member_id)
        for charge in charges:
            fen = paid.get(charge.id, 0)
            if fen != stored[charge.id]:
                stale.append((fen, charge.id))
    return stale


def reallocate(session: Session, member_ids: Collection[int]) -> None:
    """Recompute the paid sums of ``member_ids``' charges."""
    members = sorted(set(member_ids))
    if not members:
        return
    connection = session.connection()
    connection.exec_driver_sql(
        f"CREATE TEMP TABLE IF NOT EXISTS {_MEMBERS} "
        "(id INTEGER PRIMARY KEY, paid INTEGER NOT NULL DEFAULT 0, due INTEGER NOT NULL DEFAULT 0)"
    )
    connection.exec_driver_sql(f"DELETE FROM {_MEMBERS}")
    # many rows to a statement: 38,000 members go in 15 ms, against 65 ms a row at a time
    for start in range(0, len(members), _ROWS_PER_INSERT):
        part = members[start : start + _ROWS_PER_INSERT]
        connection.exec_driver_sql(
            f"INSERT INTO {_MEMBERS} (id) VALUES {', '.join(['(?)'] * len(part))}", tuple(part)
        )
    # few payments name their months: for many members, looking from those (SQLite's own
    # choice went through every payment of every member: 78 ms for an import, against 0.3)
    naming_query = _NAMING_FROM_MONTHS if len(members) >= _BULK else _NAMING_MEMBERS
    naming = [row[0] for row in connection.exec_driver_sql(naming_query)]
    if naming:
        # their payments fill named months first: the general rule, in Python
        connection.exec_driver_sql(
            f"DELETE FROM {_MEMBERS} WHERE id IN (SELECT member_id FROM ({naming_query}))"
        )
    connection.exec_driver_sql(_TOTALS)
    # most members at once (an import, a batch): most unpaid charges leave the unpaid ones'
    # indexes, which are then built again rather than emptied entry by entry
    widest = session.scalar(select(func.max(DuesCharge.member_id))) or 0
    bulk = len(members) >= _BULK and 2 * len(members) >= widest
    with indexes_rebuilt(session, DuesCharge.__tablename__, _UNPAID_INDEXES) if bulk else nullcontext():
        connection.exec_driver_sql(_IN_FULL)
        connection.exec_driver_sql(f"DELETE FROM {_MEMBERS} WHERE paid >= due")
        if connection.exec_driver_sql(f"SELECT 1 FROM {_MEMBERS} LIMIT 1").first() is not None:
            connection.exec_driver_sql(_OLDEST_FIRST)
    connection.exec_driver_sql(f"DELETE FROM {_MEMBERS}")
    with cyclic_gc_paused():
        for chunk in _chunks(naming):
            stale = _stale(_read(session, chunk))
            if stale:
                connection.exec_driver_sql(
                    f'UPDATE "{DuesCharge.__tablename__}" SET paid_fen = ? WHERE id = ?', stale
                )
    # noted whatever changed, as ever: the statements above do not count their rows alike
    note_touched(session, DuesCharge.__tablename__)


# Members none of whose payments name months — nearly everyone: the money covers the months
# oldest first, so a charge's paid sum is what the member paid in all, less the dues of the
# months before it, within 0 and its due. SQLite computes it for 50,000 members in one
# statement, without reading a row into Python (the same rule as ``allocate``; a test
# compares the two). Each member's total paid and total due are put beside them first: one
# lookup per charge; those who paid all they owe need no running sum (``_IN_FULL``).
_MEMBERS = "temp.dues_members_reallocated"
_NAMING_MEMBERS = f"""
SELECT DISTINCT p.member_id FROM dues_payment_months pm
JOIN dues_payments p ON p.id = pm.payment_id
WHERE p.member_id IN (SELECT id FROM {_MEMBERS})
"""
# the same, the few payments that name months looked at first (CROSS JOIN: SQLite keeps the order)
_NAMING_FROM_MONTHS = f"""
SELECT DISTINCT p.member_id FROM dues_payment_months pm
CROSS JOIN dues_payments p ON p.id = pm.payment_id
WHERE p.member_id IN (SELECT id FROM {_MEMBERS})
"""
_ROWS_PER_INSERT = 500  # within the 999 parameters an older SQLite allows a statement
_TOTALS = f"""
UPDATE {_MEMBERS} SET paid = coalesce((
    SELECT SUM(p.amount_fen) FROM dues_payments p WHERE p.member_id = {_MEMBERS}.id
), 0), due = coalesce((
    SELECT SUM(c.due_fen) FROM dues_charges c WHERE c.member_id = {_MEMBERS}.id
), 0)
"""
# Those who paid at least all their charges' dues (a year's payroll deduction, imported, for
# nearly everyone) have every charge paid in full, whatever the order: no running sum needed.
_IN_FULL = f"""
UPDATE dues_charges SET paid_fen = due_fen
WHERE member_id IN (SELECT id FROM {_MEMBERS} WHERE paid >= due) AND paid_fen != due_fen
"""
_OLDEST_FIRST = f"""
WITH covered AS (
    SELECT c.id, max(0, min(c.due_fen, t.paid - coalesce(SUM(c.due_fen) OVER (
        PARTITION BY c.member_id ORDER BY c.month ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
    ), 0))) AS fen
    FROM dues_charges c JOIN {_MEMBERS} t ON t.id = c.member_id
    WHERE c.member_id IN (SELECT id FROM {_MEMBERS})  -- the members' charges only, not a scan of all
)
UPDATE dues_charges SET paid_fen = covered.fen FROM covered
WHERE dues_charges.id = covered.id AND dues_charges.paid_fen != covered.fen
"""


def stale_charges(session: Session) -> int:
    """How many charges' stored paid sums are not what their members' payments give (0 when
    the books agree): for ``uniondesk check``."""
    members = sorted(session.scalars(select(DuesCharge.member_id).distinct()))
    with cyclic_gc_paused():
        return sum(len(_stale(_read(session, chunk))) for chunk in _chunks(members))


def covered_months(session: Session, payment_ids: Collection[int]) -> dict[int, list[tuple[date, int]]]:
    """For each payment, the months it covers and how much of each, oldest first."""
    wanted = set(payment_ids)
    members: set[int] = set()
    for chunk in _chunks(sorted(wanted)):
        members.update(session.scalars(select(DuesPayment.member_id).where(DuesPayment.id.in_(chunk))))
    covered: dict[int, list[tuple[date, int]]] = {payment_id: [] for payment_id in wanted}
    for chunk in _chunks(sorted(members)):
        ledger = _read(session, chunk)
        for member_id, payments in ledger.payments.items():
            charges = ledger.charges.get(member_id)
            if not charges or not any(p.id in wanted for p in payments):
                continue
            month_of = {c.id: c.month for c in charges}
            for payment_id, charge_id, amount in allocate(charges, payments):
                if payment_id in wanted:
                    covered[payment_id].append((month_of[charge_id], amount))
    for months in covered.values():
        months.sort()
    return covered


def members_with_credit(session: Session) -> list[int]:
    """Members who paid more than their charges have taken: a new charge may use it."""
    paid = (
        select(DuesPayment.member_id, func.sum(DuesPayment.amount_fen).label("paid"))
        .group_by(DuesPayment.member_id)
        .subquery()
    )
    used = (
        select(DuesCharge.member_id, func.sum(DuesCharge.paid_fen).label("used"))
        .group_by(DuesCharge.member_id)
        .subquery()
    )
    query = (
        select(paid.c.member_id)
        .outerjoin(used, used.c.member_id == paid.c.member_id)
        .where(paid.c.paid > func.coalesce(used.c.used, 0))
    )
    return list(session.scalars(query))
