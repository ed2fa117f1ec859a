"""`dues …`: the roll, payments, batches, imports, summaries, arrears and receipts."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import (
    EXIT_OK,
    Parser,
    actions,
    add_reveal_option,
    command,
    find_group,
    find_member,
    output_suffix,
    parse_date,
    parse_month,
    parse_year,
    plausible_year,
    print_json,
    reads,
    say,
    shown_id_number,
    writes,
    writes_in_bulk,
)
from app.domain.yearmonth import YearMonth

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.db import Database
    from app.services.dues import ArrearsRow, DuesSummary, PaymentInfo, RollResult
    from app.services.imports import Importer

_RANGE = re.compile(r"\s*(?:\.\.|~|～|—|–|至|到)\s*")


def parse_months(text: str) -> tuple[YearMonth, YearMonth]:
    """2026-01..2026-11, or one month."""
    parts = _RANGE.split(text.strip(), maxsplit=1)
    try:
        first = YearMonth.parse(parts[0])
        last = YearMonth.parse(parts[1]) if len(parts) > 1 else first
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"“{text}”不是月份或月份范围，请写成 2026-03 或 2026-01..2026-06"
        ) from None
    for month in (first, last):
        plausible_year(month.year, str(month))
    return first, last


def yuan(fen: int) -> str:
    from app.domain.money import format_fen

    return format_fen(fen)


def register(sub: argparse._SubParsersAction[Parser]) -> None:
    from app.cli.imports import add_import_command

    dues = actions(sub, "dues", "会费：生成应缴、登记缴费、批量代扣、导入、统计、欠缴、收据")
    rolling = command(dues, "roll", "生成（或重新计算）各月的应缴会费", _roll)
    rolling.add_argument("months", type=parse_months, metavar="YYYY-MM[..YYYY-MM]", help="月份或月份范围")
    rolling.add_argument("--json", action="store_true", help="以 JSON 输出")
    listing = command(dues, "rolls", "列出历次生成的应缴", _rolls)
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    undo = command(dues, "undo-roll", "撤销一次生成的应缴（其中还没有收到任何会费时）", _undo_roll)
    undo.add_argument("roll_id", type=int, metavar="ROLL", help="生成记录的编号（见 dues rolls）")

    pay = command(dues, "pay", "登记一名会员的缴费", _pay)
    pay.add_argument("key", metavar="MEMBER", help="身份证号、会员证号或姓名")
    pay.add_argument("--amount", required=True, help="金额（元），如 92.40")
    pay.add_argument("--date", type=parse_date, help="缴费日期，默认今天")
    pay.add_argument(
        "--method", default="现金", choices=["工资代扣", "现金", "转账", "微信支付宝"], help="缴费方式"
    )
    pay.add_argument(
        "--months",
        type=parse_months,
        metavar="YYYY-MM[..YYYY-MM]",
        help="所缴月份；不写时先冲抵最早未缴的月份",
    )
    pay.add_argument("--receipt", default="", help="收据号；现金、转账、微信支付宝不写时自动编号")
    pay.add_argument("--collector", default="", help="收款人")
    pay.add_argument("--note", default="", help="备注")
    pay.add_argument("--json", action="store_true", help="以 JSON 输出")

    unpay = command(dues, "unpay", "删除一笔误录的缴费（所冲抵的月份恢复为未缴）", _unpay)
    unpay.add_argument("payment_id", type=int, metavar="PAYMENT", help="缴费记录编号（见 dues payments）")
    payments = command(dues, "payments", "列出缴费记录", _payments)
    payments.add_argument("key", nargs="?", metavar="MEMBER", help="只列这名会员的")
    payments.add_argument("--from", dest="first", type=parse_date, help="起始日期")
    payments.add_argument("--to", dest="last", type=parse_date, help="截止日期")
    payments.add_argument("--json", action="store_true", help="以 JSON 输出")

    batch = command(dues, "batch", "批量工资代扣：把一个分组（或全体）某几个月的未缴会费记为已缴", _batch)
    batch.add_argument("months", type=parse_months, metavar="YYYY-MM[..YYYY-MM]", help="月份或月份范围")
    batch.add_argument("--group", help="分组（含下级）；不写为全体会员")
    batch.add_argument("--date", type=parse_date, help="代扣日期，默认今天")
    batch.add_argument("--collector", default="", help="经办人")
    batch.add_argument("--dry-run", action="store_true", help="只列出将收缴的人和金额，不写入")
    batch.add_argument("--json", action="store_true", help="以 JSON 输出")

    importing = add_import_command(
        dues,
        "导入已收的会费：代扣明细（每人每月一行）或会费台账（每人一行，1月…12月）",
        "会费表",
        _dues_importer,
    )
    importing.add_argument(
        "--month", type=parse_month, metavar="YYYY-MM", help="表中没有月份列时，全部记为这个月"
    )
    importing.add_argument(
        "--year", type=parse_year, metavar="YYYY", help="台账标题中没有年份时的年份，默认今年"
    )
    bases = actions(dues, "bases", "会费基数（工资）")
    wages = add_import_command(bases, "从工资表导入会费基数", "工资表文件", _wage_importer)
    wages.add_argument(
        "--month", type=parse_month, metavar="YYYY-MM", help="表中没有月份列时，工资自哪个月起适用，默认本月"
    )

    summary = command(dues, "summary", "应缴、实缴、收缴率、欠缴：某月、某季度或某年", _summary)
    summary.add_argument("period", metavar="YYYY[-MM|Qn]", help="如 2026、2026-03、2026Q1")
    summary.add_argument("--group", help="只统计这个分组（含下级）")
    summary.add_argument("--json", action="store_true", help="以 JSON 输出")

    arrears = command(dues, "arrears", "欠缴名单：未缴的月份、金额、连续欠缴月数", _arrears)
    arrears.add_argument("--through", type=parse_month, metavar="YYYY-MM", help="只算到这个月（含）")
    arrears.add_argument("--group", help="只列这个分组（含下级）")
    arrears.add_argument("--out", type=Path, metavar="OUT.xlsx", help="导出为 Excel")
    arrears.add_argument("--mask", action="store_true", help="导出的 Excel 中隐去身份证号的中间部分")
    arrears.add_argument(
        "--print", dest="print_to", type=Path, metavar="OUT.pdf", help="打印按分组的催缴单（PDF）"
    )
    arrears.add_argument("--json", action="store_true", help="以 JSON 输出")
    add_reveal_option(arrears)

    receipt = command(dues, "receipt", "打印一笔缴费的会费收据（PDF）", _receipt)
    receipt.add_argument("payment_id", type=int, metavar="PAYMENT", help="缴费记录编号（见 dues payments）")
    receipt.add_argument("--out", type=Path, required=True, metavar="OUT.pdf", help="输出文件")

    rule = actions(dues, "rule", "会费标准：费率、尾数、学徒会费、应缴月份规则（按生效月份记录）")
    show = command(rule, "show", "显示各时期的会费标准", _rule_show)
    show.add_argument("--json", action="store_true", help="以 JSON 输出")
    setting = command(rule, "set", "自某月起使用新的会费标准", _rule_set)
    setting.add_argument(
        "--from", dest="first", type=parse_month, required=True, metavar="YYYY-MM", help="生效月份"
    )
    setting.add_argument("--rate", default="0.5", help="费率（%%），默认 0.5")
    setting.add_argument("--tail", default="10", help="基数尾数单位（元）：不足此数的尾数不计，默认 10")
    setting.add_argument("--apprentice", default="0.05", help="学徒每月会费（元），默认 0.05")
    setting.add_argument(
        "--month-rule",
        default="月初在会",
        choices=["月初在会", "当月在会"],
        help="哪些月份应缴（默认：月初在会）",
    )
    setting.add_argument("--note", default="", help="依据（文件名、文号）")
    setting.add_argument(
        "--reroll", action="store_true", help="按新标准重新计算生效月份以后已生成、还没有缴费的应缴"
    )

    exempt = command(dues, "exempt", "设定会员在某些月份免缴会费（须写明原因）", _exempt)
    exempt.add_argument("key", metavar="MEMBER", help="身份证号、会员证号或姓名")
    exempt.add_argument(
        "--from", dest="first", type=parse_month, required=True, metavar="YYYY-MM", help="起始月份"
    )
    exempt.add_argument(
        "--to", dest="last", type=parse_month, metavar="YYYY-MM", help="截止月份；不写为一直免缴"
    )
    exempt.add_argument("--reason", required=True, help="原因")
    unexempt = command(dues, "unexempt", "取消一条免缴记录", _unexempt)
    unexempt.add_argument("exemption_id", type=int, metavar="ID", help="免缴记录编号（见 dues exemptions）")
    exemptions = command(dues, "exemptions", "列出免缴记录", _exemptions)
    exemptions.add_argument(
        "key", nargs="?", metavar="MEMBER", help="只列这名会员的（身份证号、会员证号或姓名）"
    )
    exemptions.add_argument("--json", action="store_true", help="以 JSON 输出")


def _dues_importer(args: argparse.Namespace) -> Importer[Any, Any]:
    from app.services.dues.importer import DuesImporter, DuesImportOptions

    return DuesImporter(DuesImportOptions(month=args.month, year=args.year))


def _wage_importer(args: argparse.Namespace) -> Importer[Any, Any]:
    from app.services.dues.bases import WageImporter, WageImportOptions

    return WageImporter(WageImportOptions(month=args.month))


# -- the roll ----------------------------------------------------------------------------------------


@writes_in_bulk
def _roll(session: Session, args: argparse.Namespace) -> int:
    from app.services.dues import roll

    first, last = args.months
    result = roll(session, first, last)
    missing = {name: [str(m) for m in months] for name, months in result.missing_wage.items()}
    if args.json:
        print_json({
            "roll_id": result.roll_id, "first": str(first), "last": str(last), "created": result.created,
            "recalculated": result.recalculated, "removed": result.removed, "due_fen": result.due_fen,
            "missing_wage": missing, "kept_paid": result.kept_paid,
        })  # fmt: skip
        return EXIT_OK
    span = f"{first.chinese()}—{last.chinese()}" if first != last else first.chinese()
    if not result.changed and missing:  # nothing to generate is not everything generated
        say(f"{span}没有生成新的应缴。")
    elif not result.changed:
        say(f"{span}的应缴会费都已生成，没有变化。")
    else:
        say(f"{span}：新生成应缴 {result.created} 笔，合计 {yuan(result.due_fen)} 元；"
            f"重新计算 {result.recalculated} 笔，撤销 {result.removed} 笔（都是还没有缴费的月份）。")  # fmt: skip
    if missing:
        names = "、".join(list(missing)[:20]) + ("等" if len(missing) > 20 else "")
        say(f"注意：{len(missing)} 名会员没有会费基数（工资），这些月份没有生成应缴：{names}。"
            "请在名册中填写工资或导入工资表后再生成一次。")  # fmt: skip
    if result.kept_paid:
        say(f"另有 {result.kept_paid} 笔已缴的应缴按现在的会籍已不应缴，已保留，请用 check 查看。")
    return EXIT_OK


@reads
def _rolls(session: Session, args: argparse.Namespace) -> int:
    from app.services.dues import list_rolls

    rolls = list_rolls(session)
    if args.json:
        print_json({"count": len(rolls), "rolls": [
            {"id": r.id, "first": str(r.first), "last": str(r.last), "created_at": r.created_at, "actor": r.actor,
             "charges": r.charges, "due_fen": r.due_fen, "paid_fen": r.paid_fen, "can_undo": r.can_undo}
            for r in rolls
        ]})  # fmt: skip
        return EXIT_OK
    if not rolls:
        say("还没有生成过应缴会费。用 dues roll 2026-01..2026-11 生成。")
    for r in rolls:
        say(f"{r.id}\t{r.first}–{r.last}\t{r.created_at}\t{r.charges} 笔\t应缴 {yuan(r.due_fen)} 元\t"
            f"已冲抵 {yuan(r.paid_fen)} 元\t{'可撤销' if r.can_undo else '已有缴费，不能撤销'}")  # fmt: skip
    if rolls:
        say("已冲抵：缴费中抵了这些应缴的部分；多缴的留在会员余额上，计入实缴（dues summary），不计入这里")
    return EXIT_OK


@writes
def _undo_roll(session: Session, args: argparse.Namespace) -> int:
    from app.services.dues import undo_roll

    count = undo_roll(session, args.roll_id)
    say(f"已撤销生成记录 {args.roll_id}，删除应缴 {count} 笔。")
    return EXIT_OK


# -- payments ----------------------------------------------------------------------------------------


def _payment_json(p: PaymentInfo) -> dict[str, Any]:
    return {
        "id": p.id, "member_id": p.member_id, "member": p.member_name, "paid_on": p.paid_on,
        "amount_fen": p.amount_fen, "method": p.method, "receipt_no": p.receipt_no, "collector": p.collector,
        "note": p.note, "source": p.source, "named_months": [str(m) for m in p.named_months],
        "covered": [{"month": str(m), "amount_fen": fen} for m, fen in p.covered], "credit_fen": p.credit_fen,
    }  # fmt: skip


def _describe_payment(p: PaymentInfo) -> str:
    from app.domain.dues import describe_months

    covered = describe_months(m for m, _ in p.covered)
    credit = f"，余 {yuan(p.credit_fen)} 元留作预缴" if p.credit_fen else ""
    receipt = f"，收据号 {p.receipt_no}" if p.receipt_no else ""
    return (
        f"{p.member_name} {p.paid_on.isoformat()} {p.method} {yuan(p.amount_fen)} 元{receipt}："
        f"{'冲抵 ' + covered if covered else '没有冲抵任何月份'}{credit}"
    )


@writes
def _pay(session: Session, args: argparse.Namespace) -> int:
    from datetime import date

    from app.domain.dues import month_span
    from app.domain.money import MoneyError, yuan_to_fen
    from app.services.dues import PaymentInput, get_payment, payment_notes, record_payment
    from app.services.errors import UserError

    member_id = find_member(session, args.key)
    try:
        amount = yuan_to_fen(args.amount)
    except MoneyError as exc:
        raise UserError(f"金额：{exc}") from None
    if args.months and args.months[1] < args.months[0]:  # an empty span would name no month at all
        raise UserError(f"结束月份 {args.months[1]} 早于开始月份 {args.months[0]}")
    months = tuple(month_span(*args.months)) if args.months else ()
    payment_id = record_payment(
        session,
        PaymentInput(
            member_id,
            amount,
            args.date or date.today(),
            args.method,
            args.receipt,
            args.collector,
            args.note,
            months,
        ),
    )
    info = get_payment(session, payment_id)
    notes = payment_notes(session, info)
    if args.json:
        print_json({**_payment_json(info), "notes": notes})
    else:
        say(f"已登记缴费（编号 {payment_id}）：{_describe_payment(info)}")
        for note in notes:
            say(f"提示：{note}")
    return EXIT_OK


@writes
def _unpay(session: Session, args: argparse.Namespace) -> int:
    from app.services.dues import delete_payment

    say(f"已删除缴费记录：{delete_payment(session, args.payment_id)}")
    return EXIT_OK


@reads
def _payments(session: Session, args: argparse.Namespace) -> int:
    from app.services.dues import list_payments

    member_id = find_member(session, args.key) if args.key else None
    found = list_payments(session, member_id=member_id, first=args.first, last=args.last)
    if args.json:
        print_json({"count": len(found), "total_fen": sum(p.amount_fen for p in found),
                    "payments": [_payment_json(p) for p in found]})  # fmt: skip
        return EXIT_OK
    for p in found:
        say(f"{p.id}\t{_describe_payment(p)}")
    say(f"共 {len(found)} 笔，合计 {yuan(sum(p.amount_fen for p in found))} 元")
    return EXIT_OK


def _batch(db: Database, args: argparse.Namespace) -> int:
    from datetime import date

    from app.services.dues import apply_batch, plan_batch

    first, last = args.months
    with db.reader() if args.dry_run else db.session() as session:
        group_id = find_group(session, args.group) if args.group is not None else None
        plan = plan_batch(session, first, last, group_id)
        written = 0
        if not args.dry_run and plan.lines:
            written = apply_batch(session, plan, paid_on=args.date or date.today(), collector=args.collector)
    if args.json:
        print_json({"first": str(first), "last": str(last), "members": len(plan.lines), "total_fen": plan.total_fen,
                    "written": written, "lines": [
                        {"member_id": line.member_id, "member": line.name, "group": line.group,
                         "months": [str(m) for m in line.months], "amount_fen": line.amount_fen}
                        for line in plan.lines]})  # fmt: skip
        return EXIT_OK
    from app.domain.dues import describe_months

    for line in plan.lines:
        say(f"{line.group}\t{line.name}\t{describe_months(line.months)}\t{yuan(line.amount_fen)} 元")
    verb = "将" if args.dry_run else "已"
    if not plan.lines:
        say("所选月份没有未缴的应缴会费。")
    else:
        say(f"{verb}按工资代扣收缴 {len(plan.lines)} 人，合计 {yuan(plan.total_fen)} 元。")
    return EXIT_OK


# -- figures -----------------------------------------------------------------------------------------


def _group_scope(session: Session, path: str | None) -> list[int] | None:
    if not path:
        return None
    from app.services.roster import descendants, list_groups

    return sorted(descendants(list_groups(session), find_group(session, path)))


def _summary_json(summary: DuesSummary) -> dict[str, Any]:
    def figures(totals: Any) -> dict[str, Any]:
        return {"due_fen": totals.due_fen, "paid_fen": totals.paid_fen, "covered_fen": totals.covered_fen,
                "arrears_fen": totals.arrears_fen, "rate": totals.rate}  # fmt: skip

    return {
        "period": summary.period.label, "first": str(summary.period.first), "last": str(summary.period.last),
        **figures(summary.totals), "members_charged": summary.members_charged,
        "members_in_arrears": summary.members_in_arrears,
        "months": [{"month": str(m.month), **figures(m.totals)} for m in summary.months],
    }  # fmt: skip


@reads
def _summary(session: Session, args: argparse.Namespace) -> int:
    from app.domain.dues import Period
    from app.services.dues import summarize
    from app.services.errors import UserError

    try:
        period = Period.parse(args.period)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    summary = summarize(session, period, group_ids=_group_scope(session, args.group), people=True)
    if args.json:
        print_json(_summary_json(summary))
        return EXIT_OK
    say("月份\t应缴\t实缴\t收缴率\t欠缴")
    for m in summary.months:
        say(f"{m.month}\t{yuan(m.totals.due_fen)}\t{yuan(m.totals.paid_fen)}\t{_rate(m.totals.rate)}\t"
            f"{yuan(m.totals.arrears_fen)}")  # fmt: skip
    t = summary.totals
    say(f"{summary.period.label}合计：应缴 {yuan(t.due_fen)} 元，实缴 {yuan(t.paid_fen)} 元，收缴率 {_rate(t.rate)}，"
        f"欠缴 {yuan(t.arrears_fen)} 元（{summary.members_in_arrears} 人）")  # fmt: skip
    say("实缴按收到钱的日期计入月份；欠缴是这些月份的应缴中还没有缴上的部分。")
    return EXIT_OK


def _rate(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.2f}%"


def _arrears_json(row: ArrearsRow, args: argparse.Namespace) -> dict[str, Any]:
    return {
        "id": row.member_id, "id_number": shown_id_number(args, row.id_number), "name": row.name, "group": row.group,
        "months_unpaid": row.months_unpaid, "consecutive_months": row.consecutive_months, "owed_fen": row.owed_fen,
        "months": [str(m) for m, _ in row.months], "long": row.long,
        "months_partly_paid": row.months_partly_paid, "short_only": row.short_only,
    }  # fmt: skip


@reads
def _arrears(session: Session, args: argparse.Namespace) -> int:
    from app.domain.dues import LONG_ARREARS_MONTHS, SHORT_TEXT, describe_months
    from app.services.dues import list_arrears
    from app.services.dues.arrears_export import export_arrears, print_reminders

    # both files named rightly before either is written: a wrong --print leaves no list behind
    for path, what, suffix in ((args.out, "欠缴名单", ".xlsx"), (args.print_to, "催缴单", ".pdf")):
        if path is not None:
            output_suffix(path, what, (suffix,))
    groups = _group_scope(session, args.group)
    rows = list_arrears(session, through=args.through, group_ids=groups)
    if args.out is not None:
        export_arrears(session, args.out, through=args.through, group_ids=groups, mask=args.mask)
    if args.print_to is not None:
        print_reminders(session, args.print_to, through=args.through, group_ids=groups)
    if args.json:
        print_json({"count": len(rows), "owed_fen": sum(r.owed_fen for r in rows),
                    "long_count": sum(r.long for r in rows), "members": [_arrears_json(r, args) for r in rows]})  # fmt: skip
        return EXIT_OK
    say("姓名\t部门\t欠缴月数\t连续月数\t欠缴金额\t欠缴月份")
    for r in rows:
        flag = f"\t连续{LONG_ARREARS_MONTHS}个月以上，请工会研究处理" if r.long else ""
        flag = f"\t{SHORT_TEXT}" if r.short_only else flag
        say(f"{r.name}\t{r.group}\t{r.months_unpaid}\t{r.consecutive_months}\t{yuan(r.owed_fen)}\t"
            f"{describe_months(m for m, _ in r.months)}{flag}")  # fmt: skip
    say(f"共 {len(rows)} 人欠缴，合计 {yuan(sum(r.owed_fen for r in rows))} 元；"
        f"连续欠缴 {LONG_ARREARS_MONTHS} 个月以上的 {sum(r.long for r in rows)} 人。")  # fmt: skip
    for path, what in ((args.out, "欠缴名单"), (args.print_to, "催缴单")):
        if path is not None:
            say(f"{what}已保存：{path}")
    return EXIT_OK


@reads
def _receipt(session: Session, args: argparse.Namespace) -> int:
    from app.services.dues.receipt import print_receipt

    print_receipt(session, args.payment_id, args.out)
    say(f"收据已保存：{args.out}")
    return EXIT_OK


# -- the rule ----------------------------------------------------------------------------------------


@reads
def _rule_show(session: Session, args: argparse.Namespace) -> int:
    from app.services.dues import list_rules

    rules = list_rules(session)
    if args.json:
        print_json({"rules": [
            {"from": str(r.effective_from), "rate_bp": r.rate_bp, "tail_fen": r.tail_fen,
             "apprentice_fen": r.apprentice_fen, "month_rule": r.month_rule.value} for r in rules]})  # fmt: skip
        return EXIT_OK
    for r in rules:
        say(r.describe())
    return EXIT_OK


@writes
def _rule_set(session: Session, args: argparse.Namespace) -> int:
    from app.domain.dues import DuesRule, MonthRule, parse_rate_bp
    from app.domain.money import MoneyError, yuan_to_fen
    from app.services.dues import reroll, set_rule
    from app.services.errors import UserError

    rate_bp = parse_rate_bp(args.rate)
    if rate_bp is None:
        raise UserError("费率应是百分数，最多两位小数（如 0.5 或 0.25）")
    try:
        tail, apprentice = yuan_to_fen(args.tail), yuan_to_fen(args.apprentice)
    except MoneyError:
        raise UserError("尾数单位和学徒会费都应是金额（元）") from None
    rule = DuesRule(args.first, rate_bp, tail, apprentice, MonthRule(args.month_rule))
    set_rule(session, rule, args.note)
    say(f"已设定：{rule.describe()}")
    if not args.reroll:
        say("已生成的应缴没有改变；加 --reroll 可按新标准重新计算这些月份中还没有缴费的应缴。")
        return EXIT_OK
    result = reroll(session, args.first)
    if result is None:
        say(f"{args.first.chinese()}以后还没有生成过应缴，以后生成时按新标准计算。")
    else:
        say(f"已按新标准重新计算 {result.first}–{result.last} 未缴的应缴：改 {result.recalculated} 笔，"
            f"新增 {result.created} 笔，撤销 {result.removed} 笔；已缴的不变。")  # fmt: skip
    return EXIT_OK


@writes
def _exempt(session: Session, args: argparse.Namespace) -> int:
    from app.domain.dues import Exemption
    from app.services.dues import add_exemption

    member_id = find_member(session, args.key)
    exemption = Exemption(args.first, args.last, args.reason)
    change = add_exemption(session, member_id, exemption)
    say(f"已设定{change.member_name}免缴：{exemption.months_text()}（免缴记录 {change.exemption_id}）。")
    _say_refreshed(change.refreshed)
    return EXIT_OK


@writes
def _unexempt(session: Session, args: argparse.Namespace) -> int:
    from app.services.dues import remove_exemption

    change = remove_exemption(session, args.exemption_id)
    say(f"已取消{change.member_name}的免缴记录 {args.exemption_id}。")
    _say_refreshed(change.refreshed)
    return EXIT_OK


def _say_refreshed(result: RollResult | None) -> None:
    if result is not None and result.changed:
        say(f"已重新计算已生成的应缴：新增 {result.created} 笔，改 {result.recalculated} 笔，"
            f"撤销 {result.removed} 笔；已缴的不变。")  # fmt: skip


@reads
def _exemptions(session: Session, args: argparse.Namespace) -> int:
    from app.services.dues import list_exemptions

    member_id = find_member(session, args.key) if args.key else None
    found = list_exemptions(session, member_id)
    if args.json:
        print_json({"exemptions": [
            {"id": e.id, "member_id": e.member_id, "name": e.member_name, "from": str(e.exemption.first),
             "to": str(e.exemption.last) if e.exemption.last else None, "reason": e.exemption.reason}
            for e in found]})  # fmt: skip
        return EXIT_OK
    if not found:
        say("没有免缴记录")
    for e in found:
        say(f"{e.id}\t{e.member_name}\t{e.exemption.months_text()}\t{e.exemption.reason}")
    return EXIT_OK
