"""The window and its 账套: the 启动密码 asked before any member shows, one window per 账套,
the network-share warning, the auto-lock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout
from pytestqt.qtbot import QtBot

from app.db import open_database
from app.services.system.password import set_password
from app.services.system.profile import get_profile, save_profile
from app.ui.main_window import MainWindow
from app.ui.operations import write_operation
from app.ui.startup import Startup
from app.ui.system.access import WindowAccess
from app.ui.system.lock_screen import LockScreen
from app.ui.system.password_dialog import PasswordDialog
from app.ui.ui_settings import recent_files, remember_recent
from tests.conftest import make_demo_db
from tests.fixtures.lock_holder import holding, start_holder, stop_holder
from tests.ui.conftest import wait_idle

PASSWORD = "工会2026"


@pytest.fixture(autouse=True)
def short_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.ui.system.password_dialog.WRONG_PAUSE_MS", 20)


def with_password(path: Path, password: str = PASSWORD, idle_minutes: int | None = None) -> Path:
    db = open_database(path)
    with db.session() as session:
        set_password(session, password, password, idle_minutes)
    db.close()
    return path


@pytest.fixture
def locked_union(tmp_path: Path) -> Path:
    return with_password(make_demo_db(tmp_path / "locked.db", 60))


@pytest.fixture
def new_window(qtbot: QtBot) -> Iterator[MainWindow]:
    main = MainWindow(warn_on_open_failure=False)
    qtbot.addWidget(main)
    main.show()
    yield main
    wait_idle(qtbot)


def access(window: MainWindow) -> WindowAccess:
    return WindowAccess.of(window, window.context)


def asked(qtbot: QtBot, window: MainWindow) -> PasswordDialog:
    qtbot.waitUntil(lambda: access(window).password_dialog is not None, timeout=10_000)
    dialog = access(window).password_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    return dialog


def answer(qtbot: QtBot, dialog: PasswordDialog, password: str) -> None:
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=5000)  # after a wrong try's pause
    dialog.field.setText(password)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def lock_is_free(path: Path) -> bool:
    """Whether another process can take the window's lock on ``path`` now."""
    try:
        holder = start_holder(path)
    except AssertionError:
        return False
    stop_holder(holder)
    return True


def test_the_password_is_asked_at_start_before_any_member_shows(
    qtbot: QtBot, new_window: MainWindow, locked_union: Path
) -> None:
    startup = Startup(locked_union)  # as run_gui starts: the first page is read meanwhile
    new_window.open_database(locked_union, startup=startup)
    dialog = asked(qtbot, new_window)
    assert startup.first_page.result(timeout=30) is not None  # read, and still not shown
    qtbot.wait(300)
    assert new_window.roster.model.rowCount() == 0 and new_window.roster.proxy.rowCount() == 0
    assert new_window.context.db is None
    assert "locked.db" in dialog.findChildren(QLabel)[0].text()
    answer(qtbot, dialog, "工会2025")
    qtbot.waitUntil(lambda: dialog.wrong_tries == 1, timeout=5000)
    assert "还可以再试 2 次" in dialog.error.text() and dialog.isVisible()
    qtbot.wait(100)
    assert new_window.roster.model.rowCount() == 0
    with qtbot.waitSignal(new_window.roster_ready, timeout=10_000):
        answer(qtbot, dialog, PASSWORD)
    qtbot.waitUntil(lambda: new_window.roster.model.total_count == 60, timeout=10_000)
    wait_idle(qtbot)
    assert new_window.context.db is not None and access(new_window).holds == locked_union.resolve()
    assert not lock_is_free(locked_union)  # the window holds the 账套 while it is open
    new_window.close()
    assert lock_is_free(locked_union)  # and lets it go when it closes


def test_cancelling_the_password_at_start_ends_the_program(
    qtbot: QtBot, new_window: MainWindow, locked_union: Path
) -> None:
    startup = Startup(locked_union)
    new_window.open_database(locked_union, startup=startup)
    dialog = asked(qtbot, new_window)
    assert dialog.cancel_button.text() == "退出程序"
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not new_window.isVisible(), timeout=5000)
    assert new_window.roster.model.rowCount() == 0 and new_window.context.db is None
    assert lock_is_free(locked_union)


def test_three_wrong_tries_leave_the_union_closed(
    qtbot: QtBot, new_window: MainWindow, locked_union: Path
) -> None:
    new_window.open_database(locked_union)
    dialog = asked(qtbot, new_window)
    assert dialog.cancel_button.text() == "取消"  # not at start: cancel leaves the program running
    for attempt in range(3):
        answer(qtbot, dialog, f"wrong{attempt}")
        qtbot.waitUntil(lambda n=attempt: dialog.wrong_tries == n + 1, timeout=5000)
    assert dialog.gave_up and "连续 3 次不对" in dialog.error.text()
    qtbot.wait(100)
    assert not dialog.ok_button.isEnabled() and not dialog.field.isEnabled()  # no fourth try
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: access(new_window).password_dialog is None, timeout=5000)
    assert new_window.isVisible() and new_window.context.db is None
    assert new_window.roster.model.rowCount() == 0
    assert lock_is_free(locked_union)


