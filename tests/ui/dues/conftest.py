"""A small 账套 whose dues are known cell by cell, and the main window on it.

Everything happens in last year, so the tests hold whatever today is: every month of it can
be rolled and paid.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.db import open_database
from app.domain.members import MemberInput
from app.domain.yearmonth import YearMonth
from app.ui.main_window import MainWindow
from tests.ui.conftest import wait_idle

TODAY = date.today()
YEAR = TODAY.year - 1


def month(m: int) -> YearMonth:
    return YearMonth(YEAR, m)


@dataclass(frozen=True)
class Known:
    """The members of the test 账套, by what their year looks like."""

    path: Path
    group: int  # 生产部
    paid_most: int  # 张伟 (生产部): 15.40 a month, paid January–August (4 months behind)
    joined_april: int  # 李娜: joined 15 April, 25.00 a month from May, nothing paid (8 months)
    retired_july: int  # 王芳: 20.00 a month, paid January–June, 退休保留会籍 from 1 July
    never_paid: int  # 赵强 (生产部): 30.00 a month, nothing paid (12 months)
    no_wage: int  # 孙丽: no dues base wage: nothing can be rolled


def build(path: Path) -> Known:
    from app.services.dues import PaymentInput, record_payment, roll
    from app.services.roster import add_group, create_member, set_dues_wage
    from app.services.roster.members import change_status

    db = open_database(path, create=True)
    with db.session() as session:
        group = add_group(session, "生产部")

        def member(
            name: str, id_number: str, joined: date, wage_fen: int | None, group_id: int | None = None
        ) -> int:
            data = MemberInput(name=name, id_number=id_number, joined_on=joined, group_id=group_id)
            member_id = create_member(session, data, today=TODAY)
            if wage_fen is not None:
                set_dues_wage(session, member_id, wage_fen, date(YEAR - 1, 1, 1))
            return member_id

        zhang = member("张伟", "11010519491231002X", date(2010, 5, 1), 308500, group)
        li = member("李娜", "440524199003150022", date(YEAR, 4, 15), 500000)
        wang = member("王芳", "110101199003074477", date(2015, 1, 1), 400000)
        zhao = member("赵强", "110101198001010010", date(2012, 3, 1), 600000, group)
        sun = member("孙丽", "110101198502020022", date(2015, 1, 1), None)
        change_status(session, wang, "退休保留会籍", date(YEAR, 6, 30), "达到法定退休年龄", today=TODAY)
        roll(session, month(1), month(12), today=TODAY)
        for member_id, fen in ((zhang, 8 * 1540), (wang, 6 * 2000)):
            record_payment(session, PaymentInput(member_id, fen, date(YEAR, 6, 25), "工资代扣"), today=TODAY)
    db.close()
    return Known(path, group, zhang, li, wang, zhao, sun)


@pytest.fixture
def known(tmp_path: Path) -> Known:
    return build(tmp_path / "dues.db")


def open_dues_page(qtbot: QtBot, window: MainWindow, year: int = YEAR) -> None:
    """Show 会费 on ``year`` and wait until every row's cells are in."""
    window.show_page("会费")
    ledger = window.dues.ledger
    qtbot.waitUntil(lambda: ledger.figures is not None, timeout=10_000)
    ledger.set_year(year)
    qtbot.waitUntil(lambda: ledger.model.year == year and ledger.figures is not None
                    and ledger.figures.year == year, timeout=10_000)  # fmt: skip
    wait_cells(qtbot, window)


def wait_cells(qtbot: QtBot, window: MainWindow) -> None:
    """Until the grid has asked for and received the cells of every row shown."""
    model = window.dues.model
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=10_000)

    def filled() -> bool:
        for row in range(model.rowCount()):
            model.data(model.index(row, model.first_month))  # as painting would
        return not model.pending and all(
            model.member_year(model.row_at(r).id) is not None for r in range(model.rowCount())
        )

    qtbot.waitUntil(filled, timeout=10_000)
    wait_idle(qtbot)


@pytest.fixture
def dues_window(qtbot: QtBot, known: Known) -> Iterator[MainWindow]:
    main = MainWindow(warn_on_open_failure=False)
    qtbot.addWidget(main)
    main.resize(1360, 820)
    main.show()
    with qtbot.waitSignal(main.roster_ready, timeout=10_000):
        main.open_database(known.path)
    wait_idle(qtbot)
    open_dues_page(qtbot, main)
    yield main
    wait_idle(qtbot)
