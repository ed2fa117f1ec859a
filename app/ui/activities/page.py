"""活动经费: the activities of a year with their status, budget, spending and 节超 (over budget
in red), those over a limit flagged in words with whether their reason is still wanted; an
activity created or corrected in the editor, moved on to its next status, deleted; the
expense ledger kept in Excel imported; the 活动经费预算表, 决算表 and 签到表 printed or saved
as Excel. The second tab is the year's budget (年度预算)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.activities import NEXT_STATUS, Status
from app.domain.money import format_fen
from app.services.activities.wording import budget_text, variance_so_far
from app.ui.activities import ACTIVITY_TABLES
from app.ui.activities.fields import OVER_COLOUR, variance_colour
from app.ui.context import AppContext, RefreshWhenShown
from app.ui.dialog_parts import confirm
from app.ui.lifetime import alive
from app.ui.operations import read_operation, write_operation
from app.ui.tables import (
    CENTER,
    Column,
    ColumnChooserButton,
    RowTableModel,
    RowTableView,
    date_column,
    number_column,
    text_column,
)
from app.ui.widgets import menu_button

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.activities import ActivityRow
    from app.ui.activities.activity_dialog import ActivityDialog
    from app.ui.imports.wizard import ImportWizard
    from app.ui.print_preview import PrintPreviewDialog

__all__ = ["AWAITING", "OVER", "PRINTS", "WITHIN", "ActivitiesPage", "ActivityModel"]

OVER = "超过标准"
WITHIN = "未超"  # as the 慰问 lists say it: a blank column reads as one not loaded
AWAITING = "待补原因"
_AWAITING_COLOUR = QColor("#b35900")
_MUTED = QColor("#777777")
_NO_BUDGET = (
    "这项活动没有编列自己的预算（从台账导入的活动只有支出）；它的支出计入“年度预算”页所属科目的执行数"
)
# what can be printed for an activity: the service's kind → its name
PRINTS = {"budget": "活动经费预算表", "final": "活动经费决算表", "signin": "签到表"}


def _flag(row: ActivityRow) -> str:
    if not row.over_limit:
        return WITHIN
    return f"{OVER}（{AWAITING}）" if row.awaiting_reason else OVER


def _flag_tip(row: ActivityRow) -> str | None:
    if not row.over_limit:
        return "活动的预算和支出都在开支标准以内"
    if row.awaiting_reason:
        return "活动本身或其中的预算、支出超过标准，还没有写明原因：打开活动（双击）在超标准原因中填写"
    return "活动本身或其中的预算、支出超过标准，原因已写明（打开活动可查看）"


def _variance(row: ActivityRow) -> str:
    return variance_so_far(row.status, row.budget_fen, row.spent_fen)


def _variance_tip(row: ActivityRow) -> str | None:
    if not row.budget_fen:
        return _NO_BUDGET if row.spent_fen else None
    return "已支出多于预算" if row.variance_fen > 0 else None


def _status_colour(row: ActivityRow) -> QColor | None:
    return _MUTED if row.status == Status.CANCELLED else None


COLUMNS: tuple[Column[ActivityRow], ...] = (
    Column("name", "活动名称", 200, attrgetter("name"), attrgetter("name"), hideable=False),
    text_column("kind", "类型", 90),
    date_column("start", "开始", 90),
    date_column("end", "结束", 90),
    Column(
        "status",
        "状态",
        64,
        attrgetter("status"),
        lambda r: list(Status).index(Status(r.status)),
        alignment=CENTER,
        foreground=_status_colour,
    ),
    number_column("participants", "参加人数", 70),
    number_column("budget", "活动预算", 100, attr="budget_fen", format=budget_text),
    number_column("spent", "已支出", 100, attr="spent_fen", format=format_fen),
    Column(
        "variance",
        "节超",
        120,
        _variance,
        lambda r: (r.budget_fen > 0, r.variance_fen),
        foreground=lambda r: (
            _MUTED if not (r.spent_fen and r.budget_fen) else variance_colour(r.budget_fen, r.spent_fen)
        ),
        tooltip=_variance_tip,
    ),
    Column(
        "flag",
        "标准",
        130,
        _flag,
        lambda r: (r.over_limit, r.awaiting_reason),
        foreground=lambda r: _AWAITING_COLOUR if r.awaiting_reason else OVER_COLOUR if r.over_limit else None,
        tooltip=_flag_tip,
    ),
    text_column("place", "地点", 120, visible=False),
    text_column("organiser", "组织者", 90, visible=False),
)


class ActivityModel(RowTableModel["ActivityRow"]):
    def __init__(self) -> None:
        super().__init__(COLUMNS, row_id=attrgetter("id"))

    def shown(self) -> list[ActivityRow]:
        """The rows the filter keeps, in the order shown."""
        return [self.row_at(i) for i in range(self.rowCount())]


def describe(row: ActivityRow) -> str:
    """One activity in words, as a question names it: 职工篮球赛（2026-04-05，已结束）."""
    return f"“{row.name}”（{row.start.isoformat()}，{row.status}）"


class ActivitiesPage(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._generation = 0
        self.model = ActivityModel()
        this_year = date.today().year
        # -- the filters -------------------------------------------------------------------------
        self.year = QSpinBox()
        self.year.setRange(1990, this_year + 5)
        self.year.setValue(this_year)
        self.year.setSuffix(" 年")
        self.year.setToolTip("列出这一年开始的活动")
        self.status = QComboBox()
        self.status.addItem("全部状态", None)
        for status in Status:
            self.status.addItem(status.value, status.value)
        self.search = QLineEdit()
        self.search.setPlaceholderText("查找：活动名称、类型、地点或组织者")
        self.search.setClearButtonEnabled(True)
        # -- the actions -------------------------------------------------------------------------
        self.add_button = QPushButton("新建活动…")
        self.add_button.setToolTip("新建一项活动：预算、参加人员、实际支出")
        self.edit_button = QPushButton("修改…")
        self.edit_button.setToolTip("打开所选的活动，修改预算、参加人员、实际支出（也可以双击）")
        self.status_button = menu_button("状态")
        self.status_button.setToolTip("把所选活动改为下一个状态：计划中 → 已审批 → 进行中 → 已结束，或已取消")
        self.status_menu = QMenu(self.status_button)
        self.status_menu.aboutToShow.connect(lambda: self._fill_status_menu(self.status_menu))
        self.status_button.setMenu(self.status_menu)
        self.delete_button = QPushButton("删除…")
        self.delete_button.setToolTip("删除录错的活动，连同它的预算、参加人员和支出（操作日志保留原内容）")
        self.import_button = QPushButton("导入活动经费台账…")
        self.import_button.setToolTip(
            "导入 Excel 中记的活动经费支出台账（一行一笔：日期、活动、内容、科目、金额……）"
        )
        self.print_button = menu_button("打印")
        self.print_button.setToolTip("所选活动的经费预算表（报批用）、决算表、签到表；也可导出为 Excel")
        self.print_menu = self._print_menu()
        self.print_button.setMenu(self.print_menu)
        self._database_buttons: tuple[QWidget, ...] = (self.add_button, self.import_button)
        self._row_buttons: tuple[QWidget, ...] = (self.edit_button, self.status_button, self.delete_button,
                                                  self.print_button)  # fmt: skip
        for button in (*self._database_buttons, *self._row_buttons):
            button.setEnabled(False)
        self.table = RowTableView(
            "activities", self.model, default_sort=("start", Qt.SortOrder.AscendingOrder)
        )
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.columns_button = ColumnChooserButton(self.table)
        self.summary = QLabel("打开账套后显示活动")
        self.summary.setWordWrap(True)
        note = QLabel(
            "活动预算是这项活动自己编列的预算行合计（从台账导入的活动只有支出，显示“—”），"
            "已支出是登记的实际支出；节超一栏超支的标红。全年各科目的预算和执行情况在“年度预算”页。"
            "工作餐、奖励面、外出天数、人均等开支标准按本会所在省份的预设和本单位另定的标准检查，"
            "超过标准的必须写明原因，导入的历史记录标为“待补原因”（双击打开活动填写）。"
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        filters = QHBoxLayout()
        filters.addWidget(QLabel("年度"))
        filters.addWidget(self.year)
        filters.addSpacing(8)
        filters.addWidget(QLabel("状态"))
        filters.addWidget(self.status)
        filters.addSpacing(8)
        filters.addWidget(self.search, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.add_button)
        actions.addWidget(self.import_button)
        actions.addSpacing(12)
        for button in self._row_buttons:
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.columns_button)
        self.activities = QWidget()
        layout = QVBoxLayout(self.activities)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        from app.ui.activities.budget_tab import BudgetTab

        self.budget = BudgetTab(context)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.activities, "活动")
        self.tabs.addTab(self.budget, "年度预算")
        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(self.tabs)
        self.year.valueChanged.connect(lambda _v: self.reload())
        self.status.currentIndexChanged.connect(lambda _i: self._refilter())
        self.search.textChanged.connect(lambda _t: self._refilter())
        self.add_button.clicked.connect(lambda: self.add_activity())
        self.edit_button.clicked.connect(lambda: self.edit_activity())
        self.delete_button.clicked.connect(lambda: self.delete_activity())
        self.import_button.clicked.connect(lambda: self.import_ledger())
        self.table.rows_reset.connect(self._show_summary)
        self.table.rows_reset.connect(self._selected)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.table.doubleClicked.connect(lambda _index: self.edit_activity())
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.refresher = RefreshWhenShown(self.activities, context, ACTIVITY_TABLES, self.reload)
        context.follow_database(self._opened)  # built after the open: read when shown

    def _opened(self, _db: object) -> None:
        for button in self._database_buttons:
            button.setEnabled(True)
        self.refresher.mark_stale()

    def save_state(self) -> None:
        self.table.save_state()
        self.budget.save_state()

    # -- the list ------------------------------------------------------------------------------------
    def filter_words(self) -> list[str]:
        words = [str(self.status.currentData())] if self.status.currentData() else []
        if self.search.text().strip():
            words.append(f"查找“{self.search.text().strip()}”")
        return words

    def _refilter(self) -> None:
        tests: list[Callable[[ActivityRow], bool]] = []
        status = self.status.currentData()
        if status:
            tests.append(lambda r: r.status == status)
        text = self.search.text().strip()
        if text:
            tests.append(lambda r: any(text in value for value in (r.name, r.kind, r.place, r.organiser)))
        self.model.set_predicate((lambda r: all(test(r) for test in tests)) if tests else None)

    def reload(self) -> None:
        if self.context.db is None:
            return
        self._generation += 1
        generation = self._generation
        year = self.year.value()

        def work(session: Session) -> list[ActivityRow]:
            from app.services.activities import list_activities

            return list_activities(session, year=year)

        def loaded(rows: list[ActivityRow]) -> None:
            if alive(self) and generation == self._generation:
                self.model.set_rows(rows)

        read_operation(self, self.context, work, on_success=loaded, label="正在读取活动……")

    def _show_summary(self) -> None:
        if self.context.db is None:
            return
        rows = self.model.shown()
        live = [r for r in rows if r.status != Status.CANCELLED]
        budget = sum(r.budget_fen for r in live)
        spent = sum(r.spent_fen for r in rows)
        over_budget = sum(1 for r in rows if r.budget_fen and r.spent_fen > r.budget_fen)
        flagged = sum(1 for r in rows if r.over_limit)
        awaiting = sum(1 for r in rows if r.awaiting_reason)
        words = self.filter_words()
        which = f"（{'、'.join(words)}）" if words else ""
        extra = []
        if over_budget:
            extra.append(f"超支 <b style='color:#a11212'>{over_budget}</b> 项")
        if flagged:
            extra.append(f"{OVER} <b style='color:#a11212'>{flagged}</b> 项")
        if awaiting:
            extra.append(f"其中{AWAITING} <b style='color:#b35900'>{awaiting}</b> 项")
        cancelled = len(rows) - len(live)
        if cancelled:
            extra.append(f"已取消 {cancelled} 项（预算不计）")
        hidden = self.model.total_count - len(rows)
        more = f"<span style='color:#555'>　另有 {hidden} 项不符合筛选条件，未列出</span>" if hidden else ""
        self.summary.setText(
            f"{self.year.value()}年{which}：活动 {len(rows)} 项，参加 {sum(r.participants for r in live)} 人次，"
            + (f"活动预算 {format_fen(budget)} 元" if budget else "没有编列活动预算")
            + f"，已支出 {format_fen(spent)} 元"
            + (f"；{'，'.join(extra)}" if extra else "")
            + f"。{more}"
        )

    # -- the selected activity -------------------------------------------------------------------------
    def _selected(self) -> None:
        row = self.table.current_row()
        for button in self._row_buttons:
            button.setEnabled(row is not None and self.context.db is not None)

    def next_statuses(self) -> tuple[Status, ...]:
        """Where the selected activity may go from its status."""
        row = self.table.current_row()
        return () if row is None else NEXT_STATUS[Status(row.status)]

    def _fill_status_menu(self, menu: QMenu) -> None:
        menu.clear()
        row = self.table.current_row()
        if row is None:
            menu.addAction("（请先选中一项活动）").setEnabled(False)
            return
        for status in self.next_statuses():
            menu.addAction(f"改为“{status.value}”", self._status_action(status))

    def _print_menu(self) -> QMenu:
        menu = QMenu(self)
        for kind, name in PRINTS.items():
            menu.addAction(f"{name}…", self._print_action(kind))
        menu.addSeparator()
        for kind, name in PRINTS.items():
            menu.addAction(f"导出 Excel：{name}…", self._export_action(kind))
        return menu

    def _status_action(self, status: Status) -> Callable[[], object]:
        return lambda: self.change_status(status)

    def _print_action(self, kind: str) -> Callable[[], object]:
        return lambda: self.print_activity(kind)

    def _export_action(self, kind: str) -> Callable[[], object]:
        return lambda: self.export_activity(kind)

    def row_menu(self) -> QMenu | None:
        """The selected activity's actions, as the right-click menu offers them."""
        row = self.table.current_row()
        if row is None or self.context.db is None:
            return None
        menu = QMenu(self)
        menu.addAction("修改…", lambda: self.edit_activity())
        states = menu.addMenu("状态")
        self._fill_status_menu(states)
        prints = menu.addMenu("打印")
        for kind, name in PRINTS.items():
            prints.addAction(f"{name}…", self._print_action(kind))
        menu.addSeparator()
        menu.addAction("删除…", lambda: self.delete_activity())
        menu.aboutToHide.connect(menu.deleteLater)
        return menu

    def _context_menu(self, position: QPoint) -> None:
        menu = self.row_menu()
        if menu is not None:
            menu.popup(self.table.viewport().mapToGlobal(position))

    def add_activity(self) -> ActivityDialog | None:
        from app.ui.activities.activity_dialog import ActivityDialog

        if self.context.db is None:
            return None
        dialog = ActivityDialog(self.context, self, year=self.year.value())
        dialog.saved.connect(self._show_saved)
        dialog.open()
        return dialog

    def edit_activity(self) -> ActivityDialog | None:
        from app.ui.activities.activity_dialog import ActivityDialog

        row = self.table.current_row()
        if row is None or self.context.db is None:
            return None
        dialog = ActivityDialog(self.context, self, activity_id=row.id)
        dialog.saved.connect(self._show_saved)
        dialog.open()
        return dialog

    def _show_saved(self, activity_id: int) -> None:
        self.table.select_after_reset(activity_id)

    def change_status(self, status: Status) -> bool:
        """Move the selected activity on to ``status``; whether it was asked to."""
        row = self.table.current_row()
        if row is None or self.context.db is None:
            return False
        activity_id = row.id

        def work(session: Session) -> None:
            from app.services.activities import set_status

            set_status(session, activity_id, status)

        write_operation(self, self.context, work, label="正在保存……")
        return True

    def delete_activity(self, ask: Callable[[str, str], bool] | None = None) -> bool:
        """Delete the selected activity once the user agrees; whether it was asked to go."""
        row = self.table.current_row()
        if row is None or self.context.db is None:
            return False
        parts = []
        if row.budget_fen:
            parts.append(f"预算 {format_fen(row.budget_fen)} 元")
        if row.spent_fen:
            parts.append(f"已登记的支出 {format_fen(row.spent_fen)} 元")
        if row.participants:
            parts.append(f"参加人员 {row.participants} 人")
        with_it = f"\n它的{'、'.join(parts)}也一并删除，年度预算的执行数随之减少。" if parts else ""
        question = f"确定删除活动{describe(row)}吗？{with_it}\n\n删除后不能恢复（操作日志保留原内容）。"
        if not (ask or (lambda title, text: confirm(self, title, text)))("删除活动", question):
            return False
        activity_id = row.id

        def work(session: Session) -> str:
            from app.services.activities import delete_activity

            return delete_activity(session, activity_id)

        write_operation(self, self.context, work, label="正在删除……")
        return True

    # -- paperwork and imports -------------------------------------------------------------------------
    def print_activity(self, kind: str) -> PrintPreviewDialog | None:
        """The selected activity's 预算表 (``budget``), 决算表 (``final``) or 签到表 (``signin``)."""
        from app.ui.files import safe_name
        from app.ui.print_preview import show_print_preview

        row = self.table.current_row()
        if row is None:
            return None
        activity_id = row.id

        def make(session: Session, out: Path) -> None:
            from app.services.activities.printouts import print_activity

            print_activity(session, activity_id, kind, out)

        title = PRINTS[kind]
        name = f"{title}_{safe_name(row.name)}_{row.start.isoformat()}.pdf"
        return show_print_preview(self, self.context, title, name, make)

    def export_activity(self, kind: str, path: Path | None = None) -> bool:
        """The same paper as an .xlsx to edit (``path``: where, else the user chooses)."""
        from app.ui.files import XLSX, choose_file, safe_name, write_file

        row = self.table.current_row()
        if row is None or self.context.db is None:
            return False
        title = PRINTS[kind]
        if path is None:
            path = choose_file(self, f"导出{title}", f"{title}_{safe_name(row.name)}.xlsx", XLSX)
            if path is None:
                return False
        activity_id = row.id

        def work(session: Session, out: Path) -> None:
            from app.services.activities.export import export_activity

            export_activity(session, activity_id, kind, out)

        write_file(self, self.context, path, work, done=f"{title}已导出")
        return True

    def import_ledger(self) -> ImportWizard | None:
        from app.ui.activities.import_panel import LedgerImportPanel
        from app.ui.imports.wizard import ImportWizard

        if self.context.db is None:
            return None
        wizard = ImportWizard(self.context, LedgerImportPanel(self.year.value()), self)
        wizard.open()
        return wizard
