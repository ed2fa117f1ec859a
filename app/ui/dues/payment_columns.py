"""How a payment's months read in a list: the dues area's own 缴费记录 and the member panel's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.domain.dues import describe_months
from app.domain.yearmonth import YearMonth
from app.ui.tables import Column

if TYPE_CHECKING:
    from app.services.dues import PaymentInfo


def covered_text(payment: PaymentInfo) -> str:
    """The months a payment covers, or that it covers none (yet)."""
    return describe_months(m for m, _ in payment.covered) or "（记为预缴）"


def covered_column(width: int) -> Column[PaymentInfo]:
    return Column(
        "covered",
        "冲抵月份",
        width,
        covered_text,
        lambda p: min((m for m, _ in p.covered), default=YearMonth(1, 1)),
    )
