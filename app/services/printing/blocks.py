"""The pieces every printed form is made of: Chinese paragraph styles, a ruled table whose
header repeats on each page (every cell a Paragraph, so long names wrap instead of running
over the line), the "合计（大写）" line, and the signature line under a form."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from app.domain.money import amount_in_capitals, format_fen
from app.services.printing.fonts import pdf_fonts
from app.services.printing.line_breaks import install as install_line_breaks

install_line_breaks()  # every printout is made through this module

HEADER_FILL = colors.HexColor("#E6E6E6")
TOTAL_FILL = colors.HexColor("#F2F2F2")
LINE = colors.black
CELL_PADDING = 3  # points, left/right and top/bottom of every table cell


@dataclass(frozen=True)
class Styles:
    """Paragraph styles in the documents' Chinese fonts; all wrap as Chinese does (``wordWrap='CJK'``)."""

    title: Any  # 标题：黑体 18
    subtitle: Any  # 副标题：12，居中
    body: Any  # 正文：11
    small: Any  # 注：9
    cell: Any  # 表格文字：10，靠左
    cell_center: Any
    cell_right: Any  # 金额
    header: Any  # 表头：黑体 10，居中


@functools.cache
def styles() -> Styles:
    fonts = pdf_fonts()

    def style(
        name: str, size: float, *, font: str = fonts.body, align: int = TA_LEFT, after: float = 0
    ) -> Any:
        leading = round(size * 1.35, 1)
        return ParagraphStyle(
            name,
            fontName=font,
            fontSize=size,
            leading=leading,
            alignment=align,
            wordWrap="CJK",
            spaceAfter=after,
        )

    return Styles(
        title=style("UDTitle", 18, font=fonts.heading, align=TA_CENTER, after=4 * mm),
        subtitle=style("UDSubtitle", 12, align=TA_CENTER, after=3 * mm),
        body=style("UDBody", 11),
        small=style("UDSmall", 9),
        cell=style("UDCell", 10),
        cell_center=style("UDCellCenter", 10, align=TA_CENTER),
        cell_right=style("UDCellRight", 10, align=TA_RIGHT),
        header=style("UDHeader", 10, font=fonts.heading, align=TA_CENTER),
    )


def para(text: str, style: Any) -> Any:
    """A Paragraph that prints ``text`` as it is: ``<``, ``&`` and the like are not markup, a newline breaks the line,
    and a full-width space keeps its width (reportlab would fold it into one narrow space)."""
    return Paragraph(escape(text).replace("\n", "<br/>").replace("\u3000", "\u00a0\u00a0"), style)


def chinese_date(day: date) -> str:
    """2026-01-05 → 2026年1月5日."""
    return f"{day.year}年{day.month}月{day.day}日"


def yuan(fen: int) -> str:
    """123450 → ￥1,234.50."""
    return f"￥{format_fen(fen)}"


def table_style(commands: Sequence[tuple[Any, ...]]) -> Any:
    """A TableStyle whose plain-text cells (even empty ones) use the Chinese font: reportlab's
    default for them is Helvetica, which is not embedded."""
    return TableStyle([("FONT", (0, 0), (-1, -1), pdf_fonts().body, 10), *commands])


ColumnKind = Literal["text", "center", "money", "signature"]
Cell = str | int | None


@dataclass(frozen=True)
class Column:
    """One column of a ``table``. ``money`` cells take fen (int) and are right-aligned;
    ``signature`` cells are left blank, of a fixed height, for a person to sign."""

    header: str
    width_mm: float
    kind: ColumnKind = "text"


def ruled_commands(columns: Sequence[Column], font_size: float) -> list[tuple[Any, ...]]:
    """The style of a ruled form table (签领表, 签到表): every cell boxed, a shaded header,
    tight padding, money right-aligned and ``center`` columns centred below the header."""
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), pdf_fonts().body, font_size),
        ("GRID", (0, 0), (-1, -1), 0.5, LINE),
        ("BOX", (0, 0), (-1, -1), 1, LINE),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]
    for index, column in enumerate(columns):
        if column.kind == "money":
            commands.append(("ALIGN", (index, 1), (index, -1), "RIGHT"))
        elif column.kind == "center":
            commands.append(("ALIGN", (index, 1), (index, -1), "CENTER"))
    return commands


