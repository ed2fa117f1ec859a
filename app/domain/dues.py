"""The dues rule (会费, RULES.md §1): what a month costs a member, which months are owed, and
how payments cover them. Pure functions; the values of the rule are dated settings kept by
the union (``DuesRule``), the defaults below only seed a new 账套.

Glossary: 应缴 (a charge, ``due``), 实缴 (a payment, ``paid``), 欠缴 (arrears: owed, not
covered), 会费基数 (dues base wage), 保留会籍 (retained membership: pays nothing), 学徒
(apprentice: a flat amount).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from app.domain.yearmonth import YearMonth


class MonthRule(StrEnum):
    """Which months a member owes (a local rule)."""

    FIRST_DAY = "月初在会"  # owed when a paying member on the month's 1st (the default)
    ANY_DAY = "当月在会"  # owed when a paying member on any day of the month

    def explain(self) -> str:
        if self is MonthRule.FIRST_DAY:
            return "每月 1 日是在会会员的，当月应缴会费（如 3 月 15 日入会，从 4 月起缴；6 月 15 日退休，6 月仍应缴）"
        return "当月有一天是在会会员的，当月就应缴会费（如 3 月 15 日入会，3 月就应缴）"


class PayMethod(StrEnum):
    PAYROLL = "工资代扣"
    CASH = "现金"
    TRANSFER = "转账"
    MOBILE = "微信支付宝"


# The 1978 rule (工发〔1978〕101号): 0.5 % of the wage with the tail under 10 yuan dropped;
# apprentices 0.05 yuan. Only the seed of a new 账套's first dated setting.
DEFAULT_RATE_BP = 50  # basis points (万分之): 50 = 0.5 %
DEFAULT_TAIL_FEN = 1000  # the base is a multiple of 10 yuan
DEFAULT_APPRENTICE_FEN = 5
DEFAULT_FROM = YearMonth(2000, 1)
MAX_RATE_BP = 1000  # 10 %: anything above is a typing error, not a union's rate


@dataclass(frozen=True, slots=True)
class DuesRule:
    """The rule in force from ``effective_from`` until the next one."""

    effective_from: YearMonth
    rate_bp: int = DEFAULT_RATE_BP
    tail_fen: int = DEFAULT_TAIL_FEN
    apprentice_fen: int = DEFAULT_APPRENTICE_FEN
    month_rule: MonthRule = MonthRule.FIRST_DAY

    def describe(self) -> str:
        rate = f"{self.rate_bp / 100:g}%"
        tail = f"{self.tail_fen / 100:g}"
        return (
            f"自{self.effective_from.chinese()}起：按会费基数的 {rate} 收缴，基数不足 {tail} 元的尾数不计；"
            f"学徒每月 {self.apprentice_fen / 100:.2f} 元；{self.month_rule.explain()}"
        )


def check_rule(rule: DuesRule) -> dict[str, str]:
    """Why each value of ``rule`` cannot be used, by field; empty when it can."""
    errors: dict[str, str] = {}
    if not 0 < rule.rate_bp <= MAX_RATE_BP:
        errors["rate_bp"] = "费率应大于 0，且不超过 10%"
    if not 1 <= rule.tail_fen <= 100_000:
        errors["tail_fen"] = "尾数单位应在 0.01 元到 1000 元之间"
    if not 0 <= rule.apprentice_fen <= 100_000:
        errors["apprentice_fen"] = "学徒每月会费应在 0 到 1000 元之间"
    return errors


def parse_rate_bp(text: str) -> int | None:
    """A rate written as a percentage ("0.5", "0.5%") in basis points (50); None when it is
    not a number with at most two decimals."""
    from decimal import Decimal, InvalidOperation

    try:
        rate_bp = Decimal(text.strip().removesuffix("%").strip()) * 100
    except InvalidOperation:
        return None
    if not rate_bp.is_finite() or rate_bp != rate_bp.to_integral_value():
        return None
    return int(rate_bp)


def dues_base_fen(wage_fen: int, rule: DuesRule) -> int:
    """The wage with the tail under the rule's unit dropped: 3,085.00 → 3,080.00."""
    return wage_fen // rule.tail_fen * rule.tail_fen


def monthly_dues_fen(wage_fen: int, rule: DuesRule, *, apprentice: bool = False) -> int:
    """A month's dues in fen: 3,085.00 → 15.40; 9.99 → 0; 10.00 → 0.05. With the 1978 values
    the result is exact; a rate that leaves a fraction of a fen rounds half up."""
    if apprentice:
        return rule.apprentice_fen
    return (dues_base_fen(wage_fen, rule) * rule.rate_bp + 5_000) // 10_000


