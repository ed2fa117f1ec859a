"""登记慰问: one visit, checked against the caps while it is typed. A shopping card or voucher
cannot be saved (the rule is quoted); over a cap, the reason field opens and must be
filled; a member behind on dues is pointed out.

With a ``record_id`` the same form corrects a stored record (修改慰问记录): loaded as the
service holds it, checked beside the member's other records of the year, saved in place."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.care import DOCUMENTS, FUNDING, Occasion
from app.domain.money import MoneyError, format_fen, yuan_to_fen
from app.services.errors import ValidationError
from app.ui.context import AppContext
from app.ui.dialog_parts import resize_within_screen, scrolling, tell_failure
from app.ui.member_picker import MemberPicker
from app.ui.operations import read_operation, write_operation
from app.ui.widgets import ErrorLabel

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.care import CareCheck, CareInput
    from app.services.roster import Roster


class CareRecordDialog(QDialog):
    saved = Signal(int)  # the record's id (the new one's, or the one corrected)
    ready = Signal()  # the roster (and the record to correct) are in the form

    def __init__(
        self, context: AppContext, parent: QWidget | None = None, *, record_id: int | None = None
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._check: CareCheck | None = None
        self.record_id = record_id
        self.setWindowTitle("登记慰问" if record_id is None else "修改慰问记录")
        self.picker = MemberPicker(who="慰问对象")
        self.picker.show_hint("正在读取名册……")
        self.recipient = QLineEdit()
        self.recipient.setPlaceholderText("慰问对象不是会员时填写姓名（如已故会员的家属）")
        self.occasion = QComboBox()
        for occasion in Occasion:
            self.occasion.addItem(occasion.value, occasion.value)
        self.variant = QLineEdit()
        self.variant.setPlaceholderText("哪个节日、哪位亲属，住院做了手术写“手术”")
        self.day = QDateEdit(QDate.currentDate())
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setCalendarPopup(True)
        self.day.setMaximumDate(QDate.currentDate())
        self.cash = QLineEdit()
        self.cash.setPlaceholderText("元")
        self.goods = QLineEdit()
        self.goods_value = QLineEdit()
        self.goods_value.setPlaceholderText("元")
        self.funding = QComboBox()
        self.funding.addItems(FUNDING)
        self.visitors = QLineEdit()
        self.approver = QLineEdit()
        self.voucher = QLineEdit()
        self.documents = [QCheckBox(name) for name in DOCUMENTS]
        documents = QGridLayout()
        for i, box in enumerate(self.documents):
            documents.addWidget(box, i // 4, i % 4)
        self.note = QLineEdit()
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("超过标准时必须填写，如：经工会委员会研究同意")
        self.findings = QLabel()
        self.findings.setWordWrap(True)
        self.error = ErrorLabel()
        form = QFormLayout()
        form.addRow("会员", self.picker)
        form.addRow("或慰问对象", self.recipient)
        form.addRow("事由", self.occasion)
        form.addRow("细分", self.variant)
        form.addRow("日期", self.day)
        form.addRow("慰问金（元）", self.cash)
        form.addRow("慰问品", self.goods)
        form.addRow("慰问品价值（元）", self.goods_value)
        form.addRow("经费来源", self.funding)
        form.addRow("慰问人", self.visitors)
        form.addRow("审批人", self.approver)
        form.addRow("凭证号", self.voucher)
        form.addRow("已存档的材料", documents)
        form.addRow("备注", self.note)
        form.addRow("超标准原因", self.reason)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(
            "保存" if record_id is None else "保存修改", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setEnabled(record_id is None)  # a correction once the record is in
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole).clicked.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(scrolling(form), 1)
        layout.addWidget(self.findings)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        resize_within_screen(self, 640, 690)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(300)
        self._settle.timeout.connect(self.check)
        for field in (self.recipient, self.variant, self.cash, self.goods, self.goods_value):
            field.textChanged.connect(lambda _t: self._settle.start())
        self.occasion.currentIndexChanged.connect(lambda _i: self._settle.start())
        self.day.dateChanged.connect(lambda _d: self._settle.start())
        self.picker.chosen.connect(lambda _row: self._settle.start())
        self._load_roster()

    def _load_roster(self) -> None:
        record_id = self.record_id

        def work(session: Session) -> tuple[Roster, CareInput | None]:
            from app.services.care import care_input
            from app.services.roster import load_roster

            return load_roster(session), None if record_id is None else care_input(session, record_id)

        def loaded(found: tuple[Roster, CareInput | None]) -> None:
            roster, record = found
            self.picker.set_roster(roster)
            self.picker.show_hint("")
            if record is not None:
                self.fill(record)
                self.save_button.setEnabled(True)
            self.ready.emit()

        def failed(error: BaseException) -> None:
            self.picker.show_hint("")
            tell_failure(self, self.error, error)

        read_operation(self, self._context, work, on_success=loaded, on_failure=failed,
                       label="正在读取名册……")  # fmt: skip

    def fill(self, data: CareInput) -> None:
        """The form as ``data`` has it (a stored record to correct)."""

        def money(fen: int) -> str:
            return format_fen(fen, thousands=False) if fen else ""

        if data.member_id is None or not self.picker.choose(data.member_id):
            self.recipient.setText(data.recipient)
        self.occasion.setCurrentIndex(max(self.occasion.findData(data.occasion.value), 0))
        self.variant.setText(data.variant)
        self.day.setDate(QDate(data.day.year, data.day.month, data.day.day))
        self.cash.setText(money(data.cash_fen))
        self.goods.setText(data.goods)
        self.goods_value.setText(money(data.goods_fen))
        if self.funding.findText(data.funding) >= 0:
            self.funding.setCurrentText(data.funding)
        self.visitors.setText(data.visitors)
        self.approver.setText(data.approver)
        self.voucher.setText(data.voucher_no)
        for box in self.documents:
            box.setChecked(box.text() in data.documents)
        self.note.setText(data.note)
        self.reason.setText(data.reason)

    def _data(self) -> CareInput | None:
        from app.services.care import CareInput

        amounts: list[int] = []
        for field, label in ((self.cash, "慰问金"), (self.goods_value, "慰问品价值")):
            try:
                amounts.append(yuan_to_fen(field.text()) if field.text().strip() else 0)
            except MoneyError as exc:
                self.error.show_message(f"{label}：{exc}")
                return None
        self.error.show_message("")
        member = self.picker.current
        qdate = self.day.date()
        return CareInput(
            Occasion(self.occasion.currentData()), date(qdate.year(), qdate.month(), qdate.day()),
            member.id if member is not None and not self.recipient.text().strip() else None,
            self.recipient.text(), self.variant.text(), amounts[0], self.goods.text(), amounts[1],
            self.funding.currentText(), self.visitors.text(), self.approver.text(), self.voucher.text(),
            tuple(box.text() for box in self.documents if box.isChecked()), self.note.text(), self.reason.text(),
        )  # fmt: skip

    def check(self) -> None:
        data = self._data()
        if data is None or (data.cash_fen + data.goods_fen) == 0:
            self.findings.setText("")
            return

        editing = self.record_id

        def work(session: Session) -> CareCheck:
            from app.services.care import check_record

            return check_record(session, data, editing=editing)

        read_operation(self, self._context, work, on_success=self._checked, label="正在检查……")

    def _checked(self, check: CareCheck) -> None:
        self._check = check
        lines = [f"<span style='color:#a11212'>不能发放：{f.message}</span>" for f in check.refused]
        if check.over:
            lines.append(f"<span style='color:#b35900'>超过标准：{check.over}。请填写超标准原因。</span>")
        lines += [f"<span style='color:#555'>提示：{w}</span>" for w in check.warnings]
        if not lines:
            lines.append("<span style='color:#2e7d32'>符合慰问标准</span>")
        self.findings.setText("<br>".join(lines))

    def save(self) -> None:
        data = self._data()
        if data is None:
            return
        self.save_button.setEnabled(False)
        record_id = self.record_id

        def work(session: Session) -> int:
            from app.services.care import record_care, update_care

            if record_id is None:
                return record_care(session, data)
            update_care(session, record_id, data)
            return record_id

        def done(record_id: int) -> None:
            self.saved.emit(record_id)
            self.accept()

        write_operation(
            self, self._context, work, on_success=done, on_failure=self._failed, label="正在保存……"
        )

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, ValidationError):
            self.error.show_message("；".join(error.errors.values()))
        else:
            tell_failure(self, self.error, error)
