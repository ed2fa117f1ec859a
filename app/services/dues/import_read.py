"""Reading a dues sheet's cells: the columns secretaries use, and what their cells say.

Two shapes come in (``importer.py`` tells them apart): a list, one row per member and month
as payroll deduction lists come, and a member × month grid (台账, ``import_grid.py``). Both
are read column by column (each distinct value once) into rows of ``Line``s, one per
payment; nothing here touches the database.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from app.domain.dues import PayMethod
from app.domain.money import MAX_WAGE_FEN
from app.domain.text import quoted, remove_spaces
from app.domain.yearmonth import YearMonth
from app.services.excel.reader import Sheet
from app.services.excel.table import ColumnMapping, FieldSpec
from app.services.excel.values import CellError, read_date, read_money_fen, text
from app.services.imports.base import PlannedRow, RowIssue
from app.services.imports.columns import Reader, limited_text, read_columns
from app.services.imports.dates import EARLIEST, before_registers
from app.services.progress import NO_PROGRESS, Progress
from app.services.roster import MEMBER_FIELDS, PERSON_READERS

_CHINESE_MONTHS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")
MONTH_KEYS = tuple(f"m{n}" for n in range(1, 13))


def _month_spec(n: int) -> FieldSpec:
    cn = _CHINESE_MONTHS[n - 1]
    names = (f"{cn}月", f"{n:02d}月", f"{n}月份", f"{n:02d}月份", f"{cn}月份")
    return FieldSpec(f"m{n}", f"{n}月", tuple(dict.fromkeys(names)))


_AMOUNT_NAMES = (
    "会费", "金额", "实缴", "实缴会费", "实缴金额", "缴费金额", "代扣金额", "会费金额", "工会会费", "代扣工会会费",
    "缴纳金额", "实收金额",
)  # fmt: skip
DUES_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("seq", "序号", ("编号", "no", "行号")),
    FieldSpec(
        "month",
        "月份",
        ("所属月份", "缴费月份", "会费月份", "代扣月份", "扣款月份", "工资月份", "所属期", "年月"),
    ),
    *MEMBER_FIELDS,
    FieldSpec(
        "amount",
        "代扣会费",
        _AMOUNT_NAMES,
    ),
    # what was due by the sheet's own reckoning: the roll decides what is owed, so never read
    FieldSpec(
        "standard",
        "月缴标准",
        ("应缴", "应缴会费", "应缴金额", "月应缴", "每月应缴", "缴费标准", "会费标准", "月缴会费", "月会费"),
    ),
    FieldSpec("paid_on", "缴费日期", ("代扣日期", "扣款日期", "收款日期", "缴费时间", "收缴日期", "日期")),
    FieldSpec("method", "缴费方式", ("收缴方式", "支付方式", "付款方式", "方式")),
    FieldSpec("receipt_no", "收据号", ("收据编号", "收据号码", "票据号", "票据编号")),
    FieldSpec("note", "备注", ("说明",)),
    FieldSpec("total", "合计", ("全年合计", "年度合计", "小计", "总计", "实缴合计", "合计金额", "累计")),
    *(_month_spec(n) for n in range(1, 13)),
    FieldSpec("error_reason", "错误原因"),  # the error report's own column, when it is imported back
)
IGNORED_FIELDS = frozenset({"seq", "standard", "error_reason"})
LABELS = {spec.key: spec.label for spec in DUES_FIELDS}

# What a secretary writes in a month she collected nothing for: exempt (免), not owed (/),
# not paid (欠). None of it is a payment or an error; the roll decides what was owed.
NO_PAYMENT = frozenset(
    {"/", "／", "\\", "—", "——", "-", "--", "－", "–", "−", "~", "免", "免缴", "免交", "无", "不缴", "未缴",
     "欠", "欠缴", "未交", "退休", "x", "×"}
)  # fmt: skip
MAX_PAYMENT_FEN = MAX_WAGE_FEN  # a month's dues are 0.5 % of a wage: more is a typing error

_METHODS = {
    PayMethod.PAYROLL: ("工资代扣", "代扣", "工资扣", "扣工资", "工资", "工资扣款", "代缴", "工资代缴"),
    PayMethod.CASH: ("现金", "现金缴纳", "现交", "现金缴费"),
    PayMethod.TRANSFER: ("转账", "银行转账", "银行", "汇款", "网银", "对公转账"),
    PayMethod.MOBILE: ("微信支付宝", "微信", "支付宝", "扫码", "移动支付", "手机支付", "二维码"),
}
_METHOD = {word: method.value for method, words in _METHODS.items() for word in words}

_MONTH_TEXT = re.compile(r"^((?:19|20)\d{2})\s*[-./年]\s*(\d{1,2})\s*(?:月份?)?$")
_MONTH_COMPACT = re.compile(r"^((?:19|20)\d{2})(0[1-9]|1[0-2])$")
_MONTH_ONLY = re.compile(r"^(\d{1,2})\s*(?:月份?)?$")
_CHINESE_MONTH = re.compile(r"^(十[一二]|[一二三四五六七八九十])\s*月份?$")
_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


class Line(NamedTuple):
    """One payment a row states."""

    month: date  # the month it stands for, as its 1st
    amount_fen: int
    paid_on: date
    method: str
    receipt_no: str
    note: str
    column: str  # the header of the amount's cell, for messages


@dataclass(slots=True)
class DuesRow(PlannedRow):
    """A row of the sheet: who it is about, the payments it states and, once matched, what
    importing them would do."""

    name: str = ""
    id_number: str = ""
    group: str = ""
    lines: list[Line] = field(default_factory=list)
    member_id: int | None = None
    inserts: list[Line] = field(default_factory=list)  # payments not imported before
    updates: list[tuple[int, Line]] = field(default_factory=list)  # (imported payment, what it becomes)

    def title(self) -> str:
        return self.name


def header(mapping: ColumnMapping, key: str) -> str:
    """The file's own header for a field, or its usual name when the file has none."""
    return mapping.header_of(key) or LABELS.get(key, key)


