"""Setting dues base wages (会费基数) from a payroll sheet (工资表) imported on its own.

A new base applies from its month on; earlier months keep the base they had (RULES §1: one
"dues base wage" per member with an effective date). Members are matched as the dues
import matches them: by ID number, else by name and 部门, never by name alone.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.money import check_wage_fen, format_fen
from app.domain.yearmonth import YearMonth
from app.models import DuesBaseWage, DuesCharge
from app.services.dues.import_read import parse_month
from app.services.errors import UserError
from app.services.excel.reader import Sheet
from app.services.excel.table import ColumnMapping, FieldSpec
from app.services.excel.values import CellError, read_money_fen, text
from app.services.imports import (
    FieldChange,
    Importer,
    ImportOptions,
    ImportPlan,
    ImportResult,
    PlannedRow,
    Preloaded,
    RowIssue,
)
from app.services.imports.columns import Reader, read_columns, table_rows
from app.services.progress import NO_PROGRESS, Progress
from app.services.roster import MEMBER_FIELDS, PERSON_READERS, MemberIndex, set_dues_wage

WAGE_LABEL = "会费基数工资"

WAGE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("seq", "序号", ("编号", "no", "行号")),
    FieldSpec("staff_no", "工号", ("职工编号", "员工编号", "人员编号")),
    *MEMBER_FIELDS,
    # bonuses and allowances do not count (RULES §1), so 应发 and 实发 are never the base
    FieldSpec(
        "wage",
        "工资",
        (
            "会费基数",
            "会费基数工资",
            "缴费基数",
            "工资基数",
            "月工资",
            "月工资收入",
            "基本工资",
            "工资收入",
            "月薪",
        ),
        required=True,
    ),
    FieldSpec(
        "month", "月份", ("工资月份", "所属月份", "起始月份", "适用月份", "生效月份", "发放月份", "年月")
    ),
    FieldSpec("gross", "应发工资", ("应发合计", "应发", "工资总额", "工资合计", "合计")),
    FieldSpec("net", "实发工资", ("实发合计", "实发")),
    FieldSpec("remark", "备注", ("说明",)),
    FieldSpec("error_reason", "错误原因"),
)
_LABELS = {spec.key: spec.label for spec in WAGE_FIELDS}


@dataclass(frozen=True)
class WageImportOptions(ImportOptions):
    # The month the wages apply from when the sheet has no 月份 column (default: this month).
    month: YearMonth | None = None

    @property
    def since(self) -> YearMonth:
        return self.month or YearMonth.of(self.today)


@dataclass(slots=True)
class WageRow(PlannedRow):
    name: str = ""
    id_number: str = ""
    group: str = ""
    wage_fen: int | None = None
    since: date | None = None  # the month the wage applies from, as its 1st
    member_id: int | None = None

    def title(self) -> str:
        return self.name


def _wage(raw: Any) -> tuple[int | None, str | None]:
    try:
        fen = read_money_fen(raw, label="工资")
    except CellError as exc:
        return None, str(exc)
    if fen is None:
        return None, "请填写工资"
    return fen, check_wage_fen(fen, "工资", text(raw))


def _month(raw: Any) -> tuple[tuple[int | None, int] | None, str | None]:
    try:
        return parse_month(raw), None
    except CellError as exc:
        return None, str(exc)


_READERS: dict[str, Reader] = {**PERSON_READERS, "wage": _wage, "month": _month}


class WageImporter(Importer[WageRow, WageImportOptions]):
    """工资表: each member's dues base wage from a month on (姓名, 身份证号 or 部门, 工资, 月份)."""

    kind = "dues_bases"
    title = "工资表（会费基数）"
    fields = WAGE_FIELDS
    ignored_fields = frozenset({"seq", "staff_no", "gross", "net", "remark", "error_reason"})
    noun = "名会员"

    def __init__(self, options: WageImportOptions) -> None:
        super().__init__(options)
        self._known = Preloaded(lambda session: (MemberIndex(session), _history(session)))

    def prepare(self, session: Session) -> None:
        self._known.ahead(session)

    def plan(
        self, session: Session, sheet: Sheet, mapping: ColumnMapping, progress: Progress = NO_PROGRESS
    ) -> ImportPlan[WageRow]:
        present = set(mapping.fields.values())
        if "id_number" not in present and "group" not in present:
            raise UserError(
                "表格中既没有身份证号列，也没有部门列：只凭姓名无法确定是哪位会员。请加上身份证号或部门列后再导入"
            )
        rows, ignored = table_rows(sheet, mapping, "name")

        def header(key: str) -> str:
            return mapping.header_of(key) or _LABELS[key]

        values, errors = read_columns(mapping, rows, _READERS, header, progress)
        plan = ImportPlan[WageRow](self.kind, Path(sheet.name), sheet.name, mapping, [], ignored_rows=ignored)
        index, history = self._known.take(session)
        default = self.options.since
        seen: dict[tuple[int, date], int] = {}
        columns = [values[key] for key in _READERS]
        for i, ((number, cells), (name, id_number, group, wage, month)) in enumerate(
            zip(rows, zip(*columns, strict=True), strict=True)
        ):
            row = WageRow(number, cells, "error", name=name, id_number=id_number, group=group, wage_fen=wage)
            plan.rows.append(row)
            row.issues = [RowIssue(number, header(k), m) for k, m in errors.get(i, {}).items()]
            if row.issues:
                continue
            since = default if month is None else YearMonth(month[0] or default.year, month[1])
            row.since = since.first_day()
            found = index.find(name, id_number, group)
            if found.member is None:
                row.issues.append(RowIssue(number, header(found.field), found.problem or ""))
                continue
            row.member_id, row.name, row.id_number = (
                found.member.id,
                found.member.name,
                found.member.id_number,
            )
            key = (row.member_id, row.since)
            if key in seen:
                row.issues.append(
                    RowIssue(
                        number, header("name"), f"与第 {seen[key]} 行是同一人同一月份的工资，只能填写一次"
                    )
                )
                continue
            seen[key] = number
            _decide(row, history[row.member_id])
        _note(session, plan, default, "month" in present)
        return plan

    def apply(
        self, session: Session, plan: ImportPlan[WageRow], progress: Progress = NO_PROGRESS
    ) -> ImportResult:
        """Record each changed base from its month on, member by member, earliest month first."""
        counts = plan.counts()
        writing = sorted(
            (r for r in plan.rows if r.action in ("new", "update")),
            key=lambda r: (r.member_id or 0, r.since or date.min),
        )
        for done, row in enumerate(writing):
            if done % 500 == 0:
                progress.step(done, len(writing), "正在记入会费基数……")
            assert row.member_id is not None and row.since is not None
            set_dues_wage(session, row.member_id, row.wage_fen, row.since)
        progress.step(len(writing), len(writing), "导入完成")
        return ImportResult(
            new=counts["new"],
            updated=counts["update"],
            unchanged=counts["unchanged"],
            skipped=counts["skip"],
            invalid=counts["error"],
        )


