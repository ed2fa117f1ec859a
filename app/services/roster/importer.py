"""Importing a roster from the spreadsheet a secretary already has: the pipeline's first importer.

Two steps, so nothing is written before the user has seen what will happen: ``plan``
reads, checks and matches every row (a preview); ``apply`` writes it in one transaction.
Every problem names the spreadsheet's own row number and the column's header text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Date, DateTime, case, func, insert, literal, select
from sqlalchemy.orm import Session

from app.db import REBUILD_INDEXES_FROM, insert_values
from app.domain.members import (
    FIELD_LABELS,
    JOINED_BEFORE_IMPORT,
    RETIRED_ON_IMPORT,
    STATUS_AFTER,
    Category,
    EventKind,
    IdType,
    MemberInput,
    MemberStatus,
)
from app.domain.money import format_fen
from app.domain.pinyin import pinyin_keys
from app.domain.yearmonth import YearMonth
from app.models import DuesBaseWage, Group, Member, MembershipEvent
from app.models.audit import record_bulk
from app.models.base import now as datetime_now
from app.services.errors import UserError
from app.services.excel.reader import Sheet
from app.services.excel.table import ColumnMapping
from app.services.imports import (
    FieldChange,
    Importer,
    ImportOptions,
    ImportPlan,
    ImportResult,
    Preloaded,
    RowIssue,
    apply_plan,
    find_sheet,
    plan_sheet,
    read_file,
)
from app.services.imports.columns import table_rows
from app.services.progress import NO_PROGRESS, Progress
from app.services.roster.fields import IGNORED_FIELDS, ROSTER_FIELDS
from app.services.roster.groups import list_groups
from app.services.roster.import_rows import PlannedRow, header, read_rows
from app.services.roster.members import set_dues_wage

__all__ = [
    "ImportResult",
    "PlannedRow",
    "RosterImporter",
    "RosterOptions",
    "RosterPlan",
    "apply_import",
    "plan_import",
]

_RESIDENT = IdType.RESIDENT.value
# Fields a member row is compared on, in the order changes are listed.
COMPARED = (
    "name", "gender", "ethnicity", "birth_date", "id_number", "political_status", "education",
    "household_type", "group", "position", "category", "is_migrant_worker", "joined_on",
    "card_number", "phone", "model_worker_level", "is_hardship", "wage", "remark",
)  # fmt: skip


@dataclass(frozen=True)
class RosterOptions(ImportOptions):
    on_existing: str = "skip"  # members already on the roster: "skip" or "update" from the file
    # The month the file's wages and statuses apply from (工资自何月起适用); None = this month.
    wages_from: YearMonth | None = None

    @property
    def since(self) -> date:
        return (self.wages_from or YearMonth.of(self.today)).first_day()

    def __post_init__(self) -> None:
        if self.on_existing not in ("skip", "update"):
            raise UserError("已有会员的处理方式只能是 skip（跳过）或 update（更新）")


@dataclass
class RosterPlan(ImportPlan[PlannedRow]):
    on_existing: str = "skip"
    new_groups: list[str] = field(default_factory=list)


# -- the plan -------------------------------------------------------------------------------------


@dataclass
class _Existing:
    id: int
    values: dict[str, Any]


def _existing_members(
    session: Session,
) -> tuple[dict[str, _Existing], dict[tuple[str, date], list[_Existing]], dict[str, int]]:
    groups = {g.id: tuple(g.path.split(" / ")) for g in list_groups(session)}
    wages = dict(
        session.execute(
            select(DuesBaseWage.member_id, DuesBaseWage.wage_fen).where(
                DuesBaseWage.id.in_(select(func.max(DuesBaseWage.id)).group_by(DuesBaseWage.member_id))
            )
        ).all()
    )
    by_id: dict[str, _Existing] = {}
    by_name: dict[tuple[str, date], list[_Existing]] = {}
    cards: dict[str, int] = {}
    columns = [getattr(Member, k) for k in COMPARED if k not in ("group", "wage")]
    for row in session.execute(select(Member.id, Member.group_id, *columns)):
        mid, gid, *values = row
        record = dict(zip([k for k in COMPARED if k not in ("group", "wage")], values, strict=True))
        record["group"] = groups.get(gid, ())
        record["wage"] = wages.get(mid)
        existing = _Existing(mid, record)
        if record["id_number"]:
            by_id[record["id_number"]] = existing
        by_name.setdefault((record["name"], record["birth_date"]), []).append(existing)
        if record["card_number"]:
            cards[record["card_number"]] = mid
    return by_id, by_name, cards


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return " / ".join(value) or "（未分组）"
    return str(value)


def _row_values(planned: PlannedRow, present: set[str]) -> dict[str, Any]:
    """The values this row states (blank cells state nothing and change nothing)."""
    data = planned.data
    assert data is not None
    values: dict[str, Any] = {}
    for key in COMPARED:
        if key in planned.blank:
            continue
        if key == "group":
            if planned.group_path:
                values[key] = planned.group_path
        elif key == "wage":
            if planned.wage_fen is not None:
                values[key] = planned.wage_fen
        elif key in ("is_migrant_worker", "is_hardship"):
            if key in present:
                values[key] = getattr(data, key)
        elif key in ("gender", "birth_date") or key in present:
            value = getattr(data, key)
            if value not in ("", None):
                values[key] = value
    return values


def _label(key: str) -> str:
    return {"group": "所在分组", "wage": "会费基数工资"}.get(key, FIELD_LABELS.get(key, key))


def _money(value: Any) -> Any:
    return format_fen(value) if isinstance(value, int) and not isinstance(value, bool) else value


class RosterImporter(Importer[PlannedRow, RosterOptions]):
    """花名册: one row per member, matched to the roster by ID number, then name + birth date."""

    kind = "roster"
    title = "花名册"
    fields = ROSTER_FIELDS
    ignored_fields = IGNORED_FIELDS
    noun = "名会员"

    def __init__(self, options: RosterOptions) -> None:
        super().__init__(options)
        self._existing = Preloaded(_existing_members)

    def prepare(self, session: Session) -> None:
        self._existing.ahead(session)

    def plan(
        self, session: Session, sheet: Sheet, mapping: ColumnMapping, progress: Progress = NO_PROGRESS
    ) -> RosterPlan:
        """Read and check every row, match it to the roster, and say what importing would do."""
        on_existing, today = self.options.on_existing, self.options.today
        members, ignored = table_rows(sheet, mapping, "name")
        plan = RosterPlan(
            self.kind, Path(sheet.name), sheet.name, mapping, read_rows(mapping, members, today, progress),
            ignored_rows=ignored, on_existing=on_existing,
        )  # fmt: skip
        present = set(mapping.fields.values())
        by_id, by_name, cards = self._existing.take(session)
        name_header, id_header, card_header = (
            header(mapping, k) for k in ("name", "id_number", "card_number")
        )
        seen_ids: dict[str, int] = {}
        seen_cards: dict[str, int] = {}
        seen_people: dict[tuple[str, date | None], int] = {}
        for planned in plan.rows:
            number = planned.row
            data = planned.data
            assert data is not None
            # the same person twice in one file
            key_id = data.id_number if data.id_type == _RESIDENT else ""
            if key_id and not (planned.issues and any(i.column == id_header for i in planned.issues)):
                if key_id in seen_ids:
                    planned.issues.append(
                        RowIssue(
                            number,
                            id_header,
                            f"与第 {seen_ids[key_id]} 行是同一人（身份证号相同），同一人只能出现一次",
                        )
                    )
                else:
                    seen_ids[key_id] = number
            elif data.name and not key_id:
                person = (data.name, data.birth_date)
                if person in seen_people:
                    planned.issues.append(
                        RowIssue(
                            number,
                            name_header,
                            f"与第 {seen_people[person]} 行姓名和出生日期都相同，可能是同一人",
                        )
                    )
                else:
                    seen_people[person] = number
            if data.card_number:
                if data.card_number in seen_cards:
                    planned.issues.append(
                        RowIssue(
                            number,
                            card_header,
                            f"会员证号与第 {seen_cards[data.card_number]} 行重复",
                        )
                    )
                else:
                    seen_cards[data.card_number] = number
            if planned.issues:
                planned.action = "error"
                continue
            # match: ID number first, then name + birth date; a name alone never matches
            existing = by_id.get(key_id) if key_id else None
            if existing is None and by_name and data.birth_date is not None:
                same = [
                    e
                    for e in by_name.get((data.name, data.birth_date), [])
                    if not key_id or not e.values["id_number"]
                ]
                if len(same) == 1:
                    existing = same[0]
            if existing is None:
                holder = cards.get(data.card_number) if data.card_number else None
                if holder is not None:
                    planned.issues.append(RowIssue(number, card_header, "会员证号已被名册中的另一名会员使用"))
                    planned.action = "error"
                    continue
                planned.action = "new"
                continue
            planned.member_id = existing.id
            stated = _row_values(planned, present)
            for key, new in stated.items():
                old = existing.values.get(key)
                if old != new and not (key == "group" and not new):
                    planned.changes.append(FieldChange(_label(key), _shown(_money(old)), _shown(_money(new))))
            if planned.changes and data.card_number:
                holder = cards.get(data.card_number)
                if holder is not None and holder != existing.id:
                    planned.issues.append(RowIssue(number, card_header, "会员证号已被名册中的另一名会员使用"))
                    planned.action = "error"
                    continue
            planned.action = (
                "unchanged" if not planned.changes else ("update" if on_existing == "update" else "skip")
            )
        known = {tuple(g.path.split(" / ")) for g in list_groups(session)}
        needed = {
            r.group_path[: i + 1]
            for r in plan.rows
            if r.action in ("new", "update")
            for i in range(len(r.group_path))
        }
        plan.new_groups = sorted(" / ".join(p) for p in needed - known)
        if plan.new_groups:
            plan.notes.append(f"新建分组：{'、'.join(plan.new_groups)}")
        writing = any(r.action in ("new", "update") for r in plan.rows)
        if writing and ("wage" in present or "category" in present):  # else nothing of it is stored
            since = YearMonth.of(self.options.since)
            plan.notes.append(
                f"按自{since.chinese()}起适用记入文件中的工资（会费基数）和人员类别；"
                f"没有入会时间的会员从{since.chinese()}起记入会费，报表中按原来就是会员计（不算新入会）"
            )
            if "wage" in present and since.month > 1 and any(r.action == "new" for r in plan.rows):
                # a roster brought in late in the year: said before the year's dues are rolled
                plan.notes.append(
                    f"新会员在{since.chinese()}以前的月份没有会费基数，生成这些月份的应缴时会跳过他们；"
                    f"工资若从年初就适用，请把工资适用的月份改为{since.year}年1月"
                    f"（命令行加 --wages-from {since.year}-01）"
                )
        return plan

    def apply(
        self, session: Session, plan: ImportPlan[PlannedRow], progress: Progress = NO_PROGRESS
    ) -> ImportResult:
        """Insert the new members (with their 入会 history and wages) and update the changed ones."""
        since = self.options.since
        counts = plan.counts()
        new_rows = [r for r in plan.rows if r.action == "new"]
        update_rows = [r for r in plan.rows if r.action == "update"]
        group_ids, groups_created = _ensure_groups(
            session, {r.group_path for r in new_rows + update_rows if r.group_path}
        )
        total = len(new_rows) + len(update_rows)
        if new_rows:
            first_id = _insert_members(session, new_rows, group_ids, progress, total)
            _insert_new_member_history(session, first_id, plan.path.name, since)
            insert_values(
                session,
                DuesBaseWage.__table__,  # type: ignore[arg-type]
                ("member_id", "effective_from", "wage_fen"),
                [
                    (member_id, since.isoformat(), planned.wage_fen)
                    for member_id, planned in enumerate(new_rows, start=first_id)
                    if planned.wage_fen is not None
                ],
            )
            record_bulk(
                session,
                "members",
                f"导入花名册“{plan.path.name}”：新增 {len(new_rows)} 名会员",
                len(new_rows),
            )
        present = set(plan.mapping.fields.values())
        for index, planned in enumerate(update_rows, start=len(new_rows)):
            if index % 500 == 0:
                progress.step(index, total, "正在更新会员……")
            _update_member(session, planned, present, group_ids, since)
        progress.step(total, total, "导入完成")
        return ImportResult(
            new=len(new_rows),
            updated=len(update_rows),
            unchanged=counts["unchanged"],
            skipped=counts["skip"],
            invalid=counts["error"],
            notes=(f"新建了 {groups_created} 个分组。",) if groups_created else (),
        )


def plan_import(
    session: Session,
    path: Path,
    *,
    sheet: str | None = None,
    mapping: ColumnMapping | None = None,
    on_existing: str = "skip",
    today: date | None = None,
    wages_from: YearMonth | None = None,
    progress: Progress = NO_PROGRESS,
) -> RosterPlan:
    """Read ``path`` and plan it as a roster (the command line and the tests start here)."""
    options = RosterOptions(on_existing=on_existing, today=today or date.today(), wages_from=wages_from)
    importer = RosterImporter(options)
    sheets = read_file(path, sheet)
    if mapping is not None and len(sheets) == 1:
        chosen = sheets[0]  # the user said which row is the header and what each column is
    else:
        found = find_sheet(session, importer, sheets, sheet)
        chosen, mapping = found.sheet, mapping or found.mapping
    plan = plan_sheet(session, importer, chosen, mapping, path=path, progress=progress)
    assert isinstance(plan, RosterPlan)
    return plan


def apply_import(
    session: Session,
    plan: ImportPlan[PlannedRow],
    *,
    skip_invalid: bool = False,
    remember: bool = True,
    today: date | None = None,
    wages_from: YearMonth | None = None,
    progress: Progress = NO_PROGRESS,
) -> ImportResult:
    """Write a roster plan in the caller's transaction (see ``apply_plan``)."""
    on_existing = plan.on_existing if isinstance(plan, RosterPlan) else "skip"
    options = RosterOptions(on_existing=on_existing, today=today or date.today(), wages_from=wages_from)
    importer = RosterImporter(options)
    return apply_plan(
        session, importer, plan, skip_invalid=skip_invalid, remember=remember, progress=progress
    )


