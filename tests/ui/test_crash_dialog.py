"""The dialog for an error nobody expected: what happened, that saved data is safe, where the
log is; reached from a failed operation, an exception in a slot and one in a thread."""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

import app.ui.crash_dialog as crash
from app.log_setup import LOG_NAME, configure_logging
from app.services.errors import UserError
from app.ui.crash_dialog import CrashDialog, install_crash_hooks, on_exception
from app.ui.operations import show_error

SHOTS = os.environ.get("UNIONDESK_SHOTS")


@pytest.fixture(autouse=True)
def logged_and_restored(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The log in this test's home; the hooks and the root logger as they were afterwards."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    monkeypatch.setattr(crash, "_last_shown", {})
    monkeypatch.setattr(crash, "_unattended", None)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    path = configure_logging()
    assert path is not None
    yield path
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[CrashDialog]:
    """Dialogs that would have been shown (exec is modal), with the thread that showed them."""
    dialogs: list[CrashDialog] = []

    def record(self: CrashDialog) -> int:
        assert threading.current_thread() is threading.main_thread()
        dialogs.append(self)
        return 1

    monkeypatch.setattr(CrashDialog, "exec", record)
    monkeypatch.setattr(CrashDialog, "deleteLater", lambda self: None)  # looked at after closing
    return dialogs


def _raise(error: BaseException) -> tuple[type[BaseException], BaseException, object]:
    try:
        raise error
    except BaseException as caught:  # the point is to have its traceback
        return type(caught), caught, caught.__traceback__


def test_a_failed_operation_shows_the_same_dialog_with_its_own_headline(
    qtbot: QtBot, shown: list[CrashDialog], logged_and_restored: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "exec", lambda _self: pytest.fail("the old message box"))
    error = ValueError("内部错误")
    error.__traceback_text__ = "Traceback (most recent call last):\nValueError: 内部错误\n"  # type: ignore[attr-defined]
    show_error(None, error)
    assert len(shown) == 1
    dialog = shown[0]
    assert dialog.windowTitle() == "程序出错"
    assert dialog.headline.text() == "操作没有完成，数据没有被改动。"
    assert (
        "已经保存的数据是安全的" in dialog.safe.text() and "没有完成的操作不会写入账套" in dialog.safe.text()
    )
    assert str(logged_and_restored) in dialog.where.text()
    assert "ValueError: 内部错误" in dialog.details
    assert "ValueError: 内部错误" in logged_and_restored.read_text(encoding="utf-8")
    assert [b.text() for b in (dialog.open_folder_button, dialog.copy_button, dialog.continue_button)] == [
        "打开日志文件夹", "复制详细信息", "继续使用",
    ]  # fmt: skip


def test_an_uncaught_error_is_logged_and_shown_once_in_a_while(
    qtbot: QtBot, shown: list[CrashDialog], logged_and_restored: Path
) -> None:
    on_exception(*_raise(KeyError("没有这一项")))  # type: ignore[arg-type]
    assert len(shown) == 1 and shown[0].headline.text().startswith("程序遇到了一个意外的错误")
    text = logged_and_restored.read_text(encoding="utf-8")
    assert "未预料的错误" in text and "KeyError: '没有这一项'" in text
    on_exception(*_raise(KeyError("没有这一项")))  # type: ignore[arg-type]
    assert len(shown) == 1  # the very same error again at once (a repaint, say): only logged
    assert logged_and_restored.read_text(encoding="utf-8").count("未预料的错误") == 2
    on_exception(*_raise(KeyError("另一项")))  # type: ignore[arg-type]
    assert len(shown) == 2


def test_while_the_dialog_is_open_another_error_is_only_logged(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, logged_and_restored: Path
) -> None:
    opened: list[CrashDialog] = []

    def exec_and_fail_again(self: CrashDialog) -> int:
        opened.append(self)
        on_exception(*_raise(RuntimeError("画的时候又出错")))  # type: ignore[arg-type]
        return 1

    monkeypatch.setattr(CrashDialog, "exec", exec_and_fail_again)
    on_exception(*_raise(RuntimeError("第一次")))  # type: ignore[arg-type]
    assert len(opened) == 1 and crash._open is None
    assert "画的时候又出错" in logged_and_restored.read_text(encoding="utf-8")


def test_an_exception_in_a_slot_reaches_the_dialog(qtbot: QtBot, shown: list[CrashDialog]) -> None:
    install_crash_hooks()

    def slot() -> None:
        raise ZeroDivisionError("槽函数中的错误")

    QTimer.singleShot(0, slot)
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=5000)
    assert "ZeroDivisionError: 槽函数中的错误" in shown[0].details


def test_an_exception_in_a_thread_is_shown_on_the_gui_thread(
    qtbot: QtBot, shown: list[CrashDialog], logged_and_restored: Path
) -> None:
    install_crash_hooks()

    def work() -> None:
        raise OSError("线程中的错误")

    thread = threading.Thread(target=work, name="导出线程")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=5000)  # the fixture asserts: on the GUI thread
    assert "OSError: 线程中的错误" in shown[0].details
    assert "线程 导出线程 中未预料的错误" in logged_and_restored.read_text(encoding="utf-8")


def test_copy_and_open_the_log_folder(
    qtbot: QtBot, logged_and_restored: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = CrashDialog("Traceback (most recent call last):\nKeyError: 'x'\n")
    qtbot.addWidget(dialog)
    dialog.copy_details()
    copied = QApplication.clipboard().text()
    assert copied.startswith("UnionDesk ") and "KeyError: 'x'" in copied and LOG_NAME in copied
    assert dialog.note.text().startswith("已复制")

    urls: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        urls.append(url)
        return True

    monkeypatch.setattr("PySide6.QtGui.QDesktopServices.openUrl", open_url)
    assert dialog.open_log_folder()
    assert [u.toLocalFile() for u in urls] == [str(logged_and_restored.parent)]

    assert dialog.text.isHidden()
    dialog.toggle.click()
    assert not dialog.text.isHidden() and dialog.toggle.text() == "隐藏详细信息"
    if SHOTS:
        dialog.toggle.click()
        dialog.show()
        dialog.adjustSize()
        qtbot.wait(50)
        dialog.grab().save(str(Path(SHOTS) / "error_dialog.png"))


def test_with_nobody_at_the_screen_errors_are_reported_not_shown(
    qtbot: QtBot, shown: list[CrashDialog], logged_and_restored: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``gui --quit-when-ready``: a dialog would wait for ever for a click that never comes."""
    monkeypatch.setattr(
        QMessageBox, "exec", lambda _self: pytest.fail("a message box with nobody to close it")
    )
    reported: list[str] = []
    crash.run_unattended(reported.append)
    show_error(None, ValueError("内部错误"))
    on_exception(*_raise(KeyError("没有这一项")))  # type: ignore[arg-type]
    show_error(None, UserError("金额不能为负数"))
    assert shown == []
    assert (
        reported[0].startswith("程序出错：操作没有完成，数据没有被改动。")
        and str(logged_and_restored) in reported[0]
    )
    assert reported[1].startswith("程序出错：程序遇到了一个意外的错误")
    assert reported[2] == "无法完成：金额不能为负数"
    assert "ValueError('内部错误')" in logged_and_restored.read_text(encoding="utf-8")  # the details: logged
    crash.run_unattended(None)
    show_error(None, ValueError("又一个"))
    assert len(shown) == 1 and len(reported) == 3
