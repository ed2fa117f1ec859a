"""The care books ``uniondesk check`` reconciles: every 集中发放 is there with its records, and
the 困难职工 flag agrees with the open hardship files.

A batch is written in one transaction and undone in one; a batch left without records, or
records marked as from a batch that is gone, mean a batch is half there. Its totals (people,
money) are always summed from its records, so those records are what is checked."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.money import format_fen
from app.models import CareBatch, CareRecord, HardshipFile, Member

BATCH_SOURCE = "批量"  # CareRecord.source of a record a 集中发放 wrote
_NAMED = 5  # at most this many names or numbers in one line


def _some(items: list[str]) -> str:
    shown = "、".join(items[:_NAMED])
    return shown + ("等" if len(items) > _NAMED else "")


def reconcile_care(session: Session) -> list[str]:
    problems: list[str] = []
    empty = session.execute(
        select(CareBatch.id, CareBatch.name)
        .outerjoin(CareRecord, CareRecord.batch_id == CareBatch.id)
        .where(CareRecord.id.is_(None))
        .order_by(CareBatch.id)
    ).all()
    for batch_id, name in empty:
        problems.append(
            f"慰问：集中发放“{name}”（编号 {batch_id}）没有任何发放记录。请核对：这次发放没有进行的，"
            f"撤销它（慰问帮扶页的“集中发放记录…”，或命令行 care batch undo {batch_id}）"
        )
    strays = session.execute(
        select(CareRecord.id, CareRecord.cash_fen + CareRecord.goods_fen)
        .where(CareRecord.source == BATCH_SOURCE, CareRecord.batch_id.is_(None))
        .order_by(CareRecord.id)
    ).all()
    if strays:
        total = sum(int(amount) for _id, amount in strays)
        problems.append(
            f"慰问：{len(strays)} 条集中发放写入的慰问记录（编号 {_some([str(r[0]) for r in strays])}，"
            f"合计 {format_fen(total)} 元）不属于任何一次集中发放"
        )

    open_files = (
        select(HardshipFile.member_id, func.count().label("files"))
        .where(HardshipFile.closed_on.is_(None))
        .group_by(HardshipFile.member_id)
        .subquery()
    )
    rows = session.execute(
        select(Member.name, Member.is_hardship, open_files.c.files).join(
            open_files, open_files.c.member_id == Member.id
        )
    ).all()
    twice = [name for name, _flag, files in rows if files > 1]
    if twice:
        problems.append(f"困难职工档案：{_some(twice)} 同时有不止一份在档的档案（一名会员只能有一份）")
    unflagged = [name for name, flag, _files in rows if not flag]
    if unflagged:
        problems.append(
            f"困难职工档案：{_some(unflagged)} 有在档的困难职工档案，会员名册中却没有标为困难职工"
            f"（共 {len(unflagged)} 人）"
        )
    return problems
