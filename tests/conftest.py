from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

# Qt tests run without a screen; set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.db import Database, open_database


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own user folders: no test reads or writes the real ones."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("UNIONDESK_HOME", str(home))
    return home


DEMO_TODAY = date(2026, 11, 20)


def _rosters_folder() -> Path:
    """shared/fixtures/rosters, which stands beside the repository (CI clones it there too)."""
    here = Path(__file__).resolve()
    for folder in here.parents:
        candidate = folder / "shared" / "fixtures" / "rosters"
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("找不到 shared/fixtures/rosters：它应在仓库旁边（../shared）")


ROSTER_FIXTURES = _rosters_folder()


def make_demo_db(path: Path, members: int) -> Path:
    """A closed demo 账套 on disk, as of DEMO_TODAY."""
    from app.services.system.demo import build_demo

    database = open_database(path)
    with database.session() as session:
        build_demo(session, members=members, today=DEMO_TODAY)
    database.close()
    return path


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "union.db")
    yield database
    database.close()
