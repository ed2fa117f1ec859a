"""The year's 慰问登记表, imported: one row per visit (日期, 姓名, 身份证号 or 部门, 慰问事由 in
the secretary's words, 慰问金, 慰问品 and its value, 经办人, 备注).

Occasions are read through the words table (``words.py``: the shipped words and the union's
own). A word nothing recognises is a question the plan asks (``ImportPlan.questions``, with
the rows it is on) and, until answered, an error naming it; the answers (``answers`` in the
options, or ``--word`` on the command line) are remembered when the import is written.
Dates may lack a year (1月2日): the year given (default this year) is used
and said. A record over a cap is imported flagged, its reason left for the secretary to
write; a shopping card or voucher is an error row quoting the rule. Importing the same file
again changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import REBUILD_INDEXES_FROM, insert_values
from app.domain.care import IMPORTED_REASON, CareItem, Occasion, Policy, check_care
from app.domain.members import not_a_member_on
from app.domain.money import format_fen
from app.models import CareRecord
from app.models.audit import record_bulk
from app.services.care.policy import load_policy
from app.services.care.records import membership_warning
from app.services.care.words import (
    Meaning,
    check_word,
    describe,
    remember_words,
    variant_suggestions,
    word_key,
    word_table,
)
from app.services.errors import UserError
from app.services.excel.reader import Sheet
from app.services.excel.table import ColumnMapping, FieldSpec
from app.services.excel.values import CellError, read_money_fen
from app.services.imports import (
    Answer,
    Importer,
    ImportOptions,
    ImportPlan,
    ImportResult,
    PlannedRow,
    Preloaded,
    Question,
    RowIssue,
)
from app.services.imports.columns import Reader, limited_text, read_columns, table_rows
from app.services.imports.dates import DayReader
from app.services.progress import NO_PROGRESS, Progress
from app.services.roster import MEMBER_FIELDS, PERSON_READERS, MemberIndex, membership_histories

SOURCE = "导入"
# the columns an imported record gives, in the order apply writes them (the rest: their defaults)
_COLUMNS = ("member_id", "recipient", "day", "occasion", "variant", "cash_fen", "goods", "goods_fen", "visitors",
            "note", "over_cap", "reason")  # fmt: skip

CARE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("seq", "序号", ("编号",)),
    FieldSpec("day", "日期", ("慰问日期", "发放日期", "时间"), required=True),
    *MEMBER_FIELDS,
    FieldSpec(
        "occasion", "慰问事由", ("事由", "慰问原因", "慰问类别", "类别", "慰问项目", "原因"), required=True
    ),
    FieldSpec("cash", "慰问金", ("慰问金额", "金额", "慰问金元", "现金")),
    FieldSpec("goods", "慰问品", ("物品", "慰问物品", "实物")),
    FieldSpec("goods_value", "慰问品价值", ("物品价值", "慰问品金额", "实物价值", "慰问品价值元")),
    FieldSpec("visitors", "经办人", ("慰问人", "经手人")),
    FieldSpec("note", "备注", ("说明",)),
)
_LABELS = {spec.key: spec.label for spec in CARE_FIELDS}


OCCASION = "occasion"  # the field the words are asked about


def unknown_word(word: str) -> str:
    """The error of a row whose 慰问事由 nothing recognises, saying how to answer it."""
    return (
        f"不认识的慰问事由“{word}”，请说明它指哪种事由（导入向导的“说明不认识的写法”一步；"
        f"命令行加上 --word {word}=事由，或先用 care words set {word} 事由 记住它）"
    )


def occasion_reader(words: Mapping[str, Meaning]) -> Reader:
    """Reads a 慰问事由 through ``words``; a word not there reads as itself, with its error."""

    def reader(raw: Any) -> tuple[Meaning | str | None, str | None]:
        word = word_key(raw)
        if not word:
            return None, "请填写慰问事由"
        found = words.get(word)
        if found is None:
            return word, unknown_word(word)
        return found, None

    return reader


def word_answer(word: str, occasion: str, variant: str = "") -> tuple[tuple[str, str], Answer]:
    """An answer to the question about ``word`` (as ``--word`` gives it), checked; for
    ``CareImportOptions.answers``."""
    key, (found, detail) = check_word(word, occasion, variant)
    return (OCCASION, key), Answer(found.value, detail)


def occasion_answers(answers: Mapping[tuple[str, str], Answer]) -> dict[str, Meaning]:
    """The meanings the user gave words (UserError for one that cannot be kept)."""
    found: dict[str, Meaning] = {}
    for (key, word), answer in answers.items():
        if key == OCCASION:
            word, meaning = check_word(word, answer.choice, answer.detail)
            found[word] = meaning
    return found


def _money(label: str) -> Reader:
    def reader(raw: Any) -> tuple[int, str | None]:
        try:
            return read_money_fen(raw, label=label) or 0, None
        except CellError as exc:
            return 0, str(exc)

    return reader


@dataclass(frozen=True)
class CareImportOptions(ImportOptions):
    year: int | None = None  # for dates written without one (1月2日); default this year


@dataclass(slots=True)
class CareRow(PlannedRow):
    name: str = ""
    id_number: str = ""
    member_id: int | None = None
    day: date | None = None
    occasion: Occasion | None = None
    variant: str = ""
    cash_fen: int = 0
    goods: str = ""
    goods_fen: int = 0
    visitors: str = ""
    note: str = ""
    over_cap: str = ""

    def title(self) -> str:
        return self.name


@dataclass
class _Known:
    """What the plan reads from the 账套 before it looks at the rows."""

    words: dict[str, Meaning]
    index: MemberIndex
    imported: set[tuple[int | None, date, str, int, int]]  # records an earlier import wrote
    policy: Policy
    history: dict[int, list[CareItem]]  # each member's records, to check the caps against
    memberships: dict[int, list[tuple[date, str, str]]]  # whether each was a member on the day

    @classmethod
    def load(cls, session: Session) -> _Known:
        history: dict[int, list[CareItem]] = {}
        for member_id, item in _history(session):
            history.setdefault(member_id, []).append(item)
        return cls(
            word_table(session),
            MemberIndex(session),
            _imported(session),
            load_policy(session),
            history,
            membership_histories(session),
        )


class CareImporter(Importer[CareRow, CareImportOptions]):
    """慰问登记表: the year's visits, each checked against the caps as it was then."""

    kind = "care"
    title = "慰问登记表"
    fields = CARE_FIELDS
    ignored_fields = frozenset({"seq"})
    noun = "条慰问记录"
    days = DayReader(0)  # the plan's: it knows whether a date without its year was read

    def __init__(self, options: CareImportOptions) -> None:
        super().__init__(options)
        self._known = Preloaded(_Known.load)

    @property
    def year(self) -> int:
        return self.options.year or self.options.today.year

    def prepare(self, session: Session) -> None:
        self._known.ahead(session)

    def plan(
        self, session: Session, sheet: Sheet, mapping: ColumnMapping, progress: Progress = NO_PROGRESS
    ) -> ImportPlan[CareRow]:
        # a new one each plan: the wizard plans again when an option changes
        self.days = DayReader(self.year, latest=self.options.today)
        present = set(mapping.fields.values())
        if "cash" not in present and "goods_value" not in present:
            raise UserError("表格中没有慰问金列，也没有慰问品价值列：不知道每次发了多少")
        rows, ignored = table_rows(sheet, mapping, "name")

        def header(key: str) -> str:
            return mapping.header_of(key) or _LABELS[key]

        answered = occasion_answers(self.options.answers)
        known = self._known.take(session)
        table = known.words
        learnt = {word: meaning for word, meaning in answered.items() if table.get(word) != meaning}
        readers: dict[str, Reader] = {
            **PERSON_READERS, "day": self.days, OCCASION: occasion_reader({**table, **answered}),
            "cash": _money("慰问金"),
            "goods": limited_text("慰问品", 200), "goods_value": _money("慰问品价值"),
            "visitors": limited_text("经办人", 100), "note": limited_text("备注", 200),
        }  # fmt: skip
        values, errors = read_columns(mapping, rows, readers, header, progress)
        plan = ImportPlan[CareRow](self.kind, Path(sheet.name), sheet.name, mapping, [], ignored_rows=ignored)
        index, existing, policy, history = known.index, known.imported, known.policy, known.history
        columns = [values[key] for key in readers]
        unknown: dict[str, list[int]] = {}  # word → the rows it is on
        for i, ((number, cells), fields) in enumerate(zip(rows, zip(*columns, strict=True), strict=True)):
            name, id_number, group, day, occasion, cash, goods, goods_fen, visitors, note = fields
            row = CareRow(number, cells, "error", name=name, id_number=id_number, day=day, cash_fen=cash,
                          goods=goods, goods_fen=goods_fen, visitors=visitors, note=note)  # fmt: skip
            plan.rows.append(row)
            unreadable = errors.get(i)
            if unreadable:
                row.issues = [RowIssue(number, header(k), m) for k, m in unreadable.items()]
                if isinstance(occasion, str):  # a word nothing recognises
                    unknown.setdefault(occasion, []).append(number)
                continue
            row.occasion, row.variant = occasion
            found = index.find(name, id_number, group)
            member = found.member
            if member is None:
                row.issues.append(RowIssue(number, header(found.field), found.problem or ""))
                continue
            row.member_id, row.name, row.id_number = member.id, member.name, member.id_number
        # checked in date order, so each record sees the member's earlier ones of the year
        good = sorted((r for r in plan.rows if not r.issues), key=lambda r: (r.day or date.min, r.row))
        for row in good:
            member_id, day, occasion = row.member_id, row.day, row.occasion
            assert member_id is not None and day is not None and occasion is not None
            # an Occasion is its text: equal to, and hashed as, the one read from the 账套
            if (member_id, day, occasion, row.cash_fen, row.goods_fen) in existing:
                row.action = "unchanged"
                continue
            item = CareItem(occasion, day, row.cash_fen, row.goods_fen, row.goods, row.variant)
            earlier = history.setdefault(member_id, [])
            findings = check_care(item, earlier, policy)
            if findings:
                refused = [f.message for f in findings if f.refused]
                if refused:
                    column = header("goods" if row.goods else "cash")
                    row.issues.append(RowIssue(row.row, column, "；".join(refused)))
                    continue
                row.over_cap = "；".join(f.message for f in findings)
                row.notes.append(f"超过标准：{row.over_cap}")
            earlier.append(item)
            row.action = "new"
            gap = not_a_member_on(known.memberships.get(member_id, ()), day)
            if warning := membership_warning(gap, occasion, day):
                plan.warnings.append(RowIssue(row.row, header("name"), warning))
        plan.warnings.sort(key=lambda issue: issue.row)  # found in date order, shown in the sheet's
        plan.questions = _questions(unknown, header(OCCASION))
        if learnt:
            said = "、".join(f"“{word}”指{describe(meaning)}" for word, meaning in learnt.items())
            plan.notes.append(f"记住慰问事由的写法：{said}")
        _note(plan, self)
        return plan

    def apply(
        self, session: Session, plan: ImportPlan[CareRow], progress: Progress = NO_PROGRESS
    ) -> ImportResult:
        counts = plan.counts()
        remember_words(session, occasion_answers(self.options.answers))
        writing = [r for r in plan.rows if r.action == "new"]
        # one driver-level insert and one 批量 audit entry: a year's register is thousands of rows
        insert_values(session, CareRecord.__table__, _COLUMNS, [  # type: ignore[arg-type]
            (row.member_id, row.name, row.day.isoformat() if row.day else None,
             row.occasion.value if row.occasion else "", row.variant, row.cash_fen, row.goods[:200],
             row.goods_fen, row.visitors[:100], row.note[:200], row.over_cap[:400],
             IMPORTED_REASON if row.over_cap else "")
            for row in writing
        ], shared={"source": SOURCE}, rebuild_from=REBUILD_INDEXES_FROM)  # fmt: skip
        if writing:
            total = sum(r.cash_fen + r.goods_fen for r in writing)
            record_bulk(session, CareRecord.__tablename__,
                        f"导入慰问登记表：{len(writing)} 人次，合计 {format_fen(total)} 元", len(writing))  # fmt: skip
        session.flush()
        progress.step(1, 1, "导入完成")
        return ImportResult(new=counts["new"], updated=0, unchanged=counts["unchanged"], skipped=0,
                            invalid=counts["error"])  # fmt: skip


