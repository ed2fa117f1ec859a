"""What a pasted name or remark carries along: control characters, zero-width spaces, emoji,
and values longer than their column (issue 7, defects 4 and 14)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.members import MemberInput, check_name, validate_member
from app.domain.text import clean_text, drop_invisible, first_control, remove_spaces

TODAY = date(2026, 11, 20)
CONTROLS = ["\x00", "\x07", "\x1b", "\x08", "\x0b", "\x0c", "\x7f", "\x85", "\x9f"]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060"]


def member(**overrides: object) -> MemberInput:
    data = MemberInput(name="张伟", id_number="11010519491231002X", joined_on=date(2010, 3, 1))
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


@pytest.mark.parametrize("control", CONTROLS)
def test_a_control_character_in_a_name_is_refused_naming_it(control: str) -> None:
    name, message = check_name(f"张{control}伟")
    assert message is not None and "控制字符" in message
    assert f"U+{ord(control):04X}" in message
    assert control not in name


@pytest.mark.parametrize("emoji", ["😀", "👍🏻", "❤️", "★", "🇨🇳", "👨\u200d👩\u200d👧"])
def test_emoji_in_a_name_are_refused(emoji: str) -> None:
    _name, message = check_name(f"张伟{emoji}")
    assert message is not None and "表情" in message


@pytest.mark.parametrize("invisible", ZERO_WIDTH)
def test_zero_width_characters_are_dropped_from_a_name(invisible: str) -> None:
    assert check_name(f"{invisible}张{invisible}伟{invisible}") == ("张伟", None)


def test_minority_names_still_pass() -> None:
    assert check_name(" 阿依古丽·买买提 ") == ("阿依古丽·买买提", None)


def test_a_name_longer_than_its_column_names_the_limit() -> None:
    _name, message = check_name("张" * 31)
    assert message is not None and "30" in message


@pytest.mark.parametrize("field", ["remark", "position", "ethnicity", "education", "household_type"])
def test_free_text_loses_control_and_zero_width_characters(field: str) -> None:
    data = member(**{field: "一\x07车\x1b间\x00\u200b\x85"})
    errors = validate_member(data, TODAY)
    assert field not in errors
    assert getattr(data, field) == "一车间"


def test_a_remark_keeps_its_line_breaks() -> None:
    data = member(remark="第一行\n第二行\x07")
    assert validate_member(data, TODAY) == {}
    assert data.remark == "第一行\n第二行"


def test_control_characters_in_phone_and_card_number_are_dropped() -> None:
    data = member(phone="138\x070013\x1b8000", card_number="HY\x07001\u200b")
    assert validate_member(data, TODAY) == {}
    assert (data.phone, data.card_number) == ("13800138000", "HY001")


@pytest.mark.parametrize(
    ("field", "limit", "label"),
    [
        ("remark", 500, "备注"),
        ("position", 50, "职务/岗位"),
        ("ethnicity", 20, "民族"),
        ("political_status", 20, "政治面貌"),
        ("education", 20, "学历"),
        ("household_type", 10, "户籍类型"),
        ("card_number", 30, "会员证号"),
    ],
)
def test_values_longer_than_their_column_are_refused_naming_the_field(
    field: str, limit: int, label: str
) -> None:
    assert validate_member(member(**{field: "字" * limit}), TODAY).get(field) is None
    errors = validate_member(member(**{field: "字" * (limit + 1)}), TODAY)
    assert label in errors[field] and str(limit) in errors[field]


@given(st.text(max_size=30))
def test_cleaned_text_holds_nothing_invisible(raw: str) -> None:
    cleaned = clean_text(raw)
    assert first_control(cleaned) is None
    assert not any(ch in cleaned for ch in ZERO_WIDTH)
    assert clean_text(cleaned) == cleaned
    assert drop_invisible(cleaned) == cleaned
    assert not any(ch in remove_spaces(raw) for ch in [*CONTROLS, *ZERO_WIDTH, " ", "\t", "\n"])


def test_direction_overrides_are_dropped_like_zero_width_spaces() -> None:
    from app.domain.text import clean_text

    # U+202E would show "王五" followed by reversed text: invisible, and never part of a name
    assert clean_text("王五\u202e") == "王五"
    assert clean_text("\u2066备注\u2069") == "备注"
    assert clean_text("左\u200f右") == "左右"
