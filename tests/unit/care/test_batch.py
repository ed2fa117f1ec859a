"""集中发放 against a real 账套: who the filters pick, the cap preview, the reason it needs,
one transaction, the batch kept as a unit and undone whole; and correcting or deleting a
single record, each change in the audit log."""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.domain.care import Occasion
from app.domain.idcard import check_character
from app.domain.members import MemberInput, ModelWorkerLevel
from app.models import AuditEntry, CareBatch, CareRecord
from app.services.care import (
    BatchInput,
    CareInput,
    Chooser,
    care_input,
    create_batch,
    delete_care,
    get_care,
    list_batches,
    list_care,
    preview_batch,
    record_care,
    undo_batch,
    update_care,
)
from app.services.errors import UserError, ValidationError
from app.services.roster import add_group, create_member
from app.services.system import ProfileData, save_profile

TODAY = date(2026, 12, 1)


def id_number(n: int) -> str:
    first17 = f"110105198{n % 10}0{1 + n % 9}1{n % 10}{n:03d}"[:17]
    return first17 + check_character(first17)


@pytest.fixture
def union(db: Database) -> dict[str, int]:
    """Six members: two in 一车间 (one a model worker), two hardship workers in 二车间, two in 科室."""
    with db.session() as session:
        save_profile(session, ProfileData(name="测试工会", province="安徽"))
        one, two, office = (add_group(session, name) for name in ("一车间", "二车间", "科室"))
        people = [
            ("付怡", one, False, ModelWorkerLevel.NONE), ("王强", one, False, ModelWorkerLevel.CITY),
            ("李娜", two, True, ModelWorkerLevel.NONE), ("赵敏", two, True, ModelWorkerLevel.NONE),
            ("孙丽", office, False, ModelWorkerLevel.NONE), ("周杰", office, False, ModelWorkerLevel.NONE),
        ]  # fmt: skip
        ids = {}
        for n, (name, group, hardship, level) in enumerate(people, start=1):
            data = MemberInput(name=name, id_number=id_number(n), joined_on=date(2010, 5, 1), group_id=group,
                               is_hardship=hardship, model_worker_level=level)  # fmt: skip
            ids[name] = create_member(session, data, today=TODAY)
        ids["一车间"] = one
        return ids


def warmth(**changes: object) -> BatchInput:
    values: dict[str, object] = {
        "name": "2026年春节送温暖", "occasion": Occasion.WARMTH, "day": date(2026, 1, 20), "variant": "春节",
        "cash_fen": 50_000, "chooser": Chooser.EVERYONE, "approver": "工会主席",
    }  # fmt: skip
    values.update(changes)
    return BatchInput(**values)  # type: ignore[arg-type]


def records(db: Database) -> int:
    with db.reader() as session:
        return int(session.scalar(select(func.count()).select_from(CareRecord)) or 0)


@pytest.mark.parametrize(
    ("chooser", "extra", "expected"),
    [
        (Chooser.EVERYONE, {}, {"付怡", "王强", "李娜", "赵敏", "孙丽", "周杰"}),
        (Chooser.HARDSHIP, {}, {"李娜", "赵敏"}),
        (Chooser.MODEL_WORKERS, {}, {"王强"}),
        (Chooser.GROUP, {"group": "一车间"}, {"付怡", "王强"}),
        (Chooser.LIST, {"names": ("孙丽", "李娜")}, {"孙丽", "李娜"}),
    ],
)
def test_each_filter_picks_its_people(
    db: Database, union: dict[str, int], chooser: Chooser, extra: dict[str, object], expected: set[str]
) -> None:
    group = union[str(extra["group"])] if "group" in extra else None
    members = tuple(union[name] for name in extra.get("names", ()))  # type: ignore[attr-defined]
    with db.reader() as session:
        preview = preview_batch(session, warmth(chooser=chooser, group_id=group, member_ids=members))
    assert {line.name for line in preview.lines} == expected
    assert preview.total_fen == 50_000 * len(expected)


def test_a_batch_is_written_whole_kept_as_a_unit_and_undone_whole(
    db: Database, union: dict[str, int]
) -> None:
    leave = frozenset({union["周杰"]})
    with db.session() as session:
        batch_id = create_batch(session, warmth(leave_out=leave), today=TODAY)
    with db.reader() as session:
        (info,) = list_batches(session, year=2026)
        given = list_care(session, batch_id=batch_id)
    assert (info.id, info.people, info.total_fen, info.chosen_by) == (batch_id, 5, 250_000, "全体在册会员")
    assert {r.recipient for r in given} == {"付怡", "王强", "李娜", "赵敏", "孙丽"}
    assert {(r.source, r.day, r.what, r.approver) for r in given} == {
        ("批量", date(2026, 1, 20), "送温暖（春节）", "工会主席")
    }
    with db.session() as session:
        assert undo_batch(session, batch_id) == 5
    assert records(db) == 0
    with db.reader() as session:
        assert session.scalar(select(func.count()).select_from(CareBatch)) == 0
        undone = session.scalars(select(AuditEntry.summary).where(AuditEntry.action == "批量")).all()
    assert any("撤销集中发放“2026年春节送温暖”：删除 5 条慰问记录，共 2,500.00 元" in s for s in undone)


