"""Opening a 账套 at start-up, on three worker threads begun before the window.

The checking thread, with sqlite3 alone (fast to load): a first look at the file — its
header, schema and revision: is it current? — then, for a current file, the full check
(``PRAGMA quick_check``, every page read: the longest step for a large 账套). Reading the
file shows nothing to anyone, so it does not wait for the opening thread:
0. the window's lock on the 账套 and what must be asked before any of its data shows (its
   启动密码, whether it lies on a network share): ``admission``. A 账套 another window has
   open goes no further (its error is the one the window shows);
1. once the check has passed, the roster's first page: ``first_page``, so the window can
   show names (once the password, if any, is given) before the database layer is ready.
   A file whose full check takes long (``LONG_CHECK_BYTES``: 0.2 s and more) shows it once
   the first look has passed instead; ``opened`` still waits for the full check, and the
   window takes the page back if it fails (a damaged file shows nothing to work on).

The loading thread meanwhile imports the database layer (SQLAlchemy, the models, app.db:
~0.4 s of Python) and, once the first look says the file is current, opens it and runs
the early read it was given (the 首页's figures) beside the full check — sqlite3 lets go
of the GIL while it reads, so on two cores the check, the imports and the read overlap.
The imports would take the GIL from the window being built, though: started with
``wait_for_window``, the loading thread begins once ``window_shown()`` is called and the
roster's first page is on screen too (``first_page_shown()``), which is then moments away.
Nothing read early but the first page of a large file is shown unless the full check
passes (``opened``) and the password is given; the window takes the early read's result
from ``early``.

A file that is new or needs migrating skips the first page and the early read, and takes
the full path once the database layer has loaded.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.db import Database
    from app.services.roster import Roster
    from app.services.system import Admission

FIRST_PAGE = 300  # rows read before the window counts as ready; the rest follow at once
WINDOW_WAIT_S = 2.0  # the loading thread begins at the latest this long after the start-up
FIRST_PAGE_WAIT_S = 0.3  # … and this long after the window is shown
# The full check reads ~350 MB a second: from this size on it takes longer than the window
# needs, and the imports go ahead beside it rather than after the first page.
LONG_CHECK_BYTES = 64 * 1024 * 1024


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


def first_look(path: Path) -> bool:
    """Whether the file is a current 账套, from what the checks read without reading every
    page (its header, schema and revision). Raises DatabaseOpenError as the full check would."""
    from app.db_file import check_file, check_revision, inspect_file
    from app.migrations import HEAD

    resolved = path.expanduser().resolve()
    if not resolved.exists() or resolved.stat().st_size == 0:
        return False
    check_file(resolved)
    revision = inspect_file(resolved, full=False)
    check_revision(resolved, revision)
    return revision == HEAD


def _close(db: Future[Database | None]) -> None:
    """Close the database the loading thread opened (when it has), once it has."""

    def close(done: Future[Database | None]) -> None:
        if not done.cancelled() and done.exception() is None and (opened := done.result()) is not None:
            opened.close()

    db.add_done_callback(close)


class Startup:
    """The steps' results as futures: ``admission``, ``first_page`` (may hold None),
    ``opened`` and ``early`` (the early read's result; None when there was none or the
    file was not current). Whoever takes the admission owns its lock (the window)."""

    def __init__(
        self, path: Path, early_read: Callable[[Session], Any] | None = None, *, wait_for_window: bool = False
    ) -> None:
        self.path = path
        self.admission: Future[Admission] = Future()
        self.first_page: Future[Roster | None] = Future()
        self.opened: Future[OpenedDatabase] = Future()
        self.early: Future[Any] = Future()
        self._current: Future[bool] = Future()  # the first look's answer
        self._db: Future[Database | None] = Future()  # opened by the loading thread
        self._early_read = early_read
        self._window_shown = threading.Event()
        self._first_page_shown = threading.Event()
        if not wait_for_window:
            self._window_shown.set()
            self._first_page_shown.set()
        self._checked: Future[bool] = Future()  # the full check passed (False: not a current file)
        self._threads = [
            threading.Thread(target=self._check, name="uniondesk-check", daemon=True),
            threading.Thread(target=self._open, name="uniondesk-open", daemon=True),
            threading.Thread(target=self._load, name="uniondesk-load", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def discard(self) -> None:
        """The window will not show this 账套 (its 启动密码 was not given): close the database
        once it is open."""

        def close(opened: Future[OpenedDatabase]) -> None:
            if not opened.cancelled() and opened.exception() is None:
                opened.result().db.close()

        self.opened.add_done_callback(close)

    def window_shown(self) -> None:
        """The window is on screen: the loading thread may take the GIL now."""
        self._window_shown.set()

    def first_page_shown(self) -> None:
        """The roster's first page is on screen (or none will be)."""
        self._first_page_shown.set()

    def join(self, timeout: float) -> None:
        """Wait (up to ``timeout`` seconds each) for the threads to end: the program is
        closing and their work is not needed, but must not be cut off half-way. Not when
        the 账套 was refused: another program may hold it, and the check wait for it."""
        if self.admission.done() and self.admission.exception() is not None:
            return
        for thread in self._threads:
            thread.join(timeout)

    def _check(self) -> None:
        from app.db_file import is_current

        try:
            current = first_look(self.path)
            self._current.set_result(current)
            if current:  # a file to migrate is checked whole before it is (app.db)
                is_current(self.path.expanduser().resolve())
            self._checked.set_result(current)
        except BaseException as exc:
            if not self._current.done():
                self._current.set_exception(exc)
            self._checked.set_exception(exc)

    def _open(self) -> None:
        from app.services.system import admit_window

        try:
            self.admission.set_result(admit_window(self.path))
        except BaseException as exc:
            for future in (self.admission, self.first_page, self.opened):
                future.set_exception(exc)
            _close(self._db)  # opened early by the loading thread: never shown
            self.first_page_shown()  # none will be
            return
        try:
            from app.services.roster import peek_roster

            # a file whose full check takes long shows its first page once the first look
            # has passed; the window takes it back should the full check then fail
            looked = self._current if self._long_check() else self._checked
            current = looked.result()
            page = peek_roster(self.path.expanduser().resolve(), FIRST_PAGE) if current else None
        except BaseException as exc:
            _close(self._db)  # opened early by the loading thread: never shown
            self.first_page.set_exception(exc)
            self.opened.set_exception(exc)
            self.first_page_shown()  # none will be
            return
        self.first_page.set_result(page)
        if page is None:
            self.first_page_shown()
        if page is not None:
            try:
                self._checked.result()  # a damaged file: the window drops the page it showed
            except BaseException as exc:
                _close(self._db)  # opened early by the loading thread: never used
                self.opened.set_exception(exc)
                return
        try:
            if page is None:  # new, or to be migrated: the full path
                _close(self._db)
                self.opened.set_result(open_with_first_page(self.path))
                return
            db = self._db.result()
            if db is None:  # not opened early after all
                self.opened.set_result(open_with_first_page(self.path, checked=True, first_page=page))
            else:
                self.opened.set_result(OpenedDatabase(db, page))
        except BaseException as exc:
            self.opened.set_exception(exc)

    @property
    def checked(self) -> Future[bool]:
        """The file's full check: True once it has passed (False: a new file, or one to be
        migrated, which is checked whole as it is opened); its exception when it failed."""
        return self._checked

    def _long_check(self) -> bool:
        try:
            return self.path.expanduser().stat().st_size >= LONG_CHECK_BYTES
        except OSError:
            return False

    def _load(self) -> None:
        db: Database | None = None
        self._window_shown.wait(WINDOW_WAIT_S)
        self._first_page_shown.wait(FIRST_PAGE_WAIT_S)
        try:
            from app.db import open_database

            # nothing is read from a 账套 the window was refused
            admitted = self.admission.exception() is None
            if admitted and self._current.exception() is None and self._current.result():
                db = open_database(self.path, checked=True)  # the first look has been done
        except BaseException as exc:
            self._db.set_exception(exc)
            self.early.set_result(None)
            return
        self._db.set_result(db)
        if db is None or self._early_read is None:
            self.early.set_result(None)
        else:
            try:
                with db.reader() as session:
                    self.early.set_result(self._early_read(session))
            except BaseException as exc:  # the window reads it again
                self.early.set_exception(exc)
        with contextlib.suppress(Exception):  # the roster's full load comes next (it says if this fails)
            from app.services.roster import load_roster  # noqa: F401
