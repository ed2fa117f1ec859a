"""The 困难职工档案表 of one household (RULES §6), printed on A4 for the paper file: the
worker, the household and its income, the causes, the family members, the bank details, the
filing and review, the aid received, and the lines to sign — on the shared printing blocks."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.db import database_files
from app.domain.money import amount_in_capitals, format_fen
from app.services.care.hardship import HardshipInfo, get_file
from app.services.excel.writer import check_output_path
from app.services.system import get_profile

TITLE = "困难职工档案表"
FAMILY_ROWS = 4  # blank rows to fill by hand when fewer members are listed


def _day(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _yes(flag: bool) -> str:
    return "是" if flag else "否"


def _grid(
    rows: list[list[str]], spans: list[tuple[int, int, int]], tall: dict[int, float], width: float
) -> Any:
    """A form of label/value cells in six columns: labels (even columns) centred on grey,
    values as given; ``spans`` are (row, first column, last column); ``tall`` rows have a
    minimum height in mm."""
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Table

    from app.services.printing import para, styles, table_style
    from app.services.printing.blocks import HEADER_FILL, LINE

    sheet = styles()
    label = ParagraphStyle("UDFormLabel", parent=sheet.cell, alignment=TA_CENTER)
    data = [
        [para(text, label if col % 2 == 0 else sheet.cell) for col, text in enumerate(row)] for row in rows
    ]
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, LINE),
        ("BOX", (0, 0), (-1, -1), 1, LINE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        *[("SPAN", (first, row), (last, row)) for row, first, last in spans],
    ]
    covered = {(row, col) for row, first, last in spans for col in range(first, last + 1)}
    commands += [
        ("BACKGROUND", (col, row), (col, row), HEADER_FILL)
        for row in range(len(rows))
        for col in (0, 2, 4)
        if (row, col) not in covered
    ]
    labels, values = 27 * mm, (width - 3 * 27 * mm) / 3
    heights = [tall.get(n, 0) * mm for n in range(len(rows))]
    return Table(
        data,
        colWidths=[labels, values] * 3,
        style=table_style(commands),
        minRowHeights=heights,
        hAlign="CENTER",
    )


def _story(info: HardshipInfo, union: str, width: float) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    from app.services.printing import Column, para, signature_line, styles, table
    from app.services.printing.blocks import signed

    sheet = styles()
    data, row = info.data, info.row
    causes = "、".join(data.secondary_causes) or "无"
    state = f"已结案（{row.close_reason}，{_day(row.closed_on)}）" if row.closed_on else "在档"
    basic = [
        ["姓名", row.name, "性别", info.gender, "出生日期", _day(info.birth_date)],
        ["身份证号", info.id_number, "", "", "联系电话", info.phone],
        ["部门", row.group, "", "", "困难类别", data.category],
        ["家庭人口", f"{row.household_size} 人", "家庭年收入", f"{format_fen(row.annual_income_fen)} 元",
         "月人均收入", f"{format_fen(row.per_head_monthly_fen)} 元"],
        ["住房情况", data.housing, "", "", "医疗保险", data.medical_insurance],
        ["单亲家庭", _yes(data.single_parent), "零就业家庭", _yes(data.zero_employment), "档案状态", state],
        ["主要致困原因", data.main_cause, "次要致困原因", causes, "", ""],
        ["困难情况", data.situation, "", "", "", ""],
    ]  # fmt: skip
    spans = [(1, 1, 3), (2, 1, 3), (4, 1, 3), (6, 3, 5), (7, 1, 5)]
    family: list[list[str | int | None]] = [
        [r.name, r.relation, r.id_number, r.health, r.annual_income_fen, r.occupation] for r in data.relatives
    ]
    family += [["", "", "", "", None, ""]] * max(0, FAMILY_ROWS - len(family))
    bank = [
        ["开户行", data.bank_name, "户名", data.account_holder, "建档人", data.filer],
        ["银行账号", data.bank_account, "", "", "建档日期", _day(data.opened_on)],
        ["审核人", data.reviewer, "公示情况", data.notice, "复核日期", _day(row.reviewed_on)],
        ["审核意见", data.opinion, "", "", "", ""],
        ["备注", data.note, "", "", "", ""],
    ]
    aid: list[list[str | int | None]] = [[_day(r.day), r.what, r.amount_fen, r.note] for r in info.aid]
    total = sum(r.amount_fen for r in info.aid)
    story: list[Any] = [
        para(TITLE, sheet.title),
        para(f"单位：{union}　　档案编号：{row.id}", sheet.body),
        Spacer(1, 2 * mm),
        _grid(basic, spans, {7: 24}, width),
        Spacer(1, 3 * mm),
        para("家庭成员情况（不含本人）", sheet.body),
        table(
            [
                Column("姓名", 18),
                Column("与本人关系", 18, "center"),
                Column("身份证号", 40),
                Column("健康状况", 18, "center"),
                Column("年收入（元）", 22, "money"),
                Column("工作单位或学校", 44),
            ],
            family,
            width=width,
            signature_height_mm=0,
            min_row_height_mm=8,
        ),
        Spacer(1, 3 * mm),
        _grid(bank, [(1, 1, 3), (3, 1, 5), (4, 1, 5)], {3: 16}, width),
        Spacer(1, 3 * mm),
        para(f"帮扶记录（{len(info.aid)} 次，合计 {format_fen(total)} 元）", sheet.body),
    ]
    if aid:
        story.append(
            table(
                [
                    Column("日期", 30, "center"),
                    Column("事由", 40),
                    Column("金额（元）", 26, "money"),
                    Column("备注", 64),
                ],
                aid,
                width=width,
                total_row=["合计", "", total, amount_in_capitals(total)],
                signature_height_mm=0,
            )
        )
    else:
        story.append(para("暂无帮扶记录。", sheet.small))
    return signed(story, signature_line(("职工本人", "建档人", "工会主席（盖章）"), width=width))


def print_file(session: Session, file_id: int, path: Path) -> None:
    """Write one household's 困难职工档案表 to ``path`` (a PDF)."""
    from app.services.printing import PageSetup, write_pdf

    info = get_file(session, file_id)
    check_output_path(path, TITLE, keep=database_files(session), suffix=".pdf")
    page = PageSetup()
    union = get_profile(session).name or "本工会"
    write_pdf(path, _story(info, union, page.frame_width), title=TITLE, page=page)
