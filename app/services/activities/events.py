"""Activities (活动): their plan, budget lines, participants and actual expenses, each line
checked against the activity limits; over a limit only with a written reason, flagged after."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.activities import (
    COMMITTING,
    NEXT_STATUS,
    Kind,
    Line,
    Status,
    check_activity,
    check_line,
    participant_warning,
)
from app.domain.care import IMPORTED_REASON
from app.domain.money import MAX_AMOUNT_FEN
from app.domain.text import clean_text, too_long
from app.models import (
    Activity,
    ActivityBudgetItem,
    ActivityExpense,
    ActivityParticipant,
    BudgetCategory,
    Member,
)
from app.services.activities.limits import load_limits
from app.services.errors import NotFoundError, UserError, ValidationError

LABELS = {
    "name": "活动名称", "kind": "活动类型", "start": "开始日期", "end": "结束日期", "place": "地点",
    "organiser": "组织者", "headcount": "参加人数", "note": "备注", "reason": "超标准原因",
    "item": "项目", "category": "科目", "amount": "金额", "payee": "收款方", "invoice_no": "发票号",
    "paid_by": "经办人", "day": "日期", "heads": "人数", "per_head": "人均",
}  # fmt: skip
_LIMITS = {"name": 80, "place": 80, "organiser": 40, "note": 400, "reason": 200}


@dataclass(frozen=True)
class ActivityInput:
    name: str
    kind: Kind
    start: date
    end: date | None = None
    place: str = ""
    organiser: str = ""
    headcount: int | None = None  # 参加人数 when names are not kept
    note: str = ""
    reason: str = ""  # required when the activity itself is over a limit (an outing's days, per head)


@dataclass(frozen=True)
class ItemInput:
    """A budget line: an amount, or per head × heads."""

    item: str
    category_id: int
    amount_fen: int = 0
    per_head_fen: int | None = None
    heads: int | None = None
    reason: str = ""

    @property
    def total_fen(self) -> int:
        if self.per_head_fen is not None and self.heads is not None:
            return self.per_head_fen * self.heads
        return self.amount_fen


@dataclass(frozen=True)
class ExpenseInput:
    day: date
    item: str
    category_id: int
    amount_fen: int
    payee: str = ""
    invoice_no: str = ""
    paid_by: str = ""
    note: str = ""
    reason: str = ""


@dataclass(frozen=True)
class ActivityRow:
    """One activity in the list."""

    id: int
    name: str
    kind: str
    start: date
    end: date | None
    status: str
    place: str
    organiser: str
    participants: int  # named participants, else the headcount
    budget_fen: int
    spent_fen: int
    over_limit: bool  # the activity or any of its lines
    awaiting_reason: bool  # over a limit and nobody has written why (imported)

    @property
    def variance_fen(self) -> int:
        """Spent minus budget: above 0 is over budget."""
        return self.spent_fen - self.budget_fen


@dataclass(frozen=True)
class ItemInfo:
    id: int
    item: str
    category_id: int
    category: str  # 50102 文体活动费
    amount_fen: int
    per_head_fen: int | None
    heads: int | None
    over_limit: str
    reason: str


@dataclass(frozen=True)
class ExpenseInfo:
    id: int
    activity_id: int
    activity: str
    day: date
    item: str
    category_id: int
    category: str
    amount_fen: int
    payee: str
    invoice_no: str
    paid_by: str
    note: str
    over_limit: str
    reason: str
    source: str


@dataclass(frozen=True)
class Participant:
    member_id: int
    name: str
    group: str


@dataclass(frozen=True)
class VarianceLine:
    """Budget against actual for one category of an activity."""

    category_id: int
    category: str
    budget_fen: int
    spent_fen: int

    @property
    def variance_fen(self) -> int:
        return self.spent_fen - self.budget_fen


@dataclass(frozen=True)
class ActivityDetail:
    row: ActivityRow
    headcount: int | None
    note: str
    over_limit: str  # the activity's own limits exceeded
    reason: str
    source: str
    items: list[ItemInfo] = field(default_factory=list)
    expenses: list[ExpenseInfo] = field(default_factory=list)
    participants: list[Participant] = field(default_factory=list)
    variance: list[VarianceLine] = field(default_factory=list)


def _activity(session: Session, activity_id: int) -> Activity:
    row = session.get(Activity, activity_id)
    if row is None:
        raise NotFoundError(f"没有编号为 {activity_id} 的活动")
    return row


def _text(values: dict[str, str]) -> dict[str, str]:
    cleaned = {key: clean_text(value) for key, value in values.items()}
    problems = {
        key: message
        for key, value in cleaned.items()
        if key in _LIMITS and (message := too_long(LABELS[key], value, _LIMITS[key]))
    }
    if problems:
        raise ValidationError(problems, LABELS)
    return cleaned


def _check_input(data: ActivityInput) -> dict[str, str]:
    values = _text({"name": data.name, "place": data.place, "organiser": data.organiser, "note": data.note,
                    "reason": data.reason})  # fmt: skip
    if not values["name"]:
        raise ValidationError({"name": "请填写活动名称"}, LABELS)
    if data.end is not None and data.end < data.start:
        raise ValidationError({"end": "结束日期不能早于开始日期"}, LABELS)
    if data.headcount is not None and not 0 <= data.headcount <= 1_000_000:
        raise ValidationError({"headcount": "参加人数不对"}, LABELS)
    return values


def create_activity(session: Session, data: ActivityInput, *, source: str = "手工") -> int:
    values = _check_input(data)
    row = Activity(name=values["name"], kind=data.kind.value, start=data.start, end=data.end, place=values["place"],
                   organiser=values["organiser"], headcount=data.headcount, note=values["note"],
                   status=Status.PLANNED.value, source=source)  # fmt: skip
    session.add(row)
    session.flush()
    _recheck_activity(session, row, values["reason"], imported=source == "导入")
    return row.id


def update_activity(session: Session, activity_id: int, data: ActivityInput) -> None:
    row = _activity(session, activity_id)
    values = _check_input(data)
    row.name, row.kind, row.start, row.end = values["name"], data.kind.value, data.start, data.end
    row.place, row.organiser, row.headcount, row.note = (
        values["place"], values["organiser"], data.headcount, values["note"],
    )  # fmt: skip
    session.flush()
    _recheck_activity(session, row, values["reason"] or row.reason)


def set_status(session: Session, activity_id: int, status: Status) -> None:
    row = _activity(session, activity_id)
    current = Status(row.status)
    if status == current:
        return
    if status not in NEXT_STATUS[current]:
        allowed = "、".join(s.value for s in NEXT_STATUS[current])
        raise UserError(f"“{current.value}”的活动只能改为：{allowed}")
    row.status = status.value
    session.flush()


def delete_activity(session: Session, activity_id: int) -> str:
    """Remove an activity with its lines, participants and expenses (the audit log keeps them);
    returns its name."""
    row = _activity(session, activity_id)
    for model in (ActivityBudgetItem, ActivityExpense, ActivityParticipant):
        for child in session.scalars(select(model).where(model.activity_id == activity_id)):
            session.delete(child)
    session.flush()  # the lines first: the unit of work does not know they hang on the activity
    name = row.name
    session.delete(row)
    session.flush()
    return name


def participant_count(session: Session, activity: Activity) -> int:
    named = session.scalar(
        select(func.count())
        .select_from(ActivityParticipant)
        .where(ActivityParticipant.activity_id == activity.id)
    )
    return int(named or 0) or (activity.headcount or 0)


def _category(session: Session, category_id: int) -> BudgetCategory:
    category = session.get(BudgetCategory, category_id)
    if category is None or category.kind != "支出":
        raise ValidationError({"category": "请选择支出科目"}, LABELS)
    return category


def set_budget_items(session: Session, activity_id: int, items: Sequence[ItemInput]) -> None:
    """The activity's budget, line by line (replacing the lines it had)."""
    activity = _activity(session, activity_id)
    limits = load_limits(session)
    participants = participant_count(session, activity)
    for old in session.scalars(
        select(ActivityBudgetItem).where(ActivityBudgetItem.activity_id == activity_id)
    ):
        session.delete(old)
    for number, data in enumerate(items, start=1):
        values = _text({"item": data.item, "reason": data.reason})
        if not values["item"]:
            raise UserError(f"第 {number} 行：请填写预算项目")
        if len(values["item"]) > 80:
            raise UserError(f"第 {number} 行：项目名称太长（最多 80 个字）")
        _category(session, data.category_id)
        total = data.total_fen
        if not 0 <= total <= MAX_AMOUNT_FEN:
            raise UserError(f"第 {number} 行“{values['item']}”：金额超出范围")
        if data.heads is not None and data.heads < 0:
            raise UserError(f"第 {number} 行：人数不能是负数")
        over = "；".join(
            check_line(Line(values["item"], total, data.heads), participants, activity.start, limits)
        )
        if over and not values["reason"]:
            raise UserError(f"第 {number} 行“{values['item']}”超过标准，须写明原因：{over}")
        session.add(ActivityBudgetItem(
            activity_id=activity_id, item=values["item"], category_id=data.category_id, amount_fen=total,
            per_head_fen=data.per_head_fen, heads=data.heads, over_limit=over[:400],
            reason=values["reason"] if over else "",
        ))  # fmt: skip
    session.flush()
    _recheck_activity(session, activity, activity.reason)


