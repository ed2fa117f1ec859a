"""The data rows of a roster file, read and checked: how each roster column's cells are read
(the pipeline reads them column by column, each distinct value once), then what depends on
several columns at once (the ID number against birth date and sex), row by row. The checks are the domain's own (``app.domain.members``), the ones
the member form uses, so a row imports exactly when the same values typed by hand would
be accepted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from app.domain.idcard import IdNumberError, parse_id_number
from app.domain.members import (
    FIELD_LABELS,
    GROUP_NAME_LIMIT,
    TEXT_LIMITS,
    Category,
    IdType,
    MemberInput,
    check_category,
    check_identity,
    check_joined_on,
    check_model_worker_level,
    check_name,
    check_phone,
    clean_card_number,
)
from app.domain.text import too_long
from app.services.excel.table import ColumnMapping
from app.services.excel.values import (
    CellError,
    read_date,
    read_flag,
    read_gender,
    read_phone,
    read_wage_fen,
    text,
)
from app.services.imports.base import PlannedRow as ImportRow
from app.services.imports.base import RowIssue
from app.services.imports.columns import Reader, read_columns
from app.services.progress import NO_PROGRESS, Progress
from app.services.roster.fields import (
    FIELD_LABEL,
    read_category,
    read_education,
    read_model_worker,
    read_name,
    read_political,
)


@dataclass(slots=True)
class PlannedRow(ImportRow):
    """A roster row: the member it describes and, once matched, who it is on the roster."""

    data: MemberInput | None = None
    group_path: tuple[str, ...] = ()
    wage_fen: int | None = None
    member_id: int | None = None
    member_name: str = ""
    blank: frozenset[str] = frozenset()  # fields the file left empty and we defaulted

    def title(self) -> str:
        return self.member_name


# -- one column ------------------------------------------------------------------------------------


def _raising(read: Callable[[Any], Any], empty: Any) -> Reader:
    """A cell reader that raises CellError, as one that returns (value, message)."""

    def reader(raw: Any) -> tuple[Any, str | None]:
        try:
            return read(raw), None
        except CellError as exc:
            return empty, str(exc)

    return reader


def _dated(raw: Any) -> tuple[tuple[date | None, str | None], str | None]:
    notes: list[str] = []
    try:
        value = read_date(raw, notes)
    except CellError as exc:
        return (None, None), str(exc)
    return (value, notes[0] if notes else None), None


def _category(raw: Any) -> tuple[str, str | None]:
    try:
        category = read_category(raw)
    except CellError as exc:
        return "", str(exc)
    return category, (check_category(category) if category else None)


def _model_worker(raw: Any) -> tuple[str, str | None]:
    try:
        level = read_model_worker(raw)
    except CellError as exc:
        return "", str(exc)
    return level, check_model_worker_level(level)


def _group_parts(value: object) -> tuple[str, ...]:
    return tuple(p.strip() for p in text(value).replace("／", "/").split("/") if p.strip())


def _group_cell(raw: Any) -> tuple[tuple[str, ...], str | None]:
    parts = _group_parts(raw)
    for part in parts:
        if len(part) > GROUP_NAME_LIMIT:
            return (), too_long("分组名称", part, GROUP_NAME_LIMIT)
    return parts, None


def _limited(read: Callable[[Any], str], key: str) -> Reader:
    """A text reader refusing values longer than the member column holds (TEXT_LIMITS)."""
    label, limit = FIELD_LABELS[key], TEXT_LIMITS[key]

    def reader(raw: Any) -> tuple[Any, str | None]:
        try:
            value = read(raw)
        except CellError as exc:
            return "", str(exc)
        return value, (too_long(label, value, limit) if len(value) > limit else None)

    return reader


_CARD_LIMIT = TEXT_LIMITS["card_number"]


def _card_number(raw: Any) -> tuple[str, str | None]:
    value = clean_card_number(text(raw))  # one value per member: no wrapper, kept cheap
    return value, (too_long("会员证号", value, _CARD_LIMIT) if len(value) > _CARD_LIMIT else None)


def _union_group(raw: Any) -> tuple[str, str | None]:
    value = text(raw)
    return value, (too_long("分组名称", value, GROUP_NAME_LIMIT) if len(value) > GROUP_NAME_LIMIT else None)


def _id_cell(raw: Any) -> tuple[Any, str | None]:
    # A 15-digit number in a numeric cell survives the float exactly; 18 digits do not, and
    # parse_id_number says so without guessing the lost digits.
    if isinstance(raw, float):
        if raw.is_integer() and 0 < raw < 1e15:
            return str(int(raw)), None
        try:
            parse_id_number(raw)
        except IdNumberError as exc:
            return "", str(exc)
    return raw, None


class _Values(NamedTuple):
    """One row's values, field by field, in the order of ``_READERS``."""

    name: str
    id_type: str
    id_number: Any  # the cell as it was (text, or a number the ID check explains)
    gender: str
    ethnicity: str
    political_status: str
    education: str
    household_type: str
    group: tuple[str, ...]
    union_group: str
    position: str
    category: str
    is_migrant_worker: bool
    is_hardship: bool
    model_worker_level: str
    birth_date: tuple[date | None, str | None]  # (date, what was assumed about it)
    joined_on: tuple[date | None, str | None]
    card_number: str
    phone: str
    wage: int | None
    remark: str


