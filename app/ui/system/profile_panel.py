"""设置 → 本工会信息与分组: the union profile and the group tree (分会 / 工会小组 / 部门)."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.members import GROUP_KINDS
from app.domain.union import PROFILE_LABELS, PROVINCES, GroupInfo, ProfileData
from app.services.errors import ValidationError
from app.ui.context import GROUPS, MEMBERS, PROFILE, AppContext, Changes, RefreshWhenShown
from app.ui.operations import read_operation, show_error, write_operation
from app.ui.widgets import ErrorLabel, combo, combo_value, set_combo_value

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def _profile() -> ModuleType:
    """The profile service, imported on first use (in a worker thread, not at start-up)."""
    import app.services.system.profile

    return app.services.system.profile


def _groups() -> ModuleType:
    """The group service, imported on first use (in a worker thread, not at start-up)."""
    import app.services.roster

    return app.services.roster


class ProfilePanel(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.profile_fields: dict[str, QLineEdit | QComboBox] = {}
        self.profile_errors: dict[str, ErrorLabel] = {}
        form = QFormLayout()
        for key, label in PROFILE_LABELS.items():
            widget: QLineEdit | QComboBox = (
                combo(PROVINCES, blank="请选择") if key == "province" else QLineEdit()
            )
            self.profile_fields[key] = widget
            self.profile_errors[key] = ErrorLabel()
            form.addRow(label + (" *" if key == "name" else ""), widget)
            form.addRow("", self.profile_errors[key])
        self.profile_fields["name"].setPlaceholderText("如：某某有限公司工会委员会")
        self.save_profile_button = QPushButton("保存本工会信息")
        self.save_profile_button.clicked.connect(self.save_profile)
        self.saved_label = QLabel()
        self.saved_label.setStyleSheet("color: #2e7d32;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_profile_button)
        buttons.addWidget(self.saved_label)
        buttons.addStretch(1)
        profile_box = QGroupBox("本工会信息")
        profile_layout = QVBoxLayout(profile_box)
        profile_layout.addLayout(form)
        profile_layout.addLayout(buttons)
        hint = QLabel("省份决定慰问标准的默认值；工会名称、主席和经办人会印在报表和签领表上。")
        hint.setStyleSheet("color: #777;")
        hint.setWordWrap(True)
        profile_layout.addWidget(hint)
        profile_layout.addStretch(1)

        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["名称", "类型", "会员数"])
        self.tree.setColumnWidth(0, 220)
        add_top = QPushButton("新增分组")
        add_top.clicked.connect(lambda: self.add_group(child=False))
        add_child = QPushButton("新增下级")
        add_child.clicked.connect(lambda: self.add_group(child=True))
        rename = QPushButton("修改")
        rename.clicked.connect(self.edit_group)
        remove = QPushButton("删除")
        remove.clicked.connect(self.delete_group)
        group_buttons = QHBoxLayout()
        for button in (add_top, add_child, rename, remove):
            group_buttons.addWidget(button)
        group_buttons.addStretch(1)
        groups_box = QGroupBox("分组（分会、工会小组、部门）")
        groups_layout = QVBoxLayout(groups_box)
        groups_layout.addWidget(self.tree)
        groups_layout.addLayout(group_buttons)

        layout = QHBoxLayout(self)
        layout.addWidget(profile_box, 1)
        layout.addWidget(groups_box, 1)
        # Read when a 账套 opens; after a change, again when on screen (or next shown). The
        # form is not read again after its own profile save: that would undo typing since.
        context.follow_database(lambda _db: self.refresh())
        self.refresher = RefreshWhenShown(
            self, context, (GROUPS, MEMBERS, PROFILE), self.refresh, handled=self._own_profile_save
        )

    # -- loading ------------------------------------------------------------------------------
    def _write(
        self, work: Callable[[Session], Any], on_success: Callable[[Any], None] | None = None, **kwargs: Any
    ) -> None:
        write_operation(self, self.context, work, on_success=on_success, **kwargs)

    def refresh(self) -> None:
        read_operation(
            self,
            self.context,
            lambda s: (_profile().get_profile(s), _groups().list_groups(s)),
            on_success=self._show,
        )

    def _own_profile_save(self, changes: Changes, initiator: object) -> bool:
        return initiator is self and not changes.touches(GROUPS, MEMBERS)

    def _show(self, loaded: tuple[ProfileData, list[GroupInfo]]) -> None:
        profile, groups = loaded
        for key, widget in self.profile_fields.items():
            value = getattr(profile, key)
            if isinstance(widget, QComboBox):
                set_combo_value(widget, value)
            else:
                widget.setText(value)
        self.tree.clear()
        items: dict[int, QTreeWidgetItem] = {}
        for group in groups:
            parent = items.get(group.parent_id) if group.parent_id else None
            item = QTreeWidgetItem([group.name, group.kind, str(group.total_count)])
            item.setData(0, Qt.ItemDataRole.UserRole, group)
            if parent is None:
                self.tree.addTopLevelItem(item)
            else:
                parent.addChild(item)
            items[group.id] = item
        self.tree.expandAll()

    # -- profile ----------------------------------------------------------------------------------
    def save_profile(self) -> None:
        data = ProfileData(
            **{
                key: combo_value(w) if isinstance(w, QComboBox) else w.text()
                for key, w in self.profile_fields.items()
            }
        )
        self.saved_label.clear()

        def failed(error: BaseException) -> None:
            if isinstance(error, ValidationError):
                for key, label in self.profile_errors.items():
                    label.show_message(error.errors.get(key, ""))
            else:
                show_error(self, error)

        def saved(_result: object) -> None:
            for label in self.profile_errors.values():
                label.show_message("")
            self.saved_label.setText("已保存")

        self._write(lambda s: _profile().save_profile(s, data), saved, on_failure=failed)

    # -- groups -------------------------------------------------------------------------------------
    def _selected_group(self) -> GroupInfo | None:
        item = self.tree.currentItem()
        return None if item is None else item.data(0, Qt.ItemDataRole.UserRole)

    def _ask(self, title: str, name: str = "", kind: str = "部门") -> tuple[str, str] | None:
        name, ok = QInputDialog.getText(self, title, "名称：", QLineEdit.EchoMode.Normal, name)
        if not ok:
            return None
        kinds = list(GROUP_KINDS)
        chosen, ok = QInputDialog.getItem(self, title, "类型：", kinds, kinds.index(kind), False)
        return (name, chosen) if ok else None

    def add_group(self, *, child: bool) -> None:
        parent = self._selected_group() if child else None
        if child and parent is None:
            QMessageBox.information(self, "新增下级", "请先在左边选中上级分组。")
            return
        answer = self._ask(
            f"在“{parent.name}”下新增分组" if parent else "新增分组", kind="工会小组" if parent else "分会"
        )
        if answer is None:
            return
        parent_id = parent.id if parent else None
        self._write(lambda s: _groups().add_group(s, answer[0], answer[1], parent_id))

    def edit_group(self) -> None:
        group = self._selected_group()
        if group is None:
            return
        answer = self._ask("修改分组", group.name, group.kind)
        if answer is not None:
            self._write(lambda s: _groups().update_group(s, group.id, *answer))

    def delete_group(self) -> None:
        group = self._selected_group()
        if group is None:
            return
        confirm = QMessageBox.question(self, "删除分组", f"确定删除分组“{group.name}”吗？")
        if confirm == QMessageBox.StandardButton.Yes:
            self._write(lambda s: _groups().delete_group(s, group.id))
