"""Exemptions set by hand (免缴): a member excused from dues for some months, with a reason.

Setting or removing one rolls the member's months already rolled again at once, so an
exempt month's unpaid charge goes (and comes back when the exemption is removed). A month
already paid (in whole or in part) cannot be made exempt: its charge would stay, owed by
someone excused from it; the payment is deleted first, and entered again afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.dues import Exemption, describe_months
from app.domain.text import clean_text, too_long
from app.domain.yearmonth import YearMonth
from app.models import DuesCharge, DuesExemption, Member
from app.services.dues.rolls import RollResult, refresh_member_dues
from app.services.errors import NotFoundError, UserError


@dataclass(frozen=True)
class ExemptionInfo:
    id: int
    member_id: int
    member_name: str
    exemption: Exemption


@dataclass(frozen=True)
class ExemptionChange:
    exemption_id: int
    member_name: str
    refreshed: RollResult | None  # the member's rolled months, rolled again (None: none rolled yet)


def add_exemption(
    session: Session, member_id: int, exemption: Exemption, *, today: date | None = None
) -> ExemptionChange:
    """Excuse a member from dues for ``exemption``'s months; the reason is required."""
    member = session.get(Member, member_id)
    if member is None:
        raise NotFoundError("没有这名会员")
    reason = clean_text(exemption.reason)
    if not reason:
        raise UserError("请写明免缴会费的原因")
    message = too_long("免缴原因", reason, 200)
    if message:
        raise UserError(message)
    if exemption.last is not None and exemption.last < exemption.first:
        raise UserError("免缴的结束月份早于开始月份")
    for other in list_exemptions(session, member_id):
        if other.exemption.overlaps(exemption):
            raise UserError(
                f"{member.name}已有免缴（{other.exemption.months_text()}，原因：{other.exemption.reason}），与这次的月份重叠："
                "请删除那条后重新设定，或只设定没有免缴的月份"
            )
    paid = _paid_months(session, member_id, exemption)
    if paid:
        raise UserError(
            f"{member.name}的{describe_months(paid)}会费已经缴了（全部或部分），这些月份不能设为免缴。"
            "确需免缴时，请先删除冲抵这些月份的缴费，设定免缴后再重新登记（多缴的钱会留作预缴）"
        )
    row = DuesExemption(
        member_id=member_id,
        first_month=exemption.first.first_day(),
        last_month=exemption.last.first_day() if exemption.last else None,
        reason=reason,
    )
    session.add(row)
    session.flush()
    return ExemptionChange(row.id, member.name, refresh_member_dues(session, [member_id], today=today))


def _paid_months(session: Session, member_id: int, exemption: Exemption) -> list[YearMonth]:
    query = select(DuesCharge.month).where(
        DuesCharge.member_id == member_id,
        DuesCharge.paid_fen > 0,
        DuesCharge.month >= exemption.first.first_day(),
    )
    if exemption.last is not None:
        query = query.where(DuesCharge.month <= exemption.last.first_day())
    return [YearMonth.of(month) for month in session.scalars(query.order_by(DuesCharge.month))]


def remove_exemption(session: Session, exemption_id: int, *, today: date | None = None) -> ExemptionChange:
    row = session.get(DuesExemption, exemption_id)
    if row is None:
        raise NotFoundError("没有这条免缴记录")
    member_id = row.member_id
    name = session.scalar(select(Member.name).where(Member.id == member_id)) or ""
    session.delete(row)
    session.flush()
    return ExemptionChange(exemption_id, name, refresh_member_dues(session, [member_id], today=today))


def list_exemptions(session: Session, member_id: int | None = None) -> list[ExemptionInfo]:
    query = select(DuesExemption, Member.name).join(Member, Member.id == DuesExemption.member_id)
    if member_id is not None:
        query = query.where(DuesExemption.member_id == member_id)
    return [
        ExemptionInfo(
            row.id,
            row.member_id,
            name,
            Exemption(
                YearMonth.of(row.first_month),
                YearMonth.of(row.last_month) if row.last_month else None,
                row.reason,
            ),
        )
        for row, name in session.execute(query.order_by(DuesExemption.first_month, DuesExemption.id))
    ]
