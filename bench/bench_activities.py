"""Activities and the year's budget at the sizes of their speed targets.

    python bench/bench_activities.py [--members 50000] [--rows 10000] [--repeat 3]

- budget table: the year's 经费收支预算表 (``budget_table``: every category's budget,
  committed, spent from activity expenses and from care, income with the dues ledger's
  figures) of a union of 50,000 members with a year of dues (600,000 charges), two care
  records a member (100,000), a year of activities (60, 900 expenses) and a budget, in this
  process after one untimed read                                         (bound <= 200 ms)
- ledger import: a 10,000-row 活动经费支出台账 (.xlsx: 日期 活动名称 支出内容 科目 金额 发票号
  经办人 参加人数; 500 activities, 科目 written the ways ledgers write them), imported as the
  program does it once running (``import_timing.in_program``: the command's ``run_import``
  after its start-up, the first import of a fresh process), against the floor: a bare
  python-calamine read of the same sheet plus a raw sqlite3 executemany of the same rows into
  ``activity_expenses`` of a copy of the same 账套, timed after its own import of
  python_calamine                                                         (target <= 2x)
  The command's and the floor's whole processes are compared too, for information.

Each figure is the median of ``--repeat`` rounds (the floor runs in the same rounds).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from import_timing import import_round, in_program, spread, whole_command

TODAY = date(2026, 12, 20)
YEAR = TODAY.year
TABLE_BOUND_MS = 200.0
IMPORT_TARGET = 2.0
LEDGER_HEAD = ["日期", "活动名称", "支出内容", "科目", "金额", "发票号", "经办人", "参加人数"]
LEDGER_WORDS = [
    "职工活动支出—文体活动",
    "职工活动支出/会员活动",
    "职工教育费",
    "50103",
    "资本性支出",
    "业务支出—培训费",
]
OCCASIONS = ["生日", "住院", "节日慰问", "结婚", "送温暖", "困难帮扶"]
INSERT = (
    "INSERT INTO activity_expenses (activity_id, day, payee, item, category_id, amount_fen, invoice_no, paid_by, "
    "note, over_limit, reason, source, created_at) VALUES (?, ?, '', ?, ?, ?, ?, ?, '', '', '', '导入', ?)"
)


def build_union(folder: Path, members: int) -> Path:
    """A union of ``members`` with a year of dues rolled, two care records each, a year of
    activities and a budget, written straight into the tables (building it is not timed)."""
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
        roll(session, YearMonth(YEAR, 1), YearMonth(YEAR, 12), today=TODAY)
        ids = list(session.scalars(Member.__table__.select().with_only_columns(Member.id)))
        start = date(YEAR, 1, 1)
        bulk_insert(session, CareRecord.__table__, [  # type: ignore[arg-type]
            {"member_id": m, "recipient": "会员", "day": start + timedelta(days=rng.randrange(350)),
             "occasion": rng.choice(OCCASIONS), "cash_fen": rng.randrange(1, 10) * 10_000, "source": "导入"}
            for m in ids for _ in range(2)
        ])  # fmt: skip
        tree = load_tree(session)
        spending = [c.id for c in tree.of_kind("支出")]
        bulk_insert(session, Activity.__table__, [  # type: ignore[arg-type]
            {"id": n, "name": f"活动{n}", "kind": "文体活动", "start": start + timedelta(days=n * 5),
             "status": "已结束", "headcount": 50}
            for n in range(1, 61)
        ])  # fmt: skip
        bulk_insert(session, ActivityExpense.__table__, [  # type: ignore[arg-type]
            {"activity_id": n, "day": start + timedelta(days=n * 5), "item": "支出", "category_id": rng.choice(spending),
             "amount_fen": rng.randrange(1, 500) * 100, "source": "导入"}
            for n in range(1, 61) for _ in range(15)
        ])  # fmt: skip
        for category in tree.items:
            if category.depth == 0:
                set_budget(session, YEAR, category.id, rng.randrange(10, 100) * 1_000_000)
    db.close()
    return path


def time_table(path: Path, repeat: int) -> list[float]:
    from app.db import open_database
    from app.services.activities import budget_table

    db = open_database(path)
    with db.reader() as session:
        budget_table(session, YEAR)  # modules imported, caches warm
    found = []
    for _ in range(repeat):
        with db.reader() as session:
            start = time.perf_counter()
            table = budget_table(session, YEAR)
            found.append((time.perf_counter() - start) * 1000)
        assert table.spent_fen > 0 and table.income_actual_fen >= 0
    db.close()
    return found


def write_ledger(rows: int, out: Path) -> int:
    """A ledger of ``rows`` expenses in 500 activities; returns the headcount rows."""
    from openpyxl import Workbook

    rng = random.Random(7)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("活动经费支出")
    sheet.append(LEDGER_HEAD)
    per = max(rows // 500, 1)
    for n in range(rows):
        activity = n // per
        day = date(YEAR, 1, 1) + timedelta(days=(activity * 7) % 330 + n % per % 3)
        sheet.append([day, f"{YEAR}年第{activity + 1}次职工活动", f"支出项目{n % per + 1}", rng.choice(LEDGER_WORDS),
                      rng.randrange(100, 50_000) / 10, f"{rng.randrange(10**7, 10**8)}", "王会计",
                      rng.randrange(10, 200) if n % per == 0 else None])  # fmt: skip
    workbook.save(out)
    return rows


def floor_import(xlsx: Path, db: Path) -> dict[str, float]:
    start = time.perf_counter()
    from python_calamine import CalamineWorkbook

    imported = time.perf_counter()
    rows = CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_index(0).to_python()
    now = time.strftime("%Y-%m-%d %H:%M:%S")
    con = sqlite3.connect(db)
    con.execute("INSERT INTO activities (id, name, kind, start, place, organiser, status, note, over_limit, reason, "
                "source, created_at, updated_at) VALUES (1, 'x', '其他', '2026-01-01', '', '', '已结束', '', '', '', "
                "'导入', ?, ?)", (now, now))  # fmt: skip
    con.executemany(INSERT, [(1, str(r[0]), r[2], 1, round(r[4] * 100), r[5], r[6], now) for r in rows[1:]])
    con.commit()
    con.close()
    return {"imports": imported - start, "work": time.perf_counter() - imported}


def _argv(xlsx: Path, db: Path) -> list[str]:
    """The command a secretary would run: ``uniondesk --db … events import FILE``."""
    return ["--db", str(db), "events", "import", str(xlsx), "--json"]


def ours_import(xlsx: Path, db: Path) -> dict[str, Any]:
    return in_program(_argv(xlsx, db), ["app.services.activities.import_ledger"])


def ours_command(xlsx: Path, db: Path) -> dict[str, Any]:
    return whole_command(_argv(xlsx, db))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--rows", type=int, default=10_000, help="rows of the expense ledger")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-table", action="store_true", help="only the ledger import")
    parser.add_argument("--task", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.task:
        tasks = {"floor_import": floor_import, "ours_import": ours_import, "ours_command": ours_command}
        said = tasks[args.task[0]](Path(args.task[1]), Path(args.task[2]))
        print(json.dumps(said))
        return 0
    os.environ.setdefault("UNIONDESK_HOME", tempfile.mkdtemp(prefix="ud-bench-home-"))
    folder = Path(tempfile.mkdtemp(prefix="ud-bench-activities-"))
    results: list[str] = []
    if not args.skip_table:
        print(
            f"building a union of {args.members} members with a year of dues, care and activities …",
            flush=True,
        )
        union = build_union(folder, args.members)
        times = time_table(union, max(args.repeat, 5))
        median = statistics.median(times)
        results.append(f"budget table: {spread(times, ' ms', 1)} (bound {TABLE_BOUND_MS:.0f} ms: "
                       f"{'met' if median <= TABLE_BOUND_MS else 'NOT met'})")  # fmt: skip
        print(results[-1], flush=True)
    from app.db import open_database

    empty = folder / "empty.db"
    open_database(empty, create=True).close()
    xlsx = folder / "ledger.xlsx"
    write_ledger(args.rows, xlsx)
    works: list[float] = []
    wholes: list[float] = []
    for round_ in range(args.repeat):
        ours_db, command_db, floor_db = (
            folder / f"{name}{round_}.db" for name in ("ours", "command", "floor")
        )
        for copy in (ours_db, command_db, floor_db):
            shutil.copy(empty, copy)
        (floor, ours), (floor_process, command), _said, _command_said = import_round(
            __file__, f"round {round_ + 1} ledger import", xlsx, floor_db, ours_db, command_db
        )
        works.append(ours / floor)
        wholes.append(command / floor_process)
    median = statistics.median(works)
    results.append(f"ledger import of {args.rows} rows in the program: {spread(works)} (target {IMPORT_TARGET}x: "
                   f"{'met' if median <= IMPORT_TARGET else 'NOT met'}); whole processes, for information: "
                   f"{spread(wholes)}")  # fmt: skip
    shutil.rmtree(folder, ignore_errors=True)
    print("\n".join(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
