"""Date and month fields for the dialogs."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QWidget

from app.domain.yearmonth import YearMonth

_EMPTY = QDate(1900, 1, 1)


class OptionalDateEdit(QDateEdit):
    """A date field that may be left empty (shown as “未填写”)."""

    def __init__(self, parent: QWidget | None = None, *, allow_empty: bool = True) -> None:
        super().__init__(parent)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setCalendarPopup(True)
        self.setMaximumDate(QDate.currentDate())
        self._allow_empty = allow_empty
        if allow_empty:
            self.setMinimumDate(_EMPTY)
            self.setSpecialValueText("未填写")
            self.setDate(_EMPTY)
        else:
            self.setMinimumDate(QDate(1900, 1, 2))

    def value(self) -> date | None:
        qdate = self.date()
        if self._allow_empty and qdate == _EMPTY:
            return None
        return date(qdate.year(), qdate.month(), qdate.day())

    def set_value(self, value: date | None) -> None:
        if value is None:
            self.setDate(_EMPTY if self._allow_empty else QDate.currentDate())
        else:
            self.setDate(QDate(value.year, value.month, value.day))


class MonthEdit(QDateEdit):
    """A month field (2026年3月): a QDateEdit that shows and returns only the year and month."""

    def __init__(
        self,
        value: YearMonth | None = None,
        parent: QWidget | None = None,
        *,
        latest: YearMonth | None = None,
    ) -> None:
        super().__init__(parent)
        self.setDisplayFormat("yyyy年M月")
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
