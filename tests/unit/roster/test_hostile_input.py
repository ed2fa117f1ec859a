"""What a new user's roster files and typing broke (issue 7, defects 4, 5, 13 and 14), through
the services: adding members and groups, importing files, exporting what is stored."""

from __future__ import annotations

import csv
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.db import Database
from app.domain.members import MemberInput
from app.models import DuesBaseWage, Group, Member
from app.services.errors import ValidationError
from app.services.imports import write_error_report
from app.services.roster.export import export_roster, write_template
from app.services.roster.groups import add_group, update_group
from app.services.roster.importer import apply_import, plan_import
from app.services.roster.index import RosterFilter
from app.services.roster.members import change_status, create_member, update_member

TODAY = date(2026, 11, 20)
HEADERS = ["姓名", "身份证号", "部门", "工会小组", "职务", "入会时间", "月工资", "备注"]
ROW = ["张伟", "11010519491231002X", "生产部", "一组", "工人", "2010-03-01", "5380.50", ""]


def member(**overrides: object) -> MemberInput:
    data = MemberInput(name="张伟", id_number="11010519491231002X", joined_on=date(2010, 3, 1))
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


def _escaped(value: object) -> object:
    """Control characters as an .xlsx stores them (_x0007_), which the reader turns back."""
    if not isinstance(value, str):
        return value
    return "".join(f"_x{ord(ch):04X}_" if ch < " " and ch not in "\t\n\r" else ch for ch in value)


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append([_escaped(value) for value in row])
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def with_cells(**cells: object) -> list[object]:
    row: list[object] = list(ROW)
    for header, value in cells.items():
        row[HEADERS.index(header)] = value
    return row


# -- typed in -----------------------------------------------------------------------------------


def test_member_add_refuses_a_control_character_in_the_name(db: Database) -> None:
    with pytest.raises(ValidationError) as caught, db.session() as session:
        create_member(session, member(name="张\x07伟"), today=TODAY)
    assert "控制字符" in caught.value.errors["name"]
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Member)) == 0


def test_member_add_refuses_emoji_and_drops_zero_width_characters(db: Database) -> None:
    with pytest.raises(ValidationError) as caught, db.session() as session:
        create_member(session, member(name="张伟😀"), today=TODAY)
    assert "表情" in caught.value.errors["name"]
    with db.session() as session:
        member_id = create_member(
            session, member(name="张\u200b伟\ufeff", remark="铃\x07声\x1b[0m"), today=TODAY
        )
    with db.session() as session:
        row = session.get(Member, member_id)
        assert row is not None and (row.name, row.remark, row.pinyin_full) == ("张伟", "铃声[0m", "zhang wei")


def test_member_edit_drops_control_characters_and_refuses_over_long_values(db: Database) -> None:
    with db.session() as session:
        member_id = create_member(session, member(), today=TODAY)
    with db.session() as session:
        update_member(session, member_id, member(position="车间\x00主任"), today=TODAY)
    with db.session() as session:
        assert session.scalar(select(Member.position)) == "车间主任"
    with pytest.raises(ValidationError) as caught, db.session() as session:
        update_member(session, member_id, member(remark="字" * 501), today=TODAY)
    assert "备注" in str(caught.value) and "500" in str(caught.value)


def test_member_add_refuses_a_wage_out_of_reason(db: Database) -> None:
    with pytest.raises(ValidationError) as caught, db.session() as session:
        create_member(session, member(dues_wage_fen=10**22), today=TODAY)  # 1e20 yuan: no OverflowError
    assert "超出合理范围" in caught.value.errors["dues_wage_fen"]


def test_a_status_change_reason_is_cleaned_and_bounded(db: Database) -> None:
    with db.session() as session:
        member_id = create_member(session, member(), today=TODAY)
    with pytest.raises(ValidationError, match="200"), db.session() as session:
        change_status(session, member_id, "退会", TODAY, "原" * 201, today=TODAY)
    with db.session() as session:
        change_status(session, member_id, "退会", TODAY, "本人\x07申请", today=TODAY)
    with db.session() as session:
        assert session.get(Member, member_id).events[-1].reason == "本人申请"  # type: ignore[union-attr]


