"""设置: one tab per part of the program's housekeeping, each its own panel module."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget

from app.ui.context import AppContext
from app.ui.system.profile_panel import ProfilePanel


class SettingsPage(QTabWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.profile = ProfilePanel(context)
        self.addTab(self.profile, "本工会信息与分组")

    def show_tab(self, panel: QWidget) -> None:
        self.setCurrentWidget(panel)
