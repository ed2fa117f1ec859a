"""What the activity editor and its expense dialog share: the spending categories in a combo
box (indented as the tree is), money typed in 元, dates, and 节超 in words."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QDateEdit

from app.domain.money import MoneyError, format_fen, yuan_to_fen

if TYPE_CHECKING:
    from app.services.activities import CategoryInfo

OVER_COLOUR = QColor("#a11212")
SAVED_COLOUR = QColor("#2e7d32")
MISSING_REASON = QColor("#fde2e2")  # a reason cell that must be filled


def fill_categories(box: QComboBox, categories: Sequence[CategoryInfo], selected: int | None = None) -> None:
    """The spending categories, each indented by its depth (50102 文体活动费 under 501 …)."""
    box.clear()
    for category in categories:
        box.addItem("　" * category.depth + category.label, category.id)
        box.setItemData(box.count() - 1, category.label, 3)  # ToolTipRole: the plain label
    if selected is not None:
        box.setCurrentIndex(max(box.findData(selected), 0))


def money_text(fen: int | None) -> str:
    """Fen as the editor shows them for typing over (1234.50), empty for none."""
    return "" if fen is None else format_fen(fen, thousands=False)


def read_money(text: str, label: str) -> tuple[int | None, str]:
    """``text`` in 元 as fen (None when empty), or the message saying what is wrong."""
    if not text.strip():
        return None, ""
    try:
        fen = yuan_to_fen(text)
    except MoneyError as exc:
        return None, f"{label}：{exc}"
    if fen < 0:
        return None, f"{label}：不能是负数"
    return fen, ""


def read_count(text: str, label: str) -> tuple[int | None, str]:
    """A number of people (None when empty), or the message saying what is wrong."""
    cleaned = text.strip().removesuffix("人").strip()
    if not cleaned:
        return None, ""
    if not cleaned.isdigit():
        return None, f"{label}：“{text.strip()}”不是人数"
    number = int(cleaned)
    if number > 1_000_000:
        return None, f"{label}：人数太大"
    return number, ""


def date_edit(value: date | None = None, *, latest: date | None = None) -> QDateEdit:
    """A date field; ``latest``: the last day it offers (today, for money already paid)."""
    edit = QDateEdit()
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setCalendarPopup(True)
    edit.setMinimumDate(QDate(1990, 1, 1))
    last = latest or date(2100, 12, 31)
    edit.setMaximumDate(QDate(last.year, last.month, last.day))
    set_day(edit, value or date.today())
    return edit


def day_of(edit: QDateEdit) -> date:
    qdate = edit.date()
    return date(qdate.year(), qdate.month(), qdate.day())


def set_day(edit: QDateEdit, value: date) -> None:
    edit.setDate(QDate(value.year, value.month, value.day))


def variance_colour(budget_fen: int, spent_fen: int) -> QColor | None:
    if budget_fen and spent_fen > budget_fen:
        return OVER_COLOUR
    return None