def test_over_a_cap_the_preview_names_who_and_the_batch_needs_a_reason(
    db: Database, union: dict[str, int]
) -> None:
    # 安徽 allows 1,500 yuan of festival goods a year; 付怡 already had 1,400
    with db.session() as session:
        record_care(session, CareInput(Occasion.FESTIVAL, date(2026, 1, 5), union["付怡"], variant="元旦",
                                       goods="年货", goods_fen=140_000), today=TODAY)  # fmt: skip
    autumn = warmth(name="2026年中秋慰问", occasion=Occasion.FESTIVAL, variant="中秋", day=date(2026, 9, 20),
                    cash_fen=0, goods="月饼", goods_fen=20_000)  # fmt: skip
    with db.reader() as session:
        preview = preview_batch(session, autumn)
    over = {line.name: line.over for line in preview.lines if line.over}
    assert list(over) == ["付怡"] and "1,600.00" in over["付怡"] and preview.over_count == 1
    with db.session() as session, pytest.raises(ValidationError) as refused:
        create_batch(session, autumn, today=TODAY)
    assert "有 1 人超过标准" in str(refused.value)
    assert records(db) == 1  # nothing of the batch was written
    with db.session() as session:
        batch_id = create_batch(
            session, BatchInput(**{**autumn.__dict__, "reason": "工会委员会研究同意"}), today=TODAY
        )
    with db.reader() as session:
        flagged = [r for r in list_care(session, batch_id=batch_id) if r.over_cap]
        (info,) = list_batches(session)
    assert [(r.recipient, r.reason) for r in flagged] == [("付怡", "工会委员会研究同意")]
    assert info.over_count == 1


def test_a_shopping_card_refuses_the_whole_batch(db: Database, union: dict[str, int]) -> None:
    card = warmth(cash_fen=0, goods="超市购物卡", goods_fen=20_000)
    with db.session() as session, pytest.raises(UserError) as refused:
        create_batch(session, card, today=TODAY)
    assert "购物卡" in str(refused.value)
    assert records(db) == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": " "}, "名称"),
        ({"cash_fen": 0}, "每人金额"),
        ({"chooser": Chooser.GROUP}, "发放对象"),
        ({"chooser": Chooser.LIST}, "发放对象"),
        ({"pay_by": "支票"}, "发放方式"),
        ({"day": date(2027, 1, 1)}, "发放日期"),
    ],
)
def test_bad_input_names_its_field_and_writes_nothing(
    db: Database, union: dict[str, int], changes: dict[str, object], field: str
) -> None:
    with db.session() as session, pytest.raises(ValidationError) as refused:
        create_batch(session, warmth(**changes), today=TODAY)
    assert field in str(refused.value)
    assert records(db) == 0


def test_a_record_is_corrected_checked_again_and_deleted_with_the_audit_keeping_both(
    db: Database, union: dict[str, int]
) -> None:
    with db.session() as session:
        record_id = record_care(session, CareInput(Occasion.HOSPITAL, date(2026, 3, 2), union["付怡"], cash_fen=50_000), today=TODAY)  # fmt: skip
    with db.session() as session:
        data = care_input(session, record_id)
        with pytest.raises(ValidationError):  # 1,200 is over 安徽's 1,000 a stay: needs a reason
            update_care(session, record_id, dataclasses.replace(data, cash_fen=120_000), today=TODAY)
    with db.session() as session:
        update_care(session, record_id, dataclasses.replace(data, cash_fen=80_000, note="补记"), today=TODAY)
    with db.reader() as session:
        fixed = get_care(session, record_id)
        before, after = session.execute(
            select(AuditEntry.before, AuditEntry.after).where(
                AuditEntry.entity == "care_records", AuditEntry.action == "修改"
            )
        ).one()
    assert (fixed.cash_fen, fixed.note, fixed.over_cap) == (80_000, "补记", "")
    assert (json.loads(before)["cash_fen"], json.loads(after)["cash_fen"]) == (50_000, 80_000)
    with db.session() as session:
        gone = delete_care(session, record_id)
    assert gone.amount_fen == 80_000 and records(db) == 0
    with db.reader() as session:
        deleted = session.scalars(select(AuditEntry.before).where(AuditEntry.action == "删除")).one()
    assert json.loads(deleted or "{}")["recipient"] == "付怡"


def test_editing_a_record_does_not_count_it_twice_against_the_yearly_cap(
    db: Database, union: dict[str, int]
) -> None:
    # 安徽: 1,500 festival a year. One record of 1,000 edited to 1,200 is within it.
    with db.session() as session:
        record_id = record_care(session, CareInput(Occasion.FESTIVAL, date(2026, 2, 1), union["付怡"], variant="春节",
                                                   goods="年货", goods_fen=100_000), today=TODAY)  # fmt: skip
    with db.session() as session:
        data = care_input(session, record_id)
        update_care(session, record_id, dataclasses.replace(data, goods_fen=120_000), today=TODAY)
    with db.reader() as session:
        assert get_care(session, record_id).over_cap == ""
