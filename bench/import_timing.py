"""Timing an import command two ways, for the benchmarks whose targets compare an import with
"a bare calamine read + executemany" (bench_care.py, bench_activities.py, bench_dues.py).

- ``in_program``: the import itself, as the program does it once it is running — its modules
  loaded (python_calamine among them, as the floor's work starts after its import of it),
  the 账套 open and its first query made (SQLAlchemy's mappers configured), as when the
  secretary imports from the window: what ``uniondesk … import`` runs after its start-up
  (``run_import``: read, find the table, plan, back up, write, commit). No head start: the
  file is parsed from the moment the import begins. This is what the target is judged on,
  against the floor's own read + executemany after its one import (python_calamine).
- ``whole_command``: ``uniondesk … import`` in a fresh process, start-up included, against
  the floor's whole process. Printed for information: at a few thousand rows it is mostly
  loading SQLAlchemy and the program's models (about 0.4 s here), which the floor does not
  load and a running program has already loaded.

Each runs in a child process of its own (``--task``), so each import is the first of its
process, as a secretary's first import of a session is.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# what every import reads the file with (the floor imports python_calamine before its clock starts)
_READING = ("python_calamine", "app.services.excel.xlsx_sheets", "app.services.imports.pipeline")


def in_program(argv: Sequence[str], modules: Sequence[str]) -> dict[str, Any]:
    """The command of ``argv`` (``--db FILE area import …``) started untimed, then its import timed."""
    start = time.perf_counter()
    for module in (*_READING, "app.db", "app.models", "app.services.imports", *modules):
        importlib.import_module(module)
    from app.cli import build_parser
    from app.cli.access import password_refusal
    from app.db import open_database

    args = build_parser(argv).parse_args(argv)
    db = open_database(args.db)
    args.db_path = db.path
    password_refusal(db)  # the command's first query: the mappers configured, as in a running program
    started = time.perf_counter()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = args.handler(db, args)
    work = time.perf_counter() - started
    db.close()
    result = json.loads(out.getvalue())
    assert code == 0 and result["written"] and result["new"] > 0, result
    return {"start": started - start, "work": work, "new": result["new"], "errors": len(result["errors"])}


def whole_command(argv: Sequence[str]) -> dict[str, Any]:
    """The command as the program runs it, in this fresh process (the parent times the process)."""
    from app.cli import run_program

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = run_program(list(argv))
    result = json.loads(out.getvalue())
    assert code == 0 and result["written"] and result["new"] > 0, result
    return {"new": result["new"], "errors": len(result["errors"])}


def run_task(script: str, task: str, a: Path, b: Path) -> tuple[float, dict[str, Any]]:
    """Seconds of ``script --task TASK A B`` in a fresh process (start-up counts), and what the
    task said of itself (its last line, JSON)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, script, "--task", task, str(a), str(b)], check=True, capture_output=True, text=True
    )
    return time.perf_counter() - start, json.loads(done.stdout.splitlines()[-1])


def import_round(
    script: str, label: str, xlsx: Path, floor_target: Path, ours_db: Path, command_db: Path
) -> tuple[tuple[float, float], tuple[float, float], dict[str, Any], dict[str, Any]]:
    """One round of ``script``'s tasks floor_import, ours_import (``in_program``) and
    ours_command (``whole_command``), each in a fresh process, printed on a line starting
    with ``label``. Returns (floor, ours) seconds in the program, the same as whole
    processes, and what the two imports said."""
    floor, floor_said = run_task(script, "floor_import", xlsx, floor_target)
    _ours, said = run_task(script, "ours_import", xlsx, ours_db)
    command, command_said = run_task(script, "ours_command", xlsx, command_db)
    print(f"{label}: floor {floor_said['work']:.2f} s (its process {floor:.2f} s), "
          f"UnionDesk {said['work']:.2f} s (the command's process {command:.2f} s), "
          f"ratio {said['work'] / floor_said['work']:.2f}x, whole processes {command / floor:.2f}x",
          flush=True)  # fmt: skip
    return (floor_said["work"], said["work"]), (floor, command), said, command_said


def spread(values: list[float], unit: str = "x", digits: int = 2) -> str:
    return (
        f"min {min(values):.{digits}f}{unit} / median {statistics.median(values):.{digits}f}{unit} / "
        f"max {max(values):.{digits}f}{unit}"
    )
