"""A month's last day, which the review dates, the dues' payment days and the reports use."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.yearmonth import YearMonth


@pytest.mark.parametrize(
    ("month", "last"),
    [
        (YearMonth(2026, 12), date(2026, 12, 31)),
        (YearMonth(2024, 2), date(2024, 2, 29)),
        (YearMonth(2026, 2), date(2026, 2, 28)),
        (YearMonth(2026, 4), date(2026, 4, 30)),
        (YearMonth(2026, 1), date(2026, 1, 31)),
    ],
)
def test_the_last_day_of_a_month(month: YearMonth, last: date) -> None:
    assert month.last_day() == last
