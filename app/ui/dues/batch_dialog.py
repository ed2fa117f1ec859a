"""批量收缴: mark a group (or everyone) paid for months M1–M2, as payroll deduction does.
The preview lists who still owes what for those months and the total; 确定 records one
payroll-deduction payment per person, in one transaction."""

from __future__ import annotations

from datetime import date
from operator import attrgetter
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.dues import describe_months, month_span
from app.domain.money import format_fen
from app.domain.yearmonth import YearMonth
from app.services.errors import UserError
from app.ui.context import AppContext
from app.ui.date_fields import MonthEdit, OptionalDateEdit
from app.ui.operations import read_operation, show_error, write_operation
from app.ui.tables import Column, RowTableModel, RowTableView, number_column, text_column
from app.ui.widgets import ErrorLabel, add_group_items

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.domain.union import GroupInfo
    from app.services.dues import BatchLine, BatchPlan

COLUMNS: tuple[Column[BatchLine], ...] = (
    Column("name", "姓名", 80, attrgetter("name"), attrgetter("name"), hideable=False),
    text_column("group", "部门", 170),
    Column(
        "months", "收缴月份", 190, lambda line: describe_months(line.months), lambda line: min(line.months)
    ),
    number_column("amount", "金额（元）", 90, attr="amount_fen", format=format_fen),
)


class BatchDialog(QDialog):
    applied = Signal(int)  # how many payments were recorded

    def __init__(
        self,
        context: AppContext,
        groups: list[GroupInfo],
        parent: QWidget | None = None,
        *,
        group_id: int | None = None,
        first: YearMonth | None = None,
        last: YearMonth | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._plan: BatchPlan | None = None
        self._generation = 0
        self.setWindowTitle("批量收缴（工资代扣）")
        self.setModal(True)
        now = YearMonth.of(date.today())
        self.group = QComboBox()
        self.group.addItem("全体会员", None)
        add_group_items(self.group, groups)
        index = self.group.findData(group_id)
        self.group.setCurrentIndex(max(index, 0))
        self.first = MonthEdit(first or YearMonth(now.year, 1), latest=now)
        self.last = MonthEdit(last or now, latest=now)
        months = QHBoxLayout()
        months.addWidget(self.first)
        months.addWidget(QLabel("至"))
        months.addWidget(self.last)
        months.addStretch(1)
        self.paid_on = OptionalDateEdit(allow_empty=False)
        self.paid_on.set_value(date.today())
        self.collector = QLineEdit()
        self.collector.setMaxLength(30)
        self.collector.setPlaceholderText("经办人，如 财务科 王会计")
        self.note = QLineEdit()
        self.note.setMaxLength(200)
        self.note.setPlaceholderText("不填则写“批量工资代扣 所选月份”")
        form = QFormLayout()
        form.addRow("分组", self.group)
        form.addRow("月份", months)
        form.addRow("代扣日期", self.paid_on)
        form.addRow("经办人", self.collector)
        form.addRow("备注", self.note)
        intro = QLabel(
            "把所选分组（含下级分组）在这几个月里还没有缴的会费，一次记为“工资代扣”已缴。"
            "已经缴清的月份不会重复收缴；只缴了一部分的月份，只收还差的部分。"
        )
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #555;")
        self.model: RowTableModel[BatchLine] = RowTableModel(COLUMNS, row_id=attrgetter("member_id"))
        self.table = RowTableView(
            "dues_batch_preview", self.model, default_sort=("group", Qt.SortOrder.AscendingOrder)
        )
        self.total = QLabel("正在计算……")
        self.total.setStyleSheet("font-weight: bold;")
        self.error = ErrorLabel()
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton("确定收缴", QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.clicked.connect(self.apply)
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.total)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(250)  # typing a month: one preview when it settles
        self._preview_timer.timeout.connect(self.preview)
        for edit in (self.first, self.last):
            edit.dateChanged.connect(lambda _d: self._preview_timer.start())
        self.group.currentIndexChanged.connect(lambda _i: self._preview_timer.start())
        self.resize(640, 560)
        self.preview()

    # -- the preview -------------------------------------------------------------------
    def preview(self) -> None:
        self._plan = None
        self._generation += 1
        generation = self._generation
        self.ok_button.setEnabled(False)
        self.error.show_message("")
        first, last, group_id = self.first.value(), self.last.value(), self.group.currentData()
        if last < first:
            self.model.set_rows([])
            self.total.setText("")
            self.error.show_message("结束月份早于开始月份")
            return
        self.total.setText("正在计算……")

        def work(session: Session) -> BatchPlan:
            from app.services.dues import plan_batch

            return plan_batch(session, first, last, group_id)

        def planned(plan: BatchPlan) -> None:
            if generation != self._generation:
                return
            self._plan = plan
            self.model.set_rows(plan.lines)
            if plan.lines:
                self.total.setText(f"共 {len(plan.lines)} 人，合计 {format_fen(plan.total_fen)} 元")
            else:
                self.total.setText("所选分组在这几个月没有未缴的应缴会费，无需收缴。")
            self.ok_button.setEnabled(bool(plan.lines))

        def failed(error: BaseException) -> None:
            if generation != self._generation:
                return
            self.total.setText("")
            if isinstance(error, UserError):
                self.error.show_message(str(error))
            else:
                show_error(self, error)

        read_operation(self, self._context, work, on_success=planned, on_failure=failed, label="正在计算……")

    @property
    def plan(self) -> BatchPlan | None:
        return self._plan

    # -- applying ------------------------------------------------------------------------
    def apply(self) -> None:
        plan = self._plan
        if plan is None or not plan.lines:
            return
        paid_on = self.paid_on.value() or date.today()
        collector, note = self.collector.text(), self.note.text()
        self.ok_button.setEnabled(False)

        def work(session: Session) -> tuple[int, int]:
            from app.services.dues import apply_batch, plan_batch

            fresh = plan_batch(session, plan.first, plan.last, plan.group_id)
            count = apply_batch(session, fresh, paid_on=paid_on, collector=collector, note=note)
            return count, fresh.total_fen

        def done(result: tuple[int, int]) -> None:
            count, total = result
            self.applied.emit(count)
            self.accept()
            QMessageBox.information(
                self.parentWidget(),
                "批量收缴完成",
                f"已按工资代扣收缴 {count} 人的会费（{describe_months(month_span(plan.first, plan.last))}），"
                f"合计 {format_fen(total)} 元。",
            )

        def failed(error: BaseException) -> None:
            self.ok_button.setEnabled(True)
            if isinstance(error, UserError):
                self.error.show_message(str(error))
            else:
                show_error(self, error)

        write_operation(self, self._context, work, on_success=done, on_failure=failed, label="正在收缴……")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter in a field must not apply the batch: only the button does.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return
        super().keyPressEvent(event)
