"""The activities' part of the import wizard: the expense ledger kept in Excel (活动经费支出
台账, one row per expense), the year for dates written without one, and where the 科目
words answered in the wizard are kept."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QGridLayout, QLabel, QSpinBox

from app.ui.imports.wizard import ImportOptionsPanel

if TYPE_CHECKING:
    from app.services.imports import Importer


class LedgerImportPanel(ImportOptionsPanel):
    def __init__(self, year: int | None = None) -> None:
        super().__init__("活动经费台账", "笔活动支出", "活动", self._importer, unit="行")
        self.answers_note = "说明过的科目写法会被记住，以后导入时直接认得。"
        this_year = date.today().year
        self.year = QSpinBox()
        self.year.setRange(1990, this_year + 5)
        self.year.setValue(year or this_year)
        self.year.setSuffix(" 年")
        grid = QGridLayout()
        grid.addWidget(QLabel("日期没有写年份时（如 4月5日）按"), 0, 0)
        grid.addWidget(self.year, 0, 1)
        grid.setColumnStretch(2, 1)
        self.box.addLayout(grid)
        note = QLabel(
            "同一活动名称的各行归为一项活动，每行记为它的一笔支出；人数写在其中一行即可。"
            "科目按编码、名称或“职工活动支出—文体活动”等写法识别，认不出的会请您说明。"
            "超过开支标准的历史支出照样导入并标出，原因记为待补。"
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.box.addWidget(note)
        self.year.valueChanged.connect(lambda _v: self.changed.emit())

    def _importer(self) -> Importer[Any, Any]:
        from app.services.activities.import_ledger import LedgerImporter, LedgerImportOptions

        importer: Importer[Any, Any] = LedgerImporter(LedgerImportOptions(year=self.year.value()))
        return importer