# -- writing ---------------------------------------------------------------------------------------


def _ensure_groups(session: Session, paths: set[tuple[str, ...]]) -> tuple[dict[tuple[str, ...], int], int]:
    ids = {tuple(g.path.split(" / ")): g.id for g in list_groups(session)}
    created = 0
    for path in sorted(paths, key=len):
        for depth in range(1, len(path) + 1):
            prefix = path[:depth]
            if prefix in ids:
                continue
            kind = "部门" if depth == 1 else "工会小组"
            group = Group(name=prefix[-1], kind=kind, parent_id=ids[prefix[:-1]] if depth > 1 else None)
            session.add(group)
            session.flush()
            ids[prefix] = group.id
            created += 1
    return ids, created


_MEMBER_COLUMNS = (
    "name", "gender", "ethnicity", "birth_date", "id_type", "id_number", "political_status", "education",
    "household_type", "group_id", "position", "category", "is_migrant_worker", "joined_on", "card_number",
    "phone", "model_worker_level", "is_hardship", "status", "remark", "pinyin_full", "pinyin_initials",
)  # fmt: skip
_RETIRED = Category.RETIRED_RETAINED.value
_ACTIVE, _RETAINED = MemberStatus.ACTIVE.value, MemberStatus.RETAINED.value


def _member_values(data: MemberInput, group_id: int | None) -> tuple[Any, ...]:
    full, initials = pinyin_keys(data.name)
    joined = data.joined_on
    return (
        data.name, data.gender, data.ethnicity or "汉族", data.birth_date.isoformat() if data.birth_date else None,
        data.id_type, data.id_number or None, data.political_status, data.education, data.household_type,
        group_id, data.position, data.category, int(data.is_migrant_worker), joined.isoformat() if joined else None,
        data.card_number, data.phone, data.model_worker_level, int(data.is_hardship),
        _RETAINED if data.category == _RETIRED else _ACTIVE, data.remark, full, initials,
    )  # fmt: skip


