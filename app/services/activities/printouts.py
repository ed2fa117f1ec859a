"""An activity's paperwork as PDF, on the shared printing blocks: the 活动经费预算表 that goes
up for approval (lines, total in figures and capitals, lines over a limit explained in full,
the 审批意见 box and signatures), the 活动经费决算表 after the event (budget against actual
per category, every expense, participants, signatures) and the 签到表 people sign at the door.

What each printout says is gathered once (``gather``) and shared with the .xlsx versions
(``export``), so the two always agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from sqlalchemy.orm import Session

from app.db import database_files
from app.domain.activities import Status
from app.domain.money import format_fen
from app.services.activities.events import ActivityDetail, get_activity
from app.services.activities.wording import (
    final_status_note,
    line_variance,
    variance_so_far,
    variance_text,
)
from app.services.errors import UserError
from app.services.excel.writer import check_output_path
from app.services.system import get_profile

PrintKind = Literal["budget", "final", "signin"]
TITLES: dict[str, str] = {"budget": "活动经费预算表", "final": "活动经费决算表", "signin": "活动签到表"}
KIND_WORDS = "budget（预算表）、final（决算表）或 signin（签到表）"
MIN_SIGNIN_ROWS = 20
BUDGET_ROLES = ("经办人", "工会主席（负责人）审批", "日期")
FINAL_ROLES = ("经办人", "审核人", "负责人")
SIGNIN_ROLES = ("组织者", "经办人")


def check_kind(kind: str) -> PrintKind:
    if kind not in TITLES:
        raise UserError(f"没有“{kind}”这种打印：请选择 {KIND_WORDS}")
    return kind  # type: ignore[return-value]  # checked just above


def chinese_day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def when(start: date, end: date | None) -> str:
    """2026年5月1日, or 2026年5月1日至5月3日 (the year again only when it changes)."""
    if end is None or end == start:
        return chinese_day(start)
    tail = chinese_day(end) if end.year != start.year else f"{end.month}月{end.day}日"
    return f"{chinese_day(start)}至{tail}"


def per_head_text(per_head_fen: int | None, heads: int | None) -> str:
    """80.00 元 × 60 人, or "" for a line given as an amount."""
    if per_head_fen is None or heads is None:
        return ""
    return f"{format_fen(per_head_fen)} 元 × {heads} 人"


@dataclass(frozen=True)
class BudgetLineOut:
    """One line of the 预算表 as printed."""

    item: str
    category: str
    per_head_fen: int | None
    heads: int | None
    amount_fen: int
    remark: str  # 超标准，见说明N


@dataclass(frozen=True)
class ExpenseOut:
    day: date
    content: str  # the item, and who was paid
    category: str  # 50102 文体活动费
    category_name: str  # 文体活动费
    amount_fen: int
    invoice_no: str
    paid_by: str
    remark: str


@dataclass(frozen=True)
class Paperwork:
    """What the printouts of one activity say, as the PDF and the workbook both print it."""

    union: str
    detail: ActivityDetail
    budget_lines: list[BudgetLineOut] = field(default_factory=list)
    expenses: list[ExpenseOut] = field(default_factory=list)
    budget_notes: list[str] = field(default_factory=list)  # 说明N under the 预算表
    final_notes: list[str] = field(default_factory=list)  # 说明N under the 决算表
    activity_note_at: int | None = None  # the 说明 number of the activity's own limit, if over one
    printed_on: date = field(default_factory=date.today)

    @property
    def status_note(self) -> str:
        """What the 决算表 says first of an activity not 已结束: its figures are not final."""
        return final_status_note(self.detail.row.status, self.printed_on)

    @property
    def name(self) -> str:
        return self.detail.row.name

    @property
    def dates(self) -> str:
        return when(self.detail.row.start, self.detail.row.end)

    @property
    def participants(self) -> int:
        return self.detail.row.participants

    @property
    def expected(self) -> int:
        """预计参加人数: the headcount planned, else the people named."""
        return self.detail.headcount or len(self.detail.participants)

    @property
    def budget_fen(self) -> int:
        return sum(line.amount_fen for line in self.budget_lines)

    @property
    def spent_fen(self) -> int:
        return sum(e.amount_fen for e in self.expenses)

    def people_text(self) -> str:
        """参加人员: the named ones with their department, or the headcount."""
        people = self.detail.participants
        if people:
            by_group: dict[str, list[str]] = {}
            for p in people:
                by_group.setdefault(p.group or "未分组", []).append(p.name)
            parts = [f"{group}（{len(names)} 人）：{'、'.join(names)}" for group, names in by_group.items()]
            return f"共 {len(people)} 人。" + "；".join(parts)
        if self.detail.headcount:
            return f"共 {self.detail.headcount} 人（未登记名单）"
        return "未登记"

    def activity_remark(self) -> str:
        if self.activity_note_at is None:
            return self.detail.note
        flag = f"活动超标准，见说明{self.activity_note_at}"
        return f"{flag}；{self.detail.note}" if self.detail.note else flag


def _bare(label: str) -> str:
    """50102 文体活动费 → 文体活动费"""
    code, _, name = label.partition(" ")
    return name if code.isdigit() and name else label


def _flag(over: str, reason: str) -> str:
    return f"超过标准：{over}；原因：{reason or '未写原因'}"


def gather(session: Session, activity_id: int, *, today: date | None = None) -> Paperwork:
    """Everything the three printouts of ``activity_id`` need (``NotFoundError`` when there is none)."""
    detail = get_activity(session, activity_id)
    union = get_profile(session).name or "本工会"
    budget_notes: list[str] = []
    final_notes: list[str] = []
    activity_at: int | None = None
    if detail.over_limit:
        text = f"本活动{_flag(detail.over_limit, detail.reason)}"
        budget_notes.append(f"说明1：{text}")
        final_notes.append(f"说明1：{text}")
        activity_at = 1
    lines: list[BudgetLineOut] = []
    for number, item in enumerate(detail.items, start=1):
        remark = ""
        if item.over_limit:
            at = len(budget_notes) + 1
            budget_notes.append(f"说明{at}：第 {number} 行“{item.item}”{_flag(item.over_limit, item.reason)}")
            remark = f"超标准，见说明{at}"
        lines.append(
            BudgetLineOut(item.item, item.category, item.per_head_fen, item.heads, item.amount_fen, remark)
        )
    expenses: list[ExpenseOut] = []
    for number, e in enumerate(detail.expenses, start=1):
        remarks = [e.note] if e.note else []
        if e.over_limit:
            at = len(final_notes) + 1
            final_notes.append(f"说明{at}：第 {number} 笔“{e.item}”{_flag(e.over_limit, e.reason)}")
            remarks.insert(0, f"超标准，见说明{at}")
        content = f"{e.item}（{e.payee}）" if e.payee else e.item
        expenses.append(
            ExpenseOut(
                e.day,
                content,
                e.category,
                _bare(e.category),
                e.amount_fen,
                e.invoice_no,
                e.paid_by,
                "；".join(remarks),
            )
        )
    return Paperwork(
        union, detail, lines, expenses, budget_notes, final_notes, activity_at, today or date.today()
    )


def _check_output(session: Session, out: Path, title: str, suffix: str) -> Path:
    out = Path(out)
    check_output_path(out, title, keep=database_files(session), suffix=suffix)
    if not out.parent.is_dir():
        out.parent.mkdir(parents=True, exist_ok=True)
    return out


def print_activity(
    session: Session, activity_id: int, kind: str, out: Path, *, today: date | None = None
) -> Path:
    """Write the activity's 预算表 (``budget``), 决算表 (``final``) or 签到表 (``signin``) to
    ``out`` (.pdf); returns ``out``. ``UserError`` (Chinese) for an unknown activity or kind,
    or a file that cannot be written."""
    chosen = check_kind(kind)
    paper = gather(session, activity_id, today=today)
    out = _check_output(session, out, TITLES[chosen], ".pdf")
    if chosen == "budget":
        _budget_pdf(paper, out)
    elif chosen == "final":
        _final_pdf(paper, out)
    else:
        _signin_pdf(paper, out)
    return out


def _info(paper: Paperwork, final: bool) -> list[list[tuple[str, str]]]:
    row = paper.detail.row
    count = paper.participants if final else paper.expected
    people = f"{count} 人" if count else "未定"
    rows: list[list[tuple[str, str]]] = [
        [("活动名称", row.name)],
        [("活动类型", row.kind), ("活动时间", paper.dates)],
        [("活动地点", row.place or "—"), ("组织者", row.organiser or "—")],
        [("实际参加人数" if final else "预计参加人数", people), ("状态", row.status)],
    ]
    remark = paper.activity_remark()
    if remark:
        rows.append([("备注", remark)])
    return rows


def _budget_pdf(paper: Paperwork, out: Path) -> None:
    from reportlab.platypus import KeepTogether

    from app.services.printing import Column, PageSetup, para, styles, table, totals_line, write_pdf
    from app.services.printing.form import info_grid, notes, opinion_box, section, sign_row, unit_line

    page = PageSetup()
    width = page.frame_width
    sheet = styles()
    columns = [
        Column("序号", 10, "center"), Column("项目", 40), Column("科目", 34), Column("单价×人数", 32, "center"),
        Column("金额（元）", 24, "money"), Column("备注", 34),
    ]  # fmt: skip
    rows: list[list[str | int | None]] = [
        [
            str(n),
            line.item,
            line.category,
            per_head_text(line.per_head_fen, line.heads),
            line.amount_fen,
            line.remark,
        ]
        for n, line in enumerate(paper.budget_lines, start=1)
    ]
    total = paper.budget_fen
    if not rows:  # nothing planned yet: blank lines to fill in by hand
        rows = [["", "", "", "", None, ""] for _ in range(6)]
    total_row: list[str | int | None] = ["", "合计", "", "", total if paper.budget_lines else None, ""]
    story: list[Any] = [
        para(TITLES["budget"], sheet.title),
        unit_line(f"单位：{paper.union}", "金额单位：元", width),
        info_grid(_info(paper, final=False), width),
        section("预算明细"),
        table(
            columns,
            rows,
            width=width,
            total_row=total_row,
            min_row_height_mm=8 if not paper.budget_lines else 0,
        ),
    ]
    if paper.budget_lines:
        story.append(totals_line(total, "预算合计"))
        if paper.expected:
            each = format_fen(total // paper.expected)
            story.append(para(f"预计参加 {paper.expected} 人，人均 {each} 元", sheet.body))
    else:
        story.append(para("预算合计（大写）：", sheet.body))
    story += notes(paper.budget_notes)
    story.append(KeepTogether([opinion_box("审批意见", width), sign_row(BUDGET_ROLES, width)]))
    write_pdf(out, story, title=TITLES["budget"], page=page, footer_note=_footer(paper))


def _footer(paper: Paperwork) -> str:
    """The activity's name at the foot of every page, short enough to clear the page number."""
    return paper.name if len(paper.name) <= 16 else paper.name[:15] + "…"


