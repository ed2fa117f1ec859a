"""What the 会费 page reads (read-only): the members with the base wage in force in a year,
the year's figures for the whole union or a group, and the grid cells of a block of members.

The grid is read a block at a time (``grid_rows``: a few hundred members, ~30 ms for 200 at
50,000 members), so a page over 50,000 members only reads the rows that are on screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.dues import DuesRule, monthly_dues_fen
from app.domain.members import Category
from app.domain.yearmonth import YearMonth
from app.models import DuesBaseWage, DuesCharge, Member
from app.services.dues.ledger import GridCell, balances, year_grid
from app.services.dues.rules import load_rules
from app.services.dues.summary import DuesSummary, charged_months, summarize
from app.services.roster import Roster, descendants, list_groups, load_roster


def reference_month(year: int, today: date) -> YearMonth:
    """The month whose wage and rule a year's page shows: this month for this year, December
    for a past year, January for a year to come."""
    now = YearMonth.of(today)
    if year == now.year:
        return now
    return YearMonth(year, 12) if year < now.year else YearMonth(year, 1)


@dataclass(frozen=True)
class DuesMembers:
    """Every member (as the roster reads them) with what the page shows beside the name."""

    year: int
    roster: Roster
    wages: dict[int, int]  # member id → base wage (fen) in force in the reference month
    monthly: dict[int, int]  # member id → a month's dues at that wage (fen)
    in_year: frozenset[int]  # members with a charge in the year
    years: tuple[int, ...]  # the years that have charges, and this year


def load_members(session: Session, year: int, *, today: date | None = None) -> DuesMembers:
    today = today or date.today()
    month = reference_month(year, today)
    roster = load_roster(session)
    rule = load_rules(session).at(month)
    wages: dict[int, int] = {}
    for member_id, wage in session.execute(
        select(DuesBaseWage.member_id, DuesBaseWage.wage_fen)
        .where(DuesBaseWage.effective_from <= month.first_day())
        .order_by(DuesBaseWage.member_id, DuesBaseWage.effective_from)
    ):
        wages[member_id] = wage  # the last one on or before the month wins
    monthly: dict[int, int] = {}
    for row in roster.rows:
        if row.category == Category.APPRENTICE:
            monthly[row.id] = rule.apprentice_fen
        elif row.id in wages:
            monthly[row.id] = monthly_dues_fen(wages[row.id], rule)
    in_year = frozenset(
        session.scalars(
            select(DuesCharge.member_id)
            .where(
                DuesCharge.month >= YearMonth(year, 1).first_day(),
                DuesCharge.month <= YearMonth(year, 12).first_day(),
            )
            .distinct()
        )
    )
    years = tuple(sorted({m.year for m in charged_months(session)} | {today.year}))
    return DuesMembers(year, roster, wages, monthly, in_year, years)


@dataclass(frozen=True)
class DuesFigures:
    """The year's 应缴, 实缴, 收缴率 and 欠缴 (for everyone or a group and the groups below it),
    who is behind, which months have been rolled, and the rule in force."""

    year: int
    group_id: int | None
    summary: DuesSummary
    behind: frozenset[int]  # members with a charge of the year not fully paid (any group)
    rolled: tuple[YearMonth, ...]  # the year's months that have charges
    rule: DuesRule


def load_figures(
    session: Session, year: int, group_id: int | None = None, *, today: date | None = None
) -> DuesFigures:
    from app.domain.dues import Period

    today = today or date.today()
    group_ids = None
    if group_id is not None:
        group_ids = sorted(descendants(list_groups(session), group_id))
    summary = summarize(session, Period.parse(str(year)), group_ids=group_ids)
    first, last = YearMonth(year, 1).first_day(), YearMonth(year, 12).first_day()
    behind = frozenset(
        session.scalars(
            select(DuesCharge.member_id)
            .where(
                DuesCharge.month >= first, DuesCharge.month <= last, DuesCharge.paid_fen < DuesCharge.due_fen
            )
            .distinct()
        )
    )
    rolled = tuple(m for m in charged_months(session) if m.year == year)
    rule = load_rules(session).at(reference_month(year, today))
    return DuesFigures(year, group_id, summary, behind, rolled, rule)


@dataclass(frozen=True)
class MemberYear:
    """One member's row of the grid: twelve cells, their sums and the balance of the whole
    account (the sums are kept, not summed again each time the row is painted)."""

    cells: tuple[GridCell, ...]
    balance_fen: int  # owed (positive) or paid ahead (negative), all years
    due_fen: int = field(init=False)
    paid_fen: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "due_fen", sum(c.due_fen for c in self.cells))
        object.__setattr__(self, "paid_fen", sum(c.paid_fen for c in self.cells))


def grid_rows(session: Session, year: int, member_ids: list[int]) -> dict[int, MemberYear]:
    """The grid rows of ``member_ids`` for ``year`` (meant for a block of a few hundred); a
    member deleted meanwhile is left out."""
    ids = list(session.scalars(select(Member.id).where(Member.id.in_(member_ids))))
    cells = year_grid(session, year, ids)
    owed = balances(session, ids)
    return {m: MemberYear(tuple(cells[m]), owed[m]) for m in ids}
