"""Hostile and broken files: a clear message, no crash, no hang, nothing written."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import func, select

from app.db import Database
from app.models import Member
from app.services.excel.reader import SpreadsheetError, read_sheets, start_reading
from app.services.roster.importer import plan_import

GOOD_ROWS = [["姓名", "身份证号", "部门"], ["张伟", "11010519491231002X", "办公室"]]


def good_xlsx(path: Path) -> Path:
    workbook = Workbook()
    for row in GOOD_ROWS:
        workbook.active.append(row)
    workbook.save(path)
    return path


def refused(db: Database, path: Path, message: str) -> None:
    with pytest.raises(SpreadsheetError, match=message), db.session() as session:
        plan_import(session, path)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Member)) == 0


def test_not_a_spreadsheet(db: Database, tmp_path: Path) -> None:
    text_file = tmp_path / "花名册.xlsx"
    text_file.write_text("这是一个改了扩展名的文本文件", encoding="utf-8")
    refused(db, text_file, "不是 Excel 文件")
    docx = tmp_path / "通知.xlsx"
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    refused(db, docx, "不是 Excel 工作簿")
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    refused(db, pdf, "不是 Excel 或 CSV 文件")


def test_truncated_file(db: Database, tmp_path: Path) -> None:
    whole = good_xlsx(tmp_path / "whole.xlsx").read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole[: len(whole) // 2])
    refused(db, cut, "损坏或不完整")


def test_password_protected(db: Database, tmp_path: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = good_xlsx(tmp_path / "plain.xlsx")
    encrypted = io.BytesIO()
    with plain.open("rb") as handle:
        OOXMLFile(handle).encrypt("123456", encrypted)
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(encrypted.getvalue())
    refused(db, locked, "设置了打开密码")


def test_zip_bomb_is_refused_before_parsing(db: Database, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xlsx"
    with (
        zipfile.ZipFile(good_xlsx(tmp_path / "base.xlsx")) as base,
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for item in base.infolist():
            data = base.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b"</sheetData>" + b" " * 40_000_000)
            out.writestr(item.filename, data)
    assert bomb.stat().st_size < 1_000_000
    started = time.perf_counter()
    refused(db, bomb, "解压后过大")
    assert time.perf_counter() - started < 5


def test_a_million_empty_rows(db: Database, tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    for row in GOOD_ROWS:
        sheet.append(row)
    sheet.cell(row=1_000_000, column=1).font = Font(bold=True)  # formatted, empty
    sheet.cell(row=1_000_000, column=2, value="被遗忘的一格")
    path = tmp_path / "tall.xlsx"
    workbook.save(path)
    started = time.perf_counter()
    [read] = read_sheets(path)
    assert time.perf_counter() - started < 10
    # nothing is dropped: the lone cell a million rows down is read and named (it used to be lost)
    assert any("第 1000000 行起还有数据" in note for note in read.notes)
    with db.session() as session:
        plan = plan_import(session, path)
    assert [(r.row, r.member_name) for r in plan.rows] == [(2, "张伟"), (1000000, "")]
    assert plan.rows[1].action == "error"


def test_csv_encodings(db: Database, tmp_path: Path) -> None:
    content = "姓名,身份证号\n张伟,11010519491231002X\n"
    for encoding, name in (("utf-8-sig", "bom.csv"), ("utf-8", "plain.csv"), ("gb18030", "gbk.csv")):
        path = tmp_path / name
        path.write_bytes(content.encode(encoding))
        with db.session() as session:
            plan = plan_import(session, path)
        assert [r.member_name for r in plan.rows] == ["张伟"], name
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    refused(db, binary, "不是文本格式")


def test_reading_started_early_gives_the_same_sheets(tmp_path: Path) -> None:
    path = good_xlsx(tmp_path / "roster.xlsx")
    start_reading(path)
    early = read_sheets(path)
    assert [s.rows for s in early] == [s.rows for s in read_sheets(path)]
    assert early[0].rows == [list(r) for r in GOOD_ROWS]


def test_a_file_changed_after_reading_started_is_read_again(tmp_path: Path) -> None:
    path = good_xlsx(tmp_path / "roster.xlsx")
    start_reading(path)
    time.sleep(0.01)  # a later modification time, as when the user saves in Excel meanwhile
    workbook = Workbook()
    workbook.active.append(["姓名"])
    workbook.active.append(["李娜"])
    workbook.save(path)
    [sheet] = read_sheets(path)
    assert sheet.rows == [["姓名"], ["李娜"]]


def test_a_bad_file_read_early_is_reported_when_it_is_read(tmp_path: Path) -> None:
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good_xlsx(tmp_path / "whole.xlsx").read_bytes()[:300])
    start_reading(cut)  # says nothing
    with pytest.raises(SpreadsheetError, match="损坏或不完整"):
        read_sheets(cut)


def test_a_broken_sheet_is_named(tmp_path: Path) -> None:
    whole = good_xlsx(tmp_path / "whole.xlsx")
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # the sheet's XML stops in the middle
            target.writestr(item, data)
    with pytest.raises(SpreadsheetError, match="工作表“Sheet”无法读取"):
        read_sheets(broken)
