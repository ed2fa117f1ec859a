"""会费收据: the receipt a member gets for dues paid, as unions print it — two copies on one
A4 sheet, 第一联 存根 (kept by the union) above 第二联 交款人收执 (handed to the member),
with a dashed line to cut along between them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepInFrame, Spacer, Table

from app.domain.money import amount_in_capitals
from app.services.printing.blocks import LINE, chinese_date, para, styles, table_style, yuan
from app.services.printing.document import PageSetup, write_pdf
from app.services.printing.fonts import pdf_fonts

TITLE = "会费收据"
COPIES = ("第一联　存根", "第二联　交款人收执")
PAGE = PageSetup(top_mm=10, bottom_mm=10, left_mm=14, right_mm=14)
CUT_HEIGHT = 10 * mm


@dataclass(frozen=True, kw_only=True)
class ReceiptData:
    """What one receipt shows; text is printed as given (the dues area masks the ID number).
    Keyword arguments only."""

    union_name: str  # 收款单位：本工会的名称
    receipt_no: str  # 收据号
    member_name: str  # 交款人
    member_group: str  # 所在部门
    id_number_masked: str  # 身份证号（已遮盖中间几位）
    months: str  # 缴费月份，如 “2026年1月—2026年6月”
    amount_fen: int  # 金额（分）
    method: str  # 缴费方式：现金、工资代扣、转账……
    paid_on: date  # 收款日期
    collector: str  # 收款人（经手人）
    note: str = ""  # 备注
    printed_on: date  # 打印日期


def _style(name: str, size: float, *, heading: bool = False, align: int = TA_LEFT) -> Any:
    fonts = pdf_fonts()
    return ParagraphStyle(
        name,
        fontName=fonts.heading if heading else fonts.body,
        fontSize=size,
        leading=round(size * 1.35, 1),
        alignment=align,
        wordWrap="CJK",
    )


def _header(data: ReceiptData, copy: str, width: float) -> Any:
    small = styles().small
    title = _style("UDReceiptTitle", 22, heading=True, align=TA_CENTER)
    left = _style("UDReceiptLeft", 10.5)
    right = _style("UDReceiptRight", 10.5, align=TA_RIGHT)
    title_width = 52 * mm
    side = (width - title_width) / 2
    rows = [
        [para(copy, small), para(TITLE, title), para(f"收据号：{data.receipt_no}", right)],
        [para(f"收款单位：{data.union_name}", left), "", para(f"日期：{chinese_date(data.paid_on)}", right)],
    ]
    style = table_style(
        [
            ("SPAN", (0, 1), (1, 1)),
            ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
            ("VALIGN", (0, 1), (-1, 1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, 0), 6),
            ("TOPPADDING", (0, 1), (-1, 1), 6),
            # the title's double rule, as on a printed receipt book
            ("LINEBELOW", (1, 0), (1, 0), 0.8, LINE, None, None, None, 2, 1.6),
        ]
    )
    return Table(rows, colWidths=[side, title_width, side], style=style)


def _body(data: ReceiptData, width: float) -> Any:
    label = _style("UDReceiptLabel", 11, align=TA_CENTER)
    value = _style("UDReceiptValue", 11)
    amount = _style("UDReceiptAmount", 12, heading=True)
    capitals = _style("UDReceiptCapitals", 12, heading=True)
    rows = [
        [
            para("交款人", label),
            para(data.member_name, value),
            para("所在部门", label),
            para(data.member_group, value),
        ],
        [
            para("身份证号", label),
            para(data.id_number_masked, value),
            para("缴费方式", label),
            para(data.method, value),
        ],
        [para("缴费月份", label), para(data.months, value), "", ""],
        [
            para("金额（大写）", label),
            para(amount_in_capitals(data.amount_fen), capitals),
            para("金额（小写）", label),
            para(yuan(data.amount_fen), amount),
        ],
        [para("备注", label), para(data.note, value), "", ""],
    ]
    labels, values = 28 * mm, (width - 2 * 28 * mm) / 2
    style = table_style(
        [
            ("SPAN", (1, 2), (3, 2)),
            ("SPAN", (1, 4), (3, 4)),
            ("GRID", (0, 0), (-1, -1), 0.6, LINE),
            ("BOX", (0, 0), (-1, -1), 1.2, LINE),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ("RIGHTPADDING", (0, 0), (-1, -1), 5),
            ("TOPPADDING", (0, 0), (-1, -1), 7),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
        ]
    )
    return Table(
        rows, colWidths=[labels, values, labels, values], style=style, minRowHeights=[0, 0, 0, 0, 14 * mm]
    )


def _signatures(data: ReceiptData, width: float) -> Any:
    text = _style("UDReceiptSign", 11)
    small = _style("UDReceiptPrinted", 8.5, align=TA_RIGHT)
    rows = [
        [para("收款单位（盖章）：", text), para(f"收款人（经手人）：{data.collector}", text)],
        ["", para(f"打印日期：{chinese_date(data.printed_on)}", small)],
    ]
    style = table_style(
        [
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 1), (-1, 1), 16 * mm),
        ]
    )
    return Table(rows, colWidths=[width * 0.55, width * 0.45], style=style)


def _copy(data: ReceiptData, copy: str, width: float, height: float) -> Any:
    content = [
        _header(data, copy, width),
        Spacer(1, 4 * mm),
        _body(data, width),
        Spacer(1, 5 * mm),
        _signatures(data, width),
    ]
    # a long note shrinks this copy rather than pushing the second one off the sheet
    fitted = KeepInFrame(width, height, content, mode="shrink", hAlign="CENTER")
    box = table_style(
        [("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER"), *_no_padding()]
    )
    return Table([[fitted]], colWidths=[width], rowHeights=[height], style=box)


def _no_padding() -> list[tuple[Any, ...]]:
    return [
        (side, (0, 0), (-1, -1), 0) for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")
    ]


def _cut_line(width: float) -> Any:
    """- - - - - - 沿虚线剪开 - - - - - -"""
    hint = _style("UDReceiptCut", 8, align=TA_CENTER)
    hint.textColor = colors.grey
    middle = 26 * mm
    side = (width - middle) / 2
    dashed = (0.5, colors.grey, None, (3, 2))
    style = table_style(
        [
            ("SPAN", (1, 0), (1, 1)),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LINEBELOW", (0, 0), (0, 0), *dashed),
            ("LINEBELOW", (2, 0), (2, 0), *dashed),
            *_no_padding(),
        ]
    )
    rows = [["", para("沿虚线剪开", hint), ""], ["", "", ""]]
    return Table(rows, colWidths=[side, middle, side], rowHeights=[CUT_HEIGHT / 2] * 2, style=style)


def write_receipt(data: ReceiptData, path: Path) -> None:
    """Write the receipt for one payment to ``path`` (a .pdf): both copies on one A4 sheet.

    Raises ``UserError`` (Chinese) when the folder does not exist or the file cannot be written.
    """
    width = PAGE.frame_width
    height = (PAGE.frame_height - CUT_HEIGHT) / 2 - 1  # a point spare: the frame must take both copies
    story = [_copy(data, COPIES[0], width, height), _cut_line(width), _copy(data, COPIES[1], width, height)]
    write_pdf(path, story, title=TITLE, page=PAGE, page_numbers=False)
