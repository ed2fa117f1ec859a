"""Run database and file work off the GUI thread (Anki's QueryOp and CollectionOp).

- ``read_operation(parent, context, work)``: ``work(session)`` on the thread pool in a
  read-only ``db.reader()`` session. Reads never announce anything.
- ``write_operation(parent, context, work)``: ``work(session)`` on the one writer thread,
  in one ``db.write`` unit of work (BEGIN IMMEDIATE: it waits for another program's write
  instead of failing). Writes queue there and land one after another, in the order they
  were started. Once committed, on the GUI thread: ``on_success(result)``, then exactly one
  ``context.changed(changes, initiator)`` naming the tables the unit of work touched, as
  the database layer recorded them.
- ``run_operation(parent, work)``: any other background work (reading a file, opening a
  账套), ``work(progress)`` on the thread pool.

The result or the error comes back to the GUI thread. Quick work shows nothing: a busy
cursor after 300 ms, a progress dialog after 600 ms (Anki's progress.py); its 取消 button
sets the Progress flag, the service raises Cancelled at its next step and the unit of work
rolls back, so nothing is written.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from app.services.errors import UserError
from app.services.progress import Cancelled, Progress
from app.ui.context import AppContext, Changes
from app.ui.lifetime import alive

# The progress dialog and the message box are imported when first shown: the window loads this
# module before it first shows, and their classes (and enums) would cost every start.
if TYPE_CHECKING:
    from PySide6.QtWidgets import QProgressDialog
    from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
T = TypeVar("T")

BUSY_CURSOR_DELAY_MS = 300
PROGRESS_DELAY_MS = 600

_running: set[Operation] = set()
_writer: QThreadPool | None = None


class _Parent:
    """The default initiator of a write: the widget that started it."""


PARENT: Any = _Parent()


def writer_pool() -> QThreadPool:
    """The one thread every write runs on, in the order the writes were started."""
    global _writer
    if _writer is None:
        _writer = QThreadPool()
        _writer.setObjectName("uniondesk-writer")
        _writer.setMaxThreadCount(1)
    return _writer


class _Signals(QObject):
    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int, str)


class _Task(QRunnable):
    def __init__(self, work: Callable[[Progress], Any], progress: Progress, signals: _Signals) -> None:
        super().__init__()
        self._work = work
        self._progress = progress
        self._signals = signals

    def run(self) -> None:
        try:
            result = self._work(self._progress)
        except BaseException as exc:  # every failure must reach the GUI thread
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self._signals.failed.emit(exc)
        else:
            self._signals.succeeded.emit(result)


class Operation(QObject):
    """One background call; kept alive until its result has been delivered."""

    def __init__(
        self,
        parent: QWidget | None,
        label: str,
        work: Callable[[Progress], Any],
        on_success: Callable[[Any], None] | None,
        on_failure: Callable[[BaseException], None] | None,
        cancellable: bool,
        *,
        pool: QThreadPool | None = None,
        progress: Progress | None = None,
        quiet: bool = False,
    ) -> None:
        super().__init__()
        self._quiet = quiet  # no busy cursor, no progress dialog: a page that fills in when it comes
        self._parent = parent
        self._label = label
        self._on_success = on_success
        self._on_failure = on_failure
        self._cancellable = cancellable
        self._pool = pool
        self.progress = progress if progress is not None else Progress()
        self.progress.on_report = self._report_from_worker
        self._signals = _Signals()
        self._signals.succeeded.connect(self._succeeded, Qt.ConnectionType.QueuedConnection)
        self._signals.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        self._signals.progressed.connect(self._show_progress, Qt.ConnectionType.QueuedConnection)
        self._dialog: QProgressDialog | None = None
        self._busy = False
        self._done = False
        self._cursor_timer = self._single_shot(self._busy_cursor)
        self._dialog_timer = self._single_shot(self._open_dialog)
        self._work = work

    def _single_shot(self, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(slot)
        return timer

    def start(self) -> None:
        _running.add(self)
        if not self._quiet:
            self._cursor_timer.start(BUSY_CURSOR_DELAY_MS)
            self._dialog_timer.start(PROGRESS_DELAY_MS)
        # Python owns the runnable for its whole life: with Qt's auto-delete the wrapper can be
        # collected while a pool thread still runs it, which crashes the process.
        self._task = _Task(self._work, self.progress, self._signals)
        self._task.setAutoDelete(False)
        (self._pool or QThreadPool.globalInstance()).start(self._task)

    def _report_from_worker(self, done: int, total: int, text: str) -> None:
        self._signals.progressed.emit(done, total, text)

    def _busy_cursor(self) -> None:
        if not self._done and not self._busy:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            self._busy = True

    def _open_dialog(self) -> None:
        # the widget that started the work was closed meanwhile (a tab, a dialog): nobody is
        # looking at it, and a dialog cannot be made on a deleted parent; the cursor stays busy
        if self._done or self.parent_gone():
            return
        from PySide6.QtWidgets import QProgressDialog

        dialog = QProgressDialog(self._label, "取消" if self._cancellable else "", 0, 0, self._parent)
        dialog.setWindowTitle("请稍候")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if self._cancellable:
            dialog.canceled.connect(self.cancel)
        else:
            dialog.setCancelButton(None)
        dialog.show()
        self._dialog = dialog

    def cancel(self) -> None:
        """Ask the work to stop at its next step; what it wrote is rolled back."""
        self.progress.cancel()
        if self._dialog is not None:
            self._dialog.setLabelText("正在取消，已写入的内容将全部撤销……")

    def _show_progress(self, done: int, total: int, text: str) -> None:
        if self._dialog is None or self.progress.cancel_event.is_set():
            return
        self._dialog.setMaximum(max(total, 0))
        self._dialog.setValue(min(done, total))
        if text:
            self._dialog.setLabelText(text)

    def _finish(self) -> None:
        self._done = True
        self._cursor_timer.stop()
        self._dialog_timer.stop()
        if self._busy:
            QApplication.restoreOverrideCursor()
            self._busy = False
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
        _running.discard(self)

    def parent_gone(self) -> bool:
        """The widget that started the work was deleted meanwhile (its dialog closed):
        its callbacks would touch a dead object."""
        return self._parent is not None and not alive(self._parent)

    def _succeeded(self, result: object) -> None:
        self._finish()
        if self._on_success is not None:
            self._on_success(result)

    def _failed(self, error: BaseException) -> None:
        self._finish()
        if self.parent_gone():
            # a write the user must still learn did not happen; a read nobody waits for is dropped
            if self._pool is writer_pool():
                show_error(None, error)
        elif self._on_failure is not None:
            self._on_failure(error)
        else:
            show_error(self._parent, error)


def _while_alive(parent: QWidget | None, callback: Callable[[T], None] | None) -> Callable[[T], None] | None:
    if callback is None or parent is None:
        return callback

    def deliver(result: T) -> None:
        if alive(parent):
            callback(result)

    return deliver


def run_operation(
    parent: QWidget | None,
    work: Callable[[Progress], Any],
    *,
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
    label: str = "正在处理……",
    cancellable: bool = False,
) -> Operation:
    """``work(progress)`` on the thread pool: file work and opening a 账套, not the
    database's reads and writes (those are ``read_operation`` and ``write_operation``)."""
    operation = Operation(parent, label, work, _while_alive(parent, on_success), on_failure, cancellable)
    operation.start()
    return operation


