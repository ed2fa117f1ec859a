"""The care side of `uniondesk demo`: a realistic year of 慰问 (hospital visits, birthdays,
weddings, births, bereavements, retirements — one hospital visit over its cap with the reason
written), a few hardship households with their files and aid, a 春节送温暖 batch to the
hardship workers and a 中秋 goods batch to everyone. Every record goes through the same
services as the secretary's, so every cap is checked."""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.care import Occasion
from app.domain.hardship import review_state
from app.domain.members import EventKind, MemberStatus
from app.models import Member, MembershipEvent
from app.services.care.batch import BatchInput, Chooser, create_batch
from app.services.care.hardship import HardshipInput, Relative, open_file, review_file
from app.services.care.records import CareInput, record_care

IN_ROLL_STATUSES = (MemberStatus.ACTIVE.value, MemberStatus.RETAINED.value)

# Who a hardship household has besides the worker, and what it lives on.
_FAMILIES = (
    (("配偶", "慢性病", 960_000, "无业"), ("子女", "健康", 0, "市第一中学")),
    (("子女", "大病", 0, "在家休养"),),
    (("配偶", "残疾", 0, "无"), ("母亲", "慢性病", 240_000, "退休"), ("子女", "健康", 0, "合肥工业大学")),
    (("子女", "健康", 0, "实验小学"),),
)
_CAUSES = (("大病", ("子女就学",)), ("大病", ()), ("丧失劳动能力", ("子女就学", "大病")), ("下岗失业", ()))


def _day(rng: random.Random, year: int, today: date) -> date:
    start = date(year, 1, 1)
    span = (min(today, date(year, 12, 31)) - start).days
    return date.fromordinal(start.toordinal() + rng.randrange(span + 1))


