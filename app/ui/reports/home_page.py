"""首页: the union at a glance, and where to start."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.ui.context import MEMBER_EVENTS, MEMBERS, PROFILE, AppContext, RefreshWhenShown
from app.ui.operations import read_operation

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.care import CareReminders
    from app.services.reports.overview import Overview

CARE_RECORDS = "care_records"  # CareRecord.__tablename__
HARDSHIP_FILES = "hardship_files"  # HardshipFile.__tablename__
_CARDS = (
    ("members", "在册会员", "在会与保留会籍的会员"),
    ("active", "在会", "正常缴纳会费的会员"),
    ("retained", "保留会籍", "退休等保留会籍，不缴会费"),
    ("female", "女会员", "在册会员中的女性"),
    ("migrant", "农民工会员", "在册会员中的农民工"),
    ("hardship", "困难职工", "已建档的困难职工"),
    ("model_workers", "劳模", "各级劳动模范"),
    ("joined_this_year", "今年入会", "今年新入会和转入的人数"),
    ("left_this_year", "今年减少", "今年转出、退会、除名、去世的人数"),
)


class _Card(QFrame):
    def __init__(self, title: str, hint: str) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("_Card { background: #f7f9fc; border: 1px solid #d6dde8; border-radius: 6px; }")
        self.value = QLabel("—")
        self.value.setStyleSheet("font-size: 22pt; font-weight: bold; color: #1f4e8c;")
        caption = QLabel(title)
        caption.setStyleSheet("font-size: 11pt;")
        note = QLabel(hint)
        note.setStyleSheet("color: #777;")
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(caption)
        layout.addWidget(self.value)
        layout.addWidget(note)


class HomePage(QWidget):
    open_roster = Signal()
    new_member = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.title = QLabel("欢迎使用 UnionDesk 基层工会工作台")
        self.title.setStyleSheet("font-size: 18pt; font-weight: bold;")
        self.cards: dict[str, _Card] = {}
        grid = QGridLayout()
        for i, (key, title, hint) in enumerate(_CARDS):
            card = _Card(title, hint)
            self.cards[key] = card
            grid.addWidget(card, i // 3, i % 3)
        self.retiring = QLabel()
        self.retiring.setWordWrap(True)
        self.retiring.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        roster = QPushButton("打开会员名册")
        roster.clicked.connect(self.open_roster)
        add = QPushButton("新增会员")
        add.clicked.connect(self.new_member)
        actions = QHBoxLayout()
        actions.addWidget(roster)
        actions.addWidget(add)
        actions.addStretch(1)
        self.reminders = QLabel()
        self.reminders.setWordWrap(True)
        self.reminders.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        later = QLabel("会费收缴率、慰问帮扶支出和活动经费执行情况将在相应功能上线后显示在首页。")
        later.setStyleSheet("color: #777;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(actions)
        layout.addLayout(grid)
        layout.addWidget(self.retiring)
        layout.addWidget(self.reminders)
        layout.addWidget(later)
        layout.addStretch(1)
        # Read when a 账套 opens, so the figures are there the first time the page is shown;
        # after a change, read again only when the page is on screen (or next shown).
        context.database_opened.connect(lambda _db: self.refresh())
        self.refresher = RefreshWhenShown(
            self, context, (MEMBERS, MEMBER_EVENTS, PROFILE, CARE_RECORDS, HARDSHIP_FILES), self.refresh
        )

    def refresh(self) -> None:
        def work(session: Session) -> tuple[Overview, CareReminders]:
            from app.services.care import care_reminders
            from app.services.reports.overview import compute_overview

            return compute_overview(session), care_reminders(session)

        def loaded(result: tuple[Overview, CareReminders]) -> None:
            self.show_overview(result[0])
            self.show_reminders(result[1])

        read_operation(self, self.context, work, on_success=loaded)

    def show_reminders(self, found: CareReminders) -> None:
        """What needs doing soon, from the care records and hardship files (nothing: said so)."""
        lines = []
        if found.birthdays:
            names = "、".join(p.name for p in found.birthdays[:20]) + (
                "等" if len(found.birthdays) > 20 else ""
            )
            lines.append(f"本月过生日的会员 {len(found.birthdays)} 人：{names}。")
        for p in found.retiring:
            lines.append(f"{p.name}将于{p.day.year}年{p.day.month}月到达法定退休年龄。")
        for r in found.reviews:
            due = f"{r.review_due.year}年{r.review_due.month}月{r.review_due.day}日" if r.review_due else ""
            lines.append(f"困难职工{r.name}的档案应于{due}年度复核。")
        if found.awaiting_reason:
            lines.append(
                f"有 {len(found.awaiting_reason)} 条超过标准的慰问记录还没有写明原因（在“慰问帮扶”页双击补写）。"
            )
        body = "<br>".join(lines) if lines else "没有需要提醒的事项。"
        self.reminders.setText(f"<b>提醒：</b><br>{body}")

    def show_overview(self, overview: Overview) -> None:
        self.title.setText(overview.union_name or "本工会（请在“设置”中填写工会名称）")
        for key, card in self.cards.items():
            card.value.setText(str(getattr(overview, key)))
        people = overview.retiring_this_year
        if people:
            listed = "、".join(f"{name}（{month}）" for name, month in people[:30])
            more = f" 等 {len(people)} 人" if len(people) > 30 else f"，共 {len(people)} 人"
            self.retiring.setText(
                f"<b>今年到达法定退休年龄的在会会员：</b>{listed}{more}。到龄后请办理“退休保留会籍”。"
            )
        else:
            self.retiring.setText("今年没有到达法定退休年龄的在会会员。")
