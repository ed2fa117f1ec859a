"""Reading .xlsx/.xlsm/.xls/.csv safely, with the spreadsheet's own row numbers.

Hostile or broken files get a clear Chinese message and never a crash or a hang:
not a spreadsheet, truncated, password-protected, a zip bomb (uncompressed size checked
before anything is parsed), a sheet padded with a million empty rows.
"""

from __future__ import annotations

import csv
import io
import re
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.services.errors import UserError

MAX_UNCOMPRESSED = 512 * 1024 * 1024  # bytes a workbook may unpack to
MAX_RATIO = 200  # uncompressed / compressed, per member: real xlsx stay under ~30
MAX_EMPTY_RUN = 2000  # consecutive empty rows after which the rest of a sheet is ignored
MAX_ROWS = 300_000
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class SpreadsheetError(UserError):
    """The file cannot be read as a spreadsheet; nothing was written."""


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]]
    first_row: int = 1  # the spreadsheet's own number of rows[0]
    notes: list[str] = field(default_factory=list)

    def numbered(self) -> Iterator[tuple[int, list[Any]]]:
        for offset, row in enumerate(self.rows):
            yield self.first_row + offset, row


def read_sheets(path: Path, only: str | None = None) -> list[Sheet]:
    """Every sheet (or just ``only``) of the file, trailing empty rows dropped."""
    if not path.exists():
        raise SpreadsheetError(f"找不到文件“{path}”")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return [_read_csv(path)]
    if suffix not in SPREADSHEET_SUFFIXES:
        raise SpreadsheetError(f"“{path.name}”不是 Excel 或 CSV 文件（支持 .xlsx、.xls、.csv）")
    loader = _take_started(path, only) or _SheetLoader(_open_workbook(path), only)
    if only is not None and only not in loader.names:
        raise SpreadsheetError(f"文件中没有名为“{only}”的工作表（有：{'、'.join(loader.names)}）")
    # scanned while the loader's thread parses
    formulas = _formula_cells(path) if suffix in (".xlsx", ".xlsm") else {}
    return [
        _read_sheet(loader, index, name, formulas.get(index + 1, {}))
        for index, name in enumerate(loader.names)
        if only is None or name == only
    ]


class _SheetLoader:
    """Parses a workbook's sheets on a thread of its own. python-calamine releases the GIL
    while it parses (0.6 s for a 50,000-row sheet), so the formula scan, or with
    ``start_reading`` the program's own start-up, runs meanwhile."""

    def __init__(self, workbook: Any, only: str | None) -> None:
        self.names: list[str] = list(workbook.sheet_names)
        self._workbook = workbook
        self._sheets: dict[int, Any] = {}
        wanted = [i for i, name in enumerate(self.names) if only is None or name == only]
        self._thread = threading.Thread(target=self._parse, args=(wanted,), name="读取工作表", daemon=True)
        self._thread.start()

    def _parse(self, indexes: list[int]) -> None:
        for index in indexes:
            try:
                self._sheets[index] = self._workbook.get_sheet_by_index(index)
            except Exception as exc:  # handed to the reader, which names the sheet
                self._sheets[index] = exc

    def sheet(self, index: int) -> Any:
        self._thread.join()
        parsed = self._sheets[index]
        if isinstance(parsed, Exception):
            raise parsed
        return parsed


_started: tuple[tuple[str, int, int, str | None], _SheetLoader] | None = None


def _file_key(path: Path, only: str | None) -> tuple[str, int, int, str | None]:
    stat = path.stat()
    return str(path.resolve()), stat.st_size, stat.st_mtime_ns, only


def start_reading(path: Path, only: str | None = None) -> None:
    """Begin parsing an Excel file in the background for the next ``read_sheets`` of it:
    the command line calls this before loading the database layer, which then costs no
    time. Nothing is reported here; ``read_sheets`` says what is wrong with the file."""
    global _started
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
            _started = (_file_key(path, only), _SheetLoader(_open_workbook(path), only))
    except (UserError, OSError):
        _started = None


def _take_started(path: Path, only: str | None) -> _SheetLoader | None:
    global _started
    started, _started = _started, None
    if started is None or started[0] != _file_key(path, only):
        return None  # a different or changed file: read it afresh
    return started[1]


def _open_workbook(path: Path) -> Any:
    from python_calamine import CalamineWorkbook

    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(_ZIP_MAGIC):
        _check_zip(path)
    elif head == _OLE_MAGIC:
        _check_ole(path)
    else:
        raise SpreadsheetError(f"“{path.name}”不是 Excel 文件（可能已损坏，或只是改了扩展名）")
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several unrelated types for bad files
        name = type(exc).__name__
        if "Password" in name:
            raise SpreadsheetError(_password_message(path)) from exc
        raise SpreadsheetError(f"无法读取“{path.name}”：文件已损坏或不完整（{name}）") from exc


def _password_message(path: Path) -> str:
    return (
        f"“{path.name}”设置了打开密码。请在 Excel 中打开它，"
        "取消密码（文件 → 信息 → 保护工作簿）后另存，再导入"
    )


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise SpreadsheetError(
            f"“{path.name}”已损坏或不完整（可能没有下载或复制完），请重新获取文件"
        ) from exc
    total = 0
    for member in members:
        total += member.file_size
        compressed = max(member.compress_size, 1)
        if total > MAX_UNCOMPRESSED or (
            member.file_size / compressed > MAX_RATIO and member.file_size > 10_000_000
        ):
            raise SpreadsheetError(f"“{path.name}”解压后过大，不像正常的花名册文件，为安全起见不予读取")
    if not any(m.filename.startswith("xl/") for m in members):
        raise SpreadsheetError(f"“{path.name}”不是 Excel 工作簿（可能是 Word 文档或其他压缩文件）")


