"""设置 → 操作日志: every new, changed and deleted record — who, when, what — newest first,
filtered by date, record type, action and text; the selected entry's fields before and after
side by side; the filtered entries exported to Excel.

A log may hold a million entries: the list reads a page at a time (再列出 200 条 reads the
next), and the count stops at 10,000 when the filter is more than a date range. ID and bank
numbers in the before/after are masked until the user asks to see them (显示完整号码), for
the selected entry only. The log is read-only; the panel reloads when it is shown after any
change was saved.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.progress import Progress
from app.ui.context import AppContext, Changes, RefreshWhenShown
from app.ui.date_fields import OptionalDateEdit
from app.ui.files import XLSX, choose_file
from app.ui.lifetime import alive
from app.ui.operations import read_operation
from app.ui.tables import CENTER, Column, ColumnChooserButton, RowTableModel, RowTableView, text_column
from app.ui.widgets import menu_button, remember_splitter

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.system.audit import AuditFilter, AuditPage, AuditRow, FieldChange

ACTIONS = ("新增", "修改", "删除", "批量")  # as the service's AUDIT_ACTIONS (not imported at start-up)
ALL = "全部"
ANY_DAY = "不限"
SEARCH_DELAY_MS = 400
_ENTITY_ID_WIDTH = 70


def _entity_id(row: AuditRow) -> str:
    return "" if row.entity_id is None else str(row.entity_id)


COLUMNS: tuple[Column[AuditRow], ...] = (
    Column("at", "时间", 150, lambda r: f"{r.at:%Y-%m-%d %H:%M:%S}", lambda r: (r.at, r.id), hideable=False),
    text_column("actor", "操作人", 90),
    Column("action", "操作", 50, attrgetter("action"), attrgetter("action"), alignment=CENTER),
    Column("record_type", "记录类型", 120, attrgetter("record_type"), attrgetter("record_type")),
    Column(
        "entity_id", "记录编号", _ENTITY_ID_WIDTH, _entity_id, lambda r: r.entity_id or 0, alignment=CENTER
    ),
    text_column("summary", "摘要", 320),
)


class AuditModel(RowTableModel["AuditRow"]):
    def __init__(self) -> None:
        super().__init__(COLUMNS)


class AuditPanel(QWidget):
    """The 操作日志 tab. Public for tests: ``reload``, ``load_more``, ``export``,
    ``reveal_numbers``, ``current_filter``; the filter widgets ``first``, ``last``,
    ``record_type``, ``action``, ``search``; ``count``, ``table``, ``model``, ``heading``,
    ``changes`` (the before/after table) and ``reveal_button``."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._generation = 0
        self._rows: list[AuditRow] = []
        self._page: AuditPage | None = None
        self._types_loaded = False
        self._revealed = False
        self.loading = False
        self.model = AuditModel()
        self.first = OptionalDateEdit()
        self.last = OptionalDateEdit()
        for edit, tip in ((self.first, "从这一天起（含）"), (self.last, "到这一天为止（含）")):
            edit.setSpecialValueText(ANY_DAY)
            edit.setToolTip(f"{tip}；选“{ANY_DAY}”则不限")
        self.record_type = QComboBox()
        self.record_type.addItem(ALL, None)
        self.record_type.setMinimumWidth(130)
        self.record_type.setToolTip("只看一种记录：会员、应缴会费、慰问记录……")
        self.action = QComboBox()
        self.action.addItem(ALL, None)
        for action in ACTIONS:
            self.action.addItem(action, action)
        self.search = QLineEdit()
        self.search.setPlaceholderText("查找：姓名、身份证号、操作人、修改的内容……")
        self.search.setClearButtonEnabled(True)
        self.export_button = menu_button("导出")
        self.export_button.setToolTip("把符合条件的操作日志保存为 Excel 文件")
        export_menu = QMenu(self.export_button)
        export_menu.addAction("导出为 Excel…", lambda: self.export())
        export_menu.addAction("导出（隐去身份证号和银行账号中间部分）…", lambda: self.export(mask=True))
        self.export_button.setMenu(export_menu)
        self.count = QLabel("打开账套后显示操作日志")
        self.more_button = QPushButton("再列出 200 条")
        self.more_button.setToolTip("列出更早的操作日志")
        self.more_button.hide()
        self.table = RowTableView(
            "system_audit_log", self.model, default_sort=("at", Qt.SortOrder.DescendingOrder)
        )
        self.table.setSortingEnabled(False)  # newest first, always: the list holds only the pages read
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.columns_button = ColumnChooserButton(self.table)
        self.heading = QLabel("在上面的列表中点选一条操作日志，这里显示它修改前后的内容。")
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reveal_button = QPushButton("显示完整号码")
        self.reveal_button.setToolTip("这条日志中的身份证号、银行账号已隐去中间几位；点此查看完整号码")
        self.reveal_button.hide()
        self.changes = QTableWidget(0, 3)
        self.changes.setHorizontalHeaderLabels(["字段", "修改前", "修改后"])
        self.changes.verticalHeader().setVisible(False)
        self.changes.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.changes.setWordWrap(True)
        header = self.changes.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self._layout()
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.reload)
        for edit in (self.first, self.last):
            edit.dateChanged.connect(lambda _d: self.reload())
        self.record_type.currentIndexChanged.connect(lambda _i: self.reload())
        self.action.currentIndexChanged.connect(lambda _i: self.reload())
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self.reload)
        self.more_button.clicked.connect(lambda: self.load_more())
        self.reveal_button.clicked.connect(lambda: self.reveal_numbers(not self._revealed))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_selected())
        self.table.rows_reset.connect(self._show_selected)
        # Every saved change writes the log, whichever table it touched: any change makes it stale.
        self.refresher = RefreshWhenShown(self, context, (), self.reload)
        context.changed.connect(self._changed)
        context.database_opened.connect(self._opened)
        if context.db is not None:
            self._opened(context.db)

    def _layout(self) -> None:
        filters = QHBoxLayout()
        for caption, widget in (("从", self.first), ("至", self.last), ("记录类型", self.record_type),
                                ("操作", self.action)):  # fmt: skip
            filters.addWidget(QLabel(caption))
            filters.addWidget(widget)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.export_button)
        filters.addWidget(self.columns_button)
        counts = QHBoxLayout()
        counts.addWidget(self.count, 1)
        counts.addWidget(self.more_button)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 4, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.reveal_button)
        detail_layout.addLayout(top)
        detail_layout.addWidget(self.changes, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        remember_splitter(splitter, "audit_log")
        note = QLabel(
            "操作日志记下每一次新增、修改和删除：谁、什么时候、改了哪条记录的什么内容。日志只能查看和导出，不能修改。"
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(counts)
        layout.addWidget(splitter, 1)
        layout.addWidget(note)

    # -- loading ---------------------------------------------------------------------------
    def _opened(self, _db: object) -> None:
        self._rows = []
        self.model.set_rows([])
        self.refresher.mark_stale()

    def _changed(self, changes: Changes, _initiator: object) -> None:
        if changes:
            self.refresher.mark_stale()

    def current_filter(self) -> AuditFilter:
        from app.services.system.audit import AuditFilter

        return AuditFilter(
            first=self.first.value(),
            last=self.last.value(),
            entity=self.record_type.currentData(),
            action=self.action.currentData(),
            text=self.search.text().strip(),
        )

    def reload(self) -> None:
        """The newest page of the entries the filters keep, with their count."""
        self._search_timer.stop()
        if self.context.db is None:
            return
        first, last = self.first.value(), self.last.value()
        if first is not None and last is not None and last < first:
            self._show_words("结束日期早于开始日期，请重新选择日期。")
            return
        self._generation += 1
        generation, flt, want_types = self._generation, self.current_filter(), not self._types_loaded
        self.loading = True
        self.count.setText("正在读取操作日志……")

        def work(session: Session) -> tuple[AuditPage, tuple[tuple[str, str], ...]]:
            from app.services.system.audit import list_audit
            from app.services.system.audit_labels import record_types

            return list_audit(session, flt), record_types() if want_types else ()

        def loaded(result: tuple[AuditPage, tuple[tuple[str, str], ...]]) -> None:
            if not alive(self) or generation != self._generation:
                return
            page, types = result
            if types:
                self._fill_types(types)
            self._page = page
            self._rows = list(page.rows)
            self.loading = False
            self.model.set_rows(self._rows)
            self._show_count()

        read_operation(self, self.context, work, on_success=loaded, on_failure=self._failed,
                       label="正在读取操作日志……")  # fmt: skip

    def load_more(self) -> None:
        """再列出 200 条: the page after the last entry listed."""
        page = self._page
        if self.context.db is None or page is None or not page.more or not self._rows:
            return
        generation, flt, oldest = self._generation, self.current_filter(), self._rows[-1]
        self.loading = True

        def work(session: Session) -> AuditPage:
            from app.services.system.audit import list_audit

            return list_audit(session, flt, older_than=oldest, count=False)

        def loaded(more: AuditPage) -> None:
            if not alive(self) or generation != self._generation or self._page is None:
                return
            self._rows += more.rows
            self._page = replace(self._page, rows=self._rows, more=more.more)
            self.loading = False
            self.model.set_rows(self._rows)
            self._show_count()

        read_operation(self, self.context, work, on_success=loaded, on_failure=self._failed,
                       label="正在读取操作日志……")  # fmt: skip

    def _failed(self, error: BaseException) -> None:
        from app.services.errors import UserError
        from app.ui.operations import show_error

        self.loading = False
        if not alive(self):
            return
        if isinstance(error, UserError):
            self._show_words(str(error))
        else:
            self.count.setText("无法读取操作日志。")
            show_error(self, error)

    def _show_words(self, words: str) -> None:
        self._rows, self._page = [], None
        self.model.set_rows([])
        self.count.setText(words)
        self.more_button.hide()

    def _fill_types(self, types: tuple[tuple[str, str], ...]) -> None:
        self._types_loaded = True
        current = self.record_type.currentData()
        self.record_type.blockSignals(True)
        self.record_type.clear()
        self.record_type.addItem(ALL, None)
        for table, label in types:
            self.record_type.addItem(label, table)
        self.record_type.setCurrentIndex(max(self.record_type.findData(current), 0))
        self.record_type.blockSignals(False)

    def _show_count(self) -> None:
        page = self._page
        if page is None:
            return
        shown = len(self._rows)
        if not shown:
            self.count.setText("没有符合条件的操作日志。")
        else:
            total = f"共 <b>{page.total:,}</b> 条" if page.total_exact else f"超过 <b>{page.total:,}</b> 条"
            listed = f"，列出了最近的 {shown:,} 条" if page.more or shown < page.total else ""
            self.count.setText(f"{total}{listed}。")
        self.more_button.setVisible(page.more)

    # -- the selected entry ------------------------------------------------------------------
    def current(self) -> AuditRow | None:
        row: AuditRow | None = self.table.current_row()
        return row

    def _show_selected(self) -> None:
        self._revealed = False
        self._show_entry(self.current())

    def reveal_numbers(self, on: bool = True) -> None:
        """显示完整号码 / 隐去号码 for the selected entry only."""
        self._revealed = on
        self._show_entry(self.current())

    def _show_entry(self, row: AuditRow | None) -> None:
        if row is None:
            self.heading.setText("在上面的列表中点选一条操作日志，这里显示它修改前后的内容。")
            self.changes.setRowCount(0)
            self.reveal_button.hide()
            return
        from app.services.system.audit import field_changes

        number = f"（编号 {row.entity_id}）" if row.entity_id is not None else ""
        self.heading.setText(
            f"{row.at:%Y-%m-%d %H:%M:%S}　{row.actor}　{row.action}　{row.record_type}{number}：{row.summary}"
        )
        shown = field_changes(row, mask=not self._revealed)
        private = shown != field_changes(row, mask=self._revealed)  # masking changes something
        self.reveal_button.setVisible(private)
        self.reveal_button.setText("隐去号码" if self._revealed else "显示完整号码")
        self._fill_changes(shown)

    def _fill_changes(self, changes: list[FieldChange]) -> None:
        self.changes.setRowCount(len(changes))
        for i, change in enumerate(changes):
            for j, text in enumerate((change.label, change.before, change.after)):
                item = QTableWidgetItem(text)
                if j and change.before != change.after and change.before and change.after:
                    item.setToolTip(text)
                self.changes.setItem(i, j, item)
        self.changes.resizeRowsToContents()

    def shown_changes(self) -> list[tuple[str, str, str]]:
        """The before/after table as text, row by row (for tests and screenshots)."""

        def text(i: int, j: int) -> str:
            item = self.changes.item(i, j)
            return "" if item is None else item.text()

        return [(text(i, 0), text(i, 1), text(i, 2)) for i in range(self.changes.rowCount())]

    # -- export ---------------------------------------------------------------------------------
    def export(self, path: Path | None = None, *, mask: bool = False) -> None:
        """导出: the entries the filters keep (all of them, not only those listed) as .xlsx;
        ``mask`` hides the middle of ID and bank numbers."""
        if self.context.db is None:
            return
        if path is None:
            path = choose_file(self, "导出操作日志", f"操作日志_{date.today().isoformat()}.xlsx", XLSX)
            if path is None:
                return
        out, flt, progress = path, self.current_filter(), Progress()

        def work(session: Session) -> int:
            from app.services.system.audit import export_audit

            return export_audit(session, out, flt, mask=mask, progress=progress)

        def done(written: Any) -> None:
            QMessageBox.information(self, "导出完成", f"已导出 {written:,} 条操作日志：\n{out}")

        read_operation(self, self.context, work, on_success=done, label="正在导出操作日志……",
                       cancellable=True, progress=progress)  # fmt: skip
