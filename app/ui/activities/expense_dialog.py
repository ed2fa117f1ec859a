"""One actual expense of an activity (实际支出): date, payee, what for, category, amount,
invoice number, who paid — checked against the activity limits while it is typed; over a
limit, the limit is quoted and the reason must be written.

The dialog only fills in an ``ExpenseInput``: the activity editor keeps it with the others
and writes them all in its one save."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.activities import Limits, Line, check_line
from app.domain.money import MAX_AMOUNT_FEN
from app.ui.activities.fields import date_edit, day_of, fill_categories, money_text, read_money
from app.ui.dialog_parts import with_message
from app.ui.widgets import ErrorLabel

if TYPE_CHECKING:
    from app.services.activities import CategoryInfo, ExpenseInput


class ExpenseDialog(QDialog):
    def __init__(
        self,
        categories: Sequence[CategoryInfo],
        limits: Limits,
        participants: int,
        parent: QWidget | None = None,
        *,
        data: ExpenseInput | None = None,
        day: date | None = None,
        category_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("登记支出" if data is None else "修改支出")
        self._limits = limits
        self._participants = participants
        self.value: ExpenseInput | None = None
        self.day = date_edit(data.day if data is not None else day, latest=date.today())  # money already paid
        self.payee = QLineEdit()
        self.payee.setPlaceholderText("如：某某体育馆、某某餐厅")
        self.payee.setMaxLength(60)
        self.item = QLineEdit()
        self.item.setPlaceholderText("如：场地租赁、工作餐、奖品")
        self.item.setMaxLength(80)
        self.category = QComboBox()
        fill_categories(self.category, categories, data.category_id if data is not None else category_id)
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("元")
        self.invoice = QLineEdit()
        self.invoice.setMaxLength(40)
        self.paid_by = QLineEdit()
        self.paid_by.setMaxLength(30)
        self.note = QLineEdit()
        self.note.setMaxLength(200)
        self.reason = QLineEdit()
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText("超过标准时必须填写，如：经工会委员会研究同意")
        self.messages = {key: ErrorLabel() for key in ("item", "amount", "reason")}
        self.limit_text = QLabel()
        self.limit_text.setWordWrap(True)
        form = QFormLayout()
        form.addRow("日期", self.day)
        form.addRow("收款方", self.payee)
        form.addRow("内容", with_message(self.item, self.messages["item"]))
        form.addRow("科目", self.category)
        form.addRow("金额（元）", with_message(self.amount, self.messages["amount"]))
        form.addRow("发票号", self.invoice)
        form.addRow("经办人", self.paid_by)
        form.addRow("备注", self.note)
        form.addRow("超标准原因", with_message(self.reason, self.messages["reason"]))
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton("确定", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole).clicked.connect(self.reject)
        self.ok_button.clicked.connect(self.confirm)
        note = QLabel(f"参加人数按 {participants} 人检查工作餐等标准。" if participants else "")
        note.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.limit_text)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(480, 420)
        if data is not None:
            self.payee.setText(data.payee)
            self.item.setText(data.item)
            self.amount.setText(money_text(data.amount_fen))
            self.invoice.setText(data.invoice_no)
            self.paid_by.setText(data.paid_by)
            self.note.setText(data.note)
            self.reason.setText(data.reason)
        for field in (self.item, self.amount, self.reason):
            field.textChanged.connect(lambda _t: self.check())
        self.day.dateChanged.connect(lambda _d: self.check())
        self.check()

    def over(self) -> str:
        """The limits the expense as typed exceeds, in words ("" when none)."""
        amount, _problem = read_money(self.amount.text(), "金额")
        if not self.item.text().strip() or not amount:
            return ""
        line = Line(self.item.text().strip(), amount)
        return "；".join(check_line(line, self._participants or None, day_of(self.day), self._limits))

    def check(self) -> None:
        over = self.over()
        if over:
            needed = "" if self.reason.text().strip() else "，请填写超标准原因"
            self.limit_text.setText(f"<span style='color:#b35900'>超过标准：{over}{needed}。</span>")
        else:
            self.limit_text.setText("")

    def confirm(self) -> None:
        from app.services.activities import ExpenseInput

        problems: dict[str, str] = {}
        amount, problem = read_money(self.amount.text(), "金额")
        if problem:
            problems["amount"] = problem
        elif not amount:
            problems["amount"] = "请填写金额（大于 0）"
        elif amount > MAX_AMOUNT_FEN:
            problems["amount"] = "金额超出范围"
        if not self.item.text().strip():
            problems["item"] = "请填写支出内容"
        over = self.over()
        if over and not self.reason.text().strip():
            problems["reason"] = "超过标准，须写明原因（所超的标准见下）"
        for key, label in self.messages.items():
            label.show_message(problems.get(key, ""))
        if problems or self.category.currentData() is None or amount is None:
            return
        self.value = ExpenseInput(
            day_of(self.day), self.item.text().strip(), int(self.category.currentData()), amount,
            self.payee.text().strip(), self.invoice.text().strip(), self.paid_by.text().strip(),
            self.note.text().strip(), self.reason.text().strip() if over else "",
        )  # fmt: skip
        self.accept()
