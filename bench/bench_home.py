"""The 首页's figures at the size of their speed target.

    python bench/bench_home.py [--members 50000] [--runs 5] [--db FILE]

A union of 50,000 members with two years of dues, care and activities (built as
bench_reports.py builds it; not timed). Each run starts the program in a fresh process
(``uniondesk gui`` as a user starts it, offscreen) and prints, as ages of the process:
- window: the main window shown;
- figures: the 首页's cards and charts filled in (``HomePage.figures_shown``), read in the
  background at open, before the roster's full load;
- the bound: figures within 1 s of the window appearing                  (bound <= 1000 ms)
The start-up ratio itself is bench_roster.py's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BOUND_MS = 1000.0

CHILD = """
import sys, time
t0 = time.perf_counter()
from app.ui.app import process_age_ms, run_gui
from app.ui import main_window

original_init, original_show = main_window.MainWindow.__init__, main_window.MainWindow.show

def init(self, *args, **kwargs):
    original_init(self, *args, **kwargs)
    def figures():
        print(f"figures {round(process_age_ms(t0))}", flush=True)
        from PySide6.QtWidgets import QApplication
        QApplication.instance().quit()
    self.home.figures_shown.connect(figures)

def show(self):
    original_show(self)
    print(f"window {round(process_age_ms(t0))}", flush=True)

main_window.MainWindow.__init__ = init
main_window.MainWindow.show = show
sys.exit(run_gui(__import__("pathlib").Path(sys.argv[1]), started=t0))
"""


def _run(db: Path) -> dict[str, float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", UNIONDESK_HOME=tempfile.mkdtemp(prefix="ud-bench-"))
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1])
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(db)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    said = dict(
        line.split() for line in done.stdout.splitlines() if line.split()[:1] in (["window"], ["figures"])
    )
    if done.returncode != 0 or set(said) != {"window", "figures"}:
        raise SystemExit(f"the program did not show its 首页 figures:\n{done.stdout}\n{done.stderr}")
    return {key: float(value) for key, value in said.items()}


def spread(values: list[float]) -> str:
    return f"min {min(values):.0f} ms / median {statistics.median(values):.0f} ms / max {max(values):.0f} ms"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, help="time this 账套 instead of building one")
    args = parser.parse_args()
    os.environ.setdefault("UNIONDESK_HOME", tempfile.mkdtemp(prefix="ud-bench-home-"))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_reports import union_at

    path = union_at(args.db, args.members)
    _run(path)  # untimed: the file into the page cache, bytecode compiled
    runs = [_run(path) for _ in range(args.runs)]
    for number, run in enumerate(runs, 1):
        print(f"run {number}: window {run['window']:.0f} ms, figures {run['figures']:.0f} ms, "
              f"after the window {run['figures'] - run['window']:.0f} ms", flush=True)  # fmt: skip
    after = [run["figures"] - run["window"] for run in runs]
    median = statistics.median(after)
    print(f"members: {args.members}")
    print(f"首页 figures after the window appears: {spread(after)} "
          f"(bound {BOUND_MS:.0f} ms: {'met' if median <= BOUND_MS else 'NOT met'})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
