"""An activity's paperwork as .xlsx, for people who edit before they print: the same
预算表, 决算表 and 签到表 as ``printouts`` (from the same ``gather``), laid out on A4 with the
table header repeated on every page, fitted to the page width, the union and the activity
in the heading, money as numbers (``#,##0.00``) and every total a formula, so a changed
figure changes its total. The amount in capitals is written as it stands when exported.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.domain.money import amount_in_capitals
from app.services.activities.printouts import (
    BUDGET_ROLES,
    FINAL_ROLES,
    SIGNIN_ROLES,
    TITLES,
    Paperwork,
    check_kind,
    gather,
    signin_heading,
    signin_rows,
)
from app.services.activities.wording import NO_BUDGET, not_settled
from app.services.excel.writer import column_letter, new_workbook, save_workbook, writable

MONEY_FORMAT = "#,##0.00"
HEADER_FILL = "E6E6E6"
TOTAL_FILL = "F2F2F2"


def export_activity(
    session: Session, activity_id: int, kind: str, out: Path, *, today: date | None = None
) -> Path:
    """Write the activity's 预算表 (``budget``), 决算表 (``final``) or 签到表 (``signin``) to
    ``out`` (.xlsx); returns ``out``. ``UserError`` (Chinese) for an unknown activity or kind,
    or a file that cannot be written."""
    from app.db import database_files
    from app.services.excel.writer import check_output_path

    chosen = check_kind(kind)
    paper = gather(session, activity_id, today=today)
    out = Path(out)
    check_output_path(out, TITLES[chosen], keep=database_files(session))
    workbook = new_workbook(write_only=False)
    # its totals are formulas, written without their values (openpyxl cannot work them out):
    # every spreadsheet program is told to work them out as it opens the file
    workbook.calculation.fullCalcOnLoad = True
    sheet = workbook.active
    if chosen == "budget":
        _budget(sheet, paper)
    elif chosen == "final":
        _final(sheet, paper)
    else:
        _signin(sheet, paper)
    return save_workbook(workbook, out, TITLES[chosen])


def yuan(fen: int) -> Decimal:
    return Decimal(fen) / 100


class _Writer:
    """Cells on one sheet, the house's way: 宋体, text kept as text (a name starting with = is
    not a formula), thin borders on table cells, money right-aligned in #,##0.00."""

    def __init__(self, sheet: Any, widths: Sequence[float]) -> None:
        self.sheet = sheet
        self.columns = len(widths)
        self.row = 0
        self.widths = list(widths)
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[column_letter(index)].width = width

    def put(
        self,
        row: int,
        column: int,
        value: Any,
        *,
        bold: bool = False,
        size: float = 11,
        align: str | None = None,
        border: bool = False,
        fill: str | None = None,
        money: bool = False,
        formula: bool = False,
        wrap: bool = True,
        valign: str = "center",
    ) -> Any:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        cell = self.sheet.cell(row=row, column=column)
        if isinstance(value, str) and not formula:
            cell.value = writable(value)
            cell.data_type = "s"
        else:
            cell.value = value
        cell.font = Font(name="宋体", bold=bold, size=size)
        horizontal = align or ("right" if money else None)
        cell.alignment = Alignment(horizontal=horizontal, vertical=valign, wrap_text=wrap)
        if money:
            cell.number_format = MONEY_FORMAT
        if fill:
            cell.fill = PatternFill("solid", fgColor=fill)
        if border:
            thin = Side(style="thin", color="000000")
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        return cell

    def merge(self, row: int, first: int, last: int) -> None:
        if last > first:
            self.sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)

    def line(
        self,
        text: str,
        *,
        bold: bool = False,
        size: float = 11,
        align: str = "left",
        height: float | None = None,
    ) -> int:
        """A line of text across the whole width (merged), as tall as its wrapped lines need."""
        self.row += 1
        self.put(self.row, 1, text, bold=bold, size=size, align=align)
        self.merge(self.row, 1, self.columns)
        lines = text_lines(text, sum(self.widths) * 11 / size)
        if height is not None or lines > 1:
            self.sheet.row_dimensions[self.row].height = max(height or 0, 15 * lines + 2)
        return self.row

    def title(self, text: str, union: str) -> None:
        self.line(text, bold=True, size=16, align="center", height=30)
        self.row += 1
        half = max(1, self.columns - 2)
        self.put(self.row, 1, f"单位：{union}")
        self.merge(self.row, 1, half)
        self.put(self.row, half + 1, "金额单位：元", align="right")
        self.merge(self.row, half + 1, self.columns)

    def header(self, headers: Sequence[tuple[str, int]]) -> int:
        """A table's header row: (text, how many columns it spans); returns its row."""
        self.row += 1
        column = 1
        for text, span in headers:
            for c in range(column, column + span):
                self.put(self.row, c, text if c == column else None, bold=True, align="center", border=True,
                         fill=HEADER_FILL)  # fmt: skip
            self.merge(self.row, column, column + span - 1)
            column += span
        self.sheet.row_dimensions[self.row].height = 22
        return self.row

    def table_row(
        self, cells: Sequence[tuple[Any, int, str]], *, fill: str | None = None, bold: bool = False
    ) -> int:
        """One ruled row: (value, span, kind) with kind text / center / money / formula-money / formula."""
        self.row += 1
        column = 1
        lines = 1
        for value, span, kind in cells:
            if isinstance(value, str) and not kind.startswith("formula"):
                lines = max(lines, text_lines(value, sum(self.widths[column - 1 : column - 1 + span])))
            money = kind in ("money", "formula-money")
            formula = kind.startswith("formula")
            shown = yuan(value) if kind == "money" and isinstance(value, int) else value
            for c in range(column, column + span):
                self.put(self.row, c, shown if c == column else None, border=True, money=money, formula=formula,
                         align="center" if kind == "center" else None, fill=fill, bold=bold)  # fmt: skip
            self.merge(self.row, column, column + span - 1)
            column += span
        self.sheet.row_dimensions[self.row].height = max(20, 15 * lines + 4)
        return self.row

    def blank(self, height: float | None = None) -> None:
        self.row += 1
        if height is not None:
            self.sheet.row_dimensions[self.row].height = height

    def signatures(self, roles: Sequence[str], spans: Sequence[int] | None = None) -> None:
        """经办人：　　　　　审核人：　　　　　负责人：　　　　　, spread over the width (or the
        columns ``spans`` give each role)."""
        self.blank(18)
        self.row += 1
        spans = spans or _spread(self.columns, len(roles))
        column = 1
        for role, span in zip(roles, spans, strict=True):
            self.put(self.row, column, f"{role}：", valign="bottom")
            self.merge(self.row, column, column + span - 1)
            column += span
        self.sheet.row_dimensions[self.row].height = 30

    def setup(self, header_row: int, *, landscape: bool = False) -> None:
        """A4, the header row on every page, fitted to the page width, 第 x 页 共 y 页."""
        from openpyxl.worksheet.properties import PageSetupProperties

        sheet = self.sheet
        sheet.print_title_rows = f"{header_row}:{header_row}"
        sheet.page_setup.orientation = "landscape" if landscape else "portrait"
        sheet.page_setup.paperSize = "9"  # A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        sheet.print_options.horizontalCentered = True
        sheet.page_margins.left = sheet.page_margins.right = 0.5
        sheet.page_margins.top = 0.6
        sheet.page_margins.bottom = 0.8  # inches; the footer sits below the table, not over it
        sheet.page_margins.header = sheet.page_margins.footer = 0.3
        sheet.oddFooter.center.text = "第 &P 页 共 &N 页"
        sheet.print_area = f"A1:{column_letter(self.columns)}{self.row}"


