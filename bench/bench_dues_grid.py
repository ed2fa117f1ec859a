"""The 会费 grid at 50,000 members: one screen of cells, against floors measured in the same run.

    python bench/bench_dues_grid.py [--members 50000] [--db FILE] [--rows 40] [--screens 30]

Builds (or reuses, with --db) a demo 账套 whose dues are rolled and paid (`uniondesk demo`:
two years), loads the page's grid model offscreen as the page does, and prints, each the
median over ``--screens`` screens at random places in the list:

- screen: ``data()`` for one screen of cells whose block has been read — ``--rows`` rows ×
  15 columns (姓名, 部门, 会费基数, the twelve months) × DisplayRole + BackgroundRole +
  ToolTipRole                                                               (target <= 16 ms)
  against two floors over the same cells and roles, measured in the same run: a plain dict
  lookup per call, and a filled QStandardItemModel's ``data()``
- full screen: every visible column (19) × the five roles a repaint and a hover ask
  (Display, Background, Foreground, ToolTip, TextAlignment), read and not yet read (then
  each cell answers "…" and its block is queued: what scrolling to a new place costs)
- block: reading one block of ``BLOCK_SIZE`` members' twelve months and balance
  (``grid_rows``: on a worker thread in the program, never on the GUI thread)
- paint: the table painting one screen offscreen, against a bare Python table model that
  answers a constant (the cost of Qt calling into Python for every cell and role) and a
  QStandardItemModel with the same texts and colours (no Python at all)
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
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

TARGET_MS = 16


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


def _ms(work: Callable[[], object]) -> float:
    begin = time.perf_counter()
    work()
    return (time.perf_counter() - begin) * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--db", help="reuse a demo 账套 instead of building one")
    parser.add_argument("--rows", type=int, default=40)
    parser.add_argument("--screens", type=int, default=30)
    args = parser.parse_args()
    db_path = args.db or build(args.members)
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ.setdefault("UNIONDESK_HOME", tempfile.mkdtemp(prefix="ud-bench-"))

    from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QTableView

    from app.db import open_database
    from app.services.dues.page_data import grid_rows, load_members
    from app.ui.app import create_application
    from app.ui.dues.grid_model import BLOCK_SIZE, SCOPE_ALL, DuesGridModel, GridFilter
    from app.ui.tables import RowTableView

    app, _collector = create_application()  # as the program: its font, garbage collection on a timer
    db = open_database(Path(db_path), create=False)
    year = date.today().year

    def fetch(year: int, ids: list[int], deliver: Any) -> None:
        with db.reader() as session:
            deliver(grid_rows(session, year, ids))

    with db.reader() as session:
        begin = time.perf_counter()
        members = load_members(session, year)
        load_ms = (time.perf_counter() - begin) * 1000
    model = DuesGridModel(fetch)
    model.set_members(members, GridFilter(scope=SCOPE_ALL))
    rows_total = model.rowCount()
    view = RowTableView("bench_dues_grid", model, default_sort=("name", Qt.SortOrder.AscendingOrder))
    view.resize(1300, 26 * args.rows + 30)
    view.show()
    app.processEvents()
    visible = [c for c in range(model.columnCount()) if not view.isColumnHidden(c)]
    brief = [model.column_index(k) for k in ("name", "group", "wage")] + list(
        range(model.first_month, model.first_sum)
    )
    role = Qt.ItemDataRole
    brief_roles = [role.DisplayRole, role.BackgroundRole, role.ToolTipRole]
    all_roles = [*brief_roles, role.ForegroundRole, role.TextAlignmentRole]
    rng = random.Random(7)
    starts = [rng.randrange(0, max(rows_total - args.rows, 1)) for _ in range(args.screens)]

    def screen(first: int, columns: Sequence[int], roles: Sequence[Any]) -> float:
        begin = time.perf_counter()
        index, data = model.index, model.data
        for r in range(first, first + args.rows):
            for c in columns:
                i = index(r, c)
                for asked in roles:
                    data(i, asked)
        return (time.perf_counter() - begin) * 1000

    def drain() -> None:
        while model.pending:
            QTest.qWait(5)  # the event loop runs in C++: one call from Python per 5 ms

    first_look, filled, full = [], [], []
    for first in starts:
        first_look.append(screen(first, visible, all_roles))  # not read yet: "…", the block queued
        drain()  # the block (and the next) read, synchronously here
        filled.append(screen(first, brief, brief_roles))
        full.append(screen(first, visible, all_roles))
    blocks = []
    for first in starts[:10]:
        ids = [model.row_at(p).id for p in range(first, min(first + BLOCK_SIZE, rows_total))]
        with db.reader() as session:
            begin = time.perf_counter()
            grid_rows(session, year, ids)
            blocks.append((time.perf_counter() - begin) * 1000)

    # floors over the same cells and roles
    values = {(r, c, asked): f"{r}:{c}" for r in range(args.rows) for c in brief for asked in brief_roles}

    def lookups() -> None:
        for r in range(args.rows):
            for c in brief:
                for asked in brief_roles:
                    values[(r, c, asked)]

    plain = [_ms(lookups) for _ in starts]
    standard = QStandardItemModel(args.rows, len(visible))
    for r in range(args.rows):
        for j, c in enumerate(visible):
            source = model.index(starts[0] + r, c)
            item = QStandardItem(str(source.data()))
            # every role asked is set: PySide6 on Python 3.11 mis-counts None from a C++ model
            item.setBackground(source.data(role.BackgroundRole) or Qt.GlobalColor.white)
            item.setForeground(Qt.GlobalColor.black)
            item.setToolTip(str(source.data(role.ToolTipRole)))
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            standard.setItem(r, j, item)
    brief_positions = [visible.index(c) for c in brief]

    def standard_screen() -> None:
        index, data = standard.index, standard.data
        for r in range(args.rows):
            for j in brief_positions:
                i = index(r, j)
                for asked in brief_roles:
                    data(i, asked)

    qt_floor = [_ms(standard_screen) for _ in starts]

    class Bare(QAbstractTableModel):
        """The least a Python model can do: a constant for the text, nothing else."""

        def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
            return 0 if parent.isValid() else rows_total

        def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
            return 0 if parent.isValid() else len(visible)

        def data(self, index: QModelIndex | QPersistentModelIndex, asked: int = 0) -> Any:
            return "已缴" if asked == role.DisplayRole else None

    def table(on: Any) -> QTableView:
        other = QTableView()
        other.setModel(on)
        other.verticalHeader().setDefaultSectionSize(26)
        for j, c in enumerate(visible):
            other.setColumnWidth(j, view.columnWidth(c))
        other.resize(view.size())
        other.show()
        return other

    bare_model = Bare()
    bare_view, standard_view = table(bare_model), table(standard)
    app.processEvents()
    paints, bare_paints, standard_paints = [], [], []
    for first in starts[:15]:
        view.scrollTo(view.proxy.index(first, 0), view.ScrollHint.PositionAtTop)
        app.processEvents()
        drain()
        paints.append(_ms(lambda: view.viewport().grab()))
        bare_paints.append(_ms(lambda: bare_view.viewport().grab()))
        standard_paints.append(_ms(lambda: standard_view.viewport().grab()))

    med = statistics.median
    ms, ms_plain, ms_qt = med(filled), med(plain), med(qt_floor)
    brief_calls = args.rows * len(brief) * len(brief_roles)
    full_calls = args.rows * len(visible) * len(all_roles)
    print(
        f"members: {rows_total} (their grid rows read in {load_ms:.0f} ms, in the background in the program)"
    )
    print(
        f"screen ({args.rows} rows x {len(brief)} columns x Display+Background+ToolTip = {brief_calls} data() calls): "
        f"{ms:.2f} ms (target <= {TARGET_MS} ms: {'met' if ms <= TARGET_MS else 'NOT met'}); "
        f"floors: dict lookups {ms_plain:.2f} ms (ratio {ms / ms_plain:.1f}x), "
        f"QStandardItemModel.data() {ms_qt:.2f} ms (ratio {ms / ms_qt:.2f}x)"
    )
    print(
        f"full screen ({args.rows} rows x {len(visible)} visible columns x 5 roles = {full_calls} calls): "
        f"{med(full):.2f} ms read, {med(first_look):.2f} ms before its block is read (cells say “…”, block queued)"
    )
    print(
        f"block of {BLOCK_SIZE} members read (grid_rows, on a worker thread in the program): {med(blocks):.1f} ms"
    )
    print(
        f"paint of one screen offscreen: {med(paints):.1f} ms; floors: a bare Python model "
        f"{med(bare_paints):.1f} ms (ratio {med(paints) / med(bare_paints):.2f}x), a QStandardItemModel "
        f"{med(standard_paints):.1f} ms (ratio {med(paints) / med(standard_paints):.2f}x)"
    )
    db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
