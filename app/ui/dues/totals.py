"""The totals under the grid: 应缴, 实缴, 收缴率 and 欠缴 for each month and the whole year,
for everyone or for the group chosen in the filter bar (with the groups below it)."""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from app.domain.money import format_fen
from app.ui.tables import CENTER, RIGHT, Column, RowTableModel

if TYPE_CHECKING:
    from app.services.dues import DuesSummary, Totals


@dataclass(frozen=True)
class TotalsLine:
    key: str
    label: str
    values: tuple[str, ...]  # the twelve months, then the year
    explain: str


def _rate(totals: Totals) -> str:
    rate = totals.rate
    return "—" if rate is None else f"{rate * 100:.1f}%"


_LINES = (
    ("due", "应缴", lambda t: format_fen(t.due_fen), "这个月各会员的应缴会费之和"),
    (
        "paid",
        "实缴",
        lambda t: format_fen(t.paid_fen),
        "这个月收到的会费（按缴费日期：一次缴半年的，全部算在缴费的那个月）",
    ),
    (
        "rate",
        "收缴率",
        _rate,
        "实缴 ÷ 应缴。实缴按缴费日期算，一次预缴几个月或补缴往月的都算在缴费的那个月，所以这个月可能超过 100%",
    ),
    ("arrears", "欠缴", lambda t: format_fen(t.arrears_fen), "这个月的应缴中还没有缴的部分"),
)


def totals_lines(summary: DuesSummary) -> list[TotalsLine]:
    result = []
    for key, label, show, explain in _LINES:
        values = (*(show(m.totals) for m in summary.months), show(summary.totals))
        result.append(TotalsLine(key, label, values, explain))
    return result


def _value(i: int) -> Column[TotalsLine]:
    return Column(
        f"v{i}",
        f"{i + 1}月" if i < 12 else "全年",
        84 if i < 12 else 110,
        lambda line: line.values[i] if line.values else "",
        lambda line: line.values[i] if line.values else "",
        alignment=RIGHT,
        tooltip=attrgetter("explain"),
    )


COLUMNS: tuple[Column[TotalsLine], ...] = (
    Column("label", "", 56, attrgetter("label"), attrgetter("label"), alignment=CENTER),
    *(_value(i) for i in range(13)),
)


class TotalsModel(RowTableModel[TotalsLine]):
    def __init__(self) -> None:
        super().__init__(COLUMNS, row_id=attrgetter("key"))

    def show_summary(self, summary: DuesSummary | None) -> None:
        self.set_rows(totals_lines(summary) if summary is not None else [])

    def value(self, key: str, column: int) -> str:
        """The text of one figure (``column`` 0–11 a month, 12 the year)."""
        for line in self.rows:
            if line.key == key:
                return line.values[column]
        return ""


class TotalsView(QTableView):
    """Four rows, no sorting, no scroll bar: the height of its rows."""

    def __init__(self, model: TotalsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(self.focusPolicy().NoFocus)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(24)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        self.setColumnWidth(0, 56)
        self.setWordWrap(False)
        self.setFixedHeight(self.horizontalHeader().sizeHint().height() + 4 * 24 + 4)
