"""Two years of realistic dues for the demo union: the roll of every month, payroll
deduction for most, a few who pay late in cash, one half-yearly payer, a couple of long
arrears. Deterministic for a seed."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import insert_values
from app.domain.dues import PayMethod
from app.domain.yearmonth import YearMonth
from app.models import DuesCharge, DuesPayment
from app.models.audit import record_bulk
from app.services.dues.allocation import reallocate
from app.services.dues.rolls import roll
from app.services.progress import NO_PROGRESS, Progress

PAYDAY = 25
_COLUMNS = ("member_id", "paid_on", "amount_fen", "method", "receipt_no", "collector", "note", "source")


def build_demo_dues(
    session: Session, *, today: date, seed: int = 2026, collector: str = "", progress: Progress = NO_PROGRESS
) -> int:
    """Roll January of last year through this month (last month before payday) and record how
    it was paid; returns the number of payments."""
    first, last = YearMonth(today.year - 1, 1), YearMonth.of(today)
    if today.day < PAYDAY:
        last = last.add_months(-1)
    roll(session, first, last, today=today, progress=progress)
    owed: dict[int, list[tuple[YearMonth, int]]] = defaultdict(list)
    for member_id, first_day, due in session.execute(
        select(DuesCharge.member_id, DuesCharge.month, DuesCharge.due_fen).order_by(
            DuesCharge.member_id, DuesCharge.month
        )
    ):
        owed[member_id].append((YearMonth.of(first_day), due))
    rng = random.Random(seed)
    members = sorted(owed)
    special = rng.sample(members, min(len(members), 2 + 1 + max(3, len(members) // 30)))
    long_arrears, half_yearly, late_cash = set(special[:2]), set(special[2:3]), set(special[3:])
    receipts = 0
    rows: list[tuple[object, ...]] = []

    def pay(member_id: int, day: date, fen: int, method: PayMethod, note: str = "") -> None:
        nonlocal receipts
        if fen <= 0 or day > today:
            return
        receipt = ""
        if method is not PayMethod.PAYROLL:
            receipts += 1
            receipt = f"{day.year}-{receipts:04d}"
        rows.append((member_id, day.isoformat(), fen, method.value, receipt, collector, note, "手工"))

    for member_id in members:
        months = owed[member_id]
        if member_id in long_arrears:  # stopped paying eight months ago
            months = [(m, due) for m, due in months if m < last.add_months(-7)]
            for owed_month, due in months:
                pay(member_id, _payday(owed_month), due, PayMethod.PAYROLL)
        elif member_id in half_yearly:  # pays each half year in one sum, in June and December
            for half in range(0, len(months), 6):
                chunk = months[half : half + 6]
                pay(
                    member_id, _payday(chunk[-1][0]), sum(d for _, d in chunk), PayMethod.CASH, "半年一次缴清"
                )
        elif member_id in late_cash:  # brings cash after each quarter, some quarters late
            for quarter in range(0, len(months), 3):
                chunk = months[quarter : quarter + 3]
                lag = rng.choice((1, 1, 2, 4))
                day = _payday(chunk[-1][0].add_months(lag))
                pay(member_id, day, sum(d for _, d in chunk), rng.choice((PayMethod.CASH, PayMethod.MOBILE)))
        else:
            for owed_month, due in months:
                pay(member_id, _payday(owed_month), due, PayMethod.PAYROLL)
    insert_values(session, DuesPayment.__table__, _COLUMNS, rows)  # type: ignore[arg-type]
    record_bulk(session, DuesPayment.__tablename__, f"生成演示数据：{len(rows)} 笔会费缴纳", len(rows))
    reallocate(session, members)
    return len(rows)


def _payday(month: YearMonth) -> date:
    return date(month.year, month.month, PAYDAY)
