"""Importing the year's dues from the secretary's own sheets (会费收缴表): the payroll's
deduction list, or the member × month grid she kept by hand.

Each amount becomes one payment (source 导入) that remembers the month it stood for, so the
same file imported twice changes nothing. Payments name no months: they cover the oldest
unpaid month first (RULES §1), so a half-yearly lump paid in June covers January–June.
Amounts that differ from what is due are listed, never refused: the difference stays on
the member's balance.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import insert_values
from app.domain.dues import describe_months
from app.domain.money import format_fen
from app.domain.yearmonth import YearMonth
from app.models import DuesCharge, DuesPayment
from app.models.audit import note_touched, record_bulk
from app.services.dues.allocation import reallocate
from app.services.dues.import_grid import GridContext, has_dated_months, month_columns, read_grid
from app.services.dues.import_match import MemberIndex
from app.services.dues.import_read import (
    DUES_FIELDS,
    IGNORED_FIELDS,
    MONTH_KEYS,
    DuesRow,
    Line,
    ListContext,
    header,
    read_list,
    title_year,
)
from app.services.errors import UserError
from app.services.excel.reader import Sheet
from app.services.excel.table import ColumnMapping
from app.services.imports import FieldChange, Importer, ImportOptions, ImportPlan, ImportResult, RowIssue
from app.services.imports.columns import table_rows
from app.services.progress import NO_PROGRESS, Progress

SOURCE = "导入"  # DuesPayment.source of the payments an import writes
_SHOWN_DIFFERS = 10


@dataclass(frozen=True)
class DuesImportOptions(ImportOptions):
    month: YearMonth | None = None  # one file per month: every row is this month
    year: int | None = None  # the year of a grid's 1月…12月 (default: its title's, else this year)


@dataclass(frozen=True)
class Difference:
    """A payment that is not what the member owed for its month (多缴 / 少缴)."""

    member_id: int
    member: str
    id_number: str
    month: YearMonth
    due_fen: int  # the month's stored charge, 0 when none
    paid_fen: int

    def as_dict(self) -> dict[str, object]:
        return {
            "member_id": self.member_id,
            "member": self.member,
            "id_number": self.id_number,
            "month": str(self.month),
            "due_fen": self.due_fen,
            "paid_fen": self.paid_fen,
        }


@dataclass
class DuesPlan(ImportPlan[DuesRow]):
    shape: str = "list"  # "list": a row per member and month; "grid": a row per member
    differs: list[Difference] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {**super().summary(), "differs": [d.as_dict() for d in self.differs]}


class _Imported(NamedTuple):
    """A payment an earlier import wrote."""

    id: int
    amount_fen: int
    paid_on: date
    method: str
    receipt_no: str
    note: str


class DuesImporter(Importer[DuesRow, DuesImportOptions]):
    """会费收缴表: a list (月份, 姓名, 身份证号, 部门, 代扣会费…) or a grid (姓名, 部门, 1月…12月)."""

    kind = "dues"
    title = "会费收缴表"
    fields = DUES_FIELDS
    ignored_fields = IGNORED_FIELDS
    noun = "条记录"

    def plan(
        self, session: Session, sheet: Sheet, mapping: ColumnMapping, progress: Progress = NO_PROGRESS
    ) -> DuesPlan:
        options = self.options
        wanted = options.month
        if wanted is not None and YearMonth.of(options.today) < wanted:
            raise UserError(f"{wanted.chinese()}还没有到，不能导入这个月的会费")
        present = set(mapping.fields.values())
        if "id_number" not in present and "group" not in present:
            raise UserError(
                "表格中既没有身份证号列，也没有部门列：只凭姓名无法确定是哪位会员。请加上身份证号或部门列后再导入"
            )
        rows, ignored = table_rows(sheet, mapping, "name")
        year, year_note = self._year(sheet, mapping)
        plan = DuesPlan(self.kind, Path(sheet.name), sheet.name, mapping, [], ignored_rows=ignored)
        if any(key.startswith("m") and key[1:].isdigit() for key in present) or has_dated_months(mapping):
            plan.shape = "grid"
            columns = month_columns(mapping, year)
            if wanted is not None:
                columns = [c for c in columns if c.month == wanted.first_day()]
                if not columns:
                    raise UserError(f"表格中没有{wanted.chinese()}这一列")
                plan.file_notes.append(f"只导入{wanted.chinese()}一列")
            elif any(c.key in MONTH_KEYS for c in columns):
                plan.file_notes.append(year_note)
            unused = [
                header(mapping, k) for k in ("month", "amount", "paid_on", "receipt_no") if k in present
            ]
            if unused:
                plan.file_notes.append(f"按各月的列导入，“{'”“'.join(unused)}”列没有导入")
            plan.rows, plan.warnings = read_grid(mapping, rows, GridContext(options.today, columns), progress)
        elif "amount" in present:
            if "month" not in present and wanted is None:
                raise UserError("表格中没有月份列：请指定这些缴费是哪个月的（命令行用 --month 2026-03）")
            context = ListContext(options.today, year, wanted)
            plan.rows, year_assumed = read_list(mapping, rows, context, progress)
            if year_note and year_assumed:
                plan.file_notes.append(year_note.replace("各月", "没有写年份的月份"))
        else:
            raise UserError("表格中找不到金额列（如“代扣会费”“金额”），也找不到 1月…12月 各月的列")
        progress.step(0, 1, "正在核对会员……")
        _settle(session, plan)
        _compare_with_dues(session, plan)
        return plan

    def _year(self, sheet: Sheet, mapping: ColumnMapping) -> tuple[int, str]:
        """The year of months written without one, and a note saying where it came from."""
        options = self.options
        titled = title_year(sheet, mapping.header_row)
        if options.month is not None:
            return options.month.year, ""
        if options.year is not None:
            other = (
                f"（表格标题中写的是 {titled} 年）" if titled is not None and titled != options.year else ""
            )
            return options.year, f"各月按指定的 {options.year} 年导入{other}"
        if titled is not None:
            return titled, f"各月按表格标题中的年份（{titled} 年）导入"
        year = options.today.year
        return year, f"表格中没有写年份，各月按今年（{year} 年）导入；不对时请指定年份（命令行用 --year）"

    def apply(
        self, session: Session, plan: ImportPlan[DuesRow], progress: Progress = NO_PROGRESS
    ) -> ImportResult:
        """Insert the new payments, change the re-imported ones, and cover the members' charges."""
        counts = plan.counts()
        writing = [r for r in plan.rows if r.action in ("new", "update") and r.member_id is not None]
        inserts = [(r.member_id, line) for r in writing for line in r.inserts]
        updates = [(payment_id, line) for r in writing for payment_id, line in r.updates]
        progress.step(0, 3, "正在写入缴费……")
        iso: dict[date, str] = {}  # a few dozen distinct dates among the cells: format each once
        values = [
            (member_id, iso.get(line.paid_on) or iso.setdefault(line.paid_on, line.paid_on.isoformat()),
             line.amount_fen, line.method, line.receipt_no, line.note, SOURCE,
             iso.get(line.month) or iso.setdefault(line.month, line.month.isoformat()))
            for member_id, line in inserts
        ]  # fmt: skip
        # in date order, the order its indexes keep: many fewer pages touched than member by member
        values.sort(key=itemgetter(1, 0))
        insert_values(
            session,
            DuesPayment.__table__,  # type: ignore[arg-type]
            ("member_id", "paid_on", "amount_fen", "method", "receipt_no", "note", "source", "source_month"),
            values,
        )
        if updates:
            session.connection().exec_driver_sql(
                f'UPDATE "{DuesPayment.__tablename__}" SET amount_fen = ?, paid_on = ?, method = ?, '
                "receipt_no = ?, note = ? WHERE id = ?",
                [
                    (line.amount_fen, line.paid_on.isoformat(), line.method, line.receipt_no, line.note, pid)
                    for pid, line in updates
                ],
            )
            note_touched(session, DuesPayment.__tablename__)
        progress.step(1, 3, "正在用缴费冲抵应缴……")
        # a member with no charges has nothing to cover yet: the roll will cover with what they paid
        charged = set(session.scalars(select(DuesCharge.member_id).distinct()))
        reallocate(session, {r.member_id for r in writing if r.member_id in charged})
        added = sum(line.amount_fen for _, line in inserts)
        done = f"新增缴费 {len(inserts)} 笔，共 {format_fen(added)} 元"
        if updates:
            done += f"；修改已导入的缴费 {len(updates)} 笔"
        if inserts or updates:
            record_bulk(
                session,
                DuesPayment.__tablename__,
                f"导入{self.title}“{plan.path.name}”：{done}",
                len(inserts) + len(updates),
            )
        progress.step(3, 3, "导入完成")
        return ImportResult(
            new=counts["new"],
            updated=counts["update"],
            unchanged=counts["unchanged"],
            skipped=counts["skip"],
            invalid=counts["error"],
            notes=(f"{done}。",) if inserts or updates else (),
        )


