"""困难职工档案: the households in the file, each with its category, causes, income per head,
the aid it has had and when its yearly review falls due (overdue ones in red, in words);
opened, corrected, reviewed, closed and printed from here.

The care page shows this panel (a tab of its own); it keeps itself current with
RefreshWhenShown on the hardship tables, the care records (the aid figures) and the
members (names, 部门).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.money import format_fen
from app.domain.privacy import mask_account, mask_id_number
from app.ui.context import GROUPS, MEMBERS, AppContext, RefreshWhenShown
from app.ui.dialog_parts import confirm
from app.ui.lifetime import alive
from app.ui.operations import read_operation, write_operation
from app.ui.privacy import RevealedRows
from app.ui.tables import (
    CENTER,
    Column,
    ColumnChooserButton,
    RowTableModel,
    RowTableView,
    date_column,
    flag_column,
    number_column,
    text_column,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.care import HardshipRow
    from app.ui.care.hardship_dialog import CloseDialog, HardshipDialog, ReviewDialog
    from app.ui.print_preview import PrintPreviewDialog

# The tables this panel shows (the models' __tablename__; tests keep them equal).
FILES = "hardship_files"
RELATIVES = "hardship_relatives"
RECORDS = "care_records"  # the aid figures

STATUSES = ("在档", "已结案", "全部")
DUE_SOON_DAYS = 30  # "需要复核": overdue or due within this many days (as `hardship list --due`)
OVERDUE = "已到期"
DUE_SOON = "快到期"
_RED = QColor("#a11212")
_AMBER = QColor("#9a5b00")
_GREY = QColor("#777777")


def today() -> date:
    """Today, as the panel judges the reviews (tests may replace it)."""
    return date.today()


def review_words(row: HardshipRow, on: date | None = None) -> str:
    """下次复核 as the list shows it: the date, and 已到期 / 快到期 when it is."""
    if row.review_due is None:
        return ""
    day = on or today()
    days = (row.review_due - day).days
    if days < 0:
        return f"{row.review_due.isoformat()} {OVERDUE}"
    if days <= DUE_SOON_DAYS:
        return f"{row.review_due.isoformat()} {DUE_SOON}"
    return row.review_due.isoformat()


def needs_review(row: HardshipRow, on: date | None = None) -> bool:
    """Open, and its review is overdue or falls due within DUE_SOON_DAYS."""
    return row.review_due is not None and (row.review_due - (on or today())).days <= DUE_SOON_DAYS


def _review_colour(row: HardshipRow) -> QColor | None:
    if row.review_due is None:
        return None
    days = (row.review_due - today()).days
    return _RED if days < 0 else _AMBER if days <= DUE_SOON_DAYS else None


def _review_tip(row: HardshipRow) -> str | None:
    if row.review_due is None:
        return None
    days = (row.review_due - today()).days
    if days < 0:
        return f"年度复核已过期 {-days} 天：选中后点“年度复核…”登记"
    if days <= DUE_SOON_DAYS:
        return f"还有 {days} 天到期，请安排年度复核"
    return None


def _aid(row: HardshipRow) -> str:
    return f"{row.aid_count} 次 / {format_fen(row.aid_fen)} 元" if row.aid_count else "无"


COLUMNS: tuple[Column[HardshipRow], ...] = (
    Column("name", "姓名", 70, attrgetter("name"), attrgetter("name"), hideable=False),
    text_column("group", "部门", 170),
    text_column("id_number", "身份证号", 150, visible=False),
    text_column("category", "困难类别", 90),
    text_column("main_cause", "主要致困原因", 120),
    Column(
        "household_size",
        "家庭人口",
        65,
        lambda r: f"{r.household_size} 人",
        attrgetter("household_size"),
        alignment=CENTER,
    ),
    number_column(
        "annual_income", "家庭年收入", 95, attr="annual_income_fen", format=format_fen, visible=False
    ),
    number_column("per_head", "月人均收入", 90, attr="per_head_monthly_fen", format=format_fen),
    Column("aid", "帮扶次数/金额", 140, _aid, lambda r: (r.aid_fen, r.aid_count)),
    flag_column("single_parent", "单亲家庭", 65),
    flag_column("zero_employment", "零就业家庭", 75),
    text_column("bank_account", "银行账号", 150, visible=False),
    date_column("opened_on", "建档日期"),
    date_column("reviewed_on", "上次复核", visible=False),
    Column(
        "review_due",
        "下次复核",
        130,
        review_words,
        lambda r: r.review_due or date.max,
        foreground=_review_colour,
        tooltip=_review_tip,
    ),
    Column(
        "status",
        "状态",
        110,
        attrgetter("status"),
        lambda r: (r.closed_on is not None, r.closed_on or date.min),
        foreground=lambda r: _GREY if r.closed_on else None,
    ),
)


class HardshipModel(RowTableModel["HardshipRow"]):
    def __init__(self) -> None:
        super().__init__(COLUMNS, row_id=attrgetter("id"))
        # the list's rows carry the numbers masked (list_files); a revealed row has them read
        self.private = RevealedRows(self, {"id_number": mask_id_number, "bank_account": mask_account})


class HardshipPanel(QWidget):
    """The list of 困难职工档案 with its actions. Public: ``reload``, ``save_state``,
    ``new_file``, ``edit_file``, ``review_selected``, ``close_selected``,
    ``reopen_selected``, ``print_selected``; the widgets ``status``, ``due_only``,
    ``count``, ``outcome``, ``table`` and ``model`` for tests."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._generation = 0
        self.unfiled = 0  # members marked 困难职工 without an open file
        self.model = HardshipModel()
        self.status = QComboBox()
        for status in STATUSES:
            self.status.addItem(status, status)
        self.status.setToolTip("在档：正在帮扶的困难职工；已结案：已脱困或退出的")
        self.due_only = QCheckBox("只看需要复核的")
        self.due_only.setToolTip(f"只列年度复核已到期或 {DUE_SOON_DAYS} 天内到期的档案")
        self.new_button = QPushButton("建档…")
        self.new_button.setToolTip("为一名困难职工建立档案（一户一档）")
        self.edit_button = QPushButton("修改…")
        self.edit_button.setToolTip("查看、修改所选档案（也可双击）")
        self.review_button = QPushButton("年度复核…")
        self.review_button.setToolTip("登记所选档案的年度复核，下次复核在一年后")
        self.close_button = QPushButton("结案…")
        self.close_button.setToolTip("所选职工已脱困或退出：结案后不再列为困难职工")
        self.reopen_button = QPushButton("撤销结案")
        self.reopen_button.setToolTip("结案错了：让所选档案重新在档")
        self.print_button = QPushButton("打印档案表…")
        self.print_button.setToolTip("预览并打印所选档案的《困难职工档案表》（A4），也可保存为 PDF")
        self.table = RowTableView(
            "care_hardship_files", self.model, default_sort=("opened_on", Qt.SortOrder.AscendingOrder)
        )
        self.columns_button = ColumnChooserButton(self.table)
        self.private = self.model.private.attach(self.table, context)
        self.private.set_loader(self._full_numbers)
        self.count = QLabel("打开账套后显示困难职工档案")
        self.count.setTextFormat(Qt.TextFormat.RichText)
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.outcome.setStyleSheet("color: #2e7d32;")
        self.outcome.hide()
        note = QLabel(
            "困难职工档案一户一档，每年复核一次；职工脱困或不再符合条件时结案，结案后花名册上的"
            "“困难职工”标记随之取消。帮扶次数和金额来自慰问记录中事由为困难帮扶、金秋助学、送温暖、"
            "大病救助的记录。"
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        bar = QHBoxLayout()
        bar.addWidget(QLabel("显示"))
        bar.addWidget(self.status)
        bar.addWidget(self.due_only)
        bar.addStretch(1)
        for button in (self.new_button, self.edit_button, self.review_button, self.close_button,
                       self.reopen_button, self.print_button):  # fmt: skip
            bar.addWidget(button)
        bar.addWidget(self.columns_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.count)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.outcome)
        layout.addWidget(note)
        self.status.currentIndexChanged.connect(lambda _i: self.reload())
        self.due_only.toggled.connect(self._filter)
        self.new_button.clicked.connect(lambda: self.new_file())
        self.edit_button.clicked.connect(lambda: self.edit_file())
        self.review_button.clicked.connect(lambda: self.review_selected())
        self.close_button.clicked.connect(lambda: self.close_selected())
        self.reopen_button.clicked.connect(lambda: self.reopen_selected())
        self.print_button.clicked.connect(lambda: self.print_selected())
        self.table.doubleClicked.connect(lambda _index: self.edit_file())
        self.table.rows_reset.connect(self._rows_shown)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.refresher = RefreshWhenShown(
            self, context, (FILES, RELATIVES, RECORDS, MEMBERS, GROUPS), self.reload
        )
        self._selected()
        context.database_opened.connect(self._opened)
        if context.db is not None:  # made after the 账套 was opened
            self._opened(context.db)

    # -- loading -------------------------------------------------------------------------
    def _opened(self, _db: object) -> None:
        self.new_button.setEnabled(True)
        self.outcome.hide()
        self.refresher.mark_stale()

    def save_state(self) -> None:
        self.table.save_state()

    def reload(self) -> None:
        if self.context.db is None:
            return
        self._generation += 1
        generation, status = self._generation, self.status.currentData()

        def work(session: Session) -> tuple[list[HardshipRow], int]:
            from app.services.care import list_files, unfiled_members

            return list_files(session, status=status), len(unfiled_members(session))

        def loaded(read: tuple[list[HardshipRow], int]) -> None:
            if alive(self) and generation == self._generation:
                rows, self.unfiled = read
                self.model.set_rows(rows)

        read_operation(self, self.context, work, on_success=loaded, label="正在读取困难职工档案……")

    def _full_numbers(self, row: HardshipRow, done: Callable[[dict[str, str]], None]) -> None:
        """显示完整号码: the file's ID number and bank account, read in full."""
        file_id = row.id

        def work(session: Session) -> dict[str, str]:
            from app.services.care import get_file

            info = get_file(session, file_id)
            return {"id_number": info.id_number, "bank_account": info.data.bank_account}

        read_operation(self, self.context, work, on_success=done)

    def _filter(self) -> None:
        self.model.set_predicate(needs_review if self.due_only.isChecked() else None)

    def _rows_shown(self) -> None:
        rows = self.model.rows
        shown = self.model.rowCount()
        status = self.status.currentData()
        open_rows = [r for r in rows if r.closed_on is None]
        overdue = sum(1 for r in open_rows if r.review_due is not None and r.review_due < today())
        soon = sum(1 for r in open_rows if needs_review(r)) - overdue
        # the 首页 counts members marked 困难职工, this list their files: say what differs
        unfiled = (
            f"<br>另有 <b>{self.unfiled}</b> 人在会员名册中标为困难职工，还没有建档（首页的提醒列出他们；"
            "点“建档…”为他们建档）。"
            if self.unfiled
            else ""
        )
        if not rows:
            words = {
                "在档": "没有在档的困难职工档案。为困难职工建档请点“建档…”。",
                "已结案": "没有已结案的困难职工档案。",
                "全部": "还没有困难职工档案。为困难职工建档请点“建档…”。",
            }[status]
            self.count.setText(words + unfiled)
            self._selected()
            return
        if status == "在档":
            words = f"在档 <b>{len(rows)}</b> 户"
        elif status == "已结案":
            words = f"已结案 <b>{len(rows)}</b> 户"
        else:
            words = (
                f"共 <b>{len(rows)}</b> 户：在档 {len(open_rows)} 户，已结案 {len(rows) - len(open_rows)} 户"
            )
        due = []
        if overdue:
            due.append(f"<span style='color:#a11212'>年度复核已到期 <b>{overdue}</b> 户</span>")
        if soon:
            due.append(f"{DUE_SOON_DAYS} 天内到期 {soon} 户")
        if due:
            words += "；" + "，".join(due)
        elif open_rows:
            words += f"；{DUE_SOON_DAYS} 天内没有需要复核的档案"
        aid_count, aid_fen = sum(r.aid_count for r in rows), sum(r.aid_fen for r in rows)
        if aid_count:
            words += f"；累计帮扶 {aid_count} 次，合计 {format_fen(aid_fen)} 元"
        words += "。"
        if self.due_only.isChecked():
            words += f"　现在只列需要复核的 <b>{shown}</b> 户。"
        self.count.setText(words + unfiled)
        self._selected()

    def _selected(self) -> None:
        row = self.current()
        opened = self.context.db is not None
        self.new_button.setEnabled(opened)
        self.edit_button.setEnabled(row is not None)
        self.print_button.setEnabled(row is not None)
        self.review_button.setEnabled(row is not None and row.closed_on is None)
        self.close_button.setEnabled(row is not None and row.closed_on is None)
        self.reopen_button.setEnabled(row is not None and row.closed_on is not None)

    def current(self) -> HardshipRow | None:
        """The selected file, if any."""
        row = self.table.current_row()
        return row if row is not None and self.context.db is not None else None

    def tell(self, words: str) -> None:
        """What the last action did, under the list."""
        self.outcome.setText(words)
        self.outcome.setVisible(bool(words))

    # -- actions -----------------------------------------------------------------------------
    def new_file(self, member_id: int | None = None) -> HardshipDialog | None:
        """建档: the editor for a new file (``member_id`` chosen already, if given)."""
        from app.ui.care.hardship_dialog import HardshipDialog

        if self.context.db is None:
            return None
        dialog = HardshipDialog(self.context, self, member_id=member_id)
        dialog.saved.connect(self._saved)
        dialog.open()
        return dialog

    def edit_file(self, file_id: int | None = None) -> HardshipDialog | None:
        """修改: the editor for ``file_id`` (default: the selected file)."""
        from app.ui.care.hardship_dialog import HardshipDialog

        if file_id is None:
            row = self.current()
            if row is None:
                return None
            file_id = row.id
        if self.context.db is None:
            return None
        dialog = HardshipDialog(self.context, self, file_id=file_id)
        dialog.saved.connect(self._saved)
        dialog.open()
        return dialog

    def _saved(self, file_id: int, words: str) -> None:
        if self.model.position_of(file_id) is None:
            self.table.select_after_reset(file_id)
        self.tell(words)

    def review_selected(self) -> ReviewDialog | None:
        """年度复核 of the selected open file."""
        from app.ui.care.hardship_dialog import ReviewDialog

        row = self.current()
        if row is None or row.closed_on is not None:
            return None
        dialog = ReviewDialog(self.context, row, self)
        dialog.done_words.connect(self.tell)
        dialog.open()
        return dialog

    def close_selected(self) -> CloseDialog | None:
        """结案 of the selected open file."""
        from app.ui.care.hardship_dialog import CloseDialog

        row = self.current()
        if row is None or row.closed_on is not None:
            return None
        dialog = CloseDialog(self.context, row, self)
        dialog.done_words.connect(self.tell)
        dialog.open()
        return dialog

    def reopen_selected(self, ask: Callable[[str, str], bool] | None = None) -> None:
        """撤销结案 of the selected closed file, once the user agrees."""
        row = self.current()
        if row is None or row.closed_on is None:
            return
        ask = ask or (lambda title, text: confirm(self, title, text))
        if not ask(
            "撤销结案",
            f"确定撤销{row.name}的结案（{row.close_reason}，{row.closed_on.isoformat()}）吗？\n\n"
            "撤销后档案重新在档，这名职工重新列为困难职工。",
        ):
            return
        file_id, name = row.id, row.name

        def work(session: Session) -> None:
            from app.services.care import reopen_file

            reopen_file(session, file_id)

        write_operation(
            self, self.context, work, on_success=lambda _r: self.tell(f"已撤销结案：{name}的档案重新在档。")
        )

    def print_selected(self) -> PrintPreviewDialog | None:
        """打印档案表: the selected file's 困难职工档案表 in the print preview (print, save as PDF)."""
        from app.ui.print_preview import show_print_preview

        row = self.current()
        if row is None:
            return None
        file_id = row.id

        def make(session: Session, path: Path) -> None:
            from app.services.care import print_file

            print_file(session, file_id, path)

        return show_print_preview(
            self, self.context, "困难职工档案表", f"困难职工档案表_{row.name}.pdf", make
        )
