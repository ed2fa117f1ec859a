"""The view every list uses: the header remembered, the column chooser, the selection
kept across reloads."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QMenu, QTableView, QToolButton, QWidget

from app.ui.tables.model import RowRole, RowTableModel, SortProxy
from app.ui.ui_settings import header_state, save_header_state
from app.ui.widgets import mark_menu_button

_Flag = QItemSelectionModel.SelectionFlag


class RowTableView(QTableView):
    """A QTableView on a RowTableModel (behind a SortProxy, ``self.proxy``).

    ``name`` names the list in the settings file: its header state (column order, widths,
    hidden columns, sort) is restored on creation and saved by ``save_state`` — the column
    chooser saves at once. Every reset of the model (reload, filter, sort) keeps the
    selected rows selected, by ``row_id``, when they are still shown; ``rows_reset`` is
    emitted after that, so a page can update what depends on the selection.
    """

    rows_reset = Signal()

    def __init__(
        self,
        name: str,
        model: RowTableModel[Any],
        parent: QWidget | None = None,
        *,
        default_sort: tuple[str, Qt.SortOrder] | None = None,
    ) -> None:
        super().__init__(parent)
        self.name = name
        self.source = model
        self.proxy = SortProxy(self)
        self.proxy.setSourceModel(model)
        self.setModel(self.proxy)
        self._kept: list[Hashable] = []
        self._kept_current: Hashable | None = None
        self._pending: Hashable | None = None
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setDefaultSectionSize(26)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSortIndicatorShown(True)
        header.setHighlightSections(False)
        for i, column in enumerate(model.columns):
            self.setColumnWidth(i, column.width)
            self.setColumnHidden(i, not column.visible)
        if not self.restore_state() and default_sort is not None:
            header.setSortIndicator(model.column_index(default_sort[0]), default_sort[1])
        self.setSortingEnabled(True)  # sorts by the header's indicator
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        self.proxy.modelAboutToBeReset.connect(self._remember_selection)
        self.proxy.modelReset.connect(self._restore_selection)

    # -- header state -----------------------------------------------------------------------
    def restore_state(self) -> bool:
        state = header_state(self.name)
        return state is not None and bool(self.horizontalHeader().restoreState(state))

    def save_state(self) -> None:
        save_header_state(self.name, self.horizontalHeader().saveState())

    # -- the column chooser ----------------------------------------------------------------
    def column_menu(self, parent: QWidget | None = None) -> QMenu:
        """显示列: one checkable entry per column, as they are when the menu opens."""
        menu = QMenu(parent or self)
        menu.aboutToShow.connect(lambda: self._fill_column_menu(menu))
        self._fill_column_menu(menu)
        return menu

    def _fill_column_menu(self, menu: QMenu) -> None:
        menu.clear()
        for i, column in enumerate(self.source.columns):
            action = QAction(column.title, menu, checkable=True)
            action.setChecked(not self.isColumnHidden(i))
            action.setEnabled(column.hideable)
            action.toggled.connect(lambda on, i=i: self.show_column(i, on))
            menu.addAction(action)

    def show_column(self, index: int, visible: bool) -> None:
        self.setColumnHidden(index, not visible)
        self.save_state()

    def _header_menu(self, position: QPoint) -> None:
        menu = self.column_menu(self)
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(self.horizontalHeader().mapToGlobal(position))

    def visible_column_keys(self) -> list[str]:
        return [c.key for i, c in enumerate(self.source.columns) if not self.isColumnHidden(i)]

    # -- selection ------------------------------------------------------------------------------
    def current_row(self) -> Any | None:
        """The row of the current index, when that row is selected."""
        index = self.selectionModel().currentIndex()
        if not index.isValid() or not self.selectionModel().isRowSelected(index.row(), QModelIndex()):
            return None
        return self.proxy.data(index, RowRole)

    def current_id(self) -> Hashable | None:
        row = self.current_row()
        return None if row is None else self.source.row_id(row)

    def selected_rows(self) -> list[Any]:
        return [self.proxy.data(index, RowRole) for index in self.selectionModel().selectedRows()]

    def selected_ids(self) -> list[Hashable]:
        return [self.source.row_id(row) for row in self.selected_rows()]

    def select_id(self, row_id: Hashable) -> bool:
        """Make the row with this id the current, selected row and scroll to it."""
        return self.select_ids([row_id], current=row_id)

    def select_ids(self, row_ids: Sequence[Hashable], *, current: Hashable | None = None) -> bool:
        """Select the rows with these ids that are shown, ``current`` (or the first found)
        becoming the current row; False when none of them is shown."""
        positions = self.source.positions_of(row_ids)
        if not positions:
            return False
        first = current if current in positions else next(iter(positions))
        model = self.selectionModel()
        index = self._proxy_index(positions[first])
        model.setCurrentIndex(index, _Flag.ClearAndSelect | _Flag.Rows)
        others = QItemSelection()
        for key, position in positions.items():
            if key != first:
                others.select(self._proxy_index(position), self._proxy_index(position))
        if not others.isEmpty():
            model.select(others, _Flag.Select | _Flag.Rows)
        self.scrollTo(index)
        return True

    def select_after_reset(self, row_id: Hashable) -> None:
        """After the next reset, select this row (a new row the coming reload brings)
        instead of the rows selected now."""
        self._pending = row_id

    def _proxy_index(self, position: int) -> QModelIndex:
        return self.proxy.mapFromSource(self.source.index(position, 0))

    def _remember_selection(self) -> None:
        if self._pending is not None:
            self._kept, self._kept_current, self._pending = [self._pending], self._pending, None
        else:
            self._kept, self._kept_current = self.selected_ids(), self.current_id()

    def _restore_selection(self) -> None:
        kept, current = self._kept, self._kept_current
        self._kept, self._kept_current = [], None
        if kept:
            self.select_ids(kept, current=current)
        self.rows_reset.emit()


class ColumnChooserButton(QToolButton):
    """The “显示列” button over a list."""

    def __init__(self, view: RowTableView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        mark_menu_button(self, "显示列")
        self.setToolTip("选择表格中显示哪些列（也可在表头上点右键）")
        self.setMenu(view.column_menu(self))
