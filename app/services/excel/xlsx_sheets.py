"""An .xlsx's sheets read from their XML before calamine parses them: which file in the
archive is which sheet, the cells holding a formula, and how far the cells reach.

calamine lays a sheet out as one block from its first cell to its last, 32 bytes a cell,
so a single value left in XFD1048576 asks for 512 GB and ends the program on the spot.
Such a sheet is refused here first. Its extent comes from the cells themselves, never the
sheet's own <dimension>, which a file may state wrongly either way.
"""

from __future__ import annotations

import html
import re
import zipfile
from dataclasses import dataclass, field

from app.services.excel.reader import SpreadsheetError

MAX_CELLS = 16_000_000  # of the block from A1 to a sheet's last cell: 512 MB in calamine
# cells holding a value: each is a Python object once read, and the import reads every column
# again (15 million numbers took 2.7 GB and 53 s); 300,000 rows of 16 columns still go in
MAX_VALUES = 5_000_000
_VALUE_TAGS = (b"<v>", b"<is>")  # a cell's value, or its inline text
_SMALLEST_VALUE_CELL = len(b"<c><v></v></c>")  # a sheet smaller than MAX_VALUES of them is not counted
_PREFIXED_VALUE = re.compile(rb"<[\w.-]+:(?:v|is)>")

# A cell reference beyond column AZ or below row 199,999; every other cell lies within
# 52 × 199,999 < MAX_CELLS, so a common sheet only costs one scan with no match at all.
_FAR_REF = re.compile(
    rb'<c r="(?=[B-Zb-z][A-Za-z]|[A-Za-z]{3}|[A-Za-z]+(?:[2-9]\d{5}|\d{7}))([A-Za-z]+)(\d+)"([^>]*)>'
)
_NEAR = (52, 199_999)
# A reference with two letters or six digits, which the pattern above must then look at:
# every reference of a common sheet is one letter and at most five digits, so one search
# with a literal start (C speed) finds nothing and the sheet is near.
_MAYBE_FAR = re.compile(rb'<c r="[A-Za-z](?:[A-Za-z]|\d{6})')
# Cells not written <c r="…" (without a reference, which calamine counts on from the cell
# before, or spelt otherwise), and cells with a namespace prefix (<x:c>): their extent is
# counted one by one.
_OTHER_CELL = re.compile(rb'<c(?! r=")[\s>]')
# Any cell but the common <c r="B12" …> (one letter, at most five digits): a common sheet is
# settled by this one search finding nothing, without the two above.
_UNCOMMON_CELL = re.compile(rb'<c(?! r="[A-Za-z]\d{1,5}")[\s>]')
_PREFIXED_CELL = re.compile(rb":c[\s>]")
_TAG = re.compile(rb"<(/?)(?:[\w.-]+:)?(row|c)(?=[\s>/])([^>]*)>")
_REF_ATTRIBUTE = re.compile(rb"""(?:^|\s)r\s*=\s*["']([A-Za-z]*)(\d*)["']""")
_FORMULA_TAG = re.compile(rb"<f[ >/]")  # <f>, <f t="shared" …>, <f/>; not <firstHeader>
# a cell with content: an empty <c …/> before it must not run on into the next cell's
_FORMULA_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*(?<!/)>(.*?)</c>', re.S)
_FORMULA_TEXT = re.compile(rb"<f[^>]*>(.*?)</f>", re.S)
_ERROR_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*?\st="e"[^>]*(?<!/)>(.*?)</c>', re.S)
_VALUE = re.compile(rb"<v>(.*?)</v>", re.S)
_CHUNK = 1 << 20


@dataclass
class SheetXml:
    """What the XML of one sheet says before calamine reads it."""

    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column index) → "=…"
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # cells showing #N/A, #DIV/0! …


def sheet_members(archive: zipfile.ZipFile, names: list[str]) -> dict[str, str]:
    """Each sheet's file in the archive, by sheet name: as workbook.xml and its relationships
    say, else (a file that does not say) xl/worksheets/sheetN.xml for the Nth sheet."""
    found: dict[str, str] = {}
    present = set(archive.namelist())
    try:
        workbook = read_member(archive, "xl/workbook.xml")
        relations = read_member(archive, "xl/_rels/workbook.xml.rels")
    except KeyError:
        workbook = relations = b""
    targets: dict[bytes, str] = {}
    for attributes in re.findall(rb"<(?:\w+:)?Relationship\b([^>]*)>", relations):
        rid = re.search(rb'\bId="([^"]*)"', attributes)
        target = re.search(rb'\bTarget="([^"]*)"', attributes)
        if rid and target:
            path = _xml_text(target.group(1))
            targets[rid.group(1)] = path.lstrip("/") if path.startswith("/") else f"xl/{path}"
    for attributes in re.findall(rb"<(?:\w+:)?sheet\s([^>]*)>", workbook):
        named = re.search(rb'\bname="([^"]*)"', attributes)
        rid = re.search(rb'\b(?:\w+:)?id="([^"]*)"', attributes)
        if named and rid and targets.get(rid.group(1)) in present:
            found.setdefault(_xml_text(named.group(1)), targets[rid.group(1)])
    for index, name in enumerate(names):
        member = f"xl/worksheets/sheet{index + 1}.xml"
        if name not in found and member in present:
            found[name] = member
    return found


def checked_sheet(archive: zipfile.ZipFile, member: str, name: str) -> bytes:
    """The sheet's XML, once it is known that its cells do not reach too far for calamine
    (else a SpreadsheetError): from here calamine may parse it."""
    data = read_member(archive, member)
    _refuse_far(data, name)
    return data


