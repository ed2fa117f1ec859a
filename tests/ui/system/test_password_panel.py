"""设置 → 启动密码: set, change, remove, the idle minutes; the window's auto-lock follows."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.db import Database
from app.services.system.password import IDLE_KEY, PASSWORD_KEY, check_password, password_state
from app.services.system.settings import get_setting
from app.ui.main_window import MainWindow
from app.ui.system.access import WindowAccess
from app.ui.system.password_panel import PasswordPanel
from tests.ui.conftest import wait_idle


def panel_of(window: MainWindow) -> PasswordPanel:
    found = window.settings_page.password  # made on first use
    assert isinstance(found, PasswordPanel)
    index = window.settings_page.indexOf(found)
    assert window.settings_page.tabText(index) == "启动密码"
    return found


def test_set_change_and_remove_from_the_panel(window: MainWindow, qtbot: QtBot, opened_db: Database) -> None:
    panel = panel_of(window)
    window.show_page("设置")
    window.settings_page.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.state is not None, timeout=5000)
    assert panel.status_label.text() == "启动密码：未设置"
    assert not panel.old_field.isVisibleTo(panel) and panel.set_button.isVisibleTo(panel)
    assert not panel.change_button.isVisibleTo(panel) and not panel.idle_box.isEnabled()
    access = WindowAccess.of(window, window.context)
    assert access.idle_lock.idle_ms == 0

    panel.new_field.setText("abc")
    panel.confirm_field.setText("abc")
    panel.set_password()
    qtbot.waitUntil(lambda: panel.errors["new"].isVisibleTo(panel), timeout=5000)
    assert panel.errors["new"].text() == "至少要 4 个字符"
    panel.new_field.setText("工会2026")
    panel.confirm_field.setText("工会2025")
    panel.set_password()
    qtbot.waitUntil(lambda: panel.errors["confirm"].text() == "两次输入的新密码不一样", timeout=5000)
    assert not panel.errors["new"].isVisibleTo(panel)
    with opened_db.reader() as session:
        assert get_setting(session, PASSWORD_KEY) is None  # nothing stored by the refusals
    panel.confirm_field.setText("工会2026")
    panel.set_password()
    qtbot.waitUntil(lambda: panel.status_label.text() == "启动密码：已设置", timeout=5000)
    assert "已设置" in panel.saved_label.text() and panel.new_field.text() == ""
    with opened_db.reader() as session:
        assert check_password(session, "工会2026") and not check_password(session, "工会2025")
    assert panel.old_field.isVisibleTo(panel) and panel.change_button.isVisibleTo(panel)
    assert panel.idle_box.isEnabled() and panel.idle_spin.value() == 10
    qtbot.waitUntil(lambda: access.idle_lock.idle_ms == 10 * 60_000, timeout=5000)  # the window will lock

    panel.idle_spin.setValue(25)
    panel.save_idle_minutes()
    qtbot.waitUntil(lambda: access.idle_lock.idle_ms == 25 * 60_000, timeout=5000)
    with opened_db.reader() as session:
        assert get_setting(session, IDLE_KEY) == "25"

    panel.old_field.setText("不对")
    panel.new_field.setText("新密码99")
    panel.confirm_field.setText("新密码99")
    panel.change_password()
    qtbot.waitUntil(lambda: panel.errors["old"].text() == "原密码不对", timeout=5000)
    panel.old_field.setText("工会2026")
    panel.change_password()
    qtbot.waitUntil(lambda: panel.saved_label.text() == "启动密码已修改。", timeout=5000)
    with opened_db.reader() as session:
        assert check_password(session, "新密码99")

    panel.old_field.setText("工会2026")
    panel.remove_password()
    qtbot.waitUntil(lambda: "原密码不对" in panel.errors["old"].text(), timeout=5000)
    with opened_db.reader() as session:
        assert password_state(session).is_set
    panel.old_field.setText("新密码99")
    panel.remove_password()
    qtbot.waitUntil(lambda: panel.status_label.text() == "启动密码：未设置", timeout=5000)
    wait_idle(qtbot)
    with opened_db.reader() as session:
        assert not password_state(session).is_set
    qtbot.waitUntil(lambda: access.idle_lock.idle_ms == 0, timeout=5000)  # no password, no lock
    assert not panel.idle_box.isEnabled()


def test_the_panel_without_a_union(qtbot: QtBot) -> None:
    from app.ui.context import AppContext

    panel = PasswordPanel(AppContext())
    qtbot.addWidget(panel)
    assert panel.status_label.text() == "启动密码：（未打开账套）"
    assert not panel.form_box.isEnabled() and not panel.idle_box.isEnabled()
