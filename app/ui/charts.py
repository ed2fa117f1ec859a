"""What the program's bar charts share: the money axis, its ticks in words a secretary reads
(10万, 5,000), and the chart of each top spending category's budget beside what was spent from
it, drawn the same on the 首页 and on the 年度预算 tab — in each pair and in the legend the
budget first, then what was spent (red where over the budget).

QtCharts comes with PySide6-Addons and is large: it is imported inside the functions that
draw, never when the program starts (the charts' places say so when it is missing).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontMetricsF

from app.domain.money import format_fen

__all__ = [
    "BUDGET",
    "DARK",
    "LIGHT",
    "SPENT",
    "BudgetBar",
    "amount_axis",
    "bar_sets",
    "bar_tooltip",
    "draw_budget_bars",
    "drawn_bar_order",
    "drawn_categories",
    "drawn_labels",
    "drawn_legend",
    "drawn_over",
    "drawn_ticks",
    "drawn_values",
    "tick_label",
    "ticks",
    "yuan",
]

BUDGET = "预算"
SPENT = "已支出"
LIGHT = QColor("#a9c4e6")
DARK = QColor("#1f4e8c")
OVER = QColor("#c0392b")
LABEL = QColor("#333333")
WAN = 10_000  # yuan
MOST_STEPS = 5  # ticks beyond 0: more crowd a half-width chart's axis
_BAR_WIDTH = 0.8  # of a category's height, shared by its bars


class BudgetBar(Protocol):
    """A top spending category: its budget (None: never set) and what was spent from it."""

    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def budget_fen(self) -> int | None: ...
    @property
    def spent_fen(self) -> int: ...
    @property
    def over(self) -> bool: ...


def yuan(fen: int) -> float:
    """For drawing only: a bar's length in yuan (the figures stay fen everywhere else)."""
    return fen / 100


# -- the money axis ------------------------------------------------------------------------------
def ticks(top_yuan: float) -> list[int]:
    """The axis's ticks in whole yuan from 0 past ``top_yuan``: a step of 1, 2 or 5 × 10ⁿ
    yuan, the smallest that needs no more than MOST_STEPS steps."""
    top = max(top_yuan, 1.0)
    magnitude = 1
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude):
            if step * MOST_STEPS >= top:
                return [step * n for n in range(math.ceil(top / step) + 1)]
        magnitude *= 10


