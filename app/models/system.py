"""The union itself (工会信息)."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

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


SECRET_PREFIX = "secret."


class AppSetting(Base):
    """One setting of this 账套 (where its backups go, the 启动密码's hash, …) by key.

    Keys under ``secret.`` hold hashes; the audit log records that they changed, never
    their value."""

    __tablename__ = "app_settings"
    __table_args__ = {"info": {"label": "程序设置"}}

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")

    def audit_hidden_columns(self) -> frozenset[str]:
        return frozenset({"value"}) if self.key.startswith(SECRET_PREFIX) else frozenset()
