"""The roster's first page read with sqlite3 alone, so the window can show it at start-up
before SQLAlchemy has loaded. Used only for a file ``db_file.is_current`` has accepted."""

from __future__ import annotations

from pathlib import Path

from app.db_file import read_rows
from app.domain.membership import COUNTED_STATUSES
from app.domain.union import build_group_tree
from app.services.roster.index import ROW_COLUMNS, Roster, row_from_values

_IN_ROLL = ", ".join(f"'{s.value}'" for s in COUNTED_STATUSES)  # as list_groups counts them


def peek_roster(path: Path, limit: int) -> Roster:
    groups = build_group_tree(
        read_rows(path, "SELECT id, name, kind, parent_id FROM groups ORDER BY sort_order, id"),
        dict(
            read_rows(
                path, f"SELECT group_id, count(*) FROM members WHERE status IN ({_IN_ROLL}) GROUP BY group_id"
            )
        ),
    )
    paths = {g.id: g.path for g in groups}
    sql = f"SELECT {', '.join(ROW_COLUMNS)} FROM members ORDER BY pinyin_full, id LIMIT ?"
    return Roster(rows=[row_from_values(v, paths) for v in read_rows(path, sql, (limit,))], groups=groups)
