"""The roster's first page read with sqlite3 alone, so the window can show it at start-up
before SQLAlchemy has loaded. Used only for a file ``db_file.is_current`` has accepted."""

from __future__ import annotations

from pathlib import Path

from app.db_file import Select, read_selects
from app.domain.members import COUNTED_STATUSES
from app.domain.union import build_group_tree
from app.services.roster.index import ROW_COLUMNS, Roster, row_from_values

_IN_ROLL = ", ".join(f"'{s.value}'" for s in COUNTED_STATUSES)  # as list_groups counts them


def peek_roster(path: Path, limit: int) -> Roster:
    groups, counts, rows = read_selects(path, [
        Select(("id", "name", "kind", "parent_id"), "FROM groups", order="sort_order, id"),
        Select(("group_id", "count(*)"), f"FROM members WHERE status IN ({_IN_ROLL}) GROUP BY group_id"),
        Select(ROW_COLUMNS, "FROM members", order="pinyin_full, id", limit=limit),
    ])  # fmt: skip
    tree = build_group_tree(groups, dict(counts))
    paths = {g.id: g.path for g in tree}
    return Roster(rows=[row_from_values(v, paths) for v in rows], groups=tree)
