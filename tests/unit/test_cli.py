"""The command line, run in-process: same parser, same handlers, same exit codes."""

import argparse
import json
import sqlite3
from pathlib import Path

import pytest

from app.cli import EXIT_DATABASE, EXIT_INPUT, EXIT_OK, EXIT_USAGE, main
from tests.conftest import MessyRosters
from tests.fixtures.rosters import MESSY_XLSX


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_profile_groups_and_members(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "u.db")
    assert run(capsys, "--db", db, "init", "--name", "测试公司工会", "--province", "安徽")[0] == EXIT_OK
    code, _out, err = run(capsys, "--db", db, "init", "--name", "又一次")
    assert code == EXIT_INPUT and "已经建立过" in err
    assert run(capsys, "--db", db, "group", "add", "生产部", "--kind", "分会")[0] == EXIT_OK
    assert (
        run(capsys, "--db", db, "group", "add", "一车间", "--kind", "工会小组", "--parent", "生产部")[0] == 0
    )
    add = (
        "member add --name 张伟 --id 110105491231002 --group 生产部/一车间 --wage 5380.50 --joined 2010-03-01"
    )
    code, out, _ = run(capsys, "--db", db, *add.split())
    assert code == EXIT_OK and "11010519491231002X" in out
    code, out, _ = run(capsys, "--db", db, "member", "list", "--search", "zw", "--json")
    listing = json.loads(out)
    assert listing["count"] == 1
    assert listing["members"][0]["group_path"] == "生产部 / 一车间"
    assert listing["members"][0]["birth_date"] == "1949-12-31"
    code, out, _ = run(capsys, "--db", db, "member", "show", "张伟")
    assert "5,380.50 元" in out and "入会" in out
    # the ID number masked, as in the program's lists, unless asked for whole
    assert listing["members"][0]["id_number"] == "110105********002X"
    assert "110105********002X" in out and "11010519491231002X" not in out
    code, out, _ = run(capsys, "--db", db, "member", "show", "张伟", "--reveal")
    assert "11010519491231002X" in out
    code, out, _ = run(capsys, "--db", db, "member", "list")
    assert "110105********002X" in out and "11010519491231002X" not in out
    code, out, _ = run(capsys, "--db", db, "member", "list", "--reveal", "--json")
    assert json.loads(out)["members"][0]["id_number"] == "11010519491231002X"
    code, out, _ = run(capsys, "--db", db, "group", "list")
    assert "生产部（分会，1 人）" in out
    code, out, _ = run(capsys, "--db", db, "profile", "set", "--chair", "李建国")
    code, out, _ = run(capsys, "--db", db, "profile", "show")
    assert "工会主席：李建国" in out and "所在省份：安徽" in out


def test_member_errors_exit_1_and_write_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "u.db")
    run(capsys, "--db", db, "init", "--name", "测试工会")
    add = "member add --name 张伟 --id 110105194912310021 --wage 12.345"
    code, _out, err = run(capsys, "--db", db, *add.split())
    assert code == EXIT_INPUT
    assert "校验位" in err and "最多两位小数" in err
    code, out, _ = run(capsys, "--db", db, "member", "list", "--json")
    assert json.loads(out)["count"] == 0


def test_status_edit_and_delete(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "u.db")
    run(capsys, "--db", db, "init", "--name", "测试工会")
    run(
        capsys,
        "--db",
        db,
        "member",
        "add",
        "--name",
        "张伟",
        "--id",
        "11010519491231002X",
        "--joined",
        "2000-01-01",
    )
    run(capsys, "--db", db, "member", "add", "--name", "李娜", "--id", "110105199003070025")
    code, out, _ = run(
        capsys,
        "--db",
        db,
        "member",
        "status",
        "张伟",
        "--event",
        "退休保留会籍",
        "--date",
        "2010-01-01",
        "--reason",
        "退休",
    )
    assert code == EXIT_OK and "保留会籍" in out
    code, _out, err = run(capsys, "--db", db, "member", "edit", "李娜", "--phone", "12")
    assert code == EXIT_INPUT and "电话" in err
    assert run(capsys, "--db", db, "member", "edit", "李娜", "--phone", "13800138000")[0] == EXIT_OK
    code, _out, err = run(capsys, "--db", db, "member", "delete", "张伟", "--yes")
    assert code == EXIT_INPUT and "不能删除" in err
    code, _out, err = run(capsys, "--db", db, "member", "delete", "李娜")
    assert code == EXIT_INPUT and "--yes" in err
    assert run(capsys, "--db", db, "member", "delete", "李娜", "--yes")[0] == EXIT_OK
    code, out, _ = run(capsys, "--db", db, "member", "list", "--status", "保留会籍", "--json")
    assert [m["name"] for m in json.loads(out)["members"]] == ["张伟"]


