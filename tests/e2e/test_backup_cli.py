"""`uniondesk backup` and `uniondesk restore` as a user runs them: real processes, real files,
and a restore killed part-way that leaves the old or the restored data whole."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from tests.e2e.test_program import ROOT, uniondesk


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.slow
def test_backup_list_and_restore_round_trip(isolated_home: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "union.db")
    _ok(uniondesk("--db", db, "demo", "--members", "200", env_home=isolated_home))
    made = _ok(uniondesk("--db", db, "backup", "--json", env_home=isolated_home))
    backup = json.loads(made)
    assert backup["kind"] == "手动" and backup["verified"] is True and Path(backup["file"]).is_file()
    assert backup["file"].endswith("_手动.db") and backup["size"] > 0
    name = _ok(uniondesk("--db", db, "profile", "show", env_home=isolated_home)).splitlines()[0]

    _ok(uniondesk("--db", db, "profile", "set", "--name", "改过名字的工会", env_home=isolated_home))
    listing = json.loads(_ok(uniondesk("--db", db, "backup", "--list", "--json", env_home=isolated_home)))
    assert backup["id"] in [b["id"] for b in listing["backups"]]
    assert listing["chosen"] is None and listing["count"] == len(listing["backups"])
    text_listing = _ok(uniondesk("--db", db, "backup", "--list", env_home=isolated_home))
    assert "（默认）" in text_listing and backup["id"] in text_listing

    restored = uniondesk("--db", db, "restore", backup["id"], "--yes", env_home=isolated_home)  # by name
    out = _ok(restored)
    assert "已用备份" in out and "恢复前的数据已另存为" in out
    kept = Path(out.split("恢复前的数据已另存为：", 1)[1].split()[0])
    assert kept.is_file() and kept.name.endswith("_恢复前.db")
    with closing(sqlite3.connect(kept)) as con:  # the replaced data is in the 恢复前 backup
        assert con.execute("SELECT name FROM union_profile").fetchone() == ("改过名字的工会",)
    assert _ok(uniondesk("--db", db, "profile", "show", env_home=isolated_home)).splitlines()[0] == name
    assert "没有发现问题" in _ok(uniondesk("--db", db, "check", env_home=isolated_home))


@pytest.mark.slow
def test_backup_to_a_folder_and_bad_input(isolated_home: Path, tmp_path: Path) -> None:
    db = tmp_path / "union.db"
    _ok(uniondesk("--db", str(db), "init", "--name", "某工会", env_home=isolated_home))
    usb = tmp_path / "U盘"
    usb.mkdir()
    out = _ok(uniondesk("--db", str(db), "backup", "--to", str(usb), env_home=isolated_home))
    assert "已通过完整性检查" in out and len(list(usb.glob("union_*_手动.db"))) == 1

    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    refused = uniondesk("--db", str(db), "backup", "--to", str(blocker / "sub"), env_home=isolated_home)
    assert refused.returncode == 1 and "找不到文件夹" in refused.stderr and "Traceback" not in refused.stderr

    before = db.read_bytes()
    notes = tmp_path / "notes.db"
    notes.write_text("不是数据库", encoding="utf-8")
    bad = uniondesk("--db", str(db), "restore", str(notes), "--yes", env_home=isolated_home)
    assert (
        bad.returncode == 1 and "不是 UnionDesk 账套或备份文件" in bad.stderr and "账套没有改动" in bad.stderr
    )
    missing = uniondesk("--db", str(db), "restore", str(tmp_path / "nothing.db"), env_home=isolated_home)
    assert missing.returncode == 1 and "找不到备份文件" in missing.stderr
    assert db.read_bytes() == before


@pytest.mark.slow
def test_a_damaged_file_cannot_be_backed_up_but_can_be_restored(isolated_home: Path, tmp_path: Path) -> None:
    db = tmp_path / "union.db"
    _ok(uniondesk("--db", str(db), "init", "--name", "某工会", env_home=isolated_home))
    backup = json.loads(_ok(uniondesk("--db", str(db), "backup", "--json", env_home=isolated_home)))["file"]
    data = bytearray(db.read_bytes())
    data[100 : 4096 * 2] = b"\xff" * (4096 * 2 - 100)
    db.write_bytes(bytes(data))

    refused = uniondesk("--db", str(db), "backup", env_home=isolated_home)
    assert refused.returncode == 3 and "已损坏" in refused.stderr and "Traceback" not in refused.stderr

    out = _ok(uniondesk("--db", str(db), "restore", backup, "--yes", env_home=isolated_home))
    assert "原来的账套文件已损坏，已改名保留为" in out
    (aside,) = tmp_path.glob("union_损坏_*.db")
    assert aside.read_bytes() == bytes(data)
    assert "某工会" in _ok(uniondesk("--db", str(db), "profile", "show", env_home=isolated_home))


def _fill(path: Path, letter: str, megabytes: int) -> None:
    """Write ``letter`` as the union's name and as the text of enough audit rows to make the
    file about ``megabytes`` big: a state that is whole only when every row agrees."""
    with closing(sqlite3.connect(path)) as con:
        con.execute("UPDATE union_profile SET name = ?", (letter,))
        con.execute("DELETE FROM audit_log")
        row = letter * 2000
        con.executemany(
            "INSERT INTO audit_log (at, actor, action, entity, summary) VALUES ('2026-01-01 00:00:00', '', '新增', 'x', ?)",
            [(row,) for _ in range(megabytes * 500)],
        )
        con.commit()


def _state(path: Path) -> str:
    with closing(sqlite3.connect(path)) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        (name,) = con.execute("SELECT name FROM union_profile").fetchone()
        letters = {r[0] for r in con.execute("SELECT DISTINCT substr(summary, 1, 1) FROM audit_log")}
        whole = con.execute("SELECT count(*) FROM audit_log WHERE summary != ?", (name * 2000,)).fetchone()
    assert letters == {name} and whole == (0,), f"half-restored: name {name}, rows {letters}"
    return str(name)


@pytest.mark.slow
def test_a_restore_killed_part_way_leaves_the_old_or_the_new_data_whole(
    isolated_home: Path, tmp_path: Path
) -> None:
    db = tmp_path / "union.db"
    _ok(uniondesk("--db", str(db), "init", "--name", "A", env_home=isolated_home))
    _fill(db, "A", 20)
    backup = json.loads(_ok(uniondesk("--db", str(db), "backup", "--json", env_home=isolated_home)))["file"]
    _fill(db, "B", 20)
    pristine = tmp_path / "b.db"
    with closing(sqlite3.connect(db)) as src, closing(sqlite3.connect(pristine)) as dst:
        src.backup(dst)
    env = dict(os.environ, UNIONDESK_HOME=str(isolated_home), QT_QPA_PLATFORM="offscreen")
    command = [sys.executable, "-m", "app", "--db", str(db), "restore", backup, "--yes"]
    started = time.perf_counter()
    _ok(subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120))
    whole_run = time.perf_counter() - started
    assert _state(db) == "A"

    seen = []
    chance = random.Random(12)
    for attempt in range(8):
        for leftover in (db, db.with_name("union.db-wal"), db.with_name("union.db-shm")):
            leftover.unlink(missing_ok=True)
        with closing(sqlite3.connect(pristine)) as src, closing(sqlite3.connect(db)) as dst:
            src.backup(dst)
        child = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(whole_run * (0.55 + 0.5 * attempt / 8) * chance.uniform(0.9, 1.1))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        seen.append(_state(db))  # old or new, each whole: _state checks every row agrees
    assert set(seen) <= {"A", "B"}


@pytest.mark.slow
def test_restore_is_refused_while_a_window_has_the_file_open(isolated_home: Path, tmp_path: Path) -> None:
    db = tmp_path / "union.db"
    _ok(uniondesk("--db", str(db), "init", "--name", "某工会", env_home=isolated_home))
    backup = json.loads(_ok(uniondesk("--db", str(db), "backup", "--json", env_home=isolated_home)))["file"]
    holding = (
        "import sys, time; from pathlib import Path; from app.instance_lock import lock_for_window; "
        "lock_for_window(Path(sys.argv[1])); print('held', flush=True); time.sleep(60)"
    )
    with subprocess.Popen(
        [sys.executable, "-c", holding, str(db)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    ) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
            before = db.read_bytes()
            refused = uniondesk("--db", str(db), "restore", backup, "--yes", env_home=isolated_home)
            assert refused.returncode == 3 and "Traceback" not in refused.stderr, refused.stderr
            assert db.read_bytes() == before
        finally:
            holder.kill()
