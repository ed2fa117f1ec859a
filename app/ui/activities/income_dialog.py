"""登记其他收入: income other than dues (拨缴经费、上级补助、行政补助 …) entered by hand — the
day, the income line, the amount, who it came from and a note — and the year's list of it,
where an entry made by mistake is deleted. 会费收入 is not entered here: it comes from the
dues ledger."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from operator import attrgetter
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.money import MoneyError, format_fen, yuan_to_fen
from app.ui.context import AppContext
from app.ui.dialog_parts import (
    close_buttons,
    confirm,
    outcome_label,
    resize_within_screen,
    tell_failure,
    with_message,
)
from app.ui.operations import read_operation, write_operation
from app.ui.tables import Column, RowTableModel, RowTableView, date_column, number_column, text_column
from app.ui.widgets import ErrorLabel

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.activities import CategoryInfo, IncomeInfo

__all__ = ["IncomeDialog"]

DUES_CODE = "401"  # 会费收入: from the dues ledger, never entered here

COLUMNS: tuple[Column[IncomeInfo], ...] = (
    date_column("day", "日期"),
    Column("category", "收入科目", 140, attrgetter("category"), attrgetter("category"), hideable=False),
    number_column("amount", "金额", 100, attr="amount_fen", format=format_fen),
    text_column("source", "来源", 140),
    text_column("note", "备注", 200),
)


def _default_day(year: int) -> date:
    """Today within the year shown; the year's last day for a past year, its first for a later one."""
    today = date.today()
    if today.year == year:
        return today
    return date(year, 12, 31) if year < today.year else date(year, 1, 1)


