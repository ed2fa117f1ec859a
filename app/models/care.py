"""Care and hardship (慰问、帮扶): each visit with the union's money, and the union's own
dated caps beside its province's presets. Money in fen.

A record over a cap is kept with the words of the cap it exceeds (``over_cap``) and the
reason given for it; every list and printout shows both (the 经审 audit looks for them).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, now


class CareCap(Base):
    """A cap the union set for an occasion from a month on; it takes the place of the
    province's preset for that occasion (and variant) from then."""

    __tablename__ = "care_caps"
    __table_args__ = (
        UniqueConstraint("occasion", "variant", "effective_from"),
        CheckConstraint(
            "coalesce(per_occurrence_fen, 0) >= 0 and coalesce(per_year_fen, 0) >= 0 "
            "and coalesce(per_year_count, 0) >= 0",
            name="limits_not_negative",
        ),
        {"info": {"label": "慰问标准"}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occasion: Mapped[str] = mapped_column(String(20))
    variant: Mapped[str] = mapped_column(String(20), default="")
    effective_from: Mapped[date] = mapped_column(Date)
    per_occurrence_fen: Mapped[int | None] = mapped_column()
    per_year_fen: Mapped[int | None] = mapped_column()
    per_year_count: Mapped[int | None] = mapped_column()
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class CareBatch(Base):
    """A 集中发放 (春节送温暖, 中秋 goods, 金秋助学): the same care to many people on one day,
    kept as one unit to print its 签领表 and to undo whole."""

    __tablename__ = "care_batches"
    __table_args__ = (
        CheckConstraint("cash_fen >= 0 and goods_fen >= 0", name="amounts_not_negative"),
        {"info": {"label": "集中发放"}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))  # 2026年春节送温暖
    day: Mapped[date] = mapped_column(Date)
    occasion: Mapped[str] = mapped_column(String(20))
    variant: Mapped[str] = mapped_column(String(20), default="")
    cash_fen: Mapped[int] = mapped_column(default=0)  # per person
    goods: Mapped[str] = mapped_column(String(200), default="")
    goods_fen: Mapped[int] = mapped_column(default=0)  # per person
    funding: Mapped[str] = mapped_column(String(10), default="本级经费")
    pay_by: Mapped[str] = mapped_column(String(10), default="现金")  # 现金 / 银行转账
    chosen_by: Mapped[str] = mapped_column(String(100), default="")  # the filter, in words
    approver: Mapped[str] = mapped_column(String(30), default="")
    visitors: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class CareWord(Base):
    """How this union's registers write an occasion ("病号慰问" → 住院), learnt when the
    secretary answers the import's question; it takes the place of the shipped table's word."""

    __tablename__ = "care_words"
    __table_args__ = ({"info": {"label": "慰问事由用语"}},)

    id: Mapped[int] = mapped_column(primary_key=True)
    word: Mapped[str] = mapped_column(String(40), unique=True)
    occasion: Mapped[str] = mapped_column(String(20))
    variant: Mapped[str] = mapped_column(String(20), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class CareRecord(Base):
    """One 慰问 (one 人次): to a member, or to someone named (a deceased member's family)."""

    __tablename__ = "care_records"
    __table_args__ = (
        # covers the year's sums by occasion (the budget table, the reports) without reading the rows
        Index("ix_care_records_day_amounts", "day", "occasion", "cash_fen", "goods_fen"),
        Index("ix_care_records_member_day", "member_id", "day"),
        CheckConstraint("cash_fen >= 0 and goods_fen >= 0", name="amounts_not_negative"),
        CheckConstraint("cash_fen + goods_fen > 0", name="something_given"),
        {"info": {"label": "慰问记录"}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    recipient: Mapped[str] = mapped_column(String(50))  # the member's name, or the person's
    day: Mapped[date] = mapped_column(Date)
    occasion: Mapped[str] = mapped_column(String(20))
    variant: Mapped[str] = mapped_column(String(20), default="")  # 春节, 父亲, 手术 …
    cash_fen: Mapped[int] = mapped_column(default=0)
    goods: Mapped[str] = mapped_column(String(200), default="")
    goods_fen: Mapped[int] = mapped_column(default=0)
    funding: Mapped[str] = mapped_column(String(10), default="本级经费")
    visitors: Mapped[str] = mapped_column(String(100), default="")
    approver: Mapped[str] = mapped_column(String(30), default="")
    voucher_no: Mapped[str] = mapped_column(String(30), default="")
    documents: Mapped[str] = mapped_column(String(200), default="")  # the checklist, 、-separated
    note: Mapped[str] = mapped_column(String(200), default="")
    over_cap: Mapped[str] = mapped_column(String(400), default="")  # the caps exceeded, in words
    reason: Mapped[str] = mapped_column(String(200), default="")  # why, when over a cap
    source: Mapped[str] = mapped_column(String(10), default="手工")  # 手工 / 导入 / 批量
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("care_batches.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now, onupdate=now)


class HardshipFile(Base):
    """A 困难职工档案: one per household, linked to the member (RULES §6). Open while
    ``closed_on`` is empty; its aid history is the member's care records of the hardship
    occasions. Money in fen; the bank account is shown masked in lists."""

    __tablename__ = "hardship_files"
    __table_args__ = (
        CheckConstraint("household_size >= 1", name="household_size_positive"),
        CheckConstraint("annual_income_fen >= 0", name="income_not_negative"),
        {"info": {"label": "困难职工档案"}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    category: Mapped[str] = mapped_column(String(10))  # 低保户 / 低保边缘户 / 意外致困户
    main_cause: Mapped[str] = mapped_column(String(20))
    secondary_causes: Mapped[str] = mapped_column(String(80), default="")  # up to three, joined by 、
    household_size: Mapped[int] = mapped_column(default=1)
    annual_income_fen: Mapped[int] = mapped_column(default=0)  # the whole household's
    housing: Mapped[str] = mapped_column(String(100), default="")
    medical_insurance: Mapped[str] = mapped_column(String(100), default="")
    single_parent: Mapped[bool] = mapped_column(Boolean, default=False)
    zero_employment: Mapped[bool] = mapped_column(Boolean, default=False)  # 零就业家庭
    situation: Mapped[str] = mapped_column(String(1000), default="")  # 困难情况, in the filer's words
    bank_name: Mapped[str] = mapped_column(String(60), default="")
    bank_account: Mapped[str] = mapped_column(String(40), default="")
    account_holder: Mapped[str] = mapped_column(String(30), default="")
    filer: Mapped[str] = mapped_column(String(30), default="")
    reviewer: Mapped[str] = mapped_column(String(30), default="")
    opinion: Mapped[str] = mapped_column(String(300), default="")  # 审核意见
    notice: Mapped[str] = mapped_column(String(200), default="")  # 公示情况
    opened_on: Mapped[date] = mapped_column(Date)
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    close_reason: Mapped[str] = mapped_column(String(10), default="")  # 脱困 / 退出
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now, onupdate=now)

    relatives: Mapped[list[HardshipRelative]] = relationship(
        back_populates="file", order_by="HardshipRelative.id", cascade="all, delete-orphan"
    )


class HardshipRelative(Base):
    """A member of a hardship household other than the worker."""

    __tablename__ = "hardship_relatives"
    __table_args__ = (
        CheckConstraint("annual_income_fen >= 0", name="income_not_negative"),
        {"info": {"label": "困难职工家庭成员"}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("hardship_files.id"), index=True)
    name: Mapped[str] = mapped_column(String(30))
    relation: Mapped[str] = mapped_column(String(10))
    id_number: Mapped[str] = mapped_column(String(30), default="")
    health: Mapped[str] = mapped_column(String(20), default="")
    annual_income_fen: Mapped[int] = mapped_column(default=0)
    occupation: Mapped[str] = mapped_column(String(60), default="")  # 工作单位或就读学校

    file: Mapped[HardshipFile] = relationship(back_populates="relatives")
