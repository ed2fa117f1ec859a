"""Timing an import command two ways, for the benchmarks whose targets compare an import with
"a bare calamine read + executemany" (bench_care.py, bench_activities.py).

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
import time
from collections.abc import Sequence
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
