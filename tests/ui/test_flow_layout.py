"""The wrapping row of buttons and filters."""

import itertools

from PySide6.QtWidgets import QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.ui.flow_layout import FlowLayout


def _row(qtbot: QtBot) -> tuple[QWidget, list[QPushButton], QLineEdit]:
    host = QWidget()
    qtbot.addWidget(host)
    layout = FlowLayout(host)
    buttons = [QPushButton(f"按钮{n}……") for n in range(6)]
    search = QLineEdit()
    for button in buttons:
        layout.addWidget(button)
    layout.addWidget(search)
    return host, buttons, search


def test_one_line_where_there_is_room_and_the_search_takes_the_rest(qtbot: QtBot) -> None:
    host, buttons, search = _row(qtbot)
    host.resize(1400, 200)
    host.show()
    qtbot.waitExposed(host)
    assert len({b.geometry().top() for b in [*buttons, search]}) == 1
    assert search.geometry().right() >= 1400 - 2  # to the end of the line
    assert all(
        left.geometry().right() < right.geometry().left() for left, right in itertools.pairwise(buttons)
    )


def test_it_wraps_where_there_is_not_and_asks_no_more_than_its_widest_item(qtbot: QtBot) -> None:
    host, buttons, search = _row(qtbot)
    widest = max(b.sizeHint().width() for b in buttons)
    layout = host.layout()
    assert layout is not None
    assert layout.minimumSize().width() < 2 * widest  # not the sum of the row
    host.resize(2 * widest + 20, 200)
    host.show()
    qtbot.waitExposed(host)
    tops = sorted({b.geometry().top() for b in buttons})
    assert len(tops) == 3  # two buttons a line
    assert all(b.geometry().right() <= host.width() for b in [*buttons, search])
    assert layout.heightForWidth(host.width()) > layout.heightForWidth(2000)
