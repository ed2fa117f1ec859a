"""欠缴名单: everyone with unpaid months (up to a month), longest arrears first; six months or
more in a row are marked in words, not by colour alone (章程第五条: the union must look at
them — nothing here changes anyone's status). Export to Excel, print the 催缴单 by group."""

from __future__ import annotations

from datetime import date
from operator import attrgetter
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.dues import LONG_ARREARS_MONTHS, SHORT_TEXT, describe_months
from app.domain.idcard import mask_id_number, normalize_id_text
from app.domain.money import format_fen
from app.domain.union import descendants
from app.domain.yearmonth import YearMonth
from app.ui.context import AppContext, RefreshWhenShown
from app.ui.date_fields import MonthEdit
from app.ui.dues.changes import CELL_TABLES
from app.ui.dues.files import PDF, XLSX, choose_file, write_file
from app.ui.lifetime import alive
from app.ui.operations import read_operation
from app.ui.privacy import RevealedRows
from app.ui.tables import Column, ColumnChooserButton, RowTableModel, RowTableView, number_column, text_column
from app.ui.widgets import add_group_items, menu_button

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy.orm import Session

    from app.domain.union import GroupInfo
    from app.services.dues import ArrearsRow

LONG_TEXT = f"连续{LONG_ARREARS_MONTHS}个月以上未缴"
_LONG = QColor("#a11212")


def _flag(row: ArrearsRow) -> str:
    if row.long:
        return LONG_TEXT
    return SHORT_TEXT if row.short_only else ""


COLUMNS: tuple[Column[ArrearsRow], ...] = (
    Column("name", "姓名", 72, attrgetter("name"), attrgetter("name"), hideable=False),
    text_column("id_number", "身份证号", 160),
    text_column("group", "部门", 160),
    number_column("months_unpaid", "欠缴月数", 66),
    number_column("consecutive", "连续月数", 66, attr="consecutive_months"),
    number_column("owed", "欠缴金额", 86, attr="owed_fen", format=format_fen),
    Column(
        "months",
        "欠缴月份",
        230,
        lambda r: describe_months(m for m, _ in r.months),
        lambda r: r.months[0][0] if r.months else YearMonth(1, 1),
        tooltip=lambda r: "\n".join(f"{m.chinese()}：{format_fen(fen)} 元" for m, fen in r.months),
    ),
    Column("flag", "提示", 320, _flag, lambda r: (r.long, r.short_only), tooltip=lambda r: _flag(r) or None),
)


def _long_colour(row: ArrearsRow) -> QColor | None:
    return _LONG if row.long else None


class ArrearsModel(RowTableModel["ArrearsRow"]):
    def __init__(self) -> None:
        super().__init__(COLUMNS, row_id=attrgetter("member_id"), foreground=_long_colour)
        # ID numbers masked unless a row is revealed; the search below still reads the full ones
        self.private = RevealedRows(self, {"id_number": mask_id_number})


