"""The member × month grid of a year (会费台账), on the shared RowTableModel, filled lazily.

The rows are the roster's RosterRows (every member, read once, searched with the roster's
own index: name, pinyin initials, ID number …), with the base wage beside the name. The
twelve month cells, the year's sums and the balance are not read for all 50,000 members:
when the view asks for a cell of a row not read yet, the row's block of ``BLOCK_SIZE``
members in the current order (and the block after it) is fetched in the background, once
typing or scrolling pauses (``FETCH_DELAY_MS``); the cells show "…" until it comes (~30 ms
for 200 members at 50,000), then the block's rows are repainted.

Why a subclass and not a column of the generic model: ``RowTableModel`` answers every role
from the row object alone; these cells come from a cache filled later, they need the
background role (the state's colour), and they cannot be sorted (that would need every
member's cells). ``data`` answers the month and sum columns from the cache and leaves the
other columns — and SortRole/RowRole, selection, filtering, sorting — to the generic model.

When a write changes the ledger, ``drop_cells`` empties the cache but keeps the old values
on screen until the new block has arrived, so a payment never makes the grid flicker.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor

from app.domain.money import format_fen
from app.domain.yearmonth import YearMonth
from app.services.roster import RosterFilter, RosterIndex, RosterRow
from app.ui.dues.cells import LOADING, LOOKS, balance_text, cell_tooltip
from app.ui.tables import CENTER, RIGHT, Column, RowTableModel

if TYPE_CHECKING:
    from app.domain.union import GroupInfo
    from app.services.dues.page_data import DuesMembers, MemberYear

BLOCK_SIZE = 200
# A block is asked for this long after the first cell that needs it was painted: typing in the
# search box or dragging the scroll bar reads nothing until it pauses, so no worker thread
# competes with the keystrokes for the interpreter.
FETCH_DELAY_MS = 120
CACHE_LIMIT = 20_000  # members' rows kept; the oldest blocks go first

# Which members the grid lists.
SCOPE_YEAR = "本年会员"  # in the roll today, or charged in the year
SCOPE_ROLL = "在册会员"  # 在会 and 保留会籍 today
SCOPE_ALL = "全部会员"  # everyone ever on the roster
SCOPES = (SCOPE_YEAR, SCOPE_ROLL, SCOPE_ALL)
# Which of them, by what they paid in the year.
STATE_ALL = "全部"
STATE_BEHIND = "只看欠缴"
STATE_CLEAR = "只看已缴清"
STATES = (STATE_ALL, STATE_BEHIND, STATE_CLEAR)

Deliver = Callable[["dict[int, MemberYear] | None"], None]  # None: the read failed
Fetch = Callable[[int, list[int], Deliver], None]  # fetch(year, member ids, deliver)

_DISPLAY = Qt.ItemDataRole.DisplayRole
_BACKGROUND = Qt.ItemDataRole.BackgroundRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
_LAZY_ROLES = frozenset({int(_DISPLAY), int(_BACKGROUND), int(_FOREGROUND), int(_TOOLTIP), int(_ALIGNMENT)})
_INACTIVE = QColor("#8a8a8a")
_MISSING = QColor("#c0392b")
_OWED = QBrush(QColor("#8e1c1c"))
_AHEAD = QBrush(QColor("#1e5e24"))
_IN_ROLL = ("在会", "保留会籍")
_Index = QModelIndex | QPersistentModelIndex


def _inactive(row: RosterRow) -> QColor | None:
    return None if row.status in _IN_ROLL else _INACTIVE


def _inactive_tip(row: RosterRow) -> str | None:
    return None if row.status in _IN_ROLL else f"{row.name}：{row.status}"


def _lazy(key: str, title: str, width: int) -> Column[RosterRow]:
    """A column answered from the cache (see ``DuesGridModel.data``), not from the row."""
    return Column(key, title, width, lambda _row: "", lambda _row: 0, alignment=CENTER)


class GridFilter:
    """What the filter bar asks for: the roster's search and group, and the grid's own
    scope (which members) and state (by what they paid)."""

    def __init__(
        self, text: str = "", group_id: int | None = None, scope: str = SCOPE_YEAR, state: str = STATE_ALL
    ) -> None:
        self.roster = RosterFilter(text=text, group_id=group_id)
        self.scope = scope
        self.state = state


class DuesGridModel(RowTableModel[RosterRow]):
    fetch_failed = Signal()

    def __init__(self, fetch: Fetch | None = None) -> None:
        self._year = date.today().year
        self._wages: dict[int, int] = {}
        self._monthly: dict[int, int] = {}
        self._in_year: frozenset[int] = frozenset()
        self._behind: frozenset[int] = frozenset()
        self._groups: list[GroupInfo] = []
        self._filter = GridFilter()
        self._index = RosterIndex([], [])
        self._cache: dict[int, MemberYear] = {}
        self._stale: dict[int, MemberYear] = {}  # shown until the fresh block comes
        self._asked: set[int] = set()  # blocks (of the current order) asked for
        self._queued: list[int] = []
        self._generation = 0  # of the cache: a block read before drop_cells is dropped
        self._layout = 0  # of the order: positions of an older order are not repainted
        self._outstanding = 0  # blocks sent and not delivered
        self.fetch = fetch
        columns: list[Column[RosterRow]] = [
            Column("name", "姓名", 66, attrgetter("name"), attrgetter("pinyin"), hideable=False),
            Column(
                "group",
                "部门",
                110,  # with 余额 on screen in a 1280-pixel window; the whole path is in the tooltip
                attrgetter("group_path"),
                attrgetter("group_path"),
                tooltip=lambda r: r.group_path or None,
            ),
            Column("status", "会籍状态", 70, attrgetter("status"), attrgetter("status"), visible=False),
            Column(
                "wage",
                "会费基数",
                78,
                self._wage_text,
                lambda r: (r.id in self._wages, self._wages.get(r.id, 0)),
                alignment=RIGHT,
                foreground=self._wage_colour,
                tooltip=self._wage_tip,
            ),
            Column(
                "monthly",
                "月缴",
                58,
                lambda r: format_fen(self._monthly[r.id]) if r.id in self._monthly else "",
                lambda r: self._monthly.get(r.id, -1),
                alignment=RIGHT,
            ),
        ]
        self.first_month = len(columns)
        columns += [_lazy(f"m{m}", f"{m}月", 46) for m in range(1, 13)]
        self.first_sum = len(columns)
        columns += [_lazy("due", "本年应缴", 76), _lazy("paid", "本年已缴", 76), _lazy("balance", "余额", 96)]
        super().__init__(columns, foreground=_inactive, tooltip=_inactive_tip)
        self._send_timer = QTimer(self)
        self._send_timer.setSingleShot(True)
        self._send_timer.timeout.connect(self._send)

    # -- the static columns ------------------------------------------------------------
    def _wage_text(self, row: RosterRow) -> str:
        wage = self._wages.get(row.id)
        if wage is not None:
            return format_fen(wage)
        return "未填写" if row.status == "在会" and row.category != "学徒" else ""

    def _wage_colour(self, row: RosterRow) -> QColor | None:
        if row.id not in self._wages and row.status == "在会" and row.category != "学徒":
            return _MISSING
        return _inactive(row)

    def _wage_tip(self, row: RosterRow) -> str | None:
        if row.category == "学徒":
            return "学徒按固定金额缴纳会费"
        if row.id not in self._wages:
            return "没有会费基数：在“会员名册”中编辑这名会员、填写“会费基数工资”，或导入工资表"
        return f"{self._year}年所用的会费基数（月工资）；月缴 = 基数按会费标准计算的每月会费"

    # -- data in ---------------------------------------------------------------------------
    @property
    def year(self) -> int:
        return self._year

    def set_members(self, members: DuesMembers, flt: GridFilter | None = None) -> None:
        """The year's members (a reload); the cells read so far are kept for the same year."""
        if flt is not None:
            self._filter = flt
        if members.year != self._year:
            self._forget_cells()
        self._year = members.year
        self._wages, self._monthly, self._in_year = members.wages, members.monthly, members.in_year
        self._groups = members.roster.groups
        self.set_rows(members.roster.rows)

    def set_behind(self, behind: frozenset[int]) -> None:
        """Who owes something in the year (for 只看欠缴 / 只看已缴清)."""
        self._behind = behind
        if self._filter.state != STATE_ALL:
            self.refilter()

    def set_filter(self, flt: GridFilter) -> None:
        self._filter = flt
        self.refilter()

    def drop_cells(self) -> None:
        """The ledger changed: read the rows again as they are shown; until each block comes,
        its old values stay on screen."""
        self._stale.update(self._cache)
        self._cache = {}
        self._asked.clear()
        self._generation += 1
        self._repaint_cells()

    def _forget_cells(self) -> None:
        self._stale, self._cache = {}, {}
        self._asked.clear()
        self._generation += 1

    def _repaint_cells(self) -> None:
        if self._visible:
            self.dataChanged.emit(
                self.index(0, self.first_month), self.index(len(self._visible) - 1, self.columnCount() - 1)
            )

    # -- filtering (the roster's index, then the grid's scope and state) ----------------------------
    def _rows_changed(self) -> None:
        self._index = RosterIndex(self._rows, self._groups, self._order)

    def _select(self) -> list[int]:
        self._asked.clear()  # positions change: blocks are asked for again (the cache stays)
        self._queued.clear()
        self._send_timer.stop()
        self._layout += 1
        chosen = self._index.apply(self._filter.roster)
        checks = self._checks()
        if not checks:
            return chosen
        rows = self._rows
        return [i for i in chosen if all(check(rows[i]) for check in checks)]

    def _checks(self) -> list[Callable[[RosterRow], bool]]:
        checks: list[Callable[[RosterRow], bool]] = []
        in_year, behind = self._in_year, self._behind
        if self._filter.scope == SCOPE_YEAR:
            checks.append(lambda r: r.status in _IN_ROLL or r.id in in_year)
        elif self._filter.scope == SCOPE_ROLL:
            checks.append(lambda r: r.status in _IN_ROLL)
        if self._filter.state == STATE_BEHIND:
            checks.append(lambda r: r.id in behind)
        elif self._filter.state == STATE_CLEAR:
            checks.append(lambda r: r.id in in_year and r.id not in behind)
        return checks

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self.is_lazy(column):
            return  # months and sums are read a block at a time: they cannot order 50,000 rows
        super().sort(column, order)

    # -- queries -------------------------------------------------------------------------------
    def is_lazy(self, column: int) -> bool:
        return column >= self.first_month

    def month_of(self, column: int) -> YearMonth | None:
        if self.first_month <= column < self.first_sum:
            return YearMonth(self._year, column - self.first_month + 1)
        return None

    def member_year(self, member_id: int) -> MemberYear | None:
        """The member's row as last read (None before its block came)."""
        return self._cache.get(member_id) or self._stale.get(member_id)

    def people(self, group_ids: set[int] | None) -> tuple[int, int]:
        """How many members (of these groups, or all) were charged in the year, and how many
        of them are behind."""
        in_year, behind = self._in_year, self._behind
        rows = self._rows if group_ids is None else [r for r in self._rows if r.group_id in group_ids]
        charged = [r.id for r in rows if r.id in in_year]
        return len(charged), sum(1 for m in charged if m in behind)

    def has_wage(self, member_id: int) -> bool:
        return member_id in self._wages

    @property
    def groups(self) -> list[GroupInfo]:
        return self._groups

    @property
    def pending(self) -> bool:
        """Blocks asked for and not arrived, or waiting to be sent."""
        return bool(self._queued) or self._send_timer.isActive() or self._outstanding > 0

    # -- the cells ---------------------------------------------------------------------------
    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        # Called ~8 times per cell on every repaint: the common path is a few dict lookups.
        column = index.column()  # -1 for an invalid index
        if column < self.first_month or role not in _LAZY_ROLES:
            return super().data(index, role)
        position, visible = index.row(), self._visible
        if position >= len(visible):
            return None
        member_id = self._rows[visible[position]].id
        year = self._cache.get(member_id)
        if year is None:
            self._want(position)
            year = self._stale.get(member_id)
            if year is None:
                return LOADING if role == _DISPLAY else CENTER if role == _ALIGNMENT else None
        if column >= self.first_sum:
            return self._sum_data(column - self.first_sum, year, role)
        cell = year.cells[column - self.first_month]
        if role == _DISPLAY:
            return LOOKS[cell.state].text
        if role == _BACKGROUND:
            return LOOKS[cell.state].background
        if role == _FOREGROUND:
            return LOOKS[cell.state].foreground
        if role == _ALIGNMENT:
            return CENTER
        return cell_tooltip(YearMonth(self._year, column - self.first_month + 1), cell)

    def _sum_data(self, which: int, year: MemberYear, role: int) -> Any:
        if role == _ALIGNMENT:
            return RIGHT
        if role == _BACKGROUND:
            return None
        if which == 0:
            return format_fen(year.due_fen) if role == _DISPLAY else None
        if which == 1:
            if role == _FOREGROUND and year.paid_fen < year.due_fen:
                return _OWED
            return format_fen(year.paid_fen) if role == _DISPLAY else None
        balance = year.balance_fen
        if role == _DISPLAY:
            return balance_text(balance)
        if role == _FOREGROUND:
            return _OWED if balance > 0 else _AHEAD if balance < 0 else None
        return "全部应缴减全部实缴（各年合计）；预缴的钱会冲抵以后各月"

    def _want(self, position: int) -> None:
        """Ask for the block of ``position`` and the one after it (called from ``data``:
        nothing is emitted here; the request goes out from the event loop)."""
        block = position // BLOCK_SIZE
        last = (len(self._visible) - 1) // BLOCK_SIZE
        for wanted in (block, block + 1):
            if wanted <= last and wanted not in self._asked:
                self._asked.add(wanted)
                self._queued.append(wanted)
        if self._queued and not self._send_timer.isActive():
            self._send_timer.start(FETCH_DELAY_MS)

    def _send(self) -> None:
        queued, self._queued = self._queued, []
        if self.fetch is None:
            return
        rows, visible, cache = self._rows, self._visible, self._cache
        for block in queued:
            start = block * BLOCK_SIZE
            end = min(start + BLOCK_SIZE, len(visible))
            ids = [rows[visible[p]].id for p in range(start, end)]
            ids = [m for m in ids if m not in cache]
            if not ids:
                continue
            self._outstanding += 1
            self.fetch(self._year, ids, self._deliverer(start, end))

    def _deliverer(self, start: int, end: int) -> Deliver:
        generation, layout, year = self._generation, self._layout, self._year

        def deliver(result: dict[int, MemberYear] | None) -> None:
            self._outstanding -= 1
            if result is None:
                self.fetch_failed.emit()
                return
            if generation != self._generation or year != self._year:
                return  # read before the ledger changed: its block is asked for again
            self._cache.update(result)
            for member_id in result:
                self._stale.pop(member_id, None)
            if len(self._cache) > CACHE_LIMIT:
                for member_id in list(self._cache)[: len(self._cache) - CACHE_LIMIT]:
                    del self._cache[member_id]
                self._asked.clear()  # a block shown may have lost rows: ask again as painted
            last = self.columnCount() - 1
            if layout == self._layout and end <= len(self._visible):
                self.dataChanged.emit(self.index(start, self.first_month), self.index(end - 1, last))
            else:
                self._repaint_cells()

        return deliver
