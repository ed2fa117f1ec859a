"""The program as a user starts it: real processes, real files."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import zipfile
from pathlib import Path
from subprocess import PIPE

import pytest

ROOT = Path(__file__).resolve().parents[2]


def uniondesk(
    *args: str,
    env_home: Path,
    cwd: Path | None = None,
    extra_env: dict[str, str] | None = None,
    timeout: int = 120,
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, UNIONDESK_HOME=str(env_home), QT_QPA_PLATFORM="offscreen", **(extra_env or {}))
    env["PYTHONFAULTHANDLER"] = "1"  # a program that hangs shows where each of its threads is
    command = [sys.executable, "-m", "app", *args]
    with subprocess.Popen(
        command, stdout=PIPE, stderr=PIPE, text=True, env=env, cwd=cwd or ROOT, encoding="utf-8"
    ) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            if sys.platform == "win32":
                process.kill()
            else:  # the fault handler prints every thread's stack as SIGABRT ends the program
                process.send_signal(signal.SIGABRT)
            stdout, stderr = process.communicate()
            pytest.fail(
                f"uniondesk {' '.join(args)} did not end within {timeout} s. Its output:\n{stdout}\n{stderr}"
            )
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def _log_of(home: Path) -> str:
    log = home / "log" / "uniondesk.log"
    return log.read_text(encoding="utf-8") if log.exists() else ""


@pytest.mark.slow
def test_gui_opens_default_database_and_reports_ready(isolated_home: Path) -> None:
    result = uniondesk("gui", "--quit-when-ready", env_home=isolated_home)
    assert result.returncode == 0, result.stderr + _log_of(isolated_home)  # an unexpected error: its details
    assert re.fullmatch(r"ready \d+\n", result.stdout)
    assert (isolated_home / "data" / "union.db").exists()


@pytest.mark.slow
def test_gui_on_a_bad_file_exits_3(isolated_home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "x.db"
    bad.write_text("hello", encoding="utf-8")
    result = uniondesk("--db", str(bad), "gui", "--quit-when-ready", env_home=isolated_home)
    assert result.returncode == 3
    assert "不是 UnionDesk 账套文件" in result.stderr


@pytest.mark.slow
def test_demo_then_check_then_gui(isolated_home: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    made = uniondesk("--db", db, "demo", "--members", "500", env_home=isolated_home)
    assert made.returncode == 0 and "500 名会员" in made.stdout
    checked = uniondesk("--db", db, "check", env_home=isolated_home)
    assert checked.returncode == 0 and "没有发现问题" in checked.stdout
    shown = uniondesk("--db", db, "gui", "--quit-when-ready", env_home=isolated_home)
    assert shown.returncode == 0 and shown.stdout.startswith("ready ")


@pytest.mark.slow
def test_non_editable_install_carries_migrations_and_resources(tmp_path: Path, isolated_home: Path) -> None:
    """`pip install .` (not -e) must ship the migrations and resources inside the package."""
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
        timeout=300,
    )
    wheel = next(wheels.glob("uniondesk-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "app/migrations/script.py.mako" in names
    assert "app/migrations/env.py" in names
    assert any(n.startswith("app/migrations/versions/0001") for n in names)
    assert "app/py.typed" in names
    # resources/ sits at the top of the repository and ships inside the package
    assert {"app/resources/icons/uniondesk.svg", "app/resources/pinyin_readings.txt"} <= names
    assert not any(n.startswith("resources/") for n in names)
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        timeout=300,
    )
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {"PYTHONPATH": str(target)}
    db = str(tmp_path / "installed.db")
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import app, app.paths as p; print(app.__file__); print(p.resource('icons', 'uniondesk.svg'));"
            " print(p.resource('pinyin_readings.txt'))",
        ],
        capture_output=True,
        text=True,
        cwd=outside,
        env=dict(os.environ, **env),
        timeout=60,
    )
    assert probe.returncode == 0, probe.stderr
    module, icon, readings = probe.stdout.splitlines()
    assert Path(module).is_relative_to(target)
    # found in the installed package, not in the checkout's resources/
    installed = (target / "app" / "resources").resolve()
    assert Path(icon).is_relative_to(installed), icon
    assert Path(readings).is_relative_to(installed), readings
    created = uniondesk(
        "--db", db, "init", "--name", "安装测试工会", env_home=isolated_home, cwd=outside, extra_env=env
    )
    assert created.returncode == 0, created.stderr
    shown = uniondesk(
        "--db", db, "gui", "--quit-when-ready", env_home=isolated_home, cwd=outside, extra_env=env
    )
    assert shown.returncode == 0 and shown.stdout.startswith("ready "), shown.stderr


def _patched_program(script: str, db: str, home: Path) -> subprocess.CompletedProcess[str]:
    """``script`` (the program with one part replaced) run on ``db`` as ``uniondesk`` runs."""
    env = dict(os.environ, UNIONDESK_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-c", script, db], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=120, encoding="utf-8")  # fmt: skip


# As the program runs, except that opening the 账套 fails the way a bug would.
_OPENING_FAILS = """
import sys
import app.ui.startup as startup
from app.cli import run_program

def broken(*args, **kwargs):
    raise RuntimeError("opening failed")

startup.open_with_first_page = broken
sys.exit(run_program(["--db", sys.argv[1], "gui", "--quit-when-ready"]))
"""


@pytest.mark.slow
def test_gui_quit_when_ready_ends_with_1_on_an_unexpected_error(isolated_home: Path, tmp_path: Path) -> None:
    """Nobody is at the screen to close the error dialog: the program says what happened on
    stderr and ends, rather than wait for a click."""
    result = _patched_program(_OPENING_FAILS, str(tmp_path / "new.db"), isolated_home)
    assert result.returncode == 1 and result.stdout == ""
    assert "程序出错：" in result.stderr and "Traceback" not in result.stderr
    assert "RuntimeError: opening failed" in _log_of(isolated_home)


# As the program runs, except that the 账套 counts as large (its first page shown before the
# full check) and that check finds it damaged a moment after the page is on screen.
_LARGE_AND_DAMAGED = """
import sys, time
import app.db_file as db_file
import app.ui.startup as startup
from app.cli import run_program
from app.db_file import CorruptDatabaseError

startup.LONG_CHECK_BYTES = 0

def damaged(path, *args):
    time.sleep(1.5)
    raise CorruptDatabaseError("账套文件已损坏")

db_file.is_current = damaged
sys.exit(run_program(["--db", sys.argv[1], "gui", "--quit-when-ready"]))
"""


@pytest.mark.slow
def test_gui_on_a_large_file_that_fails_its_check_after_showing_exits_3(
    isolated_home: Path, tmp_path: Path
) -> None:
    """``ready`` is said when the first page shows; the program ends only once the full check
    has spoken, and with 3 when it found the file damaged."""
    db = str(tmp_path / "demo.db")
    assert uniondesk("--db", db, "demo", "--members", "50", env_home=isolated_home).returncode == 0
    result = _patched_program(_LARGE_AND_DAMAGED, db, isolated_home)
    assert result.stdout.startswith("ready ")
    assert result.returncode == 3 and "已损坏" in result.stderr
