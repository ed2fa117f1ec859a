"""The 首页 in the main window: cards equal to the services' figures, the two charts' months,
categories and values, each kind of reminder listed and opening its record, and the page
filling in from the background without holding the window up."""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from PySide6.QtCharts import QBarCategoryAxis
from PySide6.QtCore import QMetaMethod, Qt
from PySide6.QtGui import QFontMetricsF, QTextDocumentFragment
from PySide6.QtWidgets import QApplication, QProgressDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session

import app.services.reports.dashboard as dashboard_module
from app.db import Database
from app.domain.activities import Kind
from app.domain.care import IMPORTED_REASON, Occasion
from app.domain.dues import Period
from app.domain.idcard import check_character
from app.domain.members import MemberInput
from app.domain.money import format_fen
from app.domain.yearmonth import YearMonth
from app.models import Member
from app.services.activities import ActivityInput, budget_table, create_activity
from app.services.care import CareInput, HardshipInput, list_care, open_file, record_care
from app.services.dues import roll, summarize
from app.services.reports import (
    TARGET_ACTIVITY,
    TARGET_CARE,
    TARGET_HARDSHIP,
    TARGET_MEMBER,
    DashboardFigures,
    Target,
    compute_overview,
    dashboard_figures,
)
from app.services.roster import create_member
from app.ui.main_window import MainWindow
from app.ui.operations import write_operation
from app.ui.reports import home_page
from app.ui.reports.home_page import HomePage, open_target
from tests.conftest import DEMO_TODAY
from tests.ui.conftest import open_window, wait_idle

TODAY = DEMO_TODAY  # the demo 账套 is made as of this day


