"""Headers on two rows: a group title merged over some columns, the other headers merged
downward. calamine gives a merged cell's value only in its top-left cell."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from app.db import Database
from app.services.excel.reader import Sheet, read_sheets
from app.services.excel.table import find_table
from app.services.roster.fields import ROSTER_FIELDS
from app.services.roster.importer import plan_import

DOWNWARD = ["身份证号", "部门", "入会时间", "会员证号", "电话", "工资"]
COMBINED = ["姓名", "性别", *DOWNWARD]
MEMBERS = [
    ["张伟", "男", "110101199003078515", "办公室", "2010-05-01", "HY0001", "13800138000", 5380],
    ["李娜", "女", "11010519491231002X", "财务科", "2015-09-10", "HY0002", "13900139000", 6120],
]


def two_row_header(path: Path, title: str | None = None) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    top = 1
    if title is not None:
        sheet.cell(row=1, column=1, value=title)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COMBINED))
        top = 2
    sheet.cell(row=top, column=1, value="基本信息")
    sheet.merge_cells(start_row=top, start_column=1, end_row=top, end_column=2)
    sheet.cell(row=top + 1, column=1, value="姓名")
    sheet.cell(row=top + 1, column=2, value="性别")
    for column, header in enumerate(DOWNWARD, start=3):
        sheet.cell(row=top, column=column, value=header)
        sheet.merge_cells(start_row=top, start_column=column, end_row=top + 1, end_column=column)
    for offset, member in enumerate(MEMBERS):
        for column, value in enumerate(member, start=1):
            sheet.cell(row=top + 2 + offset, column=column, value=value)
    workbook.save(path)
    return path


def test_the_merged_cells_read_as_calamine_gives_them(tmp_path: Path) -> None:
    [sheet] = read_sheets(two_row_header(tmp_path / "two.xlsx"))
    assert sheet.rows[0][:3] == ["基本信息", "", "身份证号"]
    assert sheet.rows[1][:3] == ["姓名", "性别", ""]


def test_a_two_row_header_is_combined(tmp_path: Path) -> None:
    [sheet] = read_sheets(two_row_header(tmp_path / "two.xlsx"))
    mapping = find_table(sheet, ROSTER_FIELDS)
    assert mapping is not None
    assert mapping.header_row == 2  # the data starts under the lower row
    assert mapping.headers == COMBINED
    assert sorted(mapping.fields.values()) == sorted(
        ["name", "gender", "id_number", "group", "joined_on", "card_number", "phone", "wage"]
    )
    assert mapping.unknown == []
    assert mapping.header_of("phone") == "电话"


def test_a_two_row_header_under_a_title(tmp_path: Path) -> None:
    [sheet] = read_sheets(two_row_header(tmp_path / "titled.xlsx", title="某某公司工会会员花名册"))
    mapping = find_table(sheet, ROSTER_FIELDS)
    assert mapping is not None
    assert (mapping.header_row, mapping.headers) == (3, COMBINED)


def test_every_column_of_a_two_row_header_is_imported(db: Database, tmp_path: Path) -> None:
    path = two_row_header(tmp_path / "two.xlsx", title="会员花名册")
    with db.session() as session:
        plan = plan_import(session, path)
    assert [(r.row, r.member_name) for r in plan.rows] == [(4, "张伟"), (5, "李娜")]
    first = plan.rows[0]
    assert not first.issues
    data = first.data
    assert data is not None
    assert first.group_path == ("办公室",)
    assert (str(data.joined_on), data.card_number, data.phone) == ("2010-05-01", "HY0001", "13800138000")
    assert first.wage_fen == 538000


def test_a_one_row_header_stays_one_row() -> None:
    """The first data row under a header is never taken for a second header row, even with
    cells left empty under it, nor is a title line above."""
    rows: list[list[object]] = [
        ["会员花名册", "", "", ""],
        ["姓名", "性别", "部门", "电话"],
        ["张伟", "", "", "13800138000"],
        ["李娜", "女", "财务科", ""],
    ]
    mapping = find_table(Sheet("名册", rows), ROSTER_FIELDS)
    assert mapping is not None
    assert (mapping.header_row, mapping.headers) == (2, ["姓名", "性别", "部门", "电话"])


def test_a_group_title_over_named_columns_is_dropped() -> None:
    rows: list[list[object]] = [
        ["序号", "基本信息", "", "", "联系方式", "", "备注"],
        ["", "姓名", "性别", "部门", "手机", "住址", ""],
        ["1", "张伟", "男", "办公室", "13800138000", "北京", ""],
    ]
    mapping = find_table(Sheet("名册", rows), ROSTER_FIELDS)
    assert mapping is not None
    assert mapping.header_row == 2
    assert mapping.headers == ["序号", "姓名", "性别", "部门", "手机", "住址", "备注"]
    assert mapping.unknown == ["住址"]
    assert mapping.fields[4] == "phone"
