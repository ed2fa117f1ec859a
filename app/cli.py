"""The command line: `uniondesk` opens the window; subcommands run the same services.

Exit codes: 0 done; 1 the input had errors and nothing was written; 2 usage error;
3 the database cannot be opened (not a 账套, corrupt, newer version, read-only, locked).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from app.domain.union import PROFILE_LABELS

if TYPE_CHECKING:
    from app.db import Database

_STARTED = time.perf_counter()

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_DATABASE = 0, 1, 2, 3


_ARGPARSE_WORDS = (
    ("the following arguments are required:", "缺少必填的参数："),
    ("unrecognized arguments:", "无法识别的参数："),
    ("invalid choice:", "不是可选的值："),
    ("choose from", "可选"),
    ("expected one argument", "需要一个值"),
    ("argument ", "参数 "),
)


class _Parser(argparse.ArgumentParser):
    """argparse with its own words in Chinese: every word on screen is Chinese."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "用法：", 1)

    def format_help(self) -> str:
        return super().format_help().replace("usage:", "用法：", 1)

    def error(self, message: str) -> NoReturn:
        for english, chinese in _ARGPARSE_WORDS:
            message = message.replace(english, chinese)
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"用法错误：{message}\n（用 uniondesk --help 查看全部命令）\n")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip().replace("/", "-").replace(".", "-"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是日期，请写成 2026-03-15") from None


def _add_member_fields(p: argparse.ArgumentParser, *, required: bool) -> None:
    p.add_argument("--name", required=required, help="姓名")
    p.add_argument("--id", dest="id_number", help="身份证号（或其他证件号码）")
    p.add_argument("--id-type", help="证件类型，默认 居民身份证")
    p.add_argument("--gender", choices=["男", "女"], help="性别（有身份证号时可不填）")
    p.add_argument("--birth", type=_date, help="出生日期（有身份证号时可不填）")
    p.add_argument("--group", help="所在分组，如“生产部/一车间”")
    p.add_argument("--category", help="人员类别：在岗、劳务派遣、农民工、内退、病休、退休保留会籍")
    p.add_argument("--phone", help="联系电话")
    p.add_argument("--card", dest="card_number", help="会员证号")
    p.add_argument("--joined", type=_date, help="入会时间，默认今天")
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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="uniondesk",
        description="UnionDesk 基层工会工作台。不带命令时打开程序窗口。",
    )
    parser.add_argument("--db", type=Path, help="账套文件（默认：用户数据文件夹中的 union.db）")
    parser.add_argument("--version", action="version", version=_version(), help="显示版本并退出")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)

    gui = sub.add_parser("gui", help="打开程序窗口")
    gui.add_argument("--quit-when-ready", action="store_true", help="名册显示后打印 ready <毫秒> 并退出")

    init = sub.add_parser("init", help="新建账套并填写本工会信息")
    init.add_argument("--name", required=True, help="工会名称")
    init.add_argument("--province", help="所在省份（决定慰问标准的默认值）")
    init.add_argument("--unit", default="", help="所在单位")
    init.add_argument("--chair", default="", help="工会主席")
    init.add_argument("--handler", default="", help="经办人")

    demo = sub.add_parser("demo", help="生成一个演示工会（只用于新的空账套）")
    demo.add_argument("--members", type=int, default=300, help="会员人数，默认 300")
    demo.add_argument("--year", type=int, help="演示数据截至哪一年，默认今年")
    demo.add_argument("--seed", type=int, default=2026, help=argparse.SUPPRESS)

    sub.add_parser("check", help="检查账套：文件完整性、引用、金额、会籍状态、身份证号")

    profile = sub.add_parser("profile", help="查看或修改本工会信息")
    profile_sub = profile.add_subparsers(dest="action", required=True, metavar="操作", parser_class=_Parser)
    profile_sub.add_parser("show", help="显示本工会信息")
    pset = profile_sub.add_parser("set", help="修改本工会信息")
    for key, label in PROFILE_LABELS.items():
        pset.add_argument(f"--{key.replace('_', '-')}", dest=key, help=label)

    group = sub.add_parser("group", help="分组（分会、工会小组、部门）")
    group_sub = group.add_subparsers(dest="action", required=True, metavar="操作", parser_class=_Parser)
    group_sub.add_parser("list", help="列出全部分组")
    gadd = group_sub.add_parser("add", help="新增分组")
    gadd.add_argument("name", help="名称")
    gadd.add_argument("--kind", default="部门", choices=["分会", "工会小组", "部门"], help="类型")
    gadd.add_argument("--parent", help="上级分组，如“生产部”")

    roster = sub.add_parser("roster", help="花名册与 Excel：导入、导出、导入模板")
    rsub = roster.add_subparsers(dest="action", required=True, metavar="操作", parser_class=_Parser)
    rimport = rsub.add_parser("import", help="从 Excel（.xlsx/.xls）或 CSV 导入花名册")
    rimport.add_argument("file", type=Path, help="花名册文件")
    rimport.add_argument("--sheet", help="工作表名称（文件有多个工作表时）")
    rimport.add_argument(
        "--on-existing",
        choices=["skip", "update"],
        default="skip",
        help="名册中已有的会员：skip 跳过（默认），update 用文件中的内容更新",
    )
    rimport.add_argument("--skip-invalid", action="store_true", help="导入没有错误的行，报告有错误的行")
    rimport.add_argument("--dry-run", action="store_true", help="只检查并显示结果，不写入")
    rimport.add_argument(
        "--errors", type=Path, metavar="OUT.xlsx", help="把有错误的行及错误原因写入此 Excel 文件"
    )
    rimport.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    rexport = rsub.add_parser("export", help="把花名册导出为可打印的 Excel")
    rexport.add_argument("out", type=Path, metavar="OUT.xlsx", help="输出文件")
    rexport.add_argument(
        "--status", default="在册", help="会籍状态：在册（默认）、全部、在会、保留会籍、已转出…"
    )
    rexport.add_argument("--group", help="分组（含下级）")
    rexport.add_argument("--mask", action="store_true", help="隐去身份证号和电话号码的中间部分")
    rtemplate = rsub.add_parser("template", help="生成空白的导入模板")
    rtemplate.add_argument("out", type=Path, metavar="OUT.xlsx", help="输出文件")

    member = sub.add_parser("member", help="会员名册：查找、新增、修改、变更会籍、删除")
    msub = member.add_subparsers(dest="action", required=True, metavar="操作", parser_class=_Parser)
    mlist = msub.add_parser("list", help="列出会员（与程序中的搜索和筛选相同）")
    mlist.add_argument("--search", default="", help="姓名、拼音首字母、全拼、身份证号片段、电话或会员证号")
    mlist.add_argument("--status", help="会籍状态：在册、在会、保留会籍、已转出、已退会、已除名、已去世")
    mlist.add_argument("--group", help="分组（含下级）")
    mlist.add_argument("--category", help="人员类别")
    mlist.add_argument("--female", action="store_true", help="只看女会员")
    mlist.add_argument("--migrant", action="store_true", help="只看农民工")
    mlist.add_argument("--hardship", action="store_true", help="只看困难职工")
    mlist.add_argument("--model-worker", action="store_true", help="只看劳模")
    mlist.add_argument("--json", action="store_true", help="以 JSON 输出")
    mshow = msub.add_parser("show", help="显示一名会员的信息和会籍变动")
    mshow.add_argument("key", help="身份证号、会员证号或姓名")
    madd = msub.add_parser("add", help="新增会员")
    _add_member_fields(madd, required=True)
    medit = msub.add_parser("edit", help="修改会员信息（只改给出的项）")
    medit.add_argument("key", help="身份证号、会员证号或姓名")
    _add_member_fields(medit, required=False)
    mstatus = msub.add_parser("status", help="变更会籍：转出、退会、除名、退休保留会籍、去世、转入、恢复")
    mstatus.add_argument("key", help="身份证号、会员证号或姓名")
    mstatus.add_argument("--event", required=True, help="变动类型")
    mstatus.add_argument("--date", type=_date, required=True, help="变动日期")
    mstatus.add_argument("--reason", default="", help="原因")
    mdel = msub.add_parser("delete", help="删除误录入的会员（已有记录的会员不能删除）")
    mdel.add_argument("key", help="身份证号、会员证号或姓名")
    mdel.add_argument("--yes", action="store_true", help="确认删除")
    return parser


