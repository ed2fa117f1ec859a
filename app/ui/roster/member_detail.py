"""The panel beside the roster: one member's details, membership history, dues account
(recent months with their paid state, payments with method and receipt, the balance) and
care history (every 慰问 with its amount, those over a cap flagged in words) and the activities
the member took part in (活动, newest first, with their status)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape
from operator import attrgetter
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedLayout,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.dues import describe_months
from app.domain.idcard import mask_id_number
from app.domain.members import age
from app.domain.money import format_fen
from app.domain.yearmonth import YearMonth
from app.ui.activities import ACTIVITIES, PARTICIPANTS
from app.ui.care import RECORDS as CARE_RECORDS
from app.ui.context import AppContext, RefreshWhenShown
from app.ui.dues import DUES_TABLES, covered_column
from app.ui.operations import read_operation
from app.ui.tables import Column, RowTableModel, RowTableView, date_column, number_column, text_column

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.activities import ActivityRow
    from app.services.care import CareInfo
    from app.services.dues import MemberDues, PaymentInfo
    from app.services.roster.members import MemberDetail
    from app.ui.dues import PaymentsDialog

RECENT_MONTHS = 24
RECENT_PAYMENTS = 20
_OWED = QColor("#8e1c1c")


@dataclass(frozen=True)
class ChargeRow:
    """One month of the member's dues account."""

    month: YearMonth
    due_fen: int
    paid_fen: int

    @property
    def state(self) -> str:
        if self.paid_fen >= self.due_fen:
            return "已缴"
        return "部分缴纳" if self.paid_fen else "未缴"


CHARGE_COLUMNS: tuple[Column[ChargeRow], ...] = (
    Column("month", "月份", 80, lambda r: r.month.chinese(), attrgetter("month"), hideable=False),
    number_column("due", "应缴", 62, attr="due_fen", format=format_fen),
    number_column("paid", "已缴", 62, attr="paid_fen", format=format_fen),
    text_column("state", "状态", 62),
)
PAYMENT_COLUMNS: tuple[Column[PaymentInfo], ...] = (
    date_column("paid_on", "日期", 80),
    number_column("amount", "金额", 56, attr="amount_fen", format=format_fen),
    text_column("method", "方式", 64),
    text_column("receipt_no", "收据号", 74),
    covered_column(150),
)


OVER_CAP = "超过标准"
WITHIN = "未超"  # as the 慰问 page says it


def _care_what(record: CareInfo) -> str:
    return record.occasion + (f"（{record.variant}）" if record.variant else "")


def _care_tip(record: CareInfo) -> str:
    lines = [f"事由：{_care_what(record)}"]
    if record.goods:
        lines.append(f"慰问品：{record.goods}（价值 {format_fen(record.goods_fen)} 元）")
    if record.over_cap:
        lines.append(f"超过标准：{record.over_cap}")
        lines.append(f"原因：{record.reason}" if record.reason else "原因：未填写")
    return "\n".join(lines)


CARE_COLUMNS: tuple[Column[CareInfo], ...] = (  # 事由 last: it takes the width that is left
    date_column("day", "日期", 78),
    number_column("amount", "金额", 62, attr="amount_fen", format=format_fen),
    Column("flag", "标准", 60, lambda r: OVER_CAP if r.over_cap else WITHIN, lambda r: bool(r.over_cap)),
    Column("occasion", "事由", 110, _care_what, _care_what, hideable=False),
)


ACTIVITY_COLUMNS: tuple[Column[ActivityRow], ...] = (  # 活动名称 last: it takes the width that is left
    date_column("start", "日期", 78),
    text_column("kind", "类型", 84),
    text_column("status", "状态", 56),
    Column("name", "活动名称", 140, attrgetter("name"), attrgetter("name"), hideable=False),
)


def _activity_tip(row: ActivityRow) -> str:
    when = row.start.isoformat() + (f" 至 {row.end.isoformat()}" if row.end and row.end != row.start else "")
    lines = [f"{row.name}（{row.kind}，{row.status}）", f"时间：{when}"]
    if row.place:
        lines.append(f"地点：{row.place}")
    lines.append(f"参加 {row.participants} 人")
    return "\n".join(lines)


def _payment_tip(payment: PaymentInfo) -> str:
    covered = describe_months(m for m, _ in payment.covered) or "没有冲抵任何月份（记为预缴）"
    extra = [f"收款人：{payment.collector}"] if payment.collector else []
    extra += [f"备注：{payment.note}"] if payment.note else []
    return "\n".join([f"冲抵：{covered}", *extra])


def _owed_colour(row: ChargeRow) -> QColor | None:
    return _OWED if row.paid_fen < row.due_fen else None


