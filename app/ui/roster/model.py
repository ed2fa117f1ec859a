"""The roster table model: all rows in memory, filtered and sorted in Python.

QSortFilterProxyModel asks the source for every value it compares — 800,000 Python
calls to sort 50,000 rows. So this model filters (``set_filter``) and sorts (``sort``)
its own row list with plain Python, and ``RosterProxyModel`` hands sort requests to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from app.domain.idcard import mask_id_number
from app.domain.members import age
from app.services.roster.index import Roster, RosterFilter, RosterIndex, RosterRow

SortRole = Qt.ItemDataRole.UserRole + 1
RowRole = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex
_INACTIVE = QColor("#8a8a8a")
_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        SortRole,
        RowRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.ToolTipRole,
    }
)


def _date_text(value: date | None) -> str:
    return value.isoformat() if value else ""


def _age(birth: date | None) -> int | None:
    return None if birth is None else age(birth, date.today())


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    width: int
    display: Callable[[RosterRow], str]
    sort_key: Callable[[RosterRow], Any]
    visible: bool = True


def _flag(value: bool) -> str:
    return "是" if value else ""


def _text(key: str, title: str, width: int, visible: bool = True, attr: str | None = None) -> Column:
    getter = attrgetter(attr or key)
    return Column(key, title, width, getter, getter, visible)


def _flag_column(key: str, title: str, width: int, attr: str) -> Column:
    getter = attrgetter(attr)
    return Column(key, title, width, lambda r: _flag(getter(r)), getter, False)


def _date_column(key: str, title: str) -> Column:
    getter = attrgetter(key)
    return Column(key, title, 90, lambda r: _date_text(getter(r)), lambda r: getter(r) or date.min)


COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", 80, attrgetter("name"), attrgetter("pinyin")),
    _text("gender", "性别", 44),
    Column("age", "年龄", 44, lambda r: str(_age(r.birth_date) or ""), lambda r: _age(r.birth_date) or 0),
    _date_column("birth_date", "出生日期"),
    _text("id_number", "身份证号", 160),
    _text("group", "分组", 150, attr="group_path"),
    _text("category", "人员类别", 80),
    _text("status", "会籍状态", 70),
    _text("phone", "联系电话", 105),
    _text("card_number", "会员证号", 110),
    _date_column("joined_on", "入会时间"),
    _text("political_status", "政治面貌", 80, False),
    _text("education", "学历", 80, False),
    _text("position", "职务/岗位", 90, False),
    _text("ethnicity", "民族", 60, False),
    _flag_column("migrant", "农民工", 56, "is_migrant_worker"),
    _flag_column("hardship", "困难职工", 66, "is_hardship"),
    _text("model_worker", "劳模", 60, False, attr="model_worker_level"),
)
COLUMN_INDEX = {c.key: i for i, c in enumerate(COLUMNS)}


class RosterTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._roster = Roster(rows=[], groups=[])
        self._filter = RosterFilter()
        self._visible: list[int] = []
        self._order: list[int] = []  # every row, in the current sort order
        self._index = RosterIndex([], [])
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self.mask_ids = False

    # -- data in -------------------------------------------------------------
    def set_roster(self, roster: Roster, flt: RosterFilter | None = None) -> None:
        self._roster = roster
        if flt is not None:
            self._filter = flt
        self._order = list(range(len(roster.rows)))
        if self._sort is not None:
            self._sort_order(*self._sort)
        self._index = RosterIndex(roster.rows, roster.groups, self._order)
        self._refresh()

    def set_filter(self, flt: RosterFilter) -> None:
        self._filter = flt
        self._refresh()

    def _refresh(self) -> None:
        self.beginResetModel()
        self._visible = self._index.apply(self._filter)
        self.endResetModel()

    def _sort_order(self, column: int, order: Qt.SortOrder) -> None:
        key = COLUMNS[column].sort_key
        rows = self._roster.rows
        self._order.sort(key=lambda i: key(rows[i]), reverse=order == Qt.SortOrder.DescendingOrder)

    # -- queries ---------------------------------------------------------------
    @property
    def total_count(self) -> int:
        return len(self._roster.rows)

    @property
    def roster(self) -> Roster:
        return self._roster

    def row_of_member(self, member_id: int) -> int | None:
        rows = self._roster.rows
        for position, index in enumerate(self._visible):
            if rows[index].id == member_id:
                return position
        return None

    def row_at(self, position: int) -> RosterRow:
        return self._roster.rows[self._visible[position]]

    # -- Qt model interface ----------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # The view asks ~8 roles per cell on every repaint; answer the unused ones first.
        if role not in _ROLES or not index.isValid() or not 0 <= index.row() < len(self._visible):
            return None
        row = self._roster.rows[self._visible[index.row()]]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            text = column.display(row)
            if self.mask_ids and column.key == "id_number":
                return mask_id_number(text)
            return text
        if role == SortRole:
            return column.sort_key(row)
        if role == RowRole:
            return row
        if role == Qt.ItemDataRole.ForegroundRole and row.status not in ("在会", "保留会籍"):
            return _INACTIVE
        if role == Qt.ItemDataRole.ToolTipRole and row.status not in ("在会", "保留会籍"):
            return f"{row.name}：{row.status}"
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.DisplayRole and horizontal and 0 <= section < len(COLUMNS):
            return COLUMNS[section].title
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self._sort = (column, order)
        self._sort_order(column, order)
        self._index = RosterIndex(self._roster.rows, self._roster.groups, self._order)
        self._refresh()


class RosterProxyModel(QSortFilterProxyModel):
    """Passes sorting to the source model, which sorts 50,000 rows in ~20 ms in Python."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if isinstance(source, RosterTableModel):
            source.sort(column, order)
