"""The 活动经费支出台账 already kept, imported: one row per expense (日期, 活动名称, 支出内容,
科目, 金额, 发票号, 经办人, 参加人数 on one of the activity's rows; 收款方, 备注, 活动类型,
结束日期 when the ledger has them).

Rows are grouped by activity name (and year) into activities: started on the earliest
date, ended only when a 结束日期 column says so (expenses of one event paid on different
days do not make it last several days), the kind guessed from the name and the 科目, status
已结束, source 导入. An activity of the same name and start year already in the 账套 gets the
new expenses instead of a second activity; an expense already stored (same activity, day,
item, amount and invoice) is unchanged, so the same file twice changes nothing.

科目 are read through the category words (``Matcher``); one nothing recognises is a question
and, until answered, an error naming it, and the answers are remembered when the import is
written. Lines and activities over a limit are imported flagged, their reason left for the
secretary (``IMPORTED_REASON``). A 10,000-row ledger is read column by column and its
expenses written with one driver-level insert.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.db import REBUILD_INDEXES_FROM, insert_values
from app.domain.activities import (
    Kind,
    Limits,
    Line,
    Rule,
    Status,
    check_activity,
    check_line,
    is_meal,
    is_prize,
)
from app.domain.budget import SPENDING, word_key
from app.domain.care import IMPORTED_REASON
from app.domain.money import format_fen
from app.models import Activity, ActivityExpense, ActivityParticipant
from app.models.audit import record_bulk
from app.services.activities.categories import (
    CategoryInfo,
    Matcher,
    Tree,
    load_tree,
    remember_words,
    word_table,
)
from app.services.activities.import_budget import (
    CATEGORY,
    category_answer,
    category_answers,
    unknown_category,
)
from app.services.activities.limits import load_limits
from app.services.excel.reader import Sheet
from app.services.excel.table import ColumnMapping, FieldSpec
from app.services.excel.values import CellError, read_money_fen, text
from app.services.imports import (
    Importer,
    ImportOptions,
    ImportPlan,
    ImportResult,
    PlannedRow,
    Preloaded,
    Question,
    RowIssue,
)
from app.services.imports.columns import Reader, limited_text, read_columns, table_rows
from app.services.imports.dates import DayReader
from app.services.progress import NO_PROGRESS, Progress

__all__ = [
    "CATEGORY",
    "LEDGER_FIELDS",
    "LedgerImportOptions",
    "LedgerImporter",
    "LedgerRow",
    "category_answer",
    "guess_kind",
]

SOURCE = "导入"
_ACTIVITY_COLUMNS = ("id", "name", "kind", "start", "place", "headcount", "over_limit", "reason")
_EXPENSE_COLUMNS = ("activity_id", "day", "payee", "item", "category_id", "amount_fen", "invoice_no", "paid_by",
                    "note", "over_limit", "reason")  # fmt: skip

LEDGER_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("seq", "序号", ("编号",)),
    FieldSpec("day", "日期", ("支出日期", "发生日期", "报销日期", "付款日期", "开支日期", "时间", "活动日期"), required=True),
    FieldSpec("end", "结束日期", ("活动结束日期", "截止日期")),
    FieldSpec("activity", "活动名称", ("活动", "活动项目", "活动主题", "所属活动", "项目名称"), required=True),
    FieldSpec("item", "支出内容", ("支出项目", "支出明细", "开支内容", "费用内容", "内容", "摘要", "用途", "明细", "项目")),
    FieldSpec("category", "科目", ("支出科目", "会计科目", "经费科目", "列支科目", "科目名称", "预算科目", "费用类别",
                                  "支出类别", "类别"), required=True),
    FieldSpec("amount", "金额", ("支出金额", "报销金额", "实际支出", "实支金额", "发生额", "支出", "金额元"), required=True),
    FieldSpec("invoice_no", "发票号", ("发票号码", "发票编号", "票据号", "票据号码", "发票")),
    FieldSpec("paid_by", "经办人", ("经手人", "报销人", "付款人")),
    FieldSpec("headcount", "参加人数", ("人数", "参与人数", "参加人次", "参加人员人数")),
    FieldSpec("payee", "收款方", ("收款单位", "收款人", "供应商", "商家", "销售方")),
    FieldSpec("kind", "活动类型", ("活动类别", "活动种类", "类型")),
    FieldSpec("place", "地点", ("活动地点",)),
    FieldSpec("note", "备注", ("说明",)),
)  # fmt: skip
_LABELS = {spec.key: spec.label for spec in LEDGER_FIELDS}
_TOTAL_WORDS = ("合计", "小计", "总计", "共计")

# the activity kind from words in its name (first match wins), then from its 科目's name
_KIND_WORDS: tuple[tuple[Kind, tuple[str, ...]], ...] = (
    (Kind.CONTEST, ("竞赛", "技能比武", "比武", "技能大赛", "技能比赛", "劳动竞赛")),
    (Kind.REST, ("疗休养", "疗养", "休养")),
    (Kind.HOME, ("职工之家", "器材购置", "职工书屋", "活动室", "母婴室", "爱心驿站")),
    (Kind.TRAINING, ("培训", "讲座", "学习班", "研修")),
    (Kind.MEMBERS, ("观影", "电影", "春游", "秋游", "一日游", "踏青", "郊游")),
    (Kind.PUBLICITY, ("展板", "宣传")),
    (Kind.SPORTS, ("篮球", "足球", "排球", "乒乓", "羽毛球", "拔河", "比赛", "运动会", "健步走", "联欢", "文艺",
                   "晚会", "演出", "趣味", "登山", "徒步", "球赛")),
)  # fmt: skip
_CATEGORY_KINDS: tuple[tuple[Kind, str], ...] = (
    (Kind.SPORTS, "文体"),
    (Kind.TRAINING, "教育"),
    (Kind.PUBLICITY, "宣传"),
    (Kind.REST, "疗休养"),
    (Kind.MEMBERS, "会员活动"),
)


def guess_kind(name: str, category_path: str = "") -> Kind:
    """An activity's kind from its name (篮球赛 → 文体活动, 秋季一日游 → 会员活动), else from the
    name of the 科目 it spends from, else 其他."""
    for kind, words in _KIND_WORDS:
        if any(word in name for word in words):
            return kind
    for kind, word in _CATEGORY_KINDS:
        if word in category_path:
            return kind
    return Kind.OTHER


def _kind_reader(raw: Any) -> tuple[Kind | None, str | None]:
    value = text(raw)
    if not value:
        return None, None
    for kind in Kind:
        if value == kind.value:
            return kind, None
    found = guess_kind(value, value)
    return (found, None) if found is not Kind.OTHER or value == "其他" else (None, None)


def _category_reader(matcher: Matcher) -> Reader:
    """Reads a 科目 through the category words; one not known reads as its word, with its error."""

    def reader(raw: Any) -> tuple[CategoryInfo | str | None, str | None]:
        word = word_key(text(raw))
        if not word:
            return None, "请填写科目"
        found = matcher.find(word)
        if found is None:
            return word, unknown_category(word)
        return found, None

    return reader


def _amount(raw: Any) -> tuple[int, str | None]:
    try:
        fen = read_money_fen(raw, label="金额")
    except CellError as exc:
        return 0, str(exc)
    if fen is None:
        return 0, "请填写金额"
    if fen <= 0:
        return 0, "金额应大于 0"
    return fen, None


def _headcount(raw: Any) -> tuple[int | None, str | None]:
    value = text(raw).removesuffix("人").removesuffix("人次").strip()
    if not value:
        return None, None
    try:
        number = float(value)
    except ValueError:
        return None, f"“{text(raw)}”不是人数"
    if not number.is_integer() or not 0 <= number <= 1_000_000:
        return None, f"“{text(raw)}”不是人数"
    return int(number), None


@dataclass(frozen=True)
class LedgerImportOptions(ImportOptions):
    year: int | None = None  # for dates written without one (1月5日); default this year


@dataclass
class ActivityPlan:
    """An activity the ledger's rows make (or add to): shared by its rows."""

    name: str
    start: date
    kind: Kind
    end: date | None = None
    headcount: int | None = None
    place: str = ""
    existing_id: int | None = None  # the activity already in the 账套 it adds to
    set_headcount: bool = False  # the existing activity had none: the ledger's is written
    over_limit: str = ""
    reason: str = ""
    new_fen: int = 0
    new_rows: int = 0
    activity_id: int | None = None  # once written


