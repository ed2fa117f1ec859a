"""登记缴费: one member's payment — who, how much, when, how, receipt — with a live line saying
which months it will cover (the oldest unpaid first, unless months are named). After saving,
the dialog says what was recorded and offers the receipt, or the next payment."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.dues import OpenCharge, PaymentToAllocate, PayMethod, allocate, describe_months
from app.domain.money import MoneyError, format_fen, yuan_to_fen
from app.domain.yearmonth import YearMonth
from app.services.errors import ValidationError
from app.ui.context import AppContext
from app.ui.date_fields import OptionalDateEdit
from app.ui.dues.cells import balance_sentence
from app.ui.dues.files import print_receipt
from app.ui.member_picker import MemberPicker
from app.ui.operations import read_operation, show_error, write_operation
from app.ui.widgets import ErrorLabel, combo, combo_value, set_combo_value

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.dues import MemberDues, PaymentInfo
    from app.services.roster import Roster, RosterRow

_RECEIPTED = (PayMethod.CASH, PayMethod.TRANSFER, PayMethod.MOBILE)


def coverage_text(dues: MemberDues | None, amount_fen: int | None, named: list[YearMonth]) -> str:
    """将冲抵 2026年1月—6月，余 0.00 元: what a new payment would cover, by the same rule the
    ledger uses (``app.domain.dues.allocate``)."""
    if dues is None or amount_fen is None or amount_fen <= 0:
        return ""
    open_lines = [(i, c) for i, c in enumerate(dues.charges) if c.due_fen > c.paid_fen]
    charges = [OpenCharge(i, c.month.first_day(), c.due_fen - c.paid_fen) for i, c in open_lines]
    owed = {i: c.due_fen - c.paid_fen for i, c in open_lines}
    month_of = {i: c.month for i, c in open_lines}
    taken = allocate(charges, [PaymentToAllocate(0, amount_fen, frozenset(m.first_day() for m in named))])
    full = [month_of[charge] for _p, charge, fen in taken if fen == owed[charge]]
    part = [(month_of[charge], fen, owed[charge] - fen) for _p, charge, fen in taken if fen < owed[charge]]
    left = amount_fen - sum(fen for *_, fen in taken)
    pieces = [describe_months(full)] if full else []
    pieces += [
        f"{m.chinese()}的 {format_fen(fen)} 元（该月还差 {format_fen(rest)} 元）" for m, fen, rest in part
    ]
    head = f"将冲抵 {'、'.join(pieces)}" if pieces else "没有要冲抵的欠缴月份"
    text = f"{head}，余 {format_fen(left)} 元"
    if left > 0:
        text += "（记为预缴，冲抵以后生成的月份）"
    charged = {c.month for c in dues.charges}
    later = [m for m in named if m not in charged]
    if later:
        text += f"。{describe_months(later)}还没有生成应缴，生成后这笔钱会先冲抵这些月份"
    return text


class MonthChooser(QGroupBox):
    """指定月份: tick the months a payment is for (unticked: the oldest unpaid first)."""

    changed = Signal()

    def __init__(self, year: int, parent: QWidget | None = None) -> None:
        super().__init__("指定缴纳的月份（不勾选则从最早欠缴的月份起冲抵）", parent)
        self.setCheckable(True)
        self.setChecked(False)
        self.year = QSpinBox()
        self.year.setRange(1990, 2100)
        self.year.setValue(year)
        self.year.setSuffix(" 年")
        self.boxes = [QCheckBox(f"{m}月") for m in range(1, 13)]
        grid = QGridLayout(self)
        grid.addWidget(self.year, 0, 0, 2, 1)
        for i, box in enumerate(self.boxes):
            grid.addWidget(box, i // 6, 1 + i % 6)
            box.toggled.connect(lambda _on: self.changed.emit())
        self.year.valueChanged.connect(lambda _v: self.changed.emit())
        self.toggled.connect(lambda _on: self.changed.emit())

    def months(self) -> list[YearMonth]:
        if not self.isChecked():
            return []
        year = self.year.value()
        return [YearMonth(year, m) for m, box in enumerate(self.boxes, start=1) if box.isChecked()]

    def set_months(self, months: list[YearMonth]) -> None:
        self.setChecked(bool(months))
        if months:
            self.year.setValue(months[0].year)
        wanted = {m.month for m in months}
        for m, box in enumerate(self.boxes, start=1):
            box.setChecked(m in wanted)


class PaymentDialog(QDialog):
    saved = Signal(int)  # the payment id

    def __init__(
        self,
        context: AppContext,
        roster: Roster | None,
        parent: QWidget | None = None,
        *,
        member_id: int | None = None,
        year: int | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._dues: MemberDues | None = None
        self._dues_generation = 0
        self.setWindowTitle("登记缴费")
        self.setModal(True)
        self._fit = QTimer(self)  # messages appear and go: the dialog grows or shrinks to fit them
        self._fit.setSingleShot(True)
        self._fit.timeout.connect(self.adjustSize)
        self._build(year or date.today().year)
        self.picker.fill(context, roster, member_id)
        self.setMinimumWidth(640)

    # -- layout -------------------------------------------------------------------------
    def _build(self, year: int) -> None:
        self.picker = MemberPicker()
        self.picker.chosen.connect(self._member_chosen)
        self.account = QLabel("请先选择会员")
        self.account.setWordWrap(True)
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("元，如 92.40")
        self.fill_owed = QPushButton("按欠缴金额填入")
        self.fill_owed.setToolTip("把这名会员目前欠缴的全部金额填入")
        self.fill_owed.clicked.connect(self._fill_owed)
        self.fill_owed.setEnabled(False)
        amount_row = QHBoxLayout()
        amount_row.addWidget(self.amount, 1)
        amount_row.addWidget(self.fill_owed)
        self.paid_on = OptionalDateEdit(allow_empty=False)
        self.paid_on.set_value(date.today())
        self.method = combo([m.value for m in PayMethod])
        set_combo_value(self.method, PayMethod.CASH.value)
        self.receipt_no = QLineEdit()
        self.receipt_no.setMaxLength(30)
        self.collector = QLineEdit()
        self.collector.setMaxLength(30)
        self.collector.setPlaceholderText("经手收款的人")
        self.note = QLineEdit()
        self.note.setMaxLength(200)
        self.months = MonthChooser(year)
        self.cover = QLabel()
        self.cover.setWordWrap(True)
        self.cover.setStyleSheet("color: #1f4e8c; font-weight: bold;")
        self.errors = {key: ErrorLabel() for key in ("member", "amount_fen", "paid_on", "method",
                                                       "receipt_no", "collector", "note", "months")}  # fmt: skip
        for message in (*self.errors.values(), self.account, self.cover):
            message.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        member_box = QWidget()
        member_layout = QVBoxLayout(member_box)
        member_layout.setContentsMargins(0, 0, 0, 0)
        member_layout.addWidget(self.picker)
        member_layout.addWidget(self.account)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for key, caption, field in (
            ("member", "会员 *", member_box),
            ("amount_fen", "金额 *", amount_row),
            ("paid_on", "缴费日期", self.paid_on),
            ("method", "缴费方式", self.method),
            ("receipt_no", "收据号", self.receipt_no),
            ("collector", "收款人", self.collector),
            ("note", "备注", self.note),
        ):
            form.addRow(caption, field)
            form.addRow("", self.errors[key])
        self.form_box = QWidget()
        form_layout = QVBoxLayout(self.form_box)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form_layout.addLayout(form)
        form_layout.addWidget(self.months)
        form_layout.addWidget(self.errors["months"])
        form_layout.addWidget(self.cover)
        self.general_error = ErrorLabel()
        form_layout.addWidget(self.general_error)

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        cancel.clicked.connect(self.reject)

        # after saving: what was recorded, and what next
        self.done_box = QWidget()
        done_layout = QVBoxLayout(self.done_box)
        self.done_text = QLabel()
        self.done_text.setWordWrap(True)
        self.done_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.done_text.setStyleSheet("font-size: 11pt;")
        self.print_button = QPushButton("打印收据…")
        self.next_button = QPushButton("再登记一笔")
        self.close_button = QPushButton("关闭")
        row = QHBoxLayout()
        row.addStretch(1)
        for button in (self.print_button, self.next_button, self.close_button):
            row.addWidget(button)
        done_layout.addWidget(self.done_text)
        done_layout.addStretch(1)
        done_layout.addLayout(row)
        self.print_button.clicked.connect(self.print_receipt)
        self.next_button.clicked.connect(self.next_payment)
        self.close_button.clicked.connect(self.accept)
        self.done_box.hide()
        self._saved: PaymentInfo | None = None

        layout = QVBoxLayout(self)
        layout.addWidget(self.form_box)
        layout.addWidget(self.buttons)
        layout.addWidget(self.done_box)

        self.amount.textChanged.connect(self._update_cover)
        self.months.changed.connect(self._update_cover)
        self.method.currentIndexChanged.connect(self._method_changed)
        self._method_changed()

    # -- behaviour -----------------------------------------------------------------------
    def _method_changed(self) -> None:
        method = combo_value(self.method)
        self.receipt_no.setPlaceholderText(
            "不填则自动编号（如 2026-0001）" if method in _RECEIPTED else "工资代扣一般不开收据，可不填"
        )

    def _member_chosen(self, row: RosterRow | None) -> None:
        self._dues = None
        self._dues_generation += 1
        generation = self._dues_generation
        self.fill_owed.setEnabled(False)
        self._update_cover()
        if row is None:
            self.account.setText("请先选择会员")
            return
        self.account.setText(f"{row.name}（{row.group_path or '未分组'}，{row.status}）：正在读取会费记录……")
        member_id = row.id

        def work(session: Session) -> MemberDues:
            from app.services.dues import member_dues

            return member_dues(session, member_id)

        def shown(dues: MemberDues) -> None:
            if generation != self._dues_generation:
                return
            self._dues = dues
            unpaid = [c.month for c in dues.charges if c.paid_fen < c.due_fen]
            owed = sum(c.due_fen - c.paid_fen for c in dues.charges)
            who = f"{row.name}（{row.group_path or '未分组'}，{row.status}）"
            if unpaid:
                state = f"未缴的月份：{describe_months(unpaid)}，共 {format_fen(owed)} 元"
                if dues.balance_fen != owed:
                    state += f"；账户{balance_sentence(dues.balance_fen)}"
            else:
                state = f"没有未缴的月份；账户{balance_sentence(dues.balance_fen)}"
            self.account.setText(f"{who}：{state}")
            self._fit.start(0)
            self.fill_owed.setEnabled(owed > 0)
            self._update_cover()

        read_operation(self, self._context, work, on_success=shown)

    def _fill_owed(self) -> None:
        if self._dues is None:
            return
        owed = sum(c.due_fen - c.paid_fen for c in self._dues.charges)
        self.amount.setText(format_fen(max(owed, 0), thousands=False))

    def amount_fen(self) -> int | None:
        """The amount typed, in fen; None (with the message shown) when it cannot be read."""
        text = self.amount.text().strip()
        if not text:
            self._show_amount_error("")
            return None
        try:
            fen = yuan_to_fen(text)
        except MoneyError as exc:
            self._show_amount_error(str(exc))
            return None
        self._show_amount_error("" if fen > 0 else "金额应大于 0")
        return fen

    def _update_cover(self) -> None:
        text = coverage_text(self._dues, self.amount_fen(), self.months.months())
        if text != self.cover.text():
            self.cover.setText(text)
            self._fit.start(0)

    def _show_amount_error(self, message: str) -> None:
        label = self.errors["amount_fen"]
        if label.text() != message or label.isVisible() != bool(message):
            label.show_message(message)
            self._fit.start(0)

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, label in self.errors.items():
            label.show_message(errors.get(key, ""))
        unplaced = [v for k, v in errors.items() if k not in self.errors]
        self.general_error.show_message("\n".join(unplaced))
        self._fit.start(0)

    def save(self) -> None:
        from app.domain.text import clean_text

        errors: dict[str, str] = {}
        row = self.picker.current
        if row is None:
            errors["member"] = "请先在上面查找并选中缴费的会员"
        fen = self.amount_fen()
        if fen is None:
            errors["amount_fen"] = self.errors["amount_fen"].text() or "请填写金额（元）"
        elif fen <= 0:
            errors["amount_fen"] = "金额应大于 0"
        paid_on = self.paid_on.value() or date.today()
        if paid_on > date.today():
            errors["paid_on"] = "缴费日期不能晚于今天"
        if self.months.isChecked() and not self.months.months():
            errors["months"] = "勾选了“指定缴纳的月份”，但没有选任何月份"
        self.show_errors(errors)
        if errors or row is None or fen is None:
            return
        from app.services.dues import PaymentInput

        data = PaymentInput(
            member_id=row.id,
            amount_fen=fen,
            paid_on=paid_on,
            method=combo_value(self.method),
            receipt_no=clean_text(self.receipt_no.text()),
            collector=self.collector.text(),
            note=self.note.text(),
            months=tuple(self.months.months()),
        )
        self.save_button.setEnabled(False)

        def work(session: Session) -> tuple[PaymentInfo, list[str]]:
            from app.services.dues import get_payment, payment_notes, record_payment

            info = get_payment(session, record_payment(session, data))
            return info, payment_notes(session, info)

        write_operation(self, self._context, work, on_success=self._recorded, on_failure=self._failed)

    def _recorded(self, recorded: tuple[PaymentInfo, list[str]]) -> None:
        info, notes = recorded
        self._saved = info
        covered = describe_months(m for m, _ in info.covered)
        credit = f"，余 {format_fen(info.credit_fen)} 元记为预缴" if info.credit_fen else ""
        receipt = f"，收据号 {info.receipt_no}" if info.receipt_no else ""
        self.done_text.setText(
            f"已登记：{info.member_name}　{info.paid_on.isoformat()}　{info.method}　"
            f"{format_fen(info.amount_fen)} 元{receipt}。\n"
            f"{'冲抵 ' + covered if covered else '没有冲抵任何月份'}{credit}。"
            + "".join(f"\n提示：{note}。" for note in notes)
        )
        self.print_button.setEnabled(info.receipt_printable)
        self.form_box.hide()
        self.buttons.hide()
        self.done_box.show()
        self.close_button.setDefault(True)
        self._fit.start(0)
        self.saved.emit(info.id)

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, ValidationError):
            self.show_errors(error.errors)
        else:
            show_error(self, error)

    def print_receipt(self) -> None:
        info = self._saved
        if info is not None:
            print_receipt(self, self._context, info.id, info.receipt_no, info.member_name)

    def next_payment(self) -> None:
        """The form again, empty but for the date, method and collector."""
        self._saved = None
        self.amount.clear()
        self.receipt_no.clear()
        self.note.clear()
        self.months.set_months([])
        self.picker.search.clear()
        self.save_button.setEnabled(True)
        self.done_box.hide()
        self.form_box.show()
        self.buttons.show()
        self.picker.focus()

    def set_date(self, day: date) -> None:
        self.paid_on.setDate(QDate(day.year, day.month, day.day))
