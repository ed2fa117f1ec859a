from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.idcard import (
    IdNumberError,
    check_character,
    convert_15_to_18,
    mask_id_number,
    normalize_id_text,
    parse_id_number,
)
from app.domain.members import check_identity

TODAY = date(2026, 11, 20)


@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014"])
def test_annex_examples_are_valid(number: str) -> None:
    info = parse_id_number(number, today=TODAY)
    assert info.number == number


def test_birth_date_and_sex_are_derived() -> None:
    info = parse_id_number("11010519491231002X", today=TODAY)
    assert info.birth_date == date(1949, 12, 31)
    assert info.gender == "女"  # sequence 002: even
    assert parse_id_number("440524188001010014", today=TODAY).gender == "男"  # 001: odd


def test_check_character_follows_mod_11_2() -> None:
    assert check_character("11010519491231002") == "X"
    assert check_character("44052418800101001") == "4"


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_check_character_is_the_weighted_sum_of_the_standard(first17: str) -> None:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(digit) * weight for digit, weight in zip(first17, weights, strict=True))
    assert check_character(first17) == "10X98765432"[total % 11]


def test_fifteen_digit_number_is_converted() -> None:
    assert convert_15_to_18("110105491231002") == "11010519491231002X"
    info = parse_id_number("110105491231002", today=TODAY)
    assert info.number == "11010519491231002X"
    assert info.converted_from_15


@pytest.mark.parametrize(
    "raw",
    [
        " 11010519491231002x ",
        "１１０１０５１９４９１２３１００２Ｘ",
        "110105 1949 1231 002X",
        "'11010519491231002X",
        "11010519491231002X\u00a0",
        "\u300011010519491231002X",
    ],
)
def test_typing_and_excel_damage_is_normalised(raw: str) -> None:
    assert parse_id_number(raw, today=TODAY).number == "11010519491231002X"


def test_wrong_check_character_names_the_expected_one() -> None:
    with pytest.raises(IdNumberError, match="应为 X"):
        parse_id_number("110105194912310021", today=TODAY)


@pytest.mark.parametrize("raw", [1.10105194912310e17, "1.10105194912310E+17", "110105194912310000.0"])
def test_number_rounded_by_excel_is_reported_not_guessed(raw: object) -> None:
    with pytest.raises(IdNumberError, match="最后几位已经丢失"):
        parse_id_number(raw, today=TODAY)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "为空"),
        ("1101051949123100", "16 位"),
        ("11010519491331002X", "不是真实的日期"),
        ("11010520300101002X", "晚于今天"),
        ("1101051949123100AX", "前 17 位"),
    ],
)
def test_invalid_numbers_say_why(raw: str, message: str) -> None:
    with pytest.raises(IdNumberError, match=message):
        parse_id_number(raw, today=TODAY)


def test_mismatch_with_entered_birth_date_and_sex() -> None:
    wrong = check_identity("居民身份证", "11010519491231002X", date(1949, 12, 30), "男", TODAY)
    assert set(wrong.errors) == {"birth_date", "gender"}
    assert "1949-12-31" in wrong.errors["birth_date"]
    assert "女" in wrong.errors["gender"]
    right = check_identity("居民身份证", "11010519491231002x", date(1949, 12, 31), "女", TODAY)
    assert right.errors == {}
    assert right.id_number == "11010519491231002X"


def test_blank_birth_date_and_sex_come_from_the_id() -> None:
    filled = check_identity("居民身份证", "110105194912310011", None, "", TODAY)
    assert (filled.birth_date, filled.gender, filled.errors) == (date(1949, 12, 31), "男", {})


def test_mask_keeps_area_and_last_four() -> None:
    assert mask_id_number("11010519491231002X") == "110105********002X"


@st.composite
def valid_ids(draw: st.DrawFn) -> str:
    area = draw(st.integers(110000, 659999))
    birth = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31)))
    seq = draw(st.integers(0, 999))
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_character(first17)


@given(valid_ids())
def test_every_well_formed_number_parses_back(number: str) -> None:
    info = parse_id_number(number, today=TODAY)
    assert info.number == number
    assert info.birth_date.strftime("%Y%m%d") == number[6:14]
    assert (info.gender == "男") == (int(number[16]) % 2 == 1)


@given(valid_ids(), st.integers(0, 16), st.integers(1, 9))
def test_any_single_digit_change_is_caught(number: str, position: int, delta: int) -> None:
    digit = (int(number[position]) + delta) % 10
    changed = number[:position] + str(digit) + number[position + 1 :]
    with pytest.raises(IdNumberError):
        parse_id_number(changed, today=TODAY)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)), st.integers(0, 999))
def test_15_to_18_keeps_birth_date_and_sequence(birth: date, seq: int) -> None:
    old = f"110105{birth:%y%m%d}{seq:03d}"
    new = convert_15_to_18(old)
    assert new[6:14] == f"{birth:%Y%m%d}"
    assert new[14:17] == f"{seq:03d}"
    assert parse_id_number(new, today=TODAY).birth_date == birth


@given(st.text(alphabet="0123456789xX ", min_size=18, max_size=22))
def test_normalise_never_leaves_spaces_or_lowercase(raw: str) -> None:
    text = normalize_id_text(raw)
    assert " " not in text
    assert "x" not in text
