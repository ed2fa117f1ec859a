"""集中发放记录: every batch with its day, what each person got, how many people and the
total; its 签领表 printed again, or the whole batch undone (every record it wrote goes)."""

from __future__ import annotations

from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.money import format_fen
from app.ui.care import BATCHES, RECORDS
from app.ui.context import AppContext, RefreshWhenShown
from app.ui.dialog_parts import close_buttons, confirm, outcome_label, resize_within_screen, tell_failure
from app.ui.operations import read_operation, write_operation
from app.ui.tables import Column, RowTableModel, RowTableView, date_column, number_column, text_column
from app.ui.widgets import ErrorLabel

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy.orm import Session

    from app.services.care import BatchInfo
    from app.ui.print_preview import PrintPreviewDialog

_OVER = QColor("#a11212")


def _what(batch: BatchInfo) -> str:
    return batch.occasion + (f"（{batch.variant}）" if batch.variant else "")


def _each(batch: BatchInfo) -> str:
    """每人: 500.00 元, or 大米一袋（价值 100.00 元）, or both."""
    parts = [f"{format_fen(batch.cash_fen)} 元"] if batch.cash_fen else []
    if batch.goods or batch.goods_fen:
        parts.append(f"{batch.goods or '慰问品'}（价值 {format_fen(batch.goods_fen)} 元）")
    return " + ".join(parts)


COLUMNS: tuple[Column[BatchInfo], ...] = (
    date_column("day", "发放日期"),
    Column("name", "名称", 160, attrgetter("name"), attrgetter("name"), hideable=False),
    Column("occasion", "事由", 130, _what, _what),
    Column("each", "每人", 270, _each, lambda b: b.cash_fen + b.goods_fen),
    number_column("people", "人数", 50),
    number_column("total", "合计（元）", 90, attr="total_fen", format=format_fen),
    Column(
        "over",
        "超过标准",
        70,
        lambda b: f"{b.over_count} 人" if b.over_count else "",
        attrgetter("over_count"),
        foreground=lambda b: _OVER if b.over_count else None,
    ),
    text_column("pay_by", "发放方式", 70),
    text_column("chosen_by", "发放对象", 130),
    text_column("funding", "经费来源", 70, visible=False),
    text_column("approver", "审批人", 70, visible=False),
)


def undo_question(batch: BatchInfo) -> str:
    return (
        f"确定撤销集中发放“{batch.name}”（{batch.day.isoformat()}）吗？\n\n"
        f"将删除这次发放的 {batch.people} 条慰问记录，合计 {format_fen(batch.total_fen)} 元。\n"
        "撤销后不能恢复（操作日志保留记录），需要时可以重新发放。"
    )


class BatchesDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.setWindowTitle("集中发放记录")
        intro = QLabel(
            "每次“集中发放”都记在这里，可以重新打印签领表。发错了（名单、金额不对）可以撤销："
            "撤销会删除这次发放写入的全部慰问记录。只改其中一个人的，请在慰问记录中修改或删除那一条。"
        )
        intro.setWordWrap(True)
        self.model: RowTableModel[BatchInfo] = RowTableModel(COLUMNS)
        self.table = RowTableView(
            "care_batches", self.model, default_sort=("day", Qt.SortOrder.DescendingOrder)
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.print_button = QPushButton("打印签领表…")
        self.undo_button = QPushButton("撤销所选…")
        for button in (self.print_button, self.undo_button):
            button.setEnabled(False)
        self.why = QLabel()
        self.why.setStyleSheet("color: #555;")
        self.error = ErrorLabel()
        self.outcome = outcome_label()
        row = QHBoxLayout()
        row.addWidget(self.print_button)
        row.addWidget(self.undo_button)
        row.addWidget(self.why, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(self.outcome)
        layout.addWidget(close_buttons(self))
        resize_within_screen(self, 1200, 440)
        self.print_button.clicked.connect(lambda: self.print_sheet())
        self.undo_button.clicked.connect(lambda: self.undo())
        self.table.doubleClicked.connect(lambda _i: self.print_sheet())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.table.rows_reset.connect(self._selected)
        self.refresher = RefreshWhenShown(self, context, (RECORDS, BATCHES), self.reload)
        self.reload()

    def reload(self) -> None:
        def work(session: Session) -> list[BatchInfo]:
            from app.services.care import list_batches

            return list_batches(session)

        read_operation(self, self._context, work, on_success=self._loaded, label="正在读取集中发放记录……")

    def _loaded(self, batches: list[BatchInfo]) -> None:
        self.model.set_rows(batches)
        if self.table.current_row() is None and batches:
            self.table.select_id(self.model.row_at(0).id)
        self._selected()

    def _selected(self) -> None:
        batch = self.table.current_row()
        for button in (self.print_button, self.undo_button):
            button.setEnabled(batch is not None)
        if batch is not None:
            self.why.setText(f"撤销将删除这次发放的 {batch.people} 条慰问记录")
        else:
            self.why.setText(
                "选中一次发放后可以打印签领表或撤销" if self.model.rowCount() else "还没有集中发放过"
            )

    def print_sheet(self) -> PrintPreviewDialog | None:
        from app.ui.print_preview import show_print_preview

        batch = self.table.current_row()
        if batch is None:
            return None
        batch_id = batch.id

        def make(session: Session, path: Path) -> None:
            from app.services.care import print_batch

            print_batch(session, batch_id, path)

        return show_print_preview(self, self._context, "发放签领表", f"签领表_{batch.name}.pdf", make)

    def undo(self, ask: Callable[[str, str], bool] | None = None) -> bool:
        """Undo the selected batch once the user agrees; whether it was asked to go."""
        batch = self.table.current_row()
        if batch is None:
            return False
        if not (ask or (lambda title, text: confirm(self, title, text)))(
            "撤销集中发放", undo_question(batch)
        ):
            return False
        batch_id, name = batch.id, batch.name
        self.error.show_message("")
        self.undo_button.setEnabled(False)

        def work(session: Session) -> int:
            from app.services.care import undo_batch

            return undo_batch(session, batch_id)

        def undone(count: int) -> None:
            self.outcome.setText(f"已撤销集中发放“{name}”：删除 {count} 条慰问记录。")

        def failed(error: BaseException) -> None:
            self._selected()
            tell_failure(self, self.error, error)

        write_operation(self, self._context, work, on_success=undone, on_failure=failed, label="正在撤销……")
        return True
