"""Writing workbooks people print: openpyxl in write-only mode (fast for 50,000 rows), a title,
a frozen header, widths, an autofilter, A4 landscape fitted to the page width, repeated
header rows and page numbers. Text that looks like a formula is always written as text, and
characters an .xlsx cannot hold (control characters such as BEL or ESC, which older data
may still carry) are left out instead of failing the whole file."""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.services.errors import UserError
from app.services.saving import os_reason, save_bytes

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FILL = "DDE6F1"


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    kind: str = "text"  # text / date / money / number / long (text wrapped within the width)


def new_workbook(*, write_only: bool = True) -> Any:
    import defusedxml  # noqa: F401  - openpyxl uses it for safe XML parsing when installed
    from openpyxl import Workbook

    return Workbook(write_only=write_only)


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (through links, ``.`` and ``..`` too)."""
    try:
        if a.exists() and b.exists() and a.samefile(b):
            return True
        return a.resolve() == b.resolve()
    except (OSError, RuntimeError):  # a loop of links, a name too long: not the same file
        return False


def check_output_path(out: Path, what: str, *, keep: Sequence[Path] = (), suffix: str = ".xlsx") -> Path:
    """``out`` as a place to save an .xlsx (or a ``suffix`` file), checked before anything is written: not a folder,
    not one of ``keep`` (the 账套 itself: a link or a typo must never overwrite it), in a
    folder that exists or can be made, writable."""
    try:
        if out.is_dir():
            raise UserError(f"{what}的位置“{out}”是一个文件夹，请给出文件名，例如 {what}{suffix}")
        if out.suffix.lower() != suffix:
            raise UserError(f"{what}“{out.name}”应保存为 {suffix} 文件")
        for kept in keep:
            if same_file(out, kept) or same_file(out, Path(f"{kept}-wal")):
                raise UserError(f"{what}不能保存为“{kept.name}”：那是正在使用的账套文件，会被覆盖")
        folder = out.parent
        existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
        if existing is None or not existing.is_dir():
            raise UserError(f"{what}的文件夹“{folder}”无法建立（路径中有同名的文件）")
        if not os.access(existing, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
            raise UserError(f"{what}不能写入“{out}”：没有写入权限")
    except OSError as exc:
        raise UserError(f"{what}的位置“{out}”无法使用：{os_reason(exc)}") from exc
    return out


def save_workbook(workbook: Any, out: Path, what: str) -> Path:
    """Save whole or not at all (``saving.save_bytes``: built in memory first, so a full disk
    or a file held open elsewhere leaves the one already there as it was), with a Chinese
    message for whatever the disk says."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        save_bytes(out, buffer.getvalue())
    except OSError as exc:
        raise UserError(f"{what}无法保存到“{out}”：{os_reason(exc)}") from exc
    return out


def column_letter(index: int) -> str:
    """A, B, … Z, AA for 1, 2, … 26, 27."""
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index))


def writable(value: str) -> str:
    """``value`` without the characters openpyxl refuses to write (IllegalCharacterError)."""
    if value.isprintable():  # no control character at all: the usual case, cheap
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return str(ILLEGAL_CHARACTERS_RE.sub("", value))


def text_cell(sheet: Any, value: str) -> Any:
    """A cell that stays text even when it starts with = + - @ (no formula injection)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=writable(value))
    cell.data_type = "s"
    return cell


def safe_row(sheet: Any, values: Sequence[Any]) -> list[Any]:
    """The values as cells openpyxl writes: formula-like text as text, illegal characters left out."""
    return [
        _text_value(sheet, v)
        if isinstance(v, str) and (v.startswith(FORMULA_STARTS) or not v.isprintable())
        else v
        for v in values
    ]


def _text_value(sheet: Any, value: str) -> Any:
    value = writable(value)
    return text_cell(sheet, value) if value.startswith(FORMULA_STARTS) else value


def styled_cell(sheet: Any, value: Any, *, bold: bool = False, size: float = 11, fill: str | None = None,
                center: bool = False, border: bool = False) -> Any:  # fmt: skip
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    cell = WriteOnlyCell(sheet, value=writable(value) if isinstance(value, str) else value)
    if isinstance(value, str):
        cell.data_type = "s"
    cell.font = Font(name="宋体", bold=bold, size=size)
    if fill:
        cell.fill = PatternFill("solid", fgColor=fill)
    if center:
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    if border:
        thin = Side(style="thin", color="808080")
        cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    return cell


def table_sheet(
    workbook: Any,
    name: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    title: str | None = None,
    subtitle: str | None = None,
) -> int:
    """A printable table; returns the number of data rows written. Dates get a date format
    from openpyxl itself; money columns (yuan as Decimal) a two-decimal format."""
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet = workbook.create_sheet(name)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[column_letter(index)].width = column.width
    header_row = 1 + (title is not None) + (subtitle is not None)
    last = column_letter(len(columns))
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    sheet.print_options.gridLines = True  # a printed 花名册 is a ruled table
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.oddFooter.center.text = "第 &P 页 共 &N 页"
    if title is not None:
        sheet.merged_cells.add(f"A1:{last}1")
        sheet.row_dimensions[1].height = 28
        sheet.append([styled_cell(sheet, title, bold=True, size=16, center=True)])
    if subtitle is not None:
        sheet.append([styled_cell(sheet, subtitle, size=10)])
    sheet.append(
        [styled_cell(sheet, c.header, bold=True, fill=HEADER_FILL, center=True, border=True) for c in columns]
    )
    money = [i for i, c in enumerate(columns) if c.kind == "money"]
    long = [i for i, c in enumerate(columns) if c.kind == "long"]
    count = 0
    for values in rows:
        row = safe_row(sheet, values)
        for i in money:
            row[i] = _money_cell(sheet, row[i])
        for i in long:
            row[i] = _wrapped_cell(sheet, row[i])
        sheet.append(row)
        count += 1
    sheet.auto_filter.ref = f"A{header_row}:{last}{header_row + max(count, 1)}"
    return count


def _wrapped_cell(sheet: Any, value: Any) -> Any:
    """Long text kept within its column, over lines: printed unwrapped it would run on across
    empty columns, and fitting that to the page shrinks the whole sheet to nothing."""
    if not isinstance(value, str) or not value:
        return value
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # as safe_row left it: text, never a formula
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _money_cell(sheet: Any, value: Any) -> Any:
    if value is None or value == "":
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = "#,##0.00"
    return cell
