"""An activity's paperwork read back: the 预算表 (lines, total in figures and capitals, lines
over a limit explained in full, the approval box and signatures), the 决算表 (budget against
actual per category, the expenses, participants), the 签到表 (named people, or numbered blank
rows for the headcount, at least 20), as PDF and as .xlsx whose totals are formulas."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from app.db import Database
from app.domain.activities import Kind, Rule, Status
from app.domain.idcard import check_character
from app.domain.members import MemberInput
from app.domain.money import amount_in_capitals, format_fen
from app.services.activities import (
    ActivityInput,
    ExpenseInput,
    ItemInput,
    add_expense,
    create_activity,
    load_tree,
    set_budget_items,
    set_limit,
    set_participants,
    set_status,
)
from app.services.activities.export import export_activity
from app.services.activities.printouts import print_activity
from app.services.errors import UserError
from app.services.roster import add_group, create_member
from app.services.system import ProfileData, save_profile
from tests.unit.printing.pdf_tools import fonts, page_count, text

UNION = "测试机械厂工会委员会"
MATCH = "2026年职工篮球赛"
PEOPLE = [("张三", "一车间"), ("李四", "质量管理部"), ("王五", "一车间"), ("欧阳明月", "质量管理部")]
# the budget: 3,000.00 + 50.00 × 60 (over the 30.00 meal limit) + 450.50
BUDGET_FEN = 300_000 + 5_000 * 60 + 45_050
# the spending: 文体活动费 2,800.00 + 3,100.00, 会员活动费 520.00
SPENT_FEN = 280_000 + 310_000 + 52_000


@dataclass(frozen=True)
class Year:
    match: int  # the basketball match: lines, expenses, named participants
    film: int  # a 观影 with a headcount of 35 and nothing else
    small: int  # an outing of 3, no names


def id_number(n: int) -> str:
    first17 = f"3401041985{1 + n % 12:02d}{1 + n % 28:02d}{n:03d}"
    return first17 + check_character(first17)


@pytest.fixture
def year(db: Database) -> Year:
    with db.session() as session:
        save_profile(session, ProfileData(name=UNION, province="安徽"))
        set_limit(session, Rule.MEAL, 3_000, date(2020, 1, 1))
        tree = load_tree(session)
        sports, members = tree.by_code["50102"].id, tree.by_code["50106"].id
        groups = {name: add_group(session, name) for name in {g for _, g in PEOPLE}}
        ids = [
            create_member(session, MemberInput(name=name, id_number=id_number(n), joined_on=date(2010, 1, 1),
                                               group_id=groups[group]), today=date(2026, 1, 1))
            for n, (name, group) in enumerate(PEOPLE, start=1)
        ]  # fmt: skip
        match = create_activity(session, ActivityInput(MATCH, Kind.SPORTS, date(2026, 5, 1), date(2026, 5, 3),
                                                       place="厂区体育馆", organiser="文体委员", headcount=60))  # fmt: skip
        set_budget_items(session, match, [
            ItemInput("场地租金", sports, amount_fen=300_000),
            ItemInput("运动员工作餐", sports, per_head_fen=5_000, heads=60, reason="比赛连续三天，经委员会研究"),
            ItemInput("饮用水", members, amount_fen=45_050),
        ])  # fmt: skip
        add_expense(session, match, ExpenseInput(date(2026, 5, 1), "场地租金", sports, 280_000, payee="市体育中心",
                                                 invoice_no="044001900111", paid_by="李会计"))  # fmt: skip
        add_expense(session, match, ExpenseInput(date(2026, 5, 3), "运动员工作餐", sports, 310_000,
                                                 invoice_no="044001900112", paid_by="李会计", reason="比赛连续三天"))  # fmt: skip
        add_expense(
            session, match, ExpenseInput(date(2026, 5, 2), "=1+2 饮用水", members, 52_000, paid_by="王主席")
        )
        set_participants(session, match, ids)
        for status in (Status.APPROVED, Status.RUNNING, Status.DONE):  # held: its 决算表 is final
            set_status(session, match, status)
        film = create_activity(
            session, ActivityInput("观影《流浪地球》", Kind.MEMBERS, date(2026, 6, 1), headcount=35)
        )
        small = create_activity(
            session, ActivityInput("小组读书会", Kind.OTHER, date(2026, 7, 1), headcount=3)
        )
        return Year(match, film, small)


def squeeze(page: str) -> str:
    return re.sub(r"\s+", "", page)


def rows(pdf: Path) -> list[str]:
    """The lines of the page as laid out (``pdftotext -layout``), each without its spaces: a
    table row reads left to right."""
    laid = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], check=True,
                          capture_output=True, text=True, encoding="utf-8").stdout  # fmt: skip
    return [squeeze(line) for line in laid.splitlines()]


def write_pdf(db: Database, activity: int, kind: str, out: Path) -> Path:
    with db.reader() as session:
        assert print_activity(session, activity, kind, out) == out
    assert [f.name for f in fonts(out) if not f.embedded] == []
    return out


def test_the_budget_sheet_lists_the_lines_the_total_in_capitals_and_why_a_line_is_over(
    db: Database, year: Year, tmp_path: Path
) -> None:
    out = write_pdf(db, year.match, "budget", tmp_path / "预算表.pdf")
    assert page_count(out) == 1
    page = text(out)
    flat = squeeze(page)
    for words in ("活动经费预算表", UNION, MATCH, "文体活动", "2026年5月1日至5月3日", "厂区体育馆", "文体委员",
                  "预计参加人数", "60人", "场地租金", "50102文体活动费", "50.00元×60人", "50106会员活动费"):  # fmt: skip
        assert words in flat, words
    for fen in (300_000, 300_000, 45_050, BUDGET_FEN):
        assert format_fen(fen) in page
    assert amount_in_capitals(BUDGET_FEN) in flat
    # the over-limit line is flagged in its row and explained in full under the table
    assert "超标准，见说明1" in flat
    assert "说明1：第2行“运动员工作餐”超过标准：工作餐每人每餐不超过30.00元" in flat
    assert "原因：比赛连续三天，经委员会研究" in flat
    assert "说明2" not in flat  # 场地租金 and 饮用水 are within every limit
    for words in ("审批意见", "经办人：", "工会主席（负责人）审批：", "日期："):
        assert words in flat, words
    assert "第1页共1页" in flat


def test_the_final_account_sets_actual_against_budget_per_category(
    db: Database, year: Year, tmp_path: Path
) -> None:
    out = write_pdf(db, year.match, "final", tmp_path / "决算表.pdf")
    flat = squeeze(text(out))
    assert "活动经费决算表" in flat and UNION in flat and MATCH in flat
    # 文体活动费: budget 6,000.00, actual 5,900.00 → 节约 100.00; 会员活动费: 450.50 against 520.00 → 超支 69.50
    lines = rows(out)
    assert "150102文体活动费6,000.005,900.00节约100.00" in lines
    assert "250106会员活动费450.50520.00超支69.50" in lines
    spare = format_fen(BUDGET_FEN - SPENT_FEN)
    assert f"合计{format_fen(BUDGET_FEN)}{format_fen(SPENT_FEN)}节约{spare}" in lines
    for words in ("044001900111", "044001900112", "场地租金（市体育中心）", "李会计", "王主席", "5月2日"):
        assert words in flat, words
    assert amount_in_capitals(SPENT_FEN) in flat and format_fen(SPENT_FEN) in flat
    assert "共4人。一车间（2人）：张三、王五；质量管理部（2人）：李四、欧阳明月" in flat
    assert "说明1：第3笔“运动员工作餐”超过标准" in flat and "原因：比赛连续三天" in flat
    for role in ("经办人：", "审核人：", "负责人："):
        assert role in flat


@pytest.mark.parametrize(
    ("status", "said", "total"),
    [
        (Status.CANCELLED, "本活动已取消：表中只列已经发生的支出，没有用完的预算不算节约。", "已取消"),
        (
            Status.RUNNING,
            "本活动尚未结束（进行中）：表中是截至2026年5月2日已登记的支出，不是最终决算。",
            "未结束",
        ),
    ],
)
def test_a_final_account_before_the_end_claims_no_saving(
    db: Database, year: Year, tmp_path: Path, status: Status, said: str, total: str
) -> None:
    """Cancelled, or still running: what is left of the budget is no 节约, an overspend is
    said at once, and the sheet says first that its figures are not final — the PDF and the
    workbook alike."""
    with db.session() as session:
        for step in (Status.RUNNING, status):  # from 已结束 back to 进行中, then perhaps 已取消
            set_status(session, year.match, step)
    out = tmp_path / "决算表.pdf"
    with db.reader() as session:
        print_activity(session, year.match, "final", out, today=date(2026, 5, 2))
    lines, flat = rows(out), squeeze(text(out))
    assert said in flat
    assert f"150102文体活动费6,000.005,900.00{total}" in lines  # not 节约 100.00
    assert "250106会员活动费450.50520.00超支69.50" in lines  # an overspend all the same
    assert f"合计{format_fen(BUDGET_FEN)}{format_fen(SPENT_FEN)}{total}" in lines
    assert "节约" not in flat.replace("不算节约", "")
    if status == Status.CANCELLED:
        assert f"活动已取消，已支出{format_fen(SPENT_FEN)}元" in flat
    else:
        assert (
            f"活动尚未结束：预算{format_fen(BUDGET_FEN)}元，截至目前支出{format_fen(SPENT_FEN)}元。" in flat
        )
    workbook = tmp_path / "决算表.xlsx"
    with db.reader() as session:
        export_activity(session, year.match, "final", workbook, today=date(2026, 5, 2))
    sheet = load_workbook(workbook).active
    assert said in texts(sheet)
    for category in ("50102 文体活动费", "50106 会员活动费"):  # 超支 when over, else the word: never 节约
        words = sheet[f"G{find(sheet, category, column=2).row}"].value
        assert '"超支 "' in words and f'"{total}"' in words and "节约" not in words


def test_the_sign_in_sheet_lists_the_named_participants(db: Database, year: Year, tmp_path: Path) -> None:
    out = write_pdf(db, year.match, "signin", tmp_path / "签到表.pdf")
    assert page_count(out) == 1
    flat = squeeze(text(out))
    assert "活动签到表" in flat and f"活动名称：{MATCH}" in flat and "厂区体育馆" in flat
    assert "2026年5月1日至5月3日" in flat
    for column in ("序号", "姓名", "部门", "签到", "备注"):
        assert column in flat
    assert all(name in flat for name, _ in PEOPLE)
    people = [line for line in rows(out) if re.match(r"^\d{1,3}\D", line)]
    assert people == [f"{n}{name}{group}" for n, (name, group) in enumerate(PEOPLE, start=1)]


def test_without_names_the_sign_in_sheet_has_a_numbered_row_per_head_at_least_twenty(
    db: Database, year: Year, tmp_path: Path
) -> None:
    out = write_pdf(db, year.film, "signin", tmp_path / "观影.pdf")
    assert page_count(out) == 2
    numbers: list[int] = []
    for number in (1, 2):
        page = text(out, number)
        assert "观影《流浪地球》" in page and "签到" in page  # the heading and the header on every page
        assert f"第{number}页共2页" in squeeze(page)
        numbers += [int(n) for n in re.findall(r"^(\d{1,2})$", page, re.MULTILINE)]
    assert numbers == list(range(1, 36))
    few = write_pdf(db, year.small, "signin", tmp_path / "读书会.pdf")
    assert [int(n) for n in re.findall(r"^(\d{1,2})$", text(few), re.MULTILINE)] == list(range(1, 21))
    assert "应到3人" in squeeze(text(few))


def test_an_activity_without_lines_prints_a_blank_budget_to_fill_in(
    db: Database, year: Year, tmp_path: Path
) -> None:
    flat = squeeze(text(write_pdf(db, year.film, "budget", tmp_path / "空.pdf")))
    assert "预算明细" in flat and "合计" in flat and "预算合计（大写）：" in flat
    assert "零元整" not in flat  # nothing planned is not a plan of nothing
    final = squeeze(text(write_pdf(db, year.film, "final", tmp_path / "空决算.pdf")))
    assert "没有支出记录" in final and "共35人（未登记名单）" in final


def test_an_activity_with_expenses_but_no_budget_overspent_nothing(
    db: Database, year: Year, tmp_path: Path
) -> None:
    """As an activity imported from the ledger: its expenses, no budget lines of its own, 已结束."""
    with db.session() as session:
        sports = load_tree(session).by_code["50102"].id
        add_expense(
            session, year.film, ExpenseInput(date(2026, 6, 1), "电影票", sports, 105_000, paid_by="李会计")
        )
        for status in (Status.APPROVED, Status.DONE):
            set_status(session, year.film, status)
    lines = rows(write_pdf(db, year.film, "final", tmp_path / "决算.pdf"))
    assert "150102文体活动费1,050.00—" in lines
    assert "合计1,050.00无活动预算" in lines
    flat = "".join(lines)
    assert "超支" not in flat and "这项活动没有编列自己的预算，实际支出1,050.00元" in flat
    sheet = export(db, year.film, "final", tmp_path / "决算.xlsx")
    line = find(sheet, "50102 文体活动费", column=2).row
    assert sheet[f"D{line}"].value is None  # left for a budget to be typed in, not 0
    assert sheet[f"G{line}"].value.startswith(f'=IF(COUNT(D{line})=0,"无活动预算",')


def test_unknown_activities_kinds_and_files_are_refused_in_chinese(
    db: Database, year: Year, tmp_path: Path
) -> None:
    with db.reader() as session:
        for make in (print_activity, export_activity):
            suffix = ".pdf" if make is print_activity else ".xlsx"
            with pytest.raises(UserError, match="没有编号为 999 的活动"):
                make(session, 999, "budget", tmp_path / f"x{suffix}")
            with pytest.raises(UserError, match="没有“summary”这种打印"):
                make(session, year.match, "summary", tmp_path / f"x{suffix}")
            with pytest.raises(UserError, match=f"应保存为 {suffix} 文件"):
                make(session, year.match, "final", tmp_path / "x.txt")
    assert not list(tmp_path.glob("x.*"))  # nothing half-written


# --- the .xlsx versions -------------------------------------------------------------------------


def export(db: Database, activity: int, kind: str, out: Path) -> Any:
    with db.reader() as session:
        assert export_activity(session, activity, kind, out) == out
    workbook = load_workbook(out)
    assert workbook.calculation.fullCalcOnLoad  # the formulas are worked out on opening
    sheet = workbook.active
    assert int(sheet.page_setup.paperSize) == 9 and sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert "第 &P 页 共 &N 页" in str(sheet.oddFooter.center.text)
    return sheet


def texts(sheet: Any) -> str:
    return "".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)


def value(sheet: Any, ref: str) -> Decimal:
    """A cell's figure, working out the simple formulas the export writes (=D5*E5, =SUM(F5:F7),
    =E5-D5, =SUMIF(...))."""
    raw = sheet[ref].value
    if not isinstance(raw, str):
        return Decimal(str(raw or 0))
    if m := re.fullmatch(r"=([A-Z]+\d+)\*([A-Z]+\d+)", raw):
        return value(sheet, m[1]) * value(sheet, m[2])
    if m := re.fullmatch(r"=([A-Z]+\d+)-([A-Z]+\d+)", raw):
        return value(sheet, m[1]) - value(sheet, m[2])
    if m := re.fullmatch(r"=SUM\(([A-Z]+)(\d+):\1(\d+)\)", raw):
        return sum((value(sheet, f"{m[1]}{r}") for r in range(int(m[2]), int(m[3]) + 1)), Decimal(0))
    if m := re.fullmatch(r"=SUMIF\(\$([A-Z])\$(\d+):\$\1\$(\d+),([A-Z]+\d+),\$([A-Z])\$\2:\$\5\$\3\)", raw):
        wanted = sheet[m[4]].value
        rows = range(int(m[2]), int(m[3]) + 1)
        return sum(
            (value(sheet, f"{m[5]}{r}") for r in rows if sheet[f"{m[1]}{r}"].value == wanted), Decimal(0)
        )
    raise AssertionError(f"{ref}: {raw}")


def find(sheet: Any, wanted: str, column: int | None = None) -> Any:
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == wanted and (column is None or cell.column == column):
                return cell
    raise AssertionError(f"“{wanted}” is not on the sheet")


def test_the_budget_workbook_computes_its_lines_and_total(db: Database, year: Year, tmp_path: Path) -> None:
    sheet = export(db, year.match, "budget", tmp_path / "预算表.xlsx")
    assert sheet["A1"].value == "活动经费预算表" and sheet.page_setup.orientation == "portrait"
    all_text = texts(sheet)
    assert UNION in all_text and MATCH in all_text and "2026年5月1日至5月3日" in all_text
    header = find(sheet, "金额（元）").row
    assert sheet.print_title_rows == f"${header}:${header}"
    meal = find(sheet, "运动员工作餐").row
    assert sheet[f"D{meal}"].value == 50 and sheet[f"E{meal}"].value == 60
    assert sheet[f"F{meal}"].value == f"=D{meal}*E{meal}"  # change the head count and the line follows
    assert sheet[f"F{meal}"].number_format == "#,##0.00" and sheet[f"G{meal}"].value == "超标准，见说明1"
    total = find(sheet, "合计").row
    assert str(sheet[f"F{total}"].value).startswith("=SUM(")
    assert value(sheet, f"F{total}") == Decimal(BUDGET_FEN) / 100
    assert f"预算合计（大写）：{amount_in_capitals(BUDGET_FEN)}" in all_text
    assert "说明1：第 2 行“运动员工作餐”超过标准" in all_text and "审批意见" in all_text
    assert "工会主席（负责人）审批：" in all_text


def test_the_final_workbook_sums_the_expenses_per_category(db: Database, year: Year, tmp_path: Path) -> None:
    sheet = export(db, year.match, "final", tmp_path / "决算表.xlsx")
    expense_header = find(sheet, "发票号").row
    assert sheet.print_title_rows == f"${expense_header}:${expense_header}"
    sports = find(sheet, "50102 文体活动费", column=2).row
    assert value(sheet, f"D{sports}") == 6_000 and value(sheet, f"E{sports}") == 5_900
    assert value(sheet, f"F{sports}") == -100  # 节约 shows below zero
    members = find(sheet, "50106 会员活动费", column=2).row
    assert value(sheet, f"E{members}") == Decimal("520") and value(sheet, f"F{members}") == Decimal("69.5")
    totals = [c.row for c in sheet["C"] if c.value == "合计"] + [
        c.row for c in sheet["B"] if c.value == "合计"
    ]
    budget_total = min(totals)
    assert value(sheet, f"D{budget_total}") == Decimal(BUDGET_FEN) / 100
    assert value(sheet, f"E{budget_total}") == Decimal(SPENT_FEN) / 100
    expense_total = max(totals)
    assert value(sheet, f"E{expense_total}") == Decimal(SPENT_FEN) / 100
    # an expense that reads like a formula stays text
    odd = find(sheet, "=1+2 饮用水")
    assert odd.data_type == "s"
    assert sheet.cell(odd.row, 2).value.date() == date(2026, 5, 2)
    assert f"实际支出合计（大写）：{amount_in_capitals(SPENT_FEN)}" in texts(sheet)
    assert "共 4 人。一车间（2 人）：张三、王五；质量管理部（2 人）：李四、欧阳明月" in texts(sheet)


def test_the_sign_in_workbook_has_a_row_per_head(db: Database, year: Year, tmp_path: Path) -> None:
    named = export(db, year.match, "signin", tmp_path / "签到表.xlsx")
    header = find(named, "签到").row
    assert named.print_title_rows == f"${header}:${header}"
    assert [named.cell(header + n, 2).value for n in range(1, 5)] == [name for name, _ in PEOPLE]
    assert named.cell(header + 5, 1).value is None
    blank = export(db, year.small, "signin", tmp_path / "读书会.xlsx")
    header = find(blank, "签到").row
    assert [blank.cell(header + n, 1).value for n in range(1, 22)] == [*range(1, 21), None]
    assert "小组读书会" in texts(blank) and "应到 3 人" in texts(blank)
