"""Reading .xlsx/.xlsm/.xls/.csv safely, with the spreadsheet's own row numbers.

Hostile or broken files get a clear Chinese message and never a crash or a hang:
not a spreadsheet, a folder, unreadable, truncated or damaged, password-protected, a zip
bomb (uncompressed size checked before anything is parsed, members read no further than
their stated size), a sheet padded with a million empty rows, a value in a far cell
(``xlsx_sheets``), a CSV of hundreds of megabytes. What a file is comes from its first
bytes, not its extension: an .xlsx renamed .xls is read as what it is, and so is the CSV
a web system exports as "Excel"; a PDF or a picture under an Excel name is named.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import struct
import threading
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from app.domain.text import first_control
from app.services.errors import UserError

if TYPE_CHECKING:
    from app.services.excel.xlsx_sheets import SheetXml

MAX_UNCOMPRESSED = 512 * 1024 * 1024  # bytes a workbook may unpack to
MAX_RATIO = 200  # uncompressed / compressed, per member: real xlsx stay under ~30
# bytes any part but a sheet may unpack to: calamine holds the shared strings in memory from
# the moment it opens the file (a 462 MB list of them took 1.5 GB); a 50,000-member roster's
# are under 10 MB
MAX_OTHER_PART = 64 * 1024 * 1024
MAX_ROWS = 300_000  # rows holding something; empty rows do not count
MAX_SPAN = 1_048_576  # Excel's own last row: a CSV taller than that (empty lines too) is refused
LONG_GAP = 2000  # empty rows above data that the user is told about
CSV_PREFIX = 64 * 1024  # bytes of a CSV its encoding and delimiter are guessed from
MAX_LINE = 1 << 20  # characters in one line of a CSV
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")
_TEXT_SUFFIXES = (".csv",)

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# What a damaged file makes zipfile, zlib, the XML scan or calamine raise.
_DAMAGED = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    struct.error,
    KeyError,
    IndexError,
    EOFError,
    ValueError,  # UnicodeDecodeError too
    OSError,
    RuntimeError,
    NotImplementedError,
)

# The one empty list that stands for every empty row between data rows, so a gap of a
# million rows costs a million references, not a million lists. Rows are never changed
# in place by readers of a Sheet.
_EMPTY_ROW: list[Any] = []

Kind = Literal["zip", "ole", "text"]


class SpreadsheetError(UserError):
    """The file cannot be read as a spreadsheet; nothing was written."""


@dataclass
class Sheet:
    """A sheet's rows from row ``first_row`` down to its last row holding something. Empty
    rows between are empty lists (one shared list: do not change rows in place)."""

    name: str
    rows: list[list[Any]]
    first_row: int = 1  # the spreadsheet's own number of rows[0]
    notes: list[str] = field(default_factory=list)

    def numbered(self) -> Iterator[tuple[int, list[Any]]]:
        for offset, row in enumerate(self.rows):
            yield self.first_row + offset, row


def read_sheets(path: Path, only: str | None = None) -> list[Sheet]:
    """Every sheet (or just ``only``) of the file, trailing empty rows dropped."""
    kind = _sniff(path)
    try:
        if kind == "text":
            sheet = _read_csv(path)
            if path.suffix.lower() not in _TEXT_SUFFIXES:
                sheet.notes.insert(
                    0, f"“{path.name}”其实是文本格式的表格（CSV），只是扩展名为 {path.suffix}，已按文本读取"
                )
            return [sheet]
        return _read_workbook(path, kind, only)
    except SpreadsheetError:
        raise
    except PermissionError as exc:
        raise SpreadsheetError(_permission_message(path)) from exc
    except _DAMAGED as exc:
        raise SpreadsheetError(_damaged_message(path, exc)) from exc


def _sniff(path: Path) -> Kind:
    """What the file is, from its first bytes. Refuses what is not a file, cannot be opened,
    or is not a spreadsheet at all."""
    if path.is_dir():
        raise SpreadsheetError(f"“{path}”是一个文件夹，不是文件。请选择其中的 Excel 或 CSV 文件")
    if not path.exists():
        raise SpreadsheetError(f"找不到文件“{path}”")
    if not path.is_file():  # a pipe or a device: reading it could wait for ever
        raise SpreadsheetError(f"“{path.name}”不是普通文件（可能是管道或设备），请选择 Excel 或 CSV 文件")
    suffix = path.suffix.lower()
    if suffix not in SPREADSHEET_SUFFIXES:
        raise SpreadsheetError(f"“{path.name}”不是 Excel 或 CSV 文件（支持 .xlsx、.xls、.csv）")
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except PermissionError as exc:
        raise SpreadsheetError(_permission_message(path)) from exc
    except OSError as exc:
        raise SpreadsheetError(_damaged_message(path, exc)) from exc
    if not head:
        raise SpreadsheetError(f"“{path.name}”是空文件（0 字节），可能没有保存或复制完，请重新获取文件")
    if head.startswith(_ZIP_MAGIC):
        return "zip"
    if head.startswith(_OLE_MAGIC):
        return "ole"
    if suffix in _TEXT_SUFFIXES:
        return "text"
    return _disguised(path, head, suffix)


# What files renamed to .xlsx or .xls turn out to be, by their first bytes.
_OTHER_FILES = (
    (b"%PDF", "一份 PDF 文档"),
    (b"\x89PNG", "一张图片"),
    (b"\xff\xd8\xff", "一张图片"),
    (b"GIF8", "一张图片"),
    (b"Rar!\x1a\x07", "一个压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "一个压缩包"),
    (b"\x1f\x8b", "一个压缩包"),
)
_TABLE_LINE = re.compile(r"^[^\r\n]*[\t,;][^\r\n]*[\r\n]")


def _disguised(path: Path, head: bytes, suffix: str) -> Kind:
    """A file under an Excel extension that is no workbook: the CSV or tab-separated text
    web systems export as "Excel" is read as the text it is; what else it is, is said."""
    for magic, what in _OTHER_FILES:
        if head.startswith(magic):
            advice = (
                "请先解压，再导入其中的 Excel 文件"
                if what.endswith("压缩包")
                else "请找到原来的 Excel 文件再导入"
            )
            raise SpreadsheetError(f"“{path.name}”其实是{what}，不是表格（只是扩展名为 {suffix}）。{advice}")
    sample = _head_text(head)
    seen = (sample if sample is not None else head.decode("latin-1")).lower()
    # what some systems export under an Excel extension
    if "urn:schemas-microsoft-com:office:spreadsheet" in seen:
        raise SpreadsheetError(
            f"“{path.name}”其实是 XML 格式的表格（Excel 2003 XML），只是扩展名为 {suffix}。"
            "请用 Excel 打开它，另存为 .xlsx 后再导入"
        )
    if re.search("<(html|table|!doctype html)", seen):
        raise SpreadsheetError(
            f"“{path.name}”其实是网页（HTML）格式，只是扩展名为 {suffix}。"
            "请用 Excel 打开它，另存为 .xlsx 后再导入"
        )
    text = (sample or "").lstrip("\ufeff\r\n")
    if sample is not None and _TABLE_LINE.match(text) and first_control(text) is None:
        return "text"
    raise SpreadsheetError(f"“{path.name}”不是 Excel 文件（可能已损坏，或只是改了扩展名）")


def _head_text(head: bytes) -> str | None:
    """The file's first bytes as text, if they are text in an encoding a CSV may have."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(head, "utf-16", False)
    if b"\x00" in head:
        utf16 = _bomless_utf16(head)
        return _decode(head, utf16, False) if utf16 else None
    for encoding in ("utf-8-sig", "gb18030"):
        text = _decode(head, encoding, False)
        if text is not None:
            return text
    return None


