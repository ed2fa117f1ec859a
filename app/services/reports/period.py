"""The monthly report (月报表) and the same figures for any span of months — a quarter, a
half-year, a year (RULES §5).

Every figure has the period's value and the year-to-date value (from January of the
period's last year to the period's end), says in words what it counts and names the
command that lists the records behind it; ``figure_records`` gives those records for the
drill-down on screen, and their count or sum is the figure.

- 会员: counted from the membership history as of each date (the status an event leaves
  lasts until the member's next event), never from today's status: the count on the day
  before the period starts, the movements in the period, the count on its last day — each
  with 女 and 农民工 sub-counts (the member's gender and 农民工 flag as recorded now).
- 会费: the dues summary of the same months (``dues summary`` shows the same figures).
- 慰问, 帮扶: care records by occasion (人次 = records; amount = cash + goods value); aid is
  the care of the hardship occasions; hardship files open on the period's last day.
- 活动与经费: activities started in the period and not cancelled, their participants,
  spending (activity expenses and care booked to a category, as the budget table counts it)
  by top spending category against the year's budget. A budget is a year's: the budgets and
  执行率 have a 本期 value only when the period is its year to date — January to its last
  month, as 本年累计 is — and else None, shown as — (a September's spending over the year's
  budget is no 执行率 anyone reports).

Counts are integers, money integer fen, rates Decimal per cent with one decimal.
Glossary: 本期 the period; 本年累计 year to date; 期初/期末 opening/closing; 人次 person-times.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from app.domain.budget import percent
from app.domain.care import IMPORTED_REASON, Occasion
from app.domain.members import COUNTED_STATUSES, JOINED_BEFORE_IMPORT, RETIRED_ON_IMPORT, EventKind
from app.domain.money import format_fen
from app.domain.yearmonth import YearMonth
from app.models import (
    Activity,
    ActivityExpense,
    ActivityParticipant,
    CareRecord,
    HardshipFile,
    Member,
    MembershipEvent,
)
from app.services.errors import UserError

CANCELLED = "已取消"
FEN, PERCENT = "fen", "%"
_COUNTED = [s.value for s in COUNTED_STATUSES]
_AID = ("困难帮扶", "金秋助学", "送温暖", "大病救助")  # app.services.care AID_OCCASIONS, as stored
_SCHOOL_AID, _WARMTH = Occasion.SCHOOL_AID.value, Occasion.WARMTH.value
_OCCASION_ORDER = {o.value: n for n, o in enumerate(Occasion)}
_CMD = "uniondesk"


@dataclass(frozen=True)
class Figure:
    key: str  # stable id: "members.closing", "dues.rate", "care.住院.count", "budget.501.spent" …
    label: str  # 期末会员数, 新入会 …
    unit: str  # 人 / 人次 / 次 / 个 / fen / %
    period: int | Decimal | None  # the period's value (money in fen; a rate in per cent, one decimal)
    year_to_date: int | Decimal | None  # January of the period's year to the period's end
    female: tuple[int, int] | None = None  # (period, year_to_date) 女 sub-counts
    migrant: tuple[int, int] | None = None  # (period, year_to_date) 农民工 sub-counts
    counts: str = ""  # what it counts, in words
    command: str = ""  # the uniondesk command that lists the records behind it

    @property
    def money(self) -> bool:
        return self.unit == FEN


@dataclass(frozen=True)
class Section:
    key: str  # members / dues / care / hardship / activities
    title: str  # 会员 / 会费 / 慰问 / 帮扶 / 活动与经费
    figures: list[Figure]
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PeriodReport:
    union_name: str
    first: YearMonth
    last: YearMonth
    label: str  # 2026年9月 / 2026年第三季度 / 2026年上半年 / 2026年
    sections: list[Section]
    made_on: date | None = None  # 填报日期

    @property
    def start(self) -> date:
        return self.first.first_day()

    @property
    def end(self) -> date:
        return self.last.last_day()

    @property
    def year_start(self) -> date:
        return date(self.last.year, 1, 1)

    def figures(self) -> Iterator[Figure]:
        for section in self.sections:
            yield from section.figures

    def figure(self, key: str) -> Figure:
        for found in self.figures():
            if found.key == key:
                return found
        raise KeyError(key)

    def section(self, key: str) -> Section:
        for found in self.sections:
            if found.key == key:
                return found
        raise KeyError(key)


@dataclass(frozen=True)
class RecordList:
    """The records behind a figure: a table for the drill-down. ``value`` is what the records
    add up to (their count, 人次 or fen), the figure's value; None for a rate."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    total: str
    value: int | None = None


# ---------------------------------------------------------------- months and words


def period_label(first: YearMonth, last: YearMonth) -> str:
    """2026年9月, 2026年第三季度, 2026年上半年, 2026年, 2026年1—8月, 2025年7月—2026年6月."""
    if first == last:
        return first.chinese()
    if first.year != last.year:
        return f"{first.chinese()}—{last.chinese()}"
    year, a, b = first.year, first.month, last.month
    if (a, b) == (1, 12):
        return f"{year}年"
    if (a, b) in ((1, 6), (7, 12)):
        return f"{year}年{'上' if a == 1 else '下'}半年"
    if a % 3 == 1 and b == a + 2:
        return f"{year}年第{'一二三四'[(a - 1) // 3]}季度"
    return f"{year}年{a}—{b}月"


