"""The roster's part of the import wizard: what to do with members already on the roster,
and the month the file's wages and statuses apply from."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QRadioButton

from app.domain.yearmonth import YearMonth
from app.ui.date_fields import MonthEdit
from app.ui.imports.wizard import ImportOptionsPanel

if TYPE_CHECKING:
    from app.services.imports import Importer


class RosterImportPanel(ImportOptionsPanel):
    def __init__(self) -> None:
        super().__init__("花名册", "名会员", "姓名", self._importer, unit="人")
        self.skip_existing = QRadioButton("跳过名册中已有的会员")
        self.update_existing = QRadioButton("用文件中的内容更新已有会员（逐项列出变化）")
        self.skip_existing.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.skip_existing)
        group.addButton(self.update_existing)
        self.update_existing.toggled.connect(lambda _on: self.changed.emit())
        self.box.addWidget(self.skip_existing)
        self.box.addWidget(self.update_existing)
        this_month = YearMonth.of(date.today())
        self.wages_from = MonthEdit(this_month)
        self._settle = QTimer(self)  # stepping through months: one new preview when it settles
        self._settle.setSingleShot(True)
        self._settle.setInterval(400)
        self._settle.timeout.connect(self.changed.emit)
        self.wages_from.dateChanged.connect(lambda _d: self._settle.start())
        row = QHBoxLayout()
        row.addWidget(QLabel("工资自何月起适用"))
        row.addWidget(self.wages_from)
        note = QLabel("文件中的会费基数工资从这个月起使用；退休保留会籍等会籍状态也从这个月起算。")
        note.setStyleSheet("color: #555;")
        note.setWordWrap(True)
        row.addWidget(note, 1)
        self.box.addLayout(row)

    def _importer(self) -> Importer[Any, Any]:
        from app.services.roster.importer import RosterImporter, RosterOptions

        on_existing = "update" if self.update_existing.isChecked() else "skip"
        return RosterImporter(RosterOptions(on_existing=on_existing, wages_from=self.wages_from.value()))
