"""A small 湖南 union (its preset limits: 工作餐每人每餐 40 元, 奖励面 2/3, 会员活动人均每天
200 元, 外出当日往返) whose activities of last year are known line by line, and the main
window on its 活动经费 page.

Everything happens in last year, so the tests hold whatever today is."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.db import Database, open_database
from app.ui.main_window import MainWindow
from tests.ui.conftest import open_window, wait_idle
from tests.unit.dues.import_support import id_number

YEAR = date.today().year - 1
MEAL_REASON = "培训全天，午餐晚餐两顿，经工会委员会研究同意"


@dataclass(frozen=True)
class ActivityUnion:
    """The members and activities of the test 账套.

    Members 张伟, 李娜, 王芳, 赵强. Activities of YEAR:
    - 职工篮球赛 (文体活动, 4-5, 60 人, 已结束): budget 场地 3,000 + 饮用水 300 (50102); spent
      场地租赁 3,000 and 奖品 4,200 (50102) → 7,200, over budget by 3,870.
    - 安全生产培训 (职工教育培训, 6-10, 10 人, 计划中): budget 讲课费 2,000 (50101) and 工作餐
      10 人 800 (50102), over the 40 元 meal limit with MEAL_REASON; nothing spent.
    - 秋季观影 (会员活动, 10-5, 已审批): 张伟 and 李娜 named; budget 电影票 2 × 45 (50106); nothing spent.
    And one activity of the year before (YEAR - 1), 往年联欢会, with 张伟 named."""

    path: Path
    zhang: int
    li: int
    wang: int
    zhao: int
    match: int
    training: int
    film: int
    old: int
    sports: int  # category ids: 50102 文体活动费
    education: int  # 50101 职工教育费
    members: int  # 50106 会员活动费 (or whichever 50106 is)


def build(path: Path) -> ActivityUnion:
    from app.domain.activities import Kind, Status
    from app.domain.members import MemberInput
    from app.services.activities import (
        ActivityInput,
        ExpenseInput,
        ItemInput,
        add_expense,
        create_activity,
        load_tree,
        set_budget_items,
        set_participants,
        set_status,
    )
    from app.services.roster import create_member
    from app.services.system import ProfileData, save_profile

    db = open_database(path, create=True)
    with db.session() as s:
        save_profile(s, ProfileData(name="测试工会", province="湖南"))

        def member(n: int, name: str) -> int:
            return create_member(
                s, MemberInput(name=name, id_number=id_number(n), joined_on=date(2010, 1, 1))
            )

        zhang, li, wang, zhao = member(1, "张伟"), member(2, "李娜"), member(3, "王芳"), member(4, "赵强")
        tree = load_tree(s)
        sports, education, members = (tree.by_code[c].id for c in ("50102", "50101", "50106"))
        match = create_activity(s, ActivityInput("职工篮球赛", Kind.SPORTS, date(YEAR, 4, 5), headcount=60,
                                                 place="厂区篮球场", organiser="工会办公室"))  # fmt: skip
        set_budget_items(s, match, [ItemInput("场地", sports, 300_000), ItemInput("饮用水", sports, 30_000)])
        add_expense(s, match, ExpenseInput(date(YEAR, 4, 5), "场地租赁", sports, 300_000, payee="市体育馆",
                                           invoice_no="00112233", paid_by="李娜"))  # fmt: skip
        add_expense(s, match, ExpenseInput(date(YEAR, 4, 8), "奖品", sports, 420_000, payee="文体用品店"))
        set_status(s, match, Status.APPROVED)
        set_status(s, match, Status.DONE)
        training = create_activity(
            s, ActivityInput("安全生产培训", Kind.TRAINING, date(YEAR, 6, 10), headcount=10)
        )
        set_budget_items(s, training, [
            ItemInput("讲课费", education, 200_000),
            ItemInput("工作餐", sports, 80_000, heads=10, reason=MEAL_REASON),
        ])  # fmt: skip
        film = create_activity(s, ActivityInput("秋季观影", Kind.MEMBERS, date(YEAR, 10, 5)))
        set_participants(s, film, [zhang, li])
        set_budget_items(s, film, [ItemInput("电影票", members, per_head_fen=4_500, heads=2)])
        set_status(s, film, Status.APPROVED)
        old = create_activity(s, ActivityInput("往年联欢会", Kind.SPORTS, date(YEAR - 1, 12, 30)))
        set_participants(s, old, [zhang])
    db.close()
    return ActivityUnion(path, zhang, li, wang, zhao, match, training, film, old, sports, education, members)


@pytest.fixture
def union(tmp_path: Path) -> ActivityUnion:
    return build(tmp_path / "activities.db")


@pytest.fixture
def activities_window(qtbot: QtBot, union: ActivityUnion) -> Iterator[MainWindow]:
    window = open_window(qtbot, union.path)
    window.show_page("活动经费")
    page = window.activities
    page.year.setValue(YEAR)
    qtbot.waitUntil(lambda: page.model.total_count == 3, timeout=10_000)
    wait_idle(qtbot)
    yield window
    wait_idle(qtbot)


def opened_db(window: MainWindow) -> Database:
    assert window.context.db is not None
    return window.context.db
