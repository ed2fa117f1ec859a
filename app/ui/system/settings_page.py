"""设置: one tab per part of the program's housekeeping, each its own panel module.

A tab's panel (and its module) is made the first time the tab is shown, or its attribute
(``profile``, ``audit``, ``backup``, ``check``, ``password``) is first used: until then
the tab holds an empty placeholder. A panel made after the 账套 opened reads it at once
(``AppContext.follow_database``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from PySide6.QtWidgets import QTabWidget, QWidget

from app.ui.context import AppContext

if TYPE_CHECKING:
    from app.ui.system.audit_panel import AuditPanel
    from app.ui.system.backup_panel import BackupPanel
    from app.ui.system.check_panel import CheckPanel
    from app.ui.system.password_panel import PasswordPanel
    from app.ui.system.profile_panel import ProfilePanel


def _profile(context: AppContext) -> QWidget:
    from app.ui.system.profile_panel import ProfilePanel

    return ProfilePanel(context)


def _audit(context: AppContext) -> QWidget:
    from app.ui.system.audit_panel import AuditPanel

    return AuditPanel(context)


def _backup(context: AppContext) -> QWidget:
    from app.ui.system.backup_panel import BackupPanel

    return BackupPanel(context)


def _check(context: AppContext) -> QWidget:
    from app.ui.system.check_panel import CheckPanel

    return CheckPanel(context)


def _password(context: AppContext) -> QWidget:
    from app.ui.system.password_panel import PasswordPanel

    return PasswordPanel(context)


# key, tab title, how its panel is made — in the order of the tabs
TABS: tuple[tuple[str, str, Callable[[AppContext], QWidget]], ...] = (
    ("profile", "本工会信息与分组", _profile),
    ("backup", "备份与恢复", _backup),
    ("check", "数据检查", _check),
    ("password", "启动密码", _password),
    ("audit", "操作日志", _audit),
)
_KEYS = [key for key, _title, _make in TABS]


class SettingsPage(QTabWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._panels: dict[str, QWidget] = {}
        for _key, title, _make in TABS:
            self.addTab(QWidget(), title)
        self.currentChanged.connect(lambda index: self.panel(_KEYS[index]) if index >= 0 else None)
        self.panel(_KEYS[self.currentIndex()])  # the first tab is shown with the page

    def panel(self, key: str) -> QWidget:
        """The panel of the tab ``key``, made the first time it is asked for."""
        made = self._panels.get(key)
        if made is not None:
            return made
        index = _KEYS.index(key)
        _key, title, make = TABS[index]
        made = self._panels[key] = make(self.context)
        placeholder, current = self.widget(index), self.currentIndex()
        assert placeholder is not None
        self.blockSignals(True)  # the tabs shift while the placeholder is swapped out
        try:
            self.insertTab(index, made, title)
            self.removeTab(index + 1)
            self.setCurrentIndex(current)
        finally:
            self.blockSignals(False)
        placeholder.deleteLater()
        return made

    @property
    def profile(self) -> ProfilePanel:
        return cast("ProfilePanel", self.panel("profile"))

    @property
    def audit(self) -> AuditPanel:
        return cast("AuditPanel", self.panel("audit"))

    @property
    def backup(self) -> BackupPanel:
        return cast("BackupPanel", self.panel("backup"))

    @property
    def check(self) -> CheckPanel:
        return cast("CheckPanel", self.panel("check"))

    @property
    def password(self) -> PasswordPanel:
        return cast("PasswordPanel", self.panel("password"))

    def show_tab(self, panel: QWidget) -> None:
        self.setCurrentWidget(panel)
