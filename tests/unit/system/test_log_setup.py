"""The rotating log: where it goes, how it rotates, and that it never disturbs the program."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.log_setup import (
    BACKUP_COUNT,
    LOG_NAME,
    MAX_BYTES,
    RotatingLog,
    configure_logging,
    log_file,
    where_the_log_is,
)


@pytest.fixture(autouse=True)
def root_logger_restored() -> Iterator[None]:
    """Each test configures the process's root logger; put it back as it was."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_the_log_goes_to_the_log_folder_in_utf8(isolated_home: Path) -> None:
    path = configure_logging()
    assert path == (isolated_home / "log" / LOG_NAME).absolute()
    logging.getLogger("uniondesk.test").info("已导入 50000 名会员")
    assert "已导入 50000 名会员" in path.read_text(encoding="utf-8")
    assert log_file() == path and str(path) in where_the_log_is()


def test_configuring_twice_keeps_one_handler_and_follows_a_moved_folder(
    isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = configure_logging()
    assert configure_logging() == first
    assert sum(isinstance(h, RotatingLog) for h in logging.getLogger().handlers) == 1
    monkeypatch.setenv("UNIONDESK_HOME", str(tmp_path / "elsewhere"))
    moved = configure_logging()
    assert moved == (tmp_path / "elsewhere" / "log" / LOG_NAME).absolute()
    assert sum(isinstance(h, RotatingLog) for h in logging.getLogger().handlers) == 1


def test_it_rotates_at_1_mb_and_keeps_five_old_files(isolated_home: Path) -> None:
    path = configure_logging()
    assert path is not None
    line = "会" * 330  # about 1 KB in UTF-8
    log = logging.getLogger("uniondesk.test")
    for _ in range(7 * MAX_BYTES // 1000):
        log.info(line)
    files = sorted(p.name for p in path.parent.iterdir())
    assert files == [LOG_NAME] + [f"{LOG_NAME}.{n}" for n in range(1, BACKUP_COUNT + 1)]
    assert all(p.stat().st_size <= MAX_BYTES for p in path.parent.iterdir())


def test_an_unwritable_folder_falls_back_quietly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("UNIONDESK_HOME", str(blocker))  # the log folder would be under a file
    root = logging.getLogger()
    for handler in list(root.handlers):  # as in a fresh command line process
        if isinstance(handler, RotatingLog):  # an earlier test's, in this process: closed, not left to GC
            root.removeHandler(handler)
            handler.close()
    assert configure_logging() is None
    logging.getLogger("uniondesk.test").error("写不进日志")
    assert log_file() is None and "无法写入" in where_the_log_is()
    assert "写不进日志" not in capsys.readouterr().err


def test_a_rotation_the_system_refuses_is_skipped_and_logging_goes_on(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Windows refuses to rename a log another UnionDesk has open."""
    path = configure_logging()
    assert path is not None
    handler = next(h for h in logging.getLogger().handlers if isinstance(h, RotatingLog))

    def refuse(_source: str, _dest: str) -> None:
        raise PermissionError(13, "另一个程序正在使用此文件")

    monkeypatch.setattr(handler, "rotate", refuse)
    handler.doRollover()
    logging.getLogger("uniondesk.test").info("轮换失败之后")
    assert "轮换失败之后" in path.read_text(encoding="utf-8")
    assert "Logging error" not in capsys.readouterr().err
