"""Importing a payroll deduction list (代扣明细): one row per member and month."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.domain.idcard import mask_id_number
from app.domain.yearmonth import YearMonth
from app.models import AuditEntry, DuesCharge, DuesPayment
from app.services.dues import DuesImporter, DuesImportOptions, DuesPlan, list_arrears, roll
from app.services.errors import UserError
from app.services.imports import FieldChange
from tests.unit.dues.import_support import (
    JAN,
    JUN,
    TODAY,
    add_member,
    id_number,
    import_file,
    issues,
    payments,
    plan_file,
    write_xlsx,
)

HEADER = ["月份", "姓名", "身份证号", "部门", "代扣会费"]
ZHANG, LI = id_number(1), id_number(2)


def importer(month: YearMonth | None = None, year: int | None = None) -> DuesImporter:
    return DuesImporter(DuesImportOptions(today=TODAY, month=month, year=year))


@pytest.fixture
def people(db: Database) -> dict[str, int]:
    return {
        "张伟": add_member(db, "张伟", ZHANG, "质检科"),  # 4,000 yuan: 20.00 a month
        "李娜": add_member(db, "李娜", LI, "销售部", wage_fen=456000),  # 22.80 a month
    }


def test_months_as_secretaries_write_them(db: Database, people: dict[str, int], tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "代扣.xlsx",
        [
            HEADER,
            ["2026年1月", "张伟", ZHANG, "质检科", 20.0],
            ["2026-02", "张伟", ZHANG, "质检科", 20],
            ["2026.3", "张伟", ZHANG, "质检科", "20.00元"],
            [date(2026, 4, 1), "张伟", ZHANG, "质检科", 20],
            [202605, "张伟", ZHANG, "质检科", 20],
            ["2026年1月", "李娜", LI, "销售部", 22.8],
        ],
    )
    plan, result = import_file(db, importer(), path)
    assert isinstance(plan, DuesPlan) and plan.shape == "list"
    assert (plan.count("new"), result.new, plan.errors) == (6, 6, [])
    zhang, li = people["张伟"], people["李娜"]
    assert payments(db) == [
        (zhang, date(2026, 1, 31), 2000, "工资代扣", "导入", date(2026, 1, 1)),
        (zhang, date(2026, 2, 28), 2000, "工资代扣", "导入", date(2026, 2, 1)),
        (zhang, date(2026, 3, 31), 2000, "工资代扣", "导入", date(2026, 3, 1)),
        (zhang, date(2026, 4, 30), 2000, "工资代扣", "导入", date(2026, 4, 1)),
        (zhang, date(2026, 5, 31), 2000, "工资代扣", "导入", date(2026, 5, 1)),
        (li, date(2026, 1, 31), 2280, "工资代扣", "导入", date(2026, 1, 1)),  # 22.8 read exactly
    ]
    summary = plan.summary()
    assert set(summary) == {"new", "updated", "unchanged", "skipped", "errors", "warnings", "differs"}
    assert (summary["new"], summary["differs"]) == (6, [])
    with db.session() as session:
        audit = session.scalars(select(AuditEntry).where(AuditEntry.entity == "dues_payments")).all()
    assert [(a.action, "代扣.xlsx" in a.summary, "6 笔" in a.summary) for a in audit] == [
        ("批量", True, True)
    ]


def test_one_months_list_with_dates_methods_and_receipts(
    db: Database, people: dict[str, int], tmp_path: Path
) -> None:
    path = write_xlsx(
        tmp_path / "三月.xlsx",
        [
            ["姓名", "身份证号", "部门", "金额", "缴费日期", "缴费方式", "收据号", "备注"],
            ["张伟", ZHANG, "质检科", 20, date(2026, 3, 10), "现金", "R-001", "补交"],
            ["李娜", LI, "销售部", 22.8, None, None, None, None],
        ],
    )
    with pytest.raises(UserError, match="没有月份列"):
        plan_file(db, importer(), path)
    plan, _ = import_file(db, importer(month=YearMonth(2026, 3)), path)
    assert plan.count("new") == 2
    with db.session() as session:
        rows = session.execute(
            select(DuesPayment.member_id, DuesPayment.paid_on, DuesPayment.method, DuesPayment.receipt_no,
                   DuesPayment.note, DuesPayment.source_month).order_by(DuesPayment.member_id)
        ).all()  # fmt: skip
    assert [tuple(r) for r in rows] == [
        (people["张伟"], date(2026, 3, 10), "现金", "R-001", "补交", date(2026, 3, 1)),
        (people["李娜"], date(2026, 3, 31), "工资代扣", "", "", date(2026, 3, 1)),
    ]
    # a month of its own that is not the one named is a mistake, not a guess
    other = write_xlsx(tmp_path / "四月.xlsx", [HEADER, ["2026年4月", "张伟", ZHANG, "质检科", 20]])
    assert issues(plan_file(db, importer(month=YearMonth(2026, 3)), other)) == [
        (2, "月份", "月份是2026年4月，与指定导入的2026年3月不同")
    ]
    with pytest.raises(UserError, match="还没有到"):
        plan_file(db, importer(month=YearMonth(2027, 1)), path)


def test_members_are_never_found_by_name_alone(db: Database, tmp_path: Path) -> None:
    zhang = add_member(db, "张伟", ZHANG, "质检科")
    add_member(db, "王芳", id_number(3), "质检科")
    add_member(db, "王芳", id_number(4), "质检科")
    zhao = add_member(db, "赵敏", id_number(5), "生产部/一车间")
    path = write_xlsx(
        tmp_path / "名单.xlsx",
        [
            HEADER,
            ["2026年1月", "王芳", "", "质检科", 20],
            ["2026年1月", "刘洋", "", "质检科", 20],
            ["2026年1月", "张伟", "", "销售部", 20],
            ["2026年1月", "张伟", "", "", 20],
            ["2026年1月", "张三", id_number(9), "质检科", 20],
            ["2026年1月", "李四", ZHANG, "质检科", 20],
            ["2026年1月", "张伟", "", "质检科", 20],
            ["2026年1月", "赵敏", "", "一车间", 20],
            ["2026年2月", "赵敏", "", "生产部", 20],
            ["2026年3月", "赵敏", "", "生产部 / 一车间", 20],
            ["2026年3月", "赵敏", id_number(5), "", 20],
        ],
    )
    plan = plan_file(db, importer(), path)
    found = issues(plan)
    assert found[0][:2] == (2, "姓名") and "有 2 名会员叫“王芳”" in found[0][2]
    assert f"110105********{id_number(3)[-4:]}" in found[0][2] and "请在表格中填写身份证号" in found[0][2]
    assert found[1:6] == [
        (3, "姓名", "名册中没有“质检科”的“刘洋”"),
        (4, "姓名", "名册中没有“销售部”的“张伟”（名册中的“张伟”在：质检科）"),
        (5, "姓名", "没有身份证号，也没有部门：只凭姓名无法确定是哪位会员，请填写身份证号或部门"),
        (6, "身份证号", f"名册中没有身份证号为 {id_number(9)} 的会员"),
        (7, "姓名", f"身份证号 {ZHANG} 在名册中是“张伟”，不是“李四”，请核对"),
    ]
    assert found[6][0] == 12 and "与第 11 行都是赵敏2026年3月的缴费" in found[6][2]
    assert len(found) == 7
    matched = {r.row: r.member_id for r in plan.rows if r.action == "new"}
    assert matched == {8: zhang, 9: zhao, 10: zhao, 11: zhao}
    with pytest.raises(UserError, match="没有导入任何数据"):
        import_file(db, importer(), path)
    assert payments(db) == []
    _, result = import_file(db, importer(), path, skip_invalid=True)
    assert (result.new, result.invalid, len(payments(db))) == (4, 7, 4)


def test_a_sheet_without_ids_or_departments_is_refused(db: Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "x.xlsx", [["月份", "姓名", "代扣会费"], ["2026年1月", "张伟", 20]])
    with pytest.raises(UserError, match="只凭姓名无法确定"):
        plan_file(db, importer(), path)


def test_amounts_that_are_not_payments(db: Database, people: dict[str, int], tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "坏.xlsx",
        [
            [*HEADER, "缴费日期"],
            ["2026年1月", "张伟", ZHANG, "质检科", -5, None],
            ["2026年2月", "张伟", ZHANG, "质检科", 0, None],
            ["2026年3月", "张伟", ZHANG, "质检科", 20.005, None],
            ["2026年4月", "张伟", ZHANG, "质检科", "二十", None],
            ["2027年1月", "张伟", ZHANG, "质检科", 20, None],
            ["2026年12月", "张伟", ZHANG, "质检科", 20, date(2026, 12, 5)],
            ["2026年5月", "张伟", ZHANG, "质检科", "/", None],
            ["2026年6月", "张伟", ZHANG, "质检科", "免", None],
            ["2026年7月", "张伟", ZHANG, "质检科", None, None],
            ["2026年12月", "李娜", LI, "销售部", 22.8, None],
        ],
    )
    plan = plan_file(db, importer(), path)
    assert issues(plan) == [
        (2, "代扣会费", "金额“-5”不能为负数"),
        (3, "代扣会费", "金额为 0：没有缴费请留空，免缴的月份可写“免”或“/”"),
        (4, "代扣会费", "金额最多两位小数：20.005"),
        (5, "代扣会费", "“二十”不是金额"),
        (6, "月份", "2027年1月还没有到，不能记入缴费"),
        (7, "缴费日期", "缴费日期 2026-12-05 还没有到"),
    ]
    assert [r.action for r in plan.rows[6:]] == ["unchanged", "unchanged", "unchanged", "new"]
    # the month in progress: paid today at the latest, not on the 31st still to come
    assert plan.rows[-1].lines[0].paid_on == TODAY


def test_dates_and_months_from_before_any_register_are_refused(
    db: Database, people: dict[str, int], tmp_path: Path
) -> None:
    """0001-01-01 or 1900年1月 is a slip of the keyboard, never a payment to store."""
    path = write_xlsx(
        tmp_path / "早.xlsx",
        [
            [*HEADER, "缴费日期"],
            ["2026年1月", "张伟", ZHANG, "质检科", 20, "0001-01-01"],
            ["1900年1月", "张伟", ZHANG, "质检科", 20, None],
            ["2026年2月", "张伟", ZHANG, "质检科", 20, "1950-01-01"],
        ],
    )
    plan = plan_file(db, importer(), path)
    assert issues(plan) == [
        (2, "缴费日期", "缴费日期 0001-01-01 早于 1950 年，请检查是否填错"),
        (3, "月份", "月份“1900年1月”早于 1950 年，请检查是否填错"),
    ]
    assert plan.rows[2].lines[0].paid_on == date(1950, 1, 1)


def test_differences_from_what_is_due_are_listed_not_refused(
    db: Database, people: dict[str, int], tmp_path: Path
) -> None:
    late = add_member(db, "赵敏", id_number(5), "质检科", joined=date(2026, 3, 15))  # owes from April
    with db.session() as session:
        roll(session, JAN, JUN, today=TODAY)
    path = write_xlsx(
        tmp_path / "差额.xlsx",
        [
            HEADER,
            ["2026年1月", "张伟", ZHANG, "质检科", 20],
            ["2026年2月", "张伟", ZHANG, "质检科", 25],
            ["2026年3月", "张伟", ZHANG, "质检科", 15],
            ["2026年6月", "李娜", LI, "销售部", 136.8],  # six months of 22.80, paid in June
            ["2026年3月", "赵敏", id_number(5), "质检科", 20],  # not owed: joined on the 15th
            ["2026年4月", "赵敏", id_number(5), "质检科", 20],
        ],
    )
    plan, _ = import_file(db, importer(), path)
    assert isinstance(plan, DuesPlan)
    zhang, zhao = mask_id_number(ZHANG), mask_id_number(id_number(5))  # shown as every list shows them
    assert "*" in zhang and zhang[:6] == ZHANG[:6] and zhang[-4:] == ZHANG[-4:]
    assert plan.summary()["differs"] == [
        {"member_id": people["张伟"], "member": "张伟", "id_number": zhang, "month": "2026-02",
         "due_fen": 2000, "paid_fen": 2500},
        {"member_id": people["张伟"], "member": "张伟", "id_number": zhang, "month": "2026-03",
         "due_fen": 2000, "paid_fen": 1500},
        {"member_id": late, "member": "赵敏", "id_number": zhao, "month": "2026-03",
         "due_fen": 0, "paid_fen": 2000},
    ]  # fmt: skip
    note = next(n for n in plan.notes if "与应缴不符" in n)
    assert "3 笔（2 名会员" in note and "张伟 2026年2月 应缴 20.00 元、实缴 25.00 元" in note
    with db.session() as session:
        covered = session.execute(
            select(DuesCharge.month, DuesCharge.due_fen, DuesCharge.paid_fen)
            .where(DuesCharge.member_id == people["李娜"])
            .order_by(DuesCharge.month)
        ).all()
    assert [tuple(c) for c in covered] == [(date(2026, m, 1), 2280, 2280) for m in range(1, 7)]


def test_importing_the_same_file_again_changes_nothing(
    db: Database, people: dict[str, int], tmp_path: Path
) -> None:
    rows: list[list[object]] = [HEADER] + [[f"2026年{m}月", "张伟", ZHANG, "质检科", 20] for m in range(1, 4)]
    path = write_xlsx(tmp_path / "a.xlsx", rows)
    import_file(db, importer(), path)
    again, result = import_file(db, importer(), path)
    assert (again.counts()["unchanged"], result.new, result.updated, again.notes) == (3, 0, 0, [])
    assert sum(p[2] for p in payments(db)) == 6000
    rows[2][4] = 30
    changed = write_xlsx(tmp_path / "b.xlsx", rows)
    plan, result = import_file(db, importer(), changed)
    assert [r.action for r in plan.rows] == ["unchanged", "update", "unchanged"]
    assert plan.rows[1].changes == [FieldChange("金额", "20.00", "30.00")]
    assert (result.updated, [p[2] for p in payments(db)]) == (1, [2000, 3000, 2000])
    with db.session() as session:
        assert (
            session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "批量"))
            == 2
        )


def test_money_imported_before_the_roll_covers_the_months_once_rolled(
    db: Database, people: dict[str, int], tmp_path: Path
) -> None:
    path = write_xlsx(
        tmp_path / "先导入.xlsx",
        [
            HEADER,
            *[[f"2026年{m}月", "张伟", ZHANG, "质检科", 20] for m in range(1, 6)],
            ["2026年6月", "李娜", LI, "销售部", 136.8],
        ],
    )
    plan, _ = import_file(db, importer(), path)
    assert isinstance(plan, DuesPlan) and plan.differs == []
    assert any("尚未生成应缴" in n and "2026年1月—6月" in n for n in plan.notes)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(DuesCharge)) == 0
        roll(session, JAN, JUN, today=TODAY)
    with db.session() as session:
        arrears = {a.name: [str(m) for m, _ in a.months] for a in list_arrears(session)}
        paid = session.scalar(select(func.sum(DuesCharge.paid_fen)))
    assert arrears == {"张伟": ["2026-06"]}  # five months paid, June still owed
    assert paid == 5 * 2000 + 6 * 2280


def test_a_month_already_paid_another_way_is_pointed_out(
    db: Database, people: dict[str, int], tmp_path: Path
) -> None:
    from app.services.dues import PaymentInput, record_payment

    with db.session() as session:
        record_payment(session, PaymentInput(people["张伟"], 2000, date(2026, 2, 10)), today=TODAY)
    path = write_xlsx(
        tmp_path / "代扣.xlsx",
        [HEADER, ["2026年1月", "张伟", ZHANG, "质检科", 20], ["2026年2月", "张伟", ZHANG, "质检科", 20]],
    )
    plan = plan_file(db, importer(), path)
    assert [(w.row, w.column) for w in plan.warnings] == [(3, "代扣会费")]
    assert "张伟2026年2月已有一笔手工登记的缴费（20.00 元）" in plan.warnings[0].message
    assert plan.count("new") == 2  # a warning, not a refusal
