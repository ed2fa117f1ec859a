"""Crash safety: the program is killed (SIGKILL, as a power cut would stop it) in the middle
of its biggest writes, then the 账套 is opened again.

Each scenario first runs its command once to the end on a copy of the 账套: how long it takes,
how far its write-ahead log grows (the big transaction on its way to the file), and what
"wholly written" looks like. Then, each time on a fresh copy of the same 账套, it kills the
command halfway through that time, and when its write-ahead log has grown to 10 % and 60 %
of that size — inside the one transaction that writes everything — and to all of it (the
commit, and the checkpoint copying the log into the file). After every kill:

- ``uniondesk check`` passes (file integrity, references, every reconciliation);
- the tables the command writes hold exactly what they held before it, or exactly what the
  uninterrupted run left, counted with plain sqlite3: nothing is half there;
- the 账套 takes the next write.

At least one kill of every scenario must land while the transaction is being written and
leave nothing of it, or the scenario proved nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from tests.fixtures.big_roster import write_big_roster

ROOT = Path(__file__).resolve().parents[2]
TIME_FRACTION = 0.5
WAL_FRACTIONS = (0.1, 0.6, 1.0)  # 100 %: the commit, and the checkpoint that follows it

IMPORT_TABLES = ("members", "membership_events", "dues_base_wages", "groups")
ROLL_TABLES = ("dues_rolls", "dues_charges")
CARE_BATCH_TABLES = ("care_batches", "care_records")
RESTORE_TABLES = (*IMPORT_TABLES, "dues_charges", "care_records")


@dataclass(frozen=True)
class Place:
    folder: Path
    env: dict[str, str]


@dataclass(frozen=True)
class Watched:
    seconds: float  # from the start of the process to its end, or to the kill
    wal_bytes: int  # the write-ahead log's size at that moment
    wal_peak: int  # the largest it was seen
    killed: bool
    returncode: int


@dataclass(frozen=True)
class Finished:
    db: Path  # the 账套 after the uninterrupted run
    seconds: float
    wal_peak: int
    before: dict[str, int]
    after: dict[str, int]


@dataclass(frozen=True)
class Kill:
    when: str
    seconds: float
    wal_bytes: int
    ran_to_the_end: bool  # the command finished before the moment came
    outcome: str  # "none" or "all" of the work is there


def run(place: Place, db: Path, *args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "--db", str(db), *args],
        capture_output=True, text=True, encoding="utf-8", env=place.env, cwd=ROOT, timeout=timeout,
    )  # fmt: skip


def counts(db: Path, tables: Sequence[str]) -> dict[str, int]:
    """Rows per table, and the audit log's rows about these tables, read with plain sqlite3."""
    connection = sqlite3.connect(db)
    try:
        found = {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        marks = ",".join("?" * len(tables))
        found["audit_log"] = connection.execute(
            f"SELECT count(*) FROM audit_log WHERE entity IN ({marks})", tuple(tables)
        ).fetchone()[0]
    finally:
        connection.close()
    return found


def copy_of(source: Path, name: str) -> Path:
    """A fresh copy of a closed 账套 (no -wal beside it: its last user closed it cleanly)."""
    target = source.with_name(name)
    for suffix in ("", "-wal", "-shm", "-journal"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    shutil.copyfile(source, target)
    return target


def watch(place: Place, db: Path, args: Sequence[str], kill_when: Callable[[float, int], bool]) -> Watched:
    """Run the command, looking at its write-ahead log every 3 ms; SIGKILL it as soon as
    ``kill_when(seconds, wal_bytes)`` says so."""
    wal = db.with_name(db.name + "-wal")
    peak = 0
    with open(db.with_name(db.name + ".stderr"), "w", encoding="utf-8") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "--db", str(db), *args],
            stdout=subprocess.DEVNULL, stderr=stderr, env=place.env, cwd=ROOT,
        )  # fmt: skip
        started = time.perf_counter()
        try:
            while process.poll() is None:
                elapsed = time.perf_counter() - started
                try:
                    size = wal.stat().st_size
                except FileNotFoundError:
                    size = 0
                peak = max(peak, size)
                if kill_when(elapsed, size):
                    process.kill()  # SIGKILL: no handler, no clean-up, as when the power goes
                    process.wait()
                    return Watched(elapsed, size, peak, True, process.returncode)
                time.sleep(0.003)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    return Watched(time.perf_counter() - started, 0, peak, False, process.returncode)


