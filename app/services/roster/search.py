"""Reading the roster from the database as RosterRows (see roster_index for the search)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Member
from app.services.roster.groups import list_groups
from app.services.roster.index import ROW_COLUMNS, Roster, row_from_values


def load_roster(session: Session, *, limit: int | None = None) -> Roster:
    """Members as RosterRows in pinyin order of name; ``limit`` reads just the first page."""
    groups = list_groups(session)
    paths = {g.id: g.path for g in groups}
    query = select(*(getattr(Member, name) for name in ROW_COLUMNS)).order_by(Member.pinyin_full, Member.id)
    if limit is not None:
        query = query.limit(limit)
    # Core execution on the session's connection: the ORM's row processing costs 2x here.
    rows = [row_from_values(tuple(values), paths) for values in session.connection().execute(query)]
    return Roster(rows=rows, groups=groups)
