"""Blocks for forms that go up for approval and come back signed (活动经费预算表、决算表、签到表
and the like), on top of ``blocks``: the 单位 / 单位：元 line over a form, a ruled grid of
labels and values, a section heading, numbered notes under a table, an opinion box
(审批意见) with room to write and sign, and a roll whose rows all have one height, the title
and heading lines on every page (a 签到表).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import PageBreak, Table

from app.domain.money import format_fen
from app.services.printing.blocks import (
    CELL_PADDING,
    LINE,
    Cell,
    Column,
    para,
    ruled_commands,
    styles,
    table_style,
)
from app.services.printing.document import PageSetup
from app.services.printing.fonts import pdf_fonts

LABEL_FILL = "#F2F2F2"
_NO_PADDING = [
    (side, (0, 0), (-1, -1), 0) for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")
]


def _style(name: str, parent: Any, **changes: Any) -> Any:
    return ParagraphStyle(name, parent=parent, **changes)


def unit_line(left: str, right: str, width: float) -> Any:
    """单位：某某工会　…………　单位：元 — one line, the right part flush right."""
    sheet = styles()
    right_style = _style("UDFormUnitRight", sheet.body, alignment=TA_RIGHT)
    right_width = stringWidth(right, sheet.body.fontName, sheet.body.fontSize) + 4
    right_width = min(max(right_width, 20 * mm), width / 2)
    return Table(
        [[para(left, sheet.body), para(right, right_style)]],
        colWidths=[width - right_width, right_width],
        style=table_style(
            [*_NO_PADDING, ("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
        ),
        hAlign="CENTER",
    )


def section(text: str) -> Any:
    """一、预算执行情况 — a heading between the parts of a form."""
    sheet = styles()
    style = _style("UDFormSection", sheet.body, fontName=sheet.header.fontName, fontSize=12, leading=16,
                   spaceBefore=4 * mm, spaceAfter=2 * mm)  # fmt: skip
    return para(text, style)


def info_grid(rows: Sequence[Sequence[tuple[str, str]]], width: float, *, label_mm: float = 30) -> Any:
    """A ruled grid of labels and values, two pairs a row; a row of one pair spans the width.

    ``rows`` is a list of rows, each one or two (label, value) pairs.
    """
    sheet = styles()
    label_style = _style("UDFormLabel", sheet.body, fontName=sheet.header.fontName, alignment=1)
    label_width = label_mm * mm
    value_width = (width - 2 * label_width) / 2
    data: list[list[Any]] = []
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, LINE),
        ("BOX", (0, 0), (-1, -1), 1, LINE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]
    for index, pairs in enumerate(rows):
        if not 1 <= len(pairs) <= 2:
            raise ValueError(f"a grid row holds one or two pairs, not {len(pairs)}")
        line: list[Any] = []
        for label, value in pairs:
            line += [para(label, label_style), para(value, sheet.body)]
        if len(pairs) == 1:
            line += ["", ""]
            commands.append(("SPAN", (1, index), (3, index)))
        else:
            commands.append(("BACKGROUND", (2, index), (2, index), _color(LABEL_FILL)))
        commands.append(("BACKGROUND", (0, index), (0, index), _color(LABEL_FILL)))
        data.append(line)
    widths = [label_width, value_width, label_width, value_width]
    return Table(data, colWidths=widths, style=table_style(commands), hAlign="CENTER")


def _color(value: str) -> Any:
    from reportlab.lib import colors

    return colors.HexColor(value)


def sign_row(roles: Sequence[str], width: float, *, blank_mm: float | None = None) -> Any:
    """经办人：______　工会主席（负责人）审批：______　日期：______ with every blank of one
    length (``signature_line`` gives every role one share, which leaves a long label a short line)."""
    sheet = styles()
    gap = 5 * mm
    labels = [stringWidth(f"{role}：", sheet.body.fontName, sheet.body.fontSize) + 2 for role in roles]
    room = width - sum(labels) - gap * (len(roles) - 1)
    blank = room / len(roles) if blank_mm is None else min(blank_mm * mm, room / len(roles))
    data: list[Any] = []
    widths: list[float] = []
    commands: list[tuple[Any, ...]] = [
        *_NO_PADDING,
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for index, (role, label) in enumerate(zip(roles, labels, strict=True)):
        if index:
            data.append("")
            widths.append(gap)
        column = len(data) + 1
        data += [para(f"{role}：", sheet.body), ""]
        widths += [label, blank]
        commands.append(("LINEBELOW", (column, 0), (column, 0), 0.5, LINE))
    return Table([data], colWidths=widths, style=table_style(commands), hAlign="LEFT", spaceBefore=10 * mm)


def notes(lines: Sequence[str]) -> list[Any]:
    """What a cell could not hold, written out in full under a table (说明1：…)."""
    small = _style("UDFormNote", styles().small, spaceBefore=1.5 * mm)
    return [para(line, small) for line in lines]


def opinion_box(label: str, width: float, *, height_mm: float = 32, sign: str = "签字") -> Any:
    """A ruled box to write an opinion in (审批意见): the label on the left, room to write,
    and "签字：　　　日期：　年　月　日" at its foot."""
    sheet = styles()
    label_style = _style("UDFormBoxLabel", sheet.body, fontName=sheet.header.fontName, alignment=1)
    foot_style = _style("UDFormBoxFoot", sheet.body, alignment=TA_RIGHT)
    foot = para(f"{sign}：　　　　　　　　　日期：　　　年　　月　　日", foot_style)
    label_width = 26 * mm
    inner = Table(
        [[""], [foot]],
        colWidths=[width - label_width - 8],
        rowHeights=[height_mm * mm - 8 * mm - 8, 8 * mm],
        style=table_style([*_NO_PADDING, ("VALIGN", (0, 1), (0, 1), "BOTTOM")]),
    )
    return Table(
        [[para(label, label_style), inner]],
        colWidths=[label_width, width - label_width],
        rowHeights=[height_mm * mm],
        style=table_style(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, LINE),
                ("BOX", (0, 0), (-1, -1), 1, LINE),
                ("BACKGROUND", (0, 0), (0, 0), _color(LABEL_FILL)),
                ("VALIGN", (0, 0), (0, 0), "MIDDLE"),
                ("VALIGN", (1, 0), (1, 0), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        ),
        hAlign="CENTER",
        spaceBefore=5 * mm,
    )


# --- a roll: rows of one height, the title and heading on every page --------------------------

FONT_SIZE = 10
SMALL_SIZE = 8


@dataclass(frozen=True, kw_only=True)
class Roll:
    """A sheet of rows people fill in or sign, one fixed height each (a 签到表): as many rows
    on a page as fit, the title and ``heading`` lines at the top of every page, then
    ``notes`` and the signature line of ``roles`` after the last row."""

    title: str
    heading: Sequence[str] = ()
    columns: Sequence[Column]
    rows: Sequence[Sequence[Cell]]
    row_height_mm: float = 10
    header_height_mm: float = 8
    roles: Sequence[str] = ("经办人", "负责人")
    notes: Sequence[str] = ()
    page: PageSetup = field(default_factory=PageSetup)


def _roll_styles() -> tuple[Any, Any, Any, Any]:
    sheet = styles()
    title = _style("UDRollTitle", sheet.title)
    heading = _style("UDRollHeading", sheet.body, alignment=TA_LEFT, spaceAfter=1.5 * mm)
    wrap = _style("UDRollWrap", sheet.cell, fontSize=FONT_SIZE, leading=FONT_SIZE * 1.2)
    small = _style("UDRollSmall", sheet.cell, fontSize=SMALL_SIZE, leading=SMALL_SIZE * 1.2)
    return title, heading, wrap, small


def _fit(text: str, width: float, row_height: float, wrap: Any, small: Any) -> Any:
    """A plain string when it fits on one line, else a Paragraph that wraps (smaller, and cut
    with … when even that would overflow the row)."""
    font = pdf_fonts().body
    room = width - 2 * CELL_PADDING
    if stringWidth(text, font, FONT_SIZE) <= room:
        return text
    lines_at = int((row_height - 2) // (FONT_SIZE * 1.2))
    if lines_at >= 2 and stringWidth(text, font, FONT_SIZE) <= 0.9 * lines_at * room:
        return para(text, wrap)
    lines = max(1, int((row_height - 2) // (SMALL_SIZE * 1.2)))
    limit = 0.9 * lines * room
    if stringWidth(text, font, SMALL_SIZE) > limit:
        while text and stringWidth(text + "…", font, SMALL_SIZE) > limit:
            text = text[:-1]
        text += "…"
    return para(text, small)


def _cell_text(value: Cell, column: Column) -> str:
    if value is None:
        return ""
    if isinstance(value, int) and column.kind == "money":
        return format_fen(value)
    return str(value)


def _roll_table(roll: Roll, rows: Sequence[Sequence[Cell]], widths: list[float]) -> Any:
    _, _, wrap, small = _roll_styles()
    header = styles().header
    row_height = roll.row_height_mm * mm
    data: list[list[Any]] = [[para(c.header, header) for c in roll.columns]]
    for row in rows:
        if len(row) != len(roll.columns):
            raise ValueError(f"a row has {len(row)} cells for {len(roll.columns)} columns: {row!r}")
        data.append(
            [
                ""
                if column.kind == "signature"
                else _fit(_cell_text(value, column), width, row_height, wrap, small)
                for value, column, width in zip(row, roll.columns, widths, strict=True)
            ]
        )
    commands = ruled_commands(roll.columns, FONT_SIZE)
    heights = [roll.header_height_mm * mm] + [row_height] * len(rows)
    return Table(data, colWidths=widths, rowHeights=heights, style=table_style(commands), hAlign="CENTER")


def _height(flowables: Sequence[Any], width: float) -> float:
    """The height ``flowables`` take in a frame of ``width``, their spacing included."""
    total = 0.0
    for flowable in flowables:
        _, height = flowable.wrap(width, 10_000)
        total += height + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


def roll_pages(roll: Roll) -> list[range]:
    """Which rows go on each page: as many as fit under the title and heading, fewer on the
    last page when the notes and signatures would not fit under its rows."""
    width = roll.page.frame_width
    title, heading, _, _ = _roll_styles()
    top = _height([para(roll.title, title), *(para(line, heading) for line in roll.heading)], width)
    spare = 2.0  # points: reportlab refuses a flowable that fills its frame to the last point
    room = roll.page.frame_height - top - roll.header_height_mm * mm - spare
    per_page = max(1, int(room // (roll.row_height_mm * mm)))
    tail = _height(_tail(roll), width)
    per_last = max(0, int((room - tail) // (roll.row_height_mm * mm)))
    count = len(roll.rows)
    if count <= per_last:
        return [range(count)]
    pages: list[range] = []
    start = 0
    while count - start > per_page:
        pages.append(range(start, start + per_page))
        start += per_page
    left = count - start
    if left > per_last > 0:
        # the signatures do not fit under what is left: share it between two pages
        last = min(per_last, (left + 1) // 2)
        pages.append(range(start, count - last))
        start = count - last
    pages.append(range(start, count))
    return pages


def _tail(roll: Roll) -> list[Any]:
    tail = notes(roll.notes)
    if roll.roles:
        tail.append(sign_row(roll.roles, roll.page.frame_width))
    return tail


def roll_story(roll: Roll) -> list[Any]:
    """The flowables of the whole roll, page by page."""
    title, heading, _, _ = _roll_styles()
    scale = roll.page.frame_width / sum(c.width_mm * mm for c in roll.columns)
    widths = [c.width_mm * mm * scale for c in roll.columns]
    pages = roll_pages(roll)
    story: list[Any] = []
    for number, rows in enumerate(pages, start=1):
        story.append(para(roll.title, title))
        story += [para(line, heading) for line in roll.heading]
        story.append(_roll_table(roll, [roll.rows[i] for i in rows], widths))
        if number < len(pages):
            story.append(PageBreak())
    story += _tail(roll)
    return story