def build_demo_care(
    session: Session, *, today: date, seed: int = 2026, handler: str = "", chair: str = ""
) -> int:
    """Write the demo year of care up to ``today``; returns the number of care records."""
    rng = random.Random(seed + 9)
    year = today.year
    members = list(
        session.execute(
            select(Member.id, Member.name, Member.is_hardship)
            .where(Member.status == MemberStatus.ACTIVE.value)
            .order_by(Member.id)
        )
    )
    if not members:
        return 0
    records = 0
    # every member the roster marks as a hardship worker has a file (the 首页 counts them as filed)
    hardship = list(
        session.scalars(
            select(Member.id)
            .where(Member.is_hardship.is_(True), Member.status.in_(IN_ROLL_STATUSES))
            .order_by(Member.id)
        )
    )
    others = [m.id for m in members if m.id not in set(hardship)]
    rng.shuffle(others)

    def visit(member_id: int, occasion: Occasion, cash: int = 0, goods: str = "", value: int = 0,
              variant: str = "", reason: str = "", note: str = "", day: date | None = None) -> None:  # fmt: skip
        nonlocal records
        data = CareInput(occasion, day or _day(rng, year, today), member_id, variant=variant, cash_fen=cash,
                         goods=goods, goods_fen=value, visitors=handler, approver=chair, reason=reason, note=note)  # fmt: skip
        record_care(session, data, today=today)
        records += 1

    count = len(members)
    plan: list[tuple[int, Occasion, dict[str, object]]] = []
    plan += [
        (1, Occasion.HOSPITAL, {"cash": rng.choice((50_000, 80_000, 100_000))})
        for _ in range(max(2, count // 40))
    ]
    plan += [
        (1, Occasion.BIRTHDAY, {"goods": "生日蛋糕", "value": 20_000}) for _ in range(max(3, count // 15))
    ]
    plan += [(1, Occasion.MARRIAGE, {"cash": 60_000}) for _ in range(max(1, count // 100))]
    plan += [
        (1, Occasion.CHILDBIRTH, {"cash": 60_000, "note": "生育女儿"}) for _ in range(max(1, count // 100))
    ]
    plan += [(1, Occasion.RELATIVE_DEATH, {"cash": 100_000, "variant": rng.choice(("父亲", "母亲"))})
             for _ in range(max(1, count // 120))]  # fmt: skip
    for (_, occasion, extra), member_id in zip(plan, others, strict=False):
        visit(member_id, occasion, **extra)  # type: ignore[arg-type]
    if len(others) > len(plan):  # one visit over its cap, with the reason the committee gave
        visit(others[len(plan)], Occasion.HOSPITAL, cash=150_000, note="手术住院",
              reason="手术住院，费用较大，经工会委员会研究同意")  # fmt: skip
    retired = session.execute(
        select(MembershipEvent.member_id, MembershipEvent.event_date).where(
            MembershipEvent.kind == EventKind.RETAIN.value,
            MembershipEvent.event_date.between(date(year, 1, 1), today),
        )
    )
    for member_id, day in retired:
        visit(member_id, Occasion.RETIREMENT, goods="退休纪念品", value=80_000, day=day)
    records += _households(session, rng, hardship, today=today, handler=handler, chair=chair)
    records += _batches(session, today=today, handler=handler, chair=chair, hardship=bool(hardship))
    return records


def _households(
    session: Session, rng: random.Random, members: list[int], *, today: date, handler: str, chair: str
) -> int:
    records = 0
    for n, member_id in enumerate(members):
        family = _FAMILIES[n % len(_FAMILIES)]
        main, secondary = _CAUSES[n % len(_CAUSES)]
        relatives = tuple(
            Relative(f"家属{k + 1}", relation, "", health, income, work)
            for k, (relation, health, income, work) in enumerate(family)
        )
        opened = date(today.year - 1, rng.randrange(1, 13), rng.randrange(1, 29))
        file_id = open_file(
            session,
            HardshipInput(
                member_id=member_id, category=("低保户", "低保边缘户", "意外致困户")[n % 3], main_cause=main,
                secondary_causes=secondary, opened_on=opened, annual_income_fen=rng.randrange(1_800_000, 4_200_000, 100),
                relatives=relatives, housing="自有住房" if n % 2 else "租房", medical_insurance="城镇职工医保",
                single_parent=len(family) == 1, situation="家庭收入低，医疗、教育支出大，生活困难。",
                filer=handler, reviewer=chair, opinion="情况属实，同意建档", notice="已在厂务公开栏公示五天，无异议",
            ),
            today=today,
        )  # fmt: skip
        review = review_state(opened, None).due
        if n % 2 == 0 and review <= today:  # half of them reviewed on time; the rest show as due
            review_file(session, file_id, review, chair or "工会主席", "复核属实，继续帮扶", today=today)
        aid_day = min(today, date(today.year, 6, 15))
        record_care(session, CareInput(Occasion.HARDSHIP, aid_day, member_id, cash_fen=200_000, visitors=handler,
                                       approver=chair, note="年中困难帮扶"), today=today)  # fmt: skip
        records += 1
        if any(work.endswith("大学") for *_, work in family) and today >= date(today.year, 8, 20):
            record_care(session, CareInput(Occasion.SCHOOL_AID, date(today.year, 8, 20), member_id, cash_fen=300_000,
                                           approver=chair, note="子女考入大学"), today=today)  # fmt: skip
            records += 1
    return records


def _batches(session: Session, *, today: date, handler: str, chair: str, hardship: bool) -> int:
    from sqlalchemy import func

    from app.models import CareRecord

    def count() -> int:
        return int(session.scalar(select(func.count()).select_from(CareRecord)) or 0)

    before = count()
    spring = date(today.year, 2, 10)
    if today >= spring and hardship:
        create_batch(session, BatchInput(
            name=f"{today.year}年春节送温暖", occasion=Occasion.WARMTH, variant="春节", day=spring, cash_fen=100_000,
            chooser=Chooser.HARDSHIP, approver=chair, visitors=handler, note="走访慰问困难职工家庭",
        ), today=today)  # fmt: skip
    autumn = date(today.year, 9, 25)
    if today >= autumn:
        create_batch(session, BatchInput(
            name=f"{today.year}年中秋节慰问", occasion=Occasion.FESTIVAL, variant="中秋", day=autumn,
            goods="月饼一盒、食用油一桶", goods_fen=20_000, chooser=Chooser.EVERYONE, approver=chair, visitors=handler,
        ), today=today)  # fmt: skip
    return count() - before
