"""设置 → 备份与恢复: where the 账套's backups go, a backup now (or onto a USB drive), the
list of backups and restoring one.

The backups are files, not rows: the list is read on a worker thread each time the panel is
shown and after each of its own actions. A restore closes the 账套, writes it and opens it
again; the main window does that (``reopen_database``), the panel only asks.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.context import AppContext
from app.ui.operations import run_operation, show_error, write_operation
from app.ui.tables import CENTER, RIGHT, Column, RowTableModel, RowTableView, text_column

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.db_backup import BackupFile, BackupMade
    from app.services.system import BackupOverview, FolderInfo, RestoreResult

_GREEN = "color: #2e7d32;"
_RED = "color: #a11212;"
_GREY = "color: #777;"
_DAMAGED = QColor("#a11212")

HINT = (
    "自动备份：每天第一次打开账套时；退出程序时（本次有改动时）；导入或批量写入超过 100 行之前；"
    "升级账套之前；恢复备份之前。每份备份都经过完整性检查。\n"
    "自动备份保留：当天的全部，最近 7 个有备份的日子每天最后一份，最近 12 个月每月最后一份；"
    "手动、升级前和恢复前的备份不会自动删除。"
)


@runtime_checkable
class DatabaseHost(Protocol):
    """The window that owns the open 账套 (MainWindow): it closes and reopens it."""

    def reopen_database(
        self, between: Callable[[Path], Any], on_done: Callable[[Any], None], label: str
    ) -> None: ...


def choose_folder(parent: QWidget, title: str, start: Path) -> Path | None:
    """The folder the user picks (None: cancelled); tests replace it."""
    chosen = QFileDialog.getExistingDirectory(parent, title, str(start))
    return Path(chosen) if chosen else None


def choose_backup_file(parent: QWidget, start: Path) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(
        parent, "选择要恢复的备份文件", str(start), "UnionDesk 备份 (*.db);;所有文件 (*)"
    )
    return Path(name) if name else None


def confirm_restore(parent: QWidget, text: str) -> bool:
    """The user's yes to a restore, with buttons that say what they do; tests replace it."""
    box = QMessageBox(QMessageBox.Icon.Warning, "恢复备份", text, parent=parent)
    restore = box.addButton("恢复", QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is restore


def tell(parent: QWidget, title: str, text: str) -> None:
    """A message the user reads and closes; tests replace it."""
    QMessageBox.information(parent, title, text)


def restore_question(db_path: Path, backup: Path, described: BackupFile | None) -> str:
    what = (
        f"{described.made:%Y-%m-%d %H:%M} 的“{described.kind}”备份"
        if described
        else f"备份文件“{backup.name}”"
    )
    return (
        f"将用 {what} 替换账套“{db_path.name}”中现在的全部数据。\n\n"
        "现在的数据不会丢失：恢复之前，程序会先把它另存为一份“恢复前”备份，需要时可以再恢复回来。"
        "（如果账套文件已损坏，会把它改名保留在原处。）\n\n"
        "恢复后程序会重新打开账套。确定恢复吗？"
    )


def restored_text(result: RestoreResult) -> str:
    lines = [f"已用备份“{result.source.name}”恢复账套。"]
    if result.kept is None:
        lines.append("原来没有账套文件，没有需要保留的数据。")
    elif result.kept_damaged:
        lines.append(f"原来的账套文件已损坏，已改名保留为：\n{result.kept}")
    else:
        lines.append(f"恢复前的数据已另存为：\n{result.kept}")
    if result.note:
        lines.append(result.note)
    if result.upgrade_needed:
        lines.append("这份备份来自旧版本的 UnionDesk，已自动升级（升级前又备份了一份）。")
    return "\n\n".join(lines)


def _made(row: BackupFile) -> str:
    return f"{row.made:%Y-%m-%d %H:%M}"


def _state(row: BackupFile) -> str:
    return "已校验" if row.intact else "文件不完整"


COLUMNS: tuple[Column[BackupFile], ...] = (
    Column("made", "备份时间", 130, _made, lambda r: r.order, hideable=False),
    text_column("kind", "类型", 90),
    Column("size", "大小", 80, lambda r: r.size_text, lambda r: r.size, alignment=RIGHT),
    Column("intact", "完整性", 80, _state, lambda r: r.intact, alignment=CENTER,
           foreground=lambda r: None if r.intact else _DAMAGED),
    Column("file", "文件", 360, lambda r: r.path.name, lambda r: r.path.name, tooltip=lambda r: str(r.path)),
)  # fmt: skip


class BackupPanel(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.folder: FolderInfo | None = None

        self.folder_label = QLabel("未打开账套")
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_problem = QLabel()
        self.folder_problem.setWordWrap(True)
        self.folder_problem.setStyleSheet(_RED)
        self.folder_problem.hide()
        self.choose_button = QPushButton("选择文件夹…")
        self.choose_button.clicked.connect(self.choose_folder)
        self.default_button = QPushButton("恢复默认文件夹")
        self.default_button.clicked.connect(self.reset_folder)
        self.open_button = QPushButton("打开备份文件夹")
        self.open_button.clicked.connect(self.open_folder)
        folder_buttons = QHBoxLayout()
        for button in (self.choose_button, self.default_button, self.open_button):
            folder_buttons.addWidget(button)
        folder_buttons.addStretch(1)
        folder_box = QGroupBox("备份文件夹")
        folder_layout = QVBoxLayout(folder_box)
        folder_layout.addWidget(self.folder_label)
        folder_layout.addWidget(self.folder_problem)
        folder_layout.addLayout(folder_buttons)
        usb = QLabel("可以选 U 盘或移动硬盘上的文件夹。U 盘没插时，备份会暂时保存在默认文件夹，不会丢。")
        usb.setStyleSheet(_GREY)
        usb.setWordWrap(True)
        folder_layout.addWidget(usb)

        self.backup_button = QPushButton("立即备份")
        self.backup_button.clicked.connect(self.backup_now)
        self.backup_to_button = QPushButton("备份到其他文件夹…")
        self.backup_to_button.clicked.connect(self.backup_elsewhere)
        self.status = QLabel()
        self.status.setWordWrap(True)
        actions = QHBoxLayout()
        actions.addWidget(self.backup_button)
        actions.addWidget(self.backup_to_button)
        actions.addWidget(self.status, 1)

        self.model: RowTableModel[BackupFile] = RowTableModel(COLUMNS, row_id=lambda r: r.path)
        self.table = RowTableView(
            "system_backups", self.model, default_sort=("made", Qt.SortOrder.DescendingOrder)
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        self.count_label = QLabel()
        self.count_label.setStyleSheet(_GREY)
        self.restore_button = QPushButton("恢复所选备份…")
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button = QPushButton("从其他备份文件恢复…")
        self.restore_file_button.clicked.connect(self.restore_from_file)
        restore_buttons = QHBoxLayout()
        restore_buttons.addWidget(self.restore_button)
        restore_buttons.addWidget(self.restore_file_button)
        restore_buttons.addStretch(1)
        restore_buttons.addWidget(self.count_label)

        list_box = QGroupBox("备份")
        list_layout = QVBoxLayout(list_box)
        list_layout.addLayout(actions)
        list_layout.addWidget(self.table, 1)
        list_layout.addLayout(restore_buttons)
        hint = QLabel(HINT)
        hint.setStyleSheet(_GREY)
        hint.setWordWrap(True)
        list_layout.addWidget(hint)

        layout = QVBoxLayout(self)
        layout.addWidget(folder_box)
        layout.addWidget(list_box, 1)
        self._enable()
        context.database_opened.connect(lambda _db: self.refresh())

    # -- reading -------------------------------------------------------------------------
    def _db_path(self) -> Path | None:
        return self.context.db.path if self.context.db is not None else None

    def _enable(self) -> None:
        opened = self._db_path() is not None
        for button in (
            self.choose_button, self.default_button, self.open_button, self.backup_button,
            self.backup_to_button, self.restore_button, self.restore_file_button,
        ):  # fmt: skip
            button.setEnabled(opened)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()  # automatic backups come and go while the panel is hidden

    def refresh(self) -> None:
        self._enable()
        path = self._db_path()
        if path is None:
            return

        def work(_progress: object) -> BackupOverview:
            from app.services.system import backup_overview

            return backup_overview(path)

        run_operation(self, work, on_success=self._show, label="正在读取备份……")

    def _show(self, found: BackupOverview) -> None:
        info = self.folder = found.folder
        if info.chosen is None:
            self.folder_label.setText(f"{info.folder}（默认文件夹）")
        else:
            self.folder_label.setText(str(info.chosen))
        self.folder_problem.setText(
            f"{info.problem}。现在的备份会暂时保存在默认文件夹“{info.default}”中。" if info.problem else ""
        )
        self.folder_problem.setVisible(bool(info.problem))
        self.default_button.setEnabled(info.chosen is not None)
        self.model.set_rows(found.backups)
        self.count_label.setText(f"共 {len(found.backups)} 份备份" if found.backups else "还没有备份")

    # -- the folder ----------------------------------------------------------------------
    def choose_folder(self) -> None:
        start = self.folder.folder if self.folder is not None else Path.home()
        chosen = choose_folder(self, "选择备份文件夹", start)
        if chosen is not None:
            self._set_folder(chosen)

    def reset_folder(self) -> None:
        self._set_folder(None)

    def _set_folder(self, folder: Path | None) -> None:
        path = self._db_path()
        if path is None:
            return

        def work(session: Session) -> FolderInfo:
            from app.services.system import set_backup_folder

            return set_backup_folder(session, path, folder)

        def saved(info: FolderInfo) -> None:
            self._say(f"以后的备份将保存在：{info.folder}", _GREEN)
            self.refresh()

        write_operation(self, self.context, work, on_success=saved)

    def open_folder(self) -> None:
        if self.folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder.folder)))

    # -- backing up ----------------------------------------------------------------------
    def backup_now(self) -> None:
        self._backup(None)

    def backup_elsewhere(self) -> None:
        chosen = choose_folder(self, "备份到哪个文件夹（如 U 盘）", Path.home())
        if chosen is not None:
            self._backup(chosen)

    def _backup(self, to: Path | None) -> None:
        path = self._db_path()
        if path is None:
            return

        def work(_progress: object) -> BackupMade:
            from app.services.system import backup_now

            return backup_now(path, to=to)

        def made(result: BackupMade) -> None:
            text = f"已备份：{result.backup.path}（{result.backup.size_text}，已通过完整性检查）"
            self._say(f"{text}\n{result.note}" if result.note else text, _GREEN)
            self.refresh()

        def failed(error: BaseException) -> None:
            self._say("备份没有完成。", _RED)
            show_error(self, error)

        self._say("正在备份……", _GREY)
        run_operation(self, work, on_success=made, on_failure=failed, label="正在备份……")

    def _say(self, text: str, style: str) -> None:
        self.status.setStyleSheet(style)
        self.status.setText(text)

    # -- restoring -----------------------------------------------------------------------
    def restore_selected(self) -> None:
        backup: BackupFile | None = self.table.current_row()
        if backup is None:
            tell(self, "恢复备份", "请先在列表中选中要恢复的备份。")
            return
        self.restore(backup.path, backup)

    def restore_from_file(self) -> None:
        start = self.folder.folder if self.folder is not None else Path.home()
        chosen = choose_backup_file(self, start)
        if chosen is not None:
            self.restore(chosen, None)

    def restore(self, backup: Path, described: BackupFile | None = None) -> None:
        """Ask, then have the window close the 账套, restore it and open it again."""
        path = self._db_path()
        host = self.window()
        if path is None:
            return
        if not isinstance(host, DatabaseHost):
            tell(self, "恢复备份", "请在主窗口的“设置 → 备份与恢复”中恢复备份。")
            return
        if not confirm_restore(self, restore_question(path, backup, described)):
            return

        def between(db_path: Path) -> RestoreResult:
            from app.services.system import restore_backup

            return restore_backup(db_path, backup)

        def done(result: RestoreResult) -> None:
            self._say(f"已用备份“{result.source.name}”恢复账套。", _GREEN)
            tell(self, "恢复备份", restored_text(result))

        host.reopen_database(between, done, "正在恢复备份……")
