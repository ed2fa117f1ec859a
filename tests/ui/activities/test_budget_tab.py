"""The 年度预算 tab on a year built by hand: every figure the tab shows is the service's, a line
never set is blank (not 0), editing a budget writes it (and 清除 makes it never set again), a
spent figure opens the records behind it adding up to it, the income section with the dues
roll's figure marked, the warnings above the table, and the chart's bars."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database, open_database
from app.models import BudgetLine, CareRecord, DuesCharge, DuesPayment
from app.services.activities import BudgetTable, IncomeRow, budget_table, load_tree
from app.ui.activities.budget_chart import BUDGET, SPENT
from app.ui.activities.budget_tab import CARE_RECORDS, DUES_TABLES, WATCHED, BudgetDialog, BudgetTab
from app.ui.activities.spent_dialog import SpentDialog
from app.ui.context import AppContext
from app.ui.operations import wait_for_operations
from tests.ui.conftest import wait_idle

YEAR = 2025
TODAY = date(2025, 12, 20)


@dataclass(frozen=True)
class Year:
    """The hand-built year's ids: the category ids by code, the member."""

    path: Path
    ids: dict[str, int]
    member: int


def build(path: Path) -> Year:
    """501 职工活动支出 95,000 with 文体 25,000 and 会员活动 60,000 set (教育 … never set);
    502 维权支出 14,000; 505 资本性支出 10,000; 503 业务支出 never set; 402 拨缴经费 50,000
    budgeted and 48,000 came in; 401 会费收入 not set: the dues roll (6 months) is its
    budget and 60.00 paid is its actual.
    Spent: a basketball match 7,500 (文体), a film 6,000 (会员活动), equipment 12,000 (资本性:
    over budget); care: a birthday cake 300 (会员活动), 送温暖 1,000 (维权—送温暖费). An approved
    outing plans 9,000 for 会员活动 and has spent 3,600 of it (5,400 committed)."""
    from app.domain.activities import Kind, Status
    from app.domain.care import Occasion
    from app.domain.members import MemberInput
    from app.domain.yearmonth import YearMonth
    from app.services.activities import (
        ActivityInput,
        ExpenseInput,
        ItemInput,
        add_expense,
        add_income,
        create_activity,
        set_budget,
        set_budget_items,
        set_status,
    )
    from app.services.care import CareInput, record_care
    from app.services.dues import PaymentInput, record_payment, roll
    from app.services.roster import create_member, set_dues_wage
    from app.services.system import ProfileData, save_profile

    db = open_database(path, create=True)
    with db.session() as s:
        save_profile(s, ProfileData(name="测试工会", province="安徽"))
        member = create_member(
            s,
            MemberInput(name="付怡", id_number="11010519491231002X", joined_on=date(2010, 5, 1)),
            today=TODAY,
        )
        set_dues_wage(s, member, 308_500, date(2025, 1, 1))
        roll(s, YearMonth(2025, 1), YearMonth(2025, 6), today=TODAY)
        record_payment(s, PaymentInput(member, 6_000, date(2025, 7, 1)), today=TODAY)
        tree = load_tree(s)
        ids = {c.code: c.id for c in tree.items}
        for code, fen in (("501", 9_500_000), ("50102", 2_500_000), ("50106", 6_000_000), ("502", 1_400_000),
                          ("505", 1_000_000), ("402", 5_000_000)):  # fmt: skip
            set_budget(s, YEAR, ids[code], fen)
        match = create_activity(s, ActivityInput("职工篮球赛", Kind.SPORTS, date(YEAR, 4, 5), headcount=60))
        set_budget_items(s, match, [ItemInput("场地", ids["50102"], 300_000)])
        for day, item, fen in ((5, "场地租赁", 300_000), (8, "奖品", 420_000), (11, "饮用水", 30_000)):
            add_expense(s, match, ExpenseInput(date(YEAR, 4, day), item, ids["50102"], fen, payee="体育馆"))
        set_status(s, match, Status.APPROVED)
        set_status(s, match, Status.DONE)
        film = create_activity(s, ActivityInput("暑期观影", Kind.MEMBERS, date(YEAR, 7, 5), headcount=150))
        add_expense(s, film, ExpenseInput(date(YEAR, 7, 5), "电影票", ids["50106"], 600_000))
        gym = create_activity(s, ActivityInput("职工之家健身器材", Kind.HOME, date(YEAR, 6, 5)))
        add_expense(s, gym, ExpenseInput(date(YEAR, 6, 5), "健身器材", ids["505"], 1_200_000))
        outing = create_activity(
            s, ActivityInput("秋季一日游", Kind.MEMBERS, date(YEAR, 10, 5), headcount=120)
        )
        set_budget_items(s, outing, [ItemInput("大巴", ids["50106"], 360_000),
                                     ItemInput("门票", ids["50106"], per_head_fen=4_500, heads=120)])  # fmt: skip
        add_expense(s, outing, ExpenseInput(date(YEAR, 10, 5), "大巴车费", ids["50106"], 360_000))
        set_status(s, outing, Status.APPROVED)
        record_care(
            s,
            CareInput(Occasion.BIRTHDAY, date(YEAR, 3, 2), member, goods="蛋糕", goods_fen=30_000),
            today=TODAY,
        )
        record_care(s, CareInput(Occasion.WARMTH, date(YEAR, 1, 20), member, cash_fen=100_000), today=TODAY)
        add_income(s, date(YEAR, 3, 1), ids["402"], 4_800_000, source="行政拨缴")
    db.close()
    return Year(path, ids, member)