def _version() -> str:
    from app import __version__

    return f"UnionDesk {__version__}"


def _db_path(args: argparse.Namespace) -> Path:
    if args.db is not None:
        return Path(args.db)
    from app.paths import default_db_path

    return default_db_path()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command in (None, "gui"):
        from app.ui.app import run_gui

        quit_when_ready = bool(getattr(args, "quit_when_ready", False))
        return run_gui(_db_path(args), quit_when_ready=quit_when_ready, started=_STARTED)
    if args.command == "roster" and args.action == "import":
        from app.services.excel.reader import start_reading

        start_reading(args.file, args.sheet)  # parsed while the database layer loads
    from app.db import DatabaseOpenError, open_database
    from app.services.errors import UserError

    try:
        db = open_database(_db_path(args))
    except DatabaseOpenError as exc:
        print(f"无法打开账套：{exc}", file=sys.stderr)
        return EXIT_DATABASE
    try:
        key = f"{args.command}.{args.action}" if hasattr(args, "action") else args.command
        return _HANDLERS[key](db, args)
    except UserError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_INPUT
    finally:
        db.close()


def _print(text: str = "") -> None:
    print(text, flush=True)


def cmd_init(db: Database, args: argparse.Namespace) -> int:
    from app.services.errors import UserError
    from app.services.system.profile import ProfileData, get_profile, save_profile

    with db.session() as session:
        existing = get_profile(session).name
        if existing:
            raise UserError(f"账套“{db.path.name}”已经建立过（{existing}）。修改信息请用 profile set")
        save_profile(
            session,
            ProfileData(name=args.name, unit_name=args.unit, chair=args.chair,
                        handler=args.handler, province=args.province or ""),
        )  # fmt: skip
    _print(f"已建立账套：{db.path}")
    return EXIT_OK


