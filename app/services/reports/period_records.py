"""The records behind each figure of a period report (the on-screen drill-down and
`uniondesk report records`): their count, 人次 or sum is the figure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.budget import percent
from app.domain.money import format_fen
from app.domain.yearmonth import YearMonth
from app.models import DuesCharge, DuesPayment, Member, MembershipEvent
from app.services.errors import UserError
from app.services.reports.period import (
    _AID,
    _MOVES,
    _SCHOOL_AID,
    _WARMTH,
    PeriodReport,
    RecordList,
    _held_on,
    _history,
    _moved,
    _top_budgets,
    is_held,
)

_MEMBER_COLUMNS = ["姓名", "性别", "农民工", "所在分组", "日期", "会籍变动", "原因"]


def _yuan(fen: int) -> str:
    return format_fen(fen)


def _people(rows: list[list[str]], title: str, columns: list[str] | None = None) -> RecordList:
    return RecordList(title, columns or _MEMBER_COLUMNS, rows, f"共 {len(rows)} 人", len(rows))


def _money(title: str, columns: list[str], rows: list[list[str]], fen: int, what: str = "条") -> RecordList:
    return RecordList(title, columns, rows, f"共 {len(rows)} {what}，合计 {_yuan(fen)} 元", fen)


def _group_paths(session: Session) -> dict[int, str]:
    from app.services.roster import list_groups

    return {g.id: g.path for g in list_groups(session)}


# ---------------------------------------------------------------- 会员


def _members_on(session: Session, day: date, *, hardship_only: bool = False) -> list[list[str]]:
    """Members counted on ``day`` (在会 or 保留会籍 then), with the event that made it so."""
    history = _history(day)
    query = (
        select(Member.name, Member.gender, Member.is_migrant_worker, Member.group_id, history.c.day,
               history.c.kind, history.c.status)
        .select_from(history)
        .join(Member, Member.id == history.c.member_id)
        .where(_held_on(history, day))
        .order_by(Member.pinyin_full, Member.id)
    )  # fmt: skip
    if hardship_only:
        query = query.where(Member.is_hardship.is_(True))
    paths = _group_paths(session)
    return [
        [
            name,
            gender,
            "是" if migrant else "",
            paths.get(group or 0, ""),
            str(when),
            f"{kind}（{status}）",
            "",
        ]
        for name, gender, migrant, group, when, kind, status in session.execute(query)
    ]


def _members_moved(session: Session, key: str, first: date, last: date) -> list[list[str]]:
    kinds = next(k for found, _, k, _ in _MOVES if found == key)
    history = _history(last)
    query = (
        select(Member.name, Member.gender, Member.is_migrant_worker, Member.group_id, history.c.day,
               history.c.kind, MembershipEvent.reason)
        .select_from(history)
        .join(Member, Member.id == history.c.member_id)
        .join(MembershipEvent, MembershipEvent.id == history.c.event_id)
        .where(history.c.day >= first, history.c.day <= last, _moved(history, kinds))
        .order_by(history.c.day, Member.pinyin_full)
    )  # fmt: skip
    paths = _group_paths(session)
    return [
        [name, gender, "是" if migrant else "", paths.get(group or 0, ""), str(when), kind, reason]
        for name, gender, migrant, group, when, kind, reason in session.execute(query)
    ]


# ---------------------------------------------------------------- 会费


def _dues(session: Session, key: str, first: date, last: date, title: str) -> RecordList:
    if key == "dues.paid":
        return _dues_paid(session, first, last, title)
    if key == "dues.rate":
        return _dues_rate(session, first, last, title)
    paths = _group_paths(session)
    months = (DuesCharge.month >= first.replace(day=1), DuesCharge.month <= last.replace(day=1))
    owed = DuesCharge.due_fen - DuesCharge.paid_fen
    query = (
        select(Member.name, Member.id_number, Member.group_id, func.count(), func.sum(DuesCharge.due_fen),
               func.sum(DuesCharge.paid_fen), func.sum(owed))
        .join(Member, Member.id == DuesCharge.member_id)
        .where(*months)
        .group_by(DuesCharge.member_id)
        .order_by(Member.pinyin_full, Member.id)
    )  # fmt: skip
    if key == "dues.arrears":
        query = query.where(DuesCharge.paid_fen < DuesCharge.due_fen)
    rows: list[list[str]] = []
    total = 0
    for name, number, group, count, due, paid, lacking in session.execute(query):
        rows.append([name, number or "", paths.get(group or 0, ""), str(count), _yuan(int(due)), _yuan(int(paid)),
                     _yuan(int(lacking))])  # fmt: skip
        total += int(lacking) if key == "dues.arrears" else int(due)
    columns = ["姓名", "身份证号", "所在分组", "月数", "应缴（元）", "已缴（元）", "欠缴（元）"]
    return _money(title, columns, rows, total, "人")


def _dues_paid(session: Session, first: date, last: date, title: str) -> RecordList:
    paths = _group_paths(session)
    rows: list[list[str]] = []
    total = 0
    query = (
        select(DuesPayment.paid_on, Member.name, Member.group_id, DuesPayment.amount_fen, DuesPayment.method,
               DuesPayment.receipt_no)
        .join(Member, Member.id == DuesPayment.member_id)
        .where(DuesPayment.paid_on >= first, DuesPayment.paid_on <= last)
        .order_by(DuesPayment.paid_on, DuesPayment.id)
    )  # fmt: skip
    for day, name, group, fen, method, receipt in session.execute(query):
        rows.append([str(day), name, paths.get(group or 0, ""), _yuan(fen), method, receipt])
        total += fen
    return _money(title, ["缴费日期", "姓名", "所在分组", "金额（元）", "方式", "收据号"], rows, total, "笔")


def _dues_rate(session: Session, first: date, last: date, title: str) -> RecordList:
    from app.domain.dues import Period
    from app.services.dues import summarize

    summary = summarize(session, Period(_month_of(first), _month_of(last), ""))
    rows = [
        [m.month.chinese(), _yuan(m.totals.due_fen), _yuan(m.totals.paid_fen),
         _rate(percent(m.totals.paid_fen, m.totals.due_fen))]
        for m in summary.months
    ]  # fmt: skip
    t = summary.totals
    total = f"合计：应缴 {_yuan(t.due_fen)} 元，实缴 {_yuan(t.paid_fen)} 元，收缴率 {_rate(percent(t.paid_fen, t.due_fen))}"
    return RecordList(title, ["月份", "应缴（元）", "实缴（元）", "收缴率"], rows, total, None)


def _month_of(day: date) -> YearMonth:
    return YearMonth.of(day)


def _rate(value: Any) -> str:
    return "—" if value is None else f"{value}%"


# ---------------------------------------------------------------- 慰问、帮扶


def _care(session: Session, first: date, last: date, title: str, *, occasions: Sequence[str] | None,
          amount: bool, over_cap: bool = False, waiting: bool = False) -> RecordList:  # fmt: skip
    from app.services.care import list_care

    found = list_care(session, first=first, last=last, over_cap_only=over_cap)
    if occasions is not None:
        found = [r for r in found if r.occasion in occasions]
    if waiting:
        found = [r for r in found if r.awaiting_reason]
    rows = [
        [str(r.day), r.recipient, r.group, r.what, _yuan(r.cash_fen), r.goods, _yuan(r.amount_fen), r.over_cap,
         r.reason]
        for r in found
    ]  # fmt: skip
    columns = [
        "日期",
        "慰问对象",
        "所在分组",
        "事由",
        "慰问金（元）",
        "慰问品",
        "金额（元）",
        "超过标准",
        "原因",
    ]
    fen = sum(r.amount_fen for r in found)
    if amount:
        return _money(title, columns, rows, fen, "人次")
    return RecordList(title, columns, rows, f"共 {len(rows)} 人次，合计 {_yuan(fen)} 元", len(rows))


def _hardship_files(session: Session, first: date, last: date, title: str, *, opened: bool) -> RecordList:
    from app.services.care import list_files

    found = [
        f
        for f in list_files(session, status="全部")
        if (first <= f.opened_on <= last if opened else f.opened_on <= last)
        and (opened or f.closed_on is None or f.closed_on > last)
    ]
    rows = [
        [f.name, f.group, f.category, f.main_cause, str(f.household_size), str(f.opened_on),
         str(f.closed_on or ""), f.close_reason]
        for f in found
    ]  # fmt: skip
    columns = [
        "困难职工",
        "所在分组",
        "困难类别",
        "主要致困原因",
        "家庭人口",
        "建档日期",
        "结案日期",
        "结案原因",
    ]
    return RecordList(title, columns, rows, f"共 {len(rows)} 户", len(rows))


# ---------------------------------------------------------------- 活动与经费


def _activities(
    session: Session, first: date, last: date, title: str, *, heads: bool, today: date
) -> RecordList:
    """The activities held (``is_held``) from ``first`` to ``last``."""
    from app.services.activities import list_activities

    found = [
        a for a in list_activities(session) if first <= a.start and is_held(a.status, a.start, last, today)
    ]
    rows = [
        [str(a.start), a.name, a.kind, a.status, str(a.participants), _yuan(a.budget_fen), _yuan(a.spent_fen)]
        for a in found
    ]
    columns = ["开始日期", "活动", "类型", "状态", "参加人数", "预算（元）", "已支出（元）"]
    people = sum(a.participants for a in found)
    if heads:
        return RecordList(title, columns, rows, f"共 {len(rows)} 次，参加 {people} 人次", people)
    return RecordList(title, columns, rows, f"共 {len(rows)} 次，参加 {people} 人次", len(rows))


def _spent(
    session: Session, first: date, last: date, title: str, category_ids: set[int] | None
) -> RecordList:
    """Activity expenses (and, for a category, the care booked to it) in the days."""
    from app.services.activities import care_categories, list_expenses
    from app.services.care import list_care

    expenses = [
        e
        for e in list_expenses(
            session, category_ids=sorted(category_ids) if category_ids is not None else None
        )
        if first <= e.day <= last
    ]
    rows = [[str(e.day), "活动支出", e.activity, e.item, e.category, _yuan(e.amount_fen)] for e in expenses]
    total = sum(e.amount_fen for e in expenses)
    if category_ids is not None:
        mapping = care_categories(session)
        occasions = {o for o, c in mapping.items() if c in category_ids}
        for r in list_care(session, first=first, last=last):
            if r.occasion in occasions:
                rows.append([str(r.day), "慰问", r.recipient, r.what, "", _yuan(r.amount_fen)])
                total += r.amount_fen
        rows.sort(key=lambda row: row[0])
    return _money(title, ["日期", "类别", "活动 / 慰问对象", "内容", "科目", "金额（元）"], rows, total, "笔")


def _budget(session: Session, year: int, title: str, code: str | None) -> RecordList:
    from app.services.activities import budget_lines, load_tree

    tree = load_tree(session)
    lines = budget_lines(session, year)
    budgets = _top_budgets(session, year, tree)
    wanted = {c.id for c in tree.items if c.depth == 0 and c.kind == "支出"}
    if code is not None:
        wanted = set(tree.below(tree.by_code[code].id))
    rows = [
        [c.code, "　" * c.depth + c.name, _yuan(lines[c.id]) if c.id in lines else "未编预算"]
        for c in tree.items
        if c.id in wanted and (c.id in lines or c.depth == 0)
    ]
    top = [c for c in wanted if c in budgets]
    total = sum(budgets[c] or 0 for c in top)
    if code is not None:
        total = budgets.get(tree.by_code[code].id) or 0
    return _money(title, ["科目编码", "科目", "预算数（元）"], rows, total, "行")


def _rate_by_category(session: Session, report: PeriodReport, title: str, ytd: bool) -> RecordList:
    rows = []
    section = report.section("activities")
    for f in section.figures:
        if f.key.startswith("budget.") and f.key.endswith(".spent") and f.key.count(".") == 2:
            code = f.key.split(".")[1]
            budget = report.figure(f"budget.{code}.budget").year_to_date
            spent = f.year_to_date if ytd else f.period
            assert isinstance(spent, int)
            share = percent(spent, budget if isinstance(budget, int) else None)
            rows.append([f.label.removesuffix("（支出）"), _yuan(budget) if isinstance(budget, int) else "未编预算",
                         _yuan(spent), _rate(share)])  # fmt: skip
    rate = report.figure("budget.rate")
    value = rate.year_to_date if ytd else rate.period
    return RecordList(
        title, ["科目", "全年预算（元）", "支出（元）", "执行率"], rows, f"执行率 {_rate(value)}", None
    )


# ---------------------------------------------------------------- dispatch


def records_for(
    session: Session, report: PeriodReport, key: str, *, year_to_date: bool = False
) -> RecordList:
    try:
        figure = report.figure(key)
    except KeyError:
        raise UserError(f"报表中没有“{key}”这个数字") from None
    if not year_to_date and figure.period is None and figure.year_to_date is not None:
        # the year's budget and its 执行率 outside a period from January: shown as —, as on screen
        raise UserError(
            f"“{figure.label}”在{report.label}不适用（预算是全年的），没有本期的明细；本年累计的明细请加 --ytd"
        )
    first = report.year_start if year_to_date else report.start
    last = report.end
    column = "本年累计" if year_to_date else "本期"
    title = f"{report.label}{column}：{figure.label}"
    if key == "members.opening":
        day = (report.year_start if year_to_date else report.start) - timedelta(days=1)
        return _people(_members_on(session, day), title)
    if key == "members.closing":
        return _people(_members_on(session, last), title)
    if key == "hardship.members":
        return _people(_members_on(session, last, hardship_only=True), title)
    if key.startswith("members."):
        return _people(_members_moved(session, key, first, last), title)
    if key.startswith("dues."):
        return _dues(session, key, first, last, title)
    parts = key.split(".")
    if parts[0] == "care":
        if parts[1] == "over_cap":
            return _care(session, first, last, title, occasions=None, amount=parts[2] == "amount", over_cap=True,
                         waiting=parts[2] == "unexplained")  # fmt: skip
        occasions = None if len(parts) == 2 else [parts[1]]
        return _care(session, first, last, title, occasions=occasions, amount=parts[-1] == "amount")
    if parts[0] == "hardship":
        if parts[1] in ("files", "opened"):
            return _hardship_files(session, first, last, title, opened=parts[1] == "opened")
        occasions = {"aid": list(_AID), "school_aid": [_SCHOOL_AID], "warmth": [_WARMTH]}[parts[1]]
        return _care(session, first, last, title, occasions=occasions, amount=parts[2] == "amount")
    if parts[0] == "activities":
        if parts[1] == "spent":
            return _spent(session, first, last, title, None)
        today = report.made_on or date.today()
        return _activities(session, first, last, title, heads=parts[1] == "participants", today=today)
    if parts[0] == "income":
        return _income(session, first, last, title, None if key == "income.received" else parts[1])
    if parts[0] == "budget":
        year = report.last.year
        if key == "budget.rate":
            return _rate_by_category(session, report, title, year_to_date)
        if key == "budget.budget":
            return _budget(session, year, f"{year}年支出预算", None)
        if key == "budget.spent":
            return _spent(session, first, last, title, _spending_ids(session))
        if parts[2] == "budget":
            return _budget(session, year, f"{year}年预算：{figure.label}", parts[1])
        from app.services.activities import load_tree

        tree = load_tree(session)
        return _spent(session, first, last, title, set(tree.below(tree.by_code[parts[1]].id)))
    raise UserError(f"“{key}”这个数字没有可列出的记录")


def _income(session: Session, first: date, last: date, title: str, code: str | None) -> RecordList:
    """One income line's records (会费收入: the dues payments; another: the income entered under
    it and its sub-lines), or, for the total, each line's sum."""
    from app.services.activities import DUES_CODE, income_received, list_income, load_tree

    if code == DUES_CODE:
        return _dues_paid(session, first, last, title)
    if code is None:
        lines = income_received(session, first, last)
        rows = [[c.code, c.name, _yuan(fen)] for c, fen in lines]
        return _money(title, ["科目编码", "科目", "金额（元）"], rows, sum(fen for _c, fen in lines), "项")
    tree = load_tree(session)
    wanted = set(tree.below(tree.by_code[code].id))
    entered = [
        i for year in range(first.year, last.year + 1) for i in list_income(session, year, sorted(wanted))
        if first <= i.day <= last
    ]  # fmt: skip
    rows = [[str(i.day), i.category, i.source, _yuan(i.amount_fen), i.note] for i in entered]
    total = sum(i.amount_fen for i in entered)
    return _money(title, ["日期", "科目", "来源", "金额（元）", "备注"], rows, total, "笔")


def _spending_ids(session: Session) -> set[int]:
    from app.services.activities import load_tree

    return {c.id for c in load_tree(session).items if c.kind == "支出"}
