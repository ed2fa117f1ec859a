"""The year-end summary draft (年度工作总结初稿) and its half-year form.

``draft_summary`` gives the draft as structured text (what the editor in the program shows);
``write_summary`` writes the Word file, from the secretary's edited paragraphs when she gives
them. Every figure in a sentence comes from the period report of the year (or half), and the
数据来源 appendix lists each one with the command that lists its records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from app.domain.yearmonth import YearMonth
from app.services.errors import UserError
from app.services.reports.period import HELD_WORDS, Figure, PeriodReport, is_held, period_report
from app.services.reports.summary_text import (
    EDUCATION_KINDS,
    PARAGRAPH_KINDS,
    SPORTS_KINDS,
    Draft,
    SummaryParagraph,
    Templates,
    compose,
    load_templates,
)

__all__ = ["SummaryParagraph", "SummaryResult", "activity_kind_figures", "draft_summary", "write_summary"]

_CANCELLED = "已取消"


@dataclass(frozen=True)
class SummaryResult:
    path: Path | None  # the .docx written (None for draft_summary)
    title: str
    paragraphs: list[SummaryParagraph]
    figures: list[Figure]  # every figure the sentences use, in order: the 数据来源 appendix
    report: PeriodReport | None = None  # the period's report the figures come from: their records


def _months(year: int, half: int | None) -> tuple[YearMonth, YearMonth]:
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise UserError(f"年份“{year}”不对：请写四位数的年份，如 2026")
    if half is None:
        return YearMonth(year, 1), YearMonth(year, 12)
    if half not in (1, 2):
        raise UserError(f"半年只能是 1（上半年）或 2（下半年），这里是“{half}”")
    return (
        (YearMonth(year, 1), YearMonth(year, 6)) if half == 1 else (YearMonth(year, 7), YearMonth(year, 12))
    )


def activity_kind_figures(session: Session, first: YearMonth, last: YearMonth, today: date) -> list[Figure]:
    """Activities held and their participants by kind (文体活动, 职工教育培训 …), counted as the
    period report counts ``activities.held`` and ``activities.participants``: started in the
    months, not cancelled, participants from the list, else the headcount."""
    from app.services.activities import list_activities

    start, end = first.first_day(), last.last_day()
    held: dict[str, list[int]] = {}
    for year in range(first.year, last.year + 1):
        for row in list_activities(session, year=year):
            if start <= row.start and is_held(row.status, row.start, end, today):
                tally = held.setdefault(row.kind, [0, 0])
                tally[0] += 1
                tally[1] += row.participants
    command = " ；".join(f"uniondesk events list --year {y}" for y in range(first.year, last.year + 1))
    figures: list[Figure] = []
    for kind in (*SPORTS_KINDS, *EDUCATION_KINDS, *sorted(set(held) - {*SPORTS_KINDS, *EDUCATION_KINDS})):
        if kind not in held:
            continue
        count, people = held[kind]
        figures += [
            Figure(f"activities.kind.{kind}.held", f"{kind}（次）", "次", count, None,
                   counts=f"类型为“{kind}”、{HELD_WORDS}", command=command),
            Figure(f"activities.kind.{kind}.participants", f"{kind}（参加人次）", "人次", people, None,
                   counts=f"类型为“{kind}”的这些活动的参加人数（有名单的按名单，否则按登记的人数）",
                   command=command),
        ]  # fmt: skip
    return figures


def _seed(year: int, union_name: str, seed: int | None) -> str:
    return str(seed) if seed is not None else f"{year}|{union_name}"


def _draft(
    session: Session,
    year: int,
    half: int | None,
    today: date | None,
    seed: int | None,
    templates: Templates | None = None,
) -> tuple[PeriodReport, Draft]:
    first, last = _months(year, half)
    today = today or date.today()
    templates = templates or load_templates()
    report = period_report(session, first, last, today=today)
    extra = activity_kind_figures(session, first, last, today)
    draft = compose(
        report,
        year=year,
        half=half,
        today=today,
        seed=_seed(year, report.union_name, seed),
        templates=templates,
        extra=extra,
    )
    return report, draft


def draft_summary(
    session: Session,
    year: int,
    half: int | None = None,
    *,
    today: date | None = None,
    seed: int | None = None,
) -> SummaryResult:
    """The draft as text, no file. The same records (and ``seed``) give the same draft; without
    a seed the phrasings are chosen by the year and the union's name."""
    report, draft = _draft(session, year, half, today, seed)
    return SummaryResult(None, draft.title, draft.paragraphs, draft.figures, report)


def write_summary(
    session: Session,
    year: int,
    half: int | None,
    out: Path,
    *,
    today: date | None = None,
    paragraphs: Sequence[SummaryParagraph] | None = None,
) -> SummaryResult:
    """Write the draft to ``out`` (.docx). ``paragraphs``: the text as the secretary edited it
    in the program (its title paragraph is the document's title); the 数据来源 appendix always
    lists the figures of the records."""
    from app.services.reports.summary_docx import render_docx

    report, draft = _draft(session, year, half, today, None)
    chosen = list(paragraphs) if paragraphs is not None else draft.paragraphs
    for paragraph in chosen:
        if paragraph.kind not in PARAGRAPH_KINDS:
            raise UserError(f"工作总结中有一段的类型“{paragraph.kind}”不认识")
    title = next((p.text for p in chosen if p.kind == "title" and p.text.strip()), draft.title)

    def period_of(figure: Figure) -> str:
        return report.label if figure.period is not None else f"{report.last.year}年（全年）"

    render_docx(
        Path(out),
        title=title,
        paragraphs=chosen,
        figures=draft.figures,
        attachment_note=draft.attachment_note,
        appendix_title=draft.appendix_title,
        appendix_note=draft.appendix_note,
        period_of=period_of,
        author=report.union_name,
    )
    return SummaryResult(Path(out), title, chosen, draft.figures, report)
