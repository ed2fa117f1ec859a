"""What an entry's numbers point at, by name: an expense's 科目 as "50102 文体活动费（编号 30）"
and a record's 会员 as "张伟（编号 12）", not "30" and "12". A record deleted since is named
as the log's own 删除 entry left it: "一车间（编号 1，已删除）". Names are read for a page of
entries at once, one query per kind of record."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.system.audit import AuditRow

# the table a column of that name points at; ``parent_id`` points into its own table
_POINTS_AT = {
    "member_id": "members",
    "group_id": "groups",
    "category_id": "budget_categories",
    "activity_id": "activities",
    "batch_id": "care_batches",
    "file_id": "hardship_files",
}
_TREES = frozenset({"groups", "budget_categories"})
# each table's records by name: {} takes the numbers asked for
_NAMES = {
    "members": "SELECT id, name FROM members WHERE id IN ({})",
    "groups": "SELECT id, name FROM groups WHERE id IN ({})",
    "budget_categories": "SELECT id, trim(code || ' ' || name) FROM budget_categories WHERE id IN ({})",
    "activities": "SELECT id, name FROM activities WHERE id IN ({})",
    "care_batches": "SELECT id, name FROM care_batches WHERE id IN ({})",
    "hardship_files": (
        "SELECT f.id, m.name || '的困难职工档案' FROM hardship_files f JOIN members m ON m.id = f.member_id "
        "WHERE f.id IN ({})"
    ),
}
_CHUNK = 500  # numbers per query, well under SQLite's limit of bound values
# the deletions of one kind of record, by the partial index on them: its condition is written
# out (a bound value would not let SQLite use the index), the 删除 of ``app.models.audit.DELETED``
_DELETED = (
    "SELECT entity_id, before FROM audit_log WHERE action = '{action}' AND entity = ? AND entity_id IN ({numbers}) "
    "ORDER BY id"
)


def points_at(table: str, column: str) -> str | None:
    """The table ``column`` of ``table`` holds numbers of, or None when it names no record."""
    if column == "parent_id":
        return table if table in _TREES else None
    return _POINTS_AT.get(column)


class Reference(NamedTuple):
    """The name of a record an entry points at; ``deleted``: as its 删除 entry kept it."""

    name: str
    deleted: bool = False


def reference_text(value: int, found: Reference | None) -> str:
    """张伟（编号 12）; a record deleted since: 一车间（编号 1，已删除）, or 编号 1（已删除）
    when the log does not say what it was called."""
    if found is None:
        return f"编号 {value}（已删除）"
    return f"{found.name}（编号 {value}{'，已删除' if found.deleted else ''}）"


def with_reference_names(session: Session, rows: Sequence[AuditRow]) -> list[AuditRow]:
    """``rows`` with ``names`` filled: every record their before and after point at."""
    parsed = [row.sides() for row in rows]
    wanted: dict[str, set[int]] = {}
    for row, sides in zip(rows, parsed, strict=True):
        for values in sides:
            for column, value in (values or {}).items():
                target = points_at(row.entity, column)
                if target is not None and type(value) is int:
                    wanted.setdefault(target, set()).add(value)
    names: dict[tuple[str, int], Reference] = {}
    for table, numbers in wanted.items():
        found = {number: Reference(name) for number, name in _read(session, table, numbers)}
        found.update(_deleted(session, table, numbers - found.keys()))
        names.update(((table, number), name) for number, name in found.items())
    return [replace(row, names=names, parsed=sides) for row, sides in zip(rows, parsed, strict=True)]


def _deleted(session: Session, table: str, numbers: set[int]) -> dict[int, Reference]:
    """The names deleted records had, as their 删除 entries kept them."""
    from app.models.audit import DELETED
    from app.services.system.audit import entry_values

    found: dict[int, Reference] = {}
    for chunk in _chunks(sorted(numbers)):
        sql = _DELETED.format(action=DELETED, numbers=", ".join("?" * len(chunk)))
        for number, before in session.connection().exec_driver_sql(sql, (table, *chunk)):
            name = _deleted_name(table, entry_values(before) or {})
            if name:
                found[int(number)] = Reference(name, deleted=True)  # the latest deletion wins
    return found


def _deleted_name(table: str, values: dict[str, object]) -> str:
    name = values.get("name")
    if not isinstance(name, str) or table == "hardship_files":  # a file's name is its member's
        return ""
    code = values.get("code") if table == "budget_categories" else None
    return f"{code} {name}" if isinstance(code, str) and code else name


def _chunks(numbers: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(numbers), _CHUNK):
        yield numbers[start : start + _CHUNK]


def _read(session: Session, table: str, numbers: Iterable[int]) -> Iterable[tuple[int, str]]:
    connection = session.connection()
    for chunk in _chunks(sorted(numbers)):
        sql = _NAMES[table].format(", ".join("?" * len(chunk)))
        for number, name in connection.exec_driver_sql(sql, tuple(chunk)):
            yield int(number), str(name)
