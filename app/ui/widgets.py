"""Small widgets shared by the pages and dialogs."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtWidgets import QComboBox, QLabel, QMenu, QSplitter, QToolButton, QWidget

from app.ui.ui_settings import save_splitter_state, splitter_state

# The date fields are in app.ui.date_fields, and the dialog buttons are imported where they
# are made: the window's first page has none, and their classes cost every start-up.
if TYPE_CHECKING:
    from PySide6.QtGui import QPaintEvent, QResizeEvent
    from PySide6.QtWidgets import QDialogButtonBox

    from app.domain.union import GroupInfo

# The style draws a menu button's arrow in its lower right corner, over the last character;
# the ▼ goes after the text instead (a character every Chinese font has: GB2312 A1FC).
_MENU_MARK = " ▼"
_NO_CORNER_ARROW = "QToolButton::menu-indicator { image: none; width: 0px; }"


def menu_button(text: str, menu: QMenu | None = None, parent: QWidget | None = None) -> QToolButton:
    """A button that opens ``menu`` (or one set later) when clicked, marked by a ▼ after ``text``."""
    button = QToolButton(parent)
    mark_menu_button(button, text)
    if menu is not None:
        button.setMenu(menu)
    return button


def mark_menu_button(button: QToolButton, text: str) -> None:
    """``button`` opens its menu on a click, said by a ▼ after ``text``."""
    button.setText(text + _MENU_MARK)
    button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    button.setStyleSheet(_NO_CORNER_ARROW)


class ErrorLabel(QLabel):
    """The red message under a field; hidden while there is nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet("color: #c0392b;")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_message(self, message: str) -> None:
        self.setText(message)
        self.setVisible(bool(message))


class ElidedLabel(QLabel):
    """A line of text that does not widen the page: when its place is too narrow it ends in
    "…" (the whole line in its tooltip). For text that changes while the page is shown, such
    as a count with "（正在载入……）" after it: a label's least width is its text's, and a longer
    text made the window wider than a 1024-pixel screen."""

    LEAST_WIDTH = 80

    def __init__(
        self,
        text: str = "",
        parent: QWidget | None = None,
        *,
        elide: Qt.TextElideMode = Qt.TextElideMode.ElideRight,
    ) -> None:
        super().__init__(text, parent)
        self._elide = elide  # ElideMiddle for a path: its start and its file name both tell
        self._update_tooltip()

    def setText(self, text: str) -> None:
        super().setText(text)
        self._update_tooltip()

    def minimumSizeHint(self) -> QSize:
        return QSize(self.LEAST_WIDTH, super().minimumSizeHint().height())  # whatever the text

    def shown_text(self) -> str:
        """The text as it is drawn in the room the label has."""
        width = self.contentsRect().width() - 2 * self.margin()
        return self.fontMetrics().elidedText(self.text(), self._elide, max(width, 0))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_tooltip()

    def paintEvent(self, event: QPaintEvent) -> None:
        shown = self.shown_text()
        if shown == self.text():
            super().paintEvent(event)
            return
        from PySide6.QtGui import QPainter  # only once a line does not fit

        painter = QPainter(self)
        rect = self.contentsRect().adjusted(self.margin(), self.margin(), -self.margin(), -self.margin())
        painter.drawText(rect, int(self.alignment()), shown)

    def _update_tooltip(self) -> None:
        self.setToolTip(self.text() if self.shown_text() != self.text() else "")


def combo(items: Sequence[str], *, editable: bool = False, blank: str | None = None) -> QComboBox:
    box = QComboBox()
    if blank is not None:
        box.addItem(blank, "")
    for item in items:
        box.addItem(item, item)
    box.setEditable(editable)
    return box


def add_group_items(
    box: QComboBox, groups: Iterable[GroupInfo], value: Callable[[GroupInfo], object] = attrgetter("id")
) -> None:
    """Each group by its path (行政后勤 / 办公室), in tree order: chosen, it still says which
    department's 办公室 it is, as an indented name alone would not."""
    for group in groups:
        box.addItem(group.path, value(group))


def set_combo_value(box: QComboBox, value: object) -> None:
    index = box.findData(value)
    if index >= 0:
        box.setCurrentIndex(index)
    elif box.isEditable():
        box.setEditText(str(value or ""))


def combo_value(box: QComboBox) -> str:
    if box.isEditable():
        return box.currentText().strip()
    data = box.currentData()
    return "" if data is None else str(data)


def save_cancel_buttons(on_save: Callable[[], None], on_cancel: Callable[[], None]) -> QDialogButtonBox:
    """保存 / 取消 in the platform's order, with Chinese captions whatever the Qt translation."""
    from PySide6.QtWidgets import QDialogButtonBox

    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    buttons.accepted.connect(on_save)
    buttons.rejected.connect(on_cancel)
    return buttons


def remember_splitter(splitter: QSplitter, name: str) -> None:
    """The splitter's handles where the user last left them (a 会费 grid given the room of
    the monthly totals below it, say), from one session to the next; its sizes as set in
    code until then."""
    state = splitter_state(name)
    if state is not None:
        splitter.restoreState(state)
    # saved once the handle rests: a drag moves it dozens of times a second
    resting = QTimer(splitter)
    resting.setSingleShot(True)
    resting.setInterval(300)
    resting.timeout.connect(lambda: save_splitter_state(name, splitter.saveState()))
    splitter.splitterMoved.connect(lambda _pos, _index: resting.start())
