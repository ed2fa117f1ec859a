"""`care …`: 慰问 records checked against the caps, and the caps (慰问标准)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from app.cli.common import (
    EXIT_OK,
    Parser,
    actions,
    command,
    find_member,
    parse_date,
    parse_month,
    print_json,
    reads,
    say,
    writes,
)
from app.domain.care import FUNDING, Occasion

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.care import CareInfo
    from app.services.imports import Importer

OCCASIONS = [o.value for o in Occasion]


def _importer(args: argparse.Namespace) -> Importer[Any, Any]:
    from app.services.care import CareImporter, CareImportOptions

    return CareImporter(CareImportOptions(year=args.year))


def register(sub: argparse._SubParsersAction[Parser]) -> None:
    from app.cli.imports import add_import_command

    care = actions(sub, "care", "慰问帮扶：登记慰问（按慰问标准检查）、列出记录、慰问标准")
    add = command(care, "add", "登记一次慰问（超过标准须写明原因；购物卡、代金券等不能发放）", _add)
    add.add_argument("key", nargs="?", metavar="MEMBER", help="会员的身份证号、会员证号或姓名")
    add.add_argument(
        "--to", dest="recipient", default="", help="慰问对象不是会员时的姓名（如已故会员的家属）"
    )
    add.add_argument("--occasion", required=True, choices=OCCASIONS, help="事由")
    add.add_argument("--variant", default="", help="哪个节日、哪位亲属，或住院时写“手术”")
    add.add_argument("--date", type=parse_date, help="日期，默认今天")
    add.add_argument("--cash", default="0", help="慰问金（元）")
    add.add_argument("--goods", default="", help="慰问品")
    add.add_argument("--goods-value", default="0", help="慰问品价值（元）")
    add.add_argument("--funding", default="本级经费", choices=FUNDING, help="经费来源")
    add.add_argument("--visitors", default="", help="慰问人")
    add.add_argument("--approver", default="", help="审批人")
    add.add_argument("--voucher", default="", help="凭证号")
    add.add_argument("--documents", default="", help="已存档的证明材料，用顿号分隔（如 住院发票、出院小结）")
    add.add_argument("--note", default="", help="备注")
    add.add_argument("--reason", default="", help="超过标准时的原因")
    add.add_argument("--json", action="store_true", help="以 JSON 输出")
    imported = add_import_command(
        care, "导入慰问登记表（每次慰问一行：日期、姓名、身份证号或部门、慰问事由、慰问金、慰问品及价值）",
        "慰问登记表（.xlsx / .xls / .csv）", _importer,
    )  # fmt: skip
    imported.add_argument("--year", type=int, help="日期没有写年份时用的年份（默认今年）")
    why = command(care, "reason", "为超过标准的慰问记录写明原因（导入的历史记录等）", _reason)
    why.add_argument("record_id", type=int, metavar="ID", help="慰问记录编号（见 care list）")
    why.add_argument("--reason", required=True, help="原因")
    listing = command(care, "list", "列出慰问记录", _list)
    listing.add_argument("--year", type=int, help="只列这一年的")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    policy = actions(care, "policy", "慰问标准：本省的预设和本单位的标准（按生效月份）")
    show = command(policy, "show", "显示正在使用的慰问标准", _policy_show)
    show.add_argument("--json", action="store_true", help="以 JSON 输出")
    setting = command(policy, "set", "自某月起使用本单位的慰问标准", _policy_set)
    setting.add_argument("--occasion", required=True, choices=OCCASIONS, help="事由")
    setting.add_argument("--variant", default="", help="只对某个节日或“手术”住院")
    setting.add_argument(
        "--from", dest="first", type=parse_month, required=True, metavar="YYYY-MM", help="生效月份"
    )
    setting.add_argument("--per-time", help="每次不超过（元）")
    setting.add_argument("--per-year", help="每人每年合计不超过（元）")
    setting.add_argument("--times", type=int, help="每人每年不超过几次")
    setting.add_argument("--note", default="", help="依据")


def _fen(label: str, text: str | None) -> int | None:
    from app.domain.money import MoneyError, yuan_to_fen
    from app.services.errors import UserError

    if text is None:
        return None
    try:
        return yuan_to_fen(text)
    except MoneyError as exc:
        raise UserError(f"{label}：{exc}") from None


def _care_json(r: CareInfo) -> dict[str, Any]:
    return {
        "id": r.id, "member_id": r.member_id, "recipient": r.recipient, "date": r.day, "occasion": r.occasion,
        "variant": r.variant, "cash_fen": r.cash_fen, "goods": r.goods, "goods_fen": r.goods_fen,
        "amount_fen": r.amount_fen, "funding": r.funding, "over_cap": r.over_cap, "reason": r.reason, "source": r.source,
    }  # fmt: skip


@writes
def _add(session: Session, args: argparse.Namespace) -> int:
    from datetime import date

    from app.domain.money import format_fen
    from app.services.care import CareInput, check_record, get_care, record_care

    member_id = find_member(session, args.key) if args.key else None
    data = CareInput(
        Occasion(args.occasion), args.date or date.today(), member_id, args.recipient, args.variant,
        _fen("慰问金", args.cash) or 0, args.goods, _fen("慰问品价值", args.goods_value) or 0, args.funding,
        args.visitors, args.approver, args.voucher, tuple(args.documents.split("、")), args.note, args.reason,
    )  # fmt: skip
    warnings = check_record(session, data).warnings
    stored = get_care(session, record_care(session, data))
    if args.json:
        print_json({**_care_json(stored), "warnings": warnings})
        return EXIT_OK
    for warning in warnings:
        say(f"提示：{warning}")
    say(
        f"已登记：{stored.recipient} {stored.day.isoformat()} {stored.occasion} {format_fen(stored.amount_fen)} 元（编号 {stored.id}）"
    )
    if stored.over_cap:
        say(f"超过标准：{stored.over_cap}；原因：{stored.reason}")
    return EXIT_OK


@writes
def _reason(session: Session, args: argparse.Namespace) -> int:
    from app.services.care import set_reason

    set_reason(session, args.record_id, args.reason)
    say(f"已为慰问记录 {args.record_id} 写明超过标准的原因。")
    return EXIT_OK


@reads
def _list(session: Session, args: argparse.Namespace) -> int:
    from app.domain.money import format_fen
    from app.services.care import list_care

    records = list_care(session, year=args.year)
    if args.json:
        print_json({"count": len(records), "amount_fen": sum(r.amount_fen for r in records),
                    "over_cap": sum(bool(r.over_cap) for r in records), "records": [_care_json(r) for r in records]})  # fmt: skip
        return EXIT_OK
    for r in records:
        flag = f"\t超过标准：{r.over_cap}（{r.reason}）" if r.over_cap else ""
        say(
            f"{r.id}\t{r.day.isoformat()}\t{r.recipient}\t{r.occasion}{r.variant and '（' + r.variant + '）'}\t{format_fen(r.amount_fen)}{flag}"
        )
    say(
        f"共 {len(records)} 人次，合计 {format_fen(sum(r.amount_fen for r in records))} 元；超过标准的 {sum(bool(r.over_cap) for r in records)} 人次。"
    )
    return EXIT_OK


@reads
def _policy_show(session: Session, args: argparse.Namespace) -> int:
    from app.domain.money import format_fen
    from app.services.care import list_caps

    caps = list_caps(session)
    if args.json:
        print_json({"caps": [
            {"occasion": c.cap.occasion.value, "variant": c.cap.variant, "from": str(c.cap.effective_from),
             "per_occurrence_fen": c.cap.per_occurrence_fen, "per_year_fen": c.cap.per_year_fen,
             "per_year_count": c.cap.per_year_count, "source": c.source} for c in caps]})  # fmt: skip
        return EXIT_OK
    if not caps:
        say("没有慰问标准：请在“设置”中填写本会所在省份，或用 care policy set 设定本单位的标准。")
    for c in caps:
        limits = [
            f"每次 {format_fen(c.cap.per_occurrence_fen)} 元" if c.cap.per_occurrence_fen is not None else "",
            f"每人每年 {format_fen(c.cap.per_year_fen)} 元" if c.cap.per_year_fen is not None else "",
            f"每人每年 {c.cap.per_year_count} 次" if c.cap.per_year_count is not None else "",
        ]
        what = c.cap.occasion.value + (f"（{c.cap.variant}）" if c.cap.variant else "")
        say(f"{what}\t自{c.cap.effective_from.chinese()}\t{'，'.join(x for x in limits if x)}\t{c.source}")
    return EXIT_OK


@writes
def _policy_set(session: Session, args: argparse.Namespace) -> int:
    from app.domain.care import Cap
    from app.services.care import set_cap

    cap = Cap(Occasion(args.occasion), args.first, _fen("每次", args.per_time), _fen("每人每年", args.per_year),
              args.times, args.variant)  # fmt: skip
    set_cap(session, cap, args.note)
    say(f"已设定本单位的{args.occasion}标准，自{args.first.chinese()}起使用。")
    return EXIT_OK
