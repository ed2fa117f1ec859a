from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.db import Database
from app.ui.main_window import MainWindow
from app.ui.operations import running_operations
from tests.conftest import make_demo_db


def open_window(qtbot: QtBot, path: Path) -> MainWindow:
    """The main window, shown, with ``path`` open and the roster's first page in."""
    window = MainWindow(warn_on_open_failure=False)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.roster_ready, timeout=10_000):
        window.open_database(path)
    return window


@pytest.fixture(scope="session", autouse=True)
def program_font(qapp: QApplication) -> None:
    """Widgets measured in the font the program sets (its CJK families, 10 points at least),
    not in Qt's default: a line that fits in one does not always fit in the other."""
    from app.ui.app import set_program_font

    set_program_font()


@pytest.fixture
def demo_db_path(tmp_path: Path) -> Path:
    return make_demo_db(tmp_path / "demo.db", 120)


def wait_idle(qtbot: QtBot) -> None:
    """Until every background operation has delivered its result; else a failure that names
    the operations still running (one that never ends makes every later test wait too)."""
    try:
        qtbot.waitUntil(lambda: running_operations() == 0, timeout=10_000)
    except qtbot.TimeoutError:
        from app.ui import operations

        labels = sorted(operation._label for operation in operations._running)
        raise AssertionError(f"operations still running after 10 s: {labels}") from None


@pytest.fixture
def window(qtbot: QtBot, demo_db_path: Path) -> Iterator[MainWindow]:
    main = open_window(qtbot, demo_db_path)
    qtbot.waitUntil(lambda: main.roster.model.total_count == 120, timeout=10_000)
    wait_idle(qtbot)
    yield main
    wait_idle(qtbot)


@pytest.fixture
def opened_db(window: MainWindow) -> Database:
    assert window.context.db is not None
    return window.context.db


@pytest.fixture(autouse=True)
def gui_thread_only_collects(qtbot: QtBot) -> Iterator[None]:
    """As in the program: no cyclic garbage collection on worker threads (see app/ui/gc_guard),
    and no background work outliving its test."""
    import gc

    from app.ui.gc_guard import GuiThreadCollector
    from app.ui.operations import wait_for_operations

    collector = GuiThreadCollector()
    yield
    wait_for_operations(10_000)  # the thread pool and the writer thread
    qtbot.wait(1)  # deliver queued results while the widgets still exist
    collector.stop()
    gc.collect()  # this test's Qt objects die here, on the GUI thread
