"""集中发放: the same care to many people on one day (春节送温暖, 中秋慰问品, 金秋助学).

On the left what is given and to whom (everyone on the roll, the hardship workers, the
model workers, a group, or a list built with the member picker); 预览 checks every
recipient against the caps and lists them with who would go over a cap and who is behind
on dues; anyone can be taken off (去掉). Over a cap the batch needs a written reason. 发放
writes every record in one transaction, and the 签领表 can be printed at once.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.care import FUNDING, Festival, Occasion
from app.domain.money import MoneyError, format_fen, yuan_to_fen
from app.ui.context import AppContext
from app.ui.dialog_parts import outcome_label, resize_within_screen, tell_failure
from app.ui.member_picker import MemberPicker
from app.ui.operations import read_operation, write_operation
from app.ui.tables import Column, RowTableModel, RowTableView, text_column
from app.ui.widgets import ErrorLabel, add_group_items

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.care import BatchInput, BatchLine, BatchPreview
    from app.services.roster import Roster, RosterRow
    from app.ui.print_preview import PrintPreviewDialog

# app.services.care.Chooser and PAY_BY, as the service spells them (tests keep them equal);
# the service module is imported only when a preview or the batch runs.
EVERYONE, HARDSHIP, MODEL_WORKERS, GROUP, LIST = "全体在册会员", "困难职工", "劳模", "分组", "名单"
CHOOSERS = (EVERYONE, HARDSHIP, MODEL_WORKERS, GROUP, LIST)
PAY_BY = ("现金", "银行转账")
_RED = QColor("#a11212")
_BROWN = QColor("#8a5a00")


def owed_words(line: BatchLine) -> str:
    """The dues owed, short for its column (欠缴会费 99.00 元); the whole warning is the cell's tooltip."""
    return f"欠缴会费 {format_fen(line.owed_fen)} 元" if line.owed_fen else ""


def default_name(day: date, occasion: str, variant: str) -> str:
    """2026年春节送温暖, 2026年中秋节日慰问, 2026年金秋助学. What is given for 春节 from
    November on is for the coming one: on 2026-12-04 it is 2027年春节送温暖."""
    year = day.year + 1 if variant.strip() == Festival.SPRING.value and day.month >= 11 else day.year
    return f"{year}年{variant.strip()}{occasion}"


PREVIEW_COLUMNS: tuple[Column[BatchLine], ...] = (  # 超过标准 last: its sentence takes what is left
    Column("name", "姓名", 64, attrgetter("name"), attrgetter("name"), hideable=False),
    text_column("group", "部门", 120),
    Column(
        "warning", "欠缴会费", 130, owed_words, attrgetter("owed_fen"),
        foreground=lambda line: _BROWN if line.warning else None, tooltip=lambda line: line.warning or None,
    ),
    Column(
        "over", "超过标准", 420, attrgetter("over"), attrgetter("over"),
        foreground=lambda line: _RED if line.over else None, tooltip=lambda line: line.over or None,
    ),
)  # fmt: skip
LIST_COLUMNS: tuple[Column[RosterRow], ...] = (
    Column("name", "姓名", 70, attrgetter("name"), attrgetter("pinyin"), hideable=False),
    text_column("group", "部门", 170, attr="group_path"),
)


