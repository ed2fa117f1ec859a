"""Members' personal numbers as lists and exports show them: an ID number keeps its address
code and last four (110105********002X), a bank card its first and last four
(6222***********1234). Which fields hold such numbers, by their column names, so the audit
log, the lists and the exports mask the same ones.
"""

from __future__ import annotations

from app.domain.hardship import mask_account
from app.domain.idcard import mask_id_number

__all__ = ["ACCOUNT_FIELDS", "ID_FIELDS", "PRIVATE_FIELDS", "mask_account", "mask_field", "mask_id_number"]

ID_FIELDS = frozenset({"id_number"})
ACCOUNT_FIELDS = frozenset({"bank_account"})
PRIVATE_FIELDS = ID_FIELDS | ACCOUNT_FIELDS


def mask_field(field: str, value: str) -> str:
    """``value`` masked as the kind of number ``field`` holds; any other field unchanged."""
    if field in ID_FIELDS:
        return mask_id_number(value)
    if field in ACCOUNT_FIELDS:
        return mask_account(value)
    return value