@dataclass(slots=True)
class LedgerRow(PlannedRow):
    day: date | None = None
    end: date | None = None
    activity: str = ""
    item: str = ""
    category_id: int | None = None
    amount_fen: int = 0
    invoice_no: str = ""
    paid_by: str = ""
    headcount: int | None = None
    payee: str = ""
    kind: Kind | None = None
    place: str = ""
    note: str = ""
    over_limit: str = ""
    group: ActivityPlan | None = field(default=None, repr=False)

    def title(self) -> str:
        return f"{self.activity} {self.item}".strip()


@dataclass
class _Existing:
    id: int
    headcount: int | None
    participants: int  # named, else the headcount
    spent_fen: int
    reason: str
    kind: str
    start: date
    end: date | None


@dataclass(frozen=True)
class _Known:
    """What the plan reads from the 账套 before it looks at the rows."""

    tree: Tree
    words: dict[str, int]
    limits: Limits

    @classmethod
    def load(cls, session: Session) -> _Known:
        return cls(load_tree(session), word_table(session), load_limits(session))


class LedgerImporter(Importer[LedgerRow, LedgerImportOptions]):
    """活动经费支出台账: the expenses already paid, grouped into their activities."""

    kind = "events"
    title = "活动经费支出台账"
    fields = LEDGER_FIELDS
    ignored_fields = frozenset({"seq"})
    noun = "笔支出"
    days = DayReader(0)  # the plan's: it knows whether a date without its year was read
    ends = DayReader(0)  # an activity's last day may be still to come

    def __init__(self, options: LedgerImportOptions) -> None:
        super().__init__(options)
        self._known = Preloaded(_Known.load)

    @property
    def year(self) -> int:
        return self.options.year or self.options.today.year

    def prepare(self, session: Session) -> None:
        self._known.ahead(session)

    def _end(self, raw: Any) -> tuple[date | None, str | None]:
        if not text(raw):
            return None, None
        return self.ends(raw)

    def plan(
        self, session: Session, sheet: Sheet, mapping: ColumnMapping, progress: Progress = NO_PROGRESS
    ) -> ImportPlan[LedgerRow]:
        # new ones each plan: the wizard plans again when an option changes
        self.days, self.ends = DayReader(self.year, latest=self.options.today), DayReader(self.year)
        rows, ignored = table_rows(sheet, mapping, "activity")

        def header(key: str) -> str:
            return mapping.header_of(key) or _LABELS[key]

        known = self._known.take(session)
        tree, table = known.tree, known.words
        answered = category_answers(tree, table, self.options.answers, SPENDING)
        learnt = {word: category for word, category in answered.items() if table.get(word) != category}
        readers: dict[str, Reader] = {
            "day": self.days, "end": self._end, "activity": limited_text("活动名称", 80),
            "item": limited_text("支出内容", 80), CATEGORY: _category_reader(Matcher(tree, {**table, **answered})),
            "amount": _amount, "invoice_no": limited_text("发票号", 40), "paid_by": limited_text("经办人", 30),
            "headcount": _headcount, "payee": limited_text("收款方", 60), "kind": _kind_reader,
            "place": limited_text("地点", 80), "note": limited_text("备注", 200),
        }  # fmt: skip
        values, errors = read_columns(mapping, rows, readers, header, progress)
        plan = ImportPlan[LedgerRow](
            self.kind, Path(sheet.name), sheet.name, mapping, [], ignored_rows=ignored
        )
        unknown: dict[str, list[int]] = {}
        filled = 0
        last_activity = ""
        columns = [values[key] for key in readers]
        for i, ((number, cells), fields) in enumerate(zip(rows, zip(*columns, strict=True), strict=True)):
            day, end, activity, item, category, amount, invoice, paid_by, heads, payee, kind, place, note = (
                fields
            )
            if day is None and _is_total(activity, item):  # 小计 / 合计 lines between the expenses
                plan.ignored_rows.append(number)
                continue
            if not activity and last_activity and day is not None:  # merged cells: the name above
                activity, filled = last_activity, filled + 1
            row = LedgerRow(number, cells, "error", day=day, end=end, activity=activity, item=item,
                            amount_fen=amount, invoice_no=invoice, paid_by=paid_by, headcount=heads, payee=payee,
                            kind=kind, place=place, note=note)  # fmt: skip
            plan.rows.append(row)
            found = errors.get(i)
            if found:
                row.issues = [RowIssue(number, header(key), message) for key, message in found.items()]
            if not activity:
                row.issues.append(RowIssue(number, header("activity"), "请填写活动名称"))
            else:
                last_activity = activity
            if end is not None and day is not None and end < day:
                row.issues.append(RowIssue(number, header("end"), "结束日期不能早于日期"))
            if isinstance(category, str):
                unknown.setdefault(category, []).append(number)
            elif category is not None:
                row.category_id = category.id
                if not item:
                    row.item = category.name
                    row.notes.append(f"没有填写支出内容，记为“{category.name}”")
        self._group(session, tree, known.limits, plan, header)
        plan.questions = [
            Question(
                CATEGORY,
                header(CATEGORY),
                word,
                tuple(numbers),
                tuple(c.label for c in tree.of_kind(SPENDING)),
            )
            for word, numbers in unknown.items()
        ]
        if learnt:
            said = "、".join(f"“{word}”是“{tree.by_id[c].label}”" for word, c in learnt.items())
            plan.notes.append(f"记住科目的写法：{said}")
        if filled:
            plan.file_notes.append(f"有 {filled} 行没有写活动名称，按上一行的活动记入（合并单元格）")
        if self.days.assumed or self.ends.assumed:
            plan.file_notes.append(self.days.note())
        return plan

    def _group(
        self,
        session: Session,
        tree: Tree,
        limits: Limits,
        plan: ImportPlan[LedgerRow],
        header: Callable[[str], str],
    ) -> None:
        """Group the good rows into activities, find the ones already in the 账套, and decide
        each row: new, or unchanged when the same expense is stored."""
        members: dict[tuple[str, int], list[LedgerRow]] = {}
        for row in plan.rows:
            if not row.issues and row.day is not None:
                members.setdefault((row.activity, row.day.year), []).append(row)
        existing, stored = _existing(session, {name for name, _ in members})
        # a line can only exceed a meal or prize limit: without one, no line is checked
        lines_checked = any(limits.get(rule, date.max) for rule in (Rule.MEAL, Rule.PRIZE_SHARE))
        for (name, year), rows in members.items():
            group = _activity_plan(tree, name, rows, plan, header("headcount"))
            found = existing.get((name, year))
            participants = group.headcount or 0
            if found is not None:
                group.existing_id = found.id
                group.set_headcount = found.headcount is None and group.headcount is not None
                participants = found.participants or participants
                if found.headcount is not None and group.headcount not in (None, found.headcount):
                    plan.warnings.append(RowIssue(rows[0].row, header("headcount"), (
                        f"已有的活动“{name}”参加人数为 {found.headcount}，表中写的 {group.headcount} 没有导入"
                    )))  # fmt: skip
            for row in rows:
                row.group = group
                assert row.day is not None
                if found is not None:
                    key = (found.id, row.day, row.item, row.amount_fen, row.invoice_no)
                    if stored[key]:
                        stored[key] -= 1
                        row.action = "unchanged"
                        continue
                row.action = "new"
                if lines_checked and (is_meal(row.item) or is_prize(row.item)):
                    over = check_line(Line(row.item, row.amount_fen), participants or None, row.day, limits)
                    row.over_limit = "；".join(over)[:400]
                if row.over_limit:
                    row.notes.append(f"超过标准：{row.over_limit}")
                group.new_fen += row.amount_fen
                group.new_rows += 1
            if group.new_rows:
                _check_group(group, found, participants, limits)
        _notes(plan)

    def apply(
        self, session: Session, plan: ImportPlan[LedgerRow], progress: Progress = NO_PROGRESS
    ) -> ImportResult:
        counts = plan.counts()
        tree = load_tree(session)
        remember_words(session, category_answers(tree, word_table(session), self.options.answers, SPENDING))
        writing = [r for r in plan.rows if r.action == "new"]
        groups = list({id(r.group): r.group for r in writing if r.group is not None}.values())
        progress.step(0, 2, "正在写入活动……")
        created = [g for g in groups if g.existing_id is None]
        # new activities numbered here (the write lock is held), written with one insert
        first = int(session.scalar(select(func.max(Activity.id))) or 0) + 1
        for number, group in enumerate(created, start=first):
            group.activity_id = number
        insert_values(session, Activity.__table__, _ACTIVITY_COLUMNS, [  # type: ignore[arg-type]
            (g.activity_id, g.name, g.kind.value, g.start.isoformat(), g.place, g.headcount, g.over_limit, g.reason)
            for g in created
        ], shared={"status": Status.DONE.value, "source": SOURCE})  # fmt: skip
        lasting = [{"id": g.activity_id, "end": g.end} for g in created if g.end is not None]
        if lasting:  # few; "end" is a word of SQL, which SQLAlchemy quotes
            session.execute(update(Activity), lasting)
        if created:
            record_bulk(session, Activity.__tablename__, f"导入活动经费支出台账：新建活动 {len(created)} 个",
                        len(created))  # fmt: skip
        for group in groups:
            activity = session.get(Activity, group.existing_id) if group.existing_id is not None else None
            if activity is not None:
                group.activity_id = activity.id
                activity.over_limit, activity.reason = group.over_limit, group.reason
                if group.set_headcount:
                    activity.headcount = group.headcount
        session.flush()
        progress.step(1, 2, "正在写入支出……")
        insert_values(session, ActivityExpense.__table__, _EXPENSE_COLUMNS, [  # type: ignore[arg-type]
            (r.group.activity_id if r.group else None, r.day.isoformat() if r.day else None, r.payee, r.item,
             r.category_id, r.amount_fen, r.invoice_no, r.paid_by, r.note, r.over_limit,
             IMPORTED_REASON if r.over_limit else "")
            for r in writing
        ], shared={"source": SOURCE}, rebuild_from=REBUILD_INDEXES_FROM)  # fmt: skip
        if writing:
            total = sum(r.amount_fen for r in writing)
            record_bulk(session, ActivityExpense.__tablename__,
                        f"导入活动经费支出台账：{len(writing)} 笔，合计 {format_fen(total)} 元", len(writing))  # fmt: skip
        session.flush()
        progress.step(2, 2, "导入完成")
        notes = (f"新建活动 {len(created)} 个",) if created else ()
        return ImportResult(new=counts["new"], updated=0, unchanged=counts["unchanged"], skipped=0,
                            invalid=counts["error"], notes=notes)  # fmt: skip


