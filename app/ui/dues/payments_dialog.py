"""缴费记录: one member's payments, to print a receipt again or to delete one entered by
mistake. Deleting it makes the months it covered unpaid again (the member's other payments
cover them as before); the 操作日志 keeps what it was."""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.dues import describe_months
from app.domain.money import format_fen
from app.ui.context import AppContext
from app.ui.dialog_parts import close_buttons, confirm, outcome_label, tell_failure
from app.ui.dues.payment_columns import covered_column, covered_text
from app.ui.member_picker import MemberPicker
from app.ui.operations import read_operation, write_operation
from app.ui.tables import Column, RowTableModel, RowTableView, date_column, number_column, text_column
from app.ui.widgets import ErrorLabel

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy.orm import Session

    from app.services.dues import PaymentInfo
    from app.services.roster import Roster, RosterRow


COLUMNS: tuple[Column[PaymentInfo], ...] = (
    number_column("id", "编号", 50),
    date_column("paid_on", "日期", 90),
    number_column("amount", "金额", 80, attr="amount_fen", format=format_fen),
    text_column("method", "方式", 80),
    text_column("receipt_no", "收据号", 90),
    covered_column(170),
    text_column("collector", "收款人", 70),
    text_column("source", "来源", 50),
    text_column("note", "备注", 140),
)


def describe(payment: PaymentInfo) -> str:
    receipt = f"，收据号 {payment.receipt_no}" if payment.receipt_no else ""
    return (
        f"{payment.member_name} {payment.paid_on.isoformat()} {payment.method} "
        f"{format_fen(payment.amount_fen)} 元{receipt}，冲抵：{covered_text(payment)}"
    )


class PaymentsDialog(QDialog):
    def __init__(
        self,
        context: AppContext,
        roster: Roster | None = None,
        parent: QWidget | None = None,
        *,
        member_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._member_id = member_id
        self._generation = 0
        self.setWindowTitle("缴费记录")
        intro = QLabel(
            "查找一名会员，列出他的每一笔缴费。录错的缴费可以删除：它冲抵的月份恢复为未缴，"
            "这名会员的其他缴费照旧冲抵；操作日志保留删除前的内容。也可以为一笔缴费补打收据。"
        )
        intro.setWordWrap(True)
        self.picker = MemberPicker(who="要查看缴费记录的会员")
        self.picker.chosen.connect(self._member_chosen)
        self.model: RowTableModel[PaymentInfo] = RowTableModel(COLUMNS, row_id=attrgetter("id"))
        self.table = RowTableView(
            "dues_payments", self.model, default_sort=("paid_on", Qt.SortOrder.DescendingOrder)
        )
        self.print_button = QPushButton("补打收据…")
        self.delete_button = QPushButton("删除所选缴费…")
        self.delete_button.setToolTip("删除录错的一笔缴费（导入的缴费再次导入同一文件时会重新记入）")
        self.summary = QLabel()
        self.summary.setStyleSheet("color: #555;")
        self.error = ErrorLabel()
        self.outcome = outcome_label()
        row = QHBoxLayout()
        row.addWidget(self.print_button)
        row.addWidget(self.delete_button)
        row.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.picker)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(self.outcome)
        layout.addWidget(close_buttons(self))
        self.resize(900, 560)
        self.print_button.clicked.connect(self.print_receipt)
        self.delete_button.clicked.connect(lambda: self.delete_payment())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.table.rows_reset.connect(self._selected)
        self._selected()
        self.picker.fill(context, roster, member_id)

    def _member_chosen(self, row: RosterRow | None) -> None:
        self._member_id = None if row is None else row.id
        self.reload()

    def reload(self) -> None:
        self._generation += 1
        generation, member_id = self._generation, self._member_id
        if member_id is None:
            self.model.set_rows([])
            self.summary.setText("请先在上面查找并选中一名会员")
            return

        def work(session: Session) -> list[PaymentInfo]:
            from app.services.dues import list_payments

            return list_payments(session, member_id=member_id)

        def shown(payments: list[PaymentInfo]) -> None:
            if generation != self._generation:
                return
            self.model.set_rows(payments)
            total = sum(p.amount_fen for p in payments)
            self.summary.setText(
                f"共 {len(payments)} 笔，合计 {format_fen(total)} 元"
                if payments
                else "这名会员还没有缴费记录"
            )

        read_operation(self, self._context, work, on_success=shown)

    def _selected(self) -> None:
        payment = self.table.current_row()
        self.print_button.setEnabled(payment is not None and payment.receipt_printable)
        self.delete_button.setEnabled(payment is not None)

    def print_receipt(self) -> None:
        from app.ui.dues.files import print_receipt

        payment = self.table.current_row()
        if payment is not None:
            print_receipt(self, self._context, payment.id, payment.receipt_no, payment.member_name)

    def delete_payment(self, ask: Callable[[str, str], bool] | None = None) -> bool:
        """Delete the selected payment once the user agrees; whether it was asked to go."""
        payment = self.table.current_row()
        if payment is None:
            return False
        months = describe_months(m for m, _ in payment.covered)
        after = f"{months}将恢复为未缴（这名会员的其他缴费仍会冲抵）" if months else "这笔钱不再记为预缴"
        question = (
            f"确定删除这笔缴费吗？\n\n{describe(payment)}\n\n删除后{after}。"
            "删除后不能恢复（操作日志保留原内容）。"
        )
        if not (ask or (lambda title, text: confirm(self, title, text)))("删除缴费", question):
            return False
        payment_id = payment.id
        self.error.show_message("")
        self.delete_button.setEnabled(False)

        def work(session: Session) -> str:
            from app.services.dues import delete_payment

            return delete_payment(session, payment_id)

        def deleted(what: str) -> None:
            self.outcome.setText(f"已删除缴费记录：{what}。")
            self.reload()

        write_operation(self, self._context, work, on_success=deleted, on_failure=self._failed,
                        label="正在删除……")  # fmt: skip
        return True

    def _failed(self, error: BaseException) -> None:
        self._selected()
        tell_failure(self, self.error, error)
