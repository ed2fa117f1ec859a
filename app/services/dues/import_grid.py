"""Reading a member × month grid (会费台账): one row per member, a column per month.

Such grids are kept by hand: title rows above the header (the year is often only there),
序号, often no ID numbers, "/" or "免" in the months a member owed nothing, a 合计 column
and a totals row. Blank and "/" cells are no payment; the roll decides what was owed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.domain.dues import PayMethod
from app.domain.money import format_fen
from app.domain.text import remove_spaces
from app.domain.yearmonth import YearMonth
from app.services.dues.import_read import (
    MONTH_KEYS,
    DuesRow,
    Line,
    amount,
    header,
    last_paid_day,
    read_method,
    read_total,
)
from app.services.excel.table import ColumnMapping
from app.services.imports.base import RowIssue
from app.services.imports.columns import Reader, limited_text, read_columns
from app.services.progress import NO_PROGRESS, Progress
from app.services.roster import PERSON_READERS

# "2026年1月", "2026-01", "2026.1月份" as a column's header: a month with its own year
_DATED_HEADER = re.compile(r"^((?:19|20)\d{2})[-./年](\d{1,2})(?:月份?)?(?:会费)?$")


_PAYROLL = PayMethod.PAYROLL.value
_new = tuple.__new__


@dataclass(frozen=True)
class MonthColumn:
    column: int  # index in the sheet's row
    key: str  # the field key its cells are read under
    month: date  # as its 1st
    header: str


def month_columns(mapping: ColumnMapping, year: int) -> list[MonthColumn]:
    """The grid's month columns: 1月…12月 of ``year``, and headers that carry their own year
    (2026年1月), which no fixed list of header names can hold."""
    found: list[MonthColumn] = []
    for col, key in mapping.fields.items():
        if key in MONTH_KEYS:
            found.append(MonthColumn(col, key, date(year, int(key[1:]), 1), mapping.headers[col]))
    for col, raw in enumerate(mapping.headers):
        if col in mapping.fields:
            continue
        match = _DATED_HEADER.match(remove_spaces(raw))
        if match and 1 <= int(match.group(2)) <= 12:
            month = date(int(match.group(1)), int(match.group(2)), 1)
            found.append(MonthColumn(col, f"dated{col}", month, raw))
    return sorted(found, key=lambda c: (c.month, c.column))


def has_dated_months(mapping: ColumnMapping) -> bool:
    return any(
        _DATED_HEADER.match(remove_spaces(h))
        for col, h in enumerate(mapping.headers)
        if col not in mapping.fields
    )


@dataclass(frozen=True)
class GridContext:
    today: date
    columns: list[MonthColumn]  # the months to import (one, when the user named a month)


def read_grid(
    mapping: ColumnMapping,
    rows: Sequence[tuple[int, list[Any]]],
    context: GridContext,
    progress: Progress = NO_PROGRESS,
) -> tuple[list[DuesRow], list[RowIssue]]:
    """The rows, and a warning for each row whose 合计 is not the sum of its months."""
    # dated headers are no field of the mapping: read them under keys of their own
    fields = dict(mapping.fields)
    for month_column in context.columns:
        fields[month_column.column] = month_column.key
    reading = ColumnMapping(mapping.header_row, mapping.headers, fields, mapping.unknown)
    readers: dict[str, Reader] = {
        **PERSON_READERS,
        "method": read_method,
        "note": limited_text("备注", 200),
        "total": read_total,
        **{c.key: amount for c in context.columns},
    }
    values, errors = read_columns(reading, rows, readers, lambda k: _header(reading, k), progress)
    person = list(zip(values["name"], values["id_number"], values["group"], strict=True))
    methods, notes, totals = values["method"], values["note"], values["total"]
    this_month = YearMonth.of(context.today).first_day()
    months = [(c.month, last_paid_day(c.month, context.today), c.header) for c in context.columns]
    future = [i for i, c in enumerate(context.columns) if c.month > this_month]
    # each row's months side by side; a row of blanks is settled at C speed
    by_row = list(zip(*(values[c.key] for c in context.columns), strict=True)) or [()] * len(rows)
    total_header = header(mapping, "total") if mapping.column_of("total") is not None else ""
    warnings: list[RowIssue] = []
    headers = {key: _header(reading, key) for key in readers}
    planned: list[DuesRow] = []
    for index, (number, cells) in enumerate(rows):
        name, id_number, group = person[index]
        issues = (
            [RowIssue(number, headers[k], m) for k, m in errors[index].items()] if index in errors else []
        )
        row = DuesRow(number, cells, "error", issues, name=name, id_number=id_number, group=group)
        planned.append(row)
        fens = by_row[index]
        if any(fens):
            for i in future:
                if fens[i] is not None:
                    message = f"{YearMonth.of(months[i][0]).chinese()}还没有到，不能记入缴费"
                    issues.append(RowIssue(number, months[i][2], message))
            if not issues:
                method, note = methods[index] or _PAYROLL, notes[index]
                # Line(...) without its keyword-handling wrapper: half the cost, 600,000 times
                row.lines = [
                    _new(Line, (month, fen, paid_on, method, "", note, column))
                    for fen, (month, paid_on, column) in zip(fens, months, strict=True)
                    if fen is not None
                ]
        total = totals[index]
        if total is not None and total_header and not issues:
            months_sum = sum(filter(None, fens))
            if total != months_sum:
                message = f"合计为 {format_fen(total)} 元，各月之和为 {format_fen(months_sum)} 元，请核对"
                warnings.append(RowIssue(number, total_header, message))
        if not row.lines and not issues:
            row.action = "unchanged"
    return planned, warnings


def _header(mapping: ColumnMapping, key: str) -> str:
    col = mapping.column_of(key)
    return mapping.headers[col] if col is not None else header(mapping, key)
