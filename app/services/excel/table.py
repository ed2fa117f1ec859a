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
    return _text_key(text(value))


def _text_key(shown: str) -> str:
    """``header_key`` of what ``text`` gave (already half-width)."""
    return _NOISE.sub("", shown).lower()


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
    # (header key, field key), longest first, then in order; under their first two characters,
    # which every key they start is found under: a data cell looks at a handful, not at all
    prefixes: dict[str, tuple[tuple[str, str], ...]]
    # header key → every field it could name, best first: a sheet's top rows repeat their cells
    seen: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def candidates(self, key: str) -> tuple[str, ...]:
        found = self.seen.get(key)
        if found is None:
            # "身份证号码18位", "月工资元": after the exact names, the longest known name it starts with
            found = (
                *self.exact.get(key, ()),
                *(f for nk, f in self.prefixes.get(key[:2], ()) if key.startswith(nk)),
            )
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
    by_start: dict[str, list[tuple[str, str]]] = {}
    for _, _, nk, key in prefixes:
        by_start.setdefault(nk[:2], []).append((nk, key))
    return _Names({k: tuple(v) for k, v in exact.items()}, {k: tuple(v) for k, v in by_start.items()})


def _match(key: str, names: _Names, taken: set[str]) -> str | None:
    if not key:
        return None
    for found in names.candidates(key):
        if found not in taken:
            return found
    return None


def map_columns(row: Sequence[Any], specs: Sequence[FieldSpec]) -> tuple[dict[int, str], list[str]]:
    return _map_columns(row, _Row(row), _names(tuple(specs)))


class _Row:
    """A row's cells as ``text`` gives them and as header keys, each worked out once."""

    def __init__(self, cells: Sequence[Any]) -> None:
        self.texts = [text(c) for c in cells]
        self.keys = [_text_key(t) for t in self.texts]


def _map_columns(row: Sequence[Any], seen: _Row, names: _Names) -> tuple[dict[int, str], list[str]]:
    """``seen``: the same row's texts and keys."""
    fields: dict[int, str] = {}
    unknown: list[str] = []
    taken: set[str] = set()
    texts, keys = seen.texts, seen.keys
    for col, cell in enumerate(row):
        # a header is text: a number or a date in the row is data, named by no field
        found = _match(keys[col], names, taken) if cell.__class__ is str else None
        if found is not None:
            fields[col] = found
            taken.add(found)
        elif texts[col]:
            unknown.append(texts[col])
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
    above: tuple[_Row, int] | None = None  # the row before, and its score
    for number, row in islice(sheet.numbered(), HEADER_SCAN_ROWS):
        seen = _Row(row)  # the row is looked at twice: alone, and under the one before
        fields, unknown = _map_columns(row, seen, names)
        score = len(fields)
        if score > best_score and required <= set(fields.values()):
            best_score = score
            best = ColumnMapping(number, seen.texts, fields, unknown)
        if above is not None and row:
            upper, upper_score = above
            headers = _two_rows(upper, seen, names)
            fields, unknown = _map_columns(headers, _Row(headers), names)
            both = len(fields)
            if both > max(best_score, score, upper_score) and required <= set(fields.values()):
                best_score = both
                best = ColumnMapping(number, headers, fields, unknown)
        above = (seen, score) if row else None
    return best


def _two_rows(upper: _Row, lower: _Row, names: _Names) -> list[str]:
    """The header text of each column of a two-row header."""
    headers = []
    tops, bottoms = upper.texts, lower.texts
    for col in range(max(len(tops), len(bottoms))):
        top = tops[col] if col < len(tops) else ""
        bottom = bottoms[col] if col < len(bottoms) else ""
        if not bottom or not top:
            headers.append(bottom or top)
        elif _match(lower.keys[col], names, set()) is not None or not _names_a_field(top + bottom, names):
            headers.append(bottom)  # a group title over the column's own header
        else:
            headers.append(top + bottom)  # one header written over two rows: 联系 over 电话
    return headers


def _names_a_field(shown: str, names: _Names) -> bool:
    return _match(_text_key(shown), names, set()) is not None


def apply_mapping(mapping: ColumnMapping, fields: dict[int, str]) -> ColumnMapping:
    """The same header row with the user's corrections (column → field key, or removed)."""
    unknown = [h for col, h in enumerate(mapping.headers) if h and col not in fields]
    return ColumnMapping(mapping.header_row, mapping.headers, dict(fields), unknown)
