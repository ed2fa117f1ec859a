"""The roster table: RosterRows under the roster's columns, on the shared RowTableModel.

Filtering is the roster's own search index (pinyin, ID fragments, the filter bar), run
over the rows in sort order on every keystroke; sorting is the shared model's, in Python.
"""

from __future__ import annotations

from datetime import date
from operator import attrgetter

from PySide6.QtGui import QColor

from app.domain.idcard import mask_id_number
from app.domain.membership import age
from app.domain.union import GroupInfo
from app.services.roster.index import Roster, RosterFilter, RosterIndex, RosterRow
from app.ui.privacy import RevealedRows
from app.ui.tables import (
    Column,
    RowRole,
    RowTableModel,
    SortProxy,
    SortRole,
    date_column,
    flag_column,
    text_column,
)

__all__ = ["COLUMNS", "COLUMN_INDEX", "RosterProxyModel", "RosterTableModel", "RowRole", "SortRole"]

_INACTIVE = QColor("#8a8a8a")
_IN_ROLL = ("在会", "保留会籍")


def _age(birth: date | None) -> int | None:
    return None if birth is None else age(birth, date.today())


def _inactive_color(row: RosterRow) -> QColor | None:
    return None if row.status in _IN_ROLL else _INACTIVE


def _inactive_tip(row: RosterRow) -> str | None:
    return None if row.status in _IN_ROLL else f"{row.name}：{row.status}"


COLUMNS: tuple[Column[RosterRow], ...] = (
    Column("name", "姓名", 80, attrgetter("name"), attrgetter("pinyin"), hideable=False),
    text_column("gender", "性别", 44),
    Column("age", "年龄", 44, lambda r: str(_age(r.birth_date) or ""), lambda r: _age(r.birth_date) or 0),
    date_column("birth_date", "出生日期"),
    text_column("id_number", "身份证号", 160),
    text_column("group", "分组", 150, attr="group_path"),
    text_column("category", "人员类别", 100),  # 退休保留会籍 whole
    text_column("status", "会籍状态", 70),
    text_column("phone", "联系电话", 105),
    text_column("card_number", "会员证号", 110),
    date_column("joined_on", "入会时间"),
    text_column("political_status", "政治面貌", 80, visible=False),
    text_column("education", "学历", 80, visible=False),
    text_column("position", "职务/岗位", 90, visible=False),
    text_column("ethnicity", "民族", 60, visible=False),
    flag_column("migrant", "农民工", 56, attr="is_migrant_worker"),
    flag_column("hardship", "困难职工", 66, attr="is_hardship"),
    text_column("model_worker", "劳模", 60, attr="model_worker_level", visible=False),
)
COLUMN_INDEX = {c.key: i for i, c in enumerate(COLUMNS)}


class RosterTableModel(RowTableModel[RosterRow]):
    def __init__(self) -> None:
        super().__init__(COLUMNS, foreground=_inactive_color, tooltip=_inactive_tip)
        self._groups: list[GroupInfo] = []
        self._filter = RosterFilter()
        self._index = RosterIndex([], [])
        # ID numbers masked unless the user reveals a row; the search index keeps the full ones
        self.private = RevealedRows(self, {"id_number": mask_id_number})

    # -- data in -------------------------------------------------------------
    def set_roster(self, roster: Roster, flt: RosterFilter | None = None) -> None:
        self._groups = roster.groups
        if flt is not None:
            self._filter = flt
        self.set_rows(roster.rows)

    def set_filter(self, flt: RosterFilter) -> None:
        self._filter = flt
        self.refilter()

    def _rows_changed(self) -> None:
        # The index is lazy: built here in O(1), it scans the rows at its first search.
        self._index = RosterIndex(self._rows, self._groups, self._order)

    def _select(self) -> list[int]:
        return self._index.apply(self._filter)

    # -- showing ---------------------------------------------------------------
    @property
    def mask_ids(self) -> bool:
        """Show ID numbers with their middle hidden (110105********002X) except in the rows
        revealed (``private``); on unless turned off."""
        return self.private.masked

    @mask_ids.setter
    def mask_ids(self, on: bool) -> None:
        self.private.masked = on

    def id_masked(self, row: RosterRow) -> bool:
        """Whether ``row``'s ID number is shown masked now."""
        return not self.private.is_revealed(row)

    # -- queries ---------------------------------------------------------------
    @property
    def roster(self) -> Roster:
        return Roster(rows=self._rows, groups=self._groups)

    def row_of_member(self, member_id: int) -> int | None:
        return self.position_of(member_id)


class RosterProxyModel(SortProxy):
    """The roster's thin proxy: sorting goes to the model, which sorts in Python."""
