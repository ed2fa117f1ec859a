"""慰问事由用语: the shipped words with the union's own in their place; a word set, changed and
removed (back to the shipped meaning, or unknown); what may not be set; and `care words …`
through main()."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.cli import EXIT_INPUT, EXIT_OK, EXIT_USAGE
from app.db import Database
from app.domain.care import Occasion
from app.models import AuditEntry, CareWord
from app.services.care import list_words, remove_word, set_word
from app.services.care.words import OWN, SHIPPED, shipped_words, word_table
from app.services.errors import NotFoundError, UserError
from tests.unit.care.cli_support import run


def meanings(db: Database) -> dict[str, tuple[str, str, str]]:
    """Every listed word: (occasion, 细分, source)."""
    with db.reader() as session:
        return {w.word: (w.occasion.value, w.variant, w.source) for w in list_words(session)}


def test_the_shipped_table_is_listed_without_the_occasions_own_names(db: Database) -> None:
    listed = meanings(db)
    assert listed["添丁"] == ("生育", "", SHIPPED)
    assert listed["父亲去世"] == ("直系亲属去世", "父亲", SHIPPED)
    assert "住院" not in listed and "结婚" not in listed  # the occasions' names: always themselves
    assert set(listed) == set(shipped_words()) - {o.value for o in Occasion}
    with db.reader() as session:
        assert word_table(session)["住院"] == (Occasion.HOSPITAL, "")


def test_an_own_word_is_added_changed_and_removed(db: Database) -> None:
    with db.session() as session:
        info = set_word(session, " 病号 问候 ", "住院")
    assert (info.word, info.own, info.shipped, info.id is not None) == ("病号问候", True, None, True)
    assert meanings(db)["病号问候"] == ("住院", "", OWN)
    with db.session() as session:  # the same word again changes it, in place
        changed = set_word(session, "病号问候", "大病救助", "手术")
    assert changed.id == info.id and meanings(db)["病号问候"] == ("大病救助", "手术", OWN)
    with db.reader() as session:
        assert word_table(session)["病号问候"] == (Occasion.SERIOUS_ILLNESS, "手术")
        assert session.scalar(select(func.count()).select_from(CareWord)) == 1
        logged = session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "care_words")
        )
    assert logged == 2  # created, then changed: the audit log has both
    with db.session() as session:
        assert remove_word(session, "病号问候") is None  # nothing shipped: unknown again
    with db.reader() as session:
        assert "病号问候" not in word_table(session) and "病号问候" not in meanings(db)


def test_an_own_word_takes_the_place_of_the_shipped_one_until_removed(db: Database) -> None:
    with db.session() as session:
        info = set_word(session, "添丁", "其他")
    assert info.replaces == "生育" and meanings(db)["添丁"] == ("其他", "", OWN)
    with db.reader() as session:
        assert word_table(session)["添丁"] == (Occasion.OTHER, "")
    with db.session() as session:
        after = remove_word(session, "添丁")
    assert after is not None and after.meaning == "生育" and not after.own
    assert meanings(db)["添丁"] == ("生育", "", SHIPPED)


@pytest.mark.parametrize(
    ("word", "occasion", "variant", "message"),
    [
        ("看望", "慰问", "", "没有“慰问”这种事由"),
        ("看望", "住院", "很长" * 11, "细分不能超过 20 个字"),
        ("", "住院", "", "请填写"),
        ("看" * 41, "住院", "", "写法不能超过 40 个字"),
        ("住院", "结婚", "", "“住院”是事由本身的名称"),
    ],
)
def test_what_cannot_be_set(db: Database, word: str, occasion: str, variant: str, message: str) -> None:
    with db.session() as session, pytest.raises(UserError, match=message):
        set_word(session, word, occasion, variant)
    with db.reader() as session:
        assert session.scalar(select(func.count()).select_from(CareWord)) == 0


def test_only_an_own_word_can_be_removed(db: Database) -> None:
    with db.session() as session, pytest.raises(NotFoundError, match="程序自带的写法（指生育）"):
        remove_word(session, "添丁")
    with db.session() as session, pytest.raises(NotFoundError, match="没有添加过“看望”"):
        remove_word(session, "看望")


# -- the command line ------------------------------------------------------------------------------


@pytest.fixture
def union(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    db = str(tmp_path / "u.db")
    assert run(capsys, "--db", db, "init", "--name", "测试工会")[0] == EXIT_OK
    return db


def test_care_words_set_list_remove(union: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(
        capsys, "--db", union, "care", "words", "set", "外婆去世", "直系亲属去世", "--variant", "外祖母"
    )
    assert code == EXIT_OK and "已记住：“外婆去世”指直系亲属去世（外祖母）" in out
    code, out = run(capsys, "--db", union, "care", "words", "set", "添丁", "其他")
    assert code == EXIT_OK and "代替程序自带的“生育”" in out
    code, out = run(capsys, "--db", union, "care", "words", "list", "--json")
    assert code == EXIT_OK
    words = {w["word"]: w for w in json.loads(out)["words"]}
    assert words["外婆去世"]["occasion"] == "直系亲属去世" and words["外婆去世"]["variant"] == "外祖母"
    assert words["外婆去世"]["own"] and isinstance(words["外婆去世"]["id"], int)
    assert words["添丁"]["shipped"] == {"occasion": "生育", "variant": ""} and words["添丁"]["own"]
    assert not words["父亲去世"]["own"] and words["父亲去世"]["id"] is None
    code, out = run(capsys, "--db", union, "care", "words", "list")
    assert code == EXIT_OK and "添丁\t其他\t本单位（代替程序自带的“生育”）" in out
    code, out = run(capsys, "--db", union, "care", "words", "remove", "添丁")
    assert code == EXIT_OK and "按程序自带的意思读：指生育" in out
    code, out = run(capsys, "--db", union, "care", "words", "remove", "外婆去世")
    assert code == EXIT_OK and "不再认得" in out
    code, out = run(capsys, "--db", union, "care", "words", "remove", "外婆去世")
    assert code == EXIT_INPUT and "没有添加过“外婆去世”" in out
    code, out = run(capsys, "--db", union, "care", "words", "set", "看望", "慰问")
    assert code == EXIT_USAGE and "OCCASION" in out  # not an occasion: argparse names the choices
    code, out = run(capsys, "--db", union, "care", "words", "list", "--json")
    assert {w["word"] for w in json.loads(out)["words"] if w["own"]} == set()
