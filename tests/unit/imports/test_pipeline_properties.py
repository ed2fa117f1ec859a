"""Property tests over the import pipeline: whatever a file holds, the only error that comes
out is the pipeline's own (a UserError with a Chinese message), and the 账套 is unchanged
whenever nothing was to be written. CI runs 60 + 40 + 60 + 40 = 200 generated cases."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import func, select

from app.db import Database, open_database
from app.models import Group, ImportMapping, Member, MembershipEvent
from app.services.errors import UserError
from app.services.imports import apply_plan, find_sheet, plan_sheet, read_file
from app.services.roster.importer import RosterImporter, RosterOptions

HEADER = ["姓名", "身份证号", "性别", "出生日期", "部门", "入会时间", "月工资", "备注"]


def cases(count: int) -> settings:
    return settings(
        max_examples=count,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = open_database(tmp_path_factory.mktemp("props") / "union.db")
    yield db
    db.close()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("files")


def _counts(db: Database) -> tuple[int, ...]:
    with db.reader() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Member, Group, MembershipEvent, ImportMapping)
        )


def _import(db: Database, path: Path, *, skip_invalid: bool) -> bool:
    """Run the whole pipeline on ``path``; True when something was written."""
    importer = RosterImporter(RosterOptions(today=date(2026, 12, 1)))
    sheets = read_file(path)
    with db.session() as session:
        found = find_sheet(session, importer, sheets)
        plan = plan_sheet(session, importer, found.sheet, found.mapping, path=path)
        if plan.errors and not skip_invalid:
            return False
        apply_plan(session, importer, plan, skip_invalid=skip_invalid)
        return plan.count("new") + plan.count("update") > 0


def _check(db: Database, path: Path, *, skip_invalid: bool = False) -> None:
    before = _counts(db)
    try:
        written = _import(db, path, skip_invalid=skip_invalid)
    except UserError as exc:
        assert str(exc) and not str(exc).isascii()  # a Chinese message, not an English exception text
        written = False
    if not written:
        assert _counts(db) == before


def _valid_xlsx() -> bytes:
    workbook = Workbook()
    workbook.active.append(HEADER)
    workbook.active.append(
        ["张伟", "11010519491231002X", "男", date(1949, 12, 31), "财务科", date(2010, 3, 1), 5380, ""]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


VALID_XLSX = _valid_xlsx()


@cases(60)
@given(data=st.binary(max_size=4096), suffix=st.sampled_from([".xlsx", ".xls", ".csv", ".xlsm"]))
def test_random_bytes(database: Database, folder: Path, data: bytes, suffix: str) -> None:
    path = folder / f"random{suffix}"
    path.write_bytes(data)
    _check(database, path)


@cases(40)
@given(cut=st.integers(min_value=0, max_value=len(VALID_XLSX)), flip=st.integers(min_value=0, max_value=255))
def test_truncated_and_damaged_workbooks(database: Database, folder: Path, cut: int, flip: int) -> None:
    path = folder / "damaged.xlsx"
    data = bytearray(VALID_XLSX[:cut])
    if data and flip:
        data[flip * 7 % len(data)] ^= flip
    path.write_bytes(bytes(data))
    _check(database, path)


_TEXT = st.text(st.characters(codec="utf-8"), max_size=25)
_CELL = st.one_of(
    st.none(),
    _TEXT,
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 1, 1)),
    st.sampled_from(["11010519491231002X", "110105491231002", "1985-3-12", "19850312", "1985.03", "44860", "男", "女",
                     "合计", "制表人：", "5380.005", "1e20", "\x07铃", "张\u200b伟", "王伟😀"]),
)  # fmt: skip


@cases(60)
@given(rows=st.lists(st.lists(_CELL, max_size=len(HEADER) + 2), max_size=12), skip_invalid=st.booleans())
def test_random_cells_under_a_roster_header(
    database: Database, folder: Path, rows: list[list[Any]], skip_invalid: bool
) -> None:
    workbook = Workbook()
    workbook.active.append(HEADER)
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    for row in rows:
        workbook.active.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in row])
    path = folder / "cells.xlsx"
    workbook.save(path)
    _check(database, path, skip_invalid=skip_invalid)
    # the same cells as CSV text, control characters and all
    path = folder / "cells.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for row in rows:
            writer.writerow(
                ["" if c is None else c.isoformat() if isinstance(c, date | datetime) else c for c in row]
            )
    _check(database, path, skip_invalid=skip_invalid)


@cases(40)
@given(
    encoding=st.sampled_from(
        ["utf-8", "utf-8-sig", "gb18030", "big5", "utf-16", "utf-16-le", "shift_jis", "cp1252"]
    ),
    names=st.lists(
        st.sampled_from(["张伟", "李娜", "王芳", "歐陽修", "Müller", "陈秀英"]), min_size=1, max_size=5
    ),
    delimiter=st.sampled_from([",", "\t", ";"]),
)
def test_text_files_in_any_encoding(
    database: Database, folder: Path, encoding: str, names: list[str], delimiter: str
) -> None:
    lines = [delimiter.join(HEADER[:3])] + [delimiter.join([n, "", ""]) for n in names]
    data = "\r\n".join(lines).encode(encoding, errors="replace")
    path = folder / "text.csv"
    path.write_bytes(data)
    _check(database, path, skip_invalid=True)


def test_the_property_can_fail(database: Database, folder: Path) -> None:
    """A crash that is not a UserError must get through _check: the property is not vacuous."""
    path = folder / "fine.xlsx"
    path.write_bytes(VALID_XLSX)
    zipfile.ZipFile(io.BytesIO(VALID_XLSX)).testzip()
    with pytest.raises(ZeroDivisionError):
        import app.services.imports.pipeline as pipeline

        original = pipeline.read_sheets
        pipeline.read_sheets = lambda *_a, **_k: 1 / 0  # type: ignore[assignment]
        try:
            _check(database, path)
        finally:
            pipeline.read_sheets = original
