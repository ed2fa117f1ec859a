"""The member panel beside the roster shows the member's 慰问 history, over-cap records
flagged in words with their reason, and follows a new record at once."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from app.domain.care import Occasion
from app.services.care import CareInput, delete_care, record_care
from app.ui.main_window import MainWindow
from app.ui.operations import write_operation
from app.ui.roster.member_detail import OVER_CAP, WITHIN
from tests.ui.care.conftest import REASON, YEAR, CareUnion, opened_db


def care_tab(window: MainWindow, qtbot: QtBot, member_id: int, rows: int) -> None:
    window.show_page("会员名册")
    roster = window.roster
    qtbot.waitUntil(lambda: roster.model.total_count == 4, timeout=5000)
    assert roster.select_member(member_id)
    detail = roster.detail
    detail.tabs.setCurrentIndex(detail.tabs.count() - 1)
    qtbot.waitUntil(lambda: detail.care.rowCount() == rows, timeout=5000)


def test_the_care_history_flags_what_was_over_a_cap(
    care_window: MainWindow, union: CareUnion, qtbot: QtBot
) -> None:
    care_tab(care_window, qtbot, union.zhang, 1)
    detail = care_window.roster.detail
    assert detail.tabs.tabText(detail.tabs.count() - 1) == "慰问"
    model = detail.care
    assert model.index(0, model.column_index("flag")).data() == OVER_CAP
    assert model.index(0, model.column_index("amount")).data() == "1,200.00"
    tip = str(model.index(0, model.column_index("day")).data(3))  # ToolTipRole
    assert "住院每次不超过 1,000.00 元" in tip and REASON in tip
    assert (
        "共 1 次，合计 1,200.00 元" in detail.care_line.text()
        and f"{OVER_CAP} 1 次" in detail.care_line.text()
    )

    def hospital_again(session: object) -> int:
        return record_care(
            session, CareInput(Occasion.HOSPITAL, date(YEAR, 10, 8), union.zhang, cash_fen=30_000)
        )  # type: ignore[arg-type]

    write_operation(None, care_window.context, hospital_again)
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=5000)
    assert model.row_at(0).day == date(YEAR, 10, 8)  # newest first
    assert model.index(0, model.column_index("flag")).data() == WITHIN
    assert "共 2 次，合计 1,500.00 元" in detail.care_line.text()


def test_a_member_without_care_says_so(care_window: MainWindow, union: CareUnion, qtbot: QtBot) -> None:
    db = opened_db(care_window)
    db.write(lambda session: delete_care(session, union.wedding), None)
    care_tab(care_window, qtbot, union.zhao, 0)
    detail = care_window.roster.detail
    qtbot.waitUntil(lambda: detail.care_line.text() == "还没有慰问记录", timeout=5000)
    assert detail.care.rowCount() == 0
