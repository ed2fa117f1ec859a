"""The roster as light rows in memory, and the search and filters over them.

The whole roster (50,000 members fit in ~40 MB) is read once and searched in memory: a
keystroke then costs a few milliseconds with no database round trip, and the GUI, the
command line and the tests share the same matching rules. Free of SQLAlchemy, so the
window can import it before the database layer has loaded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.domain.idcard import normalize_id_text
from app.domain.text import clean_text, to_halfwidth
from app.domain.union import GroupInfo, descendants

IN_ROLL = "在册"  # 在会 and 保留会籍: people who are members of the union today


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
    # Lower-case search keys. Name, ID, phone and card number match anywhere; pinyin
    # (full and initials, each after a \x1e mark) only from its start, so "zw" finds
    # 张伟 and not every 曾志伟.
    search_text: str
    search_pinyin: str


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


# The members columns a RosterRow is built from, in order.
ROW_COLUMNS = (
    "id", "name", "gender", "birth_date", "id_number", "group_id", "category", "status", "phone",
    "card_number", "joined_on", "political_status", "education", "position", "ethnicity",
    "is_migrant_worker", "is_hardship", "model_worker_level", "pinyin_full", "pinyin_initials",
)  # fmt: skip


def _as_date(value: object) -> date | None:
    # SQLAlchemy hands back dates; the sqlite3 start-up path hands back ISO text.
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def row_from_values(values: Sequence[Any], paths: dict[int, str]) -> RosterRow:
    """A RosterRow from one result row of ROW_COLUMNS."""
    (mid, name, gender, birth, idn, gid, cat, status, phone, card, joined, political,
     education, position, ethnicity, migrant, hardship, model, full, initials) = values  # fmt: skip
    id_text = idn or ""
    return RosterRow(
        mid, name, gender, _as_date(birth), id_text, gid, paths.get(gid, "") if gid else "",
        cat, status, phone, card, _as_date(joined), political, education, position, ethnicity,
        bool(migrant), bool(hardship), model, full,
        f"{name}\x1f{id_text}\x1f{phone}\x1f{card}".lower(), f"\x1e{full.replace(' ', '')}\x1e{initials}",
    )  # fmt: skip


def normalize_query(text: str) -> str:
    """What a person types, ready to match: half-width, lower-case, no outer spaces.

    An ID fragment typed with a lower-case x or full-width digits still matches.
    """
    cleaned = clean_text(to_halfwidth(text)).lower()
    if cleaned and cleaned[0].isdigit():
        return normalize_id_text(cleaned).lower()
    return cleaned.replace(" ", "")


def _checks(flt: RosterFilter, groups: list[GroupInfo]) -> list[Callable[[RosterRow], bool]]:
    """The filters other than the search text, one predicate each."""
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
    return checks


class RosterIndex:
    """Search and filters over a fixed list of rows, fast enough to run on every keystroke.

    The rows the other filters keep are computed once per change of those filters; a
    keystroke then scans only their search keys, and a query that extends the previous
    one (typing on) scans only the previous matches — matching is monotone, since a
    longer query can only match fewer members.
    """

    def __init__(
        self, rows: Sequence[RosterRow], groups: list[GroupInfo], order: Sequence[int] | None = None
    ):
        self._rows = rows
        self._groups = groups
        self._order = list(range(len(rows))) if order is None else list(order)
        self._base_key: tuple[object, ...] | None = None
        self._base: list[int] = []
        self._texts: list[str] = []
        self._pinyins: list[str] = []
        self._last_query = ""
        self._last: list[int] = []  # positions in _base matching _last_query

    def apply(self, flt: RosterFilter) -> list[int]:
        """Indexes into the rows that pass ``flt``, in the index's order."""
        key = (
            flt.group_id,
            flt.status,
            flt.category,
            flt.female,
            flt.migrant,
            flt.hardship,
            flt.model_worker,
        )
        if key != self._base_key:
            self._rebuild_base(flt, key)
        query = normalize_query(flt.text)
        if not query:
            self._last_query, self._last = "", list(range(len(self._base)))
            return list(self._base)
        candidates = (
            self._last if self._last_query and query.startswith(self._last_query) else range(len(self._base))
        )
        texts = self._texts
        if query.isascii() and query.isalpha():
            start, pinyins = "\x1e" + query, self._pinyins
            found = [j for j in candidates if start in pinyins[j] or query in texts[j]]
        else:
            found = [j for j in candidates if query in texts[j]]
        self._last_query, self._last = query, found
        base = self._base
        return [base[j] for j in found]

    def _rebuild_base(self, flt: RosterFilter, key: tuple[object, ...]) -> None:
        rows = self._rows
        checks = _checks(flt, self._groups)
        if not checks:
            self._base = list(self._order)
        elif len(checks) == 1:
            check = checks[0]
            self._base = [i for i in self._order if check(rows[i])]
        else:
            self._base = [i for i in self._order if all(c(rows[i]) for c in checks)]
        self._texts = [rows[i].search_text for i in self._base]
        self._pinyins = [rows[i].search_pinyin for i in self._base]
        self._base_key = key
        self._last_query, self._last = "", []


def filter_rows(
    rows: Sequence[RosterRow], flt: RosterFilter, groups: list[GroupInfo], order: Sequence[int] | None = None
) -> list[int]:
    """Indexes into ``rows`` of the members ``flt`` keeps, in ``order`` (default: as stored)."""
    return RosterIndex(rows, groups, order).apply(flt)
