"""操作日志: the audit log read back — filtered by date, record type, action and text, newest
first, a page at a time — each entry's before and after as field changes in Chinese, and
the filtered entries saved as an .xlsx.

A log of a million entries must list at once: a page is read with the index on ``at``
(newest first, then by id), the next page continues after the last entry shown instead of
skipping an offset, and the count is exact only where the index answers it (a date range);
with other filters it stops at COUNT_CAP ("超过 10,000 条").
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.domain.privacy import mask_field
from app.services.errors import UserError
from app.services.progress import NO_PROGRESS, Progress
from app.services.system.audit_labels import EMPTY, field_label, record_label, record_types, value_text
from app.services.system.audit_references import Reference, points_at, reference_text, with_reference_names

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement, Select
    from sqlalchemy.orm import Session

AUDIT_ACTIONS = ("新增", "修改", "删除", "批量")
PAGE_SIZE = 200
COUNT_CAP = 10_000
EXCEL_ROWS = 1_000_000  # a sheet holds 1,048,576 rows; the title and header take some
_BATCH = 5_000
_SEPARATOR = "；"


@dataclass(frozen=True)
class AuditFilter:
    """Which entries: ``first``..``last`` (whole days, either may be open), one record type
    (the table's name), one action, and text anywhere in the entry (summary, who, before, after)."""

    first: date | None = None
    last: date | None = None
    entity: str | None = None
    action: str | None = None
    text: str = ""

    def check(self) -> None:
        """A Chinese UserError for a filter that cannot be meant."""
        if self.first is not None and self.last is not None and self.last < self.first:
            raise UserError(f"结束日期 {self.last.isoformat()} 早于开始日期 {self.first.isoformat()}")
        if self.action is not None and self.action not in AUDIT_ACTIONS:
            raise UserError(f"没有“{self.action}”这种操作：操作是{'、'.join(AUDIT_ACTIONS)}之一")
        if self.entity is not None and self.entity not in dict(record_types()):
            raise UserError(f"没有“{self.entity}”这种记录类型")

    @property
    def narrowed(self) -> bool:
        """Filtered by more than dates (the count is then capped)."""
        return bool(self.entity or self.action or self.text.strip())


@dataclass(frozen=True)
class AuditRow:
    """One entry of the log. ``before``/``after`` are the JSON the log keeps (None when the
    action has no such side: nothing before a 新增, nothing after a 删除)."""

    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: int | None
    summary: str
    before: str | None
    after: str | None
    # ``at`` as the file holds it: the next page starts after it, even when it is not a time
    stored_at: str = field(default="", repr=False, compare=False)
    # (table, number) → the name of each record before and after point at, once read
    # (``with_reference_names``); None: not read, the numbers are shown as they are
    names: Mapping[tuple[str, int], Reference] | None = field(default=None, repr=False, compare=False)
    # before and after as fields, once read (``sides``): the names and the changes both need them
    parsed: tuple[dict[str, Any] | None, dict[str, Any] | None] | None = field(
        default=None, repr=False, compare=False
    )

    def sides(self) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """``before`` and ``after`` as fields (``entry_values``), read once when they were kept."""
        if self.parsed is not None:
            return self.parsed
        return entry_values(self.before), entry_values(self.after)

    @property
    def record_type(self) -> str:
        """The record type in Chinese (会员, 慰问记录 …)."""
        return record_label(self.entity)


@dataclass(frozen=True)
class FieldChange:
    """One field of an entry: its column, its Chinese name and its value before and after."""

    field: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class AuditPage:
    """A page of entries, newest first. ``total`` counts every entry the filter keeps, exactly
    when ``total_exact``, else it is COUNT_CAP and there are more; ``more``: entries older than
    this page."""

    rows: list[AuditRow]
    total: int
    total_exact: bool
    more: bool


def find_record_type(text: str) -> str:
    """The table meant by ``text``: its name (members) or its Chinese name (会员), whole or a
    part only one type has (档案 → 困难职工档案)."""
    wanted = text.strip()
    types = record_types()
    for table, label in types:
        if wanted.lower() == table or wanted == label:
            return table
    partial = [table for table, label in types if wanted and wanted in label]
    if len(partial) == 1:
        return partial[0]
    names = "、".join(label for _t, label in types)
    if partial:
        found = "、".join(record_label(t) for t in partial)
        raise UserError(f"记录类型“{wanted}”不明确，可能是：{found}。请写全")
    raise UserError(f"没有“{wanted}”这种记录类型。可选：{names}")


def _conditions(flt: AuditFilter) -> list[ColumnElement[bool]]:
    from sqlalchemy import or_

    from app.models import AuditEntry

    flt.check()
    found: list[ColumnElement[bool]] = []
    if flt.first is not None:
        found.append(AuditEntry.at >= datetime.combine(flt.first, time.min))
    if flt.last is not None:
        found.append(AuditEntry.at < datetime.combine(flt.last + timedelta(days=1), time.min))
    if flt.entity is not None:
        found.append(AuditEntry.entity == flt.entity)
    if flt.action is not None:
        found.append(AuditEntry.action == flt.action)
    text = flt.text.strip()
    if text:
        found.append(
            or_(
                *(
                    column.contains(text, autoescape=True)
                    for column in (AuditEntry.summary, AuditEntry.actor, AuditEntry.before, AuditEntry.after)
                )
            )
        )
    return found


def _newest_first(
    flt: AuditFilter,
) -> Select[int, str, str, str, str, int | None, str, str | None, str | None]:
    from sqlalchemy import String, select, type_coerce

    from app.models import AuditEntry

    # ``at`` read as its text and parsed here: a damaged time must not stop the whole list
    columns = (
        AuditEntry.id, type_coerce(AuditEntry.at, String), AuditEntry.actor, AuditEntry.action, AuditEntry.entity,
        AuditEntry.entity_id, AuditEntry.summary, AuditEntry.before, AuditEntry.after,
    )  # fmt: skip
    return select(*columns).where(*_conditions(flt)).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def _time(text: object) -> datetime:
    """The entry's time as stored (2026-12-04 07:43:11.000000); one that is not a time (a damaged
    file) as the earliest time, so the entry is still listed."""
    try:
        return datetime.fromisoformat(str(text))
    except ValueError:
        return datetime.min


def _row(values: Sequence[Any]) -> AuditRow:
    number, at, actor, action, entity, entity_id, summary, before, after = values
    return AuditRow(
        int(number), _time(at), actor or "", action or "", entity or "", entity_id, summary or "", before, after,
        str(at),
    )  # fmt: skip


def list_audit(
    session: Session,
    flt: AuditFilter | None = None,
    *,
    limit: int = PAGE_SIZE,
    older_than: AuditRow | None = None,
    count: bool = True,
) -> AuditPage:
    """A page of the entries ``flt`` keeps, newest first; ``older_than``: the page after
    the one that ended with that entry. ``count=False`` skips counting (the total is then
    what was read)."""
    from sqlalchemy import String, literal, tuple_, type_coerce

    from app.models import AuditEntry

    flt = flt or AuditFilter()
    if limit < 1:
        raise UserError("每页至少列出 1 条")
    query = _newest_first(flt)
    if older_than is not None:
        stored = older_than.stored_at or f"{older_than.at:%Y-%m-%d %H:%M:%S.%f}"
        at = type_coerce(AuditEntry.at, String)  # compared as stored, whatever it holds
        query = query.where(tuple_(at, AuditEntry.id) < tuple_(literal(stored, String), older_than.id))
    rows = [_row(r) for r in session.execute(query.limit(limit + 1))]
    more = len(rows) > limit
    rows = with_reference_names(session, rows[:limit])
    if not count or (older_than is None and not more):
        return AuditPage(rows, len(rows), not more, more)
    total, exact = count_audit(session, flt)
    return AuditPage(rows, total, exact, more)


def count_audit(
    session: Session, flt: AuditFilter | None = None, *, cap: int = COUNT_CAP
) -> tuple[int, bool]:
    """How many entries ``flt`` keeps, and whether that is exact: a date range alone is
    counted on the index; other filters stop counting past ``cap``."""
    from sqlalchemy import func, literal, select

    from app.models import AuditEntry

    flt = flt or AuditFilter()
    if not flt.narrowed:
        query = select(func.count()).select_from(AuditEntry).where(*_conditions(flt))
        return int(session.scalar(query) or 0), True
    capped = select(literal(1)).select_from(AuditEntry).where(*_conditions(flt)).limit(cap + 1).subquery()
    found = int(session.scalar(select(func.count()).select_from(capped)) or 0)
    return (found, True) if found <= cap else (cap, False)


# ---------------------------------------------------------------- before and after


def entry_values(text: str | None, *, mask: bool = False) -> dict[str, Any] | None:
    """The fields a before/after JSON holds (None for no side); a value that is not such JSON
    (a damaged or foreign log) as one field ``内容`` holding its text. ``mask`` hides the
    middle of ID and bank numbers."""
    if text is None:
        return None
    try:
        found = json.loads(text)
    except ValueError:
        return {"内容": text}
    if not isinstance(found, dict):
        return {"内容": text}
    if mask:
        return {k: mask_field(k, v) if isinstance(v, str) else v for k, v in found.items()}
    return found


def field_changes(row: AuditRow, *, mask: bool = False) -> list[FieldChange]:
    """The entry's fields in Chinese, with their value before and after (（空） for a side
    the action has not: a 新增 has nothing before). ``mask`` hides the middle of ID and bank
    numbers."""
    before, after = row.sides()
    names = list(before or {}) + [k for k in after or {} if k not in (before or {})]
    changes = []
    for name in names:
        if name == "id" and row.entity_id is not None:
            continue  # the record's own number: shown beside the entry already
        old = EMPTY if before is None else _value_text(row, name, before.get(name), mask)
        new = EMPTY if after is None else _value_text(row, name, after.get(name), mask)
        changes.append(FieldChange(name, field_label(row.entity, name), old, new))
    return changes


def _value_text(row: AuditRow, column: str, value: object, mask: bool) -> str:
    target = points_at(row.entity, column)
    if row.names is not None and target is not None and type(value) is int:
        return reference_text(value, row.names.get((target, value)))
    return value_text(column, value, mask=mask)


def side_text(changes: Sequence[FieldChange], side: str, action: str) -> str:
    """One side (``before`` / ``after``) as one line: 姓名：张伟；性别：男. Empty for the side a
    新增 or a 删除 has not; the record a 新增 made or a 删除 removed without its empty fields."""
    if (side == "before" and action in ("新增", "批量")) or (side == "after" and action == "删除"):
        return ""
    whole = action != "修改"  # a whole record: its empty fields say nothing
    return _SEPARATOR.join(
        f"{c.label}：{getattr(c, side)}" for c in changes if not (whole and getattr(c, side) == EMPTY)
    )


# ---------------------------------------------------------------- export

_HEADERS = ("时间", "操作人", "操作", "记录类型", "记录编号", "摘要", "修改前", "修改后")


def _export_rows(
    session: Session, flt: AuditFilter, *, mask: bool, total: int, progress: Progress
) -> Iterator[list[Any]]:
    found = session.execute(_newest_first(flt).execution_options(yield_per=_BATCH))
    rows = (
        row for part in found.partitions() for row in with_reference_names(session, [_row(v) for v in part])
    )
    for done, row in enumerate(rows, start=1):
        changes = field_changes(row, mask=mask)
        yield [
            row.at if row.at != datetime.min else row.stored_at, row.actor, row.action, row.record_type,
            row.entity_id, row.summary,
            side_text(changes, "before", row.action), side_text(changes, "after", row.action),
        ]  # fmt: skip
        if done % _BATCH == 0:
            progress.step(done, total, f"正在导出操作日志……{done:,}/{total:,}")


def export_audit(
    session: Session,
    out: Path,
    flt: AuditFilter | None = None,
    *,
    mask: bool = False,
    today: date | None = None,
    progress: Progress = NO_PROGRESS,
) -> int:
    """The entries ``flt`` keeps, newest first, to ``out`` (.xlsx): when, who, what, the
    record, and before/after as readable text. ``mask`` hides the middle of ID and bank
    numbers. Returns how many entries it wrote."""
    from app.db import database_files
    from app.services.excel.writer import Column, check_output_path, new_workbook, save_workbook, table_sheet
    from app.services.system.profile import get_profile

    flt = flt or AuditFilter()
    check_output_path(out, "操作日志", keep=database_files(session))
    total, _exact = count_audit(session, flt, cap=EXCEL_ROWS)
    if total >= EXCEL_ROWS:
        raise UserError(
            f"符合条件的操作日志超过 {EXCEL_ROWS:,} 条，一个 Excel 工作表放不下：请缩小日期范围，分几次导出"
        )
    today = today or date.today()
    columns = [
        Column(_HEADERS[0], 20, "date"), Column(_HEADERS[1], 12), Column(_HEADERS[2], 8),
        Column(_HEADERS[3], 16), Column(_HEADERS[4], 10, "number"), Column(_HEADERS[5], 30),
        Column(_HEADERS[6], 45, "long"), Column(_HEADERS[7], 45, "long"),  # wrapped: the print stays legible
    ]  # fmt: skip
    union = get_profile(session).name or "本工会"
    subtitle = "　".join(
        part
        for part in (
            describe_filter(flt),
            f"导出日期：{today.year}年{today.month}月{today.day}日",
            f"共 {total:,} 条",
            "（已隐去身份证号和银行账号的中间部分）" if mask else "",
        )
        if part
    )
    workbook = new_workbook()
    rows = _export_rows(session, flt, mask=mask, total=total, progress=progress)
    written = table_sheet(workbook, "操作日志", columns, rows, title=f"{union}操作日志", subtitle=subtitle)
    progress.step(written, total, "正在保存……")
    save_workbook(workbook, out, "操作日志")
    return written


def describe_filter(flt: AuditFilter) -> str:
    """The filter in words, for the export's subtitle and the command line."""
    parts = []
    if flt.first is not None or flt.last is not None:
        first = flt.first.isoformat() if flt.first else "最早"
        last = flt.last.isoformat() if flt.last else "现在"
        parts.append(f"时间：{first} 至 {last}")
    if flt.entity is not None:
        parts.append(f"记录类型：{record_label(flt.entity)}")
    if flt.action is not None:
        parts.append(f"操作：{flt.action}")
    if flt.text.strip():
        parts.append(f"包含“{flt.text.strip()}”")
    return "，".join(parts) or "全部操作日志"
