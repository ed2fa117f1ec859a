from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.excel.values import (
    CellError,
    is_blank,
    read_date,
    read_flag,
    read_gender,
    read_money_fen,
    read_phone,
    text,
)
from app.services.roster.fields import read_category, read_education, read_name, read_political

FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(2099, 12, 31)))
def test_every_written_form_of_a_date_reads_back(day: date) -> None:
    forms = [
        day,
        datetime(day.year, day.month, day.day),
        (day - date(1899, 12, 30)).days,  # an Excel serial number
        f"{day.year}-{day.month}-{day.day}",
        f"{day.year}.{day.month:02d}.{day.day:02d}",
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        f"{day:%Y%m%d}",
        f" {day.year}年{day.month}月{day.day}日 ".translate(FULLWIDTH),
    ]
    for form in forms:
        assert read_date(form) == day, form


@given(st.integers(1900, 2099), st.integers(1, 12))
def test_year_and_month_only_assumes_the_first_and_says_so(year: int, month: int) -> None:
    notes: list[str] = []
    assert read_date(f"{year}.{month:02d}", notes) == date(year, month, 1)
    assert notes and "1 日" in notes[0]


@pytest.mark.parametrize("bad", ["2015年13月40日", "2019-02-30", "昨天", "12/03/1985", "1985-"])
def test_impossible_dates_are_refused_with_the_value(bad: str) -> None:
    with pytest.raises(CellError, match="日期"):
        read_date(bad)


@given(st.text(alphabet="0123456789-", min_size=1, max_size=13))
def test_phone_numbers_keep_their_digits(raw: str) -> None:
    assert read_phone(raw.translate(FULLWIDTH)) == raw
    assert read_phone(f" {raw} ") == raw


@given(st.integers(min_value=10**10, max_value=2 * 10**10))
def test_phones_stored_as_numbers_lose_the_dot_zero(number: int) -> None:
    assert read_phone(float(number)) == str(number)


@given(st.integers(min_value=0, max_value=10**9))
def test_money_in_any_form_is_exact_fen(fen: int) -> None:
    yuan, cents = divmod(fen, 100)
    assert read_money_fen(f"{yuan:,}.{cents:02d}元") == fen
    assert read_money_fen(float(f"{yuan}.{cents:02d}")) == fen
    assert read_money_fen(f"{yuan}.{cents:02d}".translate(FULLWIDTH)) == fen


def test_money_refusals() -> None:
    assert read_money_fen("") is None
    for bad in ("五千", "-5", "1.2.3"):
        with pytest.raises(CellError):
            read_money_fen(bad)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("是", True),
        ("√", True),
        ("Y", True),
        ("y", True),
        ("否", False),
        ("", False),
        ("N", False),
        (1.0, True),
    ],
)
def test_flags(raw: object, value: bool) -> None:
    assert read_flag(raw) is value


def test_flag_and_gender_refusals() -> None:
    with pytest.raises(CellError, match="是 或 否"):
        read_flag("也许")
    with pytest.raises(CellError, match="男 或 女"):
        read_gender("未知")
    assert read_gender(" 女 ") == "女"
    assert read_gender("男性") == "男"


@given(st.text(max_size=20))
def test_text_is_idempotent_and_trimmed(raw: str) -> None:
    once = text(raw)
    assert text(once) == once
    assert once == once.strip()
    assert is_blank(raw) == (once == "")


@given(st.text(alphabet="ＡＢＣ０１２　 \u00a0abc", max_size=12))
def test_full_width_letters_digits_and_spaces_are_half_width(raw: str) -> None:
    result = text(raw)
    assert not any(0xFF01 <= ord(ch) <= 0xFF5E or ch in "\u3000\u00a0" for ch in result.strip())


def test_vocabularies() -> None:
    assert read_category("退休") == "退休保留会籍"
    assert read_category("劳务派遣工") == "劳务派遣"
    assert read_category("合同制") == "在岗"
    with pytest.raises(CellError, match="人员类别"):
        read_category("外星人")
    assert read_education("大专") == "大学专科"
    assert read_education("研究生") == "硕士研究生"
    assert read_political("民盟盟员") == "民主党派"
    assert read_political("党员") == "中共党员"
    assert read_name("王　伟") == "王伟"
    assert read_name(" 阿依古丽·买买提 ") == "阿依古丽·买买提"
