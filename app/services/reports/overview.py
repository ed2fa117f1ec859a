"""The numbers on the 首页 dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.members import COUNTED_STATUSES, JOINED_BEFORE_IMPORT, EventKind, MemberStatus
from app.domain.retirement import retirement
from app.domain.yearmonth import YearMonth
from app.models import Member, MembershipEvent
from app.services.system import get_profile


@dataclass(frozen=True)
class Overview:
    union_name: str
    members: int  # 在册: 在会 + 保留会籍
    active: int
    retained: int
    female: int
    migrant: int
    hardship: int
    model_workers: int
    joined_this_year: int
    left_this_year: int
    retiring_this_year: list[tuple[str, str]]  # (name, retirement month) of 在会 members


def compute_overview(session: Session, today: date | None = None) -> Overview:
    today = today or date.today()
    counted = Member.status.in_([s.value for s in COUNTED_STATUSES])

    def count(*conditions: object) -> int:
        return int(session.scalar(select(func.count()).select_from(Member).where(*conditions)) or 0)  # type: ignore[arg-type]

    year_start = date(today.year, 1, 1)
    events_this_year = select(func.count(func.distinct(MembershipEvent.member_id))).where(
        MembershipEvent.event_date >= year_start, MembershipEvent.event_date <= today
    )
    joined = session.scalar(
        events_this_year.where(
            MembershipEvent.kind.in_([EventKind.JOIN, EventKind.TRANSFER_IN]),
            MembershipEvent.reason != JOINED_BEFORE_IMPORT,  # members all along (reports.period)
        )
    )
    left = session.scalar(
        events_this_year.where(
            MembershipEvent.kind.in_(
                [EventKind.TRANSFER_OUT, EventKind.WITHDRAW, EventKind.EXPEL, EventKind.DEATH]
            )
        )
    )
    retiring: list[tuple[YearMonth, str]] = []
    rows = session.execute(
        select(Member.name, Member.birth_date, Member.gender, Member.female_original_retirement_age).where(
            Member.status == MemberStatus.ACTIVE,
            Member.birth_date >= date(today.year - 64, 1, 1),
            Member.birth_date <= date(today.year - 49, 12, 31),
        )
    )
    for name, birth, gender, original in rows:
        month = retirement(birth, gender, original).month
        if month.year == today.year:
            retiring.append((month, name))
    retiring.sort()
    return Overview(
        union_name=get_profile(session).name,
        members=count(counted),
        active=count(Member.status == MemberStatus.ACTIVE),
        retained=count(Member.status == MemberStatus.RETAINED),
        female=count(counted, Member.gender == "女"),
        migrant=count(counted, Member.is_migrant_worker.is_(True)),
        hardship=count(counted, Member.is_hardship.is_(True)),
        model_workers=count(counted, Member.model_worker_level != ""),
        joined_this_year=int(joined or 0),
        left_this_year=int(left or 0),
        retiring_this_year=[(name, month.chinese()) for month, name in retiring],
    )