def test_check_reports_problems_with_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "u.db"
    assert run(capsys, "--db", str(db), "demo", "--members", "30")[0] == EXIT_OK
    code, out, _ = run(capsys, "--db", str(db), "check")
    assert code == EXIT_OK and "没有发现问题" in out
    with sqlite3.connect(db) as con:
        con.execute("UPDATE dues_base_wages SET wage_fen = 100.5 WHERE id = 1")
    code, out, _ = run(capsys, "--db", str(db), "check")
    assert code == EXIT_INPUT and "不是整数分" in out


def test_database_problems_exit_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.db"
    bad.write_text("这不是数据库", encoding="utf-8")
    code, _out, err = run(capsys, "--db", str(bad), "check")
    assert code == EXIT_DATABASE and "不是 UnionDesk 账套文件" in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["member", "status", "x", "--event", "转出", "--date", "2026-13-01"])
    assert caught.value.code == EXIT_USAGE
    assert "不是日期" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["dues", "receipt", "abc"], ["care", "print", "--batch", "x"]])
def test_a_number_typed_as_words_is_told_in_chinese(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    err = capsys.readouterr().err
    assert caught.value.code == EXIT_USAGE and "应当是整数" in err and "invalid" not in err


def test_default_database_lives_in_the_user_data_folder(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "init", "--name", "默认账套工会")[0] == EXIT_OK
    assert (isolated_home / "data" / "union.db").exists()


def test_demo_for_a_past_year_stops_at_its_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "y.db"
    assert run(capsys, "--db", str(db), "demo", "--members", "80", "--year", "2024")[0] == EXIT_OK
    with sqlite3.connect(db) as con:
        latest = con.execute("SELECT max(event_date) FROM membership_events").fetchone()[0]
        wages_from = {r[0] for r in con.execute("SELECT DISTINCT effective_from FROM dues_base_wages")}
        last_charge = con.execute("SELECT max(month) FROM dues_charges").fetchone()[0]
    assert latest <= "2024-12-31"
    assert wages_from == {"2023-01-01", "2024-01-01"}  # the year before (two years of dues) and the raise
    assert last_charge == "2024-12-01"


def test_roster_import_export_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], messy_rosters: MessyRosters
) -> None:
    roster = messy_rosters[MESSY_XLSX]
    fixture, truth = roster.path, roster.truth
    wrong_check, no_name = truth["defects"]["wrong_check"], truth["defects"]["no_name"]
    members = len(truth["valid"])
    in_sales = sum(1 for person in truth["valid"].values() if person["group"] == "销售部")
    db = str(tmp_path / "r.db")
    errors = tmp_path / "errors.xlsx"
    assert run(capsys, "--db", db, "init", "--name", "测试工会")[0] == EXIT_OK
    code, out, _ = run(capsys, "--db", db, "roster", "import", str(fixture), "--errors", str(errors))
    assert code == EXIT_INPUT and "没有导入任何数据" in out
    assert f"第 {wrong_check['row']} 行“{wrong_check['column']}”" in out
    assert errors.exists()
    code, out, _ = run(capsys, "--db", db, "roster", "import", str(fixture), "--dry-run", "--json")
    report = json.loads(out)
    # a trial ends as the import would: 1, the file has errors and nothing would be written
    assert code == EXIT_INPUT and report["written"] is False and report["new"] == members
    code, out, _ = run(capsys, "--db", db, "roster", "import", str(fixture), "--dry-run")
    assert code == EXIT_INPUT and "有错误，正式导入时不会导入任何数据" in out and "试运行" in out
    code, out, _ = run(capsys, "--db", db, "roster", "import", str(fixture), "--dry-run", "--skip-invalid")
    assert code == EXIT_OK and "有错误，" not in out and "试运行" in out  # the good rows would go in
    assert set(report) == {"new", "updated", "unchanged", "skipped", "errors", "warnings", "written"}
    assert {"row": no_name["row"], "column": no_name["column"], "message": "请填写姓名"} in report["errors"]
    code, out, _ = run(capsys, "--db", db, "member", "list", "--json")
    assert json.loads(out)["count"] == 0
    code, out, _ = run(capsys, "--db", db, "roster", "import", str(fixture), "--skip-invalid", "--json")
    assert code == EXIT_OK and json.loads(out)["written"] is True
    code, out, _ = run(
        capsys, "--db", db, "roster", "export", str(tmp_path / "out.xlsx"), "--group", "销售部", "--mask"
    )
    assert code == EXIT_OK and f"已导出 {in_sales} 名会员" in out
    code, out, _ = run(capsys, "--db", db, "roster", "import", str(tmp_path / "out.xlsx"), "--dry-run")
    assert "错误" in out  # masked IDs cannot be imported back, and say so
    code, out, _ = run(capsys, "--db", db, "roster", "export", str(tmp_path / "all.xlsx"), "--status", "全部")
    code, out, _ = run(
        capsys,
        "--db",
        db,
        "roster",
        "import",
        str(tmp_path / "all.xlsx"),
        "--on-existing",
        "更新",  # or update
        "--json",
    )
    assert json.loads(out)["unchanged"] == members
    code, out, _ = run(capsys, "--db", db, "roster", "template", str(tmp_path / "t.xlsx"))
    assert code == EXIT_OK and (tmp_path / "t.xlsx").exists()
    code, _out, err = run(capsys, "--db", db, "roster", "import", str(tmp_path / "missing.xlsx"))
    assert code == EXIT_INPUT and "找不到文件" in err


