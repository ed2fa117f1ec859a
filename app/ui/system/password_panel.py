"""设置 → 启动密码: set, change or remove the 账套's start-up password, and the minutes without
input after which the window locks."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.services.errors import UserError, ValidationError
from app.ui.context import AppContext, RefreshWhenShown
from app.ui.operations import read_operation, show_error, write_operation
from app.ui.system.access import APP_SETTINGS
from app.ui.widgets import ErrorLabel

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.system.password import PasswordState

_HONEST = (
    "启动密码防止别人在这台电脑上查看会员信息：设置后，每次打开这个账套都要先输入它；"
    "程序一段时间没有操作也会自动锁定，要再输入密码才能继续。\n"
    "启动密码不会加密账套文件：账套文件和备份被复制到别处，里面的内容仍可能被人看到，"
    "请照样妥善保管。忘记启动密码后，在程序里无法取消，请牢记。"
)


class PasswordPanel(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.state: PasswordState | None = None
        self.status_label = QLabel("启动密码：—")
        font = self.status_label.font()
        font.setBold(True)
        font.setPointSize(font.pointSize() + 2)
        self.status_label.setFont(font)
        hint = QLabel(_HONEST)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")

        self.old_field, self.new_field, self.confirm_field = (self._password_field() for _ in range(3))
        self.errors = {key: ErrorLabel() for key in ("old", "new", "confirm", "idle")}
        self.form = QFormLayout()
        for key, label, field in (
            ("old", "原密码：", self.old_field),
            ("new", "新密码：", self.new_field),
            ("confirm", "再输入一次新密码：", self.confirm_field),
        ):
            self.form.addRow(label, field)
            self.form.addRow("", self.errors[key])
        self.new_field.setPlaceholderText("至少 4 个字符")
        self.set_button = QPushButton("设置启动密码")
        self.set_button.clicked.connect(self.set_password)
        self.change_button = QPushButton("修改密码")
        self.change_button.clicked.connect(self.change_password)
        self.remove_button = QPushButton("取消启动密码")
        self.remove_button.clicked.connect(self.remove_password)
        buttons = QHBoxLayout()
        for button in (self.set_button, self.change_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.form_box = QGroupBox("设置启动密码")
        form_layout = QVBoxLayout(self.form_box)
        form_layout.addLayout(self.form)
        form_layout.addLayout(buttons)

        self.idle_spin = QSpinBox()
        self.idle_spin.setRange(0, 24 * 60)
        self.idle_spin.setSuffix(" 分钟")
        self.idle_spin.setSpecialValueText("不自动锁定")
        self.idle_spin.setMinimumWidth(140)
        self.idle_button = QPushButton("保存")
        self.idle_button.clicked.connect(self.save_idle_minutes)
        idle_row = QHBoxLayout()
        idle_row.addWidget(QLabel("无操作多久后锁定程序窗口："))
        idle_row.addWidget(self.idle_spin)
        idle_row.addWidget(self.idle_button)
        idle_row.addStretch(1)
        idle_hint = QLabel(
            "锁定后，会员信息全部隐藏，输入启动密码才能继续；正在进行的导入、保存等工作不受影响。只在设有启动密码时有效。"
        )
        idle_hint.setWordWrap(True)
        idle_hint.setStyleSheet("color: #555;")
        self.idle_box = QGroupBox("自动锁定")
        idle_layout = QVBoxLayout(self.idle_box)
        idle_layout.addLayout(idle_row)
        idle_layout.addWidget(self.errors["idle"])
        idle_layout.addWidget(idle_hint)

        self.saved_label = QLabel()
        self.saved_label.setStyleSheet("color: #2e7d32;")
        self.saved_label.setWordWrap(True)
        self.failure = ErrorLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.status_label)
        layout.addWidget(hint)
        layout.addWidget(self.form_box)
        layout.addWidget(self.idle_box)
        layout.addWidget(self.saved_label)
        layout.addWidget(self.failure)
        layout.addStretch(1)
        self._show_state(None)
        context.follow_database(lambda _db: self.refresh())
        self.refresher = RefreshWhenShown(self, context, (APP_SETTINGS,), self.refresh)

    @staticmethod
    def _password_field() -> QLineEdit:
        field = QLineEdit()
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.setMaximumWidth(280)
        return field

    # -- loading -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        def work(session: Session) -> PasswordState:
            from app.services.system.password import password_state

            return password_state(session)

        read_operation(self, self.context, work, on_success=self._show_state)

    def _show_state(self, state: PasswordState | None) -> None:
        self.state = state
        is_set = state is not None and state.is_set
        if state is None:
            self.status_label.setText("启动密码：（未打开账套）")
        else:
            self.status_label.setText("启动密码：已设置" if is_set else "启动密码：未设置")
        self.status_label.setStyleSheet("color: #2e7d32;" if is_set else "")
        self.form_box.setTitle("修改或取消启动密码" if is_set else "设置启动密码")
        self.form.setRowVisible(0, is_set)
        self.form.setRowVisible(1, is_set)
        self.errors["old"].show_message(self.errors["old"].text() if is_set else "")  # the row showed it
        self.set_button.setVisible(not is_set)
        self.change_button.setVisible(is_set)
        self.remove_button.setVisible(is_set)
        self.form_box.setEnabled(state is not None)
        self.idle_box.setEnabled(is_set)
        self.idle_spin.setValue(state.idle_minutes if state is not None and is_set else 0)

    # -- writing -----------------------------------------------------------------------------------
    def _write(self, work: Callable[[Session], None], done: str) -> None:
        self.saved_label.clear()
        self.failure.show_message("")

        def failed(error: BaseException) -> None:
            if isinstance(error, ValidationError):
                for key, label in self.errors.items():
                    label.show_message(error.errors.get(key, ""))
            elif isinstance(error, UserError):
                self.failure.show_message(str(error))
            else:
                show_error(self, error)

        def saved(_result: object) -> None:
            for label in self.errors.values():
                label.show_message("")
            for field in (self.old_field, self.new_field, self.confirm_field):
                field.clear()
            self.saved_label.setText(done)

        write_operation(self, self.context, work, on_success=saved, on_failure=failed)

    def set_password(self) -> None:
        new, confirm = self.new_field.text(), self.confirm_field.text()

        def work(session: Session) -> None:
            from app.services.system.password import set_password

            set_password(session, new, confirm)

        self._write(
            work, "启动密码已设置。下次打开这个账套时要先输入它；无操作一段时间后程序窗口会自动锁定。"
        )

    def change_password(self) -> None:
        old, new, confirm = self.old_field.text(), self.new_field.text(), self.confirm_field.text()

        def work(session: Session) -> None:
            from app.services.system.password import change_password

            change_password(session, old, new, confirm)

        self._write(work, "启动密码已修改。")

    def remove_password(self) -> None:
        old = self.old_field.text()

        def work(session: Session) -> None:
            from app.services.system.password import remove_password

            remove_password(session, old)

        self._write(work, "启动密码已取消：打开这个账套不再需要密码，程序窗口也不再自动锁定。")

    def save_idle_minutes(self) -> None:
        minutes = self.idle_spin.value()

        def work(session: Session) -> None:
            from app.services.system.password import set_idle_minutes

            set_idle_minutes(session, minutes)

        done = (
            f"已保存：无操作 {minutes} 分钟后锁定程序窗口。" if minutes else "已保存：程序窗口不再自动锁定。"
        )
        self._write(work, done)
