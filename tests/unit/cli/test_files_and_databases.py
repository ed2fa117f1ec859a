"""What the command line does with files and 账套 a user gets wrong (issue defects 3, 7, 11)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from app.cli import EXIT_DATABASE, EXIT_INPUT, EXIT_OK, main
from tests.fixtures.hostile import id_number

ROWS = [
    ["姓名", "身份证号", "部门"],
    ["张伟", "11010519491231002X", "财务科"],
    ["李娜", "1101051949123100", "销售部"],  # too short: an error row
]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _roster(path: Path) -> Path:
    workbook = Workbook()
    for row in ROWS:
        workbook.active.append(row)
    workbook.save(path)
    return path


def _union(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    db = str(tmp_path / "u.db")
    assert run(capsys, "--db", db, "init", "--name", "测试工会")[0] == EXIT_OK
    return db


def _members(db: str, capsys: pytest.CaptureFixture[str]) -> int:
    code, out, _ = run(capsys, "--db", db, "member", "list", "--json")
    assert code == EXIT_OK
    count: int = json.loads(out)["count"]
    return count


def test_the_error_report_never_overwrites_the_file_being_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _union(tmp_path, capsys)
    source = _roster(tmp_path / "a.xlsx")
    before = source.read_bytes()
    for report in (source, tmp_path / "." / "a.xlsx"):
        code, _out, err = run(capsys, "--db", db, "roster", "import", str(source), "--errors", str(report))
        assert code == EXIT_INPUT and "不能保存为正在导入的文件" in err
    assert source.read_bytes() == before
    assert _members(db, capsys) == 0


def test_a_report_path_that_is_a_folder_stops_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _union(tmp_path, capsys)
    source = _roster(tmp_path / "a.xlsx")
    folder = tmp_path / "reports"
    folder.mkdir()
    args = ("--db", db, "roster", "import", str(source), "--skip-invalid", "--errors", str(folder))
    code, _out, err = run(capsys, *args)
    assert code == EXIT_INPUT and "文件夹" in err
    assert _members(db, capsys) == 0  # exit 1 means nothing was written
    code, out, _ = run(capsys, *args[:-1], str(folder / "错误报告.xlsx"), "--json")
    assert code == EXIT_OK and json.loads(out)["written"] is True and (folder / "错误报告.xlsx").exists()
    assert _members(db, capsys) == 1


@pytest.mark.parametrize(
    "command",
    [
        ["member", "list"],
        ["check"],
        ["roster", "export", "OUT"],
        ["group", "add", "财务科"],
        ["profile", "show"],
        ["roster", "import", "IN"],
    ],
)
def test_only_init_and_demo_create_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    typo = tmp_path / "typo.db"
    source = _roster(tmp_path / "a.xlsx")
    args = [str(tmp_path / "out.xlsx") if a == "OUT" else str(source) if a == "IN" else a for a in command]
    code, out, err = run(capsys, "--db", str(typo), *args)
    assert code == EXIT_DATABASE and "不存在" in err and "共 0 人" not in out
    assert not typo.exists()
    assert not (tmp_path / "out.xlsx").exists()
    assert run(capsys, "--db", str(typo), "init", "--name", "测试工会")[0] == EXIT_OK
    assert typo.exists()


def test_a_folder_given_as_the_file_to_import_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _union(tmp_path, capsys)
    for name in ("folder.xlsx", "folder.csv"):
        (tmp_path / name).mkdir()
        code, _out, err = run(capsys, "--db", db, "roster", "import", str(tmp_path / name))
        assert code == EXIT_INPUT and "文件夹" in err and "Traceback" not in err


def test_a_database_another_program_is_writing_exits_3_after_waiting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import functools
    import sqlite3

    import app.db

    db = _union(tmp_path, capsys)
    monkeypatch.setattr(app.db, "open_database", functools.partial(app.db.open_database, busy_timeout=0.2))
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        code, _out, err = run(
            capsys, "--db", db, "member", "add", "--name", "张伟", "--id", "11010519491231002X"
        )
        assert code == EXIT_DATABASE and "正被其他程序使用" in err and "Traceback" not in err
        code, _out, err = run(capsys, "--db", db, "member", "list")
        assert code == EXIT_DATABASE and "正被其他程序使用" in err
    finally:
        other.execute("ROLLBACK")
        other.close()
    code, _out, _err = run(
        capsys, "--db", db, "member", "add", "--name", "张伟", "--id", "11010519491231002X"
    )
    assert code == EXIT_OK and _members(db, capsys) == 1


def test_an_export_never_overwrites_the_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _union(tmp_path, capsys)
    link = tmp_path / "link.xlsx"
    link.symlink_to(db)
    before = Path(db).read_bytes()
    for command in ("export", "template"):
        for target in (db, str(link)):
            code, _out, err = run(capsys, "--db", db, "roster", command, target)
            assert code == EXIT_INPUT and ("正在使用的账套" in err or ".xlsx" in err), err
    assert Path(db).read_bytes() == before
    source = _roster(tmp_path / "a.xlsx")
    code, _out, err = run(
        capsys, "--db", db, "roster", "import", str(source), "--skip-invalid", "--errors", str(link)
    )
    assert code == EXIT_INPUT and "正在使用的账套" in err
    assert run(capsys, "--db", db, "check")[0] == EXIT_OK and _members(db, capsys) == 0


def test_an_empty_key_finds_nobody(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _union(tmp_path, capsys)
    assert (
        run(capsys, "--db", db, "member", "add", "--name", "李四", "--id", "110105199001011232")[0] == EXIT_OK
    )
    for key in ("", " "):
        code, _out, err = run(capsys, "--db", db, "member", "delete", key, "--yes")
        assert code == EXIT_INPUT and "请给出" in err
    assert _members(db, capsys) == 1


def test_when_the_error_report_cannot_be_saved_nothing_is_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.services.imports.report as report
    from app.services.errors import UserError

    def refuse(*_args: object) -> Path:
        raise UserError("错误报告无法保存：磁盘已满")

    monkeypatch.setattr(report, "write_error_report", refuse)
    db = _union(tmp_path, capsys)
    source = _roster(tmp_path / "a.xlsx")
    code, _out, err = run(
        capsys,
        "--db",
        db,
        "roster",
        "import",
        str(source),
        "--skip-invalid",
        "--errors",
        str(tmp_path / "r.xlsx"),
    )
    assert code == EXIT_INPUT and "磁盘已满" in err
    assert _members(db, capsys) == 0  # exit 1: nothing was written


def test_an_empty_file_is_not_made_a_database_by_accident(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    empty_sqlite = tmp_path / "empty.db"
    sqlite3.connect(empty_sqlite).execute("VACUUM")
    zero = tmp_path / "zero.db"
    zero.touch()
    for path in (empty_sqlite, zero):
        before = path.read_bytes()
        code, _out, err = run(capsys, "--db", str(path), "check")
        assert code == EXIT_DATABASE and "还不是账套" in err
        assert path.read_bytes() == before
    assert run(capsys, "--db", str(zero), "init", "--name", "测试工会")[0] == EXIT_OK


def test_names_too_long_and_closed_pipes_are_no_tracebacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _union(tmp_path, capsys)
    long = str(tmp_path / ("长" * 120 + ".xlsx"))
    code, _out, err = run(capsys, "--db", db, "roster", "import", long)
    assert code == EXIT_INPUT and "太长" in err
    code, _out, err = run(capsys, "--db", str(tmp_path / ("长" * 120 + ".db")), "check")
    assert code == EXIT_DATABASE and "太长" in err


def test_a_header_under_forty_lines_of_titles_is_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _union(tmp_path, capsys)
    workbook = Workbook()
    for line in range(39):
        workbook.active.append([f"说明第 {line + 1} 行"])
    for row in ROWS[:2]:
        workbook.active.append(row)
    workbook.save(tmp_path / "deep.xlsx")
    code, out, _err = run(capsys, "--db", db, "roster", "import", str(tmp_path / "deep.xlsx"), "--json")
    assert code == EXIT_OK and json.loads(out)["new"] == 1


def test_demo_never_replaces_what_init_recorded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _union(tmp_path, capsys)
    code, _out, err = run(capsys, "--db", db, "demo", "--members", "5")
    assert code == EXIT_INPUT and "测试工会" in err
    code, out, _ = run(capsys, "--db", db, "profile", "show")
    assert "测试工会" in out


def test_a_damaged_zip_is_described_in_chinese_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _union(tmp_path, capsys)
    (tmp_path / "bin.xlsx").write_bytes(b"PK\x03\x04" + bytes(100))
    code, _out, err = run(capsys, "--db", db, "roster", "import", str(tmp_path / "bin.xlsx"))
    assert code == EXIT_INPUT and "已损坏或不完整" in err
    assert not any(word in err for word in ("Error", "Zip", "zlib")), err


def test_a_large_import_keeps_one_backup_of_the_union_before_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], isolated_home: Path
) -> None:
    import sqlite3
    from contextlib import closing

    from app.db_backup import KIND_BULK, default_folder, list_backups

    db = _union(tmp_path, capsys)
    workbook = Workbook()
    workbook.active.append(["姓名", "身份证号", "部门"])
    for n in range(150):
        workbook.active.append(
            [
                f"张{'伟芳娜敏静丽强磊军洋'[n // 15 % 10]}{'一二三四五六七八九十甲乙丙丁戊'[n % 15]}",
                id_number(n),
                "生产车间",
            ]
        )
    source = tmp_path / "roster.xlsx"
    workbook.save(source)
    folder = default_folder(Path(db))
    assert run(capsys, "--db", db, "roster", "import", str(source), "--dry-run")[0] == EXIT_OK
    assert list_backups(folder, "u") == [] and not list(folder.glob("*.part"))  # a dry run takes none
    assert run(capsys, "--db", db, "roster", "import", str(source))[0] == EXIT_OK
    assert _members(db, capsys) == 150
    (backup,) = list_backups(folder, "u")
    assert backup.kind == KIND_BULK and backup.intact
    with closing(sqlite3.connect(backup.path)) as con:  # the 账套 as it was before the import
        assert con.execute("SELECT count(*) FROM members").fetchone() == (0,)
    assert not list(folder.glob("*.part"))


def test_a_small_import_leaves_no_backup_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], isolated_home: Path
) -> None:
    """The 批量写入前 backup begins while the file is parsed; a file of a few rows, which
    needs none, stops it and leaves nothing in the folder."""
    from app.db_backup import default_folder

    db = _union(tmp_path, capsys)
    workbook = Workbook()
    workbook.active.append(["姓名", "身份证号", "部门"])
    for n in range(5):
        workbook.active.append([f"王{'一二三四五'[n]}", id_number(n), "生产车间"])
    source = tmp_path / "five.xlsx"
    workbook.save(source)
    assert run(capsys, "--db", db, "roster", "import", str(source))[0] == EXIT_OK
    assert _members(db, capsys) == 5
    folder = default_folder(Path(db))
    assert not folder.exists() or list(folder.iterdir()) == []  # no backup, no .part of one


def test_a_dues_roll_keeps_one_backup_of_the_union_before_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], isolated_home: Path
) -> None:
    import sqlite3
    from contextlib import closing

    from app.db_backup import KIND_BULK, default_folder, list_backups

    db = str(tmp_path / "demo.db")
    assert run(capsys, "--db", db, "demo", "--members", "60", "--year", "2025")[0] == EXIT_OK
    folder = default_folder(Path(db))
    before = set(list_backups(folder, "demo"))
    with closing(sqlite3.connect(db)) as con:
        charges = con.execute("SELECT count(*) FROM dues_charges").fetchone()[0]
    assert run(capsys, "--db", db, "dues", "roll", "2026-01..2026-11")[0] == EXIT_OK
    (backup,) = set(list_backups(folder, "demo")) - before
    assert backup.kind == KIND_BULK and backup.intact
    with closing(sqlite3.connect(backup.path)) as con:  # taken before the roll's charges
        assert con.execute("SELECT count(*) FROM dues_charges").fetchone()[0] == charges
    with closing(sqlite3.connect(db)) as con:
        assert con.execute("SELECT count(*) FROM dues_charges").fetchone()[0] > charges + 100
    assert not list(folder.glob("*.part"))


def test_a_refused_init_or_demo_leaves_no_empty_file_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An empty 账套 left by `init --name ""` would open later as if it were a union's."""
    db = tmp_path / "新账套.db"
    code, _out, err = run(capsys, "--db", str(db), "init", "--name", "")
    assert code == EXIT_INPUT and "请填写工会名称" in err
    code, _out, err = run(capsys, "--db", str(db), "demo", "--members", "-5")
    assert code != EXIT_OK
    assert list(tmp_path.iterdir()) == []
    assert run(capsys, "--db", str(db), "init", "--name", "测试工会")[0] == EXIT_OK
    # a file that was there already stays, whatever a later command says
    assert run(capsys, "--db", str(db), "init", "--name", "别的工会")[0] == EXIT_INPUT
    assert db.is_file() and run(capsys, "--db", str(db), "check")[0] == EXIT_OK


