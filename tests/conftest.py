from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

# Qt tests run without a screen; set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.db import Database, open_database
from app.ui.qt_enums import install as make_qt_enums_quickly
from tests.fixtures.rosters import MESSY_XLS, GeneratedRoster, soffice, write_rosters

make_qt_enums_quickly()  # as the program does (app.ui.qt_import): the window tests run on those enums


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own user folders: no test reads or writes the real ones."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("UNIONDESK_HOME", str(home))
    return home


DEMO_TODAY = date(2026, 11, 20)


class MessyRosters:
    """The generated rosters (tests/fixtures/rosters.py) by file name, each with its truth."""

    def __init__(self, folder: Path, files: dict[str, GeneratedRoster]) -> None:
        self.folder = folder
        self.files = files

    def __getitem__(self, name: str) -> GeneratedRoster:
        if name not in self.files and name == MESSY_XLS and soffice() is None:
            pytest.skip("没有安装 LibreOffice（soffice），无法生成 .xls；scripts/test.sh 会安装它")
        return self.files[name]


@pytest.fixture(scope="session")
def messy_rosters(tmp_path_factory: pytest.TempPathFactory) -> MessyRosters:
    """Messy rosters and the truth about them, generated once per run inside the run's
    temporary folder: no test reads a roster from outside the repository."""
    folder = tmp_path_factory.mktemp("rosters")
    return MessyRosters(folder, write_rosters(folder))


def rosters_beside_the_repository() -> list[Path]:
    """Extra material, never required: the rosters in ../shared/fixtures/rosters that come
    with a ``<file>.truth.json``, when that folder happens to stand beside the repository."""
    folder = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures" / "rosters"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.with_name(f"{p.name}.truth.json").is_file())


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