def check_span(first: YearMonth, last: YearMonth) -> None:
    if last < first:
        raise UserError(f"起始月份 {first} 晚于截止月份 {last}，请对调后再试")


@dataclass(frozen=True)
class _Span:
    first: YearMonth
    last: YearMonth

    @property
    def start(self) -> date:
        return self.first.first_day()

    @property
    def end(self) -> date:
        return self.last.last_day()

    @property
    def year_start(self) -> date:
        return date(self.last.year, 1, 1)

    @property
    def low(self) -> date:
        """The earliest day either column needs."""
        return min(self.start, self.year_start)

    def days(self, ytd: bool) -> tuple[date, date]:
        return (self.year_start if ytd else self.start), self.end

    def months(self, ytd: bool) -> tuple[YearMonth, YearMonth]:
        return (YearMonth(self.last.year, 1) if ytd else self.first), self.last

    # the commands that list the records
    def records_command(self, key: str) -> str:
        to = f" --to {self.last}" if self.last != self.first else ""
        return f"{_CMD} report records {key} --from {self.first}{to}"

    def care_command(self, *extra: str) -> str:
        words = " ".join(extra)
        return f"{_CMD} care list --from {self.start} --to {self.end}" + (f" {words}" if words else "")

    def dues_period(self) -> str | None:
        """The period as `dues summary` takes it: 2026-09, 2026Q3, 2026 — None for other spans."""
        a, b = self.first, self.last
        if a == b:
            return str(a)
        if a.year == b.year and (a.month, b.month) == (1, 12):
            return str(a.year)
        if a.year == b.year and a.month % 3 == 1 and b.month == a.month + 2:
            return f"{a.year}Q{(a.month + 2) // 3}"
        return None

    def years(self) -> range:
        return range(self.low.year, self.end.year + 1)

    def events_command(self) -> str:
        return "；".join(f"{_CMD} events list --year {y}" for y in self.years())


def _fen_words(fen: int) -> str:
    return f"{format_fen(fen)} 元"


# ---------------------------------------------------------------- the report


def period_report(
    session: Session, first: YearMonth, last: YearMonth, *, today: date | None = None
) -> PeriodReport:
    """The report for the months ``first`` to ``last`` (both included)."""
    from app.services.system import get_profile

    check_span(first, last)
    span = _Span(first, last)
    today = today or date.today()
    if span.start > today:  # nothing can have been recorded yet: a page of zeros would mislead
        raise UserError(f"{period_label(first, last)}还没有开始，没有可以统计的记录")
    members, hardship_members = _members_section(session, span)
    care, hardship, by_occasion = _care_sections(session, span, hardship_members)
    dues = _dues_section(session, span)
    paid = next(f for f in dues.figures if f.key == "dues.paid")  # 会费收入, as received
    activities = _activities_section(session, span, by_occasion, today, (paid.period, paid.year_to_date))
    sections = [members, dues, care, hardship, activities]
    if span.end > today:
        sections[0].notes.append(
            f"本期尚未结束：数字截至{today.year}年{today.month}月{today.day}日已登记的记录"
        )
    name = get_profile(session).name or "本工会"
    return PeriodReport(name, first, last, period_label(first, last), sections, today)


# ---------------------------------------------------------------- 会员


_MOVES: tuple[tuple[str, str, tuple[EventKind, ...], str], ...] = (
    ("members.joined", "新入会", (EventKind.JOIN,), "入会（会籍变动中的入会记录）"),
    ("members.transfer_in", "转入", (EventKind.TRANSFER_IN,), "会籍转入"),
    (
        "members.restored",
        "恢复会籍",
        (EventKind.RESTORE,),
        "已转出、退会、除名后恢复会籍（保留会籍转回在会不计）",
    ),
    ("members.transfer_out", "转出", (EventKind.TRANSFER_OUT,), "会籍转出"),
    ("members.withdrawn", "退会、除名", (EventKind.WITHDRAW, EventKind.EXPEL), "退会和除名"),
    ("members.deaths", "去世", (EventKind.DEATH,), "在册会员去世"),
    # last, and said to be no decrease: 期初 + the moves above = 期末, without it
    ("members.retained", "转为保留会籍（仍在册）", (EventKind.RETAIN,), "退休等转为保留会籍（仍计入会员数）"),
)


# The 入会 of a member a roster listed without a 入会时间: a member before any period the reports
# look at, never a 新入会 (``JOINED_BEFORE_IMPORT``; its own date serves the dues alone).
_JOINED_BEFORE = and_(
    MembershipEvent.kind == EventKind.JOIN.value, MembershipEvent.reason == JOINED_BEFORE_IMPORT
)
_LONG_AGO = date(1900, 1, 1)


