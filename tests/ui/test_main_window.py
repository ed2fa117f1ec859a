from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QTabWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.models import Member
from app.ui.main_window import PAGES, MainWindow
from app.ui.roster.member_dialog import MemberDialog
from app.ui.roster.model import COLUMN_INDEX
from app.ui.roster.status_dialog import StatusDialog
from app.ui.ui_settings import recent_files
from tests.ui.conftest import wait_idle


def visible_names(window: MainWindow) -> list[str]:
    proxy = window.roster.proxy
    return [proxy.index(r, COLUMN_INDEX["name"]).data() for r in range(proxy.rowCount())]


def test_sidebar_pages_and_placeholders(window: MainWindow, qtbot: QtBot) -> None:
    assert [window.sidebar.item(i).text() for i in range(window.sidebar.count())] == list(PAGES)
    assert window.stack.currentWidget() is window.roster
    assert not window.roster.empty_hint.isVisibleTo(window)
    window.show_page("会费")
    assert window.stack.currentWidget() is window.dues
    qtbot.waitUntil(lambda: window.dues.ledger.figures is not None, timeout=10_000)
    window.show_page("慰问帮扶")
    assert window.stack.currentWidget() is window.care
    window.show_page("活动经费")
    assert window.stack.currentWidget() is window.activities
    qtbot.waitUntil(lambda: window.activities.model.rowCount() > 0, timeout=10_000)  # the demo's activities
    window.show_page("报表")
    assert window.stack.currentWidget() is window.reports
    window.show_page("首页")
    assert window.home.cards["members"].value.text() != "—"
    assert "华东精密机械" in window.windowTitle()


def test_search_as_you_type_pinyin_and_filters(window: MainWindow, qtbot: QtBot, opened_db: Database) -> None:
    with opened_db.session() as session:
        someone = session.execute(
            select(Member.name, Member.pinyin_initials, Member.id_number)
            .where(Member.status == "在会")
            .limit(1)
        ).one()
    qtbot.keyClicks(window.roster.search, someone.pinyin_initials)
    assert someone.name in visible_names(window)
    assert all(
        window.roster.model.row_at(r).search_pinyin.count("\x1e") == 2
        for r in range(3)
        if r < window.roster.proxy.rowCount()
    )
    window.roster.search.setText(someone.id_number[-8:])
    assert visible_names(window) == [someone.name]
    window.roster.search.clear()
    in_roll = window.roster.proxy.rowCount()
    window.roster.female.setChecked(True)
    women = window.roster.proxy.rowCount()
    assert 0 < women < in_roll
    assert all(window.roster.model.row_at(r).gender == "女" for r in range(women))
    window.roster.status_filter.setCurrentIndex(window.roster.status_filter.findData(None))
    assert window.roster.proxy.rowCount() >= women
    assert "显示" in window.roster.count_label.text() and "共 120 人" in window.roster.count_label.text()


def test_add_member_through_the_dialog(window: MainWindow, qtbot: QtBot, opened_db: Database) -> None:
    window.new_member()
    dialog = window.roster.findChild(MemberDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.name.setText("欧阳娜娜")
    dialog.id_number.setText("110105199003070025")
    assert dialog.birth_date.value() == date(1990, 3, 7)  # filled from the ID number
    assert dialog.gender.currentText() == "女"
    assert "已读出" in dialog.id_hint.text()
    dialog.wage.setText("6,380.50")
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: window.roster.model.total_count == 121, timeout=5000)
    wait_idle(qtbot)
    assert window.roster.current_member_id() is not None
    assert window.roster.detail.title.text() == "欧阳娜娜"
    with opened_db.session() as session:
        assert session.scalar(select(Member.pinyin_initials).where(Member.name == "欧阳娜娜")) == "oynn"


def test_dialog_shows_each_error_beside_its_field(window: MainWindow, qtbot: QtBot) -> None:
    window.roster.add_member()
    dialog = window.roster.findChild(MemberDialog)
    dialog.id_number.setText("110105194912310021")
    dialog.phone.setText("123")
    dialog.wage.setText("12.345")
    dialog.save()
    assert dialog.isVisible()
    assert dialog.errors["name"].text() == "请填写姓名"
    assert "校验位" in dialog.errors["id_number"].text()
    assert "电话" in dialog.errors["phone"].text()
    assert "两位小数" in dialog.errors["dues_wage_fen"].text()
    assert not dialog.errors["card_number"].isVisibleTo(dialog)
    dialog.reject()


