"""Which column is which: header names as secretaries write them, decorated, full-width,
or longer than the name a field knows."""

from __future__ import annotations

from datetime import date

from app.services.excel.reader import Sheet
from app.services.excel.table import FieldSpec, find_table, header_key, map_columns

FIELDS = (
    FieldSpec("name", "姓名", required=True),
    FieldSpec("wage", "工资", ("月工资",)),
    FieldSpec("base", "工资基数", ("会费基数",)),
    FieldSpec("id_number", "身份证号", ("身份证号码",)),
)


def test_a_header_is_read_without_its_decoration_and_in_half_width() -> None:
    assert header_key("身份证号码（18位）*") == "身份证号码18位"
    assert header_key("ＩＤ　Ｎｏ．") == "idno"


def test_a_longer_header_takes_the_longest_known_name_it_starts_with() -> None:
    row = ["姓名", "工资基数（元）", "月工资元", "身份证号码18位", "工号"]
    fields, unknown = map_columns(row, FIELDS)
    assert fields == {0: "name", 1: "base", 2: "wage", 3: "id_number"}
    assert unknown == ["工号"]


def test_a_field_is_taken_once_and_data_cells_name_nothing() -> None:
    fields, unknown = map_columns(["姓名", "工资", "工资", 3085.0, date(2026, 1, 1), "姓"], FIELDS)
    assert fields == {0: "name", 1: "wage"}  # 工资 is no prefix of 工资基数's names: nothing left for it
    assert unknown == ["工资", "3085", "2026-01-01", "姓"]


def test_the_header_row_is_found_under_title_lines() -> None:
    rows = [
        ["2026年会员工资表"],
        ["填报单位：示例公司工会", "", "日期：2026-12-01"],
        ["序号", "姓名", "身份证号码（18位）", "月工资（元）"],
        [1, "张伟", "110101199003078515", 5380],
    ]
    mapping = find_table(Sheet("工资", rows), FIELDS)
    assert mapping is not None
    assert mapping.header_row == 3
    assert mapping.fields == {1: "name", 2: "id_number", 3: "wage"}
    assert mapping.headers == ["序号", "姓名", "身份证号码(18位)", "月工资(元)"]  # as text() gives them
