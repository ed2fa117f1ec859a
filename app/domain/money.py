"""Money as integer fen (分) and amounts in capitals (人民币大写) — RULES.md §9."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from app.domain.text import remove_spaces, to_halfwidth

if TYPE_CHECKING:
    from decimal import Decimal

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_BIG_UNITS = ("", "万", "亿", "万亿")
_AMOUNT = re.compile(r"^-?\d+(\.\d{1,2})?$")
_TOO_PRECISE = re.compile(r"^-?\d+\.\d{3,}$")

# Any amount: 10 万亿 yuan, far beyond a union's books and well inside SQLite's 64-bit integers.
MAX_AMOUNT_FEN = 10**15
# A monthly wage (the dues base, RULES §1): 0 to 1,000,000.00 yuan.
MAX_WAGE_FEN = 100_000_000
WAGE_RANGE = "0–1,000,000 元"


class MoneyError(ValueError):
    """An amount that cannot be read; the message is Chinese."""


def yuan_to_fen(text: str | int | Decimal) -> int:
    """Read '1,234.5', '１２３４.５０元' or 1234 as fen. More than two decimals is an error, and
    so is an amount beyond ``MAX_AMOUNT_FEN``: a figure in the books is never changed silently."""
    if isinstance(text, int):
        fen = text * 100
    elif isinstance(text, str):
        cleaned = remove_spaces(to_halfwidth(text)).replace(",", "").replace("，", "")
        cleaned = cleaned.removesuffix("元").removeprefix("¥").removeprefix("￥")
        if _TOO_PRECISE.match(cleaned):
            raise MoneyError(f"金额最多两位小数：{cleaned}")
        if not _AMOUNT.match(cleaned):
            raise MoneyError(f"“{text}”不是有效的金额，请填写数字，最多两位小数")
        # digits and at most two decimals: counted exactly without Decimal, which the
        # window would otherwise load as it starts
        whole, _, cents = cleaned.removeprefix("-").partition(".")
        if len(whole) > len(str(MAX_AMOUNT_FEN)):  # before int() reads thousands of digits
            raise MoneyError(f"金额“{text}”过大，请核对")
        fen = int(whole) * 100 + int(cents.ljust(2, "0"))
        fen = -fen if cleaned.startswith("-") else fen
    else:
        fen = _decimal_fen(text)
    if abs(fen) > MAX_AMOUNT_FEN:
        raise MoneyError(f"金额“{text}”过大，请核对")
    return fen


def _decimal_fen(value: Decimal) -> int:
    from decimal import InvalidOperation

    if not value.is_finite():
        raise MoneyError(f"“{value}”不是有效的金额")
    try:
        exact = value * 100
    except InvalidOperation as exc:  # pragma: no cover - a finite Decimal times 100
        raise MoneyError(f"“{value}”不是有效的金额") from exc
    if exact != exact.to_integral_value():
        raise MoneyError(f"金额最多两位小数：{value}")
    if abs(exact) > MAX_AMOUNT_FEN:
        raise MoneyError(f"金额“{value}”过大，请核对")
    return int(exact)


def check_wage_fen(fen: int, label: str = "工资", shown: str | None = None) -> str | None:
    """Why ``fen`` cannot be a monthly wage, naming the value (``shown``, else the amount), or None."""
    if 0 <= fen <= MAX_WAGE_FEN:
        return None
    value = shown if shown is not None else format_fen(fen)
    if fen < 0:
        return f"{label}“{value}”不能为负数"
    return f"{label}“{value}”超出合理范围（{WAGE_RANGE}）"


def wage_to_fen(text: str | int | Decimal, label: str = "工资") -> int:
    """A monthly wage typed in yuan, as fen: ``yuan_to_fen`` within 0–1,000,000 yuan."""
    try:
        fen = yuan_to_fen(text)
    except MoneyError:
        if isinstance(text, str) and _AMOUNT.match(remove_spaces(text).replace(",", "")):
            raise MoneyError(f"{label}“{text.strip()}”超出合理范围（{WAGE_RANGE}）") from None
        raise
    message = check_wage_fen(fen, label, str(text).strip())
    if message:
        raise MoneyError(message)
    return fen


def format_fen(fen: int, *, thousands: bool = True) -> str:
    """1234567 → '12,345.67'."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    whole = f"{yuan:,}" if thousands else str(yuan)
    return f"{sign}{whole}.{cents:02d}"


def _four_digits(group: int) -> str:
    """Capitals for 0..9999 with inner zeros collapsed; leading zero handled by caller."""
    out: list[str] = []
    zero_pending = False
    for pos in range(3, -1, -1):
        digit = group // 10**pos % 10
        if digit == 0:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        out.append(_DIGITS[digit] + _SMALL_UNITS[pos])
    return "".join(out)


def _integer_capitals(yuan: int) -> str:
    groups: list[int] = []
    while yuan:
        groups.append(yuan % 10000)
        yuan //= 10000
    parts: list[str] = []
    need_zero = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            need_zero = bool(parts)
            continue
        if parts and (need_zero or group < 1000):
            parts.append("零")
        parts.append(_four_digits(group) + _BIG_UNITS[index])
        need_zero = False
    return "".join(parts)


def amount_in_capitals(fen: int) -> str:
    """RULES §9: 1409.50 → 壹仟肆佰零玖元伍角; 16409.02 → 壹万陆仟肆佰零玖元零贰分.

    Where the rule allows both forms we write no 零 between 元 and a non-zero 角
    (1680.32 → 壹仟陆佰捌拾元叁角贰分), everywhere.
    """
    if fen < 0:
        return "负" + amount_in_capitals(-fen)
    yuan, cents = divmod(fen, 100)
    jiao, fen_digit = divmod(cents, 10)
    if yuan == 0 and cents == 0:
        return "零元整"
    text = _integer_capitals(yuan) + "元" if yuan else ""
    if jiao == 0 and fen_digit == 0:
        return text + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen_digit:
        text += _DIGITS[fen_digit] + "分"
    return text
