"""The care area's paperwork (RULES §2): the 慰问金发放签领表 of a batch or of any chosen records
(实名发放、实名签收), with the bank transfer table when the money goes to bank cards, and one
record's 慰问金领取单 — on the shared printing blocks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from app.db import database_files
from app.domain.care import Occasion
from app.domain.idcard import mask_id_number
from app.domain.money import format_fen
from app.services.care.batch import get_batch
from app.services.care.records import CareInfo, get_care, list_care
from app.services.errors import UserError
from app.services.excel.writer import check_output_path
from app.services.system import get_profile

SIGN_SHEET = "慰问金发放签领表"
GOODS_SHEET = "慰问品发放签领表"
VOUCHER = "慰问金领取单"
GOODS_VOUCHER = "慰问品领取单"
BANK_TABLE = "银行转账明细"
IN_KIND = "实物"  # how goods alone are handed out


def _flag(record: CareInfo) -> str:
    """Over a cap, in words, with its reason (the audit looks for both)."""
    return f"超过标准：{record.over_cap}；原因：{record.reason or '未写原因'}"


def goods_words(record: CareInfo) -> str:
    """棉被一床（价值 300.00 元）: what was handed over besides money, and what it was worth."""
    return f"{record.goods}（价值 {format_fen(record.goods_fen)} 元）" if record.goods else ""


def _rows(
    records: Sequence[CareInfo], with_goods: bool, only_goods: bool
) -> tuple[list[list[str | int | None]], list[str]]:
    """The sheet's rows, and the notes under it: a record over a cap says so in its 备注 cell
    and has its cap and reason written out in full below the table (a cell would cut them).
    The money column is what the recipient signs for: the cash (the goods, with their value,
    in their own column), or the goods' value on a sheet of goods alone."""
    rows: list[list[str | int | None]] = []
    notes: list[str] = []
    for number, r in enumerate(records, start=1):
        row: list[str | int | None] = [str(number), r.recipient, r.group, r.what]
        if with_goods:
            row.append(r.goods if only_goods else goods_words(r))
        remark = r.note
        if r.over_cap:
            notes.append(f"说明{len(notes) + 1}：第 {number} 行 {r.recipient}，{_flag(r)}")
            remark = f"超标准，见说明{len(notes)}" + (f"；{r.note}" if r.note else "")
        row += [r.goods_fen if only_goods else r.cash_fen, None, f"{r.day.month}月{r.day.day}日", remark]
        rows.append(row)
    return rows, notes


def _accounts(session: Session, records: Sequence[CareInfo]) -> dict[int, tuple[str, str]]:
    """(bank, account) of the recipients with an open hardship file, the only bank details
    UnionDesk keeps; the others are written in by hand from the payroll-card list."""
    from sqlalchemy import select

    from app.models import HardshipFile

    ids = {r.member_id for r in records if r.member_id is not None}
    if not ids:
        return {}
    rows = session.execute(
        select(HardshipFile.member_id, HardshipFile.bank_name, HardshipFile.bank_account).where(
            HardshipFile.member_id.in_(ids), HardshipFile.closed_on.is_(None), HardshipFile.bank_account != ""
        )
    )
    return {member_id: (bank, account) for member_id, bank, account in rows}


def _bank_table(session: Session, records: Sequence[CareInfo], heading: str) -> list[object]:
    """收款人 / 身份证号 / 银行账号 / 开户行 / 金额, for the bank, laid out as the 签领表 is: the
    title and whose payment it is on every page, a subtotal per page, the total in capitals,
    and who hands it to the 财务 — never alone on a last page."""
    from reportlab.platypus import PageBreak

    from app.services.printing import Column, SignSheet
    from app.services.printing.sign_sheet import sign_sheet_story

    columns = [
        Column("序号", 10, "center"), Column("收款人", 20), Column("身份证号", 40), Column("银行账号", 46),
        Column("开户行", 34), Column("金额（元）", 22, "money"),
    ]  # fmt: skip
    accounts = _accounts(session, records)
    rows: list[list[str | int | None]] = []
    for n, r in enumerate(records, start=1):
        bank, account = accounts.get(r.member_id or 0, ("", ""))
        rows.append([str(n), r.recipient, r.id_number, account, bank, r.cash_fen])  # goods go by hand
    missing = "已填的账号取自困难职工档案；" if accounts else ""
    sheet = SignSheet(
        title=BANK_TABLE,
        heading=[heading],
        columns=columns,
        rows=rows,
        money=len(columns) - 1,
        roles=("经办人", "审核人", "财务"),
        notes=[f"{missing}空着的银行账号、开户行请按工资卡信息填写，核对无误后交财务办理转账。"],
    )
    return [PageBreak(), *sign_sheet_story(sheet)]