@pytest.fixture
def year(tmp_path: Path) -> Year:
    return build(tmp_path / "budget.db")


@pytest.fixture
def opened(year: Year) -> Iterator[Database]:
    db = open_database(year.path)
    yield db
    wait_for_operations(10_000)
    db.close()


@pytest.fixture
def context(opened: Database) -> AppContext:
    context = AppContext()
    context.set_database(opened)
    return context


@pytest.fixture
def tab(qtbot: QtBot, context: AppContext) -> Iterator[BudgetTab]:
    """The tab on YEAR, shown (it reads as it appears)."""
    tab = BudgetTab(context)
    qtbot.addWidget(tab)
    tab.resize(1500, 900)
    tab.year.setValue(YEAR)
    tab.show()
    qtbot.waitUntil(lambda: tab.data is not None and tab.data.year == YEAR, timeout=10_000)
    wait_idle(qtbot)
    yield tab
    wait_idle(qtbot)


def service_table(db: Database) -> BudgetTable:
    with db.reader() as session:
        return budget_table(session, YEAR)


def cell(tab: BudgetTab, code: str, key: str, *, income: bool = False) -> str:
    model = tab.income_model if income else tab.model
    for position in range(model.rowCount()):
        if model.row_at(position).category.code == code:
            return str(model.index(position, model.column_index(key)).data())
    raise AssertionError(f"no line {code}")


def position(tab: BudgetTab, code: str) -> int:
    return next(i for i in range(tab.model.rowCount()) if tab.model.row_at(i).category.code == code)


def test_the_watched_tables_are_the_models() -> None:
    assert (CareRecord.__tablename__, DuesCharge.__tablename__, DuesPayment.__tablename__) == (
        CARE_RECORDS,
        *DUES_TABLES,
    )
    assert BudgetLine.__tablename__ in WATCHED


