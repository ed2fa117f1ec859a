"""The budget tab's settings dialogs on the hand-built year: other income entered (and refused
with a message naming the field, and deleted); a sub-category added and renamed; a care
occasion moved to another category, the budget table following; the union's own activity
limit saved from a day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.domain.activities import Rule
from app.domain.care import Occasion
from app.models import ActivityLimit, BudgetCategory, CareCategory, OtherIncome
from app.services.activities import budget_table, care_categories, load_tree
from app.ui.activities.budget_tab import BudgetTab
from app.ui.activities.categories_dialog import UNMAPPED, CategoriesDialog, read_value
from app.ui.activities.income_dialog import IncomeDialog
from app.ui.context import AppContext
from tests.ui.activities.test_budget_tab import YEAR, Year, cell, context, opened, tab, year
from tests.ui.conftest import wait_idle

__all__ = ["context", "opened", "tab", "year"]  # the fixtures this module shares


def test_the_tables_the_dialogs_write_are_watched() -> None:
    from app.ui.activities.budget_tab import WATCHED

    for model in (OtherIncome, BudgetCategory, CareCategory):
        assert model.__tablename__ in WATCHED


@pytest.fixture
def income(qtbot: QtBot, context: AppContext) -> Iterator[IncomeDialog]:
    dialog = IncomeDialog(context, YEAR)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1 and dialog.category.count() > 0, timeout=10_000)
    yield dialog
    wait_idle(qtbot)


def _other_income(db: Database) -> list[tuple[date, str, int, str]]:
    with db.reader() as session:
        rows = session.execute(
            select(OtherIncome.day, BudgetCategory.code, OtherIncome.amount_fen, OtherIncome.source)
            .join(BudgetCategory, BudgetCategory.id == OtherIncome.category_id)
            .order_by(OtherIncome.day)
        )
        return [(d, c, a, s) for d, c, a, s in rows]


def test_other_income_is_entered_and_deleted(
    income: IncomeDialog, qtbot: QtBot, tab: BudgetTab, opened: Database
) -> None:
    codes = [income.category.itemText(i).split()[0] for i in range(income.category.count())]
    assert codes == ["402", "403", "404", "405", "406", "407", "408"]  # not 401: dues come from the ledger
    assert income.day.minimumDate() == QDate(YEAR, 1, 1) and income.day.maximumDate() == QDate(YEAR, 12, 31)
    income.category.setCurrentIndex(codes.index("403"))
    income.amount.setText("十万")
    income.save()
    assert "应是金额" in income.field_errors["amount"].text()
    income.amount.setText("0")
    income.save()
    assert "大于 0" in income.field_errors["amount"].text()
    wait_idle(qtbot)
    assert len(_other_income(opened)) == 1
    income.day.setDate(QDate(YEAR, 5, 1))
    income.amount.setText("10,000")
    income.source.setText("市总工会")
    income.note.setText("职工之家建设补助")
    income.save()
    qtbot.waitUntil(lambda: income.model.rowCount() == 2, timeout=10_000)
    wait_idle(qtbot)
    assert _other_income(opened) == [(date(YEAR, 3, 1), "402", 4_800_000, "行政拨缴"),
                                     (date(YEAR, 5, 1), "403", 1_000_000, "市总工会")]  # fmt: skip
    assert "已登记" in income.outcome.text() and "合计 <b>58,000.00</b> 元" in income.summary.text()
    new = income.table.current_row()
    assert new is not None and new.source == "市总工会"  # the new one is selected
    # the tab (on screen) follows: 403's actual, the income total
    qtbot.waitUntil(lambda: cell(tab, "403", "actual", income=True) == "10,000.00", timeout=10_000)
    # delete the 402 entry
    income.table.select_id(next(r.id for r in income.model.rows if r.source == "行政拨缴"))
    asked: list[str] = []

    def agree(_title: str, text: str) -> bool:
        asked.append(text)
        return True

    assert income.delete(agree)
    qtbot.waitUntil(lambda: income.model.rowCount() == 1, timeout=10_000)
    wait_idle(qtbot)
    assert "48,000.00" in asked[0]
    assert [row[1] for row in _other_income(opened)] == ["403"]
    qtbot.waitUntil(lambda: cell(tab, "402", "actual", income=True) == "0.00", timeout=10_000)


def test_declining_to_delete_keeps_the_income(income: IncomeDialog, qtbot: QtBot, opened: Database) -> None:
    income.table.selectRow(0)
    assert not income.delete(lambda _title, _text: False)
    wait_idle(qtbot)
    assert len(_other_income(opened)) == 1


@pytest.fixture
def categories(qtbot: QtBot, context: AppContext) -> Iterator[CategoriesDialog]:
    dialog = CategoriesDialog(context)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.setup is not None, timeout=10_000)
    yield dialog
    wait_idle(qtbot)


def _tree_position(dialog: CategoriesDialog, code: str) -> int:
    return next(i for i in range(dialog.tree_model.rowCount()) if dialog.tree_model.row_at(i).code == code)


def test_a_sub_category_is_added_and_renamed(
    categories: CategoriesDialog, qtbot: QtBot, tab: BudgetTab, opened: Database
) -> None:
    assert not categories.add_button.isEnabled()  # nothing chosen yet
    categories.tree.selectRow(_tree_position(categories, "50102"))
    assert categories.add_button.isEnabled() and "50102 文体活动费" in categories.chosen.text()
    categories.add_category()
    assert "请填写细目名称" in categories.tree_errors["new_name"].text()
    categories.new_name.setText("篮球协会")
    categories.add_category()
    qtbot.waitUntil(lambda: any(c.name == "篮球协会" for c in categories.tree_model.rows), timeout=10_000)
    wait_idle(qtbot)
    with opened.reader() as session:
        tree = load_tree(session)
        added = tree.by_code["5010201"]
        assert (added.name, added.parent_id, added.depth, added.shipped) == (
            "篮球协会",
            tree.by_code["50102"].id,
            1 + tree.by_code["50102"].depth,
            False,
        )
    assert "已在“50102 文体活动费”下添加细目：5010201 篮球协会" in categories.outcome.text()
    chosen = categories.tree.current_row()
    assert chosen is not None and chosen.code == "5010201"  # the new line is chosen
    assert categories.tree_model.index(_tree_position(categories, "5010201"), 1).data() == "　　　　篮球协会"
    # the same name twice under one line is refused, in words, under the form
    categories.tree.selectRow(_tree_position(categories, "50102"))
    categories.new_name.setText("篮球协会")
    categories.add_category()
    qtbot.waitUntil(lambda: categories.error.isVisibleTo(categories), timeout=10_000)
    assert "已有“篮球协会”" in categories.error.text()
    # renamed, with a code of the union's own
    categories.tree.selectRow(_tree_position(categories, "5010201"))
    categories.edit_name.setText("篮球队")
    categories.edit_code.setText("5010209")
    categories.edit_category()
    qtbot.waitUntil(lambda: any(c.code == "5010209" for c in categories.tree_model.rows), timeout=10_000)
    wait_idle(qtbot)
    with opened.reader() as session:
        assert load_tree(session).by_code["5010209"].name == "篮球队"
    # the budget tab (on screen) shows the new line under 文体活动费
    qtbot.waitUntil(lambda: any(r.category.code == "5010209" for r in tab.model.rows), timeout=10_000)
    assert cell(tab, "5010209", "name") == "　　　　篮球队" and cell(tab, "5010209", "budget") == ""


def test_a_care_occasion_is_moved_to_another_category(
    categories: CategoriesDialog, qtbot: QtBot, tab: BudgetTab, opened: Database, year: Year
) -> None:
    box = categories.care_boxes[Occasion.BIRTHDAY]
    assert box.currentData() == "50106" and box.findText(UNMAPPED) < 0
    assert "50106 会员活动费" in box.currentText()
    assert cell(tab, "50106", "care") == "300.00" and cell(tab, "50104", "care") == "0.00"
    box.setCurrentIndex(box.findData("50104"))
    box.activated.emit(box.currentIndex())  # as when the user picks it
    qtbot.waitUntil(lambda: "已改为：生日" in categories.outcome.text(), timeout=10_000)
    wait_idle(qtbot)
    with opened.reader() as session:
        assert care_categories(session)[Occasion.BIRTHDAY.value] == year.ids["50104"]
        table = budget_table(session, YEAR)
    care = {r.category.code: r.care_fen for r in table.spending}
    assert (care["50104"], care["50106"]) == (30_000, 0)
    qtbot.waitUntil(lambda: cell(tab, "50104", "care") == "300.00", timeout=10_000)
    assert cell(tab, "50106", "care") == "0.00"
    assert categories.care_boxes[Occasion.BIRTHDAY].currentData() == "50104"  # read back


def test_the_union_sets_its_own_meal_limit(
    categories: CategoriesDialog, qtbot: QtBot, opened: Database
) -> None:
    before = categories.limit_model.rowCount()
    categories.rule.setCurrentIndex(categories.rule.findData(Rule.MEAL.value))
    assert "元/人·餐" in categories.unit.text()
    categories.value.setText("四十")
    categories.save_limit()
    assert "应是金额" in categories.value_error.text()
    categories.value.setText("40")
    categories.since.setDate(QDate(YEAR, 3, 1))
    categories.limit_note.setText("经费管理办法")
    categories.save_limit()
    qtbot.waitUntil(lambda: categories.limit_model.rowCount() == before + 1, timeout=10_000)
    wait_idle(qtbot)
    with opened.reader() as session:
        row = session.scalar(select(ActivityLimit))
        assert row is not None
        assert (row.rule, row.value, row.effective_from, row.kind, row.note) == (
            "工作餐", 4_000, date(YEAR, 3, 1), "", "经费管理办法"
        )  # fmt: skip
    (own,) = [r for r in categories.limit_model.rows if r.source == "本单位标准"]
    assert own.limit.text() == "工作餐每人每餐不超过 40.00 元"
    assert "自2025-03-01起工作餐每人每餐不超过 40.00 元" in categories.outcome.text()


def test_limit_values_are_read_in_the_rules_units() -> None:
    assert read_value(Rule.MEAL, "40") == 4_000
    assert read_value(Rule.PER_HEAD, "200.5") == 20_050
    assert read_value(Rule.PRIZE_SHARE, "66.7") == 667
    assert read_value(Rule.PRIZE_SHARE, "50%") == 500
    assert read_value(Rule.OUTING_DAYS, "1") == 1
    for rule, text, words in (
        (Rule.PRIZE_SHARE, "66.75", "最多一位小数"),
        (Rule.PRIZE_SHARE, "120", "0 到 100"),
        (Rule.OUTING_DAYS, "1.5", "整数"),
        (Rule.OUTING_DAYS, "", "请填写"),
        (Rule.MEAL, "0", "大于 0"),
    ):
        with pytest.raises(ValueError, match=words):
            read_value(rule, text)
