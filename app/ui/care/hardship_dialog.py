"""The 困难职工档案 editor, and the small dialogs for its yearly review (年度复核) and for
closing it (结案).

The editor follows the paper 档案表 in three tabs — the worker and the household's hardship,
the family members (edited in place), the bank account and the filing — and, for a file
already opened, a fourth with the aid the household has had. The income per head is worked
out while the figures are typed. Every refusal is shown under the field it is about, the
tab holding it turns red, and a family member's refusal selects that member's row.

The family table is an editing grid, not a list, so it is a QTableWidget rather than the
generic (read-only) table of app/ui/tables; the aid history is a list and uses that table.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date
from operator import attrgetter
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.hardship import (
    CATEGORIES,
    CAUSES,
    CLOSE_REASONS,
    HEALTH,
    MAX_SECONDARY_CAUSES,
    RELATIONS,
    monthly_income_per_head_fen,
    review_state,
)
from app.domain.idcard import mask_id_number
from app.domain.money import MoneyError, format_fen, yuan_to_fen
from app.services.errors import ValidationError
from app.ui.care.hardship_panel import OVERDUE, review_words
from app.ui.context import AppContext
from app.ui.dialog_parts import resize_within_screen, tell_failure, with_message
from app.ui.member_picker import MemberPicker
from app.ui.operations import read_operation, write_operation
from app.ui.tables import Column, RowTableModel, RowTableView, date_column, number_column, text_column
from app.ui.widgets import ErrorLabel, combo, combo_value, save_cancel_buttons, set_combo_value

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.care import CareInfo, HardshipInfo, HardshipInput, HardshipRow, Relative
    from app.services.roster import Roster

CHOOSE = "请选择"
AUTO = "自动：本人+家庭成员"

# The tabs of the editor, and which one holds each field the service names.
BASIC, FAMILY, FILING, AID = range(4)
_TAB_OF = {
    "member": BASIC, "category": BASIC, "main_cause": BASIC, "secondary_causes": BASIC,
    "household_size": BASIC, "annual_income": BASIC, "housing": BASIC, "medical_insurance": BASIC,
    "situation": BASIC, "relatives": FAMILY,
}  # fmt: skip
_ERROR_TAB = QColor("#c0392b")

# The family table's columns.
NAME, RELATION, ID_NUMBER, HEALTH_COL, INCOME, OCCUPATION = range(6)
FAMILY_TITLES = ("姓名", "与本人关系", "身份证号", "健康状况", "年收入（元）", "工作单位或学校")
_WHICH_RELATIVE = re.compile(r"第 (\d+) 位家庭成员")


def _row(*widgets: QWidget, stretch: bool = True) -> QWidget:
    box = QWidget()
    line = QHBoxLayout(box)
    line.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        line.addWidget(widget)
    if stretch:
        line.addStretch(1)
    return box


def _text_box(lines: int, placeholder: str = "") -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    # at least ``lines`` high, and taller when the form has room (a fixed height would leave the
    # box floating in the middle of a taller form row)
    box.setMinimumHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


def _date_edit(value: date | None = None, *, earliest: date | None = None) -> QDateEdit:
    edit = QDateEdit()
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setCalendarPopup(True)
    edit.setMaximumDate(QDate.currentDate())
    if earliest is not None:
        edit.setMinimumDate(QDate(earliest.year, earliest.month, earliest.day))
    day = value or date.today()
    edit.setDate(QDate(day.year, day.month, day.day))
    return edit


def _day(edit: QDateEdit) -> date:
    qdate = edit.date()
    return date(qdate.year(), qdate.month(), qdate.day())


AID_COLUMNS: tuple[Column[CareInfo], ...] = (
    date_column("day", "日期"),
    Column("what", "事由", 130, attrgetter("what"), attrgetter("what"), hideable=False),
    number_column("cash", "慰问金", 80, attr="cash_fen", format=format_fen),
    text_column("goods", "慰问品", 120),
    number_column("amount", "合计（元）", 90, attr="amount_fen", format=format_fen),
    text_column("note", "备注", 160),
)


class HardshipDialog(QDialog):
    """建档 (``file_id`` None; ``member_id`` may choose the member) or 修改 an existing file."""

    saved = Signal(int, str)  # the file's id, what was done in words

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        file_id: int | None = None,
        member_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._file_id = file_id
        self._member_id = member_id
        self._info: HardshipInfo | None = None
        self._relative_rows: list[int] = []  # the table row of each relative sent, in order
        self.setWindowTitle("建立困难职工档案" if file_id is None else "困难职工档案")
        self.field_errors: dict[str, ErrorLabel] = {}
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._basic_tab(), "基本情况")
        self.tabs.addTab(self._family_tab(), "家庭成员")
        self.tabs.addTab(self._filing_tab(), "银行账户与审核")
        self.aid_model: RowTableModel[CareInfo] = RowTableModel(AID_COLUMNS, row_id=attrgetter("id"))
        self.aid_total = QLabel()
        if file_id is not None:
            self.tabs.addTab(self._aid_tab(), "帮扶记录")
        self.error = ErrorLabel()
        buttons = save_cancel_buttons(self.save, self.reject)
        self.save_button = buttons.button(buttons.StandardButton.Save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.header.setVisible(file_id is not None)
        resize_within_screen(self, 820, 700)
        self.income.textChanged.connect(lambda _t: self.update_per_head())
        self.household_size.valueChanged.connect(lambda _v: self.update_per_head())
        self.family.itemChanged.connect(lambda _item: self.update_per_head())
        self.main_cause.currentIndexChanged.connect(lambda _i: self._limit_secondary())
        for box in self.secondary.values():
            box.toggled.connect(lambda _on: self._limit_secondary())
        self.update_per_head()
        self._limit_secondary()
        if file_id is None:
            self._load_roster()
        else:
            self.save_button.setEnabled(False)
            self._load_file(file_id)

    # -- the tabs ----------------------------------------------------------------------------
    def _message(self, key: str) -> ErrorLabel:
        label = ErrorLabel()
        self.field_errors[key] = label
        return label

    def _basic_tab(self) -> QWidget:
        self.picker = MemberPicker(who="困难职工本人")
        self.picker.show_hint("正在读取名册……")
        self.member_label = QLabel()
        self.member_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.category = combo(CATEGORIES, blank=CHOOSE)
        self.main_cause = combo(CAUSES, blank=CHOOSE)
        self.secondary = {cause: QCheckBox(cause) for cause in CAUSES}
        causes = QWidget()
        grid = QGridLayout(causes)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(14)
        for i, box in enumerate(self.secondary.values()):
            grid.addWidget(box, i // 4, i % 4)
        self.secondary_hint = QLabel()
        self.secondary_hint.setStyleSheet("color: #555;")
        grid.addWidget(self.secondary_hint, 2, 2, 1, 2)
        self.household_size = QSpinBox()
        self.household_size.setRange(0, 30)
        self.household_size.setSuffix(" 人")
        self.household_size.setSpecialValueText(AUTO)
        self.household_size.setMinimumWidth(230)
        self.household_size.setToolTip(
            "0 为自动：本人加“家庭成员”中列出的人数；另有未列出的家庭成员时填写总人数"
        )
        self.income = QLineEdit()
        self.income.setPlaceholderText("本人和家庭成员全年收入合计")
        self.income.setFixedWidth(230)
        self.per_head = QLabel()
        self.per_head.setTextFormat(Qt.TextFormat.RichText)
        self.housing = QLineEdit()
        self.housing.setPlaceholderText("如：租住公租房 45 平方米")
        self.insurance = QLineEdit()
        self.insurance.setPlaceholderText("如：本人职工医保，配偶城乡居民医保")
        self.single_parent = QCheckBox("单亲家庭")
        self.zero_employment = QCheckBox("零就业家庭")
        self.situation = _text_box(4, "家庭困难的具体情况：谁患什么病、收入来源、主要开支……")
        form = QFormLayout()
        form.addRow("困难职工", with_message(_row(self.picker, self.member_label, stretch=False),
                                          self._message("member")))  # fmt: skip
        self.member_label.hide()
        form.addRow("困难类别", with_message(_row(self.category), self._message("category")))
        form.addRow("主要致困原因", with_message(_row(self.main_cause), self._message("main_cause")))
        form.addRow("次要致困原因", with_message(causes, self._message("secondary_causes")))
        form.addRow("家庭人口", with_message(_row(self.household_size), self._message("household_size")))
        form.addRow("家庭年收入（元）", with_message(_row(self.income, self.per_head),
                                              self._message("annual_income")))  # fmt: skip
        form.addRow("住房情况", with_message(self.housing, self._message("housing")))
        form.addRow("医疗保险", with_message(self.insurance, self._message("medical_insurance")))
        form.addRow("家庭类型", _row(self.single_parent, self.zero_employment))
        form.addRow("困难情况", with_message(self.situation, self._message("situation")))
        tab = QWidget()
        tab.setLayout(form)
        return tab

    def _family_tab(self) -> QWidget:
        intro = QLabel(
            "列出与本人共同生活的家庭成员（不含本人）。直接在表格中填写，关系和健康状况可从下拉框选择。"
        )
        intro.setWordWrap(True)
        self.family = QTableWidget(0, len(FAMILY_TITLES))
        self.family.setHorizontalHeaderLabels(FAMILY_TITLES)
        self.family.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.family.verticalHeader().setDefaultSectionSize(30)
        header = self.family.horizontalHeader()
        for column, width in ((NAME, 80), (RELATION, 95), (ID_NUMBER, 165), (HEALTH_COL, 105), (INCOME, 95)):
            self.family.setColumnWidth(column, width)
        header.setSectionResizeMode(OCCUPATION, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton("添加家庭成员")
        self.remove_button = QPushButton("删除所选成员")
        self.remove_button.setEnabled(False)
        self.family_sum = QLabel()
        self.family_sum.setStyleSheet("color: #555;")
        self.add_button.clicked.connect(lambda: self.add_relative())
        self.remove_button.clicked.connect(self.remove_relatives)
        self.family.itemSelectionChanged.connect(
            lambda: self.remove_button.setEnabled(bool(self.family.selectionModel().selectedRows()))
        )
        actions = QHBoxLayout()
        actions.addWidget(self.add_button)
        actions.addWidget(self.remove_button)
        actions.addWidget(self.family_sum, 1)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(intro)
        layout.addWidget(self.family, 1)
        layout.addWidget(self._message("relatives"))
        layout.addLayout(actions)
        return tab

    def _filing_tab(self) -> QWidget:
        self.bank_name = QLineEdit()
        self.bank_name.setPlaceholderText("如：中国工商银行某某支行")
        self.bank_account = QLineEdit()
        self.bank_account.setPlaceholderText("帮扶资金打入的银行卡号")
        self.account_holder = QLineEdit()
        self.account_holder.setPlaceholderText("银行卡的户名，一般是职工本人")
        self.filer = QLineEdit()
        self.opened_on = _date_edit()
        self.reviewer = QLineEdit()
        self.reviewer.setPlaceholderText("审核这份档案的工会负责人")
        self.opinion = _text_box(2, "如：情况属实，同意列为困难职工")
        self.notice = QLineEdit()
        self.notice.setPlaceholderText("如：2026年3月1日至7日在厂务公开栏公示，无异议")
        self.note = QLineEdit()
        form = QFormLayout()
        bank = QLabel("银行账户（发放帮扶资金用）")
        bank.setStyleSheet("font-weight: bold;")
        form.addRow(bank)
        form.addRow("开户行", with_message(self.bank_name, self._message("bank_name")))
        form.addRow("银行账号", with_message(self.bank_account, self._message("bank_account")))
        form.addRow("户名", with_message(self.account_holder, self._message("account_holder")))
        filing = QLabel("建档与审核")
        filing.setStyleSheet("font-weight: bold;")
        form.addRow(filing)
        form.addRow("建档日期", with_message(_row(self.opened_on), self._message("opened_on")))
        form.addRow("建档人", with_message(self.filer, self._message("filer")))
        form.addRow("审核人", with_message(self.reviewer, self._message("reviewer")))
        form.addRow("审核意见", with_message(self.opinion, self._message("opinion")))
        form.addRow("公示情况", with_message(self.notice, self._message("notice")))
        form.addRow("备注", with_message(self.note, self._message("note")))
        tab = QWidget()
        tab.setLayout(form)
        return tab

    def _aid_tab(self) -> QWidget:
        intro = QLabel(
            "这户得到的帮扶：慰问记录中事由为困难帮扶、金秋助学、送温暖、大病救助的记录。"
            "要增加帮扶记录，请在“慰问记录”中登记。"
        )
        intro.setWordWrap(True)
        self.aid_table = RowTableView(
            "care_hardship_aid", self.aid_model, default_sort=("day", Qt.SortOrder.DescendingOrder)
        )
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(intro)
        layout.addWidget(self.aid_table, 1)
        layout.addWidget(self.aid_total)
        return tab

    # -- loading -------------------------------------------------------------------------------
    def _load_roster(self) -> None:
        def work(session: Session) -> Roster:
            from app.services.roster import load_roster

            return load_roster(session)

        def loaded(roster: Roster) -> None:
            self.picker.set_roster(roster)
            self.picker.show_hint("")
            if self._member_id is not None:
                self.picker.choose(self._member_id)

        read_operation(self, self._context, work, on_success=loaded, label="正在读取名册……")

    def _load_file(self, file_id: int) -> None:
        def work(session: Session) -> HardshipInfo:
            from app.services.care import get_file

            return get_file(session, file_id)

        read_operation(self, self._context, work, on_success=self.fill, on_failure=self._failed,
                       label="正在读取档案……")  # fmt: skip

    def fill(self, info: HardshipInfo) -> None:
        """Show an existing file (its member fixed)."""
        self._info = info
        row, data = info.row, info.data
        self.setWindowTitle(f"困难职工档案 — {row.name}")
        self.picker.hide()
        group = f" · {row.group}" if row.group else ""
        self.member_label.setText(f"<b>{row.name}</b>{group} · 身份证号 {mask_id_number(info.id_number)}")
        self.member_label.show()
        due = review_words(row)
        state = row.status if row.closed_on is None else f"{row.status}，{row.closed_on.isoformat()}"
        review = f" · 上次复核 {row.reviewed_on.isoformat()}" if row.reviewed_on else ""
        next_due = ""
        if due:
            colour = "#a11212" if OVERDUE in due else "#333"
            next_due = f" · 下次复核 <span style='color:{colour}'>{due}</span>"
        self.header.setText(
            f"档案编号 {row.id} · <b>{state}</b> · 建档 {row.opened_on.isoformat()}{review}{next_due}"
        )
        set_combo_value(self.category, data.category)
        set_combo_value(self.main_cause, data.main_cause)
        for cause, box in self.secondary.items():
            box.setChecked(cause in data.secondary_causes)
        listed = 1 + len(data.relatives)
        self.household_size.setValue(0 if data.household_size == listed else data.household_size)
        self.income.setText(format_fen(data.annual_income_fen, thousands=False))
        self.housing.setText(data.housing)
        self.insurance.setText(data.medical_insurance)
        self.single_parent.setChecked(data.single_parent)
        self.zero_employment.setChecked(data.zero_employment)
        self.situation.setPlainText(data.situation)
        self.family.setRowCount(0)
        for person in data.relatives:
            self.add_relative(person)
        self.bank_name.setText(data.bank_name)
        self.bank_account.setText(data.bank_account)
        self.account_holder.setText(data.account_holder)
        self.filer.setText(data.filer)
        self.opened_on.setDate(QDate(data.opened_on.year, data.opened_on.month, data.opened_on.day))
        self.reviewer.setText(data.reviewer)
        self.opinion.setPlainText(data.opinion)
        self.notice.setText(data.notice)
        self.note.setText(data.note)
        self.aid_model.set_rows(info.aid)
        total = sum(r.amount_fen for r in info.aid)
        self.aid_total.setText(
            f"共 {len(info.aid)} 次，合计 <b>{format_fen(total)}</b> 元" if info.aid else "还没有帮扶记录。"
        )
        self.tabs.setTabText(AID, f"帮扶记录（{len(info.aid)}）")
        self.update_per_head()
        self.save_button.setEnabled(True)

    # -- the family table ------------------------------------------------------------------------
    def add_relative(self, person: Relative | None = None) -> int:
        """A new row (filled from ``person``); returns its index."""
        row = self.family.rowCount()
        self.family.blockSignals(True)
        self.family.insertRow(row)
        relation = combo(RELATIONS, blank="")
        health = combo(HEALTH, editable=True, blank="")
        self.family.setCellWidget(row, RELATION, relation)
        self.family.setCellWidget(row, HEALTH_COL, health)
        texts = {NAME: "", ID_NUMBER: "", INCOME: "", OCCUPATION: ""}
        if person is not None:
            set_combo_value(relation, person.relation)
            set_combo_value(health, person.health)
            texts = {
                NAME: person.name,
                ID_NUMBER: person.id_number,
                INCOME: format_fen(person.annual_income_fen, thousands=False)
                if person.annual_income_fen
                else "",
                OCCUPATION: person.occupation,
            }
        for column, text in texts.items():
            item = QTableWidgetItem(text)
            if column == INCOME:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.family.setItem(row, column, item)
        self.family.blockSignals(False)
        relation.currentIndexChanged.connect(lambda _i: self.update_per_head())
        health.currentTextChanged.connect(lambda _t: self.update_per_head())
        if person is None:
            self.family.setCurrentCell(row, NAME)
            name_item = self.family.item(row, NAME)
            if name_item is not None:
                self.family.editItem(name_item)
        self.update_per_head()
        return row

    def remove_relatives(self) -> None:
        rows = sorted({index.row() for index in self.family.selectionModel().selectedRows()}, reverse=True)
        for row in rows:
            self.family.removeRow(row)
        self.update_per_head()

    def set_relative(self, row: int, column: int, text: str) -> None:
        """Type ``text`` into a cell of the family table (a combo's choice for 关系 and 健康状况)."""
        widget = self.family.cellWidget(row, column)
        if isinstance(widget, QComboBox):
            set_combo_value(widget, text)
        else:
            item = self.family.item(row, column)
            assert item is not None
            item.setText(text)

    def _cell(self, row: int, column: int) -> str:
        widget = self.family.cellWidget(row, column)
        if isinstance(widget, QComboBox):
            return combo_value(widget)
        item = self.family.item(row, column)
        return item.text().strip() if item is not None else ""

    def _listed_rows(self) -> list[int]:
        """The family rows with anything in them (an empty row is left out)."""
        return [
            row
            for row in range(self.family.rowCount())
            if any(self._cell(row, column) for column in range(len(FAMILY_TITLES)))
        ]

    def _relatives(self, problems: dict[str, str]) -> tuple[Relative, ...]:
        from app.services.care import Relative

        people: list[Relative] = []
        self._relative_rows = self._listed_rows()
        for n, row in enumerate(self._relative_rows, start=1):
            name, income_text = self._cell(row, NAME), self._cell(row, INCOME)
            try:
                income = yuan_to_fen(income_text) if income_text else 0
            except MoneyError as exc:
                who = f"（{name}）" if name else ""
                problems.setdefault("relatives", f"第 {n} 位家庭成员{who}的年收入：{exc}")
                income = 0
            people.append(Relative(name, self._cell(row, RELATION), self._cell(row, ID_NUMBER),
                                   self._cell(row, HEALTH_COL), income, self._cell(row, OCCUPATION)))  # fmt: skip
        return tuple(people)

    # -- live figures --------------------------------------------------------------------------
    def update_per_head(self) -> None:
        """The household size when automatic, and the monthly income per head, as typed."""
        rows = self._listed_rows()
        auto = 1 + len(rows)
        self.household_size.setSpecialValueText(f"{AUTO}（{auto} 人）")
        size = self.household_size.value() or auto
        incomes = 0
        for row in rows:
            with contextlib.suppress(MoneyError):
                incomes += yuan_to_fen(self._cell(row, INCOME) or "0")
        self.family_sum.setText(
            f"共 {len(rows)} 位家庭成员，年收入合计 {format_fen(incomes)} 元（家庭年收入在“基本情况”中填写，含本人收入）"
        )
        text = self.income.text().strip()
        if not text:
            self.per_head.setText("<span style='color:#555'>填写后自动算出月人均收入</span>")
            return
        try:
            income = yuan_to_fen(text)
        except MoneyError as exc:
            self.per_head.setText(f"<span style='color:#c0392b'>{exc}</span>")
            return
        per_head = monthly_income_per_head_fen(income, size)
        self.per_head.setText(f"月人均收入 <b>{format_fen(per_head)}</b> 元（÷ {size} 人 ÷ 12 个月）")

    def _limit_secondary(self) -> None:
        """At most MAX_SECONDARY_CAUSES secondary causes, never the main one."""
        main = combo_value(self.main_cause)
        chosen = [cause for cause, box in self.secondary.items() if box.isChecked() and cause != main]
        full = len(chosen) >= MAX_SECONDARY_CAUSES
        for cause, box in self.secondary.items():
            if cause == main:
                box.blockSignals(True)
                box.setChecked(False)
                box.blockSignals(False)
                box.setEnabled(False)
                box.setToolTip("已是主要致困原因")
            else:
                box.setEnabled(box.isChecked() or not full)
                box.setToolTip("")
        self.secondary_hint.setText(
            f"已选 {len(chosen)} 项，最多 {MAX_SECONDARY_CAUSES} 项"
            if chosen
            else f"可不选，最多 {MAX_SECONDARY_CAUSES} 项"
        )

    # -- saving ---------------------------------------------------------------------------------
    def read_form(self) -> HardshipInput | None:
        """The form as the service takes it; None (with the problems shown) when an amount
        cannot be read."""
        from app.services.care import HardshipInput

        self.clear_errors()
        problems: dict[str, str] = {}
        text = self.income.text().strip()
        income = 0
        if text:
            try:
                income = yuan_to_fen(text)
            except MoneyError as exc:
                problems["annual_income"] = str(exc)
        relatives = self._relatives(problems)
        if problems:
            self.show_problems(problems)
            return None
        if self._info is not None:
            member_id = self._info.data.member_id
        else:
            chosen = self.picker.current
            member_id = chosen.id if chosen is not None else 0  # 0: the service asks for one
        return HardshipInput(
            member_id=member_id, category=combo_value(self.category), main_cause=combo_value(self.main_cause),
            opened_on=_day(self.opened_on),
            secondary_causes=tuple(c for c, box in self.secondary.items() if box.isChecked() and box.isEnabled()),
            household_size=self.household_size.value(), annual_income_fen=income, housing=self.housing.text(),
            medical_insurance=self.insurance.text(), single_parent=self.single_parent.isChecked(),
            zero_employment=self.zero_employment.isChecked(), situation=self.situation.toPlainText(),
            bank_name=self.bank_name.text(), bank_account=self.bank_account.text(),
            account_holder=self.account_holder.text(), filer=self.filer.text(), reviewer=self.reviewer.text(),
            opinion=self.opinion.toPlainText(), notice=self.notice.text(), note=self.note.text(),
            relatives=relatives,
        )  # fmt: skip

    def save(self) -> None:
        data = self.read_form()
        if data is None:
            return
        self.save_button.setEnabled(False)
        file_id = self._file_id

        def work(session: Session) -> tuple[int, str]:
            from app.services.care import get_file, open_file, update_file

            if file_id is None:
                new_id = open_file(session, data)
                row = get_file(session, new_id).row
                return new_id, (
                    f"已为{row.name}建立困难职工档案（编号 {row.id}）：家庭 {row.household_size} 人，"
                    f"月人均收入 {format_fen(row.per_head_monthly_fen)} 元。"
                )
            update_file(session, file_id, data)
            row = get_file(session, file_id).row
            return file_id, (
                f"已保存{row.name}的困难职工档案：家庭 {row.household_size} 人，"
                f"月人均收入 {format_fen(row.per_head_monthly_fen)} 元。"
            )

        def done(result: tuple[int, str]) -> None:
            self.saved.emit(*result)
            self.accept()

        write_operation(self, self._context, work, on_success=done, on_failure=self._failed)

    def clear_errors(self) -> None:
        for label in self.field_errors.values():
            label.show_message("")
        self.error.show_message("")
        for tab in range(self.tabs.count()):
            self.tabs.tabBar().setTabTextColor(tab, QColor())

    def show_problems(self, problems: dict[str, str]) -> None:
        """Each message under its field; the tabs holding one turn red and the first is shown."""
        tabs: list[int] = []
        elsewhere: list[str] = []  # problems no field shows
        for key, message in problems.items():
            label = self.field_errors.get(key)
            if label is None:
                elsewhere.append(message)
                continue
            label.show_message(message)
            tab = _TAB_OF.get(key, FILING)
            self.tabs.tabBar().setTabTextColor(tab, _ERROR_TAB)
            tabs.append(tab)
        if len(tabs) > 1:
            more = "；标红的页签里也有" if len(set(tabs)) > 1 else ""
            elsewhere.append(f"共 {len(tabs)} 处需要修改，已用红字标在各项下面{more}。")
        elif tabs:
            elsewhere.append("请按红字提示修改后再保存。")
        if tabs:
            self.tabs.setCurrentIndex(min(tabs))
        self.error.show_message("".join(elsewhere))
        found = _WHICH_RELATIVE.search(problems.get("relatives", ""))
        if found and 0 < int(found.group(1)) <= len(self._relative_rows):
            row = self._relative_rows[int(found.group(1)) - 1]
            self.family.selectRow(row)

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(self._file_id is None or self._info is not None)
        if isinstance(error, ValidationError):
            self.show_problems(error.errors)
        else:
            tell_failure(self, self.error, error)


def _about(row: HardshipRow) -> str:
    group = f"（{row.group}）" if row.group else ""
    return f"<b>{row.name}</b>{group} · {row.category} · 建档 {row.opened_on.isoformat()}"


def _due_words(row: HardshipRow) -> str:
    """When the review was due, and how late it is, in words."""
    if row.review_due is None:
        return ""
    late = (date.today() - row.review_due).days
    if late > 0:
        return (
            f"应于 {row.review_due.isoformat()} 复核，<span style='color:#a11212'>已过期 {late} 天</span>。"
        )
    return f"应于 {row.review_due.isoformat()} 前复核。"


class _FileAction(QDialog):
    """年度复核 and 结案: a small form on one file whose refusals show under their fields."""

    save_button: QPushButton
    field_errors: dict[str, ErrorLabel]
    error: ErrorLabel

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, ValidationError):
            for key, message in error.errors.items():
                self.field_errors.get(key, self.error).show_message(message)
        else:
            tell_failure(self, self.error, error)


