"""A few members as RosterRows: the rows an edit changed, without reading the whole roster."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Member
from app.services.roster.groups import list_groups
from app.services.roster.index import ROW_COLUMNS, RosterRow, row_from_values


def load_rows(session: Session, member_ids: Collection[int]) -> list[RosterRow]:
    """The members with these ids as RosterRows (ids not found are left out), as
    ``load_roster`` builds them."""
    if not member_ids:
        return []
    paths = {g.id: g.path for g in list_groups(session)}
    query = select(*(getattr(Member, name) for name in ROW_COLUMNS)).where(Member.id.in_(list(member_ids)))
    return [row_from_values(tuple(values), paths) for values in session.connection().execute(query)]
