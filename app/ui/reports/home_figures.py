"""The 首页's figures, read as soon as a 账套 opens — whether or not the 首页 has been built.

The main window builds a page only when it is first shown, but the 首页's cards must be
ready the moment the secretary clicks it: ``HomeFigures`` reads them at every open (or
takes the ones read while the file was being checked at start-up, see app/ui/startup.py)
and keeps them; the 首页, built later, shows what it holds and listens for the next read.
It imports no widget module, so the window can hold it from the start for free.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.ui.activities import BUDGET_TABLES
from app.ui.care import RECORDS
from app.ui.context import GROUPS, MEMBER_EVENTS, MEMBERS, PROFILE, AppContext, Changes
from app.ui.dues import DUES_TABLES
from app.ui.operations import read_operation

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.reports import DashboardFigures

HARDSHIP_FILES = "hardship_files"  # HardshipFile.__tablename__
# What the 首页 is made of: a change to any of these tables makes it read again.
WATCHED = (MEMBERS, MEMBER_EVENTS, GROUPS, PROFILE, RECORDS, HARDSHIP_FILES, *DUES_TABLES, *BUDGET_TABLES)


def today() -> date:
    """The day the 首页 is about (tests set it)."""
    return date.today()


def figures_work(day: date) -> Callable[[Session], DashboardFigures]:
    """The read behind the cards and charts, as of ``day`` (imports the service when run,
    on the thread that runs it)."""

    def work(session: Session) -> DashboardFigures:
        from app.services.reports import dashboard_figures

        return dashboard_figures(session, day)

    return work


class HomeFigures(QObject):
    """The figures of the 账套 open now. ``started`` when a read begins; then ``read``
    (the figures) or ``failed`` (the error). Only the newest read delivers. ``stale``: a
    change to what the figures are made of came after they were read."""

    started = Signal()
    read = Signal(object)  # DashboardFigures
    failed = Signal(object)  # BaseException
    _early_done = Signal(int, object)  # generation, the start-up's Future (from its thread)

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.figures: DashboardFigures | None = None
        self.error: BaseException | None = None
        self.reading = False
        self.stale = False
        self._day: date | None = None
        self._generation = 0
        self._then: Callable[[], None] | None = None
        self._early_done.connect(self._early_in)
        context.changed.connect(self._changed)

    def start(
        self,
        day: date,
        *,
        early: Future[DashboardFigures | None] | None = None,
        then: Callable[[], None] | None = None,
    ) -> None:
        """Read the figures as of ``day`` (nothing when no 账套 is open). ``early``: the
        read the start-up began beside the file's check — taken when it is about the same
        day and succeeded, else the figures are read again. ``then()`` runs once they are
        in (or the read failed)."""
        if self.context.db is None:
            return
        self._generation += 1
        generation = self._generation
        self.figures, self.error, self.reading, self.stale, self._day = None, None, True, False, day
        self._finish_then()
        self._then = then
        self.started.emit()
        if early is None:
            self._read(generation)
            return
        # called at once when it is done already; otherwise from the start-up's thread
        early.add_done_callback(lambda future: self._early_done.emit(generation, future))

    def _early_in(self, generation: int, future: Future[DashboardFigures | None]) -> None:
        if generation != self._generation:
            return
        found = None if future.cancelled() or future.exception() is not None else future.result()
        if found is not None and found.today == self._day:
            self._deliver(generation, found)
        else:
            self._read(generation)  # not read early (a new or migrated file), or it failed

    def _read(self, generation: int) -> None:
        assert self._day is not None
        read_operation(
            None,
            self.context,
            figures_work(self._day),
            on_success=lambda found: self._deliver(generation, found),
            on_failure=lambda error: self._fail(generation, error),
            quiet=True,
        )

    def _deliver(self, generation: int, found: DashboardFigures) -> None:
        if generation != self._generation:
            return
        self.figures, self.reading = found, False
        self.read.emit(found)
        self._finish_then()

    def _fail(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self.error, self.reading = error, False
        self.failed.emit(error)
        self._finish_then()

    def _finish_then(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            then()

    @property
    def day(self) -> date | None:
        """The day the figures held (or being read) are about."""
        return self._day

    def _changed(self, changes: Changes, _initiator: object) -> None:
        if changes.touches(*WATCHED):
            self.stale = True
