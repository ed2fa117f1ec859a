"""Choose a member by typing, as on the roster page: name, pinyin initials (zw), full pinyin
or part of the ID number; the matches are listed below the box, the first one chosen."""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.domain.idcard import mask_id_number
from app.services.roster import Roster, RosterFilter, RosterIndex, RosterRow
from app.ui.context import AppContext
from app.ui.operations import read_operation
from app.ui.privacy import RevealedRows
from app.ui.tables import Column, RowTableModel, RowTableView, text_column

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

MAX_SHOWN = 50
_IN_ROLL = ("在会", "保留会籍")

COLUMNS: tuple[Column[RosterRow], ...] = (
    Column("name", "姓名", 70, attrgetter("name"), attrgetter("pinyin"), hideable=False),
    Column("group", "部门", 150, attrgetter("group_path"), attrgetter("group_path")),
    text_column("id_number", "身份证号", 150),
    Column("status", "会籍状态", 70, attrgetter("status"), attrgetter("status")),
)


class MemberPicker(QWidget):
    chosen = Signal(object)  # the RosterRow, or None

    def __init__(self, parent: QWidget | None = None, *, who: str = "缴费的那一位") -> None:
        super().__init__(parent)
        self._who = who  # how the hint names the person to choose
        self.search = QLineEdit()
        self.search.setPlaceholderText("输入姓名、拼音首字母（如 zw）或身份证号查找会员")
        self.search.setClearButtonEnabled(True)
        self.model: RowTableModel[RosterRow] = RowTableModel(COLUMNS)
        self.table = RowTableView("dues_member_picker", self.model)
        # masked unless revealed (right-click); typing part of the number still finds the member
        self.private = RevealedRows(self.model, {"id_number": mask_id_number}).attach(self.table)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(False)
        self.table.setFixedHeight(130)
        self.hint = QLabel()
        self.hint.setStyleSheet("color: #555;")
        self.hint.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.table)
        layout.addWidget(self.hint)
        self._rows: list[RosterRow] = []
        self._index = RosterIndex([], [])
        self._current: RosterRow | None = None
        self.search.textChanged.connect(self._search)
        self.search.installEventFilter(self)
        # the selection, not the current row: a mouse click makes the row current before it selects it
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._pick())

    def fill(self, context: AppContext, roster: Roster | None, member_id: int | None) -> None:
        """The roster given (the page's, already read) or read now; then ``member_id`` chosen
        and the search box ready for typing."""
        if roster is not None:
            self._filled(roster, member_id)
            return

        def work(session: Session) -> Roster:
            from app.services.roster import load_roster

            return load_roster(session)

        self.show_hint("正在读取名册……")
        read_operation(self, context, work, on_success=lambda read: self._filled(read, member_id))

    def _filled(self, roster: Roster, member_id: int | None) -> None:
        self.set_roster(roster)
        if member_id is not None:
            self.choose(member_id)
        self.focus()

    def set_roster(self, roster: Roster) -> None:
        self._rows = roster.rows
        self._index = RosterIndex(roster.rows, roster.groups)
        self._search()

    def choose(self, member_id: int) -> bool:
        """Choose this member (the one selected on the page)."""
        row = next((r for r in self._rows if r.id == member_id), None)
        if row is None:
            return False
        self.search.blockSignals(True)
        self.search.setText(row.name)
        self.search.blockSignals(False)
        self._show([row])
        return True

    @property
    def current(self) -> RosterRow | None:
        return self._current

    def _search(self) -> None:
        text = self.search.text().strip()
        if not text:
            self._show([])
            self.show_hint("")
            return
        found = self._index.apply(RosterFilter(text=text))
        rows = [self._rows[i] for i in found]
        rows.sort(key=lambda r: r.status not in _IN_ROLL)  # members in the roll first
        self._show(rows[:MAX_SHOWN])
        if not rows:
            self.show_hint("没有找到这名会员")
        elif len(rows) > MAX_SHOWN:
            self.show_hint(f"找到 {len(rows)} 人，只列出前 {MAX_SHOWN} 人：请多输入几个字")
        else:
            self.show_hint(f"找到 {len(rows)} 人，请选中{self._who}（可用 ↑ ↓ 键）" if len(rows) > 1 else "")

    def show_hint(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.setVisible(bool(text))

    def _show(self, rows: list[RosterRow]) -> None:
        self.model.set_rows(rows)
        if rows:
            self.table.select_id(rows[0].id)
        self._pick()

    def _pick(self) -> None:
        row = self.table.current_row()
        if row is not self._current:
            self._current = row
            self.chosen.emit(row)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """↑ and ↓ in the search box move through the matches."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self.model.rowCount():
                current = self.table.currentIndex().row()
                step = -1 if key == Qt.Key.Key_Up else 1
                target = min(max(current + step, 0), self.model.rowCount() - 1)
                self.table.select_id(self.model.row_at(target).id)
                return True
        return False

    def focus(self) -> None:
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)
        self.search.selectAll()
