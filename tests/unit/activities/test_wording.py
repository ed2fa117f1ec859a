"""An activity's 节超 in words as the lists show it through its course."""

from __future__ import annotations

import pytest

from app.domain.activities import Status
from app.services.activities.wording import budget_text, variance_so_far, variance_words


@pytest.mark.parametrize(
    ("status", "budget", "spent", "shown"),
    [
        (Status.DONE, 500_000, 450_000, "节约 500.00"),
        (Status.DONE, 500_000, 520_000, "超支 200.00"),
        (Status.DONE, 500_000, 500_000, "持平"),
        (Status.RUNNING, 500_000, 120_000, "未结束"),  # what is left is no saving yet
        (Status.RUNNING, 500_000, 520_000, "超支 200.00"),  # an overspend is said at once
        (Status.APPROVED, 500_000, 0, "未支出"),
        (Status.CANCELLED, 500_000, 120_000, "已取消"),
        (Status.DONE, 0, 105_000, "无活动预算"),  # imported from the ledger
        (Status.RUNNING, 0, 105_000, "无活动预算"),
        (Status.PLANNED, 0, 0, ""),
    ],
)
def test_variance_as_the_activity_goes(status: Status, budget: int, spent: int, shown: str) -> None:
    assert variance_so_far(status, budget, spent) == shown


def test_no_budget_is_a_dash_not_nothing_planned() -> None:
    assert budget_text(0) == "—" and budget_text(123_456) == "1,234.56"
    assert variance_words(0, 0) == "" and variance_words(0, 1) == "无活动预算"
