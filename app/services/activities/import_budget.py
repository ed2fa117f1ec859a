"""The year's 经费收支预算表, imported as unions write it.

Titles, 编制单位 and 单位：元 lines above the header; a 科目编号 column or codes inside the
name (401 会费收入) or none at all; names indented or numbered (  1.会费收入,     文体活动);
"一、收入合计" / "二、支出合计" / "合计" rows, which are not lines but are checked against
the lines; "其中：" sub-lines; the 本年预算数 column beside others that are not read
(上年决算数, 上年实际, 说明).

Each line is matched to a category through the category words (``Matcher``): income lines
among the 收入 lines, spending among the 支出 ones, by the section the row is in (after a
支出 heading or total the lines are spending). A sub-line is first looked for among the
sub-categories of the line above it. Each line keeps its own figure (a top line is the total
of its sub-lines, not added to them: the budget table reads it so). A word nothing
recognises is a question (``ImportPlan.questions``) and, until answered, an error naming it;
answers are remembered as the union's own category words when the import is written.
Importing the same file again changes nothing; a different figure is an update.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.domain.budget import INCOME, SPENDING, bare_name, word_key
from app.domain.money import MAX_AMOUNT_FEN, format_fen
from app.domain.text import remove_spaces, to_halfwidth
from app.services.activities.budget import budget_lines, set_budget
from app.services.activities.categories import (
    CategoryInfo,
    Matcher,
    Tree,
    load_tree,
    remember_words,
    word_table,
)
from app.services.errors import UserError
from app.services.excel.reader import ErrorCell, FormulaWithoutValue, Sheet
from app.services.excel.table import ColumnMapping, FieldSpec
from app.services.excel.values import CellError, read_money_fen, text
from app.services.imports import (
    Answer,
    FieldChange,
    Importer,
    ImportOptions,
    ImportPlan,
    ImportResult,
    PlannedRow,
    Question,
    RowIssue,
)
from app.services.imports.columns import error_cell_message, formula_message
from app.services.progress import NO_PROGRESS, Progress

CATEGORY = "category"  # the field questions about category words are asked in
WORD_LIMIT = 60  # CategoryWord.word holds at most this many characters

BUDGET_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("code", "科目编号", ("科目编码", "科目代码", "编号", "编码", "代码", "科目号")),
    FieldSpec(
        "name", "科目名称",
        ("名称", "科目", "项目", "项目名称", "预算科目", "预算项目", "收支项目", "收支科目", "内容"),
        required=True,
    ),
    FieldSpec(
        "amount", "本年预算数",
        ("本年预算", "本年预算金额", "预算数", "预算金额", "预算额", "预算", "年度预算", "年度预算数",
         "本年数", "金额"),
        required=True,
    ),
    FieldSpec(
        "last", "上年决算数",
        ("上年决算", "上年实际", "上年实际数", "上年执行数", "上年预算数", "上年预算", "上年完成数", "上年数",
         "上年"),
    ),
    FieldSpec("change", "增减", ("增减额", "增减率", "增减比例", "比上年增减", "增长率")),
    FieldSpec("remark", "说明", ("备注", "编制说明", "测算依据", "依据")),
)  # fmt: skip
_LABELS = {spec.key: spec.label for spec in BUDGET_FIELDS}

_CODE_IN_NAME = re.compile(r"^(\d{3,10})(?![\d.年月])[\s、.．:：]*(.*)$")
_SECTION = re.compile(
    r"^(?:本年)?(?:预算)?(?:经费)?(收入|支出)(?:预算)?(合计|总计|小计|总额|部分|项目|类|预算)?$"
)
_GRAND_TOTAL = ("合计", "总计", "收支合计", "收支总计")
_CARRY_WORDS = ("结转", "结余", "滚存", "差额")
_FOOTER = ("制表", "填表", "审核", "负责人", "填报人", "联系人", "经办人", "单位负责人", "财务负责人",
           "注:", "说明:", "备注:")  # fmt: skip
_BLANK_FIGURES = frozenset({"", "-", "--", "—", "——", "/", "无", "－"})
_UNITS = (("万元", 10_000), ("千元", 1_000), ("元", 1))
_UNIT_LINE = re.compile(r"单位:(万元|千元|元)(?![\u4e00-\u9fff])")
_TITLE_YEAR = re.compile(r"(20\d{2})\s*年")


def unknown_category(word: str) -> str:
    """The error of a line whose category nothing recognises, saying how to answer it."""
    return (
        f"不认识的科目“{word}”，请说明它是哪个科目（导入向导的“说明不认识的写法”一步；"
        f"命令行加上 --category {word}=科目编码）"
    )


def category_answer(word: str, code: str) -> tuple[tuple[str, str], Answer]:
    """The answer to the question about ``word`` (as ``--category 文体=50102`` gives it): the
    category's code, or its label (50102 文体活动费) or name; for the options' ``answers``.
    Whether the category exists is checked when the sheet is planned."""
    key = word_key(word)
    if not key:
        raise UserError("请写出科目在表中的写法，如 --category 健身活动=50102")
    if len(key) > WORD_LIMIT:
        raise UserError(f"科目的写法“{key}”太长（最多 {WORD_LIMIT} 个字）")
    choice = " ".join(code.split())
    if not choice:
        raise UserError(f"请说明“{key}”是哪个科目（科目编码，如 50102）")
    return (CATEGORY, key), Answer(choice)


def resolve_choice(
    tree: Tree, words: Mapping[str, int], choice: str, kind: str | None = None
) -> CategoryInfo | None:
    """The category an answer names: a code, a label (50102 文体活动费) or a name."""
    first = choice.split()[0] if choice.split() else ""
    found = tree.by_code.get(first) or Matcher(tree, words, kind).find(choice)
    if found is not None and kind is not None and found.kind != kind:
        return None
    return found


def category_answers(
    tree: Tree, words: Mapping[str, int], answers: Mapping[tuple[str, str], Answer], kind: str | None = None
) -> dict[str, int]:
    """What the user said words mean, as category ids (UserError for an answer naming no
    category, or one of the wrong ``kind``)."""
    found: dict[str, int] = {}
    for (key, word), answer in answers.items():
        if key != CATEGORY:
            continue
        category = resolve_choice(tree, words, answer.choice)
        if category is None:
            raise UserError(f"“{answer.choice}”不是本账套的科目（对“{word}”的说明），请用科目编码，如 50102")
        if kind is not None and category.kind != kind:
            raise UserError(f"“{category.label}”是{category.kind}科目，“{word}”应说明为{kind}科目")
        found[word_key(word)] = category.id
    return found


@dataclass(frozen=True)
class BudgetImportOptions(ImportOptions):
    year: int | None = None  # the budget's year; default this year


@dataclass(slots=True)
class BudgetLineRow(PlannedRow):
    """One line of the 预算表 and the category it is read as."""

    name: str = ""  # as written, trimmed
    word: str = ""  # as compared (spaces and numbering removed)
    code: str = ""  # the code written, if any
    kind: str = ""  # 收入 / 支出, from the section
    category_id: int | None = None
    label: str = ""  # 50102 文体活动费
    amount_fen: int | None = None
    parent_row: int | None = None  # the row of the line it is a part of
    sub_only: bool = False  # written under 其中：(a part, not necessarily all of them)

    def title(self) -> str:
        return self.label or self.name


@dataclass
class _Total:
    row: int
    kind: str | None  # None: a grand total (合计)
    amount_fen: int
    name: str


@dataclass
class _State:
    """Where the reading is: the section, the top line the next lines may be parts of."""

    section: str | None = None
    heading: bool = False  # the section was named by a heading or total, not guessed from a line
    lines_in_section: int = 0
    context: CategoryInfo | None = None
    context_row: int | None = None
    context_indent: int = 0
    context_coded: bool = False  # the top line above had its code written: an uncoded line under it is a part
    in_parts: bool = False  # under a 其中： line, until the next top line
    totals: list[_Total] = field(default_factory=list)
    seen: dict[int, int] = field(default_factory=dict)  # category id → the row it was read on


def _indent(raw: Any) -> int:
    if not isinstance(raw, str):
        return 0
    width = 0
    for char in raw:
        if char == "\u3000":
            width += 2
        elif char == "\t":
            width += 4
        elif char.isspace():
            width += 1
        else:
            break
    return width


def _split_code(name: str) -> tuple[str, str]:
    """(code, name) of "401 会费收入" / "50102文体活动费"; ("", name) without a code."""
    found = _CODE_IN_NAME.match(name)
    if found is None:
        return "", name
    return found[1], found[2]


def _parts_prefix(name: str) -> bool:
    return remove_spaces(to_halfwidth(name)).lstrip("（(").startswith("其中")


def _factor(sheet: Sheet, mapping: ColumnMapping) -> tuple[int, str]:
    """The unit the figures are in (元 unless a 单位：万元 line or a 预算数（万元） header says so)."""
    amount_header = mapping.header_of("amount")
    for unit, factor in _UNITS:
        if unit in amount_header:
            return factor, unit
    for number, cells in sheet.numbered():
        if number >= mapping.header_row:
            break
        for cell in cells:
            found = _UNIT_LINE.search(to_halfwidth(remove_spaces(text(cell))))
            if found is not None:
                return dict(_UNITS)[found[1]], found[1]
    return 1, "元"


def _title_year(sheet: Sheet, mapping: ColumnMapping) -> int | None:
    for number, cells in sheet.numbered():
        if number >= mapping.header_row:
            break
        for cell in cells:
            found = _TITLE_YEAR.search(text(cell))
            if found and "预算" in text(cell):
                return int(found[1])
    return None


def _figure(raw: Any, factor: int) -> tuple[int | None, str | None]:
    """A figure in the sheet's unit as fen; (None, None) for a blank or a dash."""
    if raw is None:
        return None, None
    if raw.__class__ is FormulaWithoutValue:
        return None, formula_message("amount", str(raw))
    if raw.__class__ is ErrorCell:
        return None, error_cell_message(raw)
    if isinstance(raw, str) and remove_spaces(to_halfwidth(raw)) in _BLANK_FIGURES:
        return None, None
    if factor == 1:
        try:
            return read_money_fen(raw, label="预算数"), None
        except CellError as exc:
            return None, str(exc)
    if isinstance(raw, bool):
        return None, "预算数应为数字"
    if isinstance(raw, (int, float)):
        shown = f"{raw:.15g}" if isinstance(raw, float) else str(raw)
    else:
        shown = remove_spaces(text(raw)).replace(",", "").replace("，", "")
        for unit, _ in _UNITS:
            shown = shown.removesuffix(unit)
    try:
        amount = Decimal(shown) * factor * 100
    except InvalidOperation:
        return None, f"“{text(raw)}”不是金额"
    if not amount.is_finite():
        return None, f"“{text(raw)}”不是金额"
    if amount < 0:
        return None, f"预算数“{shown}”不能为负数"
    if amount != amount.to_integral_value():
        return None, f"预算数“{shown}”换算成元后超过两位小数"
    if amount > MAX_AMOUNT_FEN:
        return None, f"预算数“{shown}”超出合理范围"
    return int(amount), None


