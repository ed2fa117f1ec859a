"""欠缴: members with unpaid months, what remains owed, and how many months in a row.

Six months or more in a row is flagged (RULES §1, 章程第五条): the union must look at
them; nothing here changes anyone's status.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.dues import LONG_ARREARS_MONTHS, longest_run
from app.domain.yearmonth import YearMonth
from app.models import DuesCharge, Member
from app.services.roster import list_groups


@dataclass(frozen=True)
class ArrearsRow:
    member_id: int
    id_number: str
    name: str
    group: str
    group_id: int | None
    months: tuple[tuple[YearMonth, int], ...]  # each unpaid month with what remains of it

    @property
    def months_unpaid(self) -> int:
        return len(self.months)

    @property
    def consecutive_months(self) -> int:
        return longest_run(m for m, _ in self.months)

    @property
    def owed_fen(self) -> int:
        return sum(fen for _, fen in self.months)

    @property
    def long(self) -> bool:
        return self.consecutive_months >= LONG_ARREARS_MONTHS


def list_arrears(
    session: Session, *, through: YearMonth | None = None, group_ids: list[int] | None = None
) -> list[ArrearsRow]:
    """Everyone with a charge not fully paid (up to ``through``), longest arrears first."""
    query = (
        select(DuesCharge.member_id, DuesCharge.month, DuesCharge.due_fen - DuesCharge.paid_fen)
        .where(DuesCharge.paid_fen < DuesCharge.due_fen)
        .order_by(DuesCharge.member_id, DuesCharge.month)
    )
    if through is not None:
        query = query.where(DuesCharge.month <= through.first_day())
    unpaid: dict[int, list[tuple[YearMonth, int]]] = defaultdict(list)
    for member_id, month, owed in session.execute(query):
        unpaid[member_id].append((YearMonth.of(month), int(owed)))
    if not unpaid:
        return []
    people = select(Member.id, Member.id_number, Member.name, Member.group_id).where(
        Member.id.in_(list(unpaid))
    )
    if group_ids is not None:
        people = people.where(Member.group_id.in_(group_ids))
    paths = group_paths(session)
    rows = [
        ArrearsRow(
            member_id,
            id_number or "",
            name,
            paths.get(group_id, "") if group_id else "",
            group_id,
            tuple(unpaid[member_id]),
        )
        for member_id, id_number, name, group_id in session.execute(people)
    ]
    rows.sort(key=lambda r: (-r.consecutive_months, -r.owed_fen, r.group, r.name))
    return rows


def group_paths(session: Session) -> dict[int, str]:
    return {g.id: g.path for g in list_groups(session)}
