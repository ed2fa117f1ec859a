"""The care part of the import wizard: the year's 慰问登记表, the year for dates written
without one (1月2日), and where the words answered in the wizard are kept."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QGridLayout, QLabel, QSpinBox

from app.ui.imports.wizard import ImportOptionsPanel

if TYPE_CHECKING:
    from app.services.imports import Importer


class CareImportPanel(ImportOptionsPanel):
    def __init__(self, year: int | None = None) -> None:
        super().__init__("慰问登记表", "条慰问记录", "姓名", self._importer, unit="行")
        self.answers_note = "说明过的写法记在“慰问帮扶”页的“慰问事由用语”中，以后可以在那里修改或删除。"
        this_year = date.today().year
        self.year = QSpinBox()
        self.year.setRange(1990, this_year)
        self.year.setValue(year or this_year)
        self.year.setSuffix(" 年")
        grid = QGridLayout()
        grid.addWidget(QLabel("日期没有写年份时（如 1月2日）按"), 0, 0)
        grid.addWidget(self.year, 0, 1)
        grid.setColumnStretch(2, 1)
        self.box.addLayout(grid)
        note = QLabel(
            "超过慰问标准的历史记录照样导入并标出，原因记为“导入的历史记录，请补充原因”；"
            "购物卡、代金券等不能发放，这样的行作为错误列出（生日慰问发指定蛋糕店的蛋糕券是允许的）。"
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.box.addWidget(note)
        self.year.valueChanged.connect(lambda _v: self.changed.emit())

    def _importer(self) -> Importer[Any, Any]:
        from app.services.care import CareImporter, CareImportOptions

        importer: Importer[Any, Any] = CareImporter(CareImportOptions(year=self.year.value()))
        return importer
