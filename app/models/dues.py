"""Dues (会费): the dated rule, exemptions, the stored monthly roll of charges (应缴) and
payments (实缴). Money in fen; a month is stored as its 1st.

Modelled on OpenJVerein's Sollbuchung/Buchung: a charge's paid sum is what the member's
payments cover of it, kept in ``paid_fen`` by services/dues/allocation.py only (never typed);
``uniondesk check`` recomputes it from the payments and compares.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, now

UNPAID = "paid_fen < due_fen"  # the charges the partial indexes hold


class DuesRuleSetting(Base):
    """The dues rule from a month on (RULES §1: rate and tail are the union's settings)."""

    __tablename__ = "dues_rules"
    __table_args__ = (
        UniqueConstraint("effective_from"),
        CheckConstraint("rate_bp > 0", name="rate_positive"),
        CheckConstraint("tail_fen > 0", name="tail_positive"),
        CheckConstraint("apprentice_fen >= 0", name="apprentice_not_negative"),
        {"info": {"label": "会费标准"}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    effective_from: Mapped[date] = mapped_column(Date)
    rate_bp: Mapped[int] = mapped_column()
    tail_fen: Mapped[int] = mapped_column()
    apprentice_fen: Mapped[int] = mapped_column()
    month_rule: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class DuesExemption(Base):
    """A member excused from dues for some months, with the reason (免缴)."""

    __tablename__ = "dues_exemptions"
    __table_args__ = {"info": {"label": "会费免缴"}}

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    first_month: Mapped[date] = mapped_column(Date)
    last_month: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class DuesRoll(Base):
    """One run of ``dues roll``: the months it covered and when; its charges link to it."""

    __tablename__ = "dues_rolls"
    __table_args__ = {"info": {"label": "应缴会费生成记录"}}

    id: Mapped[int] = mapped_column(primary_key=True)
    first_month: Mapped[date] = mapped_column(Date)
    last_month: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    actor: Mapped[str] = mapped_column(String(50), default="")
    note: Mapped[str] = mapped_column(String(200), default="")


class DuesCharge(Base):
    """What a member owes for one month (应缴)."""

    __tablename__ = "dues_charges"
    __table_args__ = (
        UniqueConstraint("member_id", "month"),
        # Covers the summary's 应缴. Without paid_fen, so that covering a charge leaves it
        # alone: an import covering 440,000 charges updates them 1.4x faster than with it.
        Index("ix_dues_charges_month_member_due", "month", "member_id", "due_fen"),
        # The unpaid charges have two partial indexes of their own, each covering them, so
        # that what is owed is read without the charges that are paid: by member
        # (ix_dues_charges_unpaid: member_id, month, due_fen, paid_fen, made by the migrations)
        # for the arrears, and by month for what the summary's months still lack.
        Index(
            "ix_dues_charges_unpaid_months",
            "month",
            "member_id",
            "due_fen",
            "paid_fen",
            # SQLite's keyword only: another dialect's would import that dialect (30 ms) at start
            sqlite_where=text(UNPAID),
        ),
        CheckConstraint("due_fen >= 0", name="due_not_negative"),
        CheckConstraint("paid_fen >= 0 and paid_fen <= due_fen", name="paid_within_due"),
        {"info": {"label": "应缴会费"}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    roll_id: Mapped[int] = mapped_column(ForeignKey("dues_rolls.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    month: Mapped[date] = mapped_column(Date)
    wage_fen: Mapped[int | None] = mapped_column()  # the base wage used; None = apprentice's flat rate
    due_fen: Mapped[int] = mapped_column()
    paid_fen: Mapped[int] = mapped_column(default=0)  # what payments cover (kept by allocation.py)


class DuesPayment(Base):
    """Money received from one member (实缴)."""

    __tablename__ = "dues_payments"
    __table_args__ = (
        # With the amount, a member's total paid needs no row read (reallocation sums it for
        # every member an import pays: 0.25 s -> 0.06 s at 50,000).
        Index("ix_dues_payments_member_paid_on_amount", "member_id", "paid_on", "amount_fen"),
        Index("ix_dues_payments_paid_on_amount", "paid_on", "amount_fen"),
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        {"info": {"label": "会费缴纳记录"}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    paid_on: Mapped[date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column()
    method: Mapped[str] = mapped_column(String(10))
    receipt_no: Mapped[str] = mapped_column(String(30), default="")
    collector: Mapped[str] = mapped_column(String(30), default="")
    note: Mapped[str] = mapped_column(String(200), default="")
    # 手工 / 批量 / 导入; an imported row remembers the month it stood for, so importing the
    # same file again finds it instead of counting the money twice.
    source: Mapped[str] = mapped_column(String(10), default="手工")
    source_month: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class DuesPaymentMonth(Base):
    """A month a payment names: it covers these before the oldest unpaid ones."""

    __tablename__ = "dues_payment_months"
    __table_args__ = (UniqueConstraint("payment_id", "month"), {"info": {"label": "缴费所属月份"}})

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("dues_payments.id", ondelete="CASCADE"))
    month: Mapped[date] = mapped_column(Date)
