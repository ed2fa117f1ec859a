"""欠缴: members with unpaid months, what remains owed, and how many months in a row.

Six months or more in a row is flagged (RULES §1, 章程第五条): the union must look at
them; nothing here changes anyone's status.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.dues import LONG_ARREARS_MONTHS, longest_run
from app.domain.yearmonth import YearMonth
from app.models import DuesCharge, Member
from app.services.roster import list_groups


@dataclass(frozen=True, slots=True)
class ArrearsRow:
    member_id: int
    id_number: str
    name: str
    group: str
    group_id: int | None
    months: tuple[tuple[YearMonth, int], ...]  # each unpaid month with what remains of it
    consecutive_months: int
    owed_fen: int

    @property
    def months_unpaid(self) -> int:
        return len(self.months)

    @property
    def long(self) -> bool:
        return self.consecutive_months >= LONG_ARREARS_MONTHS


def list_arrears(
    session: Session, *, through: YearMonth | None = None, group_ids: list[int] | None = None
) -> list[ArrearsRow]:
    """Everyone with a charge not fully paid (up to ``through``), longest arrears first.
    One query: at 50,000 members everyone owes the current month until payday."""
    query = (
        select(
            DuesCharge.member_id,
            DuesCharge.month,
            DuesCharge.due_fen - DuesCharge.paid_fen,
            Member.id_number,
            Member.name,
            Member.group_id,
        )
        .join(Member, Member.id == DuesCharge.member_id)
        .where(DuesCharge.paid_fen < DuesCharge.due_fen)
        .order_by(DuesCharge.member_id, DuesCharge.month)
    )
    if through is not None:
        query = query.where(DuesCharge.month <= through.first_day())
    if group_ids is not None:
        query = query.where(Member.group_id.in_(group_ids))
    months: dict[date, YearMonth] = {}
    unpaid: dict[int, list[tuple[YearMonth, int]]] = defaultdict(list)
    people: dict[int, tuple[str, str, int | None]] = {}
    for member_id, month, owed, id_number, name, group_id in session.execute(query):
        ym = months.get(month) or months.setdefault(month, YearMonth.of(month))
        unpaid[member_id].append((ym, int(owed)))
        people[member_id] = (id_number or "", name, group_id)
    paths = group_paths(session)
    rows = []
    for member_id, owed_months in unpaid.items():
        id_number, name, group_id = people[member_id]
        rows.append(
            ArrearsRow(
                member_id,
                id_number,
                name,
                paths.get(group_id, "") if group_id else "",
                group_id,
                tuple(owed_months),
                longest_run(m for m, _ in owed_months),
                sum(fen for _, fen in owed_months),
            )
        )
    rows.sort(key=lambda r: (-r.consecutive_months, -r.owed_fen, r.group, r.name))
    return rows


def group_paths(session: Session) -> dict[int, str]:
    return {g.id: g.path for g in list_groups(session)}
