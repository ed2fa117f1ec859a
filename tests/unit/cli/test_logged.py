"""Every command in the log; an error nobody expected ends in one Chinese line, not a traceback."""

from __future__ import annotations

import logging
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from app.cli import EXIT_DATABASE, EXIT_INPUT, EXIT_OK, main
from app.cli.logged import EXIT_INTERRUPTED, command_words
from app.log_setup import LOG_NAME, RotatingLog

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def root_logger_restored() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


@pytest.fixture
def union(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    db = str(tmp_path / "u.db")
    assert main(["--db", db, "init", "--name", "测试工会"]) == EXIT_OK
    capsys.readouterr()
    return db


def _log(home: Path) -> str:
    return (home / "log" / LOG_NAME).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--db", "x.db", "care", "batch", "add", "--name", "春节"], "care batch add"),
        (["member", "show", "张三"], "member show"),
        (["member", "show", "110105194912310021"], "member show"),
        (["dues", "roll", "2026-01..2026-12", "--json"], "dues roll"),
        (["--db=x.db", "check"], "check"),
        (["--help"], ""),
    ],
)
def test_the_log_keeps_the_command_words_not_the_values(argv: list[str], words: str) -> None:
    assert command_words(argv) == words


def test_each_command_is_logged_with_its_outcome(
    union: str, isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", union, "check"]) == EXIT_OK
    assert main(["--db", union, "member", "show", "不存在的人"]) == EXIT_INPUT
    text = _log(isolated_home)
    assert "开始：uniondesk check" in text and "结束：uniondesk check，退出码 0（完成）" in text
    assert "结束：uniondesk member show，退出码 1" in text
    assert "不存在的人" not in text  # what was typed after the command stays out of the log


def test_an_unexpected_error_is_one_line_naming_the_log(
    union: str, isolated_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise KeyError("程序里的一个错误")

    monkeypatch.setattr("app.services.system.check.run_checks", broken)
    assert main(["--db", union, "check"]) == EXIT_INPUT
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "KeyError" not in err
    assert err.startswith("程序出错：“check”没有完成。已经保存的数据不受影响")
    assert str(isolated_home / "log" / LOG_NAME) in err
    text = _log(isolated_home)
    assert "出错：uniondesk check" in text and "Traceback" in text and "程序里的一个错误" in text


def test_sqlite_failing_underneath_exits_3(
    union: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def io_error(*_args: object, **_kwargs: object) -> None:
        raise OperationalError("SELECT 1", {}, sqlite3.OperationalError("disk I/O error"))

    monkeypatch.setattr("app.services.system.check.run_checks", io_error)
    assert main(["--db", union, "check"]) == EXIT_DATABASE
    assert "程序出错" in capsys.readouterr().err


def test_ctrl_c_is_told_not_traced(
    union: str, isolated_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("app.services.system.check.run_checks", interrupted)
    assert main(["--db", union, "check"]) == EXIT_INTERRUPTED
    err = capsys.readouterr().err
    assert err.startswith("已中断。") and "Traceback" not in err
    assert "中断：uniondesk check" in _log(isolated_home)


def test_a_real_process_prints_no_traceback(union: str, isolated_home: Path) -> None:
    script = (
        "import sys, app.services.system.check as c\n"
        "c.run_checks = lambda *a, **k: 1 / 0\n"
        "from app.cli import main\n"
        f"sys.exit(main(['--db', {union!r}, 'check']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=60,
        env={**__import__("os").environ, "UNIONDESK_HOME": str(isolated_home)},
    )  # fmt: skip
    assert result.returncode == EXIT_INPUT
    assert "Traceback" not in result.stderr and "程序出错" in result.stderr
    assert "ZeroDivisionError" in _log(isolated_home)


def test_the_window_is_not_a_logged_command(monkeypatch: pytest.MonkeyPatch) -> None:
    """`uniondesk` alone opens the window, which sets up its own log (and the error dialog)."""
    seen: list[object] = []
    monkeypatch.setattr(logging.getLogger(), "handlers", [])  # as a fresh process starts

    def run_gui(*args: object, **_kwargs: object) -> int:
        seen.append(args)
        return 0

    monkeypatch.setattr("app.ui.app.run_gui", run_gui)
    assert main(["gui"]) == 0 and len(seen) == 1
    assert not any(isinstance(h, RotatingLog) for h in logging.getLogger().handlers)


def test_the_programs_warnings_still_reach_the_terminal_but_tracebacks_do_not(
    union: str, isolated_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def warn_then_fail(*_args: object, **_kwargs: object) -> None:
        logging.getLogger("app.db_backup").warning("批量写入前的自动备份没有完成：磁盘已满")
        raise ValueError("程序里的错误")

    monkeypatch.setattr("app.services.system.check.run_checks", warn_then_fail)
    assert main(["--db", union, "check"]) == EXIT_INPUT
    assert main(["--db", union, "profile", "show"]) == EXIT_OK  # set up twice: still one line each
    err = capsys.readouterr().err
    assert err.count("批量写入前的自动备份没有完成：磁盘已满\n") == 1
    assert "Traceback" not in err and "出错：uniondesk" not in err
    assert "磁盘已满" in _log(isolated_home)