def _history(upto: date) -> Any:
    """Every membership event up to ``upto`` with the status before it and the day of the
    member's next event: the status it leaves holds from its day until that next day."""
    order = (MembershipEvent.event_date, MembershipEvent.id)
    return (
        select(
            MembershipEvent.id.label("event_id"),
            MembershipEvent.member_id.label("member_id"),
            MembershipEvent.kind.label("kind"),
            case((_JOINED_BEFORE, literal(_LONG_AGO, Date)), else_=MembershipEvent.event_date).label("day"),
            MembershipEvent.status_after.label("status"),
            MembershipEvent.reason.label("reason"),
            func.lag(MembershipEvent.status_after)
            .over(partition_by=MembershipEvent.member_id, order_by=order)
            .label("before"),
            func.lead(MembershipEvent.event_date)
            .over(partition_by=MembershipEvent.member_id, order_by=order)
            .label("next_day"),
        )
        .where(or_(MembershipEvent.event_date <= upto, _JOINED_BEFORE))
        .subquery()
    )


def _held_on(history: Any, day: date) -> Any:
    """The event whose status is the member's on ``day``, and that status counts as a member."""
    return and_(
        history.c.day <= day,
        or_(history.c.next_day.is_(None), history.c.next_day > day),
        history.c.status.in_(_COUNTED),
    )


def _moved(history: Any, kinds: tuple[EventKind, ...]) -> Any:
    """An event that is this movement: deaths of members counted until then, restorations of
    people who were not (保留会籍 back to 在会 changes no count)."""
    condition = history.c.kind.in_([k.value for k in kinds])
    before_counted = and_(history.c.before.is_not(None), history.c.before.in_(_COUNTED))
    if kinds == (EventKind.DEATH,):
        condition = and_(condition, before_counted)
    if kinds == (EventKind.RESTORE,):
        condition = and_(condition, or_(history.c.before.is_(None), history.c.before.not_in(_COUNTED)))
    if kinds == (EventKind.RETAIN,):
        condition = and_(condition, history.c.reason != RETIRED_ON_IMPORT)
    return condition


@dataclass
class _Tally:
    total: int = 0
    female: int = 0
    migrant: int = 0

    def add(self, n: int, female: bool, migrant: bool) -> None:
        self.total += n
        self.female += n if female else 0
        self.migrant += n if migrant else 0


_NAMES = ["year_open", "opening", "closing", "hardship"] + [f"{key}:{c}" for key, *_ in _MOVES for c in "py"]
# How each kind of event changes the count of members (在会 + 保留会籍) when the history follows
# the allowed steps (app/domain/members.py): 入会 and 转入 add one, 转出, 退会 and 除名 take one
# away, 退休保留会籍 keeps the member counted. 去世 and 恢复 depend on the status before them.
_STEP = {EventKind.JOIN: 1, EventKind.TRANSFER_IN: 1, EventKind.RETAIN: 0, EventKind.TRANSFER_OUT: -1,
         EventKind.WITHDRAW: -1, EventKind.EXPEL: -1}  # fmt: skip
_MOVE_OF = {kind.value: key for key, _, kinds, _ in _MOVES for kind in kinds}


def _dates(span: _Span) -> tuple[date, date, date]:
    """The days the counts are taken: the end of last year, the day before the period, its last day."""
    return span.year_start - timedelta(days=1), span.start - timedelta(days=1), span.end


