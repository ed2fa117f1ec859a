"""`uniondesk check` on copies of a demo 账套 damaged one way each, as plain sqlite3 (or a
stray byte) can: exit 1, a sentence naming what is wrong, and what to do about it."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import make_demo_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_demo_db(tmp_path_factory.mktemp("check") / "demo.db", 120)


def check(db: Path, home: Path, *more: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, UNIONDESK_HOME=str(home))
    return subprocess.run(
        [sys.executable, "-m", "app", "--db", str(db), "check", *more],
        capture_output=True, text=True, encoding="utf-8", env=env, cwd=ROOT, timeout=120,
    )  # fmt: skip


def damaged_copy(demo: Path, folder: Path, *statements: str) -> Path:
    db = folder / "damaged.db"
    shutil.copyfile(demo, db)
    connection = sqlite3.connect(db)  # foreign keys are off in plain sqlite3, as in any tool
    with connection:
        for statement in statements:
            assert connection.execute(statement).rowcount != 0, statement
    connection.close()
    return db


def corrupt_index(db: Path, index: str) -> None:
    """Rewrite one key inside the index's page (在会 → 退会): the file still opens and reads,
    but the index no longer agrees with its table."""
    with sqlite3.connect(db) as connection:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (index,)).fetchone()[0]
    connection.close()
    data = bytearray(db.read_bytes())
    start = (root - 1) * page_size
    at = data.find("在会".encode(), start, start + page_size)
    assert at > 0
    data[at : at + 6] = "退会".encode()
    db.write_bytes(bytes(data))


def test_the_demo_passes(demo: Path, isolated_home: Path) -> None:
    result = check(demo, isolated_home)
    assert result.returncode == 0, result.stdout
    assert "没有发现问题" in result.stdout
    assert "慰问：每次集中发放" in result.stdout and "各项记录能互相对上" in result.stdout


DAMAGES = {
    "references": (
        ["UPDATE care_records SET member_id = 99999 WHERE id = (SELECT min(id) FROM care_records)"],
        ["慰问记录（表 care_records）中有 1 条记录", "引用的会员已不存在", "member_id 列指向表 members"],
    ),
    "dues": (
        ["UPDATE dues_charges SET paid_fen = 0 WHERE id = (SELECT min(id) FROM dues_charges WHERE paid_fen > 0)"],
        ["会费：1 笔应缴记下的已缴金额与按缴费记录重算的结果不符"],
    ),
    "care batch left without its records": (
        ["DELETE FROM care_records WHERE batch_id = (SELECT min(id) FROM care_batches)"],
        ["没有任何发放记录", "care batch undo"],
    ),
    "care records of a batch that is gone": (
        ["UPDATE care_records SET batch_id = NULL WHERE id = (SELECT min(id) FROM care_records WHERE batch_id > 0)"],
        ["1 条集中发放写入的慰问记录", "不属于任何一次集中发放"],
    ),
    "hardship flag": (
        ["UPDATE members SET is_hardship = 0 WHERE id = "
         "(SELECT min(member_id) FROM hardship_files WHERE closed_on IS NULL)"],
        ["有在档的困难职工档案，会员名册中却没有标为困难职工"],
    ),
    "activities": (
        ["UPDATE activity_expenses SET category_id = (SELECT min(id) FROM budget_categories WHERE kind = '收入') "
         "WHERE id = (SELECT min(id) FROM activity_expenses)"],
        ["记在了收入科目"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_each_damage_exits_1_and_says_what_is_wrong(
    demo: Path, tmp_path: Path, isolated_home: Path, damage: str
) -> None:
    statements, words = DAMAGES[damage]
    db = damaged_copy(demo, tmp_path, *statements)
    result = check(db, isolated_home)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "没有发现问题" not in result.stdout
    for word in words:
        assert word in result.stdout, result.stdout
    assert "备份与恢复" in result.stdout  # what to do about it
    assert "Traceback" not in result.stderr


def test_a_damaged_index_is_reported_by_the_integrity_check(
    demo: Path, tmp_path: Path, isolated_home: Path
) -> None:
    db = tmp_path / "damaged.db"
    shutil.copyfile(demo, db)
    corrupt_index(db, "ix_members_status")
    result = check(db, isolated_home)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "已检查：账套文件完好，没有损坏——发现" in result.stdout
    assert "数据库文件损坏" in result.stdout and "ix_members_status" in result.stdout


def test_json_names_each_check_and_its_problems(demo: Path, tmp_path: Path, isolated_home: Path) -> None:
    clean = check(demo, isolated_home, "--json")
    assert clean.returncode == 0
    report = json.loads(clean.stdout)
    assert report["ok"] is True and report["problem_count"] == 0
    assert len(report["checks"]) >= 9 and all(c["ok"] and c["problems"] == [] for c in report["checks"])

    statements, _words = DAMAGES["dues"]
    damaged = check(damaged_copy(demo, tmp_path, *statements), isolated_home, "--json")
    assert damaged.returncode == 1
    report = json.loads(damaged.stdout)
    assert report["ok"] is False and report["problem_count"] >= 1
    failing = [c for c in report["checks"] if not c["ok"]]
    assert [c["name"][:3] for c in failing] == ["会费："]
    assert any("已缴金额" in p for p in failing[0]["problems"])