def test_every_figure_is_the_services(tab: BudgetTab, opened: Database) -> None:
    truth = service_table(opened)
    assert [r.category.code for r in tab.model.rows] == [r.category.code for r in truth.spending]
    from app.domain.money import format_fen

    for row in truth.spending:
        code = row.category.code
        assert cell(tab, code, "budget") == ("" if row.budget_fen is None else format_fen(row.budget_fen))
        assert cell(tab, code, "committed") == format_fen(row.committed_fen)
        assert cell(tab, code, "spent") == format_fen(row.spent_fen)
        assert cell(tab, code, "activity") == format_fen(row.activity_fen)
        assert cell(tab, code, "care") == format_fen(row.care_fen)
        assert cell(tab, code, "remaining") == (
            "" if row.remaining_fen is None else format_fen(row.remaining_fen)
        )
        assert cell(tab, code, "used") == ("" if row.used_pct is None else f"{row.used_pct}%")
        assert cell(tab, code, "level") == row.level
    # the hand-made year, figure by figure
    assert cell(tab, "50102", "spent") == "7,500.00" and cell(tab, "50102", "used") == "30.0%"
    assert (cell(tab, "50106", "activity"), cell(tab, "50106", "care"), cell(tab, "50106", "spent")) == (
        "9,600.00",
        "300.00",
        "9,900.00",
    )
    assert cell(tab, "50106", "committed") == "5,400.00"
    assert cell(tab, "50106", "remaining") == "44,700.00"  # 60,000 − 9,900 − 5,400
    assert cell(tab, "505", "level") == "超支" and cell(tab, "505", "remaining") == "-2,000.00"
    # no budget of its own, but spent within 502's: not flagged
    assert cell(tab, "50205", "care") == "1,000.00" and cell(tab, "50205", "level") == ""
    assert cell(tab, "50102", "name") == "　　文体活动费" and cell(tab, "501", "name") == "职工活动支出"
    # the totals line: 95,000 + 14,000 + 10,000 budgeted, 17,400 + 1,000 + 12,000 spent
    assert truth.spending_budget_fen == 11_900_000 and truth.spent_fen == 3_040_000
    text = tab.totals.text()
    assert "支出预算合计 <b>119,000.00</b> 元" in text
    assert "已支出 <b>30,400.00</b> 元" in text
    assert f"执行率 <b>{truth.execution_rate}%</b>" in text and "25.5%" in text
    assert tab.warnings.isHidden()


def test_a_line_never_set_is_blank_not_zero(tab: BudgetTab) -> None:
    for code in ("50101", "503", "50301", "504"):
        assert cell(tab, code, "budget") == ""
        assert cell(tab, code, "remaining") == "" and cell(tab, code, "used") == ""
    assert cell(tab, "503", "spent") == "0.00"  # spending is a real zero
    row = tab.model.row_at(position(tab, "50101"))
    tip = tab.model.index(position(tab, "50101"), tab.model.column_index("budget")).data(
        Qt.ItemDataRole.ToolTipRole
    )
    assert row.budget_fen is None and "未设预算" in str(tip)


def test_the_income_section(tab: BudgetTab, opened: Database) -> None:
    truth = service_table(opened)
    dues = truth.row("401")
    assert isinstance(dues, IncomeRow)
    with opened.reader() as session:
        charged = sum(session.scalars(select(DuesCharge.due_fen)))
    assert dues.from_dues_roll and dues.budget_fen == charged == 9_240  # six months charged
    from app.domain.money import format_fen

    assert cell(tab, "401", "budget", income=True) == format_fen(dues.budget_fen)
    assert cell(tab, "401", "actual", income=True) == "60.00"
    assert "按本年会费应缴" in cell(tab, "401", "note", income=True)
    assert "会费台账" in cell(tab, "401", "note", income=True)
    assert (cell(tab, "402", "budget", income=True), cell(tab, "402", "actual", income=True)) == (
        "50,000.00",
        "48,000.00",
    )
    assert cell(tab, "402", "done", income=True) == "96.0%"
    assert cell(tab, "403", "budget", income=True) == ""
    assert f"收入预算合计 <b>{format_fen(truth.income_budget_fen)}</b> 元" in tab.income_totals.text()
    assert "实际收入 <b>48,060.00</b> 元" in tab.income_totals.text()


