"""ID and bank numbers in the lists: masked by default; “显示完整号码” on one row shows that
row's numbers in full and no other's; the roster's panel follows its row; a reload or another
账套 masks them again; searching by part of the number still finds the member."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from app.db import Database, open_database
from app.domain.idcard import mask_id_number
from app.domain.yearmonth import YearMonth
from app.services.dues import ArrearsRow
from app.ui.care.hardship_panel import HardshipPanel
from app.ui.context import AppContext
from app.ui.dues.arrears_tab import ArrearsModel
from app.ui.main_window import MainWindow
from app.ui.operations import wait_for_operations
from app.ui.privacy import HIDE, HIDE_ALL, MASKED_TIP, REVEAL, RevealedRows
from app.ui.roster.model import COLUMN_INDEX
from app.ui.tables import RowTableView
from tests.ui.conftest import wait_idle
from tests.unit.dues.import_support import id_number

ACCOUNT = "6222020200112233445"
ID = COLUMN_INDEX["id_number"]


def _menu_words(menu: QMenu) -> list[str]:
    return [a.text() for a in menu.actions()]


def _trigger(menu: QMenu, words: str) -> None:
    next(a for a in menu.actions() if a.text() == words).trigger()


def _shown_ids(window: MainWindow, rows: int) -> list[str]:
    proxy = window.roster.proxy
    return [proxy.index(r, ID).data() for r in range(rows)]


def test_the_roster_shows_id_numbers_masked_and_reveals_one_row(window: MainWindow, qtbot: QtBot) -> None:
    page = window.roster
    model = page.model
    full = [model.row_at(r).id_number for r in range(5)]
    assert _shown_ids(window, 5) == [mask_id_number(n) for n in full]
    assert all("********" in n for n in _shown_ids(window, 5))
    assert page.proxy.index(0, ID).data(0x03) == MASKED_TIP  # ToolTipRole says how to see it
    second = model.row_at(1)
    assert page.table.select_id(second.id)
    qtbot.waitUntil(lambda: page.detail.title.text() == second.name, timeout=10_000)
    assert mask_id_number(second.id_number) in page.detail.fields["id_number"].text()
    assert second.id_number not in page.detail.fields["id_number"].text()

    menu = page.private.menu_for(second)
    assert _menu_words(menu) == [REVEAL]
    _trigger(menu, REVEAL)
    shown = _shown_ids(window, 5)
    assert shown[1] == second.id_number  # that row in full …
    assert [n for i, n in enumerate(shown) if i != 1] == [
        mask_id_number(n) for i, n in enumerate(full) if i != 1
    ]
    assert page.proxy.index(1, ID).data(0x03) is None  # … no hint on a revealed row
    assert second.id_number in page.detail.fields["id_number"].text()  # the panel follows its row
    assert "隐去" in page.detail.fields["id_number"].text()
    assert _menu_words(page.private.menu_for(second)) == [HIDE, HIDE_ALL]
    assert _menu_words(page.private.menu_for(model.row_at(0))) == [REVEAL, HIDE_ALL]

    page.detail.reveal_requested.emit(False)  # the panel's 隐去 link
    assert _shown_ids(window, 2)[1] == mask_id_number(second.id_number)
    assert second.id_number not in page.detail.fields["id_number"].text()
    page.detail.reveal_requested.emit(True)  # and its 显示完整号码 link
    assert _shown_ids(window, 2)[1] == second.id_number

    page.reload()  # read again: masked again
    wait_idle(qtbot)
    assert all("********" in n for n in _shown_ids(window, 5))
    qtbot.waitUntil(lambda: second.id_number not in page.detail.fields["id_number"].text(), timeout=10_000)


def test_search_finds_a_member_by_part_of_the_masked_number(window: MainWindow) -> None:
    page = window.roster
    someone = page.model.row_at(7)
    hidden_part = someone.id_number[6:14]  # the very digits the list hides
    page.search.setText(hidden_part)
    names = [page.model.row_at(r).name for r in range(page.model.rowCount())]
    assert someone.name in names
    assert all("********" in n for n in _shown_ids(window, page.model.rowCount()))


def test_another_database_masks_every_row_again(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    page = window.roster
    first = page.model.row_at(0)
    page.private.reveal(first)
    assert page.private.revealed_count() == 1
    from tests.conftest import make_demo_db

    with qtbot.waitSignal(window.roster_ready, timeout=10_000):
        window.open_database(make_demo_db(tmp_path / "other.db", 30))
    qtbot.waitUntil(lambda: page.model.total_count == 30, timeout=10_000)
    wait_idle(qtbot)
    assert page.private.revealed_count() == 0
    assert all("********" in n for n in _shown_ids(window, 5))


def _arrears(member_id: int, number: str) -> ArrearsRow:
    return ArrearsRow(
        member_id, number, f"会员{member_id}", "生产部", None, ((YearMonth(2026, 1), 9240),), 1, 9240, 0
    )


def test_the_arrears_list_masks_and_reveals_one_row(qtbot: QtBot) -> None:
    model = ArrearsModel()
    view = RowTableView("test_arrears_privacy", model)
    qtbot.addWidget(view)
    model.private.attach(view)
    numbers = {n: id_number(n) for n in (1, 2, 3)}
    model.set_rows([_arrears(n, number) for n, number in numbers.items()])
    column = model.column_index("id_number")

    def shown() -> dict[int, str]:
        return {model.row_at(r).member_id: model.index(r, column).data() for r in range(3)}

    assert shown() == {n: mask_id_number(number) for n, number in numbers.items()}
    model.private.reveal(model.row_at(model.position_of(3) or 0))
    assert shown() == {1: mask_id_number(numbers[1]), 2: mask_id_number(numbers[2]), 3: numbers[3]}
    model.set_rows([_arrears(n, number) for n, number in numbers.items()])  # a reload
    assert shown() == {n: mask_id_number(number) for n, number in numbers.items()}


def test_revealed_rows_with_no_private_column_left_alone(qtbot: QtBot) -> None:
    model = ArrearsModel()
    model.set_rows([_arrears(1, id_number(1))])
    name = model.column_index("name")
    assert model.index(0, name).data() == "会员1" and model.index(0, name).data(0x03) is None
    assert isinstance(model.private, RevealedRows) and model.private.masked


@pytest.fixture
def hardship_db(tmp_path: Path) -> Iterator[Database]:
    from app.domain.members import MemberInput
    from app.services.care import HardshipInput, open_file
    from app.services.roster import create_member

    db = open_database(tmp_path / "h.db", create=True)
    with db.session() as session:
        for n, name in enumerate(("张伟", "李娜"), start=1):
            member_id = create_member(
                session, MemberInput(name=name, id_number=id_number(n), joined_on=date(2010, 1, 1))
            )
            open_file(session, HardshipInput(member_id=member_id, category="低保户", main_cause="大病",
                                             opened_on=date(2026, 1, 5), annual_income_fen=1_200_000,
                                             bank_account=ACCOUNT[:-1] + str(n)))  # fmt: skip
    yield db
    wait_for_operations(10_000)
    db.close()


def test_hardship_files_reveal_the_numbers_read_in_full(qtbot: QtBot, hardship_db: Database) -> None:
    context = AppContext()
    context.set_database(hardship_db)
    panel = HardshipPanel(context)
    qtbot.addWidget(panel)
    panel.show()
    wait_idle(qtbot)
    model = panel.model
    assert model.rowCount() == 2
    ids, accounts = model.column_index("id_number"), model.column_index("bank_account")

    def cells(row: int) -> tuple[str, str]:
        return model.index(row, ids).data(), model.index(row, accounts).data()

    rows = {model.row_at(r).name: r for r in range(2)}
    assert cells(rows["张伟"]) == (mask_id_number(id_number(1)), "6222***********3441")
    _trigger(panel.private.menu_for(model.row_at(rows["李娜"])), REVEAL)  # read in the background
    qtbot.waitUntil(lambda: cells(rows["李娜"])[0] == id_number(2), timeout=10_000)
    assert cells(rows["李娜"]) == (id_number(2), ACCOUNT[:-1] + "2")
    assert cells(rows["张伟"]) == (mask_id_number(id_number(1)), "6222***********3441")  # only that row
    panel.reload()
    wait_idle(qtbot)
    assert cells(rows["李娜"]) == (mask_id_number(id_number(2)), "6222***********3442")


def test_the_records_behind_a_report_figure_mask_their_id_column(qtbot: QtBot) -> None:
    from types import SimpleNamespace

    from app.services.reports import RecordList
    from app.ui.reports.records_dialog import RecordsDialog

    report = SimpleNamespace(last=date(2026, 9, 30), label="2026年9月")
    dialog = RecordsDialog(AppContext(), report, "dues.arrears")  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    numbers = [id_number(1), id_number(2)]
    dialog.show_records(
        RecordList(
            "欠缴会员",
            ["姓名", "身份证号", "欠缴（元）"],
            [["张伟", numbers[0], "9.00"], ["李娜", numbers[1], "3.00"]],
            "12.00 元",
        )
    )
    model = dialog.model
    column = 2  # 序号, 姓名, 身份证号
    assert [model.index(r, column).data() for r in range(2)] == [mask_id_number(n) for n in numbers]
    assert dialog.private is not None
    dialog.private.reveal(model.row_at(0))
    shown = {model.row_at(r)[1][0]: model.index(r, column).data() for r in range(2)}
    assert shown == {"张伟": numbers[0], "李娜": mask_id_number(numbers[1])}
    assert model.index(0, 1).data() in ("张伟", "李娜")  # the other columns as they were
