"""`group`, `member`, `roster`: the roster area's commands."""

from __future__ import annotations

import argparse
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
    parse_date,
    parse_month,
    plain,
    print_json,
    reads,
    say,
    shown_id_number,
    word_choice,
    writes,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.domain.members import MemberInput
    from app.services.imports import Importer


def register(sub: argparse._SubParsersAction[Parser]) -> None:
    _register_groups(sub)
    _register_members(sub)
    _register_roster(sub)


def _register_groups(sub: argparse._SubParsersAction[Parser]) -> None:
    group = actions(sub, "group", "分组（分会、工会小组、部门）")
    command(group, "list", "列出全部分组", _group_list)
    add = command(group, "add", "新增分组", _group_add)
    add.add_argument("name", help="名称")
    add.add_argument("--kind", default="部门", choices=["分会", "工会小组", "部门"], help="类型")
    add.add_argument("--parent", help="上级分组，如“生产部”")


def _register_members(sub: argparse._SubParsersAction[Parser]) -> None:
    member = actions(sub, "member", "会员名册：查找、新增、修改、变更会籍、删除")
    listing = command(member, "list", "列出会员（与程序中的搜索和筛选相同）", _member_list)
    listing.add_argument("--search", default="", help="姓名、拼音首字母、全拼、身份证号片段、电话或会员证号")
    listing.add_argument("--status", help="会籍状态：在册、在会、保留会籍、已转出、已退会、已除名、已去世")
    listing.add_argument("--group", help="分组（含下级）")
    listing.add_argument("--category", help="人员类别")
    listing.add_argument("--female", action="store_true", help="只看女会员")
    listing.add_argument("--migrant", action="store_true", help="只看农民工")
    listing.add_argument("--hardship", action="store_true", help="只看困难职工")
    listing.add_argument("--model-worker", action="store_true", help="只看劳模")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    add_reveal_option(listing)
    show = command(member, "show", "显示一名会员的信息和会籍变动", _member_show)
    show.add_argument("key", help="身份证号、会员证号或姓名")
    add_reveal_option(show)
    _member_fields(command(member, "add", "新增会员", _member_add), required=True)
    edit = command(member, "edit", "修改会员信息（只改给出的项）", _member_edit)
    edit.add_argument("key", help="身份证号、会员证号或姓名")
    _member_fields(edit, required=False)
    status = command(
        member, "status", "变更会籍：转出、退会、除名、退休保留会籍、去世、转入、恢复", _member_status
    )
    status.add_argument("key", help="身份证号、会员证号或姓名")
    status.add_argument("--event", required=True, help="变动类型")
    status.add_argument("--date", type=parse_date, required=True, help="变动日期")
    status.add_argument("--reason", default="", help="原因")
    delete = command(member, "delete", "删除误录入的会员（已有记录的会员不能删除）", _member_delete)
    delete.add_argument("key", help="身份证号、会员证号或姓名")
    delete.add_argument("--yes", action="store_true", help="确认删除")


def _register_roster(sub: argparse._SubParsersAction[Parser]) -> None:
    from app.cli.imports import add_import_command

    roster = actions(sub, "roster", "花名册与 Excel：导入、导出、导入模板")
    importing = add_import_command(
        roster, "从 Excel（.xlsx/.xls）或 CSV 导入花名册", "花名册文件", _roster_importer
    )
    importing.add_argument(
        "--on-existing",
        type=word_choice({"跳过": "skip", "更新": "update"}, "做法"),
        default="skip",
        metavar="跳过|更新",
        help="名册中已有的会员：跳过（默认，也可写 skip），或用文件中的内容更新（update）",
    )
    importing.add_argument(
        "--wages-from",
        type=parse_month,
        metavar="YYYY-MM",
        help="文件中的工资（会费基数）和人员类别（如退休）自哪个月起适用，默认本月；"
        "例如 12 月导入全年的名册时写 2026-01",
    )
    export = command(roster, "export", "把花名册导出为可打印的 Excel", _roster_export)
    export.add_argument("out", type=Path, metavar="OUT.xlsx", help="输出文件")
    export.add_argument(
        "--status", default="在册", help="会籍状态：在册（默认）、全部、在会、保留会籍、已转出…"
    )
    export.add_argument("--group", help="分组（含下级）")
    export.add_argument("--mask", action="store_true", help="隐去身份证号和电话号码的中间部分")
    template = command(roster, "template", "生成空白的导入模板", _roster_template)
    template.add_argument("out", type=Path, metavar="OUT.xlsx", help="输出文件")


