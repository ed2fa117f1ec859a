"""Reading a table's data rows column by column.

A 50,000-row sheet holds a few dozen distinct values in most columns (性别, 部门, 月份,
金额…), so each column is read once per distinct value and the result shared. What
depends on several columns at once is the importer's to check, row by row, afterwards.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from app.domain.text import to_halfwidth, too_long
from app.services.excel.reader import ErrorCell, FormulaWithoutValue, Sheet
from app.services.excel.table import ColumnMapping
from app.services.excel.values import is_blank, text
from app.services.progress import NO_PROGRESS, Progress

# A reader turns one cell into (value, message or None); it is given "" for an empty cell.
Reader = Callable[[Any], tuple[Any, str | None]]


def limited_text(label: str, limit: int) -> Reader:
    """A text column its table holds at most ``limit`` characters of: longer is an error
    naming the column, never cut silently."""

    def reader(raw: Any) -> tuple[str, str | None]:
        value = text(raw)
        return value, too_long(label, value, limit)

    return reader


# Lines under the table that are not data: 合计 155人, 制表人：…, 注：…
FOOTER_WORDS = tuple(
    to_halfwidth(word)
    for word in ("合计", "总计", "小计", "共计", "制表", "填表", "审核", "负责人", "填报人", "联系人",
                 "注：", "说明：", "备注：")
)  # fmt: skip
_FOOTER_FIRST = frozenset(word[0] for word in FOOTER_WORDS)


def _row_kind(cells: Sequence[Any]) -> str:
    """Whether a row is "blank", a "footer" line or "data", judged by its first three values."""
    seen = 0
    for cell in cells:
        if cell.__class__ is str:
            stripped = cell.strip()
            if not stripped or (stripped[0] in "\u200b\ufeff" and is_blank(stripped)):
                continue
            if stripped[0] in _FOOTER_FIRST and text(stripped).startswith(FOOTER_WORDS):
                return "footer"
        elif cell is None:
            continue
        seen += 1
        if seen == 3:
            break
    return "data" if seen else "blank"


def split_rows(
    rows: Sequence[tuple[int, list[Any]]], key_column: int
) -> tuple[list[tuple[int, list[Any]]], list[int]]:
    """(data rows, numbers of the footer lines ignored). Blank rows are dropped; once a
    footer line has been seen, a row with nothing in the key column is part of the footer too."""
    data: list[tuple[int, list[Any]]] = []
    ignored: list[int] = []
    footer_seen = False
    for number, cells in rows:
        kind = _row_kind(cells)
        if kind == "blank":
            continue
        if kind == "footer" or (
            footer_seen and is_blank(cells[key_column] if key_column < len(cells) else "")
        ):
            footer_seen = True
            ignored.append(number)
            continue
        data.append((number, cells))
    return data, ignored


def table_rows(
    sheet: Sheet, mapping: ColumnMapping, key: str
) -> tuple[list[tuple[int, list[Any]]], list[int]]:
    """The numbered data rows under the header, and the footer lines ignored. ``key`` is the
    field every data row has (姓名): after a footer, a row without it is footer too."""
    first = max(mapping.header_row + 1, sheet.first_row)
    numbered = zip(itertools.count(first), sheet.rows[first - sheet.first_row :], strict=False)
    rows = [(number, cells) for number, cells in numbered if cells]  # a long gap is one shared empty list
    return split_rows(rows, mapping.column_of(key) or 0)


def formula_message(key: str, formula: str) -> str:
    if key == "id_number":
        return f"是公式（{formula}），但文件中没有计算结果，请改为直接填写号码"
    return f"是公式（{formula}），但文件中没有计算结果。请在 Excel 中打开并保存后再导入，或把公式改为数值"


def error_cell_message(shown: str) -> str:
    return f"显示为错误值 {shown}（多是公式出了错），请在 Excel 中改正后再导入"


def read_column(key: str, read: Reader, cells: Sequence[Any]) -> tuple[list[Any], dict[int, str]]:
    """(the value of every cell, {position: message} for the cells that cannot be read).

    Each distinct value is read once. Values that compare equal across types (1.0 and True)
    and formula or error cells (str subclasses) would share a result, so such columns are
    read cell by cell."""
    kinds = set(map(type, cells))  # of the cells: a set of values would already have merged them
    if bool in kinds or FormulaWithoutValue in kinds or ErrorCell in kinds:
        results = [_read_one(key, read, raw) for raw in cells]
        values = [value for value, _ in results]
        return values, {i: error for i, (_, error) in enumerate(results) if error}
    value_of: dict[Any, Any] = {}
    error_of: dict[Any, str] = {}
    for raw in set(cells):
        value_of[raw], error = read("" if raw is None else raw)
        if error:
            error_of[raw] = error
    values = list(map(value_of.__getitem__, cells))
    errors = {i: error_of[raw] for i, raw in enumerate(cells) if raw in error_of} if error_of else {}
    return values, errors


def _read_one(key: str, read: Reader, raw: Any) -> tuple[Any, str | None]:
    if raw.__class__ is FormulaWithoutValue:
        return read("")[0], formula_message(key, raw)
    if raw.__class__ is ErrorCell:
        return read("")[0], error_cell_message(raw)
    return read("" if raw is None else raw)


def read_columns(
    mapping: ColumnMapping,
    rows: Sequence[tuple[int, list[Any]]],
    readers: Mapping[str, Reader],
    header: Callable[[str], str],
    progress: Progress = NO_PROGRESS,
) -> tuple[dict[str, list[Any]], dict[int, dict[str, str]]]:
    """Every field's value for every row, in ``readers`` order, and {row index: {field:
    message}} for the cells that could not be read. A field the file has no column for
    reads as its blank value."""
    columns = {key: col for col, key in mapping.fields.items() if key in readers}
    count = len(rows)
    width = max(columns.values(), default=0) + 1
    padded = [cells if len(cells) >= width else [*cells, *[""] * (width - len(cells))] for _, cells in rows]
    by_column = list(zip(*padded, strict=False)) if padded else [()] * width
    values: dict[str, list[Any]] = {}
    row_errors: dict[int, dict[str, str]] = {}
    for step, (key, read) in enumerate(readers.items()):
        col = columns.get(key)
        if col is None:
            values[key] = [read("")[0]] * count
            continue
        progress.step(step, len(readers), f"正在检查“{header(key)}”列……")
        values[key], errors = read_column(key, read, by_column[col])
        for index, message in errors.items():
            row_errors.setdefault(index, {})[key] = message
    return values, row_errors
