from datetime import date

import pytest

from app.domain.retirement import original_retirement_age, retirement
from app.domain.yearmonth import YearMonth


# RULES.md §7 public vectors.
@pytest.mark.parametrize(
    ("birth", "gender", "original", "expected"),
    [
        (date(1965, 1, 10), "男", None, YearMonth(2025, 2)),
        (date(1965, 12, 1), "男", None, YearMonth(2026, 3)),
        (date(1971, 4, 15), "女", 55, YearMonth(2026, 8)),
        (date(1995, 12, 1), "女", 50, YearMonth(2050, 12)),
        (date(1963, 12, 31), "男", None, YearMonth(2023, 12)),
    ],
)
def test_public_vectors(birth: date, gender: str, original: int | None, expected: YearMonth) -> None:
    assert retirement(birth, gender, original).month == expected


def test_delay_is_capped() -> None:
    men = retirement(date(1990, 6, 1), "男")
    assert men.delay_months == 36
    assert men.month == YearMonth(2053, 6)
    assert men.age_text == "63岁"
    women50 = retirement(date(2000, 6, 1), "女", 50)
    assert women50.delay_months == 60
    assert women50.age_text == "55岁"


def test_age_text_with_months() -> None:
    assert retirement(date(1971, 4, 15), "女", 55).age_text == "55岁4个月"


def test_original_age_defaults() -> None:
    assert original_retirement_age("男", 50) == 60
    assert original_retirement_age("女", None) == 55
    assert original_retirement_age("女", 50) == 50


def test_yearmonth_parse_and_arithmetic() -> None:
    assert YearMonth.parse("2026-03") == YearMonth(2026, 3)
    assert YearMonth.parse("2026年3月") == YearMonth(2026, 3)
    assert YearMonth(2026, 11).add_months(3) == YearMonth(2027, 2)
    assert YearMonth(2026, 1).add_months(-1) == YearMonth(2025, 12)
    assert YearMonth(2025, 11).months_until(YearMonth(2026, 2)) == 3
    assert str(YearMonth(2026, 3)) == "2026-03"
    assert YearMonth(2026, 3).chinese() == "2026年3月"
    assert YearMonth(2025, 12) < YearMonth(2026, 1)
    with pytest.raises(ValueError, match="月份"):
        YearMonth(2026, 13)
    with pytest.raises(ValueError, match="不是年月"):
        YearMonth.parse("三月")


def test_age_in_whole_years() -> None:
    from app.domain.members import age

    assert age(date(1980, 11, 21), date(2026, 11, 20)) == 45
    assert age(date(1980, 11, 20), date(2026, 11, 20)) == 46
