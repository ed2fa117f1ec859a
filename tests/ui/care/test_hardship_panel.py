"""困难职工档案 in the GUI: a file opened through the editor is listed with its income per
head; a refusal is shown in Chinese under its field and nothing is written; the yearly review
moves 下次复核; closing takes the file out of 在档 (and 撤销结案 brings it back); an existing
file opens with its household and aid history; the 档案表 is previewed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.db import Database, open_database
from app.domain.hardship import review_state
from app.models import CareRecord, HardshipFile, HardshipRelative, Member
from app.services.system import ProfileData, save_profile
from app.ui.care.hardship_dialog import BASIC, FAMILY, INCOME, NAME, RELATION, HardshipDialog
from app.ui.care.hardship_panel import (
    FILES,
    OVERDUE,
    RECORDS,
    RELATIVES,
    HardshipPanel,
)
from app.ui.context import AppContext
from app.ui.operations import wait_for_operations
from tests.ui.conftest import wait_idle
from tests.unit.dues.import_support import id_number


def test_the_watched_tables_are_the_models() -> None:
    assert (HardshipFile.__tablename__, HardshipRelative.__tablename__, CareRecord.__tablename__) == (
        FILES,
        RELATIVES,
        RECORDS,
    )


MEMBERS = ("张伟", "李娜", "王强")


@pytest.fixture
def opened_db(tmp_path: Path) -> Iterator[Database]:
    """A union of three members and no hardship file yet."""
    from app.domain.members import MemberInput
    from app.services.roster import create_member

    db = open_database(tmp_path / "u.db", create=True)
    with db.session() as session:
        save_profile(session, ProfileData(name="测试工会", province="安徽"))
        for n, name in enumerate(MEMBERS, start=1):
            create_member(session, MemberInput(name=name, id_number=id_number(n), joined_on=date(2010, 1, 1)))
    yield db
    wait_for_operations(10_000)
    db.close()


@pytest.fixture
def context(opened_db: Database) -> AppContext:
    context = AppContext()
    context.set_database(opened_db)
    return context


def _members(db: Database, count: int) -> list[tuple[int, str]]:
    with db.reader() as session:
        rows = session.execute(select(Member.id, Member.name).order_by(Member.id).limit(count))
        return [(int(i), str(n)) for i, n in rows]


def _files(db: Database) -> int:
    with db.reader() as session:
        return int(session.scalar(select(func.count()).select_from(HardshipFile)) or 0)


def _open_file(db: Database, member_id: int, opened_on: date, *, aid_fen: int = 0) -> int:
    """A file opened outside the GUI (as `hardship open` would), with one aid record if asked."""
    from app.services.care import HardshipInput, Relative, open_file

    with db.session() as session:
        file_id = open_file(
            session,
            HardshipInput(
                member_id=member_id, category="低保边缘户", main_cause="大病", opened_on=opened_on,
                secondary_causes=("子女就学",), annual_income_fen=2_400_000, situation="妻子患尿毒症，每周透析",
                relatives=(Relative("李芳", "配偶", health="大病"), Relative("王小明", "子女", occupation="市一中")),
                bank_account="6222020200112233445",
            ),
        )  # fmt: skip
        if aid_fen:
            name = session.get(Member, member_id)
            assert name is not None
            session.add(CareRecord(member_id=member_id, recipient=name.name, day=opened_on, occasion="困难帮扶",
                                   cash_fen=aid_fen, source="登记"))  # fmt: skip
    return file_id


@pytest.fixture
def panel_for(qtbot: QtBot, context: AppContext) -> Iterator[HardshipPanel]:
    """The panel on the opened 账套, made after it was opened (as a page building it late)."""
    panel = HardshipPanel(context)
    qtbot.addWidget(panel)
    yield panel
    wait_idle(qtbot)


def _show(qtbot: QtBot, panel: HardshipPanel, rows: int) -> None:
    """Show the panel (it reads the files as it appears) and wait for its list."""
    panel.show()
    wait_idle(qtbot)
    assert not panel.refresher.stale
    assert panel.model.rowCount() == rows


def _cell(panel: HardshipPanel, row: int, key: str) -> str:
    return str(panel.model.index(row, panel.model.column_index(key)).data())


def _new_dialog(qtbot: QtBot, panel: HardshipPanel, member_id: int) -> HardshipDialog:
    dialog = panel.new_file(member_id)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.picker.current is not None, timeout=10_000)
    assert dialog.picker.current is not None and dialog.picker.current.id == member_id
    return dialog


def test_the_panel_waits_for_a_database(qtbot: QtBot, opened_db: Database) -> None:
    context = AppContext()
    panel = HardshipPanel(context)
    qtbot.addWidget(panel)
    panel.show()
    assert not panel.new_button.isEnabled()
    assert panel.new_file() is None
    assert "打开账套后" in panel.count.text()
    _open_file(opened_db, 1, date.today())
    context.set_database(opened_db)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=10_000)
    wait_idle(qtbot)
    assert panel.new_button.isEnabled()


def test_open_a_file_through_the_editor(qtbot: QtBot, opened_db: Database, panel_for: HardshipPanel) -> None:
    panel = panel_for
    (member_id, name), *_ = _members(opened_db, 1)
    _show(qtbot, panel, 0)
    assert panel.new_button.isEnabled() and not panel.edit_button.isEnabled()
    assert "没有在档的困难职工档案" in panel.count.text()
    dialog = _new_dialog(qtbot, panel, member_id)
    dialog.category.setCurrentIndex(dialog.category.findData("低保户"))
    dialog.main_cause.setCurrentIndex(dialog.main_cause.findData("下岗失业"))
    for cause in ("大病", "子女就学", "无社会保险"):
        dialog.secondary[cause].setChecked(True)
    assert not dialog.secondary["其他"].isEnabled()  # three chosen: the rest wait
    assert not dialog.secondary["下岗失业"].isEnabled()  # the main cause is not also secondary
    dialog.income.setText("36,000")
    assert "÷ 1 人" in dialog.per_head.text() and "3,000.00" in dialog.per_head.text()
    for person, relation, income in (("李芳", "配偶", "12000"), ("王小明", "子女", "")):
        row = dialog.add_relative()
        dialog.set_relative(row, NAME, person)
        dialog.set_relative(row, RELATION, relation)
        dialog.set_relative(row, INCOME, income)
    assert dialog.household_size.value() == 0
    assert dialog.household_size.text() == "自动：本人+家庭成员（3 人）"
    assert "月人均收入 <b>1,000.00</b> 元" in dialog.per_head.text()
    dialog.bank_account.setText("6222 0202 0011 2233 445")
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        dialog.save()
    file_id, words = saved.args
    assert f"已为{name}建立困难职工档案（编号 {file_id}）" in words and "1,000.00" in words
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=10_000)
    wait_idle(qtbot)
    row = panel.model.row_at(0)
    assert (row.id, row.name, row.household_size, row.per_head_monthly_fen) == (file_id, name, 3, 100_000)
    assert _cell(panel, 0, "per_head") == "1,000.00"
    assert _cell(panel, 0, "household_size") == "3 人"
    assert _cell(panel, 0, "main_cause") == "下岗失业"
    assert _cell(panel, 0, "review_due") == review_state(date.today(), None).due.isoformat()
    assert _cell(panel, 0, "bank_account") == "6222***********3445"
    assert panel.table.current_id() == file_id  # the new file is selected
    assert "在档 <b>1</b> 户" in panel.count.text()
    assert panel.outcome.text() == words
    with opened_db.reader() as session:
        stored = session.scalars(select(HardshipFile)).one()
        assert stored.secondary_causes == "无社会保险、大病、子女就学"  # in the list's order
        assert [(r.name, r.relation, r.annual_income_fen) for r in stored.relatives] == [
            ("李芳", "配偶", 1_200_000),
            ("王小明", "子女", 0),
        ]
        member = session.get(Member, member_id)
        assert member is not None and member.is_hardship


def test_a_refusal_is_shown_under_its_field_and_nothing_is_written(
    qtbot: QtBot, opened_db: Database, panel_for: HardshipPanel
) -> None:
    panel = panel_for
    (member_id, _name), *_ = _members(opened_db, 1)
    _show(qtbot, panel, 0)
    dialog = _new_dialog(qtbot, panel, member_id)
    dialog.main_cause.setCurrentIndex(dialog.main_cause.findData("大病"))
    dialog.income.setText("两万")  # not an amount: refused before anything is sent
    dialog.save()
    assert dialog.field_errors["annual_income"].isVisible()
    assert "金额" in dialog.field_errors["annual_income"].text()
    assert dialog.save_button.isEnabled()
    dialog.income.setText("20000")
    row = dialog.add_relative()
    dialog.set_relative(row, NAME, "李芳")
    dialog.set_relative(row, RELATION, "配偶")
    dialog.set_relative(row, 2, "110101199001011234")  # a wrong check digit
    dialog.tabs.setCurrentIndex(FAMILY)
    dialog.save()  # no category either
    qtbot.waitUntil(lambda: dialog.field_errors["category"].isVisible(), timeout=10_000)
    wait_idle(qtbot)
    assert "困难类别应是低保户、低保边缘户、意外致困户之一" in dialog.field_errors["category"].text()
    relatives = dialog.field_errors["relatives"].text()
    assert relatives.startswith("第 1 位家庭成员（李芳）的身份证号")
    assert dialog.tabs.currentIndex() == BASIC  # the first tab with a problem is shown
    assert dialog.tabs.tabBar().tabTextColor(FAMILY).name() == "#c0392b"
    assert [i.row() for i in dialog.family.selectionModel().selectedRows()] == [row]
    assert dialog.error.text() == "共 2 处需要修改，已用红字标在各项下面；标红的页签里也有。"
    assert dialog.isVisible() and dialog.save_button.isEnabled()
    assert _files(opened_db) == 0
    assert panel.model.rowCount() == 0


def test_the_yearly_review_moves_the_next_one(
    qtbot: QtBot, opened_db: Database, panel_for: HardshipPanel
) -> None:
    panel = panel_for
    (first, _), (second, _) = _members(opened_db, 2)
    opened = date.today() - timedelta(days=400)
    overdue = _open_file(opened_db, first, opened)
    _open_file(opened_db, second, date.today() - timedelta(days=10))
    _show(qtbot, panel, 2)
    position = panel.model.position_of(overdue)
    assert position is not None
    due = review_state(opened, None).due
    assert _cell(panel, position, "review_due") == f"{due.isoformat()} {OVERDUE}"
    column = panel.model.column_index("review_due")
    assert panel.model.index(position, column).data(Qt.ItemDataRole.ForegroundRole).name() == "#a11212"
    assert "年度复核已到期 <b>1</b> 户" in panel.count.text()
    panel.due_only.setChecked(True)
    assert [panel.model.row_at(i).id for i in range(panel.model.rowCount())] == [overdue]
    assert panel.table.select_id(overdue)
    dialog = panel.review_selected()
    assert dialog is not None
    dialog.save()  # nobody named
    assert dialog.field_errors["reviewer"].text() == "请填写复核人"
    dialog.reviewer.setText("张主席")
    dialog.opinion.setPlainText("家庭情况无明显变化，继续帮扶")
    after = review_state(opened, date.today()).due
    assert dialog.next_due.text() == f"登记后，下次复核：{after.isoformat()}"
    dialog.save()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=10_000)  # no longer due
    wait_idle(qtbot)
    assert "张主席" in panel.outcome.text() and after.isoformat() in panel.outcome.text()
    panel.due_only.setChecked(False)
    position = panel.model.position_of(overdue)
    assert position is not None
    assert panel.model.row_at(position).review_due == after
    assert _cell(panel, position, "review_due") == after.isoformat()
    assert "30 天内没有需要复核的档案" in panel.count.text()


def test_closing_takes_the_file_out_of_the_open_ones(
    qtbot: QtBot, opened_db: Database, panel_for: HardshipPanel
) -> None:
    panel = panel_for
    (member_id, name), *_ = _members(opened_db, 1)
    file_id = _open_file(opened_db, member_id, date.today() - timedelta(days=30))
    _show(qtbot, panel, 1)
    assert panel.table.select_id(file_id)
    assert panel.close_button.isEnabled() and not panel.reopen_button.isEnabled()
    dialog = panel.close_selected()
    assert dialog is not None
    dialog.save()  # no reason chosen
    assert "请选择结案原因" in dialog.field_errors["reason"].text()
    dialog.choose("脱困")
    dialog.note.setText("配偶已就业")
    dialog.save()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=10_000)
    wait_idle(qtbot)
    assert f"{name}的困难职工档案已结案（脱困" in panel.outcome.text()
    panel.status.setCurrentIndex(panel.status.findData("已结案"))
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=10_000)
    wait_idle(qtbot)
    assert _cell(panel, 0, "status") == "已结案（脱困）"
    assert _cell(panel, 0, "review_due") == ""
    with opened_db.reader() as session:
        member = session.get(Member, member_id)
        assert member is not None and not member.is_hardship
        stored = session.get(HardshipFile, file_id)
        assert stored is not None and stored.note.endswith("配偶已就业")
    assert panel.table.select_id(file_id)
    assert panel.reopen_button.isEnabled() and not panel.review_button.isEnabled()
    panel.reopen_selected(lambda _title, _text: False)  # 否: nothing happens
    wait_idle(qtbot)
    assert panel.model.rowCount() == 1
    panel.reopen_selected(lambda _title, _text: True)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=10_000)
    wait_idle(qtbot)
    panel.status.setCurrentIndex(panel.status.findData("在档"))
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=10_000)
    assert panel.model.row_at(0).closed_on is None


def test_an_existing_file_opens_with_its_household_and_aid(
    qtbot: QtBot, opened_db: Database, panel_for: HardshipPanel
) -> None:
    panel = panel_for
    (member_id, name), *_ = _members(opened_db, 1)
    file_id = _open_file(opened_db, member_id, date.today() - timedelta(days=60), aid_fen=50_000)
    _show(qtbot, panel, 1)
    assert _cell(panel, 0, "aid") == "1 次 / 500.00 元"
    assert panel.table.select_id(file_id)
    dialog = panel.edit_file()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=10_000)
    assert dialog.picker.isHidden() and name in dialog.member_label.text()
    assert dialog.category.currentData() == "低保边缘户" and dialog.secondary["子女就学"].isChecked()
    assert dialog.family.rowCount() == 2 and dialog.household_size.value() == 0
    assert dialog.bank_account.text() == "6222020200112233445"  # unmasked to edit
    assert "月人均收入 <b>666.67</b> 元" in dialog.per_head.text()  # 24,000 ÷ 3 ÷ 12
    assert dialog.aid_model.rowCount() == 1
    assert dialog.aid_total.text() == "共 1 次，合计 <b>500.00</b> 元"
    dialog.family.selectRow(1)
    dialog.remove_relatives()
    assert "月人均收入 <b>1,000.00</b> 元" in dialog.per_head.text()  # now 2 people
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save()
    qtbot.waitUntil(lambda: panel.model.row_at(0).household_size == 2, timeout=10_000)
    assert _cell(panel, 0, "per_head") == "1,000.00"


def test_the_file_is_previewed_for_printing(
    qtbot: QtBot, opened_db: Database, panel_for: HardshipPanel
) -> None:
    panel = panel_for
    (member_id, _name), *_ = _members(opened_db, 1)
    file_id = _open_file(opened_db, member_id, date.today())
    _show(qtbot, panel, 1)
    assert panel.table.select_id(file_id)
    preview = panel.print_selected()
    assert preview is not None
    qtbot.waitUntil(lambda: bool(preview.sizes), timeout=20_000)
    assert preview.path.name.startswith("困难职工档案表_") and preview.path.stat().st_size > 1000
    preview.reject()
    wait_idle(qtbot)


def test_the_list_follows_care_records_written_elsewhere(
    qtbot: QtBot, opened_db: Database, context: AppContext, panel_for: HardshipPanel
) -> None:
    from sqlalchemy.orm import Session

    from app.ui.operations import write_operation

    panel = panel_for
    (member_id, name), *_ = _members(opened_db, 1)
    _open_file(opened_db, member_id, date.today() - timedelta(days=5))
    _show(qtbot, panel, 1)
    assert _cell(panel, 0, "aid") == "无"

    def aid(session: Session) -> None:
        session.add(CareRecord(member_id=member_id, recipient=name, day=date.today(), occasion="送温暖",
                               cash_fen=80_000, source="登记"))  # fmt: skip

    panel.hide()  # hidden: the change only marks it stale
    write_operation(None, context, aid)
    wait_idle(qtbot)
    assert panel.refresher.stale and _cell(panel, 0, "aid") == "无"
    panel.show()
    qtbot.waitUntil(lambda: _cell(panel, 0, "aid") == "1 次 / 800.00 元", timeout=10_000)
    assert "累计帮扶 1 次，合计 800.00 元" in panel.count.text()


def test_members_marked_without_a_file_are_counted_under_the_list(
    qtbot: QtBot, opened_db: Database, panel_for: HardshipPanel
) -> None:
    """The 首页 counts the mark, this list the files: the panel says who the difference is."""
    from sqlalchemy import update

    (first, _), (second, _) = _members(opened_db, 2)
    with opened_db.session() as session:
        session.execute(update(Member).where(Member.id.in_([first, second])).values(is_hardship=True))
    panel = panel_for
    _show(qtbot, panel, 0)
    assert "没有在档的困难职工档案" in panel.count.text()
    assert "另有 <b>2</b> 人在会员名册中标为困难职工，还没有建档" in panel.count.text()
    _open_file(opened_db, first, date.today())
    panel.reload()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=10_000)
    assert "另有 <b>1</b> 人" in panel.count.text()
