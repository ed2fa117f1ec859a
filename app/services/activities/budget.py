"""The year's budget (年度经费收支预算) and how it is used.

Per spending category: the budget (a top line's own figure; without one, the sum of the
sub-lines that have one; never set is None, not zero), what approved activities have
planned and not yet spent (已安排), what was spent (activity expenses + care records whose
occasion maps to it, sub-categories included), what remains and the share used. Income:
the budget by line (会费收入 defaults to the year's dues roll) and what came in (dues from
the dues ledger, other income entered by hand).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.budget import INCOME, SPENDING, percent, usage_level
from app.domain.money import MAX_AMOUNT_FEN, format_fen
from app.domain.text import clean_text
from app.models import ActivityExpense, BudgetCategory, BudgetLine, CareRecord, OtherIncome
from app.services.activities.categories import CategoryInfo, Tree, care_categories, load_tree
from app.services.activities.events import ExpenseInfo, committed_by_category
from app.services.errors import NotFoundError, UserError

if TYPE_CHECKING:
    from app.services.care import CareInfo
    from app.services.dues import Totals

DUES_CODE = "401"  # 会费收入: its actual figure is the dues ledger's


@dataclass(frozen=True)
class BudgetRow:
    category: CategoryInfo
    budget_fen: int | None  # None: never set
    committed_fen: int
    spent_fen: int  # activity expenses + care, this category and the ones under it
    activity_fen: int
    care_fen: int
    own_line: bool  # the budget is this category's own figure (not its sub-lines' sum)
    covered: bool = False  # no budget of its own, but a line above it has one: spent within that

    @property
    def remaining_fen(self) -> int | None:
        if self.budget_fen is None:
            return None
        return self.budget_fen - self.spent_fen - self.committed_fen

    @property
    def used_pct(self) -> Decimal | None:
        return percent(self.spent_fen, self.budget_fen)

    @property
    def level(self) -> str:
        """ "" / 接近 (80 %) / 超支 (over 100 %) / 无预算, of spent plus committed."""
        if self.budget_fen is None and self.covered:
            return ""
        return usage_level(self.spent_fen + self.committed_fen, self.budget_fen)


@dataclass(frozen=True)
class IncomeRow:
    category: CategoryInfo
    budget_fen: int | None
    actual_fen: int
    from_dues_roll: bool = False  # the budget is the year's dues roll, no figure was set


@dataclass(frozen=True)
class BudgetTable:
    year: int
    spending: list[BudgetRow]
    income: list[IncomeRow]
    warnings: list[str] = field(default_factory=list)

    @property
    def spending_budget_fen(self) -> int:
        return sum(r.budget_fen or 0 for r in self.spending if r.category.depth == 0)

    @property
    def spent_fen(self) -> int:
        return sum(r.spent_fen for r in self.spending if r.category.depth == 0)

    @property
    def committed_fen(self) -> int:
        return sum(r.committed_fen for r in self.spending if r.category.depth == 0)

    @property
    def execution_rate(self) -> Decimal | None:
        """执行率: spent ÷ the spending budget, in per cent with one decimal."""
        return percent(self.spent_fen, self.spending_budget_fen)

    @property
    def income_budget_fen(self) -> int:
        return sum(r.budget_fen or 0 for r in self.income if r.category.depth == 0)

    @property
    def income_actual_fen(self) -> int:
        return sum(r.actual_fen for r in self.income if r.category.depth == 0)

    def row(self, code: str) -> BudgetRow | IncomeRow:
        rows: list[BudgetRow | IncomeRow] = [*self.spending, *self.income]
        for found in rows:
            if found.category.code == code:
                return found
        raise KeyError(code)


def _year(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def budget_lines(session: Session, year: int) -> dict[int, int]:
    """The figures set for ``year``, by category id (a category not there was never set)."""
    query = select(BudgetLine.category_id, BudgetLine.amount_fen).where(BudgetLine.year == year)
    return {category: amount for category, amount in session.execute(query)}


def _roll_up(tree: Tree, own: dict[int, int]) -> dict[int, int]:
    """Each category's own figure plus everything under it."""
    total: dict[int, int] = defaultdict(int)
    for category_id, amount in own.items():
        current: int | None = category_id
        while current is not None:
            total[current] += amount
            current = tree.by_id[current].parent_id
    return total