class Rules:
    """The dated rules of a 账套, looked up by month (before the first one, the first applies)."""

    def __init__(self, rules: Iterable[DuesRule]) -> None:
        self._rules = sorted(rules, key=lambda r: r.effective_from) or [DuesRule(DEFAULT_FROM)]
        self._starts = [r.effective_from for r in self._rules]

    def at(self, month: YearMonth) -> DuesRule:
        index = bisect.bisect_right(self._starts, month) - 1
        return self._rules[max(index, 0)]


# -- who owes which month --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Exemption:
    """A dated exemption set by hand (免缴), ``last`` None = open-ended."""

    first: YearMonth
    last: YearMonth | None
    reason: str = ""

    def covers(self, month: YearMonth) -> bool:
        return self.first <= month and (self.last is None or month <= self.last)

    def overlaps(self, other: Exemption) -> bool:
        return (self.last is None or other.first <= self.last) and (
            other.last is None or self.first <= other.last
        )

    def months_text(self) -> str:
        """2026年3月至2026年5月, or 2026年3月至以后各月."""
        return f"{self.first.chinese()}至{self.last.chinese() if self.last is not None else '以后各月'}"


@dataclass(slots=True)
class MemberTimeline:
    """What the roll needs to know about one member: membership history (event dates with
    the status after each, in order), dues base wages (effective date, fen, in order) and
    exemptions."""

    paying_status: str
    events: list[tuple[date, str]] = field(default_factory=list)
    wages: list[tuple[date, int]] = field(default_factory=list)
    exemptions: list[Exemption] = field(default_factory=list)
    apprentice: bool = False

    def status_on(self, day: date) -> str | None:
        """The status after the last event on or before ``day``; None before the first."""
        index = bisect.bisect_right(self.events, (day, "\uffff")) - 1
        return self.events[index][1] if index >= 0 else None

    def wage_on(self, day: date) -> int | None:
        index = bisect.bisect_right(self.wages, (day, 1 << 62)) - 1
        return self.wages[index][1] if index >= 0 else None

    def is_paying(self, month: YearMonth, rule: MonthRule) -> bool:
        if any(e.covers(month) for e in self.exemptions):
            return False
        first = month.first_day()
        if self.status_on(first) == self.paying_status:
            return True
        if rule is MonthRule.ANY_DAY:
            after = month.add_months(1).first_day()
            return any(first <= day < after and status == self.paying_status for day, status in self.events)
        return False


@dataclass(frozen=True, slots=True)
class Due:
    month: YearMonth
    wage_fen: int | None  # None for an apprentice's flat amount
    due_fen: int


@dataclass(frozen=True, slots=True)
class MonthSlot:
    """A month to roll, with what every member's check needs, computed once per roll."""

    month: YearMonth
    first: date
    after: date  # the next month's 1st
    rule: DuesRule


def month_slots(months: Sequence[YearMonth], rules: Rules) -> list[MonthSlot]:
    return [MonthSlot(m, m.first_day(), m.add_months(1).first_day(), rules.at(m)) for m in sorted(months)]


def dues_for(
    timeline: MemberTimeline, months: Sequence[YearMonth], rules: Rules
) -> tuple[list[Due], list[YearMonth]]:
    """The charges a member owes for ``months``, and the owed months that have no base wage
    (nothing can be charged for them until one is entered)."""
    return dues_in(timeline, month_slots(months, rules))


def dues_in(timeline: MemberTimeline, slots: Sequence[MonthSlot]) -> tuple[list[Due], list[YearMonth]]:
    """``dues_for`` over prepared months. One walk along the member's events and wages: a
    roll of 50,000 members × 12 months calls this 50,000 times."""
    events, wages, paying_status = timeline.events, timeline.wages, timeline.paying_status
    event_count, wage_count = len(events), len(wages)
    next_event = next_wage = 0
    status: str | None = None
    wage: int | None = None
    dues: list[Due] = []
    no_wage: list[YearMonth] = []
    for slot in slots:
        first = slot.first
        while next_event < event_count and events[next_event][0] <= first:
            status = events[next_event][1]
            next_event += 1
        paying = status == paying_status
        if not paying and slot.rule.month_rule is MonthRule.ANY_DAY:
            later = next_event
            while later < event_count and events[later][0] < slot.after:
                if events[later][1] == paying_status:
                    paying = True
                    break
                later += 1
        if paying and timeline.exemptions and any(e.covers(slot.month) for e in timeline.exemptions):
            paying = False
        if not paying:
            continue
        if timeline.apprentice:
            dues.append(Due(slot.month, None, slot.rule.apprentice_fen))
            continue
        while next_wage < wage_count and wages[next_wage][0] <= first:
            wage = wages[next_wage][1]
            next_wage += 1
        if wage is None:
            no_wage.append(slot.month)
            continue
        dues.append(Due(slot.month, wage, monthly_dues_fen(wage, slot.rule)))
    return dues, no_wage