def _budget(db: Database, category_id: int) -> int | None:
    with db.reader() as session:
        return session.scalar(
            select(BudgetLine.amount_fen).where(
                BudgetLine.year == YEAR, BudgetLine.category_id == category_id
            )
        )


def test_editing_a_budget_writes_it_and_clearing_makes_it_never_set(
    tab: BudgetTab, qtbot: QtBot, year: Year, opened: Database
) -> None:
    tab.table.selectRow(position(tab, "50101"))
    assert tab.edit_button.isEnabled()
    dialog = tab.edit_budget()
    assert isinstance(dialog, BudgetDialog)
    qtbot.addWidget(dialog)
    assert dialog.line.category.code == "50101" and dialog.line.budget_fen is None
    assert not dialog.clear_button.isEnabled()  # nothing to clear
    dialog.amount.setText("一万")
    dialog.save()
    assert "应是金额" in dialog.amount_error.text()
    dialog.amount.setText("")
    dialog.save()
    assert "清除预算" in dialog.amount_error.text()
    wait_idle(qtbot)
    assert _budget(opened, year.ids["50101"]) is None
    dialog.amount.setText("12000")
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.save()
    assert _budget(opened, year.ids["50101"]) == 1_200_000
    qtbot.waitUntil(lambda: cell(tab, "50101", "budget") == "12,000.00", timeout=10_000)
    wait_idle(qtbot)
    # 25,000 + 60,000 + 12,000 under a top line of 95,000: the warning shows above the table
    assert tab.warnings.isVisible() and "职工活动支出" in tab.warnings.text()
    chosen = tab.table.current_row()
    assert chosen is not None and chosen.category.code == "50101"  # the selection survives the reload
    again = tab.edit_budget()
    assert again is not None
    qtbot.addWidget(again)
    assert again.amount.text() == "12000.00" and again.clear_button.isEnabled()
    with qtbot.waitSignal(again.finished, timeout=10_000):
        again.clear()
    assert _budget(opened, year.ids["50101"]) is None
    qtbot.waitUntil(lambda: cell(tab, "50101", "budget") == "", timeout=10_000)
    wait_idle(qtbot)
    assert tab.warnings.isHidden()


def test_a_top_line_without_its_own_figure_shows_its_sub_lines_sum(
    tab: BudgetTab, qtbot: QtBot, year: Year, opened: Database
) -> None:
    tab.table.selectRow(position(tab, "501"))
    dialog = tab.edit_budget()
    assert dialog is not None
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.clear()
    qtbot.waitUntil(lambda: cell(tab, "501", "budget") == "85,000.00", timeout=10_000)  # 25,000 + 60,000
    wait_idle(qtbot)
    assert not tab.model.row_at(position(tab, "501")).own_line
    assert "支出预算合计 <b>109,000.00</b> 元" in tab.totals.text()


def test_the_income_budget_is_edited_from_its_table(
    tab: BudgetTab, qtbot: QtBot, year: Year, opened: Database
) -> None:
    tab.income_table.selectRow(0)  # 401 会费收入
    assert tab.table.current_row() is None and tab.edit_button.isEnabled()
    dialog = tab.edit_budget()
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.line.category.code == "401" and not dialog.line.own_line  # the roll's figure
    dialog.amount.setText("200")
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.save()
    qtbot.waitUntil(lambda: cell(tab, "401", "budget", income=True) == "200.00", timeout=10_000)
    wait_idle(qtbot)
    assert "按本年会费应缴" not in cell(tab, "401", "note", income=True)
    assert _budget(opened, year.ids["401"]) == 20_000