class BudgetImporter(Importer[BudgetLineRow, BudgetImportOptions]):
    """经费收支预算表: the year's figure for each income line and spending category."""

    kind = "budget"
    title = "经费收支预算表"
    fields = BUDGET_FIELDS
    ignored_fields = frozenset({"last", "change", "remark"})
    noun = "个科目"

    def __init__(self, options: BudgetImportOptions) -> None:
        super().__init__(options)
        # the columns as headed with the year (2026年预算数 beside 2025年决算数) are known too
        self.fields = _year_fields(self.year)  # type: ignore[misc]

    @property
    def year(self) -> int:
        return self.options.year or self.options.today.year

    def plan(
        self, session: Session, sheet: Sheet, mapping: ColumnMapping, progress: Progress = NO_PROGRESS
    ) -> ImportPlan[BudgetLineRow]:
        if not 2000 <= self.year <= 2100:
            raise UserError(f"年份 {self.year} 不对")
        tree = load_tree(session)
        table = word_table(session)
        answered = category_answers(tree, table, self.options.answers)
        words = {**table, **answered}
        learnt = {w: c for w, c in answered.items() if table.get(w) != c}
        matchers = {kind: Matcher(tree, words, kind) for kind in (INCOME, SPENDING)}
        plan = ImportPlan[BudgetLineRow](self.kind, Path(sheet.name), sheet.name, mapping, [])
        factor, unit = _factor(sheet, mapping)
        if factor != 1:
            plan.file_notes.append(f"表中金额的单位是{unit}，已换算为元")
        written_year = _title_year(sheet, mapping)
        if written_year is not None and written_year != self.year:
            plan.warnings.append(RowIssue(
                mapping.header_row, "", f"表头写的是 {written_year} 年的预算，现在按 {self.year} 年导入"
            ))  # fmt: skip
        columns = {key: mapping.column_of(key) for key in ("code", "name", "amount")}
        amount_header = mapping.header_of("amount") or _LABELS["amount"]
        name_header = mapping.header_of("name") or _LABELS["name"]
        state = _State()
        unknown: dict[str, list[int]] = {}
        unknown_kind: dict[str, str | None] = {}
        carried: list[str] = []
        first = mapping.header_row + 1
        for number, cells in sheet.numbered():
            if number < first or not cells:
                continue
            raw_name, raw_code, raw_amount = (
                _cell(cells, columns[key]) for key in ("name", "code", "amount")
            )
            name, code = text(raw_name), text(raw_code)
            if not code:
                code, name = _split_code(name)
            word = word_key(name)
            if not word and not code:
                if _parts_prefix(name):  # a 其中： line of its own: the lines under it are parts
                    state.in_parts = state.context is not None
                    plan.ignored_rows.append(number)
                elif text(raw_amount):
                    plan.ignored_rows.append(number)
                    plan.warnings.append(RowIssue(number, amount_header, "有金额但没有科目名称，没有导入"))
                continue
            if to_halfwidth(remove_spaces(name)).startswith(_FOOTER):
                plan.ignored_rows.extend(n for n, c in sheet.numbered() if n >= number and c)
                break
            if self._marker(state, number, word, raw_amount, factor, plan, carried):
                continue
            amount, problem = _figure(raw_amount, factor)
            row = BudgetLineRow(
                number, list(cells), "error", name=name, word=word, code=code, amount_fen=amount
            )
            plan.rows.append(row)
            if problem:
                row.issues.append(RowIssue(number, amount_header, problem))
            self._match(tree, matchers, state, row, _indent(raw_name), _parts_prefix(name), plan)
            if row.category_id is None and row.action != "skip":
                asked = word or code
                unknown.setdefault(asked, []).append(number)
                unknown_kind.setdefault(asked, state.section)
                row.issues.append(RowIssue(number, name_header, unknown_category(asked)))
        self._decide(session, plan)
        self._check_sums(tree, plan, state, amount_header)
        plan.questions = [
            Question(CATEGORY, name_header, word, tuple(rows),
                     _choices(tree, unknown_kind[word]))
            for word, rows in unknown.items()
        ]  # fmt: skip
        if carried:
            plan.notes.append("；".join(carried))
        if learnt:
            said = "、".join(f"“{w}”是“{tree.by_id[c].label}”" for w, c in learnt.items())
            plan.notes.append(f"记住科目的写法：{said}")
        changed = [r for r in plan.rows if r.action in ("new", "update")]
        if changed:
            plan.notes.append(f"写入 {self.year} 年预算 {len(changed)} 个科目")
        progress.step(1, 1, "检查完毕")
        return plan

    def _marker(
        self,
        state: _State,
        number: int,
        word: str,
        raw_amount: Any,
        factor: int,
        plan: ImportPlan[BudgetLineRow],
        carried: list[str],
    ) -> bool:
        """Whether the row is a heading, a total or a 上年结转 line rather than a line (and
        what it says about the section)."""
        section = _SECTION.match(word)
        total_word = word.startswith(_GRAND_TOTAL) or word.endswith("小计")
        carry = any(w in word for w in _CARRY_WORDS)
        if not (section or total_word or carry):
            return False
        plan.ignored_rows.append(number)
        amount, _ = _figure(raw_amount, factor)
        if carry:
            shown = f" {format_fen(amount)} 元" if amount is not None else ""
            carried.append(f"第 {number} 行“{word}”{shown}不是本年预算的收支科目，没有导入")
            return True
        if section:
            kind = INCOME if section[1] == "收入" else SPENDING
            if amount is not None and section[2] != "小计":
                state.totals.append(_Total(number, kind, amount, word))
            if state.section == kind and state.lines_in_section:
                state.section, state.heading = None, False  # the total under its lines closes the section
            else:
                state.section, state.heading = kind, True
            state.lines_in_section = 0
        elif amount is not None and not word.endswith("小计"):
            state.totals.append(_Total(number, None, amount, word))
        state.context, state.context_row, state.in_parts = None, None, False
        return True

    def _match(
        self,
        tree: Tree,
        matchers: Mapping[str, Matcher],
        state: _State,
        row: BudgetLineRow,
        indent: int,
        parts_prefix: bool,
        plan: ImportPlan[BudgetLineRow],
    ) -> None:
        """The category of a line: by its code, by its name among the sub-categories of the line
        above it when it is a part of it, else among the section's categories."""
        if state.section is None:
            kinds: tuple[str, ...] = (INCOME, SPENDING)
        elif state.heading:
            kinds = (state.section,)
        else:  # guessed from the lines above: theirs first, then the other
            kinds = (state.section, SPENDING if state.section == INCOME else INCOME)
        context = state.context
        if parts_prefix and context is not None:
            state.in_parts = True
        sub = context is not None and (
            parts_prefix
            or state.in_parts
            or indent > state.context_indent
            or (state.context_coded and not row.code)
            or (bool(row.code) and row.code != context.code and row.code.startswith(context.code))
        )
        by_code = tree.by_code.get(row.code) if row.code else None
        if by_code is not None and by_code.kind not in kinds:
            by_code = None
        by_name = _find(matchers, kinds, row.word, first_wins=state.section is not None) if row.word else None
        if context is not None and row.word and (sub or by_name is None):
            in_context = _child(
                tree,
                matchers[context.kind],
                context,
                row.word,
                lenient=by_name is None or word_key(by_name.name) != row.word,
            )
            by_name = in_context or by_name
        found = by_name or by_code
        if by_code is not None and by_name is not None and by_code.id != by_name.id:
            plan.warnings.append(RowIssue(row.row, "", (
                f"编号 {row.code} 在本账套中是“{by_code.label}”，按名称“{row.name}”记入“{by_name.label}”"
            )))  # fmt: skip
        if (
            sub
            and context is not None
            and (found is None or found.id == context.id)
            and not tree.children(context.id)
        ):
            row.action = "skip"
            row.parent_row = state.context_row
            row.sub_only = True
            row.notes.append(
                f"“{context.name}”下没有细目，只导入它本身的预算数；要分开记，请先在设置中添加细目"
            )
            return
        if found is None:
            return
        row.category_id, row.label, row.kind = found.id, found.label, found.kind
        row.sub_only = sub and (parts_prefix or state.in_parts)
        if state.section != found.kind:  # only without a heading: the lines are now of this kind
            state.section, state.lines_in_section, state.context = found.kind, 0, None
            context = None
        state.lines_in_section += 1
        if found.parent_id is None:
            state.context, state.context_row, state.context_indent = found, row.row, indent
            state.context_coded = bool(row.code)
            state.in_parts = False
        elif context is not None and found.parent_id == context.id:
            row.parent_row = state.context_row
        earlier = state.seen.get(found.id)
        if earlier is not None:
            row.issues.append(RowIssue(row.row, "", f"与第 {earlier} 行都是“{found.label}”，请只保留一行"))
        else:
            state.seen[found.id] = row.row

    def _decide(self, session: Session, plan: ImportPlan[BudgetLineRow]) -> None:
        existing = budget_lines(session, self.year)
        for row in plan.rows:
            if row.action == "skip" or row.issues or row.category_id is None:
                continue
            if row.amount_fen is None:
                row.action = "skip"
                row.notes.append("没有填写预算数，不导入（不是零）")
                continue
            old = existing.get(row.category_id)
            if old is None:
                row.action = "new"
            elif old == row.amount_fen:
                row.action = "unchanged"
            else:
                row.action = "update"
                row.changes.append(
                    FieldChange(f"{row.label} 预算数", format_fen(old), format_fen(row.amount_fen))
                )

    def _check_sums(self, tree: Tree, plan: ImportPlan[BudgetLineRow], state: _State, column: str) -> None:
        """Warnings where a line differs from its parts, or a total from its lines."""
        by_row = {r.row: r for r in plan.rows}
        parts: dict[int, list[BudgetLineRow]] = {}
        for row in plan.rows:
            if row.parent_row is not None and row.amount_fen is not None and not row.issues:
                parts.setdefault(row.parent_row, []).append(row)
        for parent_row, found in parts.items():
            parent = by_row[parent_row]
            if parent.amount_fen is None:
                continue
            summed = sum(r.amount_fen or 0 for r in found)
            partial = all(r.sub_only for r in found)  # 其中: some of the parts, maybe not all
            if summed > parent.amount_fen or (summed != parent.amount_fen and not partial):
                plan.warnings.append(RowIssue(parent_row, column, (
                    f"“{parent.title()}”{format_fen(parent.amount_fen)} 元与其细目合计 {format_fen(summed)} 元不一致"
                    f"（第 {found[0].row}–{found[-1].row} 行）；各行按表中的数导入"
                )))  # fmt: skip
        tops = _top_sums(tree, plan.rows)
        for total in state.totals:
            if total.kind is not None:
                if total.amount_fen != tops[total.kind]:
                    plan.warnings.append(RowIssue(total.row, column, (
                        f"“{total.name}”{format_fen(total.amount_fen)} 元与各{total.kind}科目合计 "
                        f"{format_fen(tops[total.kind])} 元不一致"
                    )))  # fmt: skip
            elif total.amount_fen not in (tops[INCOME], tops[SPENDING], tops[INCOME] + tops[SPENDING]):
                plan.warnings.append(RowIssue(total.row, column, (
                    f"“{total.name}”{format_fen(total.amount_fen)} 元与各科目合计不一致（收入 "
                    f"{format_fen(tops[INCOME])} 元，支出 {format_fen(tops[SPENDING])} 元）"
                )))  # fmt: skip

    def apply(
        self, session: Session, plan: ImportPlan[BudgetLineRow], progress: Progress = NO_PROGRESS
    ) -> ImportResult:
        counts = plan.counts()
        tree = load_tree(session)
        remember_words(session, category_answers(tree, word_table(session), self.options.answers))
        writing = [r for r in plan.rows if r.action in ("new", "update")]
        for step, row in enumerate(writing):
            progress.step(step, len(writing), f"正在写入“{row.title()}”……")
            assert row.category_id is not None and row.amount_fen is not None
            set_budget(session, self.year, row.category_id, row.amount_fen)
        session.flush()
        progress.step(1, 1, "导入完成")
        return ImportResult(new=counts["new"], updated=counts["update"], unchanged=counts["unchanged"],
                            skipped=counts["skip"], invalid=counts["error"])  # fmt: skip