def test_an_import_is_bulk_work_from_the_file_read_to_the_commit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The collector is paused for the whole import, not only while it plans and writes:
    what is read and found lives until the import ends."""
    import app.services.imports as imports
    from app.services.gc_pause import bulk_work_running

    db = _union(tmp_path, capsys)
    found_while: list[bool] = []
    find_sheet = imports.find_sheet

    def finding(*args: object, **kwargs: object) -> imports.Found:
        found_while.append(bulk_work_running())
        return find_sheet(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(imports, "find_sheet", finding)
    code, _out, _err = run(
        capsys, "--db", db, "roster", "import", str(_roster(tmp_path / "r.xlsx")), "--skip-invalid"
    )

    assert code == EXIT_OK
    assert _members(db, capsys) == 1
    assert found_while == [True]
    assert not bulk_work_running()


def test_with_json_a_file_that_cannot_be_read_still_gets_one_object(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A script reading standard output finds the error there, not nothing."""
    db = _union(tmp_path, capsys)
    empty = tmp_path / "空.xlsx"
    empty.write_bytes(b"")
    code, out, err = run(capsys, "--db", db, "care", "import", str(empty), "--json")
    assert code == EXIT_INPUT
    said = json.loads(out)
    assert said == {"error": err.strip(), "exit_code": EXIT_INPUT} and "是空文件" in said["error"]
    code, out, err = run(capsys, "--db", str(tmp_path / "没有.db"), "care", "list", "--json")
    assert code == EXIT_DATABASE and json.loads(out)["error"] == err.strip()


