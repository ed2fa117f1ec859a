"""`uniondesk budget …` and `uniondesk events …` through main() on a temporary 账套: the two
imports (a 预算表 and an expense ledger, an unknown 科目 answered with --category), the budget
table's JSON figure by figure, budget lines set and cleared, other income, the drill-down
behind a spent figure, the category tree, the care map, the limits; activities added, given
budget lines, participants and expenses, moved through their statuses, shown, printed and
deleted; bad input with Chinese messages and exit codes 1 and 2."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from app.cli import EXIT_INPUT, EXIT_OK, EXIT_USAGE
from tests.unit.care.cli_support import run

BUDGET_ROWS: list[list[Any]] = [
    ["2026年工会经费收支预算表", None, None],
    ["编制单位：测试工会", None, "单位：元"],
    ["项目", "本年预算数", "上年决算数"],
    ["一、收入合计", 130_000, 120_000],
    ["  1.会费收入", 30_000, 28_000],
    ["  2.拨缴经费收入", 100_000, 92_000],
    ["二、支出合计", 95_000, 90_000],
    ["  1.职工活动支出", 80_000, 70_000],
    ["    其中：文体活动费", 30_000, 20_000],
    ["          会员活动费", 50_000, 50_000],
    ["  2.资本性支出", 15_000, 20_000],
]
LEDGER_ROWS: list[list[Any]] = [
    ["日期", "活动名称", "支出内容", "科目", "金额", "发票号", "经办人", "参加人数"],
    [date(2026, 4, 5), "职工篮球赛", "场地租赁", "职工活动支出—文体活动", 3000, "1001", "王会计", 40],
    [date(2026, 4, 8), "职工篮球赛", "奖品", "工会活动—球赛", 1200, "1002", "王会计", None],
    [date(2026, 6, 1), "职工之家健身器材", "跑步机", "资本性支出", 12_000, "1003", "王会计", None],
]


def write_sheet(path: Path, rows: list[list[Any]]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


@pytest.fixture
def union(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    db = str(tmp_path / "u.db")
    assert run(capsys, "--db", db, "init", "--name", "测试工会", "--province", "安徽")[0] == EXIT_OK
    for name, number in (("付怡", "11010519491231002X"), ("王强", "110105198001010016")):
        code, out = run(
            capsys, "--db", db, "member", "add", "--name", name, "--id", number, "--joined", "2010-05-01"
        )
        assert code == EXIT_OK, out
    return db


def cli(capsys: pytest.CaptureFixture[str], db: str, *args: str) -> str:
    """Run a command that must succeed; its output."""
    code, out = run(capsys, "--db", db, *args)
    assert code == EXIT_OK, out
    assert "Traceback" not in out
    return out


def as_json(capsys: pytest.CaptureFixture[str], db: str, *args: str) -> Any:
    return json.loads(cli(capsys, db, *args, "--json"))


def category(table: dict[str, Any], code: str) -> dict[str, Any]:
    (found,) = [c for c in table["categories"] if c["code"] == code]
    return found


def test_the_two_imports_and_the_budget_table(
    union: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    budget = write_sheet(tmp_path / "预算表.xlsx", BUDGET_ROWS)
    ledger = write_sheet(tmp_path / "台账.xlsx", LEDGER_ROWS)
    imported = as_json(capsys, union, "budget", "import", str(budget), "--year", "2026")
    assert imported["written"] and imported["errors"] == []
    code, out = run(capsys, "--db", union, "events", "import", str(ledger))
    assert code == EXIT_INPUT and "不认识的科目“工会活动—球赛”" in out
    assert as_json(capsys, union, "events", "list")["count"] == 0  # nothing written
    code, out = run(capsys, "--db", union, "events", "import", str(ledger), "--category", "工会活动—球赛")
    assert code == EXIT_USAGE and "写法=编码" in out
    imported = as_json(capsys, union, "events", "import", str(ledger), "--category", "工会活动—球赛=50102")
    assert imported["written"] and imported["new"] == 3
    cli(capsys, union, "care", "add", "付怡", "--occasion", "生日", "--goods", "生日蛋糕", "--goods-value", "300",
        "--date", "2026-05-20")  # fmt: skip

    table = as_json(capsys, union, "budget", "show", "2026")
    sports, members, top, capital = (category(table, c) for c in ("50102", "50106", "501", "505"))
    assert (sports["budget_fen"], sports["spent_fen"], sports["activity_fen"], sports["care_fen"]) == (
        3_000_000, 420_000, 420_000, 0,
    )  # fmt: skip
    assert (sports["remaining_fen"], sports["used_pct"], sports["depth"], sports["kind"]) == (
        2_580_000, 14.0, 1, "支出",
    )  # fmt: skip
    assert (members["spent_fen"], members["care_fen"], members["used_pct"]) == (30_000, 30_000, 0.6)
    assert (top["budget_fen"], top["spent_fen"], top["committed_fen"], top["depth"]) == (
        8_000_000,
        450_000,
        0,
        0,
    )
    assert (capital["budget_fen"], capital["spent_fen"], capital["used_pct"], capital["level"]) == (
        1_500_000, 1_200_000, 80.0, "接近",
    )  # fmt: skip
    education = category(table, "50101")
    assert (education["budget_fen"], education["remaining_fen"], education["used_pct"]) == (None, None, None)
    assert table["spending_budget_fen"] == 9_500_000 and table["spent_fen"] == 1_650_000
    assert table["execution_rate"] == 17.4  # 16,500 of 95,000
    income = {i["code"]: i for i in table["income"]}
    assert (income["401"]["budget_fen"], income["402"]["budget_fen"], income["403"]["budget_fen"]) == (
        3_000_000, 10_000_000, None,
    )  # fmt: skip
    assert table["income_budget_fen"] == 13_000_000 and table["warnings"] == []
    assert {"name", "committed_fen", "remaining_fen", "used_pct"} <= set(sports)

    listed = as_json(capsys, union, "events", "list", "--year", "2026")
    assert (listed["count"], listed["participants"], listed["spent_fen"]) == (2, 40, 1_620_000)
    match = listed["activities"][0]
    # imported from the ledger: expenses only, no budget of its own (not a budget of 0, overspent)
    assert (match["name"], match["start"], match["participants"], match["spent_fen"], match["budget_fen"]) == (
        "职工篮球赛", "2026-04-05", 40, 420_000, None,
    )  # fmt: skip
    assert match["variance_fen"] is None and isinstance(match["id"], int)
    listing = cli(capsys, union, "events", "list", "--year", "2026")
    assert "预算 —\t已支出 4,200.00\t无活动预算" in listing and "差额" not in listing
    shown = as_json(capsys, union, "events", "show", str(match["id"]))
    assert (shown["budget_fen"], shown["variance_fen"], shown["variance"]) == (None, None, [])
    assert "无活动预算：这项活动没有编列自己的预算" in cli(capsys, union, "events", "show", str(match["id"]))
    assert as_json(capsys, union, "events", "list", "--year", "2025")["count"] == 0

    spent = as_json(capsys, union, "budget", "spent", "2026", "501")
    assert (spent["spent_fen"], spent["activity_fen"], spent["care_fen"]) == (450_000, 420_000, 30_000)
    assert sorted(e["item"] for e in spent["expenses"]) == ["场地租赁", "奖品"]
    assert [(r["name"], r["amount_fen"], r["occasion"]) for r in spent["care"]] == [("付怡", 30_000, "生日")]
    text = cli(capsys, union, "budget", "show", "2026")
    assert "文体活动费" in text and "未编预算" in text and "执行率 17.4%" in text
    assert "检查完成，没有发现问题" in cli(capsys, union, "check")


def test_budget_lines_income_categories_care_map_and_limits(
    union: str, capsys: pytest.CaptureFixture[str]
) -> None:
    cli(capsys, union, "budget", "set", "2026", "文体活动费", "25000", "--note", "年初预算")
    assert category(as_json(capsys, union, "budget", "show", "2026"), "50102")["budget_fen"] == 2_500_000
    cli(capsys, union, "budget", "set", "2026", "50102", "0")
    zero = category(as_json(capsys, union, "budget", "show", "2026"), "50102")
    assert (zero["budget_fen"], zero["used_pct"]) == (0, None)  # zero is set, and nothing can be used of it
    cli(capsys, union, "budget", "set", "2026", "50102", "--clear")
    assert category(as_json(capsys, union, "budget", "show", "2026"), "50102")["budget_fen"] is None
    code, out = run(capsys, "--db", union, "budget", "set", "2026", "50102")
    assert code == EXIT_INPUT and "--clear" in out
    code, out = run(capsys, "--db", union, "budget", "set", "2026", "99999", "100")
    assert code == EXIT_INPUT and "没有“99999”这个科目" in out
    code, out = run(capsys, "--db", union, "budget", "set", "2026", "50102", "十元")
    assert code == EXIT_INPUT and "预算金额" in out

    added = as_json(capsys, union, "budget", "income", "add", "--date", "2026-03-31", "--line", "拨缴经费",
                    "--amount", "12000.50", "--source", "公司财务")  # fmt: skip
    assert (added["code"], added["amount_fen"], added["date"]) == ("402", 1_200_050, "2026-03-31")
    cli(capsys, union, "budget", "income", "add", "--date", "2026-07-15", "--line", "403", "--amount", "3000")
    listed = as_json(capsys, union, "budget", "income", "list", "2026")
    assert (listed["count"], listed["amount_fen"]) == (2, 1_500_050)
    assert [(i["code"], i["source"]) for i in listed["income"]] == [("402", "公司财务"), ("403", "")]
    table = as_json(capsys, union, "budget", "show", "2026")
    assert {i["code"]: i["actual_fen"] for i in table["income"]}["402"] == 1_200_050
    code, out = run(capsys, "--db", union, "budget", "income", "add", "--date", "2026-03-31", "--line", "401",
                    "--amount", "100")  # fmt: skip
    assert code == EXIT_INPUT and "会费台账" in out
    code, out = run(capsys, "--db", union, "budget", "income", "add", "--date", "2026-03-31", "--line", "50102",
                    "--amount", "100")  # fmt: skip
    assert code == EXIT_INPUT and "收入科目" in out
    cli(capsys, union, "budget", "income", "delete", str(added["id"]))
    assert as_json(capsys, union, "budget", "income", "list", "2026")["amount_fen"] == 300_000
    code, out = run(capsys, "--db", union, "budget", "income", "delete", str(added["id"]))
    assert code == EXIT_INPUT and f"没有编号为 {added['id']} 的收入" in out

    cli(capsys, union, "budget", "categories", "add", "50102", "球类活动")
    cli(
        capsys,
        union,
        "budget",
        "categories",
        "edit",
        "5010201",
        "--name",
        "球类比赛",
        "--new-code",
        "5010209",
    )
    tree = as_json(capsys, union, "budget", "categories")["categories"]
    (ball,) = [c for c in tree if c["name"] == "球类比赛"]
    assert (ball["code"], ball["parent_code"], ball["depth"], ball["shipped"]) == (
        "5010209",
        "50102",
        2,
        False,
    )
    assert {c["code"] for c in tree} >= {"401", "408", "501", "50106", "505"}
    code, out = run(capsys, "--db", union, "budget", "categories", "add", "50102", "球类比赛")
    assert code == EXIT_INPUT and "已有“球类比赛”" in out

    cli(capsys, union, "budget", "care-map", "住院", "50104")
    mapping = {m["occasion"]: m["code"] for m in as_json(capsys, union, "budget", "care-map")["care_map"]}
    assert (mapping["住院"], mapping["送温暖"], mapping["生日"]) == ("50104", "50205", "50106")
    code, out = run(capsys, "--db", union, "budget", "care-map", "住院")
    assert code == EXIT_USAGE and "同时写出事由和科目编码" in out
    code, out = run(capsys, "--db", union, "budget", "care-map", "住院", "402")
    assert code == EXIT_INPUT and "支出科目" in out

    cli(
        capsys,
        union,
        "budget",
        "limits",
        "set",
        "工作餐",
        "50",
        "--from",
        "2026-01-01",
        "--note",
        "委员会决定",
    )
    cli(capsys, union, "budget", "limits", "set", "奖励面", "66.7", "--from", "2026-01-01")
    limits = as_json(capsys, union, "budget", "limits")["limits"]
    own = {(x["rule"], x["value"], x["from"], x["source"]) for x in limits}
    assert ("工作餐", 5_000, "2026-01-01", "本单位标准") in own and (
        "奖励面",
        667,
        "2026-01-01",
        "本单位标准",
    ) in own
    assert any(x["rule"] == "外出天数" and x["source"].startswith("预设标准") for x in limits)
    code, out = run(capsys, "--db", union, "budget", "limits", "set", "奖励面", "150", "--from", "2026-01-01")
    assert code == EXIT_INPUT and "百分比" in out
    code, out = run(capsys, "--db", union, "budget", "limits", "set", "人头费", "1", "--from", "2026-01-01")
    assert code == EXIT_USAGE and "不是可选的值" in out


def test_an_activity_from_plan_to_close(
    union: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli(capsys, union, "budget", "limits", "set", "工作餐", "50", "--from", "2026-01-01")
    added = as_json(capsys, union, "events", "add", "职工技能大赛", "--kind", "劳动竞赛", "--start", "2026-06-10",
                    "--end", "2026-06-12", "--place", "实训基地", "--organiser", "生产委员会")  # fmt: skip
    activity = str(added["id"])
    assert (added["status"], added["start"], added["end"], added["participant_count"]) == (
        "计划中", "2026-06-10", "2026-06-12", 0,
    )  # fmt: skip
    cli(capsys, union, "events", "participants", activity, "付怡", "110105198001010016")
    code, out = run(capsys, "--db", union, "events", "budget", activity, "--line", "工作餐,50104,60,2")
    assert code == EXIT_INPUT and "超过标准" in out and "须写明原因" in out
    cli(capsys, union, "events", "budget", activity, "--line", "比赛耗材,其他活动支出,3000",
        "--line", "工作餐，50104，60，2，含评委用餐，经委员会同意", "--line", "奖金,50104,500,2")  # fmt: skip
    code, out = run(capsys, "--db", union, "events", "expense", "add", activity, "--date", "2026-06-12",
                    "--item", "工作餐", "--category", "50104", "--amount", "130")  # fmt: skip
    assert code == EXIT_INPUT and "超标准原因" in out
    meal = as_json(capsys, union, "events", "expense", "add", activity, "--date", "2026-06-12", "--item", "工作餐",
                   "--category", "50104", "--amount", "130", "--invoice", "00123", "--payee", "职工食堂",
                   "--paid-by", "王会计", "--reason", "含评委")  # fmt: skip
    assert (meal["amount_fen"], meal["invoice_no"], meal["category"]) == (
        13_000,
        "00123",
        "50104 其他活动支出",
    )
    assert meal["over_limit"] and meal["reason"] == "含评委"
    extra = as_json(capsys, union, "events", "expense", "add", activity, "--date", "2026-06-11", "--item",
                    "比赛耗材", "--category", "50104", "--amount", "3300.5")  # fmt: skip
    code, out = run(capsys, "--db", union, "events", "expense", "add", activity, "--date", "2026-06-11",
                    "--item", "跑步机", "--category", "402", "--amount", "10")  # fmt: skip
    assert code == EXIT_INPUT and "没有“402”这个支出科目" in out
    cli(
        capsys,
        union,
        "events",
        "reason",
        activity,
        "改为：评委和工作人员一同用餐",
        "--expense",
        str(meal["id"]),
    )
    code, out = run(capsys, "--db", union, "events", "reason", activity, "无", "--expense", str(extra["id"]))
    assert code == EXIT_INPUT and "不需要填写原因" in out

    cli(capsys, union, "events", "status", activity, "已审批")
    code, out = run(capsys, "--db", union, "events", "status", activity, "计划完成")
    assert code == EXIT_USAGE
    table = as_json(capsys, union, "budget", "show", "2026")
    other = category(table, "50104")
    # approved: the plan (4,120) less what was spent (3,430.50) is still promised
    assert (other["spent_fen"], other["committed_fen"]) == (343_050, 68_950)
    cli(capsys, union, "events", "status", activity, "已结束")
    code, out = run(capsys, "--db", union, "events", "status", activity, "已审批")
    assert code == EXIT_INPUT and "只能改为" in out

    shown = as_json(capsys, union, "events", "show", activity)
    assert (shown["status"], shown["budget_fen"], shown["spent_fen"], shown["variance_fen"]) == (
        "已结束", 412_000, 343_050, -68_950,
    )  # fmt: skip
    assert shown["participant_count"] == 2 and shown["place"] == "实训基地"
    assert sorted(p["name"] for p in shown["participants"]) == ["付怡", "王强"]
    assert [(i["item"], i["amount_fen"], i["per_head_fen"], i["heads"]) for i in shown["items"]] == [
        ("比赛耗材", 300_000, None, None), ("工作餐", 12_000, 6_000, 2), ("奖金", 100_000, 50_000, 2),
    ]  # fmt: skip
    assert shown["items"][1]["over_limit"] and shown["items"][1]["reason"] == "含评委用餐，经委员会同意"
    assert [(e["item"], e["date"]) for e in shown["expenses"]] == [
        ("比赛耗材", "2026-06-11"),
        ("工作餐", "2026-06-12"),
    ]
    assert shown["expenses"][1]["reason"] == "改为：评委和工作人员一同用餐"
    assert [
        (v["category"], v["budget_fen"], v["spent_fen"], v["variance_fen"]) for v in shown["variance"]
    ] == [("50104 其他活动支出", 412_000, 343_050, -68_950)]
    assert shown["over_limit"] is True
    text = cli(capsys, union, "events", "show", activity)
    assert "职工技能大赛" in text and "付怡" in text and "超过标准" in text

    edited = cli(capsys, union, "events", "edit", activity, "--place", "职工之家", "--headcount", "30")
    assert "已修改" in edited
    listed = as_json(capsys, union, "events", "list", "--status", "已结束")
    assert [(a["id"], a["place"], a["participants"]) for a in listed["activities"]] == [
        (added["id"], "职工之家", 2)
    ]
    assert as_json(capsys, union, "events", "list", "--status", "计划中")["count"] == 0

    for kind, name in (("budget", "预算表.pdf"), ("final", "决算表.pdf"), ("signin", "签到表.pdf")):
        out_file = tmp_path / name
        cli(capsys, union, "events", "print", activity, "--kind", kind, "--out", str(out_file))
        assert out_file.read_bytes()[:4] == b"%PDF"
    sheet = tmp_path / "决算表.xlsx"
    cli(capsys, union, "events", "print", activity, "--kind", "决算表", "--out", str(sheet))  # or final
    assert sheet.read_bytes()[:2] == b"PK"
    code, out = run(capsys, "--db", union, "events", "print", activity, "--kind", "final",
                    "--out", str(tmp_path / "x.docx"))  # fmt: skip
    assert code == EXIT_INPUT and "活动经费决算表“x.docx”应保存为 .pdf 或 .xlsx 文件" in out
    code, out = run(
        capsys, "--db", union, "events", "print", activity, "--kind", "final", "--out", str(tmp_path)
    )
    assert code == EXIT_INPUT and f"活动经费决算表的位置“{tmp_path}”是一个文件夹，请给出文件名" in out
    code, out = run(capsys, "--db", union, "events", "print", activity, "--kind", "receipt",
                    "--out", str(tmp_path / "x.pdf"))  # fmt: skip
    assert code == EXIT_USAGE

    cli(capsys, union, "events", "expense", "delete", str(extra["id"]))
    assert as_json(capsys, union, "events", "show", activity)["spent_fen"] == 13_000
    cli(capsys, union, "events", "participants", activity, "--clear")
    assert as_json(capsys, union, "events", "show", activity)["participants"] == []
    cli(capsys, union, "events", "delete", activity)
    code, out = run(capsys, "--db", union, "events", "show", activity)
    assert code == EXIT_INPUT and f"没有编号为 {activity} 的活动" in out


def test_bad_input_exits_with_chinese_messages(union: str, capsys: pytest.CaptureFixture[str]) -> None:
    activity = str(as_json(capsys, union, "events", "add", "观影", "--kind", "会员活动", "--start", "2026-06-27",
                           "--headcount", "50")["id"])  # fmt: skip
    cases: list[tuple[tuple[str, ...], int, str]] = [
        (("events", "add", "春游", "--kind", "旅游", "--start", "2026-05-01"), EXIT_USAGE, "不是可选的值"),
        (("events", "add", "春游", "--kind", "会员活动", "--start", "2026-02-30"), EXIT_USAGE, "不是日期"),
        (("events", "add", "春游（两天）", "--kind", "会员活动", "--start", "2026-05-01", "--end", "2026-05-02"),
         EXIT_INPUT, "须写明原因"),
        (("events", "add", "倒着的", "--kind", "其他", "--start", "2026-05-02", "--end", "2026-05-01"),
         EXIT_INPUT, "结束日期不能早于开始日期"),
        (("events", "budget", activity, "--line", "电影票,50106"), EXIT_INPUT, "应写成"),
        (("events", "budget", activity, "--line", "电影票,50106,40,很多"), EXIT_INPUT, "人数“很多”不是整数"),
        (("events", "budget", activity, "--line", "电影票,50106,abc"), EXIT_INPUT, "金额"),
        (("events", "participants", activity, "无名氏"), EXIT_INPUT, "找不到会员“无名氏”"),
        (("events", "participants", activity), EXIT_INPUT, "--clear"),
        (("events", "expense", "delete", "999"), EXIT_INPUT, "没有编号为 999 的支出"),
        (("events", "status", "999", "已审批"), EXIT_INPUT, "没有编号为 999 的活动"),
        (("budget", "show", "1999"), EXIT_USAGE, "年份"),
        (("budget", "show", "明年"), EXIT_USAGE, "不是年份"),
        (("budget", "spent", "2026", "会费收入"), EXIT_INPUT, "支出科目"),
        (("budget", "import", "不存在.xlsx", "--year", "2026"), EXIT_INPUT, "不存在.xlsx"),
    ]  # fmt: skip
    for args, expected, words in cases:
        code, out = run(capsys, "--db", union, *args)
        assert (code, words in out, "Traceback" in out) == (expected, True, False), (args, out)
    assert as_json(capsys, union, "events", "list")["count"] == 1  # the bad commands wrote nothing


def test_participants_not_members_on_the_day_are_pointed_out(
    union: str, capsys: pytest.CaptureFixture[str]
) -> None:
    cli(
        capsys,
        union,
        "member",
        "add",
        "--name",
        "陈新",
        "--id",
        "110105199001010037",
        "--joined",
        "2026-07-01",
    )
    activity = str(as_json(capsys, union, "events", "add", "端午包粽子", "--kind", "会员活动",
                           "--start", "2026-06-10")["id"])  # fmt: skip
    out = cli(capsys, union, "events", "participants", activity, "付怡", "陈新")
    assert "已设定活动“端午包粽子”的参加人：2 人" in out
    assert out.count("提示：") == 1
    assert "提示：陈新于 2026-07-01 才入会，活动开始的 2026-06-10 不是本会会员：请核对参加人员" in out
    assert len(as_json(capsys, union, "events", "show", activity)["participants"]) == 2
