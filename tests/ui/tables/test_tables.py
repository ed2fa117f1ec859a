"""The shared list machinery: Python sorting by raw keys, rows replaced in place, the
selection kept across reloads, the header remembered, the column chooser."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QToolButton
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.ui.tables import (
    RIGHT,
    Column,
    ColumnChooserButton,
    RowRole,
    RowTableModel,
    RowTableView,
    SortRole,
    date_column,
    number_column,
    text_column,
)


@dataclass(frozen=True)
class Payment:
    id: int
    name: str
    paid_on: date | None
    amount_fen: int | None


def _yuan(fen: int) -> str:
    return f"{fen / 100:.2f}"


def _late(row: Payment) -> QColor | None:
    return QColor("#c0392b") if row.paid_on is None else None


COLUMNS: tuple[Column[Payment], ...] = (
    text_column("name", "姓名", 80, hideable=False),
    date_column("paid_on", "缴费日期"),
    number_column("amount_fen", "金额", 70, format=_yuan),
)
ROWS = [
    Payment(1, "张伟", date(2026, 3, 1), 2690),
    Payment(2, "王芳", None, None),
    Payment(3, "李娜", date(2026, 1, 5), 1500),
]


def _model() -> RowTableModel[Payment]:
    model = RowTableModel(
        COLUMNS, foreground=_late, tooltip=lambda r: f"{r.name} 未缴" if r.paid_on is None else None
    )
    model.set_rows(ROWS)
    return model


def _names(model: RowTableModel[Payment]) -> list[str]:
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    model = _model()
    qtmodeltester.check(model, force_py=True)
    model.sort(2, Qt.SortOrder.DescendingOrder)
    model.set_predicate(lambda r: r.amount_fen is not None)
    qtmodeltester.check(model, force_py=True)


def test_roles_sort_by_raw_values_and_filter() -> None:
    model = _model()
    amount = model.column_index("amount_fen")
    assert model.index(0, amount).data() == "26.90"
    assert model.index(0, amount).data(Qt.ItemDataRole.TextAlignmentRole) == RIGHT
    assert model.index(0, 0).data(Qt.ItemDataRole.TextAlignmentRole) is None
    assert model.index(1, amount).data() == ""  # no amount: empty cell
    assert model.index(0, 1).data(SortRole) == date(2026, 3, 1)
    assert model.index(1, 0).data(RowRole) is ROWS[1]
    assert model.index(1, 0).data(Qt.ItemDataRole.ForegroundRole) == QColor("#c0392b")
    assert model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    assert model.index(1, 2).data(Qt.ItemDataRole.ToolTipRole) == "王芳 未缴"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "缴费日期"
    model.sort(amount, Qt.SortOrder.AscendingOrder)  # by fen, not by the text; empty first
    assert _names(model) == ["王芳", "李娜", "张伟"]
    model.sort(model.column_index("paid_on"), Qt.SortOrder.DescendingOrder)
    assert _names(model) == ["张伟", "李娜", "王芳"]
    model.set_predicate(lambda r: r.paid_on is not None)
    assert _names(model) == ["张伟", "李娜"] and model.total_count == 3
    model.set_rows([*ROWS, Payment(4, "赵敏", date(2026, 6, 1), 100)])  # a reload keeps sort and filter
    assert _names(model) == ["赵敏", "张伟", "李娜"]
    assert model.position_of(3) == 2 and model.position_of(2) is None
    assert model.positions_of([1, 4, 99]) == {4: 0, 1: 1}


def test_update_rows_emits_data_changed_for_just_the_edited_row(qtbot: QtBot) -> None:
    model = _model()
    changed: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda a, b, _roles=(): changed.append((a.row(), a.column(), b.row(), b.column()))
    )
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    edited = Payment(2, "王芳", date(2026, 4, 1), 2690)
    missing = model.update_rows([edited, Payment(9, "新人", None, None)])
    assert changed == [(1, 0, 1, len(COLUMNS) - 1)]  # row 1 only, every column
    assert resets == []
    assert [p.id for p in missing] == [9]  # not held: the caller reloads for it
    assert model.index(1, 1).data() == "2026-04-01" and model.index(1, 0).data(RowRole) is edited
    assert model.index(0, 1).data() == "2026-03-01"  # the others as they were
    model.set_predicate(lambda r: r.id != 3)
    changed.clear()
    model.update_rows([Payment(3, "李娜", None, 1)])  # held but not shown: nothing to repaint
    assert changed == []
    assert model.rows[2].amount_fen == 1


def test_selection_is_kept_across_reloads(qtbot: QtBot) -> None:
    model = _model()
    view = RowTableView("payments", model)
    qtbot.addWidget(view)
    view.setSelectionMode(view.SelectionMode.ExtendedSelection)
    assert view.select_ids([3, 1], current=3)
    assert sorted(view.selected_ids()) == [1, 3] and view.current_id() == 3
    resets: list[bool] = []
    view.rows_reset.connect(lambda: resets.append(True))
    # a reload: new row objects, another order, one row gone
    model.set_rows(
        [Payment(5, "孙丽", None, None), Payment(3, "李娜", None, 1500), Payment(1, "张伟", None, 2)]
    )
    assert resets == [True]
    assert sorted(view.selected_ids()) == [1, 3] and view.current_id() == 3
    assert view.current_row() == Payment(3, "李娜", None, 1500)
    view.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # a sort resets too
    assert sorted(view.selected_ids()) == [1, 3] and view.current_id() == 3
    model.set_predicate(lambda r: r.id != 3)  # the current row filtered out: the other stays
    assert view.selected_ids() == [1]
    view.select_after_reset(5)  # a row the coming reload brings, selected instead
    model.set_predicate(None)
    assert view.selected_ids() == [5] and view.current_id() == 5
    model.set_predicate(lambda r: False)
    assert view.selected_ids() == [] and view.current_row() is None
    assert not view.select_id(5)


def test_header_state_is_saved_and_restored(qtbot: QtBot) -> None:
    first = RowTableView("payments", _model(), default_sort=("name", Qt.SortOrder.AscendingOrder))
    qtbot.addWidget(first)
    assert first.horizontalHeader().sortIndicatorSection() == 0
    first.setColumnHidden(1, True)
    first.setColumnWidth(2, 133)
    first.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    first.save_state()
    model = _model()
    second = RowTableView("payments", model, default_sort=("name", Qt.SortOrder.AscendingOrder))
    qtbot.addWidget(second)
    assert second.isColumnHidden(1) and not second.isColumnHidden(2)
    assert second.columnWidth(2) == 133
    header = second.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (2, Qt.SortOrder.DescendingOrder)
    assert _names(model) == ["张伟", "李娜", "王芳"]  # the model was sorted as the header says
    assert second.visible_column_keys() == ["name", "amount_fen"]
    other = RowTableView("care_records", _model())  # another list keeps its own layout
    qtbot.addWidget(other)
    assert not other.isColumnHidden(1)


def test_column_chooser_shows_hides_and_saves_at_once(qtbot: QtBot) -> None:
    view = RowTableView("payments", _model())
    button = ColumnChooserButton(view)
    qtbot.addWidget(view)
    qtbot.addWidget(button)
    # its menu is said by a ▼ after the text, not the style's arrow drawn over the last character
    assert button.text() == "显示列 ▼"
    assert button.popupMode() == QToolButton.ToolButtonPopupMode.InstantPopup
    assert "menu-indicator" in button.styleSheet()
    menu = button.menu()
    menu.aboutToShow.emit()
    actions = {a.text(): a for a in menu.actions()}
    assert list(actions) == ["姓名", "缴费日期", "金额"]
    assert not actions["姓名"].isEnabled()  # the column naming the row stays
    assert all(a.isChecked() for a in actions.values())
    actions["缴费日期"].toggle()
    assert view.isColumnHidden(1)
    again = RowTableView("payments", _model())
    qtbot.addWidget(again)
    assert again.isColumnHidden(1)  # saved when chosen, not only at exit
    view.setColumnHidden(2, True)
    menu.aboutToShow.emit()  # the menu shows the columns as they are now
    assert not {a.text(): a for a in menu.actions()}["金额"].isChecked()


def test_replace_column_repaints_only_that_column(qtbot: QtBot) -> None:
    model = _model()
    changed: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda a, b, _roles=(): changed.append((a.row(), a.column(), b.row(), b.column()))
    )
    sorted_by = model.index(0, 0, QModelIndex()).data(SortRole)
    model.replace_column("name", display=lambda r: r.name[0] + "*")
    assert changed == [(0, 0, 2, 0)]
    assert model.index(0, 0).data() == "张*"
    # the sort key stays the name's (read as 张伟 reads: a text column sorts by reading)
    assert model.index(0, 0, QModelIndex()).data(SortRole) == sorted_by == "zhang wei"


def test_a_text_column_sorts_chinese_by_reading() -> None:
    from dataclasses import dataclass

    from app.ui.tables import text_column

    @dataclass
    class Row:
        id: int
        group: str

    column = text_column("group", "部门", 100)
    rows = [Row(1, "质检科"), Row(2, "财务科"), Row(3, "办公室")]
    assert [r.group for r in sorted(rows, key=column.sort_key)] == ["办公室", "财务科", "质检科"]
