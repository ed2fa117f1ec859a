"""操作日志 read back: the filters (dates, record type, action, text), newest first, paging
that continues after the last entry, counts that stop at the cap, the fields in Chinese with
money in yuan, ID and bank numbers masked on request, and the export read back."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert

from app.db import Database
from app.domain.members import MemberInput
from app.models import AuditEntry, Member
from app.models.audit import DELETED
from app.models.base import Base
from app.services.errors import UserError
from app.services.roster import create_member
from app.services.roster.members import delete_member
from app.services.system import ProfileData, save_profile
from app.services.system.audit import (
    AUDIT_ACTIONS,
    AuditFilter,
    AuditRow,
    count_audit,
    describe_filter,
    entry_values,
    export_audit,
    field_changes,
    find_record_type,
    list_audit,
    side_text,
)
from app.services.system.audit_labels import (
    EMPTY,
    _model_labels,
    field_label,
    record_label,
    record_types,
    value_text,
)
from app.services.system.audit_references import _DELETED, with_reference_names
from tests.unit.dues.import_support import id_number

START = datetime(2026, 3, 1, 8, 0, 0)
FULL_ID = id_number(7)
ACCOUNT = "6222020200112233445"


def _entry(
    n: int,
    *,
    entity: str = "members",
    action: str = "修改",
    at: datetime | None = None,
    before: Any = None,
    after: Any = None,
    summary: str = "",
) -> dict[str, Any]:
    return {
        "at": at or START + timedelta(hours=n),
        "actor": "王秘书",
        "action": action,
        "entity": entity,
        "entity_id": n,
        "summary": summary or f"会员：第{n}号",
        "before": None if before is None else json.dumps(before, ensure_ascii=False),
        "after": None if after is None else json.dumps(after, ensure_ascii=False),
    }


def _fill(db: Database, rows: list[dict[str, Any]]) -> None:
    db.auto_backup = False  # hundreds of log rows written directly: not an import to back up
    with db.session() as session:
        session.execute(insert(AuditEntry), rows)


def _all(db: Database, flt: AuditFilter, limit: int = 1000) -> list[AuditRow]:
    with db.reader() as session:
        return list_audit(session, flt, limit=limit).rows


@pytest.fixture
def log(db: Database) -> Database:
    """120 entries an hour apart from 1 March 2026 08:00: every 3rd a 会慰问记录 新增, every 5th a
    会员 删除, the rest 会员 修改; entry 43 changes a phone number and holds an ID number."""
    rows = []
    for n in range(120):
        if n % 3 == 0:
            rows.append(_entry(n, entity="care_records", action="新增", after={"cash_fen": 50_000, "occasion": "住院"},
                               summary="慰问记录"))  # fmt: skip
        elif n % 5 == 0:
            rows.append(_entry(n, action="删除", before={"name": f"第{n}号", "id_number": FULL_ID}))
        else:
            rows.append(_entry(n, before={"phone": "13800000000"}, after={"phone": f"1390000{n:04d}"}))
    rows[43] = _entry(
        43,
        before={"phone": "13800000000", "id_number": FULL_ID},
        after={"phone": "13912345678", "id_number": FULL_ID},
    )
    _fill(db, rows)
    return db


def test_newest_first_and_each_filter(log: Database) -> None:
    everything = _all(log, AuditFilter())
    assert len(everything) == 120
    assert [r.at for r in everything] == sorted((r.at for r in everything), reverse=True)
    assert everything[0].entity_id == 119
    care = _all(log, AuditFilter(entity="care_records"))
    assert len(care) == 40 and {r.record_type for r in care} == {"慰问记录"}
    deleted = _all(log, AuditFilter(action="删除"))
    assert {r.entity_id for r in deleted} == {n for n in range(120) if n % 3 and n % 5 == 0}
    both = _all(log, AuditFilter(entity="members", action="修改"))
    assert len(both) == 120 - 40 - len(deleted)
    # 1 March 08:00 + n hours: the 2nd of March holds entries 16 … 39, the whole last day included
    second = _all(log, AuditFilter(first=date(2026, 3, 2), last=date(2026, 3, 2)))
    assert sorted(r.entity_id for r in second) == list(range(16, 40))
    assert len(_all(log, AuditFilter(first=date(2026, 3, 5)))) == 120 - 88
    assert len(_all(log, AuditFilter(last=date(2026, 3, 1)))) == 16
    found = _all(log, AuditFilter(text="13912345678"))
    assert [r.entity_id for r in found] == [43]  # text in the after JSON
    assert len(_all(log, AuditFilter(text="王秘书"))) == 120  # the actor
    # % and _ are only characters, not wildcards (as wildcards they would match 13800000000, 50000)
    assert _all(log, AuditFilter(text="138%0")) == []
    assert _all(log, AuditFilter(text="5_0")) == []
    assert len(_all(log, AuditFilter(text="1380"))) > 0
    assert _all(log, AuditFilter(entity="care_records", action="删除")) == []


def test_bad_filters_say_what_is_wrong(log: Database) -> None:
    with log.reader() as session:
        with pytest.raises(UserError, match="结束日期 2026-03-01 早于开始日期 2026-03-02"):
            list_audit(session, AuditFilter(first=date(2026, 3, 2), last=date(2026, 3, 1)))
        with pytest.raises(UserError, match="没有“改”这种操作"):
            list_audit(session, AuditFilter(action="改"))
        with pytest.raises(UserError, match="没有“nothing”这种记录类型"):
            list_audit(session, AuditFilter(entity="nothing"))


def test_pages_continue_after_the_last_entry_without_gaps_or_repeats(log: Database) -> None:
    with log.reader() as session:
        first = list_audit(session, AuditFilter(), limit=50)
        assert (len(first.rows), first.total, first.total_exact, first.more) == (50, 120, True, True)
        second = list_audit(session, AuditFilter(), limit=50, older_than=first.rows[-1], count=False)
        third = list_audit(session, AuditFilter(), limit=50, older_than=second.rows[-1], count=False)
    assert (len(second.rows), second.more, len(third.rows), third.more) == (50, True, 20, False)
    ids = [r.entity_id for page in (first, second, third) for r in page.rows]
    assert ids == list(range(119, -1, -1))


def test_entries_of_the_same_second_page_by_id(db: Database) -> None:
    same = datetime(2026, 5, 1, 9, 0, 0)
    _fill(db, [_entry(n, at=same) for n in range(7)])
    with db.reader() as session:
        first = list_audit(session, AuditFilter(), limit=3)
        rest = list_audit(session, AuditFilter(), limit=10, older_than=first.rows[-1])
    assert [r.entity_id for r in first.rows + rest.rows] == [6, 5, 4, 3, 2, 1, 0]


def test_counts_are_exact_for_dates_and_capped_for_other_filters(log: Database) -> None:
    with log.reader() as session:
        assert count_audit(session, AuditFilter(first=date(2026, 3, 2), last=date(2026, 3, 2))) == (24, True)
        assert count_audit(session, AuditFilter(entity="care_records"), cap=30) == (30, False)
        assert count_audit(session, AuditFilter(entity="care_records"), cap=40) == (40, True)
        page = list_audit(session, AuditFilter(text="王秘书"), limit=10)
    assert page.total == 120 and page.total_exact  # under the default cap of 10,000
    with log.reader() as session:
        short = list_audit(session, AuditFilter(action="删除"), limit=50)
    assert short.total == len(short.rows) and short.total_exact and not short.more


def test_the_page_is_read_through_the_index_on_at(log: Database) -> None:
    from app.services.system.audit import _newest_first

    query = _newest_first(AuditFilter(entity="members", first=date(2026, 3, 2))).limit(200)
    with log.reader() as session:
        sql = str(query.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))
        plan = " ".join(str(r[-1]) for r in session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
    assert "ix_audit_log_at" in plan and "TEMP B-TREE" not in plan  # no sort of the whole log


def test_record_types_are_the_tables_by_their_chinese_names() -> None:
    types = dict(record_types())
    assert types["members"] == "会员" and types["hardship_files"] == "困难职工档案"
    assert "audit_log" not in types
    assert set(types) == set(Base.metadata.tables) - {"audit_log"}
    assert record_label("care_records") == "慰问记录" and record_label("no_such_table") == "no_such_table"
    assert find_record_type("会员") == "members"
    assert find_record_type("MEMBERS") == "members"
    assert find_record_type("档案") == "hardship_files"  # the only type whose name has it
    with pytest.raises(UserError, match=r"不明确.*慰问记录"):
        find_record_type("慰问")
    with pytest.raises(UserError, match="没有“工资条”这种记录类型。可选：会员、分组"):
        find_record_type("工资条")


def test_fields_in_chinese_and_values_as_the_program_shows_them() -> None:
    assert field_label("members", "name") == "姓名"
    assert field_label("members", "id_number") == "证件号码"
    assert field_label("groups", "name") == "分组名称"
    assert field_label("hardship_files", "bank_account") == "银行账号"
    assert field_label("care_records", "cash_fen") == "慰问金"
    assert field_label("members", "no_such_column") == "no_such_column"
    assert value_text("amount_fen", 123_456) == "1,234.56 元"
    assert value_text("rate_bp", 50) == "0.5%"
    assert value_text("is_hardship", True) == "是" and value_text("is_hardship", False) == "否"
    assert value_text("note", None) == EMPTY and value_text("note", "") == EMPTY
    assert value_text("id_number", FULL_ID) == FULL_ID
    assert value_text("id_number", FULL_ID, mask=True) == FULL_ID[:6] + "********" + FULL_ID[-4:]
    assert value_text("bank_account", ACCOUNT, mask=True) == "6222***********3445"
    assert value_text("phone", "13912345678", mask=True) == "13912345678"  # not one of the masked numbers


def test_a_label_the_model_gives_wins_over_the_glossary() -> None:
    column = Base.metadata.tables["groups"].c.sort_order
    assert field_label("groups", "sort_order") == "排列顺序"
    column.info["label"] = "显示顺序"
    _model_labels.cache_clear()
    try:
        assert field_label("groups", "sort_order") == "显示顺序"
    finally:
        del column.info["label"]
        _model_labels.cache_clear()


def test_a_real_change_reads_as_field_before_and_after(db: Database) -> None:
    with db.session(actor="李主席") as session:
        member_id = create_member(
            session, MemberInput(name="欧阳娜娜", id_number=FULL_ID, phone="13800000000")
        )
    with db.session(actor="李主席") as session:
        member = session.get(Member, member_id)
        assert member is not None
        member.phone, member.is_migrant_worker = "13912345678", True
    with db.session() as session:
        delete_member(session, member_id)
    with db.reader() as session:
        changed = list_audit(session, AuditFilter(entity="members", action="修改")).rows
        added = list_audit(session, AuditFilter(entity="members", action="新增")).rows
        gone = list_audit(session, AuditFilter(entity="members", action="删除")).rows
    assert changed[0].actor == "李主席" and changed[0].summary == "会员：欧阳娜娜"
    fields = {c.label: (c.before, c.after) for c in field_changes(changed[0])}
    assert fields["联系电话"] == ("13800000000", "13912345678")
    assert fields["农民工"] == ("否", "是")
    new = {c.label: (c.before, c.after) for c in field_changes(added[0], mask=True)}
    assert new["姓名"] == (EMPTY, "欧阳娜娜")
    assert new["证件号码"] == (EMPTY, FULL_ID[:6] + "********" + FULL_ID[-4:])
    assert "编号" not in new  # the record's own number is shown beside the entry
    made = side_text(field_changes(added[0]), "after", "新增")
    assert "姓名：欧阳娜娜" in made and EMPTY not in made  # a whole new record without its empty fields
    assert new["备注"] == (EMPTY, EMPTY)  # which the detail still lists
    line = side_text(field_changes(gone[0]), "before", "删除")
    assert "姓名：欧阳娜娜" in line and FULL_ID in line
    assert side_text(field_changes(gone[0]), "after", "删除") == ""
    assert FULL_ID not in side_text(field_changes(gone[0], mask=True), "before", "删除")


def test_a_damaged_or_foreign_entry_is_shown_as_its_text() -> None:
    row = AuditRow(1, START, "", "修改", "members", 3, "", "{not json", '["a list"]')
    assert [(c.label, c.before, c.after) for c in field_changes(row)] == [("内容", "{not json", '["a list"]')]
    assert entry_values(None) is None
    assert entry_values(json.dumps({"bank_account": ACCOUNT, "n": 1}), mask=True) == {
        "bank_account": "6222***********3445",
        "n": 1,
    }


def test_describe_filter_in_words() -> None:
    assert describe_filter(AuditFilter()) == "全部操作日志"
    words = describe_filter(AuditFilter(first=date(2026, 3, 1), entity="members", action="删除", text="张"))
    assert words == "时间：2026-03-01 至 现在，记录类型：会员，操作：删除，包含“张”"
    assert AUDIT_ACTIONS == ("新增", "修改", "删除", "批量")


def test_export_writes_the_filtered_entries_readably(log: Database, tmp_path: Path) -> None:
    with log.session() as session:
        save_profile(session, ProfileData(name="示例工会"))
    out = tmp_path / "操作日志.xlsx"
    flt = AuditFilter(entity="members", last=date(2026, 3, 3))
    with log.reader() as session:
        written = export_audit(session, out, flt, today=date(2026, 6, 1))
        expected = len(list_audit(session, flt, limit=1000).rows)
    assert written == expected
    sheet = load_workbook(out).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "示例工会操作日志"
    assert "记录类型：会员" in str(rows[1][0]) and "导出日期：2026年6月1日" in str(rows[1][0])
    assert rows[2] == ("时间", "操作人", "操作", "记录类型", "记录编号", "摘要", "修改前", "修改后")
    data = rows[3:]
    assert len(data) == written
    assert all(r[3] == "会员" for r in data)
    assert [r[0] for r in data] == sorted((r[0] for r in data), reverse=True)  # newest first, real times
    assert isinstance(data[0][0], datetime)
    by_id = {r[4]: r for r in data}
    assert by_id[43][6] == f"联系电话：13800000000；证件号码：{FULL_ID}"
    assert by_id[43][7] == f"联系电话：13912345678；证件号码：{FULL_ID}"
    assert by_id[40][2] == "删除" and by_id[40][7] is None  # nothing after a deletion
    # before and after wrap within their columns: printed, they do not run on across the page
    header = 3
    before = [sheet.cell(header + 1 + i, 7) for i in range(len(data)) if data[i][6]]
    assert before and all(cell.alignment.wrap_text for cell in before)
    assert not sheet.cell(header + 1, 6).alignment.wrap_text


def test_export_masks_on_request_and_keeps_money_in_yuan(log: Database, tmp_path: Path) -> None:
    out = tmp_path / "masked.xlsx"
    with log.reader() as session:
        export_audit(session, out, AuditFilter(), mask=True)
    sheet = load_workbook(out).active
    assert sheet is not None
    text = "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None)
    assert FULL_ID not in text and FULL_ID[:6] + "********" + FULL_ID[-4:] in text
    assert "已隐去身份证号和银行账号的中间部分" in text
    assert "慰问金：500.00 元" in text


def test_export_refuses_the_database_itself_and_a_folder(log: Database, tmp_path: Path) -> None:
    link = tmp_path / "链接.xlsx"
    link.symlink_to(log.path)  # a name that leads to the 账套 must not overwrite it
    before = log.path.read_bytes()
    with log.reader() as session:
        with pytest.raises(UserError, match="正在使用的账套文件"):
            export_audit(session, link, AuditFilter())
        with pytest.raises(UserError, match="是一个文件夹"):
            export_audit(session, tmp_path, AuditFilter())
    assert log.path.read_bytes() == before


def test_an_entry_whose_time_is_damaged_is_listed_and_paged_past(db: Database) -> None:
    from sqlalchemy import text

    _fill(db, [_entry(n) for n in range(3)])
    with db.session() as session:
        session.execute(text("UPDATE audit_log SET at = 'garbage' WHERE entity_id = 1"))
    with db.reader() as session:
        first = list_audit(session, AuditFilter(), limit=1)
        rest = list_audit(session, AuditFilter(), limit=5, older_than=first.rows[-1], count=False)
    assert first.rows[0].entity_id == 1 and first.rows[0].at == datetime.min  # text sorts after digits
    assert [r.entity_id for r in rest.rows] == [2, 0]


def test_the_log_names_the_unions_handler_with_the_computers_login(db: Database) -> None:
    from sqlalchemy import select

    from app.models.audit import current_actor

    login = current_actor()

    def last_actor() -> str:
        with db.reader() as session:
            return str(session.scalar(select(AuditEntry.actor).order_by(AuditEntry.id.desc()).limit(1)))

    with db.session() as session:
        save_profile(session, ProfileData(name="测试工会"))
    assert last_actor() == login  # no 经办人 yet: the login alone
    with db.session() as session:
        save_profile(session, ProfileData(name="测试工会", handler="王秀兰"))
    with db.session() as session:
        save_profile(session, ProfileData(name="测试工会", handler="王秀兰", phone="0551-1234567"))
    assert last_actor() == f"王秀兰（{login}）"
    with db.session(actor="李建国") as session:  # a name given to the session goes first
        save_profile(session, ProfileData(name="测试工会", handler="王秀兰", phone="0551-7654321"))
    assert last_actor() == "李建国"


def test_numbers_pointing_at_other_records_read_as_their_names(db: Database, tmp_path: Path) -> None:
    """A member's 所在分组 as the group's name, a budget line's 科目 as its code and name, and a
    record deleted since by the name its 删除 entry kept — in the list, the detail and the export."""
    from app.models import BudgetCategory, BudgetLine
    from app.services.roster.groups import add_group, delete_group

    with db.session() as session:
        first, second = add_group(session, "一车间"), add_group(session, "二车间")
        member_id = create_member(session, MemberInput(name="欧阳娜娜", id_number=FULL_ID, group_id=first))
        category = session.query(BudgetCategory).filter_by(code="50102").one()
        session.add(BudgetLine(year=2026, category_id=category.id, amount_fen=100_00))
    with db.session() as session:
        member = session.get(Member, member_id)
        assert member is not None
        member.group_id = second
    with db.session() as session:
        delete_group(session, first)
    with db.reader() as session:
        moved = list_audit(session, AuditFilter(entity="members", action="修改")).rows[0]
        line = list_audit(session, AuditFilter(entity="budget_lines")).rows[0]
    fields = {c.label: (c.before, c.after) for c in field_changes(moved)}
    assert fields["所在分组"] == (f"一车间（编号 {first}，已删除）", f"二车间（编号 {second}）")
    assert {c.label: c.after for c in field_changes(line)}[
        "科目"
    ] == f"50102 文体活动费（编号 {category.id}）"
    out = tmp_path / "日志.xlsx"
    with db.reader() as session:
        export_audit(session, out, AuditFilter(entity="members", action="修改"))
    sheet = load_workbook(out).active
    assert sheet is not None
    texts = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value]
    assert any(f"二车间（编号 {second}）" in text for text in texts)


def test_a_deleted_record_the_log_kept_no_name_of_is_said_to_be_deleted(db: Database) -> None:
    row = AuditRow(1, START, "", "修改", "members", 3, "", '{"group_id": 41}', '{"group_id": 42}')
    with db.reader() as session:
        (named,) = with_reference_names(session, [row])
    assert {c.label: (c.before, c.after) for c in field_changes(named)}["所在分组"] == (
        "编号 41（已删除）",
        "编号 42（已删除）",
    )
    assert {c.label: c.before for c in field_changes(row)}["所在分组"] == "41"  # names not read: the number


def test_the_deletions_are_looked_up_by_their_index(db: Database) -> None:
    with db.reader() as session:
        plan = (
            session.connection()
            .exec_driver_sql(
                "EXPLAIN QUERY PLAN " + _DELETED.format(action=DELETED, numbers="?, ?"), ("groups", 1, 2)
            )
            .all()
        )
    assert any("ix_audit_log_deleted" in str(step) for step in plan), plan
