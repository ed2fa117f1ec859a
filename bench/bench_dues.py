"""Dues at 50,000 members, as ratios against floors measured in the same run.

    python bench/bench_dues.py [--members 50000] [--repeat 3] [--skip-import | --import-only]

- roll: a whole year for every member (600,000 charges), through ``roll`` in one write
  transaction, against the floor: a raw sqlite3 executemany of the same rows into the same
  table of a copy of the same 账套                                          (target <= 3x)
- summary: a year's 应缴/实缴/收缴率/欠缴 after a year of payments        (target <= 200 ms)
- arrears: the arrears list at that size                                 (target <= 500 ms)
- grid import: a 50,000-member 12-month 台账 (.xlsx, no ID numbers, matched by name + 部门)
  through ``uniondesk dues import``, timed as the running program does it (see
  ``import_timing.py``, as for the care register and the expense ledger), against the
  floor: a bare python-calamine read of the file plus a raw executemany of its cells,
  timed after its import of python_calamine                                  (target <= 3x)
  The same two as whole processes (start-up and module imports included) are printed too,
  for information; and, also for information, the floor the roll's, the care register's
  and the ledger's targets use: the same read, its cells executemany'd as payments into
  ``dues_payments`` of a copy of the same 账套 (its indexes, foreign key and write-ahead log).

Each figure is the median of ``--repeat`` rounds; the floors run in the same rounds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from import_timing import import_round, in_program, run_task, spread, whole_command

TODAY = date(2026, 12, 20)
YEAR = 2026


def build_members(folder: Path, members: int) -> Path:
    from app.db import open_database
    from app.services.system.demo import build_demo

    path = folder / "members.db"
    db = open_database(path, create=True)
    with db.session() as session:
        build_demo(session, members=members, today=TODAY, dues=False, care=False, activities=False)
    db.close()
    return path


def ours_roll(path: Path) -> float:
    from app.db import open_database
    from app.domain.yearmonth import YearMonth
    from app.services.dues import roll

    db = open_database(path)
    start = time.perf_counter()
    with db.session() as session:
        result = roll(session, YearMonth(YEAR, 1), YearMonth(YEAR, 12), today=TODAY)
    elapsed = time.perf_counter() - start
    db.close()
    assert result.created > 0
    return elapsed


def charge_rows(path: Path) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    rows = con.execute(
        "SELECT roll_id, member_id, month, wage_fen, due_fen, paid_fen FROM dues_charges"
    ).fetchall()
    con.close()
    return rows


def floor_roll(path: Path, rows: list[tuple[object, ...]]) -> float:
    con = sqlite3.connect(path)
    con.execute("INSERT INTO dues_rolls (id, first_month, last_month, created_at, actor, note) "
                "VALUES (1, '2026-01-01', '2026-12-01', '2026-12-20 00:00:00', '', '')")  # fmt: skip
    con.commit()
    start = time.perf_counter()
    con.executemany(
        "INSERT INTO dues_charges (roll_id, member_id, month, wage_fen, due_fen, paid_fen) VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )
    con.commit()
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed


def pay_most(path: Path) -> None:
    """A year of payroll deduction for everyone but a few, as the demo does."""
    from app.db import open_database
    from app.services.dues.demo import build_demo_dues

    db = open_database(path)
    with db.session() as session:
        build_demo_dues(session, today=TODAY)
    db.close()


def timed_reads(path: Path, repeat: int) -> tuple[float, float]:
    from app.db import open_database
    from app.domain.dues import Period
    from app.services.dues import list_arrears, summarize

    db = open_database(path)
    summaries, arrears = [], []
    for _ in range(repeat):
        with db.reader() as session:
            start = time.perf_counter()
            summarize(session, Period.parse(str(YEAR)))
            summaries.append(time.perf_counter() - start)
            start = time.perf_counter()
            list_arrears(session)
            arrears.append(time.perf_counter() - start)
    db.close()
    return statistics.median(summaries) * 1000, statistics.median(arrears) * 1000


def write_grid(path: Path, out: Path) -> None:
    """The 台账 secretaries keep: title, 序号 姓名 部门 月缴标准 1月…12月 合计, no ID numbers."""
    from openpyxl import Workbook

    con = sqlite3.connect(path)
    people = con.execute(
        "SELECT m.id, m.name, g.name, m.status FROM members m JOIN groups g ON g.id = m.group_id ORDER BY m.id"
    ).fetchall()
    due: dict[int, list[object]] = {}
    for member_id, month, fen in con.execute("SELECT member_id, CAST(substr(month, 6, 2) AS INTEGER), due_fen "
                                             "FROM dues_charges WHERE month LIKE ?", (f"{YEAR}-%",)):  # fmt: skip
        due.setdefault(member_id, [None] * 12)[month - 1] = fen / 100
    con.close()
    # A sheet without ID numbers can only name people whose name + 部门 is unique in the roster.
    count = Counter((name, group) for _id, name, group, _status in people)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("台账")
    sheet.append([f"{YEAR}年会费收缴台账"])
    sheet.append(["序号", "姓名", "部门", "月缴标准", *[f"{m}月" for m in range(1, 13)], "合计"])
    number = 0
    for member_id, name, group, status in people:
        if count[(name, group)] > 1 or member_id not in due or status != "在会":
            continue
        number += 1
        months = due[member_id]
        paid = [m for m in months if m is not None]
        sheet.append([number, name, group, paid[-1], *["" if m is None else m for m in months],
                      round(sum(paid), 2)])  # type: ignore[arg-type]  # fmt: skip
    workbook.save(out)


def floor_grid(xlsx: Path, folder: Path) -> dict[str, Any]:
    start = time.perf_counter()
    from python_calamine import CalamineWorkbook

    imported = time.perf_counter()
    rows = CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_index(0).to_python()[2:]
    con = sqlite3.connect(folder / "floor.db")
    con.execute("CREATE TABLE cells (name, grp, month, amount)")
    con.executemany(
        "INSERT INTO cells VALUES (?, ?, ?, ?)",
        [(r[1], r[2], m, r[3 + m]) for r in rows for m in range(1, 13) if r[3 + m] not in ("", None)],
    )
    con.commit()
    con.close()
    return {"imports": imported - start, "work": time.perf_counter() - imported}


def floor_grid_table(xlsx: Path, db: Path) -> dict[str, Any]:
    """The read as ``floor_grid``; the cells inserted as payments into the 账套 at ``db``
    (a copy of the import's), each by its row's 序号 as member (the floor matches nobody)."""
    start = time.perf_counter()
    from python_calamine import CalamineWorkbook

    imported = time.perf_counter()
    rows = CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_index(0).to_python()[2:]
    con = sqlite3.connect(db)
    con.executemany(
        "INSERT INTO dues_payments (member_id, paid_on, amount_fen, source_month, method, receipt_no, collector, "
        "note, source, created_at) VALUES (?, ?, ?, ?, '工资代扣', '', '', '', '导入', '2026-12-20 00:00:00')",
        [(int(r[0]), f"{YEAR}-{m:02d}-28", round(r[3 + m] * 100), f"{YEAR}-{m:02d}-01")
         for r in rows for m in range(1, 13) if r[3 + m] not in ("", None)],
    )  # fmt: skip
    con.commit()
    con.close()
    return {"imports": imported - start, "work": time.perf_counter() - imported}


def _argv(xlsx: Path, db: Path) -> list[str]:
    return ["--db", str(db), "dues", "import", str(xlsx), "--year", str(YEAR), "--json"]


def ours_grid(xlsx: Path, db: Path) -> dict[str, Any]:
    return in_program(_argv(xlsx, db), ["app.services.dues.importer"])


def ours_command(xlsx: Path, db: Path) -> dict[str, Any]:
    return whole_command(_argv(xlsx, db))


Rounds = list[tuple[float, float]]


def grid_imports(folder: Path, paid: Path, target_from: Path, repeat: int) -> tuple[Rounds, Rounds, Rounds]:
    """The grid written from ``paid`` imported into copies of ``target_from``: each round's
    (floor, ours) seconds, in the program and as whole processes, and (the floor into the
    账套's own table, ours)."""
    xlsx = folder / "grid.xlsx"
    write_grid(paid, xlsx)
    works: list[tuple[float, float]] = []
    wholes: list[tuple[float, float]] = []
    tables: list[tuple[float, float]] = []
    for round_ in range(repeat):
        ours_db, command_db = folder / f"import{round_}.db", folder / f"command{round_}.db"
        table_db = folder / f"table{round_}.db"
        for copy in (ours_db, command_db, table_db):
            shutil.copy(target_from, copy)
        (folder / f"floor-import{round_}").mkdir()
        work, whole, said, command_said = import_round(
            __file__,
            f"round {round_ + 1} grid import",
            xlsx,
            folder / f"floor-import{round_}",
            ours_db,
            command_db,
        )
        assert said["new"] == command_said["new"] > 0 and not said["errors"], (said, command_said)
        works.append(work)
        wholes.append(whole)
        _process, table = run_task(__file__, "floor_table", xlsx, table_db)
        tables.append((table["work"], work[1]))
    return works, wholes, tables


def _report(works: Rounds, wholes: Rounds, tables: Rounds) -> None:
    for label, rounds, judged in (
        ("grid import (dues import in the program, vs calamine + executemany)", works, True),
        ("  the same as whole processes (start-up and module imports included; for information)", wholes, False),
        ("  against the cells executemany'd into the 账套's dues_payments (for information)", tables, False),
    ):  # fmt: skip
        ratios = [ours / floor for floor, ours in rounds]
        verdict = (
            f" (target <= 3x: {'met' if statistics.median(ratios) <= 3 else 'NOT met'})" if judged else ""
        )
        print(f"{label}: ratio {spread(ratios)}{verdict}; UnionDesk {spread([o for _f, o in rounds], ' s')}, "
              f"floor {spread([f for f, _o in rounds], ' s')}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--task", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--skip-import", action="store_true", help="only the roll, summary and arrears")
    parser.add_argument(
        "--import-only",
        action="store_true",
        help="only the grid import (its 账套 rolled once beforehand, untimed)",
    )
    args = parser.parse_args()
    if args.task:
        tasks = {"floor_import": floor_grid, "floor_table": floor_grid_table, "ours_import": ours_grid,
                 "ours_command": ours_command}  # fmt: skip
        print(json.dumps(tasks[args.task[0]](Path(args.task[1]), Path(args.task[2]))))
        return 0
    os.environ.setdefault("UNIONDESK_HOME", tempfile.mkdtemp(prefix="ud-bench-home-"))
    folder = Path(tempfile.mkdtemp(prefix="ud-bench-dues-"))
    print(f"building {args.members} members …", flush=True)
    members = build_members(folder, args.members)
    if args.import_only:
        rolled, paid = folder / "rolled.db", folder / "paid.db"
        shutil.copy(members, rolled)
        ours_roll(rolled)
        shutil.copy(rolled, paid)
        pay_most(paid)
        works, wholes, tables = grid_imports(folder, paid, rolled, args.repeat)
        shutil.rmtree(folder, ignore_errors=True)
        print(f"members: {args.members}")
        _report(works, wholes, tables)
        return 0
    rolls: list[float] = []
    rows: list[tuple[object, ...]] = []
    for round_ in range(args.repeat):
        ours_db, floor_db = folder / f"ours{round_}.db", folder / f"floor{round_}.db"
        shutil.copy(members, ours_db)
        shutil.copy(members, floor_db)
        ours = ours_roll(ours_db)
        rows = rows or charge_rows(ours_db)
        floor = floor_roll(floor_db, rows)
        rolls.append(ours / floor)
        print(f"round {round_ + 1} roll: floor {floor:.2f} s, UnionDesk {ours:.2f} s, ratio {ours / floor:.2f}x",
              flush=True)  # fmt: skip
    print(f"charges rolled: {len(rows)}")
    paid = folder / "ours0.db"
    pay_most(paid)
    summary_ms, arrears_ms = timed_reads(paid, max(args.repeat, 5))
    works: Rounds = []
    wholes: Rounds = []
    tables: Rounds = []
    if not args.skip_import:
        target_from = folder / "ours1.db" if args.repeat > 1 else members
        works, wholes, tables = grid_imports(folder, paid, target_from, args.repeat)
    shutil.rmtree(folder, ignore_errors=True)
    print(f"members: {args.members}")
    print(f"roll: median ratio {statistics.median(rolls):.2f}x (target <= 3x)")
    print(f"summary of a year: {summary_ms:.0f} ms (target <= 200 ms)")
    print(f"arrears list: {arrears_ms:.0f} ms (target <= 500 ms)")
    if works:
        _report(works, wholes, tables)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