def test_duplicate_id_message_comes_back_from_the_service(
    window: MainWindow, qtbot: QtBot, opened_db: Database
) -> None:
    with opened_db.session() as session:
        existing = session.execute(select(Member.name, Member.id_number).limit(1)).one()
    window.roster.add_member()
    dialog = window.roster.findChild(MemberDialog)
    dialog.name.setText("新来的")
    dialog.id_number.setText(existing.id_number)
    dialog.save()
    qtbot.waitUntil(lambda: dialog.errors["id_number"].isVisibleTo(dialog), timeout=5000)
    assert existing.name in dialog.errors["id_number"].text()
    assert dialog.isVisible()
    dialog.reject()


def test_enter_edits_and_status_change(window: MainWindow, qtbot: QtBot, opened_db: Database) -> None:
    roster = window.roster
    first = roster.model.row_at(0)
    roster.select_member(first.id)
    qtbot.waitUntil(lambda: roster.edit_button.isEnabled(), timeout=5000)
    roster.table.setFocus()
    qtbot.keyClick(roster.table, Qt.Key.Key_Return)
    dialog = roster.findChild(MemberDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.name.text() == first.name
    dialog.phone.setText("13912345678")
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    wait_idle(qtbot)
    with opened_db.session() as session:
        assert session.get(Member, first.id).phone == "13912345678"  # type: ignore[union-attr]

    qtbot.waitUntil(lambda: roster.status_button.isEnabled(), timeout=5000)
    roster.change_status()
    status = roster.findChild(StatusDialog)
    assert status is not None
    status.kind.setCurrentIndex(status.kind.findData("转出"))
    status.save()  # no reason: refused, field says why
    qtbot.waitUntil(lambda: status.errors["reason"].isVisibleTo(status), timeout=5000)
    assert "原因" in status.errors["reason"].text()
    status.reason.setText("调往分公司")
    status.save()
    qtbot.waitUntil(lambda: not status.isVisible(), timeout=5000)
    wait_idle(qtbot)
    with opened_db.session() as session:
        assert session.get(Member, first.id).status == "已转出"  # type: ignore[union-attr]
    # 在册 filter: the member has left the visible roster, the panel is cleared
    assert first.name not in visible_names(window) or roster.model.row_of_member(first.id) is None


def test_delete_key_asks_and_refuses_members_with_history(
    window: MainWindow, qtbot: QtBot, opened_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    warned: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes
    )
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    with opened_db.session() as session:
        with_history = session.scalar(select(Member.id).where(Member.status == "保留会籍").limit(1))
    roster = window.roster
    roster.status_filter.setCurrentIndex(roster.status_filter.findData(None))
    roster.select_member(with_history)
    qtbot.waitUntil(lambda: roster.delete_button.isEnabled(), timeout=5000)
    roster.table.setFocus()
    qtbot.keyClick(roster.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: bool(warned), timeout=5000)
    assert asked and "删除后不能恢复" in asked[0]
    assert "不能删除" in warned[0]
    with opened_db.session() as session:
        assert session.get(Member, with_history) is not None


def test_shortcuts(window: MainWindow, qtbot: QtBot) -> None:
    window.show_page("首页")
    window.activateWindow()
    window.findChildren(type(window.menuBar().actions()[0]))  # menus exist
    shortcuts = {
        a.text(): a.shortcut().toString() for m in window.menuBar().actions() for a in m.menu().actions()
    }
    assert shortcuts["新增会员…"] == "Ctrl+N"
    assert shortcuts["查找会员"] == "Ctrl+F"
    window.find_member()
    assert window.stack.currentWidget() is window.roster
    assert (
        window.roster.search.hasFocus() or window.roster.search.selectedText() == window.roster.search.text()
    )


def test_geometry_and_columns_are_remembered(qtbot: QtBot, demo_db_path: Path) -> None:
    first = MainWindow(warn_on_open_failure=False)
    qtbot.addWidget(first)
    first.show()
    wanted = (first.minimumSizeHint().width() + 1, 555)  # the offscreen screen is only 800 wide
    first.resize(*wanted)
    assert (first.width(), first.height()) == wanted
    first.roster.table.setColumnHidden(COLUMN_INDEX["phone"], True)
    first.roster.table.setColumnHidden(COLUMN_INDEX["education"], False)
    first.close()
    second = MainWindow(warn_on_open_failure=False)
    qtbot.addWidget(second)
    # restoreGeometry clamps the width to the 800-wide offscreen screen; the height fits
    assert second.height() == 555
    assert second.width() <= wanted[0]
    assert second.roster.table.isColumnHidden(COLUMN_INDEX["phone"])
    assert not second.roster.table.isColumnHidden(COLUMN_INDEX["education"])


def test_recent_files_and_open_failure(
    window: MainWindow, qtbot: QtBot, demo_db_path: Path, tmp_path: Path
) -> None:
    assert recent_files()[0] == demo_db_path.resolve()
    bad = tmp_path / "broken.db"
    bad.write_bytes(b"not a database at all" * 20)
    with qtbot.waitSignal(window.open_failed, timeout=5000) as blocker:
        window.open_database(bad)
    assert "不是 UnionDesk 账套文件" in blocker.args[0]
    assert window.context.db is not None and window.context.db.path == demo_db_path.resolve()


def test_create_a_new_database(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    target = tmp_path / "新账套.db"
    with qtbot.waitSignal(window.roster_ready, timeout=10_000):
        window.create_database(target, "新成立的工会")
    wait_idle(qtbot)
    assert window.context.db is not None and window.context.db.path == target.resolve()
    assert window.roster.model.total_count == 0
    qtbot.waitUntil(lambda: window.roster.empty_hint.isVisibleTo(window), timeout=5000)
    assert "导入" in window.roster.empty_hint.text()
    qtbot.waitUntil(lambda: "新成立的工会" in window.windowTitle(), timeout=5000)


def test_a_file_deep_in_folders_does_not_widen_the_window(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    """The status bar's path is shortened in its middle (its whole in the tooltip): a label as
    wide as a deep folder's path made the window's least width that of the path."""
    folder = tmp_path.joinpath(*["二〇二六年工会工作资料备份文件夹"] * 6)
    folder.mkdir(parents=True)
    target = folder / "示例公司工会委员会二〇二六年度账套.db"
    with qtbot.waitSignal(window.roster_ready, timeout=10_000):
        window.create_database(target, "新成立的工会")
    wait_idle(qtbot)
    shown = window.db_label.shown_text()
    assert shown.startswith("账套：") and "…" in shown and shown.endswith("账套.db")
    assert window.db_label.toolTip() == f"账套：{target.resolve()}"
    assert window.db_label.width() <= 460  # room left for the status bar's messages
    assert window.minimumSizeHint().width() <= 1000  # as every page keeps it (below)
    window.db_label.setText("账套：/u.db")  # a short path is shown whole
    assert window.db_label.shown_text() == "账套：/u.db" and window.db_label.toolTip() == ""


def test_every_page_fits_a_small_screen(window: MainWindow, qtbot: QtBot) -> None:
    """A 1366 × 768 laptop at 125 % leaves about 1,090 pixels, a 1024 screen less: no page may
    make the window wider than that (rows of buttons and filters wrap instead)."""
    widest: list[tuple[str, int]] = []
    for name in PAGES:
        window.show_page(name)
        wait_idle(qtbot)
        qtbot.wait(50)  # the layouts take up what the page shows
        widest.append((name, window.minimumSizeHint().width()))
        for tabs in window.page(name).findChildren(QTabWidget):  # and each of its tabs (年度预算 …)
            for index in range(tabs.count()):
                tabs.setCurrentIndex(index)
                wait_idle(qtbot)
                qtbot.wait(50)
                widest.append((f"{name} / {tabs.tabText(index)}", window.minimumSizeHint().width()))
    assert len(widest) > len(PAGES) + 4  # the tabs were shown too
    assert all(width <= 1000 for _name, width in widest), widest
