"""An activity's 节超 in words as the lists show it through its course."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.activities import Status
from app.services.activities.wording import (
    budget_text,
    final_status_note,
    line_variance,
    variance_so_far,
    variance_words,
)


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


@pytest.mark.parametrize(
    ("status", "budget", "spent", "shown"),
    [
        (Status.DONE, 600_000, 590_000, "节约 100.00"),
        (Status.RUNNING, 600_000, 590_000, "未结束"),
        (Status.APPROVED, 600_000, 0, "未结束"),
        (Status.CANCELLED, 600_000, 590_000, "已取消"),
        (Status.CANCELLED, 45_050, 52_000, "超支 69.50"),  # money spent beyond the line all the same
    ],
)
def test_a_final_account_line_saves_only_once_the_activity_is_over(
    status: Status, budget: int, spent: int, shown: str
) -> None:
    assert line_variance(status, budget, spent) == shown


def test_a_final_account_says_first_when_its_figures_are_not_final() -> None:
    day = date(2026, 5, 2)
    assert final_status_note(Status.DONE, day) == ""
    assert "已取消" in final_status_note(Status.CANCELLED, day)
    assert final_status_note(Status.RUNNING, day).startswith(
        "本活动尚未结束（进行中）：表中是截至2026年5月2日"
    )
