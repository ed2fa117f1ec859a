"""The dues area's pages and dialogs (会费). Other areas' pages use only the names here."""

from app.ui.dues.changes import DUES_TABLES

__all__ = ["DUES_TABLES"]
