"""What every `… import FILE` command shares: its options, the run through the pipeline,
and the report (text, or `--json` in the shape DESIGN.md gives)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import EXIT_INPUT, EXIT_OK, Parser, command, print_json, say

if TYPE_CHECKING:
    from app.db import Database
    from app.services.imports import Importer, ImportPlan

ImporterFactory = Callable[[argparse.Namespace], "Importer[Any, Any]"]
_SHOWN_ERRORS = 200


def add_import_command(
    parent: argparse._SubParsersAction[Parser], help_text: str, file_help: str, importer: ImporterFactory
) -> Parser:
    """`import FILE [--sheet S] [--skip-invalid] [--dry-run] [--errors OUT.xlsx] [--json]`;
    ``importer`` builds the area's importer from the parsed options."""

    def run(db: Database, args: argparse.Namespace) -> int:
        return run_import(db, args, importer(args))

    parser = command(parent, "import", help_text, run)
    parser.set_defaults(before_open=_start_reading)
    parser.add_argument("file", type=Path, help=file_help)
    parser.add_argument("--sheet", help="工作表名称（文件有多个工作表时）")
    parser.add_argument("--skip-invalid", action="store_true", help="导入没有错误的行，报告有错误的行")
    parser.add_argument("--dry-run", action="store_true", help="只检查并显示结果，不写入")
    parser.add_argument(
        "--errors", type=Path, metavar="OUT.xlsx", help="把有错误的行及错误原因写入此 Excel 文件"
    )
    parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    return parser


def _start_reading(args: argparse.Namespace) -> None:
    from app.services.excel.reader import start_reading, wait_until_parsing

    start_reading(args.file, args.sheet)
    # The file's checks before calamine may parse need the GIL, as loading the database
    # layer does: side by side, each slows the other, and the parse waits for both. Checked
    # first, the file is parsed (without the GIL) while the database layer loads.
    wait_until_parsing(args.file, args.sheet)


def run_import(db: Database, args: argparse.Namespace, importer: Importer[Any, Any]) -> int:
    from app.services.excel.reader import start_reading, wait_until_parsing
    from app.services.gc_pause import cyclic_gc_paused
    from app.services.imports import (
        apply_plan,
        check_report_path,
        find_sheet,
        may_write_in_bulk,
        plan_sheet,
        read_file,
        write_error_report,
    )

    if args.errors is not None:  # before anything is read or written
        check_report_path(args.errors, args.file, keep=[db.path])
    # the collector paused from the first row read to the commit, not only while planning and
    # writing: the rows read and the 账套's figures live until the import ends
    with cyclic_gc_paused(), db.session() as session:
        start_reading(args.file, args.sheet)  # unless begun before the 账套 was opened
        # the 账套 is read beside calamine's parse, which lets go of the GIL (not beside the
        # file's checks before it, which need it too)
        wait_until_parsing(args.file, args.sheet)
        importer.prepare(session)
        if not args.dry_run:
            # the 批量写入前 backup copies while calamine parses and this thread waits for
            # it (a 5,000-row register: 0.28 s -> 0.25 s in all; a 50,000-member grid:
            # 6.6 s -> 6.0 s); for a file too small to need it, it stops at its next step
            db.back_up_ahead()
        sheets = read_file(args.file, args.sheet)
        if not args.dry_run and not may_write_in_bulk(sheets):
            db.drop_backup_ahead()
        found = find_sheet(session, importer, sheets, args.sheet)
        plan = plan_sheet(session, importer, found.sheet, found.mapping, path=args.file)
        errors = plan.errors
        if args.errors is not None and errors:
            write_error_report(plan, args.errors)  # first: if it cannot be saved, nothing is imported
        importable = not errors or args.skip_invalid  # what the import would do, tried or not
        write = importable and not args.dry_run
        if write:
            apply_plan(session, importer, plan, skip_invalid=args.skip_invalid)
    summary = plan.summary()
    if args.json:
        print_json({**summary, "written": write})
    else:
        _print_plan(plan, summary, write, args, importer)
    # a trial with errors the import would stop at ends as that import would (DESIGN.md: 1, the
    # input had errors and nothing was written), so that a script can try a file first
    return EXIT_OK if importable else EXIT_INPUT


def _print_plan(
    plan: ImportPlan[Any],
    summary: dict[str, Any],
    written: bool,
    args: argparse.Namespace,
    importer: Importer[Any, Any],
) -> None:
    say(f"文件：{plan.path.name}　工作表：{plan.sheet}　表头在第 {plan.mapping.header_row} 行")
    if plan.mapping.unknown:
        say(f"未导入的列：{'、'.join(plan.mapping.unknown)}")
    for note in plan.file_notes:
        say(f"提示：{note}")
    verb = "已" if written else "将"
    for note in plan.notes:
        say(f"{verb}{note}")
    noun = importer.noun
    say(
        f"{verb}新增 {summary['new']} {noun}，{verb}更新 {summary['updated']} {noun}，无变化 {summary['unchanged']} {noun}，"
        f"跳过已有的 {summary['skipped']} {noun}，有错误 {len(summary['errors'])} 处"
    )
    if plan.ignored_rows:
        say(f"已忽略合计、小计、制表人等行：第 {'、'.join(map(str, plan.ignored_rows))} 行")
    for issue in summary["warnings"][:_SHOWN_ERRORS]:
        column = f"“{issue['column']}”" if issue["column"] else ""
        say(f"  提示：第 {issue['row']} 行{column}：{issue['message']}")
    for issue in summary["errors"][:_SHOWN_ERRORS]:
        column = f"“{issue['column']}”" if issue["column"] else ""
        say(f"  第 {issue['row']} 行{column}：{issue['message']}")
    if len(summary["errors"]) > _SHOWN_ERRORS:
        say(f"  ……共 {len(summary['errors'])} 处错误，请用 --errors 输出完整的错误报告")
    if summary["errors"] and not written and not args.skip_invalid:
        done = "正式导入时不会导入任何数据" if args.dry_run else "没有导入任何数据"
        say(f"有错误，{done}。请改正后重新导入，或加上 --skip-invalid 只导入没有错误的行。")
    if args.errors is not None and summary["errors"]:
        say(f"错误报告：{args.errors}")
    if args.dry_run:
        say("（试运行：没有写入任何数据）")
