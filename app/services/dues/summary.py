"""应缴, 实缴, 收缴率 and 欠缴 for a month, a quarter or a year (the monthly report uses it).

应缴 is the sum of the period's charges; 实缴 is the money received in the period (by
payment date, so a half-yearly lump counts in the month it came); 欠缴 is what the
period's charges still lack; 收缴率 = 实缴 / 应缴.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.dues import Period
from app.domain.money import format_fen
from app.domain.yearmonth import YearMonth
from app.models import DuesCharge, DuesPayment, Member


@dataclass(frozen=True)
class Totals:
    due_fen: int
    paid_fen: int  # received in the period
    covered_fen: int  # of the period's charges, what has been paid (whenever)

    @property
    def arrears_fen(self) -> int:
        return self.due_fen - self.covered_fen

    @property
    def rate(self) -> float | None:
        """收缴率: 实缴 / 应缴, None when nothing was due."""
        return round(self.paid_fen / self.due_fen, 4) if self.due_fen else None

    def unmatched_note(self) -> str:
        """Why 应缴 − 实缴 is not 欠缴, when it is not: money received in the period that covers
        no charge of the period (paid ahead, paid over, or a past year's arrears), or charges
        of the period covered by money received before it."""
        received_not_used = self.paid_fen - self.covered_fen
        if received_not_used > 0:
            return f"（其中 {format_fen(received_not_used)} 元没有冲抵本年的应缴：预缴、多缴或补缴往年）"
        if received_not_used < 0:
            return f"（另有 {format_fen(-received_not_used)} 元应缴由往年的预缴冲抵）"
        return ""


@dataclass(frozen=True)
class MonthTotals:
    month: YearMonth
    totals: Totals


@dataclass(frozen=True)
class DuesSummary:
    period: Period
    totals: Totals
    months: list[MonthTotals]
    # Counted only when asked (``people=True``): a distinct count over every charge of the period.
    members_charged: int | None = None
    members_in_arrears: int | None = None

    def totals_through(self, last: YearMonth) -> Totals:
        """The totals of the months up to ``last``: what summarizing the period cut short at
        ``last`` gives, each month's figures standing on their own."""
        kept = [m.totals for m in self.months if m.month <= last]
        return Totals(
            sum(t.due_fen for t in kept), sum(t.paid_fen for t in kept), sum(t.covered_fen for t in kept)
        )


def summarize(
    session: Session, period: Period, *, group_ids: list[int] | None = None, people: bool = False
) -> DuesSummary:
    """The period's figures, month by month, for everyone or for members of ``group_ids``;
    with ``people``, also how many members were charged and how many are behind."""
    first, last = period.first.first_day(), period.last.first_day()
    in_period = (DuesCharge.month >= first, DuesCharge.month <= last)
    unpaid = (*in_period, DuesCharge.paid_fen < DuesCharge.due_fen)
    # What the charges lack is summed over the unpaid ones only (their own index by month
    # covers them), and what is covered is the rest: paid_fen is in no index of every charge,
    # so that covering one leaves those alone.
    charges = select(DuesCharge.month, func.sum(DuesCharge.due_fen)).where(*in_period)
    lacking = select(DuesCharge.month, func.sum(DuesCharge.due_fen - DuesCharge.paid_fen)).where(*unpaid)
    payments = select(DuesPayment.paid_on, func.sum(DuesPayment.amount_fen)).where(
        DuesPayment.paid_on >= first, DuesPayment.paid_on <= period.last_day()
    )
    charged = select(func.count(func.distinct(DuesCharge.member_id))).where(*in_period)
    behind = select(func.count(func.distinct(DuesCharge.member_id))).where(*unpaid)
    if group_ids is not None:
        in_groups = select(Member.id).where(Member.group_id.in_(group_ids))
        charges = charges.where(DuesCharge.member_id.in_(in_groups))
        lacking = lacking.where(DuesCharge.member_id.in_(in_groups))
        payments = payments.where(DuesPayment.member_id.in_(in_groups))
        charged = charged.where(DuesCharge.member_id.in_(in_groups))
        behind = behind.where(DuesCharge.member_id.in_(in_groups))
    connection = session.connection()
    owed: dict[date, int] = {m: int(fen) for m, fen in connection.execute(lacking.group_by(DuesCharge.month))}
    due: dict[str, tuple[int, int]] = {
        m.isoformat()[:7]: (int(d), int(d) - owed.get(m, 0))
        for m, d in connection.execute(charges.group_by(DuesCharge.month))
    }
    paid: dict[str, int] = defaultdict(int)
    for day, fen in connection.execute(payments.group_by(DuesPayment.paid_on)):
        paid[day.isoformat()[:7]] += int(fen)
    months = [
        MonthTotals(m, Totals(due.get(str(m), (0, 0))[0], paid.get(str(m), 0), due.get(str(m), (0, 0))[1]))
        for m in period.months()
    ]
    totals = Totals(
        sum(m.totals.due_fen for m in months),
        sum(m.totals.paid_fen for m in months),
        sum(m.totals.covered_fen for m in months),
    )
    if not people:
        return DuesSummary(period, totals, months)
    return DuesSummary(
        period, totals, months, int(session.scalar(charged) or 0), int(session.scalar(behind) or 0)
    )


def received_fen(session: Session, first: date, last: date) -> int:
    """The dues money received from ``first`` to ``last`` (both included): 实缴 alone, for
    the budget's 会费收入, without the charges ``summarize`` reads."""
    query = select(func.sum(DuesPayment.amount_fen)).where(
        DuesPayment.paid_on >= first, DuesPayment.paid_on <= last
    )
    return int(session.scalar(query) or 0)


def latest_charged_month(session: Session) -> YearMonth | None:
    latest = session.scalar(select(func.max(DuesCharge.month)))
    return YearMonth.of(latest) if latest else None


def charged_months(session: Session) -> list[YearMonth]:
    """Every month that has charges, oldest first."""
    return [
        YearMonth.of(m)
        for m in session.scalars(select(DuesCharge.month).distinct().order_by(DuesCharge.month))
    ]
