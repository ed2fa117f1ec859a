"""Importing a payroll sheet (工资表) on its own to set members' dues base wages (会费基数)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db import Database
from app.domain.yearmonth import YearMonth
from app.models import DuesBaseWage, DuesCharge
from app.services.dues import WageImporter, WageImportOptions, roll
from app.services.errors import UserError
from app.services.imports import FieldChange
from tests.unit.dues.import_support import (
    TODAY,
    add_member,
    id_number,
    import_file,
    issues,
    plan_file,
    write_xlsx,
)

MARCH = YearMonth(2026, 3)


def importer(month: YearMonth | None = MARCH) -> WageImporter:
    return WageImporter(WageImportOptions(today=TODAY, month=month))


def wages(db: Database, member_id: int) -> list[tuple[date, int]]:
    with db.session() as session:
        query = select(DuesBaseWage.effective_from, DuesBaseWage.wage_fen).where(
            DuesBaseWage.member_id == member_id
        )
        return [tuple(row) for row in session.execute(query.order_by(DuesBaseWage.effective_from))]  # type: ignore[misc]


def test_wages_apply_from_their_month_on(db: Database, tmp_path: Path) -> None:
    raised = add_member(db, "张伟", id_number(1), "质检科")  # 4,000 from January
    first = add_member(db, "李娜", id_number(2), "销售部", wage_fen=None)
    same = add_member(db, "王强", id_number(3), "质检科")
    path = write_xlsx(
        tmp_path / "工资表.xlsx",
        [
            ["2026年3月工资表"],
            ["工号", "姓名", "身份证号", "部门", "基本工资", "应发工资", "实发工资"],
            ["A01", "张伟", id_number(1), "质检科", 5000, 8200.5, 7300],
            ["A02", "李娜", id_number(2), "销售部", 3085, 4100, 3900],
            ["A03", "王强", id_number(3), "质检科", "4,000.00", 5100, 4800],
        ],
    )
    plan, result = import_file(db, importer(), path)
    assert plan.mapping.header_of("wage") == "基本工资"  # bonuses and allowances are never the base
    assert [r.action for r in plan.rows] == ["update", "new", "unchanged"]
    assert plan.rows[0].changes == [FieldChange("会费基数工资（自2026年3月起）", "4,000.00", "5,000.00")]
    assert "按自2026年3月起适用记入 2 名会员的会费基数工资" in plan.notes
    assert (result.new, result.updated, result.unchanged) == (1, 1, 1)
    assert wages(db, raised) == [(date(2026, 1, 1), 400000), (date(2026, 3, 1), 500000)]
    assert wages(db, first) == [(date(2026, 3, 1), 308500)]
    assert wages(db, same) == [(date(2026, 1, 1), 400000)]
    with db.session() as session:
        result_roll = roll(session, YearMonth(2026, 1), YearMonth(2026, 4), today=TODAY)
        query = select(DuesCharge.month, DuesCharge.due_fen).where(DuesCharge.member_id == raised)
        due = {month: fen for month, fen in session.execute(query)}
    assert [due[date(2026, m, 1)] for m in range(1, 5)] == [2000, 2000, 2500, 2500]
    assert result_roll.missing_wage == {"李娜": [YearMonth(2026, 1), YearMonth(2026, 2)]}
    again, result = import_file(db, importer(), path)
    assert (again.count("unchanged"), result.new + result.updated) == (3, 0)
    # once months are rolled, a change says how to bring their charges along
    later = write_xlsx(tmp_path / "四月.xlsx", [["姓名", "身份证号", "工资"], ["张伟", id_number(1), 6000]])
    plan = plan_file(db, importer(YearMonth(2026, 4)), later)
    assert any("已生成的应缴会费不会自动改变" in n for n in plan.file_notes)


def test_a_month_column_dates_each_row(db: Database, tmp_path: Path) -> None:
    member = add_member(db, "张伟", id_number(1), "质检科")
    path = write_xlsx(
        tmp_path / "历月.xlsx",
        [
            ["月份", "姓名", "部门", "月工资"],
            ["2026年2月", "张伟", "质检科", 4500],
            ["2026-05", "张伟", "质检科", 4800],
            ["5月", "张伟", "质检科", 4900],
        ],
    )
    plan = plan_file(db, importer(None), path)
    assert issues(plan) == [(4, "姓名", "与第 3 行是同一人同一月份的工资，只能填写一次")]
    import_file(db, importer(None), path, skip_invalid=True)
    assert wages(db, member) == [
        (date(2026, 1, 1), 400000),
        (date(2026, 2, 1), 450000),
        (date(2026, 5, 1), 480000),
    ]


def test_people_and_wages_that_cannot_be_taken(db: Database, tmp_path: Path) -> None:
    add_member(db, "王芳", id_number(3), "质检科")
    add_member(db, "王芳", id_number(4), "质检科")
    add_member(db, "张伟", id_number(1), "质检科")
    path = write_xlsx(
        tmp_path / "坏.xlsx",
        [
            ["姓名", "部门", "会费基数"],
            ["王芳", "质检科", 4000],
            ["刘洋", "质检科", 4000],
            ["张伟", "质检科", -1],
            ["张伟", "质检科", 4000.123],
            ["张伟", "质检科", None],
            ["张伟", "质检科", 2_000_000],
        ],
    )
    found = issues(plan_file(db, importer(), path))
    assert found[0][:2] == (2, "姓名") and "有 2 名会员叫“王芳”" in found[0][2]
    assert found[1:] == [
        (3, "姓名", "名册中没有“质检科”的“刘洋”"),
        (4, "会费基数", "工资“-1”不能为负数"),
        (5, "会费基数", "工资最多两位小数：4000.123"),
        (6, "会费基数", "请填写工资"),
        (7, "会费基数", "工资“2000000”超出合理范围（0–1,000,000 元）"),
    ]
    names_only = write_xlsx(tmp_path / "只有姓名.xlsx", [["姓名", "工资"], ["张伟", 4000]])
    with pytest.raises(UserError, match="只凭姓名无法确定"):
        plan_file(db, importer(), names_only)
