"""Shared machinery for every list in the GUI (the roster, the dues grid, care records,
activities): typed columns, a model that sorts and filters its rows in Python, and the view
that keeps the selection across reloads, remembers its header and offers the column chooser.

A new list declares its columns and, if it filters by more than a predicate, subclasses
RowTableModel; see app/ui/roster/model.py.
"""

from app.ui.tables.columns import (
    CENTER,
    RIGHT,
    Column,
    date_column,
    flag_column,
    number_column,
    text_column,
)
from app.ui.tables.model import RowRole, RowTableModel, SortProxy, SortRole
from app.ui.tables.view import ColumnChooserButton, RowTableView

__all__ = [
    "CENTER",
    "RIGHT",
    "Column",
    "ColumnChooserButton",
    "RowRole",
    "RowTableModel",
    "RowTableView",
    "SortProxy",
    "SortRole",
    "date_column",
    "flag_column",
    "number_column",
    "text_column",
]
