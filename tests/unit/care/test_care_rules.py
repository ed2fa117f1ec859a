"""The national care rules and the province presets (RULES §2): what a record may be, and
when it needs a written reason."""

from __future__ import annotations

import json
from datetime import date

import pytest

from app.domain.care import (
    FORBIDDEN_RULE,
    Cap,
    CareItem,
    Occasion,
    Policy,
    check_care,
    forbidden_goods,
    parse_presets,
)
from app.domain.yearmonth import YearMonth
from app.paths import resource


@pytest.fixture(scope="module")
def presets() -> dict[str, list[Cap]]:
    return parse_presets(json.loads(resource("care_policies.json").read_text(encoding="utf-8")))


def anhui(presets: dict[str, list[Cap]]) -> Policy:
    return Policy(presets["安徽"])


def test_the_presets_are_the_rules_table_in_fen(presets: dict[str, list[Cap]]) -> None:
    assert sorted(presets) == sorted(["安徽", "贵州", "山东", "福建", "湖北", "广东"])
    caps = {(c.occasion, c.variant): c for c in presets["安徽"]}
    assert caps[(Occasion.FESTIVAL, "")].per_year_fen == 150_000
    assert caps[(Occasion.HOSPITAL, "")].per_occurrence_fen == 100_000
    assert caps[(Occasion.MEMBER_DEATH, "")].per_occurrence_fen == 200_000
    assert {c.effective_from for c in presets["安徽"]} == {YearMonth(2018, 1)}
    guizhou = {(c.occasion, c.variant): c for c in presets["贵州"]}
    assert guizhou[(Occasion.FESTIVAL, "春节")].per_year_fen == 50_000
    assert guizhou[(Occasion.FESTIVAL, "中秋")].per_year_fen == 20_000
    assert guizhou[(Occasion.HOSPITAL, "手术")].per_occurrence_fen == 100_000
    assert (Occasion.MARRIAGE, "") not in {(c.occasion, c.variant) for c in presets["山东"]}  # "–" is no cap


@pytest.mark.parametrize(
    ("goods", "forbidden"),
    [("超市购物卡", True), ("代金券 200 元", True), ("现 金 券", True), ("生日蛋糕券（指定蛋糕店）", False),
     ("大米、食用油", False), ("", False)],
)  # fmt: skip
def test_shopping_cards_and_vouchers_are_told_from_a_cake_voucher(goods: str, forbidden: bool) -> None:
    assert forbidden_goods(goods) is forbidden


def test_a_shopping_card_is_refused_with_the_rule_quoted(presets: dict[str, list[Cap]]) -> None:
    card = CareItem(Occasion.BIRTHDAY, date(2026, 9, 28), goods="超市购物卡", goods_fen=30_000)
    findings = check_care(card, [], anhui(presets))
    assert len(findings) == 1 and findings[0].refused and FORBIDDEN_RULE in findings[0].message


def test_over_a_cap_needs_a_reason_and_says_by_how_much(presets: dict[str, list[Cap]]) -> None:
    policy = anhui(presets)
    visit = CareItem(Occasion.HOSPITAL, date(2026, 9, 12), cash_fen=120_000)
    (finding,) = check_care(visit, [], policy)
    assert not finding.refused and "每次不超过 1,000.00 元，这次 1,200.00 元" in finding.message
    assert check_care(CareItem(Occasion.HOSPITAL, date(2026, 9, 12), cash_fen=100_000), [], policy) == []


def test_the_festival_total_counts_the_members_year(presets: dict[str, list[Cap]]) -> None:
    policy = anhui(presets)
    spring = CareItem(Occasion.FESTIVAL, date(2026, 2, 10), goods="年货", goods_fen=80_000, variant="春节")
    autumn = CareItem(Occasion.FESTIVAL, date(2026, 9, 20), goods="月饼", goods_fen=80_000, variant="中秋")
    last_year = CareItem(Occasion.FESTIVAL, date(2025, 9, 20), goods="月饼", goods_fen=80_000, variant="中秋")
    (finding,) = check_care(autumn, [spring, last_year], policy)
    assert "每人每年不超过 1,500.00 元，2026年连这次共 1,600.00 元" in finding.message
    assert check_care(autumn, [last_year], policy) == []


def test_a_variant_has_its_own_cap_and_falls_back_to_the_occasions(presets: dict[str, list[Cap]]) -> None:
    policy = Policy(presets["贵州"])
    surgery = CareItem(Occasion.HOSPITAL, date(2026, 5, 1), cash_fen=90_000, variant="手术")
    plain = CareItem(Occasion.HOSPITAL, date(2026, 5, 1), cash_fen=90_000)
    assert check_care(surgery, [], policy) == []
    assert "每次不超过 500.00 元" in check_care(plain, [], policy)[0].message
    spring = CareItem(Occasion.FESTIVAL, date(2026, 2, 1), goods="年货", goods_fen=40_000, variant="春节")
    mid_autumn = CareItem(Occasion.FESTIVAL, date(2026, 9, 1), goods="月饼", goods_fen=40_000, variant="中秋")
    assert check_care(spring, [], policy) == []
    assert "中秋" in check_care(mid_autumn, [spring], policy)[0].message  # 200 each, not the spring's 500


def test_a_count_cap_and_a_later_dated_cap(presets: dict[str, list[Cap]]) -> None:
    local = Cap(Occasion.HOSPITAL, YearMonth(2026, 7), per_occurrence_fen=150_000, per_year_count=2)
    policy = Policy([*presets["安徽"], local])
    visits = [CareItem(Occasion.HOSPITAL, date(2026, m, 1), cash_fen=120_000) for m in (7, 8)]
    assert check_care(visits[0], [], policy) == []  # the union's own cap from July: 1,500
    june = CareItem(Occasion.HOSPITAL, date(2026, 6, 1), cash_fen=120_000)
    assert check_care(june, [], policy)  # before July the province's 1,000 applies
    third = CareItem(Occasion.HOSPITAL, date(2026, 9, 1), cash_fen=50_000)
    (finding,) = check_care(third, visits, policy)
    assert "每人每年不超过 2 次，这是2026年第 3 次" in finding.message


def test_a_form_the_occasion_does_not_take_needs_a_reason(presets: dict[str, list[Cap]]) -> None:
    cash_festival = CareItem(Occasion.FESTIVAL, date(2026, 2, 1), cash_fen=50_000)
    (finding,) = check_care(cash_festival, [], anhui(presets))
    assert not finding.refused and "节日慰问一般发放物品，这次是现金" in finding.message
    married = CareItem(Occasion.MARRIAGE, date(2026, 5, 1), cash_fen=60_000)
    assert check_care(married, [], anhui(presets)) == []
    nothing = CareItem(Occasion.BIRTHDAY, date(2026, 5, 1))
    assert check_care(nothing, [], anhui(presets))[0].refused
