"""Cells a new user's files held: control characters, wages of 1e20, 5380.005, Excel serial
dates saved into a CSV (issue 7, defects 4, 5 and 13) — and writing what is already stored."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from app.services.excel.values import CellError, read_date, read_money_fen, read_wage_fen, text
from app.services.excel.writer import Column, new_workbook, safe_row, styled_cell, table_sheet


@pytest.mark.parametrize("raw", ["一车间\x07", "\x1b一车间", "一\x00车间", "ab\x07c", "一\u200b车间\x85"])
def test_cell_text_loses_control_and_zero_width_characters(raw: str) -> None:
    assert text(raw) in ("一车间", "abc")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (1e20, "工资“1e+20”超出合理范围（0–1,000,000 元）"),
        ("1e20", "工资“1e20”超出合理范围（0–1,000,000 元）"),
        ("100000000000000000000", "超出合理范围"),
        (1000000.01, "超出合理范围"),
        (-5.0, "工资“-5”不能为负数"),
        ("-5", "不能为负数"),
        (math.inf, "应为数字"),
        (math.nan, "应为数字"),
        ("Infinity", "不是金额"),
        ("NaN", "不是金额"),
        ("5380.005", "工资最多两位小数：5380.005"),
        (5380.005, "工资最多两位小数：5380.005"),
    ],
)
def test_wage_cells_out_of_reason_are_refused_naming_the_value(raw: object, message: str) -> None:
    with pytest.raises(CellError) as caught:
        read_wage_fen(raw)
    assert message in str(caught.value)


def test_amount_cells_beyond_any_books_never_overflow() -> None:
    for raw in (1e300, "1e999999999", 10**30):
        with pytest.raises(CellError, match="超出合理范围"):
            read_money_fen(raw)


@pytest.mark.parametrize(
    ("raw", "fen"), [(5380.1, 538010), (0.1 + 0.2, 30), (1_000_000.0, 100_000_000), ("0", 0)]
)
def test_float_cells_read_as_excel_shows_them(raw: object, fen: int) -> None:
    assert read_wage_fen(raw) == fen


@pytest.mark.parametrize("raw", ["44860", " 44860 ", "４４８６０", "44860.0", 44860.0, 44860])
def test_an_excel_serial_in_a_date_column_is_read_and_noted(raw: object) -> None:
    notes: list[str] = []
    assert read_date(raw, notes) == date(2022, 10, 26)
    assert len(notes) == 1 and "2022-10-26" in notes[0] and "Excel" in notes[0]


@given(st.dates(min_value=date(1927, 5, 18), max_value=date(2100, 12, 31)))
def test_text_serials_read_back_as_their_dates(day: date) -> None:
    notes: list[str] = []
    assert read_date(str((day - date(1899, 12, 30)).days), notes) == day
    assert notes


def test_serials_and_what_they_are_not() -> None:
    assert read_date("19850312") == date(1985, 3, 12)  # yyyymmdd, not a serial
    assert read_date("61") == date(1900, 3, 1)
    assert read_date("59") == date(1900, 2, 28)
    with pytest.raises(CellError, match="1900-02-29"):
        read_date("60")  # the day Excel counts that never was
    with pytest.raises(CellError, match="只有年份"):
        read_date("1985")
    for late in ("73416", 73416.0, "99999"):
        with pytest.raises(CellError, match="不是日期"):
            read_date(late)


def test_the_writer_leaves_out_what_an_xlsx_cannot_hold(tmp_path: Path) -> None:
    workbook = new_workbook()
    count = table_sheet(
        workbook,
        "表",
        [Column("姓名\x07", 10), Column("备注", 20)],
        [["张伟\x1b", "铃\x07声\x00"], ["=1+1\x07", "第一行\n第二行"]],
        title="标题\x07",
    )
    sheet = workbook.create_sheet("另一张")
    sheet.append(safe_row(sheet, ["\x07\x08", 5, None]))
    sheet.append([styled_cell(sheet, "加粗\x0c", bold=True)])
    out = tmp_path / "out.xlsx"
    workbook.save(out)
    assert count == 2
    book = load_workbook(out)
    rows = [[c.value for c in row] for row in book["表"].iter_rows()]
    assert rows[0][0] == "标题"
    assert rows[1] == ["姓名", "备注"]
    assert rows[2:] == [["张伟", "铃声"], ["=1+1", "第一行\n第二行"]]
    assert book["表"]["A4"].data_type == "s"  # still text, not a formula
    assert [[c.value for c in row] for row in book["另一张"].iter_rows()] == [[None, 5], ["加粗", None]]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("25\n26", "“25 26”不是金额"),  # two figures in one cell, not 2526
        ("1_000", "“1_000”不是金额"),  # Python's separator, not a spreadsheet's
        ("2\x005", "看不见的控制字符"),  # what a damaged cell held, not 25
        ("1_x0000_00", "不是金额"),
        ("1e-999999999", "最多两位小数"),  # read exactly, never rounded to 0
        ("5 380", "“5 380”不是金额"),
    ],
)
def test_amount_text_that_is_not_one_plain_number_is_refused(raw: str, message: str) -> None:
    with pytest.raises(CellError) as caught:
        read_money_fen(raw)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("raw", "fen"),
    [("5,380.50元", 538050), ("¥ 100", 10000), ("100 元", 10000), ("1E+03", 100000), (".5", 50)],
)
def test_amounts_written_as_people_write_them_still_read(raw: str, fen: int) -> None:
    assert read_money_fen(raw) == fen


def test_a_long_cell_is_quoted_short_with_its_length() -> None:
    with pytest.raises(CellError) as caught:
        read_money_fen("壹" * 5000)
    message = str(caught.value)
    assert len(message) < 80 and "共 5000 个字" in message
