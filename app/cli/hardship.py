"""`hardship …`: 困难职工档案 (the care area's household files) — open, correct, review, close,
list (bank accounts and ID numbers masked), show and print."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import (
    EXIT_OK,
    Parser,
    actions,
    command,
    find_member,
    parse_date,
    parse_fen,
    print_json,
    reads,
    say,
    writes,
)
from app.domain.hardship import CATEGORIES, CAUSES, CLOSE_REASONS

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.care import HardshipInput, HardshipRow, Relative

FAMILY_HELP = "家庭成员（可写多次）：姓名,关系,身份证号,健康状况,年收入（元）,工作单位或学校；后几项可空"


def register(sub: argparse._SubParsersAction[Parser]) -> None:
    hardship = actions(sub, "hardship", "困难职工档案：建档、修改、年度复核、结案、列出、打印档案表")
    opening = command(hardship, "open", "为一名会员建立困难职工档案（一户一档）", _open)
    opening.add_argument("member", help="困难职工本人：身份证号、会员证号或姓名")
    _file_options(opening, required=True)
    opening.add_argument("--json", action="store_true", help="以 JSON 输出")
    edit = command(hardship, "edit", "修改档案（只改写出的项目；写 --family 时家庭成员整体替换）", _edit)
    edit.add_argument("file_id", type=int, metavar="ID", help="档案编号（见 hardship list）")
    _file_options(edit, required=False)
    edit.add_argument("--no-family", action="store_true", help="清空家庭成员")
    review = command(hardship, "review", "登记年度复核（下次复核在一年后）", _review)
    review.add_argument("file_id", type=int, metavar="ID", help="档案编号")
    review.add_argument("--reviewer", required=True, help="复核人")
    review.add_argument("--date", type=parse_date, help="复核日期，默认今天")
    review.add_argument("--opinion", default="", help="复核意见")
    close = command(hardship, "close", "结案：脱困或退出（不再列为困难职工）", _close)
    close.add_argument("file_id", type=int, metavar="ID", help="档案编号")
    close.add_argument("--reason", required=True, choices=CLOSE_REASONS, help="结案原因")
    close.add_argument("--date", type=parse_date, help="结案日期，默认今天")
    close.add_argument("--note", default="", help="说明")
    reopen = command(hardship, "reopen", "撤销误操作的结案", _reopen)
    reopen.add_argument("file_id", type=int, metavar="ID", help="档案编号")
    listing = command(hardship, "list", "列出困难职工档案（身份证号、银行账号隐去中间几位）", _list)
    which = listing.add_mutually_exclusive_group()
    which.add_argument("--closed", action="store_true", help="只列已结案的")
    which.add_argument("--all", action="store_true", help="在档和已结案的都列")
    which.add_argument("--due", action="store_true", help="只列 30 天内到期或已过期、需要年度复核的")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    show = command(hardship, "show", "显示一份档案的全部内容和帮扶记录", _show)
    show.add_argument("file_id", type=int, metavar="ID", help="档案编号")
    show.add_argument("--reveal", action="store_true", help="显示完整的身份证号和银行账号")
    show.add_argument("--json", action="store_true", help="以 JSON 输出")
    printing = command(hardship, "print", "打印困难职工档案表（A4，PDF）", _print)
    printing.add_argument("file_id", type=int, metavar="ID", help="档案编号")
    printing.add_argument("--out", type=Path, required=True, metavar="OUT.pdf", help="保存为（.pdf）")


def _file_options(parser: Parser, *, required: bool) -> None:
    parser.add_argument("--category", required=required, choices=CATEGORIES, help="困难类别")
    parser.add_argument("--main-cause", required=required, choices=CAUSES, help="主要致困原因")
    parser.add_argument(
        "--cause", action="append", choices=CAUSES, help="次要致困原因（最多 3 项，可写多次）"
    )
    parser.add_argument("--income", required=required, metavar="元", help="家庭年收入（元）")
    parser.add_argument("--size", type=int, help="家庭人口（默认：本人加所列家庭成员）")
    parser.add_argument("--family", action="append", metavar="成员", help=FAMILY_HELP)
    parser.add_argument("--housing", help="住房情况")
    parser.add_argument("--insurance", help="医疗保险")
    parser.add_argument("--single-parent", action=argparse.BooleanOptionalAction, help="单亲家庭")
    parser.add_argument("--zero-employment", action=argparse.BooleanOptionalAction, help="零就业家庭")
    parser.add_argument("--situation", help="困难情况")
    parser.add_argument("--bank", help="开户行")
    parser.add_argument("--account", help="银行账号")
    parser.add_argument("--holder", help="户名")
    parser.add_argument("--filer", help="建档人")
    parser.add_argument("--reviewer", help="审核人")
    parser.add_argument("--opinion", help="审核意见")
    parser.add_argument("--notice", help="公示情况")
    parser.add_argument("--date", type=parse_date, help="建档日期，默认今天")
    parser.add_argument("--note", help="备注")


def _relative(text: str, index: int) -> Relative:
    from app.services.care import Relative
    from app.services.errors import UserError

    parts = [p.strip() for p in text.replace("，", ",").split(",")]
    if not parts[0] or len(parts) > 6:
        raise UserError(f"第 {index} 个 --family 应写成：{FAMILY_HELP.split('：', 1)[1]}")
    parts += [""] * (6 - len(parts))
    income = parse_fen(f"第 {index} 位家庭成员的年收入", parts[4] or "0") or 0
    return Relative(parts[0], parts[1], parts[2], parts[3], income, parts[5])


def _changes(args: argparse.Namespace) -> dict[str, Any]:
    """The fields the options give (those not given are left out)."""
    values: dict[str, Any] = {
        "category": args.category, "main_cause": args.main_cause,
        "secondary_causes": tuple(args.cause) if args.cause is not None else None,
        "annual_income_fen": parse_fen("家庭年收入", args.income), "household_size": args.size,
        "housing": args.housing, "medical_insurance": args.insurance, "single_parent": args.single_parent,
        "zero_employment": args.zero_employment, "situation": args.situation, "bank_name": args.bank,
        "bank_account": args.account, "account_holder": args.holder, "filer": args.filer,
        "reviewer": args.reviewer, "opinion": args.opinion, "notice": args.notice, "opened_on": args.date,
        "note": args.note,
    }  # fmt: skip
    if args.family is not None:
        values["relatives"] = tuple(_relative(text, n) for n, text in enumerate(args.family, start=1))
    return {key: value for key, value in values.items() if value is not None}


@writes
def _open(session: Session, args: argparse.Namespace) -> int:
    from app.services.care import HardshipInput, get_file, open_file

    changes = _changes(args)
    changes.setdefault("opened_on", date.today())
    data = HardshipInput(member_id=find_member(session, args.member), **changes)
    row = get_file(session, open_file(session, data)).row
    if args.json:
        print_json(_row_json(row))
        return EXIT_OK
    say(f"已为{row.name}建立困难职工档案（编号 {row.id}）：{row.category}，{row.main_cause}，"
        f"家庭 {row.household_size} 人，月人均收入 {_yuan(row.per_head_monthly_fen)} 元。")  # fmt: skip
    return EXIT_OK


@writes
def _edit(session: Session, args: argparse.Namespace) -> int:
    import dataclasses

    from app.services.care import get_file, update_file

    old: HardshipInput = get_file(session, args.file_id).data
    changes = _changes(args)
    if args.no_family:
        changes["relatives"] = ()
    if "relatives" in changes and "household_size" not in changes:
        changes["household_size"] = 0  # recount: the worker and the relatives now listed
    if not changes:
        say("没有要修改的项目：请写出要改的内容，例如 --income 24000")
        return EXIT_OK
    update_file(session, args.file_id, dataclasses.replace(old, **changes))
    row = get_file(session, args.file_id).row
    say(f"已修改{row.name}的困难职工档案（编号 {row.id}）。")
    return EXIT_OK


@writes
def _review(session: Session, args: argparse.Namespace) -> int:
    from app.services.care import get_file, review_file

    review_file(session, args.file_id, args.date or date.today(), args.reviewer, args.opinion)
    row = get_file(session, args.file_id).row
    due = row.review_due.isoformat() if row.review_due else ""
    say(f"已登记{row.name}档案的年度复核（{args.reviewer}），下次复核：{due}。")
    return EXIT_OK


@writes
def _close(session: Session, args: argparse.Namespace) -> int:
    from app.services.care import close_file, get_file

    close_file(session, args.file_id, args.date or date.today(), args.reason, args.note)
    row = get_file(session, args.file_id).row
    say(f"{row.name}的困难职工档案已结案（{row.close_reason}），不再列为困难职工。")
    return EXIT_OK


@writes
def _reopen(session: Session, args: argparse.Namespace) -> int:
    from app.services.care import get_file, reopen_file

    reopen_file(session, args.file_id)
    say(f"已撤销结案：{get_file(session, args.file_id).row.name}的档案重新在档。")
    return EXIT_OK


def _yuan(fen: int) -> str:
    from app.domain.money import format_fen

    return format_fen(fen)


def _row_json(r: HardshipRow) -> dict[str, Any]:
    return {
        "id": r.id, "member_id": r.member_id, "name": r.name, "id_number": r.id_number, "group": r.group,
        "category": r.category, "main_cause": r.main_cause, "household_size": r.household_size,
        "annual_income_fen": r.annual_income_fen, "per_head_monthly_fen": r.per_head_monthly_fen,
        "single_parent": r.single_parent, "zero_employment": r.zero_employment, "bank_account": r.bank_account,
        "opened_on": r.opened_on, "reviewed_on": r.reviewed_on, "review_due": r.review_due,
        "closed_on": r.closed_on, "close_reason": r.close_reason, "status": r.status,
        "aid_count": r.aid_count, "aid_fen": r.aid_fen,
    }  # fmt: skip


@reads
def _list(session: Session, args: argparse.Namespace) -> int:
    from app.services.care import list_files, reviews_due

    if args.due:
        rows = reviews_due(session)
    else:
        rows = list_files(session, status="已结案" if args.closed else "全部" if args.all else "在档")
    if args.json:
        print_json({"count": len(rows), "files": [_row_json(r) for r in rows]})
        return EXIT_OK
    if not rows:
        say("没有符合条件的困难职工档案。")
    for r in rows:
        due = f"下次复核 {r.review_due.isoformat()}" if r.review_due else r.status
        say(f"{r.id}\t{r.name}\t{r.group}\t{r.category}\t{r.main_cause}\t家庭 {r.household_size} 人\t"
            f"月人均 {_yuan(r.per_head_monthly_fen)} 元\t帮扶 {r.aid_count} 次 {_yuan(r.aid_fen)} 元\t{due}")  # fmt: skip
    return EXIT_OK


@reads
def _show(session: Session, args: argparse.Namespace) -> int:
    import dataclasses

    from app.domain.privacy import mask_account, mask_id_number
    from app.services.care import get_file

    info = get_file(session, args.file_id)
    data, row = info.data, info.row
    if not args.reveal:
        relatives = tuple(
            dataclasses.replace(r, id_number=mask_id_number(r.id_number)) for r in data.relatives
        )
        data = dataclasses.replace(data, bank_account=mask_account(data.bank_account), relatives=relatives)
    id_number = info.id_number if args.reveal else row.id_number
    if args.json:
        payload = _row_json(row) | {
            "id_number": id_number, "gender": info.gender, "birth_date": info.birth_date, "phone": info.phone,
            "secondary_causes": list(data.secondary_causes), "housing": data.housing,
            "medical_insurance": data.medical_insurance, "situation": data.situation, "bank_name": data.bank_name,
            "bank_account": data.bank_account, "account_holder": data.account_holder, "filer": data.filer,
            "reviewer": data.reviewer, "opinion": data.opinion, "notice": data.notice, "note": data.note,
            "family": [dataclasses.asdict(r) for r in data.relatives],
            "aid": [{"id": r.id, "date": r.day, "occasion": r.occasion, "amount_fen": r.amount_fen} for r in info.aid],
        }  # fmt: skip
        print_json(payload)
        return EXIT_OK
    yes = {True: "是", False: "否"}
    lines = [
        f"困难职工档案 {row.id}（{row.status}）",
        f"姓名：{row.name}　身份证号：{id_number}　部门：{row.group}　电话：{info.phone}",
        f"困难类别：{data.category}　主要致困原因：{data.main_cause}　次要原因：{'、'.join(data.secondary_causes) or '无'}",
        f"家庭人口：{row.household_size} 人　家庭年收入：{_yuan(row.annual_income_fen)} 元　"
        f"月人均收入：{_yuan(row.per_head_monthly_fen)} 元",
        f"住房：{data.housing}　医疗保险：{data.medical_insurance}　单亲家庭：{yes[data.single_parent]}　"
        f"零就业家庭：{yes[data.zero_employment]}",
        f"困难情况：{data.situation}",
        f"开户行：{data.bank_name}　账号：{data.bank_account}　户名：{data.account_holder}",
        f"建档：{data.filer} {data.opened_on.isoformat()}　审核：{data.reviewer}　意见：{data.opinion}",
        f"下次复核：{row.review_due.isoformat() if row.review_due else '—'}",
    ]  # fmt: skip
    for person in data.relatives:
        lines.append(
            f"  家庭成员：{person.name}（{person.relation}）{person.id_number} {person.health} "
            f"年收入 {_yuan(person.annual_income_fen)} 元 {person.occupation}"
        )
    lines.append(f"帮扶记录：{len(info.aid)} 次，合计 {_yuan(sum(r.amount_fen for r in info.aid))} 元")
    for aid in info.aid:
        lines.append(f"  {aid.day.isoformat()} {aid.what} {_yuan(aid.amount_fen)} 元")
    for line in lines:
        say(line)
    return EXIT_OK


@reads
def _print(session: Session, args: argparse.Namespace) -> int:
    from app.services.care import print_file

    print_file(session, args.file_id, args.out)
    say(f"困难职工档案表已保存：{args.out}")
    return EXIT_OK
