"""Reads and writes off the GUI thread: writes queue on one writer thread and announce,
once, the tables they touched; reads announce nothing; errors come back typed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import Database, DatabaseBusyError, DiskFullError
from app.domain.members import MemberInput
from app.models import Group, Member
from app.services.errors import UserError
from app.services.progress import Cancelled, Progress
from app.ui import operations
from app.ui.context import AppContext, Changes
from app.ui.crash_dialog import CrashDialog
from app.ui.lifetime import alive
from app.ui.operations import read_operation, running_operations, show_error, write_operation, writer_pool
from tests.ui.conftest import wait_idle


@pytest.fixture
def context(db: Database) -> Iterator[AppContext]:
    ctx = AppContext()
    ctx.db = db
    yield ctx


class Recorder:
    def __init__(self, context: AppContext) -> None:
        self.changes: list[tuple[Changes, object]] = []
        context.changed.connect(lambda changes, initiator: self.changes.append((changes, initiator)))


def _add_member(session: Session) -> int:
    from app.services.roster.members import create_member

    return create_member(session, MemberInput(name="欧阳娜娜", id_number="110105199003070025"))


def _settle(qtbot: QtBot) -> None:
    """Every operation delivered, and anything queued behind it too."""
    wait_idle(qtbot)
    QApplication.processEvents()


def test_a_write_announces_once_what_it_touched(qtbot: QtBot, context: AppContext, db: Database) -> None:
    seen = Recorder(context)
    parent = QWidget()
    qtbot.addWidget(parent)
    results: list[int] = []
    with qtbot.waitSignal(context.changed, timeout=5000):
        write_operation(parent, context, _add_member, on_success=results.append)
    _settle(qtbot)
    assert len(seen.changes) == 1
    changes, initiator = seen.changes[0]
    assert changes.touches("members") and "members" in changes.tables
    assert not changes.touches("groups", "union_profile")
    assert initiator is parent  # the widget that started it, unless told otherwise
    with db.reader() as session:
        assert session.get(Member, results[0]) is not None


def test_the_initiator_can_be_named(qtbot: QtBot, context: AppContext) -> None:
    seen = Recorder(context)
    with qtbot.waitSignal(context.changed, timeout=5000):
        write_operation(None, context, _add_member, initiator="wizard")
    assert seen.changes[0][1] == "wizard"


def test_a_read_announces_nothing(qtbot: QtBot, context: AppContext) -> None:
    seen = Recorder(context)
    counted: list[int] = []

    def count(session: Session) -> int:
        return int(session.scalar(select(func.count()).select_from(Member)) or 0)

    with qtbot.waitCallback(timeout=5000) as done:
        read_operation(None, context, count, on_success=lambda n: (counted.append(n), done()))
    _settle(qtbot)
    assert counted == [0]
    assert seen.changes == []


def test_a_failed_write_announces_nothing_and_writes_nothing(
    qtbot: QtBot, context: AppContext, db: Database
) -> None:
    seen = Recorder(context)
    failures: list[BaseException] = []

    def half_then_fail(session: Session) -> None:
        _add_member(session)
        session.flush()
        raise UserError("不能保存")

    with qtbot.waitCallback(timeout=5000) as failed:
        write_operation(None, context, half_then_fail, on_failure=lambda e: (failures.append(e), failed()))
    _settle(qtbot)
    assert [str(e) for e in failures] == ["不能保存"]
    assert seen.changes == []
    with db.reader() as session:
        assert session.scalar(select(func.count()).select_from(Member)) == 0


def test_a_cancelled_write_rolls_back(qtbot: QtBot, context: AppContext, db: Database) -> None:
    seen = Recorder(context)
    progress = Progress()
    errors: list[BaseException] = []

    def steps(session: Session) -> None:
        _add_member(session)
        progress.cancel()  # as the dialog's 取消 does
        progress.step(1, 2)

    with qtbot.waitCallback(timeout=5000) as failed:
        write_operation(
            None,
            context,
            steps,
            progress=progress,
            cancellable=True,
            on_failure=lambda e: (errors.append(e), failed()),
        )
    _settle(qtbot)
    assert isinstance(errors[0], Cancelled)
    assert seen.changes == []
    with db.reader() as session:
        assert session.scalar(select(func.count()).select_from(Member)) == 0


def test_writes_run_one_after_another_in_order(qtbot: QtBot, context: AppContext, db: Database) -> None:
    assert writer_pool().maxThreadCount() == 1
    seen = Recorder(context)
    gate, first_done = threading.Event(), threading.Event()
    started: list[str] = []
    second_saw_first_done: list[bool] = []
    threads: set[str] = set()
    landed: list[str] = []

    def first(session: Session) -> int:
        started.append("甲")
        threads.add(threading.current_thread().name)
        gate.wait(5)  # held until the second write has been queued
        session.add(Group(name="甲"))
        session.flush()
        first_done.set()
        return 1

    def second(session: Session) -> int:
        started.append("乙")
        threads.add(threading.current_thread().name)
        second_saw_first_done.append(first_done.is_set())
        session.add(Group(name="乙"))
        return 2

    write_operation(None, context, first, on_success=lambda _r: landed.append("甲"), initiator="甲")
    write_operation(None, context, second, on_success=lambda _r: landed.append("乙"), initiator="乙")
    qtbot.waitUntil(lambda: started == ["甲"], timeout=5000)
    gate.set()
    qtbot.waitUntil(lambda: len(seen.changes) == 2, timeout=5000)
    _settle(qtbot)
    assert started == ["甲", "乙"] and second_saw_first_done == [True]
    assert landed == ["甲", "乙"]
    assert [initiator for _changes, initiator in seen.changes] == ["甲", "乙"]
    assert all(changes.touches("groups") for changes, _ in seen.changes)
    assert len(threads) == 1 and threading.main_thread().name not in threads
    with db.reader() as session:
        assert session.scalars(select(Group.name).order_by(Group.id)).all() == ["甲", "乙"]


def test_quick_work_shows_nothing_slow_work_a_busy_cursor_then_a_dialog(
    qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    with qtbot.waitCallback(timeout=5000) as done:
        read_operation(parent, context, lambda _s: 1, on_success=lambda _r: done())
    assert parent.findChild(QProgressDialog) is None and QApplication.overrideCursor() is None
    monkeypatch.setattr(operations, "BUSY_CURSOR_DELAY_MS", 30)  # slow work, without waiting long
    monkeypatch.setattr(operations, "PROGRESS_DELAY_MS", 60)
    gate = threading.Event()
    write_operation(parent, context, lambda _s: gate.wait(5), label="正在保存……")
    qtbot.waitUntil(lambda: QApplication.overrideCursor() is not None, timeout=5000)
    qtbot.waitUntil(lambda: parent.findChild(QProgressDialog) is not None, timeout=5000)
    dialog = parent.findChild(QProgressDialog)
    assert dialog is not None and dialog.labelText() == "正在保存……"
    gate.set()
    qtbot.waitUntil(lambda: running_operations() == 0, timeout=5000)
    assert QApplication.overrideCursor() is None


def test_slow_work_whose_widget_was_closed_opens_no_dialog(
    qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tab or dialog closed while its work goes on past the progress dialog's delay: the
    work finishes and is announced, and no dialog is made on the deleted widget."""
    monkeypatch.setattr(operations, "PROGRESS_DELAY_MS", 60)
    seen = Recorder(context)
    parent = QWidget()
    gate = threading.Event()

    def slow_add(session: Session) -> int:
        gate.wait(5)
        return _add_member(session)

    write_operation(parent, context, slow_add, initiator=None)
    read_operation(parent, context, lambda _session: gate.wait(5))
    parent.deleteLater()
    qtbot.waitUntil(lambda: not alive(parent), timeout=5000)
    qtbot.wait(150)  # past the dialog's delay, the work still running
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]
    gate.set()
    qtbot.waitUntil(lambda: running_operations() == 0, timeout=5000)
    assert len(seen.changes) == 1 and seen.changes[0][0].touches("members")


