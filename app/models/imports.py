"""Column mappings the user confirmed when importing, remembered per set of headers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, now

# What each importer's ``kind`` reads, as its ``title`` says (the audit log names a mapping by it)
KIND_TITLES = {"roster": "花名册", "dues": "会费收缴表", "dues_bases": "工资表（会费基数）", "care": "慰问登记表",
               "events": "活动经费支出台账", "budget": "经费收支预算表"}  # fmt: skip


class ImportMapping(Base):
    __tablename__ = "import_mappings"
    __table_args__ = (UniqueConstraint("kind", "signature"), {"info": {"label": "导入列对应关系"}})

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "roster"; later "payroll", "care"…
    signature: Mapped[str] = mapped_column(Text)  # the file's headers, normalised
    fields_json: Mapped[str] = mapped_column(Text)  # {"column index": "field key"}
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now, onupdate=now)

    @property
    def name(self) -> str:
        """The table it reads, in words (the audit log shows it)."""
        return KIND_TITLES.get(self.kind, self.kind)
