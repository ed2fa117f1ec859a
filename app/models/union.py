"""The union itself (工会信息) and its groups (分会 / 工会小组 / 部门)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base


class UnionProfile(Base):
    """One row: the union this 账套 belongs to."""

    __tablename__ = "union_profile"
    __table_args__ = {"info": {"label": "本工会信息"}}

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    unit_name: Mapped[str] = mapped_column(String(100), default="")
    chair: Mapped[str] = mapped_column(String(30), default="")
    handler: Mapped[str] = mapped_column(String(30), default="")
    province: Mapped[str] = mapped_column(String(20), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    address: Mapped[str] = mapped_column(String(200), default="")


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