def _year_fields(year: int) -> tuple[FieldSpec, ...]:
    this, last = (
        (f"{year}年预算数", f"{year}年预算", f"{year}年"),
        (f"{year - 1}年决算数", f"{year - 1}年实际", f"{year - 1}年预算数", f"{year - 1}年"),
    )
    return tuple(
        FieldSpec(spec.key, spec.label, (*spec.synonyms, *this), spec.required) if spec.key == "amount"
        else FieldSpec(spec.key, spec.label, (*spec.synonyms, *last)) if spec.key == "last"
        else spec
        for spec in BUDGET_FIELDS
    )  # fmt: skip


def _cell(cells: list[Any], col: int | None) -> Any:
    return cells[col] if col is not None and col < len(cells) else None


def _top_sums(tree: Tree, rows: Sequence[BudgetLineRow]) -> dict[str, int]:
    """The sum of the top lines of each kind as the budget table will read them: a top
    line's own figure, else the sum of the lines under it."""
    own = {
        r.category_id: r.amount_fen
        for r in rows
        if r.category_id is not None and r.amount_fen is not None and not r.issues and r.action != "skip"
    }

    def figure(category: CategoryInfo) -> int | None:
        if category.id in own:
            return own[category.id]
        below = [f for c in tree.children(category.id) if (f := figure(c)) is not None]
        return sum(below) if below else None

    sums = {INCOME: 0, SPENDING: 0}
    for category in tree.items:
        if category.parent_id is None:
            sums[category.kind] += figure(category) or 0
    return sums


