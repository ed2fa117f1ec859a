"""The dialog for an error nobody expected (a bug in the program), and the hooks that bring
every such error to it: ``sys.excepthook`` (an exception in a slot or an event handler on the
GUI thread) and ``threading.excepthook`` (a thread of our own). Failed operations come here
too, through ``operations.show_error``, so the two never differ.

It says in plain words what happened, that the data already saved is safe (each action is
one transaction: one that did not finish wrote nothing), where the log is, and that the
user can go on working; 打开日志文件夹 and 复制详细信息 help them send it to support.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import time
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger("uniondesk.crash")

HEADLINE = "程序遇到了一个意外的错误，刚才的操作可能没有完成。"
SAFE = (
    "已经保存的数据是安全的：每一项操作都是作为一个整体保存的，没有完成的操作不会写入账套，"
    "也不会只写入一半。您可以继续使用程序；如果刚才的操作没有完成，请再做一次。"
)
ASK_SUPPORT = "如果这个问题反复出现，请点“复制详细信息”，或打开日志文件夹，把 uniondesk.log 发给技术支持。"
REPEAT_SECONDS = 30.0  # the same uncaught error again within this time is only logged

_open: CrashDialog | None = None
_last_shown: dict[str, float] = {}
_unattended: Callable[[str], None] | None = None


def run_unattended(report: Callable[[str], None] | None) -> None:
    """Nobody is at the screen (``gui --quit-when-ready``, a script): from now on an error
    that would open a dialog is given to ``report`` as one line of Chinese instead (it ends
    the program); a modal dialog would wait for ever. None: dialogs again."""
    global _unattended
    _unattended = report


def told_unattended(message: str) -> bool:
    """Give ``message`` to the unattended report, when there is one (then True)."""
    if _unattended is None:
        return False
    _unattended(message)
    return True


def _log_folder_and_words() -> tuple[str, str]:
    from app.log_setup import log_file, where_the_log_is
    from app.paths import log_dir

    path = log_file()
    return str(path.parent if path is not None else log_dir()), where_the_log_is()


def full_details(details: str) -> str:
    """What 复制详细信息 copies: the program's version, the system, the log, the traceback."""
    import platform

    from app import __version__

    _folder, where = _log_folder_and_words()
    return (
        f"UnionDesk {__version__}\n时间：{time.strftime('%Y-%m-%d %H:%M:%S')}\n"
        f"系统：{platform.platform()}，Python {platform.python_version()}\n{where}\n\n{details.rstrip()}\n"
    )


class CrashDialog(QDialog):
    def __init__(self, details: str, headline: str = HEADLINE, parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import QStyle  # here: at module level it costs every start-up ~10 ms

        super().__init__(parent)
        self.setWindowTitle("程序出错")
        self.details = full_details(details)
        self.folder, where = _log_folder_and_words()

        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(48, 48))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.headline = QLabel(headline)
        self.headline.setStyleSheet("font-weight: bold; font-size: 11pt;")
        self.headline.setWordWrap(True)
        self.safe = QLabel(SAFE)
        self.safe.setWordWrap(True)
        self.where = QLabel(f"详细情况已记入日志。{where}\n{ASK_SUPPORT}")
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QLabel()  # 已复制 …
        self.note.setStyleSheet("color: #2e7d32;")

        self.text = QPlainTextEdit(self.details)
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setMinimumHeight(160)
        self.text.hide()  # a traceback frightens more than it tells; support asks for it
        self.toggle = QPushButton("显示详细信息")
        self.toggle.setCheckable(True)
        self.toggle.toggled.connect(self._show_details)

        self.open_folder_button = QPushButton("打开日志文件夹")
        self.open_folder_button.clicked.connect(self.open_log_folder)
        self.copy_button = QPushButton("复制详细信息")
        self.copy_button.clicked.connect(self.copy_details)
        self.continue_button = QPushButton("继续使用")
        self.continue_button.setDefault(True)
        self.continue_button.clicked.connect(self.accept)

        words = QVBoxLayout()
        for label in (self.headline, self.safe, self.where):
            words.addWidget(label)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addLayout(words, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.toggle)
        buttons.addWidget(self.open_folder_button)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.note, 1)
        buttons.addWidget(self.continue_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.text, 1)
        layout.addLayout(buttons)
        self.setMinimumWidth(560)

    def _show_details(self, shown: bool) -> None:
        self.text.setVisible(shown)
        self.toggle.setText("隐藏详细信息" if shown else "显示详细信息")
        self.adjustSize()

    def open_log_folder(self) -> bool:
        from pathlib import Path

        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        folder = Path(self.folder)
        with contextlib.suppress(OSError):  # it opens even when no line has been logged yet
            folder.mkdir(parents=True, exist_ok=True)
        opened = folder.is_dir() and QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
        self.note.setText("" if opened else f"无法打开文件夹，请自己打开：{folder}")
        self.note.setStyleSheet("color: #2e7d32;" if opened else "color: #c0392b;")
        return opened

    def copy_details(self) -> None:
        QApplication.clipboard().setText(self.details)
        self.note.setStyleSheet("color: #2e7d32;")
        self.note.setText("已复制到剪贴板，可以粘贴到微信或邮件中")


