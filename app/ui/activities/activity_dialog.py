"""The activity editor (新建活动 / 修改活动): the plan, its budget lines, who took part and what
was actually spent, with 节超 per category and in total.

Tabs: 基本信息 (name, kind, dates, place, organiser, headcount when names are not kept,
note), 预算 (an editing grid: item, category, unit price × heads or an amount, the limit a
line exceeds and its reason), 参加人员 (members chosen with the picker), 实际支出 (a list,
each expense in its own small dialog) and 节超. Every line is checked against the activity
limits while it is typed — the same checks the service makes — and the limits exceeded are
listed under the tabs, with the reason each still needs. A refusal of the service is shown
beside the field or under the list it is about, and that tab is brought forward.

The budget grid is an editing grid, not a list, so it is a QTableWidget; the participants,
the expenses and the 节超 lines are lists and use the generic table. Nothing is written
before 保存, and 保存 is one write: the activity, its participants, its budget lines and the
expenses added, corrected or deleted, all or nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.activities import Kind, Limits, Line, check_activity, check_line
from app.domain.money import MAX_AMOUNT_FEN, format_fen
from app.services.activities.wording import variance_words
from app.services.errors import UserError, ValidationError
from app.ui.activities.fields import (
    MISSING_REASON,
    OVER_COLOUR,
    date_edit,
    day_of,
    fill_categories,
    money_text,
    read_count,
    read_money,
    set_day,
    variance_colour,
)
from app.ui.activities.participants_tab import Memberships, ParticipantsTab, PersonRow
from app.ui.context import AppContext
from app.ui.dialog_parts import resize_within_screen, tell_failure, with_message
from app.ui.operations import read_operation, write_operation
from app.ui.tables import Column, RowTableModel, RowTableView, date_column, number_column, text_column
from app.ui.widgets import ErrorLabel

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.activities import (
        ActivityDetail,
        ActivityInput,
        CategoryInfo,
        ExpenseInput,
        ItemInput,
        Tree,
    )
    from app.services.roster import Roster
    from app.ui.activities.expense_dialog import ExpenseDialog

# the tabs
BASIC, BUDGET, PEOPLE, SPENDING, VARIANCE = range(5)
# the budget grid's columns
ITEM, CATEGORY, PER_HEAD, HEADS, AMOUNT, OVER, REASON = range(7)
GRID_TITLES = ("项目", "科目", "单价（元）", "人数", "金额（元）", "超过标准", "超标准原因")
_BASIC_FIELDS = ("name", "kind", "start", "end", "place", "organiser", "headcount", "note", "reason")
_ACTIVITY_OVER = "活动超过标准"  # how the service starts the refusal about the activity as a whole


@dataclass(frozen=True)
class ExpenseRow:
    """An expense in the editor's list: one stored (``expense_id``) or added here."""

    key: int  # the stored id, or a negative number for one added here
    expense_id: int | None
    data: ExpenseInput
    category: str  # 50102 文体活动费
    over: str  # the limits it exceeds, in words

    @property
    def day(self) -> date:
        return self.data.day

    @property
    def amount_fen(self) -> int:
        return self.data.amount_fen


@dataclass(frozen=True)
class _Loaded:
    """What the editor reads before it can be used."""

    roster: Roster
    tree: Tree
    limits: Limits
    detail: ActivityDetail | None
    memberships: Memberships


@dataclass(frozen=True)
class VarianceRow:
    """Budget against actual for one category of the activity (or the total)."""

    category_id: int  # 0 for the total
    category: str
    budget_fen: int
    spent_fen: int


@dataclass(frozen=True)
class GridLine:
    """A row of the budget grid as read: the line, or what is wrong with it."""

    number: int  # 1-based, as messages name it
    item: ItemInput | None
    problem: str
    over: str


class SaveRefused(UserError):
    """The service refused part of the save; ``where`` says which tab it is about."""

    def __init__(self, where: int, error: UserError, prefix: str = "") -> None:
        self.where = where
        self.errors = dict(error.errors) if isinstance(error, ValidationError) else {}
        self.prefix = prefix
        super().__init__(f"{prefix}{error}")


def _expense_text(attr: str) -> Callable[[ExpenseRow], str]:
    return lambda row: str(getattr(row.data, attr))


def _reason_colour(row: ExpenseRow) -> Any:
    return OVER_COLOUR if row.over else None


