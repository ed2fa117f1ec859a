"""设置: one tab per part of the program's housekeeping, each its own panel module."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget

from app.ui.context import AppContext
from app.ui.system.audit_panel import AuditPanel
from app.ui.system.backup_panel import BackupPanel
from app.ui.system.check_panel import CheckPanel
from app.ui.system.password_panel import PasswordPanel
from app.ui.system.profile_panel import ProfilePanel


class SettingsPage(QTabWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.profile = ProfilePanel(context)
        self.addTab(self.profile, "本工会信息与分组")
        self.addTab(AuditPanel(context), "操作日志")
        self.addTab(BackupPanel(context), "备份与恢复")
        self.addTab(CheckPanel(context), "数据检查")
        self.addTab(PasswordPanel(context), "启动密码")

    def show_tab(self, panel: QWidget) -> None:
        self.setCurrentWidget(panel)
