"""A month field (2026年3月): a QDateEdit that shows and returns only the year and month."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QWidget

from app.domain.yearmonth import YearMonth


class MonthEdit(QDateEdit):
    def __init__(
        self, value: YearMonth | None = None, parent: QWidget | None = None, *, latest: YearMonth | None = None
    ) -> None:
        super().__init__(parent)
        self.setDisplayFormat("yyyy年M月")
        self.setCalendarPopup(False)
        self.setMinimumDate(QDate(1990, 1, 1))
        if latest is not None:
            self.set_latest(latest)
        self.set_value(value or YearMonth.of(date.today()))

    def set_latest(self, latest: YearMonth) -> None:
        """No month after ``latest`` can be chosen."""
        self.setMaximumDate(QDate(latest.year, latest.month, 1))

    def value(self) -> YearMonth:
        qdate = self.date()
        return YearMonth(qdate.year(), qdate.month())

    def set_value(self, month: YearMonth) -> None:
        self.setDate(QDate(month.year, month.month, 1))
