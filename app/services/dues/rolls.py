"""The monthly roll (应缴): one stored charge per paying member and month.

Rolling the same months again changes nothing unless a wage, a status, an exemption or the
rule changed; then only months nothing has been paid against are recalculated. A roll can
be undone while none of its charges has been paid.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select, true
from sqlalchemy.orm import Session

from app.db import insert_values
from app.domain.dues import Due, Exemption, MemberTimeline, Rules, dues_in, month_slots, month_span
from app.domain.members import Category, MemberStatus
from app.domain.yearmonth import YearMonth
from app.models import DuesBaseWage, DuesCharge, DuesExemption, DuesRoll, Member, MembershipEvent
from app.models.audit import note_touched, record_bulk, session_actor
from app.services.dues.allocation import members_with_credit, reallocate
from app.services.dues.rules import load_rules
from app.services.errors import NotFoundError, UserError
from app.services.progress import NO_PROGRESS, Progress

MAX_ROLL_MONTHS = 120
_PAYING = MemberStatus.ACTIVE.value
_APPRENTICE = Category.APPRENTICE.value


@dataclass(frozen=True)
class RollResult:
    roll_id: int | None  # None when nothing new was charged
    first: YearMonth
    last: YearMonth
    created: int
    recalculated: int
    removed: int
    due_fen: int  # the sum of the new charges
    # Months owed that have no base wage, by member name: nothing charged until one is set.
    missing_wage: dict[str, list[YearMonth]] = field(default_factory=dict)
    # Paid months the rule no longer charges (a status entered later): kept, for the user to look at.
    kept_paid: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.recalculated or self.removed)


@dataclass(frozen=True)
class RollInfo:
    id: int
    first: YearMonth
    last: YearMonth
    created_at: str
    actor: str
    charges: int
    due_fen: int
    paid_fen: int

    @property
    def can_undo(self) -> bool:
        return self.paid_fen == 0


def check_range(first: YearMonth, last: YearMonth, today: date) -> None:
    if last < first:
        raise UserError(f"结束月份 {last} 早于开始月份 {first}")
    if first.months_until(last) + 1 > MAX_ROLL_MONTHS:
        raise UserError(f"一次最多生成 {MAX_ROLL_MONTHS} 个月的应缴会费")
    if YearMonth.of(today) < last:
        raise UserError(f"{last.chinese()}还没有到，不能生成以后月份的应缴会费")


def load_timelines(session: Session, member_ids: list[int] | None = None) -> dict[int, MemberTimeline]:
    """Every member's (or ``member_ids``') history, wages and exemptions, read in four queries."""

    def only(column: Any) -> ColumnElement[bool]:
        return true() if member_ids is None else column.in_(member_ids)

    timelines = {
        member_id: MemberTimeline(_PAYING, apprentice=category == _APPRENTICE)
        for member_id, category in session.execute(select(Member.id, Member.category).where(only(Member.id)))
    }
    events = select(MembershipEvent.member_id, MembershipEvent.event_date, MembershipEvent.status_after)
    for member_id, day, status in session.execute(
        events.where(only(MembershipEvent.member_id)).order_by(
            MembershipEvent.member_id, MembershipEvent.event_date, MembershipEvent.id
        )
    ):
        timelines[member_id].events.append((day, status))
    wages = select(DuesBaseWage.member_id, DuesBaseWage.effective_from, DuesBaseWage.wage_fen)
    for member_id, day, wage in session.execute(
        wages.where(only(DuesBaseWage.member_id)).order_by(
            DuesBaseWage.member_id, DuesBaseWage.effective_from
        )
    ):
        timelines[member_id].wages.append((day, wage))
    for row in session.scalars(select(DuesExemption).where(only(DuesExemption.member_id))):
        last = YearMonth.of(row.last_month) if row.last_month else None
        timelines[row.member_id].exemptions.append(Exemption(YearMonth.of(row.first_month), last, row.reason))
    return timelines


def expected_dues(
    timelines: dict[int, MemberTimeline], months: list[YearMonth], rules: Rules
) -> tuple[dict[tuple[int, date], Due], dict[int, list[YearMonth]]]:
    """(member, month's 1st) → what is due, in member then month order; and the months each
    member owes without a base wage."""
    slots = month_slots(months, rules)
    firsts = {slot.month: slot.first for slot in slots}
    expected: dict[tuple[int, date], Due] = {}
    missing: dict[int, list[YearMonth]] = {}
    for member_id in sorted(timelines):
        dues, no_wage = dues_in(timelines[member_id], slots)
        for due in dues:
            expected[(member_id, firsts[due.month])] = due
        if no_wage:
            missing[member_id] = no_wage
    return expected, missing


def roll(
    session: Session,
    first: YearMonth,
    last: YearMonth,
    *,
    today: date | None = None,
    member_ids: list[int] | None = None,
    progress: Progress = NO_PROGRESS,
) -> RollResult:
    """Charge every paying member for ``first``..``last`` (or only ``member_ids``), in the
    caller's transaction."""
    check_range(first, last, today or date.today())
    months = month_span(first, last)
    progress.step(0, 4, "正在读取会员、会籍变动和会费基数……")
    expected, missing = expected_dues(load_timelines(session, member_ids), months, load_rules(session))
    progress.step(1, 4, "正在核对已生成的应缴……")
    existing = select(DuesCharge.id, DuesCharge.member_id, DuesCharge.month, DuesCharge.wage_fen,
                      DuesCharge.due_fen, DuesCharge.paid_fen).where(
        DuesCharge.month >= first.first_day(), DuesCharge.month <= last.first_day()
    )  # fmt: skip
    if member_ids is not None:
        existing = existing.where(DuesCharge.member_id.in_(member_ids))
    updates: list[tuple[int | None, int, int]] = []
    removals: list[int] = []
    kept_paid = 0
    for charge_id, member_id, month, wage, due_fen, paid in session.execute(existing):
        due = expected.pop((member_id, month), None)
        if paid:
            kept_paid += due is None
            continue  # months already paid keep their amount
        if due is None:
            removals.append(charge_id)
        elif (due.wage_fen, due.due_fen) != (wage, due_fen):
            updates.append((due.wage_fen, due.due_fen, charge_id))
    progress.step(2, 4, "正在写入应缴……")
    roll_id = _store_new(session, first, last, expected) if expected else None
    connection = session.connection()
    if updates:
        connection.exec_driver_sql("UPDATE dues_charges SET wage_fen = ?, due_fen = ? WHERE id = ?", updates)
        note_touched(session, DuesCharge.__tablename__)
    if removals:
        for chunk in _chunks(removals):
            session.connection().execute(delete(DuesCharge).where(DuesCharge.id.in_(chunk)))
        note_touched(session, DuesCharge.__tablename__)
    progress.step(3, 4, "正在用已缴的钱冲抵应缴……")
    if roll_id is not None or updates or removals:
        reallocate(session, members_with_credit(session))  # money on a balance covers new charges
    if updates or removals:
        record_bulk(
            session,
            DuesCharge.__tablename__,
            f"重新计算 {first}–{last} 的应缴会费：改 {len(updates)} 笔，撤 {len(removals)} 笔",
            len(updates) + len(removals),
        )
    names = _names(session, list(missing))
    progress.step(4, 4, "完成")
    return RollResult(
        roll_id=roll_id,
        first=first,
        last=last,
        created=len(expected),
        recalculated=len(updates),
        removed=len(removals),
        due_fen=sum(d.due_fen for d in expected.values()),
        missing_wage={names[m]: months for m, months in missing.items()},
        kept_paid=kept_paid,
    )


def _chunks(ids: list[int], size: int = 5_000) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _names(session: Session, member_ids: list[int]) -> dict[int, str]:
    names: dict[int, str] = {}
    for chunk in _chunks(member_ids):
        names.update(session.execute(select(Member.id, Member.name).where(Member.id.in_(chunk))).all())
    return names


def _store_new(session: Session, first: YearMonth, last: YearMonth, new: dict[tuple[int, date], Due]) -> int:
    record = DuesRoll(
        first_month=first.first_day(), last_month=last.first_day(), actor=session_actor(session)
    )
    iso = {month: month.isoformat() for month in {m for _, m in new}}
    session.add(record)
    session.flush()
    insert_values(
        session,
        DuesCharge.__table__,  # type: ignore[arg-type]
        ("roll_id", "member_id", "month", "wage_fen", "due_fen", "paid_fen"),
        [
            (record.id, member_id, iso[month], due.wage_fen, due.due_fen, 0)
            for (member_id, month), due in new.items()
        ],
    )
    record_bulk(session, DuesCharge.__tablename__, f"生成 {first}–{last} 的应缴会费 {len(new)} 笔", len(new))
    return record.id


def list_rolls(session: Session) -> list[RollInfo]:
    sums = (
        select(
            DuesCharge.roll_id,
            func.count().label("charges"),
            func.sum(DuesCharge.due_fen).label("due"),
            func.sum(DuesCharge.paid_fen).label("paid"),
        )
        .group_by(DuesCharge.roll_id)
        .subquery()
    )
    query = (
        select(DuesRoll, sums.c.charges, sums.c.due, sums.c.paid)
        .outerjoin(sums, sums.c.roll_id == DuesRoll.id)
        .order_by(DuesRoll.id)
    )
    return [
        RollInfo(
            roll.id,
            YearMonth.of(roll.first_month),
            YearMonth.of(roll.last_month),
            roll.created_at.isoformat(sep=" "),
            roll.actor,
            charges or 0,
            due or 0,
            paid or 0,
        )
        for roll, charges, due, paid in session.execute(query)
    ]


def undo_roll(session: Session, roll_id: int) -> int:
    """Remove a roll and its charges; refused once anything has been paid against them."""
    record = session.get(DuesRoll, roll_id)
    if record is None:
        raise NotFoundError(f"没有编号为 {roll_id} 的应缴生成记录")
    paid = session.scalar(select(func.count()).where(DuesCharge.roll_id == roll_id, DuesCharge.paid_fen > 0))
    if paid:
        raise UserError(f"这次生成的应缴中已有 {paid} 笔收到了会费，不能撤销。请先删除相应的缴费记录")
    members = list(
        session.scalars(select(DuesCharge.member_id).where(DuesCharge.roll_id == roll_id).distinct())
    )
    count = session.connection().execute(delete(DuesCharge).where(DuesCharge.roll_id == roll_id)).rowcount
    note_touched(session, DuesCharge.__tablename__)
    session.delete(record)
    session.flush()
    record_bulk(session, DuesCharge.__tablename__, f"撤销应缴生成记录 {roll_id}：删除 {count} 笔应缴", count)
    reallocate(session, members)
    return int(count)


def refresh_member_dues(
    session: Session, member_ids: list[int], *, today: date | None = None
) -> RollResult | None:
    """After a member's wage, status or exemption changed: roll the months already rolled
    again for them (only unpaid months change). None when nothing has been rolled yet."""
    return reroll(session, today=today, member_ids=member_ids)


def reroll(
    session: Session,
    since: YearMonth | None = None,
    *,
    today: date | None = None,
    member_ids: list[int] | None = None,
) -> RollResult | None:
    """Roll again every month already rolled (from ``since`` on): after the rule changed,
    the unpaid charges follow it. None when no such month has been rolled."""
    query = select(func.min(DuesCharge.month), func.max(DuesCharge.month))
    if since is not None:
        query = query.where(DuesCharge.month >= since.first_day())
    span = session.execute(query).one()
    first: date | None = span[0]
    last: date | None = span[1]
    if first is None or last is None:
        return None
    today = max(today or date.today(), last)
    return roll(session, YearMonth.of(first), YearMonth.of(last), today=today, member_ids=member_ids)
