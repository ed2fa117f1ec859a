"""The money axis shared by the charts: ticks of 1, 2 or 5 × 10ⁿ yuan from 0 past the top, at
most five steps, labelled as a secretary says them (in 万 when they are whole or half 万)."""

from __future__ import annotations

import pytest

from app.ui.charts import MOST_STEPS, tick_label, ticks


@pytest.mark.parametrize(
    ("top", "expected"),
    [
        (343_200, [0, 100_000, 200_000, 300_000, 400_000]),  # the demo's 264,000 budget × 1.3
        (123_500, [0, 50_000, 100_000, 150_000]),
        (14_960, [0, 5_000, 10_000, 15_000]),
        (10_000, [0, 2_000, 4_000, 6_000, 8_000, 10_000]),
        (9, [0, 2, 4, 6, 8, 10]),
        (0, [0, 1]),  # nothing yet: still an axis
    ],
)
def test_ticks_cover_the_top_in_a_few_round_steps(top: float, expected: list[int]) -> None:
    found = ticks(top)
    assert found == expected
    assert found[-1] >= top and len(found) - 1 <= MOST_STEPS


@pytest.mark.parametrize(
    ("value", "step", "expected"),
    [
        (0, 50_000, "0"),
        (100_000, 100_000, "10万"),
        (150_000, 50_000, "15万"),
        (15_000, 5_000, "1.5万"),
        (5_000, 5_000, "0.5万"),
        (1_000_000, 200_000, "100万"),
        (6_000, 2_000, "6,000"),  # 0.6万 reads worse than the number
        (800, 200, "800"),
    ],
)
def test_a_tick_is_labelled_as_it_is_said(value: int, step: int, expected: str) -> None:
    assert tick_label(value, step) == expected