def set_participants(session: Session, activity_id: int, member_ids: Sequence[int]) -> None:
    """Who took part (replacing the list it had)."""
    _activity(session, activity_id)
    wanted = set(member_ids)
    known = set(session.scalars(select(Member.id).where(Member.id.in_(wanted)))) if wanted else set()
    if wanted - known:
        raise NotFoundError("所选会员中有人已不在名册中，请重新选择")
    current = {p.member_id: p for p in session.scalars(
        select(ActivityParticipant).where(ActivityParticipant.activity_id == activity_id))}  # fmt: skip
    for member_id, row in current.items():
        if member_id not in wanted:
            session.delete(row)
    for member_id in sorted(wanted - set(current)):
        session.add(ActivityParticipant(activity_id=activity_id, member_id=member_id))
    session.flush()


def participant_warnings(session: Session, start: date, member_ids: Sequence[int]) -> list[str]:
    """One line for each of ``member_ids`` who was not a member on ``start``, the activity's
    first day: kept on the list, since the secretary may know better, but said, as for a
    慰问 — a list entered months later is easily taken from today's roster."""
    from app.services.roster import membership_histories

    wanted = set(member_ids)
    if not wanted:
        return []
    histories = membership_histories(session, wanted)
    names = session.execute(select(Member.id, Member.name).where(Member.id.in_(wanted))).all()
    warnings = (participant_warning(name, histories.get(member_id, []), start) for member_id, name in names)
    return sorted(filter(None, warnings))