def _is_total(*values: str) -> bool:
    return any(word in value for value in values for word in _TOTAL_WORDS)


def _activity_plan(
    tree: Tree, name: str, rows: list[LedgerRow], plan: ImportPlan[LedgerRow], column: str
) -> ActivityPlan:
    """The activity a group of rows makes: its start, end, headcount, kind and place."""
    start = min(r.day for r in rows if r.day is not None)
    ends = [r.end for r in rows if r.end is not None]
    end = max(ends) if ends and max(ends) > start else None
    heads = sorted({r.headcount for r in rows if r.headcount is not None})
    if len(heads) > 1:
        plan.warnings.append(RowIssue(rows[0].row, column, (
            f"活动“{name}”有几行写了不同的参加人数（{'、'.join(map(str, heads))}），按 {heads[-1]} 人记"
        )))  # fmt: skip
    kind = next((r.kind for r in rows if r.kind is not None), None)
    if kind is None:
        spent: dict[int, int] = {}
        for row in rows:
            if row.category_id is not None:
                spent[row.category_id] = spent.get(row.category_id, 0) + row.amount_fen
        main = max(spent, key=spent.__getitem__) if spent else None
        kind = guess_kind(name, tree.path(main) if main is not None else "")
    place = next((r.place for r in rows if r.place), "")
    return ActivityPlan(name, start, kind, end, heads[-1] if heads else None, place)


