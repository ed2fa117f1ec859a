"""The main window: sidebar, pages, the 文件 menu (新建 / 打开账套, recent files), shortcuts."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from app import APP_TITLE
from app.domain.union import ProfileData
from app.ui.activities.page import ActivitiesPage
from app.ui.care.page import CarePage
from app.ui.context import PROFILE, AppContext, Changes
from app.ui.dues.page import DuesPage
from app.ui.operations import read_operation, run_operation, show_error, wait_for_operations
from app.ui.placeholder_page import PlaceholderPage
from app.ui.reports.home_page import HomePage, open_target
from app.ui.reports.report_page import ReportPage
from app.ui.roster.page import RosterPage
from app.ui.startup import OpenedDatabase, Startup, open_with_first_page
from app.ui.system.access import WindowAccess
from app.ui.system.settings_page import SettingsPage
from app.ui.ui_settings import forget_recent, recent_files, remember_recent, ui_settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.db import Database
    from app.services.roster import Roster
    from app.services.system import Admission

T = TypeVar("T")
PAGES = ("首页", "会员名册", "会费", "慰问帮扶", "活动经费", "报表", "设置")
_DB_FILTER = "UnionDesk 账套 (*.db);;所有文件 (*)"


class MainWindow(QMainWindow):
    roster_ready = Signal()
    open_failed = Signal(str)

    def __init__(self, *, warn_on_open_failure: bool = True) -> None:
        super().__init__()
        self._warn_on_open_failure = warn_on_open_failure
        self.context = AppContext()
        self.setWindowTitle(APP_TITLE)
        self.sidebar = QListWidget()
        self.sidebar.addItems(PAGES)
        self.sidebar.setFixedWidth(120)
        self.sidebar.setStyleSheet(
            "QListWidget { font-size: 12pt; background: #2b3a4f; color: #e8edf3; border: none; }"
            "QListWidget::item { padding: 10px 14px; }"
            "QListWidget::item:selected { background: #3f6aa8; color: white; }"
        )
        self.stack = QStackedWidget()
        self.home = HomePage(self.context)
        self.roster = RosterPage(self.context)
        self.dues = DuesPage(self.context)
        self.care = CarePage(self.context)
        self.activities = ActivitiesPage(self.context)
        self.reports = ReportPage(self.context)
        self.settings_page = SettingsPage(self.context)
        pages: dict[str, QWidget] = {
            "首页": self.home,
            "会员名册": self.roster,
            "会费": self.dues,
            "慰问帮扶": self.care,
            "活动经费": self.activities,
            "报表": self.reports,
            "设置": self.settings_page,
        }
        for name in PAGES:
            self.stack.addWidget(pages.get(name) or PlaceholderPage(name))
        self.sidebar.currentRowChanged.connect(self.stack.setCurrentIndex)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.db_label = QLabel("未打开账套")
        self.statusBar().addPermanentWidget(self.db_label)
        self._build_menus()
        self.home.open_roster.connect(lambda: self.show_page("会员名册"))
        self.home.new_member.connect(self.new_member)
        self.home.open_target.connect(lambda target: open_target(self, target))
        self.roster.ready.connect(self.roster_ready)
        self.context.changed.connect(self._changed)
        self._restore_geometry()
        self.show_page("会员名册")

    # -- menus -------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        self._action(file_menu, "新建账套…", self.new_database, QKeySequence("Ctrl+Shift+N"))
        self._action(file_menu, "打开账套…", self.choose_database, QKeySequence.StandardKey.Open)
        self.recent_menu = file_menu.addMenu("最近打开")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        self._action(file_menu, "退出", self.close, QKeySequence("Ctrl+Q"))
        member_menu = self.menuBar().addMenu("会员(&M)")
        self._action(member_menu, "新增会员…", self.new_member, QKeySequence.StandardKey.New)
        self._action(member_menu, "查找会员", self.find_member, QKeySequence.StandardKey.Find)
        member_menu.addSeparator()
        self._action(member_menu, "导入花名册…", self.import_roster)
        self._action(member_menu, "导出花名册…", self.export_roster)
        self._action(member_menu, "下载导入模板…", self.roster.save_template)
        dues_menu = self.menuBar().addMenu("会费(&D)")
        self._action(dues_menu, "登记缴费…", self.record_payment)
        self._action(dues_menu, "批量收缴…", lambda: self._on_dues_page().batch())
        self._action(dues_menu, "生成应缴…", lambda: self._on_dues_page().roll())
        dues_menu.addSeparator()
        self._action(dues_menu, "欠缴名单", lambda: self._on_dues_page().show_arrears())
        dues_menu.addSeparator()
        self._action(dues_menu, "应缴生成记录…", lambda: self._on_dues_page().show_rolls())
        self._action(dues_menu, "免缴设置…", self.exemptions)
        self._action(dues_menu, "会费标准…", lambda: self._on_dues_page().rules())
        dues_menu.addSeparator()
        self._action(dues_menu, "导入已收会费…", lambda: self._on_dues_page().import_dues())
        self._action(dues_menu, "导入工资表…", lambda: self._on_dues_page().import_wages())
        help_menu = self.menuBar().addMenu("帮助(&H)")
        self._action(help_menu, "关于 UnionDesk", self.about)

    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        files = recent_files()
        if not files:
            self.recent_menu.addAction("（无）").setEnabled(False)
        for path in files:
            action = self.recent_menu.addAction(str(path))
            action.triggered.connect(lambda _checked=False, p=path: self.open_database(p))

    def show_page(self, name: str) -> None:
        self.sidebar.setCurrentRow(PAGES.index(name))

    def new_member(self) -> None:
        self.show_page("会员名册")
        self.roster.add_member()

    def import_roster(self) -> None:
        self.show_page("会员名册")
        self.roster.import_roster()

    def export_roster(self) -> None:
        self.show_page("会员名册")
        self.roster.export_roster(mask=False)

    def _on_dues_page(self) -> DuesPage:
        self.show_page("会费")
        return self.dues

    def _roster_member(self) -> int | None:
        """The member selected in the roster when it is the page shown: 会费 actions started
        there are about that member (on the dues page, the one selected in the grid)."""
        return self.roster.current_member_id() if self.stack.currentWidget() is self.roster else None

    def record_payment(self) -> None:
        member_id = self._roster_member()
        self._on_dues_page().record_payment(member_id)

    def exemptions(self) -> None:
        member_id = self._roster_member()
        self._on_dues_page().exemptions(member_id)

    def find_member(self) -> None:
        self.show_page("会员名册")
        self.roster.focus_search()

    def about(self) -> None:
        from app.ui.about_dialog import AboutDialog

        AboutDialog(self, self.context.db.path if self.context.db else None).exec()

    # -- 账套 -------------------------------------------------------------------------------------
    def open_database(self, path: Path, startup: Startup | None = None) -> None:
        """Open in the background; pages load once the 账套 is ready.

        First the window takes the 账套's lock (another window has it: refused) and asks what
        must be asked before any of its data shows: a warning for a network share, the
        启动密码 (WindowAccess). Cancelled at start, the program ends; later, the 账套 shown
        before stays. With ``startup`` (begun before the window existed), the roster's first
        page is shown as soon as it has been read and the password given, before the
        database layer has finished loading.
        """
        from app.services.system import admit_window

        access = WindowAccess.of(self, self.context)

        def failed(error: BaseException) -> None:
            access.discard(path)
            self._open_failed(path, error)

        def stopped(error: BaseException | None) -> None:
            if startup is not None:
                startup.discard()  # what it opened meanwhile is never shown
            if error is not None:  # nobody to ask (gui --quit-when-ready)
                self._open_failed(path, error)
            elif startup is not None:
                self.close()

        label = "正在打开账套……"

        def proceed() -> None:
            if startup is None:
                work = lambda _p: open_with_first_page(path)  # noqa: E731
                run_operation(self, work, on_success=self._opened, on_failure=failed, label=label)
                return
            peek = lambda _p: startup.first_page.result()  # noqa: E731
            run_operation(self, peek, on_success=first_page_read, on_failure=failed, label=label)

        def first_page_read(page: Roster | None) -> None:
            assert startup is not None
            if page is not None:
                self.roster.show_preview(page)
            wait = lambda _p: startup.opened.result()  # noqa: E731
            run_operation(self, wait, on_success=self._opened, on_failure=failed, label=label)

        def admitted(admission: Admission) -> None:
            access.admit(admission, at_start=startup is not None, proceed=proceed, stop=stopped)

        admit = (lambda _p: startup.admission.result()) if startup else (lambda _p: admit_window(path))
        run_operation(self, admit, on_success=admitted, on_failure=failed, label=label)

    def _opened(self, opened: OpenedDatabase) -> None:
        db = opened.db
        remember_recent(db.path)
        self.context.set_database(db, opened.first_page)
        WindowAccess.of(self, self.context).opened(db.path)  # its lock kept, the previous one let go
        self.db_label.setText(f"账套：{db.path}")
        if db.migrated_backup is not None:
            self.statusBar().showMessage(
                f"账套已升级到新版本，升级前的副本保存在：{db.migrated_backup}", 15000
            )
        self._update_title()
        self._daily_backup(db)

    def _open_failed(self, path: Path, error: BaseException) -> None:
        from app.db_file import DatabaseOpenError, LockedDatabaseError

        if isinstance(error, DatabaseOpenError):
            if not isinstance(
                error, LockedDatabaseError
            ):  # in use elsewhere, or behind a password: still hers
                forget_recent(path)
            self.open_failed.emit(str(error))
            if self._warn_on_open_failure:
                QMessageBox.warning(
                    self, "无法打开账套", f"{error}\n\n可以用“文件 → 打开账套”选择其他账套，或新建一个。"
                )
        else:
            show_error(self, error)

    def _daily_backup(self, db: Database) -> None:
        """The day's 每日 backup, the first time a 账套 is opened that day: in the background,
        without a progress dialog; a failure is logged and shown in the status bar."""
        from app.ui.operations import Operation

        path = db.path

        def work(_progress: object) -> object:
            from app.services.system import daily_backup

            return daily_backup(path)

        def made(result: object) -> None:
            note = getattr(result, "note", "")
            if note:
                self.statusBar().showMessage(note, 15000)

        def failed(error: BaseException) -> None:
            logging.getLogger(__name__).warning("今天的自动备份没有完成：%s", error)
            self.statusBar().showMessage(f"今天的自动备份没有完成：{error}", 15000)

        Operation(self, "正在备份……", work, made, failed, False, quiet=True).start()

    def _backup_on_exit(self, db: Database) -> None:
        """The 退出时 backup, when this run changed the 账套 (else the day's backup holds what
        it holds). Closing never waits on a failure: it is logged."""
        if db.writes == 0:
            return
        try:
            from app.services.system import exit_backup

            exit_backup(db.path)
        except Exception:  # the window closes whatever happened to the backup
            logging.getLogger(__name__).exception("退出时的自动备份没有完成")

    def reopen_database(
        self, between: Callable[[Path], T], on_done: Callable[[T], None], label: str = "正在处理……"
    ) -> None:
        """Close the open 账套, run ``between(path)`` in the background while nothing uses it
        (a restore writes the file), then open it again and call ``on_done(result)``. When
        ``between`` fails, the error is shown and the file is opened again as it is."""
        db = self.context.db
        if db is None:
            return
        wait_for_operations(10_000)
        self.context.db = None  # no page starts a read or a write on it meanwhile
        db.close()
        path = db.path

        def done(result: T) -> None:
            self.open_database(path)
            on_done(result)

        def failed(error: BaseException) -> None:
            self.open_database(path)
            show_error(self, error)

        run_operation(self, lambda _p: between(path), on_success=done, on_failure=failed, label=label)

    def _changed(self, changes: Changes, _initiator: object) -> None:
        if changes.touches(PROFILE):
            self._update_title()

    def _update_title(self) -> None:
        db = self.context.db
        if db is None:
            return

        def work(session: Session) -> ProfileData:
            from app.services.system import get_profile

            return get_profile(session)

        def show(profile: ProfileData) -> None:
            self.setWindowTitle(f"{profile.name or db.path.name} — {APP_TITLE}")

        read_operation(self, self.context, work, on_success=show)

    def choose_database(self) -> None:
        start = str(self.context.db.path.parent) if self.context.db else str(Path.home())
        name, _ = QFileDialog.getOpenFileName(self, "打开账套", start, _DB_FILTER)
        if name:
            self.open_database(Path(name))

    def new_database(self) -> None:
        start = str(self.context.db.path.parent) if self.context.db else str(Path.home())
        name, _ = QFileDialog.getSaveFileName(self, "新建账套：选择保存位置和文件名", start, _DB_FILTER)
        if not name:
            return
        path = Path(name) if name.endswith(".db") else Path(name + ".db")
        if path.exists():
            QMessageBox.warning(self, "新建账套", f"“{path.name}”已经存在。为避免覆盖数据，请换一个文件名。")
            return
        union_name, ok = QInputDialog.getText(self, "新建账套", "工会名称（如：某某有限公司工会委员会）：")
        if not ok:
            return
        self.create_database(path, union_name)

    def create_database(self, path: Path, union_name: str) -> None:
        access = WindowAccess.of(self, self.context)

        def work(_progress: object) -> tuple[Admission, OpenedDatabase]:
            from app.services.system import admit_window, save_profile

            admission = admit_window(path)  # the new file's lock, taken before it exists
            try:
                opened = open_with_first_page(path)
                try:
                    with opened.db.session() as session:
                        save_profile(session, ProfileData(name=union_name))
                except BaseException:
                    opened.db.close()
                    raise
            except BaseException:
                admission.release()
                raise
            return admission, opened

        def created(result: tuple[Admission, OpenedDatabase]) -> None:
            admission, opened = result
            # a new file has no 启动密码: only a network share's warning may come first
            access.admit(
                admission, at_start=False, proceed=lambda: self._opened(opened), stop=lambda _e: None
            )

        run_operation(self, work, on_success=created, label="正在新建账套……")

    # -- window state -------------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = ui_settings().value("main/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.reports.confirm_close():  # an edited summary draft not saved
            self.show_page("报表")
            self.reports.tabs.setCurrentWidget(self.reports.summary)
            event.ignore()
            return
        settings = ui_settings()
        settings.setValue("main/geometry", self.saveGeometry())
        self.roster.save_state()
        self.dues.save_state()
        self.care.save_state()
        self.activities.save_state()
        self.reports.save_state()
        settings.sync()
        wait_for_operations(10_000)  # no read or write may outlive its 账套
        if self.context.db is not None:
            self.context.db.close()
            self._backup_on_exit(self.context.db)
        WindowAccess.of(self, self.context).release()  # the 账套's lock goes with the window
        super().closeEvent(event)
