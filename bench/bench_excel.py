"""Roster import and export against their floors, as ratios measured in one run.

    python bench/bench_excel.py [--members 50000]

- import: a clean 50,000-row, 15-column .xlsx into an empty 账套, end to end (read, check,
  pinyin keys, insert, commit) against the floor: a bare python-calamine read of the same
  file plus a raw sqlite3 executemany of the same rows                      (target <= 2.5x)
- export: 50,000 members to a formatted .xlsx against a bare openpyxl write-only dump of
  the same values                                                         (target <= 1.5x)
- peak memory of each, measured in its own process.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADERS = ["姓名", "性别", "民族", "出生日期", "身份证号", "政治面貌", "学历", "部门", "职务",
           "人员类别", "入会时间", "会员证号", "联系电话", "月工资", "备注"]  # fmt: skip


def make_source(folder: Path, members: int) -> tuple[Path, Path]:
    """A demo 账套 and, from it, the clean 15-column roster file to import."""
    from openpyxl import Workbook

    from app.db import open_database
    from app.services.demo import build_demo
    from app.services.roster_search import load_roster

    db_path = folder / "source.db"
    db = open_database(db_path)
    with db.session() as session:
        build_demo(session, members=members)
    with db.session() as session:
        rows = load_roster(session).rows
    db.close()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append(HEADERS)
    for r in rows:
        sheet.append([r.name, r.gender, r.ethnicity, r.birth_date, r.id_number, r.political_status,
                      r.education, r.group_path.split(" / ")[0], r.position, r.category, r.joined_on,
                      r.card_number, r.phone, 5000 + r.id % 7000, ""])  # fmt: skip
    xlsx = folder / "roster.xlsx"
    workbook.save(xlsx)
    return db_path, xlsx


def floor_import(xlsx: Path, folder: Path) -> None:
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_index(0).to_python()[1:]
    con = sqlite3.connect(folder / "floor.db")
    con.execute(f"CREATE TABLE m ({', '.join(f'c{i}' for i in range(15))})")
    con.executemany(f"INSERT INTO m VALUES ({', '.join('?' * 15)})", [[str(v) for v in r] for r in rows])
    con.commit()
    con.close()


def ours_import(xlsx: Path, folder: Path) -> None:
    from app.db import open_database
    from app.services.roster_import import apply_import, plan_import

    db = open_database(folder.parent / "empty.db")  # created (and migrated) before the clock
    with db.session() as session:
        plan = plan_import(session, xlsx)
        result = apply_import(session, plan)
    assert result.new == plan.count("new") > 0, result
    db.close()


def floor_export(db_path: Path, out: Path) -> None:
    from openpyxl import Workbook

    from app.db import open_database
    from app.services.roster_export import EXPORT_COLUMNS
    from app.services.roster_search import load_roster

    db = open_database(db_path)
    with db.session() as session:
        rows = load_roster(session).rows
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("s")
    sheet.append([c.column.header for c in EXPORT_COLUMNS])
    for n, r in enumerate(rows, 1):
        sheet.append([n, r.name, r.gender, r.ethnicity, r.birth_date, r.id_number, r.political_status,
                      r.education, "", r.group_path, r.position, r.category, "否", r.joined_on,
                      r.card_number, r.phone, r.model_worker_level, "否", 5000, r.status, ""])  # fmt: skip
    workbook.save(out)


def ours_export(db_path: Path, out: Path) -> None:
    from app.db import open_database
    from app.services.roster_export import export_roster
    from app.services.roster_index import RosterFilter

    db = open_database(db_path)
    with db.session() as session:
        export_roster(session, out, flt=RosterFilter())


def _child(task: str, *args: str) -> tuple[float, float]:
    """Seconds and peak MB of one task in a fresh process (so imports and memory count)."""
    start = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--task", task, *args], check=True)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return elapsed, peak


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--task", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.task:
        task, *rest = args.task
        {"floor_import": lambda: floor_import(Path(rest[0]), Path(rest[1])),
         "ours_import": lambda: ours_import(Path(rest[0]), Path(rest[1])),
         "floor_export": lambda: floor_export(Path(rest[0]), Path(rest[1])),
         "ours_export": lambda: ours_export(Path(rest[0]), Path(rest[1]))}[task]()  # fmt: skip
        return 0
    os.environ.setdefault("UNIONDESK_HOME", tempfile.mkdtemp(prefix="ud-bench-"))
    folder = Path(tempfile.mkdtemp(prefix="ud-bench-excel-"))
    print(f"building a {args.members}-member demo and its roster file …", flush=True)
    db_path, xlsx = make_source(folder, args.members)
    from app.db import open_database

    open_database(folder / "empty.db").close()
    results = {}
    for task, a, b in (("floor_import", xlsx, folder / "f1"), ("ours_import", xlsx, folder / "o1"),
                       ("floor_export", db_path, folder / "f.xlsx"), ("ours_export", db_path, folder / "o.xlsx")):  # fmt: skip
        if task.endswith("import"):
            Path(b).mkdir()
        results[task] = _child(task, str(a), str(b))
    fi, oi = results["floor_import"][0], results["ours_import"][0]
    fe, oe = results["floor_export"][0], results["ours_export"][0]
    print(f"members: {args.members}")
    print(f"import: floor {fi:.2f} s, UnionDesk {oi:.2f} s, ratio {oi / fi:.2f}x (target <= 2.5x)")
    print(f"export: floor {fe:.2f} s, UnionDesk {oe:.2f} s, ratio {oe / fe:.2f}x (target <= 1.5x)")
    print(f"peak memory of any child process: {max(r[1] for r in results.values()):.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