@pytest.mark.parametrize("command", [("care", "import"), ("dues", "import"), ("care", "list")])
@pytest.mark.parametrize("year", ["1900", "0", "99999999999999999999"])
def test_a_year_no_register_belongs_to_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: tuple[str, str], year: str
) -> None:
    db = _union(tmp_path, capsys)
    roster = _roster(tmp_path / "r.xlsx")
    file = [str(roster)] if command[1] == "import" else []
    with pytest.raises(SystemExit) as stopped:
        main(["--db", db, *command, *file, "--year", year])
    assert stopped.value.code == 2
    assert "应在 2000 到 2100 之间" in capsys.readouterr().err


def test_a_pipe_named_like_a_workbook_is_refused_not_waited_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os
    import threading

    db = _union(tmp_path, capsys)
    pipe = tmp_path / "管道.xlsx"
    os.mkfifo(pipe)
    result: list[int] = []
    worker = threading.Thread(target=lambda: result.append(main(["--db", db, "roster", "import", str(pipe)])))
    worker.start()
    worker.join(20)
    if worker.is_alive():  # let the test end: whoever opens the pipe's other end frees the reader
        with pipe.open("wb"):
            pass
        worker.join(5)
    assert result == [EXIT_INPUT]
    assert "不是普通文件" in capsys.readouterr().err
