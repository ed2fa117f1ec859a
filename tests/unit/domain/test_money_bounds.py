"""Amounts out of all reason and amounts with fractions of a fen (issue 7, defect 5)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.members import MemberInput, validate_member
from app.domain.money import (
    MAX_AMOUNT_FEN,
    MAX_WAGE_FEN,
    MoneyError,
    check_wage_fen,
    wage_to_fen,
    yuan_to_fen,
)

TODAY = date(2026, 11, 20)


@pytest.mark.parametrize("huge", ["100000000000000000000", 10**20, Decimal("1e20")])
def test_an_amount_beyond_any_books_is_refused_not_overflowing(huge: object) -> None:
    with pytest.raises(MoneyError, match="过大"):
        yuan_to_fen(huge)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_not_a_number_is_refused(bad: Decimal) -> None:
    with pytest.raises(MoneyError, match="不是有效的金额"):
        yuan_to_fen(bad)


def test_more_than_two_decimals_is_refused_naming_the_amount() -> None:
    with pytest.raises(MoneyError, match=r"金额最多两位小数：5380\.005"):
        yuan_to_fen("5380.005")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("100000000000000000000", "工资“100000000000000000000”超出合理范围（0–1,000,000 元）"),
        ("1000000.01", "工资“1000000.01”超出合理范围（0–1,000,000 元）"),
        ("-5", "工资“-5”不能为负数"),
        ("5380.005", "金额最多两位小数：5380.005"),
        ("1e20", "不是有效的金额"),
    ],
)
def test_a_wage_is_bounded_and_the_message_names_it(typed: str, message: str) -> None:
    with pytest.raises(MoneyError) as caught:
        wage_to_fen(typed)
    assert message in str(caught.value)


def test_wages_within_bounds() -> None:
    assert wage_to_fen("0") == 0
    assert wage_to_fen("1,000,000.00") == MAX_WAGE_FEN
    assert wage_to_fen("5380.1") == 538010
    assert check_wage_fen(MAX_WAGE_FEN) is None


def test_the_member_check_bounds_the_dues_wage() -> None:
    data = MemberInput(name="张伟", id_number="11010519491231002X", dues_wage_fen=10**22)
    errors = validate_member(data, TODAY)
    assert "超出合理范围" in errors["dues_wage_fen"] and "1,000,000" in errors["dues_wage_fen"]
    data = MemberInput(name="张伟", id_number="11010519491231002X", dues_wage_fen=-1)
    assert "负数" in validate_member(data, TODAY)["dues_wage_fen"]


@given(st.integers(-MAX_AMOUNT_FEN, MAX_AMOUNT_FEN), st.sampled_from(["{}", "{}元", "¥{}", " {} "]))
def test_typed_amounts_read_exactly_as_decimal_reads_them(fen: int, shape: str) -> None:
    yuan, cents = divmod(abs(fen), 100)
    sign = "-" if fen < 0 else ""
    for typed in (f"{sign}{yuan}.{cents:02d}", f"{sign}{yuan:,}.{cents:02d}"):
        assert yuan_to_fen(shape.format(typed)) == fen == yuan_to_fen(Decimal(typed.replace(",", "")))
    if cents % 10 == 0:  # one decimal, as people type 12.3
        assert yuan_to_fen(f"{sign}{yuan}.{cents // 10}") == fen


def test_thousands_of_digits_are_too_large_not_a_crash() -> None:
    with pytest.raises(MoneyError, match="过大"):
        yuan_to_fen("9" * 5000)