EXPENSE_COLUMNS: tuple[Column[ExpenseRow], ...] = (
    date_column("day", "日期", 86),
    Column("payee", "收款方", 100, _expense_text("payee"), _expense_text("payee")),
    Column("item", "内容", 100, _expense_text("item"), _expense_text("item"), hideable=False),
    text_column("category", "科目", 130),
    number_column("amount", "金额", 80, attr="amount_fen", format=format_fen),
    Column("invoice", "发票号", 165, _expense_text("invoice_no"), _expense_text("invoice_no")),
    Column("paid_by", "经办人", 56, _expense_text("paid_by"), _expense_text("paid_by")),
    Column(
        "over", "超过标准", 170, attrgetter("over"), attrgetter("over"),
        foreground=_reason_colour, tooltip=lambda r: r.over or None,
    ),
    Column("reason", "超标准原因", 160, _expense_text("reason"), _expense_text("reason"),
           tooltip=lambda r: r.data.reason or None),
)  # fmt: skip

VARIANCE_COLUMNS: tuple[Column[VarianceRow], ...] = (
    Column(  # the total last, the categories in code order
        "category", "科目", 220, attrgetter("category"), lambda r: (r.category_id == 0, r.category), hideable=False
    ),
    number_column("budget", "预算", 100, attr="budget_fen", format=format_fen),
    number_column("spent", "实际支出", 100, attr="spent_fen", format=format_fen),
    Column(
        "variance", "节超", 130,
        lambda r: variance_words(r.budget_fen, r.spent_fen),
        lambda r: r.spent_fen - r.budget_fen,
        foreground=lambda r: variance_colour(r.budget_fen, r.spent_fen),
    ),
)  # fmt: skip


