"""Members' personal numbers in the lists (身份证号, 银行账号): shown with their middle hidden
(110105********002X) unless the user reveals one row — “显示完整号码” in the row's right-click
menu, or the page's own button. A revealed row is masked again when the list is read again,
when another 账套 is opened, or with “隐去号码”.

A row stays revealed only while the list holds that very row object: a reload brings new
objects, so it masks itself without the page having to remember to. Searching and sorting
still use the full numbers (the columns' sort keys and the pages' search indexes are
untouched); only what is painted changes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Any

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import QMenu

from app.domain.privacy import mask_account, mask_id_number
from app.ui.context import AppContext
from app.ui.tables import RowRole, RowTableModel, RowTableView

__all__ = ["HIDE", "MASKED_TIP", "REVEAL", "RevealedRows", "mask_account", "mask_id_number"]

REVEAL = "显示完整号码"
HIDE = "隐去号码"
HIDE_ALL = "隐去全部号码"
MASKED_TIP = "为保护个人信息，号码中间几位已隐去；要查看请在这一行上点右键，选“显示完整号码”"

# ``loader(row, done)``: read the row's full numbers (column key → text) and call ``done``
# with them — for lists whose rows carry the numbers masked already (困难职工档案).
Loader = Callable[[Any, Callable[[Mapping[str, str]], None]], None]


class RevealedRows(QObject):
    """Masks ``columns`` of ``model`` (column key → its mask function) except in the rows
    revealed; ``attach(view)`` gives a view of it the right-click menu that reveals and hides
    a row.

    ``loader``: where the rows carry masked numbers, how to read the full ones. ``masked``
    False shows every row in full (the roster's old switch). ``changed`` is emitted after a
    row is revealed or masked again."""

    changed = Signal()

    def __init__(
        self,
        model: RowTableModel[Any],
        columns: Mapping[str, Callable[[str], str]],
        *,
        loader: Loader | None = None,
    ) -> None:
        super().__init__(model)
        self.model = model
        self.view: RowTableView | None = None
        self._loader = loader
        self._masked = True
        self._revealed: dict[Hashable, tuple[Any, Mapping[str, str]]] = {}
        for key, mask in columns.items():
            column = model.columns[model.column_index(key)]
            model.replace_column(
                key, display=self._display(key, column.display, mask), tooltip=self._tooltip(column.tooltip)
            )

    def attach(self, view: RowTableView, context: AppContext | None = None) -> RevealedRows:
        """Give ``view`` the right-click menu (显示完整号码 / 隐去号码); with ``context``, every
        row is masked again when another 账套 is opened."""
        self.view = view
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._menu)
        if context is not None:
            context.database_opened.connect(lambda _db: self.hide_all())
        return self

    def set_loader(self, loader: Loader | None) -> None:
        self._loader = loader

    # -- what a cell shows -------------------------------------------------------------------
    def _full(self, row: Any) -> Mapping[str, str] | None:
        """The full numbers of ``row`` when it is revealed (empty: the row holds them)."""
        if not self._masked:
            return {}
        kept = self._revealed.get(self.model.row_id(row))
        return kept[1] if kept is not None and kept[0] is row else None

    def _display(
        self, key: str, shown: Callable[[Any], str], mask: Callable[[str], str]
    ) -> Callable[[Any], str]:
        def display(row: Any) -> str:
            full = self._full(row)
            if full is None:
                return mask(shown(row))
            return full.get(key) or shown(row)

        return display

    def _tooltip(self, own: Callable[[Any], str | None] | None) -> Callable[[Any], str | None]:
        def tooltip(row: Any) -> str | None:
            if self._full(row) is None:
                return MASKED_TIP
            return own(row) if own is not None else None

        return tooltip

    # -- revealing ----------------------------------------------------------------------------
    @property
    def masked(self) -> bool:
        """Whether rows are masked unless revealed (True unless a caller turned it off)."""
        return self._masked

    @masked.setter
    def masked(self, on: bool) -> None:
        self._masked = on
        self._revealed.clear()
        self._repaint(None)
        self.changed.emit()

    def is_revealed(self, row: Any) -> bool:
        return self._full(row) is not None

    def revealed_count(self) -> int:
        """How many of the rows held now are revealed."""
        return sum(
            1 for row in self.model.rows if self.model.row_id(row) in self._revealed and self.is_revealed(row)
        )

    def reveal(self, row: Any, full: Mapping[str, str] | None = None) -> None:
        """Show ``row``'s numbers in full (``full``: them, when the row holds them masked);
        with a loader and no ``full``, they are read first."""
        if full is None and self._loader is not None:
            self._loader(row, lambda found: self._revealed_now(row, found))
            return
        self._revealed_now(row, full or {})

    def _revealed_now(self, row: Any, full: Mapping[str, str]) -> None:
        self._revealed[self.model.row_id(row)] = (row, dict(full))
        self._repaint(row)
        self.changed.emit()

    def hide(self, row: Any) -> None:
        """Mask ``row`` again."""
        if self._revealed.pop(self.model.row_id(row), None) is not None:
            self._repaint(row)
            self.changed.emit()

    def hide_all(self) -> None:
        if self._revealed:
            self._revealed.clear()
            self._repaint(None)
            self.changed.emit()

    def _repaint(self, row: Any | None) -> None:
        rows = self.model.rowCount()
        if not rows:
            return
        last = self.model.columnCount() - 1
        if row is None:
            self.model.dataChanged.emit(self.model.index(0, 0), self.model.index(rows - 1, last))
            return
        position = self.model.position_of(self.model.row_id(row))
        if position is not None:
            self.model.dataChanged.emit(self.model.index(position, 0), self.model.index(position, last))

    # -- the right-click menu -------------------------------------------------------------------
    def menu_for(self, row: Any | None) -> QMenu:
        """The menu for ``row`` (the row under the mouse, or None)."""
        menu = QMenu(self.view)
        if row is not None and self._masked:
            if self.is_revealed(row):
                menu.addAction(HIDE, lambda: self.hide(row))
            else:
                menu.addAction(REVEAL, lambda: self.reveal(row))
        if self._revealed and any(self.is_revealed(r) for r in self.model.rows):
            menu.addAction(HIDE_ALL, self.hide_all)
        return menu

    def _menu(self, position: QPoint) -> None:
        view = self.view
        if view is None:
            return
        index = view.indexAt(position)
        row = view.proxy.data(index, RowRole) if index.isValid() else None
        menu = self.menu_for(row)
        if menu.isEmpty():
            menu.deleteLater()
            return
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(view.viewport().mapToGlobal(position))
