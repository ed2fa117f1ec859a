"""Chinese text wrapped in a printout: punctuation that closes (，；：！？” and the like) never
begins a line — it hangs at the end of the line before, as 。and 、 already did."""

from __future__ import annotations

import pytest
from reportlab.platypus import Paragraph

from app.services.printing.blocks import NOT_AT_LINE_START, para, styles

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
