"""Pages reload by what changed: a visible page at once, a hidden one when next shown."""

from __future__ import annotations

from PySide6.QtWidgets import QStackedWidget, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.db import Database
from app.models import Group, Member, MembershipEvent, UnionProfile
from app.models.roster import DuesBaseWage
from app.ui import context as ctx
from app.ui.context import AppContext, Changes, RefreshWhenShown
from app.ui.main_window import MainWindow
from app.ui.operations import write_operation
from tests.ui.conftest import wait_idle


def test_changes_and_the_table_names_pages_watch() -> None:
    changes = Changes.of(["members", "audit_log"])
    assert changes.touches("members") and changes.touches("groups", "members")
    assert not changes.touches("groups") and not changes.touches()
    assert not Changes() and changes
    # context.py names the tables without importing the models (it loads before SQLAlchemy)
    assert Member.__tablename__ == ctx.MEMBERS
    assert Group.__tablename__ == ctx.GROUPS
    assert MembershipEvent.__tablename__ == ctx.MEMBER_EVENTS
    assert DuesBaseWage.__tablename__ == ctx.WAGES
    assert UnionProfile.__tablename__ == ctx.PROFILE


class _Pages:
    def __init__(self, qtbot: QtBot) -> None:
        self.context = AppContext()
        self.stack = QStackedWidget()
        qtbot.addWidget(self.stack)
        self.front, self.back = QWidget(), QWidget()
        self.stack.addWidget(self.front)
        self.stack.addWidget(self.back)
        self.stack.show()
        self.reloads = {"front": 0, "back": 0}
        self.front_refresher = RefreshWhenShown(
            self.front, self.context, ["members"], lambda: self._count("front")
        )
        self.back_refresher = RefreshWhenShown(
            self.back,
            self.context,
            ["members", "groups"],
            lambda: self._count("back"),
            handled=lambda _changes, initiator: initiator == "handled",
        )

    def _count(self, page: str) -> None:
        self.reloads[page] += 1

    def change(self, *tables: str, initiator: object = None) -> None:
        self.context.changed.emit(Changes.of(tables), initiator)


def test_visible_page_reloads_hidden_page_waits_until_shown_then_reloads_once(qtbot: QtBot) -> None:
    pages = _Pages(qtbot)
    assert pages.front.isVisible() and not pages.back.isVisible()
    pages.change("members", "audit_log")
    assert pages.reloads == {"front": 1, "back": 0}  # the hidden page did no work
    assert pages.back_refresher.stale
    pages.change("groups")  # two changes while hidden ...
    assert pages.reloads == {"front": 1, "back": 0}
    pages.stack.setCurrentWidget(pages.back)
    assert pages.reloads == {"front": 1, "back": 1}  # ... one reload when shown
    assert not pages.back_refresher.stale
    pages.stack.setCurrentWidget(pages.front)
    pages.stack.setCurrentWidget(pages.back)  # shown again, nothing changed: no reload
    assert pages.reloads == {"front": 1, "back": 1}


def test_unrelated_and_claimed_changes_do_not_reload(qtbot: QtBot) -> None:
    pages = _Pages(qtbot)
    pages.change("union_profile")
    assert pages.reloads == {"front": 0, "back": 0} and not pages.back_refresher.stale
    pages.change("groups", initiator="handled")  # the page brings this change in itself
    assert not pages.back_refresher.stale


def test_a_page_reloads_for_its_own_change_even_when_hidden(qtbot: QtBot) -> None:
    pages = _Pages(qtbot)
    pages.change("groups", initiator=pages.back)
    assert pages.reloads == {"front": 0, "back": 1} and not pages.back_refresher.stale


def test_hidden_home_page_reads_again_only_when_shown(
    window: MainWindow, qtbot: QtBot, opened_db: Database
) -> None:
    home = window.home
    with opened_db.reader() as session:
        in_roll = session.scalar(
            select(func.count()).select_from(Member).where(Member.status.in_(("在会", "保留会籍")))
        )
    assert home.cards["members"].value.text() == str(in_roll)
    assert window.stack.currentWidget() is window.roster and not home.isVisible()
    refreshed: list[bool] = []
    original = home.show_figures
    home.show_figures = lambda figures: (refreshed.append(True), original(figures))  # type: ignore[method-assign]

    def add(session):  # type: ignore[no-untyped-def]
        from app.domain.members import MemberInput
        from app.services.roster.members import create_member

        return create_member(session, MemberInput(name="欧阳娜娜", id_number="110105199003070025"))

    with qtbot.waitSignal(window.context.changed, timeout=5000):
        write_operation(window.roster, window.context, add)
    wait_idle(qtbot)
    assert home.refresher.stale and refreshed == []  # hidden: nothing read
    assert home.cards["members"].value.text() == str(in_roll)
    window.show_page("首页")
    qtbot.waitUntil(lambda: home.cards["members"].value.text() == str(in_roll + 1), timeout=5000)
    wait_idle(qtbot)
    assert refreshed == [True] and not home.refresher.stale


def test_the_home_page_shows_the_care_reminders(window: MainWindow, qtbot: QtBot) -> None:
    """The demo's hardship files include some due for review: the 首页 names them."""
    from app.models import CareRecord, HardshipFile
    from app.services.care import care_reminders
    from app.ui.care import RECORDS
    from app.ui.reports.home_page import HARDSHIP_FILES, SHOWN_PER_KIND

    assert (CareRecord.__tablename__, HardshipFile.__tablename__) == (RECORDS, HARDSHIP_FILES)
    assert window.context.db is not None
    with window.context.db.reader() as session:
        found = care_reminders(session)
    home = window.home
    window.show_page("首页")  # the reminders are read once the page is on screen
    qtbot.waitUntil(lambda: home.reminders is not None, timeout=5000)
    assert home.reminders is not None
    shown = " ".join(line.text() for line in home.reminder_lines("reviews"))
    for row in found.reviews[:SHOWN_PER_KIND]:
        assert row.name in shown
    assert [r.target.id for r in home.reminders.group("reviews").items] == [r.id for r in found.reviews]
    birthdays = home.reminders.group("birthdays").items
    in_order = sorted(found.birthdays, key=lambda p: (p.day, p.member_id))
    assert [r.target.id for r in birthdays] == [p.member_id for p in in_order]
    assert str(len(found.birthdays)) in home.reminder_boxes["birthdays"].title.text()
