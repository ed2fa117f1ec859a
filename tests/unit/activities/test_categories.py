"""The category tree in a 账套: reading how ledgers write a category, the union's own
sub-categories and codes, the words it taught, and care occasions' categories."""

from __future__ import annotations

import pytest

from app.db import Database
from app.domain.care import Occasion
from app.services.activities import (
    add_category,
    care_categories,
    edit_category,
    load_matcher,
    load_tree,
    remember_words,
    set_care_category,
)
from app.services.errors import UserError


def test_ledger_words(db: Database) -> None:
    with db.reader() as s:
        spending, income = load_matcher(s), load_matcher(s, "收入")
    found = {w: (c.code if (c := spending.find(w)) else None) for w in (
        "职工活动支出—文体活动", "职工活动支出/文体活动", "文体活动费", "文体活动", "50102", "资本性支出",
        "职工活动支出—会员活动", "其他活动支出", "困难职工帮扶", "送温暖", "会费收入", "不认识的科目", "",
    )}  # fmt: skip
    assert found == {
        "职工活动支出—文体活动": "50102", "职工活动支出/文体活动": "50102", "文体活动费": "50102",
        "文体活动": "50102", "50102": "50102", "资本性支出": "505", "职工活动支出—会员活动": "50106",
        "其他活动支出": "50104", "困难职工帮扶": "50204", "送温暖": "50205", "会费收入": None,
        "不认识的科目": None, "": None,
    }  # fmt: skip
    assert income.find("  1.会费收入").code == "401"  # type: ignore[union-attr]
    assert income.find("行政补助").code == "405"  # type: ignore[union-attr]
    assert income.find("文体活动") is None


def test_the_union_s_own_sub_categories_and_words(db: Database) -> None:
    with db.session() as s:
        ball = add_category(s, "50102", "球类比赛")
        assert (ball.code, ball.kind, ball.depth) == ("5010201", "支出", 2)
        with pytest.raises(UserError, match="已有“球类比赛”"):
            add_category(s, "50102", "球类比赛")
        with pytest.raises(UserError, match="已被“文体活动费”使用"):
            add_category(s, "501", "读书活动", code="50102")
        with pytest.raises(UserError, match="没有编码为“999”的科目"):
            add_category(s, "999", "x")
        edit_category(s, ball.id, code="50102-1")
        remember_words(s, {"篮球赛费用": ball.id})
    with db.reader() as s:
        tree, matcher = load_tree(s), load_matcher(s)
    assert tree.path(ball.id) == "职工活动支出—文体活动费—球类比赛"
    assert tree.top(ball.id).code == "501" and ball.id in tree.below(tree.by_code["501"].id)
    assert matcher.find("篮球赛费用").code == "50102-1"  # type: ignore[union-attr]
    assert matcher.find("文体活动费/球类比赛").code == "50102-1"  # type: ignore[union-attr]


def test_care_occasions_spend_from_a_category(db: Database) -> None:
    with db.reader() as s:
        tree, mapping = load_tree(s), care_categories(s)
    assert {o.value for o in Occasion} <= set(mapping)  # every occasion has its category
    assert tree.by_id[mapping["送温暖"]].code == "50205" and tree.by_id[mapping["节日慰问"]].code == "50106"
    with db.session() as s:
        set_care_category(s, Occasion.FESTIVAL, "50104")
        with pytest.raises(UserError, match="支出科目"):
            set_care_category(s, Occasion.FESTIVAL, "401")
    with db.reader() as s:
        assert load_tree(s).by_id[care_categories(s)["节日慰问"]].code == "50104"
