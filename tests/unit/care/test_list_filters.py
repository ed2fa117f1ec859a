"""Narrowing the care records (and the 签领表 printed from them) to a group and its subgroups,
and to the records over a cap."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.db import Database
from app.domain.care import Occasion
from app.domain.idcard import check_character
from app.domain.members import MemberInput
from app.services.care import CareInput, list_care, print_records, record_care
from app.services.roster import add_group, create_member
from app.services.system import ProfileData, save_profile
from tests.unit.printing.pdf_tools import text

TODAY = date(2026, 12, 1)


def id_number(n: int) -> str:
    first17 = f"3401041980{1 + n % 12:02d}{1 + n % 28:02d}{n:03d}"
    return first17 + check_character(first17)


def test_a_group_takes_its_subgroups_and_over_cap_only_the_flagged(db: Database, tmp_path: Path) -> None:
    with db.session() as session:
        save_profile(session, ProfileData(name="测试工会", province="安徽"))
        production = add_group(session, "生产部")
        workshop = add_group(session, "一车间", parent_id=production)
        office = add_group(session, "办公室")
        ids = [
            create_member(
                session,
                MemberInput(name=name, id_number=id_number(n), joined_on=date(2010, 5, 1), group_id=group),
                today=TODAY,
            )
            for n, (name, group) in enumerate((("甲", production), ("乙", workshop), ("丙", office)), start=1)
        ]
        for member_id, cash, reason in (
            (ids[0], 50_000, ""),
            (ids[1], 150_000, "手术"),
            (ids[2], 150_000, "大病"),
        ):
            record_care(session, CareInput(Occasion.HOSPITAL, date(2026, 3, 2), member_id, cash_fen=cash,
                                           reason=reason), today=TODAY)  # fmt: skip
        record_care(session, CareInput(Occasion.MEMBER_DEATH, date(2026, 4, 2), None, "丁的家属", cash_fen=100_000),
                    today=TODAY)  # fmt: skip
    with db.reader() as session:
        assert [r.recipient for r in list_care(session, group_id=production)] == ["甲", "乙"]
        assert [r.recipient for r in list_care(session, group_id=workshop)] == ["乙"]
        assert [r.recipient for r in list_care(session, over_cap_only=True)] == ["乙", "丙"]
        assert [r.recipient for r in list_care(session, group_id=production, over_cap_only=True)] == ["乙"]
        out = tmp_path / "生产部.pdf"
        people = print_records(session, out, first=date(2026, 1, 1), last=TODAY, group_id=production,
                               over_cap_only=True)  # fmt: skip
    page = text(out).replace("\n", "")
    assert people == 1 and "生产部" in page and "超过标准的" in page and "乙" in page and "丙" not in page