def _tallies_by_steps(session: Session, span: _Span) -> dict[str, _Tally] | None:
    """The counts as the sum of each event's step up to each day: one pass over the events,
    grouped. None when the history does not add up to the members counted now (an event
    missing or out of the allowed order): then only the full reading of it is right."""
    year_open, opening, closing = _dates(span)
    day = MembershipEvent.event_date
    # each event falls in one stretch between the days the counts are taken (one CASE a row:
    # a sum of CASEs per figure costs three times as much at 50,000 members)
    bounds = sorted({year_open, opening, closing})
    stretch = case((_JOINED_BEFORE, 0), *((day <= b, n) for n, b in enumerate(bounds)), else_=len(bounds))
    female = case((Member.gender == "女", True), else_=False)
    migrant = func.coalesce(Member.is_migrant_worker, False)
    hardship = func.coalesce(Member.is_hardship, False)
    flags = (female, migrant, hardship)
    found = MembershipEvent.reason == RETIRED_ON_IMPORT  # a state the import found: no move (``_moved``)
    plain = (
        select(MembershipEvent.kind, *flags, found, stretch, func.count())
        .join(Member, Member.id == MembershipEvent.member_id)
        .where(MembershipEvent.kind.in_([k.value for k in _STEP]))
        .group_by(MembershipEvent.kind, *flags, found, stretch)
    )

    def stretch_of(when: date) -> int:
        return next((n for n, b in enumerate(bounds) if when <= b), len(bounds))

    def counts_in(n: int, where: int) -> list[int]:
        """``n`` events of stretch ``where``: how many are up to each of the three days, in
        the period (after the day before it, up to its end), in the year."""
        up_to = [n if where <= bounds.index(d) else 0 for d in (year_open, opening, closing)]
        last = bounds.index(closing)
        return [*up_to, n if bounds.index(opening) < where <= last else 0,
                n if bounds.index(year_open) < where <= last else 0]  # fmt: skip

    earlier = aliased(MembershipEvent)
    before = (
        select(earlier.status_after)
        .where(earlier.member_id == MembershipEvent.member_id,
               or_(earlier.event_date < day, and_(earlier.event_date == day, earlier.id < MembershipEvent.id)))
        .order_by(earlier.event_date.desc(), earlier.id.desc())
        .limit(1)
        .correlate(MembershipEvent)
        .scalar_subquery()
    )  # fmt: skip
    turns = (
        select(MembershipEvent.kind, *flags, day, before)
        .join(Member, Member.id == MembershipEvent.member_id)
        .where(MembershipEvent.kind.in_([EventKind.DEATH.value, EventKind.RESTORE.value]))
    )
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    total = 0

    def add(
        kind: str, step: int, flag: tuple[bool, bool, bool], counts: list[int], *, moved: bool = True
    ) -> None:
        """``counts``: events up to each of the three days, in the period, in the year."""
        for name, n in zip(("year_open", "opening", "closing"), counts[:3], strict=True):
            tallies[name].add(n * step, flag[0], flag[1])
        if flag[2]:
            tallies["hardship"].add(counts[2] * step, flag[0], flag[1])
        if moved and (step or kind == EventKind.RETAIN.value):
            key = _MOVE_OF[kind]
            tallies[f"{key}:p"].add(counts[3], flag[0], flag[1])
            tallies[f"{key}:y"].add(counts[4], flag[0], flag[1])

    for kind, is_female, is_migrant, is_hardship, is_found, where, n in session.execute(plain):
        step = _STEP[EventKind(kind)]
        total += int(n) * step
        flag = (bool(is_female), bool(is_migrant), bool(is_hardship))
        add(kind, step, flag, counts_in(int(n), int(where)), moved=not is_found)
    for kind, is_female, is_migrant, is_hardship, when, status in session.execute(turns):
        counted = status in _COUNTED
        step = (
            -1
            if kind == EventKind.DEATH.value and counted
            else 1
            if kind == EventKind.RESTORE.value and not counted
            else 0
        )
        total += step
        add(
            kind, step, (bool(is_female), bool(is_migrant), bool(is_hardship)), counts_in(1, stretch_of(when))
        )
    now = session.scalar(select(func.count()).select_from(Member).where(Member.status.in_(_COUNTED)))
    return tallies if total == int(now or 0) else None