def _check_ole(path: Path) -> None:
    # Encrypted .xlsx files are OLE containers holding an "EncryptedPackage" stream.
    with path.open("rb") as handle:
        sample = handle.read(1 << 20)
    if "EncryptedPackage".encode("utf-16-le") in sample:
        raise SpreadsheetError(_password_message(path))


def _read_sheet(loader: _SheetLoader, index: int, name: str, formulas: dict[tuple[int, int], str]) -> Sheet:
    try:
        sheet = loader.sheet(index)
        # iter_rows() starts at row 1 but at the first used column
        first_column = sheet.start[1] if sheet.start else 0
        rows: list[list[Any]] = []
        empty_run = 0
        notes: list[str] = []
        for row in sheet.iter_rows():
            # any(row) settles almost every row at C speed; only an all-falsy one (blank,
            # or holding just zeros) needs the exact test
            if any(row) or any(cell not in ("", None) for cell in row):
                if empty_run:
                    rows.extend([] for _ in range(empty_run))
                    empty_run = 0
                rows.append(row)
            else:
                empty_run += 1
                if empty_run > MAX_EMPTY_RUN:
                    notes.append(f"工作表“{name}”第 {len(rows) + 1} 行以后都是空行，已忽略")
                    break
            if len(rows) > MAX_ROWS:
                raise SpreadsheetError(f"工作表“{name}”超过 {MAX_ROWS} 行，请拆分后再导入")
    except SpreadsheetError:
        raise
    except Exception as exc:
        raise SpreadsheetError(f"工作表“{name}”无法读取：文件已损坏（{type(exc).__name__}）") from exc
    result = Sheet(name=name, rows=rows, first_row=1, notes=notes)
    _apply_formulas(result, {(r, c - first_column): f for (r, c), f in formulas.items()})
    return result


def _apply_formulas(sheet: Sheet, formulas: dict[tuple[int, int], str]) -> None:
    """Formula cells: calamine gives the value Excel saved with the file, or nothing when the
    file was written by a program that never calculated it. Mark the latter so the importer
    can name the cell."""
    if not formulas:
        return
    used = 0
    for (row_number, column), formula in formulas.items():
        offset = row_number - sheet.first_row
        if not 0 <= offset < len(sheet.rows) or column < 0:
            continue
        row = sheet.rows[offset]
        while len(row) <= column:
            row.append("")
        if row[column] in ("", None):
            row[column] = FormulaWithoutValue(formula)
        else:
            used += 1
    if used:
        sheet.notes.append(f"工作表“{sheet.name}”有 {used} 个公式单元格，已按 Excel 保存的计算结果读取")


class FormulaWithoutValue(str):
    """A formula cell the file has no computed value for."""


_FORMULA_TAG = re.compile(rb"<f[ >/]")  # <f>, <f t="shared" …>, <f/>; not <firstHeader>


def _formula_cells(path: Path) -> dict[int, dict[tuple[int, int], str]]:
    """Formula cells per sheet number: {(row, column index): formula text}. Only sheets that
    contain a formula at all are scanned cell by cell."""
    found: dict[int, dict[tuple[int, int], str]] = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            match = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", member)
            if not match:
                continue
            data = archive.read(member)
            if _FORMULA_TAG.search(data) is None:
                continue
            cells: dict[tuple[int, int], str] = {}
            for cell in re.finditer(rb'<c r="([A-Z]+)(\d+)"[^>]*>(.*?)</c>', data, re.S):
                body = cell.group(3)
                if _FORMULA_TAG.search(body) is None:
                    continue
                formula = re.search(rb"<f[^>]*>(.*?)</f>", body, re.S)
                text = _xml_text(formula.group(1)) if formula else "（共享公式）"
                cells[(int(cell.group(2)), _column_index(cell.group(1).decode()))] = "=" + text
            found[int(match.group(1))] = cells
    return found


def _xml_text(raw: bytes) -> str:
    from xml.sax.saxutils import unescape

    return unescape(raw.decode("utf-8", "replace"), {"&quot;": '"', "&apos;": "'"})


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + (ord(ch) - 64)
    return index - 1


_ENCODINGS = ("utf-8-sig", "gb18030")


def _read_csv(path: Path) -> Sheet:
    data = path.read_bytes()
    if data.startswith(_ZIP_MAGIC) or data.startswith(_OLE_MAGIC):
        raise SpreadsheetError(f"“{path.name}”其实是 Excel 文件，请把扩展名改为 .xlsx 或 .xls 后再导入")
    if b"\x00" in data[:4096]:
        raise SpreadsheetError(f"“{path.name}”不是文本格式的 CSV 文件")
    for encoding in _ENCODINGS:
        try:
            content = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SpreadsheetError(
            f"“{path.name}”的文字编码无法识别（既不是 UTF-8 也不是 GBK），请用 Excel 另存为 .xlsx"
        )
    try:
        dialect = csv.Sniffer().sniff(content[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = [list(row) for row in csv.reader(io.StringIO(content), dialect)]
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if len(rows) > MAX_ROWS:
        raise SpreadsheetError(f"“{path.name}”超过 {MAX_ROWS} 行，请拆分后再导入")
    return Sheet(name=path.stem, rows=rows, first_row=1)