@pytest.mark.parametrize(
    "error", [DatabaseBusyError("账套“a.db”正被其他程序使用"), DiskFullError("磁盘已满")]
)
def test_database_errors_are_warnings_with_their_message(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    warned: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text, *a: warned.append((title, text)))
    monkeypatch.setattr(CrashDialog, "exec", lambda _self: pytest.fail("shown as 程序出错"))
    show_error(None, error)
    assert warned == [("无法完成", str(error))]


def test_a_write_failing_on_the_database_comes_back_typed(
    qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warned.append(text))
    monkeypatch.setattr(CrashDialog, "exec", lambda _self: pytest.fail("shown as 程序出错"))

    def busy(_session: Session) -> Any:
        raise DatabaseBusyError("账套“union.db”正被其他程序使用，请稍后再试")

    write_operation(None, context, busy)
    qtbot.waitUntil(lambda: bool(warned), timeout=5000)
    assert "正被其他程序使用" in warned[0]


def test_nothing_runs_without_an_open_database(qtbot: QtBot) -> None:
    context = AppContext()
    assert write_operation(None, context, _add_member) is None
    assert read_operation(None, context, lambda _s: 1) is None


def test_a_closed_dialog_gets_no_result_but_the_change_is_still_announced(
    qtbot: QtBot, context: AppContext
) -> None:
    """The user closed the dialog while its write was under way: the write lands, the rest
    of the window hears of it, and nothing touches the deleted dialog."""
    seen = Recorder(context)
    parent = QWidget()
    delivered: list[object] = []
    gate = threading.Event()

    def slow_add(session: Session) -> int:
        gate.wait(5)
        return _add_member(session)

    write_operation(parent, context, slow_add, on_success=delivered.append, initiator=None)
    read_operation(parent, context, lambda session: gate.wait(5), on_success=delivered.append)
    parent.deleteLater()
    qtbot.waitUntil(lambda: not alive(parent), timeout=5000)
    gate.set()
    with qtbot.waitSignal(context.changed, timeout=5000):
        pass
    _settle(qtbot)
    assert delivered == []
    assert len(seen.changes) == 1 and seen.changes[0][0].touches("members")


def test_after_its_dialog_closed_a_failed_write_is_told_and_a_failed_read_is_not(
    qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _title, text, *a: told.append(text))
    gate = threading.Event()

    def refuse(_session: Session) -> None:
        gate.wait(5)
        raise UserError("写不进去")

    def refuse_read(_session: Session) -> None:
        gate.wait(5)
        raise UserError("读不出来")

    parent = QWidget()
    failed: list[BaseException] = []
    write_operation(parent, context, refuse, on_failure=failed.append)
    read_operation(parent, context, refuse_read, on_failure=failed.append)
    parent.deleteLater()
    qtbot.waitUntil(lambda: not alive(parent), timeout=5000)
    gate.set()
    qtbot.waitUntil(lambda: running_operations() == 0, timeout=5000)
    _settle(qtbot)
    assert told == ["写不进去"] and failed == []
