"""The budget's pure rules: how ledgers write a category, the execution rate's rounding, the
80 % and 100 % levels, and the activity limits with their dates."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from app.domain.activities import (
    Kind,
    Limit,
    Limits,
    Line,
    Rule,
    applying,
    check_activity,
    check_line,
    parse_limits,
)
from app.domain.budget import (
    INCOME,
    SPENDING,
    bare_name,
    parse_tree,
    path_parts,
    percent,
    usage_level,
    word_key,
)
from app.paths import resource


def test_words_as_ledgers_write_them() -> None:
    assert word_key("  1.会费收入") == "会费收入"
    assert word_key("（二）其中：文体活动") == "文体活动"
    assert word_key("二、支出合计") == "支出合计"
    assert bare_name("文体活动费") == "文体活动" and bare_name("职工活动支出") == "职工活动"
    assert bare_name("会费") == "会费"  # too short to lose its ending
    assert path_parts("职工活动支出—文体活动") == ["职工活动支出", "文体活动"]
    assert path_parts("职工活动支出／文体活动") == ["职工活动支出", "文体活动"]
    assert path_parts("职工活动支出 - 文体活动") == ["职工活动支出", "文体活动"]


def test_execution_rate_and_levels() -> None:
    assert percent(9_390_000, 13_500_000) == Decimal("69.6")
    assert percent(1, 8) == Decimal("12.5")
    assert percent(1, 16) == Decimal("6.3")  # 6.25 rounds half up
    assert percent(5, None) is None and percent(5, 0) is None
    # short of the whole is never 100.0: 1,999,999 of 2,000,000 collected still leaves a fen owed
    assert percent(1_999_999, 2_000_000) == Decimal("99.9") and percent(2_000_000, 2_000_000) == 100
    assert percent(2_000_100, 2_000_000) == Decimal("100.0")  # more than the whole: as it is
    assert [usage_level(s, 1000) for s in (0, 799, 800, 1000, 1001)] == ["", "", "接近", "接近", "超支"]
    assert usage_level(10, None) == "无预算" and usage_level(0, None) == ""


def test_the_shipped_tree() -> None:
    tree = parse_tree(json.loads(resource("budget_categories.json").read_text(encoding="utf-8")))
    codes = {c.code: c for c in tree}
    assert len(codes) == len(tree)  # codes are unique
    assert codes["401"].name == "会费收入" and codes["401"].kind == INCOME
    assert codes["50102"].parent_code == "501" and codes["50102"].kind == SPENDING
    assert codes["50205"].name == "送温暖费" and codes["50204"].name == "困难职工帮扶费"
    seen: set[str] = set()
    for category in tree:  # parents come before their children
        assert category.parent_code is None or category.parent_code in seen
        seen.add(category.code)


def test_limits_by_date_kind_and_province() -> None:
    presets = parse_limits(json.loads(resource("activity_policies.json").read_text(encoding="utf-8")))
    anhui = applying(presets, "安徽", [])
    outing = anhui.get(Rule.OUTING_DAYS, date(2026, 10, 5), Kind.MEMBERS)
    assert outing is not None and outing.value == 1
    assert anhui.get(Rule.MEAL, date(2026, 1, 1)) is None  # no known figure for 安徽
    own = [
        Limit(Rule.MEAL, 3_000, date(2026, 7, 1)),
        Limit(Rule.PER_HEAD, 10_000, date(2026, 1, 1), Kind.MEMBERS),
    ]
    mine = applying(presets, "湖南", own)
    assert mine.get(Rule.MEAL, date(2026, 6, 30)).value == 4_000  # type: ignore[union-attr]  # 湖南's until July
    assert mine.get(Rule.MEAL, date(2026, 7, 1)).value == 3_000  # type: ignore[union-attr]
    assert mine.get(Rule.PER_HEAD, date(2026, 3, 1), Kind.SPORTS) is None  # that one is for 会员活动 only


def test_line_and_activity_checks() -> None:
    limits = Limits([Limit(Rule.MEAL, 5_000, date(2020, 1, 1)), Limit(Rule.PRIZE_SHARE, 667, date(2020, 1, 1)),
                     Limit(Rule.OUTING_DAYS, 1, date(2020, 1, 1)), Limit(Rule.PER_HEAD, 20_000, date(2020, 1, 1))])  # fmt: skip
    day = date(2026, 5, 1)
    assert check_line(Line("午餐", 200_000, 40), None, day, limits) == []
    assert check_line(Line("午餐", 200_100, 40), None, day, limits)  # 0.025 yuan a head over
    assert check_line(Line("工作餐", 150_100), 30, day, limits)  # heads from the participants
    assert check_line(Line("奖品", 1, 20), 30, day, limits) == []  # 20 of 30 is two thirds
    assert check_line(Line("奖品", 1, 21), 30, day, limits)
    assert check_line(Line("场地", 900_000_00, 1), 1, day, limits) == []  # no limit on rent
    assert check_activity("秋季一日游", Kind.MEMBERS, day, day, 10, 200_000, limits) == []
    (days,) = check_activity("春游", Kind.MEMBERS, day, date(2026, 5, 2), 10, 100_000, limits)
    assert "这次 2 天" in days
    (per_head,) = check_activity("观影", Kind.MEMBERS, day, None, 10, 200_001, limits)
    assert "每人每天 200.00 元" in per_head
    assert (
        check_activity("篮球赛", Kind.SPORTS, day, date(2026, 5, 2), 10, 400_000, limits) == []
    )  # not an outing
