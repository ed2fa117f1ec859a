"""Auto-lock: after some minutes without keyboard or mouse input the window's contents are
put away behind a lock screen until the 启动密码 is typed again.

Locked, the main window's central widget (every page) is taken out of the window and a
plain lock screen takes its place; the menus are disabled; every other window of the
program (a dialog left open, a message that pops up meanwhile) is covered and disabled; an
application-modal dialog asks the password, so it takes input even above a modal dialog
left open. Nothing is stopped: background reads and writes finish and fill in the hidden
pages. Unlocked, everything is put back as it was, focus included.

Input is noticed by an application-wide event filter, installed only while a password is
set (a 账套 without one never locks and pays nothing for it).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QVBoxLayout, QWidget

from app.ui.lifetime import alive

if TYPE_CHECKING:  # the dialog is imported when the window locks
    from app.ui.system.password_dialog import PasswordDialog

_INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)
_NOT_COVERED = (Qt.WindowType.Popup, Qt.WindowType.ToolTip, Qt.WindowType.SplashScreen)
MS_PER_MINUTE = 60_000


class LockScreen(QWidget):
    """What the window shows while locked: no data, only what happened and what to do."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)  # the dark background
        self.setStyleSheet("#lockScreen { background: #2b3a4f; } QLabel { color: #e8edf3; }")
        title = QLabel("UnionDesk 已锁定")
        font = QFont(title.font())
        font.setPointSize(max(font.pointSize() * 2, 20))
        font.setBold(True)
        title.setFont(font)
        hint = QLabel(
            "程序一段时间没有操作，为保护会员信息已经锁定。\n"
            "输入启动密码即可继续工作；正在进行的导入、保存等工作不受影响。"
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for label in (title, hint):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(label)
        layout.addStretch(4)  # the text above the password dialog, which comes up in the middle


class _Cover:
    """An opaque sheet over another window's contents, which is disabled meanwhile."""

    def __init__(self, window: QWidget) -> None:
        self.window = window
        self.was_enabled = window.isEnabled()
        self.sheet = QWidget(window)
        self.sheet.setAutoFillBackground(True)
        self.fit()
        self.sheet.show()
        self.sheet.raise_()
        window.setEnabled(False)

    def fit(self) -> None:
        self.sheet.setGeometry(self.window.rect())

    def remove(self) -> None:
        if alive(self.sheet):
            self.sheet.hide()
            self.sheet.deleteLater()
        if alive(self.window):
            self.window.setEnabled(self.was_enabled)


class IdleLock(QObject):
    """Locks ``window`` after ``idle_ms`` without input while a password hash is set."""

    locked_changed = Signal(bool)

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._stored: str | None = None
        self._idle_ms = 0
        self._last_input = time.monotonic()
        self._watching = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._check)
        self.locked = False
        self.dialog: PasswordDialog | None = None
        self.screen: LockScreen | None = None
        self._central: QWidget | None = None
        self._focus: QWidget | None = None
        self._covers: dict[QWidget, _Cover] = {}
        self._quitting = False

    @property
    def idle_ms(self) -> int:
        return self._idle_ms

    def configure(self, stored: str | None, idle_ms: int) -> None:
        """Lock after ``idle_ms`` without input (0: never), unlocking with the password
        ``stored`` hashes; without a hash, never."""
        self._stored = stored
        self._idle_ms = idle_ms if stored else 0
        active = self._idle_ms > 0
        app = QApplication.instance()
        if active and not self._watching and app is not None:
            app.installEventFilter(self)
        elif not active and self._watching and app is not None:
            app.removeEventFilter(self)
        self._watching = active and app is not None
        self._last_input = time.monotonic()
        if active:
            self._timer.start(self._idle_ms)
        else:
            self._timer.stop()
            if self.locked and not stored:  # the password was removed meanwhile: nothing to ask
                self.unlock()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _INPUT:
            self._last_input = time.monotonic()
        elif self.locked and isinstance(watched, QWidget) and watched.isWindow():
            if kind == QEvent.Type.Show:
                self._cover(watched)
            elif kind == QEvent.Type.Resize and watched in self._covers:
                self._covers[watched].fit()
        return False

    def _check(self) -> None:
        if self._idle_ms <= 0 or self.locked:
            return
        idle = (time.monotonic() - self._last_input) * 1000
        if idle >= self._idle_ms:
            self.lock()
        else:
            self._timer.start(max(int(self._idle_ms - idle), 1))

    # -- locking ---------------------------------------------------------------------------------
    def lock(self) -> None:
        if self.locked or not self._stored:
            return
        self.locked = True
        window = self._window
        self._focus = QApplication.focusWidget()
        self._central = window.takeCentralWidget()
        self.screen = LockScreen()
        window.setCentralWidget(self.screen)
        window.menuBar().setEnabled(False)
        for other in QApplication.topLevelWidgets():
            if other.isVisible():
                self._cover(other)
        from app.ui.system.password_dialog import UNLOCK, PasswordDialog

        self.dialog = PasswordDialog(self._stored, "", UNLOCK, window)
        self.dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.dialog.accepted.connect(self.unlock)
        self.dialog.quit_clicked.connect(self._quit)
        self.dialog.open()
        self.locked_changed.emit(True)

    def _cover(self, other: QWidget) -> None:
        if self._quitting or other is self._window or other is self.dialog or other in self._covers:
            return
        if other.windowType() in _NOT_COVERED or (self.dialog is not None and other.parent() is self.dialog):
            return
        self._covers[other] = _Cover(other)

    def unlock(self) -> None:
        if not self.locked:
            return
        self.locked = False
        for cover in self._covers.values():
            cover.remove()
        self._covers.clear()
        window = self._window
        screen = window.takeCentralWidget()
        if self._central is not None:
            window.setCentralWidget(self._central)
            self._central.show()  # taken out of the window, it was hidden with the move
        self._central = None
        if screen is not None:
            screen.deleteLater()
        self.screen = None
        window.menuBar().setEnabled(True)
        if self.dialog is not None:
            dialog, self.dialog = self.dialog, None
            if dialog.isVisible():
                dialog.done(dialog.DialogCode.Accepted.value)
            dialog.deleteLater()
        if self._focus is not None and alive(self._focus) and self._focus.isVisible():
            self._focus.setFocus()
        self._focus = None
        self._last_input = time.monotonic()
        if self._idle_ms > 0:
            self._timer.start(self._idle_ms)
        self.locked_changed.emit(False)

    def _quit(self) -> None:
        """退出程序 on the lock: the window closes as ever (it may still ask about a draft)."""
        self._quitting = True  # closing may ask about a draft: that question must be answerable
        try:
            closed = self._window.close()
        finally:
            self._quitting = False
        if closed and self.dialog is not None:
            self.dialog.hide()
