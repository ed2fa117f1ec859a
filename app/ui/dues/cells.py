"""How a month of the grid looks: a short text AND a colour for each state (never colour
alone), and a tooltip with the amounts in yuan."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QBrush, QColor

from app.domain.money import format_fen
from app.domain.yearmonth import YearMonth

if TYPE_CHECKING:
    from app.services.dues import GridCell

# The values of app.services.dues.CellState, which this module does not import: it loads
# with the window, before SQLAlchemy (tests/ui/dues keeps the two equal).
PAID = "已缴"
PARTIAL = "部分缴纳"
UNPAID = "未缴"
EXEMPT = "免缴"
NOT_MEMBER = "非会员"
NOT_ROLLED = "未生成"


@dataclass(frozen=True)
class Look:
    text: str  # what the cell says
    background: QBrush
    foreground: QBrush
    meaning: str  # for the tooltip and the legend's tooltip
    short: str = ""  # beside the legend's chip, when the chip's text does not say it all


def _look(text: str, background: str, foreground: str, meaning: str, short: str = "") -> Look:
    return Look(text, QBrush(QColor(background)), QBrush(QColor(foreground)), meaning, short)


LOOKS: dict[str, Look] = {
    PAID: _look("已缴", "#d7efd9", "#1e5e24", "已缴清"),
    PARTIAL: _look("部分", "#ffe9b0", "#7a5200", "只缴了一部分", "缴了一部分"),
    UNPAID: _look("未缴", "#f6cfcf", "#8e1c1c", "应缴未缴"),
    EXEMPT: _look("免缴", "#dde6f3", "#35507a", "免缴（退休保留会籍或设定了免缴）"),
    NOT_MEMBER: _look("—", "#ffffff", "#9a9a9a", "不是缴费会员（尚未入会或已离开）", "非缴费会员"),
    NOT_ROLLED: _look("未生成", "#ececec", "#666666", "应缴，但还没有生成应缴会费", "尚未生成应缴"),
}
LOADING = "…"


def cell_tooltip(month: YearMonth, cell: GridCell) -> str:
    look = LOOKS[cell.state]
    head = f"{month.chinese()}：{look.meaning}"
    if cell.state in (PAID, PARTIAL, UNPAID):
        owed = cell.due_fen - cell.paid_fen
        tail = f"，还欠 {format_fen(owed)} 元" if owed > 0 else ""
        return f"{head}\n应缴 {format_fen(cell.due_fen)} 元，已缴 {format_fen(cell.paid_fen)} 元{tail}"
    if cell.state == NOT_ROLLED:
        return f"{head}\n点“生成应缴…”生成这个月的应缴；没有会费基数的会员要先填写会费基数"
    return head


def balance_text(balance_fen: int) -> str:
    """欠缴 12.30 / 预缴 5.00 / 已结清: what the 余额 column says."""
    if balance_fen > 0:
        return f"欠缴 {format_fen(balance_fen)}"
    if balance_fen < 0:
        return f"预缴 {format_fen(-balance_fen)}"
    return "已结清"


def balance_sentence(balance_fen: int) -> str:
    if balance_fen > 0:
        return f"欠缴 {format_fen(balance_fen)} 元"
    if balance_fen < 0:
        return f"预缴 {format_fen(-balance_fen)} 元（多缴的钱会冲抵以后各月）"
    return "已结清（没有欠缴，也没有预缴）"
