"""会费标准: the dated rule — rate, the tail of the base dropped, the apprentices' flat dues and
which months are owed. A new standard applies from its month; the months already rolled can
be recalculated at once (only charges nothing has been paid against change)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.dues import DuesRule, MonthRule, parse_rate_bp
from app.domain.money import MoneyError, format_fen, yuan_to_fen
from app.domain.yearmonth import YearMonth
from app.services.errors import ValidationError
from app.ui.context import AppContext
from app.ui.date_fields import MonthEdit
from app.ui.dialog_parts import close_buttons, outcome_label, resize_within_screen, tell_failure, with_message
from app.ui.dues.roll_dialog import roll_report
from app.ui.operations import read_operation, write_operation
from app.ui.tables import Column, RowTableModel, RowTableView
from app.ui.widgets import ErrorLabel

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.dues import RollResult


def _rate(rule: DuesRule) -> str:
    return f"{rule.rate_bp / 100:g}%"


COLUMNS: tuple[Column[DuesRule], ...] = (
    Column(
        "from",
        "生效月份",
        100,
        lambda r: r.effective_from.chinese(),
        lambda r: r.effective_from,
        hideable=False,
    ),
    Column("rate", "费率", 60, _rate, lambda r: r.rate_bp),
    Column("tail", "基数尾数单位", 100, lambda r: f"{format_fen(r.tail_fen)} 元", lambda r: r.tail_fen),
    Column(
        "apprentice",
        "学徒每月",
        80,
        lambda r: f"{format_fen(r.apprentice_fen)} 元",
        lambda r: r.apprentice_fen,
    ),
    Column("month_rule", "应缴月份规则", 100, lambda r: r.month_rule.value, lambda r: r.month_rule.value),
)


class RuleDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.setWindowTitle("会费标准")
        intro = QLabel(
            "会费按会员每月的会费基数（工资）乘以费率计算，基数不足尾数单位的部分不计"
            "（如 3,085 元按 3,080 元算，0.5% 为 15.40 元）。标准有变化时，自变化的月份起新增一条，"
            "以前月份仍按原标准。"
        )
        intro.setWordWrap(True)
        self.model: RowTableModel[DuesRule] = RowTableModel(COLUMNS, row_id=lambda r: r.effective_from)
        self.table = RowTableView("dues_rules", self.model)
        self.table.setMinimumHeight(110)
        now = YearMonth.of(date.today())
        self.first = MonthEdit(YearMonth(now.year, 1))
        self.rate = QLineEdit("0.5")
        self.tail = QLineEdit("10")
        self.apprentice = QLineEdit("0.05")
        self.month_rule = QComboBox()
        for rule in MonthRule:
            self.month_rule.addItem(rule.value, rule.value)
        self.month_rule_text = QLabel()
        self.month_rule_text.setWordWrap(True)
        self.month_rule_text.setStyleSheet("color: #555;")
        self.month_rule.currentIndexChanged.connect(self._explain)
        self.note = QLineEdit()
        self.note.setPlaceholderText("依据，如：工会委员会 2026 年第 3 次会议决定")
        self.note.setMaxLength(200)
        self.reroll = QCheckBox("按新标准重新计算生效月份以后已生成、还没有缴费的应缴")
        self.reroll.setChecked(True)
        self.save_button = QPushButton("保存新标准")
        self.field_errors = {key: ErrorLabel() for key in ("rate_bp", "tail_fen", "apprentice_fen")}
        form = QFormLayout()
        form.addRow("自哪个月起", self.first)
        form.addRow("费率（%）", with_message(self.rate, self.field_errors["rate_bp"]))
        form.addRow("基数尾数单位（元）", with_message(self.tail, self.field_errors["tail_fen"]))
        form.addRow("学徒每月会费（元）", with_message(self.apprentice, self.field_errors["apprentice_fen"]))
        form.addRow("哪些月份应缴", self.month_rule)
        form.addRow("", self.month_rule_text)
        form.addRow("依据", self.note)
        form.addRow("", self.reroll)
        form.addRow("", self.save_button)
        setting = QGroupBox("设定新的会费标准")
        setting.setLayout(form)
        self.error = ErrorLabel()
        self.outcome = outcome_label()
        buttons = close_buttons(self)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(QLabel("各时期的会费标准："))
        layout.addWidget(self.table, 1)
        layout.addWidget(setting)
        layout.addWidget(self.error)
        layout.addWidget(self.outcome)
        layout.addWidget(buttons)
        resize_within_screen(self, 720, 680)
        self.save_button.clicked.connect(self.save)
        self._explain()
        self.reload()

    def _explain(self) -> None:
        self.month_rule_text.setText(MonthRule(self.month_rule.currentData()).explain())

    def reload(self) -> None:
        def work(session: Session) -> list[DuesRule]:
            from app.services.dues import list_rules

            return list_rules(session)

        read_operation(self, self._context, work, on_success=self._loaded)

    def _loaded(self, rules: list[DuesRule]) -> None:
        self.model.set_rows(rules)
        if rules:  # the form starts from the standard in force
            latest = rules[-1]
            self.rate.setText(f"{latest.rate_bp / 100:g}")
            self.tail.setText(format_fen(latest.tail_fen, thousands=False))
            self.apprentice.setText(format_fen(latest.apprentice_fen, thousands=False))
            self.month_rule.setCurrentIndex(self.month_rule.findData(latest.month_rule.value))

    def _read_form(self) -> DuesRule | None:
        for label in self.field_errors.values():
            label.show_message("")
        problems: dict[str, str] = {}
        rate_bp = parse_rate_bp(self.rate.text())
        if rate_bp is None:
            problems["rate_bp"] = "费率应是百分数，最多两位小数（如 0.5）"
        amounts: dict[str, int] = {}
        for key, field, name in (
            ("tail_fen", self.tail, "基数尾数单位"),
            ("apprentice_fen", self.apprentice, "学徒每月会费"),
        ):
            try:
                amounts[key] = yuan_to_fen(field.text())
            except MoneyError:
                problems[key] = f"{name}应是金额（元），如 10 或 0.05"
        if problems or rate_bp is None:
            self._show_problems(problems)
            return None
        return DuesRule(self.first.value(), rate_bp, amounts["tail_fen"], amounts["apprentice_fen"],
                        MonthRule(self.month_rule.currentData()))  # fmt: skip

    def _show_problems(self, problems: dict[str, str]) -> None:
        for key, message in problems.items():
            label = self.field_errors.get(key)
            if label is None:
                self.error.show_message(message)
            else:
                label.show_message(message)

    def save(self) -> None:
        rule = self._read_form()
        if rule is None:
            return
        note, reroll = self.note.text(), self.reroll.isChecked()
        self.error.show_message("")
        self.save_button.setEnabled(False)

        def work(session: Session) -> RollResult | None:
            from app.services.dues import reroll as roll_again
            from app.services.dues import set_rule

            set_rule(session, rule, note)
            return roll_again(session, rule.effective_from) if reroll else None

        def saved(result: RollResult | None) -> None:
            self.save_button.setEnabled(True)
            words = f"已保存：{rule.describe()}"
            if not reroll:
                words += "\n已生成的应缴没有改变。"
            elif result is None:
                words += f"\n{rule.effective_from.chinese()}以后还没有生成过应缴，以后生成时按新标准计算。"
            else:
                words += "\n" + roll_report(result)
            self.outcome.setText(words)
            self.reload()

        write_operation(self, self._context, work, on_success=saved, on_failure=self._failed)

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, ValidationError):
            self._show_problems(error.errors)
        else:
            tell_failure(self, self.error, error)