class ArrearsTab(QWidget):
    pay_member = Signal(int)  # a row double-clicked: record this member's payment

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._generation = 0
        self._groups: list[GroupInfo] = []
        self.model = ArrearsModel()
        now = YearMonth.of(date.today())
        self.through = MonthEdit(now, latest=now)
        self.through.setToolTip("只算到这个月（含）为止的欠缴")
        self.group = QComboBox()
        self.group.setMinimumWidth(160)
        self.group.addItem("全部分组", None)
        self.search = QLineEdit()
        self.search.setPlaceholderText("在名单中查找：姓名或身份证号")
        self.search.setClearButtonEnabled(True)
        self.export_button = menu_button("导出 Excel")
        self.export_button.setToolTip("把当前的欠缴名单（所选月份和分组）保存为 Excel 文件")
        export_menu = QMenu(self.export_button)
        export_menu.addAction("导出欠缴名单…", lambda: self.export())
        export_menu.addAction("导出（隐去身份证号中间部分）…", lambda: self.export(mask=True))
        self.export_button.setMenu(export_menu)
        self.print_button = QPushButton("打印催缴单…")
        self.print_button.setToolTip("按分组生成催缴单（PDF），交各分组负责人通知本人补缴")
        self.table = RowTableView(
            "dues_arrears", self.model, default_sort=("consecutive", Qt.SortOrder.DescendingOrder)
        )
        self.columns_button = ColumnChooserButton(self.table)
        self.private = self.model.private.attach(self.table, context)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("截至"))
        bar.addWidget(self.through)
        bar.addWidget(QLabel("分组"))
        bar.addWidget(self.group)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.export_button)
        bar.addWidget(self.print_button)
        bar.addWidget(self.columns_button)
        self.summary = QLabel("正在读取……")
        self.summary.setWordWrap(True)
        note = QLabel(
            f"按《中国工会章程》，会员无正当理由连续{LONG_ARREARS_MONTHS}个月不交纳会费、不参加工会组织生活的，视为自动退会："
            f"名单中标出“{LONG_TEXT}”的会员请及时联系核实。程序不会自动改变任何人的会籍。"
            "双击一行可为这名会员登记缴费。"
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        self.through.dateChanged.connect(lambda _d: self.reload())
        self.group.currentIndexChanged.connect(lambda _i: self.reload())
        self.search.textChanged.connect(self._search)
        self.print_button.clicked.connect(self.print_reminders)
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.rows_reset.connect(self._show_summary)
        self.refresher = RefreshWhenShown(self, context, CELL_TABLES, self.reload)

    def set_groups(self, groups: list[GroupInfo]) -> None:
        self._groups = groups
        current = self.group.currentData()
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItem("全部分组", None)
        add_group_items(self.group, groups)
        self.group.setCurrentIndex(max(self.group.findData(current), 0))
        self.group.blockSignals(False)

    def _scope(self) -> tuple[YearMonth, list[int] | None]:
        group_id = self.group.currentData()
        ids = sorted(descendants(self._groups, group_id)) if group_id is not None else None
        return self.through.value(), ids

    def reload(self) -> None:
        if self.context.db is None:
            return
        self._generation += 1
        generation = self._generation
        through, group_ids = self._scope()
        self.summary.setText("正在读取欠缴名单……")

        def work(session: Session) -> list[ArrearsRow]:
            from app.services.dues import list_arrears

            return list_arrears(session, through=through, group_ids=group_ids)

        def loaded(rows: list[ArrearsRow]) -> None:
            if alive(self) and generation == self._generation:
                self.model.set_rows(rows)

        read_operation(self, self.context, work, on_success=loaded, label="正在读取欠缴名单……")

    def _search(self) -> None:
        text = self.search.text().strip()
        if not text:
            self.model.set_predicate(None)
            return
        wanted = normalize_id_text(text).upper() if text[0].isdigit() else text
        self.model.set_predicate(lambda r: wanted in r.name or wanted in r.id_number)

    def _show_summary(self) -> None:
        rows = self.model.rows
        if self.context.db is None:
            return
        if not rows:
            self.summary.setText(f"截至{self.through.value().chinese()}，没有欠缴会费的会员。")
            return
        long = sum(1 for r in rows if r.long)
        owed = sum(r.owed_fen for r in rows)
        shown = self.model.rowCount()
        part = f"（显示 {shown} 人）" if shown != len(rows) else ""
        self.summary.setText(
            f"截至{self.through.value().chinese()}：欠缴会员 {len(rows)} 人{part}，合计 {format_fen(owed)} 元；"
            f"其中{LONG_TEXT}的 <b style='color:#a11212'>{long}</b> 人。"
        )

    def _double_clicked(self, index: object) -> None:
        row = self.table.current_row()
        if row is not None:
            self.pay_member.emit(row.member_id)

    # -- files -------------------------------------------------------------------------
    def _label(self) -> str:
        group = self.group.currentText().strip() if self.group.currentData() is not None else ""
        return f"{group + '_' if group else ''}截至{self.through.value().chinese()}"

    def export(self, *, mask: bool = False) -> None:
        """The arrears list as .xlsx; ``mask`` hides the middle of the ID numbers."""
        path = choose_file(self, "导出欠缴名单", f"欠缴名单_{self._label()}.xlsx", XLSX)
        if path is None:
            return
        through, group_ids = self._scope()

        def work(session: Session, out: Path) -> object:
            from app.services.dues.arrears_export import export_arrears

            return export_arrears(session, out, through=through, group_ids=group_ids, mask=mask)

        write_file(self, self.context, path, work, done="欠缴名单已导出", label="正在导出……")

    def print_reminders(self) -> None:
        path = choose_file(self, "打印催缴单", f"催缴单_{self._label()}.pdf", PDF)
        if path is None:
            return
        through, group_ids = self._scope()

        def work(session: Session, out: Path) -> object:
            from app.services.dues.arrears_export import print_reminders

            return print_reminders(session, out, through=through, group_ids=group_ids)

        write_file(
            self, self.context, path, work, done="催缴单已生成，可以打开后打印", label="正在生成催缴单……"
        )
