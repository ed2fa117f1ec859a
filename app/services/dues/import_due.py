"""What the imported payments are against what was due: the ones that differ (多缴 / 少缴)
are listed, not refused, and the difference stays on the member's balance."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import chain
from operator import attrgetter

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import driver_rows
from app.domain.idcard import mask_id_number
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
        """As the preview and ``--json`` show it: the ID number masked, as every list shows
        one (the member's id says who it is)."""
        return {
            "member_id": self.member_id,
            "member": self.member,
            "id_number": mask_id_number(self.id_number),
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
    months = set(map(_MONTH, chain.from_iterable(r.lines for r in good)))
    if not months:
        return [], set()
    earliest = min(months)
    first = earliest.replace(year=earliest.year - 1)  # as far back as a lump may reach
    due = _dues(session, sorted(months))  # only months that have charges are in it
    charged = set(due)
    differs: list[Difference] = []
    differing: list[tuple[DuesRow, Line, int]] = []
    of_month_get = due.get
    for row in good:
        member_id = row.member_id or 0  # every row here has one
        for line in row.lines:
            of_month = of_month_get(line.month)
            if of_month is not None:
                owed = of_month.get(member_id, 0)
                if owed != line.amount_fen:
                    differing.append((row, line, owed))
    if differing:
        # the months before, which a lump may reach back to
        due.update(_dues(session, [m for m in _months(first, max(months)) if m not in due]))
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
    return differs, charged


_MONTH = attrgetter("month")


def _months(first: date, last: date) -> list[date]:
    months, month = [], YearMonth.of(first)
    while month.first_day() <= last:
        months.append(month.first_day())
        month = month.add_months(1)
    return months


def _dues(session: Session, months: list[date]) -> dict[date, dict[int, int]]:
    """Each of ``months``' dues by member, for those that have charges. A 50,000-member year
    is 600,000 charges: each month is read on its own from the index that holds (month,
    member, due), straight from the driver into a dict."""
    dues: dict[date, dict[int, int]] = {}
    for month in months:
        query = select(DuesCharge.member_id, DuesCharge.due_fen).where(DuesCharge.month == month)
        of_month = dict(driver_rows(session, query))
        if of_month:
            dues[month] = of_month
    return dues


def _imported_months(session: Session, first: date) -> set[tuple[int, date]]:
    query = select(DuesPayment.member_id, DuesPayment.source_month).where(
        DuesPayment.source == SOURCE, DuesPayment.source_month >= first
    )
    return {(member_id, month) for member_id, month in session.execute(query) if month is not None}
