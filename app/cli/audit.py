"""`audit list` and `audit export`: the 操作日志 (every change to a record, who made it and
when, with before and after), filtered by date, record type, action and text."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import EXIT_OK, Parser, actions, command, parse_date, print_json, reads, say

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.system import AuditFilter, AuditRow

DEFAULT_LIMIT = 50
_ACTIONS = ("新增", "修改", "删除", "批量")  # as app.services.system.AUDIT_ACTIONS, without loading it


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是整数") from None
    if value < 1:
        raise argparse.ArgumentTypeError("至少为 1")
    return value


def _filters(parser: Parser) -> None:
    parser.add_argument(
        "--from", dest="first", type=parse_date, metavar="YYYY-MM-DD", help="从这一天起（含）"
    )
    parser.add_argument("--to", dest="last", type=parse_date, metavar="YYYY-MM-DD", help="到这一天为止（含）")
    parser.add_argument(
        "--type", dest="record_type", metavar="记录类型", help="表名或中文名，如 会员、慰问记录、members"
    )
    parser.add_argument("--action", choices=_ACTIONS, help="新增、修改、删除或批量")
    parser.add_argument("--search", default="", metavar="文字", help="摘要、操作人或修改内容中含有这些文字")
    parser.add_argument("--mask", action="store_true", help="隐去身份证号和银行账号的中间部分")


def register(sub: argparse._SubParsersAction[Parser]) -> None:
    audit = actions(sub, "audit", "操作日志：谁在什么时候新增、修改、删除了哪条记录")
    listing = command(audit, "list", "列出操作日志，最新的在前", _list)
    _filters(listing)
    listing.add_argument(
        "--limit",
        type=_positive,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"最多列出多少条，默认 {DEFAULT_LIMIT}",
    )
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    export = command(audit, "export", "把操作日志导出为 Excel 文件（.xlsx）", _export)
    export.add_argument("out", type=Path, metavar="OUT.xlsx", help="导出的文件")
    _filters(export)


def _filter(args: argparse.Namespace) -> AuditFilter:
    from app.services.system import AuditFilter, find_record_type

    entity = find_record_type(args.record_type) if args.record_type is not None else None
    flt = AuditFilter(first=args.first, last=args.last, entity=entity, action=args.action, text=args.search)
    flt.check()
    return flt


@reads
def _list(session: Session, args: argparse.Namespace) -> int:
    from app.services.system import describe_filter, list_audit

    flt = _filter(args)
    page = list_audit(session, flt, limit=args.limit)
    if args.json:
        print_json(
            {
                "total": page.total,
                "total_exact": page.total_exact,
                "count": len(page.rows),
                "entries": [_entry_json(row, mask=args.mask) for row in page.rows],
            }
        )
        return EXIT_OK
    if not page.rows:
        say(f"没有符合条件的操作日志（{describe_filter(flt)}）。")
        return EXIT_OK
    total = f"共 {page.total:,} 条" if page.total_exact else f"超过 {page.total:,} 条"
    shown = f"，列出最近的 {len(page.rows)} 条（用 --limit 列出更多）" if page.more else ""
    say(f"操作日志（{describe_filter(flt)}）：{total}{shown}")
    for row in page.rows:
        _say_entry(row, mask=args.mask)
    return EXIT_OK


def _say_entry(row: AuditRow, *, mask: bool) -> None:
    from app.services.system import field_changes, side_text

    number = f"（编号 {row.entity_id}）" if row.entity_id is not None else ""
    say(f"{row.at:%Y-%m-%d %H:%M:%S}  {row.actor}  {row.action}  {row.record_type}{number}  {row.summary}")
    changes = field_changes(row, mask=mask)
    if row.action == "修改":
        for change in changes:
            say(f"    {change.label}：{change.before} → {change.after}")
    elif row.action == "删除":
        say(f"    删除前：{side_text(changes, 'before', row.action)}")
    elif changes:
        say(f"    内容：{side_text(changes, 'after', row.action)}")


def _entry_json(row: AuditRow, *, mask: bool) -> dict[str, Any]:
    from app.services.system import entry_values, field_changes

    return {
        "id": row.id,
        "at": row.at.isoformat(),
        "actor": row.actor,
        "action": row.action,
        "type": row.entity,
        "type_label": row.record_type,
        "entity_id": row.entity_id,
        "summary": row.summary,
        "before": entry_values(row.before, mask=mask),
        "after": entry_values(row.after, mask=mask),
        "changes": [
            {"field": c.field, "label": c.label, "before": c.before, "after": c.after}
            for c in field_changes(row, mask=mask)
        ],
    }


@reads
def _export(session: Session, args: argparse.Namespace) -> int:
    from app.services.system import describe_filter, export_audit

    flt = _filter(args)
    written = export_audit(session, args.out, flt, mask=args.mask)
    masked = "（已隐去身份证号和银行账号的中间部分）" if args.mask else ""
    say(f"已导出 {written} 条操作日志（{describe_filter(flt)}）{masked}：{args.out}")
    return EXIT_OK