def test_group_names_are_bounded_by_their_column(db: Database) -> None:
    with pytest.raises(ValidationError) as caught, db.session() as session:
        add_group(session, "部" * 10_000)
    assert caught.value.errors["name"].startswith("分组名称不能超过 50 个字")
    assert "名称" in str(caught.value)
    with db.session() as session:
        group_id = add_group(session, "生产\x07部" + "部" * 47)  # 50 once the BEL is gone
    with pytest.raises(ValidationError, match="分组名称不能超过 50 个字"), db.session() as session:
        update_group(session, group_id, "部" * 51, "部门")
    with db.session() as session:
        assert session.scalars(select(Group.name)).all() == ["生产部" + "部" * 47]


# -- imported -------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_an_import_refuses_control_characters_in_names_and_drops_them_elsewhere(
    db: Database, tmp_path: Path, suffix: str
) -> None:
    path = (write_xlsx if suffix == ".xlsx" else write_csv)(
        tmp_path / f"a{suffix}",
        [
            HEADERS,
            with_cells(姓名="王\x07芳", 身份证号="110105198503120012"),
            # a NUL makes a CSV binary, which the reader refuses as a whole
            with_cells(
                职务="工\x1b人",
                备注="铃\x00声\u200b" if suffix == ".xlsx" else "铃\x7f声\u200b",
                部门="生产\x07部",
            ),
        ],
    )
    with db.session() as session:
        plan = plan_import(session, path, today=TODAY)
        assert [(i.row, i.column) for i in plan.errors] == [(2, "姓名")]
        assert "控制字符" in plan.errors[0].message
        apply_import(session, plan, skip_invalid=True, today=TODAY)
    with db.session() as session:
        row = session.scalars(select(Member)).one()
        assert (row.name, row.position, row.remark) == ("张伟", "工人", "铃声")
        assert set(session.scalars(select(Group.name))) == {"生产部", "一组"}


@pytest.mark.parametrize("header", ["部门", "工会小组"])
def test_an_import_refuses_group_names_over_the_limit_naming_the_column(
    db: Database, tmp_path: Path, header: str
) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", [HEADERS, with_cells(**{header: "部" * 10_000})])
    with db.session() as session:
        plan = plan_import(session, path, today=TODAY)
        assert [(i.row, i.column) for i in plan.errors] == [(2, header)]
        assert "分组名称不能超过 50 个字" in plan.errors[0].message


