from datetime import date
from pathlib import Path

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


def test_roster_model_with_real_rows_passes_the_model_tester(
    qtmodeltester: ModelTester, demo_db_path: Path
) -> None:
    from app.db import open_database
    from app.services.roster.search import load_roster

    db = open_database(demo_db_path)
    try:
        with db.reader() as session:
            roster = load_roster(session)
    finally:
        db.close()
    assert len(roster.rows) == 120 and roster.groups
    model = RosterTableModel()
    model.set_roster(roster, RosterFilter(status="在册"))
    assert 0 < model.rowCount() < 120  # some have left: the filter is on
    qtmodeltester.check(model, force_py=True)
    model.sort(COLUMN_INDEX["birth_date"], Qt.SortOrder.DescendingOrder)
    model.set_filter(RosterFilter(text="z"))
    model.mask_ids = True
    qtmodeltester.check(model, force_py=True)
    proxy = RosterProxyModel()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy, force_py=True)


def test_edited_row_is_put_in_place_and_searchable(qtbot: QtBot) -> None:
    model = RosterTableModel()
    model.set_roster(Roster(rows=list(ROWS), groups=[]))
    model.set_filter(RosterFilter(text="zhang"))
    assert model.rowCount() == 1
    changed: list[int] = []
    model.dataChanged.connect(lambda a, _b, _roles=(): changed.append(a.row()))
    assert model.update_rows([_row(1, "张薇", "zhang wei", "退休")]) == []
    assert changed == [0] and model.row_at(0).name == "张薇"
    model.set_filter(RosterFilter(text="张薇"))  # the search index knows the edited row
    assert [model.row_at(r).name for r in range(model.rowCount())] == ["张薇"]
    assert model.index(0, COLUMN_INDEX["status"]).data(Qt.ItemDataRole.ForegroundRole) is not None
