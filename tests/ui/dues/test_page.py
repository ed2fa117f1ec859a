"""The 会费 page on a 账套 whose every cell is known: what the grid says, and what the
payment, batch and roll dialogs and the arrears list do to it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app.domain.yearmonth import YearMonth
from app.ui.dues.arrears_tab import LONG_TEXT
from app.ui.dues.grid_model import STATE_BEHIND
from app.ui.main_window import MainWindow
from tests.ui.conftest import wait_idle
from tests.ui.dues.conftest import YEAR, Known, wait_cells


def cell(
    window: MainWindow, member_id: int, month: int, role: Qt.ItemDataRole = Qt.ItemDataRole.DisplayRole
) -> object:
    model = window.dues.model
    position = model.position_of(member_id)
    assert position is not None
    return model.index(position, model.first_month + month - 1).data(role)


def months(window: MainWindow, member_id: int) -> list[object]:
    return [cell(window, member_id, m) for m in range(1, 13)]


def test_the_grid_says_each_state_in_words(dues_window: MainWindow, known: Known) -> None:
    w = dues_window
    assert months(w, known.paid_most) == ["已缴"] * 8 + ["未缴"] * 4
    assert months(w, known.joined_april) == ["—"] * 4 + ["未缴"] * 8  # joined 15 April: owes from May
    assert months(w, known.retired_july) == ["已缴"] * 6 + ["免缴"] * 6
    assert months(w, known.no_wage) == ["未生成"] * 12
    tip = cell(w, known.paid_most, 9, Qt.ItemDataRole.ToolTipRole)
    assert isinstance(tip, str) and f"{YEAR}年9月" in tip and "应缴 15.40 元，已缴 0.00 元" in tip
    assert cell(w, known.paid_most, 1, Qt.ItemDataRole.BackgroundRole) != cell(
        w, known.paid_most, 9, Qt.ItemDataRole.BackgroundRole
    )
    model = w.dues.model
    row = model.position_of(known.never_paid)
    assert row is not None
    assert model.index(row, model.first_sum + 2).data() == "欠缴 360.00"
    ledger = w.dues.ledger
    assert "0.5%" in ledger.rule_label.text() and "每月 1 日是在会会员的" in ledger.rule_label.text()
    assert "1 名在会会员没有会费基数" in ledger.info_label.text()
    # 应缴 of January: 张伟 15.40 + 王芳 20.00 + 赵强 30.00; 实缴 in June: 张伟 8 months + 王芳 6
    assert ledger.totals.value("due", 0) == "65.40"
    assert ledger.totals.value("paid", 5) == "243.20"
    assert "应缴会员 4 人，其中有欠缴的 3 人" in ledger.totals_summary.text()


def test_search_group_and_only_those_behind(dues_window: MainWindow, known: Known, qtbot: QtBot) -> None:
    ledger, model = dues_window.dues.ledger, dues_window.dues.model
    ledger.search.setText("zq")  # 赵强 by the initials of its pinyin
    assert [model.row_at(i).id for i in range(model.rowCount())] == [known.never_paid]
    ledger.search.setText("440524")  # 李娜 by part of her ID number
    assert [model.row_at(i).id for i in range(model.rowCount())] == [known.joined_april]
    ledger.search.clear()
    ledger.state.setCurrentIndex(ledger.state.findData(STATE_BEHIND))
    assert {model.row_at(i).id for i in range(model.rowCount())} == {
        known.paid_most,
        known.joined_april,
        known.never_paid,
    }
    ledger.group.setCurrentIndex(ledger.group.findData(known.group))
    assert {model.row_at(i).id for i in range(model.rowCount())} == {known.paid_most, known.never_paid}
    qtbot.waitUntil(lambda: "生产部（含下级分组）" in ledger.totals_title.text(), timeout=5000)
    qtbot.waitUntil(lambda: ledger.totals.value("due", 0) == "45.40", timeout=5000)  # 15.40 + 30.00


def test_a_payment_through_the_dialog_updates_the_grid(
    dues_window: MainWindow, known: Known, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = dues_window.dues
    dialog = page.record_payment(known.joined_april)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.picker.current is not None and dialog.fill_owed.isEnabled(), timeout=5000)
    chosen = dialog.picker.current
    assert chosen is not None and chosen.id == known.joined_april
    assert "共 200.00 元" in dialog.account.text()
    dialog.amount.setText("50.005")
    assert "两位小数" in dialog.errors["amount_fen"].text()
    dialog.save()
    assert dialog.form_box.isVisible()  # nothing saved
    dialog.amount.setText("50")
    assert dialog.cover.text() == f"将冲抵 {YEAR}年5月—6月，余 0.00 元"
    with qtbot.waitSignal(dues_window.context.changed, timeout=5000) as announced:
        dialog.save()
    assert announced.args[0].touches("dues_payments")
    assert "收据号" in dialog.done_text.text() and f"冲抵 {YEAR}年5月—6月" in dialog.done_text.text()
    qtbot.waitUntil(lambda: cell(dues_window, known.joined_april, 6) == "已缴", timeout=5000)
    assert months(dues_window, known.joined_april) == ["—"] * 4 + ["已缴"] * 2 + ["未缴"] * 6
    out = tmp_path / "收据.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    dialog.print_receipt()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert out.is_file() and out.read_bytes().startswith(b"%PDF") and str(out) in shown[0]
    dialog.accept()
    wait_idle(qtbot)


def test_a_payment_far_beyond_a_years_dues_is_saved_and_questioned(
    dues_window: MainWindow, known: Known, qtbot: QtBot
) -> None:
    dialog = dues_window.dues.record_payment(known.joined_april)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.fill_owed.isEnabled(), timeout=5000)
    dialog.amount.setText("5000")  # 50.00 meant
    with qtbot.waitSignal(dues_window.context.changed, timeout=5000):
        dialog.save()
    assert "余 4,800.00 元记为预缴" in dialog.done_text.text()
    assert "提示：余下的 4,800.00 元超过这名会员一年的会费（每月 25.00 元），请核对金额是否多写了位数。" in (
        dialog.done_text.text()
    )
    dialog.accept()
    wait_idle(qtbot)


def test_a_payment_entered_by_mistake_is_deleted_from_the_members_records(
    dues_window: MainWindow, known: Known, qtbot: QtBot
) -> None:
    dialog = dues_window.dues.show_payments(known.paid_most)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=5000)
    assert dialog.summary.text() == "共 1 笔，合计 123.20 元"
    dialog.table.select_id(dialog.model.row_at(0).id)
    assert dialog.delete_button.isEnabled()
    assert not dialog.print_button.isEnabled()  # a payroll deduction: no receipt, as when it was entered
    asked: list[str] = []
    assert not dialog.delete_payment(ask=lambda _title, text: asked.append(text) or False)
    assert f"{YEAR}年1月—8月将恢复为未缴" in asked[0] and months(dues_window, known.paid_most)[0] == "已缴"
    with qtbot.waitSignal(dues_window.context.changed, timeout=5000) as announced:
        assert dialog.delete_payment(ask=lambda *_: True)
    assert announced.args[0].touches("dues_payments")
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 0, timeout=5000)
    assert (
        "已删除缴费记录：张伟" in dialog.outcome.text() and dialog.summary.text() == "这名会员还没有缴费记录"
    )
    qtbot.waitUntil(lambda: cell(dues_window, known.paid_most, 1) == "未缴", timeout=5000)
    assert months(dues_window, known.paid_most) == ["未缴"] * 12
    dialog.accept()
    wait_idle(qtbot)


def test_the_menu_opens_the_records_of_the_member_selected_in_the_roster(
    dues_window: MainWindow, known: Known, qtbot: QtBot
) -> None:
    from app.ui.dues.payments_dialog import PaymentsDialog

    dues_window.show_page("会员名册")
    qtbot.waitUntil(lambda: dues_window.roster.model.total_count == 5, timeout=5000)
    assert dues_window.roster.select_member(known.retired_july)
    (action,) = [
        a for m in dues_window.menuBar().actions() for a in m.menu().actions() if a.text() == "缴费记录…"
    ]
    action.trigger()
    (dialog,) = dues_window.findChildren(PaymentsDialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=5000)
    assert dialog.picker.current is not None and dialog.picker.current.id == known.retired_july
    dialog.reject()
    wait_idle(qtbot)


def test_named_months_are_covered_first(dues_window: MainWindow, known: Known, qtbot: QtBot) -> None:
    dialog = dues_window.dues.record_payment(known.never_paid, YearMonth(YEAR, 12))
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.fill_owed.isEnabled(), timeout=5000)
    assert dialog.amount.text() == "30.00"  # what December still lacks
    assert dialog.cover.text() == f"将冲抵 {YEAR}年12月，余 0.00 元"
    dialog.months.set_months([])
    assert dialog.cover.text() == f"将冲抵 {YEAR}年1月，余 0.00 元"  # the oldest unpaid first
    dialog.reject()


def test_a_future_date_or_no_member_is_refused_in_words(dues_window: MainWindow, qtbot: QtBot) -> None:
    dialog = dues_window.dues.record_payment()
    assert dialog is not None
    dialog.amount.setText("10")
    dialog.save()
    assert "请先" in dialog.errors["member"].text()
    assert dialog.form_box.isVisible()
    dialog.reject()


def test_the_batch_preview_totals_what_is_owed_and_applying_marks_it_paid(
    dues_window: MainWindow, known: Known, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = dues_window.dues
    page.ledger.group.setCurrentIndex(page.ledger.group.findData(known.group))
    dialog = page.batch()
    assert dialog is not None
    # it offers the latest rolled month alone: the year's arrears are not one click away
    assert dialog.first.value() == dialog.last.value() == YearMonth(YEAR, 12)
    dialog.first.set_value(YearMonth(YEAR, 1))
    dialog.last.set_value(YearMonth(YEAR, 12))
    dialog.preview()
    qtbot.waitUntil(lambda: dialog.plan is not None and dialog.ok_button.isEnabled(), timeout=5000)
    plan = dialog.plan
    assert plan is not None
    assert {line.member_id: line.amount_fen for line in plan.lines} == {
        known.paid_most: 4 * 1540,
        known.never_paid: 12 * 3000,
    }
    assert plan.total_fen == 4 * 1540 + 12 * 3000
    assert dialog.total.text() == "共 2 人，合计 421.60 元"
    assert dialog.model.rowCount() == 2
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    with qtbot.waitSignal(dues_window.context.changed, timeout=10_000):
        dialog.apply()
    qtbot.waitUntil(lambda: bool(told), timeout=5000)
    assert "2 人" in told[0] and "421.60 元" in told[0]
    qtbot.waitUntil(lambda: months(dues_window, known.never_paid) == ["已缴"] * 12, timeout=5000)
    assert months(dues_window, known.paid_most) == ["已缴"] * 12
    page.ledger.group.setCurrentIndex(0)  # 全部分组
    months(dues_window, known.joined_april)  # asks for her row as painting would
    qtbot.waitUntil(lambda: not page.model.pending, timeout=5000)
    assert months(dues_window, known.joined_april)[4] == "未缴"  # not in the group: not collected


def test_the_arrears_tab_flags_long_debtors_and_writes_its_files(
    dues_window: MainWindow, known: Known, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = dues_window.dues
    tab = page.arrears
    tab.through.set_value(YearMonth(YEAR, 12))
    page.show_arrears()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 3, timeout=5000)
    rows = {tab.model.row_at(i).member_id: i for i in range(3)}
    flag, count = tab.model.column_index("flag"), tab.model.column_index("consecutive")
    assert tab.model.index(rows[known.joined_april], flag).data() == LONG_TEXT  # 8 months in a row
    assert tab.model.index(rows[known.never_paid], count).data() == "12"
    assert tab.model.index(rows[known.paid_most], flag).data() == ""  # 4 months
    assert tab.model.index(rows[known.joined_april], tab.model.column_index("months")).data() == (
        f"{YEAR}年5月—12月"
    )
    assert "其中连续6个月以上未缴的" in tab.summary.text() and ">2<" in tab.summary.text()
    for name, action in (("欠缴名单.xlsx", tab.export), ("催缴单.pdf", tab.print_reminders)):
        out = tmp_path / name
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, o=out, **k: (str(o), ""))
        told: list[str] = []
        monkeypatch.setattr(QMessageBox, "information", lambda *a, t=told, **k: t.append(a[2]))
        action()
        qtbot.waitUntil(lambda: bool(told), timeout=10_000)  # noqa: B023 - called before the loop goes on
        assert out.is_file() and out.stat().st_size > 1000 and str(out) in told[0]


def test_rolling_again_reports_who_has_no_base_wage(dues_window: MainWindow, qtbot: QtBot) -> None:
    dialog = dues_window.dues.roll()
    assert dialog is not None
    assert f"{YEAR}年已生成应缴的月份：{YEAR}年1月—12月" in dialog.already.text()
    dialog.first.set_value(YearMonth(YEAR, 3))
    dialog.last.set_value(YearMonth(YEAR, 3))
    dialog.run()
    qtbot.waitUntil(lambda: dialog.roll_result is not None, timeout=5000)
    report = dialog.report.toPlainText()
    assert "没有变化" in report and f"孙丽：{YEAR}年3月" in report
    dialog.accept()


def test_a_future_roll_is_refused_in_words(dues_window: MainWindow, qtbot: QtBot) -> None:
    dialog = dues_window.dues.roll()
    assert dialog is not None
    now = YearMonth.of(date.today())
    dialog.first.setMaximumDate(dialog.first.maximumDate().addMonths(3))
    dialog.last.setMaximumDate(dialog.last.maximumDate().addMonths(3))
    dialog.first.set_value(now)
    dialog.last.set_value(now.add_months(2))
    dialog.run()
    qtbot.waitUntil(lambda: bool(dialog.error.text()), timeout=5000)
    assert "还没有到" in dialog.error.text() and dialog.ok_button.isEnabled()
    dialog.reject()


def test_the_roster_panel_shows_the_dues_account(dues_window: MainWindow, known: Known, qtbot: QtBot) -> None:
    dues_window.show_page("会员名册")
    roster = dues_window.roster
    qtbot.waitUntil(lambda: roster.model.total_count == 5, timeout=5000)
    assert roster.select_member(known.joined_april)
    panel = roster.detail
    qtbot.waitUntil(lambda: panel.dues_line.text() == "会费：欠缴 200.00 元", timeout=5000)
    assert f"{YEAR}年5月—12月" in panel.dues_line.toolTip()
    assert panel.charges.rowCount() == 8
    assert panel.charges.index(0, panel.charges.column_index("state")).data() == "未缴"
    assert roster.select_member(known.retired_july)
    qtbot.waitUntil(lambda: panel.payments.rowCount() == 1, timeout=5000)
    assert panel.dues_line.text() == "会费：已结清"
    payments = panel.payments
    assert payments.index(0, payments.column_index("method")).data() == "工资代扣"
    assert payments.index(0, payments.column_index("covered")).data() == f"{YEAR}年1月—6月"
    records = panel.show_payments()  # every payment of the member, to delete or print again
    assert records is not None
    qtbot.waitUntil(lambda: records.model.rowCount() == 1, timeout=5000)
    assert records.picker.current is not None and records.picker.current.id == known.retired_july
    assert records.model.index(0, records.model.column_index("covered")).data() == f"{YEAR}年1月—6月"
    records.reject()
    wait_idle(qtbot)


def test_a_new_year_shows_how_to_begin(dues_window: MainWindow, qtbot: QtBot) -> None:
    ledger = dues_window.dues.ledger
    ledger.set_year(date.today().year)
    qtbot.waitUntil(
        lambda: ledger.figures is not None and ledger.figures.year == date.today().year, timeout=5000
    )
    wait_cells(qtbot, dues_window)
    assert ledger.hint.isVisibleTo(dues_window) and "还没有生成应缴会费" in ledger.hint.text()


def test_the_roll_offers_the_months_not_rolled_yet() -> None:
    from app.ui.dues.roll_dialog import _first_to_roll

    done = tuple(YearMonth(2026, m) for m in range(1, 12))
    assert _first_to_roll(2026, YearMonth(2026, 12), done) == YearMonth(2026, 12)
    assert _first_to_roll(2026, YearMonth(2026, 12), ()) == YearMonth(2026, 1)
    gap = tuple(m for m in done if m != YearMonth(2026, 4))
    assert _first_to_roll(2026, YearMonth(2026, 12), gap) == YearMonth(2026, 4)  # a month left out
    assert _first_to_roll(2026, YearMonth(2026, 11), done) == YearMonth(2026, 11)  # all done: this month


def test_the_totals_say_why_due_less_paid_is_not_the_arrears() -> None:
    from app.services.dues import Totals

    # the fixtures' year: 11.00 paid ahead by one member, not yet covering a charge
    ahead = Totals(due_fen=8_578_825, paid_fen=8_405_995, covered_fen=8_404_895)
    assert ahead.due_fen - ahead.paid_fen != ahead.arrears_fen
    assert ahead.unmatched_note() == "（其中 11.00 元没有冲抵本年的应缴：预缴、多缴或补缴往年）"
    before = Totals(due_fen=10_000, paid_fen=6_000, covered_fen=8_000)  # 20.00 paid last year
    assert before.unmatched_note() == "（另有 20.00 元应缴由往年的预缴冲抵）"
    assert Totals(due_fen=10_000, paid_fen=8_000, covered_fen=8_000).unmatched_note() == ""
