"""The roster as a list of light rows, and the search and filters over it.

The whole roster (50,000 members fit in ~40 MB) is read once with one Core query and
searched in memory: a keystroke then costs a few milliseconds, with no database round
trip, and the GUI, the command line and the tests share the same matching rules.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.idcard import normalize_id_text
from app.domain.text import clean_text, to_halfwidth
from app.models import Member
from app.services.union import GroupInfo, descendants, list_groups


@dataclass(slots=True)
class RosterRow:
    id: int
    name: str
    gender: str
    birth_date: date | None
    id_number: str
    group_id: int | None
    group_path: str
    category: str
    status: str
    phone: str
    card_number: str
    joined_on: date | None
    political_status: str
    education: str
    position: str
    ethnicity: str
    is_migrant_worker: bool
    is_hardship: bool
    model_worker_level: str
    pinyin: str
    haystack: str  # lower-case search text: name, pinyin, ID, phone, card number


@dataclass
class Roster:
    rows: list[RosterRow]
    groups: list[GroupInfo]


@dataclass
class RosterFilter:
    text: str = ""
    group_id: int | None = None  # includes the groups below it
    status: str | None = None  # None: every status; "在册": 在会 + 保留会籍
    category: str | None = None
    female: bool = False
    migrant: bool = False
    hardship: bool = False
    model_worker: bool = False


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
        f"{name}\x1f{full}\x1f{initials}\x1f{id_text}\x1f{phone}\x1f{card}".lower(),
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


def normalize_query(text: str) -> str:
    """What a person types, ready to match: half-width, lower-case, no outer spaces.

    An ID fragment typed with a lower-case x or full-width digits still matches.
    """
    cleaned = clean_text(to_halfwidth(text)).lower()
    if cleaned and cleaned[0].isdigit():
        return normalize_id_text(cleaned).lower()
    return cleaned.replace(" ", "")


def filter_rows(rows: Sequence[RosterRow], flt: RosterFilter, groups: list[GroupInfo]) -> list[int]:
    """Indexes into ``rows`` of the members the filter keeps, in the order given."""
    keep = range(len(rows))
    query = normalize_query(flt.text)
    if query:
        keep = [i for i in keep if query in rows[i].haystack]  # type: ignore[assignment]
    checks: list[Callable[[RosterRow], bool]] = []
    if flt.group_id is not None:
        wanted = descendants(groups, flt.group_id)
        checks.append(lambda r: r.group_id in wanted)
    if flt.status == IN_ROLL:
        checks.append(lambda r: r.status in ("在会", "保留会籍"))
    elif flt.status:
        status = flt.status
        checks.append(lambda r: r.status == status)
    if flt.category:
        category = flt.category
        checks.append(lambda r: r.category == category)
    if flt.female:
        checks.append(lambda r: r.gender == "女")
    if flt.migrant:
        checks.append(lambda r: r.is_migrant_worker)
    if flt.hardship:
        checks.append(lambda r: r.is_hardship)
    if flt.model_worker:
        checks.append(lambda r: bool(r.model_worker_level))
    if not checks:
        return list(keep)
    return [i for i in keep if all(check(rows[i]) for check in checks)]
