"""`password …` and the 启动密码 every other command asks for, run in-process."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from app.cli import EXIT_DATABASE, EXIT_INPUT, EXIT_OK, EXIT_USAGE, main
from app.cli.access import only_reads


def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str = ""
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))  # never a terminal here
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def union(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.delenv("UNIONDESK_PASSWORD", raising=False)
    db = str(tmp_path / "u.db")
    assert run(capsys, monkeypatch, "--db", db, "init", "--name", "测试工会")[0] == EXIT_OK
    return db


def test_setting_a_password_checks_it(
    union: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(
        capsys, monkeypatch, "--db", union, "password", "set", "--password-stdin", stdin="abc\n"
    )
    assert code == EXIT_INPUT and "新密码：至少要 4 个字符" in err
    code, _, err = run(capsys, monkeypatch, "--db", union, "password", "set")
    assert code == EXIT_USAGE and "没有可以输入密码的终端" in err
    code, _, err = run(
        capsys,
        monkeypatch,
        "--db",
        union,
        "password",
        "set",
        "--password-stdin",
        "--idle-minutes",
        "-3",
        stdin="abcd\n",
    )
    assert code == EXIT_INPUT and "0 到 1440" in err
    code, out, _ = run(capsys, monkeypatch, "--db", union, "password", "status", "--json")
    assert json.loads(out) == {"password_set": False, "idle_minutes": 0}  # nothing stored by the refusals
    code, out, _ = run(
        capsys, monkeypatch, "--db", union, "password", "set", "--password-stdin", stdin="abcd\n"
    )
    assert code == EXIT_OK
    code, _, err = run(
        capsys, monkeypatch, "--db", union, "password", "set", "--password-stdin", stdin="efgh\n"
    )
    assert code == EXIT_INPUT and "password change" in err


def test_change_remove_and_idle_need_the_old_password(
    union: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(
        capsys, monkeypatch, "--db", union, "password", "remove", "--password-stdin", stdin="abcd\n"
    )
    assert code == EXIT_INPUT and "没有设启动密码" in err
    run(capsys, monkeypatch, "--db", union, "password", "set", "--password-stdin", stdin="abcd\n")
    code, _, err = run(
        capsys, monkeypatch, "--db", union, "password", "change", "--password-stdin", stdin="abce\nnewer\n"
    )
    assert code == EXIT_INPUT and "原密码：不对" in err
    code, _, err = run(
        capsys, monkeypatch, "--db", union, "password", "change", "--password-stdin", stdin="abcd\n"
    )
    assert code == EXIT_INPUT and "标准输入中缺少新密码" in err
    code, _, err = run(capsys, monkeypatch, "--db", union, "password", "idle", "3")
    assert code == EXIT_USAGE and "UNIONDESK_PASSWORD" in err  # no terminal, no password given
    monkeypatch.setenv("UNIONDESK_PASSWORD", "abcd")
    code, out, _ = run(capsys, monkeypatch, "--db", union, "password", "idle", "3")
    assert code == EXIT_OK and "3 分钟" in out
    code, out, _ = run(capsys, monkeypatch, "--db", union, "password", "status", "--json")
    assert json.loads(out) == {"password_set": True, "idle_minutes": 3}
    monkeypatch.setenv("UNIONDESK_PASSWORD", "wrong")
    code, _, err = run(capsys, monkeypatch, "--db", union, "password", "remove")
    assert code == EXIT_INPUT and "原密码：不对" in err
    code, _, err = run(capsys, monkeypatch, "--db", union, "profile", "show")
    assert code == EXIT_DATABASE and "启动密码不对" in err
    code, out, _ = run(
        capsys, monkeypatch, "--db", union, "password", "remove", "--password-stdin", stdin="abcd\n"
    )
    assert code == EXIT_OK  # standard input comes before the environment when asked for
    code, out, _ = run(capsys, monkeypatch, "--db", union, "profile", "show")
    assert code == EXIT_OK and "测试工会" in out


def test_a_damaged_password_record_refuses_every_command(
    union: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    with sqlite3.connect(union) as connection:
        connection.execute(
            "INSERT INTO app_settings (key, value) VALUES ('secret.startup_password', 'garbled')"
        )
    connection.close()
    monkeypatch.setenv("UNIONDESK_PASSWORD", "abcd")
    code, _, err = run(capsys, monkeypatch, "--db", union, "profile", "show")
    assert code == EXIT_DATABASE and "启动密码记录已损坏" in err


def test_reading_commands_are_told_from_the_rest() -> None:
    from app.cli import build_parser

    def handler_of(*args: str) -> object:
        return build_parser(list(args)).parse_args(list(args)).handler

    assert only_reads(handler_of("profile", "show"))
    assert only_reads(handler_of("member", "list"))
    assert not only_reads(handler_of("profile", "set"))  # @writes
    assert not only_reads(handler_of("init", "--name", "x"))
    assert not only_reads(handler_of("roster", "import", "x.xlsx"))  # a handler of its own: may write
