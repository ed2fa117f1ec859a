"""Importing rosters: generated messy rosters against their truth, and the rules around them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.db import Database
from app.domain.idcard import check_character
from app.models import AuditEntry, DuesBaseWage, Group, ImportMapping, Member, MembershipEvent
from app.services.errors import UserError
from app.services.excel.reader import read_sheets
from app.services.excel.table import apply_mapping
from app.services.imports import find_sheet, mapping_for_header_row
from app.services.roster.importer import RosterImporter, RosterOptions, apply_import, plan_import
from tests.conftest import MessyRosters, rosters_beside_the_repository
from tests.fixtures.rosters import MESSY_XLSX, ROSTER_FILES

TODAY = date(2026, 11, 20)
ROSTERS = list(ROSTER_FILES)


def write_xlsx(path: Path, rows: list[list[object]], title: str = "Sheet") -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


@pytest.mark.parametrize("name", ROSTERS)
def test_fixture_against_its_truth(db: Database, messy_rosters: MessyRosters, name: str) -> None:
    roster = messy_rosters[name]
    check_against_truth(db, roster.path, roster.truth)


if BESIDE := rosters_beside_the_repository():
    # extra material when ../shared/fixtures/rosters stands beside the repository; not
    # collected at all when it does not

    @pytest.mark.parametrize("path", BESIDE, ids=lambda p: p.name)
    def test_roster_beside_the_repository_against_its_truth(db: Database, path: Path) -> None:
        check_against_truth(
            db, path, json.loads(path.with_name(f"{path.name}.truth.json").read_text("utf-8"))
        )


def check_against_truth(db: Database, path: Path, truth: dict[str, Any]) -> None:
    with db.session() as session:
        plan = plan_import(session, path, today=TODAY)
        assert plan.mapping.header_row == truth["header_row"]
        reported = {issue.row for issue in plan.errors}
        assert set(truth["must_report"]) <= reported
        assert reported <= set(truth["must_report"]) | {_row_of(plan, i) for i in truth["lenient"]}
        assert plan.ignored_rows == truth["ignored_rows"]
        assert not set(truth["ignored_rows"]) & reported
        with pytest.raises(UserError, match="没有导入任何数据"):
            apply_import(session, plan, today=TODAY)  # all or nothing by default
        assert session.scalar(select(func.count()).select_from(Member)) == 0
        apply_import(session, plan, skip_invalid=True, today=TODAY)
    with db.session() as session:
        groups = {g.id: g.name for g in session.scalars(select(Group))}
        wages = dict(session.execute(select(DuesBaseWage.member_id, DuesBaseWage.wage_fen)).all())
        members = {m.id_number: m for m in session.scalars(select(Member))}
        assert session.scalar(select(func.count()).select_from(Member)) == len(members)  # no ID twice
        history: dict[int, list[tuple[str, date, str]]] = {}
        for event in session.scalars(select(MembershipEvent).order_by(MembershipEvent.id)):
            history.setdefault(event.member_id, []).append((event.kind, event.event_date, event.status_after))
        for number, expected in truth["valid"].items():
            member = members[number]
            category = {"退休": "退休保留会籍"}.get(expected["cat"], expected["cat"])
            assert (member.name, member.gender, member.birth_date.isoformat()) == (
                expected["name"], expected["gender"], expected["birth"])  # fmt: skip
            assert groups[member.group_id] == expected["group"]
            assert wages[member.id] == expected["wage"] * 100
            assert member.category == category
            assert member.status == ("保留会籍" if category == "退休保留会籍" else "在会")
            # Statuses apply from the month the file's wages apply from (default: this month).
            since = TODAY.replace(day=1)
            joined = member.joined_on or since
            expected_history = [("入会", joined, "在会")]
            if category == "退休保留会籍":
                expected_history.append(("退休保留会籍", max(joined, since), "保留会籍"))
            assert history[member.id] == expected_history
        for number in truth["must_not_import"]:
            assert number not in members
        assert set(members) - set(truth["valid"]) <= set(truth["lenient"])
        assert session.scalar(select(func.count()).where(AuditEntry.action == "批量")) == 1
        assert session.scalar(select(func.count()).select_from(ImportMapping)) == 1


def _row_of(plan, number: str) -> int:  # type: ignore[no-untyped-def]
    return next(r.row for r in plan.rows if r.data and r.data.id_number == number)


def test_reported_messages_name_row_and_column(db: Database, messy_rosters: MessyRosters) -> None:
    roster = messy_rosters[MESSY_XLSX]
    defects, headers = roster.truth["defects"], roster.truth["headers"]
    with db.session() as session:
        plan = plan_import(session, roster.path, today=TODAY)
    by_row = {issue.row: issue for issue in plan.errors}
    as_float, wrong_check, duplicate = defects["id_as_float"], defects["wrong_check"], defects["duplicate"]
    no_name, nonsense = defects["no_name"], defects["nonsense_date"]
    assert by_row[as_float["row"]].column == headers["id_number"]
    assert "最后几位已经丢失" in by_row[as_float["row"]].message
    assert "校验位" in by_row[wrong_check["row"]].message
    assert f"第 {duplicate['first_row']} 行" in by_row[duplicate["row"]].message
    assert by_row[no_name["row"]].column == headers["name"]
    assert by_row[nonsense["row"]].column == headers["joined_on"]
    assert nonsense["value"] in by_row[nonsense["row"]].message


def test_existing_members_skip_update_and_field_changes(db: Database, tmp_path: Path) -> None:
    header = ["姓名", "身份证号码", "部门", "手机", "月工资"]
    first = write_xlsx(
        tmp_path / "a.xlsx", [header, ["张伟", "11010519491231002X", "一车间", "13800138000", 5000]]
    )
    with db.session() as session:
        apply_import(session, plan_import(session, first, today=TODAY), today=TODAY)
    second = write_xlsx(
        tmp_path / "b.xlsx", [header, ["张伟", "110105491231002", "二车间", "13900000000", 5200.5]]
    )
    with db.session() as session:
        skipped = plan_import(session, second, today=TODAY)
        assert skipped.summary()["skipped"] == 1
        updating = plan_import(session, second, on_existing="update", today=TODAY)
        [row] = updating.rows
        assert row.action == "update"
        assert {c.label: (c.old, c.new) for c in row.changes} == {
            "所在分组": ("一车间", "二车间"),
            "联系电话": ("13800138000", "13900000000"),
            "会费基数工资": ("5,000.00", "5,200.50"),
        }
        result = apply_import(session, updating, today=TODAY)
        assert result.updated == 1
    with db.session() as session:
        member = session.scalars(select(Member)).one()
        assert member.phone == "13900000000"
        assert session.get(Group, member.group_id).name == "二车间"  # type: ignore[union-attr]
        assert session.scalar(select(DuesBaseWage.wage_fen).order_by(DuesBaseWage.id.desc())) == 520050
        again = plan_import(session, second, on_existing="update", today=TODAY)
        assert again.summary()["unchanged"] == 1


def test_name_alone_never_matches(db: Database, tmp_path: Path) -> None:
    header = ["姓名", "身份证号", "性别", "出生日期"]
    first_id = "11010519850615" + "003" + check_character("11010519850615003")
    with db.session() as session:
        apply_import(
            session,
            plan_import(
                session, write_xlsx(tmp_path / "a.xlsx", [header, ["王伟", first_id, "", ""]]), today=TODAY
            ),
            today=TODAY,
        )
    other = write_xlsx(tmp_path / "b.xlsx", [header, ["王伟", "110105198506150014", "", ""]])
    with db.session() as session:
        plan = plan_import(session, other, today=TODAY)
        assert [r.action for r in plan.rows] == ["new"]  # two 王伟 are two people


def test_match_by_name_and_birth_date_when_no_id(db: Database, tmp_path: Path) -> None:
    with db.session() as session:
        rows = [
            ["姓名", "证件类型", "证件号码", "性别", "出生日期", "手机"],
            ["陈美玲", "护照", "", "女", "1990-05-01", ""],
        ]
        apply_import(
            session, plan_import(session, write_xlsx(tmp_path / "a.xlsx", rows), today=TODAY), today=TODAY
        )
        rows[1][-1] = "13800000000"
        plan = plan_import(session, write_xlsx(tmp_path / "b.xlsx", rows), on_existing="update", today=TODAY)
        assert [r.action for r in plan.rows] == ["update"]


def test_title_rows_footers_and_header_variants(db: Database, tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["某公司工会会员花名册"],
        ["填报单位：某公司工会", "", "", "填报日期：2026年11月"],
        [],
        ["职工 姓名", "公民身份号码（18位）*", "所在部门", "参加工会时间", "手机号码", "奇怪的列"],
        ["李　娜", " 110105 19900307 0025 ", "财务科", "2010.03", 13800138000.0, "x"],
        ["合计", "1人"],
        ["制表人：王芳", "", "审核人：张三"],
        ["注：以上人员均已按月缴纳会费"],
    ]
    with db.session() as session:
        plan = plan_import(session, write_xlsx(tmp_path / "t.xlsx", rows), today=TODAY)
        assert plan.mapping.header_row == 4
        assert plan.mapping.unknown == ["奇怪的列"]
        assert plan.ignored_rows == [6, 7, 8]
        [row] = plan.rows
        assert row.action == "new", row.issues
        assert row.data is not None
        assert (row.data.name, row.data.id_number, row.data.phone) == (
            "李娜",
            "110105199003070025",
            "13800138000",
        )
        assert row.data.joined_on == date(2010, 3, 1)
        assert any("只有年月" in note for note in row.notes)


def test_fifteen_digit_numbers_and_blank_gender(db: Database, tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["姓名", "身份证号", "性别"],
        ["老张", 110105491231002.0, ""],
        ["老李", "110105491231002", "男"],
    ]
    with db.session() as session:
        plan = plan_import(session, write_xlsx(tmp_path / "t.xlsx", rows), today=TODAY)
    first, second = plan.rows
    assert first.data is not None and first.data.id_number == "11010519491231002X"
    assert first.data.gender == "女"  # from the ID
    assert any("15 位" in n for n in first.notes)
    assert second.action == "error"
    assert {i.column for i in second.issues} >= {"身份证号", "性别"}


def test_formula_without_value_is_named(db: Database, tmp_path: Path) -> None:
    rows: list[list[object]] = [["姓名", "身份证号", "月工资"], ["张伟", "11010519491231002X", "=B2*0"]]
    with db.session() as session:
        plan = plan_import(session, write_xlsx(tmp_path / "f.xlsx", rows), today=TODAY)
    [issue] = plan.errors
    assert (
        issue.row == 2 and issue.column == "月工资" and "公式" in issue.message and "=B2*0" in issue.message
    )


def test_several_sheets(db: Database, tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active.title = "说明"
    workbook.active.append(["这是说明页"])
    for title in ("在职", "退休"):
        sheet = workbook.create_sheet(title)
        sheet.append(["姓名", "身份证号", "部门"])
        sheet.append(
            [
                "张伟" if title == "在职" else "李娜",
                "11010519491231002X" if title == "在职" else "110105199003070025",
                "办公室",
            ]
        )
    path = tmp_path / "multi.xlsx"
    workbook.save(path)
    with db.session() as session, pytest.raises(UserError, match="多个工作表像花名册：在职、退休"):
        plan_import(session, path, today=TODAY)
    with db.session() as session:
        plan = plan_import(session, path, sheet="退休", today=TODAY)
        assert [r.member_name for r in plan.rows] == ["李娜"]


def test_no_roster_in_file(db: Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "x.xlsx", [["日期", "金额"], ["2026-01-01", 100]])
    with db.session() as session, pytest.raises(UserError, match="找不到花名册的表头"):
        plan_import(session, path, today=TODAY)


def test_confirmed_mapping_is_remembered(db: Database, tmp_path: Path) -> None:
    rows: list[list[object]] = [["姓名", "证号", "手机号"], ["张伟", "11010519491231002X", "13800138000"]]
    path = write_xlsx(tmp_path / "m.xlsx", rows)
    with db.session() as session:
        found = find_sheet(session, RosterImporter(RosterOptions()), read_sheets(path))
        mapping, remembered = found.mapping, found.remembered
        assert mapping.fields == {0: "name", 2: "phone"}
        assert mapping.unknown == ["证号"]
        assert not remembered
        corrected = apply_mapping(mapping, {0: "name", 1: "id_number", 2: "phone"})
        plan = plan_import(session, path, mapping=corrected, today=TODAY)
        apply_import(session, plan, today=TODAY)
    with db.session() as session:
        found = find_sheet(session, RosterImporter(RosterOptions()), read_sheets(path))
        again, remembered = found.mapping, found.remembered
        assert remembered
        assert again.fields == {0: "name", 1: "id_number", 2: "phone"}
        assert session.scalar(select(Member.phone)) == "13800138000"


def test_cancel_writes_nothing(db: Database, messy_rosters: MessyRosters) -> None:
    from app.services.progress import Cancelled, Progress

    progress = Progress()
    with db.session() as session:
        plan = plan_import(session, messy_rosters[MESSY_XLSX].path, today=TODAY)
    progress.cancel()
    with pytest.raises(Cancelled), db.session() as session:
        apply_import(session, plan, skip_invalid=True, today=TODAY, progress=progress)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Member)) == 0
        assert session.scalar(select(func.count()).select_from(Group)) == 0
        assert session.scalar(select(func.count()).select_from(MembershipEvent)) == 0


def test_headers_nobody_recognises_can_be_mapped_by_hand(db: Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "odd.xlsx", [["甲", "乙"], ["张伟", "11010519491231002X"]])
    with db.session() as session, pytest.raises(UserError, match="找不到花名册的表头"):
        plan_import(session, path, today=TODAY)
    [sheet] = read_sheets(path)
    mapping = apply_mapping(
        mapping_for_header_row(RosterImporter(RosterOptions()), sheet, 1), {0: "name", 1: "id_number"}
    )
    with db.session() as session:
        plan = plan_import(session, path, sheet=sheet.name, mapping=mapping, today=TODAY)
        assert [(r.member_name, r.action) for r in plan.rows] == [("张伟", "new")]


def test_equal_values_of_different_types_in_one_column_are_each_read_as_themselves(
    db: Database, tmp_path: Path
) -> None:
    # 1 and TRUE compare equal in Python; a wage of 1 yuan is money, TRUE is not
    rows: list[list[object]] = [
        ["姓名", "身份证号", "月工资", "困难职工"],
        ["张伟", "11010519491231002X", 1, True],
        ["李娜", _id("11010519800101002"), True, 1],
    ]
    with db.session() as session:
        plan = plan_import(session, write_xlsx(tmp_path / "types.xlsx", rows), today=TODAY)
    first, second = plan.rows
    assert first.wage_fen == 100 and first.data is not None and first.data.is_hardship
    assert second.action == "error" and [i.column for i in second.issues] == ["月工资"]
    assert second.data is not None and second.data.is_hardship


def _id(first17: str) -> str:
    return first17 + check_character(first17)


def test_a_formula_and_a_text_cell_with_the_same_characters_are_told_apart(
    db: Database, tmp_path: Path
) -> None:
    path = write_xlsx(
        tmp_path / "f.xlsx",
        [
            ["姓名", "身份证号", "备注"],
            ["张伟", "11010519491231002X", ""],
            ["李娜", _id("11010519800101002"), '=B2&""'],
        ],
    )
    workbook = load_workbook(path)
    workbook.active["C2"].value = '=B2&""'
    workbook.active["C2"].data_type = "s"  # the same characters, typed as text, above the formula
    workbook.save(path)
    with db.session() as session:
        text_row, formula_row = plan_import(session, path, today=TODAY).rows
    assert text_row.action == "new" and text_row.data is not None and text_row.data.remark == '=B2&""'
    assert [i.message for i in formula_row.issues] == [
        '是公式（=B2&""），但文件中没有计算结果。请在 Excel 中打开并保存后再导入，或把公式改为数值'
    ]


def test_retirees_listed_in_a_late_roster_are_no_retirements_of_the_year(
    db: Database, tmp_path: Path
) -> None:
    """A roster imported in December for a year from January lists 退休 members: they hold
    保留会籍 from January (no dues charged) and count as members, but the reports and the
    year's draft do not say they retired that month; one who retires in March does."""
    from app.domain.members import EventKind
    from app.domain.yearmonth import YearMonth
    from app.services.reports import figure_records, period_report
    from app.services.roster.members import change_status

    path = write_xlsx(tmp_path / "名册.xlsx", [
        ["姓名", "身份证号", "部门", "人员类别", "入会时间"],
        ["张伟", "11010519491231002X", "办公室", "退休", "2001-05-01"],
        ["李娜", "110105199003070025", "办公室", "在职", "2015-03-01"],
    ])  # fmt: skip
    december = date(2026, 12, 1)
    with db.session() as session:
        plan = plan_import(session, path, today=december, wages_from=YearMonth(2026, 1))
        apply_import(session, plan, today=december, wages_from=YearMonth(2026, 1))
        li = session.scalar(select(Member.id).where(Member.name == "李娜"))
        assert li is not None
        change_status(session, li, EventKind.RETAIN, date(2026, 3, 15), "退休", today=december)
    with db.reader() as session:
        report = period_report(session, YearMonth(2026, 1), YearMonth(2026, 11), today=december)
        figures = {f.key: f for f in report.figures()}
        moved = figure_records(session, report, "members.retained")
    assert figures["members.retained"].period == 1 and [row[0] for row in moved.rows] == ["李娜"]
    assert figures["members.closing"].period == 2 and figures["members.opening"].period == 2


