"""Money as integer fen (分) and amounts in capitals (人民币大写) — RULES.md §9."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from app.domain.text import remove_spaces, to_halfwidth

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_BIG_UNITS = ("", "万", "亿", "万亿")
_AMOUNT = re.compile(r"^-?\d+(\.\d{1,2})?$")


class MoneyError(ValueError):
    """An amount that cannot be read; the message is Chinese."""


def yuan_to_fen(text: str | int | Decimal) -> int:
    """Read '1,234.5', '１２３４.５０元' or 1234 as fen. More than two decimals is an error."""
    if isinstance(text, int):
        return text * 100
    if isinstance(text, Decimal):
        value = text
    else:
        cleaned = remove_spaces(to_halfwidth(text)).replace(",", "").replace("，", "")
        cleaned = cleaned.removesuffix("元").removeprefix("¥").removeprefix("￥")
        if not _AMOUNT.match(cleaned):
            raise MoneyError(f"“{text}”不是有效的金额，请填写数字，最多两位小数")
        value = Decimal(cleaned)
    try:
        fen = value * 100
    except InvalidOperation as exc:  # pragma: no cover - Decimal input already validated
        raise MoneyError(f"“{text}”不是有效的金额") from exc
    if fen != fen.to_integral_value():
        raise MoneyError(f"金额“{text}”最多两位小数（精确到分）")
    return int(fen)


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
