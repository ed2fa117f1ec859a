"""The tables the 会费 page watches, by their names in the database (tests/ui/dues keeps them
equal to the models' ``__tablename__``; this module loads before SQLAlchemy does)."""

from __future__ import annotations

from app.ui.context import GROUPS, MEMBER_EVENTS, MEMBERS, WAGES

CHARGES = "dues_charges"
PAYMENTS = "dues_payments"
PAYMENT_MONTHS = "dues_payment_months"
RULES = "dues_rules"
EXEMPTIONS = "dues_exemptions"
ROLLS = "dues_rolls"

# What a dues figure can change with: the ledger itself, and the rule.
DUES_TABLES = (CHARGES, PAYMENTS, PAYMENT_MONTHS, RULES, EXEMPTIONS, ROLLS)
# The rows of the grid: who is listed, under which group, with which base wage.
MEMBER_TABLES = (MEMBERS, GROUPS, MEMBER_EVENTS, WAGES)
# A cell's state also follows membership and wages (未生成 / 非会员 / 免缴 come from them).
CELL_TABLES = (*DUES_TABLES, MEMBER_EVENTS, WAGES, MEMBERS)
