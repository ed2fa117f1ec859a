"""困难职工档案 against a real 账套: opened with the household, income per head computed, one
open file per member, the 困难职工 flag following the file, the yearly review, closing and
reopening, the aid history from care records; the command line and the printed 档案表."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.cli import EXIT_INPUT, EXIT_OK
from app.db import Database
from app.domain.care import Occasion
from app.domain.idcard import check_character
from app.domain.members import MemberInput
from app.models import AuditEntry, Member
from app.services.care import (
    CareInput,
    HardshipInput,
    Relative,
    close_file,
    get_file,
    list_files,
    open_file,
    print_file,
    record_care,
    reopen_file,
    review_file,
    reviews_due,
    update_file,
)
from app.services.errors import UserError, ValidationError
from app.services.roster import add_group, create_member
from app.services.system import ProfileData, save_profile
from tests.unit.care.cli_support import run as cli
from tests.unit.printing.pdf_tools import fonts, page_count, text

TODAY = date(2026, 12, 1)
SPOUSE_ID = "11010519491231002X"


def id_number(n: int) -> str:
    first17 = f"3401041980{1 + n % 12:02d}{1 + n % 28:02d}{n:03d}"
    return first17 + check_character(first17)


@pytest.fixture
def members(db: Database) -> list[int]:
    with db.session() as session:
        save_profile(session, ProfileData(name="测试工会", province="安徽"))
        group = add_group(session, "一车间")
        return [
            create_member(
                session,
                MemberInput(name=name, id_number=id_number(n), joined_on=date(2010, 5, 1), group_id=group),
                today=TODAY,
            )
            for n, name in enumerate(("李娜", "赵敏"), start=1)
        ]


def household(member_id: int, **changes: object) -> HardshipInput:
    data = HardshipInput(
        member_id=member_id, category="低保边缘户", main_cause="大病", opened_on=date(2025, 11, 20),
        secondary_causes=("子女就学",), annual_income_fen=3_600_000, bank_name="工商银行",
        bank_account="6222 0212 3456 7890 123", account_holder="李娜", filer="王秀兰",
        relatives=(Relative("张伟", "配偶", SPOUSE_ID.lower(), "慢性病", 1_200_000, "无业"),
                   Relative("张小明", "子女", "", "健康", 0, "市一中")),
    )  # fmt: skip
    return dataclasses.replace(data, **changes)  # type: ignore[arg-type]


def flag(db: Database, member_id: int) -> bool:
    with db.reader() as session:
        return bool(session.scalar(select(Member.is_hardship).where(Member.id == member_id)))


def test_a_file_holds_the_household_and_computes_income_per_head(db: Database, members: list[int]) -> None:
    with db.session() as session:
        file_id = open_file(session, household(members[0]), today=TODAY)
    assert flag(db, members[0]) and not flag(db, members[1])
    with db.reader() as session:
        info = get_file(session, file_id)
        (row,) = list_files(session)
    assert (row.household_size, row.per_head_monthly_fen) == (3, 100_000)  # the worker and two relatives
    assert info.data.relatives[0].id_number == SPOUSE_ID  # checked and stored upper-case
    assert info.data.bank_account == "6222021234567890123" and row.bank_account == "6222***********0123"
    assert row.id_number.startswith("340104") and "*" in row.id_number
    assert row.review_due == date(2026, 11, 20) and row.status == "在档"


def test_bad_files_are_refused_naming_the_field(db: Database, members: list[int]) -> None:
    with db.session() as session, pytest.raises(ValidationError) as bad:
        open_file(session, household(members[0], category="贫困户", secondary_causes=("大病",),
                                     household_size=2, bank_account="6222-abc"), today=TODAY)  # fmt: skip
    errors = bad.value.errors
    assert set(errors) == {"category", "secondary_causes", "household_size", "bank_account"}
    assert "不能少于本人加上所列家庭成员（3 人）" in errors["household_size"]
    with db.session() as session, pytest.raises(ValidationError) as wrong_id:
        open_file(session, household(members[0], relatives=(Relative("张伟", "配偶", "110105194912310021"),)),
                  today=TODAY)  # fmt: skip
    assert "第 1 位家庭成员（张伟）的身份证号" in str(wrong_id.value) and "校验位" in str(wrong_id.value)
    # the household's income is everyone's: less than the relatives' alone is a slip of the pen
    with db.session() as session, pytest.raises(ValidationError) as short:
        open_file(session, household(members[0], annual_income_fen=1_000_000), today=TODAY)
    assert set(short.value.errors) == {"annual_income"}
    assert (
        "家庭年收入（10,000.00 元）少于所列家庭成员的年收入之和（12,000.00 元）"
        in short.value.errors["annual_income"]
    )
    assert not flag(db, members[0])
    with db.reader() as session:
        assert list_files(session, status="全部") == []


def test_one_open_file_per_member_and_the_flag_follows_it(db: Database, members: list[int]) -> None:
    with db.session() as session:
        file_id = open_file(session, household(members[0]), today=TODAY)
    with db.session() as session, pytest.raises(UserError) as twice:
        open_file(session, household(members[0]), today=TODAY)
    assert f"编号 {file_id}" in str(twice.value)
    with db.session() as session, pytest.raises(ValidationError) as later:
        close_file(session, file_id, date(2026, 12, 2), "脱困", today=TODAY)
    assert later.value.errors == {"day": "结案日期不能晚于今天"} and flag(db, members[0])
    with db.session() as session:
        close_file(session, file_id, date(2026, 10, 8), "脱困", "子女已工作")
    assert not flag(db, members[0])
    with db.reader() as session:
        assert list_files(session) == []
        (closed,) = list_files(session, status="已结案")
        assert (closed.status, closed.review_due) == ("已结案（脱困）", None)
        assert "子女已工作" in get_file(session, file_id).data.note
    with db.session() as session:
        reopen_file(session, file_id)
    assert flag(db, members[0])


def test_no_file_is_opened_for_someone_who_has_left(db: Database, members: list[int]) -> None:
    from app.services.roster.members import change_status

    with db.session() as session:
        change_status(session, members[0], "转出", date(2026, 9, 1), "调往外单位", today=TODAY)
    with db.session() as session, pytest.raises(UserError) as gone:
        open_file(session, household(members[0]), today=TODAY)
    assert "会籍状态是“已转出”，已不在册" in str(gone.value)
    with db.reader() as session:
        assert list_files(session, status="全部") == []
    with db.session() as session:
        change_status(session, members[1], "退休保留会籍", date(2026, 9, 1), "退休", today=TODAY)
        assert open_file(session, household(members[1]), today=TODAY) > 0  # 保留会籍: still on the roll


def test_review_moves_the_due_date_and_lists_what_is_due(db: Database, members: list[int]) -> None:
    with db.session() as session:
        first = open_file(session, household(members[0]), today=TODAY)
        second = open_file(session, household(members[1], opened_on=date(2026, 6, 1)), today=TODAY)
    with db.reader() as session:
        assert [r.id for r in reviews_due(session, TODAY)] == [first]  # due 2026-11-20, overdue
        assert [r.id for r in reviews_due(session, date(2027, 5, 15))] == [first, second]
    with db.session() as session, pytest.raises(ValidationError):
        review_file(session, first, TODAY, "  ")
    with db.session() as session:
        review_file(session, first, TODAY, "刘主席", "情况属实，继续帮扶")
    with db.reader() as session:
        assert reviews_due(session, TODAY) == []
        info = get_file(session, first)
    assert (info.row.reviewed_on, info.row.review_due) == (TODAY, date(2027, 12, 1))
    assert info.data.opinion == "情况属实，继续帮扶"


def test_correcting_a_file_replaces_the_household_and_is_audited(db: Database, members: list[int]) -> None:
    with db.session() as session:
        file_id = open_file(session, household(members[0]), today=TODAY)
    with db.session() as session:
        old = get_file(session, file_id).data
        update_file(session, file_id, dataclasses.replace(old, relatives=old.relatives[:1], household_size=0,
                                                           annual_income_fen=2_400_000), today=TODAY)  # fmt: skip
    with db.reader() as session:
        row = get_file(session, file_id).row
        tables = set(session.scalars(select(AuditEntry.entity)))
    assert (row.household_size, row.per_head_monthly_fen) == (2, 100_000)
    assert {"hardship_files", "hardship_relatives"} <= tables
    with db.session() as session, pytest.raises(UserError):
        update_file(session, file_id, household(members[1]), today=TODAY)


def test_the_aid_history_is_the_members_hardship_care(db: Database, members: list[int]) -> None:
    with db.session() as session:
        file_id = open_file(session, household(members[0]), today=TODAY)
        record_care(session, CareInput(Occasion.HARDSHIP, date(2026, 1, 15), members[0], cash_fen=200_000),
                    today=TODAY)  # fmt: skip
        record_care(session, CareInput(Occasion.SCHOOL_AID, date(2026, 8, 20), members[0], cash_fen=300_000,
                                       reason="考上大学"), today=TODAY)  # fmt: skip
        record_care(session, CareInput(Occasion.HOSPITAL, date(2026, 3, 2), members[0], cash_fen=50_000),
                    today=TODAY)  # fmt: skip
    with db.reader() as session:
        info = get_file(session, file_id)
    assert [r.occasion for r in info.aid] == ["困难帮扶", "金秋助学"]  # a hospital visit is not hardship aid
    assert (info.row.aid_count, info.row.aid_fen) == (2, 500_000)


def test_the_printed_file(db: Database, members: list[int], tmp_path: Path) -> None:
    with db.session() as session:
        file_id = open_file(session, household(members[0], situation="妻子患慢性病长期服药",
                                               note="2026年起由社区协助申报临时救助"), today=TODAY)  # fmt: skip
        record_care(session, CareInput(Occasion.HARDSHIP, date(2026, 1, 15), members[0], cash_fen=200_000),
                    today=TODAY)  # fmt: skip
    out = tmp_path / "档案表.pdf"
    with db.reader() as session:
        print_file(session, file_id, out)
    assert page_count(out) == 1
    assert [f.name for f in fonts(out) if not f.embedded] == []
    page = text(out).replace("\n", "")
    for expected in ("困难职工档案表", "测试工会", "李娜", "低保边缘户", "1,000.00 元", "张伟", "配偶",
                     "6222021234567890123", "妻子患慢性病长期服药", "帮扶记录（1 次，合计 2,000.00 元）",
                     "贰仟元整", "工会主席", "备注", "2026年起由社区协助申报临时救助"):  # fmt: skip
        assert expected in page, expected


def test_the_command_line(db: Database, members: list[int], capsys: pytest.CaptureFixture[str],
                          tmp_path: Path) -> None:  # fmt: skip
    union = str(db.path)
    db.close()
    code, out = cli(capsys, "--db", union, "hardship", "open", "李娜", "--category", "低保户", "--main-cause",
                    "下岗失业", "--income", "18000", "--family", "张伟,配偶,,健康,6000,临时工",
                    "--account", "6222021234567890123", "--date", "2026-03-01", "--json")  # fmt: skip
    assert code == EXIT_OK, out
    opened = json.loads(out)
    assert (opened["household_size"], opened["per_head_monthly_fen"]) == (2, 75_000)
    assert opened["bank_account"] == "6222***********0123"
    file_id = str(opened["id"])
    code, out = cli(capsys, "--db", union, "hardship", "open", "赵敏", "--category", "贫困户",
                    "--main-cause", "大病", "--income", "1")  # fmt: skip
    assert code != EXIT_OK and "贫困户" in out
    code, out = cli(capsys, "--db", union, "hardship", "open", "赵敏", "--category", "低保户",
                    "--main-cause", "大病", "--income", "1", "--family", "王五,配偶,123")  # fmt: skip
    assert code == EXIT_INPUT and "身份证号" in out
    code, out = cli(capsys, "--db", union, "hardship", "edit", file_id, "--income", "24000")
    assert code == EXIT_OK
    code, out = cli(capsys, "--db", union, "hardship", "show", file_id, "--json")
    shown = json.loads(out)
    assert shown["per_head_monthly_fen"] == 100_000 and shown["family"][0]["name"] == "张伟"
    assert shown["bank_account"] == "6222***********0123" and "*" in shown["id_number"]
    code, out = cli(capsys, "--db", union, "hardship", "show", file_id, "--reveal")
    assert "6222021234567890123" in out and id_number(1) in out
    code, out = cli(capsys, "--db", union, "hardship", "list", "--due", "--json")
    assert json.loads(out)["count"] == 0  # due 2027-03-01
    code, out = cli(capsys, "--db", union, "hardship", "review", file_id, "--reviewer", "刘主席")
    assert code == EXIT_OK and "下次复核" in out
    code, out = cli(capsys, "--db", union, "hardship", "close", file_id, "--reason", "脱困")
    assert code == EXIT_OK
    code, out = cli(capsys, "--db", union, "hardship", "list", "--json")
    assert json.loads(out)["count"] == 0
    code, out = cli(capsys, "--db", union, "hardship", "list", "--all", "--json")
    assert json.loads(out)["files"][0]["status"] == "已结案（脱困）"
    out_pdf = tmp_path / "f.pdf"
    code, out = cli(capsys, "--db", union, "hardship", "print", file_id, "--out", str(out_pdf))
    assert code == EXIT_OK and out_pdf.exists()
    code, out = cli(capsys, "--db", union, "hardship", "show", "99")
    assert code == EXIT_INPUT and "没有编号为 99 的困难职工档案" in out


def test_a_transfer_to_hardship_workers_takes_their_accounts_from_the_files(
    db: Database, members: list[int], tmp_path: Path
) -> None:
    from app.services.care import BatchInput, Chooser, create_batch, print_batch

    with db.session() as session:
        open_file(session, household(members[0]), today=TODAY)
        batch = create_batch(session, BatchInput(name="春节送温暖", occasion=Occasion.WARMTH, day=date(2026, 2, 10),
                                                 cash_fen=100_000, chooser=Chooser.HARDSHIP, pay_by="银行转账"),
                             today=TODAY)  # fmt: skip
    out = tmp_path / "转账.pdf"
    with db.reader() as session:
        assert print_batch(session, batch, out) == 1
    bank = text(out, page_count(out)).replace("\n", "")
    assert "银行转账明细" in bank and "6222021234567890123" in bank and "工商银行" in bank
    assert "已填的账号取自困难职工档案" in bank
