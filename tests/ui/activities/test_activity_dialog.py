"""The activity editor: a new activity with its budget lines, participants and expenses in one
save; a stored one corrected; the limits checked while typing, an over-limit line refused
without its reason (nothing written) and kept with it; 节超 per category and in total."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.domain.activities import Kind
from app.models import Activity, ActivityBudgetItem, ActivityExpense, ActivityParticipant
from app.services.activities import ExpenseInput, get_activity
from app.ui.activities.activity_dialog import AMOUNT, HEADS, ITEM, OVER, PER_HEAD, REASON, ActivityDialog
from app.ui.activities.expense_dialog import ExpenseDialog
from app.ui.activities.fields import set_day
from app.ui.activities.page import ActivitiesPage
from app.ui.main_window import MainWindow
from tests.ui.activities.conftest import MEAL_REASON, YEAR, ActivityUnion, opened_db
from tests.ui.conftest import wait_idle


def ready(dialog: ActivityDialog | None, qtbot: QtBot) -> ActivityDialog:
    assert dialog is not None
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=5000)
    return dialog


def grid_text(dialog: ActivityDialog, row: int, column: int) -> str:
    item = dialog.grid.item(row, column)
    assert item is not None
    return item.text()


def count(window: MainWindow, model: type) -> int:
    with opened_db(window).reader() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def type_line(dialog: ActivityDialog, row: int, item: str, category: str, **cells: str) -> None:
    dialog.set_cell(row, ITEM, item)
    dialog.set_cell(row, 1, category)
    for column, text in ((PER_HEAD, cells.get("per_head", "")), (HEADS, cells.get("heads", "")),
                         (AMOUNT, cells.get("amount", "")), (REASON, cells.get("reason", ""))):  # fmt: skip
        if text:
            dialog.set_cell(row, column, text)


def expense_value(dialog: ExpenseDialog) -> ExpenseInput | None:
    return dialog.value


def test_a_new_activity_is_saved_whole_in_one_write(
    activities_window: MainWindow, union: ActivityUnion, qtbot: QtBot
) -> None:
    page: ActivitiesPage = activities_window.activities
    dialog = ready(page.add_activity(), qtbot)
    assert dialog.windowTitle() == "新建活动"
    dialog.name.setText("职工乒乓球赛")
    dialog.kind.setCurrentIndex(dialog.kind.findData(Kind.SPORTS.value))
    set_day(dialog.start, date(YEAR, 5, 20))
    dialog.place.setText("职工之家")
    dialog.organiser.setText("工会文体委员")
    type_line(dialog, dialog.add_line(), "奖品", "50102", per_head="100", heads="1")
    type_line(dialog, dialog.add_line(), "场地", "50102", amount="600")
    assert grid_text(dialog, 0, AMOUNT) == "100.00"  # 单价 × 人数
    assert dialog.budget_total.text() == "预算合计 <b>700.00</b> 元"
    dialog.participants.picker.search.setText("张伟")
    qtbot.waitUntil(lambda: dialog.participants.picker.current is not None, timeout=5000)
    assert dialog.participants.add_chosen() == 1
    dialog.participants.picker.search.setText("李娜")
    qtbot.waitUntil(
        lambda: (
            dialog.participants.picker.current is not None
            and dialog.participants.picker.current.name == "李娜"
        ),
        timeout=5000,
    )
    dialog.participants.add_chosen()
    assert dialog.participants.add_chosen() == 0  # once on the list
    assert dialog.tabs.tabText(2) == "参加人员（2 人）"
    dialog.add_expense(ExpenseInput(date(YEAR, 5, 20), "乒乓球", union.sports, 25_000, payee="文体用品店"))
    assert dialog.spent_line.text() == "共 1 笔，合计 <b>250.00</b> 元"
    assert [(r.category, r.budget_fen, r.spent_fen) for r in map(dialog.variance.row_at, range(2))] == [
        ("50102 文体活动费", 70_000, 25_000),
        ("合计", 70_000, 25_000),
    ]
    assert "节约 450.00" in dialog.variance_line.text()
    before = count(activities_window, Activity)
    with qtbot.waitSignal(dialog.saved, timeout=5000) as saved:
        dialog.save()
    new_id = saved.args[0]
    wait_idle(qtbot)
    assert count(activities_window, Activity) == before + 1
    with opened_db(activities_window).reader() as session:
        detail = get_activity(session, new_id)
    assert (detail.row.name, detail.row.kind, detail.row.start, detail.row.place, detail.row.organiser) == (
        "职工乒乓球赛", "文体活动", date(YEAR, 5, 20), "职工之家", "工会文体委员")  # fmt: skip
    assert [(i.item, i.amount_fen, i.per_head_fen, i.heads) for i in detail.items] == [
        ("奖品", 10_000, 10_000, 1),
        ("场地", 60_000, None, None),
    ]
    assert sorted(p.name for p in detail.participants) == ["张伟", "李娜"]
    assert [(e.item, e.amount_fen, e.payee) for e in detail.expenses] == [("乒乓球", 25_000, "文体用品店")]
    qtbot.waitUntil(lambda: page.model.total_count == 4, timeout=5000)
    assert page.table.current_id() == new_id  # the new one is selected


def test_an_over_limit_line_needs_its_reason_and_nothing_is_written_without(
    activities_window: MainWindow, union: ActivityUnion, qtbot: QtBot
) -> None:
    page = activities_window.activities
    dialog = ready(page.add_activity(), qtbot)
    dialog.name.setText("技能竞赛")
    dialog.kind.setCurrentIndex(dialog.kind.findData(Kind.CONTEST.value))
    set_day(dialog.start, date(YEAR, 9, 1))
    dialog.headcount.setValue(20)
    type_line(dialog, dialog.add_line(), "工作餐", "50102", heads="20", amount="1200")
    over = grid_text(dialog, 0, OVER)
    assert "工作餐每人每餐不超过 40.00 元" in over and "20 人 1,200.00 元" in over
    assert (
        "预算第 1 行“工作餐”超过标准" in dialog.findings.text()
        and "请填写超标准原因" in dialog.findings.text()
    )
    activities, items = count(activities_window, Activity), count(activities_window, ActivityBudgetItem)
    dialog.save()
    assert "第 1 行“工作餐”超过标准，须写明原因：工作餐每人每餐不超过 40.00 元" in dialog.grid_error.text()
    assert dialog.tabs.currentIndex() == 1  # the budget tab brought forward
    wait_idle(qtbot)
    assert (count(activities_window, Activity), count(activities_window, ActivityBudgetItem)) == (
        activities,
        items,
    )
    dialog.set_cell(0, REASON, "竞赛全天进行，含午餐晚餐")
    assert "原因：竞赛全天进行，含午餐晚餐" in dialog.findings.text()
    with qtbot.waitSignal(dialog.saved, timeout=5000) as saved:
        dialog.save()
    wait_idle(qtbot)
    with opened_db(activities_window).reader() as session:
        (line,) = get_activity(session, saved.args[0]).items
    assert (
        line.over_limit.startswith("工作餐每人每餐不超过 40.00 元")
        and line.reason == "竞赛全天进行，含午餐晚餐"
    )


def test_the_service_refusal_is_shown_under_its_list_and_writes_nothing(
    activities_window: MainWindow, union: ActivityUnion, qtbot: QtBot
) -> None:
    """The service checks the lines itself: its refusal is shown where the line is."""
    page = activities_window.activities
    dialog = ready(page.add_activity(), qtbot)
    dialog.name.setText("技能竞赛")
    dialog.headcount.setValue(5)
    type_line(dialog, dialog.add_line(), "奖品", "50102", heads="5", amount="500")  # 5 prizes for 5: over ⅔
    assert "获奖人数不超过参加人数的 66.7%" in grid_text(dialog, 0, OVER)
    dialog.local_problems = lambda lines: False  # type: ignore[method-assign]
    before = count(activities_window, Activity)
    dialog.save()
    qtbot.waitUntil(lambda: bool(dialog.grid_error.text()), timeout=5000)
    assert "第 1 行“奖品”超过标准，须写明原因" in dialog.grid_error.text()
    assert dialog.save_button.isEnabled() and dialog.isVisible()
    assert count(activities_window, Activity) == before  # the activity itself was rolled back too


def test_a_refused_name_is_shown_beside_the_field(activities_window: MainWindow, qtbot: QtBot) -> None:
    dialog = ready(activities_window.activities.add_activity(), qtbot)
    dialog.save()
    assert dialog.messages["name"].text() == "请填写活动名称" and dialog.tabs.currentIndex() == 0
    dialog.name.setText("x")
    dialog.has_end.setChecked(True)
    set_day(dialog.start, date(YEAR, 5, 2))
    set_day(dialog.end, date(YEAR, 5, 1))
    dialog.save()
    assert dialog.messages["end"].text() == "结束日期不能早于开始日期"


def test_the_activity_over_its_per_head_limit_keeps_the_reason_typed(
    activities_window: MainWindow, qtbot: QtBot
) -> None:
    """湖南: 会员活动 at most 200 元 per head and day; the plan makes the new activity over it."""
    dialog = ready(activities_window.activities.add_activity(), qtbot)
    dialog.name.setText("职工观影")
    dialog.kind.setCurrentIndex(dialog.kind.findData(Kind.MEMBERS.value))
    set_day(dialog.start, date(YEAR, 11, 8))
    dialog.headcount.setValue(10)
    type_line(dialog, dialog.add_line(), "包场", "50106", amount="3000")
    assert "会员活动每人每天不超过 200.00 元，这次每人每天 300.00 元" in dialog.activity_limit.text()
    dialog.save()
    assert "活动超过标准，须写明原因" in dialog.messages["reason"].text() and dialog.tabs.currentIndex() == 0
    dialog.reason.setText("包场含交通，经工会委员会同意")
    with qtbot.waitSignal(dialog.saved, timeout=5000) as saved:
        dialog.save()
    wait_idle(qtbot)
    with opened_db(activities_window).reader() as session:
        detail = get_activity(session, saved.args[0])
    assert (
        detail.over_limit.startswith("会员活动每人每天不超过 200.00 元")
        and detail.reason == "包场含交通，经工会委员会同意"
    )
    assert [i.amount_fen for i in detail.items] == [300_000]


def test_a_stored_activity_is_corrected(
    activities_window: MainWindow, union: ActivityUnion, qtbot: QtBot
) -> None:
    page = activities_window.activities
    assert page.table.select_id(union.match)
    dialog = ready(page.edit_activity(), qtbot)
    assert dialog.windowTitle() == "修改活动" and dialog.name.text() == "职工篮球赛"
    assert dialog.headcount.value() == 60 and dialog.place.text() == "厂区篮球场"
    assert dialog.grid.rowCount() == 2 and dialog.expenses.total_count == 2
    assert "已结束" in dialog.status.text()
    assert (
        dialog.variance.row_at(dialog.variance.rowCount() - 1).category == "合计"
        and "超支 3,900.00" in dialog.variance_line.text()
    )
    dialog.set_cell(1, AMOUNT, "4500")  # 饮用水 300 → 4,500
    prize = next(r for r in dialog.expenses.rows if r.data.item == "奖品")
    dialog.expenses_view.select_id(prize.key)
    dialog.delete_expense()
    venue = next(r for r in dialog.expenses.rows if r.data.item == "场地租赁")
    dialog.expenses_view.select_id(venue.key)
    dialog.edit_expense(ExpenseInput(venue.data.day, "场地租赁", union.sports, 280_000, payee="市体育馆",
                                     invoice_no="00112233", paid_by="李娜"))  # fmt: skip
    dialog.add_expense(ExpenseInput(date(YEAR, 4, 9), "饮用水", union.sports, 20_000))
    assert "节约 4,500.00" in dialog.variance_line.text()
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save()
    wait_idle(qtbot)
    with opened_db(activities_window).reader() as session:
        detail = get_activity(session, union.match)
    assert [(i.item, i.amount_fen) for i in detail.items] == [("场地", 300_000), ("饮用水", 450_000)]
    assert [(e.item, e.amount_fen, e.invoice_no) for e in detail.expenses] == [
        ("场地租赁", 280_000, "00112233"),
        ("饮用水", 20_000, ""),
    ]
    assert detail.headcount == 60
    qtbot.waitUntil(lambda: page.model.row_at(0).spent_fen == 300_000, timeout=5000)


def test_an_over_limit_meal_expense_asks_its_reason(
    activities_window: MainWindow, union: ActivityUnion, qtbot: QtBot
) -> None:
    page = activities_window.activities
    assert page.table.select_id(union.training)
    dialog = ready(page.edit_activity(), qtbot)
    assert grid_text(dialog, 1, REASON) == MEAL_REASON
    assert "工作餐每人每餐不超过 40.00 元" in grid_text(dialog, 1, OVER)
    expense = dialog.expense_dialog()
    expense.item.setText("工作餐")
    expense.amount.setText("600")  # 10 people: 60 元 a head
    assert "超过标准：工作餐每人每餐不超过 40.00 元" in expense.limit_text.text()
    expense.confirm()
    assert "超过标准，须写明原因" in expense.messages["reason"].text() and expense.value is None
    expense.reason.setText("加班晚餐")
    expense.confirm()
    typed = expense_value(expense)
    assert typed is not None and typed.reason == "加班晚餐"
    dialog.add_expense(typed)
    assert "支出" in dialog.findings.text() and "原因：加班晚餐" in dialog.findings.text()
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save()
    wait_idle(qtbot)
    with opened_db(activities_window).reader() as session:
        (spent,) = session.execute(
            select(ActivityExpense.over_limit, ActivityExpense.reason).where(
                ActivityExpense.activity_id == union.training
            )
        ).all()
    assert spent.over_limit.startswith("工作餐每人每餐不超过 40.00 元") and spent.reason == "加班晚餐"
    assert count(activities_window, ActivityParticipant) == 3  # nobody was added or removed anywhere


def test_a_participant_not_a_member_on_the_day_is_pointed_out_under_the_list(
    activities_window: MainWindow, union: ActivityUnion, qtbot: QtBot
) -> None:
    from app.services.roster.members import change_status

    with opened_db(activities_window).session() as session:
        change_status(session, union.zhao, "转出", date(YEAR, 3, 31), "调往外单位")
    dialog = ready(activities_window.activities.add_activity(), qtbot)
    set_day(dialog.start, date(YEAR, 6, 1))
    dialog.participants.picker.search.setText("赵强")
    qtbot.waitUntil(lambda: dialog.participants.picker.current is not None, timeout=5000)
    assert dialog.participants.add_chosen() == 1
    expected = f"赵强已于 {YEAR}-03-31 转出，活动开始的 {YEAR}-06-01 不是本会会员：请核对参加人员"
    assert dialog.participants.warnings(date(YEAR, 6, 1)) == [expected]
    assert not dialog.participants.warning.isHidden() and expected in dialog.participants.warning.text()
    set_day(dialog.start, date(YEAR, 3, 1))  # before the transfer: a member then
    assert dialog.participants.warnings(date(YEAR, 3, 1)) == [] and dialog.participants.warning.isHidden()
    assert dialog.tabs.tabText(2) == "参加人员（1 人）"  # kept on the list either way
