"""The year's budget table, built by hand and checked figure by figure: budgets (a top line
and its sub-lines, never set is not zero), committed, spent from activities and from care,
remaining, the share used, the warnings at 80 % and 100 %, income and the execution rate."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.db import Database
from app.domain.activities import Kind, Status
from app.domain.care import Occasion
from app.domain.members import MemberInput
from app.services.activities import (
    ActivityInput,
    ExpenseInput,
    ItemInput,
    add_expense,
    add_income,
    budget_table,
    create_activity,
    list_income,
    load_tree,
    set_budget,
    set_budget_items,
    set_care_category,
    set_status,
    spent_records,
)
from app.services.care import CareInput, record_care
from app.services.errors import UserError
from app.services.roster import create_member
from app.services.system import ProfileData, save_profile

TODAY = date(2026, 12, 20)
YEAR = 2026


def code(db: Database, category: str) -> int:
    with db.reader() as session:
        return load_tree(session).by_code[category].id


@pytest.fixture
def year(db: Database) -> Database:
    """501 职工活动支出 95,000 with 文体 25,000 and 会员活动 60,000 set (教育 … not set);
    502 维权支出 14,000; 505 资本性支出 15,000; 503 业务支出 never set.
    Spent: a basketball match 7,500 (文体), a film 6,000 (会员活动), equipment 12,000 (资本性);
    care: a birthday 300 (会员活动), 送温暖 1,000 (502's 送温暖费), a hospital visit 800 in 2025
    (another year). An approved outing plans 9,000 for 会员活动 and has spent 3,600 of it."""
    with db.session() as s:
        save_profile(s, ProfileData(name="测试工会", province="安徽"))
        member = create_member(s, MemberInput(name="付怡", id_number="11010519491231002X",
                                              joined_on=date(2010, 5, 1)), today=TODAY)  # fmt: skip
        tree = load_tree(s)
        c = {
            k: tree.by_code[k].id for k in ("501", "50102", "50106", "502", "505", "503", "401", "402", "403")
        }
        for key, fen in (("501", 9_500_000), ("50102", 2_500_000), ("50106", 6_000_000), ("502", 1_400_000),
                         ("505", 1_500_000), ("401", 9_000_000), ("402", 5_000_000)):  # fmt: skip
            set_budget(s, YEAR, c[key], fen)
        match = create_activity(s, ActivityInput("职工篮球赛", Kind.SPORTS, date(YEAR, 4, 5), headcount=60))
        set_budget_items(
            s, match, [ItemInput("场地", c["50102"], 300_000), ItemInput("饮用水", c["50102"], 30_000)]
        )
        add_expense(s, match, ExpenseInput(date(YEAR, 4, 5), "场地租赁", c["50102"], 300_000))
        add_expense(s, match, ExpenseInput(date(YEAR, 4, 8), "奖品", c["50102"], 420_000))
        add_expense(s, match, ExpenseInput(date(YEAR, 4, 11), "饮用水", c["50102"], 30_000))
        set_status(s, match, Status.APPROVED)
        set_status(s, match, Status.DONE)
        film = create_activity(s, ActivityInput("暑期观影", Kind.MEMBERS, date(YEAR, 7, 5), headcount=150))
        add_expense(s, film, ExpenseInput(date(YEAR, 7, 5), "电影票", c["50106"], 600_000))
        gym = create_activity(s, ActivityInput("职工之家健身器材", Kind.HOME, date(YEAR, 6, 5)))
        add_expense(s, gym, ExpenseInput(date(YEAR, 6, 5), "健身器材", c["505"], 1_200_000))
        outing = create_activity(
            s, ActivityInput("秋季一日游", Kind.MEMBERS, date(YEAR, 10, 5), headcount=120)
        )
        set_budget_items(s, outing, [ItemInput("大巴", c["50106"], 360_000), ItemInput("门票", c["50106"],
                                                                                       per_head_fen=4_500, heads=120)])  # fmt: skip
        add_expense(s, outing, ExpenseInput(date(YEAR, 10, 5), "大巴车费", c["50106"], 360_000))
        set_status(s, outing, Status.APPROVED)
        record_care(
            s,
            CareInput(Occasion.BIRTHDAY, date(YEAR, 3, 2), member, goods="蛋糕", goods_fen=30_000),
            today=TODAY,
        )
        record_care(s, CareInput(Occasion.WARMTH, date(YEAR, 1, 20), member, cash_fen=100_000), today=TODAY)
        record_care(
            s, CareInput(Occasion.HOSPITAL, date(YEAR - 1, 9, 2), member, cash_fen=80_000), today=TODAY
        )
        add_income(s, date(YEAR, 3, 1), c["402"], 4_800_000, source="行政拨缴")
        add_income(s, date(YEAR, 5, 1), c["403"], 1_000_000, source="市总工会")
    return db


def test_every_spending_figure(year: Database) -> None:
    with year.reader() as s:
        table = budget_table(s, YEAR)
    sports, members, activities = table.row("50102"), table.row("50106"), table.row("501")
    assert (sports.budget_fen, sports.spent_fen, sports.committed_fen) == (2_500_000, 750_000, 0)
    assert (sports.remaining_fen, sports.used_pct) == (1_750_000, Decimal("30.0"))
    # 会员活动: the film 6,000 + the outing's bus 3,600 + the birthday cake 300 (care)
    assert (members.activity_fen, members.care_fen, members.spent_fen) == (960_000, 30_000, 990_000)
    # the outing planned 3,600 + 45 × 120 = 9,000 and spent 3,600 of it: 5,400 still promised
    assert members.committed_fen == 540_000
    assert members.remaining_fen == 6_000_000 - 990_000 - 540_000
    assert (activities.budget_fen, activities.spent_fen, activities.committed_fen) == (
        9_500_000,
        1_740_000,
        540_000,
    )
    education = table.row("50101")
    assert education.budget_fen is None and education.remaining_fen is None and education.used_pct is None
    rights, warmth = table.row("502"), table.row("50205")
    assert (rights.budget_fen, rights.spent_fen, warmth.budget_fen, warmth.spent_fen) == (
        1_400_000,
        100_000,
        None,
        100_000,
    )
    assert table.row("503").budget_fen is None and table.row("503").spent_fen == 0
    assert (table.row("505").spent_fen, table.row("505").used_pct) == (1_200_000, Decimal("80.0"))
    assert table.row("505").level == "接近"  # 80 % used
    assert table.spending_budget_fen == 9_500_000 + 1_400_000 + 1_500_000
    assert table.spent_fen == 1_740_000 + 100_000 + 1_200_000  # the 2025 hospital visit is another year
    assert table.execution_rate == Decimal("24.5")  # 3,040,000 / 12,400,000 = 24.52 %
    assert table.warnings == []


def test_income_lines(year: Database) -> None:
    with year.reader() as s:
        table = budget_table(s, YEAR)
        assert [i.amount_fen for i in list_income(s, YEAR)] == [4_800_000, 1_000_000]
    dues, allocated, grants, admin = (table.row(c) for c in ("401", "402", "403", "405"))
    assert (dues.budget_fen, dues.actual_fen) == (9_000_000, 0)  # no dues paid yet
    assert (allocated.budget_fen, allocated.actual_fen) == (5_000_000, 4_800_000)
    assert (grants.budget_fen, grants.actual_fen, admin.budget_fen) == (None, 1_000_000, None)
    assert table.income_budget_fen == 14_000_000 and table.income_actual_fen == 5_800_000


def test_income_received_in_any_months(year: Database) -> None:
    """The year-end draft's 收入: by top line, within the months asked, lines without any left out."""
    from app.services.activities import income_received

    with year.reader() as s:
        whole = income_received(s, date(YEAR, 1, 1), date(YEAR, 12, 31))
        spring = income_received(s, date(YEAR, 3, 1), date(YEAR, 4, 30))
        before = income_received(s, date(YEAR - 1, 1, 1), date(YEAR - 1, 12, 31))
    assert [(c.code, fen) for c, fen in whole] == [("402", 4_800_000), ("403", 1_000_000)]
    assert [(c.code, fen) for c, fen in spring] == [("402", 4_800_000)]
    assert before == []


def test_over_and_never_set(year: Database) -> None:
    gym = code(year, "505")
    with year.session() as s:
        set_budget(s, YEAR, gym, 1_000_000)  # now 12,000 spent of 10,000
        set_budget(s, YEAR, code(year, "50106"), None)  # taken away: never set again
    with year.reader() as s:
        table = budget_table(s, YEAR)
    assert (table.row("505").level, table.row("505").remaining_fen) == ("超支", -200_000)
    # 会员活动 has no budget of its own now, but spends within 501's: not flagged
    assert table.row("50106").budget_fen is None and table.row("50106").level == ""
    with year.session() as s:
        set_budget(s, YEAR, code(year, "502"), None)  # 送温暖 spent with no budget anywhere above it
    with year.reader() as s:
        table = budget_table(s, YEAR)
    assert table.row("502").level == "无预算" and table.row("50205").level == "无预算"


def test_a_top_line_is_not_added_to_its_sub_lines(year: Database) -> None:
    with year.reader() as s:
        table = budget_table(s, YEAR)
    # 501 is 95,000 with sub-lines 25,000 + 60,000 set: the total counts 95,000 once
    assert table.row("501").budget_fen == 9_500_000
    with year.session() as s:
        set_budget(s, YEAR, code(year, "50101"), 2_000_000)  # the sub-lines now exceed their top line
    with year.reader() as s:
        table = budget_table(s, YEAR)
    assert table.spending_budget_fen == 12_400_000
    assert any("501 职工活动支出" in w and "不一致" in w for w in table.warnings)


def test_a_top_line_never_set_is_its_sub_lines_sum(year: Database) -> None:
    with year.session() as s:
        set_budget(s, YEAR, code(year, "503"), None)
        set_budget(s, YEAR, code(year, "50301"), 300_000)
        set_budget(s, YEAR, code(year, "50302"), 200_000)
    with year.reader() as s:
        table = budget_table(s, YEAR)
    assert table.row("503").budget_fen == 500_000 and table.spending_budget_fen == 12_900_000


def test_care_follows_its_mapping_and_drill_down_adds_up(year: Database) -> None:
    with year.session() as s:
        set_care_category(s, Occasion.BIRTHDAY, "50104")  # birthdays now spent from 其他活动支出
    with year.reader() as s:
        table = budget_table(s, YEAR)
        behind = spent_records(s, YEAR, table.row("501").category.id)
    assert table.row("50104").care_fen == 30_000 and table.row("50106").care_fen == 0
    assert table.row("501").spent_fen == 1_740_000  # moved within 501: its total is unchanged
    assert sum(e.amount_fen for e in behind.expenses) + sum(c.amount_fen for c in behind.care) == 1_740_000
    assert {c.occasion for c in behind.care} == {"生日"}


def test_bad_input_is_refused(year: Database) -> None:
    with year.session() as s:
        with pytest.raises(UserError, match="会费台账"):
            add_income(s, date(YEAR, 1, 1), code(year, "401"), 100)
        with pytest.raises(UserError, match="收入科目"):
            add_income(s, date(YEAR, 1, 1), code(year, "501"), 100)
        with pytest.raises(UserError, match="收入日期 2026-12-21 晚于今天"):
            add_income(s, date(YEAR, 12, 21), code(year, "402"), 100, today=TODAY)
        with pytest.raises(UserError, match="超出范围"):
            set_budget(s, YEAR, code(year, "501"), -1)


def test_the_log_names_a_budget_lines_category(db: Database) -> None:
    from sqlalchemy import select

    from app.models import AuditEntry

    sports = code(db, "50102")
    with db.session() as s:
        set_budget(s, YEAR, sports, 2_500_000)
    with db.session() as s:
        set_budget(s, YEAR, sports, 3_000_000)
    with db.reader() as s:
        summaries = s.scalars(
            select(AuditEntry.summary).where(AuditEntry.entity == "budget_lines").order_by(AuditEntry.id)
        ).all()
    assert summaries == [f"年度预算：{YEAR}年 50102 文体活动费"] * 2