def tick_label(value: int, step: int) -> str:
    """A tick in yuan as it is said: in 万 when every tick is a whole or half 万 (5万, 1.5万),
    else with thousands separators (2,000)."""
    if value == 0:
        return "0"
    if step % (WAN // 2) == 0:
        whole, rest = divmod(value, WAN)
        return f"{whole}万" if not rest else f"{whole}.{rest * 10 // WAN}万"
    return f"{value:,}"


def amount_axis(largest_fen: int, room: float = 1.1) -> Any:
    """The axis of amounts in yuan up to ``largest_fen`` and ``room`` more (for labels at
    the bars' ends), its ticks labelled by ``tick_label``."""
    from PySide6.QtCharts import QCategoryAxis

    at = ticks(yuan(largest_fen) * room)
    axis = QCategoryAxis()
    axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    axis.setStartValue(0)
    axis.setRange(0, at[-1])
    step = at[1]
    for value in at:
        axis.append(tick_label(value, step), value)
    axis.setTitleText("金额（元）")
    return axis


def bar_sets(names: Sequence[str], colours: Sequence[QColor]) -> list[Any]:
    from PySide6.QtCharts import QBarSet

    sets = []
    for name, colour in zip(names, colours, strict=True):
        barset = QBarSet(name)
        barset.setColor(colour)
        barset.setBorderColor(QColor(0, 0, 0, 0))
        barset.setLabelColor(LABEL)
        sets.append(barset)
    return sets


# -- budget against spent ----------------------------------------------------------------------------
def bar_tooltip(bar: BudgetBar) -> str:
    budget = "未设预算" if bar.budget_fen is None else f"预算 {format_fen(bar.budget_fen)} 元"
    over = "（超支）" if bar.over else ""
    return f"{bar.code} {bar.name}\n{budget}\n已支出 {format_fen(bar.spent_fen)} 元{over}"


def draw_budget_bars(chart: Any, bars: Sequence[BudgetBar], *, labels: bool = True) -> Any:
    """Into the emptied ``chart``: one pair of horizontal bars per category, the first
    category at the top, 预算 above 已支出 and the legend in that order too; the amounts at the
    bars' ends when ``labels``. Returns the series (its ``hovered`` index counts from the top)."""
    from PySide6.QtCharts import QBarCategoryAxis, QHorizontalBarSeries

    # A horizontal chart draws its first category at the bottom, and in each category its
    # first set lowest: the categories go in reversed, what was spent before the budget.
    bottom_first = list(reversed(bars))
    budget, spent = bar_sets((BUDGET, SPENT), (LIGHT, DARK))
    spent.setSelectedColor(OVER)
    for bar in bottom_first:
        budget.append(yuan(bar.budget_fen or 0))
        spent.append(yuan(bar.spent_fen))
    series = QHorizontalBarSeries()
    series.append(spent)
    series.append(budget)
    series.setBarWidth(_BAR_WIDTH)
    chart.addSeries(series)
    chart.legend().setReverseMarkers(True)  # the sets' order is bottom first; the legend reads top first
    for i, bar in enumerate(bottom_first):
        if bar.over:
            spent.selectBar(i)
    names = QBarCategoryAxis()
    names.append([bar.name for bar in bottom_first])
    chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(names)
    largest = max(max(bar.budget_fen or 0, bar.spent_fen) for bar in bars)
    amounts = amount_axis(largest, 1.3)  # room for the labels at the bars' ends
    chart.addAxis(amounts, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(amounts)
    _room_for_last_tick(chart, amounts)
    ends: list[list[int | None]] = [
        [bar.spent_fen for bar in bottom_first],
        [bar.budget_fen for bar in bottom_first],
    ]
    _label_bar_ends(chart, series, ends if labels else [])
    return series


def amount_label(fen: int) -> str:
    """An amount at a bar's end: whole yuan with thousands separators (193,809), as the axis
    says them; the exact figure is in the bar's tooltip and the table."""
    return f"{(fen + 50) // 100:,}"


def _label_bar_ends(chart: Any, series: Any, ends: Sequence[Sequence[int | None]]) -> None:
    """The amounts written at the bars' ends (``ends``: each bar set's fen, bottom category
    first; None for a budget never set, which has no bar to label), placed again whenever
    the chart's plot area moves. QtCharts' own bar labels print the bare number (193809):
    no thousands separators."""
    from PySide6.QtCore import QPointF
    from PySide6.QtWidgets import QGraphicsSimpleTextItem

    items: list[Any] = getattr(chart, "bar_end_labels", [])
    wanted = [(s, c, fen) for s, row in enumerate(ends) for c, fen in enumerate(row) if fen is not None]
    while len(items) < len(wanted):
        item = QGraphicsSimpleTextItem(chart)
        item.setBrush(LABEL)
        item.setZValue(100)  # above the grid lines and the bars, as QtCharts' own labels are
        items.append(item)
    for item in items[len(wanted) :]:
        item.hide()
    chart.bar_end_labels = items
    thickness = _BAR_WIDTH / max(len(ends), 1)

    def place() -> None:
        for item, (set_index, category, fen) in zip(items, wanted, strict=False):
            # a horizontal series stacks its sets upwards within a category, the first lowest
            middle = category - _BAR_WIDTH / 2 + (set_index + 0.5) * thickness
            end = chart.mapToPosition(QPointF(yuan(fen), middle), series)
            item.setText(amount_label(fen))
            item.setPos(end.x() + 4, end.y() - item.boundingRect().height() / 2)
            item.show()

    previous = getattr(chart, "place_bar_end_labels", None)
    if previous is not None:
        chart.plotAreaChanged.disconnect(previous)
    chart.place_bar_end_labels = place
    chart.plotAreaChanged.connect(place)
    place()


def _room_for_last_tick(chart: Any, axis: Any) -> None:
    """The last tick's label is centred on the plot's right edge, and the chart leaves no room
    for its right half by itself: "40万" would be cut."""
    last = axis.categoriesLabels()[-1]
    half = math.ceil(QFontMetricsF(axis.labelsFont()).horizontalAdvance(last) / 2)
    margins = chart.margins()
    if margins.right() < half:
        margins.setRight(half)
        chart.setMargins(margins)


# -- what is drawn (for the tests) --------------------------------------------------------------------
def _bar_series(chart: Any) -> list[Any]:
    from PySide6.QtCharts import QAbstractBarSeries

    return [s for s in chart.series() if isinstance(s, QAbstractBarSeries)]


def _horizontal(chart: Any) -> bool:
    from PySide6.QtCharts import QHorizontalBarSeries

    return any(isinstance(s, QHorizontalBarSeries) for s in chart.series())


def drawn_categories(chart: Any) -> list[str]:
    """The category axis's names as the eye reads them: left to right, or top first."""
    from PySide6.QtCharts import QBarCategoryAxis

    axes = [a for a in chart.axes() if isinstance(a, QBarCategoryAxis)]
    names = list(axes[0].categories()) if axes else []
    return list(reversed(names)) if _horizontal(chart) else names


def drawn_values(chart: Any) -> dict[str, list[float]]:
    """Each bar set's values in yuan, in the order of ``drawn_categories``."""
    turn = _horizontal(chart)
    return {
        barset.label(): [barset.at(i) for i in range(barset.count())][:: -1 if turn else 1]
        for series in _bar_series(chart)
        for barset in series.barSets()
    }


def drawn_over(chart: Any) -> list[str]:
    """The categories whose 已支出 bar is drawn red, top first."""
    names = drawn_categories(chart)
    for series in _bar_series(chart):
        for barset in series.barSets():
            if barset.label() == SPENT:
                return [names[len(names) - 1 - i] for i in sorted(barset.selectedBars(), reverse=True)]
    return []


def drawn_labels(chart: Any) -> list[str]:
    """The amounts written at the bars' ends, as the eye reads them: top first, and in each
    category from the top bar down."""
    shown = [item for item in getattr(chart, "bar_end_labels", []) if item.isVisible()]
    return [item.text() for item in sorted(shown, key=lambda item: item.pos().y())]


def drawn_bar_order(chart: Any) -> list[str]:
    """The bar sets of each category as the eye reads them: left to right, or top first
    (a horizontal chart draws its first set lowest)."""
    names = [barset.label() for series in _bar_series(chart) for barset in series.barSets()]
    return list(reversed(names)) if _horizontal(chart) else names


def drawn_legend(chart: Any) -> list[str]:
    """The legend's entries left to right."""
    labels = [marker.label() for marker in chart.legend().markers()]
    return list(reversed(labels)) if chart.legend().reverseMarkers() else labels


def drawn_ticks(chart: Any) -> list[str]:
    """The money axis's tick labels, from 0."""
    from PySide6.QtCharts import QCategoryAxis

    axes = [a for a in chart.axes() if isinstance(a, QCategoryAxis)]
    return list(axes[0].categoriesLabels()) if axes else []