# -- who each row is, and what importing it would change -------------------------------------------


def _imported(session: Session) -> dict[tuple[int, date], _Imported]:
    query = select(
        DuesPayment.member_id, DuesPayment.source_month, DuesPayment.id, DuesPayment.amount_fen,
        DuesPayment.paid_on, DuesPayment.method, DuesPayment.receipt_no, DuesPayment.note,
    ).where(DuesPayment.source == SOURCE, DuesPayment.source_month.is_not(None))  # fmt: skip
    found: dict[tuple[int, date], _Imported] = {}
    for member_id, month, payment_id, fen, paid_on, method, receipt_no, note in session.execute(query):
        if month is not None:
            found[(member_id, month)] = _Imported(payment_id, fen, paid_on, method, receipt_no, note)
    return found


def _settle(session: Session, plan: DuesPlan) -> None:
    """Match each row with payments to its member; then each payment is new, a change of one
    imported before, or already there."""
    index = MemberIndex(session)
    imported = _imported(session)
    receipts = {
        receipt: payment_id
        for receipt, payment_id in session.execute(
            select(DuesPayment.receipt_no, DuesPayment.id).where(DuesPayment.receipt_no != "")
        )
    }
    mapping = plan.mapping
    present = set(mapping.fields.values())
    if plan.shape == "grid":
        present &= {"method", "note"}  # a grid's dates and receipts are not read
    headers = {key: header(mapping, key) for key in ("name", "id_number", "receipt_no")}
    seen: dict[tuple[int, date], int] = {}
    seen_receipts: dict[str, int] = {}
    for row in plan.rows:
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
        for line in row.lines:
            key = (member.id, line.month)
            if key in seen:
                month = YearMonth.of(line.month).chinese()
                row.issues.append(
                    RowIssue(
                        row.row,
                        line.column,
                        f"与第 {seen[key]} 行都是{member.name}{month}的缴费，同一个月只能记一次",
                    )
                )
                continue
            seen[key] = row.row
            old = imported.get(key)
            if line.receipt_no:
                used = receipts.get(line.receipt_no)
                if line.receipt_no in seen_receipts or (used is not None and (old is None or used != old.id)):
                    where = (
                        f"第 {seen_receipts[line.receipt_no]} 行"
                        if line.receipt_no in seen_receipts
                        else "已有的缴费"
                    )
                    row.issues.append(
                        RowIssue(row.row, headers["receipt_no"], f"收据号 {line.receipt_no} 已用于{where}")
                    )
                    continue
                seen_receipts[line.receipt_no] = row.row
            if old is None:
                row.inserts.append(line)
            else:
                _compare(row, old, line, present, plan.shape)
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
    _note_totals(plan)