def _tallies_by_history(session: Session, span: _Span) -> dict[str, _Tally]:
    """The counts read from each member's status on each day (the event in force then)."""
    history = _history(span.end)
    year_open, opening, closing = _dates(span)

    def count_if(condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    in_period = and_(history.c.day >= span.start, history.c.day <= span.end)
    in_year = and_(history.c.day >= span.year_start, history.c.day <= span.end)
    columns: list[Any] = [count_if(_held_on(history, d)) for d in (year_open, opening, closing)]
    columns.append(count_if(and_(_held_on(history, closing), Member.is_hardship.is_(True))))
    for _, _, kinds, _ in _MOVES:
        columns += [
            count_if(and_(in_period, _moved(history, kinds))),
            count_if(and_(in_year, _moved(history, kinds))),
        ]
    female = case((Member.gender == "女", True), else_=False)
    migrant = func.coalesce(Member.is_migrant_worker, False)
    query = (
        select(female, migrant, *columns)
        .select_from(history)
        .join(Member, Member.id == history.c.member_id)
        .group_by(female, migrant)
    )
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    for row in session.execute(query):
        is_female, is_migrant = bool(row[0]), bool(row[1])
        for name, value in zip(_NAMES, row[2:], strict=True):
            tallies[name].add(int(value), is_female, is_migrant)
    return tallies


def _members_section(session: Session, span: _Span) -> tuple[Section, tuple[int, int]]:
    """The section, and the hardship-flagged members counted at the period's end (total, 女)."""
    year_open, _, closing = _dates(span)
    tallies = _tallies_by_steps(session, span) or _tallies_by_history(session, span)

    def pair(a: _Tally, b: _Tally) -> dict[str, Any]:
        return {"period": a.total, "year_to_date": b.total, "female": (a.female, b.female),
                "migrant": (a.migrant, b.migrant)}  # fmt: skip

    figures = [
        Figure("members.opening", "期初会员数", "人", **pair(tallies["opening"], tallies["year_open"]),
               counts=f"期初（本期开始前一天；本年累计列为上年末 {year_open}）在会和保留会籍的会员，按会籍变动记录计",
               command=span.records_command("members.opening")),
    ]  # fmt: skip
    for key, label, _, words in _MOVES:
        figures.append(Figure(key, label, "人", **pair(tallies[f"{key}:p"], tallies[f"{key}:y"]),
                              counts=f"会籍变动记录中日期在期内的{words}", command=span.records_command(key)))  # fmt: skip
    figures.append(
        Figure("members.closing", "期末会员数", "人", **pair(tallies["closing"], tallies["closing"]),
               counts=f"期末（{closing}）在会和保留会籍的会员，按会籍变动记录计",
               command=span.records_command("members.closing"))
    )  # fmt: skip
    notes = []
    flows = sum(
        tallies[f"{k}:p"].total * (1 if k in _INFLOWS else -1) for k, *_ in _MOVES if k != "members.retained"
    )
    if tallies["opening"].total + flows != tallies["closing"].total:
        notes.append(
            "期初人数加减本期变动与期末人数不一致：有会员的会籍变动记录不完整，请用 uniondesk check 检查"
        )
    return Section("members", "会员", figures, notes), (tallies["hardship"].total, tallies["hardship"].female)


_INFLOWS = {"members.joined", "members.transfer_in", "members.restored"}


# ---------------------------------------------------------------- 会费


def _dues_section(session: Session, span: _Span) -> Section:
    from app.domain.dues import Period
    from app.services.dues import Totals, summarize

    year = summarize(session, Period(YearMonth(span.last.year, 1), span.last, ""))
    ytd = year.totals
    if span.first.year == span.last.year:  # the period's months are in the year's summary
        months = [m.totals for m in year.months if m.month >= span.first]
        period = Totals(*(sum(getattr(t, f) for t in months) for f in ("due_fen", "paid_fen", "covered_fen")))
    else:
        period = summarize(session, Period(span.first, span.last, "")).totals
    named = span.dues_period()
    summary = f"{_CMD} dues summary {named}" if named else span.records_command("dues.due")
    start, end = span.start, span.end
    figures = [
        Figure("dues.due", "应缴会费", FEN, period.due_fen, ytd.due_fen,
               counts="期内各月的应缴会费（每人每月一笔）", command=summary),
        Figure("dues.paid", "实缴会费", FEN, period.paid_fen, ytd.paid_fen,
               counts="期内收到的会费（按缴费日期，一次交半年的计入交款的月份）",
               command=f"{_CMD} dues payments --from {start} --to {end}"),
        Figure("dues.rate", "收缴率", PERCENT, percent(period.paid_fen, period.due_fen),
               percent(ytd.paid_fen, ytd.due_fen), counts="实缴 ÷ 应缴", command=summary),
        Figure("dues.arrears", "欠缴会费", FEN, period.arrears_fen, ytd.arrears_fen,
               counts="期内各月应缴中至今仍未缴的部分", command=summary),
    ]  # fmt: skip
    return Section("dues", "会费", figures)


# ---------------------------------------------------------------- 慰问、帮扶


@dataclass
class _Care:
    count: int = 0
    amount: int = 0
    count_ytd: int = 0
    amount_ytd: int = 0


def _care_sections(
    session: Session, span: _Span, hardship_members: tuple[int, int]
) -> tuple[Section, Section, dict[str, _Care]]:
    """慰问 and 帮扶, and the care by occasion (the budget counts it against categories)."""
    amount = CareRecord.cash_fen + CareRecord.goods_fen

    def by_kind(first: date, last: date) -> dict[str, tuple[int, int]]:
        """人次 and amount by occasion, from the index by day that holds both (no row is read)."""
        query = (
            select(CareRecord.occasion, func.count(), func.sum(amount))
            .where(CareRecord.day >= first, CareRecord.day <= last)
            .group_by(CareRecord.occasion)
        )
        return {o: (int(n), int(fen or 0)) for o, n, fen in session.execute(query)}

    period, ytd = by_kind(span.start, span.end), by_kind(span.year_start, span.end)
    later = by_kind(
        span.end + timedelta(days=1), date(span.last.year, 12, 31)
    )  # every month shows the year's occasions
    by_occasion = {o: _Care(*period.get(o, (0, 0)), *ytd.get(o, (0, 0))) for o in {*period, *ytd, *later}}
    # Records over a cap are few, and the cap's words are in no index: one pass over the table
    # (``coalesce`` keeps the planner off the index by day, through which reading every row's
    # words costs five times the pass), the few found summed here.
    day = func.coalesce(CareRecord.day, CareRecord.day)
    over_sums = [0] * 6  # 人次, 人次 to date, without a reason, … to date, amount, amount to date
    flagged: set[str] = set()  # occasions whose rows hold records over a cap
    for when, fen, reason, occasion in session.execute(
        select(CareRecord.day, amount, CareRecord.reason, CareRecord.occasion).where(
            day >= span.low, day <= span.end, CareRecord.over_cap != ""
        )
    ):
        waiting = reason in ("", IMPORTED_REASON)
        for offset, first in ((0, span.start), (1, span.year_start)):
            if when >= first:
                flagged.add(occasion)
                over_sums[offset] += 1
                over_sums[2 + offset] += int(waiting)
                over_sums[4 + offset] += int(fen)
    over_count, over_count_ytd, waiting_p, waiting_y, over_fen, over_fen_ytd = over_sums
    occasions = sorted(by_occasion, key=lambda o: (_OCCASION_ORDER.get(o, 99), o))
    figures: list[Figure] = []
    for occasion in occasions:
        c = by_occasion[occasion]
        command = span.care_command(f"--occasion {occasion}")
        mark = OVER_CAP_MARK if occasion in flagged else ""
        figures += [
            Figure(f"care.{occasion}.count", f"{occasion}（人次）{mark}", "人次", c.count, c.count_ytd,
                   counts=f"事由为“{occasion}”的慰问记录", command=command),
            Figure(f"care.{occasion}.amount", f"{occasion}（金额）{mark}", FEN, c.amount, c.amount_ytd,
                   counts=f"事由为“{occasion}”的慰问金和慰问品价值", command=command),
        ]  # fmt: skip
    every = list(by_occasion.values())
    mark = OVER_CAP_MARK if flagged else ""
    figures += [
        Figure("care.count", f"慰问合计（人次）{mark}", "人次", sum(c.count for c in every),
               sum(c.count_ytd for c in every), counts="期内全部慰问记录", command=span.care_command()),
        Figure("care.amount", f"慰问合计（金额）{mark}", FEN, sum(c.amount for c in every),
               sum(c.amount_ytd for c in every), counts="期内全部慰问的慰问金和慰问品价值",
               command=span.care_command()),
        Figure("care.over_cap.count", "超过标准（人次）", "人次", over_count, over_count_ytd,
               counts="超过慰问标准的慰问记录", command=span.care_command("--over-cap")),
        Figure("care.over_cap.amount", "超过标准的记录（全额）", FEN, over_fen, over_fen_ytd,
               counts="超过慰问标准的慰问记录的金额（记录的全额，不只是超出标准的部分）",
               command=span.care_command("--over-cap")),
        Figure("care.over_cap.unexplained", "超标准未写原因（人次）", "人次", waiting_p, waiting_y,
               counts="超过慰问标准、还没有写明原因的慰问记录", command=span.care_command("--over-cap")),
    ]  # fmt: skip
    notes = []
    if flagged:  # RULES §2: care over a cap is flagged wherever it appears
        unexplained = f"，其中 {waiting_y} 人次还没有写明原因" if waiting_y else "，都已写明原因"
        notes.append(
            f"带{OVER_CAP_MARK}的行含超过慰问标准的慰问：本年累计 {over_count_ytd} 人次、{format_fen(over_fen_ytd)} 元"
            f"（见“超过标准”几行）{unexplained}"
        )
    care = Section("care", "慰问", figures, notes)
    return care, _hardship_section(session, span, by_occasion, hardship_members), by_occasion


OVER_CAP_MARK = "※"  # beside a 慰问 row that holds records over a cap


def _hardship_section(
    session: Session, span: _Span, by_occasion: dict[str, _Care], hardship_members: tuple[int, int]
) -> Section:
    end = span.end

    def open_on(day: date) -> Any:
        return and_(
            HardshipFile.opened_on <= day, or_(HardshipFile.closed_on.is_(None), HardshipFile.closed_on > day)
        )

    def opened(first: date) -> Any:
        return and_(HardshipFile.opened_on >= first, HardshipFile.opened_on <= end)

    def count_if(condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    files, new, new_ytd = (
        int(v)
        for v in session.execute(
            select(count_if(open_on(end)), count_if(opened(span.start)), count_if(opened(span.year_start)))
        ).one()
    )
    aid = [by_occasion.get(o, _Care()) for o in _AID]
    school, warmth = by_occasion.get(_SCHOOL_AID, _Care()), by_occasion.get(_WARMTH, _Care())
    aid_words = "、".join(_AID)
    figures = [
        Figure("hardship.files", "在档困难职工档案", "户", files, files,
               counts=f"期末（{end}）在档的困难职工档案（一户一档）", command=span.records_command("hardship.files")),
        Figure("hardship.opened", "新建档案", "户", new, new_ytd, counts="期内新建的困难职工档案",
               command=span.records_command("hardship.opened")),
        Figure("hardship.members", "在册困难职工", "人", hardship_members[0], hardship_members[0],
               counts="期末在册、名册中标为困难职工的会员（困难职工标记按现在的名册）",
               command=span.records_command("hardship.members")),
        Figure("hardship.aid.count", "帮扶（人次，已计入慰问）", "人次", sum(c.count for c in aid), sum(c.count_ytd for c in aid),
               counts=f"事由为{aid_words}的慰问记录",
               command=span.records_command("hardship.aid.count")),
        Figure("hardship.aid.amount", "帮扶（金额，已计入慰问）", FEN, sum(c.amount for c in aid), sum(c.amount_ytd for c in aid),
               counts=f"事由为{aid_words}的慰问金和慰问品价值",
               command=span.records_command("hardship.aid.amount")),
        Figure("hardship.school_aid.count", "金秋助学（人次）", "人次", school.count, school.count_ytd,
               counts="金秋助学记录", command=span.care_command(f"--occasion {_SCHOOL_AID}")),
        Figure("hardship.school_aid.amount", "金秋助学（金额）", FEN, school.amount, school.amount_ytd,
               counts="金秋助学发放的金额", command=span.care_command(f"--occasion {_SCHOOL_AID}")),
        Figure("hardship.warmth.count", "送温暖（人次）", "人次", warmth.count, warmth.count_ytd,
               counts="送温暖记录", command=span.care_command(f"--occasion {_WARMTH}")),
        Figure("hardship.warmth.amount", "送温暖（金额）", FEN, warmth.amount, warmth.amount_ytd,
               counts="送温暖的慰问金和慰问品价值", command=span.care_command(f"--occasion {_WARMTH}")),
    ]  # fmt: skip
    notes = []
    if any(c.count_ytd for c in aid):  # 金秋助学 and 送温暖 among them
        notes.append("帮扶、金秋助学、送温暖都是慰问记录，已计入上面的慰问合计，不要再加一遍")
    if hardship_members[0] > files:
        notes.append(
            f"名册中标为困难职工的有 {hardship_members[0]} 人，在档的困难职工档案 {files} 户："
            "还没有建档的，请在“慰问帮扶 → 困难职工档案”中建档"
        )
    return Section("hardship", "帮扶", figures, notes)


# ---------------------------------------------------------------- 活动与经费


def _top_budgets(session: Session, year: int, tree: Any) -> dict[int, int | None]:
    """Each top spending category's budget for ``year``: its own line, else the sum of its
    sub-lines that have one, else None (never set) — as the budget table counts it."""
    from app.services.activities import budget_lines

    lines = budget_lines(session, year)

    def budget(category_id: int) -> int | None:
        if category_id in lines:
            return lines[category_id]
        below = [b for b in (budget(c.id) for c in tree.children(category_id)) if b is not None]
        return sum(below) if below else None

    return {c.id: budget(c.id) for c in tree.items if c.depth == 0 and c.kind == "支出"}


def _spent_by_top(
    session: Session, span: _Span, tree: Any, by_occasion: dict[str, _Care]
) -> tuple[dict[int, int], dict[int, int]]:
    """Spending (activity expenses and care booked to a category) by top category: period, year to date."""
    from app.services.activities import care_categories

    period: dict[int, int] = defaultdict(int)
    ytd: dict[int, int] = defaultdict(int)

    def add(category_id: int | None, p: int, y: int) -> None:
        if category_id is None or category_id not in tree.by_id:
            return
        top = tree.top(category_id).id
        period[top] += p
        ytd[top] += y

    day = ActivityExpense.day
    for category_id, p, y in session.execute(
        select(ActivityExpense.category_id, func.sum(case((day >= span.start, ActivityExpense.amount_fen), else_=0)),
               func.sum(case((day >= span.year_start, ActivityExpense.amount_fen), else_=0)))
        .where(day >= span.low, day <= span.end)
        .group_by(ActivityExpense.category_id)
    ):  # fmt: skip
        add(category_id, int(p or 0), int(y or 0))
    mapping = care_categories(session)
    for occasion, care in by_occasion.items():
        add(mapping.get(occasion), care.amount, care.amount_ytd)
    return dict(period), dict(ytd)


HELD_WORDS = "期内开始、没有取消的活动（计划中、已审批的过了开始日期才计入）"
_UNDER_WAY = ("进行中", "已结束")


def is_held(status: str, start: date, period_end: date, today: date) -> bool:
    """Whether an activity counts as held in a period ending on ``period_end`` (``HELD_WORDS``):
    started by then and not cancelled; one still 计划中 or 已审批 only once its start day has
    passed — planned for later, or for today and not yet marked 进行中, it has not been held."""
    if status == CANCELLED or start > period_end:
        return False
    return status in _UNDER_WAY or start < today


def _year_to_date(span: _Span) -> bool:
    """Whether the period runs from its year's January: only then are the year's budget and
    the 执行率 against it figures of the period (they equal 本年累计)."""
    return span.first == YearMonth(span.last.year, 1)


def _activities_section(
    session: Session, span: _Span, by_occasion: dict[str, _Care], today: date, dues_paid: tuple[Any, Any]
) -> Section:
    from app.services.activities import load_tree

    named = (
        select(func.count())
        .where(ActivityParticipant.activity_id == Activity.id)
        .correlate(Activity)
        .scalar_subquery()
    )
    people = case((named > 0, named), else_=func.coalesce(Activity.headcount, 0))
    held, held_ytd, heads, heads_ytd = (0, 0, 0, 0)
    for start, status, participants in session.execute(
        select(Activity.start, Activity.status, people).where(
            Activity.start >= span.low, Activity.start <= span.end
        )
    ):
        if not is_held(status, start, span.end, today):
            continue
        if start >= span.start:
            held, heads = held + 1, heads + int(participants)
        if start >= span.year_start:
            held_ytd, heads_ytd = held_ytd + 1, heads_ytd + int(participants)
    day = ActivityExpense.day
    spent, spent_ytd = (
        int(v or 0)
        for v in session.execute(
            select(func.sum(case((day >= span.start, ActivityExpense.amount_fen), else_=0)),
                   func.sum(case((day >= span.year_start, ActivityExpense.amount_fen), else_=0)))
            .where(day >= span.low, day <= span.end)
        ).one()
    )  # fmt: skip
    events = span.events_command()
    figures = [
        Figure("activities.held", "举办活动", "次", held, held_ytd,
               counts=HELD_WORDS, command=events),
        Figure("activities.participants", "参加活动", "人次", heads, heads_ytd,
               counts="这些活动的参加人数（有名单的按名单，否则按登记的人数）", command=events),
        Figure("activities.spent", "活动支出（各科目合计）", FEN, spent, spent_ytd,
               counts="期内登记的活动支出（按支出日期），不论计入哪个科目", command=events),
    ]  # fmt: skip
    tree = load_tree(session)
    year = span.last.year
    budgets = _top_budgets(session, year, tree)
    own = _year_to_date(span)
    period, ytd = _spent_by_top(session, span, tree, by_occasion)
    for category in tree.items:
        if category.depth or category.kind != "支出":
            continue
        budget = budgets.get(category.id)
        if budget is None and not ytd.get(category.id) and not period.get(category.id):
            continue
        spent_cmd = f"{_CMD} budget spent {year} {category.code}"
        figures.append(
            Figure(f"budget.{category.code}.budget", f"{category.name}（全年预算）", FEN,
                   budget if own else None, budget, counts=f"{year}年预算中“{category.name}”的数（未编预算为空）",
                   command=f"{_CMD} budget show {year}")
        )  # fmt: skip
        figures.append(
            Figure(f"budget.{category.code}.spent", f"{category.name}（支出）", FEN, period.get(category.id, 0),
                   ytd.get(category.id, 0), counts=f"计入“{category.name}”及其下级科目的活动支出和慰问",
                   command=spent_cmd)
        )  # fmt: skip
    total_budget = sum(b for b in budgets.values() if b is not None)
    total_p, total_y = sum(period.values()), sum(ytd.values())
    figures += [
        Figure("budget.budget", "支出预算合计（全年）", FEN, total_budget if own else None, total_budget,
               counts=f"{year}年各一级支出科目的预算之和", command=f"{_CMD} budget show {year}"),
        Figure("budget.spent", "支出合计", FEN, total_p, total_y,
               counts="计入支出科目的活动支出和慰问", command=f"{_CMD} budget show {year}"),
        Figure("budget.rate", "预算执行率（支出÷全年预算）", PERCENT,
               percent(total_p, total_budget) if own else None, percent(total_y, total_budget),
               counts="支出 ÷ 全年支出预算", command=f"{_CMD} budget show {year}"),
    ]  # fmt: skip
    notes = [] if total_budget else [f"{year}年还没有编制支出预算，执行率无法计算"]
    income = _income_figures(session, span, dues_paid)
    if income:
        figures += income
        notes.append(INCOME_NOTE)
    return Section("activities", "活动与经费", figures, notes)


INCOME_NOTE = (
    "收入只含已登记的：会费收入是会费台账中收到的会费（按缴费日期），拨缴经费、补助等是“登记其他收入”中登记的；"
    "没有在程序中登记的收入不在表中"
)


def _income_figures(session: Session, span: _Span, dues_paid: tuple[Any, Any]) -> list[Figure]:
    """What came in, by top income line (those with anything in the year to date), and in all.
    ``dues_paid``: the report's 实缴, 本期 and 本年累计 — the 会费收入, not read again."""
    from app.services.activities import DUES_CODE, income_received

    in_period, in_year = (int(fen or 0) for fen in dues_paid)
    period = {
        c.code: fen for c, fen in income_received(session, span.start, span.end, dues_paid_fen=in_period)
    }
    year = income_received(session, span.year_start, span.end, dues_paid_fen=in_year)
    figures = [
        Figure(f"income.{c.code}.received", c.name if c.name.endswith("收入") else f"{c.name}（收入）", FEN, period.get(c.code, 0), fen,
               counts="期内收到的会费（按缴费日期），即会费的实缴" if c.code == DUES_CODE
               else f"“登记其他收入”中期内登记的“{c.name}”（按日期，含下级科目）",
               command=span.records_command(f"income.{c.code}.received"))
        for c, fen in year
    ]  # fmt: skip
    if figures:
        figures.append(
            Figure("income.received", "收入合计（已登记）", FEN, sum(period.values()), sum(fen for _c, fen in year),
                   counts="上面各项收入之和", command=span.records_command("income.received"))
        )  # fmt: skip
    return figures


def figure_records(
    session: Session, report: PeriodReport, key: str, *, year_to_date: bool = False
) -> RecordList:
    """The records a figure counts (its 本期 value, or its 本年累计 one), for the drill-down:
    their count, 人次 or sum is the figure. A key the report does not have is a UserError."""
    from app.services.reports.period_records import records_for

    return records_for(session, report, key, year_to_date=year_to_date)