def show_crash(
    parent: QWidget | None, details: str, *, headline: str = HEADLINE, once_in_a_while: bool = False
) -> None:
    """The dialog, modal; ``details`` were logged by the caller. While one is open, another
    error is only logged (an error in painting would otherwise open dialogs without end);
    ``once_in_a_while``: the same error again within REPEAT_SECONDS is only logged."""
    global _open
    if _open is not None:
        return
    if told_unattended(f"程序出错：{headline}{_log_folder_and_words()[1]}"):
        return
    now = time.monotonic()
    if once_in_a_while:
        if now - _last_shown.get(details, -REPEAT_SECONDS) < REPEAT_SECONDS:
            return
        _last_shown[details] = now
    dialog = CrashDialog(details, headline, parent)
    _open = dialog
    try:
        dialog.exec()
    finally:
        _open = None
        dialog.deleteLater()


def _tell(details: str) -> None:
    """An uncaught error: the dialog when the window runs, else one line on the terminal."""
    if QApplication.instance() is None:
        from app.log_setup import where_the_log_is

        print(f"程序出错：{HEADLINE}{where_the_log_is()}", file=sys.stderr)
        return
    try:
        show_crash(QApplication.activeWindow(), details, once_in_a_while=True)
    except Exception:  # the dialog itself failed: the log still has both
        log.exception("无法显示出错对话框")


def on_exception(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
    """``sys.excepthook``: an exception nothing caught on the GUI thread."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, tb)
        return
    details = "".join(traceback.format_exception(kind, error, tb))
    log.error("未预料的错误：\n%s", details)
    if threading.current_thread() is threading.main_thread():
        _tell(details)
    else:
        _relay().error.emit(details)


def on_thread_exception(args: threading.ExceptHookArgs) -> None:
    """``threading.excepthook``: a thread of ours died of an exception; told on the GUI thread."""
    if args.exc_type is SystemExit:
        return
    details = "".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback))
    name = args.thread.name if args.thread is not None else "?"
    log.error("线程 %s 中未预料的错误：\n%s", name, details)
    _relay().error.emit(details)


class _Relay(QObject):
    """Lives on the GUI thread: a signal emitted from another thread is delivered there."""

    error = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.error.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @Slot(str)
    def _deliver(self, details: str) -> None:
        _tell(details)


_relay_object: _Relay | None = None


def _relay() -> _Relay:
    global _relay_object
    if _relay_object is None:  # made by install_crash_hooks, on the GUI thread
        _relay_object = _Relay()
    return _relay_object


def install_crash_hooks() -> None:
    """From now on every uncaught error is logged and shown in the dialog. Call on the GUI thread."""
    _relay()
    sys.excepthook = on_exception
    threading.excepthook = on_thread_exception
