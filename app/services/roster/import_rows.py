"""The data rows of a roster file, read and checked column by column.

A 50,000-row roster holds a few dozen distinct values in most columns (性别, 学历, 部门,
入会时间…), so each column is read once per distinct value and the result shared; only
what depends on several columns at once (the ID number against birth date and sex) is
checked row by row. The checks are the domain's own (``app.domain.members``), the ones
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
from app.domain.text import to_halfwidth, too_long
from app.services.excel.reader import FormulaWithoutValue
from app.services.excel.table import ColumnMapping
from app.services.excel.values import (
    CellError,
    is_blank,
    read_date,
    read_flag,
    read_gender,
    read_phone,
    read_wage_fen,
    text,
)
from app.services.imports.base import PlannedRow as ImportRow
from app.services.imports.base import RowIssue
from app.services.progress import NO_PROGRESS, Progress
from app.services.roster.fields import (
    FIELD_LABEL,
    IGNORED_FIELDS,
    read_category,
    read_education,
    read_model_worker,
    read_name,
    read_political,
)

# Lines under the table that are not members: 合计 155人, 制表人：…, 注：…
FOOTER_WORDS = tuple(
    to_halfwidth(word)
    for word in ("合计", "总计", "小计", "共计", "制表", "填表", "审核", "负责人", "填报人", "联系人",
                 "注：", "说明：", "备注：")
)  # fmt: skip
_FOOTER_FIRST = frozenset(word[0] for word in FOOTER_WORDS)


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


# -- which rows are members ----------------------------------------------------------------------


def _row_kind(cells: Sequence[Any]) -> str:
    """Whether a row is "blank", a "footer" line or "data", judged by its first three values."""
    seen = 0
    for cell in cells:
        if cell.__class__ is str:
            stripped = cell.strip()
            if not stripped or (stripped[0] in "\u200b\ufeff" and is_blank(stripped)):
                continue
            if stripped[0] in _FOOTER_FIRST and text(stripped).startswith(FOOTER_WORDS):
                return "footer"
        elif cell is None:
            continue
        seen += 1
        if seen == 3:
            break
    return "data" if seen else "blank"


def split_rows(
    rows: Sequence[tuple[int, list[Any]]], name_column: int
) -> tuple[list[tuple[int, list[Any]]], list[int]]:
    """(member rows, numbers of the footer lines ignored). Blank rows are dropped; once a
    footer line has been seen, a row without a name is part of the footer too."""
    members: list[tuple[int, list[Any]]] = []
    ignored: list[int] = []
    footer_seen = False
    for number, cells in rows:
        kind = _row_kind(cells)
        if kind == "blank":
            continue
        if kind == "footer" or (
            footer_seen and is_blank(cells[name_column] if name_column < len(cells) else "")
        ):
            footer_seen = True
            ignored.append(number)
            continue
        members.append((number, cells))
    return members, ignored


# -- one column ------------------------------------------------------------------------------------

Reader = Callable[[Any], tuple[Any, str | None]]


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


def _formula_message(key: str, formula: str) -> str:
    if key == "id_number":
        return f"是公式（{formula}），但文件中没有计算结果，请改为直接填写号码"
    return f"是公式（{formula}），但文件中没有计算结果。请在 Excel 中打开并保存后再导入，或把公式改为数值"


def read_column(key: str, cells: Sequence[Any]) -> tuple[list[Any], dict[int, str]]:
    """(the value of every cell, {position: message} for the cells that cannot be read).

    Each distinct value is read once. Values that compare equal across types (1.0 and True)
    and formula cells (a str subclass) would share a result, so such columns are read cell
    by cell."""
    read = _READERS[key]
    kinds = set(map(type, cells))  # of the cells: a set of values would already have merged them
    if bool in kinds or FormulaWithoutValue in kinds:
        results = [_read_one(key, read, raw) for raw in cells]
        values = [value for value, _ in results]
        return values, {i: error for i, (_, error) in enumerate(results) if error}
    distinct = set(cells)
    value_of: dict[Any, Any] = {}
    error_of: dict[Any, str] = {}
    for raw in distinct:
        value_of[raw], error = read("" if raw is None else raw)
        if error:
            error_of[raw] = error
    values = list(map(value_of.__getitem__, cells))
    errors = {i: error_of[raw] for i, raw in enumerate(cells) if raw in error_of} if error_of else {}
    return values, errors


def _read_one(key: str, read: Reader, raw: Any) -> tuple[Any, str | None]:
    if raw.__class__ is FormulaWithoutValue:
        return read("")[0], _formula_message(key, raw)
    return read("" if raw is None else raw)


# -- the rows ---------------------------------------------------------------------------------------


def read_rows(
    mapping: ColumnMapping,
    rows: Sequence[tuple[int, list[Any]]],
    today: date,
    progress: Progress = NO_PROGRESS,
) -> list[PlannedRow]:
    """Every member row read and checked: action "new" when it could be imported as it is,
    "error" with its issues otherwise. Matching against the roster comes later."""
    columns = {key: col for col, key in mapping.fields.items() if key not in IGNORED_FIELDS}
    count = len(rows)
    values: dict[str, list[Any]] = {}
    row_errors: dict[int, dict[str, str]] = {}
    width = max(columns.values(), default=0) + 1
    padded = [cells if len(cells) >= width else [*cells, *[""] * (width - len(cells))] for _, cells in rows]
    cells_by_column = list(zip(*padded, strict=False)) if padded else [()] * width
    for step, key in enumerate(_READERS):
        col = columns.get(key)
        if col is None:
            values[key] = [_READERS[key]("")[0]] * count
            continue
        progress.step(step, len(_READERS), f"正在检查“{header(mapping, key)}”列……")
        values[key], errors = read_column(key, cells_by_column[col])
        for index, message in errors.items():
            row_errors.setdefault(index, {})[key] = message
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
