"""The 慰问帮扶 page's filters and actions on a known year: the rows and the totals follow
occasion, group, over-cap and dates; a record is corrected in the entry form and deleted
after a question naming it; the 签领表 and the 领取单 open in the print preview."""

from __future__ import annotations

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.domain.care import Occasion
from app.models import CareBatch, CareRecord
from app.services.care import list_care
from app.ui.care import BATCHES, RECORDS
from app.ui.care.page import DATES, OVER, PRINT_TIP, CarePage
from app.ui.main_window import MainWindow
from app.ui.print_preview import PrintPreviewDialog
from tests.ui.care.conftest import YEAR, CareUnion, opened_db, pdf_text
from tests.ui.conftest import wait_idle


def names(page: CarePage) -> list[str]:
    return sorted(row.recipient for row in page.model.shown())


def choose(page: CarePage, combo: str, data: object) -> None:
    box = getattr(page, combo)
    index = box.findData(data)
    assert index >= 0, data
    box.setCurrentIndex(index)


def test_the_watched_tables_are_the_models() -> None:
    assert (CareRecord.__tablename__, CareBatch.__tablename__) == (RECORDS, BATCHES)


def test_the_filters_narrow_the_rows_and_the_totals_follow(
    care_window: MainWindow, union: CareUnion, qtbot: QtBot
) -> None:
    page = care_window.care
    assert names(page) == ["张伟", "李娜", "王芳", "赵强"]
    assert f"{YEAR}年：慰问 4 人次，合计 3,300.00 元，其中{OVER}的" in page.summary.text()
    choose(page, "occasion", Occasion.HOSPITAL.value)
    assert names(page) == ["张伟"]
    assert f"{YEAR}年（住院）：慰问 1 人次，合计 1,200.00 元" in page.summary.text()
    assert "另有 3 条不符合筛选条件" in page.summary.text()
    choose(page, "occasion", None)
    choose(page, "group", "一车间")  # with 甲班 below it
    assert names(page) == ["张伟", "李娜"]
    assert "（一车间）：慰问 2 人次，合计 2,600.00 元" in page.summary.text()
    choose(page, "group", "一车间 / 甲班")
    assert names(page) == ["李娜"]
    choose(page, "group", None)
    page.over_only.setChecked(True)
    assert names(page) == ["张伟"] and "只看超过标准" in page.summary.text()
    page.over_only.setChecked(False)
    choose(page, "period", DATES)
    assert page.year.isHidden() and not page.dates.isHidden()
    page.first.setDate(QDate(YEAR, 1, 1))
    page.last.setDate(QDate(YEAR, 3, 31))
    qtbot.waitUntil(lambda: page.model.total_count == 2, timeout=5000)
    assert names(page) == ["张伟", "李娜"]
    assert f"{YEAR}-01-01 至 {YEAR}-03-31：慰问 2 人次" in page.summary.text()
    page.first.setDate(QDate(YEAR, 4, 1))
    qtbot.waitUntil(lambda: "开始日期晚于结束日期" in page.summary.text(), timeout=5000)
    assert page.model.total_count == 0


def test_the_sign_sheet_holds_the_period_and_occasion_shown(
    care_window: MainWindow, union: CareUnion, qtbot: QtBot
) -> None:
    page = care_window.care
    assert "分组" in page.print_button.toolTip() and page.print_button.toolTip() == PRINT_TIP
    assert "查找条件只在屏幕上筛选" in PRINT_TIP
    choose(page, "occasion", Occasion.HOSPITAL.value)
    dialog = page.print_sheet()
    assert dialog is not None
    with qtbot.waitSignal(dialog.shown, timeout=15_000) as pages:
        pass
    assert pages.args == [1] and dialog.note.isHidden()
    text = pdf_text(dialog.path)
    assert "张伟" in text and "李娜" not in text and f"住院（{YEAR}年1月1日至{YEAR}年12月31日）" in text
    flat = "".join(text.split())  # a narrow cell wraps its text
    assert "超标准，见说明1" in flat and "原因：手术住院，经工会委员会研究同意" in flat  # the reason in full
    dialog.reject()
    choose(page, "occasion", None)
    choose(page, "group", "一车间")  # with 甲班 under it
    assert names(page) == ["张伟", "李娜"]
    narrowed = page.print_sheet()
    assert narrowed is not None
    qtbot.waitSignal(narrowed.shown, timeout=15_000).wait()
    assert narrowed.note.isHidden()
    text = pdf_text(narrowed.path)
    assert (
        "张伟" in text and "李娜" in text and "王芳" not in text and "赵强" not in text and "一车间" in text
    )
    narrowed.reject()
    page.search.setText("张")  # a search narrows the screen only, and the preview says so
    searched = page.print_sheet()
    assert searched is not None
    qtbot.waitSignal(searched.shown, timeout=15_000).wait()
    assert not searched.note.isHidden() and "查找条件只在屏幕上筛选" in searched.note.text()
    assert "李娜" in pdf_text(searched.path)
    searched.reject()


def test_an_empty_period_is_refused_in_words(care_window: MainWindow, qtbot: QtBot) -> None:
    page = care_window.care
    page.year.setValue(YEAR - 1)
    qtbot.waitUntil(
        lambda: page.model.total_count == 0 and "慰问 0 人次" in page.summary.text(), timeout=5000
    )
    dialog = page.print_sheet()
    assert dialog is not None
    with qtbot.waitSignal(dialog.refused, timeout=15_000):
        pass
    assert "没有可打印的慰问记录" in dialog.error.text() and not dialog.print_button.isEnabled()
    dialog.reject()


