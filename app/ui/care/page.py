"""慰问帮扶: the year's care records, each over a cap flagged in words with its reason; a
record entered with its live check, and the register kept in Excel imported. (Batches and
printing come next.)"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from operator import attrgetter
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.money import format_fen
from app.ui.context import AppContext, RefreshWhenShown
from app.ui.lifetime import alive
from app.ui.operations import read_operation, write_operation
from app.ui.tables import (
    Column,
    ColumnChooserButton,
    RowTableModel,
    RowTableView,
    date_column,
    number_column,
    text_column,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.care import CareInfo
    from app.ui.care.record_dialog import CareRecordDialog
    from app.ui.imports.wizard import ImportWizard

RECORDS = "care_records"  # CareRecord.__tablename__ (tests keep them equal)
OVER = "超过标准"
_OVER = QColor("#a11212")


def _occasion(row: CareInfo) -> str:
    return f"{row.occasion}（{row.variant}）" if row.variant else row.occasion


COLUMNS: tuple[Column[CareInfo], ...] = (
    date_column("day", "日期"),
    Column("recipient", "慰问对象", 80, attrgetter("recipient"), attrgetter("recipient"), hideable=False),
    Column("occasion", "事由", 120, _occasion, _occasion),
    number_column("cash", "慰问金", 80, attr="cash_fen", format=format_fen),
    text_column("goods", "慰问品", 150),
    number_column("goods_value", "慰问品价值", 80, attr="goods_fen", format=format_fen),
    number_column("amount", "合计", 80, attr="amount_fen", format=format_fen),
    Column(
        "flag",
        "标准",
        80,
        lambda r: OVER if r.over_cap else "",
        lambda r: bool(r.over_cap),
        tooltip=lambda r: r.over_cap or None,
    ),
    Column(
        "reason",
        "超标准原因",
        200,
        lambda r: r.reason,
        lambda r: r.reason,
        foreground=lambda r: _OVER if r.awaiting_reason else None,
    ),
    text_column("funding", "经费来源", 80, visible=False),
    text_column("source", "来源", 50, visible=False),
)


class CareModel(RowTableModel["CareInfo"]):
    def __init__(self) -> None:
        super().__init__(COLUMNS, row_id=attrgetter("id"), foreground=lambda r: _OVER if r.over_cap else None)


class CarePage(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._generation = 0
        self.model = CareModel()
        self.year = QSpinBox()
        self.year.setRange(1990, date.today().year)
        self.year.setValue(date.today().year)
        self.year.setSuffix(" 年")
        self.search = QLineEdit()
        self.search.setPlaceholderText("查找：慰问对象或事由")
        self.search.setClearButtonEnabled(True)
        self.add_button = QPushButton("登记慰问…")
        self.add_button.setToolTip("登记一次慰问，按慰问标准检查金额和形式")
        self.add_button.setEnabled(False)
        self.import_button = QPushButton("导入慰问登记表…")
        self.import_button.setToolTip("导入 Excel 中记的慰问登记（日期、姓名、事由、慰问金、慰问品……）")
        self.import_button.setEnabled(False)
        self.table = RowTableView(
            "care_records", self.model, default_sort=("day", Qt.SortOrder.AscendingOrder)
        )
        self.columns_button = ColumnChooserButton(self.table)
        self.summary = QLabel("打开账套后显示慰问记录")
        note = QLabel(
            "慰问标准按本会所在省份（设置 → 本工会信息）的预设，本单位可另定（命令行 care policy set）。"
            "超过标准的记录必须写明原因，在这里和所有报表中都会标出（双击这样的一行可以填写或修改原因）；"
            "购物卡、代金券等不能发放。"
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        bar = QHBoxLayout()
        bar.addWidget(QLabel("年份"))
        bar.addWidget(self.year)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.add_button)
        bar.addWidget(self.import_button)
        bar.addWidget(self.columns_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        self.year.valueChanged.connect(lambda _v: self.reload())
        self.search.textChanged.connect(self._search)
        self.import_button.clicked.connect(lambda: self.import_register())
        self.add_button.clicked.connect(lambda: self.add_record())
        self.table.rows_reset.connect(self._show_summary)
        self.table.doubleClicked.connect(lambda _index: self.write_reason())
        self.refresher = RefreshWhenShown(self, context, (RECORDS,), self.reload)
        context.database_opened.connect(self._opened)

    def _opened(self, _db: object) -> None:
        self.import_button.setEnabled(True)
        self.add_button.setEnabled(True)
        self.refresher.mark_stale()

    def save_state(self) -> None:
        self.table.save_state()

    def reload(self) -> None:
        if self.context.db is None:
            return
        self._generation += 1
        generation, year = self._generation, self.year.value()

        def work(session: Session) -> list[CareInfo]:
            from app.services.care import list_care

            return list_care(session, year=year)

        def loaded(rows: list[CareInfo]) -> None:
            if alive(self) and generation == self._generation:
                self.model.set_rows(rows)

        read_operation(self, self.context, work, on_success=loaded, label="正在读取慰问记录……")

    def _search(self) -> None:
        text = self.search.text().strip()
        self.model.set_predicate((lambda r: text in r.recipient or text in _occasion(r)) if text else None)

    def _show_summary(self) -> None:
        rows = self.model.rows
        over = sum(1 for r in rows if r.over_cap)
        flagged = f"，其中{OVER}的 <b style='color:#a11212'>{over}</b> 人次" if over else ""
        self.summary.setText(
            f"{self.year.value()}年：慰问 {len(rows)} 人次，合计 {format_fen(sum(r.amount_fen for r in rows))} 元{flagged}。"
        )

    def add_record(self) -> CareRecordDialog | None:
        from app.ui.care.record_dialog import CareRecordDialog

        if self.context.db is None:
            return None
        dialog = CareRecordDialog(self.context, self)
        dialog.open()
        return dialog

    def write_reason(self, ask: Callable[[str, str], str | None] | None = None) -> None:
        """For the selected record over a cap: ask why, and keep it (imported ones wait for this)."""
        row = self.table.current_row()
        if row is None or not row.over_cap or self.context.db is None:
            return
        ask = ask or self._ask_reason
        reason = ask(f"{row.recipient} {row.day.isoformat()} {_occasion(row)}：{row.over_cap}",
                     "" if row.awaiting_reason else row.reason)  # fmt: skip
        if reason is None:
            return
        record_id = row.id

        def work(session: Session) -> None:
            from app.services.care import set_reason

            set_reason(session, record_id, reason)

        write_operation(self, self.context, work, label="正在保存……")

    def _ask_reason(self, about: str, current: str) -> str | None:
        text, ok = QInputDialog.getText(self, "超过标准的原因", f"{about}\n\n请写明原因：", text=current)
        return text if ok else None

    def import_register(self) -> ImportWizard | None:
        from app.ui.care.import_panel import CareImportPanel
        from app.ui.imports.wizard import ImportWizard

        if self.context.db is None:
            return None
        wizard = ImportWizard(self.context, CareImportPanel(self.year.value()), self)
        wizard.open()
        return wizard
