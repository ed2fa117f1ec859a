"""The 首页's two charts: the dues of each month so far (应缴 beside 实缴), and each top
spending category's budget above what was spent from it (red where over), drawn as the 年度预算
tab draws it (app/ui/charts.py).

QtCharts comes with PySide6-Addons and is large: it is imported inside the functions that
draw, when there is first something to draw (after the window is on screen), never when the
program starts. Without it the chart's place says so and the rest of the page works.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QCursor, QPainter
from PySide6.QtWidgets import QLabel, QToolTip, QVBoxLayout, QWidget

from app.domain.money import format_fen
from app.ui import charts
from app.ui.charts import (
    BUDGET,
    DARK,
    LIGHT,
    SPENT,
    amount_axis,
    bar_sets,
    bar_tooltip,
    draw_budget_bars,
    yuan,
)

if TYPE_CHECKING:
    from app.services.reports import CategoryBar, MonthDues

__all__ = ["BUDGET", "DUE", "PAID", "SPENT", "DuesChart", "SpendingChart"]

DUE = "应缴"
PAID = "实缴"
_MINIMUM_HEIGHT = 260
_HEIGHT = 320
NO_CHARTS = "显示图表需要 QtCharts（PySide6-Addons），请重新安装本程序。卡片和提醒中的数字不受影响。"


class _Chart(QWidget):
    """A chart's place: a message until there is something to draw, then the chart."""

    def __init__(self, waiting: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = ""
        self.message = QLabel(waiting)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setStyleSheet("color: #555;")
        self.view: Any = None  # the QChartView, made when there is first something to draw
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.message)
        self.setMinimumSize(320, _MINIMUM_HEIGHT)
        self.setMaximumHeight(_HEIGHT)  # the reminders below stay within reach

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        if self.view is not None:
            self.view.hide()

    def _chart(self) -> Any | None:
        """The chart emptied for drawing, or None (QtCharts missing: said so)."""
        try:
            from PySide6.QtCharts import QChart, QChartView
        except ImportError:
            self._show_message(NO_CHARTS)
            return None
        if self.view is None:
            chart = QChart()
            chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
            chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
            chart.setMargins(QMargins(4, 4, 4, 4))
            self.view = QChartView(chart, self)
            self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
            self._layout.addWidget(self.view, 1)
        chart = self.view.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        chart.setTitle(f"<b>{self.title}</b>")
        return chart

    def _shown(self) -> None:
        self.message.hide()
        self.view.show()

    # -- what is drawn (for the tests) ---------------------------------------------------------
    def _drawn(self) -> Any | None:
        """The chart on screen, or None (a message in its place)."""
        if self.view is None or not self.view.isVisibleTo(self):
            return None
        return self.view.chart()

    def drawn_values(self) -> dict[str, list[float]]:
        """Each bar set's values in yuan, in the order the categories are read."""
        chart = self._drawn()
        return {} if chart is None else charts.drawn_values(chart)

    def drawn_ticks(self) -> list[str]:
        """The money axis's labels, from 0."""
        chart = self._drawn()
        return [] if chart is None else charts.drawn_ticks(chart)

    def drawn_legend(self) -> list[str]:
        chart = self._drawn()
        return [] if chart is None else charts.drawn_legend(chart)

    def drawn_bar_order(self) -> list[str]:
        """The bar sets in each category, as the eye reads them."""
        chart = self._drawn()
        return [] if chart is None else charts.drawn_bar_order(chart)

    def _drawn_categories(self) -> list[str]:
        chart = self._drawn()
        return [] if chart is None else charts.drawn_categories(chart)


class DuesChart(_Chart):
    """Vertical bars, one pair per month from January to this month: 应缴 and 实缴 (the money
    received in the month, so a half-year paid in June stands tall in June)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("打开账套后显示每月会费", parent)
        self.months: list[MonthDues] = []

    def set_months(self, year: int, months: Sequence[MonthDues]) -> None:
        self.months = list(months)
        self.title = f"{year}年每月会费：应缴与实缴"
        if not any(m.due_fen or m.paid_fen for m in self.months):
            self._show_message(f"{year}年还没有应缴或收到的会费（在“会费”页生成应缴、登记缴费后显示）。")
            return
        chart = self._chart()
        if chart is None:
            return
        from PySide6.QtCharts import QBarCategoryAxis, QBarSeries

        due, paid = bar_sets((DUE, PAID), (LIGHT, DARK))
        for m in self.months:
            due.append(yuan(m.due_fen))
            paid.append(yuan(m.paid_fen))
        series = QBarSeries()
        series.append(due)
        series.append(paid)
        series.setBarWidth(0.8)
        chart.addSeries(series)
        names = QBarCategoryAxis()
        # the months as numbers under the axis's title 月份: in half of a 1024-pixel window
        # "10月" has no room under its two bars and is cut to "1…"
        names.append([str(m.month.month) for m in self.months])
        names.setTitleText("月份")
        chart.addAxis(names, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(names)
        amounts = amount_axis(max(max(m.due_fen, m.paid_fen) for m in self.months))
        chart.addAxis(amounts, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(amounts)
        for barset in (due, paid):
            barset.hovered.connect(self._hovered)
        self._shown()

    def _hovered(self, on: bool, index: int) -> None:
        if on and 0 <= index < len(self.months):
            m = self.months[index]
            QToolTip.showText(
                QCursor.pos(),
                f"{m.month.chinese()}\n应缴 {format_fen(m.due_fen)} 元\n实缴 {format_fen(m.paid_fen)} 元",
                self,
            )
        else:
            QToolTip.hideText()

    def drawn_months(self) -> list[str]:
        """The month axis as drawn: 1, 2 … (titled 月份)."""
        return self._drawn_categories()


class SpendingChart(_Chart):
    """Horizontal bars, one pair per top spending category (the first at the top): the
    budget above what was spent, the spent bar red where it is over the budget."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("打开账套后显示经费支出", parent)
        self.bars: list[CategoryBar] = []

    def set_bars(self, year: int, bars: Sequence[CategoryBar]) -> None:
        self.bars = list(bars)
        self.title = f"{year}年各类支出：预算与已支出"
        # room for each category's name beside its two bars (else the axis shortens the names)
        self.setMaximumHeight(max(_HEIGHT, 150 + 36 * len(self.bars)))
        self.setMinimumHeight(max(_MINIMUM_HEIGHT, 150 + 36 * len(self.bars)))
        if not self.bars:
            self._show_message(f"{year}年还没有设预算，也没有支出（在“活动经费 → 年度预算”中设定）。")
            return
        chart = self._chart()
        if chart is None:
            return
        series = draw_budget_bars(chart, self.bars, labels=len(self.bars) <= 6)
        series.hovered.connect(lambda on, index, _set: self._hovered(on, len(self.bars) - 1 - index))
        self._shown()

    def _hovered(self, on: bool, index: int) -> None:
        if on and 0 <= index < len(self.bars):
            QToolTip.showText(QCursor.pos(), bar_tooltip(self.bars[index]), self)
        else:
            QToolTip.hideText()

    def drawn_categories(self) -> list[str]:
        """The category axis's names, top first as the eye reads them."""
        return self._drawn_categories()

    def drawn_over(self) -> list[str]:
        """The categories whose spent bar is drawn red, top first."""
        chart = self._drawn()
        return [] if chart is None else charts.drawn_over(chart)
