"""The care paperwork read back from the PDFs: the 签领表 of a batch (a subtotal per page that is
the sum of that page, the total in figures and capitals, the signature lines, the bank table
for a transfer), of a period, and one record's 领取单 on A5 landscape."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from app.db import Database
from app.domain.care import Occasion
from app.domain.idcard import check_character
from app.domain.members import MemberInput
from app.domain.money import amount_in_capitals, format_fen
from app.services.care import (
    BatchInput,
    CareInput,
    Chooser,
    create_batch,
    list_care,
    print_batch,
    print_records,
    print_voucher,
    record_care,
)
from app.services.errors import UserError
from app.services.roster import add_group, create_member
from app.services.system import ProfileData, save_profile
from tests.unit.printing.pdf_tools import fonts, page_count, text

TODAY = date(2026, 12, 1)
PEOPLE = 32  # three pages of 15, 15 and 2


GIVEN = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥春夏秋冬梅兰竹菊松柏"


def name(n: int) -> str:
    return f"张{GIVEN[n - 1]}"


def id_number(n: int) -> str:
    first17 = f"3401041980{1 + n % 12:02d}{1 + n % 28:02d}{n:03d}"
    return first17 + check_character(first17)


@pytest.fixture
def batch(db: Database) -> int:
    with db.session() as session:
        save_profile(session, ProfileData(name="测试机械厂工会委员会", province="安徽"))
        group = add_group(session, "一车间")
        for n in range(1, PEOPLE + 1):
            data = MemberInput(
                name=name(n), id_number=id_number(n), joined_on=date(2010, 5, 1), group_id=group
            )
            create_member(session, data, today=TODAY)
        # amounts differ so that a page's subtotal is not just a multiple of one figure
        data = BatchInput(name="2026年春节送温暖", occasion=Occasion.WARMTH, variant="春节", day=date(2026, 1, 20),
                          cash_fen=50_050, chooser=Chooser.EVERYONE, pay_by="银行转账")  # fmt: skip
        return create_batch(session, data, today=TODAY)


def amounts_on(page: str) -> list[str]:
    return re.findall(r"^\d{1,3}(?:,\d{3})*\.\d{2}$", page, re.MULTILINE)


def test_the_batch_sheet_has_a_subtotal_per_page_and_the_total_in_capitals(
    db: Database, batch: int, tmp_path: Path
) -> None:
    out = tmp_path / "签领表.pdf"
    with db.reader() as session:
        assert print_batch(session, batch, out) == PEOPLE
    assert page_count(out) == 6  # three pages of names, then the bank table as many, laid out alike
    assert [f.name for f in fonts(out) if not f.embedded] == []
    per_page = [15, 15, 2]
    running = 0
    for number, people in enumerate(per_page, start=1):
        page = text(out, number)
        assert "慰问金发放签领表" in page and "测试机械厂工会委员会" in page and "2026年春节送温暖" in page
        assert f"第{number}页共6页" in page.replace(" ", "")
        assert "领取人签字" in page  # the header repeats
        subtotal = people * 50_050
        running += subtotal
        assert "本页小计" in page
        assert amounts_on(page).count(format_fen(50_050)) == people
        assert format_fen(subtotal) in amounts_on(page)
    last = text(out, 3)
    assert "合计" in last and format_fen(running) in amounts_on(last)
    assert amount_in_capitals(PEOPLE * 50_050) in last and running == PEOPLE * 50_050
    for role in ("经办人", "审核人", "负责人"):
        assert role in last
    bank = "".join(text(out, p) for p in range(4, page_count(out) + 1))
    assert "银行转账明细" in bank and "银行账号" in bank and "开户行" in bank
    assert id_number(1) in bank and format_fen(running) in bank
    # whose transfer it is on every page, a subtotal per page, its total in capitals, and who
    # hands it to the 财务 on the same page as that total
    for number in (4, 5, 6):
        assert "银行转账明细" in text(out, number) and "2026年春节送温暖" in text(out, number)
    assert "本页小计" in text(out, 4)
    last_bank = text(out, 6)
    assert amount_in_capitals(running) in last_bank and "财务：" in last_bank and "经办人：" in last_bank


def test_cash_paid_by_hand_has_no_bank_table_and_a_period_sheet_lists_its_records(
    db: Database, batch: int, tmp_path: Path
) -> None:
    with db.session() as session:
        first = list_care(session, batch_id=batch)[0]
        member = first.member_id
        record_care(session, CareInput(Occasion.HOSPITAL, date(2026, 3, 2), member, cash_fen=80_000,
                                       note="阑尾炎住院"), today=TODAY)  # fmt: skip
        record_care(session, CareInput(Occasion.HOSPITAL, date(2026, 5, 2), None, recipient="职工家属张某",
                                       cash_fen=120_000, reason="大病，经委员会研究"), today=TODAY)  # fmt: skip
    out = tmp_path / "住院.pdf"
    with db.reader() as session:
        assert (
            print_records(
                session, out, first=date(2026, 2, 1), last=date(2026, 12, 31), occasion=Occasion.HOSPITAL
            )
            == 2
        )
    assert page_count(out) == 1
    page = text(out)
    # records entered one by one say nothing of how they were handed over: none is claimed
    assert "住院（2026年2月1日至2026年12月31日）" in page and "发放方式" not in page
    assert first.recipient in page
    flat = page.replace("\n", "")  # a narrow cell wraps its text over lines
    assert "阑尾炎住院" in flat and "职工家属张某" in flat and "超标准，见说明1" in flat
    # the cap and the reason in full under the table: a cell would cut them
    assert "说明1：第 2 行 职工家属张某，超过标准：住院每次不超过 1,000.00 元" in flat
    assert "原因：大病，经委员会研究" in flat
    assert amount_in_capitals(200_000) in page and "银行转账明细" not in page
    with db.reader() as session, pytest.raises(UserError) as nothing:
        print_records(session, tmp_path / "空.pdf", first=date(2026, 6, 1), last=date(2026, 6, 30))
    assert "没有可打印的慰问记录" in str(nothing.value)
    assert not (tmp_path / "空.pdf").exists()


def test_a_voucher_is_one_a5_landscape_sheet_with_the_amount_in_capitals(
    db: Database, batch: int, tmp_path: Path
) -> None:
    out = tmp_path / "领取单.pdf"
    with db.reader() as session:
        record = list_care(session, batch_id=batch)[0]
        print_voucher(session, record.id, out)
    assert page_count(out) == 1
    import subprocess

    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    width, height = (float(x) for x in re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())  # type: ignore[union-attr]
    assert (round(width), round(height)) == (595, 420)  # A5 landscape, in points
    page = text(out)
    assert "慰问金领取单" in page and amount_in_capitals(50_050) in page and "￥500.50" in page
    assert record.recipient in page and "送温暖（春节）" in page and "领取人签字" in page
    assert id_number(1)[6:14] not in page  # the ID number is masked


def test_goods_are_signed_for_as_goods_and_only_money_as_money(
    db: Database, batch: int, tmp_path: Path
) -> None:
    """A quilt handed over with 800 yuan is signed for as 800 yuan and a quilt worth 300, not as
    1,100 yuan of 慰问金; goods alone have a 慰问品 slip and sheet, handed out 实物."""
    with db.session() as session:
        member = list_care(session, batch_id=batch)[0].member_id
        both = record_care(session, CareInput(Occasion.HOSPITAL, date(2026, 3, 2), member, cash_fen=80_000,
                                              goods="棉被一床", goods_fen=30_000, reason="病重，经委员会研究"),
                          today=TODAY)  # fmt: skip
        cake = record_care(session, CareInput(Occasion.BIRTHDAY, date(2026, 3, 9), member, goods="生日蛋糕",
                                              goods_fen=15_000, reason="经委员会研究"), today=TODAY)  # fmt: skip
    mixed = tmp_path / "三月.pdf"
    with db.reader() as session:
        print_records(session, mixed, first=date(2026, 3, 1), last=date(2026, 3, 5))
        print_voucher(session, both, tmp_path / "both.pdf")
        print_voucher(session, cake, tmp_path / "cake.pdf")
        print_records(session, tmp_path / "cake_sheet.pdf", first=date(2026, 3, 6), last=date(2026, 3, 31))
    sheet = re.sub(r"\s", "", text(mixed))  # narrow cells wrap their text
    assert "现金（元）" in sheet and "棉被一床（价值300.00元）" in sheet
    table = sheet.split("说明1")[0]  # the cap's note below quotes the whole 1,100 checked against it
    assert amount_in_capitals(80_000) in table and "800.00" in table and "1,100.00" not in table
    slip = text(tmp_path / "both.pdf")
    assert "慰问金领取单" in slip and amount_in_capitals(80_000) in slip and "￥800.00" in slip
    assert "棉被一床（价值300.00元）" in re.sub(r"\s", "", slip)
    goods_slip = text(tmp_path / "cake.pdf")
    assert "慰问品领取单" in goods_slip and "价值（大写）" in goods_slip and "慰问金" not in goods_slip
    assert amount_in_capitals(15_000) in goods_slip
    goods_sheet = text(tmp_path / "cake_sheet.pdf")
    assert "慰问品发放签领表" in goods_sheet and "发放方式：实物" in goods_sheet
