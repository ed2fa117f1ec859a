"""Where a printed line of Chinese may break. reportlab breaks CJK text after any character,
except that it hangs a closing mark it knows (。、）」) at the end of the line rather than
begin the next with it. Its list was made for Japanese, and it never looks at the line's
end. Taught here:
- ，；：！？ the closing quotes and book-title marks never begin a line either
  (``NOT_AT_LINE_START``: they hang at the end of the line before, as 。 does);
- an opening bracket, quote or book-title mark never ends a line (``NOT_AT_LINE_END``: it
  goes down to the next line with what it opens) — in text of one style, which is what
  the printouts' cells and paragraphs are; a paragraph of several styles or with line
  breaks in it keeps reportlab's own breaks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

NOT_AT_LINE_START = "，；：！？》〉”’％…"
NOT_AT_LINE_END = "（《〈“‘【〔［｛「『"

Split = Callable[..., list[list[Any]]]


def install() -> None:
    """Teach reportlab the rules above; each of its line breakers looks them up when it
    breaks a line, so this holds for every paragraph laid out afterwards."""
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    for module in (textsplit, paragraph):
        known = module.ALL_CANNOT_START
        module.ALL_CANNOT_START = known + "".join(c for c in NOT_AT_LINE_START if c not in known)
    if not getattr(paragraph.wordSplit, "keeps_openers", False):
        paragraph.wordSplit = keeping_openers(paragraph.wordSplit)


def keeping_openers(split: Split) -> Split:
    """``split`` (reportlab's ``wordSplit``: text of one font → [[room left, line], …]), except
    that a line ending in an opening mark ends before it, and the rest is broken again."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    def wrapped(
        word: str, max_widths: Sequence[float] | float, font: str, size: float, encoding: str = "utf8"
    ) -> list[list[Any]]:
        widths = [float(w) for w in max_widths] if isinstance(max_widths, Sequence) else [float(max_widths)]
        lines = split(word, widths, font, size, encoding)
        end = 0
        for number, (_room, text) in enumerate(lines[:-1]):
            end = word.index(text, end) + len(text)  # lines are the text's pieces, spaces trimmed
            if len(text) > 1 and text[-1] in NOT_AT_LINE_END:
                head = text[:-1].rstrip()
                width = widths[min(number, len(widths) - 1)]
                rest = wrapped(word[end - 1 :], widths[number + 1 :] or widths[-1:], font, size, encoding)
                return [*lines[:number], [width - stringWidth(head, font, size), head], *rest]
        return lines

    wrapped.keeps_openers = True  # type: ignore[attr-defined]
    return wrapped
