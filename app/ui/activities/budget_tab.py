"""年度预算: the year's budget table (年度经费收支预算) as a tree of categories — budget, what
approved activities have promised (已安排), what was spent (activities and care), what is
left and the share used, 接近 at 80 % and 超支 over 100 % in colour — its totals and the
execution rate, the income lines with what came in, and the bar chart of budget against spent.

A line never set is blank, not 0 (GnuCash). Double-clicking a budget edits it (清除 makes it
never set again); clicking a spent figure lists the expenses and care records behind it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain.money import MoneyError, format_fen, yuan_to_fen
from app.ui.activities import BUDGET_TABLES
from app.ui.activities.budget_chart import BudgetChart
from app.ui.context import AppContext, RefreshWhenShown
from app.ui.dialog_parts import tell_failure, with_message
from app.ui.imports.wizard import ImportOptionsPanel
from app.ui.lifetime import alive
from app.ui.operations import read_operation, write_operation
from app.ui.tables import RIGHT, Column, ColumnChooserButton, RowRole, RowTableModel, RowTableView
from app.ui.widgets import ErrorLabel, remember_splitter

if TYPE_CHECKING:
    from decimal import Decimal

    from sqlalchemy.orm import Session

    from app.services.activities import BudgetRow, BudgetTable, CategoryInfo, IncomeRow
    from app.services.imports import Importer
    from app.ui.activities.categories_dialog import CategoriesDialog
    from app.ui.activities.income_dialog import IncomeDialog
    from app.ui.activities.spent_dialog import SpentDialog
    from app.ui.imports.wizard import ImportWizard

__all__ = ["WATCHED", "BudgetDialog", "BudgetImportPanel", "BudgetTab", "LineToEdit"]

# What the budget table is read from besides the activities' own tables: the care records (their
# payments count against the categories their occasions map to) and the dues ledger (会费收入).
CARE_RECORDS = "care_records"
DUES_TABLES = ("dues_charges", "dues_payments")
WATCHED = (*BUDGET_TABLES, CARE_RECORDS, *DUES_TABLES)
NEVER_SET = "未设预算"
NEAR, OVER, NO_BUDGET = "接近", "超支", "无预算"
DUES_CODE = "401"  # 会费收入 (app.services.activities.DUES_CODE, not imported at start-up)
FROM_ROLL = "按本年会费应缴"
_LEVEL_COLOURS = {NEAR: QColor("#b35900"), OVER: QColor("#c0392b"), NO_BUDGET: QColor("#7a4eb0")}
_LINK = QColor("#1a5fb4")
_GREY = QColor("#8a8a8a")
_RED = QColor("#c0392b")
_INDENT = "　　"  # two full-width spaces per level of the tree


def _money(fen: int | None) -> str:
    return "" if fen is None else format_fen(fen)


def _pct(value: Decimal | None) -> str:
    return "" if value is None else f"{value}%"


def _name(category: CategoryInfo) -> str:
    return _INDENT * category.depth + category.name


def _grey_if_zero(fen: int) -> QColor | None:
    return _GREY if fen == 0 else None


def _budget_tip(row: BudgetRow) -> str:
    if row.budget_fen is None:
        return f"{NEVER_SET}（不是 0）。双击填写本年预算"
    if not row.own_line:
        return "本科目没有单独设预算，这是其细目预算的合计。双击可以单独设定"
    return "双击修改本年预算"


SPENDING_COLUMNS: tuple[Column[BudgetRow], ...] = (
    Column("code", "编码", 64, lambda r: r.category.code, lambda r: r.category.code),
    Column("name", "科目", 190, lambda r: _name(r.category), lambda r: r.category.code, hideable=False),
    Column(
        "budget",
        "预算数",
        100,
        lambda r: _money(r.budget_fen),
        lambda r: r.budget_fen or 0,
        alignment=RIGHT,
        foreground=lambda r: None if r.own_line else _GREY,
        tooltip=_budget_tip,
    ),
    Column(
        "committed",
        "已安排",
        90,
        lambda r: format_fen(r.committed_fen),
        attrgetter("committed_fen"),
        alignment=RIGHT,
        foreground=lambda r: _grey_if_zero(r.committed_fen),
        tooltip=lambda r: "已审批、进行中的活动计划中还没有花出去的钱",
    ),
    Column(
        "spent",
        "已支出",
        100,
        lambda r: format_fen(r.spent_fen),
        attrgetter("spent_fen"),
        alignment=RIGHT,
        foreground=lambda r: _LINK if r.spent_fen else _GREY,
        tooltip=lambda r: "点击查看这笔数由哪些活动支出和慰问组成" if r.spent_fen else None,
    ),
    Column(
        "activity",
        "其中活动",
        90,
        lambda r: format_fen(r.activity_fen),
        attrgetter("activity_fen"),
        alignment=RIGHT,
        foreground=lambda r: _grey_if_zero(r.activity_fen),
    ),
    Column(
        "care",
        "其中慰问",
        90,
        lambda r: format_fen(r.care_fen),
        attrgetter("care_fen"),
        alignment=RIGHT,
        foreground=lambda r: _grey_if_zero(r.care_fen),
        tooltip=lambda r: "慰问帮扶中记入本科目的慰问（事由与科目的对应见“科目与标准”）",
    ),
    Column(
        "remaining",
        "结余",
        100,
        lambda r: _money(r.remaining_fen),
        lambda r: r.remaining_fen or 0,
        alignment=RIGHT,
        foreground=lambda r: _RED if (r.remaining_fen or 0) < 0 else None,
        tooltip=lambda r: "预算 − 已支出 − 已安排" if r.remaining_fen is not None else None,
    ),
    Column(
        "used",
        "执行率",
        70,
        lambda r: _pct(r.used_pct),
        lambda r: r.used_pct or 0,
        alignment=RIGHT,
        tooltip=lambda r: "已支出 ÷ 预算" if r.used_pct is not None else None,
    ),
    Column(
        "level",
        "状态",
        60,
        attrgetter("level"),
        attrgetter("level"),
        alignment=Qt.AlignmentFlag.AlignCenter,
        foreground=lambda r: _LEVEL_COLOURS.get(r.level),
        tooltip=lambda r: {
            NEAR: "已支出和已安排合计达到预算的 80%",
            OVER: "已支出和已安排合计超过预算",
            NO_BUDGET: "没有预算却有支出",
        }.get(r.level),
    ),
)


def _income_note(row: IncomeRow) -> str:
    notes = []
    if row.from_dues_roll:
        notes.append(f"预算{FROM_ROLL}数（未另设预算）")
    if row.category.code == DUES_CODE:
        notes.append("实际数来自会费台账")
    return "；".join(notes)


INCOME_COLUMNS: tuple[Column[IncomeRow], ...] = (
    Column("code", "编码", 64, lambda r: r.category.code, lambda r: r.category.code),
    Column("name", "收入科目", 190, lambda r: _name(r.category), lambda r: r.category.code, hideable=False),
    Column(
        "budget",
        "预算数",
        100,
        lambda r: _money(r.budget_fen),
        lambda r: r.budget_fen or 0,
        alignment=RIGHT,
        foreground=lambda r: _GREY if r.from_dues_roll else None,
        tooltip=lambda r: f"{FROM_ROLL}数；双击可以另设预算" if r.from_dues_roll else "双击修改本年预算",
    ),
    Column(
        "actual",
        "实际收入",
        100,
        lambda r: format_fen(r.actual_fen),
        attrgetter("actual_fen"),
        alignment=RIGHT,
        foreground=lambda r: _grey_if_zero(r.actual_fen),
    ),
    Column(
        "done",
        "完成率",
        70,
        lambda r: _pct(_percent(r.actual_fen, r.budget_fen)),
        lambda r: _percent(r.actual_fen, r.budget_fen) or 0,
        alignment=RIGHT,
    ),
    Column("note", "说明", 260, _income_note, _income_note),
)


def _percent(part: int, whole: int | None) -> Decimal | None:
    from app.domain.budget import percent

    return percent(part, whole)


class BudgetModel(RowTableModel[Any]):
    """Rows in the tree's order, whatever header is clicked: the indentation is the meaning."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        return


