"""慰问标准 dialog on the demo 账套 (安徽): the province's preset listed, the union's own cap
saved from a month and checked from then on, a bad amount named under its field."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from app.domain.care import Occasion
from app.domain.yearmonth import YearMonth
from app.models import CareCap
from app.services.care import CareInput, check_record
from app.ui.care.policy_dialog import CAPS, CarePolicyDialog
from app.ui.main_window import MainWindow
from tests.ui.conftest import wait_idle


def test_the_caps_table_is_the_models() -> None:
    assert CareCap.__tablename__ == CAPS


def test_the_union_sets_its_own_hospital_cap(window: MainWindow, qtbot: QtBot) -> None:
    dialog = CarePolicyDialog(window.context, window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 8, timeout=5000)  # 安徽's eight presets
    hospital = next(r for r in range(8) if dialog.model.row_at(r).cap.occasion is Occasion.HOSPITAL)
    dialog.table.selectRow(hospital)
    dialog._fill_from_selection()
    assert dialog.per_time.text() == "1000.00" and dialog.occasion.currentData() == "住院"
    dialog.per_time.setText("1500")
    dialog.times.setValue(2)
    dialog.first.set_value(YearMonth(2025, 7))
    dialog.note.setText("工会委员会决定")
    dialog.save()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 9, timeout=5000)
    assert "住院自2025年7月起每次 1,500.00 元，每人每年 2 次" in dialog.outcome.text()
    (own,) = [row for row in dialog.model.rows if row.source == "本单位标准"]
    assert (own.source, own.note, own.cap.per_occurrence_fen) == ("本单位标准", "工会委员会决定", 150_000)
    assert window.context.db is not None
    with window.context.db.reader() as session:
        before = check_record(
            session, CareInput(Occasion.HOSPITAL, date(2025, 6, 2), None, "某人", cash_fen=120_000)
        )
        after = check_record(
            session, CareInput(Occasion.HOSPITAL, date(2025, 8, 2), None, "某人", cash_fen=120_000)
        )
    assert before.over and not after.over  # the preset before July, the union's own from July


def test_a_bad_amount_is_named_and_nothing_is_saved(window: MainWindow, qtbot: QtBot) -> None:
    dialog = CarePolicyDialog(window.context, window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 8, timeout=5000)
    dialog.per_time.setText("一千")
    dialog.save()
    assert "应是金额" in dialog.field_errors["per_time"].text()
    dialog.per_time.setText("")
    dialog.save()
    assert "至少填写一项限额" in dialog.error.text()
    wait_idle(qtbot)
    dialog.reload()
    wait_idle(qtbot)
    assert dialog.model.rowCount() == 8
