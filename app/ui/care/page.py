"""慰问帮扶: the care records of a year (or of any dates), filtered by occasion, group and
over-cap, each over a cap flagged in words with its reason; the totals of what is shown; a
record entered with its live check, corrected or deleted; 集中发放 and its records; the
printed 签领表 and 领取单; and the register kept in Excel imported."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.care import Occasion
from app.domain.money import format_fen
from app.ui.care import BATCHES, RECORDS
from app.ui.context import GROUPS, MEMBERS, AppContext, RefreshWhenShown
from app.ui.dialog_parts import confirm
from app.ui.flow_layout import FlowLayout
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
from app.ui.widgets import add_group_items

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.domain.union import GroupInfo
    from app.services.care import CareInfo
    from app.ui.care.batch_dialog import CareBatchDialog
    from app.ui.care.batches_dialog import BatchesDialog
    from app.ui.care.policy_dialog import CarePolicyDialog
    from app.ui.care.record_dialog import CareRecordDialog
    from app.ui.care.words_dialog import CareWordsDialog
    from app.ui.imports.wizard import ImportWizard
    from app.ui.print_preview import PrintPreviewDialog

__all__ = ["OVER", "RECORDS", "WITHIN", "CareModel", "CarePage"]

OVER = "超过标准"
WITHIN = "未超"  # said, not left blank: an empty column reads as one not yet loaded
_OVER = QColor("#a11212")
WHOLE_YEAR = "year"
DATES = "dates"
PRINT_TIP = (
    "打印列表中的记录的发放签领表：按所选的时间段、事由、分组和“只看超过标准”。\n"
    "查找条件只在屏幕上筛选，不影响打印。"
)


def _occasion(row: CareInfo) -> str:
    return f"{row.occasion}（{row.variant}）" if row.variant else row.occasion


def describe(row: CareInfo) -> str:
    """One record in words, as a question names it: 张伟 2026-03-02 住院 1,200.00 元."""
    return f"{row.recipient} {row.day.isoformat()} {_occasion(row)} {format_fen(row.amount_fen)} 元"


COLUMNS: tuple[Column[CareInfo], ...] = (
    date_column("day", "日期"),
    Column("recipient", "慰问对象", 80, attrgetter("recipient"), attrgetter("recipient"), hideable=False),
    text_column("group", "部门", 160),  # 行政后勤 / 后勤保障科 whole
    Column("occasion", "事由", 160, _occasion, _occasion),  # 直系亲属去世（父亲） whole
    number_column("cash", "慰问金", 80, attr="cash_fen", format=format_fen),
    text_column("goods", "慰问品", 150),
    number_column("goods_value", "慰问品价值", 80, attr="goods_fen", format=format_fen),
    number_column("amount", "合计", 80, attr="amount_fen", format=format_fen),
    Column(
        "flag",
        "标准",
        80,
        lambda r: OVER if r.over_cap else WITHIN,
        lambda r: bool(r.over_cap),
        tooltip=lambda r: r.over_cap or "在本会的慰问标准以内",
    ),
    Column(
        "reason",
        "超标准原因",
        160,
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

    def shown(self) -> list[CareInfo]:
        """The rows the filter keeps, in the order shown."""
        return [self.row_at(i) for i in range(self.rowCount())]


def _in_group(path: str) -> Callable[[CareInfo], bool]:
    below = f"{path} / "
    return lambda r: r.group == path or r.group.startswith(below)


def _date_edit(value: date) -> QDateEdit:
    edit = QDateEdit(QDate(value.year, value.month, value.day))
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setCalendarPopup(True)
    return edit


def _day(edit: QDateEdit) -> date:
    qdate = edit.date()
    return date(qdate.year(), qdate.month(), qdate.day())


class CarePage(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._generation = 0
        self.groups: list[GroupInfo] = []
        self.model = CareModel()
        today = date.today()
        # -- the filters ------------------------------------------------------------------------
        self.period = QComboBox()
        self.period.addItem("全年", WHOLE_YEAR)
        self.period.addItem("按日期", DATES)
        self.period.setToolTip("看一整年的记录，或从某天到某天的")
        self.year = QSpinBox()
        self.year.setRange(1990, today.year)
        self.year.setValue(today.year)
        self.year.setSuffix(" 年")
        self.first = _date_edit(date(today.year, 1, 1))
        self.last = _date_edit(today)
        self.dates = QWidget()
        dates = QHBoxLayout(self.dates)
        dates.setContentsMargins(0, 0, 0, 0)
        for widget in (QLabel("从"), self.first, QLabel("到"), self.last):
            dates.addWidget(widget)
        self.dates.hide()
        self.occasion = QComboBox()
        self.occasion.addItem("全部事由", None)
        for occasion in Occasion:
            self.occasion.addItem(occasion.value, occasion.value)
        self.group = QComboBox()
        self.group.addItem("全部分组", None)
        self.group.setMinimumContentsLength(8)
        self.group.setToolTip("只看这个分组（含下级分组）会员的记录")
        self.over_only = QCheckBox("只看超过标准")
        self.search = QLineEdit()
        self.search.setPlaceholderText("查找：慰问对象或事由")
        self.search.setClearButtonEnabled(True)
        # -- the actions -------------------------------------------------------------------------
        self.add_button = QPushButton("登记慰问…")
        self.add_button.setToolTip("登记一次慰问，按慰问标准检查金额和形式")
        self.batch_button = QPushButton("集中发放…")
        self.batch_button.setToolTip("同一天给很多人发同样的慰问（春节送温暖、中秋慰问品、金秋助学……）")
        self.batches_button = QPushButton("集中发放记录…")
        self.batches_button.setToolTip("历次集中发放：重新打印签领表，或撤销发错的一次")
        self.import_button = QPushButton("导入慰问登记表…")
        self.import_button.setToolTip("导入 Excel 中记的慰问登记（日期、姓名、事由、慰问金、慰问品……）")
        self.words_button = QPushButton("慰问事由用语…")
        self.words_button.setToolTip(
            "导入慰问登记表时认得的事由写法（病号慰问 → 住院……）：程序自带的和本单位的"
        )
        self.print_button = QPushButton("打印签领表…")
        self.print_button.setToolTip(PRINT_TIP)
        self.voucher_button = QPushButton("领取单…")
        self.voucher_button.setToolTip("打印所选记录的慰问金领取单（A5 横向）")
        self.edit_button = QPushButton("修改…")
        self.edit_button.setToolTip("更正所选的慰问记录（改后重新按慰问标准检查）")
        self.delete_button = QPushButton("删除…")
        self.delete_button.setToolTip("删除录错的慰问记录（操作日志保留原内容）")
        self.policy_button = QPushButton("慰问标准…")
        self.policy_button.setToolTip("本省的慰问标准和本单位另定的标准（按生效月份）")
        self._database_buttons = (self.add_button, self.batch_button, self.batches_button,
                                  self.import_button, self.words_button, self.print_button, self.policy_button)  # fmt: skip
        self._row_buttons = (self.voucher_button, self.edit_button, self.delete_button)
        for button in (*self._database_buttons, *self._row_buttons):
            button.setEnabled(False)
        self.table = RowTableView(
            "care_records", self.model, default_sort=("day", Qt.SortOrder.AscendingOrder)
        )
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.columns_button = ColumnChooserButton(self.table)
        self.summary = QLabel("打开账套后显示慰问记录")
        note = QLabel(
            "慰问标准按本会所在省份（设置 → 本工会信息）的预设，本单位可另定（“慰问标准…”）。"
            "超过标准的记录必须写明原因，在这里和所有报表中都会标出（双击这样的一行可以填写或修改原因，"
            "双击其他行可以修改）；购物卡、代金券等不能发放（生日慰问发指定蛋糕店的蛋糕券是允许的）。"
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        filters = FlowLayout()  # both rows wrap in a narrow window rather than widen it
        part: QWidget
        for part in (QLabel("时间"), self.period, self.year, self.dates, QLabel("事由"), self.occasion,
                       QLabel("分组"), self.group, self.over_only, self.search):  # fmt: skip
            filters.addWidget(part)
        actions = FlowLayout()
        for part in (self.add_button, self.batch_button, self.batches_button, self.import_button,
                     self.words_button, self.print_button, *self._row_buttons, self.policy_button,
                     self.columns_button):  # fmt: skip
            actions.addWidget(part)
        records = QWidget()
        layout = QVBoxLayout(records)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        from app.ui.care.hardship_panel import HardshipPanel

        self.hardship = HardshipPanel(context)
        self.tabs = QTabWidget()
        self.tabs.addTab(records, "慰问记录")
        self.tabs.addTab(self.hardship, "困难职工档案")
        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(self.tabs)
        self.period.currentIndexChanged.connect(lambda _i: self._period_changed())
        self.year.valueChanged.connect(lambda _v: self.reload())
        self.first.dateChanged.connect(lambda _d: self.reload())
        self.last.dateChanged.connect(lambda _d: self.reload())
        self.occasion.currentIndexChanged.connect(lambda _i: self._refilter())
        self.group.currentIndexChanged.connect(lambda _i: self._refilter())
        self.over_only.toggled.connect(lambda _on: self._refilter())
        self.search.textChanged.connect(lambda _t: self._refilter())
        self.add_button.clicked.connect(lambda: self.add_record())
        self.batch_button.clicked.connect(lambda: self.batch())
        self.batches_button.clicked.connect(lambda: self.show_batches())
        self.import_button.clicked.connect(lambda: self.import_register())
        self.print_button.clicked.connect(lambda: self.print_sheet())
        self.voucher_button.clicked.connect(lambda: self.print_voucher())
        self.edit_button.clicked.connect(lambda: self.edit_record())
        self.delete_button.clicked.connect(lambda: self.delete_record())
        self.policy_button.clicked.connect(lambda: self.show_policy())
        self.words_button.clicked.connect(lambda: self.show_words())
        self.table.rows_reset.connect(self._show_summary)
        self.table.rows_reset.connect(self._selected)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.table.doubleClicked.connect(lambda _index: self._double_clicked())
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.refresher = RefreshWhenShown(self, context, (RECORDS, BATCHES, MEMBERS, GROUPS), self.reload)
        context.follow_database(self._opened)  # built after the open: read when shown

    def _opened(self, _db: object) -> None:
        for button in self._database_buttons:
            button.setEnabled(True)
        self.refresher.mark_stale()

    def save_state(self) -> None:
        self.table.save_state()
        self.hardship.save_state()

    # -- the period and the filters --------------------------------------------------------------
    def span(self) -> tuple[date, date]:
        """The first and last day the page shows."""
        if self.period.currentData() == WHOLE_YEAR:
            year = self.year.value()
            return date(year, 1, 1), date(year, 12, 31)
        return _day(self.first), _day(self.last)

    def _period_words(self) -> str:
        if self.period.currentData() == WHOLE_YEAR:
            return f"{self.year.value()}年"
        first, last = self.span()
        return f"{first.isoformat()} 至 {last.isoformat()}"

    def _period_changed(self) -> None:
        whole_year = self.period.currentData() == WHOLE_YEAR
        self.year.setVisible(whole_year)
        self.dates.setVisible(not whole_year)
        self.reload()

    def filter_words(self) -> list[str]:
        """The filters besides the period, in words (for the totals line)."""
        words = [str(self.occasion.currentData())] if self.occasion.currentData() else []
        if self.group.currentData():
            words.append(str(self.group.currentData()))
        if self.over_only.isChecked():
            words.append("只看超过标准")
        if self.search.text().strip():
            words.append(f"查找“{self.search.text().strip()}”")
        return words

    def _refilter(self) -> None:
        tests: list[Callable[[CareInfo], bool]] = []
        occasion = self.occasion.currentData()
        if occasion:
            tests.append(lambda r: r.occasion == occasion)
        if self.group.currentData():
            tests.append(_in_group(str(self.group.currentData())))
        if self.over_only.isChecked():
            tests.append(lambda r: bool(r.over_cap))
        text = self.search.text().strip()
        if text:
            tests.append(lambda r: text in r.recipient or text in _occasion(r))
        self.model.set_predicate((lambda r: all(test(r) for test in tests)) if tests else None)

    def _set_groups(self, groups: list[GroupInfo]) -> None:
        self.groups = groups
        chosen = self.group.currentData()
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItem("全部分组", None)
        add_group_items(self.group, groups, attrgetter("path"))
        index = self.group.findData(chosen)
        self.group.setCurrentIndex(max(index, 0))
        self.group.blockSignals(False)
        if index < 0 and chosen is not None:  # the group is gone (renamed): show everyone
            self._refilter()

    def reload(self) -> None:
        if self.context.db is None:
            return
        self._generation += 1
        generation = self._generation
        first, last = self.span()
        if last < first:
            self.model.set_rows([])
            self.summary.setText("<span style='color:#a11212'>开始日期晚于结束日期，请重新选择。</span>")
            return

        def work(session: Session) -> tuple[list[CareInfo], list[GroupInfo]]:
            from app.services.care import list_care
            from app.services.roster import list_groups

            return list_care(session, first=first, last=last), list_groups(session)

        def loaded(found: tuple[list[CareInfo], list[GroupInfo]]) -> None:
            if alive(self) and generation == self._generation:
                rows, groups = found
                self._set_groups(groups)
                self.model.set_rows(rows)

        read_operation(self, self.context, work, on_success=loaded, label="正在读取慰问记录……")

    def _show_summary(self) -> None:
        if self.context.db is None:
            return
        rows = self.model.shown()
        over = sum(1 for r in rows if r.over_cap)
        flagged = f"，其中{OVER}的 <b style='color:#a11212'>{over}</b> 人次" if over else ""
        words = self.filter_words()
        which = f"（{'、'.join(words)}）" if words else ""
        hidden = self.model.total_count - len(rows)
        more = f"<span style='color:#555'>　另有 {hidden} 条不符合筛选条件，未列出</span>" if hidden else ""
        self.summary.setText(
            f"{self._period_words()}{which}：慰问 {len(rows)} 人次，"
            f"合计 {format_fen(sum(r.amount_fen for r in rows))} 元{flagged}。{more}"
        )

    # -- the selected record -----------------------------------------------------------------------
    def _selected(self) -> None:
        row = self.table.current_row()
        for button in self._row_buttons:
            button.setEnabled(row is not None and self.context.db is not None)

    def _double_clicked(self) -> None:
        row = self.table.current_row()
        if row is None:
            return
        if row.over_cap:
            self.write_reason()
        else:
            self.edit_record()

    def row_menu(self) -> QMenu | None:
        """The selected record's actions, as the right-click menu offers them."""
        row = self.table.current_row()
        if row is None or self.context.db is None:
            return None
        menu = QMenu(self)
        menu.addAction("修改…", lambda: self.edit_record())
        if row.over_cap:
            menu.addAction("填写超标准原因…", lambda: self.write_reason())
        menu.addAction("打印领取单…", lambda: self.print_voucher())
        menu.addSeparator()
        menu.addAction("删除…", lambda: self.delete_record())
        menu.aboutToHide.connect(menu.deleteLater)
        return menu

    def _context_menu(self, position: QPoint) -> None:
        menu = self.row_menu()
        if menu is not None:
            menu.popup(self.table.viewport().mapToGlobal(position))

    def add_record(self) -> CareRecordDialog | None:
        from app.ui.care.record_dialog import CareRecordDialog

        if self.context.db is None:
            return None
        dialog = CareRecordDialog(self.context, self)
        dialog.open()
        return dialog

    def edit_record(self) -> CareRecordDialog | None:
        from app.ui.care.record_dialog import CareRecordDialog

        row = self.table.current_row()
        if row is None or self.context.db is None:
            return None
        dialog = CareRecordDialog(self.context, self, record_id=row.id)
        dialog.open()
        return dialog

    def delete_record(self, ask: Callable[[str, str], bool] | None = None) -> bool:
        """Delete the selected record once the user agrees; whether it was asked to go."""
        row = self.table.current_row()
        if row is None or self.context.db is None:
            return False
        batch = (
            "\n这条记录是集中发放中的一条，删除后那次发放的签领表里也不再有这个人。" if row.batch_id else ""
        )
        over = "\n这条记录超过标准，删除后报表中也不再标出。" if row.over_cap else ""
        question = f"确定删除这条慰问记录吗？\n\n{describe(row)}\n{batch}{over}\n删除后不能恢复（操作日志保留原内容）。"
        if not (ask or (lambda title, text: confirm(self, title, text)))("删除慰问记录", question):
            return False
        record_id = row.id

        def work(session: Session) -> None:
            from app.services.care import delete_care

            delete_care(session, record_id)

        write_operation(self, self.context, work, label="正在删除……")
        return True

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

    # -- paperwork ----------------------------------------------------------------------------------
    def print_sheet(self) -> PrintPreviewDialog | None:
        """The 签领表 of the records the filters show (the period, occasion, group and over-cap);
        a search narrows the list on screen only."""
        from app.ui.print_preview import show_print_preview

        first, last = self.span()
        chosen = self.occasion.currentData()
        occasion = Occasion(chosen) if chosen else None
        path = self.group.currentData()
        group_id = next((g.id for g in self.groups if g.path == path), None) if path else None
        over_only = self.over_only.isChecked()

        def make(session: Session, out: Path) -> None:
            from app.services.care import print_records

            print_records(
                session,
                out,
                first=first,
                last=last,
                occasion=occasion,
                group_id=group_id,
                over_cap_only=over_only,
            )

        note = (
            "注意：查找条件只在屏幕上筛选，签领表列出符合时间、事由、分组等条件的全部记录。"
            if self.search.text().strip()
            else ""
        )
        span = f"{first.isoformat()}至{last.isoformat()}"
        name = f"签领表_{chosen or '全部事由'}_{span}.pdf"
        return show_print_preview(self, self.context, "发放签领表", name, make, note=note)

    def show_policy(self) -> CarePolicyDialog | None:
        from app.ui.care.policy_dialog import CarePolicyDialog

        if self.context.db is None:
            return None
        dialog = CarePolicyDialog(self.context, self)
        dialog.open()
        return dialog

    def print_voucher(self) -> PrintPreviewDialog | None:
        from app.ui.print_preview import show_print_preview

        row = self.table.current_row()
        if row is None:
            return None
        record_id = row.id

        def make(session: Session, path: Path) -> None:
            from app.services.care import print_voucher

            print_voucher(session, record_id, path)

        name = f"慰问金领取单_{row.recipient}_{row.day.isoformat()}.pdf"
        return show_print_preview(self, self.context, "慰问金领取单", name, make)

    # -- 集中发放 and imports --------------------------------------------------------------------------
    def batch(self) -> CareBatchDialog | None:
        from app.ui.care.batch_dialog import CareBatchDialog

        if self.context.db is None:
            return None
        dialog = CareBatchDialog(self.context, self)
        dialog.open()
        return dialog

    def show_batches(self) -> BatchesDialog | None:
        from app.ui.care.batches_dialog import BatchesDialog

        if self.context.db is None:
            return None
        dialog = BatchesDialog(self.context, self)
        dialog.open()
        return dialog

    def show_words(self) -> CareWordsDialog | None:
        from app.ui.care.words_dialog import CareWordsDialog

        if self.context.db is None:
            return None
        dialog = CareWordsDialog(self.context, self)
        dialog.open()
        return dialog

    def import_register(self) -> ImportWizard | None:
        from app.ui.care.import_panel import CareImportPanel
        from app.ui.imports.wizard import ImportWizard

        if self.context.db is None:
            return None
        year = self.year.value() if self.period.currentData() == WHOLE_YEAR else self.span()[1].year
        wizard = ImportWizard(self.context, CareImportPanel(year), self)
        wizard.open()
        return wizard
