"""Importing a member × month grid (会费台账): a row per member, a column per month."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from app.db import Database
from app.domain.yearmonth import YearMonth
from app.services.dues import DuesImporter, DuesImportOptions, DuesPlan, list_arrears, roll
from app.services.errors import UserError
from app.services.imports import FieldChange, write_error_report
from tests.unit.dues.import_support import (
    JAN,
    NOV,
    TODAY,
    add_member,
    id_number,
    import_file,
    issues,
    payments,
    plan_file,
    write_xlsx,
)

MONTHS = [f"{m}月" for m in range(1, 13)]


def importer(month: YearMonth | None = None, year: int | None = None) -> DuesImporter:
    return DuesImporter(DuesImportOptions(today=TODAY, month=month, year=year))


def grid_row(seq: int, name: str, group: str, months: dict[int, Any], total: Any = None) -> list[Any]:
    cells = [months.get(m) for m in range(1, 13)]
    return [seq, name, group, 20, *cells, total]


@pytest.fixture
def members(db: Database) -> dict[str, int]:
    return {
        "张伟": add_member(db, "张伟", id_number(1), "质检科"),
        "李娜": add_member(db, "李娜", id_number(2), "销售部", joined=date(2026, 2, 15), wage_fen=456000),
        "赵敏": add_member(db, "赵敏", id_number(3), "质检科", joined=date(2026, 3, 15)),
        "王强": add_member(db, "王强", id_number(4), "质检科"),
        "钱进": add_member(db, "钱进", id_number(5), "生产部/一车间"),
    }


def messy_grid(path: Path) -> Path:
    """Titles above the header, 序号, no ID numbers, "/" and "免" in months not owed, a 合计
    column (one of them wrong), a totals row and a signature line under the table."""
    every = dict.fromkeys(range(1, 12), 20)
    return write_xlsx(
        path,
        [
            ["2026年会费收缴台账"],
            ["填报单位：测试工会", None, None, None, None, None, None, None, None, None, None, "单位：元"],
            ["序号", "姓名", "部门", "月缴标准", *MONTHS, "合计"],
            grid_row(1, "张伟", "质检科", every, 220),
            grid_row(2, "李娜", "销售部", {1: "免", 2: "/", **dict.fromkeys(range(3, 12), 22.8)}, 205.2),
            grid_row(3, "赵敏", "质检科", dict.fromkeys(range(4, 12), 20), 150),  # joined in March
            grid_row(4, "王强", "质检科", {6: 120}, 120),  # half a year, paid in June
            grid_row(5, "钱进", "一车间", dict.fromkeys(range(1, 13), "—"), 0),
            ["合计", None, None, None, *[None] * 12, 695.2],
            ["制表人：李会计"],
        ],
    )


def test_a_messy_grid(db: Database, members: dict[str, int], tmp_path: Path) -> None:
    with db.session() as session:
        roll(session, JAN, NOV, today=TODAY)
    plan, result = import_file(db, importer(), messy_grid(tmp_path / "台账.xlsx"))
    assert isinstance(plan, DuesPlan) and plan.shape == "grid"
    assert (plan.mapping.header_row, plan.ignored_rows, plan.errors) == (3, [9, 10], [])
    assert [(w.row, w.column, w.message) for w in plan.warnings] == [
        (6, "合计", "合计为 150.00 元，各月之和为 160.00 元，请核对")
    ]
    assert "各月按表格标题中的年份（2026 年）导入" in plan.file_notes
    assert [r.action for r in plan.rows] == ["new", "new", "new", "new", "unchanged"]
    assert (result.new, result.unchanged) == (4, 1)
    assert plan.differs == []  # 王强's June pays January to June
    made = payments(db)
    assert len(made) == 11 + 9 + 8 + 1
    assert made[0] == (members["张伟"], date(2026, 1, 31), 2000, "工资代扣", "导入", date(2026, 1, 1))
    assert sum(p[2] for p in made if p[0] == members["李娜"]) == 9 * 2280
    with db.session() as session:
        arrears = {a.name: [str(m) for m, _ in a.months] for a in list_arrears(session)}
    # "—" is no payment, not an exemption: the roll, not the sheet, says 钱进 owed those months
    assert arrears == {
        "王强": [f"2026-{m:02d}" for m in range(7, 12)],
        "钱进": [f"2026-{m:02d}" for m in range(1, 12)],
    }


def test_the_year_of_a_grid_without_one(db: Database, members: dict[str, int], tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "无年份.xlsx",
        [
            ["姓名", "部门", "一月", "02月", "3月份"],
            ["张伟", "质检科", 20, 20, 20],
        ],
    )
    plan = plan_file(db, importer(), path)
    assert any("表格中没有写年份，各月按今年（2026 年）导入" in n for n in plan.file_notes)
    assert [line.month for line in plan.rows[0].lines] == [date(2026, m, 1) for m in (1, 2, 3)]
    plan, _ = import_file(db, importer(year=2025), path)
    assert "各月按指定的 2025 年导入" in plan.file_notes
    assert [p[5] for p in payments(db)] == [date(2025, m, 1) for m in (1, 2, 3)]
    with pytest.raises(UserError, match="年份 2027 不合理"):
        plan_file(db, importer(year=2027), path)


def test_one_month_of_a_grid(db: Database, members: dict[str, int], tmp_path: Path) -> None:
    plan, _ = import_file(db, importer(month=YearMonth(2026, 3)), messy_grid(tmp_path / "g.xlsx"))
    assert "只导入2026年3月一列" in plan.file_notes
    assert sorted((p[0], p[5], p[2]) for p in payments(db)) == [
        (members["张伟"], date(2026, 3, 1), 2000),
        (members["李娜"], date(2026, 3, 1), 2280),
    ]


def test_reimporting_a_grid(db: Database, members: dict[str, int], tmp_path: Path) -> None:
    path = messy_grid(tmp_path / "g.xlsx")
    import_file(db, importer(), path)
    before = payments(db)
    again, result = import_file(db, importer(), path)
    assert (again.count("unchanged"), result.new, result.updated, payments(db)) == (5, 0, 0, before)
    workbook = load_workbook(path)
    sheet = workbook.active
    assert sheet is not None
    sheet["G4"] = 25  # 张伟's March
    sheet["P4"] = 20  # and December, paid today
    workbook.save(path)
    plan, result = import_file(db, importer(), path)
    assert plan.rows[0].action == "update"
    assert plan.rows[0].changes == [
        FieldChange("2026年12月金额", "（无）", "20.00"),
        FieldChange("2026年3月金额", "20.00", "25.00"),
    ]
    zhang = [p for p in payments(db) if p[0] == members["张伟"]]
    assert (len(zhang), zhang[2][2], zhang[-1][1:3]) == (12, 2500, (TODAY, 2000))


def test_people_in_a_grid_are_found_by_name_and_department(
    db: Database, members: dict[str, int], tmp_path: Path
) -> None:
    add_member(db, "张伟", id_number(6), "质检科")  # a second 张伟 in 质检科
    path = write_xlsx(
        tmp_path / "同名.xlsx",
        [
            ["姓名", "部门", "2026年1月", "2026年2月"],
            ["张伟", "质检科", 20, 20],
            ["钱进", "生产部", 20, None],
            ["钱进", "生产部/一车间", None, 20],
            ["孙丽", "质检科", None, None],  # nothing paid: who she is does not matter
            ["周平", "质检科", 20, None],
        ],
    )
    plan = plan_file(db, importer(), path)
    found = issues(plan)
    assert [(row, column) for row, column, _ in found] == [(2, "姓名"), (6, "姓名")]
    assert "有 2 名会员叫“张伟”" in found[0][2] and found[1][2] == "名册中没有“质检科”的“周平”"
    assert [r.action for r in plan.rows] == ["error", "new", "new", "unchanged", "error"]
    assert plan.rows[1].member_id == plan.rows[2].member_id == members["钱进"]


def test_the_error_report_imports_back(db: Database, members: dict[str, int], tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "原表.xlsx",
        [
            ["2026年会费台账"],
            ["姓名", "部门", *MONTHS[:3]],
            ["张伟", "质检科", 20, 20, 20],
            ["张为", "质检科", 20, 20, 20],  # a typing error
        ],
    )
    plan = plan_file(db, importer(), path)
    assert [r.action for r in plan.rows] == ["new", "error"]
    report = write_error_report(plan, tmp_path / "错误.xlsx")
    workbook = load_workbook(report)
    sheet = workbook.active
    assert sheet is not None and sheet["F1"].value == "错误原因"
    sheet["A2"] = "张伟"
    workbook.save(report)
    fixed = plan_file(db, importer(year=2026), report)
    assert (fixed.errors, fixed.count("new"), len(fixed.rows[0].lines)) == ([], 1, 3)


def test_a_month_still_to_come(db: Database, members: dict[str, int], tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "年底.xlsx",
        [["姓名", "部门", "11月", "12月"], ["张伟", "质检科", 20, 20], ["王强", "质检科", 20, "/"]],
    )
    early = DuesImporter(DuesImportOptions(today=date(2026, 11, 20), year=2026))
    plan = plan_file(db, early, path)
    assert issues(plan) == [(2, "12月", "2026年12月还没有到，不能记入缴费")]
    assert plan.rows[1].lines[0].paid_on == date(2026, 11, 20)  # November, paid by today at the latest
