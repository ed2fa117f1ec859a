"""Opening a 账套 at start-up in steps, all on a worker thread begun before the window.

0. The window's lock on the 账套 and what must be asked before its data shows (its
   启动密码, whether it lies on a network share): ``admission``. A 账套 another window
   has open goes no further.
1. With sqlite3 alone (fast): check the file and read the roster's first page, so the
   window can show names (once the password, if any, is given) while —
2. the database layer (SQLAlchemy, ~0.2 s to import) loads and opens the file for real.

A file that is new or needs migrating skips step 1's page and takes the full path.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from app.db import Database
    from app.services.roster import Roster
    from app.services.system import Admission

FIRST_PAGE = 300  # rows read before the window counts as ready; the rest follow at once


class OpenedDatabase(NamedTuple):
    db: Database
    first_page: Roster


def open_with_first_page(
    path: Path, *, checked: bool = False, first_page: Roster | None = None
) -> OpenedDatabase:
    from app.db import open_database
    from app.db_file import is_current
    from app.services.roster import load_roster

    # a file the window opens has every page read first (a command reads only what it uses)
    checked = checked or is_current(path.expanduser().resolve())
    db = open_database(path, checked=checked)
    if first_page is not None:
        return OpenedDatabase(db, first_page)
    try:
        with db.session() as session:
            return OpenedDatabase(db, load_roster(session, limit=FIRST_PAGE))
    except BaseException:
        db.close()
        raise


def peek_first_page(path: Path) -> Roster | None:
    """The first page via sqlite3, or None when the file is new or must be migrated first."""
    from app.db_file import is_current
    from app.services.roster import peek_roster

    resolved = path.expanduser().resolve()
    return peek_roster(resolved, FIRST_PAGE) if is_current(resolved) else None


class Startup:
    """The steps' results as futures: ``admission``, ``first_page`` (may hold None) and
    ``opened``. Whoever takes the admission owns its lock (the window)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.admission: Future[Admission] = Future()
        self.first_page: Future[Roster | None] = Future()
        self.opened: Future[OpenedDatabase] = Future()
        threading.Thread(target=self._run, name="uniondesk-open", daemon=True).start()

    def discard(self) -> None:
        """The window will not show this 账套 (its 启动密码 was not given): close the database
        once it is open."""

        def close(opened: Future[OpenedDatabase]) -> None:
            if not opened.cancelled() and opened.exception() is None:
                opened.result().db.close()

        self.opened.add_done_callback(close)

    def _run(self) -> None:
        from app.services.system import admit_window

        try:
            self.admission.set_result(admit_window(self.path))
        except BaseException as exc:
            for future in (self.admission, self.first_page, self.opened):
                future.set_exception(exc)
            return
        try:
            page = peek_first_page(self.path)
        except BaseException as exc:
            self.first_page.set_exception(exc)
            self.opened.set_exception(exc)
            return
        self.first_page.set_result(page)
        try:
            self.opened.set_result(open_with_first_page(self.path, checked=page is not None, first_page=page))
        except BaseException as exc:
            self.opened.set_exception(exc)
