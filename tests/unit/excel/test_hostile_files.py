"""Files a new user really has: long gaps, damaged sheets, folders, renamed files, other
encodings, a CSV far over the row limit. A clear message or the data, never a crash."""

from __future__ import annotations

import codecs
import contextlib
import shutil
import struct
import subprocess
import time
import tracemalloc
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from app.db import Database
from app.services.excel import reader
from app.services.excel.reader import SpreadsheetError, read_sheets, start_reading
from app.services.roster.importer import plan_import

HEADER = ["姓名", "身份证号", "部门"]
MEMBERS = [["张伟", "11010519491231002X", "办公室"], ["李娜", "110101199003078515", "财务科"]]


def xlsx(path: Path, rows: Mapping[int, Sequence[object]]) -> Path:
    """A workbook whose first sheet holds ``rows`` at the given row numbers."""
    workbook = Workbook()
    sheet = workbook.active
    for number, cells in rows.items():
        for column, value in enumerate(cells, start=1):
            sheet.cell(row=number, column=column, value=value)
    workbook.save(path)
    return path


def numbered(path: Path) -> list[tuple[int, list[Any]]]:
    [sheet] = read_sheets(path)
    return [(number, row) for number, row in sheet.numbered() if row]


# -- 1. a member after a long run of empty rows --------------------------------------------------


def test_a_member_after_a_long_gap_is_read(db: Database, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "gap.xlsx", {1: HEADER, 2: MEMBERS[0], 5005: MEMBERS[1]})
    [sheet] = read_sheets(path)
    assert [n for n, row in sheet.numbered() if row] == [1, 2, 5005]
    assert not any("已忽略" in note for note in sheet.notes)
    assert any("5005" in note for note in sheet.notes)  # the user is told where the data went on
    with db.session() as session:
        plan = plan_import(session, path)
    assert [(r.row, r.member_name) for r in plan.rows] == [(2, "张伟"), (5005, "李娜")]