def test_a_spent_figure_opens_the_records_behind_it(tab: BudgetTab, qtbot: QtBot) -> None:
    seen: set[int] = set()
    for code, expenses, care in (("501", 5, 1), ("50106", 2, 1), ("502", 0, 1), ("505", 1, 0)):
        row = tab.model.row_at(position(tab, code))
        index = tab.table.proxy.index(position(tab, code), tab.model.column_index("spent"))
        tab.table.clicked.emit(index)  # a click on the 已支出 figure
        (dialog,) = [d for d in tab.findChildren(SpentDialog) if id(d) not in seen]
        seen.add(id(dialog))
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda d=dialog: d.records is not None, timeout=10_000)  # type: ignore[misc]
        assert dialog.category_id == row.category.id and dialog.spent_fen == row.spent_fen
        assert (dialog.expense_model.rowCount(), dialog.care_model.rowCount()) == (expenses, care)
        assert dialog.expense_fen == row.activity_fen and dialog.care_fen == row.care_fen
        assert dialog.expense_fen + dialog.care_fen == row.spent_fen
        assert "与预算表中的已支出一致" in dialog.total.text()
        dialog.close()
    # a figure of 0 opens nothing; the button opens the selected line's
    tab.table.clicked.emit(tab.table.proxy.index(position(tab, "503"), tab.model.column_index("spent")))
    assert len(tab.findChildren(SpentDialog)) == len(seen)
    tab.table.selectRow(position(tab, "50102"))
    button = tab.show_spent()
    assert button is not None and button.spent_fen == 750_000
    qtbot.addWidget(button)
    qtbot.waitUntil(lambda: button.records is not None, timeout=10_000)
    assert [e.item for e in button.expense_model.rows] == ["场地租赁", "奖品", "饮用水"]


def test_the_chart_draws_budget_against_spent(tab: BudgetTab) -> None:
    chart = tab.chart
    assert chart.drawn_categories() == ["职工活动支出", "维权支出", "资本性支出"]
    assert chart.drawn_values() == {
        BUDGET: [95_000.0, 14_000.0, 10_000.0],
        SPENT: [17_400.0, 1_000.0, 12_000.0],
    }
    assert chart.drawn_over() == ["资本性支出"]
    assert "2025年" in chart.title
    # as on the 首页: the budget above what was spent, first in the legend too; ticks in 万
    assert chart.drawn_bar_order() == chart.drawn_legend() == [BUDGET, SPENT]
    assert chart.drawn_ticks() == ["0", "5万", "10万", "15万"]  # 95,000 and room for the labels
    # the amounts at the bars' ends as a secretary writes them, the budget above what was spent
    assert chart.drawn_labels() == ["95,000", "17,400", "14,000", "1,000", "10,000", "12,000"]


def test_the_chart_follows_a_new_budget(tab: BudgetTab, qtbot: QtBot, year: Year) -> None:
    tab.table.selectRow(position(tab, "503"))
    dialog = tab.edit_budget()
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.amount.setText("3000")
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.save()
    qtbot.waitUntil(lambda: "业务支出" in tab.chart.drawn_categories(), timeout=10_000)
    wait_idle(qtbot)
    assert tab.chart.drawn_categories() == ["职工活动支出", "维权支出", "业务支出", "资本性支出"]
    assert tab.chart.drawn_values()[BUDGET][2] == 3_000.0


def test_another_year_has_nothing_yet(tab: BudgetTab, qtbot: QtBot) -> None:
    tab.year.setValue(YEAR + 1)
    qtbot.waitUntil(lambda: tab.data is not None and tab.data.year == YEAR + 1, timeout=10_000)
    wait_idle(qtbot)
    assert cell(tab, "501", "budget") == "" and cell(tab, "501", "spent") == "0.00"
    assert "执行率 —" in tab.totals.text()
    assert tab.chart.drawn_categories() == [] and tab.chart.message.isVisibleTo(tab.chart)


def test_the_import_wizard_gets_the_budget_importer_for_the_year(tab: BudgetTab, qtbot: QtBot) -> None:
    wizard = tab.import_budget()
    assert wizard is not None
    qtbot.addWidget(wizard)
    importer = wizard.state.panel.importer()
    assert importer.kind == "budget" and importer.options.year == YEAR
    wizard.reject()
