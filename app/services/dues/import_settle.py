"""What importing each row of a dues sheet would change: the member it is about, then each
of its payments new, a change of one imported before (the same member and month), or
already there. Importing the same file twice therefore changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import chain
from operator import attrgetter
from typing import NamedTuple

from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session

from app.domain.money import format_fen
from app.domain.yearmonth import YearMonth
from app.models import DuesPayment, DuesPaymentMonth
from app.services.dues.import_read import DuesRow, Line, header
from app.services.excel.table import ColumnMapping
from app.services.imports import FieldChange, RowIssue
from app.services.roster import MemberIndex

SOURCE = "导入"  # DuesPayment.source of the payments an import writes


class Imported(NamedTuple):
    """A payment an earlier import wrote."""

    id: int
    amount_fen: int
    paid_on: date
    method: str
    receipt_no: str
    note: str


def imported_payments(session: Session) -> dict[tuple[int, date], Imported]:
    """The payments earlier imports wrote, by member and month. Dates come as text, parsed
    once per distinct date: re-importing a 50,000-member year reads 600,000 of them."""
    month, paid_on = cast(DuesPayment.source_month, String), cast(DuesPayment.paid_on, String)
    query = select(
        DuesPayment.member_id, month, DuesPayment.id, DuesPayment.amount_fen, paid_on, DuesPayment.method,
        DuesPayment.receipt_no, DuesPayment.note,
    ).where(DuesPayment.source == SOURCE, DuesPayment.source_month.is_not(None))  # fmt: skip
    days: dict[str, date] = {}

    def day(text: str) -> date:
        found = days.get(text)
        if found is None:
            found = days[text] = date.fromisoformat(text[:10])
        return found

    return {
        (member_id, day(month_text)): Imported(payment_id, fen, day(paid_text), method, receipt_no, note)
        for member_id, month_text, payment_id, fen, paid_text, method, receipt_no, note in (
            session.connection().execute(query).all()
        )
    }


@dataclass(frozen=True)
class Settling:
    """What settling the rows reads from the 账套, whatever the file holds."""

    index: MemberIndex
    imported: dict[tuple[int, date], Imported]
    receipts: dict[str, int]  # receipt number → the payment it is on

    @classmethod
    def load(cls, session: Session) -> Settling:
        query = select(DuesPayment.receipt_no, DuesPayment.id).where(DuesPayment.receipt_no != "")
        receipts = {receipt: payment_id for receipt, payment_id in session.execute(query)}
        return cls(MemberIndex(session), imported_payments(session), receipts)


def settle(known: Settling, rows: list[DuesRow], mapping: ColumnMapping, shape: str) -> None:
    """Match each row with payments to its member; then each payment is new, a change of one
    imported before, or already there."""
    index, imported, receipts = known.index, known.imported, known.receipts
    present = set(mapping.fields.values())
    if shape == "grid":
        present &= {"method", "note"}  # a grid's dates and receipts are not read
    compared = present & {"paid_on", "method", "receipt_no", "note"}  # beyond the amount
    headers = {key: header(mapping, key) for key in ("name", "id_number", "receipt_no")}
    seen: dict[tuple[int, date], int] = {}
    seen_receipts: dict[str, int] = {}
    simple = not imported and set(map(_RECEIPT, chain.from_iterable(r.lines for r in rows))) <= {""}
    # a member's only row so far, settled the quick way: its months join ``seen`` when
    # another row names the member, which then goes the long way, as do all their rows after
    alone: dict[int, DuesRow] = {}
    long_way: set[int] = set()
    for row in rows:
        if row.issues:
            row.action = "error"
            continue
        if not row.lines:
            continue  # nothing paid: who it is does not matter
        found = index.find(row.name, row.id_number, row.group)
        if found.member is None:
            row.issues.append(RowIssue(row.row, headers[found.field], found.problem or ""))
            row.action = "error"
            continue
        member = found.member
        row.member_id, row.name, row.id_number = member.id, member.name, member.id_number
        member_id, number, inserts = member.id, row.row, row.inserts
        if simple:
            # a first import without receipt numbers: each payment is new unless the file
            # has its member and month twice. A member's first row (nearly every row) is
            # settled at once if its months differ; a later one the long way, below.
            earlier = alone.pop(member_id, None)
            if earlier is not None:
                seen.update(dict.fromkeys([(member_id, line.month) for line in earlier.lines], earlier.row))
            elif member_id not in long_way and len(set(map(_MONTH, row.lines))) == len(row.lines):
                alone[member_id] = row
                inserts.extend(row.lines)
                row.action = "new"
                continue
            long_way.add(member_id)
        for line in row.lines:  # 600,000 of them in a large grid: kept lean
            key = (member_id, line.month)
            if key in seen:
                month = YearMonth.of(line.month).chinese()
                message = f"与第 {seen[key]} 行都是{member.name}{month}的缴费，同一个月只能记一次"
                row.issues.append(RowIssue(number, line.column, message))
                continue
            seen[key] = number
            old = imported.get(key) if imported else None
            if line.receipt_no:
                used = receipts.get(line.receipt_no)
                taken = seen_receipts.get(line.receipt_no)
                if taken is not None or (used is not None and (old is None or used != old.id)):
                    where = f"第 {taken} 行" if taken is not None else "已有的缴费"
                    message = f"收据号 {line.receipt_no} 已用于{where}"
                    row.issues.append(RowIssue(number, headers["receipt_no"], message))
                    continue
                seen_receipts[line.receipt_no] = number
            if old is None:
                inserts.append(line)
            elif compared or old.amount_fen != line.amount_fen:
                _compare(row, old, line, present, shape)
        if row.issues:
            row.action = "error"
        elif row.inserts and not row.updates and len(row.inserts) == len(row.lines):
            row.action = "new"
        else:
            row.action = "update" if row.inserts or row.updates else "unchanged"
            if row.inserts:
                row.changes[:0] = [
                    FieldChange(_month_label(line), "（无）", format_fen(line.amount_fen))
                    for line in row.inserts
                ]


_MONTH = attrgetter("month")
_RECEIPT = attrgetter("receipt_no")


def _month_label(line: Line) -> str:
    return f"{YearMonth.of(line.month).chinese()}金额"


def _compare(row: DuesRow, old: Imported, line: Line, present: set[str], shape: str) -> None:
    """An imported payment met again: what the file now says of it. Columns the file does not
    have keep what was stored (a date computed afresh is no change)."""
    merged = line._replace(
        paid_on=line.paid_on if "paid_on" in present else old.paid_on,
        method=line.method if "method" in present else old.method,
        receipt_no=line.receipt_no if "receipt_no" in present else old.receipt_no,
        note=line.note if "note" in present else old.note,
    )
    label = _month_label(line) if shape == "grid" else "金额"
    pairs: list[tuple[str, object, object]] = [
        (label, old.amount_fen, merged.amount_fen),
        ("缴费日期", old.paid_on, merged.paid_on),
        ("缴费方式", old.method, merged.method),
        ("收据号", old.receipt_no, merged.receipt_no),
        ("备注", old.note, merged.note),
    ]
    changes = [
        FieldChange(name, _shown(before), _shown(after)) for name, before, after in pairs if before != after
    ]
    if changes:
        row.changes.extend(changes)
        row.updates.append((old.id, merged))


def _shown(value: object) -> str:
    if isinstance(value, int):
        return format_fen(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value) or "（空）"


def paid_otherwise(session: Session, rows: list[DuesRow]) -> list[RowIssue]:
    """A warning for each new payment whose member already has one for that month entered
    another way (by hand, or a batch deduction naming the month): the same money twice is
    what a payroll list imported after a batch would give."""
    others: dict[tuple[int, date], tuple[str, int]] = {}
    by_date = select(DuesPayment.member_id, DuesPayment.paid_on, DuesPayment.source, DuesPayment.amount_fen)
    for member_id, paid_on, source, fen in session.execute(by_date.where(DuesPayment.source != SOURCE)):
        others.setdefault((member_id, paid_on.replace(day=1)), (source, fen))
    named = (
        select(DuesPayment.member_id, DuesPaymentMonth.month, DuesPayment.source, DuesPayment.amount_fen)
        .join(DuesPayment, DuesPayment.id == DuesPaymentMonth.payment_id)
        .where(DuesPayment.source != SOURCE)
    )
    for member_id, month, source, fen in session.execute(named):
        others[(member_id, month)] = (source, fen)
    if not others:
        return []
    warnings = []
    for row, line in ((r, line) for r in rows if r.action in ("new", "update") for line in r.inserts):
        found = others.get((row.member_id or 0, line.month))
        if found is not None:
            shown = YearMonth.of(line.month).chinese()
            warnings.append(
                RowIssue(
                    row.row,
                    line.column,
                    f"{row.name}{shown}已有一笔{found[0]}登记的缴费（{format_fen(found[1])} 元），"
                    "导入后这个月会再记一笔；如是同一笔钱，请删去表中的这一格或那笔缴费",
                )
            )
    return warnings
