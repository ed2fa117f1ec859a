"""A one-payment slip on A5 landscape (the 慰问金领取单): who receives what and why, the amount
in figures and in capitals, and the lines the recipient and the union's people sign."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table

from app.domain.money import amount_in_capitals
from app.services.printing.blocks import LINE, chinese_date, para, signature_line, styles, table_style, yuan
from app.services.printing.document import PageSetup, write_pdf

PAGE = PageSetup(a5=True, landscape=True, top_mm=10, bottom_mm=14, left_mm=14, right_mm=14)


@dataclass(frozen=True, kw_only=True)
class VoucherData:
    """What one slip shows; text is printed as given. Keyword arguments only."""

    title: str  # 慰问金领取单
    union_name: str
    number: str  # 编号
    payee: str  # 领取人
    group: str  # 部门
    reason: str  # 事由
    day: date  # 发放日期
    amount_fen: int
    goods: str = ""  # 物品 and their value, in words
    amount_label: str = "金额"  # 价值 on a slip for goods alone
    funding: str = ""  # 经费来源
    note: str = ""
    roles: Sequence[str] = ("经办人", "审核人", "负责人")


def _grid(data: VoucherData, width: float) -> Any:
    sheet = styles()
    label = ParagraphStyle("UDVoucherLabel", parent=sheet.body, alignment=TA_CENTER)
    strong = ParagraphStyle("UDVoucherStrong", parent=sheet.body, fontName=sheet.header.fontName, fontSize=12)
    rows = [
        [para("领取人", label), para(data.payee, sheet.body), para("部门", label), para(data.group, sheet.body)],
        [para("事由", label), para(data.reason, sheet.body), para("发放日期", label), para(chinese_date(data.day), sheet.body)],
        [para(f"{data.amount_label}（大写）", label), para(amount_in_capitals(data.amount_fen), strong),
         para(f"{data.amount_label}（小写）", label), para(yuan(data.amount_fen), strong)],
        [para("物品", label), para(data.goods or "—", sheet.body), para("经费来源", label), para(data.funding, sheet.body)],
        [para("备注", label), para(data.note, sheet.body), "", ""],
        [para("领取人签字", label), "", para("签收日期", label), para("　　　年　　月　　日", sheet.body)],
    ]  # fmt: skip
    labels = 26 * mm
    values = (width - 2 * labels) / 2
    style = table_style(
        [
            ("SPAN", (1, 4), (3, 4)),
            ("GRID", (0, 0), (-1, -1), 0.6, LINE),
            ("BOX", (0, 0), (-1, -1), 1.2, LINE),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ]
    )
    return Table(
        rows, colWidths=[labels, values, labels, values], style=style, minRowHeights=[0] * 5 + [16 * mm]
    )


def write_voucher(data: VoucherData, path: Path) -> None:
    """Write the slip to ``path`` (.pdf) on one A5 landscape sheet, whole or not at all."""
    sheet = styles()
    width = PAGE.frame_width
    right = ParagraphStyle("UDVoucherRight", parent=sheet.body, alignment=TA_RIGHT)
    top = Table(
        [[para(f"单位：{data.union_name}", sheet.body), para(f"编号：{data.number}", right)]],
        colWidths=[width * 0.7, width * 0.3],
        style=table_style([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]),
    )
    story = [
        para(data.title, sheet.title),
        top,
        Spacer(1, 2 * mm),
        _grid(data, width),
        signature_line(data.roles, width=width),
    ]
    write_pdf(path, story, title=data.title, page=PAGE, page_numbers=False)
