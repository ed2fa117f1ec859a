"""Opening the 账套 and reading the roster's first page, started before the window exists.

The database layer costs ~0.2 s to import and the file a few dozen ms to check; begun on
a worker thread first thing, that overlaps with Qt building the window.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from app.db import Database
    from app.services.roster_index import Roster

FIRST_PAGE = 300  # rows read before the window counts as ready; the rest follow at once


class OpenedDatabase(NamedTuple):
    db: Database
    first_page: Roster


def open_with_first_page(path: Path) -> OpenedDatabase:
    from app.db import open_database
    from app.services.roster_search import load_roster

    db = open_database(path)
    try:
        with db.session() as session:
            return OpenedDatabase(db, load_roster(session, limit=FIRST_PAGE))
    except BaseException:
        db.close()
        raise


def prefetch(path: Path) -> Future[OpenedDatabase]:
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="uniondesk-open")
    future = executor.submit(open_with_first_page, path)
    executor.shutdown(wait=False)
    return future
