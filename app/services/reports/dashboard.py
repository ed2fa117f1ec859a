"""The 首页: the year so far at a glance, and what needs doing.

``dashboard_figures`` reads the cards and the two charts: members and their change this
year, the dues summary from January to this month (收缴率), care and hardship aid so far,
the year's budget against what was spent. ``dashboard_reminders`` reads what the secretary
should attend to, each reminder naming the record it is about (``Target``): birthdays this
month, retirements due, arrears of six months or more in a row, hardship files due for
review, care records over a cap still without their reason, and this year's activities
over their budget or over a limit without a reason. ``read_dashboard`` reads both at once.

The figures come from each area's own services (the dues summary, the budget table, the
hardship files) or, where the area's list would build a row for every record only to be
counted, from one aggregate over the same table with the same conditions; the tests hold
each figure equal to the area's list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, case, extract, func, select
from sqlalchemy.orm import Session

from app.domain.activities import Status
from app.domain.budget import percent
from app.domain.care import IMPORTED_REASON
from app.domain.dues import LONG_ARREARS_MONTHS, Period
from app.domain.members import COUNTED_STATUSES, JOINED_BEFORE_IMPORT, EventKind, MemberStatus
from app.domain.money import format_fen
from app.domain.retirement import retirement
from app.domain.yearmonth import YearMonth
from app.models import CareRecord, DuesCharge, Member, MembershipEvent

__all__ = [
    "REMINDER_KINDS",
    "TARGET_ACTIVITY",
    "TARGET_CARE",
    "TARGET_HARDSHIP",
    "TARGET_MEMBER",
    "CategoryBar",
    "Dashboard",
    "DashboardFigures",
    "DashboardReminders",
    "MonthDues",
    "Reminder",
    "ReminderGroup",
    "Target",
    "dashboard_figures",
    "dashboard_reminders",
    "read_dashboard",
]

# What a reminder opens: a member in the 会员名册, a care record or a hardship file on the
# 慰问帮扶 page, an activity on the 活动经费 page.
TARGET_MEMBER = "member"
TARGET_CARE = "care"
TARGET_HARDSHIP = "hardship"
TARGET_ACTIVITY = "activity"

# The kinds of reminder, in the order the 首页 shows them, with their titles.
REMINDER_KINDS: dict[str, str] = {
    "birthdays": "本月过生日的会员",
    "retiring": "已到或即将到达法定退休年龄",
    "arrears": f"连续欠缴会费{LONG_ARREARS_MONTHS}个月以上",
    "reviews": "困难职工档案年度复核",
    "unfiled": "标为困难职工、还没有建档",
    "care_reasons": "超过标准、未写原因的慰问",
    "activities": "超支或超标准待补原因的活动",
}
RETIREMENT_MONTHS_AHEAD = 3  # as the care reminders: the coming three months
REVIEW_DAYS_AHEAD = 30  # as the hardship files: due within a month
_LEFT = (EventKind.TRANSFER_OUT, EventKind.WITHDRAW, EventKind.EXPEL, EventKind.DEATH)
_JOINED = (EventKind.JOIN, EventKind.TRANSFER_IN)
_AWAITING = ("", IMPORTED_REASON)


@dataclass(frozen=True)
class MonthDues:
    month: YearMonth
    due_fen: int
    paid_fen: int  # received in the month


@dataclass(frozen=True)
class CategoryBar:
    """A top spending category: its budget (None: never set) and what was spent from it."""

    code: str
    name: str
    budget_fen: int | None
    spent_fen: int

    @property
    def over(self) -> bool:
        return self.budget_fen is not None and self.spent_fen > self.budget_fen


@dataclass(frozen=True)
class DashboardFigures:
    union_name: str
    today: date
    year: int
    # members (在册: 在会 and 保留会籍), as they are today
    members: int
    active: int
    retained: int
    female: int
    migrant: int
    hardship_flagged: int
    model_workers: int
    joined: int  # this year: distinct members who joined or transferred in
    left: int  # this year: transferred out, withdrew, were expelled or died
    # dues from January to this month (the dues summary)
    dues_months: list[MonthDues]
    dues_due_fen: int
    dues_paid_fen: int
    dues_arrears_fen: int
    dues_unmatched: str  # why 应缴 − 实缴 is not 欠缴, when it is not ("" when it is)
    dues_rate: Decimal | None  # 收缴率 in per cent, one decimal; None when nothing was due
    # care from 1 January to today
    care_count: int
    care_fen: int
    # hardship
    hardship_files: int  # open files
    aid_count: int  # care records of the aid occasions this year
    aid_fen: int
    # the year's budget (the activities area's budget table)
    budget_fen: int
    spent_fen: int
    execution_rate: Decimal | None
    categories: list[CategoryBar]

    @property
    def first_month(self) -> YearMonth:
        return YearMonth(self.year, 1)

    @property
    def this_month(self) -> YearMonth:
        return YearMonth.of(self.today)


@dataclass(frozen=True)
class Target:
    """The record a reminder opens. ``year``: the year the page lists it under."""

    kind: str  # TARGET_MEMBER / TARGET_CARE / TARGET_HARDSHIP / TARGET_ACTIVITY
    id: int
    year: int


@dataclass(frozen=True)
class Reminder:
    text: str
    target: Target


@dataclass(frozen=True)
class ReminderGroup:
    kind: str  # a key of REMINDER_KINDS
    title: str
    items: list[Reminder]
    hint: str = ""  # what to do about them


@dataclass(frozen=True)
class DashboardReminders:
    today: date
    groups: list[ReminderGroup]

    def group(self, kind: str) -> ReminderGroup:
        for found in self.groups:
            if found.kind == kind:
                return found
        raise KeyError(kind)

    @property
    def count(self) -> int:
        return sum(len(g.items) for g in self.groups)


@dataclass(frozen=True)
class Dashboard:
    figures: DashboardFigures
    reminders: DashboardReminders = field(repr=False)


# -- the figures ---------------------------------------------------------------------------------------
def _member_counts(session: Session) -> dict[str, int]:
    """The 在册 members by status and flag, in one pass over the members."""
    counted = Member.status.in_([s.value for s in COUNTED_STATUSES])

    def tally(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    query = select(
        func.count(),
        tally(Member.status == MemberStatus.ACTIVE.value),
        tally(Member.status == MemberStatus.RETAINED.value),
        tally(Member.gender == "女"),
        tally(Member.is_migrant_worker.is_(True)),
        tally(Member.is_hardship.is_(True)),
        tally(Member.model_worker_level != ""),
    ).where(counted)
    keys = ("members", "active", "retained", "female", "migrant", "hardship", "model")
    return dict(zip(keys, (int(n) for n in session.execute(query).one()), strict=True))


def _movements(session: Session, first: date, last: date, kinds: tuple[EventKind, ...]) -> int:
    query = select(func.count(func.distinct(MembershipEvent.member_id))).where(
        MembershipEvent.event_date >= first,
        MembershipEvent.event_date <= last,
        MembershipEvent.kind.in_([k.value for k in kinds]),
        MembershipEvent.reason != JOINED_BEFORE_IMPORT,  # members all along, as the reports count them
    )
    return int(session.scalar(query) or 0)


def _care_totals(
    session: Session, first: date, last: date, occasions: list[str] | None = None
) -> tuple[int, int]:
    """人次 and amount of the care records in the dates (read from the index by day)."""
    query = select(
        func.count(), func.coalesce(func.sum(CareRecord.cash_fen + CareRecord.goods_fen), 0)
    ).where(CareRecord.day >= first, CareRecord.day <= last)
    if occasions is not None:
        query = query.where(CareRecord.occasion.in_(occasions))
    count, amount = session.execute(query).one()
    return int(count), int(amount)


def dashboard_figures(session: Session, today: date | None = None) -> DashboardFigures:
    """The cards and the charts of the 首页: this year up to ``today``."""
    from app.services.activities import budget_table
    from app.services.care import AID_OCCASIONS, list_files
    from app.services.dues import summarize
    from app.services.system import get_profile

    today = today or date.today()
    year = today.year
    january = date(year, 1, 1)
    members = _member_counts(session)
    this_month = YearMonth.of(today)
    # the whole year once: its months up to now for the cards, its roll for the budget's 会费收入
    dues = summarize(session, Period.parse(str(year)))
    care_count, care_fen = _care_totals(session, january, today)
    aid_count, aid_fen = _care_totals(session, january, today, [o.value for o in AID_OCCASIONS])
    budget = budget_table(session, year, dues_due_fen=dues.totals.due_fen)
    categories = [
        CategoryBar(r.category.code, r.category.name, r.budget_fen, r.spent_fen)
        for r in budget.spending
        if r.category.depth == 0 and (r.budget_fen is not None or r.spent_fen)
    ]
    totals = dues.totals_through(this_month)
    so_far = [m for m in dues.months if m.month <= this_month]
    return DashboardFigures(
        union_name=get_profile(session).name,
        today=today,
        year=year,
        members=members["members"],
        active=members["active"],
        retained=members["retained"],
        female=members["female"],
        migrant=members["migrant"],
        hardship_flagged=members["hardship"],
        model_workers=members["model"],
        joined=_movements(session, january, today, _JOINED),
        left=_movements(session, january, today, _LEFT),
        dues_months=[MonthDues(m.month, m.totals.due_fen, m.totals.paid_fen) for m in so_far],
        dues_due_fen=totals.due_fen,
        dues_paid_fen=totals.paid_fen,
        dues_arrears_fen=totals.arrears_fen,
        dues_unmatched=totals.unmatched_note(),
        dues_rate=percent(totals.paid_fen, totals.due_fen),
        care_count=care_count,
        care_fen=care_fen,
        hardship_files=len(list_files(session)),
        aid_count=aid_count,
        aid_fen=aid_fen,
        budget_fen=budget.spending_budget_fen,
        spent_fen=budget.spent_fen,
        execution_rate=budget.execution_rate,
        categories=categories,
    )


# -- the reminders -------------------------------------------------------------------------------------
def _day(d: date) -> str:
    return f"{d.month}月{d.day}日"


def _in(group: str) -> str:
    return f"（{group}）" if group else ""


def _birthdays(session: Session, today: date, paths: dict[int, str]) -> list[Reminder]:
    query = select(Member.id, Member.name, Member.birth_date, Member.group_id).where(
        Member.status == MemberStatus.ACTIVE.value, extract("month", Member.birth_date) == today.month
    )
    rows = sorted(session.execute(query), key=lambda r: (r.birth_date.day, r.id))
    return [
        Reminder(
            f"{r.name} {today.month}月{r.birth_date.day}日{_in(paths.get(r.group_id, '') if r.group_id else '')}",
            Target(TARGET_MEMBER, r.id, today.year),
        )
        for r in rows
    ]


def _retiring(session: Session, today: date, paths: dict[int, str]) -> list[Reminder]:
    """在会 members who reached retirement age this year and still are 在会 (保留会籍 not yet
    done), or reach it within the coming months."""
    this_month = YearMonth.of(today)
    horizon = this_month.add_months(RETIREMENT_MONTHS_AHEAD)
    since = YearMonth(today.year, 1)
    query = select(
        Member.id, Member.name, Member.birth_date, Member.gender, Member.female_original_retirement_age,
        Member.group_id,
    ).where(
        Member.status == MemberStatus.ACTIVE.value,
        # the earliest retirement age is 50, the latest 63: nobody else can be due
        Member.birth_date >= date(today.year - 65, 1, 1),
        Member.birth_date <= date(horizon.year - 49, 12, 31),
    )  # fmt: skip
    due: list[tuple[YearMonth, int, str, int | None]] = []
    for member_id, name, birth, gender, original, group_id in session.execute(query):
        month = retirement(birth, gender, original).month
        if since <= month <= horizon:
            due.append((month, member_id, name, group_id))
    due.sort(key=lambda d: (d[0], d[1]))
    found = []
    for month, member_id, name, group_id in due:
        group = _in(paths.get(group_id, "") if group_id else "")
        if month <= this_month:
            text = f"{name}{group} 已于{month.chinese()}到达法定退休年龄，请办理退休保留会籍"
        else:
            text = f"{name}{group} 将于{month.chinese()}到达法定退休年龄"
        found.append(Reminder(text, Target(TARGET_MEMBER, member_id, today.year)))
    return found


def _arrears(session: Session, today: date) -> list[Reminder]:
    from app.services.dues import list_arrears

    # Most unions have nobody this far behind: then the list need not be built at all.
    enough = (
        select(DuesCharge.member_id)
        .where(DuesCharge.paid_fen < DuesCharge.due_fen, DuesCharge.month <= YearMonth.of(today).first_day())
        .group_by(DuesCharge.member_id)
        .having(func.count() >= LONG_ARREARS_MONTHS)
        .limit(1)
    )
    if session.scalar(enough) is None:
        return []
    return [
        Reminder(
            f"{r.name}{_in(r.group)} 连续欠缴 {r.consecutive_months} 个月，共欠 {format_fen(r.owed_fen)} 元",
            Target(TARGET_MEMBER, r.member_id, today.year),
        )
        for r in list_arrears(session, through=YearMonth.of(today))
        if r.long
    ]


def _unfiled(session: Session, today: date, paths: dict[int, str]) -> list[Reminder]:
    """Members in the roll marked 困难职工 (the 首页 counts them) without an open file (which
    帮扶 counts): the two figures differ until each has a file, or the mark goes."""
    from app.services.care import unfiled_members

    return [
        Reminder(
            f"{name}{_in(paths.get(group_id, '') if group_id else '')} 标为困难职工，还没有困难职工档案",
            Target(TARGET_MEMBER, member_id, today.year),
        )
        for member_id, name, group_id in unfiled_members(session)
    ]


def _reviews(session: Session, today: date) -> list[Reminder]:
    from app.services.care import reviews_due

    found = []
    for r in reviews_due(session, today, within_days=REVIEW_DAYS_AHEAD):
        if r.review_due is None:
            continue
        when = f"{r.review_due.year}年{_day(r.review_due)}"
        state = "已过期" if r.review_due < today else "到期"
        found.append(
            Reminder(
                f"{r.name}{_in(r.group)} 的档案应于{when}复核（{state}）",
                Target(TARGET_HARDSHIP, r.id, today.year),
            )
        )
    return found


def _care_reasons(session: Session, today: date) -> list[Reminder]:
    """Care records of this year and last over a cap and still without their reason (as the
    care records' own ``awaiting_reason``)."""
    query = (
        select(CareRecord.id, CareRecord.recipient, CareRecord.day, CareRecord.occasion, CareRecord.variant,
               CareRecord.cash_fen + CareRecord.goods_fen)
        .where(CareRecord.day >= date(today.year - 1, 1, 1), CareRecord.day <= today,
               CareRecord.over_cap != "", CareRecord.reason.in_(_AWAITING))
        .order_by(CareRecord.day, CareRecord.id)
    )  # fmt: skip
    found = []
    for record_id, recipient, day, occasion, variant, amount in session.execute(query):
        what = occasion + (f"（{variant}）" if variant else "")
        found.append(
            Reminder(
                f"{recipient} {day.isoformat()} {what} {format_fen(int(amount))} 元，超过标准，未写原因",
                Target(TARGET_CARE, record_id, day.year),
            )
        )
    return found


def _activities(session: Session, today: date) -> list[Reminder]:
    from app.services.activities import list_activities

    found = []
    for row in list_activities(session, year=today.year):
        if row.status == Status.CANCELLED:
            continue
        over_budget = bool(row.budget_fen) and row.spent_fen > row.budget_fen
        if not (over_budget or row.awaiting_reason):
            continue
        words = []
        if over_budget:
            words.append(f"超支 {format_fen(row.spent_fen - row.budget_fen)} 元")
        if row.awaiting_reason:
            words.append("超过开支标准，待补原因")
        found.append(
            Reminder(
                f"{row.name}（{row.start.isoformat()}）{'；'.join(words)}",
                Target(TARGET_ACTIVITY, row.id, row.start.year),
            )
        )
    return found


def dashboard_reminders(session: Session, today: date | None = None) -> DashboardReminders:
    """What the 首页 reminds the secretary of, each kind in REMINDER_KINDS' order."""
    from app.services.roster import list_groups

    today = today or date.today()
    paths = {g.id: g.path for g in list_groups(session)}
    found = {
        "birthdays": (_birthdays(session, today, paths), "可以安排生日慰问"),
        "retiring": (_retiring(session, today, paths), "到龄后在会员名册中办理“退休保留会籍”"),
        "arrears": (_arrears(session, today), "由工会研究处理（章程第五条），程序不会改变会籍"),
        "reviews": (_reviews(session, today), f"已过期或 {REVIEW_DAYS_AHEAD} 天内到期"),
        "unfiled": (
            _unfiled(session, today, paths),
            "在“慰问帮扶 → 困难职工档案”中建档；已不困难的，在名册中取消标记",
        ),
        "care_reasons": (_care_reasons(session, today), "超过标准的慰问必须写明原因"),
        "activities": (_activities(session, today), "超过标准的开支必须写明原因"),
    }
    return DashboardReminders(
        today, [ReminderGroup(kind, REMINDER_KINDS[kind], *found[kind]) for kind in REMINDER_KINDS]
    )


def read_dashboard(session: Session, today: date | None = None) -> Dashboard:
    """The whole 首页 in one call (the program reads its two halves one after the other,
    so the figures are on screen before the reminders are read)."""
    today = today or date.today()
    return Dashboard(dashboard_figures(session, today), dashboard_reminders(session, today))
