"""Start the GUI: the QApplication, fonts, logging, the main window on a 账套."""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from app.ui.qt_import import import_qt

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication
    from sqlalchemy.orm import Session

    from app.services.reports import DashboardFigures
    from app.ui.gc_guard import GuiThreadCollector


def _configure_logging() -> None:
    """The rotating log: a log we cannot write must not stop the program."""
    from app.log_setup import configure_logging

    configure_logging(level=logging.INFO, warnings_to_stderr=True)
    from app import __version__

    logging.getLogger("uniondesk.gui").info("打开程序窗口（UnionDesk %s）", __version__)


def _install_crash_hooks() -> None:
    """The friendly dialog for any error nothing caught."""
    from app.ui.crash_dialog import install_crash_hooks

    install_crash_hooks()


def _early_home_figures(session: Session) -> DashboardFigures:
    """The 首页's figures, read by the start-up beside the file's check (on its thread)."""
    from app.ui.reports.home_figures import figures_work, today

    return figures_work(today())(session)


def set_program_font() -> None:
    """The program's Chinese font, at 10 points at least (the tests' application takes it too:
    what fits on a 1024-pixel screen is measured in the font the secretary sees)."""
    from PySide6.QtWidgets import QApplication

    font = QApplication.font()
    # Windows, macOS, then the Linux CJK fonts (UOS/Kylin ship Noto or WenQuanYi).
    families = ["Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC"]
    families += ["Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", font.family()]
    font.setFamilies(families)
    if font.pointSize() < 10:
        font.setPointSize(10)
    QApplication.setFont(font)


def process_age_ms(fallback_start: float) -> float:
    """Milliseconds since this process started (Linux: from /proc, so interpreter start-up
    counts too); elsewhere since ``fallback_start``, a perf_counter reading."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            after_name = stat.read().rsplit(")", 1)[1].split()
        with open("/proc/uptime", encoding="ascii") as uptime:
            now = float(uptime.read().split()[0])
        started = int(after_name[19]) / os.sysconf("SC_CLK_TCK")  # field 22: start time in ticks
        return (now - started) * 1000
    except (OSError, ValueError, IndexError):
        return (time.perf_counter() - fallback_start) * 1000


def create_application() -> tuple[QApplication, GuiThreadCollector]:
    """The QApplication every UnionDesk window runs in (the program, scripts, benchmarks):
    names, icon, a Chinese font, and garbage collection on the GUI thread only."""
    import_qt()
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from app import APP_NAME, APP_TITLE
    from app.paths import resource
    from app.ui.gc_guard import GuiThreadCollector

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    set_program_font()
    app.setWindowIcon(QIcon(str(resource("icons", "uniondesk.svg"))))
    return app, GuiThreadCollector(app)  # before any worker thread starts


def run_gui(db_path: Path, *, quit_when_ready: bool = False, started: float | None = None) -> int:
    import gc

    gc.disable()  # from the first worker thread on, collection on the GUI thread only (gc_guard)
    _configure_logging()  # before anything may log
    from app.ui.startup import Startup

    # The file's check — the longest step for a large 账套 — begins before Qt loads and runs
    # while the window is being made; the 首页's figures are read beside it.
    opening = Startup(db_path, early_read=_early_home_figures, wait_for_window=True)
    import_qt()
    _install_crash_hooks()
    app, collector = create_application()
    from app.ui.main_window import MainWindow

    window = MainWindow(warn_on_open_failure=not quit_when_ready)
    exit_code = 0
    if quit_when_ready:
        t0 = started if started is not None else time.perf_counter()

        from PySide6.QtCore import QTimer

        said_ready = False

        def ready() -> None:
            nonlocal said_ready
            if not said_ready:
                said_ready = True
                print(f"ready {round(process_age_ms(t0))}", flush=True)
                quit_once_checked()

        def quit_once_checked() -> None:
            # a large file shows its first page while its full check still reads it: the
            # program ends once the check has passed (failed: the window says so, exit 3)
            if not opening.checked.done():
                QTimer.singleShot(20, quit_once_checked)
            elif opening.checked.exception() is None:
                app.quit()

        def end(message: str, code: int) -> None:
            nonlocal exit_code
            print(message, file=sys.stderr, flush=True)
            exit_code = max(exit_code, code)  # a 账套 that cannot be opened (3) says more than 1
            app.quit()

        window.roster_ready.connect(ready)
        window.open_failed.connect(lambda message: end(f"无法打开账套：{message}", 3))
        from app.ui.crash_dialog import run_unattended

        run_unattended(lambda message: end(message, 1))  # nobody is there to close a dialog
        from app.ui.system.access import WindowAccess

        # nobody is there to type a 启动密码: a script gives it as every command takes it
        WindowAccess.of(window, window.context).answer_without_asking(os.environ.get("UNIONDESK_PASSWORD"))
    window.roster_ready.connect(opening.first_page_shown)
    window.show()
    opening.window_shown()
    window.open_database(db_path, startup=opening)
    code = app.exec()
    from app.ui.operations import wait_for_operations

    wait_for_operations(10_000)  # let background work, the writer's too, finish before teardown
    opening.join(10)  # and the start-up's (gui --quit-when-ready ends before it is done)
    collector.stop()
    return exit_code or code
