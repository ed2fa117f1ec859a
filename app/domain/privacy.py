"""Members' personal numbers as lists and exports show them: an ID number keeps its address
code and last four (110105********002X), a bank card its first and last four
(6222***********1234). Which fields hold such numbers, by their column names, so the audit
log, the lists and the exports mask the same ones.
"""

from __future__ import annotations

from collections.abc import Callable

from app.domain.idcard import mask_id_number

__all__ = [
    "ACCOUNT_FIELDS", "ID_FIELDS", "PRIVATE_FIELDS", "PRIVATE_TITLES", "mask_account", "mask_field",
    "mask_id_number", "masked_rows",
]  # fmt: skip

ID_FIELDS = frozenset({"id_number"})
ACCOUNT_FIELDS = frozenset({"bank_account"})
PRIVATE_FIELDS = ID_FIELDS | ACCOUNT_FIELDS


def mask_account(number: str) -> str:
    """6222 **** **** 1234 as lists show a bank account: the first four and last four stay."""
    digits = "".join(number.split())
    if len(digits) <= 8:
        return digits
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]


# a report's columns holding such numbers, by their titles
PRIVATE_TITLES: dict[str, Callable[[str], str]] = {
    "身份证号": mask_id_number, "证件号码": mask_id_number, "银行账号": mask_account,
}  # fmt: skip


def masked_rows(titles: list[str], rows: list[list[str]]) -> list[list[str]]:
    """A report's rows with the numbers in its private columns (``PRIVATE_TITLES``) masked."""
    masks = {i: PRIVATE_TITLES[t] for i, t in enumerate(titles) if t in PRIVATE_TITLES}
    if not masks:
        return rows
    return [[masks[i](cell) if i in masks and cell else cell for i, cell in enumerate(row)] for row in rows]


def mask_field(field: str, value: str) -> str:
    """``value`` masked as the kind of number ``field`` holds; any other field unchanged."""
    if field in ID_FIELDS:
        return mask_id_number(value)
    if field in ACCOUNT_FIELDS:
        return mask_account(value)
    return value