def test_a_roster_brought_in_late_in_the_year_says_what_its_wages_leave_out(
    db: Database, tmp_path: Path
) -> None:
    """Imported on 1 December with wages applying from December: January to November would have
    no dues base, and the preview says so, with the way to start from January."""
    from app.domain.yearmonth import YearMonth

    path = write_xlsx(tmp_path / "名册.xlsx", [["姓名", "身份证号", "部门", "月工资"],
                                                ["张伟", "11010519491231002X", "办公室", 5000]])  # fmt: skip
    december = date(2026, 12, 1)
    with db.session() as session:
        late = plan_import(session, path, today=december)
        early = plan_import(session, path, today=december, wages_from=YearMonth(2026, 1))
    said = "；".join(late.notes)
    assert "2026年12月以前的月份没有会费基数" in said and "--wages-from 2026-01" in said
    assert not any("没有会费基数" in note for note in early.notes)


def test_members_listed_without_a_joining_date_are_no_new_members_of_the_year(
    db: Database, tmp_path: Path
) -> None:
    """A roster without 入会时间 imported in December for the year: its members pay dues from
    January, and the reports count them as members all along — not 新入会 of January."""
    from app.domain.yearmonth import YearMonth
    from app.services.reports import figure_records, period_report
    from app.services.reports.dashboard import dashboard_figures
    from app.services.reports.overview import compute_overview

    path = write_xlsx(tmp_path / "名册.xlsx", [["姓名", "身份证号", "部门", "月工资"],
                                                ["张伟", "11010519491231002X", "办公室", 5000],
                                                ["李娜", "110105199003070025", "办公室", 6000]])  # fmt: skip
    december = date(2026, 12, 1)
    with db.session() as session:
        plan = plan_import(session, path, today=december, wages_from=YearMonth(2026, 1))
        assert any("按原来就是会员计" in note for note in plan.notes)
        apply_import(session, plan, today=december, wages_from=YearMonth(2026, 1))
    with db.session() as session:  # the same file again changes nothing, and says nothing of wages
        again = plan_import(session, path, today=december, wages_from=YearMonth(2026, 1))
        assert {r.action for r in again.rows} == {"unchanged"}
        assert not any("工资" in note or "会费" in note for note in again.notes), again.notes
    with db.reader() as session:
        for first in (YearMonth(2026, 1), YearMonth(2025, 12)):
            report = period_report(session, first, first, today=december)
            figures = {f.key: f for f in report.figures()}
            assert figures["members.joined"].period == 0, first
            assert (figures["members.opening"].period, figures["members.closing"].period) == (2, 2), first
        joined = figure_records(session, period_report(session, YearMonth(2026, 1), YearMonth(2026, 11),
                                                        today=december), "members.joined")  # fmt: skip
        assert joined.rows == []
        # the 首页 and the roster's overview count alike
        assert dashboard_figures(session, december).joined == 0
        assert compute_overview(session, december).joined_this_year == 0
