"""What every page shares: the open 账套 and the app-wide "something changed" signal.

Pages reload only when a kind they show has changed (Anki's operation_did_execute):
"members", "groups", "profile".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from app.db import Database
    from app.services.roster.index import Roster

MEMBERS, GROUPS, PROFILE = "members", "groups", "profile"


class AppContext(QObject):
    database_opened = Signal(object)  # Database
    changed = Signal(object)  # set[str] of kinds

    def __init__(self) -> None:
        super().__init__()
        self.db: Database | None = None
        self._first_page: Roster | None = None

    def set_database(self, db: Database, first_page: Roster | None = None) -> None:
        old, self.db = self.db, db
        self._first_page = first_page
        if old is not None and old is not db:
            old.close()
        self.database_opened.emit(db)

    def take_first_page(self) -> Roster | None:
        """The roster rows read while opening, handed over once."""
        page, self._first_page = self._first_page, None
        return page

    def notify(self, *kinds: str) -> None:
        self.changed.emit(set(kinds))
