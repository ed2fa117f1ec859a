"""The 经费收支预算表 as unions write it: titles and 单位 lines, codes in a column, inside the name
or none, indented and numbered names, totals (checked, not imported), 其中 lines, columns
beside the budget that are not read, 上年结转; unknown words asked, answered and remembered;
the same file twice changes nothing, a new figure is an update; bad figures are error rows;
planning or cancelling writes nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.db import Database
from app.services.activities import budget_lines, budget_table, load_tree
from app.services.activities.import_budget import (
    CATEGORY,
    BudgetImporter,
    BudgetImportOptions,
    category_answer,
)
from app.services.errors import UserError
from app.services.imports import Answer, FieldChange
from app.services.progress import Cancelled
from tests.unit.activities.sheets import (
    answers,
    cancelling,
    category_words,
    counts,
    import_file,
    issues,
    plan_file,
    set_up_union,
    write_sheet,
)

TODAY = date(2026, 3, 1)


@pytest.fixture(autouse=True)
def union(db: Database) -> None:
    set_up_union(db)


def importer(year: int = 2026, **words: str) -> BudgetImporter:
    return BudgetImporter(BudgetImportOptions(today=TODAY, year=year, answers=answers(**words)))


def figures(db: Database, year: int = 2026) -> dict[str, int]:
    """The year's budget lines as set, by category code."""
    with db.reader() as session:
        tree = load_tree(session)
        return {tree.by_id[c].code: fen for c, fen in budget_lines(session, year).items()}


def indented(tmp_path: Path) -> Path:
    """Titles, 单位, no codes, indented numbered names, section totals above their lines, and
    上年决算数 / 说明 columns that must not be read."""
    return write_sheet(tmp_path / "预算.xlsx", [
        ["2026年工会经费收支预算表"],
        ["编制单位：某某公司工会", None, "单位：元"],
        [],
        ["项目", "上年决算数", "本年预算数", "说明"],
        ["一、收入合计", 200000, 226974.40, ""],
        ["  1.会费收入", 90000, 96974.40, "按工资总额 0.5%"],
        ["  2.拨缴经费收入", 80000, 90000, ""],
        ["  3.上级补助收入", 9000, 10000, ""],
        ["  4.行政补助收入", 21000, 30000, ""],
        ["二、支出合计", 190000, 135000, ""],
        ["  1.职工活动支出", 120000, 95000, ""],
        ["    职工教育", 1, 5000, "两期培训"],
        ["    文体活动", 1, 25000, ""],
        ["    宣传活动", 1, 3000, ""],
        ["    会员活动", 1, 60000, ""],
        ["    其他", 1, 2000, "其他活动"],
        ["  2.职工服务支出", 1, 5000, ""],
        ["  3.维权支出", 1, 14000, ""],
        ["  4.业务支出", 1, 6000, ""],
        ["  5.资本性支出", 1, 15000, ""],
        [],
        ["单位负责人：张三", None, "制表：李四"],
    ])  # fmt: skip


def test_an_indented_budget_without_codes(db: Database, tmp_path: Path) -> None:
    plan, result = import_file(db, importer(), indented(tmp_path))
    assert (result.new, result.updated, result.unchanged, result.invalid) == (14, 0, 0, 0)
    assert plan.warnings == [] and plan.questions == []
    assert 5 in plan.ignored_rows and 10 in plan.ignored_rows and 22 in plan.ignored_rows  # totals, footer
    assert figures(db) == {
        "401": 9_697_440, "402": 9_000_000, "403": 1_000_000, "405": 3_000_000,
        "501": 9_500_000, "50101": 500_000, "50102": 2_500_000, "50103": 300_000, "50106": 6_000_000,
        "50104": 200_000,  # "其他" under 职工活动支出 is its 其他活动支出
        "506": 500_000, "502": 1_400_000, "503": 600_000, "505": 1_500_000,
    }  # fmt: skip
    with db.reader() as session:
        table = budget_table(session, 2026)
    assert table.spending_budget_fen == 13_500_000  # the top line is not added to its sub-lines
    assert table.income_budget_fen == 22_697_440
    assert table.warnings == []


