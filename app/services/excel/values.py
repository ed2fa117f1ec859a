"""Turning what real spreadsheets hold into clean values, saying what was assumed.

Each reader returns the value or raises CellError with a Chinese message; ``notes``
collects assumptions worth telling the user (e.g. a date given only as year and month).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from app.domain.text import clean_text, remove_spaces, to_halfwidth

_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01, counting Excel's phantom 1900-02-29
_DATE_PARTS = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?)?\s*月?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_COMPACT_MONTH = re.compile(r"^(\d{4})(\d{2})$")


class CellError(ValueError):
    """A value that cannot be read; the message says why in Chinese."""


def text(value: object) -> str:
    """Any cell as trimmed text: full-width digits and letters made half-width, floats without '.0'."""
    if type(value) is str:  # the common case, kept cheap: called for every cell
        if value.isascii():
            return value.strip()
        return clean_text(to_halfwidth(value))
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return clean_text(to_halfwidth(str(value)))


def is_blank(value: object) -> bool:
    if value is None or value == "":
        return True
    return isinstance(value, str) and not clean_text(value)


def read_date(value: object, notes: list[str] | None = None) -> date | None:
    """Real date cells, Excel serials, 1985-3-12, 1985.03.12, 1985/3/12, 1985年3月12日,
    19850312 and 1985.03 (year-month only: the 1st is assumed and noted)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
        if 19000101 <= number <= 21001231 and number.is_integer():
            return read_date(str(int(number)), notes)
        if 1 <= number < 100000 and number.is_integer():
            return _EXCEL_EPOCH + timedelta(days=int(number))
        raise CellError(f"“{text(value)}”不是日期")
    raw = remove_spaces(text(value))
    if not raw:
        return None
    match = _COMPACT.match(raw)
    parts: tuple[str, str, str | None]
    if match or (match := _DATE_PARTS.match(raw)) is not None:
        parts = (match.group(1), match.group(2), match.group(3))
    elif (match := _COMPACT_MONTH.match(raw)) is not None:
        parts = (match.group(1), match.group(2), None)
    else:
        raise CellError(f"“{raw}”不是日期，请写成 1985-03-12 这样")
    year, month = int(parts[0]), int(parts[1])
    day = int(parts[2]) if parts[2] else 1
    try:
        result = date(year, month, day)
    except ValueError:
        raise CellError(f"“{raw}”不是真实的日期") from None
    if parts[2] is None and notes is not None:
        notes.append(f"“{raw}”只有年月，按当月 1 日记录")
    return result


_GENDERS = {
    "男": "男",
    "女": "女",
    "男性": "男",
    "女性": "女",
    "m": "男",
    "f": "女",
    "male": "男",
    "female": "女",
}


def read_gender(value: object) -> str:
    raw = text(value).lower()
    if not raw:
        return ""
    if raw in _GENDERS:
        return _GENDERS[raw]
    raise CellError(f"性别“{text(value)}”应为 男 或 女")


_TRUE = {"是", "√", "✓", "✔", "y", "yes", "true", "1", "有", "对"}
_FALSE = {"否", "×", "✗", "n", "no", "false", "0", "无", "不是", ""}


def read_flag(value: object) -> bool:
    raw = text(value).lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise CellError(f"“{text(value)}”应为 是 或 否（也可写 √ / Y）")


def read_phone(value: object) -> str:
    """Phones stored as numbers come back without '.0'; spaces and dashes between groups tidied."""
    if value.__class__ is str and value.isdigit() and value.isascii():
        return value
    raw = remove_spaces(text(value)).replace("－", "-").replace("—", "-")
    if raw.endswith(".0") and raw[:-2].isdigit():
        raw = raw[:-2]
    return raw


def read_money_fen(value: object) -> int | None:
    """An amount in yuan (number or text such as '5,380.50元') as integer fen."""
    if isinstance(value, bool):
        raise CellError("金额应为数字")
    if isinstance(value, (int, float)):
        if not math.isfinite(float(value)):
            raise CellError("金额应为数字")
        amount = Decimal(str(value))
    else:
        raw = remove_spaces(text(value)).replace(",", "").replace("，", "").removesuffix("元")
        raw = raw.lstrip("¥￥")
        if not raw:
            return None
        try:
            amount = Decimal(raw)
        except InvalidOperation:
            raise CellError(f"“{text(value)}”不是金额") from None
    fen = amount * 100
    if fen != fen.to_integral_value():
        # a wage typed with 3+ decimals: round to the fen, which is what the payroll meant
        fen = fen.quantize(Decimal(1))
    if fen < 0:
        raise CellError("金额不能为负数")
    return int(fen)
