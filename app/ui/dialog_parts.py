"""What small dialogs share (the dues settings, care records): a 关闭 button, the line that
says what a change did, a yes/no question, a field with its message under it, and where a
failure is told."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QLayout,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.services.errors import UserError
from app.ui.operations import show_error
from app.ui.widgets import ErrorLabel


def close_buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
    buttons.rejected.connect(dialog.reject)
    return buttons


def outcome_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    return label


def with_message(field: QWidget, message: ErrorLabel) -> QWidget:
    """The field with its message right under it: as a form row of its own, a wrapped message
    is centred in a row taller than its text and reads as if it were about the next field."""
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    column.addWidget(field)
    column.addWidget(message)
    return box


def confirm(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(
        parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )  # fmt: skip
    return answer == QMessageBox.StandardButton.Yes


def tell_failure(parent: QWidget, label: ErrorLabel, error: BaseException) -> None:
    """A refusal the user can act on under the form; anything else in the error dialog."""
    if isinstance(error, UserError):
        label.show_message(str(error))
    else:
        show_error(parent, error)


def resize_within_screen(window: QWidget, width: int, height: int) -> None:
    """``window`` at ``width`` × ``height``, or smaller where its screen is: a 1366 × 768 laptop
    at 125 % has about 1,090 × 610 pixels, and a dialog taller than that hides its buttons."""
    anchor = window.parentWidget() or window
    screen = anchor.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry()
        width = min(width, room.width() * 95 // 100)
        height = min(height, room.height() * 90 // 100)
    window.resize(width, height)


def scrolling(content: QLayout) -> QScrollArea:
    """``content`` in a borderless area that scrolls when the dialog is shorter than it (a
    small screen), so that the dialog's buttons below it stay in view."""
    inner = QWidget()
    column = QVBoxLayout(inner)
    column.setContentsMargins(0, 0, 0, 0)
    column.addLayout(content)
    column.addStretch(1)  # room to spare goes below the form, not between its rows
    area = QScrollArea()
    area.setWidget(inner)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return area
