"""The 启动密码 and the instance lock on the command line, as a script meets them: real
processes, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import make_demo_db
from tests.fixtures.lock_holder import holding

ROOT = Path(__file__).resolve().parents[2]


def run(
    db: Path, home: Path, *args: str, stdin: str = "", password: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``uniondesk --db DB ARGS`` with ``stdin`` as its standard input (never a terminal)."""
    env = dict(os.environ, UNIONDESK_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    env.pop("UNIONDESK_PASSWORD", None)
    if password is not None:
        env["UNIONDESK_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, "-m", "app", "--db", str(db), *args],
        input=stdin, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, encoding="utf-8",
    )  # fmt: skip


@pytest.fixture
def union(tmp_path: Path) -> Path:
    return make_demo_db(tmp_path / "union.db", 30)


@pytest.mark.slow
def test_password_commands_and_a_command_that_needs_it(union: Path, isolated_home: Path) -> None:
    made = run(
        union, isolated_home, "password", "set", "--password-stdin", "--idle-minutes", "5", stdin="工会1234\n"
    )
    assert made.returncode == 0 and "已设置启动密码" in made.stdout and "不会加密账套文件" in made.stdout
    refused = run(union, isolated_home, "member", "list", "--json")
    assert refused.returncode == 3 and refused.stdout == ""
    assert "设有启动密码，命令没有执行" in refused.stderr and "UNIONDESK_PASSWORD" in refused.stderr
    wrong = run(union, isolated_home, "member", "list", "--json", password="工会12345")
    assert wrong.returncode == 3 and "启动密码不对" in wrong.stderr and wrong.stdout == ""
    listed = run(union, isolated_home, "member", "list", "--json", password="工会1234")
    assert listed.returncode == 0 and json.loads(listed.stdout)["count"] == 30
    status = run(union, isolated_home, "password", "status")  # whether there is one is no secret
    assert status.returncode == 0 and "启动密码：已设置" in status.stdout and "5 分钟" in status.stdout
    changed = run(
        union, isolated_home, "password", "change", "--password-stdin", stdin="工会1234\n新的密码\n"
    )
    assert changed.returncode == 0, changed.stderr
    assert run(union, isolated_home, "check", password="工会1234").returncode == 3
    removed = run(union, isolated_home, "password", "remove", password="新的密码")
    assert removed.returncode == 0 and "启动密码已取消" in removed.stdout
    assert run(union, isolated_home, "check").returncode == 0  # no password needed any more


@pytest.mark.slow
def test_a_restore_over_a_protected_union_needs_its_password(union: Path, isolated_home: Path) -> None:
    backup = run(union, isolated_home, "backup", "--json")
    assert backup.returncode == 0, backup.stderr
    made = json.loads(backup.stdout)["file"]
    assert (
        run(union, isolated_home, "password", "set", "--password-stdin", stdin="工会1234\n").returncode == 0
    )
    before = union.read_bytes()
    refused = run(union, isolated_home, "restore", made, "--yes")
    assert refused.returncode == 3 and "设有启动密码，命令没有执行" in refused.stderr
    assert union.read_bytes() == before  # not replaced
    restored = run(union, isolated_home, "restore", made, "--yes", password="工会1234")
    assert restored.returncode == 0, restored.stderr
    assert run(union, isolated_home, "password", "status").stdout.count("未设置") == 1  # the backup's state


@pytest.mark.slow
def test_a_window_holding_the_union_refuses_commands_that_write(union: Path, isolated_home: Path) -> None:
    with holding(union):  # another process holds the lock as an open window does
        written = run(union, isolated_home, "profile", "set", "--phone", "0551-1234567")
        assert written.returncode == 3
        assert "已经在另一个 UnionDesk 窗口中打开" in written.stderr
        assert "请关闭那个窗口后再运行这个命令" in written.stderr
        shown = run(union, isolated_home, "profile", "show")  # reading needs no lock
        assert shown.returncode == 0 and "0551-1234567" not in shown.stdout
        listed = run(union, isolated_home, "member", "list", "--json")
        assert listed.returncode == 0 and json.loads(listed.stdout)["count"] == 30
    written = run(union, isolated_home, "profile", "set", "--phone", "0551-1234567")
    assert written.returncode == 0, written.stderr
    assert "0551-1234567" in run(union, isolated_home, "profile", "show").stdout


@pytest.mark.slow
def test_commands_that_write_run_beside_one_another(union: Path, isolated_home: Path) -> None:
    with holding(union, "command"):  # another command writing: SQLite orders the two
        written = run(union, isolated_home, "profile", "set", "--phone", "0551-7654321")
        assert written.returncode == 0, written.stderr


@pytest.mark.slow
def test_the_window_refuses_a_union_another_window_has(union: Path, isolated_home: Path) -> None:
    with holding(union):
        shown = run(union, isolated_home, "gui", "--quit-when-ready")
    assert shown.returncode == 3
    assert "已经在另一个 UnionDesk 窗口中打开" in shown.stderr and "ready" not in shown.stdout


@pytest.mark.slow
def test_the_window_started_by_a_script_takes_the_password_from_the_environment(
    union: Path, isolated_home: Path
) -> None:
    assert run(union, isolated_home, "password", "set", "--password-stdin", stdin="abcd\n").returncode == 0
    refused = run(union, isolated_home, "gui", "--quit-when-ready")
    assert refused.returncode == 3 and "设有启动密码" in refused.stderr and "ready" not in refused.stdout
    shown = run(union, isolated_home, "gui", "--quit-when-ready", password="abcd")
    assert shown.returncode == 0 and shown.stdout.startswith("ready "), shown.stderr