def test_each_area_registers_the_commands_it_is_listed_with() -> None:
    """Only the named command's area is registered, so the list must say what each adds."""
    import importlib

    from app.cli import AREAS, build_parser
    from app.cli.common import Parser

    for area, commands in AREAS.items():
        parser = Parser(prog="uniondesk")
        sub = parser.add_subparsers(dest="command", parser_class=Parser)
        importlib.import_module(f"app.cli.{area}").register(sub)
        assert tuple(sub.choices) == commands, area
    every = {c for commands in AREAS.values() for c in commands} | {"gui"}

    def registered(argv: list[str]) -> set[str]:
        parser = build_parser(argv)
        (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        return set(sub.choices)

    assert registered(["--db", "x.db", "care", "list"]) == {"gui", "care"}
    assert registered(["--db=x.db", "budget", "show", "2026"]) == {"gui", "budget", "events"}
    assert registered(["--help"]) == every
    assert registered(["carre"]) == every  # a typo is told every choice
    assert registered(["--db", "x.db"]) == {"gui"}  # the window opens: no command to build


def test_the_program_leaves_its_heap_to_the_system_at_exit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import gc
    import tomllib

    from app.cli import run_program

    assert gc.get_freeze_count() == 0
    try:
        assert run_program(["--db", str(tmp_path / "u.db"), "init", "--name", "测试工会"]) == EXIT_OK
        assert gc.get_freeze_count() > 0  # Python's clean-up at exit does not collect them again
    finally:
        gc.unfreeze()
    assert "已建立账套" in capsys.readouterr().out
    # every way the program starts goes through it
    root = Path(__file__).resolve().parents[2]
    scripts = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts["uniondesk"] == "app.cli:run_program"
    assert "run_program()" in (root / "app" / "__main__.py").read_text(encoding="utf-8")


def test_an_argument_in_another_encoding_is_named_and_a_file_so_named_still_imports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], messy_rosters: MessyRosters
) -> None:
    db = str(tmp_path / "u.db")
    assert run(capsys, "--db", db, "init", "--name", "测试工会")[0] == EXIT_OK
    gbk_name = "张三".encode("gbk").decode("utf-8", "surrogateescape")  # what Python makes of GBK argv bytes
    code, _out, err = run(
        capsys, "--db", db, "member", "add", "--name", gbk_name, "--id", "11010519491231002X"
    )
    assert code == EXIT_USAGE and "第 6 个参数（--name 后面的值）中有不能识别的文字" in err and "GBK" in err
    assert json.loads(run(capsys, "--db", db, "member", "list", "--json")[1])["count"] == 0
    roster = tmp_path / ("花名册".encode("gbk").decode("utf-8", "surrogateescape") + ".xlsx")
    generated = messy_rosters[MESSY_XLSX]
    roster.write_bytes(generated.path.read_bytes())
    code, out, err = run(
        capsys, "--db", db, "roster", "import", str(roster), "--dry-run", "--skip-invalid", "--json"
    )
    assert code == EXIT_OK, err
    assert json.loads(out)["new"] == len(generated.truth["valid"])  # the file itself was read
