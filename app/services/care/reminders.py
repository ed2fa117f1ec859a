"""What the care area reminds the secretary of (for the 首页 and `care reminders`): members
whose birthday falls this month, members reaching retirement age (RULES §7) in the next three
months, hardship files due for their yearly review, and records over a cap still waiting for
their reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.members import MemberStatus
from app.domain.retirement import retirement
from app.domain.yearmonth import YearMonth
from app.models import Member
from app.services.care.hardship import HardshipRow, reviews_due
from app.services.care.records import CareInfo, list_care

RETIREMENT_MONTHS_AHEAD = 3


@dataclass(frozen=True)
class PersonDate:
    member_id: int
    name: str
    day: date  # the birthday this year, or the first day of the retirement month


@dataclass(frozen=True)
class CareReminders:
    birthdays: list[PersonDate] = field(default_factory=list)
    retiring: list[PersonDate] = field(default_factory=list)
    reviews: list[HardshipRow] = field(default_factory=list)
    awaiting_reason: list[CareInfo] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.birthdays) + len(self.retiring) + len(self.reviews) + len(self.awaiting_reason)


def _birthday(birth: date, year: int) -> date:
    """The birthday in ``year``; 29 February on 28 February when the year has none."""
    try:
        return birth.replace(year=year)
    except ValueError:
        return date(year, 2, 28)


def care_reminders(session: Session, today: date | None = None) -> CareReminders:
    today = today or date.today()
    this_month, horizon = YearMonth.of(today), YearMonth.of(today).add_months(RETIREMENT_MONTHS_AHEAD)
    birthdays: list[PersonDate] = []
    retiring: list[PersonDate] = []
    rows = session.execute(
        select(
            Member.id, Member.name, Member.birth_date, Member.gender, Member.female_original_retirement_age
        )
        .where(Member.status == MemberStatus.ACTIVE.value)
        .order_by(Member.pinyin_full, Member.id)
    )
    for member_id, name, birth, gender, original_age in rows:
        if birth.month == today.month:
            birthdays.append(PersonDate(member_id, name, _birthday(birth, today.year)))
        month = retirement(birth, gender, original_age).month
        if this_month <= month <= horizon:
            retiring.append(PersonDate(member_id, name, month.first_day()))
    over = list_care(session, first=date(today.year - 1, 1, 1), last=today, over_cap_only=True)
    awaiting = [r for r in over if r.awaiting_reason]
    return CareReminders(
        sorted(birthdays, key=lambda p: (p.day, p.member_id)),
        sorted(retiring, key=lambda p: (p.day, p.member_id)),
        reviews_due(session, today),
        awaiting,
    )
