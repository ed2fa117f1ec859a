"""An .xlsx's sheet XML read before calamine: which file is which sheet, formula and error
cells, how far the cells reach, and members whose stated size is a lie."""

from __future__ import annotations

import io
import re
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from app.services.excel.reader import ErrorCell, FormulaWithoutValue, SpreadsheetError, read_sheets
from app.services.excel.xlsx_sheets import MAX_CELLS, read_member
from tests.fixtures.hostile import SHAPES, add_cells, rewrite_sheet, xlsx_bytes, zip_bomb

HEADER = ["姓名", "身份证号", "部门"]


def two_sheets() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.title = "甲"
    first.append(HEADER)
    first.append(["张伟", "=B9", "办公室"])  # a formula no program has calculated
    second = workbook.create_sheet("乙")
    second.append(HEADER)
    second.append(["李娜", "", "财务科"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_formula_is_marked_in_its_own_sheet_when_the_sheets_were_reordered(tmp_path: Path) -> None:
    """workbook.xml lists 乙 first while its XML is still sheet2.xml: the formula of 甲's
    sheet1.xml belongs to 甲, the second sheet, not to the first."""

    def swap(xml: bytes) -> bytes:
        sheets = re.findall(rb"<sheet [^>]*/>", xml)
        return xml.replace(sheets[0] + sheets[1], sheets[1] + sheets[0])

    path = tmp_path / "reordered.xlsx"
    path.write_bytes(rewrite_sheet(two_sheets(), swap, member="xl/workbook.xml"))
    second, first = read_sheets(path)
    assert (second.name, first.name) == ("乙", "甲")
    assert second.rows[1] == ["李娜", "", "财务科"]
    assert first.rows[1][1].__class__ is FormulaWithoutValue and first.rows[1][1] == "=B9"


def test_error_cells_are_marked_not_read_as_blank(tmp_path: Path) -> None:
    source = xlsx_bytes([HEADER, ["张伟", "x", "办公室"], ["李娜", "y", "财务科"]])
    path = tmp_path / "errors.xlsx"
    path.write_bytes(
        rewrite_sheet(
            source,
            lambda xml: xml.replace(b't="inlineStr"><is><t>x</t></is>', b't="e"><v>#N/A</v>').replace(
                b't="inlineStr"><is><t>y</t></is>', b't="e"><f>1/0</f><v>#DIV/0!</v>'
            ),
        )
    )
    [sheet] = read_sheets(path)
    assert [row[1] for row in sheet.rows[1:]] == ["#N/A", "#DIV/0!"]
    assert all(row[1].__class__ is ErrorCell for row in sheet.rows[1:])


def test_a_formatted_empty_cell_far_away_is_no_reason_to_refuse(tmp_path: Path) -> None:
    """Excel writes a formatted cell without a value as <c r="…" s="1"/>: it takes no room."""
    base = xlsx_bytes([HEADER, ["张伟", "", "办公室"]])
    empty_far = b'<row r="1048576"><c r="XFD1048576" s="1"/></row>'
    path = tmp_path / "formatted.xlsx"
    path.write_bytes(
        rewrite_sheet(base, lambda xml: xml.replace(b"</sheetData>", empty_far + b"</sheetData>"))
    )
    [sheet] = read_sheets(path)
    assert sheet.rows == [HEADER, ["张伟", "", "办公室"]]


@pytest.mark.parametrize("placed", ["referenced", "counted"])
def test_cells_reaching_too_far_are_refused_naming_the_cell(tmp_path: Path, placed: str) -> None:
    base = xlsx_bytes([HEADER, ["张伟", "", "办公室"]])
    if placed == "referenced":
        data = add_cells(base, [("ZZ400000", "><v>1</v>")])
    else:  # no references: the row and the cells count on from the ones before
        row = b'<row r="400000"><c r="ZY400000"/><c><v>1</v></c></row>'
        data = rewrite_sheet(base, lambda xml: xml.replace(b"</sheetData>", row + b"</sheetData>"))
    assert MAX_CELLS < 702 * 400_000
    path = tmp_path / f"{placed}.xlsx"
    path.write_bytes(data)
    with pytest.raises(SpreadsheetError, match=r"ZZ400000 单元格（第 400000 行、第 702 列）"):
        read_sheets(path)


def test_a_member_stating_a_small_size_is_read_no_further(tmp_path: Path) -> None:
    """A crafted zip states 4 KB for a sheet that inflates to a gigabyte: reading it takes
    4 KB and finds the checksum wrong, instead of a gigabyte of memory."""
    path = tmp_path / "lying.xlsx"
    path.write_bytes(zip_bomb(xlsx_bytes(SHAPES["roster"].table()), lie=True))
    tracemalloc.start()
    try:
        with zipfile.ZipFile(path) as archive, pytest.raises(zipfile.BadZipFile):
            read_member(archive, "xl/worksheets/sheet1.xml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024
    with pytest.raises(SpreadsheetError, match="无法读取"):
        read_sheets(path)


def test_text_under_an_excel_name_is_read_as_the_table_it_is(tmp_path: Path) -> None:
    path = tmp_path / "系统导出.xls"
    path.write_bytes("姓名\t身份证号\t部门\r\n张伟\t11010519491231002X\t办公室\r\n".encode("gb18030"))
    [sheet] = read_sheets(path)
    assert sheet.rows == [HEADER, ["张伟", "11010519491231002X", "办公室"]]
    assert "其实是文本格式的表格" in sheet.notes[0]


@pytest.mark.parametrize(
    ("head", "said"),
    [(b"%PDF-1.4", "PDF 文档"), (b"\x89PNG\r\n\x1a\n", "图片"), (b"7z\xbc\xaf\x27\x1c", "压缩包")],
)
def test_what_a_renamed_file_really_is_is_said(tmp_path: Path, head: bytes, said: str) -> None:
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(head + bytes(range(256)))
    with pytest.raises(SpreadsheetError, match=said):
        read_sheets(path)


def test_a_formula_after_a_formatted_empty_cell_is_marked_in_its_own_cell(tmp_path: Path) -> None:
    """<c r="B2" s="1"/> holds nothing: the formula that follows is C2's, not B2's."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["姓名", "备注", "月工资"])
    sheet["A2"] = "张伟"
    sheet["B2"].font = Font(bold=True)  # formatted, empty
    sheet["C2"] = "=4000+1000"
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = tmp_path / "formatted.xlsx"  # as Excel writes a formatted empty cell
    path.write_bytes(
        rewrite_sheet(
            buffer.getvalue(), lambda xml: xml.replace(b'<c r="B2" s="1" t="n"></c>', b'<c r="B2" s="1"/>')
        )
    )
    with zipfile.ZipFile(path) as archive:
        assert b'<c r="B2" s="1"/>' in archive.read("xl/worksheets/sheet1.xml")
    [read] = read_sheets(path)
    assert read.rows[1][1] == "" and read.rows[1][2].__class__ is FormulaWithoutValue
    assert read.rows[1][2] == "=4000+1000"


@pytest.mark.parametrize(
    ("cell", "named"),
    [('<c r="XFD1"><v>1</v></c>', "XFD1101"), ('<c r="xfd1"><v>1</v></c>', "XFD1101"),
     ('<c r="P1048576"><v>1</v></c>', "P1048576"), ('<c r="Q1000000" t="n"><v>1</v></c>', "Q1000000")],
)  # fmt: skip
def test_a_far_cell_among_hundreds_of_ordinary_rows_is_found_wherever_it_is(
    tmp_path: Path, cell: str, named: str
) -> None:
    """In the first row of 1,101, not at the end: the quick look at the references (every
    letter as A, every digit as 0) must send such a sheet the exact way."""
    base = xlsx_bytes([HEADER, *(["张伟", f"{n}", "办公室"] for n in range(1100))])
    assert MAX_CELLS < 16_384 * 1_101 and MAX_CELLS < 16 * 1_048_576
    path = tmp_path / "far.xlsx"
    path.write_bytes(rewrite_sheet(base, lambda xml: xml.replace(b"</row>", cell.encode() + b"</row>", 1)))
    with pytest.raises(SpreadsheetError, match=named):
        read_sheets(path)


def _prefixed(xml: bytes) -> bytes:
    """The sheet as some systems write it: every element with a namespace prefix (<x:c>)."""
    xml = xml.replace(b'<worksheet xmlns="', b'<worksheet xmlns:x="', 1)
    return re.sub(rb"<(/?)(\w+)", rb"<\1x:\2", xml)


@pytest.mark.parametrize("prefix", [False, True])
def test_a_sheet_holding_more_values_than_one_import_takes_is_refused_before_calamine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefix: bool
) -> None:
    """15 million numbers in 3 MB of zip took 2.7 GB to read: such a sheet is refused from
    its XML, counted however its cells are written."""
    monkeypatch.setattr("app.services.excel.xlsx_sheets.MAX_VALUES", 10)
    source = xlsx_bytes([HEADER, *[[f"张{i}", i, "办公室"] for i in range(4)]])  # 15 values
    path = tmp_path / "many.xlsx"
    path.write_bytes(rewrite_sheet(source, _prefixed) if prefix else source)
    with pytest.raises(SpreadsheetError, match=r"有 15 个填了内容的单元格.*最多 10 个"):
        read_sheets(path)
    monkeypatch.setattr("app.services.excel.xlsx_sheets.MAX_VALUES", 15)
    assert read_sheets(path)[0].rows[-1][0] == "张3"


def test_a_part_but_a_sheet_that_unpacks_too_large_is_refused_before_calamine_opens_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """calamine loads the shared strings and the styles as it opens a workbook (a 462 MB list
    of strings took 1.5 GB): any part but a sheet is refused above its size, whatever its
    compression ratio."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for i in range(200):
        sheet.append([f"会员{i:04d}", f"部门{i % 7}"])
    path = tmp_path / "strings.xlsx"
    workbook.save(path)
    with zipfile.ZipFile(path) as archive:
        largest = max(m.file_size for m in archive.infolist() if not m.filename.startswith("xl/worksheets/"))
    monkeypatch.setattr("app.services.excel.reader.MAX_OTHER_PART", largest - 1)
    with pytest.raises(SpreadsheetError, match="解压后过大"):
        read_sheets(path)
    monkeypatch.setattr("app.services.excel.reader.MAX_OTHER_PART", largest)
    assert read_sheets(path)[0].rows[0] == ["会员0000", "部门0"]
