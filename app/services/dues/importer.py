"""Importing the year's dues from the secretary's own sheets (会费收缴表): the payroll's
deduction list, or the member × month grid she kept by hand.

Each amount becomes one payment (source 导入) that remembers the month it stood for, so the
same file imported twice changes nothing. Payments name no months: they cover the oldest
unpaid month first (RULES §1), so a half-yearly lump paid in June covers January–June.
Amounts that differ from what is due are listed, never refused: the difference stays on
the member's balance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import driver_rows, insert_values
from app.domain.dues import describe_months
from app.domain.money import format_fen
from app.domain.yearmonth import YearMonth
from app.models import DuesCharge, DuesPayment
from app.models.audit import note_touched, record_bulk
from app.services.dues.allocation import reallocate
from app.services.dues.import_due import Difference, compare_with_dues
from app.services.dues.import_grid import GridContext, has_dated_months, month_columns, read_grid
from app.services.dues.import_read import (
    DUES_FIELDS,
    IGNORED_FIELDS,
    MONTH_KEYS,
    DuesRow,
    ListContext,
    header,
    read_list,
    title_year,
)
from app.services.dues.import_settle import SOURCE, Settling, paid_otherwise, settle
from app.services.errors import UserError
from app.services.excel.reader import Sheet
from app.services.excel.table import ColumnMapping
from app.services.imports import Importer, ImportOptions, ImportPlan, ImportResult, Preloaded
from app.services.imports.columns import table_rows
from app.services.progress import NO_PROGRESS, Progress

_SHOWN_DIFFERS = 10


@dataclass(frozen=True)
class DuesImportOptions(ImportOptions):
    month: YearMonth | None = None  # one file per month: every row is this month
    year: int | None = None  # the year of a grid's 1月…12月 (default: its title's, else this year)


@dataclass
class DuesPlan(ImportPlan[DuesRow]):
    shape: str = "list"  # "list": a row per member and month; "grid": a row per member
    differs: list[Difference] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {**super().summary(), "differs": [d.as_dict() for d in self.differs]}


class DuesImporter(Importer[DuesRow, DuesImportOptions]):
    """会费收缴表: a list (月份, 姓名, 身份证号, 部门, 代扣会费…) or a grid (姓名, 部门, 1月…12月)."""

    kind = "dues"
    title = "会费收缴表"
    fields = DUES_FIELDS
    ignored_fields = IGNORED_FIELDS
    noun = "条记录"

    def __init__(self, options: DuesImportOptions) -> None:
        super().__init__(options)
        self._settling = Preloaded(Settling.load)

    def prepare(self, session: Session) -> None:
        self._settling.ahead(session)

    def plan(
        self, session: Session, sheet: Sheet, mapping: ColumnMapping, progress: Progress = NO_PROGRESS
    ) -> DuesPlan:
        options = self.options
        wanted = options.month
        if options.year is not None and not 1900 <= options.year <= options.today.year:
            raise UserError(f"年份 {options.year} 不合理：会费只能导入已经到了的年份")
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
        settle(self._settling.take(session), plan.rows, mapping, plan.shape)
        plan.warnings.extend(paid_otherwise(session, plan.rows))
        plan.differs, charged = compare_with_dues(session, plan.rows)
        _note_writes(plan, charged)
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
        inserted = sum(len(r.inserts) for r in writing)
        updates = [(payment_id, line) for r in writing for payment_id, line in r.updates]
        progress.step(0, 3, "正在写入缴费……")
        added = _insert_payments(session, writing)
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
        charged = {
            member_id for (member_id,) in driver_rows(session, select(DuesCharge.member_id).distinct())
        }
        reallocate(session, {m for r in writing if (m := r.member_id) is not None and m in charged})
        done = f"新增缴费 {inserted} 笔，共 {format_fen(added)} 元"
        if updates:
            done += f"；修改已导入的缴费 {len(updates)} 笔"
        if inserted or updates:
            record_bulk(
                session,
                DuesPayment.__tablename__,
                f"导入{self.title}“{plan.path.name}”：{done}",
                inserted + len(updates),
            )
        progress.step(3, 3, "导入完成")
        return ImportResult(
            new=counts["new"],
            updated=counts["update"],
            unchanged=counts["unchanged"],
            skipped=counts["skip"],
            invalid=counts["error"],
            notes=(f"{done}。",) if inserted or updates else (),
        )


_BULK = 10_000  # payments from which rebuilding the indexes can pay
_PAYMENT_COLUMNS = ("member_id", "paid_on", "amount_fen", "source_month")
_SHARED = attrgetter("method", "receipt_no", "note")


class _IsoDates(dict[date, str]):
    """Each date's ISO text, computed once: a large grid's 600,000 payments have a few dozen."""

    def __missing__(self, day: date) -> str:
        text = self[day] = day.isoformat()
        return text


def _insert_payments(session: Session, writing: list[DuesRow]) -> int:
    """Insert the rows' new payments; returns the fen they add up to. They go in date by date
    and member by member within a date, the order the payments' indexes keep: many fewer
    pages touched than row by row."""
    table = DuesPayment.__table__
    iso = _IsoDates()
    ordered = sorted(writing, key=attrgetter("member_id"))
    shared = set(map(_SHARED, chain.from_iterable(row.inserts for row in ordered)))
    if len(shared) == 1:  # a grid, a payroll list: one method, no receipts, no notes
        ((method, receipt_no, note),) = shared
        values: list[tuple[Any, ...]] = [
            (member_id, iso[paid_on], fen, iso[month])
            for row in ordered
            for member_id in (row.member_id,)
            for month, fen, paid_on, _method, _receipt, _note, _column in row.inserts
        ]
        columns: tuple[str, ...] = _PAYMENT_COLUMNS
        same = {"method": method, "receipt_no": receipt_no, "note": note, "source": SOURCE}
    else:
        values = [
            (member_id, iso[paid_on], fen, iso[month], method, receipt_no, note)
            for row in ordered
            for member_id in (row.member_id,)
            for month, fen, paid_on, method, receipt_no, note, _column in row.inserts
        ]
        columns = (*_PAYMENT_COLUMNS, "method", "receipt_no", "note")
        same = {"source": SOURCE}
    if not values:
        note_touched(session, DuesPayment.__tablename__)  # as an empty insert always did
        return 0
    values.sort(key=itemgetter(1))  # stable: member by member within a date, as they were
    # a year's grid into a table that had fewer: its indexes sorted once afterwards
    insert_values(session, table, columns, values, shared=same, rebuild_from=_BULK)  # type: ignore[arg-type]
    return sum(map(itemgetter(2), values))


def _note_writes(plan: DuesPlan, charged: set[date]) -> None:
    """What applying would write; money for months not rolled yet waits as credit; and the
    payments that are not their month's due (or, when none of them is written now, the
    ones imported before, as a hint about the file)."""
    writing = [r for r in plan.rows if r.action in ("new", "update")]
    lines = [line for r in writing for line in r.inserts]
    changed = [line for r in writing for _, line in r.updates]
    if lines:
        total = sum(map(attrgetter("amount_fen"), lines))
        plan.notes.append(f"记入缴费 {len(lines)} 笔，共 {format_fen(total)} 元（来源：导入）")
    if changed:
        plan.notes.append(f"修改以前导入的缴费 {len(changed)} 笔")
    unrolled = set(map(attrgetter("month"), lines)) | {line.month for line in changed}
    unrolled -= charged
    if unrolled:
        plan.notes.append(
            f"先记入{describe_months(YearMonth.of(m) for m in unrolled)}的缴费：这些月份尚未生成应缴，"
            "生成应缴后自动冲抵（先冲抵最早未缴的月份）"
        )
    if not plan.differs:
        return
    written = {
        (r.member_id, line.month) for r in writing for line in (*r.inserts, *(c for _, c in r.updates))
    }
    new = [d for d in plan.differs if (d.member_id, d.month.first_day()) in written]
    if new:
        plan.notes.append(f"记入与应缴不符的缴费 {_differences(new)}")
    else:
        plan.file_notes.append(f"表中与应缴不符的缴费（以前已导入）{_differences(plan.differs)}")


def _differences(differs: list[Difference]) -> str:
    """33 笔（3 名会员…）：卢博梅 2026年1月—11月 每月应缴 69.50 元、实缴 68.90 元；…"""
    alike: dict[tuple[int, int, int], list[YearMonth]] = {}
    names: dict[int, str] = {}
    for d in differs:
        alike.setdefault((d.member_id, d.due_fen, d.paid_fen), []).append(d.month)
        names[d.member_id] = d.member
    shown = "；".join(
        f"{names[member]} {describe_months(months)} {'每月' if len(months) > 1 else ''}"
        f"应缴 {format_fen(due)} 元、实缴 {format_fen(paid)} 元"
        for (member, due, paid), months in list(alike.items())[:_SHOWN_DIFFERS]
    )
    more = "等" if len(alike) > _SHOWN_DIFFERS else ""
    return f"{len(differs)} 笔（{len(names)} 名会员，多缴、少缴的差额留在会员的余额上）：{shown}{more}"
