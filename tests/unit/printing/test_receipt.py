"""会费收据: a PDF that embeds its fonts, with the Chinese extractable, both copies on one sheet."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from app.services.printing import ReceiptData, write_receipt
from tests.unit.printing.pdf_tools import fonts, page_count, text


def receipt(**changes: object) -> ReceiptData:
    data = ReceiptData(
        union_name="示例市第一机械厂工会委员会",
        receipt_no="2026-000123",
        member_name="欧阳娜娜",
        member_group="第一车间",
        id_number_masked="110101********123X",
        months="2026年1月—2026年6月",
        amount_fen=123450,
        method="现金",
        paid_on=date(2026, 1, 5),
        collector="李会计",
        note="半年一次缴清",
        printed_on=date(2026, 1, 6),
    )
    return dataclasses.replace(data, **changes)  # type: ignore[arg-type]


def test_a_receipt_is_a_one_page_pdf_with_every_font_embedded(tmp_path: Path) -> None:
    out = tmp_path / "收据.pdf"
    write_receipt(receipt(), out)
    assert out.read_bytes().startswith(b"%PDF-")
    assert out.read_bytes().rstrip().endswith(b"%%EOF")
    assert page_count(out) == 1
    used = fonts(out)
    assert used, "no font at all: the text was not written"
    assert [f.name for f in used if not f.embedded] == []


def test_the_chinese_can_be_read_back_from_both_copies(tmp_path: Path) -> None:
    out = tmp_path / "收据.pdf"
    write_receipt(receipt(), out)
    content = text(out)
    for expected in ("欧阳娜娜", "壹仟贰佰叁拾肆元伍角", "￥1,234.50", "2026年1月—2026年6月", "半年一次缴清"):
        assert content.count(expected) == 2, expected
    for expected in (
        "会费收据",
        "收据号：2026-000123",
        "收款单位：示例市第一机械厂工会委员会",
        "日期：2026年1月5日",
    ):
        assert content.count(expected) == 2, expected
    lines = [line.strip() for line in content.splitlines()]
    for label in (
        "交款人",
        "所在部门",
        "身份证号",
        "缴费月份",
        "缴费方式",
        "金额（小写）",
        "金额（大写）",
        "备注",
    ):
        assert lines.count(label) == 2, label
    assert content.count("收款人（经手人）：李会计") == 2
    assert content.count("收款单位（盖章）") == 2
    assert content.count("打印日期：2026年1月6日") == 2
    assert "110101********123X" in content
    # the stub above, the member's copy below, a line to cut along between them
    assert content.index("存根") < content.index("沿虚线剪开") < content.index("交款人收执")


def test_text_is_printed_as_given_not_read_as_markup(tmp_path: Path) -> None:
    out = tmp_path / "收据.pdf"
    write_receipt(receipt(member_name="王<b>小</b>明&", note="第一行\n第二行"), out)
    content = text(out)
    assert content.count("王<b>小</b>明&") == 2
    assert "第一行\n第二行" in content


def test_amounts_in_capitals_follow_the_rules(tmp_path: Path) -> None:
    out = tmp_path / "收据.pdf"
    write_receipt(receipt(amount_fen=1_640_902), out)
    content = text(out)
    assert content.count("壹万陆仟肆佰零玖元零贰分") == 2
    assert content.count("￥16,409.02") == 2


def test_a_very_long_note_still_leaves_both_copies_on_one_sheet(tmp_path: Path) -> None:
    out = tmp_path / "收据.pdf"
    write_receipt(receipt(note="本次为一次性补缴历史欠缴会费，经工会委员会讨论同意。" * 15), out)
    assert page_count(out) == 1
    content = text(out)
    assert "存根" in content and "交款人收执" in content
    assert content.count("欧阳娜娜") == 2


def test_receipt_data_is_frozen_and_keyword_only() -> None:
    data = receipt()
    with pytest.raises(dataclasses.FrozenInstanceError):
        data.amount_fen = 1  # type: ignore[misc]
    with pytest.raises(TypeError):
        ReceiptData("工会", "1")  # type: ignore[call-arg]
    assert data.note == "半年一次缴清"
    assert receipt(note="").note == ""
