"""The dues settings dialogs on the known 账套: undoing a roll, exemptions, the dated rule —
each change lands in one write, shows in words, and the grid follows it."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from app.domain.yearmonth import YearMonth
from app.services.dues import member_dues
from app.ui.dues import cells
from app.ui.main_window import MainWindow
from tests.ui.conftest import wait_idle
from tests.ui.dues.conftest import Known, month, wait_cells
from tests.ui.dues.test_page import cell


def dues_of(window: MainWindow, member_id: int) -> list[tuple[YearMonth, int, int]]:
    assert window.context.db is not None
    with window.context.db.reader() as session:
        return [(c.month, c.due_fen, c.paid_fen) for c in member_dues(session, member_id).charges]


@pytest.fixture
def say_yes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    asked: list[str] = []

    def question(_parent: object, _title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def test_a_paid_roll_stays_and_an_unpaid_one_is_undone(
    dues_window: MainWindow, known: Known, qtbot: QtBot, say_yes: list[str]
) -> None:
    this_january = YearMonth(date.today().year, 1)

    def roll_january(session: Session) -> object:
        from app.services.dues import roll

        return roll(session, this_january, this_january)

    assert dues_window.context.db is not None
    dues_window.context.db.write(roll_january, None)
    dialog = dues_window.dues.show_rolls()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=5000)
    old, new = dialog.model.rows
    assert dialog.table.select_id(old.id)
    assert not dialog.undo_button.isEnabled() and "不能撤销" in dialog.why.text()
    assert dialog.table.select_id(new.id)
    assert dialog.undo_button.isEnabled() and f"应缴 {new.charges} 笔" in dialog.why.text()
    dialog.undo()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=5000)
    assert f"删除{this_january.chinese()}的应缴 {new.charges} 笔" in dialog.outcome.text()
    assert f"{new.charges} 笔" in say_yes[0]
    assert all(m != this_january for m, _, _ in dues_of(dues_window, known.paid_most))
    dialog.accept()


def test_an_exemption_takes_unpaid_months_away_and_removing_it_brings_them_back(
    dues_window: MainWindow, known: Known, qtbot: QtBot, say_yes: list[str]
) -> None:
    dialog = dues_window.dues.exemptions(known.never_paid)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.picker.current is not None, timeout=5000)
    dialog.add()  # no reason yet
    assert dialog.error.text() == "请写明免缴会费的原因"
    dialog.first.set_value(month(3))
    dialog.has_last.setChecked(True)
    dialog.last.set_value(month(5))
    dialog.reason.setText("长期病休，经工会委员会同意")
    dialog.add()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=5000)
    assert "撤销未缴的应缴 3 笔" in dialog.outcome.text()
    assert [m.month for m, _, _ in dues_of(dues_window, known.never_paid)] == [1, 2, *range(6, 13)]
    wait_idle(qtbot)
    wait_cells(qtbot, dues_window)
    assert cell(dues_window, known.never_paid, 4) == cells.LOOKS[cells.EXEMPT].text
    assert dialog.table.select_id(dialog.model.rows[0].id)
    dialog.remove()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 0, timeout=5000)
    assert "重新生成应缴 3 笔" in dialog.outcome.text()
    assert len(dues_of(dues_window, known.never_paid)) == 12
    dialog.accept()


def test_the_member_dialogs_read_the_roster_when_the_ledger_has_not(
    dues_window: MainWindow, known: Known, qtbot: QtBot
) -> None:
    from app.ui.dues.exemptions_dialog import ExemptionsDialog
    from app.ui.dues.payments_dialog import PaymentsDialog

    for dialog in (
        ExemptionsDialog(dues_window.context, None, dues_window, member_id=known.never_paid),
        PaymentsDialog(dues_window.context, None, dues_window, member_id=known.never_paid),
    ):
        qtbot.waitUntil(lambda d=dialog: d.picker.current is not None, timeout=5000)
        assert dialog.picker.current is not None and dialog.picker.current.id == known.never_paid
        dialog.reject()
    wait_idle(qtbot)


def test_a_new_rate_recalculates_only_what_is_unpaid(
    dues_window: MainWindow, known: Known, qtbot: QtBot
) -> None:
    dialog = dues_window.dues.rules()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=5000)
    assert dialog.rate.text() == "0.5" and "3 月 15 日入会，从 4 月起缴" in dialog.month_rule_text.text()
    dialog.first.set_value(month(1))
    dialog.rate.setText("1")
    dialog.note.setText("测试")
    dialog.save()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=5000)
    assert "1%" in dialog.outcome.text()
    zhang = dues_of(dues_window, known.paid_most)
    assert [due for _, due, _ in zhang] == [1540] * 8 + [3080] * 4  # January–August were paid
    assert {due for _, due, _ in dues_of(dues_window, known.never_paid)} == {6000}
    dialog.accept()


def test_a_bad_rate_is_named_and_nothing_is_saved(dues_window: MainWindow, qtbot: QtBot) -> None:
    dialog = dues_window.dues.rules()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=5000)
    dialog.rate.setText("半个百分点")
    dialog.tail.setText("十元")
    dialog.save()
    assert "费率" in dialog.field_errors["rate_bp"].text()
    assert "基数尾数单位" in dialog.field_errors["tail_fen"].text()
    dialog.rate.setText("20")  # read, but over the rule's limit: the service says why
    dialog.tail.setText("10")
    dialog.save()
    qtbot.waitUntil(lambda: bool(dialog.field_errors["rate_bp"].text()), timeout=5000)
    assert "不超过 10%" in dialog.field_errors["rate_bp"].text()
    wait_idle(qtbot)
    dialog.reload()
    wait_idle(qtbot)
    assert dialog.model.rowCount() == 1
    dialog.accept()
