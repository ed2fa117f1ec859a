"""Pages made when first shown: the window starts with the roster alone; a page made after
the 账套 opened reads it, and a change announced before it was made is not missed; the
首页's figures are read at open without the page, before the roster's other rows."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

import app.services.reports.dashboard as dashboard_module
import app.services.roster.search as roster_search
from app.db import Database
from app.models import Member
from app.services.reports import DashboardFigures
from app.ui import main_window
from app.ui.main_window import PAGES, MainWindow
from app.ui.operations import running_operations, write_operation
from tests.ui.conftest import open_window, wait_idle

ROOT = Path(__file__).resolve().parents[2]
LAZY = [name for name in PAGES if name != "会员名册"]
PAGE_MODULES = [
    "app.ui.reports.home_page",
    "app.ui.dues.page",
    "app.ui.care.page",
    "app.ui.activities.page",
    "app.ui.reports.report_page",
    "app.ui.system.settings_page",
    "app.ui.system.profile_panel",
    "app.ui.system.audit_panel",
    "app.ui.system.backup_panel",
]

# what the window's start has no use for (10, 4 and 3 ms of it): the log rotates without
# logging.handlers, money is counted without decimal, a month's last day without calendar
HEAVIER_STDLIB = ["logging.handlers", "decimal", "calendar"]

# what only a click (the member dialogs), a 启动密码 or another page (the hardship files) needs
LATER_MODULES = [
    "app.ui.roster.member_dialog", "app.ui.roster.status_dialog", "app.ui.system.password_dialog",
    "app.domain.hardship", "app.ui.date_fields",
    "app.domain.members",  # the member rules: the first page needs only their words (app.domain.membership)
]  # fmt: skip

# In a fresh process: which page modules a new window has imported, which pages it made,
# and what showing 会费 then imports and makes.
CHILD = f"""
import sys
from app.log_setup import configure_logging
configure_logging()
from app.ui.app import create_application
app, _collector = create_application()
from app.ui.main_window import PAGES, MainWindow
window = MainWindow(warn_on_open_failure=False)
modules = {PAGE_MODULES!r}
print("imported|", [m for m in modules if m in sys.modules])
print("made|", [n for n in PAGES if window.is_made(n)])
print("sqlalchemy|", "sqlalchemy" in sys.modules)
print("member panel|", "app.ui.roster.member_detail" in sys.modules)
print("later|", [m for m in {LATER_MODULES!r} if m in sys.modules])
print("heavier stdlib|", [m for m in {HEAVIER_STDLIB!r} if m in sys.modules])
window.show_page("会费")
print("then imported|", [m for m in modules if m in sys.modules])
print("then made|", [n for n in PAGES if window.is_made(n)])
"""


def in_roll(db: Database) -> int:
    with db.reader() as session:
        return int(
            session.scalar(
                select(func.count()).select_from(Member).where(Member.status.in_(("在会", "保留会籍")))
            )
            or 0
        )


def add_member(window: MainWindow, qtbot: QtBot, name: str, id_number: str) -> None:
    def add(session):  # type: ignore[no-untyped-def]
        from app.domain.members import MemberInput
        from app.services.roster.members import create_member

        return create_member(session, MemberInput(name=name, id_number=id_number))

    with qtbot.waitSignal(window.context.changed, timeout=5000):
        write_operation(window.roster, window.context, add)
    wait_idle(qtbot)


def test_a_new_window_imports_and_makes_the_roster_alone(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", UNIONDESK_HOME=str(tmp_path), PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=120, check=True
    )
    said = dict(line.split("| ", 1) for line in done.stdout.splitlines() if "| " in line)
    assert said["imported"] == "[]"
    assert said["made"] == "['会员名册']"
    assert said["sqlalchemy"] == "False"
    assert said["member panel"] == "False"  # made once the first page is on screen
    assert said["later"] == "[]"
    assert said["heavier stdlib"] == "[]"
    assert said["then imported"] == "['app.ui.dues.page']"
    assert said["then made"] == "['会员名册', '会费']"


def test_a_page_made_after_the_open_reads_the_union(window: MainWindow, qtbot: QtBot) -> None:
    assert not [name for name in LAZY if window.is_made(name)]  # opened, nothing shown yet
    window.show_page("活动经费")
    qtbot.waitUntil(lambda: window.activities.model.rowCount() > 0, timeout=10_000)  # the demo's activities
    window.show_page("会费")
    qtbot.waitUntil(lambda: window.dues.ledger.figures is not None, timeout=10_000)
    assert window.dues.roll_button.isEnabled()
    window.show_page("慰问帮扶")
    qtbot.waitUntil(lambda: window.care.model.rowCount() > 0, timeout=10_000)
    assert window.care.add_button.isEnabled()
    window.show_page("报表")
    qtbot.waitUntil(lambda: window.reports.monthly.report is not None, timeout=10_000)
    assert window.reports.summary.draft_button.isEnabled()
    window.show_page("设置")
    profile = window.settings_page.profile
    qtbot.waitUntil(lambda: profile.profile_fields["name"].text() != "", timeout=10_000)  # type: ignore[union-attr]
    assert profile.profile_fields["name"].text() == "华东精密机械有限公司工会委员会"  # type: ignore[union-attr]
    assert [name for name in PAGES if not window.is_made(name)] == ["首页"]  # never shown: never made


def test_the_settings_tabs_are_made_when_first_shown(window: MainWindow, qtbot: QtBot) -> None:
    from app.ui.system.audit_panel import AuditPanel
    from app.ui.system.password_panel import PasswordPanel

    window.show_page("设置")
    tabs = window.settings_page
    assert not tabs.findChildren(AuditPanel) and not tabs.findChildren(PasswordPanel)
    titles = [tabs.tabText(i) for i in range(tabs.count())]
    tabs.setCurrentIndex(titles.index("启动密码"))
    panel = tabs.widget(titles.index("启动密码"))
    assert isinstance(panel, PasswordPanel) and tabs.currentWidget() is panel
    qtbot.waitUntil(lambda: panel.state is not None, timeout=10_000)  # it read the open 账套
    assert panel.status_label.text() == "启动密码：未设置"
    assert [tabs.tabText(i) for i in range(tabs.count())] == titles  # the same tabs, in order
    assert not tabs.findChildren(AuditPanel)


def test_a_change_before_a_page_was_made_is_not_missed(
    window: MainWindow, qtbot: QtBot, opened_db: Database
) -> None:
    before = in_roll(opened_db)
    assert window.home_figures.figures is not None and window.home_figures.figures.members == before
    add_member(window, qtbot, "欧阳娜娜", "110105199003070025")  # no 首页, no 会费 page yet
    assert not window.is_made("首页") and not window.is_made("会费")
    assert window.home_figures.stale
    window.show_page("会费")
    qtbot.waitUntil(lambda: window.dues.ledger.figures is not None, timeout=10_000)
    qtbot.waitUntil(lambda: any(r.name == "欧阳娜娜" for r in window.dues.model.rows), timeout=10_000)
    home = window.home  # made now, hidden: the figures read at open, marked stale
    assert home.cards["members"].value.text() == f"{before:,}" and home.refresher.stale
    window.show_page("首页")
    qtbot.waitUntil(lambda: home.cards["members"].value.text() == f"{before + 1:,}", timeout=10_000)
    wait_idle(qtbot)
    # made, it hears what changes from now on
    window.show_page("会员名册")
    add_member(window, qtbot, "司马光", "110105198506120034")
    assert home.refresher.stale and window.dues.ledger.members_refresher.stale


def test_the_home_figures_are_read_at_open_without_the_page(
    window: MainWindow, qtbot: QtBot, opened_db: Database
) -> None:
    assert not window.is_made("首页")
    figures = window.home_figures.figures
    assert figures is not None and figures.members == in_roll(opened_db)
    home = window.home  # made now: it shows them without reading again
    assert running_operations() == 0 and home.figures is figures
    assert home.cards["members"].value.text() == f"{figures.members:,}" and home.status.text() == ""
    assert not home.refresher.stale
    window.show_page("首页")  # the reminders are read once it is on screen
    qtbot.waitUntil(lambda: home.reminders is not None, timeout=10_000)
    assert home.figures is figures


def test_the_roster_s_other_rows_are_read_after_the_home_figures(
    qtbot: QtBot, demo_db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[tuple[str, float]] = []
    lock = threading.Lock()
    real_figures, real_roster = dashboard_module.dashboard_figures, roster_search.load_roster

    def figures(session, today=None):  # type: ignore[no-untyped-def]
        time.sleep(0.4)  # a large 账套's figures
        found = real_figures(session, today)
        with lock:
            events.append(("figures read", time.perf_counter()))
        return found

    def roster(session, limit=None):  # type: ignore[no-untyped-def]
        if limit is None:
            with lock:
                events.append(("whole roster begun", time.perf_counter()))
        return real_roster(session, limit=limit)

    monkeypatch.setattr(dashboard_module, "dashboard_figures", figures)
    monkeypatch.setattr(roster_search, "load_roster", roster)
    window = open_window(qtbot, demo_db_path)
    qtbot.waitUntil(lambda: window.roster.model.total_count == 120, timeout=10_000)
    wait_idle(qtbot)
    assert [what for what, _at in events] == ["figures read", "whole roster begun"]
    assert window.home_figures.figures is not None


def test_slow_figures_hold_the_roster_back_only_so_long(
    qtbot: QtBot, demo_db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = dashboard_module.dashboard_figures

    def slow(session, today=None) -> DashboardFigures:  # type: ignore[no-untyped-def]
        time.sleep(2.5)
        return real(session, today)

    monkeypatch.setattr(dashboard_module, "dashboard_figures", slow)
    monkeypatch.setattr(main_window, "ROSTER_AFTER_FIGURES_MS", 200)
    window = open_window(qtbot, demo_db_path)
    qtbot.waitUntil(lambda: window.roster.model.total_count == 120, timeout=2000)
    assert window.home_figures.reading  # the roster did not wait for them
    qtbot.waitUntil(lambda: window.home_figures.figures is not None, timeout=10_000)
    wait_idle(qtbot)


def test_the_member_panel_is_made_once_the_first_page_shows(qtbot: QtBot, demo_db_path: Path) -> None:
    from app.ui.roster.member_detail import MemberDetailPanel

    window = MainWindow(warn_on_open_failure=False)
    qtbot.addWidget(window)
    window.show()
    assert not window.roster.findChildren(MemberDetailPanel)  # its hint holds the place
    with qtbot.waitSignal(window.roster_ready, timeout=10_000):
        window.open_database(demo_db_path)
    qtbot.waitUntil(lambda: bool(window.roster.findChildren(MemberDetailPanel)), timeout=5000)
    panel = window.roster.detail
    assert panel.isVisible() and panel.pages.currentIndex() == 0  # nobody selected yet
    qtbot.waitUntil(lambda: window.roster.model.total_count == 120, timeout=10_000)
    first = window.roster.model.row_at(0)
    window.roster.select_member(first.id)
    qtbot.waitUntil(lambda: panel.title.text() == first.name, timeout=5000)
    wait_idle(qtbot)