# -- how payments cover charges --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OpenCharge:
    id: int
    month: date  # the month's 1st
    due_fen: int


@dataclass(frozen=True, slots=True)
class PaymentToAllocate:
    id: int
    amount_fen: int
    months: frozenset[date] = frozenset()  # named months (their 1st); empty = the oldest unpaid first


def allocate(
    charges: Sequence[OpenCharge], payments: Sequence[PaymentToAllocate]
) -> list[tuple[int, int, int]]:
    """(payment id, charge id, fen) for one member. ``payments`` come in the order they were
    made. A payment that names its months fills those first; what it has left, and every
    payment that names none, covers the oldest unpaid month first. What no charge takes stays
    on the member's balance. Never more than a charge's due, never more than a payment's
    amount: the sum allocated plus the balance is exactly the sum paid."""
    ordered = sorted(charges, key=lambda c: c.month)
    remaining = [c.due_fen for c in ordered]
    left = [p.amount_fen for p in payments]
    result: list[tuple[int, int, int]] = []

    def take(payment: int, charge: int) -> None:
        amount = min(left[payment], remaining[charge])
        if amount > 0:
            left[payment] -= amount
            remaining[charge] -= amount
            result.append((payments[payment].id, ordered[charge].id, amount))

    if any(p.months for p in payments):
        index = {c.month: i for i, c in enumerate(ordered)}
        for number, payment in enumerate(payments):
            for month in sorted(payment.months):
                if month in index:
                    take(number, index[month])
    oldest, count = 0, len(ordered)
    for number in range(len(payments)):
        while left[number] > 0 and oldest < count:
            if remaining[oldest] == 0:
                oldest += 1  # every month before ``oldest`` is fully covered
                continue
            take(number, oldest)
    return result


# -- arrears ---------------------------------------------------------------------------------------


# An arrears row whose every owed month was paid in part (ArrearsRow.short_only).
SHORT_TEXT = "少缴：每月都缴了，但少于应缴，请核对代扣金额"


def longest_run(months: Iterable[YearMonth]) -> int:
    """The most consecutive calendar months in ``months`` (RULES §1: 6 or more is flagged)."""
    ordered = sorted(set(months))
    best = run = 0
    previous: YearMonth | None = None
    for month in ordered:
        run = run + 1 if previous is not None and previous.add_months(1) == month else 1
        best = max(best, run)
        previous = month
    return best


LONG_ARREARS_MONTHS = 6


def month_span(first: YearMonth, last: YearMonth) -> list[YearMonth]:
    return [first.add_months(i) for i in range(first.months_until(last) + 1)]


def describe_months(months: Iterable[YearMonth]) -> str:
    """2026年1月—6月、2026年9月: consecutive months joined into ranges."""
    ordered = sorted(set(months))
    parts: list[str] = []
    start = previous = None
    for month in [*ordered, None]:
        if month is not None and previous is not None and previous.add_months(1) == month:
            previous = month
            continue
        if start is not None and previous is not None:
            if start == previous:
                parts.append(start.chinese())
            elif start.year == previous.year:
                parts.append(f"{start.chinese()}—{previous.month}月")
            else:
                parts.append(f"{start.chinese()}—{previous.chinese()}")
        start = previous = month
    return "、".join(parts)


_PERIOD = re.compile(r"^\s*(\d{4})\s*(?:[-年]?\s*(?:(\d{1,2})\s*月?|[Qq第]\s*([1-4])\s*季?度?))?\s*$")


@dataclass(frozen=True, slots=True)
class Period:
    """A month, a quarter or a year: 2026-03, 2026Q1, 2026."""

    first: YearMonth
    last: YearMonth
    label: str

    @classmethod
    def parse(cls, text: str) -> Period:
        match = _PERIOD.match(text)
        if not match:
            raise ValueError(f"“{text}”不是月份、季度或年份，请写成 2026-03、2026Q1 或 2026")
        year = int(match.group(1))
        if match.group(2):
            month = YearMonth(year, int(match.group(2)))
            return cls(month, month, month.chinese())
        if match.group(3):
            quarter = int(match.group(3))
            first = YearMonth(year, quarter * 3 - 2)
            return cls(first, first.add_months(2), f"{year}年第{'一二三四'[quarter - 1]}季度")
        return cls(YearMonth(year, 1), YearMonth(year, 12), f"{year}年")

    def months(self) -> list[YearMonth]:
        return month_span(self.first, self.last)

    def last_day(self) -> date:
        return self.last.last_day()