def cmd_demo(db: Database, args: argparse.Namespace) -> int:
    from app.services.system.demo import build_demo

    with db.session() as session:
        result = build_demo(session, members=args.members, year=args.year, seed=args.seed)
    _print(f"已生成演示工会：{result.members} 名会员，{result.groups} 个分组，{result.events} 条会籍变动记录")
    _print(f"账套文件：{db.path}")
    return EXIT_OK


def cmd_check(db: Database, _args: argparse.Namespace) -> int:
    from app.services.system.check import run_checks

    with db.session() as session:
        report = run_checks(session)
    for item in report.checked:
        _print(f"已检查：{item}")
    if report.ok:
        _print("检查完成，没有发现问题。")
        return EXIT_OK
    _print(f"发现 {len(report.problems)} 个问题：")
    for problem in report.problems:
        _print(f"  - {problem}")
    return EXIT_INPUT


def cmd_profile_show(db: Database, _args: argparse.Namespace) -> int:
    from app.services.system.profile import get_profile

    with db.session() as session:
        profile = get_profile(session)
    for key, label in PROFILE_LABELS.items():
        _print(f"{label}：{getattr(profile, key)}")
    return EXIT_OK


def cmd_profile_set(db: Database, args: argparse.Namespace) -> int:
    from app.services.system.profile import get_profile, save_profile

    with db.session() as session:
        profile = get_profile(session)
        for key in PROFILE_LABELS:
            if getattr(args, key) is not None:
                setattr(profile, key, getattr(args, key))
        save_profile(session, profile)
    _print("本工会信息已保存。")
    return EXIT_OK


def cmd_group_list(db: Database, _args: argparse.Namespace) -> int:
    from app.services.roster.groups import list_groups

    with db.session() as session:
        groups = list_groups(session)
    if not groups:
        _print("还没有分组。用 group add 新增。")
    for g in groups:
        _print(f"{'    ' * g.depth}{g.name}（{g.kind}，{g.total_count} 人）")
    return EXIT_OK


def cmd_group_add(db: Database, args: argparse.Namespace) -> int:
    from app.services.roster.groups import add_group

    with db.session() as session:
        parent = _group_id(session, args.parent) if args.parent else None
        add_group(session, args.name, args.kind, parent)
    _print(f"已新增分组：{args.name}")
    return EXIT_OK


def _group_id(session: Any, path: str) -> int:
    from app.services.errors import UserError
    from app.services.roster.groups import find_group_by_path

    found = find_group_by_path(session, path)
    if found is None:
        raise UserError(f"没有名为“{path}”的分组（用 group list 查看全部分组）")
    return found


_COLUMNS = (("姓名", "name"), ("性别", "gender"), ("出生日期", "birth_date"), ("身份证号", "id_number"),
            ("分组", "group_path"), ("人员类别", "category"), ("会籍状态", "status"), ("联系电话", "phone"),
            ("会员证号", "card_number"))  # fmt: skip


