"""慰问标准: the caps in force — the preset of the union's 省份 and the union's own, each from
its month — and a form to set the union's own cap for an occasion from a month on (the same
month again corrects it). Earlier records keep being checked against the cap of their time."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.care import Cap, Occasion
from app.domain.money import MoneyError, yuan_to_fen
from app.domain.yearmonth import YearMonth
from app.ui.context import AppContext
from app.ui.date_fields import MonthEdit
from app.ui.dialog_parts import close_buttons, outcome_label, resize_within_screen, tell_failure, with_message
from app.ui.operations import read_operation, write_operation
from app.ui.tables import Column, RowTableModel, RowTableView, text_column
from app.ui.widgets import ErrorLabel

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.care import CapInfo

NO_LIMIT = "不限"
CAPS = "care_caps"  # CareCap.__tablename__


def _limit(fen: int | None) -> str:
    from app.domain.money import format_fen

    return NO_LIMIT if fen is None else f"{format_fen(fen)} 元"


COLUMNS: tuple[Column[CapInfo], ...] = (
    Column("what", "事由", 110, lambda c: c.cap.what, lambda c: c.cap.what, hideable=False),
    Column("from", "自", 90, lambda c: c.cap.effective_from.chinese(), lambda c: c.cap.effective_from),
    Column(
        "per_time",
        "每次",
        90,
        lambda c: _limit(c.cap.per_occurrence_fen),
        lambda c: c.cap.per_occurrence_fen or 0,
    ),
    Column(
        "per_year", "每人每年", 90, lambda c: _limit(c.cap.per_year_fen), lambda c: c.cap.per_year_fen or 0
    ),
    Column(
        "times",
        "每人每年次数",
        90,
        lambda c: NO_LIMIT if c.cap.per_year_count is None else f"{c.cap.per_year_count} 次",
        lambda c: c.cap.per_year_count or 0,
    ),
    text_column("source", "来源", 110),
    text_column("note", "依据", 180),
)


def _amount(field: QLineEdit) -> int | None:
    """Fen, or None for a blank field (no limit); MoneyError for anything else."""
    text = field.text().strip()
    return None if not text else yuan_to_fen(text)


class CarePolicyDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.setWindowTitle("慰问标准")
        intro = QLabel(
            "慰问标准按本会所在省份的规定（省份在 设置 → 本工会信息 中填写）。本单位可以另定标准："
            "自某月起代替省级标准，以前月份的慰问仍按当时的标准检查。超过标准的慰问必须写明原因，"
            "并在列表和打印的签领表中标出。"
        )
        intro.setWordWrap(True)
        self.model: RowTableModel[CapInfo] = RowTableModel(
            COLUMNS, row_id=lambda c: (c.source, c.cap.occasion.value, c.cap.variant, c.cap.effective_from)
        )
        self.table = RowTableView("care_caps", self.model)
        self.table.setMinimumHeight(160)
        self.occasion = QComboBox()
        for occasion in Occasion:
            self.occasion.addItem(occasion.value, occasion.value)
        self.variant = QLineEdit()
        self.variant.setPlaceholderText("可不填；只对某个节日（如 春节）或手术住院（写“手术”）")
        self.variant.setMaxLength(20)
        self.first = MonthEdit(YearMonth.of(date.today()))
        self.per_time = QLineEdit()
        self.per_year = QLineEdit()
        for field in (self.per_time, self.per_year):
            field.setPlaceholderText("元；不填表示不限")
        self.times = QSpinBox()
        self.times.setRange(0, 99)
        self.times.setSpecialValueText(NO_LIMIT)
        self.times.setSuffix(" 次")
        self.note = QLineEdit()
        self.note.setPlaceholderText("依据，如：工会委员会 2026 年第 3 次会议决定")
        self.note.setMaxLength(200)
        self.save_button = QPushButton("保存本单位标准")
        self.field_errors = {key: ErrorLabel() for key in ("per_time", "per_year")}
        form = QFormLayout()
        form.addRow("事由", self.occasion)
        form.addRow("细分", self.variant)
        form.addRow("自哪个月起", self.first)
        form.addRow("每次不超过", with_message(self.per_time, self.field_errors["per_time"]))
        form.addRow("每人每年合计不超过", with_message(self.per_year, self.field_errors["per_year"]))
        form.addRow("每人每年次数不超过", self.times)
        form.addRow("依据", self.note)
        form.addRow("", self.save_button)
        setting = QGroupBox("设定本单位的慰问标准")
        setting.setLayout(form)
        self.error = ErrorLabel()
        self.outcome = outcome_label()
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(QLabel("正在使用的标准（同一事由以生效月份最近的为准）："))
        layout.addWidget(self.table, 1)
        layout.addWidget(setting)
        layout.addWidget(self.error)
        layout.addWidget(self.outcome)
        layout.addWidget(close_buttons(self))
        resize_within_screen(self, 760, 700)
        self.save_button.clicked.connect(self.save)
        self.table.clicked.connect(lambda _index: self._fill_from_selection())
        self.reload()

    def reload(self) -> None:
        def work(session: Session) -> list[CapInfo]:
            from app.services.care import list_caps

            return list_caps(session)

        read_operation(self, self._context, work, on_success=self.model.set_rows)

    def _fill_from_selection(self) -> None:
        """A cap clicked in the list fills the form: the usual way to change one is to start from it."""
        from app.domain.money import format_fen

        info = self.table.current_row()
        if info is None:
            return
        cap = info.cap
        self.occasion.setCurrentIndex(self.occasion.findData(cap.occasion.value))
        self.variant.setText(cap.variant)
        for field, fen in ((self.per_time, cap.per_occurrence_fen), (self.per_year, cap.per_year_fen)):
            field.setText("" if fen is None else format_fen(fen, thousands=False))
        self.times.setValue(cap.per_year_count or 0)

    def _read_form(self) -> Cap | None:
        for label in self.field_errors.values():
            label.show_message("")
        self.error.show_message("")
        amounts: dict[str, int | None] = {}
        for key, field in (("per_time", self.per_time), ("per_year", self.per_year)):
            try:
                amounts[key] = _amount(field)
            except MoneyError:
                self.field_errors[key].show_message("应是金额（元），如 1000；不限就不填")
                return None
        times = self.times.value() or None
        if amounts["per_time"] is None and amounts["per_year"] is None and times is None:
            self.error.show_message("请至少填写一项限额（每次、每人每年金额或每人每年次数）")
            return None
        return Cap(Occasion(self.occasion.currentData()), self.first.value(), amounts["per_time"],
                   amounts["per_year"], times, self.variant.text().strip())  # fmt: skip

    def save(self) -> None:
        cap = self._read_form()
        if cap is None:
            return
        note = self.note.text()
        self.save_button.setEnabled(False)

        def work(session: Session) -> None:
            from app.services.care import set_cap

            set_cap(session, cap, note)

        def saved(_result: None) -> None:
            self.save_button.setEnabled(True)
            self.outcome.setText(
                f"已保存：{cap.what}自{cap.effective_from.chinese()}起{cap.limits_text()}。"
                "以后登记和导入的慰问按这个标准检查。"
            )
            self.reload()

        def failed(error: BaseException) -> None:
            self.save_button.setEnabled(True)
            tell_failure(self, self.error, error)

        write_operation(self, self._context, work, on_success=saved, on_failure=failed)
