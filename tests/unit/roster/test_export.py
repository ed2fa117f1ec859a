"""The 花名册 export, the import template and the error report, read back with openpyxl."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.db import Database, open_database
from app.domain.members import MemberInput
from app.models import Member
from app.services.imports import write_error_report
from app.services.roster.export import export_keys_for_page, export_roster, write_template
from app.services.roster.importer import apply_import, plan_import
from app.services.roster.index import RosterFilter
from app.services.roster.members import create_member
from tests.conftest import MessyRosters, make_demo_db
from tests.fixtures.rosters import MESSY_XLSX

TODAY = date(2026, 11, 20)


@pytest.fixture
def demo(tmp_path: Path) -> Database:
    path = make_demo_db(tmp_path / "demo.db", 120)
    database = open_database(path)
    with database.session() as session:
        create_member(
            session,
            MemberInput(
                name="危险",
                id_number="110105199003070025",
                remark='=HYPERLINK("x")',
                position="+1",
                phone="13812345678",
                joined_on=date(2020, 1, 1),
            ),
            today=TODAY,
        )
    return database


def test_layout_types_and_print_setup(demo: Database, tmp_path: Path) -> None:
    out = tmp_path / "roster.xlsx"
    with demo.session() as session:
        result = export_roster(session, out, today=TODAY)
        in_roll = session.scalar(select(func.count()).where(Member.status.in_(["在会", "保留会籍"])))
    assert result.rows == in_roll
    sheet = load_workbook(out).active
    assert sheet["A1"].value == "华东精密机械有限公司工会委员会会员花名册"
    assert "A1:U1" in [str(r) for r in sheet.merged_cells.ranges]
    assert "共" in sheet["A2"].value and "2026年11月20日" in sheet["A2"].value
    headers = [c.value for c in sheet[3]]
    assert headers[:6] == ["序号", "姓名", "性别", "民族", "出生日期", "身份证号"]
    assert sheet.freeze_panes == "A4"
    assert sheet.auto_filter.ref == f"A3:U{3 + result.rows}"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.print_options.gridLines
    assert sheet.print_title_rows == "$3:$3"
    assert "&P" in sheet.oddFooter.center.text
    column = {h: i for i, h in enumerate(headers)}
    row = next(iter(sheet.iter_rows(min_row=4, max_row=4)))
    assert row[column["身份证号"]].data_type == "s" and len(row[column["身份证号"]].value) == 18
    assert row[column["联系电话"]].data_type == "s"
    assert row[column["出生日期"]].is_date and "yy" in row[column["出生日期"]].number_format
    assert sheet.column_dimensions["F"].width >= 20


def test_formula_looking_text_stays_text(demo: Database, tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    with demo.session() as session:
        export_roster(session, out, flt=RosterFilter(text="危险"), today=TODAY)
    sheet = load_workbook(out).active
    headers = [c.value for c in sheet[3]]
    row = sheet[4]
    remark = row[headers.index("备注")]
    position = row[headers.index("职务/岗位")]
    assert remark.value == '=HYPERLINK("x")' and remark.data_type == "s"
    assert position.value == "+1" and position.data_type == "s"


def test_mask_and_chosen_columns(demo: Database, tmp_path: Path) -> None:
    out = tmp_path / "m.xlsx"
    keys = export_keys_for_page(["name", "id_number", "phone", "group"])
    with demo.session() as session:
        export_roster(session, out, flt=RosterFilter(text="危险"), keys=keys, mask=True, today=TODAY)
    sheet = load_workbook(out).active
    assert [c.value for c in sheet[3]] == ["序号", "姓名", "身份证号", "分组", "联系电话"]
    assert [c.value for c in sheet[4]][2:] == ["110105********0025", None, "138****5678"]


def test_round_trip_changes_nothing(demo: Database, tmp_path: Path) -> None:
    out = tmp_path / "all.xlsx"
    with demo.session() as session:
        export_roster(session, out, flt=RosterFilter(), today=TODAY)
        total = session.scalar(select(func.count()).select_from(Member))
        before = session.execute(select(Member).order_by(Member.id)).scalars().all()
        snapshot = [
            (m.name, m.id_number, m.group_id, m.phone, m.category, m.joined_on, m.remark) for m in before
        ]
    with demo.session() as session:
        plan = plan_import(session, out, on_existing="update", today=TODAY)
        assert plan.summary() == {
            "new": 0,
            "updated": 0,
            "unchanged": total,
            "skipped": 0,
            "errors": [],
            "warnings": [],
        }
    # and into an empty 账套 the same people arrive
    empty = open_database(tmp_path / "empty.db")
    with empty.session() as session:
        apply_import(session, plan_import(session, out, today=TODAY), today=TODAY)
    with empty.session() as session:
        again = session.execute(
            select(
                Member.name, Member.id_number, Member.phone, Member.category, Member.joined_on, Member.remark
            ).order_by(Member.id_number)
        ).all()
    assert sorted(again, key=lambda r: r[1]) == sorted(
        ((s[0], s[1], s[3], s[4], s[5], s[6]) for s in snapshot), key=lambda r: r[1]
    )


def test_template(demo: Database, tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    with demo.session() as session:
        write_template(session, out)
    book = load_workbook(out)
    assert book.sheetnames == ["会员信息", "下拉选项", "填表说明"]
    sheet = book["会员信息"]
    headers = [c.value for c in sheet[1]]
    assert headers[:5] == ["姓名 *", "性别", "民族", "出生日期", "身份证号 *"]
    assert sheet["E2"].number_format == "@" and sheet["E500"].number_format == "@"
    lists = {str(v.sqref).split(":")[0][:-1]: v.formula1 for v in sheet.data_validations.dataValidation}
    for header in ("性别", "政治面貌", "学历", "人员类别", "分组"):
        letter = chr(ord("A") + headers.index(header))
        assert letter in lists, header
    assert book["下拉选项"].sheet_state == "hidden"
    instructions = " ".join(str(c.value) for c in book["填表说明"]["B"])
    assert "身份证号" in instructions and "文本格式" in instructions
    # the template's own headers import back
    with demo.session() as session:
        plan = plan_import(session, out, today=TODAY)
    assert "id_number" in plan.mapping.fields.values() and plan.rows == []


def test_error_report_reimports(tmp_path: Path, db: Database, messy_rosters: MessyRosters) -> None:
    fixture = messy_rosters[MESSY_XLSX]
    truth = fixture.truth
    with db.session() as session:
        plan = plan_import(session, fixture.path, today=TODAY)
    report = write_error_report(plan, tmp_path / "errors.xlsx")
    sheet = load_workbook(report).active
    headers = [c.value for c in sheet[1]]
    assert headers[-1] == "错误原因" and headers[1] == truth["headers"]["name"]
    reasons = [row[-1].value for row in sheet.iter_rows(min_row=2)]
    first = min(truth["defects"].values(), key=lambda defect: defect["row"])
    assert len(reasons) == len(truth["must_report"])
    assert f"第 {first['row']} 行“{first['column']}”" in reasons[0]
    with db.session() as session:
        again = plan_import(session, report, today=TODAY)
    # the same problems come back until fixed; the duplicate alone in this file is no longer one
    assert len({i.row for i in again.errors}) == len(truth["must_report"]) - 1
    assert [r.member_name for r in again.rows if r.action == "new"] == [truth["defects"]["duplicate"]["name"]]
    assert "错误原因" not in again.mapping.unknown
