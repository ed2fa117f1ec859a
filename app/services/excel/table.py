"""Finding the table in a sheet: the header row under title lines, and which column is which.

Generic over a list of FieldSpecs, so the same machinery reads rosters today and payroll,
past care records or budgets later.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from typing import Any

from app.domain.text import to_halfwidth
from app.services.excel.reader import Sheet
from app.services.excel.values import text

HEADER_SCAN_ROWS = 60  # title rows, "填报单位" lines, notes… the header is near the top
_NOISE = re.compile(r"[\s*＊:：()（）\[\]【】<>《》\"'“”‘’_\-—/、.。]|必填|选填|\u00a0")


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str  # the header UnionDesk writes
    synonyms: tuple[str, ...] = ()
    required: bool = False

    def names(self) -> tuple[str, ...]:
        return (self.label, *self.synonyms)


def header_key(value: object) -> str:
    """Header text reduced to what matters: 身份证号码（18位）* → 身份证号码18位."""
    return _NOISE.sub("", to_halfwidth(text(value))).lower()


@dataclass
class ColumnMapping:
    header_row: int  # the spreadsheet's own row number
    headers: list[str]  # header text per column, as in the file
    fields: dict[int, str]  # column index → field key
    unknown: list[str] = field(default_factory=list)  # headers of columns no field took

    def column_of(self, key: str) -> int | None:
        return next((col for col, k in self.fields.items() if k == key), None)

    def header_of(self, key: str) -> str:
        col = self.column_of(key)
        return self.headers[col] if col is not None else ""

    def signature(self) -> str:
        """Identifies files with the same headers, to remember a confirmed mapping."""
        return "|".join(header_key(h) for h in self.headers)


@dataclass(frozen=True)
class _Names:
    """A field list's header names, keyed for matching: exact names, and prefixes longest first."""

    exact: dict[str, tuple[str, ...]]  # header key → field keys, in the fields' order
    prefixes: tuple[tuple[str, str], ...]  # (header key, field key), longest first, then in order
    # header key → every field it could name, best first: a sheet's top rows repeat their cells
    seen: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def candidates(self, key: str) -> tuple[str, ...]:
        found = self.seen.get(key)
        if found is None:
            # "身份证号码18位", "月工资元": after the exact names, the longest known name it starts with
            found = (*self.exact.get(key, ()), *(f for nk, f in self.prefixes if key.startswith(nk)))
            if len(self.seen) > 20_000:  # kept for the whole session: forget rather than grow
                self.seen.clear()
            self.seen[key] = found
        return found


@lru_cache(maxsize=64)
def _names(specs: tuple[FieldSpec, ...]) -> _Names:
    exact: dict[str, list[str]] = {}
    prefixes: list[tuple[int, int, str, str]] = []
    for order, spec in enumerate(specs):
        for name in spec.names():
            nk = header_key(name)
            if spec.key not in exact.setdefault(nk, []):
                exact[nk].append(spec.key)
            if len(nk) >= 2:
                prefixes.append((-len(nk), order, nk, spec.key))
    prefixes.sort()
    return _Names({k: tuple(v) for k, v in exact.items()}, tuple((nk, key) for _, _, nk, key in prefixes))


def _match(key: str, names: _Names, taken: set[str]) -> str | None:
    if not key:
        return None
    for found in names.candidates(key):
        if found not in taken:
            return found
    return None


def map_columns(row: Sequence[Any], specs: Sequence[FieldSpec]) -> tuple[dict[int, str], list[str]]:
    return _map_columns(row, _names(tuple(specs)))


def _map_columns(row: Sequence[Any], names: _Names) -> tuple[dict[int, str], list[str]]:
    fields: dict[int, str] = {}
    unknown: list[str] = []
    taken: set[str] = set()
    for col, cell in enumerate(row):
        # a header is text: a number or a date in the row is data, named by no field
        found = _match(header_key(cell), names, taken) if cell.__class__ is str else None
        if found is not None:
            fields[col] = found
            taken.add(found)
        elif text(cell):
            unknown.append(text(cell))
    return fields, unknown


def find_table(sheet: Sheet, specs: Sequence[FieldSpec]) -> ColumnMapping | None:
    """The most header-like row near the top: the one naming the most known fields, or two
    rows read together when that names more. None when no row names at least two fields
    including every required one.

    Two header rows: a group title merged over some columns (基本信息 over 姓名 and 性别),
    the other headers merged downward over both rows. A merged cell's value is in its
    top-left cell only, so each column takes its lower cell, or the upper one where the
    lower is empty; the header row is the lower one, and the data starts under it."""
    names = _names(tuple(specs))
    best: ColumnMapping | None = None
    best_score = 1
    required = {s.key for s in specs if s.required}
    above: tuple[list[Any], int] | None = None  # the row before, and its score
    for number, row in islice(sheet.numbered(), HEADER_SCAN_ROWS):
        fields, unknown = _map_columns(row, names)
        score = len(fields)
        if score > best_score and required <= set(fields.values()):
            best_score = score
            best = ColumnMapping(number, [text(c) for c in row], fields, unknown)
        if above is not None and row:
            upper, upper_score = above
            headers = _two_rows(upper, row, names)
            fields, unknown = _map_columns(headers, names)
            both = len(fields)
            if both > max(best_score, score, upper_score) and required <= set(fields.values()):
                best_score = both
                best = ColumnMapping(number, headers, fields, unknown)
        above = (row, score) if row else None
    return best


def _two_rows(upper: Sequence[Any], lower: Sequence[Any], names: _Names) -> list[str]:
    """The header text of each column of a two-row header."""
    headers = []
    for col in range(max(len(upper), len(lower))):
        top = text(upper[col]) if col < len(upper) else ""
        bottom = text(lower[col]) if col < len(lower) else ""
        if not bottom or not top:
            headers.append(bottom or top)
        elif _names_a_field(bottom, names) or not _names_a_field(top + bottom, names):
            headers.append(bottom)  # a group title over the column's own header
        else:
            headers.append(top + bottom)  # one header written over two rows: 联系 over 电话
    return headers


def _names_a_field(header: str, names: _Names) -> bool:
    return _match(header_key(header), names, set()) is not None


def apply_mapping(mapping: ColumnMapping, fields: dict[int, str]) -> ColumnMapping:
    """The same header row with the user's corrections (column → field key, or removed)."""
    unknown = [h for col, h in enumerate(mapping.headers) if h and col not in fields]
    return ColumnMapping(mapping.header_row, mapping.headers, dict(fields), unknown)
