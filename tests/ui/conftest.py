from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.db import Database, open_database
from app.services.demo import build_demo
from app.ui.main_window import MainWindow
from app.ui.operations import running_operations


@pytest.fixture
def demo_db_path(tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    db = open_database(path)
    with db.session() as session:
        build_demo(session, members=120, today=date(2026, 11, 20))
    db.close()
    return path


def wait_idle(qtbot: QtBot) -> None:
    """Until every background operation has delivered its result."""
    qtbot.waitUntil(lambda: running_operations() == 0, timeout=10_000)


@pytest.fixture
def window(qtbot: QtBot, demo_db_path: Path) -> Iterator[MainWindow]:
    main = MainWindow(warn_on_open_failure=False)
    qtbot.addWidget(main)
    main.show()
    with qtbot.waitSignal(main.roster_ready, timeout=10_000):
        main.open_database(demo_db_path)
    qtbot.waitUntil(lambda: main.roster.model.total_count == 120, timeout=10_000)
    wait_idle(qtbot)
    yield main
    wait_idle(qtbot)


@pytest.fixture
def opened_db(window: MainWindow) -> Database:
    assert window.context.db is not None
    return window.context.db