def _final_pdf(paper: Paperwork, out: Path) -> None:
    from app.services.printing import Column, PageSetup, para, styles, table, totals_line, write_pdf
    from app.services.printing.blocks import signed
    from app.services.printing.form import info_grid, notes, section, sign_row, unit_line

    page = PageSetup()
    width = page.frame_width
    sheet = styles()
    variance_columns = [
        Column("序号", 10, "center"), Column("科目", 50), Column("预算（元）", 28, "money"),
        Column("实际（元）", 28, "money"), Column("节超（元）", 34, "money"),
    ]  # fmt: skip
    lines = paper.detail.variance
    budget, spent = paper.budget_fen, paper.spent_fen
    status = paper.detail.row.status
    # an activity without a budget of its own (imported from the ledger) overspent nothing;
    # nor has one that is not over (or was cancelled) saved anything yet
    variance_rows: list[list[str | int | None]] = [
        [str(n), v.category, v.budget_fen if budget else None, v.spent_fen,
         line_variance(status, v.budget_fen, v.spent_fen) if budget else "—"]
        for n, v in enumerate(lines, start=1)
    ]  # fmt: skip
    variance_total: list[str | int | None] = [
        "", "合计", budget if budget else None, spent, variance_so_far(status, budget, spent) or "—",
    ]  # fmt: skip
    expense_columns = [
        Column("序号", 10, "center"), Column("日期", 16, "center"), Column("内容", 40), Column("科目", 23),
        Column("金额（元）", 22, "money"), Column("发票号", 28), Column("经办人", 15, "center"), Column("备注", 22),
    ]  # fmt: skip
    expense_rows: list[list[str | int | None]] = [
        [
            str(n),
            f"{e.day.month}月{e.day.day}日",
            e.content,
            e.category_name,
            e.amount_fen,
            e.invoice_no,
            e.paid_by,
            e.remark,
        ]
        for n, e in enumerate(paper.expenses, start=1)
    ]
    if not expense_rows:
        expense_rows = [["", "", "（没有支出记录）", "", None, "", "", ""]]
    expense_total: list[str | int | None] = ["", "", "合计", "", spent, "", "", ""]
    story: list[Any] = [
        para(TITLES["final"], sheet.title),
        unit_line(f"单位：{paper.union}", "金额单位：元", width),
        info_grid(_info(paper, final=True), width),
    ]
    if paper.status_note:
        story.append(para(paper.status_note, sheet.body))
    story.append(section("一、预算执行情况"))
    if variance_rows:
        story.append(table(variance_columns, variance_rows, width=width, total_row=variance_total))
    else:
        story.append(para("没有预算，也没有支出。", sheet.body))
    story += [
        section("二、支出明细"),
        table(expense_columns, expense_rows, width=width, total_row=expense_total),
        totals_line(spent, "实际支出合计"),
        para(_outcome(budget, spent, status), sheet.body),
        section("三、参加人员"),
        para(paper.people_text(), sheet.body),
    ]
    story += notes(paper.final_notes)
    story = signed(story, sign_row(FINAL_ROLES, width), keep=2)  # with the people, and a note if any
    write_pdf(out, story, title=TITLES["final"], page=page, footer_note=_footer(paper))