def test_an_import_refuses_other_text_over_its_column(db: Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", [HEADERS, with_cells(职务="岗" * 51, 备注="备" * 501)])
    with db.session() as session:
        plan = plan_import(session, path, today=TODAY)
    assert {(i.column, "50" in i.message or "500" in i.message) for i in plan.errors} == {
        ("职务", True),
        ("备注", True),
    }


@pytest.mark.parametrize(
    ("wage", "message"),
    [
        (1e20, "工资“1e+20”超出合理范围（0–1,000,000 元）"),
        ("1e20", "超出合理范围"),
        (-100.0, "不能为负数"),
        ("5380.005", "最多两位小数：5380.005"),
        (5380.005, "最多两位小数：5380.005"),
    ],
)
def test_an_import_refuses_wages_out_of_reason_as_row_errors(
    db: Database, tmp_path: Path, wage: object, message: str
) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", [HEADERS, with_cells(月工资=wage)])
    with db.session() as session:
        plan = plan_import(session, path, today=TODAY)
        assert [(i.row, i.column) for i in plan.errors] == [(2, "月工资")]
        assert message in plan.errors[0].message
        apply_import(session, plan, skip_invalid=True, today=TODAY)
        assert session.scalar(select(func.count()).select_from(DuesBaseWage)) == 0


def test_a_float_wage_cell_is_exact(db: Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", [HEADERS, with_cells(月工资=5380.1)])
    with db.session() as session:
        apply_import(session, plan_import(session, path, today=TODAY), today=TODAY)
    with db.session() as session:
        assert session.scalar(select(DuesBaseWage.wage_fen)) == 538010


def test_a_csv_of_excel_serial_dates_imports_with_a_note(db: Database, tmp_path: Path) -> None:
    """As a CSV saved from a sheet whose date columns were formatted as numbers has them."""
    path = write_csv(
        tmp_path / "serials.csv", [[*HEADERS, "出生日期"], [*with_cells(入会时间="44860"), "18263"]]
    )
    with db.session() as session:
        plan = plan_import(session, path, today=TODAY)
        assert plan.errors == []
        (row,) = plan.rows
        assert any("44860" in note and "2022-10-26" in note for note in row.notes)
        assert any("18263" in note and "1949-12-31" in note for note in row.notes)
        apply_import(session, plan, today=TODAY)
    with db.session() as session:
        assert session.execute(select(Member.joined_on, Member.birth_date)).one() == (
            date(2022, 10, 26),
            date(1949, 12, 31),
        )


def test_the_error_report_of_a_file_with_control_characters_is_written(db: Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", [HEADERS, with_cells(姓名="王\x07芳", 备注="铃\x1b声")])
    with db.session() as session:
        plan = plan_import(session, path, today=TODAY)
    out = write_error_report(plan, tmp_path / "errors.xlsx")
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[1][0] == "王芳" and rows[1][HEADERS.index("备注")] == "铃声"
    assert "控制字符" in str(rows[1][-1])


# -- already stored -----------------------------------------------------------------------------


def test_what_is_stored_with_control_characters_still_exports(db: Database, tmp_path: Path) -> None:
    with db.session() as session:
        member_id = create_member(session, member(remark="正常"), today=TODAY)
        group_id = add_group(session, "生产部")
    con = sqlite3.connect(db.path)  # written by an older version, or by hand: no check on the way
    con.execute("UPDATE members SET remark = ?, name = ?, position = ?, group_id = ? WHERE id = ?",
                ("铃\x07声", "张\x1b伟", "=HYPERLINK(\x00)", group_id, member_id))  # fmt: skip
    con.execute("UPDATE groups SET name = ? WHERE id = ?", ("生产\x07部", group_id))
    con.commit()
    con.close()
    with db.session() as session:
        export_roster(session, tmp_path / "roster.xlsx", flt=RosterFilter(), today=TODAY)
        write_template(session, tmp_path / "template.xlsx")
    sheet = load_workbook(tmp_path / "roster.xlsx").active
    values = [c.value for c in next(sheet.iter_rows(min_row=4, max_row=4))]
    assert "铃声" in values and "张伟" in values and "=HYPERLINK()" in values and "生产部" in values
    choices = load_workbook(tmp_path / "template.xlsx")["下拉选项"]
    assert "生产部" in [c.value for c in choices["I"]]


# -- the command line ---------------------------------------------------------------------------


def test_member_add_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    db = str(tmp_path / "u.db")
    assert main(["--db", db, "init", "--name", "测试工会"]) == 0
    add = ["--db", db, "member", "add", "--id", "11010519491231002X"]
    assert main([*add, "--name", "张伟", "--wage", "100000000000000000000"]) == 1  # no OverflowError
    assert "100000000000000000000" in capsys.readouterr().err
    assert main([*add, "--name", "张\x07伟"]) == 1
    assert "控制字符" in capsys.readouterr().err
    assert main([*add, "--name", "张伟", "--remark", "铃\x07声", "--wage", "5380.1"]) == 0
    assert main(["--db", db, "roster", "export", str(tmp_path / "out.xlsx")]) == 0
    capsys.readouterr()
    sheet = load_workbook(tmp_path / "out.xlsx").active
    assert "铃声" in [c.value for c in next(sheet.iter_rows(min_row=4, max_row=4))]
