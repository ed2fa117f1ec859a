"""The dialog that asks the 启动密码: before a 账套's data is shown, and to unlock the window.

The typed password is checked here against the stored hash (scrypt, ~50 ms on the GUI
thread). A wrong one costs a pause before the next try; when opening, three wrong tries
end the attempt; when unlocking, the pause grows instead, so the work under way is not lost.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.services.errors import UserError
from app.services.system.password import verify_password
from app.ui.widgets import ErrorLabel

START, OPEN, UNLOCK = "start", "open", "unlock"
OPEN_TRIES = 3
WRONG_PAUSE_MS = 1000  # after the first wrong try; doubled after each further one
MAX_PAUSE_MS = 30_000


class PasswordDialog(QDialog):
    """``purpose``: START (cancel ends the program), OPEN (cancel leaves the 账套 closed) or
    UNLOCK (no cancel: only the password, or ending the program, closes it)."""

    quit_clicked = Signal()  # UNLOCK: 退出程序 was pressed; the lock decides whether to end

    def __init__(self, stored: str, name: str, purpose: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stored = stored
        self._purpose = purpose
        self.wrong_tries = 0
        self.gave_up = False
        self.setWindowTitle("程序已锁定" if purpose == UNLOCK else "输入启动密码")
        if purpose == UNLOCK:
            self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
            text = "程序已锁定，会员信息已隐藏。\n请输入启动密码继续工作。"
        else:
            text = f"账套“{name}”设有启动密码。\n请输入启动密码后打开。"
        prompt = QLabel(text)
        prompt.setWordWrap(True)
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setPlaceholderText("启动密码")
        self.field.setMinimumWidth(280)
        font = QFont(self.field.font())
        font.setPointSize(max(font.pointSize(), 12))
        self.field.setFont(font)
        self.error = ErrorLabel()
        buttons = QDialogButtonBox()
        self.ok_button = QPushButton("解锁" if purpose == UNLOCK else "打开")
        self.ok_button.setDefault(True)
        self.cancel_button = QPushButton("取消" if purpose == OPEN else "退出程序")
        buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.clicked.connect(self.try_password)
        self.cancel_button.clicked.connect(self._cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addWidget(self.field)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.field.setFocus()

    def try_password(self) -> None:
        if not self.ok_button.isEnabled():
            return
        try:
            right = verify_password(self._stored, self.field.text())
        except UserError as exc:  # the stored record is damaged: no password can open it
            self.error.show_message(str(exc))
            self._hold(None)
            return
        if right:
            self.accept()
            return
        self.wrong_tries += 1
        self.field.clear()
        if self._purpose != UNLOCK and self.wrong_tries >= OPEN_TRIES:
            self.gave_up = True
            closing = "程序将退出" if self._purpose == START else "账套没有打开"
            self.error.show_message(f"密码连续 {OPEN_TRIES} 次不对，{closing}。")
            self.cancel_button.setText("退出程序" if self._purpose == START else "关闭")
            self._hold(None)
            return
        left = OPEN_TRIES - self.wrong_tries
        self.error.show_message(
            "密码不对，请稍候再试。" if self._purpose == UNLOCK else f"密码不对，还可以再试 {left} 次。"
        )
        self._hold(min(WRONG_PAUSE_MS * 2 ** (self.wrong_tries - 1), MAX_PAUSE_MS))

    def _hold(self, pause_ms: int | None) -> None:
        """No try for ``pause_ms`` (None: no more tries at all)."""
        self.ok_button.setEnabled(False)
        self.field.setEnabled(False)
        if pause_ms is not None:
            QTimer.singleShot(pause_ms, self, self._resume)

    def _resume(self) -> None:
        self.ok_button.setEnabled(True)
        self.field.setEnabled(True)
        self.field.setFocus()

    def _cancel(self) -> None:
        if self._purpose == UNLOCK:
            self.quit_clicked.emit()
        else:
            super().reject()

    def reject(self) -> None:
        """Esc and the close button: cancel when opening; nothing while the window is locked."""
        if self._purpose != UNLOCK:
            super().reject()
