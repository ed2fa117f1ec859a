"""What an importer loads from the 账套 ahead (``prepare``, beside the file's parsing) is
used by the plan of the same session once, and never stands in for the 账套 of another."""

from __future__ import annotations

import argparse
import threading
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy.orm import Session

from app.cli.imports import run_import
from app.db import Database
from app.services.care.importer import CareImporter, CareImportOptions
from app.services.excel import reader
from app.services.excel.reader import SpreadsheetError
from app.services.imports import Preloaded, find_sheet, plan_sheet, read_file
from tests.unit.dues.import_support import add_member, id_number


def _counting() -> tuple[Preloaded[int], list[Session]]:
    loads: list[Session] = []

    def load(session: Session) -> int:
        loads.append(session)
        return len(loads)

    return Preloaded(load), loads


def test_what_was_loaded_ahead_serves_one_plan_of_the_same_session(db: Database) -> None:
    preloaded, loads = _counting()
    with db.reader() as session:
        preloaded.ahead(session)
        assert preloaded.take(session) == 1
        assert preloaded.take(session) == 2  # a second plan (the wizard's, after an answer) reads afresh
    assert len(loads) == 2


def test_what_was_loaded_ahead_in_another_session_is_not_used(db: Database) -> None:
    preloaded, loads = _counting()
    with db.reader() as first:
        preloaded.ahead(first)
    with db.reader() as second:
        assert preloaded.take(second) == 2
    assert loads[1] is not loads[0]


def _register(path: Path, name: str, number: int) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["日期", "姓名", "身份证号", "慰问事由", "慰问金"])
    sheet.append([date(2026, 3, 2), name, id_number(number), "生日", 200])
    book.save(path)
    return path


def test_a_plan_sees_a_member_added_after_an_earlier_preparation(db: Database, tmp_path: Path) -> None:
    """The roster loaded ahead in one session is not the roster a later plan matches against."""
    register = _register(tmp_path / "慰问.xlsx", "张三", 1)
    importer = CareImporter(CareImportOptions(today=date(2026, 12, 1), year=2026))
    with db.reader() as session:
        importer.prepare(session)  # the roster is empty here
    add_member(db, "张三", id_number(1), "一车间")
    sheets = read_file(register)
    with db.reader() as session:
        found = find_sheet(session, importer, sheets)
        plan = plan_sheet(session, importer, found.sheet, found.mapping)
    assert [row.action for row in plan.rows] == ["new"], plan.errors


def test_the_import_command_prepares_while_the_file_is_parsed(db: Database, tmp_path: Path) -> None:
    add_member(db, "李四", id_number(2), "一车间")
    register = _register(tmp_path / "慰问.xlsx", "李四", 2)
    parsing: list[bool] = []

    class Watching(CareImporter):
        def prepare(self, session: Session) -> None:
            started = reader._started  # the file's parsing has begun before the 账套 is read
            parsing.append(started is not None and started[1]._thread.ident is not None)
            super().prepare(session)

    args = argparse.Namespace(
        file=register, sheet=None, errors=None, dry_run=False, skip_invalid=False, json=True
    )
    assert run_import(db, args, Watching(CareImportOptions(today=date(2026, 12, 1), year=2026))) == 0
    assert parsing == [True]
    assert reader._started is None  # taken by the read: nothing of the file is left behind


def test_reading_begun_for_a_file_is_kept_when_begun_again(tmp_path: Path) -> None:
    register = _register(tmp_path / "慰问.xlsx", "王五", 3)
    reader.start_reading(register)
    first = reader._started
    reader.start_reading(register)
    assert reader._started is first  # not parsed twice
    sheets = reader.read_sheets(register)
    assert sheets[0].rows[1][1] == "王五"
    assert reader._started is None
    assert not any(t.name == "读取工作表" and t.is_alive() for t in threading.enumerate())


def test_waiting_for_the_parse_returns_once_the_checks_are_done(tmp_path: Path) -> None:
    """The 账套 is read beside calamine's parse, not beside the checks before it: the wait
    ends when they are done, also for a file they find damaged."""
    register = _register(tmp_path / "慰问.xlsx", "赵六", 4)
    reader.start_reading(register)
    started = reader._started
    assert started is not None
    reader.wait_until_parsing(register)
    assert started[1].parsing.is_set()
    assert reader.read_sheets(register)[0].rows[1][1] == "赵六"
    reader.wait_until_parsing(register)  # nothing begun for it any more: returns at once

    broken = tmp_path / "坏.xlsx"
    data = bytearray(register.read_bytes())
    sheet = data.index(b"xl/worksheets/sheet1.xml") + 40  # inside the sheet's compressed bytes
    data[sheet : sheet + 40] = bytes(40)  # the workbook opens; the sheet does not inflate
    broken.write_bytes(bytes(data))
    reader.start_reading(broken)
    begun = reader._started
    assert begun is not None  # the first look passes: the failure is the thread's
    reader.wait_until_parsing(broken)
    assert begun[1].parsing.is_set()
    with pytest.raises(SpreadsheetError):
        reader.read_sheets(broken)
