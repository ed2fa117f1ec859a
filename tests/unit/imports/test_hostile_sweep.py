"""Every importer against every hostile file (tests/fixtures/hostile.py): a clear Chinese
message or the rows read, never another exception, never a hang, and the 账套 unchanged —
compared as a dump of every table before and after each file.

Each file goes through the pipeline as the command line runs it (read → find the sheet →
plan → write all or nothing); what a file writes is rolled back, after checking that no
control character was stored. The seeded mutations at the end run a fixed number of
generated cases (``derandomize``: the same cases on every run); ``GENERATED`` counts them.
CI runs 72 hostile files × 7 importers = 504, and 7 × (8 + 8 + 14 + 14) = 308 generated.
"""

from __future__ import annotations

import random
import re
import resource
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.db import Database, open_database
from app.domain.yearmonth import YearMonth
from app.services.errors import UserError
from app.services.imports import Importer, ImportPlan, apply_plan, find_sheet, plan_sheet, read_file
from tests.fixtures.hostile import (
    ANY,
    BLOCKED,
    CASE_NAMES,
    EMPTY,
    LONG_TEXT,
    REFUSED,
    SAME,
    SHAPES,
    Case,
    case,
    csv_text,
    mutated_bytes,
    mutated_cells,
    mutated_sheet_xml,
    set_up_union,
    xls_bytes,
    xlsx_bytes,
)
from tests.fixtures.hostile import fingerprint as file_fingerprint

TODAY = date(2026, 12, 1)
TIME_LIMIT = 20.0  # seconds for any one file; the slowest takes about two
BOMB_SECONDS = 5.0
BOMB_MEMORY = 300 * 1024 * 1024  # bytes the peak may grow by while a zip bomb is refused
CJK = re.compile(r"[\u4e00-\u9fff]")
# what no stored text may hold: C0 controls but tab and line breaks, DEL, C1, bidi overrides
STORED_DEBRIS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
LONG_RUN = LONG_TEXT[:100]  # a 10,000-character cell is never stored, whole or cut down


def _importer(shape: str) -> Importer[Any, Any]:
    from app.services.activities.import_budget import BudgetImporter, BudgetImportOptions
    from app.services.activities.import_ledger import LedgerImporter, LedgerImportOptions
    from app.services.care import CareImporter, CareImportOptions
    from app.services.dues.bases import WageImporter, WageImportOptions
    from app.services.dues.importer import DuesImporter, DuesImportOptions
    from app.services.roster.importer import RosterImporter, RosterOptions

    made: dict[str, Callable[[], Importer[Any, Any]]] = {
        "roster": lambda: RosterImporter(RosterOptions(today=TODAY)),
        "payroll": lambda: WageImporter(WageImportOptions(today=TODAY, month=YearMonth(2026, 11))),
        "dues_list": lambda: DuesImporter(DuesImportOptions(today=TODAY)),
        "dues_grid": lambda: DuesImporter(DuesImportOptions(today=TODAY, year=2026)),
        "care": lambda: CareImporter(CareImportOptions(today=TODAY, year=2026)),
        "ledger": lambda: LedgerImporter(LedgerImportOptions(today=TODAY, year=2026)),
        "budget": lambda: BudgetImporter(BudgetImportOptions(today=TODAY, year=2026)),
    }
    return made[shape]()


# -- the 账套 and how a file is run -------------------------------------------------------------------


