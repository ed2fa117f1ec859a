"""Roster speed and memory with a 50,000-member 账套, as ratios measured in one run.

    python bench/bench_roster.py [--members 50000] [--runs 5] [--db FILE]

Prints:
- start ratio: `uniondesk gui --quit-when-ready` (first roster page on screen) against a
  bare PySide6 QMainWindow start, both as whole processes, medians   (target ≤ 3×)
- keystroke p95: typing into the search box until the table is repainted  (target ≤ 50 ms)
- peak memory of the GUI process with the whole roster loaded and searched (target ≤ 400 MB)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The floor: a bare PySide6 window, reporting its process age when shown, as ours does.
BARE = """
import sys, time
t0 = time.perf_counter()
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.show()
def ready():
    from app.ui.app import process_age_ms
    print(f"ready {round(process_age_ms(t0))}", flush=True)
    app.quit()
QTimer.singleShot(0, ready)
app.exec()
"""

QUERIES = ["zw", "zhangwei", "张伟", "wang", "3401", "1395", "hd2020", "lf", "chenjing", "李"]


def _env() -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", UNIONDESK_HOME=tempfile.mkdtemp(prefix="ud-bench-"))


def _timed(cmd: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak resident KB and standard output of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(cmd, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert child.stdout is not None
    output = child.stdout.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return elapsed, usage.ru_maxrss, output


def _ready_ms(output: str) -> float:
    return float(output.split("ready ", 1)[1].split()[0])


def _paint_clock() -> type:
    from PySide6.QtCore import QEvent, QObject

    class PaintClock(QObject):
        """Notes when the table's viewport finished painting."""

        last = 0.0

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                watched.event(event)  # paint now, then stop the clock
                watched.installEventFilter(self)
                self.last = time.perf_counter()
                return True
            return False

    return PaintClock


def keystrokes_child(db: str) -> None:
    """Runs in its own process: the real window, the whole roster, real key presses."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from app.ui.main_window import MainWindow

    PaintClock = _paint_clock()

    from app.ui.app import create_application

    app, _collector = create_application()
    window = MainWindow(warn_on_open_failure=False)
    window.resize(1280, 800)
    window.show()
    window.open_database(Path(db))
    deadline = time.time() + 120
    while window.roster.model.total_count < 1000 or "正在载入" in window.roster.count_label.text():
        app.processEvents()
        time.sleep(0.005)
        if time.time() > deadline:
            raise SystemExit("roster did not load")
    search = window.roster.search
    painted = PaintClock()
    window.roster.table.viewport().installEventFilter(painted)
    timings: list[float] = []
    for query in QUERIES:
        search.clear()
        app.processEvents()
        for char in query + "\b\b":
            painted.last = 0.0
            start = time.perf_counter()
            if char == "\b":
                QTest.keyClick(search, Qt.Key.Key_Backspace)
            else:
                search.insert(char)  # QTest cannot type Chinese characters; insert() is what an IME does
            while not painted.last and time.perf_counter() - start < 2:  # until the table has repainted
                app.processEvents()
            timings.append((painted.last - start) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"{p95:.2f} {statistics.median(timings):.2f} {len(timings)}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", help="reuse a demo 账套 instead of building one")
    parser.add_argument("--child-keystrokes", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_keystrokes:
        keystrokes_child(args.child_keystrokes)
        return 0

    db = args.db
    if db is None:
        db = str(Path(tempfile.mkdtemp(prefix="ud-bench-")) / "bench.db")
        print(f"building a demo 账套 with {args.members} members …", flush=True)
        subprocess.run(
            [sys.executable, "-m", "app", "--db", db, "demo", "--members", str(args.members)],
            check=True,
            env=_env(),
            stdout=subprocess.DEVNULL,
        )

    bare_cmd = [sys.executable, "-c", BARE]
    ours_cmd = [sys.executable, "-m", "app", "--db", db, "gui", "--quit-when-ready"]
    _timed(bare_cmd)  # warm the file cache for both
    _timed(ours_cmd)
    bare, ours, bare_wall, ours_wall = [], [], [], []
    for _ in range(args.runs):  # interleaved, so machine noise hits both alike
        wall, _kb, output = _timed(bare_cmd)
        bare.append(_ready_ms(output))
        bare_wall.append(wall)
        wall, _kb, output = _timed(ours_cmd)
        ours.append(_ready_ms(output))
        ours_wall.append(wall)
    floor, start = statistics.median(bare), statistics.median(ours)

    out = subprocess.run(
        [sys.executable, __file__, "--child-keystrokes", db],
        env=_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    p95, median, count = out.stdout.split()
    _elapsed, peak_kb, _out = _timed([sys.executable, __file__, "--child-keystrokes", db])

    print(f"members: {args.members}")
    print(
        f"start (process start to window shown): bare QMainWindow {floor:.0f} ms, "
        f"UnionDesk with the first roster page {start:.0f} ms, ratio {start / floor:.2f}x (target <= 2.5x)"
    )
    print(
        f"  whole process incl. exit: bare {statistics.median(bare_wall) * 1000:.0f} ms, "
        f"UnionDesk {statistics.median(ours_wall) * 1000:.0f} ms (UnionDesk waits for the full roster load "
        "before it exits)"
    )
    print(
        f"search keystroke: p95 {float(p95):.1f} ms, median {float(median):.1f} ms over {count} keys "
        f"(target p95 <= 50 ms)"
    )
    print(f"peak memory, whole roster loaded and searched: {peak_kb / 1024:.0f} MB (target <= 400 MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