def _history(session: Session) -> dict[int, list[tuple[date, int]]]:
    found: dict[int, list[tuple[date, int]]] = defaultdict(list)
    query = select(DuesBaseWage.member_id, DuesBaseWage.effective_from, DuesBaseWage.wage_fen).order_by(
        DuesBaseWage.member_id, DuesBaseWage.effective_from
    )
    for member_id, since, wage in session.execute(query):
        found[member_id].append((since, wage))
    return found


def _decide(row: WageRow, wages: list[tuple[date, int]]) -> None:
    """Unchanged when the base in force that month is already this wage; ``wages`` (the
    member's history, in order) then takes the row in, for the member's later rows."""
    assert row.since is not None and row.wage_fen is not None
    at = bisect.bisect_right(wages, (row.since, 1 << 62))
    before = wages[at - 1][1] if at else None
    later = wages[at] if at < len(wages) else None
    if later is not None:
        row.notes.append(
            f"名册中自{YearMonth.of(later[0]).chinese()}起的会费基数为 {format_fen(later[1])} 元，那以后仍按它计算"
        )
    if before == row.wage_fen:
        row.action = "unchanged"
        return
    row.action = "new" if before is None else "update"
    shown = "（无）" if before is None else format_fen(before)
    row.changes.append(
        FieldChange(
            f"{WAGE_LABEL}（自{YearMonth.of(row.since).chinese()}起）", shown, format_fen(row.wage_fen)
        )
    )
    if at and wages[at - 1][0] == row.since:
        wages[at - 1] = (row.since, row.wage_fen)
    else:
        wages.insert(at, (row.since, row.wage_fen))


def _note(session: Session, plan: ImportPlan[WageRow], default: YearMonth, per_row: bool) -> None:
    changed = [r for r in plan.rows if r.action in ("new", "update") and r.since is not None]
    if not changed:
        return
    if not per_row:
        plan.notes.append(f"按自{default.chinese()}起适用记入 {len(changed)} 名会员的会费基数工资")
    earliest = min(r.since for r in changed if r.since is not None)
    rolled = session.scalar(select(func.max(DuesCharge.month)).where(DuesCharge.month >= earliest))
    if rolled is not None:
        plan.file_notes.append(
            f"{YearMonth.of(earliest).chinese()}起已生成的应缴会费不会自动改变；请重新生成这些月份的应缴，"
            "尚未缴纳的会按新的会费基数重新计算"
        )
