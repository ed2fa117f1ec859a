"""A table model for every list: rows in a Python list, filtered and sorted in Python.

QSortFilterProxyModel asks the source for every value it compares — 800,000 Python
calls to sort 50,000 rows. So this model keeps its rows in a list and sorts the list
itself by each column's raw sort key (~20 ms for 50,000 rows); ``SortProxy`` only hands
the view's sort requests to it, and its filter keeps every row. Filtering is Python too:
a predicate (``set_predicate``), or a subclass's own index (``_select``).

Roles: DisplayRole (the column's text), SortRole (its raw sort value), RowRole (the row
object), ForegroundRole, ToolTipRole and TextAlignmentRole.

``update_rows`` replaces edited rows in place and emits ``dataChanged`` for those rows
only: after editing one member the other 49,999 are not read again. An edited row stays
where it is until the next sort or filter, as in a spreadsheet.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from dataclasses import replace
from operator import attrgetter
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from app.ui.tables.columns import Column

R = TypeVar("R")

SortRole = Qt.ItemDataRole.UserRole + 1
RowRole = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
_by_id: Callable[[Any], Hashable] = attrgetter("id")


class RowTableModel(QAbstractTableModel, Generic[R]):
    """Rows of one type under typed columns. ``row_id`` names a row across reloads (the
    view keeps the selection by it; ``update_rows`` finds the row it replaces by it).
    ``foreground`` and ``tooltip`` apply to every cell of a row whose column has none."""

    def __init__(
        self,
        columns: Sequence[Column[R]],
        *,
        row_id: Callable[[R], Hashable] = _by_id,
        foreground: Callable[[R], QColor | None] | None = None,
        tooltip: Callable[[R], str | None] | None = None,
    ) -> None:
        super().__init__()
        self._columns: list[Column[R]] = list(columns)
        self._keys = {column.key: i for i, column in enumerate(self._columns)}
        self.row_id = row_id
        self._foreground = foreground
        self._tooltip = tooltip
        self._rows: list[R] = []
        self._order: list[int] = []  # indexes into _rows, every row, in the current sort order
        self._visible: list[int] = []  # the rows the filter keeps, in that order
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._predicate: Callable[[R], bool] | None = None
        self._roles = self._answered_roles()

    # -- columns -----------------------------------------------------------------------
    @property
    def columns(self) -> tuple[Column[R], ...]:
        return tuple(self._columns)

    def column_index(self, key: str) -> int:
        return self._keys[key]

    def replace_column(self, key: str, **changes: Any) -> None:
        """Change how one column shows (e.g. its ``display``), repainting just that column."""
        index = self._keys[key]
        self._columns[index] = replace(self._columns[index], **changes)
        self._roles = self._answered_roles()
        if self._visible:
            self.dataChanged.emit(self.index(0, index), self.index(len(self._visible) - 1, index))

    def _answered_roles(self) -> frozenset[int]:
        roles = {int(_DISPLAY), int(SortRole), int(RowRole)}
        if self._foreground is not None or any(c.foreground for c in self._columns):
            roles.add(int(_FOREGROUND))
        if self._tooltip is not None or any(c.tooltip for c in self._columns):
            roles.add(int(_TOOLTIP))
        if any(c.alignment is not None for c in self._columns):
            roles.add(int(_ALIGNMENT))
        return frozenset(roles)

    # -- rows in ------------------------------------------------------------------------
    def set_rows(self, rows: Iterable[R]) -> None:
        """A new list of rows (a reload), sorted as before and filtered as before."""
        self.beginResetModel()
        self._rows = list(rows)
        self._order = list(range(len(self._rows)))
        if self._sort is not None:
            self._sort_order(*self._sort)
        self._rows_changed()
        self._visible = self._select()
        self.endResetModel()

    def update_rows(self, rows: Iterable[R]) -> list[R]:
        """Put edited rows in place of the rows with the same ``row_id``, emitting
        ``dataChanged`` for each one shown; returns the rows not found (new ones), which
        the caller adds with a reload."""
        edited = {self.row_id(row): row for row in rows}
        if not edited:
            return []
        found: list[int] = []
        for i, row in enumerate(self._rows):
            new = edited.pop(self.row_id(row), None)
            if new is not None:
                self._rows[i] = new
                found.append(i)
                if not edited:
                    break
        if found:
            self._rows_changed()
            last = len(self._columns) - 1
            wanted = set(found)
            for position, i in enumerate(self._visible):
                if i in wanted:
                    self.dataChanged.emit(self.index(position, 0), self.index(position, last))
                    wanted.discard(i)
                    if not wanted:
                        break
        return list(edited.values())

    def set_predicate(self, predicate: Callable[[R], bool] | None) -> None:
        """Show only the rows ``predicate`` keeps (None: every row)."""
        self._predicate = predicate
        self.refilter()

    def refilter(self) -> None:
        """Apply the filter again (after edited rows may have left it)."""
        self.beginResetModel()
        self._visible = self._select()
        self.endResetModel()

    # -- for subclasses with their own filtering --------------------------------------------
    def _select(self) -> list[int]:
        """Indexes into the rows the filter keeps, in sort order."""
        predicate, rows = self._predicate, self._rows
        if predicate is None:
            return list(self._order)
        return [i for i in self._order if predicate(rows[i])]

    def _rows_changed(self) -> None:
        """The rows or their order changed (a subclass rebuilds its search index here)."""

    # -- queries ----------------------------------------------------------------------------
    @property
    def rows(self) -> Sequence[R]:
        """Every row, shown or not, in the order given."""
        return self._rows

    @property
    def order(self) -> Sequence[int]:
        """Indexes into ``rows``, every row, in the current sort order."""
        return self._order

    @property
    def total_count(self) -> int:
        return len(self._rows)

    def row_at(self, position: int) -> R:
        """The row shown at ``position`` (a row of this model, not of a proxy)."""
        return self._rows[self._visible[position]]

    def position_of(self, row_id: Hashable) -> int | None:
        """Where the row with this id is shown, or None when it is not shown."""
        return self.positions_of((row_id,)).get(row_id)

    def positions_of(self, row_ids: Collection[Hashable]) -> dict[Hashable, int]:
        """Where each of these rows is shown; rows not shown are left out. One pass,
        stopping once all are found (a dict of 50,000 ids per reset would cost more)."""
        wanted = set(row_ids)
        found: dict[Hashable, int] = {}
        rows, row_id = self._rows, self.row_id
        for position, i in enumerate(self._visible):
            key = row_id(rows[i])
            if key in wanted:
                found[key] = position
                if len(found) == len(wanted):
                    break
        return found

    # -- Qt model interface -------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        # The view asks ~8 roles per cell on every repaint; answer the unused ones first.
        if role not in self._roles or not index.isValid():
            return None
        position = index.row()
        if not 0 <= position < len(self._visible):
            return None
        row = self._rows[self._visible[position]]
        column = self._columns[index.column()]
        if role == _DISPLAY:
            return column.display(row)
        if role == SortRole:
            return column.sort_key(row)
        if role == RowRole:
            return row
        if role == _FOREGROUND:
            foreground = column.foreground or self._foreground
            return None if foreground is None else foreground(row)
        if role == _TOOLTIP:
            tooltip = column.tooltip or self._tooltip
            return None if tooltip is None else tooltip(row)
        if role == _ALIGNMENT:
            return column.alignment
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if role != _DISPLAY:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._columns[section].title if 0 <= section < len(self._columns) else None
        return str(section + 1)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns):
            return
        self.beginResetModel()
        self._sort = (column, order)
        self._sort_order(column, order)
        self._rows_changed()
        self._visible = self._select()
        self.endResetModel()

    def _sort_order(self, column: int, order: Qt.SortOrder) -> None:
        key, rows = self._columns[column].sort_key, self._rows
        self._order.sort(key=lambda i: key(rows[i]), reverse=order == Qt.SortOrder.DescendingOrder)


class SortProxy(QSortFilterProxyModel):
    """Hands the view's sort requests to the RowTableModel behind it, which sorts in
    Python; every row passes its filter, so it costs one mapping per reset."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if isinstance(source, RowTableModel):
            source.sort(column, order)
