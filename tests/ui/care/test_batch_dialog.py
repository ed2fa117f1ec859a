"""集中发放 in the GUI: the preview lists every recipient checked against the caps and their
dues, anyone can be taken off, a reason is needed over a cap, 发放 writes the batch in one
go and offers its 签领表; the batches list prints again and undoes a batch whole."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.db_backup import default_folder
from app.domain.care import Occasion
from app.models import CareRecord
from app.services.care import PAY_BY, BatchInput, Chooser, create_batch, list_care
from app.ui.care import batch_dialog
from app.ui.care.batch_dialog import CareBatchDialog
from app.ui.care.batches_dialog import BatchesDialog
from app.ui.main_window import MainWindow
from tests.ui.care.conftest import YEAR, CareUnion, opened_db, pdf_text
from tests.ui.conftest import wait_idle


def records(window: MainWindow) -> int:
    with opened_db(window).reader() as session:
        return int(session.scalar(select(func.count()).select_from(CareRecord)) or 0)


def open_batch(window: MainWindow, qtbot: QtBot) -> CareBatchDialog:
    dialog = window.care.batch()
    assert dialog is not None
    qtbot.waitSignal(dialog.ready, timeout=5000).wait()
    return dialog


def preview(dialog: CareBatchDialog, qtbot: QtBot) -> list[str]:
    with qtbot.waitSignal(dialog.previewed, timeout=10_000):
        dialog.preview()
    return sorted(line.name for line in dialog.model.rows)


def mid_autumn(dialog: CareBatchDialog) -> None:
    """中秋 月饼 worth 200 each, on 20 September of last year."""
    dialog.day.setDate(QDate(YEAR, 9, 20))
    dialog.occasion.setCurrentIndex(dialog.occasion.findData(Occasion.FESTIVAL.value))
    dialog.variant.setCurrentText("中秋")
    dialog.goods.setText("月饼")
    dialog.goods_value.setText("200")


def test_the_default_name_of_a_spring_festival_batch_given_in_winter_is_the_coming_years() -> None:
    assert batch_dialog.default_name(date(2026, 12, 4), "送温暖", "春节") == "2027年春节送温暖"
    assert batch_dialog.default_name(date(2027, 1, 20), "送温暖", "春节") == "2027年春节送温暖"
    assert batch_dialog.default_name(date(2026, 9, 20), "节日慰问", "中秋") == "2026年中秋节日慰问"
    assert batch_dialog.default_name(date(2026, 12, 4), "金秋助学", "") == "2026年金秋助学"


def test_the_choices_are_the_services() -> None:
    assert tuple(c.value for c in Chooser) == batch_dialog.CHOOSERS
    assert batch_dialog.PAY_BY == PAY_BY


def test_a_batch_is_previewed_trimmed_given_and_its_sheet_printed(
    care_window: MainWindow, union: CareUnion, qtbot: QtBot
) -> None:
    dialog = open_batch(care_window, qtbot)
    assert dialog.name.text() == batch_dialog.default_name(date.today(), "送温暖", "春节")
    mid_autumn(dialog)
    assert dialog.name.text() == f"{YEAR}年中秋节日慰问"  # follows until the user writes their own
    assert not dialog.give_button.isEnabled()
    assert preview(dialog, qtbot) == ["张伟", "李娜", "王芳", "赵强"]
    over = {line.name: line.over for line in dialog.model.rows if line.over}
    assert list(over) == ["李娜"] and "1,600.00" in over["李娜"]  # 1,400 of 年货 already
    over_column = dialog.model.column_index("over")
    li = dialog.model.position_of(union.li)
    assert li is not None and "1,600.00" in str(dialog.model.index(li, over_column).data())
    assert "共 4 人，每人 200.00 元，合计 800.00 元" in dialog.totals.text()
    assert "超过标准 1 人" in dialog.totals.text() and "必填" in dialog.reason_label.text()
    dialog.give()  # no reason yet
    assert "有 1 人超过标准" in dialog.error.text()
    wait_idle(qtbot)
    assert records(care_window) == 4  # nothing written
    assert dialog.table.select_id(union.zhao)
    with qtbot.waitSignal(dialog.previewed, timeout=10_000):
        dialog.drop_selected()
    assert sorted(line.name for line in dialog.model.rows) == ["张伟", "李娜", "王芳"]
    assert dialog.leave_out == {union.zhao} and "已去掉 1 人" in dialog.totals.text()
    assert dialog.restore_button.text() == "恢复去掉的 1 人"
    dialog.reason.setText("中秋慰问统一标准，经工会委员会研究同意")
    dialog.pay_by.setCurrentText("银行转账")
    with qtbot.waitSignal(dialog.created, timeout=10_000) as created:
        dialog.give()
    batch_id = created.args[0]
    assert dialog.batch_id == batch_id and "3 人，合计 600.00 元" in dialog.outcome.text()
    assert dialog.give_button.isHidden() and not dialog.print_button.isHidden()
    assert dialog.cancel_button.text() == "关闭" and not dialog.inputs.isEnabled()
    with opened_db(care_window).reader() as session:
        given = list_care(session, batch_id=batch_id)
    assert sorted(r.recipient for r in given) == ["张伟", "李娜", "王芳"]
    assert [(r.recipient, r.reason) for r in given if r.over_cap] == [
        ("李娜", "中秋慰问统一标准，经工会委员会研究同意")
    ]
    sheet = dialog.print_sheet()
    assert sheet is not None
    with qtbot.waitSignal(sheet.shown, timeout=15_000) as pages:
        pass
    assert pages.args[0] >= 1
    text = pdf_text(sheet.path)
    assert f"{YEAR}年中秋节日慰问" in text and "李娜" in text and "赵强" not in text
    # 月饼 are handed over, whatever way money would have gone: no money to transfer to a bank
    assert "慰问品发放签领表" in text and "发放方式：实物" in text and "银行转账明细" not in text
    sheet.reject()
    dialog.reject()
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: care_window.care.model.total_count == 7, timeout=5000)


def test_each_chooser_picks_its_people(care_window: MainWindow, union: CareUnion, qtbot: QtBot) -> None:
    dialog = open_batch(care_window, qtbot)
    mid_autumn(dialog)
    dialog.chooser.setCurrentText("困难职工")
    assert preview(dialog, qtbot) == ["王芳"]
    dialog.chooser.setCurrentText("分组")
    assert not dialog.group.isHidden()
    dialog.group.setCurrentIndex(dialog.group.findData(union.workshop))
    assert preview(dialog, qtbot) == ["张伟", "李娜"]  # 甲班 is under 一车间
    assert "分组：一车间" in dialog.status.text()
    dialog.chooser.setCurrentText("名单")
    assert not dialog.list_box.isHidden() and dialog.group.isHidden()
    assert preview(dialog, qtbot) == [] and "名单里还没有人" in dialog.error.text()
    dialog.picker.search.setText("赵强")
    qtbot.waitUntil(lambda: dialog.picker.current is not None, timeout=5000)
    dialog.add_to_list()
    dialog.add_to_list()  # once is enough
    assert dialog.list_count.text() == "名单共 1 人"
    assert preview(dialog, qtbot) == ["赵强"]
    assert dialog.give_button.isEnabled()
    dialog.cash.setText("100")  # the preview no longer holds
    assert not dialog.give_button.isEnabled() and dialog.model.rowCount() == 0
    assert "重新点“预览”" in dialog.status.text()
    dialog.reject()


def test_a_shopping_card_or_no_amount_is_refused_before_anything_is_given(
    care_window: MainWindow, qtbot: QtBot
) -> None:
    dialog = open_batch(care_window, qtbot)
    dialog.day.setDate(QDate(YEAR, 1, 15))
    assert preview(dialog, qtbot) == [] and "请填写每人的慰问金或慰问品价值" in dialog.error.text()
    dialog.goods.setText("超市购物卡")
    dialog.goods_value.setText("300")
    assert preview(dialog, qtbot) == [] and "购物卡" in dialog.error.text()
    assert not dialog.give_button.isEnabled()
    dialog.goods_value.setText("三百")
    dialog.preview()
    assert "每人慰问品价值" in dialog.error.text()
    dialog.reject()
    wait_idle(qtbot)
    assert records(care_window) == 4


def test_the_batches_list_prints_and_undoes_a_batch_whole(
    care_window: MainWindow, union: CareUnion, qtbot: QtBot
) -> None:
    data = BatchInput(name=f"{YEAR}年金秋助学", occasion=Occasion.SCHOOL_AID, day=date(YEAR, 8, 25), cash_fen=80_000,
                      chooser=Chooser.GROUP, group_id=union.workshop)  # fmt: skip
    opened_db(care_window).write(lambda session: create_batch(session, data), None)
    dialog = care_window.care.show_batches()
    assert isinstance(dialog, BatchesDialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=5000)
    (batch,) = dialog.model.rows
    assert (batch.people, batch.total_fen) == (2, 160_000)
    assert dialog.model.index(0, dialog.model.column_index("each")).data() == "800.00 元"
    assert dialog.undo_button.isEnabled() and "2 条慰问记录" in dialog.why.text()
    sheet = dialog.print_sheet()
    assert sheet is not None
    qtbot.waitSignal(sheet.shown, timeout=15_000).wait()
    assert "金秋助学" in pdf_text(sheet.path) and "张伟" in pdf_text(sheet.path)
    sheet.reject()
    asked: list[str] = []
    assert not dialog.undo(lambda _title, text: asked.append(text) or False)
    assert "将删除这次发放的 2 条慰问记录，合计 1,600.00 元" in asked[0]
    assert records(care_window) == 6
    assert dialog.undo(lambda _title, _text: True)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 0, timeout=5000)
    assert f"已撤销集中发放“{YEAR}年金秋助学”：删除 2 条慰问记录" in dialog.outcome.text()
    assert records(care_window) == 4 and dialog.why.text() == "还没有集中发放过"
    dialog.reject()


def test_a_large_batchs_backup_starts_with_the_preview_and_goes_if_nothing_is_given(
    care_window: MainWindow, union: CareUnion, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.db_backup

    monkeypatch.setattr(app.db_backup, "BULK_WRITE_ROWS", 3)  # four people count as many here
    db = opened_db(care_window)
    db.auto_backup = True
    dialog = open_batch(care_window, qtbot)
    mid_autumn(dialog)
    assert db._ahead is None
    preview(dialog, qtbot)
    ahead = db._ahead
    assert ahead is not None  # made while the list is read
    dialog.reject()
    assert db._ahead is None
    ahead.wait()
    assert not list(default_folder(db.path).glob("*批量写入前*"))
