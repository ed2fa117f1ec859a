"""The 慰问登记表 as secretaries keep it: a title, their own words for occasions, dates without
a year, a 合计 row, people found by ID or by name + 部门; over-cap history flagged, a shopping
card an error row; the same file twice changes nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db import Database
from app.domain.care import FORBIDDEN_RULE, IMPORTED_REASON
from app.models import CareRecord
from app.services.care import CareImporter, CareImportOptions
from app.services.system import ProfileData, save_profile
from tests.unit.dues.import_support import add_member, id_number, import_file, issues, plan_file, write_xlsx

TODAY = date(2026, 12, 1)
HEAD = ["日期", "姓名", "身份证号", "部门", "事由", "慰问金（元）", "慰问品", "慰问品价值", "经办人", "备注"]


@pytest.fixture
def people(db: Database) -> dict[str, int]:
    with db.session() as session:
        save_profile(session, ProfileData(name="测试工会", province="安徽"))
    return {
        "zhang": add_member(db, "张伟", id_number(1), "生产部"),
        "li": add_member(db, "李娜", id_number(2), "技术部"),
    }


def importer(year: int | None = 2026) -> CareImporter:
    return CareImporter(CareImportOptions(today=TODAY, year=year))


def register(tmp_path: Path, *rows: list[object]) -> Path:
    return write_xlsx(
        tmp_path / "慰问登记.xlsx", [["2026年慰问登记表"], HEAD, *rows, ["合计", "", "", "", "", 0]]
    )


def records(db: Database) -> list[tuple[int | None, date, str, str, int, int, str, str]]:
    with db.reader() as session:
        query = select(CareRecord.member_id, CareRecord.day, CareRecord.occasion, CareRecord.variant,
                       CareRecord.cash_fen, CareRecord.goods_fen, CareRecord.over_cap, CareRecord.reason)  # fmt: skip
        return [tuple(r) for r in session.execute(query.order_by(CareRecord.day))]  # type: ignore[misc]


def test_the_secretarys_words_and_dates_without_a_year(
    db: Database, people: dict[str, int], tmp_path: Path
) -> None:
    path = register(
        tmp_path,
        ["3月2日", "张伟", "", "生产部", "手术住院", 800, "", "", "刘芳", ""],
        [date(2026, 4, 9), "李娜", id_number(2), "", "父亲去世", 1000, "", "", "刘芳", ""],
        ["5-20", "李娜", "", "技术部", "生日蛋糕", "", "生日蛋糕券（指定蛋糕店）", 200, "刘芳", ""],
    )
    plan, result = import_file(db, importer(), path)
    assert result.new == 3 and plan.ignored_rows  # the 合计 row
    assert any("按 2026 年导入" in note for note in plan.file_notes)
    assert records(db) == [
        (people["zhang"], date(2026, 3, 2), "住院", "手术", 80_000, 0, "", ""),
        (people["li"], date(2026, 4, 9), "直系亲属去世", "父亲", 100_000, 0, "", ""),
        (people["li"], date(2026, 5, 20), "生日", "", 0, 20_000, "", ""),
    ]
    _, result = import_file(db, importer(), path)
    assert (result.new, result.unchanged) == (0, 3) and len(records(db)) == 3


def test_history_over_a_cap_is_flagged_and_a_card_is_an_error_row(
    db: Database, people: dict[str, int], tmp_path: Path
) -> None:
    path = register(
        tmp_path,
        [date(2026, 9, 12), "张伟", id_number(1), "", "住院慰问", 1200, "", "", "刘芳", ""],
        [date(2026, 9, 28), "李娜", id_number(2), "", "生日慰问", "", "超市购物卡", 300, "刘芳", ""],
    )
    plan = plan_file(db, importer(), path)
    ((row, column, message),) = issues(plan)
    assert (row, column) == (4, "慰问品") and FORBIDDEN_RULE in message
    _, result = import_file(db, importer(), path, skip_invalid=True)
    assert result.new == 1
    ((*_, over_cap, reason),) = records(db)
    assert "每次不超过 1,000.00 元" in over_cap and reason == IMPORTED_REASON


def test_an_unknown_word_and_a_person_not_in_the_roster_are_named(
    db: Database, people: dict[str, int], tmp_path: Path
) -> None:
    path = register(
        tmp_path,
        [date(2026, 2, 1), "张伟", id_number(1), "", "看望", 100, "", "", "", ""],
        [date(2026, 2, 1), "王五", "", "生产部", "结婚", 600, "", "", "", ""],
        ["2月30日", "张伟", id_number(1), "", "结婚", 600, "", "", "", ""],
    )
    found = issues(plan_file(db, importer(), path))
    assert found[0][:2] == (3, "事由") and "不认识的慰问事由“看望”" in found[0][2]
    assert found[1][:2] == (4, "姓名") and "没有“生产部”的“王五”" in found[1][2]
    assert found[2][:2] == (5, "日期")
    assert records(db) == []


def test_a_visit_after_today_or_from_a_mistyped_serial_is_the_rows_error(
    db: Database, people: dict[str, int], tmp_path: Path
) -> None:
    path = register(
        tmp_path,
        [date(2026, 11, 30), "张伟", id_number(1), "", "结婚", 600, "", "", "", ""],
        [date(2027, 1, 5), "李娜", id_number(2), "", "结婚", 600, "", "", "", ""],
        ["12月20日", "张伟", id_number(1), "", "生日", "", "蛋糕", 100, "", ""],
        [5, "李娜", id_number(2), "", "生日", "", "蛋糕", 100, "", ""],  # Excel's 1900-01-05
    )
    found = issues(plan_file(db, importer(), path))
    assert [(row, column) for row, column, _ in found] == [(4, "日期"), (5, "日期"), (6, "日期")]
    assert "2027-01-05晚于今天（2026-12-01）" in found[0][2]
    assert "没有写年份，按 2026 年读" in found[1][2] and "晚于今天" in found[1][2]
    assert "1900-01-05 早于 1950 年" in found[2][2]
    _, result = import_file(db, importer(), path, skip_invalid=True)
    assert result.new == 1 and [r[1] for r in records(db)] == [date(2026, 11, 30)]


def test_a_visit_to_someone_gone_by_then_is_imported_with_a_warning(
    db: Database, people: dict[str, int], tmp_path: Path
) -> None:
    from app.services.roster.members import change_status

    with db.session() as session:
        change_status(session, people["li"], "转出", date(2026, 6, 30), "调往外单位", today=TODAY)
    path = register(
        tmp_path,
        [date(2026, 6, 29), "李娜", id_number(2), "", "结婚", 600, "", "", "", ""],
        [date(2026, 9, 1), "李娜", id_number(2), "", "生育", 600, "", "", "", ""],
        [date(2019, 9, 1), "张伟", id_number(1), "", "结婚", 600, "", "", "", ""],
    )
    plan, result = import_file(db, importer(), path)
    assert result.new == 3
    assert [(w.row, w.column, w.message) for w in plan.warnings] == [
        (4, "姓名", "这名会员已于 2026-06-30 转出，2026-09-01 不是本会会员：请核对慰问对象和日期"),
        (5, "姓名", "这名会员于 2020-01-01 才入会，2019-09-01 不是本会会员：请核对慰问对象和日期"),
    ]
