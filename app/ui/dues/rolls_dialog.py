"""应缴生成记录: every roll with its months, charges and what has been paid against them.
A roll made by mistake (wrong months, before the wages were imported) can be undone while
nothing has been paid against it; once money covers one of its charges it stays."""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.dues import describe_months, month_span
from app.domain.money import format_fen
from app.ui.context import AppContext
from app.ui.dialog_parts import close_buttons, confirm, outcome_label, tell_failure
from app.ui.operations import read_operation, write_operation
from app.ui.tables import Column, RowTableModel, RowTableView, number_column, text_column
from app.ui.widgets import ErrorLabel

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.dues import RollInfo

CAN_UNDO = "可以撤销"
PAID = "已有缴费，不能撤销"


def months_of(roll: RollInfo) -> str:
    return describe_months(month_span(roll.first, roll.last))


def _undo_state(roll: RollInfo) -> str:
    return CAN_UNDO if roll.can_undo else PAID


COLUMNS: tuple[Column[RollInfo], ...] = (
    number_column("id", "编号", 50),
    Column("months", "月份", 170, months_of, attrgetter("first"), hideable=False),
    Column("created", "生成时间", 130, lambda r: r.created_at[:16], attrgetter("created_at")),
    text_column("actor", "操作人", 80),
    number_column("charges", "应缴笔数", 70),
    number_column("due", "应缴合计", 90, attr="due_fen", format=format_fen),
    number_column(
        "paid", "已冲抵", 90, attr="paid_fen", format=format_fen
    ),  # of these charges; 实缴 counts overpayment too
    Column("state", "能否撤销", 130, _undo_state, attrgetter("can_undo")),
)


class RollsDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.setWindowTitle("应缴生成记录")
        intro = QLabel(
            "每次“生成应缴”都记在这里。生成错了（月份不对、工资还没导入）可以撤销：\n"
            "撤销会删除这次生成的全部应缴。已经有缴费冲抵的生成记录不能撤销，请先删除那些缴费。"
        )
        intro.setWordWrap(True)
        self.model: RowTableModel[RollInfo] = RowTableModel(COLUMNS, row_id=attrgetter("id"))
        self.table = RowTableView("dues_rolls", self.model)
        self.undo_button = QPushButton("撤销所选…")
        self.undo_button.setEnabled(False)
        self.why = QLabel()
        self.why.setStyleSheet("color: #555;")
        self.error = ErrorLabel()
        self.outcome = outcome_label()
        buttons = close_buttons(self)
        row = QHBoxLayout()
        row.addWidget(self.undo_button)
        row.addWidget(self.why, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(self.outcome)
        layout.addWidget(buttons)
        self.resize(860, 420)
        self.undo_button.clicked.connect(self.undo)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.table.rows_reset.connect(self._selected)
        self.reload()

    def reload(self) -> None:
        def work(session: Session) -> list[RollInfo]:
            from app.services.dues import list_rolls

            return list_rolls(session)

        read_operation(self, self._context, work, on_success=self._loaded)

    def _loaded(self, rolls: list[RollInfo]) -> None:
        self.model.set_rows(rolls)
        if not rolls:
            self.why.setText("还没有生成过应缴")
        self._selected()

    def _selected(self) -> None:
        roll = self.table.current_row()
        self.undo_button.setEnabled(roll is not None and roll.can_undo)
        if roll is None:
            self.why.setText("选中一次生成记录后可以撤销" if self.model.rowCount() else self.why.text())
        elif roll.can_undo:
            self.why.setText(f"撤销将删除{months_of(roll)}的应缴 {roll.charges} 笔")
        else:
            self.why.setText(f"这次生成的应缴已收到 {format_fen(roll.paid_fen)} 元会费，不能撤销")

    def undo(self) -> None:
        roll = self.table.current_row()
        if roll is None or not roll.can_undo:
            return
        if not confirm(
            self,
            "撤销生成的应缴",
            f"确定撤销第 {roll.id} 次生成的应缴吗？\n\n将删除{months_of(roll)}的应缴 {roll.charges} 笔，"
            f"合计 {format_fen(roll.due_fen)} 元。以后可以重新生成。",
        ):
            return
        roll_id, months = roll.id, months_of(roll)
        self.error.show_message("")
        self.undo_button.setEnabled(False)

        def work(session: Session) -> int:
            from app.services.dues import undo_roll

            return undo_roll(session, roll_id)

        def undone(count: int) -> None:
            self.outcome.setText(f"已撤销第 {roll_id} 次生成：删除{months}的应缴 {count} 笔。")
            self.reload()

        write_operation(self, self._context, work, on_success=undone, on_failure=self._failed,
                        label="正在撤销……")  # fmt: skip

    def _failed(self, error: BaseException) -> None:
        self._selected()
        tell_failure(self, self.error, error)
