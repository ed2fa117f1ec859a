from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.models import Group
from app.services.system.profile import get_profile
from app.ui.main_window import MainWindow
from tests.ui.conftest import wait_idle


def test_profile_is_edited_and_validated(window: MainWindow, qtbot: QtBot, opened_db: Database) -> None:
    page = window.settings_page.profile
    window.show_page("设置")
    wait_idle(qtbot)  # made on first use, it reads the 账套 then
    assert page.profile_fields["name"].text() == "华东精密机械有限公司工会委员会"  # type: ignore[union-attr]
    page.profile_fields["chair"].setText("赵新")  # type: ignore[union-attr]
    page.save_profile()
    qtbot.waitUntil(lambda: page.saved_label.text() == "已保存", timeout=5000)
    with opened_db.session() as session:
        assert get_profile(session).chair == "赵新"
    page.profile_fields["name"].setText("  ")  # type: ignore[union-attr]
    page.save_profile()
    qtbot.waitUntil(lambda: page.profile_errors["name"].isVisibleTo(page), timeout=5000)
    assert "工会名称" in page.profile_errors["name"].text()
    with opened_db.session() as session:
        assert get_profile(session).name == "华东精密机械有限公司工会委员会"


def test_group_tree_shows_totals_and_adds_groups(
    window: MainWindow, qtbot: QtBot, opened_db: Database, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    page = window.settings_page.profile
    wait_idle(qtbot)  # made on first use, it reads the 账套 then
    top = page.tree.topLevelItem(0)
    assert top.text(0) == "生产部"
    assert int(top.text(2)) == sum(int(top.child(i).text(2)) for i in range(top.childCount())) > 0
    page.tree.setCurrentItem(top)
    monkeypatch.setattr(page, "_ask", lambda *a, **k: ("四车间", "工会小组"))
    page.add_group(child=True)
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: page.tree.topLevelItem(0).childCount() == 4, timeout=5000)
    with opened_db.session() as session:
        parent = session.scalar(select(Group.parent_id).where(Group.name == "四车间"))
        assert session.get(Group, parent).name == "生产部"  # type: ignore[union-attr]
    assert (
        window.roster.group_filter.findText(
            "四车间", flags=__import__("PySide6.QtCore").QtCore.Qt.MatchFlag.MatchContains
        )
        >= 0
    )