@dataclass(frozen=True)
class LineToEdit:
    """The line whose budget the dialog sets."""

    year: int
    category: CategoryInfo
    budget_fen: int | None
    own_line: bool  # the figure shown is this line's own (not its sub-lines' sum, not the dues roll)
    path: str  # 职工活动支出—文体活动费


class BudgetDialog(QDialog):
    """One line's budget for the year: an amount, or 清除 (never set — not zero)."""

    def __init__(self, context: AppContext, line: LineToEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.line = line
        self.setWindowTitle("修改预算")
        if line.own_line and line.budget_fen is not None:
            now = f"{format_fen(line.budget_fen)} 元"
        elif line.budget_fen is not None and line.category.code == DUES_CODE:
            now = f"未设预算，按本年会费应缴数 {format_fen(line.budget_fen)} 元计"
        elif line.budget_fen is not None:
            now = f"未单独设预算，按其细目合计 {format_fen(line.budget_fen)} 元计"
        else:
            now = NEVER_SET
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("元，如 25000")
        if line.own_line and line.budget_fen is not None:
            self.amount.setText(format_fen(line.budget_fen, thousands=False))
        self.amount_error = ErrorLabel()
        self.error = ErrorLabel()
        form = QFormLayout()
        form.addRow("科目", QLabel(f"{line.category.code} {line.path}"))
        form.addRow("年度", QLabel(f"{line.year}年"))
        form.addRow("现在的预算", QLabel(now))
        form.addRow("本年预算（元）", with_message(self.amount, self.amount_error))
        hint = QLabel(
            "“清除预算”使这一行回到未设预算（不是 0）：上级科目按其余细目合计，"
            + ("会费收入按本年会费应缴数计。" if line.category.code == DUES_CODE else "执行率不计算。")
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        self.clear_button = buttons.addButton("清除预算", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.clear_button.setEnabled(line.own_line)
        cancel = buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(lambda: self.save())
        self.clear_button.clicked.connect(lambda: self.clear())
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    def save(self) -> None:
        self.amount_error.show_message("")
        text = self.amount.text().strip()
        if not text:
            self.amount_error.show_message("请填写金额；要回到未设预算，请点“清除预算”")
            return
        try:
            fen = yuan_to_fen(text)
        except MoneyError as error:
            self.amount_error.show_message(f"应是金额（元），如 25000：{error}")
            return
        if fen < 0:
            self.amount_error.show_message("预算不能是负数")
            return
        self._write(fen)

    def clear(self) -> None:
        self._write(None)

    def _write(self, fen: int | None) -> None:
        self.error.show_message("")
        self.save_button.setEnabled(False)
        self.clear_button.setEnabled(False)
        year, category_id = self.line.year, self.line.category.id

        def work(session: Session) -> None:
            from app.services.activities import set_budget

            set_budget(session, year, category_id, fen)

        def failed(error: BaseException) -> None:
            self.save_button.setEnabled(True)
            self.clear_button.setEnabled(self.line.own_line)
            tell_failure(self, self.error, error)

        write_operation(self, self._context, work, on_success=lambda _r: self.accept(), on_failure=failed)


class BudgetImportPanel(ImportOptionsPanel):
    """The budget's part of the import wizard: the 经费收支预算表 and the year it is for."""

    def __init__(self, year: int) -> None:
        super().__init__("经费收支预算表", "个科目的预算", "科目", self._importer, unit="行")
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(year)
        self.year.setSuffix(" 年")
        grid = QGridLayout()
        grid.addWidget(QLabel("这是哪一年的预算"), 0, 0)
        grid.addWidget(self.year, 0, 1)
        grid.setColumnStretch(2, 1)
        self.box.addLayout(grid)
        note = QLabel(
            "只导入“本年预算”一列；上年决算数、上年实际、说明等列不导入。"
            "上级科目等于其细目合计时不重复计算。已有的本年预算按表中的数字更新。"
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.box.addWidget(note)
        self.year.valueChanged.connect(lambda _v: self.changed.emit())

    def _importer(self) -> Importer[Any, Any]:
        from app.services.activities.import_budget import BudgetImporter, BudgetImportOptions

        importer: Importer[Any, Any] = BudgetImporter(BudgetImportOptions(year=self.year.value()))
        return importer


class BudgetTab(QWidget):
    """The 年度预算 tab of the 活动经费 page."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._generation = 0
        self.data: BudgetTable | None = None
        self._paths: dict[int, str] = {}
        this_year = date.today().year
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(this_year)
        self.year.setSuffix(" 年")
        self.year.setToolTip("看哪一年的预算")
        self.edit_button = QPushButton("修改预算…")
        self.edit_button.setToolTip("修改所选科目的本年预算，或清除为未设预算（也可双击预算数）")
        self.spent_button = QPushButton("支出明细…")
        self.spent_button.setToolTip("所选科目的已支出由哪些活动支出和慰问组成（也可点击已支出的数字）")
        self.income_button = QPushButton("登记其他收入…")
        self.income_button.setToolTip("拨缴经费、上级补助、行政补助等会费以外的收入")
        self.import_button = QPushButton("导入预算表…")
        self.import_button.setToolTip("导入 Excel 中的工会经费收支预算表（本年预算数一列）")
        self.categories_button = QPushButton("科目与标准…")
        self.categories_button.setToolTip("收支科目（可添加细目）、慰问记入哪个科目、活动开支标准")
        self._database_buttons = (self.income_button, self.import_button, self.categories_button)
        self._row_buttons = (self.edit_button, self.spent_button)
        for button in (*self._database_buttons, *self._row_buttons):
            button.setEnabled(False)
        # -- the spending table, its totals, the income table, the chart ----------------------------
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet(
            "color: #8a4b00; background: #fff4e0; border: 1px solid #f0c987; border-radius: 4px; padding: 4px;"
        )
        self.warnings.hide()
        self.model = BudgetModel(SPENDING_COLUMNS, row_id=lambda r: r.category.id)
        self.table = RowTableView("budget_spending", self.model)
        self.table.setSortingEnabled(False)
        self.table.horizontalHeader().setSortIndicatorShown(False)
        self.columns_button = ColumnChooserButton(self.table)
        self.totals = QLabel("打开账套后显示预算")
        self.totals.setWordWrap(True)  # on a 1024-pixel screen the line is wider than its table
        self.totals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.income_model = BudgetModel(INCOME_COLUMNS, row_id=lambda r: r.category.id)
        self.income_table = RowTableView("budget_income", self.income_model)
        self.income_table.setSortingEnabled(False)
        self.income_table.horizontalHeader().setSortIndicatorShown(False)
        self.income_table.horizontalHeader().setStretchLastSection(True)
        self.income_totals = QLabel()
        self.income_totals.setWordWrap(True)
        self.income_totals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.chart = BudgetChart()
        top = QHBoxLayout()
        top.addWidget(QLabel("年度"))
        top.addWidget(self.year)
        top.addSpacing(12)
        for button in (self.edit_button, self.spent_button):
            top.addWidget(button)
        top.addSpacing(12)
        for button in (self.income_button, self.import_button):
            top.addWidget(button)
        top.addStretch(1)
        top.addWidget(self.categories_button)
        top.addWidget(self.columns_button)
        spending = QWidget()
        spending_box = QVBoxLayout(spending)
        spending_box.setContentsMargins(0, 0, 0, 0)
        heading = QLabel("<b>支出</b>　（灰色的预算数是细目合计；双击预算数修改，点击已支出看明细）")
        heading.setWordWrap(True)
        spending_box.addWidget(heading)
        spending_box.addWidget(self.table, 1)
        spending_box.addWidget(self.totals)
        income = QGroupBox("收入")
        income_box = QVBoxLayout(income)
        income_box.addWidget(self.income_table, 1)
        income_box.addWidget(self.income_totals)
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(spending)
        left.addWidget(income)
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 2)
        left.setSizes([430, 290])  # the income table's seven 科目 whole, not three and a scroll bar
        left.setChildrenCollapsible(False)
        remember_splitter(left, "budget_tables")
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.chart)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([1150, 330])  # the tables' columns whole at 1280 pixels; the chart beside
        self.splitter.setChildrenCollapsible(False)
        remember_splitter(self.splitter, "budget")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.warnings)
        layout.addWidget(self.splitter, 1)
        self.year.valueChanged.connect(lambda _v: self.reload())
        self.edit_button.clicked.connect(lambda: self.edit_budget())
        self.spent_button.clicked.connect(lambda: self.show_spent())
        self.income_button.clicked.connect(lambda: self.enter_income())
        self.import_button.clicked.connect(lambda: self.import_budget())
        self.categories_button.clicked.connect(lambda: self.show_categories())
        self.table.clicked.connect(self._clicked)
        self.table.doubleClicked.connect(self._double_clicked)
        self.income_table.doubleClicked.connect(lambda _i: self.edit_budget(self.income_table))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected(self.table))
        self.income_table.selectionModel().selectionChanged.connect(
            lambda *_: self._selected(self.income_table)
        )
        self.table.rows_reset.connect(lambda: self._selected(None))
        self.refresher = RefreshWhenShown(self, context, WATCHED, self.reload)
        context.database_opened.connect(self._opened)
        if context.db is not None:
            self._opened(context.db)

    def _opened(self, _db: object) -> None:
        for button in self._database_buttons:
            button.setEnabled(True)
        self.refresher.mark_stale()

    def save_state(self) -> None:
        self.table.save_state()
        self.income_table.save_state()

    # -- reading --------------------------------------------------------------------------------
    def reload(self) -> None:
        if self.context.db is None:
            return
        self._generation += 1
        generation = self._generation
        year = self.year.value()

        def work(session: Session) -> tuple[BudgetTable, dict[int, str]]:
            from app.services.activities import budget_table, load_tree

            tree = load_tree(session)
            return budget_table(session, year), {c.id: tree.path(c.id) for c in tree.items}

        def loaded(found: tuple[BudgetTable, dict[int, str]]) -> None:
            if alive(self) and generation == self._generation:
                self.show_table(*found)

        read_operation(self, self.context, work, on_success=loaded, label="正在读取预算……")

    def show_table(self, table: BudgetTable, paths: dict[int, str]) -> None:
        self.data = table
        self._paths = paths
        self.model.set_rows(table.spending)
        self.income_model.set_rows(table.income)
        self.warnings.setText("注意：" + "；".join(table.warnings) + "。" if table.warnings else "")
        self.warnings.setVisible(bool(table.warnings))
        rate = table.execution_rate
        rate_text = f"<b>{rate}%</b>" if rate is not None else "—（没有支出预算）"
        self.totals.setText(
            f"{table.year}年　支出预算合计 <b>{format_fen(table.spending_budget_fen)}</b> 元　"
            f"已安排 {format_fen(table.committed_fen)} 元　"
            f"已支出 <b>{format_fen(table.spent_fen)}</b> 元　执行率 {rate_text}"
        )
        dues_note = (
            "（会费收入未设预算的按本年会费应缴数计）" if any(r.from_dues_roll for r in table.income) else ""
        )
        self.income_totals.setText(
            f"收入预算合计 <b>{format_fen(table.income_budget_fen)}</b> 元　"
            f"实际收入 <b>{format_fen(table.income_actual_fen)}</b> 元{dues_note}"
        )
        self.chart.set_table(table)

    # -- the selected line ------------------------------------------------------------------------
    def _selected(self, view: RowTableView | None) -> None:
        """One line is chosen at a time, in either table."""
        if view is self.table and self.table.current_row() is not None:
            self.income_table.clearSelection()
        elif view is self.income_table and self.income_table.current_row() is not None:
            self.table.clearSelection()
        spending = self.table.current_row()
        chosen = spending or self.income_table.current_row()
        database = self.context.db is not None
        self.edit_button.setEnabled(database and chosen is not None)
        self.spent_button.setEnabled(database and spending is not None)

    def _column_key(self, index: QModelIndex) -> str:
        return self.model.columns[index.column()].key

    def _clicked(self, index: QModelIndex) -> None:
        if self._column_key(index) == "spent":
            row = index.data(RowRole)
            if row is not None and row.spent_fen:
                self.show_spent(row)

    def _double_clicked(self, index: QModelIndex) -> None:
        key = self._column_key(index)
        if key in ("spent", "activity", "care"):
            if key != "spent":  # a single click on 已支出 has opened it already
                self.show_spent()
        elif key in ("code", "name", "budget"):
            self.edit_budget(self.table)

    def edit_budget(self, view: RowTableView | None = None) -> BudgetDialog | None:
        """The budget dialog for the line selected (in ``view``, or in either table)."""
        if self.context.db is None or self.data is None:
            return None
        spending: BudgetRow | None = self.table.current_row() if view in (None, self.table) else None
        income: IncomeRow | None = (
            self.income_table.current_row() if view in (None, self.income_table) else None
        )
        if spending is not None:
            row: BudgetRow | IncomeRow = spending
            own = spending.own_line
        elif income is not None:
            row, own = income, not income.from_dues_roll
        else:
            return None
        path = self._paths.get(row.category.id, row.category.name)
        line = LineToEdit(
            self.data.year, row.category, row.budget_fen, own and row.budget_fen is not None, path
        )
        dialog = BudgetDialog(self.context, line, self)
        dialog.open()
        return dialog

    def show_spent(self, row: BudgetRow | None = None) -> SpentDialog | None:
        from app.ui.activities.spent_dialog import SpentDialog

        row = row or self.table.current_row()
        if row is None or self.context.db is None or self.data is None:
            return None
        path = self._paths.get(row.category.id, row.category.name)
        dialog = SpentDialog(self.context, self.data.year, row.category.id, f"{row.category.code} {path}",
                             row.spent_fen, self)  # fmt: skip
        dialog.open()
        return dialog

    # -- the other dialogs ----------------------------------------------------------------------------
    def _open(self, make: Callable[[], QDialog]) -> Any:
        if self.context.db is None:
            return None
        dialog = make()
        dialog.open()
        return dialog

    def enter_income(self) -> IncomeDialog | None:
        from app.ui.activities.income_dialog import IncomeDialog

        dialog: IncomeDialog | None = self._open(lambda: IncomeDialog(self.context, self.year.value(), self))
        return dialog

    def show_categories(self) -> CategoriesDialog | None:
        from app.ui.activities.categories_dialog import CategoriesDialog

        dialog: CategoriesDialog | None = self._open(lambda: CategoriesDialog(self.context, self))
        return dialog

    def import_budget(self) -> ImportWizard | None:
        from app.ui.imports.wizard import ImportWizard

        wizard: ImportWizard | None = self._open(
            lambda: ImportWizard(self.context, BudgetImportPanel(self.year.value()), self)
        )
        return wizard
