"""生成应缴: charge every paying member for the chosen months (the monthly roll). Rolling a
month again only recalculates what changed and was not paid yet; the result says what was
created and recalculated, and who has no base wage (nothing could be charged for them)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.dues import describe_months, month_span
from app.domain.money import format_fen
from app.domain.yearmonth import YearMonth
from app.services.errors import UserError
from app.services.progress import Progress
from app.ui.context import AppContext
from app.ui.date_fields import MonthEdit
from app.ui.operations import show_error, write_operation
from app.ui.widgets import ErrorLabel

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.dues import RollResult

MAX_NAMES = 200


def roll_report(result: RollResult) -> str:
    """What a roll did, in words, for the user."""
    lines = [f"{describe_months(month_span(result.first, result.last))}："]
    if result.created:
        lines.append(f"新生成应缴 {result.created} 笔，合计 {format_fen(result.due_fen)} 元。")
    if result.recalculated:
        lines.append(f"重新计算 {result.recalculated} 笔（会费基数、会籍或会费标准有变化，且还没有缴费）。")
    if result.removed:
        lines.append(f"撤销 {result.removed} 笔（这些人在那个月已经不是缴费会员）。")
    if not result.changed:
        lines.append("没有变化：这几个月的应缴已经生成过，会员、会费基数和会费标准都没有变。")
    if result.kept_paid:
        lines.append(
            f"另有 {result.kept_paid} 笔已经缴了费的应缴按现在的会籍不该收，已保留不动，请核对后处理。"
        )
    if result.missing_wage:
        lines.append("")
        lines.append(
            f"下面 {len(result.missing_wage)} 名会员没有会费基数，这些月份没有生成应缴。"
            "请在“会员名册”中填写他们的会费基数工资（或导入工资表），再生成一次："
        )
        for name, missing in sorted(result.missing_wage.items())[:MAX_NAMES]:
            lines.append(f"　{name}：{describe_months(missing)}")
        if len(result.missing_wage) > MAX_NAMES:
            lines.append(f"　……共 {len(result.missing_wage)} 人，只列出前 {MAX_NAMES} 人")
    return "\n".join(lines)


def _first_to_roll(year: int, last: YearMonth, rolled: tuple[YearMonth, ...]) -> YearMonth:
    """The dialog's first month: the year's earliest not rolled yet (this month again when
    every month so far is), so that the months offered are the ones still to do."""
    start = YearMonth(year, 1)
    if last < start:
        return last
    done = set(rolled)
    return next((m for m in month_span(start, last) if m not in done), last)


class RollDialog(QDialog):
    rolled = Signal(object)  # the RollResult

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        year: int | None = None,
        rolled: tuple[YearMonth, ...] = (),
    ) -> None:
        super().__init__(parent)
        self._context = context
        self.roll_result: RollResult | None = None
        self.setWindowTitle("生成应缴会费")
        self.setModal(True)
        now = YearMonth.of(date.today())
        year = year or now.year
        last = min(YearMonth(year, 12), now)
        self.first = MonthEdit(_first_to_roll(year, last, rolled), latest=now)
        self.last = MonthEdit(last, latest=now)
        months = QHBoxLayout()
        months.addWidget(self.first)
        months.addWidget(QLabel("至"))
        months.addWidget(self.last)
        months.addStretch(1)
        intro = QLabel(
            "按每名会员当月的会籍和会费基数，生成所选月份的应缴会费。\n"
            "已经生成过的月份可以再生成：只重新计算有变化、还没有缴费的月份，已缴的不变。"
        )
        intro.setWordWrap(True)
        done = describe_months(rolled) if rolled else "还没有"
        self.already = QLabel(f"{year}年已生成应缴的月份：{done}")
        self.already.setStyleSheet("color: #555;")
        form = QFormLayout()
        form.addRow("月份", months)
        self.error = ErrorLabel()
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.hide()
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton("生成", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.already)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.report, 1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

    def run(self) -> None:
        if self.roll_result is not None:
            self.accept()  # the button reads 关闭 after a roll
            return
        first, last = self.first.value(), self.last.value()
        if last < first:
            self.error.show_message("结束月份早于开始月份")
            return
        self.error.show_message("")
        self.ok_button.setEnabled(False)
        progress = Progress()
        if self._context.db is not None:  # a roll writes a charge per member and month
            self._context.db.back_up_ahead()

        def work(session: Session) -> RollResult:
            from app.services.dues import roll

            return roll(session, first, last, progress=progress)

        write_operation(
            self,
            self._context,
            work,
            on_success=self._done,
            on_failure=self._failed,
            label="正在生成应缴会费……",
            cancellable=True,
            progress=progress,
        )

    def _done(self, result: RollResult) -> None:
        self.roll_result = result
        self.report.setPlainText(roll_report(result))
        self.report.show()
        self.first.setEnabled(False)
        self.last.setEnabled(False)
        self.ok_button.setText("关闭")
        self.ok_button.setEnabled(True)
        self.cancel_button.hide()
        self.resize(max(self.width(), 560), 420)
        self.rolled.emit(result)

    def _failed(self, error: BaseException) -> None:
        self.ok_button.setEnabled(True)
        if self._context.db is not None:
            self._context.db.drop_backup_ahead()
        if isinstance(error, UserError):
            self.error.show_message(str(error))
        else:
            show_error(self, error)