def _budgets(
    tree: Tree, lines: dict[int, int], kind: str
) -> tuple[dict[int, int | None], dict[int, bool], list[str]]:
    """Each category's budget: its own line, else its sub-lines' sum, else None; and where a
    top line disagrees with its sub-lines, a warning (the top line is what counts)."""
    budget: dict[int, int | None] = {}
    own: dict[int, bool] = {}
    warnings: list[str] = []
    for item in reversed(tree.of_kind(kind)):  # children before parents
        children = [budget[c.id] for c in tree.children(item.id)]
        below = [b for b in children if b is not None]
        if item.id in lines:
            budget[item.id], own[item.id] = lines[item.id], True
            complete = len(below) == len(children)  # every sub-line set: they should add up
            if below and (sum(below) > lines[item.id] or (complete and sum(below) != lines[item.id])):
                warnings.append(
                    f"“{item.label}”的预算 {format_fen(lines[item.id])} 元与其细目合计 "
                    f"{format_fen(sum(below))} 元不一致，按 {format_fen(lines[item.id])} 元计"
                )
        else:
            budget[item.id], own[item.id] = (sum(below) if below else None), False
    return budget, own, warnings


def spending_by_category(session: Session, year: int) -> tuple[dict[int, int], dict[int, int]]:
    """Activity expenses and care of ``year`` by the category they were booked to (not rolled up)."""
    first, last = _year(year)
    activity = {
        c: int(s)
        for c, s in session.execute(
            select(ActivityExpense.category_id, func.sum(ActivityExpense.amount_fen))
            .where(ActivityExpense.day >= first, ActivityExpense.day <= last)
            .group_by(ActivityExpense.category_id)
        )
    }
    mapping = care_categories(session)
    care: dict[int, int] = defaultdict(int)
    for occasion, amount in session.execute(
        select(CareRecord.occasion, func.sum(CareRecord.cash_fen + CareRecord.goods_fen))
        .where(CareRecord.day >= first, CareRecord.day <= last)
        .group_by(CareRecord.occasion)
    ):
        category = mapping.get(occasion)
        if category is not None:
            care[category] += int(amount)
    return activity, dict(care)


def _covered(tree: Tree, budgets: dict[int, int | None], category: CategoryInfo) -> bool:
    parent = category.parent_id
    while parent is not None:
        if budgets.get(parent) is not None:
            return True
        parent = tree.by_id[parent].parent_id
    return False


def budget_table(session: Session, year: int, *, dues_due_fen: int | None = None) -> BudgetTable:
    """``dues_due_fen``: the year's dues roll, when the caller has already read it (the 首页)."""
    tree = load_tree(session)
    lines = budget_lines(session, year)
    budgets, own, warnings = _budgets(tree, lines, SPENDING)
    activity_own, care_own = spending_by_category(session, year)
    activity = _roll_up(tree, activity_own)
    care = _roll_up(tree, care_own)
    committed = _roll_up(tree, committed_by_category(session, year))
    spending = [
        BudgetRow(c, budgets[c.id], committed.get(c.id, 0), activity.get(c.id, 0) + care.get(c.id, 0),
                  activity.get(c.id, 0), care.get(c.id, 0), own[c.id], _covered(tree, budgets, c))
        for c in tree.of_kind(SPENDING)
    ]  # fmt: skip
    income_budgets, _, income_warnings = _budgets(tree, lines, INCOME)
    from app.services.dues import received_fen

    first, last = _year(year)
    actual = _roll_up(tree, income_actuals(session, year, tree, received_fen(session, first, last)))
    income = []
    for c in tree.of_kind(INCOME):
        budget, from_roll = income_budgets[c.id], False
        if c.code == DUES_CODE and budget is None:  # the roll's figure, read only when needed
            due = dues_due_fen if dues_due_fen is not None else dues_totals(session, year).due_fen
            budget, from_roll = due or None, True
        income.append(IncomeRow(c, budget, actual.get(c.id, 0), from_roll))
    return BudgetTable(year, spending, income, warnings + income_warnings)


def dues_totals(session: Session, year: int) -> Totals:
    """The year's dues: what its roll charges (due) and what came in (paid), from the dues ledger."""
    from app.domain.dues import Period
    from app.services.dues import summarize

    return summarize(session, Period.parse(str(year))).totals


def income_actuals(session: Session, year: int, tree: Tree, dues_paid_fen: int) -> dict[int, int]:
    """What came in during ``year`` by income line: dues from the dues ledger, the rest as entered."""
    first, last = _year(year)
    return _income_by_line(session, tree, first, last, dues_paid_fen)


def income_received(
    session: Session, first: date, last: date, *, dues_paid_fen: int | None = None
) -> list[tuple[CategoryInfo, int]]:
    """What came in from ``first`` to ``last`` by top income line (会费收入 from the dues ledger,
    by the day paid, unless the caller has it as ``dues_paid_fen``; the rest as entered), the
    lines with nothing left out."""
    from app.services.dues import received_fen

    tree = load_tree(session)
    dues = received_fen(session, first, last) if dues_paid_fen is None else dues_paid_fen
    totals = _roll_up(tree, _income_by_line(session, tree, first, last, dues))
    return [(c, totals[c.id]) for c in tree.of_kind(INCOME) if c.depth == 0 and totals.get(c.id)]