def _read_workbook(path: Path, kind: Kind, only: str | None) -> list[Sheet]:
    loader = _take_started(path, only) or _new_loader(path, kind, only)
    if only is not None and only not in loader.names:
        raise SpreadsheetError(f"文件中没有名为“{only}”的工作表（有：{'、'.join(loader.names)}）")
    return [
        _read_sheet(loader, index, name)
        for index, name in enumerate(loader.names)
        if only is None or name == only
    ]


def _permission_message(path: Path) -> str:
    return (
        f"无法打开“{path.name}”：没有读取权限，或文件正被其他程序独占打开。"
        "请关闭正在使用它的程序（如 Excel、WPS），或检查文件的权限后重试"
    )


def _damaged_message(path: Path, exc: BaseException) -> str:
    return f"“{path.name}”已损坏或不完整（可能没有下载或复制完），请重新获取文件"


class _SheetLoader:
    """Parses a workbook's sheets on a thread of its own. python-calamine releases the GIL
    while it parses (0.6 s for a 50,000-row sheet), so the command line's start-up runs
    meanwhile (``start_reading``). An .xlsx sheet's XML is looked at first
    (``xlsx_sheets``): its formula cells, and whether its cells reach too far for calamine."""

    def __init__(self, workbook: Any, only: str | None, xlsx: Path | None = None) -> None:
        self.names: list[str] = list(workbook.sheet_names)
        self.xml: dict[int, SheetXml] = {}
        self._workbook = workbook
        self._sheets: dict[int, Any] = {}
        self.parsing = threading.Event()  # the checks are done: calamine is parsing, or it is over
        wanted = [i for i, name in enumerate(self.names) if only is None or name == only]
        self._thread = threading.Thread(
            target=self._parse, args=(wanted, xlsx), name="读取工作表", daemon=True
        )
        self._thread.start()

    def _parse(self, indexes: list[int], xlsx: Path | None) -> None:
        from concurrent.futures import ThreadPoolExecutor

        from app.services.excel.xlsx_sheets import check_extent, checked_sheet, scan_cells, sheet_members

        archive: zipfile.ZipFile | None = None
        members: dict[str, str] = {}
        try:
            if xlsx is not None:
                archive = zipfile.ZipFile(xlsx)
                members = sheet_members(archive, self.names)
        except _DAMAGED as exc:
            for index in indexes:
                self._sheets[index] = exc
            self.parsing.set()
            return
        try:
            for index in indexes:
                try:
                    name, member = self.names[index], members.get(self.names[index])
                    if archive is not None and member is not None:
                        data = checked_sheet(archive, member, name)
                        # calamine parses (without the GIL) while the formulas are looked for
                        with ThreadPoolExecutor(1, thread_name_prefix="解析工作表") as calamine:
                            parsing = calamine.submit(self._workbook.get_sheet_by_index, index)
                            self.parsing.set()
                            self.xml[index] = scan_cells(data)
                            self._sheets[index] = parsing.result()
                        continue
                    if archive is not None:  # a sheet the file does not say the place of
                        check_extent(archive, set(members.values()), name)
                    self.parsing.set()
                    self._sheets[index] = self._workbook.get_sheet_by_index(index)
                except Exception as exc:  # handed to the reader, which names the sheet
                    self._sheets[index] = exc
        finally:
            self.parsing.set()
            if archive is not None:
                archive.close()

    def sheet(self, index: int) -> Any:
        self._thread.join()
        parsed = self._sheets[index]
        if isinstance(parsed, Exception):
            raise parsed
        return parsed


