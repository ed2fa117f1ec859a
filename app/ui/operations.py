"""Run database and file work off the GUI thread, Anki-style.

``run_operation`` starts ``work(progress)`` on the thread pool and brings the result
or the error back to the GUI thread. A progress dialog appears only when the work
takes longer than ~0.5 s, so quick work never flashes one; its cancel button sets the
Progress flag, and the service raises Cancelled at its next step, rolling back.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from app.services.errors import UserError
from app.services.progress import Cancelled, Progress

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.db import Database

log = logging.getLogger(__name__)
PROGRESS_DELAY_MS = 500

_running: set[Operation] = set()


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
    ) -> None:
        super().__init__()
        self._parent = parent
        self._label = label
        self._on_success = on_success
        self._on_failure = on_failure
        self._cancellable = cancellable
        self.progress = Progress(on_report=self._report_from_worker)
        self._signals = _Signals()
        self._signals.succeeded.connect(self._succeeded, Qt.ConnectionType.QueuedConnection)
        self._signals.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        self._signals.progressed.connect(self._show_progress, Qt.ConnectionType.QueuedConnection)
        self._dialog: QProgressDialog | None = None
        self._done = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._open_dialog)
        self._work = work

    def start(self) -> None:
        _running.add(self)
        self._timer.start(PROGRESS_DELAY_MS)
        # Python owns the runnable for its whole life: with Qt's auto-delete the wrapper can be
        # collected while a pool thread still runs it, which crashes the process.
        self._task = _Task(self._work, self.progress, self._signals)
        self._task.setAutoDelete(False)
        QThreadPool.globalInstance().start(self._task)

    def _report_from_worker(self, done: int, total: int, text: str) -> None:
        self._signals.progressed.emit(done, total, text)

    def _open_dialog(self) -> None:
        if self._done:
            return
        dialog = QProgressDialog(self._label, "取消" if self._cancellable else "", 0, 0, self._parent)
        dialog.setWindowTitle("请稍候")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if self._cancellable:
            dialog.canceled.connect(self._cancel)
        else:
            dialog.setCancelButton(None)
        dialog.show()
        self._dialog = dialog

    def _cancel(self) -> None:
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
        self._timer.stop()
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
        _running.discard(self)

    def _succeeded(self, result: object) -> None:
        self._finish()
        if self._on_success is not None:
            self._on_success(result)

    def _failed(self, error: BaseException) -> None:
        self._finish()
        if self._on_failure is not None:
            self._on_failure(error)
        else:
            show_error(self._parent, error)


def run_operation(
    parent: QWidget | None,
    work: Callable[[Progress], Any],
    *,
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
    label: str = "正在处理……",
    cancellable: bool = False,
) -> Operation:
    operation = Operation(parent, label, work, on_success, on_failure, cancellable)
    operation.start()
    return operation


def run_in_session(
    parent: QWidget | None, db: Database | None, work: Callable[[Session], Any], **options: Any
) -> Operation | None:
    """``work(session)`` in the background, in one transaction of ``db`` (nothing if no 账套 is open).

    ``work`` imports the service it calls, so that import too happens off the GUI thread.
    """
    if db is None:
        return None
    database = db

    def in_session(_progress: Progress) -> Any:
        with database.session() as session:
            return work(session)

    return run_operation(parent, in_session, **options)


def show_error(parent: QWidget | None, error: BaseException) -> None:
    """User errors read as themselves; anything else is a bug: say so and log the details."""
    if isinstance(error, Cancelled):
        return
    if isinstance(error, UserError):
        QMessageBox.warning(parent, "无法完成", str(error))
        return
    details = getattr(error, "__traceback_text__", repr(error))
    log.error("操作失败：%s", details)
    box = QMessageBox(QMessageBox.Icon.Critical, "程序出错", "操作没有完成，数据没有被改动。", parent=parent)
    box.setInformativeText(f"出错信息：{error}\n\n如果问题反复出现，请把下面的详细信息发给技术支持。")
    box.setDetailedText(details)
    box.exec()


def running_operations() -> int:
    return len(_running)
