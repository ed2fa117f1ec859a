"""An activity's budget and its 节超 in words, alike in the lists, the command line and the
决算表. Light: the window's activity page imports it."""

from __future__ import annotations

from datetime import date

from app.domain.activities import Status
from app.domain.money import format_fen

NO_BUDGET = "无活动预算"


def variance_text(variance_fen: int) -> str:
    """节超: 超支 200.00 / 节约 1,000.00 / 持平."""
    if variance_fen > 0:
        return f"超支 {format_fen(variance_fen)}"
    if variance_fen < 0:
        return f"节约 {format_fen(-variance_fen)}"
    return "持平"


def budget_text(budget_fen: int) -> str:
    """An activity's budget as lists show it: "—" when it has no budget lines (not 0.00,
    which would read as a budget of nothing)."""
    return format_fen(budget_fen) if budget_fen else "—"


def variance_words(budget_fen: int, spent_fen: int) -> str:
    """节超 in words: 超支 1,200.00 / 节约 300.00 / 持平; nothing to compare without a budget
    of the activity's own (an activity imported from the ledger has only its expenses)."""
    if budget_fen == 0:
        return NO_BUDGET if spent_fen else ""
    return variance_text(spent_fen - budget_fen)


def variance_so_far(status: str, budget_fen: int, spent_fen: int) -> str:
    """节超 as a list shows it while the activity runs its course: an overspend at once, a
    saving only once it is over (what is left before then is no saving yet), nothing for one
    cancelled."""
    if status == Status.CANCELLED:
        return "已取消"
    over = bool(budget_fen) and spent_fen > budget_fen
    if status == Status.DONE or over:
        return variance_words(budget_fen, spent_fen)
    if not spent_fen:
        return "未支出" if budget_fen else ""
    return "未结束" if budget_fen else NO_BUDGET


def not_settled(status: str) -> str:
    """What a 决算表 says in place of a saving while the activity is not 已结束: 已取消 or
    未结束 ("" once it is over, when a saving is one)."""
    if status == Status.DONE:
        return ""
    return "已取消" if status == Status.CANCELLED else "未结束"


def line_variance(status: str, budget_fen: int, spent_fen: int) -> str:
    """A budget line's 节超 on a 决算表: an overspend at once, a saving only once it is over."""
    if spent_fen > budget_fen or status == Status.DONE:
        return variance_text(spent_fen - budget_fen)
    return not_settled(status)


def final_status_note(status: str, today: date) -> str:
    """What a 决算表 of an activity that is not 已结束 says first: its figures are not final."""
    if status == Status.DONE:
        return ""
    if status == Status.CANCELLED:
        return "本活动已取消：表中只列已经发生的支出，没有用完的预算不算节约。"
    return (
        f"本活动尚未结束（{status}）：表中是截至{today.year}年{today.month}月{today.day}日"
        "已登记的支出，不是最终决算。"
    )
