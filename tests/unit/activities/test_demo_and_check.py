"""The demo's year of activities and budget (a dozen activities of every status and the kinds a
union holds, some over budget, named participants or a headcount, the budget's top lines the
sum of their sub-lines, other income, nothing dated after today) and `check` reconciling it:
passing on the demo, and finding an expense under an income category, a care occasion with no
category and a category tree whose rolled-up figures no longer match the records."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import Database, open_database
from app.domain.activities import Kind, Status
from app.models import Activity, ActivityExpense, ActivityParticipant, CareRecord, OtherIncome
from app.services.activities import budget_table, get_activity, list_activities, list_expenses, list_income
from app.services.system.check import run_checks
from app.services.system.demo import build_demo

TODAY = date(2026, 11, 20)


@pytest.fixture
def demo(db: Database) -> Database:
    with db.session() as session:
        result = build_demo(session, members=150, today=TODAY)
    assert result.activities == len(_activities(db)) >= 12
    return db


def _activities(db: Database) -> list[tuple[str, str, str, date, date | None]]:
    with db.reader() as session:
        return [(r.name, r.kind, r.status, r.start, r.end) for r in list_activities(session)]


def test_the_demo_year_of_activities(demo: Database) -> None:
    with demo.reader() as session:
        rows = list_activities(session, year=2026)
        details = [get_activity(session, r.id) for r in rows]
        expenses = list_expenses(session, year=2026)
        income = list_income(session, 2026)
        days = [d for (d,) in session.execute(select(ActivityExpense.day))]
        named = session.scalar(select(func.count(func.distinct(ActivityParticipant.activity_id))))
    assert Counter(r.status for r in rows).keys() == {s.value for s in Status}
    assert {Kind.SPORTS, Kind.CONTEST, Kind.TRAINING, Kind.MEMBERS, Kind.HOME, Kind.PUBLICITY} <= {
        Kind(r.kind) for r in rows
    }
    names = " ".join(r.name for r in rows)
    for word in ("篮球", "一日游", "技能大赛", "培训", "观影", "职工之家", "三八", "联欢", "健步走", "读书"):
        assert word in names, word
    assert all(date(2026, 1, 1) <= r.start <= TODAY and (r.end is None or r.end <= TODAY) for r in rows)
    assert days and min(days) >= date(2026, 1, 1) and max(days) <= TODAY
    assert all(date(2026, 1, 1) <= i.day <= TODAY for i in income) and len(income) >= 4
    over = [r for r in rows if r.spent_fen > r.budget_fen]
    assert len(over) >= 2 and all(r.status in ("已结束", "进行中") for r in over)
    assert all(r.budget_fen > 0 for r in rows)  # every activity was planned
    for r in rows:  # nothing is spent before approval or after cancelling
        assert (r.spent_fen == 0) == (r.status in ("计划中", "已审批", "已取消")), r.name
    with_names = [d for d in details if d.participants]
    by_count = [d for d in details if not d.participants and d.headcount]
    assert named == len(with_names) >= 3 and len(by_count) >= 5
    assert all(d.row.participants == len(d.participants) for d in with_names)
    flagged = [line for d in details for line in (*d.items, *d.expenses) if line.over_limit]
    assert flagged and all(line.reason for line in flagged)  # over the union's meal limit, explained
    assert not any(r.awaiting_reason for r in rows)
    assert sum(e.amount_fen for e in expenses) == sum(r.spent_fen for r in rows)


def test_the_demo_budget_adds_up(demo: Database) -> None:
    with demo.reader() as session:
        table = budget_table(session, 2026)
        care = session.scalar(
            select(func.sum(CareRecord.cash_fen + CareRecord.goods_fen)).where(
                CareRecord.day >= date(2026, 1, 1)
            )
        )
        spent = session.scalar(select(func.sum(ActivityExpense.amount_fen)))
        other = session.scalar(select(func.sum(OtherIncome.amount_fen)))
    assert table.warnings == []  # each top line is the sum of its sub-lines
    tops = [r for r in table.spending if r.category.depth == 0]
    for top in tops:
        subs = [
            r for r in table.spending if r.category.parent_id == top.category.id and r.budget_fen is not None
        ]
        if subs:
            assert top.budget_fen == sum(r.budget_fen or 0 for r in subs), top.category.name
    assert table.spent_fen == spent + care  # every care occasion counts against a category
    assert table.spending_budget_fen > table.spent_fen > 0
    assert table.execution_rate is not None and 50 <= table.execution_rate <= 100
    assert any(r.budget_fen is None for r in table.spending)  # lines never set stay unset
    assert table.committed_fen > 0  # the approved match and the refurbishment still under way
    assert {r.level for r in table.spending} >= {"", "接近"}
    income = {r.category.code: r for r in table.income}
    assert income["401"].from_dues_roll and income["401"].budget_fen
    assert income["402"].budget_fen and 0 < income["402"].actual_fen <= income["402"].budget_fen
    assert table.income_actual_fen == income["401"].actual_fen + other


def test_the_demo_is_deterministic_and_stops_at_today(db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    early = open_database(tmp_path / "early.db")
    with db.session() as a, early.session() as b:
        build_demo(a, members=60, today=TODAY)
        build_demo(b, members=60, today=date(2026, 6, 1))
    again = open_database(tmp_path / "again.db")
    with again.session() as session:
        build_demo(session, members=60, today=TODAY)
    query = select(ActivityExpense.day, ActivityExpense.item, ActivityExpense.amount_fen).order_by(
        ActivityExpense.id
    )
    with db.reader() as a, again.reader() as b, early.reader() as c:
        assert a.execute(query).all() == b.execute(query).all()
        assert a.execute(select(Activity.name)).all() == b.execute(select(Activity.name)).all()
        june = list_activities(c)
        assert max(day for (day, *_) in c.execute(query)) <= date(2026, 6, 1)
    assert 5 <= len(june) < len(_activities(db))
    assert all(r.start <= date(2026, 6, 1) for r in june)
    assert {"计划中", "已审批"} <= {r.status for r in june}
    for database in (early, again):
        database.close()


def test_check_passes_on_the_demo_and_finds_disagreements(
    demo: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with demo.reader() as session:
        report = run_checks(session)
    assert report.ok, report.problems
    assert any("活动支出" in item and "慰问" in item for item in report.checked)

    from app.services.activities import budget

    honest = budget.spending_by_category

    def losing_a_record(session: Session, year: int) -> tuple[dict[int, int], dict[int, int]]:
        activity, care = honest(session, year)
        first = min(activity)
        return {**activity, first: activity[first] - 100}, care  # a yuan lost on the way to the table

    monkeypatch.setattr(budget, "spending_by_category", losing_a_record)
    with demo.reader() as session:
        problems = run_checks(session).problems
    assert len(problems) == 2 and all("2026年" in p and "不符" in p for p in problems), problems
    monkeypatch.undo()

    with sqlite3.connect(demo.path) as con:
        other = con.execute("SELECT id FROM budget_categories WHERE code = '408'").fetchone()[0]
        sports = con.execute("SELECT id FROM budget_categories WHERE code = '50102'").fetchone()[0]
        activity = con.execute("SELECT id FROM activities ORDER BY id LIMIT 1").fetchone()[0]
        con.execute(
            "INSERT INTO activity_expenses (activity_id, day, payee, item, category_id, amount_fen, invoice_no,"
            " paid_by, note, over_limit, reason, source, created_at)"
            " VALUES (?, '2026-05-01', '', '利息支出', ?, 12345, '', '', '', '', '', '手工', '2026-05-01')",
            (activity, other),
        )
        con.execute("DELETE FROM care_categories WHERE occasion = '送温暖'")
    with demo.reader() as session:
        problems = run_checks(session).problems
    text = "\n".join(problems)
    assert "记在了收入科目“408 其他收入”下" in text
    assert "慰问事由“送温暖”没有对应的支出科目" in text
    assert "不符" not in text  # the figures themselves still agree
    with sqlite3.connect(demo.path) as con:  # 文体活动费 moved under an income line
        con.execute("UPDATE budget_categories SET parent_id = ? WHERE id = ?", (other, sports))
    with demo.reader() as session:
        problems = run_checks(session).problems
    assert "科目“50102 文体活动费”是支出科目，却列在收入科目“408 其他收入”之下" in problems
    assert "收支科目树有误，未核对各年各科目的已支出" in problems
