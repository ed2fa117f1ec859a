"""Payments (实缴): record, list and remove; each write re-covers the member's charges."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.dues import PayMethod, describe_months
from app.domain.members import MemberStatus
from app.domain.money import MAX_AMOUNT_FEN, format_fen
from app.domain.text import clean_text, too_long
from app.domain.yearmonth import YearMonth
from app.models import DuesCharge, DuesPayment, DuesPaymentMonth, DuesRoll, Member
from app.services.dues.allocation import covered_months, reallocate
from app.services.errors import NotFoundError, ValidationError

PAYMENT_LABELS = {
    "member": "会员",
    "amount_fen": "金额",
    "paid_on": "缴费日期",
    "method": "缴费方式",
    "receipt_no": "收据号",
    "collector": "收款人",
    "note": "备注",
    "months": "缴费月份",
}
# Payroll deductions come without a receipt; cash, transfers and mobile payments get one.
_RECEIPTED = frozenset({PayMethod.CASH, PayMethod.TRANSFER, PayMethod.MOBILE})


@dataclass(frozen=True)
class PaymentInput:
    member_id: int
    amount_fen: int
    paid_on: date
    method: str = PayMethod.CASH.value
    receipt_no: str = ""
    collector: str = ""
    note: str = ""
    months: tuple[YearMonth, ...] = ()  # named months; empty = the oldest unpaid first


@dataclass(frozen=True)
class PaymentInfo:
    id: int
    member_id: int
    member_name: str
    paid_on: date
    amount_fen: int
    method: str
    receipt_no: str
    collector: str
    note: str
    source: str
    named_months: tuple[YearMonth, ...]
    covered: tuple[tuple[YearMonth, int], ...]  # month → fen this payment covers

    @property
    def receipt_printable(self) -> bool:
        """Whether a receipt goes with it: a payroll deduction gets none unless it was given a number."""
        return bool(self.receipt_no) or self.method != PayMethod.PAYROLL

    @property
    def credit_fen(self) -> int:
        """What no charge has taken (yet): it stays on the member's balance."""
        return self.amount_fen - sum(fen for _, fen in self.covered)