def test_switching_to_a_union_with_a_password(
    qtbot: QtBot, window: MainWindow, demo_db_path: Path, locked_union: Path
) -> None:
    shown = window.roster.model.total_count
    window.open_database(locked_union)
    dialog = asked(qtbot, window)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)  # cancelled: nothing changes
    qtbot.waitUntil(lambda: access(window).password_dialog is None, timeout=5000)
    wait_idle(qtbot)
    assert window.context.db is not None and window.context.db.path == demo_db_path.resolve()
    assert window.roster.model.total_count == shown
    assert lock_is_free(locked_union) and not lock_is_free(demo_db_path)
    window.open_database(locked_union)
    with qtbot.waitSignal(window.roster_ready, timeout=10_000):
        answer(qtbot, asked(qtbot, window), PASSWORD)
    qtbot.waitUntil(lambda: window.roster.model.total_count == 60, timeout=10_000)
    wait_idle(qtbot)
    assert window.context.db is not None and window.context.db.path == locked_union.resolve()
    assert lock_is_free(demo_db_path) and not lock_is_free(locked_union)  # the old lock let go


def test_a_union_open_in_another_window_is_refused(
    qtbot: QtBot, new_window: MainWindow, demo_db_path: Path
) -> None:
    remember_recent(demo_db_path.resolve())
    with holding(demo_db_path), qtbot.waitSignal(new_window.open_failed, timeout=10_000) as refused:
        new_window.open_database(demo_db_path)
    message = refused.args[0]
    assert (
        message.startswith("账套“demo.db”已经在另一个 UnionDesk 窗口中打开（")
        and "请先关闭那个窗口" in message
    )
    assert new_window.context.db is None and new_window.roster.model.rowCount() == 0
    assert demo_db_path.resolve() in recent_files()  # still hers: refused only while the other has it
    with qtbot.waitSignal(new_window.roster_ready, timeout=10_000):
        new_window.open_database(demo_db_path)  # the other window closed: it opens


def test_a_union_on_a_network_share_is_opened_after_a_warning(
    qtbot: QtBot, new_window: MainWindow, demo_db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("app.services.system.access.on_network_share", lambda _path: True)
    new_window.open_database(demo_db_path)
    qtbot.waitUntil(lambda: access(new_window).network_box is not None, timeout=10_000)
    box = access(new_window).network_box
    assert box is not None
    qtbot.waitUntil(box.isVisible, timeout=5000)
    assert "网络共享文件夹" in box.text() and "复制到这台电脑上" in box.text()
    qtbot.wait(200)
    assert new_window.context.db is None  # nothing read until the warning is seen
    with qtbot.waitSignal(new_window.roster_ready, timeout=10_000):
        box.button(box.StandardButton.Ok).click()
    wait_idle(qtbot)
    assert new_window.context.db is not None


def test_idle_minutes_lock_the_window_and_the_password_unlocks_it(
    qtbot: QtBot, new_window: MainWindow, locked_union: Path
) -> None:
    new_window.open_database(locked_union)
    with qtbot.waitSignal(new_window.roster_ready, timeout=10_000):
        answer(qtbot, asked(qtbot, new_window), PASSWORD)
    wait_idle(qtbot)
    lock = access(new_window).idle_lock
    assert lock.idle_ms == 10 * 60_000  # the default once a password is set
    new_window.show_page("会员名册")
    central = new_window.centralWidget()
    left_open = QDialog(new_window)  # a dialog left open with a member's data in it
    QVBoxLayout(left_open).addWidget(QLabel("张伟 340104199001011234"))
    left_open.show()
    stored = lock._stored
    lock.configure(stored, 300)  # a short idle time for the test
    qtbot.waitUntil(lambda: lock.locked, timeout=5000)
    screen = new_window.centralWidget()
    assert isinstance(screen, LockScreen)
    qtbot.waitUntil(screen.isVisible, timeout=5000)
    assert not screen.findChildren(type(new_window.roster.table))  # nothing of the data is in it
    assert not central.isVisible() and not new_window.roster.table.isVisible()
    assert not new_window.menuBar().isEnabled()
    assert not left_open.isEnabled()
    covers = [
        w for w in left_open.findChildren(type(central)) if w.geometry() == left_open.rect() and w.isVisible()
    ]
    assert covers, "the dialog left open is covered"
    dialog = lock.dialog
    assert dialog is not None and dialog.isVisible() and dialog.cancel_button.text() == "退出程序"

    def profile_saved(session: object) -> None:  # background work goes on while locked
        from sqlalchemy.orm import Session

        assert isinstance(session, Session)
        profile = get_profile(session)
        profile.phone = "0551-2222222"
        save_profile(session, profile)

    write_operation(None, new_window.context, profile_saved)
    wait_idle(qtbot)
    assert new_window.context.db is not None
    with new_window.context.db.reader() as session:
        assert get_profile(session).phone == "0551-2222222"
    assert lock.locked
    dialog.reject()  # Esc does not unlock
    assert lock.locked and dialog.isVisible()
    answer(qtbot, dialog, "not it")
    qtbot.waitUntil(lambda: dialog.wrong_tries == 1, timeout=5000)
    assert lock.locked and "密码不对" in dialog.error.text()
    answer(qtbot, dialog, PASSWORD)
    qtbot.waitUntil(lambda: not lock.locked, timeout=5000)
    assert new_window.centralWidget() is central and new_window.roster.table.isVisible()
    assert new_window.stack.currentWidget() is new_window.roster
    assert new_window.menuBar().isEnabled() and left_open.isEnabled()
    assert not any(
        w.isVisible() for w in left_open.findChildren(type(central)) if w.geometry() == left_open.rect()
    )
    assert new_window.roster.model.total_count == 60
    left_open.close()


def test_a_window_without_password_never_locks(qtbot: QtBot, window: MainWindow) -> None:
    lock = access(window).idle_lock
    assert lock.idle_ms == 0
    lock.lock()
    assert not lock.locked and window.centralWidget() is not None
    assert not isinstance(window.centralWidget(), LockScreen)
