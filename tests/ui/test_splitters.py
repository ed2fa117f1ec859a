"""Where the user leaves a splitter's handle (the 会费 grid given the monthly totals' room, the
member panel made wider) is where it is the next time the page is made."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QSplitter
from pytestqt.qtbot import QtBot

from app.ui.main_window import MainWindow
from app.ui.ui_settings import splitter_state
from app.ui.widgets import remember_splitter


def _splitter(qtbot: QtBot) -> QSplitter:
    splitter = QSplitter()
    qtbot.addWidget(splitter)
    splitter.addWidget(QLabel("左"))
    splitter.addWidget(QLabel("右"))
    splitter.resize(600, 200)
    splitter.setSizes([400, 200])
    return splitter


def test_a_moved_handle_is_where_it_was_left_next_time(qtbot: QtBot) -> None:
    first = _splitter(qtbot)
    remember_splitter(first, "test_pair")
    first.show()
    assert splitter_state("test_pair") is None  # nothing moved: nothing kept
    first.setSizes([150, 450])
    first.splitterMoved.emit(150, 1)  # as dragging the handle does
    assert splitter_state("test_pair") is None  # not while it still moves
    qtbot.waitUntil(lambda: splitter_state("test_pair") is not None, timeout=2000)  # once it rests
    again = _splitter(qtbot)
    remember_splitter(again, "test_pair")
    again.show()
    moved = first.sizes()
    assert moved[0] < 160 and moved[1] > 440  # the handle's own width comes off the sizes
    assert again.sizes() == moved
    other = _splitter(qtbot)
    remember_splitter(other, "another_pair")  # each splitter by its own name
    other.show()
    assert other.sizes()[0] > 2 * other.sizes()[1] - 10  # as set in code: 400 to 200


def test_the_dues_grid_keeps_the_room_given_it(window: MainWindow, qtbot: QtBot) -> None:
    window.show_page("会费")
    (splitter,) = [s for s in window.dues.findChildren(QSplitter) if s.count() == 2 and s.isVisible()]
    total = sum(splitter.sizes())
    splitter.setSizes([total - 40, 40])
    splitter.splitterMoved.emit(total - 40, 1)
    qtbot.waitUntil(lambda: splitter_state("dues_ledger") is not None, timeout=2000)
    state = splitter_state("dues_ledger")
    assert state is not None and state == splitter.saveState()
