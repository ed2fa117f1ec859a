"""The start-up's two threads: the early read (the 首页's figures) runs beside the file's
full check and is kept only when the check passes; the loading thread waits for the
window; the window shows the figures read early without reading them again."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import app.db as db_module
import app.db_file as db_file
import app.services.reports.dashboard as dashboard_module
import app.ui.startup as startup_module
from app.db_file import CorruptDatabaseError
from app.models import Member
from app.ui.main_window import MainWindow
from app.ui.reports.home_figures import figures_work, today
from app.ui.startup import Startup
from tests.ui.conftest import wait_idle


def count_members(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Member)) or 0)


def test_the_early_read_runs_while_the_file_is_checked(
    demo_db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_early = threading.Event()
    real_check = db_file.is_current

    def check(path: Path, *args: object) -> bool:
        # the full check does not end before the early read has run: they overlap
        assert read_early.wait(30), "the early read waited for the full check"
        return real_check(path)

    def early(session: Session) -> int:
        found = count_members(session)
        read_early.set()
        return found

    monkeypatch.setattr(db_file, "is_current", check)
    startup = Startup(demo_db_path, early_read=early)
    opened = startup.opened.result(timeout=30)
    assert startup.early.result(timeout=30) == 120
    assert opened.first_page is startup.first_page.result() and len(opened.first_page.rows) == 120
    with opened.db.reader() as session:
        assert count_members(session) == 120
    opened.db.close()


def test_what_was_read_early_is_dropped_when_the_check_fails(
    demo_db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_early = threading.Event()
    closed: list[Path] = []
    real_close = db_module.Database.close

    def close(self: db_module.Database) -> None:
        closed.append(self.path)
        real_close(self)

    def damaged(path: Path, *args: object) -> bool:
        read_early.wait(30)
        raise CorruptDatabaseError("账套文件已损坏")

    monkeypatch.setattr(db_module.Database, "close", close)
    monkeypatch.setattr(db_file, "is_current", damaged)
    startup = Startup(demo_db_path, early_read=lambda s: (count_members(s), read_early.set()))
    with pytest.raises(CorruptDatabaseError):
        startup.opened.result(timeout=30)
    with pytest.raises(CorruptDatabaseError):
        startup.first_page.result(timeout=30)
    startup.join(30)
    assert closed == [demo_db_path.resolve()]  # the database opened for the early read


def test_a_new_file_reads_nothing_early(tmp_path: Path) -> None:
    startup = Startup(tmp_path / "new.db", early_read=count_members)
    assert startup.early.result(timeout=30) is None
    created = startup.opened.result(timeout=30)
    assert created.first_page.rows == []
    created.db.close()


def test_the_loading_thread_waits_for_the_window(demo_db_path: Path) -> None:
    startup = Startup(demo_db_path, early_read=count_members, wait_for_window=True)
    assert startup.first_page.result(timeout=30) is not None  # sqlite3 alone: not held back
    assert not startup.early.done()
    threading.Event().wait(0.3)
    assert not startup.early.done() and not startup.opened.done()
    startup.window_shown()
    assert startup.early.result(timeout=30) == 120
    startup.opened.result(timeout=30).db.close()


def test_the_window_shows_the_figures_read_early(
    qtbot: QtBot, demo_db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[object] = []
    real = dashboard_module.dashboard_figures

    def counted(session, day=None):  # type: ignore[no-untyped-def]
        calls.append(day)
        return real(session, day)

    monkeypatch.setattr(dashboard_module, "dashboard_figures", counted)
    startup = Startup(demo_db_path, early_read=figures_work(today()))
    window = MainWindow(warn_on_open_failure=False)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.home_figures.read, timeout=10_000):
        window.open_database(demo_db_path, startup=startup)
    qtbot.waitUntil(lambda: window.roster.model.total_count == 120, timeout=10_000)
    wait_idle(qtbot)
    assert window.home_figures.figures is startup.early.result()
    assert calls == [today()]  # read once, at start-up
    assert window.home.cards["members"].value.text() != "—"


def test_a_large_file_shows_its_first_page_while_its_check_reads_on(
    demo_db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading every page of a large 账套 takes long: its first page is read once the first look
    has passed, not after the full check; the database is opened only once the check passes."""
    release = threading.Event()
    real_check = db_file.is_current

    def slow_check(path: Path, *args: object) -> bool:
        assert release.wait(30)
        return real_check(path)

    monkeypatch.setattr(startup_module, "LONG_CHECK_BYTES", 0)
    monkeypatch.setattr(db_file, "is_current", slow_check)
    startup = Startup(demo_db_path)
    page = startup.first_page.result(timeout=30)  # the check still waits for ``release``
    assert page is not None and len(page.rows) == 120
    assert not startup.checked.done() and not startup.opened.done()
    release.set()
    assert startup.checked.result(timeout=30) is True
    startup.opened.result(timeout=30).db.close()


def test_the_window_takes_back_a_first_page_whose_file_then_fails_its_check(
    qtbot: QtBot, demo_db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()

    def damaged(path: Path, *args: object) -> bool:
        assert release.wait(30)
        raise CorruptDatabaseError("账套文件已损坏")

    monkeypatch.setattr(startup_module, "LONG_CHECK_BYTES", 0)
    monkeypatch.setattr(db_file, "is_current", damaged)
    startup = Startup(demo_db_path)
    window = MainWindow(warn_on_open_failure=False)
    qtbot.addWidget(window)
    window.show()
    window.open_database(demo_db_path, startup=startup)
    qtbot.waitUntil(lambda: window.roster.model.total_count == 120, timeout=10_000)  # shown early
    with qtbot.waitSignal(window.open_failed, timeout=10_000) as failed:
        release.set()
    assert "已损坏" in failed.args[0]
    assert window.roster.model.total_count == 0 and window.context.db is None
    startup.join(30)