def _find(
    matchers: Mapping[str, Matcher], kinds: Sequence[str], word: str, *, first_wins: bool
) -> CategoryInfo | None:
    """The category ``word`` names among ``kinds``: one named exactly (其他支出 is not 其他收入,
    though both are "其他" without their suffix), else the first kind's when ``first_wins``,
    else only when a single kind has it."""
    found = [c for c in (matchers[kind].find(word) for kind in kinds) if c is not None]
    exact = [c for c in found if word_key(c.name) == word]
    if len(exact) == 1:
        return exact[0]
    return found[0] if found and (first_wins or len(found) == 1) else None


def _child(
    tree: Tree, matcher: Matcher, parent: CategoryInfo, word: str, *, lenient: bool
) -> CategoryInfo | None:
    """The one sub-category of ``parent`` that ``word`` names: as the matcher reads it, by its
    name with or without the suffix, or (``lenient``: when the word names nothing else) as the
    start or a part of its name (其他 → 其他维权支出)."""
    children = tree.children(parent.id)
    if not children:
        return None
    found = matcher.find(f"{parent.name}—{word}")
    if found is not None and found.parent_id == parent.id:
        return found
    bare = bare_name(word)
    tests: tuple[Callable[[CategoryInfo], bool], ...] = (
        lambda c: bare_name(c.name) == bare,
        lambda c: lenient and word_key(c.name).startswith(bare),
        lambda c: lenient and bare in word_key(c.name),
    )
    for test in tests:
        matching = [c for c in children if test(c)]
        if matching:
            return matching[0] if len(matching) == 1 else None
    return None


def _choices(tree: Tree, kind: str | None) -> tuple[str, ...]:
    return tuple(c.label for c in tree.items if kind is None or c.kind == kind)