def signin_rows(paper: Paperwork) -> list[list[str | int | None]]:
    """序号, 姓名, 部门, 签到 (blank), 备注: the named participants, else numbered blank rows
    for the headcount (at least ``MIN_SIGNIN_ROWS``)."""
    people = paper.detail.participants
    if people:
        return [[str(n), p.name, p.group, None, ""] for n, p in enumerate(people, start=1)]
    count = max(paper.detail.headcount or 0, MIN_SIGNIN_ROWS)
    return [[str(n), "", "", None, ""] for n in range(1, count + 1)]


def signin_heading(paper: Paperwork) -> list[str]:
    row = paper.detail.row
    place = f"　　地点：{row.place}" if row.place else ""
    expected = f"应到 {paper.expected} 人" if paper.expected else "应到　　人"
    return [
        f"活动名称：{row.name}",
        f"时间：{paper.dates}{place}",
        f"单位：{paper.union}　　{expected}　　实到　　人",
    ]


def _signin_pdf(paper: Paperwork, out: Path) -> None:
    from app.services.printing import Column, PageSetup, write_pdf
    from app.services.printing.form import Roll, roll_story

    columns = [
        Column("序号", 12, "center"), Column("姓名", 28), Column("部门", 42), Column("签到", 48, "signature"),
        Column("备注", 40),
    ]  # fmt: skip
    roll = Roll(
        title=TITLES["signin"],
        heading=signin_heading(paper),
        columns=columns,
        rows=signin_rows(paper),
        roles=SIGNIN_ROLES,
        page=PageSetup(),
    )
    write_pdf(out, roll_story(roll), title=TITLES["signin"], page=roll.page, footer_note=_footer(paper))


def _outcome(budget_fen: int, spent_fen: int, status: str) -> str:
    """The 决算表's closing sentence."""
    spent = format_fen(spent_fen)
    if status == Status.CANCELLED:
        return (
            f"活动已取消，已支出 {spent} 元，计入年度预算中所属科目的执行数。"
            if spent_fen
            else "活动已取消，没有支出。"
        )
    if status != Status.DONE:
        over = (
            f"，已{variance_text(spent_fen - budget_fen)} 元" if budget_fen and spent_fen > budget_fen else ""
        )
        planned = f"预算 {format_fen(budget_fen)} 元，" if budget_fen else ""
        return f"活动尚未结束：{planned}截至目前支出 {spent} 元{over}。"
    if not budget_fen:
        return f"这项活动没有编列自己的预算，实际支出 {format_fen(spent_fen)} 元，计入年度预算中所属科目的执行数。"
    tail = " 元" if spent_fen != budget_fen else ""
    return f"预算 {format_fen(budget_fen)} 元，实际 {format_fen(spent_fen)} 元，{variance_text(spent_fen - budget_fen)}{tail}"
