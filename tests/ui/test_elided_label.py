"""A label whose text changes while the page is shown does not widen the page."""

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.ui.main_window import MainWindow
from app.ui.widgets import ElidedLabel
from tests.ui.conftest import wait_idle

LONG = "显示 18000 人 / 共 52000 人（正在载入其余会员……）"


def test_a_long_text_ends_in_an_ellipsis_with_the_whole_in_the_tooltip(qtbot: QtBot) -> None:
    label = ElidedLabel("共 3 人")
    qtbot.addWidget(label)
    label.show()  # a hidden widget is told of its new size only once shown
    label.resize(label.sizeHint())
    assert label.shown_text() == "共 3 人" and label.toolTip() == ""
    label.setText(LONG)
    assert label.text() == LONG  # the whole text, for whoever reads it
    assert label.sizeHint().width() > QLabel("共 3 人").sizeHint().width() * 3  # asks for its room
    label.resize(120, label.height())
    shown = label.shown_text()
    assert shown.endswith("…") and LONG.startswith(shown[:-1]) and len(shown) < len(LONG)
    assert label.toolTip() == LONG
    label.resize(label.sizeHint())  # room again: whole, no tooltip
    assert label.shown_text() == LONG and label.toolTip() == ""


def test_a_longer_text_does_not_raise_the_least_width_of_its_row(qtbot: QtBot) -> None:
    row = QWidget()
    qtbot.addWidget(row)
    layout = QHBoxLayout(row)
    layout.addWidget(QLabel("分组"))
    label = ElidedLabel("共 3 人")
    layout.addWidget(label)
    least = row.minimumSizeHint().width()
    label.setText(LONG)
    assert row.minimumSizeHint().width() == least
    plain = QLabel("共 3 人")  # as a plain label did: the row's least width grew with the text
    layout.addWidget(plain)
    before = row.minimumSizeHint().width()
    plain.setText(LONG)
    assert row.minimumSizeHint().width() > before + 100


def test_the_roster_loading_the_rest_does_not_widen_the_window(window: MainWindow, qtbot: QtBot) -> None:
    """The count said "（正在载入其余会员……）" while the rest of the roster was read: for that
    moment the page asked 156 pixels more, and the window grew past 1024 pixels for good."""
    wait_idle(qtbot)
    roster = window.roster
    least = window.minimumSizeHint().width()
    roster._loaded_full = False
    roster._after_reset()
    assert roster.count_label.text().endswith("（正在载入其余会员……）")
    qtbot.wait(50)  # the layouts take up the new text
    assert window.minimumSizeHint().width() == least <= 1000