def _insert_members(
    session: Session,
    rows: list[PlannedRow],
    group_ids: dict[tuple[str, ...], int],
    progress: Progress,
    total: int,
) -> int:
    """Insert with one executemany (the ORM's bulk path costs ~5x) and return the first new id:
    inside our write transaction SQLite numbers the rows max(id) + 1, + 2, … in order."""
    connection = session.connection()
    before = connection.execute(select(func.coalesce(func.max(Member.id), 0))).scalar_one()
    values = []
    for index, planned in enumerate(rows):
        if index % 5000 == 0:
            progress.step(index, total, "正在写入会员……")
        assert planned.data is not None
        values.append(_member_values(planned.data, group_ids.get(planned.group_path)))
    insert_values(session, Member.__table__, _MEMBER_COLUMNS, values, rebuild_from=REBUILD_INDEXES_FROM)  # type: ignore[arg-type]
    count, last = connection.execute(
        select(func.count(), func.coalesce(func.max(Member.id), 0)).where(Member.id > before)
    ).one()
    expected = (len(rows), before + len(rows))
    if (count, last) != expected:  # pragma: no cover - another writer inside our transaction
        raise RuntimeError("导入时会员编号不连续，已撤销导入")
    return int(before) + 1


def _insert_new_member_history(session: Session, first_id: int, file_name: str, since: date) -> None:
    """Each new member's 入会 event (on the file's 入会时间, else the month the file applies
    from) and, for retirees, the 保留会籍 that follows from that month on, written by SQLite
    from the member rows themselves."""
    joined = func.coalesce(Member.joined_on, literal(since, Date))
    now = literal(datetime_now(), DateTime)
    columns = ["member_id", "kind", "event_date", "reason", "status_after", "created_at"]
    reason = case(
        (Member.joined_on.is_(None), literal(JOINED_BEFORE_IMPORT)), else_=literal(f"导入花名册：{file_name}")
    )
    join = select(
        Member.id, literal(EventKind.JOIN.value), joined, reason, literal(_ACTIVE), now,
    ).where(Member.id >= first_id)  # fmt: skip
    retain = select(
        Member.id, literal(EventKind.RETAIN.value), func.max(joined, literal(since, Date)),
        literal(RETIRED_ON_IMPORT), literal(STATUS_AFTER[EventKind.RETAIN].value), now,
    ).where(Member.id >= first_id, Member.status == _RETAINED)  # fmt: skip
    for query in (join, retain):
        session.execute(insert(MembershipEvent).from_select(columns, query.order_by(Member.id)))


def _update_member(
    session: Session,
    planned: PlannedRow,
    present: set[str],
    group_ids: dict[tuple[str, ...], int],
    wage_from: date,
) -> None:
    member = session.get(Member, planned.member_id)
    assert member is not None
    stated = _row_values(planned, present)
    for key, value in stated.items():
        if key == "group":
            member.group_id = group_ids[value]
        elif key == "wage":
            set_dues_wage(session, member.id, value, wage_from)
        else:
            setattr(member, key, value)
    if "name" in stated:
        member.pinyin_full, member.pinyin_initials = pinyin_keys(member.name)