def _questions(unknown: Mapping[str, list[int]], column: str) -> list[Question]:
    """One question per word nothing recognises: which occasion (and 细分) it means."""
    choices = tuple(o.value for o in Occasion)
    details = variant_suggestions()
    return [
        Question(OCCASION, column, word, tuple(numbers), choices, detail="细分", details=details)
        for word, numbers in unknown.items()
    ]


def _imported(session: Session) -> set[tuple[int | None, date, str, int, int]]:
    query = select(CareRecord.member_id, CareRecord.day, CareRecord.occasion, CareRecord.cash_fen,
                   CareRecord.goods_fen).where(CareRecord.source == SOURCE)  # fmt: skip
    return {
        (member, day, occasion, cash, goods) for member, day, occasion, cash, goods in session.execute(query)
    }


def _history(session: Session) -> list[tuple[int, CareItem]]:
    query = select(CareRecord.member_id, CareRecord.occasion, CareRecord.day, CareRecord.cash_fen,
                   CareRecord.goods_fen, CareRecord.goods, CareRecord.variant).where(CareRecord.member_id.is_not(None))  # fmt: skip
    return [
        (member_id or 0, CareItem(Occasion(occasion), day, cash, goods_fen, goods, variant))
        for member_id, occasion, day, cash, goods_fen, goods, variant in session.execute(query)
    ]


def _note(plan: ImportPlan[CareRow], importer: CareImporter) -> None:
    new = [r for r in plan.rows if r.action == "new"]
    if new:
        total = sum(r.cash_fen + r.goods_fen for r in new)
        plan.notes.append(f"记入慰问 {len(new)} 人次，共 {format_fen(total)} 元")
    over = [r for r in new if r.over_cap]
    if over:
        plan.notes.append(f"记入超过标准的历史记录 {len(over)} 人次，已标出，原因待补充（{IMPORTED_REASON}）")
    if importer.days.assumed:
        plan.file_notes.append(importer.days.note())