def _expense_values(
    session: Session, activity: Activity, data: ExpenseInput, participants: int, today: date | None
) -> dict[str, object]:
    values = _text({"item": data.item, "payee": data.payee, "invoice_no": data.invoice_no, "paid_by": data.paid_by,
                    "note": data.note, "reason": data.reason})  # fmt: skip
    problems = {}
    if not values["item"]:
        problems["item"] = "请填写支出内容"
    for key, most in (("item", 80), ("payee", 60), ("invoice_no", 40), ("paid_by", 30), ("note", 200)):
        if key not in problems and (message := too_long(LABELS[key], values[key], most)):
            problems[key] = message
    if data.amount_fen <= 0 or data.amount_fen > MAX_AMOUNT_FEN:
        problems["amount"] = "金额应大于 0"
    if data.day > (today or date.today()):
        problems["day"] = "支出日期不能晚于今天：登记的应是已经付出的钱（还没花的钱请列入预算）"
    if problems:
        raise ValidationError(problems, LABELS)
    _category(session, data.category_id)
    over = "；".join(
        check_line(Line(values["item"], data.amount_fen), participants, data.day, load_limits(session))
    )
    if over and not values["reason"]:
        raise ValidationError({"reason": f"超过标准，须写明原因：{over}"}, LABELS)
    return dict(day=data.day, item=values["item"], category_id=data.category_id, amount_fen=data.amount_fen,
                payee=values["payee"], invoice_no=values["invoice_no"], paid_by=values["paid_by"],
                note=values["note"], over_limit=over[:400], reason=values["reason"] if over else "")  # fmt: skip


def add_expense(session: Session, activity_id: int, data: ExpenseInput, *, today: date | None = None) -> int:
    activity = _activity(session, activity_id)
    values = _expense_values(session, activity, data, participant_count(session, activity), today)
    row = ActivityExpense(activity_id=activity_id, source="手工", **values)
    session.add(row)
    session.flush()
    _recheck_activity(session, activity, activity.reason)
    return row.id


def _expense(session: Session, expense_id: int) -> ActivityExpense:
    row = session.get(ActivityExpense, expense_id)
    if row is None:
        raise NotFoundError(f"没有编号为 {expense_id} 的支出")
    return row


def update_expense(
    session: Session, expense_id: int, data: ExpenseInput, *, today: date | None = None
) -> None:
    row = _expense(session, expense_id)
    activity = _activity(session, row.activity_id)
    values = _expense_values(session, activity, data, participant_count(session, activity), today)
    for key, value in values.items():
        setattr(row, key, value)
    session.flush()
    _recheck_activity(session, activity, activity.reason)


