"""Reading the roster from the database as RosterRows (see roster_index for the search)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Member
from app.services.roster_index import Roster, RosterRow
from app.services.union import list_groups

_COLUMNS = (
    Member.id,
    Member.name,
    Member.gender,
    Member.birth_date,
    Member.id_number,
    Member.group_id,
    Member.category,
    Member.status,
    Member.phone,
    Member.card_number,
    Member.joined_on,
    Member.political_status,
    Member.education,
    Member.position,
    Member.ethnicity,
    Member.is_migrant_worker,
    Member.is_hardship,
    Member.model_worker_level,
    Member.pinyin_full,
    Member.pinyin_initials,
)

IN_ROLL = "在册"  # 在会 and 保留会籍: people who are members of the union today


def _row(values: tuple[Any, ...], paths: dict[int, str]) -> RosterRow:
    (mid, name, gender, birth, idn, gid, cat, status, phone, card, joined, political,
     education, position, ethnicity, migrant, hardship, model, full, initials) = values  # fmt: skip
    id_text = idn or ""
    return RosterRow(
        mid, name, gender, birth, id_text, gid, paths.get(gid, "") if gid else "",
        cat, status, phone, card, joined, political, education, position, ethnicity,
        bool(migrant), bool(hardship), model, full,
        f"{name}\x1f{id_text}\x1f{phone}\x1f{card}".lower(), f"\x1e{full}\x1e{initials}",
    )  # fmt: skip


def load_roster(session: Session, *, limit: int | None = None) -> Roster:
    """Members as RosterRows in pinyin order of name; ``limit`` reads just the first page."""
    groups = list_groups(session)
    paths = {g.id: g.path for g in groups}
    query = select(*_COLUMNS).order_by(Member.pinyin_full, Member.id)
    if limit is not None:
        query = query.limit(limit)
    # Core execution on the session's connection: the ORM's row processing costs 2x here.
    rows = [_row(tuple(values), paths) for values in session.connection().execute(query)]
    return Roster(rows=rows, groups=groups)
