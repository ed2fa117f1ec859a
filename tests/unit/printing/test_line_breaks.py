"""Chinese text wrapped in a printout: punctuation that closes (，；：！？” and the like) never
begins a line — it hangs at the end of the line before, as 。and 、 already did — and an
opening bracket or quote never ends one: it goes down with what it opens."""

from __future__ import annotations

import pytest
from reportlab.platypus import Paragraph

from app.services.printing.blocks import para, styles
from app.services.printing.line_breaks import NOT_AT_LINE_END, NOT_AT_LINE_START

TEN = "一二三四五六七八九十"


def lines(paragraph: Paragraph, chars: int) -> list[str]:
    """The lines of ``paragraph`` in a column ``chars`` characters of its font wide."""
    style = paragraph.style
    paragraph.wrap(style.fontSize * chars + 0.5, 1000)
    found = paragraph.blPara.lines
    if paragraph.blPara.kind == 0:  # plain text: (room left, [text])
        return ["".join(words) for _room, words in found]
    return ["".join(frag.text for frag in line.words) for line in found]


@pytest.mark.parametrize("mark", list(NOT_AT_LINE_START))
def test_closing_punctuation_hangs_instead_of_starting_a_line(mark: str) -> None:
    wrapped = lines(para(f"{TEN}{mark}甲乙丙", styles().body), 10)
    assert wrapped == [f"{TEN}{mark}", "甲乙丙"]


def test_the_same_in_text_with_markup() -> None:
    wrapped = lines(Paragraph(f"{TEN}<b>，</b>甲乙", styles().body), 10)
    assert wrapped == [f"{TEN}，", "甲乙"]


def test_other_characters_still_break_where_the_line_is_full() -> None:
    assert lines(para(f"{TEN}甲乙丙", styles().body), 10) == [TEN, "甲乙丙"]


@pytest.mark.parametrize("mark", list(NOT_AT_LINE_END))
def test_an_opening_mark_goes_down_with_what_it_opens(mark: str) -> None:
    wrapped = lines(para(f"一二三四五六七八九{mark}甲乙丙丁戊己庚辛壬癸子丑寅卯", styles().body), 10)
    assert wrapped == ["一二三四五六七八九", f"{mark}甲乙丙丁戊己庚辛壬", "癸子丑寅卯"]


def test_every_line_is_checked_and_the_last_keeps_the_rest() -> None:
    text = f"{TEN}一二三四五六七八九（甲乙丙丁戊己庚辛（癸子"
    wrapped = lines(para(text, styles().body), 10)
    assert wrapped == [TEN, "一二三四五六七八九", "（甲乙丙丁戊己庚辛", "（癸子"]
    assert "".join(wrapped) == text