class CareBatchDialog(QDialog):
    ready = Signal()  # the roster is in (the group list and the member picker)
    previewed = Signal()  # a preview came back (or was refused: see ``error``)
    created = Signal(int)  # the batch's id

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._generation = 0
        self._preview: BatchPreview | None = None
        self.leave_out: set[int] = set()
        self.batch_id: int | None = None
        self.setWindowTitle("集中发放")
        self.setModal(True)
        today = date.today()
        # -- what is given ---------------------------------------------------------------------
        self.name = QLineEdit(default_name(today, Occasion.WARMTH.value, Festival.SPRING.value))
        self.name.setMaxLength(60)
        self._auto_name = self.name.text()
        self.occasion = QComboBox()
        for occasion in Occasion:
            self.occasion.addItem(occasion.value, occasion.value)
        self.occasion.setCurrentIndex(self.occasion.findData(Occasion.WARMTH.value))
        self.variant = QComboBox()
        self.variant.setEditable(True)
        self.variant.addItems(["", *(f.value for f in Festival)])
        self.variant.setCurrentText(Festival.SPRING.value)
        self.variant.setToolTip("哪个节日；不是节日可以不填")
        variant_edit = self.variant.lineEdit()
        if variant_edit is not None:
            variant_edit.setMaxLength(20)
        self.day = QDateEdit(QDate.currentDate())
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setCalendarPopup(True)
        self.day.setMaximumDate(QDate.currentDate())
        self.cash = QLineEdit()
        self.cash.setPlaceholderText("元，没有慰问金不填")
        self.goods = QLineEdit()
        self.goods.setMaxLength(200)
        self.goods.setPlaceholderText("如 大米、食用油")
        self.goods_value = QLineEdit()
        self.goods_value.setPlaceholderText("元")
        self.funding = QComboBox()
        self.funding.addItems(FUNDING)
        self.pay_by = QComboBox()
        self.pay_by.addItems(PAY_BY)
        self.pay_by.setToolTip("银行转账时，签领表后附银行转账明细")
        self.approver = QLineEdit()
        self.approver.setMaxLength(30)
        self.visitors = QLineEdit()
        self.visitors.setMaxLength(100)
        self.note = QLineEdit()
        self.note.setMaxLength(200)
        # -- to whom -----------------------------------------------------------------------------
        self.chooser = QComboBox()
        self.chooser.addItems(CHOOSERS)
        self.group = QComboBox()
        self.group.setMinimumContentsLength(12)
        self.group.setToolTip("这个分组和它下面的分组中在册的会员")
        self.picker = MemberPicker(who="要加入名单的会员")
        self.picker.show_hint("正在读取名册……")
        self.add_button = QPushButton("加入名单")
        self.list_model: RowTableModel[RosterRow] = RowTableModel(LIST_COLUMNS)
        self.list_view = RowTableView(
            "care_batch_list", self.list_model, default_sort=("name", Qt.SortOrder.AscendingOrder)
        )
        self.list_view.setFixedHeight(120)
        self.remove_button = QPushButton("从名单去掉")
        self.list_count = QLabel("名单里还没有人")
        self.list_box = QWidget()
        list_layout = QVBoxLayout(self.list_box)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(self.picker)
        list_row = QHBoxLayout()
        list_row.addWidget(self.add_button)
        list_row.addWidget(self.remove_button)
        list_row.addWidget(self.list_count, 1)
        list_layout.addLayout(list_row)
        list_layout.addWidget(self.list_view)
        self.list_box.hide()
        who = QHBoxLayout()
        who.addWidget(self.chooser)
        who.addWidget(self.group, 1)
        self.group.hide()
        what = QHBoxLayout()
        what.addWidget(self.occasion)
        what.addWidget(QLabel("细分"))
        what.addWidget(self.variant, 1)
        goods = QHBoxLayout()
        goods.addWidget(self.goods, 2)
        goods.addWidget(QLabel("每人价值（元）"))
        goods.addWidget(self.goods_value, 1)
        money = QHBoxLayout()
        money.addWidget(self.funding)
        money.addWidget(QLabel("发放方式"))
        money.addWidget(self.pay_by)
        money.addStretch(1)
        form = QFormLayout()
        form.addRow("名称", self.name)
        form.addRow("事由", what)
        form.addRow("发放日期", self.day)
        form.addRow("每人慰问金（元）", self.cash)
        form.addRow("每人慰问品", goods)
        form.addRow("经费来源", money)
        form.addRow("审批人", self.approver)
        form.addRow("慰问人", self.visitors)
        form.addRow("备注", self.note)
        form.addRow("发放对象", who)
        self.inputs = QGroupBox("发放什么、发给谁")
        self.inputs.setMaximumWidth(440)
        inputs = QVBoxLayout(self.inputs)
        inputs.addLayout(form)
        inputs.addWidget(self.list_box)
        inputs.addStretch(1)
        # -- the preview ----------------------------------------------------------------------------
        self.preview_button = QPushButton("预览")
        self.preview_button.setToolTip("列出每一位发放对象，按慰问标准逐人检查")
        self.status = QLabel("填好左边的内容后点“预览”，核对发放名单。")
        self.status.setWordWrap(True)
        self.model: RowTableModel[BatchLine] = RowTableModel(PREVIEW_COLUMNS, row_id=attrgetter("member_id"))
        self.table = RowTableView(  # by group, each in roster order (the sort is stable)
            "care_batch_preview", self.model, default_sort=("group", Qt.SortOrder.AscendingOrder)
        )
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.drop_button = QPushButton("去掉所选")
        self.drop_button.setToolTip("所选的人这次不发（可多选）")
        self.drop_over_button = QPushButton("去掉超过标准的人")
        self.restore_button = QPushButton("恢复去掉的人")
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        self.totals.setStyleSheet("font-weight: bold;")
        self.reason = QLineEdit()
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText("有人超过标准时必须填写，如：经工会委员会研究同意")
        self.reason_label = QLabel("超标准原因")
        self.error = ErrorLabel()
        self.outcome = outcome_label()
        preview_row = QHBoxLayout()
        preview_row.addWidget(self.preview_button)
        preview_row.addWidget(self.status, 1)
        drop_row = QHBoxLayout()
        for button in (self.drop_button, self.drop_over_button, self.restore_button):
            drop_row.addWidget(button)
        drop_row.addStretch(1)
        reason_row = QHBoxLayout()
        reason_row.addWidget(self.reason_label)
        reason_row.addWidget(self.reason, 1)
        right = QVBoxLayout()
        right.addLayout(preview_row)
        right.addWidget(self.table, 1)
        right.addLayout(drop_row)
        right.addWidget(self.totals)
        right.addLayout(reason_row)
        right.addWidget(self.error)
        right.addWidget(self.outcome)
        body = QHBoxLayout()
        body.addWidget(self.inputs, 0)
        body.addLayout(right, 1)
        self.buttons = QDialogButtonBox()
        self.give_button = self.buttons.addButton("发放", QDialogButtonBox.ButtonRole.AcceptRole)
        self.give_button.setToolTip("按预览的名单发放：全部记录一次写入，发错了可以在“集中发放记录”中撤销")
        self.print_button = self.buttons.addButton("打印签领表…", QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.hide()
        self.cancel_button = self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.give_button.clicked.connect(self.give)
        self.print_button.clicked.connect(lambda: self.print_sheet())
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.buttons)
        resize_within_screen(self, 1260, 760)
        # -- wiring --------------------------------------------------------------------------------
        for field in (self.cash, self.goods, self.goods_value):
            field.textChanged.connect(lambda _t: self._invalidate())
        self.variant.currentTextChanged.connect(lambda _t: self._what_changed())
        self.occasion.currentIndexChanged.connect(lambda _i: self._what_changed())
        self.day.dateChanged.connect(lambda _d: self._what_changed())
        self.chooser.currentIndexChanged.connect(lambda _i: self._chooser_changed())
        self.group.currentIndexChanged.connect(lambda _i: self._invalidate(keep_left_out=False))
        self.add_button.clicked.connect(self.add_to_list)
        self.picker.search.returnPressed.connect(self.add_to_list)
        self.remove_button.clicked.connect(self.remove_from_list)
        self.preview_button.clicked.connect(self.preview)
        self.drop_button.clicked.connect(self.drop_selected)
        self.drop_over_button.clicked.connect(self.drop_over)
        self.restore_button.clicked.connect(self.restore)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self._show_state()
        self._load_roster()

    # -- the roster -------------------------------------------------------------------------------
    def _load_roster(self) -> None:
        def work(session: Session) -> Roster:
            from app.services.roster import load_roster

            return load_roster(session)

        def loaded(roster: Roster) -> None:
            self.picker.set_roster(roster)
            self.picker.show_hint("")
            add_group_items(self.group, roster.groups)
            self.ready.emit()

        read_operation(self, self._context, work, on_success=loaded, label="正在读取名册……")

    def _chooser_changed(self) -> None:
        chooser = self.chooser.currentText()
        self.group.setVisible(chooser == GROUP)
        self.list_box.setVisible(chooser == LIST)
        self._invalidate(keep_left_out=False)

    def add_to_list(self) -> None:
        member = self.picker.current
        if member is None or self.list_model.position_of(member.id) is not None:
            return
        self.list_model.set_rows([*self.list_model.rows, member])
        self._list_changed()
        self.picker.focus()

    def remove_from_list(self) -> None:
        gone = set(self.list_view.selected_ids())
        if gone:
            self.list_model.set_rows([r for r in self.list_model.rows if r.id not in gone])
            self._list_changed()

    def _list_changed(self) -> None:
        count = self.list_model.total_count
        self.list_count.setText(f"名单共 {count} 人" if count else "名单里还没有人")
        self._invalidate(keep_left_out=False)

    # -- input ------------------------------------------------------------------------------------
    def _what_changed(self) -> None:
        """The name follows the occasion and date until the user writes their own."""
        if self.name.text() == self._auto_name:
            qdate = self.day.date()
            day = date(qdate.year(), qdate.month(), qdate.day())
            self._auto_name = default_name(day, self.occasion.currentText(), self.variant.currentText())
            self.name.setText(self._auto_name)
        self._invalidate()

    def _input(self) -> BatchInput | None:
        from app.services.care import BatchInput, Chooser

        amounts: list[int] = []
        for field, label in ((self.cash, "每人慰问金"), (self.goods_value, "每人慰问品价值")):
            try:
                amounts.append(yuan_to_fen(field.text()) if field.text().strip() else 0)
            except MoneyError as exc:
                self.error.show_message(f"{label}：{exc}")
                return None
        qdate = self.day.date()
        return BatchInput(
            name=self.name.text(), occasion=Occasion(self.occasion.currentData()),
            day=date(qdate.year(), qdate.month(), qdate.day()), variant=self.variant.currentText().strip(),
            cash_fen=amounts[0], goods=self.goods.text(), goods_fen=amounts[1], funding=self.funding.currentText(),
            pay_by=self.pay_by.currentText(), chooser=Chooser(self.chooser.currentText()),
            group_id=self.group.currentData(), member_ids=tuple(r.id for r in self.list_model.rows),
            approver=self.approver.text(), visitors=self.visitors.text(), note=self.note.text(),
            reason=self.reason.text(), leave_out=frozenset(self.leave_out),
        )  # fmt: skip

    # -- the preview -----------------------------------------------------------------------------
    @property
    def current_preview(self) -> BatchPreview | None:
        return self._preview

    def _invalidate(self, *, keep_left_out: bool = True) -> None:
        """What the preview showed no longer holds: 发放 waits for a new one."""
        if self.batch_id is not None:
            return
        self._generation += 1
        if not keep_left_out:
            self.leave_out.clear()
        if self._preview is not None:
            self._preview = None
            self.model.set_rows([])
            self.status.setText("内容已改动，请重新点“预览”。")
        self._show_state()

    def preview(self) -> None:
        self.error.show_message("")
        data = self._input()
        if data is None:
            return
        self._generation += 1
        generation = self._generation
        self.preview_button.setEnabled(False)
        self.status.setText("正在按慰问标准逐人检查……")

        def work(session: Session) -> BatchPreview:
            from app.services.care import preview_batch

            return preview_batch(session, data)

        def shown(preview: BatchPreview) -> None:
            self.preview_button.setEnabled(True)
            if generation != self._generation:
                return
            self._preview = preview
            self._back_up_ahead(len(preview.lines))
            self.model.set_rows(preview.lines)
            self.status.setText(f"发放对象：{preview.chosen_by}")
            self._show_state()
            self.previewed.emit()

        def failed(error: BaseException) -> None:
            self.preview_button.setEnabled(True)
            if generation != self._generation:
                return
            self._preview = None
            self.model.set_rows([])
            self.status.setText("没有生成发放名单。")
            self._show_state()
            tell_failure(self, self.error, error)
            self.previewed.emit()

        read_operation(self, self._context, work, on_success=shown, on_failure=failed,
                       label="正在检查发放名单……")  # fmt: skip

    def _back_up_ahead(self, people: int) -> None:
        """A batch to many people is backed up before it is written: the backup is made now,
        while the secretary reads the list, so that 发放 need not wait for it."""
        from app.db_backup import BULK_WRITE_ROWS

        db = self._context.db
        if db is not None and people > BULK_WRITE_ROWS:
            db.back_up_ahead()

    def done(self, result: int) -> None:
        if self._context.db is not None and self.batch_id is None:  # closed without giving
            self._context.db.drop_backup_ahead()
        super().done(result)

    def _show_state(self) -> None:
        preview = self._preview
        left_out = len(self.leave_out)
        self.restore_button.setText(f"恢复去掉的 {left_out} 人" if left_out else "恢复去掉的人")
        self.restore_button.setEnabled(bool(left_out) and self.batch_id is None)
        given = self.batch_id is not None
        self.drop_button.setEnabled(preview is not None and bool(preview.lines) and not given)
        over = preview.over_count if preview is not None else 0
        self.drop_over_button.setText(f"去掉超过标准的 {over} 人" if over else "去掉超过标准的人")
        self.drop_over_button.setEnabled(bool(over) and not given)
        self.give_button.setEnabled(preview is not None and bool(preview.lines) and not given)
        needed = bool(over)
        self.reason_label.setText("超标准原因（必填）" if needed else "超标准原因")
        self.reason_label.setStyleSheet("color: #a11212; font-weight: bold;" if needed else "")
        if preview is None:
            self.totals.setText("")
            return
        if not preview.lines:
            self.totals.setText("没有符合条件的发放对象。")
            return
        parts = [
            f"共 {len(preview.lines)} 人，每人 {format_fen(preview.per_person_fen)} 元，"
            f"合计 {format_fen(preview.total_fen)} 元"
        ]
        if over:
            parts.append(f"<span style='color:#a11212'>其中超过标准 {over} 人，须写明原因</span>")
        if preview.warning_count:
            parts.append(f"<span style='color:#8a5a00'>欠缴会费 {preview.warning_count} 人</span>")
        if left_out:
            parts.append(f"已去掉 {left_out} 人")
        self.totals.setText("；".join(parts) + "。")

    def drop(self, member_ids: set[int]) -> None:
        """These people are not given anything this time; the preview is run again."""
        if member_ids and self.batch_id is None:
            self.leave_out |= member_ids
            self.preview()

    def drop_selected(self) -> None:
        self.drop({line.member_id for line in self.table.selected_rows()})

    def drop_over(self) -> None:
        if self._preview is not None:
            self.drop({line.member_id for line in self._preview.lines if line.over})

    def restore(self) -> None:
        if self.leave_out and self.batch_id is None:
            self.leave_out.clear()
            self.preview()

    def _context_menu(self, position: QPoint) -> None:
        if not self.table.selected_ids() or self.batch_id is not None:
            return
        menu = QMenu(self)
        menu.addAction("去掉（这次不发）", self.drop_selected)
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(self.table.viewport().mapToGlobal(position))

    # -- giving ------------------------------------------------------------------------------------
    def give(self) -> None:
        preview = self._preview
        if preview is None or not preview.lines or self.batch_id is not None:
            return
        if preview.over_count and not self.reason.text().strip():
            self.error.show_message(
                f"有 {preview.over_count} 人超过标准，须写明超标准原因，或把他们从名单中去掉。"
            )
            self.reason.setFocus()
            return
        data = self._input()
        if data is None:
            return
        data = replace(data, leave_out=frozenset(self.leave_out))
        self.error.show_message("")
        self.give_button.setEnabled(False)
        self.preview_button.setEnabled(False)

        def work(session: Session) -> tuple[int, int, int]:
            from app.services.care import create_batch, get_batch

            batch_id = create_batch(session, data)
            info = get_batch(session, batch_id)
            return batch_id, info.people, info.total_fen

        def done(result: tuple[int, int, int]) -> None:
            batch_id, people, total = result
            self.batch_id = batch_id
            self.inputs.setEnabled(False)
            self.reason.setEnabled(False)
            self.give_button.hide()
            for field in (self.cash, self.goods, self.goods_value, self.reason):
                field.setPlaceholderText("")  # a disabled placeholder reads like a value
            self.print_button.show()
            self.print_button.setDefault(True)
            self.cancel_button.setText("关闭")
            self._show_state()
            self.outcome.setText(
                f"已发放“{data.name.strip()}”：{people} 人，合计 {format_fen(total)} 元。"
                "现在可以打印签领表，请领取人逐一签字；发错了可以在“集中发放记录”中撤销。"
            )
            self.created.emit(batch_id)

        def failed(error: BaseException) -> None:
            self.preview_button.setEnabled(True)
            self._show_state()
            tell_failure(self, self.error, error)

        write_operation(self, self._context, work, on_success=done, on_failure=failed, label="正在发放……")

    def print_sheet(self) -> PrintPreviewDialog | None:
        from app.ui.print_preview import show_print_preview

        batch_id = self.batch_id
        if batch_id is None:
            return None

        def make(session: Session, path: Path) -> None:
            from app.services.care import print_batch

            print_batch(session, batch_id, path)

        title = "发放签领表"
        return show_print_preview(self, self._context, title, f"签领表_{self.name.text().strip()}.pdf", make)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter in a field must not give the batch: only the button does.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return
        super().keyPressEvent(event)
