"""`uniondesk check` and 设置 → 数据检查: the file's integrity, references between records,
money stored as integers, record consistency, and the reconciliation of the dues, care and
activity books. Every finding is a sentence in plain Chinese."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Integer, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.db import damaged_text, tolerant_text
from app.domain.idcard import IdNumberError, parse_id_number
from app.domain.members import STATUS_AFTER, EventKind
from app.models import Base, Member, MembershipEvent
from app.services.progress import NO_PROGRESS, Progress

if TYPE_CHECKING:
    from app.services.activities import Tree

WHAT_TO_DO = (
    "如果这些问题是在断电、死机或程序异常退出之后出现的，请在“设置 → 备份与恢复”中恢复最近一次的备份"
    "（命令行：uniondesk restore 备份文件）；不确定怎么办时，请把这份检查结果发给技术支持。"
)


@dataclass
class CheckItem:
    """One thing checked, and what it found wrong (nothing when all is well)."""

    title: str
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class CheckReport:
    items: list[CheckItem] = field(default_factory=list)

    @property
    def checked(self) -> list[str]:
        return [item.title for item in self.items]

    @property
    def problems(self) -> list[str]:
        return [problem for item in self.items for problem in item.problems]

    @property
    def ok(self) -> bool:
        return all(item.ok for item in self.items)

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "problem_count": len(self.problems),
            "checks": [{"name": i.title, "ok": i.ok, "problems": i.problems} for i in self.items],
        }


def _money_columns() -> list[tuple[str, str]]:
    """Every integer column named *_fen: money, which must never be stored as a float."""
    return [
        (table.name, column.name)
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if column.name.endswith("_fen") and isinstance(column.type, Integer)
    ]


def _table_label(table: str) -> str:
    """“会员（表 members）”: the words the user knows, and the name support looks for."""
    known = Base.metadata.tables.get(table)
    label = known.info.get("label") if known is not None else None
    return f"{label}（表 {table}）" if label else f"表 {table}"


def run_checks(session: Session, progress: Progress = NO_PROGRESS) -> CheckReport:
    """Every check, on a file that may be damaged: text that is not valid UTF-8 is
    reported, and read with a replacement character by the checks after it; a check that
    SQLite cannot finish is reported as such and the others still run. ``progress`` hears
    of each check before it runs (and may cancel between two)."""
    report = CheckReport()
    with tolerant_text(session):
        for number, (title, check) in enumerate(CHECKS):
            progress.step(number, len(CHECKS), f"正在检查：{title}")
            item = CheckItem(title)
            report.items.append(item)
            try:
                item.problems.extend(check(session))
            except (DBAPIError, sqlite3.DatabaseError) as exc:
                reason = getattr(exc, "orig", None) or exc
                item.problems.append(f"这项检查无法完成，账套文件可能已损坏（SQLite：{reason}）")
        progress.step(len(CHECKS), len(CHECKS), "检查完成")
    return report


def _integrity(session: Session) -> list[str]:
    integrity = [r[0] for r in session.execute(text("PRAGMA integrity_check")).all()]
    if integrity == ["ok"]:
        return []
    return [f"数据库文件损坏：{line}" for line in integrity[:20]]


def _encoding(session: Session) -> list[str]:
    return [
        f"{_table_label(damaged.table)}中 id 为 {damaged.row_id} 的记录，"
        f"{damaged.column} 列的文字已损坏（不是有效的 UTF-8 编码），无法正常显示"
        for damaged in damaged_text(session)
    ]


def _references(session: Session) -> list[str]:
    """PRAGMA foreign_key_check, one line per table and missing kind of record."""
    from collections import defaultdict

    missing: defaultdict[tuple[str, str, int], list[int]] = defaultdict(list)
    for table, rowid, parent, fk in session.execute(text("PRAGMA foreign_key_check")).all():
        missing[(table, parent, fk)].append(rowid)
    problems = []
    for (table, parent, fk), rows in missing.items():
        columns = {r[0]: r[3] for r in session.execute(text(f'PRAGMA foreign_key_list("{table}")')).all()}
        known = Base.metadata.tables.get(parent)
        what = (known.info.get("label") if known is not None else None) or "记录"
        column = f"{columns[fk]} 列" if fk in columns else "引用"
        shown = "、".join(str(r) for r in rows[:5]) + ("等" if len(rows) > 5 else "")
        problems.append(
            f"{_table_label(table)}中有 {len(rows)} 条记录（id 为 {shown}）引用的{what}已不存在"
            f"（{column}指向表 {parent}）"
        )
    return problems


def _money(session: Session) -> list[str]:
    problems = []
    for table, column in _money_columns():
        bad = session.execute(
            text(f"SELECT count(*) FROM \"{table}\" WHERE typeof(\"{column}\") NOT IN ('integer', 'null')")
        ).scalar_one()
        if bad:
            problems.append(f"{_table_label(table)}的金额列 {column} 有 {bad} 个值不是整数分")
    return problems


def _statuses(session: Session) -> list[str]:
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
    problems = []
    for name, status, kind in rows:
        last_kind: str | None = kind  # None when the outer join found no event
        if last_kind is None:
            problems.append(f"会员“{name}”没有任何会籍变动记录（应至少有入会记录）")
        elif STATUS_AFTER[EventKind(last_kind)] != status:
            problems.append(f"会员“{name}”的会籍状态“{status}”与最后一次变动“{kind}”不符")
    return problems


def _id_numbers(session: Session) -> list[str]:
    problems = []
    for name, number in session.execute(
        select(Member.name, Member.id_number).where(
            Member.id_type == "居民身份证", Member.id_number.is_not(None)
        )
    ):
        try:
            parse_id_number(number)
        except IdNumberError as exc:
            problems.append(f"会员“{name}”的身份证号 {number}：{exc}")
    return problems


def _care(session: Session) -> list[str]:
    from app.services.system.care_checks import reconcile_care

    return reconcile_care(session)


def _dues(session: Session) -> list[str]:
    from app.services.dues import reconcile  # the dues area owns its own sums

    return reconcile(session)


def _activities(session: Session) -> list[str]:
    return _reconcile_activities(session)


CHECKS: list[tuple[str, Callable[[Session], list[str]]]] = [
    ("账套文件完好，没有损坏", _integrity),
    ("文字都能正常显示", _encoding),
    ("各项记录能互相对上（没有指向已删除的会员、分组等的记录）", _references),
    ("金额都精确到分，没有多余的小数", _money),
    ("会籍状态与会籍变动记录一致", _statuses),
    ("身份证号校验位", _id_numbers),
    (
        "经费：各年各科目的已支出 = 活动支出 + 计入该科目的慰问支出；支出未记入收入科目；每种慰问事由都有支出科目",
        _activities,
    ),
    (
        "慰问：每次集中发放都有它的发放记录，发放记录都属于一次集中发放；在档的困难职工在名册中都标为困难职工",
        _care,
    ),
    ("会费：实缴合计、每笔应缴的已缴金额与缴费记录一致、各会员余额、每笔应缴都属于当月的缴费会员", _dues),
]


def _reconcile_activities(session: Session) -> list[str]:
    """The budget table's spent figures against sums taken straight from the tables, per
    year and top line; expenses (and budget lines) booked to an income category; care
    occasions that count against no category."""
    from collections import defaultdict

    from app.domain.care import Occasion
    from app.domain.money import format_fen
    from app.models import (
        Activity,
        ActivityBudgetItem,
        ActivityExpense,
        BudgetCategory,
        CareCategory,
        CareRecord,
    )
    from app.services.activities import budget_table, load_tree

    problems: list[str] = []
    tree = load_tree(session)
    broken_tree = _tree_problems(session, tree)
    problems.extend(broken_tree)
    mapping = dict(session.execute(select(CareCategory.occasion, CareCategory.category_id)).all())
    for occasion in Occasion:
        category = tree.by_id.get(mapping[occasion.value]) if occasion.value in mapping else None
        if category is None:
            problems.append(
                f"慰问事由“{occasion.value}”没有对应的支出科目，这类慰问不计入预算执行（用 budget care-map 设定）"
            )
        elif category.kind != "支出":
            problems.append(f"慰问事由“{occasion.value}”对应的是收入科目“{category.label}”，应为支出科目")
    for model, what in ((ActivityExpense, "支出"), (ActivityBudgetItem, "预算")):
        for row_id, activity_name, code, name in session.execute(
            select(model.id, Activity.name, BudgetCategory.code, BudgetCategory.name)
            .join(Activity, Activity.id == model.activity_id)
            .join(BudgetCategory, BudgetCategory.id == model.category_id)
            .where(BudgetCategory.kind != "支出")
        ):
            problems.append(
                f"活动“{activity_name}”的{what}（编号 {row_id}）记在了收入科目“{code} {name}”下，应记入支出科目"
            )

    if broken_tree:
        problems.append("收支科目树有误，未核对各年各科目的已支出")
        return problems
    year_of = func.cast(func.strftime("%Y", ActivityExpense.day), Integer)
    activity: dict[tuple[int, int], int] = defaultdict(int)  # (year, top line) → fen
    for year, category_id, amount in session.execute(
        select(year_of, ActivityExpense.category_id, func.sum(ActivityExpense.amount_fen)).group_by(
            year_of, ActivityExpense.category_id
        )
    ):
        if category_id in tree.by_id and tree.by_id[category_id].kind == "支出":
            activity[(int(year), tree.top(category_id).id)] += int(amount)
    years = {int(y) for (y,) in session.execute(select(year_of).distinct())}
    care_year = func.cast(func.strftime("%Y", CareRecord.day), Integer)
    care: dict[tuple[int, int], int] = defaultdict(int)
    for year, occasion, amount in session.execute(
        select(care_year, CareRecord.occasion, func.sum(CareRecord.cash_fen + CareRecord.goods_fen)).group_by(
            care_year, CareRecord.occasion
        )
    ):
        years.add(int(year))
        category_id = mapping.get(occasion)
        if category_id in tree.by_id and tree.by_id[category_id].kind == "支出":
            care[(int(year), tree.top(category_id).id)] += int(amount)
    for year in sorted(years):
        table = budget_table(session, year)
        for row in table.spending:
            if row.category.depth:
                continue
            key = (year, row.category.id)
            direct = (activity.get(key, 0), care.get(key, 0))
            if (row.activity_fen, row.care_fen) != direct or row.spent_fen != sum(direct):
                problems.append(
                    f"{year}年“{row.category.label}”的已支出 {format_fen(row.spent_fen)} 元（活动 "
                    f"{format_fen(row.activity_fen)} 元、慰问 {format_fen(row.care_fen)} 元）与明细合计 "
                    f"{format_fen(sum(direct))} 元（活动 {format_fen(direct[0])} 元、慰问 {format_fen(direct[1])} 元）不符"
                )
        expected = sum(v for (y, _), v in activity.items() if y == year) + sum(
            v for (y, _), v in care.items() if y == year
        )
        if table.spent_fen != expected:
            problems.append(
                f"{year}年预算执行表的已支出合计 {format_fen(table.spent_fen)} 元与活动支出加慰问支出的合计 "
                f"{format_fen(expected)} 元不符"
            )
    return problems


def _tree_problems(session: Session, tree: Tree) -> list[str]:
    """A sub-category of another kind than its parent, or one the tree cannot reach."""
    from app.models import BudgetCategory

    rows = {row.id: row for row in session.scalars(select(BudgetCategory))}
    problems: list[str] = []
    for row in rows.values():
        parent = rows.get(row.parent_id) if row.parent_id is not None else None
        if parent is not None and parent.kind != row.kind:
            problems.append(
                f"科目“{row.code} {row.name}”是{row.kind}科目，却列在{parent.kind}科目“{parent.code} {parent.name}”之下"
            )
        elif row.id not in tree.by_id and (row.parent_id is None or parent is not None):
            problems.append(f"科目“{row.code} {row.name}”的上级科目互相嵌套，不在科目树中")
    return problems
