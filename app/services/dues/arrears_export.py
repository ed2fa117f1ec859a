"""The arrears list as Excel (欠缴名单) and as a printable reminder per group (催缴单)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.db import database_files
from app.domain.dues import LONG_ARREARS_MONTHS, SHORT_TEXT, describe_months
from app.domain.idcard import mask_id_number
from app.domain.yearmonth import YearMonth
from app.services.dues.arrears import ArrearsRow, list_arrears
from app.services.excel.writer import Column, check_output_path, new_workbook, save_workbook, table_sheet
from app.services.system import get_profile

_COLUMNS = (
    Column("序号", 6, "number"),
    Column("姓名", 10),
    Column("身份证号", 21),
    Column("部门", 18),
    Column("欠缴月数", 9, "number"),
    Column("连续欠缴月数", 12, "number"),
    Column("欠缴金额（元）", 14, "money"),
    Column("欠缴月份", 36),
    Column("提示", 36),  # 连续欠缴6个月以上，请工会研究处理 on one line
)


def _flag(row: ArrearsRow) -> str:
    if row.long:
        return f"连续欠缴{LONG_ARREARS_MONTHS}个月以上，请工会研究处理"
    return SHORT_TEXT if row.short_only else ""


def export_arrears(
    session: Session,
    out: Path,
    *,
    through: YearMonth | None = None,
    group_ids: list[int] | None = None,
    today: date | None = None,
    mask: bool = False,
) -> int:
    """Write the arrears list to ``out``; returns how many members it lists. ``mask`` hides
    the middle of the ID numbers (110105********002X)."""
    check_output_path(out, "欠缴名单", keep=database_files(session))
    rows = list_arrears(session, through=through, group_ids=group_ids)
    today = today or date.today()

    def values() -> Iterator[list[Any]]:
        for number, row in enumerate(rows, start=1):
            shown = mask_id_number(row.id_number) if mask else row.id_number
            yield [
                number, row.name, shown, row.group, row.months_unpaid, row.consecutive_months,
                Decimal(row.owed_fen) / 100, describe_months(m for m, _ in row.months), _flag(row),
            ]  # fmt: skip

    workbook = new_workbook()
    profile = get_profile(session)
    owed = sum(r.owed_fen for r in rows)
    cut = f"截至{through.chinese()}　　" if through else ""
    subtitle = (
        f"{cut}制表日期：{today.year}年{today.month}月{today.day}日　　共 {len(rows)} 人，"
        f"欠缴合计 {Decimal(owed) / 100:,.2f} 元" + ("　　（已隐去身份证号的中间部分）" if mask else "")
    )
    table_sheet(workbook, "欠缴名单", _COLUMNS, values(), title=f"{profile.name or '本工会'}会费欠缴名单",
                subtitle=subtitle)  # fmt: skip
    save_workbook(workbook, out, "欠缴名单")
    return len(rows)


def print_reminders(
    session: Session,
    out: Path,
    *,
    through: YearMonth | None = None,
    group_ids: list[int] | None = None,
    today: date | None = None,
) -> int:
    """催缴单: one page (or more) per group listing what each member still owes — only what
    remains, after every payment — with the group's total in capitals. Returns the count."""
    from reportlab.platypus import PageBreak

    from app.services.printing import Column as PdfColumn
    from app.services.printing import (
        PageSetup,
        chinese_date,
        para,
        signature_line,
        styles,
        table,
        totals_line,
        write_pdf,
    )

    check_output_path(out, "催缴单", keep=database_files(session), suffix=".pdf")
    rows = list_arrears(session, through=through, group_ids=group_ids)
    today = today or date.today()
    union = get_profile(session).name or "本工会"
    sheet, page = styles(), PageSetup()
    columns = (
        PdfColumn("序号", 12, "center"),
        PdfColumn("姓名", 24),
        PdfColumn("欠缴月份", 70),
        PdfColumn("月数", 14, "center"),
        PdfColumn("欠缴金额（元）", 28, "money"),
        PdfColumn("本人签收", 32, "signature"),
    )
    by_group: dict[str, list[ArrearsRow]] = {}
    for row in sorted(rows, key=lambda r: (r.group, r.name)):
        by_group.setdefault(row.group or "未分组", []).append(row)
    story: list[Any] = []
    for index, (group, members) in enumerate(by_group.items()):
        if index:
            story.append(PageBreak())
        cut = f"截至{through.chinese()}" if through else f"截至{chinese_date(today)}"
        story += [
            para(f"{union}会费催缴通知单", sheet.title),
            para(f"部门：{group}　　{cut}　　共 {len(members)} 人", sheet.subtitle),
            para(
                "以下会员有应缴未缴的会费，请于本月内交到工会。已经交过的，请带收据与工会核对。", sheet.body
            ),
            table(
                columns,
                [
                    [
                        n,
                        r.name,
                        describe_months(m for m, _ in r.months) + ("（连续欠缴6个月以上）" if r.long else ""),
                        r.months_unpaid,
                        r.owed_fen,
                        None,
                    ]
                    for n, r in enumerate(members, start=1)
                ],
                width=page.frame_width,
            ),
            totals_line(sum(r.owed_fen for r in members)),
            signature_line(("经办人", "部门负责人", "工会主席"), width=page.frame_width),
            para(f"制表日期：{chinese_date(today)}", sheet.small),
        ]
    if not story:
        story = [para(f"{union}会费催缴通知单", sheet.title), para("没有欠缴会费的会员。", sheet.body)]
    write_pdf(out, story, title="催缴单")
    return len(rows)
