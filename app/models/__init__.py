"""Every table, imported here so migrations and ``Base.metadata`` see them all."""

from app.models.audit import AuditEntry
from app.models.base import Base
from app.models.care import CareBatch, CareCap, CareRecord, CareWord, HardshipFile, HardshipRelative
from app.models.dues import (
    DuesCharge,
    DuesExemption,
    DuesPayment,
    DuesPaymentMonth,
    DuesRoll,
    DuesRuleSetting,
)
from app.models.imports import ImportMapping
from app.models.roster import DuesBaseWage, Group, Member, MembershipEvent
from app.models.system import UnionProfile

__all__ = [
    "AuditEntry",
    "Base",
    "CareBatch",
    "CareCap",
    "CareRecord",
    "CareWord",
    "DuesBaseWage",
    "DuesCharge",
    "DuesExemption",
    "DuesPayment",
    "DuesPaymentMonth",
    "DuesRoll",
    "DuesRuleSetting",
    "Group",
    "HardshipFile",
    "HardshipRelative",
    "ImportMapping",
    "Member",
    "MembershipEvent",
    "UnionProfile",
]
