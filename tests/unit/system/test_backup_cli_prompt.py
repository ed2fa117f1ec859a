"""`restore` asks on a terminal unless --yes; `backup --folder` sets where backups go."""

from __future__ import annotations

import io
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

import pytest

from app.cli import EXIT_INPUT, EXIT_OK, main
from app.db_backup import default_folder


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _name(path: Path) -> str:
    with closing(sqlite3.connect(path)) as con:
        return str(con.execute("SELECT name FROM union_profile").fetchone()[0])


def test_restore_asks_on_a_terminal_and_a_no_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "union.db")
    assert main(["--db", db, "init", "--name", "原来的工会"]) == EXIT_OK
    assert main(["--db", db, "backup"]) == EXIT_OK
    (backup,) = default_folder(Path(db)).glob("union_*_手动.db")
    assert main(["--db", db, "profile", "set", "--name", "后来的工会"]) == EXIT_OK
    capsys.readouterr()

    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))
    assert main(["--db", db, "restore", str(backup)]) == EXIT_INPUT
    out = capsys.readouterr().out
    assert "现在的数据会先另存为一份“恢复前”备份" in out and "已取消，账套没有改动" in out
    assert _name(Path(db)) == "后来的工会"

    monkeypatch.setattr(sys, "stdin", Terminal("y\n"))
    assert main(["--db", db, "restore", str(backup)]) == EXIT_OK
    assert "恢复前的数据已另存为" in capsys.readouterr().out
    assert _name(Path(db)) == "原来的工会"


def test_backup_folder_is_set_and_reset_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "union.db")
    usb = tmp_path / "usb"
    usb.mkdir()
    assert main(["--db", db, "init", "--name", "某工会"]) == EXIT_OK
    assert main(["--db", db, "backup", "--folder", str(usb)]) == EXIT_OK
    assert f"以后的备份将保存在：{usb}" in capsys.readouterr().out
    assert main(["--db", db, "backup"]) == EXIT_OK
    assert len(list(usb.glob("union_*_手动.db"))) == 1
    assert main(["--db", db, "backup", "--folder", str(tmp_path / "无" / "此处")]) == EXIT_INPUT
    assert "找不到文件夹" in capsys.readouterr().err
    assert main(["--db", db, "backup", "--default-folder"]) == EXIT_OK
    assert "默认文件夹" in capsys.readouterr().out
    assert main(["--db", db, "backup"]) == EXIT_OK
    assert len(list(default_folder(Path(db)).glob("union_*_手动.db"))) == 1
