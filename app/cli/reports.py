"""`report …`: the monthly report (月报表) and the same figures for any span of months, the
records behind any of its figures, and the year-end summary draft (年度工作总结初稿)."""

from __future__ import annotations

import argparse
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import (
    EXIT_OK,
    Parser,
    actions,
    add_reveal_option,
    command,
    output_suffix,
    parse_month,
    parse_year,
    print_json,
    reads,
    say,
)
from app.domain.privacy import masked_rows

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.domain.yearmonth import YearMonth
    from app.services.reports import Figure, PeriodReport, RecordList

OUT_HELP = "保存为 .xlsx（可打印的 A4 报表）或 .pdf"


def register(sub: argparse._SubParsersAction[Parser]) -> None:
    report = actions(sub, "report", "报表：月报表、任意月份的报表、数字背后的记录、年度工作总结初稿")
    monthly = command(
        report, "monthly", "某月的月报表：会员、会费、慰问、帮扶、活动与经费（本期和本年累计）", _monthly
    )
    monthly.add_argument("month", type=parse_month, metavar="YYYY-MM", help="月份，如 2026-09")
    _outputs(monthly)
    period = command(report, "period", "任意几个月（季度、半年、全年）的报表", _period)
    period.add_argument(
        "--from", dest="first", type=parse_month, required=True, metavar="YYYY-MM", help="起始月份"
    )
    period.add_argument(
        "--to", dest="last", type=parse_month, required=True, metavar="YYYY-MM", help="截止月份"
    )
    _outputs(period)
    records = command(report, "records", "列出报表中一个数字背后的记录（如 members.joined）", _records)
    records.add_argument("key", metavar="KEY", help="数字的编号，见 report monthly --json 中的 key")
    records.add_argument(
        "--from", dest="first", type=parse_month, required=True, metavar="YYYY-MM", help="起始月份"
    )
    records.add_argument(
        "--to", dest="last", type=parse_month, metavar="YYYY-MM", help="截止月份（默认同起始月份）"
    )
    records.add_argument("--ytd", action="store_true", help="列出本年累计（从 1 月起）的记录")
    records.add_argument("--json", action="store_true", help="以 JSON 输出")
    add_reveal_option(records)
    summary = command(
        report, "summary", "年度（或半年）工作总结初稿（.docx），其中每个数字都注明来源", _summary
    )
    summary.add_argument("year", type=parse_year, metavar="YYYY", help="年度，如 2026")
    summary.add_argument("--half", type=int, choices=[1, 2], help="1 上半年，2 下半年（默认全年）")
    summary.add_argument("--out", type=Path, required=True, metavar="OUT.docx", help="保存为（.docx）")
    summary.add_argument("--json", action="store_true", help="以 JSON 输出")


def _outputs(parser: Parser) -> None:
    parser.add_argument("--out", type=Path, metavar="OUT.xlsx|OUT.pdf", help=OUT_HELP)
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")


# ---------------------------------------------------------------- JSON


def number(value: int | Decimal | None) -> int | float | None:
    """Counts and fen as integers, a rate (per cent, one decimal) as a number."""
    if value is None or isinstance(value, int):
        return value
    return float(value)


def figure_json(f: Figure) -> dict[str, Any]:
    found: dict[str, Any] = {
        "key": f.key, "label": f.label, "unit": f.unit, "period": number(f.period),
        "year_to_date": number(f.year_to_date),
        "female": None if f.female is None else {"period": f.female[0], "year_to_date": f.female[1]},
        "migrant": None if f.migrant is None else {"period": f.migrant[0], "year_to_date": f.migrant[1]},
        "counts": f.counts, "command": f.command,
    }  # fmt: skip
    if f.money:
        found["money"] = True
    return found