def test_the_same_file_again_changes_nothing_and_a_new_figure_is_an_update(
    db: Database, tmp_path: Path
) -> None:
    path = indented(tmp_path)
    import_file(db, importer(), path)
    before = counts(db)
    plan, result = import_file(db, importer(), path)
    assert (result.new, result.updated, result.unchanged) == (0, 0, 14) and counts(db) == before
    changed = write_sheet(tmp_path / "改.xlsx", [
        ["项目", "本年预算数"],
        ["二、支出合计", 140000],
        ["1.职工活动支出", 100000],
        ["文体活动", 30000],
    ])  # fmt: skip
    plan, result = import_file(db, importer(), changed)
    assert (result.new, result.updated, result.unchanged) == (0, 2, 0)
    update = next(r for r in plan.rows if r.label == "50102 文体活动费")
    assert update.changes == [FieldChange("50102 文体活动费 预算数", "25,000.00", "30,000.00")]
    assert figures(db)["501"] == 10_000_000 and figures(db)["50102"] == 3_000_000
    assert figures(db)["502"] == 1_400_000  # lines the file leaves out keep their figure
    assert figures(db, 2025) == {}  # only the year imported


def test_codes_in_a_column_or_in_the_name_and_other_columns_ignored(db: Database, tmp_path: Path) -> None:
    columns = write_sheet(tmp_path / "编号.xlsx", [
        ["工会经费收支预算表"],
        ["科目编号", "名称", "上年决算数", "本年预算数", "说明"],
        ["", "上年结转", 30000, 12000, ""],
        ["401", "会费收入", 1, 50000, ""],
        ["403", "上级补助收入", 1, 8000, ""],
        ["501", "职工活动支出", 1, 40000, ""],
        ["50102", "文体活动费", 1, 30000, ""],
        ["50105", "疗休养", 1, 10000, ""],
        ["505", "资本性支出", 1, 6000, ""],
    ])  # fmt: skip
    plan, result = import_file(db, importer(), columns)
    assert result.new == 6 and plan.warnings == []
    assert any("“上年结转” 12,000.00 元不是本年预算的收支科目" in note for note in plan.notes)
    assert figures(db) == {"401": 5_000_000, "403": 800_000, "501": 4_000_000, "50102": 3_000_000,
                           "50105": 1_000_000, "505": 600_000}  # fmt: skip
    in_name = write_sheet(tmp_path / "名中编号.xlsx", [
        ["科目", "2025年实际", "本年预算"],
        ["401 会费收入", 1, 52000],
        ["402拨缴经费收入", 1, 60000],
        ["50102 文体活动费", 1, 30000],
    ])  # fmt: skip
    plan, result = import_file(db, importer(), in_name)
    assert (result.new, result.updated, result.unchanged) == (1, 1, 1)
    assert figures(db)["401"] == 5_200_000 and figures(db)["402"] == 6_000_000


def test_the_2021_layout_with_years_in_the_headers(db: Database, tmp_path: Path) -> None:
    """科目编号 | 名称 | 2025年决算数 | 2026年预算数 | 说明; 上年结转; the 上级补助 breakdown written
    without codes under its coded line (the tree has no sub-lines for it)."""
    path = write_sheet(tmp_path / "2021式.xlsx", [
        ["XX公司工会2026年工会经费收支预算表"],
        ["编制单位：XX公司工会", None, None, "单位：元"],
        ["科目编号", "名称", "2025年决算数", "2026年预算数（元）", "说明"],
        ["", "上年结转", 20000, 15000, ""],
        ["401", "会费收入", 90000, 96974.40, ""],
        ["403", "上级补助收入", 9000, 10000, ""],
        ["", "回拨", 5000, 6000, ""],
        ["", "专项", 4000, 4000, ""],
        ["501", "职工活动支出", 1, 30000, ""],
        ["50102", "文体活动费", 1, 30000, ""],
        ["", "本年收支差额", None, 76974.40, ""],
    ])  # fmt: skip
    plan, result = import_file(db, importer(), path)
    assert plan.mapping.header_of("amount") == "2026年预算数(元)" and plan.warnings == []
    assert figures(db) == {"401": 9_697_440, "403": 1_000_000, "501": 3_000_000, "50102": 3_000_000}
    assert (result.new, result.skipped) == (4, 2) and plan.questions == []
    assert sum("不是本年预算的收支科目" in note for note in plan.notes[0].split("；")) == 2