def finish(place: Place, base: Path, args: Sequence[str], tables: Sequence[str], name: str) -> Finished:
    db = copy_of(base, name)
    before = counts(db, tables)
    done = watch(place, db, args, lambda _seconds, _wal: False)
    stderr = db.with_name(db.name + ".stderr").read_text(encoding="utf-8")
    assert done.returncode == 0, stderr
    after = counts(db, tables)
    assert after != before, f"{' '.join(args)} 没有写入任何内容"
    assert done.wal_peak > 0, "没有看到写入过程（预写日志没有增长）"
    return Finished(db, done.seconds, done.wal_peak, before, after)


def reopen(place: Place, db: Path, tables: Sequence[str], finished: Finished, label: str) -> str:
    checked = run(place, db, "check")
    assert checked.returncode == 0, f"{label}：检查没有通过\n{checked.stdout}{checked.stderr}"
    assert "没有发现问题" in checked.stdout
    now = counts(db, tables)
    assert now in (finished.before, finished.after), (
        f"{label}：中断的操作只写入了一部分：{now}；之前 {finished.before}；完整 {finished.after}"
    )
    next_write(db, label)
    return "none" if now == finished.before else "all"


def next_write(db: Path, label: str) -> None:
    """The 账套 opens as the program opens it and takes a write (in this process: a command
    line process more would only add its start-up time, sixteen times over)."""
    from app.db import open_database
    from app.services.roster import add_group

    groups = counts(db, ("groups",))["groups"]
    database = open_database(db)
    try:
        with database.session() as session:
            add_group(session, f"断电后新增{label}")
    finally:
        database.close()
    assert counts(db, ("groups",))["groups"] == groups + 1


def kill_at_several_points(
    place: Place, base: Path, args: Sequence[str], tables: Sequence[str], finished: Finished, name: str
) -> list[Kill]:
    moments: list[tuple[str, Callable[[float, int], bool]]] = [
        (f"用时{TIME_FRACTION:.0%}", lambda seconds, _wal: seconds >= TIME_FRACTION * finished.seconds)
    ]
    for fraction in WAL_FRACTIONS:
        moments.append((f"写入{fraction:.0%}", _wal_reached(fraction * finished.wal_peak)))
    kills: list[Kill] = []
    for number, (when, kill_when) in enumerate(moments, 1):
        db = copy_of(base, f"{name}-{number}.db")
        watched = watch(place, db, args, kill_when)
        outcome = reopen(place, db, tables, finished, f"{name}{number}")
        kills.append(Kill(when, watched.seconds, watched.wal_bytes, not watched.killed, outcome))
    _report(name, finished, kills)
    mid_write = [k for k in kills if k.outcome == "none" and k.wal_bytes > 0 and not k.ran_to_the_end]
    assert mid_write, f"{name}：没有一次在写入过程中被中断：{kills}"
    return kills


def _wal_reached(size: float) -> Callable[[float, int], bool]:
    return lambda _seconds, wal: wal >= size


def _report(name: str, finished: Finished, kills: list[Kill]) -> None:
    """The timings, for whoever runs this with -s."""
    words = {"none": "没有写入", "all": "完整写入"}
    parts = [
        f"{k.when}@{k.seconds:.2f}s（WAL {k.wal_bytes / 1e6:.1f} MB）→{words[k.outcome]}"
        + ("（已运行完）" if k.ran_to_the_end else "")
        for k in kills
    ]
    print(
        f"\n{name}：完整运行 {finished.seconds:.2f} 秒，WAL 最大 {finished.wal_peak / 1e6:.1f} MB；"
        + "；".join(parts)
    )


