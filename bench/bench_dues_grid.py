"""The 会费 grid at 50,000 members: one screen of cells, against floors measured in the same run.

    python bench/bench_dues_grid.py [--members 50000] [--db FILE] [--rows 40] [--screens 30]

Builds (or reuses, with --db) a demo 账套 whose dues are rolled and paid (`uniondesk demo`),
loads the page's grid model offscreen as the page does, and prints:

- screen: ``data()`` for every visible cell of one screen (``--rows`` rows × the grid's
  visible columns), DisplayRole + BackgroundRole + ForegroundRole + ToolTipRole +
  TextAlignmentRole, with the screen's cells read — what one repaint asks     (target <= 16 ms)
  against two floors over the same number of calls: a plain dict lookup per cell and role,
  and a filled QStandardItemModel's ``data()``
- first look: the same screen before its block has been read (each cell answers "…" and
  the block is queued) — what scrolling to a new place costs on the GUI thread
- block: reading one block of ``BLOCK_SIZE`` members' twelve months and balance
  (``grid_rows``, on a worker thread in the program, so never on the GUI thread)
- paint: the table widget painting one screen offscreen (delegates, text, colours)

Each figure is the median over ``--screens`` screens at random places in the list.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ROLES_NAMES = ("DisplayRole", "BackgroundRole", "ForegroundRole", "ToolTipRole", "TextAlignmentRole")


def _env() -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", UNIONDESK_HOME=tempfile.mkdtemp(prefix="ud-bench-"))


def build(members: int) -> str:
    db = str(Path(tempfile.mkdtemp(prefix="ud-bench-")) / "dues.db")
    print(f"building a demo 账套 with {members} members and two years of dues …", flush=True)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "app", "--db", db, "demo", "--members", str(members)],
        check=True,
        env=_env(),
        stdout=subprocess.DEVNULL,
    )
    print(f"  built in {time.perf_counter() - start:.0f} s: {db}", flush=True)
    return db


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--db", help="reuse a demo 账套 instead of building one")
    parser.add_argument("--rows", type=int, default=40)
    parser.add_argument("--screens", type=int, default=30)
    args = parser.parse_args()
    db_path = args.db or build(args.members)
    os.environ.update(QT_QPA_PLATFORM="offscreen")
    os.environ.setdefault("UNIONDESK_HOME", tempfile.mkdtemp(prefix="ud-bench-"))

    from PySide6.QtCore import Qt
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication

    from app.db import open_database
    from app.services.dues.page_data import grid_rows, load_members
    from app.ui.dues.grid_model import BLOCK_SIZE, DuesGridModel, GridFilter, SCOPE_ALL
    from app.ui.tables import RowTableView

    app = QApplication.instance() or QApplication(sys.argv)
    db = open_database(Path(db_path), create=False)
    year = date.today().year

    def fetch(year: int, ids: list[int], deliver: Any) -> None:
        with db.reader() as session:
            deliver(grid_rows(session, year, ids))

    with db.reader() as session:
        start = time.perf_counter()
        members = load_members(session, year)
        load_ms = (time.perf_counter() - start) * 1000
    model = DuesGridModel(fetch)
    model.set_members(members, GridFilter(scope=SCOPE_ALL))
    rows_total = model.rowCount()
    view = RowTableView("bench_dues_grid", model, default_sort=("name", Qt.SortOrder.AscendingOrder))
    view.resize(1300, 26 * args.rows + 30)
    view.show()
    app.processEvents()
    columns = [c for c in range(model.columnCount()) if not view.isColumnHidden(c)]
    roles = [getattr(Qt.ItemDataRole, name) for name in ROLES_NAMES]
    calls = args.rows * len(columns) * len(roles)
    rng = random.Random(7)
    starts = [rng.randrange(0, max(rows_total - args.rows, 1)) for _ in range(args.screens)]

    def screen(first: int) -> float:
        begin = time.perf_counter()
        index, data = model.index, model.data
        for r in range(first, first + args.rows):
            for c in columns:
                i = index(r, c)
                for role in roles:
                    data(i, role)
        return (time.perf_counter() - begin) * 1000

    def drain() -> None:
        while model.pending:
            app.processEvents()

    first_look, filled = [], []
    for first in starts:
        first_look.append(screen(first))  # cells not read: "…", the block queued
        drain()  # the block (and the next) read, synchronously here
        filled.append(screen(first))
    blocks = []
    for first in starts[:10]:
        ids = [model.row_at(p).id for p in range(first, min(first + BLOCK_SIZE, rows_total))]
        with db.reader() as session:
            begin = time.perf_counter()
            grid_rows(session, year, ids)
            blocks.append((time.perf_counter() - begin) * 1000)

    # floors over the same number of calls
    values = {(r, c, role): f"{r}:{c}" for r in range(args.rows) for c in columns for role in roles}
    plain = []
    for _ in starts:
        begin = time.perf_counter()
        for r in range(args.rows):
            for c in columns:
                for role in roles:
                    values[(r, c, role)]
        plain.append((time.perf_counter() - begin) * 1000)
    standard = QStandardItemModel(args.rows, len(columns))
    for r in range(args.rows):
        for j, c in enumerate(columns):
            item = QStandardItem(str(model.index(starts[0] + r, c).data()))
            # every asked role set: PySide6 on Python 3.11 mis-counts None answered by a C++ model
            item.setBackground(Qt.GlobalColor.white)
            item.setForeground(Qt.GlobalColor.black)
            item.setToolTip("应缴 15.40 元，已缴 15.40 元")
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            standard.setItem(r, j, item)
    qt_floor = []
    for _ in starts:
        begin = time.perf_counter()
        index, data = standard.index, standard.data
        for r in range(args.rows):
            for j in range(len(columns)):
                i = index(r, j)
                for role in roles:
                    data(i, role)
        qt_floor.append((time.perf_counter() - begin) * 1000)

    paints = []
    for first in starts[:10]:
        view.scrollTo(view.proxy.index(first, 0), view.ScrollHint.PositionAtTop)
        app.processEvents()
        drain()
        begin = time.perf_counter()
        view.viewport().grab()
        paints.append((time.perf_counter() - begin) * 1000)

    med = statistics.median
    ms_filled, ms_plain, ms_qt = med(filled), med(plain), med(qt_floor)
    print(f"members: {rows_total} (grid rows loaded in {load_ms:.0f} ms, in the background in the program)")
    print(f"one screen: {args.rows} rows x {len(columns)} visible columns x {len(roles)} roles = {calls} data() calls")
    print(
        f"screen, cells read: {ms_filled:.2f} ms (target <= 16 ms); floors: dict lookups {ms_plain:.2f} ms "
        f"(ratio {ms_filled / ms_plain:.1f}x), QStandardItemModel.data() {ms_qt:.2f} ms "
        f"(ratio {ms_filled / ms_qt:.2f}x)"
    )
    print(f"screen, first look (not read yet, block queued): {med(first_look):.2f} ms")
    print(f"block of {BLOCK_SIZE} members read (grid_rows, on a worker thread in the program): {med(blocks):.1f} ms")
    print(f"paint of one screen offscreen (QTableView, delegates): {med(paints):.1f} ms")
    db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
