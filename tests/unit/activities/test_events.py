"""Activities: the status steps, budget lines (amount or per head × heads), participants,
expenses, the variance per category, the limits (with a reason when over) and deletion."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.domain.activities import Kind, Rule, Status
from app.domain.members import MemberInput
from app.models import ActivityBudgetItem, ActivityExpense, ActivityParticipant
from app.services.activities import (
    ActivityInput,
    ExpenseInput,
    ItemInput,
    add_expense,
    create_activity,
    delete_activity,
    delete_expense,
    get_activity,
    list_activities,
    load_tree,
    participant_warnings,
    set_budget_items,
    set_limit,
    set_participants,
    set_reason,
    set_status,
    update_activity,
    update_expense,
)
from app.services.errors import NotFoundError, UserError, ValidationError
from app.services.roster import create_member
from app.services.roster.members import change_status
from app.services.system import ProfileData, save_profile

TODAY = date(2026, 12, 20)


@pytest.fixture
def union(db: Database) -> dict[str, int]:
    with db.session() as s:
        save_profile(s, ProfileData(name="测试工会", province="安徽"))
        ids = {
            name: create_member(
                s, MemberInput(name=name, id_number=number, joined_on=date(2010, 5, 1)), today=TODAY
            )
            for name, number in (("付怡", "11010519491231002X"), ("王强", "110105198503040012"))
        }
        tree = load_tree(s)
        ids.update({code: tree.by_code[code].id for code in ("50102", "50106", "401", "505")})
    return ids


def test_lines_participants_expenses_and_variance(db: Database, union: dict[str, int]) -> None:
    with db.session() as s:
        match = create_activity(s, ActivityInput("职工篮球赛", Kind.SPORTS, date(2026, 4, 5), place="体育馆"))
        set_budget_items(s, match, [ItemInput("场地", union["50102"], 300_000),
                                    ItemInput("矿泉水", union["50102"], per_head_fen=200, heads=60),
                                    ItemInput("纪念品", union["50106"], 100_000)])  # fmt: skip
        set_participants(s, match, [union["付怡"], union["王强"]])
        add_expense(
            s,
            match,
            ExpenseInput(date(2026, 4, 5), "场地租赁", union["50102"], 350_000, invoice_no="61595888"),
        )
        gone = add_expense(s, match, ExpenseInput(date(2026, 4, 6), "录错的", union["50106"], 10_000))
        delete_expense(s, gone)
        later = ExpenseInput(date(2026, 12, 21), "场地押金", union["50102"], 10_000)
        with pytest.raises(ValidationError) as not_yet:
            add_expense(s, match, later, today=TODAY)
        assert "支出日期不能晚于今天" in not_yet.value.errors["day"]
        with pytest.raises(ValidationError, match="支出日期不能晚于今天"):
            update_expense(s, get_activity(s, match).expenses[0].id, later, today=TODAY)
    with db.reader() as s:
        detail = get_activity(s, match)
    assert [i.amount_fen for i in detail.items] == [300_000, 12_000, 100_000]
    assert (detail.row.budget_fen, detail.row.spent_fen, detail.row.variance_fen) == (
        412_000,
        350_000,
        -62_000,
    )
    assert detail.row.participants == 2 and [p.name for p in detail.participants] == ["付怡", "王强"]
    assert [(v.category, v.budget_fen, v.spent_fen, v.variance_fen) for v in detail.variance] == [
        ("50102 文体活动费", 312_000, 350_000, 38_000),
        ("50106 会员活动费", 100_000, 0, -100_000),
    ]
    assert detail.expenses[0].invoice_no == "61595888"


def test_a_budget_line_out_of_range_is_named(db: Database, union: dict[str, int]) -> None:
    with db.session() as s:
        match = create_activity(s, ActivityInput("职工篮球赛", Kind.SPORTS, date(2026, 4, 5)))
        lines = [ItemInput("场地", union["50102"], 300_000),
                 ItemInput("矿泉水", union["50102"], per_head_fen=10**14, heads=60)]  # fmt: skip
        with pytest.raises(UserError, match="第 2 行“矿泉水”：金额超出范围"):
            set_budget_items(s, match, lines)


def test_named_participants_take_the_place_of_the_headcount(db: Database, union: dict[str, int]) -> None:
    with db.session() as s:
        film = create_activity(s, ActivityInput("暑期观影", Kind.MEMBERS, date(2026, 7, 5), headcount=150))
    with db.reader() as s:
        assert list_activities(s, year=2026)[0].participants == 150
    with db.session() as s:
        set_participants(s, film, [union["付怡"]])
    with db.reader() as s:
        assert list_activities(s, year=2026)[0].participants == 1
        assert [r.name for r in list_activities(s, member_id=union["付怡"])] == ["暑期观影"]
        assert list_activities(s, member_id=union["王强"]) == []
        assert list_activities(s, year=2025) == []


def test_participants_who_were_not_members_on_the_day_are_kept_and_named(
    db: Database, union: dict[str, int]
) -> None:
    with db.session() as s:
        late = create_member(
            s,
            MemberInput(name="陈新", id_number="110105199001010037", joined_on=date(2026, 6, 1)),
            today=TODAY,
        )
        change_status(s, union["王强"], "转出", date(2026, 3, 31), "调往外单位", today=TODAY)
        spring = create_activity(s, ActivityInput("春季踏青", Kind.MEMBERS, date(2026, 4, 12)))
        set_participants(s, spring, [union["付怡"], union["王强"], late])
    with db.reader() as s:
        assert len(get_activity(s, spring).participants) == 3  # kept: the secretary may know better
        assert participant_warnings(s, date(2026, 4, 12), [union["付怡"], union["王强"], late]) == [
            "王强已于 2026-03-31 转出，活动开始的 2026-04-12 不是本会会员：请核对参加人员",
            "陈新于 2026-06-01 才入会，活动开始的 2026-04-12 不是本会会员：请核对参加人员",
        ]
        # before the transfer and after joining, both were members
        assert participant_warnings(s, date(2026, 3, 30), [union["王强"]]) == []
        assert participant_warnings(s, date(2026, 6, 1), [late, union["付怡"]]) == []
        assert participant_warnings(s, date(2026, 4, 12), []) == []


def test_status_steps(db: Database, union: dict[str, int]) -> None:
    with db.session() as s:
        event = create_activity(s, ActivityInput("读书分享会", Kind.PUBLICITY, date(2026, 4, 23)))
        with pytest.raises(UserError, match="只能改为"):
            set_status(s, event, Status.DONE)  # not approved yet
        set_status(s, event, Status.APPROVED)
        set_status(s, event, Status.RUNNING)
        set_status(s, event, Status.DONE)
        with pytest.raises(UserError, match="只能改为：进行中"):
            set_status(s, event, Status.CANCELLED)
    with db.reader() as s:
        assert list_activities(s, status=Status.DONE)[0].status == "已结束"


def test_an_outing_over_a_day_needs_a_reason(db: Database, union: dict[str, int]) -> None:
    trip = ActivityInput("秋季一日游", Kind.MEMBERS, date(2026, 10, 5), date(2026, 10, 6), headcount=120)
    with pytest.raises(ValidationError, match="当日往返"), db.session() as s:
        create_activity(s, trip)
    with db.reader() as s:
        assert list_activities(s) == []  # the session was rolled back: nothing written
    with db.session() as s:
        trip_id = create_activity(
            s, ActivityInput(**{**trip.__dict__, "reason": "景区路远，经工会委员会同意"})
        )
    with db.reader() as s:
        row = list_activities(s)[0]
        detail = get_activity(s, trip_id)
    assert row.over_limit and not row.awaiting_reason
    assert "这次 2 天" in detail.over_limit and detail.reason.startswith("景区路远")
    with db.session() as s:  # made a day trip: no longer over, the reason goes
        update_activity(
            s, trip_id, ActivityInput("秋季一日游", Kind.MEMBERS, date(2026, 10, 5), headcount=120)
        )
    with db.reader() as s:
        assert get_activity(s, trip_id).over_limit == "" and not list_activities(s)[0].over_limit


def test_the_union_s_own_limits(db: Database, union: dict[str, int]) -> None:
    with db.session() as s:
        set_limit(s, Rule.MEAL, 5_000, date(2026, 1, 1), note="本单位规定")
        set_limit(s, Rule.PRIZE_SHARE, 300, date(2026, 1, 1))
        contest = create_activity(s, ActivityInput("技能比武", Kind.CONTEST, date(2026, 5, 10), headcount=40))
        with pytest.raises(UserError, match=r"工作餐每人每餐不超过 50\.00 元"):
            set_budget_items(s, contest, [ItemInput("午餐", union["50102"], per_head_fen=6_000, heads=40)])
        with pytest.raises(UserError, match=r"获奖人数不超过参加人数的 30\.0%"):
            set_budget_items(s, contest, [ItemInput("奖品", union["50102"], per_head_fen=20_000, heads=13)])
        set_budget_items(s, contest, [ItemInput("午餐", union["50102"], per_head_fen=5_000, heads=40),
                                      ItemInput("奖品", union["50102"], per_head_fen=20_000, heads=12)])  # fmt: skip
        with pytest.raises(ValidationError, match="须写明原因"):
            add_expense(s, contest, ExpenseInput(date(2026, 5, 10), "午餐", union["50102"], 240_000))
        expense = add_expense(s, contest, ExpenseInput(date(2026, 5, 10), "午餐", union["50102"], 240_000,
                                                       reason="加班延时"))  # fmt: skip
    with db.reader() as s:
        (line,) = get_activity(s, contest).expenses
        assert line.id == expense and "40 人 2,400.00 元" in line.over_limit and line.reason == "加班延时"
        assert list_activities(s)[0].over_limit
    with db.session() as s:
        set_reason(s, contest, "经审批", expense_id=expense)
        with pytest.raises(UserError, match="不需要填写原因"):
            set_reason(s, contest, "无")


def test_bad_input(db: Database, union: dict[str, int]) -> None:
    with db.session() as s:
        with pytest.raises(ValidationError, match="请填写活动名称"):
            create_activity(s, ActivityInput("  ", Kind.OTHER, date(2026, 1, 1)))
        with pytest.raises(ValidationError, match="结束日期不能早于开始日期"):
            create_activity(s, ActivityInput("x", Kind.OTHER, date(2026, 1, 2), date(2026, 1, 1)))
        event = create_activity(s, ActivityInput("x", Kind.OTHER, date(2026, 1, 2)))
        with pytest.raises(ValidationError, match="支出科目"):
            add_expense(s, event, ExpenseInput(date(2026, 1, 2), "会费", union["401"], 100))
        with pytest.raises(ValidationError, match="金额应大于 0"):
            add_expense(s, event, ExpenseInput(date(2026, 1, 2), "水", union["505"], 0))
        with pytest.raises(NotFoundError):
            set_participants(s, event, [99_999])
        with pytest.raises(NotFoundError, match="没有编号为 4242 的活动"):
            set_status(s, 4242, Status.APPROVED)


def test_deleting_takes_its_lines_with_it(db: Database, union: dict[str, int]) -> None:
    with db.session() as s:
        event = create_activity(s, ActivityInput("元旦联欢会", Kind.SPORTS, date(2026, 1, 5), headcount=200))
        set_budget_items(s, event, [ItemInput("服装", union["50102"], 200_000)])
        set_participants(s, event, [union["付怡"]])
        add_expense(s, event, ExpenseInput(date(2026, 1, 5), "服装租赁", union["50102"], 200_000))
        assert delete_activity(s, event) == "元旦联欢会"
    with db.reader() as s:
        for model in (ActivityBudgetItem, ActivityExpense, ActivityParticipant):
            assert s.scalar(select(func.count()).select_from(model)) == 0
