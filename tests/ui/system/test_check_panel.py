"""设置 → 数据检查: the checks in the background, a tick per check, the problems in red with
what to do about them."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.db import Database, open_database
from app.services.progress import Cancelled
from app.ui.context import AppContext
from app.ui.main_window import MainWindow
from app.ui.system.check_panel import CheckPanel
from tests.conftest import make_demo_db
from tests.ui.conftest import wait_idle

SHOTS = os.environ.get("UNIONDESK_SHOTS")  # a folder: save screenshots there to look at


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_demo_db(tmp_path_factory.mktemp("check") / "demo.db", 120)


def _open_copy(demo_file: Path, folder: Path, *damage: str) -> Database:
    path = folder / "union.db"
    path.write_bytes(demo_file.read_bytes())
    with sqlite3.connect(path) as connection:
        for statement in damage:
            connection.execute(statement)
    connection.close()
    return open_database(path)


@pytest.fixture
def panel(qtbot: QtBot) -> Iterator[CheckPanel]:
    context = AppContext()
    widget = CheckPanel(context)
    qtbot.addWidget(widget)
    widget.resize(900, 560)
    widget.show()
    yield widget
    if context.db is not None:
        wait_idle(qtbot)
        context.db.close()


def _run(panel: CheckPanel, qtbot: QtBot) -> None:
    panel.start_button.click()
    qtbot.waitUntil(lambda: panel.report is not None, timeout=30_000)
    wait_idle(qtbot)


def _shoot(panel: CheckPanel, name: str) -> None:
    if SHOTS:
        panel.grab().save(str(Path(SHOTS) / name))


def test_a_sound_union_gets_a_green_all_clear(
    panel: CheckPanel, qtbot: QtBot, demo_file: Path, tmp_path: Path
) -> None:
    panel.context.set_database(_open_copy(demo_file, tmp_path))
    assert panel.summary.text() == "还没有检查。" and not panel.copy_button.isEnabled()
    _run(panel, qtbot)
    assert panel.summary.text().startswith("没有发现问题")
    assert "#2e7d32" in panel.summary.styleSheet()
    lines = [line for line in panel.list.toPlainText().splitlines() if line.strip()]
    assert len(lines) >= 9 and all(line.startswith("✔") for line in lines)
    assert (
        any("各项记录能互相对上" in t for t in lines)
        and any("会费" in t for t in lines)
        and any("慰问" in t for t in lines)
    )
    assert panel.hint.isHidden()
    _shoot(panel, "check_panel_clean.png")


def test_problems_are_counted_in_red_listed_under_their_check_with_what_to_do(
    panel: CheckPanel, qtbot: QtBot, demo_file: Path, tmp_path: Path
) -> None:
    panel.context.set_database(
        _open_copy(
            demo_file, tmp_path,
            "UPDATE care_records SET member_id = 99999 WHERE id = (SELECT min(id) FROM care_records)",
            "DELETE FROM care_records WHERE batch_id = (SELECT min(id) FROM care_batches)",
            "UPDATE dues_charges SET paid_fen = 0 WHERE id = (SELECT min(id) FROM dues_charges WHERE paid_fen > 0)",
        )
    )  # fmt: skip
    _run(panel, qtbot)
    assert panel.report is not None and not panel.report.ok
    assert panel.summary.text().startswith(f"发现 {len(panel.report.problems)} 个问题")
    assert "#c0392b" in panel.summary.styleSheet()
    lines = [line.strip() for line in panel.list.toPlainText().splitlines() if line.strip()]
    crossed = [i for i, line in enumerate(lines) if line.startswith("✘")]
    assert [lines[i][3:5] for i in crossed] == ["各项", "慰问", "会费"]  # in the order they ran
    assert all(
        line.startswith("✔") for i, line in enumerate(lines) if i not in crossed and i - 1 not in crossed
    )
    # each problem right under its check
    assert "引用的会员已不存在" in lines[crossed[0] + 1]
    assert "没有任何发放记录" in lines[crossed[1] + 1]
    assert "已缴金额" in lines[crossed[2] + 1]
    assert panel.hint.isVisible() and "备份与恢复" in panel.hint.text() and "技术支持" in panel.hint.text()
    _shoot(panel, "check_panel_problems.png")

    panel.copy_results()
    copied = QApplication.clipboard().text()
    assert "发现问题：" in copied and "没有任何发放记录" in copied and str(panel.context.db.path) in copied  # type: ignore[union-attr]


def test_another_union_clears_the_results(
    panel: CheckPanel, qtbot: QtBot, demo_file: Path, tmp_path: Path
) -> None:
    panel.context.set_database(_open_copy(demo_file, tmp_path))
    _run(panel, qtbot)
    assert "✔" in panel.list.toPlainText()
    other = tmp_path / "other"
    other.mkdir()
    panel.context.set_database(_open_copy(demo_file, other))
    assert panel.list.toPlainText() == "" and panel.summary.text() == "还没有检查。"


def test_without_a_union_nothing_runs(panel: CheckPanel) -> None:
    panel.start()
    assert panel.summary.text() == "没有打开账套。" and panel.start_button.isEnabled()


def test_a_cancelled_check_says_so_and_can_start_again(panel: CheckPanel) -> None:
    panel.start_button.setEnabled(False)
    panel._failed(Cancelled())
    assert panel.summary.text() == "检查已取消。" and panel.start_button.isEnabled()


def test_the_settings_page_has_the_tab(window: MainWindow) -> None:
    tabs = window.settings_page
    labels = [tabs.tabText(i) for i in range(tabs.count())]
    assert "数据检查" in labels
    tabs.setCurrentIndex(labels.index("数据检查"))  # the panel is made when its tab is first shown
    assert isinstance(tabs.widget(labels.index("数据检查")), CheckPanel)