def test_the_rows_of_a_long_gap_cost_no_memory(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "tall.xlsx", {1: HEADER, 2: MEMBERS[0], 200_000: MEMBERS[1]})
    tracemalloc.start()
    try:
        [sheet] = read_sheets(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 6 * 1024 * 1024  # a list per empty row would be > 11 MB
    assert [n for n, row in sheet.numbered() if row] == [1, 2, 200_000]


def test_trailing_empty_cells_are_dropped(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    for cells in (HEADER, MEMBERS[0]):
        sheet.append(cells)
    for number in range(3, 6000):  # cells written as empty text, as some programs do
        sheet.cell(row=number, column=1, value="")
    path = tmp_path / "tail.xlsx"
    workbook.save(path)
    [read] = read_sheets(path)
    assert read.rows == [HEADER, MEMBERS[0]]


def test_a_csv_member_after_a_long_gap_is_read(tmp_path: Path) -> None:
    path = tmp_path / "gap.csv"
    lines = [",".join(HEADER), ",".join(MEMBERS[0]), *[""] * 3000, ",".join(MEMBERS[1]), "", ""]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    assert numbered(path) == [(1, HEADER), (2, MEMBERS[0]), (3003, MEMBERS[1])]


def test_a_csv_taller_than_excel_is_refused_early(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "MAX_SPAN", 1000)
    path = tmp_path / "tall.csv"
    path.write_text(",".join(HEADER) + "\n" + "\n" * 5000 + ",".join(MEMBERS[0]) + "\n", encoding="utf-8")
    with pytest.raises(SpreadsheetError, match="超过 1000 行"):
        read_sheets(path)


# -- 3. a damaged sheet inside a valid zip ---------------------------------------------------------


def _damage_member(source: Path, target: Path, member: str) -> None:
    """Flip bytes inside ``member``'s compressed data; the zip's directory stays valid."""
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as archive:
        info = archive.getinfo(member)
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
    start = info.header_offset + 30 + name_length + extra_length
    for offset in range(start + 20, start + info.compress_size - 20, 7):
        data[offset] ^= 0xFF
    target.write_bytes(bytes(data))


def test_a_damaged_sheet_in_a_valid_zip(db: Database, tmp_path: Path) -> None:
    good = xlsx(tmp_path / "good.xlsx", {1: HEADER, **{n: MEMBERS[n % 2] for n in range(2, 200)}})
    bad = tmp_path / "bad.xlsx"
    _damage_member(good, bad, "xl/worksheets/sheet1.xml")
    with zipfile.ZipFile(bad) as archive:
        assert "xl/worksheets/sheet1.xml" in archive.namelist()  # the directory still reads
    with pytest.raises(SpreadsheetError, match="已损坏或不完整"):
        read_sheets(bad)
    with pytest.raises(SpreadsheetError, match="已损坏或不完整"), db.session() as session:
        plan_import(session, bad)


def test_a_stored_sheet_with_a_bad_checksum(tmp_path: Path) -> None:
    good = xlsx(tmp_path / "good.xlsx", {1: HEADER, **{n: MEMBERS[n % 2] for n in range(2, 50)}})
    stored = tmp_path / "stored.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as target:
        for item in source.infolist():
            target.writestr(item.filename, source.read(item))
    data = bytearray(stored.read_bytes())
    with zipfile.ZipFile(stored) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
    middle = info.header_offset + 30 + name_length + extra_length + info.compress_size // 2
    data[middle] = ord("#") if data[middle] != ord("#") else ord("$")  # the checksum no longer agrees
    stored.write_bytes(bytes(data))
    with pytest.raises(SpreadsheetError, match="已损坏或不完整"):
        read_sheets(stored)


# -- 4. a folder, a file that cannot be opened --------------------------------------------------


@pytest.mark.parametrize("name", ["花名册.xlsx", "花名册.csv", "花名册.xls"])
def test_a_folder_is_not_a_file(tmp_path: Path, name: str) -> None:
    folder = tmp_path / name
    folder.mkdir()
    start_reading(folder)  # says nothing
    with pytest.raises(SpreadsheetError, match="是一个文件夹，不是文件"):
        read_sheets(folder)


@pytest.mark.parametrize("name", ["locked.xlsx", "locked.csv"])
def test_a_file_that_cannot_be_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    path = xlsx(tmp_path / "good.xlsx", {1: HEADER, 2: MEMBERS[0]})
    locked = tmp_path / name
    if name.endswith(".xlsx"):
        shutil.copy(path, locked)
    else:
        locked.write_text("姓名\n张伟\n", encoding="utf-8")
    real_open = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == name:  # as for a file without read permission, or one Excel holds open
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(SpreadsheetError, match="没有读取权限"):
        read_sheets(locked)


def test_an_empty_file(tmp_path: Path) -> None:
    for name in ("empty.xlsx", "empty.csv"):
        (tmp_path / name).write_bytes(b"")
        with pytest.raises(SpreadsheetError, match="是空文件"):
            read_sheets(tmp_path / name)


# -- 5. misleading messages ------------------------------------------------------------------------


def test_an_xlsx_renamed_xls_or_csv_is_read(tmp_path: Path) -> None:
    good = xlsx(tmp_path / "good.xlsx", {1: HEADER, 2: MEMBERS[0]})
    for name in ("renamed.xls", "renamed.csv"):
        renamed = tmp_path / name
        shutil.copy(good, renamed)
        start_reading(renamed)
        assert numbered(renamed) == [(1, HEADER), (2, MEMBERS[0])]
        assert numbered(renamed) == [(1, HEADER), (2, MEMBERS[0])]  # read afresh too


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice makes the .xls")
def test_an_xls_renamed_xlsx_is_read(tmp_path: Path) -> None:
    source = xlsx(tmp_path / "old.xlsx", {1: HEADER, 2: MEMBERS[0]})
    profile = tmp_path / "profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "xls", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    renamed = tmp_path / "renamed.xlsx"
    (tmp_path / "old.xls").rename(renamed)
    assert renamed.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    assert numbered(renamed) == [(1, HEADER), (2, MEMBERS[0])]


def test_an_html_page_saved_as_xls(tmp_path: Path) -> None:
    page = tmp_path / "导出.xls"
    page.write_text("<html><body><table><tr><td>姓名</td></tr></table></body></html>", encoding="utf-8")
    with pytest.raises(SpreadsheetError, match="网页"):
        read_sheets(page)


def test_unicode_text_csv_is_read(db: Database, tmp_path: Path) -> None:
    """Excel's "Unicode 文本": UTF-16 LE with a BOM, tab-separated."""
    content = "\r\n".join("\t".join(row) for row in (HEADER, *MEMBERS)) + "\r\n"
    for name, data in (
        ("unicode.csv", codecs.BOM_UTF16_LE + content.encode("utf-16-le")),
        ("big-endian.csv", codecs.BOM_UTF16_BE + content.encode("utf-16-be")),
        ("no-bom.csv", content.encode("utf-16-le")),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        assert numbered(path) == [(1, HEADER), (2, MEMBERS[0]), (3, MEMBERS[1])], name
    with db.session() as session:
        plan = plan_import(session, tmp_path / "unicode.csv")
    assert [r.member_name for r in plan.rows] == ["张伟", "李娜"]


TRADITIONAL = "姓名,性別,身份證號,部門,聯繫電話\r\n張偉,男,11010519491231002X,辦公室,13800138000\r\n"


def test_big5_csv_is_named(tmp_path: Path) -> None:
    path = tmp_path / "繁体.csv"
    path.write_bytes(TRADITIONAL.encode("cp950"))
    with pytest.raises(SpreadsheetError, match=r"繁体中文（Big5）"):
        read_sheets(path)


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏辉建国晶宇浩然子涵欣怡梓轩雨泽"
GROUPS = ("办公室", "财务科", "生产一车间", "销售部", "后勤保障部", "质检科", "技术研发中心")


def test_a_gbk_roster_is_still_gbk(db: Database, tmp_path: Path) -> None:
    rows = ["姓名,性别,部门,联系电话"]
    for index, surname in enumerate(SURNAMES):
        given = GIVEN[index % len(GIVEN)] + GIVEN[(index * 7) % len(GIVEN)]
        rows.append(f"{surname}{given},{'男女'[index % 2]},{GROUPS[index % len(GROUPS)]},1380013{index:04d}")
    path = tmp_path / "gbk.csv"
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("gbk"))
    [sheet] = read_sheets(path)
    assert sheet.rows[1][0] == SURNAMES[0] + GIVEN[0] + GIVEN[0]
    assert len(sheet.rows) == len(SURNAMES) + 1
    short = tmp_path / "short.csv"
    short.write_bytes("姓名,身份证号\n张伟,11010519491231002X\n".encode("gbk"))
    assert numbered(short) == [(1, ["姓名", "身份证号"]), (2, ["张伟", "11010519491231002X"])]


def test_gbk_after_a_long_ascii_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The encoding is guessed from the start of the file; a guess the rest disproves is redone."""
    monkeypatch.setattr(reader, "CSV_PREFIX", 64)
    path = tmp_path / "late.csv"
    path.write_bytes(b"no,id\n" + b"1,x\n" * 50 + "2,张伟\n".encode("gbk"))
    [sheet] = read_sheets(path)
    assert sheet.rows[-1] == ["2", "张伟"]


def test_a_multibyte_character_across_the_prefix_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for size in range(4, 16):
        monkeypatch.setattr(reader, "CSV_PREFIX", size)
        for encoding in ("utf-8", "gb18030", "utf-16"):
            path = tmp_path / f"cut-{encoding}.csv"
            path.write_bytes("姓名,部门\n张伟,办公室\n".encode(encoding))
            assert numbered(path) == [(1, ["姓名", "部门"]), (2, ["张伟", "办公室"])], (size, encoding)


# -- 6. a CSV far over the row limit ------------------------------------------------------------


def test_a_huge_csv_is_refused_without_reading_it_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader, "MAX_ROWS", 1000)
    path = tmp_path / "huge.csv"
    line = "张伟,11010519491231002X,办公室,13800138000,一段不短的备注文字用来把文件撑大\r\n"
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(HEADER) + "\r\n")
        out.write(line * 200_000)
    assert path.stat().st_size > 15_000_000
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(SpreadsheetError, match="超过 1000 行"):
            read_sheets(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * 1024 * 1024  # the whole file would be > 15 MB as bytes alone
    assert time.perf_counter() - started < 2


def test_csv_rows_over_the_limit_only_count_real_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader, "MAX_ROWS", 3)
    path = tmp_path / "blank-lines.csv"
    path.write_text("姓名\n\n\n\n张伟\n\n\n李娜\n\n\n\n\n", encoding="utf-8")
    assert [n for n, _ in numbered(path)] == [1, 5, 8]


def test_an_unclosed_quote_is_a_message(tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    path.write_text('姓名,备注\n张伟,"没有结束的引号\n' + "很多行\n" * 50_000, encoding="utf-8")
    with pytest.raises(SpreadsheetError, match="第 2 行"):
        read_sheets(path)


def test_a_line_without_end(tmp_path: Path) -> None:
    path = tmp_path / "one-line.csv"
    path.write_text("姓名," + "x" * 3_000_000, encoding="utf-8")
    with pytest.raises(SpreadsheetError, match="过长"):
        read_sheets(path)


def test_an_excel_2003_xml_file_saved_as_xls(tmp_path: Path) -> None:
    path = tmp_path / "导出.xls"
    path.write_text(
        '<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>',
        encoding="utf-8",
    )
    with pytest.raises(SpreadsheetError, match="Excel 2003 XML"):
        read_sheets(path)


# -- whatever the bytes, only SpreadsheetError comes out -----------------------------------------

_GOOD_XLSX: bytes | None = None


def _good_xlsx_bytes(folder: Path) -> bytes:
    global _GOOD_XLSX
    if _GOOD_XLSX is None:
        _GOOD_XLSX = xlsx(folder / "seed.xlsx", {1: HEADER, 2: MEMBERS[0], 3: MEMBERS[1]}).read_bytes()
    return _GOOD_XLSX


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cut=st.integers(min_value=0, max_value=10_000),
    flips=st.lists(st.tuples(st.integers(min_value=0, max_value=10_000), st.integers(1, 255)), max_size=6),
    suffix=st.sampled_from([".xlsx", ".xls", ".csv"]),
)
def test_a_damaged_workbook_gives_only_spreadsheet_errors(
    tmp_path: Path, cut: int, flips: list[tuple[int, int]], suffix: str
) -> None:
    data = bytearray(_good_xlsx_bytes(tmp_path))
    for offset, mask in flips:
        data[offset % len(data)] ^= mask
    path = tmp_path / f"damaged{suffix}"
    path.write_bytes(bytes(data[: len(data) - cut % len(data)]))
    with contextlib.suppress(SpreadsheetError):
        read_sheets(path)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(alphabet=st.sampled_from('姓名張偉张伟,;\t"\r\n 0x\x00é'), max_size=200),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "cp950", "utf-16", "utf-16-le"]),
    cut=st.integers(min_value=0, max_value=5),
)
def test_any_text_csv_gives_rows_or_a_spreadsheet_error(
    tmp_path: Path, text: str, encoding: str, cut: int
) -> None:
    data = text.encode(encoding, errors="ignore")
    path = tmp_path / "random.csv"
    path.write_bytes(data[: max(len(data) - cut, 0)])
    try:
        [sheet] = read_sheets(path)
    except SpreadsheetError:
        return
    assert all(isinstance(cell, str) for row in sheet.rows for cell in row)
    assert not sheet.rows or any(sheet.rows[-1])


def test_a_csv_cut_inside_a_character(tmp_path: Path) -> None:
    data = codecs.BOM_UTF16_LE + "姓名\t部门\r\n张伟\t办公室\r\n".encode("utf-16-le") * 3000
    path = tmp_path / "cut.csv"
    path.write_bytes(data[:-1])  # the copy stopped one byte short
    with pytest.raises(SpreadsheetError, match="已损坏或不完整"):
        read_sheets(path)
