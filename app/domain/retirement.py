"""Statutory retirement month under the 2025 gradual-delay rules — RULES.md §7."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.yearmonth import YearMonth

_REFORM_YEAR = 2025
# original age -> (months of birth per month of delay, maximum delay in months)
_DELAY_STEPS = {60: (4, 36), 55: (4, 36), 50: (2, 60)}


@dataclass(frozen=True, slots=True)
class Retirement:
    original_age: int
    delay_months: int
    month: YearMonth

    @property
    def age_text(self) -> str:
        years, months = divmod(self.original_age * 12 + self.delay_months, 12)
        return f"{years}岁{months}个月" if months else f"{years}岁"


def original_retirement_age(gender: str, female_original_age: int | None) -> int:
    """Men 60; women 55 (cadre posts) or 50 (worker posts) — a stored field, not guessable."""
    if gender == "男":
        return 60
    if female_original_age in (50, 55):
        return female_original_age
    return 55


def retirement(birth: date, gender: str, female_original_age: int | None = None) -> Retirement:
    age = original_retirement_age(gender, female_original_age)
    step, cap = _DELAY_STEPS[age]
    n = (birth.year + age - _REFORM_YEAR) * 12 + birth.month
    delay = 0 if n <= 0 else min(-(-n // step), cap)
    month = YearMonth(birth.year, birth.month).add_months(age * 12 + delay)
    return Retirement(original_age=age, delay_months=delay, month=month)
