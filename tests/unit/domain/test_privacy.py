"""Which personal numbers are masked, and how: an ID number keeps its address code and last
four, a bank card its first and last four; other fields pass unchanged."""

from __future__ import annotations

from app.domain.privacy import (
    ACCOUNT_FIELDS,
    ID_FIELDS,
    PRIVATE_FIELDS,
    mask_account,
    mask_field,
    mask_id_number,
)


def test_id_numbers_keep_the_address_code_and_the_last_four() -> None:
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_field("id_number", "11010519491231002X") == "110105********002X"
    assert mask_id_number("110105491231002") == "110105*****1002"  # an old 15-digit number too


def test_bank_cards_keep_the_first_and_last_four_whatever_the_spacing() -> None:
    assert mask_account("6222020200112233445") == "6222***********3445"
    assert mask_account("6222 0202 0011 2233 445") == "6222***********3445"
    assert mask_field("bank_account", "6217000010001234567") == "6217***********4567"
    assert mask_account("") == ""


def test_other_fields_are_left_as_they_are() -> None:
    assert mask_field("phone", "13912345678") == "13912345678"
    assert mask_field("name", "11010519491231002X") == "11010519491231002X"
    assert PRIVATE_FIELDS == ID_FIELDS | ACCOUNT_FIELDS == {"id_number", "bank_account"}


def test_a_masked_number_masks_to_itself() -> None:
    # the lists mask what a service may have masked already (困难职工档案): no double work shows
    for number, mask in (("11010519491231002X", mask_id_number), ("6222020200112233445", mask_account)):
        once = mask(number)
        assert mask(once) == once and once != number