def _roster_importer(args: argparse.Namespace) -> Importer[Any, Any]:
    from app.services.roster.importer import RosterImporter, RosterOptions

    return RosterImporter(RosterOptions(on_existing=args.on_existing, wages_from=args.wages_from))


def _member_fields(p: argparse.ArgumentParser, *, required: bool) -> None:
    p.add_argument("--name", required=required, help="姓名")
    p.add_argument("--id", dest="id_number", help="身份证号（或其他证件号码）")
    p.add_argument("--id-type", help="证件类型，默认 居民身份证")
    p.add_argument("--gender", choices=["男", "女"], help="性别（有身份证号时可不填）")
    p.add_argument("--birth", type=parse_date, help="出生日期（有身份证号时可不填）")
    p.add_argument("--group", help="所在分组，如“生产部/一车间”")
    p.add_argument("--category", help="人员类别：在岗、劳务派遣、农民工、内退、病休、退休保留会籍")
    p.add_argument("--phone", help="联系电话")
    p.add_argument("--card", dest="card_number", help="会员证号")
    p.add_argument("--joined", type=parse_date, help="入会时间（不填时，会籍变动中的入会记为今天）")
    p.add_argument("--wage", help="会费基数工资（元），如 5380.00")
    p.add_argument("--political", dest="political_status", help="政治面貌")
    p.add_argument("--education", help="学历")
    p.add_argument("--position", help="职务/岗位")
    p.add_argument("--ethnicity", help="民族")
    p.add_argument("--model-worker", dest="model_worker_level", help="劳模类型：全国、省部级、地市级、其他")
    p.add_argument("--hardship", choices=["是", "否"], help="是否困难职工（建档）")
    p.add_argument("--migrant", choices=["是", "否"], help="是否农民工")
    p.add_argument("--female-retire-age", dest="female_original_retirement_age", type=int, choices=[50, 55],
                   help="女职工原法定退休年龄（工人岗位 50，管理岗位 55）")  # fmt: skip
    p.add_argument("--remark", help="备注")


# -- groups ------------------------------------------------------------------------------------


@reads
def _group_list(session: Session, _args: argparse.Namespace) -> int:
    from app.services.roster import list_groups

    groups = list_groups(session)
    if not groups:
        say("还没有分组。用 group add 新增。")
    for g in groups:
        say(f"{'    ' * g.depth}{g.name}（{g.kind}，{g.total_count} 人）")
    return EXIT_OK


@writes
def _group_add(session: Session, args: argparse.Namespace) -> int:
    from app.services.roster import add_group

    parent = find_group(session, args.parent) if args.parent else None
    add_group(session, args.name, args.kind, parent)
    say(f"已新增分组：{args.name}")
    return EXIT_OK


# -- members -----------------------------------------------------------------------------------

_COLUMNS = (("姓名", "name"), ("性别", "gender"), ("出生日期", "birth_date"), ("身份证号", "id_number"),
            ("分组", "group_path"), ("人员类别", "category"), ("会籍状态", "status"), ("联系电话", "phone"),
            ("会员证号", "card_number"))  # fmt: skip


@reads
def _member_list(session: Session, args: argparse.Namespace) -> int:
    from app.services.roster.index import RosterFilter, filter_rows
    from app.services.roster.search import load_roster

    group_id = find_group(session, args.group) if args.group is not None else None
    roster = load_roster(session)
    flt = RosterFilter(
        text=args.search, group_id=group_id, status=args.status, category=args.category,
        female=args.female, migrant=args.migrant, hardship=args.hardship, model_worker=args.model_worker,
    )  # fmt: skip
    shown = [roster.rows[i] for i in filter_rows(roster.rows, flt, roster.groups)]
    listed = [
        {key: shown_id_number(args, r.id_number) if key == "id_number" else plain(getattr(r, key))
         for _label, key in _COLUMNS}
        for r in shown
    ]  # fmt: skip
    if args.json:
        print_json(
            {
                "count": len(shown),
                "members": [{"id": r.id, **row} for r, row in zip(shown, listed, strict=True)],
            }
        )
        return EXIT_OK
    say("\t".join(label for label, _key in _COLUMNS))
    for row in listed:
        say("\t".join(str(value or "") for value in row.values()))
    say(f"共 {len(shown)} 人")
    return EXIT_OK


