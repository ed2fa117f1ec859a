from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.db import Database
from app.domain.members import MemberInput
from app.services.roster.groups import add_group
from app.services.roster.index import IN_ROLL, RosterFilter, filter_rows, normalize_query
from app.services.roster.members import change_status, create_member
from app.services.roster.search import load_roster

TODAY = date(2026, 11, 20)
PEOPLE = [
    ("张伟", "11010519491231002X", "13800138000", "HD001", "在岗", False, ""),
    ("曾志伟", "440524198001010013", "13900001111", "HD002", "农民工", True, ""),
    ("王芳", "110105199003070025", "", "HD003", "在岗", False, "省部级"),
    ("单雄信", "110105198506150014", "0551-65321234", "", "劳务派遣", False, ""),
]


@pytest.fixture
def roster_db(db: Database) -> Database:
    with db.session() as session:
        production = add_group(session, "生产部", "分会")
        workshop = add_group(session, "一车间", "工会小组", production)
        office = add_group(session, "办公室")
        ids = []
        for i, (name, idn, phone, card, category, hardship, model) in enumerate(PEOPLE):
            data = MemberInput(
                name=name,
                id_number=idn,
                phone=phone,
                card_number=card,
                category=category,
                is_hardship=hardship,
                model_worker_level=model,
                group_id=workshop if i < 2 else office,
                joined_on=date(2010, 1, 1),
            )
            ids.append(create_member(session, data, today=TODAY))
        change_status(session, ids[3], "转出", date(2025, 1, 1), "调走", today=TODAY)
    return db


def names(db: Database, flt: RosterFilter) -> list[str]:
    with db.session() as session:
        roster = load_roster(session)
    return [roster.rows[i].name for i in filter_rows(roster.rows, flt, roster.groups)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("zw", ["张伟"]),
        ("zhangwei", ["张伟"]),
        ("ZW", ["张伟"]),
        ("zzw", ["曾志伟"]),
        ("zeng", ["曾志伟"]),
        ("伟", ["张伟", "曾志伟"]),
        ("shan", ["单雄信"]),
        ("19491231", ["张伟"]),
        ("002x", ["张伟"]),
        ("１３９０", ["曾志伟"]),
        ("65321234", ["单雄信"]),
        ("hd003", ["王芳"]),
        ("  王芳 ", ["王芳"]),
        ("nobody", []),
    ],
)
def test_search(roster_db: Database, text: str, expected: list[str]) -> None:
    assert sorted(names(roster_db, RosterFilter(text=text))) == sorted(expected)


def test_roster_is_in_pinyin_order(roster_db: Database) -> None:
    assert names(roster_db, RosterFilter()) == ["单雄信", "王芳", "曾志伟", "张伟"]


def test_filters(roster_db: Database) -> None:
    with roster_db.session() as session:
        roster = load_roster(session)
    production = next(g.id for g in roster.groups if g.name == "生产部")
    assert sorted(names(roster_db, RosterFilter(group_id=production))) == ["张伟", "曾志伟"]  # via 一车间
    assert names(roster_db, RosterFilter(status=IN_ROLL, text="")) == ["王芳", "曾志伟", "张伟"]
    assert names(roster_db, RosterFilter(status="已转出")) == ["单雄信"]
    assert sorted(names(roster_db, RosterFilter(female=True))) == ["张伟", "王芳"]
    assert names(roster_db, RosterFilter(migrant=True)) == ["曾志伟"]
    assert names(roster_db, RosterFilter(hardship=True)) == ["曾志伟"]
    assert names(roster_db, RosterFilter(model_worker=True)) == ["王芳"]
    assert names(roster_db, RosterFilter(category="劳务派遣")) == ["单雄信"]
    assert names(roster_db, RosterFilter(female=True, text="zw")) == ["张伟"]


def test_first_page_only(roster_db: Database) -> None:
    with roster_db.session() as session:
        assert len(load_roster(session, limit=2).rows) == 2


@given(st.text(max_size=12))
def test_query_normalisation_is_idempotent(text: str) -> None:
    once = normalize_query(text)
    assert normalize_query(once) == once
    assert once == once.strip()
