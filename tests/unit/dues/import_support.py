"""What the dues import tests share: members in a small roster, workbooks written on the spot,
and the pipeline's read → find → plan → apply run as the command line runs it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select

from app.db import Database
from app.domain.idcard import check_character
from app.domain.members import MemberInput
from app.domain.yearmonth import YearMonth
from app.models import DuesPayment
from app.services.imports import (
    Importer,
    ImportPlan,
    ImportResult,
    apply_plan,
    find_sheet,
    plan_sheet,
    read_file,
)
from app.services.roster import add_group, create_member, set_dues_wage

TODAY = date(2026, 12, 1)
JAN, JUN, NOV = YearMonth(2026, 1), YearMonth(2026, 6), YearMonth(2026, 11)


def id_number(seq: int, born: str = "19800101") -> str:
    first17 = f"110105{born}{seq:03d}"
    return first17 + check_character(first17)


def add_member(
    db: Database,
    name: str,
    number: str = "",
    group: str = "",
    *,
    joined: date = date(2020, 1, 1),
    wage_fen: int | None = 400000,  # 4,000 yuan: 20.00 yuan a month
) -> int:
    """A paying member with a base wage from January 2026; ``group`` may be a path 生产部/一车间."""
    with db.session() as session:
        group_id = None
        for part in [p for p in group.split("/") if p]:
            group_id = _group(session, part, group_id)
        member_id = create_member(
            session,
            MemberInput(name=name, id_number=number, joined_on=joined, group_id=group_id),
            today=TODAY,
        )
        if wage_fen is not None:
            set_dues_wage(session, member_id, wage_fen, max(joined, date(2026, 1, 1)))
        return member_id


def _group(session: Any, name: str, parent: int | None) -> int:
    from app.services.roster import list_groups

    for group in list_groups(session):
        if group.name == name and group.parent_id == parent:
            return group.id
    return add_group(session, name, parent_id=parent)


def write_xlsx(path: Path, rows: list[list[Any]], title: str = "Sheet1") -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def plan_file(db: Database, importer: Importer[Any, Any], path: Path) -> ImportPlan[Any]:
    with db.session() as session:
        found = find_sheet(session, importer, read_file(path))
        return plan_sheet(session, importer, found.sheet, found.mapping, path=path)


def import_file(
    db: Database, importer: Importer[Any, Any], path: Path, *, skip_invalid: bool = False
) -> tuple[ImportPlan[Any], ImportResult]:
    with db.session() as session:
        found = find_sheet(session, importer, read_file(path))
        plan = plan_sheet(session, importer, found.sheet, found.mapping, path=path)
        return plan, apply_plan(session, importer, plan, skip_invalid=skip_invalid)


def payments(db: Database) -> list[tuple[int, date, int, str, str, date | None]]:
    """(member, paid on, fen, method, source, source month) of every payment, in order."""
    with db.session() as session:
        query = select(
            DuesPayment.member_id, DuesPayment.paid_on, DuesPayment.amount_fen, DuesPayment.method,
            DuesPayment.source, DuesPayment.source_month,
        ).order_by(DuesPayment.member_id, DuesPayment.source_month, DuesPayment.id)  # fmt: skip
        return [tuple(row) for row in session.execute(query)]  # type: ignore[misc]


def issues(plan: ImportPlan[Any]) -> list[tuple[int, str, str]]:
    return [(i.row, i.column, i.message) for i in plan.errors]