# -- cells -----------------------------------------------------------------------------------------


def is_no_payment(value: str) -> bool:
    return value in NO_PAYMENT or remove_spaces(value).lower() in NO_PAYMENT


def amount(raw: Any) -> tuple[int | None, str | None]:
    """Fen paid, or None for a blank cell or one saying nothing was paid (/, 免, 无…)."""
    if raw.__class__ is str and is_no_payment(text(raw)):
        return None, None
    try:
        fen = read_money_fen(raw, label="金额", limit_fen=MAX_PAYMENT_FEN)
    except CellError as exc:
        return None, str(exc)
    if fen == 0:
        return None, "金额为 0：没有缴费请留空，免缴的月份可写“免”或“/”"
    return fen, None


def read_total(raw: Any) -> tuple[int | None, str | None]:
    """A 合计 cell is only compared with the months, so one that is not a number is ignored."""
    if raw.__class__ is str and is_no_payment(text(raw)):
        return 0, None
    try:
        return read_money_fen(raw), None
    except CellError:
        return None, None


def read_method(raw: Any) -> tuple[str, str | None]:
    value = remove_spaces(text(raw))
    if not value:
        return "", None
    found = _METHOD.get(value) or _METHOD.get(value.removesuffix("缴费").removesuffix("缴纳"))
    if found is None:
        return "", f"缴费方式“{quoted(value)}”无法识别，应为：{'、'.join(PayMethod)}"
    return found, None


def _paid_on(raw: Any) -> tuple[date | None, str | None]:
    try:
        day = read_date(raw)
    except CellError as exc:
        return None, str(exc)
    if day is not None and day < EARLIEST:
        return None, before_registers(f"缴费日期 {day.isoformat()} ")
    return day, None


MonthCell = tuple[int | None, int]  # (year, or None when the cell gives none; month)


def parse_month(raw: object) -> MonthCell | None:
    """2026年1月, 2026-01, 2026.1, 202601, an Excel date, 1月, 一月; None for a blank cell."""
    if isinstance(raw, (datetime, date)):
        return raw.year, raw.month
    if isinstance(raw, float) and not raw.is_integer() and 1900 < raw < 2100:
        # 2026.1 typed into a number cell; 2026.10 shows as 2026.1 too, and then the same
        # member's October collides with January and is reported as a month written twice
        year, month = f"{raw:.2f}".split(".")
        return _checked(int(year), int(month.rstrip("0") or "0"), text(raw))
    value = remove_spaces(text(raw))
    if not value:
        return None
    if (match := _MONTH_TEXT.match(value) or _MONTH_COMPACT.match(value)) is not None:
        return _checked(int(match.group(1)), int(match.group(2)), value)
    if (match := _MONTH_ONLY.match(value)) is not None:
        return _checked(None, int(match.group(1)), value)
    if (match := _CHINESE_MONTH.match(value)) is not None:
        return None, _CHINESE_MONTHS.index(match.group(1)) + 1
    try:
        day = read_date(raw)  # a whole date, or an Excel date serial
    except CellError:
        raise CellError(f"“{quoted(value)}”不是月份，请写成 2026年1月 或 2026-01 这样") from None
    return (day.year, day.month) if day else None