@pytest.fixture(scope="module")
def union(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = open_database(tmp_path_factory.mktemp("sweep") / "union.db")
    set_up_union(db, TODAY)
    yield db
    db.close()


def fingerprint(db: Database) -> str:
    """Every table's every row: equal fingerprints, nothing stored changed."""
    return file_fingerprint(db.path)


@dataclass
class Outcome:
    kind: str  # "refused", "errors" (planned with row errors), "nothing" (to write) or "written"
    message: str = ""
    plan: ImportPlan[Any] | None = None
    counts: tuple[int, int] = (0, 0)  # (new, updated) when written
    debris: list[str] = field(default_factory=list)  # stored text holding control characters


class _Undo(Exception):
    def __init__(self, outcome: Outcome) -> None:
        super().__init__("undo")
        self.outcome = outcome


def run_file(db: Database, shape: str, path: Path) -> Outcome:
    """The file through the pipeline as ``… import FILE`` runs it: planned, and written only
    when no row has an error; what it writes is rolled back."""
    importer = _importer(shape)
    try:
        with db.session() as session:
            found = find_sheet(session, importer, read_file(path))
            plan = plan_sheet(session, importer, found.sheet, found.mapping, path=path)
            if plan.errors:
                return Outcome("errors", plan=plan)  # the command's session commits here too
            result = apply_plan(session, importer, plan)
            if not result.new + result.updated:
                return Outcome("nothing", plan=plan)
            session.flush()
            raise _Undo(
                Outcome("written", plan=plan, counts=(result.new, result.updated), debris=_debris(session))
            )
    except _Undo as undo:
        return undo.outcome
    except UserError as exc:
        return Outcome("refused", str(exc))


def _debris(session: Any) -> list[str]:
    """Stored text holding control characters or direction overrides, or a long cell's text."""
    from sqlalchemy import text

    found = []
    tables = session.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars().all()
    for table in tables:
        for row in session.execute(text(f'SELECT * FROM "{table}"')):
            found += [
                f"{table}: {v[:80]!r}"
                for v in row
                if isinstance(v, str) and (STORED_DEBRIS.search(v) or LONG_RUN in v)
            ]
    return found


def within(seconds: float, work: Callable[[], Outcome]) -> Outcome:
    """``work()``, failing the test if it takes longer than ``seconds`` (a hang is reported,
    not waited for)."""
    result: list[Outcome] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            result.append(work())
        except BaseException as exc:
            failure.append(exc)

    worker = threading.Thread(target=target, name="hostile file", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        pytest.fail(f"still running after {seconds} s")
    if failure:
        raise failure[0]
    return result[0]


def check(db: Database, shape: str, path: Path, expect: str, message: str = "") -> Outcome:
    """Run the file and check what every hostile file owes the user."""
    before = fingerprint(db)
    outcome = within(TIME_LIMIT, lambda: run_file(db, shape, path))
    assert fingerprint(db) == before, f"the 账套 changed ({outcome.kind})"
    if outcome.kind == "refused":
        assert CJK.search(outcome.message), outcome.message
        assert "Traceback" not in outcome.message and "Error" not in outcome.message, outcome.message
        if message:
            assert re.search(message, outcome.message), outcome.message
    if outcome.kind == "nothing" and message:
        assert outcome.plan is not None and re.search(message, " ".join(outcome.plan.file_notes))
    if outcome.kind == "errors":
        assert outcome.plan is not None
        for issue in outcome.plan.errors:
            assert issue.row >= 1 and CJK.search(issue.message), issue
    assert not outcome.debris, outcome.debris
    allowed = {
        REFUSED: {"refused"},
        BLOCKED: {"refused", "errors"},
        SAME: {"written"},
        EMPTY: {"refused", "nothing"},
        ANY: {"refused", "errors", "nothing", "written"},
    }[expect]
    assert outcome.kind in allowed, f"{outcome.kind}: {outcome.message or _issues(outcome)}"
    return outcome


def _issues(outcome: Outcome) -> str:
    return "; ".join(f"{i.row} {i.column} {i.message}" for i in outcome.plan.errors) if outcome.plan else ""


# -- the valid files, and each hostile one ------------------------------------------------------------


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile")


@pytest.fixture(scope="module")
def valid(union: Database, files: Path) -> dict[str, Outcome]:
    """Each shape's valid .xlsx as imported: what a file in disguise must come to."""
    outcomes = {}
    for name, shape in SHAPES.items():
        path = files / f"{name}-valid.xlsx"
        path.write_bytes(xlsx_bytes(shape.table()))
        outcomes[name] = check(union, name, path, SAME)
    return outcomes


@pytest.fixture(scope="module")
def xls_files(files: Path) -> dict[str, bytes]:
    from tests.fixtures.rosters import soffice

    if soffice() is None:
        pytest.skip("没有安装 LibreOffice（soffice），无法生成 .xls；scripts/test.sh 会安装它")
    return xls_bytes(list(SHAPES.values()), files / "xls")


def test_every_valid_file_imports(valid: dict[str, Outcome]) -> None:
    assert {name: o.kind for name, o in valid.items()} == dict.fromkeys(SHAPES, "written")
    assert all(o.counts[0] + o.counts[1] >= 2 for o in valid.values())


@pytest.mark.parametrize("shape", list(SHAPES))
@pytest.mark.parametrize("name", CASE_NAMES)
def test_a_hostile_file(
    union: Database,
    files: Path,
    valid: dict[str, Outcome],
    request: pytest.FixtureRequest,
    shape: str,
    name: str,
) -> None:
    item: Case = case(name)
    data = request.getfixturevalue("xls_files")[shape] if item.needs_xls else item.make(SHAPES[shape])
    path = files / f"{shape}-{name}{item.suffix}"
    path.write_bytes(data)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    started = time.perf_counter()
    outcome = check(union, shape, path, item.expect, item.message)
    if item.bomb:
        assert path.stat().st_size < 5_000_000  # small on disk
        assert time.perf_counter() - started < BOMB_SECONDS
        assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - peak < BOMB_MEMORY
    if item.expect == SAME:
        assert outcome.counts == valid[shape].counts, outcome.counts


# -- seeded mutations -----------------------------------------------------------------------------------

MUTATED_BYTES, MUTATED_TEXT, MUTATED_CELLS, MUTATED_XML = 8, 8, 14, 14
GENERATED = len(SHAPES) * (MUTATED_BYTES + MUTATED_TEXT + MUTATED_CELLS + MUTATED_XML)


def cases(count: int) -> settings:
    return settings(
        max_examples=count,
        derandomize=True,  # the same cases on every run, in CI too
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


SEEDS = st.integers(min_value=0, max_value=2**32 - 1)


@pytest.mark.parametrize("shape", list(SHAPES))
@cases(MUTATED_BYTES)
@given(seed=SEEDS, edits=st.integers(min_value=1, max_value=6))
def test_damaged_workbook_bytes(union: Database, files: Path, shape: str, seed: int, edits: int) -> None:
    path = files / f"{shape}-mutated.xlsx"
    path.write_bytes(mutated_bytes(xlsx_bytes(SHAPES[shape].table()), random.Random(seed), edits))
    check(union, shape, path, ANY)


@pytest.mark.parametrize("shape", list(SHAPES))
@cases(MUTATED_TEXT)
@given(
    seed=SEEDS,
    edits=st.integers(min_value=1, max_value=8),
    encoding=st.sampled_from(["utf-8-sig", "gb18030", "utf-16"]),
)
def test_damaged_csv_text(
    union: Database, files: Path, shape: str, seed: int, edits: int, encoding: str
) -> None:
    path = files / f"{shape}-mutated.csv"
    data = csv_text(SHAPES[shape].table()).encode(encoding)
    path.write_bytes(mutated_bytes(data, random.Random(seed), edits))
    check(union, shape, path, ANY)


@pytest.mark.parametrize("shape", list(SHAPES))
@cases(MUTATED_CELLS)
@given(seed=SEEDS, changes=st.integers(min_value=1, max_value=12), as_csv=st.booleans())
def test_hostile_cells(
    union: Database, files: Path, shape: str, seed: int, changes: int, as_csv: bool
) -> None:
    table = mutated_cells(SHAPES[shape], random.Random(seed), changes)
    path = files / f"{shape}-cells{'.csv' if as_csv else '.xlsx'}"
    if as_csv:
        path.write_bytes(csv_text(table).encode("utf-8-sig"))
    else:
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        path.write_bytes(
            xlsx_bytes(
                [[ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in r] for r in table]
            )
        )
    check(union, shape, path, ANY)


@pytest.mark.parametrize("shape", list(SHAPES))
@cases(MUTATED_XML)
@given(seed=SEEDS, cells=st.integers(min_value=1, max_value=20))
def test_odd_cells_in_the_sheet_xml(union: Database, files: Path, shape: str, seed: int, cells: int) -> None:
    path = files / f"{shape}-xml.xlsx"
    path.write_bytes(mutated_sheet_xml(xlsx_bytes(SHAPES[shape].table()), random.Random(seed), cells))
    check(union, shape, path, ANY)


def test_the_check_can_fail(db: Database, files: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash that is not a UserError, a write left behind and a hang each fail the sweep."""
    import app.services.imports.pipeline as pipeline

    path = files / "roster-check.xlsx"
    path.write_bytes(xlsx_bytes(SHAPES["roster"].table()))
    with monkeypatch.context() as patched:
        patched.setattr(pipeline, "read_sheets", lambda *_a, **_k: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            check(db, "roster", path, ANY)
    with monkeypatch.context() as patched:  # a file whose rows stay written
        patched.setattr(sys.modules[__name__], "run_file", _kept)
        with pytest.raises(AssertionError, match="changed"):
            check(db, "roster", path, ANY)
    with pytest.raises(pytest.fail.Exception, match="still running"):
        within(0.05, lambda: time.sleep(1) or Outcome("nothing"))  # type: ignore[func-returns-value]


def _kept(db: Database, shape: str, path: Path) -> Outcome:
    importer = _importer(shape)
    with db.session() as session:
        found = find_sheet(session, importer, read_file(path))
        apply_plan(session, importer, plan_sheet(session, importer, found.sheet, found.mapping, path=path))
    return Outcome("written")
