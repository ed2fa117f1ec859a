"""What the imported payments are against what was due: the ones that differ (多缴 / 少缴)
are listed, not refused, and the difference stays on the member's balance."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session

from app.domain.yearmonth import YearMonth
from app.models import DuesCharge, DuesPayment
from app.services.dues.import_read import DuesRow, Line
from app.services.dues.import_settle import SOURCE


@dataclass(frozen=True)
class Difference:
    """A payment that is not what the member owed for its month (多缴 / 少缴)."""

    member_id: int
    member: str
    id_number: str
    month: YearMonth
    due_fen: int  # the month's stored charge, 0 when none
    paid_fen: int

    def as_dict(self) -> dict[str, object]:
        return {
            "member_id": self.member_id,
            "member": self.member,
            "id_number": self.id_number,
            "month": str(self.month),
            "due_fen": self.due_fen,
            "paid_fen": self.paid_fen,
        }


def _previous(month: date) -> date:
    return (month - timedelta(days=1)).replace(day=1)


def compare_with_dues(session: Session, rows: list[DuesRow]) -> tuple[list[Difference], set[date]]:
    """The payments that are not their month's due, and the months that have charges at all.
    A month without any is one not rolled yet: nothing in it is called a difference. Nor is
    a lump that pays its month and the unpaid months right before it (a half-yearly payer's
    June)."""
    good = [r for r in rows if r.action != "error" and r.member_id is not None and r.lines]
    months = {line.month for r in good for line in r.lines}
    if not months:
        return [], set()
    earliest = min(months)
    first = earliest.replace(year=earliest.year - 1)  # as far back as a lump may reach
    due = _dues(session, first, max(months))  # only months that have charges are in it
    differs: list[Difference] = []
    differing: list[tuple[DuesRow, Line, int]] = []
    for row in good:
        member_id = row.member_id or 0  # every row here has one
        for line in row.lines:
            of_month = due.get(line.month)
            if of_month is not None:
                owed = of_month.get(member_id, 0)
                if owed != line.amount_fen:
                    differing.append((row, line, owed))
    if differing:
        imported = _imported_months(session, first)
        paid: dict[int | None, set[date]] = defaultdict(set)
        for row in good:
            paid[row.member_id].update(line.month for line in row.lines)
        for row, line, owed in differing:
            member_id = row.member_id or 0
            # a lump for this month and the months right before it that nothing paid
            total, month = owed, line.month
            for _ in range(11):
                month = _previous(month)
                if month not in due or month in paid[member_id] or (member_id, month) in imported:
                    break
                total += due[month].get(member_id, 0)
                if total >= line.amount_fen:
                    break
            if total != line.amount_fen:
                month_of = YearMonth.of(line.month)
                differs.append(
                    Difference(member_id, row.name, row.id_number, month_of, owed, line.amount_fen)
                )
    return differs, set(due)


def _dues(session: Session, first: date, last: date) -> dict[date, dict[int, int]]:
    """Each month's dues by member. A 50,000-member year is 600,000 charges, so the month is
    read as text (parsed once per month, not per charge) and compared as text, so that the
    database reads the table straight through rather than finding each charge in range
    through the month index, which for most of the table costs twice as much."""
    month = cast(DuesCharge.month, String)
    query = select(month, DuesCharge.member_id, DuesCharge.due_fen).where(
        month >= first.isoformat(), month <= last.isoformat()
    )
    by_text: dict[str, dict[int, int]] = defaultdict(dict)
    for text, member_id, fen in session.connection().execute(query).all():
        by_text[text][member_id] = fen
    return {date.fromisoformat(text[:10]): dues for text, dues in by_text.items()}


def _imported_months(session: Session, first: date) -> set[tuple[int, date]]:
    query = select(DuesPayment.member_id, DuesPayment.source_month).where(
        DuesPayment.source == SOURCE, DuesPayment.source_month >= first
    )
    return {(member_id, month) for member_id, month in session.execute(query) if month is not None}
