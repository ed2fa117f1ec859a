"""`care …`: 慰问 records checked against the caps, and the caps (慰问标准)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.care_words import add_word_option, register_words, word_answers
from app.cli.common import (
    EXIT_OK,
    Parser,
    actions,
    add_reveal_option,
    command,
    find_group,
    find_member,
    parse_date,
    parse_fen,
    parse_month,
    parse_year,
    print_json,
    reads,
    say,
    shown_id_number,
    writes,
)
from app.domain.care import FUNDING, Occasion

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.care import CareInfo, PersonDate
    from app.services.imports import Importer

OCCASIONS = [o.value for o in Occasion]


def _importer(args: argparse.Namespace) -> Importer[Any, Any]:
    from app.services.care import CareImporter, CareImportOptions

    return CareImporter(CareImportOptions(year=args.year, answers=word_answers(args)))


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
    imported.add_argument("--year", type=parse_year, help="日期没有写年份时用的年份（默认今年）")
    add_word_option(imported)
    why = command(care, "reason", "为超过标准的慰问记录写明原因（导入的历史记录等）", _reason)
    why.add_argument("record_id", type=int, metavar="ID", help="慰问记录编号（见 care list）")
    why.add_argument("--reason", required=True, help="原因")
    listing = command(care, "list", "列出慰问记录", _list)
    add_reveal_option(listing)
    listing.add_argument("--year", type=parse_year, help="只列这一年的")
    listing.add_argument("--from", dest="first", type=parse_date, metavar="YYYY-MM-DD", help="从这一天起")
    listing.add_argument("--to", dest="last", type=parse_date, metavar="YYYY-MM-DD", help="到这一天止")
    listing.add_argument("--occasion", choices=OCCASIONS, help="只列这种事由")
    listing.add_argument("--batch", type=int, metavar="ID", help="只列这次集中发放的")
    listing.add_argument("--group", help="只列这个分组（含下级）会员的")
    listing.add_argument("--over-cap", action="store_true", help="只列超过标准的")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    edit = command(care, "edit", "更正一条慰问记录（只改写出的项目；改后重新按标准检查）", _edit)
    edit.add_argument("record_id", type=int, metavar="ID", help="慰问记录编号（见 care list）")
    edit.add_argument("--occasion", choices=OCCASIONS, help="事由")
    edit.add_argument("--variant", help="哪个节日、哪位亲属，或“手术”")
    edit.add_argument("--date", type=parse_date, help="日期")
    edit.add_argument("--cash", help="慰问金（元）")
    edit.add_argument("--goods", help="慰问品")
    edit.add_argument("--goods-value", help="慰问品价值（元）")
    edit.add_argument("--funding", choices=FUNDING, help="经费来源")
    edit.add_argument("--visitors", help="慰问人")
    edit.add_argument("--approver", help="审批人")
    edit.add_argument("--voucher", help="凭证号")
    edit.add_argument("--note", help="备注")
    edit.add_argument("--reason", help="超过标准时的原因")
    remove = command(care, "delete", "删除一条录错的慰问记录（操作日志保留原内容）", _delete)
    remove.add_argument("record_id", type=int, metavar="ID", help="慰问记录编号（见 care list）")
    _register_batch(care)
    printing = command(care, "print", "打印慰问金发放签领表（PDF）：一次集中发放，或一段时间的记录", _print)
    which = printing.add_mutually_exclusive_group(required=True)
    which.add_argument("--batch", type=int, metavar="ID", help="集中发放编号（见 care batch list）")
    which.add_argument("--from", dest="first", type=parse_date, metavar="YYYY-MM-DD", help="从这一天起")
    printing.add_argument(
        "--to", dest="last", type=parse_date, metavar="YYYY-MM-DD", help="到这一天止（默认今天）"
    )
    printing.add_argument("--occasion", choices=OCCASIONS, help="只打印这种事由")
    printing.add_argument("--group", help="只打印这个分组（含下级）会员的")
    printing.add_argument("--over-cap", action="store_true", help="只打印超过标准的")
    printing.add_argument("--out", type=Path, required=True, metavar="OUT.pdf", help="保存为（.pdf）")
    voucher = command(care, "voucher", "打印一条慰问记录的慰问金领取单（A5 横向，PDF）", _voucher)
    voucher.add_argument("record_id", type=int, metavar="ID", help="慰问记录编号（见 care list）")
    voucher.add_argument("--out", type=Path, required=True, metavar="OUT.pdf", help="保存为（.pdf）")
    reminders = command(
        care,
        "reminders",
        "提醒：本月过生日、三个月内到退休年龄、困难职工档案待复核、超标准未写原因",
        _reminders,
    )
    reminders.add_argument("--date", type=parse_date, help="按哪一天提醒，默认今天")
    reminders.add_argument("--json", action="store_true", help="以 JSON 输出")
    register_words(care)
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


def _care_json(r: CareInfo, args: argparse.Namespace) -> dict[str, Any]:
    return {
        "id": r.id, "member_id": r.member_id, "id_number": shown_id_number(args, r.id_number), "name": r.recipient,
        "group": r.group,
        "date": r.day, "occasion": r.occasion, "variant": r.variant, "cash_fen": r.cash_fen, "goods": r.goods,
        "goods_fen": r.goods_fen, "amount_fen": r.amount_fen, "funding": r.funding, "over_cap": r.over_cap,
        "reason": r.reason, "source": r.source, "batch_id": r.batch_id,
    }  # fmt: skip


@writes
def _add(session: Session, args: argparse.Namespace) -> int:
    from datetime import date

    from app.domain.money import format_fen
    from app.services.care import CareInput, check_record, get_care, record_care

    member_id = find_member(session, args.key) if args.key else None
    data = CareInput(
        Occasion(args.occasion), args.date or date.today(), member_id, args.recipient, args.variant,
        parse_fen("慰问金", args.cash) or 0, args.goods, parse_fen("慰问品价值", args.goods_value) or 0, args.funding,
        args.visitors, args.approver, args.voucher, tuple(args.documents.split("、")), args.note, args.reason,
    )  # fmt: skip
    warnings = check_record(session, data).warnings
    stored = get_care(session, record_care(session, data))
    if args.json:
        print_json({**_care_json(stored, args), "warnings": warnings})
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

    occasion = Occasion(args.occasion) if args.occasion else None
    records = list_care(
        session, year=args.year, first=args.first, last=args.last, occasion=occasion, batch_id=args.batch,
        group_id=find_group(session, args.group) if args.group is not None else None, over_cap_only=args.over_cap,
    )  # fmt: skip
    if args.json:
        print_json({"count": len(records), "amount_fen": sum(r.amount_fen for r in records),
                    "over_cap": sum(bool(r.over_cap) for r in records), "records": [_care_json(r, args) for r in records]})  # fmt: skip
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
        say(f"{c.cap.what}\t自{c.cap.effective_from.chinese()}\t{c.cap.limits_text()}\t{c.source}")
    return EXIT_OK


@writes
def _policy_set(session: Session, args: argparse.Namespace) -> int:
    from app.domain.care import Cap
    from app.services.care import set_cap

    cap = Cap(Occasion(args.occasion), args.first, parse_fen("每次", args.per_time), parse_fen("每人每年", args.per_year),
              args.times, args.variant)  # fmt: skip
    set_cap(session, cap, args.note)
    say(f"已设定本单位的{args.occasion}标准，自{args.first.chinese()}起使用。")
    return EXIT_OK


@writes
def _edit(session: Session, args: argparse.Namespace) -> int:
    import dataclasses

    from app.domain.money import format_fen
    from app.services.care import care_input, get_care, update_care

    old = care_input(session, args.record_id)
    changes: dict[str, Any] = {
        key: value
        for key, value in {
            "occasion": Occasion(args.occasion) if args.occasion else None, "variant": args.variant,
            "day": args.date, "cash_fen": parse_fen("慰问金", args.cash), "goods": args.goods,
            "goods_fen": parse_fen("慰问品价值", args.goods_value), "funding": args.funding, "visitors": args.visitors,
            "approver": args.approver, "voucher_no": args.voucher, "note": args.note, "reason": args.reason,
        }.items()
        if value is not None
    }  # fmt: skip
    if not changes:
        say("没有要更正的项目：请写出要改的内容，例如 --cash 500")
        return EXIT_OK
    update_care(session, args.record_id, dataclasses.replace(old, **changes))
    stored = get_care(session, args.record_id)
    say(
        f"已更正慰问记录 {stored.id}：{stored.recipient} {stored.day.isoformat()} {stored.what} {format_fen(stored.amount_fen)} 元"
    )
    if stored.over_cap:
        say(f"超过标准：{stored.over_cap}；原因：{stored.reason}")
    return EXIT_OK


@writes
def _delete(session: Session, args: argparse.Namespace) -> int:
    from app.domain.money import format_fen
    from app.services.care import delete_care

    gone = delete_care(session, args.record_id)
    say(
        f"已删除慰问记录 {gone.id}：{gone.recipient} {gone.day.isoformat()} {gone.what} {format_fen(gone.amount_fen)} 元"
    )
    return EXIT_OK


def _register_batch(care: Any) -> None:
    batch = actions(care, "batch", "集中发放（春节送温暖、中秋慰问品、金秋助学……）：预览、发放、列出、撤销")
    add = command(
        batch, "add", "一次发给多人：按条件或名单选人，每人同样的金额或物品；先用 --preview 看看", _batch_add
    )
    add.add_argument("--name", required=True, help="名称，如“2026年春节送温暖”")
    add.add_argument("--occasion", required=True, choices=OCCASIONS, help="事由")
    add.add_argument("--variant", default="", help="哪个节日（如 春节）")
    add.add_argument("--date", type=parse_date, help="发放日期，默认今天")
    add.add_argument("--cash", default="0", help="每人慰问金（元）")
    add.add_argument("--goods", default="", help="慰问品")
    add.add_argument("--goods-value", default="0", help="每人慰问品价值（元）")
    add.add_argument("--funding", default="本级经费", choices=FUNDING, help="经费来源")
    add.add_argument("--pay-by", default="现金", choices=["现金", "银行转账"], help="发放方式")
    who = add.add_mutually_exclusive_group(required=True)
    who.add_argument("--everyone", action="store_true", help="全体在册会员")
    who.add_argument("--hardship", action="store_true", help="困难职工")
    who.add_argument("--model-workers", action="store_true", help="劳模")
    who.add_argument("--group", help="这个分组（含下级）")
    who.add_argument("--members", help="名单：身份证号、会员证号或姓名，用逗号分隔")
    add.add_argument("--leave-out", default="", help="从名单中去掉的人，用逗号分隔")
    add.add_argument("--reason", default="", help="有人超过标准时的原因")
    add.add_argument("--approver", default="", help="审批人")
    add.add_argument("--visitors", default="", help="慰问人")
    add.add_argument("--note", default="", help="备注")
    add.add_argument("--preview", action="store_true", help="只预览：列出发给谁、谁超过标准，不写入")
    add.add_argument("--json", action="store_true", help="以 JSON 输出")
    listing = command(batch, "list", "列出集中发放", _batch_list)
    listing.add_argument("--year", type=parse_year, help="只列这一年的")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    undo = command(batch, "undo", "撤销一次集中发放（删除它写入的全部慰问记录）", _batch_undo)
    undo.add_argument("batch_id", type=int, metavar="ID", help="集中发放编号（见 care batch list）")


def _keys(session: Session, text: str) -> tuple[int, ...]:
    return tuple(
        find_member(session, key.strip()) for key in text.replace("，", ",").split(",") if key.strip()
    )


def _batch_input(session: Session, args: argparse.Namespace) -> Any:
    from datetime import date

    from app.services.care import BatchInput, Chooser

    chooser = (
        Chooser.EVERYONE if args.everyone else Chooser.HARDSHIP if args.hardship
        else Chooser.MODEL_WORKERS if args.model_workers else Chooser.GROUP if args.group is not None
        else Chooser.LIST  # --members, even empty: a list of nobody, never everyone
    )  # fmt: skip
    return BatchInput(
        name=args.name, occasion=Occasion(args.occasion), day=args.date or date.today(), variant=args.variant,
        cash_fen=parse_fen("每人慰问金", args.cash) or 0, goods=args.goods, goods_fen=parse_fen("每人慰问品价值", args.goods_value) or 0,
        funding=args.funding, pay_by=args.pay_by, chooser=chooser,
        group_id=find_group(session, args.group) if args.group is not None else None,
        member_ids=_keys(session, args.members or ""), approver=args.approver, visitors=args.visitors,
        note=args.note, reason=args.reason, leave_out=frozenset(_keys(session, args.leave_out)),
    )  # fmt: skip


@writes
def _batch_add(session: Session, args: argparse.Namespace) -> int:
    from app.domain.money import format_fen
    from app.services.care import create_batch, get_batch, preview_batch

    data = _batch_input(session, args)
    preview = preview_batch(session, data)
    if args.preview:
        if args.json:
            print_json({"people": len(preview.lines), "per_person_fen": preview.per_person_fen,
                        "total_fen": preview.total_fen, "over_cap": preview.over_count, "chosen_by": preview.chosen_by,
                        "lines": [{"member_id": x.member_id, "name": x.name, "group": x.group, "over_cap": x.over,
                                   "warning": x.warning} for x in preview.lines]})  # fmt: skip
            return EXIT_OK
        for line in preview.lines:
            notes = "；".join(x for x in (line.over and f"超过标准：{line.over}", line.warning) if x)
            say(f"{line.member_id}\t{line.name}\t{line.group}\t{format_fen(preview.per_person_fen)}\t{notes}")
        say(f"预览：{preview.chosen_by}，共 {len(preview.lines)} 人，合计 {format_fen(preview.total_fen)} 元；"
            f"超过标准的 {preview.over_count} 人，欠缴会费的 {preview.warning_count} 人。没有写入任何记录。")  # fmt: skip
        return EXIT_OK
    batch = get_batch(session, create_batch(session, data))
    if args.json:
        print_json({"id": batch.id, "name": batch.name, "people": batch.people, "total_fen": batch.total_fen,
                    "over_cap": batch.over_count})  # fmt: skip
        return EXIT_OK
    say(f"已发放“{batch.name}”（编号 {batch.id}）：{batch.people} 人，合计 {format_fen(batch.total_fen)} 元；"
        f"超过标准的 {batch.over_count} 人。打印签领表：uniondesk care print --batch {batch.id} --out 签领表.pdf")  # fmt: skip
    return EXIT_OK


@reads
def _batch_list(session: Session, args: argparse.Namespace) -> int:
    from app.domain.money import format_fen
    from app.services.care import list_batches

    batches = list_batches(session, year=args.year)
    if args.json:
        print_json({"batches": [
            {"id": b.id, "name": b.name, "date": b.day, "occasion": b.occasion, "variant": b.variant,
             "per_person_fen": b.cash_fen + b.goods_fen, "people": b.people, "total_fen": b.total_fen,
             "over_cap": b.over_count, "pay_by": b.pay_by, "chosen_by": b.chosen_by} for b in batches]})  # fmt: skip
        return EXIT_OK
    if not batches:
        say("还没有集中发放。")
    for b in batches:
        say(
            f"{b.id}\t{b.day.isoformat()}\t{b.name}\t{b.chosen_by}\t{b.people} 人\t{format_fen(b.total_fen)} 元"
        )
    return EXIT_OK


@writes
def _batch_undo(session: Session, args: argparse.Namespace) -> int:
    from app.services.care import get_batch, undo_batch

    name = get_batch(session, args.batch_id).name
    removed = undo_batch(session, args.batch_id)
    say(f"已撤销集中发放“{name}”，删除了 {removed} 条慰问记录。")
    return EXIT_OK


@reads
def _print(session: Session, args: argparse.Namespace) -> int:
    from datetime import date

    from app.services.care import print_batch, print_records

    if args.batch is not None:
        if args.last or args.occasion or args.group or args.over_cap:
            say("提示：打印一次集中发放时，--to、--occasion、--group 和 --over-cap 不起作用。")
        people = print_batch(session, args.batch, args.out)
    else:
        occasion = Occasion(args.occasion) if args.occasion else None
        people = print_records(
            session, args.out, first=args.first, last=args.last or date.today(), occasion=occasion,
            group_id=find_group(session, args.group) if args.group is not None else None, over_cap_only=args.over_cap,
        )  # fmt: skip
    say(f"签领表已保存：{args.out}（{people} 人）")
    return EXIT_OK


@reads
def _voucher(session: Session, args: argparse.Namespace) -> int:
    from app.services.care import print_voucher

    print_voucher(session, args.record_id, args.out)
    say(f"领取单已保存：{args.out}")
    return EXIT_OK


@reads
def _reminders(session: Session, args: argparse.Namespace) -> int:
    from datetime import date

    from app.services.care import care_reminders

    found = care_reminders(session, args.date or date.today())
    if args.json:

        def people(rows: list[PersonDate]) -> list[dict[str, Any]]:
            return [{"member_id": p.member_id, "name": p.name, "date": p.day} for p in rows]

        print_json({
            "birthdays": people(found.birthdays), "retiring": people(found.retiring),
            "reviews_due": [{"id": r.id, "member_id": r.member_id, "name": r.name, "review_due": r.review_due}
                            for r in found.reviews],
            "awaiting_reason": [_care_json(r, args) for r in found.awaiting_reason],
        })  # fmt: skip
        return EXIT_OK
    say(
        f"本月过生日：{len(found.birthdays)} 人"
        + (
            f"（{'、'.join(p.name for p in found.birthdays[:20])}{'等' if len(found.birthdays) > 20 else ''}）"
            if found.birthdays
            else ""
        )
    )
    for p in found.retiring:
        say(f"将到退休年龄：{p.name}，{p.day.year}年{p.day.month}月")
    for r in found.reviews:
        say(
            f"困难职工档案待复核：{r.name}（档案 {r.id}），应于 {r.review_due.isoformat() if r.review_due else ''} 复核"
        )
    for c in found.awaiting_reason:
        say(
            f"超标准未写原因：{c.recipient} {c.day.isoformat()} {c.what}（编号 {c.id}；care reason {c.id} --reason …）"
        )
    if not found.count:
        say("没有需要提醒的事项。")
    return EXIT_OK