@pytest.fixture
def home(window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> Iterator[HomePage]:
    """The window's 首页, read again as of the demo's day, its reminders opening their records."""
    monkeypatch.setattr(home_page, "today", lambda: TODAY)
    if not window.home.isSignalConnected(QMetaMethod.fromSignal(window.home.open_target)):
        window.home.open_target.connect(lambda target: open_target(window, target))
    window.show_page("首页")
    with qtbot.waitSignal(window.home.reminders_shown, timeout=10_000):
        window.home.refresh()
    yield window.home


def read_figures(db: Database) -> DashboardFigures:
    with db.reader() as session:
        return dashboard_figures(session, TODAY)


def test_the_cards_show_the_services_figures(window: MainWindow, home: HomePage, opened_db: Database) -> None:
    window.show_page("首页")
    f = read_figures(opened_db)
    assert home.figures == f
    with opened_db.reader() as s:
        overview = compute_overview(s, TODAY)
        dues = summarize(s, Period(YearMonth(2026, 1), YearMonth(2026, 11), "")).totals
        care = list_care(s, first=date(2026, 1, 1), last=TODAY)
        budget = budget_table(s, 2026)
    cards = {key: (card.value.text(), card.detail.text()) for key, card in home.cards.items()}
    assert (
        cards["members"][0] == f"{overview.members:,}"
        and f"在会 {overview.active:,} 人" in cards["members"][1]
    )
    change = QTextDocumentFragment.fromHtml(cards["change"][0]).toPlainText()
    assert change == f"新增 {overview.joined_this_year} 人，减少 {overview.left_this_year} 人"
    rate = (Decimal(dues.paid_fen) * 100 / dues.due_fen).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    assert cards["dues"][0] == f"{rate}%"
    # the demo's November (its today's month) is not rolled: the card says so rather than count
    # it as a month nobody owed anything
    with opened_db.reader() as s:
        november = summarize(s, Period(YearMonth(2026, 11), YearMonth(2026, 11), "")).totals
    assert november.due_fen == 0
    assert (
        f"1—11月应缴 {format_fen(dues.due_fen)} 元（11月还没有生成应缴），实缴 {format_fen(dues.paid_fen)} 元"
        f"{dues.unmatched_note()}，欠缴 {format_fen(dues.arrears_fen)} 元" in cards["dues"][1]
    )
    assert (
        cards["care"][0] == f"{len(care)} 人次"
        and format_fen(sum(r.amount_fen for r in care)) in cards["care"][1]
    )
    assert cards["hardship"][0] == f"{f.hardship_files} 户" and f.hardship_files > 0
    assert cards["budget"][0] == f"{budget.execution_rate}%"
    assert f"已支出 {format_fen(budget.spent_fen)} 元" in cards["budget"][1]
    assert home.title.text() == "华东精密机械有限公司工会委员会"
    assert home.subtitle.text() == "2026年1月1日至11月20日"


def test_the_charts_draw_the_months_and_the_categories(
    window: MainWindow, home: HomePage, opened_db: Database
) -> None:
    window.show_page("首页")
    with opened_db.reader() as s:
        months = summarize(s, Period(YearMonth(2026, 1), YearMonth(2026, 11), "")).months
        table = budget_table(s, 2026)
    assert home.dues_chart.drawn_months() == [str(m) for m in range(1, 12)]
    drawn = home.dues_chart.drawn_values()
    assert drawn["应缴"] == [m.totals.due_fen / 100 for m in months]
    assert drawn["实缴"] == [m.totals.paid_fen / 100 for m in months]
    assert any(drawn["实缴"]) and any(drawn["应缴"])
    top = [r for r in table.spending if r.category.depth == 0 and (r.budget_fen is not None or r.spent_fen)]
    assert home.spending_chart.drawn_categories() == [r.category.name for r in top]
    values = home.spending_chart.drawn_values()
    assert values["预算"] == [(r.budget_fen or 0) / 100 for r in top]
    assert values["已支出"] == [r.spent_fen / 100 for r in top]
    assert home.spending_chart.drawn_over() == [
        r.category.name for r in top if r.budget_fen is not None and r.spent_fen > r.budget_fen
    ]


def amount_of(tick: str) -> float:
    """A tick label back to yuan: 10万, 1.5万, 5,000, 0."""
    return float(tick.removesuffix("万")) * 10_000 if tick.endswith("万") else float(tick.replace(",", ""))


def test_the_charts_read_alike_and_their_ticks_in_words(window: MainWindow, home: HomePage) -> None:
    window.show_page("首页")
    spending = home.spending_chart
    # the budget above what was spent in each pair, and first in the legend too (as on the
    # 年度预算 tab)
    assert spending.drawn_bar_order() == spending.drawn_legend() == ["预算", "已支出"]
    assert home.dues_chart.drawn_legend() == ["应缴", "实缴"]
    for chart in (home.dues_chart, spending):
        ticks = chart.drawn_ticks()
        assert 3 <= len(ticks) <= 6 and ticks[0] == "0"
        assert all(t == "0" or re.fullmatch(r"\d+(\.5)?万|\d{1,3}(,\d{3})*", t) for t in ticks), ticks
        amounts = [amount_of(t) for t in ticks]
        assert all(b - a == amounts[1] for a, b in itertools.pairwise(amounts))  # evenly spaced
        assert amounts[-1] >= max(v for values in chart.drawn_values().values() for v in values)
    assert any(t.endswith("万") for t in spending.drawn_ticks())  # the demo's budget is in 万


def test_the_months_fit_under_their_bars_in_a_1024_pixel_window(
    window: MainWindow, home: HomePage, qtbot: QtBot
) -> None:
    window.show_page("首页")
    chart = home.dues_chart.view.chart()

    def at_1024() -> bool:
        # asked again until it holds: a resize asked while a late refresh of the page still
        # lays out its cards is held at their width of that moment, and is not taken up again
        window.resize(1024, 768)
        return window.width() == 1024

    qtbot.waitUntil(at_1024, timeout=5_000)
    axis = next(a for a in chart.axes() if isinstance(a, QBarCategoryAxis))
    metrics = QFontMetricsF(axis.labelsFont())
    widest = max(metrics.horizontalAdvance(m) for m in home.dues_chart.drawn_months())

    def place() -> float:
        return chart.plotArea().width() / len(home.dues_chart.drawn_months())

    # the chart lays itself out again after the window's resize (later on a busy machine)
    qtbot.waitUntil(lambda: abs(chart.size().width() - home.dues_chart.view.width()) < 2, timeout=5_000)
    # Qt cuts a label to "1…" unless it is narrower than its place less some padding on each
    # side; the plot area follows the chart's size a moment later, so it is waited for
    qtbot.waitUntil(lambda: widest + 8 <= place(), timeout=5_000)
    assert home.cards["change"].value.sizeHint().width() <= home.cards["change"].contentsRect().width()


@dataclass(frozen=True)
class Added:
    birthday: int
    retiring: int
    care: int
    file: int
    activity: int


def id_number(birth: date, n: int, female: bool) -> str:
    first17 = f"340104{birth:%Y%m%d}{2 * n + (0 if female else 1):03d}"
    return first17 + check_character(first17)


def add_one_of_each(s: Session) -> Added:
    """Records that make sure every kind of reminder has something to show."""
    born = date(1990, 11, 25)
    member = create_member(
        s, MemberInput(name="提醒甲", gender="女", birth_date=born, id_number=id_number(born, 7, True),
                       joined_on=date(2025, 6, 1), dues_wage_fen=500_000), today=TODAY,
    )  # fmt: skip
    born = date(1966, 1, 10)  # 60 and four months: May 2026, still 在会
    retiring = create_member(
        s, MemberInput(name="提醒乙", gender="男", birth_date=born, id_number=id_number(born, 8, False),
                       joined_on=date(1990, 3, 1)), today=TODAY,
    )  # fmt: skip
    roll(s, YearMonth(2026, 1), YearMonth(2026, 11), today=TODAY, member_ids=[member])  # none of it paid
    file = open_file(s, HardshipInput(member, "低保户", "大病", date(2025, 10, 1)), today=TODAY)
    care = record_care(s, CareInput(Occasion.HOSPITAL, date(2026, 3, 2), member, cash_fen=150_000,
                                    reason=IMPORTED_REASON), today=TODAY)  # fmt: skip
    trip = ActivityInput("提醒秋季一日游", Kind.MEMBERS, date(2026, 10, 5), date(2026, 10, 6), headcount=40)
    activity = create_activity(s, trip, source="导入")  # two days, no reason: awaits one
    return Added(member, retiring, care, file, activity)


def selected(window: MainWindow, target: Target) -> bool:
    if target.kind == TARGET_MEMBER:
        return (
            window.stack.currentWidget() is window.roster and window.roster.current_member_id() == target.id
        )
    if target.kind == TARGET_CARE:
        care = window.care
        return (
            window.stack.currentWidget() is care
            and care.tabs.currentIndex() == 0
            and (care.table.current_id() == target.id)
        )
    if target.kind == TARGET_HARDSHIP:
        care = window.care
        return care.tabs.currentWidget() is care.hardship and care.hardship.table.current_id() == target.id
    assert target.kind == TARGET_ACTIVITY
    page = window.activities
    return window.stack.currentWidget() is page and page.table.current_id() == target.id


def test_each_kind_of_reminder_is_listed_and_opens_its_record(
    window: MainWindow, home: HomePage, opened_db: Database, qtbot: QtBot
) -> None:
    found: list[Added] = []
    window.show_page("首页")  # on screen: the change is read at once
    with qtbot.waitSignal(home.reminders_shown, timeout=10_000):
        write_operation(window, window.context, add_one_of_each, on_success=found.append)
    (added,) = found
    assert home.reminders is not None
    mine = {
        "birthdays": Target(TARGET_MEMBER, added.birthday, 2026),
        "retiring": Target(TARGET_MEMBER, added.retiring, 2026),
        "arrears": Target(TARGET_MEMBER, added.birthday, 2026),
        "reviews": Target(TARGET_HARDSHIP, added.file, 2026),
        "care_reasons": Target(TARGET_CARE, added.care, 2026),
        "activities": Target(TARGET_ACTIVITY, added.activity, 2026),
    }
    for kind, target in mine.items():
        assert target in [r.target for r in home.reminders.group(kind).items], kind
    # filters that would hide the records: opening a reminder clears them
    window.roster.search.setText("没有这个人")
    window.care.over_only.setChecked(True)
    window.care.year.setValue(2025)
    window.activities.search.setText("没有这项活动")
    window.care.hardship.due_only.setChecked(True)
    for kind in mine:
        window.show_page("首页")
        lines = home.reminder_lines(kind)
        assert lines and all(line.isVisible() for line in lines), kind
        box = home.reminder_boxes[kind]
        count = len(home.reminders.group(kind).items)
        assert str(count) in box.title.text()
        line = lines[-1]
        assert line.text() == home.reminders.group(kind).items[lines.index(line)].text
        qtbot.mouseClick(line, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda line=line: selected(window, line.target), timeout=10_000)  # type: ignore[misc]
        wait_idle(qtbot)
        assert selected(window, line.target), kind
    assert window.roster.search.text() == "" and not window.care.over_only.isChecked()
    # the ones added here, opened by their own lines wherever they are listed
    window.show_page("首页")
    for kind in ("retiring", "reviews", "activities"):
        target = mine[kind]
        (line,) = [line for line in home.reminder_lines(kind) if line.target == target]
        window.show_page("首页")
        qtbot.mouseClick(line, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda target=target: selected(window, target), timeout=10_000)


def test_nothing_to_remind_says_so_and_more_than_shown_is_counted(home: HomePage) -> None:
    assert home.reminders is not None
    for group in home.reminders.groups:
        box = home.reminder_boxes[group.kind]
        shown = len(box.lines)
        assert shown == min(len(group.items), home_page.SHOWN_PER_KIND)
        if not group.items:
            assert box.more.text() == "暂无"
        elif len(group.items) > shown:
            assert f"另有 {len(group.items) - shown} 条" in box.more.text()


def test_the_reminders_are_read_only_once_the_page_is_shown(
    window: MainWindow, home: HomePage, qtbot: QtBot
) -> None:
    window.show_page("会员名册")
    shown: list[bool] = []
    home.reminders_shown.connect(lambda: shown.append(True))
    with qtbot.waitSignal(home.figures_shown, timeout=10_000):
        home.refresh()
    wait_idle(qtbot)
    assert shown == [] and home.status.text() == ""  # hidden: the figures only
    with qtbot.waitSignal(home.reminders_shown, timeout=10_000):
        window.show_page("首页")
    assert shown == [True]
    window.show_page("会员名册")
    window.show_page("首页")
    wait_idle(qtbot)
    assert shown == [True]  # nothing changed meanwhile: not read again


def test_the_page_reads_again_when_its_data_changes(
    window: MainWindow, home: HomePage, opened_db: Database, qtbot: QtBot
) -> None:
    window.show_page("会员名册")
    before = home.figures
    assert before is not None
    with opened_db.reader() as s:
        someone = s.scalar(select(Member.id).where(Member.status == "在会").limit(1))
    assert someone is not None

    def visit(session: Session) -> int:
        visit = CareInput(Occasion.BIRTHDAY, date(2026, 11, 2), someone, goods="蛋糕", goods_fen=20_000)
        return record_care(session, visit, today=TODAY)

    write_operation(window, window.context, visit)
    wait_idle(qtbot)
    assert home.refresher.stale and home.figures == before  # not on screen: not read yet
    with qtbot.waitSignal(home.figures_shown, timeout=10_000):
        window.show_page("首页")
    assert home.figures is not None and home.figures.care_count == before.care_count + 1
    assert home.cards["care"].value.text() == f"{before.care_count + 1} 人次"


def test_the_window_is_shown_and_free_while_the_page_reads(
    qtbot: QtBot, demo_db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = dashboard_module.dashboard_figures

    def slow(session: object, today: date | None = None) -> DashboardFigures:
        time.sleep(1.2)  # longer than a read may take before a busy cursor or a progress dialog
        return real(session, today)  # type: ignore[arg-type]

    monkeypatch.setattr(dashboard_module, "dashboard_figures", slow)
    monkeypatch.setattr(home_page, "today", lambda: TODAY)
    window = open_window(qtbot, demo_db_path)
    assert window.isVisible() and window.home.figures is None  # the roster is there; the 首页 still reading
    window.show_page("首页")
    assert window.home.status.text() == "正在读取……" and window.home.cards["members"].value.text() == "—"
    qtbot.wait(900)
    # meanwhile the window is free: no busy cursor, no progress dialog, the pages switch
    assert QApplication.overrideCursor() is None
    assert not [d for d in window.findChildren(QProgressDialog) if d.isVisible()]
    window.show_page("会费")
    assert window.stack.currentWidget() is window.dues
    window.show_page("首页")
    qtbot.waitUntil(lambda: window.home.reminders is not None, timeout=10_000)
    assert window.home.cards["members"].value.text() != "—" and window.home.status.text() == ""
    wait_idle(qtbot)
