"""A sheet people sign one row each (实名发放、实名签收: the 慰问金发放签领表, and later the
activities' 签到表): the title and the heading lines on every page, a fixed number of rows
per page tall enough to sign in, a 本页小计 under each page's rows, and on the last page the
合计 in figures and in capitals, then the 经办人 / 审核人 / 负责人 lines.

Rows have a fixed height, so every page holds the same number of people and its subtotal is
the sum of what is printed on it. Cells are plain strings where they fit on one line (a
reportlab Paragraph per cell costs several times as much); longer text wraps in a smaller size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import PageBreak, Table

from app.domain.money import format_fen
from app.services.printing.blocks import (
    CELL_PADDING,
    TOTAL_FILL,
    Cell,
    Column,
    para,
    ruled_commands,
    signature_line,
    signed,
    styles,
    table_style,
    totals_line,
)
from app.services.printing.document import PageSetup, write_pdf
from app.services.printing.fonts import pdf_fonts

ROW_HEIGHT_MM = 12  # room for a signature
HEADER_HEIGHT_MM = 8
FONT_SIZE = 10
SMALL_SIZE = 8


@dataclass(frozen=True, kw_only=True)
class SignSheet:
    """What a sign sheet prints. ``money`` is the index of the column summed per page (its
    cells are fen); without one the sheet has no subtotals (a 签到表)."""

    title: str
    heading: Sequence[str] = ()  # lines under the title, on every page
    columns: Sequence[Column]
    rows: Sequence[Sequence[Cell]]
    money: int | None = None
    rows_per_page: int = 15
    roles: Sequence[str] = ("经办人", "审核人", "负责人")
    notes: Sequence[str] = ()  # lines under the total, before the signatures (what a cell could not hold)
    after: Sequence[Any] = field(default=())  # flowables after the signatures (a bank table)
    page: PageSetup = field(default_factory=PageSetup)


def page_rows(count: int, per_page: int) -> list[range]:
    """The rows on each page: ``per_page`` at a time, at least one (empty) page."""
    if count == 0:
        return [range(0)]
    return [range(start, min(start + per_page, count)) for start in range(0, count, per_page)]


def _fits(text: str, width: float) -> bool:
    """Whether the cell holds ``text`` whole (in the smaller size, over the lines a row has)."""
    room = width - 2 * CELL_PADDING
    lines = max(1, int((ROW_HEIGHT_MM * mm - 2 * CELL_PADDING) // (SMALL_SIZE * 1.2)))
    return bool(stringWidth(text, pdf_fonts().body, SMALL_SIZE) <= lines * room)


def _fitted(text: str, width: float, style: Any, small: Any) -> tuple[Any, bool]:
    """A plain string when it fits on one line; else a Paragraph that wraps, smaller when long;
    cut with … when even that cannot hold it — and then True, for the text to be written out
    in full under the table."""
    font = pdf_fonts().body
    room = width - 2 * CELL_PADDING
    if stringWidth(text, font, FONT_SIZE) <= room:
        return text, False
    if stringWidth(text, font, FONT_SIZE) <= 2 * room:
        return para(text, style), False
    if _fits(text, width):
        return para(text, small), False
    while text and not _fits(text + "…", width):
        text = text[:-1]
    return para(text + "…", small), True


def _styles() -> tuple[Any, Any]:
    base = styles().cell
    wrap = ParagraphStyle("UDSignWrap", parent=base, fontSize=FONT_SIZE, leading=FONT_SIZE * 1.2)
    small = ParagraphStyle("UDSignSmall", parent=base, fontSize=SMALL_SIZE, leading=SMALL_SIZE * 1.2)
    return wrap, small


def _text(value: Cell, column: Column) -> str:
    if value is None:
        return ""
    if isinstance(value, int) and column.kind == "money":
        return format_fen(value)
    return str(value)


def _page_table(
    sheet: SignSheet,
    rows: range,
    widths: list[float],
    totals: list[tuple[str, int]],
    cut: list[str],
) -> Any:
    """The page's table of ``sheet.rows[rows]``; what its cells had to cut goes into ``cut``,
    to be written out in full under the table: a signed sheet loses no word."""
    wrap, small = _styles()
    header = styles().header
    data: list[list[Any]] = [[para(c.header, header) for c in sheet.columns]]
    numbered = bool(sheet.columns) and sheet.columns[0].header == "序号"
    for index in rows:
        row = sheet.rows[index]
        cells: list[Any] = []
        for value, column, width in zip(row, sheet.columns, widths, strict=True):
            if column.kind == "signature":
                cells.append("")
                continue
            text = _text(value, column)
            shown, was_cut = _fitted(text, width, wrap, small)
            cells.append(shown)
            if was_cut:
                cut.append(f"第 {row[0] if numbered else index + 1} 行“{column.header}”：{text}")
        data.append(cells)
    label_at = 1 if sheet.money is not None and sheet.money > 1 else 0
    for label, fen in totals:
        line: list[Any] = [""] * len(sheet.columns)
        line[label_at] = label
        if sheet.money is not None:
            line[sheet.money] = format_fen(fen)
        data.append(line)
    heights = (
        [HEADER_HEIGHT_MM * mm] + [ROW_HEIGHT_MM * mm] * len(rows) + [HEADER_HEIGHT_MM * mm] * len(totals)
    )
    commands = ruled_commands(sheet.columns, FONT_SIZE)
    if totals:
        first = -len(totals)
        commands += [
            ("BACKGROUND", (0, first), (-1, -1), TOTAL_FILL),
            ("FONT", (0, first), (-1, -1), pdf_fonts().heading, FONT_SIZE),
        ]
    return Table(data, colWidths=widths, rowHeights=heights, style=table_style(commands), hAlign="CENTER")


def sign_sheet_story(sheet: SignSheet) -> list[Any]:
    """The flowables of the whole sheet, page by page."""
    sheet_styles = styles()
    scale = sheet.page.frame_width / sum(c.width_mm * mm for c in sheet.columns)
    widths = [c.width_mm * mm * scale for c in sheet.columns]
    heading = ParagraphStyle("UDSignHeading", parent=sheet_styles.body, alignment=TA_LEFT, spaceAfter=2 * mm)
    title = ParagraphStyle("UDSignTitle", parent=sheet_styles.title, alignment=TA_CENTER)
    pages = page_rows(len(sheet.rows), max(1, sheet.rows_per_page))
    total = 0
    cut: list[str] = []  # what cells had to cut, written out under the table
    story: list[Any] = []
    for number, rows in enumerate(pages, start=1):
        page_fen = sum(int(sheet.rows[i][sheet.money] or 0) for i in rows) if sheet.money is not None else 0
        total += page_fen
        last = number == len(pages)
        totals: list[tuple[str, int]] = []
        if sheet.money is not None:
            if len(pages) > 1 or not last:
                totals.append(("本页小计", page_fen))
            if last:
                totals.append(("合计", total))
        story.append(para(sheet.title, title))
        story += [para(line, heading) for line in sheet.heading]
        story.append(_page_table(sheet, rows, widths, totals, cut))
        if not last:
            story.append(PageBreak())
    closing = [totals_line(total)] if sheet.money is not None else []
    closing += [para(line, sheet_styles.small) for line in [*sheet.notes, *cut]]
    story += signed(closing, signature_line(sheet.roles, width=sheet.page.frame_width), keep=len(closing))
    story += list(sheet.after)
    return story


def write_sign_sheet(sheet: SignSheet, path: Path) -> None:
    """Write ``sheet`` to ``path`` (.pdf), whole or not at all (``UserError`` in Chinese when it cannot)."""
    write_pdf(path, sign_sheet_story(sheet), title=sheet.title, page=sheet.page)
