"""科目与标准: the category tree (收支科目) — a sub-category added under a chosen line, a name or
code corrected (codes differ between provinces) —, which category each care occasion spends
from (慰问记入科目), and the activity limits (活动开支标准): the presets and the union's own,
each from its day. Every change is one write."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.activities import Kind, Rule
from app.domain.care import Occasion
from app.domain.money import MoneyError, format_fen, yuan_to_fen
from app.ui.context import AppContext
from app.ui.dialog_parts import close_buttons, outcome_label, resize_within_screen, tell_failure, with_message
from app.ui.operations import read_operation, write_operation
from app.ui.tables import Column, RowTableModel, RowTableView, text_column
from app.ui.widgets import ErrorLabel

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.activities import CategoryInfo, LimitInfo

__all__ = ["CategoriesDialog", "Setup"]

T = TypeVar("T")

SPENDING = "支出"  # app.domain.budget.SPENDING
_OWN = QColor("#1a5fb4")
_INDENT = "　　"
ALL_KINDS = "全部活动"
UNMAPPED = "（未对应科目，不计入预算）"
_UNITS = {Rule.MEAL: "元/人·餐", Rule.PRIZE_SHARE: "%（参加人数的百分之几）", Rule.OUTING_DAYS: "天",
          Rule.PER_HEAD: "元/人·天"}  # fmt: skip
_EXAMPLES = {
    Rule.MEAL: "如 40",
    Rule.PRIZE_SHARE: "如 66.7",
    Rule.OUTING_DAYS: "如 1",
    Rule.PER_HEAD: "如 200",
}


@dataclass(frozen=True)
class Setup:
    """What the dialog shows: the tree, each occasion's category id, the limits."""

    categories: list[CategoryInfo]
    care: dict[str, int]
    limits: list[LimitInfo]


class _TreeModel(RowTableModel[Any]):
    """The tree in its order whatever header is clicked."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        return


CATEGORY_COLUMNS: tuple[Column[CategoryInfo], ...] = (
    Column("code", "编码", 80, attrgetter("code"), attrgetter("code")),
    Column("name", "科目名称", 220, lambda c: _INDENT * c.depth + c.name, attrgetter("code"), hideable=False),
    text_column("kind", "收支", 50),
    Column("source", "来源", 80, lambda c: "程序自带" if c.shipped else "本单位添加", attrgetter("shipped")),
)


def _value_text(limit: Any) -> str:
    """A limit's value as the form takes it (元, %, 天)."""
    if limit.rule in (Rule.MEAL, Rule.PER_HEAD):
        return format_fen(limit.value, thousands=False)
    if limit.rule is Rule.PRIZE_SHARE:
        return f"{Decimal(limit.value) / 10:.1f}"
    return str(limit.value)


LIMIT_COLUMNS: tuple[Column[LimitInfo], ...] = (
    Column("text", "标准", 240, lambda i: i.limit.text(), lambda i: i.limit.text(), hideable=False),
    Column("rule", "规则", 70, lambda i: i.limit.rule.value, lambda i: i.limit.rule.value),
    Column("kind", "活动类型", 80, lambda i: i.limit.kind or ALL_KINDS, lambda i: i.limit.kind),
    Column("from", "自", 90, lambda i: i.limit.effective_from.isoformat(), lambda i: i.limit.effective_from),
    text_column("source", "来源", 130),
    text_column("note", "依据", 120),
)


def read_value(rule: Rule, text: str) -> int:
    """The form's value in the rule's unit (fen, per mille, days); ValueError with a Chinese message."""
    text = text.strip()
    if not text:
        raise ValueError("请填写标准的数值")
    if rule in (Rule.MEAL, Rule.PER_HEAD):
        try:
            fen = yuan_to_fen(text)
        except MoneyError as error:
            raise ValueError(f"应是金额（元），{_EXAMPLES[rule]}：{error}") from None
        if fen <= 0:
            raise ValueError("金额应大于 0")
        return fen
    try:
        number = Decimal(text.rstrip("%％天"))
    except InvalidOperation:
        raise ValueError(f"应是数字，{_EXAMPLES[rule]}") from None
    if rule is Rule.PRIZE_SHARE:
        per_mille = number * 10
        if per_mille != per_mille.to_integral_value() or not 0 < per_mille <= 1000:
            raise ValueError("应是 0 到 100 之间、最多一位小数的百分数，如 66.7")
        return int(per_mille)
    if number != number.to_integral_value() or number < 1:
        raise ValueError("天数应是不小于 1 的整数")
    return int(number)


class CategoriesDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.setup: Setup | None = None
        self.setWindowTitle("科目与标准")
        self.tabs = QTabWidget()
        self.tabs.addTab(self._tree_tab(), "收支科目")
        self.tabs.addTab(self._care_tab(), "慰问记入科目")
        self.tabs.addTab(self._limits_tab(), "活动开支标准")
        self.error = ErrorLabel()
        self.outcome = outcome_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.outcome)
        layout.addWidget(close_buttons(self))
        resize_within_screen(self, 820, 720)
        self.tabs.currentChanged.connect(lambda _i: self._clear_messages())
        self.finished.connect(lambda _r: self._save_state())
        self.reload()

    # -- the three tabs ------------------------------------------------------------------------------
    def _tree_tab(self) -> QWidget:
        intro = QLabel(
            "收支科目按《工会会计制度》和工会经费收支预算表的编码。本单位可以在任一科目下添加细目，"
            "也可以修改科目的名称和编码（各省编码不同时）。选中一个科目，再在下面添加或修改。"
        )
        intro.setWordWrap(True)
        self.tree_model = _TreeModel(CATEGORY_COLUMNS, foreground=lambda c: None if c.shipped else _OWN)
        self.tree = RowTableView("budget_categories", self.tree_model)
        self.tree.setSortingEnabled(False)
        self.tree.horizontalHeader().setSortIndicatorShown(False)
        self.tree.horizontalHeader().setStretchLastSection(True)
        self.chosen = QLabel("（请先在上面选中一个科目）")
        self.new_name = QLineEdit()
        self.new_name.setMaxLength(40)
        self.new_name.setPlaceholderText("如 职工书屋")
        self.new_code = QLineEdit()
        self.new_code.setMaxLength(20)
        self.new_code.setPlaceholderText("可不填：按上级编码加两位自动编号")
        self.add_button = QPushButton("添加细目")
        self.edit_name = QLineEdit()
        self.edit_name.setMaxLength(40)
        self.edit_code = QLineEdit()
        self.edit_code.setMaxLength(20)
        self.edit_button = QPushButton("保存修改")
        self.tree_errors = {"new_name": ErrorLabel(), "edit_name": ErrorLabel()}
        for button in (self.add_button, self.edit_button):
            button.setEnabled(False)
        adding = QFormLayout()
        adding.addRow("细目名称", with_message(self.new_name, self.tree_errors["new_name"]))
        adding.addRow("编码", self.new_code)
        adding.addRow("", self.add_button)
        add_box = QGroupBox("在所选科目下添加细目")
        add_box.setLayout(adding)
        editing = QFormLayout()
        editing.addRow("名称", with_message(self.edit_name, self.tree_errors["edit_name"]))
        editing.addRow("编码", self.edit_code)
        editing.addRow("", self.edit_button)
        edit_box = QGroupBox("修改所选科目")
        edit_box.setLayout(editing)
        forms = QHBoxLayout()
        forms.addWidget(add_box)
        forms.addWidget(edit_box)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(intro)
        layout.addWidget(self.tree, 1)
        chosen = QHBoxLayout()
        chosen.addWidget(QLabel("所选科目："))
        chosen.addWidget(self.chosen, 1)
        layout.addLayout(chosen)
        layout.addLayout(forms)
        self.tree.selectionModel().selectionChanged.connect(lambda *_: self._category_selected())
        self.tree.rows_reset.connect(self._category_selected)
        self.add_button.clicked.connect(lambda: self.add_category())
        self.edit_button.clicked.connect(lambda: self.edit_category())
        return tab

    def _care_tab(self) -> QWidget:
        intro = QLabel(
            "每种慰问的钱从哪个支出科目开支：预算表中这个科目的“其中慰问”和“已支出”计入这类慰问。"
            "改动后，本年和以前各年的预算表都按新的对应计算。"
        )
        intro.setWordWrap(True)
        self.care_boxes: dict[Occasion, QComboBox] = {}
        form = QFormLayout()
        for occasion in Occasion:
            box = QComboBox()
            box.setMinimumContentsLength(22)
            box.activated.connect(lambda _i, o=occasion: self.map_care(o))
            self.care_boxes[occasion] = box
            form.addRow(occasion.value, box)
        inner = QWidget()
        inner.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        return tab

    def _limits_tab(self) -> QWidget:
        intro = QLabel(
            "活动的预算和支出按这些标准检查（工作餐每人每餐、奖励面、外出天数、人均），超过标准的要写明原因。"
            "预设标准按本会所在省份；本单位可以另定，自某天起代替预设，以前的活动仍按当时的标准检查。"
        )
        intro.setWordWrap(True)
        self.limit_model: RowTableModel[LimitInfo] = RowTableModel(
            LIMIT_COLUMNS,
            row_id=lambda i: (i.source, i.limit.rule.value, i.limit.kind, i.limit.effective_from),
            foreground=lambda i: _OWN if i.source == "本单位标准" else None,
        )
        self.limits = RowTableView(
            "activity_limits", self.limit_model, default_sort=("from", Qt.SortOrder.AscendingOrder)
        )
        self.limits.horizontalHeader().setStretchLastSection(True)
        self.rule = QComboBox()
        for rule in Rule:
            self.rule.addItem(rule.value, rule.value)
        self.kind = QComboBox()
        self.kind.addItem(ALL_KINDS, "")
        for kind in Kind:
            self.kind.addItem(kind.value, kind.value)
        self.value = QLineEdit()
        self.unit = QLabel()
        self.since = QDateEdit(QDate.currentDate())
        self.since.setDisplayFormat("yyyy-MM-dd")
        self.since.setCalendarPopup(True)
        self.limit_note = QLineEdit()
        self.limit_note.setMaxLength(200)
        self.limit_note.setPlaceholderText("依据，如：本单位经费管理办法（2026年修订）")
        self.limit_button = QPushButton("保存本单位标准")
        self.value_error = ErrorLabel()
        value = QHBoxLayout()
        value.addWidget(self.value, 1)
        value.addWidget(self.unit)
        value_box = QWidget()
        value_box.setLayout(value)
        value.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        form.addRow("规则", self.rule)
        form.addRow("活动类型", self.kind)
        form.addRow("标准", with_message(value_box, self.value_error))
        form.addRow("自哪天起", self.since)
        form.addRow("依据", self.limit_note)
        form.addRow("", self.limit_button)
        setting = QGroupBox("设定本单位的活动开支标准（同一规则、同一天再保存即更正）")
        setting.setLayout(form)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(intro)
        layout.addWidget(self.limits, 1)
        layout.addWidget(setting)
        self.rule.currentIndexChanged.connect(lambda _i: self._show_unit())
        self.limits.clicked.connect(lambda _index: self._fill_limit())
        self.limit_button.clicked.connect(lambda: self.save_limit())
        self._show_unit()
        return tab

    def _save_state(self) -> None:
        self.tree.save_state()
        self.limits.save_state()

    def _clear_messages(self) -> None:
        self.error.show_message("")
        self.outcome.setText("")

    # -- reading ---------------------------------------------------------------------------------------
    def reload(self, select: int | None = None) -> None:
        def work(session: Session) -> Setup:
            from app.services.activities import care_categories, list_limits, load_tree

            return Setup(load_tree(session).items, care_categories(session), list_limits(session))

        def loaded(setup: Setup) -> None:
            self.setup = setup
            if select is not None:
                self.tree.select_after_reset(select)
            self.tree_model.set_rows(setup.categories)
            self.limit_model.set_rows(setup.limits)
            self._fill_care(setup)

        read_operation(self, self._context, work, on_success=loaded)

    def _fill_care(self, setup: Setup) -> None:
        spending = [c for c in setup.categories if c.kind == SPENDING]
        for occasion, box in self.care_boxes.items():
            box.blockSignals(True)
            box.clear()
            current = setup.care.get(occasion.value)
            if current is None:
                box.addItem(UNMAPPED, "")
            for category in spending:
                box.addItem(category.label, category.code)
                if category.id == current:
                    box.setCurrentIndex(box.count() - 1)
            box.blockSignals(False)

    # -- the tree -----------------------------------------------------------------------------------------
    def _category_selected(self) -> None:
        row: CategoryInfo | None = self.tree.current_row()
        self.add_button.setEnabled(row is not None)
        self.edit_button.setEnabled(row is not None)
        if row is None:
            self.chosen.setText("（请先在上面选中一个科目）")
            return
        self.chosen.setText(
            f"<b>{row.label}</b>（{row.kind}，{'程序自带' if row.shipped else '本单位添加'}）"
        )
        self.edit_name.setText(row.name)
        self.edit_code.setText(row.code)

    def add_category(self) -> None:
        parent: CategoryInfo | None = self.tree.current_row()
        if parent is None:
            return
        self._clear_messages()
        self.tree_errors["new_name"].show_message("")
        name, code = self.new_name.text().strip(), self.new_code.text().strip()
        if not name:
            self.tree_errors["new_name"].show_message("请填写细目名称")
            return
        parent_code = parent.code

        def work(session: Session) -> CategoryInfo:
            from app.services.activities import add_category

            return add_category(session, parent_code, name, code)

        def added(category: CategoryInfo) -> None:
            self.new_name.clear()
            self.new_code.clear()
            self.outcome.setText(f"已在“{parent.label}”下添加细目：{category.label}。")
            self.reload(select=category.id)

        self._write(work, added)

    def edit_category(self) -> None:
        row: CategoryInfo | None = self.tree.current_row()
        if row is None:
            return
        self._clear_messages()
        self.tree_errors["edit_name"].show_message("")
        name, code = self.edit_name.text().strip(), self.edit_code.text().strip()
        if not name:
            self.tree_errors["edit_name"].show_message("请填写科目名称")
            return
        if name == row.name and code == row.code:
            self.outcome.setText("名称和编码都没有改动。")
            return
        category_id = row.id

        def work(session: Session) -> None:
            from app.services.activities import edit_category

            edit_category(session, category_id, name=name, code=code)

        def edited(_result: None) -> None:
            self.outcome.setText(f"已把“{row.label}”改为“{code} {name}”。")
            self.reload(select=category_id)

        self._write(work, edited)

    # -- care ------------------------------------------------------------------------------------------------
    def map_care(self, occasion: Occasion) -> None:
        """Spend ``occasion``'s care from the category chosen in its box."""
        box = self.care_boxes[occasion]
        code = box.currentData()
        if not code:
            return
        self._clear_messages()
        label = box.currentText().strip()

        def work(session: Session) -> None:
            from app.services.activities import set_care_category

            set_care_category(session, occasion, str(code))

        def mapped(_result: None) -> None:
            self.outcome.setText(f"已改为：{occasion.value}的慰问记入“{label}”。预算表按新的对应计算。")
            self.reload()

        self._write(work, mapped)

    # -- limits ------------------------------------------------------------------------------------------------
    def _show_unit(self) -> None:
        rule = Rule(self.rule.currentData())
        self.unit.setText(_UNITS[rule])
        self.value.setPlaceholderText(_EXAMPLES[rule])

    def _fill_limit(self) -> None:
        """A limit clicked fills the form: the usual way to change one is to start from it."""
        info: LimitInfo | None = self.limits.current_row()
        if info is None:
            return
        self.rule.setCurrentIndex(self.rule.findData(info.limit.rule.value))
        self.kind.setCurrentIndex(max(self.kind.findData(info.limit.kind), 0))
        self.value.setText(_value_text(info.limit))

    def save_limit(self) -> None:
        self._clear_messages()
        self.value_error.show_message("")
        rule = Rule(self.rule.currentData())
        try:
            value = read_value(rule, self.value.text())
        except ValueError as error:
            self.value_error.show_message(str(error))
            return
        qdate = self.since.date()
        since = date(qdate.year(), qdate.month(), qdate.day())
        kind, note = str(self.kind.currentData() or ""), self.limit_note.text()

        def work(session: Session) -> None:
            from app.services.activities import set_limit

            set_limit(session, rule, value, since, kind, note)

        def saved(_result: None) -> None:
            from app.domain.activities import Limit

            words = Limit(rule, value, since, kind).text()
            self.outcome.setText(
                f"已保存本单位标准：自{since.isoformat()}起{words}。以后的活动按这个标准检查。"
            )
            self.reload()

        self._write(work, saved)

    # -- writing --------------------------------------------------------------------------------------------------
    def _write(self, work: Callable[[Session], T], done: Callable[[T], None]) -> None:
        write_operation(
            self, self._context, work, on_success=done, on_failure=lambda e: tell_failure(self, self.error, e)
        )
