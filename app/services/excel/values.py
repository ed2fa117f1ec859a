"""Turning what real spreadsheets hold into clean values, saying what was assumed.

Each reader returns the value or raises CellError with a Chinese message; ``notes``
collects assumptions worth telling the user (e.g. a date given only as year and month).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from decimal import Decimal

from app.domain.money import MAX_AMOUNT_FEN, MAX_WAGE_FEN, WAGE_RANGE
from app.domain.text import clean_text, first_control, quoted, remove_spaces, to_halfwidth

# Excel's 1900 date system: serial 1 = 1900-01-01, and 60 is the 1900-02-29 that never was
# (kept from Lotus 1-2-3), so from 61 = 1900-03-01 on the days count from 1899-12-30.
_EXCEL_EPOCH = date(1899, 12, 30)
_SERIAL_LAST = (date(2100, 12, 31) - _EXCEL_EPOCH).days  # 73415: later serials are not dates
_DATE_PARTS = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?)?\s*月?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_COMPACT_MONTH = re.compile(r"^(\d{4})(\d{2})$")
_MONEY_TEXT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")  # a CSV may hold 1E+20
_CENT = Decimal("0.01")


class CellError(ValueError):
    """A value that cannot be read; the message says why in Chinese."""


def text(value: object) -> str:
    """Any cell as trimmed text: full-width digits and letters made half-width, floats without '.0'."""
    if type(value) is str:  # the common case, kept cheap: called for every cell
        if value.isascii() and value.isprintable():
            return value.strip()
        return clean_text(to_halfwidth(value))  # control and zero-width characters dropped
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


def _serial_date(serial: int, shown: str, notes: list[str] | None) -> date:
    """An Excel serial number (1900 date system) as the date it stands for, noted."""
    if serial == 60:
        raise CellError(f"“{quoted(shown)}”是 Excel 日期序号，对应不存在的 1900-02-29")
    day = (date(1899, 12, 31) if serial < 60 else _EXCEL_EPOCH) + timedelta(days=serial)
    if notes is not None:
        notes.append(f"“{quoted(shown)}”按 Excel 日期序号读作 {day.isoformat()}")
    return day


def read_date(value: object, notes: list[str] | None = None) -> date | None:
    """Real date cells, Excel serials (numbers, or text such as 44860 in a CSV saved from a
    sheet: read in the 1900 date system and noted), 1985-3-12, 1985.03.12, 1985/3/12,
    1985年3月12日, 19850312 and 1985.03 (year-month only: the 1st is assumed and noted)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
        if 19000101 <= number <= 21001231 and number.is_integer():
            return read_date(str(int(number)), notes)
        if 1 <= number <= _SERIAL_LAST and number.is_integer():
            return _serial_date(int(number), text(value), notes)
        raise CellError(f"“{quoted(text(value))}”不是日期")
    raw = remove_spaces(text(value))
    if not raw:
        return None
    digits = raw.removesuffix(".0")
    if digits.isascii() and digits.isdigit() and len(digits) <= 5:
        serial = int(digits)
        if len(digits) == 4 and 1900 <= serial <= 2100:
            raise CellError(f"“{quoted(raw)}”只有年份，请写成 1985-03-12 这样的完整日期")
        if 1 <= serial <= _SERIAL_LAST:
            return _serial_date(serial, raw, notes)
    match = _COMPACT.match(raw)
    parts: tuple[str, str, str | None]
    if match or (match := _DATE_PARTS.match(raw)) is not None:
        parts = (match.group(1), match.group(2), match.group(3))
    elif (match := _COMPACT_MONTH.match(raw)) is not None:
        parts = (match.group(1), match.group(2), None)
    else:
        raise CellError(f"“{quoted(raw)}”不是日期，请写成 1985-03-12 这样")
    year, month = int(parts[0]), int(parts[1])
    day = int(parts[2]) if parts[2] else 1
    try:
        result = date(year, month, day)
    except ValueError:
        raise CellError(f"“{quoted(raw)}”不是真实的日期") from None
    if parts[2] is None and notes is not None:
        notes.append(f"“{quoted(raw)}”只有年月，按当月 1 日记录")
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
    raise CellError(f"性别“{quoted(text(value))}”应为 男 或 女")


_TRUE = {"是", "√", "✓", "✔", "y", "yes", "true", "1", "有", "对"}
_FALSE = {"否", "×", "✗", "n", "no", "false", "0", "无", "不是", ""}


def read_flag(value: object) -> bool:
    raw = text(value).lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise CellError(f"“{quoted(text(value))}”应为 是 或 否（也可写 √ / Y）")


def read_phone(value: object) -> str:
    """Phones stored as numbers come back without '.0'; spaces and dashes between groups tidied."""
    if value.__class__ is str and value.isdigit() and value.isascii():
        return value
    raw = remove_spaces(text(value)).replace("－", "-").replace("—", "-")
    if raw.endswith(".0") and raw[:-2].isdigit():
        raw = raw[:-2]
    return raw


def read_money_fen(value: object, *, label: str = "金额", limit_fen: int = MAX_AMOUNT_FEN,
                   limit_text: str | None = None) -> int | None:  # fmt: skip
    """An amount in yuan (number or text such as '5,380.50元') as integer fen, from 0 to
    ``limit_fen``. More than two decimals is refused, never rounded: a figure in the books
    does not change silently. A number cell is taken as Excel shows it (15 significant
    digits): 5380.1 is 538010 fen exactly, and a sum the sheet computed as
    0.30000000000000004 is the 0.30 it shows."""
    if isinstance(value, bool):
        raise CellError(f"{label}应为数字")
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise CellError(f"{label}应为数字")
        if (isinstance(value, int) or value.is_integer()) and 0 <= value <= limit_fen // 100:
            return int(value) * 100  # whole yuan: the usual case, kept cheap
        if 0 <= value <= limit_fen // 100 and (cents := round(value * 100)) / 100 == value:
            return cents  # yuan and fen whose float is exactly the one the cell holds: 5380.1 is 538010
        shown = f"{value:.15g}" if isinstance(value, float) else str(value)
        amount = Decimal(shown)
    else:
        written = text(value)
        shown = written.removesuffix("元").rstrip().lstrip("¥￥").lstrip().replace(",", "").replace("，", "")
        if not shown:
            return None
        # one number: "25\n26" is two figures, not 2526; no underscore (Python's 1_000) and no
        # control character inside
        if isinstance(value, str) and first_control(value):
            raise CellError(f"“{quoted(written)}”中夹有看不见的控制字符，请重新输入这个金额")
        if not _MONEY_TEXT.fullmatch(shown):
            raise CellError(f"“{quoted(written)}”不是金额")
        amount = Decimal(shown)
    if amount < 0:
        raise CellError(f"{label}“{quoted(shown)}”不能为负数")
    if amount > Decimal(limit_fen).scaleb(-2):
        bounds = limit_text or f"0–{limit_fen // 100:,} 元"
        raise CellError(f"{label}“{quoted(shown)}”超出合理范围（{bounds}）")
    if amount != amount.quantize(_CENT):  # before any arithmetic: 1e-999999999 × 100 rounds to 0
        raise CellError(f"{label}最多两位小数：{quoted(shown)}")
    return int(amount * 100)


def read_wage_fen(value: object) -> int | None:
    """A monthly wage in yuan as fen: 0 to 1,000,000 yuan, at most two decimals."""
    return read_money_fen(value, label="工资", limit_fen=MAX_WAGE_FEN, limit_text=WAGE_RANGE)
