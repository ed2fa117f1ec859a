"""What every page shares: the open 账套 and the app-wide "something changed" signal.

Pages reload only when a kind they show has changed (Anki's operation_did_execute):
"members", "groups", "profile".
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.db import Database

MEMBERS, GROUPS, PROFILE = "members", "groups", "profile"


class AppContext(QObject):
    database_opened = Signal(object)  # Database
    changed = Signal(object)  # set[str] of kinds

    def __init__(self) -> None:
        super().__init__()
        self.db: Database | None = None

    def set_database(self, db: Database) -> None:
        old, self.db = self.db, db
        if old is not None and old is not db:
            old.close()
        self.database_opened.emit(db)

    def notify(self, *kinds: str) -> None:
        self.changed.emit(set(kinds))