def _new_loader(path: Path, kind: Kind, only: str | None) -> _SheetLoader:
    return _SheetLoader(_open_workbook(path, kind), only, path if kind == "zip" else None)


_started: tuple[tuple[str, int, int, str | None], _SheetLoader] | None = None


def _file_key(path: Path, only: str | None) -> tuple[str, int, int, str | None]:
    stat = path.stat()
    return str(path.resolve()), stat.st_size, stat.st_mtime_ns, only


def start_reading(path: Path, only: str | None = None) -> None:
    """Begin parsing an Excel file in the background for the next ``read_sheets`` of it
    (kept when it has begun already): the command line calls this before loading the
    database layer, which then costs no time. Nothing is reported here; ``read_sheets``
    says what is wrong with the file."""
    global _started
    try:
        key = _file_key(path, only)
        if _started is not None and _started[0] == key:
            return
        kind = _sniff(path)
        if kind in ("zip", "ole"):
            _started = (key, _new_loader(path, kind, only))
    except (UserError, *_DAMAGED):
        _started = None


def wait_until_parsing(path: Path, only: str | None = None, timeout: float = 2.0) -> None:
    """Return once the file ``start_reading`` began is past its checks (calamine parses it
    then, without the GIL), or at once when none was begun: work that needs the GIL goes
    best beside the parse, not beside the checks, which need the GIL too."""
    started = _started
    try:
        if started is not None and started[0] == _file_key(path, only):
            started[1].parsing.wait(timeout)
    except OSError:
        pass


def _take_started(path: Path, only: str | None) -> _SheetLoader | None:
    global _started
    started, _started = _started, None
    if started is None or started[0] != _file_key(path, only):
        return None  # a different or changed file: read it afresh
    return started[1]


