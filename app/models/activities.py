"""Activities and the year's budget (活动与经费预算). Money in fen.

The category tree (收支科目) is data: the shipped tree (resources/budget_categories.json) is
written into ``budget_categories`` when the 账套 is created, and the union adds sub-categories
and corrects codes there. A budget line that was never set has no row: it is not a budget of
zero. Care records count against the category their occasion maps to (``care_categories``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, now

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


class BudgetCategory(Base):
    """One income line (收入, 401 会费收入 …) or spending category (支出, 501 职工活动支出 →
    50102 文体活动费 …)."""

    __tablename__ = "budget_categories"
    __table_args__ = (
        CheckConstraint("kind in ('收入', '支出')", name="kind_known"),
        {"info": {"label": "收支科目"}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(4))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("budget_categories.id"), index=True)
    shipped: Mapped[bool] = mapped_column(default=False)  # from the shipped tree, not added by the union
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class CategoryWord(Base):
    """How a ledger writes a category ("职工活动支出—文体活动", "文体活动"): the shipped words
    and the ones the union taught an import."""

    __tablename__ = "category_words"
    __table_args__ = ({"info": {"label": "科目用语"}},)

    id: Mapped[int] = mapped_column(primary_key=True)
    word: Mapped[str] = mapped_column(String(60), unique=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("budget_categories.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class CareCategory(Base):
    """Which category a care occasion's money is spent from (节日慰问 → 会员活动费)."""

    __tablename__ = "care_categories"
    __table_args__ = ({"info": {"label": "慰问支出科目"}},)

    id: Mapped[int] = mapped_column(primary_key=True)
    occasion: Mapped[str] = mapped_column(String(20), unique=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("budget_categories.id"))


class BudgetLine(Base):
    """The year's budget (本年预算数) for one income line or spending category."""

    __tablename__ = "budget_lines"
    __table_args__ = (
        UniqueConstraint("year", "category_id"),
        CheckConstraint("amount_fen >= 0", name="amount_not_negative"),
        {"info": {"label": "年度预算"}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column()
    category_id: Mapped[int] = mapped_column(ForeignKey("budget_categories.id"), index=True)
    amount_fen: Mapped[int] = mapped_column()
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now, onupdate=now)

    def audit_name(self, connection: Connection) -> str:
        """2026年 50102 文体活动费: the 操作日志 names the category, not its number."""
        found = connection.exec_driver_sql(
            "SELECT code, name FROM budget_categories WHERE id = ?", (self.category_id,)
        ).first()
        return f"{self.year}年 {found[0]} {found[1]}" if found else f"{self.year}年"


class OtherIncome(Base):
    """Income other than dues (拨缴经费, 上级补助, 行政补助 …), entered by hand."""

    __tablename__ = "other_income"
    __table_args__ = (
        Index("ix_other_income_day", "day"),
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        {"info": {"label": "其他收入"}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    category_id: Mapped[int] = mapped_column(ForeignKey("budget_categories.id"))
    amount_fen: Mapped[int] = mapped_column()
    source: Mapped[str] = mapped_column(String(60), default="")  # who paid it in
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class Activity(Base):
    """An activity (活动): planned, approved, held, closed — or cancelled."""

    __tablename__ = "activities"
    __table_args__ = (
        Index("ix_activities_start", "start"),
        CheckConstraint("headcount is null or headcount >= 0", name="headcount_not_negative"),
        {"info": {"label": "活动"}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(20))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(80), default="")
    organiser: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(10), default="计划中")
    headcount: Mapped[int | None] = mapped_column()  # 参加人数 when names are not kept
    note: Mapped[str] = mapped_column(String(400), default="")
    over_limit: Mapped[str] = mapped_column(String(400), default="")  # the activity's own limits exceeded
    reason: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(10), default="手工")  # 手工 / 导入 / 示例
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now, onupdate=now)


class ActivityLimit(Base):
    """A limit the union set for activities from a day on (工作餐每人每餐, 奖励面, 人均); it
    takes the place of the preset for that rule (and activity kind) from then."""

    __tablename__ = "activity_limits"
    __table_args__ = (
        UniqueConstraint("rule", "kind", "effective_from"),
        CheckConstraint("value >= 0", name="value_not_negative"),
        {"info": {"label": "活动开支标准"}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rule: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20), default="")  # an activity kind, "" for every kind
    effective_from: Mapped[date] = mapped_column(Date)
    value: Mapped[int] = mapped_column()  # fen, per cent or days, as the rule says
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class ActivityBudgetItem(Base):
    """A line of an activity's budget: an amount, or per head × heads."""

    __tablename__ = "activity_budget_items"
    __table_args__ = (
        CheckConstraint("amount_fen >= 0", name="amount_not_negative"),
        {"info": {"label": "活动预算"}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    item: Mapped[str] = mapped_column(String(80))
    category_id: Mapped[int] = mapped_column(ForeignKey("budget_categories.id"))
    amount_fen: Mapped[int] = mapped_column()  # per_head_fen × heads when both are given
    per_head_fen: Mapped[int | None] = mapped_column()
    heads: Mapped[int | None] = mapped_column()
    over_limit: Mapped[str] = mapped_column(String(400), default="")  # the limits exceeded, in words
    reason: Mapped[str] = mapped_column(String(200), default="")


class ActivityParticipant(Base):
    """A member who took part (when the union keeps names)."""

    __tablename__ = "activity_participants"
    __table_args__ = (
        UniqueConstraint("activity_id", "member_id"),
        {"info": {"label": "活动参加人"}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)


class ActivityExpense(Base):
    """What was actually spent (实际支出), with its invoice."""

    __tablename__ = "activity_expenses"
    __table_args__ = (
        Index("ix_activity_expenses_day", "day"),
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        {"info": {"label": "活动支出"}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    payee: Mapped[str] = mapped_column(String(60), default="")
    item: Mapped[str] = mapped_column(String(80))
    category_id: Mapped[int] = mapped_column(ForeignKey("budget_categories.id"), index=True)
    amount_fen: Mapped[int] = mapped_column()
    invoice_no: Mapped[str] = mapped_column(String(40), default="")
    paid_by: Mapped[str] = mapped_column(String(30), default="")  # 经办人
    note: Mapped[str] = mapped_column(String(200), default="")
    over_limit: Mapped[str] = mapped_column(String(400), default="")
    reason: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(10), default="手工")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
