"""The 慰问帮扶 page: the register imported through the wizard, listed with its over-cap
record flagged in words, and the year's 人次 and sum."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.db import open_database
from app.models import CareRecord
from app.services.system import ProfileData, save_profile
from app.ui.care.page import OVER, RECORDS, WITHIN
from app.ui.main_window import MainWindow
from tests.ui.conftest import open_window, wait_idle
from tests.unit.dues.import_support import id_number, write_xlsx

YEAR = date.today().year - 1  # a whole year behind today, whatever today is


def one_member_union(tmp_path: Path) -> Path:
    """A 安徽 union with one member, 张伟."""
    from app.domain.members import MemberInput
    from app.services.roster import create_member

    path = tmp_path / "u.db"
    db = open_database(path, create=True)
    with db.session() as session:
        save_profile(session, ProfileData(name="测试工会", province="安徽"))
        create_member(session, MemberInput(name="张伟", id_number=id_number(1), joined_on=date(2010, 1, 1)))
    db.close()
    return path


def care_window(qtbot: QtBot, path: Path) -> MainWindow:
    window = open_window(qtbot, path)
    window.show_page("慰问帮扶")
    return window


def test_the_records_table_is_the_models() -> None:
    assert CareRecord.__tablename__ == RECORDS


def test_import_the_register_and_see_it_flagged(qtbot: QtBot, tmp_path: Path) -> None:
    path = one_member_union(tmp_path)
    register = write_xlsx(tmp_path / "登记.xlsx", [
        ["日期", "姓名", "身份证号", "慰问事由", "慰问金", "慰问品", "慰问品价值"],
        ["3月2日", "张伟", id_number(1), "生病住院", 1200, "", ""],
        ["5月20日", "张伟", id_number(1), "生日蛋糕", "", "蛋糕券（指定蛋糕店）", 200],
    ])  # fmt: skip
    window = care_window(qtbot, path)
    page = window.care
    page.year.setValue(YEAR)
    wizard = page.import_register()
    assert wizard is not None
    wizard.file_page.load(register)
    qtbot.waitUntil(wizard.file_page.isComplete, timeout=10_000)
    wizard.next()
    assert wizard.mapping_page.isComplete()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.preview_page.state.plan is not None, timeout=15_000)
    assert "新增 2 " in wizard.preview_page.counts.text()
    with qtbot.waitSignal(wizard.imported, timeout=15_000):
        wizard.next()
    wizard.accept()
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10_000)
    flags = [page.model.index(r, page.model.column_index("flag")).data() for r in range(2)]
    days = [page.model.row_at(r).day for r in range(2)]
    assert sorted(days) == [date(YEAR, 3, 2), date(YEAR, 5, 20)]
    assert sorted(flags) == sorted([WITHIN, OVER])
    assert (
        f"{YEAR}年：慰问 2 人次，合计 1,400.00 元" in page.summary.text()
        and "1</b> 人次" in page.summary.text()
    )


def test_a_record_is_checked_as_it_is_typed(qtbot: QtBot, tmp_path: Path) -> None:
    path = one_member_union(tmp_path)
    window = care_window(qtbot, path)
    dialog = window.care.add_record()
    assert dialog is not None
    qtbot.waitUntil(
        lambda: not dialog.picker.hint.isVisible() or dialog.picker.hint.text() == "", timeout=5000
    )
    dialog.picker.search.setText("张伟")
    qtbot.waitUntil(lambda: dialog.picker.current is not None, timeout=5000)
    dialog.occasion.setCurrentIndex(dialog.occasion.findData("生日"))
    dialog.goods.setText("超市购物卡")
    dialog.goods_value.setText("300")
    qtbot.waitUntil(lambda: "不能发放" in dialog.findings.text(), timeout=5000)
    dialog.goods.setText("生日蛋糕券（指定蛋糕店）")
    dialog.goods_value.setText("400")
    qtbot.waitUntil(lambda: "超过标准" in dialog.findings.text(), timeout=5000)
    assert "每次不超过 300.00 元" in dialog.findings.text()
    dialog.save()  # no reason yet
    qtbot.waitUntil(lambda: bool(dialog.error.text()), timeout=5000)
    assert "超过标准，须写明原因" in dialog.error.text()
    dialog.reason.setText("职工五十岁生日，工会委员会同意")
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save()
    wait_idle(qtbot)
    page = window.care
    page.year.setValue(date.today().year)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    assert page.model.index(0, page.model.column_index("flag")).data() == OVER
    assert page.model.row_at(0).reason == "职工五十岁生日，工会委员会同意"


def test_an_imported_record_over_its_cap_gets_its_reason(qtbot: QtBot, tmp_path: Path) -> None:
    from app.domain.care import IMPORTED_REASON

    path = one_member_union(tmp_path)
    db = open_database(path)
    with db.session() as session:
        session.add(CareRecord(member_id=1, recipient="张伟", day=date(YEAR, 3, 2), occasion="住院", cash_fen=120_000,
                               over_cap="住院每次不超过 1,000.00 元", reason=IMPORTED_REASON, source="导入"))  # fmt: skip
    db.close()
    window = care_window(qtbot, path)
    page = window.care
    page.year.setValue(YEAR)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    assert page.model.row_at(0).awaiting_reason
    assert page.table.select_id(page.model.row_at(0).id)
    asked: list[tuple[str, str]] = []
    page.write_reason(
        lambda about, current: asked.append((about, current)) or "手术住院，经工会委员会研究同意"
    )
    qtbot.waitUntil(
        lambda: page.model.rowCount() == 1 and not page.model.row_at(0).awaiting_reason, timeout=5000
    )
    assert page.model.row_at(0).reason == "手术住院，经工会委员会研究同意"
    assert (
        "住院每次不超过 1,000.00 元" in asked[0][0] and asked[0][1] == ""
    )  # the placeholder is not offered as text
