"""慰问 (care) at the sizes of its speed targets, as ratios against floors measured in the same run.

    python bench/bench_care.py [--repeat 3] [--recipients 1000] [--rows 5000]

- sign sheet: the 慰问金发放签领表 of a 1,000-recipient 集中发放 (a batch to everyone on the
  roll, ``create_batch`` with ``Chooser.EVERYONE``), rendered by ``print_batch``, against the
  floor: the same cells (序号 姓名 部门 事由 金额 blank signature 日期 备注, read with
  ``list_care``) in a bare reportlab ``SimpleDocTemplate`` + ``Table(repeatRows=1)``, every
  cell a ``Paragraph`` with ``wordWrap='CJK'``, in the same TrueType font file registered
  with ``TTFont``. Both in this process, after one untimed render each (reportlab imported,
  fonts loaded); only the rendering is timed (UnionDesk's includes the reads
  ``print_batch`` does), into the same temporary folder                     (target <= 1.5x)
- import: a 5,000-row 慰问登记表 (.xlsx: a title row, 序号 日期 姓名 身份证号 部门 慰问事由
  慰问金 慰问品 慰问品价值 经办人 备注, a 合计 row; people by ID number or by name + 部门,
  the secretary's words for occasions, some dates without a year, a few visits over a cap),
  imported as the program does it once running (``import_timing.in_program``: the
  command's ``run_import`` after its start-up, the first import of a fresh process), against
  the floor: a bare python-calamine read of the same sheet plus a raw sqlite3 executemany of
  the same number of rows into ``care_records`` of a fresh copy of the same 账套, timed
  after its own import of python_calamine                                (target <= 2x)
  The command's and the floor's whole processes are compared too, for information.

Both on the same demo 账套 (``build_demo``: members, their dues, the demo's own care records
and batches; 安徽's caps), built first and not timed.

Each task runs ``--repeat`` rounds, floor and UnionDesk in the same round (the machines are
shared and noisy); the ratio of each round is printed, then min / median / max, the target
judged on the median.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from import_timing import import_round, in_program, spread, whole_command

TODAY = date(2026, 12, 20)
YEAR = TODAY.year
SHEET_TARGET = 1.5
IMPORT_TARGET = 2.0
# the 签领表's columns and their widths (mm) as app/services/care/printouts.py has them
SHEET_COLUMNS = (("序号", 10), ("姓名", 17), ("部门", 24), ("事由", 24), ("金额（元）", 20),
                 ("领取人签字", 24), ("日期", 17), ("备注", 22))  # fmt: skip
REGISTER_HEAD = ["序号", "日期", "姓名", "身份证号", "部门", "慰问事由", "慰问金", "慰问品", "慰问品价值",
                 "经办人", "备注"]  # fmt: skip
# (慰问事由 as written, 慰问金 yuan, 慰问品, 慰问品价值 yuan): within the 安徽 caps of the demo union
FESTIVALS = (("春节慰问", 0, "米、面、油", 300), ("中秋慰问", 0, "月饼", 200))
BIRTHDAY = ("生日蛋糕", 0, "生日蛋糕券（指定蛋糕店）", 200)
OTHERS = (
    ("住院慰问", 800, "", 0), ("生病住院", 500, "", 0), ("手术住院", 1000, "", 0), ("结婚", 600, "", 0),
    ("新婚", 0, "床上用品", 500), ("生育慰问", 600, "", 0), ("父亲去世", 1000, "", 0),
    ("母亲病故", 1000, "", 0), ("光荣退休", 0, "纪念品", 800), ("金秋助学", 1000, "", 0),
    ("夏送清凉", 0, "防暑降温用品", 100), ("困难补助", 2000, "", 0), ("端午慰问", 0, "粽子", 100),
)  # fmt: skip
OVER_CAP = ("住院慰问", 1200, "", 0)  # 住院 is at most 1,000 yuan a time: imported, flagged


def build_union(folder: Path, recipients: int) -> Path:
    """A demo 账套 with at least ``recipients`` members on the roll (the demo's dues and care with them)."""
    from app.db import open_database
    from app.services.system.demo import build_demo

    path = folder / "union.db"
    db = open_database(path, create=True)
    with db.session() as session:
        build_demo(session, members=recipients * 5 // 4 + 50, today=TODAY)
    db.close()
    return path


def members(path: Path, *, roll_only: bool = True) -> list[tuple[int, str, str, str]]:
    """(id, name, ID number, 部门 as written: the group's own name) of everyone on the roll (or
    everyone in the roster)."""
    con = sqlite3.connect(path)
    people = con.execute(
        "SELECT m.id, m.name, coalesce(m.id_number, ''), coalesce(g.name, '') FROM members m "
        "LEFT JOIN groups g ON g.id = m.group_id "
        + ("WHERE m.status IN ('在会', '保留会籍') " if roll_only else "")
        + "ORDER BY m.id"
    ).fetchall()
    con.close()
    return people


def make_batch(path: Path, recipients: int) -> int:
    """送温暖 cash to everyone on the roll, less those past the first ``recipients``."""
    from app.db import open_database
    from app.domain.care import Occasion
    from app.services.care import BatchInput, Chooser, create_batch

    people = members(path)
    if len(people) < recipients:
        raise SystemExit(f"the demo has only {len(people)} members on the roll")
    db = open_database(path)
    with db.session() as session:
        batch = create_batch(
            session,
            BatchInput(
                name=f"{YEAR}年冬季送温暖慰问金",
                occasion=Occasion.WARMTH,
                day=TODAY,
                cash_fen=50_000,
                chooser=Chooser.EVERYONE,
                approver="李建国",
                visitors="王秀兰",
                leave_out=frozenset(p[0] for p in people[recipients:]),
            ),
            today=TODAY,
        )
    db.close()
    return batch


def sheet_cells(path: Path, batch: int) -> list[list[str]]:
    """The 签领表's cells of the batch, as printed (amounts in yuan, the signature blank)."""
    from app.db import open_database
    from app.domain.money import format_fen
    from app.services.care import list_care

    db = open_database(path)
    with db.reader() as session:
        records = list_care(session, batch_id=batch)
    db.close()
    return [
        [str(n), r.recipient, r.group, r.what, format_fen(r.amount_fen), "", f"{r.day.month}月{r.day.day}日",
         f"超标准：{r.reason}" if r.over_cap else r.note]
        for n, r in enumerate(records, start=1)
    ]  # fmt: skip


@dataclass
class Floor:
    """The bare reportlab document: the font registered (once), the page as ours."""

    font: str
    pages: int = 0

    @classmethod
    def register(cls) -> Floor:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        from app.services.printing.fonts import choose_font, system_body_fonts

        chosen = choose_font(system_body_fonts())  # what pdf_fonts() prints the body in
        pdfmetrics.registerFont(TTFont("BenchFloor", str(chosen.path), subfontIndex=chosen.subfont))
        print(f"font: {chosen.path} (face {chosen.subfont})", flush=True)
        return cls("BenchFloor")

    def render(self, cells: list[list[str]], out: Path) -> float:
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.lib.units import mm
        from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

        start = time.perf_counter()
        style = ParagraphStyle("floor", fontName=self.font, fontSize=10, leading=13.5, wordWrap="CJK")
        document = SimpleDocTemplate(str(out), pagesize=A4, topMargin=15 * mm, bottomMargin=18 * mm,
                                     leftMargin=15 * mm, rightMargin=15 * mm)  # fmt: skip
        scale = document.width / sum(w * mm for _h, w in SHEET_COLUMNS)
        data = [[Paragraph(h, style) for h, _w in SHEET_COLUMNS]]
        data += [[Paragraph(text, style) for text in row] for row in cells]
        table = Table(data, colWidths=[w * mm * scale for _h, w in SHEET_COLUMNS], repeatRows=1)
        table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), self.font, 10),
                                   ("GRID", (0, 0), (-1, -1), 0.5, "black")]))  # fmt: skip
        document.build([table])
        elapsed = time.perf_counter() - start
        self.pages = document.page
        return elapsed