def _income_by_line(
    session: Session, tree: Tree, first: date, last: date, dues_paid_fen: int
) -> dict[int, int]:
    found: dict[int, int] = {
        c: int(s)
        for c, s in session.execute(
            select(OtherIncome.category_id, func.sum(OtherIncome.amount_fen))
            .where(OtherIncome.day >= first, OtherIncome.day <= last)
            .group_by(OtherIncome.category_id)
        )
    }
    dues = tree.by_code.get(DUES_CODE)
    if dues is not None:
        found[dues.id] = found.get(dues.id, 0) + dues_paid_fen
    return found


def set_budget(session: Session, year: int, category_id: int, amount_fen: int | None, note: str = "") -> None:
    """The year's budget for one line; None takes it away (never set again, not zero)."""
    if session.get(BudgetCategory, category_id) is None:
        raise NotFoundError("这个科目已不存在")
    if not 2000 <= year <= 2100:
        raise UserError("年份不对")
    row = session.scalar(
        select(BudgetLine).where(BudgetLine.year == year, BudgetLine.category_id == category_id)
    )
    if amount_fen is None:
        if row is not None:
            session.delete(row)
            session.flush()
        return
    if amount_fen < 0 or amount_fen > MAX_AMOUNT_FEN:
        raise UserError("预算金额超出范围")
    if row is None:
        row = BudgetLine(year=year, category_id=category_id, amount_fen=amount_fen)
        session.add(row)
    row.amount_fen = amount_fen
    row.note = clean_text(note)[:200]
    session.flush()


@dataclass(frozen=True)
class IncomeInfo:
    id: int
    day: date
    category_id: int
    category: str
    amount_fen: int
    source: str
    note: str


def add_income(
    session: Session,
    day: date,
    category_id: int,
    amount_fen: int,
    source: str = "",
    note: str = "",
    *,
    today: date | None = None,
) -> int:
    """Income other than dues (拨缴经费, 上级补助 …), entered by hand, once received."""
    category = session.get(BudgetCategory, category_id)
    if category is None or category.kind != INCOME:
        raise UserError("请选择收入科目")
    if category.code == DUES_CODE:
        raise UserError("会费收入来自会费台账，请在“会费”中登记缴费")
    if amount_fen <= 0 or amount_fen > MAX_AMOUNT_FEN:
        raise UserError("金额应大于 0")
    if day > (today or date.today()):
        raise UserError(f"收入日期 {day.isoformat()} 晚于今天：请在收到后再登记")
    row = OtherIncome(day=day, category_id=category_id, amount_fen=amount_fen, source=clean_text(source)[:60],
                      note=clean_text(note)[:200])  # fmt: skip
    session.add(row)
    session.flush()
    return row.id


def delete_income(session: Session, income_id: int) -> None:
    row = session.get(OtherIncome, income_id)
    if row is None:
        raise NotFoundError(f"没有编号为 {income_id} 的收入")
    session.delete(row)
    session.flush()


def list_income(session: Session, year: int, category_ids: list[int] | None = None) -> list[IncomeInfo]:
    tree = load_tree(session)
    first, last = _year(year)
    query = select(OtherIncome).where(OtherIncome.day >= first, OtherIncome.day <= last)
    if category_ids is not None:
        query = query.where(OtherIncome.category_id.in_(category_ids))
    return [
        IncomeInfo(
            r.id, r.day, r.category_id, tree.by_id[r.category_id].label, r.amount_fen, r.source, r.note
        )
        for r in session.scalars(query.order_by(OtherIncome.day, OtherIncome.id))
    ]


@dataclass(frozen=True)
class SpentRecords:
    """What a spent figure is made of: the expenses and the care records behind it."""

    expenses: list[ExpenseInfo]
    care: list[CareInfo]


def spent_records(session: Session, year: int, category_id: int) -> SpentRecords:
    """The activity expenses and care records of ``year`` booked to ``category_id`` or under it."""
    from app.services.activities.events import list_expenses
    from app.services.care import list_care

    tree = load_tree(session)
    wanted = set(tree.below(category_id))
    occasions = {o for o, c in care_categories(session).items() if c in wanted}
    care = [r for r in list_care(session, year=year) if r.occasion in occasions]
    return SpentRecords(list_expenses(session, year=year, category_ids=sorted(wanted)), care)
