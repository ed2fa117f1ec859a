"""The dues formula, the month rule and allocation (RULES §1), as pure functions."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.dues import (
    DuesRule,
    Exemption,
    MemberTimeline,
    MonthRule,
    OpenCharge,
    PaymentToAllocate,
    Period,
    Rules,
    allocate,
    check_rule,
    describe_months,
    dues_for,
    longest_run,
    monthly_dues_fen,
)
from app.domain.yearmonth import YearMonth

RULE = DuesRule(YearMonth(2000, 1))
ACTIVE, RETAINED = "在会", "保留会籍"


@pytest.mark.parametrize(
    ("wage_fen", "dues_fen"),
    [
        (999, 0),  # 9.99 → base 0
        (1000, 5),  # 10.00 → 0.05
        (308500, 1540),  # 3,085.00 → 3,080 → 15.40
        (308000, 1540),
        (307999, 1535),  # 3,079.99 → 3,070 → 15.35
        (0, 0),
        (100_000_000, 500_000),  # 1,000,000.00 → 5,000.00
    ],
)
def test_the_formula_drops_the_tail_under_ten_yuan(wage_fen: int, dues_fen: int) -> None:
    assert monthly_dues_fen(wage_fen, RULE) == dues_fen


def test_apprentices_pay_the_flat_amount_whatever_the_wage() -> None:
    assert monthly_dues_fen(500_000, RULE, apprentice=True) == 5


def test_rate_and_tail_are_settings() -> None:
    hundred = DuesRule(YearMonth(2027, 1), rate_bp=100, tail_fen=10_000)  # 1 %, tail under 100 yuan
    assert monthly_dues_fen(308500, hundred) == 3000
    assert check_rule(DuesRule(YearMonth(2027, 1), rate_bp=0)) == {"rate_bp": "费率应大于 0，且不超过 10%"}


def test_the_rule_in_force_is_the_latest_that_started() -> None:
    later = DuesRule(YearMonth(2027, 1), rate_bp=100)
    rules = Rules([later, RULE])
    assert rules.at(YearMonth(2026, 12)) is RULE
    assert rules.at(YearMonth(2027, 1)) is later
    assert rules.at(YearMonth(1999, 1)) is RULE  # before the first one: the first applies


def timeline(*events: tuple[date, str], wage: int = 308500, **kw: object) -> MemberTimeline:
    line = MemberTimeline(ACTIVE, events=list(events), wages=[(date(2000, 1, 1), wage)])
    for key, value in kw.items():
        setattr(line, key, value)
    return line


def months_owed(line: MemberTimeline, rule: MonthRule = MonthRule.FIRST_DAY, year: int = 2026) -> list[int]:
    months = [YearMonth(year, m) for m in range(1, 13)]
    dues, _ = dues_for(line, months, Rules([DuesRule(YearMonth(2000, 1), month_rule=rule)]))
    return [d.month.month for d in dues]


def test_joining_on_the_first_owes_that_month_on_the_fifteenth_the_next() -> None:
    assert months_owed(timeline((date(2026, 3, 1), ACTIVE)))[0] == 3
    assert months_owed(timeline((date(2026, 3, 15), ACTIVE)))[0] == 4
    assert months_owed(timeline((date(2026, 3, 15), ACTIVE)), MonthRule.ANY_DAY)[0] == 3


def test_retiring_mid_month_still_owes_that_month_and_nothing_after() -> None:
    line = timeline((date(2010, 1, 1), ACTIVE), (date(2026, 6, 15), RETAINED))
    assert months_owed(line) == [1, 2, 3, 4, 5, 6]
    retired_on_first = timeline((date(2010, 1, 1), ACTIVE), (date(2026, 6, 1), RETAINED))
    assert months_owed(retired_on_first) == [1, 2, 3, 4, 5]


def test_exempt_months_are_not_owed() -> None:
    line = timeline((date(2010, 1, 1), ACTIVE))
    line.exemptions.append(Exemption(YearMonth(2026, 4), YearMonth(2026, 6), "长期病假"))
    assert months_owed(line) == [1, 2, 3, 7, 8, 9, 10, 11, 12]
    line.exemptions.append(Exemption(YearMonth(2026, 11), None, "下岗"))
    assert months_owed(line) == [1, 2, 3, 7, 8, 9, 10]


def test_a_wage_applies_from_its_month_and_months_without_one_are_reported() -> None:
    line = MemberTimeline(ACTIVE, events=[(date(2010, 1, 1), ACTIVE)], wages=[(date(2026, 3, 1), 500000)])
    months = [YearMonth(2026, m) for m in range(1, 5)]
    dues, missing = dues_for(line, months, Rules([RULE]))
    assert [(d.month.month, d.due_fen) for d in dues] == [(3, 2500), (4, 2500)]
    assert missing == [YearMonth(2026, 1), YearMonth(2026, 2)]


def test_two_events_on_one_day_the_later_one_counts() -> None:
    line = timeline((date(2026, 1, 1), ACTIVE), (date(2026, 1, 1), RETAINED))
    assert months_owed(line) == []


def charges(*dues: int) -> list[OpenCharge]:
    return [OpenCharge(i + 1, date(2026, i + 1, 1), due) for i, due in enumerate(dues)]


def test_a_payment_covers_the_oldest_month_first() -> None:
    result = allocate(charges(1000, 1000, 1000), [PaymentToAllocate(7, 1500)])
    assert result == [(7, 1, 1000), (7, 2, 500)]


def test_a_half_yearly_lump_covers_january_to_june() -> None:
    result = allocate(charges(*[1540] * 12), [PaymentToAllocate(1, 6 * 1540)])
    assert [charge for _, charge, _ in result] == [1, 2, 3, 4, 5, 6]


def test_named_months_are_covered_first_and_the_rest_goes_to_the_oldest() -> None:
    named = PaymentToAllocate(1, 2500, frozenset({date(2026, 3, 1)}))
    assert allocate(charges(1000, 1000, 1000), [named]) == [(1, 3, 1000), (1, 1, 1000), (1, 2, 500)]


def test_an_over_payment_stays_on_the_balance() -> None:
    result = allocate(charges(1000), [PaymentToAllocate(1, 1600)])
    assert result == [(1, 1, 1000)]  # 6.00 yuan stays unallocated: the member's credit


@settings(max_examples=300, deadline=None)
@given(
    dues=st.lists(st.integers(min_value=0, max_value=50_000), max_size=24),
    payments=st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=200_000), st.sets(st.integers(min_value=0, max_value=23))
        ),
        max_size=10,
    ),
)
def test_allocation_never_loses_or_invents_a_fen(
    dues: list[int], payments: list[tuple[int, set[int]]]
) -> None:
    open_charges = [
        OpenCharge(i, YearMonth(2025, 1).add_months(i).first_day(), due) for i, due in enumerate(dues)
    ]
    paid = [
        PaymentToAllocate(
            100 + n, amount, frozenset(YearMonth(2025, 1).add_months(m).first_day() for m in months)
        )
        for n, (amount, months) in enumerate(payments)
    ]
    result = allocate(open_charges, paid)
    by_charge: dict[int, int] = {}
    by_payment: dict[int, int] = {}
    for payment_id, charge_id, amount in result:
        assert amount > 0
        by_charge[charge_id] = by_charge.get(charge_id, 0) + amount
        by_payment[payment_id] = by_payment.get(payment_id, 0) + amount
    for charge in open_charges:
        assert by_charge.get(charge.id, 0) <= charge.due_fen
    for payment in paid:
        assert by_payment.get(payment.id, 0) <= payment.amount_fen
    # Nothing is left uncovered while money is left over: the totals meet exactly.
    total_due, total_paid = sum(dues), sum(p.amount_fen for p in paid)
    assert sum(by_charge.values()) == min(total_due, total_paid)


def test_longest_run_counts_calendar_months_across_years() -> None:
    months = [YearMonth(2025, 11), YearMonth(2025, 12), YearMonth(2026, 1), YearMonth(2026, 3)]
    assert longest_run(months) == 3
    assert longest_run([]) == 0


def test_periods_and_month_descriptions() -> None:
    assert (Period.parse("2026Q2").first, Period.parse("2026Q2").last) == (
        YearMonth(2026, 4),
        YearMonth(2026, 6),
    )
    assert Period.parse("2026-02").last_day() == date(2026, 2, 28)
    assert Period.parse("2026").label == "2026年"
    with pytest.raises(ValueError, match="不是月份、季度或年份"):
        Period.parse("2026Q5")
    months = [YearMonth(2026, m) for m in (1, 2, 3, 6)] + [YearMonth(2027, 1)]
    assert describe_months(months) == "2026年1月—3月、2026年6月、2027年1月"


@pytest.mark.parametrize(
    ("first", "last", "overlaps"),
    [
        ((2026, 1), (2026, 2), False),  # ends the month before
        ((2026, 1), (2026, 3), True),  # shares March
        ((2026, 6), None, True),  # open-ended, starting inside
        ((2026, 7), None, False),  # starts the month after
    ],
)
def test_exemptions_overlap_when_they_share_a_month(
    first: tuple[int, int], last: tuple[int, int] | None, overlaps: bool
) -> None:
    held = Exemption(YearMonth(2026, 3), YearMonth(2026, 6), "病休")
    other = Exemption(YearMonth(*first), YearMonth(*last) if last else None)
    assert held.overlaps(other) is overlaps and other.overlaps(held) is overlaps
    assert held.months_text() == "2026年3月至2026年6月"
    assert Exemption(YearMonth(2026, 3), None).months_text() == "2026年3月至以后各月"
