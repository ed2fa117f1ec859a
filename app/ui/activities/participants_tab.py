"""The activity editor's 参加人员 tab: members chosen with the picker onto a list, and who on
it was not a member on the activity's first day (kept, but said, as the command line does)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.activities import participant_warning
from app.domain.pinyin import pinyin_keys
from app.ui.member_picker import MemberPicker
from app.ui.tables import Column, RowTableModel, RowTableView, text_column
from app.ui.widgets import ErrorLabel

if TYPE_CHECKING:
    from app.services.roster import Roster

Memberships = dict[int, list[tuple[date, str, str]]]  # each member's events, for participant_warning
_SHOWN_WARNINGS = 5  # named under the list; the rest counted


@dataclass(frozen=True)
class PersonRow:
    """A participant in the editor's list."""

    id: int  # the member's
    name: str
    group: str


PEOPLE_COLUMNS: tuple[Column[PersonRow], ...] = (
    Column("name", "姓名", 90, attrgetter("name"), lambda p: pinyin_keys(p.name)[0], hideable=False),
    text_column("group", "部门", 260),
)


class ParticipantsTab(QWidget):
    """The list of who took part; ``changed`` when it is."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.memberships: Memberships = {}
        self.picker = MemberPicker(who="参加的会员")
        self.picker.show_hint("正在读取名册……")
        add_button = QPushButton("加入名单")
        add_button.setToolTip("把上面选中的会员加入参加人员名单")
        add_found_button = QPushButton("找到的全部加入")
        add_found_button.setToolTip("把上面查找到的会员全部加入（如输入分组名称后）")
        self.people = RowTableModel(PEOPLE_COLUMNS)
        self.view = RowTableView("activity_participants", self.people,
                                 default_sort=("name", Qt.SortOrder.AscendingOrder))  # fmt: skip
        self.remove_button = QPushButton("移出名单")
        self.remove_button.setEnabled(False)
        self.count_line = QLabel()
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b35900;")
        self.warning.hide()
        self.error = ErrorLabel()
        add_button.clicked.connect(lambda: self.add_chosen())
        add_found_button.clicked.connect(lambda: self.add_found())
        self.remove_button.clicked.connect(lambda: self.remove_selected())
        self.view.selectionModel().selectionChanged.connect(
            lambda *_: self.remove_button.setEnabled(bool(self.view.selected_rows()))
        )
        self.picker.search.returnPressed.connect(lambda: self.add_chosen())
        adding = QHBoxLayout()
        adding.addWidget(add_button)
        adding.addWidget(add_found_button)
        adding.addStretch(1)
        listed = QHBoxLayout()
        listed.addWidget(self.count_line, 1)
        listed.addWidget(self.remove_button)
        note = QLabel("不记名单的活动不必在这里选人，在“基本信息”中填写参加人数即可。")
        note.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.picker)
        layout.addLayout(adding)
        layout.addWidget(self.view, 1)
        layout.addLayout(listed)
        layout.addWidget(self.warning)
        layout.addWidget(self.error)
        layout.addWidget(note)

    def set_roster(self, roster: Roster, memberships: Memberships) -> None:
        self.picker.set_roster(roster)
        self.picker.show_hint("")
        self.memberships = memberships

    @property
    def count(self) -> int:
        return self.people.total_count

    @property
    def ids(self) -> list[int]:
        return [p.id for p in self.people.rows]

    def set_people(self, people: list[PersonRow]) -> None:
        self.people.set_rows(people)

    def add_people(self, people: list[PersonRow]) -> int:
        """Put these members on the list (those already on it stay once); how many were new."""
        known = {p.id for p in self.people.rows}
        new = [p for p in people if p.id not in known]
        if new:
            self.people.set_rows([*self.people.rows, *new])
            self.changed.emit()
        return len(new)

    def add_chosen(self) -> int:
        row = self.picker.current
        if row is None:
            return 0
        added = self.add_people([PersonRow(row.id, row.name, row.group_path)])
        self.picker.search.selectAll()
        return added

    def add_found(self) -> int:
        model = self.picker.model
        rows = [model.row_at(i) for i in range(model.rowCount())]
        return self.add_people([PersonRow(r.id, r.name, r.group_path) for r in rows])

    def remove_selected(self) -> None:
        gone = set(self.view.selected_ids())
        self.people.set_rows([p for p in self.people.rows if p.id not in gone])
        self.changed.emit()

    def warnings(self, start: date) -> list[str]:
        """Who on the list was not a member on ``start``, the activity's first day (as the
        command line and the service say it)."""
        found = (participant_warning(p.name, self.memberships.get(p.id, []), start) for p in self.people.rows)
        return sorted(filter(None, found))

    def show_state(self, start: date) -> None:
        """The count under the list, and its warnings for an activity beginning on ``start``."""
        count = self.count
        self.count_line.setText(
            f"名单上 {count} 人" if count else "还没有名单：参加人数按“基本信息”中填写的人数计"
        )
        warnings = self.warnings(start)
        lines = [f"提示：{html.escape(w)}" for w in warnings[:_SHOWN_WARNINGS]]
        if len(warnings) > _SHOWN_WARNINGS:
            lines.append(f"……另有 {len(warnings) - _SHOWN_WARNINGS} 人在活动开始时不是本会会员")
        self.warning.setText("<br>".join(lines))
        self.warning.setVisible(bool(lines))