# field → its reader. Blank cells are read too ("" gives the field's blank value, or
# 请填写姓名); a field the file has no column for is read as blank.
_READERS: dict[str, Reader] = {
    "name": lambda raw: check_name(read_name(raw)),
    "id_type": _limited(text, "id_type"),
    "id_number": _id_cell,
    "gender": _raising(read_gender, ""),
    "ethnicity": _limited(text, "ethnicity"),
    "political_status": _limited(read_political, "political_status"),
    "education": _limited(read_education, "education"),
    "household_type": _limited(text, "household_type"),
    "group": _group_cell,
    "union_group": _union_group,
    "position": _limited(text, "position"),
    "category": _category,
    "is_migrant_worker": _raising(read_flag, False),
    "is_hardship": _raising(read_flag, False),
    "model_worker_level": _model_worker,
    "birth_date": _dated,
    "joined_on": _dated,
    "card_number": _card_number,
    "phone": lambda raw: check_phone(read_phone(raw)),
    "wage": _raising(read_wage_fen, None),
    "remark": _limited(text, "remark"),
}
assert tuple(_READERS) == _Values._fields


# -- the rows ---------------------------------------------------------------------------------------


def read_rows(
    mapping: ColumnMapping,
    rows: Sequence[tuple[int, list[Any]]],
    today: date,
    progress: Progress = NO_PROGRESS,
) -> list[PlannedRow]:
    """Every member row read and checked: action "new" when it could be imported as it is,
    "error" with its issues otherwise. Matching against the roster comes later."""
    values, row_errors = read_columns(mapping, rows, _READERS, lambda key: header(mapping, key), progress)
    progress.step(len(_READERS), len(_READERS), "正在核对身份证号……")
    headers = {key: header(mapping, key) for key in _READERS}
    by_row = map(_Values._make, zip(*(values[key] for key in _READERS), strict=True))
    return [
        _checked_row(number, cells, row_values, row_errors.get(index, {}), headers, today)
        for index, ((number, cells), row_values) in enumerate(zip(rows, by_row, strict=True))
    ]


def header(mapping: ColumnMapping, key: str) -> str:
    """The file's own header for a field, or its usual name when the file has no such column."""
    return mapping.header_of(key) or FIELD_LABEL.get(key, FIELD_LABELS.get(key, key))


_RESIDENT = IdType.RESIDENT.value
_ON_POST = Category.ON_POST.value
_MIGRANT = Category.MIGRANT.value


def _checked_row(
    number: int,
    cells: list[Any],
    values: _Values,
    errors: dict[str, str],
    headers: dict[str, str],
    today: date,
) -> PlannedRow:
    """The row as a member, with the checks that need several of its columns. ``errors``:
    what its cells already said, which comes first."""
    birth, birth_note = values.birth_date
    joined, joined_note = values.joined_on
    id_type = values.id_type or _RESIDENT
    typed_id = text(values.id_number)
    identity = check_identity(id_type, typed_id, birth, values.gender, today)
    for key, message in identity.errors.items():
        errors.setdefault(key, message)
    joined_error = check_joined_on(joined, identity.birth_date, today)
    if joined_error:
        errors.setdefault("joined_on", joined_error)
    category = values.category or _ON_POST
    group, small = values.group, values.union_group
    notes = [note for note in (birth_note, joined_note) if note] if birth_note or joined_note else []
    if len(typed_id) == 15 and len(identity.id_number) == 18:
        notes.append(f"15 位身份证号已转为 18 位：{identity.id_number}")
    data = MemberInput(
        name=values.name, id_type=id_type, id_number=identity.id_number, gender=identity.gender,
        birth_date=identity.birth_date, ethnicity=values.ethnicity or "汉族",
        political_status=values.political_status, education=values.education,
        household_type=values.household_type, position=values.position, category=category,
        is_migrant_worker=values.is_migrant_worker or category == _MIGRANT, joined_on=joined,
        card_number=values.card_number, phone=values.phone,
        model_worker_level=values.model_worker_level, is_hardship=values.is_hardship,
        remark=values.remark, dues_wage_fen=values.wage,
    )  # fmt: skip
    return PlannedRow(
        row=number, cells=cells, action="error" if errors else "new", data=data,
        group_path=(*group, small) if small and small not in group else group,
        wage_fen=values.wage, member_name=data.name, notes=notes,
        issues=[RowIssue(number, headers[key], message) for key, message in errors.items()] if errors else [],
        changes=[], blank=_BLANK[not values.category, not values.ethnicity],
    )  # fmt: skip


# which of 人员类别 / 民族 a row left blank, by (category blank, ethnicity blank)
_BLANK = {
    (False, False): frozenset[str](), (True, False): frozenset({"category"}),
    (False, True): frozenset({"ethnicity"}), (True, True): frozenset({"category", "ethnicity"}),
}  # fmt: skip
