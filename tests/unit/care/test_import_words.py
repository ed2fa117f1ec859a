"""The register's own words for occasions: a word nothing recognises is a question with the rows
it is on (and an error row until answered); answered, its rows import and the word is
remembered in the import's transaction, so the same file again asks nothing; the union's own
words are read like the shipped ones; `care import --word` through main()."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.cli import EXIT_INPUT, EXIT_OK, EXIT_USAGE
from app.db import Database
from app.domain.care import Occasion
from app.models import CareRecord, CareWord
from app.services.care import CareImporter, CareImportOptions, set_word, word_answer
from app.services.errors import UserError
from app.services.imports import Answer
from app.services.system import ProfileData, save_profile
from tests.unit.care.cli_support import run
from tests.unit.dues.import_support import add_member, id_number, import_file, issues, plan_file, write_xlsx

TODAY = date(2026, 12, 1)
HEAD = ["日期", "姓名", "身份证号", "事由", "慰问金"]


@pytest.fixture
def zhang(db: Database) -> int:
    with db.session() as session:
        save_profile(session, ProfileData(name="测试工会", province="安徽"))
    return add_member(db, "张伟", id_number(1), "生产部")


def importer(**answers: tuple[str, str]) -> CareImporter:
    given = {("occasion", word): Answer(*meaning) for word, meaning in answers.items()}
    return CareImporter(CareImportOptions(today=TODAY, year=2026, answers=given))


def register(tmp_path: Path) -> Path:
    """Rows 2–5: 看望 twice, 外婆去世 once, and a word the program ships (添丁)."""
    person = ["张伟", id_number(1)]
    return write_xlsx(tmp_path / "登记.xlsx", [
        HEAD,
        ["3月2日", *person, "看望", 500],
        ["4月9日", *person, "外婆 去世", 800],
        ["5月20日", *person, "添丁", 600],
        ["6月1日", *person, "看望", 300],
    ])  # fmt: skip


def records(db: Database) -> list[tuple[date, str, str, int]]:
    with db.reader() as session:
        query = select(CareRecord.day, CareRecord.occasion, CareRecord.variant, CareRecord.cash_fen)
        return [tuple(r) for r in session.execute(query.order_by(CareRecord.day))]  # type: ignore[misc]


def own_words(db: Database) -> dict[str, tuple[str, str]]:
    with db.reader() as session:
        return {w.word: (w.occasion, w.variant) for w in session.scalars(select(CareWord))}


def test_unknown_words_are_asked_with_their_rows(db: Database, zhang: int, tmp_path: Path) -> None:
    plan = plan_file(db, importer(), register(tmp_path))
    assert [(q.value, q.rows, q.column) for q in plan.questions] == [
        ("看望", (2, 5), "事由"),
        ("外婆去世", (3,), "事由"),
    ]
    question = plan.questions[0]
    assert question.key == ("occasion", "看望") and question.choices == tuple(o.value for o in Occasion)
    assert question.detail == "细分" and "父亲" in question.details["直系亲属去世"]
    assert "春节" in question.details["节日慰问"] and "手术" in question.details["住院"]
    found = issues(plan)
    assert [(row, column) for row, column, _ in found] == [(2, "事由"), (3, "事由"), (5, "事由")]
    assert "不认识的慰问事由“外婆去世”" in found[1][2]
    assert "--word 外婆去世=事由" in found[1][2] and "care words set 外婆去世" in found[1][2]
    assert plan.count("new") == 1  # 添丁: the shipped table
    assert own_words(db) == {}  # planning writes nothing


def test_answered_words_import_and_are_remembered(db: Database, zhang: int, tmp_path: Path) -> None:
    path = register(tmp_path)
    answered = importer(看望=("住院", ""), 外婆去世=("直系亲属去世", "外祖母"))
    plan = plan_file(db, answered, path)
    assert plan.questions == [] and issues(plan) == [] and plan.count("new") == 4
    assert any("记住慰问事由的写法" in n and "“外婆去世”指直系亲属去世（外祖母）" in n for n in plan.notes)
    assert own_words(db) == {}  # not before the import is written
    _, result = import_file(db, answered, path)
    assert result.new == 4
    assert records(db) == [
        (date(2026, 3, 2), "住院", "", 50_000),
        (date(2026, 4, 9), "直系亲属去世", "外祖母", 80_000),
        (date(2026, 5, 20), "生育", "", 60_000),
        (date(2026, 6, 1), "住院", "", 30_000),
    ]
    assert own_words(db) == {"看望": ("住院", ""), "外婆去世": ("直系亲属去世", "外祖母")}
    again = plan_file(db, importer(), path)  # the same file, nothing answered: nothing to ask
    assert again.questions == [] and issues(again) == [] and again.count("unchanged") == 4
    _, result = import_file(db, importer(), path)
    assert (result.new, result.unchanged) == (0, 4) and len(records(db)) == 4


def test_a_partial_answer_leaves_the_rest_as_errors(db: Database, zhang: int, tmp_path: Path) -> None:
    path = register(tmp_path)
    plan = plan_file(db, importer(看望=("住院", "")), path)
    assert [q.value for q in plan.questions] == ["外婆去世"]
    assert [(row, column) for row, column, _ in issues(plan)] == [(3, "事由")]
    _, result = import_file(db, importer(看望=("住院", "")), path, skip_invalid=True)
    assert (result.new, result.invalid) == (3, 1)
    assert own_words(db) == {"看望": ("住院", "")}


def test_the_unions_own_words_are_read_and_an_answer_like_the_table_is_not_kept(
    db: Database, zhang: int, tmp_path: Path
) -> None:
    with db.session() as session:
        set_word(session, "看望", "大病救助")
        set_word(session, "外婆去世", "直系亲属去世", "外祖母")
        set_word(session, "添丁", "其他")  # in place of the shipped 生育
    path = register(tmp_path)
    plan = plan_file(db, importer(), path)
    assert plan.questions == [] and issues(plan) == []
    assert not any("记住" in n for n in plan.notes)
    import_file(db, importer(外婆去世=("直系亲属去世", "外祖母")), path)  # what the table says already
    assert [(day.month, occasion, variant) for day, occasion, variant, _ in records(db)] == [
        (3, "大病救助", ""), (4, "直系亲属去世", "外祖母"), (5, "其他", ""), (6, "大病救助", ""),
    ]  # fmt: skip
    with db.reader() as session:
        assert len(list(session.scalars(select(CareWord)))) == 3  # nothing added for the answer


def test_an_answer_that_cannot_be_kept_is_refused(db: Database, zhang: int, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="没有“看病”这种事由"):
        plan_file(db, importer(看望=("看病", "")), register(tmp_path))
    with pytest.raises(UserError, match="“结婚”是事由本身的名称"):
        word_answer("结婚", "生育")
    assert word_answer(" 看 望 ", "住院", " 手术 ") == (("occasion", "看望"), Answer("住院", "手术"))


# -- the command line ------------------------------------------------------------------------------


def test_care_import_with_word(
    db: Database, zhang: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, union = register(tmp_path), str(db.path)
    db.close()
    code, out = run(capsys, "--db", union, "care", "import", str(path), "--year", "2026")
    assert code == EXIT_INPUT and "不认识的慰问事由“看望”" in out and "--word 看望=事由" in out
    code, out = run(capsys, "--db", union, "care", "import", str(path), "--word", "看望=慰问")
    assert code == EXIT_USAGE and "没有“慰问”这种事由" in out
    code, out = run(capsys, "--db", union, "care", "import", str(path), "--year", "2026", "--json",
                    "--word", "看望=住院", "--word", "外婆去世＝直系亲属去世：外祖母")  # fmt: skip
    assert code == EXIT_OK, out
    summary = json.loads(out)
    assert (summary["new"], summary["errors"], summary["written"]) == (4, [], True)
    code, out = run(capsys, "--db", union, "care", "words", "list", "--json")
    own = {w["word"]: (w["occasion"], w["variant"]) for w in json.loads(out)["words"] if w["own"]}
    assert own == {"看望": ("住院", ""), "外婆去世": ("直系亲属去世", "外祖母")}
    code, out = run(capsys, "--db", union, "care", "import", str(path), "--year", "2026", "--json")
    assert code == EXIT_OK and (json.loads(out)["unchanged"], json.loads(out)["errors"]) == (4, [])
