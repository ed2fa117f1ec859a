"""会员名册: search as you type, filters, the table, the detail panel, and the member actions."""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain.membership import Category, MemberStatus
from app.services.roster.index import IN_ROLL, Roster, RosterFilter, RosterRow
from app.ui.context import GROUPS, MEMBERS, AppContext, Changes, RefreshWhenShown
from app.ui.operations import read_operation, write_operation
from app.ui.roster.model import RosterTableModel
from app.ui.tables import ColumnChooserButton, RowTableView
from app.ui.widgets import ElidedLabel, add_group_items, menu_button, remember_splitter

# The dialogs and message boxes are imported where they are opened: the window makes this page
# before it first shows, and their classes (and enums) would cost every start a few milliseconds.
if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog
    from sqlalchemy.orm import Session

    from app.services.roster.members import MemberDetail
    from app.ui.roster.member_detail import MemberDetailPanel

# What the wizard's import writes; announced by this page until the wizard writes through
# write_operation, which then announces it itself.


class RosterPage(QWidget):
    ready = Signal()  # the first rows are on screen

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.model = RosterTableModel()
        self._generation = 0
        self._detail_generation = 0
        self._detail: MemberDetail | None = None
        self._loaded_full = False
        self._preview_shown = False
        self._detail_panel: MemberDetailPanel | None = None
        self._dialogs: weakref.WeakSet[QWidget] = weakref.WeakSet()  # the member dialogs it opened
        self._build()
        self.table.rows_reset.connect(self._after_reset)
        context.follow_database(self._database_opened)
        self.refresher = RefreshWhenShown(
            self, context, (MEMBERS, GROUPS), self.reload, handled=self._handles
        )

    # -- layout ---------------------------------------------------------------------
    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText(
            "搜索：姓名、拼音首字母（如 zw）、全拼、身份证号、电话、会员证号（Ctrl+F）"
        )
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.apply_filter)
        self.add_button = QPushButton("新增会员")
        self.add_button.setToolTip("新增会员（Ctrl+N）")
        self.add_button.clicked.connect(self.add_member)
        self.add_button.setEnabled(False)  # until the 账套 is open
        self.edit_button = QPushButton("编辑")
        self.edit_button.setToolTip("编辑选中的会员（回车或双击）")
        self.edit_button.clicked.connect(self.edit_member)
        self.status_button = QPushButton("变更会籍")
        self.status_button.setToolTip("办理转出、退会、退休保留会籍、去世、恢复等")
        self.status_button.clicked.connect(self.change_status)
        self.delete_button = QPushButton("删除")
        self.delete_button.setToolTip("删除误录入的会员（Del）；已有记录的会员请用“变更会籍”")
        self.delete_button.clicked.connect(self.delete_member)
        self.import_button = QPushButton("导入…")
        self.import_button.setToolTip("从 Excel 或 CSV 花名册导入会员")
        self.import_button.clicked.connect(self.import_roster)
        self.import_button.setEnabled(False)
        self.export_button = menu_button("导出")
        export_menu = QMenu(self)
        export_menu.addAction("导出当前名单为 Excel…", lambda: self.export_roster(mask=False))
        export_menu.addAction("导出（隐去身份证号和电话中间部分）…", lambda: self.export_roster(mask=True))
        export_menu.addSeparator()
        export_menu.addAction("下载空白导入模板…", self.save_template)
        self.export_button.setMenu(export_menu)
        self.export_button.setEnabled(False)
        self.table = RowTableView("roster", self.model, default_sort=("name", Qt.SortOrder.AscendingOrder))
        self.proxy = self.table.proxy
        # 显示完整号码 / 隐去号码 in a row's right-click menu; the panel follows the selected row
        self.private = self.model.private.attach(self.table, self.context)
        self.private.changed.connect(self._privacy_changed)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.columns_button = ColumnChooserButton(self.table)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        for button in (self.add_button, self.edit_button, self.status_button, self.delete_button):
            top.addWidget(button)
        top.addWidget(self.import_button)
        top.addWidget(self.export_button)
        top.addWidget(self.columns_button)

        self.group_filter = QComboBox()
        self.group_filter.setMinimumWidth(160)
        self.group_filter.addItem("全部分组", None)
        self.status_filter = QComboBox()
        self.status_filter.addItem("在册会员", IN_ROLL)
        self.status_filter.addItem("全部状态", None)
        for status in MemberStatus:
            self.status_filter.addItem(status.value, status.value)
        self.category_filter = QComboBox()
        self.category_filter.addItem("全部类别", None)
        for category in Category:
            self.category_filter.addItem(category.value, category.value)
        self.female = QCheckBox("女")
        self.migrant = QCheckBox("农民工")
        self.hardship = QCheckBox("困难职工")
        self.model_worker = QCheckBox("劳模")
        self.count_label = ElidedLabel("正在载入名册……")
        bar = QHBoxLayout()
        for caption, widget in (("分组", self.group_filter), ("状态", self.status_filter),
                                ("类别", self.category_filter)):  # fmt: skip
            bar.addWidget(QLabel(caption))
            bar.addWidget(widget)
        for box in (self.female, self.migrant, self.hardship, self.model_worker):
            bar.addWidget(box)
            box.toggled.connect(self.apply_filter)
        for combo_box in (self.group_filter, self.status_filter, self.category_filter):
            combo_box.currentIndexChanged.connect(self.apply_filter)
        bar.addStretch(1)
        bar.addWidget(self.count_label)

        self.table.doubleClicked.connect(lambda _index: self.edit_member())
        # the selection, not the current row: a mouse click makes the row current before it selects it
        self.table.selectionModel().selectionChanged.connect(
            lambda *_: self._current_changed(QModelIndex(), QModelIndex())
        )
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(
                QKeySequence(key), self.table, self.edit_member, context=Qt.ShortcutContext.WidgetShortcut
            )
        QShortcut(QKeySequence.StandardKey.Delete, self.table, self.delete_member,
                  context=Qt.ShortcutContext.WidgetShortcut)  # fmt: skip

        # The member panel (and its module) is made once the first page is on screen and the
        # 账套 is open, or when first used: until then its hint holds its place, so the window
        # shows names sooner (and a large file's check, still reading, has the machine).
        self._detail_hint = QLabel("在左边的名册中点选一名会员，这里显示他的信息和会籍变动记录。")
        self._detail_hint.setWordWrap(True)
        self._detail_hint.setAlignment(Qt.AlignmentFlag.AlignTop)
        self._detail_hint.setMinimumWidth(300)
        self.ready.connect(self._make_detail_soon)
        splitter = self._splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self._detail_hint)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([900, 320])
        remember_splitter(splitter, "roster")
        self.empty_hint = QLabel(
            "名册里还没有会员。点“新增会员”逐个录入，或点“导入…”从现有的 Excel 花名册导入"
            "（可先点“导出 → 下载空白导入模板”照着填写）。"
        )
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setStyleSheet(
            "background: #fff8e1; border: 1px solid #f0d58c; padding: 10px; font-size: 11pt;"
        )
        self.empty_hint.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(bar)
        layout.addWidget(self.empty_hint)
        layout.addWidget(splitter, 1)
        self._update_buttons()

    @property
    def detail(self) -> MemberDetailPanel:
        """The selected member's panel, made the first time it is needed."""
        if self._detail_panel is None:
            from app.ui.roster.member_detail import MemberDetailPanel

            panel = self._detail_panel = MemberDetailPanel(self.context)
            panel.reveal_requested.connect(self._reveal_selected)
            self._splitter.replaceWidget(1, panel)
            self._detail_hint.deleteLater()
        return self._detail_panel

    def _make_detail_soon(self) -> None:
        if self.context.db is not None and self._detail_panel is None:
            QTimer.singleShot(0, self, self._make_detail)

    def _make_detail(self) -> None:
        _made = self.detail

    def save_state(self) -> None:
        self.table.save_state()

    # -- loading -------------------------------------------------------------------------
    def _handles(self, changes: Changes, initiator: object) -> bool:
        """A member saved in this page's own dialogs: ``_member_saved`` brings in that
        row (or, for a new member, reloads) instead of the refresher reloading."""
        own = initiator in self._dialogs  # (a WeakSet: None and non-widgets are simply not in it)
        return own and not changes.touches(GROUPS)

    def _database_opened(self, _db: object) -> None:
        for button in (self.add_button, self.import_button, self.export_button):
            button.setEnabled(True)
        first_page_shown = self._preview_shown
        self.reload(first=True)
        if first_page_shown:  # the page read early is on screen: its panel can be made now
            self._make_detail_soon()

    def reload(self, *, first: bool = False, select_id: int | None = None) -> None:
        if self.context.db is None:
            return
        self._generation += 1
        generation = self._generation
        if select_id is not None:
            self.table.select_after_reset(select_id)

        def fetch_all() -> None:
            def work(session: Session) -> Roster:
                from app.services.roster.search import load_roster

                return load_roster(session)

            read_operation(
                self, self.context, work, on_success=lambda r: loaded(r, True), label="正在载入名册……"
            )

        def loaded(roster: Roster, complete: bool) -> None:
            if generation != self._generation:
                return  # a newer reload is under way
            self._loaded_full = complete
            self._set_roster(roster)
            if not complete:
                self.ready.emit()
                self.context.read_later(fetch_all)  # after the 首页's figures

        first_page = self.context.take_first_page() if first else None
        if first and self._preview_shown:
            self._preview_shown = False  # the first page is on screen already: fetch the rest
            self.context.read_later(fetch_all)
        elif first_page is not None:
            loaded(first_page, False)  # read while the 账套 was being opened
        else:
            fetch_all()

    def show_preview(self, first_page: Roster) -> None:
        """The first page, read before the database layer is ready; editing waits for it."""
        self._preview_shown = True
        self._loaded_full = False
        self._set_roster(first_page)
        self.ready.emit()

    def drop_preview(self) -> None:
        """The 账套 whose first page was shown early failed its check: show none of it."""
        if self._preview_shown:
            self._preview_shown = False
            self._set_roster(Roster([], []))

    def _set_roster(self, roster: Roster) -> None:
        current_group = self.group_filter.currentData()
        self.group_filter.blockSignals(True)
        self.group_filter.clear()
        self.group_filter.addItem("全部分组", None)
        add_group_items(self.group_filter, roster.groups)
        index = self.group_filter.findData(current_group)
        self.group_filter.setCurrentIndex(max(index, 0))
        self.group_filter.blockSignals(False)
        self.model.set_roster(roster, self.current_filter())

    # -- filtering ---------------------------------------------------------------------------
    def current_filter(self) -> RosterFilter:
        return RosterFilter(
            text=self.search.text(),
            group_id=self.group_filter.currentData(),
            status=self.status_filter.currentData(),
            category=self.category_filter.currentData(),
            female=self.female.isChecked(),
            migrant=self.migrant.isChecked(),
            hardship=self.hardship.isChecked(),
            model_worker=self.model_worker.isChecked(),
        )

    def apply_filter(self) -> None:
        self.model.set_filter(self.current_filter())

    # Every reset (new roster, filter, sort) keeps the selected member selected if still shown
    # (the table does that); then the count, and the panel when nobody is selected any more.
    def _after_reset(self) -> None:
        shown, total = self.model.rowCount(), self.model.total_count
        suffix = "" if self._loaded_full else "（正在载入其余会员……）"
        self.empty_hint.setVisible(self._loaded_full and total == 0)
        self.count_label.setText(f"显示 {shown} 人 / 共 {total} 人{suffix}")
        if self.current_member_id() is None:
            self._current_changed(QModelIndex(), QModelIndex())  # nothing selected: clear the panel

    # -- selection ------------------------------------------------------------------------------
    def select_member(self, member_id: int) -> bool:
        return self.table.select_id(member_id)

    def current_member_id(self) -> int | None:
        row: RosterRow | None = self.table.current_row()
        return None if row is None else int(row.id)

    def _current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_buttons()
        member_id = self.current_member_id()
        self._detail_generation += 1
        generation = self._detail_generation
        if member_id is None or self.context.db is None:
            self._detail = None
            if self._detail_panel is not None:  # one not made yet shows nobody already
                self._detail_panel.show_detail(None)
            return

        def work(session: Session) -> MemberDetail:
            from app.services.roster.members import get_member

            return get_member(session, member_id)

        def shown(detail: MemberDetail) -> None:
            if generation == self._detail_generation:
                self._detail = detail
                self.detail.show_detail(detail, mask=self._id_masked())
                self._update_buttons()

        read_operation(
            self, self.context, work, on_success=shown, on_failure=lambda _e: self.detail.show_detail(None)
        )

    def _id_masked(self) -> bool:
        """Whether the selected member's ID number is masked in the list (and so in the panel)."""
        row: RosterRow | None = self.table.current_row()
        return row is None or self.model.id_masked(row)

    def _reveal_selected(self, reveal: bool) -> None:
        """The panel's 显示完整号码 / 隐去: the same for the selected row of the list."""
        row: RosterRow | None = self.table.current_row()
        if row is None:
            return
        if reveal:
            self.private.reveal(row)
        else:
            self.private.hide(row)

    def _privacy_changed(self) -> None:
        if self._detail is not None and self._detail.id == self.current_member_id():
            self.detail.show_id_number(mask=self._id_masked())

    def _update_buttons(self) -> None:
        selected = self.current_member_id() is not None
        for button in (self.edit_button, self.status_button, self.delete_button):
            button.setEnabled(selected and self._detail is not None)

    # -- actions -----------------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def add_member(self) -> None:
        if self.context.db is None:
            return
        from app.ui.roster.member_dialog import MemberDialog

        dialog = MemberDialog(self.context, self.model.roster.groups, self)
        dialog.saved.connect(self._member_added)
        self._open(dialog)

    def edit_member(self) -> None:
        detail = self._selected_detail()
        if detail is None or self.context.db is None:
            return
        from app.ui.roster.member_dialog import MemberDialog

        dialog = MemberDialog(self.context, self.model.roster.groups, self, detail)
        dialog.saved.connect(self._member_saved)
        self._open(dialog)

    def change_status(self) -> None:
        detail = self._selected_detail()
        if detail is None or self.context.db is None:
            return
        from app.ui.roster.status_dialog import StatusDialog

        dialog = StatusDialog(self.context, detail.id, detail.data.name, detail.status, self)
        dialog.changed.connect(self._status_changed)
        self._open(dialog)

    def _open(self, dialog: QDialog) -> None:
        self._dialogs.add(dialog)
        dialog.open()

    def delete_member(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        detail = self._selected_detail()
        if detail is None or self.context.db is None:
            return
        answer = QMessageBox.question(
            self,
            "删除会员",
            f"确定要删除会员“{detail.data.name}”吗？删除后不能恢复。\n\n"
            "只有误录入的会员才应删除；离开工会的会员请用“变更会籍”办理，以保留历史。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        member_id = detail.id

        def work(session: Session) -> str:
            from app.services.roster.members import delete_member

            return delete_member(session, member_id)

        write_operation(self, self.context, work, label="正在删除……")

    def import_roster(self) -> None:
        from app.ui.imports.wizard import ImportWizard
        from app.ui.roster.import_panel import RosterImportPanel

        if self.context.db is None:
            return
        wizard = ImportWizard(self.context, RosterImportPanel(), self)
        wizard.open()

    def visible_column_keys(self) -> list[str]:
        return self.table.visible_column_keys()

    def export_roster(self, *, mask: bool) -> None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        if self.context.db is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, "导出花名册", str(Path.home() / "会员花名册.xlsx"), "Excel 文件 (*.xlsx)"
        )
        if not name:
            return
        out = Path(name if name.lower().endswith(".xlsx") else name + ".xlsx")
        flt, visible = self.current_filter(), self.visible_column_keys()

        def work(session: Session) -> Any:
            from app.services.roster.export import export_keys_for_page, export_roster

            return export_roster(session, out, flt=flt, keys=export_keys_for_page(visible), mask=mask)

        def done(result: Any) -> None:
            QMessageBox.information(self, "导出完成", f"已导出 {result.rows} 名会员：\n{result.path}")

        read_operation(self, self.context, work, on_success=done, label="正在导出……")

    def save_template(self) -> None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        name, _ = QFileDialog.getSaveFileName(
            self, "保存导入模板", str(Path.home() / "会员导入模板.xlsx"), "Excel 文件 (*.xlsx)"
        )
        if not name or self.context.db is None:
            return

        def work(session: Session) -> Path:
            from app.services.roster.export import write_template

            return write_template(session, Path(name))

        def saved(path: Path) -> None:
            QMessageBox.information(self, "导入模板", f"已保存：{path}")

        read_operation(self, self.context, work, on_success=saved)

    def _selected_detail(self) -> MemberDetail | None:
        member_id = self.current_member_id()
        if member_id is None or self._detail is None or self._detail.id != member_id:
            return None
        return self._detail

    # -- after this page's own writes -----------------------------------------------------------
    def _member_added(self, member_id: int) -> None:
        """A new member comes with a reload, and is selected."""
        self._detail = None
        self._update_buttons()
        self.reload(select_id=member_id)

    def _member_saved(self, member_id: int) -> None:
        """Edited in the member dialog: the row is read again and put in place."""
        self._detail = None
        self._update_buttons()
        self.refresh_members([member_id])

    def _status_changed(self, member_id: int) -> None:
        """A status changed: the row is put in place and the filter applied again, since a
        member who left is no longer 在册."""
        self._detail = None
        self._update_buttons()
        self.refresh_members([member_id], refilter=True)

    def refresh_members(self, member_ids: list[int], *, refilter: bool = False) -> None:
        """Read these members again and put their rows in place (``dataChanged`` for just
        those rows); a member not held any more, or not found, brings a full reload."""
        ids = list(member_ids)

        def work(session: Session) -> list[RosterRow]:
            from app.services.roster.rows import load_rows

            return load_rows(session, ids)

        def loaded(rows: list[RosterRow]) -> None:
            if len(rows) < len(ids) or self.model.update_rows(rows):
                self.reload()
                return
            if refilter:
                self.model.refilter()  # a reset: the table keeps the selection if still shown
            else:
                self._current_changed(QModelIndex(), QModelIndex())  # the panel shows the edit

        read_operation(self, self.context, work, on_success=loaded)
