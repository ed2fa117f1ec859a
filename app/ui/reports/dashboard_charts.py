"""The 首页's two charts: the dues of each month so far (应缴 beside 实缴), and each top
spending category's budget beside what was spent from it (red where over).

QtCharts comes with PySide6-Addons and is large: it is imported inside the functions that
draw, when there is first something to draw (after the window is on screen), never when the
program starts. Without it the chart's place says so and the rest of the page works.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QCursor, QPainter
from PySide6.QtWidgets import QLabel, QToolTip, QVBoxLayout, QWidget

from app.domain.money import format_fen

if TYPE_CHECKING:
    from app.services.reports import CategoryBar, MonthDues

__all__ = ["BUDGET", "DUE", "PAID", "SPENT", "DuesChart", "SpendingChart"]

DUE = "应缴"
PAID = "实缴"
BUDGET = "预算"
SPENT = "已支出"
_LIGHT = QColor("#a9c4e6")
_DARK = QColor("#1f4e8c")
_OVER = QColor("#c0392b")
_LABEL = QColor("#333333")
_MINIMUM_HEIGHT = 260
_HEIGHT = 320
NO_CHARTS = "显示图表需要 QtCharts（PySide6-Addons），请重新安装本程序。卡片和提醒中的数字不受影响。"


def _yuan(fen: int) -> float:
    """For drawing only: a bar's length in yuan (the figures stay fen everywhere else)."""
    return fen / 100


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

    def _bar_sets(self, names: Sequence[str], colours: Sequence[QColor]) -> list[Any]:
        from PySide6.QtCharts import QBarSet

        sets = []
        for name, colour in zip(names, colours, strict=True):
            barset = QBarSet(name)
            barset.setColor(colour)
            barset.setBorderColor(QColor(0, 0, 0, 0))
            barset.setLabelColor(_LABEL)
            sets.append(barset)
        return sets

    def _amount_axis(self, largest_fen: int, room: float = 1.1) -> Any:
        from PySide6.QtCharts import QValueAxis

        axis = QValueAxis()
        axis.setRange(0, max(_yuan(largest_fen) * room, 1.0))
        axis.applyNiceNumbers()
        axis.setLabelFormat("%.0f")
        axis.setTitleText("金额（元）")
        return axis

    # -- what is drawn (for the tests) ---------------------------------------------------------
    def _axis_categories(self) -> list[str]:
        if self.view is None or not self.view.isVisibleTo(self):
            return []
        from PySide6.QtCharts import QBarCategoryAxis

        axes = [a for a in self.view.chart().axes() if isinstance(a, QBarCategoryAxis)]
        return list(axes[0].categories()) if axes else []

    def _set_values(self) -> dict[str, list[float]]:
        if self.view is None or not self.view.isVisibleTo(self):
            return {}
        return {
            barset.label(): [barset.at(i) for i in range(barset.count())]
            for series in self.view.chart().series()
            for barset in series.barSets()
        }


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

        due, paid = self._bar_sets((DUE, PAID), (_LIGHT, _DARK))
        for m in self.months:
            due.append(_yuan(m.due_fen))
            paid.append(_yuan(m.paid_fen))
        series = QBarSeries()
        series.append(due)
        series.append(paid)
        series.setBarWidth(0.8)
        chart.addSeries(series)
        names = QBarCategoryAxis()
        names.append([f"{m.month.month}月" for m in self.months])
        chart.addAxis(names, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(names)
        amounts = self._amount_axis(max(max(m.due_fen, m.paid_fen) for m in self.months))
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
        """The month axis as drawn: 1月, 2月 …"""
        return self._axis_categories()

    def drawn_values(self) -> dict[str, list[float]]:
        """Each bar set's values in yuan, January first."""
        return self._set_values()


class SpendingChart(_Chart):
    """Horizontal bars, one pair per top spending category (the first at the top): the
    budget and what was spent, the spent bar red where it is over the budget."""

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
        from PySide6.QtCharts import QAbstractBarSeries, QBarCategoryAxis, QHorizontalBarSeries

        top_first = list(reversed(self.bars))  # a horizontal chart draws its first category at the bottom
        budget, spent = self._bar_sets((BUDGET, SPENT), (_LIGHT, _DARK))
        spent.setSelectedColor(_OVER)
        for bar in top_first:
            budget.append(_yuan(bar.budget_fen or 0))
            spent.append(_yuan(bar.spent_fen))
        series = QHorizontalBarSeries()
        series.append(spent)  # a horizontal chart draws its first set lowest: the budget above what was spent
        series.append(budget)
        series.setBarWidth(0.8)
        series.setLabelsVisible(len(self.bars) <= 6)
        series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
        series.setLabelsFormat("@value")
        series.setLabelsPrecision(12)
        chart.addSeries(series)
        for i, bar in enumerate(top_first):
            if bar.over:
                spent.selectBar(i)
        names = QBarCategoryAxis()
        names.append([bar.name for bar in top_first])
        chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(names)
        largest = max(max(bar.budget_fen or 0, bar.spent_fen) for bar in self.bars)
        amounts = self._amount_axis(largest, 1.3)  # room for the labels at the bars' ends
        chart.addAxis(amounts, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(amounts)
        for barset in (budget, spent):
            barset.hovered.connect(lambda on, index: self._hovered(on, len(top_first) - 1 - index))
        self._shown()

    def _hovered(self, on: bool, index: int) -> None:
        if on and 0 <= index < len(self.bars):
            bar = self.bars[index]
            budget = "未设预算" if bar.budget_fen is None else f"预算 {format_fen(bar.budget_fen)} 元"
            over = "（超支）" if bar.over else ""
            text = f"{bar.code} {bar.name}\n{budget}\n已支出 {format_fen(bar.spent_fen)} 元{over}"
            QToolTip.showText(QCursor.pos(), text, self)
        else:
            QToolTip.hideText()

    def drawn_categories(self) -> list[str]:
        """The category axis's names, top first as the eye reads them."""
        return list(reversed(self._axis_categories()))

    def drawn_values(self) -> dict[str, list[float]]:
        """Each bar set's values in yuan, top category first."""
        return {name: list(reversed(values)) for name, values in self._set_values().items()}

    def drawn_over(self) -> list[str]:
        """The categories whose spent bar is drawn red, top first."""
        if self.view is None or not self.view.isVisibleTo(self):
            return []
        bottom_first = self._axis_categories()
        for series in self.view.chart().series():
            for barset in series.barSets():
                if barset.label() == SPENT:
                    return [bottom_first[i] for i in sorted(barset.selectedBars(), reverse=True)]
        return []