def balance_words(balance_fen: int) -> str:
    if balance_fen > 0:
        return f"欠缴 {format_fen(balance_fen)} 元"
    if balance_fen < 0:
        return f"预缴 {format_fen(-balance_fen)} 元"
    return "已结清"


class MemberDetailPanel(QWidget):
    # the 显示完整号码 (True) or 隐去 (False) link beside the ID number was clicked
    reveal_requested = Signal(bool)

    def __init__(self, context: AppContext | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._member_id: int | None = None
        self._detail: MemberDetail | None = None
        self.id_masked = True
        self._dues_generation = 0
        self._care_generation = 0
        self._activity_generation = 0
        self.setMinimumWidth(300)
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.subtitle = QLabel()
        self.dues_line = QLabel()  # 会费：欠缴 92.40 元, beside the status
        self.dues_line.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.fields: dict[str, QLabel] = {}
        info_box = QWidget()
        info = QFormLayout(info_box)
        info.setContentsMargins(0, 0, 0, 0)
        for key, label in (("id_number", "身份证号"), ("birth", "出生日期"), ("group", "所在分组"),
                           ("category", "人员类别"), ("phone", "联系电话"), ("card", "会员证号"),
                           ("joined", "入会时间"), ("political", "政治面貌"), ("wage", "会费基数"),
                           ("retire", "法定退休"), ("flags", "标记")):  # fmt: skip
            value = QLabel()
            value.setWordWrap(True)
            self.fields[key] = value
            info.addRow(f"{label}：", value)
        self.fields["id_number"].setTextFormat(Qt.TextFormat.RichText)
        self.fields["id_number"].linkActivated.connect(
            lambda link: self.reveal_requested.emit(link == "reveal")
        )
        self.history = QTableWidget(0, 3)
        self.history.setHorizontalHeaderLabels(["日期", "变动", "原因"])
        self.history.verticalHeader().setVisible(False)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.history.setColumnWidth(0, 90)
        self.history.setColumnWidth(1, 90)
        self.charges: RowTableModel[ChargeRow] = RowTableModel(
            CHARGE_COLUMNS, row_id=attrgetter("month"), foreground=_owed_colour
        )
        self.payments: RowTableModel[PaymentInfo] = RowTableModel(PAYMENT_COLUMNS, tooltip=_payment_tip)
        self.charges_view = RowTableView("member_dues_charges", self.charges)
        self.payments_view = RowTableView("member_dues_payments", self.payments)
        for view in (self.charges_view, self.payments_view):
            view.setSortingEnabled(False)
        self.tabs = QTabWidget()
        # two characters each: five tabs fit the panel beside the roster without scroll arrows
        self.tabs.addTab(self.history, "会籍")
        self.tabs.addTab(self.charges_view, "应缴")
        self.payments_button = QPushButton("缴费记录…")
        self.payments_button.setToolTip("这名会员的全部缴费：补打收据，删除录错的缴费")
        self.payments_button.clicked.connect(lambda: self.show_payments())
        payments_tab = QWidget()
        payments_layout = QVBoxLayout(payments_tab)
        payments_layout.setContentsMargins(0, 4, 0, 0)
        payments_layout.addWidget(self.payments_view, 1)
        payments_row = QHBoxLayout()
        payments_row.addStretch(1)
        payments_row.addWidget(self.payments_button)
        payments_layout.addLayout(payments_row)
        self.tabs.addTab(payments_tab, "缴费")
        self.care: RowTableModel[CareInfo] = RowTableModel(
            CARE_COLUMNS, foreground=lambda r: _OWED if r.over_cap else None, tooltip=_care_tip
        )
        self.care_view = RowTableView("member_care", self.care)
        self.care_view.setSortingEnabled(False)
        self.care_view.horizontalHeader().setStretchLastSection(True)
        self.care_line = QLabel()
        self.care_line.setWordWrap(True)
        care_tab = QWidget()
        care_layout = QVBoxLayout(care_tab)
        care_layout.setContentsMargins(0, 4, 0, 0)
        care_layout.addWidget(self.care_line)
        care_layout.addWidget(self.care_view, 1)
        self.tabs.addTab(care_tab, "慰问")
        self.activities: RowTableModel[ActivityRow] = RowTableModel(ACTIVITY_COLUMNS, tooltip=_activity_tip)
        self.activities_view = RowTableView("member_activities", self.activities)
        self.activities_view.setSortingEnabled(False)
        self.activities_view.horizontalHeader().setStretchLastSection(True)
        self.activities_line = QLabel()
        self.activities_line.setWordWrap(True)
        activities_tab = QWidget()
        activities_layout = QVBoxLayout(activities_tab)
        activities_layout.setContentsMargins(0, 4, 0, 0)
        activities_layout.addWidget(self.activities_line)
        activities_layout.addWidget(self.activities_view, 1)
        # before 慰问, which stays the last tab (its tests and screenshots open it as the last)
        self.tabs.insertTab(self.tabs.indexOf(care_tab), activities_tab, "活动")
        for index, tip in enumerate(("会籍变动记录", "各月应缴会费", "缴费记录", "参加的活动", "慰问记录")):
            self.tabs.setTabToolTip(index, tip)
        self.placeholder = QLabel("在左边的名册中点选一名会员，这里显示他的信息和会籍变动记录。")
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignTop)
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_layout.addWidget(self.title)
        subtitle_row = QHBoxLayout()
        subtitle_row.addWidget(self.subtitle)
        subtitle_row.addWidget(self.dues_line, 1)
        details_layout.addLayout(subtitle_row)
        details_layout.addWidget(info_box)
        details_layout.addWidget(self.tabs, 1)
        self.pages = QStackedLayout(self)
        self.pages.addWidget(self.placeholder)
        self.pages.addWidget(details)
        self.show_detail(None)
        if context is not None:
            RefreshWhenShown(self, context, DUES_TABLES, self._read_dues)
            RefreshWhenShown(self, context, (CARE_RECORDS,), self._read_care)
            RefreshWhenShown(self, context, (ACTIVITIES, PARTICIPANTS), self._read_activities)

    def show_detail(self, detail: MemberDetail | None, *, mask: bool = True) -> None:
        """``detail`` (None: nobody selected); ``mask`` hides the middle of the ID number."""
        self.pages.setCurrentIndex(0 if detail is None else 1)
        self._member_id = None if detail is None else detail.id
        self._detail = detail
        self._read_dues()
        self._read_care()
        self._read_activities()
        if detail is None:
            return
        d = detail.data
        self.title.setText(d.name)
        self.subtitle.setText(f"{d.gender}　{detail.status}")
        self.show_id_number(mask=mask)
        self.fields["birth"].setText(
            f"{d.birth_date.isoformat()}（{age(d.birth_date, date.today())} 岁）" if d.birth_date else ""
        )
        self.fields["group"].setText(detail.group_path or "未分组")
        self.fields["category"].setText(d.category)
        self.fields["phone"].setText(d.phone)
        self.fields["card"].setText(d.card_number)
        self.fields["joined"].setText(d.joined_on.isoformat() if d.joined_on else "未填写")
        self.fields["political"].setText(d.political_status)
        self.fields["wage"].setText(
            f"{format_fen(d.dues_wage_fen)} 元（自 {detail.wages[-1].effective_from.isoformat()} 起）"
            if d.dues_wage_fen is not None and detail.wages
            else "未填写"
        )
        retire = detail.retirement
        self.fields["retire"].setText(f"{retire.month.chinese()}（{retire.age_text}）" if retire else "")
        flags = [f for f, on in (("农民工", d.is_migrant_worker), ("困难职工", d.is_hardship)) if on]
        if d.model_worker_level:
            flags.append(f"{d.model_worker_level}劳模")
        self.fields["flags"].setText("、".join(flags) or "无")
        self.history.setRowCount(len(detail.events))
        for row, event in enumerate(detail.events):
            for column, text in enumerate((event.event_date.isoformat(), event.kind, event.reason)):
                self.history.setItem(row, column, QTableWidgetItem(text))

    def show_id_number(self, *, mask: bool) -> None:
        """The ID number masked (with a link to show it in full) or in full (with one to hide it)."""
        self.id_masked = mask
        if self._detail is None:
            return
        d = self._detail.data
        masked = mask_id_number(d.id_number)
        number = masked if mask else d.id_number
        text = escape(f"{number}（{d.id_type}）" if d.id_type != "居民身份证" else number)
        if masked != d.id_number:  # a number masking changes: offer to show or hide it
            link, words = ("reveal", "显示完整号码") if mask else ("hide", "隐去")
            text += f"　<a href='{link}'>{words}</a>"
        self.fields["id_number"].setText(text)

    # -- the dues account --------------------------------------------------------------------
    def _read_dues(self) -> None:
        self._dues_generation += 1
        generation, member_id, context = self._dues_generation, self._member_id, self._context
        if member_id is None or context is None:
            self.dues_line.setText("")
            self.show_dues(None)
            return

        def work(session: Session) -> MemberDues:
            from app.services.dues import member_dues

            return member_dues(session, member_id)

        def shown(dues: MemberDues) -> None:
            if generation == self._dues_generation:
                self.show_dues(dues)

        self.dues_line.setText("会费：……")
        read_operation(self, context, work, on_success=shown)

    def show_dues(self, dues: MemberDues | None) -> None:
        if dues is None:
            self.charges.set_rows([])
            self.payments.set_rows([])
            return
        unpaid = [c.month for c in dues.charges if c.paid_fen < c.due_fen]
        text = balance_words(dues.balance_fen) if dues.charges or dues.payments else "还没有应缴记录"
        self.dues_line.setText(f"会费：{text}")
        self.dues_line.setStyleSheet("color: #8e1c1c;" if dues.balance_fen > 0 else "")
        where = f"未缴的月份：{describe_months(unpaid)}\n" if unpaid else ""
        self.dues_line.setToolTip(
            f"{where}累计应缴 {format_fen(dues.due_fen)} 元，累计实缴 {format_fen(dues.paid_fen)} 元；"
            f"下方“应缴会费”是最近 {RECENT_MONTHS} 个月，“缴费记录”是最近 {RECENT_PAYMENTS} 笔"
        )
        recent = dues.charges[-RECENT_MONTHS:]
        self.charges.set_rows([ChargeRow(c.month, c.due_fen, c.paid_fen) for c in reversed(recent)])
        self.payments.set_rows(list(reversed(dues.payments[-RECENT_PAYMENTS:])))

    def show_payments(self) -> PaymentsDialog | None:
        """The member's payments, to print a receipt again or delete one entered by mistake."""
        from app.ui.dues import PaymentsDialog

        if self._member_id is None or self._context is None or self._context.db is None:
            return None
        dialog = PaymentsDialog(self._context, None, self, member_id=self._member_id)
        dialog.open()
        return dialog

    # -- the care history -------------------------------------------------------------------------
    def _read_care(self) -> None:
        self._care_generation += 1
        generation, member_id, context = self._care_generation, self._member_id, self._context
        if member_id is None or context is None:
            self.show_care(None)
            return

        def work(session: Session) -> list[CareInfo]:
            from app.services.care import list_care

            return list_care(session, member_id=member_id)

        def shown(records: list[CareInfo]) -> None:
            if generation == self._care_generation:
                self.show_care(records)

        read_operation(self, context, work, on_success=shown)

    def show_care(self, records: list[CareInfo] | None) -> None:
        """The member's 慰问 records, newest first; those over a cap say so."""
        if not records:
            self.care.set_rows([])
            self.care_line.setText("还没有慰问记录" if records is not None else "")
            self.care_line.setStyleSheet("color: #555;")
            return
        this_year = date.today().year
        year = [r for r in records if r.day.year == this_year]
        over = sum(1 for r in records if r.over_cap)
        text = f"共 {len(records)} 次，合计 {format_fen(sum(r.amount_fen for r in records))} 元"
        if year:
            text += f"；今年 {len(year)} 次，{format_fen(sum(r.amount_fen for r in year))} 元"
        if over:
            text += f"；其中{OVER_CAP} {over} 次（指向一行可看原因）"
        self.care_line.setText(text)
        self.care_line.setStyleSheet("color: #8e1c1c;" if over else "")
        self.care.set_rows(list(reversed(records)))

    # -- the activities ---------------------------------------------------------------------------
    def _read_activities(self) -> None:
        self._activity_generation += 1
        generation, member_id, context = self._activity_generation, self._member_id, self._context
        if member_id is None or context is None:
            self.show_activities(None)
            return

        def work(session: Session) -> list[ActivityRow]:
            from app.services.activities import list_activities

            return list_activities(session, member_id=member_id)

        def shown(rows: list[ActivityRow]) -> None:
            if generation == self._activity_generation:
                self.show_activities(rows)

        read_operation(self, context, work, on_success=shown)

    def show_activities(self, rows: list[ActivityRow] | None) -> None:
        """The activities the member took part in, newest first (cancelled ones say so)."""
        if not rows:
            self.activities.set_rows([])
            self.activities_line.setText(
                "还没有参加过活动（只计记了参加人员名单的活动）" if rows is not None else ""
            )
            self.activities_line.setStyleSheet("color: #555;")
            return
        held = [r for r in rows if r.status != "已取消"]
        this_year = sum(1 for r in held if r.start.year == date.today().year)
        text = f"共参加 {len(held)} 项活动"
        if this_year:
            text += f"，今年 {this_year} 项"
        if len(held) < len(rows):
            text += f"（另有已取消的 {len(rows) - len(held)} 项）"
        self.activities_line.setText(text)
        self.activities_line.setStyleSheet("")
        self.activities.set_rows(list(reversed(rows)))
