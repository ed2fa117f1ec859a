"""The day's backup after an open: it waits a few seconds (it checks a whole copy of the
账套), is made only of the 账套 the window still has open, and a damaged 账套 is told in a
warning that says what to do."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

import app.services.system.backup as backup_service
from app.db_backup import BackupFolderError
from app.db_file import CorruptDatabaseError
from app.ui import main_window
from app.ui.main_window import MainWindow
from tests.conftest import make_demo_db
from tests.ui.conftest import wait_idle


class Backups:
    """Stands in for the day's backup: notes which file, and when; may fail as told."""

    def __init__(self) -> None:
        self.made: list[tuple[Path, float]] = []
        self.error: BaseException | None = None
        self._lock = threading.Lock()

    def __call__(self, db_path: Path, now: object = None) -> None:
        with self._lock:
            self.made.append((Path(db_path), time.perf_counter()))
        if self.error is not None:
            raise self.error

    def paths(self) -> list[Path]:
        with self._lock:
            return [path for path, _at in self.made]


@pytest.fixture
def backups(monkeypatch: pytest.MonkeyPatch) -> Backups:
    found = Backups()
    monkeypatch.setattr(backup_service, "daily_backup", found)
    return found


def damaged_box(window: MainWindow) -> QMessageBox | None:
    found = window.findChild(QMessageBox, "damagedWarning")
    return found if isinstance(found, QMessageBox) and found.isVisible() else None


def opened(qtbot: QtBot, path: Path) -> MainWindow:
    window = MainWindow(warn_on_open_failure=False)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.context.database_opened, timeout=10_000):
        window.open_database(path)
    return window


def test_the_day_s_backup_waits_after_the_open(
    qtbot: QtBot, demo_db_path: Path, backups: Backups, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main_window.DAILY_BACKUP_DELAY_MS >= 3000  # long enough for the first screen's reads
    monkeypatch.setattr(main_window, "DAILY_BACKUP_DELAY_MS", 600)
    window = opened(qtbot, demo_db_path)
    at_open = time.perf_counter()
    qtbot.waitUntil(lambda: window.roster.model.total_count == 120, timeout=10_000)
    wait_idle(qtbot)
    assert backups.made == [] or backups.made[0][1] - at_open >= 0.5
    qtbot.waitUntil(lambda: len(backups.made) == 1, timeout=10_000)
    path, made_at = backups.made[0]
    assert path == demo_db_path.resolve() and made_at - at_open >= 0.5
    wait_idle(qtbot)


def test_only_the_union_still_open_is_backed_up(
    qtbot: QtBot, demo_db_path: Path, tmp_path: Path, backups: Backups, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = make_demo_db(tmp_path / "other.db", 30)
    monkeypatch.setattr(main_window, "DAILY_BACKUP_DELAY_MS", 800)
    window = opened(qtbot, demo_db_path)
    with qtbot.waitSignal(window.context.database_opened, timeout=10_000):
        window.open_database(other)  # before the first one's backup was due
    qtbot.waitUntil(lambda: len(backups.made) == 1, timeout=10_000)
    qtbot.wait(1000)  # the first one's time has passed too
    wait_idle(qtbot)
    assert backups.paths() == [other.resolve()]
    window.close()


def test_a_closed_window_makes_no_day_s_backup(
    qtbot: QtBot, demo_db_path: Path, backups: Backups, monkeypatch: pytest.MonkeyPatch
) -> None:
    # closed as soon as the 账套 is open, well before the delay even on a busy machine (waiting
    # for the first screen's reads first, a loaded CI machine once passed 500 ms)
    monkeypatch.setattr(main_window, "DAILY_BACKUP_DELAY_MS", 1500)
    window = opened(qtbot, demo_db_path)
    window.close()
    wait_idle(qtbot)
    qtbot.wait(2000)
    assert backups.made == []


def test_a_damaged_union_is_told_in_a_warning(
    qtbot: QtBot, demo_db_path: Path, backups: Backups, monkeypatch: pytest.MonkeyPatch
) -> None:
    backups.error = CorruptDatabaseError(
        "账套文件“demo.db”已损坏：它的备份副本没有通过完整性检查，备份没有保存。请运行“uniondesk check”，或用以前的备份恢复"
    )
    monkeypatch.setattr(main_window, "DAILY_BACKUP_DELAY_MS", 0)
    window = opened(qtbot, demo_db_path)
    qtbot.waitUntil(lambda: damaged_box(window) is not None, timeout=10_000)
    box = damaged_box(window)
    assert box is not None and box.windowTitle() == "账套可能已损坏"
    text = box.text()
    assert "备份副本没有通过完整性检查" in text
    assert "设置 → 数据检查" in text and "设置 → 备份与恢复" in text and "恢复" in text
    assert "今天的自动备份没有完成" in window.statusBar().currentMessage()
    assert {b.text() for b in box.buttons()} == {"去检查账套", "知道了"}  # Chinese, no "OK"
    wait_idle(qtbot)
    go = next(b for b in box.buttons() if b.text() == "去检查账套")
    go.click()
    qtbot.waitUntil(lambda: damaged_box(window) is None, timeout=5000)
    assert window.stack.currentWidget() is window.settings_page
    assert window.settings_page.currentWidget() is window.settings_page.check
    wait_idle(qtbot)


def test_a_backup_folder_problem_stays_in_the_status_bar(
    qtbot: QtBot, demo_db_path: Path, backups: Backups, monkeypatch: pytest.MonkeyPatch
) -> None:
    backups.error = BackupFolderError("备份文件不能写入文件夹“/media/U盘”，备份没有完成")
    monkeypatch.setattr(main_window, "DAILY_BACKUP_DELAY_MS", 0)
    window = opened(qtbot, demo_db_path)
    qtbot.waitUntil(lambda: "U盘" in window.statusBar().currentMessage(), timeout=10_000)
    wait_idle(qtbot)
    qtbot.wait(100)
    assert damaged_box(window) is None  # the 账套 is sound: no dialog
