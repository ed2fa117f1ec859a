"""The activity expense ledger already kept: one row per expense, grouped by activity name into
activities (start the earliest day, no end unless a 结束日期 column says so, kind guessed, the
headcount from the row that has it); 科目 through the category words, unknown ones asked and
remembered; an activity already kept gets the new expenses; the same file twice changes
nothing; bad rows name their row and column; over-limit lines and activities are flagged;
planning or cancelling writes nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.db import Database
from app.domain.activities import Kind
from app.domain.care import IMPORTED_REASON
from app.models import Activity, ActivityExpense, BudgetCategory
from app.services.activities import (
    ActivityInput,
    ExpenseInput,
    add_expense,
    create_activity,
    list_activities,
    load_tree,
)
from app.services.activities.import_ledger import (
    CATEGORY,
    LedgerImporter,
    LedgerImportOptions,
    guess_kind,
)
from app.services.errors import UserError
from app.services.progress import Cancelled
from tests.unit.activities.sheets import (
    answers,
    cancelling,
    category_words,
    counts,
    import_file,
    issues,
    plan_file,
    set_up_union,
    write_sheet,
)

TODAY = date(2026, 12, 1)
HEAD = ["日期", "活动名称", "支出内容", "科目", "金额", "发票号", "经办人", "参加人数"]


@pytest.fixture(autouse=True)
def union(db: Database) -> None:
    set_up_union(db)


def importer(**words: str) -> LedgerImporter:
    return LedgerImporter(LedgerImportOptions(today=TODAY, year=2026, answers=answers(**words)))


def ledger(tmp_path: Path, *rows: list[Any], head: list[str] = HEAD, name: str = "台账.xlsx") -> Path:
    return write_sheet(tmp_path / name, [["2026年活动经费支出台账"], head, *rows])


def expenses(db: Database) -> list[tuple[str, date, str, str, int, str, str, str, str, str]]:
    """(activity, day, item, category code, fen, invoice, paid by, payee, source, reason) in order."""
    with db.reader() as session:
        query = (
            select(Activity.name, ActivityExpense.day, ActivityExpense.item, BudgetCategory.code,
                   ActivityExpense.amount_fen, ActivityExpense.invoice_no, ActivityExpense.paid_by,
                   ActivityExpense.payee, ActivityExpense.source, ActivityExpense.reason)
            .join(Activity, Activity.id == ActivityExpense.activity_id)
            .join(BudgetCategory, BudgetCategory.id == ActivityExpense.category_id)
            .order_by(ActivityExpense.day, ActivityExpense.id)
        )  # fmt: skip
        return [tuple(r) for r in session.execute(query)]


def activities(
    db: Database, year: int | None = None
) -> dict[str, tuple[str, date, date | None, str, int, int]]:
    """name → (kind, start, end, status, participants, spent) for the activities of ``year`` (or all)."""
    with db.reader() as session:
        return {
            a.name: (a.kind, a.start, a.end, a.status, a.participants, a.spent_fen)
            for a in list_activities(session, year=year)
        }


def test_the_ledger_as_kept_becomes_activities_with_their_expenses(db: Database, tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "台账.xlsx", [
        ["2026年活动经费支出台账"],
        ["填报单位：测试工会", None, None, None, "单位：元"],
        ["序号", "支出日期", "活动", "摘要", "支出科目", "支出金额（元）", "发票号码", "经手人", "人数", "收款单位",
         "备注"],
        [1, date(2026, 1, 5), "元旦迎新联欢会", "演出服装租赁", "职工活动支出—文体活动", 2000, 61595888, "王会计", 200,
         "某服装店", ""],
        [2, "2026-01-08", "元旦迎新联欢会", "抽奖奖品", "职工活动支出/文体活动", "3,000.00", "56714108", "王会计", None,
         "", "奖品 40 份"],
        [3, date(2026, 4, 5), "职工篮球赛", "场地租赁", "50102", 3000, "", "李干事", None, "", ""],
        [4, date(2026, 4, 11), "职工篮球赛", "饮用水", "文体活动费", 300.5, "", "李干事", "60人", "", ""],
        [None, None, "职工篮球赛 小计", None, None, 3300.5],
        [5, date(2026, 6, 5), "职工之家健身器材购置", "健身器材", "资本性支出", 12000, "", "王会计", None, "", ""],
        [6, date(2026, 10, 5), "秋季一日游", "大巴车费", "会员活动", 3600, "", "王会计", 120, "", ""],
        [7, date(2026, 11, 5), "工会干部业务培训", "", "业务支出", 2400, "", "王会计", 8, "", ""],
        ["合计", None, None, None, None, 26300.5],
        ["制表人：王会计"],
    ])  # fmt: skip
    plan, result = import_file(db, importer(), path)
    assert (result.new, result.unchanged, result.invalid) == (7, 0, 0) and result.notes == ("新建活动 5 个",)
    assert 8 in plan.ignored_rows and 12 in plan.ignored_rows  # the 小计 and 合计 lines
    assert any(note.startswith("新建活动 5 个") for note in plan.notes)
    assert any("记入支出 7 笔，共 26,300.50 元" in note for note in plan.notes)
    done = "已结束"
    assert activities(db) == {
        # paid on the 5th and the 8th: one evening, not a four-day event
        "元旦迎新联欢会": ("文体活动", date(2026, 1, 5), None, done, 200, 500_000),
        "职工篮球赛": ("文体活动", date(2026, 4, 5), None, done, 60, 330_050),
        "职工之家健身器材购置": ("职工之家建设", date(2026, 6, 5), None, done, 0, 1_200_000),
        "秋季一日游": ("会员活动", date(2026, 10, 5), None, done, 120, 360_000),
        "工会干部业务培训": ("职工教育培训", date(2026, 11, 5), None, done, 8, 240_000),
    }
    found = expenses(db)
    assert found[0] == ("元旦迎新联欢会", date(2026, 1, 5), "演出服装租赁", "50102", 200_000, "61595888", "王会计",
                        "某服装店", "导入", "")  # fmt: skip
    assert found[1][1:5] == (date(2026, 1, 8), "抽奖奖品", "50102", 300_000)
    assert found[-1][2:5] == ("业务支出", "503", 240_000)  # no item written: the 科目's name
    with db.reader() as session:
        sources = set(session.scalars(select(Activity.source)))
        notes = set(session.scalars(select(ActivityExpense.note)))
    assert sources == {"导入"} and "奖品 40 份" in notes


def test_the_same_file_twice_changes_nothing(db: Database, tmp_path: Path) -> None:
    path = ledger(
        tmp_path,
        [date(2026, 4, 5), "职工篮球赛", "场地租赁", "文体活动", 3000, "60404869", "王会计", 60],
        [date(2026, 4, 8), "职工篮球赛", "奖品", "文体活动", 4200, "69402861", "王会计", None],
        [
            date(2026, 4, 8),
            "职工篮球赛",
            "奖品",
            "文体活动",
            4200,
            "69402861",
            "王会计",
            None,
        ],  # twice, kept twice
    )
    import_file(db, importer(), path)
    before = counts(db)
    plan, result = import_file(db, importer(), path)
    assert (result.new, result.unchanged) == (0, 3) and plan.notes == []
    assert counts(db) == before and before["activities"] == 1 and before["activity_expenses"] == 3


def test_an_activity_already_kept_gets_the_new_expenses(db: Database, tmp_path: Path) -> None:
    with db.session() as session:
        tree = load_tree(session)
        match = create_activity(
            session, ActivityInput("职工篮球赛", Kind.SPORTS, date(2026, 4, 1), headcount=50)
        )
        add_expense(session, match, ExpenseInput(date(2026, 4, 5), "场地租赁", tree.by_code["50102"].id, 300_000,
                                                 invoice_no="60404869"))  # fmt: skip
    path = ledger(
        tmp_path,
        [date(2026, 4, 5), "职工篮球赛", "场地租赁", "文体活动", 3000, "60404869", "王会计", 60],
        [date(2026, 4, 8), "职工篮球赛", "奖品", "文体活动", 4200, "69402861", "王会计", None],
        [date(2025, 4, 9), "职工篮球赛", "场地租赁", "文体活动", 2800, "", "王会计", 40],
    )
    plan, result = import_file(db, importer(), path)
    assert (result.new, result.unchanged) == (2, 1)  # the expense typed in already is the same one
    assert any("1 个已有的活动增加支出：职工篮球赛" in note for note in plan.notes)
    assert [w.message for w in plan.warnings] == ["已有的活动“职工篮球赛”参加人数为 50，表中写的 60 没有导入"]
    this_year = activities(db, 2026)
    assert this_year == {"职工篮球赛": ("文体活动", date(2026, 4, 1), None, "计划中", 50, 720_000)}
    assert activities(db, 2025) == {"职工篮球赛": ("文体活动", date(2025, 4, 9), None, "已结束", 40, 280_000)}
    assert counts(db)["activities"] == 2


def test_an_end_date_column_makes_an_activity_last_days(db: Database, tmp_path: Path) -> None:
    head = ["日期", "结束日期", "活动名称", "支出内容", "科目", "金额", "参加人数", "活动类型"]
    path = ledger(
        tmp_path,
        [date(2026, 5, 10), date(2026, 5, 12), "劳模疗休养", "住宿", "疗休养", 9000, 10, ""],
        [date(2026, 5, 12), None, "劳模疗休养", "交通", "疗休养", 1000, None, ""],
        [date(2026, 6, 1), None, "职工书画展", "装裱", "宣传活动", 800, 30, "文体活动"],
        head=head,
    )
    import_file(db, importer(), path)
    found = activities(db)
    assert found["劳模疗休养"] == ("疗休养", date(2026, 5, 10), date(2026, 5, 12), "已结束", 10, 1_000_000)
    assert found["职工书画展"][:3] == ("文体活动", date(2026, 6, 1), None)  # the 活动类型 column decides


def test_an_unknown_科目_is_asked_answered_and_remembered(db: Database, tmp_path: Path) -> None:
    path = ledger(
        tmp_path,
        [date(2026, 3, 5), "三八节插花", "花材", "女工活动", 4000, "", "王会计", 80],
        [date(2026, 3, 6), "三八节插花", "讲师", "女工活动", 1000, "", "王会计", None],
        [date(2026, 3, 6), "三八节插花", "茶歇", "文体活动", 200, "", "王会计", None],
    )
    plan = plan_file(db, importer(), path)
    [question] = plan.questions
    assert (question.key, question.rows, question.column) == ((CATEGORY, "女工活动"), (3, 4), "科目")
    assert "50102 文体活动费" in question.choices and "401 会费收入" not in question.choices
    found = issues(plan)
    assert [(row, column) for row, column, _ in found] == [(3, "科目"), (4, "科目")]
    assert "不认识的科目“女工活动”" in found[0][2] and "--category 女工活动=" in found[0][2]
    with pytest.raises(UserError, match="有 2 行有错误"):
        import_file(db, importer(), path)
    assert counts(db)["activity_expenses"] == 0 and "女工活动" not in category_words(db)

    with pytest.raises(UserError, match="“401 会费收入”是收入科目"):
        plan_file(db, importer(女工活动="401"), path)
    plan, result = import_file(db, importer(女工活动="50102 文体活动费"), path)
    assert any("“女工活动”是“50102 文体活动费”" in note for note in plan.notes)
    assert result.new == 3 and category_words(db)["女工活动"] == "50102"
    again = plan_file(db, importer(), path)
    assert again.questions == [] and again.count("unchanged") == 3


def test_bad_rows_name_their_row_and_column(db: Database, tmp_path: Path) -> None:
    path = ledger(
        tmp_path,
        [None, "职工篮球赛", "场地", "文体活动", 3000, "", "", 60],
        ["4月31日", "职工篮球赛", "场地", "文体活动", 3000, "", "", None],
        [date(2026, 4, 5), "职工篮球赛", "奖品", "文体活动", "三千", "", "", None],
        [date(2026, 4, 5), "职工篮球赛", "奖品", "文体活动", 0, "", "", None],
        [date(2026, 4, 5), "职工篮球赛", "奖品", "文体活动", -5, "", "", None],
        [date(2026, 4, 5), "职工篮球赛", "饮用水", "", 300, "", "", "很多"],
        [date(2026, 4, 6), "职工篮球赛", "裁判费", "文体活动", 600, "", "", None],
    )
    plan = plan_file(db, importer(), path)
    found = issues(plan)
    assert [(row, column) for row, column, _ in found] == [
        (3, "日期"), (4, "日期"), (5, "金额"), (6, "金额"), (7, "金额"), (8, "科目"), (8, "参加人数"),
    ]  # fmt: skip
    messages = [message for *_, message in found]
    assert messages[0] == "请填写日期" and "不是日期" in messages[1]
    assert "“三千”不是金额" in messages[2] and messages[3] == "金额应大于 0" and "不能为负数" in messages[4]
    assert messages[5] == "请填写科目" and "“很多”不是人数" in messages[6]
    _, result = import_file(db, importer(), path, skip_invalid=True)
    assert (result.new, result.invalid) == (1, 6)
    assert activities(db) == {"职工篮球赛": ("文体活动", date(2026, 4, 6), None, "已结束", 0, 60_000)}


def test_over_a_limit_is_imported_flagged(db: Database, tmp_path: Path) -> None:
    set_up_union(db, "湖南")  # 工作餐 40 yuan a head, 会员活动 200 yuan a head and day
    path = ledger(
        tmp_path,
        [date(2026, 10, 5), "秋季一日游", "大巴车费", "会员活动", 1800, "", "王会计", 10],
        [date(2026, 10, 5), "秋季一日游", "午餐", "会员活动", 600, "", "王会计", None],
        [date(2026, 10, 6), "观影", "电影票", "会员活动", 500, "", "王会计", 10],
    )
    plan, _ = import_file(db, importer(), path)
    assert any("超过标准的支出 1 笔、活动 1 个" in note for note in plan.notes)
    with db.reader() as session:
        flags = dict(
            session.execute(select(Activity.name, Activity.over_limit + "|" + Activity.reason)).all()
        )
        lunch = session.execute(
            select(ActivityExpense.over_limit, ActivityExpense.reason).where(ActivityExpense.item == "午餐")
        ).one()
        rows = {r.name: r for r in list_activities(session)}
    trip_over, trip_reason = flags["秋季一日游"].split("|")
    assert "每人每天不超过 200.00 元" in trip_over and trip_reason == IMPORTED_REASON
    assert "工作餐每人每餐不超过 40.00 元" in lunch[0] and lunch[1] == IMPORTED_REASON
    assert flags["观影"] == "|"
    assert rows["秋季一日游"].awaiting_reason and not rows["观影"].over_limit


def test_merged_names_and_dates_without_a_year(db: Database, tmp_path: Path) -> None:
    path = ledger(
        tmp_path,
        ["1月5日", "元旦迎新联欢会", "服装", "文体活动", 2000, "", "", 200],
        ["1月8日", None, "奖品", "文体活动", 3000, "", "", None],
        ["3月5日", "春季健步走", "毛巾", "文体活动", 5400, "", "", 180],
    )
    plan, _ = import_file(db, importer(), path)
    assert any("按上一行的活动记入" in note for note in plan.file_notes)
    assert any("按 2026 年导入" in note for note in plan.file_notes)
    assert {name: row[5] for name, row in activities(db).items()} == {
        "元旦迎新联欢会": 500_000,
        "春季健步走": 540_000,
    }


def test_planning_or_cancelling_writes_nothing(db: Database, tmp_path: Path) -> None:
    path = ledger(
        tmp_path,
        [date(2026, 4, 5), "职工篮球赛", "场地", "文体活动", 3000, "", "", 60],
        [date(2026, 4, 6), "新的活动", "场地", "健身", 3000, "", "", 60],
    )
    before = counts(db)
    plan = plan_file(db, importer(健身="50102"), path)  # a dry run, with an answer
    assert plan.count("new") == 2 and counts(db) == before and "健身" not in category_words(db)
    with pytest.raises(Cancelled):  # cancelled after the activities were flushed
        import_file(db, importer(健身="50102"), path, progress=cancelling())
    assert counts(db) == before and "健身" not in category_words(db)


@pytest.mark.parametrize(
    ("name", "category", "kind"),
    [
        ("职工篮球赛", "", Kind.SPORTS),
        ("元旦迎新联欢会", "", Kind.SPORTS),
        ("春季健步走", "", Kind.SPORTS),
        ("安全生产技能培训班", "", Kind.TRAINING),
        ("职工健康讲座", "", Kind.TRAINING),
        ("岗位技能比武", "", Kind.CONTEST),
        ("数控技能竞赛", "", Kind.CONTEST),
        ("五一劳模表彰宣传展板", "", Kind.PUBLICITY),
        ("暑期观影活动", "", Kind.MEMBERS),
        ("秋季一日游", "", Kind.MEMBERS),
        ("职工之家健身器材购置", "资本性支出", Kind.HOME),
        ("劳模疗休养", "", Kind.REST),
        ("三八节女职工插花活动", "职工活动支出—文体活动费", Kind.SPORTS),
        ("年度表彰", "职工活动支出—宣传活动费", Kind.PUBLICITY),
        ("慰问一线职工", "维权支出—送温暖费", Kind.OTHER),
    ],
)
def test_the_kind_is_guessed_from_the_name_then_the_科目(name: str, category: str, kind: Kind) -> None:
    assert guess_kind(name, category) is kind


def test_no_header_is_a_clear_message(db: Database, tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "x.xlsx", [["甲", "乙"], ["职工篮球赛", 100]])
    with pytest.raises(UserError, match="找不到活动经费支出台账的表头"):
        plan_file(db, importer(), path)


def test_an_expense_after_today_is_the_rows_error_an_end_still_to_come_is_not(
    db: Database, tmp_path: Path
) -> None:
    head = ["日期", "结束日期", "活动名称", "支出内容", "科目", "金额", "参加人数", "活动类型"]
    path = ledger(
        tmp_path,
        [date(2026, 11, 28), date(2026, 12, 12), "职工健步走", "奖品", "文体活动", 900, 40, ""],
        [date(2026, 12, 12), None, "职工健步走", "饮用水", "文体活动", 100, None, ""],
        [date(1900, 1, 3), None, "职工健步走", "横幅", "文体活动", 50, None, ""],
        head=head,
    )
    found = issues(plan_file(db, importer(), path))
    assert [(row, column) for row, column, _ in found] == [(4, "日期"), (5, "日期")]
    assert "2026-12-12晚于今天（2026-12-01）" in found[0][2] and "早于 1950 年" in found[1][2]
    import_file(db, importer(), path, skip_invalid=True)
    assert activities(db)["职工健步走"][1:3] == (date(2026, 11, 28), date(2026, 12, 12))