# -- the unions ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Place:
    folder = tmp_path_factory.mktemp("crash")
    # the automatic backups before a big write (批量写入前) are off for speed: they are made
    # before the transaction commits, so they change no outcome here, only the time
    env = dict(os.environ, UNIONDESK_HOME=str(folder / "home"), QT_QPA_PLATFORM="offscreen")
    env.setdefault("UNIONDESK_AUTO_BACKUP", "0")
    return Place(folder, env)


@pytest.fixture(scope="module")
def empty_union(place: Place) -> Path:
    db = place.folder / "empty.db"
    made = run(place, db, "init", "--name", "测试工会", "--province", "安徽")
    assert made.returncode == 0, made.stderr
    return db


@pytest.fixture(scope="module")
def roster_50k(place: Place) -> Path:
    return write_big_roster(place.folder / "花名册5万人.xlsx", 50_000)


IMPORT_ARGS = ("roster", "import", "{file}", "--wages-from", "2026-01")


@pytest.fixture(scope="module")
def imported_50k(place: Place, empty_union: Path, roster_50k: Path) -> Finished:
    """The 50,000-member import run to the end: its timing, and the union it makes."""
    args = [a.format(file=roster_50k) for a in IMPORT_ARGS]
    finished = finish(place, empty_union, args, IMPORT_TABLES, "import-done.db")
    assert finished.after["members"] == 50_000
    return finished


@pytest.fixture(scope="module")
def union_10k(place: Place, empty_union: Path) -> Path:
    roster = write_big_roster(place.folder / "花名册1万人.xlsx", 10_000, seed=13)
    db = copy_of(empty_union, "union-10k.db")
    done = run(place, db, "roster", "import", str(roster), "--wages-from", "2026-01")
    assert done.returncode == 0, done.stderr
    return db


# -- the scenarios ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_roster_import_of_50000_rows_killed_midway(
    place: Place, empty_union: Path, roster_50k: Path, imported_50k: Finished
) -> None:
    args = [a.format(file=roster_50k) for a in IMPORT_ARGS]
    kill_at_several_points(place, empty_union, args, IMPORT_TABLES, imported_50k, "import")


@pytest.mark.slow
def test_a_dues_roll_for_a_whole_year_killed_midway(place: Place, union_10k: Path) -> None:
    args = ("dues", "roll", "2026-01..2026-12")
    finished = finish(place, union_10k, args, ROLL_TABLES, "roll-done.db")
    assert finished.after["dues_charges"] > 100_000
    kill_at_several_points(place, union_10k, args, ROLL_TABLES, finished, "roll")


@pytest.mark.slow
def test_a_batch_distribution_to_10000_members_killed_midway(place: Place, union_10k: Path) -> None:
    base = copy_of(union_10k, "care-base.db")
    day = date.today().isoformat()
    args = ("care", "batch", "add", "--name", "春节送温暖", "--occasion", "送温暖", "--variant", "春节",
            "--cash", "500", "--everyone", "--date", day)  # fmt: skip
    finished = finish(place, base, args, CARE_BATCH_TABLES, "care-done.db")
    assert finished.after["care_records"] == finished.before["care_records"] + 10_000
    kill_at_several_points(place, base, args, CARE_BATCH_TABLES, finished, "care")


@pytest.mark.slow
def test_a_restore_killed_midway(place: Place, union_10k: Path, imported_50k: Finished) -> None:
    """The 10,000-member union restored from a backup of the 50,000-member one: the 账套
    holds one of the two whole, never a mixture."""
    made = run(place, imported_50k.db, "backup", "--to", str(place.folder / "备份"), "--json")
    assert made.returncode == 0, made.stderr
    backup = json.loads(made.stdout)["file"]
    base = copy_of(union_10k, "restore-base.db")
    args = ("restore", backup, "--yes")
    finished = finish(place, base, args, RESTORE_TABLES, "restore-done.db")
    assert finished.after["members"] == 50_000 and finished.before["members"] == 10_000
    kill_at_several_points(place, base, args, RESTORE_TABLES, finished, "restore")