def _cell(text: str = "", *, editable: bool = True, right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if not editable:
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class ActivityDialog(QDialog):
    saved = Signal(int)  # the activity's id (the new one's, or the one corrected)
    ready = Signal()  # the roster, the categories, the limits (and the activity) are in the form

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        activity_id: int | None = None,
        year: int | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self.activity_id = activity_id
        self.tree: Tree | None = None
        self.categories: list[CategoryInfo] = []
        self.limits = Limits([])
        self._removed: list[int] = []  # stored expenses deleted here
        self._originals: dict[int, ExpenseInput] = {}  # stored expenses as they were read
        self._next_key = -1
        self._filling = False
        self.setWindowTitle("新建活动" if activity_id is None else "修改活动")
        self.tabs = QTabWidget()
        self.tabs.addTab(self._basic_tab(year), "基本信息")
        self.tabs.addTab(self._budget_tab(), "预算")
        self.participants = ParticipantsTab()
        self.participants.changed.connect(self.refresh)
        self.tabs.addTab(self.participants, "参加人员")
        self.tabs.addTab(self._spending_tab(), "实际支出")
        self.tabs.addTab(self._variance_tab(), "节超")
        self.findings = QLabel()
        self.findings.setWordWrap(True)
        self.findings.setTextFormat(Qt.TextFormat.RichText)
        self.error = ErrorLabel()
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(
            "保存" if activity_id is None else "保存修改", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setEnabled(False)  # once the categories (and the activity) are in
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole).clicked.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.findings)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        resize_within_screen(self, 1120, 720)
        self._load()

    # -- 基本信息 ------------------------------------------------------------------------------------
    def _basic_tab(self, year: int | None) -> QWidget:
        today = date.today()
        first = today if year is None or year == today.year else date(year, 1, 1)
        self.name = QLineEdit()
        self.name.setMaxLength(80)
        self.name.setPlaceholderText("如：职工篮球赛、秋季一日游、安全生产知识培训")
        self.kind = QComboBox()
        for kind in Kind:
            self.kind.addItem(kind.value, kind.value)
        self.start = date_edit(first)
        self.has_end = QCheckBox("至")
        self.has_end.setToolTip("活动不止一天时勾选，填写结束日期")
        self.end = date_edit(first)
        self.end.setEnabled(False)
        dates = QWidget()
        dates_row = QHBoxLayout(dates)
        dates_row.setContentsMargins(0, 0, 0, 0)
        dates_row.addWidget(self.start)
        dates_row.addWidget(self.has_end)
        dates_row.addWidget(self.end)
        dates_row.addStretch(1)
        self.place = QLineEdit()
        self.place.setMaxLength(80)
        self.organiser = QLineEdit()
        self.organiser.setMaxLength(40)
        self.organiser.setPlaceholderText("负责的部门或个人")
        self.headcount = QSpinBox()
        self.headcount.setRange(0, 1_000_000)
        self.headcount.setSuffix(" 人")
        self.headcount.setSpecialValueText("未填写")
        self.headcount.setToolTip("不记参加人员名单时填写；记了名单（“参加人员”页）则按名单人数计")
        self.note = QLineEdit()
        self.note.setMaxLength(400)
        self.status = QLabel("计划中（新建的活动）")
        self.activity_limit = QLabel()
        self.activity_limit.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText("整个活动超过标准（外出天数、人均）时必须填写")
        self.messages = {key: ErrorLabel() for key in _BASIC_FIELDS}
        form = QFormLayout()
        form.addRow("活动名称", with_message(self.name, self.messages["name"]))
        form.addRow("类型", with_message(self.kind, self.messages["kind"]))
        form.addRow("日期", with_message(dates, self.messages["end"]))
        form.addRow("地点", with_message(self.place, self.messages["place"]))
        form.addRow("组织者", with_message(self.organiser, self.messages["organiser"]))
        form.addRow("参加人数", with_message(self.headcount, self.messages["headcount"]))
        form.addRow("备注", with_message(self.note, self.messages["note"]))
        form.addRow("状态", self.status)
        form.addRow("标准", self.activity_limit)
        form.addRow("超标准原因", with_message(self.reason, self.messages["reason"]))
        tab = QWidget()
        tab.setLayout(form)
        self.has_end.toggled.connect(self._end_toggled)
        for field in (self.name, self.reason):
            field.textChanged.connect(lambda _t: self.refresh())
        self.kind.currentIndexChanged.connect(lambda _i: self.refresh())
        self.start.dateChanged.connect(lambda _d: self._start_changed())
        self.end.dateChanged.connect(lambda _d: self.refresh())
        self.headcount.valueChanged.connect(lambda _v: self.refresh())
        return tab

    def _end_toggled(self, on: bool) -> None:
        self.end.setEnabled(on)
        if on and self.end.date() < self.start.date():
            self.end.setDate(self.start.date())
        self.refresh()

    def _start_changed(self) -> None:
        if not self.has_end.isChecked():
            self.end.setDate(self.start.date())
        self.refresh()

    # -- 预算 ------------------------------------------------------------------------------------------
    def _budget_tab(self) -> QWidget:
        intro = QLabel(
            "每行一个预算项目。按人头计的填“单价”和“人数”，金额自动算出；其他的直接填“金额”。"
            "工作餐、奖品等填上人数，便于按标准检查。超过标准的行必须写明原因。"
        )
        intro.setWordWrap(True)
        self.grid = QTableWidget(0, len(GRID_TITLES))
        self.grid.setHorizontalHeaderLabels(GRID_TITLES)
        self.grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.grid.verticalHeader().setDefaultSectionSize(30)
        for column, width in ((ITEM, 130), (CATEGORY, 190), (PER_HEAD, 80), (HEADS, 60), (AMOUNT, 95),
                              (OVER, 200)):  # fmt: skip
            self.grid.setColumnWidth(column, width)
        self.grid.horizontalHeader().setSectionResizeMode(REASON, QHeaderView.ResizeMode.Stretch)
        self.add_line_button = QPushButton("添加一行")
        self.remove_line_button = QPushButton("删除所选行")
        self.remove_line_button.setEnabled(False)
        self.budget_total = QLabel()
        self.grid_error = ErrorLabel()
        self.add_line_button.clicked.connect(lambda: self.add_line())
        self.remove_line_button.clicked.connect(self.remove_lines)
        self.grid.itemSelectionChanged.connect(
            lambda: self.remove_line_button.setEnabled(bool(self.grid.selectionModel().selectedRows()))
        )
        self.grid.itemChanged.connect(self._grid_changed)
        actions = QHBoxLayout()
        actions.addWidget(self.add_line_button)
        actions.addWidget(self.remove_line_button)
        actions.addWidget(self.budget_total, 1)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(intro)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.grid_error)
        layout.addLayout(actions)
        return tab

    def add_line(
        self,
        item: str = "",
        category_id: int | None = None,
        *,
        amount_fen: int | None = None,
        per_head_fen: int | None = None,
        heads: int | None = None,
        reason: str = "",
    ) -> int:
        """A new row of the budget grid (filled with what is given); returns its index."""
        row = self.grid.rowCount()
        self._filling = True
        self.grid.insertRow(row)
        box = QComboBox()
        fill_categories(
            box, self.categories, category_id if category_id is not None else self._usual_category()
        )
        self.grid.setCellWidget(row, CATEGORY, box)
        per_head = per_head_fen is not None and heads is not None
        self.grid.setItem(row, ITEM, _cell(item))
        self.grid.setItem(row, PER_HEAD, _cell(money_text(per_head_fen), right=True))
        self.grid.setItem(row, HEADS, _cell("" if heads is None else str(heads), right=True))
        self.grid.setItem(row, AMOUNT, _cell("" if per_head else money_text(amount_fen), right=True))
        self.grid.setItem(row, OVER, _cell(editable=False))
        self.grid.setItem(row, REASON, _cell(reason))
        self._filling = False
        box.currentIndexChanged.connect(lambda _i: self.refresh())
        if not item:
            self.grid.setCurrentCell(row, ITEM)
            cell = self.grid.item(row, ITEM)
            if cell is not None and self.isVisible():
                self.grid.editItem(cell)
        self.refresh()
        return row

    def _usual_category(self) -> int | None:
        """A new line's category: the last line's, else 文体活动费 or the first spending line."""
        for row in range(self.grid.rowCount() - 1, -1, -1):
            box = self.grid.cellWidget(row, CATEGORY)
            if isinstance(box, QComboBox) and box.currentData() is not None:
                return int(box.currentData())
        return next((c.id for c in self.categories if c.code == "50102"), None)

    def remove_lines(self) -> None:
        for row in sorted({i.row() for i in self.grid.selectionModel().selectedRows()}, reverse=True):
            self.grid.removeRow(row)
        self.refresh()

    def set_cell(self, row: int, column: int, text: str) -> None:
        """Type ``text`` into a cell of the budget grid (the category by its code or label)."""
        widget = self.grid.cellWidget(row, column)
        if isinstance(widget, QComboBox):
            found = next((c for c in self.categories if text in (c.code, c.label, c.name)), None)
            if found is not None:
                widget.setCurrentIndex(widget.findData(found.id))
            return
        item = self.grid.item(row, column)
        if item is not None:
            item.setText(text)

    def _grid_changed(self, item: QTableWidgetItem) -> None:
        if not self._filling and item.column() in (ITEM, PER_HEAD, HEADS, AMOUNT, REASON):
            self.refresh()

    def _text(self, row: int, column: int) -> str:
        item = self.grid.item(row, column)
        return item.text().strip() if item is not None else ""

    def read_grid(self) -> list[GridLine]:
        """Every row of the budget grid, read and checked (blank rows left out)."""
        from app.services.activities import ItemInput

        lines: list[GridLine] = []
        participants = self.participant_count()
        start = day_of(self.start)
        for row in range(self.grid.rowCount()):
            number = row + 1
            texts = [self._text(row, c) for c in (ITEM, PER_HEAD, HEADS, AMOUNT, REASON)]
            if not any(texts):
                continue
            name, _per_head, _heads, _amount, reason = texts
            per_head, problem = read_money(self._text(row, PER_HEAD), "单价")
            heads, problem2 = read_count(self._text(row, HEADS), "人数")
            amount, problem3 = read_money(self._text(row, AMOUNT), "金额")
            problem = problem or problem2 or problem3
            box = self.grid.cellWidget(row, CATEGORY)
            category = box.currentData() if isinstance(box, QComboBox) else None
            if not problem and not name:
                problem = "请填写项目"
            if not problem and category is None:
                problem = "请选择科目"
            if per_head is not None and heads is not None:
                amount = per_head * heads
            elif per_head is not None and not problem:
                problem = "填了单价，请再填人数"
            if not problem and amount is None:
                problem = "请填写金额（或单价和人数）"
            if not problem and amount is not None and amount > MAX_AMOUNT_FEN:
                problem = "金额超出范围"
            if problem or amount is None or category is None:
                lines.append(GridLine(number, None, f"预算第 {number} 行：{problem}", ""))
                continue
            line = ItemInput(name, int(category), amount if per_head is None else 0,
                             per_head, heads if per_head is not None or heads is not None else None, reason)  # fmt: skip
            over = "；".join(check_line(Line(name, amount, heads), participants or None, start, self.limits))
            lines.append(GridLine(number, line, "", over))
        return lines

    def _show_grid_checks(self, lines: list[GridLine]) -> None:
        """The computed amounts, the limits exceeded, the reasons still wanted, in the grid."""
        by_number = {line.number: line for line in lines}
        self._filling = True
        for row in range(self.grid.rowCount()):
            line = by_number.get(row + 1)
            per_head = bool(self._text(row, PER_HEAD)) and bool(self._text(row, HEADS))
            amount = self.grid.item(row, AMOUNT)
            if amount is not None:
                flags = amount.flags()
                if per_head:
                    amount.setFlags(flags & ~Qt.ItemFlag.ItemIsEditable)
                    total = line.item.total_fen if line is not None and line.item is not None else None
                    amount.setText(money_text(total))
                    amount.setToolTip("单价 × 人数")
                else:
                    amount.setFlags(flags | Qt.ItemFlag.ItemIsEditable)
                    amount.setToolTip("")
            over = line.over if line is not None else ""
            over_cell = self.grid.item(row, OVER)
            if over_cell is not None:
                over_cell.setText(over)
                over_cell.setToolTip(over)
                over_cell.setForeground(QBrush(OVER_COLOUR))
            reason = self.grid.item(row, REASON)
            if reason is not None:
                wanted = bool(over) and not reason.text().strip()
                reason.setBackground(QBrush(MISSING_REASON) if wanted else QBrush())
                reason.setToolTip("超过标准，必须写明原因" if wanted else "")
        self._filling = False

    def participant_count(self) -> int:
        """Named participants, else the headcount (as the service counts them)."""
        return self.participants.count or self.headcount.value()

    # -- 实际支出 ------------------------------------------------------------------------------------
    def _spending_tab(self) -> QWidget:
        self.expenses = RowTableModel(EXPENSE_COLUMNS, row_id=attrgetter("key"),
                                      foreground=lambda r: OVER_COLOUR if r.over and not r.data.reason else None)  # fmt: skip
        self.expenses_view = RowTableView("activity_expenses", self.expenses,
                                          default_sort=("day", Qt.SortOrder.AscendingOrder))  # fmt: skip
        self.add_expense_button = QPushButton("登记支出…")
        self.edit_expense_button = QPushButton("修改…")
        self.delete_expense_button = QPushButton("删除")
        for button in (self.edit_expense_button, self.delete_expense_button):
            button.setEnabled(False)
        self.spent_line = QLabel()
        self.expense_error = ErrorLabel()
        self.add_expense_button.clicked.connect(lambda: self.add_expense())
        self.edit_expense_button.clicked.connect(lambda: self.edit_expense())
        self.delete_expense_button.clicked.connect(lambda: self.delete_expense())
        self.expenses_view.doubleClicked.connect(lambda _i: self.edit_expense())
        self.expenses_view.selectionModel().selectionChanged.connect(lambda *_: self._expense_selected())
        self.expenses_view.rows_reset.connect(self._expense_selected)
        actions = QHBoxLayout()
        for button in (self.add_expense_button, self.edit_expense_button, self.delete_expense_button):
            actions.addWidget(button)
        actions.addWidget(self.spent_line, 1)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.expenses_view, 1)
        layout.addWidget(self.expense_error)
        layout.addLayout(actions)
        return tab

    def _expense_selected(self) -> None:
        chosen = self.expenses_view.current_row() is not None
        self.edit_expense_button.setEnabled(chosen)
        self.delete_expense_button.setEnabled(chosen)

    def _expense_row(self, key: int, expense_id: int | None, data: ExpenseInput) -> ExpenseRow:
        label = self.tree.by_id[data.category_id].label if self.tree is not None else ""
        over = "；".join(check_line(Line(data.item, data.amount_fen), self.participant_count() or None,
                                   data.day, self.limits))  # fmt: skip
        return ExpenseRow(key, expense_id, data, label, over)

    def expense_dialog(self, data: ExpenseInput | None = None) -> ExpenseDialog:
        """The small dialog for one expense (not yet shown)."""
        from app.ui.activities.expense_dialog import ExpenseDialog

        categories = list(self.categories)
        last = self.expenses.rows[-1].data.category_id if self.expenses.rows else self._usual_category()
        return ExpenseDialog(categories, self.limits, self.participant_count(), self, data=data,
                             day=day_of(self.start), category_id=last)  # fmt: skip

    def add_expense(self, data: ExpenseInput | None = None) -> ExpenseDialog | None:
        """With ``data``: put it on the list at once; else open the dialog to type one."""
        if data is not None:
            self._put_expense(None, data)
            return None
        dialog = self.expense_dialog()
        dialog.accepted.connect(lambda: self._put_expense(None, dialog.value))
        dialog.open()
        return dialog

    def edit_expense(self, data: ExpenseInput | None = None) -> ExpenseDialog | None:
        row = self.expenses_view.current_row()
        if not isinstance(row, ExpenseRow):
            return None
        if data is not None:
            self._put_expense(row, data)
            return None
        dialog = self.expense_dialog(row.data)
        dialog.accepted.connect(lambda: self._put_expense(row, dialog.value))
        dialog.open()
        return dialog

    def _put_expense(self, old: ExpenseRow | None, data: ExpenseInput | None) -> None:
        if data is None:
            return
        if old is None:
            key, self._next_key = self._next_key, self._next_key - 1
            new = self._expense_row(key, None, data)
            self.expenses.set_rows([*self.expenses.rows, new])
        else:
            new = self._expense_row(old.key, old.expense_id, data)
            self.expenses.set_rows([new if r.key == old.key else r for r in self.expenses.rows])
        self.expenses_view.select_id(new.key)
        self.refresh()

    def delete_expense(self) -> None:
        row = self.expenses_view.current_row()
        if not isinstance(row, ExpenseRow):
            return
        if row.expense_id is not None:
            self._removed.append(row.expense_id)
        self.expenses.set_rows([r for r in self.expenses.rows if r.key != row.key])
        self.refresh()

    # -- 节超 ------------------------------------------------------------------------------------------
    def _variance_tab(self) -> QWidget:
        self.variance = RowTableModel(VARIANCE_COLUMNS, row_id=attrgetter("category_id"))
        self.variance_view = RowTableView(
            "activity_variance", self.variance, default_sort=("category", Qt.SortOrder.AscendingOrder)
        )
        self.variance_view.setSortingEnabled(False)
        self.variance_line = QLabel()
        self.variance_line.setWordWrap(True)
        note = QLabel(
            "预算按“预算”页的各行，实际支出按“实际支出”页的各笔，按科目对比；保存前也按正在填写的内容计算。"
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.variance_line)
        layout.addWidget(self.variance_view, 1)
        layout.addWidget(note)
        return tab

    def variance_rows(self, lines: list[GridLine]) -> list[VarianceRow]:
        """Per category, the budget typed against the expenses listed; the total last."""
        planned: dict[int, int] = defaultdict(int)
        actual: dict[int, int] = defaultdict(int)
        for line in lines:
            if line.item is not None:
                planned[line.item.category_id] += line.item.total_fen
        for expense in self.expenses.rows:
            actual[expense.data.category_id] += expense.data.amount_fen
        tree = self.tree
        if tree is None:
            return []
        ids = sorted(set(planned) | set(actual), key=lambda c: tree.by_id[c].code)
        rows = [VarianceRow(c, tree.by_id[c].label, planned.get(c, 0), actual.get(c, 0)) for c in ids]
        if rows:
            rows.append(VarianceRow(0, "合计", sum(planned.values()), sum(actual.values())))
        return rows

    # -- the checks, shown while typing ---------------------------------------------------------------
    def activity_over(self, lines: list[GridLine]) -> str:
        """The activity's own limits it exceeds (an outing's days, per head), as the service
        judges them: by its spending when it has any, else by its budget."""
        spent = sum(e.data.amount_fen for e in self.expenses.rows)
        budget = sum(line.item.total_fen for line in lines if line.item is not None)
        end = day_of(self.end) if self.has_end.isChecked() else None
        found = check_activity(self.name.text().strip(), str(self.kind.currentData()), day_of(self.start), end,
                               self.participant_count() or None, spent or budget, self.limits)  # fmt: skip
        return "；".join(found)

    def refresh(self) -> None:
        """Everything computed from the form: amounts, the limits exceeded, the totals, 节超."""
        if self._filling:
            return
        lines = self.read_grid()
        self._show_grid_checks(lines)
        budget = sum(line.item.total_fen for line in lines if line.item is not None)
        spent = sum(e.data.amount_fen for e in self.expenses.rows)
        # expenses are re-checked: the participants (and so the limits they meet) may have changed
        rechecked = [self._expense_row(r.key, r.expense_id, r.data) for r in self.expenses.rows]
        if [r.over for r in rechecked] != [r.over for r in self.expenses.rows]:
            self.expenses.set_rows(rechecked)
        self.budget_total.setText(f"预算合计 <b>{format_fen(budget)}</b> 元")
        self.spent_line.setText(f"共 {len(self.expenses.rows)} 笔，合计 <b>{format_fen(spent)}</b> 元")
        self.variance.set_rows(self.variance_rows(lines))
        words = variance_words(budget, spent)
        colour = "#a11212" if budget and spent > budget else "#2e7d32" if budget else "#555"
        if not spent:
            words, colour = "还没有实际支出", "#555"
        self.variance_line.setText(
            (f"预算 {format_fen(budget)} 元" if budget else "没有编列活动预算")
            + f"，实际支出 {format_fen(spent)} 元"
            + (f"，<b style='color:{colour}'>{words}</b>" if words and budget else "")
        )
        self.tabs.setTabText(BUDGET, f"预算（{sum(1 for line in lines if line.item is not None)} 行）")
        count = self.participants.count
        self.tabs.setTabText(PEOPLE, f"参加人员（{count} 人）" if count else "参加人员")
        self.participants.show_state(day_of(self.start))
        self.tabs.setTabText(SPENDING, f"实际支出（{len(self.expenses.rows)} 笔）")
        self.tabs.setTabText(VARIANCE, "节超（超支）" if budget and spent > budget else "节超")
        over = self.activity_over(lines)
        self.activity_limit.setText(
            f"<span style='color:#b35900'>超过标准：{over}</span>"
            if over
            else "<span style='color:#2e7d32'>符合标准</span>"
        )
        self._show_findings(lines, over)

    def _show_findings(self, lines: list[GridLine], activity_over: str) -> None:
        """The limits exceeded, each with its reason or the request for one."""
        found: list[str] = []

        def say(where: str, over: str, reason: str) -> None:
            if reason:
                found.append(f"<span style='color:#b35900'>{where}超过标准：{over}。原因：{reason}</span>")
            else:
                found.append(
                    f"<span style='color:#a11212'>{where}超过标准：{over}。<b>请填写超标准原因。</b></span>"
                )

        if activity_over:
            say("活动", activity_over, self.reason.text().strip())
        for line in lines:
            if line.over and line.item is not None:
                say(f"预算第 {line.number} 行“{line.item.item}”", line.over, line.item.reason)
        for expense in sorted(self.expenses.rows, key=attrgetter("day")):
            if expense.over:
                say(f"支出 {expense.day.isoformat()}“{expense.data.item}”", expense.over, expense.data.reason)
        problems = [line.problem for line in lines if line.problem]
        text = "<br>".join(found + [f"<span style='color:#a11212'>{p}</span>" for p in problems])
        self.findings.setText(text)
        self.findings.setVisible(bool(text))

    # -- reading and writing ------------------------------------------------------------------------
    def _load(self) -> None:
        activity_id = self.activity_id

        def work(session: Session) -> _Loaded:
            from app.services.activities import get_activity, load_limits, load_tree
            from app.services.roster import load_roster, membership_histories

            detail = None if activity_id is None else get_activity(session, activity_id)
            return _Loaded(
                load_roster(session),
                load_tree(session),
                load_limits(session),
                detail,
                membership_histories(session),
            )

        def loaded(found: _Loaded) -> None:
            roster, tree, limits, detail = found.roster, found.tree, found.limits, found.detail
            self.participants.set_roster(roster, found.memberships)
            self.tree, self.limits = tree, limits
            self.categories = tree.of_kind("支出")
            if detail is not None:
                self.fill(detail)
            self.save_button.setEnabled(True)
            self.refresh()
            self.ready.emit()

        def failed(error: BaseException) -> None:
            self.participants.picker.show_hint("")
            tell_failure(self, self.error, error)

        read_operation(self, self._context, work, on_success=loaded, on_failure=failed, label="正在读取……")

    def fill(self, detail: ActivityDetail) -> None:
        """The form as the stored activity has it."""
        from app.services.activities import ExpenseInput

        row = detail.row
        self._filling = True
        self.name.setText(row.name)
        self.kind.setCurrentIndex(max(self.kind.findData(row.kind), 0))
        set_day(self.start, row.start)
        self.has_end.setChecked(row.end is not None and row.end != row.start)
        set_day(self.end, row.end or row.start)
        self.place.setText(row.place)
        self.organiser.setText(row.organiser)
        self.headcount.setValue(detail.headcount or 0)
        self.note.setText(detail.note)
        self.reason.setText(detail.reason)
        self.status.setText(f"{row.status}（在活动列表中用“状态”按钮更改）")
        self._filling = False
        for item in detail.items:
            self.add_line(item.item, item.category_id, amount_fen=item.amount_fen, per_head_fen=item.per_head_fen,
                          heads=item.heads, reason=item.reason)  # fmt: skip
        self.participants.set_people([PersonRow(p.member_id, p.name, p.group) for p in detail.participants])
        rows = []
        for e in detail.expenses:
            data = ExpenseInput(e.day, e.item, e.category_id, e.amount_fen, e.payee, e.invoice_no, e.paid_by,
                                e.note, e.reason)  # fmt: skip
            self._originals[e.id] = data
            rows.append(self._expense_row(e.id, e.id, data))
        self.expenses.set_rows(rows)

    def activity_input(self) -> ActivityInput:
        from app.services.activities import ActivityInput

        headcount = self.headcount.value()
        return ActivityInput(
            self.name.text().strip(), Kind(self.kind.currentData()), day_of(self.start),
            day_of(self.end) if self.has_end.isChecked() else None, self.place.text().strip(),
            self.organiser.text().strip(), headcount or None, self.note.text().strip(), self.reason.text().strip(),
        )  # fmt: skip

    def _clear_messages(self) -> None:
        for label in (
            *self.messages.values(),
            self.grid_error,
            self.participants.error,
            self.expense_error,
            self.error,
        ):
            label.show_message("")

    def _refuse(self, tab: int, label: ErrorLabel, message: str) -> None:
        label.show_message(message)
        self.tabs.setCurrentIndex(tab)

    def local_problems(self, lines: list[GridLine]) -> bool:
        """Say what must be put right before saving (as the service would); whether anything."""
        if not self.name.text().strip():
            self._refuse(BASIC, self.messages["name"], "请填写活动名称")
            return True
        if self.has_end.isChecked() and day_of(self.end) < day_of(self.start):
            self._refuse(BASIC, self.messages["end"], "结束日期不能早于开始日期")
            return True
        over = self.activity_over(lines)
        if over and not self.reason.text().strip():
            self._refuse(BASIC, self.messages["reason"], f"活动超过标准，须写明原因：{over}")
            return True
        problems = [line.problem for line in lines if line.problem]
        wanting = [line for line in lines if line.over and line.item is not None and not line.item.reason]
        if problems:
            self._refuse(BUDGET, self.grid_error, "；".join(problems))
            return True
        if wanting:
            line = wanting[0]
            assert line.item is not None
            self._refuse(BUDGET, self.grid_error,
                         f"第 {line.number} 行“{line.item.item}”超过标准，须写明原因：{line.over}")  # fmt: skip
            self.grid.setCurrentCell(line.number - 1, REASON)
            return True
        unexplained = [e for e in self.expenses.rows if e.over and not e.data.reason]
        if unexplained:
            e = unexplained[0]
            self._refuse(SPENDING, self.expense_error,
                         f"支出 {e.day.isoformat()}“{e.data.item}”超过标准，须写明原因（双击该笔填写）：{e.over}")  # fmt: skip
            self.expenses_view.select_id(e.key)
            return True
        return False

    def save(self) -> None:
        """The activity with its participants, budget lines and expenses, in one write."""
        self._clear_messages()
        lines = self.read_grid()
        if self.local_problems(lines):
            return
        data = self.activity_input()
        items = [line.item for line in lines if line.item is not None]
        people = self.participants.ids
        removed = list(self._removed)
        changes = [
            (row.expense_id, row.data, row.data.item)
            for row in self.expenses.rows
            if row.expense_id is None or self._originals.get(row.expense_id) != row.data
        ]
        activity_id = self.activity_id
        self.save_button.setEnabled(False)

        def work(session: Session) -> int:
            return save_activity(session, activity_id, data, people, items, removed, changes)

        def done(saved_id: int) -> None:
            self.activity_id = saved_id
            self.saved.emit(saved_id)
            self.accept()

        write_operation(
            self, self._context, work, on_success=done, on_failure=self._failed, label="正在保存……"
        )

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if not isinstance(error, SaveRefused):
            tell_failure(self, self.error, error)
            return
        if error.where == BASIC and error.errors and set(error.errors) <= set(self.messages):
            for key, message in error.errors.items():
                self.messages[key].show_message(message)
            self.tabs.setCurrentIndex(BASIC)
            return
        label = {BUDGET: self.grid_error, PEOPLE: self.participants.error, SPENDING: self.expense_error}.get(
            error.where, self.error
        )
        self._refuse(error.where, label, str(error))


