"""首页: the year so far at a glance, and what needs doing.

The cards (members and their change, 收缴率, care, hardship aid, budget used), two charts
(the dues of each month, spending against the budget by category) and the reminders, each
a line that opens its record. Everything is read in the background once a 账套 is open —
the figures first, then (once the page is on screen) the reminders — so the window never
waits for it; after a change to what it shows, it reads again when it is on screen (or next
shown). The figures come through ``HomeFigures`` (home_figures.py), which the main window
starts at every open before this page is built; built later, the page shows what it holds.

A reminder's line emits ``open_target(Target)``; ``open_target(window, target)`` below
shows the record in the window's pages (the main window connects the two).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QEnterEvent, QKeyEvent, QMouseEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.domain.money import format_fen
from app.domain.yearmonth import YearMonth
from app.ui.context import AppContext, RefreshWhenShown
from app.ui.lifetime import alive
from app.ui.operations import read_operation
from app.ui.reports.dashboard_charts import DuesChart, SpendingChart
from app.ui.reports.home_figures import HARDSHIP_FILES, WATCHED, HomeFigures, today

if TYPE_CHECKING:
    from decimal import Decimal

    from sqlalchemy.orm import Session

    from app.services.reports import DashboardFigures, DashboardReminders, ReminderGroup, Target
    from app.ui.main_window import MainWindow

__all__ = ["HARDSHIP_FILES", "SHOWN_PER_KIND", "WATCHED", "HomePage", "open_target", "today"]

SHOWN_PER_KIND = 6  # reminder lines listed under each heading; the rest are counted
_BLUE = "#1f4e8c"
_MUTED = "color: #666;"


def _rate(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def _change_words(joined: int, left: int) -> str:
    """新增 12 人，减少 0 人: the numbers in the card's large type, the words smaller (all in
    the large type it does not fit a card of a 1024-pixel window)."""

    def small(words: str) -> str:
        return f"<span style='font-size: 13pt;'>{words}</span>"

    return f"{small('新增')} {joined:,} {small('人，减少')} {left:,} {small('人')}"


class _Card(QFrame):
    """One figure: a caption, the value in large type, and what it is made of."""

    def __init__(self, title: str, hint: str) -> None:
        super().__init__()
        self.setObjectName("card")
        self.setStyleSheet("#card { background: #f7f9fc; border: 1px solid #d6dde8; border-radius: 6px; }")
        self.caption = QLabel(title)
        self.caption.setStyleSheet("font-size: 11pt; color: #333;")
        self.value = QLabel("—")
        self.value.setStyleSheet(f"font-size: 22pt; font-weight: bold; color: {_BLUE};")
        self.detail = QLabel(hint)
        self.detail.setStyleSheet(_MUTED)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setSpacing(2)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.detail)
        layout.addStretch(1)

    def show_figure(self, value: str, detail: str) -> None:
        self.value.setText(value)
        self.detail.setText(detail)


_CARDS = (
    ("members", "在册会员", "在会与保留会籍的会员"),
    ("change", "今年会员增减", "今年新入会、转入与转出、退会、除名、去世的人数"),
    ("dues", "会费收缴率", "今年 1 月至本月：实缴 ÷ 应缴"),
    ("care", "慰问", "今年慰问的人次和金额"),
    ("hardship", "困难帮扶", "在档的困难职工和今年的帮扶"),
    ("budget", "经费预算执行率", "今年已支出 ÷ 支出预算"),
)


class ReminderLine(QLabel):
    """A reminder that opens its record when clicked (or Enter / Space when it has focus)."""

    clicked = Signal()

    def __init__(self, text: str, target: Target) -> None:
        super().__init__(text)
        self.target = target
        self.setWordWrap(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setToolTip("点击打开")
        self._style(False)

    def _style(self, hover: bool) -> None:
        underline = "text-decoration: underline;" if hover else ""
        self.setStyleSheet(f"color: {_BLUE}; {underline}")

    def enterEvent(self, event: QEnterEvent) -> None:
        self._style(True)
        super().enterEvent(event)

    def leaveEvent(self, event: Any) -> None:
        self._style(False)
        super().leaveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit()
            return
        super().keyPressEvent(event)


class _ReminderBox(QFrame):
    """One kind of reminder: its heading with the count, the first lines, how many more."""

    def __init__(self, title: str, opened: Callable[[Target], None]) -> None:
        super().__init__()
        self.setObjectName("reminders")
        self.setStyleSheet("#reminders { border: 1px solid #e1e6ee; border-radius: 6px; background: white; }")
        self._opened = opened
        self.title = QLabel(title)
        self.title.setStyleSheet("font-weight: bold; font-size: 10.5pt;")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(f"{_MUTED} font-size: 9pt;")
        self.more = QLabel()
        self.more.setStyleSheet(_MUTED)
        self.more.setWordWrap(True)
        self.lines: list[ReminderLine] = []
        self._lines = QVBoxLayout()
        self._lines.setSpacing(3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(self._lines)
        layout.addWidget(self.more)
        layout.addStretch(1)
        layout.addWidget(self.hint)

    def show_group(self, group: ReminderGroup) -> None:
        for line in self.lines:
            line.deleteLater()
        self.lines = []
        count = len(group.items)
        colour = "#a11212" if count and group.kind != "birthdays" else "#333"
        self.title.setText(f"{group.title}　<span style='color:{colour}'>{count}</span>")
        for reminder in group.items[:SHOWN_PER_KIND]:
            line = ReminderLine(reminder.text, reminder.target)
            line.clicked.connect(lambda target=reminder.target: self._opened(target))
            self._lines.addWidget(line)
            line.show()  # at once, not when the layout next runs
            self.lines.append(line)
        hidden = count - len(self.lines)
        self.more.setText("暂无" if not count else f"……另有 {hidden:,} 条" if hidden else "")
        self.more.setVisible(not count or hidden > 0)
        self.hint.setText(group.hint if count else "")
        self.hint.setVisible(bool(count and group.hint))


class HomePage(QWidget):
    open_roster = Signal()
    new_member = Signal()
    open_target = Signal(object)  # Target: a reminder's record to show
    figures_shown = Signal()
    reminders_shown = Signal()

    def __init__(
        self, context: AppContext, parent: QWidget | None = None, *, figures: HomeFigures | None = None
    ) -> None:
        """``figures``: the window's reader of the figures, started at every open (without
        it, the page reads them itself whenever a 账套 opens)."""
        super().__init__(parent)
        self.context = context
        self.source = figures if figures is not None else HomeFigures(context, self)
        self.figures: DashboardFigures | None = None
        self.reminders: DashboardReminders | None = None
        self._generation = 0
        self._reminders_due: date | None = None  # the day of figures shown whose reminders are not read yet
        self.title = QLabel("欢迎使用 UnionDesk 基层工会工作台")
        self.title.setStyleSheet("font-size: 18pt; font-weight: bold;")
        self.subtitle = QLabel("打开账套后显示本年度的情况")
        self.subtitle.setStyleSheet(_MUTED)
        self.status = QLabel()
        self.status.setStyleSheet(_MUTED)
        roster = QPushButton("打开会员名册")
        roster.clicked.connect(self.open_roster)
        add = QPushButton("新增会员")
        add.clicked.connect(self.new_member)
        head = QHBoxLayout()
        words = QVBoxLayout()
        words.addWidget(self.title)
        words.addWidget(self.subtitle)
        head.addLayout(words, 1)
        head.addWidget(self.status)
        head.addWidget(roster)
        head.addWidget(add)
        self.cards: dict[str, _Card] = {}
        cards = QGridLayout()
        cards.setSpacing(10)
        for i, (key, title, hint) in enumerate(_CARDS):
            card = _Card(title, hint)
            self.cards[key] = card
            cards.addWidget(card, i // 3, i % 3)
        self.dues_chart = DuesChart()
        self.spending_chart = SpendingChart()
        charts = QHBoxLayout()
        charts.setSpacing(10)
        charts.addWidget(self.dues_chart, 1)
        charts.addWidget(self.spending_chart, 1)
        # one box per kind of reminder, made when the first reminders come (their kinds and
        # titles are the service's, which is not imported while the window is being made)
        self.reminder_boxes: dict[str, _ReminderBox] = {}
        self.boxes = QGridLayout()
        self.boxes.setSpacing(10)
        self.no_reminders = QLabel("打开账套后显示提醒")
        self.no_reminders.setStyleSheet(_MUTED)
        self.boxes.addWidget(self.no_reminders, 0, 0, 1, 3)
        for column in range(3):
            cards.setColumnStretch(column, 1)
            self.boxes.setColumnStretch(column, 1)
        reminders_title = QLabel("提醒")
        reminders_title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        content = QWidget()
        content.setObjectName("home")
        content.setStyleSheet("#home { background: white; }")
        layout = QVBoxLayout(content)
        layout.setSpacing(10)
        layout.addLayout(head)
        layout.addLayout(cards)
        layout.addLayout(charts)
        layout.addWidget(reminders_title)
        layout.addLayout(self.boxes)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        scroll.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(scroll)
        # Read when a 账套 opens, so the figures are there the first time the page is shown;
        # after a change, read again only when the page is on screen (or next shown).
        self.source.started.connect(self._reading)
        self.source.read.connect(self._figures_read)
        self.source.failed.connect(self._failed)
        self.refresher = RefreshWhenShown(self, context, WATCHED, self.refresh)
        if figures is None:
            context.follow_database(lambda _db: self.refresh())
        elif figures.figures is not None:  # built after the 账套 opened: what was read meanwhile
            self._figures_read(figures.figures)
        elif figures.reading:
            self._reading()
        elif figures.error is not None:
            self._failed(figures.error)
        if self.source.stale:  # changed since the figures were read: again when shown
            self.refresher.mark_stale()

    # -- reading --------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the figures and show them; then the reminders, at once when the page is on
        screen, else when it is next shown (off the GUI thread, quietly)."""
        self.source.start(today())

    def _reading(self) -> None:
        if alive(self):
            self._generation += 1  # reminders of the figures before are not shown
            self._reminders_due = None
            self.status.setText("正在读取……")

    def _figures_read(self, found: DashboardFigures) -> None:
        if alive(self):
            self.show_figures(found)
            self._reminders_due = self.source.day
            if self.isVisible():
                self._read_reminders()
            else:
                self.status.setText("")

    def _read_reminders(self) -> None:
        day, self._reminders_due = self._reminders_due, None
        if day is None:
            return
        generation = self._generation
        self.status.setText("正在读取提醒……")

        def reminders(session: Session) -> DashboardReminders:
            from app.services.reports import dashboard_reminders

            return dashboard_reminders(session, day)

        def reminders_read(found: DashboardReminders) -> None:
            if alive(self) and generation == self._generation:
                self.status.setText("")
                self.show_reminders(found)

        self._read(reminders, reminders_read)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._reminders_due is not None:  # the figures came while the page was hidden
            self._read_reminders()

    def _read(self, work: Callable[[Session], Any], done: Callable[[Any], None]) -> None:
        read_operation(self, self.context, work, on_success=done, on_failure=self._failed, quiet=True)

    def _failed(self, error: BaseException) -> None:
        if alive(self):
            self.status.setText(f"<span style='color:#a11212'>首页数据没有读出来：{error}</span>")

    # -- showing ----------------------------------------------------------------------------------
    def show_figures(self, f: DashboardFigures) -> None:
        self.figures = f
        self.title.setText(f.union_name or "本工会（请在“设置”中填写工会名称）")
        self.subtitle.setText(f"{f.year}年1月1日至{f.today.month}月{f.today.day}日")
        self.cards["members"].show_figure(
            f"{f.members:,}",
            f"在会 {f.active:,} 人，保留会籍 {f.retained:,} 人；女 {f.female:,} 人，农民工 {f.migrant:,} 人，"
            f"困难职工 {f.hardship_flagged:,} 人，劳模 {f.model_workers:,} 人",
        )
        self.cards["change"].show_figure(
            _change_words(f.joined, f.left),
            f"新入会、转入 {f.joined:,} 人；转出、退会、除名、去世 {f.left:,} 人",
        )
        months = f"1—{f.today.month}月" if f.today.month > 1 else "1月"
        # this month counted with nothing due yet reads as a month the members owe nothing
        not_rolled = any(m.month == YearMonth.of(f.today) and not m.due_fen for m in f.dues_months)
        pending = f"（{f.today.month}月还没有生成应缴）" if not_rolled and f.today.month > 1 else ""
        self.cards["dues"].show_figure(
            _rate(f.dues_rate),
            f"{months}应缴 {format_fen(f.dues_due_fen)} 元{pending}，实缴 {format_fen(f.dues_paid_fen)} 元"
            f"{f.dues_unmatched}，欠缴 {format_fen(f.dues_arrears_fen)} 元"
            if f.dues_due_fen
            else f"{months}还没有应缴会费（在“会费”页生成应缴）",
        )
        self.cards["care"].show_figure(
            f"{f.care_count:,} 人次", f"发放慰问金和慰问品合计 {format_fen(f.care_fen)} 元"
        )
        self.cards["hardship"].show_figure(
            f"{f.hardship_files:,} 户",
            f"在档困难职工 {f.hardship_files:,} 户；今年帮扶 {f.aid_count:,} 人次，{format_fen(f.aid_fen)} 元",
        )
        over = [c.name for c in f.categories if c.over]
        over_words = f"；{'、'.join(over)}超支" if over else ""
        self.cards["budget"].show_figure(
            _rate(f.execution_rate),
            f"支出预算 {format_fen(f.budget_fen)} 元，已支出 {format_fen(f.spent_fen)} 元{over_words}"
            if f.budget_fen
            else f"{f.year}年还没有设支出预算；已支出 {format_fen(f.spent_fen)} 元",
        )
        self.dues_chart.set_months(f.year, f.dues_months)
        self.spending_chart.set_bars(f.year, f.categories)
        self.dues_chart.setMaximumHeight(self.spending_chart.maximumHeight())  # side by side, one height
        self.figures_shown.emit()

    def show_reminders(self, found: DashboardReminders) -> None:
        self.reminders = found
        self.no_reminders.hide()
        for group in found.groups:
            box = self.reminder_boxes.get(group.kind)
            if box is None:
                box = self.reminder_boxes[group.kind] = _ReminderBox(group.title, self.open_target.emit)
                at = len(self.reminder_boxes) - 1
                self.boxes.addWidget(box, at // 3 + 1, at % 3)
                box.show()
            box.show_group(group)
        self.reminders_shown.emit()

    def reminder_lines(self, kind: str) -> list[ReminderLine]:
        """The lines listed under one kind of reminder (for the tests)."""
        return list(self.reminder_boxes[kind].lines)


# -- opening a reminder's record ----------------------------------------------------------------
def open_target(window: MainWindow, target: Target) -> None:
    """Show ``target`` in the window: the member selected in the 会员名册, the care record or
    the hardship file on the 慰问帮扶 page, the activity on the 活动经费 page. A filter that
    would hide it is cleared; a list still being read selects it when it comes."""
    from app.services.reports import TARGET_ACTIVITY, TARGET_CARE, TARGET_HARDSHIP, TARGET_MEMBER

    if target.kind == TARGET_MEMBER:
        _open_member(window, target.id)
    elif target.kind == TARGET_CARE:
        _open_care(window, target)
    elif target.kind == TARGET_HARDSHIP:
        _open_hardship(window, target.id)
    elif target.kind == TARGET_ACTIVITY:
        _open_activity(window, target)


def _open_member(window: MainWindow, member_id: int) -> None:
    roster = window.roster
    window.show_page("会员名册")
    if roster.select_member(member_id):
        return
    # hidden by a filter: show everyone in the roll, then everyone (a member who has left)
    roster.search.clear()
    for combo in (roster.group_filter, roster.category_filter):
        combo.setCurrentIndex(0)
    for box in (roster.female, roster.migrant, roster.hardship, roster.model_worker):
        box.setChecked(False)
    if roster.select_member(member_id):
        return
    roster.status_filter.setCurrentIndex(max(roster.status_filter.findData(None), 0))
    if not roster.select_member(member_id):
        roster.table.select_after_reset(member_id)  # the roster is still being read


def _open_care(window: MainWindow, target: Target) -> None:
    care = window.care
    window.show_page("慰问帮扶")
    care.tabs.setCurrentIndex(0)
    # the filters first (each may show the list again), then the record the next list brings
    care.occasion.setCurrentIndex(0)
    care.group.setCurrentIndex(0)
    care.over_only.setChecked(False)
    care.search.clear()
    care.period.setCurrentIndex(0)  # 全年
    care.year.setValue(target.year)
    care.table.select_after_reset(target.id)
    care.reload()


def _open_hardship(window: MainWindow, file_id: int) -> None:
    panel = window.care.hardship
    window.show_page("慰问帮扶")
    window.care.tabs.setCurrentWidget(panel)
    panel.due_only.setChecked(False)
    panel.status.setCurrentIndex(max(panel.status.findData("在档"), 0))
    panel.table.select_after_reset(file_id)
    panel.reload()


def _open_activity(window: MainWindow, target: Target) -> None:
    page = window.activities
    window.show_page("活动经费")
    page.tabs.setCurrentIndex(0)
    page.status.setCurrentIndex(0)
    page.search.clear()
    page.year.setValue(target.year)
    page.table.select_after_reset(target.id)
    page.reload()
