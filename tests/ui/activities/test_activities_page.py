"""The 活动经费 page: the year's activities with budget, spending and 节超 (over budget in red),
those over a limit flagged in words; the status moved on, an activity deleted, the filters
and totals; the member panel's 活动 tab; the printouts of the selected activity."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.domain.activities import Status
from app.models import Activity, ActivityBudgetItem, ActivityExpense, ActivityParticipant
from app.services.activities import set_participants
from app.ui.activities import ACTIVITIES, BUDGET_ITEMS, EXPENSES, PARTICIPANTS
from app.ui.activities.fields import OVER_COLOUR
from app.ui.activities.page import OVER, WITHIN, ActivitiesPage
from app.ui.main_window import MainWindow
from app.ui.operations import write_operation
from tests.ui.activities.conftest import YEAR, ActivityUnion, opened_db
from tests.ui.conftest import wait_idle


def cell(page: ActivitiesPage, name: str, column: str, role: int = 0) -> object:
    model = page.model
    for position in range(model.rowCount()):
        if model.row_at(position).name == name:
            return model.index(position, model.column_index(column)).data(role)
    raise AssertionError(f"{name} is not listed")


def choose(page: ActivitiesPage, activity_id: int) -> None:
    assert page.table.select_id(activity_id)


def test_the_watched_tables_are_the_models() -> None:
    assert Activity.__tablename__ == ACTIVITIES
    assert ActivityBudgetItem.__tablename__ == BUDGET_ITEMS
    assert ActivityParticipant.__tablename__ == PARTICIPANTS
    assert ActivityExpense.__tablename__ == EXPENSES


def test_the_year_is_listed_with_budget_spent_and_variance(activities_window: MainWindow) -> None:
    page = activities_window.activities
    assert page.tabs.tabText(0) == "活动" and page.tabs.tabText(1) == "年度预算"
    assert [page.model.row_at(i).name for i in range(3)] == ["职工篮球赛", "安全生产培训", "秋季观影"]
    assert cell(page, "职工篮球赛", "budget") == "3,300.00"
    assert cell(page, "职工篮球赛", "spent") == "7,200.00"
    assert cell(page, "职工篮球赛", "variance") == "超支 3,900.00"
    assert cell(page, "职工篮球赛", "variance", 9) == OVER_COLOUR  # ForegroundRole
    assert cell(page, "职工篮球赛", "status") == "已结束"
    assert cell(page, "职工篮球赛", "participants") == "60"
    assert cell(page, "安全生产培训", "variance") == "未支出"  # planned, nothing spent yet
    assert cell(page, "安全生产培训", "flag") == OVER
    assert cell(page, "秋季观影", "flag") == WITHIN
    assert cell(page, "秋季观影", "participants") == "2"
    summary = page.summary.text()
    assert f"{YEAR}年：活动 3 项，参加 72 人次，活动预算 6,190.00 元，已支出 7,200.00 元" in summary
    assert (
        "超支 <b style='color:#a11212'>1</b> 项" in summary
        and f"{OVER} <b style='color:#a11212'>1</b> 项" in summary
    )


def test_another_year_and_the_filters(activities_window: MainWindow, qtbot: QtBot) -> None:
    page = activities_window.activities
    page.status.setCurrentIndex(page.status.findData(Status.APPROVED.value))
    assert [page.model.row_at(i).name for i in range(page.model.rowCount())] == ["秋季观影"]
    assert "（已审批）：活动 1 项" in page.summary.text() and "另有 2 项不符合筛选条件" in page.summary.text()
    page.status.setCurrentIndex(0)
    page.search.setText("篮球")
    assert page.model.rowCount() == 1 and page.model.row_at(0).name == "职工篮球赛"
    page.search.clear()
    page.year.setValue(YEAR - 1)
    qtbot.waitUntil(lambda: page.model.total_count == 1, timeout=5000)
    assert page.model.row_at(0).name == "往年联欢会"


def test_the_status_moves_on_as_the_steps_allow(
    activities_window: MainWindow, union: ActivityUnion, qtbot: QtBot
) -> None:
    page = activities_window.activities
    choose(page, union.film)
    assert page.status_button.isEnabled()
    assert page.next_statuses() == (Status.RUNNING, Status.DONE, Status.CANCELLED, Status.PLANNED)
    page._fill_status_menu(page.status_menu)
    assert [a.text() for a in page.status_menu.actions()] == [
        "改为“进行中”",
        "改为“已结束”",
        "改为“已取消”",
        "改为“计划中”",
    ]
    assert page.change_status(Status.RUNNING)
    qtbot.waitUntil(lambda: cell(page, "秋季观影", "status") == "进行中", timeout=5000)
    with opened_db(activities_window).reader() as session:
        assert session.get(Activity, union.film).status == "进行中"  # type: ignore[union-attr]
    assert page.table.current_id() == union.film  # still selected after the reload
    choose(page, union.training)  # 计划中 cannot go straight to 已结束
    assert page.next_statuses() == (Status.APPROVED, Status.CANCELLED)


def test_a_refused_status_step_writes_nothing(
    activities_window: MainWindow, union: ActivityUnion, qtbot: QtBot, monkeypatch: object
) -> None:
    from PySide6.QtWidgets import QMessageBox

    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: told.append(text))  # type: ignore[attr-defined]
    page = activities_window.activities
    choose(page, union.training)
    page.change_status(Status.DONE)
    qtbot.waitUntil(lambda: bool(told), timeout=5000)
    assert "“计划中”的活动只能改为：已审批、已取消" in told[0]
    with opened_db(activities_window).reader() as session:
        assert session.get(Activity, union.training).status == "计划中"  # type: ignore[union-attr]


def test_delete_asks_naming_the_activity_and_removes_it_all(
    activities_window: MainWindow, union: ActivityUnion, qtbot: QtBot
) -> None:
    page = activities_window.activities
    choose(page, union.match)
    asked: list[str] = []

    def refuse(_title: str, text: str) -> bool:
        asked.append(text)
        return False

    assert not page.delete_activity(refuse)
    assert (
        "“职工篮球赛”（" in asked[0]
        and "预算 3,300.00 元、已登记的支出 7,200.00 元、参加人员 60 人" in asked[0]
    )
    wait_idle(qtbot)
    assert page.model.total_count == 3  # said no: nothing gone
    assert page.delete_activity(lambda _title, _text: True)
    qtbot.waitUntil(lambda: page.model.total_count == 2, timeout=5000)
    with opened_db(activities_window).reader() as session:
        assert session.get(Activity, union.match) is None
        left = session.scalar(
            select(func.count())
            .select_from(ActivityExpense)
            .where(ActivityExpense.activity_id == union.match)
        )
        assert left == 0


def test_the_right_click_menu_offers_the_row_actions(
    activities_window: MainWindow, union: ActivityUnion
) -> None:
    page = activities_window.activities
    choose(page, union.match)
    menu = page.row_menu()
    assert menu is not None
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == ["修改…", "状态", "打印", "删除…"]
    states = menu.actions()[1].menu()
    assert isinstance(states, QMenu)
    assert [a.text() for a in states.actions()] == ["改为“进行中”"]


def test_the_member_panel_lists_the_activities_taken_part_in(
    activities_window: MainWindow, union: ActivityUnion, qtbot: QtBot
) -> None:
    window = activities_window
    window.show_page("会员名册")
    roster = window.roster
    qtbot.waitUntil(lambda: roster.model.total_count == 4, timeout=5000)
    assert roster.select_member(union.zhang)
    detail = roster.detail
    index = next(i for i in range(detail.tabs.count()) if detail.tabs.tabText(i) == "活动")
    detail.tabs.setCurrentIndex(index)
    model = detail.activities
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=5000)
    assert [model.row_at(i).name for i in range(2)] == ["秋季观影", "往年联欢会"]  # newest first
    assert model.index(0, model.column_index("status")).data() == "已审批"
    assert detail.activities_line.text().startswith("共参加 2 项活动")

    def add_zhang(session: object) -> None:
        set_participants(session, union.match, [union.zhang, union.wang])  # type: ignore[arg-type]

    write_operation(None, window.context, add_zhang)
    qtbot.waitUntil(lambda: model.rowCount() == 3, timeout=5000)
    assert model.row_at(1).name == "职工篮球赛"
    assert roster.select_member(union.zhao)
    qtbot.waitUntil(lambda: "还没有参加过活动" in detail.activities_line.text(), timeout=5000)
    assert model.rowCount() == 0


def test_the_papers_of_the_selected_activity(
    activities_window: MainWindow, union: ActivityUnion, qtbot: QtBot, tmp_path: Path, monkeypatch: object
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from tests.ui.care.conftest import pdf_text

    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))  # type: ignore[attr-defined]

    page = activities_window.activities
    choose(page, union.training)
    dialog = page.print_activity("budget")
    assert dialog is not None
    with qtbot.waitSignal(dialog.shown, timeout=15_000):
        pass
    text = pdf_text(dialog.path)
    assert "安全生产培训" in text and "讲课费" in text and "工作餐" in text
    dialog.reject()
    out = tmp_path / "决算表.xlsx"
    assert page.export_activity("final", out)
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    assert str(out) in told[0]
    from openpyxl import load_workbook

    sheet = load_workbook(out).active
    assert sheet is not None
    values = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    assert "安全生产培训" in values


def test_the_ledger_kept_in_excel_is_imported_through_the_wizard(
    activities_window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    from tests.unit.dues.import_support import write_xlsx

    ledger = write_xlsx(tmp_path / "台账.xlsx", [
        ["日期", "活动名称", "支出内容", "科目", "金额", "发票号", "经办人", "参加人数"],
        [f"{YEAR}-05-01", "五一健步走", "矿泉水", "职工活动支出—文体活动", 300, "A001", "李娜", 80],
        [f"{YEAR}-05-01", "五一健步走", "纪念品", "文体活动费", 1600, "A002", "李娜", ""],
        [f"{YEAR}-09-10", "职工书屋购书", "图书", "50102", 2500, "B001", "王芳", ""],
    ])  # fmt: skip
    page = activities_window.activities
    wizard = page.import_ledger()
    assert wizard is not None and wizard.windowTitle() == "导入活动经费台账"
    wizard.file_page.load(ledger)
    qtbot.waitUntil(wizard.file_page.isComplete, timeout=10_000)
    wizard.next()
    assert wizard.mapping_page.isComplete()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.preview_page.state.plan is not None, timeout=15_000)
    with qtbot.waitSignal(wizard.imported, timeout=15_000):
        wizard.next()
    wizard.accept()
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: page.model.total_count == 5, timeout=10_000)
    assert cell(page, "五一健步走", "spent") == "1,900.00"
    assert cell(page, "五一健步走", "participants") == "80"
    assert cell(page, "职工书屋购书", "spent") == "2,500.00"


def test_an_activity_with_expenses_only_has_no_budget_of_its_own(
    activities_window: MainWindow, union: ActivityUnion, qtbot: QtBot
) -> None:
    """As the ledger import makes them: the list says there is no activity budget, not 0.00."""
    from app.domain.activities import Kind
    from app.services.activities import ActivityInput, ExpenseInput, add_expense, create_activity

    with opened_db(activities_window).session() as s:
        outing = create_activity(s, ActivityInput("春季踏青", Kind.SPORTS, date(YEAR, 4, 20), headcount=30))
        add_expense(s, outing, ExpenseInput(date(YEAR, 4, 20), "大巴车", union.sports, 150_000))
    page = activities_window.activities
    page.reload()
    qtbot.waitUntil(lambda: page.model.total_count == 4, timeout=10_000)
    assert cell(page, "春季踏青", "budget") == "—"
    assert cell(page, "春季踏青", "spent") == "1,500.00"
    assert cell(page, "春季踏青", "variance") == "无活动预算"
    assert "年度预算" in str(cell(page, "春季踏青", "variance", 3))  # ToolTipRole: where its budget is
    assert cell(page, "职工篮球赛", "budget") == "3,300.00"  # one with budget lines keeps its figure
