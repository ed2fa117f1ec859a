"""The care reminders (birthdays this month, retirement within three months, hardship reviews
due, over-cap records waiting for a reason) and the demo's year of care: batches, hardship
files, one flagged visit, every record within the rules."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.cli import EXIT_OK, main
from app.db import Database
from app.domain.care import IMPORTED_REASON, Occasion
from app.domain.idcard import check_character
from app.domain.members import MemberInput
from app.models import CareRecord
from app.services.care import (
    CareInput,
    HardshipInput,
    care_reminders,
    list_batches,
    list_care,
    list_files,
    open_file,
    record_care,
)
from app.services.roster import create_member
from app.services.system import ProfileData, save_profile
from app.services.system.demo import build_demo

TODAY = date(2026, 12, 1)


def id_number(birth: date, n: int, female: bool) -> str:
    sequence = f"{2 * n + (0 if female else 1):03d}"
    first17 = f"340104{birth:%Y%m%d}{sequence}"
    return first17 + check_character(first17)


def test_reminders(db: Database) -> None:
    people = [
        ("生日女", date(1990, 12, 20), "女", 55),  # birthday this month
        ("生日男", date(1985, 11, 30), "男", None),  # last month: not reminded
        ("将退休", date(1966, 9, 10), "男", None),  # 60 and a 6 months' delay → 2027-03: within three months
        ("晚退休", date(1967, 1, 10), "男", None),  # 60 and 7 months → 2027-08: not yet
    ]
    with db.session() as session:
        save_profile(session, ProfileData(name="测试工会", province="安徽"))
        ids = [
            create_member(
                session,
                MemberInput(
                    name=name,
                    gender=gender,
                    birth_date=birth,
                    id_number=id_number(birth, n, gender == "女"),
                    joined_on=date(2010, 5, 1),
                    female_original_retirement_age=age,
                ),
                today=TODAY,
            )
            for n, (name, birth, gender, age) in enumerate(people, start=1)
        ]
        open_file(session, HardshipInput(ids[2], "低保户", "大病", date(2025, 11, 1)), today=TODAY)
        open_file(session, HardshipInput(ids[3], "低保户", "大病", date(2026, 5, 1)), today=TODAY)
        record_care(session, CareInput(Occasion.HOSPITAL, date(2026, 3, 2), ids[0], cash_fen=150_000,
                                       reason=IMPORTED_REASON), today=TODAY)  # fmt: skip
        record_care(session, CareInput(Occasion.HOSPITAL, date(2026, 4, 2), ids[1], cash_fen=150_000,
                                       reason="大病，经委员会研究"), today=TODAY)  # fmt: skip
    with db.reader() as session:
        found = care_reminders(session, TODAY)
    assert [(p.name, p.day) for p in found.birthdays] == [("生日女", date(2026, 12, 20))]
    assert [(p.name, p.day) for p in found.retiring] == [("将退休", date(2027, 3, 1))]
    assert [r.name for r in found.reviews] == ["将退休"]  # opened 2025-11-01: due 2026-11-01
    assert [r.recipient for r in found.awaiting_reason] == ["生日女"]
    assert found.count == 4


def test_the_demo_year_of_care(db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with db.session() as session:
        build_demo(session, members=120, today=TODAY)
    with db.reader() as session:
        batches = {b.name: b for b in list_batches(session)}
        files = list_files(session)
        records = list_care(session, year=2026)
        days = list(session.scalars(select(CareRecord.day)))
    spring = batches["2026年春节送温暖"]
    assert spring.people == len(files) >= 1 and spring.total_fen == 100_000 * spring.people
    assert batches["2026年中秋节慰问"].people > 100
    assert days and max(days) <= TODAY
    over = [r for r in records if r.over_cap]
    assert len(over) == 1 and over[0].reason and not over[0].awaiting_reason
    assert {Occasion.HOSPITAL, Occasion.BIRTHDAY, Occasion.HARDSHIP} <= {
        Occasion(r.occasion) for r in records
    }
    assert all(f.aid_count >= 2 for f in files)  # the batch and the mid-year aid
    union = str(db.path)
    db.close()
    assert main(["--db", union, "check"]) == EXIT_OK
    capsys.readouterr()
    assert main(["--db", union, "care", "reminders", "--date", TODAY.isoformat(), "--json"]) == EXIT_OK
    reminders = json.loads(capsys.readouterr().out)
    assert set(reminders) == {"birthdays", "retiring", "reviews_due", "awaiting_reason"}
    assert reminders["awaiting_reason"] == []
