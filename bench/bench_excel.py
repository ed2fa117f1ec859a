"""Roster import and export against their floors, as ratios measured in one run.

    python bench/bench_excel.py [--members 50000] [--repeat 3]

- import: a clean 50,000-row, 15-column .xlsx into an empty 账套 (created before the clock),
  end to end through the command line (read, check, pinyin keys, insert, commit), against
  the floor: a bare python-calamine read of the same file plus a raw sqlite3 executemany
  of the same rows                                                          (target <= 2.5x)
- export: 50,000 members to a formatted .xlsx against a bare openpyxl write-only dump of
  the same values                                                         (target <= 1.5x)
- peak memory of each, measured in its own process.

Each task runs in a fresh process, floor and UnionDesk interleaved, ``--repeat`` times; the
ratio printed is the median of the per-round ratios (the machines are shared and noisy).
UnionDesk's bytecode is compiled first, as pip and PyInstaller do when installing.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import statistics
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
    from app.services.roster.search import load_roster
    from app.services.system.demo import build_demo

    db_path = folder / "source.db"
    db = open_database(db_path)
    with db.session() as session:
        build_demo(session, members=members, dues=False, care=False, activities=False)
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
    """The command a secretary would run: ``uniondesk --db … roster import FILE``."""
    import contextlib
    import io
    import json

    from app.cli import run_program  # the command as the program runs it

    out = io.StringIO()
    with contextlib.redirect_stdout(out):  # the child's stdout carries its peak memory
        code = run_program(["--db", str(folder / "empty.db"), "roster", "import", str(xlsx), "--json"])
    result = json.loads(out.getvalue())
    assert code == 0 and result["written"] and result["new"] > 0, result


def floor_export(db_path: Path, out: Path) -> None:
    from openpyxl import Workbook

    from app.db import open_database
    from app.services.roster.export import EXPORT_COLUMNS
    from app.services.roster.search import load_roster

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
    from app.services.roster.export import export_roster
    from app.services.roster.index import RosterFilter

    db = open_database(db_path)
    with db.session() as session:
        export_roster(session, out, flt=RosterFilter())


def _child(task: str, *args: str) -> tuple[float, float]:
    """Seconds and peak MB of one task in a fresh process (so imports and memory count)."""
    start = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, __file__, "--task", task, *args], check=True, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    return elapsed, float(completed.stdout.split()[-1])


def _task(task: str, a: Path, b: Path) -> None:
    {"floor_import": floor_import, "ours_import": ours_import,
     "floor_export": floor_export, "ours_export": ours_export}[task](a, b)  # fmt: skip
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--task", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.task:
        _task(args.task[0], Path(args.task[1]), Path(args.task[2]))
        return 0
    os.environ.setdefault("UNIONDESK_HOME", tempfile.mkdtemp(prefix="ud-bench-home-"))
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(Path(__file__).parent.parent / "app")], check=True
    )
    folder = Path(tempfile.mkdtemp(prefix="ud-bench-excel-"))
    print(f"building a {args.members}-member demo and its roster file …", flush=True)
    db_path, xlsx = make_source(folder, args.members)
    from app.db import open_database

    open_database(folder / "template.db").close()
    ratios: dict[str, list[float]] = {"import": [], "export": []}
    peaks: dict[str, float] = {}
    for round_ in range(args.repeat):
        run = folder / f"round{round_}"
        for kind in ("import", "export"):
            if kind == "import":
                for side in ("floor", "ours"):
                    (run / side).mkdir(parents=True)
                shutil.copy(folder / "template.db", run / "ours" / "empty.db")
                floor = _child("floor_import", str(xlsx), str(run / "floor"))
                ours = _child("ours_import", str(xlsx), str(run / "ours"))
            else:
                floor = _child("floor_export", str(db_path), str(run / "floor.xlsx"))
                ours = _child("ours_export", str(db_path), str(run / "ours.xlsx"))
            ratios[kind].append(ours[0] / floor[0])
            peaks[kind] = max(peaks.get(kind, 0.0), ours[1])
            print(f"round {round_ + 1} {kind}: floor {floor[0]:.2f} s, UnionDesk {ours[0]:.2f} s, "
                  f"ratio {ours[0] / floor[0]:.2f}x", flush=True)  # fmt: skip
    shutil.rmtree(folder, ignore_errors=True)
    print(f"members: {args.members}")
    for kind, target in (("import", 2.5), ("export", 1.5)):
        print(f"{kind}: median ratio {statistics.median(ratios[kind]):.2f}x (target <= {target}x), "
              f"peak memory {peaks[kind]:.0f} MB")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
