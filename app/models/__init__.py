"""Every table, imported here so migrations and ``Base.metadata`` see them all."""

from app.models.activities import (
    Activity,
    ActivityBudgetItem,
    ActivityExpense,
    ActivityLimit,
    ActivityParticipant,
    BudgetCategory,
    BudgetLine,
    CareCategory,
    CategoryWord,
    OtherIncome,
)
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
from app.models.system import AppSetting, UnionProfile

__all__ = [
    "Activity",
    "ActivityBudgetItem",
    "ActivityExpense",
    "ActivityLimit",
    "ActivityParticipant",
    "AppSetting",
    "AuditEntry",
    "Base",
    "BudgetCategory",
    "BudgetLine",
    "CareBatch",
    "CareCap",
    "CareCategory",
    "CareRecord",
    "CareWord",
    "CategoryWord",
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
    "OtherIncome",
    "UnionProfile",
]
