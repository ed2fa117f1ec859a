"""The dues grid's model without a 账套: lazy blocks, the cache, the roles, the filters."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.domain.dues import Period
from app.domain.yearmonth import YearMonth
from app.models import (
    DuesCharge,
    DuesExemption,
    DuesPayment,
    DuesPaymentMonth,
    DuesRoll,
    DuesRuleSetting,
)
from app.services.dues import CellState, DuesSummary, GridCell, Totals
from app.services.dues.page_data import DuesMembers, MemberYear
from app.services.dues.summary import MonthTotals
from app.services.roster import Roster, RosterRow
from app.ui.dues import cells, changes
from app.ui.dues.arrears_tab import ArrearsModel
from app.ui.dues.grid_model import BLOCK_SIZE, STATE_BEHIND, DuesGridModel, GridFilter
from app.ui.dues.totals import TotalsModel

YEAR = 2026
PAID = GridCell(CellState.PAID, 1540, 1540)
UNPAID = GridCell(CellState.UNPAID, 1540, 0)


def _row(i: int, name: str = "张伟", pinyin: str = "zhang wei", status: str = "在会") -> RosterRow:
    return RosterRow(
        i, f"{name}{i}", "男", date(1980, 1, 1), f"1101051980010100{i % 10}X", None, "生产部", "在岗",
        status, "", "", None, "", "", "", "汉族", False, False, "", pinyin,
        f"{name}{i}\x1f1101051980010100{i % 10}x\x1f\x1f".lower(), f"\x1e{pinyin.replace(' ', '')}\x1ezw",
    )  # fmt: skip


def _members(count: int) -> DuesMembers:
    rows = [_row(i) for i in range(1, count + 1)]
    ids = frozenset(r.id for r in rows)
    return DuesMembers(
        YEAR, Roster(rows=rows, groups=[]), {i: 308500 for i in ids}, {i: 1540 for i in ids}, ids, (YEAR,)
    )


class Fetcher:
    """Answers a block at once: the first half of the months paid, the rest unpaid."""

    def __init__(self) -> None:
        self.calls: list[list[int]] = []
        self.held: list[tuple[list[int], object]] = []
        self.hold = False
        self.paid = 6

    def __call__(self, year: int, ids: list[int], deliver: object) -> None:
        self.calls.append(ids)
        if self.hold:
            self.held.append((ids, deliver))
        else:
            deliver(self.rows(ids))  # type: ignore[operator]

    def rows(self, ids: list[int]) -> dict[int, MemberYear]:
        line = (PAID,) * self.paid + (UNPAID,) * (12 - self.paid)
        return {m: MemberYear(line, (12 - self.paid) * 1540) for m in ids}


def _drain(qtbot: QtBot, model: DuesGridModel) -> None:
    qtbot.waitUntil(lambda: not model.pending, timeout=2000)


def test_the_cell_states_are_the_services_own() -> None:
    assert [s.value for s in CellState] == [
        cells.PAID,
        cells.PARTIAL,
        cells.UNPAID,
        cells.EXEMPT,
        cells.NOT_MEMBER,
        cells.NOT_ROLLED,
    ]
    assert set(cells.LOOKS) == {s.value for s in CellState}
    assert len({look.text for look in cells.LOOKS.values()}) == len(CellState)  # text tells them apart


def test_the_watched_tables_are_the_models_own() -> None:
    tables = {
        DuesCharge,
        DuesPayment,
        DuesPaymentMonth,
        DuesRuleSetting,
        DuesExemption,
        DuesRoll,
    }
    assert set(changes.DUES_TABLES) == {t.__tablename__ for t in tables}


def test_grid_model_passes_the_model_tester(qtmodeltester: ModelTester, qtbot: QtBot) -> None:
    model = DuesGridModel(Fetcher())
    model.set_members(_members(5))
    qtmodeltester.check(model, force_py=True)
    model.index(0, model.first_month).data()  # as painting does
    _drain(qtbot, model)
    assert model.index(0, model.first_month).data() == "已缴"
    qtmodeltester.check(model, force_py=True)  # again with the cells in


def test_only_the_blocks_on_screen_are_read(qtbot: QtBot) -> None:
    fetch = Fetcher()
    model = DuesGridModel(fetch)
    model.set_members(_members(5 * BLOCK_SIZE))
    assert fetch.calls == []  # nothing read before anything is shown
    first = model.index(0, model.first_month)
    assert first.data() == cells.LOADING
    assert first.data(Qt.ItemDataRole.BackgroundRole) is None
    _drain(qtbot, model)
    assert [len(ids) for ids in fetch.calls] == [BLOCK_SIZE, BLOCK_SIZE]  # its block and the next
    assert first.data() == "已缴" and model.index(0, model.first_month + 6).data() == "未缴"
    assert model.index(BLOCK_SIZE * 3, model.first_month).data() == cells.LOADING
    _drain(qtbot, model)
    assert len(fetch.calls) == 4
    assert model.index(BLOCK_SIZE * 3, model.first_month).data() == "已缴"
    model.index(10, model.first_month).data()
    _drain(qtbot, model)
    assert len(fetch.calls) == 4  # cached


def test_roles_of_a_cell_and_of_the_sums(qtbot: QtBot) -> None:
    model = DuesGridModel(Fetcher())
    model.set_members(_members(3))
    model.index(0, model.first_month).data()
    _drain(qtbot, model)
    paid, unpaid = model.index(0, model.first_month), model.index(0, model.first_month + 11)
    assert isinstance(paid.data(Qt.ItemDataRole.BackgroundRole), QBrush)
    assert paid.data(Qt.ItemDataRole.BackgroundRole) != unpaid.data(Qt.ItemDataRole.BackgroundRole)
    assert "应缴 15.40 元，已缴 0.00 元" in unpaid.data(Qt.ItemDataRole.ToolTipRole)
    assert f"{YEAR}年12月" in unpaid.data(Qt.ItemDataRole.ToolTipRole)
    due, paid_sum, balance = (model.index(0, model.first_sum + i).data() for i in range(3))
    assert (due, paid_sum, balance) == ("184.80", "92.40", "欠缴 92.40")
    assert model.index(0, model.column_index("wage")).data() == "3,085.00"
    assert model.index(0, model.column_index("monthly")).data() == "15.40"


def test_a_change_keeps_the_old_cells_until_the_new_ones_come(qtbot: QtBot) -> None:
    fetch = Fetcher()
    model = DuesGridModel(fetch)
    model.set_members(_members(3))
    cell = model.index(0, model.first_month + 7)
    cell.data()
    _drain(qtbot, model)
    assert cell.data() == "未缴"
    fetch.hold, fetch.paid = True, 12
    model.drop_cells()
    assert cell.data() == "未缴"  # no flicker to “…”
    qtbot.waitUntil(lambda: bool(fetch.held), timeout=2000)
    repainted: list[int] = []
    model.dataChanged.connect(lambda a, _b, _r=(): repainted.append(a.row()))
    ids, deliver = fetch.held[0]
    deliver(fetch.rows(ids))  # type: ignore[operator]
    assert cell.data() == "已缴" and repainted == [0]
    assert model.index(0, model.first_sum + 2).data() == "已结清"


def test_months_cannot_sort_but_names_can(qtbot: QtBot) -> None:
    model = DuesGridModel(Fetcher())
    model.set_members(DuesMembers(YEAR, Roster(rows=[_row(1, "王芳", "wang fang"), _row(2, "李娜", "li na")],
                                               groups=[]), {}, {}, frozenset(), (YEAR,)))  # fmt: skip
    before = [model.row_at(i).id for i in range(2)]
    model.sort(model.first_month, Qt.SortOrder.AscendingOrder)
    assert [model.row_at(i).id for i in range(2)] == before
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert [model.row_at(i).name for i in range(2)] == ["李娜2", "王芳1"]
    assert model.index(0, model.column_index("wage")).data() == "未填写"  # no base wage, said so


def test_search_and_only_those_behind() -> None:
    model = DuesGridModel(Fetcher())
    members = _members(4)
    model.set_members(members)
    model.set_filter(GridFilter(text="张伟3"))
    assert [model.row_at(i).id for i in range(model.rowCount())] == [3]
    model.set_filter(GridFilter(state=STATE_BEHIND))
    assert model.rowCount() == 0
    model.set_behind(frozenset({2, 4}))
    assert sorted(model.row_at(i).id for i in range(model.rowCount())) == [2, 4]


def test_arrears_and_totals_models_pass_the_model_tester(qtmodeltester: ModelTester) -> None:
    from app.domain.dues import SHORT_TEXT
    from app.services.dues import ArrearsRow

    arrears = ArrearsModel()
    arrears.set_rows([
        ArrearsRow(1, "11010519491231002X", "赵强", "生产部", 1, tuple((YearMonth(YEAR, m), 3000) for m in range(1, 9)), 8, 24000, 0),
        ArrearsRow(2, "", "张伟", "", None, ((YearMonth(YEAR, 12), 1540),), 1, 1540, 1),
    ])  # fmt: skip
    qtmodeltester.check(arrears, force_py=True)
    assert arrears.index(0, arrears.column_index("flag")).data() == "连续6个月以上未缴"
    assert arrears.index(1, arrears.column_index("flag")).data() == SHORT_TEXT  # December paid in part
    totals = TotalsModel()
    month_totals = [MonthTotals(YearMonth(YEAR, m), Totals(1000, 500, 800)) for m in range(1, 13)]
    totals.show_summary(DuesSummary(Period.parse(str(YEAR)), Totals(12000, 6000, 9600), month_totals, 3, 1))
    qtmodeltester.check(totals, force_py=True)
    assert totals.value("rate", 0) == "50.0%" and totals.value("arrears", 12) == "24.00"


def test_the_window_loads_without_the_database_layer() -> None:
    code = "import sys\nimport app.ui.main_window\nassert 'sqlalchemy' not in sys.modules, sorted(m for m in sys.modules if 'sqlalchemy' in m)[:3]\n"
    subprocess.run([sys.executable, "-c", code], check=True, env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""})
