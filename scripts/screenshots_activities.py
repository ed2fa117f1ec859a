"""Screenshots of the 活动经费 page and the activity editor, for looking at them as a user would.

    xvfb-run -a -s "-screen 0 1600x1000x24" python scripts/screenshots_activities.py OUTDIR

Builds a demo 账套 in a temporary folder (nothing of the user's is touched): the demo's members,
care and activities; when the demo brings no activities, a few are added here.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.ui.activities.activity_dialog import ActivityDialog


def add_activities(session: Session, year: int) -> None:
    """A few activities of ``year`` when the demo made none: a match over budget, a training
    with its meals over the limit (and the reason), an outing with named participants."""
    from app.domain.activities import Kind, Rule, Status
    from app.services.activities import (
        ActivityInput,
        ExpenseInput,
        ItemInput,
        add_expense,
        create_activity,
        load_tree,
        set_budget_items,
        set_limit,
        set_participants,
        set_status,
    )
    from app.services.roster import load_roster

    set_limit(session, Rule.MEAL, 4_000, date(year, 1, 1), note="本单位标准")
    tree = load_tree(session)
    sports, education, members = (tree.by_code[c].id for c in ("50102", "50101", "50106"))
    match = create_activity(session, ActivityInput("职工篮球赛", Kind.SPORTS, date(year, 4, 12), headcount=64,
                                                   place="厂区篮球场", organiser="工会文体委员会"))  # fmt: skip
    set_budget_items(session, match, [ItemInput("场地租赁", sports, 300_000), ItemInput("奖品", sports, 240_000, heads=24),
                                      ItemInput("饮用水", sports, per_head_fen=500, heads=64)])  # fmt: skip
    add_expense(session, match, ExpenseInput(date(year, 4, 12), "场地租赁", sports, 300_000, payee="市体育馆",
                                             invoice_no="24332000000012345678", paid_by="王芳"))  # fmt: skip
    add_expense(session, match, ExpenseInput(date(year, 4, 13), "奖品", sports, 312_000, payee="文体用品店",
                                             invoice_no="24332000000012345690", paid_by="王芳"))  # fmt: skip
    set_status(session, match, Status.APPROVED)
    set_status(session, match, Status.DONE)
    training = create_activity(session, ActivityInput("安全生产知识培训", Kind.TRAINING, date(year, 6, 10),
                                                      headcount=40, place="三楼会议室"))  # fmt: skip
    set_budget_items(session, training, [ItemInput("讲课费", education, 200_000),
                                         ItemInput("工作餐", sports, 200_000, heads=40,
                                                   reason="全天培训，午餐晚餐两顿，经工会委员会研究同意")])  # fmt: skip
    outing = create_activity(session, ActivityInput("秋季一日游", Kind.MEMBERS, date(year, 10, 18),
                                                    place="市郊森林公园", organiser="工会办公室"))  # fmt: skip
    people = [row.id for row in load_roster(session).rows[:30]]
    set_participants(session, outing, people)
    set_budget_items(session, outing, [ItemInput("大巴", members, 360_000),
                                       ItemInput("门票", members, per_head_fen=4_500, heads=len(people))])  # fmt: skip
    set_status(session, outing, Status.APPROVED)


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="uniondesk-shots-"))
    os.environ["UNIONDESK_HOME"] = str(home)

    from app.db import open_database
    from app.services import activities as area
    from app.services.activities import list_activities
    from app.services.system.demo import build_demo

    db_path = home / "demo.db"
    db = open_database(db_path)
    with db.session() as session:
        build_demo(session, members=300, activities="build_demo_activities" in area.__all__)
    with db.reader() as session:
        rows = list_activities(session)
    if not rows:
        with db.session() as session:
            add_activities(session, date.today().year)
        with db.reader() as session:
            rows = list_activities(session)
    years = [r.start.year for r in rows]
    year = max(set(years), key=years.count)
    db.close()

    from PySide6.QtCore import QTimer

    from app.ui.app import create_application

    app, _collector = create_application()
    from app.ui.main_window import MainWindow

    window = MainWindow()
    window.resize(1480, 900)
    window.show()
    page = window.activities

    def grab(widget: Any, name: str) -> None:
        app.processEvents()
        widget.grab().save(str(out / f"{name}.png"))
        print(out / f"{name}.png")

    def then(*steps: Callable[[], object]) -> Callable[[], None]:
        """The steps one after another."""

        def run() -> None:
            for step in steps:
                step()

        return run

    def when(ready: Callable[[], bool], then: Callable[[], None], waited: int = 0) -> None:
        """``then`` once ``ready()`` (the background reads are in), checking every 100 ms."""
        if ready() or waited > 150:
            QTimer.singleShot(300, then)
        else:
            QTimer.singleShot(100, lambda: when(ready, then, waited + 1))

    def shown(name: str) -> int | None:
        """The first activity listed whose name has ``name``, or the first listed."""
        model = page.model
        found = [model.row_at(i) for i in range(model.rowCount())]
        chosen = next((r for r in found if name in r.name), found[0] if found else None)
        return None if chosen is None else int(chosen.id)

    def start() -> None:
        window.show_page("活动经费")
        page.year.setValue(year)
        when(lambda: page.model.total_count > 0, shot_page)

    def shot_page() -> None:
        over = next((page.model.row_at(i) for i in range(page.model.rowCount())
                     if page.model.row_at(i).spent_fen > page.model.row_at(i).budget_fen > 0), None)  # fmt: skip
        if over is not None:
            page.table.select_id(over.id)
        grab(window, "40-activities-page")
        dialog = page.edit_activity()
        assert dialog is not None
        when(lambda: dialog.save_button.isEnabled(), lambda: shot_editor(dialog))

    def shot_editor(dialog: ActivityDialog) -> None:
        names = ["41-activity-editor-basic", "42-activity-editor-budget", "43-activity-editor-people",
                 "44-activity-editor-expenses", "45-activity-editor-variance"]  # fmt: skip
        for index, name in enumerate(names):
            dialog.tabs.setCurrentIndex(index)
            grab(dialog, name)
        expense = dialog.expense_dialog()
        expense.item.setText("工作餐")
        expense.amount.setText("9000")
        expense.show()
        expense.confirm()
        QTimer.singleShot(
            300,
            then(
                lambda: grab(expense, "46-expense-dialog-over-limit"),
                expense.reject,
                dialog.reject,
                shot_meals,
            ),
        )

    def shot_meals() -> None:
        meals = shown("培训")
        if meals is not None:
            page.table.select_id(meals)
        dialog = page.edit_activity()
        assert dialog is not None
        when(lambda: dialog.save_button.isEnabled(), lambda: shot_meals_editor(dialog))

    def shot_meals_editor(dialog: ActivityDialog) -> None:
        dialog.tabs.setCurrentIndex(1)
        grab(dialog, "47-activity-editor-training-budget")
        dialog.reject()
        new = page.add_activity()
        assert new is not None
        when(lambda: new.save_button.isEnabled(), lambda: shot_new(new))

    def shot_new(dialog: ActivityDialog) -> None:
        dialog.name.setText("职工技能竞赛")
        dialog.kind.setCurrentIndex(dialog.kind.findData("劳动竞赛"))
        dialog.headcount.setValue(30)
        row = dialog.add_line()
        dialog.set_cell(row, 0, "工作餐")
        dialog.set_cell(row, 3, "30")
        dialog.set_cell(row, 4, "2400")
        row = dialog.add_line()
        dialog.set_cell(row, 0, "奖品")
        dialog.set_cell(row, 3, "25")
        dialog.set_cell(row, 4, "5000")
        dialog.save()  # refused: the meals and the prizes want their reasons
        QTimer.singleShot(
            400, then(lambda: grab(dialog, "48-activity-editor-new-refused"), dialog.reject, shot_people)
        )

    def shot_people() -> None:
        outing = shown("游") or shown("观影") or shown("")
        if outing is not None:
            page.table.select_id(outing)
        dialog = page.edit_activity()
        assert dialog is not None

        def people() -> None:
            dialog.tabs.setCurrentIndex(2)
            dialog.picker.search.setText("王")
            QTimer.singleShot(
                300, then(lambda: grab(dialog, "48b-activity-editor-people"), dialog.reject, shot_member)
            )

        when(lambda: dialog.save_button.isEnabled(), people)

    def shot_member() -> None:
        window.show_page("会员名册")
        outing = shown("游") or shown("")

        def pick() -> None:
            from app.services.activities import get_activity

            assert window.context.db is not None and outing is not None
            with window.context.db.reader() as session:
                people = get_activity(session, outing).participants
            if people:
                window.roster.select_member(people[0].member_id)
            detail = window.roster.detail
            index = next(i for i in range(detail.tabs.count()) if detail.tabs.tabText(i) == "活动")
            detail.tabs.setCurrentIndex(index)
            when(
                lambda: detail.activities.rowCount() > 0,
                then(lambda: grab(window, "49-roster-activities-tab"), shot_print),
            )

        when(lambda: window.roster.model.total_count > 0, pick)

    def shot_print() -> None:
        window.show_page("活动经费")
        chosen = shown("游") or shown("")
        if chosen is not None:
            page.table.select_id(chosen)
        preview = page.print_activity("budget")
        if preview is None:
            app.quit()
            return
        shot = then(lambda: grab(preview, "50-activity-budget-sheet"), preview.reject, shot_budget_tab)
        preview.shown.connect(lambda _pages: QTimer.singleShot(500, shot))

    def shot_budget_tab() -> None:
        page.tabs.setCurrentIndex(1)
        QTimer.singleShot(2500, then(lambda: grab(window, "51-activities-budget-tab"), app.quit))

    window.roster_ready.connect(lambda: QTimer.singleShot(800, start))
    window.open_database(db_path)
    QTimer.singleShot(120_000, app.quit)
    app.exec()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