def _check_group(group: ActivityPlan, found: _Existing | None, participants: int, limits: Limits) -> None:
    """The activity's own limits (an outing's days, per head) with its new expenses."""
    if found is None:
        over = check_activity(group.name, group.kind.value, group.start, group.end, participants or None,
                              group.new_fen, limits)  # fmt: skip
        reason = ""
    else:
        over = check_activity(group.name, found.kind, found.start, found.end, participants or None,
                              found.spent_fen + group.new_fen, limits)  # fmt: skip
        reason = found.reason if found.reason != IMPORTED_REASON else ""
    group.over_limit = "；".join(over)[:400]
    group.reason = (reason or IMPORTED_REASON) if group.over_limit else ""


def _existing(
    session: Session, names: set[str]
) -> tuple[dict[tuple[str, int], _Existing], Counter[tuple[int, date, str, int, str]]]:
    """The activities already kept under the ledger's names, by (name, start year), and their
    expenses as (activity, day, item, amount, invoice), counted."""
    found: dict[tuple[str, int], _Existing] = {}
    if not names:
        return found, Counter()
    query = select(Activity).where(Activity.name.in_(sorted(names))).order_by(Activity.id)
    for activity in session.scalars(query):
        found.setdefault((activity.name, activity.start.year), _Existing(
            activity.id, activity.headcount, activity.headcount or 0, 0, activity.reason, activity.kind,
            activity.start, activity.end,
        ))  # fmt: skip
    by_id = {e.id: e for e in found.values()}
    if not by_id:
        return found, Counter()
    ids = sorted(by_id)
    for activity_id, count in session.execute(
        select(ActivityParticipant.activity_id, func.count())
        .where(ActivityParticipant.activity_id.in_(ids)).group_by(ActivityParticipant.activity_id)
    ):  # fmt: skip
        by_id[activity_id].participants = int(count) or by_id[activity_id].participants
    stored: Counter[tuple[int, date, str, int, str]] = Counter()
    query_expenses = select(ActivityExpense.activity_id, ActivityExpense.day, ActivityExpense.item,
                            ActivityExpense.amount_fen, ActivityExpense.invoice_no).where(ActivityExpense.activity_id.in_(ids))  # fmt: skip
    for activity_id, day, item, amount, invoice in session.execute(query_expenses):
        stored[(activity_id, day, item, amount, invoice)] += 1
        by_id[activity_id].spent_fen += amount
    return found, stored


def _notes(plan: ImportPlan[LedgerRow]) -> None:
    new = [r for r in plan.rows if r.action == "new"]
    if not new:
        return
    groups = list({id(r.group): r.group for r in new if r.group is not None}.values())
    created = [g.name for g in groups if g.existing_id is None]
    if created:
        shown = "、".join(created[:10]) + ("等" if len(created) > 10 else "")
        plan.notes.append(f"新建活动 {len(created)} 个：{shown}")
    added = [g.name for g in groups if g.existing_id is not None]
    if added:
        shown = "、".join(added[:10]) + ("等" if len(added) > 10 else "")
        plan.notes.append(f"{len(added)} 个已有的活动增加支出：{shown}")
    plan.notes.append(f"记入支出 {len(new)} 笔，共 {format_fen(sum(r.amount_fen for r in new))} 元")
    over = [r for r in new if r.over_limit]
    flagged = [g for g in groups if g.over_limit]
    if over or flagged:
        plan.notes.append(
            f"超过标准的支出 {len(over)} 笔、活动 {len(flagged)} 个，已标出，原因待补充（{IMPORTED_REASON}）"
        )
