"""The period report on paper: a print-ready .xlsx (one sheet, A4) and a PDF.

Both show the union, the period, the sections with their 本期 and 本年累计 columns (and 女 /
农民工 columns for the member figures), the notes, and 填报人 / 审核人 / 填报日期 at the foot.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.domain.money import format_fen
from app.services.reports.period import FEN, PERCENT, Figure, PeriodReport

NUMERALS = "一二三四五六七八九十"
# as statistical returns sent upward are signed: the head of the unit, who checked it, who filled it in
SIGNERS = ("单位负责人", "审核人", "填报人", "填报日期")
FILLER = "填报单位（盖章）"


def report_title(report: PeriodReport) -> str:
    """某公司工会委员会2026年9月月报表: 工会 once, where the union's name has it already."""
    kind = "月报表" if report.first == report.last else "工作报表"
    union = "" if "工会" in report.union_name else "工会"
    return f"{report.union_name}{report.label}{union}{kind}"


def unit_text(figure: Figure) -> str:
    return {FEN: "元", PERCENT: "%"}.get(figure.unit, figure.unit)


def value_text(figure: Figure, value: int | Decimal | None) -> str:
    """How a value is printed: money in yuan with thousands, a rate with one decimal, — for none."""
    if value is None:
        return "—"
    if figure.unit == FEN:
        return format_fen(int(value))
    if figure.unit == PERCENT:
        return f"{value}%"
    return str(value)


def _split(pair: tuple[int, int] | None) -> tuple[str, str]:
    return ("", "") if pair is None else (str(pair[0]), str(pair[1]))


def rows_of(report: PeriodReport) -> list[tuple[str, list[str]]]:
    """("section" | "figure" | "note", cells): the table as both files print it."""
    rows: list[tuple[str, list[str]]] = []
    for number, section in enumerate(report.sections):
        rows.append(("section", [f"{NUMERALS[number]}、{section.title}"]))
        for f in section.figures:
            female, migrant = _split(f.female), _split(f.migrant)
            rows.append(("figure", [f.label, unit_text(f), value_text(f, f.period), value_text(f, f.year_to_date),
                                    *female, *migrant]))  # fmt: skip
        for note in section.notes:
            rows.append(("note", [f"注：{note}"]))
    return rows


def made_on_text(report: PeriodReport) -> str:
    day = report.made_on or date.today()
    return f"{day.year}年{day.month}月{day.day}日"


# ---------------------------------------------------------------- .xlsx


def _typed(figure: Figure, value: int | Decimal | None) -> tuple[Any, str | None]:
    """A value as an .xlsx cell holds it (numbers stay numbers) and its number format."""
    if value is None:
        return "—", None
    if figure.unit == FEN:
        return Decimal(int(value)) / 100, "#,##0.00"
    if figure.unit == PERCENT:
        return Decimal(value), '0.0"%"'
    return int(value), "0"


_WIDTHS = (30, 6, 14, 14, 8, 8, 8, 8)


