"""Hardship files (困难职工档案, RULES §6) as the rules have them: the categories, the causes,
the household's income per head, and when a file is due for its yearly review.

Glossary: 低保户 household on minimum living allowance; 低保边缘户 just above it; 意外致困户
household in hardship after an accident; 脱困 out of hardship (the file is closed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.yearmonth import YearMonth

CATEGORIES = ("低保户", "低保边缘户", "意外致困户")
CAUSES = (
    "丧失劳动能力", "有劳动能力未就业", "下岗失业", "无社会保险", "社会保险待遇未落实",
    "大病", "自然灾害", "意外事故", "子女就学", "其他",
)  # fmt: skip
MAX_SECONDARY_CAUSES = 3
CLOSE_REASONS = ("脱困", "退出")  # out of hardship; left the file for another reason
RELATIONS = ("配偶", "子女", "父亲", "母亲", "岳父", "岳母", "公公", "婆婆", "兄弟姐妹", "孙子女", "其他")
HEALTH = ("健康", "慢性病", "大病", "残疾", "丧失劳动能力")


REVIEW_EVERY_MONTHS = 12  # files are reviewed yearly


def monthly_income_per_head_fen(annual_income_fen: int, household_size: int) -> int:
    """The household's monthly income per head, in fen, rounded half up (the figure the
    低保 thresholds are compared with)."""
    if household_size <= 0:
        raise ValueError("household_size must be positive")
    months = household_size * 12
    return (annual_income_fen * 2 + months) // (months * 2)


def cause_problems(main: str, secondary: tuple[str, ...]) -> list[str]:
    """What is wrong with the causes chosen, in Chinese (empty when nothing)."""
    problems: list[str] = []
    if main not in CAUSES:
        problems.append(f"主要致困原因应是{'、'.join(CAUSES)}之一")
    unknown = [c for c in secondary if c not in CAUSES]
    if unknown:
        problems.append(f"不认识的次要致困原因：{'、'.join(unknown)}")
    if len(secondary) > MAX_SECONDARY_CAUSES:
        problems.append(f"次要致困原因最多选 {MAX_SECONDARY_CAUSES} 项")
    if main in secondary:
        problems.append("次要致困原因不要与主要原因重复")
    if len(set(secondary)) != len(secondary):
        problems.append("次要致困原因有重复")
    return problems


@dataclass(frozen=True)
class ReviewState:
    last: date  # the last review, or the day the file was opened
    due: date  # the day the next yearly review falls due

    def is_due(self, today: date, *, within_days: int = 0) -> bool:
        return (self.due - today).days <= within_days


def review_state(opened_on: date, reviewed_on: date | None) -> ReviewState:
    """When a file's next yearly review falls due: a year after its last review (or opening);
    29 February falls due on the last day of the month a year on."""
    last = max(opened_on, reviewed_on) if reviewed_on else opened_on
    month = YearMonth.of(last).add_months(REVIEW_EVERY_MONTHS)
    day = min(last.day, month.last_day().day)
    return ReviewState(last, date(month.year, month.month, day))
