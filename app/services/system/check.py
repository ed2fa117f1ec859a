"""`uniondesk check`: integrity, foreign keys, money stored as integers, record consistency."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Integer, func, select, text
from sqlalchemy.orm import Session

from app.db import damaged_text, tolerant_text
from app.domain.idcard import IdNumberError, parse_id_number
from app.domain.members import STATUS_AFTER, EventKind
from app.models import Base, Member, MembershipEvent


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _money_columns() -> list[tuple[str, str]]:
    """Every integer column named *_fen: money, which must never be stored as a float."""
    return [
        (table.name, column.name)
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if column.name.endswith("_fen") and isinstance(column.type, Integer)
    ]


def _table_label(table: str) -> str:
    known = Base.metadata.tables.get(table)
    label = known.info.get("label") if known is not None else None
    return f"{table}（{label}）" if label else table


def run_checks(session: Session) -> CheckReport:
    """Every check, on a file that may be damaged: text that is not valid UTF-8 is
    reported, and read with a replacement character by the checks after it."""
    with tolerant_text(session):
        return _run_checks(session)


def _run_checks(session: Session) -> CheckReport:
    report = CheckReport()
    integrity = [r[0] for r in session.execute(text("PRAGMA integrity_check")).all()]
    report.checked.append("数据库文件完整性")
    if integrity != ["ok"]:
        report.problems.extend(f"数据库文件损坏：{line}" for line in integrity[:20])

    report.checked.append("文字内容可以正常读取（编码）")
    for damaged in damaged_text(session):
        report.problems.append(
            f"表 {_table_label(damaged.table)} 中 id 为 {damaged.row_id} 的记录，"
            f"{damaged.column} 列的文字已损坏（不是有效的 UTF-8 编码），无法正常显示"
        )

    report.checked.append("记录之间的引用（外键）")
    for table, rowid, parent, _fk in session.execute(text("PRAGMA foreign_key_check")).all():
        report.problems.append(f"表 {table} 第 {rowid} 行引用了不存在的 {parent} 记录")

    report.checked.append("金额以“分”为整数保存")
    for table, column in _money_columns():
        bad = session.execute(
            text(f"SELECT count(*) FROM \"{table}\" WHERE typeof(\"{column}\") NOT IN ('integer', 'null')")
        ).scalar_one()
        if bad:
            report.problems.append(f"表 {table} 的金额列 {column} 有 {bad} 个值不是整数分")

    report.checked.append("会籍状态与会籍变动记录一致")
    last_event = (
        select(MembershipEvent.member_id, func.max(MembershipEvent.id).label("last_id"))
        .group_by(MembershipEvent.member_id)
        .subquery()
    )
    rows = session.execute(
        select(Member.name, Member.status, MembershipEvent.kind)
        .outerjoin(last_event, last_event.c.member_id == Member.id)
        .outerjoin(MembershipEvent, MembershipEvent.id == last_event.c.last_id)
    ).all()
    for name, status, kind in rows:
        last_kind: str | None = kind  # None when the outer join found no event
        if last_kind is None:
            report.problems.append(f"会员“{name}”没有任何会籍变动记录（应至少有入会记录）")
        elif STATUS_AFTER[EventKind(last_kind)] != status:
            report.problems.append(f"会员“{name}”的会籍状态“{status}”与最后一次变动“{kind}”不符")

    report.checked.append("身份证号校验位")
    for name, number in session.execute(
        select(Member.name, Member.id_number).where(
            Member.id_type == "居民身份证", Member.id_number.is_not(None)
        )
    ):
        try:
            parse_id_number(number)
        except IdNumberError as exc:
            report.problems.append(f"会员“{name}”的身份证号 {number}：{exc}")

    from app.services.dues import reconcile  # the dues area owns its own sums

    report.checked.append("会费：实缴合计、各会员余额、每笔应缴都属于当月的缴费会员")
    report.problems.extend(reconcile(session))
    return report