def test_other_lines_are_not_other_spending_when_income_and_spending_share_a_word(
    db: Database, tmp_path: Path
) -> None:
    """Totals under their lines close the section: 其他收入 and 其他支出 come out right, and a
    code written for something else gives way to the name, with a warning."""
    path = write_sheet(tmp_path / "预算.xlsx", [
        ["科目编号", "科目名称", "预算数（元）"],
        ["401", "会费收入", 1000],
        ["", "其他收入", 500],
        ["", "收入合计", 1500],
        ["501", "职工活动支出", 800],
        ["", "其他支出", 700],
        ["503", "维权支出", 300],
        ["", "支出合计", 1500],
        ["", "合计", 1500],
    ])  # fmt: skip
    plan, _ = import_file(db, importer(), path)
    assert figures(db) == {"401": 100_000, "408": 50_000, "501": 80_000, "508": 70_000, "502": 30_000}
    code, total = plan.warnings  # 支出合计 1,500 against 1,800
    assert (
        code.row == 7
        and "编号 503 在本账套中是“503 业务支出”，按名称“维权支出”记入“502 维权支出”" in code.message
    )
    assert total.row == 8 and "“支出合计”1,500.00 元与各支出科目合计 1,800.00 元不一致" in total.message


def test_parts_under_其中_and_sums_checked(db: Database, tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "其中.xlsx", [
        ["项目", "本年预算数"],
        ["一、收入", None],
        ["上级补助收入", 50000],
        ["其中：回拨经费", 30000],
        ["专项补助", 20000],
        ["二、支出", None],
        ["维权支出", 14000],
        ["其中：困难职工帮扶", 8000],
        ["送温暖", 4000],
        ["职工活动支出", 90000],
        ["  文体活动", 25000],
        ["  会员活动", 60000],
        ["业务支出", 6000],
        ["  其中：会议", 7000],
    ])  # fmt: skip
    plan, result = import_file(db, importer(), path)
    assert figures(db) == {"403": 5_000_000, "502": 1_400_000, "50204": 800_000, "50205": 400_000,
                           "501": 9_000_000, "50102": 2_500_000, "50106": 6_000_000,
                           "503": 600_000, "50302": 700_000}  # fmt: skip
    # 上级补助收入 has no sub-categories: its parts are not imported, and said so
    skipped = [r for r in plan.rows if r.action == "skip"]
    assert [r.row for r in skipped] == [4, 5] and result.skipped == 2
    assert "“上级补助收入”下没有细目" in skipped[0].notes[0]
    # 其中 parts may be fewer than all (维权支出 12,000 of 14,000): no warning; more than the
    # line (业务支出 6,000, 会议 7,000) or plain sub-lines that do not add up: warnings
    warned = {w.row: w.message for w in plan.warnings}
    assert sorted(warned) == [10, 13]
    assert "“501 职工活动支出”90,000.00 元与其细目合计 85,000.00 元不一致" in warned[10]
    assert "细目合计 7,000.00 元" in warned[13]
    assert result.invalid == 0  # warnings, not errors


def test_an_unknown_word_is_asked_answered_and_remembered(db: Database, tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "预算.xlsx", [
        ["项目", "本年预算数"],
        ["二、支出合计", 50000],
        ["1.职工活动支出", 50000],
        ["  健身活动", 20000],
        ["  会员活动", 30000],
    ])  # fmt: skip
    plan = plan_file(db, importer(), path)
    [question] = plan.questions
    assert (question.key, question.rows, question.column) == ((CATEGORY, "健身活动"), (4,), "项目")
    assert "50102 文体活动费" in question.choices and "401 会费收入" not in question.choices
    [(row, column, message)] = issues(plan)
    assert (
        (row, column) == (4, "项目")
        and "不认识的科目“健身活动”" in message
        and "--category 健身活动=" in message
    )
    with pytest.raises(UserError, match="有 1 行有错误"):
        import_file(db, importer(), path)
    assert counts(db)["budget_lines"] == 0 and "健身活动" not in category_words(db)

    plan, result = import_file(db, importer(健身活动="50102 文体活动费"), path)
    assert any("“健身活动”是“50102 文体活动费”" in note for note in plan.notes)
    assert (result.new, result.invalid) == (3, 0)
    assert figures(db) == {"501": 5_000_000, "50102": 2_000_000, "50106": 3_000_000}
    assert category_words(db)["健身活动"] == "50102"
    # said to be 会员活动 like the line under it: the second is an error, not a silent overwrite
    plan = plan_file(db, importer(健身活动="50106"), path)
    [(row, _, message)] = issues(plan)
    assert row == 5 and "与第 4 行都是“50106 会员活动费”" in message


