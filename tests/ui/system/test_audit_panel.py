"""设置 → 操作日志: the log newest first; each filter narrows it; the selected entry's fields
before and after side by side, its ID and bank numbers masked until asked; 再列出 200 条 reads
the next page; the export; a change saved elsewhere is listed when the panel is shown again."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import insert

from app.db import Database, open_database
from app.domain.idcard import mask_id_number
from app.domain.members import MemberInput
from app.models import AuditEntry, Member
from app.ui.context import AppContext
from app.ui.operations import wait_for_operations, write_operation
from app.ui.system.audit_panel import AuditPanel
from app.ui.system.settings_page import SettingsPage
from tests.ui.conftest import wait_idle
from tests.unit.dues.import_support import id_number

OLD = datetime(2025, 6, 1, 9, 0, 0)
FULL_ID = id_number(5)
OLD_ENTRIES = 250


@pytest.fixture
def log_db(tmp_path: Path) -> Iterator[Database]:
    """250 old 分组 entries (June 2025), then today: 欧阳娜娜 added with her ID number (and her
    入会 with her), and her phone changed."""
    from app.services.roster import create_member

    db = open_database(tmp_path / "log.db", create=True)
    db.auto_backup = False
    old = [
        {"at": OLD + timedelta(minutes=n), "actor": "旧秘书", "action": "新增", "entity": "groups", "entity_id": n,
         "summary": f"分组：第{n}组", "before": None, "after": json.dumps({"name": f"第{n}组"}, ensure_ascii=False)}
        for n in range(OLD_ENTRIES)
    ]  # fmt: skip
    with db.session() as session:
        session.execute(insert(AuditEntry), old)
    with db.session(actor="王秘书") as session:
        member_id = create_member(
            session, MemberInput(name="欧阳娜娜", id_number=FULL_ID, phone="13800000000")
        )
    with db.session(actor="王秘书") as session:
        member = session.get(Member, member_id)
        assert member is not None
        member.phone = "13912345678"
    yield db
    wait_for_operations(10_000)
    db.close()


@pytest.fixture
def panel(qtbot: QtBot, log_db: Database) -> Iterator[AuditPanel]:
    context = AppContext()
    context.set_database(log_db)
    made = AuditPanel(context)
    qtbot.addWidget(made)
    made.resize(1100, 700)
    made.show()
    wait_idle(qtbot)
    yield made
    wait_idle(qtbot)


def _rows(panel: AuditPanel) -> list[tuple[str, str, str]]:
    """(操作, 记录类型, 摘要) of each row listed, top to bottom."""
    model = panel.model
    keys = [model.column_index(k) for k in ("action", "record_type", "summary")]
    return [tuple(model.index(r, k).data() for k in keys) for r in range(model.rowCount())]  # type: ignore[misc]


def _reload(panel: AuditPanel, qtbot: QtBot) -> None:
    panel.reload()
    wait_idle(qtbot)


def test_newest_first_with_the_count_and_record_types(panel: AuditPanel) -> None:
    rows = _rows(panel)
    assert len(rows) == 200  # a page
    assert rows[:3] == [
        ("修改", "会员", "会员：欧阳娜娜"),
        ("新增", "会籍变动记录", "会籍变动记录：入会"),
        ("新增", "会员", "会员：欧阳娜娜"),
    ]
    assert rows[3] == ("新增", "分组", f"分组：第{OLD_ENTRIES - 1}组")
    assert "共 <b>253</b> 条，列出了最近的 200 条" in panel.count.text()
    assert panel.more_button.isVisibleTo(panel)
    types = [panel.record_type.itemText(i) for i in range(panel.record_type.count())]
    assert types[:3] == ["全部", "会员", "分组"] and "困难职工档案" in types and "audit_log" not in types
    assert panel.model.index(0, 0).data() == f"{date.today():%Y-%m-%d}" + panel.model.index(0, 0).data()[10:]


def test_each_filter_narrows_the_list(panel: AuditPanel, qtbot: QtBot) -> None:
    panel.record_type.setCurrentIndex(panel.record_type.findText("会员"))
    wait_idle(qtbot)
    assert [r[1] for r in _rows(panel)] == ["会员", "会员"]
    assert panel.count.text() == "共 <b>2</b> 条。" and not panel.more_button.isVisibleTo(panel)
    panel.action.setCurrentIndex(panel.action.findText("修改"))
    wait_idle(qtbot)
    assert _rows(panel) == [("修改", "会员", "会员：欧阳娜娜")]
    panel.record_type.setCurrentIndex(0)
    panel.action.setCurrentIndex(0)
    panel.search.setText("第17组")  # typed: the list follows a moment later
    qtbot.waitUntil(lambda: _rows(panel) == [("新增", "分组", "分组：第17组")], timeout=5000)
    panel.search.clear()
    panel.first.set_value(date(2025, 6, 1))
    panel.last.set_value(date(2025, 6, 1))
    wait_idle(qtbot)
    assert (
        len(_rows(panel)) == 200 and "共 <b>250</b> 条" in panel.count.text()
    )  # the date range is counted whole
    panel.first.set_value(date(2025, 6, 2))
    wait_idle(qtbot)
    assert _rows(panel) == [] and "结束日期早于开始日期" in panel.count.text()
    panel.last.set_value(None)
    wait_idle(qtbot)
    assert [r[1] for r in _rows(panel)] == ["会员", "会籍变动记录", "会员"]  # today's


def test_the_selected_entry_before_and_after_with_numbers_masked(panel: AuditPanel, qtbot: QtBot) -> None:
    panel.table.selectRow(0)  # 修改: the phone
    assert "王秘书　修改　会员" in panel.heading.text()
    changes = panel.shown_changes()
    assert ("联系电话", "13800000000", "13912345678") in changes
    assert not panel.reveal_button.isVisibleTo(panel)  # no number to hide in this one
    panel.table.selectRow(2)  # 新增: every field, the ID number among them
    changes = dict((label, (old, new)) for label, old, new in panel.shown_changes())
    assert changes["姓名"] == ("（空）", "欧阳娜娜")
    assert changes["证件号码"] == ("（空）", mask_id_number(FULL_ID))
    assert panel.reveal_button.isVisibleTo(panel) and panel.reveal_button.text() == "显示完整号码"
    panel.reveal_button.click()
    assert dict((label, new) for label, _old, new in panel.shown_changes())["证件号码"] == FULL_ID
    assert panel.reveal_button.text() == "隐去号码"
    panel.table.selectRow(0)
    panel.table.selectRow(2)  # chosen again: masked again
    assert dict((label, new) for label, _old, new in panel.shown_changes())["证件号码"] == mask_id_number(
        FULL_ID
    )


def test_the_next_page_is_read_on_request(panel: AuditPanel, qtbot: QtBot) -> None:
    panel.load_more()
    wait_idle(qtbot)
    rows = _rows(panel)
    assert len(rows) == 253 and not panel.more_button.isVisibleTo(panel)
    assert rows[-1] == ("新增", "分组", "分组：第0组")
    assert len({r[2] for r in rows}) == 252  # nothing listed twice (欧阳娜娜 has two entries)
    assert panel.count.text() == "共 <b>253</b> 条。"


def test_export_writes_what_the_filters_keep(
    panel: AuditPanel, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    panel.record_type.setCurrentIndex(panel.record_type.findText("会员"))
    wait_idle(qtbot)
    out = tmp_path / "日志.xlsx"
    panel.export(out, mask=True)
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    assert "已导出 2 条操作日志" in told[0] and str(out) in told[0]
    sheet = load_workbook(out).active
    assert sheet is not None
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [r[2] for r in rows] == ["修改", "新增"] and {r[3] for r in rows} == {"会员"}
    text = "".join(str(v) for r in rows for v in r)
    assert FULL_ID not in text and mask_id_number(FULL_ID) in text


def test_a_change_saved_elsewhere_is_listed_when_shown_again(panel: AuditPanel, qtbot: QtBot) -> None:
    from app.services.roster import create_member

    panel.hide()
    write_operation(
        None,
        panel.context,
        lambda s: create_member(s, MemberInput(name="司马光", id_number=id_number(9))),
        initiator=None,
    )
    wait_idle(qtbot)
    assert panel.refresher.stale and _rows(panel)[0][2] == "会员：欧阳娜娜"
    panel.show()
    wait_idle(qtbot)
    assert ("新增", "会员", "会员：司马光") in _rows(panel)[:2]


def test_the_settings_page_has_the_tab(qtbot: QtBot, log_db: Database) -> None:
    context = AppContext()
    page = SettingsPage(context)
    qtbot.addWidget(page)
    titles = [page.tabText(i) for i in range(page.count())]
    assert "操作日志" in titles
    assert not page.findChildren(AuditPanel)  # made when its tab is first shown
    page.setCurrentIndex(titles.index("操作日志"))
    assert isinstance(page.widget(titles.index("操作日志")), AuditPanel)
