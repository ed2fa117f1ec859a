"""A member's dues account and the member × month grid (台账) of a year."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.dues import MemberTimeline
from app.domain.members import MemberStatus
from app.domain.yearmonth import YearMonth
from app.models import DuesCharge, DuesPayment
from app.services.dues.payments import PaymentInfo, list_payments
from app.services.dues.rolls import load_timelines
from app.services.dues.rules import load_rules


class CellState(StrEnum):
    PAID = "已缴"
    PARTIAL = "部分缴纳"
    UNPAID = "未缴"
    EXEMPT = "免缴"
    NOT_MEMBER = "非会员"  # not yet joined, or left
    NOT_ROLLED = "未生成"  # owed but no charge yet (month not rolled, or no base wage)


@dataclass(frozen=True, slots=True)
class GridCell:
    state: CellState
    due_fen: int = 0
    paid_fen: int = 0


@dataclass(frozen=True)
class ChargeLine:
    month: YearMonth
    wage_fen: int | None
    due_fen: int
    paid_fen: int


@dataclass(frozen=True)
class MemberDues:
    charges: list[ChargeLine]
    payments: list[PaymentInfo]

    @property
    def due_fen(self) -> int:
        return sum(c.due_fen for c in self.charges)

    @property
    def paid_fen(self) -> int:
        return sum(p.amount_fen for p in self.payments)

    @property
    def balance_fen(self) -> int:
        """Owed (positive) or paid ahead (negative): all charges minus all payments."""
        return self.due_fen - self.paid_fen


def member_dues(session: Session, member_id: int) -> MemberDues:
    charges = [
        ChargeLine(YearMonth.of(month), wage, due, paid)
        for month, wage, due, paid in session.execute(
            select(DuesCharge.month, DuesCharge.wage_fen, DuesCharge.due_fen, DuesCharge.paid_fen)
            .where(DuesCharge.member_id == member_id)
            .order_by(DuesCharge.month)
        )
    ]
    return MemberDues(charges, list_payments(session, member_id=member_id))


def balances(session: Session, member_ids: Sequence[int]) -> dict[int, int]:
    """Each member's balance (charges minus payments), in two grouped queries."""
    result = {m: 0 for m in member_ids}
    for start in range(0, len(member_ids), 5_000):
        chunk = list(member_ids[start : start + 5_000])
        for member_id, due in session.execute(
            select(DuesCharge.member_id, func.sum(DuesCharge.due_fen))
            .where(DuesCharge.member_id.in_(chunk))
            .group_by(DuesCharge.member_id)
        ):
            result[member_id] += int(due)
        for member_id, paid in session.execute(
            select(DuesPayment.member_id, func.sum(DuesPayment.amount_fen))
            .where(DuesPayment.member_id.in_(chunk))
            .group_by(DuesPayment.member_id)
        ):
            result[member_id] -= int(paid)
    return result


def _uncharged_state(timeline: MemberTimeline, month: YearMonth, rule_paying: bool) -> CellState:
    if rule_paying:
        return CellState.NOT_ROLLED
    status = timeline.status_on(month.first_day())
    if status == MemberStatus.RETAINED or (
        status == MemberStatus.ACTIVE and any(e.covers(month) for e in timeline.exemptions)
    ):
        return CellState.EXEMPT
    return CellState.NOT_MEMBER


def year_grid(session: Session, year: int, member_ids: Sequence[int]) -> dict[int, list[GridCell]]:
    """Twelve cells per member for ``year``: paid, partly paid, unpaid, exempt, not a member,
    or not rolled yet. Meant for the rows on screen (a few hundred at a time)."""
    months = [YearMonth(year, m) for m in range(1, 13)]
    ids = list(member_ids)
    cells: dict[int, dict[int, GridCell]] = {m: {} for m in ids}
    for start in range(0, len(ids), 5_000):
        chunk = ids[start : start + 5_000]
        for member_id, day, due, paid in session.execute(
            select(DuesCharge.member_id, DuesCharge.month, DuesCharge.due_fen, DuesCharge.paid_fen).where(
                DuesCharge.member_id.in_(chunk),
                DuesCharge.month >= months[0].first_day(),
                DuesCharge.month <= months[-1].first_day(),
            )
        ):
            state = CellState.PAID if paid >= due else CellState.PARTIAL if paid else CellState.UNPAID
            cells[member_id][day.month] = GridCell(state, due, paid)
    missing = [m for m in ids if len(cells[m]) < 12]
    if missing:
        rules = load_rules(session)
        timelines = load_timelines(session, missing)
        for member_id in missing:
            timeline = timelines[member_id]
            for month in months:
                if month.month not in cells[member_id]:
                    paying = timeline.is_paying(month, rules.at(month).month_rule)
                    cells[member_id][month.month] = GridCell(_uncharged_state(timeline, month, paying))
    return {m: [cells[m][i] for i in range(1, 13)] for m in ids}


def owed_before(session: Session, member_id: int, month: YearMonth) -> int:
    """What the member still owes for the months before ``month`` (the current month is not
    arrears until its payday has passed)."""
    return owed_before_each(session, [member_id], month).get(member_id, 0)


def owed_before_each(session: Session, member_ids: Sequence[int], month: YearMonth) -> dict[int, int]:
    """``owed_before`` for many members, a few thousand to a query; members who owe nothing are left out."""
    ids = sorted(set(member_ids))
    owed: dict[int, int] = {}
    for start in range(0, len(ids), 5000):  # SQLite allows 32,766 bound values in one statement
        query = (
            select(DuesCharge.member_id, func.sum(DuesCharge.due_fen - DuesCharge.paid_fen))
            .where(
                DuesCharge.member_id.in_(ids[start : start + 5000]),
                DuesCharge.month < month.first_day(),
                DuesCharge.paid_fen < DuesCharge.due_fen,
            )
            .group_by(DuesCharge.member_id)
        )
        owed.update((int(member_id), int(fen)) for member_id, fen in session.execute(query) if fen)
    return owed
