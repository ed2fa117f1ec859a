"""The roster page on the shared table: edits put in place, reloads only when needed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database, DatabaseBusyError
from app.models import Member
from app.ui.crash_dialog import CrashDialog
from app.ui.main_window import MainWindow
from app.ui.roster.member_dialog import MemberDialog
from app.ui.roster.model import COLUMN_INDEX
from tests.ui.conftest import wait_idle


def _select_first(window: MainWindow, qtbot: QtBot) -> Any:
    roster = window.roster
    first = roster.model.row_at(0)
    assert roster.select_member(first.id)
    qtbot.waitUntil(lambda: roster.edit_button.isEnabled(), timeout=5000)
    return first


def test_an_edit_puts_the_row_in_place_without_reading_the_roster_again(
    window: MainWindow, qtbot: QtBot, opened_db: Database
) -> None:
    roster = window.roster
    first = _select_first(window, qtbot)
    held = list(roster.model.rows)
    resets: list[bool] = []
    roster.model.modelReset.connect(lambda: resets.append(True))
    changed: list[tuple[int, int]] = []
    roster.model.dataChanged.connect(lambda a, b, _roles=(): changed.append((a.row(), b.row())))
    roster.edit_member()
    dialog = roster.findChild(MemberDialog)
    assert dialog is not None
    dialog.phone.setText("13900001111")
    with qtbot.waitSignal(window.context.changed, timeout=5000) as announced:
        dialog.save()
    assert announced.args[0].touches("members") and announced.args[1] is dialog
    qtbot.waitUntil(lambda: roster.model.row_at(0).phone == "13900001111", timeout=5000)
    wait_idle(qtbot)
    assert resets == []  # no reload of the 120 rows
    assert changed == [(0, 0)]  # one row repainted
    assert roster.proxy.index(0, COLUMN_INDEX["phone"]).data() == "13900001111"
    assert [r.id for r in roster.model.rows] == [r.id for r in held]
    assert roster.current_member_id() == first.id
    qtbot.waitUntil(lambda: roster.detail.fields["phone"].text() == "13900001111", timeout=5000)
    assert window.home.refresher.stale  # hidden pages showing members wait until shown


def test_a_hidden_roster_reloads_when_shown(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    roster, settings = window.roster, window.settings_page.profile
    window.show_page("设置")
    resets: list[bool] = []
    roster.model.modelReset.connect(lambda: resets.append(True))
    monkeypatch.setattr(settings, "_ask", lambda *a, **k: ("新成立的部门", "部门"))
    with qtbot.waitSignal(window.context.changed, timeout=5000):
        settings.add_group(child=False)
    wait_idle(qtbot)
    assert roster.refresher.stale and resets == []
    assert roster.group_filter.findText("新成立的部门") < 0
    qtbot.waitUntil(
        lambda: (
            settings.tree.topLevelItemCount() > 0
            and any(
                settings.tree.topLevelItem(i).text(0) == "新成立的部门"
                for i in range(settings.tree.topLevelItemCount())
            )
        ),
        timeout=5000,
    )  # the page that wrote, on screen, shows it
    window.show_page("会员名册")
    qtbot.waitUntil(lambda: roster.group_filter.findText("新成立的部门") >= 0, timeout=5000)
    wait_idle(qtbot)
    assert resets == [True] and not roster.refresher.stale


def test_adding_then_deleting_a_member(
    window: MainWindow, qtbot: QtBot, opened_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    roster = window.roster
    roster.add_member()
    dialog = roster.findChild(MemberDialog)
    assert dialog is not None
    # groups by their paths: a 办公室 says which department it belongs to, here and in the filter
    nested = [g for g in roster.model.roster.groups if g.depth > 0]
    shown = [dialog.group.itemText(i) for i in range(dialog.group.count())]
    assert nested and all(g.path in shown for g in nested) and " / " in nested[0].path
    assert roster.group_filter.findText(nested[0].path) >= 0
    dialog.name.setText("欧阳娜娜")
    dialog.id_number.setText("110105199003070025")
    dialog.save()
    qtbot.waitUntil(lambda: roster.model.total_count == 121, timeout=5000)
    wait_idle(qtbot)
    assert roster.model.row_at(roster.model.position_of(roster.current_member_id()) or 0).name == "欧阳娜娜"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.waitUntil(lambda: roster.delete_button.isEnabled(), timeout=5000)
    with qtbot.waitSignal(window.context.changed, timeout=5000) as announced:
        roster.delete_member()
    assert announced.args[0].touches("members") and announced.args[1] is roster
    qtbot.waitUntil(lambda: roster.model.total_count == 120, timeout=5000)
    wait_idle(qtbot)
    assert roster.current_member_id() is None and roster.detail.pages.currentIndex() == 0
    with opened_db.reader() as session:
        assert session.scalar(select(Member.id).where(Member.name == "欧阳娜娜")) is None


def test_a_busy_database_is_a_warning_in_the_dialog(
    window: MainWindow, qtbot: QtBot, opened_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warned.append(text))
    monkeypatch.setattr(CrashDialog, "exec", lambda _self: pytest.fail("shown as 程序出错"))

    def busy(_work: object, _actor: object = None) -> Any:
        raise DatabaseBusyError("账套“demo.db”正被其他程序使用，请稍后再试")

    monkeypatch.setattr(opened_db, "write", busy)
    _select_first(window, qtbot)
    window.roster.edit_member()
    dialog = window.roster.findChild(MemberDialog)
    assert dialog is not None
    dialog.save()
    qtbot.waitUntil(lambda: bool(warned), timeout=5000)
    assert "正被其他程序使用" in warned[0]
    assert dialog.isVisible() and dialog.save_button.isEnabled()  # try again later
    dialog.reject()


def test_the_template_is_written_from_a_read_only_session(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    out = tmp_path / "模板.xlsx"
    shown: list[str] = []
    changes: list[object] = []
    window.context.changed.connect(lambda c, _i: changes.append(c))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    window.roster.save_template()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert out.is_file() and str(out) in shown[0]
    assert changes == []  # a read announces nothing


def test_a_mouse_click_on_a_row_shows_that_member_and_enables_the_buttons(
    window: MainWindow, qtbot: QtBot
) -> None:
    """A click makes the row current before it selects it: the page must follow the selection."""
    from PySide6.QtCore import Qt

    roster = window.roster
    table = roster.table
    for position in (2, 5):
        index = table.proxy.index(position, COLUMN_INDEX["name"])
        expected = table.proxy.data(index)
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center())
        qtbot.waitUntil(lambda e=expected: roster.detail.title.text() == e, timeout=5000)
        assert roster.edit_button.isEnabled() and roster.current_member_id() is not None
    qtbot.keyClick(table, Qt.Key.Key_Down)  # and the keyboard, which selects as it moves
    below = table.proxy.data(table.proxy.index(6, COLUMN_INDEX["name"]))
    qtbot.waitUntil(lambda: roster.detail.title.text() == below, timeout=5000)