class ReviewDialog(_FileAction):
    """年度复核: when, by whom, with what opinion; the next review falls due a year on."""

    done_words = Signal(str)

    def __init__(self, context: AppContext, row: HardshipRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._row = row
        self.setWindowTitle("年度复核")
        last = f"上次复核 {row.reviewed_on.isoformat()}" if row.reviewed_on else "建档后还没有复核过"
        about = QLabel(f"{_about(row)}<br>{last}；{_due_words(row)}")
        about.setTextFormat(Qt.TextFormat.RichText)
        about.setWordWrap(True)
        self.day = _date_edit(earliest=row.opened_on)
        self.reviewer = QLineEdit()
        self.reviewer.setPlaceholderText("复核人姓名")
        self.opinion = _text_box(3, "如：家庭情况无明显变化，继续列为困难职工")
        self.next_due = QLabel()
        self.next_due.setStyleSheet("color: #555;")
        self.field_errors = {key: ErrorLabel() for key in ("day", "reviewer", "opinion")}
        self.error = ErrorLabel()
        form = QFormLayout()
        form.addRow("复核日期", with_message(_row(self.day), self.field_errors["day"]))
        form.addRow("复核人", with_message(self.reviewer, self.field_errors["reviewer"]))
        form.addRow("复核意见", with_message(self.opinion, self.field_errors["opinion"]))
        form.addRow("", self.next_due)
        buttons = save_cancel_buttons(self.save, self.reject)
        self.save_button = buttons.button(buttons.StandardButton.Save)
        self.save_button.setText("登记复核")
        note = QLabel(
            "填写了复核意见时，它会替换档案中原来的审核意见。家庭情况有变化的，请同时用“修改…”更新档案。"
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(520, 360)
        self.day.dateChanged.connect(lambda _d: self._show_next())
        self._show_next()

    def _show_next(self) -> None:
        due = review_state(self._row.opened_on, _day(self.day)).due
        self.next_due.setText(f"登记后，下次复核：{due.isoformat()}")

    def save(self) -> None:
        for label in self.field_errors.values():
            label.show_message("")
        self.error.show_message("")
        if not self.reviewer.text().strip():
            self.field_errors["reviewer"].show_message("请填写复核人")
            return
        file_id, day = self._row.id, _day(self.day)
        reviewer, opinion = self.reviewer.text(), self.opinion.toPlainText()
        name = self._row.name
        self.save_button.setEnabled(False)

        def work(session: Session) -> date | None:
            from app.services.care import get_file, review_file

            review_file(session, file_id, day, reviewer, opinion)
            return get_file(session, file_id).row.review_due

        def done(due: date | None) -> None:
            when = due.isoformat() if due else ""
            self.done_words.emit(
                f"已登记{name}的年度复核（{day.isoformat()}，{reviewer.strip()}），下次复核：{when}。"
            )
            self.accept()

        write_operation(self, self._context, work, on_success=done, on_failure=self._failed)


CLOSE_MEANING = {
    "脱困": "家庭收入提高、已不再困难",
    "退出": "调离、去世、不再符合条件等其他原因",
}


class CloseDialog(_FileAction):
    """结案: 脱困 or 退出, on a day, with a note; the member stops being a 困难职工."""

    done_words = Signal(str)

    def __init__(self, context: AppContext, row: HardshipRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._row = row
        self.setWindowTitle("结案")
        about = QLabel(_about(row))
        about.setTextFormat(Qt.TextFormat.RichText)
        self.day = _date_edit(earliest=row.opened_on)
        self.reasons = QButtonGroup(self)
        reasons = QWidget()
        column = QVBoxLayout(reasons)
        column.setContentsMargins(0, 0, 0, 0)
        self.reason_buttons: dict[str, QRadioButton] = {}
        for reason in CLOSE_REASONS:
            button = QRadioButton(f"{reason}：{CLOSE_MEANING.get(reason, '')}")
            self.reasons.addButton(button)
            self.reason_buttons[reason] = button
            column.addWidget(button)
        self.note = QLineEdit()
        self.note.setPlaceholderText("如：配偶已就业，家庭月人均收入超过当地低保标准")
        self.field_errors = {key: ErrorLabel() for key in ("day", "reason")}
        self.error = ErrorLabel()
        form = QFormLayout()
        form.addRow("结案日期", with_message(_row(self.day), self.field_errors["day"]))
        form.addRow("结案原因", with_message(reasons, self.field_errors["reason"]))
        form.addRow("说明", self.note)
        warning = QLabel(
            f"结案后，{row.name}不再列为困难职工（花名册上的“困难职工”标记随之取消），"
            "档案和帮扶记录都保留，可在“已结案”中查看。结案错了可以撤销。说明会记入档案的备注。"
        )
        warning.setWordWrap(True)
        warning.setStyleSheet("color: #555;")
        buttons = save_cancel_buttons(self.save, self.reject)
        self.save_button = buttons.button(buttons.StandardButton.Save)
        self.save_button.setText("结案")
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addLayout(form)
        layout.addWidget(warning)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(520, 320)

    def choose(self, reason: str) -> None:
        self.reason_buttons[reason].setChecked(True)

    def reason(self) -> str:
        return next((r for r, button in self.reason_buttons.items() if button.isChecked()), "")

    def save(self) -> None:
        for label in self.field_errors.values():
            label.show_message("")
        self.error.show_message("")
        reason = self.reason()
        if not reason:
            self.field_errors["reason"].show_message("请选择结案原因：脱困还是退出")
            return
        file_id, day, note, name = self._row.id, _day(self.day), self.note.text(), self._row.name
        self.save_button.setEnabled(False)

        def work(session: Session) -> None:
            from app.services.care import close_file

            close_file(session, file_id, day, reason, note)

        def done(_result: None) -> None:
            self.done_words.emit(
                f"{name}的困难职工档案已结案（{reason}，{day.isoformat()}），不再列为困难职工。"
            )
            self.accept()

        write_operation(self, self._context, work, on_success=done, on_failure=self._failed)