def _cell(value: Cell, column: Column, sheet: Styles, blank_height: float) -> Any:
    if column.kind == "signature" and value in (None, ""):
        return Spacer(1, blank_height)
    if value is None:
        text = ""
    elif isinstance(value, int) and column.kind == "money":
        text = format_fen(value)
    else:
        text = str(value)
    style = {"money": sheet.cell_right, "center": sheet.cell_center}.get(column.kind, sheet.cell)
    return para(text, style)


def table(
    columns: Sequence[Column],
    rows: Iterable[Sequence[Cell]],
    *,
    width: float | None = None,
    total_row: Sequence[Cell] | None = None,
    signature_height_mm: float = 10,
    min_row_height_mm: float = 0,
) -> Any:
    """A ruled table: the header row repeats at the top of every page, every cell is a
    Paragraph (long text wraps inside its cell), money is right-aligned.

    ``width`` (points) stretches or shrinks the columns in proportion to fill it; a
    ``total_row`` is printed last on a grey ground; rows with a signature column are at
    least ``signature_height_mm`` high, and every body row at least ``min_row_height_mm`` (room
    to write in by hand).
    """
    sheet = styles()
    blank = signature_height_mm * mm - 2 * CELL_PADDING
    data: list[list[Any]] = [[para(c.header, sheet.header) for c in columns]]
    for row in rows:
        if len(row) != len(columns):
            raise ValueError(f"a row has {len(row)} cells for {len(columns)} columns: {row!r}")
        data.append([_cell(value, column, sheet, blank) for value, column in zip(row, columns, strict=True)])
    if total_row is not None:
        data.append(
            [_cell(value, column, sheet, 0) for value, column in zip(total_row, columns, strict=True)]
        )
    widths = [c.width_mm * mm for c in columns]
    if width is not None:
        scale = width / sum(widths)
        widths = [w * scale for w in widths]
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, LINE),
        ("BOX", (0, 0), (-1, -1), 1, LINE),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
    if total_row is not None:
        commands += [("BACKGROUND", (0, -1), (-1, -1), TOTAL_FILL), ("LINEABOVE", (0, -1), (-1, -1), 1, LINE)]
    heights = [0.0] + [min_row_height_mm * mm] * (len(data) - 1) if min_row_height_mm else None
    return Table(
        data,
        colWidths=widths,
        repeatRows=1,
        style=table_style(commands),
        hAlign="CENTER",
        minRowHeights=heights,
    )


def totals_line(total_fen: int, label: str = "合计") -> Any:
    """合计（大写）：壹仟贰佰叁拾肆元伍角　　￥1,234.50"""
    text = f"{label}（大写）：{amount_in_capitals(total_fen)}　　{yuan(total_fen)}"
    line = para(text, styles().body)
    line.spaceBefore = 3 * mm  # clear of the table above
    return line


def signed(story: Sequence[Any], signatures: Any, *, keep: int = 1) -> list[Any]:
    """``story`` ending in ``signatures``, kept on one page with the ``keep`` flowables just
    before them: signature lines alone on a last page sign nothing the reader can see."""
    kept = max(0, len(story) - keep)
    return [*story[:kept], KeepTogether([*story[kept:], signatures])]


def signature_line(
    roles: Sequence[str] = ("经办人", "审核人", "负责人"),
    *,
    width: float,
    filled: Sequence[str] = (),
) -> Any:
    """经办人：______  审核人：______  负责人：______ across ``width`` points.

    ``filled`` gives names already known (in the order of ``roles``); the rest stay blank to sign.
    """
    sheet = styles()
    share = width / len(roles)
    data: list[Any] = []
    widths: list[float] = []
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for index, role in enumerate(roles):
        label = f"{role}："
        label_width = stringWidth(label, sheet.body.fontName, sheet.body.fontSize) + 2
        name = filled[index] if index < len(filled) else ""
        data += [para(label, sheet.body), para(name, sheet.body)]
        widths += [label_width, max(share - label_width - 6 * mm, 12 * mm), 6 * mm]
        data.append("")
        column = 3 * index + 1
        commands.append(("LINEBELOW", (column, 0), (column, 0), 0.5, LINE))
    # room above to sign in, and the line kept off the foot of the page
    return Table([data], colWidths=widths, style=table_style(commands), hAlign="LEFT", spaceBefore=10 * mm)
