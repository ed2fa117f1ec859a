"""Batch payment: mark a group (or everyone) paid for months M1–M2, as payroll deduction
does (工资代扣). A preview says who and how much; applying is one transaction."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import insert_values
from app.domain.dues import PayMethod, describe_months, month_span
from app.domain.text import clean_text
from app.domain.yearmonth import YearMonth
from app.models import DuesCharge, DuesPayment, DuesPaymentMonth, Member
from app.models.audit import record_bulk
from app.services.dues.allocation import reallocate
from app.services.errors import UserError
from app.services.roster import descendants, list_groups


@dataclass(frozen=True)
class BatchLine:
    member_id: int
    name: str
    group: str
    months: tuple[YearMonth, ...]
    amount_fen: int  # what those months still lack


@dataclass(frozen=True)
class BatchPlan:
    first: YearMonth
    last: YearMonth
    group_id: int | None
    lines: list[BatchLine]

    @property
    def total_fen(self) -> int:
        return sum(line.amount_fen for line in self.lines)


def plan_batch(session: Session, first: YearMonth, last: YearMonth, group_id: int | None = None) -> BatchPlan:
    """Who still owes something for ``first``..``last`` (in the group and the groups below
    it, or everyone), and how much."""
    if last < first:
        raise UserError(f"结束月份 {last} 早于开始月份 {first}")
    groups = list_groups(session)
    paths = {g.id: g.path for g in groups}
    query = (
        select(DuesCharge.member_id, DuesCharge.month, DuesCharge.due_fen - DuesCharge.paid_fen)
        .where(
            DuesCharge.month >= first.first_day(),
            DuesCharge.month <= last.first_day(),
            DuesCharge.paid_fen < DuesCharge.due_fen,
        )
        .order_by(DuesCharge.member_id, DuesCharge.month)
    )
    if group_id is not None:
        if group_id not in paths:
            raise UserError("没有这个分组")
        scope = sorted(descendants(groups, group_id) | {group_id})
        query = query.where(DuesCharge.member_id.in_(select(Member.id).where(Member.group_id.in_(scope))))
    open_months: dict[int, list[tuple[YearMonth, int]]] = defaultdict(list)
    for member_id, month, owed in session.execute(query):
        open_months[member_id].append((YearMonth.of(month), int(owed)))
    people = {
        member_id: (name, gid)
        for member_id, name, gid in session.execute(select(Member.id, Member.name, Member.group_id))
        if member_id in open_months
    }
    lines = [
        BatchLine(
            member_id,
            people[member_id][0],
            paths.get(people[member_id][1] or 0, ""),
            tuple(m for m, _ in months),
            sum(fen for _, fen in months),
        )
        for member_id, months in open_months.items()
    ]
    lines.sort(key=lambda line: (line.group, line.name, line.member_id))
    return BatchPlan(first, last, group_id, lines)


def apply_batch(
    session: Session,
    plan: BatchPlan,
    *,
    paid_on: date,
    collector: str = "",
    note: str = "",
    today: date | None = None,
) -> int:
    """One payroll-deduction payment per line of a fresh plan (what is owed now, not what the
    preview showed an instant ago), each naming its months; returns how many were written."""
    if paid_on > (today or date.today()):
        raise UserError(f"缴费日期 {paid_on.isoformat()} 还没有到")
    fresh = plan_batch(session, plan.first, plan.last, plan.group_id)
    if not fresh.lines:
        raise UserError("所选月份没有未缴的应缴会费，无需批量收缴")
    remark = clean_text(note) or f"批量工资代扣 {describe_months(month_span(plan.first, plan.last))}"
    connection = session.connection()
    before = session.scalar(select(DuesPayment.id).order_by(DuesPayment.id.desc()).limit(1)) or 0
    insert_values(
        session,
        DuesPayment.__table__,  # type: ignore[arg-type]
        ("member_id", "paid_on", "amount_fen", "method", "receipt_no", "collector", "note", "source"),
        [
            (
                line.member_id,
                paid_on.isoformat(),
                line.amount_fen,
                PayMethod.PAYROLL.value,
                "",
                clean_text(collector)[:30],
                remark[:200],
                "批量",
            )
            for line in fresh.lines
        ],
    )
    ids = dict(
        connection.execute(select(DuesPayment.member_id, DuesPayment.id).where(DuesPayment.id > before)).all()
    )
    insert_values(
        session,
        DuesPaymentMonth.__table__,  # type: ignore[arg-type]
        ("payment_id", "month"),
        [
            (ids[line.member_id], month.first_day().isoformat())
            for line in fresh.lines
            for month in line.months
        ],
    )
    record_bulk(
        session,
        DuesPayment.__tablename__,
        f"批量工资代扣 {plan.first}–{plan.last}：{len(fresh.lines)} 人，{fresh.total_fen / 100:.2f} 元",
        len(fresh.lines),
    )
    reallocate(session, [line.member_id for line in fresh.lines])
    return len(fresh.lines)