def _checked(year: int | None, month: int, shown: str) -> MonthCell:
    if not 1 <= month <= 12:
        raise CellError(f"“{quoted(shown)}”不是月份，请写成 2026年1月 或 2026-01 这样")
    if year is not None and year < EARLIEST.year:
        raise CellError(before_registers(f"月份“{quoted(shown)}”"))
    return year, month


def _month(raw: Any) -> tuple[MonthCell | None, str | None]:
    try:
        return parse_month(raw), None
    except CellError as exc:
        return None, str(exc)


def last_paid_day(month: date, today: date) -> date:
    """When a month's payment without a date of its own was paid: the month's last day, or
    today for the month in progress."""
    return min(YearMonth.of(month).last_day(), today)


def title_year(sheet: Sheet, header_row: int) -> int | None:
    """The year a title above the table names (2026年会费收缴台账), if one does."""
    for number, cells in sheet.numbered():
        if number >= header_row:
            break
        for cell in cells:
            found = _TITLE_YEAR.search(text(cell))
            if found:
                return int(found.group(1))
    return None


# -- a list: one row per member and month ----------------------------------------------------------


@dataclass(frozen=True)
class ListContext:
    today: date
    year: int  # for months written without one (1月)
    month: YearMonth | None  # every row's month when the file is one month's list


_LIST_READERS: dict[str, Reader] = {
    **PERSON_READERS,
    "month": _month,
    "amount": amount,
    "paid_on": _paid_on,
    "method": read_method,
    "receipt_no": limited_text("收据号", 30),
    "note": limited_text("备注", 200),
}


def read_list(
    mapping: ColumnMapping,
    rows: Sequence[tuple[int, list[Any]]],
    context: ListContext,
    progress: Progress = NO_PROGRESS,
) -> tuple[list[DuesRow], bool]:
    """The rows, and whether some month was written without its year (1月)."""
    values, errors = read_columns(mapping, rows, _LIST_READERS, lambda k: header(mapping, k), progress)
    headers = {key: header(mapping, key) for key in _LIST_READERS}
    has_month = mapping.column_of("month") is not None
    this_month = YearMonth.of(context.today).first_day()
    planned: list[DuesRow] = []
    columns = [values[key] for key in _LIST_READERS]
    for index, ((number, cells), (name, id_number, group, month_cell, fen, paid_on, method, receipt, note)) in (
        enumerate(zip(rows, zip(*columns, strict=True), strict=True))
    ):  # fmt: skip
        unreadable = errors.get(index, {})
        issues = [RowIssue(number, headers[k], m) for k, m in unreadable.items()]
        row = DuesRow(number, cells, "error", issues, name=name, id_number=id_number, group=group)
        planned.append(row)
        # a month that could not be read is told once, not once more as a month left out
        month = (
            None
            if "month" in unreadable
            else _row_month(row, month_cell, context, headers["month"], has_month)
        )
        if month is None or fen is None or issues:
            if fen is None and not issues:
                row.action = "unchanged"
                row.notes.append("没有金额，不记缴费")
            continue
        if month > this_month:
            where = headers["month"] if has_month else headers["amount"]
            row.issues.append(
                RowIssue(number, where, f"{YearMonth.of(month).chinese()}还没有到，不能记入缴费")
            )
            continue
        if paid_on is not None and paid_on > context.today:
            row.issues.append(
                RowIssue(number, headers["paid_on"], f"缴费日期 {paid_on.isoformat()} 还没有到")
            )
            continue
        day = paid_on or last_paid_day(month, context.today)
        method = method or PayMethod.PAYROLL.value
        row.lines.append(Line(month, fen, day, method, receipt, note, headers["amount"]))
    no_year = any(cell is not None and cell[0] is None for cell in set(values["month"]))
    return planned, no_year and context.month is None


def _row_month(
    row: DuesRow, cell: MonthCell | None, context: ListContext, column: str, has_month: bool
) -> date | None:
    """The month a list row stands for, or None with the reason among its issues."""
    wanted = context.month
    if cell is None:
        if wanted is not None:
            return wanted.first_day()
        if has_month:
            row.issues.append(RowIssue(row.row, column, "请填写月份（如 2026年1月）"))
        return None
    year, month = cell
    if year is None:
        year = wanted.year if wanted is not None else context.year
    found = YearMonth(year, month)
    if wanted is not None and found != wanted:
        row.issues.append(
            RowIssue(row.row, column, f"月份是{found.chinese()}，与指定导入的{wanted.chinese()}不同")
        )
        return None
    return found.first_day()