def ours_render(db: Any, batch: int, out: Path) -> float:
    from app.services.care import print_batch

    with db.reader() as session:
        start = time.perf_counter()
        people = print_batch(session, batch, out)
        elapsed = time.perf_counter() - start
    assert people > 0 and out.is_file()
    return elapsed


def pdf_pages(path: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", path.read_bytes()))


def write_register(path: Path, rows: int, out: Path) -> dict[str, int]:
    """The year's 慰问登记表 of the members on the roll, in date order, ``rows`` visits."""
    from openpyxl import Workbook

    rng = random.Random(YEAR)
    people = members(path)
    # the importer looks in the whole roster: a name + 部门 must name one person there
    named = Counter((name, group) for _id, name, _number, group in members(path, roll_only=False))
    visits: list[tuple[date, tuple[str, str, str], tuple[str, int, str, int]]] = []
    for i in range(rows):
        _id, name, number, group = people[i % len(people)]
        kind = i // len(people)
        if kind < len(FESTIVALS):
            what, day = FESTIVALS[kind], date(YEAR, (1, 9)[kind], rng.randint(10, 28))
        elif kind == len(FESTIVALS):
            what, day = BIRTHDAY, date(YEAR, rng.randint(1, 11), rng.randint(1, 28))
        else:
            what = OVER_CAP if rng.random() < 0.02 else rng.choice(OTHERS)
            day = date(YEAR, rng.randint(1, 11), rng.randint(1, 28))
        # most rows carry the ID number; some only name + 部门, where that names one person
        by_name = rng.random() < 0.2 and named[(name, group)] == 1 and bool(group)
        visits.append((day, (name, "" if by_name else number, group if by_name else ""), what))
    visits.sort(key=lambda v: v[0])
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("慰问登记")
    sheet.append([f"{YEAR}年慰问登记表"])
    sheet.append(REGISTER_HEAD)
    total = 0
    for n, (day, (name, number, group), (word, cash, goods, value)) in enumerate(visits, start=1):
        written: object = f"{day.month}月{day.day}日" if rng.random() < 0.1 else day
        total += cash + value
        sheet.append([n, written, name, number, group, word, cash or "", goods, value or "", "王秀兰", ""])
    sheet.append(["合计", "", "", "", "", "", "", "", "", "", ""])
    workbook.save(out)
    return {"rows": rows, "by_name": sum(1 for v in visits if not v[1][1]), "yuan": total}


INSERT = (
    "INSERT INTO care_records (member_id, recipient, day, occasion, variant, cash_fen, goods, goods_fen, "
    "funding, visitors, approver, voucher_no, documents, note, over_cap, reason, source, batch_id, "
    "created_at, updated_at) VALUES (NULL, ?, ?, ?, '', ?, ?, ?, '本级经费', ?, '', '', '', ?, '', '', "
    "'导入', NULL, ?, ?)"
)


def _fen(cell: object) -> int:
    return round(cell * 100) if isinstance(cell, int | float) else 0  # a blank cell is ""


def floor_import(xlsx: Path, db: Path) -> dict[str, float]:
    start = time.perf_counter()
    from python_calamine import CalamineWorkbook

    imported = time.perf_counter()
    rows = CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_index(0).to_python()
    now = time.strftime("%Y-%m-%d %H:%M:%S")
    con = sqlite3.connect(db)
    con.executemany(
        INSERT,
        [
            (r[2], str(r[1]), r[5], _fen(r[6]), r[7], _fen(r[8]), r[9], r[10], now, now)
            for r in rows[2:]
            if isinstance(r[0], int | float)  # the 合计 row left out
        ],
    )  # fmt: skip
    con.commit()
    con.close()
    return {"imports": imported - start, "work": time.perf_counter() - imported}


def _argv(xlsx: Path, db: Path) -> list[str]:
    """The command a secretary would run: ``uniondesk --db … care import FILE --year …``."""
    return ["--db", str(db), "care", "import", str(xlsx), "--year", str(YEAR), "--json"]


def ours_import(xlsx: Path, db: Path) -> dict[str, Any]:
    return in_program(_argv(xlsx, db), ["app.services.care.importer"])


def ours_command(xlsx: Path, db: Path) -> dict[str, Any]:
    return whole_command(_argv(xlsx, db))


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    import reportlab

    return (
        f"machine: {os.cpu_count()} cores ({usable} usable){f', {model}' if model else ''}; "
        f"Python {platform.python_version()} ({platform.python_implementation()}) on {platform.platform()}; "
        f"reportlab {reportlab.Version}, SQLite {sqlite3.sqlite_version}"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--recipients", type=int, default=1000, help="people on the 签领表")
    parser.add_argument("--rows", type=int, default=5000, help="rows of the 慰问登记表")
    parser.add_argument("--task", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.task:
        tasks = {"floor_import": floor_import, "ours_import": ours_import, "ours_command": ours_command}
        said = tasks[args.task[0]](Path(args.task[1]), Path(args.task[2]))
        print(json.dumps(said))
        return 0
    os.environ.setdefault("UNIONDESK_HOME", tempfile.mkdtemp(prefix="ud-bench-home-"))
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(Path(__file__).parent.parent / "app")], check=True
    )
    folder = Path(tempfile.mkdtemp(prefix="ud-bench-care-"))
    print(machine(), flush=True)
    print(f"building a demo 账套 with {args.recipients}+ members on the roll …", flush=True)
    union = build_union(folder, args.recipients)

    # 1. the 签领表
    sheet_db = folder / "sheet.db"
    shutil.copy(union, sheet_db)
    batch = make_batch(sheet_db, args.recipients)
    cells = sheet_cells(sheet_db, batch)
    from app.db import open_database

    db = open_database(sheet_db)
    start = time.perf_counter()
    ours_render(db, batch, folder / "warm-ours.pdf")  # reportlab imported, the fonts loaded
    cold = time.perf_counter() - start
    floor_doc = Floor.register()
    floor_doc.render(cells, folder / "warm-floor.pdf")
    print(f"签领表 of {len(cells)} people: UnionDesk {pdf_pages(folder / 'warm-ours.pdf')} pages, "
          f"floor {floor_doc.pages} pages; UnionDesk's first render in the process "
          f"(importing reportlab, loading the font) {cold:.2f} s (not counted)", flush=True)  # fmt: skip
    sheets: list[tuple[float, float]] = []
    for round_ in range(args.repeat):
        floor = floor_doc.render(cells, folder / f"floor{round_}.pdf")
        ours = ours_render(db, batch, folder / f"ours{round_}.pdf")
        sheets.append((floor, ours))
        print(f"round {round_ + 1} 签领表: floor {floor:.2f} s, UnionDesk {ours:.2f} s, "
              f"ratio {ours / floor:.2f}x", flush=True)  # fmt: skip
    db.close()

    # 2. the 慰问登记表
    xlsx = folder / "register.xlsx"
    made = write_register(union, args.rows, xlsx)
    print(f"慰问登记表: {made['rows']} rows ({made['by_name']} by name + 部门 only), "
          f"{made['yuan']:,} yuan, {xlsx.stat().st_size // 1024} KB", flush=True)  # fmt: skip
    works: list[tuple[float, float]] = []
    wholes: list[tuple[float, float]] = []
    for round_ in range(args.repeat):
        ours_db, command_db, floor_db = (
            folder / f"{name}{round_}.db" for name in ("import", "command", "floor")
        )
        for copy in (ours_db, command_db, floor_db):
            shutil.copy(union, copy)
        work, whole, said, command_said = import_round(
            __file__, f"round {round_ + 1} import", xlsx, floor_db, ours_db, command_db
        )
        for told in (said, command_said):
            assert told["new"] == args.rows and not told["errors"], told
        works.append(work)
        wholes.append(whole)
    shutil.rmtree(folder, ignore_errors=True)

    print(machine())
    for label, rounds, target in (
        (f"签领表 of {len(cells)} people (print_batch vs bare SimpleDocTemplate)", sheets, SHEET_TARGET),
        (f"import of {args.rows} rows (care import in the program, vs calamine + executemany)", works,
         IMPORT_TARGET),
        ("  the same as whole processes (start-up and module imports included; for information)",
         wholes, None),
    ):  # fmt: skip
        ratios = [ours / floor for floor, ours in rounds]
        met = "" if target is None else "met" if statistics.median(ratios) <= target else "NOT met"
        print(f"{label}: ratio {spread(ratios)}{f' (target <= {target}x: {met})' if target else ''}; "
              f"UnionDesk {spread([o for _f, o in rounds], ' s')}, floor {spread([f for f, _o in rounds], ' s')}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
