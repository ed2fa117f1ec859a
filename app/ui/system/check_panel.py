"""设置 → 数据检查: ``uniondesk check`` in the window. The checks run in the background (a
read: nothing is changed); the list shows every check with a tick, or a cross and what it
found, and the problems come with what to do about them."""

from __future__ import annotations

import time
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.services.progress import Cancelled, Progress
from app.ui.context import AppContext
from app.ui.operations import read_operation, show_error

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.system.check import CheckReport

GREEN, RED, GREY = "#2e7d32", "#c0392b", "#777"
INTRO = (
    "检查账套文件是否完好、各项记录能否互相对上，并核对会费、慰问和活动经费的账目。"
    "检查只读取，不会改动任何数据；会员很多时需要几秒到几十秒。断电、死机或程序异常退出之后，建议检查一次。"
)


def _run(session: Session, progress: Progress) -> CheckReport:
    from app.services.system.check import run_checks  # imported on the worker thread

    return run_checks(session, progress)


def report_html(report: CheckReport) -> str:
    """Each check on its line, ticked in green or crossed in red with its problems under it."""
    lines = []
    for item in report.items:
        if item.ok:
            lines.append(f'<p style="color:{GREEN}; margin:4px 0;">✔&nbsp;&nbsp;{escape(item.title)}</p>')
            continue
        lines.append(
            f'<p style="color:{RED}; margin:8px 0 2px 0;"><b>✘&nbsp;&nbsp;{escape(item.title)}'
            f'（{len(item.problems)} 个问题）</b></p><ul style="margin-top:0;">'
        )
        lines.extend(f"<li>{escape(problem)}</li>" for problem in item.problems)
        lines.append("</ul>")
    return "".join(lines)


class CheckPanel(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.report: CheckReport | None = None
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        intro.setStyleSheet(f"color: {GREY};")
        self.start_button = QPushButton("开始检查")
        self.start_button.clicked.connect(self.start)
        self.copy_button = QPushButton("复制检查结果")
        self.copy_button.setToolTip("复制全部检查结果，可以粘贴到微信或邮件中发给技术支持")
        self.copy_button.clicked.connect(self.copy_results)
        self.copy_button.setEnabled(False)
        self.summary = QLabel("还没有检查。")
        self.summary.setStyleSheet(f"color: {GREY}; font-size: 11pt;")
        row = QHBoxLayout()
        row.addWidget(self.start_button)
        row.addWidget(self.summary, 1)
        row.addWidget(self.copy_button)

        # text, not a table: a problem is a sentence, wrapped and never cut off, and selectable
        self.list = QTextBrowser()
        self.list.setOpenLinks(False)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.hint)
        context.database_opened.connect(lambda _db: self.clear())

    def clear(self) -> None:
        """Another 账套: the results shown were about the one before."""
        self.report = None
        self.list.clear()
        self.hint.hide()
        self.copy_button.setEnabled(False)
        self._say("还没有检查。", GREY)

    def _say(self, text: str, color: str) -> None:
        self.summary.setText(text)
        self.summary.setStyleSheet(f"color: {color}; font-size: 11pt; font-weight: bold;")

    def start(self) -> None:
        progress = Progress()
        started = time.monotonic()
        operation = read_operation(
            self, self.context, lambda session: _run(session, progress),
            on_success=lambda report: self.show_report(report, time.monotonic() - started),
            on_failure=self._failed, label="正在检查账套……", cancellable=True, progress=progress,
        )  # fmt: skip
        if operation is None:
            self._say("没有打开账套。", GREY)
            return
        self.start_button.setEnabled(False)
        self._say("正在检查……", GREY)

    def _failed(self, error: BaseException) -> None:
        self.start_button.setEnabled(True)
        if isinstance(error, Cancelled):
            self._say("检查已取消。", GREY)
            return
        self._say("检查没有完成。", RED)
        show_error(self, error)

    def show_report(self, report: CheckReport, seconds: float = 0.0) -> None:
        from app.services.system.check import WHAT_TO_DO

        self.report = report
        self.start_button.setEnabled(True)
        self.copy_button.setEnabled(True)
        self.copy_button.setText("复制检查结果")
        self.list.setHtml(report_html(report))
        when = time.strftime("%H:%M")
        if report.ok:
            self._say(f"没有发现问题（{when} 检查，用时 {seconds:.1f} 秒）", GREEN)
            self.hint.hide()
        else:
            self._say(f"发现 {len(report.problems)} 个问题（{when} 检查）", RED)
            self.hint.setText(f"怎么办：{WHAT_TO_DO}")
            self.hint.show()

    def results_text(self) -> str:
        if self.report is None:
            return ""
        lines = [f"UnionDesk 数据检查（{time.strftime('%Y-%m-%d %H:%M')}）"]
        if self.context.db is not None:
            lines.append(f"账套：{self.context.db.path}")
        for item in self.report.items:
            lines.append(("已检查：" if item.ok else "发现问题：") + item.title)
            lines.extend(f"  - {problem}" for problem in item.problems)
        lines.append(
            "结论：" + ("没有发现问题" if self.report.ok else f"发现 {len(self.report.problems)} 个问题")
        )
        return "\n".join(lines)

    def copy_results(self) -> None:
        QApplication.clipboard().setText(self.results_text())
        self.copy_button.setText("已复制")