def cmd_member_list(db: Database, args: argparse.Namespace) -> int:
    from app.services.roster.index import RosterFilter, filter_rows
    from app.services.roster.search import load_roster

    with db.session() as session:
        group_id = _group_id(session, args.group) if args.group else None
        roster = load_roster(session)
    flt = RosterFilter(
        text=args.search, group_id=group_id, status=args.status, category=args.category,
        female=args.female, migrant=args.migrant, hardship=args.hardship, model_worker=args.model_worker,
    )  # fmt: skip
    shown = [roster.rows[i] for i in filter_rows(roster.rows, flt, roster.groups)]
    if args.json:
        members = [{key: _plain(getattr(r, key)) for _label, key in _COLUMNS} for r in shown]
        print(json.dumps({"count": len(shown), "members": members}, ensure_ascii=False))
        return EXIT_OK
    _print("\t".join(label for label, _key in _COLUMNS))
    for r in shown:
        _print("\t".join(str(_plain(getattr(r, key)) or "") for _label, key in _COLUMNS))
    _print(f"共 {len(shown)} 人")
    return EXIT_OK


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def _find_one(session: Any, key: str) -> int:
    from app.services.errors import UserError
    from app.services.roster.members import find_member_ids

    ids = find_member_ids(session, key)
    if not ids:
        raise UserError(f"找不到会员“{key}”（可用身份证号、会员证号或姓名查找）")
    if len(ids) > 1:
        raise UserError(f"有 {len(ids)} 名会员叫“{key}”，请改用身份证号或会员证号指明是哪一位")
    return ids[0]


def cmd_member_show(db: Database, args: argparse.Namespace) -> int:
    from app.domain.members import FIELD_LABELS
    from app.domain.money import format_fen
    from app.services.roster.members import get_member

    with db.session() as session:
        detail = get_member(session, _find_one(session, args.key))
    data = detail.data
    _print(f"{data.name}（{detail.status}）")
    for key in ("gender", "birth_date", "id_type", "id_number", "category", "phone", "card_number",
                "joined_on", "political_status", "education", "position"):  # fmt: skip
        _print(f"  {FIELD_LABELS[key]}：{_plain(getattr(data, key)) or ''}")
    _print(f"  所在分组：{detail.group_path}")
    if data.dues_wage_fen is not None:
        _print(f"  会费基数工资：{format_fen(data.dues_wage_fen)} 元")
    if detail.retirement:
        _print(f"  法定退休时间：{detail.retirement.month.chinese()}（{detail.retirement.age_text}）")
    _print("  会籍变动：")
    for e in detail.events:
        reason = f"，{e.reason}" if e.reason else ""
        _print(f"    {e.event_date.isoformat()} {e.kind}{reason}")
    return EXIT_OK


_FLAG_FIELDS = ("name", "id_number", "id_type", "gender", "birth_date", "category", "phone", "card_number",
                "joined_on", "political_status", "education", "position", "ethnicity", "model_worker_level",
                "female_original_retirement_age", "remark")  # fmt: skip


def _apply_member_args(session: Any, data: Any, args: argparse.Namespace) -> None:
    from app.domain.money import MoneyError, yuan_to_fen

    for key in _FLAG_FIELDS:
        cli_key = {"birth_date": "birth", "joined_on": "joined"}.get(key, key)
        value = getattr(args, cli_key)
        if value is not None:
            setattr(data, key, value)
    if args.group is not None:
        data.group_id = _group_id(session, args.group) if args.group else None
    if args.hardship is not None:
        data.is_hardship = args.hardship == "是"
    if args.migrant is not None:
        data.is_migrant_worker = args.migrant == "是"
    if args.wage is not None:
        try:
            data.dues_wage_fen = yuan_to_fen(args.wage)
        except MoneyError as exc:
            data.extra_errors["dues_wage_fen"] = str(exc)


def cmd_member_add(db: Database, args: argparse.Namespace) -> int:
    from app.domain.members import MemberInput
    from app.services.roster.members import create_member

    with db.session() as session:
        data = MemberInput()
        _apply_member_args(session, data, args)
        create_member(session, data)
    _print(f"已新增会员：{data.name}（{data.id_number}）")
    return EXIT_OK


def cmd_member_edit(db: Database, args: argparse.Namespace) -> int:
    from app.services.roster.members import get_member, update_member

    with db.session() as session:
        member_id = _find_one(session, args.key)
        data = get_member(session, member_id).data
        _apply_member_args(session, data, args)
        update_member(session, member_id, data)
    _print(f"已保存会员：{data.name}")
    return EXIT_OK


def cmd_member_status(db: Database, args: argparse.Namespace) -> int:
    from app.services.roster.members import change_status

    with db.session() as session:
        status = change_status(session, _find_one(session, args.key), args.event, args.date, args.reason)
    _print(f"已办理{args.event}，会籍状态现为“{status}”")
    return EXIT_OK


