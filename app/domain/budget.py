"""The budget's pure rules: the category tree as shipped data, how ledgers write a category,
and the execution rate.

Glossary: 科目 a category (income line or spending category); 预算数 the budget; 已安排 what
approved activities have planned (committed); 已支出 spent; 执行率 spent ÷ budget.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from app.domain.text import remove_spaces, to_halfwidth

INCOME = "收入"
SPENDING = "支出"
WARN_SHARE = Decimal("0.8")  # 80 % used: a warning; 100 %: over

# how ledgers join a category to its sub-category: 职工活动支出—文体活动, 职工活动支出/文体活动
_PATH = re.compile(r"[—–\-－/／\\>＞·:：|]+")
_NUMBERING = re.compile(r"^(?:[（(]?[一二三四五六七八九十\d]+[)）、.．]|其中[:：]?)+")
_SUFFIXES = ("支出", "费用", "经费", "费", "收入")


@dataclass(frozen=True)
class ShippedCategory:
    code: str
    name: str
    kind: str  # INCOME or SPENDING
    parent_code: str | None
    words: tuple[str, ...]


def parse_tree(data: dict[str, Any]) -> list[ShippedCategory]:
    """The shipped tree (resources/budget_categories.json), parents before children."""
    found: list[ShippedCategory] = []

    def add(entries: list[dict[str, Any]], kind: str, parent: str | None) -> None:
        for entry in entries:
            found.append(
                ShippedCategory(entry["code"], entry["name"], kind, parent, tuple(entry.get("words", ())))
            )
            add(entry.get("children", []), kind, entry["code"])

    add(data["income"], INCOME, None)
    add(data["spending"], SPENDING, None)
    return found


def word_key(text: str) -> str:
    """A category as written, compared without spaces, full-width forms or numbering
    ("  1.会费收入" and "会费收入" are one word)."""
    return _NUMBERING.sub("", remove_spaces(to_halfwidth(text)))


def bare_name(name: str) -> str:
    """A name without the suffix ledgers add or leave out: 文体活动费 → 文体活动."""
    key = word_key(name)
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            return key[: -len(suffix)]
    return key


def path_parts(text: str) -> list[str]:
    """A category written with its parent (职工活动支出—文体活动) as its parts, outermost first."""
    return [part for part in (word_key(p) for p in _PATH.split(word_key(text))) if part]


def percent(part: int, whole: int | None) -> Decimal | None:
    """``part`` of ``whole`` in per cent with one decimal, rounded half up; None without a
    budget (never set, or zero). Short of the whole it is never 100.0: 99.99 % collected is
    99.9 %, not a 收缴率 of 100.0 % beside dues still owed."""
    if not whole:
        return None
    rate = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return Decimal("99.9") if part < whole and rate >= 100 else rate


def usage_level(spent: int, budget: int | None) -> str:
    """ "" within budget, "接近" at 80 % or more, "超支" over 100 %, "无预算" spent without one."""
    if budget is None:
        return "无预算" if spent else ""
    if spent > budget:
        return "超支"
    if budget and spent >= budget * WARN_SHARE:
        return "接近"
    return ""