def test_the_voucher_of_the_selected_record(care_window: MainWindow, union: CareUnion, qtbot: QtBot) -> None:
    page = care_window.care
    assert not page.voucher_button.isEnabled() and page.print_voucher() is None
    assert page.table.select_id(union.hospital)
    assert all(b.isEnabled() for b in (page.voucher_button, page.edit_button, page.delete_button))
    dialog = page.print_voucher()
    assert isinstance(dialog, PrintPreviewDialog)
    qtbot.waitSignal(dialog.shown, timeout=15_000).wait()
    (label,) = dialog.page_labels
    assert label.width() > label.height()  # A5 landscape
    text = pdf_text(dialog.path)
    assert "慰问金领取单" in text and "张伟" in text and "壹仟贰佰元整" in text
    assert dialog.default_name == f"慰问金领取单_张伟_{YEAR}-03-02.pdf"
    dialog.reject()


def test_a_record_is_corrected_in_the_entry_form(
    care_window: MainWindow, union: CareUnion, qtbot: QtBot
) -> None:
    page = care_window.care
    assert page.table.select_id(union.birthday)
    dialog = page.edit_record()
    assert dialog is not None
    qtbot.waitSignal(dialog.ready, timeout=5000).wait()
    assert dialog.windowTitle() == "修改慰问记录" and dialog.save_button.text() == "保存修改"
    assert dialog.picker.current is not None and dialog.picker.current.name == "王芳"
    assert (dialog.occasion.currentData(), dialog.goods.text(), dialog.goods_value.text(), dialog.cash.text()) == (
        "生日", "蛋糕券（指定蛋糕店）", "200.00", "",
    )  # fmt: skip
    assert dialog.day.date() == QDate(YEAR, 5, 20)
    dialog.goods_value.setText("400")  # over 安徽's 300 a birthday
    dialog.save()
    qtbot.waitUntil(lambda: "超过标准，须写明原因" in dialog.error.text(), timeout=5000)
    dialog.goods_value.setText("250")
    with qtbot.waitSignal(dialog.saved, timeout=5000) as saved:
        dialog.save()
    assert saved.args == [union.birthday]
    wait_idle(qtbot)
    qtbot.waitUntil(
        lambda: (
            page.model.position_of(union.birthday) is not None
            and page.model.row_at(page.model.position_of(union.birthday) or 0).amount_fen == 25_000
        ),
        timeout=5000,
    )
    with opened_db(care_window).reader() as session:
        records = list_care(session, year=YEAR)
    assert len(records) == 4  # corrected in place, not added
    assert [r.goods_fen for r in records if r.id == union.birthday] == [25_000]


def test_delete_asks_naming_the_record(care_window: MainWindow, union: CareUnion, qtbot: QtBot) -> None:
    page = care_window.care
    assert page.table.select_id(union.wedding)
    asked: list[str] = []
    assert not page.delete_record(lambda _title, text: asked.append(text) or False)
    assert f"赵强 {YEAR}-06-01 结婚 500.00 元" in asked[0] and "不能恢复" in asked[0]
    wait_idle(qtbot)
    assert page.model.total_count == 4
    assert page.delete_record(lambda _title, _text: True)
    qtbot.waitUntil(lambda: page.model.total_count == 3, timeout=5000)
    assert "赵强" not in names(page)
    with opened_db(care_window).reader() as session:
        assert session.scalar(select(func.count()).select_from(CareRecord)) == 3


def test_the_right_click_menu_offers_the_row_actions(care_window: MainWindow, union: CareUnion) -> None:
    page = care_window.care
    assert page.row_menu() is None  # nothing selected
    assert page.table.select_id(union.hospital)
    menu = page.row_menu()
    assert menu is not None
    assert [a.text() for a in menu.actions() if a.text()] == [
        "修改…",
        "填写超标准原因…",
        "打印领取单…",
        "删除…",
    ]
    menu.deleteLater()
    assert page.table.select_id(union.wedding)
    menu = page.row_menu()
    assert menu is not None
    assert [a.text() for a in menu.actions() if a.text()] == ["修改…", "打印领取单…", "删除…"]
    menu.deleteLater()


def test_double_click_asks_the_reason_over_a_cap_and_edits_otherwise(
    care_window: MainWindow, union: CareUnion, qtbot: QtBot
) -> None:
    from app.ui.care.record_dialog import CareRecordDialog

    page = care_window.care
    asked: list[str] = []
    page._ask_reason = lambda about, _current: asked.append(about) or None  # type: ignore[method-assign]
    assert page.table.select_id(union.hospital)
    page._double_clicked()
    assert len(asked) == 1 and "住院每次不超过 1,000.00 元" in asked[0]
    assert page.findChildren(CareRecordDialog) == []
    assert page.table.select_id(union.wedding)
    page._double_clicked()
    (dialog,) = page.findChildren(CareRecordDialog)
    assert dialog.record_id == union.wedding and len(asked) == 1
    qtbot.waitSignal(dialog.ready, timeout=5000).wait()
    assert dialog.cash.text() == "500.00"
    dialog.reject()
