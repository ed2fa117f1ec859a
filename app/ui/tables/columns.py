"""A list's columns, declared once: what the cell shows, how it sorts, how it looks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import Any, Generic, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from app.domain.pinyin import reading_order

R = TypeVar("R")

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column of a RowTableModel.

    ``display`` gives the cell's text; ``sort_key`` the raw value the column sorts by
    (also answered for SortRole): a date, a number of fen, a pinyin key — never None
    beside other values, since Python cannot order None against them. ``foreground`` and
    ``tooltip`` may answer None for "nothing special"; when a column has neither, the
    model's row-wide ones apply. ``hideable=False`` keeps the column out of the column
    chooser's reach (the column that names the row).
    """

    key: str
    title: str
    width: int
    display: Callable[[R], str]
    sort_key: Callable[[R], Any]
    visible: bool = True
    alignment: Qt.AlignmentFlag | None = None
    foreground: Callable[[R], QColor | None] | None = None
    tooltip: Callable[[R], str | None] | None = None
    hideable: bool = True


def text_column(
    key: str, title: str, width: int, *, attr: str | None = None, visible: bool = True, hideable: bool = True
) -> Column[Any]:
    """A text attribute of the row, shown as it is, sorted as a Chinese reader expects (by
    the readings of its characters: 财务科 before 生产一车间, not in Unicode's order)."""
    getter = attrgetter(attr or key)

    def sort_key(row: Any) -> str:
        return reading_order(getter(row) or "")

    return Column(key, title, width, getter, sort_key, visible, hideable=hideable)


def date_column(
    key: str, title: str, width: int = 90, *, attr: str | None = None, visible: bool = True
) -> Column[Any]:
    """A date attribute (or None) as yyyy-mm-dd; empty dates sort first."""
    getter = attrgetter(attr or key)

    def display(row: Any) -> str:
        value = getter(row)
        return value.isoformat() if value else ""

    return Column(key, title, width, display, lambda row: getter(row) or date.min, visible)


def flag_column(
    key: str, title: str, width: int, *, attr: str | None = None, visible: bool = False
) -> Column[Any]:
    """A yes/no attribute shown as 是 or nothing."""
    getter = attrgetter(attr or key)
    return Column(
        key, title, width, lambda row: "是" if getter(row) else "", lambda row: bool(getter(row)), visible
    )


def number_column(
    key: str,
    title: str,
    width: int,
    *,
    attr: str | None = None,
    format: Callable[[Any], str] = str,
    visible: bool = True,
) -> Column[Any]:
    """A number (or None), right-aligned; ``format`` turns it into text (fen into yuan).
    Empty cells sort first."""
    getter = attrgetter(attr or key)

    def display(row: Any) -> str:
        value = getter(row)
        return "" if value is None else format(value)

    def sort_key(row: Any) -> tuple[bool, Any]:
        value = getter(row)
        return (value is not None, value if value is not None else 0)

    return Column(key, title, width, display, sort_key, visible, alignment=RIGHT)
