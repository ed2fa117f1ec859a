"""`uniondesk dues …` end to end through main(): JSON shapes, messages, exit codes."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

import pytest

from app.cli import EXIT_INPUT, EXIT_OK, EXIT_USAGE, main

THIS_MONTH = date.today().strftime("%Y-%m")
YEAR = date.today().year


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exit_:  # argparse's usage errors
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    code, out, err = run(capsys, *args, "--json")
    assert code == EXIT_OK, err
    result: dict[str, object] = json.loads(out)
    return result


@pytest.fixture
def union(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    db = str(tmp_path / "u.db")
    assert run(capsys, "--db", db, "init", "--name", "测试工会")[0] == EXIT_OK
    for name, number, wage in (
        ("张伟", "11010519491231002X", "3085"),
        ("李娜", "440524199003150022", "5000"),
    ):
        code, _, err = run(capsys, "--db", db, "member", "add", "--name", name, "--id", number, "--wage", wage,
                           "--joined", f"{YEAR - 1}-01-01")  # fmt: skip
        assert code == EXIT_OK, err
    return db


def test_roll_pay_summary_arrears_and_receipt(
    union: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first = f"{YEAR}-01"
    rolled = run_json(capsys, "--db", union, "dues", "roll", f"{first}..{THIS_MONTH}")
    months = date.today().month
    assert rolled["created"] == 2 * months and rolled["due_fen"] == months * (1540 + 2500)
    assert run_json(capsys, "--db", union, "dues", "roll", f"{first}..{THIS_MONTH}")["created"] == 0
    paid = run_json(
        capsys, "--db", union, "dues", "pay", "张伟", "--amount", "30.80", "--collector", "王会计"
    )
    assert paid["amount_fen"] == 3080 and paid["receipt_no"] == f"{YEAR}-0001"
    assert paid["covered"] == [
        {"month": f"{YEAR}-01", "amount_fen": 1540},
        {"month": f"{YEAR}-02", "amount_fen": 1540},
    ]
    summary = run_json(capsys, "--db", union, "dues", "summary", str(YEAR))
    assert summary["due_fen"] == months * (1540 + 2500) and summary["paid_fen"] == 3080
    assert summary["arrears_fen"] == months * (1540 + 2500) - 3080
    assert summary["rate"] == round(3080 / (months * 4040), 4)
    arrears = run_json(capsys, "--db", union, "dues", "arrears")
    members = {m["name"]: m for m in arrears["members"]}  # type: ignore[attr-defined, union-attr]
    assert members["李娜"]["months_unpaid"] == months and members["李娜"]["owed_fen"] == months * 2500
    # ID numbers masked as the program's lists show them; --reveal gives them whole
    assert members["李娜"]["id_number"] == "440524********0022" and isinstance(members["李娜"]["id"], int)
    revealed = run_json(capsys, "--db", union, "dues", "arrears", "--reveal")
    assert {m["name"]: m["id_number"] for m in revealed["members"]}["李娜"] == "440524199003150022"  # type: ignore[index]
    assert members["张伟"]["consecutive_months"] == months - 2
    pdf = tmp_path / "收据.pdf"
    code, out, _ = run(capsys, "--db", union, "dues", "receipt", str(paid["id"]), "--out", str(pdf))
    assert code == EXIT_OK and pdf.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "叁拾元捌角" in text and "张伟" in text and "王会计" in text
    xlsx = tmp_path / "欠缴.xlsx"
    code, out, _ = run(
        capsys, "--db", union, "dues", "arrears", "--out", str(xlsx), "--print", str(tmp_path / "催.pdf")
    )
    assert code == EXIT_OK and xlsx.is_file() and (tmp_path / "催.pdf").is_file()
    elsewhere = tmp_path / "另一份欠缴.xlsx"
    code, out, err = run(
        capsys, "--db", union, "dues", "arrears", "--out", str(elsewhere), "--print", str(tmp_path)
    )
    assert code == EXIT_INPUT and f"催缴单的位置“{tmp_path}”是一个文件夹" in err
    assert not elsewhere.exists()  # neither file written when one of them is named wrong
    code, out, _ = run(capsys, "--db", union, "check")
    assert code == EXIT_OK and "没有发现问题" in out


def test_batch_dry_run_writes_nothing_then_applies(union: str, capsys: pytest.CaptureFixture[str]) -> None:
    run_json(capsys, "--db", union, "dues", "roll", f"{YEAR}-01")
    preview = run_json(capsys, "--db", union, "dues", "batch", f"{YEAR}-01", "--dry-run")
    assert (preview["members"], preview["total_fen"], preview["written"]) == (2, 4040, 0)
    assert run_json(capsys, "--db", union, "dues", "summary", f"{YEAR}-01")["paid_fen"] == 0
    # a reversed span of months names none: refused, not paid against the oldest months instead
    code, _out, err = run(capsys, "--db", union, "dues", "pay", "张伟", "--amount", "20", "--months",
                          f"{YEAR}-03..{YEAR}-01")  # fmt: skip
    assert code == EXIT_INPUT and f"结束月份 {YEAR}-01 早于开始月份 {YEAR}-03" in err
    # an empty --group is no group named, not everyone
    code, _out, err = run(capsys, "--db", union, "dues", "batch", f"{YEAR}-01", "--group", "")
    assert code == EXIT_INPUT and "分组名称是空的" in err
    assert run_json(capsys, "--db", union, "dues", "summary", f"{YEAR}-01")["paid_fen"] == 0
    done = run_json(capsys, "--db", union, "dues", "batch", f"{YEAR}-01")
    assert done["written"] == 2
    assert run_json(capsys, "--db", union, "dues", "summary", f"{YEAR}-01")["arrears_fen"] == 0
    # a month not rolled yet: nothing to cover now, and that is said
    code, out, err = run(
        capsys, "--db", union, "dues", "pay", "李娜", "--amount", "25", "--months", f"{YEAR}-02"
    )
    assert code == EXIT_OK and "没有冲抵任何月份，余 25.00 元留作预缴\n" in out
    assert f"提示：{YEAR}年2月还没有生成应缴，生成后这笔钱会先冲抵这些月份" in out


def test_rule_exemption_and_undo(union: str, capsys: pytest.CaptureFixture[str]) -> None:
    roll = run_json(capsys, "--db", union, "dues", "roll", f"{YEAR}-01")
    code, out, _ = run(
        capsys, "--db", union, "dues", "exempt", "李娜", "--from", f"{YEAR}-01", "--reason", "长期病休"
    )
    assert code == EXIT_OK and "撤销 1 笔" in out  # her unpaid January went at once
    assert run_json(capsys, "--db", union, "dues", "summary", f"{YEAR}-01")["due_fen"] == 1540
    assert run_json(capsys, "--db", union, "dues", "roll", f"{YEAR}-01")["removed"] == 0
    listed = run_json(capsys, "--db", union, "dues", "exemptions", "李娜")["exemptions"]
    assert [(e["name"], e["from"], e["to"], e["reason"]) for e in listed] == [  # type: ignore[union-attr, index]
        ("李娜", f"{YEAR}-01", None, "长期病休")
    ]
    code, _out, err = run(capsys, "--db", union, "dues", "exempt", "李娜", "--from", f"{YEAR}-03", "--to",
                          f"{YEAR}-04", "--reason", "病休")  # fmt: skip
    assert (
        code == EXIT_INPUT
        and f"李娜已有免缴（{YEAR}年1月至以后各月，原因：长期病休），与这次的月份重叠" in err
    )
    assert len(run_json(capsys, "--db", union, "dues", "exemptions", "李娜")["exemptions"]) == 1  # type: ignore[arg-type]
    code, out, _ = run(capsys, "--db", union, "dues", "rule", "set", "--from", f"{YEAR}-01", "--rate", "1")
    assert code == EXIT_OK and "1%" in out and "--reroll" in out
    assert run_json(capsys, "--db", union, "dues", "summary", f"{YEAR}-01")["due_fen"] == 1540
    code, out, _ = run(capsys, "--db", union, "dues", "rule", "set", "--from", f"{YEAR}-01", "--rate", "1",
                       "--reroll")  # fmt: skip
    assert code == EXIT_OK and "改 1 笔" in out
    assert run_json(capsys, "--db", union, "dues", "summary", f"{YEAR}-01")["due_fen"] == 3080
    rules = run_json(capsys, "--db", union, "dues", "rule", "show")["rules"]
    assert [r["rate_bp"] for r in rules] == [50, 100]  # type: ignore[union-attr, index]
    code, out, _ = run(capsys, "--db", union, "dues", "unexempt", str(listed[0]["id"]))  # type: ignore[index]
    assert code == EXIT_OK and "新增 1 笔" in out  # her January is owed again, at the new rate
    assert run_json(capsys, "--db", union, "dues", "summary", f"{YEAR}-01")["due_fen"] == 3080 + 5000
    # a month already paid is not made exempt (its charge would stay, owed by someone excused)
    run_json(capsys, "--db", union, "dues", "pay", "李娜", "--amount", "10")
    code, _out, err = run(
        capsys, "--db", union, "dues", "exempt", "李娜", "--from", f"{YEAR}-01", "--reason", "长期病休"
    )
    assert code == EXIT_INPUT and f"李娜的{YEAR}年1月会费已经缴了（全部或部分），这些月份不能设为免缴" in err
    assert run_json(capsys, "--db", union, "dues", "exemptions", "李娜")["exemptions"] == []
    code, out, _ = run(capsys, "--db", union, "check")
    assert code == EXIT_OK and "没有发现问题" in out
    assert run_json(capsys, "--db", union, "dues", "exemptions")["exemptions"] == []
    rolls = run_json(capsys, "--db", union, "dues", "rolls")["rolls"]
    assert len(rolls) == 2  # type: ignore[arg-type]
    code, out, _ = run(capsys, "--db", union, "dues", "undo-roll", str(roll["roll_id"]))
    assert code == EXIT_OK and "删除应缴 1 笔" in out


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("dues", "roll", "2026-13"), EXIT_USAGE, "不是月份或月份范围"),
        (("dues", "roll", f"{YEAR + 1}-01"), EXIT_INPUT, "还没有到"),
        (("dues", "pay", "无此人", "--amount", "1"), EXIT_INPUT, "找不到会员"),
        (("dues", "pay", "张伟", "--amount", "1.234"), EXIT_INPUT, "最多两位小数"),
        (("dues", "summary", "2026Q9"), EXIT_INPUT, "不是月份、季度或年份"),
        (("dues", "receipt", "99", "--out", "r.pdf"), EXIT_INPUT, "没有编号为 99 的缴费记录"),
        (("dues", "undo-roll", "5"), EXIT_INPUT, "没有编号为 5"),
        (("dues", "unexempt", "5"), EXIT_INPUT, "没有这条免缴记录"),
        (
            ("dues", "exempt", "张伟", "--from", "2026-01", "--reason", " "),
            EXIT_INPUT,
            "请写明免缴会费的原因",
        ),
        (("dues", "rule", "set", "--from", "2026-01", "--rate", "0.555"), EXIT_INPUT, "最多两位小数"),
        (("dues", "rule", "set", "--from", "2026-01", "--rate", "abc"), EXIT_INPUT, "百分数"),
    ],
)
def test_mistakes_get_chinese_messages(
    union: str, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], code: int, message: str
) -> None:
    got, out, err = run(capsys, "--db", union, *args)
    assert got == code and message in out + err
    assert "Traceback" not in out + err


def test_a_receipt_into_a_missing_folder_is_refused(
    union: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    run_json(capsys, "--db", union, "dues", "roll", f"{YEAR}-01")
    paid = run_json(capsys, "--db", union, "dues", "pay", "张伟", "--amount", "15.40")
    code, _, err = run(
        capsys, "--db", union, "dues", "receipt", str(paid["id"]), "--out", str(tmp_path / "无" / "r.pdf")
    )
    assert code == EXIT_INPUT and "不存在" in err
    assert not (tmp_path / "无").exists()


def test_a_status_change_recalculates_the_months_already_rolled(
    union: str, capsys: pytest.CaptureFixture[str]
) -> None:
    last_year = YEAR - 1
    run_json(capsys, "--db", union, "dues", "roll", f"{last_year}-01..{last_year}-12")
    code, out, err = run(
        capsys, "--db", union, "member", "status", "李娜", "--event", "退休保留会籍", "--date", f"{last_year}-02-15",
        "--reason", "退休",
    )  # fmt: skip
    assert code == EXIT_OK, err
    assert "撤销 10 笔" in out  # owes January and February (a member on 1 February), nothing after
    arrears = run_json(capsys, "--db", union, "dues", "arrears")
    li = next(m for m in arrears["members"] if m["name"] == "李娜")  # type: ignore[attr-defined, union-attr]
    assert li["months"] == [f"{last_year}-01", f"{last_year}-02"]


def test_a_roll_with_nobody_to_charge_does_not_say_all_was_generated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A roster imported without wages: nothing can be charged, and the roll says so rather
    than that the months' dues are all there."""
    db = str(tmp_path / "w.db")
    assert run(capsys, "--db", db, "init", "--name", "测试工会")[0] == EXIT_OK
    code, _, err = run(capsys, "--db", db, "member", "add", "--name", "张伟", "--id", "11010519491231002X",
                       "--joined", f"{YEAR - 1}-01-01")  # fmt: skip
    assert code == EXIT_OK, err
    code, out, _ = run(capsys, "--db", db, "dues", "roll", f"{YEAR}-01")
    assert code == EXIT_OK and "没有生成新的应缴" in out and "都已生成" not in out
    assert "1 名会员没有会费基数" in out and "张伟" in out
