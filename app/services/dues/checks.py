"""The dues checks ``uniondesk check`` runs: the ledger adds up to the fen."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.dues import Period
from app.domain.yearmonth import YearMonth
from app.models import DuesCharge, DuesPayment
from app.services.dues.allocation import stale_charges
from app.services.dues.ledger import balances
from app.services.dues.rolls import load_timelines
from app.services.dues.rules import load_rules
from app.services.dues.summary import summarize


def reconcile(session: Session) -> list[str]:
    """Problems found, in Chinese; empty when the books agree."""
    problems: list[str] = []
    paid_sum = session.scalar(select(func.coalesce(func.sum(DuesPayment.amount_fen), 0))) or 0
    first_day, last_day = session.execute(
        select(func.min(DuesPayment.paid_on), func.max(DuesPayment.paid_on))
    ).one()
    if first_day is not None:
        period = Period(YearMonth.of(first_day), YearMonth.of(last_day), "")
        summed = summarize(session, period).totals.paid_fen
        if summed != paid_sum:
            problems.append(
                f"会费：各月实缴合计 {summed / 100:.2f} 元，与缴费记录合计 {paid_sum / 100:.2f} 元不符"
            )
    stale = stale_charges(session)
    if stale:
        problems.append(f"会费：{stale} 笔应缴记下的已缴金额与按缴费记录重算的结果不符")
    members = list(session.scalars(select(DuesCharge.member_id).distinct()))
    account = balances(session, members)
    owed = _per_member(session, DuesCharge.member_id, DuesCharge.due_fen - DuesCharge.paid_fen)
    credit = _per_member(session, DuesPayment.member_id, DuesPayment.amount_fen)
    for member_id, used in _per_member(session, DuesCharge.member_id, DuesCharge.paid_fen).items():
        credit[member_id] -= used
    if any(fen < 0 for fen in credit.values()):
        problems.append("会费：有会员的应缴冲抵金额超过了他交的钱")
    off = [m for m in members if account[m] != owed.get(m, 0) - credit.get(m, 0)]
    if off:
        problems.append(f"会费：{len(off)} 名会员的余额（应缴减实缴）与未缴金额减预缴金额不符")
    rules = load_rules(session)
    timelines = load_timelines(session, None) if members else {}
    strangers = sum(
        1
        for member_id, month in session.execute(select(DuesCharge.member_id, DuesCharge.month))
        if not timelines[member_id].is_paying(YearMonth.of(month), rules.at(YearMonth.of(month)).month_rule)
    )
    if strangers:
        problems.append(
            f"会费：{strangers} 笔应缴属于当月不是缴费会员的人（会籍或免缴是后来录入的），"
            "请重新生成这些月份的应缴；已缴的请核对后删除缴费再重新生成"
        )
    return problems


def _per_member(session: Session, member: Any, amount: Any) -> defaultdict[int, int]:
    totals: defaultdict[int, int] = defaultdict(int)
    for member_id, total in session.execute(select(member, func.sum(amount)).group_by(member)):
        totals[member_id] = int(total)
    return totals
