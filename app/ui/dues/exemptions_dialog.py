"""免缴设置: members excused from dues for some months, each with its reason (长期病休,
特困 …). Adding or removing one recalculates that member's months already rolled at once:
unpaid charges of exempt months go, and come back when the exemption is removed; months
already paid keep their charge."""

from __future__ import annotations

from datetime import date
from operator import attrgetter
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.dues import Exemption
from app.domain.yearmonth import YearMonth
from app.ui.context import AppContext
from app.ui.date_fields import MonthEdit
from app.ui.dialog_parts import close_buttons, confirm, outcome_label, resize_within_screen, tell_failure
from app.ui.member_picker import MemberPicker
from app.ui.operations import read_operation, write_operation
from app.ui.tables import Column, RowTableModel, RowTableView
from app.ui.widgets import ErrorLabel

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.dues import ExemptionChange, ExemptionInfo, RollResult
    from app.services.roster import Roster

FOREVER = "一直免缴"


def _last(info: ExemptionInfo) -> str:
    last = info.exemption.last
    return last.chinese() if last else FOREVER


COLUMNS: tuple[Column[ExemptionInfo], ...] = (
    Column("name", "会员", 80, attrgetter("member_name"), attrgetter("member_name"), hideable=False),
    Column("first", "起始月份", 100, lambda e: e.exemption.first.chinese(), lambda e: e.exemption.first),
    Column("last", "截止月份", 100, _last, lambda e: e.exemption.last or YearMonth(9999, 12)),
    Column("reason", "原因", 260, lambda e: e.exemption.reason, lambda e: e.exemption.reason),
)


def refreshed_words(result: RollResult | None) -> str:
    """What re-rolling the member's months did, in words."""
    if result is None:
        return "还没有生成过应缴，以后生成时按免缴设置计算。"
    if not result.changed:
        return "已生成的应缴没有变化（这些月份的应缴已缴费或本来就不收）。"
    parts = []
    if result.removed:
        parts.append(f"撤销未缴的应缴 {result.removed} 笔")
    if result.created:
        parts.append(f"重新生成应缴 {result.created} 笔")
    if result.recalculated:
        parts.append(f"重新计算 {result.recalculated} 笔")
    return "已生成的应缴：" + "，".join(parts) + "；已缴的不变。"


class ExemptionsDialog(QDialog):
    def __init__(
        self,
        context: AppContext,
        roster: Roster | None,
        parent: QWidget | None = None,
        *,
        member_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._member_id = member_id
        self.setWindowTitle("免缴设置")
        intro = QLabel(
            "因长期病休、特殊困难等原因经工会同意免缴会费的，在这里登记起止月份和原因。\n"
            "退休、失业保留会籍的会员本来就不缴会费，不必登记。"
        )
        intro.setWordWrap(True)
        self.model: RowTableModel[ExemptionInfo] = RowTableModel(COLUMNS, row_id=attrgetter("id"))
        self.table = RowTableView("dues_exemptions", self.model)
        self.remove_button = QPushButton("删除所选…")
        self.remove_button.setEnabled(False)
        self.picker = MemberPicker(who="要免缴的会员")
        self.picker.fill(context, roster, member_id)  # read now when the ledger has not been
        now = YearMonth.of(date.today())
        self.first = MonthEdit(YearMonth(now.year, 1))
        self.has_last = QCheckBox("截止到")
        self.last = MonthEdit(now)
        self.last.setEnabled(False)
        self.has_last.toggled.connect(self.last.setEnabled)
        until = QHBoxLayout()
        until.addWidget(self.first)
        until.addWidget(QLabel("起"))
        until.addSpacing(12)
        until.addWidget(self.has_last)
        until.addWidget(self.last)
        until.addWidget(QLabel("（不勾选为一直免缴）"))
        until.addStretch(1)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("如：长期病休，经工会委员会研究同意")
        self.reason.setMaxLength(200)
        self.add_button = QPushButton("添加免缴")
        form = QFormLayout()
        form.addRow("会员", self.picker)
        form.addRow("月份", until)
        form.addRow("原因", self.reason)
        form.addRow("", self.add_button)
        adding = QGroupBox("添加免缴")
        adding.setLayout(form)
        self.error = ErrorLabel()
        self.outcome = outcome_label()
        buttons = close_buttons(self)
        actions = QHBoxLayout()
        actions.addWidget(self.remove_button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(adding)
        layout.addWidget(self.error)
        layout.addWidget(self.outcome)
        layout.addWidget(buttons)
        resize_within_screen(self, 720, 640)
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        self.table.selectionModel().selectionChanged.connect(
            lambda *_: self.remove_button.setEnabled(self.table.current_row() is not None)
        )
        self.reload()

    def reload(self) -> None:
        member_id = self._member_id

        def work(session: Session) -> list[ExemptionInfo]:
            from app.services.dues import list_exemptions

            return list_exemptions(session, member_id)

        read_operation(self, self._context, work, on_success=self.model.set_rows)

    def add(self) -> None:
        member = self.picker.current
        if member is None:
            self.error.show_message("请先选择会员")
            return
        if not self.reason.text().strip():
            self.error.show_message("请写明免缴会费的原因")
            return
        first = self.first.value()
        last = self.last.value() if self.has_last.isChecked() else None
        if last is not None and last < first:
            self.error.show_message("截止月份早于起始月份")
            return
        exemption = Exemption(first, last, self.reason.text())
        member_id = member.id
        self.error.show_message("")

        def work(session: Session) -> ExemptionChange:
            from app.services.dues import add_exemption

            return add_exemption(session, member_id, exemption)

        def added(change: ExemptionChange) -> None:
            self.outcome.setText(
                f"已登记{change.member_name}{exemption.months_text()}免缴。{refreshed_words(change.refreshed)}"
            )
            self.reason.clear()
            self.reload()

        write_operation(self, self._context, work, on_success=added, on_failure=self._failed)

    def remove(self) -> None:
        info = self.table.current_row()
        if info is None:
            return
        if not confirm(
            self,
            "删除免缴",
            f"确定删除{info.member_name}{info.exemption.first.chinese()}起的免缴吗？\n\n"
            "删除后，已生成月份中这段时间的会费重新计为应缴。",
        ):
            return
        exemption_id = info.id

        def work(session: Session) -> ExemptionChange:
            from app.services.dues import remove_exemption

            return remove_exemption(session, exemption_id)

        def removed(change: ExemptionChange) -> None:
            self.outcome.setText(f"已删除{change.member_name}的免缴。{refreshed_words(change.refreshed)}")
            self.reload()

        write_operation(self, self._context, work, on_success=removed, on_failure=self._failed)

    def _failed(self, error: BaseException) -> None:
        tell_failure(self, self.error, error)