def save_activity(
    session: Session,
    activity_id: int | None,
    data: ActivityInput,
    people: list[int],
    items: list[ItemInput],
    removed: list[int],
    changes: list[tuple[int | None, ExpenseInput, str]],
) -> int:
    """The editor's save, in the caller's unit of work: the activity, who took part (before the
    lines, whose checks count them), the budget lines, then the expenses deleted, corrected and
    added. A refusal names the tab it is about (SaveRefused)."""
    from app.services.activities import (
        add_expense,
        create_activity,
        delete_expense,
        set_budget_items,
        set_participants,
        update_activity,
        update_expense,
    )

    def step(where: int, run: Callable[[], object], prefix: str = "") -> None:
        try:
            run()
        except UserError as exc:
            raise SaveRefused(where, exc, prefix) from exc

    try:
        saved = create_activity(session, data) if activity_id is None else activity_id
        if activity_id is not None:
            update_activity(session, activity_id, data)
    except UserError as exc:
        raise SaveRefused(BASIC, exc) from exc

    step(PEOPLE, lambda: set_participants(session, saved, people))
    step(BUDGET, lambda: set_budget_items(session, saved, items))
    for gone in removed:

        def delete(gone: int = gone) -> None:
            delete_expense(session, gone)

        step(SPENDING, delete)
    for changed, expense, item in changes:

        def write(changed: int | None = changed, expense: ExpenseInput = expense) -> None:
            if changed is None:
                add_expense(session, saved, expense)
            else:
                update_expense(session, changed, expense)

        step(SPENDING, write, f"支出“{item}”：")
    return saved
