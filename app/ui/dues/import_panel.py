"""The dues' parts of the import wizard: collected dues (a payroll deduction list, or a
member × month 台账), and a payroll sheet that sets members' dues base wages."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QSpinBox

from app.domain.yearmonth import YearMonth
from app.ui.date_fields import MonthEdit
from app.ui.imports.wizard import ImportOptionsPanel

if TYPE_CHECKING:
    from app.services.imports import Importer


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555;")
    return label


WAGE_NOTE = (
    "表中没有月份列时，各人的会费基数从这个月起使用；以前的月份仍按原来的基数。"
    "已生成的应缴要再点“生成应缴”才会按新基数重新计算（已缴的月份不变）。"
)


def _settler(panel: ImportOptionsPanel) -> QTimer:
    """Stepping through months or years: one new preview when the value settles."""
    timer = QTimer(panel)
    timer.setSingleShot(True)
    timer.setInterval(400)
    timer.timeout.connect(panel.changed.emit)
    return timer


class DuesImportPanel(ImportOptionsPanel):
    """已收会费: each row a member's payment for a month, or a 台账 row with 1月…12月."""

    def __init__(self, year: int | None = None) -> None:
        super().__init__("会费表", "笔缴费记录", "姓名", self._importer, unit="行")
        this_month = YearMonth.of(date.today())
        self.use_month = QCheckBox("表中没有月份列时，全部记为")
        self.month = MonthEdit(this_month, latest=this_month)
        self.month.setEnabled(False)
        self.use_year = QCheckBox("会费台账（每人一行，1月…12月）的年份")
        self.year = QSpinBox()
        self.year.setRange(1990, this_month.year)
        self.year.setValue(year or this_month.year)
        self.year.setSuffix(" 年")
        self.year.setEnabled(False)
        grid = QGridLayout()
        grid.addWidget(self.use_month, 0, 0)
        grid.addWidget(self.month, 0, 1)
        grid.addWidget(self.use_year, 1, 0)
        grid.addWidget(self.year, 1, 1)
        grid.setColumnStretch(2, 1)
        self.box.addLayout(grid)
        self.box.addWidget(
            _note("不勾选时：代扣明细按表中的月份列；台账按标题中的年份（标题没写年份的算今年）。")
        )
        self.use_month.toggled.connect(self.month.setEnabled)
        self.use_year.toggled.connect(self.year.setEnabled)
        for signal in (self.use_month.toggled, self.use_year.toggled):
            signal.connect(lambda _on: self.changed.emit())
        self._settle = _settler(self)
        self.month.dateChanged.connect(lambda _d: self._settle.start())
        self.year.valueChanged.connect(lambda _v: self._settle.start())

    def options(self) -> tuple[YearMonth | None, int | None]:
        month = self.month.value() if self.use_month.isChecked() else None
        year = self.year.value() if self.use_year.isChecked() else None
        return month, year

    def _importer(self) -> Importer[Any, Any]:
        from app.services.dues.importer import DuesImporter, DuesImportOptions

        month, year = self.options()
        return DuesImporter(DuesImportOptions(month=month, year=year))


class WageImportPanel(ImportOptionsPanel):
    """工资表: each member's dues base wage from the payroll, from a month on."""

    def __init__(self) -> None:
        super().__init__("工资表", "名会员的会费基数", "姓名", self._importer, unit="人")
        self.month = MonthEdit(YearMonth.of(date.today()))
        grid = QGridLayout()
        grid.addWidget(QLabel("工资自何月起适用"), 0, 0)
        grid.addWidget(self.month, 0, 1)
        grid.setColumnStretch(2, 1)
        self.box.addLayout(grid)
        self.box.addWidget(_note(WAGE_NOTE))
        self._settle = _settler(self)
        self.month.dateChanged.connect(lambda _d: self._settle.start())

    def _importer(self) -> Importer[Any, Any]:
        from app.services.dues.bases import WageImporter, WageImportOptions

        importer: Importer[Any, Any] = WageImporter(WageImportOptions(month=self.month.value()))
        return importer