def write_period_xlsx(report: PeriodReport, out: Path, *, keep: Sequence[Path] = ()) -> Path:
    """Write the report to ``out`` (.xlsx, one A4 sheet); ``keep`` are files never to overwrite
    (the 账套). Raises UserError in Chinese when the place cannot be written."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.worksheet.properties import PageSetupProperties

    from app.services.excel.writer import check_output_path, column_letter, save_workbook, writable

    out = Path(out)
    check_output_path(out, "报表", keep=keep)
    workbook = Workbook()
    sheet: Any = workbook.active
    sheet.title = "报表"
    last = column_letter(len(_WIDTHS))
    for index, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[column_letter(index)].width = width
    thin = Side(style="thin", color="000000")
    ruled = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = "宋体"

    def put(row: int, column: int, value: Any, *, bold: bool = False, size: float = 10.5, align: str = "left",
            fill: str | None = None, border: bool = True, wrap: bool = True) -> Any:  # fmt: skip
        cell = sheet.cell(row=row, column=column, value=writable(value) if isinstance(value, str) else value)
        if isinstance(value, str):
            cell.data_type = "s"
        cell.font = Font(name=font, bold=bold, size=size)
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=wrap)
        if fill:
            cell.fill = PatternFill("solid", fgColor=fill)
        if border:
            cell.border = ruled
        return cell

    def span(row: int, first: int, last_column: int) -> None:
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last_column)
        for column in range(first, last_column + 1):
            sheet.cell(row=row, column=column).border = ruled

    sheet.merge_cells(f"A1:{last}1")
    put(1, 1, report_title(report), bold=True, size=16, align="center", border=False)
    sheet.row_dimensions[1].height = 30
    sheet.merge_cells("A2:D2")
    put(2, 1, f"{FILLER}：{report.union_name}", border=False)
    sheet.merge_cells(f"E2:{last}2")
    put(2, 5, f"报告期：{report.label}　　金额单位：元", align="right", border=False)
    header = "DDE6F1"
    for column, text in enumerate(("项目", "单位", "本期", "本年累计"), start=1):
        sheet.merge_cells(start_row=3, start_column=column, end_row=4, end_column=column)
        put(3, column, text, bold=True, align="center", fill=header)
        put(4, column, None, fill=header)
    for column, text in ((5, "其中：女"), (7, "其中：农民工")):
        span(3, column, column + 1)
        put(3, column, text, bold=True, align="center", fill=header)
        put(3, column + 1, None, fill=header)
        put(4, column, "本期", bold=True, align="center", fill=header)
        put(4, column + 1, "本年累计", bold=True, align="center", fill=header, wrap=True)
    row = 5
    for number, section in enumerate(report.sections):
        span(row, 1, len(_WIDTHS))
        put(row, 1, f"{NUMERALS[number]}、{section.title}", bold=True, fill="F2F2F2")
        row += 1
        for f in section.figures:
            put(row, 1, f.label)
            put(row, 2, unit_text(f), align="center")
            subs = [*(f.female or ("", "")), *(f.migrant or ("", ""))]
            typed = [_typed(f, f.period), _typed(f, f.year_to_date), *((v, "0") for v in subs)]
            for column, (value, style) in enumerate(typed, start=3):
                cell = put(row, column, value, align="right")
                if style is not None and value != "":
                    cell.number_format = style
            row += 1
        for note in section.notes:
            span(row, 1, len(_WIDTHS))
            put(row, 1, f"注：{note}", size=9)
            row += 1
    row += 1
    sheet.row_dimensions[row].height = 28
    for (first, last_column), role, filled in zip(
        ((1, 1), (2, 3), (4, 5), (6, len(_WIDTHS))), SIGNERS, ("", "", "", made_on_text(report)), strict=True
    ):
        if last_column > first:
            sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last_column)
        put(row, first, f"{role}：{filled}", border=False)
    sheet.print_title_rows = "3:4"
    sheet.print_area = f"A1:{last}{row}"
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.fitToWidth = 1
    # as wide as the page, as many pages tall as it takes (two, as the PDF): squeezed onto one,
    # a year's 70 rows print at 8 points
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top, sheet.page_margins.bottom = 0.6, 0.7
    sheet.oddFooter.center.text = "第 &P 页 共 &N 页"
    sheet.freeze_panes = "A5"
    return save_workbook(workbook, out, "报表")


# ---------------------------------------------------------------- PDF


def write_period_pdf(report: PeriodReport, out: Path) -> Path:
    """Write the report to ``out`` (PDF, A4 portrait, "第 x 页 共 y 页")."""
    from reportlab.lib.enums import TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Table

    from app.services.printing import PageSetup, para, signature_line, styles, table_style, write_pdf
    from app.services.printing.blocks import CELL_PADDING, HEADER_FILL, LINE, TOTAL_FILL

    out = Path(out)
    sheet, page = styles(), PageSetup()
    widths_mm = (62, 12, 26, 26, 13, 13, 13, 13)
    scale = page.frame_width / sum(w * mm for w in widths_mm)
    widths = [w * mm * scale for w in widths_mm]
    right = sheet.cell_right
    section_style = ParagraphStyle("UDReportSection", parent=sheet.header, alignment=TA_LEFT)
    data: list[list[Any]] = [
        [para("项目", sheet.header), para("单位", sheet.header), para("本期", sheet.header),
         para("本年累计", sheet.header), para("其中：女", sheet.header), "", para("其中：农民工", sheet.header), ""],
        ["", "", "", "", para("本期", sheet.header), para("累计", sheet.header), para("本期", sheet.header),
         para("累计", sheet.header)],
    ]  # fmt: skip
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, LINE),
        ("BOX", (0, 0), (-1, -1), 1, LINE),
        ("BACKGROUND", (0, 0), (-1, 1), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("SPAN", (0, 0), (0, 1)),
        ("SPAN", (1, 0), (1, 1)),
        ("SPAN", (2, 0), (2, 1)),
        ("SPAN", (3, 0), (3, 1)),
        ("SPAN", (4, 0), (5, 0)),
        ("SPAN", (6, 0), (7, 0)),
        *[(side, (0, 0), (-1, -1), CELL_PADDING) for side in ("LEFTPADDING", "RIGHTPADDING")],
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for kind, cells in rows_of(report):
        index = len(data)
        if kind == "figure":
            data.append([para(cells[0], sheet.cell), para(cells[1], sheet.cell_center),
                         *[para(c, right) for c in cells[2:]]])  # fmt: skip
            continue
        data.append([para(cells[0], section_style if kind == "section" else sheet.small), *[""] * 7])
        commands.append(("SPAN", (0, index), (-1, index)))
        if kind == "section":
            commands.append(("BACKGROUND", (0, index), (-1, index), TOTAL_FILL))
    grid = Table(data, colWidths=widths, repeatRows=2, style=table_style(commands), hAlign="CENTER")
    sheet_header = para(
        f"{FILLER}：{report.union_name}　　报告期：{report.label}　　金额单位：元", sheet.subtitle
    )
    story = [
        para(report_title(report), sheet.title),
        sheet_header,
        grid,
        # the three who sign on one line, the date under them: four to a line leave no room to sign
        signature_line(SIGNERS[:-1], width=page.frame_width),
        para(
            f"{SIGNERS[-1]}：{made_on_text(report)}",
            ParagraphStyle("date", sheet.body, alignment=TA_RIGHT, spaceBefore=4 * mm),
        ),
    ]
    write_pdf(out, story, title=report_title(report), page=page)
    return out