def check_payment(session: Session, data: PaymentInput, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if session.get(Member, data.member_id) is None:
        errors["member"] = "没有这名会员"
    if data.amount_fen <= 0:
        errors["amount_fen"] = "金额应大于 0"
    elif data.amount_fen > MAX_AMOUNT_FEN:
        errors["amount_fen"] = "金额过大，请核对"
    if data.paid_on > today:
        errors["paid_on"] = f"缴费日期 {data.paid_on.isoformat()} 还没有到"
    if data.method not in {m.value for m in PayMethod}:
        errors["method"] = f"缴费方式应为：{'、'.join(PayMethod)}"
    for key, limit in (("receipt_no", 30), ("collector", 30), ("note", 200)):
        message = too_long(PAYMENT_LABELS[key], clean_text(getattr(data, key)), limit)
        if message:
            errors[key] = message
    receipt = clean_text(data.receipt_no)
    if receipt and "receipt_no" not in errors:
        used = session.execute(
            select(DuesPayment.paid_on, Member.name)
            .join(Member, Member.id == DuesPayment.member_id)
            .where(DuesPayment.receipt_no == receipt)
        ).first()
        if used is not None:
            errors["receipt_no"] = f"收据号 {receipt} 已用于{used[1]} {used[0].isoformat()} 的缴费"
    if len(set(data.months)) != len(data.months):
        errors["months"] = "同一个月写了两次"
    return errors


def next_receipt_no(session: Session, year: int) -> str:
    """The year's next number, 2026-0001 onwards (numbers typed by hand are left alone)."""
    prefix = f"{year}-"
    taken = session.scalars(select(DuesPayment.receipt_no).where(DuesPayment.receipt_no.like(f"{prefix}%")))
    numbers = [int(n[len(prefix) :]) for n in taken if n[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def record_payment(
    session: Session, data: PaymentInput, *, today: date | None = None, source: str = "手工"
) -> int:
    """Store a payment and cover the member's charges with it; returns its id."""
    errors = check_payment(session, data, today or date.today())
    if errors:
        raise ValidationError(errors, PAYMENT_LABELS)
    receipt = clean_text(data.receipt_no)
    if not receipt and data.method in _RECEIPTED:
        receipt = next_receipt_no(session, data.paid_on.year)
    payment = DuesPayment(
        member_id=data.member_id,
        paid_on=data.paid_on,
        amount_fen=data.amount_fen,
        method=data.method,
        receipt_no=receipt,
        collector=clean_text(data.collector),
        note=clean_text(data.note),
        source=source,
    )
    session.add(payment)
    session.flush()
    for month in data.months:
        session.add(DuesPaymentMonth(payment_id=payment.id, month=month.first_day()))
    session.flush()
    reallocate(session, [data.member_id])
    return payment.id


def delete_payment(session: Session, payment_id: int) -> str:
    """Remove a payment entered by mistake; the months it covered become unpaid again."""
    payment = session.get(DuesPayment, payment_id)
    if payment is None:
        raise NotFoundError(f"没有编号为 {payment_id} 的缴费记录")
    member = session.get(Member, payment.member_id)
    for named in session.scalars(select(DuesPaymentMonth).where(DuesPaymentMonth.payment_id == payment_id)):
        session.delete(named)
    session.flush()
    session.delete(payment)
    session.flush()
    reallocate(session, [payment.member_id])
    return f"{member.name if member else ''} {payment.paid_on.isoformat()} {payment.amount_fen / 100:.2f} 元"


def payment_notes(session: Session, info: PaymentInfo) -> list[str]:
    """What the secretary should know of a payment just recorded, beyond what it covered:
    named months with nothing to cover (not rolled yet, or not owed), a member who owes no
    dues now."""
    notes = []
    charged = set(session.scalars(select(DuesCharge.month).where(DuesCharge.member_id == info.member_id)))
    uncharged = [m for m in info.named_months if m.first_day() not in charged]
    if uncharged:
        rolls = session.execute(select(DuesRoll.first_month, DuesRoll.last_month)).all()
        rolled = [m for m in uncharged if any(a <= m.first_day() <= b for a, b in rolls)]
        later = [m for m in uncharged if m not in rolled]
        if later:
            notes.append(f"{describe_months(later)}还没有生成应缴，生成后这笔钱会先冲抵这些月份")
        if rolled:
            notes.append(
                f"{describe_months(rolled)}这名会员没有应缴（当时不是缴费会员、已免缴或没有会费基数）"
            )
    status = session.scalar(select(Member.status).where(Member.id == info.member_id))
    if info.credit_fen and status != MemberStatus.ACTIVE:
        notes.append(f"这名会员的会籍状态是“{status}”，现在不需缴纳会费：如是误收，请删除这笔缴费并退还")
    monthly = session.scalar(
        select(DuesCharge.due_fen)
        .where(DuesCharge.member_id == info.member_id)
        .order_by(DuesCharge.month.desc())
    )
    if monthly and info.credit_fen > 12 * monthly:  # a slip of the decimal point, most likely
        notes.append(
            f"余下的 {format_fen(info.credit_fen)} 元超过这名会员一年的会费（每月 {format_fen(monthly)} 元），"
            "请核对金额是否多写了位数"
        )
    return notes


def get_payment(session: Session, payment_id: int) -> PaymentInfo:
    found = list_payments(session, payment_ids=[payment_id])
    if not found:
        raise NotFoundError(f"没有编号为 {payment_id} 的缴费记录")
    return found[0]


def list_payments(
    session: Session,
    *,
    member_id: int | None = None,
    payment_ids: list[int] | None = None,
    first: date | None = None,
    last: date | None = None,
) -> list[PaymentInfo]:
    query = select(DuesPayment, Member.name).join(Member, Member.id == DuesPayment.member_id)
    if member_id is not None:
        query = query.where(DuesPayment.member_id == member_id)
    if payment_ids is not None:
        query = query.where(DuesPayment.id.in_(payment_ids))
    if first is not None:
        query = query.where(DuesPayment.paid_on >= first)
    if last is not None:
        query = query.where(DuesPayment.paid_on <= last)
    rows = session.execute(query.order_by(DuesPayment.paid_on, DuesPayment.id)).all()
    ids = [p.id for p, _ in rows]
    named: dict[int, list[YearMonth]] = {i: [] for i in ids}
    for start in range(0, len(ids), 5_000):
        chunk = ids[start : start + 5_000]
        for payment_id, month in session.execute(
            select(DuesPaymentMonth.payment_id, DuesPaymentMonth.month)
            .where(DuesPaymentMonth.payment_id.in_(chunk))
            .order_by(DuesPaymentMonth.month)
        ):
            named[payment_id].append(YearMonth.of(month))
    covered = covered_months(session, ids)
    return [
        PaymentInfo(
            p.id,
            p.member_id,
            name,
            p.paid_on,
            p.amount_fen,
            p.method,
            p.receipt_no,
            p.collector,
            p.note,
            p.source,
            tuple(named[p.id]),
            tuple((YearMonth.of(month), fen) for month, fen in covered[p.id]),
        )
        for p, name in rows
    ]


def paid_total(session: Session, first: date, last: date) -> int:
    """Money received between two dates (实缴 of a period)."""
    total = session.scalar(
        select(func.coalesce(func.sum(DuesPayment.amount_fen), 0)).where(
            DuesPayment.paid_on >= first, DuesPayment.paid_on <= last
        )
    )
    return int(total or 0)
