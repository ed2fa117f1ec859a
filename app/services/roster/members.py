"""The member roster: list, search, add, edit, change membership status, delete."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from app.domain.members import (
    FIELD_LABELS,
    JOINED_BEFORE_IMPORT,
    REASON_LIMIT,
    STATUS_AFTER,
    EventKind,
    MemberInput,
    MemberStatus,
    check_transition,
    validate_member,
)
from app.domain.pinyin import pinyin_keys
from app.domain.retirement import Retirement, retirement
from app.domain.text import clean_text, too_long
from app.models import Base, DuesBaseWage, Group, Member, MembershipEvent
from app.services.errors import NotFoundError, UserError, ValidationError
from app.services.roster.groups import list_groups

# Events that end or suspend membership must say why (the 经审 audit asks).
_REASON_REQUIRED = {
    EventKind.TRANSFER_OUT,
    EventKind.WITHDRAW,
    EventKind.EXPEL,
    EventKind.RETAIN,
    EventKind.DEATH,
    EventKind.RESTORE,
}

_MEMBER_COLUMNS = [f.name for f in fields(MemberInput) if f.name not in ("dues_wage_fen", "extra_errors")]


@dataclass(frozen=True)
class EventInfo:
    id: int
    kind: str
    event_date: date
    reason: str
    status_after: str


@dataclass(frozen=True)
class WageInfo:
    effective_from: date
    wage_fen: int


@dataclass(frozen=True)
class MemberDetail:
    id: int
    data: MemberInput
    status: str
    group_path: str
    events: list[EventInfo]
    wages: list[WageInfo]
    retirement: Retirement | None


def _check_unique(session: Session, data: MemberInput, own_id: int | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.id_number:
        other = session.execute(
            select(Member.id, Member.name, Member.status, Group.name)
            .outerjoin(Group, Member.group_id == Group.id)
            .where(Member.id_number == data.id_number)
        ).first()
        if other is not None and other[0] != own_id:
            where = f"，{other[3]}" if other[3] else ""
            errors["id_number"] = (
                f"该证件号码已属于会员“{other[1]}”（{other[2]}{where}），一个号码只能对应一名会员"
            )
    if data.card_number:
        holder = session.execute(
            select(Member.id, Member.name).where(Member.card_number == data.card_number)
        ).first()
        if holder is not None and holder[0] != own_id:
            errors["card_number"] = f"会员证号已被会员“{holder[1]}”使用"
    if data.group_id is not None and session.get(Group, data.group_id) is None:
        errors["group_id"] = "所选分组不存在，请重新选择"
    return errors


def _validated(session: Session, data: MemberInput, own_id: int | None, today: date) -> None:
    errors = validate_member(data, today)
    for key, message in _check_unique(session, data, own_id).items():
        errors.setdefault(key, message)
    if errors:
        raise ValidationError(errors, FIELD_LABELS)


def _apply(member: Member, data: MemberInput) -> None:
    for name in _MEMBER_COLUMNS:
        setattr(member, name, getattr(data, name))
    member.id_number = data.id_number or None
    member.pinyin_full, member.pinyin_initials = pinyin_keys(data.name)


def set_dues_wage(session: Session, member_id: int, wage_fen: int | None, since: date) -> None:
    """The dues base wage from ``since`` on (until a later entry); a second entry for the
    same date corrects it. Earlier months keep the wage they had."""
    if wage_fen is None:
        return
    history = list(
        session.scalars(
            select(DuesBaseWage)
            .where(DuesBaseWage.member_id == member_id)
            .order_by(DuesBaseWage.effective_from)
        )
    )
    same_day = next((row for row in history if row.effective_from == since), None)
    if same_day is not None:
        if same_day.wage_fen != wage_fen:
            same_day.wage_fen = wage_fen
        return
    before = [row for row in history if row.effective_from < since]
    if before and before[-1].wage_fen == wage_fen:
        return  # already the wage in force then
    session.add(DuesBaseWage(member_id=member_id, effective_from=since, wage_fen=wage_fen))


def create_member(session: Session, data: MemberInput, *, today: date | None = None) -> int:
    """Add a member with an 入会 event; raises ValidationError naming each bad field."""
    today = today or date.today()
    _validated(session, data, None, today)
    member = Member(status=MemberStatus.ACTIVE)
    _apply(member, data)
    session.add(member)
    session.flush()
    joined = data.joined_on or today
    session.add(
        MembershipEvent(
            member_id=member.id,
            kind=EventKind.JOIN,
            event_date=joined,
            reason="",
            status_after=MemberStatus.ACTIVE,
        )
    )
    set_dues_wage(session, member.id, data.dues_wage_fen, joined)
    session.flush()
    return member.id


def update_member(session: Session, member_id: int, data: MemberInput, *, today: date | None = None) -> None:
    today = today or date.today()
    member = _get(session, member_id)
    _validated(session, data, member_id, today)
    _apply(member, data)
    set_dues_wage(session, member_id, data.dues_wage_fen, today)
    session.flush()


def _get(session: Session, member_id: int) -> Member:
    member = session.get(Member, member_id)
    if member is None:
        raise NotFoundError("找不到该会员，可能已被删除，请刷新名册")
    return member


def change_status(
    session: Session,
    member_id: int,
    kind: str,
    on: date,
    reason: str,
    *,
    today: date | None = None,
) -> MemberStatus:
    """Record a membership event (转出, 退会, 去世 …) and set the status it leads to."""
    today = today or date.today()
    member = _get(session, member_id)
    try:
        event_kind = EventKind(kind)
    except ValueError:
        raise ValidationError({"kind": f"没有“{kind}”这种会籍变动"}, FIELD_LABELS) from None
    reason = clean_text(reason)  # control and zero-width characters dropped
    if event_kind in _REASON_REQUIRED and not reason:
        raise ValidationError({"reason": f"办理“{event_kind}”请填写原因"}, FIELD_LABELS)
    too_long_reason = too_long(FIELD_LABELS["reason"], reason, REASON_LIMIT)
    if too_long_reason:
        raise ValidationError({"reason": too_long_reason}, FIELD_LABELS)
    last = session.scalar(
        select(func.max(MembershipEvent.event_date)).where(MembershipEvent.member_id == member_id)
    )
    problem = check_transition(MemberStatus(member.status), event_kind, on, last, today)
    if problem:
        raise ValidationError({"event_date" if "日期" in problem else "kind": problem}, FIELD_LABELS)
    new_status = STATUS_AFTER[event_kind]
    session.add(
        MembershipEvent(
            member_id=member_id,
            kind=event_kind,
            event_date=on,
            reason=reason,
            status_after=new_status,
        )
    )
    member.status = new_status
    if event_kind is EventKind.RETAIN and member.category != "退休保留会籍":
        member.category = "退休保留会籍"
    session.flush()
    return new_status


def member_references(session: Session, member_id: int) -> list[tuple[str, int]]:
    """Records that point to the member and make it history (label, count).

    Found from the foreign keys, so tables added later (dues, care) are covered
    without touching this function. The 入会 event and the wage rows belong to the
    member record itself.
    """
    found: list[tuple[str, int]] = []
    members_id = Member.__table__.c.id
    for table in Base.metadata.sorted_tables:
        if table.name == DuesBaseWage.__tablename__:
            continue
        for fk in table.foreign_keys:
            if fk.column is not members_id:
                continue
            condition = fk.parent == member_id
            if table.name == MembershipEvent.__tablename__:
                condition = and_(condition, table.c.kind != EventKind.JOIN)
            count = session.scalar(select(func.count()).select_from(table).where(condition)) or 0
            if count:
                found.append((str(table.info.get("label", table.name)), count))
    return found


def delete_member(session: Session, member_id: int) -> str:
    """Delete a member entered by mistake; refused once any record points to them."""
    member = _get(session, member_id)
    refs = member_references(session, member_id)
    if refs:
        listed = "、".join(f"{label} {count} 条" for label, count in refs)
        raise UserError(
            f"会员“{member.name}”已有{listed}，不能删除。"
            "离开工会的会员请用“变更会籍”办理转出、退会等，历史记录会保留"
        )
    for event in session.scalars(select(MembershipEvent).where(MembershipEvent.member_id == member_id)):
        session.delete(event)
    for wage in session.scalars(select(DuesBaseWage).where(DuesBaseWage.member_id == member_id)):
        session.delete(wage)
    session.flush()
    session.delete(member)
    session.flush()
    return member.name


def get_member(session: Session, member_id: int) -> MemberDetail:
    member = _get(session, member_id)
    data = MemberInput(**{name: getattr(member, name) for name in _MEMBER_COLUMNS})
    data.id_number = member.id_number or ""
    wages = [
        WageInfo(w.effective_from, w.wage_fen)
        for w in session.scalars(
            select(DuesBaseWage)
            .where(DuesBaseWage.member_id == member_id)
            .order_by(DuesBaseWage.effective_from)
        )
    ]
    data.dues_wage_fen = wages[-1].wage_fen if wages else None
    events = [EventInfo(e.id, e.kind, e.event_date, e.reason, e.status_after) for e in member.events]
    path = ""
    if member.group_id is not None:
        path = next((g.path for g in list_groups(session) if g.id == member.group_id), "")
    retire = (
        retirement(member.birth_date, member.gender, member.female_original_retirement_age)
        if member.birth_date
        else None
    )
    return MemberDetail(member.id, data, member.status, path, events, wages, retire)


def find_member_ids(session: Session, key: str) -> list[int]:
    """Members whose ID number, card number or exact name is ``key`` (for the CLI)."""
    from app.domain.idcard import normalize_id_text

    if not key.strip():
        return []  # an empty card number or name must never pick out the members who have none
    normalized = normalize_id_text(key)
    return list(
        session.scalars(
            select(Member.id).where(
                (Member.id_number == normalized)
                | (Member.card_number == key.strip())
                | (Member.name == key.strip())
            )
        )
    )


def membership_histories(
    session: Session, member_ids: Collection[int] | None = None
) -> dict[int, list[tuple[date, str, str]]]:
    """Each member's membership events (date, kind, status after), in order; of ``member_ids``
    or of everyone (for ``not_a_member_on``). An 入会 a roster import dated without knowing it
    (``JOINED_BEFORE_IMPORT``: the file listed a member, gave no 入会时间) is a member all
    along: it comes as ``date.min``."""
    query = select(MembershipEvent.member_id, MembershipEvent.event_date, MembershipEvent.kind,
                   MembershipEvent.status_after, MembershipEvent.reason
                   ).order_by(MembershipEvent.event_date, MembershipEvent.id)  # fmt: skip
    if member_ids is not None:
        query = query.where(MembershipEvent.member_id.in_(member_ids))
    histories: dict[int, list[tuple[date, str, str]]] = {}
    for member_id, on, kind, status, reason in session.execute(query):
        since = date.min if reason == JOINED_BEFORE_IMPORT and kind == EventKind.JOIN else on
        histories.setdefault(member_id, []).append((since, kind, status))
    return histories