def delete_expense(session: Session, expense_id: int) -> None:
    row = _expense(session, expense_id)
    activity = _activity(session, row.activity_id)
    session.delete(row)
    session.flush()
    _recheck_activity(session, activity, activity.reason)


def set_reason(session: Session, activity_id: int, reason: str, *, expense_id: int | None = None) -> None:
    """Why the activity (or one of its expenses) is over a limit."""
    text = clean_text(reason)
    if not text:
        raise ValidationError({"reason": "请写明超过标准的原因"}, LABELS)
    if message := too_long(LABELS["reason"], text, 200):
        raise ValidationError({"reason": message}, LABELS)
    target: Activity | ActivityExpense = (
        _expense(session, expense_id) if expense_id is not None else _activity(session, activity_id)
    )
    if not target.over_limit:
        raise UserError("没有超过标准，不需要填写原因")
    target.reason = text
    session.flush()


def _recheck_activity(session: Session, activity: Activity, reason: str, *, imported: bool = False) -> None:
    """The activity's own limits (an outing's days, per head), against its spending when it
    has any, else its budget. Over without a reason is refused, except for an import, which is
    flagged for the secretary to explain."""
    budget, spent = _sums(session, [activity.id])
    total = spent.get(activity.id, 0) or budget.get(activity.id, 0)
    over = "；".join(check_activity(activity.name, activity.kind, activity.start, activity.end,
                                    participant_count(session, activity), total, load_limits(session)))  # fmt: skip
    if over and not reason:
        if not imported and activity.source != "导入":
            raise ValidationError({"reason": f"活动超过标准，须写明原因：{over}"}, LABELS)
        reason = IMPORTED_REASON
    activity.over_limit = over[:400]
    # a reason given before the lines put the activity over a limit is kept for when they do
    activity.reason = reason
    session.flush()


def _sums(session: Session, ids: Sequence[int] | None) -> tuple[dict[int, int], dict[int, int]]:
    """Budget and spent per activity (of ``ids``, or all)."""
    budget_q = select(ActivityBudgetItem.activity_id, func.sum(ActivityBudgetItem.amount_fen)).group_by(
        ActivityBudgetItem.activity_id
    )
    spent_q = select(ActivityExpense.activity_id, func.sum(ActivityExpense.amount_fen)).group_by(
        ActivityExpense.activity_id
    )
    if ids is not None:
        budget_q = budget_q.where(ActivityBudgetItem.activity_id.in_(ids))
        spent_q = spent_q.where(ActivityExpense.activity_id.in_(ids))
    budget = {a: int(s) for a, s in session.execute(budget_q)}
    spent = {a: int(s) for a, s in session.execute(spent_q)}
    return budget, spent


def list_activities(
    session: Session,
    *,
    year: int | None = None,
    status: Status | None = None,
    member_id: int | None = None,
    activity_id: int | None = None,
) -> list[ActivityRow]:
    """Activities by start date: of a calendar year, a status, one member's, or just one."""
    query = select(Activity).order_by(Activity.start, Activity.id)
    if activity_id is not None:
        query = query.where(Activity.id == activity_id)
    if year is not None:
        query = query.where(Activity.start >= date(year, 1, 1), Activity.start <= date(year, 12, 31))
    if status is not None:
        query = query.where(Activity.status == status.value)
    if member_id is not None:
        query = query.where(
            Activity.id.in_(
                select(ActivityParticipant.activity_id).where(ActivityParticipant.member_id == member_id)
            )
        )
    rows = list(session.scalars(query))
    narrowed = year is not None or member_id is not None or activity_id is not None
    budget, spent = _sums(session, [r.id for r in rows] if narrowed else None)
    named = dict(
        session.execute(
            select(ActivityParticipant.activity_id, func.count()).group_by(ActivityParticipant.activity_id)
        ).all()
    )
    flagged_lines = _flagged_lines(session)
    return [
        ActivityRow(
            r.id, r.name, r.kind, r.start, r.end, r.status, r.place, r.organiser,
            int(named.get(r.id, 0)) or (r.headcount or 0), budget.get(r.id, 0), spent.get(r.id, 0),
            bool(r.over_limit) or r.id in flagged_lines,
            (bool(r.over_limit) and r.reason in ("", IMPORTED_REASON))
            or flagged_lines.get(r.id, False),
        )
        for r in rows
    ]  # fmt: skip


def _flagged_lines(session: Session) -> dict[int, bool]:
    """Activities with a line over a limit → whether one of them still awaits its reason."""
    found: dict[int, bool] = {}
    for model in (ActivityBudgetItem, ActivityExpense):
        query = select(model.activity_id, model.reason).where(model.over_limit != "")
        for activity_id, reason in session.execute(query):
            found[activity_id] = found.get(activity_id, False) or reason in ("", IMPORTED_REASON)
    return found


