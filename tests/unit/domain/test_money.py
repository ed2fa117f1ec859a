from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.money import MoneyError, amount_in_capitals, format_fen, yuan_to_fen

# RULES.md §9, every row of its table.
RULES_TABLE = [
    (140950, "壹仟肆佰零玖元伍角"),
    (600714, "陆仟零柒元壹角肆分"),
    (1640902, "壹万陆仟肆佰零玖元零贰分"),
    (32504, "叁佰贰拾伍元零肆分"),
    (100500, "壹仟零伍元整"),
    (1000, "壹拾元整"),
    (5, "伍分"),
]


@pytest.mark.parametrize(("fen", "capitals"), RULES_TABLE)
def test_rules_table(fen: int, capitals: str) -> None:
    assert amount_in_capitals(fen) == capitals


@pytest.mark.parametrize(
    ("fen", "capitals"),
    [
        (168032, "壹仟陆佰捌拾元叁角贰分"),  # the one form we chose where both are allowed
        (10000000000, "壹亿元整"),
        (10050000, "壹拾万零伍佰元整"),
        (100010000, "壹佰万零壹佰元整"),
        (1000000100, "壹仟万零壹元整"),
        (10000010000, "壹亿零壹佰元整"),
        (200000, "贰仟元整"),
        (0, "零元整"),
        (50, "伍角"),
        (100, "壹元整"),
        (1001, "壹拾元零壹分"),
    ],
)
def test_zeros_and_units(fen: int, capitals: str) -> None:
    assert amount_in_capitals(fen) == capitals


_DIGITS = "零壹贰叁肆伍陆柒捌玖"


def _parse_capitals(text: str) -> int:
    """An independent reader of capitals, to check the writer by round trip."""
    text = text.removesuffix("整")
    total = section = number = 0
    small = {"拾": 10, "佰": 100, "仟": 1000}
    yuan_part, _, cents_part = text.partition("元")
    if not _:
        yuan_part, cents_part = "", text
    for ch in yuan_part:
        if ch in _DIGITS:
            number = _DIGITS.index(ch)
        elif ch in small:
            section += number * small[ch]
            number = 0
        elif ch == "万":
            total += (section + number) * 10000
            section = number = 0
        elif ch == "亿":
            total = (total + section + number) * 100000000
            section = number = 0
    yuan = total + section + number
    fen = 0
    digit = 0
    for ch in cents_part:
        if ch in _DIGITS:
            digit = _DIGITS.index(ch)
        elif ch == "角":
            fen += digit * 10
        elif ch == "分":
            fen += digit
    return yuan * 100 + fen


def _write_capitals(fen: int) -> str:
    """A second writer of RULES §9, digit by digit (not the program's group-of-four method):
    a run of zeros is written as one 零 before the next non-zero digit; 万 and 亿 close a
    non-empty group; 零 between 元 and 分 when 角 is zero. Where the rule allows both forms
    the program writes no 零: zeros that end in the 万 (亿) place right after 万 (亿) was
    written, before a 仟 digit (壹拾万柒仟, 壹佰万壹仟; as 元 before 角: 捌拾元叁角); when the
    whole 万 group is empty the 零 stays (壹亿零壹仟)."""
    yuan, jiao, cents = fen // 100, fen // 10 % 10, fen % 10
    out: list[str] = []
    zeros: list[int] = []  # the places of the zeros waiting for a non-zero digit
    closed = -1  # the place whose 万 or 亿 was written last
    digits = str(yuan) if yuan else ""
    for place, ch in zip(range(len(digits) - 1, -1, -1), digits, strict=True):
        digit = int(ch)
        if digit == 0:
            if out:
                zeros.append(place)
        else:
            if zeros and not (zeros[-1] in (4, 8) and closed == zeros[-1]):
                out.append("零")
            zeros = []
            out.append(_DIGITS[digit] + ("", "拾", "佰", "仟")[place % 4])
        if place in (4, 8) and yuan // 10**place % 10000:  # the group this place closes is not empty
            out.append("万" if place == 4 else "亿")
            closed = place
    text = "".join(out) + ("元" if yuan else "")
    if jiao == 0 and cents == 0:
        return (text or "零元") + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if cents:
        text += _DIGITS[cents] + "分"
    return text


@pytest.mark.parametrize(("fen", "capitals"), RULES_TABLE)
def test_the_second_writer_knows_the_rules_table(fen: int, capitals: str) -> None:
    assert _write_capitals(fen) == capitals


@settings(max_examples=2000)
@given(
    st.integers(min_value=0, max_value=99_999_999_999)
    | st.text("0001", min_size=1, max_size=11).map(int)  # zeros in every place
)
def test_capitals_agree_with_an_independent_writer(fen: int) -> None:
    assert amount_in_capitals(fen) == _write_capitals(fen)


@given(st.integers(min_value=1, max_value=99_999_999_999))
def test_capitals_round_trip(fen: int) -> None:
    text = amount_in_capitals(fen)
    assert _parse_capitals(text) == fen
    assert "零零" not in text
    assert text.endswith("整") == (fen % 100 == 0)
    assert not text.startswith("零")


@pytest.mark.parametrize(
    ("text", "fen"),
    [("3085", 308500), ("3,085.5", 308550), ("１２３４.５０", 123450), ("15.40元", 1540), ("0.05", 5)],
)
def test_yuan_to_fen(text: str, fen: int) -> None:
    assert yuan_to_fen(text) == fen


@pytest.mark.parametrize("text", ["12.345", "abc", "", "1.2.3", "5380.555"])
def test_bad_amounts_are_refused(text: str) -> None:
    with pytest.raises(MoneyError):
        yuan_to_fen(text)


def test_decimal_and_int_inputs() -> None:
    assert yuan_to_fen(Decimal("12.30")) == 1230
    assert yuan_to_fen(12) == 1200
    with pytest.raises(MoneyError):
        yuan_to_fen(Decimal("0.001"))


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_format_and_read_back(fen: int) -> None:
    assert yuan_to_fen(format_fen(fen)) == fen