def report_json(report: PeriodReport) -> dict[str, Any]:
    return {
        "union": report.union_name,
        "period": {"from": str(report.first), "to": str(report.last), "label": report.label},
        "sections": [
            {"key": s.key, "title": s.title, "figures": [figure_json(f) for f in s.figures], "notes": s.notes}
            for s in report.sections
        ],
    }


# ---------------------------------------------------------------- handlers


def _show(session: Session, args: argparse.Namespace, first: YearMonth, last: YearMonth) -> int:
    from app.db import database_files
    from app.services.reports import period_report, write_period_pdf, write_period_xlsx

    path: Path | None = args.out
    suffix = output_suffix(path, "报表", (".xlsx", ".pdf")) if path is not None else None
    report = period_report(session, first, last)
    if path is not None:
        if suffix == ".xlsx":
            write_period_xlsx(report, path, keep=database_files(session))
        else:
            write_period_pdf(report, path)
    if args.json:
        payload = report_json(report)
        if path is not None:
            payload["path"] = str(path)
        print_json(payload)
        return EXIT_OK
    _print_report(report)
    if path is not None:
        say(f"已保存：{path}")
    return EXIT_OK


def _print_report(report: PeriodReport) -> None:
    from app.services.reports.period_files import report_title, unit_text, value_text

    say(report_title(report))
    for section in report.sections:
        split = any(f.female is not None for f in section.figures)
        say(
            f"\n【{section.title}】\t单位\t本期\t本年累计"
            + ("\t其中女、农民工（本期/本年累计）" if split else "")
        )
        for f in section.figures:
            line = f"{f.label}\t{unit_text(f)}\t{value_text(f, f.period)}\t{value_text(f, f.year_to_date)}"
            if f.female is not None and f.migrant is not None:
                line += f"\t其中女 {f.female[0]}/{f.female[1]}，农民工 {f.migrant[0]}/{f.migrant[1]}"
            say(line)
        for note in section.notes:
            say(f"注：{note}")


@reads
def _monthly(session: Session, args: argparse.Namespace) -> int:
    return _show(session, args, args.month, args.month)


@reads
def _period(session: Session, args: argparse.Namespace) -> int:
    return _show(session, args, args.first, args.last)


def records_json(found: RecordList, rows: list[list[str]]) -> dict[str, Any]:
    """The records behind a figure; ``rows`` as shown (ID numbers masked unless revealed)."""
    return {
        "title": found.title,
        "columns": found.columns,
        "rows": rows,
        "count": len(found.rows),
        "total": found.total,
        "value": found.value,
    }


@reads
def _records(session: Session, args: argparse.Namespace) -> int:
    from app.services.reports import figure_records, period_report

    report = period_report(session, args.first, args.last or args.first)
    found = figure_records(session, report, args.key.strip(), year_to_date=args.ytd)
    rows = found.rows if args.reveal else masked_rows(found.columns, found.rows)
    if args.json:
        print_json(records_json(found, rows))
        return EXIT_OK
    say(found.title)
    say("\t".join(found.columns))
    for row in rows:
        say("\t".join(row))
    say(found.total)
    return EXIT_OK


@reads
def _summary(session: Session, args: argparse.Namespace) -> int:
    from app.services.reports.summary import write_summary

    result = write_summary(session, args.year, args.half, args.out)
    if args.json:
        print_json(
            {
                "path": str(result.path),
                "figures": [
                    {"key": f.key, "label": f.label, "unit": f.unit,
                     "value": number(f.period if f.period is not None else f.year_to_date),
                     "period": _summary_period(args.year, args.half), "counts": f.counts, "command": f.command,
                     **({"money": True} if f.money else {})}
                    for f in result.figures
                ],
            }
        )  # fmt: skip
        return EXIT_OK
    say(f"已保存：{result.path}（{len(result.figures)} 个数字，来源见文末“数据来源”表）")
    return EXIT_OK


def _summary_period(year: int, half: int | None) -> str:
    return {None: f"{year}年", 1: f"{year}年上半年", 2: f"{year}年下半年"}[half]
