"""The 首页's figures and reminders on a union built by hand: every card equal to what the
area's own list or summary gives, the charts' months and categories, each kind of reminder
naming the right records (and only them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from app.db import Database
from app.domain.activities import Kind
from app.domain.care import IMPORTED_REASON, Occasion
from app.domain.dues import Period
from app.domain.idcard import check_character
from app.domain.members import EventKind, MemberInput
from app.domain.yearmonth import YearMonth
from app.services.activities import (
    ActivityInput,
    ExpenseInput,
    ItemInput,
    add_expense,
    budget_table,
    create_activity,
    list_activities,
    load_tree,
    set_budget,
    set_budget_items,
)
from app.services.care import (
    AID_OCCASIONS,
    CareInput,
    HardshipInput,
    list_care,
    list_files,
    open_file,
    record_care,
)
from app.services.dues import PaymentInput, list_arrears, list_payments, record_payment, roll, summarize
from app.services.reports import (
    REMINDER_KINDS,
    TARGET_ACTIVITY,
    TARGET_CARE,
    TARGET_HARDSHIP,
    TARGET_MEMBER,
    DashboardFigures,
    DashboardReminders,
    Target,
    compute_overview,
    dashboard_figures,
    dashboard_reminders,
    read_dashboard,
)
from app.services.roster import create_member
from app.services.roster.members import change_status
from app.services.system import ProfileData, save_profile

TODAY = date(2026, 12, 10)
YEAR = 2026


def id_number(birth: date, n: int, female: bool) -> str:
    sequence = f"{2 * n + (0 if female else 1):03d}"
    first17 = f"340104{birth:%Y%m%d}{sequence}"
    return first17 + check_character(first17)


@dataclass(frozen=True)
class Union:
    ids: dict[str, int]
    care: dict[str, int]
    files: dict[str, int]
    activities: dict[str, int]


PEOPLE = [
    # name, birth, gender, joined, wage (yuan), flags
    ("全勤", date(1988, 4, 2), "男", date(2015, 3, 1), 5000, {}),
    ("欠费", date(1990, 6, 9), "男", date(2015, 3, 1), 4000, {}),
    ("半年", date(1991, 8, 8), "女", date(2015, 3, 1), 6000, {"is_migrant_worker": True}),
    ("寿星", date(1992, 12, 20), "女", date(2018, 3, 1), 3000, {"is_hardship": True}),
    ("将退休", date(1966, 9, 10), "男", date(1990, 3, 1), 7000, {"model_worker_level": "地市级"}),  # 2027-03
    ("已到龄", date(1966, 1, 10), "男", date(1990, 3, 1), 7000, {}),  # 2026-05, still 在会
    ("新会员", date(1998, 12, 2), "女", date(2026, 3, 15), 4500, {}),  # joined this year
    ("调走", date(1985, 12, 5), "男", date(2012, 3, 1), 4800, {}),  # transferred out in June
    ("退休", date(1963, 2, 1), "女", date(1985, 3, 1), 3500, {}),  # retained since 2025
]


@pytest.fixture
def union(db: Database) -> Union:
    with db.session() as s:
        save_profile(s, ProfileData(name="测试工会", province="安徽"))
        ids = {
            name: create_member(
                s,
                MemberInput(name=name, gender=gender, birth_date=birth, id_number=id_number(birth, n, gender == "女"),
                            joined_on=joined, dues_wage_fen=wage * 100, **flags),  # type: ignore[arg-type]
                today=TODAY,
            )
            for n, (name, birth, gender, joined, wage, flags) in enumerate(PEOPLE, start=1)
        }  # fmt: skip
        change_status(s, ids["退休"], EventKind.RETAIN, date(2025, 2, 1), "退休", today=TODAY)
        change_status(s, ids["调走"], EventKind.TRANSFER_OUT, date(2026, 6, 20), "调往外单位", today=TODAY)
        roll(s, YearMonth(YEAR, 1), YearMonth(YEAR, 11), today=TODAY)
        for month in range(1, 12):  # 全勤 pays each month on the 10th
            record_payment(s, PaymentInput(ids["全勤"], 2500, date(YEAR, month, 10)), today=TODAY)
        record_payment(s, PaymentInput(ids["半年"], 7 * 3000, date(YEAR, 7, 15)), today=TODAY)  # Jan–Jul
        record_payment(s, PaymentInput(ids["新会员"], 3 * 2250, date(YEAR, 11, 3)), today=TODAY)  # Apr–Jun
        record_payment(s, PaymentInput(ids["调走"], 6 * 2400, date(YEAR, 6, 20)), today=TODAY)  # Jan–Jun, all
        for name, monthly in (("寿星", 1500), ("将退休", 3500), ("已到龄", 3500)):  # the year so far at once
            record_payment(s, PaymentInput(ids[name], 11 * monthly, date(YEAR, 11, 20)), today=TODAY)
        visits = {
            "over": CareInput(Occasion.HOSPITAL, date(YEAR, 3, 2), ids["寿星"], cash_fen=150_000,
                              reason=IMPORTED_REASON),
            "explained": CareInput(Occasion.HOSPITAL, date(YEAR, 4, 2), ids["全勤"], cash_fen=150_000,
                                   reason="大病，经委员会研究"),
            "birthday": CareInput(Occasion.BIRTHDAY, date(YEAR, 6, 9), ids["欠费"], goods="蛋糕", goods_fen=20_000),
            "warmth": CareInput(Occasion.WARMTH, date(YEAR, 1, 20), ids["寿星"], cash_fen=50_000, goods="米面油",
                                goods_fen=20_000),
            "hardship": CareInput(Occasion.HARDSHIP, date(YEAR, 9, 1), ids["寿星"], cash_fen=80_000),
            "last_year": CareInput(Occasion.HOSPITAL, date(YEAR - 1, 5, 6), ids["欠费"], cash_fen=50_000),
        }  # fmt: skip
        care = {key: record_care(s, visit, today=TODAY) for key, visit in visits.items()}
        files = {
            "due": open_file(
                s, HardshipInput(ids["寿星"], "低保户", "大病", date(YEAR - 1, 11, 1)), today=TODAY
            ),
            "fresh": open_file(
                s, HardshipInput(ids["欠费"], "低保边缘户", "下岗失业", date(YEAR, 6, 1)), today=TODAY
            ),
        }
        tree = load_tree(s)
        set_budget(s, YEAR, tree.by_code["501"].id, 300_000)
        set_budget(s, YEAR, tree.by_code["502"].id, 100_000)
        sports = tree.by_code["50102"].id
        match = create_activity(s, ActivityInput("职工篮球赛", Kind.SPORTS, date(YEAR, 4, 5), headcount=30))
        set_budget_items(s, match, [ItemInput("场地", sports, amount_fen=100_000)])
        add_expense(s, match, ExpenseInput(date(YEAR, 4, 5), "场地", sports, 150_000))  # over its budget
        quiz = create_activity(s, ActivityInput("读书分享会", Kind.PUBLICITY, date(YEAR, 5, 1), headcount=20))
        set_budget_items(s, quiz, [ItemInput("图书", sports, amount_fen=50_000)])
        add_expense(s, quiz, ExpenseInput(date(YEAR, 5, 1), "图书", sports, 40_000))  # within it
        trip = create_activity(s, ActivityInput("秋季一日游", Kind.MEMBERS, date(YEAR, 10, 5), date(YEAR, 10, 6),
                                                headcount=40), source="导入")  # fmt: skip  # two days: over, no reason
        return Union(ids, care, files, {"match": match, "quiz": quiz, "trip": trip})


def figures(db: Database) -> DashboardFigures:
    with db.reader() as s:
        return dashboard_figures(s, TODAY)


def reminders(db: Database) -> DashboardReminders:
    with db.reader() as s:
        return dashboard_reminders(s, TODAY)


def test_the_member_cards_equal_the_roster_figures(db: Database, union: Union) -> None:
    f = figures(db)
    with db.reader() as s:
        overview = compute_overview(s, TODAY)
    assert f.union_name == "测试工会" and f.year == YEAR and f.today == TODAY
    assert (f.members, f.active, f.retained) == (8, 7, 1)  # everyone but 调走; 退休 retained
    assert (f.members, f.active, f.retained, f.female, f.migrant, f.hardship_flagged, f.model_workers) == (
        overview.members, overview.active, overview.retained, overview.female, overview.migrant,
        overview.hardship, overview.model_workers,
    )  # fmt: skip
    assert (f.female, f.migrant, f.hardship_flagged, f.model_workers) == (
        4,
        1,
        2,
        1,
    )  # a file flags its member
    assert (f.joined, f.left) == (1, 1) == (overview.joined_this_year, overview.left_this_year)


def test_the_dues_card_and_chart_equal_the_dues_summary(db: Database, union: Union) -> None:
    f = figures(db)
    with db.reader() as s:
        summary = summarize(s, Period(YearMonth(YEAR, 1), YearMonth(YEAR, 12), "2026年"))
        payments = list_payments(s, first=date(YEAR, 1, 1), last=TODAY)
    assert f.dues_due_fen == summary.totals.due_fen > 0
    assert f.dues_paid_fen == summary.totals.paid_fen == sum(p.amount_fen for p in payments)
    assert f.dues_paid_fen == 11 * 2500 + 7 * 3000 + 3 * 2250 + 6 * 2400 + 11 * (1500 + 3500 + 3500)
    assert f.dues_arrears_fen == summary.totals.arrears_fen
    expected_rate = (Decimal(f.dues_paid_fen) * 100 / f.dues_due_fen).quantize(Decimal("0.1"))
    assert f.dues_rate == expected_rate
    # the chart: every month of the year so far, each with what was due and what came in
    assert [m.month for m in f.dues_months] == [YearMonth(YEAR, m) for m in range(1, 13)]
    june, july, november = 2500 + 14_400, 2500 + 21_000, 2500 + 6750 + 11 * 8500
    assert [m.paid_fen for m in f.dues_months] == [2500] * 5 + [june, july] + [2500] * 3 + [november, 0]
    assert [(m.due_fen, m.paid_fen) for m in f.dues_months] == [
        (m.totals.due_fen, m.totals.paid_fen) for m in summary.months
    ]
    assert f.dues_months[-1].due_fen == 0  # December is not rolled yet


def test_in_july_the_dues_card_counts_january_to_july_only(db: Database, union: Union) -> None:
    """The year is read once and cut at the month of the day asked about: the same as
    summarizing January to July."""
    july = date(YEAR, 7, 15)
    with db.reader() as s:
        f = dashboard_figures(s, july)
        summary = summarize(s, Period(YearMonth(YEAR, 1), YearMonth(YEAR, 7), ""))
        whole = summarize(s, Period.parse(str(YEAR)))
    assert (f.dues_due_fen, f.dues_paid_fen, f.dues_arrears_fen) == (
        summary.totals.due_fen, summary.totals.paid_fen, summary.totals.arrears_fen,
    )  # fmt: skip
    assert f.dues_due_fen < whole.totals.due_fen and f.dues_paid_fen < whole.totals.paid_fen
    assert [(m.month, m.due_fen, m.paid_fen) for m in f.dues_months] == [
        (m.month, m.totals.due_fen, m.totals.paid_fen) for m in summary.months
    ]


def test_the_care_and_hardship_cards_equal_the_care_lists(db: Database, union: Union) -> None:
    f = figures(db)
    with db.reader() as s:
        year = list_care(s, first=date(YEAR, 1, 1), last=TODAY)
        files = list_files(s)
    assert f.care_count == len(year) == 5  # last year's visit is not this year's
    assert f.care_fen == sum(r.amount_fen for r in year) == 150_000 + 150_000 + 20_000 + 70_000 + 80_000
    aid = [r for r in year if r.occasion in {o.value for o in AID_OCCASIONS}]
    assert (f.aid_count, f.aid_fen) == (len(aid), sum(r.amount_fen for r in aid)) == (2, 150_000)
    assert f.hardship_files == len(files) == 2


def test_the_budget_card_and_chart_equal_the_budget_table(db: Database, union: Union) -> None:
    f = figures(db)
    with db.reader() as s:
        table = budget_table(s, YEAR)
    assert f.budget_fen == table.spending_budget_fen == 400_000
    assert f.spent_fen == table.spent_fen and f.spent_fen >= 190_000  # the activities at least
    assert f.execution_rate == table.execution_rate is not None
    top = {r.category.code: r for r in table.spending if r.category.depth == 0}
    assert [c.code for c in f.categories] == [
        code for code, r in top.items() if r.budget_fen is not None or r.spent_fen
    ]
    assert {c.code for c in f.categories} >= {"501", "502"}
    for bar in f.categories:
        assert (bar.name, bar.budget_fen, bar.spent_fen) == (
            top[bar.code].category.name, top[bar.code].budget_fen, top[bar.code].spent_fen,
        )  # fmt: skip
        assert bar.over == (bar.budget_fen is not None and bar.spent_fen > bar.budget_fen)


def targets(found: DashboardReminders, kind: str) -> list[Target]:
    return [r.target for r in found.group(kind).items]


def test_each_kind_of_reminder_names_its_records(db: Database, union: Union) -> None:
    found = reminders(db)
    ids = union.ids
    assert [g.kind for g in found.groups] == list(REMINDER_KINDS)
    assert [g.title for g in found.groups] == list(REMINDER_KINDS.values())
    # birthdays this month: 在会 members born in December (调走 has left, 新会员 too is December)
    assert targets(found, "birthdays") == [Target(TARGET_MEMBER, ids["新会员"], YEAR),
                                           Target(TARGET_MEMBER, ids["寿星"], YEAR)]  # fmt: skip
    assert found.group("birthdays").items[1].text.startswith("寿星 12月20日")
    # retirement: reached this year and still 在会, or within three months
    retiring = found.group("retiring").items
    assert [r.target.id for r in retiring] == [ids["已到龄"], ids["将退休"]]
    assert "已于2026年5月到达法定退休年龄" in retiring[0].text and "将于2027年3月" in retiring[1].text
    # arrears: 欠费 owes eleven months in a row; 半年 four (August–November), 新会员 five with a gap
    with db.reader() as s:
        behind = {r.member_id: r.consecutive_months for r in list_arrears(s, through=YearMonth(YEAR, 12))}
    assert behind[ids["欠费"]] == 11 and behind[ids["半年"]] == 4
    assert targets(found, "arrears") == [Target(TARGET_MEMBER, m, YEAR) for m, n in behind.items() if n >= 6]
    assert targets(found, "arrears") == [Target(TARGET_MEMBER, ids["欠费"], YEAR)]
    assert "连续欠缴 11 个月，共欠 220.00 元" in found.group("arrears").items[0].text
    # the hardship file opened in November last year was due for review on 1 November
    assert targets(found, "reviews") == [Target(TARGET_HARDSHIP, union.files["due"], YEAR)]
    assert "已过期" in found.group("reviews").items[0].text
    assert targets(found, "unfiled") == []  # both marked members have their open file
    # over-cap care: the imported one without its reason, not the explained one
    assert targets(found, "care_reasons") == [Target(TARGET_CARE, union.care["over"], YEAR)]
    assert "寿星 2026-03-02 住院 1,500.00 元" in found.group("care_reasons").items[0].text
    # activities: the match spent 500 over its budget; the imported two-day outing awaits its reason
    acts = found.group("activities").items
    assert [r.target for r in acts] == [
        Target(TARGET_ACTIVITY, union.activities["match"], YEAR),
        Target(TARGET_ACTIVITY, union.activities["trip"], YEAR),
    ]
    assert "超支 500.00 元" in acts[0].text and "待补原因" in acts[1].text
    with db.reader() as s:
        flagged = {
            r.id for r in list_activities(s, year=YEAR) if r.awaiting_reason or r.spent_fen > r.budget_fen > 0
        }
    assert {r.target.id for r in acts} == flagged
    assert found.count == 2 + 2 + 1 + 1 + 1 + 2


def test_a_member_marked_hardship_without_a_file_is_a_reminder_until_one_is_opened(
    db: Database, union: Union
) -> None:
    from sqlalchemy import update

    from app.models import Member

    ids = union.ids
    with db.session() as s:  # marked on the roster (as an imported roster does), no file
        s.execute(update(Member).where(Member.id == ids["全勤"]).values(is_hardship=True))
    found = reminders(db)
    assert targets(found, "unfiled") == [Target(TARGET_MEMBER, ids["全勤"], YEAR)]
    assert "全勤 标为困难职工，还没有困难职工档案" in found.group("unfiled").items[0].text
    f = figures(db)
    assert f.hardship_flagged == f.hardship_files + 1  # the two cards differ by exactly that one
    with db.session() as s:
        open_file(s, HardshipInput(ids["全勤"], "低保边缘户", "大病", date(YEAR, 12, 1)), today=TODAY)
    assert targets(reminders(db), "unfiled") == []


def test_nothing_to_remind_and_an_empty_union(db: Database) -> None:
    with db.session() as s:
        save_profile(s, ProfileData(name="空工会"))
    f, found = figures(db), reminders(db)
    assert (f.members, f.joined, f.left, f.care_count, f.hardship_files, f.budget_fen) == (0, 0, 0, 0, 0, 0)
    assert f.dues_rate is None and f.execution_rate is None and f.categories == []
    assert all(m.due_fen == m.paid_fen == 0 for m in f.dues_months)
    assert found.count == 0 and [g.kind for g in found.groups] == list(REMINDER_KINDS)


def test_one_call_reads_both(db: Database, union: Union) -> None:
    with db.reader() as s:
        both = read_dashboard(s, TODAY)
    assert both.figures == figures(db) and both.reminders == reminders(db)