def scan_cells(data: bytes) -> SheetXml:
    """The formula and error cells of a sheet's XML (calamine reads neither)."""
    return SheetXml(_formula_cells(data), _error_cells(data))


def read_member(archive: zipfile.ZipFile, member: str) -> bytes:
    """A member's bytes, never more than the archive states its size to be. ``archive.read``
    inflates the whole stream first, so a member stating 4 KB that inflates to gigabytes
    (a crafted zip bomb) would take them all; read in chunks, zipfile stops at the stated
    size and finds the checksum wrong."""
    parts = []
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            parts.append(chunk)
    return b"".join(parts)


def check_extent(archive: zipfile.ZipFile, known: set[str], name: str) -> None:
    """For a sheet whose file is not known: every worksheet file not known to be another's."""
    for member in archive.namelist():
        if member.startswith("xl/worksheets/") and member.endswith(".xml") and member not in known:
            _refuse_far(read_member(archive, member), name)


def _refuse_far(data: bytes, name: str) -> None:
    prefixed = _PREFIXED_CELL.search(data) is not None
    if len(data) > MAX_VALUES * _SMALLEST_VALUE_CELL:  # counting a common sheet's 3 MB took 4 ms
        values = sum(data.count(tag) for tag in _VALUE_TAGS)
        if prefixed:
            values += sum(1 for _ in _PREFIXED_VALUE.finditer(data))
        if values > MAX_VALUES:
            raise SpreadsheetError(
                f"工作表“{name}”中有 {values:,} 个填了内容的单元格，超出一次能导入的大小（最多 {MAX_VALUES:,} 个）。"
                "请把表格分成几个文件，分别导入"
            )
    rows, columns = _extent(data, prefixed)
    if rows * columns > MAX_CELLS:
        corner = f"{_column_letters(columns)}{rows}"
        raise SpreadsheetError(
            f"工作表“{name}”在很远的 {corner} 单元格（第 {rows} 行、第 {columns} 列）还有内容，"
            "整张表因此大得远远超出正常的表格。可能是那里误填了内容：请在 Excel 中删除表格以外的行和列"
            "（或只把表格复制到一个新文件），保存后再导入"
        )


def _extent(data: bytes, prefixed: bool) -> tuple[int, int]:
    """(last row, last column) of the block calamine would lay the sheet's cells out in, or
    an upper bound of them; a cell without a value (<c …/>) takes no room."""
    if not prefixed and _UNCOMMON_CELL.search(data) is None:
        return _NEAR[1], _NEAR[0]  # every reference within Z99999
    if prefixed or _OTHER_CELL.search(data) is not None:
        return _counted_extent(data)
    if _MAYBE_FAR.search(data) is None:
        return _NEAR[1], _NEAR[0]  # every reference within Z99999: no reference to look at
    rows, columns = 0, 0
    for letters, digits, rest in _FAR_REF.findall(data):
        if not rest.endswith(b"/"):
            rows, columns = max(rows, int(digits)), max(columns, _column_index(letters) + 1)
    if not rows:
        return _NEAR[1], _NEAR[0]
    near_rows, near_columns = max(rows, _NEAR[1]), max(columns, _NEAR[0])
    if near_rows * near_columns <= MAX_CELLS:
        return near_rows, near_columns
    return _counted_extent(data)  # only the exact count can tell


def _counted_extent(data: bytes) -> tuple[int, int]:
    """The extent as calamine counts it: a cell at its reference, else the one after the cell
    before; a row at its r="…", else the one after the row before. An empty element (<c …/>)
    holds no value but moves the count as calamine reads it, as a start and an end."""
    row = column = 0
    last_row = last_column = 0
    for closing, tag, attributes in _TAG.findall(data):
        empty = attributes.endswith(b"/")
        if not closing:
            ref = _REF_ATTRIBUTE.search(attributes)
            if ref is not None and ref.group(2):
                row = int(ref.group(2)) - 1
                if tag == b"c" and ref.group(1):
                    column = _column_index(ref.group(1))
        if tag == b"row":
            if closing or empty:
                row, column = row + 1, 0
        elif not closing:
            if not empty:  # a cell with something in it
                last_row, last_column = max(last_row, row + 1), max(last_column, column + 1)
            column += 1
    return last_row, last_column


def _formula_cells(data: bytes) -> dict[tuple[int, int], str]:
    """{(row, column index): formula text}; only a sheet that has a formula at all is scanned
    cell by cell."""
    if _FORMULA_TAG.search(data) is None:
        return {}
    cells: dict[tuple[int, int], str] = {}
    for cell in _FORMULA_CELL.finditer(data):
        body = cell.group(3)
        if _FORMULA_TAG.search(body) is None:
            continue
        formula = _FORMULA_TEXT.search(body)
        text = _xml_text(formula.group(1)) if formula else "（共享公式）"
        cells[(int(cell.group(2)), _column_index(cell.group(1)))] = "=" + text
    return cells


def _error_cells(data: bytes) -> dict[tuple[int, int], str]:
    """{(row, column index): the error the cell shows}: calamine reads such a cell as empty."""
    if b't="e"' not in data:  # a plain search: a pattern starting with \s finds no fast path
        return {}
    cells: dict[tuple[int, int], str] = {}
    for cell in _ERROR_CELL.finditer(data):
        value = _VALUE.search(cell.group(3))
        shown = _xml_text(value.group(1)).strip() if value else ""
        cells[(int(cell.group(2)), _column_index(cell.group(1)))] = shown or "#VALUE!"
    return cells


def _xml_text(raw: bytes) -> str:
    # html rather than xml.sax.saxutils, which imports urllib.request, http and email on the way
    return html.unescape(raw.decode("utf-8", "replace"))


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters.upper():
        index = index * 26 + (ch - 64)
    return index - 1


def _column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