@reads
def _member_show(session: Session, args: argparse.Namespace) -> int:
    from app.domain.members import FIELD_LABELS
    from app.domain.money import format_fen
    from app.services.roster import get_member

    detail = get_member(session, find_member(session, args.key))
    data = detail.data
    say(f"{data.name}（{detail.status}）")
    for key in ("gender", "birth_date", "id_type", "id_number", "category", "phone", "card_number",
                "joined_on", "political_status", "education", "position"):  # fmt: skip
        value = shown_id_number(args, data.id_number) if key == "id_number" else plain(getattr(data, key))
        say(f"  {FIELD_LABELS[key]}：{value or ''}")
    say(f"  所在分组：{detail.group_path}")
    if data.dues_wage_fen is not None:
        say(f"  会费基数工资：{format_fen(data.dues_wage_fen)} 元")
    if detail.retirement:
        say(f"  法定退休时间：{detail.retirement.month.chinese()}（{detail.retirement.age_text}）")
    say("  会籍变动：")
    for e in detail.events:
        reason = f"，{e.reason}" if e.reason else ""
        say(f"    {e.event_date.isoformat()} {e.kind}{reason}")
    return EXIT_OK


_FLAG_FIELDS = ("name", "id_number", "id_type", "gender", "birth_date", "category", "phone", "card_number",
                "joined_on", "political_status", "education", "position", "ethnicity", "model_worker_level",
                "female_original_retirement_age", "remark")  # fmt: skip
_OPTION_OF = {"birth_date": "birth", "joined_on": "joined"}


def _apply_member_args(session: Session, data: MemberInput, args: argparse.Namespace) -> None:
    from app.domain.money import MoneyError, wage_to_fen

    for key in _FLAG_FIELDS:
        value = getattr(args, _OPTION_OF.get(key, key))
        if value is not None:
            setattr(data, key, value)
    if args.group is not None:
        data.group_id = find_group(session, args.group) if args.group else None  # "": no group
    if args.hardship is not None:
        data.is_hardship = args.hardship == "是"
    if args.migrant is not None:
        data.is_migrant_worker = args.migrant == "是"
    if args.wage is not None:
        try:
            data.dues_wage_fen = wage_to_fen(args.wage, "会费基数工资")
        except MoneyError as exc:
            data.extra_errors["dues_wage_fen"] = str(exc)


@writes
def _member_add(session: Session, args: argparse.Namespace) -> int:
    from app.domain.members import MemberInput
    from app.services.roster import create_member

    data = MemberInput()
    _apply_member_args(session, data, args)
    create_member(session, data)
    say(f"已新增会员：{data.name}（{data.id_number}）")
    return EXIT_OK


@writes
def _member_edit(session: Session, args: argparse.Namespace) -> int:
    from app.services.roster.members import get_member, update_member

    member_id = find_member(session, args.key)
    data = get_member(session, member_id).data
    _apply_member_args(session, data, args)
    update_member(session, member_id, data)
    say(f"已保存会员：{data.name}")
    _refresh_dues(session, member_id)
    return EXIT_OK


def _refresh_dues(session: Session, member_id: int) -> None:
    """A new wage or status changes the dues of the months not yet paid, at once."""
    from app.services.dues import refresh_member_dues

    result = refresh_member_dues(session, [member_id])
    if result is not None and result.changed:
        say(f"已重新计算这名会员还没有缴费的月份的应缴会费（改 {result.recalculated} 笔，"
            f"新增 {result.created} 笔，撤销 {result.removed} 笔）")  # fmt: skip


@writes
def _member_status(session: Session, args: argparse.Namespace) -> int:
    from app.services.roster.members import change_status

    member_id = find_member(session, args.key)
    status = change_status(session, member_id, args.event, args.date, args.reason)
    say(f"已办理{args.event}，会籍状态现为“{status}”")
    _refresh_dues(session, member_id)
    return EXIT_OK


@writes
def _member_delete(session: Session, args: argparse.Namespace) -> int:
    from app.services.errors import UserError
    from app.services.roster.members import delete_member

    if not args.yes:
        raise UserError("删除会员不能撤销。确认要删除请加上 --yes")
    name = delete_member(session, find_member(session, args.key))
    say(f"已删除会员：{name}")
    return EXIT_OK


# -- roster files ------------------------------------------------------------------------------


@reads
def _roster_export(session: Session, args: argparse.Namespace) -> int:
    from app.services.roster.export import export_roster
    from app.services.roster.index import RosterFilter

    group_id = find_group(session, args.group) if args.group is not None else None
    status = None if args.status in ("全部", "all") else args.status
    result = export_roster(
        session, args.out, flt=RosterFilter(status=status, group_id=group_id), mask=args.mask
    )
    say(f"已导出 {result.rows} 名会员：{result.path}")
    return EXIT_OK


@reads
def _roster_template(session: Session, args: argparse.Namespace) -> int:
    from app.services.roster.export import write_template

    path = write_template(session, args.out)
    say(f"已生成导入模板：{path}")
    return EXIT_OK
