"""The start-up path reads the first page with sqlite3 alone; it must equal the real one."""

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from app.db import Database, NewerVersionError
from app.db_file import is_current
from app.services.roster.peek import peek_roster
from app.services.roster.search import load_roster
from app.services.system.demo import build_demo
from app.ui.startup import Startup, peek_first_page
from tests.conftest import make_demo_db

ROOT = Path(__file__).resolve().parents[3]


def test_peek_equals_the_sqlalchemy_page(db: Database) -> None:
    with db.session() as session:
        build_demo(session, members=150, today=date(2026, 11, 20))
    with db.session() as session:
        real = load_roster(session, limit=40)
    peeked = peek_roster(db.path, 40)
    assert peeked.rows == real.rows
    assert peeked.groups == real.groups
    assert isinstance(peeked.rows[0].birth_date, date)


def test_new_or_outdated_files_take_the_full_path(tmp_path: Path, db: Database) -> None:
    assert peek_first_page(tmp_path / "missing.db") is None
    assert is_current(db.path)
    import sqlite3

    with sqlite3.connect(db.path) as con:
        con.execute("UPDATE alembic_version SET version_num = 'zzzz'")
    with pytest.raises(NewerVersionError):
        peek_first_page(db.path)


def test_startup_delivers_page_then_database(tmp_path: Path) -> None:

    path = make_demo_db(tmp_path / "s.db", 30)
    startup = Startup(path)
    page = startup.first_page.result(timeout=30)
    assert page is not None and len(page.rows) == 30
    opened = startup.opened.result(timeout=30)
    assert opened.first_page is page
    with opened.db.session() as session:
        assert len(load_roster(session).rows) == 30
    opened.db.close()
    fresh = Startup(tmp_path / "new.db")
    assert fresh.first_page.result(timeout=30) is None
    created = fresh.opened.result(timeout=30)
    assert created.first_page.rows == []
    created.db.close()


def test_the_first_page_is_read_without_the_database_layer_or_the_member_rules() -> None:
    """It is read while the window is being made: all it loads, the window waits for."""
    code = (
        "import sys\nimport app.services.roster.peek\n"
        "print(sorted(m for m in ('sqlalchemy', 'app.domain.members', 'app.db') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip() == "[]"
