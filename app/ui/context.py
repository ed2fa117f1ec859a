"""What every page shares: the open 账套 and the app-wide ``changed`` signal.

A write operation (app/ui/operations.py) emits ``changed(changes, initiator)`` once it has
committed: ``changes`` names the tables the unit of work touched, as the database layer
recorded them — derived, never written by hand; ``initiator`` is the page or dialog that
started it (or None). Reads never emit it. A page keeps itself current with
``RefreshWhenShown`` (Anki's operation_did_execute and deckbrowser's refresh-when-shown):
a change to a table it shows marks it stale; it reloads at once when visible, otherwise
when it is next shown, so a hidden page does no work.

Pages are made when first shown (app/ui/main_window.py): a page made after the 账套 opened
asks for it with ``follow_database`` and reads it then. Right after an open, reads that
can wait (the roster's rows past its first page) go through ``read_later``, so they do
not compete with what the first screen shows (the 首页's figures).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from app.db import Database
    from app.services.roster import Roster

# The tables pages watch, by their names in the database (tests/ui/test_context.py keeps
# them equal to the models' __tablename__, which this module does not import: it loads
# before SQLAlchemy does).
MEMBERS = "members"
GROUPS = "groups"
MEMBER_EVENTS = "membership_events"  # 入会、转出、退休保留会籍 …
WAGES = "dues_base_wages"
PROFILE = "union_profile"


@dataclass(frozen=True)
class Changes:
    """What one committed write changed: the names of the tables it touched."""

    tables: frozenset[str] = frozenset()

    @classmethod
    def of(cls, tables: Iterable[str]) -> Changes:
        return cls(frozenset(tables))

    def touches(self, *tables: str) -> bool:
        """Whether any of these tables was changed."""
        return not self.tables.isdisjoint(tables)

    def __bool__(self) -> bool:
        return bool(self.tables)


class AppContext(QObject):
    database_opened = Signal(object)  # Database
    changed = Signal(object, object)  # Changes, initiator (the page or dialog that wrote, or None)

    def __init__(self) -> None:
        super().__init__()
        self.db: Database | None = None
        self._first_page: Roster | None = None
        self._hold = 0  # the newest hold_later_reads; 0 when none holds
        self._later: list[Callable[[], None]] = []

    def set_database(self, db: Database, first_page: Roster | None = None) -> None:
        old, self.db = self.db, db
        self._first_page = first_page
        if old is not None and old is not db:
            old.close()
        self.database_opened.emit(db)

    def follow_database(self, slot: Callable[[Database], None]) -> None:
        """Call ``slot(db)`` for every 账套 opened from now on, and at once for the one
        open now: a page built after the 账套 opened (pages are built when first shown)
        reads it as if it had seen ``database_opened``."""
        self.database_opened.connect(slot)
        if self.db is not None:
            slot(self.db)

    def hold_later_reads(self, limit_ms: int) -> Callable[[], None]:
        """Until the returned ``release()`` is called — or ``limit_ms`` has passed, so a
        slow first read never holds the rest for long — ``read_later`` keeps what it is
        given. A newer hold replaces an older one."""
        self._hold += 1
        hold = self._hold

        def release() -> None:
            if self._hold == hold:
                self._hold = 0
                later, self._later = self._later, []
                for work in later:
                    work()

        QTimer.singleShot(limit_ms, self, release)
        return release

    def read_later(self, work: Callable[[], None]) -> None:
        """Start ``work`` (it starts a read) now, or once the hold on later reads ends."""
        if self._hold:
            self._later.append(work)
        else:
            work()

    def take_first_page(self) -> Roster | None:
        """The roster rows read while opening, handed over once."""
        page, self._first_page = self._first_page, None
        return page


class RefreshWhenShown(QObject):
    """Keeps ``page`` current with the least work.

    A change touching one of ``tables`` calls ``reload`` at once when the page is visible
    or started the change itself; otherwise it marks the page stale, and ``reload`` runs
    when the page is next shown — once, however many changes came meanwhile.
    ``handled(changes, initiator)`` may claim a change the page brings in itself (an
    edited row put in place instead of a reload).
    """

    def __init__(
        self,
        page: QWidget,
        context: AppContext,
        tables: Iterable[str],
        reload: Callable[[], None],
        *,
        handled: Callable[[Changes, object], bool] | None = None,
    ) -> None:
        super().__init__(page)
        self._page = page
        self._tables = tuple(tables)
        self._reload = reload
        self._handled = handled
        self.stale = False
        page.installEventFilter(self)
        context.changed.connect(self._changed)

    def _changed(self, changes: Changes, initiator: object) -> None:
        if not changes.touches(*self._tables):
            return
        if self._handled is not None and self._handled(changes, initiator):
            return
        if initiator is self._page:
            self.reload_now()
        else:
            self.mark_stale()

    def mark_stale(self) -> None:
        """Reload now if the page is on screen, else when it is next shown."""
        if self._page.isVisible():
            self.reload_now()
        else:
            self.stale = True

    def reload_now(self) -> None:
        self.stale = False
        self._reload()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._page and event.type() == QEvent.Type.Show and self.stale:
            self.reload_now()
        return False
