"""支出明细: what one spent figure of the budget table is made of — the activity expenses and
the care records of the year booked to the category or under it (GnuCash: clicking an actual
figure opens the transactions behind it). The two totals add up to the figure."""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialog, QLabel, QSplitter, QVBoxLayout, QWidget

from app.domain.money import format_fen
from app.ui.context import AppContext
from app.ui.dialog_parts import close_buttons, resize_within_screen
from app.ui.operations import read_operation
from app.ui.tables import Column, RowTableModel, RowTableView, date_column, number_column, text_column

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.activities import ExpenseInfo, SpentRecords
    from app.services.care import CareInfo

__all__ = ["SpentDialog"]

_OVER = QColor("#a11212")


def _occasion(row: CareInfo) -> str:
    return f"{row.occasion}（{row.variant}）" if row.variant else row.occasion


EXPENSE_COLUMNS: tuple[Column[ExpenseInfo], ...] = (
    date_column("day", "日期"),
    Column("activity", "活动", 150, attrgetter("activity"), attrgetter("activity"), hideable=False),
    text_column("item", "项目", 120),
    text_column("category", "科目", 130),
    number_column("amount", "金额", 90, attr="amount_fen", format=format_fen),
    text_column("payee", "收款方", 110),
    text_column("invoice_no", "发票号", 90),
    text_column("paid_by", "经办人", 60),
    Column(
        "over",
        "标准",
        90,
        lambda e: "超过标准" if e.over_limit else "",
        lambda e: bool(e.over_limit),
        tooltip=lambda e: f"{e.over_limit}\n原因：{e.reason}" if e.over_limit else None,
    ),
    text_column("note", "备注", 120, visible=False),
)

CARE_COLUMNS: tuple[Column[CareInfo], ...] = (
    date_column("day", "日期"),
    Column("recipient", "慰问对象", 80, attrgetter("recipient"), attrgetter("recipient"), hideable=False),
    text_column("group", "部门", 120),
    Column("occasion", "事由", 110, _occasion, _occasion),
    number_column("cash", "慰问金", 80, attr="cash_fen", format=format_fen),
    text_column("goods", "慰问品", 120),
    number_column("goods_value", "慰问品价值", 80, attr="goods_fen", format=format_fen),
    number_column("amount", "合计", 80, attr="amount_fen", format=format_fen),
)


class SpentDialog(QDialog):
    def __init__(
        self,
        context: AppContext,
        year: int,
        category_id: int,
        label: str,
        spent_fen: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self.year = year
        self.category_id = category_id
        self.spent_fen = spent_fen
        self.records: SpentRecords | None = None
        self.setWindowTitle(f"支出明细：{label}")
        heading = QLabel(
            f"<b>{year}年 {label}</b>　预算表中的已支出 <b>{format_fen(spent_fen)}</b> 元"
            "（含下级科目），由下面的活动支出和慰问组成。"
        )
        heading.setWordWrap(True)
        self.expense_model: RowTableModel[ExpenseInfo] = RowTableModel(
            EXPENSE_COLUMNS, foreground=lambda e: _OVER if e.over_limit else None
        )
        self.expense_table = RowTableView(
            "budget_spent_expenses", self.expense_model, default_sort=("day", Qt.SortOrder.AscendingOrder)
        )
        self.care_model: RowTableModel[CareInfo] = RowTableModel(CARE_COLUMNS)
        self.care_table = RowTableView(
            "budget_spent_care", self.care_model, default_sort=("day", Qt.SortOrder.AscendingOrder)
        )
        self.expense_total = QLabel("正在读取……")
        self.care_total = QLabel()
        self.total = QLabel()
        self.total.setWordWrap(True)
        expenses = QWidget()
        box = QVBoxLayout(expenses)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(QLabel("<b>活动支出</b>"))
        box.addWidget(self.expense_table, 1)
        box.addWidget(self.expense_total)
        care = QWidget()
        box = QVBoxLayout(care)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(QLabel("<b>慰问</b>（按“科目与标准”中慰问事由对应的科目记入）"))
        box.addWidget(self.care_table, 1)
        box.addWidget(self.care_total)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(expenses)
        split.addWidget(care)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(split, 1)
        layout.addWidget(self.total)
        layout.addWidget(close_buttons(self))
        resize_within_screen(self, 1000, 640)
        self.finished.connect(lambda _r: self._save_state())
        self.reload()

    def _save_state(self) -> None:
        self.expense_table.save_state()
        self.care_table.save_state()

    def reload(self) -> None:
        year, category_id = self.year, self.category_id

        def work(session: Session) -> SpentRecords:
            from app.services.activities import spent_records

            return spent_records(session, year, category_id)

        read_operation(self, self._context, work, on_success=self.show_records, label="正在读取支出明细……")

    @property
    def expense_fen(self) -> int:
        return sum(e.amount_fen for e in self.expense_model.rows)

    @property
    def care_fen(self) -> int:
        return sum(c.amount_fen for c in self.care_model.rows)

    def show_records(self, records: SpentRecords) -> None:
        self.records = records
        self.expense_model.set_rows(records.expenses)
        self.care_model.set_rows(records.care)
        self.expense_total.setText(
            f"活动支出 {len(records.expenses)} 笔，合计 <b>{format_fen(self.expense_fen)}</b> 元"
        )
        self.care_total.setText(f"慰问 {len(records.care)} 人次，合计 <b>{format_fen(self.care_fen)}</b> 元")
        total = self.expense_fen + self.care_fen
        if total == self.spent_fen:
            self.total.setText(
                f"合计 <b>{format_fen(total)}</b> 元 = 活动支出 {format_fen(self.expense_fen)} 元 "
                f"+ 慰问 {format_fen(self.care_fen)} 元，与预算表中的已支出一致。"
            )
        else:  # the records changed since the budget table was read
            self.total.setText(
                f"<span style='color:#c0392b'>合计 {format_fen(total)} 元，与预算表中的 "
                f"{format_fen(self.spent_fen)} 元不同：记录刚刚有变动，请关闭后重新查看。</span>"
            )
