"""The panel beside the roster: one member's details and membership history."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QStackedLayout,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.idcard import mask_id_number
from app.domain.members import age
from app.domain.money import format_fen

if TYPE_CHECKING:
    from app.services.roster.members import MemberDetail


class MemberDetailPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(300)
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.subtitle = QLabel()
        self.fields: dict[str, QLabel] = {}
        info_box = QWidget()
        info = QFormLayout(info_box)
        info.setContentsMargins(0, 0, 0, 0)
        for key, label in (("id_number", "身份证号"), ("birth", "出生日期"), ("group", "所在分组"),
                           ("category", "人员类别"), ("phone", "联系电话"), ("card", "会员证号"),
                           ("joined", "入会时间"), ("political", "政治面貌"), ("wage", "会费基数"),
                           ("retire", "法定退休"), ("flags", "标记")):  # fmt: skip
            value = QLabel()
            value.setWordWrap(True)
            self.fields[key] = value
            info.addRow(f"{label}：", value)
        self.history = QTableWidget(0, 3)
        self.history.setHorizontalHeaderLabels(["日期", "变动", "原因"])
        self.history.verticalHeader().setVisible(False)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.history.setColumnWidth(0, 90)
        self.history.setColumnWidth(1, 90)
        history_box = QGroupBox("会籍变动")
        QVBoxLayout(history_box).addWidget(self.history)
        later = QLabel("会费记录、慰问帮扶记录将在相应功能上线后显示在这里。")
        later.setStyleSheet("color: #777;")
        later.setWordWrap(True)
        self.placeholder = QLabel("在左边的名册中点选一名会员，这里显示他的信息和会籍变动记录。")
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignTop)
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_layout.addWidget(self.title)
        details_layout.addWidget(self.subtitle)
        details_layout.addWidget(info_box)
        details_layout.addWidget(history_box, 1)
        details_layout.addWidget(later)
        self.pages = QStackedLayout(self)
        self.pages.addWidget(self.placeholder)
        self.pages.addWidget(details)
        self.show_detail(None)

    def show_detail(self, detail: MemberDetail | None, *, mask: bool = False) -> None:
        self.pages.setCurrentIndex(0 if detail is None else 1)
        if detail is None:
            return
        d = detail.data
        self.title.setText(d.name)
        self.subtitle.setText(f"{d.gender}　{detail.status}")
        number = mask_id_number(d.id_number) if mask else d.id_number
        self.fields["id_number"].setText(f"{number}（{d.id_type}）" if d.id_type != "居民身份证" else number)
        self.fields["birth"].setText(
            f"{d.birth_date.isoformat()}（{age(d.birth_date, date.today())} 岁）" if d.birth_date else ""
        )
        self.fields["group"].setText(detail.group_path or "未分组")
        self.fields["category"].setText(d.category)
        self.fields["phone"].setText(d.phone)
        self.fields["card"].setText(d.card_number)
        self.fields["joined"].setText(d.joined_on.isoformat() if d.joined_on else "未填写")
        self.fields["political"].setText(d.political_status)
        self.fields["wage"].setText(
            f"{format_fen(d.dues_wage_fen)} 元（自 {detail.wages[-1].effective_from.isoformat()} 起）"
            if d.dues_wage_fen is not None and detail.wages
            else "未填写"
        )
        retire = detail.retirement
        self.fields["retire"].setText(f"{retire.month.chinese()}（{retire.age_text}）" if retire else "")
        flags = [f for f, on in (("农民工", d.is_migrant_worker), ("困难职工", d.is_hardship)) if on]
        if d.model_worker_level:
            flags.append(f"{d.model_worker_level}劳模")
        self.fields["flags"].setText("、".join(flags) or "无")
        self.history.setRowCount(len(detail.events))
        for row, event in enumerate(detail.events):
            for column, text in enumerate((event.event_date.isoformat(), event.kind, event.reason)):
                self.history.setItem(row, column, QTableWidgetItem(text))