def text_lines(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide (a 汉字 is two)."""
    room = max(width - 0.5, 2)
    lines = 0
    for part in text.split("\n"):
        shown = sum(2 if ord(char) > 0x2E7F else 1 for char in part)
        lines += max(1, -(-int(shown) // int(room)))
    return lines


def _spread(columns: int, parts: int) -> list[int]:
    """``columns`` shared between ``parts`` as evenly as may be (the first ones get the extra)."""
    base, extra = divmod(columns, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _info(w: _Writer, paper: Paperwork, final: bool) -> None:
    row = paper.detail.row
    count = paper.participants if final else paper.expected
    people = f"{count} 人" if count else "未定"
    w.line(f"活动名称：{row.name}")
    w.line(f"活动类型：{row.kind}　　活动时间：{paper.dates}　　状态：{row.status}")
    label = "实际参加人数" if final else "预计参加人数"
    w.line(f"活动地点：{row.place or '—'}　　组织者：{row.organiser or '—'}　　{label}：{people}")
    remark = paper.activity_remark()
    if remark:
        w.line(f"备注：{remark}")


def _notes(w: _Writer, lines: Sequence[str]) -> None:
    for text in lines:
        w.line(text, size=10)


def _capitals(w: _Writer, label: str, total_fen: int) -> None:
    w.line(f"{label}（大写）：{amount_in_capitals(total_fen)}", bold=True)


def _budget(sheet: Any, paper: Paperwork) -> None:
    sheet.title = "活动经费预算表"
    w = _Writer(sheet, (6, 24, 20, 11, 7, 13, 26))
    w.title(TITLES["budget"], paper.union)
    _info(w, paper, final=False)
    header = w.header([("序号", 1), ("项目", 1), ("科目", 1), ("单价（元）", 1), ("人数", 1), ("金额（元）", 1),
                       ("备注", 1)])  # fmt: skip
    first = header + 1
    for number, line in enumerate(paper.budget_lines, start=1):
        at = w.row + 1
        per_head = line.per_head_fen is not None and line.heads is not None
        amount: tuple[Any, int, str] = (
            (f"=D{at}*E{at}", 1, "formula-money") if per_head else (line.amount_fen, 1, "money")
        )
        w.table_row([(number, 1, "center"), (line.item, 1, "text"), (line.category, 1, "text"),
                     (line.per_head_fen, 1, "money"), (line.heads, 1, "center"), amount, (line.remark, 1, "text")])  # fmt: skip
    if not paper.budget_lines:  # nothing planned yet: lines to fill in
        for _ in range(6):
            w.table_row([(None, 1, "center"), ("", 1, "text"), ("", 1, "text"), (None, 1, "money"),
                         (None, 1, "center"), (None, 1, "money"), ("", 1, "text")])  # fmt: skip
    last = w.row
    w.table_row([("", 1, "text"), ("合计", 1, "text"), ("", 1, "text"), ("", 1, "text"), ("", 1, "text"),
                 (f"=SUM(F{first}:F{last})", 1, "formula-money"), ("", 1, "text")], fill=TOTAL_FILL, bold=True)  # fmt: skip
    if paper.budget_lines:
        _capitals(w, "预算合计", paper.budget_fen)
        if paper.expected:
            w.line(f"预计参加 {paper.expected} 人")
    _notes(w, paper.budget_notes)
    w.blank(8)
    w.row += 1
    opinion = w.row
    w.put(opinion, 1, "审批意见", bold=True, align="center", border=True, fill=TOTAL_FILL)
    w.put(opinion, 2, None, border=True, fill=TOTAL_FILL)
    sign = "签字：　　　　　　　　日期：　　　年　　月　　日"
    for column in range(3, w.columns + 1):
        w.put(opinion, column, sign if column == 3 else None, border=True, align="right", valign="bottom")
    w.merge(opinion, 1, 2)
    w.merge(opinion, 3, w.columns)
    w.sheet.row_dimensions[opinion].height = 90
    w.signatures(BUDGET_ROLES, (2, 3, 2))
    w.setup(header)


def _difference_formula(row: int, budgeted: bool) -> str:
    """节超（元）: actual less budget; for an activity without a budget, only once one is typed in."""
    return f"=E{row}-D{row}" if budgeted else f'=IF(COUNT(D{row})=0,"",E{row}-D{row})'


def _variance_formula(row: int, budgeted: bool, unsettled: str = "") -> str:
    """超支 520.00 / 节约 800.00 / 持平, from the row's 节超 cell (as ``variance_words`` words it);
    无活动预算 while an activity without a budget has none typed in. ``unsettled`` (未结束,
    已取消): what an activity not over says instead of a saving (``line_variance``)."""
    cell = f"F{row}"
    saved = f'"{unsettled}"' if unsettled else (f'IF({cell}<0,"节约 "&TEXT(-{cell},"#,##0.00"),"持平")')
    words = f'IF({cell}>0,"超支 "&TEXT({cell},"#,##0.00"),{saved})'
    return f"={words}" if budgeted else f'=IF(COUNT(D{row})=0,"{NO_BUDGET}",{words})'


def _final(sheet: Any, paper: Paperwork) -> None:
    sheet.title = "活动经费决算表"
    w = _Writer(sheet, (6, 11, 22, 17, 13, 15, 8, 16))
    w.title(TITLES["final"], paper.union)
    _info(w, paper, final=True)
    if paper.status_note:
        w.line(paper.status_note)
    w.line("一、预算执行情况", bold=True, height=22)
    header = w.header([("序号", 1), ("科目", 2), ("预算（元）", 1), ("实际（元）", 1), ("节超（元）", 1),
                       ("节超情况", 2)])  # fmt: skip
    variance = paper.detail.variance
    # without a budget of its own (imported from the ledger) the budget cells stay empty and
    # say 无活动预算 until one is typed in: not a budget of 0, overspent
    budgeted = bool(paper.budget_fen)
    unsettled = not_settled(paper.detail.row.status)
    first_variance = header + 1
    # the expense table starts after the variance rows, their total, the heading and its header
    expense_first = first_variance + len(variance) + 1 + 2
    expense_last = expense_first + max(len(paper.expenses), 1) - 1
    for number, line in enumerate(variance, start=1):
        at = w.row + 1
        actual: tuple[Any, int, str] = (
            (f"=SUMIF($D${expense_first}:$D${expense_last},B{at},$E${expense_first}:$E${expense_last})", 1,
             "formula-money")
            if paper.expenses else (line.spent_fen, 1, "money")
        )  # fmt: skip
        w.table_row([(number, 1, "center"), (line.category, 2, "text"),
                     (line.budget_fen if budgeted else None, 1, "money"), actual,
                     (_difference_formula(at, budgeted), 1, "formula-money"),
                     (_variance_formula(at, budgeted, unsettled), 2, "formula")])  # fmt: skip
    last_variance = w.row
    spent_all = paper.spent_fen
    sums: list[str | int | None] = (
        [f"=SUM({c}{first_variance}:{c}{last_variance})" for c in "DE"] if variance else [0, 0]
    )
    if not budgeted:  # empty as its lines are, until a budget is typed into one of them
        lines = f"D{first_variance}:D{last_variance}"
        sums[0] = f'=IF(COUNT({lines})=0,"",SUM({lines}))' if variance else None
    total_at = w.row + 1
    w.table_row([("", 1, "text"), ("合计", 2, "text"), (sums[0], 1, "formula-money"), (sums[1], 1, "formula-money"),
                 (_difference_formula(total_at, budgeted), 1, "formula-money"),
                 (_variance_formula(total_at, budgeted, unsettled), 2, "formula")], fill=TOTAL_FILL,
                bold=True)  # fmt: skip
    w.line("二、支出明细", bold=True, height=22)
    expense_header = w.header([("序号", 1), ("日期", 1), ("内容", 1), ("科目", 1), ("金额（元）", 1), ("发票号", 1),
                               ("经办人", 1), ("备注", 1)])  # fmt: skip
    assert expense_header + 1 == expense_first, "the 实际 formulas point at the expense rows"
    for number, e in enumerate(paper.expenses, start=1):
        w.table_row([(number, 1, "center"), (e.day, 1, "center"), (e.content, 1, "text"), (e.category, 1, "text"),
                     (e.amount_fen, 1, "money"), (e.invoice_no, 1, "text"), (e.paid_by, 1, "center"),
                     (e.remark, 1, "text")])  # fmt: skip
        w.sheet.cell(w.row, 2).number_format = "yyyy-mm-dd"
    if not paper.expenses:
        w.table_row([(None, 1, "center"), (None, 1, "center"), ("（没有支出记录）", 1, "text"), ("", 1, "text"),
                     (None, 1, "money"), ("", 1, "text"), ("", 1, "text"), ("", 1, "text")])  # fmt: skip
    w.table_row([("", 1, "text"), ("", 1, "text"), ("合计", 1, "text"), ("", 1, "text"),
                 (f"=SUM(E{expense_first}:E{expense_last})", 1, "formula-money"), ("", 1, "text"), ("", 1, "text"),
                 ("", 1, "text")], fill=TOTAL_FILL, bold=True)  # fmt: skip
    _capitals(w, "实际支出合计", spent_all)
    w.line("三、参加人员", bold=True, height=22)
    people = paper.people_text()
    w.line(people)
    _notes(w, paper.final_notes)
    w.signatures(FINAL_ROLES)
    w.setup(expense_header)


def _signin(sheet: Any, paper: Paperwork) -> None:
    sheet.title = "签到表"
    w = _Writer(sheet, (6, 14, 24, 26, 22))
    w.line(TITLES["signin"], bold=True, size=16, align="center", height=30)
    for text in signin_heading(paper):
        w.line(text)
    header = w.header([("序号", 1), ("姓名", 1), ("部门", 1), ("签到", 1), ("备注", 1)])
    for number, name, group, _, remark in signin_rows(paper):
        w.table_row([(int(str(number)), 1, "center"), (name, 1, "text"), (group, 1, "text"), ("", 1, "text"),
                     (remark, 1, "text")])  # fmt: skip
        w.sheet.row_dimensions[w.row].height = 28
    w.signatures(SIGNIN_ROLES)
    w.setup(header)
