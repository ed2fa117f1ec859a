"""集中发放: the same care to many people on one day — 春节送温暖, 中秋 goods, 金秋助学.

The recipients come from a filter (everyone on the roll, the hardship workers, the model
workers, a group) or a list; a preview checks every one against the caps; the records are
written in one transaction and kept together as a batch, to print its 签领表 and to undo.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.db import bulk_insert
from app.domain.care import FUNDING, CareItem, Occasion, check_care
from app.domain.money import MAX_AMOUNT_FEN, format_fen
from app.domain.text import clean_text, too_long
from app.domain.yearmonth import YearMonth
from app.models import CareBatch, CareRecord
from app.models.audit import note_touched, record_bulk
from app.services.care.policy import load_policy
from app.services.care.records import dues_warning
from app.services.errors import NotFoundError, UserError, ValidationError

PAY_BY = ("现金", "银行转账")
LABELS = {
    "name": "名称", "day": "发放日期", "amount": "每人金额", "goods": "慰问品", "funding": "经费来源",
    "pay_by": "发放方式", "recipients": "发放对象", "approver": "审批人", "visitors": "慰问人",
    "note": "备注", "reason": "超标准原因",
}  # fmt: skip
_LIMITS = {"name": 60, "goods": 200, "approver": 30, "visitors": 100, "note": 200, "reason": 200}


class Chooser(StrEnum):
    EVERYONE = "全体在册会员"
    HARDSHIP = "困难职工"
    MODEL_WORKERS = "劳模"
    GROUP = "分组"
    LIST = "名单"


@dataclass(frozen=True)
class BatchInput:
    name: str
    occasion: Occasion
    day: date
    variant: str = ""
    cash_fen: int = 0  # per person
    goods: str = ""
    goods_fen: int = 0  # per person
    funding: str = FUNDING[0]
    pay_by: str = PAY_BY[0]
    chooser: Chooser = Chooser.EVERYONE
    group_id: int | None = None  # for Chooser.GROUP: the group and the groups below it
    member_ids: tuple[int, ...] = ()  # for Chooser.LIST
    approver: str = ""
    visitors: str = ""
    note: str = ""
    reason: str = ""  # written on every record over a cap
    leave_out: frozenset[int] = frozenset()  # members taken off the preview's list


@dataclass(frozen=True)
class BatchLine:
    member_id: int
    name: str
    group: str
    over: str  # the caps this person's share would exceed, in words ("" when within them)
    warning: str  # dues arrears ("" when none)
    owed_fen: int = 0  # dues owed for the months before the batch's


@dataclass(frozen=True)
class BatchPreview:
    lines: list[BatchLine]
    per_person_fen: int
    chosen_by: str  # the filter, in words, as the batch keeps it

    @property
    def total_fen(self) -> int:
        return self.per_person_fen * len(self.lines)

    @property
    def over_count(self) -> int:
        return sum(1 for line in self.lines if line.over)

    @property
    def warning_count(self) -> int:
        return sum(1 for line in self.lines if line.warning)


def _validate(data: BatchInput) -> dict[str, str]:
    values = {key: clean_text(getattr(data, key)) for key in _LIMITS}
    problems = {
        key: message for key in _LIMITS if (message := too_long(LABELS[key], values[key], _LIMITS[key]))
    }
    if not values["name"]:
        problems["name"] = "请给这次发放起个名称，例如“2026年春节送温暖”"
    if data.funding not in FUNDING:
        problems["funding"] = f"经费来源应是{'、'.join(FUNDING)}之一"
    if data.pay_by not in PAY_BY:
        problems["pay_by"] = f"发放方式应是{'或'.join(PAY_BY)}"
    if min(data.cash_fen, data.goods_fen) < 0 or max(data.cash_fen, data.goods_fen) > MAX_AMOUNT_FEN:
        problems["amount"] = "金额超出范围"
    elif data.cash_fen + data.goods_fen <= 0:
        problems["amount"] = "请填写每人的慰问金或慰问品价值"
    if data.chooser is Chooser.GROUP and data.group_id is None:
        problems["recipients"] = "请选择分组"
    if data.chooser is Chooser.LIST and not data.member_ids:
        problems["recipients"] = "名单里还没有人"
    if problems:
        raise ValidationError(problems, LABELS)
    return values


def _recipients(session: Session, data: BatchInput) -> tuple[list[tuple[int, str, str]], str]:
    """(member id, name, group) of everyone the filter picks, in roster order; and the filter in words."""
    from app.services.roster import IN_ROLL, RosterFilter, filter_rows, load_roster

    roster = load_roster(session)
    if data.chooser is Chooser.LIST:
        wanted = set(data.member_ids)
        rows = [row for row in roster.rows if row.id in wanted]
        missing = wanted - {row.id for row in rows}
        if missing:
            raise NotFoundError(f"名单中有 {len(missing)} 人不在会员名册中")
        return [(r.id, r.name, r.group_path) for r in rows], f"名单（{len(rows)} 人）"
    flt = RosterFilter(
        status=IN_ROLL,
        hardship=data.chooser is Chooser.HARDSHIP,
        model_worker=data.chooser is Chooser.MODEL_WORKERS,
        group_id=data.group_id if data.chooser is Chooser.GROUP else None,
    )
    picked = [roster.rows[i] for i in filter_rows(roster.rows, flt, roster.groups)]
    words = data.chooser.value
    if data.chooser is Chooser.GROUP:
        paths = {g.id: g.path for g in roster.groups}
        if data.group_id not in paths:
            raise NotFoundError("没有这个分组")
        words = f"分组：{paths[data.group_id]}"
    return [(r.id, r.name, r.group_path) for r in picked], words


def preview_batch(session: Session, data: BatchInput) -> BatchPreview:
    """Who would receive what, and which of them it would take over a cap; nothing is written.

    A forbidden form (a shopping card) is refused here already, for everyone at once."""
    _validate(data)
    people, chosen_by = _recipients(session, data)
    people = [p for p in people if p[0] not in data.leave_out]
    item = CareItem(data.occasion, data.day, data.cash_fen, data.goods_fen, data.goods, data.variant)
    ids = [p[0] for p in people]
    earlier: dict[int, list[CareItem]] = defaultdict(list)
    year = (date(data.day.year, 1, 1), date(data.day.year, 12, 31))
    for start in range(0, len(ids), 5000):
        query = select(CareRecord).where(
            CareRecord.member_id.in_(ids[start : start + 5000]), CareRecord.day.between(*year)
        )
        for r in session.scalars(query):
            earlier[r.member_id or 0].append(
                CareItem(Occasion(r.occasion), r.day, r.cash_fen, r.goods_fen, r.goods, r.variant)
            )
    from app.services.dues import owed_before_each

    owed = owed_before_each(session, ids, YearMonth.of(data.day))
    policy = load_policy(session)
    lines: list[BatchLine] = []
    for member_id, name, group in people:
        findings = check_care(item, earlier[member_id], policy)
        refused = [f.message for f in findings if f.refused]
        if refused:
            raise UserError("；".join(refused))
        over = "；".join(f.message for f in findings)
        owed_fen = owed.get(member_id, 0)
        lines.append(BatchLine(member_id, name, group, over, dues_warning(owed_fen), owed_fen))
    return BatchPreview(lines, data.cash_fen + data.goods_fen, chosen_by)


def create_batch(session: Session, data: BatchInput, *, today: date | None = None) -> int:
    """Write the batch and one record per recipient of a fresh preview, all or nothing.

    Refused when nobody is left, and when someone would go over a cap and no reason is given."""
    values = _validate(data)
    if data.day > (today or date.today()):
        raise ValidationError({"day": "发放日期不能晚于今天"}, LABELS)
    preview = preview_batch(session, data)
    if not preview.lines:
        raise ValidationError({"recipients": "没有符合条件的发放对象"}, LABELS)
    if preview.over_count and not values["reason"]:
        raise ValidationError(
            {"reason": f"有 {preview.over_count} 人超过标准，须写明原因，或把他们从名单中去掉"}, LABELS
        )
    batch = CareBatch(
        name=values["name"], day=data.day, occasion=data.occasion.value, variant=clean_text(data.variant)[:20],
        cash_fen=data.cash_fen, goods=values["goods"], goods_fen=data.goods_fen, funding=data.funding,
        pay_by=data.pay_by, chosen_by=preview.chosen_by[:100], approver=values["approver"],
        visitors=values["visitors"], note=values["note"],
    )  # fmt: skip
    session.add(batch)
    session.flush()
    per_person = dict(
        day=data.day, occasion=data.occasion.value, variant=batch.variant, cash_fen=data.cash_fen,
        goods=values["goods"], goods_fen=data.goods_fen, funding=data.funding, visitors=values["visitors"],
        approver=values["approver"], note=values["note"], source="批量", batch_id=batch.id,
    )  # fmt: skip
    # one driver-level insert: a batch to every member of a large union is thousands of rows
    bulk_insert(session, CareRecord.__table__, [  # type: ignore[arg-type]
        {**per_person, "member_id": line.member_id, "recipient": line.name, "over_cap": line.over[:400],
         "reason": values["reason"] if line.over else ""}
        for line in preview.lines
    ])  # fmt: skip
    record_bulk(
        session,
        CareRecord.__tablename__,
        f"集中发放“{batch.name}”：{len(preview.lines)} 人，合计 {format_fen(preview.total_fen)} 元",
        len(preview.lines),
    )
    session.flush()
    return batch.id


@dataclass(frozen=True)
class BatchInfo:
    id: int
    name: str
    day: date
    occasion: str
    variant: str
    cash_fen: int
    goods: str
    goods_fen: int
    funding: str
    pay_by: str
    chosen_by: str
    approver: str
    visitors: str
    note: str
    people: int
    total_fen: int
    over_count: int


def list_batches(session: Session, *, year: int | None = None) -> list[BatchInfo]:
    counts = (
        select(
            CareRecord.batch_id,
            func.count().label("people"),
            func.sum(CareRecord.cash_fen + CareRecord.goods_fen).label("total"),
            func.sum(func.iif(CareRecord.over_cap != "", 1, 0)).label("over"),
        )
        .where(CareRecord.batch_id.is_not(None))
        .group_by(CareRecord.batch_id)
        .subquery()
    )
    query = select(CareBatch, counts.c.people, counts.c.total, counts.c.over).outerjoin(
        counts, counts.c.batch_id == CareBatch.id
    )
    if year is not None:
        query = query.where(CareBatch.day.between(date(year, 1, 1), date(year, 12, 31)))
    found = session.execute(query.order_by(CareBatch.day.desc(), CareBatch.id.desc()))
    return [
        BatchInfo(
            b.id, b.name, b.day, b.occasion, b.variant, b.cash_fen, b.goods, b.goods_fen, b.funding, b.pay_by,
            b.chosen_by, b.approver, b.visitors, b.note, int(people or 0), int(total or 0), int(over or 0),
        )
        for b, people, total, over in found
    ]  # fmt: skip


def get_batch(session: Session, batch_id: int) -> BatchInfo:
    for info in list_batches(session):
        if info.id == batch_id:
            return info
    raise NotFoundError(f"没有编号为 {batch_id} 的集中发放")


def undo_batch(session: Session, batch_id: int) -> int:
    """Remove the batch and every record it wrote; returns how many records went."""
    batch = session.get(CareBatch, batch_id)
    if batch is None:
        raise NotFoundError(f"没有编号为 {batch_id} 的集中发放")
    total = session.scalar(
        select(func.coalesce(func.sum(CareRecord.cash_fen + CareRecord.goods_fen), 0)).where(
            CareRecord.batch_id == batch_id
        )
    )
    removed = (
        session.connection().execute(delete(CareRecord).where(CareRecord.batch_id == batch_id)).rowcount or 0
    )
    note_touched(session, CareRecord.__tablename__)  # a bulk delete passes the ORM's events by
    record_bulk(
        session,
        CareRecord.__tablename__,
        f"撤销集中发放“{batch.name}”：删除 {removed} 条慰问记录，共 {format_fen(int(total or 0))} 元",
        removed,
    )
    session.delete(batch)
    session.flush()
    return int(removed)
