"""A payment's 会费收据 (receipt), printed on the shared printing blocks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import database_files
from app.domain.dues import describe_months
from app.domain.idcard import mask_id_number
from app.models import DuesCharge, Member
from app.services.dues.arrears import group_paths
from app.services.dues.payments import get_payment
from app.services.excel.writer import check_output_path
from app.services.printing import ReceiptData, write_receipt
from app.services.system import get_profile


def receipt_data(session: Session, payment_id: int, *, today: date | None = None) -> ReceiptData:
    payment = get_payment(session, payment_id)
    member = session.get(Member, payment.member_id)
    assert member is not None  # a payment always has its member (foreign key)
    due = dict(
        session.execute(
            select(DuesCharge.month, DuesCharge.due_fen).where(DuesCharge.member_id == payment.member_id)
        ).all()
    )
    whole = [m for m, fen in payment.covered if fen >= due.get(m.first_day(), 0)]
    parts = [f"{m.chinese()}部分 {fen / 100:.2f} 元" for m, fen in payment.covered if m not in whole]
    months = "；".join(filter(None, [describe_months(whole), *parts]))
    if payment.credit_fen:
        ahead = f"预缴 {payment.credit_fen / 100:.2f} 元"
        months = f"{months}；{ahead}" if months else ahead
    profile = get_profile(session)
    return ReceiptData(
        union_name=profile.name or "本工会",
        receipt_no=payment.receipt_no or f"记录{payment.id}",
        member_name=member.name,
        member_group=group_paths(session).get(member.group_id or 0, ""),
        id_number_masked=mask_id_number(member.id_number or ""),
        months=months,
        amount_fen=payment.amount_fen,
        method=payment.method,
        paid_on=payment.paid_on,
        collector=payment.collector or profile.handler,
        note=payment.note,
        printed_on=today or date.today(),
    )


def print_receipt(session: Session, payment_id: int, path: Path, *, today: date | None = None) -> None:
    """Write the receipt of ``payment_id`` to ``path`` (a PDF)."""
    check_output_path(path, "会费收据", keep=database_files(session), suffix=".pdf")
    write_receipt(receipt_data(session, payment_id, today=today), path)
