"""The member picker of the payment, care and activity dialogs: choosing by mouse and by keys."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services.roster.search import load_roster
from app.ui.member_picker import MemberPicker


def test_a_click_on_a_match_chooses_that_member(qtbot: QtBot, opened_db: Database) -> None:
    picker = MemberPicker()
    qtbot.addWidget(picker)
    picker.show()
    with opened_db.reader() as session:
        roster = load_roster(session)
    picker.set_roster(roster)
    surnames = Counter(row.name[0] for row in roster.rows)
    picker.search.setText(surnames.most_common(1)[0][0])  # several matches, the first one chosen
    chosen: list[object] = []
    picker.chosen.connect(chosen.append)
    table = picker.table
    assert table.proxy.rowCount() >= 3
    index = table.proxy.index(2, 0)
    expected = table.proxy.data(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center())
    assert picker.current is not None and picker.current.name == expected
    assert chosen and getattr(chosen[-1], "name", None) == expected