class IncomeDialog(QDialog):
    def __init__(self, context: AppContext, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.year = year
        self.setWindowTitle(f"{year}年其他收入")
        intro = QLabel(
            "会费以外的收入（拨缴经费、上级补助、行政补助、其他收入……）在这里登记，"
            "计入预算表“收入”部分的实际收入。会费收入来自会费台账，不在这里登记。"
        )
        intro.setWordWrap(True)
        self.model: RowTableModel[IncomeInfo] = RowTableModel(COLUMNS)
        self.table = RowTableView(
            "budget_other_income", self.model, default_sort=("day", Qt.SortOrder.AscendingOrder)
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(160)
        self.summary = QLabel()
        self.delete_button = QPushButton("删除所选收入…")
        self.delete_button.setToolTip("删除登记错的一笔收入（操作日志保留原内容）")
        self.delete_button.setEnabled(False)
        self.day = QDateEdit()
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setCalendarPopup(True)
        last = min(date(year, 12, 31), max(date.today(), date(year, 1, 1)))  # money already received
        self.day.setDateRange(QDate(year, 1, 1), QDate(last.year, last.month, last.day))
        start = _default_day(year)
        self.day.setDate(QDate(start.year, start.month, start.day))
        self.category = QComboBox()
        self.category.setMinimumContentsLength(14)
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("元，如 48000")
        self.source = QLineEdit()
        self.source.setMaxLength(60)
        self.source.setPlaceholderText("如 市总工会、行政拨缴")
        self.note = QLineEdit()
        self.note.setMaxLength(200)
        self.save_button = QPushButton("登记这笔收入")
        self.field_errors = {"category": ErrorLabel(), "amount": ErrorLabel()}
        form = QFormLayout()
        form.addRow("日期", self.day)
        form.addRow("收入科目", with_message(self.category, self.field_errors["category"]))
        form.addRow("金额（元）", with_message(self.amount, self.field_errors["amount"]))
        form.addRow("来源", self.source)
        form.addRow("备注", self.note)
        form.addRow("", self.save_button)
        entering = QGroupBox("登记一笔收入")
        entering.setLayout(form)
        self.error = ErrorLabel()
        self.outcome = outcome_label()
        under = QHBoxLayout()
        under.addWidget(self.summary, 1)
        under.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(under)
        layout.addWidget(entering)
        layout.addWidget(self.error)
        layout.addWidget(self.outcome)
        layout.addWidget(close_buttons(self))
        resize_within_screen(self, 720, 640)
        self.save_button.clicked.connect(lambda: self.save())
        self.delete_button.clicked.connect(lambda: self.delete())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.table.rows_reset.connect(self._selected)
        self.finished.connect(lambda _r: self.table.save_state())
        self.reload()

    def reload(self, select: int | None = None) -> None:
        year = self.year

        def work(session: Session) -> tuple[list[CategoryInfo], list[IncomeInfo]]:
            from app.domain.budget import INCOME
            from app.services.activities import list_income, load_tree

            lines = [c for c in load_tree(session).of_kind(INCOME) if c.code != DUES_CODE]
            return lines, list_income(session, year)

        def loaded(found: tuple[list[CategoryInfo], list[IncomeInfo]]) -> None:
            lines, rows = found
            self._set_lines(lines)
            if select is not None:
                self.table.select_after_reset(select)
            self.model.set_rows(rows)
            total = sum(r.amount_fen for r in rows)
            self.summary.setText(f"{self.year}年登记了 {len(rows)} 笔，合计 <b>{format_fen(total)}</b> 元")

        read_operation(self, self._context, work, on_success=loaded)

    def _set_lines(self, lines: list[CategoryInfo]) -> None:
        chosen = self.category.currentData()
        self.category.clear()
        for line in lines:
            self.category.addItem("　" * line.depth + line.label, line.id)
        index = self.category.findData(chosen)
        self.category.setCurrentIndex(max(index, 0))

    def _selected(self) -> None:
        self.delete_button.setEnabled(self.table.current_row() is not None)

    def save(self) -> None:
        for label in (*self.field_errors.values(), self.error):
            label.show_message("")
        category_id = self.category.currentData()
        if category_id is None:
            self.field_errors["category"].show_message("请选择收入科目")
            return
        text = self.amount.text().strip()
        try:
            fen = yuan_to_fen(text) if text else 0
        except MoneyError as error:
            self.field_errors["amount"].show_message(f"应是金额（元），如 48000：{error}")
            return
        if fen <= 0:
            self.field_errors["amount"].show_message("请填写大于 0 的金额（元）")
            return
        qdate = self.day.date()
        day = date(qdate.year(), qdate.month(), qdate.day())
        source, note, line = self.source.text(), self.note.text(), self.category.currentText().strip()
        self.save_button.setEnabled(False)

        def work(session: Session) -> int:
            from app.services.activities import add_income

            return add_income(session, day, int(category_id), fen, source, note)

        def saved(income_id: int) -> None:
            self.save_button.setEnabled(True)
            self.outcome.setText(f"已登记：{day.isoformat()} {line} {format_fen(fen)} 元。")
            self.amount.clear()
            self.source.clear()
            self.note.clear()
            self.reload(select=income_id)

        def failed(error: BaseException) -> None:
            self.save_button.setEnabled(True)
            tell_failure(self, self.error, error)

        write_operation(self, self._context, work, on_success=saved, on_failure=failed)

    def delete(self, ask: Callable[[str, str], bool] | None = None) -> bool:
        """Delete the selected income once the user agrees; whether it was asked to go."""
        row = self.table.current_row()
        if row is None:
            return False
        words = f"{row.day.isoformat()} {row.category} {format_fen(row.amount_fen)} 元"
        question = f"确定删除这笔收入吗？\n\n{words}{'（' + row.source + '）' if row.source else ''}\n\n删除后不能恢复（操作日志保留原内容）。"
        if not (ask or (lambda title, text: confirm(self, title, text)))("删除收入", question):
            return False
        self.error.show_message("")
        income_id = row.id

        def work(session: Session) -> None:
            from app.services.activities import delete_income

            delete_income(session, income_id)

        def deleted(_result: None) -> None:
            self.outcome.setText(f"已删除：{words}。")
            self.reload()

        write_operation(
            self,
            self._context,
            work,
            on_success=deleted,
            on_failure=lambda error: tell_failure(self, self.error, error),
        )
        return True
