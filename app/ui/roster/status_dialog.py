"""变更会籍: 转出, 退会, 除名, 退休保留会籍, 去世, 转入, 恢复 — each with a date and a reason."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.domain.members import EventKind, MemberStatus, allowed_events
from app.services.errors import ValidationError
from app.ui.context import AppContext
from app.ui.date_fields import OptionalDateEdit
from app.ui.operations import show_error, write_operation
from app.ui.widgets import ErrorLabel, combo, combo_value, save_cancel_buttons

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

_REASON_HINTS = {
    EventKind.TRANSFER_OUT: "如：调往某某公司工作",
    EventKind.WITHDRAW: "如：本人申请退会",
    EventKind.EXPEL: "如：经工会委员会讨论决定",
    EventKind.RETAIN: "如：达到法定退休年龄，办理退休",
    EventKind.DEATH: "如：因病去世",
    EventKind.TRANSFER_IN: "如：由某某单位调入",
    EventKind.RESTORE: "如：重新就业，恢复会籍",
}


class StatusDialog(QDialog):
    changed = Signal(int)

    def __init__(
        self, context: AppContext, member_id: int, name: str, status: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._member_id = member_id
        self.setWindowTitle(f"变更会籍：{name}")
        options = [k.value for k in allowed_events(MemberStatus(status))]
        self.kind = combo(options)
        self.event_date = OptionalDateEdit(allow_empty=False)
        self.event_date.set_value(date.today())
        self.reason = QLineEdit()
        self.errors = {key: ErrorLabel() for key in ("kind", "event_date", "reason")}
        form = QFormLayout()
        form.addRow("当前状态", QLabel(f"<b>{status}</b>"))
        form.addRow("变动类型", self.kind)
        form.addRow("", self.errors["kind"])
        form.addRow("变动日期", self.event_date)
        form.addRow("", self.errors["event_date"])
        form.addRow("原因", self.reason)
        form.addRow("", self.errors["reason"])
        layout = QVBoxLayout(self)
        if not options:
            layout.addWidget(QLabel(f"会籍状态为“{status}”的会员不能再办理会籍变动。"))
        layout.addLayout(form)
        buttons = save_cancel_buttons(self.save, self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("办理")
        self.save_button.setEnabled(bool(options))
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self.setMinimumWidth(420)

    def _kind_changed(self) -> None:
        kind = combo_value(self.kind)
        self.reason.setPlaceholderText(_REASON_HINTS.get(EventKind(kind), "") if kind else "")

    def save(self) -> None:
        kind, on, reason = combo_value(self.kind), self.event_date.value() or date.today(), self.reason.text()
        member_id = self._member_id
        self.save_button.setEnabled(False)

        def work(session: Session) -> str:
            from app.services.roster.members import change_status

            return change_status(session, member_id, kind, on, reason)

        write_operation(
            self, self._context, work, on_success=self._done, on_failure=self._failed, label="正在办理……"
        )

    def _done(self, _status: str) -> None:
        self.changed.emit(self._member_id)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, ValidationError):
            for key, label in self.errors.items():
                label.show_message(error.errors.get(key, ""))
        else:
            show_error(self, error)