def read_operation(
    parent: QWidget | None,
    context: AppContext,
    work: Callable[[Session], T],
    *,
    on_success: Callable[[T], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
    label: str = "正在读取……",
    cancellable: bool = False,
    progress: Progress | None = None,
    quiet: bool = False,
) -> Operation | None:
    """``work(session)`` on the thread pool in a read-only session of the open 账套
    (nothing when none is open); ``on_success(result)`` on the GUI thread. Never announces
    a change. ``work`` imports the service it calls, so that import too happens off the GUI
    thread. A ``progress`` given here is the one ``work`` reports to and checks for cancel.
    ``quiet``: never a busy cursor or a progress dialog (the 首页, which fills in when ready)."""
    db = context.db
    if db is None:
        return None

    def read(_progress: Progress) -> T:
        with db.reader() as session:
            return work(session)

    operation = Operation(
        parent, label, read, _while_alive(parent, on_success), on_failure, cancellable, progress=progress,
        quiet=quiet,
    )  # fmt: skip
    operation.start()
    return operation


def write_operation(
    parent: QWidget | None,
    context: AppContext,
    work: Callable[[Session], T],
    *,
    on_success: Callable[[T], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
    label: str = "正在保存……",
    cancellable: bool = False,
    progress: Progress | None = None,
    initiator: object = PARENT,
    actor: str | None = None,
) -> Operation | None:
    """``work(session)`` on the writer thread in one unit of work of the open 账套
    (nothing when none is open), committed as a whole or not at all.

    On success, on the GUI thread: ``on_success(result)``, then one
    ``context.changed(Changes(touched tables), initiator)`` — ``initiator`` is ``parent``
    unless given (None: nobody in particular). Nothing is announced when the work touched
    no table, failed or was cancelled (then it rolled back). ``actor`` is the name the
    audit log records. A ``progress`` given here is the one ``work`` reports to and checks
    for cancel (``cancellable`` shows the 取消 button)."""
    db = context.db
    if db is None:
        return None
    who = parent if initiator is PARENT else initiator

    def write(_progress: Progress) -> tuple[T, frozenset[str]]:
        return db.write(work, actor)

    def written(outcome: tuple[T, frozenset[str]]) -> None:
        result, touched = outcome
        try:
            if on_success is not None and (parent is None or alive(parent)):
                on_success(result)
        finally:
            if touched and context.db is db:
                context.changed.emit(Changes(touched), who)

    operation = Operation(
        parent, label, write, written, on_failure, cancellable, pool=writer_pool(), progress=progress
    )
    operation.start()
    return operation


def show_error(parent: QWidget | None, error: BaseException) -> None:
    """Errors for the user (bad input, a 账套 that is busy, full, read-only or damaged)
    read as themselves; anything else is a bug: say so and log the details."""
    from app.db_file import DatabaseOpenError

    if isinstance(error, Cancelled):
        return
    from app.ui.crash_dialog import show_crash, told_unattended

    if isinstance(error, UserError | DatabaseOpenError):
        if told_unattended(f"无法完成：{error}"):
            return
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(parent, "无法完成", str(error))
        return
    details = getattr(error, "__traceback_text__", repr(error))
    log.error("操作失败：%s", details)

    show_crash(parent, details, headline="操作没有完成，数据没有被改动。")


def running_operations() -> int:
    return len(_running)


def wait_for_operations(msecs: int = 10_000) -> bool:
    """Block until the background threads are idle (reads and writes), e.g. before the
    账套 is closed; True when they finished in time."""
    done = QThreadPool.globalInstance().waitForDone(msecs)
    return (_writer is None or _writer.waitForDone(msecs)) and done
