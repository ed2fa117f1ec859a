"""Members (会员), their groups (分会 / 工会小组 / 部门), membership history (会籍变动) and dues base wage (会费基数)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, now


class Member(Base):
    __tablename__ = "members"
    __table_args__ = (
        Index("uq_members_id_number", "id_number", unique=True),
        CheckConstraint("gender in ('男', '女')", name="gender"),
        {"info": {"label": "会员"}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30))
    gender: Mapped[str] = mapped_column(String(2))
    ethnicity: Mapped[str] = mapped_column(String(20), default="汉族")
    birth_date: Mapped[date] = mapped_column(Date)
    id_type: Mapped[str] = mapped_column(String(20), default="居民身份证")
    id_number: Mapped[str | None] = mapped_column(String(30))
    political_status: Mapped[str] = mapped_column(String(20), default="")
    education: Mapped[str] = mapped_column(String(20), default="")
    household_type: Mapped[str] = mapped_column(String(10), default="")
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"), index=True)
    position: Mapped[str] = mapped_column(String(50), default="")
    category: Mapped[str] = mapped_column(String(20), default="在岗")
    is_migrant_worker: Mapped[bool] = mapped_column(Boolean, default=False)
    joined_on: Mapped[date | None] = mapped_column(Date)
    card_number: Mapped[str] = mapped_column(String(30), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    model_worker_level: Mapped[str] = mapped_column(String(10), default="")
    is_hardship: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10), default="在会", index=True)
    # Women retire from 50 (worker posts) or 55 (cadre posts); not derivable from the ID.
    female_original_retirement_age: Mapped[int | None] = mapped_column()
    remark: Mapped[str] = mapped_column(String(500), default="")
    pinyin_full: Mapped[str] = mapped_column(String(120), default="", index=True)
    pinyin_initials: Mapped[str] = mapped_column(String(30), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now, onupdate=now)

    events: Mapped[list[MembershipEvent]] = relationship(
        back_populates="member", order_by="(MembershipEvent.event_date, MembershipEvent.id)"
    )


class MembershipEvent(Base):
    """One change of membership: 入会, 转入, 转出, 退会, 除名, 退休保留会籍, 去世, 恢复."""

    __tablename__ = "membership_events"
    __table_args__ = {"info": {"label": "会籍变动记录"}}

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    event_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200), default="")
    status_after: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    member: Mapped[Member] = relationship(back_populates="events")


class DuesBaseWage(Base):
    """The wage dues are computed from, valid from a date on (RULES §1); money in fen."""

    __tablename__ = "dues_base_wages"
    __table_args__ = (
        Index("uq_dues_base_wages_member_from", "member_id", "effective_from", unique=True),
        CheckConstraint("wage_fen >= 0", name="wage_not_negative"),
        {"info": {"label": "会费基数记录"}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    effective_from: Mapped[date] = mapped_column(Date)
    wage_fen: Mapped[int] = mapped_column()


class Group(Base):
    __tablename__ = "groups"
    __table_args__ = (
        UniqueConstraint("parent_id", "name"),
        {"info": {"label": "分组"}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    kind: Mapped[str] = mapped_column(String(10), default="部门")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"), index=True)
    sort_order: Mapped[int] = mapped_column(default=0)

    parent: Mapped[Group | None] = relationship(remote_side=[id])
