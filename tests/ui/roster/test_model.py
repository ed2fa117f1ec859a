from datetime import date

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.services.roster.index import Roster, RosterFilter, RosterRow
from app.ui.roster.model import COLUMN_INDEX, RosterProxyModel, RosterTableModel, RowRole, SortRole


def _row(i: int, name: str, pinyin: str, status: str = "在会") -> RosterRow:
    return RosterRow(
        i,
        name,
        "男",
        date(1980 + i, 1, 1),
        f"1101051980010100{i}X",
        None,
        "",
        "在岗",
        status,
        "",
        "",
        None,
        "",
        "",
        "",
        "汉族",
        False,
        False,
        "",
        pinyin,
        name,
        f"\x1e{pinyin}",
    )


ROWS = [_row(1, "张伟", "zhang wei"), _row(2, "王芳", "wang fang"), _row(3, "李娜", "li na", "已转出")]


def test_models_pass_qt_model_tester(qtmodeltester: ModelTester) -> None:
    model = RosterTableModel()
    model.set_roster(Roster(rows=list(ROWS), groups=[]))
    qtmodeltester.check(model)
    proxy = RosterProxyModel()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)


def test_filter_sort_and_roles(qtbot: QtBot) -> None:
    model = RosterTableModel()
    proxy = RosterProxyModel()
    proxy.setSourceModel(model)
    model.set_roster(Roster(rows=list(ROWS), groups=[]))
    assert model.rowCount() == 3
    name = COLUMN_INDEX["name"]
    proxy.sort(name, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(r, name).data() for r in range(3)] == ["李娜", "王芳", "张伟"]
    proxy.sort(COLUMN_INDEX["birth_date"], Qt.SortOrder.DescendingOrder)
    assert [proxy.index(r, name).data() for r in range(3)] == ["李娜", "王芳", "张伟"]
    model.set_filter(RosterFilter(status="在册"))
    assert [proxy.index(r, name).data() for r in range(proxy.rowCount())] == ["王芳", "张伟"]
    assert model.total_count == 3
    assert proxy.index(0, name).data(RowRole).id == 2
    assert proxy.index(0, COLUMN_INDEX["birth_date"]).data(SortRole) == date(1982, 1, 1)
    model.mask_ids = True
    assert proxy.index(0, COLUMN_INDEX["id_number"]).data() == "110105********002X"
    assert model.headerData(name, Qt.Orientation.Horizontal) == "姓名"
    assert model.row_of_member(1) == 1 and model.row_of_member(3) is None
