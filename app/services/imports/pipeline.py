"""The steps every import takes: read the file once, find the sheet and its table (or the
mapping the user confirmed before), plan, and write all or nothing."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from app.db_backup import BULK_WRITE_ROWS
from app.models import ImportMapping
from app.services.errors import UserError
from app.services.excel.reader import Sheet, read_sheets
from app.services.excel.table import (
    HEADER_SCAN_ROWS,
    ColumnMapping,
    apply_mapping,
    find_table,
    header_key,
    map_columns,
)
from app.services.excel.values import text
from app.services.excel.writer import check_output_path, same_file
from app.services.gc_pause import cyclic_gc_paused
from app.services.imports.base import Importer, ImportPlan, ImportResult, RowIssue
from app.services.progress import NO_PROGRESS, Progress

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

AnyImporter = Importer[Any, Any]


@cyclic_gc_paused()  # its rows live until the import ends: no collection would free any
def read_file(path: Path, sheet: str | None = None) -> list[Sheet]:
    """Every sheet of the file (or only ``sheet``), read once for everything that follows."""
    return read_sheets(path, sheet)


def may_write_in_bulk(sheets: Sequence[Sheet]) -> bool:
    """Whether importing these sheets may write enough rows to be backed up first
    (``BULK_WRITE_ROWS``): then the backup can start beside the planning (``back_up_ahead``)."""
    return sum(len(sheet.rows) for sheet in sheets) > BULK_WRITE_ROWS


@dataclass(frozen=True)
class Found:
    sheet: Sheet
    mapping: ColumnMapping
    remembered: bool  # the mapping is one the user confirmed before for these headers


def find_sheet(
    session: Session, importer: AnyImporter, sheets: Sequence[Sheet], wanted: str | None = None
) -> Found:
    """The sheet holding the importer's table and its columns. More than one candidate:
    the user must say which."""
    candidates = []
    for sheet in sheets:
        if wanted is not None and sheet.name != wanted:
            continue
        mapping = find_table(sheet, importer.fields)
        if mapping is not None:
            candidates.append((sheet, mapping))
    if not candidates:
        where = f"工作表“{wanted}”" if wanted else "文件"
        names = "、".join(f"“{spec.label}”" for spec in importer.required())
        raise UserError(
            f"{where}的前 {HEADER_SCAN_ROWS} 行中找不到{importer.title}的表头。表头行应含有{names}等列名；"
            "请检查是否选错了文件或工作表"
        )
    if len(candidates) > 1:
        names = "、".join(s.name for s, _ in candidates)
        raise UserError(
            f"文件中有多个工作表像{importer.title}：{names}。请指定要导入的工作表（命令行用 --sheet）"
        )
    sheet, detected = candidates[0]
    remembered = remembered_mapping(session, importer.kind, detected)
    return Found(sheet, remembered or detected, remembered is not None)


def remembered_mapping(session: Session, kind: str, detected: ColumnMapping) -> ColumnMapping | None:
    saved = session.scalar(
        select(ImportMapping.fields_json).where(
            ImportMapping.kind == kind, ImportMapping.signature == detected.signature()
        )
    )
    if saved is None:
        return None
    fields = {int(col): key for col, key in json.loads(saved).items()}
    return apply_mapping(detected, fields)


def remember_mapping(session: Session, kind: str, mapping: ColumnMapping) -> None:
    signature = mapping.signature()
    row = session.scalar(
        select(ImportMapping).where(ImportMapping.kind == kind, ImportMapping.signature == signature)
    )
    payload = json.dumps({str(c): k for c, k in mapping.fields.items()}, ensure_ascii=False)
    if row is None:
        session.add(ImportMapping(kind=kind, signature=signature, fields_json=payload))
    elif row.fields_json != payload:
        row.fields_json = payload


def mapping_for_header_row(importer: AnyImporter, sheet: Sheet, header_row: int) -> ColumnMapping:
    """Treat ``header_row`` as the header (when the user says the detected one is wrong)."""
    cells = next((row for number, row in sheet.numbered() if number == header_row), None)
    if cells is None:
        raise UserError(f"第 {header_row} 行不在表格中")
    fields, unknown = map_columns(cells, importer.fields)
    return ColumnMapping(header_row, [text(c) for c in cells], fields, unknown)


@cyclic_gc_paused()
def plan_sheet(
    session: Session,
    importer: AnyImporter,
    sheet: Sheet,
    mapping: ColumnMapping,
    *,
    path: Path | None = None,
    progress: Progress = NO_PROGRESS,
) -> ImportPlan[Any]:
    """What importing this table would do: every row read, checked and matched. Writes nothing.
    ``path``: the file the sheet came from, named in messages and the error report."""
    mapped = set(mapping.fields.values())
    for spec in importer.required():
        if spec.key not in mapped:
            raise UserError(f"没有指定哪一列是“{spec.label}”，无法导入")
    progress.step(0, 1, "正在检查……")
    plan = importer.plan(session, sheet, mapping, progress)
    if path is not None:
        plan.path = path
    plan.file_notes[:0] = [note for note in sheet.notes if note not in plan.file_notes]
    if not plan.rows:  # a file of headers only, or of totals: say so rather than import nothing in silence
        plan.file_notes.append(f"第 {mapping.header_row} 行的表头下面没有数据，没有可以导入的内容")
    plan.warnings[:0] = _repeated_columns(mapping)
    progress.step(1, 1, "检查完毕")
    return plan


def _repeated_columns(mapping: ColumnMapping) -> list[RowIssue]:
    """Two columns with one header (姓名 twice): only the first is read; say so, for the row
    of headers, rather than lose the other without a word."""
    first_of: dict[str, int] = {}
    for col in sorted(mapping.fields):
        first_of.setdefault(header_key(mapping.headers[col]), col)
    return [
        RowIssue(
            mapping.header_row,
            header,
            f"有两列都叫“{header}”，只导入了第 {first_of[header_key(header)] + 1} 列，第 {col + 1} 列没有导入",
        )
        for col, header in enumerate(mapping.headers)
        if header and col not in mapping.fields and first_of.get(header_key(header), col) != col
    ]


@cyclic_gc_paused()
def apply_plan(
    session: Session,
    importer: AnyImporter,
    plan: ImportPlan[Any],
    *,
    skip_invalid: bool = False,
    remember: bool = True,
    progress: Progress = NO_PROGRESS,
) -> ImportResult:
    """Write the plan in the caller's transaction. With errors and no ``skip_invalid``,
    nothing is written. Cancelling (via ``progress``) raises Cancelled: roll back."""
    invalid = plan.count("error")
    if invalid and not skip_invalid:
        raise UserError(f"有 {invalid} 行有错误，没有导入任何数据。请改正后重新导入，或选择“跳过有错误的行”")
    result = importer.apply(session, plan, progress)
    if remember and result.new + result.updated:  # a file that changed nothing leaves no trace
        remember_mapping(session, importer.kind, plan.mapping)
    session.flush()
    return result


def check_report_path(report: Path, source: Path, *, keep: Sequence[Path] = ()) -> Path:
    """Where the error report will go, checked before anything is read or written: never the
    file being imported (nor any of ``keep``, e.g. the 账套), never a folder."""
    if same_file(report, source):
        raise UserError("错误报告不能保存为正在导入的文件，否则原文件会被覆盖。请换一个文件名")
    return check_output_path(report, "错误报告", keep=keep)
