"""The year's budget as a bar chart: per top spending category (职工活动支出, 维权支出 …), the
budget above what was spent, the spent bar red where it is over budget — drawn as the 首页
draws it (app/ui/charts.py).

QtCharts comes with PySide6-Addons and is large: it is imported inside the functions that
draw, the first time a chart is shown, never when the program starts. Without it the chart's
place says so and the rest of the page works.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QCursor, QPainter
from PySide6.QtWidgets import QLabel, QToolTip, QVBoxLayout, QWidget

from app.ui import charts
from app.ui.charts import BUDGET, SPENT, bar_tooltip, draw_budget_bars

if TYPE_CHECKING:
    from app.services.activities import BudgetTable

__all__ = ["BUDGET", "SPENT", "BudgetChart", "ChartBar", "chart_bars"]

NO_CHARTS = "显示图表需要 QtCharts（PySide6-Addons），请重新安装本程序。表格中的数字不受影响。"
NOTHING = "这一年还没有设预算，也没有支出。"


@dataclass(frozen=True)
class ChartBar:
    """One category of the chart: a top spending category's budget (None when never set) and
    what was spent from it, sub-categories included."""

    code: str
    name: str
    budget_fen: int | None
    spent_fen: int

    @property
    def over(self) -> bool:
        return self.budget_fen is not None and self.spent_fen > self.budget_fen

    def tooltip(self) -> str:
        return bar_tooltip(self)


def chart_bars(table: BudgetTable) -> list[ChartBar]:
    """The top spending categories worth a bar: those with a budget or with spending."""
    return [
        ChartBar(r.category.code, r.category.name, r.budget_fen, r.spent_fen)
        for r in table.spending
        if r.category.depth == 0 and (r.budget_fen is not None or r.spent_fen)
    ]


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
        self.setMinimumSize(300, 300)  # at 1366 pixels the table beside it keeps its columns whole

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
            from PySide6.QtCharts import QChart, QChartView
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
        series = draw_budget_bars(chart, self.bars)
        series.hovered.connect(lambda on, index, _set: self._hovered(on, len(self.bars) - 1 - index))
        self.message.hide()
        self.note.show()
        self.view.show()

    def _hovered(self, on: bool, index: int) -> None:
        if on and 0 <= index < len(self.bars):
            QToolTip.showText(QCursor.pos(), self.bars[index].tooltip(), self)
        else:
            QToolTip.hideText()

    # -- what is drawn (for the tests) --------------------------------------------------------------
    def _drawn(self) -> Any | None:
        """The chart on screen, or None (a message in its place)."""
        if self.view is None or not self.view.isVisibleTo(self):
            return None
        return self.view.chart()

    def drawn_categories(self) -> list[str]:
        """The category axis's names, top first as the eye reads them."""
        chart = self._drawn()
        return [] if chart is None else charts.drawn_categories(chart)

    def drawn_values(self) -> dict[str, list[float]]:
        """Each bar set's values in yuan, top category first."""
        chart = self._drawn()
        return {} if chart is None else charts.drawn_values(chart)

    def drawn_over(self) -> list[str]:
        """The categories whose spent bar is drawn as over budget, top first."""
        chart = self._drawn()
        return [] if chart is None else charts.drawn_over(chart)

    def drawn_bar_order(self) -> list[str]:
        """The two bars of each category, top first."""
        chart = self._drawn()
        return [] if chart is None else charts.drawn_bar_order(chart)

    def drawn_legend(self) -> list[str]:
        chart = self._drawn()
        return [] if chart is None else charts.drawn_legend(chart)

    def drawn_labels(self) -> list[str]:
        """The amounts at the bars' ends, top first."""
        chart = self._drawn()
        return [] if chart is None else charts.drawn_labels(chart)

    def drawn_ticks(self) -> list[str]:
        """The money axis's labels, from 0."""
        chart = self._drawn()
        return [] if chart is None else charts.drawn_ticks(chart)
