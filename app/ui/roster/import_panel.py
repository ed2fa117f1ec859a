"""The roster's part of the import wizard: what to do with members already on the roster."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QButtonGroup, QRadioButton

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

    def _importer(self) -> Importer[Any, Any]:
        from app.services.roster.importer import RosterImporter, RosterOptions

        on_existing = "update" if self.update_existing.isChecked() else "skip"
        return RosterImporter(RosterOptions(on_existing=on_existing))
