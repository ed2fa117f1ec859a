"""The monthly report's figures at the size of its speed target.

    python bench/bench_reports.py [--members 50000] [--repeat 7]

A union of 50,000 members (the demo's, with its membership history) with two years of dues
rolled (2025-01 … 2026-12, 1.2 million charges) and mostly paid, two care records a member a
year (200,000), two years of activities (120, 1,800 expenses) and a budget, written straight
into the tables (building it is not timed). Timed: ``period_report`` for one month (2026-09:
members as of each date from their history, the dues summary, care by occasion, hardship,
activities and spending against the budget), in this process after one untimed read,
as the median of ``--repeat`` rounds                                      (bound <= 500 ms)
The quarter and the year are timed too, for information. Then the year-end summary draft:
``write_summary`` for 2026 (every figure read, the phrasings filled in, the .docx with its
数据来源 appendix written), in this process after one untimed write       (bound <= 2000 ms)
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

TODAY = date(2026, 12, 20)
BOUND_MS = 500.0
SUMMARY_BOUND_MS = 2000.0
OCCASIONS = ["生日", "住院", "节日慰问", "结婚", "送温暖", "困难帮扶", "金秋助学"]


def build_union(folder: Path, members: int) -> Path:
    from sqlalchemy import text

    from app.db import bulk_insert, open_database
    from app.domain.yearmonth import YearMonth
    from app.models import Activity, ActivityExpense, CareRecord, Member
    from app.services.activities import load_tree, set_budget
    from app.services.dues import roll
    from app.services.system.demo import build_demo

    path = folder / "union.db"
    db = open_database(path, create=True)
    rng = random.Random(2026)
    with db.session() as session:
        build_demo(session, members=members, today=TODAY, dues=False, care=False, activities=False)
        roll(session, YearMonth(2025, 1), YearMonth(2026, 12), today=TODAY)
        # most charges paid: one payment per member and month, on the 10th
        session.execute(text(
            "INSERT INTO dues_payments (member_id, paid_on, amount_fen, method, receipt_no, collector, note, source,"
            " created_at) SELECT member_id, date(month, '+9 days'), due_fen, '工资代扣', '', '', '', '导入',"
            " CURRENT_TIMESTAMP FROM dues_charges WHERE due_fen > 0 AND (id % 17) != 0"
        ))  # fmt: skip
        session.execute(text(
            "UPDATE dues_charges SET paid_fen = due_fen WHERE due_fen > 0 AND (id % 17) != 0"
        ))  # fmt: skip
        ids = list(session.scalars(Member.__table__.select().with_only_columns(Member.id)))
        start = date(2025, 1, 1)
        bulk_insert(session, CareRecord.__table__, [  # type: ignore[arg-type]
            {"member_id": m, "recipient": "会员", "day": start + timedelta(days=rng.randrange(715)),
             "occasion": rng.choice(OCCASIONS), "cash_fen": rng.randrange(1, 10) * 10_000, "source": "导入",
             "over_cap": "超过标准" if rng.random() < 0.01 else ""}
            for m in ids for _ in range(4)
        ])  # fmt: skip
        tree = load_tree(session)
        spending = [c.id for c in tree.of_kind("支出")]
        bulk_insert(session, Activity.__table__, [  # type: ignore[arg-type]
            {"id": n, "name": f"活动{n}", "kind": "文体活动", "start": start + timedelta(days=n * 6),
             "status": "已结束", "headcount": 50}
            for n in range(1, 121)
        ])  # fmt: skip
        bulk_insert(session, ActivityExpense.__table__, [  # type: ignore[arg-type]
            {"activity_id": n, "day": start + timedelta(days=n * 6), "item": "支出", "category_id": rng.choice(spending),
             "amount_fen": rng.randrange(1, 500) * 100, "source": "导入"}
            for n in range(1, 121) for _ in range(15)
        ])  # fmt: skip
        for year in (2025, 2026):
            for category in tree.items:
                if category.depth == 0 and category.kind == "支出":
                    set_budget(session, year, category.id, rng.randrange(10, 100) * 1_000_000)
    db.close()
    return path


def time_report(path: Path, first: str, last: str, repeat: int) -> list[float]:
    from app.db import open_database
    from app.domain.yearmonth import YearMonth
    from app.services.reports import period_report

    a, b = YearMonth.parse(first), YearMonth.parse(last)
    db = open_database(path)
    with db.reader() as session:
        report = period_report(session, a, b, today=TODAY)  # modules imported, caches warm
    found = []
    for _ in range(repeat):
        with db.reader() as session:
            start = time.perf_counter()
            report = period_report(session, a, b, today=TODAY)
            found.append((time.perf_counter() - start) * 1000)
    closing = report.figure("members.closing")
    print(f"  {report.label}: 期末会员 {closing.period}（女 {closing.female}，农民工 {closing.migrant}），"
          f"应缴 {report.figure('dues.due').period} 分，慰问 {report.figure('care.count').period} 人次")  # fmt: skip
    db.close()
    return found


def time_summary(path: Path, repeat: int) -> list[float]:
    from app.db import open_database
    from app.services.reports.summary import write_summary

    db = open_database(path)
    out = Path(tempfile.mkdtemp(prefix="ud-bench-summary-")) / "summary.docx"
    with db.reader() as session:
        write_summary(session, 2026, None, out)  # python-docx imported, caches warm
    found = []
    for _ in range(repeat):
        with db.reader() as session:
            start = time.perf_counter()
            write_summary(session, 2026, None, out)
            found.append((time.perf_counter() - start) * 1000)
    db.close()
    return found


def union_at(given: Path | None, members: int) -> Path:
    """The 账套 given, or a union of ``members`` built in a temporary folder (not timed)."""
    if given is not None:
        return given
    folder = Path(tempfile.mkdtemp(prefix="ud-bench-union-"))
    print(f"building a union of {members} members with two years of dues, care and activities …", flush=True)
    started = time.perf_counter()
    path = build_union(folder, members)
    print(f"  built in {time.perf_counter() - started:.0f} s: {path}", flush=True)
    return path


def spread(values: list[float]) -> str:
    return f"min {min(values):.1f} ms / median {statistics.median(values):.1f} ms / max {max(values):.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--db", type=Path, help="time this 账套 instead of building one")
    args = parser.parse_args()
    os.environ.setdefault("UNIONDESK_HOME", tempfile.mkdtemp(prefix="ud-bench-home-"))
    path = union_at(args.db, args.members)
    month = time_report(path, "2026-09", "2026-09", args.repeat)
    median = statistics.median(month)
    print(f"monthly report (2026-09): {spread(month)} (bound {BOUND_MS:.0f} ms: "
          f"{'met' if median <= BOUND_MS else 'NOT met'})")  # fmt: skip
    for first, last in (("2026-07", "2026-09"), ("2026-01", "2026-12")):
        print(
            f"period {first}..{last}: {spread(time_report(path, first, last, args.repeat))} (for information)"
        )
    summary = time_summary(path, args.repeat)
    print(f"summary .docx (2026): {spread(summary)} (bound {SUMMARY_BOUND_MS:.0f} ms: "
          f"{'met' if statistics.median(summary) <= SUMMARY_BOUND_MS else 'NOT met'})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