def _month_label(line: Line) -> str:
    return f"{YearMonth.of(line.month).chinese()}金额"


def _compare(row: DuesRow, old: _Imported, line: Line, present: set[str], shape: str) -> None:
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


def _note_totals(plan: DuesPlan) -> None:
    lines = [line for r in plan.rows if r.action in ("new", "update") for line in r.inserts]
    if lines:
        total = sum(line.amount_fen for line in lines)
        plan.notes.append(f"记入缴费 {len(lines)} 笔，共 {format_fen(total)} 元（来源：导入）")
    changed = sum(len(r.updates) for r in plan.rows if r.action == "update")
    if changed:
        plan.notes.append(f"修改以前导入的缴费 {changed} 笔")


# -- what was due ----------------------------------------------------------------------------------


def _previous(month: date) -> date:
    return (month - timedelta(days=1)).replace(day=1)


def _compare_with_dues(session: Session, plan: DuesPlan) -> None:
    """List the payments that are not the month's due, except a lump that pays the month and
    the unpaid months right before it (a half-yearly payer's June); note the months that
    have no charges yet, rather than calling every payment in them a difference."""
    good = [r for r in plan.rows if r.action != "error" and r.member_id is not None and r.lines]
    months = {line.month for r in good for line in r.lines}
    if not months:
        return
    earliest = min(months)
    first = earliest.replace(year=earliest.year - 1)  # as far back as a lump may reach
    charged = set(session.scalars(select(DuesCharge.month).where(DuesCharge.month >= first).distinct()))
    due: dict[tuple[int, date], int] = {
        (member_id, month): fen
        for member_id, month, fen in session.execute(
            select(DuesCharge.member_id, DuesCharge.month, DuesCharge.due_fen).where(
                DuesCharge.month >= first, DuesCharge.month <= max(months)
            )
        )
    }
    imported = _imported_months(session, first)
    paid: dict[int, set[date]] = defaultdict(set)
    for row in good:
        assert row.member_id is not None
        paid[row.member_id].update(line.month for line in row.lines)
    unrolled: set[date] = set()
    for row in good:
        member_id = row.member_id
        assert member_id is not None
        for line in row.lines:
            if line.month not in charged:
                unrolled.add(line.month)
                continue
            owed = due.get((member_id, line.month), 0)
            if owed == line.amount_fen:
                continue
            # a lump for this month and the months before it that nothing paid
            total, month = owed, line.month
            for _ in range(11):
                month = _previous(month)
                if month not in charged or month in paid[member_id] or (member_id, month) in imported:
                    break
                total += due.get((member_id, month), 0)
                if total >= line.amount_fen:
                    break
            if total == line.amount_fen:
                continue
            plan.differs.append(
                Difference(
                    member_id, row.name, row.id_number, YearMonth.of(line.month), owed, line.amount_fen
                )
            )
    if unrolled:
        plan.notes.append(
            f"先记入{describe_months(YearMonth.of(m) for m in unrolled)}的缴费：这些月份尚未生成应缴，"
            "生成应缴后自动冲抵（先冲抵最早未缴的月份）"
        )
    if plan.differs:
        shown = "；".join(
            f"{d.member} {d.month.chinese()} 应缴 {format_fen(d.due_fen)} 元、实缴 {format_fen(d.paid_fen)} 元"
            for d in plan.differs[:_SHOWN_DIFFERS]
        )
        more = f"等（共 {len(plan.differs)} 笔）" if len(plan.differs) > _SHOWN_DIFFERS else ""
        plan.notes.append(
            f"记入与应缴不符的缴费 {len(plan.differs)} 笔（多缴、少缴的差额留在会员的余额上）：{shown}{more}"
        )


def _imported_months(session: Session, first: date) -> set[tuple[int, date]]:
    query = select(DuesPayment.member_id, DuesPayment.source_month).where(
        DuesPayment.source == SOURCE, DuesPayment.source_month >= first
    )
    return {(member_id, month) for member_id, month in session.execute(query) if month is not None}
