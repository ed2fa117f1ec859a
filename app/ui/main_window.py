"""The main window: sidebar, pages, the 文件 menu (新建 / 打开账套, recent files), shortcuts.

The window is made with the start page (会员名册) only. Every other page — and its module —
is made the first time it is shown or used: ``window.home``, ``window.dues`` … are
properties that make the page on first use, so menus and code that act on a page simply
ask for it. A page made after the 账套 opened reads it at once (``AppContext.follow_database``)
and hears every ``changed`` from then on; what changed before it was made, it reads anyway.
The 首页's figures are read at every open without the page (``HomeFigures``), before the
roster's rows past its first page, so the figures are ready when the 首页 is first shown.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QWidget,
)

from app import APP_TITLE
from app.domain.union import ProfileData
from app.ui.context import PROFILE, AppContext, Changes
from app.ui.lifetime import alive
from app.ui.operations import read_operation, run_operation, show_error, wait_for_operations
from app.ui.reports.home_figures import HomeFigures
from app.ui.roster.page import RosterPage
from app.ui.startup import OpenedDatabase, Startup, open_with_first_page
from app.ui.system.access import WindowAccess
from app.ui.ui_settings import forget_recent, recent_files, remember_recent, ui_settings
from app.ui.widgets import ElidedLabel

# The file dialogs and message boxes are imported where they are opened: made before the
# window first shows, their classes (and their enums) would cost every start.
if TYPE_CHECKING:
    from concurrent.futures import Future

    from sqlalchemy.orm import Session

    from app.db import Database
    from app.services.reports import DashboardFigures
    from app.services.roster import Roster
    from app.services.system import Admission
    from app.ui.activities.page import ActivitiesPage
    from app.ui.care.page import CarePage
    from app.ui.dues.page import DuesPage
    from app.ui.reports.home_page import HomePage
    from app.ui.reports.report_page import ReportPage
    from app.ui.system.settings_page import SettingsPage

T = TypeVar("T")
PAGES = ("首页", "会员名册", "会费", "慰问帮扶", "活动经费", "报表", "设置")
_DB_FILTER = "UnionDesk 账套 (*.db);;所有文件 (*)"
_PATH_WIDTH = 460  # pixels at most for the 账套's path in the status bar
# The roster's rows past its first page are read once the 首页's figures are in, so the two
# do not share the machine; at the latest this long after the open.
ROSTER_AFTER_FIGURES_MS = 1000
# The day's first backup checks a whole copy of the 账套 (seconds for a large one): it waits
# until the window has shown what it opens with.
DAILY_BACKUP_DELAY_MS = 5000


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
        self.home_figures = HomeFigures(self.context, self)
        self.roster = RosterPage(self.context)
        self._makers: dict[str, Callable[[], QWidget]] = {
            "首页": self._make_home,
            "会费": self._make_dues,
            "慰问帮扶": self._make_care,
            "活动经费": self._make_activities,
            "报表": self._make_reports,
            "设置": self._make_settings,
        }
        self._pages: dict[str, QWidget] = {"会员名册": self.roster}
        for name in PAGES:  # a placeholder holds each page's place until it is made
            self.stack.addWidget(self._pages.get(name) or QWidget())
        self.sidebar.currentRowChanged.connect(lambda row: self.stack.setCurrentWidget(self.page(PAGES[row])))
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        # a deep folder's path is shortened in its middle (the whole in its tooltip): as wide as
        # its text, the label made the window wider than a 1024-pixel screen
        self.db_label = ElidedLabel("未打开账套", elide=Qt.TextElideMode.ElideMiddle)
        self.db_label.setMaximumWidth(_PATH_WIDTH)  # room left for the status bar's messages
        self.statusBar().addPermanentWidget(self.db_label)
        self._build_menus()
        self.roster.ready.connect(self.roster_ready)
        self.context.changed.connect(self._changed)
        self._closed = False
        self._restore_geometry()
        self.show_page("会员名册")

    # -- pages, made when first shown ----------------------------------------------------------
    def page(self, name: str) -> QWidget:
        """The page called ``name`` (one of PAGES), made the first time it is asked for."""
        made = self._pages.get(name)
        if made is not None:
            return made
        made = self._pages[name] = self._makers[name]()
        index = PAGES.index(name)
        placeholder = self.stack.widget(index)
        assert placeholder is not None
        self.stack.insertWidget(index, made)  # the current page stays current
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        return made

    def is_made(self, name: str) -> bool:
        """Whether the page called ``name`` has been made yet."""
        return name in self._pages

    def _make_home(self) -> QWidget:
        from app.ui.reports.home_page import HomePage, open_target

        home = HomePage(self.context, figures=self.home_figures)
        home.open_roster.connect(lambda: self.show_page("会员名册"))
        home.new_member.connect(self.new_member)
        home.open_target.connect(lambda target: open_target(self, target))
        return home

    def _make_dues(self) -> QWidget:
        from app.ui.dues.page import DuesPage

        return DuesPage(self.context)

    def _make_care(self) -> QWidget:
        from app.ui.care.page import CarePage

        return CarePage(self.context)

    def _make_activities(self) -> QWidget:
        from app.ui.activities.page import ActivitiesPage

        return ActivitiesPage(self.context)

    def _make_reports(self) -> QWidget:
        from app.ui.reports.report_page import ReportPage

        return ReportPage(self.context)

    def _make_settings(self) -> QWidget:
        from app.ui.system.settings_page import SettingsPage

        return SettingsPage(self.context)

    @property
    def home(self) -> HomePage:
        return cast("HomePage", self.page("首页"))

    @property
    def dues(self) -> DuesPage:
        return cast("DuesPage", self.page("会费"))

    @property
    def care(self) -> CarePage:
        return cast("CarePage", self.page("慰问帮扶"))

    @property
    def activities(self) -> ActivitiesPage:
        return cast("ActivitiesPage", self.page("活动经费"))

    @property
    def reports(self) -> ReportPage:
        return cast("ReportPage", self.page("报表"))

    @property
    def settings_page(self) -> SettingsPage:
        return cast("SettingsPage", self.page("设置"))

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
        self._action(dues_menu, "缴费记录…", self.show_payments)
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
        self.sidebar.setCurrentRow(PAGES.index(name))  # made now if it is the first time

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

    def show_payments(self) -> None:
        member_id = self._roster_member()
        self._on_dues_page().show_payments(member_id)

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
            self.roster.drop_preview()  # a large file's first page, shown before its check failed
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
            opened = lambda o: self._opened(o, early_figures=startup.early)  # noqa: E731
            run_operation(self, wait, on_success=opened, on_failure=failed, label=label)

        def admitted(admission: Admission) -> None:
            access.admit(admission, at_start=startup is not None, proceed=proceed, stop=stopped)

        admit = (lambda _p: startup.admission.result()) if startup else (lambda _p: admit_window(path))
        run_operation(self, admit, on_success=admitted, on_failure=failed, label=label)

    def _opened(
        self, opened: OpenedDatabase, early_figures: Future[DashboardFigures | None] | None = None
    ) -> None:
        """The 账套 is open: the pages read it. First what the first screen shows — the
        roster's first page (read already), the 首页's figures (``early_figures``: read at
        start-up beside the file's check) — then the rest of the roster."""
        from app.ui.reports.home_figures import today

        db = opened.db
        remember_recent(db.path)
        release = self.context.hold_later_reads(ROSTER_AFTER_FIGURES_MS)
        self.context.set_database(db, opened.first_page)
        self.home_figures.start(today(), early=early_figures, then=release)
        WindowAccess.of(self, self.context).opened(db.path)  # its lock kept, the previous one let go
        self.db_label.setText(f"账套：{db.path}")
        if db.migrated_backup is not None:
            self.statusBar().showMessage(
                f"账套已升级到新版本，升级前的副本保存在：{db.migrated_backup}", 15000
            )
        self._update_title()
        QTimer.singleShot(DAILY_BACKUP_DELAY_MS, self, lambda: self._daily_backup_if_open(db))

    def _open_failed(self, path: Path, error: BaseException) -> None:
        from app.db_file import DatabaseOpenError, LockedDatabaseError

        if isinstance(error, DatabaseOpenError):
            if not isinstance(
                error, LockedDatabaseError
            ):  # in use elsewhere, or behind a password: still hers
                forget_recent(path)
            self.open_failed.emit(str(error))
            if self._warn_on_open_failure:
                from PySide6.QtWidgets import QMessageBox

                QMessageBox.warning(
                    self, "无法打开账套", f"{error}\n\n可以用“文件 → 打开账套”选择其他账套，或新建一个。"
                )
        else:
            show_error(self, error)

    def _daily_backup_if_open(self, db: Database) -> None:
        """The day's backup, DAILY_BACKUP_DELAY_MS after ``db`` opened — if the window
        still has it open (not another 账套, not closed meanwhile)."""
        if not self._closed and self.context.db is db:
            self._daily_backup(db)

    def _daily_backup(self, db: Database) -> None:
        """The day's 每日 backup, the first time a 账套 is opened that day: in the background,
        without a progress dialog; a failure is logged and shown in the status bar — and when
        the copy failed its integrity check (the 账套 itself is damaged), in a warning that
        says what to do."""
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
            from app.db_file import CorruptDatabaseError

            logging.getLogger(__name__).warning("今天的自动备份没有完成：%s", error)
            if not alive(self):
                return
            self.statusBar().showMessage(f"今天的自动备份没有完成：{error}", 15000)
            if isinstance(error, CorruptDatabaseError):
                self._tell_damaged(error)

        Operation(self, "正在备份……", work, made, failed, False, quiet=True).start()

    def _tell_damaged(self, error: BaseException) -> None:
        """The day's backup found the 账套 damaged: say so, and offer 设置 → 数据检查."""
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Warning, "账套可能已损坏", damaged_warning(error), parent=self)
        box.setObjectName("damagedWarning")
        check = box.addButton("去检查账套", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("知道了", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(check)

        def answered(_result: int) -> None:
            if box.clickedButton() is check:
                self.show_data_check()
            box.deleteLater()

        box.finished.connect(answered)
        box.open()

    def show_data_check(self) -> None:
        """设置 → 数据检查."""
        self.show_page("设置")
        self.settings_page.setCurrentWidget(self.settings_page.check)

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
        from PySide6.QtWidgets import QFileDialog

        start = str(self.context.db.path.parent) if self.context.db else str(Path.home())
        name, _ = QFileDialog.getOpenFileName(self, "打开账套", start, _DB_FILTER)
        if name:
            self.open_database(Path(name))

    def new_database(self) -> None:
        from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

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
        if self.is_made("报表") and not self.reports.confirm_close():  # an edited summary draft not saved
            self.show_page("报表")
            self.reports.tabs.setCurrentWidget(self.reports.summary)
            event.ignore()
            return
        self._closed = True
        settings = ui_settings()
        settings.setValue("main/geometry", self.saveGeometry())
        for page in self._pages.values():  # a page never made has nothing to remember
            save_state = getattr(page, "save_state", None)
            if callable(save_state):  # its columns, sort orders, splitters
                save_state()
        settings.sync()
        wait_for_operations(10_000)  # no read or write may outlive its 账套
        if self.context.db is not None:
            self.context.db.close()
            self._backup_on_exit(self.context.db)
        WindowAccess.of(self, self.context).release()  # the 账套's lock goes with the window
        super().closeEvent(event)


def damaged_warning(error: BaseException) -> str:
    """What the secretary reads when the day's backup found the 账套 damaged."""
    return (
        f"今天的自动备份没有完成：{error}\n\n"
        "账套文件可能已经损坏。请马上到“设置 → 数据检查”检查账套（点“去检查账套”）；"
        "如果检查发现问题，请到“设置 → 备份与恢复”，用最近一份完好的备份恢复账套。"
        "在此之前，建议不要再录入新的数据。"
    )
