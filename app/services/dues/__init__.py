"""The dues area (会费): the dated rule, the monthly roll, payments, batches, imports,
summaries, arrears and receipts.

Other areas use dues only through the names exported here.
"""

from typing import TYPE_CHECKING

from app.lazy import lazy_exports

if TYPE_CHECKING:
    from app.services.dues.arrears import ArrearsRow, list_arrears
    from app.services.dues.bases import WageImporter, WageImportOptions
    from app.services.dues.batch import BatchLine, BatchPlan, apply_batch, plan_batch
    from app.services.dues.checks import reconcile
    from app.services.dues.demo import build_demo_dues
    from app.services.dues.exemptions import (
        ExemptionChange,
        ExemptionInfo,
        add_exemption,
        list_exemptions,
        remove_exemption,
    )
    from app.services.dues.import_due import Difference
    from app.services.dues.importer import DuesImporter, DuesImportOptions, DuesPlan
    from app.services.dues.ledger import (
        CellState,
        GridCell,
        MemberDues,
        balances,
        member_dues,
        owed_before,
        owed_before_each,
        year_grid,
    )
    from app.services.dues.payments import (
        PaymentInfo,
        PaymentInput,
        delete_payment,
        get_payment,
        list_payments,
        payment_notes,
        record_payment,
    )
    from app.services.dues.rolls import (
        RollInfo,
        RollResult,
        list_rolls,
        refresh_member_dues,
        reroll,
        roll,
        undo_roll,
    )
    from app.services.dues.rules import list_rules, load_rules, set_rule
    from app.services.dues.summary import DuesSummary, Totals, latest_charged_month, received_fen, summarize

_EXPORTS = {
    "ArrearsRow": "arrears",
    "list_arrears": "arrears",
    "BatchLine": "batch",
    "BatchPlan": "batch",
    "apply_batch": "batch",
    "plan_batch": "batch",
    "CellState": "ledger",
    "GridCell": "ledger",
    "MemberDues": "ledger",
    "balances": "ledger",
    "member_dues": "ledger",
    "owed_before": "ledger",
    "owed_before_each": "ledger",
    "year_grid": "ledger",
    "PaymentInfo": "payments",
    "PaymentInput": "payments",
    "delete_payment": "payments",
    "get_payment": "payments",
    "list_payments": "payments",
    "payment_notes": "payments",
    "record_payment": "payments",
    "reconcile": "checks",
    "build_demo_dues": "demo",
    "RollInfo": "rolls",
    "RollResult": "rolls",
    "list_rolls": "rolls",
    "roll": "rolls",
    "refresh_member_dues": "rolls",
    "undo_roll": "rolls",
    "reroll": "rolls",
    "ExemptionChange": "exemptions",
    "ExemptionInfo": "exemptions",
    "add_exemption": "exemptions",
    "list_exemptions": "exemptions",
    "remove_exemption": "exemptions",
    "list_rules": "rules",
    "load_rules": "rules",
    "set_rule": "rules",
    "DuesSummary": "summary",
    "Totals": "summary",
    "latest_charged_month": "summary",
    "summarize": "summary",
    "received_fen": "summary",
    "Difference": "import_due",
    "DuesImporter": "importer",
    "DuesImportOptions": "importer",
    "DuesPlan": "importer",
    "WageImporter": "bases",
    "WageImportOptions": "bases",
}
__getattr__ = lazy_exports(__name__, _EXPORTS)
__all__ = [
    "ArrearsRow",
    "BatchLine",
    "BatchPlan",
    "CellState",
    "Difference",
    "DuesImportOptions",
    "DuesImporter",
    "DuesPlan",
    "DuesSummary",
    "ExemptionChange",
    "ExemptionInfo",
    "GridCell",
    "MemberDues",
    "PaymentInfo",
    "PaymentInput",
    "RollInfo",
    "RollResult",
    "Totals",
    "WageImportOptions",
    "WageImporter",
    "add_exemption",
    "apply_batch",
    "balances",
    "build_demo_dues",
    "delete_payment",
    "get_payment",
    "latest_charged_month",
    "list_arrears",
    "list_exemptions",
    "list_payments",
    "list_rolls",
    "list_rules",
    "load_rules",
    "member_dues",
    "owed_before",
    "owed_before_each",
    "payment_notes",
    "plan_batch",
    "received_fen",
    "reconcile",
    "record_payment",
    "refresh_member_dues",
    "remove_exemption",
    "reroll",
    "roll",
    "set_rule",
    "summarize",
    "undo_roll",
    "year_grid",
]