def _utf8_name(path: Path) -> bool:
    """Whether the path can be handed to calamine as text: a name in another encoding (a GBK
    file name on a UTF-8 system) is kept by Python as bytes it could not read."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _open_workbook(path: Path, kind: Kind) -> Any:
    from python_calamine import CalamineWorkbook

    if kind == "zip":
        _check_zip(path)
        named_right = path.suffix.lower() in (".xlsx", ".xlsm")
    else:
        _check_ole(path)
        named_right = path.suffix.lower() == ".xls"
    try:
        if named_right and _utf8_name(path):
            return CalamineWorkbook.from_path(str(path))
        # calamine picks its reader by the extension; from the content, it looks at the bytes
        # (and takes a name in another encoding, which it could not be given as a path)
        return CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
    except PermissionError as exc:
        raise SpreadsheetError(_permission_message(path)) from exc
    except Exception as exc:  # calamine raises several unrelated types for bad files
        name = type(exc).__name__
        if "Password" in name:
            raise SpreadsheetError(_password_message(path)) from exc
        raise SpreadsheetError(f"无法读取“{path.name}”：文件已损坏或不完整") from exc


def _password_message(path: Path) -> str:
    return (
        f"“{path.name}”设置了打开密码。请在 Excel 中打开它，"
        "取消密码（文件 → 信息 → 保护工作簿）后另存，再导入"
    )


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except PermissionError as exc:
        raise SpreadsheetError(_permission_message(path)) from exc
    except _DAMAGED as exc:
        raise SpreadsheetError(_damaged_message(path, exc)) from exc
    total = packed = 0
    for member in members:
        total += member.file_size
        packed += member.compress_size
        compressed = max(member.compress_size, 1)
        if (
            total > MAX_UNCOMPRESSED
            or (member.file_size / compressed > MAX_RATIO and member.file_size > 10_000_000)
            # many members each under the size above, together still a bomb
            or (total / max(packed, 1) > MAX_RATIO and total > 10_000_000)
            or (member.file_size > MAX_OTHER_PART and not member.filename.startswith("xl/worksheets/"))
        ):
            raise SpreadsheetError(f"“{path.name}”解压后过大，不像正常的表格文件，为安全起见不予读取")
    if not any(m.filename.startswith("xl/") for m in members):
        raise SpreadsheetError(f"“{path.name}”不是 Excel 工作簿（可能是 Word 文档或其他压缩文件）")


def _check_ole(path: Path) -> None:
    # Encrypted .xlsx files are OLE containers holding an "EncryptedPackage" stream.
    with path.open("rb") as handle:
        sample = handle.read(1 << 20)
    if "EncryptedPackage".encode("utf-16-le") in sample:
        raise SpreadsheetError(_password_message(path))


def _read_sheet(loader: _SheetLoader, index: int, name: str) -> Sheet:
    try:
        sheet = loader.sheet(index)
        # iter_rows() starts at row 1 but at the first used column
        first_column = sheet.start[1] if sheet.start else 0
        collected = _Rows(f"工作表“{name}”")
        rows, append, room = collected.rows, collected.rows.append, MAX_ROWS
        for row in sheet.iter_rows():
            # any(row) settles almost every row at C speed; an all-falsy one (blank, or
            # holding just zeros) is blank when it holds nothing but "" and None, which
            # list.count tells at C speed too: a million empty rows above a stray cell
            if any(row) or row.count("") + row.count(None) != len(row):
                if collected.empty_run or len(rows) >= room:
                    collected.add(row)  # after a gap, or at the limit: the long way
                else:
                    append(row)  # the next row of a table: nothing else to look at
            else:
                collected.empty_run += 1  # kept only if data follows: a formatted empty tail costs nothing
    except SpreadsheetError:
        raise
    except Exception as exc:
        raise SpreadsheetError(f"工作表“{name}”无法读取：文件已损坏或不完整") from exc
    result = Sheet(name=name, rows=collected.rows, first_row=1, notes=collected.notes)
    xml = loader.xml.get(index)
    if xml is not None:
        _apply_formulas(result, {(r, c - first_column): f for (r, c), f in xml.formulas.items()})
        _apply_errors(result, {(r, c - first_column): e for (r, c), e in xml.errors.items()})
    return result


class _Rows:
    """A sheet's rows as they are read. The empty rows between data are kept as one shared
    empty list each (a gap of a million rows costs 8 MB, not a million lists) and do not
    count against MAX_ROWS; a long gap is noted; empty rows at the end are never kept."""

    def __init__(self, where: str) -> None:
        self.where = where  # 工作表“x” / “x.csv”, for messages
        self.rows: list[list[Any]] = []
        self.notes: list[str] = []
        self.padded = 0  # of rows, the empty ones between data
        self.empty_run = 0  # empty rows since the last row with data

    def add(self, row: list[Any]) -> None:
        if self.empty_run:
            if self.empty_run >= LONG_GAP:
                first, count = len(self.rows) + 1, self.empty_run
                self.notes.append(
                    f"{self.where}第 {first}～{first + count - 1} 行是空行，下面第 {first + count} 行起还有数据，已一并读取"
                )
            self.rows.extend(repeat(_EMPTY_ROW, self.empty_run))
            self.padded += self.empty_run
            self.empty_run = 0
        self.rows.append(row)
        if len(self.rows) - self.padded > MAX_ROWS:
            raise SpreadsheetError(f"{self.where}超过 {MAX_ROWS} 行，请拆分后再导入")


def _apply_formulas(sheet: Sheet, formulas: dict[tuple[int, int], str]) -> None:
    """Formula cells: calamine gives the value Excel saved with the file, or nothing when the
    file was written by a program that never calculated it. Mark the latter so the importer
    can name the cell."""
    used = 0
    for (row_number, column), formula in formulas.items():
        row = _row_for(sheet, row_number, column)
        if row is None:
            continue
        if row[column] in ("", None):
            row[column] = FormulaWithoutValue(formula)
        else:
            used += 1
    if used:
        sheet.notes.append(f"工作表“{sheet.name}”有 {used} 个公式单元格，已按 Excel 保存的计算结果读取")


def _apply_errors(sheet: Sheet, errors: dict[tuple[int, int], str]) -> None:
    """Cells showing an error (#N/A, #DIV/0! …), which calamine reads as empty: marked, so
    that the importer names them rather than take them for blanks."""
    for (row_number, column), error in errors.items():
        row = _row_for(sheet, row_number, column)
        if row is not None:
            row[column] = ErrorCell(error)


def _row_for(sheet: Sheet, row_number: int, column: int) -> list[Any] | None:
    """The sheet's row ``row_number``, long enough to hold ``column`` and its own (not the
    shared empty row), or None when the sheet has no such row."""
    offset = row_number - sheet.first_row
    if not 0 <= offset < len(sheet.rows) or column < 0:
        return None
    row = sheet.rows[offset]
    if row is _EMPTY_ROW:
        row = sheet.rows[offset] = []
    while len(row) <= column:
        row.append("")
    return row


class FormulaWithoutValue(str):
    """A formula cell the file has no computed value for."""


class ErrorCell(str):
    """A cell showing an Excel error (#N/A, #DIV/0! …), which calamine reads as empty."""


def _read_csv(path: Path) -> Sheet:
    """A CSV read as a stream: the encoding and delimiter guessed from its first bytes, rows
    kept only while within the limits, so a file of hundreds of megabytes is refused after
    reading just past MAX_ROWS."""
    with path.open("rb") as handle:
        prefix = handle.read(CSV_PREFIX)
        complete = not handle.read(1)
    encoding, sample = _csv_encoding(path, prefix, complete)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        return _parse_csv(path, encoding, dialect)
    except _WrongGuess as wrong:
        if encoding != "utf-8-sig" or not sample.isascii():
            raise SpreadsheetError(
                f"“{path.name}”第 {wrong.line} 行附近的文字无法读取：文件已损坏或不完整，或前后用了不同的编码。"
                "请用 Excel 打开后另存为 .xlsx 再导入"
            ) from wrong
    # the start was plain ASCII, read as UTF-8; the rest says otherwise
    try:
        return _parse_csv(path, "gb18030", dialect)
    except _WrongGuess as wrong:
        raise SpreadsheetError(_unknown_encoding(path)) from wrong


class _WrongGuess(Exception):
    """The encoding the CSV is read with does not fit it from about ``line`` on."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def _parse_csv(path: Path, encoding: str, dialect: type[csv.Dialect] | csv.Dialect) -> Sheet:
    collected = _Rows(f"“{path.name}”")
    too_tall = f"“{path.name}”超过 {MAX_SPAN} 行（空行也算在内），请删除多余的空行或拆分后再导入"
    with path.open("r", encoding=encoding, newline="") as stream:
        reader = csv.reader(_lines(path, stream), dialect)
        read_to = 0  # the last line of the last row read
        try:
            for row in reader:
                read_to = reader.line_num
                if not any(row) or (not row[0].strip() and not "".join(row).strip()):
                    collected.empty_run += 1
                    if len(collected.rows) + collected.empty_run > MAX_SPAN:
                        raise SpreadsheetError(too_tall)
                    continue
                collected.add(row)
                if len(collected.rows) > MAX_SPAN:
                    raise SpreadsheetError(too_tall)
        except UnicodeDecodeError as exc:
            raise _WrongGuess(read_to + 1) from exc
        except csv.Error as exc:
            raise SpreadsheetError(
                f"“{path.name}”第 {read_to + 1} 行起无法按 CSV 读取（可能是引号不成对，或单元格过长），"
                "请用 Excel 打开检查后另存为 .xlsx 再导入"
            ) from exc
    return Sheet(name=path.stem, rows=collected.rows, first_row=1, notes=collected.notes)


def _lines(path: Path, stream: IO[str]) -> Iterator[str]:
    """The stream's lines, refusing one longer than MAX_LINE before it is all in memory."""
    while line := stream.readline(MAX_LINE):
        if len(line) >= MAX_LINE and line[-1] not in "\r\n":
            raise SpreadsheetError(f"“{path.name}”有一行过长（超过 {MAX_LINE} 个字符），不像正常的表格文件")
        yield line


def _csv_encoding(path: Path, prefix: bytes, complete: bool) -> tuple[str, str]:
    """(the encoding to read the CSV with, its first characters). ``complete``: ``prefix``
    is the whole file, else it may end inside a character."""
    if prefix.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", _decode(prefix, "utf-8-sig", complete) or ""
    if prefix.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode 文本"
        return "utf-16", _decode(prefix, "utf-16", complete) or ""
    if b"\x00" in prefix[:4096]:
        utf16 = _bomless_utf16(prefix[:4096])
        if utf16 is None:
            raise SpreadsheetError(f"“{path.name}”不是文本格式的 CSV 文件")
        return utf16, _decode(prefix, utf16, complete) or ""
    utf8 = _decode(prefix, "utf-8", complete)
    if utf8 is not None:
        return "utf-8-sig", utf8
    gbk = _decode(prefix, "gb18030", complete)
    big5 = _decode(prefix, "cp950", complete) or _decode(prefix, "big5hkscs", complete)
    if big5 is not None and _looks_traditional(gbk, big5):
        raise SpreadsheetError(
            f"“{path.name}”是繁体中文（Big5）编码，请用 Excel 打开后另存为 .xlsx 或 UTF-8 CSV 再导入"
        )
    if gbk is not None:
        return "gb18030", gbk
    raise SpreadsheetError(_unknown_encoding(path))


def _unknown_encoding(path: Path) -> str:
    return f"“{path.name}”的文字编码无法识别（既不是 UTF-8 也不是 GBK），请用 Excel 另存为 .xlsx"


def _decode(data: bytes, encoding: str, complete: bool) -> str | None:
    """``data`` decoded, a character cut off at its end allowed unless it is the whole file."""
    try:
        return codecs.getincrementaldecoder(encoding)("strict").decode(data, final=complete)
    except UnicodeDecodeError:
        return None


def _bomless_utf16(sample: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII characters put their zero byte always on the same side."""
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if odd and not even and odd * 8 >= len(sample) // 2:
        return "utf-16-le"
    if even and not odd and even * 8 >= len(sample) // 2:
        return "utf-16-be"
    return None


def _looks_traditional(gbk: str | None, big5: str) -> bool:
    """Whether bytes that decode both as GBK and as Big5 are Big5. Most Chinese text uses a
    few thousand characters: GBK's are the hanzi of GB 2312 (lead byte B0–F7), Big5's its
    常用字 (lead byte A4–C6). Text read in the wrong encoding lands on rare characters,
    symbols and kana instead."""
    big5_share = _common_share(big5, "cp950", 0xA4, 0xC6)
    gbk_share = _common_share(gbk, "gb2312", 0xB0, 0xF7) if gbk is not None else 0.0
    return big5_share >= 0.6 and big5_share > gbk_share


def _common_share(text: str, encoding: str, low: int, high: int) -> float:
    """Of the first non-ASCII characters of ``text`` (full-width punctuation aside), the
    share that are common characters of ``encoding``."""
    seen = common = 0
    for char in text:
        if char.isascii() or "\u3000" <= char <= "\u303f" or "\uff00" <= char <= "\uffef":
            continue
        seen += 1
        try:
            encoded = char.encode(encoding)
        except UnicodeEncodeError:
            encoded = b""
        if len(encoded) == 2 and low <= encoded[0] <= high:
            common += 1
        if seen == 2000:
            break
    return common / seen if seen else 0.0
