"""RULES §6 as pure functions: income per head, the causes' limits, the yearly review date,
the masked bank account (app.domain.privacy, with the other masks)."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.hardship import (
    CAUSES,
    cause_problems,
    monthly_income_per_head_fen,
    review_state,
)
from app.domain.privacy import mask_account


@pytest.mark.parametrize(
    ("annual", "size", "per_head"),
    [
        (3_600_000, 3, 100_000),  # 36,000 a year for three: 1,000 a month each
        (1_000_000, 3, 27_778),  # 277.777… rounds half up to 277.78
        (100, 12, 1),  # 1 yuan a year over 144 head-months: 0.69 fen → 1
        (0, 4, 0),
    ],
)
def test_monthly_income_per_head(annual: int, size: int, per_head: int) -> None:
    assert monthly_income_per_head_fen(annual, size) == per_head


def test_a_household_has_someone_in_it() -> None:
    with pytest.raises(ValueError):
        monthly_income_per_head_fen(1000, 0)


def test_causes_one_main_and_up_to_three_others() -> None:
    assert cause_problems("大病", ("子女就学", "下岗失业", "意外事故")) == []
    assert any(
        "最多选 3 项" in p for p in cause_problems("大病", ("子女就学", "下岗失业", "意外事故", "其他"))
    )
    assert any("重复" in p for p in cause_problems("大病", ("大病",)))
    assert any("主要致困原因" in p for p in cause_problems("穷", ()))
    assert any("不认识" in p and "懒" in p for p in cause_problems("大病", ("懒",)))
    assert len(CAUSES) == 10


def test_the_review_falls_due_a_year_after_the_last() -> None:
    assert review_state(date(2025, 11, 20), None).due == date(2026, 11, 20)
    state = review_state(date(2024, 3, 1), date(2025, 6, 30))
    assert (state.last, state.due) == (date(2025, 6, 30), date(2026, 6, 30))
    assert review_state(date(2024, 2, 29), None).due == date(2025, 2, 28)
    assert state.is_due(date(2026, 6, 30)) and not state.is_due(date(2026, 6, 1))
    assert state.is_due(date(2026, 6, 1), within_days=30)


def test_a_bank_account_keeps_its_first_and_last_four() -> None:
    assert mask_account("6222 0212 3456 7890 123") == "6222***********0123"
    assert mask_account("12345678") == "12345678"