def write_care_sheet(
    session: Session,
    records: Sequence[CareInfo],
    path: Path,
    *,
    subject: str,
    pay_by: str | None = None,
    day: date | None = None,
) -> int:
    """The 签领表 of ``records`` to ``path``; ``subject`` is the 事由 line (a batch's name or
    the occasion and period); ``pay_by`` the batch's 发放方式 (records of a period came in
    their several ways: none is claimed for them, unless all were goods). Returns how many
    people it lists."""
    from app.services.printing import Column, SignSheet, write_sign_sheet

    if not records:
        raise UserError("没有可打印的慰问记录：请换一个时间段或事由")
    check_output_path(path, SIGN_SHEET, keep=database_files(session), suffix=".pdf")
    with_goods = any(r.goods for r in records)
    only_goods = all(r.cash_fen == 0 for r in records)
    columns = [Column("序号", 10, "center"), Column("姓名", 17), Column("部门", 24), Column("事由", 24)]
    if with_goods:
        columns.append(Column("物品", 24))
    columns += [
        Column("价值（元）" if only_goods else "现金（元）" if with_goods else "金额（元）", 20, "money"),
        Column("领取人签字", 24, "signature"),
        Column("日期", 17, "center"),
        Column("备注", 22),
    ]
    union = get_profile(session).name or "本工会"
    heading = [f"单位：{union}　　事由：{subject}"]
    pay_by = IN_KIND if only_goods else pay_by
    when = f"发放日期：{day.year}年{day.month}月{day.day}日　　" if day else ""
    how = f"发放方式：{pay_by}　　" if pay_by else ""
    heading.append(f"{when}{how}共 {len(records)} 人")
    rows, notes = _rows(records, with_goods, only_goods)
    sheet = SignSheet(
        title=GOODS_SHEET if only_goods else SIGN_SHEET,
        heading=heading,
        columns=columns,
        rows=rows,
        notes=notes,
        money=len(columns) - 4,
        after=_bank_table(session, records, heading[0]) if pay_by == "银行转账" else (),
    )
    write_sign_sheet(sheet, path)
    return len(records)


def print_batch(session: Session, batch_id: int, path: Path) -> int:
    batch = get_batch(session, batch_id)
    records = list_care(session, batch_id=batch_id)
    return write_care_sheet(session, records, path, subject=batch.name, pay_by=batch.pay_by, day=batch.day)


def print_records(
    session: Session,
    path: Path,
    *,
    first: date,
    last: date,
    occasion: Occasion | None = None,
    group_id: int | None = None,
    over_cap_only: bool = False,
) -> int:
    """The 签领表 of the records of a period, narrowed as ``list_care`` narrows them."""
    if last < first:
        raise UserError(f"结束日期 {last.isoformat()} 早于开始日期 {first.isoformat()}")
    records = list_care(
        session, first=first, last=last, occasion=occasion, group_id=group_id, over_cap_only=over_cap_only
    )
    span = f"{first.year}年{first.month}月{first.day}日至{last.year}年{last.month}月{last.day}日"
    subject = f"{occasion.value if occasion else '慰问'}（{span}）"
    if group_id is not None:
        from app.services.roster import list_groups

        subject += "　分组：" + next((g.path for g in list_groups(session) if g.id == group_id), "")
    if over_cap_only:
        subject += "　只列超过标准的"
    return write_care_sheet(session, records, path, subject=subject)


def print_voucher(session: Session, record_id: int, path: Path) -> None:
    """One record's 慰问金领取单 (慰问品领取单 for goods alone; A5 landscape)."""
    from app.services.printing import VoucherData, write_voucher

    record = get_care(session, record_id)
    check_output_path(path, VOUCHER, keep=database_files(session), suffix=".pdf")
    only_goods = bool(record.goods) and record.cash_fen == 0
    note = "；".join(x for x in (record.note, _flag(record) if record.over_cap else "") if x)
    who = record.recipient
    if record.id_number:
        who = f"{who}（{mask_id_number(record.id_number)}）"
    write_voucher(
        VoucherData(
            title=GOODS_VOUCHER if only_goods else VOUCHER,
            union_name=get_profile(session).name or "本工会",
            number=record.voucher_no or f"慰问{record.id}",
            payee=who,
            group=record.group,
            reason=record.what,
            day=record.day,
            # what the recipient signs for: the money, the goods' value in words beside it
            amount_fen=record.goods_fen if only_goods else record.cash_fen,
            goods=record.goods if only_goods else goods_words(record),
            amount_label="价值" if only_goods else "金额",
            funding=record.funding,
            note=note,
        ),
        path,
    )
