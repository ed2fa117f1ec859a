"""明细: the records one figure of the report counts (GnuCash: clicking a figure opens the
transactions behind it). The service lists them as text rows with a total, which equals the
figure; the list is the generic table, sortable by any column (numbers as numbers)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from app.domain.privacy import PRIVATE_TITLES
from app.ui.context import AppContext
from app.ui.dialog_parts import close_buttons
from app.ui.lifetime import alive
from app.ui.operations import read_operation
from app.ui.privacy import RevealedRows
from app.ui.tables import RIGHT, Column, RowTableModel, RowTableView
from app.ui.widgets import ErrorLabel

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.reports import PeriodReport, RecordList

__all__ = ["RecordsDialog", "record_columns"]

Row = tuple[int, tuple[str, ...]]  # (its place in the service's list, the cells)
_NUMBER_CHARS = str.maketrans("", "", ",，元%人次个 ")


def _number(text: str) -> Decimal | None:
    """The number a cell shows (1,234.50 元, 87.5%, 7人次), or None when it is not one."""
    cleaned = text.translate(_NUMBER_CHARS)
    if not cleaned or not any(c.isdigit() for c in cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def _width(title: str, cells: list[str]) -> int:
    """About wide enough for the title and the cells (a CJK character ~14 px, others ~8)."""

    def pixels(text: str) -> int:
        return sum(14 if ord(c) > 0x2E80 else 8 for c in text)

    return max(56, min(340, max([pixels(title), *(pixels(c) for c in cells)]) + 24))


_SAMPLE = 500  # rows looked at to size a column and tell a number column


def record_columns(titles: list[str], rows: list[list[str]]) -> tuple[Column[Row], ...]:
    """序号 (the service's order), then one column per title; a column whose filled cells
    are numbers is right-aligned and sorts as numbers, any other sorts as text."""
    columns: list[Column[Row]] = [
        Column("n", "序号", 52, lambda r: str(r[0] + 1), lambda r: r[0], alignment=RIGHT, hideable=False)
    ]
    for i, title in enumerate(titles):
        cells = [row[i] if i < len(row) else "" for row in rows[:_SAMPLE]]
        numeric = any(cells) and all(_number(c) is not None for c in cells if c)

        def display(row: Row, i: int = i) -> str:
            return row[1][i] if i < len(row[1]) else ""

        def sort_key(row: Row, i: int = i, numeric: bool = numeric) -> Any:
            text = row[1][i] if i < len(row[1]) else ""
            if numeric:
                value = _number(text)
                return (value is not None, value if value is not None else Decimal(0))
            return text

        columns.append(
            Column(
                f"c{i}", title, _width(title, cells), display, sort_key, alignment=RIGHT if numeric else None
            )
        )
    return tuple(columns)


class RecordsDialog(QDialog):
    """The records behind ``key`` of ``report`` — its period's, or its year-to-date's.

    ``figure`` is the figure as the report shows it, said beside the list's total."""

    def __init__(
        self,
        context: AppContext,
        report: PeriodReport,
        key: str,
        *,
        year_to_date: bool = False,
        figure: str = "",
        value: int | Decimal | None = None,
        label: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self.report = report
        self.key = key
        self.year_to_date = year_to_date
        self.figure = figure
        self.value = value
        self.records: RecordList | None = None
        span = f"{report.last.year}年1月至{report.last.month}月" if year_to_date else report.label
        self.setWindowTitle(f"明细：{label or key}（{span}）")
        self.heading = QLabel(
            f"<b>{label or key}</b>　{span}" + (f"　报表数 <b>{figure}</b>" if figure else "")
        )
        self.heading.setWordWrap(True)
        self.model: RowTableModel[Row] = RowTableModel((), row_id=lambda r: r[0])
        self.table: RowTableView | None = None
        self.private: RevealedRows | None = None
        self._table_box = QVBoxLayout()
        self.status = QLabel("正在读取……")
        self.status.setWordWrap(True)
        self.error = ErrorLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(self._table_box, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addWidget(close_buttons(self))
        self.resize(960, 600)
        self.reload()

    def reload(self) -> None:
        report, key, year_to_date = self.report, self.key, self.year_to_date

        def work(session: Session) -> RecordList:
            from app.services.reports import figure_records

            return figure_records(session, report, key, year_to_date=year_to_date)

        def failed(error: BaseException) -> None:
            from app.services.errors import UserError

            if not alive(self):
                return
            self.status.setText("")
            if isinstance(error, UserError | KeyError):
                self.error.show_message(f"无法列出这个数字的明细：{error}")
            else:
                from app.ui.operations import show_error

                show_error(self, error)

        read_operation(self, self._context, work, on_success=self.show_records, on_failure=failed,
                       label="正在读取明细……")  # fmt: skip

    def show_records(self, records: RecordList) -> None:
        self.records = records
        rows = [list(r) for r in records.rows]
        self.model = RowTableModel(record_columns(list(records.columns), rows), row_id=lambda r: r[0])
        self.model.set_rows((n, tuple(r)) for n, r in enumerate(rows))
        if self.table is not None:
            self._table_box.removeWidget(self.table)
            self.table.deleteLater()
        # the header is not remembered: each figure lists different columns
        self.table = RowTableView("report_records", self.model, self)
        private = {f"c{i}": PRIVATE_TITLES[t] for i, t in enumerate(records.columns) if t in PRIVATE_TITLES}
        self.private = RevealedRows(self.model, private).attach(self.table) if private else None
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # 序号: as the service lists them
        self._table_box.addWidget(self.table)
        if records.title:
            self.heading.setText(
                f"<b>{records.title}</b>" + (f"　报表数 <b>{self.figure}</b>" if self.figure else "")
            )
        count = f"{len(rows)} 条记录；"
        same = ""
        if self.figure and records.value is not None and self.value is not None:
            agree = records.value == self.value
            same = (
                "，与报表一致"
                if agree
                else f"，<span style='color:#c0392b'>与报表数 {self.figure} 不同</span>"
            )
        self.status.setText(f"{count}合计：<b>{records.total}</b>{same}")

    @property
    def row_count(self) -> int:
        return self.model.rowCount()