def get_activity(session: Session, activity_id: int) -> ActivityDetail:
    from app.services.activities.categories import load_tree
    from app.services.roster import list_groups

    activity = _activity(session, activity_id)
    tree = load_tree(session)
    (row,) = list_activities(session, activity_id=activity_id)
    items = [
        ItemInfo(i.id, i.item, i.category_id, tree.by_id[i.category_id].label, i.amount_fen, i.per_head_fen,
                 i.heads, i.over_limit, i.reason)
        for i in session.scalars(select(ActivityBudgetItem).where(ActivityBudgetItem.activity_id == activity_id)
                                 .order_by(ActivityBudgetItem.id))
    ]  # fmt: skip
    expenses = list_expenses(session, activity_id=activity_id)
    paths = {g.id: g.path for g in list_groups(session)}
    participants = [
        Participant(m.id, m.name, paths.get(m.group_id, "") if m.group_id is not None else "")
        for m in session.scalars(select(Member).join(ActivityParticipant, ActivityParticipant.member_id == Member.id)
                                 .where(ActivityParticipant.activity_id == activity_id).order_by(Member.id))
    ]  # fmt: skip
    planned: dict[int, int] = defaultdict(int)
    actual: dict[int, int] = defaultdict(int)
    for item in items:
        planned[item.category_id] += item.amount_fen
    for expense in expenses:
        actual[expense.category_id] += expense.amount_fen
    variance = [
        VarianceLine(c, tree.by_id[c].label, planned.get(c, 0), actual.get(c, 0))
        for c in sorted(set(planned) | set(actual), key=lambda c: tree.by_id[c].code)
    ]
    return ActivityDetail(row, activity.headcount, activity.note, activity.over_limit, activity.reason,
                          activity.source, items, expenses, participants, variance)  # fmt: skip


def list_expenses(
    session: Session,
    *,
    activity_id: int | None = None,
    year: int | None = None,
    category_ids: Sequence[int] | None = None,
) -> list[ExpenseInfo]:
    """Expenses by date: of an activity, a calendar year, some categories."""
    from app.services.activities.categories import load_tree

    tree = load_tree(session)
    query = select(ActivityExpense, Activity.name).join(Activity, Activity.id == ActivityExpense.activity_id)
    if activity_id is not None:
        query = query.where(ActivityExpense.activity_id == activity_id)
    if year is not None:
        query = query.where(
            ActivityExpense.day >= date(year, 1, 1), ActivityExpense.day <= date(year, 12, 31)
        )
    if category_ids is not None:
        query = query.where(ActivityExpense.category_id.in_(category_ids))
    return [
        ExpenseInfo(e.id, e.activity_id, name, e.day, e.item, e.category_id, tree.by_id[e.category_id].label,
                    e.amount_fen, e.payee, e.invoice_no, e.paid_by, e.note, e.over_limit, e.reason, e.source)
        for e, name in session.execute(query.order_by(ActivityExpense.day, ActivityExpense.id))
    ]  # fmt: skip


def committed_by_category(session: Session, year: int) -> dict[int, int]:
    """Per category, what approved and running activities of ``year`` have planned and not yet
    spent (已安排): each activity's plan less its spending, line by line, never below zero."""
    ids = list(session.scalars(select(Activity.id).where(
        Activity.status.in_([s.value for s in COMMITTING]),
        Activity.start >= date(year, 1, 1), Activity.start <= date(year, 12, 31))))  # fmt: skip
    if not ids:
        return {}
    planned: dict[tuple[int, int], int] = defaultdict(int)
    for activity_id, category_id, amount in session.execute(
        select(ActivityBudgetItem.activity_id, ActivityBudgetItem.category_id, ActivityBudgetItem.amount_fen)
        .where(ActivityBudgetItem.activity_id.in_(ids))
    ):  # fmt: skip
        planned[(activity_id, category_id)] += amount
    for activity_id, category_id, amount in session.execute(
        select(ActivityExpense.activity_id, ActivityExpense.category_id, ActivityExpense.amount_fen)
        .where(ActivityExpense.activity_id.in_(ids))
    ):  # fmt: skip
        planned[(activity_id, category_id)] -= amount
    committed: dict[int, int] = defaultdict(int)
    for (_, category_id), left in planned.items():
        committed[category_id] += max(left, 0)
    return dict(committed)
