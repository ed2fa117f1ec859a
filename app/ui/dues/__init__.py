"""The dues area's pages and dialogs (会费). Other areas' pages use only the names here; all
but ``DUES_TABLES`` load their module on first use (the window starts without them)."""

from typing import TYPE_CHECKING

from app.lazy import lazy_exports
from app.ui.dues.changes import DUES_TABLES

if TYPE_CHECKING:
    from app.ui.dues.payment_columns import covered_column
    from app.ui.dues.payments_dialog import PaymentsDialog

__getattr__ = lazy_exports(
    __name__, {"covered_column": "payment_columns", "PaymentsDialog": "payments_dialog"}
)
__all__ = ["DUES_TABLES", "PaymentsDialog", "covered_column"]