def test_an_answer_is_remembered_for_the_next_file(db: Database, tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "预算.xlsx", [
        ["项目", "本年预算数"],
        ["二、支出", None],
        ["1.职工活动支出", 50000],
        ["  健身活动", 20000],
    ])  # fmt: skip
    _, result = import_file(db, importer(健身活动="文体活动"), path)  # a name answers too
    assert result.new == 2 and category_words(db)["健身活动"] == "50102"
    again = plan_file(db, importer(), path)
    assert again.questions == [] and again.count("unchanged") == 2


def test_answers_that_name_no_category_are_refused(db: Database, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="请说明“健身”是哪个科目"):
        category_answer("健身", " ")
    assert category_answer(" 1.健身 ", "50102") == ((CATEGORY, "健身"), Answer("50102"))
    path = write_sheet(tmp_path / "预算.xlsx", [["项目", "本年预算数"], ["健身", 100]])
    with pytest.raises(UserError, match="“99999”不是本账套的科目"):
        plan_file(db, importer(健身="99999"), path)


def test_bad_figures_are_error_rows_naming_row_and_column(db: Database, tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "预算.xlsx", [
        ["项目", "本年预算数"],
        ["会费收入", "五万"],
        ["拨缴经费收入", -100],
        ["上级补助收入", "1,000.123"],
        ["行政补助收入", "—"],
        ["事业收入", 0],
    ])  # fmt: skip
    plan = plan_file(db, importer(), path)
    found = issues(plan)
    assert [(row, column) for row, column, _ in found] == [
        (2, "本年预算数"),
        (3, "本年预算数"),
        (4, "本年预算数"),
    ]
    assert "“五万”不是金额" in found[0][2] and "不能为负数" in found[1][2] and "两位小数" in found[2][2]
    dash = next(r for r in plan.rows if r.row == 5)
    assert dash.action == "skip" and "不是零" in dash.notes[0]  # a dash is not a budget of zero
    _, result = import_file(db, importer(), path, skip_invalid=True)
    assert (result.new, result.invalid, result.skipped) == (1, 3, 1)
    assert figures(db) == {"406": 0}


def test_figures_in_ten_thousands_and_a_title_for_another_year(db: Database, tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "预算.xlsx", [
        ["2025年经费预算"],
        ["编制单位：万元集团工会", None, "单位：万元"],
        ["项目", "预算数"],
        ["会费收入", 9.697444],
        ["职工活动支出", 9.5],
    ])  # fmt: skip
    plan, _ = import_file(db, importer(), path)
    assert any("万元" in note for note in plan.file_notes)
    assert any("2025 年的预算，现在按 2026 年导入" in w.message for w in plan.warnings)
    assert figures(db) == {"401": 9_697_444, "501": 9_500_000}
    in_yuan = write_sheet(tmp_path / "元.xlsx", [
        ["编制单位：万元集团工会", None, "单位：元"],  # the union's name is not the unit
        ["项目", "预算数"],
        ["会费收入", 9.5],
    ])  # fmt: skip
    plan, _ = import_file(db, importer(2027), in_yuan)
    assert plan.file_notes == [] and figures(db, 2027) == {"401": 950}


def test_planning_or_cancelling_writes_nothing(db: Database, tmp_path: Path) -> None:
    path = indented(tmp_path)
    before = counts(db)
    plan = plan_file(db, importer(), path)  # a dry run
    assert plan.count("new") == 14 and counts(db) == before
    with pytest.raises(Cancelled):
        import_file(db, importer(), path, progress=cancelling())
    assert counts(db) == before


def test_no_header_is_a_clear_message(db: Database, tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "x.xlsx", [["甲", "乙"], ["会费收入", 100]])
    with pytest.raises(UserError, match="找不到经费收支预算表的表头"):
        plan_file(db, importer(), path)
