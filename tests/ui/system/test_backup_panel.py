"""设置 → 备份与恢复 in the window: the day's backup made on opening, a backup now, the folder
setting, a restore that reopens the 账套, and the backup made when the window closes."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

import app.ui.main_window as main_window
import app.ui.system.backup_panel as backup_panel
from app.db_backup import (
    KIND_BULK,
    KIND_DAILY,
    KIND_EXIT,
    KIND_MANUAL,
    KIND_RESTORE,
    default_folder,
    list_backups,
)
from app.services.system import get_profile, get_setting, save_profile
from app.ui.main_window import MainWindow
from app.ui.system.backup_panel import BackupPanel
from tests.ui.conftest import wait_idle

NAME = "华东精密机械有限公司工会委员会"


@pytest.fixture(autouse=True)
def daily_backup_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The day's backup is made as soon as the 账套 opens (the window waits a few seconds;
    tests/ui/test_main_window.py checks that wait)."""
    monkeypatch.setattr(main_window, "DAILY_BACKUP_DELAY_MS", 0)


def _panel(window: MainWindow, qtbot: QtBot) -> BackupPanel:
    panel = window.settings_page.backup
    assert isinstance(panel, BackupPanel)
    window.show_page("设置")
    window.settings_page.setCurrentWidget(panel)
    wait_idle(qtbot)
    return panel


def _kinds(panel: BackupPanel) -> list[str]:
    return [panel.model.row_at(i).kind for i in range(panel.model.rowCount())]


def test_the_day_s_backup_is_listed_and_a_backup_is_made_now(window: MainWindow, qtbot: QtBot) -> None:
    panel = _panel(window, qtbot)
    assert window.context.db is not None
    path = window.context.db.path
    assert _kinds(panel)[0] == KIND_DAILY  # made in the background when the 账套 opened
    before = panel.model.rowCount()  # and the demo's bulk write was preceded by one
    assert (
        "（默认文件夹）" in panel.folder_label.text()
        and str(default_folder(path)) in panel.folder_label.text()
    )
    assert not panel.default_button.isEnabled()
    panel.backup_now()
    qtbot.waitUntil(lambda: panel.model.rowCount() == before + 1, timeout=10_000)
    assert _kinds(panel)[:2] == [KIND_MANUAL, KIND_DAILY]
    assert "已通过完整性检查" in panel.status.text()
    assert panel.model.row_at(0).intact and panel.count_label.text() == f"共 {before + 1} 份备份"


def test_the_folder_is_chosen_used_and_reset(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = _panel(window, qtbot)
    usb = tmp_path / "U盘"
    usb.mkdir()
    monkeypatch.setattr(backup_panel, "choose_folder", lambda *_a: usb)
    panel.choose_folder()
    qtbot.waitUntil(lambda: panel.folder_label.text() == str(usb), timeout=10_000)
    assert window.context.db is not None
    with window.context.db.reader() as session:
        assert get_setting(session, "backup.folder") == str(usb)
    panel.backup_now()
    qtbot.waitUntil(lambda: len(list(usb.glob("*_手动.db"))) == 1, timeout=10_000)
    wait_idle(qtbot)  # the backup's rotation and its report are done too: the file is there before them

    usb.rename(tmp_path / "拔掉了")  # the drive is unplugged
    panel.refresh()
    qtbot.waitUntil(lambda: not panel.folder_problem.isHidden(), timeout=10_000)
    assert "U 盘" in panel.folder_problem.text() and "默认文件夹" in panel.folder_problem.text()
    assert panel.default_button.isEnabled()
    panel.reset_folder()
    qtbot.waitUntil(lambda: "（默认文件夹）" in panel.folder_label.text(), timeout=10_000)
    assert panel.folder_problem.isHidden()


def test_restore_asks_then_reopens_the_restored_data(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = _panel(window, qtbot)
    db = window.context.db
    assert db is not None
    path = db.path
    with closing(sqlite3.connect(path)) as con:
        con.execute("UPDATE union_profile SET name = '恢复前的名字'")
        con.commit()
    questions: list[str] = []
    told: list[str] = []
    monkeypatch.setattr(backup_panel, "confirm_restore", lambda _p, text: questions.append(text) or False)
    monkeypatch.setattr(backup_panel, "tell", lambda _p, _title, text: told.append(text))
    panel.table.selectRow(0)
    panel.restore_selected()
    assert "“每日”备份" in questions[0] and "恢复前" in questions[0] and "重新打开账套" in questions[0]
    assert window.context.db is db and told == []  # said no: nothing happened

    monkeypatch.setattr(backup_panel, "confirm_restore", lambda _p, text: True)
    with qtbot.waitSignal(window.context.database_opened, timeout=15_000):
        panel.restore_selected()
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    assert "恢复前的数据已另存为" in told[0]
    reopened = window.context.db
    assert reopened is not None and reopened is not db and reopened.path == path
    with reopened.reader() as session:
        assert get_profile(session).name == NAME
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: KIND_RESTORE in _kinds(panel), timeout=10_000)
    kept = next(
        panel.model.row_at(i)
        for i in range(panel.model.rowCount())
        if panel.model.row_at(i).kind == KIND_RESTORE
    )
    with closing(sqlite3.connect(kept.path)) as con:
        assert con.execute("SELECT name FROM union_profile").fetchone() == ("恢复前的名字",)
    qtbot.waitUntil(lambda: NAME in window.windowTitle(), timeout=10_000)


def test_closing_the_window_backs_up_what_this_run_changed(window: MainWindow, qtbot: QtBot) -> None:
    db = window.context.db
    assert db is not None
    folder, stem = default_folder(db.path), db.path.stem
    wait_idle(qtbot)
    with db.session() as session:  # a unit of work that only reads changes nothing
        get_profile(session)
    assert db.writes == 0
    with db.session() as session:
        profile = get_profile(session)
        profile.chair = "赵新"
        save_profile(session, profile)
    assert db.writes == 1
    window.close()
    assert [b.kind for b in list_backups(folder, stem) if b.kind != KIND_BULK] == [KIND_EXIT, KIND_DAILY]


def test_closing_after_no_change_makes_no_backup(window: MainWindow, qtbot: QtBot) -> None:
    db = window.context.db
    assert db is not None
    wait_idle(qtbot)
    window.close()
    kinds = [b.kind for b in list_backups(default_folder(db.path), db.path.stem)]
    assert KIND_EXIT not in kinds and KIND_DAILY in kinds