def cmd_member_delete(db: Database, args: argparse.Namespace) -> int:
    from app.services.errors import UserError
    from app.services.roster.members import delete_member

    if not args.yes:
        raise UserError("删除会员不能撤销。确认要删除请加上 --yes")
    with db.session() as session:
        name = delete_member(session, _find_one(session, args.key))
    _print(f"已删除会员：{name}")
    return EXIT_OK


def cmd_roster_import(db: Database, args: argparse.Namespace) -> int:
    from app.services.roster.export import write_error_report
    from app.services.roster.importer import apply_import, plan_import

    with db.session() as session:
        plan = plan_import(session, args.file, sheet=args.sheet, on_existing=args.on_existing)
        errors = plan.errors
        write = not args.dry_run and (not errors or args.skip_invalid)
        if write:
            apply_import(session, plan, skip_invalid=args.skip_invalid)
    if args.errors is not None and errors:
        write_error_report(plan, args.errors)
    summary = plan.summary()
    if args.json:
        print(json.dumps({**summary, "written": write}, ensure_ascii=False))
    else:
        _print_import(plan, summary, write, args)
    return EXIT_INPUT if errors and not write and not args.dry_run else EXIT_OK


def _print_import(plan: Any, summary: dict[str, Any], written: bool, args: argparse.Namespace) -> None:
    _print(f"文件：{plan.path.name}　工作表：{plan.sheet}　表头在第 {plan.mapping.header_row} 行")
    if plan.mapping.unknown:
        _print(f"未导入的列：{'、'.join(plan.mapping.unknown)}")
    for note in plan.file_notes:
        _print(f"提示：{note}")
    if plan.new_groups:
        _print(f"{'已' if written else '将'}新建分组：{'、'.join(plan.new_groups)}")
    verb = "已" if written else "将"
    _print(
        f"{verb}新增 {summary['new']} 人，{verb}更新 {summary['updated']} 人，无变化 {summary['unchanged']} 人，"
        f"跳过已有会员 {summary['skipped']} 人，有错误 {len(summary['errors'])} 处"
    )
    if plan.ignored_rows:
        _print(f"已忽略表格下方的合计、制表人等行：第 {'、'.join(map(str, plan.ignored_rows))} 行")
    for issue in summary["errors"][:200]:
        column = f"“{issue['column']}”" if issue["column"] else ""
        _print(f"  第 {issue['row']} 行{column}：{issue['message']}")
    if len(summary["errors"]) > 200:
        _print(f"  ……共 {len(summary['errors'])} 处错误，请用 --errors 输出完整的错误报告")
    if summary["errors"] and not written and not args.dry_run:
        _print("有错误，没有导入任何数据。请改正后重新导入，或加上 --skip-invalid 只导入没有错误的行。")
    if args.errors is not None and summary["errors"]:
        _print(f"错误报告：{args.errors}")
    if args.dry_run:
        _print("（试运行：没有写入任何数据）")


def cmd_roster_export(db: Database, args: argparse.Namespace) -> int:
    from app.services.roster.export import export_roster
    from app.services.roster.index import RosterFilter

    with db.session() as session:
        group_id = _group_id(session, args.group) if args.group else None
        status = None if args.status in ("全部", "all") else args.status
        flt = RosterFilter(status=status, group_id=group_id)
        result = export_roster(session, args.out, flt=flt, mask=args.mask)
    _print(f"已导出 {result.rows} 名会员：{result.path}")
    return EXIT_OK


def cmd_roster_template(db: Database, args: argparse.Namespace) -> int:
    from app.services.roster.export import write_template

    with db.session() as session:
        path = write_template(session, args.out)
    _print(f"已生成导入模板：{path}")
    return EXIT_OK


_HANDLERS: dict[str, Callable[[Database, argparse.Namespace], int]] = {
    "roster.import": cmd_roster_import,
    "roster.export": cmd_roster_export,
    "roster.template": cmd_roster_template,
    "init": cmd_init,
    "demo": cmd_demo,
    "check": cmd_check,
    "profile.show": cmd_profile_show,
    "profile.set": cmd_profile_set,
    "group.list": cmd_group_list,
    "group.add": cmd_group_add,
    "member.list": cmd_member_list,
    "member.show": cmd_member_show,
    "member.add": cmd_member_add,
    "member.edit": cmd_member_edit,
    "member.status": cmd_member_status,
    "member.delete": cmd_member_delete,
}
