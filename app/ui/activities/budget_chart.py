"""The year's budget as a bar chart: per top spending category (职工活动支出, 维权支出 …), the
budget beside what was spent, the spent bar red where it is over budget.

QtCharts comes with PySide6-Addons and is large: it is imported inside the functions that
draw, the first time a chart is shown, never when the program starts. Without it the chart's
place says so and the rest of the page works.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QCursor, QPainter
from PySide6.QtWidgets import QLabel, QToolTip, QVBoxLayout, QWidget

from app.domain.money import format_fen

if TYPE_CHECKING:
    from app.services.activities import BudgetTable

__all__ = ["BUDGET", "SPENT", "BudgetChart", "ChartBar", "chart_bars"]

BUDGET = "预算"
SPENT = "已支出"
_BUDGET_COLOUR = QColor("#8fb3de")
_SPENT_COLOUR = QColor("#1f4e8c")
_OVER_COLOUR = QColor("#c0392b")
_LABEL_COLOUR = QColor("#333333")
NO_CHARTS = "显示图表需要 QtCharts（PySide6-Addons），请重新安装本程序。表格中的数字不受影响。"
NOTHING = "这一年还没有设预算，也没有支出。"


@dataclass(frozen=True)
class ChartBar:
    """One category of the chart: a top spending category's budget (0 when never set) and
    what was spent from it, sub-categories included."""

    code: str
    name: str
    budget_fen: int | None
    spent_fen: int

    @property
    def over(self) -> bool:
        return self.budget_fen is not None and self.spent_fen > self.budget_fen

    def tooltip(self) -> str:
        budget = "未设预算" if self.budget_fen is None else f"预算 {format_fen(self.budget_fen)} 元"
        over = "（超支）" if self.over else ""
        return f"{self.code} {self.name}\n{budget}\n已支出 {format_fen(self.spent_fen)} 元{over}"


def chart_bars(table: BudgetTable) -> list[ChartBar]:
    """The top spending categories worth a bar: those with a budget or with spending."""
    return [
        ChartBar(r.category.code, r.category.name, r.budget_fen, r.spent_fen)
        for r in table.spending
        if r.category.depth == 0 and (r.budget_fen is not None or r.spent_fen)
    ]


def _yuan(fen: int) -> float:
    """For drawing only: the bar's length in yuan (the figures stay fen everywhere else)."""
    return fen / 100


class BudgetChart(QWidget):
    """A horizontal bar chart, two bar sets (预算, 已支出), one row per top spending category,
    the first category at the top. ``set_table`` redraws it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[ChartBar] = []
        self.title = ""
        self.message = QLabel("打开账套后显示图表")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setStyleSheet("color: #555;")
        self.view: Any = None  # the QChartView, made when there is first something to draw
        self.note = QLabel(
            "<span style='color:#c0392b'>■</span> 红色的已支出超过了预算。鼠标停在柱子上可以看到金额；"
            "细目的数字见左边的表格。"
        )
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555;")
        self.note.hide()
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.message)
        self._layout.addWidget(self.note)
        self.setMinimumSize(360, 300)

    def set_table(self, table: BudgetTable) -> None:
        self.bars = chart_bars(table)
        self.title = f"{table.year}年各类支出：预算与已支出"
        self._draw()

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        self.note.hide()
        if self.view is not None:
            self.view.hide()

    def _draw(self) -> None:
        if not self.bars:
            self._show_message(NOTHING)
            return
        try:
            from PySide6.QtCharts import (
                QAbstractBarSeries,
                QBarCategoryAxis,
                QBarSet,
                QChart,
                QChartView,
                QHorizontalBarSeries,
                QValueAxis,
            )
        except ImportError:
            self._show_message(NO_CHARTS)
            return
        if self.view is None:
            chart = QChart()
            chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
            chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
            self.view = QChartView(chart, self)
            self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
            self._layout.insertWidget(1, self.view, 1)
        chart = self.view.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        chart.setTitle(self.title)
        top_first = list(reversed(self.bars))  # a horizontal chart draws its first category at the bottom
        budget, spent = QBarSet(BUDGET), QBarSet(SPENT)
        budget.setColor(_BUDGET_COLOUR)
        spent.setColor(_SPENT_COLOUR)
        spent.setSelectedColor(_OVER_COLOUR)
        for barset in (budget, spent):
            barset.setBorderColor(QColor(0, 0, 0, 0))
            barset.setLabelColor(_LABEL_COLOUR)
        for bar in top_first:
            budget.append(_yuan(bar.budget_fen or 0))
            spent.append(_yuan(bar.spent_fen))
        series = QHorizontalBarSeries()
        series.append(budget)
        series.append(spent)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
        series.setLabelsFormat("@value")
        series.setLabelsPrecision(12)
        series.setBarWidth(0.8)
        chart.addSeries(series)
        for i, bar in enumerate(top_first):
            if bar.over:
                spent.selectBar(i)
        names = QBarCategoryAxis()
        names.append([bar.name for bar in top_first])
        chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(names)
        amounts = QValueAxis()
        largest = max(max(bar.budget_fen or 0, bar.spent_fen) for bar in self.bars)
        amounts.setRange(0, max(_yuan(largest) * 1.3, 1.0))  # room for the labels at the bars' ends
        amounts.applyNiceNumbers()
        amounts.setLabelFormat("%.0f")
        amounts.setTitleText("金额（元）")
        chart.addAxis(amounts, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(amounts)
        series.hovered.connect(lambda on, index: self._hovered(on, len(top_first) - 1 - index))
        self.message.hide()
        self.note.show()
        self.view.show()

    def _hovered(self, on: bool, index: int) -> None:
        if on and 0 <= index < len(self.bars):
            QToolTip.showText(QCursor.pos(), self.bars[index].tooltip(), self)
        else:
            QToolTip.hideText()

    # -- what is drawn (for the tests) --------------------------------------------------------------
    def drawn_categories(self) -> list[str]:
        """The category axis's names, top first as the eye reads them."""
        if self.view is None or not self.view.isVisibleTo(self):
            return []
        from PySide6.QtCharts import QBarCategoryAxis

        axes = [a for a in self.view.chart().axes() if isinstance(a, QBarCategoryAxis)]
        return list(reversed(axes[0].categories())) if axes else []

    def drawn_values(self) -> dict[str, list[float]]:
        """Each bar set's values in yuan, top category first."""
        if self.view is None or not self.view.isVisibleTo(self):
            return {}
        found: dict[str, list[float]] = {}
        for series in self.view.chart().series():
            for barset in series.barSets():
                found[barset.label()] = list(reversed([barset.at(i) for i in range(barset.count())]))
        return found

    def drawn_over(self) -> list[str]:
        """The categories whose spent bar is drawn as over budget, top first."""
        if self.view is None or not self.view.isVisibleTo(self):
            return []
        names = list(reversed(self.drawn_categories()))  # the sets' order: bottom first
        for series in self.view.chart().series():
            for barset in series.barSets():
                if barset.label() == SPENT:
                    return [names[i] for i in reversed(sorted(barset.selectedBars()))]
        return []
